//! The per-request behaviour behind the generated client's hooks.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use reqwest::header::{AUTHORIZATION, COOKIE, HeaderValue};
use reqwest::{Method, Request, Response, StatusCode};
use tracing::Instrument as _;

use crate::backoff::{RetryPolicy, is_transient_failure, is_transient_status};
use crate::secret::Credentials;
use crate::session::session_cookie;

/// What one operation does to the login session, from the spec's `x-session`; it decides
/// which credentials the request carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SessionUse {
    /// An ordinary call: the session cookie on safe requests while a session is open, Basic
    /// credentials otherwise.
    #[default]
    Ordinary,
    /// Opens a session (`login`): always Basic credentials, never an old cookie; the cookies
    /// of its successful answer are the session from then on.
    Opens,
    /// Ends the session (`logout`): the session cookie whatever the method, as the server
    /// finds the session by its cookies; after its answer the client holds no session.
    Ends,
    /// Reports on the session (`login-status`): the session cookie; its 401 is the answer
    /// (the session has ended), not a reason to fall back to Basic credentials.
    Reports,
}

/// Credentials, session and retry policy shared by every request of one client (and its
/// clones: they share one session and one connection pool).
///
/// `Runtime::default()` adds nothing and retries nothing: the generated `Client::new` then
/// behaves exactly like plain progenitor output, plus a tracing span per request.
#[derive(Clone, Default)]
pub struct Runtime {
    shared: Arc<Shared>,
}

#[derive(Default)]
struct Shared {
    credentials: Option<Credentials>,
    retry: Option<RetryPolicy>,
    session: Mutex<Option<HeaderValue>>,
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runtime")
            .field("credentials", &self.shared.credentials)
            .field("retry", &self.retry_policy())
            .field("session", &self.has_session())
            .finish()
    }
}

impl Runtime {
    /// A runtime that sends `credentials` (if any) as HTTP Basic, and retries by `retry`.
    pub fn new(credentials: Option<Credentials>, retry: RetryPolicy) -> Self {
        Self {
            shared: Arc::new(Shared {
                credentials,
                retry: Some(retry),
                session: Mutex::new(None),
            }),
        }
    }

    /// The Basic credentials, if any.
    pub fn credentials(&self) -> Option<&Credentials> {
        self.shared.credentials.as_ref()
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.shared.retry.clone().unwrap_or_else(RetryPolicy::never)
    }

    /// Uses `cookie` (a `Cookie` header value, e.g. `JSESSIONIDSSO=..; JSESSIONID=..`) on
    /// later safe requests instead of Basic credentials; `None` ends the session.
    pub fn set_session(&self, cookie: Option<HeaderValue>) {
        let cookie = cookie.map(|mut value| {
            value.set_sensitive(true);
            value
        });
        *self.session() = cookie;
    }

    /// Whether a session cookie is in use.
    pub fn has_session(&self) -> bool {
        self.session().is_some()
    }

    fn session(&self) -> std::sync::MutexGuard<'_, Option<HeaderValue>> {
        // The guarded value is a plain Option that a panic cannot leave half-written.
        self.shared
            .session
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds authentication to `request` for an operation of `use_`: the session cookie on
    /// safe requests while a session is open, HTTP Basic otherwise. Junos Space's asynchronous
    /// endpoints want Basic and no session cookie, and every one of them is a POST or DELETE;
    /// logout and login-status find the session by its cookie, and login wants credentials.
    pub fn prepare(&self, request: &mut Request, use_: SessionUse) {
        let wants_cookie = match use_ {
            SessionUse::Ordinary => is_safe(request.method()),
            SessionUse::Opens => false,
            SessionUse::Ends | SessionUse::Reports => true,
        };
        let headers = request.headers_mut();
        if wants_cookie && let Some(cookie) = self.session().clone() {
            headers.insert(COOKIE, cookie);
            headers.remove(AUTHORIZATION);
            return;
        }
        headers.remove(COOKIE);
        if let Some(header) = self.credentials().and_then(Credentials::basic_header) {
            headers.insert(AUTHORIZATION, header);
        }
    }

    /// Sends `request` (of an operation of `use_`) on `client`, retrying transient failures
    /// the policy allows, inside a `junos_space.request` span that records operation id,
    /// method, path, status, attempts and duration. Headers are never recorded, so
    /// credentials stay out of traces.
    pub async fn execute(
        &self,
        client: &reqwest::Client,
        request: Request,
        operation_id: &str,
        use_: SessionUse,
    ) -> reqwest::Result<Response> {
        let span = tracing::info_span!(
            "junos_space.request",
            operation = operation_id,
            method = %request.method(),
            path = request.url().path(),
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        async move {
            let (outcome, attempts) = self.send_with_retries(client, request, use_).await;
            self.follow_session(&outcome, use_);
            let span = tracing::Span::current();
            span.record("attempts", attempts);
            span.record(
                "duration_ms",
                u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            );
            match &outcome {
                Ok(response) => {
                    span.record("status", response.status().as_u16());
                    tracing::debug!(status = response.status().as_u16(), "answered");
                }
                Err(error) => tracing::debug!(%error, "failed"),
            }
            outcome
        }
        .instrument(span)
        .await
    }

    /// Keeps the session an operation opens and forgets the one it ends: the cookies of a
    /// successful login's answer (`x-session: opens`) are sent from then on; after a logout
    /// (`ends`) none are, whatever it answered, since the session is over for this client
    /// either way. Without this, the generated `login()` and `logout()` would leave the client
    /// as it was.
    fn follow_session(&self, outcome: &reqwest::Result<Response>, use_: SessionUse) {
        match use_ {
            SessionUse::Opens => {
                let Ok(answer) = outcome else { return };
                if !answer.status().is_success() {
                    return;
                }
                let cookie = session_cookie(answer.headers());
                if cookie.is_none() {
                    tracing::warn!(
                        "login answered without a session cookie; staying on Basic credentials"
                    );
                }
                self.set_session(cookie);
            }
            SessionUse::Ends => self.set_session(None),
            SessionUse::Ordinary | SessionUse::Reports => {}
        }
    }

    async fn send_with_retries(
        &self,
        client: &reqwest::Client,
        mut request: Request,
        use_: SessionUse,
    ) -> (reqwest::Result<Response>, u32) {
        let policy = self.retry_policy();
        let retryable = policy.allows(request.method());
        let mut attempt = 1;
        let mut session_fallback_done = false;
        loop {
            let used_session = request.headers().contains_key(COOKIE);
            // A body that cannot be cloned (a stream) cannot be sent twice: no retry then.
            let spare = request.try_clone();
            let outcome = client.execute(request).await;
            let Some(mut next) = spare else {
                return (outcome, attempt);
            };
            // An expired session answers 401 on a safe request: end it, and send the request
            // once more with Basic credentials. A session call's 401 is its answer.
            if used_session
                && use_ == SessionUse::Ordinary
                && !session_fallback_done
                && self.credentials().is_some()
                && matches!(&outcome, Ok(r) if r.status() == StatusCode::UNAUTHORIZED)
            {
                tracing::info!("session no longer accepted; falling back to Basic credentials");
                self.set_session(None);
                self.prepare(&mut next, use_);
                session_fallback_done = true;
                request = next;
                continue;
            }
            let transient = match &outcome {
                Ok(response) => is_transient_status(response.status()),
                Err(error) => is_transient_failure(error),
            };
            if !(transient && retryable && attempt < policy.max_attempts()) {
                return (outcome, attempt);
            }
            let delay = policy.delay_after(attempt);
            match &outcome {
                Ok(response) => tracing::warn!(
                    status = response.status().as_u16(),
                    attempt,
                    delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                    "transient answer; retrying"
                ),
                Err(error) => tracing::warn!(
                    %error,
                    attempt,
                    delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                    "transient failure; retrying"
                ),
            }
            drop(outcome);
            tokio::time::sleep(delay).await;
            attempt += 1;
            request = next;
        }
    }
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Password;

    fn runtime_with_session() -> Runtime {
        let credentials = Credentials::new("super", Password::from("juniper123"));
        let runtime = Runtime::new(Some(credentials), RetryPolicy::never());
        runtime.set_session(Some(HeaderValue::from_static("JSESSIONID=abc")));
        runtime
    }

    fn prepared(runtime: &Runtime, method: Method, use_: SessionUse) -> (bool, bool) {
        let url = reqwest::Url::parse("https://space.example/api/space/x").expect("a URL");
        let mut request = Request::new(method, url);
        runtime.prepare(&mut request, use_);
        let headers = request.headers();
        (
            headers.contains_key(COOKIE),
            headers.contains_key(AUTHORIZATION),
        )
    }

    fn answered(status: u16, set_cookie: Option<&str>) -> reqwest::Result<Response> {
        let mut answer = http::Response::builder().status(status);
        if let Some(cookie) = set_cookie {
            answer = answer.header(reqwest::header::SET_COOKIE, cookie);
        }
        Ok(Response::from(answer.body("").expect("a valid response")))
    }

    #[test]
    fn a_login_opens_the_session_and_a_logout_ends_it_whatever_it_answers() {
        let credentials = Credentials::new("super", Password::from("juniper123"));
        let runtime = Runtime::new(Some(credentials), RetryPolicy::never());
        runtime.follow_session(
            &answered(401, Some("JSESSIONID=refused")),
            SessionUse::Opens,
        );
        assert!(!runtime.has_session(), "a refused login opens nothing");
        runtime.follow_session(&answered(200, Some("JSESSIONID=abc")), SessionUse::Ordinary);
        assert!(
            !runtime.has_session(),
            "only the operation that opens a session does"
        );
        runtime.follow_session(&answered(200, Some("JSESSIONID=abc")), SessionUse::Opens);
        assert!(runtime.has_session());
        assert_eq!(
            prepared(&runtime, Method::GET, SessionUse::Ordinary),
            (true, false)
        );
        runtime.follow_session(&answered(200, None), SessionUse::Reports);
        assert!(runtime.has_session(), "login-status changes nothing");
        runtime.follow_session(&answered(412, None), SessionUse::Ends);
        assert!(!runtime.has_session(), "the session is over for the client");
    }

    #[test]
    fn each_session_use_carries_its_credentials() {
        let runtime = runtime_with_session();
        // (cookie, basic)
        let cases = [
            (Method::GET, SessionUse::Ordinary, (true, false)),
            (Method::POST, SessionUse::Ordinary, (false, true)),
            (Method::POST, SessionUse::Opens, (false, true)),
            (Method::POST, SessionUse::Ends, (true, false)),
            (Method::GET, SessionUse::Reports, (true, false)),
        ];
        for (method, use_, expected) in cases {
            assert_eq!(
                prepared(&runtime, method.clone(), use_),
                expected,
                "{method} {use_:?}"
            );
        }
        runtime.set_session(None);
        assert_eq!(
            prepared(&runtime, Method::POST, SessionUse::Ends),
            (false, true),
            "without a session, logout carries Basic credentials"
        );
    }
}
