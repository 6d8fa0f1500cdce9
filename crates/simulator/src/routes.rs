//! The route table, derived from `Spec::operations()` at start-up: what each path and method
//! does is read from the operation's shape, not written per operation.
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

use junos_space_model::{HttpMethod, MediaType, Operation, SessionRole, Spec};
use serde_json::Value;

use crate::schema::properties;

/// Why the spec cannot be served.
#[derive(Debug, thiserror::Error)]
pub enum RouteError {
    #[error(transparent)]
    Spec(#[from] junos_space_model::SpecError),
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

/// A collection route: `store` listed as `{envelope: {count: n, member: [...]}}`.
#[derive(Debug, Clone)]
pub(crate) struct Listing {
    pub store: String,
    pub envelope: String,
    pub member: String,
    /// The envelope's count attribute (`@size`, `@total`).
    pub count: Option<String>,
    /// Field names of the members, for `filter` and `sortby`.
    pub fields: Vec<String>,
}

/// One request media type of a route (one client method), with what it answers.
#[derive(Debug, Clone)]
pub(crate) struct Variant {
    pub operation_id: String,
    /// The request `Content-Type`, parsed; `None` when the operation takes no body.
    pub content_type: Option<MediaType>,
    pub request_schema: Option<Value>,
    /// The `Accept` types that pair with this method: spec spelling and parsed.
    pub accept: Vec<(String, MediaType)>,
    /// The documented success status.
    pub success_status: u16,
    /// Response schema per success media type (spec spelling).
    pub success_schemas: HashMap<String, Value>,
    /// Every documented status with its first media type (if it has content).
    pub documented: Vec<(u16, Option<String>)>,
}

impl Variant {
    /// The documented media type for an error `status`, if the spec gives one.
    pub fn error_media_type(&self, status: u16) -> Option<&str> {
        self.documented
            .iter()
            .find(|(s, _)| *s == status)
            .and_then(|(_, media)| media.as_deref())
    }

    pub fn documents(&self, status: u16) -> bool {
        self.documented.iter().any(|(s, _)| *s == status)
    }
}

/// Everything served on one path template and method.
#[derive(Debug, Clone)]
pub(crate) struct Route {
    pub segments: Vec<Segment>,
    pub method: HttpMethod,
    pub behaviour: Behaviour,
    pub variants: Vec<Variant>,
}

impl Route {
    /// The path of the collection this route works on (`/device-management/devices`).
    pub fn collection_path(&self) -> String {
        let end = self
            .segments
            .iter()
            .rposition(|s| matches!(s, Segment::Parameter(_)))
            .unwrap_or(self.segments.len());
        render_path(&self.segments[..end])
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
    /// The member schema of each listed store (resolved), to build members from bodies.
    pub member_schemas: HashMap<String, Value>,
}

fn success_status(operation: &Operation) -> Option<u16> {
    operation
        .responses
        .iter()
        .filter(|r| r.is_success())
        .filter_map(|r| r.status.parse().ok())
        .min()
}

impl RouteTable {
    pub fn from_spec(spec: &Spec) -> Result<Self, RouteError> {
        let operations = spec.operations()?;
        let mut grouped: Vec<(String, HttpMethod, Vec<Operation>)> = Vec::new();
        for operation in operations {
            match grouped
                .iter_mut()
                .find(|(path, method, _)| *path == operation.path && *method == operation.method)
            {
                Some((_, _, list)) => list.push(operation),
                None => grouped.push((operation.path.clone(), operation.method, vec![operation])),
            }
        }

        // Collections first: their envelopes name the stores of every other route.
        let mut stores = HashMap::new();
        let mut lists = HashMap::new();
        let mut member_schemas = HashMap::new();
        for (path, method, operations) in &grouped {
            let has_parameter = path.contains('{');
            if *method != HttpMethod::Get || has_parameter {
                continue;
            }
            for operation in operations {
                if let Some(shape) = spec.answer_list_shape(operation) {
                    let (envelope, member, item) = (
                        shape.envelope.to_owned(),
                        shape.member.to_owned(),
                        shape.item,
                    );
                    let fields = properties(spec, item)
                        .into_iter()
                        .map(|(name, _)| name.to_owned())
                        .collect();
                    let count = shape.count.map(str::to_owned);
                    stores.insert(path.clone(), envelope.clone());
                    member_schemas.insert(envelope.clone(), item.clone());
                    lists.insert(path.clone(), (envelope, member, count, fields));
                }
            }
        }

        let mut routes = Vec::new();
        for (path, method, operations) in grouped {
            let segments = parse_template(&path);
            let first = &operations[0];
            let unsupported = |why: &str| RouteError::Unsupported {
                operation: first.operation_id.clone(),
                method: method.as_str(),
                path: path.clone(),
                why: why.to_owned(),
            };
            let status = success_status(first).ok_or_else(|| unsupported("no success status"))?;
            let last_is_parameter = matches!(segments.last(), Some(Segment::Parameter(_)));
            let has_parameter = segments.iter().any(|s| matches!(s, Segment::Parameter(_)));
            let mut route = Route {
                segments,
                method,
                behaviour: Behaviour::Get {
                    store: String::new(),
                },
                variants: Vec::new(),
            };
            let collection = route.collection_path();
            let store = stores
                .get(&collection)
                .cloned()
                .unwrap_or_else(|| collection.rsplit('/').next().unwrap_or_default().to_owned());
            route.behaviour = match (first.session, method) {
                (Some(role), _) => Behaviour::Session(role),
                _ if first.cancels_job => Behaviour::CancelJob { store },
                (None, HttpMethod::Get) if !has_parameter => {
                    let (envelope, member, count, fields) = lists
                        .get(&path)
                        .cloned()
                        .ok_or_else(|| unsupported("its 200 schema does not wrap an array"))?;
                    Behaviour::List(Listing {
                        store,
                        envelope,
                        member,
                        count,
                        fields,
                    })
                }
                (None, HttpMethod::Get) if last_is_parameter => Behaviour::Get { store },
                (None, HttpMethod::Get) => Behaviour::GetPart { store },
                (None, HttpMethod::Delete) if last_is_parameter => Behaviour::Delete {
                    store,
                    asynchronous: status == 202,
                },
                (None, HttpMethod::Post) if status == 202 => {
                    let adds_to = match &first.adds_member_to {
                        Some(target) => Some(stores.get(target).cloned().ok_or_else(|| {
                            unsupported(&format!(
                                "x-adds-member-to names {target}, which no collection GET lists"
                            ))
                        })?),
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
            route.variants = operations
                .iter()
                .map(|operation| variant(operation, status))
                .collect::<Result<_, _>>()
                .map_err(|why| unsupported(&why))?;
            routes.push(route);
        }
        Ok(Self {
            routes,
            member_schemas,
        })
    }
}

fn variant(operation: &Operation, success_status: u16) -> Result<Variant, String> {
    let parse = |text: &str| MediaType::parse(text).map_err(|e| e.to_string());
    let content_type = operation.content_type().map(parse).transpose()?;
    let accept = operation
        .accept
        .iter()
        .map(|text| Ok((text.clone(), parse(text)?)))
        .collect::<Result<_, String>>()?;
    let mut success_schemas = HashMap::new();
    let mut documented = Vec::new();
    for response in &operation.responses {
        let Ok(status) = response.status.parse::<u16>() else {
            continue;
        };
        documented.push((
            status,
            response.content.first().map(|c| c.media_type.clone()),
        ));
        if status == success_status {
            for content in &response.content {
                if let Some(schema) = &content.schema {
                    success_schemas.insert(content.media_type.clone(), schema.clone());
                }
            }
        }
    }
    Ok(Variant {
        operation_id: operation.operation_id.clone(),
        content_type,
        request_schema: operation
            .request_body
            .as_ref()
            .and_then(|b| b.schema.clone()),
        accept,
        success_status,
        success_schemas,
        documented,
    })
}
