//! The live progress display, seen as an operator sees it: `junos-space rpc` run in a real
//! pseudo-terminal draws bars (cursor movements, a bar per job and one for the run), while the
//! same run into a pipe writes plain lines.

#![cfg(unix)]

mod common;

use std::fs::File;
use std::io::Read as _;
use std::process::Stdio;
use std::time::Duration;

use common::{Lab, pseudo_terminal};
use junos_space_simulator::{Config, JobOutcome, JobSettings};

fn slow_jobs() -> Config {
    Config {
        devices: Some(6),
        jobs: JobSettings {
            duration: Duration::from_millis(1_500),
            outcome: JobOutcome::Success,
            schedule_minute: Duration::from_secs(60),
        },
        ..Config::default()
    }
}

const RPC: [&str; 7] = [
    "rpc",
    "--devices-filter",
    "name starts-with ''",
    "--rpc",
    "get-system-information",
    "--concurrency",
    "3",
];

/// Runs the binary with `args` on a pseudo-terminal (stdin, stdout and stderr); its exit
/// status and all it wrote.
async fn on_terminal(lab: &Lab, args: &[&str]) -> (std::process::ExitStatus, String) {
    let (controller, terminal) = pseudo_terminal();
    let mut command = lab.command();
    command
        .args(args)
        .env("TERM", "xterm-256color")
        .stdin(Stdio::from(terminal.try_clone().expect("dup")))
        .stdout(Stdio::from(terminal.try_clone().expect("dup")))
        .stderr(Stdio::from(terminal));
    let mut child = command.spawn().expect("the binary starts");
    // The child holds the terminal end now; ours must close, or the read never ends.
    drop(command);
    let screen = tokio::task::spawn_blocking(move || {
        let mut screen = Vec::new();
        // The read ends with EIO once the child has exited and the terminal end is closed.
        let _ = File::from(controller).read_to_end(&mut screen);
        String::from_utf8_lossy(&screen).into_owned()
    })
    .await
    .expect("read");
    let status = child.wait().expect("the binary ends");
    (status, screen)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_terminal_gets_bars_and_a_pipe_gets_lines() {
    let lab = Lab::start(slow_jobs()).await;
    let (status, screen) = on_terminal(&lab, &RPC).await;
    assert!(status.success(), "{status}\n{screen}");
    // Bars: redrawn in place (cursor up, line cleared), one per running job, and the run's.
    assert!(
        screen.contains("\u{1b}[2K") || screen.contains("\u{1b}[1A"),
        "{screen:?}"
    );
    assert!(
        screen.contains("device 13107"),
        "a job's bar is labelled: {screen:?}"
    );
    assert!(screen.contains("/6 settled"), "the run's bar: {screen:?}");
    assert!(screen.contains("6 devices: 6 succeeded"), "{screen:?}");
    // The results are printed for people: a table.
    assert!(screen.contains("device  job"), "{screen:?}");

    let piped = lab.run(&RPC).await;
    assert_eq!(piped.status, 0, "{piped:?}");
    assert!(
        !piped.stderr.contains('\u{1b}'),
        "no escapes in a pipe: {piped:?}"
    );
    assert_eq!(
        piped
            .stderr
            .lines()
            .filter(|l| l.ends_with("started"))
            .count(),
        6,
        "{piped:?}"
    );
    assert_eq!(piped.records().len(), 6);

    // Jobs past the deadline keep their line when the bars are cleared, and are not counted
    // as settled. Jobs of a minute: whatever the machine's load, they run at the deadline.
    let lab = Lab::start(Config {
        jobs: JobSettings {
            duration: Duration::from_secs(60),
            ..slow_jobs().jobs
        },
        ..slow_jobs()
    })
    .await;
    let deadline = [&RPC[..], &["--deadline", "2"]].concat();
    let (status, screen) = on_terminal(&lab, &deadline).await;
    assert_eq!(status.code(), Some(4), "{screen}");
    assert!(
        screen.contains("still INPROGRESS at the deadline"),
        "{screen:?}"
    );
    assert!(!screen.contains("6/6 settled"), "{screen:?}");
}
