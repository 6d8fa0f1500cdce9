//! Runs the `junos-space` binary against a simulator started in the test, with settings from
//! the environment only (no config file of the machine's user is read), and gives it a
//! pseudo-terminal where a test needs one.

#![allow(dead_code)]

#[cfg(unix)]
use std::os::fd::{FromRawFd as _, OwnedFd};
use std::process::{Command, Output};

use junos_space_simulator::{Config, RunningSimulator, Simulator};

/// What one run of the binary gave.
#[derive(Debug)]
pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The NDJSON records of stdout.
    pub fn records(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
            .collect()
    }
}

/// A simulator and a directory to keep files (and the config directory) in.
pub struct Lab {
    pub simulator: RunningSimulator,
    pub dir: tempfile::TempDir,
}

impl Lab {
    pub async fn start(config: Config) -> Self {
        let simulator = Simulator::start(config)
            .await
            .expect("the simulator starts");
        Self {
            simulator,
            dir: tempfile::tempdir().expect("a temp dir"),
        }
    }

    pub fn password(&self) -> String {
        self.simulator.config().credentials[0].password.clone()
    }

    /// The binary with the simulator's URL and account in the environment.
    pub fn command(&self) -> Command {
        let mut command = self.bare_command();
        let account = &self.simulator.config().credentials[0];
        command
            .env("JUNOS_SPACE_URL", self.simulator.base_url())
            .env("JUNOS_SPACE_USER", &account.user)
            .env("JUNOS_SPACE_PASSWORD", &account.password);
        command
    }

    /// The binary with no settings at all: an empty config directory of its own.
    pub fn bare_command(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_junos-space"));
        for variable in [
            "JUNOS_SPACE_URL",
            "JUNOS_SPACE_USER",
            "JUNOS_SPACE_PASSWORD",
            "JUNOS_SPACE_CONFIG",
            "JUNOS_SPACE_PROFILE",
            "JUNOS_SPACE_SSH_PASSWORD",
        ] {
            command.env_remove(variable);
        }
        command
            .env("XDG_CONFIG_HOME", self.dir.path())
            .env("HOME", self.dir.path())
            .stdin(std::process::Stdio::null());
        command
    }

    /// Runs the binary with `args` (off the async runtime, which serves the simulator).
    pub async fn run(&self, args: &[&str]) -> Run {
        let mut command = self.command();
        command.args(args);
        run(command).await
    }
}

/// Runs `command` to its end on a blocking thread.
pub async fn run(mut command: Command) -> Run {
    let output: Output = tokio::task::spawn_blocking(move || command.output())
        .await
        .expect("the blocking task ran")
        .expect("the binary runs");
    Run {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A pseudo-terminal of 40 rows and 120 columns: its controller end and its terminal end.
#[cfg(unix)]
pub fn pseudo_terminal() -> (OwnedFd, OwnedFd) {
    let mut controller = -1;
    let mut terminal = -1;
    let size = libc::winsize {
        ws_row: 40,
        ws_col: 120,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty writes two new descriptors into the two integers and reads the size;
    // no name buffer or terminal settings are passed.
    let opened = unsafe {
        libc::openpty(
            &mut controller,
            &mut terminal,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    assert_eq!(opened, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: both descriptors were just opened and are owned by nothing else.
    unsafe {
        (
            OwnedFd::from_raw_fd(controller),
            OwnedFd::from_raw_fd(terminal),
        )
    }
}
