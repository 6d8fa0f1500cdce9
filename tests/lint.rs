//! The media-type lint over spec/: every vendor type the client sends or accepts is well formed,
//! in the Junos Space tree, versioned, and in its path's service (the kit's `lint` module gives
//! the rules and how error answers are treated; its own tests seed faults into small specs).

#[test]
fn spec_media_types_pass_the_lint() {
    let findings = junos_space_model::lint::lint(junos_space_suites::api());
    let listed: Vec<String> = findings.iter().map(ToString::to_string).collect();
    assert!(
        findings.is_empty(),
        "{} media-type findings in spec/junos-space.yaml:\n{}",
        findings.len(),
        listed.join("\n")
    );
}

/// The model checks every `x-identifies` relation when it reads the spec (an operation of the
/// spec, with exactly its path parameters); `check-server` follows tasks through them, so the
/// spec must name at least one.
#[test]
fn the_spec_names_relations_for_the_task_following_checks() {
    let api = junos_space_suites::api();
    let relations = api
        .schemas()
        .iter()
        .filter(|(_, schema)| schema.identifies.is_some())
        .count();
    assert!(
        relations > 0,
        "spec/ names no relation: the task-following checks would be idle"
    );
    let asynchronous = api.operations().iter().filter(|op| op.starts_job()).count();
    assert!(asynchronous > 0, "no operation's answer names a job");
}

/// A schema no operation reaches is in every build of the generated client (no service
/// claims it), where a type it holds that a service's feature builds is missing: a left-over
/// schema fails here, by name, not in a build without that service.
#[test]
fn every_schema_of_the_spec_is_reached_from_an_operation() {
    let unreached = junos_space_model::lint::unreached_schemas(junos_space_suites::api());
    assert!(
        unreached.is_empty(),
        "schemas of spec/junos-space.yaml no operation reaches: {unreached:?}"
    );
}
