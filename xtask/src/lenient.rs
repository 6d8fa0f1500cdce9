//! Marks every generated field whose shape real servers bend with a tolerant deserializer
//! from `junos-space-lenient`: lists (one member arrives as an object, an empty one as
//! nothing), numbers and booleans (they arrive as strings). Written once here, so every type
//! the spec gains is covered. typify (progenitor's type generator) takes no field attribute
//! from its settings: its patches rename types and add derives only.

use syn::{GenericArgument, PathArguments, Type};

use crate::context::Context;
use crate::progenitor_output::{Generated, SerdeArg};

/// Annotates the fields of the serde structs of `mod types`; counts the fields marked.
pub fn tolerant_fields(_: &Context<'_>, generated: &mut Generated) -> Result<usize, String> {
    let mut marked = 0;
    // Only the module's own serde structs: `types::builder` holds no serde types.
    for strukt in generated
        .client
        .types
        .structs_mut()
        .filter(|s| s.deserializes)
    {
        for index in 0..strukt.fields.len() {
            let field = &strukt.fields[index];
            let Some(function) = deserializer_for(&field.ty) else {
                continue;
            };
            if ["flatten", "deserialize_with", "with"]
                .iter()
                .any(|taken| field.has_serde(taken))
            {
                continue;
            }
            // With `deserialize_with`, serde no longer treats a missing Option as `None`; a
            // missing list is an empty one. A missing required scalar stays an error.
            let optional = [
                OPTION_NUMBER,
                OPTION_BOOLEAN,
                OPTION_ONE_OR_MANY,
                ONE_OR_MANY,
            ]
            .contains(&function);
            let mut added = Vec::new();
            if optional && !field.has_serde("default") {
                added.push(SerdeArg::flag("default"));
            }
            added.push(SerdeArg::set("deserialize_with", function));
            strukt.add_serde(index, &added)?;
            marked += 1;
        }
    }
    Ok(marked)
}

const ONE_OR_MANY: &str = "::junos_space_lenient::one_or_many";
const OPTION_ONE_OR_MANY: &str = "::junos_space_lenient::option_one_or_many";
const BOOLEAN: &str = "::junos_space_lenient::boolean";
const OPTION_BOOLEAN: &str = "::junos_space_lenient::option_boolean";
const NUMBER: &str = "::junos_space_lenient::number";
const OPTION_NUMBER: &str = "::junos_space_lenient::option_number";

/// Each tolerant deserializer this step names, and the `junos_space_lenient::objects::Form`
/// that reads a field the same way in a struct's `Deserialize` table (`deserialize_tables.rs`).
pub(crate) const FORMS: &[(&str, &str)] = &[
    (ONE_OR_MANY, "OneOrMany"),
    (OPTION_ONE_OR_MANY, "OptionOneOrMany"),
    (BOOLEAN, "Boolean"),
    (OPTION_BOOLEAN, "OptionBoolean"),
    (NUMBER, "Number"),
    (OPTION_NUMBER, "OptionNumber"),
];

/// Which tolerant deserializer a field type takes, if any.
fn deserializer_for(ty: &Type) -> Option<&'static str> {
    let (outer, inner) = last_segment(ty)?;
    match (outer.as_str(), inner) {
        ("Vec", _) => Some(ONE_OR_MANY),
        ("Option", Some(inner)) => match last_segment(inner)?.0.as_str() {
            "Vec" => Some(OPTION_ONE_OR_MANY),
            "bool" => Some(OPTION_BOOLEAN),
            name if is_number(name) => Some(OPTION_NUMBER),
            _ => None,
        },
        ("bool", None) => Some(BOOLEAN),
        (name, None) if is_number(name) => Some(NUMBER),
        _ => None,
    }
}

fn is_number(name: &str) -> bool {
    matches!(
        name,
        "i8" | "i16"
            | "i32"
            | "i64"
            | "i128"
            | "u8"
            | "u16"
            | "u32"
            | "u64"
            | "u128"
            | "f32"
            | "f64"
    )
}

/// The last path segment's name and its first type argument (`Option<i64>` → `Option`, `i64`).
fn last_segment(ty: &Type) -> Option<(String, Option<&Type>)> {
    let Type::Path(path) = ty else { return None };
    let segment = path.path.segments.last()?;
    let argument = match &segment.arguments {
        PathArguments::AngleBracketed(args) => args.args.iter().find_map(|arg| match arg {
            GenericArgument::Type(ty) => Some(ty),
            _ => None,
        }),
        _ => None,
    };
    Some((segment.ident.to_string(), argument))
}
