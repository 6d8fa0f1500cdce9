//! Why a `filter`, `sortby` or `paging` value cannot be read.

use std::fmt;

/// The query parameter a [`QueryError`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Parameter {
    /// `filter`
    Filter,
    /// `sortby`
    SortBy,
    /// `paging`
    Paging,
}

impl Parameter {
    /// The parameter's name in a URL.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Filter => "filter",
            Self::SortBy => "sortby",
            Self::Paging => "paging",
        }
    }
}

impl fmt::Display for Parameter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A value that is not in the grammar, or names a field the caller does not know. Written
/// as `parameter: message` (`filter: unknown field `colour``), which is what the simulator
/// answers with its 400.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{parameter}: {message}")]
pub struct QueryError {
    /// The parameter whose value was refused.
    pub parameter: Parameter,
    /// What is wrong with it.
    pub message: String,
}

impl QueryError {
    pub(crate) fn new(parameter: Parameter, message: impl Into<String>) -> Self {
        Self {
            parameter,
            message: message.into(),
        }
    }
}
