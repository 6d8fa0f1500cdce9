//! `junos-space-simulator`: serves a simulated Junos Space until Ctrl-C.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context as _, bail};
use junos_space_simulator::{Config, Credentials, Deviation, JobOutcome, Realism, Simulator};

const USAGE: &str = "\
Usage: junos-space-simulator [OPTIONS]

Serves spec/ at http://HOST:PORT/api/space from in-memory state.

Options:
  --host IP                    address to listen on [default: 127.0.0.1]
  --port N                     port to listen on; 0 picks one [default: 8443]
  --spec PATH                  OpenAPI document [default: the bundled spec/junos-space.yaml]
  --fixture PATH               seed data, JSON [default: crates/simulator/fixtures/default.json]
  --devices N                  replace the fixture's devices with N generated ones
  --seed N                     seed of generated data and fault dice
  --user NAME --password PW    the account to accept [default: super / juniper123]
  --job-seconds S              how long a job runs [default: 3]
  --job-outcome success|failure
  --schedule-minute-seconds S  how long one minute of schedule=(after(HH MM)) lasts [default: 60]
  --strict                     answers valid against the schemas (no real-server quirks)
  --latency-ms N               fault: delay every answer
  --error-share F              fault: share (0..1) of 5xx answers
  --drop-share F               fault: share (0..1) of dropped connections
  --deviation NAME             break the spec on purpose (repeatable): wrong-response-version,
                               missing-required-field, undocumented-status, ignore-accept,
                               accept-any-content-type, sibling-media-type, ignore-paging,
                               miscount-collection, ignore-filter, any-password,
                               echo-password, lenient-queries, task-href-nowhere,
                               keep-deleted, job-for-unknown-id, accept-invalid-body,
                               discovery-adds-nothing, serve-older-versions
  -h, --help                   this text
";

fn parse_args(mut args: impl Iterator<Item = String>) -> anyhow::Result<Option<Config>> {
    let mut config = Config::default();
    let mut host = IpAddr::V4(Ipv4Addr::LOCALHOST);
    let mut port = 8443;
    let mut user = None;
    let mut password = None;
    while let Some(flag) = args.next() {
        if flag == "-h" || flag == "--help" {
            return Ok(None);
        }
        if flag == "--strict" {
            config.realism = Realism::schema_strict();
            continue;
        }
        let value = args
            .next()
            .with_context(|| format!("{flag} needs a value"))?;
        let number = |what: &str| -> anyhow::Result<f64> {
            value
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite() && *n >= 0.0)
                .with_context(|| format!("{flag}: `{value}` is not a {what}"))
        };
        let share = || -> anyhow::Result<f64> {
            let share = number("share")?;
            if share > 1.0 {
                bail!("{flag}: a share is between 0 and 1");
            }
            Ok(share)
        };
        match flag.as_str() {
            "--host" => host = value.parse().with_context(|| format!("--host `{value}`"))?,
            "--port" => port = value.parse().with_context(|| format!("--port `{value}`"))?,
            "--spec" => config.spec = Some(PathBuf::from(&value)),
            "--fixture" => config.fixture = Some(PathBuf::from(&value)),
            "--devices" => {
                config.devices = Some(
                    value
                        .parse()
                        .with_context(|| format!("--devices `{value}`"))?,
                )
            }
            "--seed" => config.seed = value.parse().with_context(|| format!("--seed `{value}`"))?,
            "--user" => user = Some(value),
            "--password" => password = Some(value),
            "--job-seconds" => config.jobs.duration = Duration::from_secs_f64(number("number")?),
            "--job-outcome" => {
                config.jobs.outcome = match value.as_str() {
                    "success" => JobOutcome::Success,
                    "failure" => JobOutcome::Failure,
                    _ => bail!("--job-outcome is success or failure, not `{value}`"),
                }
            }
            "--schedule-minute-seconds" => {
                config.jobs.schedule_minute = Duration::from_secs_f64(number("number")?)
            }
            "--latency-ms" => {
                config.faults.latency = Duration::from_secs_f64(number("number")? / 1000.0)
            }
            "--error-share" => config.faults.server_error_share = share()?,
            "--drop-share" => config.faults.dropped_connection_share = share()?,
            "--deviation" => {
                config.deviations.insert(value.parse::<Deviation>()?);
            }
            _ => bail!("unknown option {flag}\n\n{USAGE}"),
        }
    }
    match (user, password) {
        (Some(user), Some(password)) => config.credentials = vec![Credentials::new(user, password)],
        (None, None) => {}
        _ => bail!("--user and --password go together"),
    }
    config.address = SocketAddr::new(host, port);
    Ok(Some(config))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let Some(config) = parse_args(std::env::args().skip(1))? else {
        print!("{USAGE}");
        return Ok(());
    };
    let users: Vec<_> = config.credentials.iter().map(|c| c.user.clone()).collect();
    let simulator = Simulator::start(config)
        .await
        .context("the simulator did not start")?;
    let settings = simulator.config();
    eprintln!(
        "Junos Space simulator at {} (users: {}; {} realism; faults: {:?}; deviations: {:?})",
        simulator.api_url(),
        users.join(", "),
        if settings.realism == Realism::real_server() {
            "real-server"
        } else {
            "schema-strict"
        },
        settings.faults,
        settings.deviations,
    );
    tokio::signal::ctrl_c()
        .await
        .context("cannot wait for Ctrl-C")?;
    simulator.shutdown().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> anyhow::Result<Option<Config>> {
        parse_args(args.iter().map(|a| (*a).to_owned()))
    }

    #[test]
    fn options_reach_the_configuration() {
        let config = parse(&[
            "--port",
            "0",
            "--devices",
            "100000",
            "--strict",
            "--error-share",
            "0.1",
            "--deviation",
            "ignore-accept",
            "--user",
            "u",
            "--password",
            "p",
        ])
        .expect("parses")
        .expect("not help");
        assert_eq!(config.address.port(), 0);
        assert_eq!(config.devices, Some(100_000));
        assert_eq!(config.realism, Realism::schema_strict());
        assert_eq!(config.faults.server_error_share, 0.1);
        assert!(config.deviations.contains(&Deviation::IgnoreAccept));
        assert_eq!(config.credentials, [Credentials::new("u", "p")]);
    }

    #[test]
    fn bad_options_are_named() {
        for (args, says) in [
            (&["--port"][..], "needs a value"),
            (&["--error-share", "2"][..], "between 0 and 1"),
            (&["--deviation", "nope"][..], "unknown deviation"),
            (&["--user", "u"][..], "go together"),
            (&["--frobnicate", "1"][..], "unknown option"),
        ] {
            let error = parse(args).expect_err("refused").to_string();
            assert!(error.contains(says), "{args:?}: {error}");
        }
        assert!(parse(&["--help"]).expect("parses").is_none());
    }
}
