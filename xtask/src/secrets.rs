//! Secrets stay out of `Debug`: every generated struct with a field the spec marks
//! `format: password` (a discovery's SSH password), and typify's builder of it, gets a `Debug`
//! that writes `***` for it, in place of the derived one that would print it into logs and
//! error messages. typify derives `Debug` on every type and takes no per-field setting, so a
//! step writes the impls.

use junos_space_model::api::Format;
use quote::quote;

use crate::context::Context;
use crate::progenitor_output::{Generated, without_derive};

/// Writes a redacting `Debug` for each struct holding a secret; counts the structs.
pub fn hidden_in_debug(context: &Context<'_>, generated: &mut Generated) -> Result<usize, String> {
    let schemas = context.api.schemas();
    let secrets: Vec<&str> = schemas
        .iter()
        .flat_map(|(_, schema)| &schema.properties)
        .filter(|property| schemas.get(property.schema).format == Some(Format::Password))
        .map(|property| property.name.as_str())
        .collect();
    let mut impls = Vec::new();
    for strukt in generated.client.types.structs_mut() {
        if !strukt
            .fields
            .iter()
            .any(|f| secrets.contains(&f.json_name.as_str()))
        {
            continue;
        }
        if !strukt.remove_derive("Debug") {
            return Err(format!(
                "`types::{}` derives no Debug to replace",
                strukt.name
            ));
        }
        let name = strukt.ident().clone();
        let label = name.to_string();
        let fields = strukt.fields.iter().map(|field| {
            let ident = &field.ident;
            let shown = ident.to_string();
            let optional =
                crate::progenitor_output::last_ident(&field.ty).as_deref() == Some("Option");
            match (secrets.contains(&field.json_name.as_str()), optional) {
                (true, true) => quote!(.field(#shown, &self.#ident.as_ref().map(|_| "***"))),
                (true, false) => quote!(.field(#shown, &"***")),
                (false, _) => quote!(.field(#shown, &self.#ident)),
            }
        });
        impls.push(syn::parse_quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_struct(#label) #(#fields)* .finish()
                }
            }
        });
    }
    let redacted: Vec<String> = impls_for(&impls);
    let mut written = impls.len();
    for item in impls {
        generated.client.types.push(item);
    }
    // typify's builders hold the same fields (as `Result<Option<String>, String>`).
    for module in generated.client.types.modules_mut() {
        let Some((_, items)) = &mut module.content else {
            continue;
        };
        let mut builder_impls: Vec<syn::Item> = Vec::new();
        for item in items.iter_mut() {
            let syn::Item::Struct(strukt) = item else {
                continue;
            };
            if !redacted.contains(&strukt.ident.to_string()) {
                continue;
            }
            builder_impls.push(redacting_builder_debug(strukt, &secrets)?);
        }
        written += builder_impls.len();
        items.extend(builder_impls);
    }
    Ok(written)
}

/// The names of the structs `impls` are `Debug` impls for.
fn impls_for(impls: &[syn::Item]) -> Vec<String> {
    impls
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(block) => crate::progenitor_output::last_ident(&block.self_ty),
            _ => None,
        })
        .collect()
}

/// Takes `Debug` off a builder struct and writes one that shows its secret fields as `***`.
fn redacting_builder_debug(
    strukt: &mut syn::ItemStruct,
    secrets: &[&str],
) -> Result<syn::Item, String> {
    let name = strukt.ident.clone();
    if !without_derive(&mut strukt.attrs, "Debug") {
        return Err(format!(
            "`types::builder::{name}` derives no Debug to replace"
        ));
    }
    let label = name.to_string();
    let fields = strukt.fields.iter().filter_map(|field| {
        let ident = field.ident.as_ref()?;
        let shown = ident.to_string();
        // A builder's field is named as the struct's (snake case of the JSON name).
        let secret = secrets
            .iter()
            .any(|json| crate::names::progenitor_snake_case(json) == shown);
        Some(if secret {
            quote!(.field(#shown, &"***"))
        } else {
            quote!(.field(#shown, &self.#ident))
        })
    });
    Ok(syn::parse_quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#label) #(#fields)* .finish()
            }
        }
    })
}
