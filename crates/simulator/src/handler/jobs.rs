//! Asynchronous calls as jobs: starting one (with its schedule, queue, failure and effect),
//! cancelling one that waits (`x-cancels-job`), bringing jobs up to date, and what a body
//! names: the member it adds, a member it refers to that does not exist.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use junos_space_model::HttpMethod;
use serde_json::{Map, Value, json};

use super::{Answer, Call, Shared, is_integer, singular};
use crate::config::Deviation;
use crate::jobs::{CancelRefused, Effect, is_uri, parse_schedule};
use crate::routes::{Behaviour, RouteTable};
use crate::schema;
use crate::state::JOBS;

impl Shared {
    /// Cancels the job the path names, if it still waits for its schedule.
    pub(super) fn cancel_job(&self, call: &Call<'_>, store: &str) -> Result<Answer, Answer> {
        let variant = call.variant;
        let id = call.parameter.unwrap_or_default();
        if !is_integer(id) {
            return Err(self.error(variant, 400, &format!("`{id}` is not a job id")));
        }
        let outcome = match id.parse::<u64>() {
            Ok(key) if store == JOBS => self.write().cancel_job(key, Instant::now()),
            _ => Err(CancelRefused::Unknown),
        };
        match outcome {
            Ok(()) => Ok(self.success(call, variant.success_status, None)),
            Err(CancelRefused::Unknown) => Err(self.not_found(variant, &format!("job {id}"))),
            Err(CancelRefused::NotWaiting) => {
                Err(self.error(variant, 412, &format!("job {id} has started or finished")))
            }
        }
    }

    pub(super) fn refresh_jobs(&self) {
        if !self.read().live_jobs.is_empty() {
            self.write().refresh_jobs(Instant::now());
        }
    }

    /// The first `@href` in `body` that names a member of a collection this server holds
    /// and that does not exist, as a failure message (`script 999 not found`).
    pub(super) fn missing_reference(&self, body: &Value) -> Option<String> {
        let mut hrefs = Vec::new();
        collect_hrefs(body, &mut hrefs);
        hrefs.into_iter().find_map(|href| {
            let below = href.strip_prefix(self.base_path.as_str())?;
            let segments: Vec<&str> = below.split('/').filter(|s| !s.is_empty()).collect();
            let (id, collection) = segments.split_last()?;
            self.routes.routes.iter().find_map(|route| {
                let Behaviour::List(listing) = &route.behaviour else {
                    return None;
                };
                route.matches(collection)?;
                let store = &listing.store;
                let exists = id
                    .parse::<u64>()
                    .ok()
                    .and_then(|key| self.member(store, key))
                    .is_some();
                (!exists).then(|| format!("{} {id} not found", singular(store)))
            })
        })
    }

    /// A member built from a request body (discovery): the member schema's properties found
    /// anywhere in the body by name (or alias), enumerations at their first value; `None`
    /// when the body names none of the fields a member requires (a discovery without an
    /// address or host name finds nothing).
    pub(super) fn member_from_body(&self, store: &str, body: Option<&Value>) -> Option<Value> {
        /// Discovery bodies name a device's address and name after their target.
        const ALIASES: &[(&str, &[&str])] = &[
            ("ipAddr", &["ipAddress", "lowerIp", "baseIp"]),
            ("name", &["hostName"]),
        ];
        let mut leaves = HashMap::new();
        if let Some(body) = body {
            collect_leaves(body, &mut leaves);
        }
        let schema = self.routes.member_schemas.get(store)?;
        let mut member = Map::new();
        for (name, property) in schema::properties(&self.spec, schema) {
            if name.starts_with('@') {
                continue;
            }
            let aliases = ALIASES
                .iter()
                .find(|(n, _)| *n == name)
                .map_or(&[][..], |(_, a)| *a);
            let found = std::iter::once(name)
                .chain(aliases.iter().copied())
                .find_map(|n| leaves.get(n));
            let value = match found {
                Some(value) => Some((*value).clone()),
                None => property
                    .get("enum")
                    .and_then(Value::as_array)
                    .and_then(|e| e.first())
                    .cloned(),
            };
            if let Some(value) = value {
                member.insert(name.to_owned(), value);
            }
        }
        if !member.contains_key("name")
            && let Some(address) = member.get("ipAddr").cloned()
        {
            member.insert("name".into(), address);
        }
        // What the server writes from the key itself (`@key`, `id`) is never in a body.
        let complete = schema::required(&self.spec, schema)
            .into_iter()
            .all(|name| name.starts_with('@') || name == "id" || member.contains_key(name));
        complete.then_some(Value::Object(member))
    }

    pub(super) fn start_job(
        &self,
        call: &Call<'_>,
        failure: Option<String>,
        effect: Effect,
    ) -> Result<Answer, Answer> {
        let variant = call.variant;
        // Messages name the parameter first, as the collection parameters' do.
        let minutes = match call.query.get("schedule") {
            Some(schedule) => parse_schedule(schedule)
                .map_err(|why| self.error(variant, 400, &format!("schedule: {why}")))?,
            None => 0,
        };
        if let Some(queue) = call.query.get("queue")
            && !is_uri(queue)
        {
            let why = format!("queue: `{queue}` is not a queue URL");
            return Err(self.error(variant, 400, &why));
        }
        let settings = &self.config.jobs;
        let delay = settings.schedule_minute.saturating_mul(minutes);
        let job_type = variant
            .content_type
            .as_ref()
            .and_then(|m| m.junos_space_resource().map(|(_, r)| r.to_owned()))
            .unwrap_or_else(|| variant.operation_id.clone());
        let jobs_uri = format!("{}{}", self.base_path, self.jobs_path);
        let key = self.write().start_job(
            &jobs_uri,
            Instant::now(),
            delay,
            settings.duration.max(Duration::from_millis(1)),
            settings.outcome,
            &variant.operation_id,
            &job_type,
            &call.user,
            failure,
            effect,
        );
        // The task-href-nowhere deviation points the task at a job that does not exist.
        let href_key = if self.has(Deviation::TaskHrefNowhere) {
            key + 1_000_000
        } else {
            key
        };
        let task = json!({"task": {
            "@href": format!("{jobs_uri}/{href_key}"),
            "id": key,
        }});
        Ok(self.success(call, variant.success_status, Some(task)))
    }
}

/// The first scalar found under each property name, depth first.
fn collect_leaves<'v>(value: &'v Value, leaves: &mut HashMap<&'v str, &'v Value>) {
    match value {
        Value::Object(object) => {
            for (name, member) in object {
                if member.is_object() || member.is_array() {
                    collect_leaves(member, leaves);
                } else {
                    leaves.entry(name.as_str()).or_insert(member);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_leaves(item, leaves)),
        _ => {}
    }
}

/// Every `@href` string in `value`, depth first.
fn collect_hrefs<'v>(value: &'v Value, hrefs: &mut Vec<&'v str>) {
    match value {
        Value::Object(object) => {
            for (name, member) in object {
                match member {
                    Value::String(href) if name == "@href" => hrefs.push(href),
                    _ => collect_hrefs(member, hrefs),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_hrefs(item, hrefs)),
        _ => {}
    }
}

/// The path of the job collection in `routes` (the list route of the `jobs` store).
pub(crate) fn jobs_path(routes: &RouteTable) -> Option<String> {
    routes
        .routes
        .iter()
        .find_map(|route| match &route.behaviour {
            Behaviour::List(listing)
                if listing.store == JOBS && route.method == HttpMethod::Get =>
            {
                Some(route.collection_path())
            }
            _ => None,
        })
}
