//! The generated `Client` itself: `new` without a runtime argument, the table of what each
//! operation does to the login session, and the constants drawn from the spec and the
//! generation settings. The `ClientHooks` impl that uses them is hand-written in
//! `generated/src/lib.rs`.

use quote::quote;
use syn::parse_quote;

use junos_space_model::api::SessionRole;

use crate::context::Context;
use crate::progenitor_output::Generated;

/// progenitor's `Client::new` takes the inner value as a second argument, and no setting
/// gives it a default; the crate's users (and its README) call `Client::new(url)`, so `new`
/// keeps one argument and uses `Runtime::default()`. `new_with_client(url, client, runtime)`
/// takes a configured one.
pub(crate) fn new_without_runtime(
    _: &Context<'_>,
    generated: &mut Generated,
) -> Result<usize, String> {
    let constructor = &mut generated.client.constructor;
    constructor.new_with_inner(parse_quote!(::std::default::Default::default()))?;
    constructor.document_new("");
    constructor.document_new(" Its runtime is `Runtime::default()`: no credentials, no retries.");
    Ok(1)
}

/// `session_use(operation_id)`: what each operation (by progenitor's id) does to the login
/// session, as the spec's `x-session` says. The hand-written `ClientHooks` impl hands it to the
/// runtime with every request. Counts the operations that touch the session.
pub(crate) fn session_table(
    context: &Context<'_>,
    generated: &mut Generated,
) -> Result<usize, String> {
    let mut arms = Vec::new();
    for builder in &generated.client.builders.builders {
        let id = builder.send.operation_id();
        let Some(role) = context.operation(id)?.session else {
            continue;
        };
        let use_ = match role {
            SessionRole::Opens => quote!(Opens),
            SessionRole::Ends => quote!(Ends),
            SessionRole::Reports => quote!(Reports),
        };
        arms.push((
            id.to_owned(),
            quote!(#id => ::junos_space_runtime::SessionUse::#use_,),
        ));
    }
    arms.sort_by(|a, b| a.0.cmp(&b.0));
    let arms: Vec<_> = arms.into_iter().map(|(_, arm)| arm).collect();
    let count = arms.len();
    generated.client.added.push(parse_quote! {
        /// What the operation (by progenitor's id) does to the login session.
        pub(crate) fn session_use(operation_id: &str) -> ::junos_space_runtime::SessionUse {
            match operation_id {
                #(#arms)*
                _ => ::junos_space_runtime::SessionUse::Ordinary,
            }
        }
    });
    Ok(count)
}

/// The constants users build a client with: the spec's base path, and the request timeout
/// progenitor's `Client::new` was generated with.
pub(crate) fn constants(context: &Context<'_>, generated: &mut Generated) -> Result<usize, String> {
    let base_path = context.api.base_path();
    let timeout = generated.client.constructor.timeout_secs;
    let base_path_doc = format!(
        "The path under which the server serves this API: pass `https://HOST{base_path}` as the \
         base URL."
    );
    generated.client.added.push(parse_quote! {
        impl Client {
            #[doc = #base_path_doc]
            pub const BASE_PATH: &'static str = #base_path;

            /// Request timeout of [`Client::new`]. Real servers take close to a minute on some
            /// calls, so it is longer than the usual 15 s.
            pub const DEFAULT_TIMEOUT: ::std::time::Duration = ::std::time::Duration::from_secs(#timeout);
        }
    });
    Ok(1)
}
