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
