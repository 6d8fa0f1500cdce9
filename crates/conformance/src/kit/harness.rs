//! Runs the checks over every operation of the spec against one mock server and one client,
//! with a fixed seed, and turns a failure into a readable report: operation, check, seed,
//! shrunk case, the faults by field, and an equivalent `curl` command.

use std::fmt;
use std::panic::AssertUnwindSafe;

use futures_util::FutureExt;
use junos_space_api::Client;
use junos_space_api::dynamic;
use junos_space_model::api::Operation;
use junos_space_model::{Api, SpecError};
use proptest::strategy::Strategy;
use proptest::test_runner::{
    Config, FailurePersistence, FileFailurePersistence, RngSeed, TestCaseError, TestError,
    TestRunner,
};
use serde_json::{Map, Value};

use super::coverage::Coverage;
use super::mock::{self, Recorder};
use super::response::{self, Documented, Outcome};
use super::{negative, request};
use crate::shared::seed::{self, DEFAULT_SEED};

/// How many cases, from which seed.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// The base seed; each check runs from this seed mixed with its name.
    pub seed: u64,
    /// Cases per property (per operation for requests, per answer for responses).
    pub cases: u32,
}

impl Settings {
    /// `CONFORMANCE_SEED` and `CONFORMANCE_CASES` from the environment, else [`DEFAULT_SEED`]
    /// and `default_cases`.
    pub fn from_env(default_cases: u32) -> Self {
        let read = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
        Self {
            seed: read("CONFORMANCE_SEED").unwrap_or(DEFAULT_SEED),
            cases: read("CONFORMANCE_CASES")
                .and_then(|c| u32::try_from(c).ok())
                .unwrap_or(default_cases),
        }
    }
}

/// One failed check, ready to print.
#[derive(Debug, Clone)]
pub struct Failure {
    pub operation: String,
    /// `request`, `response 200 application/...`, or `negative: wrong version`.
    pub check: String,
    /// The base seed and the seed of this check's runner, when cases were generated.
    pub seed: Option<(u64, u64)>,
    /// The (shrunk) case.
    pub case: String,
    /// The faults, one per line, and the curl command.
    pub message: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "operation {} — {}", self.operation, self.check)?;
        if let Some((base, own)) = self.seed {
            writeln!(
                f,
                "  seed: CONFORMANCE_SEED={base} (this check's runner: {own:#x}); \
                 rerun: CONFORMANCE_SEED={base} cargo test -p junos-space-suites --test conformance"
            )?;
        }
        writeln!(f, "  shrunk case: {}", self.case)?;
        for line in self.message.lines() {
            writeln!(f, "  {line}")?;
        }
        Ok(())
    }
}

/// What a run of every check gave.
#[derive(Debug, Default)]
pub struct Report {
    pub failures: Vec<Failure>,
    pub cases: u64,
}

/// One mock server, one client and one runtime, shared by every case.
pub struct Harness<'a> {
    pub api: &'a Api,
    pub coverage: Coverage,
    recorder: Recorder,
    client: Client,
    runtime: tokio::runtime::Runtime,
    regressions: Option<&'static str>,
}

impl<'a> Harness<'a> {
    /// Starts the mock and the client; call it outside any async runtime.
    pub fn new(api: &'a Api) -> Result<Self, SpecError> {
        let coverage = Coverage::of(api.operations())?;
        let recorder = Recorder::start_blocking(mock::Answer::default());
        let client = Client::new(&recorder.base_url());
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|error| SpecError::at("", format!("no tokio runtime: {error}"), ""))?;
        Ok(Self {
            api,
            coverage,
            recorder,
            client,
            runtime,
            regressions: None,
        })
    }

    /// Replays and records failing seeds in `path` (relative to the working directory).
    pub fn with_regressions(mut self, path: &'static str) -> Self {
        self.regressions = Some(path);
        self
    }

    /// Every check over every operation.
    pub fn run_all(&mut self, settings: Settings) -> Report {
        let mut report = Report::default();
        let api = self.api;
        for operation in api.operations() {
            self.run_operation(operation, settings, &mut report);
        }
        report
    }

    /// Request, response and negative checks of one operation.
    pub fn run_operation(
        &mut self,
        operation: &Operation,
        settings: Settings,
        report: &mut Report,
    ) {
        let id = operation.id.clone();
        match self.request_conformance(operation, settings) {
            Ok(cases) => {
                report.cases += cases;
                let content_type = operation.content_type().map(str::to_owned);
                self.coverage
                    .record(&id, "request", content_type.as_deref(), cases);
            }
            Err(failure) => report.failures.push(failure),
        }
        let answers = match response::documented(operation) {
            Ok(answers) => answers,
            Err(error) => {
                report.failures.push(spec_failure(&id, "response", &error));
                return;
            }
        };
        for answer in &answers {
            match self.response_conformance(operation, answer, settings) {
                Ok(cases) => {
                    report.cases += cases;
                    let media_type = answer.media.map(|m| m.text.as_str());
                    self.coverage
                        .record(&id, &answer.status.to_string(), media_type, cases);
                }
                Err(failure) => report.failures.push(failure),
            }
        }
        match self.negative_cases(operation) {
            Ok((cases, failures)) => {
                report.cases += cases;
                report.failures.extend(failures);
            }
            Err(failure) => report.failures.push(failure),
        }
    }

    /// Generated calls of `operation`; each recorded request must be what the spec says.
    pub fn request_conformance(
        &self,
        operation: &Operation,
        settings: Settings,
    ) -> Result<u64, Failure> {
        let id = &operation.id;
        let check = "request".to_owned();
        let strategy = request::case_strategy(self.api, operation)
            .map_err(|error| spec_failure(id, &check, &error))?;
        // Any documented success answer will do: this property is about the request.
        self.recorder.serve(mock::Answer {
            status: 599,
            content_type: None,
            body: None,
        });
        self.run_property(id, &check, settings, strategy, |case| {
            let (_, requests) = self.call(id, &case.parameters, case.body.as_ref());
            let [sent] = requests.as_slice() else {
                return Err(format!(
                    "sent {} requests, expected exactly 1",
                    requests.len()
                ));
            };
            let faults = request::check(self.api, operation, case, &operation.base_path, sent);
            if faults.is_empty() {
                Ok(())
            } else {
                Err(format!("{}\ncurl: {}", faults.join("\n"), mock::curl(sent)))
            }
        })
    }

    /// Generated answers for one documented (status × media type) of `operation`.
    pub fn response_conformance(
        &self,
        operation: &Operation,
        answer: &Documented<'_>,
        settings: Settings,
    ) -> Result<u64, Failure> {
        let id = &operation.id;
        let check = format!("response {}", answer.label());
        let strategy = response::case_strategy(self.api, operation, answer)
            .map_err(|error| spec_failure(id, &check, &error))?;
        self.run_property(id, &check, settings, strategy, |case| {
            let served = response::served(self.api, answer, case);
            self.recorder.serve(served.clone());
            let (outcome, requests) =
                self.call(id, &case.request.parameters, case.request.body.as_ref());
            let faults = response::check(self.api, answer, case, &outcome);
            if faults.is_empty() {
                return Ok(());
            }
            let curl = requests.first().map(mock::curl).unwrap_or_default();
            Err(format!(
                "{}\nserved: {} {:?} {}\ncurl: {curl}",
                faults.join("\n"),
                served.status,
                served.content_type.unwrap_or_default(),
                served.body.unwrap_or_default()
            ))
        })
    }

    /// The negative cases of `operation`; returns how many ran and the ones that failed.
    pub fn negative_cases(&self, operation: &Operation) -> Result<(u64, Vec<Failure>), Failure> {
        let id = &operation.id;
        let cases = negative::cases(self.api, operation)
            .map_err(|error| spec_failure(id, "negative", &error))?;
        // One valid call: the request is not what these cases are about.
        let call = request::case_strategy(self.api, operation)
            .and_then(|strategy| {
                seed::draw_any(&strategy).map_err(|why| SpecError::at(&operation.pointer, why, ""))
            })
            .map_err(|error| spec_failure(id, "negative", &error))?;
        let mut failures = Vec::new();
        for case in &cases {
            self.recorder.serve(case.answer.clone());
            let (outcome, requests) = self.call(id, &call.parameters, call.body.as_ref());
            if let Some(fault) = negative::check(case, &outcome) {
                let curl = requests.first().map(mock::curl).unwrap_or_default();
                failures.push(Failure {
                    operation: id.clone(),
                    check: format!("negative: {}", case.name),
                    seed: None,
                    case: format!(
                        "server answers {} {:?} {}",
                        case.answer.status,
                        case.answer.content_type.clone().unwrap_or_default(),
                        case.answer.body.clone().unwrap_or_default()
                    ),
                    message: format!("{fault}\ncurl: {curl}"),
                });
            }
        }
        Ok((cases.len() as u64, failures))
    }

    /// Calls `operation_id`; a panic of the client becomes [`Outcome::Panicked`].
    fn call(
        &self,
        operation_id: &str,
        parameters: &Map<String, Value>,
        body: Option<&Value>,
    ) -> (Outcome, Vec<httpmock::prelude::HttpMockRequest>) {
        let future = dynamic::call(&self.client, operation_id, parameters, body);
        let outcome = self.runtime.block_on(async {
            match AssertUnwindSafe(future).catch_unwind().await {
                Ok(result) => response::settle(result).await,
                Err(panic) => Outcome::Panicked(
                    panic
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                        .unwrap_or_else(|| "a panic without a message".into()),
                ),
            }
        });
        (outcome, self.recorder.take_requests())
    }

    fn run_property<S: Strategy>(
        &self,
        operation: &str,
        check: &str,
        settings: Settings,
        strategy: S,
        test: impl Fn(&S::Value) -> Result<(), String>,
    ) -> Result<u64, Failure>
    where
        S::Value: fmt::Debug,
    {
        let own_seed = seed::of(settings.seed, &format!("{operation} {check}"));
        let config = Config {
            cases: settings.cases,
            rng_seed: RngSeed::Fixed(own_seed),
            failure_persistence: self.regressions.map(|path| {
                Box::new(FileFailurePersistence::Direct(path)) as Box<dyn FailurePersistence>
            }),
            max_shrink_iters: 512,
            ..Config::default()
        };
        let mut runner = TestRunner::new(config);
        let result = runner.run(&strategy, |case| test(&case).map_err(TestCaseError::fail));
        match result {
            Ok(()) => Ok(u64::from(settings.cases)),
            Err(TestError::Fail(reason, case)) => Err(Failure {
                operation: operation.to_owned(),
                check: check.to_owned(),
                seed: Some((settings.seed, own_seed)),
                case: format!("{case:?}"),
                message: reason.message().to_owned(),
            }),
            Err(TestError::Abort(reason)) => Err(Failure {
                operation: operation.to_owned(),
                check: check.to_owned(),
                seed: Some((settings.seed, own_seed)),
                case: String::new(),
                message: format!("aborted: {}", reason.message()),
            }),
        }
    }
}

fn spec_failure(operation: &str, check: &str, error: &SpecError) -> Failure {
    Failure {
        operation: operation.to_owned(),
        check: check.to_owned(),
        seed: None,
        case: String::new(),
        message: format!("the kit cannot handle the spec here: {error}"),
    }
}
