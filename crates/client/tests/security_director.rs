//! Security Director's workflow end to end against the local simulator: two addresses and a
//! service created, a rule that uses them added to a device policy under its lock, the
//! policy published and the device updated, both jobs followed to their end; and a lock held
//! by one session refusing another's change until it is given back.

use std::time::Duration;

use junos_space::prelude::*;
use junos_space::security_director::FirewallRule;
use junos_space::{Client, JobState, RetryPolicy, types};
use junos_space_simulator::{Config, JobOutcome, JobSettings, RunningSimulator, Simulator};

/// Keys of the bundled fixture (`crates/simulator/fixtures/default.json`): a gen-1 device
/// policy, the DEVICE rule group inside its ZONE group, the rule that group holds, and an
/// SD device.
const POLICY: i64 = 1_081_345;
const DEVICE_GROUP: i64 = 1_081_363;
const FIXTURE_RULE: &str = "allow-dns";
const SD_DEVICE: i64 = 294_912;

async fn start() -> RunningSimulator {
    let config = Config {
        jobs: JobSettings {
            duration: Duration::from_millis(30),
            outcome: JobOutcome::Success,
            schedule_minute: Duration::from_millis(100),
        },
        ..Config::default()
    };
    Simulator::start(config)
        .await
        .expect("the simulator starts")
}

fn client(simulator: &RunningSimulator) -> Client {
    Client::builder()
        .base_url(simulator.base_url())
        .credentials("super", "juniper123")
        .timeout(Duration::from_secs(10))
        .retry(
            RetryPolicy::default().with_backoff(Duration::from_millis(1), Duration::from_millis(4)),
        )
        .build()
        .expect("a valid client")
}

/// The names of the rules rule group `group` holds, in order.
async fn rules_of(client: &Client, group: i64) -> Vec<String> {
    client
        .list_sd_firewall_rule_group_members_v1()
        .rule_group_id(group)
        .list()
        .await
        .expect("the group's rules")
        .into_iter()
        .filter_map(|rule| rule.name)
        .collect()
}

#[tokio::test]
async fn a_rule_is_added_under_the_lock_published_and_pushed_to_the_device() {
    let simulator = start().await;
    let client = client(&simulator);

    let lan = types::SdAddressRequest::network("branch-lan", "10.20.0.0/24");
    let lan = client
        .create_sd_address()
        .body(lan)
        .send()
        .await
        .expect("lan")
        .into_inner()
        .address;
    let web = types::SdAddressRequest::host("web-01", "192.0.2.80");
    let web = client
        .create_sd_address()
        .body(web)
        .send()
        .await
        .expect("web")
        .into_inner()
        .address;
    let https = types::SdServiceRequest::tcp("https-8443", "8443");
    let https = client
        .create_sd_service()
        .body(https)
        .send()
        .await
        .expect("https")
        .into_inner()
        .service;
    assert_ne!(lan.id, web.id, "each address is its own object");
    // The objects are stored as sent, and read back by their ids.
    let read = client
        .get_sd_address()
        .address_id(lan.id)
        .send()
        .await
        .expect("read");
    assert_eq!(read.address.ip_address.as_deref(), Some("10.20.0.0/24"));
    assert_eq!(read.address.address_type.as_deref(), Some("NETWORK"));
    // A bulk delete removes the objects it names, and only those.
    let spare = types::SdAddressRequest::dns("spare", "spare.example.com");
    let spare = client
        .create_sd_address()
        .body(spare)
        .send()
        .await
        .expect("spare");
    let ids = types::SdIdList {
        id_list: types::SdIdListIdList {
            ids: vec![spare.into_inner().address.id],
        },
    };
    client
        .delete_sd_addresses()
        .body(ids)
        .send()
        .await
        .expect("bulk delete");
    let names: Vec<String> = client
        .list_sd_addresses()
        .list()
        .await
        .expect("the addresses")
        .into_iter()
        .map(|address| address.name)
        .collect();
    assert!(!names.iter().any(|name| name == "spare"), "{names:?}");
    assert!(names.iter().any(|name| name == "branch-lan"), "{names:?}");

    let group = client
        .device_rule_group(POLICY)
        .await
        .expect("the DEVICE group");
    assert_eq!(group, DEVICE_GROUP);
    let rule = FirewallRule::permit("branch-to-web")
        .from_zone("trust")
        .to_zone("untrust")
        .source(lan.id, lan.name.clone())
        .destination(web.id, web.name.clone())
        .service(https.id, https.name.clone())
        .added_to(group);
    client
        .with_policy_lock(POLICY, || async {
            let read = client.get_sd_firewall_policy_v1().policy_id(POLICY);
            let edit_version = read.send().await?.into_inner().firewall_policy.edit_version;
            let change = types::SdModifyRulesV1Request::adding(POLICY, edit_version, [rule]);
            client
                .modify_sd_firewall_rules_v1()
                .body(change)
                .send()
                .await
        })
        .await
        .expect("the rule is added under the lock");
    assert!(client.has_session(), "the lock was taken in a session");
    // The new rule comes after the one the group held, as the body added it.
    assert_eq!(
        rules_of(&client, group).await,
        [FIXTURE_RULE, "branch-to-web"]
    );
    // The lock was given back: another session may take it.
    let other = self::client(&simulator);
    other.login().send().await.expect("another session");
    other
        .lock_sd_firewall_policy_v1()
        .policy_id(POLICY)
        .send()
        .await
        .expect("the lock is free again");
    other
        .unlock_sd_firewall_policy_v1()
        .policy_id(POLICY)
        .send()
        .await
        .expect("unlocked");

    let publish = types::SdPublishPoliciesRequest::of([POLICY]);
    let task = client
        .publish_sd_firewall_policies_v1()
        .body(publish)
        .send()
        .await
        .expect("publish starts a job");
    let published = client
        .job(&task)
        .wait()
        .await
        .expect("the publish job ends");
    assert_eq!(published.state, JobState::Success);
    let update = types::SdUpdateDevicesRequest::policies_to([SD_DEVICE]);
    let task = client
        .update_sd_devices()
        .body(update)
        .send()
        .await
        .expect("update-devices starts a job");
    let updated = client.job(&task).wait().await.expect("the update job ends");
    assert_eq!(updated.state, JobState::Success);
    assert_ne!(published.id, updated.id, "two jobs");
    // Each job's result reads as its record says.
    let again = client.job_record(updated.id).await.expect("the record");
    assert_eq!((again.id, again.state), (updated.id, JobState::Success));
}

fn lock(client: &Client) -> junos_space::api::builder::LockSdFirewallPolicyV1<'_> {
    client.lock_sd_firewall_policy_v1().policy_id(POLICY)
}

/// A modify-rules adding a rule named `late` to the fixture's DEVICE group.
fn change(client: &Client) -> junos_space::api::builder::ModifySdFirewallRulesV1<'_> {
    let rule = FirewallRule::permit("late").added_to(DEVICE_GROUP);
    client
        .modify_sd_firewall_rules_v1()
        .body(types::SdModifyRulesV1Request::adding(POLICY, None, [rule]))
}

#[tokio::test]
async fn a_lock_refuses_another_sessions_change_until_it_is_given_back() {
    let simulator = start().await;
    let holder = client(&simulator);
    holder.login().send().await.expect("a session");
    let other = client(&simulator);
    other.login().send().await.expect("another session");

    lock(&holder).send().await.expect("the first lock");
    lock(&holder)
        .send()
        .await
        .expect("the holder takes its own lock again");
    let refused = lock(&other).send().await.expect_err("another's lock");
    assert_eq!(refused.status(), Some(409), "{refused}");
    let refused = change(&other).send().await.expect_err("another's change");
    assert_eq!(refused.status(), Some(409), "{refused}");
    assert!(refused.to_string().contains("locked"), "{refused}");
    assert_eq!(rules_of(&other, DEVICE_GROUP).await, [FIXTURE_RULE]);
    let refused = other
        .unlock_sd_firewall_policy_v1()
        .policy_id(POLICY)
        .send()
        .await
        .expect_err("another's unlock");
    assert_eq!(refused.status(), Some(409), "{refused}");

    holder
        .unlock_sd_firewall_policy_v1()
        .policy_id(POLICY)
        .send()
        .await
        .expect("the holder unlocks");
    change(&other)
        .send()
        .await
        .expect("a change once the lock is given back");
    assert_eq!(rules_of(&other, DEVICE_GROUP).await, [FIXTURE_RULE, "late"]);
}
