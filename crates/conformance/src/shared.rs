//! What the client kit and the server mode share: value strategies compiled from the spec's
//! schemas, the media-type oracle, structural comparison, and `curl` renderings.

pub mod compare;
pub mod curl;
pub mod oracle;
pub mod schema;
