//! `junos-space`: the Junos Space command line for operators. See `junos-space --help`, and
//! the README's operator section.

use std::process::ExitCode;

use junos_space_cli::command;
use junos_space_cli::exit::Failure;
use junos_space_cli::operations::{self, Operations};

fn main() -> ExitCode {
    // The spec is read only where the command tree needs its operations: a run of `api`, or a
    // shell asking for completions. Any argument spelled `api` counts, which at worst reads
    // the spec for nothing; `--help` and usage errors never wait for it.
    let wants_operations = std::env::var_os("COMPLETE").is_some()
        || std::env::args_os()
            .skip(1)
            .any(|arg| arg == operations::GROUP);
    let read_early = if wants_operations {
        match bundled() {
            Ok(operations) => Some(operations),
            Err(status) => return status,
        }
    } else {
        None
    };
    let tree = || match &read_early {
        Some(operations) => command::build(operations.command()),
        None => command::build(operations::group()),
    };
    // A shell asking for completions (`COMPLETE=bash junos-space -- WORDS`) is answered here,
    // before anything else is printed.
    clap_complete::CompleteEnv::with_factory(tree).complete();
    let mut command = tree();
    let matches = match command.try_get_matches_from_mut(std::env::args_os()) {
        Ok(matches) => matches,
        Err(error) => {
            // --help and --version print to stdout and succeed; a usage error is status 2.
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { 2 } else { 0 });
        }
    };
    if let Some(("completions", args)) = matches.subcommand() {
        let script = args
            .get_one::<clap_complete::Shell>("shell")
            .map(|shell| command::completion_script(*shell));
        return match script {
            Some(Ok(script)) => {
                print!("{script}");
                ExitCode::SUCCESS
            }
            Some(Err(failure)) => {
                eprintln!("junos-space: {failure}");
                ExitCode::from(failure.status())
            }
            None => ExitCode::from(2),
        };
    }
    if let Some(done) = command::run_without_server(&matches) {
        return ended(done);
    }
    if matches.get_flag("verbose") {
        // The runtime's span of each request closes with its method, path, status, attempts
        // and time; it never holds a header, so no credential reaches stderr.
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::INFO)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
            .with_target(false)
            .without_time()
            .with_writer(std::io::stderr)
            .finish();
        let _ = tracing::subscriber::set_global_default(subscriber);
    }
    let operations = match read_early.map_or_else(bundled, Ok) {
        Ok(operations) => operations,
        Err(status) => return status,
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("junos-space: cannot start: {error}");
            return ExitCode::FAILURE;
        }
    };
    ended(runtime.block_on(command::run(&operations, &matches)))
}

/// The operations of the spec built in, or the status of a run that cannot read it.
fn bundled() -> Result<Operations, ExitCode> {
    Operations::bundled().map_err(|error| {
        eprintln!("junos-space: the built-in spec cannot be read: {error}");
        ExitCode::FAILURE
    })
}

/// The exit status of a run, its failure said on stderr in one line.
fn ended(run: Result<(), Failure>) -> ExitCode {
    match run {
        Ok(()) | Err(Failure::ReaderGone) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("junos-space: {failure}");
            ExitCode::from(failure.status())
        }
    }
}
