//! Decoding a success answer only when its `Content-Type` is one the request asked for.
//!
//! Junos Space's version parameter changes behaviour, not only shape (exec-rpc v1 is
//! synchronous, v2 asynchronous), so an answer of another type or version must not be read as
//! if it were the one asked for, even when its JSON happens to fit the type. That holds where
//! a source documents the type; where the spec's type is a decision of its own (`x-decision`:
//! the session calls' `text/plain`, the asynchronous calls' answer types), another type
//! differs only from that decision, and the answer is read in any JSON or text type
//! ([`Accepted::AnyJsonOrText`]).

use std::cell::RefCell;
use std::future::Future;

use futures_util::FutureExt as _;
use futures_util::future::{self, Either};
use junos_space_media_type::MediaType;
use progenitor_client::{Error, ResponseValue};
use reqwest::Response;
use reqwest::header::CONTENT_TYPE;
use serde_json::Value;

/// The answer types a `send` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Accepted<'a> {
    /// Only a type equivalent to one of these (the types the request named in `Accept`, as
    /// documented): [`MediaType::is_same_representation`], so an answer may add or quote
    /// `charset` and `q`, which name no other resource or version.
    Exactly(&'a [&'a str]),
    /// Any JSON type (`application/json`, `+json`) or text type (`text/*`): the spec's types
    /// are its own decision, and a server that answers another differs only from that.
    AnyJsonOrText,
}

/// Decodes `response` as `T` when its `Content-Type` is one `accepted` takes; otherwise hands
/// it back unread as [`Error::UnexpectedResponse`], with status, headers and body intact for
/// the caller.
// The error is progenitor's, as the generated exchange that awaits this returns it.
#[allow(clippy::result_large_err)]
pub fn decode_answer<T, E>(
    mut response: Response,
    accepted: Accepted<'_>,
) -> impl Future<Output = Result<ResponseValue<T>, Error<E>>>
where
    T: serde::de::DeserializeOwned,
{
    // The future every `send` holds while the body comes is the body's read and the few
    // values it needs: no second copy of the response, no copy of its headers.
    if !answers_accepted_type(&response, accepted) {
        return Either::Left(future::ready(Err(Error::UnexpectedResponse(response))));
    }
    let status = response.status();
    // progenitor's `ResponseValue::from_response` copies the header map; the answer's own is
    // taken instead, since reading the body needs no headers.
    let headers = std::mem::take(response.headers_mut());
    Either::Right(response.bytes().map(move |body| {
        let body = body.map_err(Error::ResponseBodyError)?;
        match serde_json::from_slice(&body) {
            Ok(value) => {
                keep_body(&body);
                Ok(ResponseValue::new(value, status, headers))
            }
            Err(error) => Err(Error::InvalidResponsePayload(body, error)),
        }
    }))
}

tokio::task_local! {
    /// The answer [`decode_answer`] read last inside [`keeping_body`], as the server sent it.
    static KEPT_BODY: RefCell<Option<Value>>;
}

/// Runs `send` (a generated builder's `send`) and gives back, beside its outcome, the JSON
/// body of the answer it decoded as the server sent it: the typed value keeps only the
/// members the spec names, and a caller that shows the answer (the command line's `api`) owes
/// the reader the rest too. The typed decode still decides: the body is kept only once it
/// succeeded, so a failure is the typed error as ever, and `None` comes with it (and with an
/// answer that is not JSON). Outside this scope nothing is kept and nothing is parsed twice.
pub async fn keeping_body<T>(send: impl Future<Output = T>) -> (T, Option<Value>) {
    KEPT_BODY
        .scope(RefCell::new(None), async {
            let outcome = send.await;
            let kept = KEPT_BODY.with(RefCell::take);
            (outcome, kept)
        })
        .await
}

/// Keeps `body` for the [`keeping_body`] around this decode, if there is one. A retried
/// request keeps the body of the attempt that succeeded: only a success is kept.
fn keep_body(body: &[u8]) {
    let _outside_any_scope = KEPT_BODY.try_with(|kept| {
        *kept.borrow_mut() = serde_json::from_slice(body).ok();
    });
}

/// Reads `response` as text when its `Content-Type` is one `accepted` takes (the session calls
/// answer `text/plain` sentences); otherwise hands it back unread as
/// [`Error::UnexpectedResponse`], as [`decode_answer`] does.
pub async fn text_answer<E>(
    response: Response,
    accepted: Accepted<'_>,
) -> Result<ResponseValue<String>, Error<E>> {
    if !answers_accepted_type(&response, accepted) {
        return Err(Error::UnexpectedResponse(response));
    }
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.map_err(Error::ResponseBodyError)?;
    Ok(ResponseValue::new(text, status, headers))
}

/// True when the answer's `Content-Type` is one `accepted` takes.
pub fn answers_accepted_type(response: &Response, accepted: Accepted<'_>) -> bool {
    let content_type = response.headers().get(CONTENT_TYPE);
    let accepted = match accepted {
        Accepted::Exactly(accepted) => accepted,
        Accepted::AnyJsonOrText => {
            let parsed = content_type
                .and_then(|value| value.to_str().ok())
                .and_then(|text| MediaType::parse(text).ok());
            return parsed.is_some_and(|m| m.is_json() || m.type_().eq_ignore_ascii_case("text"));
        }
    };
    // A server that spells the type as asked (the usual case) is answered from the bytes.
    if content_type.is_some_and(|value| accepted.iter().any(|a| value.as_bytes() == a.as_bytes())) {
        return true;
    }
    let content_type = content_type.and_then(|value| value.to_str().ok());
    is_accepted(content_type, accepted.iter().copied())
}

/// True when `content_type` (an answer's, if it has one) is the same representation as one of
/// `accepted`.
pub(crate) fn is_accepted<'a>(
    content_type: Option<&str>,
    accepted: impl IntoIterator<Item = &'a str> + Clone,
) -> bool {
    let Some(text) = content_type else {
        return false;
    };
    // A server that spells the type as asked (the usual case) needs no parsing.
    if accepted.clone().into_iter().any(|a| a.trim() == text) {
        return true;
    }
    let Ok(content_type) = MediaType::parse(text) else {
        return false;
    };
    accepted
        .into_iter()
        .filter_map(|accepted| MediaType::parse(accepted.trim()).ok())
        .any(|accepted| accepted.is_same_representation(&content_type))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEVICES: &str =
        "application/vnd.net.juniper.space.device-management.devices+json;version=2";

    fn answer(content_type: Option<&str>) -> Response {
        let mut builder = http::Response::builder().status(200);
        if let Some(content_type) = content_type {
            builder = builder.header(CONTENT_TYPE, content_type);
        }
        Response::from(builder.body("{}").expect("a valid response"))
    }

    #[derive(serde::Deserialize, Debug)]
    struct Named {
        name: String,
    }

    #[tokio::test]
    async fn the_body_is_kept_as_sent_only_inside_the_scope_and_only_once_it_decoded() {
        let sent = |body: &'static str| {
            Response::from(
                http::Response::builder()
                    .status(200)
                    .header(CONTENT_TYPE, DEVICES)
                    .body(body)
                    .expect("a valid response"),
            )
        };
        let accepted = Accepted::Exactly(&[DEVICES]);
        let (decoded, kept) = keeping_body(decode_answer::<Named, ()>(
            sent(r#"{"name":"mx-1","use-nat":false}"#),
            accepted,
        ))
        .await;
        // The type drops what the spec does not name; the body as sent keeps it.
        assert_eq!(decoded.expect("decodes").into_inner().name, "mx-1");
        assert_eq!(
            kept,
            Some(serde_json::json!({"name": "mx-1", "use-nat": false}))
        );
        let (decoded, kept) = keeping_body(decode_answer::<Named, ()>(
            sent(r#"{"use-nat":false}"#),
            accepted,
        ))
        .await;
        assert!(decoded.is_err() && kept.is_none(), "{kept:?}");
        // Outside a scope the decode is as ever.
        let decoded = decode_answer::<Named, ()>(sent(r#"{"name":"mx-2"}"#), accepted).await;
        assert_eq!(decoded.expect("decodes").into_inner().name, "mx-2");
    }

    #[tokio::test]
    async fn text_is_read_only_in_the_type_asked_for() {
        let text = |content_type| {
            Response::from(
                http::Response::builder()
                    .status(200)
                    .header(CONTENT_TYPE, content_type)
                    .body("User logged in")
                    .expect("a valid response"),
            )
        };
        let plain = Accepted::Exactly(&["text/plain"]);
        let read = text_answer::<()>(text("text/plain;charset=UTF-8"), plain)
            .await
            .expect("plain text");
        assert_eq!(read.into_inner(), "User logged in");
        let refused = text_answer::<()>(text("text/html"), plain).await;
        assert!(matches!(refused, Err(Error::UnexpectedResponse(_))));
        // Where the spec's type is its own decision, another text type is read all the same.
        let read = text_answer::<()>(text("text/html"), Accepted::AnyJsonOrText)
            .await
            .expect("any text");
        assert_eq!(read.into_inner(), "User logged in");
    }

    #[test]
    fn a_decided_type_takes_any_json_or_text_type_and_nothing_else() {
        for content_type in [
            "application/json",
            "application/vnd.net.juniper.space.job-management.task+json;version=9",
            "text/plain;charset=UTF-8",
            "TEXT/HTML",
        ] {
            assert!(
                answers_accepted_type(&answer(Some(content_type)), Accepted::AnyJsonOrText),
                "{content_type}"
            );
        }
        for content_type in [
            Some("application/xml"),
            Some("application/octet-stream"),
            Some("not a media type"),
            None,
        ] {
            assert!(
                !answers_accepted_type(&answer(content_type), Accepted::AnyJsonOrText),
                "{content_type:?}"
            );
        }
    }

    #[test]
    fn the_asked_type_in_any_spelling_and_with_a_charset_is_accepted() {
        for content_type in [
            DEVICES,
            "application/vnd.net.juniper.space.device-management.devices+json; version=\"2\"",
            "application/vnd.net.juniper.space.device-management.devices+json;version=2;charset=UTF-8",
        ] {
            assert!(
                answers_accepted_type(&answer(Some(content_type)), Accepted::Exactly(&[DEVICES])),
                "{content_type}"
            );
        }
    }

    #[test]
    fn other_types_versions_and_no_type_are_refused() {
        for content_type in [
            Some("application/vnd.net.juniper.space.device-management.devices+json;version=3"),
            Some("application/vnd.net.juniper.space.device-management.devices+json"),
            Some("application/vnd.net.juniper.space.device-management.device+json;version=2"),
            Some("application/json"),
            Some("text/html"),
            Some("not a media type"),
            None,
        ] {
            assert!(
                !answers_accepted_type(&answer(content_type), Accepted::Exactly(&[DEVICES])),
                "{content_type:?}"
            );
        }
    }
}
