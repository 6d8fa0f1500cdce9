//! Media types are parsed once: the model parses every one the spec writes
//! (`junos_space_model::api::Content::media_type`), and the products take them from there. Only
//! a header that came over the wire (or a constant of the product's own) is parsed elsewhere, in
//! the places listed below with why; a new `MediaType::parse` anywhere else fails here, naming
//! the file and line, so that a media type of the spec is never read twice. (The raw document
//! itself is not reachable outside the model: its reader is private to `crates/model`.)

use std::path::{Path, PathBuf};

use junos_space_suites::workspace_root;

/// Files of products that parse media types that did not come from the spec, and what.
const WIRE_PARSERS: [(&str, &str); 9] = [
    (
        "crates/runtime/src/answer.rs",
        "the Content-Type of an answer the client received",
    ),
    (
        "crates/simulator/src/negotiation.rs",
        "the Accept and Content-Type of a request the simulator received",
    ),
    (
        "crates/simulator/src/hornetq.rs",
        "the Content-Type of a queue's description, and HornetQ's own type, which no spec names",
    ),
    (
        "crates/conformance/src/shared/oracle.rs",
        "the headers a client sent or a server answered",
    ),
    (
        "crates/conformance/src/server/verdict.rs",
        "the Content-Type a server answered",
    ),
    (
        "crates/conformance/src/server/resolve.rs",
        "the Content-Type a server answered",
    ),
    (
        "crates/conformance/src/server/versions.rs",
        "the Content-Type a server answered to another version",
    ),
    (
        "crates/conformance/src/server/plan.rs",
        "the kit's own plain `application/json`, a type no spec names",
    ),
    (
        "crates/conformance/src/kit/request.rs",
        "the media range `*/*`, a type no spec names",
    ),
];

/// The products' sources: every `src/` of the crates, the xtask, and the generated crate's
/// hand-written files. Tests and benches may parse what they like.
fn sources() -> Vec<PathBuf> {
    let root = workspace_root();
    let mut roots: Vec<PathBuf> = std::fs::read_dir(root.join("crates"))
        .expect("crates/ reads")
        .map(|entry| entry.expect("an entry").path().join("src"))
        .collect();
    roots.push(root.join("xtask/src"));
    roots.push(root.join("generated/src"));
    let mut files = Vec::new();
    while let Some(dir) = roots.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                roots.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files
}

fn relative(path: &Path) -> String {
    path.strip_prefix(workspace_root())
        .unwrap_or(path)
        .display()
        .to_string()
        .replace('\\', "/")
}

#[test]
fn media_types_of_the_spec_are_parsed_only_by_the_model() {
    let mut found = Vec::new();
    let mut checked = 0;
    for path in sources() {
        let name = relative(&path);
        if name.starts_with("crates/model/") || name.starts_with("crates/media-type/") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("a source file reads");
        checked += 1;
        // A file's unit tests sit at its end, below `#[cfg(test)]`: fixtures, not products.
        let product = text.split("#[cfg(test)]").next().unwrap_or_default();
        let allowed = WIRE_PARSERS.iter().any(|(file, _)| *file == name);
        for (number, line) in product.lines().enumerate() {
            if line.contains("MediaType::parse(") && !allowed {
                found.push(format!("{name}:{}: {}", number + 1, line.trim()));
            }
        }
    }
    assert!(checked > 50, "only {checked} source files were read");
    assert!(
        found.is_empty(),
        "media types parsed outside the model, which has parsed every one the spec writes \
         (take `Content::media_type`; a header that came over the wire goes in WIRE_PARSERS \
         with why):\n{}",
        found.join("\n")
    );
}

#[test]
fn every_listed_wire_parser_still_parses() {
    for (file, what) in WIRE_PARSERS {
        let text = std::fs::read_to_string(workspace_root().join(file))
            .unwrap_or_else(|error| panic!("{file}: {error}"));
        let product = text.split("#[cfg(test)]").next().unwrap_or_default();
        assert!(
            product.contains("MediaType::parse("),
            "{file} no longer parses {what}: take it off WIRE_PARSERS"
        );
    }
}
