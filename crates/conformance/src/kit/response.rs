//! Response conformance: for every documented status × media type, the mock serves a
//! schema-valid body (strict, or the way a real server renders it) with that media type, and
//! the client must decode it to a value equal to what was served.

use junos_space_api::dynamic::{Answer, DispatchError};
use junos_space_model::api::{Content, Forms, Operation};
use junos_space_model::{Api, MediaType, SpecError};
use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;
use serde_json::Value;

use super::mock;
use super::request::{self, RequestCase};
use crate::shared::{compare, oracle, schema};

/// One documented answer of an operation: a status and, when it has a body, its media type.
#[derive(Debug, Clone)]
pub struct Documented<'a> {
    pub status: u16,
    pub success: bool,
    pub media: Option<&'a Content>,
}

impl Documented<'_> {
    /// `202 application/vnd...+json;version=1`, or `204 (no body)`.
    pub fn label(&self) -> String {
        match self.media {
            Some(media) => format!("{} {}", self.status, media.text),
            None => format!("{} (no body)", self.status),
        }
    }
}

/// Every (status × media type) `operation` documents.
pub fn documented(operation: &Operation) -> Result<Vec<Documented<'_>>, SpecError> {
    let mut answers = Vec::new();
    for response in &operation.responses {
        let status = response.status.code().ok_or_else(|| {
            SpecError::at(
                &response.pointer,
                format!("status `{}` is not one code", response.status),
                "the conformance kit serves one code per answer; list them one by one",
            )
        })?;
        let success = response.is_success();
        if response.contents.is_empty() {
            answers.push(Documented {
                status,
                success,
                media: None,
            });
        }
        for media in &response.contents {
            answers.push(Documented {
                status,
                success,
                media: Some(media),
            });
        }
    }
    Ok(answers)
}

/// A call and the answer served to it.
#[derive(Debug, Clone)]
pub struct ResponseCase {
    pub request: RequestCase,
    /// The schema-valid body, in its strict form; `None` for an answer without a body.
    pub body: Option<Value>,
    /// Serve the body in every form a real Junos Space may render it
    /// ([`Forms::EVERY`](junos_space_model::api::Forms::EVERY)).
    pub server_form: bool,
}

/// Calls of `operation` answered with generated bodies for `answer`.
pub fn case_strategy(
    api: &Api,
    operation: &Operation,
    answer: &Documented<'_>,
) -> Result<BoxedStrategy<ResponseCase>, SpecError> {
    let request = request::case_strategy(api, operation)?;
    let body: BoxedStrategy<Option<Value>> = match answer.media.and_then(|m| m.schema) {
        Some(body_schema) => schema::strategy(api, body_schema)?.prop_map(Some).boxed(),
        None => Just(None).boxed(),
    };
    Ok((request, body, any::<bool>())
        .prop_map(|(request, body, server_form)| ResponseCase {
            request,
            body,
            server_form,
        })
        .boxed())
}

/// The bytes of `body` on the wire in `media_type`: the text itself for a plain-text answer
/// (`User logged in`), JSON otherwise.
pub fn wire_text(media_type: &MediaType, body: &Value) -> String {
    match body {
        Value::String(text) if media_type.is_plain_text() => text.clone(),
        _ => body.to_string(),
    }
}

/// What the mock answers for `case`.
pub fn served(api: &Api, answer: &Documented<'_>, case: &ResponseCase) -> mock::Answer {
    let body = match (&case.body, answer.media) {
        (Some(body), Some(media)) => {
            let body = match media.schema {
                Some(body_schema) if case.server_form => {
                    api.render(body_schema, body, Forms::EVERY)
                }
                _ => body.clone(),
            };
            Some(wire_text(&media.media_type, &body))
        }
        (Some(body), None) => Some(body.to_string()),
        (None, _) => None,
    };
    mock::Answer {
        status: answer.status,
        content_type: answer.media.map(|m| m.text.clone()),
        body,
    }
}

/// What the client made of an answer, with any raw error body already read.
#[derive(Debug)]
pub enum Outcome {
    /// A success, decoded.
    Decoded(Answer),
    /// An answer the client handed back undecoded, in its error: status, media type and body.
    RawAnswer {
        status: u16,
        content_type: Option<String>,
        text: String,
    },
    /// Any other error (`Decode`, `Transport`, ...), as `Kind: message`.
    Refused(String),
    /// The client panicked.
    Panicked(String),
}

/// Turns the client's result into an [`Outcome`]: an answer the client did not decode comes
/// with its status, media type and body, as the client's error read them.
pub async fn settle(result: Result<Answer, DispatchError>) -> Outcome {
    match result {
        Ok(answer) => Outcome::Decoded(answer),
        Err(DispatchError::Api(error)) => match error.answer() {
            Some(answer) => Outcome::RawAnswer {
                status: answer.status,
                content_type: answer.media_type.clone(),
                text: answer.body.clone(),
            },
            None => Outcome::Refused(format!("{}: {error}", error_kind(&error))),
        },
        Err(other) => Outcome::Refused(format!("dispatch: {other}")),
    }
}

fn error_kind(error: &junos_space_api::Error) -> &'static str {
    use junos_space_api::Error;
    match error {
        Error::Decode { .. } => "Decode",
        Error::Timeout(_) => "Timeout",
        Error::Transport(_) | Error::Certificate { .. } => "Transport",
        Error::InvalidRequest(_) => "InvalidRequest",
        _ => "Error",
    }
}

/// What is wrong with the client's `outcome` of a call answered with `case`. A documented error
/// answer comes back in the client's error, its body read as text: the status and the body
/// must be the ones served.
pub fn check(
    api: &Api,
    answer: &Documented<'_>,
    case: &ResponseCase,
    outcome: &Outcome,
) -> Vec<String> {
    let (status, decoded, content_type) = match outcome {
        Outcome::Decoded(decoded) if answer.success => (
            decoded.status,
            decoded.body.clone(),
            decoded
                .headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
        ),
        Outcome::RawAnswer {
            status,
            content_type,
            text,
        } if !answer.success => {
            let plain_text = answer.media.is_some_and(|m| m.media_type.is_plain_text());
            let body = if plain_text {
                Value::String(text.clone())
            } else if text.is_empty() {
                Value::Null
            } else {
                serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.clone()))
            };
            (*status, body, content_type.clone())
        }
        other => {
            let expected = if answer.success {
                "a decoded answer"
            } else {
                "the documented error answer"
            };
            return vec![format!("expected {expected}, got {}", describe(other))];
        }
    };
    let mut faults = Vec::new();
    if status != answer.status {
        faults.push(format!("status {status} instead of {}", answer.status));
    }
    let Some(media) = answer.media else {
        if !decoded.is_null() {
            faults.push(format!("decoded {decoded} from an answer without a body"));
        }
        return faults;
    };
    // The schema is the one of the media type the answer carried, parameters included.
    if !content_type
        .as_deref()
        .is_some_and(|served| oracle::names(served, media))
    {
        faults.push(format!(
            "the answer's Content-Type {content_type:?} does not select `{}`",
            media.text
        ));
    }
    if let (Some(body), Some(body_schema)) = (&case.body, media.schema) {
        let expected = compare::canonical(api, body_schema, body);
        let decoded = compare::canonical(api, body_schema, &decoded);
        let form = if case.server_form {
            "server-rendered"
        } else {
            "strict"
        };
        for difference in compare::differences(&expected, &decoded) {
            faults.push(format!("round trip of the {form} body: {difference}"));
        }
    }
    faults
}

/// A one-line account of what the client made of an answer.
pub fn describe(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Decoded(answer) => {
            format!("Ok: status {}, decoded {}", answer.status, answer.body)
        }
        Outcome::RawAnswer {
            status,
            content_type,
            text,
        } => {
            format!("Err(answer): status {status}, {content_type:?}, body {text:?}")
        }
        Outcome::Refused(message) => format!("Err({message})"),
        Outcome::Panicked(message) => format!("a panic: {message}"),
    }
}
