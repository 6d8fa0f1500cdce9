//! The route table, derived from the model's operations at start-up: what each path and
//! method does is read from the operation's shape, not written per operation.
//!
//! | Shape | Behaviour |
//! |---|---|
//! | `GET` whose 200 schema wraps an array (a collection path) | list a collection |
//! | `GET` on a path without parameters whose answer is no collection | the service's document: the spec's example of its answer |
//! | `GET` on a path ending in `{x_id}` | read one member |
//! | `GET` on a path with `{x_id}` inside (`.../{device_id}/configurations/raw`) | read a part of a member |
//! | `POST` answering without a job on a path whose `GET` reads a part of a member | a query of that part (an XPath selection): answered as the part is, nothing changes |
//! | `POST` on a collection path, answering without a job | add the member(s) the body holds, and answer them |
//! | `POST` answering without a job on a path that no `GET` serves (a comparison, a search, an association, a password change) | a computation from the body: the spec's example of its answer, nothing changes; below a member, that member must exist |
//! | `PUT` on a path ending in `{x_id}` | change the member's fields the body holds, and answer the member |
//! | `PUT` on a path whose `GET` reads a document or a part of a member (a settings document, an application's settings) | store the new copy, the body's fields over the current copy's; the `GET` serves the stored copy from then on |
//! | `DELETE` on a path ending in `{x_id}` | remove a member (as a job when it answers 202) |
//! | `POST` answering 202 | start a job; on a member path the member must exist; success adds a member where `x-adds-member-to` says |
//! | any operation with `x-session` | open, end or report on a login session |
//! | any operation with `x-cancels-job` | cancel the job the path names while it waits for its schedule (412 after) |
//!
//! A collection's store is named by its list envelope (`devices`, `cli-configlets`), or, where the
//! spec lists no collection (software packages), by the path's last segment. A collection below
//! a member (a tag's `/tag-management/tags/{tag_id}/targets`) has one store per member above it,
//! named by its path with those members' ids filled in
//! (`/tag-management/tags/655361/targets`); every member a path names above the one a route
//! works on must exist (404 otherwise).
//!
//! A path parameter whose values no collection lists but the answer of the member above holds
//! (`Api::parameter_source`: a template's version numbers, `{template_version}`) names no
//! member of its own: the route works on the member above, and the value must be one that
//! member's answer lists (404 otherwise).

use std::collections::HashMap;

use junos_space_model::Api;
use junos_space_model::api::{
    Collection, HttpMethod, Operation, ParameterLocation, ParameterSource, SchemaId, SessionRole,
};

/// Why the spec cannot be served.
#[derive(Debug, thiserror::Error)]
pub enum RouteError {
    #[error(
        "{operation} ({method} {path}) has a shape the simulator does not serve: {why}; \
         supported: collection GET, document GET, member GET/PUT/DELETE, member-part GET, PUT \
         of a document or a member part, POST adding to a collection, POST querying a member part, POST computing from its body, \
         POST answering 202, x-session, x-cancels-job"
    )]
    Unsupported {
        operation: String,
        method: &'static str,
        path: String,
        why: String,
    },
}

/// One segment of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    Literal(String),
    Parameter(String),
}

/// What a route does with the in-memory state.
#[derive(Debug, Clone)]
pub(crate) enum Behaviour {
    /// Lists a collection.
    List(Listing),
    /// The service's document, which no state changes: the spec's example of the answer in
    /// the negotiated type.
    Document,
    /// A computation from a well-formed body that changes nothing (two configuration versions
    /// compared, configlets found by context, a user's password changed): the simulator keeps
    /// nothing to compute it from, so it answers the spec's example in the negotiated type.
    /// On a path below a member (a profile associated with a domain), `member_store` is that
    /// member's store: the member must exist (404 otherwise), as for every other call on it.
    Computation { member_store: Option<String> },
    /// One member of `store`, as the response schema has it.
    Get { store: String },
    /// Adds the members the body holds to `store` (the collection at the route's path), and
    /// answers them as the response schema has them.
    Create { store: String },
    /// Changes the fields the body holds of one member of `store`, and answers the member.
    Update { store: String },
    /// A part of one member, built from the response schema and the member's fields; also
    /// a POST that queries that part (its body selects, nothing changes).
    GetPart { store: String },
    /// Stores a new copy of the document or member part a `GET` of the same path reads (a
    /// settings document, an application's settings): the body's fields over the current
    /// copy's. On a member's part (`on_member`) the member, of `store`, must exist.
    Replace { store: String, on_member: bool },
    /// Removes one member; as a job when `asynchronous`.
    Delete { store: String, asynchronous: bool },
    /// Starts a job. On a member path the member must exist; a successful job adds a member
    /// built from the request body to `adds_to` (the store `x-adds-member-to` names).
    StartJob {
        store: String,
        on_member: bool,
        adds_to: Option<String>,
    },
    /// Opens, ends or reports on a login session (`x-session`).
    Session(SessionCall),
    /// Cancels the job of `store` that the path names, while it waits (`x-cancels-job`).
    CancelJob { store: String },
}

/// A collection route: `store`, answered in the model's collection shape.
#[derive(Debug, Clone)]
pub(crate) struct Listing {
    pub store: String,
    /// Envelope, member list, member schema and count attribute of the answer.
    pub collection: Collection,
}

/// A member a route's path names above the one it works on (a target's tag): it must exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Parent {
    /// The path parameter that names it (`tag_id`).
    pub parameter: String,
    /// The store of its collection, as a [`Route`]'s stores are named.
    pub store: String,
}

/// Everything served on one path template and method.
#[derive(Debug, Clone)]
pub(crate) struct Route {
    pub segments: Vec<Segment>,
    pub method: HttpMethod,
    pub behaviour: Behaviour,
    /// How many segments the path of the collection the route works on has: the whole path
    /// for a collection route, up to the last parameter for a member route.
    pub collection_end: usize,
    /// The members the path names above the one the route works on, outermost first.
    pub parents: Vec<Parent>,
    /// The store of the collection the route works on (its name's parameters unfilled).
    pub store: String,
    /// The path parameters whose values the answer of the member above lists rather than a
    /// collection (`template_version`): the route works on that member.
    pub held: Vec<String>,
    /// The client methods served here, one per request media type; never empty.
    pub operations: Vec<Operation>,
    /// The documented success status, the same for every one of them.
    pub success: u16,
}

impl Route {
    /// The operation that answers for the route while the request has not chosen one (by its
    /// `Content-Type`): the first.
    pub fn first(&self) -> &Operation {
        &self.operations[0]
    }

    /// The path template of the collection this route works on (`/device-management/devices`,
    /// `/tag-management/tags/{tag_id}/targets`).
    pub fn collection_path(&self) -> String {
        render_path(&self.segments[..self.collection_end])
    }

    /// The path of the collection this route works on, its parameters filled from `values`
    /// (`/tag-management/tags/655361/targets`).
    pub fn collection_path_of(&self, values: &[(&str, &str)]) -> String {
        fill(&self.collection_path(), values)
    }

    /// The path parameter naming the member the route works on, if it works on one: the one
    /// that ends its collection's path.
    pub fn member_parameter(&self) -> Option<&str> {
        match self.segments.get(self.collection_end) {
            Some(Segment::Parameter(name)) => Some(name),
            _ => None,
        }
    }

    /// The route's own path, its parameters filled from `values`
    /// (`/script-management/scripts/393217/contents`).
    pub fn path_of(&self, values: &[(&str, &str)]) -> String {
        fill(&render_path(&self.segments), values)
    }

    /// Matches `path` (below the base path); returns the value of each path parameter, by
    /// name, in the path's order.
    /// The base path this route's path sits below: the document's (`/api/space`), or its
    /// path item's own server's (Security Director's `/api/juniper`).
    pub fn base_path(&self) -> &str {
        &self.first().base_path
    }

    /// The path parameters of a whole path's `segments` (its base path's first), when this
    /// route serves it.
    pub fn matches_whole<'r, 'p>(
        &'r self,
        segments: &[&'p str],
    ) -> Option<Vec<(&'r str, &'p str)>> {
        let mut rest = segments;
        for base in self.base_path().split('/').filter(|s| !s.is_empty()) {
            let (first, after) = rest.split_first()?;
            if *first != base {
                return None;
            }
            rest = after;
        }
        self.matches(rest)
    }

    pub fn matches<'r, 'p>(&'r self, path: &[&'p str]) -> Option<Vec<(&'r str, &'p str)>> {
        if path.len() != self.segments.len() {
            return None;
        }
        let mut values = Vec::new();
        for (segment, actual) in self.segments.iter().zip(path) {
            match segment {
                Segment::Literal(literal) if literal == actual => {}
                Segment::Literal(_) => return None,
                Segment::Parameter(name) => values.push((name.as_str(), *actual)),
            }
        }
        Some(values)
    }
}

/// One of the session's own calls: what the simulator does for `x-session` but `within`,
/// whose operations are served as any other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SessionCall {
    Login,
    Logout,
    Status,
}

impl SessionCall {
    fn of(role: SessionRole) -> Option<Self> {
        match role {
            SessionRole::Opens => Some(Self::Login),
            SessionRole::Ends => Some(Self::Logout),
            SessionRole::Reports => Some(Self::Status),
            SessionRole::Within => None,
        }
    }
}

/// `template` with each `{name}` replaced by its value in `values`; a store's name fills in
/// the members above a nested collection (a top-level store's name has no parameter).
pub(crate) fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(template.to_owned(), |filled, (name, value)| {
            filled.replace(&format!("{{{name}}}"), value)
        })
}

/// How many segments the collection a member path works on has: up to its last parameter that
/// is not `held` (a parameter whose values the member above lists names no member of its own).
fn member_collection_end(segments: &[Segment], held: &[String]) -> usize {
    segments
        .iter()
        .rposition(|s| matches!(s, Segment::Parameter(name) if !held.contains(name)))
        .unwrap_or(segments.len())
}

/// The collection of the member a job started on a path with parameters acts on: the path
/// up to its last parameter. A job started on a collection below a member (assigning a device
/// to a domain, `POST /domain-management/domains/{domain_id}/devices`) acts on that member, as
/// one started on any other path below it (`.../packages/{package_id}/exec-deploy`) does.
fn job_member_collection(segments: &[Segment], held: &[String]) -> String {
    render_path(&segments[..member_collection_end(segments, held)])
}

fn render_path(segments: &[Segment]) -> String {
    segments
        .iter()
        .map(|s| match s {
            Segment::Literal(l) => format!("/{l}"),
            Segment::Parameter(p) => format!("/{{{p}}}"),
        })
        .collect()
}

fn parse_template(template: &str) -> Vec<Segment> {
    template
        .split('/')
        .filter(|s| !s.is_empty())
        .map(
            |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => Segment::Parameter(name.to_owned()),
                None => Segment::Literal(s.to_owned()),
            },
        )
        .collect()
}

/// All routes of a spec.
#[derive(Debug, Clone)]
pub(crate) struct RouteTable {
    pub routes: Vec<Route>,
    /// The member schema of each listed store, to build members from bodies.
    pub member_schemas: HashMap<String, SchemaId>,
}

impl RouteTable {
    pub fn from_api(api: &Api) -> Result<Self, RouteError> {
        let mut grouped: Vec<(&str, HttpMethod, Vec<&Operation>)> = Vec::new();
        for operation in api.operations() {
            match grouped
                .iter_mut()
                .find(|(path, method, _)| *path == operation.path && *method == operation.method)
            {
                Some((_, _, list)) => list.push(operation),
                None => grouped.push((&operation.path, operation.method, vec![operation])),
            }
        }

        // Collections first: their envelopes name the stores of every other route; a
        // collection below a member is named by its path, one store per member above it.
        let mut stores: HashMap<&str, String> = HashMap::new();
        let mut lists: HashMap<&str, &Collection> = HashMap::new();
        let mut member_schemas = HashMap::new();
        for (path, method, operations) in &grouped {
            if *method != HttpMethod::Get {
                continue;
            }
            // A collection below its own server (Security Director's `devices`,
            // `change-requests`) is named by its path too: its envelope may name one of the
            // document's.
            let own_server = operations[0].base_path != api.base_path();
            for collection in operations.iter().filter_map(|o| o.collection.as_ref()) {
                let store = if path.contains('{') || own_server {
                    (*path).to_owned()
                } else {
                    collection.envelope.clone()
                };
                stores.insert(path, store.clone());
                member_schemas.insert(store, collection.item);
                lists.insert(path, collection);
            }
        }
        // A collection no GET lists is named by its last segment, or, below its own server,
        // by its path, as a listed one there is.
        let store_of = |collection_path: &str, own_server: bool| {
            stores.get(collection_path).cloned().unwrap_or_else(|| {
                let last = collection_path.rsplit('/').next().unwrap_or_default();
                if own_server { collection_path } else { last }.to_owned()
            })
        };

        let mut routes = Vec::new();
        for (path, method, operations) in &grouped {
            let (path, method) = (*path, *method);
            let segments = parse_template(path);
            let first = operations[0];
            // A document or a computation is served from its answer's example.
            let answer_lacks_example = || {
                first
                    .successes()
                    .flat_map(|response| &response.contents)
                    .any(|content| content.example.is_none())
            };
            let unsupported = |why: &str| RouteError::Unsupported {
                operation: first.id.clone(),
                method: method.as_str(),
                path: path.to_owned(),
                why: why.to_owned(),
            };
            let success = first
                .success_code()
                .ok_or_else(|| unsupported("no success status"))?;
            let held: Vec<String> = first
                .parameters_in(ParameterLocation::Path)
                .filter(|parameter| {
                    matches!(
                        api.parameter_source(first, &parameter.name),
                        Some(ParameterSource::Holder { .. })
                    )
                })
                .map(|parameter| parameter.name.clone())
                .collect();
            let last_is_parameter = matches!(segments.last(), Some(Segment::Parameter(_)));
            let has_parameter = segments.iter().any(|s| matches!(s, Segment::Parameter(_)));
            // A collection path works on the collection; any other on the member its last
            // parameter names, in the collection up to it.
            let listed = lists.get(path).copied();
            let collection_end = match listed {
                Some(_) => segments.len(),
                None => member_collection_end(&segments, &held),
            };
            let own_server = first.base_path != api.base_path();
            let store_of = |collection_path: &str| store_of(collection_path, own_server);
            let store = store_of(&render_path(&segments[..collection_end]));
            let route_store = store.clone();
            let parents = segments[..collection_end]
                .iter()
                .enumerate()
                .filter_map(|(at, segment)| match segment {
                    Segment::Parameter(name) if !held.contains(name) => Some(Parent {
                        parameter: name.clone(),
                        store: store_of(&render_path(&segments[..at])),
                    }),
                    Segment::Parameter(_) | Segment::Literal(_) => None,
                })
                .collect();
            let takes_body = first.request.is_some();
            // An operation that only works in the session (`within`) is served as any other.
            let behaviour = match (first.session.and_then(SessionCall::of), method) {
                (Some(call), _) => Behaviour::Session(call),
                _ if first.cancels_job => Behaviour::CancelJob { store },
                (None, HttpMethod::Get) if listed.is_some() => {
                    let collection = listed.cloned().expect("listed");
                    Behaviour::List(Listing { store, collection })
                }
                (None, HttpMethod::Get) if !has_parameter => {
                    if answer_lacks_example() {
                        return Err(unsupported(
                            "a GET of a path without parameters whose answer is no collection \
                             is a document, and its answer needs an example to serve",
                        ));
                    }
                    Behaviour::Document
                }
                (None, HttpMethod::Get) if last_is_parameter => Behaviour::Get { store },
                (None, HttpMethod::Get) => Behaviour::GetPart { store },
                (None, HttpMethod::Put) if last_is_parameter && takes_body => {
                    Behaviour::Update { store }
                }
                // A PUT where a GET of the same path reads a document or a member's part (no
                // collection) replaces that document.
                (None, HttpMethod::Put)
                    if !last_is_parameter
                        && takes_body
                        && listed.is_none()
                        && grouped
                            .iter()
                            .any(|(p, m, _)| *p == path && *m == HttpMethod::Get) =>
                {
                    Behaviour::Replace {
                        store,
                        on_member: has_parameter,
                    }
                }
                (None, HttpMethod::Delete) if last_is_parameter => Behaviour::Delete {
                    store,
                    asynchronous: success == 202,
                },
                (None, HttpMethod::Post) if success == 202 => {
                    let adds_to = match &first.adds_member_to {
                        Some(target) => {
                            Some(stores.get(target.as_str()).cloned().ok_or_else(|| {
                                let why = "which no collection GET lists";
                                unsupported(&format!("x-adds-member-to names {target}, {why}"))
                            })?)
                        }
                        None => None,
                    };
                    Behaviour::StartJob {
                        store: if has_parameter {
                            store_of(&job_member_collection(&segments, &held))
                        } else {
                            store
                        },
                        on_member: has_parameter,
                        adds_to,
                    }
                }
                (None, HttpMethod::Post) if listed.is_some() && takes_body => {
                    Behaviour::Create { store }
                }
                // A POST that starts no job where a GET of the same path reads a part of a
                // member (`.../configurations/raw` with XPaths) queries that part.
                (None, HttpMethod::Post)
                    if listed.is_none()
                        && has_parameter
                        && !last_is_parameter
                        && grouped
                            .iter()
                            .any(|(p, m, _)| *p == path && *m == HttpMethod::Get) =>
                {
                    Behaviour::GetPart { store }
                }
                // A POST that starts no job on a path no GET serves computes its answer from
                // the body (`versions-diff`, `cli-configlets-by-context`).
                (None, HttpMethod::Post)
                    if listed.is_none()
                        && takes_body
                        && !grouped
                            .iter()
                            .any(|(p, m, _)| *p == path && *m == HttpMethod::Get) =>
                {
                    if answer_lacks_example() {
                        return Err(unsupported(
                            "a POST starting no job on a path no GET serves is a computation, \
                             and its answer needs an example to serve",
                        ));
                    }
                    Behaviour::Computation {
                        member_store: has_parameter.then_some(store),
                    }
                }
                // A POST without a body on a path below a member that no GET serves acts
                // on that member and answers its example (Security Director's lock and
                // unlock).
                (None, HttpMethod::Post)
                    if listed.is_none()
                        && !takes_body
                        && has_parameter
                        && !last_is_parameter
                        && !grouped
                            .iter()
                            .any(|(p, m, _)| *p == path && *m == HttpMethod::Get) =>
                {
                    if answer_lacks_example() {
                        return Err(unsupported(
                            "a POST without a body below a member acts on it, and its answer \
                             needs an example to serve",
                        ));
                    }
                    Behaviour::Computation {
                        member_store: Some(store),
                    }
                }
                _ => return Err(unsupported("not one of the shapes below")),
            };
            routes.push(Route {
                segments,
                method,
                behaviour,
                collection_end,
                parents,
                store: route_store,
                held,
                operations: operations.iter().copied().cloned().collect(),
                success,
            });
        }
        Ok(Self {
            routes,
            member_schemas,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A spec with a member collection, a collection below each member, a job started on
    /// that collection, as assigning a device to a domain is, and an association no GET
    /// reads, as associating a profile with a domain is.
    const NESTED_JOB: &str = r#"
openapi: 3.1.0
paths:
  /things/{thing_id}/labels:
    post:
      operationId: labelThing
      parameters:
        - {name: thing_id, in: path, required: true, schema: {type: integer}}
      requestBody:
        required: true
        content:
          application/vnd.label-ref+json;version=1:
            schema: {type: object, properties: {label: {type: object, properties: {id: {type: integer}}}}}
      responses:
        '204':
          description: labelled
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
              schema: {type: object, properties: {thing: {type: object, properties: {id: {type: integer}}}}}
  /things/{thing_id}/parts:
    get:
      operationId: listParts
      parameters:
        - {name: thing_id, in: path, required: true, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/vnd.parts+json;version=1:
              schema:
                type: object
                properties:
                  parts:
                    type: object
                    properties:
                      part: {type: array, items: {type: object, properties: {id: {type: integer}}}}
    post:
      operationId: assignPart
      parameters:
        - {name: thing_id, in: path, required: true, schema: {type: integer}}
      requestBody:
        required: true
        content:
          application/vnd.part-ref+json;version=1:
            schema: {type: object, properties: {part: {type: object, properties: {id: {type: integer}}}}}
      responses:
        '202':
          description: job
          content:
            application/vnd.task+json;version=1:
              schema: {type: object, properties: {task: {type: object, properties: {id: {type: integer}}}}}
"#;

    #[test]
    fn a_job_started_on_a_collection_below_a_member_acts_on_that_member() {
        let api = Api::from_yaml_str(NESTED_JOB).expect("the spec reads");
        let table = RouteTable::from_api(&api).expect("the spec is served");
        let route = table
            .routes
            .iter()
            .find(|r| r.first().id == "assignPart")
            .expect("the POST route");
        match &route.behaviour {
            Behaviour::StartJob {
                store, on_member, ..
            } => {
                assert_eq!(store, "things");
                assert!(on_member);
            }
            other => panic!("a job, not {other:?}"),
        }
        assert_eq!(route.parents.len(), 1, "the member above must exist");
    }

    #[test]
    fn an_association_below_a_member_needs_that_member() {
        let api = Api::from_yaml_str(NESTED_JOB).expect("the spec reads");
        let table = RouteTable::from_api(&api).expect("the spec is served");
        let route = table
            .routes
            .iter()
            .find(|r| r.first().id == "labelThing")
            .expect("the association's route");
        match &route.behaviour {
            Behaviour::Computation { member_store } => {
                assert_eq!(member_store.as_deref(), Some("things"));
            }
            other => panic!("a computation, not {other:?}"),
        }
    }
}
