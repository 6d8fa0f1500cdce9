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
                "application/vnd.net.juniper.space.device-management.discover-devices+json;version=1",
            ),
            415,
        ),
        (Some(""), 400),
        (Some("not a media type"), 400),
        (Some(&format!("{DISCOVER};charset=UTF-8")[..]), 202),
    ] {
        let (status, got_type, body) = send(with_type(content_type)).await;
        assert_eq!(status, expected, "{content_type:?}: {body}");
        if expected == 415 {
            assert!(
                got_type.starts_with("text/html") && body.contains("HTTP Status 415"),
                "{body}"
            );
        }
    }
    let not_json = h
        .request(Method::POST, "/device-management/devices")
        .header("content-type", DISCOVER)
        .header("accept", TASK)
        .body("{not json");
    let error = send_json(not_json, 400).await;
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("not JSON")),
        "{error}"
    );
    let wrong_shape = h
        .request(Method::POST, "/device-management/devices")
        .header("content-type", DISCOVER)
        .header("accept", TASK)
        .body(r#"{"system-discovery-rule": {"usePing": "maybe"}}"#);
    let error = send_json(wrong_shape, 400).await;
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("/system-discovery-rule/usePing")),
        "{error}"
    );
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
    let logout = h
        .anonymous(Method::POST, "/user-management/logout")
        .header("cookie", &cookie);
    assert_eq!(send(logout).await.0, 200);
    assert_eq!(send(with_cookie()).await.0, 401);
}

#[tokio::test]
async fn an_empty_collection_is_a_204_without_a_body_unless_strict() {
    let h = Harness::start(Config::default()).await;
    let (status, content_type, body) = send(h.get("/job-management/jobs", JOBS)).await;
    assert_eq!(
        (status, content_type.as_str(), body.as_str()),
        (204, "", "")
    );

    let strict = Harness::start(Config {
        realism: Realism::schema_strict(),
        ..Config::default()
    })
    .await;
    let jobs = send_json(strict.get("/job-management/jobs", JOBS), 200).await;
    assert_eq!(
        jobs,
        json!({"jobs": {"@uri": "/api/space/job-management/jobs", "@total": 0, "job": []}})
    );
}

#[tokio::test]
async fn one_member_lists_are_objects_and_attributes_strings_unless_strict() {
    let h = Harness::start(Config::default()).await;
    let users = send_json(h.get("/user-management/users", USERS), 200).await;
    let user = &users["users"]["user"];
    assert!(user.is_object(), "{users}");
    assert_eq!(user["@key"], "2097153");
    assert_eq!(user["@href"], "/api/space/user-management/users/2097153");
    assert_eq!(users["users"]["@total"], "1");

    let strict = Harness::start(Config {
        realism: Realism::schema_strict(),
        ..Config::default()
    })
    .await;
    let users = send_json(strict.get("/user-management/users", USERS), 200).await;
    assert_eq!(users["users"]["user"][0]["@key"], 2_097_153);
    assert_eq!(users["users"]["@total"], 1);
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
    assert_eq!(page["devices"]["@total"], "5");
    assert_eq!(names(&page), ["srx340-branch-1", "mx960-core-1"]);

    let query = form(
        "(deviceFamily eq 'junos-es' or name starts-with 'ex') and not(connectionStatus eq 'down')",
    );
    let filtered = send_json(list(&format!("filter={query}&sortby=(name)")), 200).await;
    assert_eq!(names(&filtered), ["ex4300-access-1", "srx340-branch-1"]);
    assert_eq!(filtered["devices"]["@total"], "2");

    let none = send(list(&format!("filter={}", form("name contains 'nothing'")))).await;
    assert_eq!(none.0, 204);

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

/// Polls a job until it is no longer scheduled or in progress; returns every state seen.
async fn follow_job(h: &Harness, href: &str) -> Vec<(String, f64)> {
    let path = href.strip_prefix("/api/space").expect("an /api/space href");
    let mut seen = Vec::new();
    loop {
        let job = send_json(h.get(path, JOB), 200).await;
        let state = job["jobState"].as_str().expect("a jobState").to_owned();
        let percent = job["percent"].as_f64().expect("a percent");
        let finished = state != "ENABLED" && state != "INPROGRESS";
        seen.push((state, percent));
        if finished {
            return seen;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
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
    let task = send_json(h.discover("198.51.100.7"), 202).await;
    let id = task["task"]["id"].as_u64().expect("a numeric task id");
    assert_eq!(
        task["task"]["@href"],
        format!("/api/space/job-management/jobs/{id}")
    );

    let seen = follow_job(&h, &format!("/api/space/job-management/jobs/{id}")).await;
    let percents: Vec<f64> = seen.iter().map(|(_, p)| *p).collect();
    assert!(percents.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    assert!(seen[0].0 == "INPROGRESS" && seen[0].1 < 100.0, "{seen:?}");
    assert_eq!(seen.last(), Some(&("SUCCESS".to_owned(), 100.0)));

    let query = form("ipAddr eq '198.51.100.7'");
    let found = send_json(
        h.get(
            &format!("/device-management/devices?filter={query}"),
            DEVICES,
        ),
        200,
    )
    .await;
    assert_eq!(names(&found), ["198.51.100.7"]);
    let jobs = send_json(h.get("/job-management/jobs", JOBS), 200).await;
    assert_eq!(jobs["jobs"]["job"]["jobName"], "discoverDevice", "{jobs}");
}

#[tokio::test]
async fn a_failing_job_adds_nothing() {
    let h = Harness::start(jobs_lasting(Duration::from_millis(50), JobOutcome::Failure)).await;
    let task = send_json(h.discover("198.51.100.8"), 202).await;
    let href = task["task"]["@href"].as_str().expect("an href").to_owned();
    let seen = follow_job(&h, &href).await;
    assert_eq!(seen.last().map(|(s, _)| s.as_str()), Some("FAILURE"));
    let query = form("ipAddr eq '198.51.100.8'");
    assert_eq!(
        send(h.get(
            &format!("/device-management/devices?filter={query}"),
            DEVICES
        ))
        .await
        .0,
        204
    );
}

#[tokio::test]
async fn schedule_delays_the_start_and_queue_is_accepted() {
    let mut config = jobs_lasting(Duration::from_millis(10), JobOutcome::Success);
    config.jobs.schedule_minute = Duration::from_secs(3600);
    let h = Harness::start(config).await;
    let deploy = |query: &str| {
        h.request(Method::POST, &format!("/software-management/packages/131074/exec-deploy?{query}"))
            .header("content-type", "application/vnd.net.juniper.space.software-management.exec-deploy-jam-request+json;version=1;charset=UTF-8")
            .header("accept", TASK)
            .body(r#"{"exec-deploy-jam-request": {"devices": {"device": {"@href": "/api/space/device-management/devices/131073"}}}}"#)
    };
    let schedule = form("(after(00 01))");
    let queue = form("http://space/api/hornet-q/queues/jms.queue.q1");
    let task = send_json(deploy(&format!("schedule={schedule}&queue={queue}")), 202).await;
    let href = task["task"]["@href"].as_str().expect("an href");
    let job = send_json(h.get(href.trim_start_matches("/api/space"), JOB), 200).await;
    assert_eq!(
        (job["jobState"].as_str(), job["percent"].as_f64()),
        (Some("ENABLED"), Some(0.0)),
        "{job}"
    );

    let error = send_json(deploy(&format!("schedule={}", form("0 0 * * *"))), 400).await;
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("(after(HH MM))")),
        "{error}"
    );
    // The plain package deploy pairs with its own Accept only.
    let crossed = h
        .request(Method::POST, "/software-management/packages/131074/exec-deploy")
        .header("content-type", "application/vnd.net.juniper.space.software-management.exec-deploy+json;version=1;charset=UTF-8")
        .header("accept", TASK)
        .body(r#"{"exec-deploy": {}}"#);
    assert_eq!(send(crossed).await.0, 406);
    let absent = h
        .request(Method::POST, "/software-management/packages/1/exec-deploy")
        .header("content-type", "application/vnd.net.juniper.space.software-management.exec-deploy-jam-request+json;version=1")
        .header("accept", TASK)
        .body(r#"{"exec-deploy-jam-request": {}}"#);
    assert_eq!(send(absent).await.0, 404);
}

#[tokio::test]
async fn an_unknown_configlet_fails_its_job_and_a_non_integer_id_is_refused() {
    let h = Harness::start(jobs_lasting(Duration::from_millis(10), JobOutcome::Success)).await;
    let apply = |id: &str| {
        h.request(
            Method::POST,
            &format!("/configuration-management/cli-configlets/{id}/apply-cli-configlet"),
        )
        .header(
            "content-type",
            "application/vnd.net.juniper.space.configuration-management.apply-cli-configlet+json;version=1",
        )
        .header("accept", TASK)
        .body(r#"{"apply-cli-configlet-request": {"deviceIds": [131073]}}"#)
    };
    // applyConfiglet documents no 404: any integer that names no configlet, negative or too
    // large for a key, starts a job that fails.
    for id in ["999", "-186747", "158378117849786406141952"] {
        let task = send_json(apply(id), 202).await;
        let href = task["task"]["@href"].as_str().expect("an href");
        let seen = follow_job(&h, href).await;
        assert_eq!(
            seen.last().map(|(s, _)| s.as_str()),
            Some("FAILURE"),
            "{id}"
        );
        let path = href.strip_prefix("/api/space").expect("an /api/space href");
        let job = send_json(h.get(path, JOB), 200).await;
        assert_eq!(job["summary"], format!("configlet {id} not found"), "{job}");
    }
    // What is not an integer at all is a malformed request.
    let error = send_json(apply("abc"), 400).await;
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("`abc`")),
        "{error}"
    );
}

#[tokio::test]
async fn members_are_read_and_deleted_by_key() {
    let h = Harness::start(Config::default()).await;
    let device = send_json(h.get("/device-management/devices/131075", DEVICE), 200).await;
    assert_eq!(
        (device["name"].as_str(), device["@key"].as_str()),
        (Some("srx340-branch-1"), Some("131075"))
    );
    let configuration = send_json(
        h.get(
            "/device-management/devices/131075/configurations/raw",
            "application/vnd.net.juniper.space.device-management.device-configuration+json;version=1",
        ),
        200,
    )
    .await;
    assert!(
        configuration["configuration"]
            .as_str()
            .is_some_and(|c| c.contains("srx340-branch-1"))
    );
    for missing in [
        "/device-management/devices/1",
        "/device-management/devices/abc",
    ] {
        let error = send_json(h.get(missing, DEVICE), 404).await;
        assert!(error["message"].is_string(), "{error}");
    }
    let delete = h.request(Method::DELETE, "/device-management/devices/131075");
    assert_eq!(send(delete).await, (204, String::new(), String::new()));
    assert_eq!(
        send(h.get("/device-management/devices/131075", DEVICE))
            .await
            .0,
        404
    );
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
    assert_eq!(page["devices"]["@total"], "2500");
    assert_eq!(names(&page).len(), 10);
    assert!(names(&page)[0].ends_with("-002490"), "{page}");
}
