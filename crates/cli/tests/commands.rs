//! Every command of `junos-space` against the simulator, end to end: each operation of the
//! spec as `api` command, the operators' commands with their outputs, and the exit status and
//! one-line message of each way a run fails, with no secret in them.

mod common;

use std::time::Duration;

use common::Lab;
use junos_space_cli::exit::Failure;
use junos_space_cli::operations::{command_name, flag_name};
use junos_space_model::api::{
    Api, HttpMethod, Operation, ParameterLocation, ParameterSource, Reading, RequestBody, member_id,
};
use junos_space_simulator::{Config as Simulated, JobOutcome, JobSettings};
use proptest::strategy::{Strategy as _, ValueTree as _};
use proptest::test_runner::{Config, RngSeed, TestRunner};
use serde_json::Value;

fn jobs(duration: Duration, outcome: JobOutcome) -> Simulated {
    Simulated {
        jobs: JobSettings {
            duration,
            outcome,
            schedule_minute: Duration::from_millis(100),
        },
        ..Simulated::default()
    }
}

fn quick() -> Simulated {
    jobs(Duration::from_millis(100), JobOutcome::Success)
}

/// The exit status a failure of this kind ends with.
fn status_of(failure: fn(String) -> Failure) -> i32 {
    i32::from(failure(String::new()).status())
}

/// The first value the spec's source of a path parameter offers (`Api::parameter_source`),
/// read with the command line itself: the first member of the collection one level up (`api
/// list-devices`; a collection below a member is listed with the first member of its own
/// collection, `api list-tag-targets --tag-id ...`), the one member a path answers wrapped in
/// a member named for it (the Global domain at `/domain-management/domains`), or the first
/// value the enclosing member's answer lists for it (a template's version numbers, `api
/// get-config-template --template-id ...`).
async fn existing_id(lab: &Lab, operation: &Operation, name: &str) -> String {
    let api = Api::bundled().expect("the bundled spec reads");
    let source = api
        .parameter_source(operation, name)
        .unwrap_or_else(|| panic!("no source of `{name}` for {}", operation.id));
    let reader = source.reader();
    let mut args = vec![
        "api".to_owned(),
        command_name(&reader.id),
        "--output".into(),
        "ndjson".into(),
    ];
    for parameter in reader.parameters_in(ParameterLocation::Path) {
        let id = Box::pin(existing_id(lab, reader, &parameter.name)).await;
        args.push(format!("--{}", flag_name(&parameter.name)));
        args.push(id);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = lab.run(&args).await;
    assert_eq!(run.status, 0, "{run:?}");
    let records = run.records();
    let first = records.first();
    // The command line prints a collection's members one a line, and any other answer whole.
    let value = match source {
        ParameterSource::Collection { .. } | ParameterSource::Listed { .. } => {
            first.and_then(ParameterSource::value_of)
        }
        _ => first.and_then(|answer| source.values(api, answer).into_iter().next()),
    };
    value.unwrap_or_else(|| panic!("{} offers no `{name}`", reader.id))
}

/// The spec's example of a request body where it is a value of the schema (some keep the
/// vendor page's placeholders, `spec/README.md`), else a value drawn from the schema.
fn request_body(api: &Api, body: &RequestBody) -> Value {
    let schema = body.content.schema.expect("a body schema");
    if let Some(example) = &body.content.example
        && api
            .validate(schema, example, Reading::SERVER_FORMS)
            .is_empty()
    {
        return example.clone();
    }
    let strategy = junos_space_conformance::shared::schema::strategy(api, schema)
        .expect("a strategy for the body");
    let mut runner = TestRunner::new(Config {
        rng_seed: RngSeed::Fixed(7),
        ..Config::default()
    });
    strategy
        .new_tree(&mut runner)
        .expect("a body is drawn")
        .current()
}

/// A discovery's body: the spec's example.
fn discover_body() -> String {
    let api = Api::bundled().expect("the bundled spec");
    let discover = api.operation("discoverDevice").expect("in the spec");
    request_body(api, discover.request.as_ref().expect("a body")).to_string()
}

/// Ctrl-C to `child`, as a terminal sends it.
fn interrupt(child: &std::process::Child) {
    let pid = libc::pid_t::try_from(child.id()).expect("a pid");
    // SAFETY: kill has no memory effects; the pid is our own child's.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
}

/// Writes first (so that jobs exist to read), then reads, then deletes, those of a member's
/// parts before the member's own (a tag's target before the tag).
fn rank(operation: &Operation) -> (u8, std::cmp::Reverse<usize>) {
    match operation.method {
        HttpMethod::Post => (0, std::cmp::Reverse(0)),
        HttpMethod::Delete => (2, std::cmp::Reverse(operation.path.matches('/').count())),
        _ => (1, std::cmp::Reverse(0)),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_of_the_spec_is_a_command_that_reaches_the_server() {
    let lab = Lab::start(quick()).await;
    let api = Api::bundled().expect("the bundled spec reads");
    let operations = api.operations();
    let mut ordered: Vec<&Operation> = operations.iter().collect();
    ordered.sort_by_key(|o| rank(o));
    let mut refused = Vec::new();
    for operation in ordered {
        let name = command_name(&operation.id);
        let mut args = vec![
            "api".to_owned(),
            name.clone(),
            "--output".into(),
            "ndjson".into(),
        ];
        for parameter in operation.parameters_in(ParameterLocation::Path) {
            let id = existing_id(&lab, operation, &parameter.name).await;
            args.push(format!("--{}", flag_name(&parameter.name)));
            args.push(id);
        }
        if let Some(body) = &operation.request {
            args.push("--body".into());
            args.push(request_body(api, body).to_string());
        }
        if operation.method == HttpMethod::Delete {
            // Not on a terminal, a delete goes ahead only when told to (asserted below).
            args.push("--yes".into());
        }
        let before = lab.simulator.requests();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = lab.run(&args).await;
        assert!(
            lab.simulator.requests() > before,
            "{name} sent nothing: {run:?}"
        );
        match run.status {
            0 => {
                // Every line is a JSON record.
                run.records();
            }
            1 => {
                refused.push(name.clone());
                // A refusal the operation documents, said in one line.
                assert_eq!(run.stderr.lines().count(), 1, "{name}: {run:?}");
                assert!(
                    operation
                        .responses
                        .iter()
                        .any(|r| !r.is_success() && run.stderr.contains(&r.status.to_string())),
                    "{name}: {run:?}"
                );
            }
            _ => panic!("{name}: {run:?}"),
        }
    }
    // Every call is as the spec says; the only refusals are those of a fresh process: logout
    // without a session (401), and a cancel of a job that has already started (412).
    assert_eq!(refused, ["logout", "cancel-job"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn devices_list_streams_every_page_in_each_output() {
    let lab = Lab::start(Simulated {
        devices: Some(1_200),
        ..Simulated::default()
    })
    .await;
    let before = lab.simulator.requests();
    let run = lab
        .run(&[
            "devices",
            "list",
            "--page-size",
            "500",
            "--output",
            "ndjson",
        ])
        .await;
    assert_eq!(run.status, 0, "{run:?}");
    let records = run.records();
    assert_eq!(records.len(), 1_200);
    let mut keys: Vec<String> = records.iter().filter_map(member_id).collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 1_200, "each device once");
    assert_eq!(lab.simulator.requests() - before, 3, "three pages of 500");

    let json = lab.run(&["devices", "list", "--output", "json"]).await;
    let document: Value = serde_json::from_str(&json.stdout).expect("one JSON document");
    assert_eq!(document.as_array().map(Vec::len), Some(1_200));

    let table = lab.run(&["devices", "list", "--output", "table"]).await;
    let mut lines = table.stdout.lines();
    let header = lines.next().expect("a header");
    assert!(
        header.starts_with("@key") && header.contains("ipAddr"),
        "{header}"
    );
    assert_eq!(lines.count(), 1_200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn devices_list_filters_and_sorts_on_the_server() {
    let lab = Lab::start(Simulated::default()).await;
    let run = lab
        .run(&[
            "devices",
            "list",
            "--filter",
            "deviceFamily eq 'junos'",
            "--sort",
            "name:desc",
        ])
        .await;
    assert_eq!(run.status, 0, "{run:?}");
    let names: Vec<String> = run
        .records()
        .iter()
        .map(|d| d["name"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert!(!names.is_empty());
    let mut sorted = names.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(names, sorted);
    assert!(run.records().iter().all(|d| d["deviceFamily"] == "junos"));

    // `api list-devices` takes the same forms, and the server's own.
    for (filter, sortby) in [
        ("deviceFamily eq 'junos'", "name:desc"),
        ("(deviceFamily eq 'junos')", "(name(descending))"),
    ] {
        let api = lab
            .run(&[
                "api",
                "list-devices",
                "--filter",
                filter,
                "--sortby",
                sortby,
            ])
            .await;
        assert_eq!(api.status, 0, "{api:?}");
        let listed: Vec<String> = api
            .records()
            .iter()
            .map(|d| d["name"].as_str().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(listed, names, "{filter} {sortby}");
    }

    // A filter that matches nothing: the server answers 200 with an envelope and no members,
    // which is an empty list, not an error; a field in another letter case is the same field.
    let none = lab
        .run(&["devices", "list", "--filter", "NAME eq 'no-such-device'"])
        .await;
    assert_eq!(none.status, 0, "{none:?}");
    assert!(none.records().is_empty(), "{none:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rpc_gives_one_result_per_device() {
    let lab = Lab::start(Simulated {
        devices: Some(20),
        ..quick()
    })
    .await;
    let run = lab
        .run(&[
            "rpc",
            "--devices-filter",
            "name starts-with ''",
            "--rpc",
            "get-system-information",
            "--concurrency",
            "4",
        ])
        .await;
    assert_eq!(run.status, 0, "{run:?}");
    let results = run.records();
    assert_eq!(results.len(), 20, "{run:?}");
    let mut devices: Vec<i64> = results
        .iter()
        .filter_map(|r| r["device"].as_i64())
        .collect();
    devices.sort_unstable();
    devices.dedup();
    assert_eq!(devices.len(), 20);
    for result in &results {
        assert_eq!(result["state"], "SUCCESS", "{result}");
        assert!(result["result"]["progress-update"].is_object(), "{result}");
    }
    // Progress goes to stderr as lines (not a terminal), ending with the tally.
    assert!(
        run.stderr.contains("20 devices: 20 succeeded"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deploy_and_job_commands_follow_their_jobs() {
    let lab = Lab::start(quick()).await;
    let two = [
        "deploy",
        "--package",
        "131074",
        "--device",
        "131073,131074",
        "--option",
        "validate=true",
    ];
    // A deploy to several devices asks first; not on a terminal, only --yes goes ahead, and
    // without it nothing that changes anything is sent.
    let jobs_before = lab.run(&["api", "list-jobs"]).await.records().len();
    let unasked = lab.run(&two).await;
    assert_eq!(unasked.status, status_of(Failure::Usage), "{unasked:?}");
    assert!(
        unasked
            .stderr
            .contains("deploy package 131074 to 2 devices (131073, 131074): give --yes"),
        "{unasked:?}"
    );
    let jobs_after = lab.run(&["api", "list-jobs"]).await.records().len();
    assert_eq!(jobs_after, jobs_before, "{unasked:?}");
    let deploy = lab.run(&[&two[..], &["--yes"]].concat()).await;
    assert_eq!(deploy.status, 0, "{deploy:?}");
    let job = deploy.records()[0]["id"].as_i64().expect("the job's id");
    assert_eq!(deploy.records()[0]["state"], "SUCCESS");

    // A misspelt option, or one the JAM deploy does not take, is refused before anything is
    // sent, naming it and the options there are: never dropped without a word.
    let jobs_before = lab.run(&["api", "list-jobs"]).await.records().len();
    for (flags, unknown) in [
        (vec!["--option", "valdiate=true"], "valdiate"),
        (vec!["--jam", "--option", "validate=true"], "validate"),
    ] {
        let mut args = vec!["deploy", "--package", "131074", "--device", "131073"];
        args.extend(flags);
        let refused = lab.run(&args).await;
        assert_eq!(refused.status, 2, "{refused:?}");
        let said = format!("{refused:?}");
        assert!(
            said.contains(&format!("deployOptions/{unknown}")) && said.contains("nothing was sent"),
            "{said}"
        );
    }
    let jobs_after = lab.run(&["api", "list-jobs"]).await.records().len();
    assert_eq!(jobs_after, jobs_before, "a refused deploy started a job");

    let wait = lab.run(&["job", "wait", &job.to_string()]).await;
    assert_eq!(wait.status, 0, "{wait:?}");
    assert_eq!(wait.records()[0]["id"], job);
    let result = lab.run(&["job", "result", &job.to_string()]).await;
    assert_eq!(result.status, 0, "{result:?}");
    assert!(
        result.records()[0]["progress-update"].is_object(),
        "{result:?}"
    );

    // A job waiting for its schedule (an hour of simulated minutes) can be cancelled.
    let scheduled = lab
        .run(&[
            "api",
            "exec-resync",
            "--device-id",
            "131073",
            "--schedule",
            "(after(01 00))",
        ])
        .await;
    assert_eq!(scheduled.status, 0, "{scheduled:?}");
    let scheduled = scheduled.records()[0]["task"]["id"]
        .as_i64()
        .expect("a task");
    let cancel = lab.run(&["job", "cancel", &scheduled.to_string()]).await;
    assert_eq!(cancel.status, 0, "{cancel:?}");
    assert_eq!(cancel.records()[0]["state"], "CANCELLED");
    // Waiting for a cancelled job is waiting for a job that did not succeed.
    let waited = lab.run(&["job", "wait", &scheduled.to_string()]).await;
    assert_eq!(waited.status, status_of(Failure::JobFailed), "{waited:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_job_a_timeout_and_a_bad_password_have_their_status_and_one_line() {
    let failing = Lab::start(jobs(Duration::from_millis(50), JobOutcome::Failure)).await;
    let run = failing
        .run(&[
            "rpc",
            "--device",
            "131073",
            "--rpc",
            "get-system-information",
        ])
        .await;
    assert_eq!(run.status, status_of(Failure::JobFailed), "{run:?}");
    assert_eq!(run.records()[0]["state"], "FAILURE");
    let last = run.stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("junos-space: 1 device: 0 succeeded, 1 failed"),
        "{run:?}"
    );

    let slow = Lab::start(jobs(Duration::from_secs(60), JobOutcome::Success)).await;
    let run = slow
        .run(&[
            "rpc",
            "--device",
            "131073",
            "--rpc",
            "get-system-information",
            "--deadline",
            "1",
        ])
        .await;
    assert_eq!(run.status, status_of(Failure::Timeout), "{run:?}");

    let lab = Lab::start(Simulated::default()).await;
    let secret = "not-the-password-4711";
    let mut command = lab.command();
    command
        .env("JUNOS_SPACE_PASSWORD", secret)
        .args(["devices", "list"]);
    let run = common::run(command).await;
    assert_eq!(run.status, status_of(Failure::Api), "{run:?}");
    assert_eq!(run.stderr.lines().count(), 1, "{run:?}");
    assert!(run.stderr.contains("401"), "{run:?}");
    assert!(
        !run.stderr.contains(secret) && !run.stdout.contains(secret),
        "{run:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_settings_and_bad_flags_are_usage_errors() {
    let lab = Lab::start(Simulated::default()).await;
    let mut command = lab.bare_command();
    command
        .env("JUNOS_SPACE_URL", lab.simulator.base_url())
        .env("JUNOS_SPACE_USER", "super")
        .args(["devices", "list"]);
    let run = common::run(command).await;
    assert_eq!(run.status, status_of(Failure::Usage), "{run:?}");
    assert!(run.stderr.contains("no password"), "{run:?}");

    for args in [
        &["devices", "list", "--password", "x"][..],
        &[
            "rpc",
            "--rpc",
            "get-system-information",
            "--concurrency",
            "0",
        ],
        &["api", "get-device", "--device-id", "mx-1"],
    ] {
        let run = lab.run(args).await;
        assert_eq!(run.status, status_of(Failure::Usage), "{args:?}: {run:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_gives_the_settings_and_the_password_comes_from_its_file() {
    let lab = Lab::start(Simulated::default()).await;
    let account = &lab.simulator.config().credentials[0];
    let password_file = lab.dir.path().join("space.pw");
    std::fs::write(&password_file, format!("{}\n", account.password)).expect("written");
    let config_dir = lab.dir.path().join("junos-space");
    std::fs::create_dir_all(&config_dir).expect("a config dir");
    std::fs::write(
        config_dir.join("config.toml"),
        format!(
            "default-profile = \"lab\"\n\n[profiles.lab]\nurl = \"{}\"\nuser = \"{}\"\npassword-file = {:?}\n",
            lab.simulator.base_url(),
            account.user,
            password_file
        ),
    )
    .expect("written");
    let mut command = lab.bare_command();
    command.args(["devices", "list", "--output", "json"]);
    let run = common::run(command).await;
    assert_eq!(run.status, 0, "{run:?}");
    let mut command = lab.bare_command();
    command.args(["--profile", "prod", "devices", "list"]);
    let run = common::run(command).await;
    assert_eq!(run.status, status_of(Failure::Usage), "{run:?}");
    assert!(run.stderr.contains("no profile `prod`"), "{run:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_untrusted_certificate_needs_cacert_and_insecure_says_so() {
    let (tls, ca) = junos_space_simulator::tls::Tls::throwaway(&["127.0.0.1"]).expect("a CA");
    let lab = Lab::start(Simulated {
        tls: Some(tls),
        ..Simulated::default()
    })
    .await;
    let refused = lab.run(&["devices", "list"]).await;
    assert_eq!(refused.status, status_of(Failure::Api), "{refused:?}");
    assert!(refused.stderr.contains("not trusted"), "{refused:?}");

    let ca_file = lab.dir.path().join("ca.pem");
    std::fs::write(&ca_file, ca.certificate_pem).expect("written");
    let trusted = lab
        .run(&[
            "devices",
            "list",
            "--cacert",
            ca_file.to_str().expect("UTF-8"),
        ])
        .await;
    assert_eq!(trusted.status, 0, "{trusted:?}");

    let insecure = lab.run(&["devices", "list", "--insecure"]).await;
    assert_eq!(insecure.status, 0, "{insecure:?}");
    assert!(insecure.stderr.contains("not verified"), "{insecure:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completions_and_help_need_no_server() {
    // What the completion scripts complete, in each shell: tests/completion.rs.
    let lab = Lab::start(Simulated::default()).await;
    let mut command = lab.bare_command();
    command.args(["completions", "zsh"]);
    let run = common::run(command).await;
    assert_eq!(run.status, 0, "{run:?}");
    assert!(run.stdout.contains("COMPLETE=\"zsh\""), "{run:?}");
    let mut command = lab.bare_command();
    command.args(["--help"]);
    let run = common::run(command).await;
    assert_eq!(run.status, 0, "{run:?}");
    assert!(run.stdout.contains("Exit status: 0 success"), "{run:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_list_keeps_its_shape_and_a_closed_pipe_ends_quietly() {
    let lab = Lab::start(Simulated::default()).await;
    let first = lab.run(&["devices", "list"]).await.records()[0]["name"]
        .as_str()
        .expect("a device name")
        .to_owned();
    let one = format!("name eq '{first}'");
    // One match is still a list: an array in JSON, a row under its header in a table.
    let json = lab
        .run(&["devices", "list", "--filter", &one, "--output", "json"])
        .await;
    assert_eq!(json.status, 0, "{json:?}");
    let value: Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(value.as_array().map(Vec::len), Some(1), "{value}");
    let table = lab
        .run(&["devices", "list", "--filter", &one, "--output", "table"])
        .await;
    let lines: Vec<&str> = table.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{table:?}");
    assert!(
        lines[0].starts_with("@key") && lines[1].contains(&first),
        "{table:?}"
    );
    // No match: an empty array, and a table that still shows its header.
    let nothing = "name eq 'no-such-device'";
    let json = lab
        .run(&["devices", "list", "--filter", nothing, "--output", "json"])
        .await;
    assert_eq!(json.stdout.trim(), "[]", "{json:?}");
    let table = lab
        .run(&["devices", "list", "--filter", nothing, "--output", "table"])
        .await;
    assert_eq!(table.stdout.lines().count(), 1, "{table:?}");
    assert!(table.stdout.starts_with("@key"), "{table:?}");
    // One record read by its id is an object.
    let id = value[0]["@key"].to_string();
    let device = lab
        .run(&["api", "get-device", "--device-id", &id, "--output", "json"])
        .await;
    assert_eq!(device.status, 0, "{device:?}");
    let device: Value = serde_json::from_str(&device.stdout).expect("JSON");
    assert!(device.is_object(), "{device}");

    // A reader that stops early (`| head -1`) ends the run with status 0 and no message.
    let mut command = lab.command();
    command
        .args(["devices", "list", "--output", "ndjson"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let ended = tokio::task::spawn_blocking(move || {
        let mut child = command.spawn().expect("the binary runs");
        drop(child.stdout.take());
        child.wait_with_output().expect("the binary ends")
    })
    .await
    .expect("the blocking task ran");
    assert_eq!(ended.status.code(), Some(0), "{ended:?}");
    assert_eq!(String::from_utf8_lossy(&ended.stderr), "", "{ended:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_costs_one_request_before_a_run_over_many_targets() {
    let lab = Lab::start(Simulated::default()).await;
    let ids: Vec<String> = lab.run(&["devices", "list"]).await.records()[..3]
        .iter()
        .map(|d| d["@key"].to_string())
        .collect();
    let ids = ids.join(",");
    let wrong = |args: &[&str]| {
        let mut command = lab.command();
        command
            .env("JUNOS_SPACE_PASSWORD", "not-the-password-4711")
            .args(args);
        command
    };
    for args in [
        &["rpc", "--device", &ids, "--rpc", "get-system-information"][..],
        &["deploy", "--package", "1", "--device", &ids][..],
        &["job", "wait", "1", "2", "3"][..],
    ] {
        let before = lab.simulator.requests();
        let run = common::run(wrong(args)).await;
        assert_eq!(run.status, status_of(Failure::Api), "{args:?}: {run:?}");
        assert!(run.stderr.contains("401"), "{args:?}: {run:?}");
        assert_eq!(lab.simulator.requests() - before, 1, "{args:?}: {run:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_say_what_was_not_found_and_why_a_server_cannot_be_reached() {
    let lab = Lab::start(Simulated::default()).await;
    let missing = lab
        .run(&["api", "get-device", "--device-id", "999999"])
        .await;
    assert_eq!(missing.status, status_of(Failure::Api), "{missing:?}");
    assert!(
        missing
            .stderr
            .contains("HTTP 404 for /api/space/device-management/devices/999999"),
        "{missing:?}"
    );

    let mut command = lab.command();
    let wrong_root = format!("{}/api/wrong", lab.simulator.base_url());
    command
        .env("JUNOS_SPACE_URL", &wrong_root)
        .args(["devices", "list"]);
    let run = common::run(command).await;
    assert_eq!(run.status, status_of(Failure::Api), "{run:?}");
    assert!(
        run.stderr
            .contains("/api/wrong/api/space/device-management/devices")
            && run
                .stderr
                .contains("the URL's path /api/wrong comes before /api/space"),
        "{run:?}"
    );

    // A port nothing listens on: the message names the refusal.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let dead = format!("http://{}", listener.local_addr().expect("an address"));
    drop(listener);
    let mut command = lab.command();
    command
        .env("JUNOS_SPACE_URL", &dead)
        .args(["devices", "list"]);
    let run = common::run(command).await;
    assert_eq!(run.status, status_of(Failure::Api), "{run:?}");
    assert!(
        run.stderr.to_lowercase().contains("connection refused"),
        "{run:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_cancels_a_scheduled_job_it_started_and_says_how_to_follow_a_running_one() {
    use std::io::BufRead as _;
    let lab = Lab::start(jobs(Duration::from_secs(60), JobOutcome::Success)).await;
    let body = discover_body();
    for (schedule, said, state) in [
        (
            Some("(after(00 01))"),
            "cancelled before it started",
            "CANCELLED",
        ),
        (
            None,
            "left running (INPROGRESS): follow it with `junos-space job wait",
            "INPROGRESS",
        ),
    ] {
        let mut command = lab.command();
        command.args(["api", "discover-device", "--body", &body, "--wait"]);
        command.args(schedule.map(|s| ["--schedule", s]).into_iter().flatten());
        command
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let ended = tokio::task::spawn_blocking(move || {
            let mut child = command.spawn().expect("the binary runs");
            let mut stderr = std::io::BufReader::new(child.stderr.take().expect("piped"));
            // Once the job has started (a line says so), Ctrl-C.
            let mut seen = String::new();
            while !seen.contains("started") {
                let mut line = String::new();
                if stderr.read_line(&mut line).expect("stderr reads") == 0 {
                    break;
                }
                seen.push_str(&line);
            }
            interrupt(&child);
            let mut rest = String::new();
            std::io::Read::read_to_string(&mut stderr, &mut rest).expect("stderr reads");
            let output = child.wait_with_output().expect("the binary ends");
            (output, seen + &rest)
        })
        .await
        .expect("the blocking task ran");
        let (output, stderr) = ended;
        assert_eq!(output.status.code(), Some(130), "{stderr}");
        assert!(stderr.contains(said), "{stderr}");
        // The job's last record is printed, and the server agrees.
        let stdout = String::from_utf8_lossy(&output.stdout);
        let job: Value = serde_json::from_str(stdout.lines().last().expect("a record"))
            .expect("the job's record");
        assert_eq!(job["state"], state, "{stdout}");
        let read = lab.run(&["job", "result", &job["id"].to_string()]).await;
        assert_eq!(read.status, 0, "{read:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn devices_are_named_by_name_as_well_as_by_id() {
    let lab = Lab::start(quick()).await;
    let listed = lab.run(&["devices", "list"]).await.records();
    let (first, second) = (&listed[0], &listed[1]);
    let name = first["name"].as_str().expect("a name");
    let targets = format!("{name},{}", second["@key"]);
    let run = lab
        .run(&[
            "rpc",
            "--device",
            &targets,
            "--rpc",
            "get-system-information",
        ])
        .await;
    assert_eq!(run.status, 0, "{run:?}");
    // Results come as the jobs end, in any order.
    let mut devices: Vec<i64> = run
        .records()
        .iter()
        .filter_map(|r| r["device"].as_i64())
        .collect();
    devices.sort_unstable();
    let mut named: Vec<i64> = [first, second]
        .iter()
        .filter_map(|d| d["@key"].as_i64())
        .collect();
    named.sort_unstable();
    assert_eq!(devices, named, "{run:?}");

    let unknown = lab
        .run(&[
            "rpc",
            "--device",
            "no-such-router",
            "--rpc",
            "get-system-information",
        ])
        .await;
    assert_eq!(unknown.status, status_of(Failure::Usage), "{unknown:?}");
    assert!(
        unknown
            .stderr
            .contains("no device is named `no-such-router`"),
        "{unknown:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deploy_and_wait_take_a_deadline_and_name_the_job_they_leave_running() {
    let lab = Lab::start(jobs(Duration::from_secs(60), JobOutcome::Success)).await;
    let body = discover_body();
    for args in [
        &[
            "deploy",
            "--package",
            "131074",
            "--device",
            "131073",
            "--deadline",
            "1",
        ][..],
        &[
            "api",
            "discover-device",
            "--body",
            &body,
            "--wait",
            "--deadline",
            "1",
        ][..],
    ] {
        let run = lab.run(args).await;
        assert_eq!(run.status, status_of(Failure::Timeout), "{args:?}: {run:?}");
        assert!(
            run.stderr.contains("at the deadline")
                && run.stderr.contains("follow it with `junos-space job wait"),
            "{args:?}: {run:?}"
        );
        assert_eq!(
            run.records().last().expect("the job")["state"],
            "INPROGRESS"
        );
    }
    // A deadline without --wait is a usage error, not a flag ignored.
    let run = lab
        .run(&["api", "discover-device", "--body", &body, "--deadline", "1"])
        .await;
    assert_eq!(run.status, status_of(Failure::Usage), "{run:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_of_the_wrong_type_is_refused_without_echoing_its_values() {
    let lab = Lab::start(quick()).await;
    for body in [
        r#"{"discover-devices":{"ipAddressDiscoveryTarget":{"ipAddress":"192.0.2.9"},"sshCredential":{"userName":"admin","password":31415926}}}"#,
        r#"{"discover-devices":{"ipAddressDiscoveryTarget":{"ipAddress":"192.0.2.9"},"usePing":"31415926"}}"#,
    ] {
        let before = lab.simulator.requests();
        let run = lab.run(&["api", "discover-device", "--body", body]).await;
        assert_eq!(run.status, status_of(Failure::Usage), "{run:?}");
        assert!(run.stderr.contains("argument `body`: invalid"), "{run:?}");
        assert!(!run.stderr.contains("31415926"), "{run:?}");
        assert_eq!(lab.simulator.requests(), before, "nothing is sent: {run:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delete_goes_ahead_only_when_told_to() {
    let lab = Lab::start(quick()).await;
    let id = lab.run(&["devices", "list"]).await.records()[0]["@key"].to_string();
    let before = lab.simulator.requests();
    let unasked = lab.run(&["api", "delete-device", "--device-id", &id]).await;
    assert_eq!(unasked.status, status_of(Failure::Usage), "{unasked:?}");
    assert!(
        unasked.stderr.contains(&format!(
            "delete-device removes /device-management/devices/{id}: give --yes"
        )),
        "{unasked:?}"
    );
    assert_eq!(
        lab.simulator.requests(),
        before,
        "nothing is sent: {unasked:?}"
    );
    let told = lab
        .run(&["api", "delete-device", "--device-id", &id, "--yes"])
        .await;
    assert_eq!(told.status, 0, "{told:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_prints_the_requests_with_secrets_masked_and_changes_nothing() {
    let lab = Lab::start(quick()).await;
    let jobs = || async { lab.run(&["api", "list-jobs"]).await.records().len() };
    let jobs_before = jobs().await;
    let body = r#"{"discover-devices":{"ipAddressDiscoveryTarget":{"ipAddress":"192.0.2.9"},"sshCredential":{"userName":"admin","password":"hunter2-secret"}}}"#;
    let discover = lab
        .run(&["api", "discover-device", "--body", body, "--dry-run"])
        .await;
    assert_eq!(discover.status, 0, "{discover:?}");
    assert!(
        discover.stdout.starts_with("POST http://127.0.0.1:")
            && discover
                .stdout
                .contains("/api/space/device-management/discover-devices\n")
            && discover.stdout.contains("\"password\": \"********\""),
        "{discover:?}"
    );
    assert!(!discover.stdout.contains("hunter2-secret"), "{discover:?}");
    let deploy = lab
        .run(&[
            "deploy",
            "--package",
            "131074",
            "--device",
            "131073,131074",
            "--dry-run",
        ])
        .await;
    assert_eq!(deploy.status, 0, "no question on a dry run: {deploy:?}");
    assert!(
        deploy
            .stdout
            .contains("/software-management/packages/131074/exec-deploy")
            && deploy
                .stdout
                .contains("/api/space/device-management/devices/131074"),
        "{deploy:?}"
    );
    let rpc = lab
        .run(&[
            "rpc",
            "--device",
            "131073,131074",
            "--rpc",
            "get-system-information",
            "--dry-run",
        ])
        .await;
    assert_eq!(rpc.status, 0, "{rpc:?}");
    assert_eq!(rpc.stdout.matches("/exec-rpc\n").count(), 2, "{rpc:?}");
    let delete = lab
        .run(&["api", "delete-device", "--device-id", "131073", "--dry-run"])
        .await;
    assert!(delete.stdout.starts_with("DELETE "), "{delete:?}");
    let before = lab.simulator.requests();
    let cancel = lab.run(&["job", "cancel", "999", "--dry-run"]).await;
    assert!(
        cancel.stdout.starts_with("POST ")
            && cancel.stdout.contains("/job-management/jobs/999/cancel"),
        "{cancel:?}"
    );
    assert_eq!(lab.simulator.requests(), before, "{cancel:?}");
    assert_eq!(jobs().await, jobs_before, "a dry run started a job");
    let still_there = lab
        .run(&["api", "get-device", "--device-id", "131073"])
        .await;
    assert_eq!(still_there.status, 0, "a dry run deleted: {still_there:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resource_commands_take_devices_by_name_and_follow_their_jobs() {
    let lab = Lab::start(quick()).await;
    let listed = lab.run(&["devices", "list"]).await.records();
    let name = listed[0]["name"].as_str().expect("a name").to_owned();
    let id = listed[0]["@key"].as_i64().expect("an id");

    let got = lab
        .run(&["devices", "get", &name, "--output", "json"])
        .await;
    assert_eq!(got.status, 0, "{got:?}");
    let device: Value = serde_json::from_str(&got.stdout).expect("one JSON object");
    assert_eq!(device["device"]["device-id"], id, "{device}");
    let config = lab.run(&["devices", "config", &id.to_string()]).await;
    assert_eq!(config.status, 0, "{config:?}");
    assert!(config.stdout.contains("configuration"), "{config:?}");

    // A resync is followed to its job's end; the job then lists under its state.
    let resync = lab.run(&["devices", "resync", &name]).await;
    assert_eq!(resync.status, 0, "{resync:?}");
    assert_eq!(
        resync.records().last().expect("the job")["state"],
        "SUCCESS"
    );
    let done = lab.run(&["job", "list", "--state", "done"]).await.records();
    assert!(!done.is_empty());
    assert!(
        done.iter().all(|job| job["job-state"] == "DONE"),
        "{done:?}"
    );
    let packages = lab.run(&["package", "list"]).await.records();
    // As the server wrote them: a real server writes attributes as strings.
    assert!(packages.iter().all(|p| member_id(p).is_some()) && !packages.is_empty());

    // A delete asks first (here: refuses without --yes), then is followed to its end.
    let refused = lab.run(&["devices", "delete", &name]).await;
    assert_eq!(refused.status, status_of(Failure::Usage), "{refused:?}");
    let deleted = lab.run(&["devices", "delete", &name, "--yes"]).await;
    assert_eq!(deleted.status, 0, "{deleted:?}");
    let gone = lab.run(&["devices", "get", &id.to_string()]).await;
    assert_eq!(gone.status, status_of(Failure::Api), "{gone:?}");
    assert!(gone.stderr.contains("HTTP 404"), "{gone:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fields_choose_what_each_record_shows_in_every_format() {
    let lab = Lab::start(quick()).await;
    let records = lab
        .run(&["devices", "list", "--fields", "name,ipAddr"])
        .await
        .records();
    assert!(!records.is_empty());
    for record in &records {
        let keys: Vec<&String> = record.as_object().expect("an object").keys().collect();
        assert_eq!(keys, ["name", "ipAddr"], "{record}");
    }
    let table = lab
        .run(&[
            "devices",
            "list",
            "--fields",
            "ipAddr,name",
            "--output",
            "table",
        ])
        .await;
    assert!(table.stdout.starts_with("ipAddr"), "{table:?}");
    assert_eq!(table.stdout.lines().count(), records.len() + 1, "{table:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verbose_shows_each_exchange_and_no_secret() {
    let lab = Lab::start(quick()).await;
    let run = lab.run(&["--verbose", "devices", "list"]).await;
    assert_eq!(run.status, 0, "{run:?}");
    let exchange = run
        .stderr
        .lines()
        .find(|line| line.contains("junos_space.request"))
        .unwrap_or_else(|| panic!("no exchange shown: {run:?}"));
    assert!(
        exchange.contains("method=GET")
            && exchange.contains("path=\"/api/space/device-management/devices\"")
            && exchange.contains("status=200"),
        "{exchange}"
    );
    assert!(!run.stderr.contains(&lab.password()), "{run:?}");
    assert!(
        !run.stderr.to_lowercase().contains("authorization"),
        "{run:?}"
    );
    // Without it, stderr stays quiet.
    let quiet = lab.run(&["devices", "list"]).await;
    assert!(!quiet.stderr.contains("junos_space.request"), "{quiet:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn job_list_watch_prints_each_change_once_until_ctrl_c() {
    let lab = Lab::start(jobs(Duration::from_millis(1_500), JobOutcome::Success)).await;
    let mut watcher = lab.command();
    watcher
        .args(["job", "list", "--watch", "1", "--output", "ndjson"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let watcher = watcher.spawn().expect("the watcher runs");
    let resync = lab.run(&["devices", "resync", "131073"]).await;
    assert_eq!(resync.status, 0, "{resync:?}");
    // Two rounds of the watch at least, once the job has ended.
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    interrupt(&watcher);
    let ended = tokio::task::spawn_blocking(move || watcher.wait_with_output())
        .await
        .expect("the blocking task ran")
        .expect("the watcher ends");
    assert_eq!(ended.status.code(), Some(0), "{ended:?}");
    let seen: Vec<(String, String)> = String::from_utf8_lossy(&ended.stdout)
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).expect("a JSON record"))
        .map(|job| {
            (
                job["job-state"].to_string(),
                job["percent-complete"].to_string(),
            )
        })
        .collect();
    assert!(
        seen.iter().any(|(state, _)| state == "\"DONE\""),
        "{seen:?}"
    );
    let mut unique = seen.clone();
    unique.dedup();
    assert_eq!(unique, seen, "a reading printed twice: {seen:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_deploy_prints_its_job_and_exits_with_the_job_status() {
    let lab = Lab::start(jobs(Duration::from_millis(50), JobOutcome::Failure)).await;
    let run = lab
        .run(&["deploy", "--package", "131074", "--device", "131073"])
        .await;
    assert_eq!(run.status, status_of(Failure::JobFailed), "{run:?}");
    let job = run.records().pop().expect("the job's record on stdout");
    assert_eq!(job["state"], "FAILURE", "{run:?}");
    assert!(job["summary"].is_string(), "{run:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profiles_are_listed_and_one_made_the_default_keeping_the_file_as_written() {
    let lab = Lab::start(quick()).await;
    let config = lab.dir.path().join("profiles.toml");
    let written = "# the operator's own note\n[profiles.lab]\nurl = \"https://lab\"\nuser = \"ops\"\n\n[profiles.prod] # careful\nurl = \"https://prod\"\n";
    std::fs::write(&config, written).expect("written");
    let profile = |args: &[&str]| {
        let mut command = lab.bare_command();
        command.env("JUNOS_SPACE_CONFIG", &config).args(args);
        common::run(command)
    };
    let listed = profile(&["profile", "list"]).await;
    assert_eq!(listed.status, 0, "{listed:?}");
    let names: Vec<Value> = listed.records().iter().map(|p| p["name"].clone()).collect();
    assert_eq!(names, ["lab", "prod"], "{listed:?}");
    assert!(listed.records().iter().all(|p| p["default"] == false));

    let used = profile(&["profile", "use", "prod"]).await;
    assert_eq!(used.status, 0, "{used:?}");
    let after = std::fs::read_to_string(&config).expect("read");
    assert_eq!(
        after,
        format!(
            "# the operator's own note\ndefault-profile = \"prod\"\n{}",
            &written[26..]
        )
    );
    let listed = profile(&["profile", "list"]).await;
    let default: Vec<Value> = listed
        .records()
        .iter()
        .filter(|p| p["default"] == true)
        .map(|p| p["name"].clone())
        .collect();
    assert_eq!(default, ["prod"], "{listed:?}");

    let unknown = profile(&["profile", "use", "nope"]).await;
    assert_eq!(unknown.status, status_of(Failure::Usage), "{unknown:?}");
    assert_eq!(std::fs::read_to_string(&config).expect("read"), after);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_prints_what_the_server_sent_once_it_decodes_into_its_type() {
    // A device as real servers answer it, with members the spec does not name.
    let fixture = tempfile::tempdir().expect("a temp dir");
    let mut seed: Value =
        serde_json::from_str(include_str!("../../simulator/fixtures/default.json"))
            .expect("the default fixture");
    let unnamed = serde_json::json!({
        "use-nat": false,
        "lsys-count": 0,
        "change-requests": {"@href": "/api/space/device-management/devices/131073/change-requests"},
    });
    let device = seed["devices"][0].as_object_mut().expect("a device");
    device.extend(unnamed.as_object().expect("members").clone());
    let id = device["@key"].to_string();
    let path = fixture.path().join("extra.json");
    std::fs::write(&path, seed.to_string()).expect("the fixture is written");
    let lab = Lab::start(Simulated {
        fixture: Some(path.clone()),
        ..quick()
    })
    .await;
    let keeps_them = |record: &Value, what: &str| {
        for (name, value) in unnamed.as_object().expect("members") {
            assert_eq!(&record[name], value, "{what}: {name} in {record}");
        }
    };
    let got = lab
        .run(&["api", "get-device", "--device-id", &id, "--output", "json"])
        .await;
    assert_eq!(got.status, 0, "{got:?}");
    let got: Value = serde_json::from_str(&got.stdout).expect("one JSON object");
    keeps_them(&got["device"], "api get-device");
    let listed = lab.run(&["api", "list-devices"]).await;
    assert_eq!(listed.status, 0, "{listed:?}");
    let records = listed.records();
    let first = records
        .iter()
        .find(|d| d["name"] == seed["devices"][0]["name"]);
    keeps_them(first.expect("the device is listed"), "api list-devices");
    // The resource commands print through the same call.
    let resource = lab
        .run(&["devices", "get", &id, "--output", "ndjson"])
        .await;
    keeps_them(&resource.records()[0]["device"], "devices get");

    // The typed form still decides: an answer that does not decode is the typed error.
    let lab = Lab::start(Simulated {
        fixture: Some(path),
        deviations: [junos_space_simulator::Deviation::MissingRequiredField].into(),
        ..quick()
    })
    .await;
    let undecoded = lab.run(&["api", "get-device", "--device-id", &id]).await;
    assert_eq!(undecoded.status, status_of(Failure::Api), "{undecoded:?}");
    assert!(
        undecoded.stdout.is_empty() && undecoded.stderr.contains("cannot decode the answer"),
        "{undecoded:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn devices_discover_follows_its_job_and_takes_the_ssh_password_from_a_file_or_the_environment()
 {
    let lab = Lab::start(quick()).await;
    let jobs = || async { lab.run(&["api", "list-jobs"]).await.records().len() };
    let found = || async {
        let filter = "ipAddr eq '192.0.2.41'";
        lab.run(&["devices", "list", "--filter", filter])
            .await
            .records()
    };
    assert!(found().await.is_empty());
    let mut command = lab.command();
    command
        .args([
            "devices",
            "discover",
            "--ip",
            "192.0.2.41",
            "--ssh-user",
            "admin",
        ])
        .env("JUNOS_SPACE_SSH_PASSWORD", "hunter2-secret");
    let discovered = common::run(command).await;
    assert_eq!(discovered.status, 0, "{discovered:?}");
    let job = discovered.records().pop().expect("the job's record");
    assert_eq!(
        (&job["name"], &job["state"]),
        (&Value::from("discoverDevice"), &Value::from("SUCCESS")),
        "{discovered:?}"
    );
    assert_eq!(found().await.len(), 1, "the device is managed");
    assert!(!format!("{discovered:?}").contains("hunter2-secret"));

    // From a file, on a dry run: the body shown with the password masked, nothing sent.
    let password_file = lab.dir.path().join("ssh.pw");
    std::fs::write(&password_file, "hunter2-secret\n").expect("written");
    let password_file = password_file.to_str().expect("UTF-8");
    let before = lab.simulator.requests();
    let dry = lab
        .run(&[
            "devices",
            "discover",
            "--subnet",
            "192.0.2.64/28",
            "--ssh-user",
            "admin",
            "--ssh-password-file",
            password_file,
            "--dry-run",
        ])
        .await;
    assert_eq!(dry.status, 0, "{dry:?}");
    assert!(
        dry.stdout
            .contains("/api/space/device-management/discover-devices\n")
            && dry.stdout.contains("\"subnetMask\": \"255.255.255.240\"")
            && dry.stdout.contains("\"password\": \"********\"")
            && !dry.stdout.contains("hunter2-secret"),
        "{dry:?}"
    );
    assert_eq!(lab.simulator.requests(), before, "{dry:?}");

    // Refused before anything is sent: no password and no terminal to ask on, a password as
    // a flag (there is no such flag), a subnet that is not one, two targets.
    let jobs_before = jobs().await;
    let before = lab.simulator.requests();
    for (args, says) in [
        (
            &["--ip", "192.0.2.42", "--ssh-user", "admin"][..],
            "JUNOS_SPACE_SSH_PASSWORD",
        ),
        (
            &[
                "--ip",
                "192.0.2.42",
                "--ssh-user",
                "admin",
                "--ssh-password",
                "hunter2-secret",
            ][..],
            "unexpected argument '--ssh-password'",
        ),
        (
            &["--subnet", "192.0.2.65/28"][..],
            "the subnet is 192.0.2.64/28",
        ),
        (
            &["--ip", "192.0.2.42", "--host", "mx-9"][..],
            "cannot be used with",
        ),
    ] {
        let refused = lab
            .run(&[&["devices", "discover"][..], args].concat())
            .await;
        assert_eq!(refused.status, status_of(Failure::Usage), "{refused:?}");
        assert!(refused.stderr.contains(says), "{args:?}: {refused:?}");
        assert!(!refused.stderr.contains("hunter2-secret"), "{refused:?}");
    }
    assert_eq!(lab.simulator.requests(), before, "nothing was sent");
    assert_eq!(jobs().await, jobs_before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn configlet_apply_takes_a_configlet_by_name_and_gives_one_result_a_device() {
    let lab = Lab::start(quick()).await;
    let jobs = || async { lab.run(&["api", "list-jobs"]).await.records().len() };
    let applied = lab
        .run(&[
            "configlet",
            "apply",
            "set-ntp",
            "--device",
            "mx960-core-1,131074",
            "--param",
            "NTP_SERVER=192.0.2.123",
            "--yes",
        ])
        .await;
    assert_eq!(applied.status, 0, "{applied:?}");
    let mut results = applied.records();
    results.sort_by_key(|result| result["device"].as_i64());
    assert_eq!(results.len(), 2, "{applied:?}");
    for (result, device) in results.iter().zip([131_073, 131_074]) {
        assert_eq!(result["device"], device, "{result}");
        assert_eq!(result["state"], "SUCCESS", "{result}");
        assert_eq!(result["summary"], "applyConfiglet succeeded", "{result}");
    }
    assert_ne!(results[0]["job"], results[1]["job"], "a job a device");

    // A dry run shows each device's request, the configlet looked up by name, and sends none.
    let jobs_before = jobs().await;
    let dry = lab
        .run(&[
            "configlet",
            "apply",
            "set-ntp",
            "--device",
            "131073,131074",
            "--param",
            "NTP_SERVER=192.0.2.123",
            "--dry-run",
        ])
        .await;
    assert_eq!(dry.status, 0, "no question on a dry run: {dry:?}");
    assert_eq!(
        dry.stdout
            .matches("/configuration-management/cli-configlets/262145/apply-configlet\n")
            .count(),
        2,
        "{dry:?}"
    );
    assert!(
        dry.stdout.contains("\"deviceId\": 131074")
            && dry.stdout.contains("\"parameter\": \"NTP_SERVER\"")
            && dry.stdout.contains("\"param-value\": \"192.0.2.123\""),
        "{dry:?}"
    );

    // Refused, and no job started: several devices without --yes off a terminal, a parameter
    // that is not NAME=VALUE or is given twice, a configlet no one has named so.
    for (args, says) in [
        (
            &["set-ntp", "--device", "131073,131074"][..],
            "apply configlet set-ntp (262145) to 2 devices (131073, 131074): give --yes",
        ),
        (
            &["set-ntp", "--device", "131073", "--param", "NTP_SERVER"][..],
            "--param `NTP_SERVER` is not NAME=VALUE",
        ),
        (
            &["set-ntp", "--device", "131073", "--param", "=192.0.2.1"][..],
            "has no name",
        ),
        (
            &[
                "set-ntp", "--device", "131073", "--param", "A=1", "--param", "A=2",
            ][..],
            "--param A is given twice",
        ),
        (
            &["set-ntpd", "--device", "131073"][..],
            "configlet: no configlet is named `set-ntpd`",
        ),
    ] {
        let refused = lab.run(&[&["configlet", "apply"][..], args].concat()).await;
        assert_eq!(refused.status, status_of(Failure::Usage), "{refused:?}");
        assert!(refused.stderr.contains(says), "{args:?}: {refused:?}");
    }
    assert_eq!(jobs().await, jobs_before, "a refused apply started a job");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn script_run_takes_a_script_by_file_name_and_follows_its_one_job() {
    let lab = Lab::start(quick()).await;
    let jobs = || async { lab.run(&["api", "list-jobs"]).await.records() };
    let ran = lab
        .run(&[
            "script",
            "run",
            "check-interfaces.slax",
            "--device",
            "mx960-core-1,mx240-edge-1",
            "--param",
            "interface=ge-0/0/0",
            "--yes",
        ])
        .await;
    assert_eq!(ran.status, 0, "{ran:?}");
    let job = ran.records().pop().expect("the job's record");
    assert_eq!(job["name"], "executeScript", "{ran:?}");
    assert_eq!(job["state"], "SUCCESS", "{ran:?}");
    assert_eq!(jobs().await.len(), 1, "one job for both devices");

    let dry = lab
        .run(&[
            "script",
            "run",
            "393217",
            "--device",
            "131073,131074",
            "--param",
            "interface=ge-0/0/0",
            "--script-version",
            "1.1",
            "--dry-run",
        ])
        .await;
    assert_eq!(dry.status, 0, "{dry:?}");
    assert_eq!(
        dry.stdout
            .matches("/script-management/scripts/393217\"")
            .count(),
        2,
        "an entry a device: {dry:?}"
    );
    assert!(
        dry.stdout.contains("\"paramName\": \"interface\"")
            && dry.stdout.contains("\"scriptVersionSelected\": \"1.1\""),
        "{dry:?}"
    );

    for (args, says) in [
        (
            &["393217", "--device", "131073,131074"][..],
            "run script 393217 on 2 devices (131073, 131074): give --yes",
        ),
        (
            &["393217", "--device", "131073", "--param", "interface"][..],
            "is not NAME=VALUE",
        ),
        (
            &["check.slax", "--device", "131073"][..],
            "script: no script is named `check.slax`",
        ),
    ] {
        let refused = lab.run(&[&["script", "run"][..], args].concat()).await;
        assert_eq!(refused.status, status_of(Failure::Usage), "{refused:?}");
        assert!(refused.stderr.contains(says), "{args:?}: {refused:?}");
    }
    assert_eq!(jobs().await.len(), 1, "a refused run started a job");

    // A script that is not there: the job fails, and the run ends with the job's status.
    let missing = lab
        .run(&["script", "run", "999", "--device", "131073"])
        .await;
    assert_eq!(missing.status, status_of(Failure::JobFailed), "{missing:?}");
    assert_eq!(
        missing.records().pop().expect("the job")["state"],
        "FAILURE"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_keeps_a_session_for_reads_of_its_own_server_and_logout_ends_it() {
    let lab = Lab::start(quick()).await;
    let sessions = lab.dir.path().join("sessions");
    // The binary with the session folder, with or without the password, at `url` if given.
    let binary = |password: bool, url: Option<&str>, args: &[&str]| {
        let mut command = lab.command();
        command.env("JUNOS_SPACE_SESSION_DIR", &sessions).args(args);
        if !password {
            command.env_remove("JUNOS_SPACE_PASSWORD");
        }
        if let Some(url) = url {
            command.env("JUNOS_SPACE_URL", url);
        }
        command
    };
    let logged_in = common::run(binary(true, None, &["login"])).await;
    assert_eq!(logged_in.status, 0, "{logged_in:?}");
    assert!(!logged_in.stderr.contains("JSESSIONID"), "{logged_in:?}");
    let files: Vec<_> = std::fs::read_dir(&sessions)
        .expect("the session folder")
        .map(|entry| entry.expect("an entry").path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let kept = std::fs::read_to_string(&files[0]).expect("the session file");
    assert!(
        kept.contains("JSESSIONID") && !kept.contains(&lab.password()),
        "{kept}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&files[0])
            .expect("a file")
            .permissions()
            .mode();
        assert_eq!(
            mode & 0o077,
            0,
            "the session file is the owner's only: {mode:o}"
        );
    }

    // Without a password, a read goes with the kept session.
    let listed = common::run(binary(
        false,
        None,
        &["devices", "list", "--output", "json"],
    ))
    .await;
    assert_eq!(listed.status, 0, "{listed:?}");
    assert!(listed.stdout.trim_start().starts_with('['), "{listed:?}");

    // A change needs the password: refused before anything is sent.
    let requests = lab.simulator.requests();
    let rpc = ["rpc", "--device", "1,2", "--rpc", "get-system-information"];
    let refused = common::run(binary(false, None, &rpc)).await;
    assert_eq!(refused.status, status_of(Failure::Usage), "{refused:?}");
    assert!(refused.stderr.contains("needs the password"), "{refused:?}");
    assert_eq!(lab.simulator.requests(), requests, "nothing was sent");

    // Another server never sees it: the run asks for a password it cannot get.
    let elsewhere = Some("http://127.0.0.1:9/api/space");
    let other = common::run(binary(false, elsewhere, &["devices", "list"])).await;
    assert_eq!(other.status, status_of(Failure::Usage), "{other:?}");
    assert!(other.stderr.contains("no password"), "{other:?}");

    let ended = common::run(binary(false, None, &["logout"])).await;
    assert_eq!(ended.status, 0, "{ended:?}");
    assert!(!files[0].exists(), "the session file is deleted");
    let gone = common::run(binary(false, None, &["devices", "list"])).await;
    assert_eq!(gone.status, status_of(Failure::Usage), "{gone:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tags_are_created_listed_attached_to_devices_by_name_and_deleted() {
    let lab = Lab::start(quick()).await;
    let created = lab
        .run(&["tags", "create", "edge-routers", "--output", "json"])
        .await;
    assert_eq!(created.status, 0, "{created:?}");
    let tag: Value = serde_json::from_str(&created.stdout).expect("one JSON record");
    assert_eq!(tag["tag"]["name"], "edge-routers", "{tag}");
    assert_eq!(tag["tag"]["type"], "private", "{tag}");

    let listed = lab.run(&["tags", "list", "--output", "json"]).await;
    assert_eq!(listed.status, 0, "{listed:?}");
    let tags: Vec<Value> = serde_json::from_str(&listed.stdout).expect("a JSON array");
    assert!(tags.iter().any(|t| t["name"] == "edge-routers"), "{tags:?}");

    // Tagged by the tag's name and the devices' names: one lookup each.
    let devices = lab.run(&["devices", "list", "--output", "json"]).await;
    let devices: Vec<Value> = serde_json::from_str(&devices.stdout).expect("a JSON array");
    let names: Vec<&str> = devices
        .iter()
        .take(2)
        .map(|d| d["name"].as_str().expect("a name"))
        .collect();
    let attached = lab
        .run(&[
            "tags",
            "attach",
            "edge-routers",
            "--device",
            &names.join(","),
        ])
        .await;
    assert_eq!(attached.status, 0, "{attached:?}");
    let targets = lab
        .run(&["tags", "targets", "edge-routers", "--output", "json"])
        .await;
    assert_eq!(targets.status, 0, "{targets:?}");
    let targets: Vec<Value> = serde_json::from_str(&targets.stdout).expect("a JSON array");
    assert_eq!(targets.len(), 2, "{targets:?}");
    let key = devices[0]["@key"].as_i64().expect("a device id");
    let first = format!("/api/space/device-management/devices/{key}");
    assert!(
        targets.iter().any(|t| t["@href"] == first.as_str()),
        "{targets:?}"
    );

    let unknown = lab.run(&["tags", "get", "no-such-tag"]).await;
    assert_eq!(unknown.status, status_of(Failure::Usage), "{unknown:?}");
    assert!(
        unknown.stderr.contains("no tag is named `no-such-tag`"),
        "{unknown:?}"
    );

    let deleted = lab.run(&["tags", "delete", "edge-routers", "--yes"]).await;
    assert_eq!(deleted.status, 0, "{deleted:?}");
    let gone = lab.run(&["tags", "get", "edge-routers"]).await;
    assert_eq!(gone.status, status_of(Failure::Usage), "{gone:?}");
}
