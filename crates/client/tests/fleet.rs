//! Many jobs at once ([`Client::fleet`]) against the simulator: a bound on the jobs running at
//! once, one deadline, every target ended exactly once, failures kept apart, and a stop that
//! starts nothing more and cancels what waits for its schedule.

use std::collections::BTreeMap;
use std::time::Duration;

use futures_util::StreamExt as _;
use junos_space::fleet::{End, Event, NotStarted};
use junos_space::prelude::*;
use junos_space::{Client, Polling, Schedule};
use junos_space_simulator::{Config, JobOutcome, JobSettings, RunningSimulator, Simulator};

/// Keys of the bundled fixture's devices (`crates/simulator/fixtures/default.json`).
const DEVICES: [i64; 3] = [131_073, 131_074, 131_075];

async fn simulator(duration: Duration, outcome: JobOutcome) -> RunningSimulator {
    Simulator::start(Config {
        jobs: JobSettings {
            duration,
            outcome,
            schedule_minute: Duration::from_millis(100),
        },
        ..Config::default()
    })
    .await
    .expect("the simulator starts")
}

fn client(simulator: &RunningSimulator) -> Client {
    let account = &simulator.config().credentials[0];
    Client::builder()
        .base_url(simulator.base_url())
        .credentials(account.user.clone(), account.password.clone())
        .build()
        .expect("a client")
}

fn quick() -> Polling {
    Polling {
        first: Duration::from_millis(20),
        shortest: Duration::from_millis(5),
        longest: Duration::from_millis(50),
    }
}

/// Resyncs `device` (an asynchronous call) and gives its job's id.
async fn resync(client: &Client, device: i64) -> junos_space::Result<i64> {
    let task = client.exec_resync().device_id(device).send().await?;
    Ok(task.task.id)
}

/// Every event of a run, and each target's end.
async fn collect(
    events: futures_util::stream::BoxStream<'_, Event<i64>>,
) -> (Vec<Event<i64>>, BTreeMap<i64, End>) {
    let all: Vec<Event<i64>> = events.collect().await;
    let mut ends = BTreeMap::new();
    let mut seen = Vec::new();
    for event in all {
        match event {
            Event::Ended { target, end, .. } => {
                assert!(ends.insert(target, end).is_none(), "{target} ended twice");
            }
            other => seen.push(other),
        }
    }
    (seen, ends)
}

#[tokio::test]
async fn every_target_ends_once_with_no_more_running_than_allowed() {
    let simulator = simulator(Duration::from_millis(150), JobOutcome::Success).await;
    let client = client(&simulator);
    let targets: Vec<i64> = DEVICES.iter().copied().cycle().take(7).collect();
    // Indexes, since one device appears more than once.
    let indexed: Vec<usize> = (0..targets.len()).collect();
    let events: Vec<Event<usize>> = client
        .fleet()
        .concurrency(2)
        .polling(quick())
        .run(indexed, |index| {
            let client = client.clone();
            let device = targets[index];
            async move { resync(&client, device).await }
        })
        .collect()
        .await;
    let mut running = 0;
    let mut most = 0;
    let mut ended = Vec::new();
    for event in &events {
        match event {
            Event::Started { .. } => {
                running += 1;
                most = most.max(running);
            }
            Event::Ended { target, end, reads } => {
                running -= usize::from(end.job().is_some());
                assert!(matches!(end, End::Succeeded(_)), "{target}: {end:?}");
                assert!(*reads >= 1, "{target} was never read");
                ended.push(*target);
            }
            Event::Progress { .. } => {}
        }
    }
    ended.sort_unstable();
    assert_eq!(ended, (0..7).collect::<Vec<_>>());
    assert_eq!(most, 2, "two at a time, and both slots used");
    simulator.shutdown().await;
}

#[tokio::test]
async fn failed_and_late_jobs_are_told_apart() {
    let failing = simulator(Duration::from_millis(50), JobOutcome::Failure).await;
    let client_of_failing = client(&failing);
    let (_, ends) = collect(
        client_of_failing
            .fleet()
            .polling(quick())
            .run(DEVICES, |device| {
                let client = client_of_failing.clone();
                async move { resync(&client, device).await }
            }),
    )
    .await;
    assert_eq!(ends.len(), 3);
    assert!(
        ends.values().all(|end| matches!(end, End::Failed(_))),
        "{ends:?}"
    );
    failing.shutdown().await;

    let slow = simulator(Duration::from_secs(30), JobOutcome::Success).await;
    let client_of_slow = client(&slow);
    let (_, ends) = collect(
        client_of_slow
            .fleet()
            .concurrency(1)
            .timeout(Duration::from_millis(300))
            .polling(quick())
            .run(DEVICES, |device| {
                let client = client_of_slow.clone();
                async move { resync(&client, device).await }
            }),
    )
    .await;
    // The first runs into the deadline; the others never get their turn.
    assert!(matches!(ends[&DEVICES[0]], End::TimedOut(_)), "{ends:?}");
    for device in &DEVICES[1..] {
        assert!(
            matches!(ends[device], End::NotStarted(NotStarted::Deadline)),
            "{ends:?}"
        );
    }
    slow.shutdown().await;
}

#[tokio::test]
async fn a_stop_cancels_scheduled_jobs_and_starts_nothing_more() {
    let simulator = simulator(Duration::from_millis(50), JobOutcome::Success).await;
    let client = client(&simulator);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let mut stop = Some(stop);
    let mut events = client
        .fleet()
        .concurrency(2)
        .polling(quick())
        .stop_on(async move {
            let _ = stopped.await;
        })
        .run(DEVICES, |device| {
            let client = client.clone();
            async move {
                // Scheduled a (simulated) hour ahead: it waits for its schedule.
                let call = client
                    .exec_resync()
                    .device_id(device)
                    .schedule(Schedule::after(Duration::from_secs(3600)));
                Ok(call.send().await?.task.id)
            }
        });
    let mut ends = BTreeMap::new();
    let mut started = 0;
    while let Some(event) = events.next().await {
        match event {
            Event::Started { .. } => {
                started += 1;
                // Both slots hold a scheduled job: stop.
                if started == 2 {
                    let _ = stop.take().map(|stop| stop.send(()));
                }
            }
            Event::Ended { target, end, .. } => {
                ends.insert(target, end);
            }
            Event::Progress { .. } => {}
        }
    }
    assert_eq!(started, 2);
    let cancelled: Vec<&End> = ends
        .values()
        .filter(|end| matches!(end, End::Cancelled(job) if job.state == junos_space::JobState::Cancelled))
        .collect();
    assert_eq!(cancelled.len(), 2, "{ends:?}");
    assert!(
        matches!(ends[&DEVICES[2]], End::NotStarted(NotStarted::Stopped)),
        "{ends:?}"
    );
    simulator.shutdown().await;
}

#[tokio::test]
async fn a_running_job_is_read_at_the_polling_pace_not_without_pause() {
    let simulator = simulator(Duration::from_millis(400), JobOutcome::Success).await;
    let client = client(&simulator);
    let every_50_ms = Polling {
        first: Duration::from_millis(50),
        shortest: Duration::from_millis(50),
        longest: Duration::from_millis(50),
    };
    let events: Vec<Event<i64>> = client
        .fleet()
        .polling(every_50_ms)
        .run([DEVICES[0]], |device| {
            let client = client.clone();
            async move { resync(&client, device).await }
        })
        .collect()
        .await;
    let Some(Event::Ended { end, reads, .. }) = events.last() else {
        panic!("no end: {events:?}");
    };
    assert!(matches!(end, End::Succeeded(_)), "{end:?}");
    // About 400 / 50 reads; a loop that did not wait between them would make hundreds.
    assert!((2..=20).contains(reads), "{reads} reads of a 400 ms job");
    simulator.shutdown().await;
}
