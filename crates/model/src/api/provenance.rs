//! Where each form of the document comes from: a source that documents it (a Juniper reference
//! page, a capture of a real server, a Juniper client), or a decision of this project where the
//! sources are silent, named by its row in `spec/README.md` ("Decisions").
//!
//! The products read the two differently: a server that differs from a documented form is
//! wrong; one that differs from a decision may well be right, so the client reads liberally
//! there, `check-server` warns instead of failing, and the simulator takes what the decision
//! left out.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

use crate::SpecError;

/// Where one form (a media type, a status, a member, a count attribute, a value's
/// constraints) comes from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Provenance {
    /// A source documents it: the operation's `x-source` names the sources.
    #[default]
    Documented,
    /// The sources are silent and this project decided (`x-decision` at the form).
    Decided(Decision),
}

impl Provenance {
    /// The decision, if the form is one.
    pub fn decision(&self) -> Option<&Decision> {
        match self {
            Self::Documented => None,
            Self::Decided(decision) => Some(decision),
        }
    }

    /// True when the form is a decision of this project.
    pub fn is_decided(&self) -> bool {
        matches!(self, Self::Decided(_))
    }

    /// This provenance, or `other` when this one is documented: a form made of two (a
    /// member decided inside a documented body) is as decided as its least documented part.
    pub fn or(&self, other: &Provenance) -> Provenance {
        match self {
            Self::Decided(_) => self.clone(),
            Self::Documented => other.clone(),
        }
    }
}

/// A decision of this project: the id of its row in `spec/README.md` ("Decisions").
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Decision {
    id: String,
}

impl Decision {
    /// The row's id (`session-answers-text`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The decision with the row `id`, for a form the model itself marks decided.
    pub(crate) fn named(id: &str) -> Self {
        Self { id: id.to_owned() }
    }

    /// Reads an `x-decision` value standing at `at`.
    pub(crate) fn read(value: &Value, at: &str) -> Result<Self, SpecError> {
        let id = value
            .as_str()
            .filter(|id| {
                !id.is_empty()
                    && id
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            })
            .ok_or_else(|| {
                SpecError::at(
                    at,
                    format!("x-decision must name a decision in kebab case, found {value}"),
                    "write the id of the decision's row in spec/README.md: x-decision: \
                     session-answers-text",
                )
            })?;
        Ok(Self { id: id.to_owned() })
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "decision `{}` (spec/README.md)", self.id)
    }
}

/// Every decision the document names, with the first place it is named.
pub(crate) type DecisionsNamed = BTreeMap<Decision, String>;
