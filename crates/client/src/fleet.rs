//! Many jobs at once: an asynchronous call started on each of many targets (devices,
//! packages), at most N at a time, each job it starts waited for under one deadline with its
//! progress reported; on a stop signal (Ctrl-C) nothing more is started and the jobs still
//! scheduled are cancelled (a running job cannot be).
//!
//! A target's turn lasts from its call to its job's end, so N bounds the jobs running at once,
//! not only the calls in flight. A start is sent once and never retried: it is not idempotent.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::future::{self, Either};
use futures_util::stream::{self, BoxStream, StreamExt as _};
use tokio::sync::{mpsc, watch};

use junos_space_api::Client;
use junos_space_runtime::{Error, JobRecord, JobState, Result};

use crate::polling::{PollClock, Polling};
use crate::record::job_record;

/// What happened to one target, as it happens.
#[derive(Debug)]
pub enum Event<T> {
    /// Its call was answered with this job.
    Started { target: T, job: i64 },
    /// Its job's state or percent changed.
    Progress { target: T, job: JobRecord },
    /// Its turn is over; the last event of the target.
    Ended {
        target: T,
        end: End,
        /// How many times its job was read.
        reads: u32,
    },
}

/// How a target's turn ended.
#[derive(Debug)]
pub enum End {
    /// The job succeeded.
    Succeeded(JobRecord),
    /// The job ended in FAILURE, or the server cancelled it.
    Failed(JobRecord),
    /// The job was still running at the deadline.
    TimedOut(JobRecord),
    /// Stopped while the job waited for its schedule: cancelled.
    Cancelled(JobRecord),
    /// Stopped while the job ran; it goes on on the server.
    LeftRunning(JobRecord),
    /// Its turn never came: stopped, or the deadline passed first.
    NotStarted(NotStarted),
    /// The call or a read of the job failed.
    Error(Error),
}

/// Why a target was not started.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotStarted {
    Stopped,
    Deadline,
}

impl End {
    /// The job's last record, when there is one.
    pub fn job(&self) -> Option<&JobRecord> {
        match self {
            Self::Succeeded(job)
            | Self::Failed(job)
            | Self::TimedOut(job)
            | Self::Cancelled(job)
            | Self::LeftRunning(job) => Some(job),
            Self::NotStarted(_) | Self::Error(_) => None,
        }
    }
}

/// Runs many jobs: made by [`JobsExt::fleet`](crate::prelude::JobsExt::fleet).
pub struct Fleet<'a> {
    client: &'a Client,
    concurrency: usize,
    timeout: Duration,
    polling: Polling,
    stop: Option<future::BoxFuture<'a, ()>>,
    cancel_scheduled: bool,
}

impl<'a> Fleet<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self {
            client,
            concurrency: 8,
            timeout: Duration::from_secs(60 * 60),
            polling: Polling::default(),
            stop: None,
            cancel_scheduled: true,
        }
    }

    /// At most this many targets have their turn at once; 8 unless set (at least 1).
    pub fn concurrency(mut self, concurrency: usize) -> Self {
        self.concurrency = concurrency.max(1);
        self
    }

    /// One deadline for the whole run, counted from its start; an hour unless set.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How each job is read.
    pub fn polling(mut self, polling: Polling) -> Self {
        self.polling = polling;
        self
    }

    /// Stops the run when `signal` completes (`tokio::signal::ctrl_c()`): no target starts
    /// after it, and every job is read once more and ended.
    pub fn stop_on(mut self, signal: impl Future<Output = ()> + Send + 'a) -> Self {
        self.stop = Some(Box::pin(signal));
        self
    }

    /// Whether a stop cancels the jobs still waiting for their schedule (`cancelJob`); on
    /// unless set. Off for jobs the run did not start, which are someone else's to cancel.
    pub fn cancel_scheduled_on_stop(mut self, cancel: bool) -> Self {
        self.cancel_scheduled = cancel;
        self
    }

    /// Calls `start` for each target, which sends the asynchronous call and gives the id of
    /// the job it started, and follows the job; the stream ends after every target's
    /// [`Event::Ended`].
    pub fn run<T, F, Fut>(
        self,
        targets: impl IntoIterator<Item = T> + Send + 'a,
        start: F,
    ) -> BoxStream<'a, Event<T>>
    where
        T: Clone + Send + 'a,
        F: Fn(T) -> Fut + Send + Sync + 'a,
        Fut: Future<Output = Result<i64>> + Send + 'a,
    {
        let targets: Vec<T> = targets.into_iter().collect();
        let (events, received) = mpsc::unbounded_channel();
        let (stopped, stop_seen) = watch::channel(false);
        let turn = Arc::new(Turn {
            client: self.client.clone(),
            deadline: Instant::now() + self.timeout,
            polling: self.polling,
            cancel_scheduled: self.cancel_scheduled,
            stop_seen,
        });
        let concurrency = self.concurrency;
        let start = Arc::new(start);
        let turns = stream::iter(targets)
            .map(move |target| {
                let turn = turn.clone();
                let start = start.clone();
                let events = events.clone();
                async move { turn.take(target, &*start, &events).await }
            })
            .buffer_unordered(concurrency)
            .for_each(|()| future::ready(()));
        let stop = self.stop;
        let driver = async move {
            let watch_stop = async move {
                if let Some(signal) = stop {
                    signal.await;
                    let _ = stopped.send(true);
                }
                // Never done: the run ends when every turn has.
                future::pending::<()>().await
            };
            match future::select(pin!(turns), pin!(watch_stop)).await {
                Either::Left(((), _)) | Either::Right(((), _)) => {}
            }
        };
        let received = stream::unfold(received, |mut received| async move {
            received.recv().await.map(|event| (event, received))
        });
        let driven = stream::once(driver).filter_map(|()| future::ready(None));
        stream::select(received, driven).boxed()
    }

    /// Follows jobs already started (by id), as [`Fleet::run`] does.
    pub fn wait_all(self, jobs: impl IntoIterator<Item = i64>) -> BoxStream<'a, Event<i64>> {
        let jobs: Vec<i64> = jobs.into_iter().collect();
        self.run(jobs, |job| future::ready(Ok(job)))
    }
}

/// What every target's turn shares.
struct Turn {
    client: Client,
    deadline: Instant,
    polling: Polling,
    cancel_scheduled: bool,
    stop_seen: watch::Receiver<bool>,
}

impl Turn {
    fn stopped(&self) -> bool {
        *self.stop_seen.borrow()
    }

    async fn take<T, F, Fut>(&self, target: T, start: &F, events: &mpsc::UnboundedSender<Event<T>>)
    where
        T: Clone,
        F: Fn(T) -> Fut,
        Fut: Future<Output = Result<i64>>,
    {
        let (end, reads) = self.follow(target.clone(), start, events).await;
        let _ = events.send(Event::Ended { target, end, reads });
    }

    async fn follow<T, F, Fut>(
        &self,
        target: T,
        start: &F,
        events: &mpsc::UnboundedSender<Event<T>>,
    ) -> (End, u32)
    where
        T: Clone,
        F: Fn(T) -> Fut,
        Fut: Future<Output = Result<i64>>,
    {
        if self.stopped() {
            return (End::NotStarted(NotStarted::Stopped), 0);
        }
        if Instant::now() >= self.deadline {
            return (End::NotStarted(NotStarted::Deadline), 0);
        }
        let job = match start(target.clone()).await {
            Ok(job) => job,
            Err(error) => return (End::Error(error), 0),
        };
        let _ = events.send(Event::Started {
            target: target.clone(),
            job,
        });
        let mut clock = PollClock::new(self.polling);
        let mut wait = clock.first();
        let mut reads = 0;
        let mut last: Option<(JobState, Option<f64>)> = None;
        loop {
            self.pause(wait).await;
            let record = match job_record(&self.client, job).await {
                Ok(record) => record,
                Err(error) => return (End::Error(error), reads),
            };
            reads += 1;
            let seen = (record.state.clone(), record.percent);
            if last.as_ref() != Some(&seen) {
                last = Some(seen);
                let _ = events.send(Event::Progress {
                    target: target.clone(),
                    job: record.clone(),
                });
            }
            match record.state {
                JobState::Success => return (End::Succeeded(record), reads),
                JobState::Failure | JobState::Cancelled => return (End::Failed(record), reads),
                _ => {}
            }
            if self.stopped() {
                if record.state != JobState::Scheduled || !self.cancel_scheduled {
                    return (End::LeftRunning(record), reads);
                }
                return match self.cancel(job).await {
                    Ok(record) => (End::Cancelled(record), reads + 1),
                    Err(error) => (End::Error(error), reads),
                };
            }
            let now = Instant::now();
            if now >= self.deadline {
                return (End::TimedOut(record), reads);
            }
            wait = clock.next(now, record.percent);
        }
    }

    /// Sleeps `wait` (never past the deadline), or until the run is stopped.
    async fn pause(&self, wait: Duration) {
        let until = (Instant::now() + wait).min(self.deadline);
        let mut stop_seen = self.stop_seen.clone();
        let sleep = pin!(tokio::time::sleep_until(until.into()));
        let stopped = pin!(async move {
            // A closed channel (the run is over) is no stop: sleep on.
            if stop_seen.wait_for(|stopped| *stopped).await.is_err() {
                future::pending::<()>().await;
            }
        });
        future::select(sleep, stopped).await;
    }

    /// Cancels a job waiting for its schedule, and gives its record after.
    async fn cancel(&self, job: i64) -> Result<JobRecord> {
        let client = &self.client;
        client.cancel_job().job_id(job).send().await?;
        job_record(client, job).await
    }
}
