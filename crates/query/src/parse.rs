//! Reading a filter: precedence, grouping, and errors that say what came and what was
//! expected.

use crate::error::{Parameter, QueryError};
use crate::filter::{Filter, Operator, Terms};
use crate::lex::{MAX_DEPTH, Token, tokenize};
use crate::literal::Literal;

const P: Parameter = Parameter::Filter;

impl Filter {
    /// Reads a filter; `known_field` says which field names the caller has (an unknown one is
    /// refused where it stands, before what follows it is read).
    ///
    /// An unparenthesised chain `a and b and c` is one [`Filter::And`] of three terms;
    /// parentheses make a term of their own, so `(a and b) and c` is an `and` of an `and` and
    /// `c`, which is how [`Display`](std::fmt::Display) writes that tree.
    pub fn parse(input: &str, known_field: impl Fn(&str) -> bool) -> Result<Self, QueryError> {
        let tokens = tokenize(P, input)?;
        let mut parser = FilterParser {
            tokens: &tokens,
            at: 0,
            known_field: &known_field,
        };
        let filter = parser.or(0)?;
        if parser.at != tokens.len() {
            return Err(QueryError::new(
                P,
                format!("unexpected {} after the expression", parser.describe()),
            ));
        }
        Ok(filter)
    }
}

struct FilterParser<'a> {
    tokens: &'a [Token],
    at: usize,
    known_field: &'a dyn Fn(&str) -> bool,
}

impl FilterParser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    /// The token at hand as an error message quotes it.
    fn describe(&self) -> String {
        self.peek()
            .map_or_else(|| "end of input".into(), Token::describe)
    }

    fn keyword(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Token::Word(w)) if w.eq_ignore_ascii_case(word))
    }

    fn expect_close(&mut self) -> Result<(), QueryError> {
        if self.peek() == Some(&Token::Close) {
            self.at += 1;
            Ok(())
        } else {
            Err(QueryError::new(
                P,
                format!("expected `)`, found {}", self.describe()),
            ))
        }
    }

    fn or(&mut self, depth: usize) -> Result<Filter, QueryError> {
        if depth > MAX_DEPTH {
            return Err(QueryError::new(P, "the expression is nested too deeply"));
        }
        let first = self.and(depth)?;
        let mut rest = Vec::new();
        while self.keyword("or") {
            self.at += 1;
            rest.push(self.and(depth)?);
        }
        Ok(joined(first, rest, Filter::Or))
    }

    fn and(&mut self, depth: usize) -> Result<Filter, QueryError> {
        let first = self.unary(depth)?;
        let mut rest = Vec::new();
        while self.keyword("and") {
            self.at += 1;
            rest.push(self.unary(depth)?);
        }
        Ok(joined(first, rest, Filter::And))
    }

    fn unary(&mut self, depth: usize) -> Result<Filter, QueryError> {
        if self.keyword("not") && self.tokens.get(self.at + 1) == Some(&Token::Open) {
            self.at += 2;
            let inner = self.or(depth + 1)?;
            self.expect_close()?;
            return Ok(inner.not());
        }
        if self.peek() == Some(&Token::Open) {
            self.at += 1;
            let inner = self.or(depth + 1)?;
            self.expect_close()?;
            return Ok(inner);
        }
        let Some(Token::Word(field)) = self.peek() else {
            return Err(QueryError::new(
                P,
                format!("expected a field name, found {}", self.describe()),
            ));
        };
        let field = field.clone();
        if !(self.known_field)(&field) {
            return Err(QueryError::new(P, format!("unknown field `{field}`")));
        }
        self.at += 1;
        let operator = match self.peek() {
            Some(Token::Word(word)) => Operator::from_word(word),
            _ => None,
        }
        .ok_or_else(|| {
            QueryError::new(
                P,
                format!(
                    "expected eq, ne, lt, le, gt, ge, contains or starts-with after `{field}`, found {}",
                    self.describe()
                ),
            )
        })?;
        self.at += 1;
        let value = match self.peek() {
            Some(Token::Text(text)) => Literal::Text(text.clone()),
            Some(Token::Number(number)) => Literal::Number(number.clone()),
            _ => {
                return Err(QueryError::new(
                    P,
                    format!(
                        "expected a quoted value or a number after `{field}`, found {}",
                        self.describe()
                    ),
                ));
            }
        };
        self.at += 1;
        Ok(Filter::Compare {
            field,
            operator,
            value,
        })
    }
}

/// One term as itself, more joined by `and` or `or`.
fn joined(first: Filter, rest: Vec<Filter>, join: fn(Terms) -> Filter) -> Filter {
    if rest.is_empty() {
        return first;
    }
    let mut terms = Vec::with_capacity(rest.len() + 1);
    terms.push(first);
    terms.extend(rest);
    join(Terms::new(terms))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lex::MAX_EXPRESSION_LENGTH;

    fn any_field(_: &str) -> bool {
        true
    }

    fn read(input: &str) -> Filter {
        Filter::parse(input, any_field).expect(input)
    }

    #[test]
    fn and_binds_tighter_than_or_and_parentheses_group() {
        let (a, b, c) = (Filter::eq("a", 1), Filter::eq("b", 2), Filter::eq("c", 3));
        assert_eq!(
            read("a eq 1 or b eq 2 and c eq 3"),
            a.clone().or(b.clone().and(c.clone()))
        );
        assert_eq!(
            read("(a eq 1 or b eq 2) and c eq 3"),
            a.clone().or(b.clone()).and(c.clone())
        );
        assert_eq!(
            read("a eq 1 and b eq 2 and c eq 3"),
            a.clone().and(b.clone()).and(c.clone())
        );
        let grouped = Terms::try_from(vec![a.clone().and(b.clone()), c.clone()]).expect("two");
        assert_eq!(
            read("((a eq 1 and b eq 2) and c eq 3)"),
            Filter::And(grouped)
        );
        assert_eq!(read("((( a eq 1 )))"), a.clone());
        assert_eq!(
            read("NOT(a EQ 1) Or b Starts-With 'x'"),
            a.clone().not().or(Filter::starts_with("b", "x"))
        );
    }

    #[test]
    fn every_operator_and_value_reads() {
        for operator in Operator::ALL {
            let text = format!("f {} 'v'", operator.as_str());
            assert_eq!(read(&text), Filter::compare("f", operator, "v"), "{text}");
        }
        assert_eq!(read("port ge 800"), Filter::ge("port", 800));
        assert_eq!(read("name eq 'O''Brien'"), Filter::eq("name", "O'Brien"));
        assert_eq!(read("name eq ''"), Filter::eq("name", ""));
        assert_eq!(
            read("@key lt -2.5e1"),
            Filter::lt("@key", "-2.5e1".parse::<crate::Number>().expect("number"))
        );
        // A word is a field where a field stands, even one spelt like a keyword.
        assert_eq!(read("not eq 'x'"), Filter::eq("not", "x"));
        assert_eq!(
            read("and eq 'x' or or eq 'y'"),
            Filter::eq("and", "x").or(Filter::eq("or", "y"))
        );
        assert_eq!(
            "(name eq 'mx')".parse::<Filter>(),
            Ok(Filter::eq("name", "mx"))
        );
    }

    #[test]
    fn bad_filters_say_what_is_wrong() {
        for (bad, says) in [
            ("name eq 'open", "not closed"),
            ("name is 'x'", "expected eq"),
            ("name eq", "expected a quoted value"),
            ("(name eq 'x'", "expected `)`"),
            ("name eq 'x' extra", "unexpected `extra`"),
            ("eq 'x'", "unknown field `eq`"),
            ("name eq 'x' and", "expected a field name"),
            ("name eq \"x\"", "unexpected character"),
        ] {
            let known = |f: &str| f == "name";
            let error = Filter::parse(bad, known).expect_err(bad);
            assert!(error.message.contains(says), "{bad}: {error}");
        }
        let deep = format!("{}name eq 'x'{}", "(".repeat(100), ")".repeat(100));
        assert!(Filter::parse(&deep, any_field).is_err());
    }

    #[test]
    fn error_messages_are_exact() {
        let known = |f: &str| f == "name";
        for (bad, message) in [
            ("name eq 'open", "filter: a quoted value is not closed"),
            (
                "name is 'x'",
                "filter: expected eq, ne, lt, le, gt, ge, contains or starts-with after `name`, found `is`",
            ),
            (
                "name eq",
                "filter: expected a quoted value or a number after `name`, found end of input",
            ),
            (
                "name eq (",
                "filter: expected a quoted value or a number after `name`, found `(`",
            ),
            ("(name eq 'x'", "filter: expected `)`, found end of input"),
            ("(name eq 'x',", "filter: expected `)`, found `,`"),
            (
                "name eq 'x' extra",
                "filter: unexpected `extra` after the expression",
            ),
            (
                "name eq 'x' 'y'",
                "filter: unexpected 'y' after the expression",
            ),
            (
                "name eq 'x' 1.50",
                "filter: unexpected 1.5 after the expression",
            ),
            ("eq 'x'", "filter: unknown field `eq`"),
            (
                "name eq 'x' and",
                "filter: expected a field name, found end of input",
            ),
            ("name eq \"x\"", "filter: unexpected character `\"`"),
            ("name eq 1-2", "filter: `1-2` is not a number"),
            ("", "filter: expected a field name, found end of input"),
        ] {
            let error = Filter::parse(bad, known).expect_err(bad);
            assert_eq!(error.parameter, Parameter::Filter);
            assert_eq!(error.to_string(), message, "{bad}");
        }
    }

    #[test]
    fn the_limits_hold() {
        let nested =
            |depth: usize| format!("{}name eq 'x'{}", "(".repeat(depth), ")".repeat(depth));
        assert_eq!(read(&nested(MAX_DEPTH)), Filter::eq("name", "x"));
        let error = Filter::parse(&nested(MAX_DEPTH + 1), any_field).expect_err("too deep");
        assert_eq!(
            error.to_string(),
            "filter: the expression is nested too deeply"
        );
        let nots = format!(
            "{}name eq 'x'{}",
            "not(".repeat(MAX_DEPTH + 1),
            ")".repeat(MAX_DEPTH + 1)
        );
        assert!(Filter::parse(&nots, any_field).is_err());

        let longest = format!("name eq '{}'", "x".repeat(MAX_EXPRESSION_LENGTH - 10));
        assert_eq!(longest.len(), MAX_EXPRESSION_LENGTH);
        assert!(Filter::parse(&longest, any_field).is_ok());
        let error = Filter::parse(&format!("{longest} "), any_field).expect_err("too long");
        assert_eq!(error.to_string(), "filter: the expression is too long");
    }
}
