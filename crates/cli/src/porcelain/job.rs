//! `job wait | cancel | result`: jobs by id, whoever started them.

use futures_util::future;
use junos_space::Client;
use junos_space::fleet::End;
use junos_space::prelude::*;
use serde_json::Value;

use super::{Run, end_without_job, fan_out, job_json};
use crate::exit::Failure;
use crate::exit::printing;
use crate::output::Output;

/// Waits for every job in `jobs` (at most `run.concurrency` read at once), printing each
/// one's last record as it ends. Ctrl-C stops waiting and cancels nothing: the jobs are not
/// this run's.
pub async fn wait(
    client: &Client,
    jobs: Vec<i64>,
    run: &Run,
    output: &mut Output,
) -> Result<(), Failure> {
    if let [first, _, ..] = jobs[..] {
        super::credentials_accepted(client.get_job().job_id(first).send()).await?;
    }
    let result = |job: i64, end: End| {
        future::ready(match end.job() {
            Some(record) => job_json(record),
            None => end_without_job("job", job, &end),
        })
    };
    fan_out(
        client,
        jobs,
        run,
        |job| future::ready(Ok(job)),
        result,
        output,
    )
    .await
}

/// Cancels `job` (only a job still waiting for its schedule can be), then prints it.
pub async fn cancel(client: &Client, job: i64, output: &mut Output) -> Result<(), Failure> {
    client.cancel_job().job_id(job).send().await?;
    let record = client.job_record(job).await?;
    output.record(job_json(&record)).map_err(printing)
}

/// Prints `job`'s result: its progress-update, where a job's per-device outcome is.
pub async fn result(client: &Client, job: i64, output: &mut Output) -> Result<(), Failure> {
    let progress = client
        .get_job_progress()
        .job_id(job)
        .send()
        .await?
        .into_inner();
    let value = serde_json::to_value(progress).unwrap_or(Value::Null);
    output.record(value).map_err(printing)
}
