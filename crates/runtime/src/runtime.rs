//! The per-request behaviour behind the generated client's hooks.

use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use futures_util::FutureExt as _;

use reqwest::header::{AUTHORIZATION, COOKIE, HeaderValue};
use reqwest::{Method, Request, Response, Url};

use crate::backoff::RetryPolicy;
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
    /// Works in the session (Security Director's lock, and the changes and unlock under it,
    /// `x-session: within`): the session cookie whatever the method while a session is
    /// open, as the lock is the session's; Basic credentials otherwise.
    Within,
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
    /// Whether `session` holds a cookie, read without the lock by every request.
    session_open: AtomicBool,
    /// The client's base URL, parsed once ([`Runtime::request_url`]).
    base: OnceLock<Option<ParsedBase>>,
}

/// A base URL as given and as parsed, and the path its operation paths follow.
struct ParsedBase {
    text: String,
    url: Url,
    /// The path part of `text` exactly as written (`/api/space`, or empty for `https://host`).
    path: String,
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
                session_open: AtomicBool::new(false),
                base: OnceLock::new(),
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

    /// The retry policy without a copy, when one was given.
    pub(crate) fn retry(&self) -> Option<&RetryPolicy> {
        self.shared.retry.as_ref()
    }

    /// Uses `cookie` (a `Cookie` header value, e.g. `JSESSIONIDSSO=..; JSESSIONID=..`) on
    /// later safe requests instead of Basic credentials; `None` ends the session.
    pub fn set_session(&self, cookie: Option<HeaderValue>) {
        let cookie = cookie.map(|mut value| {
            value.set_sensitive(true);
            value
        });
        let mut session = self.session();
        self.shared
            .session_open
            .store(cookie.is_some(), Ordering::Release);
        *session = cookie;
    }

    /// The URL of a request: `base` (the client's base URL) followed by `path` (an operation's
    /// path, already percent-encoded), the same URL as parsing `base` and `path` written
    /// together. The base is parsed once and each request sets only its path: reqwest would
    /// otherwise parse the whole URL, host name rules included, on every request. A base this
    /// runtime has not seen first (a runtime shared by clients of two servers) is parsed whole.
    ///
    /// A backslash in `path` is sent percent-encoded, as `%5C`.
    pub fn request_url(&self, base: &str, path: &str) -> Result<Url, String> {
        let path = &*escape_backslashes(path);
        match self.parsed_base(base) {
            Some(parsed) => Ok(parsed.with_path(&format!("{}{path}", parsed.path))),
            None => Url::parse(&format!("{base}{path}"))
                .map_err(|error| format!("the client's base URL with `{path}`: {error}")),
        }
    }

    /// The URL of a request to an operation served below another base path than the
    /// client's: `base` (the client's base URL, ending in `api_base`, `/api/space`) with
    /// `api_base` replaced by `own_base` (Security Director's `/api/juniper`), then `path`.
    /// A base that does not end in `api_base` (a server's origin, or a proxy's prefix) keeps
    /// its whole path.
    pub fn request_url_below(
        &self,
        base: &str,
        api_base: &str,
        own_base: &str,
        path: &str,
    ) -> Result<Url, String> {
        let path = &*escape_backslashes(path);
        let other;
        let parsed = match self.parsed_base(base) {
            Some(parsed) => parsed,
            None => {
                other = ParsedBase::of(base)
                    .ok_or_else(|| format!("the client's base URL `{base}` is no base URL"))?;
                &other
            }
        };
        let written = parsed.path.trim_end_matches('/');
        let root = written.strip_suffix(api_base).unwrap_or(written);
        Ok(parsed.with_path(&format!("{root}{own_base}{path}")))
    }

    /// The base this runtime parsed once, when `base` is it.
    fn parsed_base(&self, base: &str) -> Option<&ParsedBase> {
        self.shared
            .base
            .get_or_init(|| ParsedBase::of(base))
            .as_ref()
            .filter(|parsed| parsed.text == base)
    }

    /// The session cookie in use, marked sensitive (its `Debug` hides it): what a caller
    /// that keeps a session beyond this process stores.
    pub fn current_session(&self) -> Option<HeaderValue> {
        if !self.has_session() {
            return None;
        }
        self.session().clone()
    }

    /// Whether a session cookie is in use.
    pub fn has_session(&self) -> bool {
        self.shared.session_open.load(Ordering::Acquire)
    }

    fn session(&self) -> std::sync::MutexGuard<'_, Option<HeaderValue>> {
        // The guarded value is a plain Option that a panic cannot leave half-written.
        self.shared
            .session
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds authentication to `request` (built afresh by each exchange, so carrying neither)
    /// for an operation of `use_`: the session cookie on safe requests while a session is
    /// open, HTTP Basic otherwise. Junos Space's asynchronous endpoints want Basic and no
    /// session cookie, and every one of them is a POST or DELETE; logout and login-status find
    /// the session by its cookie, and login wants credentials.
    pub fn prepare(&self, request: &mut Request, use_: SessionUse) {
        let wants_cookie = match use_ {
            SessionUse::Ordinary => is_safe(request.method()),
            SessionUse::Opens => false,
            SessionUse::Ends | SessionUse::Reports | SessionUse::Within => true,
        };
        let headers = request.headers_mut();
        // Without a session (the usual case) no lock is taken.
        if wants_cookie
            && self.has_session()
            && let Some(cookie) = self.session().clone()
        {
            headers.insert(COOKIE, cookie);
            return;
        }
        if let Some(header) = self.credentials().and_then(Credentials::basic_header) {
            headers.insert(AUTHORIZATION, header.clone());
        }
    }

    /// Sends `request` (of an operation of `use_`) on `client`, once, with its credentials
    /// ([`Runtime::prepare`]): the generated `send` ([`Runtime::send`](crate::Runtime::send))
    /// decides whether to send it again. Records the request's path on the
    /// `junos_space.request` span when something is listening, and follows the session a login
    /// opens or a logout ends.
    pub fn execute(
        &self,
        client: &reqwest::Client,
        mut request: Request,
        use_: SessionUse,
    ) -> impl Future<Output = reqwest::Result<Response>> + Send + '_ {
        self.prepare(&mut request, use_);
        if tracing::dispatcher::has_been_set() {
            tracing::Span::current().record("path", request.url().path());
        }
        // What every send holds while it waits is reqwest's own small future.
        client.execute(request).map(move |outcome| {
            self.follow_session(&outcome, use_);
            outcome
        })
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
            SessionUse::Ordinary | SessionUse::Reports | SessionUse::Within => {}
        }
    }
}

impl ParsedBase {
    /// The parsed base with its path set to `path`.
    fn with_path(&self, path: &str) -> Url {
        let mut url = self.url.clone();
        url.set_path(path);
        url
    }

    /// `base` parsed, when a path can simply follow it: no query, no fragment.
    fn of(base: &str) -> Option<Self> {
        let url = Url::parse(base).ok()?;
        if url.query().is_some() || url.fragment().is_some() || url.cannot_be_a_base() {
            return None;
        }
        // `https://host` parses to the path `/`, but `https://host` + `/x` is `/x`.
        let after_authority = base
            .split_once("://")
            .map(|(_, rest)| rest.find('/').map_or("", |at| &rest[at..]))?;
        let path = if after_authority.is_empty() {
            String::new()
        } else {
            url.path().to_owned()
        };
        Some(Self {
            text: base.to_owned(),
            url,
            path,
        })
    }
}

/// `path` with each `\\` percent-encoded (`%5C`). The URL standard reads a backslash in an
/// http(s) path as a `/`, and progenitor's `encode_path` leaves it as it is, so a path
/// parameter that is free text (a routing engine's serial number) holding one would otherwise
/// send the request to another path. No path template of the spec has one.
pub(crate) fn escape_backslashes(path: &str) -> std::borrow::Cow<'_, str> {
    if path.contains('\\') {
        path.replace('\\', "%5C").into()
    } else {
        path.into()
    }
}

/// GET, HEAD and OPTIONS: the methods that change nothing on the server.
pub(crate) fn is_safe(method: &Method) -> bool {
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
    fn a_request_url_is_the_url_of_base_and_path_written_together() {
        let paths = [
            "/device-management/devices",
            "/device-management/devices/131073",
            "/job-management/jobs/a%2Fb/progress-update",
            "",
        ];
        for base in [
            "https://space.example.com/api/space",
            "https://space.example.com/api/space/",
            "http://127.0.0.1:8443/proxy/api/space",
            "https://space.example.com",
            "https://space.example.com/",
            "https://space.example.com/a%20b",
        ] {
            let runtime = Runtime::default();
            for path in paths {
                let expected = Url::parse(&format!("{base}{path}")).expect("a URL");
                assert_eq!(
                    runtime.request_url(base, path),
                    Ok(expected),
                    "{base} {path}"
                );
            }
            // Another base on the same runtime is parsed whole.
            let other = "https://other.example.com/api/space";
            assert_eq!(
                runtime.request_url(other, paths[0]).map(String::from),
                Ok(format!("{other}{}", paths[0]))
            );
        }
        let error = Runtime::default()
            .request_url("not a url", "/x")
            .expect_err("no base");
        assert!(error.contains("relative URL"), "{error}");
    }

    #[test]
    fn an_operation_below_another_base_path_replaces_the_clients() {
        let path = "/sd/address-management/addresses/5";
        for (base, expected) in [
            (
                "https://space.example.com/api/space",
                "https://space.example.com/api/juniper/sd/address-management/addresses/5",
            ),
            (
                "http://127.0.0.1:8443/proxy/api/space/",
                "http://127.0.0.1:8443/proxy/api/juniper/sd/address-management/addresses/5",
            ),
            (
                "https://space.example.com",
                "https://space.example.com/api/juniper/sd/address-management/addresses/5",
            ),
        ] {
            let runtime = Runtime::default();
            // Through the base parsed once, then as another client's base, parsed whole.
            for _ in 0..2 {
                assert_eq!(
                    runtime
                        .request_url_below(base, "/api/space", "/api/juniper", path)
                        .map(String::from)
                        .as_deref(),
                    Ok(expected),
                    "{base}"
                );
            }
            let other = Runtime::default();
            other
                .request_url("https://other.example.com/api/space", "/x")
                .expect("a URL");
            assert_eq!(
                other
                    .request_url_below(base, "/api/space", "/api/juniper", path)
                    .map(String::from)
                    .as_deref(),
                Ok(expected),
                "{base}, parsed whole"
            );
        }
        assert!(
            Runtime::default()
                .request_url_below("not a url", "/api/space", "/api/juniper", "/x")
                .is_err()
        );
    }

    #[test]
    fn a_backslash_in_a_path_parameter_stays_in_its_segment() {
        let base = "https://space.example.com/api/space";
        let path = "/managed-domain/managed-elements/1/routing-engines/a\\b";
        let expected = "https://space.example.com/api/space/managed-domain/managed-elements/1/routing-engines/a%5Cb";
        // Once through the parsed base, once parsed whole (another base on the same runtime).
        let runtime = Runtime::default();
        for _ in 0..2 {
            assert_eq!(
                runtime.request_url(base, path).map(String::from).as_deref(),
                Ok(expected)
            );
        }
        let other = "https://other.example.com/api/space";
        let url = runtime.request_url(other, path).expect("a URL");
        assert_eq!(
            url.path(),
            "/api/space/managed-domain/managed-elements/1/routing-engines/a%5Cb"
        );
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
            (Method::POST, SessionUse::Within, (true, false)),
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
        assert_eq!(
            prepared(&runtime, Method::POST, SessionUse::Within),
            (false, true),
            "without a session, a call that works in one goes as any other"
        );
    }
}
