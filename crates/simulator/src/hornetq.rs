//! The HornetQ REST interface a real Junos Space serves beside `/api/space`, at
//! `/api/hornet-q`: queues that the `queue` parameter of an asynchronous call names, and the
//! progress messages of its job, pulled from them. Not in `spec/` (XML only, and outside the
//! API's base path; `spec/README.md`, "HornetQ queues"), so served here from these facts:
//!
//! - `POST /api/hornet-q/queues` with `Content-Type: application/hornetq.jms.queue+xml` and
//!   `<queue name="N"><durable>false</durable></queue>` makes queue `N`: 201, or 412 when it
//!   exists (PSP `async.py`, SAC `space_queue.py`); `DELETE .../queues/jms.queue.N` removes
//!   it: 204, or 405 when there is none (the same).
//! - `POST .../queues/jms.queue.N/pull-consumers` makes a consumer: 201 with the URL of its
//!   first pull in `msg-consume-next`; a `POST` there (with `accept-wait: S`) answers the next
//!   message, 200, or 503 when none came within `S` seconds, each with the next pull's URL in
//!   `msg-consume-next` (PSP `async.py`, which reads that header after every pull).
//! - A message is the progress update of a job that names the queue, in XML: PSP reads its
//!   `taskId`, `state` and `job` `href`, the fields of the job's progress-update. One message
//!   per state a job reaches (a decision: no source says how often a server sends them).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use junos_space_model::api::error_page::escape_markup;
use serde_json::Value;

use crate::answer::Answer;
use crate::state::{SharedState, State};
use crate::store::Stores;

/// The path segments the interface is served below.
const ROOT: [&str; 2] = ["api", "hornet-q"];

/// The media type of a queue's description.
const QUEUE_TYPE: &str = "application/hornetq.jms.queue+xml";

/// What a queue is named in its URL: `jms.queue.` and its name.
const QUEUE_PREFIX: &str = "jms.queue.";

/// The longest a pull waits for a message, whatever `accept-wait` asks.
const LONGEST_WAIT: Duration = Duration::from_secs(30);

/// How often a waiting pull looks for a message.
const LOOK_EVERY: Duration = Duration::from_millis(20);

/// The queues, their consumers, and what each consumer has been sent.
#[derive(Debug, Default)]
pub(crate) struct Queues {
    queues: BTreeMap<String, Queue>,
    next_consumer: u64,
}

#[derive(Debug, Default)]
struct Queue {
    /// The jobs whose calls named this queue, in the order they started.
    jobs: Vec<u64>,
    consumers: BTreeMap<u64, Consumer>,
}

#[derive(Debug, Default)]
struct Consumer {
    /// The last state of each job a message has told this consumer.
    told: BTreeMap<u64, String>,
    /// The number of the next pull (`consume-next-N`).
    next: u64,
}

impl Queues {
    /// Makes job `key` send its progress to the queue `url` names (the `queue` parameter: a
    /// URL whose last segment is `jms.queue.NAME`), if that queue exists.
    pub fn watch(&mut self, url: &str, key: u64) {
        let name = url
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .and_then(|last| last.strip_prefix(QUEUE_PREFIX));
        if let Some(queue) = name.and_then(|name| self.queues.get_mut(name)) {
            queue.jobs.push(key);
        }
    }
}

/// A request below `/api/hornet-q`, as the stage before it read it.
#[derive(Debug)]
pub(crate) struct Request<'a> {
    pub method: &'a str,
    /// The segments after `api/hornet-q`.
    pub segments: Vec<&'a str>,
    pub content_type: Option<&'a str>,
    pub accept_wait: Option<&'a str>,
    pub body: &'a [u8],
    /// `http://host:port`, for the URLs the answers name.
    pub origin: String,
}

/// The segments of `path` below `/api/hornet-q`, when it is there (`//` merged as the web tier
/// merges it).
pub(crate) fn below_root(path: &str) -> Option<Vec<&str>> {
    let mut segments = path.split('/').filter(|s| !s.is_empty());
    ROOT.iter()
        .all(|root| segments.next() == Some(*root))
        .then(|| segments.collect())
}

/// Answers `request`, an authenticated one.
pub(crate) async fn handle(state: &SharedState, request: Request<'_>) -> Answer {
    let base = format!("{}/{}", request.origin, ROOT.join("/"));
    match (request.method, request.segments.as_slice()) {
        ("POST", ["queues"]) => create(state, &request, &base),
        (method, ["queues", queue]) => {
            let Some(name) = queue.strip_prefix(QUEUE_PREFIX) else {
                return not_found();
            };
            match method {
                "DELETE" => delete(state, name),
                "HEAD" | "GET" => describe(state, name, &base),
                _ => not_allowed("GET, HEAD, DELETE"),
            }
        }
        ("POST", ["queues", queue, "pull-consumers"]) => match queue.strip_prefix(QUEUE_PREFIX) {
            Some(name) => new_consumer(state, name, &base),
            None => not_found(),
        },
        (
            "POST",
            [
                "queues",
                queue,
                "pull-consumers",
                "auto-ack",
                consumer,
                pull,
            ],
        ) => {
            let name = queue.strip_prefix(QUEUE_PREFIX);
            let consumer = consumer.parse::<u64>().ok();
            let pull = pull
                .strip_prefix("consume-next-")
                .and_then(|n| n.parse::<u64>().ok());
            match (name, consumer, pull) {
                (Some(name), Some(consumer), Some(pull)) => {
                    let wait = wait_of(request.accept_wait);
                    pull_message(state, name, consumer, pull, wait, &base).await
                }
                _ => not_found(),
            }
        }
        (_, ["queues", ..]) => not_allowed("POST"),
        _ => not_found(),
    }
}

fn create(state: &SharedState, request: &Request<'_>, base: &str) -> Answer {
    let takes = request
        .content_type
        .and_then(|sent| junos_space_model::MediaType::parse(sent).ok())
        .and_then(|sent| {
            let queue = junos_space_model::MediaType::parse(QUEUE_TYPE).ok()?;
            Some(queue.is_same_representation(&sent))
        });
    if takes != Some(true) {
        return Answer::page(415, &format!("a queue is described as {QUEUE_TYPE}"));
    }
    let Some(name) = queue_name(request.body) else {
        return Answer::text(400, "expected <queue name=\"...\">...</queue>");
    };
    let mut state = state.write();
    if state.queues.queues.contains_key(&name) {
        return Answer::text(412, &format!("queue {name} exists"));
    }
    state.queues.queues.insert(name.clone(), Queue::default());
    Answer::text(201, "").with_header("location", format!("{base}/queues/{QUEUE_PREFIX}{name}"))
}

fn delete(state: &SharedState, name: &str) -> Answer {
    match state.write().queues.queues.remove(name) {
        Some(_) => Answer::text(204, ""),
        // What a real server answers for a queue it does not have (SAC reads it as "absent").
        None => not_allowed("POST"),
    }
}

fn describe(state: &SharedState, name: &str, base: &str) -> Answer {
    if !state.read().queues.queues.contains_key(name) {
        return not_found();
    }
    let queue = format!("{base}/queues/{QUEUE_PREFIX}{name}");
    Answer::text(200, "").with_header("msg-pull-consumers", format!("{queue}/pull-consumers"))
}

fn new_consumer(state: &SharedState, name: &str, base: &str) -> Answer {
    let mut state = state.write();
    let consumer = state.queues.next_consumer + 1;
    let Some(queue) = state.queues.queues.get_mut(name) else {
        return not_found();
    };
    queue.consumers.insert(consumer, Consumer::default());
    state.queues.next_consumer = consumer;
    let at = format!("{base}/queues/{QUEUE_PREFIX}{name}/pull-consumers/auto-ack/{consumer}");
    Answer::text(201, "")
        .with_header("location", at.clone())
        .with_header("msg-consume-next", format!("{at}/consume-next-1"))
}

/// The next message of `consumer`, waiting up to `wait` for one.
async fn pull_message(
    state: &SharedState,
    name: &str,
    consumer: u64,
    pull: u64,
    wait: Duration,
    base: &str,
) -> Answer {
    let at = format!("{base}/queues/{QUEUE_PREFIX}{name}/pull-consumers/auto-ack/{consumer}");
    let until = Instant::now() + wait;
    loop {
        // The lock is let go before any wait.
        let found = next_message(&mut state.write(), name, consumer, pull);
        match found {
            Err(answer) => return answer,
            Ok(Some(message)) => {
                return Answer::xml(200, message).with_header(
                    "msg-consume-next",
                    format!("{at}/consume-next-{}", pull + 1),
                );
            }
            Ok(None) if Instant::now() >= until => {
                return Answer::text(503, "no message")
                    .with_header("msg-consume-next", format!("{at}/consume-next-{pull}"));
            }
            Ok(None) => tokio::time::sleep(LOOK_EVERY).await,
        }
    }
}

/// A message for `consumer` if a job of the queue reached a state it was not told yet; an
/// error answer for a queue or consumer that does not exist.
fn next_message(
    state: &mut State,
    name: &str,
    consumer: u64,
    pull: u64,
) -> Result<Option<String>, Answer> {
    let State {
        stores,
        jobs,
        queues,
        ..
    } = state;
    jobs.refresh(stores, Instant::now());
    let queue = queues.queues.get_mut(name).ok_or_else(not_found)?;
    let reader = queue.consumers.get_mut(&consumer).ok_or_else(not_found)?;
    if pull < reader.next {
        // A pull already answered: HornetQ answers it again with nothing new.
        return Ok(None);
    }
    for key in &queue.jobs {
        let Some(progress) = progress_of(stores, *key) else {
            continue;
        };
        let state = progress
            .get("state")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if reader.told.get(key).map(String::as_str) != Some(state) {
            reader.told.insert(*key, state.to_owned());
            reader.next = pull + 1;
            return Ok(Some(xml("progress-update", progress)));
        }
    }
    Ok(None)
}

/// The progress update a job keeps beside its view.
fn progress_of(stores: &Stores, key: u64) -> Option<&Value> {
    stores
        .member(crate::jobs::JOBS, key)?
        .get("#progress-update")
}

/// The name of `<queue name="...">`, as XML writes it (either quote).
fn queue_name(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    let start = text.find("<queue")?;
    let tag = &text[start..start + text[start..].find('>')?];
    let after = &tag[tag.find("name")? + "name".len()..];
    let after = after.trim_start().strip_prefix('=')?.trim_start();
    let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &after[1..];
    let name = &value[..value.find(quote)?];
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c));
    valid.then(|| name.to_owned())
}

/// How long a pull may wait: `accept-wait` seconds, at most [`LONGEST_WAIT`]; none without.
fn wait_of(accept_wait: Option<&str>) -> Duration {
    accept_wait
        .and_then(|seconds| seconds.trim().parse::<f64>().ok())
        .filter(|seconds| seconds.is_finite() && *seconds > 0.0)
        .map_or(Duration::ZERO, |seconds| {
            Duration::from_secs_f64(seconds).min(LONGEST_WAIT)
        })
}

/// `value` as an XML element `name`: `@` members as attributes, objects as elements.
fn xml(name: &str, value: &Value) -> String {
    let mut out = String::new();
    element(name, value, &mut out);
    out
}

fn element(name: &str, value: &Value, out: &mut String) {
    out.push('<');
    out.push_str(name);
    match value {
        Value::Object(members) => {
            for (attribute, text) in members.iter().filter(|(k, _)| k.starts_with('@')) {
                out.push_str(&format!(
                    " {}=\"{}\"",
                    &attribute[1..],
                    escape_markup(&scalar(text))
                ));
            }
            out.push('>');
            for (child, member) in members.iter().filter(|(k, _)| !k.starts_with('@')) {
                element(child, member, out);
            }
        }
        other => {
            out.push('>');
            out.push_str(&escape_markup(&scalar(other)));
        }
    }
    out.push_str(&format!("</{name}>"));
}

fn scalar(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn not_found() -> Answer {
    Answer::page(404, "The requested resource is not available.")
}

fn not_allowed(allow: &str) -> Answer {
    Answer::page(
        405,
        "The specified HTTP method is not allowed for the requested resource.",
    )
    .with_header("allow", allow.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn queue_names_are_read_from_the_description() {
        let named = |body: &str| queue_name(body.as_bytes());
        assert_eq!(
            named(r#"<queue name="jobs-1"><durable>false</durable></queue>"#).as_deref(),
            Some("jobs-1")
        );
        assert_eq!(named("<queue name='q.2' />").as_deref(), Some("q.2"));
        for refused in [
            "<queue/>",
            "<queue name=\"\"/>",
            "<queue name=\"a/b\"/>",
            "queue",
        ] {
            assert_eq!(named(refused), None, "{refused}");
        }
    }

    #[test]
    fn paths_below_the_root_and_waits_are_read_as_a_server_reads_them() {
        assert_eq!(
            below_root("//api/hornet-q/queues/jms.queue.a"),
            Some(vec!["queues", "jms.queue.a"])
        );
        assert_eq!(below_root("/api/space/x"), None);
        assert_eq!(wait_of(Some("2")), Duration::from_secs(2));
        assert_eq!(wait_of(Some("999")), LONGEST_WAIT);
        assert_eq!(wait_of(Some("soon")), Duration::ZERO);
        assert_eq!(wait_of(None), Duration::ZERO);
    }

    #[test]
    fn a_progress_update_is_written_as_xml() {
        let progress = json!({
            "@type": "parallel-progress",
            "job": {"@href": "/api/space/job-management/jobs/7"},
            "taskId": 7,
            "state": "DONE",
            "data": "a < b & c",
        });
        assert_eq!(
            xml("progress-update", &progress),
            "<progress-update type=\"parallel-progress\"><job href=\"/api/space/job-management/jobs/7\"></job>\
             <taskId>7</taskId><state>DONE</state><data>a &lt; b &amp; c</data></progress-update>"
        );
    }

    #[test]
    fn a_job_naming_a_queue_is_watched_by_it_and_others_are_not() {
        let mut queues = Queues::default();
        queues.queues.insert("q".into(), Queue::default());
        queues.watch("http://localhost:8080/api/hornet-q/queues/jms.queue.q", 7);
        queues.watch(
            "http://localhost:8080/api/hornet-q/queues/jms.queue.other",
            8,
        );
        queues.watch("q", 9);
        assert_eq!(queues.queues["q"].jobs, [7]);
    }
}
