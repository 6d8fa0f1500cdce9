//! Everyday resource commands beside `api`: `devices get | config | resync | delete |
//! discover`, `job list --state`, `package list`, `tags list | get | targets | create | delete
//! | attach`. Each is one operation of the spec with its target taken as an operator names it
//! (a device or a tag by id or name, a discovery by host, address, range or subnet), made
//! through the same call as `api`, so its answer, its job and its questions are those of `api`.

use clap::{Arg, ArgMatches, Command};
use junos_space::Client;
use serde_json::{Map, Value};

use super::wait::{deadline_arg, deadline_of};
use crate::exit::Failure;
use crate::operations::{Call, DRY_RUN, Operations};
use crate::output::Output;
use crate::settings::terminal_prompt;

/// What a resource command names.
#[derive(Clone, Copy)]
enum Target {
    /// One device, by id or name, as the operation's `device_id`.
    Device,
    /// A collection, with `--state` as a filter on `job-state` where given.
    Listing { state_filter: bool },
    /// Devices to discover, as the request body (`super::discover`).
    Discovery,
    /// One tag, by id or name, as the operation's `tag_id`.
    Tag,
    /// A new tag: its name, and `--public`, as the request body.
    NewTag,
    /// One tag, and the devices (`--device`) it is to tag, as the request body.
    TagDevices,
}

/// One resource command: `noun verb`, the operation it makes, and whether it follows the job
/// its answer names.
struct Resource {
    noun: &'static str,
    verb: &'static str,
    about: &'static str,
    operation: &'static str,
    target: Target,
    waits: bool,
}

const RESOURCES: [Resource; 13] = [
    Resource {
        noun: "devices",
        verb: "get",
        about: "One device's details",
        operation: "getDevice",
        target: Target::Device,
        waits: false,
    },
    Resource {
        noun: "devices",
        verb: "config",
        about: "One device's running configuration",
        operation: "getDeviceConfiguration",
        target: Target::Device,
        waits: false,
    },
    Resource {
        noun: "devices",
        verb: "resync",
        about: "Resynchronise one device with Junos Space, and wait for the job",
        operation: "execResync",
        target: Target::Device,
        waits: true,
    },
    Resource {
        noun: "devices",
        verb: "delete",
        about: "Remove one device from Junos Space (asks first), and wait for the job",
        operation: "deleteDevice",
        target: Target::Device,
        waits: true,
    },
    Resource {
        noun: "devices",
        verb: "discover",
        about: "Discover devices and bring them under management, and wait for the job",
        operation: "discoverDevice",
        target: Target::Discovery,
        waits: true,
    },
    Resource {
        noun: "job",
        verb: "list",
        about: "List jobs, newest last, of one state with --state",
        operation: "listJobs",
        target: Target::Listing { state_filter: true },
        waits: false,
    },
    Resource {
        noun: "package",
        verb: "list",
        about: "List the software packages (their ids are what deploy takes)",
        operation: "listPackages",
        target: Target::Listing {
            state_filter: false,
        },
        waits: false,
    },
    Resource {
        noun: "tags",
        verb: "list",
        about: "List the tags you can see, private and public",
        operation: "listTags",
        target: Target::Listing {
            state_filter: false,
        },
        waits: false,
    },
    Resource {
        noun: "tags",
        verb: "get",
        about: "One tag, with the objects it tags",
        operation: "getTag",
        target: Target::Tag,
        waits: false,
    },
    Resource {
        noun: "tags",
        verb: "targets",
        about: "The objects one tag tags",
        operation: "listTagTargets",
        target: Target::Tag,
        waits: false,
    },
    Resource {
        noun: "tags",
        verb: "create",
        about: "Create a tag, private unless --public",
        operation: "createTag",
        target: Target::NewTag,
        waits: false,
    },
    Resource {
        noun: "tags",
        verb: "delete",
        about: "Delete one tag (asks first)",
        operation: "deleteTag",
        target: Target::Tag,
        waits: false,
    },
    Resource {
        noun: "tags",
        verb: "attach",
        about: "Tag devices with one tag",
        operation: "addTagTargets",
        target: Target::TagDevices,
        waits: false,
    },
];

/// The resource commands of `noun`.
pub fn subcommands(noun: &str) -> Vec<Command> {
    RESOURCES
        .iter()
        .filter(|resource| resource.noun == noun)
        .map(|resource| {
            let mut command = Command::new(resource.verb).about(resource.about);
            match resource.target {
                Target::Device => {
                    command = command.arg(
                        Arg::new("device")
                            .value_name("DEVICE")
                            .required(true)
                            .help("the device, by id or by name"),
                    );
                }
                Target::Listing { state_filter: true } => {
                    command = command
                        .arg(
                            Arg::new("state")
                                .long("state")
                                .value_name("STATE")
                                .help("only jobs in this state: SCHEDULED, INPROGRESS, DONE, ..."),
                        )
                        .arg(
                            Arg::new("watch")
                                .long("watch")
                                .value_name("SECONDS")
                                .num_args(0..=1)
                                .default_missing_value("2")
                                .value_parser(clap::value_parser!(u64).range(1..))
                                .help("list again every SECONDS (2) until Ctrl-C"),
                        );
                }
                Target::Listing { .. } => {}
                Target::Discovery => {
                    command = command
                        .args(super::discover::args())
                        .group(super::discover::target_group());
                }
                Target::Tag | Target::TagDevices => {
                    command = command.arg(
                        Arg::new("tag")
                            .value_name("TAG")
                            .required(true)
                            .help("the tag, by id or by name"),
                    );
                    if let Target::TagDevices = resource.target {
                        command = command.arg(
                            Arg::new("device")
                                .long("device")
                                .value_name("ID|NAME[,...]")
                                .action(clap::ArgAction::Append)
                                .required(true)
                                .help("a device to tag, by id or by name (repeatable, or comma-separated)"),
                        );
                    }
                }
                Target::NewTag => {
                    command = command
                        .arg(
                            Arg::new("name")
                                .value_name("NAME")
                                .required(true)
                                .help("the new tag's name"),
                        )
                        .arg(
                            Arg::new("public")
                                .long("public")
                                .action(clap::ArgAction::SetTrue)
                                .help("a public tag, which every user sees (it cannot be made private again)"),
                        );
                }
            }
            if resource.waits {
                command = command.arg(deadline_arg());
            }
            command
        })
        .collect()
}

/// Whether `noun verb` is a resource command, and whether it prints one record: all but
/// those whose operation answers a collection.
pub fn prints_one(operations: &Operations, noun: &str, verb: &str) -> Option<bool> {
    let resource = resource(noun, verb)?;
    let operation = operations.operation(resource.operation).ok()?;
    Some(operation.collection.is_none())
}

fn resource(noun: &str, verb: &str) -> Option<&'static Resource> {
    RESOURCES
        .iter()
        .find(|resource| resource.noun == noun && resource.verb == verb)
}

/// Runs `noun verb` with `matches`.
pub async fn run(
    client: &Client,
    operations: &Operations,
    (noun, verb): (&str, &str),
    matches: &ArgMatches,
    output: &mut Output,
) -> Result<(), Failure> {
    let resource = resource(noun, verb)
        .ok_or_else(|| Failure::Usage(format!("no command `{noun} {verb}`")))?;
    let operation = operations.operation(resource.operation)?;
    let mut parameters = Map::new();
    let mut body = None;
    match resource.target {
        Target::Device => {
            let given = matches
                .get_one::<String>("device")
                .cloned()
                .ok_or_else(|| Failure::Usage("a device is needed".into()))?;
            let devices = super::devices(client, &[given], None).await?;
            let device = devices
                .first()
                .copied()
                .ok_or_else(|| Failure::Usage("no device named".into()))?;
            parameters.insert("device_id".into(), Value::from(device));
        }
        Target::Listing { state_filter } => {
            let state = matches.try_get_one::<String>("state").ok().flatten();
            if let Some(every) = matches.try_get_one::<u64>("watch").ok().flatten() {
                let every = std::time::Duration::from_secs(*every);
                return super::watch::jobs(
                    client,
                    state.map(String::as_str),
                    every,
                    output.format(),
                )
                .await;
            }
            if let (true, Some(state)) = (state_filter, state) {
                let filter =
                    junos_space::Filter::eq("job-state", state.trim().to_ascii_uppercase());
                parameters.insert("filter".into(), Value::from(String::from(filter)));
            }
        }
        Target::Tag | Target::TagDevices => {
            let given = matches
                .get_one::<String>("tag")
                .ok_or_else(|| Failure::Usage("a tag is needed".into()))?;
            let tag = super::tags::id(client, given).await?;
            parameters.insert("tag_id".into(), Value::from(tag));
            if let Target::TagDevices = resource.target {
                let given: Vec<String> = matches
                    .get_many::<String>("device")
                    .into_iter()
                    .flatten()
                    .cloned()
                    .collect();
                let devices = super::devices(client, &given, None).await?;
                body = Some(super::tags::devices_tagged(&devices));
            }
        }
        Target::NewTag => {
            let name = matches
                .get_one::<String>("name")
                .ok_or_else(|| Failure::Usage("a name is needed".into()))?;
            body = Some(super::tags::new_tag(name, matches.get_flag("public")));
        }
        Target::Discovery => {
            let env = |name: &str| std::env::var(name).ok();
            let request = super::discover::request(matches, &env, &terminal_prompt)?;
            let request = serde_json::to_value(request).map_err(|error| {
                Failure::Usage(format!("the discovery cannot be written: {error}"))
            })?;
            body = Some(request);
        }
    }
    let call = Call {
        operation,
        parameters,
        body,
        wait: resource.waits.then(|| deadline_of(matches)),
        yes: matches.get_flag("yes"),
        dry_run: matches.get_flag(DRY_RUN),
    };
    operations.perform(client, call, output).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use junos_space_model::api::ParameterLocation;

    #[test]
    fn every_resource_names_an_operation_that_takes_its_target() {
        let operations = Operations::bundled().expect("the bundled spec");
        for resource in &RESOURCES {
            let operation = operations
                .operation(resource.operation)
                .unwrap_or_else(|_| panic!("{} is not in spec/", resource.operation));
            match resource.target {
                Target::Device => assert!(
                    operation
                        .parameters_in(ParameterLocation::Path)
                        .any(|p| p.name == "device_id"),
                    "{} takes no device_id",
                    resource.operation
                ),
                Target::Listing { state_filter } => {
                    assert!(operation.collection.is_some(), "{}", resource.operation);
                    assert!(
                        !state_filter
                            || operation
                                .parameters_in(ParameterLocation::Query)
                                .any(|p| p.name == "filter"),
                        "{} takes no filter",
                        resource.operation
                    );
                }
                Target::Discovery | Target::NewTag => assert!(
                    operation.request.as_ref().is_some_and(|body| body.required),
                    "{} takes no body",
                    resource.operation
                ),
                Target::Tag | Target::TagDevices => {
                    assert!(
                        operation
                            .parameters_in(ParameterLocation::Path)
                            .any(|p| p.name == "tag_id"),
                        "{} takes no tag_id",
                        resource.operation
                    );
                    let body = matches!(resource.target, Target::TagDevices);
                    assert_eq!(operation.request.is_some(), body, "{}", resource.operation);
                }
            }
            assert_eq!(
                resource.waits,
                operation.starts_job(),
                "{}",
                resource.operation
            );
        }
    }
}
