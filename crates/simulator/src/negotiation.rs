//! Stage 3, negotiation: the request's `Content-Type` chooses the operation (one per request
//! media type) and its `Accept` the answer's media type, as Junos Space does it: the type and
//! its parameters must match the spec literally (case, white space, quoting and parameter
//! order aside). 415 and 406 are the container's pages; an empty or malformed header is 400.
//!
//! Decisions where the behaviour notes are silent, chosen to match RESTEasy on JBoss, which
//! Junos Space runs on:
//! - A missing `Accept`, `*/*` or `application/*` is served the operation's first type.
//! - `Accept` may list several types (`q` weights are ignored); one exact match is enough.
//! - `Content-Type` ignores `charset` and `q` (`MediaType::is_same_representation`) but not
//!   `version`; a missing one is 415; an empty or malformed one, like a malformed `Accept`,
//!   is 400.
//!
//! An `Accept` that a documented client sends (`x-also-accepts`: Juniper's Ansible collection
//! logs in asking for `user-ref+json`) is taken, and answered in the operation's first type.

use junos_space_model::MediaType;
use junos_space_model::api::error_page;
use junos_space_model::api::{Content, Operation};
use junos_space_model::media_type::list_members;

use crate::outcome::Refusal;
use crate::routes::Route;

/// How this stage decides; deviations replace a rule.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rules {
    /// A type to read a sent header as, instead of as it was sent: `None` reads it as sent.
    pub read_as: fn(sent: &str, named: &[&MediaType]) -> Option<String>,
    /// Which of the route's request types a `Content-Type` names.
    pub content_type: fn(sent: Option<&str>, taken: &[&MediaType]) -> Match<usize>,
    /// Which of an operation's answer types an `Accept` asks for.
    pub accept: fn(sent: Option<&str>, offered: &[&MediaType]) -> Match<usize>,
    /// An `Accept` read as another type (`read_as`) is answered labelled as it was sent, as a
    /// release that still serves an older version answers in that version.
    pub label_as_asked: bool,
}

impl Default for Rules {
    fn default() -> Self {
        Self {
            read_as: as_sent,
            content_type: match_content_type,
            accept: choose_accept,
            label_as_asked: false,
        }
    }
}

impl Rules {
    /// The operation of `route` whose request type the `Content-Type` names; a route whose
    /// operations take no body has one, which any request gets.
    pub fn operation<'r>(
        &self,
        route: &'r Route,
        content_type: Option<&str>,
    ) -> Result<&'r Operation, Refusal> {
        let taken: Vec<&MediaType> = route
            .operations
            .iter()
            .filter_map(|op| op.request.as_ref().map(|body| &body.content.media_type))
            .collect();
        if taken.is_empty() {
            return Ok(route.first());
        }
        let read_as = content_type.and_then(|sent| (self.read_as)(sent, &taken));
        match (self.content_type)(read_as.as_deref().or(content_type), &taken) {
            // A route's operations are the media types of one spec operation's body, so
            // either all take a body or none does: `taken` lines up with them.
            Match::Matched(at) => Ok(&route.operations[at]),
            Match::Malformed(why) => Err(Refusal::message(400, why)),
            Match::Refused(sent) => Err(Refusal::page(
                415,
                error_page::unsupported_type_description(&sent),
            )),
        }
    }

    /// The answer type of `operation` that `accept` asks for; `None` when the operation's
    /// success answers have no body.
    pub fn answer_type<'o>(
        &self,
        operation: &'o Operation,
        accept: Option<&str>,
    ) -> Result<Option<&'o Content>, Refusal> {
        let offered: Vec<&MediaType> = operation.accept.iter().map(|c| &c.media_type).collect();
        let read_as = accept.and_then(|sent| (self.read_as)(sent, &offered));
        match (self.accept)(read_as.as_deref().or(accept), &offered) {
            Match::Matched(at) => Ok(operation.accept.get(at)),
            Match::Malformed(why) => Err(Refusal::message(400, why)),
            Match::Refused(accept) if is_also_accepted(operation, &accept) => {
                Ok(operation.accept.first())
            }
            Match::Refused(accept) => Err(Refusal::page(
                406,
                error_page::not_acceptable_description(&accept),
            )),
        }
    }
}

/// Whether `accept` names a type a documented client sends to `operation` beyond its answer
/// types.
fn is_also_accepted(operation: &Operation, accept: &str) -> bool {
    let also: Vec<&MediaType> = operation.also_accepts.iter().collect();
    !also.is_empty() && matches!(choose_accept(Some(accept), &also), Match::Matched(_))
}

impl Rules {
    /// The media type to label the answer with instead of the operation's, when `accept` was
    /// read as another type and the rules answer as asked.
    pub fn label(&self, operation: &Operation, accept: Option<&str>) -> Option<String> {
        if !self.label_as_asked {
            return None;
        }
        let offered: Vec<&MediaType> = operation.accept.iter().map(|c| &c.media_type).collect();
        let sent = accept?;
        (self.read_as)(sent, &offered).map(|_| sent.trim().to_owned())
    }
}

fn as_sent(_sent: &str, _named: &[&MediaType]) -> Option<String> {
    None
}

/// The ignore-accept and accept-any-content-type deviations: whatever was sent, the first.
pub(crate) fn first_whatever_sent(_sent: Option<&str>, _types: &[&MediaType]) -> Match<usize> {
    Match::Matched(0)
}

/// Outcome of reading a header against what the operation names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Match<T> {
    Matched(T),
    /// 400: the header is empty or not a media type.
    Malformed(String),
    /// 406 for `Accept`, 415 for `Content-Type`.
    Refused(String),
}

/// Picks the answer type: the index in `offered` of the first type `accept` allows.
fn choose_accept(accept: Option<&str>, offered: &[&MediaType]) -> Match<usize> {
    let Some(accept) = accept else {
        return Match::Matched(0);
    };
    if accept.trim().is_empty() {
        return Match::Malformed("the Accept header is empty".into());
    }
    let mut wanted = Vec::new();
    for entry in list_members(accept) {
        match MediaType::parse(entry) {
            Ok(media) => wanted.push(media.without_parameter("q")),
            Err(error) => return Match::Malformed(format!("Accept: {error}")),
        }
    }
    if offered.is_empty() {
        // Nothing to choose between (an answer without a body): any well-formed Accept does.
        return Match::Matched(0);
    }
    for media in &wanted {
        let wildcard = match (media.type_(), media.subtype()) {
            ("*", "*") => true,
            (type_, "*") => offered.iter().any(|o| o.type_() == type_),
            _ => false,
        };
        if wildcard {
            return Match::Matched(0);
        }
        if let Some(at) = offered.iter().position(|o| o.is_equivalent(media)) {
            return Match::Matched(at);
        }
    }
    Match::Refused(accept.to_owned())
}

/// Checks a request `Content-Type` against the types the route takes; returns the index of
/// the match.
fn match_content_type(content_type: Option<&str>, taken: &[&MediaType]) -> Match<usize> {
    let Some(content_type) = content_type else {
        return Match::Refused("no Content-Type".into());
    };
    if content_type.trim().is_empty() {
        return Match::Malformed("the Content-Type header is empty".into());
    }
    let sent = match MediaType::parse(content_type.trim()) {
        Ok(media) => media,
        Err(error) => return Match::Malformed(format!("Content-Type: {error}")),
    };
    match taken.iter().position(|t| t.is_same_representation(&sent)) {
        Some(at) => Match::Matched(at),
        None => Match::Refused(content_type.to_owned()),
    }
}

/// The serve-older-versions deviation: the named type `sent` is an older version of, written
/// as named, as a release that keeps its deprecated versions serves them. `None` when `sent`
/// is not one type, or is not an older version of one of `named`.
pub(crate) fn older_version_of(sent: &str, named: &[&MediaType]) -> Option<String> {
    let sent = MediaType::parse(sent.trim()).ok()?;
    if named
        .iter()
        .any(|media| media.is_same_representation(&sent))
    {
        // Named itself (discover-devices version 1 beside version 2): served as it is.
        return None;
    }
    let version = |media: &MediaType| media.parameter("version")?.parse::<u64>().ok();
    let sent_version = version(&sent)?;
    named
        .iter()
        .find(|media| {
            version(media).is_some_and(|named| sent_version < named)
                && media
                    .without_parameter("version")
                    .is_same_representation(&sent.without_parameter("version"))
        })
        .map(|media| media.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEVICES: &str =
        "application/vnd.net.juniper.space.device-management.devices+json;version=2";

    #[test]
    fn accept_is_matched_exactly_but_for_spelling() {
        let devices = MediaType::parse(DEVICES).expect("parses");
        let offered = [&devices];
        for accept in [
            None,
            Some("*/*"),
            Some("application/*"),
            Some(DEVICES),
            Some(
                "application/xml, application/vnd.net.juniper.space.device-management.devices+json; version=\"2\";q=0.9",
            ),
        ] {
            assert_eq!(
                choose_accept(accept, &offered),
                Match::Matched(0),
                "{accept:?}"
            );
        }
        for refused in [
            "application/json",
            "application/vnd.net.juniper.space.device-management.devices+json;version=3",
            "application/vnd.net.juniper.space.device-management.devices+json",
            "application/vnd.net.juniper.space.device-management.device+json;version=2",
            "text/*",
        ] {
            assert!(
                matches!(choose_accept(Some(refused), &offered), Match::Refused(_)),
                "{refused}"
            );
        }
        for malformed in ["", "  ", "json", "application/json;version"] {
            assert!(
                matches!(
                    choose_accept(Some(malformed), &offered),
                    Match::Malformed(_)
                ),
                "{malformed}"
            );
        }
    }

    #[test]
    fn content_type_ignores_charset_only() {
        let taken = MediaType::parse("application/vnd.a.exec-deploy+json;version=1;charset=UTF-8")
            .expect("parses");
        let taken = [&taken];
        assert_eq!(
            match_content_type(Some("application/vnd.a.exec-deploy+json;version=1"), &taken),
            Match::Matched(0)
        );
        assert_eq!(
            match_content_type(
                Some("application/vnd.a.exec-deploy+json;charset=utf-8;version=1"),
                &taken
            ),
            Match::Matched(0)
        );
        for refused in [
            None,
            Some("application/json"),
            Some("application/vnd.a.exec-deploy+json;version=2"),
        ] {
            assert!(
                matches!(match_content_type(refused, &taken), Match::Refused(_)),
                "{refused:?}"
            );
        }
        for malformed in ["", "nonsense", "application/json;=1"] {
            assert!(
                matches!(
                    match_content_type(Some(malformed), &taken),
                    Match::Malformed(_)
                ),
                "{malformed}"
            );
        }
    }

    #[test]
    fn an_older_version_is_read_as_the_named_one() {
        let named = MediaType::parse(DEVICES).expect("parses");
        let older = DEVICES.replace("version=2", "version=1");
        assert_eq!(
            older_version_of(&older, &[&named]).as_deref(),
            Some(DEVICES)
        );
        let newer = DEVICES.replace("version=2", "version=3");
        assert_eq!(older_version_of(&newer, &[&named]), None);
        assert_eq!(older_version_of("application/json", &[&named]), None);
        let named_older = MediaType::parse(&older).expect("parses");
        assert_eq!(older_version_of(&older, &[&named, &named_older]), None);
        assert_eq!(as_sent(&older, &[&named]), None);
    }
}
