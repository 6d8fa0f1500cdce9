//! The model read from the bundled spec, and faults in small documents named where they stand.

use super::*;

fn bundled() -> &'static Api {
    Api::bundled().expect("the bundled spec reads")
}

#[test]
fn the_bundled_spec_reads_with_a_method_per_body_type() {
    let api = bundled();
    let ids: Vec<&str> = api.operations().iter().map(|op| op.id.as_str()).collect();
    assert!(ids.len() >= 21, "{ids:?}");
    // exec-deploy's two body types are two methods on one URL, each with its own Accept.
    let deploy = api.operation("execDeploy").expect("read");
    let jam = api.operation("execDeployJam").expect("read");
    assert_eq!(jam.variant_of.as_deref(), Some("execDeploy"));
    assert_eq!(
        (deploy.path.as_str(), deploy.method),
        (jam.path.as_str(), jam.method)
    );
    assert_ne!(deploy.accept_header(), jam.accept_header());
    assert_ne!(deploy.content_type(), jam.content_type());
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
    // OpenNMS counts its page in `@count` and the whole list in `@totalCount`: the count
    // is the one of `COUNT_NAMES`, whatever its place among the envelope's attributes.
    let requisitions = api.operation("listOpenNmsRequisitions").expect("listed");
    let collection = requisitions.collection.as_ref().expect("a collection");
    assert_eq!(
        (
            collection.member.as_str(),
            collection.count.as_ref().map(|c| c.name.as_str())
        ),
        ("model-import", Some("@totalCount"))
    );
    // A service's root links its collection, and its array of method links lists no members.
    assert!(
        api.operation("getScriptManagement")
            .is_some_and(|op| op.collection.is_none())
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

const TWO_BODIES: &str = r#"
openapi: 3.1.0
paths:
  /packages/{id}/exec-deploy:
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer}}
    post:
      operationId: execDeploy
      requestBody:
        required: true
        content:
          application/vnd.a.exec-deploy+json;version=1;charset=UTF-8:
            x-operation-id: execDeploy
            x-accept: [application/vnd.a.exec-deploy+json;version=1]
            schema: {type: object}
          application/vnd.a.jam+json;version=1;charset=UTF-8:
            x-operation-id: execDeployJam
            x-accept: [application/vnd.a.task+json;version=1]
            schema: {type: object}
      responses:
        '202':
          description: task
          content:
            application/vnd.a.exec-deploy+json;version=1: {schema: {type: object}}
            application/vnd.a.task+json;version=1: {schema: {type: object}}
        '400': {description: bad}
"#;

#[test]
fn each_request_media_type_becomes_a_method_with_its_own_accept() {
    let api = Api::from_yaml_str(TWO_BODIES).expect("reads");
    let ids: Vec<&str> = api.operations().iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["execDeploy", "execDeployJam"]);
    let jam = &api.operations()[1];
    assert_eq!(
        jam.content_type(),
        Some("application/vnd.a.jam+json;version=1;charset=UTF-8")
    );
    assert_eq!(
        jam.accept_header().as_deref(),
        Some("application/vnd.a.task+json;version=1")
    );
    assert_eq!(jam.responses[0].contents.len(), 1);
    assert_eq!(jam.variant_of.as_deref(), Some("execDeploy"));
    assert_eq!(api.operations()[0].parameters[0].name, "id");
}

#[test]
fn body_types_and_their_ids_are_checked_where_they_stand() {
    let no_id = TWO_BODIES.replace("            x-operation-id: execDeployJam\n", "");
    assert_eq!(
        fault(&no_id).pointer,
        "/paths/~1packages~1{id}~1exec-deploy/post/requestBody/content/application~1vnd.a.jam+json;version=1;charset=UTF-8"
    );
    let twice = TWO_BODIES.replace(
        "x-operation-id: execDeployJam",
        "x-operation-id: execDeploy",
    );
    let error = fault(&twice);
    assert!(
        error.pointer.ends_with("charset=UTF-8/x-operation-id"),
        "{error}"
    );
    assert!(error.message.contains("duplicate operationId"), "{error}");
    let foreign = TWO_BODIES.replace(
        "x-accept: [application/vnd.a.task+json;version=1]",
        "x-accept: [application/json]",
    );
    assert!(fault(&foreign).pointer.ends_with("/x-accept/0"));
    let no_operation_id = TWO_BODIES.replace("      operationId: execDeploy\n", "");
    assert_eq!(
        fault(&no_operation_id).pointer,
        "/paths/~1packages~1{id}~1exec-deploy/post"
    );
}

#[test]
fn xml_and_malformed_media_types_are_refused_where_they_stand() {
    let xml = TWO_BODIES.replace(
        "application/vnd.a.task+json;version=1: {",
        "application/vnd.a.task+xml;version=1: {",
    );
    let error = fault(&xml);
    assert!(
        error
            .pointer
            .ends_with("/responses/202/content/application~1vnd.a.task+xml;version=1"),
        "{error}"
    );
    assert!(error.message.contains("unknown media type"), "{error}");
    let malformed = TWO_BODIES.replace(
        "application/vnd.a.task+json;version=1: {",
        "'application/vnd.a.task+json;version': {",
    );
    assert!(Api::from_yaml_str(&malformed).is_err());
}

const SESSIONS: &str = r#"
openapi: 3.1.0
paths:
  /user-management/login:
    post:
      operationId: login
      x-session: opens
      responses:
        '200':
          description: Session opened.
          content:
            text/plain: {schema: {type: string}}
  /job-management/jobs/{job_id}/cancel:
    post:
      operationId: cancelJob
      x-cancels-job: true
      parameters:
        - {name: job_id, in: path, required: true, schema: {type: integer}}
      responses:
        '200': {description: Cancelled.}
"#;

#[test]
fn session_and_cancel_extensions_are_read_and_checked() {
    let api = Api::from_yaml_str(SESSIONS).expect("reads");
    let login = &api.operations()[0];
    assert_eq!(login.session, Some(SessionRole::Opens));
    assert_eq!(login.accept_header().as_deref(), Some("text/plain"));
    assert!(!login.cancels_job);
    assert!(api.operations()[1].cancels_job);
    let closes = SESSIONS.replace("x-session: opens", "x-session: closes");
    assert_eq!(
        fault(&closes).pointer,
        "/paths/~1user-management~1login/post/x-session"
    );
    let not_a_flag = SESSIONS.replace("x-cancels-job: true", "x-cancels-job: 'yes'");
    assert!(fault(&not_a_flag).pointer.ends_with("/post/x-cancels-job"));
    let text_body = SESSIONS.replace(
        "      x-session: opens\n",
        "      x-session: opens\n      requestBody:\n        content:\n          text/plain: {schema: {type: string}}\n",
    );
    let error = fault(&text_body);
    assert!(
        error.pointer.ends_with("/requestBody/content/text~1plain"),
        "{error}"
    );
    assert!(error.message.contains("unknown media type"), "{error}");
}

#[test]
fn accepts_a_documented_client_sends_are_read_and_checked() {
    let with = |list: &str| {
        SESSIONS.replace(
            "x-session: opens\n",
            &format!("x-session: opens\n      x-also-accepts: {list}\n"),
        )
    };
    let api =
        Api::from_yaml_str(&with("['application/vnd.a.user-ref+json;version=1']")).expect("reads");
    let login = &api.operations()[0];
    assert_eq!(login.also_accepts.len(), 1);
    assert_eq!(login.also_accepts[0].parameter("version"), Some("1"));
    // The answer types stay the documented ones: what a client also sends is not sent back.
    assert_eq!(login.accept_header().as_deref(), Some("text/plain"));
    let malformed = fault(&with("['not a media type']"));
    assert!(
        malformed.pointer.ends_with("/post/x-also-accepts/0"),
        "{malformed}"
    );
    let twice = fault(&with("['application/x+json', 'application/x+json']"));
    assert!(twice.pointer.ends_with("/post/x-also-accepts/1"), "{twice}");
    assert!(
        fault(&with("application/x+json"))
            .pointer
            .ends_with("/x-also-accepts")
    );
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

#[test]
fn a_vocabulary_is_open_and_checked_where_it_stands() {
    let with = |vocabulary: &str| {
        SMALL.replace(
            "        state: {type: string}\n",
            &format!("        state: {{type: string, x-vocabulary: {vocabulary}}}\n"),
        )
    };
    let api = Api::from_yaml_str(&with("[SCHEDULED, DONE]")).expect("reads");
    let job = api.schemas().named("Job").expect("named");
    // A documented value passes; another is a finding on the decision, not on a fact.
    let read = |state: &str| {
        api.validate(
            job,
            &serde_json::json!({"id": 1, "state": state}),
            Reading::LITERAL,
        )
    };
    assert_eq!(read("DONE"), []);
    let findings = read("done");
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].field, "/state");
    assert!(
        findings[0].message.contains("SCHEDULED, DONE"),
        "{}",
        findings[0]
    );
    assert_eq!(
        findings[0].decision.as_ref().map(Decision::id),
        Some(crate::OPEN_VOCABULARIES)
    );
    assert!(
        api.decisions()
            .any(|(d, at)| d.id() == crate::OPEN_VOCABULARIES
                && at == "/components/schemas/Job/properties/state/x-vocabulary")
    );

    for broken in ["[]", "[DONE, DONE]", "[1]", "DONE"] {
        let error = fault(&with(broken));
        assert_eq!(
            error.pointer, "/components/schemas/Job/properties/state/x-vocabulary",
            "{broken}: {error}"
        );
    }
    let on_a_number = SMALL.replace(
        "        id: {type: integer}\n",
        "        id: {type: integer, x-vocabulary: ['1']}\n",
    );
    assert!(fault(&on_a_number).message.contains("string schema only"));
}

#[test]
fn each_method_belongs_to_the_service_its_path_starts_with() {
    let api = bundled();
    let list_devices = api.operation("listDevices").expect("listDevices");
    assert_eq!(list_devices.service(), "device-management");
    assert_eq!(list_devices.feature(), Some("device-management"));
    // The login session's calls are in every build: the client's session makes them.
    let login = api.operation("login").expect("login");
    assert_eq!(
        (login.service(), login.feature()),
        ("user-management", None)
    );
    let features = api.features();
    assert!(features.contains("job-management") && features.contains("software-management"));
    assert!(features.iter().all(|feature| !feature.contains('/')));
}

#[test]
fn a_path_item_with_its_own_server_has_that_base_path() {
    let own = SMALL.replace(
        "  /jobs/{job_id}:\n",
        "  /sd/jobs/{job_id}:\n    servers: [{url: 'https://{host}/api/juniper/'}]\n",
    );
    let api = Api::from_yaml_str(&own).expect("reads");
    let job = api.operation("getJob").expect("listed");
    assert_eq!(api.base_path(), "/api/space");
    assert_eq!(job.base_path, "/api/juniper");
    assert_eq!(job.full_path(), "/api/juniper/sd/jobs/{job_id}");
    assert_eq!(job.service(), "sd");
    let plain = Api::from_yaml_str(SMALL).expect("reads");
    assert_eq!(
        plain
            .operation("getJob")
            .map(Operation::full_path)
            .as_deref(),
        Some("/api/space/jobs/{job_id}")
    );
    for servers in [
        "servers: []",
        "servers: [{description: x}]",
        "servers: [{url: 'https://{host}/a'}, {url: 'https://{host}/b'}]",
    ] {
        let error = fault(&SMALL.replace(
            "  /jobs/{job_id}:\n",
            &format!("  /jobs/{{job_id}}:\n    {servers}\n"),
        ));
        assert!(error.pointer.contains("/servers"), "{servers}: {error}");
    }
}

#[test]
fn an_operation_accept_may_weigh_its_answer_types() {
    let type_ = "application/vnd.net.juniper.space.job-management.job+json;version=3";
    let with = |list: &str| {
        SMALL.replace(
            "      operationId: getJob\n",
            &format!("      operationId: getJob\n      x-accept: {list}\n"),
        )
    };
    let api = Api::from_yaml_str(&with(&format!("['{type_};q=0.03']"))).expect("reads");
    let job = api.operation("getJob").expect("listed");
    assert_eq!(job.accept_header(), Some(format!("{type_};q=0.03")));
    // The answer types stay as the server writes them.
    assert_eq!(job.accept[0].text, type_);
    let other_version = fault(&with(&format!("['{}']", type_.replace("=3", "=2"))));
    assert!(
        other_version.pointer.ends_with("/get/x-accept/0"),
        "{other_version}"
    );
    assert!(fault(&with("[]")).pointer.ends_with("/get/x-accept"));
}

#[test]
fn a_whole_path_is_split_after_the_base_path_of_its_operations() {
    let own = SMALL.replace(
        "  /jobs/{job_id}:\n",
        "  /sd/jobs/{job_id}:\n    servers: [{url: 'https://{host}/api/juniper'}]\n",
    );
    let api = Api::from_yaml_str(&own).expect("reads");
    assert_eq!(
        api.split_base("/api/juniper/sd/jobs/7"),
        Some(("/api/juniper", "/sd/jobs/7"))
    );
    assert_eq!(
        api.split_base("/api/space/jobs/7"),
        Some(("/api/space", "/jobs/7"))
    );
    assert_eq!(api.split_base("/api/spaces/jobs/7"), None);
    assert_eq!(api.split_base("/elsewhere"), None);
}

#[test]
fn a_lock_call_works_in_the_session_and_names_a_member() {
    let lock = SESSIONS.replace(
        "      x-cancels-job: true\n",
        "      x-session: within\n      x-lock: acquires\n",
    );
    let api = Api::from_yaml_str(&lock).expect("reads");
    let locks = &api.operations()[1];
    assert_eq!(locks.session, Some(SessionRole::Within));
    assert_eq!(locks.lock, Some(LockRole::Acquires));
    // Working in a session is no session call of its own: its service's feature builds it.
    assert_eq!(locks.feature(), Some("job-management"));
    assert_eq!(api.operations()[0].feature(), None);
    let unknown = lock.replace("x-lock: acquires", "x-lock: takes");
    assert!(fault(&unknown).pointer.ends_with("/post/x-lock"));
    let no_member = lock
        .replace("/job-management/jobs/{job_id}/cancel", "/job-management/lock")
        .replace(
            "      parameters:\n        - {name: job_id, in: path, required: true, schema: {type: integer}}\n",
            "",
        );
    let error = fault(&no_member);
    assert!(error.pointer.ends_with("/post/x-lock"), "{error}");
}

const ADDS: &str = r#"
openapi: 3.1.0
servers: [{url: 'https://{host}/api/space'}]
paths:
  /groups/{group_id}/members:
    get:
      operationId: listMembers
      parameters:
        - {name: group_id, in: path, required: true, schema: {type: integer}}
      responses:
        '200':
          description: Members.
          content:
            application/json:
              schema:
                type: object
                properties:
                  members:
                    type: object
                    properties:
                      member: {type: array, items: {$ref: '#/components/schemas/Member'}}
  /modify:
    post:
      operationId: modify
      x-adds-members:
        items: /modify/added/member
        to: listMembers
        parameters: {group_id: /group-id}
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                modify:
                  type: object
                  properties:
                    added:
                      type: object
                      properties:
                        member: {type: array, items: {$ref: '#/components/schemas/Member'}}
      responses:
        '204': {description: Done.}
components:
  schemas:
    Member:
      type: object
      properties:
        name: {type: string}
        group-id: {type: integer}
"#;

#[test]
fn members_a_body_adds_name_a_list_of_it_and_a_collection() {
    let api = Api::from_yaml_str(ADDS).expect("reads");
    let adds = api
        .operation("modify")
        .and_then(|op| op.adds_members.clone())
        .expect("read");
    assert_eq!(
        adds,
        AddsMembers {
            items: "/modify/added/member".into(),
            to: "listMembers".into(),
            parameters: vec![("group_id".into(), "/group-id".into())],
        }
    );
    for (from, to) in [
        ("items: /modify/added/member", "items: /modify/removed"),
        ("to: listMembers", "to: modify"),
        ("{group_id: /group-id}", "{group_id: /gone}"),
        ("{group_id: /group-id}", "{other_id: /group-id}"),
        ("items: /modify/added/member", "items: modify"),
    ] {
        let error = fault(&ADDS.replace(from, to));
        assert!(
            error.pointer.ends_with("/post/x-adds-members"),
            "{to}: {error}"
        );
    }
}

#[test]
fn members_a_body_removes_name_a_list_of_it_and_a_collection_of_no_member() {
    let removes = ADDS.replace(
        "      x-adds-members:\n        items: /modify/added/member\n        to: listMembers\n        parameters: {group_id: /group-id}\n",
        "      x-removes-members: {items: /modify/added/member, from: listMembers}\n",
    );
    // listMembers' path names a group: its members leave no one collection.
    let error = fault(&removes);
    assert!(
        error.pointer.ends_with("/post/x-removes-members"),
        "{error}"
    );
    let shapeless = removes.replace("{items: /modify/added/member, from: listMembers}", "[]");
    assert!(
        fault(&shapeless)
            .pointer
            .ends_with("/post/x-removes-members")
    );
}

#[test]
fn a_tag_in_prose_is_named_where_it_stands_and_code_may_hold_one() {
    let with = |text: &str| {
        SMALL.replace(
            "      operationId: getJob\n",
            &format!("      operationId: getJob\n      description: {text}\n"),
        )
    };
    let error = fault(&with("'1 < 2, and the id is LogicalDevice:<n>.'"));
    assert!(error.pointer.ends_with("/get/description"), "{error}");
    assert!(error.message.contains("`<n>`"), "{error}");
    for fine in [
        "'As code, `LogicalDevice:<n>`.'",
        "'a < b and c > d'",
        "'1 <= 2'",
    ] {
        Api::from_yaml_str(&with(fine)).unwrap_or_else(|e| panic!("{fine}: {e}"));
    }
}
