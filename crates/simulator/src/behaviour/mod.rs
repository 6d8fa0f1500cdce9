//! Stage 5, behaviour: what the route does to the in-memory state, once the request is known
//! to be well formed and allowed; it hands on an [`Outcome`] or a [`Refusal`]. Members are
//! read, added, changed and removed here; the behaviours with more to them have a module
//! each: [`collections`] (listing), [`jobs`] (asynchronous calls and cancel), [`sessions`]
//! (login and logout).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use junos_space_model::Api;
use junos_space_model::api::{Content, HttpMethod, Kind, Operation, Reading, SchemaId};
use serde_json::{Map, Value, json};

use crate::jobs::{CancelRefused, Effect, JobSettings, Jobs};
use crate::outcome::{Outcome, Refusal};
use crate::render;
use crate::routes::{Behaviour, Route, RouteTable, fill};
use crate::sessions::Sessions;
use crate::state::SharedState;
use crate::store::Stores;
use crate::tweaks::Tweaks;

mod adds;
mod collections;
mod jobs;
mod locks;
mod sessions;

pub(crate) use locks::Locks;

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
    pub deleted: fn(store: String, key: u64, path: String) -> Effect,
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
            deleted: |store, key, path| Effect::Remove { store, key, path },
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
pub(crate) fn removes_nothing(_store: String, _key: u64, _path: String) -> Effect {
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
    /// The path the document's operations are served below (`/api/space`), the job
    /// collection's among them; a route's own is [`Route::base_path`](crate::routes::Route::base_path).
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
    /// The negotiated answer type, if the operation answers with a body.
    pub answer_type: Option<&'a Content>,
    /// The schema of the success answer in the negotiated media type, if it has one.
    pub answer_schema: Option<SchemaId>,
    pub user: String,
    /// The last path parameter, as the path spells it.
    pub parameter: Option<&'a str>,
    /// Every path parameter by name, as the path spells it, in the path's order.
    pub parameters: Vec<(&'a str, &'a str)>,
    pub query: HashMap<String, String>,
    pub body: Option<Value>,
    /// The `Cookie` header, for the session calls.
    pub cookie: Option<&'a str>,
}

impl World<'_> {
    pub fn perform(&self, call: &Call<'_>) -> Result<Outcome, Refusal> {
        self.refresh_jobs();
        let collection_path = call.route.collection_path_of(&call.parameters);
        let collection_uri = format!("{}{collection_path}", call.route.base_path());
        self.parents_exist(call)?;
        self.held_values_listed(call)?;
        self.mind_locks(call)?;
        let additions = self.members_to_add(call)?;
        let removals = self.members_to_remove(call);
        // A store below a member is the one of the members the path names.
        let store_of = |template: &str| fill(template, &call.parameters);
        let outcome = match &call.route.behaviour {
            Behaviour::Session(role) => self.session(call, *role),
            Behaviour::CancelJob { store } => self.cancel_job(call, store),
            Behaviour::List(listing) => {
                self.list(call, listing, &store_of(&listing.store), &collection_uri)
            }
            Behaviour::Document => {
                Ok(Outcome::Done(self.stored_copy(call).or_else(|| {
                    call.answer_type.and_then(|content| content.example.clone())
                })))
            }
            Behaviour::Computation { member_store } => {
                if let Some(store) = member_store {
                    self.existing(call, &store_of(store))?;
                }
                Ok(Outcome::Done(
                    call.answer_type.and_then(|content| content.example.clone()),
                ))
            }
            Behaviour::Get { store } => self.get(call, &store_of(store), &collection_uri),
            Behaviour::GetPart { store } => self.get_part(call, &store_of(store)),
            Behaviour::Create { store } => self.create(call, &store_of(store), &collection_uri),
            Behaviour::Update { store } => self.update(call, &store_of(store), &collection_uri),
            Behaviour::Replace { store, on_member } => {
                self.replace(call, on_member.then(|| store_of(store)).as_deref())
            }
            Behaviour::Delete {
                store,
                asynchronous,
            } => self.delete(call, &store_of(store), &collection_path, *asynchronous),
            Behaviour::StartJob {
                store,
                on_member: true,
                ..
            } => self.act_on_member(call, store),
            Behaviour::StartJob { adds_to, .. } => self.act_on_body(call, adds_to.as_deref()),
        };
        if outcome.is_ok() {
            self.add_members(additions);
            self.remove_members(removals);
        }
        outcome
    }

    /// Every member the path names above the one the route works on exists (a target's
    /// tag): 404 for the first that does not.
    fn parents_exist(&self, call: &Call<'_>) -> Result<(), Refusal> {
        for parent in &call.route.parents {
            let id = call
                .parameters
                .iter()
                .find(|(name, _)| *name == parent.parameter)
                .map_or("", |(_, value)| *value);
            let store = fill(&parent.store, &call.parameters);
            let exists = id
                .parse::<u64>()
                .ok()
                .and_then(|key| self.member(&store, key))
                .is_some();
            if !exists {
                return Err(Refusal::not_found(&format!("{} {id}", singular(&store))));
            }
        }
        Ok(())
    }

    /// Every value the path gives a parameter whose values the answer of the member above
    /// lists (a template's version numbers) is one that answer lists: 404 for the first that
    /// is not. The answer is the one the member's GET gives now.
    fn held_values_listed(&self, call: &Call<'_>) -> Result<(), Refusal> {
        for name in &call.route.held {
            let Some(source) = self.api.parameter_source(call.operation, name) else {
                continue;
            };
            let value = call
                .parameters
                .iter()
                .find(|(parameter, _)| parameter == name)
                .map_or("", |(_, value)| *value);
            let listed = self
                .holder_answer(call, source.reader())?
                .is_some_and(|answer| source.values(self.api, &answer).iter().any(|v| v == value));
            if !listed {
                return Err(Refusal::not_found(&format!(
                    "{} {value}",
                    name.replace('_', " ")
                )));
            }
        }
        Ok(())
    }

    /// What `reader`, the GET of a member the call's path names, answers for it now (404 for a
    /// member that does not exist); `None` where the simulator serves no such read.
    fn holder_answer(&self, call: &Call<'_>, reader: &Operation) -> Result<Option<Value>, Refusal> {
        let Some(route) = self
            .routes
            .routes
            .iter()
            .find(|route| route.operations.iter().any(|o| o.id == reader.id))
        else {
            return Ok(None);
        };
        let Behaviour::Get { store } = &route.behaviour else {
            return Ok(None);
        };
        let store = fill(store, &call.parameters);
        let id = route
            .member_parameter()
            .and_then(|name| call.parameters.iter().find(|(n, _)| *n == name))
            .map_or("", |(_, value)| *value);
        let key = id
            .parse::<u64>()
            .map_err(|_| Refusal::not_found(&format!("{} {id}", singular(&store))))?;
        let fields = self
            .member(&store, key)
            .ok_or_else(|| Refusal::not_found(&format!("{} {id}", singular(&store))))?;
        let collection_uri = format!(
            "{}{}",
            route.base_path(),
            route.collection_path_of(&call.parameters)
        );
        Ok(Some(self.render_member(
            reader.answer_schema(route.success),
            &collection_uri,
            key,
            &fields,
        )))
    }

    /// One member, as the answer schema has it (wrapped in a member named for it, if the
    /// schema wraps it).
    fn get(&self, call: &Call<'_>, store: &str, collection_uri: &str) -> Result<Outcome, Refusal> {
        let (key, fields) = self.existing(call, store)?;
        Ok(Outcome::Done(Some(self.answer_member(
            call,
            collection_uri,
            key,
            &fields,
        ))))
    }

    /// Member `key` with its stored `fields`, as the answer schema has it.
    fn answer_member(
        &self,
        call: &Call<'_>,
        collection_uri: &str,
        key: u64,
        fields: &Value,
    ) -> Value {
        self.render_member(call.answer_schema, collection_uri, key, fields)
    }

    /// Member `key` with its stored `fields`, as `schema` has it.
    fn render_member(
        &self,
        schema: Option<SchemaId>,
        collection_uri: &str,
        key: u64,
        fields: &Value,
    ) -> Value {
        match schema.and_then(|schema| self.api.wrapped(schema)) {
            Some(wrapper) => {
                let member =
                    render::member(self.api, Some(wrapper.schema), collection_uri, key, fields);
                json!({ &wrapper.name: member })
            }
            None => render::member(self.api, schema, collection_uri, key, fields),
        }
    }

    /// The members a request body holds: each of a collection's (tagging several objects),
    /// the one a wrapper holds (`{"tag": {...}}`), or the body itself.
    fn members_of_body<'b>(&self, call: &Call<'_>, body: &'b Value) -> Vec<&'b Value> {
        let schema = call
            .operation
            .request
            .as_ref()
            .and_then(|request| request.content.schema);
        match schema {
            Some(schema) => match self.api.collection_of(schema) {
                Some(collection) => collection.members(body),
                None => match self.api.wrapped(schema) {
                    Some(wrapper) => body.get(&wrapper.name).into_iter().collect(),
                    None => vec![body],
                },
            },
            None => vec![body],
        }
    }

    /// The schema of one member as the answer shows it: a collection's member, the one a
    /// wrapper holds, or the answer itself; else the store's member schema.
    fn answered_member_schema(&self, call: &Call<'_>) -> Option<SchemaId> {
        match call.answer_schema {
            Some(schema) => Some(match self.api.collection_of(schema) {
                Some(collection) => collection.item,
                None => self
                    .api
                    .wrapped(schema)
                    .map_or(schema, |wrapper| wrapper.schema),
            }),
            None => {
                let collection = call.route.collection_path();
                self.routes
                    .routes
                    .iter()
                    .find_map(|route| match &route.behaviour {
                        Behaviour::List(listing) if route.collection_path() == collection => {
                            Some(listing.collection.item)
                        }
                        _ => None,
                    })
            }
        }
    }

    /// The fields of a body's member the server keeps: those the member's schema names, each
    /// as a value of it, so that the member answers as its schema has it. What the server
    /// writes from the member's key (`@uri`, `@key`, `id`) is never taken from a body; an
    /// `@href` is, where the body names one (the object a target tags).
    fn kept_fields(&self, schema: Option<SchemaId>, member: &Value) -> Map<String, Value> {
        let (Some(schema), Some(fields)) = (schema, member.as_object()) else {
            return Map::new();
        };
        let schema = self.api.schema(schema);
        fields
            .iter()
            .filter(|(name, _)| !matches!(name.as_str(), "@uri" | "@key" | "id"))
            .filter(|(name, value)| {
                schema.member_schema(name).is_some_and(|property| {
                    self.api
                        .validate(property, value, Reading::LITERAL)
                        .is_empty()
                })
            })
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect()
    }

    /// The fields a reference takes from the member its `@href` names, where the server has
    /// it: those `schema` names (a user's role, added by its link, lists the role's `name`
    /// and `title`, as the SDK13.1 sample of a profile's roles shows them).
    fn referenced_fields(&self, schema: Option<SchemaId>, member: &Value) -> Map<String, Value> {
        let Some(path) = member.get("@href").and_then(Value::as_str) else {
            return Map::new();
        };
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let referenced = self.routes.routes.iter().find_map(|route| {
            let Behaviour::Get { store } = &route.behaviour else {
                return None;
            };
            let parameters = route.matches_whole(&segments)?;
            let key = parameters.last()?.1.parse::<u64>().ok()?;
            self.member(&fill(store, &parameters), key)
        });
        referenced.map_or_else(Map::new, |referenced| {
            let mut fields = self.kept_fields(schema, &referenced);
            fields.remove("@href");
            fields
        })
    }

    /// `kept`, the fields of a member the body adds, as a member the answer can list. A member
    /// added by its `@href` alone that still lacks a text field the answer requires (a role
    /// whose link leads to no role the simulator has, so no `name` to take from it) takes the
    /// field's example from the spec, else the link's last segment: stored without it, it
    /// would be listed against the spec's answer type ever after, and the simulator refuses no
    /// request over what a real server would do with such a link, which no source shows.
    fn complete_reference(
        &self,
        schema: Option<SchemaId>,
        member: &Value,
        mut kept: Map<String, Value>,
    ) -> Value {
        let (Some(href), Some(schema)) = (member.get("@href").and_then(Value::as_str), schema)
        else {
            return Value::Object(kept);
        };
        for property in &self.api.schema(schema).properties {
            let name = property.name.as_str();
            if !property.required
                || kept.contains_key(name)
                || matches!(name, "@href" | "@uri" | "@key" | "id")
            {
                continue;
            }
            let field = self.api.schema(property.schema);
            let value = field.example.clone().or_else(|| {
                (field.kind == Some(Kind::String)).then(|| {
                    let last = href.rsplit('/').find(|segment| !segment.is_empty());
                    Value::String(last.unwrap_or("unnamed").to_owned())
                })
            });
            if let Some(value) = value {
                kept.insert(name.to_owned(), value);
            }
        }
        Value::Object(kept)
    }

    /// Adds the members the body holds to `store`, and answers them: the one member, or the
    /// collection of those added.
    fn create(
        &self,
        call: &Call<'_>,
        store: &str,
        collection_uri: &str,
    ) -> Result<Outcome, Refusal> {
        let body = call
            .body
            .as_ref()
            .ok_or_else(|| Refusal::message(400, "the request needs a body".to_owned()))?;
        let schema = self.answered_member_schema(call);
        let members: Vec<Value> = self
            .members_of_body(call, body)
            .into_iter()
            .map(|member| {
                let mut kept = self.kept_fields(schema, member);
                for (name, value) in self.referenced_fields(schema, member) {
                    kept.entry(name).or_insert(value);
                }
                self.complete_reference(schema, member, kept)
            })
            .collect();
        let added: Vec<(u64, Value)> = {
            let mut state = self.state.write();
            let members_store = state.stores.store(store);
            members
                .into_iter()
                .map(|member| (members_store.insert_new(member.clone()), member))
                .collect()
        };
        let collection = call
            .answer_schema
            .and_then(|schema| self.api.collection_of(schema));
        let answer = match (collection, added.as_slice()) {
            (Some(collection), _) => {
                let rendered = added
                    .iter()
                    .map(|(key, fields)| {
                        render::member(
                            self.api,
                            Some(collection.item),
                            collection_uri,
                            *key,
                            fields,
                        )
                    })
                    .collect();
                render::collection(
                    &collection.envelope,
                    &collection.member,
                    collection_uri,
                    collection.count.as_ref().map(|count| count.name.as_str()),
                    added.len(),
                    rendered,
                )
            }
            (None, [(key, fields), ..]) => self.answer_member(call, collection_uri, *key, fields),
            (None, []) => return Err(Refusal::message(400, "the body names no member")),
        };
        Ok(Outcome::Done(Some(answer)))
    }

    /// Changes the fields the body holds of the member the path names, and answers it.
    fn update(
        &self,
        call: &Call<'_>,
        store: &str,
        collection_uri: &str,
    ) -> Result<Outcome, Refusal> {
        let (key, fields) = self.existing(call, store)?;
        let schema = self.answered_member_schema(call);
        let mut updated = fields.as_object().cloned().unwrap_or_default();
        if let Some(body) = &call.body {
            for member in self.members_of_body(call, body) {
                updated.extend(self.kept_fields(schema, member));
            }
        }
        let updated = Value::Object(updated);
        self.state
            .write()
            .stores
            .store(store)
            .insert(key, updated.clone());
        Ok(Outcome::Done(Some(self.answer_member(
            call,
            collection_uri,
            key,
            &updated,
        ))))
    }

    /// The copy of the document or member part at the call's path that a `PUT` stored, if
    /// one did.
    fn stored_copy(&self, call: &Call<'_>) -> Option<Value> {
        let path = call.route.path_of(&call.parameters);
        self.member(&path, DOCUMENT_KEY)
    }

    /// Stores a new copy of the document or member part at the call's path (the member, of
    /// `member_store`, must exist): the body's fields over the copy the `GET` of the path
    /// serves now, object by object; answers the new copy.
    fn replace(&self, call: &Call<'_>, member_store: Option<&str>) -> Result<Outcome, Refusal> {
        let body = call
            .body
            .clone()
            .ok_or_else(|| Refusal::message(400, "the request needs a body".to_owned()))?;
        let current = match self.stored_copy(call) {
            Some(stored) => stored,
            None => self.served_copy(call, member_store)?,
        };
        // A document is an object: a body that is none (taken where the server reads bodies
        // leniently) changes nothing.
        if !body.is_object() {
            return Ok(Outcome::Done(call.answer_type.map(|_| current)));
        }
        let copy = overlay(current, body);
        let path = call.route.path_of(&call.parameters);
        self.state
            .write()
            .stores
            .store(&path)
            .insert(DOCUMENT_KEY, copy.clone());
        Ok(Outcome::Done(call.answer_type.map(|_| copy)))
    }

    /// What the `GET` of the call's path serves while no copy is stored: the spec's example
    /// of a document, or the part built from the member of `member_store`.
    fn served_copy(&self, call: &Call<'_>, member_store: Option<&str>) -> Result<Value, Refusal> {
        let read = self
            .routes
            .routes
            .iter()
            .find(|route| route.method == HttpMethod::Get && route.segments == call.route.segments)
            .map(|route| route.first())
            .ok_or_else(|| Refusal::not_found("the document"))?;
        // The answer of the read in the type the write answers, else its first.
        let contents = || read.successes().flat_map(|response| &response.contents);
        let content = contents()
            .find(|content| {
                call.answer_type.is_some_and(|asked| {
                    asked.media_type.is_same_representation(&content.media_type)
                })
            })
            .or_else(|| contents().next());
        match member_store {
            None => Ok(content
                .and_then(|content| content.example.clone())
                .unwrap_or_else(|| Value::Object(Map::new()))),
            Some(store) => {
                let (key, fields) = self.existing(call, store)?;
                Ok(self.part_of(call, store, key, &fields, content.and_then(|c| c.schema)))
            }
        }
    }

    /// A part of one member, built from the answer schema and the member's fields; the copy a
    /// `PUT` stored at the path, if one did.
    fn get_part(&self, call: &Call<'_>, store: &str) -> Result<Outcome, Refusal> {
        let (key, fields) = self.existing(call, store)?;
        if let Some(stored) = self.stored_copy(call) {
            return Ok(Outcome::Done(Some(stored)));
        }
        Ok(Outcome::Done(Some(self.part_of(
            call,
            store,
            key,
            &fields,
            call.answer_schema,
        ))))
    }

    /// Part `schema` of member `key` of `store`, whose fields are `fields`.
    fn part_of(
        &self,
        call: &Call<'_>,
        store: &str,
        key: u64,
        fields: &Value,
        schema: Option<SchemaId>,
    ) -> Value {
        let label = fields
            .get("name")
            .and_then(Value::as_str)
            .map_or_else(|| format!("{} {key}", singular(store)), str::to_owned);
        let uri = format!(
            "{}{}",
            call.route.base_path(),
            call.route.path_of(&call.parameters)
        );
        let owner = render::Owner {
            key,
            uri: &uri,
            label: &label,
        };
        let body = render::part(self.api, schema, fields, &owner);
        (self.rules.part)(body)
    }

    /// Removes a member, at once or by a job, with the collections below it (a tag's targets)
    /// and the references to it (`Stores::forget`).
    fn delete(
        &self,
        call: &Call<'_>,
        store: &str,
        collection_path: &str,
        asynchronous: bool,
    ) -> Result<Outcome, Refusal> {
        let (key, _) = self.existing(call, store)?;
        let path = format!("{collection_path}/{key}");
        if asynchronous {
            let effect = (self.rules.deleted)(store.to_owned(), key, path);
            return self.start_job(call, None, effect);
        }
        self.state.write().stores.forget(store, key, &path);
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

/// The key a stored document or member part is kept under, in the store named by its path.
const DOCUMENT_KEY: u64 = 0;

/// `update` over `current`: each field of an object `update` holds replaces the same field of
/// `current`, except an object over an object, which is laid over it the same way.
fn overlay(current: Value, update: Value) -> Value {
    match (current, update) {
        (Value::Object(mut current), Value::Object(update)) => {
            for (name, value) in update {
                let merged = match current.remove(&name) {
                    Some(old) => overlay(old, value),
                    None => value,
                };
                current.insert(name, merged);
            }
            Value::Object(current)
        }
        (_, update) => update,
    }
}

/// Whether a path segment is an integer (`-3`, `12`), of any size.
fn is_integer(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// `devices` → `device`, `/tag-management/tags/655361/targets` → `target`, for messages.
fn singular(store: &str) -> &str {
    let noun = store.rsplit('/').next().unwrap_or(store);
    noun.strip_suffix('s').unwrap_or(noun)
}

#[cfg(test)]
mod tests {
    use super::overlay;
    use serde_json::json;

    #[test]
    fn an_overlay_changes_the_fields_it_holds_and_keeps_the_others() {
        let current =
            json!({"user": {"@uri": "/u", "auto-logout": 50, "groups": {"a": 1, "b": 2}}});
        let update = json!({"user": {"auto-logout": 30, "groups": {"b": 3}}});
        assert_eq!(
            overlay(current, update),
            json!({"user": {"@uri": "/u", "auto-logout": 30, "groups": {"a": 1, "b": 3}}})
        );
        assert_eq!(
            overlay(json!({"a": [1, 2]}), json!({"a": [3]})),
            json!({"a": [3]})
        );
    }
}
