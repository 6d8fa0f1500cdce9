//! The ordered table of every change the xtask makes to what progenitor writes: rewrites of
//! the client and of the mocks. (What progenitor is given is the model, lowered once by
//! `lower.rs`: no step changes the spec.)
//!
//! Each step reports how many places it changed. A step that changes nothing fails generation
//! (k8s-openapi's "fix-up never applied" rule): a rewrite the spec no longer needs, or one
//! that no longer finds progenitor's shape, would otherwise sit in the table as dead code
//! while the output quietly changes. `xtask/tests/steps.rs` runs each step on a small
//! fixture spec and keeps the diff it makes as a snapshot.

use std::collections::BTreeMap;

use junos_space_model::api::Api;

use crate::wire::Wire;
use crate::{lenient, mock, runtime_glue, wire};

/// What every step may read: the model of the API, and each method's wire facts keyed by
/// progenitor's snake-case operation id.
pub struct Input<'a> {
    pub api: &'a Api,
    pub wire: &'a BTreeMap<String, Wire>,
}

/// A rewrite of a file progenitor wrote.
pub type Rewrite = fn(&Input<'_>, &mut syn::File) -> Result<usize, String>;

/// What a step changes.
#[derive(Clone, Copy)]
pub enum Action {
    /// The client (`src/client.rs`), after progenitor.
    Client(Rewrite),
    /// The httpmock helpers (`src/mock.rs`), after progenitor.
    Mock(Rewrite),
}

/// One named step of the table.
#[derive(Clone, Copy)]
pub struct Step {
    /// A stable kebab-case name: error messages and snapshot files use it.
    pub name: &'static str,
    pub action: Action,
}

/// Every step, in the order it runs.
pub const STEPS: &[Step] = &[
    Step {
        name: "exact-media-types-on-the-wire",
        action: Action::Client(wire::rewrite),
    },
    Step {
        name: "call-sketches-as-text",
        action: Action::Client(crate::docs::sketches_as_text),
    },
    Step {
        name: "tolerant-fields",
        action: Action::Client(lenient::annotate),
    },
    Step {
        name: "new-without-runtime",
        action: Action::Client(runtime_glue::client::new_without_runtime),
    },
    Step {
        name: "text-answers-as-strings",
        action: Action::Client(runtime_glue::answers::text_answers_as_strings),
    },
    Step {
        name: "answers-through-runtime",
        action: Action::Client(runtime_glue::answers::answers_through_runtime),
    },
    Step {
        name: "optional-query-only-when-set",
        action: Action::Client(runtime_glue::requests::optional_query_when_set),
    },
    Step {
        name: "urls-from-the-parsed-base",
        action: Action::Client(runtime_glue::requests::urls_from_the_parsed_base),
    },
    Step {
        name: "exec-hook-only",
        action: Action::Client(runtime_glue::requests::exec_hook_only),
    },
    Step {
        name: "session-table",
        action: Action::Client(runtime_glue::client::session_table),
    },
    Step {
        name: "client-constants",
        action: Action::Client(runtime_glue::client::constants),
    },
    Step {
        name: "operation-traits",
        action: Action::Client(runtime_glue::traits::operation_traits),
    },
    Step {
        name: "collection-traits",
        action: Action::Client(runtime_glue::traits::collection_traits),
    },
    // Last of the client rewrites: the ones above find each `send` by progenitor's shape.
    Step {
        name: "sends-give-one-error",
        action: Action::Client(runtime_glue::errors::sends_give_one_error),
    },
    Step {
        name: "mock-requests",
        action: Action::Mock(mock::expect_requests),
    },
    Step {
        name: "mock-answers",
        action: Action::Mock(mock::answer_documented_types),
    },
    Step {
        name: "mock-by-operation-id",
        action: Action::Mock(mock::dispatcher),
    },
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
