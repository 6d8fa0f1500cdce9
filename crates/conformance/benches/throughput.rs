//! End-to-end throughput of the conformance kit: generated cases per second, each one a call
//! of the generated client against the recording mock server, checked by the oracle.
//!
//! `cargo bench -p junos-space-conformance --bench throughput` (release); `CONFORMANCE_CASES`
//! sets the cases per property (default 500).

use std::time::Instant;

use junos_space_conformance::kit::harness::{Harness, Settings};
use junos_space_model::Api;

fn main() {
    let api = Api::bundled().unwrap_or_else(|error| panic!("the bundled spec: {error}"));
    let mut harness = Harness::new(api).unwrap_or_else(|error| panic!("{error}"));
    let settings = Settings::from_env(500);
    // A short warm-up so connection set-up and lazy statics are not measured.
    harness.run_all(Settings {
        cases: 5,
        ..settings
    });
    let started = Instant::now();
    let report = harness.run_all(settings);
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "conformance throughput: {} cases in {seconds:.2} s = {:.0} cases/s \
         ({} failing checks, {} cases per property)",
        report.cases,
        report.cases as f64 / seconds,
        report.failures.len(),
        settings.cases
    );
}
