//! One error type for every way a call can fail, with what the server said in readable form:
//! what every generated `send` returns, and what the client crate's jobs and collections give.

use std::fmt;

use crate::answer::is_accepted;
use crate::job_state::JobRecord;
use crate::message::readable_message;

/// The result of every call.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Most of an error body kept, for messages and debugging; Junos Space error pages are small.
const BODY_LIMIT: usize = 64 * 1024;

/// An answer the server gave instead of the expected one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The answer's `Content-Type`, if it had one.
    pub media_type: Option<String>,
    /// The body as text (lossy UTF-8, at most 64 KiB).
    pub body: String,
    /// A one-line message read from the body (HTML title, JSON `message`, XML or plain text).
    pub message: String,
    /// The path the request went to (`/api/space/device-management/devices/9`), so that a 404
    /// says what was not found; empty where the answer came without it.
    pub path: String,
}

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        if !self.path.is_empty() {
            write!(f, " for {}", self.path)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Why a call failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// 401 or 403: credentials refused, password expired, session ended.
    #[error("authentication refused: {0}")]
    Auth(Answer),
    /// 404: no such resource.
    #[error("not found: {0}")]
    NotFound(Answer),
    /// 406 or 415: the server refused the `Accept` or `Content-Type` media type.
    #[error("media type refused: {0}")]
    MediaTypeRefused(Answer),
    /// A success status whose body came in another media type than the request asked for
    /// (another version, resource or format, or none): left unread, since another version of a
    /// Junos Space type may mean another behaviour.
    #[error(
        "the server answered {}, asked for {asked} (HTTP {})",
        .answer.media_type.as_deref().unwrap_or("no media type"),
        .answer.status
    )]
    UnexpectedMediaType {
        /// The answer, its `Content-Type` as the server sent it (boxed: the rarest error
        /// need not make every `Result` of a call larger).
        answer: Box<Answer>,
        /// The request's `Accept`, as it was sent.
        asked: String,
    },
    /// Any other answer that is not the operation's success.
    #[error("server answered {0}")]
    Api(Answer),
    /// The request or its answer took longer than the client's timeout.
    #[error("timed out: {}", with_causes(.0))]
    Timeout(#[source] reqwest::Error),
    /// The connection failed (refused, reset, a name not found, a TLS failure other than the
    /// certificate); the message names the cause.
    #[error("transport failure: {}", with_causes(.0))]
    Transport(#[source] reqwest::Error),
    /// The server's certificate was refused: a self-signed Junos Space, whose CA the client
    /// must be given (`ClientBuilder::add_root_certificate_pem_file`).
    #[error(
        "the server's certificate is {reason}: give the client its CA certificate (or, for a lab server only, turn verification off)"
    )]
    Certificate {
        /// Why it was refused (`signed by a CA that is not trusted`, `expired`).
        reason: String,
        #[source]
        source: reqwest::Error,
    },
    /// A success answer whose body does not fit the operation's type.
    #[error("cannot decode the answer: {message}")]
    Decode {
        /// What did not fit, from serde.
        message: String,
        /// The body as text (lossy UTF-8, at most 64 KiB).
        body: String,
    },
    /// A job ended in FAILURE or CANCELLED.
    #[error("job {} ended {}: {}", .0.id, .0.state, .0.summary.as_deref().unwrap_or("no summary"))]
    JobFailed(Box<JobRecord>),
    /// A job was still running at the caller's deadline.
    #[error("job {} still {} at the deadline ({}% done)", .0.id, .0.state, .0.percent.unwrap_or(0.0))]
    JobDeadline(Box<JobRecord>),
    /// An answer that refers to no job was asked to be awaited.
    #[error("the answer names no job to wait for")]
    NoJob,
    /// A request argument that could not be sent (from a builder setter).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The client could not be configured as asked.
    #[error("configuration: {0}")]
    Config(String),
}

impl Error {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        self.answer().map(|answer| answer.status)
    }

    /// The answer, when the server gave an unexpected one.
    pub fn answer(&self) -> Option<&Answer> {
        match self {
            Self::Auth(answer)
            | Self::NotFound(answer)
            | Self::MediaTypeRefused(answer)
            | Self::Api(answer) => Some(answer),
            Self::UnexpectedMediaType { answer, .. } => Some(answer),
            _ => None,
        }
    }

    /// Reads an unexpected answer's body, and sorts it by status and, for a success status,
    /// by whether its media type is one `accept` (the request's `Accept`) named.
    async fn from_response(response: reqwest::Response, accept: Option<&str>) -> Self {
        let status = response.status().as_u16();
        let path = response.url().path().to_owned();
        let media_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let body = match response.bytes().await {
            Ok(bytes) => lossy_prefix(&bytes),
            Err(error) => return Self::from_transport(error),
        };
        let message = readable_message(status, media_type.as_deref(), &body);
        let answer = Answer {
            status,
            media_type,
            body,
            message,
            path,
        };
        match accept {
            Some(asked)
                if (200..300).contains(&status)
                    && !is_accepted(answer.media_type.as_deref(), asked.split(',')) =>
            {
                Self::UnexpectedMediaType {
                    answer: Box::new(answer),
                    asked: asked.to_owned(),
                }
            }
            _ => Self::from_answer(answer),
        }
    }

    fn from_answer(answer: Answer) -> Self {
        match answer.status {
            401 | 403 => Self::Auth(answer),
            404 => Self::NotFound(answer),
            406 | 415 => Self::MediaTypeRefused(answer),
            _ => Self::Api(answer),
        }
    }

    /// A transport failure sorted: a timeout, a refused certificate, or another failure.
    pub fn from_transport(error: reqwest::Error) -> Self {
        if error.is_timeout() {
            Self::Timeout(error)
        } else if let Some(reason) = crate::refused_certificate(&error) {
            Self::Certificate {
                reason,
                source: error,
            }
        } else {
            Self::Transport(error)
        }
    }

    /// An answer whose body does not decode as its type: serde's message, and the body.
    pub fn decode(body: &[u8], error: &serde_json::Error) -> Self {
        Self::Decode {
            message: error.to_string(),
            body: lossy_prefix(body),
        }
    }

    /// What a generated `send` gives for a failure of its exchange: the unexpected answer's
    /// body read into a readable [`Answer`] (a success status whose media type is not one
    /// `accept` names becomes [`Error::UnexpectedMediaType`]), transport failures sorted.
    /// `accept` is the request's `Accept` header as sent, if it had one.
    pub async fn from_exchange<E>(
        error: progenitor_client::Error<E>,
        accept: Option<&str>,
    ) -> Self {
        use progenitor_client::Error as Api;
        match error {
            // Boxed, so that the state of every `send` does not grow by the body read that
            // only a failure needs.
            Api::UnexpectedResponse(response) => {
                Box::pin(Self::from_response(response, accept)).await
            }
            Api::ErrorResponse(answer) => {
                // The xtask routes documented error statuses to UnexpectedResponse; this is
                // only reached by a client generated otherwise.
                let status = answer.status().as_u16();
                let media_type = answer
                    .headers()
                    .get(reqwest::header::CONTENT_TYPE)
                    .and_then(|value| value.to_str().ok())
                    .map(str::to_owned);
                let message = readable_message(status, media_type.as_deref(), "");
                Self::from_answer(Answer {
                    status,
                    media_type,
                    body: String::new(),
                    message,
                    path: String::new(),
                })
            }
            Api::CommunicationError(error)
            | Api::ResponseBodyError(error)
            | Api::InvalidUpgrade(error) => Self::from_transport(error),
            Api::InvalidResponsePayload(bytes, error) => Self::decode(&bytes, &error),
            Api::InvalidRequest(message) | Api::Custom(message) => Self::InvalidRequest(message),
        }
    }
}

/// `error` and each cause below it that says something more (`connection refused`, `failed
/// to lookup address information`), which reqwest's own message leaves out.
fn with_causes(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut cause = std::error::Error::source(error);
    while let Some(inner) = cause {
        let said = inner.to_string();
        if !text.contains(&said) {
            text.push_str(": ");
            text.push_str(&said);
        }
        cause = inner.source();
    }
    text
}

fn lossy_prefix(bytes: &[u8]) -> String {
    let end = bytes.len().min(BODY_LIMIT);
    String::from_utf8_lossy(&bytes[..end]).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEVICES: &str =
        "application/vnd.net.juniper.space.device-management.devices+json;version=2";

    async fn read(status: u16, content_type: Option<&str>, accept: Option<&str>) -> Error {
        let mut answer = http::Response::builder().status(status);
        if let Some(content_type) = content_type {
            answer = answer.header(reqwest::header::CONTENT_TYPE, content_type);
        }
        let response = reqwest::Response::from(
            answer
                .body("<html><title>Hi</title></html>")
                .expect("valid"),
        );
        Error::from_exchange(
            progenitor_client::Error::<()>::UnexpectedResponse(response),
            accept,
        )
        .await
    }

    #[tokio::test]
    async fn a_success_in_another_media_type_says_what_came_and_what_was_asked() {
        let error = read(200, Some("text/html;charset=UTF-8"), Some(DEVICES)).await;
        assert!(matches!(&error, Error::UnexpectedMediaType { asked, .. } if asked == DEVICES));
        assert_eq!(
            error.to_string(),
            format!("the server answered text/html;charset=UTF-8, asked for {DEVICES} (HTTP 200)")
        );
        assert_eq!(error.status(), Some(200));
        assert_eq!(error.answer().map(|a| a.message.as_str()), Some("Hi"));
        let untyped = read(200, None, Some(DEVICES)).await;
        assert!(
            untyped.to_string().contains("answered no media type"),
            "{untyped}"
        );
    }

    #[tokio::test]
    async fn a_refused_connection_says_why() {
        // A port nothing listens on: the kernel refuses at once.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        let address = listener.local_addr().expect("an address");
        drop(listener);
        let failed = reqwest::get(format!("http://{address}/api/space"))
            .await
            .expect_err("nothing listens");
        let error = Error::from_transport(failed);
        let text = error.to_string().to_lowercase();
        assert!(
            text.starts_with("transport failure: error sending request"),
            "{text}"
        );
        assert!(text.contains("connection refused"), "{text}");
    }

    #[tokio::test]
    async fn other_unexpected_answers_are_sorted_by_status() {
        // An undocumented success status in the type asked for is not a media-type fault.
        let undocumented = read(201, Some(DEVICES), Some(DEVICES)).await;
        assert!(matches!(undocumented, Error::Api(_)), "{undocumented}");
        // An operation that asks for no type has no media type to get wrong.
        let no_accept = read(200, Some("text/html"), None).await;
        assert!(matches!(no_accept, Error::Api(_)), "{no_accept}");
        for (status, kind) in [
            (401, "Auth"),
            (404, "NotFound"),
            (406, "MediaTypeRefused"),
            (500, "Api"),
        ] {
            let error = read(status, Some("text/html"), Some(DEVICES)).await;
            assert!(
                format!("{error:?}").starts_with(kind),
                "{status}: {error:?}"
            );
        }
    }
}
