//! Evaluating a filter against a JSON member, and the order a sort puts two values in.
//!
//! How a field name finds its value is the caller's (the simulator answers `@key` from the
//! member's key); what a comparison means is here, once.

use std::cmp::Ordering;

use serde_json::Value;

use crate::filter::{Filter, Operator};
use crate::literal::Literal;

impl Filter {
    /// Whether a member passes; `field` reads one field of it (an absent field never
    /// matches, not even `ne`).
    ///
    /// The field's value is read as text (a string, or a number or boolean as JSON writes
    /// it) and, where it can be, as a number (a number, or a string that reads as one).
    /// Against a number literal the comparison is numeric when the field reads as a number and
    /// textual otherwise; against a text literal it is textual and case-sensitive. `contains`
    /// and `starts-with` always work on the text.
    pub fn matches<'v>(&self, field: impl Fn(&str) -> Option<&'v Value>) -> bool {
        self.evaluate(&field)
    }

    fn evaluate<'v>(&self, field: &impl Fn(&str) -> Option<&'v Value>) -> bool {
        match self {
            Self::And(all) => all.iter().all(|term| term.evaluate(field)),
            Self::Or(any) => any.iter().any(|term| term.evaluate(field)),
            Self::Not(inner) => !inner.evaluate(field),
            Self::Compare {
                field: name,
                operator,
                value,
            } => field(name).is_some_and(|actual| compare(actual, *operator, value)),
        }
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
        (Literal::Number(n), Some(actual)) => actual.partial_cmp(&n.value()),
        (Literal::Number(n), None) => text.as_str().partial_cmp(n.value().to_string().as_str()),
        (Literal::Text(t), _) => Some(text.as_str().cmp(t)),
    };
    let expected_text = match expected {
        Literal::Text(t) => t.clone(),
        Literal::Number(n) => n.value().to_string(),
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

/// Orders two field values as a sort does, smallest first: numerically when both read as
/// numbers, else by their text; an absent value after any present one.
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

    fn passes(filter: &str, item: &Value) -> bool {
        let filter: Filter = filter.parse().expect(filter);
        filter.matches(|name| item.get(name))
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
    fn each_operator_compares_as_documented() {
        let item = json!({
            "port": 830, "id": "42", "name": "mx960", "version": "15.1R7", "up": true,
            "nothing": null,
        });
        for (filter, expected) in [
            ("port eq 830", true),
            ("port eq '830'", true),
            ("id eq 42", true),
            ("id gt 9", true),    // numerically, though written as text
            ("id gt '9'", false), // textually: "42" < "9"
            ("port ne 830", false),
            ("port lt 831", true),
            ("port le 830", true),
            ("port gt 830", false),
            ("port ge 830", true),
            ("name lt 'mx961'", true),
            ("name eq 'MX960'", false), // case-sensitive
            ("name contains '96'", true),
            ("name starts-with 'mx'", true),
            ("name starts-with 'x'", false),
            ("version contains 15.1", true),
            ("version eq 15.1", false),
            ("up eq 'true'", true),
            ("nothing eq 'null'", false), // null has no text
            ("nothing ne 'x'", false),
            ("absent ne 'x'", false), // an absent field never matches
            ("not(absent eq 'x')", true),
            ("port contains 3", true),
        ] {
            assert_eq!(passes(filter, &item), expected, "{filter}");
        }
    }

    #[test]
    fn order_puts_numbers_numerically_and_absent_last() {
        let (two, ten) = (json!("2"), json!(10));
        assert_eq!(order(Some(&two), Some(&ten)), Ordering::Less);
        assert_eq!(order(None, Some(&two)), Ordering::Greater);
        assert_eq!(order(Some(&two), None), Ordering::Less);
        assert_eq!(order(None, None), Ordering::Equal);
        assert_eq!(
            order(Some(&json!("b")), Some(&json!("a"))),
            Ordering::Greater
        );
        assert_eq!(
            order(Some(&json!("10")), Some(&json!("9x"))),
            Ordering::Less
        );
    }
}
