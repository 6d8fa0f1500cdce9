//! Value equality after decoding: what the client decoded against what was served, with each
//! difference named by JSON pointer.

use junos_space_model::validate::member_schema;
use junos_space_model::{Spec, pointer};
use serde_json::{Map, Value};

use crate::schema::required_names;

/// Every difference between `expected` and `actual`, as `field: expected X, got Y` lines.
/// Numbers compare by value (`3` and `3.0` are the same number after decoding).
pub fn differences(expected: &Value, actual: &Value) -> Vec<String> {
    let mut found = Vec::new();
    diff(expected, actual, String::new(), &mut found);
    found
}

fn diff(expected: &Value, actual: &Value, at: String, found: &mut Vec<String>) {
    let field = if at.is_empty() {
        "/".to_owned()
    } else {
        at.clone()
    };
    match (expected, actual) {
        (Value::Object(want), Value::Object(got)) => {
            for (name, value) in want {
                let member = pointer::join(&at, name);
                match got.get(name) {
                    Some(other) => diff(value, other, member, found),
                    None => found.push(format!("field {member}: expected {value}, got nothing")),
                }
            }
            for (name, value) in got {
                if !want.contains_key(name) {
                    let member = pointer::join(&at, name);
                    found.push(format!("field {member}: unexpected {value}"));
                }
            }
        }
        (Value::Array(want), Value::Array(got)) if want.len() == got.len() => {
            for (i, (w, g)) in want.iter().zip(got).enumerate() {
                diff(w, g, pointer::join(&at, &i.to_string()), found);
            }
        }
        (Value::Number(want), Value::Number(got)) if want.as_f64() == got.as_f64() => {}
        (want, got) if want == got => {}
        (want, got) => found.push(format!("field {field}: expected {want}, got {got}")),
    }
}

/// `value` as the typed client writes it back: optional lists and maps that are empty are left
/// out (the generated types skip them), so that "empty" and "absent" compare equal.
pub fn canonical(spec: &Spec, schema: &Value, value: &Value) -> Value {
    let Ok((schema, _)) = spec.follow_refs(schema, "") else {
        return value.clone();
    };
    match value {
        Value::Object(members) => {
            let required = required_names(schema);
            let mut kept = Map::new();
            for (name, member) in members {
                let member_schema = member_schema(schema, name);
                let Some(member_schema) = member_schema else {
                    kept.insert(name.clone(), member.clone());
                    continue;
                };
                let member = canonical(spec, member_schema, member);
                let optional = !required.contains(&name.as_str());
                if optional && is_empty_collection(spec, member_schema, &member) {
                    continue;
                }
                kept.insert(name.clone(), member);
            }
            Value::Object(kept)
        }
        Value::Array(items) => {
            let item_schema = schema.get("items").cloned().unwrap_or(Value::Bool(true));
            Value::Array(
                items
                    .iter()
                    .map(|i| canonical(spec, &item_schema, i))
                    .collect(),
            )
        }
        scalar => scalar.clone(),
    }
}

/// An empty array, or an empty name → value map (a schema with only `additionalProperties`).
fn is_empty_collection(spec: &Spec, schema: &Value, value: &Value) -> bool {
    let map_only = spec.follow_refs(schema, "").is_ok_and(|(schema, _)| {
        schema.get("properties").is_none() && schema.get("additionalProperties").is_some()
    });
    match value {
        Value::Array(items) => items.is_empty(),
        Value::Object(members) => map_only && members.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn differences_name_each_field() {
        let found = differences(
            &json!({"a": {"b": 1, "c": [1, 2]}, "d": 2.0}),
            &json!({"a": {"c": [1, 3], "x": true}, "d": 2}),
        );
        assert_eq!(
            found,
            [
                "field /a/b: expected 1, got nothing",
                "field /a/c/1: expected 2, got 3",
                "field /a/x: unexpected true",
            ]
        );
    }

    #[test]
    fn empty_optional_collections_are_absent() {
        let spec = Spec::from_value(json!({}));
        let schema = json!({"type": "object", "required": ["kept"], "properties": {
            "list": {"type": "array", "items": {"type": "integer"}},
            "kept": {"type": "array", "items": {"type": "integer"}},
            "map": {"type": "object", "additionalProperties": {"type": "string"}},
            "object": {"type": "object", "properties": {}}}});
        let value = json!({"list": [], "kept": [], "map": {}, "object": {}});
        assert_eq!(
            canonical(&spec, &schema, &value),
            json!({"kept": [], "object": {}})
        );
    }
}
