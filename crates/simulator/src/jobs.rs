//! Jobs of asynchronous operations, in the version 3 vocabulary of a real server: a job is
//! SCHEDULED while it waits for its `schedule`, then INPROGRESS for the configured duration
//! with `percent-complete` rising, then DONE with `job-status` SUCCESS or FAILURE (UNDETERMINED
//! until then), and applies its effect to the stores. Its progress-update is kept beside it.
//! Its state is worked out from the clock whenever anybody reads the state, so no background
//! task runs and every reader sees the same job.

use std::time::{Duration, Instant, SystemTime};

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use crate::store::Stores;

/// Name of the store that holds jobs.
pub(crate) const JOBS: &str = "jobs";

/// How asynchronous operations' jobs run.
#[derive(Debug, Clone)]
pub struct JobSettings {
    /// From start to end; `percent-complete` rises linearly over it.
    pub duration: Duration,
    /// How every job ends.
    pub outcome: JobOutcome,
    /// What one minute of a `schedule=(after(HH MM))` lasts here, so tests need not wait.
    pub schedule_minute: Duration,
}

impl Default for JobSettings {
    fn default() -> Self {
        Self {
            duration: Duration::from_secs(3),
            outcome: JobOutcome::Success,
            schedule_minute: Duration::from_secs(60),
        }
    }
}

/// The final state of a job whose target exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobOutcome {
    Success,
    Failure,
}

/// What a job does to the state when it succeeds.
#[derive(Debug, Clone)]
pub(crate) enum Effect {
    None,
    /// Adds `member` to `store` (discovery adds a device).
    Add {
        store: String,
        member: Value,
    },
    /// Removes member `key` of `store` (an asynchronous delete), at `path` below the base
    /// path.
    Remove {
        store: String,
        key: u64,
        path: String,
    },
}

/// A job that has not finished yet.
#[derive(Debug, Clone)]
struct LiveJob {
    key: u64,
    /// The job's URI (`/api/space/job-management/jobs/N`).
    uri: String,
    name: String,
    job_type: String,
    user: String,
    created: Instant,
    created_at: SystemTime,
    starts: Instant,
    ends: Instant,
    outcome: JobOutcome,
    /// Why the job fails regardless of the configured outcome (its target is missing).
    failure: Option<String>,
    effect: Effect,
    /// Cancelled while it waited for its schedule: it never runs.
    cancelled: bool,
}

/// Why a job was not cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CancelRefused {
    /// No job has this key.
    Unknown,
    /// The job has started or finished (the server answers 412).
    NotWaiting,
}

/// Reads a `schedule` value. The one form seen from Juniper is `(after(HH MM))`; a
/// cron-like expression is refused with a 400 rather than guessed at.
pub(crate) fn parse_schedule(text: &str) -> Result<u32, String> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let shaped = compact.starts_with("(after(") && compact.ends_with("))");
    let words: Vec<&str> = text
        .split(|c: char| c == '(' || c == ')' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    match (shaped, words.as_slice()) {
        (true, ["after", hours, minutes]) => {
            let hours: u32 = hours.parse().map_err(|_| "hours are not a number")?;
            let minutes: u32 = minutes.parse().map_err(|_| "minutes are not a number")?;
            if minutes >= 60 || hours > 24 * 365 {
                return Err("minutes must be below 60 and hours below a year".into());
            }
            Ok(hours * 60 + minutes)
        }
        _ => Err(format!(
            "`{text}` is not understood; the simulator takes (after(HH MM))"
        )),
    }
}

/// Whether a `queue` value is a URI as RFC 3986 writes one (the spec gives it `format: uri`):
/// a scheme, `:`, then an authority and path, query and fragment of the characters each may
/// hold, with `%` only before two hex digits. Where the queue is, is not checked.
pub(crate) fn is_uri(text: &str) -> bool {
    let (text, fragment) = text.split_once('#').unwrap_or((text, ""));
    let (text, query) = text.split_once('?').unwrap_or((text, ""));
    let Some((scheme, hierarchy)) = text.split_once(':') else {
        return false;
    };
    let mut scheme = scheme.chars();
    let scheme_ok = scheme.next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    let path = match hierarchy.strip_prefix("//") {
        Some(rest) => {
            let (authority, path) = rest.find('/').map_or((rest, ""), |at| rest.split_at(at));
            if !is_authority(authority) {
                return false;
            }
            path
        }
        None => hierarchy,
    };
    scheme_ok && uri_chars(path, "/") && uri_chars(query, "/?") && uri_chars(fragment, "/?")
}

/// `[userinfo@]host[:port]`, the host a name or a bracketed IP literal.
fn is_authority(authority: &str) -> bool {
    let (userinfo, host_port) = authority.split_once('@').unwrap_or(("", authority));
    let (host, port) = match host_port.strip_prefix('[') {
        Some(literal) => match literal.split_once(']') {
            Some((ip, rest)) if !ip.is_empty() => {
                let ip_ok = ip
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() || ":.vV".contains(c));
                match rest.strip_prefix(':') {
                    Some(port) if ip_ok => ("", port),
                    None if ip_ok && rest.is_empty() => ("", ""),
                    _ => return false,
                }
            }
            _ => return false,
        },
        None => host_port.split_once(':').unwrap_or((host_port, "")),
    };
    uri_chars(userinfo, ":")
        && !host.contains(['@', ':'])
        && uri_chars(host, "")
        && port.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `text` holds only unreserved characters, sub-delimiters, `%XX` escapes, `:`, `@`
/// (outside `userinfo`) and the extra characters `also`.
fn uri_chars(text: &str, also: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let c = bytes[at];
        if c == b'%' {
            if !(bytes.get(at + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(at + 2).is_some_and(u8::is_ascii_hexdigit))
            {
                return false;
            }
            at += 3;
            continue;
        }
        let allowed = c.is_ascii_alphanumeric()
            || b"-._~!$&'()*+,;=:@".contains(&c)
            || also.as_bytes().contains(&c);
        if !allowed {
            return false;
        }
        at += 1;
    }
    true
}

/// A time as a real server writes job times: `Mon, 05 Oct 2020 14:26:21 UTC`.
fn timestamp(at: SystemTime) -> String {
    DateTime::<Utc>::from(at)
        .format("%a, %d %b %Y %H:%M:%S UTC")
        .to_string()
}

impl LiveJob {
    /// The job as `getJob` answers it at `now` (its progress-update stored under
    /// `#progress-update`), and whether it has finished.
    fn render(&self, now: Instant) -> (Value, bool) {
        let failed = self.failure.is_some() || self.outcome == JobOutcome::Failure;
        let (state, status, percent, finished) = if self.cancelled {
            ("CANCELLED", "UNDETERMINED", 0.0, true)
        } else if now < self.starts {
            ("SCHEDULED", "UNDETERMINED", 0.0, false)
        } else if now < self.ends {
            let total = self.ends.duration_since(self.starts).as_secs_f64();
            let done = now.duration_since(self.starts).as_secs_f64();
            // Whole percents that never reach 100 before the job has ended.
            let percent = (done / total * 100.0).floor().min(99.0);
            ("INPROGRESS", "UNDETERMINED", percent, false)
        } else if failed {
            ("DONE", "FAILURE", 100.0, true)
        } else {
            ("DONE", "SUCCESS", 100.0, true)
        };
        let summary = match (state, &self.failure) {
            ("CANCELLED", _) => "Cancelled".to_owned(),
            ("SCHEDULED", _) => "Scheduled".to_owned(),
            ("INPROGRESS", _) => "In progress".to_owned(),
            (_, Some(why)) if failed => why.clone(),
            _ if failed => format!("{} failed (simulated failure)", self.name),
            _ => format!("{} succeeded", self.name),
        };
        let wall = |at: Instant| self.created_at + at.duration_since(self.created);
        let mut job = Map::new();
        job.insert("name".into(), self.name.clone().into());
        job.insert("job-type".into(), self.job_type.clone().into());
        job.insert("job-state".into(), state.into());
        job.insert("job-status".into(), status.into());
        job.insert("percent-complete".into(), json!(percent));
        job.insert("owner".into(), self.user.clone().into());
        job.insert("summary".into(), summary.clone().into());
        job.insert(
            "scheduled-start-time".into(),
            timestamp(wall(self.starts)).into(),
        );
        if now >= self.starts && !self.cancelled {
            job.insert("start-time".into(), timestamp(wall(self.starts)).into());
        }
        if finished {
            job.insert("end-time".into(), timestamp(wall(self.ends)).into());
        }
        let progress_uri = format!("{}/progress-update", self.uri);
        job.insert("progress-update".into(), json!({ "@href": progress_uri }));
        job.insert(
            "#progress-update".into(),
            json!({
                "@type": "parallel-progress",
                "job": { "@href": self.uri },
                "taskId": self.key,
                "jobName": self.name,
                "state": state,
                "status": status,
                "percentage": percent,
                "data": summary,
            }),
        );
        (Value::Object(job), finished)
    }
}

/// A job to start: what it is, who asked, when it runs and what it does.
#[derive(Debug, Clone)]
pub(crate) struct NewJob {
    /// The URI of the job collection (`/api/space/job-management/jobs`).
    pub jobs_uri: String,
    /// The operation that started it.
    pub name: String,
    pub job_type: String,
    pub user: String,
    /// How long it waits for its schedule.
    pub delay: Duration,
    pub duration: Duration,
    pub outcome: JobOutcome,
    /// Why it fails whatever `outcome` says (its target is missing).
    pub failure: Option<String>,
    pub effect: Effect,
}

/// The jobs that have not finished, each also rendered in the job store.
#[derive(Debug, Default)]
pub(crate) struct Jobs {
    live: Vec<LiveJob>,
}

impl Jobs {
    /// True when no job is waiting or running.
    pub fn all_finished(&self) -> bool {
        self.live.is_empty()
    }

    /// Starts `job` at `now` and returns its key in the job store.
    pub fn start(&mut self, stores: &mut Stores, job: NewJob, now: Instant) -> u64 {
        let key = stores.store(JOBS).insert_new(Value::Null);
        let job = LiveJob {
            key,
            uri: format!("{}/{key}", job.jobs_uri),
            name: job.name,
            job_type: job.job_type,
            user: job.user,
            created: now,
            created_at: SystemTime::now(),
            starts: now + job.delay,
            ends: now + job.delay + job.duration,
            outcome: job.outcome,
            failure: job.failure,
            effect: job.effect,
            cancelled: false,
        };
        let (rendered, _) = job.render(now);
        stores.store(JOBS).insert(key, rendered);
        self.live.push(job);
        key
    }

    /// Cancels job `key` if it still waits for its schedule at `now`; a cancelled job never
    /// runs and has no effect.
    pub fn cancel(
        &mut self,
        stores: &mut Stores,
        key: u64,
        now: Instant,
    ) -> Result<(), CancelRefused> {
        let at = self.waiting(stores, key, now)?;
        let mut job = self.live.remove(at);
        job.cancelled = true;
        let (rendered, _) = job.render(now);
        stores.store(JOBS).insert(key, rendered);
        Ok(())
    }

    /// Where job `key` is among the live ones, if it still waits for its schedule at `now`;
    /// why it cannot be cancelled otherwise.
    pub fn waiting(&self, stores: &Stores, key: u64, now: Instant) -> Result<usize, CancelRefused> {
        let Some(at) = self.live.iter().position(|job| job.key == key) else {
            return Err(if stores.member(JOBS, key).is_some() {
                CancelRefused::NotWaiting
            } else {
                CancelRefused::Unknown
            });
        };
        if now >= self.live[at].starts {
            return Err(CancelRefused::NotWaiting);
        }
        Ok(at)
    }

    /// Brings every live job up to `now`, applying the effects of those that succeeded.
    pub fn refresh(&mut self, stores: &mut Stores, now: Instant) {
        for job in std::mem::take(&mut self.live) {
            let (rendered, finished) = job.render(now);
            stores.store(JOBS).insert(job.key, rendered);
            if !finished {
                self.live.push(job);
                continue;
            }
            if job.failure.is_some() || job.outcome == JobOutcome::Failure {
                continue;
            }
            match job.effect {
                Effect::None => {}
                Effect::Add { store, member } => {
                    stores.store(&store).insert_new(member);
                }
                Effect::Remove { store, key, path } => {
                    stores.forget(&store, key, &path);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_read_hours_and_minutes() {
        assert_eq!(parse_schedule("(after(00 01))"), Ok(1));
        assert_eq!(parse_schedule(" ( after ( 02 05 ) ) "), Ok(125));
        for bad in [
            "",
            "0 0 * * *",
            "(after(01))",
            "(after(00 75))",
            "(after(a b))",
        ] {
            assert!(parse_schedule(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn queues_are_uris() {
        for good in [
            "http://space/api/hornet-q/queues/jms.queue.q1",
            "https://0.com",
            "https://user:pw@[2001:db8::1]:8443/q?x=1#top",
            "urn:jms:queue.q1",
            "http://h/a%20b",
        ] {
            assert!(is_uri(good), "{good}");
        }
        for bad in [
            "",
            "queue1",
            "1http://h",
            "http://h/a b",
            "http://h/%zz",
            "http://h:80x/",
            "http://[::1/",
            "GT\u{a9b2}4",
            "http://h/é",
            "no scheme:x",
        ] {
            assert!(!is_uri(bad), "{bad}");
        }
    }

    /// A job that waits `delay`, runs for `duration`, ends as `outcome` and has `effect`.
    fn job(delay: Duration, duration: Duration, outcome: JobOutcome, effect: Effect) -> NewJob {
        NewJob {
            jobs_uri: "/api/space/job-management/jobs".into(),
            name: "discoverDevice".into(),
            job_type: "discover-devices".into(),
            user: "super".into(),
            delay,
            duration,
            outcome,
            failure: None,
            effect,
        }
    }

    /// A discovery that waits `delay`, runs for `duration` and adds a device.
    fn discovery(delay: Duration, duration: Duration) -> NewJob {
        let effect = Effect::Add {
            store: "devices".into(),
            member: json!({"name": "new"}),
        };
        job(delay, duration, JobOutcome::Success, effect)
    }

    #[test]
    fn a_job_waits_runs_and_succeeds_with_its_effect() {
        let (mut jobs, mut stores) = (Jobs::default(), Stores::default());
        let now = Instant::now();
        let second = Duration::from_secs(1);
        let key = jobs.start(&mut stores, discovery(second, 4 * second), now);
        let read = |stores: &Stores| Value::clone(stores.member(JOBS, key).expect("a job"));
        assert_eq!(read(&stores)["job-state"], "SCHEDULED");
        assert_eq!(read(&stores)["job-status"], "UNDETERMINED");
        jobs.refresh(&mut stores, now + 2 * second);
        assert_eq!(read(&stores)["job-state"], "INPROGRESS");
        assert_eq!(read(&stores)["percent-complete"], 25.0);
        assert_eq!(read(&stores)["#progress-update"]["percentage"], 25.0);
        assert!(stores.get("devices").is_none());
        jobs.refresh(&mut stores, now + 5 * second);
        assert_eq!(read(&stores)["job-state"], "DONE");
        assert_eq!(read(&stores)["job-status"], "SUCCESS");
        assert_eq!(read(&stores)["percent-complete"], 100.0);
        assert_eq!(read(&stores)["#progress-update"]["status"], "SUCCESS");
        let ended = read(&stores)["end-time"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        // `Mon, 05 Oct 2020 14:26:21 UTC`, as a real server writes it.
        assert!(
            ended.len() == 29 && ended.ends_with(" UTC") && ended.as_bytes()[3] == b',',
            "{ended}"
        );
        assert_eq!(stores.get("devices").map(|s| s.members.len()), Some(1));
        assert!(jobs.all_finished());
    }

    #[test]
    fn only_a_waiting_job_is_cancelled_and_it_never_runs() {
        let (mut jobs, mut stores) = (Jobs::default(), Stores::default());
        let now = Instant::now();
        let minute = Duration::from_secs(60);
        let waiting = jobs.start(&mut stores, discovery(minute, minute), now);
        let running = jobs.start(&mut stores, discovery(Duration::ZERO, minute), now);
        assert_eq!(jobs.cancel(&mut stores, waiting, now), Ok(()));
        assert_eq!(
            jobs.cancel(&mut stores, running, now + Duration::from_secs(1)),
            Err(CancelRefused::NotWaiting)
        );
        assert_eq!(
            jobs.cancel(&mut stores, 999, now),
            Err(CancelRefused::Unknown)
        );
        jobs.refresh(&mut stores, now + 3 * minute);
        let job = stores.member(JOBS, waiting).expect("kept");
        assert_eq!(job["job-state"], "CANCELLED");
        assert!(job.get("start-time").is_none());
        assert_eq!(job["#progress-update"]["state"], "CANCELLED");
        assert_eq!(
            jobs.cancel(&mut stores, waiting, now),
            Err(CancelRefused::NotWaiting)
        );
        // Only the job that ran added its device.
        assert_eq!(stores.get("devices").map(|s| s.members.len()), Some(1));
    }

    #[test]
    fn a_failing_job_has_no_effect() {
        let (mut jobs, mut stores) = (Jobs::default(), Stores::default());
        stores.store("devices").insert(1, json!({}));
        let now = Instant::now();
        let effect = Effect::Remove {
            store: "devices".into(),
            key: 1,
            path: "/device-management/devices/1".into(),
        };
        let second = Duration::from_secs(1);
        let failing = job(Duration::ZERO, second, JobOutcome::Failure, effect);
        let key = jobs.start(&mut stores, failing, now);
        jobs.refresh(&mut stores, now + 2 * second);
        assert_eq!(
            stores.member(JOBS, key).expect("kept")["job-status"],
            "FAILURE"
        );
        assert_eq!(stores.get("devices").map(|s| s.members.len()), Some(1));
    }
}
