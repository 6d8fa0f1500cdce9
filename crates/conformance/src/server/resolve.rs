//! Fills an operation's path parameters with ids that exist on the server: a value the user
//! gave, or the first the spec's source of the parameter offers
//! ([`Api::parameter_source`]): the collection one level up (`/devices/{device_id}` reads
//! `/devices`), the one member it answers, or the values the enclosing member's answer holds
//! for it (a template's version numbers). Found through the spec, so a new nested resource
//! needs no code.
//!
//! A write never acts on the account the run logs in with: for an operation that changes the
//! server, a member whose `name` is the run's user name is passed over for the next one (a
//! user's `name` is the name it logs in with, SDK22.2 JSUserMgtSvc `rest.users.id.html`).
//! Updating that account could change its password and deleting it ends the run's access
//! (UI21.2: deleting a user ends its sessions), so the run would lock itself out of a real
//! server. Where the collection holds no other member, the write is skipped with the reason.

use std::collections::BTreeMap;

use junos_space_model::api::{HttpMethod, Operation, ParameterLocation, ParameterSource};
use junos_space_model::{Api, MediaType};
use serde_json::Value;

use super::plan::{self, Ids};
use super::target::{Exchange, Request, Target};

/// The value sent for every path parameter of an [`Ids::Unknown`] probe: no Junos Space id is 0.
pub const UNKNOWN_ID: &str = "0";

/// The request path of `operation` below the API URL, parameters filled in and encoded.
/// `Err` says why a parameter has no value (the operation is then skipped, not failed).
pub async fn fill_path(
    api: &Api,
    operation: &Operation,
    given: &BTreeMap<String, String>,
    ids: Ids,
    target: &Target,
) -> Result<String, String> {
    let mut path = String::new();
    let mut rest = operation.path.as_str();
    while let Some(open) = rest.find('{') {
        let close = rest[open..]
            .find('}')
            .map(|at| open + at)
            .ok_or_else(|| format!("unclosed parameter in `{}`", operation.path))?;
        let name = &rest[open + 1..close];
        path.push_str(&rest[..open]);
        let value = match (ids, given.get(name)) {
            (Ids::Unknown, _) => UNKNOWN_ID.to_owned(),
            (Ids::Existing, Some(value)) => value.clone(),
            (Ids::Existing, None) => {
                let source = api.parameter_source(operation, name).ok_or_else(|| {
                    format!(
                        "no value for `{name}`: the spec names no GET that lists it (give one \
                         with --path-param {name}=ID)"
                    )
                })?;
                // The reader's path is the start of this one: its parameters are filled; a
                // collection listed elsewhere has its own found as any operation's.
                let reader_path = match source {
                    ParameterSource::Listed { reader, .. } => {
                        Box::pin(fill_path(api, reader, given, Ids::Existing, target)).await?
                    }
                    _ => filled_prefix(&path, &source.reader().path),
                };
                let avoid = (!plan::is_read_only(operation)).then(|| target.user());
                value_for(api, &source, &reader_path, name, avoid, target).await?
            }
        };
        path.push_str(&encode_segment(&value));
        rest = &rest[close + 1..];
    }
    path.push_str(rest);
    if operation
        .parameters_in(ParameterLocation::Path)
        .any(|p| !operation.path.contains(&format!("{{{}}}", p.name)))
    {
        return Err("a path parameter does not appear in the path".into());
    }
    Ok(path)
}

/// The id of the first member of the collection at `collection_path` (whose template is
/// `collection_template`), read with the listing operation's exact `Accept`.
pub(crate) async fn first_member_id(
    api: &Api,
    collection_template: &str,
    collection_path: &str,
    parameter: &str,
    target: &Target,
) -> Result<String, String> {
    let source = api
        .operations()
        .iter()
        .filter(|o| o.method == HttpMethod::Get && o.path == collection_template)
        .find_map(|o| api.listing_source(o))
        .ok_or_else(|| {
            format!(
                "no value for `{parameter}`: the spec lists no collection at \
                 {collection_template} (give one with --path-param {parameter}=ID)"
            )
        })?;
    value_for(api, &source, collection_path, parameter, None, target).await
}

/// The first `template`-many segments of the filled path `filled` (`/a/1/b/2` for `/a/{x}`:
/// `/a/1`), without a trailing `/`.
fn filled_prefix(filled: &str, template: &str) -> String {
    let count = template.split('/').count();
    let prefix: Vec<&str> = filled.split('/').take(count).collect();
    prefix.join("/").trim_end_matches('/').to_owned()
}

/// The first value `source` offers for `parameter`, read at `reader_path` with the reader's
/// exact `Accept`; a member whose `name` is `avoid` (the run's own account, for a write) is
/// passed over.
async fn value_for(
    api: &Api,
    source: &ParameterSource<'_>,
    reader_path: &str,
    parameter: &str,
    avoid: Option<&str>,
    target: &Target,
) -> Result<String, String> {
    let no_value = |why: String| {
        format!("no value for `{parameter}`: {why} (give one with --path-param {parameter}=ID)")
    };
    let listing = source.reader();
    let request = Request::read(listing, reader_path.to_owned());
    let answer = match target.send(&request).await {
        Exchange::Answered {
            status: 200,
            body,
            content_type,
        } if content_type
            .as_deref()
            .and_then(|c| MediaType::parse(c).ok())
            .is_some_and(|c| c.is_json()) =>
        {
            body
        }
        Exchange::Answered { status: 204, .. } => {
            return Err(no_value(format!("{} is empty", listing.id)));
        }
        Exchange::Answered {
            status,
            content_type,
            ..
        } => {
            return Err(no_value(format!(
                "{} answered {status} {}",
                listing.id,
                content_type.as_deref().unwrap_or("without a Content-Type")
            )));
        }
        Exchange::NoAnswer(why) => {
            return Err(no_value(format!("{} had no answer: {why}", listing.id)));
        }
    };
    let value: Value = serde_json::from_slice(&answer)
        .map_err(|e| no_value(format!("{} is not JSON: {e}", listing.id)))?;
    let members = source.candidates(api, &value);
    let is_avoided = |member: &&Value| {
        avoid.is_some_and(|user| member.get("name").and_then(Value::as_str) == Some(user))
    };
    if let Some(user) = avoid
        && !members.is_empty()
        && members.iter().all(is_avoided)
    {
        return Err(no_value(format!(
            "{} lists no member but `{user}`, the account the run logs in with, which a \
             write never acts on",
            listing.id
        )));
    }
    members
        .iter()
        .find(|member| !is_avoided(member))
        .and_then(|member| ParameterSource::value_of(member))
        .ok_or_else(|| no_value(format!("{} has no member with an id", listing.id)))
}

/// `href` (a whole path, or a URL) split after the base path of the operations that serve it
/// ([`Api::split_base`]): (`/api/juniper`, `/sd/address-management/addresses/5`).
pub(crate) fn below_base<'a, 'h>(api: &'a Api, href: &'h str) -> Option<(&'a str, &'h str)> {
    let path = match href.split_once("://") {
        Some((_, after_scheme)) => &after_scheme[after_scheme.find('/')?..],
        None => href,
    };
    api.split_base(path)
}

/// The GET that reads the member `href` names: a path of the spec whose last segment is a
/// parameter and whose other segments the `href` fits
/// (`/api/space/device-management/devices/131073`: `getDevice`;
/// `/api/space/tag-management/tags/655361/targets/720897`: `getTagTarget`).
pub(crate) fn member_reader<'a>(api: &'a Api, href: &str) -> Option<&'a Operation> {
    let (base, below) = below_base(api, href)?;
    let segments: Vec<&str> = below.split('/').collect();
    api.operations().iter().find(|operation| {
        let template: Vec<&str> = operation.path.split('/').collect();
        operation.method == HttpMethod::Get
            && operation.base_path == base
            && template.len() == segments.len()
            && template.last().is_some_and(|last| last.starts_with('{'))
            && template.iter().zip(&segments).all(|(part, segment)| {
                (part.starts_with('{') && !segment.is_empty()) || part == segment
            })
    })
}

/// `template` with its one `{parameter}` (the first) replaced by `id`, encoded.
pub(crate) fn fill_only_parameter(template: &str, id: &str) -> String {
    match (template.find('{'), template.find('}')) {
        (Some(open), Some(close)) if open < close => format!(
            "{}{}{}",
            &template[..open],
            encode_segment(id),
            &template[close + 1..]
        ),
        _ => template.to_owned(),
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub(crate) fn encode_segment(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_readers_path_is_the_start_of_the_filled_path() {
        assert_eq!(
            filled_prefix(
                "/config-template-management/config-templates/2949121/versions/",
                "/config-template-management/config-templates/{template_id}"
            ),
            "/config-template-management/config-templates/2949121"
        );
        assert_eq!(filled_prefix("/devices/", "/devices"), "/devices");
    }

    #[test]
    fn segments_are_encoded() {
        assert_eq!(encode_segment("a b/c"), "a%20b%2Fc");
        assert_eq!(encode_segment("131074"), "131074");
    }
}
