//! Spec-driven conformance kit for the generated Junos Space client.
//!
//! Everything is compiled from `spec/` at run time, so a new operation, media type or schema
//! is covered with no new code. Laid out by product: [`shared`] pieces, the client [`kit`],
//! the [`server`] mode (and its `check-server` binary); each module is also reachable from the
//! crate root.
//!
//! - [`schema`] turns JSON schemas into proptest strategies (and into the forms a real server
//!   renders them in); values are checked by `junos_space_model::validate`, which the simulator
//!   shares;
//! - [`oracle`] compares media types the way Junos Space does (RFC 9110 syntax, exact values);
//! - [`request`], [`response`] and [`negative`] check what the client sends, what it decodes,
//!   and what it refuses, against one recording [`mock`] server;
//! - [`coverage`] keeps the operation × media type ×
//!   status matrix; [`curl`] renders a failing request as a command a person can rerun;
//! - [`harness`] runs it all with a fixed seed and readable failures;
//! - [`server`] aims the same oracle and schemas at a live server (the `check-server` command).

pub mod kit;
pub mod server;
pub mod shared;

pub use kit::{coverage, harness, mock, negative, request, response};
pub use shared::{compare, curl, oracle, schema};
