//! The model's schemas compiled at run time into proptest strategies.
//!
//! The model has already refused every keyword its consumers do not all understand; what is
//! left here are the kit's own limits (how deep a schema may nest, how many items it draws).
//! Generated values are the ones the typed client can carry unchanged: date-times in the
//! spelling chrono writes back, numbers that are exact binary fractions (so they survive
//! serde), integers inside JSON's exact range.

use std::collections::BTreeMap;

use junos_space_model::api::{Additional, Format, Kind, Schema, SchemaId};
use junos_space_model::{Api, SpecError, pointer};
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::BoxedStrategy;
use serde_json::{Map, Number, Value};

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

/// A strategy for every value the schema `id` allows.
pub fn strategy(api: &Api, id: SchemaId) -> Result<BoxedStrategy<Value>, SpecError> {
    compile(api, id, 0)
}

fn compile(api: &Api, id: SchemaId, depth: usize) -> Result<BoxedStrategy<Value>, SpecError> {
    let schema = api.schema(id);
    if depth > MAX_DEPTH {
        return Err(SpecError::at(
            &schema.pointer,
            format!("schemas nest deeper than {MAX_DEPTH} levels"),
            "a recursive schema needs a depth limit the kit does not have yet",
        ));
    }
    if let Some(values) = &schema.allowed {
        return Ok(select(values.clone()).boxed());
    }
    // A value the sources document, as a real server would take it.
    if let Some(vocabulary) = &schema.vocabulary {
        let values = vocabulary.values.iter().cloned().map(Value::String);
        return Ok(select(values.collect::<Vec<_>>()).boxed());
    }
    match schema.kind {
        Some(Kind::Object) => object(api, schema, depth),
        Some(Kind::Array) => array(api, schema, depth),
        Some(Kind::Integer) => integer(schema),
        // Multiples of 1/8: exact in binary, so the decimal text round-trips through f64.
        Some(Kind::Number) => Ok((-8_000_000i64..8_000_000)
            .prop_map(|eighths| Value::from(eighths as f64 / 8.0))
            .boxed()),
        Some(Kind::Boolean) => Ok(any::<bool>().prop_map(Value::Bool).boxed()),
        Some(Kind::String) => Ok(string(schema.format).prop_map(Value::String).boxed()),
        None => Err(SpecError::at(
            &schema.pointer,
            "no strategy for a schema that allows any value",
            "give the schema a `type` (object, array, integer, number, boolean or string)",
        )),
    }
}

/// `name` with a value of `value`: always when `required`, else present or absent.
pub fn named(
    name: &str,
    value: BoxedStrategy<Value>,
    required: bool,
) -> BoxedStrategy<Option<(String, Value)>> {
    let name = name.to_owned();
    let present = value.prop_map(move |v| Some((name.clone(), v)));
    if required {
        present.boxed()
    } else {
        prop_oneof![Just(None), present].boxed()
    }
}

fn object(api: &Api, schema: &Schema, depth: usize) -> Result<BoxedStrategy<Value>, SpecError> {
    let mut fields = Vec::new();
    for property in &schema.properties {
        let value = compile(api, property.schema, depth + 1)?;
        fields.push(named(&property.name, value, property.required));
    }
    let extra: BoxedStrategy<BTreeMap<String, Value>> = match schema.additional {
        Additional::Each(each) => {
            let value = compile(api, each, depth + 1)?;
            let named: Vec<String> = schema.properties.iter().map(|p| p.name.clone()).collect();
            let key = text(1..=8).prop_filter("a declared property", move |k| !named.contains(k));
            btree_map(key, value, 0..=MAX_ITEMS).boxed()
        }
        Additional::Unsaid | Additional::Forbidden => Just(BTreeMap::new()).boxed(),
    };
    Ok((fields, extra)
        .prop_map(|(fields, extra)| {
            let mut object: Map<String, Value> = fields.into_iter().flatten().collect();
            object.extend(extra);
            Value::Object(object)
        })
        .boxed())
}

fn array(api: &Api, schema: &Schema, depth: usize) -> Result<BoxedStrategy<Value>, SpecError> {
    let Some(items) = schema.items else {
        return Err(SpecError::at(
            &schema.pointer,
            "an array schema without `items`",
            "say what it holds",
        ));
    };
    let item = compile(api, items, depth + 1)?;
    let min_items = match schema.min_items {
        None => 0,
        Some(min) => usize::try_from(min)
            .ok()
            .filter(|min| *min <= MAX_ITEMS)
            .ok_or_else(|| {
                SpecError::at(
                    pointer::join(&schema.pointer, "minItems"),
                    format!("`minItems` must be at most {MAX_ITEMS}"),
                    "a larger minimum needs a larger MAX_ITEMS in the kit",
                )
            })?,
    };
    Ok(vec(item, min_items..=MAX_ITEMS)
        .prop_map(Value::Array)
        .boxed())
}

fn integer(schema: &Schema) -> Result<BoxedStrategy<Value>, SpecError> {
    let bound = |name: &str, number: Option<&Number>| -> Result<Option<i64>, SpecError> {
        match number {
            None => Ok(None),
            Some(number) => number.as_i64().map(Some).ok_or_else(|| {
                SpecError::at(
                    pointer::join(&schema.pointer, name),
                    "an integer bound must be an integer the kit can draw (64 bits)",
                    "",
                )
            }),
        }
    };
    let low = bound("minimum", schema.minimum.as_ref())?
        .unwrap_or(-MAX_SAFE_INTEGER)
        .max(-MAX_SAFE_INTEGER);
    let high = bound("maximum", schema.maximum.as_ref())?
        .unwrap_or(MAX_SAFE_INTEGER)
        .min(MAX_SAFE_INTEGER);
    if low > high {
        return Err(SpecError::at(
            &schema.pointer,
            "minimum is above maximum",
            "",
        ));
    }
    // The bound itself, small values (ids, counts) and the whole range.
    let small_high = high.min(low.saturating_add(1_000));
    Ok(prop_oneof![Just(low), low..=small_high, low..=high]
        .prop_map(Value::from)
        .boxed())
}

fn string(format: Option<Format>) -> BoxedStrategy<String> {
    match format {
        // A password is any text.
        None | Some(Format::Password) => text(0..=12).boxed(),
        Some(Format::DateTime) => date_time().boxed(),
        Some(Format::Email) => (word(), word(), select(&["com", "net", "example.org"][..]))
            .prop_map(|(user, host, tld)| format!("{user}@{host}.{tld}"))
            .boxed(),
        Some(Format::Uri) => (word(), vec(word(), 0..=3))
            .prop_map(|(host, path)| format!("https://{host}.example.com/{}", path.join("/")))
            .boxed(),
    }
}

/// Free text of `length` characters: ASCII, what URLs and filters escape, and non-ASCII.
fn text(length: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = String> + Clone {
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
    use junos_space_model::api::Reading;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    use crate::shared::fixture::{api_with_schemas as api, named};

    #[test]
    fn values_follow_the_schema() {
        let api = api(r#"
    Job:
      type: object
      required: [id]
      properties:
        id: {type: integer, minimum: 5}
        '@key': {type: integer}
        state: {type: string, enum: [A, B]}
        status: {type: string, x-vocabulary: [up, down]}
        at: {type: string, format: date-time}
        tags: {type: array, minItems: 1, items: {type: string}}
        params: {type: object, additionalProperties: {type: string}}
"#);
        let job = named(&api, "Job");
        let strategy = strategy(&api, job).expect("compiles");
        let mut runner = TestRunner::deterministic();
        for _ in 0..200 {
            let value = strategy.new_tree(&mut runner).expect("a value").current();
            let findings = api.validate(job, &value, Reading::CLOSED);
            assert!(findings.is_empty(), "{value}: {findings:?}");
            assert!(value["id"].as_i64().expect("required id") >= 5);
        }
    }

    #[test]
    fn the_kits_own_limits_are_named_where_they_stand() {
        let api = api(r#"
    Many: {type: array, minItems: 4, items: {type: string}}
    Anything: {description: any value}
    Tree:
      type: object
      properties:
        child: {$ref: '#/components/schemas/Tree'}
"#);
        let error = |name| {
            strategy(&api, named(&api, name))
                .err()
                .unwrap_or_else(|| panic!("{name} must be refused"))
        };
        assert_eq!(error("Many").pointer, "/components/schemas/Many/minItems");
        assert_eq!(error("Anything").pointer, "/components/schemas/Anything");
        assert!(error("Tree").message.contains("nest deeper"));
    }
}
