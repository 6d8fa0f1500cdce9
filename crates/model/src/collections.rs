//! Recognises collection answers: `{"<envelope>": {"<member>": [item, ...], "@size": n}}`,
//! the shape every Junos Space list takes (the count is `@size` or `@total`, by service).

use serde_json::Value;

use crate::{Operation, Spec};

/// Where a collection answer keeps its members.
#[derive(Debug, Clone, PartialEq)]
pub struct ListShape<'a> {
    /// The one top-level property (`devices`).
    pub envelope: &'a str,
    /// The array property inside it (`device`).
    pub member: &'a str,
    /// The schema of one member, `$ref`s followed.
    pub item: &'a Value,
    /// The envelope's integer attribute that counts the whole collection (`@size`, `@total`).
    pub count: Option<&'a str>,
}

/// A member's id as Junos Space names it: `@key`, else `id`, else the last segment of its
/// `@href` (numbers or text, as servers write them).
pub fn member_id(member: &Value) -> Option<String> {
    let scalar = |value: &Value| match value {
        Value::String(text) if !text.is_empty() => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    };
    member
        .get("@key")
        .and_then(scalar)
        .or_else(|| member.get("id").and_then(scalar))
        .or_else(|| {
            member
                .get("@href")
                .and_then(Value::as_str)
                .and_then(|href| href.trim_end_matches('/').rsplit('/').next())
                .filter(|last| !last.is_empty())
                .map(str::to_owned)
        })
}

impl ListShape<'_> {
    /// The members of a collection `answer`, read in every form a real server writes them: a
    /// list, one member as the object itself, no member key on an empty page.
    pub fn members<'v>(&self, answer: &'v Value) -> Vec<&'v Value> {
        match answer.get(self.envelope).and_then(|e| e.get(self.member)) {
            Some(Value::Array(items)) => items.iter().collect(),
            Some(Value::Null) | None => Vec::new(),
            Some(one) => vec![one],
        }
    }

    /// The count attribute of a collection `answer` (`@size`, `@total`), a number or, as real
    /// servers write attributes, a string of digits. `None` when the shape has no count or
    /// the answer does not carry a readable one.
    pub fn count_in(&self, answer: &Value) -> Option<u64> {
        let count = answer.get(self.envelope)?.get(self.count?)?;
        match count {
            Value::Number(number) => number.as_u64(),
            Value::String(text) => text.trim().parse().ok(),
            _ => None,
        }
    }
}

impl Spec {
    /// The list shape of `operation`'s success answer, if it answers a collection: the one
    /// rule the generator, the simulator and the kit read collections by.
    pub fn answer_list_shape<'a>(&'a self, operation: &'a Operation) -> Option<ListShape<'a>> {
        operation
            .responses
            .iter()
            .filter(|r| r.is_success())
            .flat_map(|r| &r.content)
            .filter_map(|c| c.schema.as_ref())
            .find_map(|schema| self.list_shape(schema))
    }

    /// The list shape of `schema`, if it is an object with exactly one property whose object
    /// holds an array property. `None` for every other schema (and for dangling `$ref`s).
    pub fn list_shape<'a>(&'a self, schema: &'a Value) -> Option<ListShape<'a>> {
        let outer = self.properties_of(schema);
        let [(envelope, inner)] = outer.as_slice() else {
            return None;
        };
        let count = self
            .properties_of(inner)
            .into_iter()
            .find(|(name, schema)| {
                name.starts_with('@')
                    && self.follow_refs(schema, "").is_ok_and(|(s, _)| {
                        s.get("type").and_then(Value::as_str) == Some("integer")
                    })
            })
            .map(|(name, _)| name);
        self.properties_of(inner)
            .into_iter()
            .find_map(|(member, array)| {
                let (array, _) = self.follow_refs(array, "").ok()?;
                if array.get("type").and_then(Value::as_str) != Some("array") {
                    return None;
                }
                let items = array.get("items")?;
                let (item, _) = self.follow_refs(items, "").ok()?;
                Some(ListShape {
                    envelope,
                    member,
                    item,
                    count,
                })
            })
    }

    /// The named properties of an object schema, in document order.
    fn properties_of<'a>(&'a self, schema: &'a Value) -> Vec<(&'a str, &'a Value)> {
        self.follow_refs(schema, "")
            .ok()
            .and_then(|(schema, _)| schema.get("properties"))
            .and_then(Value::as_object)
            .map(|properties| {
                properties
                    .iter()
                    .map(|(name, schema)| (name.as_str(), schema))
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::member_id;
    use crate::Spec;

    #[test]
    fn ids_come_from_key_id_or_href() {
        assert_eq!(
            member_id(&json!({"@key": "32964647"})).as_deref(),
            Some("32964647")
        );
        assert_eq!(
            member_id(&json!({"@key": 7, "id": 8})).as_deref(),
            Some("7")
        );
        assert_eq!(member_id(&json!({"id": 8})).as_deref(), Some("8"));
        assert_eq!(
            member_id(&json!({"@href": "/api/space/job-management/jobs/9/"})).as_deref(),
            Some("9")
        );
        assert_eq!(member_id(&json!({"name": "mx"})), None);
    }

    #[test]
    fn a_list_envelope_is_recognised_through_refs() {
        let spec = Spec::from_value(json!({"components": {"schemas": {
            "Device": {"type": "object", "properties": {"name": {"type": "string"}}},
            "Devices": {"type": "array", "items": {"$ref": "#/components/schemas/Device"}}}}}));
        let schema = json!({"type": "object", "properties": {"devices": {"type": "object",
            "properties": {"@uri": {"type": "string"}, "@size": {"type": "integer"},
                           "device": {"$ref": "#/components/schemas/Devices"}}}}});
        let shape = spec.list_shape(&schema).expect("a list");
        assert_eq!((shape.envelope, shape.member), ("devices", "device"));
        assert_eq!(shape.count, Some("@size"));
        assert_eq!(shape.item["properties"]["name"]["type"], "string");
    }

    #[test]
    fn other_shapes_are_not_lists() {
        let spec = Spec::from_value(json!({}));
        for schema in [
            json!({"type": "object", "properties": {"task": {"type": "object",
                "properties": {"id": {"type": "integer"}}}}}),
            json!({"type": "object", "properties": {"a": {"type": "object"}, "b": {"type": "object"}}}),
            json!({"type": "array", "items": {"type": "string"}}),
            json!({"$ref": "#/components/schemas/Missing"}),
        ] {
            assert_eq!(spec.list_shape(&schema), None, "{schema}");
        }
    }

    #[test]
    fn members_and_count_are_read_in_every_server_form() {
        let item = json!({"type": "object"});
        let shape = super::ListShape {
            envelope: "devices",
            member: "device",
            item: &item,
            count: Some("@size"),
        };
        let many = json!({"devices": {"@size": 2, "device": [{"id": 1}, {"id": 2}]}});
        assert_eq!(shape.members(&many).len(), 2);
        assert_eq!(shape.count_in(&many), Some(2));
        let one = json!({"devices": {"@size": "1", "device": {"id": 1}}});
        assert_eq!(shape.members(&one), vec![&json!({"id": 1})]);
        assert_eq!(shape.count_in(&one), Some(1));
        let empty = json!({"devices": {"@size": "0"}});
        assert!(shape.members(&empty).is_empty());
        assert_eq!(shape.count_in(&empty), Some(0));
        assert_eq!(shape.count_in(&json!({"devices": {"@size": "many"}})), None);
    }
}
