//! Judges one answer: the status against the probe's expectation, the media type by the oracle
//! against what the operation documents for that status (and what the probe asked for), and
//! the body against the schema of exactly that media type. Each problem carries the ground of
//! what it breaks: the provenance of the form in the model, or the probe's own expectation.

use junos_space_model::api::{Content, Operation, Reading, Response};
use junos_space_model::{Api, MediaType};
use serde_json::Value;

use super::ground::{Ground, Problem};
use super::options::Strictness;
use super::plan::{self, Expect, Probe};
use super::target::Exchange;
use crate::shared::oracle;

/// Every way the answer to `probe` falls short; empty when it passes.
pub fn judge(
    api: &Api,
    operation: &Operation,
    probe: &Probe,
    exchange: &Exchange,
    strictness: Strictness,
) -> Vec<Problem> {
    let (status, content_type, body) = match exchange {
        Exchange::NoAnswer(why) => return vec![Problem::fact(format!("no answer: {why}"))],
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
        Expect::Refusal {
            status,
            because,
            ground,
        } => Err((Some(*status), *because, ground)),
        Expect::ClientError { because, ground } => Err((None, *because, ground)),
        Expect::SuccessOrRefusal {
            status: refusal,
            because,
            ..
        } if status == *refusal => Err((Some(*refusal), *because, &Ground::Fact)),
        Expect::Success { accepted, ground } => Ok((accepted, ground)),
        Expect::SuccessOrRefusal { accepted, .. } => Ok((accepted, &Ground::Fact)),
    };
    let checks = Checks {
        api,
        answer: &answer,
        strictness,
    };
    match judged {
        Err((expected, because, ground)) => {
            let as_expected = match expected {
                Some(expected) => status == expected,
                None => (400..500).contains(&status),
            };
            if !as_expected {
                let expected = expected.map_or_else(|| "a 4xx".to_owned(), |s| s.to_string());
                problems.push(Problem::on(
                    ground.clone(),
                    format!(
                        "expected {expected} ({because}), got {status}{}",
                        answer.shown()
                    ),
                ));
            } else if let Some(response) = operation.response(status) {
                checks.documented(response, None, &mut problems);
            }
        }
        Ok((accepted, ground)) => match operation.response(status) {
            Some(response) if response.is_success() => {
                let asked: Vec<&Content> = operation
                    .successes()
                    .flat_map(|r| &r.contents)
                    .filter(|c| accepted.contains(&c.text))
                    .collect();
                checks.documented(response, Some(&asked), &mut problems);
            }
            _ if strictness == Strictness::RealServer
                && status == 204
                && body.trim_ascii().is_empty()
                && plan::collection(operation).is_some() => {}
            _ => problems.push(Problem::on(
                ground.or(Ground::of_any(operation.successes().map(|r| &r.provenance))),
                format!(
                    "status {status} is not a success {} documents ({}){}",
                    operation.id,
                    success_statuses(operation),
                    answer.shown()
                ),
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

fn success_statuses(operation: &Operation) -> String {
    let statuses: Vec<String> = operation
        .successes()
        .map(|r| r.status.to_string())
        .collect();
    if statuses.is_empty() {
        "it documents no success".into()
    } else {
        format!("it documents {}", statuses.join(", "))
    }
}

/// The checks of an answer whose status the operation documents.
struct Checks<'a> {
    api: &'a Api,
    answer: &'a Answer<'a>,
    strictness: Strictness,
}

impl Checks<'_> {
    /// Media type and body of the answer against `response`; `asked` are the types the probe
    /// asked for, when it expects a success.
    fn documented(
        &self,
        response: &Response,
        asked: Option<&[&Content]>,
        problems: &mut Vec<Problem>,
    ) {
        let answer = self.answer;
        let status = answer.status;
        let documented_types = || Ground::of_any(response.contents.iter().map(|c| &c.provenance));
        if response.contents.is_empty() {
            if !answer.body.trim_ascii().is_empty() {
                problems.push(Problem::on(
                    Ground::of(&response.provenance),
                    format!(
                        "{status} documents no body, got {} bytes{}",
                        answer.body.len(),
                        answer.shown()
                    ),
                ));
            }
            return;
        }
        let Some(content_type) = answer.content_type else {
            problems.push(Problem::on(
                documented_types(),
                format!(
                    "no Content-Type; {status} documents {}",
                    listed(&response.contents)
                ),
            ));
            return;
        };
        let answered = match MediaType::parse(content_type) {
            Ok(media) => media,
            Err(error) => {
                problems.push(Problem::fact(format!(
                    "Content-Type `{content_type}` is malformed: {}",
                    error.reason
                )));
                return;
            }
        };
        let forgiving = self.strictness == Strictness::RealServer;
        let same = |documented: &Content| {
            documented.media_type.is_equivalent(&answered)
                || (forgiving && documented.media_type.is_same_representation(&answered))
        };
        let Some(matched) = response.contents.iter().find(|c| same(c)) else {
            let error_page = matches!(answered.essence().as_str(), "text/plain" | "text/html");
            if forgiving && !response.is_success() && error_page {
                return;
            }
            let closest = response
                .contents
                .iter()
                .map(|documented| oracle::explain(&documented.media_type, &answered))
                .min_by_key(String::len)
                .unwrap_or_default();
            problems.push(Problem::on(
                documented_types(),
                format!(
                    "answer type `{content_type}` is not one {status} documents ({}): {closest}",
                    listed(&response.contents)
                ),
            ));
            return;
        };
        if let Some(asked) = asked
            && !asked.is_empty()
            && !asked.iter().any(|a| same(a))
        {
            problems.push(Problem::on(
                Ground::of_any(asked.iter().map(|c| &c.provenance)),
                format!(
                    "answer type `{content_type}` was not asked for (Accept named {})",
                    listed(asked.iter().copied())
                ),
            ));
        }
        if !matched.media_type.is_json() {
            return;
        }
        let value: Value = match serde_json::from_slice(answer.body) {
            Ok(value) => value,
            Err(error) => {
                problems.push(Problem::on(
                    Ground::of(&matched.provenance),
                    format!("the body is not JSON ({error}): {}", excerpt(answer.body)),
                ));
                return;
            }
        };
        if let Some(schema) = matched.schema {
            let reading = Reading {
                closed: false,
                server_forms: forgiving,
                null_lists: forgiving,
            };
            for finding in self.api.validate(schema, &value, reading) {
                let ground = finding.decision.clone().map_or(Ground::Fact, Ground::Spec);
                problems.push(Problem::on(
                    ground,
                    format!("body of {status} {}: {finding}", matched.text),
                ));
            }
        }
    }
}

fn listed<'a>(types: impl IntoIterator<Item = &'a Content>) -> String {
    types
        .into_iter()
        .map(|t| format!("`{}`", t.text))
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

    fn spec() -> &'static Api {
        Api::bundled().expect("the bundled spec reads")
    }

    fn operation<'a>(api: &'a Api, id: &str) -> &'a Operation {
        api.operation(id).expect("the operation")
    }

    fn probe(api: &Api, operation: &Operation, name: &str) -> Probe {
        probes(api, operation)
            .into_iter()
            .find(|p| p.name == name)
            .expect("the probe")
    }

    /// The problems' texts, decided ones marked.
    fn texts(problems: Vec<Problem>) -> Vec<String> {
        problems.iter().map(ToString::to_string).collect()
    }

    fn answered(status: u16, content_type: Option<&str>, body: &str) -> Exchange {
        Exchange::Answered {
            status,
            content_type: content_type.map(str::to_owned),
            body: Bytes::from(body.to_owned()),
        }
    }

    fn both(api: &Api, id: &str, probe_name: &str, exchange: &Exchange) -> [Vec<String>; 2] {
        let operation = operation(api, id);
        let probe = probe(api, operation, probe_name);
        [Strictness::RealServer, Strictness::Literal]
            .map(|strictness| texts(judge(api, operation, &probe, exchange, strictness)))
    }

    #[test]
    fn an_added_charset_is_a_real_server_form() {
        let spec = spec();
        let exchange = answered(
            200,
            Some(&format!("{DEVICE};charset=UTF-8")),
            r#"{"device": {"id": 7, "name": "mx"}}"#,
        );
        let [real, literal] = both(spec, "getDevice", "exact types", &exchange);
        assert_eq!(real, Vec::<String>::new());
        assert_eq!(literal.len(), 1, "{literal:?}");
        assert!(literal[0].contains("parameter `charset`"), "{literal:?}");
        // As a real server spelled a job's type (CSD docs/examples.md): `q` added, version
        // quoted.
        let quoted = DEVICE.replace("version=1", "q=\"0.01\";version=\"1\"");
        let exchange = answered(200, Some(&quoted), r#"{"device": {"id": 7, "name": "mx"}}"#);
        let [real, literal] = both(spec, "getDevice", "exact types", &exchange);
        assert_eq!(real, Vec::<String>::new());
        assert_eq!(literal.len(), 1, "{literal:?}");
        let other = DEVICE.replace("version=1", "q=\"0.01\";version=\"2\"");
        let exchange = answered(200, Some(&other), r#"{"device": {"id": 7, "name": "mx"}}"#);
        let [real, _] = both(spec, "getDevice", "exact types", &exchange);
        assert_eq!(real.len(), 1, "another version is never forgiven: {real:?}");
    }

    #[test]
    fn a_documented_type_that_was_not_asked_for_is_reported() {
        let spec = &Api::from_yaml_str(
            r#"
openapi: 3.1.0
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
        let operation = operation(spec, "getJob");
        let asked = Probe {
            expect: Expect::Success {
                accepted: vec![operation.accept[0].text.clone()],
                ground: Ground::Fact,
            },
            ..probe(spec, operation, "exact types")
        };
        let other = answered(200, Some(&operation.accept[1].text), "{}");
        let problems = texts(judge(
            spec,
            operation,
            &asked,
            &other,
            Strictness::RealServer,
        ));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("was not asked for"), "{problems:?}");
        let any = probe(spec, operation, "accept: any type");
        assert_eq!(
            judge(spec, operation, &any, &other, Strictness::Literal),
            Vec::<Problem>::new()
        );
    }

    #[test]
    fn a_cancel_passes_with_success_or_its_documented_412_and_nothing_else() {
        let spec = spec();
        let cancelled = answered(200, None, "");
        let [real, literal] = both(spec, "cancelJob", "exact types", &cancelled);
        assert_eq!((real, literal), (Vec::new(), Vec::new()));
        let too_late = answered(412, None, "");
        let [real, _] = both(spec, "cancelJob", "exact types", &too_late);
        assert_eq!(real, Vec::<String>::new());
        let missing = answered(404, Some("application/json"), r#"{"message": "no job"}"#);
        let [real, _] = both(spec, "cancelJob", "exact types", &missing);
        assert_eq!(real.len(), 1, "{real:?}");
        assert!(real[0].contains("404 is not a success"), "{real:?}");
    }

    #[test]
    fn only_a_collection_may_be_empty_as_204() {
        let spec = spec();
        let empty = answered(204, None, "");
        let [real, literal] = both(spec, "listJobs", "exact types", &empty);
        assert_eq!(real, Vec::<String>::new());
        assert!(
            literal[0].contains("status 204 is not a success"),
            "{literal:?}"
        );
        let [real, _] = both(spec, "getDevice", "exact types", &empty);
        assert!(
            real[0].contains("status 204 is not a success getDevice"),
            "{real:?}"
        );
    }

    #[test]
    fn a_documented_refusal_is_held_to_its_schema_and_pages_pass_only_as_real_forms() {
        let spec = spec();
        let json = answered(404, Some("application/json"), r#"{"message": 404}"#);
        let [real, _] = both(spec, "getDevice", "unknown id", &json);
        assert_eq!(real.len(), 1, "{real:?}");
        assert!(real[0].contains("field /message"), "{real:?}");
        let page = answered(404, Some("text/html"), "<html>Not Found</html>");
        let [real, literal] = both(spec, "getDevice", "unknown id", &page);
        assert_eq!(real, Vec::<String>::new());
        assert!(
            literal[0].contains("answer type `text/html`"),
            "{literal:?}"
        );
        let wrong = answered(200, Some(DEVICE), "{}");
        let [real, _] = both(spec, "getDevice", "unknown id", &wrong);
        assert!(
            real[0].starts_with("expected 404 (no member has this id), got 200"),
            "{real:?}"
        );
    }

    /// A collection whose status, media type and one member are decisions of the project.
    const DECIDED: &str = r#"
openapi: 3.1.0
paths:
  /things:
    get:
      operationId: listThings
      responses:
        '200':
          description: Things.
          x-decision: things-status
          content:
            application/vnd.net.juniper.space.test.things+json;version=1:
              x-decision: things-type
              schema:
                type: object
                required: [documented, decided]
                properties:
                  documented: {type: string}
                  decided: {type: string, x-decision: things-member}
"#;

    /// Each problem's decision id, `-` for a fact.
    fn grounds(problems: &[Problem]) -> Vec<&str> {
        problems
            .iter()
            .map(|p| p.ground.decision_id().unwrap_or("-"))
            .collect()
    }

    #[test]
    fn a_problem_names_the_decision_of_the_form_it_breaks_and_a_fact_names_none() {
        let api = &Api::from_yaml_str(DECIDED).expect("reads");
        let operation = operation(api, "listThings");
        let exact = probe(api, operation, "exact types");
        let judged =
            |exchange: &Exchange| judge(api, operation, &exact, exchange, Strictness::RealServer);
        let things = &operation.accept[0].text;

        let other_status = answered(203, Some(things), r#"{"documented": "", "decided": ""}"#);
        assert_eq!(grounds(&judged(&other_status)), ["things-status"]);
        let other_type = answered(200, Some(&things.replace("version=1", "version=2")), "{}");
        assert_eq!(grounds(&judged(&other_type)), ["things-type"]);
        let members_missing = judged(&answered(200, Some(things), "{}"));
        assert_eq!(grounds(&members_missing), ["-", "things-member"]);
        assert!(members_missing[0].text.contains("`documented` is missing"));

        // The kit's own expectation that `*/*` is served: a 406 differs from its decision.
        let any = probe(api, operation, "accept: any type");
        let refused = answered(406, Some("text/html"), "<html>406</html>");
        let problems = judge(api, operation, &any, &refused, Strictness::RealServer);
        assert_eq!(grounds(&problems), ["any-accept-served"]);
    }
}
