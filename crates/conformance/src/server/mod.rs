//! Server-conformance mode: checks a live Junos Space (or anything at a URL) against `spec/`.
//!
//! Every operation of the spec gets the same probes ([`plan`]): without credentials and as a
//! user the server does not have (401; the login also with a wrong password, once per run),
//! with an id no server issues (404 where documented, else any refusal), a write with a body
//! its schema refuses (400), with near misses of its `Accept` (another version, a sibling
//! resource, plain JSON: 406; empty: 400) and of its
//! `Content-Type` (likewise, and `*/*`: 415; empty: 400), with `Accept: */*`, and finally with
//! exactly what the spec names. Each answer is judged ([`verdict`]) on its status, its media
//! type by the [`oracle`](crate::oracle), and its body against the schema of that media type.
//!
//! Only reads are sent unless [`Options::writes`] is set. A write sends its refusal probes
//! first and acts once, on its last probe, with a body generated from the request schema by
//! [`Options::seed`]; nothing is retried, so nothing is done twice. A refusal the write
//! could have acted on (an unknown id, a bad body) must leave the collections it can fill as
//! they were ([`effects`]); what the acting probe's answer names is followed ([`follow`]).
//! The login probe that acts opens the run's session (`x-session`); login-status and logout
//! are asked with its cookie, and the logout probe, sent last, ends it. Without writes, no
//! session is opened and the probes that need one are skipped.
//!
//! Over HTTPS the certificate is checked first; with [`Options::versions`], every versioned
//! type is also asked at other versions ([`versions`]).
//!
//! After the writes, when they have filled collections that were empty (jobs), every
//! collection is asked again with exactly what the spec names, and its answers are checked for
//! what they mean ([`semantics`]): the count, `paging`, `filter`.

pub mod effects;
pub mod follow;
pub mod pacer;
pub mod plan;
pub mod report;
pub mod resolve;
pub mod semantics;
pub mod target;
pub mod verdict;
pub mod versions;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use junos_space_model::{HttpMethod, Operation, SessionRole, Spec, SpecError};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngSeed, TestRunner};

use crate::curl::quote;
use crate::harness::fnv1a;
use junos_space_model::validate::{Reading, validate};
use plan::{Body, Ids, Probe};
pub use report::{Outcome, ProbeResult, Report};
pub use target::{Auth, CertificateCheck, Connection, Exchange, Request, Target, TargetError};
pub use verdict::Strictness;

/// What to probe, and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// Send operations that change the server (POST, DELETE, ...). Off: they are skipped.
    pub writes: bool,
    pub strictness: Strictness,
    /// Seeds the request bodies of writes; the same seed sends the same bodies.
    pub seed: u64,
    /// Path parameter values to use instead of reading ids from collections
    /// (`package_id` → `131074`); needed where the spec lists no collection to read.
    pub path_values: BTreeMap<String, String>,
    /// Only these operationIds; empty is every operation.
    pub only: Vec<String>,
    /// A probe answered slower than this fails (`--max-response-ms`); `None` times nothing.
    pub max_response: Option<Duration>,
    /// How long a write's job may take to end before it is reported (`--job-deadline-seconds`).
    pub job_deadline: Duration,
    /// Ask every versioned type with versions 1 to this (`--versions`) and report which the
    /// server takes ([`versions`]); `None` asks only what the spec names.
    pub versions: Option<u64>,
}

/// The seed used unless one is given, so that two runs send the same bodies.
pub const DEFAULT_SEED: u64 = crate::harness::DEFAULT_SEED;

impl Default for Options {
    fn default() -> Self {
        Self {
            writes: false,
            strictness: Strictness::RealServer,
            seed: DEFAULT_SEED,
            path_values: BTreeMap::new(),
            only: Vec::new(),
            max_response: None,
            job_deadline: Duration::from_secs(120),
            versions: None,
        }
    }
}

/// Probes every selected operation of `spec` on `target`. An `Err` is a spec the mode cannot
/// walk, or an operationId in [`Options::only`] that the spec does not have.
pub async fn check_server(
    spec: &Spec,
    target: &Target,
    options: &Options,
) -> Result<Report, SpecError> {
    let operations = spec.operations()?;
    if let Some(unknown) = options
        .only
        .iter()
        .find(|id| !operations.iter().any(|o| &o.operation_id == *id))
    {
        return Err(SpecError::at(
            "/paths",
            format!("no operation `{unknown}`"),
            "name operationIds (or x-operation-ids) the spec has",
        ));
    }
    let selected: Vec<&Operation> = operations
        .iter()
        .filter(|o| options.only.is_empty() || options.only.contains(&o.operation_id))
        .collect();
    let mut report = Report {
        api_url: target.api_url().to_owned(),
        seed: options.seed,
        writes: options.writes,
        strictness: options.strictness,
        results: Vec::new(),
        versions: Vec::new(),
    };
    if let Some(result) = check_certificate(target).await {
        let refused = matches!(result.outcome, Outcome::Failed { .. });
        report.results.push(result);
        // Every probe would fail the same way: the one result says what to do.
        if refused {
            return Ok(report);
        }
    }
    let ordered = in_running_order(&selected);
    // The collections are checked again once the writes have run: before the reads of single
    // members (rank 3), or at the end when there are none.
    let again_at = ordered
        .iter()
        .position(|operation| rank(operation) >= 3)
        .unwrap_or(ordered.len());
    for (index, operation) in ordered.iter().enumerate() {
        if index == again_at {
            report.results.extend(
                check_collections_again(spec, &operations, &ordered, target, options).await,
            );
        }
        let results = check_operation(spec, &operations, operation, target, options).await?;
        report.results.extend(results);
    }
    if again_at == ordered.len() {
        report
            .results
            .extend(check_collections_again(spec, &operations, &ordered, target, options).await);
    }
    if let Some(highest) = options.versions {
        let (results, supports) =
            versions::check(spec, &operations, &ordered, highest, target, options).await;
        report.results.extend(results);
        report.versions = supports;
    }
    Ok(report)
}

/// Over HTTPS: whether the server's certificate is trusted, and what to give when it is not;
/// with `--insecure`, a reminder that nothing was verified. `None` over plain HTTP.
async fn check_certificate(target: &Target) -> Option<ProbeResult> {
    if !target.api_url().starts_with("https://") {
        return None;
    }
    let started = Instant::now();
    let outcome = if !target.verifies_certificates() {
        Outcome::Skipped {
            why: "NOT VERIFIED (--insecure): any server on the way could have answered".into(),
        }
    } else {
        match target.certificate_check().await {
            CertificateCheck::Trusted {
                status,
                content_type,
            } => Outcome::Passed {
                status,
                content_type,
            },
            CertificateCheck::Refused(reason) => Outcome::Failed {
                problems: vec![format!(
                    "the server's certificate is {reason}: give its CA with --ca-cert FILE \
                     (or, for a lab server only, --insecure)"
                )],
                reproduce: format!("curl -sS -I {}", quote(target.api_url())),
            },
            CertificateCheck::Unreachable => return None,
        }
    };
    Some(ProbeResult {
        operation_id: "connection".into(),
        operation: format!("TLS {}", target.api_url()),
        probe: "tls: certificate trusted".into(),
        outcome,
        duration: started.elapsed(),
    })
}

/// Every selected collection asked again: with exactly what the spec names when writes ran
/// (the collections they filled now show their answer type), and the checks of what its
/// answers mean.
async fn check_collections_again(
    spec: &Spec,
    operations: &[Operation],
    selected: &[&Operation],
    target: &Target,
    options: &Options,
) -> Vec<ProbeResult> {
    let mut results = Vec::new();
    for operation in selected {
        let Some(shape) = plan::collection_shape(spec, operation) else {
            continue;
        };
        let path = resolve::fill_path(
            spec,
            operations,
            operation,
            &options.path_values,
            Ids::Existing,
            target,
        )
        .await;
        let Ok(path) = path else {
            // The first pass already reported why the collection has no path.
            continue;
        };
        if options.writes
            && let Some(exact) = plan::probes(operation).pop()
        {
            let probe = Probe {
                name: format!("{}, after the writes", exact.name),
                ..exact
            };
            let (result, _, _) =
                send_probe(spec, operation, &probe, path.clone(), None, target, options).await;
            results.push(result);
        }
        let curl = |request: &Request| curl(target, request);
        results.extend(semantics::check_collection(operation, &shape, &path, target, &curl).await);
    }
    results
}

/// Login first (it opens the session later probes use), collections, then writes, then reads
/// of single members, which can then find the jobs the writes started; deletes after, since
/// the others may need what they remove (a real delete is a job that may end while the reads
/// run); logout last, as it ends the session.
fn in_running_order<'a>(selected: &[&'a Operation]) -> Vec<&'a Operation> {
    let mut ordered = selected.to_vec();
    ordered.sort_by_key(|operation| rank(operation));
    ordered
}

/// Where an operation runs: login 0, collections 1, writes 2, member reads 3, deletes 4,
/// logout 5.
fn rank(operation: &Operation) -> u8 {
    match (
        operation.session,
        plan::is_read_only(operation),
        operation.method,
    ) {
        (Some(SessionRole::Opens), _, _) => 0,
        (Some(SessionRole::Ends), _, _) => 5,
        (_, true, _) if !operation.path.contains('{') => 1,
        (_, false, HttpMethod::Delete) => 4,
        (_, false, _) => 2,
        (_, true, _) => 3,
    }
}

async fn check_operation(
    spec: &Spec,
    operations: &[Operation],
    operation: &Operation,
    target: &Target,
    options: &Options,
) -> Result<Vec<ProbeResult>, SpecError> {
    let result = |probe: &str, outcome, started: Instant| {
        ProbeResult::new(operation, probe, outcome, started)
    };
    let started = Instant::now();
    if !plan::is_read_only(operation) && !options.writes {
        let why = format!(
            "{} changes the server; --writes sends it",
            operation.method.as_str()
        );
        return Ok(vec![result(
            "all probes",
            Outcome::Skipped { why },
            started,
        )]);
    }
    let fill = |ids| {
        resolve::fill_path(
            spec,
            operations,
            operation,
            &options.path_values,
            ids,
            target,
        )
    };
    let existing = match fill(Ids::Existing).await {
        Ok(path) => path,
        Err(why) => {
            return Ok(vec![result(
                "all probes",
                Outcome::Skipped { why },
                started,
            )]);
        }
    };
    let body = request_body(spec, operation, options.seed)?;
    let violating = violating_body(spec, operation);
    let watched = effects::watched(spec, operations, operation);
    let mut results = Vec::new();
    for probe in plan::probes(operation) {
        let started = Instant::now();
        let body = match (probe.body, &violating) {
            (Body::Drawn, _) => body.clone(),
            (Body::ViolatingSchema, Some(violating)) => Some(violating.clone()),
            (Body::ViolatingSchema, None) => {
                let why = "the request schema takes a JSON string, so no value violates it";
                results.push(result(
                    &probe.name,
                    Outcome::Skipped { why: why.into() },
                    started,
                ));
                continue;
            }
        };
        let path = match probe.ids {
            Ids::Existing => existing.clone(),
            Ids::Unknown => match fill(Ids::Unknown).await {
                Ok(path) => path,
                Err(why) => {
                    results.push(result(&probe.name, Outcome::Skipped { why }, started));
                    continue;
                }
            },
        };
        let needs_session = matches!(
            probe.session,
            Some(SessionRole::Ends | SessionRole::Reports)
        );
        if needs_session && !target.has_session() {
            let why = "needs the run's session, which the login probe opens (with --writes)";
            results.push(result(
                &probe.name,
                Outcome::Skipped { why: why.into() },
                started,
            ));
            continue;
        }
        // What the probe must leave as it was, or (a write that adds members) must add to.
        let snapshot_before = probe.leaves_collections_unchanged
            || (probe.acts && operation.adds_member_to.is_some());
        let before = if snapshot_before && !watched.is_empty() {
            Some(effects::Snapshot::take(&watched, target).await)
        } else {
            None
        };
        let (mut result, exchange, request) =
            send_probe(spec, operation, &probe, path.clone(), body, target, options).await;
        if probe.leaves_collections_unchanged
            && let Some(before) = &before
        {
            let after = effects::Snapshot::take(&watched, target).await;
            let problems = match (before, &after) {
                (Ok(before), Ok(after)) => before
                    .changes(after)
                    .into_iter()
                    .map(|change| format!("the refused request changed the server: {change}"))
                    .collect(),
                (Err(why), _) | (_, Err(why)) => {
                    vec![format!(
                        "what the request could change cannot be read: {why}"
                    )]
                }
            };
            result.fail_with(problems, || curl(target, &request));
        }
        let passed = matches!(result.outcome, Outcome::Passed { .. });
        results.push(result);
        // What the write's answer names (its task's job) is followed to its end.
        if probe.acts
            && passed
            && let Exchange::Answered { status, body, .. } = &exchange
            && let Some(schema) = operation.answer_schema(*status)
            && let Ok(answer) = serde_json::from_slice::<serde_json::Value>(body)
        {
            let acted = follow::Acted {
                operation,
                path: &path,
                schema,
                answer: &answer,
                watched: &watched,
                before: before.as_ref().and_then(|before| before.as_ref().ok()),
            };
            let curl = |request: &Request| curl(target, request);
            let deadline = options.job_deadline;
            results.extend(follow::follow(spec, operations, acted, target, deadline, &curl).await);
        }
    }
    Ok(results)
}

/// Sends `probe` of `operation` to `path` and judges the answer; gives the exchange and the
/// request too.
async fn send_probe(
    spec: &Spec,
    operation: &Operation,
    probe: &Probe,
    path: String,
    body: Option<Vec<u8>>,
    target: &Target,
    options: &Options,
) -> (ProbeResult, Exchange, Request) {
    let started = Instant::now();
    let request = Request {
        method: operation.method.as_str(),
        path,
        accept: probe.accept.clone(),
        content_type: probe.content_type.clone(),
        body,
        auth: probe.auth,
        session: probe.session,
    };
    let (exchange, took) = target.send_timed(&request).await;
    let mut problems = verdict::judge(spec, operation, probe, &exchange, options.strictness);
    if let Some(budget) = options.max_response.filter(|budget| took > *budget) {
        problems.push(format!(
            "answered in {} ms, over the budget of {} ms",
            took.as_millis(),
            budget.as_millis()
        ));
    }
    if let Exchange::Answered { body, .. } = &exchange
        && target.echoes_password(body)
    {
        problems.push("the answer echoes the password".to_owned());
    }
    let outcome = match (&exchange, problems.is_empty()) {
        (
            Exchange::Answered {
                status,
                content_type,
                ..
            },
            true,
        ) => Outcome::Passed {
            status: *status,
            content_type: content_type.clone(),
        },
        _ => Outcome::Failed {
            problems,
            reproduce: curl(target, &request),
        },
    };
    (
        ProbeResult::new(operation, &probe.name, outcome, started),
        exchange,
        request,
    )
}

/// The body of the probe that violates `operation`'s request schema: a JSON string, which no
/// object schema takes in any form a real server reads; `None` where the schema takes it.
fn violating_body(spec: &Spec, operation: &Operation) -> Option<Vec<u8>> {
    let schema = operation.request_body.as_ref()?.schema.as_ref()?;
    let value = serde_json::Value::String(format!("not a value of {}", operation.operation_id));
    let refused = !validate(spec, schema, &value, Reading::SERVER_FORMS).is_empty();
    refused.then(|| value.to_string().into_bytes())
}

/// The body every probe of `operation` sends: a value of the request schema drawn with a
/// seed of its own, so that each operation's body depends only on `seed`.
fn request_body(
    spec: &Spec,
    operation: &Operation,
    seed: u64,
) -> Result<Option<Vec<u8>>, SpecError> {
    let Some(request_body) = &operation.request_body else {
        return Ok(None);
    };
    let value = match &request_body.schema {
        None => serde_json::Value::Object(serde_json::Map::new()),
        Some(schema) => {
            let strategy = crate::schema::strategy(spec, schema, &request_body.pointer)?;
            let mut runner = TestRunner::new(Config {
                rng_seed: RngSeed::Fixed(seed ^ fnv1a(&operation.operation_id)),
                ..Config::default()
            });
            strategy
                .new_tree(&mut runner)
                .map_err(|reason| {
                    SpecError::at(
                        &request_body.pointer,
                        format!("no body can be drawn: {reason}"),
                        "give the request schema satisfiable constraints",
                    )
                })?
                .current()
        }
    };
    Ok(Some(value.to_string().into_bytes()))
}

/// The request as a shell command; credentials come from the environment, never from here.
fn curl(target: &Target, request: &Request) -> String {
    let mut command = format!(
        "curl -sS -i -X {} {}",
        request.method,
        quote(&format!("{}{}", target.api_url(), request.path))
    );
    match request.auth {
        Auth::None => {}
        Auth::Account => command.push_str(" -u \"$JUNOS_SPACE_USER:$JUNOS_SPACE_PASSWORD\""),
        Auth::WrongPassword => command.push_str(&format!(
            " -u \"$JUNOS_SPACE_USER:{}$JUNOS_SPACE_PASSWORD\"",
            target::WRONG_PASSWORD_PREFIX
        )),
        Auth::UnknownUser => command.push_str(&format!(
            " -u \"{}:{}$JUNOS_SPACE_PASSWORD\"",
            target::UNKNOWN_USER,
            target::WRONG_PASSWORD_PREFIX
        )),
    }
    for (name, value) in [
        ("Accept", &request.accept),
        ("Content-Type", &request.content_type),
    ] {
        match value.as_deref() {
            // curl drops a header written `Name:`; `Name;` sends it empty.
            Some("") => command.push_str(&format!(" -H {}", quote(&format!("{name};")))),
            Some(value) => command.push_str(&format!(" -H {}", quote(&format!("{name}: {value}")))),
            None => {}
        }
    }
    if let Some(body) = &request.body {
        command.push_str(&format!(
            " --data-raw {}",
            quote(&String::from_utf8_lossy(body))
        ));
    }
    command
}
