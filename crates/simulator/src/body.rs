//! Stage 4, body reading: for an operation that takes a body, the body read (413 past
//! [`MAX_BODY_BYTES`]), parsed as JSON and held to its schema, each failing a 400 that says
//! why. Realism decides how literally the schema is read; a deviation may skip the check.

use std::future::Future;

use bytes::Bytes;
use junos_space_model::api::{Decision, Finding, Operation, Reading, SchemaId};
use junos_space_model::{Api, OPEN_VOCABULARIES};
use serde_json::Value;

use crate::outcome::Refusal;

/// Largest request body read; larger ones are answered 413.
pub(crate) const MAX_BODY_BYTES: usize = 1 << 20;

/// How this stage decides.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rules {
    /// How literally a body is held to its schema: the real server's forms, or the schema's.
    pub reading: Reading,
    /// What a body breaks of its schema; nothing is a body the stage takes.
    pub check: fn(&Api, SchemaId, &Value, Reading) -> Vec<Finding>,
}

impl Rules {
    /// Bodies held to their schema, read as `reading` says.
    pub fn reading(reading: Reading) -> Self {
        Self {
            reading,
            check: Api::validate,
        }
    }

    /// The body `operation` takes, as JSON; `None` for an operation without one, whose body
    /// is never read.
    pub async fn read<F, Fut>(
        &self,
        api: &Api,
        operation: &Operation,
        read_body: F,
    ) -> Result<Option<Value>, Refusal>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Bytes, Refusal>>,
    {
        let Some(request) = &operation.request else {
            return Ok(None);
        };
        let bytes = read_body().await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(Refusal::message(400, "the request needs a body"));
        }
        let value: Value = serde_json::from_slice(&bytes)
            .map_err(|e| Refusal::message(400, format!("the body is not JSON: {e}")))?;
        if let Some(schema) = request.content.schema
            && let Some(finding) = (self.check)(api, schema, &value, self.reading)
                .into_iter()
                // A documented vocabulary is open: a value outside it is taken.
                .find(|finding| {
                    finding.decision.as_ref().map(Decision::id) != Some(OPEN_VOCABULARIES)
                })
        {
            let why = format!("the body does not match the schema: {finding}");
            return Err(Refusal::message(400, why));
        }
        Ok(Some(value))
    }
}

/// The accept-invalid-body deviation: any JSON is taken.
pub(crate) fn takes_any_json(_: &Api, _: SchemaId, _: &Value, _: Reading) -> Vec<Finding> {
    Vec::new()
}
