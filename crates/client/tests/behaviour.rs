//! The client against a loopback server that behaves like a real Junos Space: one test per
//! "Done when" point of the issue.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{PASSWORD, Reply, client, serve};
use futures_util::{StreamExt as _, TryStreamExt as _};
use junos_space::prelude::*;
use junos_space::{Error, Filter, JobState, SortBy, types};

const DEVICES: &str = "/api/space/device-management/devices";

fn deploy_body() -> types::ExecDeployRequest {
    types::ExecDeployRequest::to_devices([131_073])
}

#[tokio::test]
async fn real_server_collection_shapes_decode() {
    let server = serve(|seen, _| match seen.target.as_str() {
        t if t.contains("single") => Reply::accepted(seen, 
            200,
            r#"{"devices": {"@size": "1", "device": {"@key": "32964647", "@href": "/api/space/device-management/devices/32964647", "name": "mx960-core-1"}}}"#,
        ),
        t if t.contains("missing") => Reply::accepted(seen, 200, r#"{"devices": {"@size": 0}}"#),
        _ => Reply::empty(204),
    })
    .await;
    let client = client(&server);
    let single = client
        .list_devices()
        .filter("single")
        .list()
        .await
        .expect("a one-member list sent as an object decodes");
    assert_eq!(single.len(), 1);
    assert_eq!(single[0].key, 32_964_647);
    let missing = client
        .list_devices()
        .filter("missing")
        .list()
        .await
        .expect("a missing member key decodes");
    assert!(missing.is_empty());
    let no_content = client
        .list_devices()
        .filter("none")
        .send()
        .await
        .expect("a 204 without body is an empty collection");
    assert_eq!(no_content.into_inner(), types::DeviceList::default());
    let streamed: Vec<_> = client
        .list_devices()
        .filter("none")
        .items(100)
        .try_collect()
        .await
        .expect("a 204 page ends the walk");
    assert!(streamed.is_empty());
}

fn job_answers(states: &'static [&'static str]) -> impl Fn(&common::Seen, usize) -> Reply {
    let polls = Arc::new(Mutex::new(0usize));
    move |seen, _| {
        if seen.method == "POST" {
            return Reply::accepted(
                seen,
                202,
                r#"{"task": {"@href": "/api/space/job-management/jobs/4242", "id": 4242}}"#,
            );
        }
        let mut count = polls.lock().expect("not poisoned");
        let state = states[(*count).min(states.len() - 1)];
        *count += 1;
        Reply::accepted(seen, 200, state)
    }
}

#[tokio::test]
async fn a_deploy_job_is_awaited_with_progress() {
    static STATES: &[&str] = &[
        r#"{"job": {"id": 4242, "job-state": "SCHEDULED", "job-status": "UNDETERMINED", "percent-complete": 0}}"#,
        r#"{"job": {"id": 4242, "job-state": "INPROGRESS", "job-status": "UNDETERMINED", "percent-complete": "50"}}"#,
        r#"{"job": {"id": 4242, "job-state": "DONE", "job-status": "SUCCESS", "percent-complete": 100, "summary": "deployed"}}"#,
    ];
    let server = serve(job_answers(STATES)).await;
    let client = client(&server);
    let task = client
        .exec_deploy()
        .package_id(131_074)
        .body(deploy_body())
        .send()
        .await
        .expect("the deploy is accepted");
    let mut progress = Vec::new();
    let done = client
        .job(&task)
        .poll_every(Duration::from_millis(1), Duration::from_millis(2))
        .timeout(Duration::from_secs(60))
        .on_progress(|job| progress.push((job.state.clone(), job.percent)))
        .wait()
        .await
        .expect("the job succeeds");
    assert_eq!(done.state, JobState::Success);
    assert_eq!(done.summary.as_deref(), Some("deployed"));
    assert_eq!(
        progress,
        vec![
            (JobState::Scheduled, Some(0.0)),
            (JobState::InProgress, Some(50.0)),
            (JobState::Success, Some(100.0)),
        ]
    );
    let polls = server.requests();
    assert!(
        polls
            .iter()
            .skip(1)
            .all(|s| s.target == "/api/space/job-management/jobs/4242")
    );
    assert_eq!(
        polls[1].header("accept"),
        Some("application/vnd.net.juniper.space.job-management.job+json;version=3")
    );
}

#[tokio::test]
async fn a_failed_job_gives_its_summary() {
    static STATES: &[&str] = &[
        r#"{"job": {"id": "4242", "job-state": "INPROGRESS", "job-status": "UNDETERMINED", "percent-complete": 10}}"#,
        r#"{"job": {"id": 4242, "job-state": "DONE", "job-status": "FAILURE", "percent-complete": 100, "summary": "Device 10.0.0.7 unreachable"}}"#,
    ];
    let server = serve(job_answers(STATES)).await;
    let client = client(&server);
    let answer = client
        .discover_device()
        .body(types::DiscoverDevicesRequest::ip("10.0.0.7"))
        .send()
        .await
        .expect("discovery is accepted");
    let error = client
        .job(&answer)
        .poll_every(Duration::from_millis(1), Duration::from_millis(2))
        .wait()
        .await
        .expect_err("the job fails");
    let Error::JobFailed(job) = &error else {
        panic!("not a job failure: {error}");
    };
    assert_eq!(job.id, 4242);
    assert_eq!(job.state, JobState::Failure);
    assert!(
        error.to_string().contains("Device 10.0.0.7 unreachable"),
        "{error}"
    );
}

#[tokio::test]
async fn a_200k_device_collection_is_walked_one_page_at_a_time() {
    const TOTAL: u64 = 200_000;
    const LIMIT: u64 = 1_000;
    let server = serve(|seen, _| {
        // paging=(start eq N, limit eq M)
        let query = seen
            .target
            .split_once("paging=")
            .map(|(_, q)| q)
            .unwrap_or_default();
        let numbers: Vec<u64> = query
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|n| n.parse().ok())
            .collect();
        let (start, limit) = (numbers[0], numbers[1]);
        let end = (start + limit).min(TOTAL);
        let devices: Vec<String> = (start..end)
            .map(|key| format!(r#"{{"@key": "{key}", "@href": "/d/{key}", "name": "d{key}"}}"#))
            .collect();
        Reply::accepted(
            seen,
            200,
            format!(
                r#"{{"devices": {{"@size": {TOTAL}, "device": [{}]}}}}"#,
                devices.join(",")
            ),
        )
    })
    .await;
    let client = client(&server);
    let filter = Filter::eq("deviceFamily", "junos").and(Filter::starts_with("name", "O'd"));
    let mut pages = client.list_devices().filter(filter).pages(LIMIT);
    let mut walked = 0u64;
    let mut largest_page = 0;
    while let Some(page) = pages.next().await {
        let page = page.expect("every page decodes");
        assert_eq!(page.items.first().map(|d| d.key), Some(walked as i64));
        walked += page.items.len() as u64;
        largest_page = largest_page.max(page.items.len());
        // Pages are fetched as the stream is read: never more than the one in hand.
        assert_eq!(server.requests().len() as u64, walked.div_ceil(LIMIT));
    }
    assert_eq!(walked, TOTAL);
    assert_eq!(largest_page as u64, LIMIT);
    let requests = server.requests();
    assert_eq!(requests.len() as u64, TOTAL / LIMIT);
    assert!(
        requests[1]
            .target
            .contains("paging=(start eq 1000, limit eq 1000)"),
        "{}",
        requests[1].target
    );
    assert!(
        requests[0]
            .target
            .contains("filter=(deviceFamily eq 'junos' and name starts-with 'O''d')"),
        "{}",
        requests[0].target
    );
}

#[tokio::test]
async fn a_503_on_get_is_retried_and_on_exec_deploy_is_not() {
    let server = serve(|seen, index| {
        if seen.method == "GET" && index >= 2 {
            Reply::accepted(seen, 200, r#"{"devices": {"@size": 0}}"#)
        } else {
            Reply::with(
                503,
                "text/html",
                "<html><title>Service Unavailable</title></html>",
            )
        }
    })
    .await;
    let client = client(&server);
    client
        .list_devices()
        .send()
        .await
        .expect("the third attempt succeeds");
    assert_eq!(server.count("GET", DEVICES), 3);

    let error = client
        .exec_deploy()
        .package_id(7)
        .body(deploy_body())
        .send()
        .await
        .expect_err("503");
    assert_eq!(error.status(), Some(503));
    assert_eq!(
        server.count(
            "POST",
            "/api/space/software-management/packages/7/exec-deploy"
        ),
        1
    );
}

#[tokio::test]
async fn error_bodies_become_readable_errors_without_the_password() {
    let server = serve(|seen, _| {
        if seen.target.contains("jobs") {
            Reply::with(404, "application/xml", "<error><message>Job 9 not found</message></error>")
        } else if seen.method == "POST" {
            Reply::with(
                406,
                "text/html;charset=utf-8",
                "<html><head><title>JBoss - Error report</title></head><body><h1>HTTP Status 406</h1></body></html>",
            )
        } else {
            Reply::with(401, "text/plain", "User password expired")
        }
    })
    .await;
    let client = client(&server);
    let auth = client.list_devices().send().await.expect_err("401");
    assert!(matches!(auth, Error::Auth(_)), "{auth}");
    assert_eq!(
        auth.answer().map(|a| a.message.as_str()),
        Some("User password expired")
    );
    assert_eq!(
        auth.answer().and_then(|a| a.media_type.as_deref()),
        Some("text/plain")
    );
    let refused = client
        .exec_deploy()
        .package_id(1)
        .body(deploy_body())
        .send()
        .await
        .expect_err("406");
    assert!(matches!(refused, Error::MediaTypeRefused(_)), "{refused}");
    assert!(
        refused
            .to_string()
            .contains("JBoss - Error report: HTTP Status 406"),
        "{refused}"
    );
    let missing = client.job(9_i64).wait().await.expect_err("404");
    assert!(matches!(missing, Error::NotFound(_)), "{missing}");
    assert!(missing.to_string().contains("Job 9 not found"), "{missing}");
    for shown in [
        format!("{auth} {auth:?}"),
        format!("{refused} {refused:?}"),
        format!("{missing:?}"),
        format!("{client:?}"),
    ] {
        assert!(!shown.contains(PASSWORD), "{shown}");
    }
    // The password travels only as Basic credentials.
    let basic = server.requests()[0]
        .header("authorization")
        .map(str::to_owned);
    assert_eq!(
        basic.as_deref(),
        Some("Basic c3VwZXI6UGE1NS1uM3Zlci1zaG93bg==")
    );
}

#[tokio::test]
async fn an_error_body_is_kept_whole_up_to_64_kib() {
    let server = serve(|seen, _| {
        let size = if seen.method == "GET" { 5_000 } else { 100_000 };
        Reply::with(500, "text/plain", "x".repeat(size))
    })
    .await;
    let client = client(&server);
    let small = client.list_devices().send().await.expect_err("500");
    assert_eq!(small.answer().map(|a| a.body.len()), Some(5_000));
    let large = client
        .exec_deploy()
        .package_id(1)
        .body(deploy_body())
        .send()
        .await
        .expect_err("500");
    assert_eq!(large.answer().map(|a| a.body.len()), Some(64 * 1024));
}

#[tokio::test]
async fn a_session_is_used_for_gets_and_dropped_on_logout() {
    let server = serve(|seen, _| match seen.target.as_str() {
        "/api/space/user-management/login" => Reply::with(200, "text/plain", "User logged in").header(
            "Set-Cookie",
            "JSESSIONIDSSO=sso1; Path=/api/space/user-management, JSESSIONID=j1; Path=/api/space/user-management",
        ),
        "/api/space/user-management/logout" => Reply::with(200, "text/plain", "User logged out"),
        _ if seen.method == "POST" => Reply::accepted(seen, 202, r#"{"task": {"@href": "/x", "id": 1}}"#),
        _ => Reply::accepted(seen, 200, r#"{"devices": {"@size": 0}}"#),
    })
    .await;
    let client = client(&server);
    client.login().send().await.expect("logged in");
    assert!(client.has_session());
    client.list_devices().send().await.expect("listed");
    client
        .exec_deploy()
        .package_id(3)
        .body(deploy_body())
        .send()
        .await
        .expect("deployed");
    client.logout().send().await.expect("logged out");
    assert!(!client.has_session());
    client.list_devices().send().await.expect("listed");
    let requests = server.requests();
    let get = &requests[1];
    assert_eq!(
        get.header("cookie"),
        Some("JSESSIONIDSSO=sso1; JSESSIONID=j1")
    );
    assert_eq!(get.header("authorization"), None);
    let deploy = &requests[2];
    assert_eq!(
        deploy.header("cookie"),
        None,
        "asynchronous calls want no session cookie"
    );
    assert!(
        deploy
            .header("authorization")
            .is_some_and(|a| a.starts_with("Basic "))
    );
    let logout = &requests[3];
    assert_eq!(
        logout.header("cookie"),
        Some("JSESSIONIDSSO=sso1; JSESSIONID=j1"),
        "logout names its session by the cookie, though it is a POST"
    );
    assert_eq!(logout.header("authorization"), None);
    assert_eq!(logout.header("accept"), Some("text/plain"));
    assert!(requests[4].header("authorization").is_some());
    assert_eq!(requests[4].header("cookie"), None);
}

#[tokio::test]
async fn every_collection_is_walked_with_its_sort_order() {
    // Three jobs served by `paging` as a real server does: the stream must stop on `@total`
    // (two requests), not go on to an empty third page, and send sortby on every page.
    let server = serve(|seen, _| {
        let start: usize = seen
            .target
            .split_once("start eq ")
            .and_then(|(_, rest)| rest.split(',').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let page: Vec<String> = (start + 1..=3)
            .take(2)
            .map(|id| {
                format!(
                    r#"{{"id": "{id}", "name": "job-{id}", "job-state": "DONE", "job-status": "SUCCESS"}}"#
                )
            })
            .collect();
        Reply::accepted(
            seen,
            200,
            format!(
                r#"{{"jobs": {{"@total": "3", "job": [{}]}}}}"#,
                page.join(",")
            ),
        )
    })
    .await;
    let client = client(&server);
    let sort = SortBy::descending("start-time").then_ascending("name");
    let walk = client
        .list_jobs()
        .sortby(sort)
        .items(2)
        .try_collect::<Vec<types::Job>>();
    let jobs = match tokio::time::timeout(Duration::from_secs(5), walk).await {
        Ok(jobs) => jobs.expect("both pages decode"),
        Err(_) => panic!("the walk does not end: {:#?}", server.requests()),
    };
    let names: Vec<_> = jobs.iter().filter_map(|j| j.name.as_deref()).collect();
    assert_eq!(names, ["job-1", "job-2", "job-3"]);
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "@total is reached after two pages");
    for (request, start) in requests.iter().zip([0, 2]) {
        assert!(
            request
                .target
                .contains("sortby=(start-time(descending), name(ascending))")
                && request
                    .target
                    .contains(&format!("paging=(start eq {start}, limit eq 2)")),
            "{}",
            request.target
        );
    }
}
