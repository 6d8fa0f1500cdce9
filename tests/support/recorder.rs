//! A mock Junos Space that answers every request one way and records each request it saw.

use std::sync::{Arc, Mutex};

use httpmock::MockServer;
use httpmock::prelude::{HttpMockRequest, HttpMockResponse};

/// The answer the mock gives to every request.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Option<String>,
}

/// A mock server on 127.0.0.1 and the requests it received.
pub struct Recorder {
    pub server: MockServer,
    requests: Arc<Mutex<Vec<HttpMockRequest>>>,
}

impl Recorder {
    /// Starts a server that gives `answer` to anything.
    pub async fn start(answer: Answer) -> Self {
        let server = MockServer::start_async().await;
        let requests: Arc<Mutex<Vec<HttpMockRequest>>> = Arc::default();
        let seen = Arc::clone(&requests);
        server
            .mock_async(move |when, then| {
                when.any_request();
                // Called once per request served, so each request is recorded once.
                then.respond_with(move |request| {
                    seen.lock().expect("recorder lock").push(request.clone());
                    let mut response = HttpMockResponse::builder().status(answer.status);
                    if let Some(content_type) = &answer.content_type {
                        response = response.header("content-type", content_type.as_str());
                    }
                    match &answer.body {
                        Some(body) => response.body(body.clone()),
                        None => response.no_body(),
                    }
                    .build()
                });
            })
            .await;
        Self { server, requests }
    }

    /// `http://127.0.0.1:PORT/api/space`: the base URL a client is given.
    pub fn base_url(&self) -> String {
        format!("{}/api/space", self.server.base_url())
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<HttpMockRequest> {
        self.requests.lock().expect("recorder lock").clone()
    }
}
