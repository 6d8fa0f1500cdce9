//! The runtime's traits on every builder: `Operation`, and for collections `Collection`
//! (and `Paged` when the builder takes `paging`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::shape::{Envelope, Send, collections, sends};
use crate::dynamic::builder_setters;
use crate::steps::Input;

/// `Operation` on every builder: its answer type, its id and `Accept`, and its `send` (the
/// public one, which gives the runtime's `Error`). Counts the builders.
pub(crate) fn operation_traits(input: &Input<'_>, file: &mut syn::File) -> Result<usize, String> {
    let sends = sends(file)?;
    let impls: Vec<TokenStream> = sends
        .iter()
        .map(|send| {
            let accept = input
                .wire
                .get(&send.operation_id)
                .and_then(|w| w.accept.as_deref());
            operation_impl(send, accept)
        })
        .collect();
    extend(file, quote!(#(#impls)*))?;
    Ok(impls.len())
}

/// `Collection` on every builder whose answer is a collection, and `Paged` on those that also
/// take `paging`. Counts the collections.
pub(crate) fn collection_traits(input: &Input<'_>, file: &mut syn::File) -> Result<usize, String> {
    let sends = sends(file)?;
    let collections = collections(file, &sends, input.wire)?;
    let setters = builder_setters(file)?;
    let mut impls = Vec::new();
    for send in &sends {
        let Some(collection) = collections.get(&send.builder) else {
            continue;
        };
        impls.push(collection_impl(send, collection));
        if setters
            .get(&send.builder)
            .is_some_and(|s| s.contains_key("paging"))
        {
            let builder = format_ident!("{}", send.builder);
            impls.push(quote! {
                impl<'a> ::junos_space_runtime::Paged for builder::#builder<'a> {
                    fn with_paging(self, paging: ::std::string::String) -> Self {
                        self.paging(paging)
                    }
                }
            });
        }
    }
    extend(file, quote!(#(#impls)*))?;
    Ok(collections.len())
}

fn extend(file: &mut syn::File, items: TokenStream) -> Result<(), String> {
    let items: syn::File = syn::parse2(items).map_err(|e| e.to_string())?;
    file.items.extend(items.items);
    Ok(())
}

fn operation_impl(send: &Send, accept: Option<&str>) -> TokenStream {
    let builder = format_ident!("{}", send.builder);
    let Send {
        operation_id,
        output,
        ..
    } = send;
    let accept = match accept {
        Some(accept) => quote!(::std::option::Option::Some(#accept)),
        None => quote!(::std::option::Option::None),
    };
    quote! {
        impl<'a> ::junos_space_runtime::Operation for builder::#builder<'a> {
            type Output = #output;
            const OPERATION_ID: &'static str = #operation_id;
            const ACCEPT: ::std::option::Option<&'static str> = #accept;

            fn send_request(
                self,
            ) -> impl ::std::future::Future<
                Output = ::std::result::Result<ResponseValue<#output>, ::junos_space_runtime::Error>,
            > + ::std::marker::Send {
                self.send()
            }
        }
    }
}

fn collection_impl(send: &Send, envelope: &Envelope) -> TokenStream {
    let builder = format_ident!("{}", send.builder);
    let output = &send.output;
    let Envelope {
        envelope_field,
        members_field,
        item,
        ..
    } = envelope;
    let take_envelope = if envelope.envelope_optional {
        quote! {
            let Some(envelope) = output.#envelope_field else {
                return ::junos_space_runtime::Page::empty();
            };
        }
    } else {
        quote!(let envelope = output.#envelope_field;)
    };
    let total = match &envelope.total {
        Some((field, true)) => {
            quote!(envelope.#field.and_then(|total| u64::try_from(total).ok()))
        }
        Some((field, false)) => quote!(u64::try_from(envelope.#field).ok()),
        None => quote!(None),
    };
    quote! {
        impl<'a> ::junos_space_runtime::Collection for builder::#builder<'a> {
            type Item = #item;

            fn page(output: #output) -> ::junos_space_runtime::Page<#item> {
                #take_envelope
                ::junos_space_runtime::Page {
                    total: #total,
                    items: envelope.#members_field,
                }
            }
        }
    }
}
