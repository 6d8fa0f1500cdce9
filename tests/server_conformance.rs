//! The kit's server-conformance mode against the simulator: silent on the faithful simulator,
//! and reporting each deliberate deviation, and only it, when the simulator is started with it.

use std::collections::BTreeMap;
use std::time::Duration;

use junos_space_conformance::server::options::{Options, Strictness};
use junos_space_conformance::server::outcome::Outcome;
use junos_space_conformance::server::target::{Connection, Target};
use junos_space_conformance::server::{self, report::Report};
use junos_space_model::Api;
use junos_space_model::api::{HttpMethod, ParameterLocation, Status};
use junos_space_runtime::Credentials;
use junos_space_simulator::tls::Tls;
use junos_space_simulator::{
    Config, Deviation, Faults, JobSettings, Realism, RunningSimulator, Simulator,
};

/// The fixture's first software package: the spec lists no package collection to read it from.
const PACKAGE_ID: &str = "131074";

async fn simulator(realism: Realism, deviations: &[Deviation]) -> RunningSimulator {
    Simulator::start(Config {
        realism,
        deviations: deviations.iter().copied().collect(),
        jobs: JobSettings {
            duration: Duration::from_millis(20),
            ..JobSettings::default()
        },
        ..Config::default()
    })
    .await
    .expect("the simulator starts")
}

/// `simulator` as check-server's target, with its account.
fn target(simulator: &RunningSimulator) -> Target {
    let account = &simulator.config().credentials[0];
    Target::new(
        &simulator.base_url(),
        Credentials::new(account.user.clone(), account.password.clone()),
        &Connection::default(),
    )
    .expect("a target")
}

async fn check(simulator: &RunningSimulator, writes: bool, strictness: Strictness) -> Report {
    run(simulator, options(writes, strictness)).await
}

fn options(writes: bool, strictness: Strictness) -> Options {
    Options {
        writes,
        strictness,
        path_values: BTreeMap::from([("package_id".to_owned(), PACKAGE_ID.to_owned())]),
        ..Options::default()
    }
}

async fn run(simulator: &RunningSimulator, options: Options) -> Report {
    server::check_server(api(), &target(simulator), &options)
        .await
        .expect("the spec is walkable")
}

/// The model of the spec the simulator serves (its `BUNDLED_SPEC` is the model's).
fn api() -> &'static Api {
    Api::bundled().expect("the bundled spec reads")
}

/// Whether a skipped check is one the spec's own shape skips: the count, paging or filter of a
/// collection the spec gives none of them (a tag's targets).
fn skipped_by_the_spec(operation_id: &str, probe: &str) -> bool {
    let Some(operation) = api().operation(operation_id) else {
        return false;
    };
    let Some(collection) = &operation.collection else {
        return false;
    };
    let takes = |name: &str| {
        operation
            .parameters_in(ParameterLocation::Query)
            .any(|p| p.name == name)
    };
    match probe {
        "count: equals the members" => collection.count.is_none(),
        "paging: pages" => !takes("paging"),
        "filter: eq keeps exactly the named members" => !takes("filter"),
        _ => false,
    }
}

/// Panics with the whole summary unless every probe of every operation passed, with no
/// warning: the faithful simulator differs from no decision either.
fn assert_all_pass(report: &Report) {
    let summary = report.summary();
    assert!(report.is_success(), "{summary}");
    // The one skip a server could cause: Juniper's client's removal of a device, which
    // check-server never sends. The others are the spec's.
    let skipped: Vec<&str> = report
        .results
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Skipped { .. }))
        .filter(|r| !skipped_by_the_spec(&r.operation_id, &r.probe))
        .map(|r| r.probe.as_str())
        .collect();
    assert_eq!(skipped, ["row 11 remove a device"], "{summary}");
    assert_eq!(report.warned(), 0, "{summary}");
    for operation in api().operations() {
        assert!(
            report
                .results
                .iter()
                .any(|r| r.operation_id == operation.id
                    && matches!(r.outcome, Outcome::Passed { .. })),
            "{} was not probed:\n{summary}",
            operation.id
        );
    }
}

#[tokio::test]
async fn the_faithful_simulator_passes_every_probe_reads_and_writes() {
    let simulator = simulator(Realism::real_server(), &[]).await;
    let report = check(&simulator, true, Strictness::RealServer).await;
    assert_all_pass(&report);
    // Every probe got its own answer, and the refusals really were refusals.
    assert!(report.results.len() > 100, "{}", report.summary());
    // The writes on users (updateUser, deleteUser) acted on the user the run created, never
    // on the account the run logs in with.
    let account = &simulator.config().credentials[0].user;
    assert!(
        user_names(&simulator).await.contains(account),
        "the run's own account `{account}` is gone"
    );
    simulator.shutdown().await;
}

/// The names of the users the simulator lists.
async fn user_names(simulator: &RunningSimulator) -> Vec<String> {
    let list_users = api().operation("listUsers").expect("listUsers");
    let collection = list_users.collection.as_ref().expect("listUsers lists");
    let body = listed(simulator, "listUsers").await;
    collection
        .members(&body)
        .iter()
        .filter_map(|member| member["name"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn the_schema_strict_simulator_passes_the_literal_reading() {
    let simulator = simulator(Realism::schema_strict(), &[]).await;
    assert_all_pass(&check(&simulator, true, Strictness::Literal).await);
    simulator.shutdown().await;
}

#[tokio::test]
async fn the_literal_reading_flags_the_real_server_forms() {
    let simulator = simulator(Realism::real_server(), &[]).await;
    let report = check(&simulator, false, Strictness::Literal).await;
    let problems = report.problems().join("\n");
    for form in [
        "\"5\" is not of type integer",         // `@total` as a string
        "is not of type array",                 // a one-member list as an object
        "status 204 is not a success listJobs", // the empty collection
    ] {
        assert!(
            problems.contains(form),
            "`{form}` not reported:\n{problems}"
        );
    }
    // The JSON body of a 401 is a decision of spec/README.md, not a documented form: the
    // plain-text 401 differs from it, and is a warning that names it.
    let warnings = report.warnings();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("answer type `text/plain;charset=UTF-8`")
                && w.contains("decision `error-bodies`")),
        "the plain-text 401 is not a warning on `error-bodies`:\n{}",
        warnings.join("\n")
    );
    simulator.shutdown().await;
}

#[tokio::test]
async fn read_only_sends_no_write() {
    let simulator = simulator(Realism::real_server(), &[]).await;
    let report = check(&simulator, false, Strictness::RealServer).await;
    assert!(report.is_success(), "{}", report.summary());
    for operation in api()
        .operations()
        .iter()
        .filter(|o| o.method != HttpMethod::Get)
    {
        let results: Vec<_> = report
            .results
            .iter()
            .filter(|r| r.operation_id == operation.id)
            .collect();
        assert!(
            matches!(&results[..], [one] if matches!(&one.outcome, Outcome::Skipped { why } if why.contains("--writes"))),
            "{} was sent: {results:?}",
            operation.id
        );
    }
    // Nothing started a job or removed a device: every read of the jobs finds none.
    let again = check(&simulator, false, Strictness::RealServer).await;
    let statuses = passed_statuses(&again, "listJobs");
    assert!(
        statuses.len() >= 3 && statuses.iter().all(|status| *status == 204),
        "{statuses:?}\n{}",
        again.summary()
    );
    simulator.shutdown().await;
}

#[tokio::test]
async fn each_write_acts_exactly_once() {
    let simulator = simulator(Realism::real_server(), &[]).await;
    let report = check(&simulator, true, Strictness::RealServer).await;
    assert!(report.is_success(), "{}", report.summary());
    let asynchronous = api()
        .operations()
        .iter()
        .filter(|o| o.responses.iter().any(|r| r.status == Status::Code(202)))
        .count();
    // Juniper's client's discoveries start jobs too, one each.
    let clients_jobs = report
        .results
        .iter()
        .filter(|r| {
            r.operation_id == "juniper-clients"
                && matches!(r.outcome, Outcome::Passed { status: 202, .. })
        })
        .count();
    assert_eq!(clients_jobs, 2, "{}", report.summary());
    // And the scheduled job, cancelled before it ran.
    let scheduled = 1;
    let jobs = count_jobs(&simulator).await;
    assert_eq!(
        jobs,
        asynchronous + clients_jobs + scheduled,
        "{}",
        report.summary()
    );
    // The refusals that could have acted were checked, and the effects were seen, not skipped.
    let passed = |operation_id: &str, probe: &str| {
        report.results.iter().any(|r| {
            r.operation_id == operation_id
                && r.probe == probe
                && matches!(r.outcome, Outcome::Passed { .. })
        })
    };
    for operation in api().operations() {
        if operation.request.is_some() && operation.method != HttpMethod::Get {
            let id = &operation.id;
            assert!(
                passed(id, "body: violates the schema"),
                "{id}\n{}",
                report.summary()
            );
        }
    }
    assert!(
        passed("discoverDevice", "effect: listDevices gains a member"),
        "{}",
        report.summary()
    );
    simulator.shutdown().await;
}

/// What each deviation must be reported as; every problem of the run must be one of these.
fn signatures(deviation: Deviation) -> &'static [&'static str] {
    match deviation {
        Deviation::WrongResponseVersion => &["parameter `version` is"],
        // Juniper's client misses the member too (`the body has no /device`).
        // Without its task, a scheduled call names no job to cancel.
        Deviation::MissingRequiredField => &[
            "required member `",
            "the body has no /",
            "started no job that can be read",
        ],
        // Juniper's client takes the documented statuses only (`answered 203, needs [200]`).
        Deviation::UndocumentedStatus => &["is not a success", "documents no body", ", needs ["],
        // It answers the one type it has whatever was asked: another version too.
        Deviation::IgnoreAccept => &["expected 406", "expected 400", "was taken and answered as"],
        // Ignoring Content-Type, the server cannot tell the two exec-deploy bodies apart, so
        // it serves the JAM request as the package one and refuses its Accept (406), also where
        // the JAM deploy names a package that does not exist.
        Deviation::AcceptAnyContentType => &[
            "expected 415",
            "expected 400",
            "status 406 is not a success",
            "got 406",
            "which spec/ names, is not taken",
            // Juniper's client's version 1 discovery is served as version 2, whose Accept
            // it does not send.
            "answered 406, needs [202]",
        ],
        Deviation::SiblingMediaType => &["instead of"],
        // Every page is the whole collection: over its limit, and each member on every page.
        Deviation::IgnorePaging => &["over its limit", "pages"],
        Deviation::MiscountCollection => &["members, the answer holds", "counts"],
        // Juniper's client's look-up of a device that is not there finds every device.
        // Juniper's client's look-ups find every device: where there is none, and (an array
        // of all) where there is one.
        Deviation::IgnoreFilter => &[
            "members whose",
            "the body has /devices/device",
            "the body has no /devices/device/device-id",
        ],
        // Only the login is asked with a wrong password (an account may lock).
        Deviation::AnyPassword => &["expected 401"],
        Deviation::EchoPassword => &["echoes the password"],
        Deviation::LenientQueries => &["expected 400"],
        Deviation::TaskHrefNowhere => &["the task's @href"],
        Deviation::KeepDeleted => &["after its delete succeeded"],
        // The job it starts shows in the jobs collection the refusal must leave alone.
        Deviation::JobForUnknownId => &["expected 404", "changed the server: listJobs gained"],
        Deviation::AcceptInvalidBody => &["expected 400", "changed the server: listJobs gained"],
        Deviation::DiscoveryAddsNothing => &["has no member it lacked before"],
        Deviation::ProgressDisagrees => &["says the job ended"],
        Deviation::ProgressLags => &["the job went back"],
        // Juniper's client compares a job's state exactly: a job that ends in other words is
        // one it waits on in vain. Every other reader warns on the decision.
        Deviation::OffVocabulary => &[
            "which it takes for a job still running",
            "none of the values the sources document",
        ],
        Deviation::CancelIgnored => &["it was not stopped", "a second cancel of the job"],
        Deviation::LogoutKeepsSession => &["its session's cookie still gets"],
        Deviation::MemberHrefNowhere => &["leads to member", "answers 404 to"],
        Deviation::OlderAnsweredAsNamed => &["was taken and answered as"],
        // Reported as drift, not as a problem (see `drifts`).
        Deviation::ServeOlderVersions => &[],
    }
}

/// Whether `deviation` breaks a decision of the kit only: reported as a warning, and the run
/// does not fail.
fn warns_only(deviation: Deviation) -> bool {
    matches!(deviation, Deviation::ProgressLags)
}

/// Whether `deviation` changes which versions of a type the server takes: release drift,
/// which `--versions` reports beside the spec without failing.
fn drifts(deviation: Deviation) -> bool {
    matches!(
        deviation,
        Deviation::ServeOlderVersions
            | Deviation::OlderAnsweredAsNamed
            | Deviation::IgnoreAccept
            | Deviation::AcceptAnyContentType
    )
}

#[tokio::test]
async fn every_seeded_deviation_is_reported_and_nothing_else() {
    for deviation in Deviation::ALL {
        let simulator = simulator(Realism::real_server(), &[deviation]).await;
        let options = Options {
            versions: Some(3),
            ..options(true, Strictness::RealServer)
        };
        let report = run(&simulator, options).await;
        let problems = report.problems();
        assert_eq!(
            !report.drift().is_empty(),
            drifts(deviation),
            "{deviation}:\n{}",
            report.versions_table()
        );
        if deviation == Deviation::ServeOlderVersions {
            // Older versions are no breach of the spec: drift only, and no problem.
            assert!(report.is_success(), "{}", report.summary());
            continue;
        }
        assert_eq!(
            report.is_success(),
            warns_only(deviation),
            "{deviation} reported as it should not be:\n{}",
            report.summary()
        );
        let allowed = signatures(deviation);
        for problem in problems.iter().chain(&report.warnings()) {
            assert!(
                allowed.iter().any(|s| problem.contains(s)),
                "{deviation}: a problem that is not the deviation: {problem}"
            );
        }
        let reported = if warns_only(deviation) {
            report.warnings()
        } else {
            problems
        };
        for signature in allowed.iter().take(1) {
            assert!(
                reported.iter().any(|p| p.contains(signature)),
                "{deviation}: `{signature}` never reported:\n{}",
                report.summary()
            );
        }
        simulator.shutdown().await;
    }
}

#[tokio::test]
async fn versions_are_reported_beside_the_spec() {
    let versions = |report: &Report, operation_id: &str| {
        report
            .versions
            .iter()
            .find(|s| s.operation_id == operation_id && s.header.name() == "Accept")
            .map(|s| (s.named_version, s.taken.clone(), s.refused.clone()))
    };
    let with_versions = || Options {
        versions: Some(3),
        ..options(true, Strictness::RealServer)
    };
    let faithful = simulator(Realism::real_server(), &[]).await;
    let report = run(&faithful, with_versions()).await;
    assert!(report.is_success(), "{}", report.summary());
    assert!(report.drift().is_empty(), "{}", report.versions_table());
    assert_eq!(
        versions(&report, "listDevices"),
        Some((2, vec![2], vec![1, 3]))
    );
    // Every versioned type of every operation that can be asked harmlessly was asked.
    let asked_writes: Vec<&str> = report
        .versions
        .iter()
        .filter(|s| s.header.name() == "Content-Type")
        .map(|s| s.operation_id.as_str())
        .collect();
    for operation in api().operations() {
        if operation
            .request
            .as_ref()
            .is_some_and(|r| r.content.media_type.parameter("version").is_some())
        {
            assert!(
                asked_writes.contains(&operation.id.as_str()),
                "{} not asked:\n{}",
                operation.id,
                report.versions_table()
            );
        }
    }
    faithful.shutdown().await;

    let release = simulator(Realism::real_server(), &[Deviation::ServeOlderVersions]).await;
    let report = run(&release, with_versions()).await;
    assert_eq!(
        versions(&report, "listDevices"),
        Some((2, vec![1, 2], vec![3]))
    );
    let table = report.versions_table();
    assert!(table.contains("DRIFT listDevices"), "{table}");
    // A job's types are at version 3 in spec/: versions 1 and 2 are taken too.
    assert_eq!(
        versions(&report, "getJob"),
        Some((3, vec![1, 2, 3], vec![]))
    );
    release.shutdown().await;
}

#[tokio::test]
async fn an_untrusted_certificate_is_reported_unless_its_ca_is_given() {
    let (tls, ca) = Tls::throwaway(&["127.0.0.1"]).expect("a certificate");
    let simulator = Simulator::start(Config {
        tls: Some(tls),
        ..Config::default()
    })
    .await
    .expect("the simulator starts");
    let account = &simulator.config().credentials[0];
    let options = Options {
        only: vec!["listDevices".into()],
        ..Options::default()
    };
    let run = |connection: Connection| {
        let target = Target::new(
            &simulator.base_url(),
            Credentials::new(account.user.clone(), account.password.clone()),
            &connection,
        )
        .expect("a target");
        let options = options.clone();
        async move {
            server::check_server(api(), &target, &options)
                .await
                .expect("the spec is walkable")
        }
    };
    let tls_outcome = |report: &Report| {
        report
            .results
            .iter()
            .find(|r| r.probe == "tls: certificate trusted")
            .map(|r| r.outcome.clone())
    };

    // Not trusted: one result that says what to do, and no probe sent.
    let refused = run(Connection::default()).await;
    assert_eq!(refused.results.len(), 1, "{}", refused.summary());
    let problems = refused.problems().join("\n");
    assert!(
        problems.contains("signed by a CA that is not trusted: give its CA with --ca-cert"),
        "{problems}"
    );
    assert_eq!(simulator.requests(), 0);

    let dir = tempfile::tempdir().expect("a temp dir");
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, &ca.certificate_pem).expect("written");
    let trusting = run(Connection {
        ca_certificates: vec![ca_file],
        ..Connection::default()
    })
    .await;
    assert!(trusting.is_success(), "{}", trusting.summary());
    assert!(matches!(
        tls_outcome(&trusting),
        Some(Outcome::Passed { .. })
    ));
    assert!(trusting.passed() > 5, "{}", trusting.summary());

    let insecure = run(Connection {
        accept_invalid_certificates: true,
        ..Connection::default()
    })
    .await;
    assert!(insecure.is_success(), "{}", insecure.summary());
    assert!(
        matches!(tls_outcome(&insecure), Some(Outcome::Skipped { why }) if why.contains("NOT VERIFIED")),
        "{}",
        insecure.summary()
    );
    simulator.shutdown().await;
}

#[tokio::test]
async fn answers_over_the_budget_are_reported() {
    // Every answer of this simulator takes at least 60 ms; the budget is 30 ms.
    let simulator = Simulator::start(Config {
        faults: Faults {
            latency: Duration::from_millis(60),
            ..Faults::default()
        },
        ..Config::default()
    })
    .await
    .expect("the simulator starts");
    let target = target(&simulator);
    let options = Options {
        only: vec!["listDevices".into()],
        max_response: Some(Duration::from_millis(30)),
        ..Options::default()
    };
    let report = server::check_server(api(), &target, &options)
        .await
        .expect("the spec is walkable");
    let probes: Vec<_> = report
        .results
        .iter()
        .filter(|r| r.probe == "exact types" || r.probe.starts_with("accept:"))
        .collect();
    assert!(!probes.is_empty(), "{}", report.summary());
    for result in probes {
        let Outcome::Failed { problems, .. } = &result.outcome else {
            panic!("{} was not flagged:\n{}", result.probe, report.summary());
        };
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].text.contains("over the budget of 30 ms"),
            "{problems:?}"
        );
    }
    simulator.shutdown().await;
}

fn passed_statuses(report: &Report, operation_id: &str) -> Vec<u16> {
    report
        .results
        .iter()
        .filter(|r| r.operation_id == operation_id)
        .filter_map(|r| match r.outcome {
            Outcome::Passed { status, .. } if status < 300 => Some(status),
            _ => None,
        })
        .collect()
}

/// The simulator's answer to the listing `operation_id`, read with the run's account and the
/// listing's exact `Accept`.
async fn listed(simulator: &RunningSimulator, operation_id: &str) -> serde_json::Value {
    let listing = api()
        .operation(operation_id)
        .expect("a listing of the spec");
    let account = &simulator.config().credentials[0];
    let answer = reqwest::Client::new()
        .get(format!("{}{}", simulator.api_url(), listing.path))
        .basic_auth(&account.user, Some(&account.password))
        .header("accept", listing.accept_header().expect("an Accept"))
        .send()
        .await
        .expect("an answer");
    assert_eq!(answer.status(), 200);
    answer.json().await.expect("JSON")
}

/// The number of jobs the simulator lists (`@total`, a string on a real server).
async fn count_jobs(simulator: &RunningSimulator) -> usize {
    let list_jobs = api().operation("listJobs").expect("listJobs");
    let envelope = &list_jobs
        .collection
        .as_ref()
        .expect("listJobs lists")
        .envelope;
    let body = listed(simulator, "listJobs").await;
    let total = &body[envelope.as_str()]["@total"];
    total
        .as_u64()
        .or_else(|| total.as_str().and_then(|t| t.parse().ok()))
        .and_then(|t| usize::try_from(t).ok())
        .expect("a total")
}

#[tokio::test]
async fn writes_are_said_before_they_start_and_name_only_members_the_server_has() {
    let simulator = simulator(Realism::real_server(), &[]).await;
    let options = options(true, Strictness::RealServer);
    let writes = server::preview_writes(api(), &target(&simulator), &options).await;
    let joined = writes.join("\n");
    // Every write of the spec once, and Juniper's client's writes but its removal of a device.
    // (a write with nothing to act on yet says so: no job to cancel before a job starts).
    for operation in api()
        .operations()
        .iter()
        .filter(|o| o.method != HttpMethod::Get)
    {
        let sent = format!("{} {} ", operation.id, operation.method);
        let not_sent = format!("{}: not sent (", operation.id);
        assert_eq!(
            writes
                .iter()
                .filter(|w| w.starts_with(&sent) || w.starts_with(&not_sent))
                .count(),
            1,
            "{}:\n{joined}",
            operation.id
        );
    }
    assert!(
        joined.contains("cancelJob: not sent (no value for `job_id`"),
        "{joined}"
    );
    assert!(joined.contains("row 7 discovery, version 1"), "{joined}");
    assert!(!joined.contains("remove a device"), "{joined}");
    // No secret of a request example (a user's password, a device's SSH password) is said.
    let mut secrets = Vec::new();
    for operation in api().operations() {
        if let Some(request) = &operation.request
            && let (Some(schema), Some(example)) =
                (request.content.schema, &request.content.example)
        {
            differing_strings(example, &api().masked(schema, example), &mut secrets);
        }
    }
    assert!(!secrets.is_empty(), "the spec's examples hold a password");
    for secret in &secrets {
        assert!(
            !joined.contains(secret.as_str()),
            "`{secret}` said:\n{joined}"
        );
    }
    assert!(joined.contains("********"), "{joined}");
    // Every member a write's body names by `@href` is one its collection lists.
    let account = &simulator.config().credentials[0];
    let http = reqwest::Client::new();
    let mut named = 0;
    for write in &writes {
        for href in write
            .split('"')
            .filter(|part| part.starts_with("/api/space/") && part.ends_with(char::is_numeric))
        {
            let (collection, _) = href.rsplit_once('/').expect("a member path");
            let below = collection
                .strip_prefix("/api/space")
                .expect("below the base");
            // The collection's template: a collection below a member has its parameters.
            let fits = |template: &str| {
                let segments: Vec<&str> = below.split('/').collect();
                let parts: Vec<&str> = template.split('/').collect();
                parts.len() == segments.len()
                    && parts
                        .iter()
                        .zip(&segments)
                        .all(|(part, segment)| part.starts_with('{') || part == segment)
            };
            let listing = api()
                .operations()
                .iter()
                .find(|o| o.method == HttpMethod::Get && o.collection.is_some() && fits(&o.path))
                .unwrap_or_else(|| panic!("{href} in {write}: no collection the spec lists"));
            let listed = http
                .get(format!("{}{collection}", simulator.base_url()))
                .basic_auth(&account.user, Some(&account.password))
                .header("Accept", listing.accept_header().expect("an Accept"))
                .send()
                .await
                .expect("answered")
                .text()
                .await
                .expect("a body");
            assert!(
                listed.contains(&format!("\"{href}\"")),
                "{href} in {write}:\n{listed}"
            );
            named += 1;
        }
    }
    assert!(named >= 4, "{named} member hrefs checked:\n{joined}");
    let configlet = writes
        .iter()
        .find(|w| w.starts_with("applyConfiglet"))
        .expect("applyConfiglet");
    let device_id = configlet
        .split("\"deviceId\":")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .expect("a deviceId");
    let device = http
        .get(format!(
            "{}/device-management/devices/{device_id}",
            simulator.api_url()
        ))
        .basic_auth(&account.user, Some(&account.password))
        .header(
            "Accept",
            "application/vnd.net.juniper.space.device-management.device+json;version=1",
        )
        .send()
        .await
        .expect("answered");
    assert_eq!(device.status().as_u16(), 200, "{configlet}");
    simulator.shutdown().await;
}

/// The strings of `value` that `masked` writes otherwise: the secrets it masked.
fn differing_strings(value: &serde_json::Value, masked: &serde_json::Value, out: &mut Vec<String>) {
    use serde_json::Value;
    match (value, masked) {
        (Value::String(text), Value::String(shown)) if text != shown => out.push(text.clone()),
        (Value::Object(members), Value::Object(shown)) => {
            for (name, member) in members {
                if let Some(shown) = shown.get(name) {
                    differing_strings(member, shown, out);
                }
            }
        }
        (Value::Array(items), Value::Array(shown)) => {
            for (item, shown) in items.iter().zip(shown) {
                differing_strings(item, shown, out);
            }
        }
        _ => {}
    }
}
