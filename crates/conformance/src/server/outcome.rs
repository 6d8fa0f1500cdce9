//! How one probe ended: passed, failed on a documented fact, warned (it differs only from
//! decisions), or skipped.

use std::time::{Duration, Instant};

use junos_space_model::api::Operation;

use super::ground::Problem;

/// How a probe ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Passed {
        status: u16,
        content_type: Option<String>,
    },
    /// The answer breaks a documented fact; every problem is kept, decided ones marked.
    Failed {
        problems: Vec<Problem>,
        /// A `curl` command that sends the same request (credentials from the environment).
        reproduce: String,
    },
    /// The answer differs only from decisions: the server may well be right, and the run
    /// does not fail.
    Warned {
        problems: Vec<Problem>,
        reproduce: String,
    },
    Skipped {
        why: String,
    },
}

impl Outcome {
    /// `passed` when there are no `problems`; else as [`Outcome::fell_short`].
    pub fn judged(
        passed: Outcome,
        problems: Vec<Problem>,
        reproduce: impl FnOnce() -> String,
    ) -> Outcome {
        if problems.is_empty() {
            passed
        } else {
            Self::fell_short(problems, reproduce())
        }
    }

    /// An answer with `problems`: a failure when one of them breaks a fact, a warning when
    /// all differ from decisions only.
    pub fn fell_short(problems: Vec<Problem>, reproduce: String) -> Outcome {
        let decided_only = !problems.is_empty() && problems.iter().all(|p| !p.ground.is_fact());
        if decided_only {
            Outcome::Warned {
                problems,
                reproduce,
            }
        } else {
            Outcome::Failed {
                problems,
                reproduce,
            }
        }
    }

    /// A failure with one problem with a documented fact.
    pub fn failed(problem: impl Into<String>, reproduce: String) -> Outcome {
        Self::fell_short(vec![Problem::fact(problem)], reproduce)
    }

    /// The problems found, if any.
    pub fn problems(&self) -> &[Problem] {
        match self {
            Self::Failed { problems, .. } | Self::Warned { problems, .. } => problems,
            Self::Passed { .. } | Self::Skipped { .. } => &[],
        }
    }
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
    pub fn new(operation: &Operation, probe: &str, outcome: Outcome, started: Instant) -> Self {
        Self {
            operation_id: operation.id.clone(),
            operation: format!("{} {}", operation.method, operation.path),
            probe: probe.to_owned(),
            outcome,
            duration: started.elapsed(),
        }
    }

    /// Adds `problems` found after the answer was judged: the outcome is judged again on all of
    /// them, reproduced by `reproduce()` unless it already had its own reproduction.
    pub fn add_problems(&mut self, problems: Vec<Problem>, reproduce: impl FnOnce() -> String) {
        if problems.is_empty() {
            return;
        }
        let (mut all, kept) = match &self.outcome {
            Outcome::Failed {
                problems,
                reproduce,
            }
            | Outcome::Warned {
                problems,
                reproduce,
            } => (problems.clone(), Some(reproduce.clone())),
            Outcome::Passed { .. } | Outcome::Skipped { .. } => (Vec::new(), None),
        };
        all.extend(problems);
        self.outcome = Outcome::fell_short(all, kept.unwrap_or_else(reproduce));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::ground::{Ground, PLAIN_JSON_REFUSED};

    fn passed() -> Outcome {
        Outcome::Passed {
            status: 200,
            content_type: None,
        }
    }

    fn warning() -> Problem {
        Problem::on(Ground::Kit(&PLAIN_JSON_REFUSED), "expected 406, got 200")
    }

    #[test]
    fn facts_fail_decisions_warn_and_nothing_passes() {
        let rerun = || "curl".to_owned();
        assert_eq!(Outcome::judged(passed(), Vec::new(), rerun), passed());
        assert!(matches!(
            Outcome::judged(passed(), vec![warning()], rerun),
            Outcome::Warned { .. }
        ));
        assert!(matches!(
            Outcome::judged(passed(), vec![warning(), Problem::fact("no answer")], rerun),
            Outcome::Failed { problems, .. } if problems.len() == 2
        ));
    }

    #[test]
    fn a_warning_becomes_a_failure_when_a_fact_is_added() {
        let operation = junos_space_model::Api::bundled()
            .expect("the bundled spec reads")
            .operation("listDevices")
            .expect("listed");
        let mut result = ProbeResult::new(operation, "exact types", passed(), Instant::now());
        result.add_problems(vec![warning()], || "first".to_owned());
        assert!(
            matches!(&result.outcome, Outcome::Warned { reproduce, .. } if reproduce == "first")
        );
        result.add_problems(vec![Problem::fact("changed the server")], || {
            "second".to_owned()
        });
        assert!(matches!(
            &result.outcome,
            Outcome::Failed { problems, reproduce } if problems.len() == 2 && reproduce == "first"
        ));
        assert_eq!(result.operation, "GET /device-management/devices");
    }
}
