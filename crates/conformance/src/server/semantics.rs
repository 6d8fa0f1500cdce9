//! What a collection's answers must mean, beyond their shape, for every collection of the spec:
//! the count attribute equals the members, `paging` keeps to its limit and its pages cover the
//! collection once, a `filter` keeps exactly the members it names, and a malformed `paging`,
//! `filter` or `sortby` is refused with 400.
//!
//! The members are read through the model's collection ([`Collection::members`]) in every form
//! a real server writes them. Each check is a result of its own; a check the collection cannot
//! support (too few members, no parameter) is skipped with the reason. Run after the writes,
//! when the collections they fill (jobs) have members. What paging and filtering mean is
//! documented (SDK 13.1 `filtsortsupp.html`); what the count counts is as documented as the
//! count attribute itself (its provenance in the model).
//!
//! A collection that changes while it is walked (a job of the writes adding a device, another
//! client at work on a real server) cannot be judged: the checks are made again on the
//! collection as it then is, and skipped, saying so, if it never holds still.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use junos_space_model::Api;
use junos_space_model::api::{Collection, Operation, ParameterLocation, member_id};
use junos_space_runtime::query::{Filter, Paging};
use serde_json::Value;

use super::ground::{Ground, Problem};
use super::outcome::{Outcome, ProbeResult};
use super::resolve::encode_segment;
use super::target::{Exchange, Request, Target};

/// Pages the walk splits a collection into, at most (plus one past the end).
const PAGES: usize = 4;

/// How many times a collection is checked when it changes under the checks.
const ATTEMPTS: usize = 3;

/// A value of each query parameter that breaks the server's grammar.
const MALFORMED: [(&str, &str); 3] = [
    ("paging", "(start eq first, limit eq)"),
    ("filter", "(name eq)"),
    ("sortby", "(name(sideways))"),
];

/// One collection read: the request, and the members and count of its answer.
struct Read {
    request: Request,
    status: u16,
    content_type: Option<String>,
    members: Vec<Value>,
    count: Option<u64>,
}

/// Why a read gave no members to judge.
struct Unreadable {
    request: Request,
    why: String,
}

/// One collection of the server: the operation that lists it, its shape in the model, and the
/// request path below the API URL.
pub struct Listing<'a> {
    pub operation: &'a Operation,
    pub collection: &'a Collection,
    pub path: &'a str,
}

/// The checks of one collection, made on a collection that held still while they ran.
pub async fn check_collection(
    api: &Api,
    listing: &Listing<'_>,
    target: &Target,
) -> Vec<ProbeResult> {
    let started = Instant::now();
    for _ in 0..ATTEMPTS {
        let (results, before) = check_once(api, listing, target).await;
        let Some(before) = before else {
            return results;
        };
        let after = read(listing, &[], target)
            .await
            .ok()
            .map(|read| members_of(&read));
        if after.as_ref() == Some(&before) {
            return results;
        }
    }
    let why = format!("its members changed while it was read, {ATTEMPTS} times over");
    vec![ProbeResult::new(
        listing.operation,
        "collection: holds still to be judged",
        Outcome::Skipped { why },
        started,
    )]
}

/// Who the members of a read are.
fn members_of(read: &Read) -> BTreeSet<String> {
    read.members.iter().map(identity).collect()
}

/// The checks of one collection, and who its members were when they began (none when it
/// could not be read).
async fn check_once(
    api: &Api,
    listing: &Listing<'_>,
    target: &Target,
) -> (Vec<ProbeResult>, Option<BTreeSet<String>>) {
    let operation = listing.operation;
    let mut results = Vec::new();
    let mut record = |probe: &str, outcome: Outcome, started: Instant| {
        results.push(ProbeResult::new(operation, probe, outcome, started));
    };
    let started = Instant::now();
    let whole = match read(listing, &[], target).await {
        Ok(whole) => whole,
        Err(Unreadable { request, why }) => {
            let failure = Outcome::failed(
                format!("the collection cannot be read: {why}"),
                target.curl(&request),
            );
            record("collection: readable", failure, started);
            return (results, None);
        }
    };
    let before = members_of(&whole);
    let total = whole.members.len();
    let takes = |name: &str| {
        operation
            .parameters_in(ParameterLocation::Query)
            .any(|p| p.name == name)
    };

    let outcome = match (&listing.collection.count, whole.count) {
        (None, _) => Outcome::Skipped {
            why: "the spec names no count attribute for this collection".into(),
        },
        (Some(_), _) if whole.status == 204 => passed(&whole),
        (Some(_), Some(count)) if count == total as u64 => passed(&whole),
        (Some(declared), Some(count)) => judged(
            &whole,
            vec![Problem::on(
                Ground::of(&declared.provenance),
                format!(
                    "`{}` counts {count} members, the answer holds {total}",
                    declared.name
                ),
            )],
            target,
        ),
        // Whether the count must be there, and be a number, is the schema's to judge.
        (Some(declared), None) => Outcome::Skipped {
            why: format!("the answer carries no readable `{}`", declared.name),
        },
    };
    record("count: equals the members", outcome, started);

    let started = Instant::now();
    if !takes("paging") {
        record(
            "paging: pages",
            skipped("the operation takes no `paging`"),
            started,
        );
    } else if total == 0 {
        record("paging: pages", skipped("the collection is empty"), started);
    } else {
        let (limit, cover) = check_paging(listing, target, &whole).await;
        record("paging: limit honoured", limit, started);
        record("paging: pages cover the collection once", cover, started);
    }

    let started = Instant::now();
    let outcome = if !takes("filter") {
        skipped("the operation takes no `filter`")
    } else {
        // A field the spec names for the member: a server filters on its documented fields.
        let item = api.schema(listing.collection.item);
        let named = |field: &str| item.property(field).is_some();
        match filter_candidate(&whole.members, named) {
            None => skipped("no member has a text field to filter on"),
            Some((field, value)) => check_filter(listing, target, &whole, &field, &value).await,
        }
    };
    record(
        "filter: eq keeps exactly the named members",
        outcome,
        started,
    );

    for (parameter, malformed) in MALFORMED.iter().filter(|(name, _)| takes(name)) {
        let started = Instant::now();
        let query = [(*parameter, (*malformed).to_owned())];
        // A request outside the documented grammar is a client error (RFC 9110, 400).
        let outcome = match read(listing, &query, target).await {
            Ok(read) if read.status == 400 => passed(&read),
            Ok(read) => judged(
                &read,
                vec![Problem::fact(format!(
                    "malformed {parameter}={malformed} answered {}, expected 400",
                    read.status
                ))],
                target,
            ),
            Err(Unreadable { request, why }) => Outcome::failed(
                format!("malformed {parameter}={malformed}: {why}, expected 400"),
                target.curl(&request),
            ),
        };
        record(
            &format!("{parameter}: malformed is refused"),
            outcome,
            started,
        );
    }
    (results, Some(before))
}

/// Walks the collection in pages of a quarter of it; judges the limit, and that the pages
/// together hold each member of the whole listing exactly once.
async fn check_paging(listing: &Listing<'_>, target: &Target, whole: &Read) -> (Outcome, Outcome) {
    let total = whole.members.len();
    let limit = total.div_ceil(PAGES).max(1);
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut over_limit = Vec::new();
    let mut counts = Vec::new();
    let mut last = None;
    let count_ground = listing
        .collection
        .count
        .as_ref()
        .map_or(Ground::Fact, |count| Ground::of(&count.provenance));
    // One page past the end as well: it must be empty.
    for start in (0..=total).step_by(limit) {
        let paging = Paging {
            start: start as u64,
            limit: limit as u64,
        };
        let page = match read(listing, &[("paging", paging.to_string())], target).await {
            Ok(page) => page,
            Err(Unreadable { request, why }) => {
                let failure = Outcome::failed(
                    format!("page {paging} cannot be read: {why}"),
                    target.curl(&request),
                );
                return (failure.clone(), failure);
            }
        };
        if page.members.len() > limit {
            over_limit.push((
                Problem::fact(format!(
                    "page {paging} holds {} members, over its limit",
                    page.members.len()
                )),
                page.request.clone(),
            ));
        }
        if let Some(count) = page.count.filter(|count| *count != total as u64) {
            counts.push(Problem::on(
                count_ground.clone(),
                format!("page {paging} counts {count} members of {total}"),
            ));
        }
        for member in &page.members {
            *seen.entry(identity(member)).or_default() += 1;
        }
        last = Some(page);
    }
    let Some(last) = last else {
        // `0..=total` always holds 0: at least one page was read.
        return (skipped("no page was read"), skipped("no page was read"));
    };
    let limit_outcome = match over_limit.first() {
        None => passed(&last),
        Some((_, request)) => Outcome::judged(
            passed(&last),
            over_limit.iter().map(|(p, _)| p.clone()).collect(),
            || target.curl(request),
        ),
    };
    let mut problems = counts;
    for (member, times) in &seen {
        if *times > 1 {
            problems.push(Problem::fact(format!(
                "member {member} is on {times} pages"
            )));
        }
    }
    let expected: Vec<String> = whole.members.iter().map(identity).collect();
    let missing = expected.iter().filter(|m| !seen.contains_key(*m)).count();
    if missing > 0 {
        problems.push(Problem::fact(format!(
            "{missing} of the {total} members are on no page"
        )));
    }
    let extra = seen.keys().filter(|m| !expected.contains(m)).count();
    if extra > 0 {
        problems.push(Problem::fact(format!(
            "{extra} members on the pages are not in the whole listing"
        )));
    }
    let cover_outcome = judged(&last, problems, target);
    (limit_outcome, cover_outcome)
}

/// Asks for `field eq 'value'`: the answer must hold exactly the members of the whole listing
/// that carry that value.
async fn check_filter(
    listing: &Listing<'_>,
    target: &Target,
    whole: &Read,
    field: &str,
    value: &str,
) -> Outcome {
    let filter = Filter::eq(field, value).to_string();
    let filtered = match read(listing, &[("filter", filter.clone())], target).await {
        Ok(filtered) => filtered,
        Err(Unreadable { request, why }) => {
            return Outcome::failed(
                format!("filter {filter} cannot be read: {why}"),
                target.curl(&request),
            );
        }
    };
    if filtered.status == 400 {
        return skipped(&format!("the server does not filter on `{field}` (400)"));
    }
    let mut problems = Vec::new();
    let strays = filtered
        .members
        .iter()
        .filter(|m| text_of(m.get(field)).as_deref() != Some(value))
        .count();
    if strays > 0 {
        problems.push(Problem::fact(format!(
            "filter {filter} answers {strays} members whose `{field}` is not '{value}'"
        )));
    }
    let wanted = whole
        .members
        .iter()
        .filter(|m| text_of(m.get(field)).as_deref() == Some(value))
        .count();
    let kept = filtered.members.len() - strays;
    if kept != wanted {
        problems.push(Problem::fact(format!(
            "filter {filter} answers {kept} of the {wanted} members it names"
        )));
    }
    judged(&filtered, problems, target)
}

/// A text field of those `named` and a value to filter on: one that some members carry and
/// others do not, when there is one (so that ignoring the filter shows), else any.
fn filter_candidate(members: &[Value], named: impl Fn(&str) -> bool) -> Option<(String, String)> {
    let mut any = None;
    for member in members {
        let Value::Object(fields) = member else {
            continue;
        };
        for (name, value) in fields {
            if name.starts_with('@') || name == "id" || !named(name) {
                continue;
            }
            let Value::String(text) = value else { continue };
            if text.is_empty() {
                continue;
            }
            let sharing = members
                .iter()
                .filter(|m| text_of(m.get(name)).as_deref() == Some(text))
                .count();
            if sharing < members.len() {
                return Some((name.clone(), text.clone()));
            }
            any.get_or_insert_with(|| (name.clone(), text.clone()));
        }
    }
    any
}

fn text_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

/// The identities of every member of the collection, read whole; `Err` says why it could not
/// be read.
pub(super) async fn member_ids(
    listing: &Listing<'_>,
    target: &Target,
) -> Result<BTreeSet<String>, String> {
    match read(listing, &[], target).await {
        Ok(read) if read.status == 400 => Err("status 400".into()),
        Ok(read) => Ok(read.members.iter().map(identity).collect()),
        Err(Unreadable { why, .. }) => Err(why),
    }
}

/// What tells members apart: their id, else their whole JSON.
fn identity(member: &Value) -> String {
    member_id(member).unwrap_or_else(|| member.to_string())
}

/// Reads the collection with `query` (name, unencoded value) and its exact `Accept`. A 204 is
/// an empty collection; a 400 is kept for the caller to judge; any other success is read as
/// JSON.
async fn read(
    listing: &Listing<'_>,
    query: &[(&str, String)],
    target: &Target,
) -> Result<Read, Unreadable> {
    let mut path = listing.path.to_owned();
    for (index, (name, value)) in query.iter().enumerate() {
        let separator = if index == 0 { '?' } else { '&' };
        path.push_str(&format!("{separator}{name}={}", encode_segment(value)));
    }
    let request = Request::read(listing.operation, path);
    let read = |status, content_type, members, count| Read {
        request: request.clone(),
        status,
        content_type,
        members,
        count,
    };
    match target.send(&request).await {
        Exchange::Answered {
            status: status @ (204 | 400),
            content_type,
            ..
        } => Ok(read(status, content_type, Vec::new(), None)),
        // Whether the status and type are the documented ones is the probes' to judge; here
        // any success with a body is read.
        Exchange::Answered {
            status: status @ 200..=299,
            content_type,
            body,
        } => match serde_json::from_slice::<Value>(&body) {
            Ok(answer) => {
                let members = listing
                    .collection
                    .members(&answer)
                    .into_iter()
                    .cloned()
                    .collect();
                let count = listing.collection.declared_count_in(&answer);
                Ok(read(status, content_type, members, count))
            }
            Err(error) => Err(Unreadable {
                why: format!("the answer is not JSON: {error}"),
                request,
            }),
        },
        Exchange::Answered { status, .. } => Err(Unreadable {
            why: format!("status {status}"),
            request,
        }),
        Exchange::NoAnswer(why) => Err(Unreadable {
            why: format!("no answer: {why}"),
            request,
        }),
    }
}

fn passed(read: &Read) -> Outcome {
    Outcome::Passed {
        status: read.status,
        content_type: read.content_type.clone(),
    }
}

/// Passed when there are no `problems`, else failed or warned, reproduced by `read`'s request.
fn judged(read: &Read, problems: Vec<Problem>, target: &Target) -> Outcome {
    Outcome::judged(passed(read), problems, || target.curl(&read.request))
}

fn skipped(why: &str) -> Outcome {
    Outcome::Skipped { why: why.into() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_filter_prefers_a_value_that_tells_members_apart() {
        let members = vec![
            json!({"@key": "1", "family": "junos", "name": "mx1"}),
            json!({"@key": "2", "family": "junos", "name": "mx2"}),
        ];
        let any = |_: &str| true;
        assert_eq!(
            filter_candidate(&members, any),
            Some(("name".to_owned(), "mx1".to_owned()))
        );
        let one = vec![json!({"@key": "1", "family": "junos"})];
        assert_eq!(
            filter_candidate(&one, any),
            Some(("family".to_owned(), "junos".to_owned()))
        );
        assert_eq!(
            filter_candidate(&[json!({"@key": "1", "id": 3})], any),
            None
        );
        // Only a field the member's schema names is filtered on.
        assert_eq!(
            filter_candidate(&members, |field| field == "family"),
            Some(("family".to_owned(), "junos".to_owned()))
        );
    }

    #[test]
    fn members_are_told_apart_by_id_or_whole_value() {
        assert_eq!(identity(&json!({"@key": "7", "name": "a"})), "7");
        assert_eq!(identity(&json!({"name": "a"})), r#"{"name":"a"}"#);
    }
}
