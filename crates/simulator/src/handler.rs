//! One request in, one answer out: base path, route, authentication, media types, body, then
//! the route's behaviour on the state, then realism and deviations. Reading and removing
//! members is here; the behaviours with more to them have a module each: [`collections`]
//! (listing), [`jobs`] (asynchronous calls and cancel), [`sessions`] (login and logout).

use std::collections::HashMap;
use std::sync::atomic::AtomicU64;
use std::sync::{Mutex, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use bytes::Bytes;
use junos_space_model::media_type::near_miss;
use junos_space_model::server_forms;
use junos_space_model::validate::{Reading, validate};
use junos_space_model::{MediaType, SessionRole, Spec};
use serde_json::{Value, json};

use crate::auth;
use crate::config::{Config, Deviation};
use crate::jobs::Effect;
use crate::negotiation::{self, Negotiated};
use crate::render;
use crate::routes::{Behaviour, Route, RouteTable, Variant};
use crate::schema;
use crate::state::State;

mod collections;
mod jobs;
mod sessions;

pub(crate) use jobs::jobs_path;

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
            let mut why = match route.behaviour {
                Behaviour::Session(_) => "User is not logged in",
                _ => "User not authenticated",
            }
            .to_owned();
            if self.has(Deviation::EchoPassword)
                && let Some((user, password)) = auth::basic_pair(request.authorization)
            {
                why = format!("Wrong password `{password}` for user `{user}`");
            }
            return self
                .error(variant, 401, &why)
                .with_header("www-authenticate", "Basic realm=\"Junos Space\"".to_owned());
        };
        self.refresh_jobs();

        // The serve-older-versions deviation reads an older version as the one named.
        let older = |sent: Option<&str>, named: Vec<&MediaType>| {
            sent.filter(|_| self.has(Deviation::ServeOlderVersions))
                .and_then(|sent| negotiation::older_version_of(sent, &named))
        };
        let taken = route
            .variants
            .iter()
            .filter_map(|v| v.content_type.as_ref());
        let content_type = older(request.content_type, taken.collect());
        let content_type = content_type.as_deref().or(request.content_type);
        let variant = match self.choose_variant(route, content_type) {
            Ok(variant) => variant,
            Err(answer) => return answer,
        };
        let accept = older(
            request.accept,
            variant.accept.iter().map(|(_, m)| m).collect(),
        );
        let accept = accept.as_deref().or(request.accept);
        let accept = if self.has(Deviation::IgnoreAccept) {
            0
        } else {
            match negotiation::choose_accept(accept, &variant.accept) {
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
        let any_password = self.has(Deviation::AnyPassword);
        if let Some(user) = auth::basic_user(
            request.authorization,
            &self.config.credentials,
            any_password,
        ) {
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
        // The accept-invalid-body deviation takes any JSON.
        if let Some(schema) = variant
            .request_schema
            .as_ref()
            .filter(|_| !self.has(Deviation::AcceptInvalidBody))
        {
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
                    // The keep-deleted deviation runs the job and removes nothing.
                    let effect = if self.has(Deviation::KeepDeleted) {
                        Effect::None
                    } else {
                        Effect::Remove {
                            store: store.clone(),
                            key,
                        }
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
                        // Refused whether or not the operation documents its 404: a write on
                        // a member that does not exist starts nothing.
                        None if !self.has(Deviation::JobForUnknownId) => {
                            return Err(self.not_found(variant, &what));
                        }
                        // The job-for-unknown-id deviation starts a job that reports the
                        // missing target instead, whatever integer names it.
                        None => Some(format!("{what} not found")),
                    };
                    self.start_job(call, failure, Effect::None)
                } else {
                    // A job whose body names a member that does not exist fails, as the
                    // operation documents no 404 for what its body names.
                    let mut failure = call.body.as_ref().and_then(|b| self.missing_reference(b));
                    let effect = match adds_to {
                        // The discovery-adds-nothing deviation's job succeeds and adds nothing.
                        Some(_) if self.has(Deviation::DiscoveryAddsNothing) => Effect::None,
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
        if let Some(schema) = self.answer_schema(call) {
            body = server_forms::render(&self.spec, schema, &body, self.config.realism.forms());
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

/// Whether a path segment is an integer (`-3`, `12`), of any size.
fn is_integer(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// `devices` → `device`, for messages.
fn singular(store: &str) -> &str {
    store.strip_suffix('s').unwrap_or(store)
}
