//! Provenance you can check: `spec/junos-space.yaml` against the seed it started from
//! (`spec/seed/junos-space.yaml`, kept verbatim), operation by operation. Every difference
//! must have its row in `spec/README.md` ("Differences from the seed") naming the vendor's
//! source and a confidence, every row must still be a difference, and every operation of the
//! spec must name its source (`x-source`).

use std::collections::BTreeMap;

use junos_space_model::Api;
use junos_space_model::diff::{Difference, differences};
use junos_space_suites::workspace_root;

/// The heading of the table in `spec/README.md`.
const TABLE: &str = "## Differences from the seed";

/// One row of the table: operation, aspect, seed's form, vendor's form, source, confidence.
#[derive(Debug)]
struct Row {
    line: usize,
    cells: Vec<String>,
}

fn rows() -> BTreeMap<(String, String), Row> {
    let path = workspace_root().join("spec/README.md");
    let text = std::fs::read_to_string(&path).expect("spec/README.md reads");
    let start = text
        .find(TABLE)
        .unwrap_or_else(|| panic!("spec/README.md has no `{TABLE}` section"));
    let first_line = text[..start].lines().count() + 1;
    let mut rows = BTreeMap::new();
    for (offset, line) in text[start..].lines().enumerate().skip(1) {
        if line.starts_with("## ") {
            break;
        }
        let Some(inner) = line.strip_prefix('|').and_then(|l| l.strip_suffix('|')) else {
            continue;
        };
        let cells: Vec<String> = inner.split(" | ").map(|c| c.trim().to_owned()).collect();
        if cells[0] == "operation" || cells[0].starts_with("---") {
            continue;
        }
        let line = first_line + offset;
        assert_eq!(
            cells.len(),
            6,
            "spec/README.md:{line}: a row has six cells: {inner}"
        );
        let key = (cells[0].trim_matches('`').to_owned(), cells[1].clone());
        let previous = rows.insert(key.clone(), Row { line, cells });
        assert!(previous.is_none(), "spec/README.md:{line}: {key:?} twice");
    }
    rows
}

fn found() -> Vec<Difference> {
    let seed = Api::load(&workspace_root().join("spec/seed/junos-space.yaml")).expect("seed");
    differences(&seed, junos_space_suites::api())
}

#[test]
fn every_difference_from_the_seed_is_recorded_with_its_source() {
    let found = found();
    assert!(
        !found.is_empty(),
        "the spec is rebuilt on the vendor's forms"
    );
    let rows = rows();
    let mut unrecorded = Vec::new();
    for difference in &found {
        let key = (difference.operation.clone(), difference.aspect.clone());
        let Some(row) = rows.get(&key) else {
            unrecorded.push(difference.to_string());
            continue;
        };
        let [.., source, confidence] = &row.cells[..] else {
            unreachable!("six cells, checked when read");
        };
        assert!(
            !source.is_empty() && !confidence.is_empty(),
            "spec/README.md:{}: {key:?} needs a source and a confidence",
            row.line
        );
        // A field only one side has is named in the row, so the record says what changed.
        let text = row.cells.join(" ");
        for field in &difference.fields {
            let path = field[2..].split(':').next().unwrap_or_default();
            let name = path
                .rsplit('.')
                .next()
                .unwrap_or_default()
                .trim_end_matches("[]");
            assert!(
                text.contains(&format!("`{name}`")),
                "spec/README.md:{}: {key:?} does not name the field `{name}` ({field})",
                row.line
            );
        }
    }
    assert!(
        unrecorded.is_empty(),
        "{} difference(s) from the seed have no row in spec/README.md ({TABLE}):\n{}",
        unrecorded.len(),
        unrecorded.join("\n")
    );
}

#[test]
fn every_row_is_still_a_difference() {
    let found = found();
    for ((operation, aspect), row) in rows() {
        assert!(
            found
                .iter()
                .any(|d| d.operation == operation && d.aspect == aspect),
            "spec/README.md:{}: `{operation}` / `{aspect}` no longer differs from the seed",
            row.line
        );
    }
}

#[test]
fn every_operation_names_its_vendor_source() {
    // Juniper's own: its SDK reference, its Python client and Ansible collection; for
    // Security Director also SD's REST reference, its web UI's code, and the SD clients
    // Juniper's engineers wrote (SDAPI, SHR, YAPT, PSPSD): spec/README.md, Sources.
    const PLATFORM: &[&str] = &["SDK", "PSP", "SAC"];
    const SECURITY_DIRECTOR: &[&str] = &["SDG13", "SDAPI", "SHR", "SDUI", "YAPT", "PSPSD", "SAC"];
    for operation in junos_space_suites::api().operations() {
        let source = operation.source.as_deref().unwrap_or_default();
        let juniper = if operation.service() == "sd" {
            SECURITY_DIRECTOR
        } else {
            PLATFORM
        };
        assert!(
            juniper.iter().any(|key| source.contains(key)),
            "{} ({}) names no Juniper source in x-source (one of {juniper:?})",
            operation.id,
            operation.pointer
        );
    }
}

#[test]
fn the_crates_carry_spec_unchanged() {
    let path = junos_space_suites::workspace_root().join("spec/junos-space.yaml");
    let on_disk = std::fs::read_to_string(&path).expect("spec/ reads");
    assert!(
        on_disk == junos_space_model::BUNDLED_SPEC,
        "crates/model/junos-space.yaml must be a link to spec/junos-space.yaml: the simulator \
         and check-server serve and check the bundled copy"
    );
}

/// The heading of the decisions in `spec/README.md`.
const DECISIONS: &str = "## Decisions";

/// The id of every decision row (`- \`id\`: ...`), each once, with its line.
fn decision_rows() -> BTreeMap<String, usize> {
    let text = std::fs::read_to_string(workspace_root().join("spec/README.md"))
        .expect("spec/README.md reads");
    let start = text
        .find(DECISIONS)
        .unwrap_or_else(|| panic!("spec/README.md has no `{DECISIONS}` section"));
    let first_line = text[..start].lines().count() + 1;
    let mut ids = BTreeMap::new();
    for (offset, line) in text[start..].lines().enumerate().skip(1) {
        if line.starts_with("## ") {
            break;
        }
        let Some(id) = line
            .strip_prefix("- `")
            .and_then(|rest| rest.split_once("`:"))
            .map(|(id, _)| id)
        else {
            continue;
        };
        let line = first_line + offset;
        let previous = ids.insert(id.to_owned(), line);
        assert!(
            previous.is_none(),
            "spec/README.md:{line}: decision `{id}` twice"
        );
    }
    ids
}

/// Every form the spec marks as a decision (`x-decision`) names a row of "Decisions": the
/// products read a decided form differently from a documented one, so each must say why.
#[test]
fn every_decided_form_names_a_row_of_the_decisions() {
    let rows = decision_rows();
    let api = junos_space_suites::api();
    let mut named = 0;
    for (decision, at) in api.decisions() {
        named += 1;
        assert!(
            rows.contains_key(decision.id()),
            "#{at}: x-decision `{}` has no row in spec/README.md \"Decisions\" (rows: {:?})",
            decision.id(),
            rows.keys().collect::<Vec<_>>()
        );
    }
    assert!(
        named > 0,
        "spec/ marks no decision: every form would read as a documented fact"
    );
}
