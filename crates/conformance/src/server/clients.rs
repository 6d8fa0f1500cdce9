//! What Juniper's own clients send, as data: each request of Juniper's Ansible collection
//! (SAC) byte for byte, and what SAC needs back (`data/juniper-clients.json`, from
//! `../shared/juniper-clients-requests.md`). A server that refuses them refuses Juniper's
//! client, so these are facts about the server, not decisions of this project.
//!
//! The requests are templates: `{name}` stands for a value of the server under test (a device
//! it lists, the job a discovery started), filled by [`ClientRequest::filled`].

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use junos_space_model::Api;
use serde_json::Value;

use super::options::{Options, Strictness};
use super::outcome::{Outcome, ProbeResult};
use super::plan::Ids;
use super::resolve::fill_path;
use super::target::{ClientCall, Exchange, Request, Target};

/// The operation whose first member gives the values of the device templates.
const DEVICE_LIST: &str = "listDevices";

/// The device fields the templates name, as the spec spells them.
const DEVICE_FIELDS: [&str; 8] = [
    "name",
    "ipAddr",
    "platform",
    "deviceFamily",
    "OSVersion",
    "serialNumber",
    "managedStatus",
    "connectionStatus",
];

/// The requests as the kit carries them.
const JUNIPER_CLIENTS: &str = include_str!("../../data/juniper-clients.json");

/// Juniper's client's requests, in the order a run sends them.
#[derive(Debug, Clone)]
pub struct ClientRequests {
    /// The client's repository and the commit the requests were recorded from.
    pub client: String,
    pub commit: String,
    /// Headers every request carries (`User-Agent`, `Connection`, ...).
    pub every_request: Vec<(String, String)>,
    pub requests: Vec<ClientRequest>,
    /// Rows of the table not replayed, each with why.
    pub left_out: Vec<LeftOut>,
}

/// One request of Juniper's client, and what the client needs back.
#[derive(Debug, Clone)]
pub struct ClientRequest {
    /// The row of `../shared/juniper-clients-requests.md` it comes from.
    pub row: u32,
    /// What the client calls it (`filter on OSversion`).
    pub call: String,
    /// The client's file that sends it.
    pub file: String,
    pub method: String,
    /// The path and query as sent, with `{value}` templates (`//api/space/...`).
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    /// Sent with the session cookie a login kept instead of Basic credentials.
    pub with_session: bool,
    /// Whether a faithful server acts on it (starts a job, removes a device).
    pub writes: bool,
    /// Values the answer gives to later requests: a JSON pointer into the body, or
    /// `set-cookie` for the session.
    pub keeps: Vec<(String, String)>,
    pub needs: Needs,
}

/// What the client needs from the answer.
#[derive(Debug, Clone, Default)]
pub struct Needs {
    /// One of these statuses.
    pub statuses: Vec<u16>,
    /// Cookies the answer must set.
    pub cookies: Vec<String>,
    /// JSON pointers the body must hold.
    pub present: Vec<String>,
    /// JSON pointers the body must not hold.
    pub absent: Vec<String>,
    /// Set when the need holds for a server with a real server's value forms only, and why
    /// (a schema-strict answer is a different, documented form).
    pub real_server_only: Option<String>,
}

/// A row of the table that is not replayed.
#[derive(Debug, Clone)]
pub struct LeftOut {
    pub row: u32,
    pub call: String,
    pub why: String,
}

/// The requests of Juniper's clients the kit carries.
pub fn juniper_clients() -> Result<ClientRequests, String> {
    parse(JUNIPER_CLIENTS)
}

fn parse(text: &str) -> Result<ClientRequests, String> {
    let document: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let requests = list(&document, "requests")?
        .iter()
        .enumerate()
        .map(|(at, request)| {
            ClientRequest::parse(request).map_err(|why| format!("/requests/{at}: {why}"))
        })
        .collect::<Result<_, _>>()?;
    let left_out = list(&document, "left_out")?
        .iter()
        .map(|row| {
            Ok(LeftOut {
                row: number(row, "row")?,
                call: text_of(row, "call")?,
                why: text_of(row, "why")?,
            })
        })
        .collect::<Result<_, String>>()?;
    Ok(ClientRequests {
        client: text_of(&document, "client")?,
        commit: text_of(&document, "commit")?,
        every_request: pairs(&document, "every_request")?,
        requests,
        left_out,
    })
}

impl ClientRequest {
    fn parse(request: &Value) -> Result<Self, String> {
        let needs = request.get("needs").ok_or("no `needs`")?;
        let texts = |key: &str| -> Result<Vec<String>, String> {
            match needs.get(key) {
                None => Ok(Vec::new()),
                Some(Value::Array(items)) => items
                    .iter()
                    .map(|item| item.as_str().map(str::to_owned))
                    .collect::<Option<_>>()
                    .ok_or_else(|| format!("`needs.{key}` must list texts")),
                Some(_) => Err(format!("`needs.{key}` must be a list")),
            }
        };
        let statuses = list(needs, "status")?
            .iter()
            .map(|s| s.as_u64().and_then(|s| u16::try_from(s).ok()))
            .collect::<Option<Vec<u16>>>()
            .ok_or("`needs.status` must list statuses")?;
        let auth = request.get("auth").and_then(Value::as_str);
        Ok(Self {
            row: number(request, "row")?,
            call: text_of(request, "call")?,
            file: text_of(request, "file")?,
            method: text_of(request, "method")?,
            path: text_of(request, "path")?,
            headers: pairs(request, "headers")?,
            body: request
                .get("body")
                .and_then(Value::as_str)
                .map(str::to_owned),
            with_session: match auth {
                None | Some("basic") => false,
                Some("session") => true,
                Some(other) => return Err(format!("`auth` is {other}: basic or session")),
            },
            writes: request.get("writes").and_then(Value::as_bool) == Some(true),
            keeps: match request.get("keeps") {
                None => Vec::new(),
                Some(_) => pairs(request, "keeps")?,
            },
            needs: Needs {
                statuses,
                cookies: texts("cookies")?,
                present: texts("present")?,
                absent: texts("absent")?,
                real_server_only: needs
                    .get("real_server_only")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            },
        })
    }

    /// The path and body with every `{name}` replaced by `values[name]`: percent-encoded in
    /// the path, as the client quotes filter values, and JSON-escaped in the body. A name
    /// without a value is an error naming it.
    pub fn filled(
        &self,
        values: &BTreeMap<String, String>,
    ) -> Result<(String, Option<String>), String> {
        let path = fill(&self.path, values, percent_encoded)?;
        let body = match &self.body {
            // An XML body (a HornetQ queue's description) or a JSON one.
            Some(body) if body.trim_start().starts_with('<') => {
                Some(fill(body, values, xml_escaped)?)
            }
            Some(body) => Some(fill(body, values, json_escaped)?),
            None => None,
        };
        Ok((path, body))
    }
}

impl Needs {
    /// What the answer lacks that the client needs, each as a sentence; empty when it has
    /// everything. `set_cookies` are the answer's `Set-Cookie` values; `real_server_forms`
    /// says whether the server writes a real server's value forms.
    pub fn unmet(
        &self,
        status: u16,
        set_cookies: &[String],
        body: &str,
        real_server_forms: bool,
    ) -> Vec<String> {
        let mut unmet = Vec::new();
        if !self.statuses.contains(&status) {
            unmet.push(format!(
                "answered {status}, needs {:?}: {}",
                self.statuses,
                shortened(body)
            ));
            return unmet;
        }
        let set = cookie_names(set_cookies);
        for cookie in &self.cookies {
            if !set.iter().any(|name| name == cookie) {
                unmet.push(format!("sets no {cookie} cookie (set: {set:?})"));
            }
        }
        if self.present.is_empty() && self.absent.is_empty() {
            return unmet;
        }
        if self.real_server_only.is_some() && !real_server_forms {
            return unmet;
        }
        let Ok(json) = serde_json::from_str::<Value>(body) else {
            unmet.push(format!("the body is not JSON: {}", shortened(body)));
            return unmet;
        };
        for pointer in &self.present {
            if json.pointer(pointer).is_none() {
                unmet.push(format!("the body has no {pointer}: {}", shortened(body)));
            }
        }
        for pointer in &self.absent {
            if json.pointer(pointer).is_some() {
                unmet.push(format!("the body has {pointer}: {}", shortened(body)));
            }
        }
        unmet
    }
}

/// One request as replayed: what was sent, and how the answer met the client's needs.
#[derive(Debug)]
pub struct Replayed<'r> {
    pub request: &'r ClientRequest,
    pub outcome: Outcome,
    pub duration: Duration,
}

/// Sends each of `clients`' requests in order, as the client sends it, with `values` for its
/// templates; a request `skip` gives a reason for is not sent. What an answer keeps (the job
/// a discovery started, the session a login opened) fills later requests. `real_server_forms`:
/// the server is read with a real server's value forms.
pub async fn replay<'r>(
    clients: &'r ClientRequests,
    target: &Target,
    mut values: BTreeMap<String, String>,
    real_server_forms: bool,
    skip: impl Fn(&ClientRequest) -> Option<String>,
) -> Vec<Replayed<'r>> {
    let mut session: Option<String> = None;
    let mut replayed = Vec::with_capacity(clients.requests.len());
    for request in &clients.requests {
        let started = Instant::now();
        let skipped = |why: String| Outcome::Skipped { why };
        let outcome = if let Some(why) = skip(request) {
            skipped(why)
        } else if request.with_session && session.is_none() {
            skipped("it needs the session of a login, and none was opened".into())
        } else {
            match request.filled(&values) {
                Err(why) => skipped(why),
                Ok((path, body)) => {
                    let headers: Vec<(String, String)> = clients
                        .every_request
                        .iter()
                        .chain(&request.headers)
                        .cloned()
                        .collect();
                    let cookie = session.clone().filter(|_| request.with_session);
                    let call = ClientCall {
                        method: &request.method,
                        path: &path,
                        headers: &headers,
                        body: body.as_deref(),
                        cookie: cookie.as_deref(),
                    };
                    match target.send_as_client(&call).await {
                        Err(why) => Outcome::failed(
                            format!("no answer: {why}"),
                            target.curl_as_client(&call),
                        ),
                        Ok(answer) => {
                            let unmet = request.needs.unmet(
                                answer.status,
                                &answer.set_cookies,
                                &answer.body,
                                real_server_forms,
                            );
                            let kept = keep(request, &answer.body, &answer.set_cookies);
                            for (name, value) in kept {
                                match name.as_str() {
                                    SESSION => session = Some(value),
                                    _ => {
                                        values.insert(name, value);
                                    }
                                }
                            }
                            if unmet.is_empty() {
                                Outcome::Passed {
                                    status: answer.status,
                                    content_type: answer.content_type,
                                }
                            } else {
                                let why = format!(
                                    "{} needs more ({}): {}",
                                    clients.client,
                                    request.file,
                                    unmet.join("; ")
                                );
                                Outcome::failed(why, target.curl_as_client(&call))
                            }
                        }
                    }
                }
            }
        };
        replayed.push(Replayed {
            request,
            outcome,
            duration: started.elapsed(),
        });
    }
    replayed
}

/// What `keeps` names as a value that later requests use: `session` from `set-cookie`, the
/// others from a JSON pointer into the body.
const SESSION: &str = "session";

fn keep(request: &ClientRequest, body: &str, set_cookies: &[String]) -> Vec<(String, String)> {
    let json = serde_json::from_str::<Value>(body).ok();
    request
        .keeps
        .iter()
        .filter_map(|(name, from)| {
            let value = if from == "set-cookie" {
                let pairs = cookie_pairs(set_cookies);
                (!pairs.is_empty()).then(|| pairs.join("; "))?
            } else {
                match json.as_ref()?.pointer(from)? {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                }
            };
            Some((name.clone(), value))
        })
        .collect()
}

/// The values the device templates name, from the first member the server lists.
pub async fn device_values(api: &Api, target: &Target) -> Result<BTreeMap<String, String>, String> {
    let operation = api
        .operation(DEVICE_LIST)
        .ok_or_else(|| format!("the spec has no {DEVICE_LIST}"))?;
    let collection = operation
        .collection
        .as_ref()
        .ok_or_else(|| format!("{DEVICE_LIST} lists no collection"))?;
    let path = fill_path(api, operation, &BTreeMap::new(), Ids::Existing, target).await?;
    let body = match target.send(&Request::read(operation, path)).await {
        Exchange::Answered {
            status: 200, body, ..
        } => body,
        Exchange::Answered { status, .. } => {
            return Err(format!(
                "{DEVICE_LIST} answered {status}: no device to name"
            ));
        }
        Exchange::NoAnswer(why) => return Err(format!("{DEVICE_LIST}: {why}")),
    };
    let listing: Value =
        serde_json::from_slice(&body).map_err(|e| format!("{DEVICE_LIST} is not JSON: {e}"))?;
    let first = collection
        .members(&listing)
        .into_iter()
        .next()
        .ok_or("the server lists no device")?;
    let text = |value: &Value| match value {
        Value::String(text) => Some(text.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    };
    let mut values = BTreeMap::new();
    for field in DEVICE_FIELDS {
        if let Some(value) = first.get(field).and_then(text) {
            values.insert(field.to_owned(), value);
        }
    }
    let id = ["device-id", "@key"]
        .iter()
        .find_map(|field| first.get(*field).and_then(text));
    if let Some(id) = id {
        values.insert("device_id".to_owned(), id);
    }
    Ok(values)
}

/// The values no server gives: a name no device has, and what a discovery asks for (an
/// address of TEST-NET-1, RFC 5737, which no device answers, so a real server's discovery
/// job fails and adds nothing).
pub fn kit_values() -> BTreeMap<String, String> {
    [
        ("missing_name", "check-server-no-such-device"),
        ("discover_address", "192.0.2.254"),
        ("queue_name", "check-server-sac-queue"),
        ("ssh_user", "check-server"),
        ("ssh_password", "check-server-not-a-device-password"),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value.to_owned()))
    .collect()
}

/// check-server's part: Juniper's client's requests against `target`. Reads always; writes
/// (a login, a discovery of a TEST-NET address, a queue of its own made and removed) with
/// [`Options::writes`]; never the removal of a device, which on a real server removes one it
/// manages.
pub async fn check(api: &Api, target: &Target, options: &Options) -> Vec<ProbeResult> {
    let started = Instant::now();
    let clients = match juniper_clients() {
        Ok(clients) => clients,
        Err(why) => {
            return vec![result(
                "the kit's requests",
                "requests",
                Outcome::Skipped {
                    why: format!("the kit's requests do not read: {why}"),
                },
                started.elapsed(),
            )];
        }
    };
    let label = format!("{} {}", clients.client, clients.commit);
    let mut values = kit_values();
    let devices = device_values(api, target).await;
    if let Ok(found) = &devices {
        values.extend(found.clone());
    }
    let real_server_forms = options.strictness == Strictness::RealServer;
    let skip = |request: &ClientRequest| {
        if request.method == "DELETE" && request.path.contains("{device_id}") {
            return Some("it removes a device the server manages: never sent".to_owned());
        }
        if request.method != "GET" && !options.writes {
            return Some("a write: --writes sends it".to_owned());
        }
        match &devices {
            Err(why) if request.path.contains("{device_id}") || request.path.contains("{name}") => {
                Some(why.clone())
            }
            _ => None,
        }
    };
    replay(&clients, target, values, real_server_forms, skip)
        .await
        .into_iter()
        .map(|replayed| {
            let probe = format!("row {} {}", replayed.request.row, replayed.request.call);
            result(&label, &probe, replayed.outcome, replayed.duration)
        })
        .collect()
}

fn result(label: &str, probe: &str, outcome: Outcome, duration: Duration) -> ProbeResult {
    ProbeResult {
        operation_id: "juniper-clients".to_owned(),
        operation: label.to_owned(),
        probe: probe.to_owned(),
        outcome,
        duration,
    }
}

/// The `name=value` pairs of `Set-Cookie` values, as a `Cookie` header sends them back.
pub fn cookie_pairs(set_cookies: &[String]) -> Vec<String> {
    set_cookies
        .iter()
        // A server may set several cookies in one header, comma-separated (the SDK's login
        // page shows `JSESSIONIDSSO=...;Version=1, JSESSIONID=...`).
        .flat_map(|value| value.split(','))
        .filter_map(|cookie| {
            let pair = cookie.split(';').next()?.trim();
            let (name, _) = pair.split_once('=')?;
            let is_attribute = ["path", "expires", "max-age", "domain", "version"]
                .iter()
                .any(|attribute| name.trim().eq_ignore_ascii_case(attribute));
            (!name.trim().is_empty() && !is_attribute).then(|| pair.to_owned())
        })
        .collect()
}

fn cookie_names(set_cookies: &[String]) -> Vec<String> {
    cookie_pairs(set_cookies)
        .iter()
        .filter_map(|pair| pair.split_once('=').map(|(name, _)| name.to_owned()))
        .collect()
}

fn fill(
    template: &str,
    values: &BTreeMap<String, String>,
    escape: fn(&str) -> String,
) -> Result<String, String> {
    let mut filled = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        filled.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let name_end = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let name = &after[..name_end];
        if name.is_empty() || !after[name_end..].starts_with('}') {
            // A brace of the text itself (a JSON body's).
            filled.push('{');
            rest = after;
            continue;
        }
        let value = values
            .get(name)
            .ok_or_else(|| format!("no value for {{{name}}} in {template}"))?;
        filled.push_str(&escape(value));
        rest = &after[name_end + 1..];
    }
    filled.push_str(rest);
    Ok(filled)
}

/// `value` as Python's `urllib.parse.quote` writes it (what SAC sends): unreserved
/// characters and `/` as they are, every other byte as `%XX`.
fn percent_encoded(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"_.-~/".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

fn json_escaped(value: &str) -> String {
    let quoted = Value::from(value).to_string();
    quoted[1..quoted.len() - 1].to_owned()
}

fn xml_escaped(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

fn shortened(body: &str) -> String {
    const SHOWN: usize = 160;
    match body.char_indices().nth(SHOWN) {
        Some((at, _)) => format!("{}…", &body[..at]),
        None => body.to_owned(),
    }
}

fn list<'v>(value: &'v Value, key: &str) -> Result<&'v Vec<Value>, String> {
    value
        .get(key)
        .and_then(Value::as_array)
        .ok_or_else(|| format!("`{key}` must be a list"))
}

fn text_of(value: &Value, key: &str) -> Result<String, String> {
    value
        .get(key)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| format!("`{key}` must be text"))
}

fn number(value: &Value, key: &str) -> Result<u32, String> {
    value
        .get(key)
        .and_then(Value::as_u64)
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| format!("`{key}` must be a number"))
}

fn pairs(value: &Value, key: &str) -> Result<Vec<(String, String)>, String> {
    let object = value
        .get(key)
        .and_then(Value::as_object)
        .ok_or_else(|| format!("`{key}` must be a mapping"))?;
    object
        .iter()
        .map(|(name, value)| {
            value
                .as_str()
                .map(|text| (name.clone(), text.to_owned()))
                .ok_or_else(|| format!("`{key}.{name}` must be text"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_requests_read_and_name_their_client() {
        let clients = juniper_clients().expect("the bundled requests read");
        assert_eq!(clients.client, "Juniper/space-ansible-collection");
        assert!(clients.requests.iter().any(|r| r.path.starts_with("//api")));
        assert!(
            clients
                .requests
                .iter()
                .all(|r| !r.needs.statuses.is_empty())
        );
    }

    #[test]
    fn templates_are_filled_encoded_and_missing_values_named() {
        let request = ClientRequest {
            row: 5,
            call: "filter".into(),
            file: "f.py".into(),
            method: "GET".into(),
            path: "//x?filter=(name%20eq%20%27{name}%27)".into(),
            headers: Vec::new(),
            body: Some(r#"{"a": {"b": "{name}"}}"#.into()),
            with_session: false,
            writes: false,
            keeps: Vec::new(),
            needs: Needs::default(),
        };
        let values = BTreeMap::from([("name".to_owned(), "mx \"1\"".to_owned())]);
        let (path, body) = request.filled(&values).expect("filled");
        assert_eq!(path, "//x?filter=(name%20eq%20%27mx%20%221%22%27)");
        assert_eq!(body.as_deref(), Some(r#"{"a": {"b": "mx \"1\""}}"#));
        let missing = request.filled(&BTreeMap::new()).expect_err("no value");
        assert!(missing.contains("{name}"), "{missing}");
    }

    #[test]
    fn needs_say_what_is_missing() {
        let needs = Needs {
            statuses: vec![200],
            cookies: vec!["JSESSIONID".into()],
            present: vec!["/devices".into()],
            absent: vec!["/devices/device".into()],
            real_server_only: None,
        };
        let cookies =
            ["JSESSIONIDSSO=A; Path=/p; HttpOnly, JSESSIONID=b.node1; Path=/p".to_owned()];
        let good = r#"{"devices":{"@uri":"/u","@size":"0"}}"#;
        assert!(needs.unmet(200, &cookies, good, true).is_empty());
        assert_eq!(
            cookie_pairs(&cookies),
            ["JSESSIONIDSSO=A", "JSESSIONID=b.node1"]
        );
        assert_eq!(needs.unmet(204, &cookies, "", true).len(), 1);
        let with_members = r#"{"devices":{"device":[]}}"#;
        assert_eq!(needs.unmet(200, &[], with_members, true).len(), 2);
        assert_eq!(needs.unmet(200, &cookies, "<html>", true).len(), 1);
    }
}
