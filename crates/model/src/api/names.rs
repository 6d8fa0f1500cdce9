//! What a value names: walking an answer with its schema for the members its `x-identifies`
//! relations point at (a task names its job), or a schema alone for the operations its values
//! may name.

use std::collections::BTreeMap;

use serde_json::Value;

use super::Api;
use super::relation::Relation;
use super::schema::{Additional, Kind, SchemaId};

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

/// Where a value names a member through `x-identifies`: the operation that reads it, and where
/// each of its path parameters stands in the whole value (a JSON pointer from its root), so
/// that a client can put there the id of a member it chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// `getDevice`.
    pub operation_id: String,
    /// Where the value that names the member stands (`/task`).
    pub at: String,
    /// `device_id` → `/cli-configlet-mgmt/deviceId`.
    pub parameters: Vec<(String, String)>,
}

/// How deep a value is walked; deep enough for any answer of the spec, and a recursive
/// schema stops here.
const MAX_DEPTH: usize = 32;

impl Api {
    /// Every member `value` (a value of `schema`) names through `x-identifies`, outermost
    /// first. A value without a parameter the relation points at names nothing.
    pub fn identified(&self, schema: SchemaId, value: &Value) -> Vec<Identified> {
        self.references(schema, value)
            .into_iter()
            .filter_map(|reference| {
                let parameters = reference
                    .parameters
                    .iter()
                    .map(|(name, place)| Some((name.clone(), value.pointer(place)?.clone())))
                    .collect::<Option<_>>()?;
                Some(Identified {
                    operation_id: reference.operation_id,
                    parameters,
                    value: value.pointer(&reference.at)?.clone(),
                })
            })
            .collect()
    }

    /// Every place in `value` (a value of `schema`) where it names a member through
    /// `x-identifies`, outermost first; a relation whose parameters the value lacks is left out,
    /// and so is one whose member lies below the value's holder (`other-parameters: holder`),
    /// which the value alone does not name: [`Api::held_references`] finds those.
    pub fn references(&self, schema: SchemaId, value: &Value) -> Vec<Reference> {
        let mut found = Vec::new();
        self.walk_references(schema, value, Walk::default(), &mut found);
        found
    }

    /// Every place in `value` (the answer of a member's GET, a value of `schema`) where it
    /// names a member below that member (`other-parameters: holder`: a template's version
    /// numbers), with the parameters the value gives; the others are the holder's own.
    pub fn held_references(&self, schema: SchemaId, value: &Value) -> Vec<Reference> {
        let mut found = Vec::new();
        let walk = Walk {
            held: true,
            ..Walk::default()
        };
        self.walk_references(schema, value, walk, &mut found);
        found
    }

    fn walk_references(&self, id: SchemaId, value: &Value, walk: Walk, found: &mut Vec<Reference>) {
        let Walk { at, depth, held } = walk;
        if depth > MAX_DEPTH {
            return;
        }
        let schema = self.schema(id);
        let deeper = |at: String| Walk {
            at,
            depth: depth + 1,
            held,
        };
        // A list of one written as the member itself, as real servers write it (`"version": 2`
        // for `[2]`), is walked as its one item.
        if schema.kind == Some(Kind::Array)
            && !value.is_array()
            && !value.is_null()
            && let Some(item_schema) = schema.items
        {
            self.walk_references(item_schema, value, deeper(at), found);
            return;
        }
        if let Some(relation) = &schema.identifies
            && relation.held == held
        {
            let parameters: Vec<(String, String)> = relation
                .parameters
                .iter()
                .filter(|(_, place)| value.pointer(place).is_some())
                .map(|(name, place)| (name.clone(), format!("{at}{place}")))
                .collect();
            if parameters.len() == relation.parameters.len() {
                found.push(Reference {
                    operation_id: relation.operation_id.clone(),
                    at: at.clone(),
                    parameters,
                });
            }
        }
        let escape = |token: &str| token.replace('~', "~0").replace('/', "~1");
        match value {
            Value::Object(members) => {
                for (name, member) in members {
                    if let Some(member_schema) = schema.member_schema(name) {
                        let at = format!("{at}/{}", escape(name));
                        self.walk_references(member_schema, member, deeper(at), found);
                    }
                }
            }
            Value::Array(items) => {
                if let Some(item_schema) = schema.items {
                    for (index, item) in items.iter().enumerate() {
                        let at = format!("{at}/{index}");
                        self.walk_references(item_schema, item, deeper(at), found);
                    }
                }
            }
            _ => {}
        }
    }

    /// The operationIds whose members a value of `schema` may name (a task answer: `getJob`),
    /// read from the schema alone; each once, in the order met. A relation to a member below
    /// the value's holder is no such name (a template does not name its versions on its own).
    pub fn identifiable(&self, schema: SchemaId) -> Vec<String> {
        let mut found: Vec<String> = Vec::new();
        for relation in self.relations_within(schema) {
            if !relation.held && !found.contains(&relation.operation_id) {
                found.push(relation.operation_id.clone());
            }
        }
        found
    }

    /// Every `x-identifies` relation a value of `schema` may hold, read from the schema alone,
    /// outermost first.
    pub fn relations_within(&self, schema: SchemaId) -> Vec<&Relation> {
        let mut found = Vec::new();
        self.walk_relations(schema, 0, &mut found);
        found
    }

    fn walk_relations<'a>(&'a self, id: SchemaId, depth: usize, found: &mut Vec<&'a Relation>) {
        if depth > MAX_DEPTH {
            return;
        }
        let schema = self.schema(id);
        if let Some(relation) = &schema.identifies {
            found.push(relation);
        }
        let members = schema.properties.iter().map(|p| p.schema);
        let nested = schema.items.into_iter().chain(match schema.additional {
            Additional::Each(each) => Some(each),
            _ => None,
        });
        for member in members.chain(nested) {
            self.walk_relations(member, depth + 1, found);
        }
    }
}

/// Where a walk for references stands, and which relations it collects.
#[derive(Debug, Default)]
struct Walk {
    /// JSON pointer of the value walked, from the root.
    at: String,
    depth: usize,
    /// Relations to members below the value's holder, instead of those the value names alone.
    held: bool,
}
