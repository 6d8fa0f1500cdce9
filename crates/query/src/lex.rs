//! Tokens of the query grammar, and the limits on what is read.

use crate::error::{Parameter, QueryError};
use crate::literal::{Number, continues_number, starts_number};

/// Longest filter, sort or paging expression read, in bytes; longer input is refused rather
/// than parsed (the simulator reads what any client sends).
pub const MAX_EXPRESSION_LENGTH: usize = 4096;

/// Deepest nesting of parentheses and `not(...)` in a filter: the parser recurses once per
/// level, so a hostile filter cannot exhaust the stack.
pub const MAX_DEPTH: usize = 32;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Token {
    Open,
    Close,
    Comma,
    Word(String),
    Text(String),
    Number(Number),
}

impl Token {
    /// The token as an error message quotes it.
    pub(crate) fn describe(&self) -> String {
        match self {
            Self::Open => "`(`".into(),
            Self::Close => "`)`".into(),
            Self::Comma => "`,`".into(),
            Self::Word(word) => format!("`{word}`"),
            Self::Text(text) => format!("'{text}'"),
            Self::Number(number) => format!("{}", number.value()),
        }
    }
}

/// Whether `c` may appear in a word (a field name, keyword or operator).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '@' | '.')
}

/// Whether `name` reads back as one field name: a letter, `_` or `@` first, then letters,
/// digits, `_`, `-`, `@` or `.`. The grammar has no way to quote a field name, so a
/// [`Filter`](crate::Filter) or [`SortBy`](crate::SortBy) built with any other name is written
/// as given and will not read back; check names that come from a user with this first.
pub fn is_field_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|first| is_word_char(first) && !starts_number(first))
        && chars.all(is_word_char)
}

pub(crate) fn tokenize(parameter: Parameter, input: &str) -> Result<Vec<Token>, QueryError> {
    if input.len() > MAX_EXPRESSION_LENGTH {
        return Err(QueryError::new(parameter, "the expression is too long"));
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
                        None => {
                            return Err(QueryError::new(parameter, "a quoted value is not closed"));
                        }
                    }
                }
                tokens.push(Token::Text(text));
            }
            c if starts_number(c) => {
                let mut text = String::new();
                while let Some(&c) = chars.peek().filter(|c| continues_number(**c)) {
                    text.push(c);
                    chars.next();
                }
                let number = Number::from_token(&text).ok_or_else(|| {
                    QueryError::new(parameter, format!("`{text}` is not a number"))
                })?;
                tokens.push(Token::Number(number));
            }
            c if is_word_char(c) => {
                let mut word = String::new();
                while let Some(&c) = chars.peek().filter(|c| is_word_char(**c)) {
                    word.push(c);
                    chars.next();
                }
                tokens.push(Token::Word(word));
            }
            other => {
                return Err(QueryError::new(
                    parameter,
                    format!("unexpected character `{other}`"),
                ));
            }
        }
    }
    Ok(tokens)
}
