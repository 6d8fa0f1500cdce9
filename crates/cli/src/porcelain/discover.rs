//! `devices discover`: the discovery body from a target as an operator writes it (a host
//! name, an address, a range `LOW-HIGH`, a subnet in CIDR) and the SSH account Junos Space
//! reaches the devices with. The account's password is never a flag, as the server's is not
//! (`settings`): a file, the environment, or a prompt on the terminal.

use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;

use clap::{Arg, ArgAction, ArgGroup, ArgMatches, value_parser};
use junos_space::types;

use crate::exit::Failure;

/// The variable holding the SSH password of the devices to discover.
pub const ENV_SSH_PASSWORD: &str = "JUNOS_SPACE_SSH_PASSWORD";

/// The discovery flags: one target, the SSH account, and ping.
pub fn args() -> Vec<Arg> {
    let target = |id: &'static str, value: &'static str, help: &'static str| {
        Arg::new(id)
            .long(id)
            .value_name(value)
            .group("target")
            .help(help)
    };
    vec![
        target("host", "NAME", "the device of this host name"),
        target("ip", "ADDR", "the device at this address"),
        target(
            "ip-range",
            "LOW-HIGH",
            "the devices from LOW to HIGH (192.0.2.10-192.0.2.20)",
        ),
        target(
            "subnet",
            "CIDR",
            "the devices of this IPv4 subnet (192.0.2.0/28)",
        ),
        Arg::new("ssh-user")
            .long("ssh-user")
            .value_name("NAME")
            .help("the SSH account Junos Space logs in to the devices with"),
        Arg::new("ssh-password-file")
            .long("ssh-password-file")
            .value_name("PATH")
            .requires("ssh-user")
            .value_parser(value_parser!(PathBuf))
            .help(
                "read the SSH account's password from the first line of PATH (else \
                 JUNOS_SPACE_SSH_PASSWORD, else asked on the terminal)",
            ),
        Arg::new("no-ping")
            .long("no-ping")
            .action(ArgAction::SetTrue)
            .help("do not ping first (devices that do not answer ICMP)"),
    ]
}

/// Exactly one target is required.
pub fn target_group() -> ArgGroup {
    ArgGroup::new("target").required(true).multiple(false)
}

/// The discovery `matches` ask for, the found devices brought under management. `env` looks
/// up a variable and `prompt` asks on the terminal (`None` when there is none to ask on),
/// as for the server's own password.
pub fn request(
    matches: &ArgMatches,
    env: &dyn Fn(&str) -> Option<String>,
    prompt: &dyn Fn(&str) -> Option<String>,
) -> Result<types::DiscoverDevicesRequest, Failure> {
    let given = |id: &str| matches.get_one::<String>(id).map(|text| text.trim());
    let mut request = if let Some(host) = given("host") {
        if host.is_empty() || host.contains(char::is_whitespace) {
            return Err(Failure::Usage(format!(
                "--host `{host}` is not a host name"
            )));
        }
        types::DiscoverDevicesRequest::host(host)
    } else if let Some(ip) = given("ip") {
        types::DiscoverDevicesRequest::ip(address("--ip", ip)?.to_string())
    } else if let Some(range) = given("ip-range") {
        let (low, high) = range_of(range)?;
        types::DiscoverDevicesRequest::ip_range(low.to_string(), high.to_string())
    } else if let Some(subnet) = given("subnet") {
        let (base, mask) = subnet_of(subnet)?;
        types::DiscoverDevicesRequest::subnet(base.to_string(), mask.to_string())
    } else {
        return Err(Failure::Usage(
            "give one of --host, --ip, --ip-range or --subnet".into(),
        ));
    };
    if let Some(user) = given("ssh-user") {
        let file = matches.get_one::<PathBuf>("ssh-password-file");
        let password = match (file, env(ENV_SSH_PASSWORD)) {
            (Some(file), _) => crate::settings::read_password(file)?,
            (None, Some(password)) => password,
            (None, None) => prompt(&format!("SSH password for {user} on the devices found: "))
                .ok_or_else(|| {
                    Failure::Usage(format!(
                        "no SSH password for --ssh-user {user}: give --ssh-password-file, set \
                         {ENV_SSH_PASSWORD}, or run on a terminal to be asked"
                    ))
                })?,
        };
        request = request.with_ssh_credential(user, password);
    }
    request.discover_devices.use_ping = Some(!matches.get_flag("no-ping"));
    request.discover_devices.manage_discovered_systems_flag = Some(true);
    Ok(request)
}

fn address(flag: &str, text: &str) -> Result<IpAddr, Failure> {
    text.parse()
        .map_err(|_| Failure::Usage(format!("{flag} `{text}` is not an IP address")))
}

/// `LOW-HIGH`: two addresses of one family, the first not above the second.
fn range_of(range: &str) -> Result<(IpAddr, IpAddr), Failure> {
    let (low, high) = range.split_once('-').ok_or_else(|| {
        Failure::Usage(format!(
            "--ip-range `{range}` is not LOW-HIGH (192.0.2.10-192.0.2.20)"
        ))
    })?;
    let (low, high) = (
        address("--ip-range", low.trim())?,
        address("--ip-range", high.trim())?,
    );
    if low.is_ipv4() != high.is_ipv4() || low > high {
        return Err(Failure::Usage(format!(
            "--ip-range `{range}`: LOW must come before HIGH, in one address family"
        )));
    }
    Ok((low, high))
}

/// `BASE/LENGTH` as the base address and its dotted mask (`192.0.2.0/28` → `192.0.2.0`,
/// `255.255.255.240`), refused when the base has host bits set, rather than sent as the
/// subnet it is not.
fn subnet_of(subnet: &str) -> Result<(Ipv4Addr, Ipv4Addr), Failure> {
    let wrong = || {
        Failure::Usage(format!(
            "--subnet `{subnet}` is not an IPv4 subnet in CIDR (192.0.2.0/28)"
        ))
    };
    let (base, length) = subnet.split_once('/').ok_or_else(wrong)?;
    let base: Ipv4Addr = base.trim().parse().map_err(|_| wrong())?;
    let length: u32 = length.trim().parse().map_err(|_| wrong())?;
    if length > 32 {
        return Err(wrong());
    }
    let mask = u32::MAX.checked_shl(32 - length).unwrap_or(0);
    let network = Ipv4Addr::from(u32::from(base) & mask);
    if network != base {
        return Err(Failure::Usage(format!(
            "--subnet `{subnet}` has host bits set: the subnet is {network}/{length}"
        )));
    }
    Ok((base, Ipv4Addr::from(mask)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn matches(words: &[&str]) -> ArgMatches {
        clap::Command::new("discover")
            .args(args())
            .group(target_group())
            .try_get_matches_from(std::iter::once("discover").chain(words.iter().copied()))
            .expect("valid flags")
    }

    fn no_env(_: &str) -> Option<String> {
        None
    }

    fn no_prompt(_: &str) -> Option<String> {
        None
    }

    fn body(words: &[&str]) -> Result<Value, Failure> {
        let request = request(&matches(words), &no_env, &no_prompt)?;
        Ok(serde_json::to_value(request).expect("serialises")["discover-devices"].clone())
    }

    #[test]
    fn each_target_is_written_as_the_spec_names_it() {
        let cases = [
            (
                &["--host", "mx-1"][..],
                json!({"hostNameDiscoveryTarget": {"hostName": "mx-1"}}),
            ),
            (
                &["--ip", "192.0.2.41"][..],
                json!({"ipAddressDiscoveryTarget": {"ipAddress": "192.0.2.41"}}),
            ),
            (
                &["--ip-range", "192.0.2.10-192.0.2.20"][..],
                json!({"ipRangeDiscoveryTarget": {"lowerIp": "192.0.2.10", "upperIp": "192.0.2.20"}}),
            ),
            (
                &["--subnet", "192.0.2.0/28"][..],
                json!({"ipSubnetDiscoveryTarget": {"baseIp": "192.0.2.0", "subnetMask": "255.255.255.240"}}),
            ),
        ];
        for (words, target) in cases {
            let mut expected = target.as_object().expect("an object").clone();
            expected.insert("usePing".into(), json!(true));
            expected.insert("manageDiscoveredSystemsFlag".into(), json!(true));
            assert_eq!(
                body(words).expect("valid"),
                Value::Object(expected),
                "{words:?}"
            );
        }
        assert_eq!(
            body(&["--ip", "192.0.2.41", "--no-ping"]).expect("valid")["usePing"],
            false
        );
        assert_eq!(
            body(&["--subnet", "0.0.0.0/0"]).expect("valid")["ipSubnetDiscoveryTarget"]["subnetMask"],
            "0.0.0.0"
        );
    }

    #[test]
    fn a_target_that_is_not_one_is_refused_naming_it() {
        for (words, says) in [
            (&["--ip", "192.0.2"][..], "not an IP address"),
            (
                &["--ip-range", "192.0.2.20-192.0.2.10"][..],
                "LOW must come before HIGH",
            ),
            (&["--ip-range", "192.0.2.10"][..], "not LOW-HIGH"),
            (
                &["--ip-range", "192.0.2.10-2001:db8::1"][..],
                "one address family",
            ),
            (
                &["--subnet", "192.0.2.5/24"][..],
                "the subnet is 192.0.2.0/24",
            ),
            (&["--subnet", "192.0.2.0/33"][..], "not an IPv4 subnet"),
            (&["--subnet", "2001:db8::/32"][..], "not an IPv4 subnet"),
            (&["--host", "a b"][..], "not a host name"),
        ] {
            let error = body(words).expect_err("refused");
            assert!(error.to_string().contains(says), "{words:?}: {error}");
        }
        let two = clap::Command::new("discover")
            .args(args())
            .group(target_group())
            .try_get_matches_from(["discover", "--ip", "192.0.2.1", "--host", "mx"]);
        assert!(two.is_err(), "one target only");
    }

    #[test]
    fn the_ssh_password_comes_from_a_file_the_environment_or_the_terminal_in_that_order() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let file = dir.path().join("ssh.pw");
        std::fs::write(&file, "from-file\n").expect("written");
        let file = file.to_str().expect("UTF-8");
        let env = |name: &str| (name == ENV_SSH_PASSWORD).then(|| "from-env".to_owned());
        let asked = |question: &str| {
            assert!(question.contains("admin"), "{question}");
            Some("typed".to_owned())
        };
        let password = |words: &[&str], env: &dyn Fn(&str) -> Option<String>| {
            let request = request(&matches(words), env, &asked).expect("valid");
            let credential = request
                .discover_devices
                .ssh_credential
                .expect("a credential");
            assert_eq!(credential.user_name.as_deref(), Some("admin"));
            credential.password.expect("a password")
        };
        let with_file = [
            "--ip",
            "192.0.2.41",
            "--ssh-user",
            "admin",
            "--ssh-password-file",
            file,
        ];
        assert_eq!(password(&with_file, &env), "from-file");
        let without = ["--ip", "192.0.2.41", "--ssh-user", "admin"];
        assert_eq!(password(&without, &env), "from-env");
        assert_eq!(password(&without, &no_env), "typed");
        // Nothing to ask on: refused, saying where a password may come from.
        let error = request(&matches(&without), &no_env, &no_prompt).expect_err("no password");
        assert!(error.to_string().contains(ENV_SSH_PASSWORD), "{error}");
        // No account, no credential: the server's own defaults.
        let bare = request(&matches(&["--ip", "192.0.2.41"]), &env, &no_prompt).expect("valid");
        assert!(bare.discover_devices.ssh_credential.is_none());
    }
}
