//! What a write's answer promises, followed up: every member it names through the spec's
//! `x-identifies` (a task naming its job) is read until it ends, within a deadline; the task's
//! `@href` must lead to that same job; the job's parts (its progress update) must be readable
//! and tell the end the job told; none of those readings may stand behind an earlier one;
//! a delete's member must be gone once its job has succeeded, or at once where the delete is
//! no job; a write that adds members (`x-adds-member-to`: a discovery) must have added one
//! once its job has succeeded, and a POST to a collection's path that is no job (a tag, a
//! tag's target) must have added one at once.
//!
//! All of it is found through the model (the relation, the reading operation, the parts below
//! its path, the read of a deleted path), so a new asynchronous operation needs no code. What
//! is followed is documented: the task names its job (SDK 16.1 exec-deploy), a job ends, a
//! deleted member is gone (RFC 9110), and a discovery adds what the spec's relation says.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use junos_space_model::Api;
use junos_space_model::api::{HttpMethod, Identified, Operation, SchemaId};
use junos_space_runtime::job_state::JobState;
use serde_json::Value;

use super::effects::{self, Snapshot, Watched};
use super::ground::{Ground, JOB_NEVER_GOES_BACK, Problem};
use super::outcome::{Outcome, ProbeResult};
use super::plan;
use super::resolve::{below_base, encode_segment};
use super::target::{Exchange, Request, Target};
use super::timeline::{Reading, Timeline};

/// The first wait between two reads of a running job; each wait doubles, up to
/// [`LONGEST_POLL`], so a quick job is seen soon and a long one is not read needlessly often.
const FIRST_POLL: Duration = Duration::from_millis(25);
const LONGEST_POLL: Duration = Duration::from_secs(2);

/// What one write acted on, for its follow-up.
pub struct Acted<'a> {
    pub operation: &'a Operation,
    /// The request path it acted on (a delete's member).
    pub path: &'a str,
    /// The success answer's schema and body (`null` where the answer has none).
    pub schema: Option<SchemaId>,
    pub answer: &'a Value,
    /// The collections the write can change, and their members before it acted (taken
    /// where the write adds members).
    pub watched: &'a [Watched<'a>],
    pub before: Option<&'a Snapshot>,
}

/// The follow-up results of one write.
pub async fn follow(
    api: &Api,
    acted: Acted<'_>,
    target: &Target,
    deadline: Duration,
) -> Vec<ProbeResult> {
    let operation = acted.operation;
    let mut results = Vec::new();
    let mut record = |probe: &str, outcome: Outcome, started: Instant| {
        results.push(ProbeResult::new(operation, probe, outcome, started));
    };
    let started = Instant::now();
    let mut ends = Vec::new();
    let identified = acted
        .schema
        .map(|schema| api.identified(schema, acted.answer))
        .unwrap_or_default();
    for identified in identified {
        let Some(reader) = api.operation(&identified.operation_id) else {
            let why = format!(
                "x-identifies names `{}`, which the spec lacks",
                identified.operation_id
            );
            record("task: followed", Outcome::Skipped { why }, started);
            continue;
        };
        let path = fill(&reader.path, &identified.parameters);
        let started = Instant::now();
        let mut timeline = Timeline::default();
        let (outcome, finished) =
            wait_for_end(reader, &path, target, deadline, &mut timeline).await;
        record("task: its job ends", outcome, started);
        ends.push(finished.clone());

        let started = Instant::now();
        let outcome = match identified.value.get("@href").and_then(Value::as_str) {
            None => Outcome::Skipped {
                why: "the task has no @href".into(),
            },
            Some(href) => {
                let path = below_base(api, href)
                    .map_or(href, |(_, below)| below)
                    .to_owned();
                same_member(reader, href, path, &identified, target).await
            }
        };
        record("task: @href leads to its job", outcome, started);

        // The job's parts: reads whose path continues the job's path.
        for part in api.operations().iter().filter(|o| {
            o.method == HttpMethod::Get
                && o.path.starts_with(&format!("{}/", reader.path))
                && !o.path[reader.path.len()..].contains('{')
        }) {
            let started = Instant::now();
            let request = Request::read(part, fill(&part.path, &identified.parameters));
            let exchange = target.send(&request).await;
            let told = reading(&part.id, &exchange);
            if let Some(told) = &told {
                timeline.read(told.clone());
            }
            let told = told.map(|r| r.state).filter(JobState::is_finished);
            let mut outcome = expect(
                exchange,
                |status| (200..300).contains(&status),
                |answer| format!("{} of the job: {answer}", part.id),
                &request,
                target,
            );
            // A part that tells the job's state (its progress-update) tells the end the job
            // itself told: Juniper's Python client reads the outcome of a job there (PSP
            // `async.py`, `get_final_progress_update`).
            if let (Some(job), Some(part_says)) = (&finished, told)
                && matches!(outcome, Outcome::Passed { .. })
                && part_says != *job
            {
                outcome = Outcome::failed(
                    format!(
                        "{} says the job ended {part_says}; the job says {job}",
                        part.id
                    ),
                    target.curl(&request),
                );
            }
            record(&format!("task: {} readable", part.id), outcome, started);
        }
        let outcome = match timeline.went_back() {
            _ if timeline.readings() < 2 => Outcome::Skipped {
                why: "the job was read once".into(),
            },
            None => Outcome::Passed {
                status: 200,
                content_type: None,
            },
            Some(back) => Outcome::fell_short(
                vec![Problem::on(Ground::Kit(&JOB_NEVER_GOES_BACK), back)],
                target.curl(&Request::read(reader, path.clone())),
            ),
        };
        record("task: its job never goes back", outcome, started);

        if operation.method == HttpMethod::Delete {
            let started = Instant::now();
            let outcome = match finished {
                Some(JobState::Success) => gone(api, operation, acted.path, target).await,
                _ => Outcome::Skipped {
                    why: "the delete's job did not succeed".into(),
                },
            };
            record("delete: the member is gone", outcome, started);
        }
    }
    if let Some(collection) = &operation.adds_member_to
        && let Some(watched) = acted
            .watched
            .iter()
            .find(|w| &w.operation.path == collection)
    {
        let started = Instant::now();
        let lister = &watched.operation.id;
        let succeeded = !ends.is_empty() && ends.iter().all(|e| *e == Some(JobState::Success));
        let outcome = if succeeded {
            gained(watched, acted.before, "its job succeeded", target).await
        } else {
            Outcome::Skipped {
                why: "its job did not succeed (a real discovery of a drawn address fails)".into(),
            }
        };
        record(
            &format!("effect: {lister} gains a member"),
            outcome,
            started,
        );
    }
    // A write that is no job has done what it does by its answer.
    if !operation.starts_job() {
        if let Some(listing) = effects::adds_at_once(api, operation)
            && let Some(watched) = acted.watched.iter().find(|w| w.operation.id == listing.id)
        {
            let started = Instant::now();
            let outcome = gained(watched, acted.before, "it succeeded", target).await;
            record(
                &format!("effect: {} gains a member", listing.id),
                outcome,
                started,
            );
        }
        if operation.method == HttpMethod::Delete {
            let started = Instant::now();
            let outcome = gone(api, operation, acted.path, target).await;
            record("delete: the member is gone", outcome, started);
        }
    }
    results
}

/// Whether `watched` holds a member now that it lacked `before` the write, which `done` says
/// has done its work.
async fn gained(
    watched: &Watched<'_>,
    before: Option<&Snapshot>,
    done: &str,
    target: &Target,
) -> Outcome {
    let lister = &watched.operation.id;
    let Some(before) = before else {
        return Outcome::Skipped {
            why: format!("{lister} could not be read before the write"),
        };
    };
    let request = Request::read(watched.operation, watched.path.clone());
    match Snapshot::take(std::slice::from_ref(watched), target).await {
        Ok(after) if !before.added(&after, lister).is_empty() => Outcome::Passed {
            status: 200,
            content_type: None,
        },
        Ok(_) => Outcome::failed(
            format!("{done}, and {lister} has no member it lacked before"),
            target.curl(&request),
        ),
        Err(why) => Outcome::failed(
            format!("{lister} cannot be read after the write: {why}"),
            target.curl(&request),
        ),
    }
}

/// Reads the job at `path` until it is finished or `deadline` has passed.
async fn wait_for_end(
    reader: &Operation,
    path: &str,
    target: &Target,
    deadline: Duration,
    timeline: &mut Timeline,
) -> (Outcome, Option<JobState>) {
    let request = Request::read(reader, path.to_owned());
    let until = Instant::now() + deadline;
    let mut wait = FIRST_POLL;
    loop {
        let exchange = target.send(&request).await;
        let (
            Some(reading),
            Exchange::Answered {
                status,
                content_type,
                ..
            },
        ) = (reading(&reader.id, &exchange), &exchange)
        else {
            let failure = Outcome::failed(unreadable_job(&exchange), target.curl(&request));
            return (failure, None);
        };
        let (state, status, content_type) = (reading.state.clone(), *status, content_type.clone());
        timeline.read(reading);
        if state.is_finished() {
            let passed = Outcome::Passed {
                status,
                content_type,
            };
            return (passed, Some(state));
        }
        if Instant::now() >= until {
            let failure = Outcome::failed(
                format!("the job is still {state} after {} s", deadline.as_secs()),
                target.curl(&request),
            );
            return (failure, Some(state));
        }
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(LONGEST_POLL);
    }
}

/// Reads `href` (at `path` below the API) as `reader` reads members: it must be the member
/// the relation names, by its parameters.
async fn same_member(
    reader: &Operation,
    href: &str,
    path: String,
    identified: &Identified,
    target: &Target,
) -> Outcome {
    let request = Request::read(reader, path);
    let exchange = target.send(&request).await;
    let answer = match &exchange {
        Exchange::Answered { status, body, .. } if (200..300).contains(status) => {
            serde_json::from_slice::<Value>(body).ok()
        }
        _ => None,
    };
    let Some(answer) = answer else {
        return Outcome::failed(
            format!("the task's @href {href}: {}", describe(&exchange)),
            target.curl(&request),
        );
    };
    // The member read is the one named when each parameter's value stands in it as `id`.
    let member = answer
        .as_object()
        .filter(|fields| fields.len() == 1)
        .and_then(|fields| fields.values().next())
        .unwrap_or(&answer);
    let named = identified
        .parameters
        .values()
        .all(|value| text(member.get("id")) == text(Some(value)));
    match (named, exchange) {
        (
            true,
            Exchange::Answered {
                status,
                content_type,
                ..
            },
        ) => Outcome::Passed {
            status,
            content_type,
        },
        _ => Outcome::failed(
            format!(
                "the task's @href {href} leads to the member with id {}, not {}",
                text(member.get("id")).unwrap_or_default(),
                identified
                    .parameters
                    .values()
                    .map(|v| text(Some(v)).unwrap_or_default())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            target.curl(&request),
        ),
    }
}

/// After a delete's job succeeded, the read of the same path must answer 404.
async fn gone(api: &Api, delete: &Operation, path: &str, target: &Target) -> Outcome {
    let Some(read) = api
        .operations()
        .iter()
        .find(|o| o.path == delete.path && plan::is_read_only(o))
    else {
        return Outcome::Skipped {
            why: "the spec has no read of the deleted path".into(),
        };
    };
    let request = Request::read(read, path.to_owned());
    expect(
        target.send(&request).await,
        |status| status == 404,
        |answer| {
            format!(
                "{} still answers {answer} after its delete succeeded, expected 404",
                read.id
            )
        },
        &request,
        target,
    )
}

/// `template` with each `{name}` replaced by its value, encoded.
fn fill(template: &str, parameters: &BTreeMap<String, Value>) -> String {
    let mut path = template.to_owned();
    for (name, value) in parameters {
        let value = text(Some(value)).unwrap_or_default();
        path = path.replace(&format!("{{{name}}}"), &encode_segment(&value));
    }
    path
}

fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// Where a success answer (a job, or a part that tells its state) says the job stands.
fn reading(view: &str, exchange: &Exchange) -> Option<Reading> {
    match exchange {
        Exchange::Answered { status, body, .. } if (200..300).contains(status) => {
            Reading::of(view, &serde_json::from_slice(body).ok()?)
        }
        _ => None,
    }
}

/// Passed with the answer's status and type when `wanted(status)`; else failed with
/// `problem(what came back)`.
fn expect(
    exchange: Exchange,
    wanted: impl Fn(u16) -> bool,
    problem: impl FnOnce(String) -> String,
    request: &Request,
    target: &Target,
) -> Outcome {
    match exchange {
        Exchange::Answered {
            status,
            content_type,
            ..
        } if wanted(status) => Outcome::Passed {
            status,
            content_type,
        },
        other => Outcome::failed(problem(describe(&other)), target.curl(request)),
    }
}

/// Why a job's answer tells no state: not a success, not JSON, or JSON without the job's
/// `job-state` (or a progress-update's `state`), each said as such.
fn unreadable_job(exchange: &Exchange) -> String {
    match exchange {
        Exchange::Answered {
            status,
            content_type,
            body,
        } if (200..300).contains(status) => {
            let answered = format!(
                "status {status} {}",
                content_type.as_deref().unwrap_or("without a Content-Type")
            );
            match serde_json::from_slice::<Value>(body) {
                Err(error) => format!("the job's answer ({answered}) is not JSON: {error}"),
                Ok(_) => format!(
                    "the job was read ({answered}) but names no state: expected `job-state` \
                     in `job` (or a progress-update's `state`)"
                ),
            }
        }
        other => format!("the job cannot be read: {}", describe(other)),
    }
}

fn describe(exchange: &Exchange) -> String {
    match exchange {
        Exchange::Answered {
            status,
            content_type,
            ..
        } => format!(
            "status {status} {}",
            content_type.as_deref().unwrap_or("without a Content-Type")
        ),
        Exchange::NoAnswer(why) => format!("no answer: {why}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_job_read_without_its_state_says_so_rather_than_that_it_was_not_read() {
        let answered = |status, body: &str| Exchange::Answered {
            status,
            content_type: Some("application/json".into()),
            body: bytes::Bytes::from(body.to_owned()),
        };
        let stateless = unreadable_job(&answered(200, r#"{"job": {"id": 7}}"#));
        assert!(
            stateless.contains("read") && stateless.contains("names no state"),
            "{stateless}"
        );
        assert!(unreadable_job(&answered(200, "<html>")).contains("not JSON"));
        let refused = unreadable_job(&answered(500, "boom"));
        assert!(
            refused.starts_with("the job cannot be read: status 500"),
            "{refused}"
        );
    }

    #[test]
    fn paths_are_filled_from_the_named_parameters() {
        let parameters = BTreeMap::from([("job_id".to_owned(), json!(7))]);
        assert_eq!(
            fill("/job-management/jobs/{job_id}/progress-update", &parameters),
            "/job-management/jobs/7/progress-update"
        );
    }
}
