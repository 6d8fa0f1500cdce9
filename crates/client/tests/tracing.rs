//! Every request is traced with its operation id, status and duration, and nothing traced
//! shows the credentials.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::{PASSWORD, Reply, client, serve};

/// A `tracing` writer that keeps everything written, for the assertions.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .expect("not poisoned")
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn requests_are_traced_without_credentials() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = serve(|seen, index| {
        if index == 0 {
            Reply::with(503, "text/plain", "busy")
        } else if seen.method == "POST" {
            Reply::with(401, "text/plain", "User not authenticated")
        } else {
            Reply::accepted(seen, 200, r#"{"devices": {"@size": 0}}"#)
        }
    })
    .await;
    let client = client(&server);
    client
        .list_devices()
        .send()
        .await
        .expect("retried, then listed");
    client.login().send().await.expect_err("login refused");

    let text = String::from_utf8(captured.0.lock().expect("not poisoned").clone()).expect("UTF-8");
    assert!(text.contains("operation=\"list_devices\""), "{text}");
    assert!(text.contains("status=200"), "{text}");
    assert!(text.contains("attempts=2"), "{text}");
    assert!(text.contains("duration_ms="), "{text}");
    assert!(text.contains("transient answer; retrying"), "{text}");
    assert!(!text.contains(PASSWORD), "{text}");
    assert!(
        !text.contains("c3VwZXI6"),
        "the Basic header must not be traced: {text}"
    );
}
