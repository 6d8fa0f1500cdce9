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
            let optional = function.contains("option_") || function.ends_with("one_or_many");
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

/// Each tolerant deserializer this step names, and the `junos_space_lenient::objects::Form`
/// that reads a field the same way in a struct's `Deserialize` table (`deserialize_tables.rs`).
pub(crate) const FORMS: &[(&str, &str)] = &[
    ("::junos_space_lenient::one_or_many", "OneOrMany"),
    (
        "::junos_space_lenient::option_one_or_many",
        "OptionOneOrMany",
    ),
    ("::junos_space_lenient::boolean", "Boolean"),
    ("::junos_space_lenient::option_boolean", "OptionBoolean"),
    ("::junos_space_lenient::number", "Number"),
    ("::junos_space_lenient::option_number", "OptionNumber"),
];

/// Which tolerant deserializer a field type takes, if any.
fn deserializer_for(ty: &Type) -> Option<&'static str> {
    let (outer, inner) = last_segment(ty)?;
    match (outer.as_str(), inner) {
        ("Vec", _) => Some("::junos_space_lenient::one_or_many"),
        ("Option", Some(inner)) => match last_segment(inner)?.0.as_str() {
            "Vec" => Some("::junos_space_lenient::option_one_or_many"),
            "bool" => Some("::junos_space_lenient::option_boolean"),
            name if is_number(name) => Some("::junos_space_lenient::option_number"),
            _ => None,
        },
        ("bool", None) => Some("::junos_space_lenient::boolean"),
        (name, None) if is_number(name) => Some("::junos_space_lenient::number"),
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
