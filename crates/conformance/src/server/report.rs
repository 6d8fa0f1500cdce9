//! What a run found, as a summary for people and as JUnit XML for CI. Failures (a documented
//! fact broken) and warnings (a server that differs only from a decision) stand apart in
//! both, and only failures fail the run.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::ground::Problem;
use super::options::Strictness;
use super::outcome::{Outcome, ProbeResult};
use super::versions::{Support, list};

/// What the `FAIL` and `WARN` marks of a report mean.
pub const LEGEND: &str = "FAIL: the server breaks a documented fact (the run fails); \
     WARN: it differs only from a decision, named with its row (the run does not fail)";

/// The outcome of every probe of a run.
#[derive(Debug, Clone)]
pub struct Report {
    /// The API URL probed.
    pub api_url: String,
    pub seed: u64,
    pub writes: bool,
    pub strictness: Strictness,
    pub results: Vec<ProbeResult>,
    /// With `--versions`: which versions of each named type the server takes.
    pub versions: Vec<Support>,
}

impl Report {
    pub fn passed(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Passed { .. }))
    }

    pub fn failed(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Failed { .. }))
    }

    /// Probes whose answer differs only from decisions.
    pub fn warned(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Warned { .. }))
    }

    pub fn skipped(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Skipped { .. }))
    }

    /// No probe failed; warnings do not count.
    pub fn is_success(&self) -> bool {
        self.failed() == 0
    }

    /// Every problem of every failed probe, as `operationId / probe: problem` lines (a decided
    /// problem of a failed probe names its decision).
    pub fn problems(&self) -> Vec<String> {
        self.lines(|o| matches!(o, Outcome::Failed { .. }))
    }

    /// Every problem of every warned probe, as `operationId / probe: problem [decision]`.
    pub fn warnings(&self) -> Vec<String> {
        self.lines(|o| matches!(o, Outcome::Warned { .. }))
    }

    /// How many warned problems each decision has, by its id.
    pub fn decisions_differed_from(&self) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for result in &self.results {
            if let Outcome::Warned { problems, .. } = &result.outcome {
                for id in problems.iter().filter_map(|p| p.ground.decision_id()) {
                    *counts.entry(id.to_owned()).or_default() += 1;
                }
            }
        }
        counts
    }

    fn lines(&self, which: impl Fn(&Outcome) -> bool) -> Vec<String> {
        self.results
            .iter()
            .filter(|result| which(&result.outcome))
            .flat_map(|result| {
                result
                    .outcome
                    .problems()
                    .iter()
                    .map(|p| format!("{} / {}: {p}", result.operation_id, result.probe))
            })
            .collect()
    }

    fn count(&self, which: impl Fn(&Outcome) -> bool) -> usize {
        self.results.iter().filter(|r| which(&r.outcome)).count()
    }

    fn settings(&self) -> String {
        format!(
            "seed {}, {}, {}",
            self.seed,
            if self.writes {
                "writes on"
            } else {
                "read-only"
            },
            match self.strictness {
                Strictness::RealServer => "real-server reading",
                Strictness::Literal => "literal reading",
            }
        )
    }

    /// The run operation by operation, then the totals.
    pub fn summary(&self) -> String {
        let mut text = format!(
            "Server conformance of {} against spec/ ({})\n{LEGEND}\n",
            self.api_url,
            self.settings()
        );
        let mut current = None;
        for result in &self.results {
            if current != Some(&result.operation_id) {
                current = Some(&result.operation_id);
                let _ = write!(text, "\n{}  {}\n", result.operation_id, result.operation);
            }
            match &result.outcome {
                Outcome::Passed {
                    status,
                    content_type,
                } => {
                    let media = content_type.as_deref().unwrap_or("no body");
                    let _ = writeln!(text, "  pass  {:<28} {status} {media}", result.probe);
                }
                Outcome::Failed {
                    problems,
                    reproduce,
                } => write_problems(&mut text, "FAIL", &result.probe, problems, reproduce),
                Outcome::Warned {
                    problems,
                    reproduce,
                } => write_problems(&mut text, "WARN", &result.probe, problems, reproduce),
                Outcome::Skipped { why } => {
                    let _ = writeln!(text, "  skip  {:<28} {why}", result.probe);
                }
            }
        }
        if !self.versions.is_empty() {
            let _ = write!(text, "\n{}", self.versions_table());
        }
        let differed = self.decisions_differed_from();
        if !differed.is_empty() {
            let named: Vec<String> = differed
                .iter()
                .map(|(id, times)| format!("`{id}` ({times})"))
                .collect();
            let _ = write!(
                text,
                "\nWarnings: the server differs from these decisions, not from a documented \
                 fact: {}\n",
                named.join(", ")
            );
        }
        let _ = write!(
            text,
            "\n{} probes: {} passed, {} failed, {} warned, {} skipped ({})\n",
            self.results.len(),
            self.passed(),
            self.failed(),
            self.warned(),
            self.skipped(),
            self.settings()
        );
        text
    }

    /// The types whose taken versions differ from the one `spec/` names.
    pub fn drift(&self) -> Vec<&Support> {
        self.versions.iter().filter(|s| s.drifts()).collect()
    }

    /// Every versioned type asked, the version `spec/` names, and the versions the server
    /// takes; drift first marked.
    pub fn versions_table(&self) -> String {
        let mut text = format!(
            "Release drift: {} of {} types taken at other versions than spec/ names\n",
            self.drift().len(),
            self.versions.len()
        );
        for support in &self.versions {
            let mark = if support.drifts() { "DRIFT" } else { "same " };
            let _ = write!(
                text,
                "  {mark} {:<22} {:<12} spec/ {}  taken {}  refused {}",
                support.operation_id,
                support.header.name(),
                support.named_version,
                list(&support.taken),
                list(&support.refused),
            );
            for (version, why) in &support.unclear {
                let _ = write!(text, "  (version {version}: {why})");
            }
            let _ = writeln!(text, "\n        {}", support.named);
        }
        text
    }

    /// JUnit XML: one test suite per operation, one test case per probe. A failure is a
    /// `<failure>`; a warning passes, with its problems in `<system-out>` and a `warning`
    /// property, and is counted in the (non-standard, ignored by tools that do not know it)
    /// `warnings` attribute.
    pub fn junit_xml(&self) -> String {
        let mut suites: Vec<(&str, Vec<&ProbeResult>)> = Vec::new();
        for result in &self.results {
            match suites.last_mut() {
                Some((id, members)) if *id == result.operation_id => members.push(result),
                _ => suites.push((&result.operation_id, vec![result])),
            }
        }
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            xml,
            "<testsuites name=\"junos-space server conformance\" {} time=\"{:.3}\">",
            counts(self.results.iter()),
            total_seconds(self.results.iter())
        );
        for (operation_id, members) in suites {
            let _ = writeln!(
                xml,
                "  <testsuite name=\"{}\" {} time=\"{:.3}\">",
                escape(operation_id),
                counts(members.iter().copied()),
                total_seconds(members.iter().copied())
            );
            let _ = writeln!(
                xml,
                "    <properties><property name=\"target\" value=\"{}\"/><property name=\"settings\" value=\"{}\"/></properties>",
                escape(&self.api_url),
                escape(&self.settings())
            );
            for result in members {
                let _ = write!(
                    xml,
                    "    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3}\"",
                    escape(operation_id),
                    escape(&result.probe),
                    result.duration.as_secs_f64()
                );
                match &result.outcome {
                    Outcome::Passed { .. } => xml.push_str("/>\n"),
                    Outcome::Failed {
                        problems,
                        reproduce,
                    } => {
                        let _ = writeln!(
                            xml,
                            ">\n      <failure message=\"{}\" type=\"conformance\">{}\nrerun: {}</failure>\n    </testcase>",
                            escape(
                                &problems
                                    .first()
                                    .map(ToString::to_string)
                                    .unwrap_or_default()
                            ),
                            escape(&joined(problems)),
                            escape(reproduce)
                        );
                    }
                    Outcome::Warned {
                        problems,
                        reproduce,
                    } => {
                        let decisions: Vec<&str> = problems
                            .iter()
                            .filter_map(|p| p.ground.decision_id())
                            .collect();
                        let _ = writeln!(
                            xml,
                            ">\n      <properties><property name=\"warning\" value=\"{}\"/></properties>\n      <system-out>WARNING (differs only from a decision): {}\nrerun: {}</system-out>\n    </testcase>",
                            escape(&decisions.join(", ")),
                            escape(&joined(problems)),
                            escape(reproduce)
                        );
                    }
                    Outcome::Skipped { why } => {
                        let _ = writeln!(
                            xml,
                            ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                            escape(why)
                        );
                    }
                }
            }
            xml.push_str("  </testsuite>\n");
        }
        xml.push_str("</testsuites>\n");
        xml
    }
}

/// A failed or warned probe in the summary: its mark, each problem, and the rerun command.
fn write_problems(text: &mut String, mark: &str, probe: &str, problems: &[Problem], rerun: &str) {
    let _ = writeln!(text, "  {mark}  {probe}");
    for problem in problems {
        let _ = writeln!(text, "        - {problem}");
    }
    let _ = writeln!(text, "        rerun: {rerun}");
}

fn joined(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// `tests="N" failures="F" warnings="W" skipped="S"` of `results`.
fn counts<'a>(results: impl Iterator<Item = &'a ProbeResult>) -> String {
    let (mut tests, mut failures, mut warnings, mut skipped) = (0, 0, 0, 0);
    for result in results {
        tests += 1;
        match result.outcome {
            Outcome::Failed { .. } => failures += 1,
            Outcome::Warned { .. } => warnings += 1,
            Outcome::Skipped { .. } => skipped += 1,
            Outcome::Passed { .. } => {}
        }
    }
    format!(
        "tests=\"{tests}\" failures=\"{failures}\" warnings=\"{warnings}\" skipped=\"{skipped}\""
    )
}

fn total_seconds<'a>(results: impl Iterator<Item = &'a ProbeResult>) -> f64 {
    results.map(|r| r.duration.as_secs_f64()).sum()
}

/// Text for an XML attribute or element: markup characters escaped, and characters XML 1.0
/// cannot hold (most control characters) replaced, since bodies are quoted in messages.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            '\t' | '\n' | '\r' => escaped.push(c),
            c if u32::from(c) < 0x20 || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {
                escaped.push('\u{FFFD}')
            }
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::ground::{Ground, PLAIN_JSON_REFUSED};
    use std::time::Duration;

    fn report() -> Report {
        let result = |probe: &str, outcome| ProbeResult {
            operation_id: "listDevices".into(),
            operation: "GET /device-management/devices".into(),
            probe: probe.into(),
            outcome,
            duration: Duration::from_millis(2),
        };
        Report {
            api_url: "http://127.0.0.1:1/api/space".into(),
            seed: 7,
            writes: false,
            strictness: Strictness::RealServer,
            versions: Vec::new(),
            results: vec![
                result(
                    "exact types",
                    Outcome::Passed {
                        status: 200,
                        content_type: Some("application/x".into()),
                    },
                ),
                result(
                    "accept: wrong version",
                    Outcome::Failed {
                        problems: vec![Problem::fact("expected 406, got 200 (a): <b>&\u{1}")],
                        reproduce: "curl 'x'".into(),
                    },
                ),
                result(
                    "accept: plain JSON",
                    Outcome::Warned {
                        problems: vec![Problem::on(
                            Ground::Kit(&PLAIN_JSON_REFUSED),
                            "expected 406, got 200",
                        )],
                        reproduce: "curl 'y'".into(),
                    },
                ),
                result(
                    "unknown id",
                    Outcome::Skipped {
                        why: "writes are off".into(),
                    },
                ),
            ],
        }
    }

    #[test]
    fn the_summary_counts_and_shows_each_problem() {
        let report = report();
        assert!(!report.is_success());
        let summary = report.summary();
        assert!(summary.contains("listDevices  GET /device-management/devices"));
        assert!(summary.contains("  FAIL  accept: wrong version\n        - expected 406, got 200"));
        assert!(summary.contains("rerun: curl 'x'"));
        assert!(summary.ends_with(
            "4 probes: 1 passed, 1 failed, 1 warned, 1 skipped (seed 7, read-only, real-server reading)\n"
        ));
        assert_eq!(
            report.problems(),
            ["listDevices / accept: wrong version: expected 406, got 200 (a): <b>&\u{1}"]
        );
    }

    #[test]
    fn warnings_stand_apart_name_their_decision_and_do_not_fail_the_run() {
        let mut report = report();
        let summary = report.summary();
        assert!(summary.contains(LEGEND), "{summary}");
        assert!(
            summary.contains(
                "  WARN  accept: plain JSON\n        - expected 406, got 200 [decision \
                 `plain-json-refused` of the kit, crates/conformance/README.md]\n        \
                 rerun: curl 'y'"
            ),
            "{summary}"
        );
        assert!(summary.contains(
            "differs from these decisions, not from a documented fact: `plain-json-refused` (1)"
        ));
        assert_eq!(
            report.warnings(),
            [
                "listDevices / accept: plain JSON: expected 406, got 200 [decision \
              `plain-json-refused` of the kit, crates/conformance/README.md]"
            ]
        );
        report.results.remove(1);
        assert!(report.is_success(), "a warning alone passes the run");
        assert_eq!((report.failed(), report.warned()), (0, 1));
    }

    #[test]
    fn junit_counts_escapes_and_holds_no_control_characters() {
        let xml = report().junit_xml();
        assert!(xml.contains("tests=\"4\" failures=\"1\" warnings=\"1\" skipped=\"1\""));
        assert!(xml.contains("<testcase classname=\"listDevices\" name=\"exact types\""));
        assert!(xml.contains(
            "<failure message=\"expected 406, got 200 (a): &lt;b&gt;&amp;\u{FFFD}\" type=\"conformance\">"
        ));
        assert!(xml.contains("<property name=\"warning\" value=\"plain-json-refused\"/>"));
        assert!(xml.contains("<system-out>WARNING (differs only from a decision): expected 406"));
        assert!(xml.contains("<skipped message=\"writes are off\"/>"));
        assert!(!xml.contains('\u{1}'));
        assert_eq!(xml.matches("<testcase ").count(), 4);
        assert_eq!(xml.matches("<failure ").count(), 1);
        assert_eq!(xml.matches("</testsuite>").count(), 1);
    }
}
