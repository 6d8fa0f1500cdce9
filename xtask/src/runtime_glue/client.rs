//! The generated `Client` itself: `new` without a runtime argument, the table of what each
//! operation does to the login session, and the constants drawn from the spec and the
//! generation settings. The `ClientHooks` impl that uses them is hand-written in
//! `generated/src/lib.rs`.

use quote::{ToTokens, quote};
use syn::Expr;
use syn::parse_quote;
use syn::visit_mut::{self, VisitMut};

use junos_space_model::api::SessionRole;

use crate::steps::Input;

/// progenitor's `Client::new` takes the inner value as a second argument; the crate's users
/// (and its README) call `Client::new(url)`, so `new` keeps one argument and uses
/// `Runtime::default()`. `new_with_client(url, client, runtime)` takes a configured one.
pub(crate) fn new_without_runtime(_: &Input<'_>, file: &mut syn::File) -> Result<usize, String> {
    let mut found = 0;
    for item in &mut file.items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        if block.trait_.is_some() || block.self_ty.to_token_stream().to_string() != "Client" {
            continue;
        }
        for item in &mut block.items {
            let syn::ImplItem::Fn(function) = item else {
                continue;
            };
            if function.sig.ident != "new" {
                continue;
            }
            let before = function.sig.inputs.len();
            function.sig.inputs = function
                .sig
                .inputs
                .iter()
                .filter(|input| !input.to_token_stream().to_string().starts_with("inner"))
                .cloned()
                .collect();
            if function.sig.inputs.len() + 1 != before {
                return Err("`Client::new` has no `inner` argument to remove".to_owned());
            }
            let mut replace = ReplaceInner { replaced: 0 };
            replace.visit_block_mut(&mut function.block);
            if replace.replaced != 1 {
                return Err("`Client::new` does not pass `inner` on exactly once".to_owned());
            }
            function.attrs.push(parse_quote!(#[doc = ""]));
            function.attrs.push(parse_quote!(
                #[doc = " Its runtime is `Runtime::default()`: no credentials, no retries."]
            ));
            found += 1;
        }
    }
    if found > 1 {
        return Err(format!("expected one `Client::new`, found {found}"));
    }
    Ok(found)
}

struct ReplaceInner {
    replaced: usize,
}

impl VisitMut for ReplaceInner {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::Path(path) = expr
            && path.path.is_ident("inner")
        {
            *expr = parse_quote!(::std::default::Default::default());
            self.replaced += 1;
            return;
        }
        visit_mut::visit_expr_mut(self, expr);
    }
}

/// `session_use(operation_id)`: what each operation (by progenitor's id) does to the login
/// session, as the spec's `x-session` says. The hand-written `ClientHooks` impl hands it to the
/// runtime with every request. Counts the operations that touch the session.
pub(crate) fn session_table(input: &Input<'_>, file: &mut syn::File) -> Result<usize, String> {
    let arms: Vec<_> = input
        .wire
        .iter()
        .filter_map(|(id, wire)| {
            let use_ = match wire.session? {
                SessionRole::Opens => quote!(Opens),
                SessionRole::Ends => quote!(Ends),
                SessionRole::Reports => quote!(Reports),
            };
            Some(quote!(#id => ::junos_space_runtime::SessionUse::#use_,))
        })
        .collect();
    file.items.push(parse_quote! {
        /// What the operation (by progenitor's id) does to the login session.
        pub(crate) fn session_use(operation_id: &str) -> ::junos_space_runtime::SessionUse {
            match operation_id {
                #(#arms)*
                _ => ::junos_space_runtime::SessionUse::Ordinary,
            }
        }
    });
    Ok(arms.len())
}

/// The constants users build a client with: the spec's base path, and the request timeout
/// progenitor's `Client::new` was generated with.
pub(crate) fn constants(input: &Input<'_>, file: &mut syn::File) -> Result<usize, String> {
    let base_path = input.api.base_path();
    let timeout = crate::progenitor_run::DEFAULT_TIMEOUT_SECS;
    let base_path_doc = format!(
        "The path under which the server serves this API: pass `https://HOST{base_path}` as the \
         base URL."
    );
    file.items.push(parse_quote! {
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
