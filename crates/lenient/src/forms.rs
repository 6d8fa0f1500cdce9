//! The forms a real Junos Space bends JSON values into, declared once: the client's tolerant
//! decoders, the model's server-forms reading of a value against its schema, its renderer of
//! answers in those forms, and its reader of collection answers all follow these rules, so
//! what one writes the others read (`spec/README.md`, "Known divergences").
//!
//! - a list with one member arrives as that member, and an empty list as `null` or not at all;
//! - numbers and booleans arrive as strings: `"@key": "32964647"`, `"usePing": "True"`.
//!
//! The texts taken for a number or a boolean are exactly those below: no white space, no
//! `+`, no `inf`, no `yes`.

/// True when `text` is an integer as a server writes one in a string: an optional `-`, then
/// one or more ASCII digits, of any size (`"32964647"`; not `"3.0"`, `"1e3"`, `" 7"`, `"+7"`).
pub fn is_integer_text(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// True when `text` is a number as a server writes one in a string: an integer, with an
/// optional fraction (`.5`) and exponent (`e-3`), as JSON writes numbers (`"12.5"`; not
/// `".5"`, `"inf"`, `"NaN"`, `" 1"`).
pub fn is_number_text(text: &str) -> bool {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (mantissa, None),
    };
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    is_integer_text(whole)
        && fraction.is_none_or(digits)
        && exponent.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)))
}

/// The boolean a server writes as `text`: `true` or `false` in any case (`"True"`), else
/// `None`.
pub fn boolean_text(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_are_digits_of_any_size() {
        for yes in ["0", "7", "-3", "32964647", "207629888475608160703348736"] {
            assert!(is_integer_text(yes), "{yes}");
        }
        for no in ["", "-", "+7", " 7", "7 ", "3.0", "1e3", "seven", "0x10"] {
            assert!(!is_integer_text(no), "{no}");
        }
    }

    #[test]
    fn numbers_are_json_numbers_in_text() {
        for yes in ["12.5", "-0.25", "100", "1e30", "2.5E-3", "7e+2"] {
            assert!(is_number_text(yes), "{yes}");
        }
        for no in [
            "", ".5", "5.", "1e", "inf", "NaN", " 1", "1 ", "+1", "1.2.3", "e3",
        ] {
            assert!(!is_number_text(no), "{no}");
        }
    }

    #[test]
    fn booleans_are_true_or_false_in_any_case() {
        assert_eq!(boolean_text("True"), Some(true));
        assert_eq!(boolean_text("FALSE"), Some(false));
        for no in ["yes", "1", " true", ""] {
            assert_eq!(boolean_text(no), None, "{no}");
        }
    }
}
