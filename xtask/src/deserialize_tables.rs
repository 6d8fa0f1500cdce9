//! Each struct's `Deserialize` as a table of its fields, read by `junos_space_lenient::object!`,
//! in place of serde's derive.
//!
//! serde's derived `Deserialize` writes a field enum, its visitor, a sequence visitor and a
//! map visitor for every struct: half of the generated crate's compile time, and the crate
//! has a struct for every object of every answer. The table keeps one row a field (its JSON
//! keys, how it is read, what a missing key gives); what is the same for every struct is
//! written once in `junos-space-lenient`, whose tests hold it to the derive's results and
//! messages. The rows carry what serde's field arguments said, so the arguments only
//! deserialization reads (`default`, `deserialize_with`, `alias`) leave the fields; `rename`
//! and `skip_serializing_if` stay for `Serialize`.
//!
//! A struct this step cannot express as rows (a container attribute such as
//! `#[serde(transparent)]`, a tuple struct, a field argument or deserializer it does not
//! know) keeps serde's derive.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::context::Context;
use crate::lenient::FORMS;
use crate::progenitor_output::{Generated, SerdeArg, TypeField, TypeStruct};

/// The field arguments only deserialization reads: the rows say them now.
const READ_ONLY_ARGS: &[&str] = &["default", "deserialize_with", "alias"];
/// The field arguments a row can stand beside.
const UNDERSTOOD_ARGS: &[&str] = &[
    "rename",
    "alias",
    "default",
    "deserialize_with",
    "skip_serializing_if",
];

/// Replaces the derived `Deserialize` of every struct it can by a table; counts the structs.
pub fn deserialize_by_table(_: &Context<'_>, generated: &mut Generated) -> Result<usize, String> {
    let types = &mut generated.client.types;
    let mut written = Vec::new();
    for strukt in types.structs_mut().filter(|s| s.deserializes) {
        let Some(rows) = rows(strukt) else {
            continue;
        };
        strukt.remove_derive("Deserialize");
        strukt.remove_serde(READ_ONLY_ARGS)?;
        let name = strukt.ident();
        let item: syn::Item = syn::parse_quote! {
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(
                    deserializer: D,
                ) -> ::std::result::Result<Self, D::Error> {
                    ::junos_space_lenient::object!(deserializer, #name { #(#rows),* })
                }
            }
        };
        written.push((strukt.name.clone(), item));
    }
    let count = written.len();
    for (name, item) in written {
        types.insert_after(&name, item);
    }
    Ok(count)
}

/// The struct's rows, or `None` where serde's derive must stay.
fn rows(strukt: &TypeStruct) -> Option<Vec<TokenStream>> {
    if strukt.has_container_serde() || !strukt.has_named_fields() {
        return None;
    }
    strukt.fields.iter().map(row).collect()
}

/// `ident: "key" | "alias" => Form required|default`, as serde's arguments say.
fn row(field: &TypeField) -> Option<TokenStream> {
    let understood = |arg: &SerdeArg| {
        UNDERSTOOD_ARGS.contains(&arg.key.as_str())
            // `default = "path"` names a function; only the bare flag is `Default::default`.
            && !(arg.key == "default" && arg.value.is_some())
    };
    if !field.serde.iter().all(understood) {
        return None;
    }
    let with = field.serde.iter().find(|a| a.key == "deserialize_with");
    let form = match with {
        None => "Plain",
        Some(arg) => {
            let function = arg.value.as_deref()?;
            FORMS.iter().find(|(f, _)| *f == function)?.1
        }
    };
    // serde's rule for a missing key: the field's default where it asks for one; `None` for
    // an `Option` read as itself; an error otherwise (a custom reader included).
    let optional = crate::progenitor_output::last_ident(&field.ty).as_deref() == Some("Option");
    let missing = if field.has_serde("default") || (optional && with.is_none()) {
        "default"
    } else {
        "required"
    };
    let ident = &field.ident;
    let key = &field.json_name;
    let aliases = field
        .serde
        .iter()
        .filter(|a| a.key == "alias")
        .filter_map(|a| a.value.as_deref());
    let form = format_ident!("{form}");
    let missing = format_ident!("{missing}");
    Some(quote!(#ident: #key #(| #aliases)* => #form #missing))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(source: syn::ItemStruct) -> TypeStruct {
        TypeStruct::parse_for_tests(source)
    }

    fn written(strukt: &TypeStruct) -> Option<String> {
        rows(strukt).map(|rows| quote!(#(#rows),*).to_string())
    }

    #[test]
    fn rows_say_what_serde_arguments_said() {
        let strukt = field(syn::parse_quote! {
            #[derive(::serde::Deserialize, ::serde::Serialize)]
            pub struct Envelope {
                #[serde(rename = "@size", deserialize_with = "::junos_space_lenient::option_number", default, alias = "@total")]
                pub size: Option<i64>,
                #[serde(rename = "@href")]
                pub href: String,
                #[serde(rename = "name", skip_serializing_if = "::std::option::Option::is_none")]
                pub name: Option<String>,
                #[serde(deserialize_with = "::junos_space_lenient::number")]
                pub id: i64,
            }
        });
        assert_eq!(
            written(&strukt).as_deref(),
            Some(
                "size : \"@size\" | \"@total\" => OptionNumber default , \
                 href : \"@href\" => Plain required , \
                 name : \"name\" => Plain default , \
                 id : \"id\" => Number required"
            )
        );
    }

    #[test]
    fn what_it_cannot_say_keeps_the_derive() {
        for strukt in [
            field(syn::parse_quote! {
                #[derive(::serde::Deserialize)]
                #[serde(transparent)]
                pub struct Wrapped { pub inner: String }
            }),
            field(syn::parse_quote! {
                #[derive(::serde::Deserialize)]
                pub struct Flattened { #[serde(flatten)] pub rest: Other }
            }),
            field(syn::parse_quote! {
                #[derive(::serde::Deserialize)]
                pub struct Defaulted { #[serde(default = "defaults::five")] pub n: i64 }
            }),
            field(syn::parse_quote! {
                #[derive(::serde::Deserialize)]
                pub struct Custom { #[serde(deserialize_with = "my::reader")] pub n: i64 }
            }),
            field(syn::parse_quote! {
                #[derive(::serde::Deserialize)]
                pub struct Tuple(pub String);
            }),
        ] {
            assert_eq!(written(&strukt), None, "{}", strukt.name);
        }
    }

    #[test]
    fn the_fields_keep_only_what_serialize_reads() {
        let mut strukt = field(syn::parse_quote! {
            #[derive(::serde::Deserialize, ::serde::Serialize, Clone)]
            pub struct Listed {
                #[serde(rename = "@size", default, deserialize_with = "::junos_space_lenient::option_number", alias = "@total")]
                pub size: Option<i64>,
                #[serde(default, deserialize_with = "::junos_space_lenient::one_or_many")]
                pub device: Vec<String>,
            }
        });
        assert!(strukt.remove_derive("Deserialize"));
        assert_eq!(strukt.remove_serde(READ_ONLY_ARGS), Ok(5));
        let text = strukt.to_tokens_for_tests();
        assert!(
            text.contains("# [derive (:: serde :: Serialize , Clone)]"),
            "{text}"
        );
        assert!(
            text.contains("# [serde (rename = \"@size\")] pub size"),
            "{text}"
        );
        assert!(text.contains("pub device"), "{text}");
        assert!(
            !text.contains("default") && !text.contains("alias"),
            "{text}"
        );
    }
}
