//! The collection query grammar of Junos Space, written, read and evaluated in one place:
//! `filter=(deviceFamily eq 'junos' and not(name contains 'lab'))`,
//! `sortby=(name(ascending), ipAddr(descending))` and `paging=(start eq 0, limit eq 10)`.
//!
//! Each parameter has one syntax tree ([`Filter`], [`SortBy`], [`Paging`]) built with
//! builders, written with `Display` (and `String::from`, so it goes straight into a generated
//! builder: `.filter(Filter::eq("name", "mx1"))`) and read with `FromStr` or a `parse`
//! function. What `Display` writes parses back to the same tree. A filter is evaluated against
//! a JSON member with [`Filter::matches`], a sort order compared with [`SortBy::compare`].
//!
//! ```
//! use junos_space_query::{Filter, Paging, SortBy};
//!
//! let filter = Filter::eq("deviceFamily", "junos").and(Filter::ge("port", 830).not());
//! assert_eq!(filter.to_string(), "(deviceFamily eq 'junos' and not(port ge 830))");
//! assert_eq!(filter.to_string().parse::<Filter>(), Ok(filter.clone()));
//!
//! let member = serde_json::json!({"deviceFamily": "junos", "port": 22});
//! assert!(filter.matches(|field| member.get(field)));
//!
//! let error = "(name(upwards))".parse::<SortBy>().unwrap_err();
//! assert_eq!(error.to_string(), "sortby: `upwards` is not ascending or descending");
//! assert_eq!("(limit eq 10)".parse(), Ok(Paging { start: 0, limit: 10 }));
//! ```
//!
//! # Grammar
//!
//! White space is free between tokens; keywords and operators are case-insensitive.
//!
//! ```text
//! filter  = or ;  or = and {"or" and} ;  and = unary {"and" unary}
//! unary   = "not" "(" or ")" | "(" or ")" | field op value
//! op      = eq | ne | lt | le | gt | ge | contains | starts-with
//! value   = 'text' ('' for a quote inside) | number
//! field   = a letter, `_` or `@`, then letters, digits, `_`, `-`, `@` or `.`  (Unicode)
//! sortby  = "(" field ["(" ("ascending" | "descending") ")"] {"," ...} ")"
//! paging  = "(" ["start" "eq" digits ","] "limit" "eq" digits ")"      (either order)
//! ```
//!
//! # Sources, and where they are silent
//!
//! The vendor's grammar is the Junos Space SDK 13.1 page "Sorting, Paging, Filtering, and Field
//! Selection on Collections" (`guides/appdevguide/filtsortsupp.html`). From it: `and` and `or`
//! take two or more operands inside parentheses, `not(...)` negates; a sort key's direction is
//! optional and `ascending` by default; `@key` is a sortable field; in `paging` the `start`
//! clause is optional (0) and both numbers are decimal digits. Where the page says nothing,
//! this crate keeps what the simulator has always read:
//!
//! - the comparison operators: the page's examples use `eq`, `starts-with` and `contains`;
//!   `ne`, `lt`, `le`, `gt` and `ge` are read and written as well;
//! - precedence without parentheses: `a or b and c` is `a or (b and c)`;
//! - case-insensitive keywords and operators, and free white space;
//! - number literals (`-1.5`, `2e3`) beside quoted text, in filters only;
//! - `paging` clauses in either order;
//! - text comparisons are exact (case-sensitive); the order operators compare numerically when
//!   both sides read as numbers ([`Filter::matches`]).
//!
//! # Limits
//!
//! A filter or sort expression longer than [`MAX_EXPRESSION_LENGTH`] bytes, or a filter nested
//! deeper than [`MAX_DEPTH`] parentheses, is refused rather than read. `Display` writes any
//! tree; one beyond these limits, or holding a field name outside the grammar (see
//! [`is_field_name`]), is written as it is and will not read back.

mod error;
mod eval;
mod filter;
mod lex;
mod literal;
mod paging;
mod parse;
mod sort;

pub use error::{Parameter, QueryError};
pub use eval::order;
pub use filter::{Filter, Operator, Terms};
pub use lex::{MAX_DEPTH, MAX_EXPRESSION_LENGTH, is_field_name};
pub use literal::{Literal, Number};
pub use paging::Paging;
pub use sort::{Direction, SortBy, SortKey};
