//! One job this command started (a deploy, an `api ... --wait`), followed to its end with its
//! progress shown. Ctrl-C stops the wait, not the work: a job that still waits for its
//! schedule is cancelled, since nothing of it has run; one that runs is left running, and the
//! command that follows it is said.

use std::time::Duration;

use clap::{Arg, ArgMatches, value_parser};
use junos_space::prelude::*;
use junos_space::{Client, Error, JobState};

use super::job_json;
use crate::exit::{Failure, printing};
use crate::output::Output;
use crate::progress::Progress;

/// `--deadline`: one deadline for a whole wait (or a whole run over many devices).
pub fn deadline_arg() -> Arg {
    Arg::new(DEADLINE)
        .long(DEADLINE)
        .value_name("SECONDS")
        .default_value(DEFAULT_DEADLINE_SECONDS.to_string())
        .value_parser(value_parser!(u64).range(1..))
        .help("one deadline for the whole run")
}

/// The deadline `--deadline` gives (the default where the command has no such flag).
pub fn deadline_of(matches: &ArgMatches) -> Duration {
    let seconds = matches.try_get_one::<u64>(DEADLINE).ok().flatten();
    Duration::from_secs(seconds.copied().unwrap_or(DEFAULT_DEADLINE_SECONDS))
}

const DEADLINE: &str = "deadline";

/// An hour: long enough for a deploy, short enough that a stuck job is not waited on forever.
const DEFAULT_DEADLINE_SECONDS: u64 = 3600;

/// Waits for `job` until `deadline`, with a bar (or lines), and prints its final record.
pub async fn wait_for(
    client: &Client,
    job: i64,
    deadline: Duration,
    output: &mut Output,
) -> Result<(), Failure> {
    // Listening before the job is said to have started.
    let interrupted = super::ctrl_c();
    let label = format!("job {job}");
    let mut progress = Progress::new(1);
    progress.started(&label, job);
    let progress = std::sync::Mutex::new(progress);
    let waiting = client
        .job(job)
        .on_progress(|record| {
            if let Ok(mut progress) = progress.lock() {
                progress.update(&label, record);
            }
        })
        .timeout(deadline)
        .wait();
    let waited = tokio::select! {
        waited = waiting => Some(waited),
        () = interrupted => None,
    };
    let mut progress = progress.into_inner().unwrap_or_else(|e| e.into_inner());
    let Some(waited) = waited else {
        return stopped(client, job, progress, output).await;
    };
    let (how, settled) = match &waited {
        Ok(record) => (record.state.to_string(), true),
        Err(Error::JobFailed(record)) => (record.state.to_string(), true),
        Err(Error::JobDeadline(record)) => {
            (format!("still {} at the deadline", record.state), false)
        }
        Err(error) => (error.to_string(), false),
    };
    progress.ended(&label, Some(job), &how, settled);
    progress.finish("");
    match waited {
        Ok(record) => output.record(job_json(&record)).map_err(printing),
        // A failed job is a result too: its record says why.
        Err(Error::JobFailed(record)) => {
            output.record(job_json(&record)).map_err(printing)?;
            Err(Error::JobFailed(record).into())
        }
        Err(Error::JobDeadline(record)) => {
            output.record(job_json(&record)).map_err(printing)?;
            Err(Failure::Timeout(format!(
                "{}: it is left running; follow it with `junos-space job wait {job}`",
                Error::JobDeadline(record)
            )))
        }
        Err(error) => Err(error.into()),
    }
}

/// After Ctrl-C: the job cancelled if it still waits for its schedule, else left running;
/// either way its last record printed, and the run ends as interrupted, saying which.
async fn stopped(
    client: &Client,
    job: i64,
    mut progress: Progress,
    output: &mut Output,
) -> Result<(), Failure> {
    let follow = format!("follow it with `junos-space job wait {job}`");
    let record = client.job_record(job).await;
    let how = match &record {
        Ok(record) if record.state == JobState::Scheduled => {
            match client.cancel_job().job_id(job).send().await {
                Ok(_) => "cancelled before it started".to_owned(),
                Err(error) => format!(
                    "left scheduled, the cancel failed ({error}): cancel it with \
                     `junos-space job cancel {job}`"
                ),
            }
        }
        Ok(record) => format!("left running ({}): {follow}", record.state),
        Err(error) => format!("left running, its state unread ({error}): {follow}"),
    };
    progress.ended(&format!("job {job}"), Some(job), &how, false);
    progress.finish("");
    if let Ok(record) = client.job_record(job).await {
        output.record(job_json(&record)).map_err(printing)?;
    }
    Err(Failure::Interrupted(format!("stopped: job {job} {how}")))
}
