//! Juniper's own clients against the simulator: every request of Juniper's Ansible collection
//! that concerns the platform API (`../shared/juniper-clients-requests.md`, carried by the kit
//! as `junos_space_conformance::server::clients`), sent as the collection sends it, in both
//! realisms, must get what the collection needs back. check-server sends the same requests
//! (but the removal of a device) to a real server.

use std::time::Duration;

use junos_space_conformance::server::clients::replay::{device_values, kit_values, replay};
use junos_space_conformance::server::clients::requests::juniper_clients;
use junos_space_conformance::server::outcome::Outcome;
use junos_space_conformance::server::target::{Connection, Target};
use junos_space_model::Api;
use junos_space_runtime::Credentials;
use junos_space_simulator::{Config, JobSettings, Realism, Simulator};

/// Rows of the shared table: 1 to 13.
const ROWS: std::ops::RangeInclusive<u32> = 1..=13;

/// Replays every request, the removal of a device included, against a fresh simulator in
/// `realism`; gives each request's row, call and outcome.
async fn replayed(realism: Realism) -> Vec<(u32, String, Outcome)> {
    let simulator = Simulator::start(Config {
        realism,
        jobs: JobSettings {
            duration: Duration::from_millis(20),
            ..JobSettings::default()
        },
        ..Config::default()
    })
    .await
    .expect("the simulator starts");
    let account = &simulator.config().credentials[0];
    let target = Target::new(
        &simulator.base_url(),
        Credentials::new(account.user.clone(), account.password.clone()),
        &Connection::default(),
    )
    .expect("a target");
    let api = Api::bundled().expect("the bundled spec reads");
    let mut values = kit_values();
    values.extend(device_values(api, &target).await.expect("a device to name"));
    let clients = juniper_clients().expect("the kit's requests read");
    let real_server_forms = realism == Realism::real_server();
    let deadline = Duration::from_secs(30);
    replay(
        &clients,
        &target,
        values,
        real_server_forms,
        deadline,
        |_| None,
    )
    .await
    .into_iter()
    .map(|r| (r.request.row, r.request.call.clone(), r.outcome))
    .collect()
}

#[tokio::test]
async fn juniper_s_ansible_collection_gets_what_it_needs_in_both_realisms() {
    for realism in [Realism::real_server(), Realism::schema_strict()] {
        let replayed = replayed(realism).await;
        let unmet: Vec<String> = replayed
            .iter()
            .filter(|(_, _, outcome)| !matches!(outcome, Outcome::Passed { .. }))
            .map(|(row, call, outcome)| format!("row {row} {call}: {outcome:?}"))
            .collect();
        assert!(
            unmet.is_empty(),
            "{realism:?}: Juniper's Ansible collection does not get what it needs:\n{}",
            unmet.join("\n")
        );
        let rows: std::collections::BTreeSet<u32> = replayed.iter().map(|r| r.0).collect();
        assert_eq!(
            rows,
            (1..=12).collect(),
            "{realism:?}: every platform row is sent"
        );
    }
}

#[test]
fn every_row_of_the_shared_table_is_replayed_or_left_out_with_why() {
    let clients = juniper_clients().expect("the kit's requests read");
    assert_eq!(clients.client, "Juniper/space-ansible-collection");
    assert_eq!(clients.commit, "e2c3685");
    for row in ROWS {
        let replayed = clients.requests.iter().any(|r| r.row == row);
        let left_out = clients.left_out.iter().find(|l| l.row == row);
        assert!(
            replayed != left_out.is_some(),
            "row {row}: replayed {replayed}, left out {left_out:?}"
        );
        if let Some(left_out) = left_out {
            assert!(left_out.why.len() > 20, "row {row}: say why");
        }
    }
    // What only a real server's forms give says why a schema-strict answer differs.
    for request in &clients.requests {
        if let Some(why) = &request.needs.real_server_only {
            assert!(why.contains("schema"), "row {}: {why}", request.row);
        }
    }
}
