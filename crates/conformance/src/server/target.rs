//! The server under test: its API URL, the account to use, and one HTTP client that sends each
//! request exactly once (no retries, no redirects), so a write is never repeated.

use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use junos_space_model::api::{Operation, SessionRole};
use junos_space_runtime::Credentials;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, COOKIE, HeaderValue};

use super::pacer::Pacer;
use crate::shared::curl::{self, Command, Url, User};

/// Where the API lives below a server's origin.
const BASE_PATH: &str = junos_space_api::Client::BASE_PATH;

/// How the probes reach the server.
#[derive(Debug, Clone, Default)]
pub struct Connection {
    /// PEM files of CAs to trust besides the platform's (a self-signed Junos Space).
    pub ca_certificates: Vec<PathBuf>,
    /// Skips certificate verification. Only for a lab server whose certificate cannot be had.
    pub accept_invalid_certificates: bool,
    /// Per request; `None` is two minutes (real servers take tens of seconds on some calls).
    pub timeout: Option<Duration>,
    /// At most this many requests a second (`--rate`), to spare a production server; `None`
    /// sends each as soon as the one before has its answer.
    pub max_rate: Option<f64>,
    /// The user name as it was given (`--user`), which reruns show; `None` (it came from
    /// `JUNOS_SPACE_USER`) shows the variable.
    pub user_as_given: Option<String>,
}

/// Why a target cannot be set up.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    #[error("{0}")]
    Url(String),
    #[error("CA certificate {path}: {reason}")]
    Certificate { path: PathBuf, reason: String },
    #[error("the HTTP client cannot start: {0}")]
    Client(String),
}

/// A Junos Space server (or anything that claims to be one) and the account to probe it with.
#[derive(Debug)]
pub struct Target {
    api_url: String,
    credentials: Credentials,
    http: reqwest::Client,
    /// The run's login session: the `Cookie` a login probe's answer set, until a logout
    /// probe ends it. Marked sensitive, so `Debug` does not show it.
    session: Mutex<Option<HeaderValue>>,
    /// The cookie of the session a logout probe ended, to see that it no longer opens.
    ended_session: Mutex<Option<HeaderValue>>,
    pacer: Option<Pacer>,
    verifies_certificates: bool,
    /// What reruns show as the user ([`Connection::user_as_given`]).
    user_as_given: Option<String>,
}

/// What the first HTTPS connection showed of the server's certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertificateCheck {
    /// Trusted: the server answered (with this status and type).
    Trusted {
        status: u16,
        content_type: Option<String>,
    },
    /// Refused, and why (`signed by a CA that is not trusted`).
    Refused(String),
    /// No answer for another reason, which the probes will report.
    Unreachable,
}

/// The credentials a request carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// None at all.
    None,
    /// The account's, as HTTP Basic.
    Account,
    /// The account's user with a wrong password: `not-` before the right one, so that an
    /// answer echoing it also shows the right one. A real server may lock an account after a
    /// few of these, so the plan sends one per run.
    WrongPassword,
    /// A user no server has ([`UNKNOWN_USER`]), with the same wrong password: refused like a
    /// wrong password, and locking no account.
    UnknownUser,
}

/// The user name of [`Auth::UnknownUser`].
pub const UNKNOWN_USER: &str = "check-server-unknown-user";

/// The prefix that makes the account's password wrong ([`Auth::WrongPassword`]).
pub const WRONG_PASSWORD_PREFIX: &str = "not-";

/// One request as a probe sends it. Headers that are `None` are left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub method: &'static str,
    /// Below the API URL, with path parameters filled in and encoded (`/device-management/devices/7`);
    /// below `base` where that is given.
    pub path: String,
    /// The base path `path` sits below when it is not the API URL's: its operation's own
    /// server's (Security Director's `/api/juniper`, [`own_base`]).
    pub base: Option<String>,
    pub accept: Option<String>,
    pub content_type: Option<String>,
    pub body: Option<Vec<u8>>,
    /// The HTTP Basic credentials that go with it.
    pub auth: Auth,
    /// Its part in the run's session: opening it (Basic credentials; the answer's cookie is
    /// kept), or ending or asking after it (the cookie instead of credentials).
    pub session: Option<SessionRole>,
}

impl Request {
    /// A GET of `path` as `operation` reads it: its exact `Accept`, the account's credentials.
    pub fn read(operation: &Operation, path: String) -> Self {
        Self {
            method: "GET",
            path,
            base: own_base(operation),
            accept: operation.accept_header(),
            content_type: None,
            body: None,
            auth: Auth::Account,
            session: None,
        }
    }
}

/// The base path of `operation` when it is not the API URL's: its path item's own server's.
pub fn own_base(operation: &Operation) -> Option<String> {
    (operation.base_path != BASE_PATH).then(|| operation.base_path.clone())
}

/// A request as another client writes it: its path from the server's origin as that client
/// spells it (`//api/space/...`), its own headers, and the account's Basic credentials or a
/// session cookie that client kept.
#[derive(Debug, Clone, Copy)]
pub struct ClientCall<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub headers: &'a [(String, String)],
    pub body: Option<&'a str>,
    pub cookie: Option<&'a str>,
}

/// What came back to a [`ClientCall`].
#[derive(Debug, Clone)]
pub struct ClientAnswer {
    pub status: u16,
    pub content_type: Option<String>,
    /// The `Set-Cookie` values, as sent.
    pub set_cookies: Vec<String>,
    pub body: String,
}

/// What came back.
#[derive(Debug, Clone, PartialEq)]
pub enum Exchange {
    Answered {
        status: u16,
        content_type: Option<String>,
        body: Bytes,
    },
    /// No answer: refused or dropped connection, timeout, TLS failure.
    NoAnswer(String),
}

impl Target {
    /// `url` is the server's origin (`https://space.example.com`) or its API URL (ending in
    /// `/api/space`).
    pub fn new(
        url: &str,
        credentials: Credentials,
        connection: &Connection,
    ) -> Result<Self, TargetError> {
        let api_url = junos_space_runtime::api_url(url, BASE_PATH)
            .map_err(|error| TargetError::Url(error.to_string()))?;
        let mut http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(connection.timeout.unwrap_or(Duration::from_secs(120)))
            .user_agent(concat!(
                "junos-space-conformance/",
                env!("CARGO_PKG_VERSION")
            ));
        for path in &connection.ca_certificates {
            let certificate = |reason: String| TargetError::Certificate {
                path: path.clone(),
                reason,
            };
            let pem = std::fs::read(path).map_err(|e| certificate(e.to_string()))?;
            let certificates = reqwest::Certificate::from_pem_bundle(&pem)
                .map_err(|e| certificate(e.to_string()))?;
            if certificates.is_empty() {
                return Err(certificate("no PEM certificate in the file".into()));
            }
            for one in certificates {
                http = http.add_root_certificate(one);
            }
        }
        if connection.accept_invalid_certificates {
            http = http.tls_danger_accept_invalid_certs(true);
        }
        let http = http
            .build()
            .map_err(|e| TargetError::Client(e.to_string()))?;
        Ok(Self {
            api_url,
            credentials,
            http,
            session: Mutex::new(None),
            ended_session: Mutex::new(None),
            pacer: connection.max_rate.and_then(Pacer::per_second),
            verifies_certificates: !connection.accept_invalid_certificates,
            user_as_given: connection.user_as_given.clone(),
        })
    }

    /// Whether the server's certificate is verified (no `--insecure`).
    pub fn verifies_certificates(&self) -> bool {
        self.verifies_certificates
    }

    /// Asks the API URL once, without credentials, to see whether its certificate is trusted.
    pub async fn certificate_check(&self) -> CertificateCheck {
        if let Some(pacer) = &self.pacer {
            pacer.wait().await;
        }
        match self.http.get(&self.api_url).send().await {
            Ok(answer) => CertificateCheck::Trusted {
                status: answer.status().as_u16(),
                content_type: answer
                    .headers()
                    .get(CONTENT_TYPE)
                    .and_then(|value| value.to_str().ok())
                    .map(str::to_owned),
            },
            Err(error) => match junos_space_runtime::refused_certificate(&error) {
                Some(reason) => CertificateCheck::Refused(reason),
                None => CertificateCheck::Unreachable,
            },
        }
    }

    /// Whether a login probe opened a session that no logout probe has ended.
    pub fn has_session(&self) -> bool {
        self.session_cookie().is_some()
    }

    fn session_cookie(&self) -> Option<HeaderValue> {
        // A plain Option behind the lock: a panic cannot leave it half-written.
        self.session
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn set_session_cookie(&self, cookie: Option<HeaderValue>) {
        *self.session.lock().unwrap_or_else(PoisonError::into_inner) = cookie;
    }

    /// Whether `body` holds the account's password (or the wrong one a probe sent, which
    /// contains it). Passwords under four characters are not looked for: they would be
    /// found by chance.
    pub fn echoes_password(&self, body: &[u8]) -> bool {
        let password = self.credentials.password().expose().as_bytes();
        password.len() >= 4
            && body
                .windows(password.len())
                .any(|window| window == password)
    }

    /// The API URL probes are sent below (`https://space.example.com/api/space`).
    pub fn api_url(&self) -> &str {
        &self.api_url
    }

    /// The user name the run logs in with.
    pub fn user(&self) -> &str {
        self.credentials.user()
    }

    /// `request` as a shell command that sends it again; credentials come from the
    /// environment, never from here.
    pub fn curl(&self, request: &Request) -> String {
        let url = self.url_of(request);
        let user = match request.auth {
            Auth::None => User::None,
            Auth::Account => User::Account {
                name: self.user_as_given.as_deref(),
            },
            Auth::WrongPassword => User::Wrong {
                name: None,
                prefix: WRONG_PASSWORD_PREFIX,
            },
            Auth::UnknownUser => User::Wrong {
                name: Some(UNKNOWN_USER),
                prefix: WRONG_PASSWORD_PREFIX,
            },
        };
        let headers = [
            ("Accept", &request.accept),
            ("Content-Type", &request.content_type),
        ]
        .into_iter()
        .filter_map(|(name, value)| Some((name, value.as_deref()?)))
        .collect();
        curl::render(&Command {
            method: request.method,
            url: Url::Literal(&url),
            user,
            headers,
            body: request.body.as_deref(),
        })
    }

    /// The URL `request` goes to: the API URL and its path, or the server's origin, the
    /// request's own base path and its path.
    fn url_of(&self, request: &Request) -> String {
        match &request.base {
            None => format!("{}{}", self.api_url, request.path),
            Some(base) => format!("{}{base}{}", self.origin(), request.path),
        }
    }

    /// The server's origin: the API URL without its base path (`https://space.example.com`).
    pub fn origin(&self) -> &str {
        self.api_url
            .strip_suffix(BASE_PATH)
            .unwrap_or(&self.api_url)
    }

    /// Sends another client's request once, as that client writes it.
    pub async fn send_as_client(&self, call: &ClientCall<'_>) -> Result<ClientAnswer, String> {
        if let Some(pacer) = &self.pacer {
            pacer.wait().await;
        }
        let method = reqwest::Method::from_bytes(call.method.as_bytes())
            .map_err(|error| format!("method: {error}"))?;
        // The path is joined as text: `//` stays as the client sends it.
        let mut builder = self
            .http
            .request(method, format!("{}{}", self.origin(), call.path));
        for (name, value) in call.headers {
            builder = builder.header(name, value);
        }
        match call.cookie {
            Some(cookie) => builder = builder.header(COOKIE, cookie),
            None => {
                if let Some(basic) = self.credentials.basic_header() {
                    builder = builder.header(AUTHORIZATION, basic.clone());
                }
            }
        }
        if let Some(body) = call.body {
            builder = builder.body(body.to_owned());
        }
        let response = builder
            .send()
            .await
            .map_err(|error| describe_transport_error(&error))?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
        let set_cookies = response
            .headers()
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
            .collect();
        let body = response.text().await.map_err(|error| {
            format!(
                "status {status}, then the body broke off: {}",
                describe_transport_error(&error)
            )
        })?;
        Ok(ClientAnswer {
            status,
            content_type,
            set_cookies,
            body,
        })
    }

    /// `call` as a shell command that sends it again: credentials from the environment, and a
    /// session cookie named, never shown.
    pub fn curl_as_client(&self, call: &ClientCall<'_>) -> String {
        let url = format!("{}{}", self.origin(), call.path);
        let mut headers: Vec<(&str, &str)> = call
            .headers
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        let user = match call.cookie {
            Some(_) => {
                headers.push(("Cookie", "<the session cookie the login set>"));
                User::None
            }
            None => User::Account {
                name: self.user_as_given.as_deref(),
            },
        };
        curl::render(&Command {
            method: call.method,
            url: Url::Literal(&url),
            user,
            headers,
            body: call.body.map(str::as_bytes),
        })
    }

    /// Sends `request` once (after waiting its turn under [`Connection::max_rate`]).
    pub async fn send(&self, request: &Request) -> Exchange {
        self.send_timed(request).await.0
    }

    /// [`Target::send`], with how long the server took: from sending to the last byte of the
    /// answer, the wait for its turn left out.
    pub async fn send_timed(&self, request: &Request) -> (Exchange, Duration) {
        if let Some(pacer) = &self.pacer {
            pacer.wait().await;
        }
        let started = std::time::Instant::now();
        let exchange = self.exchange(request).await;
        (exchange, started.elapsed())
    }

    /// Sends `request` with the cookie of the session the last logout probe ended instead of
    /// credentials; `None` when no logout has ended one.
    pub async fn send_with_ended_session(&self, request: &Request) -> Option<Exchange> {
        let cookie = self
            .ended_session
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()?;
        if let Some(pacer) = &self.pacer {
            pacer.wait().await;
        }
        Some(self.exchange_with(request, Some(cookie)).await)
    }

    async fn exchange(&self, request: &Request) -> Exchange {
        let cookie = match request.session {
            Some(SessionRole::Ends | SessionRole::Reports) => self.session_cookie(),
            _ => None,
        };
        self.exchange_with(request, cookie).await
    }

    /// Sends `request` with `cookie` in place of credentials when there is one.
    async fn exchange_with(&self, request: &Request, cookie: Option<HeaderValue>) -> Exchange {
        let method = match reqwest::Method::from_bytes(request.method.as_bytes()) {
            Ok(method) => method,
            Err(error) => return Exchange::NoAnswer(format!("method: {error}")),
        };
        let mut builder = self.http.request(method, self.url_of(request));
        for (name, value) in [
            (ACCEPT, &request.accept),
            (CONTENT_TYPE, &request.content_type),
        ] {
            if let Some(value) = value {
                match HeaderValue::from_str(value) {
                    Ok(value) => builder = builder.header(name, value),
                    Err(_) => {
                        return Exchange::NoAnswer(format!("{name}: `{value}` cannot be sent"));
                    }
                }
            }
        }
        match cookie {
            Some(cookie) => builder = builder.header(COOKIE, cookie),
            None => {
                let credentials = match request.auth {
                    Auth::None => None,
                    Auth::Account => Some(self.credentials.clone()),
                    Auth::WrongPassword | Auth::UnknownUser => {
                        let user = match request.auth {
                            Auth::UnknownUser => UNKNOWN_USER,
                            _ => self.credentials.user(),
                        };
                        let wrong = format!(
                            "{WRONG_PASSWORD_PREFIX}{}",
                            self.credentials.password().expose()
                        );
                        Some(Credentials::new(user, wrong))
                    }
                };
                if let Some(basic) = credentials.and_then(|c| c.basic_header().cloned()) {
                    builder = builder.header(AUTHORIZATION, basic);
                }
            }
        }
        if let Some(body) = &request.body {
            builder = builder.body(body.clone());
        }
        let response = match builder.send().await {
            Ok(response) => response,
            Err(error) => return Exchange::NoAnswer(describe_transport_error(&error)),
        };
        let status = response.status().as_u16();
        if response.status().is_success() {
            match request.session {
                Some(SessionRole::Opens) => {
                    self.set_session_cookie(junos_space_runtime::session_cookie(
                        response.headers(),
                    ));
                }
                Some(SessionRole::Ends) => {
                    let ended = self
                        .session
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .take();
                    *self
                        .ended_session
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner) = ended;
                }
                _ => {}
            }
        }
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
        match response.bytes().await {
            Ok(body) => Exchange::Answered {
                status,
                content_type,
                body,
            },
            Err(error) => Exchange::NoAnswer(format!(
                "status {status}, then the body broke off: {}",
                describe_transport_error(&error)
            )),
        }
    }
}

/// The error and its causes on one line; reqwest's top-level message alone says little.
fn describe_transport_error(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(url: &str) -> Result<Target, TargetError> {
        Target::new(
            url,
            Credentials::new("super", "secret-password"),
            &Connection::default(),
        )
    }

    #[test]
    fn either_base_url_form_reaches_the_api() {
        for url in [
            "https://space.example.com",
            "https://space.example.com/",
            "https://space.example.com/api/space",
            "https://space.example.com/api/space/",
        ] {
            let target = target(url).expect("a target");
            assert_eq!(target.api_url(), "https://space.example.com/api/space");
        }
    }

    #[test]
    fn bad_urls_are_refused_and_the_password_never_shows() {
        for url in ["space.example.com", "https://super:secret-password@space"] {
            let error = target(url).expect_err(url);
            assert!(!error.to_string().contains("secret-password"), "{error}");
        }
        let shown = format!("{:?}", target("https://space").expect("a target"));
        assert!(!shown.contains("secret-password"), "{shown}");
    }
}
