//! The spec lint for media types: each is well formed and spelled as it goes on the wire, in the
//! `application/vnd.net.juniper.space.<service>.<resource>` tree with a `+json`/`+xml` suffix and
//! a numeric `version`, and its service is the path's first segment. Findings name the JSON
//! pointer where the media type stands.
//!
//! Scope: the vendor types the client sends (request bodies) and accepts (success answers and
//! `x-accept`). Error answers (4XX, 5XX, `default`) may keep plain `application/json`, as the
//! seed's `components.responses` do: a real server sends errors as HTML, text or JSON under
//! whatever type it likes, and the client never names them in `Accept`. An error answer that
//! does use a vendor type is held to the vendor rules, except the service rule.
//!
//! One exception to the service rule: a success answer may be the job service's `task`
//! (`job-management.task`), which every asynchronous operation answers with. And one to the
//! tree: an answer may be `text/plain`, the sentence the session calls answer with (SDK22.1
//! JSUserMgtSvc/rest.login.html); a request body may not.

use crate::{MediaType, Spec, X_ACCEPT, pointer};
use serde_json::Value;

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

const VENDOR_TREE: &str = "vnd.net.juniper.space.";
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// What the media type is for, which decides the rules it must follow.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Request,
    Success,
    Error,
}

/// Every finding in `spec`, in document order.
pub fn lint(spec: &Spec) -> Vec<Finding> {
    let mut findings = Vec::new();
    let paths = spec.document().get("paths").and_then(Value::as_object);
    for (path, item) in paths.into_iter().flatten() {
        let service = path.trim_start_matches('/').split('/').next().unwrap_or("");
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let op_at = pointer::from_tokens(["paths", path.as_str(), method]);
            let body_at = pointer::join(&op_at, "requestBody");
            if let Some(body) = operation.get("requestBody")
                && let Ok((body, body_at)) = spec.follow_refs(body, &body_at)
            {
                for (media_type, media) in entries(body.get("content")) {
                    let at = pointer::join(&pointer::join(&body_at, "content"), media_type);
                    check(media_type, &at, Role::Request, service, &mut findings);
                    let accept = media.get(X_ACCEPT).and_then(Value::as_array);
                    for (i, accepted) in accept.into_iter().flatten().enumerate() {
                        let item_at = pointer::join(&pointer::join(&at, X_ACCEPT), &i.to_string());
                        match accepted.as_str() {
                            Some(text) => {
                                check(text, &item_at, Role::Success, service, &mut findings)
                            }
                            None => findings.push(Finding {
                                pointer: item_at,
                                message: format!("{accepted} is not a media type string"),
                            }),
                        }
                    }
                }
            }
            for (status, response) in entries(operation.get("responses")) {
                let role = if status.starts_with('2') {
                    Role::Success
                } else {
                    Role::Error
                };
                let at = pointer::join(&pointer::join(&op_at, "responses"), status);
                let Ok((response, at)) = spec.follow_refs(response, &at) else {
                    findings.push(Finding {
                        pointer: at,
                        message: "the response's $ref points at nothing".into(),
                    });
                    continue;
                };
                for (media_type, _) in entries(response.get("content")) {
                    let media_at = pointer::join(&pointer::join(&at, "content"), media_type);
                    check(media_type, &media_at, role, service, &mut findings);
                }
            }
        }
    }
    findings
}

fn entries(value: Option<&Value>) -> impl Iterator<Item = (&str, &Value)> {
    value
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.as_str(), v))
}

fn check(text: &str, at: &str, role: Role, service: &str, findings: &mut Vec<Finding>) {
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
    let Some((type_service, resource)) = media
        .junos_space_resource()
        .filter(|_| media.subtype().starts_with(VENDOR_TREE))
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
    if role != Role::Error && type_service != service && !task_answer {
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
      requestBody:
        content:
          application/vnd.net.juniper.space.device-management.discover-devices+json;version=2;charset=UTF-8:
            x-accept: [application/vnd.net.juniper.space.job-management.task+json;version=1]
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

    fn findings(text: &str) -> Vec<String> {
        lint(&Spec::from_yaml_str(text).expect("parses"))
            .iter()
            .map(ToString::to_string)
            .collect()
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
    fn seeded_faults_are_found_where_they_stand() {
        let request = "/paths/~1device-management~1devices/post/requestBody/content/";
        for (from, to, pointer, message) in [
            (
                "+json;version=2;charset",
                "+json;charset",
                request,
                "no `version` parameter",
            ),
            (
                "discover-devices+json",
                "discover-devices",
                request,
                "no `+json`/`+xml` suffix",
            ),
            (
                "discover-devices+json",
                "discover-devices+yaml",
                request,
                "suffix `+yaml`",
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
                "not well formed",
            ),
            (
                "application/vnd.net.juniper.space.device-management.discover-devices+json;version=2;charset=UTF-8",
                "text/plain",
                request,
                "not in the",
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
            (
                "[application/vnd.net.juniper.space.job-management.task+json;version=1]",
                "[application/json]",
                "/x-accept/0",
                "not in the",
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
