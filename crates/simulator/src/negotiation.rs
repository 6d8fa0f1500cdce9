//! Media-type negotiation as Junos Space does it: the type and its parameters must match the
//! spec literally (case, white space, quoting and parameter order aside).
//!
//! Decisions where the behaviour notes are silent, chosen to match RESTEasy on JBoss, which
//! Junos Space runs on:
//! - A missing `Accept`, `*/*` or `application/*` is served the operation's first type.
//! - `Accept` may list several types (`q` weights are ignored); one exact match is enough.
//! - `Content-Type` ignores `charset` and `q` (`MediaType::is_same_representation`) but not
//!   `version`; a missing one is 415; an empty or malformed one, like a malformed `Accept`,
//!   is 400.

use junos_space_model::MediaType;
use junos_space_model::media_type::list_members;

/// Outcome of reading a header against what the operation names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Negotiated<T> {
    Matched(T),
    /// 400: the header is empty or not a media type.
    Malformed(String),
    /// 406 for `Accept`, 415 for `Content-Type`.
    Refused(String),
}

/// Picks the answer type: the index in `offered` of the first type `accept` allows.
pub(crate) fn choose_accept(
    accept: Option<&str>,
    offered: &[(String, MediaType)],
) -> Negotiated<usize> {
    let Some(accept) = accept else {
        return Negotiated::Matched(0);
    };
    if accept.trim().is_empty() {
        return Negotiated::Malformed("the Accept header is empty".into());
    }
    let mut wanted = Vec::new();
    for entry in list_members(accept) {
        match MediaType::parse(entry) {
            Ok(media) => wanted.push(media.without_parameter("q")),
            Err(error) => return Negotiated::Malformed(format!("Accept: {error}")),
        }
    }
    if offered.is_empty() {
        // Nothing to choose between (an answer without a body): any well-formed Accept does.
        return Negotiated::Matched(0);
    }
    for media in &wanted {
        let wildcard = match (media.type_(), media.subtype()) {
            ("*", "*") => true,
            (type_, "*") => offered.iter().any(|(_, o)| o.type_() == type_),
            _ => false,
        };
        if wildcard {
            return Negotiated::Matched(0);
        }
        if let Some(at) = offered.iter().position(|(_, o)| o.is_equivalent(media)) {
            return Negotiated::Matched(at);
        }
    }
    Negotiated::Refused(accept.to_owned())
}

/// Checks a request `Content-Type` against the types the route takes; returns the index of
/// the match.
pub(crate) fn match_content_type(
    content_type: Option<&str>,
    taken: &[&MediaType],
) -> Negotiated<usize> {
    let Some(content_type) = content_type else {
        return Negotiated::Refused("no Content-Type".into());
    };
    if content_type.trim().is_empty() {
        return Negotiated::Malformed("the Content-Type header is empty".into());
    }
    let sent = match MediaType::parse(content_type.trim()) {
        Ok(media) => media,
        Err(error) => return Negotiated::Malformed(format!("Content-Type: {error}")),
    };
    match taken.iter().position(|t| t.is_same_representation(&sent)) {
        Some(at) => Negotiated::Matched(at),
        None => Negotiated::Refused(content_type.to_owned()),
    }
}

/// The named type `sent` is an older version of, written as named: how a release that keeps
/// its deprecated versions serves them (the serve-older-versions deviation). `None` when
/// `sent` is not one type, or is not an older version of one of `named`.
pub(crate) fn older_version_of(sent: &str, named: &[&MediaType]) -> Option<String> {
    let sent = MediaType::parse(sent.trim()).ok()?;
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

    fn offered() -> Vec<(String, MediaType)> {
        vec![(
            DEVICES.to_owned(),
            MediaType::parse(DEVICES).expect("parses"),
        )]
    }

    #[test]
    fn accept_is_matched_exactly_but_for_spelling() {
        let offered = offered();
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
                Negotiated::Matched(0),
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
                matches!(
                    choose_accept(Some(refused), &offered),
                    Negotiated::Refused(_)
                ),
                "{refused}"
            );
        }
        for malformed in ["", "  ", "json", "application/json;version"] {
            assert!(
                matches!(
                    choose_accept(Some(malformed), &offered),
                    Negotiated::Malformed(_)
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
            Negotiated::Matched(0)
        );
        assert_eq!(
            match_content_type(
                Some("application/vnd.a.exec-deploy+json;charset=utf-8;version=1"),
                &taken
            ),
            Negotiated::Matched(0)
        );
        for refused in [
            None,
            Some("application/json"),
            Some("application/vnd.a.exec-deploy+json;version=2"),
        ] {
            assert!(
                matches!(match_content_type(refused, &taken), Negotiated::Refused(_)),
                "{refused:?}"
            );
        }
        for malformed in ["", "nonsense", "application/json;=1"] {
            assert!(
                matches!(
                    match_content_type(Some(malformed), &taken),
                    Negotiated::Malformed(_)
                ),
                "{malformed}"
            );
        }
    }
}
