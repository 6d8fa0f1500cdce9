//! Completion in the shells themselves: the script `junos-space completions SHELL` prints,
//! registered in a real bash, zsh and fish, completing a line as an operator's TAB would. Each
//! must reach subcommands at every depth, flags, and the config file's profile names (which
//! only the binary knows: the script asks it). A shell that is not installed fails its test,
//! naming the package to install (`.ci/run` installs them).

#![cfg(unix)]

mod common;

use std::fs::File;
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{Lab, pseudo_terminal};
use junos_space_simulator::Config;

/// Lines as typed before TAB, and words their completion must offer.
const CASES: [(&str, &[&str]); 7] = [
    ("junos-space de", &["devices", "deploy"]),
    ("junos-space devices ", &["list", "discover", "resync"]),
    ("junos-space devices list --fi", &["--filter", "--fields"]),
    ("junos-space configlet apply set-ntp --pa", &["--param"]),
    ("junos-space api list-dev", &["list-devices"]),
    ("junos-space job w", &["wait"]),
    ("junos-space --profile ", &["lab", "prod"]),
];

/// The completion script for `shell` and a config file with two profiles, in the lab's
/// folder. The binary is given no server: completion needs none.
async fn set_up(shell: &str) -> (Lab, PathBuf, PathBuf) {
    let lab = Lab::start(Config::default()).await;
    let mut command = lab.bare_command();
    command.args(["completions", shell]);
    let run = common::run(command).await;
    assert_eq!(run.status, 0, "{run:?}");
    let script = lab.dir.path().join(format!("junos-space.{shell}"));
    std::fs::write(&script, &run.stdout).expect("the script is written");
    let config = lab.dir.path().join("config.toml");
    std::fs::write(
        &config,
        "[profiles.lab]\nurl = \"https://lab\"\n[profiles.prod]\n",
    )
    .expect("the config is written");
    (lab, script, config)
}

/// `shell` with the same clean environment as the binary's own runs, and the config file.
fn shell_command(lab: &Lab, shell: &str, config: &Path) -> Command {
    let mut command = Command::new(shell);
    let clean = lab.bare_command();
    command
        .env_clear()
        .envs(clean.get_envs().filter_map(|(k, v)| v.map(|v| (k, v))))
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("JUNOS_SPACE_CONFIG", config);
    command
}

/// Fails, naming the package, when `shell` is not installed.
fn installed(shell: &str) {
    let found = Command::new(shell)
        .args(["-c", "exit 0"])
        .stdin(Stdio::null())
        .status();
    if let Err(error) = found {
        panic!(
            "{shell} cannot be run ({error}): install it (`apt-get install -y {shell}`; \
             .ci/run does) to test its completion"
        );
    }
}

fn offers(shell: &str, line: &str, said: &[String], expected: &[&str]) {
    for word in expected {
        assert!(
            said.iter().any(|s| s == word),
            "{shell}: `{line}` offers no `{word}`: {said:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bash_completes_subcommands_flags_and_profile_names() {
    installed("bash");
    let (lab, script, config) = set_up("bash").await;
    for (line, expected) in CASES {
        // COMP_WORDS as bash splits the line, an empty last word where it ends in a space.
        let mut words: Vec<String> = line.split_whitespace().map(|w| format!("'{w}'")).collect();
        if line.ends_with(' ') {
            words.push("''".into());
        }
        let program = format!(
            "source {script:?}
             COMP_WORDS=({words}); COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
             _clap_complete_junos_space junos-space \"${{COMP_WORDS[-1]}}\" \"${{COMP_WORDS[-2]}}\"
             printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            words = words.join(" ")
        );
        let output = shell_command(&lab, "bash", &config)
            .args(["--norc", "--noprofile", "-c", &program])
            .output()
            .expect("bash runs");
        let said: Vec<String> = String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(str::to_owned)
            .collect();
        offers("bash", line, &said, expected);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fish_completes_subcommands_flags_and_profile_names() {
    installed("fish");
    let (lab, script, config) = set_up("fish").await;
    for (line, expected) in CASES {
        // What fish itself would offer at TAB: `complete --do-complete` runs the registered
        // completion, one `word<TAB>description` a line.
        let program = format!(
            "source {}; complete --do-complete {}",
            fish_quoted(&script.to_string_lossy()),
            fish_quoted(line)
        );
        let output = shell_command(&lab, "fish", &config)
            .args(["--no-config", "-c", &program])
            .output()
            .expect("fish runs");
        assert!(output.status.success(), "fish: {output:?}");
        let said: Vec<String> = String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(|line| line.split('\t').next().unwrap_or_default().to_owned())
            .collect();
        offers("fish", line, &said, expected);
    }
}

/// `text` in fish's single quotes.
fn fish_quoted(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// The startup file of an interactive zsh that completes with compsys and the registered
/// script. Its `compadd` also writes each match it is given to `$COMPLETED`, so the test reads
/// what zsh offered from a file rather than from the screen; the matching is zsh's own (`-A`
/// gives the matches as they would be inserted), and the matches still go to zsh as ever.
const ZSHRC: &str = r#"
autoload -Uz compinit && compinit -u -D
source "$COMPLETION_SCRIPT"
compadd() {
  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
    builtin compadd "$@"
    return
  fi
  local -a hits
  builtin compadd -A hits "$@"
  (( $#hits )) && print -rl -- $hits >> "$COMPLETED"
  builtin compadd "$@"
}
PS1='ready> '
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zsh_completes_subcommands_flags_and_profile_names() {
    installed("zsh");
    let (lab, script, config) = set_up("zsh").await;
    let home = lab.dir.path().join("zdotdir");
    std::fs::create_dir_all(&home).expect("a ZDOTDIR");
    std::fs::write(home.join(".zshrc"), ZSHRC).expect("the .zshrc is written");
    for (index, (line, expected)) in CASES.into_iter().enumerate() {
        let completed = lab.dir.path().join(format!("zsh-completed-{index}"));
        let mut command = shell_command(&lab, "zsh", &config);
        command
            // -d: no system-wide startup files, only the ZDOTDIR's .zshrc.
            .args(["-d", "-i"])
            .env("ZDOTDIR", &home)
            .env("TERM", "xterm")
            .env("COMPLETION_SCRIPT", &script)
            .env("COMPLETED", &completed);
        let screen = tokio::task::spawn_blocking(move || type_tab(command, line))
            .await
            .expect("zsh was driven");
        let said: Vec<String> = std::fs::read_to_string(&completed)
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect();
        for word in expected {
            assert!(
                said.iter().any(|s| s == word),
                "zsh: `{line}` offers no `{word}`: {said:?}\nscreen: {screen:?}"
            );
        }
    }
}

/// Runs `zsh` on a pseudo-terminal, types `line` and TAB at its prompt, and then a command
/// whose output shows that the completion is over; returns the screen.
fn type_tab(mut zsh: Command, line: &str) -> String {
    let (controller, terminal) = pseudo_terminal();
    zsh.stdin(Stdio::from(terminal.try_clone().expect("dup")))
        .stdout(Stdio::from(terminal.try_clone().expect("dup")))
        .stderr(Stdio::from(terminal));
    let mut child = zsh.spawn().expect("zsh starts");
    // The child holds the terminal end now; ours must close, or the read never ends.
    drop(zsh);
    let mut keyboard = File::from(controller.try_clone().expect("dup"));
    let (chunks, screen) = mpsc::channel();
    std::thread::spawn(move || {
        let mut controller = File::from(controller);
        let mut buffer = [0; 4096];
        // Ends with EIO once zsh has exited and the terminal end is closed.
        while let Ok(read @ 1..) = controller.read(&mut buffer) {
            if chunks.send(buffer[..read].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut seen = String::new();
    let wait_for = |marker: &str, seen: &mut String| {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !seen.contains(marker) {
            let left = deadline.saturating_duration_since(Instant::now());
            match screen.recv_timeout(left) {
                Ok(chunk) => seen.push_str(&String::from_utf8_lossy(&chunk)),
                Err(_) => return false,
            }
        }
        true
    };
    let ended = |child: &mut std::process::Child, seen: String| {
        let _ = child.kill();
        let _ = child.wait();
        seen
    };
    if !wait_for("ready> ", &mut seen) {
        return ended(&mut child, seen);
    }
    // The keys are read in order: the completion is over when the next line's output shows.
    // `$((6*7))` is what is typed; only its output reads 42.
    let keys = format!("{line}\t\x15print completion-done-$((6*7))\r");
    keyboard.write_all(keys.as_bytes()).expect("typed");
    wait_for("completion-done-42", &mut seen);
    let _ = keyboard.write_all(b"exit\r");
    ended(&mut child, seen)
}
