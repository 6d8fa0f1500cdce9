//! The filter syntax tree, its builders, and how `Display` writes it.

use std::fmt;
use std::str::FromStr;

use crate::error::QueryError;
use crate::literal::Literal;

/// A comparison operator of a filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operator {
    /// `eq`: equal.
    Eq,
    /// `ne`: not equal.
    Ne,
    /// `lt`: less than.
    Lt,
    /// `le`: less than or equal.
    Le,
    /// `gt`: greater than.
    Gt,
    /// `ge`: greater than or equal.
    Ge,
    /// `contains`: the field's text contains the value's.
    Contains,
    /// `starts-with`: the field's text starts with the value's.
    StartsWith,
}

impl Operator {
    /// Every operator, in the order the grammar lists them.
    pub const ALL: [Self; 8] = [
        Self::Eq,
        Self::Ne,
        Self::Lt,
        Self::Le,
        Self::Gt,
        Self::Ge,
        Self::Contains,
        Self::StartsWith,
    ];

    /// The operator as the server's syntax writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Eq => "eq",
            Self::Ne => "ne",
            Self::Lt => "lt",
            Self::Le => "le",
            Self::Gt => "gt",
            Self::Ge => "ge",
            Self::Contains => "contains",
            Self::StartsWith => "starts-with",
        }
    }

    /// The operator a word names, in any case.
    pub(crate) fn from_word(word: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|operator| operator.as_str().eq_ignore_ascii_case(word))
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A filter expression. `Display` (and `String::from`) writes the server's syntax, so a
/// filter goes straight into a generated builder: `.filter(Filter::eq("name", "mx1"))`;
/// `FromStr` and [`Filter::parse`] read it back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Filter {
    /// `field operator value`, e.g. `name starts-with 'mx'` or `port ge 800`.
    Compare {
        /// The member's field compared (written as given: see [`is_field_name`](crate::is_field_name)).
        field: String,
        /// How it is compared.
        operator: Operator,
        /// What it is compared with.
        value: Literal,
    },
    /// `(a and b and ...)`: every term holds.
    And(Terms),
    /// `(a or b or ...)`: some term holds.
    Or(Terms),
    /// `not(a)`: the filter does not hold.
    Not(Box<Filter>),
}

/// The two or more operands of an `and` or `or`. Built only by [`Filter::and`] and
/// [`Filter::or`] (and the parser), so an empty or one-term `and` cannot be held: it would
/// have no syntax.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Terms(Vec<Filter>);

impl Terms {
    /// Two or more terms (the parser and the builders guarantee the count).
    pub(crate) fn new(terms: Vec<Filter>) -> Self {
        debug_assert!(terms.len() >= 2, "an and/or of fewer than two terms");
        Self(terms)
    }

    /// The terms, in order.
    pub fn as_slice(&self) -> &[Filter] {
        &self.0
    }

    /// The terms, in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Filter> {
        self.0.iter()
    }
}

impl TryFrom<Vec<Filter>> for Terms {
    /// Fewer than two terms, given back.
    type Error = Vec<Filter>;

    /// The operands of an `and` or `or` built at once, keeping each as it is (where
    /// [`Filter::and`] on an `and` adds to it): `Filter::And(Terms::try_from(vec![a, b])?)`.
    fn try_from(terms: Vec<Filter>) -> Result<Self, Self::Error> {
        if terms.len() >= 2 {
            Ok(Self(terms))
        } else {
            Err(terms)
        }
    }
}

impl<'a> IntoIterator for &'a Terms {
    type Item = &'a Filter;
    type IntoIter = std::slice::Iter<'a, Filter>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl Filter {
    /// `field operator value`.
    pub fn compare(
        field: impl Into<String>,
        operator: Operator,
        value: impl Into<Literal>,
    ) -> Self {
        Self::Compare {
            field: field.into(),
            operator,
            value: value.into(),
        }
    }

    /// `field eq value`: `Filter::eq("name", "mx1")` is `(name eq 'mx1')`,
    /// `Filter::eq("port", 830)` is `(port eq 830)`.
    pub fn eq(field: impl Into<String>, value: impl Into<Literal>) -> Self {
        Self::compare(field, Operator::Eq, value)
    }

    /// `field ne value`.
    pub fn ne(field: impl Into<String>, value: impl Into<Literal>) -> Self {
        Self::compare(field, Operator::Ne, value)
    }

    /// `field lt value`.
    pub fn lt(field: impl Into<String>, value: impl Into<Literal>) -> Self {
        Self::compare(field, Operator::Lt, value)
    }

    /// `field le value`.
    pub fn le(field: impl Into<String>, value: impl Into<Literal>) -> Self {
        Self::compare(field, Operator::Le, value)
    }

    /// `field gt value`.
    pub fn gt(field: impl Into<String>, value: impl Into<Literal>) -> Self {
        Self::compare(field, Operator::Gt, value)
    }

    /// `field ge value`.
    pub fn ge(field: impl Into<String>, value: impl Into<Literal>) -> Self {
        Self::compare(field, Operator::Ge, value)
    }

    /// `field starts-with value`.
    pub fn starts_with(field: impl Into<String>, value: impl Into<Literal>) -> Self {
        Self::compare(field, Operator::StartsWith, value)
    }

    /// `field contains value`.
    pub fn contains(field: impl Into<String>, value: impl Into<Literal>) -> Self {
        Self::compare(field, Operator::Contains, value)
    }

    /// This filter and `other`. On an `and` it adds a term, so `a.and(b).and(c)` is
    /// `(a and b and c)`; `a.and(b.and(c))` keeps its parentheses: `(a and (b and c))`.
    pub fn and(self, other: Filter) -> Self {
        match self {
            Self::And(Terms(mut all)) => {
                all.push(other);
                Self::And(Terms::new(all))
            }
            one => Self::And(Terms::new(vec![one, other])),
        }
    }

    /// This filter or `other`; on an `or` it adds a term, like [`Filter::and`].
    pub fn or(self, other: Filter) -> Self {
        match self {
            Self::Or(Terms(mut any)) => {
                any.push(other);
                Self::Or(Terms::new(any))
            }
            one => Self::Or(Terms::new(vec![one, other])),
        }
    }

    /// Not this filter. (A method, not `std::ops::Not`, to read like the server's syntax.)
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Self {
        Self::Not(Box::new(self))
    }

    /// Writes the expression without the outer parentheses a whole filter gets; `and` and
    /// `or` always bring their own, so no operand's grouping is ever lost.
    fn write_inner(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Compare {
                field,
                operator,
                value,
            } => write!(f, "{field} {operator} {value}"),
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

fn write_joined(f: &mut fmt::Formatter<'_>, terms: &Terms, separator: &str) -> fmt::Result {
    f.write_str("(")?;
    for (index, term) in terms.iter().enumerate() {
        if index > 0 {
            f.write_str(separator)?;
        }
        term.write_inner(f)?;
    }
    f.write_str(")")
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

impl FromStr for Filter {
    type Err = QueryError;

    /// Reads a filter naming any fields; [`Filter::parse`] checks them as it reads.
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        Self::parse(input, |_| true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::literal::Number;

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
        assert_eq!(String::from(Filter::ne("a", "")), "(a ne '')");
    }

    #[test]
    fn every_operator_has_its_builder_and_its_text() {
        let cases = [
            (Filter::eq("port", 830), "(port eq 830)"),
            (Filter::ne("port", 830), "(port ne 830)"),
            (Filter::lt("port", 830), "(port lt 830)"),
            (Filter::le("port", 830), "(port le 830)"),
            (Filter::gt("port", 830), "(port gt 830)"),
            (Filter::ge("port", 830), "(port ge 830)"),
            (Filter::contains("name", "mx"), "(name contains 'mx')"),
            (Filter::starts_with("name", "mx"), "(name starts-with 'mx')"),
            (Filter::lt("OSVersion", "15.1"), "(OSVersion lt '15.1')"),
            (Filter::gt("delta", -3_i64), "(delta gt -3)"),
            (Filter::ge("id", u64::MAX), "(id ge 18446744073709551615)"),
        ];
        for (filter, text) in cases {
            assert_eq!(filter.to_string(), text);
        }
        for operator in Operator::ALL {
            let filter = Filter::compare("f", operator, "v");
            assert_eq!(filter.to_string(), format!("(f {} 'v')", operator.as_str()));
            assert_eq!(
                Operator::from_word(&operator.as_str().to_uppercase()),
                Some(operator)
            );
        }
        let half = Number::from_f64(0.5).expect("finite");
        assert_eq!(Filter::le("load", half).to_string(), "(load le 0.5)");
    }

    #[test]
    fn and_adds_to_an_and_and_keeps_a_nested_one() {
        let (a, b, c) = (Filter::eq("a", 1), Filter::eq("b", 2), Filter::eq("c", 3));
        assert_eq!(
            a.clone().and(b.clone()).and(c.clone()).to_string(),
            "(a eq 1 and b eq 2 and c eq 3)"
        );
        assert_eq!(
            a.clone().and(b.clone().and(c.clone())).to_string(),
            "(a eq 1 and (b eq 2 and c eq 3))"
        );
        assert_eq!(
            a.clone().or(b.clone()).and(c.clone()).to_string(),
            "((a eq 1 or b eq 2) and c eq 3)"
        );
        let nested = Terms::try_from(vec![a.clone().and(b.clone()), c.clone()]).expect("two");
        assert_eq!(
            Filter::And(nested).to_string(),
            "((a eq 1 and b eq 2) and c eq 3)"
        );
        assert_eq!(Terms::try_from(vec![a.clone()]), Err(vec![a.clone()]));
        assert_eq!(a.not().not().to_string(), "(not(not(a eq 1)))");
    }
}
