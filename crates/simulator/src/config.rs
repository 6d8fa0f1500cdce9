//! What a simulator serves and how: spec, seed data, credentials, job timing, realism, faults
//! and deviations. Each setting is read once, when the simulator starts, by the stage it
//! concerns.

use std::collections::BTreeSet;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use junos_space_model::api::{Forms, Strings};

use crate::credentials::Credentials;
use crate::deviation::Deviation;
use crate::jobs::JobSettings;
use crate::tls::Tls;

/// Everything [`Simulator::start`](crate::Simulator::start) needs. `Config::default()` is a
/// faithful, fault-free server on an ephemeral 127.0.0.1 port, seeded from the bundled fixture.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen; port 0 picks a free port.
    pub address: SocketAddr,
    /// The OpenAPI document to serve; `None` is the copy of `spec/junos-space.yaml` built in.
    pub spec: Option<PathBuf>,
    /// Seed data (a JSON object of collections); `None` is the bundled `fixtures/default.json`.
    pub fixture: Option<PathBuf>,
    /// Replaces the fixture's devices with this many generated ones (deterministic from `seed`).
    pub devices: Option<usize>,
    /// Seed of generated data and of the fault dice, so a run can be repeated.
    pub seed: u64,
    /// Accounts accepted by HTTP Basic and by login.
    pub credentials: Vec<Credentials>,
    pub jobs: JobSettings,
    pub realism: Realism,
    pub faults: Faults,
    /// Deliberate departures from the spec, for checking a conformance checker (empty: none).
    pub deviations: BTreeSet<Deviation>,
    /// Serve HTTPS with this certificate; `None` serves plain HTTP.
    pub tls: Option<Tls>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            address: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            spec: None,
            fixture: None,
            devices: None,
            seed: DEFAULT_SEED,
            credentials: vec![Credentials::default()],
            jobs: JobSettings::default(),
            realism: Realism::real_server(),
            faults: Faults::default(),
            deviations: BTreeSet::new(),
            tls: None,
        }
    }
}

/// The seed used when none is given.
pub const DEFAULT_SEED: u64 = 0x5_9ACE;

/// The ways a real server departs from the schemas of `spec/`. Each is a switch so the
/// simulator can be either what clients meet ([`Realism::real_server`], the default) or an
/// answer-for-answer match of the schemas ([`Realism::schema_strict`], for schema checkers such
/// as schemathesis). The body-reading stage reads the last switch, the answer writer the
/// others. Both presets read request bodies in a real server's forms: that a server takes
/// `"usePing": "True"` is documented (Juniper's Ansible collection sends it), so no mode of
/// the simulator refuses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Realism {
    /// A list with one member is rendered as that member, not a one-element array.
    pub one_member_lists_as_objects: bool,
    /// `@`-attributes (`@key`, `@size`) are JSON strings even when numeric.
    pub attributes_as_strings: bool,
    /// A page without members answers 204 with no body (an empty collection, PSP
    /// `collection.py`; a page past the end, which an inventory script pages until), except
    /// where a filter matches nothing: that is 200 with the envelope and its count, as
    /// Juniper's Ansible collection reads it (`../shared/juniper-clients-requests.md`, row 9).
    pub empty_pages_as_204: bool,
    /// 401 answers are plain text (`User not authenticated`) instead of the documented JSON.
    pub plain_text_auth_errors: bool,
    /// Request bodies may send booleans and numbers as strings (`"usePing": "True"`) and a
    /// one-member list as an object, as the spec's own exec-deploy example does.
    pub lenient_request_bodies: bool,
}

impl Realism {
    /// What a real Junos Space does (`../shared/junos-space-behaviour.md`): every switch on.
    pub const fn real_server() -> Self {
        Self {
            one_member_lists_as_objects: true,
            attributes_as_strings: true,
            empty_pages_as_204: true,
            plain_text_auth_errors: true,
            lenient_request_bodies: true,
        }
    }

    /// The value forms of answers, for [`junos_space_model::Api::render`].
    pub const fn forms(self) -> Forms {
        Forms {
            one_member_lists: self.one_member_lists_as_objects,
            strings: if self.attributes_as_strings {
                Strings::Attributes
            } else {
                Strings::None
            },
        }
    }

    /// Every answer valid against the schema `spec/` documents for its status and media type;
    /// requests read as a real server reads them.
    pub const fn schema_strict() -> Self {
        Self {
            one_member_lists_as_objects: false,
            attributes_as_strings: false,
            empty_pages_as_204: false,
            plain_text_auth_errors: false,
            lenient_request_bodies: true,
        }
    }
}

impl Default for Realism {
    fn default() -> Self {
        Self::real_server()
    }
}

/// Trouble for users' resilience tests. All off by default; the dice are seeded by
/// [`Config::seed`].
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Faults {
    /// Added before every answer.
    pub latency: Duration,
    /// Share (0..=1) of requests answered with a transient 5xx (502, 503 or 504, a JBoss
    /// HTML page) instead.
    pub server_error_share: f64,
    /// Share (0..=1) of requests whose connection is closed without an answer.
    pub dropped_connection_share: f64,
}
