//! Juniper's Ansible collection's requests as the kit carries them
//! (`data/juniper-clients.json`): each request as sent, with `{value}` templates, and what the
//! collection needs back ([`Needs`]).

use std::collections::BTreeMap;

use junos_space_model::api::error_page::escape_markup;
use serde_json::Value;

/// The requests as the kit carries them.
const JUNIPER_CLIENTS: &str = include_str!("../../../data/juniper-clients.json");

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
    /// Values the answer gives to later requests: a JSON pointer into the body, or
    /// `set-cookie` for the session.
    pub keeps: Vec<(String, String)>,
    /// Sent again until the text at one of these JSON pointers of the answer is its value, as
    /// the client polls a job until `DONE` (or `FAILURE`); empty for a request sent once.
    pub until: Vec<(String, String)>,
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
            keeps: match request.get("keeps") {
                None => Vec::new(),
                Some(_) => pairs(request, "keeps")?,
            },
            until: match request.get("until") {
                None => Vec::new(),
                Some(Value::Array(ends)) => ends
                    .iter()
                    .map(|end| Ok((text_of(end, "pointer")?, text_of(end, "is")?)))
                    .collect::<Result<_, String>>()?,
                Some(_) => return Err("`until` must list {pointer, is} pairs".into()),
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
                Some(fill(body, values, escape_markup)?)
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
            keeps: Vec::new(),
            until: Vec::new(),
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
