//! `check-server`: checks a live Junos Space server against `spec/` and exits non-zero on any
//! failure.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use junos_space_conformance::server;
use junos_space_conformance::server::options::{Options, Strictness};
use junos_space_conformance::server::target::{Connection, Target};
use junos_space_model::{Api, BUNDLED_SPEC};
use junos_space_runtime::Credentials;

const USAGE: &str = "\
Usage: check-server [OPTIONS]

Checks a Junos Space server against spec/: status codes, answer media types, answer bodies
against the schema of their media type, and Accept/Content-Type negotiation per operation.
Only reads (GET) are sent unless --writes is given.

The password is read from JUNOS_SPACE_PASSWORD (or --password-file), never from the
command line.

Options:
  --url URL                 the server (https://space.example.com) [env: JUNOS_SPACE_URL]
  --user NAME               the account [env: JUNOS_SPACE_USER]
  --password-file PATH      read the password from this file instead of the environment
  --writes                  also send operations that change the server (POST, DELETE):
                            only against a server you may change
  --strict                  hold answers to the schemas literally (no real-server forms)
  --seed N                  seed of the request bodies of writes [default: the kit's seed]
  --path-param NAME=VALUE   value for a path parameter no collection lists (repeatable)
  --only OPERATION_ID       probe only this operation (repeatable)
  --junit PATH              also write JUnit XML here
  --spec PATH               OpenAPI document [default: the bundled spec/junos-space.yaml]
  --ca-cert PATH            trust this PEM CA too (repeatable)
  --insecure                do not verify the server's certificate
  --timeout-seconds N       per request [default: 120]
  --max-response-ms N       fail a probe whose answer takes longer than N ms
  --rate N                  send at most N requests a second (to spare a production server)
  --job-deadline-seconds N  how long a write's job may run before it is reported [default: 120]
  --versions N              also ask each versioned type at versions 1..N and report which the
                            server takes beside what spec/ names (release drift)
  -h, --help                this text

Each check knows where its expectation comes from. A server that breaks a documented fact
fails the probe (FAIL); one that differs only from a decision (the spec's x-decision, or
the kit's own, named with its row) gets a warning (WARN), which does not fail the run.

Exit status: 0 when no probe failed (warnings and skips allowed), 1 when one failed, 2 when
the check could not run.
";

/// Everything the command line and the environment say.
#[derive(Debug, Default)]
struct Arguments {
    url: Option<String>,
    user: Option<String>,
    password_file: Option<PathBuf>,
    spec: Option<PathBuf>,
    junit: Option<PathBuf>,
    connection: Connection,
    options: Options,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Option<Arguments>, String> {
    let mut parsed = Arguments::default();
    while let Some(flag) = args.next() {
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--writes" => parsed.options.writes = true,
            "--strict" => parsed.options.strictness = Strictness::Literal,
            "--insecure" => parsed.connection.accept_invalid_certificates = true,
            _ => {
                let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
                match flag.as_str() {
                    "--url" => parsed.url = Some(value),
                    "--user" => parsed.user = Some(value),
                    "--password-file" => parsed.password_file = Some(value.into()),
                    "--spec" => parsed.spec = Some(value.into()),
                    "--junit" => parsed.junit = Some(value.into()),
                    "--ca-cert" => parsed.connection.ca_certificates.push(value.into()),
                    "--only" => parsed.options.only.push(value),
                    "--seed" => {
                        parsed.options.seed = value
                            .parse()
                            .map_err(|_| format!("--seed `{value}` is not a number"))?;
                    }
                    "--timeout-seconds" => {
                        let seconds = positive(&flag, &value)?;
                        parsed.connection.timeout = Some(Duration::from_secs(seconds));
                    }
                    "--max-response-ms" => {
                        let millis = positive(&flag, &value)?;
                        parsed.options.max_response = Some(Duration::from_millis(millis));
                    }
                    "--job-deadline-seconds" => {
                        let seconds = positive(&flag, &value)?;
                        parsed.options.job_deadline = Duration::from_secs(seconds);
                    }
                    "--versions" => {
                        let highest: u64 = value
                            .parse()
                            .ok()
                            .filter(|n| (1..=20).contains(n))
                            .ok_or_else(|| format!("--versions `{value}` is not 1 to 20"))?;
                        parsed.options.versions = Some(highest);
                    }
                    "--rate" => {
                        let rate: f64 = value
                            .parse()
                            .ok()
                            .filter(|r: &f64| r.is_finite() && *r > 0.0)
                            .ok_or_else(|| format!("--rate `{value}` is not a positive number"))?;
                        parsed.connection.max_rate = Some(rate);
                    }
                    "--path-param" => {
                        let (name, id) = value
                            .split_once('=')
                            .filter(|(name, id)| !name.is_empty() && !id.is_empty())
                            .ok_or_else(|| format!("--path-param `{value}` is not NAME=VALUE"))?;
                        parsed
                            .options
                            .path_values
                            .insert(name.to_owned(), id.to_owned());
                    }
                    _ => return Err(format!("unknown option `{flag}` (see --help)")),
                }
            }
        }
    }
    Ok(Some(parsed))
}

/// The value of `flag`, a whole number above zero.
fn positive(flag: &str, value: &str) -> Result<u64, String> {
    value
        .parse()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("{flag} `{value}` is not a whole number above 0"))
}

/// The target and the model of the API, or why not.
fn prepare(
    arguments: &Arguments,
    environment: &BTreeMap<String, String>,
) -> Result<(Target, Api), String> {
    let from_env = |name: &str| environment.get(name).filter(|v| !v.is_empty()).cloned();
    let url = arguments
        .url
        .clone()
        .or_else(|| from_env("JUNOS_SPACE_URL"))
        .ok_or("no server: give --url or set JUNOS_SPACE_URL")?;
    let user = arguments
        .user
        .clone()
        .or_else(|| from_env("JUNOS_SPACE_USER"))
        .ok_or("no account: give --user or set JUNOS_SPACE_USER")?;
    let password = match &arguments.password_file {
        Some(path) => std::fs::read_to_string(path)
            .map(|text| text.trim_end_matches(['\r', '\n']).to_owned())
            .map_err(|e| format!("--password-file {}: {e}", path.display()))?,
        None => from_env("JUNOS_SPACE_PASSWORD")
            .ok_or("no password: set JUNOS_SPACE_PASSWORD or give --password-file")?,
    };
    let api = match &arguments.spec {
        Some(path) => Api::load(path),
        None => Api::from_yaml_str(BUNDLED_SPEC),
    }
    .map_err(|e| format!("spec: {e}"))?;
    // Reruns show the user as it was given: by name from --user, else as the variable.
    let connection = Connection {
        user_as_given: arguments.user.clone(),
        ..arguments.connection.clone()
    };
    let target = Target::new(&url, Credentials::new(user, password), &connection)
        .map_err(|e| e.to_string())?;
    Ok((target, api))
}

fn main() -> ExitCode {
    let arguments = match parse(std::env::args().skip(1)) {
        Ok(Some(arguments)) => arguments,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(why) => {
            eprintln!("check-server: {why}");
            return ExitCode::from(2);
        }
    };
    let environment: BTreeMap<String, String> = std::env::vars().collect();
    let (target, api) = match prepare(&arguments, &environment) {
        Ok(prepared) => prepared,
        Err(why) => {
            eprintln!("check-server: {why}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("check-server: no async runtime: {error}");
            return ExitCode::from(2);
        }
    };
    if arguments.options.writes {
        // What will change, said before anything does.
        let writes = runtime.block_on(server::preview_writes(&api, &target, &arguments.options));
        eprintln!("check-server --writes will send, each once:");
        for write in writes {
            eprintln!("  {write}");
        }
    }
    let report = match runtime.block_on(server::check_server(&api, &target, &arguments.options)) {
        Ok(report) => report,
        Err(error) => {
            eprintln!("check-server: {error}");
            return ExitCode::from(2);
        }
    };
    print!("{}", report.summary());
    if let Some(path) = &arguments.junit
        && let Err(error) = std::fs::write(path, report.junit_xml())
    {
        eprintln!("check-server: --junit {}: {error}", path.display());
        return ExitCode::from(2);
    }
    if report.is_success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> impl Iterator<Item = String> {
        line.split_whitespace()
            .map(str::to_owned)
            .collect::<Vec<_>>()
            .into_iter()
    }

    #[test]
    fn flags_are_read() {
        let parsed = parse(args(
            "--url http://127.0.0.1:9 --writes --strict --seed 42 --path-param package_id=131074 \
             --only getDevice --junit out.xml --timeout-seconds 5 --versions 3",
        ))
        .expect("parses")
        .expect("not help");
        assert_eq!(parsed.url.as_deref(), Some("http://127.0.0.1:9"));
        assert!(parsed.options.writes);
        assert_eq!(parsed.options.strictness, Strictness::Literal);
        assert_eq!(parsed.options.seed, 42);
        assert_eq!(parsed.options.path_values["package_id"], "131074");
        assert_eq!(parsed.options.only, ["getDevice"]);
        assert_eq!(parsed.connection.timeout, Some(Duration::from_secs(5)));
        assert_eq!(parsed.options.versions, Some(3));
        assert!(parse(args("--help")).expect("parses").is_none());
    }

    #[test]
    fn mistakes_are_named() {
        for (line, named) in [
            ("--seed x", "--seed `x`"),
            ("--versions 0", "--versions `0`"),
            (
                "--timeout-seconds 0",
                "--timeout-seconds `0` is not a whole number above 0",
            ),
            ("--max-response-ms x", "--max-response-ms `x`"),
            ("--path-param package_id", "NAME=VALUE"),
            ("--url", "--url needs a value"),
            ("--password hunter2", "unknown option `--password`"),
        ] {
            let error = parse(args(line)).expect_err(line);
            assert!(error.contains(named), "{line}: {error}");
        }
    }

    #[test]
    fn the_password_comes_from_the_environment_only() {
        let arguments = parse(args("--url http://127.0.0.1:9 --user super"))
            .expect("parses")
            .expect("not help");
        let mut environment = BTreeMap::new();
        let error = prepare(&arguments, &environment).expect_err("no password");
        assert!(error.contains("JUNOS_SPACE_PASSWORD"), "{error}");
        environment.insert("JUNOS_SPACE_PASSWORD".to_owned(), "s3cret-pw".to_owned());
        let (target, _) = prepare(&arguments, &environment).expect("prepared");
        assert_eq!(target.api_url(), "http://127.0.0.1:9/api/space");
        assert!(!format!("{target:?}").contains("s3cret-pw"));
    }
}
