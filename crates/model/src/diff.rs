//! Compares two documents method by method (by operationId): what the spec changed from the
//! seed it started from, so that every change can be shown to have a source.
//!
//! A difference names its method and an aspect: `operation` (a method only one side has),
//! `path`, `method`, `parameter NAME`, `request media type`, `accept`, `statuses`,
//! `response STATUS media type`, `request fields` and `response STATUS fields`. Fields are
//! compared as flattened paths with their type and whether they are required
//! (`devices.device[].@key: integer, required`), so a renamed, retyped, added, removed or
//! newly required field is a difference.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::api::{Api, Kind, Operation, Response, SchemaId};

/// One way a method differs between the seed and the spec.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Difference {
    /// The method's operationId.
    pub operation: String,
    /// What differs (`path`, `parameter queue`, `response 200 fields`, ...).
    pub aspect: String,
    /// The seed's form; `-` where the seed has none.
    pub seed: String,
    /// The spec's form; `-` where the spec has none.
    pub spec: String,
    /// For field aspects: the field paths only one side has (with their type), for a
    /// reader to find each named in the record of the difference.
    pub fields: Vec<String>,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} / {}: seed `{}`, spec `{}`",
            self.operation, self.aspect, self.seed, self.spec
        )?;
        for field in &self.fields {
            write!(f, "\n    {field}")?;
        }
        Ok(())
    }
}

/// Every difference between `seed` and `spec`, sorted by method and aspect.
pub fn differences(seed: &Api, spec: &Api) -> Vec<Difference> {
    let (before, after) = (by_id(seed), by_id(spec));
    let mut found = Vec::new();
    let ids: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    for id in ids {
        let mut note = |aspect: String, seed: String, spec: String, fields: Vec<String>| {
            found.push(Difference {
                operation: id.clone(),
                aspect,
                seed,
                spec,
                fields,
            });
        };
        let (old, new) = match (before.get(id), after.get(id)) {
            (Some(old), Some(new)) => (*old, *new),
            (old, new) => {
                let form = |op: Option<&&Operation>| {
                    op.map_or("-".to_owned(), |op| {
                        format!("{} {}", op.method.as_str(), op.path)
                    })
                };
                note("operation".into(), form(old), form(new), Vec::new());
                continue;
            }
        };
        if old.path != new.path {
            note(
                "path".into(),
                old.path.clone(),
                new.path.clone(),
                Vec::new(),
            );
        }
        if old.method != new.method {
            let (a, b) = (old.method.as_str(), new.method.as_str());
            note("method".into(), a.into(), b.into(), Vec::new());
        }
        let parameters = |api: &Api, op: &Operation| -> BTreeMap<String, String> {
            op.parameters
                .iter()
                .map(|p| {
                    let form = format!(
                        "{:?}{} {}",
                        p.location,
                        if p.required { ", required" } else { "" },
                        type_of(api, p.schema)
                    );
                    (p.name.clone(), form.to_lowercase())
                })
                .collect()
        };
        let (old_parameters, new_parameters) = (parameters(seed, old), parameters(spec, new));
        let names: BTreeSet<&String> = old_parameters.keys().chain(new_parameters.keys()).collect();
        for name in names {
            let (a, b) = (old_parameters.get(name), new_parameters.get(name));
            if a != b {
                let form = |p: Option<&String>| p.cloned().unwrap_or_else(|| "-".into());
                note(format!("parameter {name}"), form(a), form(b), Vec::new());
            }
        }
        let content_type = |op: &Operation| op.content_type().unwrap_or("-").to_owned();
        if content_type(old) != content_type(new) {
            let aspect = "request media type".to_owned();
            note(aspect, content_type(old), content_type(new), Vec::new());
        }
        let accept = |op: &Operation| op.accept_header().unwrap_or_else(|| "-".into());
        if accept(old) != accept(new) {
            note("accept".into(), accept(old), accept(new), Vec::new());
        }
        let statuses = |op: &Operation| {
            op.responses
                .iter()
                .map(|r| r.status.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        if statuses(old) != statuses(new) {
            note("statuses".into(), statuses(old), statuses(new), Vec::new());
        }
        let (a, b) = (fields_of(seed, body_of(old)), fields_of(spec, body_of(new)));
        if a != b {
            note(
                "request fields".into(),
                root_of(&a),
                root_of(&b),
                one_sided(&a, &b),
            );
        }
        for response in &new.responses {
            let Some(earlier) = old.responses.iter().find(|r| r.status == response.status) else {
                continue;
            };
            let media = |r: &Response| {
                let types: Vec<&str> = r.contents.iter().map(|c| c.text.as_str()).collect();
                if types.is_empty() {
                    "-".to_owned()
                } else {
                    types.join(", ")
                }
            };
            if media(earlier) != media(response) {
                let aspect = format!("response {} media type", response.status);
                note(aspect, media(earlier), media(response), Vec::new());
            }
            let (a, b) = (
                fields_of(seed, answer_of(earlier)),
                fields_of(spec, answer_of(response)),
            );
            if a != b {
                note(
                    format!("response {} fields", response.status),
                    root_of(&a),
                    root_of(&b),
                    one_sided(&a, &b),
                );
            }
        }
    }
    found.sort();
    found
}

fn by_id(api: &Api) -> BTreeMap<String, &Operation> {
    api.operations()
        .iter()
        .map(|op| (op.id.clone(), op))
        .collect()
}

/// The field paths of one side only, marked `-` (seed) or `+` (spec).
fn one_sided(seed: &BTreeSet<String>, spec: &BTreeSet<String>) -> Vec<String> {
    let removed = seed.difference(spec).map(|f| format!("- {f}"));
    let added = spec.difference(seed).map(|f| format!("+ {f}"));
    removed.chain(added).collect()
}

/// The top-level property names of a body, for the one-line summary of a field difference.
fn root_of(fields: &BTreeSet<String>) -> String {
    let roots: BTreeSet<&str> = fields
        .iter()
        .map(|f| f.split([':', '.', '[']).next().unwrap_or_default())
        .collect();
    if roots.is_empty() {
        "-".into()
    } else {
        roots.into_iter().collect::<Vec<_>>().join(", ")
    }
}

/// `integer`, `string (uri)`, `array of string`, ...
fn type_of(api: &Api, schema: SchemaId) -> String {
    let schema = api.schema(schema);
    let kind = schema.kind.map_or("any", Kind::name);
    match (schema.kind, schema.format) {
        (Some(Kind::Array), _) => format!(
            "array of {}",
            schema
                .items
                .map_or("any".into(), |items| type_of(api, items))
        ),
        (_, Some(format)) => format!("{kind} ({})", format.name()),
        (_, None) => kind.to_owned(),
    }
}

/// The schema of an operation's request body, if it has one.
fn body_of(operation: &Operation) -> Option<SchemaId> {
    operation.request.as_ref()?.content.schema
}

/// The schema of a response's first media type, if it has one.
fn answer_of(response: &Response) -> Option<SchemaId> {
    response.contents.first()?.schema
}

/// The fields of a schema that may be absent (no body): none.
fn fields_of(api: &Api, schema: Option<SchemaId>) -> BTreeSet<String> {
    schema.map(|schema| fields(api, schema)).unwrap_or_default()
}

/// Every field of `schema` as `path: type[, required]`; array members are `[]`.
pub(crate) fn fields(api: &Api, schema: SchemaId) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    walk(api, schema, "", false, 0, &mut found);
    found
}

fn walk(
    api: &Api,
    id: SchemaId,
    at: &str,
    required: bool,
    depth: usize,
    found: &mut BTreeSet<String>,
) {
    // Deeper than any Junos Space body; a cycle ends here instead of recursing forever.
    const MAX_DEPTH: usize = 12;
    let schema = api.schema(id);
    if !at.is_empty() {
        let mut line = format!("{at}: {}", type_of(api, id));
        if required {
            line.push_str(", required");
        }
        if let Some(values) = &schema.allowed {
            let values: Vec<String> = values.iter().map(ToString::to_string).collect();
            line.push_str(&format!(", one of {}", values.join(" ")));
        }
        found.insert(line);
    }
    if depth >= MAX_DEPTH {
        return;
    }
    for property in &schema.properties {
        let path = if at.is_empty() {
            property.name.clone()
        } else {
            format!("{at}.{}", property.name)
        };
        walk(
            api,
            property.schema,
            &path,
            property.required,
            depth + 1,
            found,
        );
    }
    if let Some(items) = schema.items {
        walk(api, items, &format!("{at}[]"), false, depth + 1, found);
    }
    if let crate::api::Additional::Each(extra) = schema.additional {
        walk(api, extra, &format!("{at}.*"), false, depth + 1, found);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = r#"
openapi: 3.1.0
paths:
  /devices/{id}:
    get:
      operationId: getDevice
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/vnd.a.device+json;version=2:
              schema: {type: object, properties: {'@key': {type: integer}, name: {type: string}}}
"#;

    fn spec(text: &str) -> Api {
        Api::from_yaml_str(text).expect("reads")
    }

    #[test]
    fn the_same_document_has_no_difference() {
        assert_eq!(differences(&spec(SEED), &spec(SEED)), []);
    }

    #[test]
    fn each_kind_of_change_is_named() {
        let changed = SEED
            .replace("version=2", "version=1")
            .replace("'@key': {type: integer}", "id: {type: integer}")
            .replace(
                "required: true, schema",
                "required: true, schema: {type: string}, x",
            )
            .replace("/devices/{id}:", "/devices/{id}/x:")
            + r#"
  /jobs:
    get:
      operationId: listJobs
      responses:
        '200': {description: ok}
"#;
        let found = differences(&spec(SEED), &spec(&changed));
        let aspects: Vec<(&str, &str)> = found
            .iter()
            .map(|d| (d.operation.as_str(), d.aspect.as_str()))
            .collect();
        assert_eq!(
            aspects,
            [
                ("getDevice", "accept"),
                ("getDevice", "parameter id"),
                ("getDevice", "path"),
                ("getDevice", "response 200 fields"),
                ("getDevice", "response 200 media type"),
                ("listJobs", "operation"),
            ]
        );
        let fields = &found[3].fields;
        assert_eq!(fields, &["- @key: integer", "+ id: integer"]);
        assert_eq!(found[5].seed, "-");
        assert_eq!(found[5].spec, "GET /jobs");
    }

    #[test]
    fn a_field_made_required_is_a_difference() {
        let required = SEED.replace(
            "schema: {type: object, properties",
            "schema: {type: object, required: [name], properties",
        );
        let found = differences(&spec(SEED), &spec(&required));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].fields,
            ["- name: string", "+ name: string, required"]
        );
    }
}
