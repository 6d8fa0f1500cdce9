//! Which probes each operation of the spec gets, in which order, and what each expects.
//!
//! The statuses a refusal expects come from how a real Junos Space behaves
//! (`../shared/junos-space-behaviour.md`): 401 without credentials, 406 for an `Accept` it
//! cannot serve, 415 for a `Content-Type` it does not take, 400 for an empty header. The spec
//! documents few of them, so they are expectations of the mode; each says where it comes from
//! ([`Ground`]): a source, a form of the spec (and its provenance), or a decision of the kit.

use junos_space_model::api::{Collection, Operation, Response, SessionRole, Status};
use junos_space_model::media_type::near_miss::{next_version, sibling_resource};
use junos_space_model::{Api, MediaType};

use super::ground::{
    ANY_ACCEPT_SERVED, ANY_CONTENT_TYPE_REFUSED, Ground, KitDecision, PLAIN_JSON_REFUSED,
    UNKNOWN_ID_REFUSED,
};
use super::target::Auth;

/// The media type many Junos Space services refuse although clients send it.
const PLAIN_JSON: &str = "application/json";

/// What a probe counts as a pass, and where that expectation comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// A status the operation documents as a success, and (when the operation answers with a
    /// body) one of these media types, as the spec spells them.
    Success {
        accepted: Vec<String>,
        ground: Ground,
    },
    /// Exactly this status: the server refuses the request.
    Refusal {
        status: u16,
        because: &'static str,
        ground: Ground,
    },
    /// Any 4xx: the server refuses the request, and the spec documents no status for it.
    ClientError {
        because: &'static str,
        ground: Ground,
    },
    /// A success as [`Expect::Success`], or exactly this documented refusal, which the spec
    /// says the server gives where the probe cannot know better (cancelling a job that has
    /// already started or finished: 412).
    SuccessOrRefusal {
        accepted: Vec<String>,
        status: u16,
        because: &'static str,
    },
}

/// The header a media type goes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Header {
    Accept,
    ContentType,
}

impl Header {
    pub fn name(self) -> &'static str {
        match self {
            Self::Accept => "Accept",
            Self::ContentType => "Content-Type",
        }
    }

    /// The status that refuses a type in this header: a real server matches types literally
    /// and answers another version with 406 in `Accept`, 415 as `Content-Type` (PSP
    /// `test_miscellaneous.py`).
    pub fn refusal(self) -> u16 {
        match self {
            Self::Accept => 406,
            Self::ContentType => 415,
        }
    }

    /// Why the server refuses a type it does not name in this header.
    fn because(self) -> &'static str {
        match self {
            Self::Accept => "the server serves only the types it names",
            Self::ContentType => "the server takes only the types it names",
        }
    }

    /// The header's part of a probe's name (`accept: wrong version`).
    fn probe_prefix(self) -> &'static str {
        match self {
            Self::Accept => "accept",
            Self::ContentType => "content-type",
        }
    }
}

/// How a probe's path parameters are filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ids {
    /// Ids of members that exist, read from the server.
    Existing,
    /// An id no server issues, to see the operation's 404.
    Unknown,
}

/// The body a probe sends, where the operation takes one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    /// A value of the request schema, drawn from the run's seed.
    Drawn,
    /// A value the request schema refuses under every reading of a real server's forms: a
    /// JSON string where it wants an object, which any JSON binding refuses.
    ViolatingSchema,
    /// For a probe a faithful server refuses before it reads the body (credentials, media
    /// types): the violating body where the schema has one, else the drawn one, so a server
    /// that wrongly takes the probe still acts on nothing.
    Harmless,
}

/// One request to make for an operation, and what must come back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    /// Short and stable, for reports and JUnit (`accept: wrong version`).
    pub name: String,
    pub accept: Option<String>,
    pub content_type: Option<String>,
    pub auth: Auth,
    pub ids: Ids,
    pub expect: Expect,
    /// Whether a faithful server acts on it (creates a job, deletes a device). Only the last
    /// probe of an operation does, and only if the operation is not read-only.
    pub acts: bool,
    pub body: Body,
    /// Whether the collections the operation can fill (the jobs it starts, the members it
    /// adds) must be as they were after this probe: a refused write must start nothing.
    pub leaves_collections_unchanged: bool,
    /// The session the probe takes part in (`x-session`): the acting probe of login opens
    /// the run's session, and the success probes of logout and login-status carry its cookie
    /// instead of credentials.
    pub session: Option<SessionRole>,
}

/// Whether an operation only reads: the methods RFC 9110 calls safe.
pub fn is_read_only(operation: &Operation) -> bool {
    operation.method.is_safe()
}

/// The collection a read's success answer lists, if it lists one.
pub fn collection(operation: &Operation) -> Option<&Collection> {
    operation
        .collection
        .as_ref()
        .filter(|_| is_read_only(operation))
}

/// The probes of `operation`, refusals first, so that a faithful server acts at most once: on
/// the last probe, which sends exactly what the spec names.
pub fn probes(api: &Api, operation: &Operation) -> Vec<Probe> {
    let exact_accept = operation.accept_header();
    let exact_content_type = operation.content_type().map(str::to_owned);
    let read_only = is_read_only(operation);
    let probe = |name: &str, expect: Expect| Probe {
        name: name.to_owned(),
        accept: exact_accept.clone(),
        content_type: exact_content_type.clone(),
        auth: Auth::Account,
        ids: Ids::Existing,
        expect,
        acts: false,
        // A refusal probe of a write can never act on a faithful server: it is refused before
        // its body is read, and its body is one no server acts on; it must change nothing.
        body: if read_only {
            Body::Drawn
        } else {
            Body::Harmless
        },
        leaves_collections_unchanged: !read_only,
        session: None,
    };
    // A refusal every Junos Space gives, as a source of the behaviour notes shows.
    let refusal = |status, because| Expect::Refusal {
        status,
        because,
        ground: Ground::Fact,
    };
    let decided_refusal = |status, because, decision: &'static KitDecision| Expect::Refusal {
        status,
        because,
        ground: Ground::Kit(decision),
    };
    // Logout and login-status find the session by its cookie: every probe that expects a
    // success carries it. Login opens the session with the one probe that acts.
    let session_of_success = match operation.session {
        Some(role @ (SessionRole::Ends | SessionRole::Reports)) => Some(role),
        _ => None,
    };

    let has_path_parameters = operation.path.contains('{');
    // A write a server wrongly accepts without the right credentials must do no harm: where
    // the path names a member, these go to one that does not exist.
    let harmless_ids = if !read_only && has_path_parameters {
        Ids::Unknown
    } else {
        Ids::Existing
    };
    let mut planned = vec![
        Probe {
            auth: Auth::None,
            ids: harmless_ids,
            ..probe(
                "no credentials",
                refusal(401, "the server asks every caller to authenticate"),
            )
        },
        Probe {
            auth: Auth::UnknownUser,
            ids: harmless_ids,
            ..probe(
                "unknown user",
                refusal(401, "the server refuses a user it does not have"),
            )
        },
    ];
    // One wrong password per run, on the login: a real server may lock the account after a
    // few failed attempts.
    if operation.session == Some(SessionRole::Opens) {
        planned.push(Probe {
            auth: Auth::WrongPassword,
            ..probe(
                "wrong password",
                refusal(
                    401,
                    "the server refuses a password that is not the account's",
                ),
            )
        });
    }
    // Writes too: a write on a member that does not exist must be refused, never start a job.
    // Where the spec documents no 404, any refusal will do.
    if has_path_parameters {
        let because = "no member has this id";
        let expect = match documented(operation, 404) {
            Some(response) => Expect::Refusal {
                status: 404,
                because,
                ground: Ground::of(&response.provenance),
            },
            None => Expect::ClientError {
                because,
                ground: Ground::Kit(&UNKNOWN_ID_REFUSED),
            },
        };
        // The body is drawn: a server reads it before it looks the member up, so a body it
        // refuses would answer 400 before the 404; the missing member is what makes it harmless.
        planned.push(Probe {
            ids: Ids::Unknown,
            body: Body::Drawn,
            ..probe("unknown id", expect)
        });
    }
    // A write with a body the schema refuses is a 400 that starts nothing: as documented as
    // the request schema is.
    if !read_only
        && let Some(request) = &operation.request
        && let Some(schema) = request.content.schema
    {
        planned.push(Probe {
            body: Body::ViolatingSchema,
            leaves_collections_unchanged: true,
            ..probe(
                "body: violates the schema",
                Expect::Refusal {
                    status: 400,
                    because: "the body is not a value of the request schema",
                    ground: Ground::of(
                        &request
                            .content
                            .provenance
                            .or(&api.schema(schema).provenance),
                    ),
                },
            )
        });
    }
    // Near misses of the first answer type, then of the request type: each refused, and an
    // empty header malformed. A server matches media types before it finds the member (JAX-RS
    // method selection), so a write's go to a member that does not exist: one that wrongly
    // takes them then does no harm, and the write still acts once.
    let named = [
        (Header::Accept, operation.accept.first()),
        (
            Header::ContentType,
            operation.request.as_ref().map(|r| &r.content),
        ),
    ];
    for (header, named) in named {
        let Some(named) = named else { continue };
        let with = |sent: String, name: &str, expect: Expect| {
            let planned = Probe {
                ids: harmless_ids,
                ..probe(&format!("{}: {name}", header.probe_prefix()), expect)
            };
            match header {
                Header::Accept => Probe {
                    accept: Some(sent),
                    ..planned
                },
                Header::ContentType => Probe {
                    content_type: Some(sent),
                    ..planned
                },
            }
        };
        let (status, because) = (header.refusal(), header.because());
        for (miss, sent) in near_misses(api, operation, &named.media_type) {
            let expect = match miss {
                NearMiss::PlainJson => decided_refusal(status, because, &PLAIN_JSON_REFUSED),
                NearMiss::WrongVersion | NearMiss::SiblingType => refusal(status, because),
            };
            planned.push(with(sent, miss.name(), expect));
        }
        if header == Header::ContentType {
            let expect = decided_refusal(status, because, &ANY_CONTENT_TYPE_REFUSED);
            planned.push(with("*/*".to_owned(), "any type", expect));
        }
        let malformed = refusal(400, "an empty media type is malformed");
        planned.push(with(String::new(), "empty", malformed));
    }
    let accepted: Vec<String> = operation.accept.iter().map(|c| c.text.clone()).collect();
    // `*/*` is served like the exact type, so it acts too: only reads get it.
    if read_only && !operation.accept.is_empty() {
        planned.push(Probe {
            accept: Some("*/*".to_owned()),
            session: session_of_success,
            ..probe(
                "accept: any type",
                Expect::Success {
                    accepted: success_media_types(operation),
                    ground: Ground::Kit(&ANY_ACCEPT_SERVED),
                },
            )
        });
    }
    let exact = match documented_refusal(operation) {
        Some((status, because)) => Expect::SuccessOrRefusal {
            accepted,
            status,
            because,
        },
        None => Expect::Success {
            accepted,
            ground: Ground::Fact,
        },
    };
    planned.push(Probe {
        acts: !read_only,
        body: Body::Drawn,
        leaves_collections_unchanged: false,
        session: operation.session,
        ..probe("exact types", exact)
    });
    planned
}

/// The refusal the spec documents for a request the probe cannot make succeed for sure: a
/// cancel reaches the job the probe found, which has likely started or finished (412).
fn documented_refusal(operation: &Operation) -> Option<(u16, &'static str)> {
    (operation.cancels_job && documented(operation, 412).is_some()).then_some((
        412,
        "the job has started or finished, which the spec documents",
    ))
}

/// A near miss of a media type the spec names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NearMiss {
    WrongVersion,
    SiblingType,
    PlainJson,
}

impl NearMiss {
    fn name(self) -> &'static str {
        match self {
            Self::WrongVersion => "wrong version",
            Self::SiblingType => "sibling type",
            Self::PlainJson => "plain JSON",
        }
    }
}

/// The near misses of a media type the spec names: the next version, a sibling resource, and
/// plain JSON, leaving out any that the operation names, itself or through another of its
/// request types (discover-devices takes version 1 and version 2: neither misses the other).
fn near_misses(api: &Api, operation: &Operation, named: &MediaType) -> Vec<(NearMiss, String)> {
    let named_by_operation = |candidate: &MediaType| {
        api.operations()
            .iter()
            .filter(|other| other.pointer == operation.pointer)
            .flat_map(|other| {
                other
                    .accept
                    .iter()
                    .chain(other.request.iter().map(|r| &r.content))
            })
            .any(|c| c.media_type.is_same_representation(candidate))
    };
    let plain_json = MediaType::parse(PLAIN_JSON).ok();
    [
        (NearMiss::WrongVersion, next_version(named)),
        (NearMiss::SiblingType, Some(sibling_resource(named))),
        (NearMiss::PlainJson, plain_json),
    ]
    .into_iter()
    .filter_map(|(miss, candidate)| Some((miss, candidate?)))
    .filter(|(_, candidate)| !named_by_operation(candidate))
    .map(|(miss, candidate)| (miss, candidate.to_string()))
    .collect()
}

/// Every media type the operation documents for a success status, as the spec spells it.
fn success_media_types(operation: &Operation) -> Vec<String> {
    operation
        .successes()
        .flat_map(|response| response.contents.iter().map(|c| c.text.clone()))
        .collect()
}

/// The response the operation documents for exactly `code`.
fn documented(operation: &Operation, code: u16) -> Option<&Response> {
    operation
        .responses
        .iter()
        .find(|r| r.status == Status::Code(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api() -> &'static Api {
        Api::bundled().expect("the bundled spec reads")
    }

    fn operation(id: &str) -> &'static Operation {
        api().operation(id).expect("the operation")
    }

    fn probes(operation: &Operation) -> Vec<Probe> {
        super::probes(api(), operation)
    }

    fn names(probes: &[Probe]) -> Vec<&str> {
        probes.iter().map(|p| p.name.as_str()).collect()
    }

    #[test]
    fn a_read_gets_the_accept_matrix_and_never_acts() {
        let probes = probes(operation("getDevice"));
        assert_eq!(
            names(&probes),
            [
                "no credentials",
                "unknown user",
                "unknown id",
                "accept: wrong version",
                "accept: sibling type",
                "accept: plain JSON",
                "accept: empty",
                "accept: any type",
                "exact types"
            ]
        );
        assert!(probes.iter().all(|p| !p.acts));
        // A read's credential probes ask for a member that exists.
        assert!(probes[..2].iter().all(|p| p.ids == Ids::Existing));
        let wrong_version = &probes[3];
        assert_eq!(
            wrong_version.accept.as_deref(),
            Some("application/vnd.net.juniper.space.device-management.device+json;version=2")
        );
        assert_eq!(
            wrong_version.expect,
            Expect::Refusal {
                status: 406,
                because: "the server serves only the types it names",
                ground: Ground::Fact,
            }
        );
    }

    #[test]
    fn a_write_acts_once_and_last() {
        let probes = probes(operation("execDeployJam"));
        assert_eq!(
            names(&probes),
            [
                "no credentials",
                "unknown user",
                "unknown id",
                "body: violates the schema",
                "accept: wrong version",
                "accept: sibling type",
                "accept: plain JSON",
                "accept: empty",
                "content-type: wrong version",
                "content-type: sibling type",
                "content-type: plain JSON",
                "content-type: any type",
                "content-type: empty",
                "exact types"
            ]
        );
        let acting: Vec<&str> = probes
            .iter()
            .filter(|p| p.acts)
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(acting, ["exact types"]);
        assert!(probes.iter().all(|p| p.content_type.is_some()));
        // A wrongly accepted write without the right credentials, or with a near miss of its
        // types, goes to no member: only the probe that acts names one that exists.
        let existing: Vec<&str> = probes
            .iter()
            .filter(|p| p.ids == Ids::Existing)
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(existing, ["body: violates the schema", "exact types"]);
        // Every refusal must leave the write's collections as they were; only the probe that
        // acts may change them.
        let unwatched: Vec<&str> = probes
            .iter()
            .filter(|p| !p.leaves_collections_unchanged)
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(unwatched, ["exact types"]);
        assert_eq!(probes[3].body, Body::ViolatingSchema);
        // Refused before their body is read, the others send one no server acts on; the
        // unknown id's is drawn, since a body is read before the member is looked up.
        let bodies: Vec<Body> = probes.iter().map(|p| p.body).collect();
        assert_eq!(bodies[2], Body::Drawn);
        assert_eq!(bodies[13], Body::Drawn);
        assert!(
            bodies[..2]
                .iter()
                .chain(&bodies[4..13])
                .all(|b| *b == Body::Harmless),
            "{bodies:?}"
        );
        assert_eq!(
            probes[8].content_type.as_deref(),
            Some(
                "application/vnd.net.juniper.space.software-management.exec-deploy-jam-request+json;version=2;charset=UTF-8"
            )
        );
    }

    #[test]
    fn an_answer_without_a_body_has_nothing_to_negotiate() {
        // Job cancel (SDK22.2 rest.jobs.id.cancel.html) names no media type at all.
        let api = Api::from_yaml_str(
            r#"
openapi: 3.1.0
paths:
  /job-management/jobs/{job_id}/cancel:
    post:
      operationId: cancelJob
      parameters:
        - {name: job_id, in: path, required: true, schema: {type: integer}}
      responses:
        '200': {description: Cancelled.}
"#,
        )
        .expect("parses");
        let probes = super::probes(&api, &api.operations()[0]);
        assert_eq!(
            names(&probes),
            [
                "no credentials",
                "unknown user",
                "unknown id",
                "exact types"
            ]
        );
        // No 404 is documented: any refusal of the unknown id will do, but a refusal.
        assert!(matches!(probes[2].expect, Expect::ClientError { .. }));
        assert_eq!(
            probes[3].expect,
            Expect::Success {
                accepted: vec![],
                ground: Ground::Fact
            }
        );
        assert!(probes[3].acts);
    }

    #[test]
    fn only_the_login_meets_a_wrong_password() {
        let login = probes(operation("login"));
        let wrong: Vec<&Probe> = login
            .iter()
            .filter(|p| p.auth == Auth::WrongPassword)
            .collect();
        assert_eq!(
            names(&wrong.into_iter().cloned().collect::<Vec<_>>()),
            ["wrong password"]
        );
        for id in ["listDevices", "discoverDevice", "logout"] {
            assert!(
                probes(operation(id))
                    .iter()
                    .all(|p| p.auth != Auth::WrongPassword),
                "{id}"
            );
        }
    }

    #[test]
    fn a_cancel_may_meet_its_documented_412() {
        let probes = probes(operation("cancelJob"));
        let exact = probes.last().expect("the exact probe");
        assert!(exact.acts);
        assert!(matches!(
            exact.expect,
            Expect::SuccessOrRefusal { status: 412, .. }
        ));
    }

    #[test]
    fn session_calls_carry_the_runs_session_where_they_expect_success() {
        let login = probes(operation("login"));
        let opening: Vec<&str> = login
            .iter()
            .filter(|p| p.session == Some(SessionRole::Opens))
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(opening, ["exact types"]);
        let status = probes(operation("getLoginStatus"));
        for probe in &status {
            let expects_success = matches!(probe.expect, Expect::Success { .. });
            assert_eq!(probe.session.is_some(), expects_success, "{}", probe.name);
        }
        let logout = probes(operation("logout"));
        assert_eq!(
            logout.last().map(|p| p.session),
            Some(Some(SessionRole::Ends))
        );
        assert!(
            probes(operation("listDevices"))
                .iter()
                .all(|p| p.session.is_none())
        );
    }

    #[test]
    fn each_expectation_says_whether_a_source_the_spec_or_the_kit_decided_it() {
        let ground = |id: &str, name: &str| {
            let probes = probes(operation(id));
            let probe = probes.iter().find(|p| p.name == name).expect("the probe");
            match &probe.expect {
                Expect::Success { ground, .. }
                | Expect::Refusal { ground, .. }
                | Expect::ClientError { ground, .. } => ground.clone(),
                Expect::SuccessOrRefusal { .. } => Ground::Fact,
            }
        };
        assert_eq!(ground("getDevice", "accept: wrong version"), Ground::Fact);
        // spec/ documents a member's 404 by a decision of its own (`member-404`).
        assert_eq!(
            ground("getDevice", "unknown id").decision_id(),
            Some("member-404")
        );
        assert_eq!(
            ground("getDevice", "accept: plain JSON"),
            Ground::Kit(&PLAIN_JSON_REFUSED)
        );
        assert_eq!(
            ground("getDevice", "accept: any type"),
            Ground::Kit(&ANY_ACCEPT_SERVED)
        );
        assert_eq!(
            ground("execDeploy", "content-type: any type"),
            Ground::Kit(&ANY_CONTENT_TYPE_REFUSED)
        );
        // A 404 the spec decided is expected as a decision; without one, any refusal is
        // expected, by a decision of the kit.
        let thing = r#"
openapi: 3.1.0
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses:
        '200': {description: The thing.}
        '404': {description: No such thing., x-decision: unknown-thing-404}
"#;
        let unknown_id = |text: &str| {
            let api = Api::from_yaml_str(text).expect("reads");
            let probes = super::probes(&api, &api.operations()[0]);
            let unknown = probes.into_iter().find(|p| p.name == "unknown id");
            unknown.expect("planned").expect
        };
        assert!(matches!(
            unknown_id(thing),
            Expect::Refusal { status: 404, ground, .. }
                if ground.decision_id() == Some("unknown-thing-404")
        ));
        let without_404 = thing.replace(
            "        '404': {description: No such thing., x-decision: unknown-thing-404}\n",
            "",
        );
        assert!(matches!(
            unknown_id(&without_404),
            Expect::ClientError { ground: Ground::Kit(decision), .. }
                if *decision == UNKNOWN_ID_REFUSED
        ));
    }
}
