//! The typed mock helpers expect and serve what a real Junos Space does.

use junos_space_mock::{JunosSpaceMock, MockServerExt, types};

fn devices() -> types::DeviceList {
    let device = types::Device::builder()
        .key(458_753)
        .href("/api/space/device-management/devices/458753")
        .name("mx960-core-1");
    types::DeviceList {
        devices: Some(types::DeviceListDevices {
            device: vec![device.try_into().expect("every required field is set")],
            size: 1,
            uri: None,
        }),
    }
}

#[tokio::test]
async fn a_typed_mock_answers_the_client_with_the_vendor_type() {
    let space = JunosSpaceMock::start().await;
    let mock = space.server().list_devices(|when, then| {
        when.filter("deviceFamily eq 'junos'");
        then.ok(&devices());
    });
    let answer = space
        .client()
        .list_devices()
        .filter("deviceFamily eq 'junos'")
        .send()
        .await
        .expect("the mock answers");
    assert_eq!(
        answer.headers()["content-type"],
        "application/vnd.net.juniper.space.device-management.devices+json;version=2"
    );
    assert_eq!(answer.into_inner(), devices());
    mock.assert_calls(1);
}

#[tokio::test]
async fn a_request_with_plain_json_types_does_not_match() {
    let space = JunosSpaceMock::start().await;
    let mock = space.server().list_devices(|_, then| {
        then.ok(&devices());
    });
    let plain = reqwest::Client::new()
        .get(format!("{}/device-management/devices", space.base_url()))
        .header("accept", "application/json")
        .send()
        .await
        .expect("the server answers");
    assert_eq!(
        plain.status(),
        404,
        "a mock must not answer a request a real server refuses"
    );
    mock.assert_calls(0);
}

#[tokio::test]
async fn the_two_exec_deploy_variants_are_told_apart_by_media_type() {
    let space = JunosSpaceMock::start().await;
    let task = types::TaskResponse {
        task: types::Task {
            href: "/api/space/job-management/jobs/3997704".into(),
            id: 3_997_704,
        },
    };
    let image = space.server().exec_deploy(|when, then| {
        when.package_id(131_074);
        then.accepted(&task);
    });
    let jam = space.server().exec_deploy_jam(|when, then| {
        when.package_id(131_074);
        then.accepted(&task);
    });
    let body = types::ExecDeployJamRequest::to_devices([458_753]);
    let answer = space
        .client()
        .exec_deploy_jam()
        .package_id(131_074)
        .body(body)
        .send()
        .await
        .expect("the JAM mock answers");
    assert_eq!(
        answer.headers()["content-type"],
        "application/vnd.net.juniper.space.job-management.task+json;version=1"
    );
    assert_eq!(answer.into_inner(), task);
    jam.assert_calls(1);
    image.assert_calls(0);
}

#[tokio::test]
async fn a_session_answer_is_mocked_as_the_plain_sentence_a_server_sends() {
    let space = JunosSpaceMock::start().await;
    let login = space.server().login(|_, then| {
        then.ok("User logged in");
    });
    let answer = space
        .client()
        .login()
        .send()
        .await
        .expect("the mock answers");
    assert_eq!(answer.headers()["content-type"], "text/plain");
    assert_eq!(answer.into_inner(), "User logged in");
    login.assert_calls(1);

    let refused = space.server().get_login_status(|_, then| {
        then.unauthorized("User is not logged in");
    });
    let error = space
        .client()
        .get_login_status()
        .send()
        .await
        .expect_err("a 401 is an error");
    let junos_space_mock::Error::Auth(answer) = error else {
        panic!("a documented error status comes back read into the error: {error:?}");
    };
    assert_eq!(answer.status, 401);
    assert_eq!(answer.media_type.as_deref(), Some("text/plain"));
    assert_eq!(answer.body, "User is not logged in");
    refused.assert_calls(1);
}

#[tokio::test]
async fn a_job_cancel_is_mocked_with_its_bodiless_answers() {
    let space = JunosSpaceMock::start().await;
    let too_late = space.server().cancel_job(|when, then| {
        when.job_id(3_997_704);
        then.precondition_failed();
    });
    let error = space
        .client()
        .cancel_job()
        .job_id(3_997_704)
        .send()
        .await
        .expect_err("a 412 is an error");
    assert_eq!(error.status(), Some(412));
    too_late.assert_calls(1);
}
