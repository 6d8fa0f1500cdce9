//! The README's operator session, run: every `$ junos-space ...` line of its transcript is
//! sent to a simulator started as the README says (`--job-seconds 2`, the default fixture),
//! from a folder holding the `ssh.pw` its discovery reads, and what it prints must be what
//! the README shows. Progress lines that depend on timing
//! (a percent read mid-job) are not compared; the rest is, line for line (results that come
//! as jobs end, in any order, as a set).

mod common;

use std::time::Duration;

use common::Lab;
use junos_space_simulator::{Config, JobSettings};

/// The transcript: the `text` block that follows the README's "A session against the
/// simulator".
fn transcript() -> Vec<(Vec<String>, Vec<String>)> {
    let readme = include_str!("../../../README.md");
    let from = readme
        .find("A session against the simulator")
        .expect("the README has the operator session");
    let block = &readme[from..];
    let start = block.find("```text\n").expect("a text block") + "```text\n".len();
    let end = block[start..].find("```").expect("the block ends") + start;
    let mut commands: Vec<(Vec<String>, Vec<String>)> = Vec::new();
    for line in block[start..end].lines() {
        match line.strip_prefix("$ junos-space ") {
            Some(command) => commands.push((words(command), Vec::new())),
            None => commands
                .last_mut()
                .expect("the block starts with a command")
                .1
                .push(line.to_owned()),
        }
    }
    commands
}

/// `command` split as a shell splits it, for the double quotes the transcript uses.
fn words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in command.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            other => word.push(other),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// A progress line on stderr, which a run may print differently (a percent read mid-job).
fn is_progress(line: &str) -> bool {
    line.ends_with(": started")
        || line.contains(": INPROGRESS")
        || line.contains(": SUCCESS")
        || line.contains(" succeeded, ")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readme_operator_session_prints_what_it_shows() {
    let lab = Lab::start(Config {
        jobs: JobSettings {
            duration: Duration::from_secs(2),
            ..JobSettings::default()
        },
        ..Config::default()
    })
    .await;
    std::fs::write(lab.dir.path().join("ssh.pw"), "lab-ssh-password\n")
        .expect("the SSH password file is written");
    let session = transcript();
    assert!(session.len() >= 3, "{session:?}");
    for (command, shown) in session {
        let mut run = lab.command();
        run.current_dir(lab.dir.path()).args(&command);
        let run = common::run(run).await;
        assert_eq!(run.status, 0, "{command:?}: {run:?}");
        let mut expected: Vec<&str> = shown
            .iter()
            .map(String::as_str)
            .filter(|l| !is_progress(l))
            .collect();
        let mut printed: Vec<&str> = run.stdout.lines().collect();
        expected.sort_unstable();
        printed.sort_unstable();
        assert_eq!(printed, expected, "{command:?}");
        // The progress lines the README shows that do not depend on timing are printed too.
        for line in shown
            .iter()
            .filter(|l| l.ends_with(": started") || l.contains(" succeeded, "))
        {
            assert!(
                run.stderr.lines().any(|l| l == line),
                "{command:?}: `{line}` not in {run:?}"
            );
        }
    }
}
