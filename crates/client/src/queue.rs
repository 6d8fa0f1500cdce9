//! Being told of a job's end through a HornetQ queue instead of polling ([`QueuesExt`]): the
//! queue the `queue` parameter of an asynchronous call names, made and pulled as Juniper's
//! own clients do (`spec/README.md`, "HornetQ queues": PSP `async.py`, SAC `space_queue.py`).
//!
//! The interface is not in `spec/` (XML, beside `/api/space`), so this module speaks it by
//! hand: it makes the queue (`POST /api/hornet-q/queues`, 412 meaning it exists), a pull
//! consumer on it, pulls messages with `accept-wait`, and reads of each message what Juniper's
//! client reads: its `taskId`, its `state` and its `job`'s `href`. A job's end is then read
//! from the job itself ([`JobsExt::job_record`]), since a message carries no result.

use std::future::Future;
use std::time::{Duration, Instant};

use junos_space_api::{Client, ClientInfo as _};
use junos_space_runtime::{Error, JobRecord, JobState, Result, decode_entities};
use reqwest::header::{CONTENT_TYPE, HeaderName};
use reqwest::{Method, Url};

use crate::jobs::{JobsExt, QueueUrl, TaskAnswer};

/// The media type of a queue's description.
const QUEUE_TYPE: &str = "application/hornetq.jms.queue+xml";

/// The header that names the URL of the next pull.
const CONSUME_NEXT: HeaderName = HeaderName::from_static("msg-consume-next");

/// Where a Junos Space reaches its own HornetQ (PSP `async.py`).
const SERVER_OWN_HORNETQ: &str = "http://localhost:8080";

/// The longest one pull asks the server to wait for a message (PSP waits 10 s a pull).
const LONGEST_PULL: Duration = Duration::from_secs(10);

/// Queues on the generated [`Client`]: `use junos_space::prelude::*`.
pub trait QueuesExt {
    /// Makes (or, when it exists, takes) the queue `name` on the client's server, with a
    /// pull consumer on it, made before any job can send to it.
    fn job_queue(&self, name: &str) -> impl Future<Output = Result<JobQueue<'_>>> + Send;
}

impl QueuesExt for Client {
    async fn job_queue(&self, name: &str) -> Result<JobQueue<'_>> {
        JobQueue::open(self, name).await
    }
}

/// A HornetQ queue that jobs send their progress to, and this client's consumer of it.
pub struct JobQueue<'a> {
    client: &'a Client,
    name: String,
    /// `https://host`, what the queue's paths follow.
    origin: String,
    /// The URL of the next pull.
    next: Url,
}

/// What a progress message says, as Juniper's client reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueMessage {
    /// The job the message is about.
    pub task_id: Option<i64>,
    /// Its state (`INPROGRESS`, `DONE`, ...), as the server writes it.
    pub state: String,
    /// The job's URI.
    pub job_href: Option<String>,
    /// The message as it came.
    pub xml: String,
}

impl QueueMessage {
    /// Reads a message; `None` when it is not a progress message (no `state`).
    pub fn parse(xml: &str) -> Option<Self> {
        Some(Self {
            task_id: element_text(xml, "taskId").and_then(|id| id.trim().parse().ok()),
            state: element_text(xml, "state")?.trim().to_owned(),
            job_href: attribute(xml, "job", "href"),
            xml: xml.to_owned(),
        })
    }

    /// Whether the job has ended (`DONE`, or cancelled): its record then says how.
    pub fn is_end(&self) -> bool {
        matches!(self.state.as_str(), "DONE" | "CANCELLED")
    }
}

impl<'a> JobQueue<'a> {
    async fn open(client: &'a Client, name: &str) -> Result<Self> {
        let valid = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c));
        if !valid {
            return Err(Error::Config(format!(
                "queue name `{name}`: letters, digits, `_`, `-` and `.` only"
            )));
        }
        let base = client.baseurl();
        let origin = base
            .strip_suffix(Client::BASE_PATH)
            .unwrap_or(base)
            .trim_end_matches('/')
            .to_owned();
        let mut queue = Self {
            client,
            name: name.to_owned(),
            next: parse_url(&origin)?,
            origin,
        };
        let description = format!("<queue name=\"{name}\"><durable>false</durable></queue>");
        let made = queue
            .send(Method::POST, "/api/hornet-q/queues", Some(description))
            .await?;
        // 412: the queue exists, which serves as well (both Juniper clients read it so).
        if !matches!(made.status().as_u16(), 201 | 412) {
            return Err(unexpected(made).await);
        }
        let consumers = format!("{}/pull-consumers", queue.path());
        let consumer = queue.send(Method::POST, &consumers, None).await?;
        if consumer.status().as_u16() != 201 {
            return Err(unexpected(consumer).await);
        }
        queue.next = queue.next_pull(&consumer)?;
        Ok(queue)
    }

    /// What to give an asynchronous call's `queue`: the queue's URL as the server itself
    /// reaches its HornetQ, `http://localhost:8080/api/hornet-q/queues/jms.queue.NAME`, the URL
    /// Juniper's Python client gives (PSP `async.py`); the server sends to it, not the client.
    pub fn url(&self) -> Result<QueueUrl> {
        QueueUrl::on_server(SERVER_OWN_HORNETQ, &self.name)
    }

    /// The next message, waiting for one up to `wait` (at most 10 s a pull, as the server is
    /// asked to hold a pull open); `None` when none came.
    pub async fn next_message(&mut self, wait: Duration) -> Result<Option<QueueMessage>> {
        let seconds = wait.min(LONGEST_PULL).as_secs().max(1);
        let mut request = self.request(Method::POST, self.next.clone(), None);
        request.headers_mut().insert("accept-wait", seconds.into());
        let answer = self.execute(request).await?;
        // Every answer names the next pull, with a message or without one.
        if answer.headers().contains_key(CONSUME_NEXT) {
            self.next = self.next_pull(&answer)?;
        }
        match answer.status().as_u16() {
            200 => {
                let xml = answer.text().await.map_err(Error::Transport)?;
                Ok(QueueMessage::parse(&xml))
            }
            // HornetQ's "nothing within the wait".
            503 => Ok(None),
            _ => Err(unexpected(answer).await),
        }
    }

    /// Waits for the job `answer` names to end, told by the queue rather than by polling,
    /// then reads its record: a success gives it, FAILURE and CANCELLED give
    /// [`Error::JobFailed`], and a job still running at `timeout` gives [`Error::JobDeadline`].
    /// The job's call must have named this queue ([`JobQueue::url`]).
    pub async fn wait_for(
        &mut self,
        answer: impl TaskAnswer,
        timeout: Duration,
    ) -> Result<JobRecord> {
        let id = answer.job_id().ok_or(Error::NoJob)?;
        let deadline = Instant::now() + timeout;
        loop {
            let now = Instant::now();
            if now >= deadline {
                let record = self.client.job_record(id).await?;
                return match record.state {
                    // It ended while the last pull waited.
                    JobState::Success => Ok(record),
                    JobState::Failure | JobState::Cancelled => {
                        Err(Error::JobFailed(Box::new(record)))
                    }
                    _ => Err(Error::JobDeadline(Box::new(record))),
                };
            }
            let Some(message) = self.next_message(deadline - now).await? else {
                continue;
            };
            if message.task_id != Some(id) || !message.is_end() {
                continue;
            }
            let record = self.client.job_record(id).await?;
            return match record.state {
                JobState::Success => Ok(record),
                JobState::Failure | JobState::Cancelled => Err(Error::JobFailed(Box::new(record))),
                // The message ran ahead of the job's view: read it as the end it announced.
                _ => Err(Error::JobDeadline(Box::new(record))),
            };
        }
    }

    /// Removes the queue from the server (204; 405 when it was already gone).
    pub async fn delete(self) -> Result<()> {
        let answer = self.send(Method::DELETE, &self.path(), None).await?;
        match answer.status().as_u16() {
            204 | 405 => Ok(()),
            _ => Err(unexpected(answer).await),
        }
    }

    fn path(&self) -> String {
        format!("/api/hornet-q/queues/jms.queue.{}", self.name)
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        description: Option<String>,
    ) -> Result<reqwest::Response> {
        let url = parse_url(&format!("{}{path}", self.origin))?;
        let request = self.request(method, url, description);
        self.execute(request).await
    }

    fn request(&self, method: Method, url: Url, description: Option<String>) -> reqwest::Request {
        let mut request = reqwest::Request::new(method, url);
        if let Some(description) = description {
            request.headers_mut().insert(
                CONTENT_TYPE,
                QUEUE_TYPE.parse().expect("a valid header value"),
            );
            *request.body_mut() = Some(description.into());
        }
        request
    }

    /// Sends once, with the client's credentials: nothing here is sent twice.
    async fn execute(&self, request: reqwest::Request) -> Result<reqwest::Response> {
        self.client
            .inner()
            .execute(
                self.client.client(),
                request,
                junos_space_runtime::SessionUse::Ordinary,
            )
            .await
            .map_err(Error::from_transport)
    }

    /// The next pull's URL from `answer`'s `msg-consume-next`, on this client's server: the
    /// server may name itself by an inner address, so its path is kept (as PSP does).
    fn next_pull(&self, answer: &reqwest::Response) -> Result<Url> {
        let named = answer
            .headers()
            .get(CONSUME_NEXT)
            .and_then(|value| value.to_str().ok())
            .ok_or_else(|| {
                Error::InvalidRequest(format!(
                    "the queue {} named no next pull (msg-consume-next)",
                    self.name
                ))
            })?;
        let path = named.find("/api/").map_or(named, |at| &named[at..]);
        parse_url(&format!("{}{path}", self.origin))
    }
}

fn parse_url(text: &str) -> Result<Url> {
    Url::parse(text).map_err(|error| Error::Config(format!("`{text}`: {error}")))
}

/// An answer the queue interface does not give for success, as the client's error for it.
async fn unexpected(answer: reqwest::Response) -> Error {
    Error::from_exchange::<()>(progenitor_client::Error::UnexpectedResponse(answer), None).await
}

/// The text of the first element `name` in `xml` (`<name>text</name>`, attributes allowed),
/// with XML's five entities read.
fn element_text(xml: &str, name: &str) -> Option<String> {
    let start = open_tag(xml, name)?;
    let content = &xml[start..];
    let open_end = content.find('>')?;
    if content[..open_end].ends_with('/') {
        return Some(String::new());
    }
    let text = &content[open_end + 1..];
    let end = text.find(&format!("</{name}>"))?;
    Some(decode_entities(&text[..end]))
}

/// The value of `attribute` on the first element `name` in `xml`.
fn attribute(xml: &str, name: &str, attribute: &str) -> Option<String> {
    let start = open_tag(xml, name)?;
    let tag = &xml[start..start + xml[start..].find('>')?];
    let mut rest = &tag[1 + name.len()..];
    while let Some(at) = rest.find(attribute) {
        let before_ok = rest[..at].ends_with(char::is_whitespace);
        let after = rest[at + attribute.len()..].trim_start();
        if before_ok && let Some(value) = after.strip_prefix('=') {
            let value = value.trim_start();
            let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
            let value = &value[1..];
            return Some(decode_entities(&value[..value.find(quote)?]));
        }
        rest = &rest[at + attribute.len()..];
    }
    None
}

/// Where the first start tag `<name` (followed by a space, `>` or `/`) begins.
fn open_tag(xml: &str, name: &str) -> Option<usize> {
    let tag = format!("<{name}");
    let mut from = 0;
    while let Some(at) = xml[from..].find(&tag) {
        let start = from + at;
        let next = xml[start + tag.len()..].chars().next();
        if matches!(next, Some(c) if c == '>' || c == '/' || c.is_whitespace()) {
            return Some(start);
        }
        from = start + tag.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_progress_message_is_read_as_juniper_s_client_reads_it() {
        let xml = "<?xml version=\"1.0\"?><progress-update type=\"parallel-progress\">\
                   <job href=\"/api/space/job-management/jobs/7\"></job><taskId>7</taskId>\
                   <state>DONE</state><data>a &lt; b</data></progress-update>";
        let message = QueueMessage::parse(xml).expect("a progress message");
        assert_eq!(message.task_id, Some(7));
        assert_eq!(message.state, "DONE");
        assert_eq!(
            message.job_href.as_deref(),
            Some("/api/space/job-management/jobs/7")
        );
        assert!(message.is_end());
        assert_eq!(element_text(xml, "data").as_deref(), Some("a < b"));
        let running = QueueMessage::parse("<p><taskId>8</taskId><state>INPROGRESS</state></p>")
            .expect("a message");
        assert!(!running.is_end() && running.job_href.is_none());
        assert_eq!(QueueMessage::parse("<other/>"), None);
        // `<stateX>` is not `<state>`.
        assert_eq!(
            element_text("<stateX>1</stateX><state>2</state>", "state").as_deref(),
            Some("2")
        );
        assert_eq!(
            attribute("<job id='1' href='/x'/>", "job", "href").as_deref(),
            Some("/x")
        );
        assert_eq!(attribute("<job xhref='/y'/>", "job", "href"), None);
    }
}
