//! Where a collection's links lead. A member's own link (an `@href` or `@uri` in the collection
//! listed) must lead to that member, read by the GET the spec has for it (`getDevice` for a
//! device's `@href`), with the same id. A link elsewhere is a reference to another resource
//! (a tag's target names the object it tags in `@href`): it must lead to a member the server
//! has, where the spec has a read for it. Found through the model: the member read is the GET
//! whose path the link fits; a collection whose members have no such read is skipped. The
//! first few members are followed, which is enough to see a server that links wrongly and
//! keeps a run short.
//!
//! What a link is, is documented: a member's `@href` is its URI (SDK 13.1 and 22.3 collection
//! samples, `<device href="/api/space/device-management/devices/{id}">`); a tag's target's
//! `@href` is the object it tags and its `@uri` its own URI (SDK 22.2 JSTagManagerSvc
//! `index.html`, `rest.tags.id.targets.html`). So a member's own link that leads elsewhere
//! fails; a reference whose object is gone warns (`references-resolve`): no source says what
//! a server does with a reference to an object deleted since (a run's `--writes` delete one).

use std::time::Instant;

use junos_space_model::Api;
use junos_space_model::api::member_id;
use serde_json::Value;

use super::ground::{Ground, Problem, REFERENCES_RESOLVE};
use super::outcome::{Outcome, ProbeResult};
use super::resolve::{below_base, member_reader};
use super::semantics::Listing;
use super::target::{Exchange, Request, Target};

/// Members followed per collection, at most.
const FOLLOWED: usize = 3;

/// One link of a listed member.
struct Link {
    href: String,
    /// The listed member's id.
    listed_id: Option<String>,
    /// Whether it names a member of the collection listed (the member's own link), rather
    /// than a resource elsewhere.
    own: bool,
}

/// The check of `listing`'s links, or none when its members have no read of their own and
/// no reference the spec can read.
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
    let own_prefix = format!("{}{}/", listing.operation.base_path, listing.path);
    let is_own = |href: &str| {
        href.strip_prefix(&own_prefix)
            .is_some_and(|id| !id.is_empty() && !id.trim_end_matches('/').contains('/'))
    };
    let members = listing.collection.members(&answer);
    let mut links = Vec::new();
    for member in members.into_iter().take(FOLLOWED) {
        let listed_id = member_id(member);
        let href = member.get("@href").and_then(Value::as_str);
        let uri = member
            .get("@uri")
            .and_then(Value::as_str)
            .filter(|uri| Some(*uri) != href);
        for link in [href, uri].into_iter().flatten() {
            links.push(Link {
                href: link.to_owned(),
                listed_id: listed_id.clone(),
                own: is_own(link),
            });
        }
    }
    // A collection whose members have no read of their own is not judged on its own links;
    // a reference is followed only where the spec can read it.
    let own_readable = links
        .iter()
        .find(|link| link.own)
        .is_some_and(|link| member_reader(api, &link.href).is_some());
    links.retain(|link| {
        if link.own {
            own_readable
        } else {
            member_reader(api, &link.href).is_some()
        }
    });
    if links.is_empty() {
        return None;
    }
    let mut problems = Vec::new();
    let mut last = None;
    for Link {
        href,
        listed_id,
        own,
    } in &links
    {
        let Some(reader) = member_reader(api, href) else {
            problems.push(Problem::fact(format!(
                "`{href}` fits no read of a member the spec has"
            )));
            continue;
        };
        let path = below_base(api, href)
            .map_or(href.as_str(), |(_, below)| below)
            .to_owned();
        let read = Request::read(reader, path);
        match target.send(&read).await {
            Exchange::Answered {
                status: 200, body, ..
            } if *own => {
                let read_id = serde_json::from_slice::<Value>(&body)
                    .ok()
                    .and_then(|answer| the_member(&answer).and_then(member_id));
                if let (Some(listed), Some(read)) = (listed_id, &read_id)
                    && listed != read
                {
                    problems.push(Problem::fact(format!(
                        "`{href}` of member {listed} leads to member {read}"
                    )));
                }
            }
            Exchange::Answered { status: 200, .. } => {}
            Exchange::Answered { status, .. } => {
                let ground = if *own {
                    Ground::Fact
                } else {
                    Ground::Kit(&REFERENCES_RESOLVE)
                };
                problems.push(Problem::on(
                    ground,
                    format!("`{href}` answers {status} to {}", reader.id),
                ));
            }
            Exchange::NoAnswer(why) => {
                problems.push(Problem::fact(format!("`{href}`: no answer: {why}")));
            }
        }
        last = Some(read);
    }
    let outcome = match (problems.is_empty(), last) {
        (true, _) => Outcome::Passed {
            status: 200,
            content_type: None,
        },
        (false, Some(read)) => Outcome::fell_short(problems, target.curl(&read)),
        (false, None) => Outcome::fell_short(problems, target.curl(&request)),
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
