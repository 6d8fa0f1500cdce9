//! One deterministic, schema-valid sample value per schema, for wire and decoding tests.
//!
//! Query strings are filled with characters a URL must encode, so that a test of the query
//! also tests its encoding.

use junos_space_model::{Operation, ParameterLocation, Spec};
use serde_json::{Map, Value, json};

/// A query value with everything the server's filter and paging grammar uses, and more.
pub const AWKWARD_QUERY_TEXT: &str =
    "(deviceFamily eq 'junos' and name starts-with 'mx 1/2+é') & x=y,#z";

/// Sample arguments for a dynamic call of `operation`: every parameter by its spec name (query
/// strings as [`query_sample`]), and a request body when it takes one.
pub fn call_arguments(spec: &Spec, operation: &Operation) -> (Map<String, Value>, Option<Value>) {
    let parameters = operation
        .parameters
        .iter()
        .map(|parameter| {
            let value = match parameter.location {
                ParameterLocation::Query => query_sample(spec, &parameter.schema),
                _ => sample(spec, &parameter.schema),
            };
            (parameter.name.clone(), value)
        })
        .collect();
    let body = operation
        .request_body
        .as_ref()
        .and_then(|body| body.schema.as_ref())
        .map(|schema| sample(spec, schema));
    (parameters, body)
}

/// A sample value for `schema`; `$ref`s are followed through `spec`.
pub fn sample(spec: &Spec, schema: &Value) -> Value {
    sample_at_depth(spec, schema, 0)
}

/// A sample for a query parameter: strings are [`AWKWARD_QUERY_TEXT`] unless a format says
/// otherwise.
pub fn query_sample(spec: &Spec, schema: &Value) -> Value {
    let (schema, _) = spec.follow_refs(schema, "").expect("spec refs resolve");
    match (
        schema.get("type").and_then(Value::as_str),
        schema.get("format"),
    ) {
        (Some("string"), None) if schema.get("enum").is_none() => json!(AWKWARD_QUERY_TEXT),
        _ => sample(spec, schema),
    }
}

fn sample_at_depth(spec: &Spec, schema: &Value, depth: usize) -> Value {
    let (schema, _) = spec.follow_refs(schema, "").expect("spec refs resolve");
    assert!(depth < 16, "schema nests too deep for a sample: {schema}");
    if let Some(value) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|e| e.last())
    {
        // The last value: for `In Sync`, ..., `Device Changed` it is one with a space.
        return value.clone();
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("object") | None
            if schema.get("properties").is_some()
                || schema.get("additionalProperties").is_some() =>
        {
            let mut object = Map::new();
            for (name, property) in schema
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                object.insert(name.clone(), sample_at_depth(spec, property, depth + 1));
            }
            if let Some(extra) = schema.get("additionalProperties").filter(|e| e.is_object()) {
                object.insert("extra-name".into(), sample_at_depth(spec, extra, depth + 1));
            }
            Value::Object(object)
        }
        Some("object") => json!({}),
        Some("array") => {
            let items = schema
                .get("items")
                .cloned()
                .unwrap_or(json!({"type": "string"}));
            json!([sample_at_depth(spec, &items, depth + 1)])
        }
        Some("integer") => {
            let minimum = schema.get("minimum").and_then(Value::as_i64).unwrap_or(0);
            json!(minimum.max(3_997_704))
        }
        Some("number") => json!(42.5),
        Some("boolean") => json!(true),
        Some("string") => json!(match schema.get("format").and_then(Value::as_str) {
            Some("date-time") => "2026-11-23T08:30:00Z",
            Some("email") => "netops@example.com",
            Some("uri") =>
                "https://space.example.com/api/hornet-q/queues/jms.queue.deploy-progress",
            _ => "sample text",
        }),
        other => panic!("no sample for schema type {other:?}: {schema}"),
    }
}
