//! Where the values of an operation's path parameter come from, read from the spec alone, so
//! that everything that fills a path with a member that exists (check-server, the CLI's
//! tests, the simulator's check that a path names one) finds them the same way and needs no
//! code per operation: the collection one level up (`/devices/{device_id}` reads
//! `/devices`), the one member a path one level up answers wrapped (the Global domain at
//! `/domain-management/domains`), or, where no GET lists them, the values the answer of the
//! nearest enclosing member's GET holds for them through `x-identifies` with
//! `other-parameters: holder` (a template's `versions.version` numbers are the
//! `{template_version}` of the paths below that template); or the collection the parameter's
//! `x-listed-by` names, elsewhere in the API (a gen-1 Security Director rule group, at
//! `/firewall-rules/{rule_group_id}`, is listed by its policy's `.../firewall-rules`).

use serde_json::Value;

use super::Api;
use super::collection::{Collection, member_id};
use super::operation::{HttpMethod, Operation};
use super::schema::SchemaId;

/// Where the values of one path parameter come from: the GET to read, and how its answer
/// holds them.
#[derive(Debug, Clone)]
pub enum ParameterSource<'a> {
    /// The members of the collection `reader` lists, at the path one level up.
    Collection {
        reader: &'a Operation,
        collection: &'a Collection,
    },
    /// The members of the collection `reader` lists, elsewhere: the parameter's
    /// `x-listed-by`. Its path is not the start of the operation's: its own parameters are
    /// found as any operation's.
    Listed {
        reader: &'a Operation,
        collection: &'a Collection,
    },
    /// The one member `reader`, at the path one level up, answers wrapped in a member named
    /// `wrapper`: what Juniper's Python client calls a single-object collection
    /// (`/domain-management/domains` answers the Global domain, whose id is a `domain_id`;
    /// PSP `descriptions/domain_management.yml`).
    Wrapped {
        reader: &'a Operation,
        wrapper: &'a str,
    },
    /// The values in the answer of `reader`, the GET of the nearest member the path names
    /// above the parameter, that name `parameter` of the operations at `path` and below
    /// (`x-identifies` with `other-parameters: holder`).
    Holder {
        reader: &'a Operation,
        /// The schema of `reader`'s answer.
        schema: SchemaId,
        /// The path of the operation whose parameter it is.
        path: &'a str,
        parameter: &'a str,
    },
}

impl<'a> ParameterSource<'a> {
    /// The GET whose answer holds the values. Its path is the start of the operation's path,
    /// so its own parameters take the values the operation's path gives them, but for
    /// [`Self::Listed`].
    pub fn reader(&self) -> &'a Operation {
        match self {
            Self::Collection { reader, .. }
            | Self::Listed { reader, .. }
            | Self::Wrapped { reader, .. }
            | Self::Holder { reader, .. } => reader,
        }
    }

    /// What `answer` (the reader's answer) offers for the parameter, in order: the members of
    /// a collection or the wrapped member, each an object whose id is the value
    /// ([`Self::value_of`]), or the values themselves.
    pub fn candidates<'v>(&self, api: &Api, answer: &'v Value) -> Vec<&'v Value> {
        match self {
            Self::Collection { collection, .. } | Self::Listed { collection, .. } => {
                collection.members(answer)
            }
            Self::Wrapped { wrapper, .. } => answer.get(*wrapper).into_iter().collect(),
            Self::Holder {
                schema,
                path,
                parameter,
                ..
            } => api
                .held_references(*schema, answer)
                .into_iter()
                .filter(|reference| {
                    api.operation(&reference.operation_id)
                        .is_some_and(|named| same_member(&named.path, path, parameter))
                })
                .filter_map(|reference| {
                    let (_, place) = reference
                        .parameters
                        .iter()
                        .find(|(name, _)| name == parameter)?;
                    answer.pointer(place)
                })
                .collect(),
        }
    }

    /// The value a candidate gives the parameter: a member's id ([`member_id`]), or a number
    /// or text that is the value itself (a version number).
    pub fn value_of(candidate: &Value) -> Option<String> {
        match candidate {
            Value::Number(number) => Some(number.to_string()),
            Value::String(text) if !text.is_empty() => Some(text.clone()),
            _ => member_id(candidate),
        }
    }

    /// Every value `answer` (the reader's answer) offers for the parameter, in order.
    pub fn values(&self, api: &Api, answer: &Value) -> Vec<String> {
        self.candidates(api, answer)
            .into_iter()
            .filter_map(Self::value_of)
            .collect()
    }
}

impl Api {
    /// Where the values of `operation`'s path parameter `parameter` come from; `None` where
    /// the spec names no GET that gives them.
    pub fn parameter_source<'a>(
        &'a self,
        operation: &'a Operation,
        parameter: &'a str,
    ) -> Option<ParameterSource<'a>> {
        let listed_by = operation
            .parameters
            .iter()
            .find(|p| p.name == parameter)
            .and_then(|p| p.listed_by.as_deref());
        if let Some(lister) = listed_by {
            let reader = self.operation(lister)?;
            return Some(ParameterSource::Listed {
                reader,
                collection: reader.collection.as_ref()?,
            });
        }
        let segments: Vec<&str> = operation.path.split('/').collect();
        let mark = format!("{{{parameter}}}");
        let at = segments.iter().position(|segment| *segment == mark)?;
        let above = segments[..at].join("/");
        let gets = |path: String| {
            self.operations()
                .iter()
                .filter(move |o| o.method == HttpMethod::Get && o.path == path)
        };
        if let Some(source) = gets(above).find_map(|reader| self.listing_source(reader)) {
            return Some(source);
        }
        let holder_end = segments[..at].iter().rposition(|s| s.starts_with('{'))?;
        gets(segments[..=holder_end].join("/")).find_map(|reader| {
            let schema = reader.answer_schema(200)?;
            self.relations_within(schema)
                .iter()
                .any(|relation| {
                    relation.held
                        && relation
                            .parameters
                            .iter()
                            .any(|(name, _)| name == parameter)
                        && self.operation(&relation.operation_id).is_some_and(|named| {
                            same_member(&named.path, &operation.path, parameter)
                        })
                })
                .then_some(ParameterSource::Holder {
                    reader,
                    schema,
                    path: &operation.path,
                    parameter,
                })
        })
    }

    /// How the GET `reader` names members of the path below it, if it does: a page of a
    /// collection, or the one member it answers wrapped.
    pub fn listing_source<'a>(&'a self, reader: &'a Operation) -> Option<ParameterSource<'a>> {
        if !reader.method.is_safe() {
            return None;
        }
        if let Some(collection) = &reader.collection {
            return Some(ParameterSource::Collection { reader, collection });
        }
        let wrapper = self.wrapped(reader.answer_schema(200)?)?;
        Some(ParameterSource::Wrapped {
            reader,
            wrapper: wrapper.name.as_str(),
        })
    }
}

/// Whether two path templates name the same member up to `{parameter}`: the same segments
/// up to it and it (`.../{template_id}/versions/{template_version}/configuration` and
/// `.../exec-deploy`).
fn same_member(one: &str, other: &str, parameter: &str) -> bool {
    let mark = format!("{{{parameter}}}");
    match (one.find(&mark), other.find(&mark)) {
        (Some(end), Some(other_end)) => end == other_end && one[..end] == other[..end],
        _ => false,
    }
}

/// Whether the member at `holder` (a path ending in a parameter) holds values naming the
/// parameters `named` of the operation at `target` below it: the rest of `target`'s
/// parameters are exactly those.
pub(crate) fn holds_below(holder: &str, target: &str, named: &[&str]) -> bool {
    let Some(rest) = target
        .strip_prefix(holder)
        .and_then(|rest| rest.strip_prefix('/'))
    else {
        return false;
    };
    let below: Vec<&str> = rest
        .split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .collect();
    holder.ends_with('}')
        && below.len() == named.len()
        && below.iter().all(|name| named.contains(name))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// A thing whose GET lists its revisions by number, as a template lists its versions, and
    /// operations below a revision that no GET lists.
    const HELD: &str = r#"
openapi: 3.1.0
paths:
  /things:
    get:
      operationId: listThings
      responses:
        '200':
          description: ok
          content:
            application/vnd.things+json;version=1:
              schema:
                type: object
                properties:
                  things:
                    type: object
                    properties:
                      thing: {type: array, items: {type: object, properties: {id: {type: integer}}}}
  /things/{thing_id}:
    get:
      operationId: getThing
      parameters:
        - {name: thing_id, in: path, required: true, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/vnd.thing+json;version=1:
              schema:
                type: object
                properties:
                  thing:
                    type: object
                    properties:
                      id: {type: integer}
                      revisions:
                        type: object
                        properties:
                          revision:
                            type: array
                            items:
                              type: integer
                              x-identifies:
                                operationId: getRevisionText
                                parameters: {revision: ''}
                                other-parameters: holder
  /things/{thing_id}/revisions/{revision}/text:
    get:
      operationId: getRevisionText
      parameters:
        - {name: thing_id, in: path, required: true, schema: {type: integer}}
        - {name: revision, in: path, required: true, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/vnd.text+json;version=1:
              schema: {type: object, properties: {text: {type: object, properties: {cli: {type: string}}}}}
  /things/{thing_id}/revisions/{revision}/exec-deploy:
    post:
      operationId: deployRevision
      parameters:
        - {name: thing_id, in: path, required: true, schema: {type: integer}}
        - {name: revision, in: path, required: true, schema: {type: integer}}
      responses:
        '204':
          description: done
"#;

    #[test]
    fn a_parameter_comes_from_the_collection_above_or_from_its_holders_answer() {
        let api = Api::from_yaml_str(HELD).expect("the spec reads");
        let deploy = api.operation("deployRevision").expect("in the spec");
        let thing = api.parameter_source(deploy, "thing_id").expect("a source");
        assert!(matches!(thing, ParameterSource::Collection { .. }));
        assert_eq!(thing.reader().id, "listThings");
        let listed = json!({"things": {"thing": [{"id": 7}, {"id": 8}]}});
        assert_eq!(thing.values(&api, &listed), ["7", "8"]);

        let revision = api.parameter_source(deploy, "revision").expect("a source");
        assert!(matches!(revision, ParameterSource::Holder { .. }));
        assert_eq!(revision.reader().id, "getThing");
        let held = json!({"thing": {"id": 7, "revisions": {"revision": [1, 2]}}});
        assert_eq!(revision.values(&api, &held), ["1", "2"]);
        // A list of one, as real servers write it: the member itself.
        let one = json!({"thing": {"id": 7, "revisions": {"revision": 3}}});
        assert_eq!(revision.values(&api, &one), ["3"]);
        assert!(
            revision
                .values(&api, &json!({"thing": {"id": 7}}))
                .is_empty()
        );

        // The held relation names no member on its own: getThing starts no job.
        let get = api.operation("getThing").expect("in the spec");
        assert!(get.names.is_empty());
        let schema = get.answer_schema(200).expect("a schema");
        assert!(api.references(schema, &held).is_empty());
        assert!(api.identified(schema, &held).is_empty());
    }

    #[test]
    fn a_held_relation_needs_a_holder_that_answers_it() {
        let without_holder = HELD.replace("other-parameters: holder", "");
        let error = Api::from_yaml_str(&without_holder).expect_err("the relation lacks thing_id");
        assert!(error.to_string().contains("thing_id"), "{error}");
        let elsewhere = HELD.replace(
            "operationId: getRevisionText\n",
            "operationId: listThings\n",
        );
        assert!(Api::from_yaml_str(&elsewhere).is_err());
    }

    #[test]
    fn a_path_answering_one_wrapped_member_names_that_member() {
        let api = Api::from_yaml_str(
            r#"
openapi: 3.1.0
paths:
  /things:
    get:
      operationId: getRootThing
      responses:
        '200':
          description: ok
          content:
            application/vnd.thing+json;version=1:
              schema:
                type: object
                properties:
                  thing: {type: object, properties: {id: {type: integer}, name: {type: string}}}
"#,
        )
        .expect("the spec reads");
        let source = api
            .listing_source(&api.operations()[0])
            .expect("it names a member");
        assert!(matches!(
            source,
            ParameterSource::Wrapped {
                wrapper: "thing",
                ..
            }
        ));
        let answer = json!({"thing": {"id": 2, "name": "Global"}});
        assert_eq!(source.values(&api, &answer), ["2"]);
        assert!(source.values(&api, &json!({})).is_empty());
    }
}
