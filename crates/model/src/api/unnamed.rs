//! Members a value holds that its schema does not name: what a person typed that a server
//! would ignore (or a generated type drop) without a word, such as a misspelt deploy option.
//! JSON Schema allows them, so validation does not find them; a command that changes devices
//! asks for them to refuse what it does not understand.

use serde_json::Value;

use super::Api;
use super::schema::{Additional, SchemaId};

/// A member the schema names no property for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unnamed {
    /// Where it stands in the value (`/exec-deploy/deployOptions/valdiate`).
    pub at: String,
    /// The members the schema names there, in document order.
    pub known: Vec<String>,
}

/// How deep a value is walked; a recursive schema stops here.
const MAX_DEPTH: usize = 32;

impl Api {
    /// Every member of `value` (a value of `schema`) that its object schema names no property
    /// for, outermost first. An object schema that takes any member (`additionalProperties`
    /// with a schema, or one naming no property) has none.
    pub fn unnamed_members(&self, schema: SchemaId, value: &Value) -> Vec<Unnamed> {
        let mut found = Vec::new();
        self.walk_unnamed(schema, value, String::new(), 0, &mut found);
        found
    }

    fn walk_unnamed(
        &self,
        id: SchemaId,
        value: &Value,
        at: String,
        depth: usize,
        found: &mut Vec<Unnamed>,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let schema = self.schema(id);
        match value {
            // One member of a list sent as the member itself (a real server's form).
            Value::Object(_) if schema.properties.is_empty() && schema.items.is_some() => {
                if let Some(item) = schema.items {
                    self.walk_unnamed(item, value, at, depth + 1, found);
                }
            }
            Value::Object(members) => {
                let names_members = !schema.properties.is_empty()
                    && !matches!(schema.additional, Additional::Each(_));
                for (name, member) in members {
                    let place = format!("{at}/{}", name.replace('~', "~0").replace('/', "~1"));
                    match schema.member_schema(name) {
                        Some(member_schema) => {
                            self.walk_unnamed(member_schema, member, place, depth + 1, found);
                        }
                        None if names_members => found.push(Unnamed {
                            at: place,
                            known: schema.properties.iter().map(|p| p.name.clone()).collect(),
                        }),
                        None => {}
                    }
                }
            }
            Value::Array(items) => {
                if let Some(item) = schema.items {
                    for (index, member) in items.iter().enumerate() {
                        let place = format!("{at}/{index}");
                        self.walk_unnamed(item, member, place, depth + 1, found);
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelt_member_is_found_with_the_names_it_could_have_been() {
        let api = Api::bundled().expect("the bundled spec reads");
        let deploy = api.operation("execDeploy").expect("listed");
        let schema = deploy
            .request
            .as_ref()
            .and_then(|r| r.content.schema)
            .expect("a body");
        let body = serde_json::json!({"exec-deploy": {
            "devices": {"device": [{"@href": "/api/space/device-management/devices/1"}]},
            "deployOptions": {"valdiate": true, "rebootDevice": false},
        }});
        let unnamed = api.unnamed_members(schema, &body);
        assert_eq!(unnamed.len(), 1, "{unnamed:?}");
        assert_eq!(unnamed[0].at, "/exec-deploy/deployOptions/valdiate");
        assert!(unnamed[0].known.iter().any(|name| name == "validate"));
        let clean = serde_json::json!({"exec-deploy": {
            "devices": {"device": {"@href": "/api/space/device-management/devices/1"}},
            "deployOptions": {"validate": true},
        }});
        assert!(api.unnamed_members(schema, &clean).is_empty());
        // Inside a one-member list written as the member itself, too.
        let one = serde_json::json!({"exec-deploy": {
            "devices": {"device": {"@href": "/d/1", "hreff": "x"}},
        }});
        let unnamed = api.unnamed_members(schema, &one);
        assert_eq!(unnamed.len(), 1, "{unnamed:?}");
        assert_eq!(unnamed[0].at, "/exec-deploy/devices/device/hreff");
    }
}
