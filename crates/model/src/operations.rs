//! The document's operations as client methods: one per operation, or one per request media
//! type where an operation accepts several (each named by `x-operation-id`).

use std::collections::HashMap;

use serde_json::Value;

use crate::media_type::MediaType;
use crate::pointer;
use crate::{
    Spec, SpecError, X_ACCEPT, X_ADDS_MEMBER_TO, X_CANCELS_JOB, X_OPERATION_ID, X_SESSION,
};

/// The HTTP methods a path item may hold, in the order OpenAPI lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl HttpMethod {
    const ALL: [HttpMethod; 8] = [
        Self::Get,
        Self::Put,
        Self::Post,
        Self::Delete,
        Self::Options,
        Self::Head,
        Self::Patch,
        Self::Trace,
    ];

    /// The path-item key (`get`).
    pub fn key(self) -> &'static str {
        match self {
            Self::Get => "get",
            Self::Put => "put",
            Self::Post => "post",
            Self::Delete => "delete",
            Self::Options => "options",
            Self::Head => "head",
            Self::Patch => "patch",
            Self::Trace => "trace",
        }
    }

    /// The method as it goes on the wire (`GET`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Put => "PUT",
            Self::Post => "POST",
            Self::Delete => "DELETE",
            Self::Options => "OPTIONS",
            Self::Head => "HEAD",
            Self::Patch => "PATCH",
            Self::Trace => "TRACE",
        }
    }

    fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.key() == key)
    }
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterLocation {
    Path,
    Query,
    Header,
    Cookie,
}

/// One parameter of an operation, with `$ref`s at the parameter level followed.
#[derive(Debug, Clone)]
pub struct Parameter {
    pub name: String,
    pub location: ParameterLocation,
    pub required: bool,
    /// The parameter's schema as written (it may hold `$ref`s).
    pub schema: Value,
    /// Where the parameter object stands.
    pub pointer: String,
}

/// The request body of one method: exactly one media type.
#[derive(Debug, Clone)]
pub struct RequestBody {
    /// The media type exactly as the spec writes it; this is the `Content-Type` to send.
    pub media_type: String,
    pub required: bool,
    pub schema: Option<Value>,
    pub example: Option<Value>,
    /// Where the media type object stands.
    pub pointer: String,
}

/// One media type of a response.
#[derive(Debug, Clone)]
pub struct MediaContent {
    /// The media type exactly as the spec writes it.
    pub media_type: String,
    pub schema: Option<Value>,
    pub example: Option<Value>,
    pub pointer: String,
}

/// One documented status of a method.
#[derive(Debug, Clone)]
pub struct Response {
    /// The status key as written: `200`, `4XX` or `default`.
    pub status: String,
    pub content: Vec<MediaContent>,
    pub pointer: String,
}

impl Response {
    /// True for `2XX` statuses.
    pub fn is_success(&self) -> bool {
        self.status.starts_with('2')
    }
}

/// What an operation does to the client's login session (`x-session`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SessionRole {
    /// Opens a session: credentials in, session cookies out (`login`).
    Opens,
    /// Ends the session its cookies name (`logout`).
    Ends,
    /// Says whether the session its cookies name is still open (`login-status`).
    Reports,
}

impl SessionRole {
    const ALL: [SessionRole; 3] = [Self::Opens, Self::Ends, Self::Reports];

    /// The extension's value in the document (`opens`).
    pub fn key(self) -> &'static str {
        match self {
            Self::Opens => "opens",
            Self::Ends => "ends",
            Self::Reports => "reports",
        }
    }
}

/// One client method.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The method's operationId: the operation's own, or its media type's `x-operation-id`.
    pub operation_id: String,
    /// The operationId of the spec operation when this method is one of its media types.
    pub variant_of: Option<String>,
    pub method: HttpMethod,
    /// The path template as written (`/device-management/devices/{device_id}`).
    pub path: String,
    /// Where the operation object stands.
    pub pointer: String,
    /// Where this method's id is declared (`operationId` or `x-operation-id`).
    pub id_pointer: String,
    pub parameters: Vec<Parameter>,
    pub request_body: Option<RequestBody>,
    /// The response media types this method names in `Accept`, in document order.
    pub accept: Vec<String>,
    /// Documented statuses; for success statuses only the media types in `accept`.
    pub responses: Vec<Response>,
    /// `x-adds-member-to`: the collection path a successful job of this operation adds a
    /// member to (discovery adds a device).
    pub adds_member_to: Option<String>,
    /// `x-session`: the operation opens, ends or reports on a login session.
    pub session: Option<SessionRole>,
    /// `x-cancels-job`: the operation cancels the job its path names, which the server allows
    /// only while the job waits for its schedule.
    pub cancels_job: bool,
}

impl Operation {
    /// The `Accept` header value, or `None` when no success response has a body.
    pub fn accept_header(&self) -> Option<String> {
        (!self.accept.is_empty()).then(|| self.accept.join(", "))
    }

    /// The schema of the answer documented for `status` (its first media type's).
    pub fn answer_schema(&self, status: u16) -> Option<&Value> {
        self.responses
            .iter()
            .find(|response| response.status == status.to_string())?
            .content
            .first()?
            .schema
            .as_ref()
    }

    /// The `Content-Type` of the request body, if there is one.
    pub fn content_type(&self) -> Option<&str> {
        self.request_body
            .as_ref()
            .map(|body| body.media_type.as_str())
    }

    /// Parameters at `location`, in document order.
    pub fn parameters_in(&self, location: ParameterLocation) -> impl Iterator<Item = &Parameter> {
        self.parameters
            .iter()
            .filter(move |p| p.location == location)
    }
}

const MODELLED_MEDIA_TYPES: &str = "only JSON is modelled (application/json or a vendor \
     `+json` type), and `text/plain` answers; list other types in spec/README.md as known but \
     not modelled";

impl Spec {
    /// Every client method of the document, in document order.
    ///
    /// Checks what every consumer relies on: operationIds present and unique, media types
    /// well formed and JSON, `x-operation-id` on each media type of a multi-type body, and
    /// `x-accept` naming only the operation's own success media types.
    pub fn operations(&self) -> Result<Vec<Operation>, SpecError> {
        let Some(paths) = self.document().get("paths").and_then(Value::as_object) else {
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
            if item.contains_key("$ref") {
                return Err(SpecError::at(
                    pointer::join(&item_pointer, "$ref"),
                    "path items by reference are not supported",
                    "write the path item inline",
                ));
            }
            let shared_parameters = match item.get("parameters") {
                Some(list) => self.parameters(list, &pointer::join(&item_pointer, "parameters"))?,
                None => Vec::new(),
            };
            for (key, operation) in item {
                let Some(method) = HttpMethod::from_key(key) else {
                    continue;
                };
                let op_pointer = pointer::join(&item_pointer, key);
                operations.extend(self.methods_of(
                    path,
                    method,
                    operation,
                    &op_pointer,
                    &shared_parameters,
                )?);
            }
        }
        let mut seen: HashMap<&str, &str> = HashMap::new();
        for op in &operations {
            if let Some(first) = seen.insert(&op.operation_id, &op.id_pointer) {
                return Err(SpecError::at(
                    &op.id_pointer,
                    format!(
                        "duplicate operationId `{}`, first declared at #{first}",
                        op.operation_id
                    ),
                    "every operationId (and x-operation-id) must be unique: rename one",
                ));
            }
        }
        Ok(operations)
    }

    /// The one or more client methods of the operation at `op_pointer`.
    fn methods_of(
        &self,
        path: &str,
        method: HttpMethod,
        operation: &Value,
        op_pointer: &str,
        shared_parameters: &[Parameter],
    ) -> Result<Vec<Operation>, SpecError> {
        let operation_id = operation
            .get("operationId")
            .and_then(Value::as_str)
            .filter(|id| !id.is_empty())
            .ok_or_else(|| {
                SpecError::at(
                    op_pointer,
                    "the operation has no operationId",
                    "give every operation an operationId: it names the generated method",
                )
            })?;

        let mut parameters = shared_parameters.to_vec();
        if let Some(list) = operation.get("parameters") {
            for own in self.parameters(list, &pointer::join(op_pointer, "parameters"))? {
                // An operation's parameter replaces a path-level one of the same name and place.
                parameters.retain(|p| !(p.name == own.name && p.location == own.location));
                parameters.push(own);
            }
        }

        let responses = self.responses(operation, op_pointer)?;
        // What the success responses may carry, each media type once, in document order.
        let mut success_types: Vec<String> = Vec::new();
        for content in responses
            .iter()
            .filter(|r| r.is_success())
            .flat_map(|r| &r.content)
        {
            if !success_types.contains(&content.media_type) {
                success_types.push(content.media_type.clone());
            }
        }

        let adds_member_to = match operation.get(X_ADDS_MEMBER_TO) {
            None => None,
            Some(Value::String(path)) if path.starts_with('/') => Some(path.clone()),
            Some(_) => {
                return Err(SpecError::at(
                    pointer::join(op_pointer, X_ADDS_MEMBER_TO),
                    format!("{X_ADDS_MEMBER_TO} must be a path of the document"),
                    "write the collection's path as `paths` has it: /device-management/devices",
                ));
            }
        };
        let session = match operation.get(X_SESSION) {
            None => None,
            Some(value) => Some(
                SessionRole::ALL
                    .into_iter()
                    .find(|role| value.as_str() == Some(role.key()))
                    .ok_or_else(|| {
                        SpecError::at(
                            pointer::join(op_pointer, X_SESSION),
                            format!("{X_SESSION} is {value}"),
                            "write opens, ends or reports",
                        )
                    })?,
            ),
        };
        let cancels_job = match operation.get(X_CANCELS_JOB) {
            None => false,
            Some(Value::Bool(flag)) => *flag,
            Some(_) => {
                return Err(SpecError::at(
                    pointer::join(op_pointer, X_CANCELS_JOB),
                    format!("{X_CANCELS_JOB} must be true or false"),
                    "",
                ));
            }
        };
        let bodies = match operation.get("requestBody") {
            Some(_) => self.request_bodies(&pointer::join(op_pointer, "requestBody"))?,
            None => Vec::new(),
        };
        let base = Operation {
            operation_id: operation_id.to_owned(),
            variant_of: None,
            method,
            path: path.to_owned(),
            pointer: op_pointer.to_owned(),
            id_pointer: pointer::join(op_pointer, "operationId"),
            parameters,
            request_body: None,
            accept: success_types.clone(),
            responses,
            adds_member_to,
            session,
            cancels_job,
        };
        if bodies.is_empty() {
            return Ok(vec![base]);
        }
        let several = bodies.len() > 1;
        let mut methods = Vec::with_capacity(bodies.len());
        for (body, media) in bodies {
            let mut variant = base.clone();
            let variant_id = media.get(X_OPERATION_ID);
            match variant_id {
                Some(Value::String(id)) if !id.is_empty() => {
                    variant.operation_id = id.clone();
                    variant.variant_of = several.then(|| operation_id.to_owned());
                    variant.id_pointer = pointer::join(&body.pointer, X_OPERATION_ID);
                }
                Some(_) => {
                    return Err(SpecError::at(
                        pointer::join(&body.pointer, X_OPERATION_ID),
                        "x-operation-id must be a non-empty string",
                        "name the method generated for this media type",
                    ));
                }
                None if several => {
                    return Err(SpecError::at(
                        &body.pointer,
                        format!(
                            "operation `{operation_id}` accepts several request media types, \
                             and this one has no {X_OPERATION_ID}"
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
                variant.accept = accept_list(
                    accept,
                    &pointer::join(&body.pointer, X_ACCEPT),
                    &success_types,
                )?;
                for response in variant.responses.iter_mut().filter(|r| r.is_success()) {
                    response
                        .content
                        .retain(|c| variant.accept.contains(&c.media_type));
                }
            }
            variant.request_body = Some(body);
            methods.push(variant);
        }
        Ok(methods)
    }

    fn parameters(&self, list: &Value, list_pointer: &str) -> Result<Vec<Parameter>, SpecError> {
        let items = list
            .as_array()
            .ok_or_else(|| SpecError::at(list_pointer, "parameters must be a list", ""))?;
        items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let (item, at) =
                    self.follow_refs(item, &pointer::join(list_pointer, &i.to_string()))?;
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
                let schema = item.get("schema").cloned().ok_or_else(|| {
                    SpecError::at(
                        &at,
                        format!("parameter `{name}` has no schema"),
                        "add `schema:`",
                    )
                })?;
                Ok(Parameter {
                    name: name.to_owned(),
                    location,
                    required: item
                        .get("required")
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
                    schema,
                    pointer: at,
                })
            })
            .collect()
    }

    /// Each media type of the request body, with its media type object (for extensions).
    fn request_bodies(&self, at: &str) -> Result<Vec<(RequestBody, &Value)>, SpecError> {
        let (body, at) = self.resolve_at(at)?;
        let required = body
            .get("required")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let content = body
            .get("content")
            .and_then(Value::as_object)
            .ok_or_else(|| {
                SpecError::at(
                    &at,
                    "a request body needs `content`",
                    "list its media types",
                )
            })?;
        content
            .iter()
            .map(|(media_type, media)| {
                let media_pointer = pointer::from_tokens(["content", media_type.as_str()]);
                let media_pointer = format!("{at}{media_pointer}");
                check_media_type(media_type, &media_pointer, Direction::Request)?;
                Ok((
                    RequestBody {
                        media_type: media_type.clone(),
                        required,
                        schema: media.get("schema").cloned(),
                        example: media.get("example").cloned(),
                        pointer: media_pointer,
                    },
                    media,
                ))
            })
            .collect()
    }

    fn responses(&self, operation: &Value, op_pointer: &str) -> Result<Vec<Response>, SpecError> {
        let at = pointer::join(op_pointer, "responses");
        let responses = operation
            .get("responses")
            .and_then(Value::as_object)
            .ok_or_else(|| {
                SpecError::at(
                    &at,
                    "the operation documents no responses",
                    "add `responses:`",
                )
            })?;
        responses
            .iter()
            .map(|(status, response)| {
                let (response, response_at) =
                    self.follow_refs(response, &pointer::join(&at, status))?;
                let content = match response.get("content").and_then(Value::as_object) {
                    None => Vec::new(),
                    Some(content) => content
                        .iter()
                        .map(|(media_type, media)| {
                            let media_pointer = format!(
                                "{response_at}{}",
                                pointer::from_tokens(["content", media_type.as_str()])
                            );
                            check_media_type(media_type, &media_pointer, Direction::Answer)?;
                            Ok(MediaContent {
                                media_type: media_type.clone(),
                                schema: media.get("schema").cloned(),
                                example: media.get("example").cloned(),
                                pointer: media_pointer,
                            })
                        })
                        .collect::<Result<_, SpecError>>()?,
                };
                Ok(Response {
                    status: status.clone(),
                    content,
                    pointer: pointer::join(&at, status),
                })
            })
            .collect()
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
fn check_media_type(media_type: &str, at: &str, direction: Direction) -> Result<(), SpecError> {
    let parsed = MediaType::parse(media_type).map_err(|error| {
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
            format!("unknown media type `{media_type}`"),
            MODELLED_MEDIA_TYPES,
        ));
    }
    Ok(())
}

fn accept_list(
    value: &Value,
    at: &str,
    success_types: &[String],
) -> Result<Vec<String>, SpecError> {
    let items = value
        .as_array()
        .filter(|items| !items.is_empty())
        .ok_or_else(|| SpecError::at(at, "x-accept must be a non-empty list of media types", ""))?;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let item_at = pointer::join(at, &i.to_string());
            match item.as_str() {
                Some(media_type) if success_types.iter().any(|m| m == media_type) => {
                    Ok(media_type.to_owned())
                }
                _ => Err(SpecError::at(
                    item_at,
                    format!(
                        "x-accept names {item}, which no success response of the operation lists"
                    ),
                    format!("use one of: {}", success_types.join(", ")),
                )),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO_BODIES: &str = r#"
openapi: 3.1.0
paths:
  /packages/{id}/exec-deploy:
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer}}
    post:
      operationId: execDeploy
      requestBody:
        required: true
        content:
          application/vnd.a.exec-deploy+json;version=1;charset=UTF-8:
            x-operation-id: execDeploy
            x-accept: [application/vnd.a.exec-deploy+json;version=1]
            schema: {type: object}
          application/vnd.a.jam+json;version=1;charset=UTF-8:
            x-operation-id: execDeployJam
            x-accept: [application/vnd.a.task+json;version=1]
            schema: {type: object}
      responses:
        '202':
          description: task
          content:
            application/vnd.a.exec-deploy+json;version=1: {schema: {type: object}}
            application/vnd.a.task+json;version=1: {schema: {type: object}}
        '400': {description: bad}
"#;

    fn spec(text: &str) -> Spec {
        Spec::from_yaml_str(text).expect("test spec parses")
    }

    #[test]
    fn each_request_media_type_becomes_a_method_with_its_own_accept() {
        let methods = spec(TWO_BODIES).operations().expect("walks");
        let ids: Vec<_> = methods.iter().map(|m| m.operation_id.as_str()).collect();
        assert_eq!(ids, ["execDeploy", "execDeployJam"]);
        assert_eq!(
            methods[1].content_type(),
            Some("application/vnd.a.jam+json;version=1;charset=UTF-8")
        );
        assert_eq!(methods[1].accept, ["application/vnd.a.task+json;version=1"]);
        assert_eq!(methods[1].responses[0].content.len(), 1);
        assert_eq!(methods[1].variant_of.as_deref(), Some("execDeploy"));
        assert_eq!(methods[0].parameters[0].name, "id");
    }

    #[test]
    fn a_second_body_type_without_an_id_is_named() {
        let text = TWO_BODIES.replace("            x-operation-id: execDeployJam\n", "");
        let error = spec(&text).operations().expect_err("no id");
        assert_eq!(
            error.pointer,
            "/paths/~1packages~1{id}~1exec-deploy/post/requestBody/content/application~1vnd.a.jam+json;version=1;charset=UTF-8"
        );
    }

    #[test]
    fn duplicate_ids_point_at_the_second() {
        let text = TWO_BODIES.replace(
            "x-operation-id: execDeployJam",
            "x-operation-id: execDeploy",
        );
        let error = spec(&text).operations().expect_err("duplicate");
        assert!(
            error.pointer.ends_with("charset=UTF-8/x-operation-id"),
            "{error}"
        );
        assert!(error.message.contains("duplicate operationId"), "{error}");
    }

    #[test]
    fn x_accept_must_name_a_success_type() {
        let text = TWO_BODIES.replace(
            "x-accept: [application/vnd.a.task+json;version=1]",
            "x-accept: [application/json]",
        );
        let error = spec(&text).operations().expect_err("foreign accept");
        assert!(error.pointer.ends_with("/x-accept/0"), "{error}");
    }

    #[test]
    fn xml_and_malformed_media_types_are_refused_where_they_stand() {
        let text = TWO_BODIES.replace(
            "application/vnd.a.task+json;version=1: {",
            "application/vnd.a.task+xml;version=1: {",
        );
        let error = spec(&text).operations().expect_err("xml");
        assert!(
            error
                .pointer
                .ends_with("/responses/202/content/application~1vnd.a.task+xml;version=1"),
            "{error}"
        );
        assert!(error.message.contains("unknown media type"));

        let text = TWO_BODIES.replace(
            "application/vnd.a.task+json;version=1: {",
            "'application/vnd.a.task+json;version': {",
        );
        assert!(spec(&text).operations().is_err());
    }

    const SESSIONS: &str = r#"
openapi: 3.1.0
paths:
  /user-management/login:
    post:
      operationId: login
      x-session: opens
      responses:
        '200':
          description: Session opened.
          content:
            text/plain: {schema: {type: string}}
  /job-management/jobs/{job_id}/cancel:
    post:
      operationId: cancelJob
      x-cancels-job: true
      parameters:
        - {name: job_id, in: path, required: true, schema: {type: integer}}
      responses:
        '200': {description: Cancelled.}
"#;

    #[test]
    fn session_and_cancel_extensions_are_read() {
        let methods = spec(SESSIONS).operations().expect("walks");
        assert_eq!(methods[0].session, Some(SessionRole::Opens));
        assert_eq!(methods[0].accept, ["text/plain"]);
        assert!(!methods[0].cancels_job);
        assert_eq!(methods[1].session, None);
        assert!(methods[1].cancels_job);
    }

    #[test]
    fn bad_extension_values_and_text_request_bodies_are_named() {
        let text = SESSIONS.replace("x-session: opens", "x-session: closes");
        let error = spec(&text).operations().expect_err("unknown role");
        assert_eq!(
            error.pointer,
            "/paths/~1user-management~1login/post/x-session"
        );
        let text = SESSIONS.replace("x-cancels-job: true", "x-cancels-job: 'yes'");
        let error = spec(&text).operations().expect_err("not a boolean");
        assert!(error.pointer.ends_with("/post/x-cancels-job"), "{error}");
        let text = SESSIONS.replace(
            "      x-session: opens\n",
            "      x-session: opens\n      requestBody:\n        content:\n          text/plain: {schema: {type: string}}\n",
        );
        let error = spec(&text).operations().expect_err("a text body");
        assert!(
            error.pointer.ends_with("/requestBody/content/text~1plain"),
            "{error}"
        );
        assert!(error.message.contains("unknown media type"), "{error}");
    }

    #[test]
    fn missing_operation_id_is_named() {
        let text = TWO_BODIES.replace("      operationId: execDeploy\n", "");
        let error = spec(&text).operations().expect_err("no id");
        assert_eq!(error.pointer, "/paths/~1packages~1{id}~1exec-deploy/post");
    }
}
