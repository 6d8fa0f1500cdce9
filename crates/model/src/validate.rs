//! Checks a JSON value against a schema of the document: the one JSON Schema semantics of the
//! workspace, read literally or as a real Junos Space renders values. The kit judges answers
//! and requests with it, and the simulator its request bodies, so both take the same values.
//!
//! Covers `$ref`, `enum`, `type` (an object also by its `properties`), `properties`,
//! `required`, `additionalProperties` (a schema, or `false`), `items`, `minItems`, `minimum`,
//! `maximum` and the formats the spec uses (`date-time`, `email`, `uri`); other keywords are
//! not checked. Each finding names the field by JSON pointer into the value.

use serde_json::{Number, Value};

use crate::{Spec, pointer};

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

/// How literally a value is held to its schema.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reading {
    /// Object members the schema does not name are findings (what the client sends must be
    /// what the spec names, so a renamed field shows); otherwise they are allowed, as JSON
    /// Schema allows them.
    pub closed: bool,
    /// The renderings a real Junos Space uses, and every client must read, are not findings:
    /// a one-member list sent as that member, and numbers and booleans sent as strings
    /// (`"@key": "32964647"`, `"usePing": "True"`); see `spec/README.md`, "Known divergences".
    pub server_forms: bool,
}

impl Reading {
    /// Exactly as the schema says, extra members allowed.
    pub const LITERAL: Reading = Reading {
        closed: false,
        server_forms: false,
    };
    /// As a real server's values must be read.
    pub const SERVER_FORMS: Reading = Reading {
        closed: false,
        server_forms: true,
    };
}

/// Every way `value` breaks `schema`, read as `reading` says.
pub fn validate(spec: &Spec, schema: &Value, value: &Value, reading: Reading) -> Vec<Finding> {
    let mut findings = Vec::new();
    check(spec, schema, value, String::new(), reading, &mut findings);
    findings
}

/// The type a schema gives its values: its `type`, or `object` for a schema that only lists
/// `properties` or `additionalProperties`.
pub fn schema_type(schema: &Value) -> Option<&str> {
    match schema.get("type") {
        Some(Value::String(name)) => Some(name),
        Some(_) => None,
        None if schema.get("properties").is_some()
            || schema.get("additionalProperties").is_some() =>
        {
            Some("object")
        }
        None => None,
    }
}

/// The member names an object schema marks `required`.
pub fn required_names(schema: &Value) -> Vec<&str> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

/// The schema of an object's member `name`: its property, or an `additionalProperties` schema.
pub fn member_schema<'a>(schema: &'a Value, name: &str) -> Option<&'a Value> {
    schema
        .get("properties")
        .and_then(|p| p.get(name))
        .or_else(|| schema.get("additionalProperties").filter(|s| s.is_object()))
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
        (Some(kind @ ("integer" | "number")), Value::Number(number))
            if kind == "number" || is_integral(number) =>
        {
            let Some(n) = number.as_f64() else { return };
            if let Some(minimum) = schema.get("minimum").and_then(Value::as_f64)
                && n < minimum
            {
                fail(format!("{number} is below the minimum {minimum}"));
            }
            if let Some(maximum) = schema.get("maximum").and_then(Value::as_f64)
                && n > maximum
            {
                fail(format!("{number} is above the maximum {maximum}"));
            }
        }
        (Some("boolean"), Value::Bool(_)) | (None, _) => {}
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

/// JSON Schema's `integer`: any number without a fractional part, of any size (`1.0`,
/// `1e30`), not only what fits in 64 bits.
fn is_integral(number: &Number) -> bool {
    number.is_i64() || number.is_u64() || number.as_f64().is_some_and(|f| f.fract() == 0.0)
}

/// What a value in one of the server's renderings stands for, if it is in one: a lone
/// member for a one-member list, a string for a number or a boolean.
fn server_form(schema_type: Option<&str>, value: &Value) -> Option<Value> {
    match (schema_type, value) {
        (Some("array"), Value::Array(_)) => None,
        (Some("array"), member) => Some(Value::Array(vec![member.clone()])),
        (Some("integer"), Value::String(text)) => {
            // Digits only, of any size: `"32964647"`, not `"3.0"` or `"1e3"`.
            let text = text.trim();
            let digits = text.strip_prefix('-').unwrap_or(text);
            let integral = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
            integral
                .then(|| serde_json::from_str::<Number>(text).ok())
                .flatten()
                .map(Value::Number)
        }
        (Some("number"), Value::String(text)) => text
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
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

    fn strings(findings: &[Finding]) -> Vec<String> {
        findings.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn findings_name_the_field() {
        let spec = Spec::from_value(json!({}));
        let schema = json!({"type": "object", "required": ["id"], "properties": {
            "id": {"type": "integer", "minimum": 0},
            "deployOptions": {"type": "object", "properties": {"validate": {"type": "boolean"}}}}});
        let value = json!({"deployOptions": {"validate": "yes", "valid": true}});
        let closed = Reading {
            closed: true,
            ..Reading::LITERAL
        };
        assert_eq!(
            strings(&validate(&spec, &schema, &value, closed)),
            [
                "field /: required member `id` is missing",
                "field /deployOptions/validate: \"yes\" is not of type boolean",
                "field /deployOptions/valid: not a member the schema names (renamed or invented?)",
            ]
        );
        assert_eq!(
            validate(&spec, &schema, &json!({"id": -1}), Reading::LITERAL).len(),
            1
        );
    }

    #[test]
    fn an_integer_is_any_number_without_a_fraction_of_any_size() {
        let spec = Spec::from_value(json!({}));
        let schema = json!({"type": "integer", "minimum": 0, "maximum": 1e40});
        let huge: Value = serde_json::from_str("207629888475608160703348736").expect("JSON");
        for id in [json!(3), json!(3.0), json!(1e30), huge] {
            assert_eq!(validate(&spec, &schema, &id, Reading::LITERAL), [], "{id}");
        }
        for bad in [json!(3.5), json!(-1), json!(1e41), json!("3")] {
            assert_eq!(
                validate(&spec, &schema, &bad, Reading::LITERAL).len(),
                1,
                "{bad}"
            );
        }
    }

    #[test]
    fn server_forms_are_read_only_when_asked() {
        let spec = Spec::from_value(json!({}));
        let schema = json!({"type": "object", "properties": {
            "@key": {"type": "integer", "minimum": 0},
            "ping": {"type": "boolean"},
            "device": {"type": "array", "items": {"type": "object", "required": ["@href"]}},
            "command": {"type": "array", "items": {"type": "string"}}}});
        let served = json!({"@key": "32964647", "ping": "True", "device": {"@href": "/d/1"},
            "command": "show version"});
        assert_eq!(validate(&spec, &schema, &served, Reading::LITERAL).len(), 4);
        assert_eq!(validate(&spec, &schema, &served, Reading::SERVER_FORMS), []);
        let huge = json!({"@key": "207629888475608160703348736"});
        assert_eq!(validate(&spec, &schema, &huge, Reading::SERVER_FORMS), []);
        // A string that is not a number is still wrong, a lone member still checked, and the
        // bounds still hold on a number written as a string.
        let broken = json!({"@key": "-3", "ping": "maybe", "device": {}});
        assert_eq!(
            strings(&validate(&spec, &schema, &broken, Reading::SERVER_FORMS)),
            [
                "field /@key: -3 is below the minimum 0",
                "field /ping: \"maybe\" is not of type boolean",
                "field /device/0: required member `@href` is missing",
            ]
        );
        for not_an_integer in ["3.0", "1e3", "", "-"] {
            let value = json!({ "@key": not_an_integer });
            assert_eq!(
                validate(&spec, &schema, &value, Reading::SERVER_FORMS).len(),
                1,
                "{value}"
            );
        }
    }

    #[test]
    fn references_enums_item_counts_and_formats_are_held() {
        let spec = Spec::from_value(json!({"components": {"schemas": {
            "State": {"type": "string", "enum": ["up", "down"]}}}}));
        let schema = json!({"type": "object", "additionalProperties": false, "properties": {
            "state": {"$ref": "#/components/schemas/State"},
            "gone": {"$ref": "#/components/schemas/Missing"},
            "hosts": {"type": "array", "minItems": 1, "items": {"type": "string", "format": "uri"}}}});
        let value = json!({"state": "sideways", "gone": 1, "hosts": [], "other": 1});
        assert_eq!(
            strings(&validate(&spec, &schema, &value, Reading::LITERAL)),
            [
                "field /state: \"sideways\" is not one of [\"up\",\"down\"]",
                "field /gone: its schema has a dangling $ref",
                "field /hosts: 0 item(s), fewer than the minimum 1",
                "field /other: not a member the schema allows",
            ]
        );
        let hosts = json!({"hosts": ["no scheme"]});
        assert_eq!(
            strings(&validate(&spec, &schema, &hosts, Reading::LITERAL)),
            ["field /hosts/0: \"no scheme\" is not a uri"]
        );
    }
}
