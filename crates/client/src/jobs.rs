//! Waiting for the job behind an asynchronous answer ([`JobsExt`]), and the typed `queue` and
//! `schedule` parameters of asynchronous calls.

use std::fmt;
use std::future::Future;
use std::time::{Duration, Instant};

use junos_space_api::Client;
use junos_space_runtime::{Error, JobRecord, JobState, Result};

use crate::fleet::Fleet;
use crate::polling::{PollClock, Polling};
use crate::types;

/// Jobs on the generated [`Client`]: `use junos_space::prelude::*`.
pub trait JobsExt {
    /// Waits for the job named by `answer` (a task answer, a `Job`, or a job id):
    /// `client.job(&task).on_progress(|job| ...).timeout(...).wait().await`.
    fn job(&self, answer: impl TaskAnswer) -> JobWait<'_>;

    /// The job's current record: `getJob` through the typed client, read as a [`JobRecord`].
    fn job_record(&self, id: i64) -> impl Future<Output = Result<JobRecord>> + Send;

    /// Starts and follows many jobs at once: `client.fleet().concurrency(32).run(devices,
    /// |device| async move { ... Ok(job_id) })` (see [`Fleet`]).
    fn fleet(&self) -> Fleet<'_>;
}

impl JobsExt for Client {
    fn job(&self, answer: impl TaskAnswer) -> JobWait<'_> {
        JobWait::new(self, answer.job_id())
    }

    async fn job_record(&self, id: i64) -> Result<JobRecord> {
        crate::record::job_record(self, id).await
    }

    fn fleet(&self) -> Fleet<'_> {
        Fleet::new(self)
    }
}

/// An answer that names a job: the `{"task": {"@href", "id"}}` of asynchronous calls, or a
/// job itself.
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
        Some(self.id)
    }
}

impl TaskAnswer for JobRecord {
    fn job_id(&self) -> Option<i64> {
        Some(self.id)
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

/// Waits for one job: made by [`JobsExt::job`], run by [`JobWait::wait`].
pub struct JobWait<'a> {
    client: &'a Client,
    id: Option<i64>,
    timeout: Duration,
    polling: Polling,
    on_progress: Option<ProgressCallback<'a>>,
}

impl<'a> JobWait<'a> {
    fn new(client: &'a Client, id: Option<i64>) -> Self {
        Self {
            client,
            id,
            timeout: Duration::from_secs(30 * 60),
            polling: Polling::default(),
            on_progress: None,
        }
    }

    /// Gives up (with [`Error::JobDeadline`]) after `timeout`; 30 minutes unless set.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Polls first after `first`, then where the job's progress says it will end, else ever
    /// less often, up to every `longest`.
    pub fn poll_every(mut self, first: Duration, longest: Duration) -> Self {
        self.polling.first = first;
        self.polling.shortest = self.polling.shortest.min(first);
        self.polling.longest = longest.max(first);
        self
    }

    /// All of how the job is read ([`Polling`]).
    pub fn polling(mut self, polling: Polling) -> Self {
        self.polling = polling;
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
        let mut clock = PollClock::new(self.polling);
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
            let wait = clock.next(now, record.percent);
            tokio::time::sleep(wait.min(deadline - now)).await;
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
    fn state_and_status_read_together() {
        for (state, status, expected) in [
            ("SCHEDULED", "UNDETERMINED", JobState::Scheduled),
            ("INPROGRESS", "UNDETERMINED", JobState::InProgress),
            // DONE with no outcome yet is not a success.
            ("DONE", "UNDETERMINED", JobState::InProgress),
            ("DONE", "SUCCESS", JobState::Success),
            ("DONE", "FAILURE", JobState::Failure),
            ("FAILURE", "UNDETERMINED", JobState::Failure),
            ("CANCELLED", "UNDETERMINED", JobState::Cancelled),
            ("done", "success", JobState::Success),
            ("PAUSED", "UNDETERMINED", JobState::Other("PAUSED".into())),
        ] {
            assert_eq!(
                JobState::from_fields(state, status),
                expected,
                "{state} {status}"
            );
        }
    }

    #[test]
    fn a_record_is_read_from_the_typed_job() {
        // A real server's version 3 answer (CSD docs/examples.md), trimmed.
        let answer: types::JobResponse = serde_json::from_value(json!({"job": {
            "@href": "/api/space/job-management/jobs/20885651", "id": 20885651,
            "name": "Discover Network Elements-20885651", "job-state": "DONE",
            "job-status": "FAILURE", "percent-complete": 100,
            "end-time": "Mon, 05 Oct 2020 14:26:21 UTC", "summary": "unreachable"}}))
        .expect("decodes");
        let record = JobRecord::from(answer.job);
        assert_eq!(record.id, 20885651);
        assert_eq!(record.state, JobState::Failure);
        assert_eq!(record.percent, Some(100.0));
        assert_eq!(record.summary.as_deref(), Some("unreachable"));
        assert_eq!(record.job["end-time"], "Mon, 05 Oct 2020 14:26:21 UTC");
    }

    #[test]
    fn every_kind_of_answer_names_its_job() {
        let task = types::Task {
            href: "/api/space/job-management/jobs/20885651".into(),
            id: 20885651,
        };
        let job: types::Job = serde_json::from_value(json!({"id": 20885652,
            "job-state": "INPROGRESS", "job-status": "UNDETERMINED"}))
        .expect("decodes");
        let record = JobRecord::from(job.clone());
        assert_eq!(
            types::TaskResponse { task: task.clone() }.job_id(),
            Some(20885651)
        );
        assert_eq!(task.job_id(), Some(20885651));
        assert_eq!(job.job_id(), Some(20885652));
        assert_eq!(record.job_id(), Some(20885652));
        assert_eq!(20885653_i64.job_id(), Some(20885653));
        // The generated builders' `send()` answers in a ResponseValue.
        let sent = progenitor_client::ResponseValue::new(
            types::TaskResponse { task },
            reqwest::StatusCode::ACCEPTED,
            reqwest::header::HeaderMap::new(),
        );
        assert_eq!(sent.job_id(), Some(20885651));
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
