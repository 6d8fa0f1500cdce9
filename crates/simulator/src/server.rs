//! The HTTP/1.1 server: accepts connections, turns hyper requests into [`Incoming`] for the
//! stages and their answers back into responses, and applies the resilience faults in front
//! of everything.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full, Limited};
use hyper::body::Incoming as Body;
use hyper::header::{self, HeaderMap, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;

use crate::answer::Answer;
use crate::body::MAX_BODY_BYTES;
use crate::hornetq;
use crate::outcome::Refusal;
use crate::pipeline::{Incoming, Shared};

/// The error a request fails with when the dice say to drop its connection; hyper then closes
/// the connection without answering.
#[derive(Debug, thiserror::Error)]
#[error("connection dropped by fault injection")]
pub(crate) struct Dropped;

/// Accepts connections until the task is aborted; aborting it also ends every connection.
/// With `tls`, each connection is HTTPS; one whose handshake fails (a client that does not
/// trust the certificate) ends there.
pub(crate) async fn serve(listener: TcpListener, shared: Arc<Shared>, tls: Option<TlsAcceptor>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    // Small answers go out at once rather than waiting for Nagle.
                    let _ = stream.set_nodelay(true);
                    let shared = shared.clone();
                    let tls = tls.clone();
                    connections.spawn(async move {
                        match tls {
                            None => connection(stream, shared).await,
                            Some(tls) => {
                                if let Ok(stream) = tls.accept(stream).await {
                                    connection(stream, shared).await;
                                }
                            }
                        }
                    });
                }
                // Out of file descriptors and the like: wait rather than spin.
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

/// Serves HTTP/1.1 requests on one connection until it ends.
async fn connection<S>(stream: S, shared: Arc<Shared>)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = service_fn(move |request| {
        let shared = shared.clone();
        async move { respond(&shared, request).await }
    });
    // A connection that ends badly (a client gone, a dropped one) ends alone.
    let _ = http1::Builder::new()
        .keep_alive(true)
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

fn header(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    // A header that is not visible ASCII reads as malformed text rather than as absent.
    headers
        .get(name)
        .map(|value| value.to_str().unwrap_or("\u{fffd}"))
}

async fn respond(
    shared: &Shared,
    request: Request<Body>,
) -> Result<Response<Full<Bytes>>, Dropped> {
    shared.requests.fetch_add(1, Ordering::Relaxed);
    let faults = shared.config.faults;
    if !faults.latency.is_zero() {
        tokio::time::sleep(faults.latency).await;
    }
    if shared.roll(faults.dropped_connection_share) {
        return Err(Dropped);
    }
    if shared.roll(faults.server_error_share) {
        // The statuses that say "try again": a proxy in front failing (502, 504) or the
        // server overloaded or restarting (503). A 500 says nothing of the kind, so a client
        // rightly gives up on it and a resilience test could never pass.
        let status = [502, 503, 504][shared.dice.lock().map_or(0, |mut dice| dice.usize(..3))];
        return Ok(into_response(Answer::page(
            status,
            "The server is temporarily unable to service the request (simulated fault).",
        )));
    }
    let (parts, body) = request.into_parts();
    let read_body = || async move {
        match Limited::new(body, MAX_BODY_BYTES).collect().await {
            Ok(collected) => Ok(collected.to_bytes()),
            Err(error) if error.is::<http_body_util::LengthLimitError>() => Err(Refusal::page(
                413,
                "The request entity is larger than the server is willing to process.",
            )),
            Err(_) => Err(Refusal::page(400, "The request body could not be read.")),
        }
    };
    if let Some(segments) = hornetq::below_root(parts.uri.path()) {
        let answer = match shared.admit_basic(header(&parts.headers, header::AUTHORIZATION)) {
            Err(refusal) => shared.refused(refusal),
            Ok(()) => match read_body().await {
                Err(refusal) => shared.refused(refusal),
                Ok(body) => {
                    let scheme = if shared.config.tls.is_some() {
                        "https"
                    } else {
                        "http"
                    };
                    let host = header(&parts.headers, header::HOST).unwrap_or("localhost");
                    let request = hornetq::Request {
                        method: parts.method.as_str(),
                        segments,
                        content_type: header(&parts.headers, header::CONTENT_TYPE),
                        accept_wait: parts
                            .headers
                            .get("accept-wait")
                            .and_then(|value| value.to_str().ok()),
                        body: &body,
                        origin: format!("{scheme}://{host}"),
                    };
                    hornetq::handle(&shared.state, request).await
                }
            },
        };
        return Ok(into_response(answer));
    }
    let incoming = Incoming {
        method: parts.method.as_str(),
        path: parts.uri.path(),
        query: parts.uri.query(),
        accept: header(&parts.headers, header::ACCEPT),
        content_type: header(&parts.headers, header::CONTENT_TYPE),
        authorization: header(&parts.headers, header::AUTHORIZATION),
        cookie: header(&parts.headers, header::COOKIE),
    };
    let answer = shared.handle(incoming, read_body).await;
    Ok(into_response(answer))
}

fn into_response(answer: Answer) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(answer.body));
    *response.status_mut() = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
    let headers = response.headers_mut();
    let values = answer
        .content_type
        .map(|c| ("content-type", c))
        .into_iter()
        .chain(answer.headers);
    for (name, value) in values {
        // Values are built by the simulator from the spec and its own ids; the one from input,
        // the `Host` in the HornetQ interface's URLs, came as a header value. One that is not
        // a header value is left out rather than sent.
        if let Ok(value) = HeaderValue::try_from(value) {
            headers.append(name, value);
        }
    }
    response
}
