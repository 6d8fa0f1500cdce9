//! How each exchange builds and sends its request: its URL from the base URL parsed once, an
//! optional query parameter only when it is set (`junos_space_runtime::QueryWhenSet`), and the
//! runtime's `exec` hook as the only hook called.
//!
//! progenitor calls `.query(&QueryParam::new(name, &value))` for every query parameter, set
//! or not, and reqwest takes the URL's query apart and puts it back on each call: for a listing
//! with no filter, paging or sort, the most expensive thing the client adds to a request.
//! progenitor has no setting for it; its calls are rewritten where the spec says the
//! parameter is optional (progenitor's value is then an `Option`).

use std::collections::{BTreeMap, BTreeSet};

use syn::visit_mut::{self, VisitMut};
use syn::{Expr, parse_quote};

use crate::names::progenitor_snake_case;
use crate::steps::Input;
use crate::syntax::{module_mut, tokens};
use crate::wire::operation_info_id;

/// Rewrites `.query(&QueryParam::new("name", &value))` of every optional query parameter into
/// `.query_when_set("name", &value)`, and brings the trait into `mod builder`. Counts the
/// calls rewritten.
pub(crate) fn optional_query_when_set(
    input: &Input<'_>,
    file: &mut syn::File,
) -> Result<usize, String> {
    // progenitor's operation id → the spec names of its optional query parameters.
    let optional: BTreeMap<String, BTreeSet<String>> = input
        .api
        .operations()
        .iter()
        .map(|operation| {
            let names = operation
                .parameters_in(junos_space_model::api::ParameterLocation::Query)
                .filter(|parameter| !parameter.required)
                .map(|parameter| parameter.name.clone())
                .collect();
            (progenitor_snake_case(&operation.id), names)
        })
        .collect();
    let builder = module_mut(file, "builder")?;
    let mut rewrite = Rewrite {
        optional: &optional,
        current: None,
        rewritten: 0,
        error: None,
    };
    for item in builder.iter_mut() {
        rewrite.visit_item_mut(item);
    }
    if let Some(error) = rewrite.error {
        return Err(error);
    }
    if rewrite.rewritten > 0 {
        builder.push(parse_quote!(
            #[allow(unused_imports)]
            use ::junos_space_runtime::QueryWhenSet as _;
        ));
    }
    Ok(rewrite.rewritten)
}

struct Rewrite<'a> {
    optional: &'a BTreeMap<String, BTreeSet<String>>,
    /// The optional query parameters of the exchange being visited.
    current: Option<&'a BTreeSet<String>>,
    rewritten: usize,
    error: Option<String>,
}

impl VisitMut for Rewrite<'_> {
    fn visit_impl_item_fn_mut(&mut self, function: &mut syn::ImplItemFn) {
        let Some(operation_id) = operation_info_id(&function.block) else {
            return;
        };
        self.current = self.optional.get(&operation_id);
        if self.current.is_none() {
            self.error
                .get_or_insert(format!("no operation `{operation_id}` in the spec"));
        }
        visit_mut::visit_impl_item_fn_mut(self, function);
        self.current = None;
    }

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        visit_mut::visit_expr_mut(self, expr);
        let Expr::MethodCall(call) = expr else {
            return;
        };
        if call.method != "query" || call.args.len() != 1 {
            return;
        }
        // `&progenitor_client::QueryParam::new("name", &value)`
        let Some(Expr::Reference(argument)) = call.args.first() else {
            return;
        };
        let Expr::Call(new) = &*argument.expr else {
            return;
        };
        if !tokens(&new.func).ends_with("QueryParam :: new") || new.args.len() != 2 {
            return;
        }
        let Some(Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(name),
            ..
        })) = new.args.first()
        else {
            return;
        };
        if !self
            .current
            .is_some_and(|names| names.contains(&name.value()))
        {
            return;
        }
        let receiver = &call.receiver;
        let value = &new.args[1];
        *expr = parse_quote!(#receiver.query_when_set(#name, #value));
        self.rewritten += 1;
    }
}

/// Drops progenitor's calls of the `pre` and `post` hooks from every exchange: the runtime
/// does all it does to a request in `exec` (credentials, the send, the session), and those two
/// calls, awaited with the request and the answer borrowed, would keep both alive in the
/// future every `send` holds (the request alone is 264 bytes) for hooks that do nothing.
/// progenitor's `HooksMode` calls either no hook or all three. Counts the calls dropped.
pub(crate) fn exec_hook_only(_: &Input<'_>, file: &mut syn::File) -> Result<usize, String> {
    let mut dropped = 0;
    for item in module_mut(file, "builder")? {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        for item in &mut block.items {
            let syn::ImplItem::Fn(function) = item else {
                continue;
            };
            let Some(operation_id) = operation_info_id(&function.block) else {
                continue;
            };
            let before = function.block.stmts.len();
            function.block.stmts.retain(|statement| {
                let text = tokens(statement);
                !(text.starts_with("client . pre (") || text.starts_with("client . post ("))
            });
            if before - function.block.stmts.len() != 2 {
                return Err(format!(
                    "`{operation_id}`: expected one `client.pre(..)` and one `client.post(..)`"
                ));
            }
            dropped += 2;
        }
    }
    Ok(dropped)
}

/// Every exchange's URL from the base URL the runtime parsed once: progenitor writes
/// `let url = format!("{}/path/{}", client.baseurl, encode_path(..));` and hands the text to
/// reqwest, which parses all of it (scheme, host name rules, path) on every request, a cost as
/// large as any the client adds. The rewrite keeps the path as progenitor writes it and asks
/// `Runtime::request_url` for the URL, which only sets that path on the parsed base. Counts
/// the exchanges.
pub(crate) fn urls_from_the_parsed_base(
    _: &Input<'_>,
    file: &mut syn::File,
) -> Result<usize, String> {
    let mut rewritten = 0;
    for item in module_mut(file, "builder")? {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        for item in &mut block.items {
            let syn::ImplItem::Fn(function) = item else {
                continue;
            };
            let Some(operation_id) = operation_info_id(&function.block) else {
                continue;
            };
            let mut found = 0;
            for statement in &mut function.block.stmts {
                let syn::Stmt::Local(local) = statement else {
                    continue;
                };
                if tokens(&local.pat) != "url" {
                    continue;
                }
                let Some(init) = local.init.as_mut() else {
                    continue;
                };
                let path = url_path(&init.expr).ok_or_else(|| {
                    format!("`{operation_id}`: the URL is not `format!(\"{{}}/..\", client.baseurl, ..)`")
                })?;
                *init.expr = parse_quote! {
                    client.inner.request_url(&client.baseurl, #path).map_err(Error::InvalidRequest)?
                };
                found += 1;
            }
            if found != 1 {
                return Err(format!(
                    "`{operation_id}`: {found} `let url` statements, not one"
                ));
            }
            rewritten += 1;
        }
    }
    Ok(rewritten)
}

/// The path of progenitor's `format!("{}/path/{}", client.baseurl, args..)`: the literal
/// `"/path"` when there are no arguments, else `&format!("/path/{}", args..)`.
fn url_path(expr: &Expr) -> Option<Expr> {
    let Expr::Macro(call) = expr else {
        return None;
    };
    if !call.mac.path.is_ident("format") {
        return None;
    }
    let arguments = call
        .mac
        .parse_body_with(syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated)
        .ok()?;
    let mut arguments = arguments.into_iter();
    let Some(Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Str(template),
        ..
    })) = arguments.next()
    else {
        return None;
    };
    let base = arguments.next()?;
    let path = template.value().strip_prefix("{}")?.to_owned();
    if tokens(&base) != "client . baseurl" {
        return None;
    }
    let rest: Vec<Expr> = arguments.collect();
    Some(if rest.is_empty() {
        parse_quote!(#path)
    } else {
        parse_quote!(&format!(#path, #(#rest),*))
    })
}
