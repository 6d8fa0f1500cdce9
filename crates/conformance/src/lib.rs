//! Spec-driven conformance kit for the generated Junos Space client.
//!
//! Everything is compiled from `spec/` at run time, so a new operation, media type or schema
//! is covered with no new code:
//!
//! - [`schema`] turns JSON schemas into proptest strategies (and into the forms a real server
//!   renders them in); values are checked by `junos_space_spec::validate`, which the simulator
//!   shares;
//! - [`oracle`] compares media types the way Junos Space does (RFC 9110 syntax, exact values);
//! - [`request`], [`response`] and [`negative`] check what the client sends, what it decodes,
//!   and what it refuses, against one recording [`mock`] server;
//! - [`lint`] checks the spec's media types; [`coverage`] keeps the operation × media type ×
//!   status matrix; [`curl`] renders a failing request as a command a person can rerun;
//! - [`harness`] runs it all with a fixed seed and readable failures;
//! - [`server`] aims the same oracle and schemas at a live server (the `check-server` command).

pub mod compare;
pub mod coverage;
pub mod curl;
pub mod harness;
pub mod lint;
pub mod mock;
pub mod negative;
pub mod oracle;
pub mod request;
pub mod response;
pub mod schema;
pub mod server;
