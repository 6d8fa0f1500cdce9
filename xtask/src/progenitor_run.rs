//! Runs progenitor on the lowered document, turning its errors and panics into findings
//! that point at the operation (or component) that caused them.

use std::collections::HashMap;
use std::panic::{self, AssertUnwindSafe};

use junos_space_model::{SpecError, pointer};
use proc_macro2::TokenStream;
use progenitor_impl::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};
use serde_json::{Map, Value};

/// Request timeout of `Client::new`, in seconds: real servers take close to a minute on some
/// calls (one GET of 48.8 s is on record), so progenitor's 15 s would cut them off.
pub const DEFAULT_TIMEOUT_SECS: u64 = 120;

fn settings() -> GenerationSettings {
    let mut settings = GenerationSettings::default();
    settings
        // Builders let an optional query parameter be added later without breaking callers.
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_timeout(DEFAULT_TIMEOUT_SECS)
        // Tests and users compare decoded values.
        .with_derive("PartialEq")
        // Every request goes through junos-space-runtime (credentials, retries, tracing):
        // the client keeps a `Runtime`, and the hook that uses it is hand-written in
        // `generated/src/lib.rs`; `Expected` makes a missing impl a compile error.
        .with_inner_type(quote::quote!(::junos_space_runtime::Runtime))
        .with_hooks(HooksMode::Expected);
    settings
}

/// Generates the client's and the mocks' token streams from their lowered documents.
/// `origin` maps each operationId to where that method stands in the spec, since the lowered
/// documents' pointers (a split operation's copied path) are not the spec's.
pub fn generate(
    client: &Value,
    mock: &Value,
    origin: &HashMap<String, String>,
) -> Result<Generated, SpecError> {
    let client_openapi = parse_openapi(client)?;
    let mock_openapi = parse_openapi(mock)?;
    run_generator(&client_openapi, &mock_openapi)
        .map_err(|message| locate_fault(client, origin, &message))
}

/// Reads the document as openapiv3 does; a shape it refuses is reported at its pointer.
fn parse_openapi(document: &Value) -> Result<openapiv3::OpenAPI, SpecError> {
    serde_path_to_error::deserialize(document).map_err(|error| {
        let tokens: Vec<String> = error
            .path()
            .iter()
            .filter_map(|segment| match segment {
                serde_path_to_error::Segment::Seq { index } => Some(index.to_string()),
                serde_path_to_error::Segment::Map { key } => Some(key.clone()),
                serde_path_to_error::Segment::Enum { .. }
                | serde_path_to_error::Segment::Unknown => None,
            })
            .collect();
        SpecError::at(
            pointer::from_tokens(tokens.iter().map(String::as_str)),
            format!("not a valid OpenAPI 3.0 object: {}", error.inner()),
            "compare this node with the OpenAPI specification",
        )
    })
}

/// What progenitor generates from one document.
pub struct Generated {
    /// The client.
    pub client: TokenStream,
    /// progenitor's typed httpmock extension (`MockServerExt`), for the `mock` module.
    pub mock: TokenStream,
}

/// Runs progenitor, catching its panics (`todo!`, `unimplemented!`) as error messages.
fn run_generator(
    client: &openapiv3::OpenAPI,
    mock: &openapiv3::OpenAPI,
) -> Result<Generated, String> {
    let previous_hook = panic::take_hook();
    // progenitor's panics are reported as findings; the default hook would also print them.
    panic::set_hook(Box::new(|_| {}));
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        let client = Generator::new(&settings()).generate_tokens(client)?;
        // The mock module lives in the client crate, so its types are `crate::types`.
        let mock = Generator::new(&settings()).httpmock(mock, "crate")?;
        Ok::<_, progenitor_impl::Error>(Generated { client, mock })
    }));
    panic::set_hook(previous_hook);
    match outcome {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(error)) => Err(format!("progenitor refused the document: {error}")),
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(no message)".to_owned());
            Err(format!("progenitor panicked: {message}"))
        }
    }
}

/// Finds the first operation that fails on its own, so the finding names it. The client's
/// document stands for both: the mocks' differs only in the statuses it shows.
fn locate_fault(document: &Value, origin: &HashMap<String, String>, message: &str) -> SpecError {
    let hint = "progenitor cannot generate this part; simplify it, or add a rule to the \
                lowering in xtask/src/lower.rs";
    let paths = document
        .get("paths")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut alone = document.clone();
    alone["paths"] = Value::Object(Map::new());
    if parse_openapi(&alone).is_ok_and(|openapi| run_generator(&openapi, &openapi).is_err()) {
        return SpecError::at("/components", message, hint);
    }
    for (path, item) in &paths {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let mut only = Map::new();
            only.insert(method.clone(), operation.clone());
            let mut single = Map::new();
            single.insert(path.clone(), Value::Object(only));
            alone["paths"] = Value::Object(single);
            let fails = parse_openapi(&alone)
                .is_ok_and(|openapi| run_generator(&openapi, &openapi).is_err());
            if fails {
                let at = operation
                    .get("operationId")
                    .and_then(Value::as_str)
                    .and_then(|id| origin.get(id).cloned())
                    .unwrap_or_else(|| pointer::from_tokens(["paths", path, method]));
                return SpecError::at(at, message, hint);
            }
        }
    }
    SpecError::at("", message, hint)
}
