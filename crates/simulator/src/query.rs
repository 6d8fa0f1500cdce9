//! The collection query language of Junos Space: `paging=(start eq 0, limit eq 10)`,
//! `filter=(deviceFamily eq 'junos' and not(name contains 'lab'))` and
//! `sortby=(name(ascending), ipAddr(descending))`.
//!
//! Grammar (white space is free between tokens; keywords are case-insensitive):
//!
//! ```text
//! paging  = "(" "start" "eq" N "," "limit" "eq" N ")"      (either order)
//! filter  = or ;  or = and {"or" and} ;  and = unary {"and" unary}
//! unary   = "not" "(" or ")" | "(" or ")" | field op value
//! op      = eq | ne | lt | le | gt | ge | contains | starts-with
//! value   = 'text' ('' for a quote inside) | number
//! sortby  = "(" field ["(" ("ascending" | "descending") ")"] {"," ...} ")"
//! ```
//!
//! `eq`/`ne`/`contains`/`starts-with` compare text exactly (case-sensitive); the order
//! operators compare numerically when both sides are numbers. Bad input is a [`QueryError`],
//! which the simulator answers with 400 and the message.

use std::cmp::Ordering;

use serde_json::Value;

/// Why a `paging`, `filter` or `sortby` value cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{parameter}: {message}")]
pub struct QueryError {
    pub parameter: &'static str,
    pub message: String,
}

fn error(parameter: &'static str, message: impl Into<String>) -> QueryError {
    QueryError {
        parameter,
        message: message.into(),
    }
}

/// Longest filter or sort expression read; longer input is refused rather than parsed.
const MAX_EXPRESSION_LENGTH: usize = 4096;
/// Deepest nesting of parentheses and `not` in a filter.
const MAX_DEPTH: usize = 32;

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Open,
    Close,
    Comma,
    Word(String),
    Text(String),
    Number(f64),
}

fn tokenize(parameter: &'static str, input: &str) -> Result<Vec<Token>, QueryError> {
    if input.len() > MAX_EXPRESSION_LENGTH {
        return Err(error(parameter, "the expression is too long"));
    }
    let mut tokens = Vec::new();
    let mut chars = input.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' | ')' | ',' => {
                chars.next();
                tokens.push(match c {
                    '(' => Token::Open,
                    ')' => Token::Close,
                    _ => Token::Comma,
                });
            }
            '\'' => {
                chars.next();
                let mut text = String::new();
                loop {
                    match chars.next() {
                        Some('\'') if chars.peek() == Some(&'\'') => {
                            chars.next();
                            text.push('\'');
                        }
                        Some('\'') => break,
                        Some(c) => text.push(c),
                        None => return Err(error(parameter, "a quoted value is not closed")),
                    }
                }
                tokens.push(Token::Text(text));
            }
            c if c.is_ascii_digit() || c == '-' || c == '.' => {
                let mut number = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_ascii_digit() || "-+.eE".contains(c) {
                        number.push(c);
                        chars.next();
                    } else {
                        break;
                    }
                }
                let value = number
                    .parse::<f64>()
                    .map_err(|_| error(parameter, format!("`{number}` is not a number")))?;
                tokens.push(Token::Number(value));
            }
            c if is_word_char(c) => {
                let mut word = String::new();
                while let Some(&c) = chars.peek() {
                    if is_word_char(c) {
                        word.push(c);
                        chars.next();
                    } else {
                        break;
                    }
                }
                tokens.push(Token::Word(word));
            }
            other => return Err(error(parameter, format!("unexpected character `{other}`"))),
        }
    }
    Ok(tokens)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '@' | '.')
}

/// A window of a collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub start: usize,
    pub limit: usize,
}

/// Reads `(start eq N, limit eq M)`.
pub fn parse_paging(input: &str) -> Result<Paging, QueryError> {
    const P: &str = "paging";
    let tokens = tokenize(P, input)?;
    let shape = "expected (start eq N, limit eq M)";
    let mut start = None;
    let mut limit = None;
    let [Token::Open, inner @ .., Token::Close] = tokens.as_slice() else {
        return Err(error(P, shape));
    };
    for clause in inner.split(|t| *t == Token::Comma) {
        let [Token::Word(name), Token::Word(eq), Token::Number(n)] = clause else {
            return Err(error(P, shape));
        };
        if !eq.eq_ignore_ascii_case("eq") || n.fract() != 0.0 || *n < 0.0 || *n > 1e12 {
            return Err(error(P, format!("{shape}, with whole numbers from 0")));
        }
        let slot = match name.to_ascii_lowercase().as_str() {
            "start" => &mut start,
            "limit" => &mut limit,
            other => return Err(error(P, format!("unknown paging field `{other}`; {shape}"))),
        };
        if slot.replace(*n as usize).is_some() {
            return Err(error(P, format!("`{name}` is given twice")));
        }
    }
    match (start, limit) {
        (Some(start), Some(limit)) => Ok(Paging { start, limit }),
        _ => Err(error(P, shape)),
    }
}

/// Comparison operators of a filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operator {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Contains,
    StartsWith,
}

impl Operator {
    fn parse(word: &str) -> Option<Self> {
        Some(match word.to_ascii_lowercase().as_str() {
            "eq" => Self::Eq,
            "ne" => Self::Ne,
            "lt" => Self::Lt,
            "le" => Self::Le,
            "gt" => Self::Gt,
            "ge" => Self::Ge,
            "contains" => Self::Contains,
            "starts-with" => Self::StartsWith,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Literal {
    Text(String),
    Number(f64),
}

/// A parsed `filter` expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter(Expression);

#[derive(Debug, Clone, PartialEq)]
enum Expression {
    And(Box<Expression>, Box<Expression>),
    Or(Box<Expression>, Box<Expression>),
    Not(Box<Expression>),
    Compare {
        field: String,
        operator: Operator,
        value: Literal,
    },
}

/// Reads a filter; `known_field` says which field names the collection has.
pub fn parse_filter(input: &str, known_field: impl Fn(&str) -> bool) -> Result<Filter, QueryError> {
    let tokens = tokenize("filter", input)?;
    let mut parser = FilterParser {
        tokens: &tokens,
        at: 0,
        known_field: &known_field,
    };
    let expression = parser.or(0)?;
    if parser.at != tokens.len() {
        return Err(error(
            "filter",
            format!("unexpected {} after the expression", parser.describe()),
        ));
    }
    Ok(Filter(expression))
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

    fn next(&mut self) -> Option<&Token> {
        let token = self.tokens.get(self.at);
        self.at += 1;
        token
    }

    fn describe(&self) -> String {
        match self.peek() {
            None => "end of input".into(),
            Some(Token::Open) => "`(`".into(),
            Some(Token::Close) => "`)`".into(),
            Some(Token::Comma) => "`,`".into(),
            Some(Token::Word(w)) => format!("`{w}`"),
            Some(Token::Text(t)) => format!("'{t}'"),
            Some(Token::Number(n)) => format!("{n}"),
        }
    }

    fn keyword(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Token::Word(w)) if w.eq_ignore_ascii_case(word))
    }

    fn expect_close(&mut self) -> Result<(), QueryError> {
        match self.next() {
            Some(Token::Close) => Ok(()),
            _ => {
                self.at -= 1;
                Err(error(
                    "filter",
                    format!("expected `)`, found {}", self.describe()),
                ))
            }
        }
    }

    fn or(&mut self, depth: usize) -> Result<Expression, QueryError> {
        if depth > MAX_DEPTH {
            return Err(error("filter", "the expression is nested too deeply"));
        }
        let mut left = self.and(depth)?;
        while self.keyword("or") {
            self.at += 1;
            left = Expression::Or(Box::new(left), Box::new(self.and(depth)?));
        }
        Ok(left)
    }

    fn and(&mut self, depth: usize) -> Result<Expression, QueryError> {
        let mut left = self.unary(depth)?;
        while self.keyword("and") {
            self.at += 1;
            left = Expression::And(Box::new(left), Box::new(self.unary(depth)?));
        }
        Ok(left)
    }

    fn unary(&mut self, depth: usize) -> Result<Expression, QueryError> {
        if self.keyword("not") && self.tokens.get(self.at + 1) == Some(&Token::Open) {
            self.at += 2;
            let inner = self.or(depth + 1)?;
            self.expect_close()?;
            return Ok(Expression::Not(Box::new(inner)));
        }
        if self.peek() == Some(&Token::Open) {
            self.at += 1;
            let inner = self.or(depth + 1)?;
            self.expect_close()?;
            return Ok(inner);
        }
        let field = match self.peek() {
            Some(Token::Word(field)) => field.clone(),
            _ => {
                return Err(error(
                    "filter",
                    format!("expected a field name, found {}", self.describe()),
                ));
            }
        };
        if !(self.known_field)(&field) {
            return Err(error("filter", format!("unknown field `{field}`")));
        }
        self.at += 1;
        let operator = match self.peek() {
            Some(Token::Word(word)) => Operator::parse(word),
            _ => None,
        }
        .ok_or_else(|| {
            error(
                "filter",
                format!(
                    "expected eq, ne, lt, le, gt, ge, contains or starts-with after `{field}`, found {}",
                    self.describe()
                ),
            )
        })?;
        self.at += 1;
        let value = match self.next() {
            Some(Token::Text(text)) => Literal::Text(text.clone()),
            Some(Token::Number(n)) => Literal::Number(*n),
            _ => {
                self.at -= 1;
                return Err(error(
                    "filter",
                    format!(
                        "expected a quoted value or a number after `{field}`, found {}",
                        self.describe()
                    ),
                ));
            }
        };
        Ok(Expression::Compare {
            field,
            operator,
            value,
        })
    }
}

impl Filter {
    /// Whether `item` passes; `field` reads one field of it (absent fields never match).
    pub fn matches<'v>(&self, field: &impl Fn(&str) -> Option<&'v Value>) -> bool {
        evaluate(&self.0, field)
    }
}

fn evaluate<'v>(expression: &Expression, field: &impl Fn(&str) -> Option<&'v Value>) -> bool {
    match expression {
        Expression::And(a, b) => evaluate(a, field) && evaluate(b, field),
        Expression::Or(a, b) => evaluate(a, field) || evaluate(b, field),
        Expression::Not(inner) => !evaluate(inner, field),
        Expression::Compare {
            field: name,
            operator,
            value,
        } => field(name).is_some_and(|actual| compare(actual, *operator, value)),
    }
}

fn as_number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

fn as_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(_) | Value::Bool(_) => Some(value.to_string()),
        _ => None,
    }
}

fn compare(actual: &Value, operator: Operator, expected: &Literal) -> bool {
    let Some(text) = as_text(actual) else {
        return false;
    };
    let ordering = match (expected, as_number(actual)) {
        (Literal::Number(n), Some(actual)) => actual.partial_cmp(n),
        (Literal::Number(n), None) => text.as_str().partial_cmp(n.to_string().as_str()),
        (Literal::Text(t), _) => Some(text.as_str().cmp(t)),
    };
    let expected_text = match expected {
        Literal::Text(t) => t.clone(),
        Literal::Number(n) => n.to_string(),
    };
    match operator {
        Operator::Eq => ordering == Some(Ordering::Equal),
        Operator::Ne => ordering != Some(Ordering::Equal),
        Operator::Lt => ordering == Some(Ordering::Less),
        Operator::Le => matches!(ordering, Some(Ordering::Less | Ordering::Equal)),
        Operator::Gt => ordering == Some(Ordering::Greater),
        Operator::Ge => matches!(ordering, Some(Ordering::Greater | Ordering::Equal)),
        Operator::Contains => text.contains(&expected_text),
        Operator::StartsWith => text.starts_with(&expected_text),
    }
}

/// One key of a `sortby`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortKey {
    pub field: String,
    pub descending: bool,
}

/// Reads `(field(ascending), other(descending), plain)`.
pub fn parse_sortby(
    input: &str,
    known_field: impl Fn(&str) -> bool,
) -> Result<Vec<SortKey>, QueryError> {
    const S: &str = "sortby";
    let tokens = tokenize(S, input)?;
    let shape = "expected (field(ascending), other(descending))";
    let [Token::Open, inner @ .., Token::Close] = tokens.as_slice() else {
        return Err(error(S, shape));
    };
    inner
        .split(|t| *t == Token::Comma)
        .map(|key| {
            let (field, descending) = match key {
                [Token::Word(field)] => (field, false),
                [
                    Token::Word(field),
                    Token::Open,
                    Token::Word(direction),
                    Token::Close,
                ] => {
                    let descending = match direction.to_ascii_lowercase().as_str() {
                        "ascending" => false,
                        "descending" => true,
                        other => {
                            return Err(error(
                                S,
                                format!("`{other}` is not ascending or descending"),
                            ));
                        }
                    };
                    (field, descending)
                }
                _ => return Err(error(S, shape)),
            };
            if !known_field(field) {
                return Err(error(S, format!("unknown field `{field}`")));
            }
            Ok(SortKey {
                field: field.clone(),
                descending,
            })
        })
        .collect()
}

/// Orders two field values: numbers numerically, then text, absent values last.
pub fn order(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(a), Some(b)) => match (as_number(a), as_number(b)) {
            (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
            _ => as_text(a).cmp(&as_text(b)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn any_field(_: &str) -> bool {
        true
    }

    fn passes(filter: &str, item: &Value) -> bool {
        let filter = parse_filter(filter, any_field).expect(filter);
        filter.matches(&|name| item.get(name))
    }

    #[test]
    fn paging_reads_both_orders_and_refuses_the_rest() {
        let expected = Paging {
            start: 20,
            limit: 10,
        };
        assert_eq!(parse_paging("(start eq 20, limit eq 10)"), Ok(expected));
        assert_eq!(parse_paging(" ( LIMIT eq 10 ,start eq 20 ) "), Ok(expected));
        for bad in [
            "",
            "start eq 0, limit eq 1",
            "(start eq 0)",
            "(start eq -1, limit eq 5)",
            "(start eq 1.5, limit eq 5)",
            "(start eq 0, limit eq 5, start eq 1)",
            "(start = 0, limit eq 5)",
            "(offset eq 0, limit eq 5)",
        ] {
            assert!(parse_paging(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn filters_follow_precedence_and_quoting() {
        let item = json!({"name": "mx-o'brien", "deviceFamily": "junos", "port": 830});
        assert!(passes("deviceFamily eq 'junos'", &item));
        assert!(passes("(name starts-with 'mx' and port ge 800)", &item));
        assert!(passes("name contains 'o''brien'", &item));
        assert!(passes(
            "name eq 'x' or deviceFamily eq 'junos' and port lt 900",
            &item
        ));
        assert!(!passes(
            "(name eq 'x' or deviceFamily eq 'junos') and port gt 900",
            &item
        ));
        assert!(passes("not(name contains 'srx')", &item));
        assert!(!passes("NOT(deviceFamily EQ 'junos')", &item));
        assert!(!passes("missing eq 'junos'", &item));
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
            let error = parse_filter(bad, known).expect_err(bad);
            assert!(error.message.contains(says), "{bad}: {error}");
        }
        let deep = format!("{}name eq 'x'{}", "(".repeat(100), ")".repeat(100));
        assert!(parse_filter(&deep, any_field).is_err());
    }

    #[test]
    fn sortby_reads_directions() {
        let keys = parse_sortby("(name(ascending), ipAddr(DESCENDING), platform)", any_field)
            .expect("parses");
        let read: Vec<_> = keys
            .iter()
            .map(|k| (k.field.as_str(), k.descending))
            .collect();
        assert_eq!(
            read,
            [("name", false), ("ipAddr", true), ("platform", false)]
        );
        for bad in ["name", "(name(up))", "()", "(name(ascending)"] {
            assert!(parse_sortby(bad, any_field).is_err(), "{bad}");
        }
        assert!(parse_sortby("(nope)", |f| f == "name").is_err());
    }

    #[test]
    fn order_puts_numbers_numerically_and_absent_last() {
        let (two, ten) = (json!("2"), json!(10));
        assert_eq!(order(Some(&two), Some(&ten)), Ordering::Less);
        assert_eq!(order(None, Some(&two)), Ordering::Greater);
    }
}
