//! Stage 6, answer writing: a behaviour's [`Outcome`] or a stage's [`Refusal`] as the status,
//! media type, headers and body that go on the wire. Successes are written in the negotiated
//! type and the real server's value forms; refusals as the container's page or in the form
//! the operation documents for the status.

use bytes::Bytes;
use junos_space_model::api::error_page;
use junos_space_model::api::{Content, Forms, Operation, SchemaId};
use junos_space_model::media_type::near_miss;
use junos_space_model::{Api, MediaType};
use serde_json::{Value, json};

use crate::outcome::{Headers, Outcome, Reason, Refusal};
use crate::tweaks::Tweaks;

const PLAIN_TEXT: &str = "text/plain;charset=UTF-8";
const JSON: &str = "application/json";

/// An answer as it goes on the wire.
#[derive(Debug)]
pub(crate) struct Answer {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Bytes,
    pub headers: Headers,
}

impl Answer {
    fn new(status: u16, content_type: Option<&str>, body: impl Into<Bytes>) -> Self {
        Self {
            status,
            content_type: content_type.map(str::to_owned),
            body: body.into(),
            headers: Headers::new(),
        }
    }

    fn empty(status: u16) -> Self {
        Self::new(status, None, Bytes::new())
    }

    /// Plain text (the HornetQ interface's answers); no body and no type when `text` is empty.
    pub fn text(status: u16, text: &str) -> Self {
        match text {
            "" => Self::empty(status),
            text => Self::new(status, Some(PLAIN_TEXT), text.to_owned()),
        }
    }

    /// An XML document (a HornetQ message).
    pub fn xml(status: u16, document: String) -> Self {
        Self::new(status, Some("application/xml"), document)
    }

    /// The answer with one more header.
    pub fn with_header(mut self, name: &'static str, value: String) -> Self {
        self.headers.push((name, value));
        self
    }

    /// A JBoss error page (404, 405, 406, 415, 5xx).
    pub fn page(status: u16, description: &str) -> Self {
        Self::new(
            status,
            Some(error_page::ERROR_PAGE_TYPE),
            error_page::error_page(status, description),
        )
    }

    fn json(status: u16, media: &str, body: &Value) -> Self {
        Self::new(status, Some(media), body.to_string())
    }
}

/// How this stage writes; realism sets the first three, deviations change the others.
#[derive(Debug)]
pub(crate) struct Rules {
    /// The value forms of success bodies.
    pub forms: Forms,
    /// A page without members is 204 without a body, but where a filter matched nothing.
    pub empty_pages_as_204: bool,
    /// Every 401 is plain text, whatever the operation documents.
    pub plain_text_401: bool,
    /// The status of a success, from the documented one.
    pub status: fn(u16) -> u16,
    /// Changes to the media type a JSON success names.
    pub media_type: Tweaks<MediaType>,
    /// A success body, from the body the behaviour made (a value of `schema`).
    pub body: fn(&Api, SchemaId, Value) -> Value,
}

impl Rules {
    /// Answers as documented, in `forms`.
    pub fn new(forms: Forms, empty_pages_as_204: bool, plain_text_401: bool) -> Self {
        Self {
            forms,
            empty_pages_as_204,
            plain_text_401,
            status: |documented| documented,
            media_type: Tweaks::default(),
            body: |_, _, body| body,
        }
    }
}

/// The undocumented-status deviation: 203 for a 200, 200 for any other success.
pub(crate) fn undocumented_status(documented: u16) -> u16 {
    if documented == 200 { 203 } else { 200 }
}

/// The wrong-response-version deviation: the `version` parameter raised by one.
pub(crate) fn next_version(media: MediaType) -> MediaType {
    near_miss::next_version(&media).unwrap_or(media)
}

/// The sibling-media-type deviation: a sibling type of the same service.
pub(crate) fn sibling(media: MediaType) -> MediaType {
    near_miss::sibling_resource(&media)
}

/// The missing-required-field deviation: the body without the first property its schema (or
/// a schema of an object inside it) marks required, depth first.
pub(crate) fn without_first_required(api: &Api, schema: SchemaId, mut body: Value) -> Value {
    drop_first_required(api, schema, &mut body);
    body
}

fn drop_first_required(api: &Api, schema: SchemaId, value: &mut Value) -> bool {
    let Some(object) = value.as_object_mut() else {
        return false;
    };
    let schema = api.schema(schema);
    if let Some(name) = schema.required().find(|name| object.contains_key(*name)) {
        let name = name.to_owned();
        object.remove(&name);
        return true;
    }
    schema.properties.iter().any(|property| {
        object
            .get_mut(&property.name)
            .is_some_and(|member| drop_first_required(api, property.schema, member))
    })
}

/// The off-vocabulary deviation: in an answer of one member (not a collection's page, whose
/// values a client filters on again), every string whose schema lists the values the sources
/// document (`x-vocabulary`) is written with the case of each letter swapped (DONE → done, up →
/// UP), a value none of them shows, which a reader that ignores case still understands.
pub(crate) fn vocabulary_case_swapped(api: &Api, schema: SchemaId, mut body: Value) -> Value {
    if api.collection_of(schema).is_none() {
        swap_vocabulary_case(api, schema, &mut body);
    }
    body
}

fn swap_vocabulary_case(api: &Api, schema: SchemaId, value: &mut Value) {
    let schema = api.schema(schema);
    match value {
        Value::String(text) if schema.vocabulary.is_some() => {
            *text = text
                .chars()
                .map(|c| {
                    if c.is_ascii_lowercase() {
                        c.to_ascii_uppercase()
                    } else {
                        c.to_ascii_lowercase()
                    }
                })
                .collect();
        }
        Value::Object(members) => {
            for (name, member) in members {
                if let Some(member_schema) = schema.member_schema(name) {
                    swap_vocabulary_case(api, member_schema, member);
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.items {
                items
                    .iter_mut()
                    .for_each(|item| swap_vocabulary_case(api, item_schema, item));
            }
        }
        _ => {}
    }
}

/// What a success is written as: the operation's success status, the negotiated answer type
/// and that type's schema.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Success<'a> {
    pub status: u16,
    pub answer_type: Option<&'a Content>,
    pub schema: Option<SchemaId>,
    /// The media type to name instead of the answer type's, when the rules answer as asked.
    pub label: Option<&'a str>,
}

/// Writes answers by `rules`, with the schemas of `api`.
pub(crate) struct Writer<'a> {
    pub api: &'a Api,
    pub rules: &'a Rules,
}

impl Writer<'_> {
    /// The answer to what a behaviour did.
    pub fn outcome(&self, success: Success<'_>, outcome: Outcome) -> Answer {
        match outcome {
            Outcome::Said { text, headers } => {
                let media = success.answer_type.map_or(PLAIN_TEXT, |c| c.text.as_str());
                let mut answer = Answer::new(success.status, Some(media), text);
                answer.headers = headers;
                answer
            }
            Outcome::Listed {
                shown: 0,
                total,
                filtered,
                ..
            } if self.rules.empty_pages_as_204 && !(filtered && total == 0) => Answer::empty(204),
            Outcome::Listed { page, .. } => self.success(success, Some(page)),
            Outcome::Done(body) => self.success(success, body),
        }
    }

    /// A success in the negotiated type and the value forms of the rules.
    fn success(&self, success: Success<'_>, body: Option<Value>) -> Answer {
        let status = (self.rules.status)(success.status);
        let Some(body) = body else {
            return Answer::empty(status);
        };
        let body = match success.schema {
            Some(schema) => {
                let body = (self.rules.body)(self.api, schema, body);
                self.api.render(schema, &body, self.rules.forms)
            }
            None => body,
        };
        let media = match (success.label, success.answer_type) {
            (Some(label), _) => label.to_owned(),
            (None, Some(content)) => self.spelled(content),
            (None, None) => JSON.to_owned(),
        };
        Answer::json(status, &media, &body)
    }

    /// The media type a success names: as the spec spells it, unless the rules change it.
    fn spelled(&self, content: &Content) -> String {
        if self.rules.media_type.is_empty() {
            return content.text.clone();
        }
        let changed = self.rules.media_type.apply(content.media_type.clone());
        changed.to_string()
    }

    /// The answer to a refusal, for `operation` when one is known by then.
    pub fn refusal(&self, operation: Option<&Operation>, refusal: Refusal) -> Answer {
        let Refusal {
            status,
            reason,
            headers,
        } = refusal;
        let mut answer = match reason {
            Reason::Page(description) => Answer::page(status, &description),
            Reason::Message(message) => self.error(operation, status, &message),
        };
        answer.headers.extend(headers);
        answer
    }

    /// An error answer in the form the operation documents for `status`: plain text, no body,
    /// or JSON in its type (`application/json` when the status is undocumented). A realistic
    /// server answers every 401 in plain text.
    fn error(&self, operation: Option<&Operation>, status: u16, message: &str) -> Answer {
        if status == 401 && self.rules.plain_text_401 {
            return Answer::new(401, Some(PLAIN_TEXT), message.to_owned());
        }
        let documented = operation.and_then(|operation| operation.response(status));
        let content = documented.and_then(|response| response.contents.first());
        match content {
            Some(text) if text.media_type.is_plain_text() => {
                Answer::new(status, Some(&text.text), message.to_owned())
            }
            None if documented.is_some() => Answer::empty(status),
            _ => Answer::json(
                status,
                content.map_or(JSON, |c| c.text.as_str()),
                &json!({ "message": message }),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api() -> Api {
        Api::from_yaml_str(
            r#"
openapi: 3.1.0
paths: {}
components:
  schemas:
    Task:
      type: object
      required: ['@href', id]
      properties:
        '@href': {type: string}
        id: {type: integer, minimum: 0}
    Wrapper:
      type: object
      properties:
        task: {$ref: '#/components/schemas/Task'}
        flags: {type: array, items: {type: boolean}}
        state: {type: string, enum: [up, down]}
"#,
        )
        .expect("test spec reads")
    }

    #[test]
    fn the_first_required_property_is_dropped_depth_first() {
        let api = api();
        let wrapper = api.schemas().named("Wrapper").expect("declared");
        let answer = json!({"task": {"@href": "/x", "id": 3}});
        assert_eq!(
            without_first_required(&api, wrapper, answer),
            json!({"task": {"id": 3}})
        );
        let nothing_required = json!({"state": "up"});
        assert_eq!(
            without_first_required(&api, wrapper, nothing_required.clone()),
            nothing_required
        );
    }

    #[test]
    fn deviant_statuses_and_types_are_near_the_documented_ones() {
        assert_eq!(undocumented_status(200), 203);
        assert_eq!(undocumented_status(202), 200);
        let devices = MediaType::parse(
            "application/vnd.net.juniper.space.device-management.devices+json;version=2",
        )
        .expect("parses");
        assert_eq!(
            next_version(devices.clone()).parameter("version"),
            Some("3")
        );
        assert!(sibling(devices).to_string().contains(".device+json"));
    }
}
