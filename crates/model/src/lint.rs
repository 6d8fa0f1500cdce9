//! The spec lint for media types: each is well formed and spelled as it goes on the wire, in the
//! `application/vnd.net.juniper.space.<service>.<resource>` tree with a `+json`/`+xml` suffix and
//! a numeric `version`, and its service is the path's first segment. Findings name the JSON
//! pointer where the media type stands.
//!
//! Security Director's operations (paths below `/sd/`) may also use SD's own tree,
//! `application/vnd.juniper.sd.<service>.<resource>`, whose service is not held to the path's:
//! SD's clients show its paths answering types of other SD services (a policy's lock answers
//! `lock-management.object-lock`, a publish `fwpolicy-provisioning.monitorable-task-instances`,
//! a bulk delete takes `bulk-delete`, which names no resource: spec/research/sd-operations.md).
//!
//! Scope: the vendor types the client sends (request bodies) and accepts (success answers and
//! `x-accept`). Error answers (4XX, 5XX, `default`) may keep plain `application/json`, as the
//! seed's `components.responses` do: a real server sends errors as HTML, text or JSON under
//! whatever type it likes, and the client never names them in `Accept`. An error answer that
//! does use a vendor type is held to the vendor rules, except the service rule.
//!
//! One exception to the service rule: a success answer may be the job service's `task`
//! (`job-management.task`), which every asynchronous operation answers with. And two to the
//! tree: an answer may be `text/plain`, the sentence the session calls answer with (SDK22.1
//! JSUserMgtSvc/rest.login.html), and a request body may not; and the success answer of a
//! service's root path (`/tag-management`) is the service's own document, whose type names
//! the service alone (`tag-management+json;version=3`: SDK22.1 JSTagManagerSvc `v3_rest.html`),
//! and so is every answer of a service none of whose types names a resource (the bundled
//! OpenNMS answers every URL in `opennms+xml;version=1`: SDK22.3 OpenNMS `opennmsReq.html`).

use std::collections::BTreeSet;

use crate::MediaType;
use crate::api::{Additional, Api, Content, SchemaId};

/// One lint finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Where the media type stands.
    pub pointer: String,
    pub message: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "at #{}: {}", self.pointer, self.message)
    }
}

use crate::media_type::PLATFORM_TREE as VENDOR_TREE;

/// The service of every Security Director path (`/sd/...`), the one that may use SD's tree.
const SD_SERVICE: &str = "sd";

/// What the media type is for, which decides the rules it must follow.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Request,
    Success,
    Error,
}

/// Every finding in `api`, each media type once where it stands, in document order.
pub fn lint(api: &Api) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut seen = BTreeSet::new();
    let naming_resources = services_naming_resources(api);
    for operation in api.operations() {
        let service = path_service(&operation.path);
        let root = operation.path.trim_start_matches('/') == service
            || !naming_resources.contains(service);
        let mut lint = |content: &Content, role: Role| {
            if seen.insert(content.pointer.clone()) {
                let place = Place {
                    at: &content.pointer,
                    role,
                    service,
                    root,
                };
                check(&content.text, &place, &mut findings);
            }
        };
        if let Some(body) = &operation.request {
            lint(&body.content, Role::Request);
        }
        for response in &operation.responses {
            let role = if response.is_success() {
                Role::Success
            } else {
                Role::Error
            };
            for content in &response.contents {
                lint(content, role);
            }
        }
    }
    findings
}

/// The named schemas (`components/schemas`) no operation reaches, through its parameters,
/// request body or answers and their properties, items and additional properties. The
/// generated client builds a type with the services whose operations reach it, and one that
/// none reaches in every build, where a type it holds that a service gates is missing: such a
/// schema is left over, and `tests/lint.rs` refuses it by name.
pub fn unreached_schemas(api: &Api) -> Vec<&str> {
    let mut reached = BTreeSet::new();
    let mut todo: Vec<SchemaId> = api
        .operations()
        .iter()
        .flat_map(|operation| {
            let parameters = operation.parameters.iter().map(|p| Some(p.schema));
            let body = operation.request.iter().map(|b| b.content.schema);
            let answers = operation
                .responses
                .iter()
                .flat_map(|r| &r.contents)
                .map(|c| c.schema);
            parameters.chain(body).chain(answers).flatten()
        })
        .collect();
    while let Some(id) = todo.pop() {
        if !reached.insert(id) {
            continue;
        }
        let schema = api.schema(id);
        todo.extend(schema.properties.iter().map(|p| p.schema));
        todo.extend(schema.items);
        if let Additional::Each(each) = schema.additional {
            todo.push(each);
        }
    }
    api.schemas()
        .iter()
        .filter(|(id, _)| !reached.contains(id))
        .filter_map(|(_, schema)| schema.name.as_deref())
        .collect()
}

/// The service of a path: its first segment.
fn path_service(path: &str) -> &str {
    path.trim_start_matches('/').split('/').next().unwrap_or("")
}

/// The services some of whose media types name a resource (`<service>.<resource>`): in
/// every other service, the service's own type stands for all its resources.
fn services_naming_resources(api: &Api) -> BTreeSet<&str> {
    let mut services = BTreeSet::new();
    for operation in api.operations() {
        let contents = operation
            .request
            .iter()
            .map(|body| &body.content)
            .chain(operation.responses.iter().flat_map(|r| &r.contents));
        let names_one = contents
            .filter_map(|content| MediaType::parse(&content.text).ok())
            .any(|media| media.junos_space_resource().is_some());
        if names_one {
            services.insert(path_service(&operation.path));
        }
    }
    services
}

/// Where a media type stands: its pointer, its role, and the service of its path (and whether
/// the service's own type may stand there: the path is that service's root, or the service
/// names no resource in any type).
struct Place<'a> {
    at: &'a str,
    role: Role,
    service: &'a str,
    root: bool,
}

fn check(text: &str, place: &Place<'_>, findings: &mut Vec<Finding>) {
    let Place {
        at,
        role,
        service,
        root,
    } = *place;
    let mut fail = |message: String| {
        findings.push(Finding {
            pointer: at.to_owned(),
            message: format!("`{text}`: {message}"),
        })
    };
    let media = match MediaType::parse(text) {
        Ok(media) => media,
        Err(error) => return fail(format!("not well formed ({})", error.reason)),
    };
    if text.contains([' ', '\t']) {
        fail("holds white space; Junos Space matches the type literally, write it as sent".into());
    }
    if role == Role::Error && media.essence() == "application/json" {
        return;
    }
    // The session calls answer a sentence (`User logged in`), which no vendor type names.
    if role != Role::Request && media.is_plain_text() {
        return;
    }
    // A service's root document is named by the service alone.
    let root_document = (role == Role::Success && root && media.junos_space_resource().is_none())
        .then(|| media.junos_space_service())
        .flatten()
        .map(|type_service| (type_service, ""));
    // SD's own tree is SD's: a platform path answers in the platform's.
    let security_director = media.is_security_director();
    let in_tree =
        media.subtype().starts_with(VENDOR_TREE) || (security_director && service == SD_SERVICE);
    // SD's types shared by its services name no resource (`bulk-delete+json`, SHR).
    let shared_sd_type = security_director
        .then(|| media.junos_space_service())
        .flatten()
        .map(|type_service| (type_service, ""));
    let Some((type_service, resource)) = media
        .junos_space_resource()
        .or(root_document)
        .or(shared_sd_type)
        .filter(|_| in_tree)
    else {
        return fail(format!(
            "not in the application/{VENDOR_TREE}<service>.<resource> tree"
        ));
    };
    match media.suffix() {
        Some("json" | "xml") => {}
        Some(other) => fail(format!("suffix `+{other}`, expected `+json` or `+xml`")),
        None => fail("no `+json`/`+xml` suffix".into()),
    }
    match media.parameter("version") {
        None => fail("no `version` parameter".into()),
        Some(version) if version.is_empty() || !version.bytes().all(|b| b.is_ascii_digit()) => {
            fail(format!("version `{version}` is not a number"))
        }
        Some(_) => {}
    }
    let task_answer = role == Role::Success
        && type_service == "job-management"
        && resource.split('+').next() == Some("task");
    // SD's own types are not held to the path's service; a platform type on an SD path is
    // (only the job service's task, then, passes).
    if role != Role::Error && !security_director && type_service != service && !task_answer {
        fail(format!(
            "service `{type_service}` is not the path's first segment `{service}`"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
paths:
  /device-management/devices:
    post:
      operationId: discover
      requestBody:
        content:
          application/vnd.net.juniper.space.device-management.discover-devices+json;version=2;charset=UTF-8: {}
      responses:
        '202':
          content:
            application/vnd.net.juniper.space.job-management.task+json;version=1: {}
        '400': {$ref: '#/components/responses/Bad'}
components:
  responses:
    Bad:
      content:
        application/json: {}
"#;

    /// The lint's findings in `text`, or the fault the model finds when it reads it (a
    /// media type that cannot be read is refused there, where it stands).
    fn findings(text: &str) -> Vec<String> {
        match Api::from_yaml_str(text) {
            Ok(api) => lint(&api).iter().map(ToString::to_string).collect(),
            Err(fault) => vec![fault.to_string()],
        }
    }

    #[test]
    fn a_schema_no_operation_reaches_is_named() {
        let text = r#"
paths:
  /things:
    get:
      operationId: things
      responses:
        '200':
          content:
            application/vnd.net.juniper.space.things.things+json;version=1:
              schema: {$ref: '#/components/schemas/Things'}
components:
  schemas:
    Things:
      type: object
      properties:
        thing: {type: array, items: {$ref: '#/components/schemas/Thing'}}
    Thing: {type: object}
    Left: {type: object, properties: {thing: {$ref: '#/components/schemas/Thing'}}}
"#;
        let api = Api::from_yaml_str(text).expect("reads");
        assert_eq!(unreached_schemas(&api), ["Left"]);
    }

    #[test]
    fn a_good_spec_passes() {
        assert_eq!(findings(GOOD), Vec::<String>::new());
        let text_answer = GOOD.replacen(
            "application/vnd.net.juniper.space.job-management.task+json;version=1: {}",
            "text/plain: {}",
            1,
        );
        assert!(
            findings(&text_answer).is_empty(),
            "an answer may be a sentence"
        );
    }

    #[test]
    fn security_director_paths_use_its_tree_and_the_platforms_task() {
        let sd = |path: &str, answer: &str| {
            format!(
                r#"
paths:
  {path}:
    post:
      operationId: lock
      responses:
        '200':
          content:
            {answer}: {{}}
"#
            )
        };
        let lock = "application/vnd.juniper.sd.lock-management.object-lock+json;version=1";
        let task = "application/vnd.net.juniper.space.job-management.task+json;version=1";
        let path = "/sd/fwpolicy-management/firewall-policies/lock";
        // SD's types name other SD services than the path's; the task is the platform's.
        assert_eq!(findings(&sd(path, lock)), Vec::<String>::new());
        assert_eq!(findings(&sd(path, task)), Vec::<String>::new());
        let shared = "application/vnd.juniper.sd.bulk-delete+json;version=1";
        assert_eq!(findings(&sd(path, shared)), Vec::<String>::new());
        let platform_path = findings(&sd("/tag-management/tags", lock));
        assert!(
            platform_path.iter().any(|f| f.contains("not in the")),
            "{platform_path:#?}"
        );
        let platform_type = findings(&sd(
            path,
            "application/vnd.net.juniper.space.tag-management.tag+json;version=1",
        ));
        assert!(
            platform_type
                .iter()
                .any(|f| f.contains("service `tag-management`")),
            "{platform_type:#?}"
        );
    }

    #[test]
    fn a_service_type_answers_at_its_root_or_for_a_service_of_one_type() {
        let root = |path: &str| {
            format!(
                r#"
paths:
  {path}:
    get:
      operationId: root
      responses:
        '200':
          content:
            application/vnd.net.juniper.space.tag-management+json;version=3: {{}}
"#
            )
        };
        assert_eq!(findings(&root("/tag-management")), Vec::<String>::new());
        // Below the root, only where the service names no resource in any type.
        assert_eq!(
            findings(&root("/tag-management/tags")),
            Vec::<String>::new()
        );
        let with_a_resource = format!(
            r#"{}  /tag-management/tags/one:
    get:
      operationId: tag
      responses:
        '200':
          content:
            application/vnd.net.juniper.space.tag-management.tag+json;version=1: {{}}
"#,
            root("/tag-management/tags")
        );
        let elsewhere = findings(&with_a_resource);
        assert!(
            elsewhere.iter().any(|f| f.contains("not in the")),
            "{elsewhere:#?}"
        );
        let other_service = findings(&root("/user-management"));
        assert!(
            other_service
                .iter()
                .any(|f| f.contains("service `tag-management`")),
            "{other_service:#?}"
        );
    }

    #[test]
    fn seeded_faults_are_found_where_they_stand() {
        let request = "/paths/~1device-management~1devices/post/requestBody/content/";
        for (from, to, pointer, message) in [
            (
                "+json;version=2;charset",
                "+json;charset",
                request,
                "no `version` parameter",
            ),
            // The model reads only JSON (and plain-text answers): it refuses these itself.
            (
                "discover-devices+json",
                "discover-devices",
                request,
                "unknown media type",
            ),
            (
                "discover-devices+json",
                "discover-devices+yaml",
                request,
                "unknown media type",
            ),
            (
                "version=2;charset",
                "version=two;charset",
                request,
                "version `two` is not a number",
            ),
            (
                "version=2;charset",
                "version=2; charset",
                request,
                "holds white space",
            ),
            (
                "space.device-management.discover",
                "space.user-management.discover",
                request,
                "service `user-management`",
            ),
            (
                "application/vnd.net.juniper.space.device-management.discover-devices",
                "application/vnd.acme.discover-devices",
                request,
                "not in the",
            ),
            (
                "discover-devices+json",
                "discover@devices+json",
                request,
                "",
            ),
            (
                "application/vnd.net.juniper.space.device-management.discover-devices+json;version=2;charset=UTF-8",
                "text/plain",
                request,
                "unknown media type",
            ),
            (
                "task+json;version=1: {}",
                "job+json;version=1: {}",
                "/paths/~1device-management~1devices/post/responses/202/content/",
                "service `job-management`",
            ),
            (
                "application/json: {}",
                "application/vnd.net.juniper.space.x.error+json: {}",
                "/components/responses/Bad/content/",
                "no `version`",
            ),
        ] {
            assert!(GOOD.contains(from), "{from}");
            let found = findings(&GOOD.replacen(from, to, 1));
            assert!(
                found
                    .iter()
                    .any(|f| f.contains(pointer) && f.contains(message)),
                "{from} → {to}: {found:#?}"
            );
        }
    }
}
