//! Coverage of the platform API: every operation Juniper's own client describes
//! (`spec/platform-operations.tsv`) is in `spec/junos-space.yaml`, or listed in
//! `spec/platform-left-out.tsv` with the reason it is left out, or counted as still to add;
//! and the README's table by service says exactly that. Run with `COVERAGE_BLESS=1` to write
//! the table after a change to the spec.

use std::collections::{BTreeMap, BTreeSet};

use junos_space_model::Api;
use junos_space_model::api::Operation;
use junos_space_suites::{api, workspace_root};

/// Where the README's table stands: between these two lines.
const TABLE_START: &str = "<!-- coverage table: written by tests/coverage.rs -->";
const TABLE_END: &str = "<!-- end of coverage table -->";

/// A method and path template, its parameters' names left out: `{id}` and `{device_id}` are
/// the same place.
type Place = (String, String);

fn place(method: &str, path: &str) -> Place {
    let mut template = String::with_capacity(path.len());
    let mut in_parameter = false;
    for c in path.chars() {
        match c {
            '{' => in_parameter = true,
            '}' => {
                in_parameter = false;
                template.push_str("{}");
            }
            _ if !in_parameter => template.push(c),
            _ => {}
        }
    }
    (method.to_ascii_uppercase(), template)
}

/// One row of a TSV file under `spec/`, its cells by column name.
struct Row {
    line: usize,
    cells: BTreeMap<String, String>,
}

impl Row {
    fn cell(&self, column: &str) -> &str {
        self.cells.get(column).map_or("", String::as_str)
    }
}

fn tsv(name: &str) -> Vec<Row> {
    let path = workspace_root().join("spec").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("spec/{name}: {e}"));
    let mut lines = text.lines().enumerate();
    let (_, header) = lines
        .next()
        .unwrap_or_else(|| panic!("spec/{name} is empty"));
    let columns: Vec<&str> = header.split('\t').collect();
    lines
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| {
            let values: Vec<&str> = line.split('\t').collect();
            assert_eq!(
                values.len(),
                columns.len(),
                "spec/{name}:{}: {} cells, the header names {}",
                index + 1,
                values.len(),
                columns.len()
            );
            let cells = columns
                .iter()
                .zip(values)
                .map(|(c, v)| ((*c).to_owned(), v.to_owned()))
                .collect();
            Row {
                line: index + 1,
                cells,
            }
        })
        .collect()
}

/// The service of a path below the base path: its first segment.
fn service_of(path: &str) -> &str {
    path.trim_start_matches('/')
        .split(['/', '?'])
        .next()
        .unwrap_or_default()
}

/// The vendor name of a media type without its format and parameters:
/// `…device-management.devices+json;version=2` → `…device-management.devices`.
fn type_name(media_type: &str) -> &str {
    let end = media_type.find(['+', ';']).unwrap_or(media_type.len());
    media_type[..end].trim()
}

/// The type names a row's note says the live server's list (LAM) declares beyond the row's
/// columns ("LAM also declares Accept config-template-management.configuration-cli+xml;version=2"):
/// the note writes them without the vendor prefix, and they are the same operation's types.
fn declared_by_lam(note: &str) -> Vec<String> {
    note.split("LAM also declares")
        .skip(1)
        .flat_map(|declared| declared.split(|c: char| c.is_whitespace() || c == ','))
        .filter(|word| word.contains("+xml") || word.contains("+json"))
        .map(|word| format!("application/vnd.net.juniper.space.{}", type_name(word)))
        .collect()
}

/// Every media type name an operation of the spec sends or takes.
fn spec_type_names(operation: &Operation) -> BTreeSet<&str> {
    let request = operation.request.iter().map(|body| &body.content);
    let answers = operation.responses.iter().flat_map(|r| &r.contents);
    request
        .chain(answers)
        .map(|content| type_name(&content.text))
        .collect()
}

/// A method whose bodies are all typed: its request body and every answer type it accepts
/// have a schema.
fn typed(operation: &Operation) -> bool {
    operation
        .request
        .as_ref()
        .is_none_or(|body| body.content.schema.is_some())
        && operation
            .accept
            .iter()
            .all(|content| content.schema.is_some())
}

/// The counts of one service, and the README row they make.
#[derive(Default)]
struct Counts {
    described: usize,
    in_spec: usize,
    left_out: usize,
    to_add: usize,
    methods: usize,
    typed: usize,
    sourced: usize,
}

fn table(api: &Api, inventory: &[Row], left_out: &BTreeSet<Place>) -> String {
    let in_spec: BTreeSet<Place> = api
        .operations()
        .iter()
        .map(|op| place(op.method.as_str(), &op.path))
        .collect();
    let mut services: BTreeMap<&str, Counts> = BTreeMap::new();
    for row in inventory {
        let counts = services.entry(row.cell("service")).or_default();
        counts.described += 1;
        let here = place(row.cell("method"), row.cell("path"));
        if in_spec.contains(&here) {
            counts.in_spec += 1;
        } else if left_out.contains(&here) {
            counts.left_out += 1;
        } else {
            counts.to_add += 1;
        }
    }
    for operation in api.operations() {
        let counts = services.entry(operation.service()).or_default();
        counts.methods += 1;
        counts.typed += usize::from(typed(operation));
        counts.sourced += usize::from(operation.source.is_some());
    }
    let mut text = String::from(
        "| service | operations Juniper's client describes | in `spec/` | left out | to add | \
         client methods | typed bodies | sourced |\n|---|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    let mut total = Counts::default();
    for (service, c) in &services {
        text.push_str(&format!(
            "| {service} | {} | {} | {} | {} | {} | {} | {} |\n",
            c.described, c.in_spec, c.left_out, c.to_add, c.methods, c.typed, c.sourced
        ));
        total.described += c.described;
        total.in_spec += c.in_spec;
        total.left_out += c.left_out;
        total.to_add += c.to_add;
        total.methods += c.methods;
        total.typed += c.typed;
        total.sourced += c.sourced;
    }
    text.push_str(&format!(
        "| **all** | {} | {} | {} | {} | {} | {} | {} |\n",
        total.described,
        total.in_spec,
        total.left_out,
        total.to_add,
        total.methods,
        total.typed,
        total.sourced
    ));
    text
}

fn inventory() -> Vec<Row> {
    tsv("platform-operations.tsv")
}

fn left_out() -> Vec<Row> {
    tsv("platform-left-out.tsv")
}

#[test]
fn every_inventory_row_is_one_place_of_its_service() {
    let mut seen = BTreeSet::new();
    for row in inventory() {
        let (method, path) = (row.cell("method"), row.cell("path"));
        assert!(
            ["GET", "POST", "PUT", "DELETE", "PATCH"].contains(&method),
            "platform-operations.tsv:{}: method `{method}`",
            row.line
        );
        assert_eq!(
            service_of(path),
            row.cell("service"),
            "platform-operations.tsv:{}: `{path}` is not below its service",
            row.line
        );
        assert!(
            seen.insert(place(method, path)),
            "platform-operations.tsv:{}: {method} {path} is listed twice",
            row.line
        );
    }
}

#[test]
fn an_operation_left_out_is_described_absent_from_the_spec_and_says_why() {
    let described: BTreeSet<Place> = inventory()
        .iter()
        .map(|r| place(r.cell("method"), r.cell("path")))
        .collect();
    let in_spec: BTreeSet<Place> = api()
        .operations()
        .iter()
        .map(|op| place(op.method.as_str(), &op.path))
        .collect();
    for row in left_out() {
        let here = place(row.cell("method"), row.cell("path"));
        let at = format!("platform-left-out.tsv:{}", row.line);
        assert!(described.contains(&here), "{at}: not in the inventory");
        assert!(!in_spec.contains(&here), "{at}: the spec has it after all");
        assert!(
            row.cell("reason").split_whitespace().count() >= 4,
            "{at}: the reason must say why, in words"
        );
    }
}

#[test]
fn an_operation_of_the_spec_in_the_inventory_speaks_one_of_its_media_types() {
    // A matching method and path with no vendor type in common would be another operation
    // put at the wrong place: the inventory's row and the spec must share a type name.
    let rows: BTreeMap<Place, Row> = inventory()
        .into_iter()
        .map(|r| (place(r.cell("method"), r.cell("path")), r))
        .collect();
    // The methods one place's request body types make speak for it together.
    let mut spoken: BTreeMap<Place, BTreeSet<&str>> = BTreeMap::new();
    for operation in api().operations() {
        spoken
            .entry(place(operation.method.as_str(), &operation.path))
            .or_default()
            .extend(spec_type_names(operation));
    }
    for (here, spoken) in &spoken {
        let Some(row) = rows.get(here) else {
            continue;
        };
        let described: BTreeSet<String> = [row.cell("accept"), row.cell("content_type")]
            .into_iter()
            .flat_map(|cell| cell.split(" | "))
            .filter(|t| !t.trim().is_empty())
            .map(|t| type_name(t).to_owned())
            .chain(declared_by_lam(row.cell("note")))
            .collect();
        // A row without media types (a cancel takes and answers no vendor type) says nothing.
        assert!(
            described.is_empty() || spoken.iter().any(|name| described.contains(*name)),
            "{} {} speaks {spoken:?}; platform-operations.tsv:{} describes {described:?}",
            here.0,
            here.1,
            row.line
        );
    }
}

#[test]
fn the_readme_table_counts_what_the_spec_holds() {
    let left_out: BTreeSet<Place> = left_out()
        .iter()
        .map(|r| place(r.cell("method"), r.cell("path")))
        .collect();
    let expected = table(api(), &inventory(), &left_out);
    let path = workspace_root().join("README.md");
    let readme = std::fs::read_to_string(&path).expect("README.md reads");
    let start = readme
        .find(TABLE_START)
        .map(|at| at + TABLE_START.len() + 1)
        .expect("README.md has the coverage table's start line");
    let end = readme[start..]
        .find(TABLE_END)
        .map(|at| start + at)
        .expect("README.md has the coverage table's end line");
    if readme[start..end] == expected {
        return;
    }
    if std::env::var_os("COVERAGE_BLESS").is_some() {
        let written = format!("{}{expected}{}", &readme[..start], &readme[end..]);
        std::fs::write(&path, written).expect("README.md writes");
        return;
    }
    panic!(
        "README.md's coverage table is not what the spec holds; run with COVERAGE_BLESS=1 \
         to write it, or put this between its lines:\n{expected}"
    );
}

#[test]
fn a_type_lam_also_declares_is_read_from_the_note() {
    let note = "LAM also declares Accept config-template-management.config-template+xml;version=1; \
                LAM also declares Content-Type a.b+xml;version=1;charset=UTF-8, a.c+xml;version=1";
    assert_eq!(
        declared_by_lam(note),
        [
            "application/vnd.net.juniper.space.config-template-management.config-template",
            "application/vnd.net.juniper.space.a.b",
            "application/vnd.net.juniper.space.a.c",
        ]
    );
    assert!(declared_by_lam("Accept x.y+xml;version=2 is from PSP-A").is_empty());
}
