//! Sending Juniper's client's requests to a server, in order, as the client sends them
//! ([`replay`]), and check-server's part of a run ([`check`]).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use junos_space_model::Api;
use junos_space_model::api::member_id;
use junos_space_runtime::job_state::JobState;
use serde_json::Value;

use super::requests::{ClientRequest, ClientRequests, cookie_pairs, juniper_clients};
use crate::server::options::{Options, Strictness};
use crate::server::outcome::{Outcome, ProbeResult};
use crate::server::plan::Ids;
use crate::server::resolve::fill_path;
use crate::server::target::{ClientAnswer, ClientCall, Exchange, Request, Target};

/// The operation whose first member gives the values of the device templates.
const DEVICE_LIST: &str = "listDevices";

/// One request as replayed: what was sent, and how the answer met the client's needs.
#[derive(Debug)]
pub struct Replayed<'r> {
    pub request: &'r ClientRequest,
    pub outcome: Outcome,
    pub duration: Duration,
}

/// Sends each of `clients`' requests in order, as the client sends it, with `values` for its
/// templates; a request `skip` gives a reason for is not sent. What an answer keeps (the job
/// a discovery started, the session a login opened) fills later requests; a request the client
/// repeats (a job polled until `DONE`) is sent again until it holds, at most until `deadline`.
/// `real_server_forms`: the server is read with a real server's value forms.
pub async fn replay<'r>(
    clients: &'r ClientRequests,
    target: &Target,
    mut values: BTreeMap<String, String>,
    real_server_forms: bool,
    deadline: Duration,
    skip: impl Fn(&ClientRequest) -> Option<String>,
) -> Vec<Replayed<'r>> {
    let mut session: Option<String> = None;
    let mut replayed = Vec::with_capacity(clients.requests.len());
    for request in &clients.requests {
        let started = Instant::now();
        let skipped = |why: String| Outcome::Skipped { why };
        let outcome = if let Some(why) = skip(request) {
            skipped(why)
        } else if request.with_session && session.is_none() {
            skipped("it needs the session of a login, and none was opened".into())
        } else {
            match request.filled(&values) {
                Err(why) => skipped(why),
                Ok((path, body)) => {
                    let headers: Vec<(String, String)> = clients
                        .every_request
                        .iter()
                        .chain(&request.headers)
                        .cloned()
                        .collect();
                    let cookie = session.clone().filter(|_| request.with_session);
                    let call = ClientCall {
                        method: &request.method,
                        path: &path,
                        headers: &headers,
                        body: body.as_deref(),
                        cookie: cookie.as_deref(),
                    };
                    match send_until(target, &call, &request.until, deadline).await {
                        Err(why) => Outcome::failed(
                            format!("no answer: {why}"),
                            target.curl_as_client(&call),
                        ),
                        Ok((answer, waited_in_vain)) => {
                            let mut unmet = request.needs.unmet(
                                answer.status,
                                &answer.set_cookies,
                                &answer.body,
                                real_server_forms,
                            );
                            unmet.extend(waited_in_vain);
                            let kept = keep(request, &answer.body, &answer.set_cookies);
                            for (name, value) in kept {
                                match name.as_str() {
                                    SESSION => session = Some(value),
                                    _ => {
                                        values.insert(name, value);
                                    }
                                }
                            }
                            if unmet.is_empty() {
                                Outcome::Passed {
                                    status: answer.status,
                                    content_type: answer.content_type,
                                }
                            } else {
                                let why = format!(
                                    "{} needs more ({}): {}",
                                    clients.client,
                                    request.file,
                                    unmet.join("; ")
                                );
                                Outcome::failed(why, target.curl_as_client(&call))
                            }
                        }
                    }
                }
            }
        };
        replayed.push(Replayed {
            request,
            outcome,
            duration: started.elapsed(),
        });
    }
    replayed
}

/// Sends `call`, again while the answer holds none of `until`'s values at their pointers (a
/// success whose job is not yet in a state the client waits for), up to `deadline`; the last
/// answer, and why the client would have waited in vain when none came: the job ended in
/// other words (the client, comparing exactly, takes it for a job still running), or the
/// deadline passed.
async fn send_until(
    target: &Target,
    call: &ClientCall<'_>,
    until: &[(String, String)],
    deadline: Duration,
) -> Result<(ClientAnswer, Option<String>), String> {
    let ends = Instant::now() + deadline;
    let mut pause = Duration::from_millis(50);
    loop {
        let answer = target.send_as_client(call).await?;
        let json = serde_json::from_str::<Value>(&answer.body).ok();
        let read = |pointer: &str| {
            json.as_ref()
                .and_then(|json| json.pointer(pointer))
                .and_then(Value::as_str)
        };
        let reached = until
            .iter()
            .any(|(pointer, value)| read(pointer) == Some(value.as_str()));
        if until.is_empty() || reached || !(200..300).contains(&answer.status) {
            return Ok((answer, None));
        }
        let awaited = until
            .iter()
            .map(|(pointer, value)| format!("{pointer} is {value}"))
            .collect::<Vec<_>>()
            .join(" or ");
        let (pointer, _) = &until[0];
        let now = read(pointer).unwrap_or("nothing").to_owned();
        let ended = json
            .as_ref()
            .and_then(JobState::of_json)
            .is_some_and(|state| state.is_finished());
        if ended {
            let why = format!(
                "it polls until {awaited}; the job ended with {pointer} {now}, which it takes \
                 for a job still running"
            );
            return Ok((answer, Some(why)));
        }
        if Instant::now() + pause > ends {
            let why = format!(
                "it polls until {awaited}; {pointer} was still {now} after {} s",
                deadline.as_secs()
            );
            return Ok((answer, Some(why)));
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_secs(2));
    }
}

/// What `keeps` names as a value that later requests use: `session` from `set-cookie`, the
/// others from a JSON pointer into the body.
const SESSION: &str = "session";

fn keep(request: &ClientRequest, body: &str, set_cookies: &[String]) -> Vec<(String, String)> {
    let json = serde_json::from_str::<Value>(body).ok();
    request
        .keeps
        .iter()
        .filter_map(|(name, from)| {
            let value = if from == "set-cookie" {
                let pairs = cookie_pairs(set_cookies);
                (!pairs.is_empty()).then(|| pairs.join("; "))?
            } else {
                match json.as_ref()?.pointer(from)? {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                }
            };
            Some((name.clone(), value))
        })
        .collect()
}

/// The values the device templates name, from the first member the server lists.
pub async fn device_values(api: &Api, target: &Target) -> Result<BTreeMap<String, String>, String> {
    let operation = api
        .operation(DEVICE_LIST)
        .ok_or_else(|| format!("the spec has no {DEVICE_LIST}"))?;
    let collection = operation
        .collection
        .as_ref()
        .ok_or_else(|| format!("{DEVICE_LIST} lists no collection"))?;
    let path = fill_path(api, operation, &BTreeMap::new(), Ids::Existing, target).await?;
    let body = match target.send(&Request::read(operation, path)).await {
        Exchange::Answered {
            status: 200, body, ..
        } => body,
        Exchange::Answered { status, .. } => {
            return Err(format!(
                "{DEVICE_LIST} answered {status}: no device to name"
            ));
        }
        Exchange::NoAnswer(why) => return Err(format!("{DEVICE_LIST}: {why}")),
    };
    let listing: Value =
        serde_json::from_slice(&body).map_err(|e| format!("{DEVICE_LIST} is not JSON: {e}"))?;
    let first = collection
        .members(&listing)
        .into_iter()
        .next()
        .ok_or("the server lists no device")?;
    let text = |value: &Value| match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(_) | Value::Bool(_) => Some(value.to_string()),
        _ => None,
    };
    // Every scalar field of the device, by its JSON name: the templates name them so.
    let mut values: BTreeMap<String, String> = first
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(field, value)| Some((field.clone(), text(value)?)))
        .collect();
    if let Some(id) = member_id(first) {
        values.insert("device_id".to_owned(), id);
    }
    Ok(values)
}

/// The values no server gives: a name no device has, and what a discovery asks for (an
/// address of TEST-NET-1, RFC 5737, which no device answers, so a real server's discovery
/// job fails and adds nothing).
pub fn kit_values() -> BTreeMap<String, String> {
    [
        ("missing_name", "check-server-no-such-device"),
        ("discover_address", "192.0.2.254"),
        ("queue_name", "check-server-sac-queue"),
        ("ssh_user", "check-server"),
        ("ssh_password", "check-server-not-a-device-password"),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value.to_owned()))
    .collect()
}

/// check-server's part: Juniper's client's requests against `target`. Reads always; writes
/// (a login, a discovery of a TEST-NET address, a queue of its own made and removed) with
/// [`Options::writes`]; never the removal of a device, which on a real server removes one it
/// manages.
pub async fn check(api: &Api, target: &Target, options: &Options) -> Vec<ProbeResult> {
    let started = Instant::now();
    let clients = match juniper_clients() {
        Ok(clients) => clients,
        Err(why) => {
            return vec![result(
                "the kit's requests",
                "requests",
                Outcome::Skipped {
                    why: format!("the kit's requests do not read: {why}"),
                },
                started.elapsed(),
            )];
        }
    };
    let label = format!("{} {}", clients.client, clients.commit);
    let mut values = kit_values();
    let devices = device_values(api, target).await;
    if let Ok(found) = &devices {
        values.extend(found.clone());
    }
    let real_server_forms = options.strictness == Strictness::RealServer;
    let skip = |request: &ClientRequest| {
        if removes_a_device(request) {
            return Some("it removes a device the server manages: never sent".to_owned());
        }
        if request.method != "GET" && !options.writes {
            return Some("a write: --writes sends it".to_owned());
        }
        match &devices {
            Err(why) if request.path.contains("{device_id}") || request.path.contains("{name}") => {
                Some(why.clone())
            }
            _ => None,
        }
    };
    replay(
        &clients,
        target,
        values,
        real_server_forms,
        options.job_deadline,
        skip,
    )
    .await
    .into_iter()
    .map(|replayed| {
        let probe = format!("row {} {}", replayed.request.row, replayed.request.call);
        result(&label, &probe, replayed.outcome, replayed.duration)
    })
    .collect()
}

/// Juniper's client's writes that check-server sends with `--writes`, one line each.
pub fn preview_writes() -> Vec<String> {
    let Ok(clients) = juniper_clients() else {
        return Vec::new();
    };
    clients
        .requests
        .iter()
        .filter(|request| request.method != "GET" && !removes_a_device(request))
        .map(|request| {
            format!(
                "{} row {} {}: {} {}",
                clients.client, request.row, request.call, request.method, request.path
            )
        })
        .collect()
}

/// Juniper's client's removal of a device, which check-server never sends.
fn removes_a_device(request: &ClientRequest) -> bool {
    request.method == "DELETE" && request.path.contains("{device_id}")
}

fn result(label: &str, probe: &str, outcome: Outcome, duration: Duration) -> ProbeResult {
    ProbeResult {
        operation_id: "juniper-clients".to_owned(),
        operation: label.to_owned(),
        probe: probe.to_owned(),
        outcome,
        duration,
    }
}
