//! Decoding: the spec's own JSON examples into the generated types, and answers shaped the way
//! a real Junos Space sends them (one-member lists as objects, numbers as strings), served
//! over HTTP with their vendor media types.

use junos_space_api::types::{
    DeviceReference, DeviceReferenceList, ExecDeployOptions, ExecDeployRequest,
    ExecDeployRequestExecDeploy, ListDevicesResponse, Task, TaskResponse,
};
use junos_space_suites::recorder::{Answer, Recorder};
use serde_json::Value;

const EXEC_DEPLOY_BODY: &str = "application/vnd.net.juniper.space.software-management.exec-deploy+json;version=1;charset=UTF-8";
const EXEC_DEPLOY_ANSWER: &str =
    "application/vnd.net.juniper.space.software-management.exec-deploy+json;version=1";
const DEVICES: &str = "application/vnd.net.juniper.space.device-management.devices+json;version=2";

/// The `example` of the exec-deploy media type `media_type` at `place` (`requestBody` or
/// `responses/202`), as the spec records it from the seed.
fn exec_deploy_example(place: &str, media_type: &str) -> Value {
    let spec = junos_space_suites::spec();
    let pointer = format!(
        "/paths/~1software-management~1packages~1{{package_id}}~1exec-deploy/post/{place}/content/{}/example",
        media_type.replace('/', "~1")
    );
    spec.document()
        .pointer(&pointer)
        .cloned()
        .unwrap_or_else(|| panic!("spec/ has no example at {pointer}"))
}

#[test]
fn seed_exec_deploy_request_decodes_with_its_string_flags_and_single_device() {
    let example = exec_deploy_example("requestBody", EXEC_DEPLOY_BODY);
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
            devices: Some(DeviceReferenceList {
                device: vec![DeviceReference {
                    href: "/api/space/device-management/devices/458753".into(),
                }],
            }),
            deploy_options: Some(ExecDeployOptions {
                use_already_downloaded: Some(true),
                validate: Some(false),
                best_effort_load: Some(false),
                snap_shot_required: Some(false),
                reboot_device: Some(false),
                reboot_after_x_minutes: Some(0),
                clean_up_existing_on_device: Some(false),
                remove_pkg_after_installation: Some(false),
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
    let example = exec_deploy_example("responses/202", EXEC_DEPLOY_ANSWER);
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

type DevicesResult =
    Result<ListDevicesResponse, junos_space_api::Error<junos_space_api::types::Error>>;

async fn served_devices(body: &str) -> DevicesResult {
    let recorder = Recorder::start(Answer {
        status: 200,
        content_type: Some(DEVICES.to_owned()),
        body: Some(body.to_owned()),
    })
    .await;
    let client = junos_space_api::Client::new(&recorder.base_url());
    client
        .list_devices()
        .send()
        .await
        .map(|answer| answer.into_inner())
}

#[tokio::test]
async fn a_real_servers_device_list_decodes() {
    // One device, rendered as an object; attributes as strings, as Junos Space sends them.
    let one = served_devices(
        r#"{"devices": {"@total": "1", "@uri": "/api/space/device-management/devices",
            "device": {"@key": "32964647", "@href": "/api/space/device-management/devices/32964647",
                       "name": "mx960-core-1", "managedStatus": "In Sync", "connectionStatus": "up"}}}"#,
    )
    .await
    .expect("decodes");
    let devices = one.devices.expect("a devices envelope");
    assert_eq!(devices.total, Some(1));
    assert_eq!(devices.device.len(), 1);
    assert_eq!(devices.device[0].key, Some(32_964_647));
    assert_eq!(devices.device[0].name.as_deref(), Some("mx960-core-1"));

    // An empty collection may drop the member key altogether.
    let none = served_devices(r#"{"devices": {"@total": 0}}"#)
        .await
        .expect("decodes");
    assert!(none.devices.expect("envelope").device.is_empty());
}

#[tokio::test]
async fn what_is_not_a_known_server_quirk_stays_an_error() {
    for body in [
        r#"{"devices": {"device": {"@key": "not a number"}}}"#,
        r#"{"devices": {"device": [{"managedStatus": "Sideways"}]}}"#,
        r#"{"devices": "#,
    ] {
        let error = served_devices(body).await.expect_err(body);
        assert!(
            matches!(error, junos_space_api::Error::InvalidResponsePayload(..)),
            "{body}: {error}"
        );
    }
}
