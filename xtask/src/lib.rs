//! `cargo xtask regenerate`: reads `spec/`, runs progenitor, and writes the generated files
//! of the `generated/` crate.
//!
//! The pipeline: read the spec into the typed model ([`junos_space_model::Api`], which names
//! every fault by JSON pointer), lower the model to the OpenAPI 3.0 document progenitor reads
//! (`lower.rs`), run progenitor, read what it wrote into the model of the generated client
//! (`progenitor_output`), run the table's steps over the two models ([`steps::STEPS`]), emit
//! the dispatcher's table, format with prettyplease, and write only if every step succeeded.
//! Only tables and progenitor's rewritten code are generated: the frames the tables expand
//! into (`generated/src/frames.rs`, `dynamic.rs`, `mock_by_id.rs`) and `lib.rs` are
//! hand-written and never touched.

mod context;
mod deserialize_tables;
mod docs;
mod dynamic;
pub mod features;
mod lenient;
mod lower;
mod mock;
mod names;
pub mod output;
mod progenitor_output;
mod progenitor_run;
mod runtime_glue;
mod secrets;
pub mod steps;
mod wire;

use std::path::{Path, PathBuf};

use junos_space_model::SpecError;
use junos_space_model::api::Api;
use sha2::{Digest, Sha256};

use context::Context;
use progenitor_output::Generated;
use steps::{Part, STEPS, Step};

pub use output::{Difference, Files, GENERATED_MARK};

/// Where things are, relative to the workspace root.
pub const SPEC_PATH: &str = "spec/junos-space.yaml";
pub const GENERATED_DIR: &str = "generated";
/// The generated crate's manifest, whose feature list of services the xtask writes.
pub const MANIFEST: &str = "Cargo.toml";

/// Why regeneration failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{file}: {error}")]
    Spec { file: String, error: SpecError },
    #[error("{file}: generating the client failed: {message}")]
    Generate { file: String, message: String },
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// The workspace root: the xtask crate's parent directory.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_path_buf()
}

/// Renders every generated file of the generated crate's `src/` from the spec at `spec_path`.
pub fn render(spec_path: &Path) -> Result<Files, Error> {
    generate(spec_path, None, None)
}

/// What one step of [`steps::STEPS`] did: how many places it changed, and the file it
/// changed, as prettyplease writes it, before and after.
#[derive(Debug)]
pub struct StepTrace {
    pub name: &'static str,
    pub applied: usize,
    pub before: String,
    pub after: String,
}

/// [`render`], also recording what each step did.
pub fn render_traced(spec_path: &Path) -> Result<(Files, Vec<StepTrace>), Error> {
    let mut traces = Vec::new();
    let files = generate(spec_path, None, Some(&mut traces))?;
    Ok((files, traces))
}

/// The generated files; with `crate_dir`, its manifest too, with the feature list of the
/// spec's services in place of the one it has.
fn generate(
    spec_path: &Path,
    crate_dir: Option<&Path>,
    mut traces: Option<&mut Vec<StepTrace>>,
) -> Result<Files, Error> {
    let label = spec_label(spec_path);
    let spec_error = |error| Error::Spec {
        file: label.clone(),
        error,
    };
    let generate_error = |message: String| Error::Generate {
        file: label.clone(),
        message,
    };
    let text = std::fs::read(spec_path).map_err(|error| {
        spec_error(SpecError::at(
            "",
            format!("cannot read the spec: {error}"),
            "check --spec",
        ))
    })?;
    let digest = Sha256::digest(&text);
    let text = String::from_utf8(text).map_err(|_| {
        spec_error(SpecError::at(
            "",
            "the spec is not UTF-8",
            "save it as UTF-8",
        ))
    })?;
    let api = Api::from_yaml_str(&text).map_err(spec_error)?;
    let lowered = lower::lower(&api).map_err(spec_error)?;
    let written = progenitor_run::generate(&lowered.client, &lowered.mock, &lowered.origin)
        .map_err(spec_error)?;
    let parse = |tokens: proc_macro2::TokenStream, what: &str| {
        syn::parse2::<syn::File>(tokens)
            .map_err(|error| generate_error(format!("progenitor's {what} does not parse: {error}")))
    };
    let mut generated = Generated::parse(
        parse(written.client, "client")?,
        parse(written.mock, "mock")?,
    )
    .map_err(generate_error)?;
    let context = Context::new(&api);
    for step in STEPS {
        let print = |generated: &Generated| match step.part {
            Part::Client => generated.client_text(),
            Part::Mock => generated.mock_text(),
        };
        let before = traces.is_some().then(|| print(&generated));
        let applied = (step.run)(&context, &mut generated)
            .map_err(|why| generate_error(format!("step `{}`: {why}", step.name)))?;
        record(&mut traces, step, applied, before, || print(&generated)).map_err(generate_error)?;
    }
    let dynamic = dynamic::table(&generated.client, api.operations()).map_err(generate_error)?;

    let header = format!(
        "{GENERATED_MARK} by `cargo xtask regenerate` from {label}\n\
         // (SHA-256 {digest:x}) with progenitor-impl {progenitor}.\n\
         // Do not edit: change the spec or xtask/, then regenerate.\n\n",
        progenitor = progenitor_version(),
    );
    let mut files = Files::new();
    files.insert(
        PathBuf::from("src/client.rs"),
        header.clone() + &generated.client_text(),
    );
    files.insert(
        PathBuf::from("src/dynamic_table.rs"),
        header.clone() + &dynamic.file_text(),
    );
    files.insert(
        PathBuf::from("src/mock.rs"),
        header + &generated.mock_text(),
    );
    if let Some(crate_dir) = crate_dir {
        let path = crate_dir.join(MANIFEST);
        let manifest = std::fs::read_to_string(&path)?;
        let written = features::with_section(&manifest, &features::manifest_section(&api))
            .map_err(|why| generate_error(format!("{}: {why}", path.display())))?;
        files.insert(PathBuf::from(MANIFEST), written);
    }
    Ok(files)
}

/// Fails a step that changed nothing; when tracing, keeps what it changed.
fn record(
    traces: &mut Option<&mut Vec<StepTrace>>,
    step: &Step,
    applied: usize,
    before: Option<String>,
    after: impl FnOnce() -> String,
) -> Result<(), String> {
    if applied == 0 {
        return Err(steps::never_applied(step));
    }
    if let (Some(traces), Some(before)) = (traces, before) {
        traces.push(StepTrace {
            name: step.name,
            applied,
            before,
            after: after(),
        });
    }
    Ok(())
}

/// `spec_path` relative to the workspace when it is inside it, so output does not depend on
/// where the checkout is.
fn spec_label(spec_path: &Path) -> String {
    let root = workspace_root();
    let absolute = std::path::absolute(spec_path).unwrap_or_else(|_| spec_path.to_path_buf());
    absolute
        .strip_prefix(&root)
        .map(Path::to_path_buf)
        .unwrap_or(absolute)
        .to_string_lossy()
        .replace('\\', "/")
}

/// progenitor-impl's version as locked in `Cargo.lock`.
fn progenitor_version() -> String {
    let lock = std::fs::read_to_string(workspace_root().join("Cargo.lock")).unwrap_or_default();
    lock.split("[[package]]")
        .find(|entry| entry.contains("name = \"progenitor-impl\""))
        .and_then(|entry| entry.lines().find_map(|l| l.strip_prefix("version = ")))
        .map(|version| version.trim_matches('"').to_owned())
        .unwrap_or_else(|| "(version not locked)".to_owned())
}

/// What `regenerate` did.
#[derive(Debug)]
pub enum Outcome {
    /// Files written (0 when `generated/` was already up to date).
    Written(usize),
    /// `--check`: `generated/` is up to date.
    UpToDate,
    /// `--check`: `generated/` is stale, with the differences.
    Stale(Vec<Difference>),
}

/// Regenerates (or with `check`, compares) the crate at `crate_dir` from `spec_path`.
/// Nothing is written unless the whole generation succeeded.
pub fn regenerate(spec_path: &Path, crate_dir: &Path, check: bool) -> Result<Outcome, Error> {
    let files = generate(spec_path, Some(crate_dir), None)?;
    if check {
        let differences = output::differences(crate_dir, &files)?;
        return Ok(if differences.is_empty() {
            Outcome::UpToDate
        } else {
            Outcome::Stale(differences)
        });
    }
    Ok(Outcome::Written(output::write(crate_dir, &files)?))
}
