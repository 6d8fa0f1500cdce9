//! How members, collections and parts look on the wire: the `@href`/`@uri`/`@key` attributes
//! (and `id`) each schema names, the envelope with its count (`@size` or `@total`), and parts.
//! The real server's value forms are applied to whole answers by
//! [`junos_space_model::server_forms::render`], as [`Realism`](crate::config::Realism) asks.

use junos_space_model::Spec;
use serde_json::{Map, Value};

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
) -> Value {
    let mut inner = Map::new();
    inner.insert("@uri".into(), collection_uri.into());
    if let Some(count) = count {
        inner.insert(count.into(), total.into());
    }
    inner.insert(member_name.into(), Value::Array(members));
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn collections_carry_their_uri_count_and_members() {
        let one = vec![json!({"name": "a"})];
        let body = collection("users", "user", "/api/space/u", Some("@size"), 1, one);
        assert!(body["users"]["user"].is_array());
        assert_eq!(body["users"]["@size"], 1);
        assert_eq!(body["users"]["@uri"], "/api/space/u");
        let uncounted = collection("users", "user", "/api/space/u", None, 0, Vec::new());
        assert_eq!(
            uncounted,
            json!({"users": {"@uri": "/api/space/u", "user": []}})
        );
    }
}
