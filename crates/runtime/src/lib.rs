//! What every request of the generated `junos-space-api` client passes through.
//!
//! The generated `Client` holds a [`Runtime`] and its `ClientHooks` implementation (in the
//! generated crate's hand-written `lib.rs`) hands each request to [`Runtime::prepare`] and [`Runtime::execute`]: one place
//! that adds credentials or the session cookie, retries transient failures of safe requests
//! only, and records a tracing span per request. The [`Operation`], [`Collection`] and
//! [`Paged`] traits are implemented by the xtask for the generated builders, so hand-written
//! code can call any operation, and walk any collection, without naming it. [`query`] is the
//! `junos-space-query` crate, re-exported: the server's `filter`, `sortby` and `paging` syntax,
//! which the client and the conformance kit write and the simulator reads.

mod answer;
mod backoff;
mod base_url;
mod certificate;
pub mod job_state;
mod operation;
mod runtime;
mod secret;
mod session;

/// The collection query grammar (`filter`, `sortby`, `paging`): the `junos-space-query`
/// crate, under the path the client and the conformance kit have always used.
pub use junos_space_query as query;

pub use answer::{answers_accepted_type, decode_answer, text_answer};
pub use backoff::RetryPolicy;
pub use base_url::{BaseUrlError, api_url};
pub use certificate::refused_certificate;
pub use operation::{Collection, Operation, Page, Paged};
pub use runtime::{Runtime, SessionUse};
pub use secret::{Credentials, Password};
pub use session::session_cookie;
