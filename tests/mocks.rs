//! Every typed mock the crate ships (`junos_space_api::mock`), proven against the client it
//! mocks: for each operation of the spec and each status it documents, the operation's typed
//! helper must match exactly the request the client sends (method, path, `Accept`,
//! `Content-Type`), answer exactly the media type the spec documents, and the client must read
//! that answer: decode a success to the value served, hand an error back with its status.
//!
//! A mock that expected another `Accept` than the client sends, or answered another type
//! (another version, an added `charset`, a sibling resource), fails here.

use junos_space_api::Client;
use junos_space_api::dynamic::{self, DispatchError};
use junos_space_api::mock::by_id;
use junos_space_model::api::{Api, Operation, Response};
use junos_space_suites::samples::{call_arguments, sample};
use serde_json::Value;

/// Checks `operation` answering `response`; returns what was wrong.
async fn check(api: &Api, operation: &Operation, response: &Response) -> Vec<String> {
    let id = &operation.id;
    let label = format!("{id} {}", response.status);
    let status = response.status.code().expect("statuses are codes in spec/");
    let documented = response.contents.first();
    let served = documented
        .and_then(|content| content.schema)
        .map_or(Value::Null, |schema| sample(api, schema));

    let server = httpmock::MockServer::start_async().await;
    let mock = match by_id::answer(&server, id, status, &served) {
        Ok(mock) => mock,
        Err(error) => return vec![format!("{label}: no typed mock: {error}")],
    };
    let client = Client::new(&format!("{}{}", server.base_url(), Client::BASE_PATH));
    let (parameters, body) = call_arguments(api, operation);
    let outcome = dynamic::call(&client, id, &parameters, body.as_ref()).await;

    let mut faults = Vec::new();
    let hits = mock.calls_async().await;
    if hits != 1 {
        faults.push(format!(
            "{label}: the mock matched {hits} requests of the client's one: its method, path, \
             Accept or Content-Type is not what the client sends"
        ));
        return faults;
    }
    let expected_type = documented.map(|content| content.text.as_str());
    let (answered_status, answered_type, decoded) = match outcome {
        Ok(answer) => {
            let media_type = header(&answer.headers);
            (answer.status, media_type, Some(answer.body))
        }
        Err(DispatchError::Api(error)) if error.answer().is_some() => {
            let answer = error.answer().expect("checked");
            (answer.status, answer.media_type.clone(), None)
        }
        Err(other) => return vec![format!("{label}: the client failed: {other}")],
    };
    if answered_status != status {
        faults.push(format!("{label}: the client saw status {answered_status}"));
    }
    if answered_type.as_deref() != expected_type {
        faults.push(format!(
            "{label}: the mock answers {answered_type:?}, the spec documents {expected_type:?}"
        ));
    }
    match (response.is_success(), decoded) {
        (true, Some(decoded)) if decoded != served => faults.push(format!(
            "{label}: the client decoded {decoded}, the mock served {served}"
        )),
        (true, None) => faults.push(format!(
            "{label}: a documented success came back as an error"
        )),
        (false, Some(_)) => faults.push(format!("{label}: an error status came back as a success")),
        _ => {}
    }
    faults
}

fn header(headers: &reqwest::header::HeaderMap) -> Option<String> {
    headers
        .get(reqwest::header::CONTENT_TYPE)
        .map(|value| value.to_str().unwrap_or("<not text>").to_owned())
}

#[tokio::test]
async fn every_typed_mock_matches_the_client_and_answers_as_documented() {
    let api = junos_space_suites::api();
    let operations = api.operations();
    let mut faults = Vec::new();
    let mut cells = 0;
    for operation in operations {
        for response in &operation.responses {
            faults.extend(check(api, operation, response).await);
            cells += 1;
        }
    }
    assert!(
        faults.is_empty(),
        "{} of {cells} mocked answers are wrong:\n{}",
        faults.len(),
        faults.join("\n")
    );
    // Every operation and every status it documents was mocked: no cell was left out.
    let documented: usize = operations.iter().map(|o| o.responses.len()).sum();
    assert_eq!(cells, documented);
    assert!(
        cells > operations.len(),
        "errors are mocked as well as successes"
    );
}

/// The dispatcher's error for `answer(operation_id, status, body)`; panics if it mocked.
fn refusal(
    server: &httpmock::MockServer,
    operation_id: &str,
    status: u16,
    body: &Value,
) -> by_id::AnswerError {
    match by_id::answer(server, operation_id, status, body) {
        Ok(_) => panic!("{operation_id} {status} was mocked"),
        Err(error) => error,
    }
}

#[tokio::test]
async fn the_dispatcher_refuses_what_the_spec_does_not_document() {
    let server = httpmock::MockServer::start_async().await;
    let error = refusal(&server, "noSuchOperation", 200, &Value::Null);
    assert_eq!(
        error,
        by_id::AnswerError::UnknownOperation("noSuchOperation".into())
    );
    let error = refusal(&server, "listDevices", 418, &Value::Null);
    assert!(matches!(
        error,
        by_id::AnswerError::UndocumentedStatus {
            operation_id: "listDevices",
            status: 418
        }
    ));
    let error = refusal(
        &server,
        "listDevices",
        200,
        &serde_json::json!("not a list"),
    );
    assert!(
        error.to_string().starts_with("`listDevices` 200: "),
        "{error}"
    );
}
