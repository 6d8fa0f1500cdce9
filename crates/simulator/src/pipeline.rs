//! One request in, one answer out, through the stages in order: [`routing`], [`credentials`],
//! [`negotiation`], [`body`], [`behaviour`], [`answer`]. Each stage hands the next what it
//! found, or stops the request with a refusal, which the answer writer writes for the
//! operation known by then. Each stage's rules are made once, at start-up, from the realism
//! and the deviations of the configuration.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::future::Future;
use std::sync::atomic::AtomicU64;
use std::sync::{Mutex, PoisonError};

use bytes::Bytes;
use junos_space_model::Api;
use junos_space_model::api::{Operation, Reading};

use crate::answer::{Answer, Success, Writer};
use crate::behaviour::{Call, World};
use crate::config::{Config, Realism};
use crate::deviation::{Change, Deviation};
use crate::outcome::Refusal;
use crate::routes::RouteTable;
use crate::state::SharedState;
use crate::{answer, behaviour, body, credentials, negotiation, routing};

/// What a request carries that the stages read.
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

/// The rules of every stage that has any.
#[derive(Debug)]
pub(crate) struct Rules {
    pub credentials: credentials::Rules,
    pub negotiation: negotiation::Rules,
    pub body: body::Rules,
    pub behaviour: behaviour::Rules,
    pub answer: answer::Rules,
}

impl Rules {
    /// Each stage as `realism` has it, then changed by each of `deviations`.
    pub fn new(realism: Realism, deviations: &BTreeSet<Deviation>) -> Self {
        let reading = if realism.lenient_request_bodies {
            Reading::CLIENT_FORMS
        } else {
            Reading::LITERAL
        };
        let mut rules = Self {
            credentials: credentials::Rules::default(),
            negotiation: negotiation::Rules::default(),
            body: body::Rules::reading(reading),
            behaviour: behaviour::Rules::default(),
            answer: answer::Rules::new(
                realism.forms(),
                realism.empty_pages_as_204,
                realism.plain_text_auth_errors,
            ),
        };
        for deviation in deviations {
            match deviation.change() {
                Change::Credentials(change) => change(&mut rules.credentials),
                Change::Negotiation(change) => change(&mut rules.negotiation),
                Change::Body(change) => change(&mut rules.body),
                Change::Behaviour(change) => change(&mut rules.behaviour),
                Change::Answer(change) => change(&mut rules.answer),
            }
        }
        rules
    }
}

/// Everything every request shares.
pub(crate) struct Shared {
    /// The model of the spec served: the bundled one, read once per process, or a file's.
    pub api: Cow<'static, Api>,
    pub routes: RouteTable,
    pub state: SharedState,
    pub config: Config,
    pub rules: Rules,
    /// Seeded dice for faults and session ids.
    pub dice: Mutex<fastrand::Rng>,
    /// Path of the job collection, for task `@href`s.
    pub jobs_path: String,
    pub requests: AtomicU64,
}

/// Where the stages stopped a request: the refusal, and the operation known by then.
struct Stopped<'a> {
    operation: Option<&'a Operation>,
    refusal: Refusal,
}

/// Stops a request at a stage that knows `operation`.
fn stop<'a>(operation: Option<&'a Operation>) -> impl FnOnce(Refusal) -> Stopped<'a> {
    move |refusal| Stopped { operation, refusal }
}

impl Shared {
    pub fn roll(&self, share: f64) -> bool {
        share > 0.0
            && self
                .dice
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .f64()
                < share
    }

    /// Admits a request with the account's Basic credentials (the HornetQ interface, which
    /// knows no session).
    pub fn admit_basic(&self, authorization: Option<&str>) -> Result<(), Refusal> {
        self.rules
            .credentials
            .admit(
                &self.config.credentials,
                authorization,
                None,
                None,
                &self.state,
            )
            .map(drop)
    }

    /// The answer to a refusal outside any operation.
    pub fn refused(&self, refusal: Refusal) -> Answer {
        self.writer().refusal(None, refusal)
    }

    fn writer(&self) -> Writer<'_> {
        Writer {
            api: &self.api,
            rules: &self.rules.answer,
        }
    }

    /// Answers `request`; `read_body` reads its body, which only the body stage asks for.
    pub async fn handle<F, Fut>(&self, request: Incoming<'_>, read_body: F) -> Answer
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Bytes, Refusal>>,
    {
        match self.stages(&request, read_body).await {
            Ok(answer) => answer,
            Err(Stopped { operation, refusal }) => self.writer().refusal(operation, refusal),
        }
    }

    async fn stages<'s, F, Fut>(
        &'s self,
        request: &Incoming<'_>,
        read_body: F,
    ) -> Result<Answer, Stopped<'s>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Bytes, Refusal>>,
    {
        let rules = &self.rules;
        let routed =
            routing::route(&self.routes, request.method, request.path).map_err(stop(None))?;
        let route = routed.route;
        let user = rules
            .credentials
            .admit(
                &self.config.credentials,
                request.authorization,
                request.cookie,
                route.first().session,
                &self.state,
            )
            .map_err(stop(Some(route.first())))?;
        let operation = rules
            .negotiation
            .operation(route, request.content_type)
            .map_err(stop(Some(route.first())))?;
        let answer_type = rules
            .negotiation
            .answer_type(operation, request.accept)
            .map_err(stop(Some(operation)))?;
        let body = rules
            .body
            .read(&self.api, operation, read_body)
            .await
            .map_err(stop(Some(operation)))?;
        let label = rules.negotiation.label(operation, request.accept);
        let success = Success {
            status: route.success,
            answer_type,
            schema: answer_type
                .and_then(|content| operation.answer_schema_in(route.success, &content.text)),
            label: label.as_deref(),
        };
        let call = Call {
            route,
            operation,
            answer_type,
            answer_schema: success.schema,
            user,
            // The member the route works on; where the path names none (a collection), the
            // last parameter.
            parameter: route
                .member_parameter()
                .and_then(|name| routed.parameters.iter().find(|(n, _)| *n == name))
                .map(|(_, value)| *value)
                .or_else(|| routed.parameter()),
            parameters: routed.parameters.clone(),
            query: request
                .query
                .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
                .unwrap_or_default(),
            body,
            cookie: request.cookie,
        };
        let world = World {
            api: &self.api,
            routes: &self.routes,
            state: &self.state,
            dice: &self.dice,
            jobs: &self.config.jobs,
            base_path: self.api.base_path(),
            jobs_path: &self.jobs_path,
            rules: &rules.behaviour,
        };
        let outcome = world.perform(&call).map_err(stop(Some(operation)))?;
        Ok(self.writer().outcome(success, outcome))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::Credentials;

    #[test]
    fn realism_and_deviations_set_the_rules_of_their_stages() {
        let account = Credentials::default();
        let faithful = Rules::new(Realism::real_server(), &BTreeSet::new());
        assert!(!(faithful.credentials.opens)(&account, "wrong"));
        assert_eq!((faithful.behaviour.count)(2), 2);
        assert!(faithful.answer.empty_pages_as_204);
        assert_eq!(faithful.body.reading, Reading::CLIENT_FORMS);
        let strict = Rules::new(Realism::schema_strict(), &BTreeSet::new());
        assert!(!strict.answer.empty_pages_as_204 && !strict.answer.plain_text_401);
        assert_eq!(strict.body.reading, Reading::CLIENT_FORMS);
        let literal = Realism {
            lenient_request_bodies: false,
            ..Realism::schema_strict()
        };
        assert_eq!(
            Rules::new(literal, &BTreeSet::new()).body.reading,
            Reading::LITERAL
        );
        let deviations = [Deviation::AnyPassword, Deviation::MiscountCollection].into();
        let deviant = Rules::new(Realism::real_server(), &deviations);
        assert!((deviant.credentials.opens)(&account, "wrong"));
        assert_eq!((deviant.behaviour.count)(2), 3);
        assert_eq!((deviant.answer.status)(200), 200);
    }
}
