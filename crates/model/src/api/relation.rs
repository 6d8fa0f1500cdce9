//! `x-identifies`: a schema whose values name a member another operation reads (a task names
//! its job), kept as data so that following an answer to what it names needs no code per
//! operation. Values are walked for what they name in [`super::names`]. With
//! `other-parameters: holder`, a value names a member below the one whose answer holds it (a
//! template's version numbers name `{template_version}` below that template): the operation's
//! path parameters the relation does not give are the holding member's own, and
//! [`super::sources`] finds the values there.

use serde_json::Value;

use crate::{SpecError, X_IDENTIFIES, pointer};

/// What values of a schema name: the operation that reads the member, and where each of its
/// path parameters stands inside the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    /// `getJob`.
    pub operation_id: String,
    /// `job_id` → `/id`, in document order.
    pub parameters: Vec<(String, String)>,
    /// Where the extension stands.
    pub pointer: String,
    /// `other-parameters: holder`: the value names a member below the member whose answer
    /// holds it, and the operation's path parameters [`Self::parameters`] leaves out are that
    /// member's own (`template_id` for a template's version numbers).
    pub held: bool,
}

/// The one value `other-parameters` takes.
const HOLDER: &str = "holder";

impl Relation {
    pub(crate) fn read(value: &Value, at: &str) -> Result<Self, SpecError> {
        let bad = |why: &str| {
            SpecError::at(
                at,
                format!("{X_IDENTIFIES} {why}"),
                "write {operationId: ID, parameters: {NAME: /json/pointer}}",
            )
        };
        let operation_id = value
            .get("operationId")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("names no operationId"))?;
        let pointers = value
            .get("parameters")
            .and_then(Value::as_object)
            .ok_or_else(|| bad("has no parameters"))?;
        let parameters = pointers
            .iter()
            .map(|(name, place)| {
                place
                    .as_str()
                    .filter(|place| place.is_empty() || place.starts_with('/'))
                    .map(|place| (name.clone(), place.to_owned()))
                    .ok_or_else(|| {
                        SpecError::at(
                            pointer::join(&pointer::join(at, "parameters"), name),
                            format!("{place} is not a JSON pointer"),
                            "write where the value holds the parameter: /id",
                        )
                    })
            })
            .collect::<Result<_, _>>()?;
        let held = match value.get("other-parameters") {
            None => false,
            Some(Value::String(holder)) if holder == HOLDER => true,
            Some(_) => {
                return Err(SpecError::at(
                    pointer::join(at, "other-parameters"),
                    "other-parameters takes one value, holder",
                    "write other-parameters: holder, or leave it out",
                ));
            }
        };
        Ok(Self {
            operation_id: operation_id.to_owned(),
            parameters,
            pointer: at.to_owned(),
            held,
        })
    }
}
