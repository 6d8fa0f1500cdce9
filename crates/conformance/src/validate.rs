//! Checks a JSON value against a schema of the spec; each finding names the field by JSON
//! pointer into the value.

use junos_space_spec::{Spec, pointer};
use serde_json::Value;

use crate::schema::{required_names, schema_type};

/// One way a value breaks its schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Where in the value (`/exec-deploy/deployOptions/validate`; empty for the whole value).
    pub field: String,
    /// What is wrong there.
    pub message: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let field = if self.field.is_empty() {
            "/"
        } else {
            &self.field
        };
        write!(f, "field {field}: {}", self.message)
    }
}

/// Every way `value` breaks `schema`. With `closed`, an object member the schema does not name
/// is a finding too (what the client sends must be what the spec names, so a renamed field
/// shows); without it, extra members are allowed as JSON Schema allows them.
pub fn validate(spec: &Spec, schema: &Value, value: &Value, closed: bool) -> Vec<Finding> {
    validate_as(
        spec,
        schema,
        value,
        Reading {
            closed,
            server_forms: false,
        },
    )
}

/// How literally a value is held to its schema.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reading {
    /// Object members the schema does not name are findings.
    pub closed: bool,
    /// The renderings a real Junos Space uses, and every client must read, are not findings:
    /// a one-member list sent as that member, and numbers and booleans sent as strings
    /// (`"@key": "32964647"`, `"usePing": "True"`); see `spec/README.md`, "Known divergences".
    pub server_forms: bool,
}

/// Every way `value` breaks `schema`, read as `reading` says.
pub fn validate_as(spec: &Spec, schema: &Value, value: &Value, reading: Reading) -> Vec<Finding> {
    let mut findings = Vec::new();
    check(spec, schema, value, String::new(), reading, &mut findings);
    findings
}

fn check(
    spec: &Spec,
    schema: &Value,
    value: &Value,
    field: String,
    reading: Reading,
    findings: &mut Vec<Finding>,
) {
    let Ok((schema, _)) = spec.follow_refs(schema, "") else {
        findings.push(Finding {
            field,
            message: "its schema has a dangling $ref".into(),
        });
        return;
    };
    let mut fail = |message: String| {
        findings.push(Finding {
            field: field.clone(),
            message,
        })
    };
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
        if !allowed.contains(value) {
            fail(format!(
                "{value} is not one of {}",
                Value::Array(allowed.clone())
            ));
        }
        return;
    }
    if reading.server_forms
        && let Some(read) = server_form(schema_type(schema), value)
    {
        return check(spec, schema, &read, field, reading, findings);
    }
    match (schema_type(schema), value) {
        (Some("object"), Value::Object(members)) => {
            for name in required_names(schema) {
                if !members.contains_key(name) {
                    fail(format!("required member `{name}` is missing"));
                }
            }
            let properties = schema.get("properties");
            let extra = schema.get("additionalProperties");
            for (name, member) in members {
                let at = pointer::join(&field, name);
                match (properties.and_then(|p| p.get(name)), extra) {
                    (Some(sub), _) => check(spec, sub, member, at, reading, findings),
                    (None, Some(sub @ Value::Object(_))) => {
                        check(spec, sub, member, at, reading, findings)
                    }
                    (None, Some(Value::Bool(false))) => findings.push(Finding {
                        field: at,
                        message: "not a member the schema allows".into(),
                    }),
                    (None, _) if reading.closed => findings.push(Finding {
                        field: at,
                        message: "not a member the schema names (renamed or invented?)".into(),
                    }),
                    (None, _) => {}
                }
            }
        }
        (Some("array"), Value::Array(items)) => {
            if let Some(min_items) = schema.get("minItems").and_then(Value::as_u64)
                && (items.len() as u64) < min_items
            {
                fail(format!(
                    "{} item(s), fewer than the minimum {min_items}",
                    items.len()
                ));
            }
            let item_schema = schema.get("items").cloned().unwrap_or(Value::Bool(true));
            for (i, item) in items.iter().enumerate() {
                let at = pointer::join(&field, &i.to_string());
                check(spec, &item_schema, item, at, reading, findings);
            }
        }
        (Some("integer"), Value::Number(number)) if number.is_i64() || number.is_u64() => {
            if let (Some(minimum), Some(n)) = (
                schema.get("minimum").and_then(Value::as_i64),
                number.as_i64(),
            ) && n < minimum
            {
                fail(format!("{n} is below the minimum {minimum}"));
            }
            if let (Some(maximum), Some(n)) = (
                schema.get("maximum").and_then(Value::as_i64),
                number.as_i64(),
            ) && n > maximum
            {
                fail(format!("{n} is above the maximum {maximum}"));
            }
        }
        (Some("number"), Value::Number(_)) | (Some("boolean"), Value::Bool(_)) | (None, _) => {}
        (Some("string"), Value::String(text)) => {
            if let Some(format) = schema.get("format").and_then(Value::as_str)
                && !format_holds(format, text)
            {
                fail(format!("{value} is not a {format}"));
            }
        }
        (Some(expected), _) => fail(format!("{value} is not of type {expected}")),
    }
}

/// What a value in one of the server's renderings stands for, if it is in one: a lone
/// member for a one-member list, a string for a number or a boolean.
fn server_form(schema_type: Option<&str>, value: &Value) -> Option<Value> {
    match (schema_type, value) {
        (Some("array"), member @ Value::Object(_)) => Some(Value::Array(vec![member.clone()])),
        (Some("integer"), Value::String(text)) => text.trim().parse::<i64>().ok().map(Value::from),
        (Some("number"), Value::String(text)) => text
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number),
        (Some("boolean"), Value::String(text)) => match text.trim().to_ascii_lowercase().as_str() {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => None,
        },
        _ => None,
    }
}

/// A light check of the formats the spec uses; enough to tell a field that lost its format.
fn format_holds(format: &str, text: &str) -> bool {
    match format {
        "date-time" => {
            let bytes = text.as_bytes();
            bytes.len() >= 20
                && bytes.get(4) == Some(&b'-')
                && bytes.get(10) == Some(&b'T')
                && (text.ends_with('Z') || bytes[19..].iter().any(|b| matches!(b, b'+' | b'-')))
        }
        "email" => text
            .split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && host.contains('.')),
        "uri" => text.split_once(':').is_some_and(|(scheme, rest)| {
            !scheme.is_empty()
                && scheme.chars().all(|c| c.is_ascii_alphanumeric())
                && !rest.is_empty()
        }),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn findings_name_the_field() {
        let spec = Spec::from_value(json!({}));
        let schema = json!({"type": "object", "required": ["id"], "properties": {
            "id": {"type": "integer", "minimum": 0},
            "deployOptions": {"type": "object", "properties": {"validate": {"type": "boolean"}}}}});
        let value = json!({"deployOptions": {"validate": "yes", "valid": true}});
        let findings: Vec<String> = validate(&spec, &schema, &value, true)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            findings,
            [
                "field /: required member `id` is missing",
                "field /deployOptions/validate: \"yes\" is not of type boolean",
                "field /deployOptions/valid: not a member the schema names (renamed or invented?)",
            ]
        );
        assert_eq!(validate(&spec, &schema, &json!({"id": -1}), false).len(), 1);
    }

    #[test]
    fn server_forms_are_read_only_when_asked() {
        let spec = Spec::from_value(json!({}));
        let schema = json!({"type": "object", "properties": {
            "@key": {"type": "integer", "minimum": 0},
            "ping": {"type": "boolean"},
            "device": {"type": "array", "items": {"type": "object", "required": ["@href"]}}}});
        let served = json!({"@key": "32964647", "ping": "True", "device": {"@href": "/d/1"}});
        let literal = Reading::default();
        let tolerant = Reading {
            server_forms: true,
            ..literal
        };
        assert_eq!(validate_as(&spec, &schema, &served, literal).len(), 3);
        assert_eq!(validate_as(&spec, &schema, &served, tolerant), []);
        // A string that is not a number is still wrong, a lone member still checked, and the
        // bounds still hold on a number written as a string.
        let broken = json!({"@key": "-3", "ping": "maybe", "device": {}});
        let findings: Vec<String> = validate_as(&spec, &schema, &broken, tolerant)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            findings,
            [
                "field /@key: -3 is below the minimum 0",
                "field /ping: \"maybe\" is not of type boolean",
                "field /device/0: required member `@href` is missing",
            ]
        );
    }
}
