//! How members, collections and parts look on the wire: the `@href`/`@uri`/`@key` attributes
//! (and `id`) each schema names, the envelope with its count (`@size` or `@total`), and the
//! real server's quirks when [`Realism`] asks for them.

use junos_space_spec::Spec;
use serde_json::{Map, Value};

use crate::config::Realism;
use crate::schema::{properties, single_wrapper};

/// Prefix of a stored field that is not part of the member itself but a part served on a
/// path below it (a job's `#progress-update`); never rendered with the member.
pub(crate) const PART_PREFIX: char = '#';

/// The attributes a member's schema names, which the server writes from its key: `@href` and
/// `@uri` (its URI), `@key` and `id` (its key).
const KEY_ATTRIBUTES: [&str; 4] = ["@href", "@uri", "@key", "id"];

/// A member with its attributes first, as the server writes them: those of
/// [`KEY_ATTRIBUTES`] that `schema` (the member's schema) names, then its stored fields.
pub(crate) fn member(
    spec: &Spec,
    schema: &Value,
    collection_uri: &str,
    key: u64,
    fields: &Value,
) -> Value {
    let uri = format!("{collection_uri}/{key}");
    let named: Vec<&str> = properties(spec, schema).iter().map(|(n, _)| *n).collect();
    let mut member = Map::new();
    for attribute in KEY_ATTRIBUTES.into_iter().filter(|a| named.contains(a)) {
        let value = match attribute {
            "@href" | "@uri" => uri.clone().into(),
            _ => key.into(),
        };
        member.insert(attribute.into(), value);
    }
    if let Value::Object(fields) = fields {
        member.extend(
            fields
                .iter()
                .filter(|(k, _)| !k.starts_with(PART_PREFIX))
                .map(|(k, v)| (k.clone(), v.clone())),
        );
    }
    Value::Object(member)
}

/// `{envelope: {"@uri": ..., count: total, member: [...]}}`, `count` being the attribute the
/// spec names (`@size` or `@total`).
pub(crate) fn collection(
    envelope: &str,
    member_name: &str,
    collection_uri: &str,
    count: Option<&str>,
    total: usize,
    members: Vec<Value>,
    realism: Realism,
) -> Value {
    let mut inner = Map::new();
    inner.insert("@uri".into(), collection_uri.into());
    if let Some(count) = count {
        inner.insert(count.into(), total.into());
    }
    let list = match members.len() {
        1 if realism.one_member_lists_as_objects => members.into_iter().next(),
        // A real server leaves the member key out of an empty page.
        0 if realism.one_member_lists_as_objects => None,
        _ => Some(Value::Array(members)),
    };
    if let Some(list) = list {
        inner.insert(member_name.into(), list);
    }
    let mut outer = Map::new();
    outer.insert(envelope.into(), Value::Object(inner));
    Value::Object(outer)
}

/// A part of a member (`{"raw-configuration": {"configuration": "..."}}`). An answer that
/// wraps one object in a property `name` is the member's stored `#name` when it has one (a
/// job keeps its progress there), else the wrapped part built from the member. Otherwise each
/// scalar property of `schema` is the member's field of that name, or a placeholder naming
/// the member.
pub(crate) fn part(spec: &Spec, schema: &Value, member_fields: &Value, label: &str) -> Value {
    if let Some((name, inner)) = single_wrapper(spec, schema) {
        let stored = member_fields.get(format!("{PART_PREFIX}{name}"));
        let part = stored
            .cloned()
            .unwrap_or_else(|| part(spec, inner, member_fields, label));
        let mut wrapper = Map::new();
        wrapper.insert(name.to_owned(), part);
        return Value::Object(wrapper);
    }
    let mut part = Map::new();
    for (name, property) in properties(spec, schema) {
        let value = match member_fields.get(name) {
            Some(value) => value.clone(),
            None => match property.get("type").and_then(Value::as_str) {
                Some("string") => format!("## {name} of {label}\n").into(),
                Some("integer" | "number") => 0.into(),
                Some("boolean") => false.into(),
                Some("array") => Value::Array(Vec::new()),
                _ => continue,
            },
        };
        part.insert(name.to_owned(), value);
    }
    Value::Object(part)
}

/// Writes every numeric `@`-attribute as a string, as a real server does.
pub(crate) fn stringify_attributes(value: &mut Value) {
    match value {
        Value::Object(object) => {
            for (name, member) in object.iter_mut() {
                if name.starts_with('@') && member.is_number() {
                    *member = Value::String(member.to_string());
                } else {
                    stringify_attributes(member);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(stringify_attributes),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const REAL: Realism = Realism::real_server();
    const STRICT: Realism = Realism::schema_strict();

    #[test]
    fn one_member_lists_are_objects_only_when_realistic() {
        let one = vec![json!({"name": "a"})];
        let real = collection(
            "users",
            "user",
            "/api/space/u",
            Some("@total"),
            1,
            one.clone(),
            REAL,
        );
        assert!(real["users"]["user"].is_object());
        let strict = collection(
            "users",
            "user",
            "/api/space/u",
            Some("@size"),
            1,
            one,
            STRICT,
        );
        assert!(strict["users"]["user"].is_array());
        assert_eq!(strict["users"]["@size"], 1);
        assert_eq!(strict["users"]["@uri"], "/api/space/u");
    }

    #[test]
    fn attributes_become_strings_and_fields_do_not() {
        let mut answer = json!({"d": {"@total": 2, "m": [{"@key": 7, "id": 7}]}});
        stringify_attributes(&mut answer);
        assert_eq!(
            answer,
            json!({"d": {"@total": "2", "m": [{"@key": "7", "id": 7}]}})
        );
    }
}
