//! One table-driven test over every method of the spec: what the generated client puts on the
//! wire (method, path, query, body, exact `Content-Type` and `Accept`), and that the typed
//! answer decodes to what the server sent.

use junos_space_api::dynamic::{self, OPERATION_IDS};
use junos_space_conformance::kit::response::wire_text;
use junos_space_model::api::{Api, Operation, ParameterLocation};
use junos_space_suites::recorder::{Answer, Recorder};
use junos_space_suites::samples::{call_arguments, sample};
use serde_json::{Map, Value};

/// What one method must send, and what the mock answers it.
struct Case {
    parameters: Map<String, Value>,
    body: Option<Value>,
    expected_path: String,
    answer_body: Value,
    answer: Answer,
}

fn case(api: &Api, operation: &Operation) -> Case {
    let (parameters, body) = call_arguments(api, operation);
    let mut expected_path = operation.full_path();
    for parameter in operation.parameters_in(ParameterLocation::Path) {
        let value = &parameters[&parameter.name];
        let text = value.as_str().map_or(value.to_string(), str::to_owned);
        expected_path = expected_path.replace(&format!("{{{}}}", parameter.name), &text);
    }
    // The path as a URL carries it: a text parameter's space is `%20` on the wire.
    let expected_path = reqwest::Url::parse(&format!("http://wire.test{expected_path}"))
        .map_or(expected_path, |url| url.path().to_owned());
    let success = operation
        .responses
        .iter()
        .find(|r| r.is_success())
        .unwrap_or_else(|| panic!("{} documents no success status", operation.id));
    let content = success.contents.first();
    let answer_body = content
        .and_then(|c| c.schema)
        .map_or(Value::Null, |schema| sample(api, schema));
    let answer = Answer {
        status: success
            .status
            .code()
            .expect("success statuses are codes in spec/"),
        content_type: content.map(|c| c.text.clone()),
        body: content.map(|c| wire_text(&c.media_type, &answer_body)),
    };
    Case {
        parameters,
        body,
        expected_path,
        answer_body,
        answer,
    }
}

/// Checks one method; returns what was wrong, each line naming the operation.
async fn check(api: &Api, operation: &Operation) -> Vec<String> {
    let id = &operation.id;
    let case = case(api, operation);
    let recorder = Recorder::start(case.answer.clone()).await;
    let client = junos_space_api::Client::new(&recorder.base_url());
    let outcome = dynamic::call(&client, id, &case.parameters, case.body.as_ref()).await;

    let mut faults = Vec::new();
    let mut fault = |what: String| faults.push(format!("{id}: {what}"));
    let requests = recorder.requests();
    let [request] = requests.as_slice() else {
        fault(format!(
            "sent {} requests, expected exactly 1 ({outcome:?})",
            requests.len()
        ));
        return faults;
    };
    if request.method_str() != operation.method.as_str() {
        fault(format!(
            "method {} != {}",
            request.method_str(),
            operation.method.as_str()
        ));
    }
    let path = request.uri().path().to_owned();
    if path != case.expected_path {
        fault(format!("path {path} != {}", case.expected_path));
    }
    let mut sent_query = request.query_params();
    sent_query.sort();
    let mut expected_query: Vec<(String, String)> = operation
        .parameters_in(ParameterLocation::Query)
        .map(|p| {
            let value = &case.parameters[&p.name];
            (
                p.name.clone(),
                value.as_str().map_or(value.to_string(), str::to_owned),
            )
        })
        .collect();
    expected_query.sort();
    if sent_query != expected_query {
        fault(format!("query {sent_query:?} != {expected_query:?}"));
    }
    let headers = request.headers();
    let header = |name: &str| {
        let values: Vec<_> = headers
            .get_all(name)
            .iter()
            .map(|v| v.to_str().unwrap_or("<not text>").to_owned())
            .collect();
        values
    };
    let expected_content_type: Vec<String> = operation
        .content_type()
        .map(str::to_owned)
        .into_iter()
        .collect();
    if header("content-type") != expected_content_type {
        fault(format!(
            "Content-Type {:?} != {expected_content_type:?}",
            header("content-type")
        ));
    }
    // reqwest sends `*/*` when a method names no Accept (an answer without a body).
    let expected_accept = vec![
        operation
            .accept_header()
            .unwrap_or_else(|| "*/*".to_owned()),
    ];
    if header("accept") != expected_accept {
        fault(format!(
            "Accept {:?} != {expected_accept:?}",
            header("accept")
        ));
    }
    if !header("api-version").is_empty() {
        fault("sends an api-version header the server does not define".to_owned());
    }
    let sent_body: Option<Value> = (!request.body_ref().is_empty()).then(|| {
        serde_json::from_slice(request.body_ref())
            .unwrap_or_else(|e| Value::String(format!("not JSON: {e}")))
    });
    if sent_body != case.body {
        fault(format!("body {sent_body:?} != {:?}", case.body));
    }
    match outcome {
        Ok(answer) => {
            if answer.status != case.answer.status {
                fault(format!(
                    "answer status {} != {}",
                    answer.status, case.answer.status
                ));
            }
            if answer.body != case.answer_body {
                fault(format!(
                    "decoded {} != served {}",
                    answer.body, case.answer_body
                ));
            }
        }
        Err(error) => fault(format!("call failed: {error}")),
    }
    faults
}

#[tokio::test]
async fn every_method_sends_exactly_what_the_spec_says() {
    let api = junos_space_suites::api();
    let operations = api.operations();
    let spec_ids: Vec<&str> = operations.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(
        spec_ids, OPERATION_IDS,
        "the generated client and spec/ list different methods"
    );

    let mut faults = Vec::new();
    for operation in operations {
        faults.extend(check(api, operation).await);
    }
    assert!(
        faults.is_empty(),
        "{} wire faults:\n{}",
        faults.len(),
        faults.join("\n")
    );
}

#[tokio::test]
async fn no_method_names_plain_json() {
    for operation in junos_space_suites::api().operations() {
        let id = &operation.id;
        // An answer may be a plain sentence (the session calls); a request body may not.
        for content in &operation.accept {
            let parsed = &content.media_type;
            assert!(
                parsed.junos_space_service().is_some() || parsed.is_plain_text(),
                "{id}: {} is neither a Junos Space vendor type nor plain text",
                content.text
            );
        }
        if let Some(body) = &operation.request {
            assert!(
                body.content.media_type.junos_space_service().is_some(),
                "{id}: {} is not a Junos Space vendor type",
                body.content.text
            );
        }
    }
}
