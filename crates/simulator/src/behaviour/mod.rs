//! Stage 5, behaviour: what the route does to the in-memory state, once the request is known
//! to be well formed and allowed; it hands on an [`Outcome`] or a [`Refusal`]. Members are
//! read and removed here; the behaviours with more to them have a module each:
//! [`collections`] (listing), [`jobs`] (asynchronous calls and cancel), [`sessions`] (login
//! and logout).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use junos_space_model::Api;
use junos_space_model::api::{Operation, SchemaId};
use serde_json::{Value, json};

use crate::jobs::{CancelRefused, Effect, JobSettings, Jobs};
use crate::outcome::{Outcome, Refusal};
use crate::render;
use crate::routes::{Behaviour, Route, RouteTable};
use crate::sessions::Sessions;
use crate::state::SharedState;
use crate::store::Stores;
use crate::tweaks::Tweaks;

mod collections;
mod jobs;
mod sessions;

pub(crate) use collections::{Query, without_filter, without_malformed, without_paging};
pub(crate) use jobs::jobs_path;

/// How this stage decides; deviations replace or add a rule.
#[derive(Debug)]
pub(crate) struct Rules {
    /// Changes to a listing's query as read.
    pub query: Tweaks<Query>,
    /// The count a collection answer gives, from the number of its members.
    pub count: fn(usize) -> usize,
    /// The key a task's `@href` names, from its job's key.
    pub task_key: fn(u64) -> u64,
    /// What the job of an asynchronous delete of member `key` of a store does.
    pub deleted: fn(store: String, key: u64) -> Effect,
    /// The store a successful job adds a member to, from the one `x-adds-member-to` names.
    pub adds_to: fn(&str) -> Option<&str>,
    /// What an action on a member that does not exist comes to, from `{member} not found`.
    pub unknown_member: fn(String) -> Unknown,
    /// A part of a member as answered, from the part as it is (a job's progress-update).
    pub part: fn(Value) -> Value,
    /// What cancelling job `key` does: cancels it if it still waits.
    pub cancel: fn(&mut Jobs, &mut Stores, u64, Instant) -> Result<(), CancelRefused>,
    /// What a logout does to the session its cookie names: ends it.
    pub end_session: fn(&mut Sessions, Option<&str>),
    /// A member as a collection lists it, from the member as rendered.
    pub listed_member: fn(Value) -> Value,
}

impl Default for Rules {
    fn default() -> Self {
        Self {
            query: Tweaks::default(),
            count: |members| members,
            task_key: |key| key,
            deleted: |store, key| Effect::Remove { store, key },
            adds_to: |store| Some(store),
            unknown_member: Unknown::Refused,
            part: |part| part,
            cancel: Jobs::cancel,
            end_session: Sessions::end,
            listed_member: |member| member,
        }
    }
}

/// What an action on a member that does not exist comes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Unknown {
    /// 404, saying so.
    Refused(String),
    /// A job that fails, saying so.
    FailingJob(String),
}

/// The miscount-collection deviation: one more than there are.
pub(crate) fn one_more(members: usize) -> usize {
    members + 1
}

/// The task-href-nowhere deviation: a key no job has.
pub(crate) fn key_of_no_job(key: u64) -> u64 {
    key + 1_000_000
}

/// The keep-deleted deviation: the job removes nothing.
pub(crate) fn removes_nothing(_store: String, _key: u64) -> Effect {
    Effect::None
}

/// The member-href-nowhere deviation: a listed member's `@href` names the next id, not its
/// own.
pub(crate) fn href_to_the_next(mut member: Value) -> Value {
    if let Some(Value::String(href)) = member.get_mut("@href")
        && let Some((collection, id)) = href.rsplit_once('/')
        && let Ok(id) = id.parse::<u64>()
    {
        *href = format!("{collection}/{}", id + 1);
    }
    member
}

/// The logout-keeps-session deviation: a logout is answered, and its session stays open.
pub(crate) fn keep_session(_: &mut Sessions, _: Option<&str>) {}

/// The cancel-ignored deviation: a job that waits is said to be cancelled, and is not.
pub(crate) fn cancel_nothing(
    jobs: &mut Jobs,
    stores: &mut Stores,
    key: u64,
    now: Instant,
) -> Result<(), CancelRefused> {
    jobs.waiting(stores, key, now).map(drop)
}

/// The progress-disagrees deviation: a part that tells a job's outcome (`status`) tells the
/// other one, SUCCESS for FAILURE and FAILURE for SUCCESS.
pub(crate) fn contradicted_outcome(mut part: Value) -> Value {
    fn flip(value: &mut Value) {
        if let Value::Object(fields) = value {
            if let Some(Value::String(status)) = fields.get_mut("status") {
                *status = match status.as_str() {
                    "SUCCESS" => "FAILURE".to_owned(),
                    "FAILURE" => "SUCCESS".to_owned(),
                    other => other.to_owned(),
                };
            }
            fields.values_mut().for_each(flip);
        }
    }
    flip(&mut part);
    part
}

/// The progress-lags deviation: a part that tells a job's progress tells it as at the job's
/// start, INPROGRESS, its outcome UNDETERMINED and 0 % done.
pub(crate) fn as_at_the_start(mut part: Value) -> Value {
    fn rewind(value: &mut Value) {
        if let Value::Object(fields) = value {
            if fields.contains_key("state") {
                fields.insert("state".into(), "INPROGRESS".into());
                fields.insert("status".into(), "UNDETERMINED".into());
                fields.insert("percentage".into(), 0.0.into());
            }
            fields.values_mut().for_each(rewind);
        }
    }
    rewind(&mut part);
    part
}

/// The discovery-adds-nothing deviation: the job adds nowhere.
pub(crate) fn adds_nowhere(_store: &str) -> Option<&str> {
    None
}

/// Everything a behaviour acts on.
pub(crate) struct World<'a> {
    pub api: &'a Api,
    pub routes: &'a RouteTable,
    pub state: &'a SharedState,
    /// Seeded dice, for session ids.
    pub dice: &'a Mutex<fastrand::Rng>,
    pub jobs: &'a JobSettings,
    /// The path the API is served below (`/api/space`).
    pub base_path: &'a str,
    /// Path of the job collection, for task `@href`s.
    pub jobs_path: &'a str,
    pub rules: &'a Rules,
}

/// What this stage is handed: a request known to be well formed and allowed.
#[derive(Debug)]
pub(crate) struct Call<'a> {
    pub route: &'a Route,
    pub operation: &'a Operation,
    /// The schema of the success answer in the negotiated media type, if it has one.
    pub answer_schema: Option<SchemaId>,
    pub user: String,
    /// The last path parameter, as the path spells it.
    pub parameter: Option<&'a str>,
    pub query: HashMap<String, String>,
    pub body: Option<Value>,
    /// The `Cookie` header, for the session calls.
    pub cookie: Option<&'a str>,
}

impl World<'_> {
    pub fn perform(&self, call: &Call<'_>) -> Result<Outcome, Refusal> {
        self.refresh_jobs();
        let collection_uri = format!("{}{}", self.base_path, call.route.collection_path());
        match &call.route.behaviour {
            Behaviour::Session(role) => self.session(call, *role),
            Behaviour::CancelJob { store } => self.cancel_job(call, store),
            Behaviour::List(listing) => self.list(call, listing, &collection_uri),
            Behaviour::Get { store } => self.get(call, store, &collection_uri),
            Behaviour::GetPart { store } => self.get_part(call, store),
            Behaviour::Delete {
                store,
                asynchronous,
            } => self.delete(call, store, *asynchronous),
            Behaviour::StartJob {
                store,
                on_member: true,
                ..
            } => self.act_on_member(call, store),
            Behaviour::StartJob { adds_to, .. } => self.act_on_body(call, adds_to.as_deref()),
        }
    }

    /// One member, as the answer schema has it (wrapped in a member named for it, if the
    /// schema wraps it).
    fn get(&self, call: &Call<'_>, store: &str, collection_uri: &str) -> Result<Outcome, Refusal> {
        let (key, fields) = self.existing(call, store)?;
        let schema = call.answer_schema;
        let body = match schema.and_then(|schema| self.api.wrapped(schema)) {
            Some(wrapper) => {
                let member =
                    render::member(self.api, Some(wrapper.schema), collection_uri, key, &fields);
                json!({ &wrapper.name: member })
            }
            None => render::member(self.api, schema, collection_uri, key, &fields),
        };
        Ok(Outcome::Done(Some(body)))
    }

    /// A part of one member, built from the answer schema and the member's fields.
    fn get_part(&self, call: &Call<'_>, store: &str) -> Result<Outcome, Refusal> {
        let (key, fields) = self.existing(call, store)?;
        let label = fields
            .get("name")
            .and_then(Value::as_str)
            .map_or_else(|| format!("{} {key}", singular(store)), str::to_owned);
        let body = render::part(self.api, call.answer_schema, &fields, &label);
        Ok(Outcome::Done(Some((self.rules.part)(body))))
    }

    /// Removes a member, at once or by a job.
    fn delete(&self, call: &Call<'_>, store: &str, asynchronous: bool) -> Result<Outcome, Refusal> {
        let (key, _) = self.existing(call, store)?;
        if asynchronous {
            let effect = (self.rules.deleted)(store.to_owned(), key);
            return self.start_job(call, None, effect);
        }
        self.state.write().stores.store(store).members.remove(&key);
        Ok(Outcome::Done(None))
    }

    /// The key the path names and the member's stored fields; 404 when there is none.
    fn existing(&self, call: &Call<'_>, store: &str) -> Result<(u64, Value), Refusal> {
        let key = call
            .parameter
            .and_then(|p| p.parse::<u64>().ok())
            .ok_or_else(|| Refusal::not_found("the resource"))?;
        let fields = self
            .member(store, key)
            .ok_or_else(|| Refusal::not_found(&format!("{} {key}", singular(store))))?;
        Ok((key, fields))
    }

    fn member(&self, store: &str, key: u64) -> Option<Value> {
        let state = self.state.read();
        state
            .stores
            .member(store, key)
            .map(|member| Value::clone(member))
    }
}

/// Whether a path segment is an integer (`-3`, `12`), of any size.
fn is_integer(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// `devices` → `device`, for messages.
fn singular(store: &str) -> &str {
    store.strip_suffix('s').unwrap_or(store)
}
