//! Command line of the xtask: `cargo xtask regenerate [--check] [--spec PATH] [--generated-dir DIR]`.

use std::path::PathBuf;
use std::process::ExitCode;

use xtask::{GENERATED_DIR, Outcome, SPEC_PATH, workspace_root};

const USAGE: &str = "usage: cargo xtask regenerate [--check] [--spec PATH] [--generated-dir DIR]

  regenerate        rebuild generated/ from spec/junos-space.yaml with progenitor
  --check           write nothing; fail with a diff when generated/ is stale
  --spec PATH       read another spec (default: spec/junos-space.yaml)
  --generated-dir   the generated crate to write or check (default: generated/)";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<String>) -> anyhow::Result<ExitCode> {
    let root = workspace_root();
    let mut spec = root.join(SPEC_PATH);
    let mut generated = root.join(GENERATED_DIR);
    let mut check = false;
    let mut args = args.into_iter();
    match args.next().as_deref() {
        Some("regenerate") => {}
        Some("-h" | "--help") | None => {
            println!("{USAGE}");
            return Ok(ExitCode::SUCCESS);
        }
        Some(other) => anyhow::bail!("unknown command `{other}`\n\n{USAGE}"),
    }
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--check" => check = true,
            "--spec" => {
                spec = PathBuf::from(
                    args.next()
                        .ok_or_else(|| anyhow::anyhow!("--spec needs a path"))?,
                )
            }
            "--generated-dir" => {
                generated = PathBuf::from(
                    args.next()
                        .ok_or_else(|| anyhow::anyhow!("--generated-dir needs a path"))?,
                )
            }
            other => anyhow::bail!("unknown argument `{other}`\n\n{USAGE}"),
        }
    }
    match xtask::regenerate(&spec, &generated, check)? {
        Outcome::Written(0) => println!("generated/ is up to date"),
        Outcome::Written(count) => println!("wrote {count} file(s) under {}", generated.display()),
        Outcome::UpToDate => println!("generated/ is up to date with {}", spec.display()),
        Outcome::Stale(differences) => {
            for difference in &differences {
                print!("{difference}");
            }
            eprintln!(
                "error: generated/ is stale: run `cargo xtask regenerate` and commit the result"
            );
            return Ok(ExitCode::FAILURE);
        }
    }
    Ok(ExitCode::SUCCESS)
}
