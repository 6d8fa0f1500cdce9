//! Asynchronous calls as jobs: starting one (with its schedule, queue, failure and effect),
//! cancelling one that waits (`x-cancels-job`), bringing jobs up to date, and what a body
//! names: the member it adds, a member it refers to that does not exist.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use junos_space_model::api::HttpMethod;
use serde_json::{Map, Value, json};

use super::{Call, Unknown, World, is_integer, singular};
use crate::jobs::{CancelRefused, Effect, JOBS, NewJob, is_uri, parse_schedule};
use crate::outcome::{Outcome, Refusal};
use crate::routes::{Behaviour, RouteTable, fill};
use crate::state::State;

impl World<'_> {
    /// Cancels the job the path names, if it still waits for its schedule.
    pub(super) fn cancel_job(&self, call: &Call<'_>, store: &str) -> Result<Outcome, Refusal> {
        let id = call.parameter.unwrap_or_default();
        if !is_integer(id) {
            return Err(Refusal::message(400, format!("`{id}` is not a job id")));
        }
        let outcome = match id.parse::<u64>() {
            Ok(key) if store == JOBS => {
                let mut state = self.state.write();
                let State { stores, jobs, .. } = &mut *state;
                (self.rules.cancel)(jobs, stores, key, Instant::now())
            }
            _ => Err(CancelRefused::Unknown),
        };
        match outcome {
            Ok(()) => Ok(Outcome::Done(None)),
            Err(CancelRefused::Unknown) => Err(Refusal::not_found(&format!("job {id}"))),
            Err(CancelRefused::NotWaiting) => Err(Refusal::message(
                412,
                format!("job {id} has started or finished"),
            )),
        }
    }

    /// Brings every job up to now, so that whoever reads the state sees it as it is.
    pub(super) fn refresh_jobs(&self) {
        if !self.state.read().jobs.all_finished() {
            let mut state = self.state.write();
            let State { stores, jobs, .. } = &mut *state;
            jobs.refresh(stores, Instant::now());
        }
    }

    /// An action on the member the path names (rpc, resync, deploy): a job, if the member
    /// exists.
    pub(super) fn act_on_member(&self, call: &Call<'_>, store: &str) -> Result<Outcome, Refusal> {
        let id = call.parameter.unwrap_or_default();
        let member = id
            .parse::<u64>()
            .ok()
            .and_then(|key| self.member(store, key));
        let failure = match member {
            Some(_) => None,
            // Not an integer, as the path parameter must be: a malformed request.
            None if !is_integer(id) => {
                let why = format!("`{id}` is not a {} id", singular(store));
                return Err(Refusal::message(400, why));
            }
            // Refused whether or not the operation documents its 404: a write on a member
            // that does not exist starts nothing.
            None => {
                match (self.rules.unknown_member)(format!("{} {id} not found", singular(store))) {
                    Unknown::Refused(why) => return Err(Refusal::message(404, why)),
                    Unknown::FailingJob(why) => Some(why),
                }
            }
        };
        self.start_job(call, failure, Effect::None)
    }

    /// An action whose body says what it acts on (discovery, scripts, configlets): a job that
    /// fails when the body names a member that does not exist, and adds a member built from
    /// the body where the route says.
    pub(super) fn act_on_body(
        &self,
        call: &Call<'_>,
        adds_to: Option<&str>,
    ) -> Result<Outcome, Refusal> {
        // The operation documents no 404 for what its body names: its job fails instead.
        let mut failure = call.body.as_ref().and_then(|b| self.missing_reference(b));
        let effect = match adds_to.and_then(self.rules.adds_to) {
            Some(target) => match self.member_from_body(target, call.body.as_ref()) {
                Some(member) => Effect::Add {
                    store: target.to_owned(),
                    member,
                },
                None => {
                    failure.get_or_insert(format!("found no {}", singular(target)));
                    Effect::None
                }
            },
            None => Effect::None,
        };
        self.start_job(call, failure, effect)
    }

    /// The first `@href` in `body` that names a member of a collection this server holds
    /// and that does not exist, as a failure message (`script 999 not found`).
    fn missing_reference(&self, body: &Value) -> Option<String> {
        let mut hrefs = Vec::new();
        collect_hrefs(body, &mut hrefs);
        hrefs.into_iter().find_map(|href| {
            let segments: Vec<&str> = href.split('/').filter(|s| !s.is_empty()).collect();
            let (id, collection) = segments.split_last()?;
            self.routes.routes.iter().find_map(|route| {
                let Behaviour::List(listing) = &route.behaviour else {
                    return None;
                };
                let values = route.matches_whole(collection)?;
                let store = &fill(&listing.store, &values);
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
    fn member_from_body(&self, store: &str, body: Option<&Value>) -> Option<Value> {
        /// Discovery bodies name a device's address and name after their target.
        const ALIASES: &[(&str, &[&str])] = &[
            ("ipAddr", &["ipAddress", "lowerIp", "baseIp"]),
            ("name", &["hostName"]),
        ];
        let mut leaves = HashMap::new();
        if let Some(body) = body {
            collect_leaves(body, &mut leaves);
        }
        let schema = self.api.schema(*self.routes.member_schemas.get(store)?);
        let mut member = Map::new();
        for property in &schema.properties {
            let name = property.name.as_str();
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
                None => self
                    .api
                    .schema(property.schema)
                    .allowed
                    .as_ref()
                    .and_then(|allowed| allowed.first())
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
        let complete = schema
            .required()
            .all(|name| name.starts_with('@') || name == "id" || member.contains_key(name));
        complete.then_some(Value::Object(member))
    }

    /// Starts the call's job and answers its task.
    pub(super) fn start_job(
        &self,
        call: &Call<'_>,
        failure: Option<String>,
        effect: Effect,
    ) -> Result<Outcome, Refusal> {
        // Messages name the parameter first, as the collection parameters' do.
        let minutes = match call.query.get("schedule") {
            Some(schedule) => parse_schedule(schedule)
                .map_err(|why| Refusal::message(400, format!("schedule: {why}")))?,
            None => 0,
        };
        if let Some(queue) = call.query.get("queue")
            && !is_uri(queue)
        {
            let why = format!("queue: `{queue}` is not a queue URL");
            return Err(Refusal::message(400, why));
        }
        let operation = call.operation;
        let job_type = operation
            .request
            .as_ref()
            .and_then(|body| body.content.media_type.junos_space_resource())
            .map_or_else(|| operation.id.clone(), |(_, resource)| resource.to_owned());
        let jobs_uri = format!("{}{}", self.base_path, self.jobs_path);
        let job = NewJob {
            jobs_uri: jobs_uri.clone(),
            name: operation.id.clone(),
            job_type,
            user: call.user.clone(),
            delay: self.jobs.schedule_minute.saturating_mul(minutes),
            duration: self.jobs.duration.max(Duration::from_millis(1)),
            outcome: self.jobs.outcome,
            failure,
            effect,
        };
        let key = {
            let mut state = self.state.write();
            let State {
                stores,
                jobs,
                queues,
                ..
            } = &mut *state;
            let key = jobs.start(stores, job, Instant::now());
            if let Some(queue) = call.query.get("queue") {
                queues.watch(queue, key);
            }
            key
        };
        let task = json!({"task": {
            "@href": format!("{jobs_uri}/{}", (self.rules.task_key)(key)),
            "id": key,
        }});
        Ok(Outcome::Done(Some(task)))
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
