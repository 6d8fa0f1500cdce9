//! Request conformance: arguments and bodies generated from an operation's schemas, and the
//! check that the recorded request is exactly what the spec says (method, path, query and its
//! encoding, `Content-Type` and `Accept` by the oracle, body against the schema).

use std::fmt;

use httpmock::prelude::HttpMockRequest;
use junos_space_model::api::{Operation, ParameterLocation, Reading, SchemaId};
use junos_space_model::{Api, MediaType, SpecError};
use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;
use serde_json::{Map, Value};

use super::mock::origin_form;
use crate::shared::{compare, oracle, schema};

/// The arguments of one call: parameters by their spec names, and the request body.
#[derive(Clone, PartialEq)]
pub struct RequestCase {
    pub parameters: Map<String, Value>,
    pub body: Option<Value>,
}

impl fmt::Debug for RequestCase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "parameters {}", Value::Object(self.parameters.clone()))?;
        if let Some(body) = &self.body {
            write!(f, ", body {body}")?;
        }
        Ok(())
    }
}

/// What reqwest sends in `Accept` for a method whose answer has no body.
const ANY_TYPE: &str = "*/*";

fn any_type() -> MediaType {
    MediaType::parse(ANY_TYPE).unwrap_or_else(|_| unreachable!("`*/*` is a media range"))
}

/// Request headers a client may send besides the two media types: HTTP's own.
const HTTP_HEADERS: &[&str] = &[
    "host",
    "content-length",
    "accept-encoding",
    "user-agent",
    "connection",
    "authorization",
    "cookie",
];

/// A strategy for every call of `operation` the spec allows: each path parameter, each
/// optional query parameter present or not, and a schema-valid body.
pub fn case_strategy(
    api: &Api,
    operation: &Operation,
) -> Result<BoxedStrategy<RequestCase>, SpecError> {
    let mut parameters = Vec::new();
    for parameter in &operation.parameters {
        let mut value = schema::strategy(api, parameter.schema)?;
        if parameter.location == ParameterLocation::Path {
            value = value
                .prop_filter("no URL carries a `.` or `..` path segment", |v| {
                    !is_dot_segment(v)
                })
                .boxed();
        }
        parameters.push(schema::named(&parameter.name, value, parameter.required));
    }
    let body: BoxedStrategy<Option<Value>> = match body_schema(operation) {
        Some(body_schema) => schema::strategy(api, body_schema)?.prop_map(Some).boxed(),
        None => Just(None).boxed(),
    };
    Ok((parameters, body)
        .prop_map(|(parameters, body)| RequestCase {
            parameters: parameters.into_iter().flatten().collect(),
            body,
        })
        .boxed())
}

/// Whether a path parameter's value is `.` or `..`: the URL standard removes such a segment
/// from every http(s) path, encoded or not (`%2E`), so no client can send it and no server
/// sees it. A text parameter (a routing engine's serial number) is never one.
fn is_dot_segment(value: &Value) -> bool {
    matches!(value.as_str(), Some("." | ".."))
}

/// The schema of `operation`'s request body, when it takes one that has a schema.
fn body_schema(operation: &Operation) -> Option<SchemaId> {
    operation.request.as_ref()?.content.schema
}

/// Everything in `request` that is not what `operation` must send for `case`, one line each.
/// `base_path` is the path the operation sits below (`/api/space`, or its own server's).
pub fn check(
    api: &Api,
    operation: &Operation,
    case: &RequestCase,
    base_path: &str,
    request: &HttpMockRequest,
) -> Vec<String> {
    let mut faults = Vec::new();
    if request.method_str() != operation.method.as_str() {
        faults.push(format!(
            "method {} instead of {}",
            request.method_str(),
            operation.method.as_str()
        ));
    }
    let target = origin_form(request.uri_str());
    let (raw_path, raw_query) = target.split_once('?').unwrap_or((target, ""));

    let mut expected_path = format!("{base_path}{}", operation.path);
    for parameter in operation.parameters_in(ParameterLocation::Path) {
        if let Some(value) = case.parameters.get(&parameter.name) {
            expected_path =
                expected_path.replace(&format!("{{{}}}", parameter.name), &text_of(value));
        }
    }
    let path = percent_decode(raw_path, false);
    if path != expected_path {
        faults.push(format!("path {path} instead of {expected_path}"));
    }

    if let Some(bad) = raw_query.chars().find(|c| !is_query_safe(*c)) {
        faults.push(format!("query `{raw_query}` leaves {bad:?} unencoded"));
    }
    let mut sent_query: Vec<(String, String)> = raw_query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(name, true), percent_decode(value, true))
        })
        .collect();
    sent_query.sort();
    let mut expected_query: Vec<(String, String)> = operation
        .parameters_in(ParameterLocation::Query)
        .filter_map(|p| {
            case.parameters
                .get(&p.name)
                .map(|value| (p.name.clone(), text_of(value)))
        })
        .collect();
    expected_query.sort();
    if sent_query != expected_query {
        faults.push(format!(
            "query {sent_query:?} instead of {expected_query:?}"
        ));
    }

    let headers = request.headers_vec();
    let header = |name: &str| -> Vec<&str> {
        headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    };
    let content_types = header("content-type");
    let request_type = operation.request.as_ref().map(|body| &body.content);
    match (request_type, content_types.as_slice()) {
        (None, []) => {}
        (None, sent) => faults.push(format!("Content-Type {sent:?} on a request without a body")),
        (Some(expected), [] | [_]) => {
            if let Err(fault) = oracle::check_content_type(expected, content_types.first().copied())
            {
                faults.push(fault);
            }
        }
        (Some(_), several) => faults.push(format!("several Content-Type headers {several:?}")),
    }
    let accepts = header("accept");
    // A method without a response body names no Accept; reqwest then sends `*/*`.
    let any_type = any_type();
    // Where the spec gives the Accept as sent (`x-accept`, each type with its `q`), exactly that.
    let as_sent: Vec<(&str, MediaType)> = operation
        .accept_as_sent
        .iter()
        .filter_map(|text| Some((text.as_str(), MediaType::parse(text).ok()?)))
        .collect();
    let expected_accept: Vec<(&str, &MediaType)> = if operation.accept.is_empty() {
        vec![(ANY_TYPE, &any_type)]
    } else if !as_sent.is_empty() {
        as_sent.iter().map(|(text, media)| (*text, media)).collect()
    } else {
        operation
            .accept
            .iter()
            .map(|content| (content.text.as_str(), &content.media_type))
            .collect()
    };
    match accepts.as_slice() {
        [] | [_] => {
            if let Err(fault) = oracle::check_accept(&expected_accept, accepts.first().copied()) {
                faults.push(fault);
            }
        }
        several => faults.push(format!("several Accept headers {several:?}")),
    }
    for (name, _) in headers {
        let known = ["accept", "content-type"]
            .iter()
            .chain(HTTP_HEADERS)
            .any(|h| name.eq_ignore_ascii_case(h));
        if !known {
            faults.push(format!("header `{name}` is not one the spec defines"));
        }
    }

    let body = request.body_ref();
    match (&operation.request, &case.body) {
        (Some(_), Some(expected)) => match serde_json::from_slice::<Value>(body) {
            Err(error) => faults.push(format!("body is not JSON: {error}")),
            Ok(sent) => {
                let Some(body_schema) = body_schema(operation) else {
                    return faults;
                };
                for finding in api.validate(body_schema, &sent, Reading::CLOSED) {
                    faults.push(format!("body {finding}"));
                }
                let sent = compare::canonical(api, body_schema, &sent);
                let expected = compare::canonical(api, body_schema, expected);
                for difference in compare::differences(&expected, &sent) {
                    faults.push(format!("body {difference}"));
                }
            }
        },
        _ if !body.is_empty() => faults.push(format!(
            "a body on a request the spec gives none: {}",
            String::from_utf8_lossy(body)
        )),
        _ => {}
    }
    faults
}

/// How a parameter value is written in a path or query: strings bare, the rest as JSON.
fn text_of(value: &Value) -> String {
    value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_owned)
}

/// What `application/x-www-form-urlencoded` (as reqwest writes it) leaves bare.
fn is_query_safe(c: char) -> bool {
    c.is_ascii_alphanumeric() || "*-._~%+&=".contains(c)
}

/// Decodes `%XX` escapes (and `+` as a space in a query); malformed escapes stay as written.
fn percent_decode(text: &str, plus_is_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escape = bytes
            .get(i + 1..i + 3)
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match (bytes[i], escape) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                i += 3;
                continue;
            }
            (b'+', _) if plus_is_space => decoded.push(b' '),
            (byte, _) => decoded.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_method_without_an_answer_body_accepts_any_type() {
        assert_eq!(any_type().to_string(), ANY_TYPE);
    }

    #[test]
    fn a_path_segment_no_url_can_carry_is_never_drawn() {
        let api = Api::from_yaml_str(
            r#"
openapi: 3.1.0
paths:
  /things/{name}:
    get:
      operationId: getThing
      parameters:
        - {name: name, in: path, required: true, schema: {type: string}}
      responses:
        '204': {description: none}
"#,
        )
        .expect("test spec reads");
        let operation = &api.operations()[0];
        let strategy = case_strategy(&api, operation).expect("a strategy");
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        for _ in 0..2000 {
            let case = strategy.new_tree(&mut runner).expect("a case").current();
            assert!(!is_dot_segment(&case.parameters["name"]), "{case:?}");
        }
        assert!(is_dot_segment(&Value::from("..")));
        assert!(!is_dot_segment(&Value::from("...")));
    }

    #[test]
    fn form_decoding_reads_plus_and_escapes() {
        assert_eq!(percent_decode("a+b%27c%C3%A9%zz", true), "a b'cé%zz");
        assert_eq!(percent_decode("/a+b", false), "/a+b");
    }
}
