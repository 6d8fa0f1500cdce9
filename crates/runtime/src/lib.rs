//! What every request of the generated `junos-space-api` client passes through.
//!
//! The generated `Client` holds a [`Runtime`], and every generated `send` goes through
//! [`Runtime::send`]: it hands each request to [`Runtime::prepare`] and [`Runtime::execute`],
//! one place that adds credentials or the session cookie and keeps the session the spec's
//! login opens and drops it after its logout ([`SessionUse`]); it retries transient failures
//! of safe requests only, records a tracing span per call, reads the answer as the
//! operation's answer table says ([`Expected`], [`Decode`]), and reads a failure into [`Error`]. The [`Operation`], [`Collection`] and
//! [`Paged`] traits are implemented by the xtask for the generated builders, so hand-written
//! code can call any operation, and walk any collection, without naming it. [`query`] is the
//! `junos-space-query` crate, re-exported: the server's `filter`, `sortby` and `paging` syntax,
//! which the client and the conformance kit write and the simulator reads. [`Error`] is the one
//! error of every call, with the server's answer read into a readable message.

mod answer;
mod backoff;
mod base_url;
mod certificate;
mod error;
pub mod job_state;
mod message;
mod operation;
mod request;
mod runtime;
mod secret;
mod send;
mod session;

/// The collection query grammar (`filter`, `sortby`, `paging`): the `junos-space-query`
/// crate, under the path the client and the conformance kit have always used.
pub use junos_space_query as query;

pub use answer::{
    Accepted, Answered, Decode, Empty, Expected, Json, JsonOrDefault, Reading, Text,
    answers_accepted_type, keeping_body,
};
pub use backoff::RetryPolicy;
pub use base_url::{BaseUrlError, api_url};
pub use certificate::refused_certificate;
pub use error::{Answer, Error, Result};
pub use job_state::{JobRecord, JobState};
pub use message::decode_entities;
pub use operation::{Collection, Operation, Page, Paged};
pub use request::QueryWhenSet;
pub use runtime::{Runtime, SessionUse};
pub use secret::{Credentials, Password};
pub use send::{Exchange, Sending};
pub use session::session_cookie;
