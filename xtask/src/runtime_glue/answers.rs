//! How a `send` reads its answer: text answers as `String`, documented error statuses handed
//! back unread, success answers decoded only in a type the request accepted, and a
//! collection's 204 as its empty answer.

use std::collections::BTreeMap;

use quote::ToTokens;
use syn::parse_quote;
use syn::visit_mut::{self, VisitMut};

use super::shape::{Envelope, collections, last_ident, sends};
use crate::steps::Input;
use crate::wire::operation_info_id;

/// progenitor hands a body it cannot type (here only `text/plain`, which the spec walker
/// allows for answers) back as a `ByteStream`. Every `send` answers `String` instead, read by
/// `junos_space_runtime::text_answer` in [`answers_through_runtime`]; an error type of `ByteStream` is
/// never built, since documented error statuses reach callers unread.
pub(crate) fn text_answers_as_strings(
    _: &Input<'_>,
    file: &mut syn::File,
) -> Result<usize, String> {
    struct Rewrite {
        in_send: bool,
        replaced: usize,
    }
    impl VisitMut for Rewrite {
        fn visit_impl_item_fn_mut(&mut self, function: &mut syn::ImplItemFn) {
            if function.sig.ident == "send" && operation_info_id(&function.block).is_some() {
                self.in_send = true;
                self.visit_return_type_mut(&mut function.sig.output);
                self.in_send = false;
            }
        }
        fn visit_type_path_mut(&mut self, path: &mut syn::TypePath) {
            visit_mut::visit_type_path_mut(self, path);
            if self.in_send
                && path
                    .path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == "ByteStream")
            {
                *path = parse_quote!(::std::string::String);
                self.replaced += 1;
            }
        }
    }
    let mut rewrite = Rewrite {
        in_send: false,
        replaced: 0,
    };
    rewrite.visit_file_mut(file);
    let left = file
        .to_token_stream()
        .to_string()
        .matches("ResponseValue < ByteStream >")
        .count();
    if left != 0 {
        return Err(format!(
            "{left} `ResponseValue<ByteStream>` left outside a `send` after {} rewrites",
            rewrite.replaced
        ));
    }
    Ok(rewrite.replaced)
}

/// In every `send`: documented error statuses are no longer decoded as JSON (a real server
/// sends HTML, plain text or XML there, and the failed decode would lose status and media
/// type), so they reach the caller as `Error::UnexpectedResponse` with the body unread; a
/// success answer is decoded only when its `Content-Type` is one the request accepted
/// (`junos_space_runtime::decode_answer`), else it too is `UnexpectedResponse`; and a
/// collection's 204 with no body is its empty answer.
pub(crate) fn answers_through_runtime(
    input: &Input<'_>,
    file: &mut syn::File,
) -> Result<usize, String> {
    let sends = sends(file)?;
    let collections = collections(file, &sends, input.wire)?;
    let accepted: BTreeMap<String, Vec<String>> = sends
        .iter()
        .map(|send| {
            let accepted = input
                .wire
                .get(&send.operation_id)
                .map(|w| w.accepted.iter().map(|c| c.text.clone()).collect());
            (send.builder.clone(), accepted.unwrap_or_default())
        })
        .collect();
    let mut visitor = Answers {
        collections: &collections,
        accepted: &accepted,
        current: None,
        rewritten: 0,
        error: None,
    };
    visitor.visit_file_mut(file);
    if let Some(error) = visitor.error {
        return Err(error);
    }
    Ok(visitor.rewritten)
}

struct Answers<'a> {
    collections: &'a BTreeMap<String, Envelope>,
    accepted: &'a BTreeMap<String, Vec<String>>,
    current: Option<String>,
    rewritten: usize,
    error: Option<String>,
}

impl VisitMut for Answers<'_> {
    fn visit_item_impl_mut(&mut self, block: &mut syn::ItemImpl) {
        self.current = last_ident(&block.self_ty);
        visit_mut::visit_item_impl_mut(self, block);
        self.current = None;
    }

    fn visit_impl_item_fn_mut(&mut self, function: &mut syn::ImplItemFn) {
        if function.sig.ident != "send" || operation_info_id(&function.block).is_none() {
            return;
        }
        let Some(builder) = self.current.clone() else {
            return;
        };
        let mut matches = StatusMatch {
            empty_collection: self.collections.contains_key(&builder),
            accepted: self.accepted.get(&builder).cloned().unwrap_or_default(),
            found: 0,
            typed_answers: 0,
        };
        matches.visit_block_mut(&mut function.block);
        // Every typed success arm checks its media type; an answer without a body has none.
        let typed_expected = usize::from(!matches.accepted.is_empty());
        if matches.typed_answers != typed_expected {
            self.error.get_or_insert(format!(
                "`{builder}::send`: {} typed success answers for {} accepted types",
                matches.typed_answers,
                matches.accepted.len()
            ));
        }
        if matches.found == 1 {
            self.rewritten += 1;
        } else {
            self.error.get_or_insert(format!(
                "`{builder}::send`: expected one match on the answer's status, found {}",
                matches.found
            ));
        }
    }
}

struct StatusMatch {
    empty_collection: bool,
    accepted: Vec<String>,
    found: usize,
    typed_answers: usize,
}

impl VisitMut for StatusMatch {
    fn visit_expr_match_mut(&mut self, node: &mut syn::ExprMatch) {
        if node.expr.to_token_stream().to_string() != "response . status () . as_u16 ()" {
            return visit_mut::visit_expr_match_mut(self, node);
        }
        self.found += 1;
        let status = |arm: &syn::Arm| match &arm.pat {
            syn::Pat::Lit(lit) => match &lit.lit {
                syn::Lit::Int(int) => int.base10_parse::<u16>().ok(),
                _ => None,
            },
            _ => None,
        };
        node.arms
            .retain(|arm| status(arm).is_none_or(|code| (200..300).contains(&code)));
        let accepted = &self.accepted;
        for arm in &mut node.arms {
            // progenitor writes the arm as `200u16 => { ResponseValue::from_response(..) }`,
            // or, for a text answer, `200u16 => { Ok(ResponseValue::stream(response)) }`.
            let body = arm.body.to_token_stream().to_string();
            match body.trim_start_matches("{ ").trim_end_matches(" }") {
                "ResponseValue :: from_response (response) . await" => {
                    *arm.body = parse_quote! {
                        ::junos_space_runtime::decode_answer(response, &[#(#accepted),*]).await
                    };
                    self.typed_answers += 1;
                }
                "Ok (ResponseValue :: stream (response))" => {
                    *arm.body = parse_quote! {
                        ::junos_space_runtime::text_answer(response, &[#(#accepted),*]).await
                    };
                    self.typed_answers += 1;
                }
                _ => {}
            }
        }
        if self.empty_collection && !node.arms.iter().any(|arm| status(arm) == Some(204)) {
            let at = node.arms.len().saturating_sub(1);
            node.arms.insert(
                at,
                parse_quote! {
                    204u16 => Ok(ResponseValue::new(
                        ::std::default::Default::default(),
                        response.status(),
                        response.headers().clone(),
                    )),
                },
            );
        }
    }
}
