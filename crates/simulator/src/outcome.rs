//! What the stages hand to the answer writer, before it has a wire form: the outcome of a
//! behaviour, or the refusal of whichever stage stopped the request.

use serde_json::Value;

/// Headers an answer carries besides its `Content-Type`.
pub(crate) type Headers = Vec<(&'static str, String)>;

/// What a behaviour did.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// Done: the documented success, with a body (a value of the answer's schema) or none.
    Done(Option<Value>),
    /// One page of a collection.
    Listed {
        page: Value,
        /// How many members the whole (filtered) collection has.
        total: usize,
        /// How many of them the page holds.
        shown: usize,
        /// Whether a filter chose the members.
        filtered: bool,
    },
    /// A plain-text success (the session calls), with its headers.
    Said {
        text: &'static str,
        headers: Headers,
    },
}

/// A request a stage refused.
#[derive(Debug)]
pub(crate) struct Refusal {
    pub status: u16,
    pub reason: Reason,
    pub headers: Headers,
}

/// Who refuses, and in what words.
#[derive(Debug)]
pub(crate) enum Reason {
    /// The container in front of the application (JBoss), with its HTML page whatever the
    /// operation documents: 404, 405, 406, 413, 415, an unreadable body.
    Page(String),
    /// The application, in the form the operation documents for the status.
    Message(String),
}

impl Refusal {
    /// The container's page for `status`, saying `description`.
    pub fn page(status: u16, description: impl Into<String>) -> Self {
        Self {
            status,
            reason: Reason::Page(description.into()),
            headers: Headers::new(),
        }
    }

    /// The application's answer `status`, saying `message`.
    pub fn message(status: u16, message: impl Into<String>) -> Self {
        Self {
            status,
            reason: Reason::Message(message.into()),
            headers: Headers::new(),
        }
    }

    /// 404 for `what` (`device 7`), as the application says it.
    pub fn not_found(what: &str) -> Self {
        Self::message(404, format!("{what} not found"))
    }

    pub fn with_header(mut self, name: &'static str, value: String) -> Self {
        self.headers.push((name, value));
        self
    }
}
