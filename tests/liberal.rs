//! The client reads liberally where the spec decided and strictly where a source documents
//! (`spec/README.md`, "Decisions"): every operation of the model walked, each decided form
//! answered otherwise and each documented one broken, over HTTP against the generated client.
//! A decided success status takes any 2xx, a collection's count reads under either name, and
//! an answer whose types are all decided reads in any JSON or text type; a documented type in
//! another version, or an undocumented success status, is still refused.

use std::collections::BTreeSet;

use junos_space_api::dynamic::{self, DispatchError};
use junos_space_conformance::kit::response::wire_text;
use junos_space_model::api::{COUNT_NAMES, Content, Operation};
use junos_space_model::media_type::near_miss::{next_version, sibling_resource};
use junos_space_suites::api;
use junos_space_suites::recorder::{Answer, Recorder};
use junos_space_suites::samples::{call_arguments, sample};
use serde_json::Value;

/// What the generated client makes of `answer` to a call of `operation` with sample
/// arguments.
async fn call(operation: &Operation, answer: Answer) -> Result<dynamic::Answer, DispatchError> {
    let (parameters, body) = call_arguments(api(), operation);
    let recorder = Recorder::start(answer).await;
    let client = junos_space_api::Client::new(&recorder.base_url());
    dynamic::call(&client, &operation.id, &parameters, body.as_ref()).await
}

/// A sample body of `content`'s schema, and the answer serving it as `status` in
/// `content_type`.
fn serving(content: &Content, status: u16, content_type: &str) -> (Value, Answer) {
    let body = content
        .schema
        .map_or(Value::Null, |schema| sample(api(), schema));
    let answer = Answer {
        status,
        content_type: Some(content_type.to_owned()),
        body: Some(wire_text(&content.media_type, &body)),
    };
    (body, answer)
}

/// Every operation's success answer with a body: its status and first media type.
fn typed_successes() -> impl Iterator<Item = (&'static Operation, u16, &'static Content)> {
    api().operations().iter().filter_map(|operation| {
        let response = operation.successes().find(|r| !r.contents.is_empty())?;
        Some((
            operation,
            response.status.code()?,
            response.contents.first()?,
        ))
    })
}

fn assert_covers(covered: &BTreeSet<String>, ids: &[&str]) {
    for id in ids {
        assert!(covered.contains(*id), "{id} was not walked: {covered:?}");
    }
}

#[tokio::test]
async fn a_decided_success_status_reads_as_any_2xx() {
    let mut faults = Vec::new();
    let mut covered = BTreeSet::new();
    for operation in api().operations() {
        for response in operation.successes().filter(|r| r.provenance.is_decided()) {
            let code = response
                .status
                .code()
                .expect("success statuses are codes in spec/");
            let (status, expected, answer) = match response.contents.first() {
                // A cancel answered 204, where the spec decided 200.
                None => (
                    204,
                    Value::Null,
                    Answer {
                        status: 204,
                        content_type: None,
                        body: None,
                    },
                ),
                Some(content) => {
                    let other = if code == 200 { 201 } else { 200 };
                    let (body, answer) = serving(content, other, &content.text);
                    (other, body, answer)
                }
            };
            covered.insert(operation.id.clone());
            match call(operation, answer).await {
                Ok(read) if read.status == status && read.body == expected => {}
                other => faults.push(format!(
                    "{}: {status} where the spec decided {code}: {other:?}",
                    operation.id
                )),
            }
        }
    }
    assert!(faults.is_empty(), "{faults:#?}");
    assert_covers(&covered, &["cancelJob", "discoverDevice", "execRpc"]);
}

#[tokio::test]
async fn every_collection_count_reads_under_either_name() {
    let mut faults = Vec::new();
    let mut covered = BTreeSet::new();
    for (operation, code, content) in typed_successes() {
        let Some(collection) = &operation.collection else {
            continue;
        };
        let Some(count) = &collection.count else {
            continue;
        };
        let named = named_counts(content, &collection.envelope);
        for served_as in COUNT_NAMES {
            // An envelope naming several counts is served under those it names.
            if named.len() > 1 && !named.contains(&served_as) {
                continue;
            }
            let (mut body, _) = serving(content, code, &content.text);
            let envelope = body
                .get_mut(&collection.envelope)
                .and_then(Value::as_object_mut)
                .unwrap_or_else(|| panic!("{}: the sample has no envelope", operation.id));
            // An envelope whose schema names several counts (a script's parameters) carries
            // them, each read under its own name; any other carries one, under either name.
            if named.len() > 1 {
                envelope.insert(count.name.clone(), Value::from(7));
            } else {
                envelope.shift_remove(&count.name);
            }
            envelope.insert(served_as.to_owned(), Value::from(7));
            let answer = Answer {
                status: code,
                content_type: Some(content.text.clone()),
                body: Some(body.to_string()),
            };
            covered.insert(format!("{} {served_as}", operation.id));
            match call(operation, answer).await {
                Ok(read) if read.body[&collection.envelope][&count.name] == 7 => {}
                other => faults.push(format!(
                    "{}: counted as {served_as}, where the spec names {}: {other:?}",
                    operation.id, count.name
                )),
            }
        }
    }
    assert!(faults.is_empty(), "{faults:#?}");
    // cli-configlets count with `@size` by decision; counted with `@total` it still reads.
    assert_covers(
        &covered,
        &[
            "listConfiglets @total",
            "listDevices @total",
            "listUsers @size",
            "listScriptParameters @size",
        ],
    );
}

/// The names of `COUNT_NAMES` the schema of `content` names in its `envelope`.
fn named_counts(content: &Content, envelope: &str) -> Vec<&'static str> {
    let Some(schema) = content.schema else {
        return Vec::new();
    };
    let Some(outer) = api().schema(schema).property(envelope) else {
        return Vec::new();
    };
    let inner = api().schema(outer.schema);
    COUNT_NAMES
        .into_iter()
        .filter(|name| inner.property(name).is_some())
        .collect()
}

#[tokio::test]
async fn an_answer_in_a_decided_type_reads_in_any_json_or_text_type() {
    let mut faults = Vec::new();
    let mut covered = BTreeSet::new();
    for (operation, code, content) in typed_successes() {
        if !operation.answer_types_decided() {
            continue;
        }
        let mut others = vec![
            "application/json".to_owned(),
            "text/plain;charset=UTF-8".to_owned(),
        ];
        if content.media_type.is_plain_text() {
            others.push("text/html".to_owned());
        } else {
            others.push(sibling_resource(&content.media_type).to_string());
        }
        for other in others {
            let (body, answer) = serving(content, code, &other);
            covered.insert(operation.id.clone());
            match call(operation, answer).await {
                Ok(read) if read.body == body => {}
                outcome => faults.push(format!(
                    "{}: answered in {other}, where the spec decided {}: {outcome:?}",
                    operation.id, content.text
                )),
            }
        }
    }
    assert!(faults.is_empty(), "{faults:#?}");
    assert_covers(
        &covered,
        &["login", "getLoginStatus", "discoverDevice", "execRpc"],
    );
}

#[tokio::test]
async fn a_documented_form_broken_is_still_refused() {
    let mut faults = Vec::new();
    let mut covered = BTreeSet::new();
    for (operation, code, content) in typed_successes() {
        if operation.answer_types_decided() {
            continue;
        }
        let mut broken = Vec::new();
        // A devices list in another version: the same JSON may mean other behaviour.
        if let Some(version) = next_version(&content.media_type) {
            let (_, answer) = serving(content, code, &version.to_string());
            broken.push(("another version", answer));
        }
        let documented = operation.responses.iter().any(|r| r.status.covers(201));
        let decided_status = operation.successes().any(|r| r.provenance.is_decided());
        if !documented && !decided_status {
            let (_, answer) = serving(content, 201, &content.text);
            broken.push(("an undocumented success status", answer));
        }
        for (what, answer) in broken {
            covered.insert(format!("{} {what}", operation.id));
            match call(operation, answer).await {
                Err(DispatchError::Api(error)) => {
                    let refused_type = matches!(
                        error,
                        junos_space_runtime::Error::UnexpectedMediaType { .. }
                    );
                    if what == "another version" && !refused_type {
                        faults.push(format!("{}: {what} refused as {error:?}", operation.id));
                    }
                }
                outcome => faults.push(format!(
                    "{}: {what} must be refused: {outcome:?}",
                    operation.id
                )),
            }
        }
    }
    assert!(faults.is_empty(), "{faults:#?}");
    assert_covers(
        &covered,
        &[
            "listDevices another version",
            "listDevices an undocumented success status",
            "getJob another version",
        ],
    );
}
