//! The client kit: request, response and negative checks of the generated client against one
//! recording mock server, the coverage matrix, and the harness that runs them with a seed. It
//! builds on [`shared`](crate::shared) only.

pub mod coverage;
pub mod harness;
pub mod mock;
pub mod negative;
pub mod request;
pub mod response;
