//! The one `send` of every generated builder: its attempts (transient failures sent again as
//! the policy allows, a session the server no longer takes replaced by Basic credentials), the
//! `junos_space.request` span around them, and the readable error of the last.
//!
//! The generated code gives a send its builder, the `async fn` that builds its request, and
//! the operation's answer table ([`Expected`]); what it waits for is one future, the same for
//! every operation, that ends with the answer read ([`Answered`]). Only then is the answer decoded into the operation's
//! type, as the operation's [`Decode`] type says. So the compiler builds and checks one
//! asynchronous state machine for all operations, not one per operation, and compiles an
//! operation's decode only where a program awaits it: with hundreds of operations, both were
//! most of the generated crate's build time (measured: README, "Compiling only the services
//! you call").
//!
//! A second attempt sends a copy of the request, made only while another attempt may follow:
//! a call that will not be sent again (a POST, the last attempt) copies nothing.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

use progenitor_client::{Error as Exchanged, ResponseValue};
use reqwest::{Method, Request};
use tracing::Instrument as _;

use crate::answer::{Answered, Decode, Expected, read_answer};
use crate::backoff::{RetryPolicy, is_transient_failure, is_transient_status};
use crate::error::Error;
use crate::runtime::{Runtime, SessionUse, is_safe};

/// What the generated code knows of one operation when it sends it.
#[derive(Clone, Debug)]
pub struct Exchange {
    /// progenitor's operation id (`list_devices`).
    pub operation_id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The `Accept` the request sends, if any.
    pub accept: Option<&'static str>,
    /// What the operation does to the login session.
    pub session: SessionUse,
    /// How the answer of each documented success status is read; any other status is a
    /// failure, read into [`Error`].
    pub answers: &'static [Expected],
}

/// The future of one send: the request built from its builder `B` by `F` when first polled,
/// the exchange, and then the decode of its answer by `D`.
///
/// The builder is built here, not by the generated `send`, and by an `async fn` that never
/// waits: the generated crate compiles the body of an `async fn` only where its future is
/// polled, and this is polled only where a program awaits the send. So the request's
/// building, as the decode, is compiled for the operations a program calls, not in the
/// generated crate for every operation it has (a plain function named in `send`'s type is
/// compiled there: README, "Compiling only the services you call").
#[must_use = "a request is sent only when its future is awaited"]
pub struct Sending<'a, B, F, D> {
    state: State<'a, B, F>,
    // Not `PhantomData<D>`: the future holds no `D`, and stays `Unpin` and `Send` whatever it is.
    decode: PhantomData<fn() -> D>,
}

enum State<'a, B, F> {
    Unsent {
        runtime: &'a Runtime,
        http: &'a reqwest::Client,
        exchange: Exchange,
        builder: B,
        build: F,
    },
    Sent(Pin<Box<dyn Future<Output = Result<Answered, Error>> + Send + 'a>>),
    Done,
}

// The builder is moved out whole before it is built, never pinned.
impl<B, F, D> Unpin for Sending<'_, B, F, D> {}

impl<'a, B, F, Built, D> Future for Sending<'a, B, F, D>
where
    F: FnOnce(B) -> Built,
    Built: Future<Output = Result<Request, Exchanged>>,
    D: Decode,
{
    type Output = Result<ResponseValue<D::Output>, Error>;

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        if let State::Unsent { .. } = this.state
            && let State::Unsent {
                runtime,
                http,
                exchange,
                builder,
                build,
            } = std::mem::replace(&mut this.state, State::Done)
        {
            let built = std::pin::pin!(build(builder));
            let request = match built.poll(context) {
                Poll::Ready(request) => request,
                // The generated `build_request` has no `.await`.
                Poll::Pending => Err(Exchanged::InvalidRequest(format!(
                    "`{}`: the request was not built at once",
                    exchange.operation_id
                ))),
            };
            this.state = State::Sent(runtime.answered(http, exchange, request));
        }
        let State::Sent(answered) = &mut this.state else {
            return Poll::Ready(Err(Error::InvalidRequest(
                "a send polled after it completed".to_owned(),
            )));
        };
        let answered = std::task::ready!(answered.as_mut().poll(context));
        this.state = State::Done;
        Poll::Ready(answered.and_then(D::decode))
    }
}

impl<B, F, D> std::fmt::Debug for Sending<'_, B, F, D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sending").finish_non_exhaustive()
    }
}

impl Runtime {
    /// Sends the request `build` makes of `builder` (a generated builder) through `http` until
    /// it is answered as `exchange` expects, fails for good or the retry policy says stop,
    /// inside a `junos_space.request` span recording operation, method, path, status,
    /// attempts and duration (never headers, so credentials stay out of traces); then decodes
    /// the answer as `D` says. A failure comes back read into [`Error`]; a request that could
    /// not be built is not sent. Nothing happens until the future is polled.
    pub fn send<'a, B, F, Built, D>(
        &'a self,
        http: &'a reqwest::Client,
        exchange: Exchange,
        builder: B,
        build: F,
    ) -> Sending<'a, B, F, D>
    where
        F: FnOnce(B) -> Built,
        Built: Future<Output = Result<Request, Exchanged>>,
        D: Decode,
    {
        Sending {
            state: State::Unsent {
                runtime: self,
                http,
                exchange,
                builder,
                build,
            },
            decode: PhantomData,
        }
    }

    /// The future every send waits for, whatever its operation: the attempts, in the span.
    fn answered<'a>(
        &'a self,
        http: &'a reqwest::Client,
        exchange: Exchange,
        request: Result<Request, Exchanged>,
    ) -> Pin<Box<dyn Future<Output = Result<Answered, Error>> + Send + 'a>> {
        let span = tracing::info_span!(
            "junos_space.request",
            operation = exchange.operation_id,
            method = %exchange.method,
            path = tracing::field::Empty,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        // The clock runs only when something listens.
        let started = (!span.is_disabled()).then(Instant::now);
        let attempts = async move {
            let (outcome, attempts) = match request {
                Ok(request) => {
                    let plan = Plan::of(self, &exchange);
                    let (session, answers) = (exchange.session, exchange.answers);
                    let exchange_once = |request| async move {
                        match self.execute(http, request, session).await {
                            Ok(response) => read_answer(response, answers).await,
                            Err(failure) => Err(Exchanged::CommunicationError(failure)),
                        }
                    };
                    self.attempts(plan, request, exchange_once).await
                }
                Err(unbuilt) => (Err(unbuilt), 0),
            };
            let outcome = match outcome {
                Ok(answered) => Ok(answered),
                Err(error) => Err(Error::from_exchange(error, exchange.accept).await),
            };
            match started {
                Some(started) => record(outcome, attempts, started),
                None => outcome,
            }
        };
        Box::pin(attempts.instrument(span))
    }

    /// The attempts of one send, each through `exchange_once`: after a failure, the session
    /// dropped for Basic credentials, or a wait and another attempt, as long as the plan
    /// allows. Gives the last outcome and the number of attempts.
    async fn attempts<F, Fut>(
        &self,
        mut plan: Plan<'_>,
        mut request: Request,
        exchange_once: F,
    ) -> (Result<Answered, Exchanged>, u32)
    where
        F: Fn(Request) -> Fut,
        Fut: Future<Output = Result<Answered, Exchanged>>,
    {
        let mut attempt = 1;
        loop {
            let with_session = plan.may_fall_back && self.has_session();
            // A copy is kept only while another attempt may follow.
            let kept = if with_session || attempt < plan.max_attempts {
                request.try_clone()
            } else {
                None
            };
            let error = match exchange_once(request).await {
                Ok(answered) => return (Ok(answered), attempt),
                Err(error) => error,
            };
            let Some(copy) = kept else {
                return (Err(error), attempt);
            };
            if with_session && status_of(&error) == Some(401) {
                tracing::info!("session no longer accepted; falling back to Basic credentials");
                self.set_session(None);
                plan.may_fall_back = false;
            } else {
                let transient = match &error {
                    Exchanged::CommunicationError(failure) => is_transient_failure(failure),
                    Exchanged::UnexpectedResponse(answer) => is_transient_status(answer.status()),
                    _ => false,
                };
                let Some(policy) = plan
                    .retry
                    .filter(|_| transient && attempt < plan.max_attempts)
                else {
                    return (Err(error), attempt);
                };
                let delay = policy.delay_after(attempt);
                let delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
                match &error {
                    Exchanged::CommunicationError(failure) => {
                        tracing::warn!(error = %failure, attempt, delay_ms, "transient failure; retrying");
                    }
                    _ => tracing::warn!(
                        status = status_of(&error),
                        attempt,
                        delay_ms,
                        "transient answer; retrying"
                    ),
                }
                drop(error);
                tokio::time::sleep(delay).await;
                attempt += 1;
            }
            request = copy;
        }
    }
}

/// The outcome of a send, recorded on its span (the current one) with the attempts made and
/// the time they took.
fn record(
    outcome: Result<Answered, Error>,
    attempts: u32,
    started: Instant,
) -> Result<Answered, Error> {
    let span = tracing::Span::current();
    span.record("attempts", attempts);
    span.record(
        "duration_ms",
        u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    );
    match &outcome {
        Ok(answer) => {
            span.record("status", answer.status().as_u16());
            tracing::debug!(status = answer.status().as_u16(), "answered");
        }
        Err(error) => {
            if let Some(status) = error.status() {
                span.record("status", status);
            }
            tracing::debug!(%error, "failed");
        }
    }
    outcome
}

/// How many attempts a send may make, and whether a refused session may be replaced.
struct Plan<'a> {
    retry: Option<&'a RetryPolicy>,
    max_attempts: u32,
    /// An expired session answers 401 to an ordinary safe request: the session ends and the
    /// request goes once more with Basic credentials. A session call's 401 is its answer.
    may_fall_back: bool,
}

impl<'a> Plan<'a> {
    fn of(runtime: &'a Runtime, exchange: &Exchange) -> Self {
        let retry = runtime
            .retry()
            .filter(|policy| policy.allows(&exchange.method));
        Self {
            retry,
            max_attempts: retry.map_or(1, RetryPolicy::max_attempts),
            may_fall_back: exchange.session == SessionUse::Ordinary
                && is_safe(&exchange.method)
                && runtime.credentials().is_some(),
        }
    }
}

/// The status of an unexpected answer.
fn status_of(error: &Exchanged) -> Option<u16> {
    error.status().map(|status| status.as_u16())
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::time::Duration;

    use reqwest::header::HeaderValue;

    use super::*;
    use crate::answer::Reading;
    use crate::backoff::RetryPolicy;
    use crate::secret::{Credentials, Password};

    /// Every 2xx is read without its body.
    const ANY_SUCCESS: &[Expected] = &[Expected {
        low: 200,
        high: 299,
        reading: Reading::Empty,
    }];

    fn runtime() -> Runtime {
        let credentials = Credentials::new("super", Password::from("juniper123"));
        let quick =
            RetryPolicy::default().with_backoff(Duration::from_millis(1), Duration::from_millis(2));
        Runtime::new(Some(credentials), quick)
    }

    fn exchange(method: Method) -> Exchange {
        Exchange {
            operation_id: "list_devices",
            method,
            accept: Some("application/json"),
            session: SessionUse::Ordinary,
            answers: ANY_SUCCESS,
        }
    }

    /// Sends with answers of `statuses` in turn; gives the outcome's status and the
    /// exchanges made.
    async fn send(runtime: &Runtime, method: Method, statuses: &[u16]) -> (Option<u16>, u32) {
        let sent = AtomicU32::new(0);
        let exchange = exchange(method.clone());
        let plan = Plan::of(runtime, &exchange);
        let request = Request::new(method, "http://127.0.0.1/devices".parse().expect("a URL"));
        let (outcome, _) = runtime
            .attempts(plan, request, |_request| {
                let index = sent.fetch_add(1, Ordering::SeqCst) as usize;
                let status = statuses[index.min(statuses.len() - 1)];
                let answer = http::Response::builder()
                    .status(status)
                    .body("")
                    .expect("a valid response");
                read_answer(reqwest::Response::from(answer), ANY_SUCCESS)
            })
            .await;
        let status = match outcome {
            Ok(answer) => Some(answer.status().as_u16()),
            Err(error) => status_of(&error),
        };
        (status, sent.into_inner())
    }

    #[tokio::test]
    async fn a_get_is_sent_again_and_a_post_is_not() {
        let runtime = runtime();
        // Two 503s, then the answer.
        assert_eq!(
            send(&runtime, Method::GET, &[503, 503, 200]).await,
            (Some(200), 3)
        );
        // The policy's four attempts.
        assert_eq!(send(&runtime, Method::GET, &[503]).await, (Some(503), 4));
        // A POST goes once.
        assert_eq!(send(&runtime, Method::POST, &[503]).await, (Some(503), 1));
        // A failure that is not transient is not sent again.
        assert_eq!(send(&runtime, Method::GET, &[404]).await, (Some(404), 1));
    }

    #[tokio::test]
    async fn a_refused_session_is_dropped_and_the_get_sent_again_once() {
        let runtime = Runtime::new(
            Some(Credentials::new("super", Password::from("juniper123"))),
            RetryPolicy::never(),
        );
        runtime.set_session(Some(HeaderValue::from_static("JSESSIONID=old")));
        assert_eq!(
            send(&runtime, Method::GET, &[401, 200]).await,
            (Some(200), 2)
        );
        assert!(!runtime.has_session());
        // Without a session, a 401 is the answer.
        assert_eq!(
            send(&runtime, Method::GET, &[401, 200]).await,
            (Some(401), 1)
        );
    }

    #[tokio::test]
    async fn a_request_that_could_not_be_built_is_not_sent() {
        let runtime = runtime();
        let http = reqwest::Client::new();
        let unbuilt = |_builder: ()| async {
            Err(Exchanged::InvalidRequest(
                "device_id is not an integer".into(),
            ))
        };
        let outcome = runtime
            .send::<_, _, _, crate::answer::Empty<()>>(&http, exchange(Method::GET), (), unbuilt)
            .await;
        assert!(
            matches!(&outcome, Err(Error::InvalidRequest(message)) if message.contains("device_id")),
            "{outcome:?}"
        );
    }
}
