//! A local stand-in for a Junos Space server, for tests and CI where no real server runs.
//!
//! Every operation of `spec/` is served from in-memory state with no per-operation code: the
//! route table is read from the model of the spec ([`junos_space_model::Api`]) at start-up
//! (see the `routes` module for the shapes it knows), and each request passes through the
//! stages of the `pipeline` module: routing, credentials, negotiation, body reading,
//! behaviour, answer writing. The simulator behaves as `../shared/junos-space-behaviour.md` describes:
//! exact media-type matching (406 with a JBoss HTML page, 415, 400), HTTP Basic and the login
//! session cookie, plain-text 401 bodies, `@size`/`@total`/`@href`/`@uri`/`@key` envelopes,
//! `paging`/`filter`/`sortby`, 204 for an empty collection, one-member lists as objects and
//! attributes as strings, and asynchronous operations that answer 202 with a task whose job
//! runs to SUCCESS or FAILURE.
//!
//! ```no_run
//! # async fn demo() -> Result<(), junos_space_simulator::Error> {
//! use junos_space_simulator::{Config, Simulator};
//!
//! let simulator = Simulator::start(Config::default()).await?;
//! let api = simulator.api_url(); // http://127.0.0.1:PORT/api/space
//! # let _ = api;
//! simulator.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! [`Realism::schema_strict`] makes every answer valid against its schema (for schemathesis);
//! [`Faults`] adds latency, 5xx answers and dropped connections; [`Deviation`]s break the spec
//! on purpose, to show that a conformance checker notices.

mod answer;
mod behaviour;
mod body;
mod config;
mod credentials;
mod deviation;
mod hornetq;
mod jobs;
mod negotiation;
mod outcome;
mod pipeline;
mod render;
mod routes;
mod routing;
mod server;
mod sessions;
mod state;
mod store;
pub mod tls;
mod tweaks;

use std::borrow::Cow;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use junos_space_model::{Api, SpecError};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use config::{Config, DEFAULT_SEED, Faults, Realism};
pub use credentials::Credentials;
pub use deviation::{Deviation, UnknownDeviation};
pub use jobs::{JobOutcome, JobSettings};
pub use routes::RouteError;
pub use state::FixtureError;

use pipeline::{Rules, Shared};
use state::{SharedState, State};

/// The document served when [`Config::spec`] is `None`: `spec/junos-space.yaml`, as the
/// `junos-space-model` crate carries it.
pub use junos_space_model::BUNDLED_SPEC;

/// Why a simulator cannot start.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the spec cannot be used: {0}")]
    Spec(#[from] SpecError),
    #[error(transparent)]
    Routes(#[from] RouteError),
    #[error(transparent)]
    Fixture(#[from] FixtureError),
    #[error(
        "the spec lists no job collection (a GET whose 200 wraps `jobs`), which task answers point at"
    )]
    NoJobCollection,
    #[error("cannot listen on {address}: {source}")]
    Listen {
        address: SocketAddr,
        source: std::io::Error,
    },
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Starts simulators.
#[derive(Debug, Clone, Copy)]
pub struct Simulator;

impl Simulator {
    /// Reads the spec and seed data, binds `config.address` and serves until the returned
    /// handle is shut down or dropped. Needs a Tokio runtime with I/O and time enabled.
    pub async fn start(config: Config) -> Result<RunningSimulator> {
        let read = |path: &PathBuf| {
            std::fs::read_to_string(path).map_err(|source| Error::Read {
                path: path.clone(),
                source,
            })
        };
        let api = match &config.spec {
            Some(path) => Cow::Owned(Api::load(path)?),
            None => Cow::Borrowed(Api::bundled().map_err(SpecError::clone)?),
        };
        let routes = routes::RouteTable::from_api(&api)?;
        let jobs_path = behaviour::jobs_path(&routes).ok_or(Error::NoJobCollection)?;
        let mut state = match &config.fixture {
            Some(path) => State::from_fixture(&read(path)?)?,
            None => State::from_fixture(state::DEFAULT_FIXTURE)?,
        };
        if let Some(count) = config.devices {
            state.generate_devices(count, config.seed);
        }
        let listener = TcpListener::bind(config.address)
            .await
            .map_err(|source| Error::Listen {
                address: config.address,
                source,
            })?;
        let address = listener.local_addr().map_err(|source| Error::Listen {
            address: config.address,
            source,
        })?;
        let shared = Arc::new(Shared {
            api,
            routes,
            state: SharedState::new(state),
            rules: Rules::new(config.realism, &config.deviations),
            dice: Mutex::new(fastrand::Rng::with_seed(config.seed)),
            config,
            jobs_path,
            requests: AtomicU64::new(0),
        });
        let tls = shared.config.tls.as_ref().map(tls::Tls::acceptor);
        let task = tokio::spawn(server::serve(listener, shared.clone(), tls));
        Ok(RunningSimulator {
            address,
            task,
            shared,
        })
    }
}

/// A simulator serving on [`address`](Self::address); stops when dropped.
#[derive(Debug)]
pub struct RunningSimulator {
    address: SocketAddr,
    task: JoinHandle<()>,
    shared: Arc<Shared>,
}

impl RunningSimulator {
    /// The socket the simulator listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// `http://127.0.0.1:PORT` (`https://` with [`Config::tls`]), without the base path.
    pub fn base_url(&self) -> String {
        let scheme = if self.shared.config.tls.is_some() {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{}", self.address)
    }

    /// `http://127.0.0.1:PORT/api/space`: what clients take as their URL.
    pub fn api_url(&self) -> String {
        format!("{}{}", self.base_url(), self.shared.api.base_path())
    }

    /// The configuration it runs with.
    pub fn config(&self) -> &Config {
        &self.shared.config
    }

    /// Requests answered (or dropped) so far, faults included.
    pub fn requests(&self) -> u64 {
        self.shared.requests.load(Ordering::Relaxed)
    }

    /// Stops accepting and closes every connection.
    pub async fn shutdown(mut self) {
        self.task.abort();
        // The task only ends by being aborted; its result says nothing more.
        let _ = (&mut self.task).await;
    }
}

impl Drop for RunningSimulator {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("routes", &self.routes.routes.len())
            .finish_non_exhaustive()
    }
}
