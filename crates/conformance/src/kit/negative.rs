//! Negative cases for every operation: answers a real or broken server gives that the client
//! must refuse with a typed error (or read as the documented tolerant result), never a panic.
//! Where the spec's answer types are its own decision (`x-decision`), an answer in another
//! JSON or text type differs only from that decision: the client must read it instead.

use junos_space_model::api::error_page::{
    ERROR_PAGE_TYPE, error_page, not_acceptable_description, unsupported_type_description,
};
use junos_space_model::api::{Kind, Operation};
use junos_space_model::media_type::near_miss::{next_version, sibling_resource, without_version};
use junos_space_model::{Api, SpecError};
use serde_json::Value;

use super::mock;
use super::response::{Documented, Outcome, describe, documented, wire_text};
use crate::shared::{schema, seed};

/// What the client must make of a negative answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// A typed error.
    Error,
    /// A typed error, or a success with nothing in it (an empty collection answered as 204).
    ErrorOrEmpty,
    /// A success: the answer differs from the spec only in a type the spec decided, which the
    /// client reads in any JSON or text type.
    Read,
}

/// One bad answer to one operation.
#[derive(Debug, Clone)]
pub struct NegativeCase {
    /// The fault, as the report names it (`wrong version`).
    pub name: &'static str,
    pub answer: mock::Answer,
    pub expect: Expect,
}

/// The negative cases of `operation`: vendor-type faults on its first success answer with a
/// body, error pages, malformed and schema-invalid bodies, an undocumented status, empty 204.
pub fn cases(api: &Api, operation: &Operation) -> Result<Vec<NegativeCase>, SpecError> {
    let answers = documented(operation)?;
    let mut cases = Vec::new();
    let typed_answer = answers
        .iter()
        .find(|a| a.success && a.media.is_some_and(|m| m.schema.is_some()));
    if let Some((answer, media, body_schema)) =
        typed_answer.and_then(|a| a.media.and_then(|m| m.schema.map(|s| (a, m, s))))
    {
        let strategy = schema::strategy(api, body_schema)?;
        let body = seed::draw_any(&strategy)
            .map_err(|why| SpecError::at(&api.schema(body_schema).pointer, why, ""))?;
        let text = body.to_string();
        let vendor = &media.media_type;
        let with = |name, content_type: String, body: String| NegativeCase {
            name,
            answer: mock::Answer {
                status: answer.status,
                content_type: Some(content_type),
                body: Some(body),
            },
            expect: Expect::Error,
        };
        // Another JSON or text type than the spec's: refused where a source documents the
        // type, read where the type is the spec's decision.
        let another_type = |name, content_type: String, body: String| NegativeCase {
            expect: if operation.answer_types_decided() {
                Expect::Read
            } else {
                Expect::Error
            },
            ..with(name, content_type, body)
        };
        if vendor.is_plain_text() {
            // A sentence has no version, syntax or schema to get wrong; its faults are another
            // type (a login page instead of the answer) and an undocumented status.
            let sentence = wire_text(vendor, &body);
            cases.push(another_type(
                "HTML instead of text",
                ERROR_PAGE_TYPE.into(),
                sentence.clone(),
            ));
            cases.push(another_type(
                "plain application/json",
                "application/json".into(),
                text,
            ));
            let mut stray = with("undocumented status", media.text.clone(), sentence);
            stray.answer.status = undocumented_status(&answers);
            cases.push(stray);
            return Ok(with_common_faults(operation, &answers, cases));
        }
        cases.push(another_type(
            "wrong vendor type",
            sibling_resource(vendor).to_string(),
            text.clone(),
        ));
        for (name, miss) in [
            ("wrong version", next_version(vendor)),
            ("missing version", without_version(vendor)),
        ] {
            if let Some(miss) = miss {
                cases.push(another_type(name, miss.to_string(), text.clone()));
            }
        }
        cases.push(another_type(
            "plain application/json",
            "application/json".into(),
            text.clone(),
        ));
        let half = text
            .char_indices()
            .nth(text.chars().count() / 2)
            .map_or(0, |(at, _)| at);
        cases.push(with(
            "malformed JSON",
            media.text.clone(),
            text[..half.max(1)].into(),
        ));
        let invalid = if api.schema(body_schema).kind == Some(Kind::String) {
            r#"{"schema": "invalid"}"#
        } else {
            r#""schema-invalid""#
        };
        cases.push(with(
            "schema-invalid body",
            media.text.clone(),
            invalid.into(),
        ));
        let mut stray = with("undocumented status", media.text.clone(), text);
        stray.answer.status = undocumented_status(&answers);
        cases.push(stray);
    }
    Ok(with_common_faults(operation, &answers, cases))
}

/// A status `answers` does not document.
fn undocumented_status(answers: &[Documented<'_>]) -> u16 {
    [409, 418, 500, 503]
        .into_iter()
        .find(|s| answers.iter().all(|a| a.status != *s))
        .unwrap_or(599)
}

/// `cases` and the faults every operation can meet, whatever its answer's type: error pages,
/// a plain-text 401, an empty 204.
fn with_common_faults(
    operation: &Operation,
    answers: &[Documented<'_>],
    mut cases: Vec<NegativeCase>,
) -> Vec<NegativeCase> {
    let page = |name, status, description: String| NegativeCase {
        name,
        answer: mock::Answer {
            status,
            content_type: Some(ERROR_PAGE_TYPE.into()),
            body: Some(error_page(status, &description)),
        },
        expect: Expect::Error,
    };
    let accept = operation.accept_header().unwrap_or_default();
    cases.push(page(
        "HTML 406 page",
        406,
        not_acceptable_description(&accept),
    ));
    if let Some(content_type) = operation.content_type() {
        cases.push(page(
            "HTML 415 page",
            415,
            unsupported_type_description(content_type),
        ));
    }
    cases.push(NegativeCase {
        name: "plain-text 401",
        answer: mock::Answer {
            status: 401,
            content_type: Some("text/plain".into()),
            body: Some("User not authenticated".into()),
        },
        expect: Expect::Error,
    });
    if answers.iter().all(|a| a.status != 204) {
        cases.push(NegativeCase {
            name: "empty 204",
            answer: mock::Answer {
                status: 204,
                content_type: None,
                body: None,
            },
            expect: Expect::ErrorOrEmpty,
        });
    }
    cases
}

/// What is wrong with the client's `outcome` of `case`, if anything.
pub fn check(case: &NegativeCase, outcome: &Outcome) -> Option<String> {
    match (outcome, case.expect) {
        (Outcome::Decoded(_), Expect::Read) => None,
        (_, Expect::Read) => Some(format!(
            "the answer's type differs only from a decision of the spec, which the client \
             must read, got {}",
            describe(outcome)
        )),
        (Outcome::Decoded(answer), Expect::ErrorOrEmpty)
            if answer.status == 204 && is_empty(&answer.body) =>
        {
            None
        }
        (Outcome::Decoded(_) | Outcome::Panicked(_), _) => Some(format!(
            "the client must refuse this answer, got {}",
            describe(outcome)
        )),
        _ => None,
    }
}

fn is_empty(body: &Value) -> bool {
    body.is_null() || body.as_object().is_some_and(|o| o.is_empty())
}
