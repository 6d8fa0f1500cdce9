//! The simulator takes exactly the request bodies the kit's validator takes, for every
//! operation of the spec with a body: values drawn from its schema, the same values as a real
//! server writes them, and a body without its required root. On the schema-strict simulator
//! the reading is literal, on the realistic one it takes the server's forms; either way a body
//! is refused (400, "does not match the schema") exactly when the model's validator
//! (`Api::validate`) has a finding for it.

use std::collections::BTreeMap;

use junos_space_conformance::server::plan::Ids;
use junos_space_conformance::server::resolve::fill_path;
use junos_space_conformance::server::target::{
    Auth, Connection, Exchange, Request, Target, own_base,
};
use junos_space_conformance::shared::schema::strategy;
use junos_space_model::Api;
use junos_space_model::api::{Forms, Operation, Reading, SchemaId};
use junos_space_runtime::Credentials;
use junos_space_simulator::{Config, Realism, Simulator};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use serde_json::{Value, json};

/// Drawn values per operation; each is sent as drawn and as a server renders it.
const DRAWS: usize = 24;

/// The schema of `operation`'s request body.
fn body_schema(operation: &Operation) -> SchemaId {
    operation
        .request
        .as_ref()
        .and_then(|body| body.content.schema)
        .expect("a body schema")
}

/// The bodies to send for `operation`: drawn values, their server renderings, and `{}`.
fn bodies(api: &Api, operation: &Operation) -> Vec<Value> {
    let schema = body_schema(operation);
    let drawn = strategy(api, schema).expect("the kit draws bodies");
    let mut runner = TestRunner::deterministic();
    let mut values = vec![json!({})];
    for _ in 0..DRAWS {
        let value = drawn.new_tree(&mut runner).expect("a value").current();
        values.push(api.render(schema, &value, Forms::EVERY));
        values.push(value);
    }
    values
}

/// Whether the simulator refused `body` for not matching its schema.
fn refused_by_schema(exchange: &Exchange) -> bool {
    match exchange {
        Exchange::Answered { status, body, .. } => {
            *status == 400 && String::from_utf8_lossy(body).contains("does not match the schema")
        }
        Exchange::NoAnswer(why) => panic!("the simulator did not answer: {why}"),
    }
}

async fn agree(realism: Realism, reading: Reading) -> usize {
    let api = junos_space_suites::api();
    let simulator = Simulator::start(Config {
        realism,
        ..Config::default()
    })
    .await
    .expect("the simulator starts");
    let target = Target::new(
        &simulator.api_url(),
        Credentials::new("super", "juniper123"),
        &Connection::default(),
    )
    .expect("a target");
    let mut compared = 0;
    let mut disagreements = Vec::new();
    for operation in api.operations().iter().filter(|o| o.request.is_some()) {
        let path = fill_path(api, operation, &BTreeMap::new(), Ids::Existing, &target)
            .await
            .unwrap_or_else(|why| panic!("{}: {why}", operation.id));
        let schema = body_schema(operation);
        for body in bodies(api, operation) {
            let request = Request {
                method: operation.method.as_str(),
                path: path.clone(),
                base: own_base(operation),
                accept: operation.accept_header(),
                content_type: operation.content_type().map(str::to_owned),
                body: Some(body.to_string().into_bytes()),
                auth: Auth::Account,
                session: None,
            };
            let refused = refused_by_schema(&target.send(&request).await);
            let findings = api.validate(schema, &body, reading);
            if refused == findings.is_empty() {
                disagreements.push(format!(
                    "{}: simulator {}, validator {findings:?}: {body}",
                    operation.id,
                    if refused { "refused" } else { "took" },
                ));
            }
            compared += 1;
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} disagreement(s):\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
    compared
}

#[tokio::test]
async fn a_simulator_reading_bodies_literally_takes_what_the_literal_reading_takes() {
    let literal = Realism {
        lenient_request_bodies: false,
        ..Realism::schema_strict()
    };
    let compared = agree(literal, Reading::LITERAL).await;
    assert!(compared > 100, "{compared} bodies compared");
}

#[tokio::test]
async fn the_strict_simulator_takes_what_the_server_forms_reading_takes() {
    let compared = agree(Realism::schema_strict(), Reading::SERVER_FORMS).await;
    assert!(compared > 100, "{compared} bodies compared");
}

#[tokio::test]
async fn the_realistic_simulator_takes_what_the_server_forms_reading_takes() {
    let compared = agree(Realism::real_server(), Reading::SERVER_FORMS).await;
    assert!(compared > 100, "{compared} bodies compared");
}
