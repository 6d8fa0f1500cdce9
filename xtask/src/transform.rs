//! The fix-ups that turn `spec/` into a document progenitor accepts, in memory; the order
//! they run in is [`crate::steps::STEPS`].
//!
//! The spec stays the source of truth and is never rewritten on disk. Each fix-up exists
//! because of one limit of progenitor-impl 0.15.1 (see `../shared/progenitor-notes.md`), says
//! which, counts the places it changed, and fails with a pointer into the spec when the
//! document asks for more than progenitor can do.

use junos_space_model::{Operation, Spec, SpecError, pointer};
use serde_json::{Map, Value};

use crate::steps::Input;

/// Schema keywords of OpenAPI 3.1 (JSON Schema 2020-12) that 3.0 does not know.
const ONLY_IN_3_1: [&str; 8] = [
    "const",
    "prefixItems",
    "$defs",
    "if",
    "dependentSchemas",
    "unevaluatedProperties",
    "contentMediaType",
    "examples",
];

/// progenitor refuses any version but 3.0.x, while the spec is 3.1.0 and uses no construct
/// that 3.0 lacks. Declares 3.0.3 after checking that this is still true of every schema.
pub(crate) fn declare_openapi_3_0(
    input: &Input<'_>,
    document: &mut Value,
) -> Result<usize, SpecError> {
    let spec = input.spec;
    let version = document
        .get("openapi")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !(version.starts_with("3.1.") || version.starts_with("3.0.")) {
        return Err(SpecError::at(
            "/openapi",
            format!("OpenAPI version `{version}` is not supported"),
            "declare `openapi: 3.1.0` (or 3.0.x)",
        ));
    }
    for key in ["webhooks", "jsonSchemaDialect"] {
        if document.get(key).is_some() {
            return Err(SpecError::at(
                pointer::join("", key),
                format!("`{key}` exists only in OpenAPI 3.1, which progenitor cannot read"),
                "remove it: the client does not use it",
            ));
        }
    }
    for (at, schema) in spec.schemas() {
        let unsupported = |keyword: &str, why: &str| {
            SpecError::at(
                pointer::join(&at, keyword),
                format!("`{keyword}` {why}, which progenitor (OpenAPI 3.0 only) cannot read"),
                "write it the OpenAPI 3.0 way: `nullable: true`, boolean exclusiveMinimum with \
                 minimum, `enum` with one value, `example`",
            )
        };
        if schema.get("type").is_some_and(Value::is_array) {
            return Err(unsupported("type", "is a list of types (OpenAPI 3.1)"));
        }
        for keyword in ["exclusiveMinimum", "exclusiveMaximum"] {
            if schema.get(keyword).is_some_and(Value::is_number) {
                return Err(unsupported(keyword, "is a number (OpenAPI 3.1)"));
            }
        }
        if let Some(keyword) = ONLY_IN_3_1.iter().find(|k| schema.get(**k).is_some()) {
            return Err(unsupported(keyword, "is a JSON Schema 2020-12 keyword"));
        }
    }
    document["openapi"] = Value::from("3.0.3");
    Ok(1)
}

/// progenitor panics on a request body with more than one media type. Each media type of
/// such a body is its own method (named by `x-operation-id`), so each becomes an operation of
/// its own. They share one URL; OpenAPI allows one operation per path and method, so every
/// copy after the first gets a path whose variables are spelt with extra underscores:
/// `{package_id__}` names the same Rust argument (`package_id`) and builds the same URL.
pub(crate) fn split_request_media_types(
    input: &Input<'_>,
    document: &mut Value,
) -> Result<usize, SpecError> {
    let spec = input.spec;
    let mut copies_of: std::collections::HashMap<&str, usize> = Default::default();
    let mut narrowed = 0;
    for method in input.operations.iter().filter(|m| m.variant_of.is_some()) {
        let copy = copies_of.entry(&method.pointer).or_insert(0);
        let index = *copy;
        *copy += 1;
        let mut operation = spec
            .document()
            .pointer(&method.pointer)
            .cloned()
            .ok_or_else(|| {
                SpecError::at(&method.pointer, "operation vanished while splitting", "")
            })?;
        narrow_to_method(spec, method, &mut operation)?;
        narrowed += 1;
        if index == 0 {
            *document
                .pointer_mut(&method.pointer)
                .expect("walked from this document") = operation;
            continue;
        }
        let renamed_path = rename_path_variables(&method.path, index);
        let mut parameters = Vec::new();
        for parameter in &method.parameters {
            let (object, _) = spec.resolve_at(&parameter.pointer)?;
            let mut object = object.clone();
            if parameter.location == junos_space_model::ParameterLocation::Path {
                object["name"] = Value::from(parameter.name.clone() + &"_".repeat(index + 1));
            }
            parameters.push(object);
        }
        operation["parameters"] = Value::Array(parameters);
        let paths = document["paths"]
            .as_object_mut()
            .expect("walked from this document");
        if paths.contains_key(&renamed_path) {
            return Err(SpecError::at(
                pointer::from_tokens(["paths", renamed_path.as_str()]),
                "this path collides with the copy made for another request media type",
                "rename the path's variables",
            ));
        }
        let mut item = Map::new();
        item.insert(method.method.key().to_owned(), operation);
        paths.insert(renamed_path, Value::Object(item));
    }
    Ok(narrowed)
}

/// Every entry of every path item (operations, and `parameters`, which hold neither a body
/// nor responses), with its pointer.
fn operations_in(document: &Value) -> Vec<(String, &Value)> {
    let paths = document.get("paths").and_then(Value::as_object);
    paths
        .into_iter()
        .flatten()
        .flat_map(|(path, item)| {
            item.as_object()
                .into_iter()
                .flatten()
                .map(move |(key, value)| {
                    (
                        pointer::from_tokens(["paths", path.as_str(), key.as_str()]),
                        value,
                    )
                })
        })
        .collect()
}

/// progenitor asserts that an operation's error statuses share one kind of body, and panics on
/// one that documents a JSON error for 404 and no body for 412 (job cancel). The generated
/// client never decodes an error status (the runtime glue hands it back unread, whatever it
/// holds), so where the kinds mix, progenitor is shown the error statuses without content.
pub(crate) fn one_error_body_kind(
    input: &Input<'_>,
    document: &mut Value,
) -> Result<usize, SpecError> {
    let spec = input.spec;
    let mut mixed = Vec::new();
    for (op_at, operation) in operations_in(document) {
        let Some(responses) = operation.get("responses").and_then(Value::as_object) else {
            continue;
        };
        let at = format!("{op_at}/responses");
        let mut with_body = false;
        let mut without_body = false;
        for (status, response) in responses {
            if status.starts_with('2') {
                continue;
            }
            let (response, _) = spec.follow_refs(response, &pointer::join(&at, status))?;
            if response.get("content").is_some() {
                with_body = true;
            } else {
                without_body = true;
            }
        }
        if with_body && without_body {
            mixed.push(at);
        }
    }
    let changed = mixed.len();
    for at in mixed {
        let responses = document
            .pointer_mut(&at)
            .and_then(Value::as_object_mut)
            .expect("listed above");
        for (status, response) in responses.iter_mut() {
            if !status.starts_with('2') {
                *response =
                    serde_json::json!({ "description": "Not decoded: handed back unread." });
            }
        }
    }
    Ok(changed)
}

/// Keeps only `method`'s request media type and its success answer types, under its own id.
fn narrow_to_method(
    spec: &Spec,
    method: &Operation,
    operation: &mut Value,
) -> Result<(), SpecError> {
    let body = method.request_body.as_ref().expect("variants have a body");
    let (request_body, _) = spec.resolve_at(&pointer::join(&method.pointer, "requestBody"))?;
    let mut request_body = request_body.clone();
    request_body["content"]
        .as_object_mut()
        .expect("walked")
        .retain(|media_type, _| *media_type == body.media_type);
    operation["requestBody"] = request_body;
    operation["operationId"] = Value::from(method.operation_id.clone());
    let responses = operation["responses"].as_object_mut().expect("walked");
    for response in &method.responses {
        if response.is_success() {
            let (object, _) = spec.resolve_at(&response.pointer)?;
            let mut object = object.clone();
            if let Some(content) = object.get_mut("content").and_then(Value::as_object_mut) {
                content.retain(|media_type, _| method.accept.contains(media_type));
            }
            responses.insert(response.status.clone(), object);
        }
    }
    Ok(())
}

/// `/a/{id}/b` becomes `/a/{id__}/b` for copy 1, `/a/{id___}/b` for copy 2, and so on.
fn rename_path_variables(path: &str, copy: usize) -> String {
    let suffix = "_".repeat(copy + 1);
    path.split('/')
        .map(
            |segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => format!("{{{name}{suffix}}}"),
                None => segment.to_owned(),
            },
        )
        .collect::<Vec<_>>()
        .join("/")
}

/// progenitor types a body or an answer only for `application/json`: it refuses vendor
/// request types and hands vendor answers back as raw bytes. Every `+json` type is therefore
/// shown to it as `application/json`; the exact vendor types are put back on the wire from
/// the spec by [`crate::wire`].
pub(crate) fn vendor_json_as_application_json(
    _: &Input<'_>,
    document: &mut Value,
) -> Result<usize, SpecError> {
    let mut contents: Vec<String> = Vec::new();
    for (op_at, operation) in operations_in(document) {
        if operation
            .get("requestBody")
            .and_then(|b| b.get("content"))
            .is_some()
        {
            contents.push(format!("{op_at}/requestBody/content"));
        }
        for (status, response) in operation
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if response.get("content").is_some() {
                contents.push(format!(
                    "{}/content",
                    pointer::join(&format!("{op_at}/responses"), status)
                ));
            }
        }
    }
    for kind in ["responses", "requestBodies"] {
        let items = document
            .pointer(&format!("/components/{kind}"))
            .and_then(Value::as_object);
        for (name, item) in items.into_iter().flatten() {
            if item.get("content").is_some() {
                contents.push(format!(
                    "{}/content",
                    pointer::from_tokens(["components", kind, name.as_str()])
                ));
            }
        }
    }
    let mut renamed_types = 0;
    for at in contents {
        let content = document
            .pointer_mut(&at)
            .and_then(Value::as_object_mut)
            .expect("listed above");
        let mut renamed = Map::new();
        for (media_type, media) in std::mem::take(content) {
            let json = junos_space_model::MediaType::parse(&media_type).is_ok_and(|m| m.is_json());
            let key = if json && media_type != "application/json" {
                renamed_types += 1;
                "application/json".to_owned()
            } else {
                media_type.clone()
            };
            if renamed.insert(key, media).is_some() {
                return Err(SpecError::at(
                    pointer::join(&at, &media_type),
                    "a second JSON media type in one body or answer",
                    "progenitor decodes one JSON type per status: pair request and answer \
                     types with x-operation-id and x-accept",
                ));
            }
        }
        *content = renamed;
    }
    Ok(renamed_types)
}

/// Undoes `rename_path_variables` in generated documentation, so a split method's docs show
/// the spec's path: `{package_id__}` reads `{package_id}` again.
pub fn restore_path_variables(text: &str) -> String {
    let mut restored = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        restored.push_str(&rest[..open]);
        let after = &rest[open..];
        match after.find('}') {
            Some(close) if after[1..close].ends_with("__") && !after[1..close].contains('{') => {
                restored.push('{');
                restored.push_str(after[1..close].trim_end_matches('_'));
                restored.push('}');
                rest = &after[close + 1..];
            }
            _ => {
                restored.push('{');
                rest = &after[1..];
            }
        }
    }
    restored.push_str(rest);
    restored
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(spec: &Spec) -> Input<'_> {
        static NO_WIRE: std::collections::BTreeMap<String, crate::wire::Wire> =
            std::collections::BTreeMap::new();
        Input {
            spec,
            operations: &[],
            wire: &NO_WIRE,
        }
    }

    #[test]
    fn path_copies_keep_the_argument_name() {
        assert_eq!(
            rename_path_variables("/p/{package_id}/x", 1),
            "/p/{package_id__}/x"
        );
        assert_eq!(
            rename_path_variables("/p/{id}/{sub}", 2),
            "/p/{id___}/{sub___}"
        );
    }

    #[test]
    fn docs_show_the_spec_path_again() {
        let path = "/p/{package_id}/x";
        assert_eq!(
            restore_path_variables(&rename_path_variables(path, 2)),
            path
        );
        assert_eq!(restore_path_variables("a {b} {c_}"), "a {b} {c_}");
    }

    #[test]
    fn error_bodies_are_dropped_only_where_kinds_mix() {
        let spec = Spec::from_yaml_str(
            r#"
openapi: 3.1.0
paths:
  /jobs/{id}/cancel:
    post:
      responses:
        '200': {description: Cancelled.}
        '404': {$ref: '#/components/responses/NotFound'}
        '412': {description: Too late.}
  /jobs/{id}:
    get:
      responses:
        '200': {description: Job., content: {application/json: {schema: {type: object}}}}
        '404': {$ref: '#/components/responses/NotFound'}
components:
  responses:
    NotFound:
      description: Not found.
      content: {application/json: {schema: {type: object}}}
"#,
        )
        .expect("parses");
        let mut document = spec.document().clone();
        let changed = one_error_body_kind(&input(&spec), &mut document).expect("transforms");
        assert_eq!(changed, 1);
        let cancel = &document["paths"]["/jobs/{id}/cancel"]["post"]["responses"];
        assert!(cancel["404"].get("content").is_none() && cancel["404"].get("$ref").is_none());
        assert!(cancel["412"].get("content").is_none());
        let read = &document["paths"]["/jobs/{id}"]["get"]["responses"];
        assert_eq!(read["404"]["$ref"], "#/components/responses/NotFound");
        assert!(read["200"].get("content").is_some());
    }

    #[test]
    fn three_one_only_constructs_are_named() {
        let spec = Spec::from_yaml_str(
            "openapi: 3.1.0\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        n: {type: [string, 'null']}\n",
        )
        .expect("parses");
        let mut document = spec.document().clone();
        let error = declare_openapi_3_0(&input(&spec), &mut document).expect_err("3.1 only");
        assert_eq!(error.pointer, "/components/schemas/A/properties/n/type");
    }
}
