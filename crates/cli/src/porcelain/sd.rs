//! Security Director as an operator types it: `sd address create`, `sd service create`,
//! `sd policy rule add` (under the policy's lock, given back whatever happens) and `sd policy
//! publish [--update-devices]`, each on the client's SD calls and body shortcuts. Objects,
//! policies and devices are named by id or by name; `--dry-run` prints the requests that
//! would change the server and sends none; a publish or update of several devices asks first.

use clap::{Arg, ArgAction, ArgGroup, ArgMatches, Command};
use junos_space::prelude::*;
use junos_space::security_director::FirewallRule;
use junos_space::{Client, types};
use serde_json::{Map, Value, json};

use super::{job_json, member_named};
use crate::exit::{Failure, printing};
use crate::operations::{DRY_RUN, Operations};
use crate::output::Output;

/// The `sd` command tree.
pub fn command() -> Command {
    let named = |id: &'static str, help: &'static str| {
        Arg::new(id)
            .value_name(id.to_uppercase())
            .required(true)
            .help(help)
    };
    let text = |id: &'static str, value: &'static str, help: &'static str| {
        Arg::new(id).long(id).value_name(value).help(help)
    };
    let many = |id: &'static str, value: &'static str, help: &'static str| {
        text(id, value, help).action(ArgAction::Append)
    };
    Command::new("sd")
        .about("Security Director: address and service objects, firewall policy rules, publish")
        .subcommand_required(true)
        .subcommand(
            Command::new("address")
                .about("Address objects")
                .subcommand_required(true)
                .subcommand(
                    Command::new("create")
                        .about("Create an address object: a host, network, range, wildcard or DNS name")
                        .arg(named("name", "the new object's name"))
                        .arg(text("host", "IP", "a host address (10.1.1.1)"))
                        .arg(text("network", "PREFIX", "a network (10.1.1.0/24)"))
                        .arg(text("range", "FIRST-LAST", "an address range (10.1.1.1-10.1.1.9)"))
                        .arg(text("wildcard", "ADDRESS/MASK", "a wildcard address (10.0.1.0/255.0.255.0)"))
                        .arg(text("dns", "HOST", "a DNS name the address resolves from"))
                        .group(
                            ArgGroup::new("kind")
                                .args(["host", "network", "range", "wildcard", "dns"])
                                .required(true),
                        )
                        .arg(text("description", "TEXT", "what the object is for")),
                ),
        )
        .subcommand(
            Command::new("service")
                .about("Service objects")
                .subcommand_required(true)
                .subcommand(
                    Command::new("create")
                        .about("Create a TCP or UDP service object")
                        .arg(named("name", "the new object's name"))
                        .arg(text("tcp", "PORT", "a TCP destination port or range (443, 8000-8080)"))
                        .arg(text("udp", "PORT", "a UDP destination port or range"))
                        .group(ArgGroup::new("protocol").args(["tcp", "udp"]).required(true))
                        .arg(text("description", "TEXT", "what the object is for")),
                ),
        )
        .subcommand(
            Command::new("policy")
                .about("Firewall policies (generation 1)")
                .subcommand_required(true)
                .subcommand(
                    Command::new("rule")
                        .about("A policy's rules")
                        .subcommand_required(true)
                        .subcommand(
                            Command::new("add")
                                .about(
                                    "Add a rule to a device policy's own rules, under the policy's lock",
                                )
                                .arg(named("policy", "the policy, by id or by name"))
                                .arg(text("name", "NAME", "the rule's name").required(true))
                                .arg(many("from", "ZONE", "a source zone (repeatable)").required(true))
                                .arg(many("to", "ZONE", "a destination zone (repeatable)").required(true))
                                .arg(many("source", "ADDRESS", "a source address object, by id or name (repeatable)"))
                                .arg(many("destination", "ADDRESS", "a destination address object, by id or name (repeatable)"))
                                .arg(many("service", "SERVICE", "a service object, by id or name (repeatable)"))
                                .arg(
                                    Arg::new("deny")
                                        .long("deny")
                                        .action(ArgAction::SetTrue)
                                        .help("deny what the rule matches [default: permit]"),
                                )
                                .arg(text("description", "TEXT", "what the rule is for")),
                        ),
                )
                .subcommand(
                    Command::new("publish")
                        .about("Publish policies and wait for the job; then, with --update-devices, push them to devices")
                        .arg(
                            Arg::new("policy")
                                .value_name("POLICY")
                                .required(true)
                                .num_args(1..)
                                .help("the policies, by id or by name"),
                        )
                        .arg(many(
                            "update-devices",
                            "SD_DEVICE",
                            "an SD device to update once published, by SD id or name (repeatable)",
                        )),
                ),
        )
}

/// Runs `sd ...`.
pub async fn run(
    client: &Client,
    operations: &Operations,
    sd: &ArgMatches,
    output: &mut Output,
) -> Result<(), Failure> {
    let usage = |what: &str| Failure::Usage(format!("sd {what}: no command"));
    match sd.subcommand() {
        Some(("address", address)) => {
            let create = address
                .subcommand_matches("create")
                .ok_or_else(|| usage("address"))?;
            create_address(client, operations, create, output).await
        }
        Some(("service", service)) => {
            let create = service
                .subcommand_matches("create")
                .ok_or_else(|| usage("service"))?;
            create_service(client, operations, create, output).await
        }
        Some(("policy", policy)) => match policy.subcommand() {
            Some(("rule", rule)) => {
                let add = rule
                    .subcommand_matches("add")
                    .ok_or_else(|| usage("rule"))?;
                add_rule(client, operations, add, output).await
            }
            Some(("publish", publish)) => {
                publish_policies(client, operations, publish, output).await
            }
            _ => Err(usage("policy")),
        },
        _ => Err(usage("")),
    }
}

fn one<'a>(matches: &'a ArgMatches, id: &str) -> Option<&'a str> {
    matches.get_one::<String>(id).map(String::as_str)
}

fn all(matches: &ArgMatches, id: &str) -> Vec<String> {
    matches
        .get_many::<String>(id)
        .map(|values| values.cloned().collect())
        .unwrap_or_default()
}

fn body_of(body: &impl serde::Serialize) -> Result<Value, Failure> {
    serde_json::to_value(body)
        .map_err(|error| Failure::Usage(format!("the request body cannot be written: {error}")))
}

/// Prints the request `operation_id` would send with `parameters` and `body`.
fn print_request(
    client: &Client,
    operations: &Operations,
    operation_id: &str,
    parameters: &[(&str, Value)],
    body: Option<&Value>,
) -> Result<(), Failure> {
    let operation = operations.operation(operation_id)?;
    let parameters: Map<String, Value> = parameters
        .iter()
        .map(|(name, value)| ((*name).to_owned(), value.clone()))
        .collect();
    print!(
        "{}",
        operations.request_text(client, operation, &parameters, body)
    );
    Ok(())
}

/// `value`'s two parts around `at`, for option `--what`.
fn two_parts<'v>(value: &'v str, at: char, what: &str) -> Result<(&'v str, &'v str), Failure> {
    value.split_once(at).ok_or_else(|| {
        Failure::Usage(format!(
            "--{what} `{value}`: expected two parts joined by `{at}`"
        ))
    })
}

async fn create_address(
    client: &Client,
    operations: &Operations,
    create: &ArgMatches,
    output: &mut Output,
) -> Result<(), Failure> {
    let name = one(create, "name").unwrap_or_default();
    let mut body = if let Some(ip) = one(create, "host") {
        types::SdAddressRequest::host(name, ip)
    } else if let Some(prefix) = one(create, "network") {
        types::SdAddressRequest::network(name, prefix)
    } else if let Some(range) = one(create, "range") {
        let (first, last) = two_parts(range, '-', "range")?;
        types::SdAddressRequest::range(name, first, last)
    } else if let Some(wildcard) = one(create, "wildcard") {
        let (address, mask) = two_parts(wildcard, '/', "wildcard")?;
        types::SdAddressRequest::wildcard(name, address, mask)
    } else if let Some(host) = one(create, "dns") {
        types::SdAddressRequest::dns(name, host)
    } else {
        return Err(Failure::Usage(
            "sd address create: give one of --host, --network, --range, --wildcard, --dns".into(),
        ));
    };
    if let Some(text) = one(create, "description") {
        body = body.described(text);
    }
    if create.get_flag(DRY_RUN) {
        return print_request(
            client,
            operations,
            "createSdAddress",
            &[],
            Some(&body_of(&body)?),
        );
    }
    let created = client
        .create_sd_address()
        .body(body)
        .send()
        .await?
        .into_inner()
        .address;
    output
        .record(json!({
            "id": created.id,
            "name": created.name,
            "type": created.address_type,
            "address": created.ip_address.or(created.host_name),
        }))
        .map_err(printing)
}

async fn create_service(
    client: &Client,
    operations: &Operations,
    create: &ArgMatches,
    output: &mut Output,
) -> Result<(), Failure> {
    let name = one(create, "name").unwrap_or_default();
    let mut body = match (one(create, "tcp"), one(create, "udp")) {
        (Some(port), None) => types::SdServiceRequest::tcp(name, port),
        (None, Some(port)) => types::SdServiceRequest::udp(name, port),
        _ => {
            return Err(Failure::Usage(
                "sd service create: give one of --tcp, --udp".into(),
            ));
        }
    };
    if let Some(text) = one(create, "description") {
        body = body.described(text);
    }
    if create.get_flag(DRY_RUN) {
        return print_request(
            client,
            operations,
            "createSdService",
            &[],
            Some(&body_of(&body)?),
        );
    }
    let created = client
        .create_sd_service()
        .body(body)
        .send()
        .await?
        .into_inner()
        .service;
    output
        .record(json!({"id": created.id, "name": created.name}))
        .map_err(printing)
}

/// The id and name of each address object `given` names (by id or name).
async fn addresses(client: &Client, given: &[String]) -> Result<Vec<(i64, String)>, Failure> {
    let mut found = Vec::with_capacity(given.len());
    for one in given {
        let listing = client.list_sd_addresses();
        let id = member_named(
            listing,
            "address",
            one,
            |a: &types::SdAddressRef| &a.name,
            |a| a.id,
        )
        .await?;
        found.push((id, named_or_read_address(client, one, id).await?));
    }
    Ok(found)
}

/// `given` when it is a name; the object's name, read, when it is an id.
async fn named_or_read_address(client: &Client, given: &str, id: i64) -> Result<String, Failure> {
    if given.parse::<i64>().is_err() {
        return Ok(given.to_owned());
    }
    Ok(client
        .get_sd_address()
        .address_id(id)
        .send()
        .await?
        .into_inner()
        .address
        .name)
}

/// The id and name of each service object `given` names (by id or name).
async fn services(client: &Client, given: &[String]) -> Result<Vec<(i64, String)>, Failure> {
    let mut found = Vec::with_capacity(given.len());
    for one in given {
        let listing = client.list_sd_services();
        let id = member_named(
            listing,
            "service",
            one,
            |s: &types::SdServiceRef| &s.name,
            |s| s.id,
        )
        .await?;
        let name = if one.parse::<i64>().is_err() {
            one.clone()
        } else {
            client
                .get_sd_service()
                .service_id(id)
                .send()
                .await?
                .into_inner()
                .service
                .name
        };
        found.push((id, name));
    }
    Ok(found)
}

async fn policy_id(client: &Client, given: &str) -> Result<i64, Failure> {
    let listing = client.list_sd_firewall_policies_v1();
    member_named(
        listing,
        "firewall policy",
        given,
        |p: &types::SdFirewallPolicyV1| &p.name,
        |p| p.id,
    )
    .await
}

async fn add_rule(
    client: &Client,
    operations: &Operations,
    add: &ArgMatches,
    output: &mut Output,
) -> Result<(), Failure> {
    let given = one(add, "policy").unwrap_or_default();
    let policy = policy_id(client, given).await?;
    let name = one(add, "name").unwrap_or_default();
    let mut rule = if add.get_flag("deny") {
        FirewallRule::deny(name)
    } else {
        FirewallRule::permit(name)
    };
    for zone in all(add, "from") {
        rule = rule.from_zone(zone);
    }
    for zone in all(add, "to") {
        rule = rule.to_zone(zone);
    }
    for (id, name) in addresses(client, &all(add, "source")).await? {
        rule = rule.source(id, name);
    }
    for (id, name) in addresses(client, &all(add, "destination")).await? {
        rule = rule.destination(id, name);
    }
    for (id, name) in services(client, &all(add, "service")).await? {
        rule = rule.service(id, name);
    }
    if let Some(text) = one(add, "description") {
        rule = rule.description(text);
    }
    let group = client.device_rule_group(policy).await?;
    let rule = rule.added_to(group);
    if add.get_flag(DRY_RUN) {
        let read = client.get_sd_firewall_policy_v1().policy_id(policy);
        let edit_version = read.send().await?.into_inner().firewall_policy.edit_version;
        let change = types::SdModifyRulesV1Request::adding(policy, edit_version, [rule]);
        let on_policy = [("policy_id", Value::from(policy))];
        print_request(
            client,
            operations,
            "lockSdFirewallPolicyV1",
            &on_policy,
            None,
        )?;
        print_request(
            client,
            operations,
            "modifySdFirewallRulesV1",
            &[],
            Some(&body_of(&change)?),
        )?;
        return print_request(
            client,
            operations,
            "unlockSdFirewallPolicyV1",
            &on_policy,
            None,
        );
    }
    client
        .with_policy_lock(policy, || async {
            let read = client.get_sd_firewall_policy_v1().policy_id(policy);
            let edit_version = read.send().await?.into_inner().firewall_policy.edit_version;
            let change = types::SdModifyRulesV1Request::adding(policy, edit_version, [rule]);
            client
                .modify_sd_firewall_rules_v1()
                .body(change)
                .send()
                .await
        })
        .await?;
    output
        .record(json!({"policy": policy, "rule": name, "rule-group": group}))
        .map_err(printing)
}

async fn publish_policies(
    client: &Client,
    operations: &Operations,
    publish: &ArgMatches,
    output: &mut Output,
) -> Result<(), Failure> {
    let mut policies = Vec::new();
    for given in all(publish, "policy") {
        policies.push(policy_id(client, &given).await?);
    }
    let mut devices = Vec::new();
    for given in all(publish, "update-devices") {
        let listing = client.list_sd_devices();
        let id = member_named(
            listing,
            "SD device",
            &given,
            |d: &types::SdDevice| &d.name,
            |d| d.id,
        )
        .await?;
        devices.push(id);
    }
    let dry_run = publish.get_flag(DRY_RUN);
    let policy_list: Vec<String> = policies.iter().map(i64::to_string).collect();
    super::go_ahead_on(
        &format!("publish policies {} and update", policy_list.join(", ")),
        &devices,
        publish.get_flag("yes"),
        dry_run,
    )?;
    let publish_body = types::SdPublishPoliciesRequest::of(policies.iter().copied());
    let update_body = (!devices.is_empty())
        .then(|| types::SdUpdateDevicesRequest::policies_to(devices.iter().copied()));
    if dry_run {
        print_request(
            client,
            operations,
            "publishSdFirewallPoliciesV1",
            &[],
            Some(&body_of(&publish_body)?),
        )?;
        if let Some(update) = &update_body {
            print_request(
                client,
                operations,
                "updateSdDevices",
                &[],
                Some(&body_of(update)?),
            )?;
        }
        return Ok(());
    }
    let task = client
        .publish_sd_firewall_policies_v1()
        .body(publish_body)
        .send()
        .await?;
    let published = client.job(&task).wait().await?;
    output.record(job_json(&published)).map_err(printing)?;
    if let Some(update) = update_body {
        let task = client.update_sd_devices().body(update).send().await?;
        let updated = client.job(&task).wait().await?;
        output.record(job_json(&updated)).map_err(printing)?;
    }
    Ok(())
}
