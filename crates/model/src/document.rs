//! Loading the YAML document into JSON values, and following its local `$ref`s.

use std::path::Path;

use serde_json::Value;

use crate::SpecError;
use crate::pointer;

/// The OpenAPI document, held as JSON in document order.
#[derive(Debug, Clone)]
pub struct Spec {
    document: Value,
}

/// How many `$ref` hops are followed before a chain is called a cycle.
const MAX_REF_HOPS: usize = 32;

impl Spec {
    /// Reads and parses the YAML file at `path`.
    pub fn load(path: &Path) -> Result<Self, SpecError> {
        let text = std::fs::read_to_string(path).map_err(|error| {
            SpecError::at(
                "",
                format!("cannot read {}: {error}", path.display()),
                "pass the path of an OpenAPI YAML file with --spec",
            )
        })?;
        Self::from_yaml_str(&text)
    }

    /// Parses YAML text. Mapping keys that YAML reads as numbers (`200:`) become strings.
    pub fn from_yaml_str(text: &str) -> Result<Self, SpecError> {
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
        let document = yaml_to_json(yaml, "")?;
        if !document.is_object() {
            return Err(SpecError::at(
                "",
                "the document is not a mapping",
                "an OpenAPI document starts with `openapi:`, `info:` and `paths:`",
            ));
        }
        Ok(Self { document })
    }

    /// Wraps a document that is already JSON.
    pub fn from_value(document: Value) -> Self {
        Self { document }
    }

    /// The whole document.
    pub fn document(&self) -> &Value {
        &self.document
    }

    /// The node at `pointer`, with any `$ref` chain at that node followed. Returns the node
    /// and the pointer where it really stands.
    pub fn resolve_at(&self, pointer: &str) -> Result<(&Value, String), SpecError> {
        let node = self.document.pointer(pointer).ok_or_else(|| {
            SpecError::at(pointer, "nothing stands at this pointer", "check the path")
        })?;
        self.follow_refs(node, pointer)
    }

    /// The path every operation's path sits below: the path of the first `servers` URL
    /// (`https://{host}/api/space` → `/api/space`), without a trailing `/`; empty without one.
    ///
    /// ```
    /// let spec = junos_space_model::Spec::from_yaml_str(
    ///     "servers: [{url: 'https://{space_server}/api/space/'}]\npaths: {}",
    /// )?;
    /// assert_eq!(spec.base_path(), "/api/space");
    /// # Ok::<(), junos_space_model::SpecError>(())
    /// ```
    pub fn base_path(&self) -> String {
        let url = self
            .document
            .pointer("/servers/0/url")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
        after_scheme.find('/').map_or(String::new(), |at| {
            after_scheme[at..].trim_end_matches('/').to_owned()
        })
    }

    /// Follows `$ref` chains starting at `node` (found at `pointer`).
    pub fn follow_refs<'a>(
        &'a self,
        mut node: &'a Value,
        pointer: &str,
    ) -> Result<(&'a Value, String), SpecError> {
        let mut at = pointer.to_owned();
        for _ in 0..MAX_REF_HOPS {
            let Some(reference) = node.get("$ref") else {
                return Ok((node, at));
            };
            let ref_pointer = pointer::join(&at, "$ref");
            let target = reference
                .as_str()
                .and_then(|r| r.strip_prefix('#'))
                .ok_or_else(|| {
                    SpecError::at(
                        &ref_pointer,
                        format!("unsupported reference {reference}"),
                        "only local references such as '#/components/schemas/Device' are supported",
                    )
                })?;
            node = self.document.pointer(target).ok_or_else(|| {
                SpecError::at(
                    &ref_pointer,
                    format!("reference #{target} points at nothing"),
                    "define the target under components, or fix the name",
                )
            })?;
            at = target.to_owned();
        }
        Err(SpecError::at(
            pointer,
            "a $ref chain does not end",
            "break the reference cycle",
        ))
    }
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
        let spec = Spec::from_yaml_str("responses:\n  200: {description: ok}\n").expect("parses");
        assert!(spec.document().pointer("/responses/200").is_some());
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        let error = Spec::from_yaml_str("a:\n  b: 1\n c: [\n").expect_err("broken");
        let (line, _) = error.location.expect("a location");
        assert!(line >= 2, "{error}");
        assert!(error.to_string().contains("at line"), "{error}");
    }

    #[test]
    fn duplicate_keys_are_refused() {
        let error = Spec::from_yaml_str("a: 1\na: 2\n").expect_err("duplicate");
        assert!(error.message.contains("duplicate"), "{error}");
    }

    #[test]
    fn refs_are_followed_and_dangling_refs_named() {
        let spec = Spec::from_yaml_str(
            "x: {$ref: '#/y'}\ny: {$ref: '#/z'}\nz: {type: string}\nbad: {$ref: '#/nope'}\nloop: {$ref: '#/loop'}\n",
        )
        .expect("parses");
        let (node, at) = spec.resolve_at("/x").expect("resolves");
        assert_eq!(node["type"], "string");
        assert_eq!(at, "/z");
        assert_eq!(
            spec.resolve_at("/bad").expect_err("dangling").pointer,
            "/bad/$ref"
        );
        assert!(spec.resolve_at("/loop").is_err());
    }
}
