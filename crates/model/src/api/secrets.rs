//! Values a schema marks as secrets (`format: password`), masked where a value is shown to
//! people: a dry run's request, a log line.

use serde_json::Value;

use super::Api;
use super::schema::{Format, SchemaId};

/// What a secret is shown as.
pub const MASK: &str = "********";

/// How deep a value is walked; a spec's schemas nest far less.
const MAX_DEPTH: usize = 64;

impl Api {
    /// `value` (a value of `schema`) with every string its schema marks `format: password`
    /// replaced by [`MASK`].
    pub fn masked(&self, schema: SchemaId, value: &Value) -> Value {
        let mut value = value.clone();
        self.mask(schema, &mut value, 0);
        value
    }

    fn mask(&self, id: SchemaId, value: &mut Value, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let schema = self.schema(id);
        match value {
            Value::String(text) if schema.format == Some(Format::Password) => {
                *text = MASK.to_owned();
            }
            Value::Object(members) => {
                for (name, member) in members {
                    if let Some(member_schema) = schema.member_schema(name) {
                        self.mask(member_schema, member, depth + 1);
                    }
                }
            }
            Value::Array(items) => {
                if let Some(item_schema) = schema.items {
                    for item in items {
                        self.mask(item_schema, item, depth + 1);
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn passwords_are_masked_wherever_they_stand_and_nothing_else_is() {
        let api = Api::bundled().expect("the bundled spec reads");
        let discover = api.operation("discoverDevice").expect("in the spec");
        let schema = discover
            .request
            .as_ref()
            .and_then(|body| body.content.schema)
            .expect("a body schema");
        let body = json!({"discover-devices": {
            "ipAddressDiscoveryTarget": {"ipAddress": "192.0.2.1"},
            "sshCredential": {"userName": "admin", "password": "hunter2"}
        }});
        let masked = api.masked(schema, &body);
        assert_eq!(
            masked["discover-devices"]["sshCredential"]["password"],
            MASK
        );
        assert_eq!(
            masked["discover-devices"]["sshCredential"]["userName"],
            "admin"
        );
        assert_eq!(
            masked["discover-devices"]["ipAddressDiscoveryTarget"],
            body["discover-devices"]["ipAddressDiscoveryTarget"]
        );
    }
}
