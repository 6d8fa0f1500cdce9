//! The one error type of this crate: what is wrong, where in the document, and what to do.

use std::fmt;

/// A fault in the spec, located by JSON pointer (or by line and column for YAML syntax).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// JSON pointer to the offending node; empty for the whole document.
    pub pointer: String,
    /// Line and column (1-based) when the YAML itself could not be read.
    pub location: Option<(usize, usize)>,
    /// What is wrong.
    pub message: String,
    /// What the author of the spec can do about it.
    pub hint: String,
}

impl SpecError {
    /// A fault at `pointer`.
    pub fn at(
        pointer: impl Into<String>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Self {
            pointer: pointer.into(),
            location: None,
            message: message.into(),
            hint: hint.into(),
        }
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.location {
            Some((line, column)) => write!(f, "at line {line}, column {column}")?,
            None => write!(f, "at #{}", self.pointer)?,
        }
        write!(f, ": {}", self.message)?;
        if !self.hint.is_empty() {
            write!(f, "\n  hint: {}", self.hint)?;
        }
        Ok(())
    }
}

impl std::error::Error for SpecError {}
