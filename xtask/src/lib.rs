//! `cargo xtask regenerate`: reads `spec/`, runs progenitor, and writes the `generated/` crate.
//!
//! The pipeline: load the spec and walk its methods ([`junos_space_spec`]), apply the named
//! transformations ([`transform`]), run progenitor, rewrite its requests to carry the exact
//! vendor media types ([`wire`]), mark fields for tolerant decoding, connect the client to
//! `junos-space-runtime` (hooks, error answers, operation traits), emit the dynamic
//! dispatcher, format with prettyplease, and write only if every step succeeded.

mod dynamic;
mod lenient;
mod mock;
mod names;
pub mod output;
mod progenitor_run;
mod runtime_glue;
mod syntax;
pub mod transform;
pub mod wire;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use junos_space_spec::{Spec, SpecError};
use quote::quote;
use sha2::{Digest, Sha256};
use syn::visit_mut::VisitMut;

pub use output::{Difference, Files};

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

/// Renders every file of the generated crate's `src/` from the spec at `spec_path`.
pub fn render(spec_path: &Path) -> Result<Files, Error> {
    let label = spec_label(spec_path);
    let spec_error = |error| Error::Spec {
        file: label.clone(),
        error,
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
    let document = transform::for_progenitor(&spec, &operations).map_err(spec_error)?;

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

    let generate_error = |message: String| Error::Generate {
        file: label.clone(),
        message,
    };
    let mut client: syn::File = syn::parse2(generated.client)
        .map_err(|error| generate_error(format!("progenitor's output does not parse: {error}")))?;
    let table: BTreeMap<String, wire::Wire> = operations
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
            };
            (names::progenitor_snake_case(&op.operation_id), wire)
        })
        .collect();
    wire::rewrite(&mut client, &table).map_err(generate_error)?;
    // Tripwires: each rewrite must still find what it rewrites in progenitor's output.
    let mut docs = GeneratedDocs { sketches: 0 };
    docs.visit_file_mut(&mut client);
    if docs.sketches == 0 {
        return Err(generate_error(
            "no ```ignore call sketch in progenitor's docs to mark as text: its doc shape changed, \
             update GeneratedDocs"
                .into(),
        ));
    }
    if lenient::annotate(&mut client).map_err(generate_error)? == 0 {
        return Err(generate_error(
            "no field of the generated types took a tolerant deserializer: progenitor's type \
             shape changed, update xtask/src/lenient.rs"
                .into(),
        ));
    }
    runtime_glue::apply(&mut client, &table).map_err(generate_error)?;
    client.items.extend(client_extras(&spec).items);
    let dynamic = dynamic::module(&client, &operations).map_err(generate_error)?;
    let mock = mock::module(generated.mock, &table, &spec.base_path()).map_err(generate_error)?;

    let header = format!(
        "// @generated by `cargo xtask regenerate` from {label}\n\
         // (SHA-256 {digest:x}) with progenitor-impl {progenitor}.\n\
         // Do not edit: change the spec or xtask/, then regenerate.\n\n",
        progenitor = progenitor_version(),
    );
    let format = |file: syn::File| header.clone() + &prettyplease::unparse(&file);
    let parse = |tokens: proc_macro2::TokenStream| {
        syn::parse2::<syn::File>(tokens).map_err(|error| generate_error(error.to_string()))
    };
    let mut files = Files::new();
    files.insert(
        PathBuf::from("src/lib.rs"),
        format(parse(crate_root(&spec))?),
    );
    files.insert(PathBuf::from("src/client.rs"), format(client));
    files.insert(PathBuf::from("src/dynamic.rs"), format(parse(dynamic)?));
    files.insert(PathBuf::from("src/mock.rs"), format(mock));
    Ok(files)
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

/// Items added to progenitor's client: the base path and a constructor that does not panic.
fn client_extras(spec: &Spec) -> syn::File {
    let base_path = spec.base_path();
    let timeout = progenitor_run::DEFAULT_TIMEOUT_SECS;
    let base_path_doc = format!(
        "The path under which the server serves this API: pass `https://HOST{base_path}` as the \
         base URL."
    );
    syn::parse_quote! {
        impl Client {
            #[doc = #base_path_doc]
            pub const BASE_PATH: &'static str = #base_path;

            /// Request timeout of [`Client::new`]. Real servers take close to a minute on some
            /// calls, so it is longer than the usual 15 s.
            pub const DEFAULT_TIMEOUT: ::std::time::Duration = ::std::time::Duration::from_secs(#timeout);

            /// A client whose requests (and connection attempts) give up after `timeout`.
            ///
            /// Unlike [`Client::new`], this returns the error when the HTTP client cannot be
            /// built (no TLS backend) instead of panicking.
            pub fn with_timeout(baseurl: &str, timeout: ::std::time::Duration) -> Result<Self, reqwest::Error> {
                let client = reqwest::ClientBuilder::new()
                    .connect_timeout(timeout)
                    .timeout(timeout)
                    .build()?;
                Ok(Self::new_with_client(baseurl, client, ::std::default::Default::default()))
            }
        }
    }
}

/// `lib.rs`: crate documentation, and the generated modules with their lint allowances.
fn crate_root(spec: &Spec) -> proc_macro2::TokenStream {
    let title = spec
        .document()
        .pointer("/info/title")
        .and_then(|t| t.as_str())
        .unwrap_or("API");
    let version = spec
        .document()
        .pointer("/info/version")
        .and_then(|t| t.as_str())
        .unwrap_or_default();
    let docs = [
        format!("Typed client for the {title} (API version {version})."),
        String::new(),
        "Generated from `spec/junos-space.yaml` by progenitor through `cargo xtask regenerate`."
            .to_owned(),
        "Every request carries the exact vendor `Content-Type` and `Accept` the spec names for"
            .to_owned(),
        "its operation; vendor `+json` answers decode into the types in [`types`].".to_owned(),
        String::new(),
        "```no_run".to_owned(),
        "# async fn example() -> Result<(), junos_space_api::Error<junos_space_api::types::Error>> {"
            .to_owned(),
        "let client = junos_space_api::Client::new(\"https://space.example.com/api/space\");"
            .to_owned(),
        "let devices = client".to_owned(),
        "    .list_devices()".to_owned(),
        "    .filter(\"deviceFamily eq 'junos'\")".to_owned(),
        "    .send()".to_owned(),
        "    .await?".to_owned(),
        "    .into_inner();".to_owned(),
        "for device in devices.devices.map(|d| d.device).unwrap_or_default() {".to_owned(),
        "    println!(\"{:?} {:?}\", device.name, device.ip_addr);".to_owned(),
        "}".to_owned(),
        "# Ok(()) }".to_owned(),
        "```".to_owned(),
    ];
    let docs = docs.iter().map(|line| format!(" {line}"));
    quote! {
        #(#![doc = #docs])*

        // progenitor's output is not written to this workspace's lint settings, and is
        // formatted by prettyplease, not rustfmt.
        #[allow(clippy::all, unused_imports, missing_docs)]
        #[rustfmt::skip]
        mod client;
        pub use client::*;

        /// Typed httpmock helpers: mock any operation of the spec in your own tests, with the
        /// exact vendor media types the client sends and a real server answers.
        #[cfg(feature = "mock")]
        #[allow(clippy::all)]
        #[rustfmt::skip]
        pub mod mock;

        /// Every operation callable by its spec operationId with JSON arguments.
        #[cfg(feature = "dynamic")]
        #[allow(clippy::all)]
        #[rustfmt::skip]
        pub mod dynamic;
    }
}

/// Tidies progenitor's documentation: split methods' paths read as the spec writes them, and
/// its call sketches (which use undefined variables, so can never compile) are marked as text
/// rather than as ignored doctests. Counts the sketches it marks.
struct GeneratedDocs {
    sketches: usize,
}

impl syn::visit_mut::VisitMut for GeneratedDocs {
    fn visit_attribute_mut(&mut self, attribute: &mut syn::Attribute) {
        if let syn::Meta::NameValue(doc) = &mut attribute.meta
            && doc.path.is_ident("doc")
            && let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(text),
                ..
            }) = &doc.value
        {
            let text = text.value();
            self.sketches += text.matches("```ignore").count();
            let restored = transform::restore_path_variables(&text).replace("```ignore", "```text");
            doc.value = syn::parse_quote!(#restored);
        }
    }
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
