//! A struct read from a JSON object with a fraction of the code serde's derive writes.
//!
//! The generated client has a struct for every object of every answer, and serde's derived
//! `Deserialize` was half of its compile time: a field enum, its visitor, a sequence visitor
//! and a map visitor for each. [`object!`](crate::object) writes one map visitor whose match
//! on the key hands each field to [`field`]; what is the same for every struct (duplicate
//! keys, missing keys, the lenient forms) is here, once.
//!
//! It reads as the derive does for a JSON object: unknown keys are skipped, a repeated key is
//! refused, a missing key is refused unless the field has a default (an `Option` without a
//! lenient form has one: `None`), and the error says the struct's name. It reads an object
//! only: serde's derive would also take a struct written as an array, which no Junos Space
//! server sends.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

/// How a field's value is read: as its type reads itself, or in one of the lenient forms of
/// this crate (the same forms `#[serde(deserialize_with = ...)]` names).
pub trait Form<'de, T> {
    /// Reads the value.
    fn read<D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error>;
}

/// The value as its type reads itself.
pub struct Plain;
/// [`crate::number`].
pub struct Number;
/// [`crate::option_number`].
pub struct OptionNumber;
/// [`crate::boolean`].
pub struct Boolean;
/// [`crate::option_boolean`].
pub struct OptionBoolean;
/// [`crate::one_or_many`].
pub struct OneOrMany;
/// [`crate::option_one_or_many`].
pub struct OptionOneOrMany;

impl<'de, T: Deserialize<'de>> Form<'de, T> for Plain {
    fn read<D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
        T::deserialize(deserializer)
    }
}

impl<'de, T: Deserialize<'de> + FromStr> Form<'de, T> for Number {
    fn read<D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
        crate::number(deserializer)
    }
}

impl<'de, T: Deserialize<'de> + FromStr> Form<'de, Option<T>> for OptionNumber {
    fn read<D: Deserializer<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
        crate::option_number(deserializer)
    }
}

impl<'de> Form<'de, bool> for Boolean {
    fn read<D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
        crate::boolean(deserializer)
    }
}

impl<'de> Form<'de, Option<bool>> for OptionBoolean {
    fn read<D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
        crate::option_boolean(deserializer)
    }
}

impl<'de, T: Deserialize<'de>> Form<'de, Vec<T>> for OneOrMany {
    fn read<D: Deserializer<'de>>(deserializer: D) -> Result<Vec<T>, D::Error> {
        crate::one_or_many(deserializer)
    }
}

impl<'de, T: Deserialize<'de>> Form<'de, Option<Vec<T>>> for OptionOneOrMany {
    fn read<D: Deserializer<'de>>(deserializer: D) -> Result<Option<Vec<T>>, D::Error> {
        crate::option_one_or_many(deserializer)
    }
}

struct Seed<F, T>(PhantomData<(F, T)>);

impl<'de, F: Form<'de, T>, T> DeserializeSeed<'de> for Seed<F, T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        F::read(deserializer)
    }
}

/// An object's key, borrowed from the input where it can be.
pub struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    /// The key's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(key)))
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(key.to_owned())))
    }

    fn visit_string<E: de::Error>(self, key: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(key)))
    }
}

/// Reads the value of field `name` into its slot in form `F`; a second value is refused.
pub fn field<'de, A, F, T>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    F: Form<'de, T>,
{
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value_seed(Seed::<F, T>(PhantomData))?);
    Ok(())
}

/// Skips the value of a key the struct does not have.
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(drop)
}

/// A field that must be there.
pub fn required<T, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

/// The body of `Deserialize::deserialize` for a struct with named fields, read from a map.
/// Each row: the field, the keys it is read from (its name, then its aliases), the [`Form`]
/// it is read in, and `required` or `default` for a missing key.
///
/// ```
/// #[derive(Debug, PartialEq)]
/// struct Device {
///     key: i64,
///     name: Option<String>,
/// }
/// impl<'de> serde::Deserialize<'de> for Device {
///     fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
///         junos_space_lenient::object!(deserializer, Device {
///             key: "@key" => Number required,
///             name: "name" | "device-name" => Plain default,
///         })
///     }
/// }
/// let device: Device = serde_json::from_str(r#"{"@key": "7", "device-name": "mx1"}"#)?;
/// assert_eq!(device, Device { key: 7, name: Some("mx1".into()) });
/// # Ok::<(), serde_json::Error>(())
/// ```
#[macro_export]
macro_rules! object {
    ($deserializer:expr, $name:ident {
        $($field:ident: $key:literal $(| $alias:literal)* => $form:ident $missing:ident),* $(,)?
    }) => {{
        struct Fields;
        impl<'de> $crate::serde::de::Visitor<'de> for Fields {
            type Value = $name;
            fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(concat!("struct ", stringify!($name)))
            }
            #[allow(unused_mut)]
            fn visit_map<A: $crate::serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> ::std::result::Result<$name, A::Error> {
                $(let mut $field = ::std::option::Option::None;)*
                // Returns written out rather than `?`: this body is written once per struct, and
                // each `?` costs the type checker its own trait obligations (measured: the
                // generated crate builds in 0.97x the CPU time).
                while let ::std::option::Option::Some(key) =
                    map.next_key::<$crate::objects::Key<'de>>()?
                {
                    match key.as_str() {
                        $($key $(| $alias)* => {
                            let read = $crate::objects::field::<_, $crate::objects::$form, _>(
                                &mut map, &mut $field, $key,
                            );
                            if let ::std::result::Result::Err(error) = read {
                                return ::std::result::Result::Err(error);
                            }
                        })*
                        _ => {
                            if let ::std::result::Result::Err(error) = $crate::objects::skip(&mut map) {
                                return ::std::result::Result::Err(error);
                            }
                        }
                    }
                }
                ::std::result::Result::Ok($name {
                    $($field: $crate::object!(@missing $missing $field $key),)*
                })
            }
        }
        $crate::serde::Deserializer::deserialize_map($deserializer, Fields)
    }};
    (@missing required $field:ident $key:literal) => {
        match $crate::objects::required($field, $key) {
            ::std::result::Result::Ok(value) => value,
            ::std::result::Result::Err(error) => return ::std::result::Result::Err(error),
        }
    };
    (@missing default $field:ident $key:literal) => {
        $field.unwrap_or_default()
    };
}

#[cfg(test)]
mod tests {
    //! `object!` against serde's derive on twin structs: the same value, or the same error
    //! message, for every input; an array in place of the object is the one difference.

    use serde::Deserialize;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Derived {
        #[serde(rename = "@key", deserialize_with = "crate::number")]
        key: i64,
        #[serde(rename = "name", alias = "device-name")]
        name: Option<String>,
        #[serde(default, deserialize_with = "crate::option_boolean")]
        managed: Option<bool>,
        #[serde(default, deserialize_with = "crate::one_or_many")]
        tag: Vec<Tag>,
        #[serde(default)]
        note: String,
        #[serde(deserialize_with = "crate::option_number")]
        count: Option<u32>,
    }

    #[derive(Debug, PartialEq)]
    struct Tabled {
        key: i64,
        name: Option<String>,
        managed: Option<bool>,
        tag: Vec<Tag>,
        note: String,
        count: Option<u32>,
    }

    impl<'de> Deserialize<'de> for Tabled {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            crate::object!(deserializer, Tabled {
                key: "@key" => Number required,
                name: "name" | "device-name" => Plain default,
                managed: "managed" => OptionBoolean default,
                tag: "tag" => OneOrMany default,
                note: "note" => Plain default,
                count: "count" => OptionNumber required,
            })
        }
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Tag {
        #[serde(rename = "@href")]
        href: String,
    }

    fn same(json: &str) -> Result<(), String> {
        let derived = serde_json::from_str::<Derived>(json).map(|d| Tabled {
            key: d.key,
            name: d.name,
            managed: d.managed,
            tag: d.tag,
            note: d.note,
            count: d.count,
        });
        let tabled = serde_json::from_str::<Tabled>(json);
        match (derived, tabled) {
            (Ok(a), Ok(b)) if a == b => Ok(()),
            (Err(a), Err(b)) if a.to_string() == b.to_string().replace("Tabled", "Derived") => {
                Ok(())
            }
            (a, b) => Err(format!("{json}: derive {a:?}, table {b:?}")),
        }
    }

    #[test]
    fn reads_as_the_derive_does() {
        let inputs = [
            r#"{"@key": 7, "count": 1}"#,
            r#"{"@key": "7", "name": "mx1", "count": "2"}"#,
            r#"{"@key": 7, "device-name": "mx1", "count": null}"#,
            r#"{"@key": 7, "name": null, "count": 1, "managed": "TRUE"}"#,
            r#"{"@key": 7, "count": 1, "tag": {"@href": "/t/1"}}"#,
            r#"{"@key": 7, "count": 1, "tag": [{"@href": "/t/1"}, {"@href": "/t/2"}]}"#,
            r#"{"@key": 7, "count": 1, "tag": null, "note": "n"}"#,
            r#"{"@key": 7, "count": 1, "unknown": {"deep": [1, 2, {"x": null}]}}"#,
            r#"{"@key": 7, "count": 1, "note": "\u00e9t\u00e9", "na\u006de": "escaped key"}"#,
            // refusals: missing, repeated, aliased twice, wrong types, not an object
            r#"{"count": 1}"#,
            r#"{"@key": 7}"#,
            r#"{"@key": 7, "@key": 8, "count": 1}"#,
            r#"{"@key": 7, "name": "a", "device-name": "b", "count": 1}"#,
            r#"{"@key": "seven", "count": 1}"#,
            r#"{"@key": 7, "count": 1, "managed": "yes"}"#,
            r#"{"@key": 7, "count": 1, "tag": [{"@href": 1}]}"#,
            r#"{"@key": 7, "count": 1, "note": null}"#,
            r#""a string""#,
            "null",
            "42",
        ];
        let differences: Vec<String> = inputs.iter().filter_map(|j| same(j).err()).collect();
        assert!(differences.is_empty(), "{differences:#?}");
    }

    #[test]
    fn reads_keys_from_a_value_too() {
        let value = serde_json::json!({"@key": "7", "device-name": "mx1", "count": 3});
        let tabled: Tabled = serde_json::from_value(value).expect("reads from a Value");
        assert_eq!(
            (tabled.key, tabled.name.as_deref(), tabled.count),
            (7, Some("mx1"), Some(3))
        );
    }

    #[test]
    fn an_array_is_no_object() {
        let error = serde_json::from_str::<Tabled>(r#"[7, null, null, [], "", 1]"#)
            .expect_err("an array in place of the object")
            .to_string();
        assert!(error.contains("expected struct Tabled"), "{error}");
    }
}
