//! The collection query syntax of Junos Space: `filter=(deviceFamily eq 'junos')`,
//! `sortby=(name(ascending))` and `paging=(start eq 0, limit eq 10)`.
//!
//! Values are quoted here; URL encoding is done when the request is built, so a value may hold
//! `&`, `=`, spaces or quotes.

use std::fmt;

/// A filter expression. `Display` (and `String::from`) writes the server's syntax, so a
/// filter goes straight into a generated builder: `.filter(Filter::eq("name", "mx1"))`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Filter {
    /// `field eq 'value'`
    Eq(String, String),
    /// `field starts-with 'value'`
    StartsWith(String, String),
    /// `field contains 'value'`
    Contains(String, String),
    /// `(a and b and ...)`
    And(Vec<Filter>),
    /// `(a or b or ...)`
    Or(Vec<Filter>),
    /// `not(a)`
    Not(Box<Filter>),
}

impl Filter {
    /// `field eq 'value'`.
    pub fn eq(field: impl Into<String>, value: impl Into<String>) -> Self {
        Self::Eq(field.into(), value.into())
    }

    /// `field starts-with 'value'`.
    pub fn starts_with(field: impl Into<String>, value: impl Into<String>) -> Self {
        Self::StartsWith(field.into(), value.into())
    }

    /// `field contains 'value'`.
    pub fn contains(field: impl Into<String>, value: impl Into<String>) -> Self {
        Self::Contains(field.into(), value.into())
    }

    /// This filter and `other`.
    pub fn and(self, other: Filter) -> Self {
        match self {
            Self::And(mut all) => {
                all.push(other);
                Self::And(all)
            }
            one => Self::And(vec![one, other]),
        }
    }

    /// This filter or `other`.
    pub fn or(self, other: Filter) -> Self {
        match self {
            Self::Or(mut any) => {
                any.push(other);
                Self::Or(any)
            }
            one => Self::Or(vec![one, other]),
        }
    }

    /// Not this filter. (A method, not `std::ops::Not`, to read like the server's syntax.)
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Self {
        Self::Not(Box::new(self))
    }

    fn write_inner(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Eq(field, value) => write!(f, "{field} eq {}", Quoted(value)),
            Self::StartsWith(field, value) => write!(f, "{field} starts-with {}", Quoted(value)),
            Self::Contains(field, value) => write!(f, "{field} contains {}", Quoted(value)),
            Self::And(all) => write_joined(f, all, " and "),
            Self::Or(any) => write_joined(f, any, " or "),
            Self::Not(inner) => {
                f.write_str("not(")?;
                inner.write_inner(f)?;
                f.write_str(")")
            }
        }
    }
}

fn write_joined(f: &mut fmt::Formatter<'_>, parts: &[Filter], separator: &str) -> fmt::Result {
    f.write_str("(")?;
    for (index, part) in parts.iter().enumerate() {
        if index > 0 {
            f.write_str(separator)?;
        }
        part.write_inner(f)?;
    }
    f.write_str(")")
}

/// A value in single quotes, a quote inside written twice (`'O''Brien'`).
struct Quoted<'a>(&'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "'{}'", self.0.replace('\'', "''"))
    }
}

impl fmt::Display for Filter {
    /// The whole expression in parentheses, as the server's examples write it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::And(_) | Self::Or(_) => self.write_inner(f),
            _ => {
                f.write_str("(")?;
                self.write_inner(f)?;
                f.write_str(")")
            }
        }
    }
}

impl From<Filter> for String {
    fn from(filter: Filter) -> Self {
        filter.to_string()
    }
}

/// A sort order: `(name(ascending), ipAddr(descending))`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SortBy(Vec<(String, bool)>);

impl SortBy {
    /// Sorted by `field`, smallest first.
    pub fn ascending(field: impl Into<String>) -> Self {
        Self(vec![(field.into(), true)])
    }

    /// Sorted by `field`, largest first.
    pub fn descending(field: impl Into<String>) -> Self {
        Self(vec![(field.into(), false)])
    }

    /// Then by `field`, smallest first.
    pub fn then_ascending(mut self, field: impl Into<String>) -> Self {
        self.0.push((field.into(), true));
        self
    }

    /// Then by `field`, largest first.
    pub fn then_descending(mut self, field: impl Into<String>) -> Self {
        self.0.push((field.into(), false));
        self
    }
}

impl fmt::Display for SortBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(")?;
        for (index, (field, ascending)) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str(", ")?;
            }
            let order = if *ascending {
                "ascending"
            } else {
                "descending"
            };
            write!(f, "{field}({order})")?;
        }
        f.write_str(")")
    }
}

impl From<SortBy> for String {
    fn from(sort: SortBy) -> Self {
        sort.to_string()
    }
}

/// One page of a collection: `(start eq 0, limit eq 100)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paging {
    /// Index of the first member.
    pub start: u64,
    /// The most members on the page.
    pub limit: u64,
}

impl fmt::Display for Paging {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "(start eq {}, limit eq {})", self.start, self.limit)
    }
}

impl From<Paging> for String {
    fn from(paging: Paging) -> Self {
        paging.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_write_the_servers_syntax() {
        assert_eq!(
            Filter::eq("deviceFamily", "junos").to_string(),
            "(deviceFamily eq 'junos')"
        );
        let combined = Filter::eq("deviceFamily", "junos")
            .and(Filter::starts_with("name", "mx"))
            .and(
                Filter::contains("platform", "960")
                    .or(Filter::eq("platform", "SRX"))
                    .not(),
            );
        assert_eq!(
            combined.to_string(),
            "(deviceFamily eq 'junos' and name starts-with 'mx' and \
             not((platform contains '960' or platform eq 'SRX')))"
        );
        assert_eq!(
            Filter::eq("name", "O'Brien's mx").to_string(),
            "(name eq 'O''Brien''s mx')"
        );
    }

    #[test]
    fn sort_and_paging_write_the_servers_syntax() {
        assert_eq!(SortBy::ascending("name").to_string(), "(name(ascending))");
        assert_eq!(
            SortBy::ascending("name")
                .then_descending("ipAddr")
                .to_string(),
            "(name(ascending), ipAddr(descending))"
        );
        assert_eq!(
            Paging {
                start: 20,
                limit: 10
            }
            .to_string(),
            "(start eq 20, limit eq 10)"
        );
    }
}
