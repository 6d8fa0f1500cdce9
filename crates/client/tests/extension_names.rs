//! No extension method of this crate shares a name with a method the generated client has or
//! will have: an inherent method of the generated `Client` or of a builder would silently win
//! over the trait's, and a call would do something else.
//!
//! The generated names are read from the spec (through `junos_space_model`): an operation's
//! id names a method of `Client`, its parameters name setters of its builder, and progenitor
//! gives every builder `new`, `body`, `body_map`, `send` (with the xtask, `exchange` too). The
//! extension methods are read from this crate's source: every method of a trait named `*Ext`.
//! Names are compared without case or underscores (`listDevices` ~ `list_devices`), which
//! catches every clash progenitor's snake case can make, and a few more.

use std::collections::BTreeMap;
use std::path::Path;

use junos_space_model::Api;

/// Lower-case letters and digits only.
fn folded(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Every generated method name, folded, with what it is.
fn generated_names() -> BTreeMap<String, String> {
    let operations = Api::bundled().expect("the bundled spec reads").operations();
    let mut names = BTreeMap::new();
    for fixed in ["new", "body", "body_map", "send", "exchange"] {
        names.insert(folded(fixed), format!("every builder's `{fixed}`"));
    }
    for operation in operations {
        let id = &operation.id;
        names.insert(folded(id), format!("`Client::{id}` (operation `{id}`)"));
        for parameter in &operation.parameters {
            names.insert(
                folded(&parameter.name),
                format!("a setter of `{id}` (parameter `{}`)", parameter.name),
            );
        }
    }
    assert!(
        names.len() > operations.len(),
        "operations and parameters were read"
    );
    names
}

/// `(trait, method)` for every method of a trait named `*Ext` in `src/`.
fn extension_methods() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut methods = Vec::new();
    for entry in std::fs::read_dir(&src).expect("src/ reads") {
        let path = entry.expect("an entry").path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("a source file reads");
        let file = syn::parse_file(&text).expect("the source parses");
        for item in file.items {
            let syn::Item::Trait(extension) = item else {
                continue;
            };
            if !extension.ident.to_string().ends_with("Ext") {
                continue;
            }
            for item in &extension.items {
                if let syn::TraitItem::Fn(method) = item {
                    methods.push((extension.ident.to_string(), method.sig.ident.to_string()));
                }
            }
        }
    }
    methods
}

#[test]
fn no_extension_method_is_named_as_a_generated_one() {
    let generated = generated_names();
    let extensions = extension_methods();
    let traits: std::collections::BTreeSet<&str> =
        extensions.iter().map(|(t, _)| t.as_str()).collect();
    // The traits the prelude exports: a trait renamed away from `*Ext` would go unchecked.
    for expected in [
        "ClientExt",
        "SessionExt",
        "JobsExt",
        "CollectionExt",
        "PagedExt",
        "QueuesExt",
        "SecurityDirectorExt",
    ] {
        assert!(
            traits.contains(expected),
            "no `{expected}` found in src/: {traits:?}"
        );
    }
    let clashes: Vec<String> = extensions
        .iter()
        .filter_map(|(extension, method)| {
            generated
                .get(&folded(method))
                .map(|what| format!("`{extension}::{method}` is named as {what}"))
        })
        .collect();
    assert!(
        clashes.is_empty(),
        "rename these extension methods:\n{}",
        clashes.join("\n")
    );
}

#[test]
fn a_clash_would_be_found() {
    // The check itself: a method named as an operation or a parameter is caught.
    let generated = generated_names();
    for clash in ["list_devices", "getJob", "filter", "job_id", "send"] {
        assert!(generated.contains_key(&folded(clash)), "{clash}");
    }
    assert!(!generated.contains_key(&folded("items")));
}
