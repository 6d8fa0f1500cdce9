//! The generated crate's shortcuts against the spec: every request body its constructors build
//! is valid for the operation that takes it, and the links they write name the members the
//! spec's paths name.

use junos_space_api::types::{
    DiscoverDevicesRequest, ExecDeployJamOptions, ExecDeployJamRequest, ExecDeployOptions,
    ExecDeployRequest, Link, RpcRequest,
};
use junos_space_model::api::{Api, Reading};
use serde_json::Value;

/// What is wrong with `body` as the request body of `operation_id`.
fn findings(api: &Api, operation_id: &str, body: &impl serde::Serialize) -> Vec<String> {
    let operation = api
        .operation(operation_id)
        .unwrap_or_else(|| panic!("no operation {operation_id}"));
    let schema = operation
        .request
        .as_ref()
        .and_then(|b| b.content.schema)
        .unwrap_or_else(|| panic!("{operation_id} takes no body"));
    let body = serde_json::to_value(body).expect("serialises");
    api.validate(schema, &body, Reading::LITERAL)
        .into_iter()
        .map(|finding| format!("{operation_id}: {finding} in {body}"))
        .collect()
}

#[test]
fn every_constructed_body_is_valid_for_its_operation() {
    let spec = junos_space_suites::api();
    let options = ExecDeployOptions {
        validate: Some(true),
        ..Default::default()
    };
    let jam_options = ExecDeployJamOptions {
        use_already_downloaded_jam: Some(true),
    };
    let mut faults = Vec::new();
    faults.extend(findings(
        spec,
        "execDeploy",
        &ExecDeployRequest::to_devices([131_073, 131_074]),
    ));
    faults.extend(findings(
        spec,
        "execDeploy",
        &ExecDeployRequest::to_devices([131_073]).with_options(options),
    ));
    faults.extend(findings(
        spec,
        "execDeployJam",
        &ExecDeployJamRequest::to_devices([1]),
    ));
    faults.extend(findings(
        spec,
        "execDeployJam",
        &ExecDeployJamRequest::to_devices([1]).with_options(jam_options),
    ));
    for discovery in [
        DiscoverDevicesRequest::host("mx1.example.net"),
        DiscoverDevicesRequest::ip("192.0.2.7").with_ssh_credential("admin", "secret"),
        DiscoverDevicesRequest::ip_range("192.0.2.1", "192.0.2.9"),
        DiscoverDevicesRequest::subnet("192.0.2.0", "255.255.255.0"),
    ] {
        faults.extend(findings(spec, "discoverDevice", &discovery));
    }
    faults.extend(findings(
        spec,
        "execRpc",
        &RpcRequest::named("get-system-information"),
    ));
    faults.extend(findings(
        spec,
        "execRpc",
        &RpcRequest::commands([r#"{"get-interface-information":{"terse":""}}"#]),
    ));
    assert!(faults.is_empty(), "{faults:#?}");
}

#[test]
fn constructed_bodies_carry_what_they_were_given() {
    let deploy = serde_json::to_value(ExecDeployRequest::to_devices([7, 8])).expect("serialises");
    assert_eq!(
        deploy["exec-deploy"]["devices"]["device"],
        serde_json::json!([
            {"@href": "/api/space/device-management/devices/7"},
            {"@href": "/api/space/device-management/devices/8"}
        ])
    );
    let rpc =
        serde_json::to_value(RpcRequest::named("get-system-information")).expect("serialises");
    assert_eq!(
        rpc["netconf"]["rpcCommands"]["rpcCommand"],
        serde_json::json!([r#"{"get-system-information":""}"#])
    );
    let subnet = serde_json::to_value(DiscoverDevicesRequest::subnet("192.0.2.0", "255.255.255.0"))
        .expect("serialises");
    assert_eq!(
        subnet,
        serde_json::json!({"discover-devices": {"ipSubnetDiscoveryTarget":
            {"baseIp": "192.0.2.0", "subnetMask": "255.255.255.0"}}})
    );
}

#[test]
fn links_name_the_members_the_spec_names() {
    let spec = junos_space_suites::api();
    let path_of = |id: &str| {
        spec.operation(id)
            .map(|o| o.path.clone())
            .unwrap_or_else(|| panic!("no operation {id}"))
    };
    let device =
        format!("{}{}", spec.base_path(), path_of("getDevice")).replace("{device_id}", "7");
    assert_eq!(Link::device(7).href, device);
    // Scripts have no read of one member: a member is its collection's path and its id.
    let script = format!("{}{}/7", spec.base_path(), path_of("listScripts"));
    assert_eq!(Link::script(7).href, script);
    assert_eq!(
        Link::member("/job-management/jobs/", 7).href,
        "/api/space/job-management/jobs/7"
    );
    // The link a device is listed with is the one built from its id.
    let listed: Value = serde_json::json!({"@href": device});
    assert_eq!(
        serde_json::to_value(Link::device(7)).expect("serialises"),
        listed
    );
}

#[test]
fn a_password_the_spec_marks_never_shows_in_debug() {
    let secret = "s3cret-device-password";
    let body = DiscoverDevicesRequest::ip("192.0.2.7").with_ssh_credential("netops", secret);
    let shown = format!("{body:?} {body:#?}");
    assert!(!shown.contains(secret), "{shown}");
    assert!(shown.contains("netops") && shown.contains("***"), "{shown}");
    // On the wire it is sent as given.
    let sent = serde_json::to_value(&body).expect("serialises");
    assert_eq!(
        sent["discover-devices"]["sshCredential"]["password"],
        Value::from(secret)
    );
    // typify's builder of the credential hides it too.
    let builder = junos_space_api::types::builder::DiscoverDevicesSshCredential::default()
        .password(Some(secret.to_owned()))
        .user_name(Some("netops".to_owned()));
    assert!(!format!("{builder:?}").contains(secret));
    let v1 = junos_space_api::types::SystemDiscoveryRuleSshCredential {
        password: Some(secret.to_owned()),
        user_name: None,
    };
    assert!(!format!("{v1:?}").contains(secret));
}
