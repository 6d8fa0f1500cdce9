//! One request in, one answer out: base path, route, authentication, media types, body, then
//! the route's behaviour on the state (sessions included), then realism and deviations.

use std::collections::HashMap;
use std::sync::atomic::AtomicU64;
use std::sync::{Mutex, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, Instant};

use bytes::Bytes;
use junos_space_spec::media_type::near_miss;
use junos_space_spec::server_forms;
use junos_space_spec::validate::{Reading, validate};
use junos_space_spec::{HttpMethod, MediaType, SessionRole, Spec};
use serde_json::{Map, Value, json};

use crate::auth;
use crate::config::{Config, Deviation};
use crate::jobs::{CancelRefused, Effect, is_uri, parse_schedule};
use crate::negotiation::{self, Negotiated};
use crate::query::{self, Paging};
use crate::render;
use crate::routes::{Behaviour, Listing, Route, RouteTable, Variant};
use crate::schema;
use crate::state::{JOBS, State};

/// Largest request body read; larger ones are answered 413.
pub(crate) const MAX_BODY_BYTES: usize = 1 << 20;

const PLAIN_TEXT: &str = "text/plain;charset=UTF-8";
const JSON: &str = "application/json";

/// An answer before it becomes an HTTP response.
#[derive(Debug)]
pub(crate) struct Answer {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Bytes,
    pub headers: Vec<(&'static str, String)>,
}

impl Answer {
    fn new(status: u16, content_type: Option<&str>, body: impl Into<Bytes>) -> Self {
        Self {
            status,
            content_type: content_type.map(str::to_owned),
            body: body.into(),
            headers: Vec::new(),
        }
    }

    fn empty(status: u16) -> Self {
        Self::new(status, None, Bytes::new())
    }

    fn text(status: u16, text: &str) -> Self {
        Self::new(status, Some(PLAIN_TEXT), text.to_owned())
    }

    /// A JBoss error page (404, 405, 406, 415, 5xx).
    pub fn page(status: u16, description: &str) -> Self {
        Self::new(
            status,
            Some(server_forms::ERROR_PAGE_TYPE),
            server_forms::error_page(status, description),
        )
    }

    fn json(status: u16, media: &str, body: &Value) -> Self {
        Self::new(status, Some(media), body.to_string())
    }

    fn with_header(mut self, name: &'static str, value: String) -> Self {
        self.headers.push((name, value));
        self
    }
}

/// What a request carries that the handler reads.
#[derive(Debug)]
pub(crate) struct Incoming<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub accept: Option<&'a str>,
    pub content_type: Option<&'a str>,
    pub authorization: Option<&'a str>,
    pub cookie: Option<&'a str>,
}

/// Everything every request shares.
pub(crate) struct Shared {
    pub spec: Spec,
    pub routes: RouteTable,
    pub state: RwLock<State>,
    pub config: Config,
    /// Seeded dice for faults and session ids.
    pub dice: Mutex<fastrand::Rng>,
    /// Path of the job collection, for task `@href`s.
    pub jobs_path: String,
    /// The path the API is served below (`/api/space`), from the spec's `servers`.
    pub base_path: String,
    pub requests: AtomicU64,
}

/// A route's work, once the request is known to be well formed and allowed.
struct Call<'a> {
    route: &'a Route,
    variant: &'a Variant,
    /// Index of the answer media type in `variant.accept`.
    accept: usize,
    user: String,
    parameter: Option<&'a str>,
    query: HashMap<String, String>,
    body: Option<Value>,
    /// The `Cookie` header, for the session calls.
    cookie: Option<&'a str>,
}

impl Shared {
    fn read(&self) -> RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> RwLockWriteGuard<'_, State> {
        self.state.write().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn roll(&self, share: f64) -> bool {
        share > 0.0
            && self
                .dice
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .f64()
                < share
    }

    fn has(&self, deviation: Deviation) -> bool {
        self.config.deviations.contains(&deviation)
    }

    /// Handles everything up to the point the body is needed; `read_body` supplies it.
    pub async fn handle<F, Fut>(&self, request: Incoming<'_>, read_body: F) -> Answer
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Bytes, Answer>>,
    {
        let Some(below_base) = request.path.strip_prefix(self.base_path.as_str()) else {
            return Answer::page(404, "The requested resource is not available.");
        };
        let segments: Vec<&str> = below_base.split('/').filter(|s| !s.is_empty()).collect();
        let matching: Vec<(&Route, Option<&str>)> = self
            .routes
            .routes
            .iter()
            .filter_map(|route| route.matches(&segments).map(|p| (route, p)))
            .collect();
        if matching.is_empty() {
            return Answer::page(404, "The requested resource is not available.");
        }
        let Some(&(route, parameter)) = matching
            .iter()
            .find(|(route, _)| route.method.as_str() == request.method)
        else {
            let allow: Vec<&str> = matching.iter().map(|(r, _)| r.method.as_str()).collect();
            return Answer::page(
                405,
                "The specified HTTP method is not allowed for the requested resource.",
            )
            .with_header("allow", allow.join(", "));
        };

        // The container checks credentials before the application sees media types.
        let Some(user) = self.authenticate(&request, &route.behaviour) else {
            let variant = &route.variants[0];
            let why = match route.behaviour {
                Behaviour::Session(_) => "User is not logged in",
                _ => "User not authenticated",
            };
            return self
                .error(variant, 401, why)
                .with_header("www-authenticate", "Basic realm=\"Junos Space\"".to_owned());
        };
        self.refresh_jobs();

        let variant = match self.choose_variant(route, request.content_type) {
            Ok(variant) => variant,
            Err(answer) => return answer,
        };
        let accept = if self.has(Deviation::IgnoreAccept) {
            0
        } else {
            match negotiation::choose_accept(request.accept, &variant.accept) {
                Negotiated::Matched(at) => at,
                Negotiated::Malformed(why) => return self.error(variant, 400, &why),
                Negotiated::Refused(accept) => {
                    return Answer::page(406, &server_forms::not_acceptable_description(&accept));
                }
            }
        };
        let query: HashMap<String, String> = request
            .query
            .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
            .unwrap_or_default();
        let body = match &variant.content_type {
            None => None,
            Some(_) => {
                let bytes = match read_body().await {
                    Ok(bytes) => bytes,
                    Err(answer) => return answer,
                };
                match self.read_json(variant, &bytes) {
                    Ok(value) => Some(value),
                    Err(why) => return self.error(variant, 400, &why),
                }
            }
        };
        let call = Call {
            route,
            variant,
            accept,
            user,
            parameter,
            query,
            body,
            cookie: request.cookie,
        };
        match self.perform(&call) {
            Ok(answer) => answer,
            Err(answer) => answer,
        }
    }

    /// The user a request acts for: its Basic credentials, or a session its cookies name.
    /// Login takes credentials only; it opens a session, it is not part of one.
    fn authenticate(&self, request: &Incoming<'_>, behaviour: &Behaviour) -> Option<String> {
        if let Some(user) = auth::basic_user(request.authorization, &self.config.credentials) {
            return Some(user);
        }
        if matches!(behaviour, Behaviour::Session(SessionRole::Opens)) {
            return None;
        }
        self.session_user(request.cookie)
    }

    /// The user of the session `cookie` names, if it is open.
    fn session_user(&self, cookie: Option<&str>) -> Option<String> {
        let ids = auth::session_ids(cookie);
        let state = self.read();
        ids.iter().find_map(|id| state.sessions.get(*id).cloned())
    }

    /// Login, logout and login-status, once the request is authenticated.
    fn session(&self, call: &Call<'_>, role: SessionRole) -> Result<Answer, Answer> {
        let variant = call.variant;
        match role {
            SessionRole::Opens => {
                let (sso, session) = {
                    let mut dice = self.dice.lock().unwrap_or_else(PoisonError::into_inner);
                    (
                        format!("{:032X}", dice.u128(..)),
                        format!("{:024x}.node1", dice.u128(..) >> 32),
                    )
                };
                let mut state = self.write();
                state.sessions.insert(sso.clone(), call.user.clone());
                state.sessions.insert(session.clone(), call.user.clone());
                Ok(self
                    .text_success(call, "User logged in")
                    .with_header("set-cookie", auth::session_set_cookie(&sso, &session)))
            }
            SessionRole::Ends => {
                // Logout finds the session by its cookies; Basic credentials name none.
                if self.session_user(call.cookie).is_none() {
                    return Err(self.error(variant, 401, "No session to log out of"));
                }
                let mut state = self.write();
                for id in auth::session_ids(call.cookie) {
                    state.sessions.remove(id);
                }
                Ok(self
                    .text_success(call, "User logged out")
                    .with_header("set-cookie", auth::expired_set_cookie()))
            }
            SessionRole::Reports => Ok(self.text_success(call, "User is logged in")),
        }
    }

    /// Cancels the job the path names, if it still waits for its schedule.
    fn cancel_job(&self, call: &Call<'_>, store: &str) -> Result<Answer, Answer> {
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

    fn refresh_jobs(&self) {
        if !self.read().live_jobs.is_empty() {
            self.write().refresh_jobs(Instant::now());
        }
    }

    /// The variant named by `Content-Type`, for routes that take a body.
    fn choose_variant<'r>(
        &self,
        route: &'r Route,
        content_type: Option<&str>,
    ) -> Result<&'r Variant, Answer> {
        let taken: Vec<_> = route
            .variants
            .iter()
            .filter_map(|v| v.content_type.as_ref())
            .collect();
        if taken.is_empty() || self.has(Deviation::AcceptAnyContentType) {
            return Ok(&route.variants[0]);
        }
        match negotiation::match_content_type(content_type, &taken) {
            Negotiated::Matched(at) => Ok(&route.variants[at]),
            Negotiated::Malformed(why) => Err(self.error(&route.variants[0], 400, &why)),
            Negotiated::Refused(sent) => Err(Answer::page(
                415,
                &server_forms::unsupported_type_description(&sent),
            )),
        }
    }

    fn read_json(&self, variant: &Variant, bytes: &[u8]) -> Result<Value, String> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err("the request needs a body".into());
        }
        let value: Value =
            serde_json::from_slice(bytes).map_err(|e| format!("the body is not JSON: {e}"))?;
        if let Some(schema) = &variant.request_schema {
            let lenient = self.config.realism.lenient_request_bodies;
            let reading = if lenient {
                Reading::SERVER_FORMS
            } else {
                Reading::LITERAL
            };
            if let Some(finding) = validate(&self.spec, schema, &value, reading).first() {
                return Err(format!("the body does not match the schema: {finding}"));
            }
        }
        Ok(value)
    }

    /// An error answer in the form the operation documents for `status`: plain text, no body,
    /// or JSON in its type (`application/json` when the status is undocumented). A realistic
    /// server answers every 401 in plain text.
    fn error(&self, variant: &Variant, status: u16, message: &str) -> Answer {
        if status == 401 && self.config.realism.plain_text_auth_errors {
            return Answer::text(401, message);
        }
        let media = variant.error_media_type(status);
        if let Some(text) = media.filter(|m| MediaType::parse(m).is_ok_and(|m| m.is_plain_text())) {
            return Answer::new(status, Some(text), message.to_owned());
        }
        if media.is_none() && variant.documents(status) {
            return Answer::empty(status);
        }
        Answer::json(
            status,
            media.unwrap_or(JSON),
            &json!({ "message": message }),
        )
    }

    fn not_found(&self, variant: &Variant, what: &str) -> Answer {
        self.error(variant, 404, &format!("{what} not found"))
    }

    fn perform(&self, call: &Call<'_>) -> Result<Answer, Answer> {
        let variant = call.variant;
        let collection_uri = format!("{}{}", self.base_path, call.route.collection_path());
        let key = || {
            call.parameter
                .and_then(|p| p.parse::<u64>().ok())
                .ok_or_else(|| self.not_found(variant, "the resource"))
        };
        match &call.route.behaviour {
            Behaviour::Session(role) => self.session(call, *role),
            Behaviour::CancelJob { store } => self.cancel_job(call, store),
            Behaviour::List(listing) => self.list(call, listing, &collection_uri),
            Behaviour::Get { store } => {
                let key = key()?;
                let fields = self.member(store, key).ok_or_else(|| {
                    self.not_found(variant, &format!("{} {key}", singular(store)))
                })?;
                let schema = self.answer_schema(call).unwrap_or(&Value::Null);
                let body = match schema::single_wrapper(&self.spec, schema) {
                    Some((name, inner)) => {
                        let member =
                            render::member(&self.spec, inner, &collection_uri, key, &fields);
                        json!({ name: member })
                    }
                    None => render::member(&self.spec, schema, &collection_uri, key, &fields),
                };
                Ok(self.success(call, variant.success_status, Some(body)))
            }
            Behaviour::GetPart { store } => {
                let key = key()?;
                let fields = self.member(store, key).ok_or_else(|| {
                    self.not_found(variant, &format!("{} {key}", singular(store)))
                })?;
                let schema = self.answer_schema(call).unwrap_or(&Value::Null);
                let label = fields
                    .get("name")
                    .and_then(Value::as_str)
                    .map_or_else(|| format!("{} {key}", singular(store)), str::to_owned);
                let body = render::part(&self.spec, schema, &fields, &label);
                Ok(self.success(call, variant.success_status, Some(body)))
            }
            Behaviour::Delete {
                store,
                asynchronous,
            } => {
                let key = key()?;
                if self.member(store, key).is_none() {
                    return Err(self.not_found(variant, &format!("{} {key}", singular(store))));
                }
                if *asynchronous {
                    let effect = Effect::Remove {
                        store: store.clone(),
                        key,
                    };
                    return self.start_job(call, None, effect);
                }
                self.write().store(store).members.remove(&key);
                Ok(self.success(call, variant.success_status, None))
            }
            Behaviour::StartJob {
                store,
                on_member,
                adds_to,
            } => {
                if *on_member {
                    let id = call.parameter.unwrap_or_default();
                    let member = id
                        .parse::<u64>()
                        .ok()
                        .and_then(|key| self.member(store, key));
                    let what = format!("{} {id}", singular(store));
                    let failure = match member {
                        Some(_) => None,
                        // Not an integer, as the path parameter must be: a malformed request.
                        None if !is_integer(id) => {
                            return Err(self.error(
                                variant,
                                400,
                                &format!("`{id}` is not a {} id", singular(store)),
                            ));
                        }
                        None if variant.documents(404) => {
                            return Err(self.not_found(variant, &what));
                        }
                        // The operation documents no 404: the job reports the missing target,
                        // whatever integer names it (negative or too large for a key too).
                        None => Some(format!("{what} not found")),
                    };
                    self.start_job(call, failure, Effect::None)
                } else {
                    // A job whose body names a member that does not exist fails, as the
                    // operation documents no 404 for what its body names.
                    let mut failure = call.body.as_ref().and_then(|b| self.missing_reference(b));
                    let effect = match adds_to {
                        Some(target) => match self.member_from_body(target, call.body.as_ref()) {
                            Some(member) => Effect::Add {
                                store: target.clone(),
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
            }
        }
    }

    /// The first `@href` in `body` that names a member of a collection this server holds
    /// and that does not exist, as a failure message (`script 999 not found`).
    fn missing_reference(&self, body: &Value) -> Option<String> {
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

    fn member(&self, store: &str, key: u64) -> Option<Value> {
        let state = self.read();
        let member = state.stores.get(store)?.members.get(&key)?;
        Some(Value::clone(member))
    }

    /// The schema of the answer in the negotiated media type.
    fn answer_schema<'c>(&self, call: &'c Call<'_>) -> Option<&'c Value> {
        let (media, _) = call.variant.accept.get(call.accept)?;
        call.variant.success_schemas.get(media)
    }

    fn list(
        &self,
        call: &Call<'_>,
        listing: &Listing,
        collection_uri: &str,
    ) -> Result<Answer, Answer> {
        let Listing {
            store,
            envelope,
            member: member_name,
            count,
            fields,
        } = listing;
        let variant = call.variant;
        let known = |field: &str| field == "@key" || fields.iter().any(|f| f == field);
        let bad = |error: query::QueryError| self.error(variant, 400, &error.to_string());
        let paging = call
            .query
            .get("paging")
            .map(|p| query::parse_paging(p))
            .transpose()
            .map_err(bad)?;
        let filter = call
            .query
            .get("filter")
            .map(|f| query::parse_filter(f, known))
            .transpose()
            .map_err(bad)?;
        let sortby = call
            .query
            .get("sortby")
            .map(|s| query::parse_sortby(s, known))
            .transpose()
            .map_err(bad)?;
        let Paging { start, limit } = paging.unwrap_or(Paging {
            start: 0,
            limit: usize::MAX,
        });

        let (total, page) = {
            let state = self.read();
            let empty = Default::default();
            let members = state.stores.get(store).map_or(&empty, |s| &s.members);
            if filter.is_none() && sortby.is_none() {
                // The common case reads only the page, so a 100k-member store stays cheap.
                let page: Vec<_> = members
                    .iter()
                    .skip(start)
                    .take(limit)
                    .map(|(k, v)| (*k, v.clone()))
                    .collect();
                (members.len(), page)
            } else {
                let mut selected: Vec<_> = members
                    .iter()
                    .filter(|(key, member)| {
                        let key_value = Value::from(**key);
                        filter.as_ref().is_none_or(|f| {
                            f.matches(&|name| {
                                if name == "@key" {
                                    Some(&key_value)
                                } else {
                                    member.get(name)
                                }
                            })
                        })
                    })
                    .map(|(k, v)| (*k, v.clone()))
                    .collect();
                drop(state);
                if let Some(keys) = &sortby {
                    selected.sort_by(|(ka, a), (kb, b)| {
                        keys.iter()
                            .map(|sort| {
                                let ordering = if sort.field == "@key" {
                                    ka.cmp(kb)
                                } else {
                                    query::order(a.get(&sort.field), b.get(&sort.field))
                                };
                                if sort.descending {
                                    ordering.reverse()
                                } else {
                                    ordering
                                }
                            })
                            .find(|o| o.is_ne())
                            .unwrap_or(std::cmp::Ordering::Equal)
                    });
                }
                let total = selected.len();
                (
                    total,
                    selected.into_iter().skip(start).take(limit).collect(),
                )
            }
        };
        if total == 0 && self.config.realism.empty_collections_as_204 {
            return Ok(Answer::empty(204));
        }
        let item_schema = self
            .routes
            .member_schemas
            .get(store)
            .unwrap_or(&Value::Null);
        let members = page
            .iter()
            .map(|(key, fields)| {
                render::member(&self.spec, item_schema, collection_uri, *key, fields)
            })
            .collect();
        let body = render::collection(
            envelope,
            member_name,
            collection_uri,
            count.as_deref(),
            total,
            members,
            self.config.realism,
        );
        Ok(self.success(call, variant.success_status, Some(body)))
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

    fn start_job(
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
        let task = json!({"task": {
            "@href": format!("{jobs_uri}/{key}"),
            "id": key,
        }});
        Ok(self.success(call, variant.success_status, Some(task)))
    }

    /// A plain-text success answer in the negotiated type.
    fn text_success(&self, call: &Call<'_>, text: &str) -> Answer {
        let media = call
            .variant
            .accept
            .get(call.accept)
            .map_or(PLAIN_TEXT, |(media, _)| media.as_str());
        Answer::new(call.variant.success_status, Some(media), text.to_owned())
    }

    /// A success answer in the negotiated type, with realism and deviations applied.
    fn success(&self, call: &Call<'_>, status: u16, body: Option<Value>) -> Answer {
        let status = if self.has(Deviation::UndocumentedStatus) {
            if status == 200 { 203 } else { 200 }
        } else {
            status
        };
        let Some(mut body) = body else {
            return Answer::empty(status);
        };
        let media = call
            .variant
            .accept
            .get(call.accept)
            .map_or(JSON, |(text, _)| text.as_str());
        if self.has(Deviation::MissingRequiredField)
            && let Some(schema) = self.answer_schema(call)
        {
            schema::drop_first_required(&self.spec, schema, &mut body);
        }
        if self.config.realism.attributes_as_strings {
            render::stringify_attributes(&mut body);
        }
        let mut media = media.to_owned();
        let deviates =
            self.has(Deviation::WrongResponseVersion) || self.has(Deviation::SiblingMediaType);
        if deviates && let Ok(mut deviant) = MediaType::parse(&media) {
            if self.has(Deviation::WrongResponseVersion)
                && let Some(next) = near_miss::next_version(&deviant)
            {
                deviant = next;
            }
            if self.has(Deviation::SiblingMediaType) {
                deviant = near_miss::sibling_resource(&deviant);
            }
            media = deviant.to_string();
        }
        Answer::json(status, &media, &body)
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

/// Whether a path segment is an integer (`-3`, `12`), of any size.
fn is_integer(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// `devices` → `device`, for messages.
fn singular(store: &str) -> &str {
    store.strip_suffix('s').unwrap_or(store)
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
