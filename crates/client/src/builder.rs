//! Configuring a [`Client`]: where, who, how long, which certificates.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use junos_space_api::Client;
use junos_space_runtime::{Credentials, Error, Password, Result, RetryPolicy, Runtime};

/// The client's builder as `Client::builder()`: `use junos_space::prelude::*`.
pub trait ClientExt {
    /// Starts configuring a client.
    fn builder() -> ClientBuilder;
}

impl ClientExt for Client {
    fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }
}

/// The environment variables [`ClientBuilder::from_env`] reads.
pub const ENV_URL: &str = "JUNOS_SPACE_URL";
/// The user name variable.
pub const ENV_USER: &str = "JUNOS_SPACE_USER";
/// The password variable.
pub const ENV_PASSWORD: &str = "JUNOS_SPACE_PASSWORD";

/// Builds a [`Client`] (`Client::builder()`, with [`ClientExt`] in scope). Nothing is sent
/// until the first call.
#[derive(Clone)]
pub struct ClientBuilder {
    base_url: Option<String>,
    user: Option<String>,
    password: Option<Password>,
    timeout: Duration,
    connect_timeout: Duration,
    user_agent: String,
    root_certificates: Vec<PathBuf>,
    root_certificate_pems: Vec<Vec<u8>>,
    accept_invalid_certificates: bool,
    retry: RetryPolicy,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("user", &self.user)
            .field("password", &self.password)
            .field("timeout", &self.timeout)
            .field("root_certificates", &self.root_certificates)
            .field(
                "accept_invalid_certificates",
                &self.accept_invalid_certificates,
            )
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            base_url: None,
            user: None,
            password: None,
            timeout: Client::DEFAULT_TIMEOUT,
            connect_timeout: Duration::from_secs(30),
            user_agent: concat!("junos-space-rust/", env!("CARGO_PKG_VERSION")).to_owned(),
            root_certificates: Vec::new(),
            root_certificate_pems: Vec::new(),
            accept_invalid_certificates: false,
            retry: RetryPolicy::default(),
        }
    }
}

impl ClientBuilder {
    /// `https://host` or `https://host/api/space` (both mean the same).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// HTTP Basic credentials, sent on every request but those of a session (which the
    /// generated `login()` opens with them).
    pub fn credentials(mut self, user: impl Into<String>, password: impl Into<Password>) -> Self {
        self.user = Some(user.into());
        self.password = Some(password.into());
        self
    }

    /// Fills what is not set yet from `JUNOS_SPACE_URL`, `JUNOS_SPACE_USER` and
    /// `JUNOS_SPACE_PASSWORD`.
    pub fn from_env(self) -> Self {
        self.from_lookup(|name| std::env::var(name).ok())
    }

    /// [`ClientBuilder::from_env`] with another source of variables (tests, config files).
    pub fn from_lookup(mut self, lookup: impl Fn(&str) -> Option<String>) -> Self {
        if self.base_url.is_none() {
            self.base_url = lookup(ENV_URL);
        }
        if self.user.is_none() {
            self.user = lookup(ENV_USER);
        }
        if self.password.is_none() {
            self.password = lookup(ENV_PASSWORD).map(Password::from);
        }
        self
    }

    /// How long one request (connect, send, answer) may take; 120 s unless set, since real
    /// servers take close to a minute on some calls.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How long connecting may take; 30 s unless set.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Also trusts the CA certificate(s) in the PEM file at `path` (for a server with a
    /// self-signed or private-CA certificate). Verification stays on.
    pub fn add_root_certificate_pem_file(mut self, path: impl AsRef<Path>) -> Self {
        self.root_certificates.push(path.as_ref().to_path_buf());
        self
    }

    /// Also trusts the CA certificate(s) in `pem`.
    pub fn add_root_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.root_certificate_pems.push(pem.into());
        self
    }

    /// Accepts any server certificate, so anyone on the path can read the credentials.
    /// Prefer [`ClientBuilder::add_root_certificate_pem_file`]. Logs a warning when built.
    pub fn danger_accept_invalid_certificates(mut self) -> Self {
        self.accept_invalid_certificates = true;
        self
    }

    /// How transient failures are retried; GET only, four attempts, unless set.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Builds the client: the generated [`Client`] with this configuration (one connection
    /// pool and one session, shared by its clones and concurrent calls).
    pub fn build(self) -> Result<Client> {
        let base_url = self.base_url.as_deref().ok_or_else(|| {
            Error::Config(format!("no base URL: call base_url() or set {ENV_URL}"))
        })?;
        let base_url = api_base_url(base_url)?;
        let credentials = match (self.user, self.password) {
            (Some(user), Some(password)) => Some(Credentials::new(user, password)),
            (None, None) => None,
            (Some(_), None) => {
                return Err(Error::Config(format!(
                    "a user but no password: pass both, or set {ENV_PASSWORD}"
                )));
            }
            (None, Some(_)) => {
                return Err(Error::Config(format!(
                    "a password but no user: pass both, or set {ENV_USER}"
                )));
            }
        };
        let mut http = reqwest::ClientBuilder::new()
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout.min(self.timeout))
            .user_agent(self.user_agent);
        let mut pems = self.root_certificate_pems;
        for path in &self.root_certificates {
            let pem = std::fs::read(path).map_err(|error| {
                Error::Config(format!("CA certificate {}: {error}", path.display()))
            })?;
            pems.push(pem);
        }
        for pem in pems {
            let certificates = reqwest::Certificate::from_pem_bundle(&pem)
                .map_err(|error| Error::Config(format!("CA certificate: {error}")))?;
            if certificates.is_empty() {
                return Err(Error::Config(
                    "CA certificate: no certificate in the PEM".into(),
                ));
            }
            for certificate in certificates {
                http = http.add_root_certificate(certificate);
            }
        }
        if self.accept_invalid_certificates {
            tracing::warn!(
                base_url = %base_url,
                "TLS certificate verification is OFF: anyone between this client and the \
                 server can read the credentials; add the server's CA instead"
            );
            http = http.tls_danger_accept_invalid_certs(true);
        }
        let http = http
            .build()
            .map_err(|error| Error::Config(format!("HTTP client: {error}")))?;
        let runtime = Runtime::new(credentials, self.retry);
        Ok(Client::new_with_client(&base_url, http, runtime))
    }
}

/// The API URL of `url`, by the runtime's one rule for base URLs.
fn api_base_url(url: &str) -> Result<String> {
    junos_space_runtime::api_url(url, Client::BASE_PATH)
        .map_err(|error| Error::Config(error.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use junos_space_api::ClientInfo as _;

    #[test]
    fn base_url_errors_are_configuration_errors() {
        let error = api_base_url("https://super:hunter2@space").expect_err("credentials in URL");
        assert!(matches!(error, Error::Config(_)), "{error}");
        assert!(!error.to_string().contains("hunter2"), "{error}");
    }

    #[test]
    fn settings_come_from_the_environment_when_not_given() {
        let env = |name: &str| match name {
            ENV_URL => Some("https://env-space".to_owned()),
            ENV_USER => Some("env-user".to_owned()),
            ENV_PASSWORD => Some("env-pass-123".to_owned()),
            _ => None,
        };
        let builder = ClientBuilder::default().from_lookup(env);
        assert_eq!(builder.base_url.as_deref(), Some("https://env-space"));
        assert_eq!(builder.user.as_deref(), Some("env-user"));
        assert!(!format!("{builder:?}").contains("env-pass-123"));
        let explicit = ClientBuilder::default()
            .base_url("https://given")
            .credentials("given-user", "given-pass")
            .from_lookup(env);
        assert_eq!(explicit.base_url.as_deref(), Some("https://given"));
        assert_eq!(explicit.user.as_deref(), Some("given-user"));
        assert_eq!(
            explicit.password.as_ref().map(Password::expose),
            Some("given-pass")
        );
    }

    #[test]
    fn the_client_names_the_api_root_it_calls() {
        for url in [
            "https://space.example.com/",
            "https://space.example.com/api/space",
        ] {
            let client = ClientBuilder::default()
                .base_url(url)
                .build()
                .expect("builds");
            assert_eq!(client.baseurl(), "https://space.example.com/api/space");
        }
    }

    #[test]
    fn a_user_without_password_is_refused() {
        let error = ClientBuilder::default()
            .base_url("https://space")
            .from_lookup(|name| (name == ENV_USER).then(|| "u".to_owned()))
            .build()
            .expect_err("no password");
        assert!(matches!(error, Error::Config(_)), "{error}");
    }
}
