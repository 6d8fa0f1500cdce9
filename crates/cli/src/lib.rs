//! The `junos-space` command line as a library: the binary is `src/main.rs`; the modules are
//! public so that the tests name what the binary does (its command names, its exit statuses)
//! rather than write them again.

pub mod command;
pub mod confirm;
pub mod exit;
pub mod operations;
pub mod output;
pub mod porcelain;
pub mod profiles;
pub mod progress;
pub mod query;
pub mod session;
pub mod settings;
