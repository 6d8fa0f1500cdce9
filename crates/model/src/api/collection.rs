//! Collection answers: `{"<envelope>": {"<member>": [item, ...], "@size": n}}`, the shape every
//! Junos Space list takes, recognised once from the answer's schema and read here in every
//! form a real server writes it; and the one-member wrapper (`{"device": {...}}`) that one
//! resource comes in.

use serde_json::Value;

use super::Api;
use super::provenance::Provenance;
use super::schema::{Kind, Property, SchemaId};

/// The attributes real servers count a collection with: `@size` on devices, packages
/// and change-requests, `@total` on users, jobs and scripts version 3, `@totalCount` on
/// the lists of the bundled OpenNMS, whose `@count` counts only the page, and `total`
/// (without `@`) on Security Director's lists (spec/README.md, `collection-counts`).
pub const COUNT_NAMES: [&str; 4] = ["@size", "@total", "@totalCount", "total"];

/// Where a collection answer keeps its members.
#[derive(Debug, Clone, PartialEq)]
pub struct Collection {
    /// The one top-level member of the answer (`devices`).
    pub envelope: String,
    /// The list inside it (`device`).
    pub member: String,
    /// The schema of one member.
    pub item: SchemaId,
    /// The envelope's attribute counting the whole collection, when the schema names one.
    pub count: Option<Count>,
}

/// The attribute that counts a collection.
#[derive(Debug, Clone, PartialEq)]
pub struct Count {
    /// `@size`, `@total` or `@totalCount`.
    pub name: String,
    /// Whether a source shows this collection counted under this name.
    pub provenance: Provenance,
}

impl Collection {
    /// The members of a collection `answer`, in every form a real server writes them: a list,
    /// one member as the object itself, no member key on an empty page.
    pub fn members<'v>(&self, answer: &'v Value) -> Vec<&'v Value> {
        super::render::list_items(answer.get(&self.envelope).and_then(|e| e.get(&self.member)))
    }

    /// The count of a collection `answer` under the name the spec gives it, read as a number
    /// or, as real servers write attributes, a string of digits.
    pub fn declared_count_in(&self, answer: &Value) -> Option<u64> {
        let name = &self.count.as_ref()?.name;
        read_count(answer.get(&self.envelope)?.get(name)?)
    }

    /// The count of a collection `answer`, read liberally: under the name the spec gives it,
    /// else under the other name real servers count collections with, since no source
    /// promises which one a service uses.
    pub fn count_in(&self, answer: &Value) -> Option<u64> {
        self.declared_count_in(answer).or_else(|| {
            let envelope = answer.get(&self.envelope)?;
            COUNT_NAMES
                .iter()
                .find_map(|name| envelope.get(*name).and_then(read_count))
        })
    }
}

/// A count as a number, or as real servers write attributes, its digits in a string.
fn read_count(count: &Value) -> Option<u64> {
    match count {
        Value::Number(number) => number.as_u64(),
        Value::String(text) if junos_space_lenient::forms::is_integer_text(text) => {
            text.parse().ok()
        }
        _ => None,
    }
}

/// A member's id as Junos Space names it: `@key`, else `id`, else the last segment of its own
/// URI, `@uri`, else of its `@href` (numbers or text, as servers write them). `@uri` comes
/// before `@href`, which need not name the member itself: a tag's target names the object it
/// tags in `@href` and its own address in `@uri` (SDK22.2 JSTagManagerSvc `index.html`).
pub fn member_id(member: &Value) -> Option<String> {
    let scalar = |value: &Value| match value {
        Value::String(text) if !text.is_empty() => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    };
    let last_segment = |name: &str| {
        member
            .get(name)
            .and_then(Value::as_str)
            .and_then(|uri| uri.trim_end_matches('/').rsplit('/').next())
            .filter(|last| !last.is_empty())
            .map(str::to_owned)
    };
    member
        .get("@key")
        .and_then(scalar)
        .or_else(|| member.get("id").and_then(scalar))
        .or_else(|| last_segment("@uri"))
        .or_else(|| last_segment("@href"))
}

impl Api {
    /// The member that wraps the whole of a value of `schema`, as Junos Space wraps one
    /// resource in a member named for it (`{"device": {...}}`, `{"raw-configuration": {...}}`):
    /// the schema's only property, itself an object schema that names properties. `None` for
    /// every other schema. A collection's envelope is such a wrapper too.
    pub fn wrapped(&self, schema: SchemaId) -> Option<&Property> {
        match self.schema(schema).properties.as_slice() {
            [only] if !self.schema(only.schema).properties.is_empty() => Some(only),
            _ => None,
        }
    }

    /// The collection shape of `schema`: an object with exactly one member, itself an object
    /// holding an array member. `None` for every other schema, and for a service's root
    /// document, which links its collection by a member named `collection` (SDK22.1
    /// `ScriptManagementSvc/rest.html`: `{"script-management":{"collection":{"@href"},
    /// "method":[...]}}`): its array lists links to the service's methods, not members.
    pub fn collection_of(&self, schema: SchemaId) -> Option<Collection> {
        let outer = self.schema(schema);
        let [envelope] = outer.properties.as_slice() else {
            return None;
        };
        let inner = self.schema(envelope.schema);
        if inner.properties.iter().any(|p| p.name == "collection") {
            return None;
        }
        // Only a name of `COUNT_NAMES` counts the collection: OpenNMS's `@count` beside its
        // `@totalCount` counts the page alone.
        let count = inner
            .properties
            .iter()
            .find(|p| {
                COUNT_NAMES.contains(&p.name.as_str())
                    && self.schema(p.schema).kind == Some(Kind::Integer)
            })
            .map(|p| Count {
                name: p.name.clone(),
                provenance: p.provenance.or(&self.schema(p.schema).provenance),
            });
        inner.properties.iter().find_map(|member| {
            let list = self.schema(member.schema);
            if list.kind != Some(Kind::Array) {
                return None;
            }
            Some(Collection {
                envelope: envelope.name.clone(),
                member: member.name.clone(),
                item: list.items?,
                count: count.clone(),
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn ids_come_from_key_id_uri_or_href() {
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
        // A target's own address is its @uri; its @href is the object it tags.
        let target = json!({
            "@href": "/api/space/device-management/devices/131073",
            "@uri": "/api/space/tag-management/tags/655361/targets/720897",
        });
        assert_eq!(member_id(&target).as_deref(), Some("720897"));
        assert_eq!(member_id(&json!({"name": "mx"})), None);
    }
}
