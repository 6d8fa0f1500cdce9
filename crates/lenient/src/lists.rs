//! Lists that may arrive as an array, as their only member, as `null`, or not at all.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, Deserialize, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor};

/// A `Vec<T>` from an array, from a single member (object or scalar), or from `null`.
/// Pair it with `#[serde(default)]` so that a missing key is an empty list too.
pub fn one_or_many<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    deserializer.deserialize_any(OneOrMany(PhantomData))
}

/// [`one_or_many`] for an optional list: `null` and a missing key are `None`.
pub fn option_one_or_many<'de, D, T>(deserializer: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    deserializer.deserialize_option(OptionOneOrMany(PhantomData))
}

struct OneOrMany<T>(PhantomData<T>);

/// Hands a single scalar to `T` as if it had been the whole value.
fn single<'de, T, E, V>(value: V) -> Result<Vec<T>, E>
where
    T: Deserialize<'de>,
    E: de::Error,
    V: IntoDeserializer<'de, E>,
{
    T::deserialize(value.into_deserializer()).map(|member| vec![member])
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for OneOrMany<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list, or its only member")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Vec::deserialize(SeqAccessDeserializer::new(seq))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(|member| vec![member])
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        single(value)
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Self::Value, E> {
        single(value)
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
        single(value)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        single(value)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        single(value)
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
        single(value)
    }
}

struct OptionOneOrMany<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for OptionOneOrMany<T> {
    type Value = Option<Vec<T>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list, its only member, or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        one_or_many(deserializer).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Member {
        name: String,
    }

    #[derive(Debug, Deserialize)]
    struct Holder {
        #[serde(default, deserialize_with = "super::one_or_many")]
        members: Vec<Member>,
        #[serde(default, deserialize_with = "super::one_or_many")]
        roles: Vec<String>,
        #[serde(default, deserialize_with = "super::option_one_or_many")]
        maybe: Option<Vec<Member>>,
    }

    fn read(json: &str) -> Result<Holder, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn arrays_single_members_null_and_missing_keys() {
        let many = read(r#"{"members": [{"name": "a"}, {"name": "b"}]}"#).expect("array");
        assert_eq!(many.members.len(), 2);
        let one = read(r#"{"members": {"name": "a"}, "roles": "admin"}"#).expect("single member");
        assert_eq!(one.members, [Member { name: "a".into() }]);
        assert_eq!(one.roles, ["admin"]);
        let empty = read(r#"{"members": null}"#).expect("null");
        assert!(empty.members.is_empty() && empty.roles.is_empty() && empty.maybe.is_none());
        let some = read(r#"{"maybe": {"name": "c"}}"#).expect("optional single");
        assert_eq!(some.maybe.map(|m| m.len()), Some(1));
    }

    #[test]
    fn a_single_member_is_read_from_owned_values_too() {
        // serde_json::Value hands strings over owned (visit_string), not borrowed.
        let one: Holder = serde_json::from_value(serde_json::json!({
            "members": {"name": "a"}, "roles": "admin", "maybe": {"name": "c"}
        }))
        .expect("single members");
        assert_eq!(one.members, [Member { name: "a".into() }]);
        assert_eq!(one.roles, ["admin"]);
        assert_eq!(one.maybe, Some(vec![Member { name: "c".into() }]));
    }

    #[derive(Debug, Deserialize)]
    struct Scalars {
        #[serde(default, deserialize_with = "super::one_or_many")]
        flags: Vec<bool>,
        #[serde(default, deserialize_with = "super::one_or_many")]
        keys: Vec<i64>,
        #[serde(default, deserialize_with = "super::one_or_many")]
        sizes: Vec<u64>,
        #[serde(default, deserialize_with = "super::one_or_many")]
        ratios: Vec<f64>,
    }

    #[test]
    fn a_single_scalar_member_is_a_list_of_one() {
        let one: Scalars = serde_json::from_str(
            r#"{"flags": true, "keys": -7, "sizes": 18446744073709551615, "ratios": 0.5}"#,
        )
        .expect("single scalars");
        assert_eq!(one.flags, [true]);
        assert_eq!(one.keys, [-7]);
        assert_eq!(one.sizes, [u64::MAX]);
        assert_eq!(one.ratios, [0.5]);
    }

    #[test]
    fn wrong_members_still_fail() {
        assert!(read(r#"{"members": {"nom": "a"}}"#).is_err());
        assert!(read(r#"{"members": [{"name": 1}]}"#).is_err());
        assert!(read(r#"{"members": "a"}"#).is_err());
        assert!(read(r#"{"roles": {"x": 1}}"#).is_err());
    }
}
