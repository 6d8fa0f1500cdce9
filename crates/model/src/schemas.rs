//! Every schema object of the document, nested ones included, each with its pointer.

use serde_json::Value;

use crate::Spec;
use crate::pointer;

/// Keys whose value is one subschema.
const SINGLE_SUBSCHEMA_KEYS: [&str; 4] = ["items", "not", "additionalProperties", "contains"];
/// Keys whose value is a list of subschemas.
const LIST_SUBSCHEMA_KEYS: [&str; 4] = ["allOf", "anyOf", "oneOf", "prefixItems"];
/// Keys whose value maps names to subschemas.
const MAP_SUBSCHEMA_KEYS: [&str; 3] = ["properties", "patternProperties", "$defs"];

impl Spec {
    /// Every schema in the document, outermost first. A `$ref` node is listed once, where it
    /// stands; its target is listed where the target stands.
    pub fn schemas(&self) -> Vec<(String, &Value)> {
        let mut found = Vec::new();
        let document = self.document();
        let components = document.get("components");
        for (name, schema) in object_entries(components.and_then(|c| c.get("schemas"))) {
            walk(
                schema,
                pointer::from_tokens(["components", "schemas", name]),
                &mut found,
            );
        }
        for (name, parameter) in object_entries(components.and_then(|c| c.get("parameters"))) {
            if let Some(schema) = parameter.get("schema") {
                let at = pointer::from_tokens(["components", "parameters", name, "schema"]);
                walk(schema, at, &mut found);
            }
        }
        for kind in ["responses", "requestBodies"] {
            for (name, item) in object_entries(components.and_then(|c| c.get(kind))) {
                if let Some(content) = item.get("content") {
                    walk_content(
                        content,
                        &pointer::from_tokens(["components", kind, name]),
                        &mut found,
                    );
                }
            }
        }
        for (path, item) in object_entries(document.get("paths")) {
            let item_at = pointer::from_tokens(["paths", path]);
            walk_parameters(
                item.get("parameters"),
                &pointer::join(&item_at, "parameters"),
                &mut found,
            );
            for (method, operation) in object_entries(Some(item)) {
                if method == "parameters" || !operation.is_object() {
                    continue;
                }
                let op_at = pointer::join(&item_at, method);
                walk_parameters(
                    operation.get("parameters"),
                    &pointer::join(&op_at, "parameters"),
                    &mut found,
                );
                if let Some(content) = operation.get("requestBody").and_then(|b| b.get("content")) {
                    walk_content(content, &pointer::join(&op_at, "requestBody"), &mut found);
                }
                for (status, response) in object_entries(operation.get("responses")) {
                    if let Some(content) = response.get("content") {
                        let at = pointer::from_tokens(["responses", status]);
                        walk_content(content, &format!("{op_at}{at}"), &mut found);
                    }
                }
            }
        }
        found
    }
}

fn object_entries(value: Option<&Value>) -> impl Iterator<Item = (&str, &Value)> {
    value
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.as_str(), v))
}

fn walk_content<'a>(content: &'a Value, at: &str, found: &mut Vec<(String, &'a Value)>) {
    for (media_type, media) in object_entries(Some(content)) {
        if let Some(schema) = media.get("schema") {
            let schema_at = pointer::from_tokens(["content", media_type, "schema"]);
            walk(schema, format!("{at}{schema_at}"), found);
        }
    }
}

fn walk_parameters<'a>(list: Option<&'a Value>, at: &str, found: &mut Vec<(String, &'a Value)>) {
    for (i, parameter) in list
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if let Some(schema) = parameter.get("schema") {
            walk(schema, format!("{at}/{i}/schema"), found);
        }
    }
}

fn walk<'a>(schema: &'a Value, at: String, found: &mut Vec<(String, &'a Value)>) {
    if !schema.is_object() {
        return;
    }
    for key in SINGLE_SUBSCHEMA_KEYS {
        if let Some(sub) = schema.get(key) {
            walk(sub, pointer::join(&at, key), found);
        }
    }
    for key in LIST_SUBSCHEMA_KEYS {
        for (i, sub) in schema
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            walk(sub, format!("{}/{i}", pointer::join(&at, key)), found);
        }
    }
    for key in MAP_SUBSCHEMA_KEYS {
        for (name, sub) in object_entries(schema.get(key)) {
            walk(sub, pointer::join(&pointer::join(&at, key), name), found);
        }
    }
    found.push((at, schema));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_schemas_with_their_pointers() {
        let spec = Spec::from_yaml_str(
            r#"
paths:
  /a:
    get:
      parameters: [{name: q, in: query, schema: {type: string}}]
      responses:
        '200':
          content:
            application/json:
              schema: {type: object, properties: {'@total': {type: integer}, list: {type: array, items: {$ref: '#/components/schemas/X'}}}}
components:
  schemas:
    X: {type: object, additionalProperties: {type: string}}
"#,
        )
        .expect("parses");
        let pointers: Vec<String> = spec.schemas().into_iter().map(|(at, _)| at).collect();
        for expected in [
            "/components/schemas/X",
            "/components/schemas/X/additionalProperties",
            "/paths/~1a/get/parameters/0/schema",
            "/paths/~1a/get/responses/200/content/application~1json/schema/properties/@total",
            "/paths/~1a/get/responses/200/content/application~1json/schema/properties/list/items",
        ] {
            assert!(
                pointers.iter().any(|p| p == expected),
                "{expected} missing from {pointers:#?}"
            );
        }
    }
}
