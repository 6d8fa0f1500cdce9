//! Emits `generated/src/dynamic_table.rs`, the table of the dispatcher (`dynamic::call`):
//! every operation callable by its spec operationId with JSON arguments, so that tests and
//! the conformance kit walk the spec, not a hand-kept list. Only the rows are generated; what
//! they become is the hand-written frame in `generated/src/dynamic.rs`.
//!
//! The argument types are read from the builders progenitor generated (`V: TryInto<T>` on
//! each setter), so the dispatcher goes through the same typed code a user's call does.

use junos_space_model::api::Operation;
use syn::parse_quote;

use crate::names::progenitor_snake_case;
use crate::progenitor_output::{Client, Row, Table, from_crate_root, string_text, type_text};

/// The dispatcher's table for `operations`, from the rewritten client.
pub fn table(client: &Client, operations: &[Operation]) -> Result<Table, String> {
    let mut table = Table::new(parse_quote!(crate::dynamic::operations));
    for operation in operations {
        let id = &operation.id;
        let method = progenitor_snake_case(id);
        let builder = client
            .builders
            .builders
            .iter()
            .find(|builder| builder.send.operation_id() == method)
            .ok_or_else(|| format!("no builder generated for `{id}`"))?;
        let body = match &operation.request {
            Some(_) => {
                let ty = builder
                    .setter("body")
                    .map(|s| from_crate_root(&s.target))
                    .ok_or_else(|| format!("`{id}`: no body setter"))?;
                format!(" body: {}", type_text(&ty))
            }
            None => String::new(),
        };
        let mut row = Row::new(
            format!("{} => {method} {{", string_text(id)),
            &format!("}}{body}"),
        );
        for parameter in &operation.parameters {
            let setter = progenitor_snake_case(&parameter.name);
            let ty = builder.setter(&setter).map(|s| &s.target).ok_or_else(|| {
                format!(
                    "`{id}`: no setter `{setter}` for parameter `{}`",
                    parameter.name
                )
            })?;
            row.entry(format!(
                "{} => {setter}: {},",
                string_text(&parameter.name),
                type_text(&from_crate_root(ty))
            ));
        }
        table.push(row);
    }
    Ok(table)
}
