//! The ordered table of every change the xtask makes to what progenitor writes: rewrites of
//! the client and of the mocks. (What progenitor is given is the model, lowered once by
//! `lower.rs`: no step changes the spec.)
//!
//! Each step is a function over the two models, the API's (`crate::context::Context`) and the
//! generated client's (`crate::progenitor_output::Generated`), and reports how many places it
//! changed. A step that changes nothing fails generation (k8s-openapi's "fix-up never
//! applied" rule): a rewrite the spec no longer needs, or one that no longer finds
//! progenitor's shape, would otherwise sit in the table as dead code while the output quietly
//! changes. `xtask/tests/steps.rs` runs each step on a small fixture spec and keeps the diff
//! it makes as a snapshot.
//!
//! This table imports the steps; no step imports it.

use crate::context::Rewrite;
use crate::{deserialize_tables, docs, features, lenient, mock, runtime_glue, secrets, wire};

/// Which of progenitor's files a step changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// The client (`src/client.rs`).
    Client,
    /// The httpmock helpers (`src/mock.rs`).
    Mock,
}

/// One named step of the table.
#[derive(Clone, Copy)]
pub struct Step {
    /// A stable kebab-case name: error messages and snapshot files use it.
    pub name: &'static str,
    pub part: Part,
    pub run: Rewrite,
}

const fn client(name: &'static str, run: Rewrite) -> Step {
    Step {
        name,
        part: Part::Client,
        run,
    }
}

const fn mock(name: &'static str, run: Rewrite) -> Step {
    Step {
        name,
        part: Part::Mock,
        run,
    }
}

/// Every step, in the order it runs.
pub const STEPS: &[Step] = &[
    client("exact-media-types-on-the-wire", wire::exact_media_types),
    client("call-sketches-as-text", docs::sketches_as_text),
    client("tolerant-fields", lenient::tolerant_fields),
    client("secrets-hidden-in-debug", secrets::hidden_in_debug),
    client(
        "count-under-either-name",
        runtime_glue::counts::count_under_either_name,
    ),
    // Last of the steps that set serde's field arguments: it turns them into tables.
    client(
        "deserialize-by-table",
        deserialize_tables::deserialize_by_table,
    ),
    client(
        "new-without-runtime",
        runtime_glue::client::new_without_runtime,
    ),
    client(
        "optional-query-only-when-set",
        runtime_glue::requests::optional_query_when_set,
    ),
    client(
        "urls-from-the-parsed-base",
        runtime_glue::requests::urls_from_the_parsed_base,
    ),
    client("collection-table", runtime_glue::tables::collection_table),
    // Last of the client steps: the ones above read each `send` as progenitor wrote it.
    client("operation-table", runtime_glue::tables::operation_table),
    client("service-features", features::gate_client),
    client("serialize-where-sent", features::serialize_where_sent),
    mock("mock-requests", mock::expect_requests),
    mock("mock-answers", mock::answer_documented_types),
    mock("mock-answer-table", mock::answer_table),
    mock("mock-service-features", features::gate_mocks),
];

/// The message of a step that changed nothing.
pub fn never_applied(step: &Step) -> String {
    format!(
        "step `{}` changed nothing: the spec no longer needs it or progenitor's output no \
         longer has the shape it rewrites; remove or update it in xtask/src/steps.rs",
        step.name
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique() {
        let mut names: Vec<&str> = STEPS.iter().map(|s| s.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), STEPS.len(), "two steps share a name");
    }
}
