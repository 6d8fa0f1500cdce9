//! The model written back as JSON Schema: what a generator that takes an OpenAPI document
//! (progenitor) is given, so that it reads the schemas exactly as the model did, `$ref`s to
//! named schemas kept, extensions left out.

use serde_json::{Map, Value};

use super::Api;
use super::schema::{Additional, SchemaId};
use crate::pointer;

impl Api {
    /// `schema` as JSON Schema: a `$ref` to `#/components/schemas/NAME` when it is a named
    /// schema, else the schema itself, each keyword the model reads written back and the
    /// extensions left out.
    pub fn schema_json(&self, schema: SchemaId) -> Value {
        match &self.schema(schema).name {
            Some(name) => {
                let target = pointer::from_tokens(["components", "schemas", name.as_str()]);
                serde_json::json!({ "$ref": format!("#{target}") })
            }
            None => self.schema_body_json(schema),
        }
    }

    /// `schema` itself as JSON Schema, even when it is a named one (for `components/schemas`).
    pub fn schema_body_json(&self, schema: SchemaId) -> Value {
        let schema = self.schema(schema);
        let mut object = Map::new();
        if let Some(kind) = schema.kind {
            object.insert("type".into(), kind.name().into());
        }
        if let Some(title) = &schema.title {
            object.insert("title".into(), title.clone().into());
        }
        if let Some(description) = &schema.description {
            object.insert("description".into(), description.clone().into());
        }
        let required: Vec<Value> = schema.required().map(Value::from).collect();
        if !required.is_empty() {
            object.insert("required".into(), Value::Array(required));
        }
        if !schema.properties.is_empty() {
            let properties: Map<String, Value> = schema
                .properties
                .iter()
                .map(|p| (p.name.clone(), self.schema_json(p.schema)))
                .collect();
            object.insert("properties".into(), Value::Object(properties));
        }
        match schema.additional {
            Additional::Unsaid => {}
            Additional::Forbidden => {
                object.insert("additionalProperties".into(), false.into());
            }
            Additional::Each(each) => {
                object.insert("additionalProperties".into(), self.schema_json(each));
            }
        }
        if let Some(items) = schema.items {
            object.insert("items".into(), self.schema_json(items));
        }
        if let Some(min_items) = schema.min_items {
            object.insert("minItems".into(), min_items.into());
        }
        for (key, bound) in [("minimum", &schema.minimum), ("maximum", &schema.maximum)] {
            if let Some(bound) = bound {
                object.insert(key.into(), Value::Number(bound.clone()));
            }
        }
        if let Some(allowed) = &schema.allowed {
            object.insert("enum".into(), Value::Array(allowed.clone()));
        }
        if let Some(format) = schema.format {
            object.insert("format".into(), format.name().into());
        }
        if let Some(default) = &schema.default {
            object.insert("default".into(), default.clone());
        }
        if let Some(example) = &schema.example {
            object.insert("example".into(), example.clone());
        }
        Value::Object(object)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn schemas_are_written_back_with_their_references() {
        let api = Api::from_yaml_str(
            r#"
openapi: 3.1.0
paths: {}
components:
  schemas:
    Job:
      type: object
      description: A job.
      required: [id]
      x-decision: job-shape
      properties:
        id: {type: integer, minimum: 0}
        tags: {type: array, minItems: 1, items: {type: string, format: uri}}
        parent: {$ref: '#/components/schemas/Job', x-decision: parent-link}
        extra: {additionalProperties: {type: boolean}}
        state: {type: string, enum: [A, B]}
"#,
        )
        .expect("reads");
        let job = api.schemas().named("Job").expect("declared");
        assert_eq!(
            api.schema_json(job),
            json!({"$ref": "#/components/schemas/Job"})
        );
        assert_eq!(
            api.schema_body_json(job),
            json!({
                "type": "object",
                "description": "A job.",
                "required": ["id"],
                "properties": {
                    "id": {"type": "integer", "minimum": 0},
                    "tags": {"type": "array", "items": {"type": "string", "format": "uri"},
                             "minItems": 1},
                    "parent": {"$ref": "#/components/schemas/Job"},
                    "extra": {"type": "object", "additionalProperties": {"type": "boolean"}},
                    "state": {"type": "string", "enum": ["A", "B"]}
                }
            })
        );
    }
}
