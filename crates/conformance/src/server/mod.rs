//! Server-conformance mode: checks a live Junos Space (or anything at a URL) against `spec/`.
//!
//! Every operation of the spec gets the same probes ([`plan`]): without credentials and as a
//! user the server does not have (401; the login also with a wrong password, once per run),
//! with an id no server issues (404 where documented, else any refusal), a write with a body
//! its schema refuses (400), with near misses of its `Accept` (another version, a sibling
//! resource, plain JSON: 406; empty: 400) and of its
//! `Content-Type` (likewise, and `*/*`: 415; empty: 400), with `Accept: */*`, and finally with
//! exactly what the spec names. Each answer is judged ([`verdict`]) on its status, its media
//! type by the [`oracle`](crate::shared::oracle), and its body against the schema of that media
//! type, all read from the typed model ([`junos_space_model::Api`]).
//!
//! Every expectation knows where it comes from ([`ground`]): a documented fact, whose breach
//! fails the probe and the run, or a decision (the spec's `x-decision`, or the kit's own),
//! whose breach is a warning naming the decision's row; warnings do not fail the run.
//!
//! Only reads are sent unless [`Options::writes`] is set. A write sends its refusal probes
//! first and acts once, on its last probe, with a body generated from the request schema by
//! [`Options::seed`]; nothing is retried, so nothing is done twice. A refusal the write could
//! have acted on (an unknown id, a bad body) must leave the collections it can fill as they
//! were ([`effects`]); what the acting probe's answer names is followed ([`follow`]), the
//! writes' jobs all at once, so that a run takes about as long as its longest job. The
//! login probe that acts opens the run's session (`x-session`); login-status and logout are
//! asked with its cookie, and the logout probe, sent last, ends it. Without writes, no session
//! is opened and the probes that need one are skipped.
//!
//! Over HTTPS the certificate is checked first; with [`Options::versions`], every versioned
//! type is also asked at other versions ([`versions`]). A whole run also sends the requests of
//! Juniper's own Ansible collection as it sends them ([`clients`]): a server must take them.
//!
//! After the writes, when they have filled collections that were empty (jobs), every
//! collection is asked again with exactly what the spec names, and its answers are checked for
//! what they mean ([`semantics`]): the count, `paging`, `filter`.

pub mod bodies;
pub mod clients;
pub mod effects;
pub mod follow;
pub mod ground;
pub mod links;
pub mod options;
pub mod outcome;
pub mod pacer;
pub mod plan;
pub mod report;
pub mod resolve;
pub mod restore;
pub mod schedule;
pub mod semantics;
pub mod target;
pub mod timeline;
pub mod verdict;
pub mod versions;

use std::time::Instant;

use junos_space_model::api::{HttpMethod, Operation, SessionRole};
use junos_space_model::{Api, SpecError};
use serde_json::Value;

use crate::shared::curl::quote;
use ground::Problem;
use options::Options;
use outcome::{Outcome, ProbeResult};
use plan::{Body, Ids, Probe};
use report::Report;
use semantics::Listing;
use target::{Auth, CertificateCheck, Exchange, Request, Target, own_base};

/// Probes every selected operation of `api` on `target`. An `Err` is a spec the mode cannot
/// walk, or an operationId in [`Options::only`] that the spec does not have.
pub async fn check_server(
    api: &Api,
    target: &Target,
    options: &Options,
) -> Result<Report, SpecError> {
    if let Some(unknown) = options.only.iter().find(|id| api.operation(id).is_none()) {
        return Err(SpecError::at(
            "/paths",
            format!("no operation `{unknown}`"),
            "name operationIds (or x-operation-ids) the spec has",
        ));
    }
    let selected: Vec<&Operation> = api
        .operations()
        .iter()
        .filter(|o| options.only.is_empty() || options.only.contains(&o.id))
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
    // What Juniper's own client sends, as it sends it: a whole run's part, not an operation's,
    // sent first, while the server holds what it held (the writes below remove a device).
    if options.only.is_empty() {
        report
            .results
            .extend(clients::replay::check(api, target, options).await);
    }
    let ordered = in_running_order(&selected);
    // The collections are checked again once the writes have run: before the reads of single
    // members (rank 3), or at the end when there are none.
    let again_at = ordered
        .iter()
        .position(|operation| rank(operation) >= 3)
        .unwrap_or(ordered.len());
    let mut pending = Vec::new();
    for (index, operation) in ordered.iter().enumerate() {
        // The writes' jobs (the deletes' too) are followed together, before the logout ends
        // the session the follow-ups read with: the reads between the writes and the deletes
        // need the jobs to exist, not to have ended.
        if operation.session == Some(SessionRole::Ends) {
            follow_all(
                api,
                std::mem::take(&mut pending),
                target,
                options,
                &mut report,
            )
            .await;
        }
        if index == again_at {
            report
                .results
                .extend(check_collections_again(api, &ordered, target, options).await);
        }
        let (results, followed) = check_operation(api, operation, target, options).await?;
        report.results.extend(results);
        pending.extend(followed);
    }
    follow_all(api, pending, target, options, &mut report).await;
    if again_at == ordered.len() {
        report
            .results
            .extend(check_collections_again(api, &ordered, target, options).await);
    }
    // A job over time: scheduled, waiting, cancelled, and refused a second cancel.
    if options.writes && options.only.is_empty() {
        report
            .results
            .extend(schedule::check(api, target, options).await);
    }
    if let Some(highest) = options.versions {
        let (results, supports) = versions::check(api, &ordered, highest, target, options).await;
        report.results.extend(results);
        report.versions = supports;
    }
    Ok(report)
}

/// What a write's answer named, to be followed once the writes before it have been sent.
struct Pending<'a> {
    operation: &'a Operation,
    path: String,
    schema: Option<junos_space_model::api::SchemaId>,
    answer: Value,
    watched: Vec<effects::Watched<'a>>,
    before: Option<effects::Snapshot>,
}

impl Pending<'_> {
    /// What the write acted on, for its follow-up.
    fn acted(&self) -> follow::Acted<'_> {
        follow::Acted {
            operation: self.operation,
            path: &self.path,
            schema: self.schema,
            answer: &self.answer,
            watched: &self.watched,
            before: self.before.as_ref(),
        }
    }
}

/// Follows every pending write at once (each to its jobs' end, within the job deadline), and
/// puts each one's results after the other results of its operation.
async fn follow_all(
    api: &Api,
    pending: Vec<Pending<'_>>,
    target: &Target,
    options: &Options,
    report: &mut Report,
) {
    let follows = pending
        .iter()
        .map(|pending| follow::follow(api, pending.acted(), target, options.job_deadline));
    for results in futures_util::future::join_all(follows).await {
        let Some(first) = results.first() else {
            continue;
        };
        let after = report
            .results
            .iter()
            .rposition(|r| r.operation_id == first.operation_id)
            .map_or(report.results.len(), |at| at + 1);
        report.results.splice(after..after, results);
    }
}

/// What the writes of a run will change, one line each, before any is sent: the one acting
/// request of every selected write (method, path, body), on the members the run will use,
/// and Juniper's client's writes. Reads what the server has to find them; sends no write.
pub async fn preview_writes(api: &Api, target: &Target, options: &Options) -> Vec<String> {
    let mut lines = Vec::new();
    for operation in api
        .operations()
        .iter()
        .filter(|o| !plan::is_read_only(o))
        .filter(|o| options.only.is_empty() || options.only.contains(&o.id))
    {
        let path =
            resolve::fill_path(api, operation, &options.path_values, Ids::Existing, target).await;
        let body = bodies::acting(api, operation, options.seed, &options.path_values, target).await;
        let line = match (path, body) {
            (Ok(path), Ok(body)) => {
                let body = body
                    .map(|bytes| bodies::shown(api, operation, &bytes))
                    .map(|bytes| format!(" {}", String::from_utf8_lossy(&bytes)))
                    .unwrap_or_default();
                format!("{} {} {path}{body}", operation.id, operation.method)
            }
            (Err(why), _) | (_, Err(why)) => format!("{}: not sent ({why})", operation.id),
        };
        lines.push(line);
    }
    if options.only.is_empty() {
        lines.extend(clients::replay::preview_writes());
    }
    lines
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
            CertificateCheck::Refused(reason) => Outcome::failed(
                format!(
                    "the server's certificate is {reason}: give its CA with --ca-cert FILE \
                     (or, for a lab server only, --insecure)"
                ),
                format!("curl -sS -I {}", quote(target.api_url())),
            ),
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
    api: &Api,
    selected: &[&Operation],
    target: &Target,
    options: &Options,
) -> Vec<ProbeResult> {
    let mut results = Vec::new();
    for operation in selected {
        let Some(collection) = plan::collection(operation) else {
            continue;
        };
        let path =
            resolve::fill_path(api, operation, &options.path_values, Ids::Existing, target).await;
        let Ok(path) = path else {
            // The first pass already reported why the collection has no path.
            continue;
        };
        if options.writes
            && let Some(exact) = plan::probes(api, operation).pop()
        {
            let probe = Probe {
                name: format!("{}, after the writes", exact.name),
                ..exact
            };
            let sent =
                send_probe(api, operation, &probe, path.clone(), None, target, options).await;
            results.push(sent.result);
        }
        let listing = Listing {
            operation,
            collection,
            path: &path,
        };
        results.extend(semantics::check_collection(api, &listing, target).await);
        results.extend(links::check(api, &listing, target).await);
    }
    results
}

/// Login first (it opens the session later probes use), collections, then writes, then reads
/// of single members, which can then find the jobs the writes started; deletes after, since
/// the others may need what they remove (a real delete is a job that may end while the reads
/// run), those of a member's parts before the member's own (a tag's target before the tag,
/// which takes its targets with it); logout last, as it ends the session.
fn in_running_order<'a>(selected: &[&'a Operation]) -> Vec<&'a Operation> {
    let mut ordered = selected.to_vec();
    ordered.sort_by_key(|operation| {
        let depth = match operation.method {
            HttpMethod::Delete => operation.path.matches('/').count(),
            _ => 0,
        };
        (rank(operation), std::cmp::Reverse(depth))
    });
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

async fn check_operation<'a>(
    api: &'a Api,
    operation: &'a Operation,
    target: &Target,
    options: &Options,
) -> Result<(Vec<ProbeResult>, Vec<Pending<'a>>), SpecError> {
    let result = |probe: &str, outcome, started: Instant| {
        ProbeResult::new(operation, probe, outcome, started)
    };
    let skipped = |probe: &str, why: String, started: Instant| {
        result(probe, Outcome::Skipped { why }, started)
    };
    let started = Instant::now();
    if !plan::is_read_only(operation) && !options.writes {
        let why = format!("{} changes the server; --writes sends it", operation.method);
        return Ok((vec![skipped("all probes", why, started)], Vec::new()));
    }
    let fill = |ids| resolve::fill_path(api, operation, &options.path_values, ids, target);
    let existing = match fill(Ids::Existing).await {
        Ok(path) => path,
        Err(why) => return Ok((vec![skipped("all probes", why, started)], Vec::new())),
    };
    let body = bodies::drawn(api, operation, options.seed)?;
    let violating = bodies::violating(api, operation);
    // The one probe that acts does so on members the server has, with a body the vendor
    // documents; the others go to members that do not exist.
    let acting =
        match bodies::acting(api, operation, options.seed, &options.path_values, target).await {
            Ok(body) => body,
            Err(why) => return Ok((vec![skipped("all probes", why, started)], Vec::new())),
        };
    let watched = effects::watched(api, operation, &existing);
    // A refusal is held to the collections a request fills the moment it is taken (the jobs
    // a task names): a member a job adds comes at the job's end, maybe that of an earlier
    // write, and would be blamed on the wrong request.
    let started_by_a_request: Vec<effects::Watched<'_>> = watched
        .iter()
        .filter(|w| w.filled_when_taken)
        .cloned()
        .collect();
    let mut results = Vec::new();
    let mut pending = Vec::new();
    for probe in plan::probes(api, operation) {
        let started = Instant::now();
        let body = match (probe.body, &violating) {
            (Body::Drawn, _) if probe.acts => acting.clone(),
            (Body::Drawn, _) => body.clone(),
            (Body::ViolatingSchema, Some(violating)) => Some(violating.clone()),
            // A refusal probe of a write sends what no faithful server acts on, where there is
            // such a body.
            (Body::Harmless, Some(violating)) => Some(violating.clone()),
            (Body::Harmless, None) => body.clone(),
            (Body::ViolatingSchema, None) => {
                let why = "the request schema takes a JSON string, so no value violates it";
                results.push(skipped(&probe.name, why.into(), started));
                continue;
            }
        };
        let path = match probe.ids {
            Ids::Existing => existing.clone(),
            Ids::Unknown => match fill(Ids::Unknown).await {
                Ok(path) => path,
                Err(why) => {
                    results.push(skipped(&probe.name, why, started));
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
            results.push(skipped(&probe.name, why.into(), started));
            continue;
        }
        // What the probe must leave as it was, or (a write that adds members) must add to.
        let snapshot_before = probe.leaves_collections_unchanged
            || (probe.acts
                && (operation.adds_member_to.is_some()
                    || effects::adds_at_once(api, operation).is_some()));
        let before_set = if probe.acts {
            &watched
        } else {
            &started_by_a_request
        };
        let before = if snapshot_before && !before_set.is_empty() {
            Some(effects::Snapshot::take(before_set, target).await)
        } else {
            None
        };
        // The document a write replaces is read first, to be put back after it.
        let saving = if probe.acts {
            restore::save(api, operation, &path, target).await
        } else {
            None
        };
        let saved = match saving {
            Some(Ok(saved)) => Some(saved),
            Some(Err(why)) => {
                let why = format!(
                    "the document it replaces cannot be read first, so it could not be put \
                     back: {why}"
                );
                results.push(skipped(&probe.name, why, started));
                continue;
            }
            None => None,
        };
        let sent_body = saved.as_ref().and(body.clone());
        let mut sent =
            send_probe(api, operation, &probe, path.clone(), body, target, options).await;
        if probe.leaves_collections_unchanged
            && let Some(before) = &before
        {
            // Whatever the answer, a request the server should have refused must change
            // nothing: a fact of every server, not a form of the spec.
            let after = effects::Snapshot::take(&started_by_a_request, target).await;
            let problems = match (before, &after) {
                (Ok(before), Ok(after)) => {
                    let changes = before.changes(after);
                    // A job the refusal started anyway is stopped where the server lets it be.
                    let cancelled = if changes.is_empty() {
                        Vec::new()
                    } else {
                        before.cancel_started(after, api, target).await
                    };
                    changes
                        .into_iter()
                        .map(|change| {
                            let mut problem =
                                format!("the refused request changed the server: {change}");
                            if !cancelled.is_empty() {
                                problem.push_str(&format!(" ({})", cancelled.join("; ")));
                            }
                            Problem::fact(problem)
                        })
                        .collect()
                }
                (Err(why), _) | (_, Err(why)) => vec![Problem::fact(format!(
                    "what the request could change cannot be read: {why}"
                ))],
            };
            sent.result.add_problems(problems, || {
                target.curl(&shown(api, operation, &sent.request))
            });
        }
        let passed = matches!(sent.result.outcome, Outcome::Passed { .. });
        results.push(sent.result);
        if passed && let Some(saved) = &saved {
            results.extend(
                restore::check_and_put_back(operation, saved, sent_body.as_deref(), target).await,
            );
        }
        // What a logout ends: the session no longer stands for the credentials.
        if probe.acts && passed && operation.session == Some(SessionRole::Ends) {
            results.extend(session_ended(api, operation, target).await);
        }
        // What the write's answer names (its task's job) is followed to its end, with the
        // other writes' jobs; what a write that is no job did (a member added, or gone) is
        // seen at once, before a later write changes it again.
        if probe.acts
            && passed
            && let Exchange::Answered { status, body, .. } = &sent.exchange
        {
            let schema = operation.answer_schema(*status);
            let answer = match schema {
                Some(_) => match serde_json::from_slice::<Value>(body) {
                    Ok(answer) => answer,
                    Err(_) => continue,
                },
                None => Value::Null,
            };
            let written = Pending {
                operation,
                path: path.clone(),
                schema,
                answer,
                watched: watched.clone(),
                before: before.and_then(Result::ok),
            };
            if operation.starts_job() {
                pending.push(written);
            } else {
                results.extend(
                    follow::follow(api, written.acted(), target, options.job_deadline).await,
                );
            }
        }
    }
    Ok((results, pending))
}

/// After a logout: the session's cookie, sent to the operation that reports on sessions
/// (`x-session: reports`, login-status), must be refused with 401 (SDK 21.3
/// `rest.login-status.html`: 401 once the session has ended).
async fn session_ended(api: &Api, logout: &Operation, target: &Target) -> Option<ProbeResult> {
    let reports = api
        .operations()
        .iter()
        .find(|o| o.session == Some(SessionRole::Reports))?;
    let started = Instant::now();
    let request = Request {
        session: Some(SessionRole::Reports),
        ..Request::read(reports, reports.path.clone())
    };
    let outcome = match target.send_with_ended_session(&request).await? {
        Exchange::Answered { status: 401, .. } => Outcome::Passed {
            status: 401,
            content_type: None,
        },
        Exchange::Answered { status, .. } => Outcome::failed(
            format!(
                "after the logout, its session's cookie still gets {status} from {}, not 401",
                reports.id
            ),
            format!(
                "{} -H 'Cookie: <the session cookie the logout ended>'",
                target.curl(&Request {
                    auth: Auth::None,
                    ..request.clone()
                })
            ),
        ),
        Exchange::NoAnswer(why) => {
            Outcome::failed(format!("no answer: {why}"), target.curl(&request))
        }
    };
    Some(ProbeResult::new(
        logout,
        "session: ended by the logout",
        outcome,
        started,
    ))
}

/// A probe sent: its judged result, and the exchange and request behind it.
struct Sent {
    result: ProbeResult,
    exchange: Exchange,
    request: Request,
}

/// `request` (of `operation`) as a printed `curl` shows it: its secrets masked
/// ([`bodies::shown`]); put them back to send it again.
fn shown(api: &Api, operation: &Operation, request: &Request) -> Request {
    Request {
        body: request
            .body
            .as_deref()
            .map(|body| bodies::shown(api, operation, body)),
        ..request.clone()
    }
}

/// Sends `probe` of `operation` to `path` and judges the answer.
async fn send_probe(
    api: &Api,
    operation: &Operation,
    probe: &Probe,
    path: String,
    body: Option<Vec<u8>>,
    target: &Target,
    options: &Options,
) -> Sent {
    let started = Instant::now();
    let request = Request {
        method: operation.method.as_str(),
        path,
        base: own_base(operation),
        accept: probe.accept.clone(),
        content_type: probe.content_type.clone(),
        body,
        auth: probe.auth,
        session: probe.session,
    };
    let (exchange, took) = target.send_timed(&request).await;
    let mut problems = verdict::judge(api, operation, probe, &exchange, options.strictness);
    // The user's budget and the password are no forms of the spec: breaking either fails.
    if let Some(budget) = options.max_response.filter(|budget| took > *budget) {
        problems.push(Problem::fact(format!(
            "answered in {} ms, over the budget of {} ms",
            took.as_millis(),
            budget.as_millis()
        )));
    }
    if let Exchange::Answered { body, .. } = &exchange
        && target.echoes_password(body)
    {
        problems.push(Problem::fact("the answer echoes the password"));
    }
    let outcome = match &exchange {
        Exchange::Answered {
            status,
            content_type,
            ..
        } => {
            let passed = Outcome::Passed {
                status: *status,
                content_type: content_type.clone(),
            };
            Outcome::judged(passed, problems, || {
                target.curl(&shown(api, operation, &request))
            })
        }
        Exchange::NoAnswer(_) => {
            Outcome::fell_short(problems, target.curl(&shown(api, operation, &request)))
        }
    };
    Sent {
        result: ProbeResult::new(operation, &probe.name, outcome, started),
        exchange,
        request,
    }
}
