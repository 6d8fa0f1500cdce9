//! `junos-space rpc` over many simulated devices: wall time against the floor (devices /
//! concurrency × job time) and the HTTP requests each job costs.
//!
//!     cargo bench -p junos-space-cli --bench fan_out
//!
//! `FAN_OUT_DEVICES` (1000), `FAN_OUT_CONCURRENCY` (32) and `FAN_OUT_JOB_MS` (1000) change the
//! load. The simulator runs in this process; the command line is the release binary.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use junos_space_simulator::{Config, JobOutcome, JobSettings, Simulator};

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let devices = setting("FAN_OUT_DEVICES", 1_000);
    let concurrency = setting("FAN_OUT_CONCURRENCY", 32);
    let job = Duration::from_millis(setting("FAN_OUT_JOB_MS", 1_000));
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let simulator = runtime
        .block_on(Simulator::start(Config {
            devices: Some(devices as usize),
            jobs: JobSettings {
                duration: job,
                outcome: JobOutcome::Success,
                schedule_minute: Duration::from_secs(60),
            },
            ..Config::default()
        }))
        .expect("the simulator starts");
    let account = &simulator.config().credentials[0];
    let started = Instant::now();
    let before = simulator.requests();
    let output = Command::new(env!("CARGO_BIN_EXE_junos-space"))
        .args(["rpc", "--devices-filter", "name starts-with ''"])
        .args(["--rpc", "get-system-information", "--output", "ndjson"])
        .args(["--concurrency", &concurrency.to_string()])
        .env("JUNOS_SPACE_URL", simulator.base_url())
        .env("JUNOS_SPACE_USER", &account.user)
        .env("JUNOS_SPACE_PASSWORD", &account.password)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .expect("the command line runs");
    let wall = started.elapsed();
    let requests = simulator.requests() - before;
    assert!(output.status.success(), "{:?}", output.status);
    let results = String::from_utf8_lossy(&output.stdout).lines().count() as u64;
    assert_eq!(results, devices, "one result per device");
    let floor = job.as_secs_f64() * devices as f64 / concurrency as f64;
    // The listing's pages are not the jobs' cost.
    let pages = devices.div_ceil(500);
    let per_job = (requests - pages) as f64 / devices as f64;
    println!(
        "rpc over {devices} devices, concurrency {concurrency}, jobs of {} ms",
        job.as_millis()
    );
    println!(
        "wall {:.2} s, floor {floor:.2} s, ratio {:.3}",
        wall.as_secs_f64(),
        wall.as_secs_f64() / floor
    );
    println!(
        "{requests} requests: {per_job:.2} per job (the call, the job's reads, its progress-update), {pages} listing pages"
    );
    runtime.block_on(simulator.shutdown());
}
