//! Judges one answer: the status against the probe's expectation, the media type by the oracle
//! against what the operation documents for that status (and what the probe asked for), and
//! the body against the schema of exactly that media type.

use junos_space_model::validate::{Reading, validate};
use junos_space_model::{MediaType, Operation, Response, Spec};
use serde_json::Value;

use super::plan::{Expect, Probe};
use super::target::Exchange;
use crate::oracle;

/// How literally answers are held to the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strictness {
    /// As a client must read a real Junos Space (`spec/README.md`, "Known divergences"): a
    /// one-member list as the member, numbers and booleans as strings, `charset` or `q` added to
    /// the answer type, an empty collection as 204 with no body, and error bodies as plain
    /// text or an HTML page. Nothing else is forgiven.
    RealServer,
    /// Every answer exactly as the spec documents it.
    Literal,
}

/// Every way the answer to `probe` falls short; empty when it passes.
pub fn judge(
    spec: &Spec,
    operation: &Operation,
    probe: &Probe,
    exchange: &Exchange,
    strictness: Strictness,
) -> Vec<String> {
    let (status, content_type, body) = match exchange {
        Exchange::NoAnswer(why) => return vec![format!("no answer: {why}")],
        Exchange::Answered {
            status,
            content_type,
            body,
        } => (*status, content_type.as_deref(), body.as_ref()),
    };
    let answer = Answer {
        status,
        content_type,
        body,
    };
    let mut problems = Vec::new();
    // What this answer is held to: a refusal, or a success with these answer types.
    let judged = match &probe.expect {
        Expect::Refusal { status, because } => Err((Some(*status), *because)),
        Expect::ClientError { because } => Err((None, *because)),
        Expect::SuccessOrRefusal {
            status: refusal,
            because,
            ..
        } if status == *refusal => Err((Some(*refusal), *because)),
        Expect::Success { accepted } | Expect::SuccessOrRefusal { accepted, .. } => Ok(accepted),
    };
    match judged {
        Err((expected, because)) => {
            let as_expected = match expected {
                Some(expected) => status == expected,
                None => (400..500).contains(&status),
            };
            if !as_expected {
                let expected = expected.map_or_else(|| "a 4xx".to_owned(), |s| s.to_string());
                problems.push(format!(
                    "expected {expected} ({because}), got {status}{}",
                    answer.shown()
                ));
            } else if let Some(response) = documented(operation, status) {
                check_documented(spec, response, &answer, None, strictness, &mut problems);
            }
        }
        Ok(accepted) => match documented(operation, status) {
            Some(response) if response.is_success() => {
                check_documented(
                    spec,
                    response,
                    &answer,
                    Some(accepted),
                    strictness,
                    &mut problems,
                );
            }
            _ if strictness == Strictness::RealServer
                && status == 204
                && body.trim_ascii().is_empty()
                && super::plan::collection_shape(spec, operation).is_some() => {}
            _ => problems.push(format!(
                "status {status} is not a success {} documents ({}){}",
                operation.operation_id,
                success_statuses(operation),
                answer.shown()
            )),
        },
    }
    problems
}

/// The answer's parts, and how they read in a message.
struct Answer<'a> {
    status: u16,
    content_type: Option<&'a str>,
    body: &'a [u8],
}

impl Answer<'_> {
    /// ` (text/html): <html>…` — the media type and the start of the body.
    fn shown(&self) -> String {
        let media = self.content_type.unwrap_or("no Content-Type");
        if self.body.trim_ascii().is_empty() {
            return format!(" ({media}, no body)");
        }
        format!(" ({media}): {}", excerpt(self.body))
    }
}

/// The first 160 characters of a body, on one line.
pub fn excerpt(body: &[u8]) -> String {
    const LIMIT: usize = 160;
    let text = String::from_utf8_lossy(body);
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!("{}…", &flat[..cut]),
        None => flat,
    }
}

fn documented(operation: &Operation, status: u16) -> Option<&Response> {
    let status = status.to_string();
    operation.responses.iter().find(|r| r.status == status)
}

fn success_statuses(operation: &Operation) -> String {
    let statuses: Vec<&str> = operation
        .responses
        .iter()
        .filter(|r| r.is_success())
        .map(|r| r.status.as_str())
        .collect();
    if statuses.is_empty() {
        "it documents no success".into()
    } else {
        format!("it documents {}", statuses.join(", "))
    }
}

/// Media type and body of an answer with a documented status.
fn check_documented(
    spec: &Spec,
    response: &Response,
    answer: &Answer<'_>,
    accepted: Option<&[String]>,
    strictness: Strictness,
    problems: &mut Vec<String>,
) {
    let status = answer.status;
    if response.content.is_empty() {
        if !answer.body.trim_ascii().is_empty() {
            problems.push(format!(
                "{status} documents no body, got {} bytes{}",
                answer.body.len(),
                answer.shown()
            ));
        }
        return;
    }
    let Some(content_type) = answer.content_type else {
        problems.push(format!(
            "no Content-Type; {status} documents {}",
            listed(response.content.iter().map(|c| c.media_type.as_str()))
        ));
        return;
    };
    let answered = match MediaType::parse(content_type) {
        Ok(media) => media,
        Err(error) => {
            problems.push(format!(
                "Content-Type `{content_type}` is malformed: {}",
                error.reason
            ));
            return;
        }
    };
    let forgiving = strictness == Strictness::RealServer;
    let same = |documented: &str| {
        MediaType::parse(documented).is_ok_and(|documented| {
            documented.is_equivalent(&answered)
                || (forgiving && documented.is_same_representation(&answered))
        })
    };
    let Some(matched) = response.content.iter().find(|c| same(&c.media_type)) else {
        let error_page = matches!(answered.essence().as_str(), "text/plain" | "text/html");
        if forgiving && !response.is_success() && error_page {
            return;
        }
        let closest = response
            .content
            .iter()
            .filter_map(|c| MediaType::parse(&c.media_type).ok())
            .map(|documented| oracle::explain(&documented, &answered))
            .min_by_key(String::len)
            .unwrap_or_default();
        problems.push(format!(
            "answer type `{content_type}` is not one {status} documents ({}): {closest}",
            listed(response.content.iter().map(|c| c.media_type.as_str()))
        ));
        return;
    };
    if let Some(accepted) = accepted
        && !accepted.is_empty()
        && !accepted.iter().any(|a| same(a))
    {
        problems.push(format!(
            "answer type `{content_type}` was not asked for (Accept named {})",
            listed(accepted.iter().map(String::as_str))
        ));
    }
    let is_json = MediaType::parse(&matched.media_type).is_ok_and(|m| m.is_json());
    if !is_json {
        return;
    }
    let value: Value = match serde_json::from_slice(answer.body) {
        Ok(value) => value,
        Err(error) => {
            problems.push(format!(
                "the body is not JSON ({error}): {}",
                excerpt(answer.body)
            ));
            return;
        }
    };
    if let Some(schema) = &matched.schema {
        let reading = Reading {
            closed: false,
            server_forms: forgiving,
        };
        for finding in validate(spec, schema, &value, reading) {
            problems.push(format!(
                "body of {status} {}: {finding}",
                matched.media_type
            ));
        }
    }
}

fn listed<'a>(types: impl Iterator<Item = &'a str>) -> String {
    types
        .map(|t| format!("`{t}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::plan::probes;
    use bytes::Bytes;

    const DEVICE: &str =
        "application/vnd.net.juniper.space.device-management.device+json;version=1";

    fn spec() -> Spec {
        Spec::from_yaml_str(junos_space_model::BUNDLED_SPEC).expect("loads")
    }

    fn operation(spec: &Spec, id: &str) -> Operation {
        spec.operations()
            .expect("operations")
            .into_iter()
            .find(|o| o.operation_id == id)
            .expect("the operation")
    }

    fn probe(operation: &Operation, name: &str) -> Probe {
        probes(operation)
            .into_iter()
            .find(|p| p.name == name)
            .expect("the probe")
    }

    fn answered(status: u16, content_type: Option<&str>, body: &str) -> Exchange {
        Exchange::Answered {
            status,
            content_type: content_type.map(str::to_owned),
            body: Bytes::from(body.to_owned()),
        }
    }

    fn both(spec: &Spec, id: &str, probe_name: &str, exchange: &Exchange) -> [Vec<String>; 2] {
        let operation = operation(spec, id);
        let probe = probe(&operation, probe_name);
        [Strictness::RealServer, Strictness::Literal]
            .map(|strictness| judge(spec, &operation, &probe, exchange, strictness))
    }

    #[test]
    fn an_added_charset_is_a_real_server_form() {
        let spec = spec();
        let exchange = answered(
            200,
            Some(&format!("{DEVICE};charset=UTF-8")),
            r#"{"device": {"id": 7, "name": "mx"}}"#,
        );
        let [real, literal] = both(&spec, "getDevice", "exact types", &exchange);
        assert_eq!(real, Vec::<String>::new());
        assert_eq!(literal.len(), 1, "{literal:?}");
        assert!(literal[0].contains("parameter `charset`"), "{literal:?}");
        // As a real server spelled a job's type (CSD docs/examples.md): `q` added, version
        // quoted.
        let quoted = DEVICE.replace("version=1", "q=\"0.01\";version=\"1\"");
        let exchange = answered(200, Some(&quoted), r#"{"device": {"id": 7, "name": "mx"}}"#);
        let [real, literal] = both(&spec, "getDevice", "exact types", &exchange);
        assert_eq!(real, Vec::<String>::new());
        assert_eq!(literal.len(), 1, "{literal:?}");
        let other = DEVICE.replace("version=1", "q=\"0.01\";version=\"2\"");
        let exchange = answered(200, Some(&other), r#"{"device": {"id": 7, "name": "mx"}}"#);
        let [real, _] = both(&spec, "getDevice", "exact types", &exchange);
        assert_eq!(real.len(), 1, "another version is never forgiven: {real:?}");
    }

    #[test]
    fn a_documented_type_that_was_not_asked_for_is_reported() {
        let spec = Spec::from_yaml_str(
            r#"
paths:
  /jobs/{id}:
    get:
      operationId: getJob
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses:
        '200':
          description: Job.
          content:
            application/vnd.net.juniper.space.job-management.job+json;version=3: {schema: {type: object}}
            application/vnd.net.juniper.space.job-management.job+json;version=2: {schema: {type: object}}
"#,
        )
        .expect("loads");
        let operation = operation(&spec, "getJob");
        let asked = Probe {
            expect: Expect::Success {
                accepted: vec![operation.accept[0].clone()],
            },
            ..probe(&operation, "exact types")
        };
        let other = answered(200, Some(&operation.accept[1]), "{}");
        let problems = judge(&spec, &operation, &asked, &other, Strictness::RealServer);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("was not asked for"), "{problems:?}");
        let any = probe(&operation, "accept: any type");
        assert_eq!(
            judge(&spec, &operation, &any, &other, Strictness::Literal),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_cancel_passes_with_success_or_its_documented_412_and_nothing_else() {
        let spec = spec();
        let cancelled = answered(200, None, "");
        let [real, literal] = both(&spec, "cancelJob", "exact types", &cancelled);
        assert_eq!((real, literal), (Vec::new(), Vec::new()));
        let too_late = answered(412, None, "");
        let [real, _] = both(&spec, "cancelJob", "exact types", &too_late);
        assert_eq!(real, Vec::<String>::new());
        let missing = answered(404, Some("application/json"), r#"{"message": "no job"}"#);
        let [real, _] = both(&spec, "cancelJob", "exact types", &missing);
        assert_eq!(real.len(), 1, "{real:?}");
        assert!(real[0].contains("404 is not a success"), "{real:?}");
    }

    #[test]
    fn only_a_collection_may_be_empty_as_204() {
        let spec = spec();
        let empty = answered(204, None, "");
        let [real, literal] = both(&spec, "listJobs", "exact types", &empty);
        assert_eq!(real, Vec::<String>::new());
        assert!(
            literal[0].contains("status 204 is not a success"),
            "{literal:?}"
        );
        let [real, _] = both(&spec, "getDevice", "exact types", &empty);
        assert!(
            real[0].contains("status 204 is not a success getDevice"),
            "{real:?}"
        );
    }

    #[test]
    fn a_documented_refusal_is_held_to_its_schema_and_pages_pass_only_as_real_forms() {
        let spec = spec();
        let json = answered(404, Some("application/json"), r#"{"message": 404}"#);
        let [real, _] = both(&spec, "getDevice", "unknown id", &json);
        assert_eq!(real.len(), 1, "{real:?}");
        assert!(real[0].contains("field /message"), "{real:?}");
        let page = answered(404, Some("text/html"), "<html>Not Found</html>");
        let [real, literal] = both(&spec, "getDevice", "unknown id", &page);
        assert_eq!(real, Vec::<String>::new());
        assert!(
            literal[0].contains("answer type `text/html`"),
            "{literal:?}"
        );
        let wrong = answered(200, Some(DEVICE), "{}");
        let [real, _] = both(&spec, "getDevice", "unknown id", &wrong);
        assert!(
            real[0].starts_with("expected 404 (no member has this id), got 200"),
            "{real:?}"
        );
    }
}
