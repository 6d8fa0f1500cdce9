//! Tolerant serde decoding for what real Junos Space servers send.
//!
//! Junos Space renders its XML model as JSON, and it shows: a list with one member arrives as
//! that member (an object, not an array), an empty list may drop its key or arrive as `null`,
//! and attributes such as `"@key": "32964647"` are strings even when the schema says integer.
//! The generated client names these functions in `#[serde(deserialize_with = ...)]` on every
//! field of the matching shape (the xtask does this; no type is patched by hand).
//!
//! The generated structs' `Deserialize` is written with [`object!`]: a table of each struct's
//! fields that names these same forms (see [`objects`]).
//!
//! Only those shapes are accepted. A string that is not a number still fails for an integer, a
//! `"yes"` still fails for a boolean, and a list member of the wrong type still fails.
//!
//! ```
//! #[derive(serde::Deserialize)]
//! struct Devices {
//!     #[serde(default, deserialize_with = "junos_space_lenient::one_or_many")]
//!     device: Vec<Device>,
//! }
//! #[derive(serde::Deserialize)]
//! struct Device {
//!     #[serde(rename = "@key", default, deserialize_with = "junos_space_lenient::option_number")]
//!     key: Option<i64>,
//! }
//! let one: Devices = serde_json::from_str(r#"{"device": {"@key": "32964647"}}"#)?;
//! assert_eq!(one.device[0].key, Some(32964647));
//! let none: Devices = serde_json::from_str("{}")?;
//! assert!(none.device.is_empty());
//! # Ok::<(), serde_json::Error>(())
//! ```

pub mod forms;
mod lists;
pub mod objects;
mod scalars;

pub use lists::{one_or_many, option_one_or_many};
pub use scalars::{boolean, number, option_boolean, option_number};
/// For [`object!`]: the generated client names serde through this crate.
#[doc(hidden)]
pub use serde;
