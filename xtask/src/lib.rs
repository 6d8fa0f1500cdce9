//! `cargo xtask regenerate`: reads `spec/`, runs progenitor, and writes the generated files
//! of the `generated/` crate.
//!
//! The pipeline: load the spec and walk its methods ([`junos_space_model`]), run the document
//! fix-ups of [`steps::STEPS`], run progenitor, run the table's rewrites of its client and
//! mocks, emit the dynamic dispatcher, format with prettyplease, and write only
//! if every step succeeded. `generated/src/lib.rs` is hand-written and never touched.

mod docs;
mod dynamic;
mod lenient;
// Wired into the pipeline once the document fix-ups of `steps` go (the same session).
#[allow(dead_code)]
mod lower;
mod mock;
mod names;
pub mod output;
mod progenitor_run;
mod runtime_glue;
pub mod steps;
mod syntax;
mod transform;
pub mod wire;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use junos_space_model::{Operation, Spec, SpecError};
use sha2::{Digest, Sha256};

use steps::{Action, Input, STEPS, Step};

pub use output::{Difference, Files, GENERATED_MARK};

/// Where things are, relative to the workspace root.
pub const SPEC_PATH: &str = "spec/junos-space.yaml";
pub const GENERATED_DIR: &str = "generated";

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
    generate(spec_path, None)
}

/// What one step of [`steps::STEPS`] did: how many places it changed, and the text it
/// changed (the document as pretty JSON, or the file as prettyplease writes it) before and
/// after.
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
    let files = generate(spec_path, Some(&mut traces))?;
    Ok((files, traces))
}

fn generate(spec_path: &Path, mut traces: Option<&mut Vec<StepTrace>>) -> Result<Files, Error> {
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
    let spec = Spec::from_yaml_str(&text).map_err(spec_error)?;
    let operations = spec.operations().map_err(spec_error)?;
    let wire = wire_table(&spec, &operations);
    let input = Input {
        spec: &spec,
        operations: &operations,
        wire: &wire,
    };

    let mut document = spec.document().clone();
    for step in STEPS {
        let Action::Document(fixup) = step.action else {
            continue;
        };
        let before = traces.is_some().then(|| pretty_json(&document));
        let applied = fixup(&input, &mut document).map_err(spec_error)?;
        record(&mut traces, step, applied, before, || {
            pretty_json(&document)
        })
        .map_err(generate_error)?;
    }

    let origin: HashMap<String, String> = operations
        .iter()
        .map(|op| {
            let at = op.request_body.as_ref().filter(|_| op.variant_of.is_some());
            (
                op.operation_id.clone(),
                at.map_or(op.pointer.clone(), |b| b.pointer.clone()),
            )
        })
        .collect();
    let generated = progenitor_run::generate(&document, &origin).map_err(spec_error)?;
    let parse = |tokens: proc_macro2::TokenStream, what: &str| {
        syn::parse2::<syn::File>(tokens)
            .map_err(|error| generate_error(format!("progenitor's {what} does not parse: {error}")))
    };
    let mut client = parse(generated.client, "client")?;
    let mut mock = parse(generated.mock, "mock")?;
    for step in STEPS {
        let (rewrite, file) = match step.action {
            Action::Document(_) => continue,
            Action::Client(rewrite) => (rewrite, &mut client),
            Action::Mock(rewrite) => (rewrite, &mut mock),
        };
        let before = traces.is_some().then(|| prettyplease::unparse(file));
        let applied = rewrite(&input, file).map_err(generate_error)?;
        record(&mut traces, step, applied, before, || {
            prettyplease::unparse(file)
        })
        .map_err(generate_error)?;
    }
    let dynamic = dynamic::module(&client, &operations).map_err(generate_error)?;
    let dynamic = parse(dynamic, "dispatcher")?;

    let header = format!(
        "{GENERATED_MARK} by `cargo xtask regenerate` from {label}\n\
         // (SHA-256 {digest:x}) with progenitor-impl {progenitor}.\n\
         // Do not edit: change the spec or xtask/, then regenerate.\n\n",
        progenitor = progenitor_version(),
    );
    let format = |file: &syn::File| header.clone() + &prettyplease::unparse(file);
    let mut files = Files::new();
    files.insert(PathBuf::from("src/client.rs"), format(&client));
    files.insert(PathBuf::from("src/dynamic.rs"), format(&dynamic));
    files.insert(PathBuf::from("src/mock.rs"), format(&mock));
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

fn pretty_json(document: &serde_json::Value) -> String {
    serde_json::to_string_pretty(document).unwrap_or_default() + "\n"
}

/// Each method's wire facts, keyed by progenitor's snake-case operation id.
fn wire_table(spec: &Spec, operations: &[Operation]) -> BTreeMap<String, wire::Wire> {
    operations
        .iter()
        .map(|op| {
            let wire = wire::Wire {
                operation_id: op.operation_id.clone(),
                accept: op.accept_header(),
                accepted: op.accept.clone(),
                answer_types: op
                    .responses
                    .iter()
                    .filter_map(|r| {
                        let status = r.status.parse().ok()?;
                        Some((status, r.content.first()?.media_type.clone()))
                    })
                    .collect(),
                content_type: op.content_type().map(str::to_owned),
                collection: spec
                    .answer_list_shape(op)
                    .map(|shape| wire::CollectionNames {
                        envelope: shape.envelope.to_owned(),
                        member: shape.member.to_owned(),
                        count: shape.count.map(str::to_owned),
                    }),
                session: op.session,
                method: op.method.as_str().to_ascii_uppercase(),
            };
            (names::progenitor_snake_case(&op.operation_id), wire)
        })
        .collect()
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
    let files = render(spec_path)?;
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
