//! The model read from the bundled spec, and faults in small documents named where they stand.

use super::*;

fn bundled() -> &'static Api {
    Api::bundled().expect("the bundled spec reads")
}

#[test]
fn the_bundled_spec_reads_with_every_method_the_raw_walk_finds() {
    let api = bundled();
    let raw = crate::Spec::from_yaml_str(BUNDLED_SPEC)
        .and_then(|spec| spec.operations())
        .expect("walks");
    let ids: Vec<&str> = api.operations().iter().map(|op| op.id.as_str()).collect();
    let raw_ids: Vec<&str> = raw.iter().map(|op| op.operation_id.as_str()).collect();
    assert_eq!(ids, raw_ids);
    for (typed, raw) in api.operations().iter().zip(&raw) {
        assert_eq!(typed.accept_header(), raw.accept_header(), "{}", typed.id);
        assert_eq!(typed.content_type(), raw.content_type(), "{}", typed.id);
        let statuses: Vec<String> = typed
            .responses
            .iter()
            .map(|r| r.status.to_string())
            .collect();
        let raw_statuses: Vec<&str> = raw.responses.iter().map(|r| r.status.as_str()).collect();
        assert_eq!(statuses, raw_statuses, "{}", typed.id);
    }
    assert_eq!(api.base_path(), "/api/space");
}

#[test]
fn collections_sessions_and_jobs_are_attached_to_their_operations() {
    let api = bundled();
    let devices = api.operation("listDevices").expect("listed");
    let collection = devices.collection.as_ref().expect("a collection");
    assert_eq!(
        (collection.envelope.as_str(), collection.member.as_str()),
        ("devices", "device")
    );
    assert_eq!(
        collection.count.as_ref().map(|c| c.name.as_str()),
        Some("@size")
    );
    assert_eq!(
        api.operation("login").and_then(|op| op.session),
        Some(SessionRole::Opens)
    );
    assert!(api.operation("cancelJob").is_some_and(|op| op.cancels_job));
    let deploy = api.operation("execDeploy").expect("listed");
    assert_eq!(deploy.names, ["getJob"]);
    assert!(
        api.operation("getDevice")
            .is_some_and(|op| op.names.is_empty())
    );
    assert_eq!(
        api.operation("discoverDevice")
            .and_then(|op| op.adds_member_to.as_deref()),
        Some("/device-management/devices")
    );
}

const SMALL: &str = r#"
openapi: 3.1.0
servers: [{url: 'https://{host}/api/space'}]
paths:
  /jobs/{job_id}:
    get:
      operationId: getJob
      parameters:
        - {name: job_id, in: path, required: true, schema: {type: integer}}
      responses:
        '200':
          description: The job.
          content:
            application/vnd.net.juniper.space.job-management.job+json;version=3:
              schema: {$ref: '#/components/schemas/Job'}
        '404': {description: No such job.}
components:
  schemas:
    Job:
      type: object
      required: [id]
      properties:
        id: {type: integer}
        state: {type: string}
"#;

fn fault(text: &str) -> SpecError {
    Api::from_yaml_str(text).expect_err("a fault")
}

#[test]
fn a_small_document_reads() {
    let api = Api::from_yaml_str(SMALL).expect("reads");
    let job = api.operation("getJob").expect("listed");
    assert_eq!(job.responses[0].status, Status::Code(200));
    let schema = api.schema(job.answer_schema(200).expect("a schema"));
    assert_eq!(schema.name.as_deref(), Some("Job"));
    assert!(schema.property("id").is_some_and(|p| p.required));
    assert_eq!(api.schemas().named("Job"), job.answer_schema(200));
}

#[test]
fn faults_are_named_by_their_pointer() {
    let cases = [
        (
            SMALL.replace(
                "$ref: '#/components/schemas/Job'",
                "$ref: '#/components/schemas/Jobb'",
            ),
            "/paths/~1jobs~1{job_id}/get/responses/200/content/application~1vnd.net.juniper.space.job-management.job+json;version=3/schema/$ref",
            "points at nothing",
        ),
        (
            SMALL.replace(
                "state: {type: string}",
                "state: {type: string, pattern: 'a+'}",
            ),
            "/components/schemas/Job/properties/state/pattern",
            "`pattern` is not supported",
        ),
        (
            SMALL.replace("'404'", "'4O4'"),
            "/paths/~1jobs~1{job_id}/get/responses/4O4",
            "not a status",
        ),
        (
            SMALL.replace("required: [id]", "required: [ident]"),
            "/components/schemas/Job/required/0",
            "not among the schema's properties",
        ),
        (
            SMALL.replace("state: {type: string}", "state: {type: [string, 'null']}"),
            "/components/schemas/Job/properties/state/type",
            "must name one type",
        ),
        (
            SMALL.replace("{name: job_id,", "{name: id,"),
            "/paths/~1jobs~1{job_id}/get",
            "no path parameter declares",
        ),
        (
            SMALL.replace(
                "'404': {description: No such job.}",
                "'404': {description: No such job., x-decision: Not_Kebab}",
            ),
            "/paths/~1jobs~1{job_id}/get/responses/404/x-decision",
            "kebab case",
        ),
    ];
    for (text, pointer, message) in cases {
        let error = fault(&text);
        assert_eq!(error.pointer, pointer, "{error}");
        assert!(error.message.contains(message), "{error}");
    }
}

#[test]
fn a_duplicate_operation_id_and_broken_yaml_are_named() {
    let twice = SMALL.replace(
        "components:",
        "  /jobs:\n    get:\n      operationId: getJob\n      responses: {'200': {description: ok}}\ncomponents:",
    );
    let error = fault(&twice);
    assert_eq!(error.pointer, "/paths/~1jobs/get/operationId");
    assert!(error.message.contains("duplicate operationId"), "{error}");
    let broken = fault("paths:\n  /a:\n   get: [\n");
    assert!(broken.location.is_some(), "{broken}");
}

#[test]
fn decisions_are_read_where_they_stand() {
    let text = SMALL
        .replace(
            "'404': {description: No such job.}",
            "'404': {description: No such job., x-decision: unknown-job-status}",
        )
        .replace(
            "state: {type: string}",
            "state: {type: string, x-decision: job-state-text}",
        );
    let api = Api::from_yaml_str(&text).expect("reads");
    let job = api.operation("getJob").expect("listed");
    let not_found = job.response(404).expect("documented");
    assert_eq!(
        not_found.provenance.decision().map(Decision::id),
        Some("unknown-job-status")
    );
    assert!(!job.responses[0].provenance.is_decided());
    let schema = api.schema(job.answer_schema(200).expect("a schema"));
    let state = schema.property("state").expect("declared");
    assert_eq!(
        state.provenance.decision().map(Decision::id),
        Some("job-state-text")
    );
    let ids: Vec<&str> = api.decisions().map(|(d, _)| d.id()).collect();
    assert_eq!(ids, ["job-state-text", "unknown-job-status"]);
}

#[test]
fn only_an_object_of_unnamed_members_of_one_schema_is_a_map() {
    let api = Api::from_yaml_str(
        r#"
openapi: 3.1.0
paths: {}
components:
  schemas:
    Parameters: {type: object, additionalProperties: {type: string}}
    Named: {type: object, properties: {a: {type: string}}, additionalProperties: {type: string}}
    Closed: {type: object, additionalProperties: false}
    Open: {type: object}
"#,
    )
    .expect("reads");
    let is_map = |name: &str| {
        api.schema(api.schemas().named(name).expect("declared"))
            .is_map()
    };
    assert!(is_map("Parameters"));
    for not_a_map in ["Named", "Closed", "Open"] {
        assert!(!is_map(not_a_map), "{not_a_map}");
    }
}

#[test]
fn an_answer_has_one_success_code_and_a_schema_per_media_type() {
    let api = bundled();
    let code = |id: &str| api.operation(id).and_then(Operation::success_code);
    assert_eq!(code("listDevices"), Some(200));
    assert_eq!(code("discoverDevice"), Some(202));
    let deploy = api.operation("execDeploy").expect("listed");
    for content in &deploy.accept {
        assert_eq!(
            deploy.answer_schema_in(202, &content.text),
            content.schema,
            "{}",
            content.text
        );
    }
    assert_eq!(deploy.answer_schema_in(202, "application/json"), None);
    assert_eq!(deploy.answer_schema_in(200, &deploy.accept[0].text), None);
}

#[test]
fn one_resource_comes_wrapped_in_a_member_named_for_it() {
    let api = bundled();
    let answer = |id: &str| {
        let operation = api.operation(id).expect("listed");
        operation.answer_schema(operation.success_code().expect("a success"))
    };
    let device = answer("getDevice").expect("a schema");
    assert_eq!(api.wrapped(device).map(|p| p.name.as_str()), Some("device"));
    let task = answer("discoverDevice").expect("a schema");
    assert_eq!(api.wrapped(task).map(|p| p.name.as_str()), Some("task"));
    // The task itself names two members, and a plain-text answer none.
    let inner = api.wrapped(task).expect("wrapped").schema;
    assert_eq!(api.wrapped(inner), None);
    assert_eq!(api.wrapped(answer("login").expect("a schema")), None);
}

#[test]
fn a_relation_must_name_an_operation_and_its_path_parameters() {
    let relation = |operation: &str, parameter: &str| {
        SMALL.replace(
            "        state: {type: string}\n",
            &format!(
                "        state: {{type: string}}\n      x-identifies: {{operationId: {operation}, parameters: {{{parameter}: /id}}}}\n"
            ),
        )
    };
    assert!(Api::from_yaml_str(&relation("getJob", "job_id")).is_ok());
    for (text, message) in [
        (relation("getJobs", "job_id"), "which the document lacks"),
        (relation("getJob", "id"), "its path takes"),
    ] {
        let error = fault(&text);
        assert_eq!(
            error.pointer, "/components/schemas/Job/x-identifies",
            "{error}"
        );
        assert!(error.message.contains(message), "{error}");
    }
}

#[test]
fn answer_types_are_decided_only_when_every_one_is() {
    let api = bundled();
    let decided = |id: &str| {
        api.operation(id)
            .unwrap_or_else(|| panic!("spec/ has {id}"))
            .answer_types_decided()
    };
    // `session-answers-text` and `async-answer-type` are decisions; a devices list's type is
    // documented, and a cancel names no answer type at all.
    assert!(decided("login") && decided("discoverDevice"));
    assert!(!decided("listDevices") && !decided("cancelJob"));
}
