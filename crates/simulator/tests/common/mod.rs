//! Helpers shared by the simulator's suites: a started simulator and a plain reqwest client.

#![allow(dead_code)] // each suite uses its own share of these

use junos_space_simulator::{Config, Credentials, RunningSimulator, Simulator};
use reqwest::{Method, RequestBuilder, Response};

pub const DEVICES: &str =
    "application/vnd.net.juniper.space.device-management.devices+json;version=2";
pub const DEVICE: &str =
    "application/vnd.net.juniper.space.device-management.device+json;version=1";
/// What discovery answers in (its task), and its request type without `charset`.
pub const DISCOVER: &str =
    "application/vnd.net.juniper.space.device-management.discover-devices+json;version=2";
/// Discovery's request type as the spec (and the vendor's clients) write it.
pub const DISCOVER_REQUEST: &str = "application/vnd.net.juniper.space.device-management.discover-devices+json;version=2;charset=UTF-8";
pub const RAW_CONFIGURATION: &str =
    "application/vnd.net.juniper.space.device-management.raw-configuration+json;version=3";
pub const CONFIGLETS: &str = "application/vnd.net.juniper.space.configuration-management.cli-configlets+json;version=2;charset=UTF-8";
pub const PACKAGES: &str =
    "application/vnd.net.juniper.space.software-management.packages+json;version=1";
pub const TASK: &str = "application/vnd.net.juniper.space.job-management.task+json;version=1";
pub const JOB: &str = "application/vnd.net.juniper.space.job-management.job+json;version=3";
pub const JOBS: &str = "application/vnd.net.juniper.space.job-management.jobs+json;version=3";
pub const PROGRESS: &str =
    "application/vnd.net.juniper.space.job-management.progress-update+json;version=1";
pub const USERS: &str = "application/vnd.net.juniper.space.user-management.users+json;version=3";

/// A simulator and a client that speaks to it with the default account.
pub struct Harness {
    pub simulator: RunningSimulator,
    pub client: reqwest::Client,
    pub account: Credentials,
}

impl Harness {
    pub async fn start(config: Config) -> Self {
        let simulator = Simulator::start(config)
            .await
            .expect("the simulator starts");
        Self {
            simulator,
            client: reqwest::Client::new(),
            account: Credentials::default(),
        }
    }

    /// A request below `/api/space` without credentials.
    pub fn anonymous(&self, method: Method, path: &str) -> RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.simulator.api_url()))
    }

    /// A request of a whole path (its base path first: `/api/juniper/sd/...`) with HTTP Basic.
    pub fn request_whole(&self, method: Method, path: &str) -> RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.simulator.base_url()))
            .basic_auth(&self.account.user, Some(&self.account.password))
    }

    /// A request below `/api/space` with HTTP Basic.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.anonymous(method, path)
            .basic_auth(&self.account.user, Some(&self.account.password))
    }

    pub fn get(&self, path: &str, accept: &str) -> RequestBuilder {
        self.request(Method::GET, path).header("accept", accept)
    }

    /// `POST /device-management/discover-devices` of `address`.
    pub fn discover(&self, address: &str) -> RequestBuilder {
        self.discover_as(Some(DISCOVER_REQUEST), address)
    }

    /// Discovery sent with `content_type` (or none).
    pub fn discover_as(&self, content_type: Option<&str>, address: &str) -> RequestBuilder {
        let request = self.request(Method::POST, "/device-management/discover-devices");
        let request = match content_type {
            Some(value) => request.header("content-type", value),
            None => request,
        };
        request.header("accept", DISCOVER).body(
            serde_json::json!({"discover-devices": {
                "ipAddressDiscoveryTarget": {"ipAddress": address},
                "usePing": true,
            }})
            .to_string(),
        )
    }
}

/// Sends and returns status, `Content-Type` and body text.
pub async fn send(request: RequestBuilder) -> (u16, String, String) {
    let response: Response = request.send().await.expect("the simulator answers");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response.text().await.expect("a body");
    (status, content_type, body)
}

/// Sends, expects `status`, and parses the body as JSON.
pub async fn send_json(request: RequestBuilder, status: u16) -> serde_json::Value {
    let (got, content_type, body) = send(request).await;
    assert_eq!(got, status, "{content_type}: {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}
