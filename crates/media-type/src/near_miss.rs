//! Near misses of a media type: another version, no version, a sibling resource. Junos Space
//! refuses each (406 in `Accept`, 415 as `Content-Type`), so the conformance kit sends and
//! serves them to see who notices, and the simulator answers with them when told to deviate.

use crate::MediaType;

/// The same type with the next `version` (`version=2` → `version=3`; a version that is not
/// a number becomes `2`), the parameters in their order; `None` when it names no version.
pub fn next_version(media: &MediaType) -> Option<MediaType> {
    let next = media
        .parameter("version")?
        .parse::<u64>()
        .map_or(2, |v| v + 1);
    with_version(media, next)
}

/// The same type at `version`, its other parameters and their order kept; `None` when it
/// names no version.
pub fn with_version(media: &MediaType, version: u64) -> Option<MediaType> {
    media.parameter("version")?;
    let mut other = media.clone();
    for (name, value) in &mut other.parameters {
        if name == "version" {
            *value = version.to_string();
        }
    }
    Some(other)
}

/// The same type without its `version`; `None` when it names none.
pub fn without_version(media: &MediaType) -> Option<MediaType> {
    media.parameter("version")?;
    Some(media.without_parameter("version"))
}

/// The type of a sibling resource: the resource's name with its plural `s` removed or added
/// (`devices` → `device`, `task` → `tasks`), suffix and parameters kept. Junos Space has such
/// pairs (`device` v1 beside `devices` v2), so the near miss is one a client could make.
pub fn sibling_resource(media: &MediaType) -> MediaType {
    let (name, suffix) = match media.subtype.rsplit_once('+') {
        Some((name, suffix)) => (name, Some(suffix)),
        None => (media.subtype.as_str(), None),
    };
    let other = name
        .strip_suffix('s')
        .map_or_else(|| format!("{name}s"), str::to_owned);
    let mut sibling = media.clone();
    sibling.subtype = match suffix {
        Some(suffix) => format!("{other}+{suffix}"),
        None => other,
    };
    sibling
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEVICES: &str =
        "application/vnd.net.juniper.space.device-management.devices+json;version=2;charset=UTF-8";

    fn parse(text: &str) -> MediaType {
        MediaType::parse(text).expect("a media type")
    }

    #[test]
    fn each_near_miss_is_another_representation() {
        let devices = parse(DEVICES);
        let next = next_version(&devices).expect("a version");
        assert_eq!(
            next.to_string(),
            "application/vnd.net.juniper.space.device-management.devices+json;version=3;charset=UTF-8"
        );
        assert_eq!(
            with_version(&devices, 1).expect("a version").to_string(),
            "application/vnd.net.juniper.space.device-management.devices+json;version=1;charset=UTF-8"
        );
        assert!(with_version(&parse("application/json"), 1).is_none());
        let bare = without_version(&devices).expect("a version");
        let sibling = sibling_resource(&devices);
        assert_eq!(
            sibling.to_string(),
            "application/vnd.net.juniper.space.device-management.device+json;version=2;charset=UTF-8"
        );
        for miss in [&next, &bare, &sibling] {
            assert!(!miss.is_same_representation(&devices), "{miss}");
        }
        assert_eq!(
            sibling_resource(&parse("application/vnd.a.task+json;version=1")).to_string(),
            "application/vnd.a.tasks+json;version=1"
        );
        assert_eq!(
            sibling_resource(&parse("text/plain")).to_string(),
            "text/plains"
        );
    }

    #[test]
    fn a_type_without_a_version_has_no_version_to_miss() {
        assert!(next_version(&parse("text/plain")).is_none());
        assert!(without_version(&parse("application/json")).is_none());
        assert_eq!(
            next_version(&parse("a/b;version=x")).map(|m| m.to_string()),
            Some("a/b;version=2".into())
        );
    }
}
