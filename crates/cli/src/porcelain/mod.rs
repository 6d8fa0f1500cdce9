//! The commands operators use most, on top of the client library: `devices list`, `rpc`,
//! `deploy`, `configlet apply` and `script run` over many devices, `job wait | cancel |
//! result`, and Security Director's objects, rules and publish (`sd`).

pub mod configlet;
pub mod deploy;
pub mod devices;
pub mod discover;
pub mod job;
pub mod login;
pub mod resources;
pub mod rpc;
pub mod script;
pub mod sd;
pub mod tags;
pub mod wait;
pub mod watch;

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use futures_util::StreamExt as _;
use futures_util::TryStreamExt as _;
use junos_space::fleet::{End, Event, NotStarted};
use junos_space::prelude::*;
use junos_space::{Client, Filter, JobRecord};
use serde_json::{Value, json};

use crate::exit::Failure;
use crate::output::Output;
use crate::progress::Progress;

/// A job's record as printed: what an operator reads first.
pub fn job_json(record: &JobRecord) -> Value {
    json!({
        "id": record.id,
        "name": record.name,
        "state": record.state.to_string(),
        "percent": record.percent,
        "summary": record.summary,
    })
}

/// The devices named by `--device` (repeatable, or comma-separated; an id, or a name looked
/// up once and refused when no device or several have it) and `--devices-filter` (read page
/// by page from the devices collection), each once, in the order named.
pub async fn devices(
    client: &Client,
    given: &[String],
    filter: Option<&str>,
) -> Result<Vec<i64>, Failure> {
    let given: Vec<&str> = given
        .iter()
        .flat_map(|given| given.split(','))
        .map(str::trim)
        .filter(|given| !given.is_empty())
        .collect();
    let names: Vec<&str> = given
        .iter()
        .copied()
        .filter(|given| given.parse::<i64>().is_err())
        .collect();
    let by_name = named_devices(client, &names).await?;
    let mut devices = Vec::new();
    let mut seen = HashSet::new();
    for given in given {
        let Some(device) = given.parse::<i64>().ok().or(by_name.get(given).copied()) else {
            return Err(Failure::Usage(format!(
                "--device: `{given}` was not looked up"
            )));
        };
        if seen.insert(device) {
            devices.push(device);
        }
    }
    if let Some(filter) = filter {
        let listing = client
            .list_devices()
            .filter(crate::query::filter_expression(filter));
        let found: Vec<_> = listing.items(500).try_collect().await?;
        for device in found {
            if seen.insert(device.key) {
                devices.push(device.key);
            }
        }
    }
    if devices.is_empty() {
        return Err(Failure::Usage(
            "no devices: give --device ID or NAME, or a --devices-filter that matches some".into(),
        ));
    }
    // A name or a filter was read with the credentials already; ids alone were not.
    if filter.is_none() && names.is_empty() && devices.len() > 1 {
        credentials_accepted(client.get_device().device_id(devices[0]).send()).await?;
    }
    Ok(devices)
}

/// The id of the one device each of `names` names, read in one listing (`name eq 'a' or
/// name eq 'b'`); a name no device has, or several have, is refused with what was found.
async fn named_devices<'n>(
    client: &Client,
    names: &[&'n str],
) -> Result<HashMap<&'n str, i64>, Failure> {
    let Some(filter) = names
        .iter()
        .map(|name| Filter::eq("name", *name))
        .reduce(Filter::or)
    else {
        return Ok(HashMap::new());
    };
    let found: Vec<_> = client
        .list_devices()
        .filter(filter)
        .items(500)
        .try_collect()
        .await?;
    names
        .iter()
        .map(|name| {
            let ids: Vec<i64> = found
                .iter()
                .filter(|device| device.name == *name)
                .map(|device| device.key)
                .collect();
            Ok((*name, the_one("--device", "device", name, &ids)?))
        })
        .collect()
}

/// The member `given` names: its id, or its name looked up in `listing` (the collection,
/// filtered on that name by the caller) and refused when no member or several have it.
/// `name_of` and `id_of` read a listed member; the server's filter is not trusted alone, as
/// it may match more than the exact name.
pub async fn member_named<L>(
    listing: L,
    noun: &str,
    given: &str,
    name_of: fn(&L::Item) -> &str,
    id_of: fn(&L::Item) -> i64,
) -> Result<i64, Failure>
where
    L: junos_space_runtime::Paged + Send,
    L::Item: Send,
{
    if let Ok(id) = given.parse::<i64>() {
        return Ok(id);
    }
    let found: Vec<L::Item> = listing.items(500).try_collect().await?;
    let ids: Vec<i64> = found
        .iter()
        .filter(|member| name_of(member) == given)
        .map(id_of)
        .collect();
    the_one(noun, noun, given, &ids)
}

/// The one id of `ids`, the members named `name`; none, or several, refused with what was
/// found, the message starting with `what` (`--device`, `configlet`).
pub fn the_one(what: &str, noun: &str, name: &str, ids: &[i64]) -> Result<i64, Failure> {
    match ids {
        [id] => Ok(*id),
        [] => Err(Failure::Usage(format!(
            "{what}: no {noun} is named `{name}`"
        ))),
        _ => Err(Failure::Usage(format!(
            "{what}: {} {noun}s are named `{name}` (ids {}): give the id",
            ids.len(),
            ids.iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// `--param NAME=VALUE` pairs, in the order given, each value as text (a configlet's and a
/// script's parameters are text). One without `=`, with no name, or a name given twice is
/// refused, naming it: sent, the server would read it its own way or not at all.
pub fn params(pairs: &[String]) -> Result<Vec<(String, String)>, Failure> {
    let mut params: Vec<(String, String)> = Vec::new();
    for pair in pairs {
        let Some((name, value)) = pair.split_once('=') else {
            return Err(Failure::Usage(format!(
                "--param `{pair}` is not NAME=VALUE (nothing was sent)"
            )));
        };
        let name = name.trim();
        if name.is_empty() {
            return Err(Failure::Usage(format!(
                "--param `{pair}` has no name (nothing was sent)"
            )));
        }
        if params.iter().any(|(given, _)| given == name) {
            return Err(Failure::Usage(format!(
                "--param {name} is given twice: which value is meant? (nothing was sent)"
            )));
        }
        params.push((name.to_owned(), value.to_owned()));
    }
    Ok(params)
}

/// The label of a member given by id or by name, once its id is known: `set-ntp (262145)`.
pub fn labelled(given: &str, id: i64) -> String {
    if given == id.to_string() {
        given.to_owned()
    } else {
        format!("{given} ({id})")
    }
}

/// A change to `devices` asked first, on a terminal, when there are several (`change` says
/// what, up to the devices: `apply configlet set-ntp (262145) to`); a dry run asks nothing,
/// as it changes nothing.
pub fn go_ahead_on(change: &str, devices: &[i64], yes: bool, dry_run: bool) -> Result<(), Failure> {
    if dry_run || devices.len() < 2 {
        return Ok(());
    }
    let ids: Vec<String> = devices.iter().map(i64::to_string).collect();
    crate::confirm::go_ahead(
        &format!("{change} {} devices ({})", devices.len(), ids.join(", ")),
        yes,
    )
}

/// Ctrl-C as a future, listened for from now on: its first poll, here, registers the handler,
/// so that the signal is the command's to handle from this moment, not the default death.
pub fn ctrl_c() -> futures_util::future::BoxFuture<'static, ()> {
    let mut signal: futures_util::future::BoxFuture<'static, ()> = Box::pin(async {
        let _ = tokio::signal::ctrl_c().await;
    });
    match futures_util::FutureExt::now_or_never(signal.as_mut()) {
        Some(()) => Box::pin(std::future::ready(())),
        None => signal,
    }
}

/// Refuses a command that changes devices when the run has no password, only the session
/// `junos-space login` kept: Junos Space's asynchronous calls want the password (Juniper's
/// Ansible collection sends them Basic credentials, never the session cookie), so each of the
/// run's requests would be refused in turn.
pub fn password_for_changes(client: &Client) -> Result<(), Failure> {
    if client.inner().credentials().is_some() {
        return Ok(());
    }
    Err(Failure::Usage(
        "this command changes devices, which needs the password: the kept session serves \
         reads only (give --password-file or JUNOS_SPACE_PASSWORD)"
            .into(),
    ))
}

/// Before a run over many targets, one read with the run's credentials, so that a refused
/// password stops the run after one request rather than one a target: a real Junos Space may
/// lock the account after a few. Only a refusal of the credentials stops it; any other
/// failure of the read is the target's own, which the run reports in its place.
pub async fn credentials_accepted<T>(
    read: impl Future<Output = Result<T, junos_space::Error>>,
) -> Result<(), Failure> {
    match read.await {
        Err(refused @ junos_space::Error::Auth(_)) => Err(refused.into()),
        _ => Ok(()),
    }
}

/// How a run over many targets goes: how many at once, the one deadline, what a target is
/// called (`device`), and whether Ctrl-C cancels the jobs still scheduled (those the run
/// started; not someone else's jobs it only waits for).
pub struct Run {
    pub concurrency: usize,
    pub timeout: Duration,
    pub noun: &'static str,
    pub cancel_scheduled: bool,
}

/// Starts `start` on each target (at most `run.concurrency` at once), shows each job's
/// progress, prints `result(target, end)` for each as it ends, and ends with the worst
/// failure; Ctrl-C stops the run.
pub async fn fan_out<S, SF, R, RF>(
    client: &Client,
    targets: Vec<i64>,
    run: &Run,
    start: S,
    result: R,
    output: &mut Output,
) -> Result<(), Failure>
where
    S: Fn(i64) -> SF + Send + Sync,
    SF: std::future::Future<Output = junos_space::Result<i64>> + Send,
    R: Fn(i64, End) -> RF,
    RF: std::future::Future<Output = Value>,
{
    let total = targets.len();
    let mut progress = Progress::new(total);
    let mut events = client
        .fleet()
        .concurrency(run.concurrency)
        .timeout(run.timeout)
        .cancel_scheduled_on_stop(run.cancel_scheduled)
        .stop_on(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .run(targets, start);
    let label = |target: i64| format!("{} {target}", run.noun);
    let mut tally = Tally::default();
    while let Some(event) = events.next().await {
        match event {
            Event::Started { target, job } => progress.started(&label(target), job),
            Event::Progress { target, job } => progress.update(&label(target), &job),
            Event::Ended { target, end, .. } => {
                let (job, how) = tally.count(&end);
                let settled =
                    !matches!(end, End::TimedOut(_) | End::LeftRunning(_) | End::Error(_));
                progress.ended(&label(target), job, &how, settled);
                let record = result(target, end).await;
                output.record(record).map_err(crate::exit::printing)?;
            }
        }
    }
    progress.finish(&tally.summary(total, run.noun));
    match tally.failure(total, run.noun) {
        Some(failure) => Err(failure),
        None => Ok(()),
    }
}

/// How many turns ended each way.
#[derive(Default)]
struct Tally {
    succeeded: usize,
    failed: usize,
    timed_out: usize,
    stopped: usize,
    errors: usize,
}

impl Tally {
    /// Counts `end`; says how it ended, and its job if one started, for the progress display.
    fn count(&mut self, end: &End) -> (Option<i64>, String) {
        match end {
            End::Succeeded(job) => {
                self.succeeded += 1;
                (Some(job.id), job.state.to_string())
            }
            End::Failed(job) => {
                self.failed += 1;
                (Some(job.id), job.state.to_string())
            }
            End::TimedOut(job) => {
                self.timed_out += 1;
                (Some(job.id), format!("still {} at the deadline", job.state))
            }
            End::Cancelled(job) => {
                self.stopped += 1;
                (Some(job.id), "cancelled before it started".into())
            }
            End::LeftRunning(job) => {
                self.stopped += 1;
                let follow = format!("follow it with `junos-space job wait {}`", job.id);
                (
                    Some(job.id),
                    format!("left running ({}): {follow}", job.state),
                )
            }
            End::NotStarted(NotStarted::Stopped) => {
                self.stopped += 1;
                (None, "not started (stopped)".into())
            }
            End::NotStarted(NotStarted::Deadline) => {
                self.timed_out += 1;
                (None, "not started (deadline)".into())
            }
            End::Error(error) => {
                self.errors += 1;
                (None, format!("error: {error}"))
            }
        }
    }

    fn summary(&self, total: usize, noun: &str) -> String {
        let plural = if total == 1 { "" } else { "s" };
        format!(
            "{total} {noun}{plural}: {} succeeded, {} failed, {} timed out, {} stopped, {} errors",
            self.succeeded, self.failed, self.timed_out, self.stopped, self.errors
        )
    }

    fn failure(&self, total: usize, noun: &str) -> Option<Failure> {
        let summary = self.summary(total, noun);
        [
            (self.errors, Failure::Api as fn(String) -> Failure),
            (self.failed, Failure::JobFailed),
            (self.timed_out, Failure::Timeout),
            (self.stopped, Failure::Interrupted),
        ]
        .into_iter()
        .filter(|(count, _)| *count > 0)
        .map(|(_, failure)| failure(summary.clone()))
        .reduce(Failure::worse)
    }
}

/// What a target's turn gives when it ended without a job to read (`noun`: `device`).
pub fn end_without_job(noun: &str, target: i64, end: &End) -> Value {
    match end {
        End::NotStarted(why) => json!({
            noun: target,
            "state": "NOT STARTED",
            "summary": match why {
                NotStarted::Stopped => "stopped before its turn",
                NotStarted::Deadline => "the deadline passed before its turn",
            },
        }),
        End::Error(error) => json!({noun: target, "state": "ERROR", "summary": error.to_string()}),
        other => json!({noun: target, "state": format!("{other:?}")}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_keep_their_order_and_a_value_keeps_its_own_equals_signs() {
        let given = ["B=2".to_owned(), "A=x=y".to_owned(), "C=".to_owned()];
        let params = params(&given).expect("valid");
        let expected = [("B", "2"), ("A", "x=y"), ("C", "")];
        assert_eq!(
            params,
            expected.map(|(name, value)| (name.to_owned(), value.to_owned()))
        );
    }

    #[test]
    fn a_name_must_name_exactly_one_member() {
        assert_eq!(
            the_one("configlet", "configlet", "set-ntp", &[7]).ok(),
            Some(7)
        );
        let none = the_one("configlet", "configlet", "set-ntp", &[]).expect_err("none");
        assert_eq!(
            none.to_string(),
            "configlet: no configlet is named `set-ntp`"
        );
        let two = the_one("script", "script", "a.slax", &[1, 2]).expect_err("two");
        assert_eq!(
            two.to_string(),
            "script: 2 scripts are named `a.slax` (ids 1, 2): give the id"
        );
        assert_eq!(labelled("set-ntp", 262_145), "set-ntp (262145)");
        assert_eq!(labelled("262145", 262_145), "262145");
    }
}
