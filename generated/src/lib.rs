//! Typed client for the Juniper Networks Junos Space Network Management Platform REST API.
//!
//! The operations, their types and the mocks are generated from `spec/junos-space.yaml` by
//! progenitor through `cargo xtask regenerate` (the files that say `@generated`), which also
//! writes the tables of the spec's data they end with; the frames those tables expand into
//! (`frames.rs`, `dynamic.rs`, `mock_by_id.rs`), this file, `bodies.rs` (links and the common
//! request bodies in one call) and `job_results.rs` (a job's result as text) are hand-written. Every request carries the exact vendor `Content-Type` and `Accept` the spec
//! names for its operation, passes through [`junos_space_runtime::Runtime`] (credentials,
//! session, retries of safe requests, tracing), and vendor `+json` answers decode into the
//! types in [`types`]. [`ClientInfo::api_version`] gives the API version of the spec.
//!
//! Every builder's `send` returns [`Error`] (the runtime's one error type, re-exported here):
//! an unexpected answer comes back read, with its status, media type, body and a readable
//! message.
//!
//! ```no_run
//! # async fn example() -> Result<(), junos_space_api::Error> {
//! let client = junos_space_api::Client::new("https://space.example.com/api/space");
//! let devices = client
//!     .list_devices()
//!     .filter("deviceFamily eq 'junos'")
//!     .send()
//!     .await?
//!     .into_inner();
//! for device in devices.devices.map(|d| d.device).unwrap_or_default() {
//!     println!("{:?} {:?}", device.name, device.ip_addr);
//! }
//! # Ok(()) }
//! ```

// progenitor's output is not written to this workspace's lint settings, and is formatted by
// prettyplease, not rustfmt.
#[allow(clippy::all, unused_imports, missing_docs)]
#[rustfmt::skip]
mod client;
/// What the rows of the generated tables in `client.rs` expand into.
mod frames;
pub use client::*;
/// The error of every `send`: this explicit re-export takes the name from progenitor's
/// `Error`, which only the generated exchanges still use.
pub use junos_space_runtime::Error;

mod bodies;
#[cfg(feature = "sd")]
mod sd_bodies;
// A job's result is job management's.
#[cfg(feature = "job-management")]
mod job_results;

/// Typed httpmock helpers: mock any operation of the spec in your own tests, with the exact
/// vendor media types the client sends and a real server answers.
#[cfg(feature = "mock")]
// `unused_imports`: a build of no service has no operation to mock.
#[allow(clippy::all, unused_imports)]
#[rustfmt::skip]
pub mod mock;
/// The frame of `mock::by_id`, whose table `mock.rs` ends with.
#[cfg(feature = "mock")]
mod mock_by_id;

/// Every operation callable by its spec operationId with JSON arguments.
#[cfg(feature = "dynamic")]
pub mod dynamic;
/// The dispatcher's table, generated.
#[cfg(feature = "dynamic")]
#[allow(clippy::all)]
#[rustfmt::skip]
mod dynamic_table;

use junos_space_runtime::Runtime;

/// progenitor's client asks for its hooks; none is called. Every request is sent by
/// `Runtime::send` (the operation table's frame, `frames.rs`), which adds credentials or the
/// session cookie, keeps the session a login opens or a logout ends, retries, and records the
/// tracing span.
impl progenitor_client::ClientHooks<Runtime> for Client {}

impl Client {
    /// A client whose requests (and connection attempts) give up after `timeout`.
    ///
    /// Unlike [`Client::new`], this returns the error when the HTTP client cannot be built
    /// (no TLS backend) instead of panicking.
    pub fn with_timeout(
        baseurl: &str,
        timeout: std::time::Duration,
    ) -> Result<Self, reqwest::Error> {
        let client = reqwest::ClientBuilder::new()
            .connect_timeout(timeout)
            .timeout(timeout)
            .build()?;
        Ok(Self::new_with_client(baseurl, client, Runtime::default()))
    }
}

#[cfg(feature = "job-management")]
/// A job's record as the runtime's job errors and the client's job waits carry it: the fields a
/// waiting caller reads, and the whole job as JSON for the rest.
impl From<types::Job> for junos_space_runtime::JobRecord {
    fn from(job: types::Job) -> Self {
        Self {
            id: job.id,
            name: job.name.clone(),
            state: junos_space_runtime::JobState::from_fields(&job.job_state, &job.job_status),
            percent: job.percent_complete,
            summary: job.summary.clone(),
            // Generated types always serialize; Null would only hide a bug in them.
            job: serde_json::to_value(&job).unwrap_or_default(),
        }
    }
}
