//! The client end to end against the local simulator (`junos-space-simulator`) over HTTP:
//! paging, filters and sorting on every collection, jobs from each asynchronous operation,
//! authentication and sessions, and retries under injected faults. Each test starts its own
//! simulator on an ephemeral 127.0.0.1 port; jobs last tens of milliseconds.

use std::collections::BTreeSet;
use std::sync::Mutex;
use std::time::Duration;

use futures_util::{StreamExt as _, TryStreamExt as _};
use junos_space::prelude::*;
use junos_space::{
    Client, Error, Filter, JobRecord, JobState, JobWait, QueueUrl, RetryPolicy, Schedule, SortBy,
    TaskAnswer, types,
};
use junos_space_simulator::{Config, Faults, JobOutcome, JobSettings, RunningSimulator, Simulator};

const USER: &str = "super";
const PASSWORD: &str = "juniper123";
const DEVICES: usize = 1_000;
/// Keys of the bundled fixture (`crates/simulator/fixtures/default.json`).
const PACKAGE: i64 = 131_074;
const CONFIGLET: i64 = 262_145;
const SCRIPT: i64 = 393_217;
const DEVICE: i64 = 131_073;
const DEVICE_MEDIA: &str =
    "application/vnd.net.juniper.space.device-management.devices+json;version=2";

async fn start(config: Config) -> RunningSimulator {
    Simulator::start(config)
        .await
        .expect("the simulator starts")
}

/// Jobs of `duration`, ending in `outcome`, with a schedule minute of 100 ms.
fn jobs(duration: Duration, outcome: JobOutcome) -> Config {
    Config {
        jobs: JobSettings {
            duration,
            outcome,
            schedule_minute: Duration::from_millis(100),
        },
        ..Config::default()
    }
}

fn generated(devices: usize) -> Config {
    Config {
        devices: Some(devices),
        ..Config::default()
    }
}

/// Retries as by default, with millisecond waits so faults cost no time.
fn fast_retries() -> RetryPolicy {
    RetryPolicy::default().with_backoff(Duration::from_millis(1), Duration::from_millis(4))
}

fn client_as(simulator: &RunningSimulator, password: &str) -> Client {
    Client::builder()
        .base_url(simulator.base_url())
        .credentials(USER, password)
        .timeout(Duration::from_secs(10))
        .retry(fast_retries())
        .build()
        .expect("a valid client")
}

fn client(simulator: &RunningSimulator) -> Client {
    client_as(simulator, PASSWORD)
}

/// Waits for `answer`'s job, polling every few milliseconds.
fn wait_for<'a>(client: &'a Client, answer: impl TaskAnswer) -> JobWait<'a> {
    client
        .job(answer)
        .poll_every(Duration::from_millis(2), Duration::from_millis(10))
        .timeout(Duration::from_secs(10))
}

fn keys<T>(items: &[T], key: impl Fn(&T) -> i64) -> Vec<i64> {
    items.iter().map(key).collect()
}

fn deploy_body(devices: &[i64]) -> types::ExecDeployRequest {
    types::ExecDeployRequest::to_devices(devices.iter().copied()).with_options(
        types::ExecDeployOptions {
            use_already_downloaded: Some(true),
            ..Default::default()
        },
    )
}

/// A deploy of the fixture's package to the fixture's first device, ready to send or extend.
fn deploy_to_device(client: &Client) -> junos_space::api::builder::ExecDeploy<'_> {
    client
        .exec_deploy()
        .package_id(PACKAGE)
        .body(deploy_body(&[DEVICE]))
}

fn discovery_body(address: &str) -> types::DiscoverDevicesRequest {
    let mut body = types::DiscoverDevicesRequest::ip(address);
    body.discover_devices.use_ping = Some(true);
    body.discover_devices.manage_discovered_systems_flag = Some(true);
    body
}

fn configlet_body(device: i64) -> types::ApplyConfigletRequest {
    types::ApplyConfigletRequest {
        cli_configlet_mgmt: types::ApplyConfigletRequestCliConfigletMgmt {
            device_id: device,
            cli_configlet_param: vec![types::ConfigletParam {
                parameter: "NTP_SERVER".to_owned(),
                param_value: Some("192.0.2.123".to_owned()),
            }],
        },
    }
}

fn script_body(script: i64, device: i64) -> types::ExecScriptsRequest {
    let link = |path: &str, id: i64| types::Link {
        href: format!("/api/space/{path}/{id}"),
    };
    types::ExecScriptsRequest {
        exec_scripts: vec![types::ExecScriptsEntry {
            script_mgmt: types::ScriptMgmt {
                script: link("script-management/scripts", script),
                device: link("device-management/devices", device),
                script_version_selected: None,
                script_params: None,
            },
        }],
    }
}

// ---- paging ----

#[tokio::test]
async fn every_device_comes_exactly_once_whatever_the_page_size() {
    let simulator = start(generated(DEVICES)).await;
    let client = client(&simulator);
    let unpaged = client
        .list_devices()
        .list()
        .await
        .expect("one unpaged answer");
    let expected = keys(&unpaged, |d| d.key);
    assert_eq!(expected.len(), DEVICES);
    // 1000 = 8 × 125; 7, 333 and 999 leave a short last page; 1000 and 4096 give one page.
    for page_size in [1, 7, 125, 333, 999, 1_000, 4_096] {
        let before = simulator.requests();
        let devices: Vec<types::Device> = client
            .list_devices()
            .items(page_size)
            .try_collect()
            .await
            .unwrap_or_else(|e| panic!("page size {page_size}: {e}"));
        let walked = keys(&devices, |d| d.key);
        let distinct: BTreeSet<i64> = walked.iter().copied().collect();
        assert_eq!(walked.len(), DEVICES, "page size {page_size}");
        assert_eq!(
            distinct.len(),
            DEVICES,
            "page size {page_size}: a device came twice"
        );
        assert_eq!(
            walked, expected,
            "page size {page_size}: not the server's order"
        );
        assert_eq!(
            simulator.requests() - before,
            (DEVICES as u64).div_ceil(page_size),
            "page size {page_size}: one request per page, none after @total"
        );
    }
}

#[tokio::test]
async fn pages_stop_on_total() {
    let simulator = start(generated(DEVICES)).await;
    let client = client(&simulator);
    for (page_size, sizes) in [(250, vec![250; 4]), (300, vec![300, 300, 300, 100])] {
        let before = simulator.requests();
        let pages: Vec<_> = client
            .list_devices()
            .pages(page_size)
            .try_collect()
            .await
            .expect("every page");
        let seen: Vec<usize> = pages.iter().map(|page| page.items.len()).collect();
        assert_eq!(seen, sizes, "page size {page_size}");
        assert!(
            pages.iter().all(|page| page.total == Some(DEVICES as u64)),
            "every page carries @total"
        );
        // No request for an empty page after the last one.
        assert_eq!(simulator.requests() - before, sizes.len() as u64);
    }
    // A stream read halfway fetches only what was read.
    let before = simulator.requests();
    let first_two: Vec<_> = client
        .list_devices()
        .pages(100)
        .take(2)
        .try_collect()
        .await
        .expect("two pages");
    assert_eq!(first_two.len(), 2);
    assert_eq!(simulator.requests() - before, 2);
}

#[tokio::test]
async fn filters_and_sorting_give_what_an_unfiltered_listing_says() {
    let simulator = start(generated(DEVICES)).await;
    let client = client(&simulator);
    let all: Vec<types::Device> = client
        .list_devices()
        .items(400)
        .try_collect()
        .await
        .expect("every device");
    let name = |d: &types::Device| d.name.clone();
    let family = |d: &types::Device| d.device_family.clone().expect("a family");

    // Junos MX routers, in key order: the README's filter.
    let junos_mx = Filter::eq("deviceFamily", "junos").and(Filter::starts_with("name", "mx"));
    let expected: Vec<i64> = all
        .iter()
        .filter(|d| family(d) == "junos" && name(d).starts_with("mx"))
        .map(|d| d.key)
        .collect();
    assert!(
        !expected.is_empty() && expected.len() < DEVICES,
        "the filter selects a proper subset"
    );
    let filtered: Vec<types::Device> = client
        .list_devices()
        .filter(junos_mx)
        .items(37)
        .try_collect()
        .await
        .expect("filtered devices");
    assert_eq!(keys(&filtered, |d| d.key), expected);

    // One family, newest name first, over pages that keep the sort.
    let mut expected: Vec<types::Device> = all
        .iter()
        .filter(|d| family(d) == "junos-es")
        .cloned()
        .collect();
    expected.sort_by_key(|d| std::cmp::Reverse(name(d)));
    let sorted: Vec<types::Device> = client
        .list_devices()
        .filter(Filter::eq("deviceFamily", "junos-es"))
        .sortby(SortBy::descending("name"))
        .items(25)
        .try_collect()
        .await
        .expect("sorted devices");
    assert!(expected.len() > 25, "more than one page");
    assert_eq!(keys(&sorted, |d| d.key), keys(&expected, |d| d.key));

    // Two sort keys over the whole collection.
    let mut expected = all.clone();
    expected.sort_by(|a, b| family(a).cmp(&family(b)).then(name(b).cmp(&name(a))));
    let sorted: Vec<types::Device> = client
        .list_devices()
        .sortby(SortBy::ascending("deviceFamily").then_descending("name"))
        .items(333)
        .try_collect()
        .await
        .expect("sorted devices");
    assert_eq!(keys(&sorted, |d| d.key), keys(&expected, |d| d.key));

    // A quote inside a value reaches the server doubled and matches nothing here.
    let none: Vec<types::Device> = client
        .list_devices()
        .filter(Filter::eq("name", "O'Brien's mx"))
        .items(10)
        .try_collect()
        .await
        .expect("a quoted value is valid");
    assert!(none.is_empty());
}

#[tokio::test]
async fn a_filter_that_matches_nothing_is_an_empty_walk() {
    let simulator = start(generated(DEVICES)).await;
    let client = client(&simulator);
    let nothing = Filter::starts_with("name", "no-such-device");
    // The server's answer, seen without the client: 200 and the envelope with its count and no
    // member key, as Juniper's Ansible collection reads it.
    let raw = reqwest::Client::new()
        .get(format!("{}/device-management/devices", simulator.api_url()))
        .query(&[("filter", nothing.to_string())])
        .basic_auth(USER, Some(PASSWORD))
        .header("Accept", DEVICE_MEDIA)
        .send()
        .await
        .expect("answered");
    assert_eq!(raw.status().as_u16(), 200);
    let envelope: serde_json::Value = raw.json().await.expect("JSON");
    assert_eq!(envelope["devices"]["@size"], "0", "{envelope}");
    assert!(envelope["devices"].get("device").is_none(), "{envelope}");

    let before = simulator.requests();
    let devices: Vec<types::Device> = client
        .list_devices()
        .filter(nothing.clone())
        .items(100)
        .try_collect()
        .await
        .expect("an envelope without members is an empty collection");
    assert!(devices.is_empty());
    assert_eq!(simulator.requests() - before, 1, "one request, no retry");
    let pages: Vec<_> = client
        .list_devices()
        .filter(nothing.clone())
        .pages(100)
        .try_collect()
        .await
        .expect("no error");
    assert!(pages.iter().all(|page| page.items.is_empty()));
    assert!(
        client
            .list_devices()
            .filter(nothing)
            .list()
            .await
            .expect("no error")
            .is_empty()
    );
}

#[tokio::test]
async fn every_other_collection_pages_too() {
    let simulator = start(jobs(Duration::from_millis(20), JobOutcome::Success)).await;
    let client = client(&simulator);

    // Page size 1: every page holds one member, which a real server sends as an object.
    let configlets: Vec<types::Configlet> = client
        .list_configlets()
        .items(1)
        .try_collect()
        .await
        .expect("configlets");
    let unpaged = client.list_configlets().list().await.expect("all");
    assert_eq!(configlets.len(), 2);
    assert_eq!(keys(&configlets, |c| c.key), keys(&unpaged, |c| c.key));
    assert_eq!(configlets[0].name, "set-ntp");

    let scripts: Vec<types::Script> = client
        .list_scripts()
        .sortby(SortBy::descending("scriptName"))
        .items(1)
        .try_collect()
        .await
        .expect("scripts");
    let names: Vec<_> = scripts.iter().map(|s| s.script_name.as_str()).collect();
    assert_eq!(names, ["commit-guard.py", "check-interfaces.slax"]);

    let users: Vec<types::User> = client
        .list_users()
        .filter(Filter::eq("name", USER))
        .items(10)
        .try_collect()
        .await
        .expect("users");
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].role_type.as_deref(), Some("GUI_ROLE_ACCESS"));
    assert!(users[0].id > 0, "a user carries its id");

    // No job yet: the job collection is empty (204).
    let none: Vec<types::Job> = client
        .list_jobs()
        .items(2)
        .try_collect()
        .await
        .expect("no jobs");
    assert!(none.is_empty());
    let mut started = Vec::new();
    for _ in 0..5 {
        let task = deploy_to_device(&client)
            .send()
            .await
            .expect("a deploy starts");
        started.push(task.task.id);
    }
    let listed: Vec<types::Job> = client
        .list_jobs()
        .items(2)
        .try_collect()
        .await
        .expect("jobs");
    assert_eq!(keys(&listed, |j| j.id), started);
    // A listed job has its state, as the typed client reads it.
    assert!(
        listed
            .iter()
            .all(|job| job.name.as_deref() == Some("execDeploy")
                && !job.job_state.is_empty()
                && !job.job_status.is_empty())
    );
}

// ---- jobs ----

#[tokio::test]
async fn a_discovery_is_awaited_with_rising_progress_and_adds_the_device() {
    let simulator = start(jobs(Duration::from_millis(200), JobOutcome::Success)).await;
    let client = client(&simulator);
    let answer = client
        .discover_device()
        .body(discovery_body("192.0.2.99"))
        .send()
        .await
        .expect("discovery is accepted");
    assert!(answer.job_id().is_some(), "the task answer names its job");
    let mut reports: Vec<JobRecord> = Vec::new();
    let done = wait_for(&client, &answer)
        .on_progress(|job| reports.push(job.clone()))
        .wait()
        .await
        .expect("the discovery succeeds");
    assert_eq!(done.state, JobState::Success);
    assert_eq!(done.percent, Some(100.0));
    assert_eq!(done.id, answer.job_id().expect("an id"));
    assert_eq!(done.name.as_deref(), Some("discoverDevice"));
    let first = reports.first().expect("at least one report");
    assert!(!first.state.is_finished(), "the first poll sees it running");
    assert!(first.percent.expect("a percent") < 100.0);
    let percents: Vec<f64> = reports
        .iter()
        .map(|r| r.percent.expect("a percent"))
        .collect();
    assert!(
        percents.windows(2).all(|w| w[0] <= w[1]),
        "percent never falls: {percents:?}"
    );
    assert_eq!(reports.last(), Some(&done));
    assert!(
        reports[..reports.len() - 1]
            .iter()
            .all(|r| r.state == JobState::InProgress),
        "{reports:?}"
    );

    let found = client
        .list_devices()
        .filter(Filter::eq("ipAddr", "192.0.2.99"))
        .list()
        .await
        .expect("devices");
    assert_eq!(found.len(), 1, "a successful discovery adds the device");
}

#[tokio::test]
async fn every_asynchronous_operation_ends_in_success() {
    let simulator = start(jobs(Duration::from_millis(30), JobOutcome::Success)).await;
    let client = client(&simulator);
    let configlet = client
        .apply_configlet()
        .configlet_id(CONFIGLET)
        .body(configlet_body(DEVICE))
        .send()
        .await
        .expect("applyConfiglet is accepted");
    let script = client
        .execute_script()
        .body(script_body(SCRIPT, DEVICE))
        .send()
        .await
        .expect("executeScript is accepted");
    let deploy = client
        .exec_deploy()
        .package_id(PACKAGE)
        .body(deploy_body(&[DEVICE, 131_074]))
        .send()
        .await
        .expect("execDeploy is accepted");
    let jam = client
        .exec_deploy_jam()
        .package_id(131_075)
        .body(
            types::ExecDeployJamRequest::to_devices([DEVICE]).with_options(
                types::ExecDeployJamOptions {
                    use_already_downloaded_jam: Some(true),
                },
            ),
        )
        .send()
        .await
        .expect("the JAM deploy is accepted");
    let answers = [
        ("applyConfiglet", configlet.job_id()),
        ("executeScript", script.job_id()),
        ("execDeploy", deploy.job_id()),
        // The JAM media type is its own operation (`x-operation-id`).
        ("execDeployJam", jam.job_id()),
    ];
    let ids: BTreeSet<i64> = answers.iter().filter_map(|(_, id)| *id).collect();
    assert_eq!(ids.len(), 4, "four distinct jobs: {answers:?}");
    for (operation, id) in answers {
        let done = wait_for(&client, id.expect("a job id"))
            .wait()
            .await
            .unwrap_or_else(|e| panic!("{operation}: {e}"));
        assert_eq!(done.state, JobState::Success, "{operation}");
        assert_eq!(
            done.name.as_deref(),
            Some(operation),
            "the job is named by its operation"
        );
        assert_eq!(
            done.summary.as_deref(),
            Some(format!("{operation} succeeded").as_str())
        );
    }
}

#[tokio::test]
async fn a_failing_job_is_a_job_failed_error() {
    let simulator = start(jobs(Duration::from_millis(20), JobOutcome::Failure)).await;
    let client = client(&simulator);
    let task = deploy_to_device(&client)
        .send()
        .await
        .expect("the deploy is accepted");
    let mut reports = 0;
    let error = wait_for(&client, &task)
        .on_progress(|_| reports += 1)
        .wait()
        .await
        .expect_err("the job fails");
    let Error::JobFailed(job) = &error else {
        panic!("not JobFailed: {error}");
    };
    assert_eq!((job.id, &job.state), (task.task.id, &JobState::Failure));
    assert!(reports >= 1);
    assert!(
        error
            .to_string()
            .contains("execDeploy failed (simulated failure)"),
        "{error}"
    );
}

#[tokio::test]
async fn a_missing_target_fails_the_job_or_the_call() {
    let simulator = start(jobs(Duration::from_millis(20), JobOutcome::Success)).await;
    let client = client(&simulator);
    // executeScript names its script inside the body and documents no 404: the job
    // reports the missing script.
    let answer = client
        .execute_script()
        .body(script_body(999, DEVICE))
        .send()
        .await
        .expect("accepted");
    let error = wait_for(&client, &answer).wait().await.expect_err("fails");
    assert!(
        matches!(&error, Error::JobFailed(job) if job.summary.as_deref() == Some("script 999 not found")),
        "{error}"
    );
    // applyConfiglet documents 404 for a configlet that does not exist: no job starts.
    let error = client
        .apply_configlet()
        .configlet_id(999)
        .body(configlet_body(DEVICE))
        .send()
        .await
        .expect_err("no such configlet");
    assert!(matches!(error, Error::NotFound(_)), "{error}");
    // execDeploy documents 404 for a package that does not exist.
    let error = client
        .exec_deploy()
        .package_id(999)
        .body(deploy_body(&[DEVICE]))
        .send()
        .await
        .expect_err("no such package");
    assert!(matches!(error, Error::NotFound(_)), "{error}");
}

#[tokio::test]
async fn a_short_timeout_gives_the_deadline_error() {
    let simulator = start(jobs(Duration::from_secs(600), JobOutcome::Success)).await;
    let client = client(&simulator);
    let task = deploy_to_device(&client)
        .send()
        .await
        .expect("the deploy is accepted");
    let error = wait_for(&client, &task)
        .timeout(Duration::from_millis(50))
        .wait()
        .await
        .expect_err("still running at the deadline");
    let Error::JobDeadline(job) = &error else {
        panic!("not JobDeadline: {error}");
    };
    assert_eq!(job.state, JobState::InProgress);
    assert!(job.percent.expect("a percent") < 100.0);
    assert!(error.to_string().contains("still INPROGRESS"), "{error}");
}

#[tokio::test]
async fn a_scheduled_deploy_waits_then_runs() {
    // One schedule minute lasts 100 ms here.
    let simulator = start(jobs(Duration::from_millis(30), JobOutcome::Success)).await;
    let client = client(&simulator);
    let task = client
        .exec_deploy()
        .package_id(PACKAGE)
        .schedule(Schedule::after(Duration::from_secs(60)))
        .body(deploy_body(&[DEVICE]))
        .send()
        .await
        .expect("a scheduled deploy is accepted");
    let states = Mutex::new(Vec::new());
    let done = wait_for(&client, &task)
        .on_progress(|job| states.lock().expect("not poisoned").push(job.state.clone()))
        .wait()
        .await
        .expect("the deploy runs once its time comes");
    assert_eq!(done.state, JobState::Success);
    let mut states = states.into_inner().expect("not poisoned");
    states.dedup();
    assert_eq!(states.first(), Some(&JobState::Scheduled), "{states:?}");
    assert_eq!(states.last(), Some(&JobState::Success), "{states:?}");
    assert!(done.job["start-time"].is_string());

    // The schedule reaches the server: one it cannot read is refused.
    let error = client
        .exec_deploy()
        .package_id(PACKAGE)
        .schedule(Schedule::expression("0 0 * * *"))
        .body(deploy_body(&[DEVICE]))
        .send()
        .await
        .expect_err("refused");
    assert_eq!(error.status(), Some(400), "{error}");
    assert!(error.to_string().contains("(after(HH MM))"), "{error}");
}

#[tokio::test]
async fn a_queue_url_is_accepted() {
    let simulator = start(jobs(Duration::from_millis(20), JobOutcome::Success)).await;
    let client = client(&simulator);
    let queue = QueueUrl::on_server(&simulator.base_url(), "deploys").expect("a URL");
    let task = client
        .exec_deploy()
        .package_id(PACKAGE)
        .queue(queue)
        .body(deploy_body(&[DEVICE]))
        .send()
        .await
        .expect("a deploy with a queue is accepted");
    let done = wait_for(&client, &task).wait().await.expect("succeeds");
    assert_eq!(done.state, JobState::Success);
}

// ---- authentication ----

#[tokio::test]
async fn a_wrong_password_is_an_auth_error_with_the_servers_message() {
    let simulator = start(Config::default()).await;
    let wrong = client_as(&simulator, "not-the-password");
    let before = simulator.requests();
    let error = wrong.list_devices().send().await.expect_err("refused");
    let Error::Auth(answer) = &error else {
        panic!("not Auth: {error}");
    };
    assert_eq!(answer.status, 401);
    assert_eq!(answer.message, "User not authenticated");
    assert!(
        answer
            .media_type
            .as_deref()
            .is_some_and(|m| m.starts_with("text/plain"))
    );
    assert_eq!(simulator.requests() - before, 1, "a 401 is not retried");
    assert!(!error.to_string().contains("not-the-password"));

    let error = wrong.login().send().await.expect_err("login refused");
    assert!(
        matches!(&error, Error::Auth(answer) if answer.message == "User is not logged in"),
        "{error}"
    );
    assert!(!wrong.has_session());
    let error = wrong
        .list_devices()
        .items(10)
        .try_next()
        .await
        .expect_err("a walk stops at the first page");
    assert_eq!(error.status(), Some(401));
}

#[tokio::test]
async fn a_session_carries_gets_and_basic_works_after_logout() {
    let simulator = start(jobs(Duration::from_millis(20), JobOutcome::Success)).await;
    let client = client(&simulator);
    assert!(!client.session_is_open().await.expect("asked"));
    client.login().send().await.expect("logged in");
    assert!(client.has_session());
    assert!(client.session_is_open().await.expect("asked"));
    let devices = client.list_devices().list().await.expect("devices");
    assert_eq!(devices.len(), 5);
    // A session the server refused would have been dropped for Basic credentials.
    assert!(client.has_session(), "the server took the session cookie");
    // Asynchronous calls go with Basic credentials during a session.
    let task = deploy_to_device(&client)
        .send()
        .await
        .expect("a POST during a session");
    wait_for(&client, &task).wait().await.expect("succeeds");
    assert!(client.has_session());

    client.logout().send().await.expect("logged out");
    assert!(!client.has_session());
    let again = client
        .list_devices()
        .list()
        .await
        .expect("Basic credentials after logout");
    assert_eq!(again.len(), 5);
    // A second logout names no session: the server refuses it, and the client still has none.
    let second = client
        .logout()
        .send()
        .await
        .expect_err("no session left to end");
    assert!(matches!(second, Error::Auth(_)), "{second}");
    assert!(!client.has_session());

    // A session of one clone is the session of all.
    let clone = client.clone();
    client.login().send().await.expect("logged in again");
    assert!(clone.has_session());
    clone.logout().send().await.expect("logged out");
    assert!(!client.has_session());
}

#[tokio::test]
async fn a_session_the_server_ended_reads_as_closed() {
    let simulator = start(Config::default()).await;
    let client = client(&simulator);
    // A session opened and ended by hand, so the client is not told that it ended: the
    // generated logout would end it for the client too.
    let http = reqwest::Client::new();
    let login = http
        .post(format!("{}/user-management/login", simulator.api_url()))
        .basic_auth(USER, Some(PASSWORD))
        .header("accept", "text/plain")
        .send()
        .await
        .expect("logged in by hand");
    let cookie = junos_space_runtime::session_cookie(login.headers()).expect("session cookies");
    client.inner().set_session(Some(cookie.clone()));
    let ended = http
        .post(format!("{}/user-management/logout", simulator.api_url()))
        .header("cookie", cookie)
        .header("accept", "text/plain")
        .send()
        .await
        .expect("logged out by hand");
    assert_eq!(ended.status(), 200, "the server ended the session");
    assert!(client.has_session(), "the client still holds the cookie");
    assert!(
        !client.session_is_open().await.expect("asked"),
        "login-status answers 401, which is its answer and not a reason for Basic credentials"
    );
}

#[tokio::test]
async fn a_scheduled_job_is_cancelled_and_a_running_one_is_not() {
    let simulator = start(jobs(Duration::from_millis(20), JobOutcome::Success)).await;
    let client = client(&simulator);
    let waiting = deploy_to_device(&client)
        .schedule("(after(01 00))")
        .send()
        .await
        .expect("scheduled");
    let id = waiting.job_id().expect("a job id");
    client
        .cancel_job()
        .job_id(id)
        .send()
        .await
        .expect("cancelled while it waits");
    let record = client.job_record(id).await.expect("read");
    assert_eq!(record.state, JobState::Cancelled);

    let running = deploy_to_device(&client).send().await.expect("started");
    wait_for(&client, &running).wait().await.expect("succeeds");
    let error = client
        .cancel_job()
        .job_id(running.job_id().expect("a job id"))
        .send()
        .await
        .expect_err("a finished job is not cancelled");
    assert_eq!(error.status(), Some(412));
}

// ---- resilience ----

#[tokio::test]
async fn gets_survive_server_errors_and_dropped_connections() {
    let simulator = start(Config {
        devices: Some(DEVICES),
        faults: Faults {
            server_error_share: 0.15,
            dropped_connection_share: 0.15,
            ..Faults::default()
        },
        ..Config::default()
    })
    .await;
    let client = Client::builder()
        .base_url(simulator.base_url())
        .credentials(USER, PASSWORD)
        .retry(fast_retries().with_max_attempts(10))
        .build()
        .expect("a client");
    let devices: Vec<types::Device> = client
        .list_devices()
        .items(50)
        .try_collect()
        .await
        .expect("every page, through retries");
    let distinct: BTreeSet<i64> = keys(&devices, |d| d.key).into_iter().collect();
    assert_eq!((devices.len(), distinct.len()), (DEVICES, DEVICES));
    let pages = (DEVICES / 50) as u64;
    assert!(
        simulator.requests() > pages,
        "faults were met and retried: {} requests for {pages} pages",
        simulator.requests()
    );
    for _ in 0..10 {
        let configlets = client
            .list_configlets()
            .list()
            .await
            .expect("configlets, through retries");
        assert_eq!(configlets.len(), 2);
    }
}

#[tokio::test]
async fn a_post_that_failed_is_never_sent_again() {
    for faults in [
        Faults {
            server_error_share: 1.0,
            ..Faults::default()
        },
        Faults {
            dropped_connection_share: 1.0,
            ..Faults::default()
        },
    ] {
        let simulator = start(Config {
            faults,
            ..Config::default()
        })
        .await;
        let client = client(&simulator);
        // A GET is retried: four attempts by default.
        let before = simulator.requests();
        client
            .list_devices()
            .send()
            .await
            .expect_err("every answer fails");
        assert_eq!(simulator.requests() - before, 4, "{faults:?}");
        // A POST may have started a job before failing: it goes once.
        let before = simulator.requests();
        let error = client
            .discover_device()
            .body(discovery_body("192.0.2.50"))
            .send()
            .await
            .expect_err("the discovery fails");
        assert_eq!(simulator.requests() - before, 1, "{faults:?}: {error}");
        let before = simulator.requests();
        deploy_to_device(&client)
            .send()
            .await
            .expect_err("the deploy fails");
        assert_eq!(simulator.requests() - before, 1, "{faults:?}");
    }

    // Half the requests fail: each POST is still sent exactly once, success or not.
    let simulator = start(Config {
        faults: Faults {
            server_error_share: 0.25,
            dropped_connection_share: 0.25,
            ..Faults::default()
        },
        ..jobs(Duration::from_millis(10), JobOutcome::Success)
    })
    .await;
    let client = client(&simulator);
    let (mut failed, mut started) = (0, 0);
    for _ in 0..20 {
        let before = simulator.requests();
        match deploy_to_device(&client).send().await {
            Ok(_) => started += 1,
            Err(_) => failed += 1,
        }
        assert_eq!(simulator.requests() - before, 1);
    }
    assert!(
        failed > 0 && started > 0,
        "{failed} failed, {started} started"
    );
    let listed = client
        .list_jobs()
        .list()
        .await
        .expect("jobs, through retries");
    assert_eq!(
        listed.len(),
        started,
        "one job per accepted deploy, none for a failed one"
    );

    // A POST that timed out is not sent again either (the server may be running it).
    let slow = start(Config {
        faults: Faults {
            latency: Duration::from_millis(300),
            ..Faults::default()
        },
        ..Config::default()
    })
    .await;
    let impatient = Client::builder()
        .base_url(slow.base_url())
        .credentials(USER, PASSWORD)
        .timeout(Duration::from_millis(50))
        .retry(fast_retries())
        .build()
        .expect("a client");
    let error = deploy_to_device(&impatient)
        .send()
        .await
        .expect_err("too slow");
    assert!(matches!(error, Error::Timeout(_)), "{error}");
    assert_eq!(slow.requests(), 1);
}

#[tokio::test]
async fn a_job_queue_tells_the_end_of_the_jobs_that_name_it() {
    let simulator = start(jobs(Duration::from_millis(150), JobOutcome::Success)).await;
    let client = client(&simulator);
    let mut queue = client.job_queue("deploys").await.expect("a queue");
    // A second client taking the same queue finds it exists (412), which serves as well.
    let again = client.job_queue("deploys").await.expect("the same queue");
    assert_eq!(
        again.url().expect("a URL").to_string(),
        "http://localhost:8080/api/hornet-q/queues/jms.queue.deploys"
    );
    let task = deploy_to_device(&client)
        .queue(queue.url().expect("a URL"))
        .send()
        .await
        .expect("a deploy starts");
    let before = simulator.requests();
    let record = queue
        .wait_for(&task, Duration::from_secs(20))
        .await
        .expect("the job succeeds");
    assert_eq!(record.id, task.task.id);
    assert_eq!(record.state, JobState::Success);
    // Told, not polled: a few pulls, each held open, and one read of the job at its end.
    let sent = simulator.requests() - before;
    assert!(sent <= 6, "{sent} requests");

    let failing = start(jobs(Duration::from_millis(50), JobOutcome::Failure)).await;
    let client = self::client(&failing);
    let mut queue = client.job_queue("failures").await.expect("a queue");
    let task = deploy_to_device(&client)
        .queue(queue.url().expect("a URL"))
        .send()
        .await
        .expect("a deploy starts");
    let failed = queue
        .wait_for(&task, Duration::from_secs(20))
        .await
        .expect_err("the job fails");
    assert!(matches!(failed, Error::JobFailed(_)), "{failed}");
    queue.delete().await.expect("removed");
    let bad = client.job_queue("no/slashes").await.err().expect("refused");
    assert!(matches!(bad, Error::Config(_)), "{bad}");
}
