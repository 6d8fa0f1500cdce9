//! The typed model of the Junos Space API, read once from the OpenAPI document in `spec/`.
//!
//! Every product (the generator, the client's tests, the conformance kit and `check-server`,
//! the simulator, the command line) takes an [`Api`] and never the document itself: its
//! operations with typed statuses and parsed media types, its schemas in an arena, the
//! collection, session, job and cancel roles of each operation, and the provenance of every
//! form (documented by a source, or decided by this project). A new operation in the document
//! needs no new code:
//!
//! ```
//! let api = junos_space_model::Api::from_yaml_str(r#"
//! openapi: 3.1.0
//! paths:
//!   /job-management/jobs/{job_id}:
//!     get:
//!       operationId: getJob
//!       parameters:
//!         - {name: job_id, in: path, required: true, schema: {type: integer}}
//!       responses:
//!         '200':
//!           description: Job returned.
//!           content:
//!             application/vnd.net.juniper.space.job-management.job+json;version=3:
//!               schema: {type: object}
//! "#)?;
//! let job = api.operation("getJob").expect("read");
//! assert_eq!(job.accept_header().as_deref(),
//!            Some("application/vnd.net.juniper.space.job-management.job+json;version=3"));
//! assert_eq!(job.response(200).map(|r| r.status), Some(junos_space_model::api::Status::Code(200)));
//! # Ok::<(), junos_space_model::SpecError>(())
//! ```
//!
//! A fault of the document is a [`SpecError`] naming its place by JSON pointer (or, for YAML
//! that cannot be read, by line and column).

pub mod api;
pub mod diff;
mod document;
mod error;
pub mod lint;
pub mod pointer;

pub use api::Api;
pub use error::SpecError;
/// Media types: parsing and equivalence (the `junos-space-media-type` crate).
pub use junos_space_media_type as media_type;
pub use junos_space_media_type::MediaType;

/// The OpenAPI document of the real server, `spec/junos-space.yaml`, as this crate carries it
/// (`crates/model/junos-space.yaml` links to it, and `cargo package` copies it in): what the
/// client is generated from, and what the simulator serves and `check-server` checks unless
/// told to read another.
pub const BUNDLED_SPEC: &str = include_str!("../junos-space.yaml");

/// Extension on a request media type naming the operationId of the method generated for it,
/// when one operation accepts several request media types.
pub const X_OPERATION_ID: &str = "x-operation-id";

/// Extension on a request media type listing the response media types that method sends in
/// `Accept`, when the operation's media types pair up (one URL, one answer type per body type).
pub const X_ACCEPT: &str = "x-accept";

/// Extension on an asynchronous operation naming the collection path (as `paths` writes it)
/// that its job adds a member to when it succeeds: a relation between operations, kept as data
/// so the simulator (and checks of effects) need no per-operation code.
pub const X_ADDS_MEMBER_TO: &str = "x-adds-member-to";

/// Extension on a schema whose values name a member another operation reads:
/// `{operationId: getJob, parameters: {job_id: /id}}`, each parameter's value taken at that
/// JSON pointer inside the value. Read by [`Api::identified`].
pub const X_IDENTIFIES: &str = "x-identifies";

/// Extension on an operation saying what it does to a login session: `opens` (login), `ends`
/// (logout) or `reports` (login-status). The runtime reads it to choose between the session
/// cookie and Basic credentials, the simulator to keep sessions, the kit to order its calls.
pub const X_SESSION: &str = "x-session";

/// Extension on an operation that cancels the job its path names (`true`): the server cancels
/// a job that waits for its schedule and answers 412 for one that has started or finished.
pub const X_CANCELS_JOB: &str = "x-cancels-job";
/// `x-adds-members`: `{items, to, parameters}`, the members a request body adds to a
/// collection.
pub const X_ADDS_MEMBERS: &str = "x-adds-members";
/// `x-listed-by`: on a path parameter, the operationId of the GET whose collection lists its
/// values.
pub const X_LISTED_BY: &str = "x-listed-by";
/// `x-removes-members`: `{items, from}`, the members whose ids a request body lists that
/// leave a collection.
pub const X_REMOVES_MEMBERS: &str = "x-removes-members";
/// `x-lock`: `acquires` or `releases` the lock on the member the operation's path names.
pub const X_LOCK: &str = "x-lock";

/// Extension on an operation listing `Accept` values a documented client sends that are not
/// among the operation's answer types, and that the server takes all the same, answering in
/// the operation's own first type (Juniper's Ansible collection logs in asking for
/// `user-management.user-ref+json;version=1`). The operation's `x-source` names the client.
pub const X_ALSO_ACCEPTS: &str = "x-also-accepts";

/// Extension on a string schema listing the values its sources document (`job-state`: SCHEDULED,
/// DONE, ...). The list is open: the sources show samples and what clients compare with, never
/// a whole vocabulary, so readers take any string and a value outside the list is a finding on
/// the decision [`OPEN_VOCABULARIES`], which `check-server` reports as a warning.
pub const X_VOCABULARY: &str = "x-vocabulary";

/// The decision every `x-vocabulary` rests on: its row in `spec/README.md` ("Decisions").
pub const OPEN_VOCABULARIES: &str = "open-vocabularies";

/// Extension on a form (a media type object, a response, a schema or a property) saying that
/// the form is a decision of this project where the sources are silent, not a documented fact;
/// its value names the decision's row in `spec/README.md` ("Decisions").
pub const X_DECISION: &str = "x-decision";
