//! Decoding: the spec's own JSON examples into the generated types, and answers shaped the way
//! a real Junos Space sends them (one-member lists as objects, numbers as strings), served
//! over HTTP with their vendor media types.

use junos_space_api::types::{
    DeviceList, DeviceReferenceList, ExecDeployOptions, ExecDeployRequest,
    ExecDeployRequestExecDeploy, JobResponse, Link, Task, TaskResponse,
};
use junos_space_suites::recorder::{Answer, Recorder};
use serde_json::Value;

const EXEC_DEPLOY_BODY: &str = "application/vnd.net.juniper.space.software-management.exec-deploy+json;version=1;charset=UTF-8";
const EXEC_DEPLOY_ANSWER: &str =
    "application/vnd.net.juniper.space.software-management.exec-deploy+json;version=1";
const DEVICES: &str = "application/vnd.net.juniper.space.device-management.devices+json;version=2";

/// The `example` of the exec-deploy media type `media_type`: of its request body, or of its
/// 202 answer, as the spec records it from the seed.
fn exec_deploy_example(media_type: &str) -> Value {
    let deploy = junos_space_suites::api()
        .operation("execDeploy")
        .expect("spec/ has execDeploy");
    let answers = deploy.responses.iter().flat_map(|r| &r.contents);
    deploy
        .request
        .iter()
        .map(|body| &body.content)
        .chain(answers)
        .find(|content| content.text == media_type)
        .and_then(|content| content.example.clone())
        .unwrap_or_else(|| panic!("spec/ has no execDeploy example in {media_type}"))
}

#[test]
fn seed_exec_deploy_request_decodes_with_its_string_flags_and_single_device() {
    let example = exec_deploy_example(EXEC_DEPLOY_BODY);
    // The seed sends every flag as a string and the one device as an object, as servers do.
    assert_eq!(
        example["exec-deploy"]["deployOptions"]["useAlreadyDownloaded"],
        "true"
    );
    assert!(example["exec-deploy"]["devices"]["device"].is_object());

    let request: ExecDeployRequest =
        serde_json::from_value(example).expect("the seed's example decodes");
    let expected = ExecDeployRequest {
        exec_deploy: ExecDeployRequestExecDeploy {
            devices: DeviceReferenceList {
                device: vec![Link {
                    href: "/api/space/device-management/devices/458753".into(),
                }],
            },
            deploy_options: Some(ExecDeployOptions {
                use_already_downloaded: Some(true),
                validate: Some(false),
                best_effort_load: Some(false),
                snap_shot_required: Some(false),
                reboot_device: Some(false),
                reboot_after_x_minutes: Some(0),
                clean_up_existing_on_device: Some(false),
                remove_pkg_after_installation: Some(false),
                // Added in 21.3 (SDK21.3 rest.packages.id.exec-deploy.html); not in the seed.
                upgrade_primary_partition: None,
                force_host_upgrade: None,
            }),
        },
    };
    assert_eq!(request, expected);
    // What the client sends back is typed JSON: real booleans, and a list of devices.
    let sent = serde_json::to_value(&request).expect("serializes");
    assert_eq!(
        sent["exec-deploy"]["deployOptions"]["rebootAfterXMinutes"],
        0
    );
    assert_eq!(
        sent["exec-deploy"]["devices"]["device"][0]["@href"],
        "/api/space/device-management/devices/458753"
    );
}

#[test]
fn seed_task_answer_decodes() {
    let example = exec_deploy_example(EXEC_DEPLOY_ANSWER);
    let answer: TaskResponse =
        serde_json::from_value(example).expect("the seed's task answer decodes");
    assert_eq!(
        answer,
        TaskResponse {
            task: Task {
                href: "/api/space/job-management/jobs/3997704".into(),
                id: 3_997_704,
            },
        }
    );
}

#[test]
fn a_task_answer_without_its_job_id_is_an_error_not_a_zero() {
    let missing: Result<TaskResponse, _> =
        serde_json::from_str(r#"{"task": {"@href": "/api/space/job-management/jobs/1"}}"#);
    let error = missing.expect_err("a task without an id must not decode");
    assert!(error.to_string().contains("missing field `id`"), "{error}");
}

type DevicesResult = Result<DeviceList, junos_space_api::Error>;

/// A generated client of a loopback server that answers every request 200 with `body` in
/// `content_type`; the recorder must outlive the client's calls.
async fn answering(content_type: &str, body: &str) -> (Recorder, junos_space_api::Client) {
    let recorder = Recorder::start(Answer {
        status: 200,
        content_type: Some(content_type.to_owned()),
        body: Some(body.to_owned()),
    })
    .await;
    let client = junos_space_api::Client::new(&recorder.base_url());
    (recorder, client)
}

async fn served_devices(body: &str) -> DevicesResult {
    let (_recorder, client) = answering(DEVICES, body).await;
    client
        .list_devices()
        .send()
        .await
        .map(|answer| answer.into_inner())
}

#[tokio::test]
async fn a_real_servers_device_list_decodes() {
    // A real 20.1 server's answer (CSD docs/examples.md), one of its five devices: the one
    // device as an object, attributes as strings, elements typed.
    let one = served_devices(
        r#"{"devices": {"@uri": "/api/space/device-management/devices", "@size": "1",
            "device": {"@href": "/api/space/device-management/devices/31358976",
                       "@uri": "/api/space/device-management/devices/31358976",
                       "@key": "31358976", "deviceFamily": "junos", "OSVersion": "18.2R1.9",
                       "platform": "MX960", "serialNumber": "JN1234", "connectionStatus": "up",
                       "ipAddr": "192.0.2.10", "managedStatus": "In Sync", "device-id": 31358976,
                       "lsys-count": 0, "authentication-status": "Key Based",
                       "connection-type": "Device Initiated", "name": "pe1", "domain-id": 2,
                       "domain-name": "Global", "config-status": "None", "use-nat": false}}}"#,
    )
    .await
    .expect("decodes");
    let devices = one.devices.expect("a devices envelope");
    assert_eq!(devices.size, 1);
    assert_eq!(devices.device.len(), 1);
    assert_eq!(devices.device[0].key, 31_358_976);
    assert_eq!(devices.device[0].device_id, Some(31_358_976));
    assert_eq!(devices.device[0].name, "pe1");
    assert_eq!(devices.device[0].domain_name.as_deref(), Some("Global"));

    // An empty collection may drop the member key altogether.
    let none = served_devices(r#"{"devices": {"@size": "0"}}"#)
        .await
        .expect("decodes");
    assert!(none.devices.expect("envelope").device.is_empty());
}

#[tokio::test]
async fn what_is_not_a_known_server_quirk_stays_an_error() {
    for body in [
        r#"{"devices": {"@size": 1, "device": {"@key": "not a number", "@href": "/d/1", "name": "a"}}}"#,
        // The count the client pages by is missing.
        r#"{"devices": {"device": [{"@key": 1, "@href": "/d/1", "name": "a"}]}}"#,
        // A device without its name.
        r#"{"devices": {"@size": 1, "device": [{"@key": 1, "@href": "/d/1"}]}}"#,
        r#"{"devices": "#,
    ] {
        let error = served_devices(body).await.expect_err(body);
        assert!(
            matches!(error, junos_space_api::Error::Decode { .. }),
            "{body}: {error}"
        );
    }
}

/// A real 20.1 server's answer to `GET /job-management/jobs/20885651` with
/// `Accept: ...job+json;version=3` (CSD docs/examples.md), trimmed, in the `Content-Type` it
/// came with: `q` added and `version` quoted.
const REAL_JOB: &str = r#"{"job": {"@href": "/api/space/job-management/jobs/20885651",
    "@uri": "/api/space/job-management/jobs/20885651", "detail-link": {"@href": "x"},
    "domain-id": 1, "domain-name": "Global", "end-time": "Mon, 05 Oct 2020 14:26:21 UTC",
    "id": 20885651, "job-state": "DONE", "job-status": "FAILURE", "job-type": "Resync",
    "name": "Resync-20885651", "percent-complete": 100,
    "progress-update": {"@href": "/api/space/job-management/jobs/20885651/progress-update"},
    "scheduled-start-time": "Mon, 05 Oct 2020 14:26:18 UTC", "summary": "failed"}}"#;
const REAL_JOB_TYPE: &str =
    "application/vnd.net.juniper.space.job-management.job+json;q=\"0.03\";version=\"3\"";

async fn served_job(content_type: &str) -> Result<JobResponse, junos_space_api::Error> {
    let (_recorder, client) = answering(content_type, REAL_JOB).await;
    client
        .get_job()
        .job_id(20_885_651)
        .send()
        .await
        .map(|a| a.into_inner())
}

#[tokio::test]
async fn a_real_job_answer_with_q_and_a_quoted_version_decodes() {
    let job = served_job(REAL_JOB_TYPE).await.expect("decodes").job;
    assert_eq!(job.id, 20_885_651);
    assert_eq!(
        (job.job_state.as_str(), job.job_status.as_str()),
        ("DONE", "FAILURE")
    );
    assert_eq!(job.percent_complete, Some(100.0));
    assert_eq!(
        job.end_time.as_deref(),
        Some("Mon, 05 Oct 2020 14:26:21 UTC")
    );
}

#[tokio::test]
async fn another_version_with_q_is_still_refused() {
    let other = REAL_JOB_TYPE.replace("version=\"3\"", "version=\"2\"");
    let error = served_job(&other).await.expect_err("another version");
    assert!(
        matches!(error, junos_space_api::Error::UnexpectedMediaType { .. }),
        "{error}"
    );
}

#[tokio::test]
async fn a_job_without_its_state_is_an_error() {
    let (_recorder, client) = answering(
        REAL_JOB_TYPE,
        r#"{"job": {"id": 7, "percent-complete": 10}}"#,
    )
    .await;
    let error = client
        .get_job()
        .job_id(7)
        .send()
        .await
        .expect_err("no job-state");
    assert!(
        matches!(error, junos_space_api::Error::Decode { .. }),
        "{error}"
    );
}
