//! Readers of progenitor's client shared by the runtime rewrites: each builder's `send` with
//! its answer and error types, and where a collection answer keeps its members.

use std::collections::BTreeMap;

use syn::{GenericArgument, PathArguments, Type, parse_quote};

use crate::syntax::module;
use crate::wire::{Wire, operation_info_id};

/// One builder's `send`, as progenitor wrote it.
pub(super) struct Send {
    pub builder: String,
    pub operation_id: String,
    pub output: Type,
}

/// The `send` of every builder in `mod builder`, with its answer type.
pub(super) fn sends(file: &syn::File) -> Result<Vec<Send>, String> {
    let builder = module(file, "builder")?;
    let mut sends = Vec::new();
    for item in builder {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let Type::Path(self_ty) = &*block.self_ty else {
            continue;
        };
        let Some(name) = self_ty.path.segments.last().map(|s| s.ident.to_string()) else {
            continue;
        };
        for item in &block.items {
            let syn::ImplItem::Fn(function) = item else {
                continue;
            };
            if function.sig.ident != "send" {
                continue;
            }
            let operation_id = operation_info_id(&function.block)
                .ok_or_else(|| format!("`{name}::send` names no OperationInfo"))?;
            let syn::ReturnType::Type(_, returned) = &function.sig.output else {
                return Err(format!("`{name}::send` returns nothing"));
            };
            // Result<ResponseValue<T>, Error<E>>
            let [ok, err] = type_arguments(returned)
                .try_into()
                .map_err(|_| format!("`{name}::send` does not return a Result"))?;
            let output = type_arguments(&ok).into_iter().next();
            let error = type_arguments(&err).into_iter().next();
            let (Some(output), Some(_)) = (output, error) else {
                return Err(format!(
                    "`{name}::send` does not return Result<ResponseValue<_>, Error<_>>"
                ));
            };
            sends.push(Send {
                builder: name.clone(),
                operation_id,
                output,
            });
        }
    }
    if sends.is_empty() {
        return Err("progenitor generated no builder with a `send`".to_owned());
    }
    Ok(sends)
}

/// The type arguments of the last segment of `ty` (`Result<A, B>` → `[A, B]`).
fn type_arguments(ty: &Type) -> Vec<Type> {
    let Type::Path(path) = ty else {
        return Vec::new();
    };
    let Some(segment) = path.path.segments.last() else {
        return Vec::new();
    };
    let PathArguments::AngleBracketed(args) = &segment.arguments else {
        return Vec::new();
    };
    args.args
        .iter()
        .filter_map(|arg| match arg {
            GenericArgument::Type(ty) => Some(ty.clone()),
            _ => None,
        })
        .collect()
}

pub(super) fn last_ident(ty: &Type) -> Option<String> {
    let Type::Path(path) = ty else { return None };
    path.path.segments.last().map(|s| s.ident.to_string())
}

/// How a collection answer holds its members: `answer.<envelope>.<members>`, and the
/// envelope's count field (`@size` or `@total`) if it has one.
pub(super) struct Envelope {
    pub envelope_field: syn::Ident,
    pub envelope_optional: bool,
    pub members_field: syn::Ident,
    pub item: Type,
    pub total: Option<(syn::Ident, bool)>,
}

/// The collection answers, as the spec's list shapes name them (`Wire::collection`), followed
/// into the generated types: the answer's field for the envelope, the envelope's list field
/// for the members, its integer field for the count. A name the generated types do not hold
/// fails generation: the spec and progenitor's output no longer agree.
pub(super) fn collections(
    file: &syn::File,
    sends: &[Send],
    wire: &BTreeMap<String, Wire>,
) -> Result<BTreeMap<String, Envelope>, String> {
    let types: BTreeMap<String, &syn::ItemStruct> = module(file, "types")?
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some((s.ident.to_string(), s)),
            _ => None,
        })
        .collect();
    let struct_of = |ty: &Type| last_ident(ty).and_then(|name| types.get(&name).copied());
    let mut found = BTreeMap::new();
    for send in sends {
        let Some(names) = wire
            .get(&send.operation_id)
            .and_then(|w| w.collection.as_ref())
        else {
            continue;
        };
        let fail = |what: String| {
            format!(
                "`{}` answers a collection (`{}.{}`), but {what}",
                send.operation_id, names.envelope, names.member
            )
        };
        let answer = struct_of(&send.output)
            .ok_or_else(|| fail("its answer is not a generated struct".into()))?;
        let field = json_field(answer, &names.envelope)
            .ok_or_else(|| fail(format!("`{}` has no field for it", answer.ident)))?;
        let (envelope_ty, envelope_optional) = unwrap_option(&field.ty);
        let envelope =
            struct_of(&envelope_ty).ok_or_else(|| fail("its envelope is not a struct".into()))?;
        let members = json_field(envelope, &names.member)
            .filter(|f| last_ident(&f.ty).as_deref() == Some("Vec"))
            .ok_or_else(|| fail(format!("`{}` has no list of members", envelope.ident)))?;
        let item = type_arguments(&members.ty)
            .into_iter()
            .next()
            .ok_or_else(|| fail("the member list names no type".into()))?;
        let total = match &names.count {
            None => None,
            Some(count) => {
                let counted = json_field(envelope, count)
                    .ok_or_else(|| fail(format!("`{}` has no `{count}`", envelope.ident)))?;
                let (ty, optional) = unwrap_option(&counted.ty);
                let integer =
                    last_ident(&ty).is_some_and(|n| n.starts_with('i') || n.starts_with('u'));
                if !integer {
                    return Err(fail(format!("`{count}` is not an integer")));
                }
                counted.ident.clone().map(|ident| (ident, optional))
            }
        };
        let (Some(envelope_field), Some(members_field)) =
            (field.ident.clone(), members.ident.clone())
        else {
            return Err(fail("a field has no name".into()));
        };
        found.insert(
            send.builder.clone(),
            Envelope {
                envelope_field,
                envelope_optional,
                members_field,
                item: qualify_in_types(item),
                total,
            },
        );
    }
    Ok(found)
}

/// The field of `item` that serializes as `name`: its serde `rename`, or its own name when
/// it has none.
fn json_field<'a>(item: &'a syn::ItemStruct, name: &str) -> Option<&'a syn::Field> {
    item.fields.iter().find(|field| match serde_rename(field) {
        Some(renamed) => renamed == name,
        None => field.ident.as_ref().is_some_and(|ident| ident == name),
    })
}

/// The value of `#[serde(rename = "...")]` on `field`, if it has one.
fn serde_rename(field: &syn::Field) -> Option<String> {
    field.attrs.iter().find_map(|attribute| {
        if !attribute.path().is_ident("serde") {
            return None;
        }
        let mut renamed = None;
        // Other serde arguments (`default`, `deserialize_with = ...`) are read and ignored.
        let _ = attribute.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                renamed = Some(meta.value()?.parse::<syn::LitStr>()?.value());
            } else if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<syn::Expr>()?;
            }
            Ok(())
        });
        renamed
    })
}

/// A member type named inside `mod types` (`Device`) as seen from the crate root.
fn qualify_in_types(item: Type) -> Type {
    match &item {
        Type::Path(path) if path.qself.is_none() && path.path.segments.len() == 1 => {
            parse_quote!(types::#item)
        }
        _ => item,
    }
}

fn unwrap_option(ty: &Type) -> (Type, bool) {
    if last_ident(ty).as_deref() == Some("Option")
        && let Some(inner) = type_arguments(ty).into_iter().next()
    {
        return (inner, true);
    }
    (ty.clone(), false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_json_name_finds_its_field_renamed_or_not() {
        let envelope: syn::ItemStruct = parse_quote! {
            pub struct Envelope {
                pub device: Vec<Device>,
                #[serde(rename = "@size", deserialize_with = "lenient::integer", default)]
                pub size: i64,
                #[serde(rename = "cli-configlet")]
                pub cli_configlet: Vec<Configlet>,
            }
        };
        let name = |json: &str| {
            json_field(&envelope, json).and_then(|f| f.ident.as_ref().map(ToString::to_string))
        };
        assert_eq!(name("device").as_deref(), Some("device"));
        assert_eq!(name("@size").as_deref(), Some("size"));
        assert_eq!(name("cli-configlet").as_deref(), Some("cli_configlet"));
        // The Rust name of a renamed field is not its JSON name.
        assert_eq!(name("size"), None);
        assert_eq!(name("cli_configlet"), None);
        assert_eq!(name("@total"), None);
    }
}
