//! What `check-server` is asked to do: which probes, how literally answers are read, which
//! seed draws the bodies, and the limits of a run.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::shared::seed::DEFAULT_SEED;

/// How literally answers are held to the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strictness {
    /// As a client must read a real Junos Space (`spec/README.md`, "Known divergences"): a
    /// one-member list as the member, numbers and booleans as strings, `charset` or `q` added to
    /// the answer type, an empty collection as 204 with no body, and error bodies as plain
    /// text or an HTML page. Nothing else is forgiven.
    RealServer,
    /// Every answer exactly as the spec documents it.
    Literal,
}

/// What to probe, and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// Send operations that change the server (POST, DELETE, ...). Off: they are skipped.
    pub writes: bool,
    pub strictness: Strictness,
    /// Seeds the request bodies of writes; the same seed sends the same bodies.
    pub seed: u64,
    /// Path parameter values to use instead of reading ids from collections
    /// (`package_id` → `131074`); needed where the spec lists no collection to read.
    pub path_values: BTreeMap<String, String>,
    /// Only these operationIds; empty is every operation.
    pub only: Vec<String>,
    /// A probe answered slower than this fails (`--max-response-ms`); `None` times nothing.
    pub max_response: Option<Duration>,
    /// How long a write's job may take to end before it is reported (`--job-deadline-seconds`).
    pub job_deadline: Duration,
    /// Ask every versioned type with versions 1 to this (`--versions`) and report which the
    /// server takes ([`versions`](super::versions)); `None` asks only what the spec names.
    pub versions: Option<u64>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            writes: false,
            strictness: Strictness::RealServer,
            seed: DEFAULT_SEED,
            path_values: BTreeMap::new(),
            only: Vec::new(),
            max_response: None,
            job_deadline: Duration::from_secs(120),
            versions: None,
        }
    }
}
