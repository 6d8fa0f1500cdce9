//! The media-type oracle: decides whether a header carries the media type the spec names, the
//! way Junos Space does (case of names, white space and quoting do not matter; values do), and
//! says precisely what differs when it does not.

use junos_space_model::MediaType;
use junos_space_model::media_type::list_members;

/// Checks a `Content-Type` header against the one media type the spec names.
pub fn check_content_type(expected: &str, sent: Option<&str>) -> Result<(), String> {
    let expected_type = parse_spec_type(expected)?;
    let Some(sent) = sent else {
        return Err(format!("no Content-Type, the spec says `{expected}`"));
    };
    let sent_type = MediaType::parse(sent)
        .map_err(|error| format!("Content-Type `{sent}` is malformed: {}", error.reason))?;
    if expected_type.is_equivalent(&sent_type) {
        Ok(())
    } else {
        Err(format!(
            "Content-Type `{sent}` is not `{expected}`: {}",
            explain(&expected_type, &sent_type)
        ))
    }
}

/// Checks an `Accept` header: it must list exactly the spec's media types (in any order and
/// spelling), nothing more.
pub fn check_accept(expected: &[&str], sent: Option<&str>) -> Result<(), String> {
    let wanted = expected
        .iter()
        .map(|m| parse_spec_type(m))
        .collect::<Result<Vec<_>, _>>()?;
    let Some(sent) = sent else {
        return Err(format!(
            "no Accept, the spec says `{}`",
            expected.join(", ")
        ));
    };
    let mut offered = Vec::new();
    for item in list_members(sent) {
        offered.push(
            MediaType::parse(item)
                .map_err(|error| format!("Accept `{sent}` is malformed: {}", error.reason))?,
        );
    }
    let mut problems = Vec::new();
    for (spelling, want) in expected.iter().zip(&wanted) {
        if !offered.iter().any(|o| o.is_equivalent(want)) {
            let closest = offered
                .iter()
                .map(|o| explain(want, o))
                .min_by_key(String::len)
                .unwrap_or_else(|| "nothing offered".into());
            problems.push(format!("`{spelling}` missing ({closest})"));
        }
    }
    for extra in offered
        .iter()
        .filter(|o| !wanted.iter().any(|w| w.is_equivalent(o)))
    {
        if !problems.iter().any(|p| p.contains("missing")) {
            problems.push(format!("`{extra}` is not a type the spec lists"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("Accept `{sent}`: {}", problems.join("; ")))
    }
}

/// The media type among `candidates` that `actual` is equivalent to, if any: how a served
/// `Content-Type` picks its schema (parameters included, so two versions stay apart).
pub fn find_equivalent<'a>(
    candidates: impl IntoIterator<Item = &'a str>,
    actual: &str,
) -> Option<&'a str> {
    let actual = MediaType::parse(actual).ok()?;
    candidates
        .into_iter()
        .find(|candidate| MediaType::parse(candidate).is_ok_and(|c| c.is_equivalent(&actual)))
}

/// What differs between two media types, in the vocabulary of the fault (`version 1 → 2`).
pub fn explain(expected: &MediaType, actual: &MediaType) -> String {
    let mut differences = Vec::new();
    if expected.type_() != actual.type_() {
        differences.push(format!(
            "type `{}` instead of `{}`",
            actual.type_(),
            expected.type_()
        ));
    }
    if expected.subtype() != actual.subtype() {
        match (
            expected.junos_space_resource(),
            actual.junos_space_resource(),
        ) {
            (Some((service, resource)), Some((other_service, other_resource))) => {
                if service != other_service {
                    differences.push(format!("service `{other_service}` instead of `{service}`"));
                }
                if resource != other_resource {
                    differences.push(format!(
                        "resource `{other_resource}` instead of `{resource}`"
                    ));
                }
            }
            _ => differences.push(format!(
                "subtype `{}` instead of `{}`",
                actual.subtype(),
                expected.subtype()
            )),
        }
        if expected.suffix() != actual.suffix() {
            differences.push(format!(
                "suffix {:?} instead of {:?}",
                actual.suffix(),
                expected.suffix()
            ));
        }
    }
    for (name, value) in expected.parameters() {
        match actual.parameter(name) {
            None => differences.push(format!("parameter `{name}` dropped")),
            Some(other) if other != value => {
                differences.push(format!("parameter `{name}` is `{other}`, not `{value}`"));
            }
            Some(_) => {}
        }
    }
    for (name, _) in actual.parameters() {
        if expected.parameter(name).is_none() {
            differences.push(format!("parameter `{name}` added"));
        }
    }
    if differences.is_empty() {
        "a repeated parameter".into()
    } else {
        differences.join(", ")
    }
}

fn parse_spec_type(media_type: &str) -> Result<MediaType, String> {
    MediaType::parse(media_type).map_err(|error| format!("the spec's own {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXEC_DEPLOY: &str = "application/vnd.net.juniper.space.software-management.exec-deploy+json;version=1;charset=UTF-8";

    #[test]
    fn a_dropped_charset_is_named() {
        let sent =
            "application/vnd.net.juniper.space.software-management.exec-deploy+json;version=1";
        let error = check_content_type(EXEC_DEPLOY, Some(sent)).expect_err("differs");
        assert!(error.contains("parameter `charset` dropped"), "{error}");
        assert!(check_content_type(EXEC_DEPLOY, Some(&EXEC_DEPLOY.replace(';', " ; "))).is_ok());
    }

    #[test]
    fn accept_lists_compare_as_sets() {
        let a = "application/vnd.net.juniper.space.job-management.task+json;version=1";
        let b = "application/vnd.net.juniper.space.software-management.exec-deploy+json;version=1";
        assert!(check_accept(&[a, b], Some(&format!("{b} , {a}"))).is_ok());
        let error = check_accept(&[a], Some(&a.replace("version=1", "version=2"))).expect_err("v2");
        assert!(
            error.contains("parameter `version` is `2`, not `1`"),
            "{error}"
        );
        let error = check_accept(&[a], Some(&format!("{a}, application/json"))).expect_err("extra");
        assert!(error.contains("application/json"), "{error}");
    }

    #[test]
    fn the_schema_is_chosen_by_the_full_media_type() {
        let v1 = "application/vnd.net.juniper.space.job-management.job+json;version=1";
        let v3 = "application/vnd.net.juniper.space.job-management.job+json;version=3";
        assert_eq!(
            find_equivalent([v1, v3], &v3.replace("version=3", "Version=\"3\"")),
            Some(v3)
        );
        assert_eq!(find_equivalent([v1], v3), None);
    }
}
