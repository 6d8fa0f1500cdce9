//! Puts the spec's exact media types on the wire by rewriting progenitor's request code.
//!
//! progenitor sends `Accept: application/json`, lets `.json()` set `Content-Type:
//! application/json`, and adds an `api-version` header; Junos Space answers 406/415 to the
//! first two and does not define the third. Each generated `send` is found by its
//! `OperationInfo { operation_id }`, and rewritten so that the vendor media types stand in
//! the generated source itself. Every step counts its matches: a change in progenitor's
//! output shape fails generation instead of silently sending the wrong headers.

use std::collections::BTreeMap;

use junos_space_model::api::{Content, SessionRole};
use quote::quote;

use crate::steps::Input;
use crate::syntax::tokens;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Stmt, parse_quote};

/// The headers one method must send, from the spec.
#[derive(Debug, Clone)]
pub struct Wire {
    /// The spec's operationId, for messages.
    pub operation_id: String,
    /// The `Accept` header value: `accepted` joined, if any.
    pub accept: Option<String>,
    /// The answer types the method accepts, as the model reads them.
    pub accepted: Vec<Content>,
    /// The media type of each status that has a body (a success status: the one `accepted`).
    pub answer_types: BTreeMap<u16, Content>,
    pub content_type: Option<String>,
    /// For a collection, its shape as the model reads it from the success schema:
    /// the one rule of what a collection is, which the runtime glue follows into the
    /// generated types.
    pub collection: Option<CollectionNames>,
    /// `x-session`: what the method does to the login session.
    pub session: Option<SessionRole>,
    /// The HTTP method, upper case (`GET`).
    pub method: String,
}

/// The JSON names of a collection answer: `{envelope: {member: [...], count: n}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectionNames {
    /// `devices`.
    pub envelope: String,
    /// `device`.
    pub member: String,
    /// `@size` or `@total`, when the envelope counts its members.
    pub count: Option<String>,
}

impl Wire {
    /// True when every answer type is plain text (the session calls): its body is a `String`.
    pub fn answers_text(&self) -> bool {
        !self.accepted.is_empty()
            && self
                .accepted
                .iter()
                .all(|content| content.media_type.is_plain_text())
    }
}

/// Rewrites every `send` body in `file`; `table` is keyed by progenitor's snake-case id.
pub fn rewrite(input: &Input<'_>, file: &mut syn::File) -> Result<usize, String> {
    let table = input.wire;
    let mut visitor = SendBodies {
        table,
        rewritten: Vec::new(),
        error: None,
    };
    visitor.visit_file_mut(file);
    if let Some(error) = visitor.error {
        return Err(error);
    }
    for (id, wire) in table {
        let count = visitor.rewritten.iter().filter(|done| *done == id).count();
        if count != 1 {
            return Err(format!(
                "expected one generated request for `{}` ({id}), found {count}: progenitor's \
                 output shape changed, update xtask/src/wire.rs",
                wire.operation_id
            ));
        }
    }
    if visitor.rewritten.len() != table.len() {
        return Err(format!(
            "progenitor generated {} requests for {} spec methods",
            visitor.rewritten.len(),
            table.len()
        ));
    }
    Ok(visitor.rewritten.len())
}

struct SendBodies<'a> {
    table: &'a BTreeMap<String, Wire>,
    rewritten: Vec<String>,
    error: Option<String>,
}

impl VisitMut for SendBodies<'_> {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let Some(id) = operation_info_id(block) else {
            return visit_mut::visit_block_mut(self, block);
        };
        let outcome = match self.table.get(&id) {
            Some(wire) => rewrite_send(block, wire),
            None => Err(format!(
                "progenitor generated `{id}`, which the spec does not list"
            )),
        };
        match outcome {
            Ok(()) => self.rewritten.push(id),
            Err(error) => {
                self.error.get_or_insert(error);
            }
        }
    }
}

/// The operation id of `let info = OperationInfo { operation_id: "..." };` in `block`.
pub(crate) fn operation_info_id(block: &syn::Block) -> Option<String> {
    block.stmts.iter().find_map(|stmt| {
        let Stmt::Local(local) = stmt else {
            return None;
        };
        let Expr::Struct(info) = &*local.init.as_ref()?.expr else {
            return None;
        };
        if info.path.segments.last()?.ident != "OperationInfo" {
            return None;
        }
        info.fields
            .iter()
            .find_map(|field| match (&field.member, &field.expr) {
                (syn::Member::Named(name), Expr::Lit(lit)) if name == "operation_id" => {
                    match &lit.lit {
                        syn::Lit::Str(s) => Some(s.value()),
                        _ => None,
                    }
                }
                _ => None,
            })
    })
}

fn rewrite_send(block: &mut syn::Block, wire: &Wire) -> Result<(), String> {
    let name = &wire.operation_id;
    let before = block.stmts.len();
    block
        .stmts
        .retain(|stmt| !tokens(stmt).contains("\"api-version\""));
    if before - block.stmts.len() != 1 {
        return Err(format!(
            "`{name}`: expected one api-version header to remove"
        ));
    }
    // With no header parameters left, the header map is empty: drop it and its use.
    let headers_left = block
        .stmts
        .iter()
        .any(|s| tokens(s).starts_with("header_map . append"));
    if !headers_left {
        block
            .stmts
            .retain(|stmt| !tokens(stmt).starts_with("let mut header_map"));
    }
    let mut chain = RequestChain {
        wire,
        drop_header_map: !headers_left,
        accept_seen: false,
        json_bodies: 0,
        builds: 0,
    };
    for stmt in &mut block.stmts {
        if let Stmt::Local(local) = stmt
            && tokens(&local.pat).contains("request")
            && let Some(init) = &mut local.init
        {
            chain.visit_expr_mut(&mut init.expr);
        }
    }
    let expected_bodies = usize::from(wire.content_type.is_some());
    if chain.builds != 1 || chain.json_bodies != expected_bodies {
        return Err(format!(
            "`{name}`: found {} request builders and {} JSON bodies, expected 1 and {expected_bodies}",
            chain.builds, chain.json_bodies
        ));
    }
    let text = tokens(block);
    for forbidden in ["\"application/json\"", "\"api-version\"", "header_map"] {
        if !headers_left && text.contains(forbidden) {
            return Err(format!(
                "`{name}`: {forbidden} is still in the generated request"
            ));
        }
    }
    Ok(())
}

/// Rewrites the `client.get(url).header(ACCEPT, ..).json(&body)...build()?` chain.
struct RequestChain<'a> {
    wire: &'a Wire,
    drop_header_map: bool,
    accept_seen: bool,
    json_bodies: usize,
    builds: usize,
}

impl VisitMut for RequestChain<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        // Inner calls first: the chain's first call is its innermost receiver.
        visit_mut::visit_expr_mut(self, expr);
        let Expr::MethodCall(call) = expr else { return };
        let receiver = &call.receiver;
        match call.method.to_string().as_str() {
            "header" if tokens(&call.args).starts_with(":: reqwest :: header :: ACCEPT") => {
                self.accept_seen = true;
                *expr = match &self.wire.accept {
                    Some(accept) => parse_quote! {
                        #receiver.header(
                            ::reqwest::header::ACCEPT,
                            ::reqwest::header::HeaderValue::from_static(#accept),
                        )
                    },
                    None => (**receiver).clone(),
                };
            }
            "json" => {
                self.json_bodies += 1;
                if let Some(content_type) = &self.wire.content_type {
                    let args = &call.args;
                    // reqwest's json() keeps a Content-Type that is already set.
                    *expr = parse_quote! {
                        #receiver
                            .header(
                                ::reqwest::header::CONTENT_TYPE,
                                ::reqwest::header::HeaderValue::from_static(#content_type),
                            )
                            .json(#args)
                    };
                }
            }
            "headers" if self.drop_header_map && tokens(&call.args) == "header_map" => {
                *expr = (**receiver).clone();
            }
            "build" => {
                self.builds += 1;
                if let (Some(accept), false) = (&self.wire.accept, self.accept_seen) {
                    let accept_header = quote! {
                        .header(
                            ::reqwest::header::ACCEPT,
                            ::reqwest::header::HeaderValue::from_static(#accept),
                        )
                    };
                    *expr = parse_quote! { #receiver #accept_header .build() };
                }
            }
            _ => {}
        }
    }
}
