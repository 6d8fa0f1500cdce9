//! Requests per second the simulator holds from concurrent clients, and how many fail.
//!
//! `cargo bench -p junos-space-simulator --bench throughput` (release). Environment:
//! `SIMULATOR_BENCH_CLIENTS` (default 64), `SIMULATOR_BENCH_SECONDS` (default 10),
//! `SIMULATOR_BENCH_DEVICES` (default 100000). Each client has its own connection and loops
//! over a page of devices, one device, one device's configuration and the configlets, with
//! Basic auth and the exact vendor `Accept`. Exits non-zero if any request failed.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use junos_space_simulator::{Config, Credentials, Simulator};

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

const DEVICES_TYPE: &str =
    "application/vnd.net.juniper.space.device-management.devices+json;version=2";
const DEVICE_TYPE: &str =
    "application/vnd.net.juniper.space.device-management.device+json;version=2";
const CONFIGURATION_TYPE: &str =
    "application/vnd.net.juniper.space.device-management.device-configuration+json;version=1";
const CONFIGLETS_TYPE: &str =
    "application/vnd.net.juniper.space.configuration-management.cli-configlets+json;version=1";
/// Keys of generated devices start here.
const FIRST_DEVICE_KEY: u64 = 131_072;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a Tokio runtime");
    let failed = runtime.block_on(run());
    if failed {
        std::process::exit(1);
    }
}

async fn run() -> bool {
    let clients = setting("SIMULATOR_BENCH_CLIENTS", 64);
    let seconds = setting("SIMULATOR_BENCH_SECONDS", 10);
    let devices = setting("SIMULATOR_BENCH_DEVICES", 100_000).max(1);
    let config = Config {
        devices: Some(devices as usize),
        ..Config::default()
    };
    let simulator = Simulator::start(config)
        .await
        .expect("the simulator starts");
    let api = simulator.api_url();
    let account = Credentials::default();
    let ok = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for client_number in 0..clients {
        let (api, account, ok, errors) = (api.clone(), account.clone(), ok.clone(), errors.clone());
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::builder()
                .pool_max_idle_per_host(1)
                .build()
                .expect("a client");
            let mut round = client_number;
            while Instant::now() < deadline {
                round += 1;
                let key = FIRST_DEVICE_KEY + round.wrapping_mul(7919) % devices;
                let start = round.wrapping_mul(104_729) % devices;
                let (path, accept) = match round % 4 {
                    0 => (
                        format!(
                            "/device-management/devices?paging=(start eq {start}, limit eq 10)"
                        ),
                        DEVICES_TYPE,
                    ),
                    1 => (format!("/device-management/devices/{key}"), DEVICE_TYPE),
                    2 => (
                        format!("/device-management/devices/{key}/configurations/raw"),
                        CONFIGURATION_TYPE,
                    ),
                    _ => (
                        "/configuration-management/cli-configlets".to_owned(),
                        CONFIGLETS_TYPE,
                    ),
                };
                let answer = client
                    .get(format!("{api}{path}"))
                    .basic_auth(&account.user, Some(&account.password))
                    .header("accept", accept)
                    .send()
                    .await;
                let good = match answer {
                    Ok(response) if response.status().is_success() => {
                        response.bytes().await.is_ok()
                    }
                    _ => false,
                };
                if good { &ok } else { &errors }.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for task in tasks {
        task.await.expect("a client task ends");
    }
    let elapsed = started.elapsed().as_secs_f64();
    let (ok, errors) = (ok.load(Ordering::Relaxed), errors.load(Ordering::Relaxed));
    println!(
        "simulator throughput: {} requests in {elapsed:.1} s = {:.0} requests/s from {clients} \
         concurrent clients, {errors} errors ({devices} devices)",
        ok + errors,
        (ok + errors) as f64 / elapsed,
    );
    simulator.shutdown().await;
    errors > 0
}
