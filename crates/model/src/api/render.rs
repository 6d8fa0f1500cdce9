//! A value written in the forms a real Junos Space writes it (`junos_space_lenient::forms`):
//! the simulator answers with them and the conformance kit serves them to the client, so both
//! send the same thing; [`Reading::SERVER_FORMS`](super::Reading) reads them back.

use serde_json::{Map, Value};

use super::Api;
use super::schema::SchemaId;

/// Which of a real server's value forms [`Api::render`] applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Forms {
    /// A one-member list is sent as that member, and an empty optional list is left out.
    pub one_member_lists: bool,
    /// Which scalars are sent as JSON strings.
    pub strings: Strings,
}

/// Which scalars of object members a server writes as JSON strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strings {
    /// None: numbers and booleans keep their JSON type.
    None,
    /// Numbers and booleans in `@`-attributes (`"@key": "32964647"`), as captures of real
    /// answers show; plain fields stay typed (`"id": 31358978`).
    Attributes,
    /// Numbers and booleans in every object member, as real servers accept in request bodies
    /// (`"usePing": "True"`): the widest form a client must read.
    Every,
}

impl Forms {
    /// The values exactly as the schema types them.
    pub const NONE: Forms = Forms {
        one_member_lists: false,
        strings: Strings::None,
    };
    /// What captures of real answers show.
    pub const REAL_ANSWERS: Forms = Forms {
        one_member_lists: true,
        strings: Strings::Attributes,
    };
    /// Every form the server-forms reading accepts: what a client must survive.
    pub const EVERY: Forms = Forms {
        one_member_lists: true,
        strings: Strings::Every,
    };
}

impl Api {
    /// `value` (a value of `schema`) in the forms `forms` names. Lists are recognised by the
    /// schema of the member holding them, so members the schema does not describe keep their
    /// lists; strings are decided by the member's name, so attributes anywhere are written as
    /// strings. Scalars inside lists keep their type: the forms apply to object members only.
    pub fn render(&self, schema: SchemaId, value: &Value, forms: Forms) -> Value {
        self.render_in(Some(schema), value, forms)
    }

    fn render_in(&self, schema: Option<SchemaId>, value: &Value, forms: Forms) -> Value {
        let schema = schema.map(|id| self.schema(id));
        match value {
            Value::Object(members) => {
                let mut rendered = Map::new();
                for (name, member) in members {
                    let described = schema.and_then(|s| s.member_schema(name));
                    let required = schema
                        .and_then(|s| s.property(name))
                        .is_some_and(|p| p.required);
                    let member = self.render_in(described, member, forms);
                    let member = match member {
                        Value::Array(mut items)
                            if forms.one_member_lists && described.is_some() =>
                        {
                            match items.len() {
                                0 if !required => continue,
                                1 => items.remove(0),
                                _ => Value::Array(items),
                            }
                        }
                        scalar @ (Value::Number(_) | Value::Bool(_))
                            if writes_as_string(forms.strings, name) =>
                        {
                            Value::String(scalar.to_string())
                        }
                        other => other,
                    };
                    rendered.insert(name.clone(), member);
                }
                Value::Object(rendered)
            }
            Value::Array(items) => {
                let item_schema = schema.and_then(|s| s.items);
                Value::Array(
                    items
                        .iter()
                        .map(|item| match item {
                            Value::Object(_) | Value::Array(_) => {
                                self.render_in(item_schema, item, forms)
                            }
                            scalar => scalar.clone(),
                        })
                        .collect(),
                )
            }
            scalar => scalar.clone(),
        }
    }
}

/// The members of a list as a real server writes it: an array, its only member on its own, or
/// `null` (or nothing) for an empty list, as the lenient decoders read it.
pub(crate) fn list_items(value: Option<&Value>) -> Vec<&Value> {
    match value {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(one) => vec![one],
    }
}

fn writes_as_string(strings: Strings, member_name: &str) -> bool {
    match strings {
        Strings::None => false,
        Strings::Attributes => member_name.starts_with('@'),
        Strings::Every => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Reading;
    use serde_json::json;

    fn api() -> Api {
        Api::from_yaml_str(
            r#"
openapi: 3.1.0
paths: {}
components:
  schemas:
    Thing:
      type: object
      required: [must]
      properties:
        "@key": {type: integer}
        id: {type: integer}
        up: {type: boolean}
        tags: {type: array, items: {type: string}}
        must: {type: array, items: {type: integer}}
        parts: {type: array, items: {$ref: '#/components/schemas/Part'}}
    Part:
      type: object
      properties:
        "@href": {type: string}
        size: {type: integer}
"#,
        )
        .expect("reads")
    }

    fn thing(api: &Api) -> SchemaId {
        api.schemas().named("Thing").expect("declared")
    }

    #[test]
    fn real_answers_collapse_lists_and_stringify_attributes_only() {
        let api = api();
        let value = json!({"@key": 7, "id": 7, "up": true, "tags": [], "must": [],
            "parts": [{"@href": "/p/1", "size": 3}]});
        assert_eq!(
            api.render(thing(&api), &value, Forms::REAL_ANSWERS),
            json!({"@key": "7", "id": 7, "up": true, "must": [],
                "parts": {"@href": "/p/1", "size": 3}})
        );
    }

    #[test]
    fn every_form_stringifies_fields_but_not_list_members() {
        let api = api();
        let value = json!({"id": 7, "up": false, "must": [1, 2], "tags": ["a"]});
        assert_eq!(
            api.render(thing(&api), &value, Forms::EVERY),
            json!({"id": "7", "up": "false", "must": [1, 2], "tags": "a"})
        );
    }

    #[test]
    fn no_forms_is_the_value_itself_and_undescribed_lists_stay() {
        let api = api();
        let value = json!({"@key": 7, "tags": [], "parts": [{"size": 1}]});
        assert_eq!(api.render(thing(&api), &value, Forms::NONE), value);
        let extra = json!({"extra": [{"@size": 2}]});
        assert_eq!(
            api.render(thing(&api), &extra, Forms::REAL_ANSWERS),
            json!({"extra": [{"@size": "2"}]})
        );
    }

    #[test]
    fn what_is_rendered_reads_clean_as_server_forms() {
        let api = api();
        let value = json!({"@key": 7, "id": 7, "up": true, "tags": ["a"], "must": [],
            "parts": [{"@href": "/p/1", "size": 3}]});
        for forms in [Forms::REAL_ANSWERS, Forms::EVERY] {
            let rendered = api.render(thing(&api), &value, forms);
            assert_eq!(
                api.validate(thing(&api), &rendered, Reading::SERVER_FORMS),
                vec![]
            );
        }
    }
}
