//! The bodies a write's probes send: a value of the request schema drawn by the run's seed,
//! one that no reading of the schema takes, and the body a write acts with, on members the
//! server has ([`acting`]).

use std::collections::BTreeMap;

use junos_space_model::api::{HttpMethod, Operation, Reading, SchemaId};
use junos_space_model::{Api, SpecError};
use serde_json::Value;

use super::plan::Ids;
use super::resolve::{below_base, fill_path, first_member_id, member_reader};
use super::target::Target;
use crate::shared::{schema, seed};

/// The body every probe of `operation` sends: a value of the request schema drawn with a
/// seed of its own, so that each operation's body depends only on `seed`.
pub fn drawn(api: &Api, operation: &Operation, seed: u64) -> Result<Option<Vec<u8>>, SpecError> {
    let Some(request) = &operation.request else {
        return Ok(None);
    };
    let value = match request.content.schema {
        None => Value::Object(serde_json::Map::new()),
        Some(id) => {
            let strategy = schema::strategy(api, id)?;
            seed::draw(&strategy, seed::of(seed, &operation.id)).map_err(|why| {
                SpecError::at(
                    &request.content.pointer,
                    why,
                    "give the request schema satisfiable constraints",
                )
            })?
        }
    };
    Ok(Some(value.to_string().into_bytes()))
}

/// `body` (a request body of `operation`) as the run shows it to people, in the writes it
/// announces and the `curl` commands it prints: every value its request schema marks
/// `format: password` written as `********` (a user's password, a device's SSH password),
/// since output and logs are no place for a secret. A body that is no JSON is shown as sent.
pub fn shown(api: &Api, operation: &Operation, body: &[u8]) -> Vec<u8> {
    let schema = operation.request.as_ref().and_then(|r| r.content.schema);
    match (schema, serde_json::from_slice::<Value>(body)) {
        (Some(schema), Ok(value)) => api.masked(schema, &value).to_string().into_bytes(),
        _ => body.to_vec(),
    }
}

/// The body that violates `operation`'s request schema: a JSON string, which no object schema
/// takes in any form a real server reads; `None` where the schema takes it.
pub fn violating(api: &Api, operation: &Operation) -> Option<Vec<u8>> {
    let schema = operation.request.as_ref()?.content.schema?;
    let value = Value::String(format!("not a value of {}", operation.id));
    let refused = !api
        .validate(schema, &value, Reading::SERVER_FORMS)
        .is_empty();
    refused.then(|| value.to_string().into_bytes())
}

/// The body the acting probe of `operation` sends: the spec's example of its request type (the
/// vendor's sample, valid for a real server: an RPC the device knows, a TEST-NET address to
/// discover), with any field that is not a value of its schema taken from the drawn body; the
/// drawn body where there is no example; then every member it
/// names (each `x-identifies` place, each `@href` of a member path) made one the server has:
/// given with `--path-param NAME=ID`, else the first its collection lists. `Err` says why no
/// member could be found; `Ok(None)`: the operation takes no body.
pub async fn acting(
    api: &Api,
    operation: &Operation,
    seed: u64,
    given: &BTreeMap<String, String>,
    target: &Target,
) -> Result<Option<Vec<u8>>, String> {
    let Some(request) = &operation.request else {
        return Ok(None);
    };
    let drawn: Option<Value> = match drawn(api, operation, seed).map_err(|e| e.to_string())? {
        Some(bytes) => Some(serde_json::from_slice(&bytes).map_err(|e| e.to_string())?),
        None => None,
    };
    let mut value = match (&request.content.example, request.content.schema, drawn) {
        (Some(example), Some(schema), drawn) => repaired(api, schema, example.clone(), drawn),
        (Some(example), None, _) => example.clone(),
        (None, _, Some(drawn)) => drawn,
        (None, _, None) => return Ok(None),
    };
    if let Some(schema) = request.content.schema {
        for reference in api.references(schema, &value) {
            let Some(named) = api.operation(&reference.operation_id) else {
                continue;
            };
            let path = fill_path(api, named, given, Ids::Existing, target).await?;
            let ids = path_parameters(&named.path, &path);
            for (name, place) in &reference.parameters {
                if let (Some(id), Some(slot)) = (ids.get(name), value.pointer_mut(place)) {
                    // The id as the value wrote it: a number stays a number.
                    *slot = match slot {
                        Value::Number(_) => id
                            .parse::<u64>()
                            .map_or_else(|_| Value::from(id.clone()), Value::from),
                        _ => Value::from(id.clone()),
                    };
                }
            }
        }
    }
    let mut hrefs = Vec::new();
    collect_member_hrefs(&value, String::new(), &mut hrefs);
    for (place, href) in hrefs {
        let Some(member) = member_of(api, &href) else {
            continue;
        };
        // A collection below a member (a config file's versions) is read below one the
        // server has, found as a path's parameters are.
        let listing = member.listing;
        let collection = fill_path(api, listing, given, Ids::Existing, target).await?;
        let id = match given.get(&member.parameter) {
            Some(id) => id.clone(),
            None => {
                first_member_id(api, &listing.path, &collection, &member.parameter, target).await?
            }
        };
        if let Some(slot) = value.pointer_mut(&place) {
            *slot = Value::from(format!("{}{collection}/{id}", listing.base_path));
        }
    }
    Ok(Some(value.to_string().into_bytes()))
}

/// The member an `@href` names: the operation listing the collection the spec has at its
/// parent path (a template whose parameters stand for any segment, for a collection below a
/// member), and the name its id goes by (the path parameter of the GET that reads it, else
/// the collection's).
struct MemberOf<'a> {
    listing: &'a Operation,
    parameter: String,
}

fn member_of<'a>(api: &'a Api, href: &str) -> Option<MemberOf<'a>> {
    let (base, below) = below_base(api, href)?;
    let (parent, _) = below.rsplit_once('/')?;
    let segments: Vec<&str> = parent.split('/').collect();
    let listing = api.operations().iter().find(|operation| {
        let template: Vec<&str> = operation.path.split('/').collect();
        operation.method == HttpMethod::Get
            && operation.base_path == base
            && operation.collection.is_some()
            && template.len() == segments.len()
            && template.iter().zip(&segments).all(|(part, segment)| {
                (part.starts_with('{') && !segment.is_empty()) || part == segment
            })
    })?;
    let parameter = member_reader(api, href)
        .and_then(|reader| {
            let last = reader.path.rsplit('/').next()?;
            Some(last.strip_prefix('{')?.strip_suffix('}')?.to_owned())
        })
        .unwrap_or_else(|| parent.rsplit('/').next().unwrap_or(parent).to_owned());
    Some(MemberOf { listing, parameter })
}

/// `example` made a value of `schema`: each field a finding names (the seed's placeholder
/// `'Boolean'` where a boolean goes) takes the drawn body's value there, or goes when the drawn
/// body has none; the whole drawn body when that is not enough.
fn repaired(api: &Api, schema: SchemaId, mut example: Value, drawn: Option<Value>) -> Value {
    for finding in api.validate(schema, &example, Reading::SERVER_FORMS) {
        let replacement = drawn
            .as_ref()
            .and_then(|d| d.pointer(&finding.field))
            .cloned();
        match (replacement, finding.field.rsplit_once('/')) {
            (Some(replacement), _) => {
                if let Some(slot) = example.pointer_mut(&finding.field) {
                    *slot = replacement;
                }
            }
            (None, Some((parent, name))) => {
                if let Some(Value::Object(members)) = example.pointer_mut(parent) {
                    members.remove(&name.replace("~1", "/").replace("~0", "~"));
                }
            }
            (None, None) => {}
        }
    }
    if api
        .validate(schema, &example, Reading::SERVER_FORMS)
        .is_empty()
    {
        example
    } else {
        drawn.unwrap_or(example)
    }
}

/// The values of `template`'s parameters in `path`, by name (`/devices/{device_id}` and
/// `/devices/7`: `device_id` → `7`).
fn path_parameters(template: &str, path: &str) -> BTreeMap<String, String> {
    template
        .split('/')
        .zip(path.split('/'))
        .filter_map(|(part, value)| {
            let name = part.strip_prefix('{')?.strip_suffix('}')?;
            Some((name.to_owned(), value.to_owned()))
        })
        .collect()
}

/// Every `@href` in `value`, with the JSON pointer of its place.
fn collect_member_hrefs(value: &Value, at: String, found: &mut Vec<(String, String)>) {
    match value {
        Value::Object(members) => {
            for (name, member) in members {
                let place = format!("{at}/{}", name.replace('~', "~0").replace('/', "~1"));
                match member {
                    Value::String(href) if name == "@href" => found.push((place, href.clone())),
                    _ => collect_member_hrefs(member, place, found),
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                collect_member_hrefs(item, format!("{at}/{index}"), found);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_draws_the_same_body_from_the_same_seed_and_has_one_to_refuse() {
        let api = Api::bundled().expect("the bundled spec reads");
        let deploy = api.operation("execDeploy").expect("listed");
        let body = drawn(api, deploy, 7).expect("drawn").expect("a body");
        assert_eq!(drawn(api, deploy, 7).expect("drawn"), Some(body.clone()));
        let value: Value = serde_json::from_slice(&body).expect("JSON");
        let schema = deploy.request.as_ref().and_then(|r| r.content.schema);
        let schema = schema.expect("a request schema");
        assert_eq!(api.validate(schema, &value, Reading::LITERAL), []);
        assert!(violating(api, deploy).is_some());
        let read = api.operation("listDevices").expect("listed");
        assert_eq!(drawn(api, read, 7).expect("nothing to draw"), None);
    }

    #[test]
    fn member_hrefs_lead_to_the_get_that_reads_them() {
        let api = Api::bundled().expect("the bundled spec reads");
        let reader = |href: &str| member_reader(api, href).map(|o| o.id.as_str());
        assert_eq!(
            reader("/api/space/device-management/devices/131073"),
            Some("getDevice")
        );
        assert_eq!(reader("/api/space/job-management/jobs/9"), Some("getJob"));
        assert_eq!(reader("/api/space/device-management/devices"), None);
        assert_eq!(reader("/elsewhere/devices/1"), None);
        // A member of a collection below a member is listed at the template of its parent.
        let target = "/api/space/tag-management/tags/655361/targets/720897";
        let member = member_of(api, target).expect("a listed member");
        assert_eq!(member.listing.id, "listTagTargets");
        assert_eq!(member.parameter, "target_id");
        let device = member_of(api, "/api/space/device-management/devices/131073");
        assert_eq!(device.map(|m| m.listing.id.as_str()), Some("listDevices"));
        assert_eq!(
            path_parameters("/a/{x}/b/{y}", "/a/1/b/2"),
            BTreeMap::from([("x".into(), "1".into()), ("y".into(), "2".into())])
        );
        let mut found = Vec::new();
        collect_member_hrefs(
            &serde_json::json!({"a": [{"device": {"@href": "/d/1"}}]}),
            String::new(),
            &mut found,
        );
        assert_eq!(found, [("/a/0/device/@href".to_owned(), "/d/1".to_owned())]);
    }
}
