//! Reading the document into the model, and every check a consumer relies on: operationIds
//! present and unique, statuses that are statuses, media types well formed and JSON (or plain
//! text answers), `x-operation-id` / `x-accept` on multi-type bodies, schemas in the supported
//! subset, and the extensions' relations naming what exists.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value};

use super::operation::{
    AddsMembers, Content, HttpMethod, LockRole, Operation, Parameter, ParameterLocation,
    RemovesMembers, RequestBody, Response, SessionRole, Status,
};
use super::provenance::DecisionsNamed;
use super::schema::{SchemaId, SchemaReader, local_target, read_provenance};
use super::{Api, Info, Kind};
use crate::{
    MediaType, SpecError, X_ACCEPT, X_ADDS_MEMBER_TO, X_ADDS_MEMBERS, X_ALSO_ACCEPTS,
    X_CANCELS_JOB, X_LISTED_BY, X_LOCK, X_OPERATION_ID, X_REMOVES_MEMBERS, X_SESSION, pointer,
};

const MODELLED_MEDIA_TYPES: &str = "only JSON is modelled (application/json or a vendor \
     `+json` type), and `text/plain` answers; list other types in spec/README.md as known but \
     not modelled";

/// How many `$ref` hops are followed before a chain is called a cycle.
const MAX_REF_HOPS: usize = 32;

pub(crate) fn read(document: Value) -> Result<Api, SpecError> {
    if !document.is_object() {
        return Err(SpecError::at(
            "",
            "the document is not a mapping",
            "an OpenAPI document starts with `openapi:`, `info:` and `paths:`",
        ));
    }
    check_prose(&document, "")?;
    let mut decisions = DecisionsNamed::new();
    let mut reader = Reader {
        document: &document,
        schemas: SchemaReader::new(&document, &mut decisions),
    };
    reader.schemas.read_components()?;
    let base_path = document
        .pointer("/servers/0/url")
        .and_then(Value::as_str)
        .map(url_path)
        .unwrap_or_default();
    let mut operations = reader.operations(&base_path)?;
    let schemas = reader.schemas.finish();
    let text = |at: &str| {
        document
            .pointer(at)
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let info = Info {
        title: text("/info/title").unwrap_or_default(),
        description: text("/info/description"),
        version: text("/info/version").unwrap_or_default(),
    };
    let mut api = Api {
        document: Value::Null,
        base_path,
        info,
        operations: Vec::new(),
        schemas,
        decisions,
    };
    let success_schemas = |operation: &Operation| -> Vec<SchemaId> {
        operation
            .successes()
            .flat_map(|r| &r.contents)
            .filter_map(|c| c.schema)
            .collect()
    };
    for operation in &mut operations {
        operation.collection = success_schemas(operation)
            .iter()
            .find_map(|schema| api.collection_of(*schema));
    }
    // What a success answer names is a member it is about (a task names its job); a value
    // naming the holder of a collection (a rule's rule group) is a reference, not that.
    let listers: Vec<String> = operations
        .iter()
        .filter(|o| o.collection.is_some())
        .map(|o| o.id.clone())
        .collect();
    for operation in &mut operations {
        operation.names = Vec::new();
        for schema in success_schemas(operation) {
            for id in api.identifiable(schema) {
                if !operation.names.contains(&id) && !listers.contains(&id) {
                    operation.names.push(id);
                }
            }
        }
    }
    api.operations = operations;
    check_relations(&api)?;
    api.document = document;
    Ok(api)
}

/// Every `description` and `summary` is prose the generated client's documentation carries:
/// an `<id>` there outside a code span (backticks) reads as an HTML tag, which rustdoc
/// refuses, so it is named here, where it stands, before anything is generated.
fn check_prose(value: &Value, at: &str) -> Result<(), SpecError> {
    match value {
        Value::Object(members) => {
            for (key, member) in members {
                let member_at = pointer::join(at, key);
                match (key.as_str(), member) {
                    ("description" | "summary", Value::String(text)) => {
                        if let Some(tag) = tag_outside_code(text) {
                            return Err(SpecError::at(
                                member_at,
                                format!(
                                    "`{tag}` reads as an HTML tag in the generated documentation"
                                ),
                                "write it as code, between backticks",
                            ));
                        }
                    }
                    _ => check_prose(member, &member_at)?,
                }
            }
            Ok(())
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, item)| check_prose(item, &pointer::join(at, &i.to_string()))),
        _ => Ok(()),
    }
}

/// The first `<name...>` of `text` outside its code spans.
fn tag_outside_code(text: &str) -> Option<&str> {
    text.split('`').step_by(2).find_map(|prose| {
        prose.match_indices('<').find_map(|(open, _)| {
            let rest = &prose[open..];
            let tag = &rest[..=rest.find('>')?];
            let named = tag[1..]
                .trim_start_matches('/')
                .starts_with(|c: char| c.is_ascii_alphabetic());
            (named && !tag[1..].contains('<')).then_some(tag)
        })
    })
}

/// The path of a server URL, without a trailing `/`.
fn url_path(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    after_scheme.find('/').map_or(String::new(), |at| {
        after_scheme[at..].trim_end_matches('/').to_owned()
    })
}

/// The base path a path item's own `servers` give its operations (Security Director's
/// `/api/juniper`): every URL of the list must name the same one.
fn own_base_path(servers: &Value, at: &str) -> Result<String, SpecError> {
    let urls: Vec<&str> = servers
        .as_array()
        .and_then(|list| {
            list.iter()
                .map(|server| server.get("url").and_then(Value::as_str))
                .collect::<Option<Vec<_>>>()
        })
        .filter(|urls| !urls.is_empty())
        .ok_or_else(|| {
            SpecError::at(
                at,
                "a path item's `servers` must be a non-empty list of servers with a `url`",
                "write `servers: [{url: https://{space_server}/api/juniper}]`",
            )
        })?;
    let base = url_path(urls[0]);
    if let Some(i) = urls.iter().position(|url| url_path(url) != base) {
        return Err(SpecError::at(
            pointer::join(&pointer::join(at, &i.to_string()), "url"),
            format!(
                "`{}` does not have the path of the first server, `{base}`",
                urls[i]
            ),
            "the operations of a path item have one base path: give every server the same",
        ));
    }
    Ok(base)
}

struct Reader<'d> {
    document: &'d Value,
    schemas: SchemaReader<'d>,
}

impl<'d> Reader<'d> {
    fn operations(&mut self, document_base: &str) -> Result<Vec<Operation>, SpecError> {
        let Some(paths) = self.document.get("paths").and_then(Value::as_object) else {
            return Err(SpecError::at(
                "/paths",
                "the document has no `paths` mapping",
                "add the API's paths",
            ));
        };
        let mut operations = Vec::new();
        for (path, item) in paths {
            let item_pointer = pointer::from_tokens(["paths", path.as_str()]);
            let item = item
                .as_object()
                .ok_or_else(|| SpecError::at(&item_pointer, "a path item must be a mapping", ""))?;
            for key in item.keys() {
                let known = HttpMethod::from_key(key).is_some()
                    || ["parameters", "summary", "description", "servers"].contains(&key.as_str());
                if !known {
                    return Err(SpecError::at(
                        pointer::join(&item_pointer, key),
                        format!("`{key}` is not read in a path item"),
                        "a path item holds methods (get, post, ...) and `parameters`; \
                         references to path items are not supported",
                    ));
                }
            }
            let base_path = match item.get("servers") {
                None => document_base.to_owned(),
                Some(servers) => own_base_path(servers, &pointer::join(&item_pointer, "servers"))?,
            };
            let shared = match item.get("parameters") {
                Some(list) => self.parameters(list, &pointer::join(&item_pointer, "parameters"))?,
                None => Vec::new(),
            };
            for (key, operation) in item {
                let Some(method) = HttpMethod::from_key(key) else {
                    continue;
                };
                let at = pointer::join(&item_pointer, key);
                let methods = self.methods_of(path, method, operation, &at, &shared)?;
                operations.extend(methods.into_iter().map(|mut method| {
                    method.base_path.clone_from(&base_path);
                    method
                }));
            }
        }
        let mut seen: HashMap<&str, &str> = HashMap::new();
        for op in &operations {
            if let Some(first) = seen.insert(&op.id, &op.id_pointer) {
                return Err(SpecError::at(
                    &op.id_pointer,
                    format!(
                        "duplicate operationId `{}`, first declared at #{first}",
                        op.id
                    ),
                    "every operationId (and x-operation-id) must be unique: rename one",
                ));
            }
        }
        Ok(operations)
    }

    /// The one or more client methods of the operation at `at`.
    fn methods_of(
        &mut self,
        path: &str,
        method: HttpMethod,
        operation: &Value,
        at: &str,
        shared: &[Parameter],
    ) -> Result<Vec<Operation>, SpecError> {
        let object = operation
            .as_object()
            .ok_or_else(|| SpecError::at(at, "an operation must be a mapping", ""))?;
        let text = |key: &str| object.get(key).and_then(Value::as_str).map(str::to_owned);
        let id = text("operationId")
            .filter(|id| !id.is_empty())
            .ok_or_else(|| {
                SpecError::at(
                    at,
                    "the operation has no operationId",
                    "give every operation an operationId: it names the generated method",
                )
            })?;
        let mut parameters = shared.to_vec();
        if let Some(list) = object.get("parameters") {
            for own in self.parameters(list, &pointer::join(at, "parameters"))? {
                // An operation's parameter replaces a path-level one of the same name and place.
                parameters.retain(|p| !(p.name == own.name && p.location == own.location));
                parameters.push(own);
            }
        }
        check_path_parameters(path, &parameters, at)?;

        let responses = self.responses(object, at)?;
        // What the success responses may carry, each media type once, in document order.
        let mut success_types: Vec<Content> = Vec::new();
        for content in responses
            .iter()
            .filter(|r| r.is_success())
            .flat_map(|r| &r.contents)
        {
            if !success_types.iter().any(|c| c.text == content.text) {
                success_types.push(content.clone());
            }
        }
        let adds_member_to = match object.get(X_ADDS_MEMBER_TO) {
            None => None,
            Some(Value::String(path)) if path.starts_with('/') => Some(path.clone()),
            Some(_) => {
                return Err(SpecError::at(
                    pointer::join(at, X_ADDS_MEMBER_TO),
                    format!("{X_ADDS_MEMBER_TO} must be a path of the document"),
                    "write the collection's path as `paths` has it: /device-management/devices",
                ));
            }
        };
        let session = match object.get(X_SESSION) {
            None => None,
            Some(value) => Some(
                SessionRole::ALL
                    .into_iter()
                    .find(|role| value.as_str() == Some(role.key()))
                    .ok_or_else(|| {
                        SpecError::at(
                            pointer::join(at, X_SESSION),
                            format!("{X_SESSION} is {value}"),
                            "write opens, ends or reports",
                        )
                    })?,
            ),
        };
        let adds_members = match object.get(X_ADDS_MEMBERS) {
            None => None,
            Some(value) => Some(adds_members(value, &pointer::join(at, X_ADDS_MEMBERS))?),
        };
        let removes_members = match object.get(X_REMOVES_MEMBERS) {
            None => None,
            Some(value) => {
                let at = pointer::join(at, X_REMOVES_MEMBERS);
                let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
                match (text("items"), text("from")) {
                    (Some(items), Some(from)) if items.starts_with('/') => {
                        Some(RemovesMembers { items, from })
                    }
                    _ => {
                        return Err(SpecError::at(
                            at,
                            format!("{X_REMOVES_MEMBERS} must be {{items, from}}"),
                            "items: the body's list of ids (a JSON pointer), from: the \
                             operationId listing the collection",
                        ));
                    }
                }
            }
        };
        let lock = match object.get(X_LOCK) {
            None => None,
            Some(value) => Some(
                LockRole::ALL
                    .into_iter()
                    .find(|role| value.as_str() == Some(role.key()))
                    .ok_or_else(|| {
                        SpecError::at(
                            pointer::join(at, X_LOCK),
                            format!("{X_LOCK} is {value}"),
                            "write acquires or releases",
                        )
                    })?,
            ),
        };
        if lock.is_some() && !path.contains('{') {
            return Err(SpecError::at(
                pointer::join(at, X_LOCK),
                format!("{X_LOCK} on a path that names no member"),
                "the lock is on the member the path's last parameter names \
                 (`.../firewall-policies/{policy_id}/lock`)",
            ));
        }
        let cancels_job = match object.get(X_CANCELS_JOB) {
            None => false,
            Some(Value::Bool(flag)) => *flag,
            Some(_) => {
                return Err(SpecError::at(
                    pointer::join(at, X_CANCELS_JOB),
                    format!("{X_CANCELS_JOB} must be true or false"),
                    "",
                ));
            }
        };
        let also_accepts = match object.get(X_ALSO_ACCEPTS) {
            None => Vec::new(),
            Some(list) => also_accepted(list, &pointer::join(at, X_ALSO_ACCEPTS))?,
        };
        let tags = match object.get("tags") {
            None => Vec::new(),
            Some(Value::Array(tags)) => tags
                .iter()
                .map(|tag| {
                    tag.as_str().map(str::to_owned).ok_or_else(|| {
                        SpecError::at(pointer::join(at, "tags"), "a tag must be text", "")
                    })
                })
                .collect::<Result<_, _>>()?,
            Some(_) => {
                return Err(SpecError::at(
                    pointer::join(at, "tags"),
                    "`tags` must be a list",
                    "",
                ));
            }
        };
        let bodies = match object.get("requestBody") {
            Some(_) => self.request_bodies(&pointer::join(at, "requestBody"))?,
            None => Vec::new(),
        };
        let base = Operation {
            id: id.clone(),
            variant_of: None,
            method,
            path: path.to_owned(),
            base_path: String::new(),
            summary: text("summary"),
            description: text("description"),
            tags,
            source: text("x-source"),
            pointer: at.to_owned(),
            id_pointer: pointer::join(at, "operationId"),
            parameters,
            request: None,
            accept: success_types.clone(),
            accept_as_sent: match object.get(X_ACCEPT) {
                None => Vec::new(),
                Some(list) => accept_as_sent(list, &pointer::join(at, X_ACCEPT), &success_types)?,
            },
            responses,
            collection: None,
            session,
            lock,
            cancels_job,
            adds_member_to,
            adds_members,
            removes_members,
            also_accepts,
            names: Vec::new(),
        };
        if bodies.is_empty() {
            return Ok(vec![base]);
        }
        let several = bodies.len() > 1;
        let mut methods = Vec::with_capacity(bodies.len());
        for (body, media) in bodies {
            let mut variant = base.clone();
            let body_at = body.content.pointer.clone();
            match media.get(X_OPERATION_ID) {
                Some(Value::String(variant_id)) if !variant_id.is_empty() => {
                    variant.id = variant_id.clone();
                    variant.variant_of = several.then(|| id.clone());
                    variant.id_pointer = pointer::join(&body_at, X_OPERATION_ID);
                }
                Some(_) => {
                    return Err(SpecError::at(
                        pointer::join(&body_at, X_OPERATION_ID),
                        "x-operation-id must be a non-empty string",
                        "name the method generated for this media type",
                    ));
                }
                None if several => {
                    return Err(SpecError::at(
                        &body_at,
                        format!(
                            "operation `{id}` accepts several request media types, and this \
                             one has no {X_OPERATION_ID}"
                        ),
                        format!(
                            "each media type becomes its own method: give each an \
                             `{X_OPERATION_ID}` (and an `{X_ACCEPT}` list if its answer type differs)"
                        ),
                    ));
                }
                None => {}
            }
            if let Some(accept) = media.get(X_ACCEPT) {
                variant.accept =
                    accept_list(accept, &pointer::join(&body_at, X_ACCEPT), &success_types)?;
                let accepted: Vec<String> = variant.accept.iter().map(|c| c.text.clone()).collect();
                for response in variant.responses.iter_mut().filter(|r| r.is_success()) {
                    response.contents.retain(|c| accepted.contains(&c.text));
                }
            }
            variant.request = Some(body);
            methods.push(variant);
        }
        Ok(methods)
    }

    fn parameters(&mut self, list: &Value, list_at: &str) -> Result<Vec<Parameter>, SpecError> {
        let items = list
            .as_array()
            .ok_or_else(|| SpecError::at(list_at, "parameters must be a list", ""))?;
        let mut parameters: Vec<Parameter> = Vec::new();
        for i in 0..items.len() {
            let (item, at) = self.follow_refs(&pointer::join(list_at, &i.to_string()))?;
            let field = |name: &str| item.get(name).and_then(Value::as_str);
            let name = field("name")
                .ok_or_else(|| SpecError::at(&at, "a parameter has no name", "add `name:`"))?;
            let location = match field("in") {
                Some("path") => ParameterLocation::Path,
                Some("query") => ParameterLocation::Query,
                Some("header") => ParameterLocation::Header,
                Some("cookie") => ParameterLocation::Cookie,
                other => {
                    return Err(SpecError::at(
                        pointer::join(&at, "in"),
                        format!("parameter `{name}` has location {other:?}"),
                        "`in` must be path, query, header or cookie",
                    ));
                }
            };
            if item.get("schema").is_none() {
                return Err(SpecError::at(
                    &at,
                    format!("parameter `{name}` has no schema"),
                    "add `schema:`",
                ));
            }
            let schema = self.schemas.read_at(&pointer::join(&at, "schema"))?;
            let required = item
                .get("required")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            if location == ParameterLocation::Path && !required {
                return Err(SpecError::at(
                    &at,
                    format!("path parameter `{name}` is not required"),
                    "a path parameter is always required: add `required: true`",
                ));
            }
            if parameters
                .iter()
                .any(|p| p.name == name && p.location == location)
            {
                return Err(SpecError::at(
                    &at,
                    format!("parameter `{name}` is listed twice"),
                    "list each parameter once",
                ));
            }
            let listed_by = match item.get(X_LISTED_BY) {
                None => None,
                Some(Value::String(id)) if location == ParameterLocation::Path => Some(id.clone()),
                Some(_) => {
                    return Err(SpecError::at(
                        pointer::join(&at, X_LISTED_BY),
                        format!("{X_LISTED_BY} must be an operationId, on a path parameter"),
                        "name the GET whose collection lists the parameter's values",
                    ));
                }
            };
            parameters.push(Parameter {
                name: name.to_owned(),
                location,
                required,
                schema,
                description: field("description").map(str::to_owned),
                listed_by,
                pointer: at,
            });
        }
        Ok(parameters)
    }

    /// Each media type of the request body at `at`, with its media type object.
    fn request_bodies(&mut self, at: &str) -> Result<Vec<(RequestBody, &'d Value)>, SpecError> {
        let (body, at) = self.follow_refs(at)?;
        let required = body
            .get("required")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let content = body
            .get("content")
            .and_then(Value::as_object)
            .filter(|content| !content.is_empty())
            .ok_or_else(|| {
                SpecError::at(
                    &at,
                    "a request body needs `content`",
                    "list its media types",
                )
            })?;
        let mut bodies = Vec::new();
        for (text, media) in content {
            let content_at = format!("{at}{}", pointer::from_tokens(["content", text.as_str()]));
            let content = self.content(text, media, &content_at, Direction::Request)?;
            bodies.push((RequestBody { content, required }, media));
        }
        Ok(bodies)
    }

    fn responses(
        &mut self,
        operation: &Map<String, Value>,
        op_at: &str,
    ) -> Result<Vec<Response>, SpecError> {
        let at = pointer::join(op_at, "responses");
        let responses = operation
            .get("responses")
            .and_then(Value::as_object)
            .filter(|responses| !responses.is_empty())
            .ok_or_else(|| {
                SpecError::at(
                    &at,
                    "the operation documents no responses",
                    "add `responses:`",
                )
            })?;
        let mut read = Vec::new();
        for (key, entry) in responses {
            let entry_at = pointer::join(&at, key);
            let status = Status::parse(key).ok_or_else(|| {
                SpecError::at(
                    &entry_at,
                    format!("`{key}` is not a status"),
                    "write a status code (200), a class (4XX) or default",
                )
            })?;
            let entry_object = entry
                .as_object()
                .ok_or_else(|| SpecError::at(&entry_at, "a response must be a mapping", ""))?;
            // `x-decision` may stand beside a `$ref`: the status is this operation's decision
            // even when its body is a shared one.
            let mut provenance =
                read_provenance(entry_object, &entry_at, self.schemas_decisions())?;
            let (response, response_at) = self.follow_refs(&entry_at)?;
            if let Some(object) = response.as_object() {
                provenance = provenance.or(&read_provenance(
                    object,
                    &response_at,
                    self.schemas_decisions(),
                )?);
            }
            let mut contents = Vec::new();
            for (text, media) in response
                .get("content")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let content_at = format!(
                    "{response_at}{}",
                    pointer::from_tokens(["content", text.as_str()])
                );
                contents.push(self.content(text, media, &content_at, Direction::Answer)?);
            }
            read.push(Response {
                status,
                description: response
                    .get("description")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                contents,
                provenance,
                pointer: entry_at,
            });
        }
        Ok(read)
    }

    fn content(
        &mut self,
        text: &str,
        media: &Value,
        at: &str,
        direction: Direction,
    ) -> Result<Content, SpecError> {
        let media_type = modelled_media_type(text, at, direction)?;
        let object = media
            .as_object()
            .ok_or_else(|| SpecError::at(at, "a media type object must be a mapping", ""))?;
        let provenance = read_provenance(object, at, self.schemas_decisions())?;
        let schema = match object.get("schema") {
            Some(_) => Some(self.schemas.read_at(&pointer::join(at, "schema"))?),
            None => None,
        };
        Ok(Content {
            text: text.to_owned(),
            media_type,
            schema,
            example: object.get("example").cloned(),
            provenance,
            pointer: at.to_owned(),
        })
    }

    fn schemas_decisions(&mut self) -> &mut DecisionsNamed {
        self.schemas.decisions()
    }

    /// The node at `at`, with any `$ref` chain there followed, and where it really stands.
    fn follow_refs(&self, at: &str) -> Result<(&'d Value, String), SpecError> {
        let mut node = self
            .document
            .pointer(at)
            .ok_or_else(|| SpecError::at(at, "nothing stands at this pointer", "check the path"))?;
        let mut here = at.to_owned();
        for _ in 0..MAX_REF_HOPS {
            let Some(reference) = node.get("$ref") else {
                return Ok((node, here));
            };
            let ref_at = pointer::join(&here, "$ref");
            let target = local_target(reference, &ref_at)?;
            node = self.document.pointer(&target).ok_or_else(|| {
                SpecError::at(
                    &ref_at,
                    format!("reference #{target} points at nothing"),
                    "define the target under components, or fix the name",
                )
            })?;
            here = target;
        }
        Err(SpecError::at(
            at,
            "a $ref chain does not end",
            "break the reference cycle",
        ))
    }
}

/// Which way a body travels.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    Request,
    Answer,
}

/// A media type the client can send or decode: well formed, and JSON; an answer may also be
/// plain text (the session calls answer a sentence).
fn modelled_media_type(text: &str, at: &str, direction: Direction) -> Result<MediaType, SpecError> {
    let parsed = MediaType::parse(text).map_err(|error| {
        SpecError::at(
            at,
            error.to_string(),
            "write type/subtype;name=value as RFC 9110 does",
        )
    })?;
    let text_answer = direction == Direction::Answer && parsed.is_plain_text();
    if !(parsed.is_json() || text_answer) {
        return Err(SpecError::at(
            at,
            format!("unknown media type `{text}`"),
            MODELLED_MEDIA_TYPES,
        ));
    }
    Ok(parsed)
}

fn accept_list(value: &Value, at: &str, success: &[Content]) -> Result<Vec<Content>, SpecError> {
    let items = value
        .as_array()
        .filter(|items| !items.is_empty())
        .ok_or_else(|| SpecError::at(at, "x-accept must be a non-empty list of media types", ""))?;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let found = item
                .as_str()
                .and_then(|text| success.iter().find(|c| c.text == text));
            found.cloned().ok_or_else(|| {
                SpecError::at(
                    pointer::join(at, &i.to_string()),
                    format!(
                        "x-accept names {item}, which no success response of the operation lists"
                    ),
                    format!(
                        "use one of: {}",
                        success
                            .iter()
                            .map(|c| c.text.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })
        })
        .collect()
}

/// Whether `adds.items` names a list in the operation's request body, and each parameter's
/// place a field of that list's items.
fn check_adds_members(api: &Api, operation: &Operation, adds: &AddsMembers) -> Result<(), String> {
    let body = operation
        .request
        .as_ref()
        .and_then(|body| body.content.schema)
        .ok_or("the operation has no request body schema")?;
    let list = api
        .schema_at(body, &adds.items)
        .filter(|list| api.schema(*list).kind == Some(Kind::Array))
        .ok_or_else(|| format!("{} names no list in the request body", adds.items))?;
    let item = api
        .schema(list)
        .items
        .ok_or("the list has no item schema")?;
    match adds
        .parameters
        .iter()
        .find(|(_, place)| api.schema_at(item, place).is_none())
    {
        Some((name, place)) => Err(format!("{name}: {place} names no field of an item")),
        None => Ok(()),
    }
}

/// An operation's `x-adds-members`: `items` and `to` as text, `parameters` a mapping of
/// names to JSON pointers; what they name is checked with the other relations.
fn adds_members(value: &Value, at: &str) -> Result<AddsMembers, SpecError> {
    let shape = || {
        SpecError::at(
            at,
            format!("{X_ADDS_MEMBERS} must be {{items, to, parameters}}"),
            "items: the body's list (a JSON pointer), to: the operationId listing the \
             collection, parameters: each of its path parameters to a pointer in an item",
        )
    };
    let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
    let (Some(items), Some(to)) = (text("items"), text("to")) else {
        return Err(shape());
    };
    let parameters = match value.get("parameters") {
        None => Vec::new(),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(name, place)| Some((name.clone(), place.as_str()?.to_owned())))
            .collect::<Option<_>>()
            .ok_or_else(shape)?,
        Some(_) => return Err(shape()),
    };
    if !items.starts_with('/') || parameters.iter().any(|(_, p)| !p.starts_with('/')) {
        return Err(shape());
    }
    Ok(AddsMembers {
        items,
        to,
        parameters,
    })
}

/// An operation's `x-accept`: `Accept` values, each an answer type of a success response with
/// at most its qualifying parameters (`q`, `charset`) added or changed.
fn accept_as_sent(value: &Value, at: &str, success: &[Content]) -> Result<Vec<String>, SpecError> {
    let items = value
        .as_array()
        .filter(|items| !items.is_empty())
        .ok_or_else(|| SpecError::at(at, "x-accept must be a non-empty list of media types", ""))?;
    let mut sent = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let item_at = pointer::join(at, &i.to_string());
        let text = item
            .as_str()
            .ok_or_else(|| SpecError::at(&item_at, "an x-accept entry must be text", ""))?;
        let media = modelled_media_type(text, &item_at, Direction::Answer)?;
        if !success
            .iter()
            .any(|content| content.media_type.is_same_representation(&media))
        {
            return Err(SpecError::at(
                &item_at,
                format!("x-accept names `{text}`, which is no success answer's type"),
                "write an answer type of the operation, with a `q` if its clients send one",
            ));
        }
        sent.push(text.to_owned());
    }
    Ok(sent)
}

/// The media types of an `x-also-accepts` list: well formed, each once.
fn also_accepted(value: &Value, at: &str) -> Result<Vec<MediaType>, SpecError> {
    let items = value.as_array().ok_or_else(|| {
        SpecError::at(
            at,
            format!("{X_ALSO_ACCEPTS} must be a list of media types"),
            "",
        )
    })?;
    let mut accepted: Vec<MediaType> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let item_at = pointer::join(at, &i.to_string());
        let text = item
            .as_str()
            .ok_or_else(|| SpecError::at(&item_at, "a media type must be text", ""))?;
        let media = MediaType::parse(text).map_err(|error| {
            SpecError::at(
                &item_at,
                error.to_string(),
                "write type/subtype;name=value as RFC 9110 does",
            )
        })?;
        if accepted.iter().any(|seen| seen.is_equivalent(&media)) {
            return Err(SpecError::at(
                &item_at,
                format!("`{text}` is listed twice"),
                "",
            ));
        }
        accepted.push(media);
    }
    Ok(accepted)
}

/// Every `{name}` of the path template is a path parameter of the operation, and every path
/// parameter stands in the template.
fn check_path_parameters(path: &str, parameters: &[Parameter], at: &str) -> Result<(), SpecError> {
    let in_template: Vec<&str> = path
        .split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
        .collect();
    for name in &in_template {
        if !parameters
            .iter()
            .any(|p| p.location == ParameterLocation::Path && p.name == *name)
        {
            return Err(SpecError::at(
                at,
                format!("the path names `{{{name}}}`, which no path parameter declares"),
                "declare it under `parameters` with `in: path`",
            ));
        }
    }
    if let Some(stray) = parameters
        .iter()
        .find(|p| p.location == ParameterLocation::Path && !in_template.contains(&p.name.as_str()))
    {
        return Err(SpecError::at(
            &stray.pointer,
            format!("path parameter `{}` is not in the path {path}", stray.name),
            "remove it, or put it in the path template",
        ));
    }
    Ok(())
}

/// A relation to a member below the value's holder gives some of the operation's path
/// parameters, and a GET of the path above the first of them, whose parameters are exactly the
/// others, answers values of the relation's schema: that member is the holder
/// ([`Api::parameter_source`]).
fn check_held(
    api: &Api,
    relation: &super::Relation,
    target: &Operation,
    named: &[&str],
    path: &[&str],
) -> Result<(), SpecError> {
    let fault = |why: String, hint: &str| SpecError::at(&relation.pointer, why, hint);
    if named.is_empty() || named.iter().any(|name| !path.contains(name)) {
        return Err(fault(
            format!(
                "x-identifies gives `{}` the parameters {named:?}; its path takes {path:?}",
                relation.operation_id
            ),
            "give some of the operation's path parameters: the value's own",
        ));
    }
    let holds = |operation: &Operation| {
        operation
            .successes()
            .flat_map(|response| &response.contents)
            .filter_map(|content| content.schema)
            .any(|schema| {
                api.relations_within(schema)
                    .iter()
                    .any(|r| r.pointer == relation.pointer)
            })
    };
    let holder = api.operations().iter().find(|operation| {
        operation.method == HttpMethod::Get
            && super::sources::holds_below(&operation.path, &target.path, named)
            && holds(operation)
    });
    match holder {
        Some(_) => Ok(()),
        None => Err(fault(
            format!(
                "x-identifies (other-parameters: holder) names `{}`, and no GET of a member \
                 above its parameters {named:?} answers this value",
                relation.operation_id
            ),
            "put the relation in the answer of the GET of the member the value belongs to",
        )),
    }
}

/// Every relation names an operation of the document with exactly its path parameters, every
/// `x-adds-member-to` names a path whose GET answers a collection, and every operation that
/// cancels a job names the job in its path.
fn check_relations(api: &Api) -> Result<(), SpecError> {
    for (_, schema) in api.schemas().iter() {
        let Some(relation) = &schema.identifies else {
            continue;
        };
        let Some(target) = api.operation(&relation.operation_id) else {
            return Err(SpecError::at(
                &relation.pointer,
                format!(
                    "x-identifies names `{}`, which the document lacks",
                    relation.operation_id
                ),
                "name an operationId of the document",
            ));
        };
        let mut named: Vec<&str> = relation
            .parameters
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        named.sort_unstable();
        let mut path: Vec<&str> = target
            .parameters_in(ParameterLocation::Path)
            .map(|p| p.name.as_str())
            .collect();
        path.sort_unstable();
        if relation.held {
            check_held(api, relation, target, &named, &path)?;
            continue;
        }
        if named != path {
            return Err(SpecError::at(
                &relation.pointer,
                format!(
                    "x-identifies gives `{}` the parameters {named:?}; its path takes {path:?}",
                    relation.operation_id
                ),
                "give exactly the operation's path parameters",
            ));
        }
    }
    let collection_paths: BTreeMap<&str, &Operation> = api
        .operations()
        .iter()
        .filter(|op| op.method == HttpMethod::Get && op.collection.is_some())
        .map(|op| (op.path.as_str(), op))
        .collect();
    for operation in api.operations() {
        for parameter in &operation.parameters {
            let Some(lister) = &parameter.listed_by else {
                continue;
            };
            if !api
                .operation(lister)
                .is_some_and(|o| o.method == HttpMethod::Get && o.collection.is_some())
            {
                return Err(SpecError::at(
                    pointer::join(&parameter.pointer, X_LISTED_BY),
                    format!("{X_LISTED_BY} names `{lister}`, which lists no collection"),
                    "name the GET whose collection lists the parameter's values",
                ));
            }
        }
        if let Some(removes) = &operation.removes_members {
            let body = operation.request.as_ref().and_then(|b| b.content.schema);
            let list = body
                .and_then(|body| api.schema_at(body, &removes.items))
                .filter(|list| api.schema(*list).kind == Some(Kind::Array));
            let collection = api.operation(&removes.from).filter(|from| {
                from.method == HttpMethod::Get
                    && from.collection.is_some()
                    && !from.path.contains('{')
            });
            if list.is_none() || collection.is_none() {
                return Err(SpecError::at(
                    pointer::join(&operation.pointer, X_REMOVES_MEMBERS),
                    format!(
                        "{X_REMOVES_MEMBERS}: {} must name a list of the request body, and `{}` \
                         a collection GET whose path names no member",
                        removes.items, removes.from
                    ),
                    "name the body's list of ids and the collection they leave",
                ));
            }
        }
        if let Some(adds) = &operation.adds_members {
            check_adds_members(api, operation, adds)
                .and_then(|()| {
                    let collection = api
                        .operation(&adds.to)
                        .filter(|to| to.method == HttpMethod::Get && to.collection.is_some())
                        .ok_or_else(|| format!("`{}` lists no collection", adds.to))?;
                    let mut given: Vec<&str> =
                        adds.parameters.iter().map(|(n, _)| n.as_str()).collect();
                    let mut wanted: Vec<&str> = collection
                        .parameters_in(ParameterLocation::Path)
                        .map(|p| p.name.as_str())
                        .collect();
                    given.sort_unstable();
                    wanted.sort_unstable();
                    if given == wanted {
                        Ok(())
                    } else {
                        Err(format!(
                            "parameters {given:?}; `{}` takes {wanted:?}",
                            adds.to
                        ))
                    }
                })
                .map_err(|why| {
                    SpecError::at(
                        pointer::join(&operation.pointer, X_ADDS_MEMBERS),
                        format!("{X_ADDS_MEMBERS}: {why}"),
                        "name a collection GET, and give each of its path parameters",
                    )
                })?;
        }
        if let Some(path) = &operation.adds_member_to
            && !collection_paths.contains_key(path.as_str())
        {
            return Err(SpecError::at(
                pointer::join(&operation.pointer, X_ADDS_MEMBER_TO),
                format!("no GET at {path} answers a collection"),
                "name the path of the collection the job adds to",
            ));
        }
        if operation.cancels_job
            && operation
                .parameters_in(ParameterLocation::Path)
                .next()
                .is_none()
        {
            return Err(SpecError::at(
                pointer::join(&operation.pointer, X_CANCELS_JOB),
                "the operation cancels a job but its path names none",
                "put the job's id in the path",
            ));
        }
        for parameter in &operation.parameters {
            if parameter.location == ParameterLocation::Path
                && api.schema(parameter.schema).kind == Some(Kind::Object)
            {
                return Err(SpecError::at(
                    &parameter.pointer,
                    format!("path parameter `{}` is an object", parameter.name),
                    "a path parameter is a scalar",
                ));
            }
        }
    }
    Ok(())
}
