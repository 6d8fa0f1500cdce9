//! What the client kit and the server mode share: seeds and single draws, value strategies
//! compiled from the model's schemas, the media-type oracle, structural comparison, and the one
//! `curl` renderer. Nothing here knows either product.

pub mod compare;
pub mod curl;
pub mod oracle;
pub mod schema;
pub mod seed;
