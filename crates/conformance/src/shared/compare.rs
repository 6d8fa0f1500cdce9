//! Value equality after decoding: what the client decoded against what was served, with each
//! difference named by JSON pointer.

use junos_space_model::api::{Schema, SchemaId};
use junos_space_model::{Api, pointer};
use serde_json::{Map, Value};

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

/// `value` (a value of the schema `id`) as the typed client writes it back: optional lists and
/// maps that are empty are left out (the generated types skip them), so that "empty" and
/// "absent" compare equal.
pub fn canonical(api: &Api, id: SchemaId, value: &Value) -> Value {
    let schema = api.schema(id);
    match value {
        Value::Object(members) => {
            let mut kept = Map::new();
            for (name, member) in members {
                let Some(member_schema) = schema.member_schema(name) else {
                    kept.insert(name.clone(), member.clone());
                    continue;
                };
                let member = canonical(api, member_schema, member);
                let optional = !schema.property(name).is_some_and(|p| p.required);
                if optional && is_empty_collection(api.schema(member_schema), &member) {
                    continue;
                }
                kept.insert(name.clone(), member);
            }
            Value::Object(kept)
        }
        Value::Array(items) => match schema.items {
            Some(item_schema) => Value::Array(
                items
                    .iter()
                    .map(|item| canonical(api, item_schema, item))
                    .collect(),
            ),
            None => value.clone(),
        },
        scalar => scalar.clone(),
    }
}

/// An empty array, or an empty name → value map.
fn is_empty_collection(schema: &Schema, value: &Value) -> bool {
    match value {
        Value::Array(items) => items.is_empty(),
        Value::Object(members) => schema.is_map() && members.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shared::fixture::{api_with_schemas, named};
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
        let api = api_with_schemas(
            r#"
    Thing:
      type: object
      required: [kept]
      properties:
        list: {type: array, items: {type: integer}}
        kept: {type: array, items: {type: integer}}
        map: {type: object, additionalProperties: {type: string}}
        object: {type: object, properties: {}}
"#,
        );
        let thing = named(&api, "Thing");
        let value = json!({"list": [], "kept": [], "map": {}, "object": {}});
        assert_eq!(
            canonical(&api, thing, &value),
            json!({"kept": [], "object": {}})
        );
    }
}
