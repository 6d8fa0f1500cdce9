//! A mock Junos Space on 127.0.0.1: one catch-all httpmock rule that gives the current answer
//! to any request and records each request, so that checks run in Rust with the oracle (and
//! fail with a precise message) instead of as httpmock matchers (which compare header strings
//! exactly and answer a bare 404 on a miss). One server serves many cases.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use httpmock::MockServer;
use httpmock::prelude::{HttpMockRequest, HttpMockResponse};

use crate::shared::curl::{self, Command, Url, User};

/// Headers that curl sets on its own, that only describe the mock's connection, or that carry
/// credentials (which come from the environment instead, and never show).
const LEFT_TO_CURL: &[&str] = &[
    "host",
    "content-length",
    "connection",
    "accept-encoding",
    "authorization",
    "cookie",
];

/// The answer the mock gives.
#[derive(Debug, Clone, Default)]
pub struct Answer {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Option<String>,
}

#[derive(Default)]
struct State {
    answer: Answer,
    requests: Vec<HttpMockRequest>,
}

/// A mock server and the requests it received.
pub struct Recorder {
    pub server: MockServer,
    state: Arc<Mutex<State>>,
}

impl Recorder {
    /// Starts a server that gives `answer` to anything (inside an async runtime).
    pub async fn start(answer: Answer) -> Self {
        let server = MockServer::start_async().await;
        let recorder = Self::around(server, answer);
        recorder.install_async().await;
        recorder
    }

    /// Starts a server that gives `answer` to anything; call it outside any async runtime.
    pub fn start_blocking(answer: Answer) -> Self {
        let recorder = Self::around(MockServer::start(), answer);
        recorder.server.mock(|when, then| {
            when.any_request();
            then.respond_with(recorder.responder());
        });
        recorder
    }

    fn around(server: MockServer, answer: Answer) -> Self {
        let state = Arc::new(Mutex::new(State {
            answer,
            requests: Vec::new(),
        }));
        Self { server, state }
    }

    async fn install_async(&self) {
        let responder = self.responder();
        self.server
            .mock_async(move |when, then| {
                when.any_request();
                then.respond_with(responder);
            })
            .await;
    }

    fn responder(&self) -> impl Fn(&HttpMockRequest) -> HttpMockResponse + Send + Sync + 'static {
        let state = Arc::clone(&self.state);
        // Called once per request served, so each request is recorded once.
        move |request| {
            let mut state = lock(&state);
            state.requests.push(request.clone());
            let answer = &state.answer;
            let mut response = HttpMockResponse::builder().status(answer.status);
            if let Some(content_type) = &answer.content_type {
                response = response.header("content-type", content_type.as_str());
            }
            match &answer.body {
                Some(body) => response.body(body.clone()),
                None => response.no_body(),
            }
            .build()
        }
    }

    /// `http://127.0.0.1:PORT/api/space`: the base URL a client is given.
    pub fn base_url(&self) -> String {
        format!("{}/api/space", self.server.base_url())
    }

    /// Answers `answer` from now on, and forgets the requests seen so far.
    pub fn serve(&self, answer: Answer) {
        let mut state = lock(&self.state);
        state.answer = answer;
        state.requests.clear();
    }

    /// Every request received since the last [`Recorder::serve`].
    pub fn requests(&self) -> Vec<HttpMockRequest> {
        lock(&self.state).requests.clone()
    }

    /// Takes the requests received since the last [`Recorder::serve`].
    pub fn take_requests(&self) -> Vec<HttpMockRequest> {
        std::mem::take(&mut lock(&self.state).requests)
    }
}

/// The state stays usable after a panicking check: it holds plain data.
fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A recorded request as a `curl` command that sends the same bytes to a real Junos Space (the
/// server in `$JUNOS_SPACE_URL`, the account's credentials).
pub fn curl(request: &HttpMockRequest) -> String {
    let headers = request.headers_vec();
    curl::render(&Command {
        method: request.method_str(),
        url: Url::BelowServer(origin_form(request.uri_str())),
        user: User::Account { name: None },
        headers: headers
            .iter()
            .filter(|(name, _)| !LEFT_TO_CURL.iter().any(|h| name.eq_ignore_ascii_case(h)))
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect(),
        body: Some(request.body_ref()),
    })
}

/// The path and query of a request target, without any `scheme://authority` before them.
pub fn origin_form(target: &str) -> &str {
    match target.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |at| &rest[at..]),
        None => target,
    }
}
