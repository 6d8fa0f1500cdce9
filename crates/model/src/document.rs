//! Reading the YAML document into JSON, in document order, refusing what JSON cannot hold.

use serde_json::Value;

use crate::SpecError;
use crate::pointer;

/// Parses YAML text into JSON in document order. Mapping keys that YAML reads as numbers
/// (`200:`) become strings; what JSON cannot hold (a tag, a key that is not a scalar, a number
/// JSON has no spelling for) is an error at its pointer, and broken YAML one at its line.
pub(crate) fn yaml_to_json_text(text: &str) -> Result<Value, SpecError> {
    let yaml: serde_yaml_ng::Value = serde_yaml_ng::from_str(text).map_err(|error| {
        let location = error.location().map(|at| (at.line(), at.column()));
        SpecError {
            pointer: String::new(),
            location,
            message: format!("the YAML cannot be read: {error}"),
            hint: "fix the YAML syntax at that line (indentation, quoting, a duplicated key)"
                .into(),
        }
    })?;
    yaml_to_json(yaml, "")
}

/// Converts YAML to JSON, refusing what JSON cannot hold; `at` is the pointer of `value`.
fn yaml_to_json(value: serde_yaml_ng::Value, at: &str) -> Result<Value, SpecError> {
    use serde_yaml_ng::Value as Yaml;
    Ok(match value {
        Yaml::Null => Value::Null,
        Yaml::Bool(b) => Value::Bool(b),
        Yaml::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map(Value::Number)
                    .ok_or_else(|| {
                        SpecError::at(
                            at,
                            format!("{n} is not a JSON number"),
                            "use a finite number",
                        )
                    })?
            }
        }
        Yaml::String(s) => Value::String(s),
        Yaml::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| yaml_to_json(item, &pointer::join(at, &i.to_string())))
                .collect::<Result<_, _>>()?,
        ),
        Yaml::Mapping(mapping) => {
            let mut object = serde_json::Map::with_capacity(mapping.len());
            for (key, item) in mapping {
                let key = match key {
                    Yaml::String(s) => s,
                    Yaml::Number(n) => n.to_string(),
                    Yaml::Bool(b) => b.to_string(),
                    other => {
                        return Err(SpecError::at(
                            at,
                            format!("a mapping key must be a scalar, found {other:?}"),
                            "quote the key",
                        ));
                    }
                };
                let item = yaml_to_json(item, &pointer::join(at, &key))?;
                object.insert(key, item);
            }
            Value::Object(object)
        }
        Yaml::Tagged(tagged) => {
            return Err(SpecError::at(
                at,
                format!("YAML tag {} is not JSON", tagged.tag),
                "remove the `!tag`",
            ));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_status_keys_become_strings() {
        let document = yaml_to_json_text("responses:\n  200: {description: ok}\n").expect("parses");
        assert!(document.pointer("/responses/200").is_some());
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        let error = yaml_to_json_text("a:\n  b: 1\n c: [\n").expect_err("broken");
        let (line, _) = error.location.expect("a location");
        assert!(line >= 2, "{error}");
        assert!(error.to_string().contains("at line"), "{error}");
    }

    #[test]
    fn duplicate_keys_and_tags_are_refused() {
        let error = yaml_to_json_text("a: 1\na: 2\n").expect_err("duplicate");
        assert!(error.message.contains("duplicate"), "{error}");
        let error = yaml_to_json_text("a: {b: !thing 1}\n").expect_err("a tag");
        assert_eq!(error.pointer, "/a/b");
    }
}
