//! One way to send, one error type: every builder's public `send` goes through
//! `junos_space_runtime::Runtime::send` and returns the runtime's readable `Error`.
//!
//! progenitor writes `send` to return its own `Error<E>` (the body of a documented error
//! status, or the `reqwest::Response` of an unexpected one, still unread), and has no setting
//! or hook that changes a `send`'s return type: its hooks (`pre`, `exec`, `post`) run inside
//! `send`, once per request, and can only fail with that same `Error<E>`. So its `send` is kept
//! whole, renamed to a private `exchange` (one request, one answer), and a public `send` is
//! added beside it that hands the builder and its `exchange` to the runtime: it sends again
//! what the retry policy allows from a copy of the builder (never of the request), and reads
//! the last failure into its `Error` (credentials refused, not found, a media type refused or
//! answered other than asked, ...).

use junos_space_model::api::SessionRole;
use quote::{format_ident, quote};
use syn::parse_quote;

use super::shape::{last_ident, sends};
use crate::steps::Input;
use crate::syntax::module_mut;
use crate::wire::operation_info_id;

/// Renames each builder's `send` to a private `exchange` and adds the public `send` that
/// gives the runtime's `Error`. Counts the builders.
pub(crate) fn sends_give_one_error(
    input: &Input<'_>,
    file: &mut syn::File,
) -> Result<usize, String> {
    let outputs: std::collections::BTreeMap<String, syn::Type> = sends(file)?
        .into_iter()
        .map(|send| (send.builder, send.output))
        .collect();
    let mut rewritten = 0;
    for item in module_mut(file, "builder")? {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        if block.trait_.is_some() {
            continue;
        }
        let Some(builder) = last_ident(&block.self_ty) else {
            continue;
        };
        let mut added = Vec::new();
        for item in &mut block.items {
            let syn::ImplItem::Fn(function) = item else {
                continue;
            };
            if function.sig.ident != "send" {
                continue;
            }
            let operation_id = operation_info_id(&function.block)
                .ok_or_else(|| format!("`{builder}::send` names no OperationInfo"))?;
            let output = outputs
                .get(&builder)
                .ok_or_else(|| format!("`{builder}::send` has no answer type"))?;
            let wire = input
                .wire
                .get(&operation_id)
                .ok_or_else(|| format!("`{builder}::send`: no wire facts for `{operation_id}`"))?;
            let accept = match wire.accept.as_deref() {
                Some(accept) => quote!(::std::option::Option::Some(#accept)),
                None => quote!(::std::option::Option::None),
            };
            let method = format_ident!("{}", wire.method);
            let session = match wire.session {
                None => quote!(Ordinary),
                Some(SessionRole::Opens) => quote!(Opens),
                Some(SessionRole::Ends) => quote!(Ends),
                Some(SessionRole::Reports) => quote!(Reports),
            };
            // The doc comment (`Sends a GET request to ...`) goes to the public `send`.
            let docs: Vec<syn::Attribute> = function
                .attrs
                .iter()
                .filter(|a| a.path().is_ident("doc"))
                .cloned()
                .collect();
            function.attrs.retain(|a| !a.path().is_ident("doc"));
            function.attrs.push(parse_quote!(
                #[doc = " The exchange progenitor generated; [`Self::send`] reads its failures."]
            ));
            function.sig.ident = format_ident!("exchange");
            function.vis = syn::Visibility::Inherited;
            added.push(parse_quote! {
                #(#docs)*
                pub fn send(
                    self,
                ) -> impl ::std::future::Future<
                    Output = ::std::result::Result<ResponseValue<#output>, ::junos_space_runtime::Error>,
                > + 'a {
                    let exchange = ::junos_space_runtime::Exchange {
                        operation_id: #operation_id,
                        method: ::reqwest::Method::#method,
                        accept: #accept,
                        session: ::junos_space_runtime::SessionUse::#session,
                    };
                    // Not an `async fn`: the runtime's future is the one the caller holds.
                    let client = self.client;
                    client.inner.send(exchange, self, Self::exchange)
                }
            });
        }
        rewritten += added.len();
        block.items.extend(added.into_iter().map(syn::ImplItem::Fn));
    }
    if rewritten != outputs.len() {
        return Err(format!(
            "{} builders have a `send`, {rewritten} were rewritten",
            outputs.len()
        ));
    }
    Ok(rewritten)
}
