//! The media-type lint over spec/: every vendor type the client sends or accepts is well formed,
//! in the Junos Space tree, versioned, and in its path's service (the kit's `lint` module gives
//! the rules and how error answers are treated; its own tests seed faults into small specs).

#[test]
fn spec_media_types_pass_the_lint() {
    let findings = junos_space_spec::lint::lint(&junos_space_suites::spec());
    let listed: Vec<String> = findings.iter().map(ToString::to_string).collect();
    assert!(
        findings.is_empty(),
        "{} media-type findings in spec/junos-space.yaml:\n{}",
        findings.len(),
        listed.join("\n")
    );
}
