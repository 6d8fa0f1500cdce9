//! Spec-driven conformance kit for the generated Junos Space client, and the server mode that
//! aims the same checks at a live server.
//!
//! Everything is compiled from the typed model of `spec/` ([`junos_space_model::Api`]) at run
//! time, so a new operation, media type or schema is covered with no new code. Laid out by
//! product, in layers that only point down:
//!
//! - [`shared`], below both products: seeds and draws, value strategies compiled from the
//!   model's schemas, the media-type oracle, structural comparison, the one `curl` renderer;
//! - [`kit`], the client kit: request, response and negative checks of the generated client
//!   against one recording mock server, the coverage matrix, and the harness that runs them;
//! - [`server`], the server mode (the `check-server` command): probes of a live server, each
//!   answer judged against the model, and a failure only where a documented fact is broken
//!   (a form the project decided is a warning).
//!
//! Nothing is re-exported at the root: a name says which layer it comes from.

pub mod kit;
pub mod server;
pub mod shared;
