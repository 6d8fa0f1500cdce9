//! JSON schemas of the spec compiled at run time into proptest strategies.
//!
//! Generated values are the ones the typed client can carry unchanged: date-times in the
//! spelling chrono writes back, numbers that are exact binary fractions (so they survive
//! serde), integers inside JSON's exact range.

use std::collections::BTreeMap;

use junos_space_model::{Spec, SpecError, pointer};
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::BoxedStrategy;
use serde_json::{Map, Value};

/// How deep schemas may nest before the kit calls the schema recursive.
const MAX_DEPTH: usize = 16;
/// The longest generated array or map: enough for 0, 1 (the one-member quirk) and many.
const MAX_ITEMS: usize = 3;
/// Integers stay inside the range a JSON number carries exactly.
const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// Characters of free text: ASCII, what URLs and the filter grammar must escape, and non-ASCII.
const TEXT_CHARS: &[char] = &[
    'a', 'b', 'z', 'A', 'Q', '0', '7', ' ', '\'', '"', '&', '=', '+', '/', '?', '#', '%', '(', ')',
    ',', ';', '\\', '-', '_', '.', '~', 'é', 'ß', '日', '🚀', '\t', '\n',
];

/// Schema keywords that constrain values in ways this compiler does not generate yet; a spec
/// that uses one fails loudly at its pointer rather than being fuzzed with invalid values.
const UNSUPPORTED_KEYWORDS: &[&str] = &[
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "pattern",
    "minLength",
    "maxLength",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "maxItems",
    "uniqueItems",
    "const",
    "patternProperties",
    "minProperties",
    "maxProperties",
];

/// A strategy for every value `schema` (standing at `at`) allows, `$ref`s followed.
pub fn strategy(spec: &Spec, schema: &Value, at: &str) -> Result<BoxedStrategy<Value>, SpecError> {
    compile(spec, schema, at, 0)
}

pub use junos_space_model::validate::{required_names, schema_type};

fn compile(
    spec: &Spec,
    schema: &Value,
    at: &str,
    depth: usize,
) -> Result<BoxedStrategy<Value>, SpecError> {
    let (schema, at) = spec.follow_refs(schema, at)?;
    if depth > MAX_DEPTH {
        return Err(SpecError::at(
            at,
            format!("schemas nest deeper than {MAX_DEPTH} levels"),
            "a recursive schema needs a depth limit the kit does not have yet",
        ));
    }
    if let Some(keyword) = UNSUPPORTED_KEYWORDS
        .iter()
        .find(|k| schema.get(**k).is_some())
    {
        return Err(SpecError::at(
            pointer::join(&at, keyword),
            format!("the conformance kit cannot generate values for `{keyword}` yet"),
            "teach crates/conformance/src/schema.rs the keyword, and crates/model/src/validate.rs to check it",
        ));
    }
    if let Some(values) = schema.get("enum") {
        let values = values
            .as_array()
            .filter(|values| !values.is_empty())
            .ok_or_else(|| SpecError::at(pointer::join(&at, "enum"), "an empty enum", ""))?;
        return Ok(select(values.clone()).boxed());
    }
    match schema_type(schema) {
        Some("object") => object(spec, schema, &at, depth),
        Some("array") => {
            let items = schema.get("items").ok_or_else(|| {
                SpecError::at(&at, "an array schema without `items`", "say what it holds")
            })?;
            let item = compile(spec, items, &pointer::join(&at, "items"), depth + 1)?;
            let min_items = match schema.get("minItems") {
                None => 0,
                Some(min) => min
                    .as_u64()
                    .and_then(|min| usize::try_from(min).ok())
                    .filter(|min| *min <= MAX_ITEMS)
                    .ok_or_else(|| {
                        SpecError::at(
                            pointer::join(&at, "minItems"),
                            format!("`minItems` must be a whole number up to {MAX_ITEMS}"),
                            "a larger minimum needs a larger MAX_ITEMS in the kit",
                        )
                    })?,
            };
            Ok(vec(item, min_items..=MAX_ITEMS)
                .prop_map(Value::Array)
                .boxed())
        }
        Some("integer") => integer(schema, &at),
        // Multiples of 1/8: exact in binary, so the decimal text round-trips through f64.
        Some("number") => Ok((-8_000_000i64..8_000_000)
            .prop_map(|eighths| Value::from(eighths as f64 / 8.0))
            .boxed()),
        Some("boolean") => Ok(any::<bool>().prop_map(Value::Bool).boxed()),
        Some("string") => string(schema, &at),
        other => Err(SpecError::at(
            at,
            format!("no strategy for schema type {other:?}"),
            "give the schema a `type` (object, array, integer, number, boolean or string)",
        )),
    }
}

fn object(
    spec: &Spec,
    schema: &Value,
    at: &str,
    depth: usize,
) -> Result<BoxedStrategy<Value>, SpecError> {
    let required = required_names(schema);
    let properties = schema.get("properties").and_then(Value::as_object);
    let mut fields: Vec<BoxedStrategy<Option<(String, Value)>>> = Vec::new();
    for (name, property) in properties.into_iter().flatten() {
        let property_at = pointer::join(&pointer::join(at, "properties"), name);
        let value = compile(spec, property, &property_at, depth + 1)?;
        let owned = name.clone();
        let field = value.prop_map(move |v| Some((owned.clone(), v)));
        fields.push(if required.contains(&name.as_str()) {
            field.boxed()
        } else {
            prop_oneof![Just(None), field].boxed()
        });
    }
    let extra: BoxedStrategy<BTreeMap<String, Value>> = match schema.get("additionalProperties") {
        Some(extra @ Value::Object(_)) => {
            let value = compile(
                spec,
                extra,
                &pointer::join(at, "additionalProperties"),
                depth + 1,
            )?;
            let named: Vec<String> = properties
                .into_iter()
                .flatten()
                .map(|(k, _)| k.clone())
                .collect();
            let key = text(1..=8).prop_filter("a declared property", move |k| !named.contains(k));
            btree_map(key, value, 0..=MAX_ITEMS).boxed()
        }
        _ => Just(BTreeMap::new()).boxed(),
    };
    Ok((fields, extra)
        .prop_map(|(fields, extra)| {
            let mut object: Map<String, Value> = fields.into_iter().flatten().collect();
            object.extend(extra);
            Value::Object(object)
        })
        .boxed())
}

fn integer(schema: &Value, at: &str) -> Result<BoxedStrategy<Value>, SpecError> {
    let bound = |name: &str| -> Result<Option<i64>, SpecError> {
        match schema.get(name) {
            None => Ok(None),
            Some(value) => value.as_i64().map(Some).ok_or_else(|| {
                SpecError::at(
                    pointer::join(at, name),
                    "an integer bound must be an integer",
                    "",
                )
            }),
        }
    };
    let low = bound("minimum")?
        .unwrap_or(-MAX_SAFE_INTEGER)
        .max(-MAX_SAFE_INTEGER);
    let high = bound("maximum")?
        .unwrap_or(MAX_SAFE_INTEGER)
        .min(MAX_SAFE_INTEGER);
    if low > high {
        return Err(SpecError::at(at, "minimum is above maximum", ""));
    }
    // The bound itself, small values (ids, counts) and the whole range.
    let small_high = high.min(low.saturating_add(1_000));
    Ok(prop_oneof![Just(low), low..=small_high, low..=high]
        .prop_map(Value::from)
        .boxed())
}

fn string(schema: &Value, at: &str) -> Result<BoxedStrategy<Value>, SpecError> {
    let text = match schema.get("format").map(|f| f.as_str()) {
        None => text(0..=12).boxed(),
        Some(Some("date-time")) => date_time().boxed(),
        Some(Some("email")) => (word(), word(), select(&["com", "net", "example.org"][..]))
            .prop_map(|(user, host, tld)| format!("{user}@{host}.{tld}"))
            .boxed(),
        Some(Some("uri")) => (word(), vec(word(), 0..=3))
            .prop_map(|(host, path)| format!("https://{host}.example.com/{}", path.join("/")))
            .boxed(),
        Some(other) => {
            return Err(SpecError::at(
                pointer::join(at, "format"),
                format!("the conformance kit knows no string format {other:?}"),
                "teach crates/conformance/src/schema.rs the format (what the client types it as)",
            ));
        }
    };
    Ok(text.prop_map(Value::String).boxed())
}

/// Free text of `length` characters: ASCII, what URLs and filters escape, and non-ASCII.
pub fn text(length: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = String> + Clone {
    vec(select(TEXT_CHARS), length).prop_map(|chars| chars.into_iter().collect())
}

fn word() -> impl Strategy<Value = String> + Clone {
    vec(select(&b"abcdefghijklmnopqrstuvwxyz0123456789"[..]), 1..=8)
        .prop_map(|bytes| bytes.into_iter().map(char::from).collect())
}

/// RFC 3339 UTC date-times as chrono writes a `DateTime<Utc>` back: seconds, and milliseconds
/// only when they are not zero.
fn date_time() -> impl Strategy<Value = String> {
    (
        (1970u32..=2099, 1u32..=12, 1u32..=28),
        (0u32..24, 0u32..60, 0u32..60, 0u32..1000),
    )
        .prop_map(|((year, month, day), (hour, minute, second, millis))| {
            let fraction = if millis == 0 {
                String::new()
            } else {
                format!(".{millis:03}")
            };
            format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}{fraction}Z")
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    use serde_json::json;

    fn spec() -> Spec {
        Spec::from_yaml_str(
            r#"
components:
  schemas:
    Job:
      type: object
      required: [id]
      properties:
        id: {type: integer, minimum: 5}
        '@key': {type: integer}
        state: {type: string, enum: [A, B]}
        at: {type: string, format: date-time}
        tags: {type: array, items: {type: string}}
        params: {type: object, additionalProperties: {type: string}}
"#,
        )
        .expect("parses")
    }

    #[test]
    fn values_follow_the_schema() {
        let spec = spec();
        let schema = json!({"$ref": "#/components/schemas/Job"});
        let strategy = strategy(&spec, &schema, "").expect("compiles");
        let mut runner = TestRunner::deterministic();
        for _ in 0..200 {
            let value = strategy.new_tree(&mut runner).expect("a value").current();
            let closed = junos_space_model::validate::Reading {
                closed: true,
                ..junos_space_model::validate::Reading::LITERAL
            };
            let findings = junos_space_model::validate::validate(&spec, &schema, &value, closed);
            assert!(findings.is_empty(), "{value}: {findings:?}");
            assert!(value["id"].as_i64().expect("required id") >= 5);
        }
    }

    #[test]
    fn unsupported_keywords_are_named() {
        let spec = spec();
        let Err(error) = strategy(&spec, &json!({"type": "string", "pattern": "a+"}), "/x") else {
            panic!("a pattern must be refused");
        };
        assert_eq!(error.pointer, "/x/pattern");
    }
}
