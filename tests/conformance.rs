//! The conformance suite: for every operation, request media type and documented status of
//! spec/, generated calls and answers against one recording mock server, the negative cases,
//! and the coverage matrix at the end (which must be 100 %).
//!
//! Reproducible: the seed is fixed (`CONFORMANCE_SEED`, default
//! `junos_space_conformance::shared::seed::DEFAULT_SEED`), case counts come from `CONFORMANCE_CASES`
//! (default [`CASES`]), and failing seeds are kept in `proptest-regressions/conformance.txt`
//! and replayed first on every run. A failure prints the operation, the check, the seed, the
//! shrunk case, each fault by field and an equivalent `curl` command.

use std::process::ExitCode;
use std::time::Instant;

use junos_space_conformance::kit::harness::{Harness, Settings};

/// Cases per property in CI (debug build): 14 methods × (1 request + 2–3 answers) properties,
/// about 5,000 calls in a few seconds.
const CASES: u32 = 128;

/// Failing seeds, relative to this package (`tests/`), where cargo runs the suite.
const REGRESSIONS: &str = "proptest-regressions/conformance.txt";

fn main() -> ExitCode {
    let started = Instant::now();
    let settings = Settings::from_env(CASES);
    let api = junos_space_suites::api();
    let mut harness = match Harness::new(api) {
        Ok(harness) => harness.with_regressions(REGRESSIONS),
        Err(error) => {
            eprintln!("the conformance kit cannot walk spec/: {error}");
            return ExitCode::FAILURE;
        }
    };
    let report = harness.run_all(settings);

    let failures = &report.failures;
    println!("\n{}\n", harness.coverage.render());
    for failure in failures {
        println!("\nFAILED {failure}");
    }
    let coverage_ok = harness.coverage.percent() >= 100.0;
    if !coverage_ok {
        for cell in harness.coverage.missing() {
            println!(
                "NOT COVERED: {} {} {}",
                cell.operation, cell.status, cell.media_type
            );
        }
    }
    println!(
        "\nconformance: {} cases, seed {}, {} failures, {:.1} s",
        report.cases,
        settings.seed,
        failures.len(),
        started.elapsed().as_secs_f64()
    );
    if failures.is_empty() && coverage_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
