//! Where a collection's links lead: the `@href` of each member a collection lists must lead to
//! that member, read by the GET the spec has for it (`getDevice` for a device's `@href`), with
//! the same id. Found through the model: the member read is the GET whose path the `@href`
//! fits; a collection whose members have no such read is skipped. The first few members are
//! followed, which is enough to see a server that links wrongly and keeps a run short.
//!
//! What a link is, is documented: a member's `@href` is its URI (SDK 13.1 and 22.3 collection
//! samples, `<device href="/api/space/device-management/devices/{id}">`).

use std::time::Instant;

use junos_space_model::Api;
use junos_space_model::api::member_id;
use serde_json::Value;

use super::outcome::{Outcome, ProbeResult};
use super::resolve::member_reader;
use super::semantics::Listing;
use super::target::{Exchange, Request, Target};

/// Members followed per collection, at most.
const FOLLOWED: usize = 3;

/// The check of `listing`'s links, or none when its members have no read of their own.
pub async fn check(api: &Api, listing: &Listing<'_>, target: &Target) -> Option<ProbeResult> {
    let started = Instant::now();
    let request = Request::read(listing.operation, listing.path.to_owned());
    let Exchange::Answered {
        status: 200, body, ..
    } = target.send(&request).await
    else {
        // The collection's own checks say why it cannot be read.
        return None;
    };
    let answer: Value = serde_json::from_slice(&body).ok()?;
    let links: Vec<(String, Option<String>)> = listing
        .collection
        .members(&answer)
        .into_iter()
        .filter_map(|member| {
            let href = member.get("@href")?.as_str()?.to_owned();
            Some((href, member_id(member)))
        })
        .take(FOLLOWED)
        .collect();
    let (first, _) = links.first()?;
    member_reader(api, first)?;
    let mut problems = Vec::new();
    let mut last = None;
    for (href, listed_id) in &links {
        let Some(reader) = member_reader(api, href) else {
            problems.push(format!("`{href}` fits no read of a member the spec has"));
            continue;
        };
        let path = href
            .strip_prefix(api.base_path())
            .unwrap_or(href)
            .to_owned();
        let read = Request::read(reader, path);
        match target.send(&read).await {
            Exchange::Answered {
                status: 200, body, ..
            } => {
                let read_id = serde_json::from_slice::<Value>(&body)
                    .ok()
                    .and_then(|answer| the_member(&answer).and_then(member_id));
                if let (Some(listed), Some(read)) = (listed_id, &read_id)
                    && listed != read
                {
                    problems.push(format!(
                        "`{href}` of member {listed} leads to member {read}"
                    ));
                }
            }
            Exchange::Answered { status, .. } => {
                problems.push(format!("`{href}` answers {status} to {}", reader.id));
            }
            Exchange::NoAnswer(why) => problems.push(format!("`{href}`: no answer: {why}")),
        }
        last = Some(read);
    }
    let outcome = match (problems.is_empty(), last) {
        (true, _) => Outcome::Passed {
            status: 200,
            content_type: None,
        },
        (false, Some(read)) => Outcome::failed(problems.join("; "), target.curl(&read)),
        (false, None) => Outcome::failed(problems.join("; "), target.curl(&request)),
    };
    Some(ProbeResult::new(
        listing.operation,
        "links: each member's @href leads to it",
        outcome,
        started,
    ))
}

/// The member a read answers: the one object it wraps (`{"device": {...}}`), or itself.
fn the_member(answer: &Value) -> Option<&Value> {
    match answer.as_object()? {
        fields if fields.len() == 1 => fields.values().next().filter(|v| v.is_object()),
        _ => Some(answer),
    }
}
