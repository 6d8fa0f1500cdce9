//! Marks every generated field whose shape real servers bend with a tolerant deserializer
//! from `junos-space-lenient`: lists (one member arrives as an object, an empty one as
//! nothing), numbers and booleans (they arrive as strings). Written once here, so every type
//! the spec gains is covered.

use quote::quote;

use crate::steps::Input;
use crate::syntax::{module_mut, tokens};
use syn::visit_mut::VisitMut;
use syn::{Field, GenericArgument, PathArguments, Type};

/// Annotates the structs of `mod types` in `file`; returns how many fields were marked.
pub fn annotate(_: &Input<'_>, file: &mut syn::File) -> Result<usize, String> {
    let types = module_mut(file, "types")?;
    let mut marker = Marker { marked: 0 };
    for item in types {
        // Only this module's own structs: `types::builder` holds no serde types.
        if let syn::Item::Struct(item) = item
            && item
                .attrs
                .iter()
                .any(|a| a.path().is_ident("derive") && tokens(a).contains("Deserialize"))
        {
            marker.visit_item_struct_mut(item);
        }
    }
    Ok(marker.marked)
}

struct Marker {
    marked: usize,
}

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

impl VisitMut for Marker {
    fn visit_field_mut(&mut self, field: &mut Field) {
        let Some(function) = deserializer_for(&field.ty) else {
            return;
        };
        let serde_attr = field.attrs.iter_mut().find(|a| a.path().is_ident("serde"));
        let existing = serde_attr
            .as_ref()
            .map(|a| tokens(&a.meta))
            .unwrap_or_default();
        if existing.contains("flatten")
            || existing.contains("deserialize_with")
            || existing.contains(" with ")
        {
            return;
        }
        // With `deserialize_with`, serde no longer treats a missing Option as `None`; a missing
        // list is an empty one. A missing required scalar stays an error.
        let optional = function.contains("option_") || function.ends_with("one_or_many");
        let default = (optional && !existing.contains("default")).then(|| quote!(default,));
        let added = quote!(#default deserialize_with = #function);
        match serde_attr {
            Some(attr) => {
                let syn::Meta::List(list) = &mut attr.meta else {
                    return;
                };
                let inner = &list.tokens;
                list.tokens = quote!(#inner, #added);
            }
            None => field.attrs.push(syn::parse_quote!(#[serde(#added)])),
        }
        self.marked += 1;
    }
}
