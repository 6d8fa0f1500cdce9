//! A new operation in `spec/` needs no code: the made-up `listWidgets` of
//! `tests/fixtures/new-operation.json`, added to a copy of the spec, is served by the
//! simulator, probed and passed by `check-server`, given its cells in the kit's coverage
//! matrix and its `junos-space api` command with the collection's flags, and generated: its
//! method, builder, table rows, mock, dispatcher row and the feature of its service.

use std::time::Duration;

use junos_space_cli::operations::Operations;
use junos_space_conformance::kit::coverage::Coverage;
use junos_space_conformance::server::check_server;
use junos_space_conformance::server::options::Options;
use junos_space_conformance::server::outcome::Outcome;
use junos_space_conformance::server::target::{Connection, Target};
use junos_space_model::Api;
use junos_space_runtime::Credentials;
use junos_space_simulator::{Config, JobSettings, Simulator};
use junos_space_suites::document_with_new_operation;

const NEW: &str = "listWidgets";

/// The copy of the spec with the new operation, read by the model as any spec is.
fn api_with_new_operation() -> &'static Api {
    let api = Api::from_value(document_with_new_operation()).expect("the copy reads");
    Box::leak(Box::new(api))
}

/// The copy written to a file, as the simulator and the generator take a spec.
fn spec_file() -> tempfile::NamedTempFile {
    let spec = tempfile::NamedTempFile::new().expect("a temporary file");
    // JSON is YAML: the copy reads as spec/ does.
    std::fs::write(spec.path(), document_with_new_operation().to_string()).expect("written");
    spec
}

#[tokio::test]
async fn the_simulator_serves_it_and_check_server_passes_it() {
    let spec = spec_file();
    let simulator = Simulator::start(Config {
        spec: Some(spec.path().to_path_buf()),
        jobs: JobSettings {
            duration: Duration::from_millis(20),
            ..JobSettings::default()
        },
        ..Config::default()
    })
    .await
    .expect("the simulator serves the copy");
    let account = &simulator.config().credentials[0];
    let target = Target::new(
        &simulator.base_url(),
        Credentials::new(account.user.clone(), account.password.clone()),
        &Connection::default(),
    )
    .expect("a target");
    let options = Options {
        only: vec![NEW.to_owned()],
        ..Options::default()
    };
    let report = check_server(api_with_new_operation(), &target, &options)
        .await
        .expect("the copy is walkable");
    let summary = report.summary();
    let probes: Vec<_> = report
        .results
        .iter()
        .filter(|r| r.operation_id == NEW)
        .collect();
    assert!(!probes.is_empty(), "{NEW} was not probed:\n{summary}");
    assert!(
        probes
            .iter()
            .any(|r| matches!(r.outcome, Outcome::Passed { .. })),
        "{summary}"
    );
    assert!(report.is_success() && report.warned() == 0, "{summary}");
    simulator.shutdown().await;
}

#[test]
fn the_kit_gives_it_its_cells_in_the_coverage_matrix() {
    let api = api_with_new_operation();
    let coverage = Coverage::of(api.operations()).expect("the matrix of the copy");
    let cells: Vec<(&str, &str)> = coverage
        .missing()
        .iter()
        .filter(|cell| cell.operation == NEW)
        .map(|cell| (cell.status.as_str(), cell.media_type.as_str()))
        .collect();
    // Nothing ran yet: what the client sends and each documented answer are cells to fill.
    let statuses: Vec<&str> = cells.iter().map(|(status, _)| *status).collect();
    for status in ["request", "200", "400", "401"] {
        assert!(
            statuses.contains(&status),
            "no cell for {status}: {cells:?}"
        );
    }
}

#[test]
fn the_command_line_offers_it_with_the_collection_flags() {
    let command = Operations::new(api_with_new_operation()).command();
    let widgets = command
        .find_subcommand("list-widgets")
        .unwrap_or_else(|| panic!("no `api list-widgets`"));
    let flags: Vec<&str> = widgets
        .get_arguments()
        .filter_map(|a| a.get_long())
        .collect();
    for flag in ["filter", "paging", "sortby"] {
        assert!(
            flags.contains(&flag),
            "`api list-widgets` lacks --{flag}: {flags:?}"
        );
    }
}

#[test]
fn the_generator_writes_its_method_builder_rows_mock_and_feature() {
    let spec = spec_file();
    let files = xtask::render(spec.path()).expect("the copy generates");
    let file = |name: &str| files[std::path::Path::new(name)].as_str();
    let client: syn::File = syn::parse_str(file("src/client.rs")).expect("client.rs parses");
    let gate: syn::Attribute = syn::parse_quote!(#[cfg(feature = "widget-management")]);
    let gated = |attributes: &[syn::Attribute]| attributes.contains(&gate);
    // Every item of the new service is compiled by its feature: the client's method, the
    // builder, the types only it reaches.
    let mut found = Vec::new();
    for item in &client.items {
        match item {
            syn::Item::Impl(block) => {
                for member in &block.items {
                    if let syn::ImplItem::Fn(function) = member
                        && function.sig.ident == "list_widgets"
                    {
                        assert!(gated(&function.attrs), "Client::list_widgets is not gated");
                        found.push("Client::list_widgets");
                    }
                }
            }
            syn::Item::Mod(module) if module.ident == "types" || module.ident == "builder" => {
                for inner in &module.content.as_ref().expect("a body").1 {
                    if let syn::Item::Struct(strukt) = inner
                        && ["ListWidgets", "WidgetList", "Widget"]
                            .contains(&&*strukt.ident.to_string())
                    {
                        assert!(gated(&strukt.attrs), "{} is not gated", strukt.ident);
                        found.push("struct");
                    }
                }
            }
            _ => {}
        }
    }
    assert_eq!(found.len(), 4, "{found:?}");
    let text = file("src/client.rs");
    for row in [
        "ListWidgets {",
        "ListWidgets(types::WidgetList => types::Widget) {",
    ] {
        assert!(
            text.contains(&format!("#[cfg(feature = \"widget-management\")]\n        {row}"))
                || text.contains(&format!(
                    "#[cfg(feature = \"widget-management\")]\n        ///Sends a `GET` request to `/widget-management/widgets`\n        {row}"
                )),
            "no gated table row `{row}`"
        );
    }
    assert!(file("src/mock.rs").contains("pub struct ListWidgetsWhen"));
    assert!(file("src/dynamic_table.rs").contains("\"listWidgets\" => list_widgets {"));
    let section = xtask::features::manifest_section(api_with_new_operation());
    assert!(section.contains("\nwidget-management = []\n"), "{section}");
}

/// A made-up read below a template's version (`{template_version}`, whose values no collection
/// lists but the template's own answer does, `version-names-template-version`): the simulator
/// serves it on a version the template lists and check-server finds one, with no code naming
/// it.
#[tokio::test]
async fn an_operation_below_a_template_version_finds_its_version_in_the_template() {
    const BELOW: &str = "getConfigTemplateVersionWidgetText";
    let versions =
        "/config-template-management/config-templates/{template_id}/versions/{template_version}";
    let mut document = junos_space_suites::api().document().clone();
    let paths = document["paths"].as_object_mut().expect("paths");
    let mut read = paths[&format!("{versions}/configuration")].clone();
    read["get"]["operationId"] = BELOW.into();
    paths.insert(format!("{versions}/widget-text"), read);
    let api: &'static Api = Box::leak(Box::new(
        Api::from_value(document.clone()).expect("the copy reads"),
    ));
    let spec = tempfile::NamedTempFile::new().expect("a temporary file");
    std::fs::write(spec.path(), document.to_string()).expect("written");
    let simulator = Simulator::start(Config {
        spec: Some(spec.path().to_path_buf()),
        ..Config::default()
    })
    .await
    .expect("the simulator serves the copy");
    let account = &simulator.config().credentials[0];
    let target = Target::new(
        &simulator.base_url(),
        Credentials::new(account.user.clone(), account.password.clone()),
        &Connection::default(),
    )
    .expect("a target");
    let options = Options {
        only: vec![BELOW.to_owned()],
        ..Options::default()
    };
    let report = check_server(api, &target, &options)
        .await
        .expect("the copy is walkable");
    let summary = report.summary();
    // Its exact types are read on a version that exists, not only refused on an unknown one.
    let read = report.results.iter().any(|r| {
        r.operation_id == BELOW
            && r.probe == "exact types"
            && matches!(r.outcome, Outcome::Passed { .. })
    });
    assert!(read, "{summary}");
    assert!(report.is_success() && report.warned() == 0, "{summary}");
    simulator.shutdown().await;
}
