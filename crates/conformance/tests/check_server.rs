//! The `check-server` command as users run it: exit status, summary, JUnit file, and no
//! password in anything it prints.

use std::process::{Command, Output};

use junos_space_simulator::{Config, Deviation, RunningSimulator, Simulator};

const PASSWORD: &str = "Sup3r-s3cret";

async fn simulator(deviations: &[Deviation]) -> RunningSimulator {
    let mut config = Config {
        deviations: deviations.iter().copied().collect(),
        ..Config::default()
    };
    config.credentials[0].password = PASSWORD.to_owned();
    Simulator::start(config)
        .await
        .expect("the simulator starts")
}

/// Runs the command off the async threads, so the simulator keeps serving meanwhile.
async fn check_server(args: Vec<String>, password: Option<&'static str>) -> Output {
    tokio::task::spawn_blocking(move || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_check-server"));
        command
            .args(args)
            .env_remove("JUNOS_SPACE_URL")
            .env("JUNOS_SPACE_USER", "super");
        match password {
            Some(password) => command.env("JUNOS_SPACE_PASSWORD", password),
            None => command.env_remove("JUNOS_SPACE_PASSWORD"),
        };
        command.output().expect("check-server runs")
    })
    .await
    .expect("not cancelled")
}

fn printed(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_faithful_server_passes_and_gets_a_junit_file() {
    let simulator = simulator(&[]).await;
    let junit = tempfile::NamedTempFile::new().expect("a temporary file");
    let args = vec![
        "--url".to_owned(),
        simulator.base_url(),
        "--junit".to_owned(),
        junit.path().display().to_string(),
    ];
    let output = check_server(args, Some(PASSWORD)).await;
    let text = printed(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(text.contains(" 0 failed"), "{text}");
    assert!(!text.contains(PASSWORD));
    let xml = std::fs::read_to_string(junit.path()).expect("the JUnit file");
    assert!(xml.starts_with("<?xml"), "{xml}");
    assert!(xml.contains("failures=\"0\""), "{xml}");
    assert!(xml.contains("<testsuite name=\"listDevices\""), "{xml}");
    assert!(!xml.contains(PASSWORD));
    simulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deviation_fails_the_run_with_a_rerun_command_and_no_password() {
    let simulator = simulator(&[Deviation::IgnoreAccept]).await;
    let output = check_server(vec!["--url".into(), simulator.base_url()], Some(PASSWORD)).await;
    let text = printed(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("FAIL  accept: wrong version"), "{text}");
    assert!(
        text.contains("-u \"$JUNOS_SPACE_USER:$JUNOS_SPACE_PASSWORD\""),
        "{text}"
    );
    assert!(!text.contains(PASSWORD), "{text}");
    // A user given by name is shown by name; the password still only as its variable.
    let named = vec![
        "--url".into(),
        simulator.base_url(),
        "--user".into(),
        "super".into(),
    ];
    let output = check_server(named, Some(PASSWORD)).await;
    let text = printed(&output);
    assert!(
        text.contains("-u 'super'\":$JUNOS_SPACE_PASSWORD\""),
        "{text}"
    );
    assert!(!text.contains("$JUNOS_SPACE_USER"), "{text}");
    assert!(!text.contains(PASSWORD), "{text}");
    simulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_credentials_or_none_are_named() {
    let simulator = simulator(&[]).await;
    let url = || vec!["--url".to_owned(), simulator.base_url()];
    let output = check_server(url(), None).await;
    assert_eq!(output.status.code(), Some(2));
    assert!(printed(&output).contains("JUNOS_SPACE_PASSWORD"));
    // A wrong password is a failed run, not a crash: every authenticated probe gets 401.
    let output = check_server(url(), Some("wrong")).await;
    let text = printed(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("got 401"), "{text}");
    simulator.shutdown().await;
}

/// The bundled spec with every collection's count attribute marked a decision of the project
/// (`x-decision: collection-counts`), as spec/README.md's row on collection counts may be.
fn spec_with_decided_counts() -> String {
    let mut text = String::new();
    let mut lines = junos_space_model::BUNDLED_SPEC.lines().peekable();
    while let Some(line) = lines.next() {
        text.push_str(line);
        text.push('\n');
        let counts = matches!(line.trim(), "'@size':" | "'@total':");
        if let Some(next) = lines
            .peek()
            .filter(|next| counts && next.trim() == "type: integer")
        {
            let indent = &next[..next.len() - next.trim_start().len()];
            text.push_str(&format!("{indent}x-decision: collection-counts\n"));
        }
    }
    text
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_that_differs_from_a_decision_is_warned_about_and_from_a_fact_fails() {
    // The model reads the decision on every count the simulator miscounts.
    let decided = tempfile::NamedTempFile::new().expect("a temporary file");
    std::fs::write(decided.path(), spec_with_decided_counts()).expect("written");
    let api = junos_space_model::Api::load(decided.path()).expect("the decided spec reads");
    let counted: Vec<&str> = api
        .operations()
        .iter()
        .filter_map(|op| op.collection.as_ref()?.count.as_ref())
        .map(|count| count.provenance.decision().map_or("documented", |d| d.id()))
        .collect();
    assert!(counted.len() >= 5, "{counted:?}");
    assert!(
        counted.iter().all(|id| *id == "collection-counts"),
        "{counted:?}"
    );

    let simulator = simulator(&[Deviation::MiscountCollection]).await;
    let junit = tempfile::NamedTempFile::new().expect("a temporary file");
    let args = |spec: Option<&std::path::Path>| {
        let mut args = vec![
            "--url".to_owned(),
            simulator.base_url(),
            "--junit".to_owned(),
            junit.path().display().to_string(),
        ];
        if let Some(spec) = spec {
            args.extend(["--spec".to_owned(), spec.display().to_string()]);
        }
        args
    };

    let output = check_server(args(Some(decided.path())), Some(PASSWORD)).await;
    let text = printed(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(
        text.contains("  WARN  count: equals the members\n"),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|line| line.contains("members, the answer holds ")
                && line.ends_with(" [decision `collection-counts`, spec/README.md]")),
        "{text}"
    );
    assert!(!text.contains("FAIL  "), "{text}");
    assert!(
        text.contains(" 0 failed, ") && !text.contains(" 0 warned, "),
        "{text}"
    );
    assert!(
        text.contains("not from a documented fact: `collection-counts`"),
        "{text}"
    );
    let xml = std::fs::read_to_string(junit.path()).expect("the JUnit file");
    assert!(xml.contains("failures=\"0\""), "{xml}");
    assert!(
        xml.contains("<property name=\"warning\" value=\"collection-counts\"/>"),
        "{xml}"
    );

    // The same server against the spec as it is, where the counts are documented: a failure.
    let output = check_server(args(None), Some(PASSWORD)).await;
    let text = printed(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains("  FAIL  count: equals the members\n"),
        "{text}"
    );
    // spec/ itself counts the configlets by a decision: that count is a warning even here.
    assert!(
        text.lines()
            .filter(|line| line.contains("members, the answer holds "))
            .any(|line| line.ends_with(" [decision `collection-counts`, spec/README.md]")),
        "{text}"
    );
    simulator.shutdown().await;
}
