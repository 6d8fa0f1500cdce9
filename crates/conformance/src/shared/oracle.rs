//! The media-type oracle: decides whether a header carries the media type the spec names, the
//! way Junos Space does (case of names, white space and quoting do not matter; values do), and
//! says precisely what differs when it does not.

use junos_space_model::MediaType;
use junos_space_model::api::Content;
use junos_space_model::media_type::list_members;

/// Checks a `Content-Type` header against the one media type the spec names.
pub fn check_content_type(expected: &Content, sent: Option<&str>) -> Result<(), String> {
    let spelled = &expected.text;
    let Some(sent) = sent else {
        return Err(format!("no Content-Type, the spec says `{spelled}`"));
    };
    let sent_type = MediaType::parse(sent)
        .map_err(|error| format!("Content-Type `{sent}` is malformed: {}", error.reason))?;
    if expected.media_type.is_equivalent(&sent_type) {
        Ok(())
    } else {
        Err(format!(
            "Content-Type `{sent}` is not `{spelled}`: {}",
            explain(&expected.media_type, &sent_type)
        ))
    }
}

/// Checks an `Accept` header: it must list exactly the `expected` media types (each as the
/// spec spells it, and parsed), in any order and spelling, nothing more.
pub fn check_accept(expected: &[(&str, &MediaType)], sent: Option<&str>) -> Result<(), String> {
    let spelled: Vec<&str> = expected.iter().map(|(text, _)| *text).collect();
    let Some(sent) = sent else {
        return Err(format!("no Accept, the spec says `{}`", spelled.join(", ")));
    };
    let mut offered = Vec::new();
    for item in list_members(sent) {
        offered.push(
            MediaType::parse(item)
                .map_err(|error| format!("Accept `{sent}` is malformed: {}", error.reason))?,
        );
    }
    let mut problems = Vec::new();
    for (spelling, want) in expected {
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
        .filter(|o| !expected.iter().any(|(_, w)| w.is_equivalent(o)))
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

/// Whether a served `Content-Type` names `content` (parameters included, so two versions stay
/// apart): how an answer picks its schema.
pub fn names(served: &str, content: &Content) -> bool {
    MediaType::parse(served).is_ok_and(|served| served.is_equivalent(&content.media_type))
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

#[cfg(test)]
mod tests {
    use super::*;

    const EXEC_DEPLOY: &str = "application/vnd.net.juniper.space.software-management.exec-deploy+json;version=1;charset=UTF-8";

    fn parsed(text: &str) -> MediaType {
        MediaType::parse(text).expect("a media type")
    }

    fn content(text: &str) -> Content {
        Content {
            text: text.to_owned(),
            media_type: parsed(text),
            schema: None,
            example: None,
            provenance: Default::default(),
            pointer: String::new(),
        }
    }

    #[test]
    fn a_dropped_charset_is_named() {
        let sent =
            "application/vnd.net.juniper.space.software-management.exec-deploy+json;version=1";
        let expected = content(EXEC_DEPLOY);
        let error = check_content_type(&expected, Some(sent)).expect_err("differs");
        assert!(error.contains("parameter `charset` dropped"), "{error}");
        assert!(check_content_type(&expected, Some(&EXEC_DEPLOY.replace(';', " ; "))).is_ok());
    }

    #[test]
    fn accept_lists_compare_as_sets() {
        let a = "application/vnd.net.juniper.space.job-management.task+json;version=1";
        let b = "application/vnd.net.juniper.space.software-management.exec-deploy+json;version=1";
        let (a_type, b_type) = (parsed(a), parsed(b));
        let both = [(a, &a_type), (b, &b_type)];
        assert!(check_accept(&both, Some(&format!("{b} , {a}"))).is_ok());
        let error =
            check_accept(&both[..1], Some(&a.replace("version=1", "version=2"))).expect_err("v2");
        assert!(
            error.contains("parameter `version` is `2`, not `1`"),
            "{error}"
        );
        let error =
            check_accept(&both[..1], Some(&format!("{a}, application/json"))).expect_err("extra");
        assert!(error.contains("application/json"), "{error}");
    }

    #[test]
    fn the_schema_is_chosen_by_the_full_media_type() {
        let v1 = content("application/vnd.net.juniper.space.job-management.job+json;version=1");
        let v3 = content("application/vnd.net.juniper.space.job-management.job+json;version=3");
        let served = v3.text.replace("version=3", "Version=\"3\"");
        assert!(names(&served, &v3));
        assert!(!names(&served, &v1));
    }
}
