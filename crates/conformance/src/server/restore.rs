//! A write that replaces a document (a platform settings document, an application's settings:
//! a `PUT` on a path that a `GET` of the same path reads, no collection and no member's own
//! path) changes what the server does for every user. The run reads the document before the
//! acting probe, checks after it that a read shows what was written (the kit's decision
//! `put-reads-back`, which only warns: RFC 9110 §9.3.4 says a successful PUT suggests a later
//! GET reads the state sent, no more), and puts the copy read before back,
//! so that a run against a real server leaves its settings as it found them.
//!
//! Found through the spec: the read is the `GET` of the same path whose answer type is the
//! representation the write sends (the same resource and version, `charset` aside), so the
//! copy read can be sent back as it is.

use junos_space_model::Api;
use junos_space_model::api::{HttpMethod, Operation};
use serde_json::Value;

use super::ground::{Ground, PUT_READS_BACK, Problem};
use super::outcome::{Outcome, ProbeResult};
use super::target::{Auth, Exchange, Request, Target, own_base};

/// The document a write replaces, as read before it acted.
pub struct Saved<'a> {
    /// The `GET` that reads it.
    pub read: &'a Operation,
    /// Where, below the API URL.
    pub path: String,
    /// The answer's body, as read.
    pub copy: Vec<u8>,
}

/// The read of the document `write` replaces: a `GET` of the same path that lists no
/// collection, on a path that names no member last, answering the representation the write
/// sends. `None`: `write` replaces no document.
pub fn read_of<'a>(api: &'a Api, write: &Operation) -> Option<&'a Operation> {
    if write.method != HttpMethod::Put || write.path.ends_with('}') {
        return None;
    }
    let sent = &write.request.as_ref()?.content.media_type;
    api.operations().iter().find(|read| {
        read.method == HttpMethod::Get
            && read.path == write.path
            && read.collection.is_none()
            && read
                .accept
                .iter()
                .any(|content| content.media_type.is_same_representation(sent))
    })
}

/// Reads the document at `path` that `write` is about to replace; `None` where `write`
/// replaces none, `Err` where it cannot be read.
pub async fn save<'a>(
    api: &'a Api,
    write: &Operation,
    path: &str,
    target: &Target,
) -> Option<Result<Saved<'a>, String>> {
    let read = read_of(api, write)?;
    let request = Request::read(read, path.to_owned());
    Some(match target.send(&request).await {
        Exchange::Answered { status, body, .. } if (200..300).contains(&status) => Ok(Saved {
            read,
            path: path.to_owned(),
            copy: body.to_vec(),
        }),
        Exchange::Answered { status, .. } => Err(format!("{} answered {status}", read.id)),
        Exchange::NoAnswer(why) => Err(format!("{}: no answer: {why}", read.id)),
    })
}

/// After the write's success with `sent`: the document read again shows every value `sent`
/// holds, and the copy read before is put back. One result each.
pub async fn check_and_put_back(
    write: &Operation,
    saved: &Saved<'_>,
    sent: Option<&[u8]>,
    target: &Target,
) -> Vec<ProbeResult> {
    let mut results = Vec::new();
    let started = std::time::Instant::now();
    let request = Request::read(saved.read, saved.path.clone());
    let sent: Option<Value> = sent.and_then(|body| serde_json::from_slice(body).ok());
    let outcome = match (target.send(&request).await, sent) {
        (_, None) => Outcome::Skipped {
            why: "the write sent no JSON body".into(),
        },
        (Exchange::Answered { status, body, .. }, Some(sent)) if (200..300).contains(&status) => {
            match serde_json::from_slice::<Value>(&body) {
                Ok(read) => match read_back_problem(&saved.read.id, &sent, &read) {
                    None => Outcome::Passed {
                        status,
                        content_type: None,
                    },
                    Some(problem) => Outcome::fell_short(vec![problem], target.curl(&request)),
                },
                Err(why) => Outcome::failed(
                    format!("{} answers no JSON after the write: {why}", saved.read.id),
                    target.curl(&request),
                ),
            }
        }
        (Exchange::Answered { status, .. }, Some(_)) => Outcome::failed(
            format!("{} answers {status} after the write", saved.read.id),
            target.curl(&request),
        ),
        (Exchange::NoAnswer(why), Some(_)) => {
            Outcome::failed(format!("no answer: {why}"), target.curl(&request))
        }
    };
    results.push(ProbeResult::new(
        write,
        &format!("effect: {} reads what was written", saved.read.id),
        outcome,
        started,
    ));

    let started = std::time::Instant::now();
    let request = Request {
        method: "PUT",
        path: saved.path.clone(),
        base: own_base(write),
        accept: write.accept_header(),
        content_type: write.content_type().map(str::to_owned),
        body: Some(saved.copy.clone()),
        auth: Auth::Account,
        session: None,
    };
    let outcome = match target.send(&request).await {
        Exchange::Answered {
            status,
            content_type,
            ..
        } if (200..300).contains(&status) => Outcome::Passed {
            status,
            content_type,
        },
        Exchange::Answered { status, .. } => Outcome::failed(
            format!(
                "the copy {} read before the write is refused ({status}): the server keeps \
                 what the run wrote",
                saved.read.id
            ),
            target.curl(&request),
        ),
        Exchange::NoAnswer(why) => {
            Outcome::failed(format!("no answer: {why}"), target.curl(&request))
        }
    };
    results.push(ProbeResult::new(
        write,
        "restore: the copy read before is put back",
        outcome,
        started,
    ));
    results
}

/// Where `read` differs from a value `sent` holds (a JSON pointer), each object's fields
/// compared one by one; a number and its decimal text are the same value (a real server
/// writes some numbers as text).
fn first_difference(sent: &Value, read: &Value, at: String) -> Option<String> {
    match (sent, read) {
        (Value::Object(sent), Value::Object(read)) => sent.iter().find_map(|(name, value)| {
            let at = format!("{at}/{}", name.replace('~', "~0").replace('/', "~1"));
            match read.get(name) {
                Some(found) => first_difference(value, found, at),
                None => Some(at),
            }
        }),
        (Value::Number(number), Value::String(text))
        | (Value::String(text), Value::Number(number))
            if number.to_string() == *text =>
        {
            None
        }
        (sent, read) if sent == read => None,
        _ => Some(if at.is_empty() { "/".into() } else { at }),
    }
}

/// What is wrong with `read`, the document `read_id` answered after a write sent `sent`: the
/// first value written that it does not show, on the kit's decision `put-reads-back`.
fn read_back_problem(read_id: &str, sent: &Value, read: &Value) -> Option<Problem> {
    let at = first_difference(sent, read, String::new())?;
    Some(Problem::on(
        Ground::Kit(&PUT_READS_BACK),
        format!("after the write, {read_id} reads {at} otherwise than written"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_settings_put_replaces_the_document_its_get_reads_and_a_member_update_none() {
        let api = Api::bundled().expect("the bundled spec reads");
        let read = |id: &str| read_of(api, api.operation(id).expect("in the spec")).map(|o| &o.id);
        assert_eq!(
            read("updateUserSettings").map(String::as_str),
            Some("getUserSettings")
        );
        assert_eq!(
            read("updateApplicationSettings").map(String::as_str),
            Some("getApplicationSettings")
        );
        assert_eq!(read("updateTag"), None);
        assert_eq!(read("createTag"), None);
    }

    #[test]
    fn a_difference_is_named_by_its_pointer() {
        let read = json!({"user": {"@uri": "/u", "auto-logout": 30, "b": "5"}});
        assert_eq!(
            first_difference(
                &json!({"user": {"auto-logout": 30, "b": 5}}),
                &read,
                String::new()
            ),
            None
        );
        assert_eq!(
            first_difference(&json!({"user": {"auto-logout": 50}}), &read, String::new()),
            Some("/user/auto-logout".into())
        );
        assert_eq!(
            first_difference(&json!({"user": {"c": 1}}), &read, String::new()),
            Some("/user/c".into())
        );
    }

    #[test]
    fn a_document_read_otherwise_than_written_only_warns() {
        let read = json!({"user": {"auto-logout": 30}});
        let problem = read_back_problem(
            "getUserSettings",
            &json!({"user": {"auto-logout": 50}}),
            &read,
        )
        .expect("a value differs");
        assert!(!problem.ground.is_fact(), "{problem}");
        assert!(
            problem.to_string().contains("`put-reads-back`"),
            "{problem}"
        );
        assert!(matches!(
            Outcome::fell_short(vec![problem], String::new()),
            Outcome::Warned { .. }
        ));
        assert!(
            read_back_problem(
                "getUserSettings",
                &json!({"user": {"auto-logout": 30}}),
                &read
            )
            .is_none()
        );
    }
}
