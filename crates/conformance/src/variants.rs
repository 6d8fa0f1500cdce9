//! Near misses of a media type: the same vendor type for another resource, another version,
//! or no version. Junos Space refuses each (406 on `Accept`, 415 on `Content-Type`), so they
//! are what the kit sends and serves to see who notices.

use junos_space_spec::MediaType;

/// The same vendor type for a sibling resource (`devices` → `devices-summary`).
pub fn sibling_resource(media: &MediaType) -> String {
    let subtype = match media.subtype().rsplit_once('+') {
        Some((name, suffix)) => format!("{name}-summary+{suffix}"),
        None => format!("{}-summary", media.subtype()),
    };
    with_parameters(media.type_(), &subtype, media.parameters().iter().cloned())
}

/// The same vendor type with the next `version`.
pub fn other_version(media: &MediaType) -> String {
    let parameters = media.parameters().iter().map(|(name, value)| {
        if name == "version" {
            let next = value.parse::<u64>().map_or(999, |v| v + 1);
            (name.clone(), next.to_string())
        } else {
            (name.clone(), value.clone())
        }
    });
    with_parameters(media.type_(), media.subtype(), parameters)
}

/// The same vendor type without its `version`.
pub fn without_version(media: &MediaType) -> String {
    let parameters = media
        .parameters()
        .iter()
        .filter(|(name, _)| name != "version")
        .cloned();
    with_parameters(media.type_(), media.subtype(), parameters)
}

fn with_parameters(
    type_: &str,
    subtype: &str,
    parameters: impl Iterator<Item = (String, String)>,
) -> String {
    let mut text = format!("{type_}/{subtype}");
    for (name, value) in parameters {
        text.push_str(&format!(";{name}={value}"));
    }
    text
}
