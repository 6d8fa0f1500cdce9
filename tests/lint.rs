//! The media-type lint over spec/: every vendor type the client sends or accepts is well formed,
//! in the Junos Space tree, versioned, and in its path's service (the kit's `lint` module gives
//! the rules and how error answers are treated; its own tests seed faults into small specs).

#[test]
fn spec_media_types_pass_the_lint() {
    let findings = junos_space_model::lint::lint(&junos_space_suites::spec());
    let listed: Vec<String> = findings.iter().map(ToString::to_string).collect();
    assert!(
        findings.is_empty(),
        "{} media-type findings in spec/junos-space.yaml:\n{}",
        findings.len(),
        listed.join("\n")
    );
}

/// Every `x-identifies` relation names an operation of the spec, with exactly its path
/// parameters, each read at a JSON pointer: `check-server` follows tasks through them.
#[test]
fn every_relation_names_an_operation_and_its_path_parameters() {
    let spec = junos_space_suites::spec();
    let operations = spec.operations().expect("spec/ walks");
    let mut relations = 0;
    for (at, schema) in spec.schemas() {
        let Some(relation) = schema.get(junos_space_model::X_IDENTIFIES) else {
            continue;
        };
        relations += 1;
        let id = relation["operationId"].as_str().unwrap_or_default();
        let operation = operations
            .iter()
            .find(|o| o.operation_id == id)
            .unwrap_or_else(|| panic!("{at}: x-identifies names `{id}`, which spec/ lacks"));
        let mut named: Vec<&str> = relation["parameters"]
            .as_object()
            .unwrap_or_else(|| panic!("{at}: x-identifies has no parameters"))
            .iter()
            .map(|(name, pointer)| {
                let pointer = pointer.as_str().unwrap_or_default();
                assert!(
                    pointer.starts_with('/'),
                    "{at}: `{pointer}` is not a JSON pointer"
                );
                name.as_str()
            })
            .collect();
        named.sort_unstable();
        let mut path_parameters: Vec<&str> = operation
            .parameters_in(junos_space_model::ParameterLocation::Path)
            .map(|p| p.name.as_str())
            .collect();
        path_parameters.sort_unstable();
        assert_eq!(named, path_parameters, "{at}: x-identifies of `{id}`");
    }
    assert!(
        relations > 0,
        "spec/ names no relation: the task-following checks would be idle"
    );
}
