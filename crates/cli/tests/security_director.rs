//! `junos-space sd ...` against the simulator: objects created by the names an operator
//! gives, a rule added to a device policy under its lock, the policy published and a device
//! updated, each job followed to its end; a dry run that sends nothing.

mod common;

use std::time::Duration;

use common::Lab;
use junos_space_simulator::{Config, JobOutcome, JobSettings};

fn quick() -> Config {
    Config {
        jobs: JobSettings {
            duration: Duration::from_millis(100),
            outcome: JobOutcome::Success,
            schedule_minute: Duration::from_millis(100),
        },
        ..Config::default()
    }
}

/// The rule names of the fixture device policy's DEVICE group, in order.
async fn device_rules(lab: &Lab) -> Vec<String> {
    let listed = lab
        .run(&[
            "api",
            "list-sd-firewall-rule-group-members-v1",
            "--rule-group-id",
            "1081363",
        ])
        .await;
    assert_eq!(listed.status, 0, "{listed:?}");
    listed
        .records()
        .iter()
        .filter_map(|rule| rule["name"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_adds_a_rule_publishes_and_updates_a_device() {
    let lab = Lab::start(quick()).await;
    let lan = lab
        .run(&[
            "sd",
            "address",
            "create",
            "branch-lan-2",
            "--network",
            "10.20.0.0/24",
        ])
        .await;
    assert_eq!(lan.status, 0, "{lan:?}");
    assert_eq!(lan.records()[0]["type"], "NETWORK");
    assert_eq!(lan.records()[0]["address"], "10.20.0.0/24");
    let range = lab
        .run(&[
            "sd",
            "address",
            "create",
            "printers",
            "--range",
            "10.20.0.9-10.20.0.12",
        ])
        .await;
    assert_eq!(
        range.records()[0]["address"],
        "10.20.0.9-10.20.0.12",
        "{range:?}"
    );
    let https = lab
        .run(&["sd", "service", "create", "https-8443", "--tcp", "8443"])
        .await;
    assert_eq!(https.status, 0, "{https:?}");

    let add = [
        "sd",
        "policy",
        "rule",
        "add",
        "DP-branch-srx-01",
        "--name",
        "branch-to-web",
        "--from",
        "trust",
        "--to",
        "untrust",
        "--source",
        "branch-lan-2",
        "--destination",
        "web-servers",
        "--service",
        "https-8443",
    ];
    // A dry run prints the lock, the change and the unlock, and changes nothing.
    let dry = lab.run(&[&add[..], &["--dry-run"]].concat()).await;
    assert_eq!(dry.status, 0, "{dry:?}");
    let sd = format!("{}/api/juniper/sd", lab.simulator.base_url());
    for line in [
        format!("POST {sd}/fwpolicy-management/firewall-policies/1081345/lock\n"),
        format!("POST {sd}/fwpolicy-management/modify-rules\n"),
        format!("POST {sd}/fwpolicy-management/firewall-policies/1081345/unlock\n"),
        "\"name\": \"branch-to-web\"".to_owned(),
    ] {
        assert!(dry.stdout.contains(&line), "{line}: {dry:?}");
    }
    assert_eq!(device_rules(&lab).await, ["allow-dns"]);

    let added = lab.run(&add).await;
    assert_eq!(added.status, 0, "{added:?}");
    assert_eq!(added.records()[0]["rule-group"], 1_081_363);
    assert_eq!(device_rules(&lab).await, ["allow-dns", "branch-to-web"]);

    // An object that is not there is named, and nothing is sent.
    let unknown = lab
        .run(
            &[
                &add[..4],
                &[
                    "DP-branch-srx-01",
                    "--name",
                    "x",
                    "--from",
                    "a",
                    "--to",
                    "b",
                    "--source",
                    "nowhere",
                ],
            ]
            .concat(),
        )
        .await;
    assert_ne!(unknown.status, 0, "{unknown:?}");
    assert!(
        unknown.stderr.contains("no address is named `nowhere`"),
        "{unknown:?}"
    );

    let publish = lab
        .run(&[
            "sd",
            "policy",
            "publish",
            "DP-branch-srx-01",
            "--update-devices",
            "branch-srx-01",
        ])
        .await;
    assert_eq!(publish.status, 0, "{publish:?}");
    let jobs = publish.records();
    assert_eq!(
        jobs.len(),
        2,
        "the publish job, then the update job: {publish:?}"
    );
    assert!(
        jobs.iter().all(|job| job["state"] == "SUCCESS"),
        "{publish:?}"
    );
    assert_ne!(jobs[0]["id"], jobs[1]["id"]);
}
