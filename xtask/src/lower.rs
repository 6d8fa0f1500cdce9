//! The model written as the OpenAPI 3.0 document progenitor reads: the one place that knows
//! progenitor-impl 0.15.1's limits on input (`../shared/progenitor-notes.md`), each rule a
//! named function saying which limit it meets.
//!
//! The xtask never reads `spec/` itself: the model has read and checked it, and this module
//! writes what progenitor needs from it. What progenitor cannot express (the exact vendor
//! media types on the wire) is put back into its output by the rewrites of
//! the steps of `crate::steps`.

use std::collections::HashMap;

use junos_space_model::SpecError;
use junos_space_model::api::{Api, Content, Operation, ParameterLocation, Response};
use serde_json::{Map, Value, json};

/// What progenitor is given, and where each of its operations stands in the spec (a split
/// method's copy has a path the spec does not have, so faults are named by this map).
pub struct Lowered {
    /// The document the client is generated from.
    pub client: Value,
    /// The document the mocks are generated from: the client's, with each status as the spec
    /// writes it (see [`decided_success_reads_any_2xx`]).
    pub mock: Value,
    pub origin: HashMap<String, String>,
}

/// The OpenAPI 3.0 documents progenitor generates the client and the mocks from.
pub fn lower(api: &Api) -> Result<Lowered, SpecError> {
    let mut paths = Map::new();
    let mut origin = HashMap::new();
    let mut copies: HashMap<&str, usize> = HashMap::new();
    let mut lowered_at = Vec::new();
    for operation in api.operations() {
        let copy = copies.entry(operation.pointer.as_str()).or_insert(0);
        let path = one_path_per_method(&operation.path, *copy);
        *copy += 1;
        let item = paths
            .entry(path.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        let method = operation.method.key();
        if item.get(method).is_some() {
            return Err(SpecError::at(
                &operation.pointer,
                format!("two methods lower to {} {path}", operation.method),
                "rename the path's variables",
            ));
        }
        item[method] = lower_operation(api, operation, *copy - 1)?;
        lowered_at.push((path, method, operation));
        let at = match (&operation.variant_of, &operation.request) {
            (Some(_), Some(body)) => body.content.pointer.clone(),
            _ => operation.pointer.clone(),
        };
        origin.insert(operation.id.clone(), at);
    }
    let schemas: Map<String, Value> = api
        .schemas()
        .iter()
        .filter_map(|(id, schema)| Some((schema.name.clone()?, api.schema_body_json(id))))
        .collect();
    let info = api.info();
    let mut info_json = json!({ "title": info.title, "version": info.version });
    if let Some(description) = &info.description {
        info_json["description"] = Value::from(description.clone());
    }
    let mock = json!({
        // progenitor refuses any version but 3.0.x; the model holds no construct 3.0 lacks
        // (it refuses type lists, numeric exclusive bounds and the 2020-12 keywords).
        "openapi": "3.0.3",
        "info": info_json,
        "paths": paths,
        "components": { "schemas": schemas },
    });
    let mut client = mock.clone();
    for (path, method, operation) in lowered_at {
        let responses = &mut client["paths"][path.as_str()][method]["responses"];
        decided_success_reads_any_2xx(operation, responses)?;
    }
    Ok(Lowered {
        client,
        mock,
        origin,
    })
}

/// The client reads liberally where the spec decided (`spec/README.md`, "Decisions"): a
/// success status that is a decision (an asynchronous call's 202, `async-status`; a cancel's
/// 200, `cancel-answer`) is shown to progenitor as the class `2XX`, so the generated `send`
/// takes any 2xx as that success (progenitor matches a class as `200..=299`). The mocks keep
/// the status the spec writes: a mock answers exactly what the spec says. A documented
/// status is enforced as written.
fn decided_success_reads_any_2xx(
    operation: &Operation,
    responses: &mut Value,
) -> Result<(), SpecError> {
    let mut decided = operation
        .successes()
        .filter(|response| response.provenance.is_decided());
    let Some(first) = decided.next() else {
        return Ok(());
    };
    if let Some(second) = decided.next() {
        return Err(SpecError::at(
            &second.pointer,
            "a second success status that is a decision: the client reads a decided success \
             as any 2xx, so two would be one",
            "document one of them, or decide one success status",
        ));
    }
    let Some(map) = responses.as_object_mut() else {
        return Ok(());
    };
    if let Some(lowered) = map.shift_remove(&first.status.to_string()) {
        // After the codes the spec documents, which match before the class.
        map.insert("2XX".to_owned(), lowered);
    }
    Ok(())
}

/// One method of the model as one OpenAPI operation.
fn lower_operation(api: &Api, operation: &Operation, copy: usize) -> Result<Value, SpecError> {
    let mut object = Map::new();
    object.insert("operationId".into(), operation.id.clone().into());
    for (key, text) in [
        ("summary", &operation.summary),
        ("description", &operation.description),
    ] {
        if let Some(text) = text {
            object.insert(key.into(), text.clone().into());
        }
    }
    if !operation.tags.is_empty() {
        object.insert("tags".into(), json!(operation.tags));
    }
    let parameters: Vec<Value> = operation
        .parameters
        .iter()
        .map(|parameter| {
            let mut name = parameter.name.clone();
            if parameter.location == ParameterLocation::Path {
                name.push_str(&copy_suffix(copy));
            }
            let mut lowered = json!({
                "name": name,
                "in": location(parameter.location),
                "required": parameter.required,
                "schema": api.schema_json(parameter.schema),
            });
            if let Some(description) = &parameter.description {
                lowered["description"] = Value::from(description.clone());
            }
            lowered
        })
        .collect();
    if !parameters.is_empty() {
        object.insert("parameters".into(), Value::Array(parameters));
    }
    if let Some(body) = &operation.request {
        object.insert(
            "requestBody".into(),
            json!({
                "required": body.required,
                "content": as_application_json(api, std::slice::from_ref(&body.content))?,
            }),
        );
    }
    object.insert("responses".into(), responses(api, operation)?);
    Ok(Value::Object(object))
}

/// The operation's responses. progenitor types a body only for `application/json`, so every
/// `+json` type is shown to it as that (the exact type goes back on the wire in
/// [`crate::wire`]); and it asserts that the error statuses share one kind of body, so where
/// they mix (a JSON 404 beside a 412 with none) the error statuses are shown without one: the
/// client never decodes an error status anyway (the runtime glue hands it back unread).
fn responses(api: &Api, operation: &Operation) -> Result<Value, SpecError> {
    let errors = || operation.responses.iter().filter(|r| !r.is_success());
    let mixed = errors().any(|r| !r.contents.is_empty()) && errors().any(|r| r.contents.is_empty());
    let mut lowered = Map::new();
    for response in &operation.responses {
        let mut object = Map::new();
        object.insert("description".into(), description(response).into());
        let shown = if !response.is_success() && mixed {
            object.insert(
                "description".into(),
                "Not decoded: handed back unread.".into(),
            );
            None
        } else {
            Some(&response.contents)
        };
        if let Some(contents) = shown.filter(|c| !c.is_empty()) {
            object.insert("content".into(), as_application_json(api, contents)?);
        }
        lowered.insert(response.status.to_string(), Value::Object(object));
    }
    Ok(Value::Object(lowered))
}

fn description(response: &Response) -> String {
    response
        .description
        .clone()
        .unwrap_or_else(|| format!("Status {}.", response.status))
}

/// Media types as progenitor can read them: a JSON type as `application/json`, plain text as
/// written. progenitor decodes one JSON type per status, so two are an error.
fn as_application_json(api: &Api, contents: &[Content]) -> Result<Value, SpecError> {
    let mut lowered = Map::new();
    for content in contents {
        let key = if content.media_type.is_json() {
            "application/json".to_owned()
        } else {
            content.text.clone()
        };
        let mut media = Map::new();
        if let Some(schema) = content.schema {
            media.insert("schema".into(), api.schema_json(schema));
        }
        if lowered.insert(key, Value::Object(media)).is_some() {
            return Err(SpecError::at(
                &content.pointer,
                "a second JSON media type in one body or answer",
                "progenitor decodes one JSON type per status: pair request and answer types \
                 with x-operation-id and x-accept",
            ));
        }
    }
    Ok(Value::Object(lowered))
}

fn location(location: ParameterLocation) -> &'static str {
    match location {
        ParameterLocation::Path => "path",
        ParameterLocation::Query => "query",
        ParameterLocation::Header => "header",
        ParameterLocation::Cookie => "cookie",
    }
}

/// OpenAPI allows one operation per path and method, while one spec operation with several
/// request media types is several methods on one URL. Every copy after the first gets a path
/// whose variables are spelt with extra underscores: `{package_id__}` names the same Rust
/// argument (`package_id`) and builds the same URL.
fn one_path_per_method(path: &str, copy: usize) -> String {
    if copy == 0 {
        return path.to_owned();
    }
    if !path.contains('{') {
        // No variable to rename: the copy is told apart by a marker, which the URL step and
        // the documentation step take out again.
        return format!("{path}{COPY_MARKER}{copy}");
    }
    path.split('/')
        .map(
            |segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => format!("{{{name}{}}}", copy_suffix(copy)),
                None => segment.to_owned(),
            },
        )
        .collect::<Vec<_>>()
        .join("/")
}

fn copy_suffix(copy: usize) -> String {
    if copy == 0 {
        String::new()
    } else {
        "_".repeat(copy + 1)
    }
}

/// What tells a copy of a path without variables apart (`/discover-devices~copy1`): a text no
/// path of the spec holds, since `~` is not in any of its templates.
const COPY_MARKER: &str = "~copy";

/// Undoes [`one_path_per_method`] in generated documentation, so a split method's docs show
/// the spec's path: `{package_id__}` reads `{package_id}` again, and a copy's marker goes.
pub fn restore_path_variables(text: &str) -> String {
    let without_markers = remove_copy_markers(text);
    let mut restored = String::with_capacity(without_markers.len());
    let mut rest = without_markers.as_str();
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

/// `text` without the copy markers of [`one_path_per_method`] and their numbers.
fn remove_copy_markers(text: &str) -> String {
    let mut kept = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(COPY_MARKER) {
        kept.push_str(&rest[..at]);
        rest = rest[at + COPY_MARKER.len()..].trim_start_matches(|c: char| c.is_ascii_digit());
    }
    kept.push_str(rest);
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lowered(yaml: &str) -> Value {
        let api = Api::from_yaml_str(yaml).expect("the model reads it");
        lower(&api).expect("lowers").client
    }

    const JOBS: &str = r#"
openapi: 3.1.0
info: {title: Jobs, version: '1'}
paths:
  /jobs/{job_id}:
    get:
      operationId: getJob
      parameters: [{name: job_id, in: path, required: true, schema: {type: integer}}]
      responses:
        '200':
          description: The job.
          content:
            application/vnd.net.juniper.space.job-management.job+json;version=3:
              schema: {$ref: '#/components/schemas/Job'}
        '404':
          description: No such job.
          content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}
  /jobs/{job_id}/cancel:
    post:
      operationId: cancelJob
      parameters: [{name: job_id, in: path, required: true, schema: {type: integer}}]
      responses:
        '200': {description: Cancelled.}
        '404':
          description: No such job.
          content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}
        '412': {description: Too late.}
  /login:
    post:
      operationId: login
      responses:
        '200':
          description: Logged in.
          content: {text/plain: {schema: {type: string}}}
components:
  schemas:
    Job: {type: object, properties: {id: {type: integer}}}
    Error: {type: object, properties: {message: {type: string}}}
"#;

    #[test]
    fn progenitor_is_told_openapi_3_0() {
        assert_eq!(lowered(JOBS)["openapi"], "3.0.3");
    }

    #[test]
    fn a_json_type_is_shown_as_application_json_and_text_as_written() {
        let document = lowered(JOBS);
        let job = &document["paths"]["/jobs/{job_id}"]["get"]["responses"]["200"]["content"];
        assert_eq!(
            job.as_object()
                .map(|types| types.keys().map(String::as_str).collect::<Vec<_>>()),
            Some(vec!["application/json"])
        );
        assert_eq!(
            job["application/json"]["schema"]["$ref"],
            "#/components/schemas/Job"
        );
        let login = &document["paths"]["/login"]["post"]["responses"]["200"]["content"];
        assert!(login.get("text/plain").is_some(), "{login}");
    }

    #[test]
    fn error_statuses_lose_their_bodies_only_where_kinds_mix() {
        let document = lowered(JOBS);
        let cancel = &document["paths"]["/jobs/{job_id}/cancel"]["post"]["responses"];
        assert!(cancel["404"].get("content").is_none(), "{cancel}");
        assert!(cancel["412"].get("content").is_none(), "{cancel}");
        let read = &document["paths"]["/jobs/{job_id}"]["get"]["responses"];
        assert!(read["404"].get("content").is_some(), "{read}");
    }

    #[test]
    fn a_decided_success_is_any_2xx_to_the_client_and_as_written_to_the_mocks() {
        let text = JOBS.replace(
            "'200': {description: Cancelled.}",
            "'200': {description: Cancelled., x-decision: cancel-answer}",
        );
        let api = Api::from_yaml_str(&text).expect("the model reads it");
        let lowered = lower(&api).expect("lowers");
        let statuses = |document: &Value, path: &str, method: &str| {
            let responses = document["paths"][path][method]["responses"].as_object();
            responses
                .map(|r| r.keys().cloned().collect::<Vec<_>>())
                .unwrap_or_default()
        };
        let cancel = "/jobs/{job_id}/cancel";
        assert_eq!(
            statuses(&lowered.client, cancel, "post"),
            ["404", "412", "2XX"]
        );
        assert_eq!(
            statuses(&lowered.mock, cancel, "post"),
            ["200", "404", "412"]
        );
        // A documented success stays as written for both.
        for document in [&lowered.client, &lowered.mock] {
            assert_eq!(statuses(document, "/jobs/{job_id}", "get"), ["200", "404"]);
        }
    }

    #[test]
    fn each_request_media_type_is_a_method_of_its_own_on_the_same_url() {
        let document = lowered(
            r#"
openapi: 3.1.0
info: {title: Deploy, version: '1'}
paths:
  /packages/{package_id}/exec-deploy:
    post:
      operationId: execDeploy
      parameters: [{name: package_id, in: path, required: true, schema: {type: integer}}]
      requestBody:
        required: true
        content:
          application/vnd.net.juniper.space.software-management.exec-deploy+json;version=1:
            x-operation-id: execDeploy
            x-accept: [application/vnd.net.juniper.space.job-management.task+json;version=1]
            schema: {type: object}
          application/vnd.net.juniper.space.software-management.exec-deploy-jam-request+json;version=1:
            x-operation-id: execDeployJam
            x-accept: [application/vnd.net.juniper.space.job-management.task+json;version=1]
            schema: {type: object}
      responses:
        '202':
          description: Started.
          content:
            application/vnd.net.juniper.space.job-management.task+json;version=1:
              schema: {type: object}
"#,
        );
        let paths = &document["paths"];
        let first = &paths["/packages/{package_id}/exec-deploy"]["post"];
        let copy = &paths["/packages/{package_id__}/exec-deploy"]["post"];
        assert_eq!(first["operationId"], "execDeploy");
        assert_eq!(copy["operationId"], "execDeployJam");
        assert_eq!(first["parameters"][0]["name"], "package_id");
        assert_eq!(copy["parameters"][0]["name"], "package_id__");
        for method in [first, copy] {
            let body = method["requestBody"]["content"]
                .as_object()
                .expect("a body");
            let types: Vec<&str> = body.keys().map(String::as_str).collect();
            assert_eq!(types, ["application/json"]);
        }
    }

    #[test]
    fn two_json_types_in_one_answer_are_named_where_they_stand() {
        let api = Api::from_yaml_str(
            r#"
openapi: 3.1.0
info: {title: Two, version: '1'}
paths:
  /a:
    get:
      operationId: getA
      responses:
        '200':
          description: Either.
          content:
            application/vnd.net.juniper.space.a.a+json;version=1: {schema: {type: object}}
            application/vnd.net.juniper.space.a.a+json;version=2: {schema: {type: object}}
"#,
        )
        .expect("the model reads it");
        let error = lower(&api)
            .err()
            .expect("progenitor decodes one JSON type per status");
        assert!(
            error
                .pointer
                .starts_with("/paths/~1a/get/responses/200/content/"),
            "{error}"
        );
    }

    #[test]
    fn path_copies_keep_the_argument_name_and_docs_show_the_spec_path_again() {
        let path = "/p/{package_id}/x/{sub}";
        assert_eq!(one_path_per_method(path, 0), path);
        assert_eq!(one_path_per_method(path, 1), "/p/{package_id__}/x/{sub__}");
        assert_eq!(
            crate::names::progenitor_snake_case("package_id___"),
            "package_id"
        );
        for copy in 0..3 {
            assert_eq!(
                restore_path_variables(&one_path_per_method(path, copy)),
                path
            );
        }
        assert_eq!(restore_path_variables("a {b} {c_}"), "a {b} {c_}");
        let plain = "/device-management/discover-devices";
        assert_ne!(one_path_per_method(plain, 1), plain);
        assert_ne!(one_path_per_method(plain, 1), one_path_per_method(plain, 2));
        for copy in 0..12 {
            let doc = format!("POST `{}` now", one_path_per_method(plain, copy));
            assert_eq!(restore_path_variables(&doc), format!("POST `{plain}` now"));
        }
    }
}
