//! `job list --watch`: the jobs listed again every few seconds until Ctrl-C. On a terminal
//! the table is drawn again in place; elsewhere each job is printed (NDJSON) when it first
//! shows and whenever its state or percent changes, so a log holds every step once.

use std::collections::HashMap;
use std::io::{IsTerminal as _, Write as _};
use std::time::Duration;

use futures_util::TryStreamExt as _;
use junos_space::prelude::*;
use junos_space::{Client, Filter};
use serde_json::Value;

use crate::exit::{Failure, printing};
use crate::output::{Format, Output, table};

/// The fields a table of jobs shows.
const TABLE: &[&str] = &[
    "id",
    "name",
    "job-state",
    "job-status",
    "percent-complete",
    "summary",
];

/// Lists the jobs (in `state`, if given) every `every` until Ctrl-C.
pub async fn jobs(
    client: &Client,
    state: Option<&str>,
    every: Duration,
    format: Format,
) -> Result<(), Failure> {
    let redraw = format == Format::Table && std::io::stdout().is_terminal();
    let mut seen: HashMap<String, (Value, Value)> = HashMap::new();
    let mut interrupted = super::ctrl_c();
    loop {
        let mut listing = client.list_jobs();
        if let Some(state) = state {
            listing = listing.filter(Filter::eq("job-state", state.trim().to_ascii_uppercase()));
        }
        let jobs: Vec<Value> = listing
            .items(500)
            .map_ok(|job| serde_json::to_value(job).unwrap_or(Value::Null))
            .try_collect()
            .await?;
        if redraw {
            let mut out = std::io::stdout().lock();
            // Home and clear, then the table as it stands.
            write!(out, "\u{1b}[H\u{1b}[2J{}", table(&jobs, Some(TABLE))).map_err(printing)?;
            out.flush().map_err(printing)?;
        } else {
            let mut output = Output::new(Format::Ndjson);
            for job in changed(&mut seen, jobs) {
                output.record(job).map_err(printing)?;
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            // Watching ends when the operator says so: that is its normal end.
            _ = &mut interrupted => return Ok(()),
        }
    }
}

/// The jobs that are new since the last listing or whose state or percent changed.
fn changed(seen: &mut HashMap<String, (Value, Value)>, jobs: Vec<Value>) -> Vec<Value> {
    jobs.into_iter()
        .filter(|job| {
            let id = job["id"].to_string();
            let now = (job["job-state"].clone(), job["percent-complete"].clone());
            seen.insert(id, now.clone()).as_ref() != Some(&now)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_job_is_printed_when_it_shows_and_when_it_moves() {
        let mut seen = HashMap::new();
        let job = |state: &str, percent: f64| json!({"id": 7, "job-state": state, "percent-complete": percent});
        assert_eq!(changed(&mut seen, vec![job("INPROGRESS", 10.0)]).len(), 1);
        assert_eq!(changed(&mut seen, vec![job("INPROGRESS", 10.0)]).len(), 0);
        assert_eq!(changed(&mut seen, vec![job("INPROGRESS", 50.0)]).len(), 1);
        assert_eq!(changed(&mut seen, vec![job("DONE", 100.0)]).len(), 1);
    }
}
