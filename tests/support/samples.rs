//! One deterministic, schema-valid sample value per schema, for wire and decoding tests.
//!
//! Query strings are filled with characters a URL must encode, so that a test of the query
//! also tests its encoding.

use junos_space_model::api::{
    Additional, Api, Format, Kind, Operation, ParameterLocation, SchemaId,
};
use serde_json::{Map, Value, json};

/// A query value with everything the server's filter and paging grammar uses, and more.
pub const AWKWARD_QUERY_TEXT: &str =
    "(deviceFamily eq 'junos' and name starts-with 'mx 1/2+é') & x=y,#z";

/// Sample arguments for a dynamic call of `operation`: every parameter by its spec name (query
/// strings as [`query_sample`]), and a request body when it takes one.
pub fn call_arguments(api: &Api, operation: &Operation) -> (Map<String, Value>, Option<Value>) {
    let parameters = operation
        .parameters
        .iter()
        .map(|parameter| {
            let value = match parameter.location {
                ParameterLocation::Query => query_sample(api, parameter.schema),
                _ => sample(api, parameter.schema),
            };
            (parameter.name.clone(), value)
        })
        .collect();
    let body = operation
        .request
        .as_ref()
        .and_then(|body| body.content.schema)
        .map(|schema| sample(api, schema));
    (parameters, body)
}

/// A sample value for `schema`.
pub fn sample(api: &Api, schema: SchemaId) -> Value {
    sample_at_depth(api, schema, 0)
}

/// A sample for a query parameter: strings are [`AWKWARD_QUERY_TEXT`] unless a format says
/// otherwise.
pub fn query_sample(api: &Api, id: SchemaId) -> Value {
    let schema = api.schema(id);
    match (schema.kind, schema.format, &schema.allowed) {
        (Some(Kind::String), None, None) => json!(AWKWARD_QUERY_TEXT),
        _ => sample(api, id),
    }
}

fn sample_at_depth(api: &Api, id: SchemaId, depth: usize) -> Value {
    let schema = api.schema(id);
    assert!(
        depth < 16,
        "schema nests too deep for a sample: {}",
        schema.pointer
    );
    if let Some(value) = schema.allowed.as_ref().and_then(|values| values.last()) {
        // The last value: for `In Sync`, ..., `Device Changed` it is one with a space.
        return value.clone();
    }
    match schema.kind {
        Some(Kind::Object) => {
            let mut object = Map::new();
            for property in &schema.properties {
                object.insert(
                    property.name.clone(),
                    sample_at_depth(api, property.schema, depth + 1),
                );
            }
            if let Additional::Each(extra) = schema.additional {
                object.insert("extra-name".into(), sample_at_depth(api, extra, depth + 1));
            }
            Value::Object(object)
        }
        Some(Kind::Array) => match schema.items {
            Some(items) => json!([sample_at_depth(api, items, depth + 1)]),
            None => json!(["sample text"]),
        },
        Some(Kind::Integer) => {
            let minimum = schema
                .minimum
                .as_ref()
                .and_then(|m| m.as_i64())
                .unwrap_or(0);
            json!(minimum.max(3_997_704))
        }
        Some(Kind::Number) => json!(42.5),
        Some(Kind::Boolean) => json!(true),
        Some(Kind::String) => json!(match schema.format {
            Some(Format::DateTime) => "2026-11-23T08:30:00Z",
            Some(Format::Email) => "netops@example.com",
            Some(Format::Uri) =>
                "https://space.example.com/api/hornet-q/queues/jms.queue.deploy-progress",
            Some(Format::Password) => "sample-password",
            None => "sample text",
        }),
        None => panic!("no sample for a schema of any type: {}", schema.pointer),
    }
}
