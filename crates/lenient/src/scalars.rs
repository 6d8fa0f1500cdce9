//! Numbers and booleans that may arrive as strings (`"@key": "32964647"`, `"usePing": "True"`).

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use serde::de::{self, Deserialize, Deserializer, IntoDeserializer, Visitor};

/// A number from a JSON number or from a string holding one (`"42"`, `" 42 "` is refused).
pub fn number<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + FromStr,
{
    deserializer.deserialize_any(Number(PhantomData))
}

/// [`number`] for an optional field: `null` and a missing key are `None`.
pub fn option_number<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + FromStr,
{
    deserializer.deserialize_option(Optional(Number(PhantomData)))
}

/// A boolean from `true`/`false` or from the strings `"true"`/`"false"` in any case.
pub fn boolean<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    deserializer.deserialize_any(Boolean)
}

/// [`boolean`] for an optional field.
pub fn option_boolean<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<bool>, D::Error> {
    deserializer.deserialize_option(Optional(Boolean))
}

struct Number<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de> + FromStr> Visitor<'de> for Number<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, or a string holding one")
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<T, E> {
        T::deserialize(value.into_deserializer())
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<T, E> {
        T::deserialize(value.into_deserializer())
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<T, E> {
        T::deserialize(value.into_deserializer())
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
        let refused = || E::invalid_value(de::Unexpected::Str(value), &self);
        if !crate::forms::is_number_text(value) {
            return Err(refused());
        }
        value.parse().map_err(|_| refused())
    }
}

struct Boolean;

impl<'de> Visitor<'de> for Boolean {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a boolean, or the string \"true\" or \"false\"")
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<bool, E> {
        Ok(value)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<bool, E> {
        crate::forms::boolean_text(value)
            .ok_or_else(|| E::invalid_value(de::Unexpected::Str(value), &self))
    }
}

/// Wraps a visitor so that `null` is `None` and anything else goes to the inner visitor.
struct Optional<V>(V);

impl<'de, V: Visitor<'de>> Visitor<'de> for Optional<V> {
    type Value = Option<V::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)?;
        f.write_str(", or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self.0).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Fields {
        #[serde(default, deserialize_with = "super::option_number")]
        key: Option<i64>,
        #[serde(default, deserialize_with = "super::option_number")]
        percent: Option<f64>,
        #[serde(default, deserialize_with = "super::option_boolean")]
        flag: Option<bool>,
    }

    fn read(json: &str) -> Result<Fields, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn numbers_and_booleans_from_strings() {
        let fields =
            read(r#"{"key": "32964647", "percent": "12.5", "flag": "True"}"#).expect("strings");
        assert_eq!(
            (fields.key, fields.percent, fields.flag),
            (Some(32964647), Some(12.5), Some(true))
        );
        let fields = read(r#"{"key": 7, "percent": 100, "flag": false}"#).expect("typed");
        assert_eq!(
            (fields.key, fields.percent, fields.flag),
            (Some(7), Some(100.0), Some(false))
        );
        let fields = read(r#"{"key": null}"#).expect("null");
        assert_eq!((fields.key, fields.flag), (None, None));
    }

    #[derive(Debug, Deserialize)]
    struct Required {
        #[serde(deserialize_with = "super::number")]
        key: i64,
        #[serde(deserialize_with = "super::boolean")]
        flag: bool,
    }

    #[test]
    fn required_fields_read_strings_too() {
        for (json, expected) in [
            (r#"{"key": "32964647", "flag": "True"}"#, (32964647, true)),
            (r#"{"key": 7, "flag": true}"#, (7, true)),
            (r#"{"key": "-1", "flag": "FALSE"}"#, (-1, false)),
            (r#"{"key": 0, "flag": false}"#, (0, false)),
        ] {
            let fields: Required = serde_json::from_str(json).expect(json);
            assert_eq!((fields.key, fields.flag), expected, "{json}");
        }
        for json in [
            r#"{"key": "seven", "flag": true}"#,
            r#"{"key": 7, "flag": "yes"}"#,
            r#"{"key": null, "flag": true}"#,
            r#"{"key": 7, "flag": null}"#,
        ] {
            assert!(
                serde_json::from_str::<Required>(json).is_err(),
                "{json} was accepted"
            );
        }
    }

    #[test]
    fn a_refusal_says_what_was_expected() {
        for (json, expected) in [
            (
                r#"{"key": "seven"}"#,
                "expected a number, or a string holding one at",
            ),
            (
                r#"{"flag": "yes"}"#,
                "expected a boolean, or the string \"true\" or \"false\" at",
            ),
        ] {
            let error = read(json).expect_err(json).to_string();
            assert!(error.contains(expected), "{json}: {error}");
        }
        let error = serde_json::from_str::<Required>(r#"{"key": 7, "flag": [true]}"#)
            .expect_err("a list is no boolean")
            .to_string();
        assert!(
            error.contains("expected a boolean, or the string \"true\" or \"false\" at"),
            "{error}"
        );
    }

    #[test]
    fn everything_else_stays_strict() {
        for json in [
            r#"{"key": "seven"}"#,
            r#"{"key": " 7"}"#,
            r#"{"key": "+7"}"#,
            r#"{"percent": "inf"}"#,
            r#"{"key": 7.5}"#,
            r#"{"key": "99999999999999999999"}"#,
            r#"{"flag": "yes"}"#,
            r#"{"flag": 1}"#,
            r#"{"percent": true}"#,
        ] {
            assert!(read(json).is_err(), "{json} was accepted");
        }
    }
}
