//! The value a filter compares a field with: quoted text or a number.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use crate::error::{Parameter, QueryError};

/// The value of a comparison: `'text'` or a number. Built from `&str`, `String`, integers,
/// or a [`Number`] (fractions: [`Number::from_f64`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Literal {
    /// `'text'`; a quote inside is written twice (`'O''Brien'`).
    Text(String),
    /// A number, written bare: `830`, `-1.5`.
    Number(Number),
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Text(text) => write!(f, "'{}'", text.replace('\'', "''")),
            Self::Number(number) => number.fmt(f),
        }
    }
}

impl From<&str> for Literal {
    fn from(text: &str) -> Self {
        Self::Text(text.to_owned())
    }
}

impl From<String> for Literal {
    fn from(text: String) -> Self {
        Self::Text(text)
    }
}

impl From<&String> for Literal {
    fn from(text: &String) -> Self {
        Self::Text(text.clone())
    }
}

impl From<Box<str>> for Literal {
    fn from(text: Box<str>) -> Self {
        Self::Text(text.into())
    }
}

impl From<Cow<'_, str>> for Literal {
    fn from(text: Cow<'_, str>) -> Self {
        Self::Text(text.into_owned())
    }
}

impl From<char> for Literal {
    fn from(c: char) -> Self {
        Self::Text(c.into())
    }
}

impl From<Number> for Literal {
    fn from(number: Number) -> Self {
        Self::Number(number)
    }
}

/// A number literal, kept as it was written so it is written back exactly (a `u64` id stays
/// exact beyond what an `f64` holds); [`Number::value`] is what comparisons use. Two numbers
/// are equal when they are written alike (`1` and `1.0` are different literals).
#[derive(Clone, Debug)]
pub struct Number {
    text: String,
    value: f64,
}

impl Number {
    /// A fraction or any other finite `f64`, written in full decimal (`0.25`); `None` for NaN
    /// and the infinities, which the grammar cannot write.
    pub fn from_f64(value: f64) -> Option<Self> {
        value.is_finite().then(|| Self {
            text: value.to_string(),
            value,
        })
    }

    /// The number as it is written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The number's value, as comparisons use it.
    pub fn value(&self) -> f64 {
        self.value
    }

    /// A number token the lexer has read (its characters already checked).
    pub(crate) fn from_token(text: &str) -> Option<Self> {
        let value = text.parse::<f64>().ok()?;
        Some(Self {
            text: text.to_owned(),
            value,
        })
    }
}

impl PartialEq for Number {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for Number {}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for Number {
    type Err = QueryError;

    /// Reads one number token as a filter has it: a digit, `-` or `.` first, then digits and
    /// `-+.eE`, making a number (`830`, `-1.5`, `2e3`).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let shaped =
            text.chars().next().is_some_and(starts_number) && text.chars().all(continues_number);
        shaped
            .then(|| Self::from_token(text))
            .flatten()
            .ok_or_else(|| QueryError::new(Parameter::Filter, format!("`{text}` is not a number")))
    }
}

macro_rules! from_integer {
    ($($integer:ty),*) => {$(
        impl From<$integer> for Number {
            fn from(n: $integer) -> Self {
                // Exact in `text`; `value` rounds beyond 2^53 only, like any JSON number.
                Self { text: n.to_string(), value: n as f64 }
            }
        }

        impl From<$integer> for Literal {
            fn from(n: $integer) -> Self {
                Self::Number(n.into())
            }
        }
    )*};
}

from_integer!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

/// Whether `c` starts a number rather than a word.
pub(crate) fn starts_number(c: char) -> bool {
    c.is_ascii_digit() || c == '-' || c == '.'
}

/// Whether `c` continues a number token.
pub(crate) fn continues_number(c: char) -> bool {
    c.is_ascii_digit() || "-+.eE".contains(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_what_was_written() {
        assert_eq!(Number::from(u64::MAX).as_str(), "18446744073709551615");
        assert_eq!(Number::from(-7_i8).to_string(), "-7");
        assert_eq!(
            Number::from_f64(0.25).map(|n| n.to_string()),
            Some("0.25".into())
        );
        assert_eq!(
            Number::from_f64(-0.0).map(|n| n.to_string()),
            Some("-0".into())
        );
        assert!(Number::from_f64(f64::NAN).is_none());
        assert!(Number::from_f64(f64::INFINITY).is_none());
        for good in ["0", "-1.5", "2e3", ".5", "1E-2"] {
            let number: Number = good.parse().expect(good);
            assert_eq!(number.as_str(), good);
        }
        assert_eq!("2e3".parse::<Number>().map(|n| n.value()), Ok(2000.0));
        assert_ne!("1".parse::<Number>(), "1.0".parse::<Number>());
        for bad in ["", "+1", "1-2", "abc", "1 ", "-", "NaN", "inf"] {
            assert!(bad.parse::<Number>().is_err(), "{bad}");
        }
        assert_eq!(
            "1-2".parse::<Number>().map_err(|e| e.to_string()),
            Err("filter: `1-2` is not a number".into())
        );
    }

    #[test]
    fn text_doubles_its_quotes() {
        assert_eq!(Literal::from("it's").to_string(), "'it''s'");
        assert_eq!(Literal::from(String::from("''")).to_string(), "''''''");
        assert_eq!(Literal::from('x'), Literal::Text("x".into()));
        assert_eq!(Literal::from(5_u32).to_string(), "5");
    }
}
