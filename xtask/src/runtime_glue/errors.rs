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

use crate::context::Context;
use crate::progenitor_output::Generated;

/// Renames each builder's `send` to a private `exchange` and adds the public `send` that
/// gives the runtime's `Error`. Counts the builders.
pub(crate) fn sends_give_one_error(
    context: &Context<'_>,
    generated: &mut Generated,
) -> Result<usize, String> {
    let mut rewritten = 0;
    for builder in &mut generated.client.builders.builders {
        let send = &mut builder.send;
        if send.name() != "send" {
            return Err(format!("`{}` has no `send` left to rename", builder.name));
        }
        let operation = context.operation(send.operation_id())?;
        let operation_id = send.operation_id().to_owned();
        let accept = match operation.accept_header() {
            Some(accept) => quote!(::std::option::Option::Some(#accept)),
            None => quote!(::std::option::Option::None),
        };
        let method = format_ident!("{}", operation.method.as_str());
        let session = match operation.session {
            None => quote!(Ordinary),
            Some(SessionRole::Opens) => quote!(Opens),
            Some(SessionRole::Ends) => quote!(Ends),
            Some(SessionRole::Reports) => quote!(Reports),
        };
        // The doc comment (`Sends a GET request to ...`) goes to the public `send`.
        let docs = send.take_docs();
        send.push_attribute(parse_quote!(
            #[doc = " The exchange progenitor generated; [`Self::send`] reads its failures."]
        ));
        send.rename("exchange");
        send.vis = syn::Visibility::Inherited;
        let output = &send.output;
        builder.added.push(parse_quote! {
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
        rewritten += 1;
    }
    Ok(rewritten)
}
