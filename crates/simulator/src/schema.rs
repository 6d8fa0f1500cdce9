//! Reading the shape of the spec's schemas: properties, the single wrapper of one resource,
//! required names, and a required member to drop (a deviation). Checking a value against a
//! schema is `junos_space_model::validate`, shared with the conformance kit.

use junos_space_model::Spec;
use junos_space_model::validate::required_names;
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

/// The names an object schema marks `required`, its `$ref`s followed.
pub(crate) fn required<'a>(spec: &'a Spec, schema: &'a Value) -> Vec<&'a str> {
    required_names(resolve(spec, schema))
}

/// Removes from `value` the first property that `schema` (or a schema inside it) marks
/// `required`, depth first; returns whether anything was removed.
pub(crate) fn drop_first_required(spec: &Spec, schema: &Value, value: &mut Value) -> bool {
    let schema = resolve(spec, schema);
    let Some(object) = value.as_object_mut() else {
        return false;
    };
    let first_required = required_names(schema)
        .into_iter()
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
