//! Where each expectation of a probe comes from, and so what breaking it means: a documented
//! fact (a form the spec documents, or what a source shows of every Junos Space), whose breach
//! fails the run; or a decision, the spec's (`x-decision`) or the kit's own, whose breach is a
//! warning naming the decision, since a server that differs from a decision may well be right.
//!
//! The kit's own decisions are the [`KitDecision`] constants below, each a row of
//! `crates/conformance/README.md` ("Decisions of the kit").

use std::fmt;

use junos_space_model::api::{Decision, Provenance};

/// Where an expectation comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ground {
    /// A fact: a form the spec documents, a behaviour a source of
    /// `../shared/junos-space-behaviour.md` shows, or what HTTP itself says.
    Fact,
    /// A form the spec decided where its sources are silent (`x-decision`).
    Spec(Decision),
    /// What the kit decided where neither the spec nor a source says.
    Kit(&'static KitDecision),
}

/// A decision of the kit: a row of `crates/conformance/README.md` ("Decisions of the kit").
#[derive(Debug, PartialEq, Eq)]
pub struct KitDecision {
    /// The row's id (`plain-json-refused`).
    pub id: &'static str,
    /// What is expected, in a few words.
    pub expects: &'static str,
}

/// Plain `application/json` is refused (406 in `Accept`, 415 as `Content-Type`) by every
/// operation: the sources show it refused by many services, not by all.
pub const PLAIN_JSON_REFUSED: KitDecision = KitDecision {
    id: "plain-json-refused",
    expects: "plain application/json is refused by every operation",
};

/// `Accept: */*` is served like the exact type: HTTP says a server may, no source shows Junos
/// Space doing it.
pub const ANY_ACCEPT_SERVED: KitDecision = KitDecision {
    id: "any-accept-served",
    expects: "Accept */* is served like the type the spec names",
};

/// `Content-Type: */*` is refused with 415: a range is no body's type, but no source shows it.
pub const ANY_CONTENT_TYPE_REFUSED: KitDecision = KitDecision {
    id: "any-content-type-refused",
    expects: "Content-Type */* is refused with 415",
};

/// An id no member has is refused with some 4xx where the spec documents no 404 for the
/// operation: a real server refuses an unknown member, but with which status is not known.
pub const UNKNOWN_ID_REFUSED: KitDecision = KitDecision {
    id: "unknown-id-refused",
    expects: "an unknown id is refused with a 4xx where no 404 is documented",
};

/// A job's state and percent never go back, read after read and from the job to its
/// progress-update: every source shows one reading of a job, none shows two.
pub const JOB_NEVER_GOES_BACK: KitDecision = KitDecision {
    id: "job-never-goes-back",
    expects: "a job's state and percent never go back, read after read and view after view",
};

/// A link to another resource (a tag's target, a package's associated device) leads to one
/// the server has: the sources show references to live objects only, none says what becomes
/// of one whose object was deleted.
pub const REFERENCES_RESOLVE: KitDecision = KitDecision {
    id: "references-resolve",
    expects: "a link to another resource leads to one the server has",
};

/// After a PUT replaces a document (a settings document), a read of it shows the values
/// written: RFC 9110 section 9.3.4 says a successful PUT only suggests that, and no source
/// shows a Junos Space server reading back what it was sent (it may normalise a value).
pub const PUT_READS_BACK: KitDecision = KitDecision {
    id: "put-reads-back",
    expects: "a document read after its PUT shows the values written",
};

/// Every decision of the kit, for its README to list.
pub const KIT_DECISIONS: [&KitDecision; 7] = [
    &PLAIN_JSON_REFUSED,
    &ANY_ACCEPT_SERVED,
    &ANY_CONTENT_TYPE_REFUSED,
    &UNKNOWN_ID_REFUSED,
    &JOB_NEVER_GOES_BACK,
    &REFERENCES_RESOLVE,
    &PUT_READS_BACK,
];

impl Ground {
    /// The ground of one form of the model: a fact when documented, else its decision.
    pub fn of(provenance: &Provenance) -> Self {
        match provenance.decision() {
            None => Self::Fact,
            Some(decision) => Self::Spec(decision.clone()),
        }
    }

    /// The ground of a choice among forms (the media types a status documents, the success
    /// statuses of an operation): a fact when any of them is documented, since an answer
    /// outside them all then breaks a documented form; else the first decision. None at all
    /// is a fact: the spec documents that there is nothing.
    pub fn of_any<'a>(provenances: impl IntoIterator<Item = &'a Provenance>) -> Self {
        let mut first_decision = None;
        for provenance in provenances {
            match provenance.decision() {
                None => return Self::Fact,
                Some(decision) => {
                    first_decision.get_or_insert_with(|| decision.clone());
                }
            }
        }
        first_decision.map_or(Self::Fact, Self::Spec)
    }

    /// This ground, or `other` when this one is a fact: an expectation that rests on two (a
    /// decided expectation of documented forms) is as decided as its least documented part.
    pub fn or(&self, other: Ground) -> Ground {
        match self {
            Self::Fact => other,
            decided => decided.clone(),
        }
    }

    /// True when breaking it fails the run.
    pub fn is_fact(&self) -> bool {
        matches!(self, Self::Fact)
    }

    /// The decision's id, when it is one.
    pub fn decision_id(&self) -> Option<&str> {
        match self {
            Self::Fact => None,
            Self::Spec(decision) => Some(decision.id()),
            Self::Kit(decision) => Some(decision.id),
        }
    }
}

impl fmt::Display for Ground {
    /// `documented`, or the decision and where its row is.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Fact => f.write_str("documented"),
            Self::Spec(decision) => write!(f, "decision `{}`, spec/README.md", decision.id()),
            Self::Kit(decision) => write!(
                f,
                "decision `{}` of the kit, crates/conformance/README.md",
                decision.id
            ),
        }
    }
}

/// One way an answer falls short of an expectation, and where the expectation comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub text: String,
    pub ground: Ground,
}

impl Problem {
    /// A problem with a documented fact.
    pub fn fact(text: impl Into<String>) -> Self {
        Self::on(Ground::Fact, text)
    }

    /// A problem with an expectation of `ground`.
    pub fn on(ground: Ground, text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            ground,
        }
    }
}

impl fmt::Display for Problem {
    /// The text; a decision's is followed by the decision: `... [decision `x`, spec/README.md]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)?;
        if !self.ground.is_fact() {
            write!(f, " [{}]", self.ground)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shared::fixture::{api_with_schemas, named};

    /// Two decisions as the model reads them from a document.
    fn decisions() -> (Provenance, Provenance) {
        let api = api_with_schemas(
            "    A: {type: string, x-decision: first-decision}\n    \
             B: {type: string, x-decision: second-decision}\n",
        );
        let provenance = |name| api.schema(named(&api, name)).provenance.clone();
        (provenance("A"), provenance("B"))
    }

    #[test]
    fn a_choice_is_a_fact_when_any_form_is_documented() {
        let (first, second) = decisions();
        let documented = Provenance::Documented;
        assert_eq!(Ground::of_any([&first, &documented]), Ground::Fact);
        assert_eq!(
            Ground::of_any([&first, &second]).decision_id(),
            Some("first-decision")
        );
        assert_eq!(Ground::of_any([]), Ground::Fact);
        assert_eq!(Ground::of(&second).decision_id(), Some("second-decision"));
    }

    #[test]
    fn a_decided_expectation_stays_decided_and_says_where_its_row_is() {
        let (first, _) = decisions();
        let kit = Ground::Kit(&PLAIN_JSON_REFUSED);
        assert_eq!(kit.or(Ground::of(&first)), kit);
        assert_eq!(Ground::Fact.or(kit.clone()), kit);
        assert!(!kit.is_fact() && Ground::Fact.is_fact());
        let problem = Problem::on(
            Ground::of(&first),
            "`@size` counts 6 members, the answer holds 5",
        );
        assert_eq!(
            problem.to_string(),
            "`@size` counts 6 members, the answer holds 5 [decision `first-decision`, spec/README.md]"
        );
        assert_eq!(Problem::fact("expected 406").to_string(), "expected 406");
    }

    #[test]
    fn every_decision_of_the_kit_has_its_row_in_the_readme() {
        let readme = include_str!("../../README.md");
        for decision in KIT_DECISIONS {
            assert!(
                readme.contains(&format!("| `{}` |", decision.id)),
                "crates/conformance/README.md has no row for `{}`",
                decision.id
            );
        }
    }
}
