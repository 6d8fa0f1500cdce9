//! The `paging` value: one window of a collection.

use std::fmt;
use std::str::FromStr;

use crate::error::{Parameter, QueryError};
use crate::lex::{Token, tokenize};

/// One page of a collection: `(start eq 0, limit eq 100)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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

impl FromStr for Paging {
    type Err = QueryError;

    /// Reads `(start eq N, limit eq M)`: the clauses in either order, `start` optional (0) as
    /// the SDK's grammar has it, both numbers decimal digits (`1*DIGIT`) up to `u64::MAX`.
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        const P: Parameter = Parameter::Paging;
        let tokens = tokenize(P, input)?;
        let shape = "expected (start eq N, limit eq M)";
        let [Token::Open, inner @ .., Token::Close] = tokens.as_slice() else {
            return Err(QueryError::new(P, shape));
        };
        let mut start = None;
        let mut limit = None;
        for clause in inner.split(|t| *t == Token::Comma) {
            let [Token::Word(name), Token::Word(eq), Token::Number(n)] = clause else {
                return Err(QueryError::new(P, shape));
            };
            let digits = n.as_str();
            if !eq.eq_ignore_ascii_case("eq") || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(QueryError::new(
                    P,
                    format!("{shape}, with whole numbers from 0"),
                ));
            }
            let value = digits
                .parse::<u64>()
                .map_err(|_| QueryError::new(P, format!("`{digits}` is too large")))?;
            let slot = match name.to_ascii_lowercase().as_str() {
                "start" => &mut start,
                "limit" => &mut limit,
                other => {
                    return Err(QueryError::new(
                        P,
                        format!("unknown paging field `{other}`; {shape}"),
                    ));
                }
            };
            if slot.replace(value).is_some() {
                return Err(QueryError::new(P, format!("`{name}` is given twice")));
            }
        }
        match limit {
            Some(limit) => Ok(Paging {
                start: start.unwrap_or(0),
                limit,
            }),
            None => Err(QueryError::new(P, shape)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_writes_the_servers_syntax() {
        let paging = Paging {
            start: 20,
            limit: 10,
        };
        assert_eq!(paging.to_string(), "(start eq 20, limit eq 10)");
        assert_eq!(String::from(paging), "(start eq 20, limit eq 10)");
    }

    #[test]
    fn paging_reads_both_orders_and_refuses_the_rest() {
        let expected = Paging {
            start: 20,
            limit: 10,
        };
        assert_eq!("(start eq 20, limit eq 10)".parse(), Ok(expected));
        assert_eq!(" ( LIMIT eq 10 ,start eq 20 ) ".parse(), Ok(expected));
        assert_eq!(
            "(limit eq 10)".parse(),
            Ok(Paging {
                start: 0,
                limit: 10
            })
        );
        let widest = format!("(start eq {0}, limit eq {0})", u64::MAX);
        assert_eq!(
            widest.parse(),
            Ok(Paging {
                start: u64::MAX,
                limit: u64::MAX
            })
        );
        for bad in [
            "",
            "start eq 0, limit eq 1",
            "(start eq 0)",
            "(start eq -1, limit eq 5)",
            "(start eq 1.5, limit eq 5)",
            "(start eq 0, limit eq 5, start eq 1)",
            "(start = 0, limit eq 5)",
            "(offset eq 0, limit eq 5)",
            "(start eq 1e1, limit eq 5)",
            "(start eq 2.0, limit eq 5)",
            "(start eq '0', limit eq 5)",
        ] {
            assert!(bad.parse::<Paging>().is_err(), "{bad}");
        }
    }

    #[test]
    fn error_messages_are_exact() {
        let shape = "paging: expected (start eq N, limit eq M)";
        let numbers = "paging: expected (start eq N, limit eq M), with whole numbers from 0";
        for (bad, message) in [
            ("", shape),
            ("(start eq 0)", shape),
            ("(start eq 0 limit eq 5)", shape),
            ("(start eq -1, limit eq 5)", numbers),
            ("(start ge 1, limit eq 5)", numbers),
            (
                "(offset eq 0, limit eq 5)",
                "paging: unknown paging field `offset`; expected (start eq N, limit eq M)",
            ),
            ("(limit eq 5, LIMIT eq 6)", "paging: `LIMIT` is given twice"),
            (
                "(limit eq 18446744073709551616)",
                "paging: `18446744073709551616` is too large",
            ),
            ("(limit eq x1)", shape),
            ("(limit eq 1-)", "paging: `1-` is not a number"),
        ] {
            let error = bad.parse::<Paging>().expect_err(bad);
            assert_eq!(error.parameter, Parameter::Paging);
            assert_eq!(error.to_string(), message, "{bad}");
        }
    }
}
