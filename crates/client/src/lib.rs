//! The Junos Space client to reach for first: the generated client of [`junos_space_api`]
//! (one [`Client`], every operation a builder with one `send`), configured for a real server,
//! plus extras as extension traits in [`prelude`].
//!
//! - [`ClientBuilder`] (`Client::builder()`): base URL (`https://host` or
//!   `https://host/api/space`), HTTP Basic credentials from arguments or `JUNOS_SPACE_URL` /
//!   `JUNOS_SPACE_USER` / `JUNOS_SPACE_PASSWORD`, timeouts, user agent, retries, TLS with
//!   verification on (extra CA from a PEM file; turning it off is a loud opt-in).
//! - Every request passes through `junos-space-runtime`: credentials or the session that
//!   `client.login().send()` opens, a tracing span per request, and retries of transient
//!   failures for GET only. Every `send` fails with one [`Error`] with status, media type,
//!   body and a readable message.
//! - [`JobsExt`](prelude::JobsExt): `client.job(answer)` waits for the job behind any task
//!   answer, reporting progress; `client.fleet()` starts and follows many at once (bounded,
//!   one deadline, Ctrl-C aware).
//! - [`PagedExt`](prelude::PagedExt) and [`CollectionExt`](prelude::CollectionExt): a
//!   collection's builder walks it page by page (`.items(500)`, `.pages(500)`) or gives one
//!   answer's members (`.list()`).
//! - [`SessionExt`](prelude::SessionExt): whether the client holds a session, and whether the
//!   server still does.
//! - [`SecurityDirectorExt`](prelude::SecurityDirectorExt) (feature `sd`): a firewall
//!   policy's rules changed under its lock, and the rule group a device policy's rules go in;
//!   [`security_director::FirewallRule`] writes a rule from the objects it uses.
//!
//! ```no_run
//! use futures_util::TryStreamExt as _;
//! use junos_space::prelude::*;
//! use junos_space::{Client, Filter};
//!
//! # async fn example() -> junos_space::Result<()> {
//! let client = Client::builder().from_env().build()?;
//! let junos = Filter::eq("deviceFamily", "junos");
//! let mut devices = client.list_devices().filter(junos).items(500);
//! while let Some(device) = devices.try_next().await? {
//!     println!("{:?}", device.name);
//! }
//! # Ok(()) }
//! ```

mod builder;
mod collections;
pub mod fleet;
mod jobs;
mod polling;
pub mod prelude;
mod queue;
mod record;
#[cfg(feature = "sd")]
pub mod security_director;
mod session;

pub use builder::ClientBuilder;
pub use fleet::Fleet;
pub use jobs::{JobWait, QueueUrl, Schedule, TaskAnswer};
pub use junos_space_api as api;
pub use junos_space_api::{Client, types};
pub use junos_space_runtime::query::{Filter, Paging, SortBy};
pub use junos_space_runtime::{
    Answer, Collection, Credentials, Error, JobRecord, JobState, Operation, Page, Paged, Password,
    Result, RetryPolicy,
};
pub use polling::Polling;
pub use queue::{JobQueue, QueueMessage};
