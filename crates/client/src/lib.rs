//! The Junos Space client to reach for first: the generated operations of
//! [`junos_space_api`], plus what a real server needs.
//!
//! - [`ClientBuilder`]: base URL (`https://host` or `https://host/api/space`), HTTP Basic
//!   credentials from arguments or `JUNOS_SPACE_URL` / `JUNOS_SPACE_USER` /
//!   `JUNOS_SPACE_PASSWORD`, optional session login, timeouts, user agent, TLS with
//!   verification on (extra CA from a PEM file; turning it off is a loud opt-in).
//! - Every request passes through `junos-space-runtime`: credentials, a tracing span per
//!   request, and retries of transient failures for GET only.
//! - [`Client::call`] sends any generated builder and turns failures into one [`Error`] with
//!   status, media type, body and a readable message.
//! - [`Client::job`] waits for the job behind any task answer, reporting progress;
//!   [`Client::fleet`] starts and follows many at once (bounded, one deadline, Ctrl-C aware).
//! - [`Client::items`] and [`Client::pages`] walk a collection page by page.
//!
//! ```no_run
//! use futures_util::TryStreamExt as _;
//! use junos_space::{Client, Filter};
//!
//! # async fn example() -> junos_space::Result<()> {
//! let client = Client::builder().from_env().build()?;
//! let junos = Filter::eq("deviceFamily", "junos");
//! let mut devices = client.items(client.list_devices().filter(junos), 500);
//! while let Some(device) = devices.try_next().await? {
//!     println!("{:?}", device.name);
//! }
//! # Ok(()) }
//! ```

mod builder;
mod client;
mod collections;
pub mod fleet;
mod jobs;
mod polling;
pub mod prelude;
mod session;

pub use builder::ClientBuilder;
pub use client::Client;
pub use fleet::Fleet;
pub use jobs::{JobWait, QueueUrl, Schedule, TaskAnswer};
pub use junos_space_api as api;
pub use junos_space_api::types;
pub use junos_space_runtime::query::{Filter, Paging, SortBy};
pub use junos_space_runtime::{
    Answer, Collection, Credentials, Error, JobRecord, JobState, Operation, Page, Paged, Password,
    Result, RetryPolicy,
};
pub use polling::Polling;
