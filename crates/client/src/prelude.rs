//! What a user of the generated [`Client`](junos_space_api::Client) imports to get this
//! crate's extras: `use junos_space::prelude::*;`.
//!
//! Each extra is a method of an extension trait, never an inherent method of a wrapper, so
//! there is one client type and one way to send. No trait method shares a name with a
//! generated method (an inherent method would silently win): `tests/extension_names.rs` walks
//! the spec's operations and their parameters to keep it so.

pub use crate::builder::ClientExt;
pub use crate::collections::{CollectionExt, PagedExt};
pub use crate::jobs::{JobsExt, TaskAnswer};
pub use crate::queue::QueuesExt;
#[cfg(feature = "sd")]
pub use crate::security_director::SecurityDirectorExt;
pub use crate::session::SessionExt;
pub use junos_space_api::ClientInfo;
