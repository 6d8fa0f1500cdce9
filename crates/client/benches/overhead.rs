//! Per-request overhead of `junos_space::Client` against a hand-written `reqwest` call with
//! the same headers, both on one keep-alive connection to a loopback server.
//!
//! `cargo bench -p junos-space --bench overhead` (release). Both send `GET
//! /api/space/device-management/devices` with the operation's vendor `Accept`, HTTP Basic
//! and the client's `User-Agent`, and decode the answer into `DeviceList`; the
//! server answers a pre-rendered page, so it costs both sides the same. The goal is that the
//! client stays within 2 % of the hand-written call on a one-device page. Before divan's
//! separate runs of each side, a paired comparison alternates the two sides round by round and
//! prints the ratio with its spread: load from elsewhere on a shared machine then lands on both
//! alike. `OVERHEAD_PROFILE` runs one side alone for a profiler (see [`profile`]).

mod support;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

use divan::Bencher;
use junos_space::Client;
use junos_space::api::builder::ListDevices;
use junos_space::prelude::*;
use junos_space::types::DeviceList;
use reqwest::header::ACCEPT;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

/// Members per answer: one (the fixed cost dominates) and a hundred (a usual page).
const PAGES: [usize; 2] = [1, 100];
const USER: &str = "super";
const PASSWORD: &str = "bench-password";
/// The builder's default, given to the hand-written client too.
const USER_AGENT: &str = concat!("junos-space-rust/", env!("CARGO_PKG_VERSION"));
const ACCEPTED: &str = match <ListDevices<'static> as junos_space::Operation>::ACCEPT {
    Some(accept) => accept,
    None => panic!("listDevices names its Accept"),
};

fn main() {
    let fixture = &*FIXTURE;
    if let Ok(side) = std::env::var("OVERHEAD_PROFILE") {
        return profile(fixture, &side);
    }
    // Outside timing: both sides send the same request line and headers, and both decode.
    fixture.server.recording.store(true, Ordering::SeqCst);
    for devices in PAGES {
        fixture.server.serve(devices);
        let by_client = fixture.runtime.block_on(fixture.through_client());
        let by_hand = fixture.runtime.block_on(fixture.by_hand());
        assert_eq!(by_client, by_hand);
        assert_eq!(by_client.devices.map(|d| d.device.len()), Some(devices));
    }
    fixture.server.recording.store(false, Ordering::SeqCst);
    let heads = std::mem::take(&mut *fixture.server.heads.lock().expect("not poisoned"));
    for pair in heads.chunks(2) {
        assert_eq!(normalised(&pair[0]), normalised(&pair[1]), "{heads:#?}");
        assert!(pair[0].contains(ACCEPTED), "{}", pair[0]);
    }
    for devices in PAGES {
        println!("{}", paired(fixture, devices));
    }
    divan::main();
}

/// `OVERHEAD_PROFILE=client` (or `by-hand`): only that side, one device a page,
/// `OVERHEAD_REQUESTS` times (200,000 unless set), for a profiler (`perf record`, `valgrind
/// --tool=cachegrind`); nothing is compared or printed.
fn profile(fixture: &Fixture, side: &str) {
    let requests = std::env::var("OVERHEAD_REQUESTS")
        .ok()
        .and_then(|count| count.parse().ok())
        .unwrap_or(200_000);
    fixture.server.serve(1);
    for _ in 0..requests {
        if side == "client" {
            divan::black_box(fixture.runtime.block_on(fixture.through_client()));
        } else {
            divan::black_box(fixture.runtime.block_on(fixture.by_hand()));
        }
    }
}

/// Rounds of the paired comparison, and requests per side in each round.
const ROUNDS: usize = 200;
const PER_ROUND: u32 = 50;

/// The client's time over the hand-written call's, measured in alternating rounds (client
/// first in even rounds, by hand first in odd ones) so that a burst of load from elsewhere
/// on this shared machine lands on both sides alike; reported as the median ratio with the
/// 10th and 90th percentiles.
fn paired(fixture: &Fixture, devices: usize) -> String {
    fixture.server.serve(devices);
    let time = |through_client: bool| {
        let started = std::time::Instant::now();
        for _ in 0..PER_ROUND {
            if through_client {
                divan::black_box(fixture.runtime.block_on(fixture.through_client()));
            } else {
                divan::black_box(fixture.runtime.block_on(fixture.by_hand()));
            }
        }
        started.elapsed().as_secs_f64() / f64::from(PER_ROUND)
    };
    let mut ratios: Vec<f64> = (0..ROUNDS)
        .map(|round| {
            let (client, by_hand) = if round % 2 == 0 {
                let client = time(true);
                (client, time(false))
            } else {
                let by_hand = time(false);
                (time(true), by_hand)
            };
            client / by_hand
        })
        .collect();
    ratios.sort_by(f64::total_cmp);
    let at = |share: f64| ratios[((ratios.len() - 1) as f64 * share).round() as usize];
    format!(
        "paired, {devices} device(s): client / hand-written = {:.3} (p10 {:.3}, p90 {:.3}) \
         over {ROUNDS} alternating rounds of {PER_ROUND} requests each",
        at(0.5),
        at(0.1),
        at(0.9)
    )
}

// 10,000 requests per case: divan's default 100 leaves a few-percent comparison in the noise.
#[divan::bench(args = PAGES, sample_count = 1000, sample_size = 10)]
fn junos_space_client(bencher: Bencher, devices: usize) {
    let fixture = &*FIXTURE;
    fixture.server.serve(devices);
    bencher.bench_local(|| fixture.runtime.block_on(fixture.through_client()));
}

#[divan::bench(args = PAGES, sample_count = 1000, sample_size = 10)]
fn reqwest_by_hand(bencher: Bencher, devices: usize) {
    let fixture = &*FIXTURE;
    fixture.server.serve(devices);
    bencher.bench_local(|| fixture.runtime.block_on(fixture.by_hand()));
}

/// One runtime, one server, both clients: built once so that every benchmark reuses the same
/// warm connections.
struct Fixture {
    /// Current-thread, so the client and the server take turns on one core and the other core
    /// is left to the OS: far less noise than cross-thread wake-ups on a 2-core machine.
    runtime: tokio::runtime::Runtime,
    server: Arc<Server>,
    client: Client,
    plain: reqwest::Client,
    url: String,
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let server = runtime.block_on(Server::start());
    let origin = format!("http://{}", server.address);
    // Defaults otherwise, retries on, as a user builds it.
    let client = Client::builder()
        .base_url(&origin)
        .credentials(USER, PASSWORD)
        .build()
        .expect("the client builds");
    // The same transport settings as the builder gives its reqwest client, so the difference
    // is the client's own layers, not reqwest's timeout machinery.
    let plain = reqwest::Client::builder()
        .timeout(junos_space::api::Client::DEFAULT_TIMEOUT)
        .connect_timeout(Duration::from_secs(30))
        .user_agent(USER_AGENT)
        .build()
        .expect("the reqwest client builds");
    Fixture {
        runtime,
        server,
        client,
        plain,
        url: format!("{origin}/api/space/device-management/devices"),
    }
});

impl Fixture {
    async fn through_client(&self) -> DeviceList {
        self.client
            .list_devices()
            .send()
            .await
            .expect("the client call succeeds")
            .into_inner()
    }

    async fn by_hand(&self) -> DeviceList {
        self.plain
            .get(&self.url)
            .header(ACCEPT, ACCEPTED)
            .basic_auth(USER, Some(PASSWORD))
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .expect("the hand-written call succeeds")
            .json()
            .await
            .expect("the hand-written call decodes")
    }
}

/// A keep-alive HTTP/1.1 server that answers every request with one pre-rendered response:
/// no parsing beyond the end of the head, no allocation per request.
struct Server {
    address: std::net::SocketAddr,
    /// Complete responses (head and body), one per entry of `PAGES`.
    replies: Vec<Vec<u8>>,
    current: AtomicUsize,
    recording: AtomicBool,
    heads: Mutex<Vec<String>>,
}

impl Server {
    async fn start() -> Arc<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let replies = PAGES
            .iter()
            .map(|&devices| {
                let body = support::devices_page(devices);
                // The exact media type asked for: the client refuses any other.
                let mut reply = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: {ACCEPTED}\r\nContent-Length: {}\r\n\r\n",
                    body.len()
                )
                .into_bytes();
                reply.extend_from_slice(&body);
                reply
            })
            .collect();
        let server = Arc::new(Self {
            address: listener.local_addr().expect("bound"),
            replies,
            current: AtomicUsize::new(0),
            recording: AtomicBool::new(false),
            heads: Mutex::new(Vec::new()),
        });
        let serving = Arc::clone(&server);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(Arc::clone(&serving).connection(stream));
            }
        });
        server
    }

    fn serve(&self, devices: usize) {
        let index = PAGES
            .iter()
            .position(|&d| d == devices)
            .expect("a known page");
        self.current.store(index, Ordering::SeqCst);
    }

    async fn connection(self: Arc<Self>, mut stream: TcpStream) {
        let _ = stream.set_nodelay(true);
        let mut buffer = Vec::with_capacity(4096);
        loop {
            // GETs only: a request ends with its head.
            let end = loop {
                if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                    break at + 4;
                }
                match stream.read_buf(&mut buffer).await {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
            };
            if self.recording.load(Ordering::Relaxed) {
                let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
                self.heads.lock().expect("not poisoned").push(head);
            }
            buffer.drain(..end);
            let reply = &self.replies[self.current.load(Ordering::Relaxed)];
            if stream.write_all(reply).await.is_err() {
                return;
            }
        }
    }
}

/// The request line and the headers, names lower-cased and sorted: the order reqwest writes
/// them in is not part of "the same request".
fn normalised(head: &str) -> Vec<String> {
    let mut lines = head.lines().filter(|line| !line.is_empty());
    let request_line = lines.next().unwrap_or_default().to_owned();
    let mut headers: Vec<String> = lines
        .map(|line| match line.split_once(':') {
            Some((name, value)) => format!("{}: {}", name.to_ascii_lowercase(), value.trim()),
            None => line.to_owned(),
        })
        .collect();
    headers.sort();
    headers.insert(0, request_line);
    headers
}
