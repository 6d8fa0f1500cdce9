//! What a real Junos Space sends where the spec is silent: the forms its JSON values take
//! ([`render`]) and the JBoss Web error page of its 404, 405, 406, 415 and 5xx answers. The
//! simulator answers with them and the conformance kit serves them to the client, so both send
//! the same thing; the validator's [`Reading::SERVER_FORMS`](crate::validate::Reading) accepts
//! them.

use serde_json::{Map, Value};

use crate::Spec;
use crate::validate::{member_schema, required_names};

/// Which of a real server's value forms [`render`] applies.
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

/// `value` (valid for `schema`) in the forms `forms` names. Lists are recognised by the schema
/// of the member holding them, so members the schema does not describe keep their lists;
/// strings are decided by the member's name, so attributes anywhere are written as strings.
/// Scalars inside lists keep their type: the forms apply to object members only.
pub fn render(spec: &Spec, schema: &Value, value: &Value, forms: Forms) -> Value {
    let schema = spec
        .follow_refs(schema, "")
        .map_or(&Value::Null, |(schema, _)| schema);
    match value {
        Value::Object(members) => {
            let required = required_names(schema);
            let mut rendered = Map::new();
            for (name, member) in members {
                let described = member_schema(schema, name);
                let member = render(spec, described.unwrap_or(&Value::Null), member, forms);
                let member = match member {
                    Value::Array(mut items) if forms.one_member_lists && described.is_some() => {
                        match items.len() {
                            0 if !required.contains(&name.as_str()) => continue,
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
            let item_schema = schema.get("items").unwrap_or(&Value::Null);
            Value::Array(
                items
                    .iter()
                    .map(|item| match item {
                        Value::Object(_) | Value::Array(_) => {
                            render(spec, item_schema, item, forms)
                        }
                        scalar => scalar.clone(),
                    })
                    .collect(),
            )
        }
        scalar => scalar.clone(),
    }
}

fn writes_as_string(strings: Strings, member_name: &str) -> bool {
    match strings {
        Strings::None => false,
        Strings::Attributes => member_name.starts_with('@'),
        Strings::Every => true,
    }
}

/// The error page moved to the typed model; these names stay until the simulator reads it there.
pub use crate::api::error_page::{
    ERROR_PAGE_TYPE, error_page, not_acceptable_description, unsupported_type_description,
};

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec() -> Spec {
        Spec::from_yaml_str(
            r#"
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
        .unwrap()
    }

    fn thing() -> Value {
        json!({"$ref": "#/components/schemas/Thing"})
    }

    #[test]
    fn real_answers_collapse_lists_and_stringify_attributes_only() {
        let value = json!({"@key": 7, "id": 7, "up": true, "tags": [], "must": [],
            "parts": [{"@href": "/p/1", "size": 3}]});
        let rendered = render(&spec(), &thing(), &value, Forms::REAL_ANSWERS);
        assert_eq!(
            rendered,
            json!({"@key": "7", "id": 7, "up": true, "must": [],
                "parts": {"@href": "/p/1", "size": 3}})
        );
    }

    #[test]
    fn every_form_stringifies_fields_but_not_list_members() {
        let value = json!({"id": 7, "up": false, "must": [1, 2], "tags": ["a"]});
        let rendered = render(&spec(), &thing(), &value, Forms::EVERY);
        assert_eq!(
            rendered,
            json!({"id": "7", "up": "false", "must": [1, 2], "tags": "a"})
        );
    }

    #[test]
    fn no_forms_is_the_value_itself() {
        let value = json!({"@key": 7, "tags": [], "parts": [{"size": 1}]});
        assert_eq!(render(&spec(), &thing(), &value, Forms::NONE), value);
    }

    #[test]
    fn undescribed_members_keep_their_lists_but_attributes_become_strings() {
        let value = json!({"extra": [{"@size": 2}]});
        let rendered = render(&spec(), &thing(), &value, Forms::REAL_ANSWERS);
        assert_eq!(rendered, json!({"extra": [{"@size": "2"}]}));
    }

    #[test]
    fn what_is_rendered_reads_clean_as_server_forms() {
        use crate::validate::{Reading, validate};
        let value = json!({"@key": 7, "id": 7, "up": true, "tags": ["a"], "must": [],
            "parts": [{"@href": "/p/1", "size": 3}]});
        for forms in [Forms::REAL_ANSWERS, Forms::EVERY] {
            let rendered = render(&spec(), &thing(), &value, forms);
            assert_eq!(
                validate(&spec(), &thing(), &rendered, Reading::SERVER_FORMS),
                vec![]
            );
        }
    }
}
