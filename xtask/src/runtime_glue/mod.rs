//! Connects the generated client to `junos-space-runtime`: the client carries a `Runtime`
//! ([`client`]), every answer is read through it ([`answers`]), every builder implements its
//! `Operation` traits ([`traits`]) and sends with the runtime's one error type ([`errors`]);
//! optional query parameters are added only when set ([`requests`]);
//! [`shape`] reads what progenitor generated.
//!
//! All of it is derived from progenitor's output and the spec, never listed per operation, and
//! every step counts what it changed (see [`crate::steps`]).

pub(crate) mod answers;
pub(crate) mod client;
pub(crate) mod errors;
pub(crate) mod requests;
mod shape;
pub(crate) mod traits;

use proc_macro2::TokenStream;
use quote::quote;

/// The runtime type progenitor is told to keep in the client (`with_inner_type`).
pub fn runtime_type() -> TokenStream {
    quote!(::junos_space_runtime::Runtime)
}
