//! A collection's count read under either name real servers count collections with.

use junos_space_model::api::COUNT_NAMES;

use crate::context::Context;
use crate::progenitor_output::{Generated, SerdeArg};

/// Every collection's count field also reads the other names of `COUNT_NAMES` (`@size`,
/// `@total`) as an alias: no source promises which one a service counts with (the spec's
/// `collection-counts` decision names one per collection where samples are missing), and the
/// paging walks by the count, so a list counted under the other name must not be unreadable.
/// typify (progenitor's type generator) takes no field attribute from its settings: its
/// patches rename types and add derives only. Counts the aliases added.
///
/// An envelope whose schema names both counts (a script's parameters: SDK22.3 writes `total`
/// and `size`, equal) reads each under its own name, with no alias: an alias of the other
/// would make every answer of it a duplicate field. An envelope that carries both names where
/// its schema names one is refused as a duplicate field, where it was read before.
pub(crate) fn count_under_either_name(
    context: &Context<'_>,
    generated: &mut Generated,
) -> Result<usize, String> {
    let client = &mut generated.client;
    let mut added = 0;
    for builder in &client.builders.builders {
        let operation = context.operation(builder.send.operation_id())?;
        let Some(collection) = &operation.collection else {
            continue;
        };
        let Some(count) = &collection.count else {
            continue;
        };
        let fields = client
            .types
            .collection(
                &builder.send.output,
                &collection.envelope,
                &collection.member,
                Some(&count.name),
            )
            .map_err(|why| format!("`{}`: {why}", operation.id))?;
        let envelope = client
            .types
            .strukt_mut(&fields.envelope_struct)
            .ok_or_else(|| format!("`{}`: its envelope vanished", operation.id))?;
        let index = envelope
            .fields
            .iter()
            .position(|field| field.json_name == count.name)
            .ok_or_else(|| format!("`{}`: its count vanished", operation.id))?;
        let field = &envelope.fields[index];
        let aliases: Vec<SerdeArg> = COUNT_NAMES
            .iter()
            .filter(|name| **name != count.name)
            // A count the schema names itself reads under its own name (above).
            .filter(|name| envelope.field(name).is_none())
            .filter(|name| {
                !field
                    .serde
                    .iter()
                    .any(|arg| arg.key == "alias" && arg.value.as_deref() == Some(**name))
            })
            .map(|name| SerdeArg::set("alias", name))
            .collect();
        added += aliases.len();
        if !aliases.is_empty() {
            envelope.add_serde(index, &aliases)?;
        }
    }
    Ok(added)
}
