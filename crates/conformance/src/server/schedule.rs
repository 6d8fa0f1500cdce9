//! A job over time, with `--writes`: an asynchronous call scheduled for later (`schedule=`)
//! gives a job that waits, that a cancel (`x-cancels-job`) stops, that then reads as ended
//! without having run, and that a second cancel is refused for (412). Found through the model:
//! the first write that takes `schedule`, names a job and acts on no member of its path; the
//! job read its task names; the operation that cancels jobs.
//!
//! Sources: `schedule` and `(after(HH MM))` (SDK 16.1, PSP `test_discover_devices.py`); a job
//! waiting for its schedule can be cancelled, one that has started cannot (SDK 22.2
//! `rest.jobs.id.cancel.html`; 412, PSP `test_jobs.py`). The state a cancelled job reads
//! (`CANCELLED`) is a decision (`cancel-answer`), so another ended state only warns.

use std::time::Instant;

use junos_space_model::Api;
use junos_space_model::api::{Operation, ParameterLocation};
use junos_space_runtime::job_state::JobState;
use serde_json::Value;

use super::bodies;
use super::ground::{Ground, Problem};
use super::options::Options;
use super::outcome::{Outcome, ProbeResult};
use super::plan::is_read_only;
use super::resolve::{encode_segment, fill_only_parameter};
use super::target::{Auth, Exchange, Request, Target, own_base};

/// When the job is to start: a minute from now, in the form of Juniper's own example.
const A_MINUTE_LATER: &str = "(after(00 01))";

/// The checks of a scheduled job; nothing when the spec has no such write, or no cancel.
pub async fn check(api: &Api, target: &Target, options: &Options) -> Vec<ProbeResult> {
    let Some((write, reader, cancel)) = operations(api) else {
        return Vec::new();
    };
    let mut results = Vec::new();
    let mut record = |probe: &str, outcome: Outcome, started: Instant| {
        results.push(ProbeResult::new(cancel, probe, outcome, started));
    };
    let started = Instant::now();
    let body = match bodies::acting(api, write, options.seed, &options.path_values, target).await {
        Ok(body) => body,
        Err(why) => {
            record("schedule: all", Outcome::Skipped { why }, started);
            return results;
        }
    };
    let path = format!("{}?schedule={}", write.path, encode_segment(A_MINUTE_LATER));
    let request = Request {
        method: write.method.as_str(),
        path,
        base: own_base(write),
        accept: write.accept_header(),
        content_type: write.content_type().map(str::to_owned),
        body,
        auth: Auth::Account,
        session: None,
    };
    let Some(job_path) = started_job(api, write, reader, &request, target).await else {
        let why = format!(
            "{} scheduled a minute later started no job that can be read",
            write.id
        );
        record(
            "schedule: the job waits",
            Outcome::failed(why, target.curl(&request)),
            started,
        );
        return results;
    };
    let read = Request::read(reader, job_path.clone());
    let waits = match job_state(target, &read).await {
        Some(JobState::Scheduled) => passed(),
        other => Outcome::failed(
            format!(
                "{} scheduled a minute later reads {} at once, not SCHEDULED",
                write.id,
                said(other.as_ref())
            ),
            target.curl(&read),
        ),
    };
    record("schedule: the job waits", waits, started);

    let started = Instant::now();
    let id = job_path.rsplit('/').next().unwrap_or_default().to_owned();
    let cancel_request = Request {
        method: cancel.method.as_str(),
        path: fill_only_parameter(&cancel.path, &id),
        base: own_base(cancel),
        accept: cancel.accept_header(),
        content_type: None,
        body: None,
        auth: Auth::Account,
        session: None,
    };
    let cancelled = match target.send(&cancel_request).await {
        Exchange::Answered { status, .. } if (200..300).contains(&status) => passed(),
        Exchange::Answered { status, .. } => Outcome::failed(
            format!("a job that waits for its schedule cannot be cancelled: {status}"),
            target.curl(&cancel_request),
        ),
        Exchange::NoAnswer(why) => Outcome::failed(
            format!("the cancel had no answer: {why}"),
            target.curl(&cancel_request),
        ),
    };
    record("schedule: a waiting job is cancelled", cancelled, started);

    let started = Instant::now();
    let after = match job_state(target, &read).await {
        Some(JobState::Cancelled) => passed(),
        Some(state @ (JobState::Scheduled | JobState::InProgress | JobState::Success)) => {
            Outcome::failed(
                format!("after its cancel was taken, the job reads {state}: it was not stopped"),
                target.curl(&read),
            )
        }
        other => Outcome::fell_short(
            vec![Problem::on(
                decided_answer(cancel),
                format!(
                    "the cancelled job reads {}, not CANCELLED",
                    said(other.as_ref())
                ),
            )],
            target.curl(&read),
        ),
    };
    record(
        "schedule: the cancelled job reads cancelled",
        after,
        started,
    );

    let started = Instant::now();
    let again = match target.send(&cancel_request).await {
        Exchange::Answered { status: 412, .. } => passed(),
        Exchange::Answered { status, .. } => Outcome::failed(
            format!("a second cancel of the job was answered {status}, not 412"),
            target.curl(&cancel_request),
        ),
        Exchange::NoAnswer(why) => Outcome::failed(
            format!("the second cancel had no answer: {why}"),
            target.curl(&cancel_request),
        ),
    };
    record("schedule: a second cancel is refused", again, started);
    results
}

/// The write to schedule, the read of its job, and the cancel.
fn operations(api: &Api) -> Option<(&Operation, &Operation, &Operation)> {
    let cancel = api.operations().iter().find(|o| o.cancels_job)?;
    let write = api.operations().iter().find(|o| {
        !is_read_only(o)
            && o.request.is_some()
            && !o.path.contains('{')
            && !o.names.is_empty()
            && o.parameters_in(ParameterLocation::Query)
                .any(|p| p.name == "schedule")
    })?;
    let reader = api.operation(write.names.first()?)?;
    Some((write, reader, cancel))
}

/// Sends `request` and gives the path of the job its answer names.
async fn started_job(
    api: &Api,
    write: &Operation,
    reader: &Operation,
    request: &Request,
    target: &Target,
) -> Option<String> {
    let Exchange::Answered { status, body, .. } = target.send(request).await else {
        return None;
    };
    if !(200..300).contains(&status) {
        return None;
    }
    // Read liberally: a success under another 2xx than the documented one still names its job.
    let schema = write.answer_schema(status).or_else(|| {
        let documented = write.success_code()?;
        write.answer_schema(documented)
    })?;
    let answer: Value = serde_json::from_slice(&body).ok()?;
    let named = api
        .identified(schema, &answer)
        .into_iter()
        .find(|identified| identified.operation_id == reader.id)?;
    let id = named.parameters.values().next().map(|value| match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    })?;
    Some(fill_only_parameter(&reader.path, &id))
}

async fn job_state(target: &Target, read: &Request) -> Option<JobState> {
    match target.send(read).await {
        Exchange::Answered { status, body, .. } if (200..300).contains(&status) => {
            serde_json::from_slice::<Value>(&body)
                .ok()
                .and_then(|answer| JobState::of_json(&answer))
        }
        _ => None,
    }
}

/// Where what a cancel answers comes from: its success response's provenance (the spec's
/// `cancel-answer` decision), a fact where it documents one.
fn decided_answer(cancel: &Operation) -> Ground {
    cancel
        .successes()
        .next()
        .map_or(Ground::Fact, |response| Ground::of(&response.provenance))
}

fn said(state: Option<&JobState>) -> String {
    state.map_or_else(|| "no state".to_owned(), ToString::to_string)
}

fn passed() -> Outcome {
    Outcome::Passed {
        status: 200,
        content_type: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scheduled_write_is_found_through_the_model() {
        let api = Api::bundled().expect("the bundled spec reads");
        let (write, reader, cancel) = operations(api).expect("found");
        assert_eq!(
            (write.id.as_str(), reader.id.as_str(), cancel.id.as_str()),
            ("discoverDevice", "getJob", "cancelJob")
        );
        assert_eq!(
            fill_only_parameter("/job-management/jobs/{job_id}/cancel", "7"),
            "/job-management/jobs/7/cancel"
        );
    }
}
