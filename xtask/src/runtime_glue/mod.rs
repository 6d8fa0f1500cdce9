//! Connects the generated client to `junos-space-runtime`: the client carries a `Runtime`
//! ([`client`]), every answer is read through it as its answer table says ([`answers`]),
//! optional query parameters are added only when set and URLs come from the parsed base
//! ([`requests`]); a collection's count is read under either name ([`counts`]); the tables
//! every builder's `send` and traits are made from ([`tables`]).
//!
//! All of it is derived from the model of progenitor's output and the model of the API,
//! never listed per operation, and every step counts what it changed (see `crate::steps`).

pub(crate) mod answers;
pub(crate) mod client;
pub(crate) mod counts;
pub(crate) mod requests;
pub(crate) mod tables;
