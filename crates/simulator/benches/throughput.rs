//! Requests per second the simulator holds from concurrent clients, and how many fail.
//!
//! `cargo bench -p junos-space-simulator --bench throughput` (release). Environment:
//! `SIMULATOR_BENCH_CLIENTS` (default 64), `SIMULATOR_BENCH_SECONDS` (default 10),
//! `SIMULATOR_BENCH_DEVICES` (default 100000). Each client has its own connection and loops
//! over a page of devices, one device, one device's configuration and the configlets, with
//! Basic auth and the exact vendor `Accept` the bundled spec names. Exits non-zero if any
//! request failed, and says which statuses it got.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use junos_space_model::Spec;
use junos_space_simulator::{BUNDLED_SPEC, Config, Credentials, Simulator};

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The operations each client loops over, by operationId; path and `Accept` come from the
/// spec, so the bench follows it when a version changes.
const MIX: [&str; 4] = [
    "listDevices",
    "getDevice",
    "getDeviceConfiguration",
    "listConfiglets",
];

/// `(path template, Accept)` of each operation of [`MIX`].
fn mix() -> Vec<(String, String)> {
    let spec = Spec::from_yaml_str(BUNDLED_SPEC).expect("the bundled spec loads");
    let operations = spec.operations().expect("the bundled spec walks");
    MIX.iter()
        .map(|id| {
            let operation = operations
                .iter()
                .find(|o| o.operation_id == *id)
                .unwrap_or_else(|| panic!("the spec has no `{id}`"));
            let accept = operation.accept_header().expect("an Accept");
            (operation.path.clone(), accept)
        })
        .collect()
}

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
    // The first failure, so that a failing run says what failed.
    let first_failure = Arc::new(Mutex::new(None::<String>));
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let mix = Arc::new(mix());
    let mut tasks = Vec::new();
    for client_number in 0..clients {
        let (api, account, ok, errors) = (api.clone(), account.clone(), ok.clone(), errors.clone());
        let (mix, first_failure) = (mix.clone(), first_failure.clone());
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
                let (template, accept) = &mix[(round % 4) as usize];
                let mut path = template.replace("{device_id}", &key.to_string());
                if round % 4 == 0 {
                    path.push_str(&format!("?paging=(start eq {start}, limit eq 10)"));
                }
                let answer = client
                    .get(format!("{api}{path}"))
                    .basic_auth(&account.user, Some(&account.password))
                    .header("accept", accept)
                    .send()
                    .await;
                let failure = match answer {
                    Ok(response) if response.status().is_success() => {
                        response.bytes().await.err().map(|e| e.to_string())
                    }
                    Ok(response) => Some(format!("status {}", response.status())),
                    Err(error) => Some(error.to_string()),
                };
                let good = failure.is_none();
                if let Some(failure) = failure {
                    let mut first = first_failure.lock().unwrap_or_else(PoisonError::into_inner);
                    first.get_or_insert_with(|| format!("GET {path} (Accept {accept}): {failure}"));
                }
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
    if let Some(failure) = first_failure
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take()
    {
        println!("first failure: {failure}");
    }
    simulator.shutdown().await;
    errors > 0
}
