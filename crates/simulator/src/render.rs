//! How members, collections and parts look on the wire: the `@href`/`@uri`/`@key` attributes
//! (and `id`) each schema names, the envelope with its count (`@size` or `@total`), and parts.
//! The real server's value forms are applied to whole answers later, by the answer writer.

use junos_space_model::Api;
use junos_space_model::api::{Kind, SchemaId};
use serde_json::{Map, Value};

/// Prefix of a stored field that is not part of the member itself but a part served on a
/// path below it (a job's `#progress-update`); never rendered with the member.
pub(crate) const PART_PREFIX: char = '#';

/// The attributes a member's schema names, which the server writes from its key: `@href` and
/// `@uri` (its URI), `@key` and `id` (its key).
const KEY_ATTRIBUTES: [&str; 4] = ["@href", "@uri", "@key", "id"];

/// A member with its attributes first, as the server writes them: those of
/// [`KEY_ATTRIBUTES`] that `schema` (the member's schema) names, then its stored fields.
pub(crate) fn member(
    api: &Api,
    schema: Option<SchemaId>,
    collection_uri: &str,
    key: u64,
    fields: &Value,
) -> Value {
    let uri = format!("{collection_uri}/{key}");
    let named = |name: &str| schema.is_some_and(|id| api.schema(id).property(name).is_some());
    let mut member = Map::new();
    for attribute in KEY_ATTRIBUTES.into_iter().filter(|a| named(a)) {
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
    // An empty page has no member key: a real server writes none (SAC reads the envelope
    // of a filter that matched nothing and breaks on `"device": []`).
    if !members.is_empty() {
        inner.insert(member_name.into(), Value::Array(members));
    }
    let mut outer = Map::new();
    outer.insert(envelope.into(), Value::Object(inner));
    Value::Object(outer)
}

/// The member a part belongs to, and the part's own address.
pub(crate) struct Owner<'a> {
    /// The member's key.
    pub key: u64,
    /// The part's URI (`/api/space/script-management/scripts/393217/contents`).
    pub uri: &'a str,
    /// What placeholders name the member by.
    pub label: &'a str,
}

/// A part of a member (`{"raw-configuration": {"configuration": "..."}}`). An answer that
/// wraps one object in a property `name` is the member's stored `#name` when it has one (a
/// job keeps its progress there), else the wrapped part built from the member. Otherwise each
/// scalar property of `schema` is the member's field of that name; else, for the attributes
/// a server writes from the member (an integer `id` or `@key`: its key; `@uri`: the part's
/// own address, as a script's contents name theirs, SDK22.2), that value; else a placeholder
/// naming the member.
pub(crate) fn part(
    api: &Api,
    schema: Option<SchemaId>,
    member_fields: &Value,
    owner: &Owner<'_>,
) -> Value {
    let Some(schema) = schema else {
        return Value::Object(Map::new());
    };
    if let Some(wrapper) = api.wrapped(schema) {
        let name = &wrapper.name;
        let stored = member_fields.get(format!("{PART_PREFIX}{name}"));
        let part = stored
            .cloned()
            .unwrap_or_else(|| part(api, Some(wrapper.schema), member_fields, owner));
        let mut wrapped = Map::new();
        wrapped.insert(name.clone(), part);
        return Value::Object(wrapped);
    }
    let mut part = Map::new();
    for property in &api.schema(schema).properties {
        let name = &property.name;
        let kind = api.schema(property.schema).kind;
        let value = match (member_fields.get(name), name.as_str(), kind) {
            (Some(value), _, _) => value.clone(),
            (None, "id" | "@key", Some(Kind::Integer)) => owner.key.into(),
            (None, "@uri", Some(Kind::String)) => owner.uri.into(),
            (None, _, _) => match kind {
                Some(Kind::String) => format!("## {name} of {}\n", owner.label).into(),
                Some(Kind::Integer | Kind::Number) => 0.into(),
                Some(Kind::Boolean) => false.into(),
                Some(Kind::Array) => Value::Array(Vec::new()),
                Some(Kind::Object) | None => continue,
            },
        };
        part.insert(name.clone(), value);
    }
    Value::Object(part)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_part_names_its_member_by_key_and_itself_by_its_own_uri() {
        let api = Api::from_yaml_str(
            r#"
openapi: 3.1.0
paths: {}
components:
  schemas:
    Contents:
      type: object
      properties:
        script:
          type: object
          properties:
            '@uri': {type: string}
            id: {type: integer}
            scriptName: {type: string}
            scriptContents: {type: string}
"#,
        )
        .expect("test spec reads");
        let schema = api.schemas().named("Contents");
        let owner = Owner {
            key: 393217,
            uri: "/api/space/scripts/393217/contents",
            label: "script 393217",
        };
        let stored = json!({"scriptName": "a.slax"});
        assert_eq!(
            part(&api, schema, &stored, &owner),
            json!({"script": {
                "@uri": "/api/space/scripts/393217/contents",
                "id": 393217,
                "scriptName": "a.slax",
                "scriptContents": "## scriptContents of script 393217\n",
            }})
        );
    }

    #[test]
    fn collections_carry_their_uri_count_and_members() {
        let one = vec![json!({"name": "a"})];
        let body = collection("users", "user", "/api/space/u", Some("@size"), 1, one);
        assert!(body["users"]["user"].is_array());
        assert_eq!(body["users"]["@size"], 1);
        assert_eq!(body["users"]["@uri"], "/api/space/u");
        let uncounted = collection("users", "user", "/api/space/u", None, 0, Vec::new());
        // An empty page names no member key.
        assert_eq!(uncounted, json!({"users": {"@uri": "/api/space/u"}}));
    }
}
