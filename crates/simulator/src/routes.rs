//! The route table, derived from the model's operations at start-up: what each path and
//! method does is read from the operation's shape, not written per operation.
//!
//! | Shape | Behaviour |
//! |---|---|
//! | `GET` on a path without parameters whose 200 schema wraps an array | list a collection |
//! | `GET` on a path ending in `{x_id}` | read one member |
//! | `GET` on a path with `{x_id}` inside (`.../{device_id}/configurations/raw`) | read a part of a member |
//! | `DELETE` on a path ending in `{x_id}` | remove a member (as a job when it answers 202) |
//! | `POST` answering 202 | start a job; on a member path the member must exist; success adds a member where `x-adds-member-to` says |
//! | any operation with `x-session` | open, end or report on a login session |
//! | any operation with `x-cancels-job` | cancel the job the path names while it waits for its schedule (412 after) |
//!
//! A collection's store is named by its list envelope (`devices`, `cli-configlets`), or, where the
//! spec lists no collection (software packages), by the path's last segment.

use std::collections::HashMap;

use junos_space_model::Api;
use junos_space_model::api::{Collection, HttpMethod, Operation, SchemaId, SessionRole};

/// Why the spec cannot be served.
#[derive(Debug, thiserror::Error)]
pub enum RouteError {
    #[error(
        "{operation} ({method} {path}) has a shape the simulator does not serve: {why}; \
         supported: collection GET, member GET/DELETE, member-part GET, POST answering 202, \
         x-session, x-cancels-job"
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
    /// One member of `store`, as the response schema has it.
    Get { store: String },
    /// A part of one member, built from the response schema and the member's fields.
    GetPart { store: String },
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
    Session(SessionRole),
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

/// Everything served on one path template and method.
#[derive(Debug, Clone)]
pub(crate) struct Route {
    pub segments: Vec<Segment>,
    pub method: HttpMethod,
    pub behaviour: Behaviour,
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

    /// The path of the collection this route works on (`/device-management/devices`).
    pub fn collection_path(&self) -> String {
        collection_path(&self.segments)
    }

    /// Matches `path` (below the base path); returns the value of the last path parameter.
    pub fn matches<'p>(&self, path: &[&'p str]) -> Option<Option<&'p str>> {
        if path.len() != self.segments.len() {
            return None;
        }
        let mut parameter = None;
        for (segment, actual) in self.segments.iter().zip(path) {
            match segment {
                Segment::Literal(literal) if literal == actual => {}
                Segment::Literal(_) => return None,
                Segment::Parameter(_) => parameter = Some(*actual),
            }
        }
        Some(parameter)
    }
}

/// The path of the collection a path template works on: up to its last parameter.
fn collection_path(segments: &[Segment]) -> String {
    let end = segments
        .iter()
        .rposition(|s| matches!(s, Segment::Parameter(_)))
        .unwrap_or(segments.len());
    render_path(&segments[..end])
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

        // Collections first: their envelopes name the stores of every other route.
        let mut stores: HashMap<&str, String> = HashMap::new();
        let mut lists: HashMap<&str, &Collection> = HashMap::new();
        let mut member_schemas = HashMap::new();
        for (path, method, operations) in &grouped {
            if *method != HttpMethod::Get || path.contains('{') {
                continue;
            }
            for collection in operations.iter().filter_map(|o| o.collection.as_ref()) {
                stores.insert(path, collection.envelope.clone());
                member_schemas.insert(collection.envelope.clone(), collection.item);
                lists.insert(path, collection);
            }
        }

        let mut routes = Vec::new();
        for (path, method, operations) in &grouped {
            let (path, method) = (*path, *method);
            let segments = parse_template(path);
            let first = operations[0];
            let unsupported = |why: &str| RouteError::Unsupported {
                operation: first.id.clone(),
                method: method.as_str(),
                path: path.to_owned(),
                why: why.to_owned(),
            };
            let success = first
                .success_code()
                .ok_or_else(|| unsupported("no success status"))?;
            let last_is_parameter = matches!(segments.last(), Some(Segment::Parameter(_)));
            let has_parameter = segments.iter().any(|s| matches!(s, Segment::Parameter(_)));
            let collection_path = collection_path(&segments);
            let store = stores
                .get(collection_path.as_str())
                .cloned()
                .unwrap_or_else(|| {
                    collection_path
                        .rsplit('/')
                        .next()
                        .unwrap_or_default()
                        .to_owned()
                });
            let behaviour = match (first.session, method) {
                (Some(role), _) => Behaviour::Session(role),
                _ if first.cancels_job => Behaviour::CancelJob { store },
                (None, HttpMethod::Get) if !has_parameter => {
                    let collection = lists
                        .get(path)
                        .copied()
                        .cloned()
                        .ok_or_else(|| unsupported("its 200 schema does not wrap an array"))?;
                    Behaviour::List(Listing { store, collection })
                }
                (None, HttpMethod::Get) if last_is_parameter => Behaviour::Get { store },
                (None, HttpMethod::Get) => Behaviour::GetPart { store },
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
                        store,
                        on_member: has_parameter,
                        adds_to,
                    }
                }
                _ => return Err(unsupported("not one of the shapes below")),
            };
            routes.push(Route {
                segments,
                method,
                behaviour,
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
