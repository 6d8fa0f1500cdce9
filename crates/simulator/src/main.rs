//! `junos-space-simulator`: serves a simulated Junos Space until Ctrl-C.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context as _, bail};
use junos_space_simulator::tls::Tls;
use junos_space_simulator::{Config, Credentials, Deviation, JobOutcome, Realism, Simulator};

const USAGE: &str = "\
Usage: junos-space-simulator [OPTIONS]

Serves spec/ at http://HOST:PORT/api/space (https:// with TLS) from in-memory state.

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
  --deviation NAME             break the spec on purpose (repeatable): {deviations}
  --tls-cert PATH --tls-key PATH
                               serve HTTPS with this PEM certificate chain and key
  --tls-throwaway-ca PATH      serve HTTPS with a certificate for HOST, localhost and 127.0.0.1
                               from a CA made at start, whose PEM is written to PATH (give it
                               to clients: check-server --ca-cert PATH)
  --list-deviations            print every deviation's name, one a line, and exit
  -h, --help                   this text
";

/// Where the deviation names start on their lines of the usage text, and where lines end.
const USAGE_INDENT: usize = 31;
const USAGE_WIDTH: usize = 94;

/// The usage text, with every deviation's name (so a new deviation needs no edit here).
fn usage() -> String {
    let mut names = String::new();
    let mut column =
        "  --deviation NAME             break the spec on purpose (repeatable): ".len();
    for (i, deviation) in Deviation::ALL.iter().enumerate() {
        let last = i + 1 == Deviation::ALL.len();
        let word = format!("{deviation}{}", if last { "" } else { "," });
        let space = usize::from(i > 0);
        if column + space + word.len() > USAGE_WIDTH {
            names.push('\n');
            names.push_str(&" ".repeat(USAGE_INDENT));
            column = USAGE_INDENT;
        } else if space > 0 {
            names.push(' ');
            column += 1;
        }
        names.push_str(&word);
        column += word.len();
    }
    USAGE.replace("{deviations}", &names)
}

/// Where the HTTPS certificate comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
enum TlsSource {
    Files {
        chain: PathBuf,
        key: PathBuf,
    },
    /// A throwaway CA, whose PEM goes to this path.
    ThrowawayCa(PathBuf),
}

impl TlsSource {
    /// The server's TLS settings; a throwaway CA's PEM is written out first.
    fn load(&self, host: IpAddr) -> anyhow::Result<Tls> {
        match self {
            Self::Files { chain, key } => {
                let read = |path: &PathBuf| {
                    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
                };
                Ok(Tls::from_pem(&read(chain)?, &read(key)?)?)
            }
            Self::ThrowawayCa(ca_path) => {
                let host = host.to_string();
                let (tls, ca) = Tls::throwaway(&[&host, "localhost", "127.0.0.1"])?;
                std::fs::write(ca_path, ca.certificate_pem)
                    .with_context(|| format!("cannot write {}", ca_path.display()))?;
                Ok(tls)
            }
        }
    }
}

fn parse_args(
    mut args: impl Iterator<Item = String>,
) -> anyhow::Result<Option<(Config, Option<TlsSource>)>> {
    let mut config = Config::default();
    let (mut tls_cert, mut tls_key, mut throwaway_ca) = (None, None, None);
    let mut host = IpAddr::V4(Ipv4Addr::LOCALHOST);
    let mut port = 8443;
    let mut user = None;
    let mut password = None;
    while let Some(flag) = args.next() {
        if flag == "-h" || flag == "--help" {
            return Ok(None);
        }
        if flag == "--list-deviations" {
            for deviation in Deviation::ALL {
                println!("{deviation}");
            }
            std::process::exit(0);
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
            "--tls-cert" => tls_cert = Some(PathBuf::from(&value)),
            "--tls-key" => tls_key = Some(PathBuf::from(&value)),
            "--tls-throwaway-ca" => throwaway_ca = Some(PathBuf::from(&value)),
            _ => bail!("unknown option {flag}\n\n{}", usage()),
        }
    }
    match (user, password) {
        (Some(user), Some(password)) => config.credentials = vec![Credentials::new(user, password)],
        (None, None) => {}
        _ => bail!("--user and --password go together"),
    }
    config.address = SocketAddr::new(host, port);
    let tls = match (tls_cert, tls_key, throwaway_ca) {
        (None, None, None) => None,
        (Some(chain), Some(key), None) => Some(TlsSource::Files { chain, key }),
        (None, None, Some(ca)) => Some(TlsSource::ThrowawayCa(ca)),
        (Some(_), Some(_), Some(_)) => {
            bail!("--tls-throwaway-ca makes its own certificate: no --tls-cert/--tls-key with it")
        }
        _ => bail!("--tls-cert and --tls-key go together"),
    };
    Ok(Some((config, tls)))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let Some((mut config, tls)) = parse_args(std::env::args().skip(1))? else {
        print!("{}", usage());
        return Ok(());
    };
    if let Some(source) = tls {
        config.tls = Some(source.load(config.address.ip())?);
    }
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
        Ok(parse_with_tls(args)?.map(|(config, _)| config))
    }

    fn parse_with_tls(args: &[&str]) -> anyhow::Result<Option<(Config, Option<TlsSource>)>> {
        parse_args(args.iter().map(|a| (*a).to_owned()))
    }

    #[test]
    fn tls_comes_from_files_or_a_throwaway_ca() {
        let tls = |args: &[&str]| parse_with_tls(args).expect("parses").expect("not help").1;
        assert_eq!(tls(&[]), None);
        assert_eq!(
            tls(&["--tls-cert", "c.pem", "--tls-key", "k.pem"]),
            Some(TlsSource::Files {
                chain: "c.pem".into(),
                key: "k.pem".into()
            })
        );
        let directory = tempfile::tempdir().expect("a temp dir");
        let ca = directory.path().join("ca.pem");
        let source = tls(&["--tls-throwaway-ca", ca.to_str().expect("UTF-8")]);
        assert_eq!(source, Some(TlsSource::ThrowawayCa(ca.clone())));
        source
            .expect("a source")
            .load(IpAddr::V4(Ipv4Addr::LOCALHOST))
            .expect("a certificate is made");
        let pem = std::fs::read_to_string(&ca).expect("the CA is written");
        assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"), "{pem}");
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
    fn the_usage_names_every_deviation_within_its_width() {
        let text = usage();
        for deviation in Deviation::ALL {
            assert!(text.contains(deviation.name()), "{deviation}");
        }
        assert!(!text.contains("{deviations}"));
        let naming = |line: &&str| Deviation::ALL.iter().any(|d| line.contains(d.name()));
        for line in text.lines().filter(naming) {
            assert!(line.len() <= USAGE_WIDTH, "{line}");
        }
    }

    #[test]
    fn bad_options_are_named() {
        for (args, says) in [
            (&["--port"][..], "needs a value"),
            (&["--error-share", "2"][..], "between 0 and 1"),
            (&["--deviation", "nope"][..], "unknown deviation"),
            (&["--user", "u"][..], "go together"),
            (&["--frobnicate", "1"][..], "unknown option"),
            (&["--tls-cert", "c.pem"][..], "go together"),
            (
                &[
                    "--tls-throwaway-ca",
                    "a",
                    "--tls-key",
                    "k",
                    "--tls-cert",
                    "c",
                ][..],
                "no --tls-cert",
            ),
        ] {
            let error = parse(args).expect_err("refused").to_string();
            assert!(error.contains(says), "{args:?}: {error}");
        }
        assert!(parse(&["--help"]).expect("parses").is_none());
    }
}
