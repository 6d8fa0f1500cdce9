//! Rewrites `generated/src/mock.rs`: progenitor's typed httpmock extension (`MockServerExt`),
//! made to mock Junos Space as the client meets it. progenitor's version matches paths without the
//! `/api/space` base, expects no media types and answers `application/json`; here each `When`
//! expects the exact `Accept` and `Content-Type` the client sends, each `Then` answers the type
//! its status documents (a plain-text answer as text), and paths carry the spec's base path.
//! Every rewrite is counted so that a change in progenitor's output fails generation.

use std::collections::BTreeMap;

use heck::ToPascalCase;
use quote::{ToTokens, quote};
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, LitStr, parse_quote};

use junos_space_model::api::Content;

use crate::steps::Input;
use crate::syntax::tokens;
use crate::wire::Wire;

/// Every `When` of progenitor's mock matches paths under the spec's base path and expects the
/// exact `Accept` and `Content-Type` the client sends. Counts the operations.
pub(crate) fn expect_requests(input: &Input<'_>, file: &mut syn::File) -> Result<usize, String> {
    let base_path = input.api.base_path();
    each_mock(input, file, "When", |block, wire| {
        rewrite_when(block, wire, base_path)
    })
}

/// Every `Then` answers the type the spec documents for its status, a text answer as text.
/// Counts the operations.
pub(crate) fn answer_documented_types(
    input: &Input<'_>,
    file: &mut syn::File,
) -> Result<usize, String> {
    each_mock(input, file, "Then", rewrite_then)
}

/// Applies `rewrite` to the `{Operation}{suffix}` type of every operation; each must exist.
fn each_mock(
    input: &Input<'_>,
    file: &mut syn::File,
    suffix: &str,
    mut rewrite: impl FnMut(&mut syn::ItemImpl, &Wire) -> Result<(), String>,
) -> Result<usize, String> {
    let by_type: BTreeMap<String, &Wire> = input
        .wire
        .values()
        .map(|wire| (wire.operation_id.to_pascal_case(), wire))
        .collect();
    let mut rewritten = 0;
    for item in crate::syntax::module_mut(file, "operations")? {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let name = block.self_ty.to_token_stream().to_string();
        if let Some(operation) = name.strip_suffix(suffix) {
            let wire = by_type
                .get(operation)
                .ok_or(format!("mock for unknown `{operation}`"))?;
            rewrite(block, wire)?;
            rewritten += 1;
        }
    }
    if rewritten != 0 && rewritten != input.wire.len() {
        return Err(format!(
            "progenitor's mock has {rewritten} {suffix} types for {} methods",
            input.wire.len()
        ));
    }
    Ok(rewritten)
}

/// Paths under the base path, and the exact request media types expected in `new`.
fn rewrite_when(block: &mut syn::ItemImpl, wire: &Wire, base_path: &str) -> Result<(), String> {
    let mut paths = BasePath {
        base_path,
        rewritten: 0,
    };
    paths.visit_item_impl_mut(block);
    if paths.rewritten == 0 {
        return Err(format!(
            "`{}`: no path pattern to put under {base_path}",
            wire.operation_id
        ));
    }
    let mut media = ExpectMediaTypes { wire, inserted: 0 };
    for item in &mut block.items {
        if let syn::ImplItem::Fn(function) = item
            && function.sig.ident == "new"
        {
            media.visit_block_mut(&mut function.block);
        }
    }
    if media.inserted != 1 {
        return Err(format!(
            "`{}`: `When::new` has no `inner.method(..)`",
            wire.operation_id
        ));
    }
    Ok(())
}

/// Prefixes every `^/...` path pattern with the base path.
struct BasePath<'a> {
    base_path: &'a str,
    rewritten: usize,
}

impl VisitMut for BasePath<'_> {
    fn visit_lit_str_mut(&mut self, literal: &mut LitStr) {
        if let Some(rest) = literal.value().strip_prefix("^/") {
            *literal = LitStr::new(&format!("^{}/{rest}", self.base_path), literal.span());
            self.rewritten += 1;
        }
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        // `format!("^/devices/{}$", value)`: the pattern is the macro's first argument.
        let mut tokens: Vec<proc_macro2::TokenTree> = mac.tokens.clone().into_iter().collect();
        if let Some(proc_macro2::TokenTree::Literal(first)) = tokens.first_mut()
            && let Ok(mut literal) = syn::parse_str::<LitStr>(&first.to_string())
        {
            let before = self.rewritten;
            self.visit_lit_str_mut(&mut literal);
            if self.rewritten != before {
                *first = literal.token();
                mac.tokens = tokens.into_iter().collect();
            }
        }
    }
}

/// `inner.method(..)` becomes `inner.header("accept", ..).header("content-type", ..).method(..)`.
struct ExpectMediaTypes<'a> {
    wire: &'a Wire,
    inserted: usize,
}

impl VisitMut for ExpectMediaTypes<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        visit_mut::visit_expr_mut(self, expr);
        let Expr::MethodCall(call) = expr else { return };
        if call.method != "method" || call.receiver.to_token_stream().to_string() != "inner" {
            return;
        }
        let mut receiver: Expr = parse_quote!(inner);
        if let Some(accept) = &self.wire.accept {
            receiver = parse_quote!(#receiver.header("accept", #accept));
        }
        if let Some(content_type) = &self.wire.content_type {
            receiver = parse_quote!(#receiver.header("content-type", #content_type));
        }
        *call.receiver = receiver;
        self.inserted += 1;
    }
}

/// Each answer says the type the spec documents for its status instead of `application/json`.
fn rewrite_then(block: &mut syn::ItemImpl, wire: &Wire) -> Result<(), String> {
    for item in &mut block.items {
        let syn::ImplItem::Fn(function) = item else {
            continue;
        };
        let mut status = FindStatus(None);
        status.visit_block_mut(&mut function.block);
        let Some(status) = status.0 else { continue };
        let Some(content) = wire.answer_types.get(&status) else {
            continue;
        };
        let media_type = content.text.as_str();
        let mut answer = AnswerType {
            media_type,
            replaced: 0,
        };
        answer.visit_block_mut(&mut function.block);
        let serves_body = function
            .block
            .to_token_stream()
            .to_string()
            .contains("\"content-type\"");
        if !serves_body && !(200..300).contains(&status) {
            // An error status progenitor was shown without content (`responses` in lower.rs)
            // still has the body the spec documents: the mock takes it as JSON
            // (the client hands error bodies back unread, so no type is needed).
            serve_documented_error_body(function, status, content);
            continue;
        }
        if answer.replaced != 1 {
            return Err(format!(
                "`{}`: the {status} answer's mock sets no content-type to replace",
                wire.operation_id
            ));
        }
        if content.media_type.is_plain_text() {
            text_body(function).map_err(|why| format!("`{}`: {why}", wire.operation_id))?;
        }
    }
    Ok(())
}

/// `fn not_found(self)` becomes `fn not_found(self, value: &Value)`, answering `value` in
/// `media_type` (as text when it is plain text).
fn serve_documented_error_body(function: &mut syn::ImplItemFn, status: u16, content: &Content) {
    let media_type = content.text.as_str();
    if content.media_type.is_plain_text() {
        function.sig.inputs.push(parse_quote!(value: &str));
        function.block = parse_quote!({
            Self(self.0.status(#status).header("content-type", #media_type).body(value))
        });
    } else {
        function
            .sig
            .inputs
            .push(parse_quote!(value: &::serde_json::Value));
        function.block = parse_quote!({
            Self(
                self.0
                    .status(#status)
                    .header("content-type", #media_type)
                    .json_body(value.clone()),
            )
        });
    }
}

/// `mod by_id`: [`answer`](by_id) mocks any operation, by its spec id, answering any documented
/// status through that operation's typed helper, so tests can walk the spec. Counts the
/// (operation, status) pairs it covers.
pub(crate) fn dispatcher(input: &Input<'_>, file: &mut syn::File) -> Result<usize, String> {
    let by_type: BTreeMap<String, &Wire> = input
        .wire
        .values()
        .map(|wire| (wire.operation_id.to_pascal_case(), wire))
        .collect();
    let mut arms = Vec::new();
    let mut covered = 0;
    for item in crate::syntax::module(file, "operations")? {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let name = block.self_ty.to_token_stream().to_string();
        let Some(operation) = name.strip_suffix("Then") else {
            continue;
        };
        let wire = by_type
            .get(operation)
            .ok_or(format!("mock for unknown `{operation}`"))?;
        let operation_id = &wire.operation_id;
        let helper = syn::Ident::new(
            &crate::names::progenitor_snake_case(operation_id),
            proc_macro2::Span::call_site(),
        );
        let mut status_arms = Vec::new();
        for item in &block.items {
            let syn::ImplItem::Fn(function) = item else {
                continue;
            };
            let mut found = FindStatus(None);
            found.visit_block_mut(&mut function.block.clone());
            let Some(status) = found.0 else { continue };
            let answer = &function.sig.ident;
            let arguments: Vec<&syn::Type> = function
                .sig
                .inputs
                .iter()
                .filter_map(|input| match input {
                    syn::FnArg::Typed(argument) => Some(&*argument.ty),
                    syn::FnArg::Receiver(_) => None,
                })
                .collect();
            let serve = match arguments[..] {
                [] => quote!(Ok(server.#helper(|_, then| { then.#answer(); }))),
                [syn::Type::Reference(reference)] if tokens(&reference.elem) == "str" => quote! {
                    let text = body.as_str().ok_or_else(|| AnswerError::Body {
                        operation_id: #operation_id,
                        status: #status,
                        message: "a plain-text answer takes a JSON string".into(),
                    })?;
                    Ok(server.#helper(|_, then| { then.#answer(text); }))
                },
                [syn::Type::Reference(reference)] => {
                    let ty = &reference.elem;
                    quote! {
                        let value: #ty = ::serde_json::from_value(body.clone()).map_err(|error| {
                            AnswerError::Body {
                                operation_id: #operation_id,
                                status: #status,
                                message: error.to_string(),
                            }
                        })?;
                        Ok(server.#helper(|_, then| { then.#answer(&value); }))
                    }
                }
                _ => {
                    return Err(format!(
                        "`{name}::{answer}` takes {} arguments; the dispatcher knows none or one \
                         reference",
                        arguments.len()
                    ));
                }
            };
            status_arms.push(quote!(#status => { #serve }));
            covered += 1;
        }
        arms.push(quote! {
            #operation_id => match status {
                #(#status_arms)*
                _ => Err(AnswerError::UndocumentedStatus { operation_id: #operation_id, status }),
            },
        });
    }
    let module: syn::Item = parse_quote! {
        /// Any operation's mock by its spec operationId, for tests that walk the spec.
        pub mod by_id {
            use crate::*;
            use super::MockServerExt;

            /// Why [`answer`] mocked nothing.
            #[derive(Debug, Clone, PartialEq, Eq)]
            pub enum AnswerError {
                /// The spec has no operation with this id.
                UnknownOperation(String),
                /// The operation documents no answer with this status.
                UndocumentedStatus { operation_id: &'static str, status: u16 },
                /// The body does not fit the status's answer type.
                Body { operation_id: &'static str, status: u16, message: String },
            }

            impl ::std::fmt::Display for AnswerError {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    match self {
                        Self::UnknownOperation(id) => write!(f, "no operation `{id}` in the spec"),
                        Self::UndocumentedStatus { operation_id, status } => {
                            write!(f, "`{operation_id}` documents no {status} answer")
                        }
                        Self::Body { operation_id, status, message } => {
                            write!(f, "`{operation_id}` {status}: {message}")
                        }
                    }
                }
            }

            impl ::std::error::Error for AnswerError {}

            /// Mocks `operation_id` answering `status` with `body` through its typed helper:
            /// the request it matches (method, path, `Accept`, `Content-Type`) and the answer
            /// it gives (media type, body) are exactly the helper's. `body` is the answer as
            /// JSON (a JSON string for a plain-text answer) and is ignored by an answer that
            /// has none.
            pub fn answer<'s>(
                server: &'s ::httpmock::MockServer,
                operation_id: &str,
                status: u16,
                body: &::serde_json::Value,
            ) -> ::std::result::Result<::httpmock::Mock<'s>, AnswerError> {
                let _ = body;
                match operation_id {
                    #(#arms)*
                    other => Err(AnswerError::UnknownOperation(other.to_owned())),
                }
            }
        }
    };
    file.items.push(module);
    Ok(covered)
}

/// progenitor mocks a body it cannot type as JSON (`value: serde_json::Value`, `json_body`);
/// a plain-text answer is served as the text itself: `value: &str`, `body`.
fn text_body(function: &mut syn::ImplItemFn) -> Result<(), String> {
    let mut retyped = 0;
    for input in &mut function.sig.inputs {
        if let syn::FnArg::Typed(argument) = input
            && argument.ty.to_token_stream().to_string() == ":: serde_json :: Value"
        {
            *argument.ty = parse_quote!(&str);
            retyped += 1;
        }
    }
    struct Body(usize);
    impl VisitMut for Body {
        fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
            visit_mut::visit_expr_method_call_mut(self, call);
            if call.method == "json_body" {
                call.method = syn::Ident::new("body", call.method.span());
                self.0 += 1;
            }
        }
    }
    let mut body = Body(0);
    body.visit_block_mut(&mut function.block);
    if retyped != 1 || body.0 != 1 {
        return Err(format!(
            "a text answer's mock has {retyped} JSON values and {} json_body calls, expected 1 and 1",
            body.0
        ));
    }
    Ok(())
}

/// The status a `Then` method sets: `.status(200u16)`.
struct FindStatus(Option<u16>);

impl VisitMut for FindStatus {
    fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
        if call.method == "status"
            && let Some(Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Int(code),
                ..
            })) = call.args.first()
        {
            self.0 = code.base10_parse().ok();
        }
        visit_mut::visit_expr_method_call_mut(self, call);
    }
}

/// Replaces `.header("content-type", "application/json")` with the answer's type.
struct AnswerType<'a> {
    media_type: &'a str,
    replaced: usize,
}

impl VisitMut for AnswerType<'_> {
    fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
        visit_mut::visit_expr_method_call_mut(self, call);
        let args = call.args.to_token_stream().to_string();
        if call.method == "header" && args == "\"content-type\" , \"application/json\"" {
            let media_type = self.media_type;
            call.args = parse_quote!("content-type", #media_type);
            self.replaced += 1;
        }
    }
}
