//! Checks a JSON value against a schema of the model: the one JSON Schema semantics of the
//! workspace, read literally or as a real Junos Space renders values. The kit judges answers
//! and requests with it, and the simulator its request bodies, so both take the same values.
//!
//! Every keyword the model reads is checked. Each finding names the field by JSON pointer
//! into the value, and the decision behind the form it breaks when the form is one, so that
//! a reader of the finding can tell a broken fact from a choice of this project.

use junos_space_lenient::forms;
use serde_json::{Number, Value};

use super::Api;
use super::provenance::{Decision, Provenance};
use super::schema::{Additional, Format, Kind, SchemaId};
use crate::pointer;

/// One way a value breaks its schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Where in the value (`/exec-deploy/deployOptions/validate`; empty for the whole value).
    pub field: String,
    /// What is wrong there.
    pub message: String,
    /// The decision that stated the broken form, when it is not a documented fact.
    pub decision: Option<Decision>,
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
    /// (`junos_space_lenient::forms`).
    pub server_forms: bool,
    /// With `server_forms`: `null` where a list goes is an empty list, as a server may write
    /// one. No client sends it, so a server reading a request body need not take it.
    pub null_lists: bool,
}

impl Reading {
    /// Exactly as the schema says, extra members allowed.
    pub const LITERAL: Reading = Reading {
        closed: false,
        server_forms: false,
        null_lists: false,
    };
    /// As a real server's values must be read.
    pub const SERVER_FORMS: Reading = Reading {
        closed: false,
        server_forms: true,
        null_lists: true,
    };
    /// As a server reads what clients send (Juniper's own among them): numbers and booleans
    /// as strings and a one-member list as its member are taken, a `null` list is not.
    pub const CLIENT_FORMS: Reading = Reading {
        closed: false,
        server_forms: true,
        null_lists: false,
    };
    /// Exactly as the schema says, and nothing it does not name.
    pub const CLOSED: Reading = Reading {
        closed: true,
        server_forms: false,
        null_lists: false,
    };
}

impl Api {
    /// Every way `value` breaks `schema`, read as `reading` says.
    pub fn validate(&self, schema: SchemaId, value: &Value, reading: Reading) -> Vec<Finding> {
        let mut findings = Vec::new();
        let mut check = Check {
            api: self,
            reading,
            findings: &mut findings,
        };
        check.value(schema, value, String::new(), &Provenance::Documented);
        findings
    }
}

struct Check<'a> {
    api: &'a Api,
    reading: Reading,
    findings: &'a mut Vec<Finding>,
}

impl Check<'_> {
    /// Checks `value` at `field` against `id`; `stated` is the provenance of the member that
    /// holds it (a decided member makes every finding inside it a finding on a decision).
    fn value(&mut self, id: SchemaId, value: &Value, field: String, stated: &Provenance) {
        let schema = self.api.schema(id);
        let provenance = stated.or(&schema.provenance);
        let fail = |findings: &mut Vec<Finding>, message: String| {
            findings.push(Finding {
                field: field.clone(),
                message,
                decision: provenance.decision().cloned(),
            })
        };
        if let Some(allowed) = &schema.allowed {
            if !allowed.contains(value) {
                fail(
                    self.findings,
                    format!("{value} is not one of {}", Value::Array(allowed.clone())),
                );
            }
            return;
        }
        if self.reading.server_forms
            && let Some(read) = server_form(schema.kind, value, self.reading.null_lists)
        {
            return self.value(id, &read, field, stated);
        }
        match (schema.kind, value) {
            (Some(Kind::Object), Value::Object(members)) => {
                for property in schema.properties.iter().filter(|p| p.required) {
                    if !members.contains_key(&property.name) {
                        self.findings.push(Finding {
                            field: field.clone(),
                            message: format!("required member `{}` is missing", property.name),
                            decision: property.provenance.or(&provenance).decision().cloned(),
                        });
                    }
                }
                for (name, member) in members {
                    let at = pointer::join(&field, name);
                    if let Some(property) = schema.property(name) {
                        let member_stated = property.provenance.or(&provenance);
                        self.value(property.schema, member, at, &member_stated);
                        continue;
                    }
                    let refusal = match schema.additional {
                        Additional::Each(each) => {
                            self.value(each, member, at, &provenance);
                            continue;
                        }
                        Additional::Forbidden => "not a member the schema allows",
                        Additional::Unsaid if self.reading.closed => {
                            "not a member the schema names (renamed or invented?)"
                        }
                        Additional::Unsaid => continue,
                    };
                    self.findings.push(Finding {
                        field: at,
                        message: refusal.into(),
                        decision: provenance.decision().cloned(),
                    });
                }
            }
            (Some(Kind::Array), Value::Array(items)) => {
                if let Some(min_items) = schema.min_items
                    && (items.len() as u64) < min_items
                {
                    fail(
                        self.findings,
                        format!(
                            "{} item(s), fewer than the minimum {min_items}",
                            items.len()
                        ),
                    );
                }
                if let Some(item_schema) = schema.items {
                    for (i, item) in items.iter().enumerate() {
                        let at = pointer::join(&field, &i.to_string());
                        self.value(item_schema, item, at, &provenance);
                    }
                }
            }
            (Some(kind @ (Kind::Integer | Kind::Number)), Value::Number(number))
                if kind == Kind::Number || is_integral(number) =>
            {
                let Some(n) = number.as_f64() else { return };
                if let Some(minimum) = schema.minimum.as_ref().and_then(Number::as_f64)
                    && n < minimum
                {
                    fail(
                        self.findings,
                        format!("{number} is below the minimum {minimum}"),
                    );
                }
                if let Some(maximum) = schema.maximum.as_ref().and_then(Number::as_f64)
                    && n > maximum
                {
                    fail(
                        self.findings,
                        format!("{number} is above the maximum {maximum}"),
                    );
                }
            }
            (Some(Kind::Boolean), Value::Bool(_)) | (None, _) => {}
            (Some(Kind::String), Value::String(text)) => {
                if let Some(format) = schema.format
                    && !format_holds(format, text)
                {
                    fail(self.findings, format!("{value} is not a {}", format.name()));
                }
                if let Some(vocabulary) = &schema.vocabulary
                    && !vocabulary.has(text)
                {
                    self.findings.push(Finding {
                        field: field.clone(),
                        message: format!(
                            "{value} is none of the values the sources document: {}",
                            vocabulary.values.join(", ")
                        ),
                        decision: Some(vocabulary.decision.clone()),
                    });
                }
            }
            (Some(expected), _) => fail(
                self.findings,
                format!("{value} is not of type {}", expected.name()),
            ),
        }
    }
}

/// JSON Schema's `integer`: any number without a fractional part, of any size (`1.0`,
/// `1e30`), not only what fits in 64 bits.
fn is_integral(number: &Number) -> bool {
    number.is_i64() || number.is_u64() || number.as_f64().is_some_and(|f| f.fract() == 0.0)
}

/// What a value in one of the server's forms stands for, if it is in one: a lone member for a
/// one-member list, a number or a boolean for its text.
fn server_form(kind: Option<Kind>, value: &Value, null_lists: bool) -> Option<Value> {
    match (kind, value) {
        (Some(Kind::Array), Value::Array(_)) => None,
        (Some(Kind::Array), Value::Null) if !null_lists => None,
        (Some(Kind::Array), listed) => Some(Value::Array(
            super::render::list_items(Some(listed))
                .into_iter()
                .cloned()
                .collect(),
        )),
        (Some(Kind::Integer), Value::String(text)) if forms::is_integer_text(text) => {
            serde_json::from_str::<Number>(text).ok().map(Value::Number)
        }
        (Some(Kind::Number), Value::String(text)) if forms::is_number_text(text) => {
            serde_json::from_str::<Number>(text).ok().map(Value::Number)
        }
        (Some(Kind::Boolean), Value::String(text)) => forms::boolean_text(text).map(Value::Bool),
        _ => None,
    }
}

/// A light check of the formats the model knows; enough to tell a field that lost its format.
fn format_holds(format: Format, text: &str) -> bool {
    match format {
        Format::DateTime => {
            let bytes = text.as_bytes();
            bytes.len() >= 20
                && bytes.get(4) == Some(&b'-')
                && bytes.get(10) == Some(&b'T')
                && (text.ends_with('Z') || bytes[19..].iter().any(|b| matches!(b, b'+' | b'-')))
        }
        Format::Email => text
            .split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && host.contains('.')),
        Format::Uri => text.split_once(':').is_some_and(|(scheme, rest)| {
            !scheme.is_empty()
                && scheme.chars().all(|c| c.is_ascii_alphanumeric())
                && !rest.is_empty()
        }),
        // Any text is a password.
        Format::Password => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn api(schemas: &str) -> Api {
        Api::from_yaml_str(&format!(
            "openapi: 3.1.0\npaths: {{}}\ncomponents:\n  schemas:\n{schemas}"
        ))
        .expect("the test document reads")
    }

    fn strings(findings: &[Finding]) -> Vec<String> {
        findings.iter().map(ToString::to_string).collect()
    }

    fn named(api: &Api, name: &str) -> SchemaId {
        api.schemas().named(name).expect("declared")
    }

    #[test]
    fn findings_name_the_field() {
        let api = api(r#"
    Deploy:
      type: object
      required: [id]
      properties:
        id: {type: integer, minimum: 0}
        deployOptions: {type: object, properties: {validate: {type: boolean}}}
"#);
        let schema = named(&api, "Deploy");
        let value = json!({"deployOptions": {"validate": "yes", "valid": true}});
        assert_eq!(
            strings(&api.validate(schema, &value, Reading::CLOSED)),
            [
                "field /: required member `id` is missing",
                "field /deployOptions/validate: \"yes\" is not of type boolean",
                "field /deployOptions/valid: not a member the schema names (renamed or invented?)",
            ]
        );
        assert_eq!(
            api.validate(schema, &json!({"id": -1}), Reading::LITERAL)
                .len(),
            1
        );
    }

    #[test]
    fn an_integer_is_any_number_without_a_fraction_of_any_size() {
        let api = api("    Id: {type: integer, minimum: 0, maximum: 1e40}\n");
        let schema = named(&api, "Id");
        let huge: Value = serde_json::from_str("207629888475608160703348736").expect("JSON");
        for id in [json!(3), json!(3.0), json!(1e30), huge] {
            assert_eq!(api.validate(schema, &id, Reading::LITERAL), [], "{id}");
        }
        for bad in [json!(3.5), json!(-1), json!(1e41), json!("3")] {
            assert_eq!(
                api.validate(schema, &bad, Reading::LITERAL).len(),
                1,
                "{bad}"
            );
        }
    }

    #[test]
    fn server_forms_are_read_only_when_asked() {
        let api = api(r#"
    Served:
      type: object
      properties:
        "@key": {type: integer, minimum: 0}
        ping: {type: boolean}
        device: {type: array, items: {$ref: '#/components/schemas/Ref'}}
        command: {type: array, items: {type: string}}
    Ref:
      type: object
      required: ["@href"]
      properties:
        "@href": {type: string}
"#);
        let schema = named(&api, "Served");
        let served = json!({"@key": "32964647", "ping": "True", "device": {"@href": "/d/1"},
            "command": "show version"});
        assert_eq!(api.validate(schema, &served, Reading::LITERAL).len(), 4);
        assert_eq!(api.validate(schema, &served, Reading::SERVER_FORMS), []);
        // What clients send is taken as a server takes it; a `null` list only from a server.
        assert_eq!(api.validate(schema, &served, Reading::CLIENT_FORMS), []);
        let null_list = json!({"device": null});
        assert_eq!(api.validate(schema, &null_list, Reading::SERVER_FORMS), []);
        assert_eq!(
            strings(&api.validate(schema, &null_list, Reading::CLIENT_FORMS)),
            ["field /device: null is not of type array"]
        );
        let huge = json!({"@key": "207629888475608160703348736"});
        assert_eq!(api.validate(schema, &huge, Reading::SERVER_FORMS), []);
        let broken = json!({"@key": "-3", "ping": "maybe", "device": {}});
        assert_eq!(
            strings(&api.validate(schema, &broken, Reading::SERVER_FORMS)),
            [
                "field /@key: -3 is below the minimum 0",
                "field /ping: \"maybe\" is not of type boolean",
                "field /device/0: required member `@href` is missing",
            ]
        );
        for not_an_integer in ["3.0", "1e3", "", "-", " 3"] {
            let value = json!({ "@key": not_an_integer });
            assert_eq!(
                api.validate(schema, &value, Reading::SERVER_FORMS).len(),
                1,
                "{value}"
            );
        }
    }

    #[test]
    fn enums_item_counts_formats_and_closed_objects_are_held() {
        let api = api(r#"
    State: {type: string, enum: [up, down]}
    Thing:
      type: object
      additionalProperties: false
      properties:
        state: {$ref: '#/components/schemas/State'}
        hosts: {type: array, minItems: 1, items: {type: string, format: uri}}
"#);
        let schema = named(&api, "Thing");
        let value = json!({"state": "sideways", "hosts": [], "other": 1});
        assert_eq!(
            strings(&api.validate(schema, &value, Reading::LITERAL)),
            [
                "field /state: \"sideways\" is not one of [\"up\",\"down\"]",
                "field /hosts: 0 item(s), fewer than the minimum 1",
                "field /other: not a member the schema allows",
            ]
        );
        let hosts = json!({"hosts": ["no scheme"]});
        assert_eq!(
            strings(&api.validate(schema, &hosts, Reading::LITERAL)),
            ["field /hosts/0: \"no scheme\" is not a uri"]
        );
    }

    #[test]
    fn a_finding_on_a_decided_form_names_the_decision() {
        let api = api(r#"
    Job:
      type: object
      required: [id, job-state]
      properties:
        id: {type: integer}
        job-state: {type: string, x-decision: job-state-required}
        percent: {type: number, x-decision: percent-number}
"#);
        let schema = named(&api, "Job");
        let findings = api.validate(schema, &json!({"percent": "half"}), Reading::LITERAL);
        let decisions: Vec<(String, Option<&str>)> = findings
            .iter()
            .map(|f| (f.to_string(), f.decision.as_ref().map(Decision::id)))
            .collect();
        assert_eq!(
            decisions,
            [
                ("field /: required member `id` is missing".to_owned(), None),
                (
                    "field /: required member `job-state` is missing".to_owned(),
                    Some("job-state-required")
                ),
                (
                    "field /percent: \"half\" is not of type number".to_owned(),
                    Some("percent-number")
                ),
            ]
        );
    }
}
