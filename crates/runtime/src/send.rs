//! The one `send` of every generated builder: its attempts (transient failures sent again as
//! the policy allows, a session the server no longer takes replaced by Basic credentials), the
//! `junos_space.request` span around them, and the readable error of the last.
//!
//! A second attempt is a fresh exchange of a copy of the builder, made only while another
//! attempt may follow: the request itself is never copied, and a call that will not be sent
//! again (a POST, the last attempt) copies nothing.
//!
//! The exchange runs boxed. progenitor's exchange holds the answer and the read of its body,
//! about a kilobyte; held inline, every layer above it (this send, the caller's future, the
//! executor) would build and move a future of twice that, and those copies into fresh stack
//! cost more, in cache misses, than one allocation of a size the allocator keeps at hand
//! (measured with `cargo bench -p junos-space --bench overhead`, README "Benchmarks").

use std::future::Future;
use std::time::Instant;

use progenitor_client::{Error as Exchanged, ResponseValue};
use reqwest::Method;
use tracing::Instrument as _;

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
}

impl Runtime {
    /// Sends `builder` through `exchange_once` (progenitor's exchange of a generated builder)
    /// until it succeeds, fails for good or the retry policy says stop, inside a
    /// `junos_space.request` span recording operation, method, path, status, attempts and
    /// duration (never headers, so credentials stay out of traces); a failure comes back read
    /// into [`Error`].
    pub fn send<B, T, E, F, Fut>(
        &self,
        exchange: Exchange,
        builder: B,
        exchange_once: F,
    ) -> impl Future<Output = Result<ResponseValue<T>, Error>>
    where
        B: Clone,
        F: Fn(B) -> Fut,
        Fut: Future<Output = Result<ResponseValue<T>, Exchanged<E>>>,
    {
        let span = tracing::info_span!(
            "junos_space.request",
            operation = exchange.operation_id,
            method = %exchange.method,
            path = tracing::field::Empty,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        // The attempts are the future the caller holds, inside the span (entering a span
        // nothing listens to is a check): no second future wraps them. The clock runs only
        // when something listens.
        let started = (!span.is_disabled()).then(Instant::now);
        let plan = Plan::of(self, &exchange);
        self.attempts(plan, exchange.accept, builder, exchange_once, started)
            .instrument(span)
    }

    /// The attempts of one send. The first is sent here; what follows a failure runs boxed
    /// ([`Runtime::after_failure`]), so that the future every send holds is the first exchange
    /// and little else. When `started` is set, the outcome is recorded on the send's span.
    async fn attempts<B, T, E, F, Fut>(
        &self,
        plan: Plan<'_>,
        accept: Option<&'static str>,
        builder: B,
        exchange_once: F,
        started: Option<Instant>,
    ) -> Result<ResponseValue<T>, Error>
    where
        B: Clone,
        F: Fn(B) -> Fut,
        Fut: Future<Output = Result<ResponseValue<T>, Exchanged<E>>>,
    {
        let with_session = plan.may_fall_back && self.has_session();
        // A copy is kept only while another attempt may follow.
        let kept = (with_session || plan.max_attempts > 1).then(|| builder.clone());
        let (outcome, attempts) = match Box::pin(exchange_once(builder)).await {
            Ok(answer) => (Ok(answer), 1),
            Err(error) => {
                let failed = Failed {
                    error,
                    attempt: 1,
                    with_session,
                };
                Box::pin(self.after_failure(accept, plan, failed, kept, &exchange_once)).await
            }
        };
        match started {
            Some(started) => record(outcome, attempts, started),
            None => outcome,
        }
    }

    /// What follows a failed attempt: the session dropped for Basic credentials, or a wait
    /// and another attempt, as long as the plan allows; else the failure read into [`Error`].
    async fn after_failure<B, T, E, F, Fut>(
        &self,
        accept: Option<&'static str>,
        mut plan: Plan<'_>,
        mut failed: Failed<E>,
        mut kept: Option<B>,
        exchange_once: &F,
    ) -> (Result<ResponseValue<T>, Error>, u32)
    where
        B: Clone,
        F: Fn(B) -> Fut,
        Fut: Future<Output = Result<ResponseValue<T>, Exchanged<E>>>,
    {
        loop {
            let Failed {
                error,
                mut attempt,
                with_session,
            } = failed;
            let may_retry = attempt < plan.max_attempts;
            let next = kept.take().and_then(|builder| {
                if with_session && status_of(&error) == Some(401) {
                    return Some((builder, None));
                }
                let transient = match &error {
                    Exchanged::CommunicationError(failure) => is_transient_failure(failure),
                    Exchanged::UnexpectedResponse(answer) => is_transient_status(answer.status()),
                    _ => false,
                };
                plan.retry
                    .filter(|_| transient && may_retry)
                    .map(|policy| (builder, Some(policy)))
            });
            let Some((builder, policy)) = next else {
                let error = Error::from_exchange(error, accept).await;
                return (Err(error), attempt);
            };
            match policy {
                None => {
                    tracing::info!("session no longer accepted; falling back to Basic credentials");
                    self.set_session(None);
                    plan.may_fall_back = false;
                }
                Some(policy) => {
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
            }
            let with_session = plan.may_fall_back && self.has_session();
            kept = (with_session || attempt < plan.max_attempts).then(|| builder.clone());
            match exchange_once(builder).await {
                Ok(answer) => return (Ok(answer), attempt),
                Err(error) => {
                    failed = Failed {
                        error,
                        attempt,
                        with_session,
                    }
                }
            }
        }
    }
}

/// The outcome of a send, recorded on its span (the current one) with the attempts made and
/// the time they took.
fn record<T>(
    outcome: Result<ResponseValue<T>, Error>,
    attempts: u32,
    started: Instant,
) -> Result<ResponseValue<T>, Error> {
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

/// An attempt that failed.
struct Failed<E> {
    error: Exchanged<E>,
    attempt: u32,
    /// Whether it carried the session cookie.
    with_session: bool,
}

/// The status of an unexpected answer.
fn status_of<E>(error: &Exchanged<E>) -> Option<u16> {
    error.status().map(|status| status.as_u16())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::time::Duration;

    use reqwest::header::HeaderValue;

    use super::*;
    use crate::backoff::RetryPolicy;
    use crate::secret::{Credentials, Password};

    /// A builder that counts its copies.
    #[derive(Debug)]
    struct Counted(Arc<AtomicU32>);

    impl Clone for Counted {
        fn clone(&self) -> Self {
            self.0.fetch_add(1, Ordering::SeqCst);
            Self(Arc::clone(&self.0))
        }
    }

    // The error is progenitor's, as a generated exchange returns it.
    #[allow(clippy::result_large_err)]
    fn answer(status: u16) -> Result<ResponseValue<()>, Exchanged<()>> {
        let response = http::Response::builder()
            .status(status)
            .body("")
            .expect("a valid response");
        match status {
            200 => Ok(ResponseValue::new(
                (),
                reqwest::StatusCode::OK,
                Default::default(),
            )),
            _ => Err(Exchanged::UnexpectedResponse(reqwest::Response::from(
                response,
            ))),
        }
    }

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
        }
    }

    /// Sends with answers of `statuses` in turn; gives the outcome's status, the exchanges
    /// made and the builder copies made.
    async fn send(runtime: &Runtime, method: Method, statuses: &[u16]) -> (Option<u16>, u32, u32) {
        let copies = Arc::new(AtomicU32::new(0));
        let sent = AtomicU32::new(0);
        let outcome = runtime
            .send(exchange(method), Counted(Arc::clone(&copies)), |_builder| {
                let index = sent.fetch_add(1, Ordering::SeqCst) as usize;
                let status = statuses[index.min(statuses.len() - 1)];
                async move { answer(status) }
            })
            .await;
        let status = match outcome {
            Ok(answer) => Some(answer.status().as_u16()),
            Err(error) => error.status(),
        };
        (status, sent.into_inner(), copies.load(Ordering::SeqCst))
    }

    #[tokio::test]
    async fn a_get_is_sent_again_from_a_copy_of_its_builder_and_a_post_is_not() {
        let runtime = runtime();
        // Two 503s, then the answer: three exchanges, each from a copy (a fourth could follow).
        assert_eq!(
            send(&runtime, Method::GET, &[503, 503, 200]).await,
            (Some(200), 3, 3)
        );
        // The policy's four attempts, the last without a copy.
        assert_eq!(send(&runtime, Method::GET, &[503]).await, (Some(503), 4, 3));
        // A POST goes once and is never copied.
        assert_eq!(
            send(&runtime, Method::POST, &[503]).await,
            (Some(503), 1, 0)
        );
        // A failure that is not transient is not sent again.
        assert_eq!(send(&runtime, Method::GET, &[404]).await, (Some(404), 1, 1));
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
            (Some(200), 2, 1)
        );
        assert!(!runtime.has_session());
        // Without a session, a 401 is the answer.
        assert_eq!(
            send(&runtime, Method::GET, &[401, 200]).await,
            (Some(401), 1, 0)
        );
    }
}
