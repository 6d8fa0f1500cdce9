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
use std::marker::PhantomData;

use junos_space_media_type::MediaType;
use progenitor_client::{Error, ResponseValue};
use reqwest::Response;
use reqwest::header::CONTENT_TYPE;
use serde::de::DeserializeOwned;
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

/// How the answers of an operation's statuses are read: a row of the answer table the xtask
/// writes for every operation from progenitor's match on the status. A status no row takes is
/// unexpected (its answer reaches the caller unread, as [`crate::Error`] reads it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Expected {
    /// The lowest status the row takes.
    pub low: u16,
    /// The highest status the row takes (`low` for one status).
    pub high: u16,
    /// How its answer is read.
    pub reading: Reading,
}

/// How an expected answer is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reading {
    /// A JSON body, when its `Content-Type` is one `Accepted` takes.
    Json(Accepted<'static>),
    /// A text body (the session calls' sentences), when its `Content-Type` is one `Accepted`
    /// takes.
    Text(Accepted<'static>),
    /// No body is read (a 204, or a status progenitor answers empty).
    Empty,
}

/// An expected answer, read but not yet typed: what the one future of every send ends with,
/// before the operation's answer type is decoded from it (see [`Decode`]).
#[derive(Debug)]
pub struct Answered {
    status: reqwest::StatusCode,
    headers: reqwest::header::HeaderMap,
    body: Body,
}

impl Answered {
    /// The answer's status.
    pub fn status(&self) -> reqwest::StatusCode {
        self.status
    }
}

#[derive(Debug)]
enum Body {
    Json(bytes::Bytes),
    Text(String),
    Empty,
}

/// Reads `response` as the first row of `expected` that takes its status says, when its
/// `Content-Type` is one that row accepts; otherwise hands it back unread as
/// [`Error::UnexpectedResponse`], with status, headers and body intact for the caller.
// The error is progenitor's, as the attempts read it (status, transience) before it becomes
// the runtime's.
#[allow(clippy::result_large_err)]
pub(crate) async fn read_answer(
    mut response: Response,
    expected: &[Expected],
) -> Result<Answered, Error> {
    let status = response.status();
    let code = status.as_u16();
    let Some(row) = expected
        .iter()
        .find(|row| (row.low..=row.high).contains(&code))
    else {
        return Err(Error::UnexpectedResponse(response));
    };
    let accepted = match row.reading {
        Reading::Json(accepted) | Reading::Text(accepted) => accepted,
        Reading::Empty => {
            let headers = std::mem::take(response.headers_mut());
            return Ok(Answered {
                status,
                headers,
                body: Body::Empty,
            });
        }
    };
    if !answers_accepted_type(&response, accepted) {
        return Err(Error::UnexpectedResponse(response));
    }
    // Reading the body needs no headers: the answer's own are taken, not copied.
    let headers = std::mem::take(response.headers_mut());
    let body = match row.reading {
        Reading::Text(_) => Body::Text(response.text().await.map_err(Error::ResponseBodyError)?),
        _ => Body::Json(response.bytes().await.map_err(Error::ResponseBodyError)?),
    };
    Ok(Answered {
        status,
        headers,
        body,
    })
}

/// How a read answer becomes the operation's answer type: the last step of every send. A type
/// rather than a function, so that the decode is compiled where a send is awaited, for the
/// operations a program calls, and not in the generated crate for every operation it has.
pub trait Decode {
    /// The operation's answer type.
    type Output;

    /// Decodes the read answer.
    fn decode(answered: Answered) -> crate::Result<ResponseValue<Self::Output>>;
}

/// The answer decoded as `T` from its JSON body; an answer without a body is a decode error,
/// as it would be of any JSON value.
pub struct Json<T>(PhantomData<fn() -> T>);

/// [`Json`], except that an answer read without a body (a collection's 204) is `T`'s empty
/// value.
pub struct JsonOrDefault<T>(PhantomData<fn() -> T>);

/// The answer's text (a JSON body is taken as text too, lossily where it is not UTF-8); `T` is
/// `String`.
pub struct Text<T>(PhantomData<fn() -> T>);

/// `T`'s empty value, whatever the body: an answer the operation documents without one.
pub struct Empty<T>(PhantomData<fn() -> T>);

impl<T: DeserializeOwned> Decode for Json<T> {
    type Output = T;

    fn decode(answered: Answered) -> crate::Result<ResponseValue<T>> {
        let Answered {
            status,
            headers,
            body,
        } = answered;
        let body = match body {
            Body::Json(bytes) => bytes,
            Body::Text(text) => bytes::Bytes::from(text),
            Body::Empty => bytes::Bytes::new(),
        };
        match serde_json::from_slice(&body) {
            Ok(value) => {
                keep_body(&body);
                Ok(ResponseValue::new(value, status, headers))
            }
            Err(error) => Err(crate::Error::decode(&body, &error)),
        }
    }
}

impl<T: DeserializeOwned + Default> Decode for JsonOrDefault<T> {
    type Output = T;

    fn decode(answered: Answered) -> crate::Result<ResponseValue<T>> {
        match answered.body {
            Body::Empty => Empty::decode(answered),
            _ => Json::decode(answered),
        }
    }
}

impl Decode for Text<String> {
    type Output = String;

    fn decode(answered: Answered) -> crate::Result<ResponseValue<String>> {
        let Answered {
            status,
            headers,
            body,
        } = answered;
        let text = match body {
            Body::Text(text) => text,
            Body::Json(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Body::Empty => String::new(),
        };
        Ok(ResponseValue::new(text, status, headers))
    }
}

impl<T: Default> Decode for Empty<T> {
    type Output = T;

    fn decode(answered: Answered) -> crate::Result<ResponseValue<T>> {
        Ok(ResponseValue::new(
            T::default(),
            answered.status,
            answered.headers,
        ))
    }
}

tokio::task_local! {
    /// The answer [`Json`] decoded last inside [`keeping_body`], as the server sent it.
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

    #[derive(serde::Deserialize, Debug, Default)]
    struct Named {
        name: String,
    }

    /// The one row of a 200 read as `reading`.
    fn expecting(reading: Reading) -> [Expected; 1] {
        [Expected {
            low: 200,
            high: 200,
            reading,
        }]
    }

    /// What a send of `response` ends with when its 200 is JSON of `accepted`, decoded as `T`.
    async fn decode_sent<T: DeserializeOwned>(
        response: Response,
        accepted: Accepted<'static>,
    ) -> crate::Result<ResponseValue<T>> {
        match read_answer(response, &expecting(Reading::Json(accepted))).await {
            Ok(answered) => Json::decode(answered),
            Err(error) => Err(crate::Error::from_exchange(error, None).await),
        }
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
        let (decoded, kept) = keeping_body(decode_sent::<Named>(
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
        let (decoded, kept) =
            keeping_body(decode_sent::<Named>(sent(r#"{"use-nat":false}"#), accepted)).await;
        assert!(
            matches!(decoded, Err(crate::Error::Decode { .. })) && kept.is_none(),
            "{kept:?}"
        );
        // Outside a scope the decode is as ever.
        let decoded = decode_sent::<Named>(sent(r#"{"name":"mx-2"}"#), accepted).await;
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
        let read_text = |response, accepted| async move {
            read_answer(response, &expecting(Reading::Text(accepted)))
                .await
                .map(|answered| Text::<String>::decode(answered).expect("text").into_inner())
        };
        let plain = Accepted::Exactly(&["text/plain"]);
        let read = read_text(text("text/plain;charset=UTF-8"), plain).await;
        assert_eq!(read.expect("plain text"), "User logged in");
        let refused = read_text(text("text/html"), plain).await;
        assert!(matches!(refused, Err(Error::UnexpectedResponse(_))));
        // Where the spec's type is its own decision, another text type is read all the same.
        let read = read_text(text("text/html"), Accepted::AnyJsonOrText).await;
        assert_eq!(read.expect("any text"), "User logged in");
    }

    #[tokio::test]
    async fn a_status_no_row_takes_is_unexpected_and_an_empty_row_reads_no_body() {
        let answer = |status: u16| {
            Response::from(
                http::Response::builder()
                    .status(status)
                    .header(CONTENT_TYPE, DEVICES)
                    .body(r#"{"name":"mx-1"}"#)
                    .expect("a valid response"),
            )
        };
        let expected = [
            Expected {
                low: 200,
                high: 200,
                reading: Reading::Json(Accepted::Exactly(&[DEVICES])),
            },
            Expected {
                low: 204,
                high: 204,
                reading: Reading::Empty,
            },
        ];
        let unexpected = read_answer(answer(404), &expected).await;
        assert!(
            matches!(&unexpected, Err(Error::UnexpectedResponse(r)) if r.status() == 404),
            "{unexpected:?}"
        );
        let empty = read_answer(answer(204), &expected).await.expect("expected");
        let empty = JsonOrDefault::<Vec<String>>::decode(empty).expect("the empty value");
        assert_eq!((empty.status().as_u16(), empty.into_inner()), (204, vec![]));
        let full = read_answer(answer(200), &expected).await.expect("expected");
        let full = JsonOrDefault::<Named>::decode(full).expect("decodes");
        assert_eq!(full.into_inner().name, "mx-1");
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
