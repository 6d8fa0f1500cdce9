//! Media types as RFC 9110 §8.3.1 writes them, and the vendor tree Junos Space uses.
//!
//! Junos Space matches media types literally, so the spec's strings go on the wire unchanged;
//! this crate only reads them: to check they are well formed (the spec walker and its lint),
//! to compare two spellings (the client checking an answer's `Content-Type`, the conformance
//! kit's oracle, the simulator's negotiation), to split an `Accept` list, and to derive the
//! near misses a strict server refuses ([`near_miss`]). It has no dependencies, so the
//! generated client can use it.

use std::fmt;

mod list;
pub mod near_miss;

pub use list::list_members;

/// The platform's vendor tree (`application/vnd.net.juniper.space.<service>.<resource>`).
pub const PLATFORM_TREE: &str = "vnd.net.juniper.space.";

/// Security Director's vendor tree (`application/vnd.juniper.sd.<service>.<resource>`): SD is
/// an application of Junos Space with types of its own.
pub const SECURITY_DIRECTOR_TREE: &str = "vnd.juniper.sd.";

/// Both vendor trees of Junos Space's types.
pub const VENDOR_TREES: [&str; 2] = [PLATFORM_TREE, SECURITY_DIRECTOR_TREE];

/// Parameters that qualify a representation without naming another: `charset` (how the text
/// is encoded) and `q` (how much the server prefers the type; Junos Space lists its types with
/// one, and echoes it in answers). See [`MediaType::is_same_representation`].
pub const QUALIFYING_PARAMETERS: [&str; 2] = ["charset", "q"];

/// A parsed media type: `type/subtype[+suffix]` and its parameters, in order.
#[derive(Debug, Clone)]
pub struct MediaType {
    type_: String,
    subtype: String,
    parameters: Vec<(String, String)>,
}

/// Why a string is not a media type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaTypeError {
    /// The text that was read.
    pub input: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl fmt::Display for MediaTypeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a media type: {}", self.input, self.reason)
    }
}

impl std::error::Error for MediaTypeError {}

/// `tchar` of RFC 9110 §5.6.2: the characters a token may hold.
fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

fn is_token(s: &str) -> bool {
    !s.is_empty() && s.chars().all(is_token_char)
}

/// Optional white space of RFC 9110: spaces and horizontal tabs only.
fn trim_ows(s: &str) -> &str {
    s.trim_matches([' ', '\t'])
}

impl MediaType {
    /// Parses `type/subtype *( OWS ";" OWS name=value )`, values as tokens or quoted strings.
    pub fn parse(input: &str) -> Result<Self, MediaTypeError> {
        let fail = |reason| MediaTypeError {
            input: input.to_owned(),
            reason,
        };
        let (essence, mut rest) = match input.find(';') {
            Some(at) => (&input[..at], &input[at..]),
            None => (input, ""),
        };
        // OWS may stand before the first `;` (RFC 9110 §5.6.6), not inside the type.
        let essence = essence.trim_end_matches([' ', '\t']);
        let (type_, subtype) = essence.split_once('/').ok_or_else(|| fail("no `/`"))?;
        if !is_token(type_) || !is_token(subtype) {
            return Err(fail("type and subtype must be non-empty tokens"));
        }
        let mut parameters = Vec::new();
        loop {
            rest = trim_ows(rest);
            if rest.is_empty() {
                break;
            }
            rest = rest
                .strip_prefix(';')
                .ok_or_else(|| fail("parameters must be separated by `;`"))?;
            rest = trim_ows(rest);
            if rest.is_empty() {
                // RFC 9110 allows an empty parameter after a trailing `;`.
                break;
            }
            let (name, after) = rest
                .split_once('=')
                .ok_or_else(|| fail("a parameter needs `name=value`"))?;
            // RFC 9110 writes no white space around `=`, but peers send `version = 2`; the
            // parameter is the same, so it is read (the spec lint still wants none).
            let name = trim_ows(name);
            let after = after.trim_start_matches([' ', '\t']);
            if !is_token(name) {
                return Err(fail("a parameter name must be a token"));
            }
            let (value, after) = if let Some(quoted) = after.strip_prefix('"') {
                read_quoted(quoted).ok_or_else(|| fail("unterminated quoted string"))?
            } else {
                let end = after.find(';').unwrap_or(after.len());
                let value = trim_ows(&after[..end]);
                if !is_token(value) {
                    return Err(fail("a parameter value must be a token or a quoted string"));
                }
                (value.to_owned(), &after[end..])
            };
            parameters.push((name.to_ascii_lowercase(), value));
            rest = after;
        }
        Ok(Self {
            type_: type_.to_ascii_lowercase(),
            subtype: subtype.to_ascii_lowercase(),
            parameters,
        })
    }

    /// The top-level type, lower case (`application`).
    pub fn type_(&self) -> &str {
        &self.type_
    }

    /// The subtype including any suffix, lower case.
    pub fn subtype(&self) -> &str {
        &self.subtype
    }

    /// The structured syntax suffix (`json` of `...+json`), if any.
    pub fn suffix(&self) -> Option<&str> {
        self.subtype.rsplit_once('+').map(|(_, suffix)| suffix)
    }

    /// `type/subtype`, lower case, without parameters.
    pub fn essence(&self) -> String {
        format!("{}/{}", self.type_, self.subtype)
    }

    /// The value of parameter `name` (matched case-insensitively), unquoted.
    pub fn parameter(&self, name: &str) -> Option<&str> {
        self.parameters
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The parameters in the order they were written; names lower case, values unquoted.
    pub fn parameters(&self) -> &[(String, String)] {
        &self.parameters
    }

    /// True when the body is JSON: `application/json` or any `+json` type.
    pub fn is_json(&self) -> bool {
        (self.type_ == "application" && self.subtype == "json") || self.suffix() == Some("json")
    }

    /// True for `text/plain`: the bodies of the session calls (`User logged in`).
    pub fn is_plain_text(&self) -> bool {
        self.type_ == "text" && self.subtype == "plain"
    }

    /// A type of the Junos Space vendor trees: `application/vnd.net.juniper.space.<service>.<resource>`,
    /// or Security Director's `application/vnd.juniper.sd.<service>.<resource>`; returns
    /// `(service, resource)` without the suffix.
    pub fn junos_space_resource(&self) -> Option<(&str, &str)> {
        let name = self.vendor_name()?;
        let (service, resource) = name.split_once('.')?;
        (self.type_ == "application" && !service.is_empty() && !resource.is_empty())
            .then_some((service, resource))
    }

    /// The Junos Space service a type of the vendor tree belongs to: `device-management` for
    /// a resource's type (`application/vnd.net.juniper.space.device-management.devices+json`),
    /// and for the type of a service's own root document, which names the service alone
    /// (`application/vnd.net.juniper.space.tag-management+json;version=3`: SDK22.1
    /// JSTagManagerSvc `v3_rest.html`).
    pub fn junos_space_service(&self) -> Option<&str> {
        let name = self.vendor_name()?;
        let service = name.split_once('.').map_or(name, |(service, _)| service);
        (self.type_ == "application" && !service.is_empty()).then_some(service)
    }

    /// Whether the type is of Security Director's own tree (`application/vnd.juniper.sd.`).
    pub fn is_security_director(&self) -> bool {
        self.subtype.starts_with(SECURITY_DIRECTOR_TREE)
    }

    /// The name a type of either vendor tree gives after the tree and before its suffix
    /// (`device-management.devices`, `address-management.address`).
    fn vendor_name(&self) -> Option<&str> {
        let name = VENDOR_TREES
            .iter()
            .find_map(|tree| self.subtype.strip_prefix(tree))?;
        Some(name.rsplit_once('+').map_or(name, |(name, _)| name))
    }

    /// This media type without parameter `name` (matched case-insensitively).
    pub fn without_parameter(&self, name: &str) -> MediaType {
        let mut copy = self.clone();
        copy.parameters
            .retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        copy
    }

    /// The same representation: equivalent once both sides set aside the parameters in
    /// [`QUALIFYING_PARAMETERS`], which say how an answer is encoded or how much a server
    /// prefers it, not which resource, version or syntax it is. A real server answers
    /// `Accept: ...job+json;version=3` with `...job+json;q="0.03";version="3"`; another
    /// `version`, resource or suffix is still another representation.
    pub fn is_same_representation(&self, other: &MediaType) -> bool {
        let identifying = |m: &MediaType| {
            let mut copy = m.clone();
            copy.parameters.retain(|(name, _)| {
                !QUALIFYING_PARAMETERS
                    .iter()
                    .any(|q| name.eq_ignore_ascii_case(q))
            });
            copy
        };
        identifying(self).is_equivalent(&identifying(other))
    }

    /// Equal but for case of type, subtype and parameter names, white space, quoting and the
    /// order of parameters. Parameter values are compared exactly: Junos Space does.
    pub fn is_equivalent(&self, other: &MediaType) -> bool {
        let sorted = |m: &MediaType| {
            let mut parameters = m.parameters.clone();
            parameters.sort();
            parameters
        };
        self.type_ == other.type_ && self.subtype == other.subtype && sorted(self) == sorted(other)
    }
}

/// Reads a quoted-string body after its opening quote; returns the value and what follows.
fn read_quoted(input: &str) -> Option<(String, &str)> {
    let mut value = String::new();
    let mut chars = input.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '"' => return Some((value, &input[at + 1..])),
            '\\' => value.push(chars.next()?.1),
            c => value.push(c),
        }
    }
    None
}

impl fmt::Display for MediaType {
    /// Canonical spelling: lower-case names, `;` without spaces, values quoted only when needed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.type_, self.subtype)?;
        for (name, value) in &self.parameters {
            if is_token(value) {
                write!(f, ";{name}={value}")?;
            } else {
                let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
                write!(f, ";{name}=\"{escaped}\"")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEVICES: &str =
        "application/vnd.net.juniper.space.device-management.devices+json;version=2";

    #[test]
    fn reads_the_vendor_tree() {
        let media = MediaType::parse(DEVICES).expect("parses");
        assert_eq!(media.suffix(), Some("json"));
        assert_eq!(media.parameter("version"), Some("2"));
        assert_eq!(
            media.junos_space_resource(),
            Some(("device-management", "devices"))
        );
        assert!(media.is_json());
        assert!(!media.is_plain_text());
        assert_eq!(media.to_string(), DEVICES);
    }

    #[test]
    fn the_vendor_tree_needs_an_application_type_a_service_and_a_resource() {
        for outside in [
            "text/vnd.net.juniper.space.device-management.devices+json;version=2",
            "application/vnd.net.juniper.space..devices+json",
            "application/vnd.net.juniper.space.device-management.+json",
            "application/vnd.net.juniper.space.devices+json",
            "application/json",
        ] {
            let media = MediaType::parse(outside).expect(outside);
            assert_eq!(media.junos_space_resource(), None, "{outside}");
        }
    }

    #[test]
    fn a_service_names_its_resources_and_its_root_document() {
        let service = |text: &str| {
            MediaType::parse(text)
                .expect(text)
                .junos_space_service()
                .map(str::to_owned)
        };
        assert_eq!(service(DEVICES).as_deref(), Some("device-management"));
        assert_eq!(
            service("application/vnd.net.juniper.space.tag-management+json;version=3").as_deref(),
            Some("tag-management")
        );
        for outside in [
            "text/vnd.net.juniper.space.tag-management+json;version=3",
            "application/vnd.net.juniper.space.+json",
            "application/json",
        ] {
            assert_eq!(service(outside), None, "{outside}");
        }
    }

    #[test]
    fn plain_text_is_told_apart_from_other_text() {
        let text = MediaType::parse("Text/Plain; charset=UTF-8").expect("parses");
        assert!(text.is_plain_text() && !text.is_json());
        let html = MediaType::parse("text/html").expect("parses");
        assert!(!html.is_plain_text());
    }

    #[test]
    fn equivalent_spellings_compare_equal() {
        let canonical = MediaType::parse(DEVICES).expect("parses");
        for spelling in [
            "Application/VND.net.juniper.space.device-management.devices+JSON; Version=\"2\"",
            "application/vnd.net.juniper.space.device-management.devices+json ;\tversion=2",
            "application/vnd.net.juniper.space.device-management.devices+json; version = \"2\" ",
        ] {
            let other = MediaType::parse(spelling).expect(spelling);
            assert!(canonical.is_equivalent(&other), "{spelling}");
        }
    }

    #[test]
    fn other_versions_and_siblings_differ() {
        let canonical = MediaType::parse(DEVICES).expect("parses");
        for spelling in [
            "application/vnd.net.juniper.space.device-management.devices+json;version=3",
            "application/vnd.net.juniper.space.device-management.devices+json",
            "application/vnd.net.juniper.space.device-management.device+json;version=2",
            "application/vnd.net.juniper.space.device-management.devices+xml;version=2",
            "application/json",
        ] {
            let other = MediaType::parse(spelling).expect(spelling);
            assert!(!canonical.is_equivalent(&other), "{spelling}");
        }
    }

    #[test]
    fn malformed_types_are_refused() {
        for input in [
            "",
            "json",
            "application/",
            "a/b;version",
            "a/b;v=\"open",
            "a b/c",
            "a/b;=1",
        ] {
            assert!(MediaType::parse(input).is_err(), "{input:?}");
        }
    }

    #[test]
    fn qualifying_parameters_are_set_aside_and_nothing_else() {
        let asked =
            MediaType::parse("application/vnd.net.juniper.space.job-management.job+json;version=3")
                .expect("parses");
        for answered in [
            // Captured from a real server (CSD docs/examples.md).
            "application/vnd.net.juniper.space.job-management.job+json;q=\"0.03\";version=\"3\"",
            "application/vnd.net.juniper.space.job-management.job+json;version=3;q=0.03",
            "application/vnd.net.juniper.space.job-management.job+json;version=3;charset=UTF-8",
            "application/vnd.net.juniper.space.job-management.job+json; Q=.02 ;version=3",
        ] {
            let answered = MediaType::parse(answered).expect(answered);
            assert!(asked.is_same_representation(&answered), "{answered}");
            assert!(answered.is_same_representation(&asked), "{answered}");
        }
        for other in [
            "application/vnd.net.juniper.space.job-management.job+json;q=\"0.03\";version=\"2\"",
            "application/vnd.net.juniper.space.job-management.jobs+json;version=3",
            "application/vnd.net.juniper.space.job-management.job+xml;version=3",
            "application/vnd.net.juniper.space.job-management.job+json;version=3;level=1",
        ] {
            let other = MediaType::parse(other).expect(other);
            assert!(!asked.is_same_representation(&other), "{other}");
        }
    }
}
