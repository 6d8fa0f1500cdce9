//! The command line: global connection and output flags, the operators' commands, and the
//! `api` group built from spec/ ([`Operations`]).

use std::path::PathBuf;
use std::time::Duration;

use clap::{Arg, ArgAction, ArgMatches, Command, value_parser};

use crate::exit::Failure;
use crate::operations::{self, Operations};
use crate::output::{Format, Output};
use crate::porcelain::{self, Run};
use crate::settings::{Flags, Settings, terminal_prompt};

const AFTER_HELP: &str = "\
Settings come from the flags, then JUNOS_SPACE_URL / JUNOS_SPACE_USER / JUNOS_SPACE_PASSWORD,
then a profile of the config file (JUNOS_SPACE_CONFIG, else junos-space/config.toml in the
config directory; --profile or JUNOS_SPACE_PROFILE picks one). The password is never a flag:
JUNOS_SPACE_PASSWORD, --password-file, a profile's password-file, or asked on the terminal.
Nor is the devices' SSH password of `devices discover`: --ssh-password-file,
JUNOS_SPACE_SSH_PASSWORD, or asked on the terminal.

Exit status: 0 success, 1 API or connection error, 2 usage, 3 a job failed, 4 a job timed
out, 130 stopped by Ctrl-C.";

/// The whole command tree, with `api` as given: [`Operations::command`], or
/// [`operations::group`] where the run cannot be one of `api`.
pub fn build(api: Command) -> Command {
    let id_list = || {
        Arg::new("device")
            .long("device")
            .value_name("ID|NAME[,...]")
            .action(ArgAction::Append)
            .help("a device, by id or by name (repeatable, or comma-separated)")
    };
    let devices_filter = || {
        Arg::new("devices-filter")
            .long("devices-filter")
            .value_name("EXPR")
            .help("the devices the filter selects (deviceFamily eq 'junos')")
    };
    let concurrency = |default: &'static str| {
        Arg::new("concurrency")
            .long("concurrency")
            .value_name("N")
            .default_value(default)
            .value_parser(value_parser!(u16).range(1..))
            .help("how many jobs run at once")
    };
    let deadline = porcelain::wait::deadline_arg;
    let params = |help: &'static str| {
        Arg::new("param")
            .long("param")
            .value_name("NAME=VALUE")
            .action(ArgAction::Append)
            .help(help)
    };
    let member = |id: &'static str, help: &'static str| {
        Arg::new(id)
            .value_name(id.to_ascii_uppercase())
            .required(true)
            .help(help)
    };
    Command::new("junos-space")
        .version(env!("CARGO_PKG_VERSION"))
        .about("The Junos Space command line: devices, RPCs, deploys and jobs, and every API operation")
        .after_help(AFTER_HELP)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .args(global_args())
        .subcommand(
            Command::new("devices")
                .about("Managed devices")
                .subcommand_required(true)
                .subcommands(porcelain::resources::subcommands("devices"))
                .subcommand(
                    Command::new("list")
                        .about("List every device, page by page")
                        .arg(
                            Arg::new("filter")
                                .long("filter")
                                .value_name("EXPR")
                                .help("the server's filter grammar: deviceFamily eq 'junos'"),
                        )
                        .arg(
                            Arg::new("sort")
                                .long("sort")
                                .value_name("FIELD[:asc|:desc]")
                                .action(ArgAction::Append)
                                .help("sort by FIELD (repeatable: later ones break ties)"),
                        )
                        .arg(
                            Arg::new("page-size")
                                .long("page-size")
                                .value_name("N")
                                .default_value("500")
                                .value_parser(value_parser!(u64).range(1..))
                                .help("devices per request"),
                        ),
                ),
        )
        .subcommand(
            Command::new("rpc")
                .about("Run NETCONF RPCs on many devices, one result per device")
                .arg(id_list())
                .arg(devices_filter())
                .arg(
                    Arg::new("rpc")
                        .long("rpc")
                        .value_name("RPC")
                        .required(true)
                        .action(ArgAction::Append)
                        .help(
                            "an RPC: its name (get-system-information), its empty XML element \
                             (<get-system-information/>) or its JSON (repeatable)",
                        ),
                )
                .arg(concurrency("16"))
                .arg(deadline()),
        )
        .subcommand(
            Command::new("deploy")
                .about("Deploy a software package to devices and wait for the job")
                .arg(
                    Arg::new("package")
                        .long("package")
                        .value_name("ID")
                        .required(true)
                        .value_parser(value_parser!(i64))
                        .help("the software package's id (`junos-space api list-packages` lists them)"),
                )
                .arg(id_list())
                .arg(devices_filter())
                .arg(
                    Arg::new("jam")
                        .long("jam")
                        .action(ArgAction::SetTrue)
                        .help("the package is a JAM package"),
                )
                .arg(
                    Arg::new("option")
                        .long("option")
                        .value_name("NAME=VALUE")
                        .action(ArgAction::Append)
                        .help("a deploy option (validate=true, rebootAfterXMinutes=5)"),
                )
                .arg(deadline()),
        )
        .subcommand(
            Command::new("configlet")
                .about("CLI configlets")
                .subcommand_required(true)
                .subcommand(
                    Command::new("apply")
                        .about(
                            "Apply a CLI configlet to devices, one job a device, one result a device",
                        )
                        .arg(member(
                            "configlet",
                            "the configlet, by id or by name (`junos-space api list-configlets` lists them)",
                        ))
                        .arg(id_list())
                        .arg(devices_filter())
                        .arg(params("a value for a parameter of the configlet (repeatable)"))
                        .arg(concurrency("16"))
                        .arg(deadline()),
                ),
        )
        .subcommand(
            Command::new("script")
                .about("Scripts")
                .subcommand_required(true)
                .subcommand(
                    Command::new("run")
                        .about("Run a script on devices and wait for its job")
                        .arg(member(
                            "script",
                            "the script, by id or by file name (`junos-space api list-scripts` lists them)",
                        ))
                        .arg(id_list())
                        .arg(devices_filter())
                        .arg(params("a value for a parameter of the script (repeatable)"))
                        .arg(
                            Arg::new("script-version")
                                .long("script-version")
                                .value_name("VERSION")
                                .help("the version of the script to run (1.1); else the server's choice"),
                        )
                        .arg(deadline()),
                ),
        )
        .subcommand(
            Command::new("job")
                .about("Jobs")
                .subcommand_required(true)
                .subcommands(porcelain::resources::subcommands("job"))
                .subcommand(
                    Command::new("wait")
                        .about("Wait for jobs to end, showing their progress")
                        .arg(job_ids().num_args(1..))
                        .arg(concurrency("32"))
                        .arg(deadline()),
                )
                .subcommand(
                    Command::new("cancel")
                        .about("Cancel a job that waits for its schedule (a running one cannot be)")
                        .arg(job_ids()),
                )
                .subcommand(
                    Command::new("result")
                        .about("A job's result: its progress-update")
                        .arg(job_ids()),
                ),
        )
        .subcommand(
            Command::new("login")
                .about("Open a session and keep it for later runs' reads (owner-only file)")
                .long_about(
                    "Open a session with the password and keep its cookie, in a file only you can \
                     read, for later runs against the same server and user: they read without \
                     the password. Changes still need it: Junos Space's asynchronous calls want \
                     the password, not the session.",
                ),
        )
        .subcommand(Command::new("logout").about("End the kept session on the server and delete it"))
        .subcommand(
            Command::new("profile")
                .about("The config file's profiles (no server needed)")
                .subcommand_required(true)
                .subcommand(Command::new("list").about("Every profile, and which is the default"))
                .subcommand(
                    Command::new("use")
                        .about("Make a profile the default")
                        .arg(
                            Arg::new("name")
                                .value_name("PROFILE")
                                .required(true)
                                .add(clap_complete::engine::ArgValueCompleter::new(
                                    profile_candidates,
                                )),
                        ),
                ),
        )
        .subcommand(
            Command::new("tags")
                .about("Tags: list, look at, create, delete, and tag devices with")
                .subcommand_required(true)
                .subcommands(porcelain::resources::subcommands("tags")),
        )
        .subcommand(
            Command::new("package")
                .about("Software packages")
                .subcommand_required(true)
                .subcommands(porcelain::resources::subcommands("package")),
        )
        .subcommand(porcelain::sd::command())
        .subcommand(api)
        .subcommand(
            Command::new("completions")
                .about("Print a completion script for a shell")
                .arg(
                    Arg::new("shell")
                        .required(true)
                        .value_parser(value_parser!(clap_complete::Shell)),
                ),
        )
}

fn job_ids() -> Arg {
    Arg::new("job")
        .value_name("JOB")
        .required(true)
        .value_parser(value_parser!(i64))
        .help("a job's id, as `rpc`, `deploy` and `api ... --wait` print it")
}

fn global_args() -> Vec<Arg> {
    let text = |id: &'static str, value: &'static str, help: &'static str| {
        Arg::new(id)
            .long(id)
            .value_name(value)
            .global(true)
            .help(help)
    };
    vec![
        text("profile", "NAME", "the config file's profile to use").add(
            clap_complete::engine::ArgValueCompleter::new(profile_candidates),
        ),
        text("url", "URL", "the server: https://space.example.com"),
        text("user", "NAME", "the account"),
        text(
            "password-file",
            "PATH",
            "read the password from the first line of PATH",
        )
        .value_parser(value_parser!(PathBuf)),
        text(
            "cacert",
            "PATH",
            "also trust the CA certificate(s) in this PEM file",
        )
        .value_parser(value_parser!(PathBuf)),
        Arg::new("insecure")
            .long("insecure")
            .global(true)
            .action(ArgAction::SetTrue)
            .help("do not verify the server's certificate (a lab server only)"),
        Arg::new(crate::operations::DRY_RUN)
            .long(crate::operations::DRY_RUN)
            .global(true)
            .action(ArgAction::SetTrue)
            .help("print the requests that would change the server, secrets masked, and send none"),
        Arg::new("verbose")
            .long("verbose")
            .short('v')
            .global(true)
            .action(ArgAction::SetTrue)
            .help("show each HTTP exchange on stderr: method, path, status, attempts, time"),
        Arg::new("yes")
            .long("yes")
            .global(true)
            .action(ArgAction::SetTrue)
            .help("go ahead without asking: a change to several devices, a delete"),
        text(
            "timeout",
            "SECONDS",
            "how long one request may take [default: 120]",
        )
        .value_parser(value_parser!(u64).range(1..)),
        text(
            "output",
            "FORMAT",
            "table, json, ndjson or yaml [default: table on a terminal, else ndjson]",
        )
        .value_parser(Format::NAMES),
        text(
            "fields",
            "FIELD[,FIELD...]",
            "print only these fields of each record, in this order (every format)",
        ),
    ]
}

/// The config file's profiles whose names start with what was typed.
fn profile_candidates(typed: &std::ffi::OsStr) -> Vec<clap_complete::engine::CompletionCandidate> {
    let typed = typed.to_string_lossy();
    crate::settings::profile_names()
        .into_iter()
        .filter(|name| name.starts_with(typed.as_ref()))
        .map(clap_complete::engine::CompletionCandidate::new)
        .collect()
}

/// The script that registers `junos-space`'s completions with `shell`: it asks the binary
/// itself (`COMPLETE=shell junos-space -- WORDS`), so completion reaches every subcommand and
/// flag, and the config file's profile names.
pub fn completion_script(shell: clap_complete::Shell) -> Result<String, Failure> {
    let name = shell.to_string();
    let shells = clap_complete::env::Shells::builtins();
    let completer = shells
        .completer(&name)
        .ok_or_else(|| Failure::Usage(format!("no completion for {name}")))?;
    // The binary that runs now, so that completion works whether or not it is on PATH.
    let binary = std::env::current_exe()
        .map(|path| path.display().to_string())
        .unwrap_or_else(|_| "junos-space".to_owned());
    let mut script = Vec::new();
    completer
        .write_registration(
            "COMPLETE",
            "junos-space",
            "junos-space",
            &binary,
            &mut script,
        )
        .map_err(crate::exit::printing)?;
    String::from_utf8(script).map_err(|error| Failure::Usage(error.to_string()))
}

/// Runs what `matches` asks for, printing to stdout as `--output` says.
pub async fn run(operations: &Operations, matches: &ArgMatches) -> Result<(), Failure> {
    let format = format_of(matches);
    let flags = Flags {
        profile: matches.get_one::<String>("profile").cloned(),
        url: matches.get_one::<String>("url").cloned(),
        user: matches.get_one::<String>("user").cloned(),
        password_file: matches.get_one::<PathBuf>("password-file").cloned(),
        cacert: matches.get_one::<PathBuf>("cacert").cloned(),
        insecure: matches.get_flag("insecure"),
        timeout: matches
            .get_one::<u64>("timeout")
            .map(|s| Duration::from_secs(*s)),
    };
    match matches.subcommand_name() {
        Some("login") => return porcelain::login::login(&flags).await,
        Some("logout") => return porcelain::login::logout(&flags).await,
        _ => {}
    }
    let settings = Settings::resolve(&flags, &|name| std::env::var(name).ok(), &terminal_prompt)?;
    let client = settings.client()?;
    let ran = dispatch(operations, matches, format, &client).await;
    let session_only = settings.password.is_none();
    ran.map_err(|failure| {
        let failure = failure.hinted_for(&settings.url);
        if session_only {
            failure.hinted_for_session()
        } else {
            failure
        }
    })
}

/// Runs the command `matches` names with `client`, printing as `format` says.
async fn dispatch(
    operations: &Operations,
    matches: &ArgMatches,
    format: Format,
    client: &junos_space::Client,
) -> Result<(), Failure> {
    let (name, sub) = matches
        .subcommand()
        .ok_or_else(|| Failure::Usage("no command".into()))?;
    let mut output = Output::new(format);
    if let Some(fields) = matches.get_one::<String>("fields") {
        let fields = fields.split(',').map(|f| f.trim().to_owned());
        output = output.fields(fields.filter(|f| !f.is_empty()).collect());
    }
    if let Some((verb, args)) = sub.subcommand()
        && let Some(one) = porcelain::resources::prints_one(operations, name, verb)
    {
        if one {
            output = output.single();
        }
        let outcome =
            porcelain::resources::run(client, operations, (name, verb), args, &mut output).await;
        return finish(outcome, output);
    }
    let run = run_of(sub);
    let outcome = match name {
        "devices" => {
            output = output.table_columns(porcelain::devices::TABLE);
            let list = sub
                .subcommand_matches("list")
                .ok_or_else(|| Failure::Usage("devices: no command".into()))?;
            let filter = list.get_one::<String>("filter").map(String::as_str);
            let sort: Vec<String> = strings(list, "sort");
            let page_size = list.get_one::<u64>("page-size").copied().unwrap_or(500);
            porcelain::devices::list(client, filter, &sort, page_size, &mut output).await
        }
        "rpc" => {
            output = output.table_columns(porcelain::rpc::TABLE);
            let devices = targets(client, sub).await?;
            let rpcs = strings(sub, "rpc");
            if sub.get_flag(crate::operations::DRY_RUN) {
                return porcelain::rpc::dry_run(client, operations, &devices, &rpcs);
            }
            porcelain::rpc::run(client, devices, &rpcs, &run, &mut output).await
        }
        "deploy" => {
            let devices = targets(client, sub).await?;
            let package = *sub
                .get_one::<i64>("package")
                .ok_or_else(|| Failure::Usage("--package is required".into()))?;
            let options = porcelain::deploy::options(&strings(sub, "option"))?;
            let jam = sub.get_flag("jam");
            let dry_run = sub.get_flag(crate::operations::DRY_RUN);
            porcelain::go_ahead_on(
                &format!("deploy package {package} to"),
                &devices,
                sub.get_flag("yes"),
                dry_run,
            )?;
            let deploy = porcelain::deploy::Deploy {
                package,
                devices: &devices,
                jam,
                options,
                deadline: porcelain::wait::deadline_of(sub),
                dry_run,
            };
            porcelain::deploy::run(client, operations, deploy, &mut output).await
        }
        "configlet" => {
            let apply = sub
                .subcommand_matches("apply")
                .ok_or_else(|| Failure::Usage("configlet: no command".into()))?;
            output = output.table_columns(porcelain::configlet::TABLE);
            let params = porcelain::params(&strings(apply, "param"))?;
            let given = apply
                .get_one::<String>("configlet")
                .ok_or_else(|| Failure::Usage("a configlet is needed".into()))?;
            let configlet = porcelain::configlet::id(client, given).await?;
            let devices = targets(client, apply).await?;
            let dry_run = apply.get_flag(crate::operations::DRY_RUN);
            porcelain::go_ahead_on(
                &format!(
                    "apply configlet {} to",
                    porcelain::labelled(given, configlet)
                ),
                &devices,
                apply.get_flag("yes"),
                dry_run,
            )?;
            if dry_run {
                return porcelain::configlet::dry_run(
                    client, operations, configlet, &devices, &params,
                );
            }
            let run = run_of(apply);
            porcelain::configlet::run(client, configlet, devices, &params, &run, &mut output).await
        }
        "script" => {
            let script_run = sub
                .subcommand_matches("run")
                .ok_or_else(|| Failure::Usage("script: no command".into()))?;
            let params = porcelain::params(&strings(script_run, "param"))?;
            let given = script_run
                .get_one::<String>("script")
                .ok_or_else(|| Failure::Usage("a script is needed".into()))?;
            let script = porcelain::script::id(client, given).await?;
            let devices = targets(client, script_run).await?;
            let dry_run = script_run.get_flag(crate::operations::DRY_RUN);
            porcelain::go_ahead_on(
                &format!("run script {} on", porcelain::labelled(given, script)),
                &devices,
                script_run.get_flag("yes"),
                dry_run,
            )?;
            let run = porcelain::script::ScriptRun {
                script,
                devices: &devices,
                params,
                version: script_run.get_one::<String>("script-version").cloned(),
                deadline: porcelain::wait::deadline_of(script_run),
                dry_run,
            };
            porcelain::script::run(client, operations, run, &mut output).await
        }
        "job" => {
            let (action, args) = sub
                .subcommand()
                .ok_or_else(|| Failure::Usage("job: no command".into()))?;
            let jobs: Vec<i64> = args
                .get_many::<i64>("job")
                .into_iter()
                .flatten()
                .copied()
                .collect();
            match (action, jobs.as_slice()) {
                ("wait", _) => {
                    let run = Run {
                        noun: "job",
                        cancel_scheduled: false,
                        ..run_of(args)
                    };
                    porcelain::job::wait(client, jobs, &run, &mut output).await
                }
                ("cancel", [job]) if args.get_flag(crate::operations::DRY_RUN) => {
                    let cancel = operations.operation("cancelJob")?;
                    let parameters =
                        serde_json::Map::from_iter([("job_id".to_owned(), (*job).into())]);
                    print!(
                        "{}",
                        operations.request_text(client, cancel, &parameters, None)
                    );
                    Ok(())
                }
                ("cancel", [job]) => {
                    output = output.single();
                    porcelain::job::cancel(client, *job, &mut output).await
                }
                ("result", [job]) => {
                    output = output.single();
                    porcelain::job::result(client, *job, &mut output).await
                }
                _ => Err(Failure::Usage(format!("job {action}: one job id"))),
            }
        }
        "sd" => porcelain::sd::run(client, operations, sub, &mut output).await,
        operations::GROUP => {
            let (operation, args) = sub
                .subcommand()
                .ok_or_else(|| Failure::Usage("api: no operation".into()))?;
            if !operations.lists(operation)? {
                output = output.single();
            }
            operations.run(client, operation, args, &mut output).await
        }
        other => Err(Failure::Usage(format!("unknown command `{other}`"))),
    };
    finish(outcome, output)
}

/// Prints what was gathered whatever the outcome (a run's failures are results too); a
/// failure with nothing gathered prints nothing, not an empty table or `[]`.
fn finish(outcome: Result<(), Failure>, output: Output) -> Result<(), Failure> {
    if outcome.is_err() && output.is_empty() {
        return outcome;
    }
    let printed = output.finish().map_err(crate::exit::printing);
    outcome.and(printed)
}

/// The format `--output` names, else the default.
fn format_of(matches: &ArgMatches) -> Format {
    matches
        .get_one::<String>("output")
        .and_then(|name| Format::from_name(name))
        .unwrap_or_else(default_format)
}

/// Runs a command that needs no server (`profile list | use`); `None` for any other.
pub fn run_without_server(matches: &ArgMatches) -> Option<Result<(), Failure>> {
    let Some(("profile", sub)) = matches.subcommand() else {
        return None;
    };
    Some(match sub.subcommand() {
        Some(("list", _)) => {
            let mut output = Output::new(format_of(matches));
            let listed = crate::profiles::list(&mut output);
            finish(listed, output)
        }
        Some(("use", args)) => match args.get_one::<String>("name") {
            Some(name) => crate::profiles::use_profile(name).map(|said| eprintln!("{said}")),
            None => Err(Failure::Usage("profile use: a profile's name".into())),
        },
        _ => Err(Failure::Usage("profile: list or use".into())),
    })
}

/// A table for people on a terminal; NDJSON for scripts and files.
fn default_format() -> Format {
    use std::io::IsTerminal as _;
    if std::io::stdout().is_terminal() {
        Format::Table
    } else {
        Format::Ndjson
    }
}

fn strings(matches: &ArgMatches, id: &str) -> Vec<String> {
    matches
        .try_get_many::<String>(id)
        .ok()
        .flatten()
        .into_iter()
        .flatten()
        .cloned()
        .collect()
}

/// The run settings of a command with `--concurrency` and `--deadline`.
fn run_of(matches: &ArgMatches) -> Run {
    let concurrency = matches
        .try_get_one::<u16>("concurrency")
        .ok()
        .flatten()
        .copied()
        .unwrap_or(16);
    Run {
        concurrency: usize::from(concurrency),
        timeout: porcelain::wait::deadline_of(matches),
        noun: "device",
        cancel_scheduled: true,
    }
}

/// The devices `--device` and `--devices-filter` name, for a command that changes them.
async fn targets(client: &junos_space::Client, matches: &ArgMatches) -> Result<Vec<i64>, Failure> {
    porcelain::password_for_changes(client)?;
    let ids = strings(matches, "device");
    let filter = matches
        .get_one::<String>("devices-filter")
        .map(String::as_str);
    porcelain::devices(client, &ids, filter).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_tree_is_well_formed_and_names_no_command_twice() {
        let operations = Operations::bundled().expect("the bundled spec");
        let command = build(operations.command());
        command.clone().debug_assert();
        let mut names: Vec<&str> = command.get_subcommands().map(Command::get_name).collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(names.len(), before);
    }

    /// What a run without `api` reads of the tree is the same whether or not the spec was read
    /// for it: the help, and every command but `api`.
    #[test]
    fn the_tree_without_the_operations_says_the_same_outside_api() {
        let operations = Operations::bundled().expect("the bundled spec");
        let mut full = build(operations.command());
        let mut lean = build(operations::group());
        assert_eq!(
            full.render_long_help().to_string(),
            lean.render_long_help().to_string()
        );
        let outside_api = |command: &Command| -> Vec<String> {
            command
                .get_subcommands()
                .filter(|sub| sub.get_name() != operations::GROUP)
                .map(|sub| format!("{sub:?}"))
                .collect()
        };
        assert_eq!(outside_api(&full), outside_api(&lean));
        let api_of = |command: &Command| {
            command
                .find_subcommand(operations::GROUP)
                .map(|api| api.get_subcommands().count())
        };
        assert_eq!(api_of(&lean), Some(0));
        assert_eq!(api_of(&full), Some(operations.api().operations().len()));
    }

    /// A flag that names a file holding a password (`--password-file`, `--ssh-password-file`)
    /// is the one kind of flag about passwords there may be.
    #[test]
    fn no_flag_takes_a_password() {
        let operations = Operations::bundled().expect("the bundled spec");
        fn walk(command: &Command, found: &mut Vec<String>) {
            for arg in command.get_arguments() {
                if let Some(long) = arg.get_long()
                    && long.contains("password")
                    && !long.ends_with("password-file")
                {
                    found.push(format!("{} --{long}", command.get_name()));
                }
            }
            for sub in command.get_subcommands() {
                walk(sub, found);
            }
        }
        let mut found = Vec::new();
        walk(&build(operations.command()), &mut found);
        assert!(found.is_empty(), "{found:?}");
    }
}
