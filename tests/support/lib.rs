//! Shared pieces of the workspace suites: the spec, sample values drawn from its schemas, and
//! a mock Junos Space on 127.0.0.1 that records what the client sent.

pub mod samples;

/// The recording mock server lives in the conformance kit; the suites share it.
pub use junos_space_conformance::kit::mock as recorder;

use std::path::PathBuf;

use junos_space_model::Api;

/// The README's Rust example, compiled as a doctest so it cannot drift from the generated API.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeExample;

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// The model of the spec every suite walks, read once.
pub fn api() -> &'static Api {
    Api::bundled().unwrap_or_else(|error| panic!("spec/: {error}"))
}

/// A copy of the spec's document with the made-up operation of
/// `tests/fixtures/new-operation.json` added: its paths and its schemas.
pub fn document_with_new_operation() -> serde_json::Value {
    let path = workspace_root().join("tests/fixtures/new-operation.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let addition: serde_json::Value = serde_json::from_str(&text).expect("the fixture is JSON");
    let mut document = api().document().clone();
    for (key, at) in [("paths", "/paths"), ("schemas", "/components/schemas")] {
        let target = document
            .pointer_mut(at)
            .and_then(serde_json::Value::as_object_mut)
            .unwrap_or_else(|| panic!("the spec has {at}"));
        for (name, value) in addition[key].as_object().expect("the fixture has it") {
            assert!(
                target.insert(name.clone(), value.clone()).is_none(),
                "the spec already has {name}: the fixture must add something new"
            );
        }
    }
    document
}
