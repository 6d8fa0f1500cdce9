//! Each step of the xtask's table (`xtask/src/steps.rs`) on a small fixture spec: it applies,
//! and what it changes is the snapshot `tests/snapshots/steps/NN-name.diff`. After a deliberate
//! change, run `EXPECTORATE=overwrite cargo test -p xtask --test steps` and read the new diffs
//! before committing them.

use std::path::{Path, PathBuf};

use xtask::steps::STEPS;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/steps.yaml")
}

#[test]
fn every_step_changes_the_fixture_as_its_snapshot_shows() {
    let (files, traces) = xtask::render_traced(&fixture()).expect("the fixture generates");
    let ran: Vec<&str> = traces.iter().map(|t| t.name).collect();
    let table: Vec<&str> = STEPS.iter().map(|s| s.name).collect();
    assert_eq!(ran, table, "every step runs once, in the table's order");
    for (index, trace) in traces.iter().enumerate() {
        let diff = similar::TextDiff::from_lines(&trace.before, &trace.after)
            .unified_diff()
            .context_radius(2)
            .header("before", "after")
            .to_string();
        assert!(
            !diff.is_empty(),
            "`{}` counted {} changes but changed nothing",
            trace.name,
            trace.applied
        );
        let snapshot = format!(
            "# step `{}`: {} change(s) on tests/fixtures/steps.yaml\n{diff}",
            trace.name, trace.applied
        );
        expectorate::assert_contents(
            format!("tests/snapshots/steps/{index:02}-{}.diff", trace.name),
            &snapshot,
        );
    }
    // A step gone from the table leaves no snapshot behind.
    let mut kept: Vec<String> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/steps"))
            .expect("the snapshots are readable")
            .map(|entry| {
                entry
                    .expect("an entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
    kept.sort();
    let expected: Vec<String> = traces
        .iter()
        .enumerate()
        .map(|(index, trace)| format!("{index:02}-{}.diff", trace.name))
        .collect();
    assert_eq!(kept, expected, "snapshots of steps no longer in the table");
    // The dispatcher's table is emitted from the finished client rather than rewritten.
    expectorate::assert_contents(
        "tests/snapshots/fixture-dynamic_table.rs",
        &files[Path::new("src/dynamic_table.rs")],
    );
}

#[test]
fn a_step_that_changes_nothing_fails_generation() {
    // Without its one password, no field of the fixture is a secret: hiding secrets from
    // `Debug` is dead code.
    let text = std::fs::read_to_string(fixture()).expect("readable");
    let mut document = junos_space_model::Api::from_yaml_str(&text)
        .expect("the fixture reads")
        .document()
        .clone();
    let secret = document
        .pointer_mut("/components/schemas/ExecDeployOptions/properties/stagingPassword")
        .and_then(serde_json::Value::as_object_mut)
        .expect("the fixture's secret");
    assert!(secret.remove("format").is_some(), "a password's format");
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join("spec.yaml");
    std::fs::write(&spec, serde_json::to_string(&document).expect("json")).expect("write");
    let error = xtask::render(&spec).expect_err("a step that applies nowhere fails");
    let message = error.to_string();
    assert!(
        message.contains("step `secrets-hidden-in-debug` changed nothing"),
        "{message}"
    );
}
