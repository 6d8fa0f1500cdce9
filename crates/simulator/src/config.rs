//! What a simulator serves and how: spec, seed data, credentials, job timing, realism, faults.

use std::collections::BTreeSet;
use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use junos_space_model::server_forms::{Forms, Strings};

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

/// A user name and password the simulator accepts.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub user: String,
    pub password: String,
}

impl Credentials {
    pub fn new(user: impl Into<String>, password: impl Into<String>) -> Self {
        Self {
            user: user.into(),
            password: password.into(),
        }
    }
}

impl Default for Credentials {
    /// `super` / `juniper123`, the factory account of a Junos Space appliance.
    fn default() -> Self {
        Self::new("super", "juniper123")
    }
}

impl fmt::Debug for Credentials {
    // The password stays out of logs and test output.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

/// How asynchronous operations' jobs run.
#[derive(Debug, Clone)]
pub struct JobSettings {
    /// From start to end; `percent-complete` rises linearly over it.
    pub duration: Duration,
    /// How every job ends.
    pub outcome: JobOutcome,
    /// What one minute of a `schedule=(after(HH MM))` lasts here, so tests need not wait.
    pub schedule_minute: Duration,
}

impl Default for JobSettings {
    fn default() -> Self {
        Self {
            duration: Duration::from_secs(3),
            outcome: JobOutcome::Success,
            schedule_minute: Duration::from_secs(60),
        }
    }
}

/// The final state of a job whose target exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobOutcome {
    Success,
    Failure,
}

/// The ways a real server departs from the schemas of `spec/`. Each is a switch so the
/// simulator can be either what clients meet ([`Realism::real_server`], the default) or an
/// answer-for-answer match of the schemas ([`Realism::schema_strict`], for schema checkers such
/// as schemathesis).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Realism {
    /// A list with one member is rendered as that member, not a one-element array.
    pub one_member_lists_as_objects: bool,
    /// `@`-attributes (`@key`, `@size`) are JSON strings even when numeric.
    pub attributes_as_strings: bool,
    /// An empty collection answers 204 with no body instead of 200 with an empty list.
    pub empty_collections_as_204: bool,
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
            empty_collections_as_204: true,
            plain_text_auth_errors: true,
            lenient_request_bodies: true,
        }
    }

    /// The value forms of answers, for [`junos_space_model::server_forms::render`].
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

    /// Every answer valid against the schema `spec/` documents for its status and media type.
    pub const fn schema_strict() -> Self {
        Self {
            one_member_lists_as_objects: false,
            attributes_as_strings: false,
            empty_collections_as_204: false,
            plain_text_auth_errors: false,
            lenient_request_bodies: false,
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

/// A deliberate departure from `spec/`, so that a conformance checker can be shown to catch it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Deviation {
    /// Answers name their media type with the `version` parameter raised by one.
    WrongResponseVersion,
    /// Answers leave out the first property their schema marks `required`.
    MissingRequiredField,
    /// Successful answers use a status the operation does not document.
    UndocumentedStatus,
    /// Any `Accept` is served (no 406).
    IgnoreAccept,
    /// Any `Content-Type` is taken (no 415).
    AcceptAnyContentType,
    /// Answers name a sibling type of the same service (`devices` ↔ `device`).
    SiblingMediaType,
    /// Collections ignore `paging`: every page is the whole collection.
    IgnorePaging,
    /// A collection's count attribute (`@size`, `@total`) is one more than its members.
    MiscountCollection,
    /// Collections ignore `filter`: every member is answered.
    IgnoreFilter,
    /// A known user gets in with any password.
    AnyPassword,
    /// A 401 names the password it was sent.
    EchoPassword,
    /// A malformed `paging`, `filter` or `sortby` is left out instead of refused with 400.
    LenientQueries,
    /// A task's `@href` names a job that does not exist (its `id` is right).
    TaskHrefNowhere,
    /// An asynchronous delete's job succeeds and removes nothing.
    KeepDeleted,
    /// An action on a member that does not exist starts a (failing) job instead of its 404.
    JobForUnknownId,
    /// A request body the schema refuses is taken, and its job started, instead of a 400.
    AcceptInvalidBody,
    /// A discovery's job succeeds and adds no member to the collection it names.
    DiscoveryAddsNothing,
    /// Every older version of a type the spec names is served too, as a release that keeps
    /// its deprecated versions (`version=1` beside the spec's `version=2`).
    ServeOlderVersions,
}

impl Deviation {
    /// Every deviation, in a fixed order.
    pub const ALL: [Deviation; 18] = [
        Self::WrongResponseVersion,
        Self::MissingRequiredField,
        Self::UndocumentedStatus,
        Self::IgnoreAccept,
        Self::AcceptAnyContentType,
        Self::SiblingMediaType,
        Self::IgnorePaging,
        Self::MiscountCollection,
        Self::IgnoreFilter,
        Self::AnyPassword,
        Self::EchoPassword,
        Self::LenientQueries,
        Self::TaskHrefNowhere,
        Self::KeepDeleted,
        Self::JobForUnknownId,
        Self::AcceptInvalidBody,
        Self::DiscoveryAddsNothing,
        Self::ServeOlderVersions,
    ];

    /// The command-line name (`wrong-response-version`).
    pub fn name(self) -> &'static str {
        match self {
            Self::WrongResponseVersion => "wrong-response-version",
            Self::MissingRequiredField => "missing-required-field",
            Self::UndocumentedStatus => "undocumented-status",
            Self::IgnoreAccept => "ignore-accept",
            Self::AcceptAnyContentType => "accept-any-content-type",
            Self::SiblingMediaType => "sibling-media-type",
            Self::IgnorePaging => "ignore-paging",
            Self::MiscountCollection => "miscount-collection",
            Self::IgnoreFilter => "ignore-filter",
            Self::AnyPassword => "any-password",
            Self::EchoPassword => "echo-password",
            Self::LenientQueries => "lenient-queries",
            Self::TaskHrefNowhere => "task-href-nowhere",
            Self::KeepDeleted => "keep-deleted",
            Self::JobForUnknownId => "job-for-unknown-id",
            Self::AcceptInvalidBody => "accept-invalid-body",
            Self::DiscoveryAddsNothing => "discovery-adds-nothing",
            Self::ServeOlderVersions => "serve-older-versions",
        }
    }
}

impl fmt::Display for Deviation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is not one of [`Deviation::ALL`].
#[derive(Debug, thiserror::Error)]
#[error("unknown deviation `{0}`; known: {known}", known = Deviation::ALL.map(Deviation::name).join(", "))]
pub struct UnknownDeviation(pub String);

impl FromStr for Deviation {
    type Err = UnknownDeviation;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|d| d.name() == name)
            .ok_or_else(|| UnknownDeviation(name.to_owned()))
    }
}
