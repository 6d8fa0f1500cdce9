//! The simulator on 127.0.0.1, checked over HTTP for the behaviour a real Junos Space shows:
//! media types, authentication, collections and their query language, jobs and faults.

mod common;

use std::time::Duration;

use common::*;
use junos_space_simulator::{Config, Faults, JobOutcome, JobSettings, Realism};
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn accept_must_name_the_exact_type_or_get_a_jboss_406_page() {
    let h = Harness::start(Config::default()).await;
    for accept in [
        "application/json",
        "application/vnd.net.juniper.space.device-management.devices+json;version=1",
        "application/vnd.net.juniper.space.device-management.devices+json",
        DEVICE, // the sibling type of one device
        "application/vnd.net.juniper.space.device-management.devices+xml;version=2",
    ] {
        let (status, content_type, body) = send(h.get("/device-management/devices", accept)).await;
        assert_eq!(status, 406, "{accept}");
        assert!(
            content_type.starts_with("text/html"),
            "{accept}: {content_type}"
        );
        assert!(
            body.contains("HTTP Status 406") && body.contains("JBoss"),
            "{body}"
        );
    }
    for accept in [
        DEVICES,
        "*/*",
        "application/vnd.net.juniper.space.device-management.devices+json; version=\"2\"",
    ] {
        let (status, content_type, _) = send(h.get("/device-management/devices", accept)).await;
        assert_eq!((status, content_type.as_str()), (200, DEVICES), "{accept}");
    }
    let no_accept = h.request(Method::GET, "/device-management/devices");
    assert_eq!(send(no_accept).await.0, 200);
    for malformed in ["", "json", "application/json;version"] {
        assert_eq!(
            send(h.get("/device-management/devices", malformed)).await.0,
            400,
            "{malformed:?}"
        );
    }
}

#[tokio::test]
async fn content_type_is_checked_before_the_body() {
    let h = Harness::start(Config::default()).await;
    let with_type = |content_type: Option<&str>| h.discover_as(content_type, "192.0.2.99");
    for (content_type, expected) in [
        (None, 415),
        (Some("application/json"), 415),
        (
            Some(
                "application/vnd.net.juniper.space.device-management.discover-devices+json;version=3",
            ),
            415,
        ),
        (Some(""), 400),
        (Some("not a media type"), 400),
        // `charset` is not part of the match: with it or without, version 2 is taken.
        (Some(DISCOVER_REQUEST), 202),
        (Some(DISCOVER), 202),
    ] {
        let (status, got_type, body) = send(with_type(content_type)).await;
        assert_eq!(status, expected, "{content_type:?}: {body}");
        if expected == 415 {
            assert!(
                got_type.starts_with("text/html") && body.contains("HTTP Status 415"),
                "{body}"
            );
        }
        if expected == 202 {
            // The task comes back in discovery's own type, not the generic task type.
            assert_eq!(got_type, DISCOVER, "{content_type:?}");
        }
    }
    let not_json = h
        .request(Method::POST, "/device-management/discover-devices")
        .header("content-type", DISCOVER_REQUEST)
        .header("accept", DISCOVER)
        .body("{not json");
    let error = send_json(not_json, 400).await;
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("not JSON")),
        "{error}"
    );
    let wrong_shape = h
        .request(Method::POST, "/device-management/discover-devices")
        .header("content-type", DISCOVER_REQUEST)
        .header("accept", DISCOVER)
        .body(r#"{"discover-devices": {"usePing": "maybe"}}"#);
    let error = send_json(wrong_shape, 400).await;
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("/discover-devices/usePing")),
        "{error}"
    );
    // The seed document's wrapper is not the vendor's: refused by the schema.
    let seed_shape = h
        .request(Method::POST, "/device-management/discover-devices")
        .header("content-type", DISCOVER_REQUEST)
        .header("accept", DISCOVER)
        .body(r#"{"system-discovery-rule": {"ipAddressDiscoveryTarget": {"ipAddress": "192.0.2.98"}}}"#);
    let error = send_json(seed_shape, 400).await;
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("required member `discover-devices` is missing")),
        "{error}"
    );
    // Discovery no longer lives on the devices collection, which only lists.
    let old_path = h
        .request(Method::POST, "/device-management/devices")
        .header("content-type", DISCOVER_REQUEST)
        .header("accept", DISCOVER)
        .body(r#"{"discover-devices": {}}"#);
    assert_eq!(send(old_path).await.0, 405);
}

#[tokio::test]
async fn unauthenticated_calls_get_plain_text_401s() {
    let h = Harness::start(Config::default()).await;
    let anonymous = h
        .anonymous(Method::GET, "/device-management/devices")
        .header("accept", DEVICES);
    let (status, content_type, body) = send(anonymous).await;
    assert_eq!((status, body.as_str()), (401, "User not authenticated"));
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    let wrong = h
        .anonymous(Method::GET, "/device-management/devices")
        .basic_auth("super", Some("wrong"))
        .header("accept", DEVICES);
    assert_eq!(send(wrong).await.0, 401);

    let strict = Harness::start(Config {
        realism: Realism::schema_strict(),
        ..Config::default()
    })
    .await;
    let anonymous = strict.anonymous(Method::GET, "/device-management/devices");
    let (status, content_type, body) = send(anonymous).await;
    assert_eq!(
        (status, content_type.as_str()),
        (401, "application/json"),
        "{body}"
    );
}

#[tokio::test]
async fn login_hands_out_a_session_cookie_that_logout_ends() {
    let h = Harness::start(Config::default()).await;
    let refused = h
        .anonymous(Method::POST, "/user-management/login")
        .basic_auth("super", Some("no"));
    assert_eq!(send(refused).await.2, "User is not logged in");

    let response = h
        .request(Method::POST, "/user-management/login")
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), 200);
    let set_cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .expect("a Set-Cookie")
        .to_owned();
    assert_eq!(response.text().await.expect("body"), "User logged in");
    assert!(
        set_cookie.contains("Path=/api/space/user-management"),
        "{set_cookie}"
    );
    let cookie: Vec<&str> = set_cookie
        .split(", ")
        .filter_map(|c| c.split(';').next())
        .collect();
    assert!(
        cookie[0].starts_with("JSESSIONIDSSO=") && cookie[1].starts_with("JSESSIONID="),
        "{set_cookie}"
    );
    let cookie = cookie.join("; ");

    let with_cookie = || {
        h.anonymous(Method::GET, "/device-management/devices")
            .header("accept", DEVICES)
            .header("cookie", &cookie)
    };
    assert_eq!(send(with_cookie()).await.0, 200);
    let status = || {
        h.anonymous(Method::GET, "/user-management/login-status")
            .header("accept", "text/plain")
            .header("cookie", &cookie)
    };
    assert_eq!(send(status()).await.2, "User is logged in");
    let logout = || {
        h.anonymous(Method::POST, "/user-management/logout")
            .header("accept", "text/plain")
            .header("cookie", &cookie)
    };
    assert_eq!(send(logout()).await.2, "User logged out");
    assert_eq!(send(with_cookie()).await.0, 401);
    assert_eq!(send(status()).await.0, 401);
    // The session is gone: there is nothing left to log out of, Basic credentials or not.
    assert_eq!(send(logout()).await.0, 401);
    let with_basic = h
        .request(Method::POST, "/user-management/logout")
        .header("accept", "text/plain");
    assert_eq!(send(with_basic).await.0, 401);
}

#[tokio::test]
async fn a_job_is_cancelled_while_it_waits_and_refused_after() {
    let h = Harness::start(Config::default()).await;
    let task = |schedule: Option<&str>| {
        let discovery = h.discover("198.51.100.9");
        let discovery = match schedule {
            Some(schedule) => discovery.query(&[("schedule", schedule)]),
            None => discovery,
        };
        send_json(discovery, 202)
    };
    let cancel = |id: &str| h.request(Method::POST, &format!("/job-management/jobs/{id}/cancel"));
    let waiting = task(Some("(after(01 00))")).await["task"]["id"].to_string();
    let (status, content_type, body) = send(cancel(&waiting)).await;
    assert_eq!(
        (status, content_type.as_str(), body.as_str()),
        (200, "", "")
    );
    let job = send_json(h.get(&format!("/job-management/jobs/{waiting}"), JOB), 200).await;
    assert_eq!(job["job"]["job-state"], "CANCELLED");
    // Cancelled once; a second cancel finds nothing waiting.
    assert_eq!(send(cancel(&waiting)).await.0, 412);

    let running = task(None).await["task"]["id"].to_string();
    assert_eq!(send(cancel(&running)).await.0, 412);
    assert_eq!(send(cancel("999999")).await.0, 404);
    assert_eq!(send(cancel("x")).await.0, 400);
}

#[tokio::test]
async fn an_empty_page_is_a_204_without_a_body_but_an_empty_filter_an_envelope() {
    let h = Harness::start(Config::default()).await;
    let (status, content_type, body) = send(h.get("/job-management/jobs", JOBS)).await;
    assert_eq!(
        (status, content_type.as_str(), body.as_str()),
        (204, "", "")
    );
    // A page past the end is as empty: an inventory script pages until it meets one.
    let past_the_end = "/device-management/devices?paging=(start%20eq%20500,%20limit%20eq%2010)";
    assert_eq!(send(h.get(past_the_end, DEVICES)).await.0, 204);
    // A filter that matches nothing: 200, the envelope and its count, no member key (SAC).
    let nothing = format!(
        "/device-management/devices?filter={}",
        form("name eq 'no-such-device'")
    );
    let envelope = send_json(h.get(&nothing, DEVICES), 200).await;
    assert_eq!(
        envelope,
        json!({"devices": {"@uri": "/api/space/device-management/devices", "@size": "0"}})
    );

    let strict = Harness::start(Config {
        realism: Realism::schema_strict(),
        ..Config::default()
    })
    .await;
    let jobs = send_json(strict.get("/job-management/jobs", JOBS), 200).await;
    assert_eq!(
        jobs,
        json!({"jobs": {"@uri": "/api/space/job-management/jobs", "@total": 0}})
    );
}

#[tokio::test]
async fn one_member_lists_are_objects_and_attributes_strings_unless_strict() {
    let h = Harness::start(Config::default()).await;
    // The fixture has two users; a filter leaves the one list member.
    let only_super = "/user-management/users?filter=(name%20eq%20%27super%27)";
    let users = send_json(h.get(only_super, USERS), 200).await;
    let user = &users["users"]["user"];
    assert!(user.is_object(), "{users}");
    // A user is keyed by `id`, an element rather than an attribute, so it stays a number.
    assert_eq!(user["id"], 2_097_153, "{users}");
    assert!(user.get("@key").is_none(), "{users}");
    assert_eq!(user["@href"], "/api/space/user-management/users/2097153");
    assert_eq!(user["@uri"], "/api/space/user-management/users/2097153");
    assert_eq!(user["first-name"], "Open");
    assert_eq!(users["users"]["@total"], "1");

    let strict = Harness::start(Config {
        realism: Realism::schema_strict(),
        ..Config::default()
    })
    .await;
    let users = send_json(strict.get(only_super, USERS), 200).await;
    assert_eq!(users["users"]["user"][0]["id"], 2_097_153, "{users}");
    assert_eq!(users["users"]["@total"], 1);

    // Collections the vendor counts with `@size` get it, a string unless strict.
    let configlets = send_json(
        h.get("/configuration-management/cli-configlets", CONFIGLETS),
        200,
    )
    .await;
    let envelope = &configlets["cli-configlets"];
    assert_eq!(envelope["@size"], "2", "{configlets}");
    assert!(envelope.get("@total").is_none(), "{configlets}");
    assert_eq!(
        envelope["@uri"],
        "/api/space/configuration-management/cli-configlets"
    );
    assert_eq!(
        envelope["cli-configlet"][0]["@key"], "262145",
        "{configlets}"
    );
    assert_eq!(
        envelope["cli-configlet"][0]["name"], "set-ntp",
        "{configlets}"
    );
    let configlets = send_json(
        strict.get("/configuration-management/cli-configlets", CONFIGLETS),
        200,
    )
    .await;
    assert_eq!(configlets["cli-configlets"]["@size"], 2, "{configlets}");
    assert_eq!(
        configlets["cli-configlets"]["cli-configlet"][0]["@key"],
        262_145
    );
    let packages = send_json(h.get("/software-management/packages", PACKAGES), 200).await;
    assert_eq!(packages["packages"]["@size"], "2", "{packages}");
    assert_eq!(
        packages["packages"]["package"][0]["@key"], "131074",
        "{packages}"
    );
    assert_eq!(
        packages["packages"]["package"][0]["@href"],
        "/api/space/software-management/packages/131074"
    );
}

fn names(devices: &Value) -> Vec<&str> {
    let list = &devices["devices"]["device"];
    let members = match list {
        Value::Array(members) => members.iter().collect(),
        Value::Object(_) => vec![list],
        _ => Vec::new(),
    };
    members.iter().filter_map(|d| d["name"].as_str()).collect()
}

#[tokio::test]
async fn paging_filter_and_sortby_follow_the_server_grammar() {
    let h = Harness::start(Config::default()).await;
    let list = |query: &str| h.get(&format!("/device-management/devices?{query}"), DEVICES);
    let page = send_json(
        list("paging=(start eq 1, limit eq 2)&sortby=(name(descending))"),
        200,
    )
    .await;
    assert_eq!(page["devices"]["@size"], "5");
    assert!(page["devices"].get("@total").is_none(), "{page}");
    assert_eq!(names(&page), ["srx340-branch-1", "mx960-core-1"]);

    let query = form(
        "(deviceFamily eq 'junos-es' or name starts-with 'ex') and not(connectionStatus eq 'down')",
    );
    let filtered = send_json(list(&format!("filter={query}&sortby=(name)")), 200).await;
    assert_eq!(names(&filtered), ["ex4300-access-1", "srx340-branch-1"]);
    assert_eq!(filtered["devices"]["@size"], "2");

    let none = send_json(
        list(&format!("filter={}", form("name contains 'nothing'"))),
        200,
    )
    .await;
    assert_eq!(none["devices"]["@size"], "0", "{none}");

    // Field names in any letter case, as Juniper's Ansible collection spells them.
    let sac_casing = form("OSversion eq '20.4R3-S2' or SerialNumber starts-with 'PE'");
    let by_sac = send_json(list(&format!("filter={sac_casing}&sortby=(NAME)")), 200).await;
    let exact = form("OSVersion eq '20.4R3-S2' or serialNumber starts-with 'PE'");
    let by_spec = send_json(list(&format!("filter={exact}&sortby=(name)")), 200).await;
    assert_eq!(names(&by_sac), names(&by_spec));
    assert_eq!(
        names(&by_spec),
        ["ex4300-access-1", "srx340-branch-1", "srx340-branch-2"]
    );

    for (query, says) in [
        ("paging=(start eq 0)", "paging"),
        ("filter=(name is 'x')", "expected eq"),
        ("filter=(colour eq 'red')", "unknown field `colour`"),
        ("sortby=(name(upwards))", "ascending or descending"),
    ] {
        let error = send_json(list(&form_query(query)), 400).await;
        assert!(
            error["message"].as_str().is_some_and(|m| m.contains(says)),
            "{query}: {error}"
        );
    }
}

fn form(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

fn form_query(query: &str) -> String {
    let (name, value) = query.split_once('=').expect("name=value");
    format!("{name}={}", form(value))
}

/// The path below `/api/space` that an `@href` names.
fn api_path(href: &str) -> &str {
    href.strip_prefix("/api/space")
        .unwrap_or_else(|| panic!("not an /api/space href: {href}"))
}

/// One reading of a job: its `job-state`, `job-status` and `percent-complete`.
type Reading = (String, String, f64);

/// Polls a job until its `job-state` is past SCHEDULED and INPROGRESS; returns every reading.
async fn follow_job(h: &Harness, href: &str) -> Vec<Reading> {
    let mut seen = Vec::new();
    loop {
        let answer = send_json(h.get(api_path(href), JOB), 200).await;
        let job = &answer["job"];
        let text = |name: &str| {
            job[name]
                .as_str()
                .unwrap_or_else(|| panic!("a {name}: {answer}"))
                .to_owned()
        };
        let (state, status) = (text("job-state"), text("job-status"));
        let percent = job["percent-complete"]
            .as_f64()
            .unwrap_or_else(|| panic!("a percent-complete: {answer}"));
        let finished = state != "SCHEDULED" && state != "INPROGRESS";
        if !finished {
            // The outcome is open until the job is done.
            assert_eq!(status, "UNDETERMINED", "{answer}");
        }
        seen.push((state, status, percent));
        if finished {
            return seen;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Follows a job to its end; returns how it ended (`job-status`).
async fn outcome(h: &Harness, href: &str) -> String {
    let seen = follow_job(h, href).await;
    let (state, status, percent) = seen.last().cloned().expect("a reading");
    assert_eq!((state.as_str(), percent), ("DONE", 100.0), "{seen:?}");
    status
}

/// A finished job's progress-update, reached by the link the job names.
async fn progress_update(h: &Harness, job_href: &str) -> Value {
    let job = send_json(h.get(api_path(job_href), JOB), 200).await;
    let link = job["job"]["progress-update"]["@href"]
        .as_str()
        .unwrap_or_else(|| panic!("a progress-update link: {job}"));
    assert_eq!(link, format!("{job_href}/progress-update"));
    let (status, content_type, body) = send(h.get(api_path(link), PROGRESS)).await;
    assert_eq!((status, content_type.as_str()), (200, PROGRESS), "{body}");
    let progress: Value = serde_json::from_str(&body).expect("JSON");
    progress["progress-update"].clone()
}

/// `Mon, 05 Oct 2020 14:26:21 UTC`, as a real server writes job times.
fn is_job_time(value: &Value) -> bool {
    value.as_str().is_some_and(|t| {
        let b = t.as_bytes();
        t.len() == 29 && t.ends_with(" UTC") && b[3] == b',' && b[19] == b':' && b[22] == b':'
    })
}

fn jobs_lasting(duration: Duration, outcome: JobOutcome) -> Config {
    Config {
        jobs: JobSettings {
            duration,
            outcome,
            ..JobSettings::default()
        },
        ..Config::default()
    }
}

#[tokio::test]
async fn discovery_runs_a_job_to_success_and_adds_the_device() {
    let h = Harness::start(jobs_lasting(
        Duration::from_millis(800),
        JobOutcome::Success,
    ))
    .await;
    let query = form("ipAddr eq '198.51.100.7'");
    let search = || {
        h.get(
            &format!("/device-management/devices?filter={query}"),
            DEVICES,
        )
    };
    let task = send_json(h.discover("198.51.100.7"), 202).await;
    let id = task["task"]["id"].as_u64().expect("a numeric task id");
    let href = format!("/api/space/job-management/jobs/{id}");
    assert_eq!(task["task"]["@href"], href);
    // The device is added when the job succeeds, not before: the filter matches nothing.
    let before = send_json(search(), 200).await;
    assert_eq!(before["devices"]["@size"], "0", "{before}");

    let seen = follow_job(&h, &href).await;
    let percents: Vec<f64> = seen.iter().map(|(_, _, p)| *p).collect();
    assert!(percents.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    let (state, status, percent) = &seen[0];
    assert!(
        state == "INPROGRESS" && status == "UNDETERMINED" && *percent < 100.0,
        "{seen:?}"
    );
    assert_eq!(
        seen.last(),
        Some(&("DONE".to_owned(), "SUCCESS".to_owned(), 100.0))
    );

    let job = send_json(h.get(api_path(&href), JOB), 200).await;
    let job = &job["job"];
    assert_eq!(job["@href"], href, "{job}");
    assert_eq!(job["id"], id, "{job}");
    assert_eq!(job["name"], "discoverDevice", "{job}");
    assert_eq!(job["owner"], "super", "{job}");
    assert!(job["job-type"].is_string(), "{job}");
    for time in ["scheduled-start-time", "start-time", "end-time"] {
        assert!(is_job_time(&job[time]), "{time}: {job}");
    }
    let progress = progress_update(&h, &href).await;
    assert_eq!(
        (
            progress["state"].as_str(),
            progress["status"].as_str(),
            progress["percentage"].as_f64()
        ),
        (Some("DONE"), Some("SUCCESS"), Some(100.0)),
        "{progress}"
    );
    assert_eq!(progress["taskId"], id, "{progress}");
    assert_eq!(progress["job"]["@href"], href, "{progress}");
    assert_eq!(progress["jobName"], "discoverDevice", "{progress}");

    let found = send_json(search(), 200).await;
    assert_eq!(names(&found), ["198.51.100.7"]);
    // The new member is read like any other: wrapped in `device`, keyed by `id`.
    let key: u64 = found["devices"]["device"]["@key"]
        .as_str()
        .and_then(|k| k.parse().ok())
        .unwrap_or_else(|| panic!("a key: {found}"));
    let device = send_json(
        h.get(&format!("/device-management/devices/{key}"), DEVICE),
        200,
    )
    .await;
    assert_eq!(device["device"]["id"], key, "{device}");
    assert_eq!(device["device"]["ipAddr"], "198.51.100.7", "{device}");

    let jobs = send_json(h.get("/job-management/jobs", JOBS), 200).await;
    assert_eq!(jobs["jobs"]["@total"], "1", "{jobs}");
    // List members are jobs themselves, not `{"job": ...}` wrappers.
    let member = &jobs["jobs"]["job"];
    assert_eq!(member["name"], "discoverDevice", "{jobs}");
    assert_eq!(member["id"], id, "{jobs}");
    assert_eq!(
        (member["job-state"].as_str(), member["job-status"].as_str()),
        (Some("DONE"), Some("SUCCESS")),
        "{jobs}"
    );
    assert!(member.get("job").is_none(), "{jobs}");
}

#[tokio::test]
async fn a_failing_job_adds_nothing() {
    let h = Harness::start(jobs_lasting(Duration::from_millis(50), JobOutcome::Failure)).await;
    let task = send_json(h.discover("198.51.100.8"), 202).await;
    let href = task["task"]["@href"].as_str().expect("an href").to_owned();
    assert_eq!(outcome(&h, &href).await, "FAILURE");
    let progress = progress_update(&h, &href).await;
    assert_eq!(
        (progress["state"].as_str(), progress["status"].as_str()),
        (Some("DONE"), Some("FAILURE")),
        "{progress}"
    );
    assert!(progress["data"].is_string(), "{progress}");
    let query = form("ipAddr eq '198.51.100.8'");
    let found = send_json(
        h.get(
            &format!("/device-management/devices?filter={query}"),
            DEVICES,
        ),
        200,
    )
    .await;
    assert_eq!(found["devices"]["@size"], "0", "{found}");
}

#[tokio::test]
async fn a_discovery_by_host_name_adds_it_and_one_without_a_target_finds_nothing() {
    let h = Harness::start(jobs_lasting(Duration::from_millis(20), JobOutcome::Success)).await;
    let discover = |body: Value| {
        h.request(Method::POST, "/device-management/discover-devices")
            .header("content-type", DISCOVER_REQUEST)
            .header("accept", DISCOVER)
            .body(body.to_string())
    };
    let by_name = json!({"discover-devices": {"hostNameDiscoveryTarget": {"hostName": "pe9"}}});
    let task = send_json(discover(by_name), 202).await;
    let href = task["task"]["@href"].as_str().expect("an href").to_owned();
    assert_eq!(outcome(&h, &href).await, "SUCCESS");
    let query = form("name eq 'pe9'");
    let found = send_json(
        h.get(
            &format!("/device-management/devices?filter={query}"),
            DEVICES,
        ),
        200,
    )
    .await;
    assert_eq!(found["devices"]["device"]["name"], "pe9", "{found}");

    // Valid by the schema (every target is optional), but nothing to discover: the job
    // fails, and no nameless device is added to break the devices schema.
    let before = send_json(h.get("/device-management/devices", DEVICES), 200).await;
    let task = send_json(
        discover(json!({"discover-devices": {"usePing": true}})),
        202,
    )
    .await;
    let href = task["task"]["@href"].as_str().expect("an href").to_owned();
    assert_eq!(outcome(&h, &href).await, "FAILURE");
    assert_eq!(progress_update(&h, &href).await["data"], "found no device");
    let after = send_json(h.get("/device-management/devices", DEVICES), 200).await;
    assert_eq!(after["devices"]["@size"], before["devices"]["@size"]);
}

const EXEC_DEPLOY: &str =
    "application/vnd.net.juniper.space.software-management.exec-deploy+json;version=1";
const EXEC_DEPLOY_JAM: &str =
    "application/vnd.net.juniper.space.software-management.exec-deploy-jam-request+json;version=1";
const ONE_DEVICE: &str =
    r#"{"devices": {"device": [{"@href": "/api/space/device-management/devices/131073"}]}}"#;

#[tokio::test]
async fn schedule_delays_the_start_and_queue_is_accepted() {
    let mut config = jobs_lasting(Duration::from_millis(10), JobOutcome::Success);
    config.jobs.schedule_minute = Duration::from_secs(3600);
    let h = Harness::start(config).await;
    let deploy = |query: &str| {
        h.request(
            Method::POST,
            &format!("/software-management/packages/131074/exec-deploy?{query}"),
        )
        .header("content-type", format!("{EXEC_DEPLOY_JAM};charset=UTF-8"))
        .header("accept", TASK)
        .body(format!(r#"{{"exec-deploy-jam-request": {ONE_DEVICE}}}"#))
    };
    let schedule = form("(after(00 01))");
    let queue = form("http://space/api/hornet-q/queues/jms.queue.q1");
    let task = send_json(deploy(&format!("schedule={schedule}&queue={queue}")), 202).await;
    let href = task["task"]["@href"].as_str().expect("an href");
    let job = send_json(h.get(api_path(href), JOB), 200).await;
    let job = &job["job"];
    assert_eq!(
        (
            job["job-state"].as_str(),
            job["job-status"].as_str(),
            job["percent-complete"].as_f64()
        ),
        (Some("SCHEDULED"), Some("UNDETERMINED"), Some(0.0)),
        "{job}"
    );
    // It has a time to start at, but has not started.
    assert!(is_job_time(&job["scheduled-start-time"]), "{job}");
    assert!(job.get("start-time").is_none(), "{job}");
    assert!(job.get("end-time").is_none(), "{job}");

    let error = send_json(deploy(&format!("schedule={}", form("0 0 * * *"))), 400).await;
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("(after(HH MM))")),
        "{error}"
    );
    let plain = |accept: &str, body: &str| {
        h.request(
            Method::POST,
            "/software-management/packages/131074/exec-deploy",
        )
        .header("content-type", format!("{EXEC_DEPLOY};charset=UTF-8"))
        .header("accept", accept)
        .body(body.to_owned())
    };
    let valid = format!(r#"{{"exec-deploy": {ONE_DEVICE}}}"#);
    // The plain package deploy pairs with its own Accept only.
    assert_eq!(send(plain(TASK, &valid)).await.0, 406);
    let task = send_json(plain(EXEC_DEPLOY, &valid), 202).await;
    assert!(task["task"]["id"].is_u64(), "{task}");
    // A deployment names at least one device.
    for empty in [
        r#"{"exec-deploy": {}}"#,
        r#"{"exec-deploy": {"devices": {"device": []}}}"#,
    ] {
        let error = send_json(plain(EXEC_DEPLOY, empty), 400).await;
        assert!(
            error["message"]
                .as_str()
                .is_some_and(|m| m.contains("/exec-deploy")),
            "{empty}: {error}"
        );
    }
    let absent = h
        .request(Method::POST, "/software-management/packages/1/exec-deploy")
        .header("content-type", EXEC_DEPLOY_JAM)
        .header("accept", TASK)
        .body(format!(r#"{{"exec-deploy-jam-request": {ONE_DEVICE}}}"#));
    assert_eq!(send(absent).await.0, 404);
}

const APPLY_CONFIGLET: &str = "application/vnd.net.juniper.space.configuration-management.apply-configlet+json;version=2;charset=UTF-8";

#[tokio::test]
async fn an_unknown_configlet_is_a_404_without_a_job_and_a_non_integer_id_is_refused() {
    let h = Harness::start(jobs_lasting(Duration::from_millis(10), JobOutcome::Success)).await;
    let apply_as = |id: &str, content_type: &str| {
        h.request(
            Method::POST,
            &format!("/configuration-management/cli-configlets/{id}/apply-configlet"),
        )
        .header("content-type", content_type)
        .header("accept", TASK)
        .body(
            json!({"cli-configlet-mgmt": {
                "deviceId": 131073,
                "cli-configlet-param": [{"parameter": "NTP_SERVER", "param-value": "192.0.2.123"}],
            }})
            .to_string(),
        )
    };
    let apply = |id: &str| apply_as(id, APPLY_CONFIGLET);
    // applyConfiglet documents 404: any integer that names no configlet, negative or too
    // large for a key, is refused before a job starts.
    for id in ["999", "-186747", "158378117849786406141952"] {
        let error = send_json(apply(id), 404).await;
        assert!(
            error["message"]
                .as_str()
                .is_some_and(|m| m.contains(&format!("{id} not found"))),
            "{id}: {error}"
        );
    }
    assert_eq!(send(h.get("/job-management/jobs", JOBS)).await.0, 204);
    // What is not an integer at all is a malformed request.
    let error = send_json(apply("abc"), 400).await;
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("`abc`")),
        "{error}"
    );
    // The seed's version 1 type is not taken.
    let old = "application/vnd.net.juniper.space.configuration-management.apply-cli-configlet+json;version=1";
    assert_eq!(send(apply_as("262145", old)).await.0, 415);
    // A configlet that exists is applied by a job.
    let (status, content_type, body) = send(apply("262145")).await;
    assert_eq!((status, content_type.as_str()), (202, TASK), "{body}");
    let task: Value = serde_json::from_str(&body).expect("JSON");
    let href = task["task"]["@href"].as_str().expect("an href");
    assert_eq!(outcome(&h, href).await, "SUCCESS");
}

const EXEC_SCRIPTS: &str =
    "application/vnd.net.juniper.space.script-management.exec-scripts+json;version=2";

#[tokio::test]
async fn scripts_run_on_devices_named_by_uri_and_a_missing_one_fails_the_job() {
    let h = Harness::start(jobs_lasting(Duration::from_millis(10), JobOutcome::Success)).await;
    let run = |body: Value| {
        h.request(Method::POST, "/script-management/scripts/exec-scripts")
            .header("content-type", format!("{EXEC_SCRIPTS};charset=UTF-8"))
            .header("accept", EXEC_SCRIPTS)
            .body(body.to_string())
    };
    let entry = |script: &str, device: &str| {
        json!({"scriptMgmt": {
            "script": {"@href": format!("/api/space/script-management/scripts/{script}")},
            "device": {"@href": format!("/api/space/device-management/devices/{device}")},
            "scriptVersionSelected": "1.1",
        }})
    };
    let task = send_json(
        run(json!({"exec-scripts": [entry("393217", "131073")]})),
        202,
    )
    .await;
    let href = task["task"]["@href"].as_str().expect("an href");
    assert_eq!(outcome(&h, href).await, "SUCCESS");

    for (script, device, why) in [
        ("999", "131073", "script 999 not found"),
        ("393217", "1", "device 1 not found"),
    ] {
        let body = json!({"exec-scripts": [entry("393218", "131074"), entry(script, device)]});
        let task = send_json(run(body), 202).await;
        let href = task["task"]["@href"].as_str().expect("an href");
        assert_eq!(outcome(&h, href).await, "FAILURE", "{why}");
        let job = send_json(h.get(api_path(href), JOB), 200).await;
        assert_eq!(job["job"]["summary"], why, "{job}");
        let progress = progress_update(&h, href).await;
        assert_eq!(progress["data"], why, "{progress}");
    }
    // At least one script run, each naming a script and a device.
    for bad in [
        json!({"exec-scripts": []}),
        json!({"exec-scripts": [{"scriptMgmt": {"script": {"@href": "/api/space/script-management/scripts/393217"}}}]}),
    ] {
        assert_eq!(send(run(bad.clone())).await.0, 400, "{bad}");
    }
}

const RPC: &str = "application/vnd.net.juniper.space.device-management.rpc+json;version=3";
const RESYNC: &str =
    "application/vnd.net.juniper.space.device-management.exec-resync+json;version=1";

#[tokio::test]
async fn rpc_and_resync_start_jobs_on_a_device_that_exists() {
    let h = Harness::start(jobs_lasting(Duration::from_millis(10), JobOutcome::Success)).await;
    // Resync takes no body at all.
    let resync = |device: &str| {
        h.request(
            Method::POST,
            &format!("/device-management/devices/{device}/exec-resync"),
        )
        .header("accept", RESYNC)
    };
    let (status, content_type, body) = send(resync("131073")).await;
    assert_eq!((status, content_type.as_str()), (202, RESYNC), "{body}");
    let task: Value = serde_json::from_str(&body).expect("JSON");
    let href = task["task"]["@href"].as_str().expect("an href");
    assert_eq!(outcome(&h, href).await, "SUCCESS");
    let job = send_json(h.get(api_path(href), JOB), 200).await;
    assert_eq!(job["job"]["name"], "execResync", "{job}");
    assert_eq!(send(resync("1")).await.0, 404);

    let rpc = |device: &str, commands: Value| {
        h.request(
            Method::POST,
            &format!("/device-management/devices/{device}/exec-rpc"),
        )
        .header("content-type", format!("{RPC};charset=UTF-8"))
        .header("accept", RPC)
        .body(json!({"netconf": {"rpcCommands": {"rpcCommand": commands}}}).to_string())
    };
    let information = json!([r#"{"get-system-information":""}"#]);
    let (status, content_type, body) = send(rpc("131073", information.clone())).await;
    assert_eq!((status, content_type.as_str()), (202, RPC), "{body}");
    let task: Value = serde_json::from_str(&body).expect("JSON");
    let href = task["task"]["@href"].as_str().expect("an href");
    assert_eq!(outcome(&h, href).await, "SUCCESS");
    // The reply is read from the progress-update once the job is done.
    let progress = progress_update(&h, href).await;
    assert_eq!(progress["status"], "SUCCESS", "{progress}");
    assert!(progress["data"].is_string(), "{progress}");
    assert_eq!(send(rpc("1", information)).await.0, 404);
    assert_eq!(send(rpc("131073", json!([]))).await.0, 400);
}

#[tokio::test]
async fn a_template_version_is_one_the_template_lists() {
    let h = Harness::start(jobs_lasting(Duration::from_millis(10), JobOutcome::Success)).await;
    const PREFIX: &str = "application/vnd.net.juniper.space.config-template-management.";
    let cli = format!("{PREFIX}template-config-cli+json;version=2");
    let configuration = |template: &str, version: &str| {
        h.get(
                &format!("/config-template-management/config-templates/{template}/versions/{version}/configuration"),
                &cli,
            )
    };
    // The fixture's first template lists versions 1 and 2, its second only 1.
    let answer = send_json(configuration("2949121", "2"), 200).await;
    assert!(answer["template-config-cli"]["cli"].is_string(), "{answer}");
    assert_eq!(send(configuration("2949122", "2")).await.0, 404);
    assert_eq!(send(configuration("1", "1")).await.0, 404);
    let deploy = |version: &str| {
        h.request(
            Method::POST,
            &format!("/config-template-management/config-templates/2949122/versions/{version}/exec-deploy"),
        )
        .header("content-type", format!("{PREFIX}exec-deploy-request+json;version=2;charset=UTF-8"))
        .header("accept", "application/vnd.net.juniper.space.job-management.task+json;version=1")
        .body(
            json!({"exec-deploy-request": {"devices": {"device": [
                {"@href": "/api/space/device-management/devices/131073"}
            ]}}})
            .to_string(),
        )
    };
    let (status, _, body) = send(deploy("1")).await;
    assert_eq!(status, 202, "{body}");
    let task: Value = serde_json::from_str(&body).expect("JSON");
    let href = task["task"]["@href"].as_str().expect("an href");
    assert_eq!(outcome(&h, href).await, "SUCCESS");
    assert_eq!(send(deploy("2")).await.0, 404);
}

#[tokio::test]
async fn members_are_read_and_deleted_by_key() {
    let h = Harness::start(jobs_lasting(
        Duration::from_millis(400),
        JobOutcome::Success,
    ))
    .await;
    let (status, content_type, body) =
        send(h.get("/device-management/devices/131075", DEVICE)).await;
    assert_eq!((status, content_type.as_str()), (200, DEVICE), "{body}");
    let device: Value = serde_json::from_str(&body).expect("JSON");
    // Version 1 wraps the device and keys it by `id`, with no `@key`.
    let inner = &device["device"];
    assert_eq!(
        (inner["name"].as_str(), inner["id"].as_u64()),
        (Some("srx340-branch-1"), Some(131_075)),
        "{device}"
    );
    assert_eq!(inner["device-id"], 131_075, "{device}");
    assert!(inner.get("@key").is_none(), "{device}");
    assert_eq!(device.as_object().map(|o| o.len()), Some(1), "{device}");
    // The devices collection's media type is not this one's.
    assert_eq!(
        send(h.get("/device-management/devices/131075", DEVICES))
            .await
            .0,
        406
    );

    let configuration = send_json(
        h.get(
            "/device-management/devices/131075/configurations/raw",
            RAW_CONFIGURATION,
        ),
        200,
    )
    .await;
    assert!(
        configuration["raw-configuration"]["configuration"]
            .as_str()
            .is_some_and(|c| c.contains("srx340-branch-1")),
        "{configuration}"
    );
    let seed_type =
        "application/vnd.net.juniper.space.device-management.device-configuration+json;version=1";
    assert_eq!(
        send(h.get(
            "/device-management/devices/131075/configurations/raw",
            seed_type
        ))
        .await
        .0,
        406
    );
    for missing in [
        "/device-management/devices/1",
        "/device-management/devices/abc",
        "/device-management/devices/1/configurations/raw",
    ] {
        let accept = if missing.ends_with("raw") {
            RAW_CONFIGURATION
        } else {
            DEVICE
        };
        let error = send_json(h.get(missing, accept), 404).await;
        assert!(error["message"].is_string(), "{error}");
    }

    // Removal is a job; the device goes when it succeeds.
    let delete = || {
        h.request(Method::DELETE, "/device-management/devices/131075")
            .header("accept", DEVICE)
    };
    let (status, content_type, body) = send(delete()).await;
    assert_eq!((status, content_type.as_str()), (202, DEVICE), "{body}");
    let task: Value = serde_json::from_str(&body).expect("JSON");
    let href = task["task"]["@href"].as_str().expect("an href");
    assert_eq!(
        send(h.get("/device-management/devices/131075", DEVICE))
            .await
            .0,
        200,
        "removed before its job ended"
    );
    assert_eq!(outcome(&h, href).await, "SUCCESS");
    assert_eq!(
        send(h.get("/device-management/devices/131075", DEVICE))
            .await
            .0,
        404
    );
    let devices = send_json(h.get("/device-management/devices", DEVICES), 200).await;
    assert_eq!(devices["devices"]["@size"], "4", "{devices}");
    assert!(!names(&devices).contains(&"srx340-branch-1"), "{devices}");
    // Gone is gone: a second removal finds nothing, and starts no job.
    assert_eq!(send(delete()).await.0, 404);
    let jobs = send_json(h.get("/job-management/jobs", JOBS), 200).await;
    assert_eq!(jobs["jobs"]["@total"], "1", "{jobs}");

    let (status, _, body) = send(h.request(Method::PUT, "/device-management/devices")).await;
    assert_eq!(status, 405, "{body}");
    assert_eq!(send(h.anonymous(Method::GET, "/elsewhere")).await.0, 404);
}

#[tokio::test]
async fn faults_are_off_by_default_and_do_what_they_say_when_on() {
    let errors = Harness::start(Config {
        faults: Faults {
            server_error_share: 1.0,
            ..Faults::default()
        },
        ..Config::default()
    })
    .await;
    for _ in 0..5 {
        let (status, content_type, _) =
            send(errors.get("/device-management/devices", DEVICES)).await;
        assert!((502..=504).contains(&status), "{status}");
        assert!(content_type.starts_with("text/html"));
    }
    let dropped = Harness::start(Config {
        faults: Faults {
            dropped_connection_share: 1.0,
            latency: Duration::from_millis(1),
            ..Faults::default()
        },
        ..Config::default()
    })
    .await;
    let outcome = dropped
        .get("/device-management/devices", DEVICES)
        .send()
        .await;
    assert!(outcome.is_err(), "{outcome:?}");
    assert_eq!(dropped.simulator.requests(), 1);

    let faithful = Harness::start(Config::default()).await;
    assert_eq!(faithful.simulator.config().faults, Faults::default());
    for _ in 0..20 {
        assert_eq!(
            send(faithful.get("/device-management/devices", DEVICES))
                .await
                .0,
            200
        );
    }
}

#[tokio::test]
async fn generated_devices_are_served_in_pages() {
    let h = Harness::start(Config {
        devices: Some(2500),
        ..Config::default()
    })
    .await;
    let page = send_json(
        h.get(
            "/device-management/devices?paging=(start eq 2490, limit eq 20)",
            DEVICES,
        ),
        200,
    )
    .await;
    assert_eq!(page["devices"]["@size"], "2500");
    assert_eq!(names(&page).len(), 10);
    assert!(names(&page)[0].ends_with("-002490"), "{page}");
}

/// A request to the HornetQ interface beside `/api/space`, with HTTP Basic.
fn hornetq(h: &Harness, method: Method, path: &str) -> reqwest::RequestBuilder {
    h.client
        .request(
            method,
            format!("{}/api/hornet-q{path}", h.simulator.base_url()),
        )
        .basic_auth(&h.account.user, Some(&h.account.password))
}

#[tokio::test]
async fn a_queue_tells_the_progress_of_the_jobs_that_name_it() {
    let h = Harness::start(jobs_lasting(
        Duration::from_millis(200),
        JobOutcome::Success,
    ))
    .await;
    let create = |name: &str| {
        hornetq(&h, Method::POST, "/queues")
            .header("content-type", "application/hornetq.jms.queue+xml")
            .body(format!(
                r#"<queue name="{name}"><durable>false</durable></queue>"#
            ))
    };
    assert_eq!(send(create("progress")).await.0, 201);
    assert_eq!(send(create("progress")).await.0, 412, "it exists");
    let wrong_type = hornetq(&h, Method::POST, "/queues")
        .header("content-type", "application/xml")
        .body(r#"<queue name="x"/>"#);
    assert_eq!(send(wrong_type).await.0, 415);
    let anonymous = h
        .client
        .post(format!("{}/api/hornet-q/queues", h.simulator.base_url()));
    assert_eq!(send(anonymous).await.0, 401);

    let consumer = hornetq(
        &h,
        Method::POST,
        "/queues/jms.queue.progress/pull-consumers",
    )
    .send()
    .await
    .expect("answered");
    assert_eq!(consumer.status().as_u16(), 201);
    let mut next = consumer.headers()["msg-consume-next"]
        .to_str()
        .expect("text")
        .to_owned();
    let queue_url = "http://localhost:8080/api/hornet-q/queues/jms.queue.progress";
    let task = send_json(
        h.discover("198.51.100.90").query(&[("queue", queue_url)]),
        202,
    )
    .await;
    let id = task["task"]["id"].as_u64().expect("an id");
    // Pull until the job's DONE message: each state once, in order, naming the job.
    let mut states = Vec::new();
    for _ in 0..50 {
        let pulled = h
            .client
            .post(&next)
            .basic_auth(&h.account.user, Some(&h.account.password))
            .header("accept-wait", "1")
            .send()
            .await
            .expect("answered");
        let status = pulled.status().as_u16();
        next = pulled.headers()["msg-consume-next"]
            .to_str()
            .expect("text")
            .to_owned();
        let message = pulled.text().await.expect("a body");
        if status == 503 {
            continue;
        }
        assert_eq!(status, 200, "{message}");
        assert!(
            message.contains(&format!("<taskId>{id}</taskId>")),
            "{message}"
        );
        assert!(
            message.contains(&format!("href=\"/api/space/job-management/jobs/{id}\"")),
            "{message}"
        );
        let state = message
            .split("<state>")
            .nth(1)
            .and_then(|rest| rest.split("</state>").next())
            .expect("a state")
            .to_owned();
        let done = state == "DONE";
        states.push(state);
        if done {
            break;
        }
    }
    assert_eq!(
        states.last().map(String::as_str),
        Some("DONE"),
        "{states:?}"
    );
    let mut unique = states.clone();
    unique.dedup();
    assert_eq!(unique, states, "each state once");

    let delete = || hornetq(&h, Method::DELETE, "/queues/jms.queue.progress");
    assert_eq!(send(delete()).await.0, 204);
    assert_eq!(send(delete()).await.0, 405, "absent");
}

/// Writes that are no job, on a collection below a member: a POST to a collection's path adds
/// the member its body holds, a PUT changes the fields its body holds, a DELETE answering 204
/// removes the member at once with the collections below it; a member a path names above the
/// one it works on must exist; and a service's root answers its document.
#[tokio::test]
async fn members_are_added_changed_and_removed_at_once_below_the_members_they_belong_to() {
    const TAG: &str = "application/vnd.net.juniper.space.tag-management.tag+json;version=1";
    const TARGET: &str = "application/vnd.net.juniper.space.tag-management.target+json;version=1";
    const TARGETS: &str = "application/vnd.net.juniper.space.tag-management.targets+json;version=1";
    let h = Harness::start(Config::default()).await;
    let root = "application/vnd.net.juniper.space.tag-management+json;version=3";
    let document = send_json(h.get("/tag-management", root), 200).await;
    assert_eq!(
        document,
        json!({"tag-management": {"collection": {"@href": "/api/space/tag-management/tags"}}})
    );

    let created = h
        .request(Method::POST, "/tag-management/tags")
        .header("content-type", format!("{TAG};charset=UTF-8"))
        .header("accept", TAG)
        .body(r#"{"tag": {"name": "lab", "type": "private", "unknown": "kept out"}}"#);
    let created = send_json(created, 200).await;
    let id = created["tag"]["id"].as_u64().expect("an id");
    assert_eq!(created["tag"]["name"], "lab");
    assert_eq!(created["tag"].get("unknown"), None, "{created}");
    let tag_path = format!("/tag-management/tags/{id}");

    let renamed = h
        .request(Method::PUT, &tag_path)
        .header("content-type", format!("{TAG};charset=UTF-8"))
        .header("accept", TAG)
        .body(r#"{"tag": {"name": "lab-shared", "type": "public"}}"#);
    let renamed = send_json(renamed, 200).await;
    assert_eq!(
        (&renamed["tag"]["name"], &renamed["tag"]["type"]),
        (&json!("lab-shared"), &json!("public"))
    );
    assert_eq!(send_json(h.get(&tag_path, TAG), 200).await, renamed);

    // The targets of the new tag are its own: none until one is added.
    let targets = format!("{tag_path}/targets");
    assert_eq!(send(h.get(&targets, TARGETS)).await.0, 204);
    let device = "/api/space/device-management/devices/131073";
    let added = h
        .request(Method::POST, &targets)
        .header("content-type", format!("{TARGET};charset=UTF-8"))
        .header("accept", TARGET)
        .body(json!({"target": {"@href": device}}).to_string());
    let added = send_json(added, 200).await;
    assert_eq!(added["target"]["@href"], device);
    let own = added["target"]["@uri"].as_str().expect("its own URI");
    assert!(own.starts_with(&format!("/api/space{targets}/")), "{own}");
    let listed = send_json(h.get(&targets, TARGETS), 200).await;
    assert_eq!(listed["targets"]["target"]["@uri"], own, "{listed}");

    // A tag that does not exist has no targets to list, read or add to.
    for path in [
        "/tag-management/tags/999/targets".to_owned(),
        format!(
            "/tag-management/tags/999/targets/{}",
            own.rsplit('/').next().expect("an id")
        ),
    ] {
        assert_eq!(send(h.get(&path, TARGETS)).await.0, 404, "{path}");
    }

    // Deleted at once, with its targets.
    let deleted = send(h.request(Method::DELETE, &tag_path)).await;
    assert_eq!((deleted.0, deleted.2.as_str()), (204, ""));
    assert_eq!(send(h.get(&tag_path, TAG)).await.0, 404);
    assert_eq!(send(h.get(&targets, TARGETS)).await.0, 404);
}

#[tokio::test]
async fn a_configuration_selected_by_xpath_is_answered_as_the_part_and_changes_nothing() {
    const XPATH: &str =
        "application/vnd.net.juniper.space.device-management.xpath+json;version=1;charset=UTF-8";
    let h = Harness::start(Config::default()).await;
    let path = "/device-management/devices/131073/configurations/raw";
    let before = send_json(h.get(path, RAW_CONFIGURATION), 200).await;
    let query = |path: &str| {
        h.request(Method::POST, path)
            .header("content-type", XPATH)
            .header("accept", RAW_CONFIGURATION)
            .body(json!({"xpaths": {"xpath": ["/configuration/version"]}}).to_string())
    };
    let selected = send_json(query(path), 200).await;
    assert!(
        selected["raw-configuration"]["configuration"].is_string(),
        "{selected}"
    );
    assert_eq!(send_json(h.get(path, RAW_CONFIGURATION), 200).await, before);
    // No job: the jobs collection stays empty.
    assert_eq!(send(h.get("/job-management/jobs", JOBS)).await.0, 204);
    // A device that does not exist has no configuration to select from.
    let unknown = "/device-management/devices/999/configurations/raw";
    assert_eq!(send(query(unknown)).await.0, 404);
    // The body is read as the spec types it: an XPath list with none in it is refused.
    let empty = h
        .request(Method::POST, path)
        .header("content-type", XPATH)
        .header("accept", RAW_CONFIGURATION)
        .body(r#"{"xpaths": {"xpath": []}}"#);
    assert_eq!(send(empty).await.0, 400);
}

#[tokio::test]
async fn a_post_computing_from_its_body_answers_the_spec_example_and_changes_nothing() {
    const DIFF: &str =
        "application/vnd.net.juniper.space.config-file-management.versions-diff+json;version=1";
    const FILES: &str =
        "application/vnd.net.juniper.space.config-file-management.config-files+json;version=1";
    let h = Harness::start(Config::default()).await;
    let path = "/config-file-management/versions-diff";
    let version = |n: u32| json!({"@href": format!("/api/space/config-file-management/config-files/1540111/config-file-versions/{n}")});
    let diff = |versions: Value| {
        h.request(Method::POST, path)
            .header("content-type", format!("{DIFF};charset=UTF-8"))
            .header("accept", DIFF)
            .body(json!({"versions-diff": {"config-file-versions": {"config-file-version": versions}}}).to_string())
    };
    let files = send_json(h.get("/config-file-management/config-files", FILES), 200).await;
    let answer = send_json(diff(json!([version(2), version(1)])), 200).await;
    assert!(
        answer["versions-diff"]["config-file-versions"].is_object(),
        "{answer}"
    );
    // Nothing changes: the files read the same, and no job exists.
    assert_eq!(
        send_json(h.get("/config-file-management/config-files", FILES), 200).await,
        files
    );
    assert_eq!(send(h.get("/job-management/jobs", JOBS)).await.0, 204);
    // The body is read as the spec types it: a comparison needs two versions.
    assert_eq!(send(diff(json!([version(2)]))).await.0, 400);
    // A GET of the path is no route of the spec.
    assert_eq!(send(h.get(path, DIFF)).await.0, 405);
}

#[tokio::test]
async fn a_computation_on_a_member_needs_the_member() {
    const CHANGE: &str = "application/vnd.net.juniper.space.user-management.change-password+json;version=1;charset=UTF-8";
    let h = Harness::start(Config::default()).await;
    let change = |user: u64| {
        h.request(
            Method::POST,
            &format!("/user-management/users/{user}/change-password"),
        )
        .header("content-type", CHANGE)
        .header("accept", CHANGE)
        .body(json!({"change-password": {"oldPassword": "a", "newPassword": "b"}}).to_string())
    };
    let answer = send_json(change(2_097_153), 200).await;
    assert!(answer["change-password"].is_object(), "{answer}");
    assert_eq!(send(change(999)).await.0, 404);
}

#[tokio::test]
async fn a_member_added_by_its_link_lists_the_fields_of_the_member_it_names() {
    const ROLES_REF: &str =
        "application/vnd.net.juniper.space.user-management.roles-ref+json;version=1";
    let h = Harness::start(Config::default()).await;
    let path = "/user-management/users/2097153/roles";
    let add = h
        .request(Method::POST, path)
        .header("content-type", format!("{ROLES_REF};charset=UTF-8"))
        .body(
            json!({"roles": {"role": [{"@href": "/api/space/user-management/roles/2162690"}]}})
                .to_string(),
        );
    assert_eq!(send(add).await.0, 204);
    let roles = send_json(h.get(path, ROLES_REF), 200).await;
    let added = roles["roles"]["role"]
        .as_array()
        .and_then(|roles| {
            roles
                .iter()
                .find(|role| role["@href"] == "/api/space/user-management/roles/2162690")
        })
        .cloned()
        .unwrap_or_default();
    assert_eq!(added["name"], "userAdmin", "{roles}");
    assert_eq!(added["title"], "User Administrator", "{roles}");

    // A link to no role the simulator has gives no `name` to take: the role is still listed
    // with one, so the answer keeps to its type.
    for href in ["", "/api/space/user-management/roles/999"] {
        let add = h
            .request(Method::POST, path)
            .header("content-type", format!("{ROLES_REF};charset=UTF-8"))
            .body(json!({"roles": {"role": [{"@href": href}]}}).to_string());
        assert_eq!(send(add).await.0, 204, "{href:?}");
    }
    let roles = send_json(h.get(path, ROLES_REF), 200).await;
    for role in roles["roles"]["role"].as_array().into_iter().flatten() {
        assert!(role["name"].is_string(), "{roles}");
    }
}

#[tokio::test]
async fn a_put_on_a_document_or_a_part_stores_the_copy_the_get_then_serves() {
    const USER_SETTINGS: &str = "application/vnd.net.juniper.space.application-management.platform.settings.user+json;version=1";
    const APP_SETTINGS: &str =
        "application/vnd.net.juniper.space.application-management.settings-config+json;version=2";
    let h = Harness::start(Config::default()).await;
    let put = |path: &str, media_type: &str, body: Value| {
        h.request(Method::PUT, path)
            .header("content-type", format!("{media_type};charset=UTF-8"))
            .header("accept", media_type)
            .body(body.to_string())
    };
    let path = "/application-management/platform/settings/user";
    let before = send_json(h.get(path, USER_SETTINGS), 200).await;
    let answer = send_json(
        put(path, USER_SETTINGS, json!({"user": {"auto-logout": 30}})),
        200,
    )
    .await;
    // The fields the body holds change; the others keep their values.
    let mut expected = before.clone();
    expected["user"]["auto-logout"] = json!(30);
    assert_eq!(answer, expected);
    assert_eq!(send_json(h.get(path, USER_SETTINGS), 200).await, expected);

    let settings = |app: u64| format!("/application-management/applications/{app}/settings-config");
    let app = 1069;
    let body =
        json!({"HelloWorld-settings": {"configuration": {"group": {"Schedule-After": "20"}}}});
    send_json(put(&settings(app), APP_SETTINGS, body.clone()), 200).await;
    let read = send_json(h.get(&settings(app), APP_SETTINGS), 200).await;
    assert_eq!(
        read["HelloWorld-settings"], body["HelloWorld-settings"],
        "{read}"
    );
    // An application that does not exist has no settings to change.
    assert_eq!(send(put(&settings(999), APP_SETTINGS, body)).await.0, 404);
}
