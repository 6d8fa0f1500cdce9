//! The `sortby` syntax tree: keys with a direction, written, read and compared.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde_json::Value;

use crate::error::{Parameter, QueryError};
use crate::eval::order;
use crate::lex::{Token, tokenize};

/// Which way a key sorts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Smallest first; the server's default when a key names none.
    Ascending,
    /// Largest first.
    Descending,
}

impl Direction {
    /// The direction as the server's syntax writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ascending => "ascending",
            Self::Descending => "descending",
        }
    }
}

/// One key of a sort order: `name(ascending)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SortKey {
    /// The member's field sorted on (written as given: see
    /// [`is_field_name`](crate::is_field_name)).
    pub field: String,
    /// Which way.
    pub direction: Direction,
}

/// A sort order of one or more keys: `(name(ascending), ipAddr(descending))`, the first
/// key deciding first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SortBy(Vec<SortKey>);

impl SortBy {
    /// Sorted by `field`, smallest first.
    pub fn ascending(field: impl Into<String>) -> Self {
        Self(vec![key(field, Direction::Ascending)])
    }

    /// Sorted by `field`, largest first.
    pub fn descending(field: impl Into<String>) -> Self {
        Self(vec![key(field, Direction::Descending)])
    }

    /// Then by `field`, smallest first.
    pub fn then_ascending(mut self, field: impl Into<String>) -> Self {
        self.0.push(key(field, Direction::Ascending));
        self
    }

    /// Then by `field`, largest first.
    pub fn then_descending(mut self, field: impl Into<String>) -> Self {
        self.0.push(key(field, Direction::Descending));
        self
    }

    /// The keys, first deciding first; never empty.
    pub fn keys(&self) -> &[SortKey] {
        &self.0
    }

    /// Reads `(field(ascending), other(descending), plain)`, a key without a direction being
    /// ascending; `known_field` says which field names the caller has.
    pub fn parse(input: &str, known_field: impl Fn(&str) -> bool) -> Result<Self, QueryError> {
        const S: Parameter = Parameter::SortBy;
        let tokens = tokenize(S, input)?;
        let shape = "expected (field(ascending), other(descending))";
        let [Token::Open, inner @ .., Token::Close] = tokens.as_slice() else {
            return Err(QueryError::new(S, shape));
        };
        let keys = inner
            .split(|t| *t == Token::Comma)
            .map(|key| {
                let (field, direction) = match key {
                    [Token::Word(field)] => (field, Direction::Ascending),
                    [
                        Token::Word(field),
                        Token::Open,
                        Token::Word(direction),
                        Token::Close,
                    ] => {
                        let direction = [Direction::Ascending, Direction::Descending]
                            .into_iter()
                            .find(|d| d.as_str().eq_ignore_ascii_case(direction))
                            .ok_or_else(|| {
                                QueryError::new(
                                    S,
                                    format!(
                                        "`{}` is not ascending or descending",
                                        direction.to_ascii_lowercase()
                                    ),
                                )
                            })?;
                        (field, direction)
                    }
                    _ => return Err(QueryError::new(S, shape)),
                };
                if !known_field(field) {
                    return Err(QueryError::new(S, format!("unknown field `{field}`")));
                }
                Ok(SortKey {
                    field: field.clone(),
                    direction,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self(keys))
    }

    /// Orders two members by the keys: `compare_field` orders them on one field, smallest
    /// first, and each key's direction is applied to it; the first key that tells them apart
    /// decides. For callers that compare a field their own way (the simulator compares `@key`
    /// as the integer it keeps).
    pub fn ordering(&self, mut compare_field: impl FnMut(&str) -> Ordering) -> Ordering {
        self.0
            .iter()
            .map(|key| {
                let ordering = compare_field(&key.field);
                match key.direction {
                    Direction::Ascending => ordering,
                    Direction::Descending => ordering.reverse(),
                }
            })
            .find(|ordering| ordering.is_ne())
            .unwrap_or(Ordering::Equal)
    }

    /// Orders two members, each read through its own field lookup, with [`order`] on every
    /// key.
    pub fn compare<'v>(
        &self,
        a: impl Fn(&str) -> Option<&'v Value>,
        b: impl Fn(&str) -> Option<&'v Value>,
    ) -> Ordering {
        self.ordering(|field| order(a(field), b(field)))
    }
}

fn key(field: impl Into<String>, direction: Direction) -> SortKey {
    SortKey {
        field: field.into(),
        direction,
    }
}

impl fmt::Display for SortBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(")?;
        for (index, key) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{}({})", key.field, key.direction.as_str())?;
        }
        f.write_str(")")
    }
}

impl From<SortBy> for String {
    fn from(sort: SortBy) -> Self {
        sort.to_string()
    }
}

impl FromStr for SortBy {
    type Err = QueryError;

    /// Reads a sort order naming any fields; [`SortBy::parse`] checks them.
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        Self::parse(input, |_| true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn any_field(_: &str) -> bool {
        true
    }

    #[test]
    fn sort_writes_the_servers_syntax() {
        assert_eq!(SortBy::ascending("name").to_string(), "(name(ascending))");
        assert_eq!(
            String::from(SortBy::ascending("name").then_descending("ipAddr")),
            "(name(ascending), ipAddr(descending))"
        );
        assert_eq!(
            SortBy::descending("@key").then_ascending("a").to_string(),
            "(@key(descending), a(ascending))"
        );
    }

    #[test]
    fn sortby_reads_directions() {
        let keys = SortBy::parse("(name(ascending), ipAddr(DESCENDING), platform)", any_field)
            .expect("parses");
        let read: Vec<_> = keys
            .keys()
            .iter()
            .map(|k| (k.field.as_str(), k.direction == Direction::Descending))
            .collect();
        assert_eq!(
            read,
            [("name", false), ("ipAddr", true), ("platform", false)]
        );
        for bad in ["name", "(name(up))", "()", "(name(ascending)"] {
            assert!(SortBy::parse(bad, any_field).is_err(), "{bad}");
        }
        assert!(SortBy::parse("(nope)", |f| f == "name").is_err());
        assert_eq!("(name)".parse::<SortBy>(), Ok(SortBy::ascending("name")));
    }

    #[test]
    fn error_messages_are_exact() {
        let known = |f: &str| f == "name";
        let shape = "sortby: expected (field(ascending), other(descending))";
        for (bad, message) in [
            ("name", shape),
            ("()", shape),
            ("(name,)", shape),
            ("(name(ascending) extra)", shape),
            ("(name(UP))", "sortby: `up` is not ascending or descending"),
            ("(nope)", "sortby: unknown field `nope`"),
            ("(name(ascending), 'x')", shape),
            ("(name ~)", "sortby: unexpected character `~`"),
        ] {
            let error = SortBy::parse(bad, known).expect_err(bad);
            assert_eq!(error.parameter, Parameter::SortBy);
            assert_eq!(error.to_string(), message, "{bad}");
        }
    }

    #[test]
    fn keys_decide_in_turn_each_in_its_direction() {
        let a = json!({"family": "junos", "name": "mx1"});
        let b = json!({"family": "junos", "name": "mx2"});
        // Closures that borrow are `Copy`, so each serves every comparison below.
        let (read_a, read_b) = (|field: &str| a.get(field), |field: &str| b.get(field));
        let by_name = SortBy::ascending("family").then_ascending("name");
        assert_eq!(by_name.compare(read_a, read_b), Ordering::Less);
        let by_name_down = SortBy::ascending("family").then_descending("name");
        assert_eq!(by_name_down.compare(read_a, read_b), Ordering::Greater);
        assert_eq!(
            SortBy::ascending("family").compare(read_a, read_b),
            Ordering::Equal
        );
        // The caller may compare a field its own way; the direction still applies.
        let calls = std::cell::Cell::new(0);
        let ordering = SortBy::descending("@key")
            .then_ascending("name")
            .ordering(|field| {
                calls.set(calls.get() + 1);
                assert_eq!(field, "@key");
                Ordering::Less
            });
        assert_eq!((ordering, calls.get()), (Ordering::Greater, 1));
    }
}
