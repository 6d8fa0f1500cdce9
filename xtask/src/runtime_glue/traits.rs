//! The runtime's traits on every builder: `Operation`, and for collections `Collection`
//! (and `Paged` when the builder takes `paging`).

use proc_macro2::TokenStream;
use quote::quote;

use crate::context::Context;
use crate::progenitor_output::{Builder, CollectionFields, Generated};

/// `Operation` on every builder: its answer type, its id and `Accept`, and its `send` (the
/// public one, which gives the runtime's `Error`). Counts the builders.
pub(crate) fn operation_traits(
    context: &Context<'_>,
    generated: &mut Generated,
) -> Result<usize, String> {
    let client = &mut generated.client;
    let mut impls = Vec::new();
    for builder in &client.builders.builders {
        let accept = context
            .operation(builder.send.operation_id())?
            .accept_header();
        impls.push(operation_impl(builder, accept.as_deref()));
    }
    let count = impls.len();
    extend(&mut client.added, quote!(#(#impls)*))?;
    Ok(count)
}

/// `Collection` on every builder whose answer is a collection, and `Paged` on those that also
/// take `paging`. Counts the collections.
pub(crate) fn collection_traits(
    context: &Context<'_>,
    generated: &mut Generated,
) -> Result<usize, String> {
    let client = &mut generated.client;
    let mut impls = Vec::new();
    let mut collections = 0;
    for builder in &client.builders.builders {
        let operation = context.operation(builder.send.operation_id())?;
        let Some(collection) = &operation.collection else {
            continue;
        };
        let fields = client
            .types
            .collection(
                &builder.send.output,
                &collection.envelope,
                &collection.member,
                collection.count.as_ref().map(|count| count.name.as_str()),
            )
            .map_err(|why| format!("`{}`: {why}", operation.id))?;
        impls.push(collection_impl(builder, &fields));
        collections += 1;
        if builder.setter("paging").is_some() {
            let name = builder.ident();
            impls.push(quote! {
                impl<'a> ::junos_space_runtime::Paged for builder::#name<'a> {
                    fn with_paging(self, paging: ::std::string::String) -> Self {
                        self.paging(paging)
                    }
                }
            });
        }
    }
    extend(&mut client.added, quote!(#(#impls)*))?;
    Ok(collections)
}

fn extend(added: &mut Vec<syn::Item>, items: TokenStream) -> Result<(), String> {
    let items: syn::File = syn::parse2(items).map_err(|e| e.to_string())?;
    added.extend(items.items);
    Ok(())
}

fn operation_impl(builder: &Builder, accept: Option<&str>) -> TokenStream {
    let name = builder.ident();
    let operation_id = builder.send.operation_id();
    let output = &builder.send.output;
    let accept = match accept {
        Some(accept) => quote!(::std::option::Option::Some(#accept)),
        None => quote!(::std::option::Option::None),
    };
    quote! {
        impl<'a> ::junos_space_runtime::Operation for builder::#name<'a> {
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

fn collection_impl(builder: &Builder, fields: &CollectionFields) -> TokenStream {
    let name = builder.ident();
    let output = &builder.send.output;
    let CollectionFields {
        envelope,
        members,
        item,
        ..
    } = fields;
    let take_envelope = if fields.envelope_optional {
        quote! {
            let Some(envelope) = output.#envelope else {
                return ::junos_space_runtime::Page::empty();
            };
        }
    } else {
        quote!(let envelope = output.#envelope;)
    };
    let total = match &fields.count {
        Some((field, true)) => {
            quote!(envelope.#field.and_then(|total| u64::try_from(total).ok()))
        }
        Some((field, false)) => quote!(u64::try_from(envelope.#field).ok()),
        None => quote!(None),
    };
    quote! {
        impl<'a> ::junos_space_runtime::Collection for builder::#name<'a> {
            type Item = #item;

            fn page(output: #output) -> ::junos_space_runtime::Page<#item> {
                #take_envelope
                ::junos_space_runtime::Page {
                    total: #total,
                    items: envelope.#members,
                }
            }
        }
    }
}
