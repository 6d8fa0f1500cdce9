//! What a run found, as a summary for people and as JUnit XML for CI.

use std::fmt::Write as _;
use std::time::Duration;

use super::verdict::Strictness;
use super::versions::{Support, list};

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

/// One probe of one operation.
#[derive(Debug, Clone)]
pub struct ProbeResult {
    pub operation_id: String,
    /// `GET /device-management/devices/{device_id}`.
    pub operation: String,
    /// The probe's name (`accept: wrong version`), or `all probes` when the operation was
    /// skipped as a whole.
    pub probe: String,
    pub outcome: Outcome,
    pub duration: Duration,
}

impl ProbeResult {
    /// The result of `probe` of `operation`, begun at `started`.
    pub fn new(
        operation: &junos_space_model::Operation,
        probe: &str,
        outcome: Outcome,
        started: std::time::Instant,
    ) -> Self {
        Self {
            operation_id: operation.operation_id.clone(),
            operation: format!("{} {}", operation.method.as_str(), operation.path),
            probe: probe.to_owned(),
            outcome,
            duration: started.elapsed(),
        }
    }
}

impl ProbeResult {
    /// Adds `problems` found after the answer was judged: a pass becomes a failure, reproduced
    /// by `reproduce()`; a failure keeps its own reproduction.
    pub fn fail_with(&mut self, problems: Vec<String>, reproduce: impl FnOnce() -> String) {
        if problems.is_empty() {
            return;
        }
        match &mut self.outcome {
            Outcome::Failed { problems: had, .. } => had.extend(problems),
            _ => {
                self.outcome = Outcome::Failed {
                    problems,
                    reproduce: reproduce(),
                }
            }
        }
    }
}

/// How a probe ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Passed {
        status: u16,
        content_type: Option<String>,
    },
    Failed {
        problems: Vec<String>,
        /// A `curl` command that sends the same request (credentials from the environment).
        reproduce: String,
    },
    Skipped {
        why: String,
    },
}

impl Report {
    pub fn passed(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Passed { .. }))
    }

    pub fn failed(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Failed { .. }))
    }

    pub fn skipped(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Skipped { .. }))
    }

    /// No probe failed.
    pub fn is_success(&self) -> bool {
        self.failed() == 0
    }

    /// Every problem of every failed probe, as `operationId / probe: problem` lines.
    pub fn problems(&self) -> Vec<String> {
        self.results
            .iter()
            .flat_map(|result| match &result.outcome {
                Outcome::Failed { problems, .. } => problems
                    .iter()
                    .map(|p| format!("{} / {}: {p}", result.operation_id, result.probe))
                    .collect(),
                _ => Vec::new(),
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
            "Server conformance of {} against spec/ ({})\n",
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
                } => {
                    let _ = writeln!(text, "  FAIL  {}", result.probe);
                    for problem in problems {
                        let _ = writeln!(text, "        - {problem}");
                    }
                    let _ = writeln!(text, "        rerun: {reproduce}");
                }
                Outcome::Skipped { why } => {
                    let _ = writeln!(text, "  skip  {:<28} {why}", result.probe);
                }
            }
        }
        if !self.versions.is_empty() {
            let _ = write!(text, "\n{}", self.versions_table());
        }
        let _ = write!(
            text,
            "\n{} probes: {} passed, {} failed, {} skipped ({})\n",
            self.results.len(),
            self.passed(),
            self.failed(),
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

    /// JUnit XML: one test suite per operation, one test case per probe.
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
            "<testsuites name=\"junos-space server conformance\" tests=\"{}\" failures=\"{}\" skipped=\"{}\" time=\"{:.3}\">",
            self.results.len(),
            self.failed(),
            self.skipped(),
            total_seconds(self.results.iter())
        );
        for (operation_id, members) in suites {
            let failures = members
                .iter()
                .filter(|r| matches!(r.outcome, Outcome::Failed { .. }))
                .count();
            let skipped = members
                .iter()
                .filter(|r| matches!(r.outcome, Outcome::Skipped { .. }))
                .count();
            let _ = writeln!(
                xml,
                "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" skipped=\"{skipped}\" time=\"{:.3}\">",
                escape(operation_id),
                members.len(),
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
                            escape(problems.first().map_or("", String::as_str)),
                            escape(&problems.join("\n")),
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
                    "accept: plain JSON",
                    Outcome::Failed {
                        problems: vec!["expected 406, got 200 (a): <b>&\u{1}".into()],
                        reproduce: "curl 'x'".into(),
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
        assert!(summary.contains("  FAIL  accept: plain JSON\n        - expected 406, got 200"));
        assert!(summary.contains("rerun: curl 'x'"));
        assert!(summary.ends_with(
            "3 probes: 1 passed, 1 failed, 1 skipped (seed 7, read-only, real-server reading)\n"
        ));
        assert_eq!(
            report.problems(),
            ["listDevices / accept: plain JSON: expected 406, got 200 (a): <b>&\u{1}"]
        );
    }

    #[test]
    fn junit_counts_escapes_and_holds_no_control_characters() {
        let xml = report().junit_xml();
        assert!(xml.contains("tests=\"3\" failures=\"1\" skipped=\"1\""));
        assert!(xml.contains("<testcase classname=\"listDevices\" name=\"exact types\""));
        assert!(xml.contains(
            "<failure message=\"expected 406, got 200 (a): &lt;b&gt;&amp;\u{FFFD}\" type=\"conformance\">"
        ));
        assert!(xml.contains("<skipped message=\"writes are off\"/>"));
        assert!(!xml.contains('\u{1}'));
        assert_eq!(xml.matches("<testcase ").count(), 3);
        assert_eq!(xml.matches("</testsuite>").count(), 1);
    }
}
