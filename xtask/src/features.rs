//! One cargo feature per Junos Space service, so a user compiles the services they call: each
//! operation's items (its `Client` method, builder, table rows, mock) are compiled by its
//! service's feature (`junos_space_model::api::Operation::feature`), and so is each type only
//! that service's operations reach. A type the operations of several services reach (a
//! `Link`, a `Task`) is in every build: gating it on a union of features would change its
//! condition, and break hand-written code on it, each time another service starts using it.
//!
//! The features themselves are written into the generated crate's manifest
//! ([`manifest_section`]), so a new service in `spec/` needs no hand edit.

use std::collections::{BTreeMap, BTreeSet};

use junos_space_model::api::{Api, Operation};

use crate::context::Context;
use crate::names::progenitor_snake_case;
use crate::progenitor_output::Generated;

/// The condition an operation's items are compiled under, `None` in every build.
pub fn condition(operation: &Operation) -> Option<syn::Meta> {
    operation
        .feature()
        .map(|feature| syn::parse_quote!(feature = #feature))
}

/// Gates each builder and client method on its operation's feature, and each type one
/// service reaches on that service's. Counts the builders gated.
pub(crate) fn gate_client(
    context: &Context<'_>,
    generated: &mut Generated,
) -> Result<usize, String> {
    let client = &generated.client;
    let type_names = client.types.names();
    let reaches = client.types.mentions();
    // Each type's services: `None` stands for an operation in every build.
    let mut services: BTreeMap<String, BTreeSet<Option<&str>>> = BTreeMap::new();
    let mut gated = 0;
    for builder in &client.builders.builders {
        let operation = context.operation(builder.send.operation_id())?;
        let feature = operation.feature();
        if let Some(condition) = condition(operation) {
            generated.gates.gate_item(&builder.name, condition.clone());
            generated
                .gates
                .gate_method(&progenitor_snake_case(&operation.id), condition);
            gated += 1;
        }
        let reached = reached_from(builder.mentions(), &type_names, &reaches);
        for name in reached {
            services.entry(name).or_default().insert(feature);
        }
    }
    let bodies = reached_from_bodies(client, &type_names, &reaches);
    for (name, features) in &services {
        let feature = match features.iter().collect::<Vec<_>>()[..] {
            [Some(feature)] => Some(*feature),
            _ => None,
        };
        if let Some(feature) = feature {
            generated
                .gates
                .gate_type(name, syn::parse_quote!(feature = #feature));
        }
        // A type no request body holds is only ever read: its struct builder serves a test
        // that writes an answer to mock (`types::Job::builder()`), so only the mocks build it.
        if !bodies.contains(name) {
            let condition = match feature {
                Some(feature) => syn::parse_quote!(all(feature = #feature, feature = "mock")),
                None => syn::parse_quote!(feature = "mock"),
            };
            generated.gates.gate_builder(name, condition);
        }
    }
    Ok(gated)
}

/// Every type a request body holds: the types of the builders' `body` setters and the types
/// they reach. progenitor's builders keep a body in its struct builder (`body_map`), so these
/// builders are in every build of their service.
fn reached_from_bodies(
    client: &crate::progenitor_output::Client,
    type_names: &BTreeSet<String>,
    reaches: &BTreeMap<String, BTreeSet<String>>,
) -> BTreeSet<String> {
    let bodies = client
        .builders
        .builders
        .iter()
        .filter_map(|builder| builder.setter("body"))
        .flat_map(|setter| crate::progenitor_output::idents(&setter.target));
    reached_from(bodies, type_names, reaches)
}

/// The types of `roots` and every type they reach.
fn reached_from(
    roots: impl IntoIterator<Item = String>,
    type_names: &BTreeSet<String>,
    reaches: &BTreeMap<String, BTreeSet<String>>,
) -> BTreeSet<String> {
    let mut frontier: Vec<String> = roots
        .into_iter()
        .filter(|name| type_names.contains(name))
        .collect();
    let mut reached = BTreeSet::new();
    while let Some(name) = frontier.pop() {
        if reached.insert(name.clone()) {
            let next = reaches.get(&name).into_iter().flatten();
            frontier.extend(next.filter(|n| type_names.contains(*n)).cloned());
        }
    }
    reached
}

/// The feature that derives `Serialize` on the types that are only read.
const SERIALIZE_FEATURE: &str = "serialize";

/// The types the generated crate's own code serializes in every build: `lib.rs` carries a
/// job as JSON in the runtime's job record.
const SERIALIZED_BY_THE_CRATE: &[&str] = &["Job"];

/// Derives `Serialize` in every build only on what the client sends: the types a request body
/// holds (and the few the crate's own code serializes). A type that is only read derives it
/// with the `serialize` feature, which the mocks (they write answers) and the dynamic
/// dispatcher (it prints them) turn on. The derived `Serialize` impls were a quarter of the
/// crate's build. Counts the types that lost it in a default build.
pub(crate) fn serialize_where_sent(
    _context: &Context<'_>,
    generated: &mut Generated,
) -> Result<usize, String> {
    let client = &generated.client;
    let type_names = client.types.names();
    let reaches = client.types.mentions();
    let mut sent = reached_from_bodies(client, &type_names, &reaches);
    sent.extend(reached_from(
        SERIALIZED_BY_THE_CRATE.iter().map(|name| name.to_string()),
        &type_names,
        &reaches,
    ));
    let condition: syn::Meta = syn::parse_quote!(feature = #SERIALIZE_FEATURE);
    let mut gated = 0;
    for name in type_names.difference(&sent) {
        generated.gates.gate_serialize(name, condition.clone());
        gated += 1;
    }
    Ok(gated)
}

/// Gates each operation's mock (`When`, `Then`, its `MockServerExt` helper) on its feature.
/// Counts the mocks gated.
pub(crate) fn gate_mocks(
    context: &Context<'_>,
    generated: &mut Generated,
) -> Result<usize, String> {
    let mut gated = 0;
    for mock in &generated.mock.operations {
        let operation = context.operation(&mock.helper)?;
        if let Some(condition) = condition(operation) {
            for suffix in ["When", "Then"] {
                let name = format!("{}{suffix}", mock.name);
                generated.gates.gate_item(&name, condition.clone());
            }
            generated.gates.gate_method(&mock.helper, condition);
            gated += 1;
        }
    }
    Ok(gated)
}

/// The first and last lines of the manifest's feature list the xtask writes.
pub const SECTION_START: &str =
    "# services: written by `cargo xtask regenerate`, one per service of spec/";
pub const SECTION_END: &str = "# end of services";

/// The generated crate's feature list: `all-services`, then one feature per service.
pub fn manifest_section(api: &Api) -> String {
    let features = api.features();
    let all: Vec<String> = features.iter().map(|f| format!("\"{f}\"")).collect();
    let mut text = format!("{SECTION_START}\nall-services = [{}]\n", all.join(", "));
    for feature in features {
        text.push_str(&format!("{feature} = []\n"));
    }
    text.push_str(SECTION_END);
    text
}

/// `manifest` with its feature list replaced by `section`; an error when it has none.
pub fn with_section(manifest: &str, section: &str) -> Result<String, String> {
    let start = manifest
        .find(SECTION_START)
        .ok_or_else(|| format!("the manifest has no line `{SECTION_START}` under [features]"))?;
    let end = manifest[start..]
        .find(SECTION_END)
        .map(|at| start + at + SECTION_END.len())
        .ok_or_else(|| format!("the manifest has no line `{SECTION_END}` after the services"))?;
    Ok(format!(
        "{}{section}{}",
        &manifest[..start],
        &manifest[end..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_feature_list_replaces_only_its_own_lines() {
        let manifest = format!(
            "[features]\ndefault = [\"all-services\"]\n{SECTION_START}\nold = []\n{SECTION_END}\n\
             mock = []\n"
        );
        let written = with_section(
            &manifest,
            &format!("{SECTION_START}\nnew = []\n{SECTION_END}"),
        )
        .expect("has the section");
        assert_eq!(
            written,
            format!(
                "[features]\ndefault = [\"all-services\"]\n{SECTION_START}\nnew = []\n\
                 {SECTION_END}\nmock = []\n"
            )
        );
        assert!(with_section("[features]\n", "x").is_err());
    }
}
