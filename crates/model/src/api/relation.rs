//! `x-identifies`: a schema whose values name a member another operation reads (a task names
//! its job), kept as data so that following an answer to what it names needs no code per
//! operation.

use std::collections::BTreeMap;

use serde_json::Value;

use super::Api;
use super::schema::SchemaId;
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
}

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
        Ok(Self {
            operation_id: operation_id.to_owned(),
            parameters,
            pointer: at.to_owned(),
        })
    }
}

/// A member an answer names: the operation that reads it, and its path parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Identified {
    /// `getJob`.
    pub operation_id: String,
    /// `job_id` → `3997704`, as the answer writes it.
    pub parameters: BTreeMap<String, Value>,
    /// The value that names it (the task), for what else it says (its `@href`).
    pub value: Value,
}

/// How deep a value is walked; deep enough for any answer of the spec, and a recursive
/// schema stops here.
const MAX_DEPTH: usize = 32;

impl Api {
    /// Every member `value` (a value of `schema`) names through `x-identifies`, outermost
    /// first. A value without a parameter the relation points at names nothing.
    pub fn identified(&self, schema: SchemaId, value: &Value) -> Vec<Identified> {
        let mut found = Vec::new();
        self.walk_identified(schema, value, 0, &mut found);
        found
    }

    /// The operationIds whose members a value of `schema` may name (a task answer: `getJob`),
    /// read from the schema alone; each once, in the order met.
    pub fn identifiable(&self, schema: SchemaId) -> Vec<String> {
        let mut found = Vec::new();
        self.walk_identifiable(schema, 0, &mut found);
        found
    }

    fn walk_identifiable(&self, id: SchemaId, depth: usize, found: &mut Vec<String>) {
        if depth > MAX_DEPTH {
            return;
        }
        let schema = self.schema(id);
        if let Some(relation) = &schema.identifies
            && !found.contains(&relation.operation_id)
        {
            found.push(relation.operation_id.clone());
        }
        let members = schema.properties.iter().map(|p| p.schema);
        let nested = schema.items.into_iter().chain(match schema.additional {
            super::schema::Additional::Each(each) => Some(each),
            _ => None,
        });
        for member in members.chain(nested) {
            self.walk_identifiable(member, depth + 1, found);
        }
    }

    fn walk_identified(
        &self,
        id: SchemaId,
        value: &Value,
        depth: usize,
        found: &mut Vec<Identified>,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let schema = self.schema(id);
        if let Some(relation) = &schema.identifies {
            let parameters: BTreeMap<String, Value> = relation
                .parameters
                .iter()
                .filter_map(|(name, place)| Some((name.clone(), value.pointer(place)?.clone())))
                .collect();
            if parameters.len() == relation.parameters.len() {
                found.push(Identified {
                    operation_id: relation.operation_id.clone(),
                    parameters,
                    value: value.clone(),
                });
            }
        }
        match value {
            Value::Object(members) => {
                for (name, member) in members {
                    if let Some(member_schema) = schema.member_schema(name) {
                        self.walk_identified(member_schema, member, depth + 1, found);
                    }
                }
            }
            Value::Array(items) => {
                if let Some(item_schema) = schema.items {
                    for item in items {
                        self.walk_identified(item_schema, item, depth + 1, found);
                    }
                }
            }
            _ => {}
        }
    }
}
