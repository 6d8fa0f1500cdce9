//! Table-driven over `spec/`: every operation, called as the spec says, answers its documented
//! success status in one of its media types with a body its schema accepts (strictly on a
//! schema-strict simulator, leniently on a real-server one); and each deliberate deviation
//! shows its symptom while the faithful simulator shows none.

mod common;

use common::*;
use junos_space_model::api::{Kind, Operation, ParameterLocation, Reading, SchemaId, SessionRole};
use junos_space_model::{Api, MediaType};
use junos_space_simulator::{BUNDLED_SPEC, Config, Deviation, JobSettings, Realism};
use reqwest::Method;
use serde_json::{Map, Value};

fn api() -> &'static Api {
    Api::bundled().expect("the bundled spec reads")
}

/// The smallest body a schema takes: required properties only, each at its smallest, and
/// arrays with as many items as `minItems` asks for.
fn minimal(api: &Api, schema: SchemaId) -> Value {
    let schema = api.schema(schema);
    match schema.kind {
        Some(Kind::Object) => {
            let mut object = Map::new();
            for property in schema.properties.iter().filter(|p| p.required) {
                object.insert(property.name.clone(), minimal(api, property.schema));
            }
            Value::Object(object)
        }
        Some(Kind::Array) => {
            let count = schema.min_items.unwrap_or(0);
            let item = schema.items.expect("an array schema has items");
            Value::Array((0..count).map(|_| minimal(api, item)).collect())
        }
        Some(Kind::String) => "x".into(),
        Some(Kind::Integer | Kind::Number) => 0.into(),
        Some(Kind::Boolean) => false.into(),
        None => Value::Null,
    }
}

/// Keys of the bundled fixture per path parameter of an operation at `path`; `job_id` is made
/// by a discovery first. Security Director's policies and rules are of three services, one
/// parameter name each.
fn path_value(path: &str, name: &str, job: u64) -> String {
    let nat = path.contains("/sd/policy-management/nat/");
    let gen2 = path.contains("/sd/policy-management/firewall/");
    match name {
        "policy_id" if nat => "1212417".into(),
        "policy_id" if gen2 => "1179649".into(),
        "policy_id" => "1081345".into(),
        "rule_group_id" => "1081360".into(),
        "rule_id" if nat => "1212430".into(),
        "rule_id" => "1081370".into(),
        "address_id" => "1016097".into(),
        "service_id" => "98674".into(),
        "variable_id" => "1146881".into(),
        "sd_device_id" => "294912".into(),
        "change_request_id" if path.starts_with("/sd/") => "360448".into(),
        "device_id" => "131073".into(),
        "configlet_id" => "262145".into(),
        "package_id" => "131074".into(),
        "script_id" => "393217".into(),
        "tag_id" => "655361".into(),
        "target_id" => "720897".into(),
        "user_id" => "2097153".into(),
        "role_id" => "2162689".into(),
        "session_id" => "2293761".into(),
        "capability_id" => "2228226".into(),
        "task_id" => "2359297".into(),
        "profile_id" => "2621441".into(),
        "audit_log_id" => "2555905".into(),
        "application_id" => "1069".into(),
        "feature_id" => "345".into(),
        "domain_id" => "2".into(),
        "param_id" => "262401".into(),
        "page_id" => "1".into(),
        "change_request_id" => "2424833".into(),
        "config_file_id" => "1540111".into(),
        "version_id" => "2".into(),
        "template_id" => "2949121".into(),
        "template_version" => "2".into(),
        "managed_element_id" => "262148".into(),
        "equipment_holder_id" => "491548".into(),
        "serial_no" => "557057".into(),
        "ptp_id" => "2818049".into(),
        "job_id" => job.to_string(),
        other => panic!("no fixture key for path parameter `{other}`; add one here"),
    }
}

async fn call(h: &Harness, api: &Api, operation: &Operation) -> (u16, String, String) {
    // A job that waits for its schedule, so that an operation that cancels jobs may.
    let discovery = h
        .discover("198.51.100.1")
        .query(&[("schedule", "(after(01 00))")]);
    let job = send_json(discovery, 202).await["task"]["id"]
        .as_u64()
        .expect("a task id");
    let mut path = operation.full_path();
    for parameter in operation.parameters_in(ParameterLocation::Path) {
        path = path.replace(
            &format!("{{{}}}", parameter.name),
            &path_value(&operation.path, &parameter.name, job),
        );
    }
    let method = Method::from_bytes(operation.method.as_str().as_bytes()).expect("a method");
    let mut request = h.request_whole(method, &path);
    if let Some(accept) = operation.accept_header() {
        request = request.header("accept", accept);
    }
    // Logout and login-status act on a session: open one first, with the spec's login.
    if matches!(
        operation.session,
        Some(SessionRole::Ends | SessionRole::Reports)
    ) {
        request = request.header("cookie", session_cookie(h, api).await);
    }
    if let Some(body) = &operation.request {
        let value = body
            .content
            .schema
            .map_or(Value::Null, |schema| minimal(api, schema));
        request = request
            .header("content-type", &body.content.text)
            .body(value.to_string());
    }
    send(request).await
}

/// The `Cookie` header of a session opened by the operation whose `x-session` opens one.
async fn session_cookie(h: &Harness, api: &Api) -> String {
    let login = api
        .operations()
        .iter()
        .find(|o| o.session == Some(SessionRole::Opens))
        .expect("the spec opens sessions");
    let response = h
        .request(Method::POST, &login.path)
        .send()
        .await
        .expect("the simulator answers");
    assert_eq!(response.status(), 200, "login");
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|cookie| cookie.split(';').next())
        .map(str::trim)
        .filter(|pair| pair.starts_with("JSESSIONID"))
        .collect::<Vec<_>>()
        .join("; ")
}

async fn every_operation_answers_as_documented(realism: Realism) {
    let api = api();
    let operations = api.operations();
    assert!(operations.len() >= 18, "{}", operations.len());
    for operation in operations {
        let h = Harness::start(Config {
            realism,
            ..Config::default()
        })
        .await;
        let (status, content_type, body) = call(&h, api, operation).await;
        let id = &operation.id;
        let success = operation
            .responses
            .iter()
            .find(|r| r.is_success())
            .expect("a success response");
        assert_eq!(
            status.to_string(),
            success.status.to_string(),
            "{id}: {body}"
        );
        if success.contents.is_empty() {
            assert!(body.is_empty(), "{id}: {body}");
            continue;
        }
        let answered = MediaType::parse(&content_type).expect("a media type");
        let content = success
            .contents
            .iter()
            .find(|c| c.media_type.is_equivalent(&answered))
            .unwrap_or_else(|| panic!("{id}: {content_type} is not documented"));
        assert!(
            operation.accept.iter().any(|c| c.text == content.text),
            "{id}: {content_type}"
        );
        let value: Value = if answered.is_plain_text() {
            Value::String(body.clone())
        } else {
            serde_json::from_str(&body).expect("JSON")
        };
        let schema = content.schema.expect("a schema");
        let reading = if realism == Realism::schema_strict() {
            Reading::LITERAL
        } else {
            Reading::SERVER_FORMS
        };
        let findings = api.validate(schema, &value, reading);
        assert!(findings.is_empty(), "{id}: {findings:?}\n{body}");
    }
}

#[tokio::test]
async fn every_operation_answers_valid_bodies_when_strict() {
    every_operation_answers_as_documented(Realism::schema_strict()).await;
}

#[tokio::test]
async fn every_operation_answers_readable_bodies_when_realistic() {
    every_operation_answers_as_documented(Realism::real_server()).await;
}

/// A valid deployment of `package` to the fixture's first device (exec-deploy names at least
/// one device).
fn deploy(h: &Harness, package: u64) -> reqwest::RequestBuilder {
    h.request(
        Method::POST,
        &format!("/software-management/packages/{package}/exec-deploy"),
    )
    .header("content-type", "application/vnd.net.juniper.space.software-management.exec-deploy+json;version=1;charset=UTF-8")
    .header("accept", "application/vnd.net.juniper.space.software-management.exec-deploy+json;version=1")
    .body(r#"{"exec-deploy": {"devices": {"device": [{"@href": "/api/space/device-management/devices/131073"}]}}}"#)
}

/// Whether the symptom of `deviation` shows on `h`.
/// A discovery's job, read once it has ended, and its progress-update read after it.
async fn ended_job_and_progress(h: &Harness, address: &str) -> (Value, Value) {
    let task = send_json(h.discover(address), 202).await;
    let href = task["task"]["@href"].as_str().expect("a job href");
    let job_path = href.strip_prefix("/api/space").expect("below the base");
    // The job takes 20 ms; read both views once it has ended.
    for _ in 0..40 {
        let job = send_json(h.get(job_path, JOB), 200).await;
        let state = job["job"]["job-state"].as_str().unwrap_or_default();
        if state.eq_ignore_ascii_case("DONE") {
            let progress_path = format!("{job_path}/progress-update");
            let progress = send_json(h.get(&progress_path, PROGRESS), 200).await;
            return (job["job"].clone(), progress["progress-update"].clone());
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the job of the discovery of {address} never ended")
}

async fn shows(h: &Harness, deviation: Deviation) -> bool {
    let list = || h.get("/device-management/devices", DEVICES);
    match deviation {
        Deviation::WrongResponseVersion => send(list()).await.1.ends_with("version=3"),
        Deviation::SiblingMediaType => send(list()).await.1.contains(".device+json"),
        Deviation::UndocumentedStatus => send(list()).await.0 != 200,
        Deviation::IgnorePaging => {
            let page = "/device-management/devices?paging=(start%20eq%200,%20limit%20eq%201)";
            let (_, _, body) = send(h.get(page, DEVICES)).await;
            let value: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
            value["devices"]["device"]
                .as_array()
                .is_some_and(|d| d.len() > 1)
        }
        Deviation::MiscountCollection => {
            let (_, _, body) = send(list()).await;
            let value: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
            let members = value["devices"]["device"].as_array().map_or(1, Vec::len);
            value["devices"]["@size"] != Value::String(members.to_string())
        }
        Deviation::AnyPassword | Deviation::EchoPassword => {
            let wrong = h
                .anonymous(Method::GET, "/device-management/devices")
                .basic_auth(&h.account.user, Some("not-the-password-123"))
                .header("accept", DEVICES);
            let (status, _, body) = send(wrong).await;
            match deviation {
                Deviation::AnyPassword => status != 401,
                _ => body.contains("not-the-password-123"),
            }
        }
        Deviation::MemberHrefNowhere => {
            let page = send_json(h.get("/device-management/devices", DEVICES), 200).await;
            let first = &page["devices"]["device"][0];
            let key = first["@key"].as_str().unwrap_or_default();
            let href = first["@href"].as_str().unwrap_or_default();
            !href.ends_with(&format!("/{key}"))
        }
        Deviation::LogoutKeepsSession => {
            let login = h
                .request(Method::POST, "/user-management/login")
                .header("accept", "text/plain")
                .send()
                .await
                .expect("answered");
            let cookie: Vec<String> = login
                .headers()
                .get_all("set-cookie")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .filter_map(|c| c.split(';').next().map(|p| p.trim().to_owned()))
                .collect();
            let cookie = cookie.join("; ");
            let with_cookie = |path: &str, method: Method| {
                h.anonymous(method, path)
                    .header("cookie", cookie.clone())
                    .header("accept", "text/plain")
            };
            let logout = with_cookie("/user-management/logout", Method::POST);
            assert_eq!(send(logout).await.0, 200, "{deviation}");
            let status = with_cookie("/user-management/login-status", Method::GET);
            send(status).await.0 != 401
        }
        Deviation::TaskHrefNowhere => {
            let (_, _, body) = send(h.discover("198.51.100.9")).await;
            let task: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
            let id = task["task"]["id"].to_string();
            let href = task["task"]["@href"].as_str().unwrap_or_default();
            !href.ends_with(&format!("/{id}"))
        }
        Deviation::KeepDeleted => {
            let device = "/device-management/devices/131075";
            let delete = h.request(Method::DELETE, device).header("accept", DEVICE);
            assert_eq!(send(delete).await.0, 202, "{deviation}");
            // The job takes 20 ms (see the test below); a device still there after two
            // seconds was kept.
            for _ in 0..40 {
                if send(h.get(device, DEVICE)).await.0 == 404 {
                    return false;
                }
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            true
        }
        Deviation::JobForUnknownId => send(deploy(h, 999_999)).await.0 != 404,
        Deviation::OlderAnsweredAsNamed => {
            let older = DEVICES.replace("version=2", "version=1");
            let (status, content_type, _) = send(h.get("/device-management/devices", &older)).await;
            status == 200 && content_type.contains("version=2")
        }
        Deviation::ServeOlderVersions => {
            let older = DEVICES.replace("version=2", "version=1");
            send(h.get("/device-management/devices", &older)).await.0 != 406
        }
        Deviation::AcceptInvalidBody => {
            let not_an_object = h
                .request(Method::POST, "/device-management/discover-devices")
                .header("content-type", DISCOVER_REQUEST)
                .header("accept", DISCOVER)
                .body(r#""not a discover-devices request""#);
            send(not_an_object).await.0 != 400
        }
        Deviation::DiscoveryAddsNothing => {
            let found = "/device-management/devices?filter=(ipAddr%20eq%20'198.51.100.61')";
            let (status, _, _) = send(h.discover("198.51.100.61")).await;
            assert_eq!(status, 202, "{deviation}");
            // The job takes 20 ms; a device still missing after two seconds was not added.
            for _ in 0..40 {
                // A filter that matches nothing is an envelope counting none.
                let (_, _, body) = send(h.get(found, DEVICES)).await;
                if !body.contains(r#""@size":"0""#) {
                    return false;
                }
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            true
        }
        Deviation::CancelIgnored => {
            let later = h
                .discover("198.51.100.63")
                .query(&[("schedule", "(after(00 01))")]);
            let task = send_json(later, 202).await;
            let id = task["task"]["id"].as_u64().expect("a job id");
            let cancel = h.request(Method::POST, &format!("/job-management/jobs/{id}/cancel"));
            assert_eq!(send(cancel).await.0, 200, "{deviation}");
            let job = send_json(h.get(&format!("/job-management/jobs/{id}"), JOB), 200).await;
            job["job"]["job-state"] != "CANCELLED"
        }
        Deviation::ProgressDisagrees => {
            let (job, progress) = ended_job_and_progress(h, "198.51.100.62").await;
            progress["status"] != job["job-status"]
        }
        Deviation::OffVocabulary => {
            let (job, _) = ended_job_and_progress(h, "198.51.100.65").await;
            job["job-status"] != "SUCCESS"
        }
        Deviation::ProgressLags => {
            let (job, progress) = ended_job_and_progress(h, "198.51.100.64").await;
            progress["state"] != job["job-state"] || progress["percentage"] != 100.0
        }
        Deviation::LenientQueries => {
            let malformed = "/device-management/devices?paging=(start%20eq%20first)";
            send(h.get(malformed, DEVICES)).await.0 != 400
        }
        Deviation::IgnoreFilter => {
            // A faithful server counts no member for a filter that matches nothing.
            let none = "/device-management/devices?filter=(name%20eq%20'no-such-device')";
            let (status, _, body) = send(h.get(none, DEVICES)).await;
            status != 200 || !body.contains(r#""@size":"0""#)
        }
        Deviation::IgnoreAccept => {
            send(h.get("/device-management/devices", "application/json"))
                .await
                .0
                != 406
        }
        Deviation::AcceptAnyContentType => {
            send(h.discover_as(Some("application/json"), "198.51.100.2"))
                .await
                .0
                != 415
        }
        Deviation::MissingRequiredField => {
            // A valid deployment (exec-deploy names at least one device), so that only the
            // deviation can take the task out of the answer.
            let (status, _, body) = send(deploy(h, 131_074)).await;
            assert!((200..300).contains(&status), "{deviation}: {status} {body}");
            let value: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
            value.get("task").and_then(|t| t.get("id")).is_none()
        }
    }
}

#[tokio::test]
async fn each_deviation_shows_and_the_faithful_simulator_shows_none() {
    let quick_jobs = || JobSettings {
        duration: std::time::Duration::from_millis(20),
        ..JobSettings::default()
    };
    for deviation in Deviation::ALL {
        // A fresh faithful simulator each time: a symptom may change the server (a delete).
        let faithful = Harness::start(Config {
            jobs: quick_jobs(),
            ..Config::default()
        })
        .await;
        assert!(
            !shows(&faithful, deviation).await,
            "faithful shows {deviation}"
        );
        let config = Config {
            deviations: [deviation].into(),
            jobs: quick_jobs(),
            ..Config::default()
        };
        let deviant = Harness::start(config).await;
        assert!(
            shows(&deviant, deviation).await,
            "{deviation} does not show"
        );
    }
}

#[tokio::test]
async fn a_spec_with_a_shape_it_cannot_serve_is_refused_by_name() {
    let text = BUNDLED_SPEC.replacen(
        "  /device-management/devices:\n    get:",
        "  /device-management/devices:\n    put:\n      operationId: replaceDevices\n      responses:\n        '200':\n          description: replaced\n    get:",
        1,
    );
    let directory = std::env::temp_dir().join(format!("simulator-spec-{}", std::process::id()));
    std::fs::create_dir_all(&directory).expect("a temp dir");
    let path = directory.join("spec.yaml");
    std::fs::write(&path, text).expect("written");
    let config = Config {
        spec: Some(path),
        ..Config::default()
    };
    let error = junos_space_simulator::Simulator::start(config)
        .await
        .expect_err("refused");
    assert!(
        error
            .to_string()
            .contains("replaceDevices (PUT /device-management/devices)"),
        "{error}"
    );
    let _ = std::fs::remove_dir_all(directory);
}
