//! Waiting for the job behind an asynchronous answer, and the typed `queue` and `schedule`
//! parameters of asynchronous calls.

use std::fmt;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::client::Client;
use crate::error::{Error, Result};
use crate::types;

/// Where a job stands, read from either vocabulary: the seed's `jobState`
/// (ENABLED, INPROGRESS, SUCCESS, FAILURE, CANCELLED), v1's `status`, or v2+'s `job-state`
/// (SCHEDULED, INPROGRESS, DONE, ...) together with `job-status` (UNDETERMINED, SUCCESS, FAILURE).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JobState {
    /// Waiting to start.
    Scheduled,
    /// Running, or done with an outcome not yet known.
    InProgress,
    /// Finished successfully.
    Success,
    /// Finished with a failure.
    Failure,
    /// Cancelled before finishing.
    Cancelled,
    /// A state this client does not know; waiting goes on.
    Other(String),
}

impl JobState {
    /// Whether the job will not change any more.
    pub fn is_finished(&self) -> bool {
        matches!(self, Self::Success | Self::Failure | Self::Cancelled)
    }
}

impl fmt::Display for JobState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Scheduled => f.write_str("SCHEDULED"),
            Self::InProgress => f.write_str("INPROGRESS"),
            Self::Success => f.write_str("SUCCESS"),
            Self::Failure => f.write_str("FAILURE"),
            Self::Cancelled => f.write_str("CANCELLED"),
            Self::Other(state) => f.write_str(state),
        }
    }
}

/// A job as the server last described it.
#[derive(Clone, Debug, PartialEq)]
pub struct JobRecord {
    /// The job's id.
    pub id: i64,
    /// `jobName` / `name`.
    pub name: Option<String>,
    /// Where it stands.
    pub state: JobState,
    /// `percent` / `percent-complete`, 0 to 100.
    pub percent: Option<f64>,
    /// `summary`: the server's account of the outcome.
    pub summary: Option<String>,
    /// The whole record as sent, for fields this type does not name.
    pub raw: Value,
}

impl JobRecord {
    /// Reads a job record of either vocabulary, bare or wrapped in `{"job": {...}}`.
    pub fn from_json(id: i64, value: Value) -> Self {
        let job = match value.get("job") {
            Some(inner @ Value::Object(_)) => inner.clone(),
            _ => value,
        };
        let text = |keys: &[&str]| {
            keys.iter().find_map(|key| match job.get(*key) {
                Some(Value::String(s)) => Some(s.clone()),
                Some(Value::Number(n)) => Some(n.to_string()),
                _ => None,
            })
        };
        let number = |keys: &[&str]| {
            keys.iter().find_map(|key| match job.get(*key) {
                Some(Value::Number(n)) => n.as_f64(),
                Some(Value::String(s)) => s.trim().trim_end_matches('%').parse().ok(),
                _ => None,
            })
        };
        let states: Vec<String> = ["jobState", "job-state", "job-status", "status"]
            .iter()
            .filter_map(|key| job.get(*key).and_then(Value::as_str))
            .map(|s| s.trim().to_ascii_uppercase().replace(['_', ' ', '-'], ""))
            .collect();
        let has = |name: &str| states.iter().any(|s| s == name);
        let undetermined = job
            .get("job-status")
            .and_then(Value::as_str)
            .is_some_and(|s| s.eq_ignore_ascii_case("UNDETERMINED"));
        // FAILURE in any field is a failure (as Juniper's Ansible collection reads it).
        let state = if has("FAILURE") || has("FAILED") {
            JobState::Failure
        } else if has("CANCELLED") || has("CANCELED") {
            JobState::Cancelled
        } else if has("SUCCESS") {
            JobState::Success
        } else if has("ENABLED") || has("SCHEDULED") {
            JobState::Scheduled
        } else if undetermined || has("INPROGRESS") || has("RUNNING") || has("DONE") {
            JobState::InProgress
        } else {
            JobState::Other(states.first().cloned().unwrap_or_default())
        };
        let id = number(&["@key", "id"]).map_or(id, |n| n as i64);
        Self {
            id,
            name: text(&["jobName", "name"]),
            state,
            percent: number(&["percent", "percent-complete", "percentComplete"]),
            summary: text(&["summary", "job-summary"]),
            raw: job,
        }
    }
}

/// An answer that names a job: the `{"task": {"@href", "id"}}` of asynchronous calls, or a
/// `Job` (the spec's type for some of them).
pub trait TaskAnswer {
    /// The id of the job to wait for.
    fn job_id(&self) -> Option<i64>;
}

impl TaskAnswer for types::TaskResponse {
    fn job_id(&self) -> Option<i64> {
        Some(self.task.id)
    }
}

impl TaskAnswer for types::Task {
    fn job_id(&self) -> Option<i64> {
        Some(self.id)
    }
}

impl TaskAnswer for types::Job {
    fn job_id(&self) -> Option<i64> {
        self.task.as_ref().map(|task| task.id).or(self.key)
    }
}

impl TaskAnswer for i64 {
    fn job_id(&self) -> Option<i64> {
        Some(*self)
    }
}

impl<T: TaskAnswer> TaskAnswer for &T {
    fn job_id(&self) -> Option<i64> {
        (*self).job_id()
    }
}

impl<T: TaskAnswer> TaskAnswer for progenitor_client::ResponseValue<T> {
    fn job_id(&self) -> Option<i64> {
        self.as_ref().job_id()
    }
}

type ProgressCallback<'a> = Box<dyn FnMut(&JobRecord) + Send + 'a>;

/// Waits for one job: made by [`Client::job`], run by [`JobWait::wait`].
pub struct JobWait<'a> {
    client: &'a Client,
    id: Option<i64>,
    timeout: Duration,
    first_poll: Duration,
    longest_poll: Duration,
    on_progress: Option<ProgressCallback<'a>>,
}

impl<'a> JobWait<'a> {
    pub(crate) fn new(client: &'a Client, id: Option<i64>) -> Self {
        Self {
            client,
            id,
            timeout: Duration::from_secs(30 * 60),
            first_poll: Duration::from_secs(1),
            longest_poll: Duration::from_secs(15),
            on_progress: None,
        }
    }

    /// Gives up (with [`Error::JobDeadline`]) after `timeout`; 30 minutes unless set.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Polls first after `first`, then ever less often, up to every `longest`.
    pub fn poll_every(mut self, first: Duration, longest: Duration) -> Self {
        self.first_poll = first;
        self.longest_poll = longest.max(first);
        self
    }

    /// Calls `report` with each record whose state or percent differs from the last one.
    pub fn on_progress(mut self, report: impl FnMut(&JobRecord) + Send + 'a) -> Self {
        self.on_progress = Some(Box::new(report));
        self
    }

    /// Polls `GET /job-management/jobs/{id}` until the job finishes or the deadline passes.
    /// A successful job gives its final record; FAILURE and CANCELLED give
    /// [`Error::JobFailed`] with the record (and its summary).
    pub async fn wait(mut self) -> Result<JobRecord> {
        let id = self.id.ok_or(Error::NoJob)?;
        let deadline = Instant::now() + self.timeout;
        let mut interval = self.first_poll;
        let mut last: Option<(JobState, Option<f64>)> = None;
        loop {
            let record = self.client.job_record(id).await?;
            let seen = (record.state.clone(), record.percent);
            if last.as_ref() != Some(&seen) {
                tracing::debug!(job = id, state = %record.state, percent = ?record.percent, "job progress");
                if let Some(report) = self.on_progress.as_mut() {
                    report(&record);
                }
                last = Some(seen);
            }
            match record.state {
                JobState::Success => return Ok(record),
                JobState::Failure | JobState::Cancelled => {
                    return Err(Error::JobFailed(Box::new(record)));
                }
                _ => {}
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(Error::JobDeadline(Box::new(record)));
            }
            tokio::time::sleep(interval.min(deadline - now)).await;
            interval = (interval * 2).min(self.longest_poll);
        }
    }
}

/// The fully qualified URL of a HornetQ queue that receives a job's progress messages
/// (`queue=`); the queue must exist before the call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueUrl(reqwest::Url);

impl QueueUrl {
    /// Parses an absolute `http` or `https` URL.
    pub fn parse(url: &str) -> Result<Self> {
        let parsed = reqwest::Url::parse(url)
            .map_err(|error| Error::Config(format!("queue URL `{url}`: {error}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(Error::Config(format!("queue URL `{url}` is not http(s)")));
        }
        Ok(Self(parsed))
    }

    /// The queue of `name` on the server at `base` (`https://host`): `/api/hornet-q/queues/jms.queue.<name>`.
    pub fn on_server(base: &str, name: &str) -> Result<Self> {
        let base = base.trim_end_matches('/');
        Self::parse(&format!("{base}/api/hornet-q/queues/jms.queue.{name}"))
    }
}

impl fmt::Display for QueueUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_str())
    }
}

impl From<QueueUrl> for String {
    fn from(queue: QueueUrl) -> Self {
        queue.0.into()
    }
}

/// When an asynchronous call runs (`schedule=`), in the server's syntax.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule(String);

impl Schedule {
    /// Starts after `delay`, rounded down to whole minutes: `(after(HH MM))`, the form of
    /// Juniper's own example `(after(00 01))`.
    pub fn after(delay: Duration) -> Self {
        let minutes = delay.as_secs() / 60;
        Self(format!("(after({:02} {:02}))", minutes / 60, minutes % 60))
    }

    /// Any other expression the server accepts, sent as written.
    pub fn expression(text: impl Into<String>) -> Self {
        Self(text.into())
    }
}

impl fmt::Display for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Schedule> for String {
    fn from(schedule: Schedule) -> Self {
        schedule.0
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn both_vocabularies_read_the_same() {
        let seed = JobRecord::from_json(
            0,
            json!({"@key": "7", "jobState": "INPROGRESS", "percent": 40.0}),
        );
        assert_eq!(
            (seed.id, seed.state, seed.percent),
            (7, JobState::InProgress, Some(40.0))
        );
        let v3 = JobRecord::from_json(
            7,
            json!({"job": {"id": 7, "job-state": "DONE", "job-status": "UNDETERMINED", "percent-complete": "100"}}),
        );
        assert_eq!((v3.state, v3.percent), (JobState::InProgress, Some(100.0)));
        let done = JobRecord::from_json(7, json!({"job-state": "DONE", "job-status": "SUCCESS"}));
        assert_eq!(done.state, JobState::Success);
        let failed = JobRecord::from_json(
            7,
            json!({"job-state": "DONE", "job-status": "FAILURE", "summary": "device unreachable"}),
        );
        assert_eq!(failed.state, JobState::Failure);
        assert_eq!(failed.summary.as_deref(), Some("device unreachable"));
        assert_eq!(
            JobRecord::from_json(7, json!({"jobState": "ENABLED"})).state,
            JobState::Scheduled
        );
        assert_eq!(
            JobRecord::from_json(7, json!({"jobState": "CANCELLED"})).state,
            JobState::Cancelled
        );
    }

    #[test]
    fn schedule_and_queue_write_the_servers_syntax() {
        assert_eq!(
            String::from(Schedule::after(Duration::from_secs(60))),
            "(after(00 01))"
        );
        assert_eq!(
            Schedule::after(Duration::from_secs(2 * 3600 + 5 * 60 + 59)).to_string(),
            "(after(02 05))"
        );
        let queue = QueueUrl::on_server("https://space.example.com/", "deploys").expect("valid");
        assert_eq!(
            String::from(queue),
            "https://space.example.com/api/hornet-q/queues/jms.queue.deploys"
        );
        assert!(QueueUrl::parse("not a url").is_err());
        assert!(QueueUrl::parse("ftp://space/queue").is_err());
    }
}
