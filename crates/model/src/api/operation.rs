//! The document's operations as client methods, typed: one per operation, or one per request
//! media type where an operation accepts several (each named by `x-operation-id`).

use std::fmt;

use serde_json::Value;

use super::collection::Collection;
use super::provenance::Provenance;
use super::schema::SchemaId;
use crate::MediaType;

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
    pub(crate) const ALL: [HttpMethod; 8] = [
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

    /// True for the methods that change nothing (GET, HEAD, OPTIONS, TRACE).
    pub fn is_safe(self) -> bool {
        matches!(self, Self::Get | Self::Head | Self::Options | Self::Trace)
    }

    pub(crate) fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.key() == key)
    }
}

impl fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParameterLocation {
    Path,
    Query,
    Header,
    Cookie,
}

/// One parameter of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    pub name: String,
    pub location: ParameterLocation,
    pub required: bool,
    pub schema: SchemaId,
    pub description: Option<String>,
    /// `x-listed-by`: the operationId of the GET whose collection lists this path
    /// parameter's values, where it is not the path one level up (a gen-1 SD rule group, at
    /// `/firewall-rules/{rule_group_id}`, is listed by its policy's `.../firewall-rules`).
    pub listed_by: Option<String>,
    /// Where the parameter object stands.
    pub pointer: String,
}

/// A documented status: one code, a class (`4XX`), or `default`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// `200`.
    Code(u16),
    /// `4XX`: every status of the class (the digit).
    Class(u8),
    /// `default`: every status the operation does not list.
    Default,
}

impl Status {
    /// Reads a `responses` key: `200`, `4XX` or `default`.
    pub fn parse(key: &str) -> Option<Self> {
        if key == "default" {
            return Some(Self::Default);
        }
        if let Some(class) = key.strip_suffix("XX")
            && let [digit @ b'1'..=b'5'] = class.as_bytes()
        {
            return Some(Self::Class(digit - b'0'));
        }
        let code: u16 = key.parse().ok().filter(|_| key.len() == 3)?;
        (100..=599).contains(&code).then_some(Self::Code(code))
    }

    /// True for the 2xx statuses (a `2XX` class too).
    pub fn is_success(self) -> bool {
        match self {
            Self::Code(code) => (200..300).contains(&code),
            Self::Class(class) => class == 2,
            Self::Default => false,
        }
    }

    /// True when an answer with `code` is this status.
    pub fn covers(self, code: u16) -> bool {
        match self {
            Self::Code(own) => own == code,
            Self::Class(class) => code / 100 == u16::from(class),
            Self::Default => true,
        }
    }

    /// The one code, when the status is one.
    pub fn code(self) -> Option<u16> {
        match self {
            Self::Code(code) => Some(code),
            _ => None,
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Code(code) => write!(f, "{code}"),
            Self::Class(class) => write!(f, "{class}XX"),
            Self::Default => f.write_str("default"),
        }
    }
}

/// One media type of a body: the type exactly as the spec writes it (what goes on the wire),
/// parsed once, with its schema.
#[derive(Debug, Clone)]
pub struct Content {
    /// The media type as written: the `Content-Type` or `Accept` value to send.
    pub text: String,
    /// The same, parsed.
    pub media_type: MediaType,
    pub schema: Option<SchemaId>,
    pub example: Option<Value>,
    /// Where the media type comes from: a decision when its object carries `x-decision`.
    pub provenance: Provenance,
    /// Where the media type object stands.
    pub pointer: String,
}

/// The request body of one method: exactly one media type.
#[derive(Debug, Clone)]
pub struct RequestBody {
    pub content: Content,
    pub required: bool,
}

/// One documented status of a method.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: Status,
    pub description: Option<String>,
    /// Its media types; for success statuses only those the method names in `Accept`.
    pub contents: Vec<Content>,
    /// Where the status comes from: a decision when the response carries `x-decision`.
    pub provenance: Provenance,
    /// Where the response stands (under the operation's `responses`).
    pub pointer: String,
}

impl Response {
    /// True for 2xx statuses.
    pub fn is_success(&self) -> bool {
        self.status.is_success()
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
    /// Works in the session its cookies name, whatever its method: Security Director's
    /// policy lock belongs to the session that took it, and only that session's changes and
    /// unlock act under it. Without a session open, it goes as any other call.
    Within,
}

impl SessionRole {
    pub(crate) const ALL: [SessionRole; 4] = [Self::Opens, Self::Ends, Self::Reports, Self::Within];

    /// The extension's value in the document (`opens`).
    pub fn key(self) -> &'static str {
        match self {
            Self::Opens => "opens",
            Self::Ends => "ends",
            Self::Reports => "reports",
            Self::Within => "within",
        }
    }

    /// Whether the operation is one of the session's own calls (login, logout,
    /// login-status), which every build of the client needs, rather than one that only works
    /// in it.
    pub fn is_the_sessions_own(self) -> bool {
        self != Self::Within
    }
}

/// An operation's `x-adds-members`: the items of a list in its request body each join the
/// collection an operation lists, below the members the item's own fields name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddsMembers {
    /// Where the list stands in the request body (a JSON pointer:
    /// `/modify-rules/added-rules/added-rule`).
    pub items: String,
    /// The operation that lists the collection they join (`listSdFirewallRuleGroupMembersV1`).
    pub to: String,
    /// Each path parameter of that operation, and where an item gives its value (a JSON
    /// pointer from the item: `rule_group_id` → `/rule-group-id`).
    pub parameters: Vec<(String, String)>,
}

/// An operation's `x-removes-members`: the ids in a list of its request body name members
/// that leave the collection an operation lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemovesMembers {
    /// Where the list of ids stands in the request body (`/id-list/ids`).
    pub items: String,
    /// The operation that lists the collection they leave (`listSdAddresses`); its path
    /// names no member.
    pub from: String,
}

/// What an operation does to the lock on the member its path names (`x-lock`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LockRole {
    /// Takes the lock for the caller's session; another's lock stays.
    Acquires,
    /// Gives up the caller's lock.
    Releases,
}

impl LockRole {
    pub(crate) const ALL: [LockRole; 2] = [Self::Acquires, Self::Releases];

    /// The extension's value in the document (`acquires`).
    pub fn key(self) -> &'static str {
        match self {
            Self::Acquires => "acquires",
            Self::Releases => "releases",
        }
    }
}

/// One client method.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The method's operationId: the operation's own, or its media type's `x-operation-id`.
    pub id: String,
    /// The operationId of the spec operation when this method is one of its media types.
    pub variant_of: Option<String>,
    pub method: HttpMethod,
    /// The path template as written (`/device-management/devices/{device_id}`), below the
    /// base path.
    pub path: String,
    /// The path `path` sits below: the document's base path (`/api/space`), or that of the
    /// path item's own server (Security Director's `/api/juniper`).
    pub base_path: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    /// `x-source`: the sources that document it.
    pub source: Option<String>,
    /// Where the operation object stands.
    pub pointer: String,
    /// Where this method's id is declared (`operationId` or `x-operation-id`).
    pub id_pointer: String,
    /// Path-level parameters first, then the operation's own, one per name and place.
    pub parameters: Vec<Parameter>,
    pub request: Option<RequestBody>,
    /// The answer types this method names in `Accept`, in document order.
    pub accept: Vec<Content>,
    /// The operation's `x-accept`: the `Accept` values exactly as a documented client sends
    /// them, each an answer type with a preference (`...;version=1;q=0.01`, as Security
    /// Director's clients write it); empty where `Accept` names the answer types as written.
    pub accept_as_sent: Vec<String>,
    /// Documented statuses, in document order.
    pub responses: Vec<Response>,
    /// The collection its success answer is, if it is one.
    pub collection: Option<Collection>,
    /// `x-session`: the operation opens, ends or reports on a login session, or works in it.
    pub session: Option<SessionRole>,
    /// `x-lock`: the operation takes or gives up the lock on the member its path names.
    pub lock: Option<LockRole>,
    /// `x-cancels-job`: the operation cancels the job its path names, which the server
    /// allows only while the job waits for its schedule.
    pub cancels_job: bool,
    /// `x-adds-member-to`: the collection path a successful job of this operation adds a
    /// member to (discovery adds a device).
    pub adds_member_to: Option<String>,
    /// `x-adds-members`: the members its request body adds to a collection, each where its
    /// own fields say (Security Director's modify-rules adds each rule to its rule group).
    pub adds_members: Option<AddsMembers>,
    /// `x-removes-members`: the members whose ids a list in its request body gives leave a
    /// collection (Security Director's bulk deletes).
    pub removes_members: Option<RemovesMembers>,
    /// `x-also-accepts`: `Accept` values a documented client sends beyond the answer types,
    /// which the server takes and answers in the operation's first type.
    pub also_accepts: Vec<MediaType>,
    /// The operations whose members a success answer names through `x-identifies` (an
    /// asynchronous call's task names its job: `getJob`).
    pub names: Vec<String>,
}

impl Operation {
    /// The path of the operation's URL on the server: its base path, then its path
    /// (`/api/space/device-management/devices/{device_id}`).
    pub fn full_path(&self) -> String {
        format!("{}{}", self.base_path, self.path)
    }

    /// The `Accept` header value, or `None` when no success answer has a body.
    pub fn accept_header(&self) -> Option<String> {
        if !self.accept_as_sent.is_empty() {
            return Some(self.accept_as_sent.join(", "));
        }
        (!self.accept.is_empty()).then(|| {
            self.accept
                .iter()
                .map(|content| content.text.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        })
    }

    /// The `Content-Type` of the request body, if there is one.
    pub fn content_type(&self) -> Option<&str> {
        self.request.as_ref().map(|body| body.content.text.as_str())
    }

    /// The response documented for an answer with `code`: its own code first, then its class,
    /// then `default`.
    pub fn response(&self, code: u16) -> Option<&Response> {
        let exactly = self
            .responses
            .iter()
            .find(|r| r.status == Status::Code(code));
        exactly
            .or_else(|| {
                self.responses
                    .iter()
                    .find(|r| matches!(r.status, Status::Class(_)) && r.status.covers(code))
            })
            .or_else(|| self.responses.iter().find(|r| r.status == Status::Default))
    }

    /// The schema of the answer documented for `code` (its first media type's).
    pub fn answer_schema(&self, code: u16) -> Option<SchemaId> {
        self.response(code)?.contents.first()?.schema
    }

    /// The schema of the answer documented for `code` in the media type the spec writes
    /// `media_type` (one of [`accept`](Self::accept)'s texts): what an answer negotiated to
    /// that type carries.
    pub fn answer_schema_in(&self, code: u16, media_type: &str) -> Option<SchemaId> {
        self.response(code)?
            .contents
            .iter()
            .find(|content| content.text == media_type)?
            .schema
    }

    /// The status a success answers with: the lowest 2xx code documented.
    pub fn success_code(&self) -> Option<u16> {
        self.successes()
            .filter_map(|response| response.status.code())
            .min()
    }

    /// The documented success responses.
    pub fn successes(&self) -> impl Iterator<Item = &Response> {
        self.responses.iter().filter(|r| r.is_success())
    }

    /// Parameters at `location`, in document order.
    pub fn parameters_in(&self, location: ParameterLocation) -> impl Iterator<Item = &Parameter> {
        self.parameters
            .iter()
            .filter(move |p| p.location == location)
    }

    /// The parameter `name` at `location`.
    pub fn parameter(&self, location: ParameterLocation, name: &str) -> Option<&Parameter> {
        self.parameters_in(location).find(|p| p.name == name)
    }

    /// The Junos Space service the operation belongs to: the first segment of its path
    /// (`device-management`), which is how Juniper names and versions its services; `sd` for
    /// every Security Director operation, whose paths start with `/sd/`.
    pub fn service(&self) -> &str {
        let below_base = self.path.trim_start_matches('/');
        below_base.split('/').next().unwrap_or(below_base)
    }

    /// The cargo feature of the generated client that compiles this method, or `None` when
    /// every build needs it: the session calls, which the client's login session makes
    /// whatever else a user calls. Every other method is compiled by its service's feature.
    pub fn feature(&self) -> Option<&str> {
        let sessions_own = self.session.is_some_and(SessionRole::is_the_sessions_own);
        (!sessions_own).then(|| self.service())
    }

    /// True when the success answer names a job (an asynchronous call).
    pub fn starts_job(&self) -> bool {
        !self.names.is_empty()
    }

    /// True when every answer type the method names in `Accept` is a decision of this project
    /// (`x-decision`) rather than a documented fact. A server answering another type then
    /// differs only from a decision, so a client reads it rather than refusing it (the
    /// session calls' `text/plain`, the asynchronous calls' answer types).
    pub fn answer_types_decided(&self) -> bool {
        !self.accept.is_empty()
            && self
                .accept
                .iter()
                .all(|content| content.provenance.is_decided())
    }
}

#[cfg(test)]
mod tests {
    use super::Status;

    #[test]
    fn statuses_are_codes_classes_or_default() {
        assert_eq!(Status::parse("200"), Some(Status::Code(200)));
        assert_eq!(Status::parse("4XX"), Some(Status::Class(4)));
        assert_eq!(Status::parse("default"), Some(Status::Default));
        for bad in ["20", "2000", "600", "099", "6XX", "2xx", "ok", ""] {
            assert_eq!(Status::parse(bad), None, "{bad}");
        }
        assert!(Status::Class(2).covers(204) && !Status::Class(2).covers(301));
        assert!(Status::Code(202).is_success() && !Status::Default.is_success());
        assert_eq!(Status::Class(5).to_string(), "5XX");
    }
}
