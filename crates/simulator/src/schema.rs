//! The small part of JSON Schema the simulator needs: checking request bodies (and, in tests,
//! answers) against the spec's schemas, and reading their shape.

use junos_space_spec::Spec;
use serde_json::Value;

/// `schema` with any `$ref` chain followed; an unresolvable reference reads as `{}` (anything).
pub(crate) fn resolve<'a>(spec: &'a Spec, schema: &'a Value) -> &'a Value {
    const ANYTHING: &Value = &Value::Null;
    match spec.follow_refs(schema, "") {
        Ok((resolved, _)) => resolved,
        Err(_) => ANYTHING,
    }
}

/// The named properties of an object schema, resolved.
pub(crate) fn properties<'a>(spec: &'a Spec, schema: &'a Value) -> Vec<(&'a str, &'a Value)> {
    resolve(spec, schema)
        .get("properties")
        .and_then(Value::as_object)
        .map(|props| {
            props
                .iter()
                .map(|(name, schema)| (name.as_str(), resolve(spec, schema)))
                .collect()
        })
        .unwrap_or_default()
}

/// The property name and the wrapped schema when `schema` is an object with a single object
/// property (`{"device": {...}}`, `{"raw-configuration": {...}}`), as Junos Space wraps one
/// resource; `None` otherwise.
pub(crate) fn single_wrapper<'a>(
    spec: &'a Spec,
    schema: &'a Value,
) -> Option<(&'a str, &'a Value)> {
    match properties(spec, schema).as_slice() {
        [(name, inner)] if inner.get("properties").is_some() => Some((name, inner)),
        _ => None,
    }
}

/// The names an object schema marks `required`.
pub(crate) fn required<'a>(spec: &'a Spec, schema: &'a Value) -> Vec<&'a str> {
    resolve(spec, schema)
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

/// Checks `value` against `schema`. `lenient` takes what a real server takes: scalars as
/// strings (`"True"`, `"0"`) and a one-member list written as the member.
///
/// Covers `$ref`, `type`, `properties`, `required`, `additionalProperties` (as a schema),
/// `items`, `minItems`, `enum` and `minimum`; other keywords are not checked. The error names the JSON
/// pointer of the fault.
pub fn check(spec: &Spec, schema: &Value, value: &Value, lenient: bool) -> Result<(), String> {
    check_at(spec, schema, value, lenient, "")
}

fn check_at(
    spec: &Spec,
    schema: &Value,
    value: &Value,
    lenient: bool,
    at: &str,
) -> Result<(), String> {
    let schema = resolve(spec, schema);
    let fail = |what: &str| Err(format!("{}: {what}", if at.is_empty() { "/" } else { at }));
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
        && !allowed.contains(value)
    {
        return fail(&format!(
            "{value} is not one of {}",
            Value::from(allowed.clone())
        ));
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("object") => {
            let Some(object) = value.as_object() else {
                return fail("expected an object");
            };
            for required in required(spec, schema) {
                if !object.contains_key(required) {
                    return fail(&format!("`{required}` is required"));
                }
            }
            let declared = schema.get("properties").and_then(Value::as_object);
            let additional = schema.get("additionalProperties").filter(|s| s.is_object());
            for (name, member) in object {
                let member_at = format!("{at}/{}", name.replace('~', "~0").replace('/', "~1"));
                if let Some(member_schema) = declared.and_then(|d| d.get(name)).or(additional) {
                    check_at(spec, member_schema, member, lenient, &member_at)?;
                }
            }
            Ok(())
        }
        Some("array") => {
            let items = schema.get("items").unwrap_or(&Value::Null);
            let min_items = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0);
            match value {
                Value::Array(members) if (members.len() as u64) < min_items => {
                    fail(&format!("expected at least {min_items} item(s)"))
                }
                Value::Array(members) => {
                    for (i, member) in members.iter().enumerate() {
                        check_at(spec, items, member, lenient, &format!("{at}/{i}"))?;
                    }
                    Ok(())
                }
                // A one-member list written as its member.
                _ if lenient => check_at(spec, items, value, lenient, at),
                _ => fail("expected an array"),
            }
        }
        Some("string") => match value {
            Value::String(_) => Ok(()),
            _ => fail("expected a string"),
        },
        Some(kind @ ("integer" | "number")) => {
            let number = match value {
                // JSON Schema's `integer` is any number without a fractional part, of any size
                // (`1.0`, `1e30`), not only what fits in 64 bits.
                Value::Number(n)
                    if kind == "number"
                        || n.is_i64()
                        || n.is_u64()
                        || n.as_f64().is_some_and(|f| f.fract() == 0.0) =>
                {
                    n.as_f64()
                }
                Value::String(text) if lenient => text.trim().parse::<f64>().ok().filter(|n| {
                    kind == "number" || (n.fract() == 0.0 && !text.contains(['.', 'e', 'E']))
                }),
                _ => None,
            };
            let Some(number) = number else {
                return fail(&format!("expected an {kind}"));
            };
            match schema.get("minimum").and_then(Value::as_f64) {
                Some(minimum) if number < minimum => fail(&format!("below the minimum {minimum}")),
                _ => Ok(()),
            }
        }
        Some("boolean") => match value {
            Value::Bool(_) => Ok(()),
            Value::String(text)
                if lenient
                    && (text.eq_ignore_ascii_case("true")
                        || text.eq_ignore_ascii_case("false")) =>
            {
                Ok(())
            }
            _ => fail("expected a boolean"),
        },
        _ => Ok(()),
    }
}

/// Removes from `value` the first property that `schema` (or a schema inside it) marks
/// `required`, depth first; returns whether anything was removed.
pub(crate) fn drop_first_required(spec: &Spec, schema: &Value, value: &mut Value) -> bool {
    let schema = resolve(spec, schema);
    let Some(object) = value.as_object_mut() else {
        return false;
    };
    let first_required = schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .find(|name| object.contains_key(*name));
    if let Some(name) = first_required {
        object.remove(name);
        return true;
    }
    let Some(declared) = schema.get("properties").and_then(Value::as_object) else {
        return false;
    };
    declared.iter().any(|(name, member_schema)| {
        object
            .get_mut(name)
            .is_some_and(|member| drop_first_required(spec, member_schema, member))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec() -> Spec {
        Spec::from_yaml_str(
            r#"
openapi: 3.1.0
paths: {}
components:
  schemas:
    Task:
      type: object
      required: ['@href', id]
      properties:
        '@href': {type: string}
        id: {type: integer, minimum: 0}
    Wrapper:
      type: object
      properties:
        task: {$ref: '#/components/schemas/Task'}
        flags: {type: array, items: {type: boolean}}
        state: {type: string, enum: [up, down]}
"#,
        )
        .expect("test spec parses")
    }

    fn wrapper() -> Value {
        json!({"$ref": "#/components/schemas/Wrapper"})
    }

    #[test]
    fn strict_checking_names_the_fault() {
        let spec = spec();
        let good = json!({"task": {"@href": "/x", "id": 3}, "flags": [true], "state": "up"});
        assert_eq!(check(&spec, &wrapper(), &good, false), Ok(()));
        for (bad, pointer) in [
            (json!({"task": {"@href": "/x"}}), "/task"),
            (json!({"task": {"@href": "/x", "id": "3"}}), "/task/id"),
            (json!({"task": {"@href": "/x", "id": -1}}), "/task/id"),
            (json!({"flags": true}), "/flags"),
            (json!({"flags": ["true"]}), "/flags/0"),
            (json!({"state": "sideways"}), "/state"),
        ] {
            let error = check(&spec, &wrapper(), &bad, false).expect_err("invalid");
            assert!(error.starts_with(&format!("{pointer}:")), "{bad}: {error}");
        }
    }

    #[test]
    fn an_integer_is_any_number_without_a_fraction_of_any_size() {
        let spec = spec();
        let task = json!({"$ref": "#/components/schemas/Task"});
        let huge: Value = serde_json::from_str("207629888475608160703348736").expect("JSON");
        for id in [json!(3), json!(3.0), json!(1e30), huge] {
            let answer = json!({"@href": "/x", "id": id});
            assert_eq!(check(&spec, &task, &answer, false), Ok(()), "{answer}");
        }
        let fraction = json!({"@href": "/x", "id": 3.5});
        assert!(check(&spec, &task, &fraction, false).is_err());
    }

    #[test]
    fn lenient_checking_takes_what_real_servers_take() {
        let spec = spec();
        let real = json!({"task": {"@href": "/x", "id": "3"}, "flags": "True"});
        assert!(check(&spec, &wrapper(), &real, false).is_err());
        assert_eq!(check(&spec, &wrapper(), &real, true), Ok(()));
        let not_a_number = json!({"task": {"@href": "/x", "id": "three"}});
        assert!(check(&spec, &wrapper(), &not_a_number, true).is_err());
    }

    #[test]
    fn the_first_required_property_is_dropped_depth_first() {
        let spec = spec();
        let mut answer = json!({"task": {"@href": "/x", "id": 3}});
        assert!(drop_first_required(&spec, &wrapper(), &mut answer));
        assert_eq!(answer, json!({"task": {"id": 3}}));
        let mut nothing_required = json!({"state": "up"});
        assert!(!drop_first_required(
            &spec,
            &wrapper(),
            &mut nothing_required
        ));
    }
}
