//! Release drift (`--versions N`): every operation asked with versions 1 to N of each
//! versioned type it names, in `Accept` and in `Content-Type`, and the versions the server
//! takes reported beside the one `spec/` names: the report to read when a new Junos Space
//! release comes.
//!
//! A version is taken when the answer is anything but the refusal of its header (406 for
//! `Accept`, 415 for `Content-Type`); a 401 or no answer says nothing. Writes are asked so that
//! a taken version does nothing: with a body their schema refuses, or on a member that does
//! not exist, since the server matches media types before it reads the body or finds the
//! member (JAX-RS method selection); a write with neither is skipped. Only a refused named
//! version fails (warns, when the type is a decision of the spec); other versions taken are
//! drift, shown in the report's table.

use std::time::Instant;

use junos_space_model::api::{Operation, ParameterLocation};
use junos_space_model::media_type::near_miss::with_version;
use junos_space_model::{Api, MediaType};

use super::bodies;
use super::ground::{Ground, Problem};
use super::options::Options;
use super::outcome::{Outcome, ProbeResult};
use super::plan::{Header, Ids, is_read_only};
use super::resolve::fill_path;
use super::target::{Auth, Exchange, Request, Target, own_base};

/// Which versions of one named type the server takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Support {
    pub operation_id: String,
    pub header: Header,
    /// The type as `spec/` names it.
    pub named: String,
    pub named_version: u64,
    /// Versions of the same type that other methods of the operation name in this header
    /// (discover-devices takes version 1 and version 2): taken as named, not as drift.
    pub also_named: Vec<u64>,
    pub taken: Vec<u64>,
    pub refused: Vec<u64>,
    /// Versions the answer said nothing about, and why (401, no answer).
    pub unclear: Vec<(u64, String)>,
    /// Versions asked in `Accept`, taken, and answered labelled as another version: each with
    /// the `Content-Type` as sent.
    pub mislabelled: Vec<(u64, String)>,
}

impl Support {
    /// Whether the server takes other versions than exactly the one named.
    pub fn drifts(&self) -> bool {
        !self.taken.contains(&self.named_version)
            || self
                .taken
                .iter()
                .any(|v| *v != self.named_version && !self.also_named.contains(v))
    }
}

/// Asks every selected operation with versions `1..=highest` (and the named one, if higher).
pub async fn check(
    api: &Api,
    selected: &[&Operation],
    highest: u64,
    target: &Target,
    options: &Options,
) -> (Vec<ProbeResult>, Vec<Support>) {
    let mut results = Vec::new();
    let mut supports = Vec::new();
    for operation in selected {
        let started = Instant::now();
        if !is_read_only(operation) && !options.writes {
            let why = "a write; --writes asks it too (harmlessly)".to_owned();
            results.push(ProbeResult::new(
                operation,
                "versions",
                Outcome::Skipped { why },
                started,
            ));
            continue;
        }
        let request = match harmless_request(api, operation, target, options).await {
            Ok(request) => request,
            Err(why) => {
                let skipped = Outcome::Skipped { why };
                results.push(ProbeResult::new(operation, "versions", skipped, started));
                continue;
            }
        };
        let named = operation
            .accept
            .iter()
            .map(|named| (Header::Accept, named))
            .chain(
                operation
                    .request
                    .iter()
                    .map(|r| (Header::ContentType, &r.content)),
            );
        for (header, named) in named {
            let started = Instant::now();
            let media = &named.media_type;
            let Some(named_version) = media.parameter("version").and_then(|v| v.parse().ok())
            else {
                continue;
            };
            let (mut support, named_answer) = ask(
                operation,
                header,
                media,
                named_version,
                highest,
                &request,
                target,
            )
            .await;
            support.also_named = versions_named_beside(api, operation, header, media);
            // `devices+json`: which of the operation's types, in the probe's name.
            let short = media.subtype().rsplit('.').next().unwrap_or_default();
            let probe = format!("versions: {} {short}", header.name());
            let outcome = if let Some(((version, answered), _)) =
                support.mislabelled.first().zip(named_answer.as_ref())
            {
                let mut asked = request.clone();
                let versioned = with_version(media, *version).map(|m| m.to_string());
                set(&mut asked, header, versioned.unwrap_or_default());
                let got = answered_version(answered).unwrap_or_default();
                let problem = Problem::fact(format!(
                    "Accept version {version} was taken and answered as `{answered}`: parameter \
                     `version` is `{got}`, not `{version}`"
                ));
                Outcome::fell_short(vec![problem], target.curl(&asked))
            } else if let Some((status, content_type)) = named_answer {
                Outcome::Passed {
                    status,
                    content_type,
                }
            } else {
                let mut asked = request.clone();
                set(&mut asked, header, named.text.clone());
                let problem = Problem::on(
                    Ground::of(&named.provenance),
                    format!(
                        "{} version {named_version}, which spec/ names, is not taken; taken: {}",
                        header.name(),
                        list(&support.taken)
                    ),
                );
                Outcome::fell_short(vec![problem], target.curl(&asked))
            };
            results.push(ProbeResult::new(operation, &probe, outcome, started));
            supports.push(support);
        }
    }
    (results, supports)
}

/// The versions of `media`'s type that the other methods of `operation`'s spec operation name
/// in `header`.
fn versions_named_beside(
    api: &Api,
    operation: &Operation,
    header: Header,
    media: &MediaType,
) -> Vec<u64> {
    let unversioned = media.without_parameter("version");
    api.operations()
        .iter()
        .filter(|other| other.pointer == operation.pointer && other.id != operation.id)
        .flat_map(|other| match header {
            Header::Accept => other.accept.iter().collect::<Vec<_>>(),
            Header::ContentType => other.request.iter().map(|r| &r.content).collect(),
        })
        .filter(|content| {
            content
                .media_type
                .without_parameter("version")
                .is_same_representation(&unversioned)
        })
        .filter_map(|content| content.media_type.parameter("version")?.parse().ok())
        .collect()
}

/// Asks `media` (named in `header`) at each version; gives the status and type of the
/// answer to the named version when it was taken.
async fn ask(
    operation: &Operation,
    header: Header,
    media: &MediaType,
    named_version: u64,
    highest: u64,
    request: &Request,
    target: &Target,
) -> (Support, Option<(u16, Option<String>)>) {
    let mut named_answer = None;
    let mut support = Support {
        operation_id: operation.id.clone(),
        header,
        named: media.to_string(),
        named_version,
        also_named: Vec::new(),
        taken: Vec::new(),
        refused: Vec::new(),
        unclear: Vec::new(),
        mislabelled: Vec::new(),
    };
    for version in 1..=highest.max(named_version) {
        let Some(versioned) = with_version(media, version) else {
            continue;
        };
        let mut asked = request.clone();
        set(&mut asked, header, versioned.to_string());
        match target.send(&asked).await {
            Exchange::Answered { status, .. } if status == header.refusal() => {
                support.refused.push(version)
            }
            Exchange::Answered { status: 401, .. } => support
                .unclear
                .push((version, "401: refused before the type was read".into())),
            Exchange::Answered {
                status,
                content_type,
                ..
            } => {
                // A success asked for one version is that version: an older one still served
                // answers in its own type, as any answer is of a type the Accept named.
                if header == Header::Accept
                    && (200..300).contains(&status)
                    && let Some(answered) = &content_type
                    && answered_version(answered).is_some_and(|got| got != version)
                {
                    support.mislabelled.push((version, answered.clone()));
                }
                if version == named_version {
                    named_answer = Some((status, content_type));
                }
                support.taken.push(version);
            }
            Exchange::NoAnswer(why) => support.unclear.push((version, why)),
        }
    }
    (support, named_answer)
}

/// The `version` parameter of a `Content-Type` as sent, when it has a numeric one.
fn answered_version(content_type: &str) -> Option<u64> {
    MediaType::parse(content_type)
        .ok()?
        .parameter("version")?
        .parse()
        .ok()
}

fn set(request: &mut Request, header: Header, value: String) {
    match header {
        Header::Accept => request.accept = Some(value),
        Header::ContentType => request.content_type = Some(value),
    }
}

/// The request every version of `operation` is asked with: a read as the spec names it; a
/// write with a body its schema refuses, on a member that does not exist where its path names
/// one.
async fn harmless_request(
    api: &Api,
    operation: &Operation,
    target: &Target,
    options: &Options,
) -> Result<Request, String> {
    let read_only = is_read_only(operation);
    let names_member = operation
        .parameters_in(ParameterLocation::Path)
        .next()
        .is_some();
    let body = if read_only {
        None
    } else {
        bodies::violating(api, operation)
    };
    if !read_only && !names_member && body.is_none() {
        return Err("a write with no body to refuse and no member to miss could act".into());
    }
    let ids = if read_only {
        Ids::Existing
    } else {
        Ids::Unknown
    };
    let path = fill_path(api, operation, &options.path_values, ids, target).await?;
    Ok(Request {
        method: operation.method.as_str(),
        path,
        base: own_base(operation),
        accept: operation.accept_header(),
        content_type: operation.content_type().map(str::to_owned),
        body,
        auth: Auth::Account,
        session: None,
    })
}

/// `1, 2` or `none`.
pub fn list(versions: &[u64]) -> String {
    if versions.is_empty() {
        return "none".into();
    }
    versions
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
