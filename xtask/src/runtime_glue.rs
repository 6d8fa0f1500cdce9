//! Connects the generated client to `junos-space-runtime`: the client carries a `Runtime`, its
//! hooks hand every request to it, error statuses reach callers with their body unread, an
//! empty collection may be a 204, and every builder implements the runtime's `Operation`
//! (collections also `Collection`, and `Paged` when they take `paging`).
//!
//! All of it is derived from progenitor's output and the spec, never listed per operation, and
//! every step counts what it changed so that a change in progenitor's output fails generation.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote};

use syn::visit_mut::{self, VisitMut};
use syn::{Expr, GenericArgument, PathArguments, Type, parse_quote};

use crate::dynamic::builder_setters;
use crate::syntax::module;
use crate::wire::{Wire, operation_info_id};
use junos_space_spec::SessionRole;

/// The runtime type progenitor is told to keep in the client (`with_inner_type`).
pub fn runtime_type() -> TokenStream {
    quote!(::junos_space_runtime::Runtime)
}

/// Applies every change to progenitor's `file`.
pub fn apply(file: &mut syn::File, wire: &BTreeMap<String, Wire>) -> Result<(), String> {
    keep_new_without_runtime(file)?;
    text_bodies_as_strings(file)?;
    let sends = sends(file)?;
    let collections = collections(file, &sends, wire)?;
    let accepted: BTreeMap<String, Vec<String>> = sends
        .iter()
        .map(|send| {
            let accepted = wire.get(&send.operation_id).map(|w| w.accepted.clone());
            (send.builder.clone(), accepted.unwrap_or_default())
        })
        .collect();
    rewrite_answers(file, &collections, &accepted)?;
    let setters = builder_setters(file)?;
    let mut items = vec![hooks(wire)];
    for send in &sends {
        let accept = wire
            .get(&send.operation_id)
            .and_then(|w| w.accept.as_deref());
        items.push(operation_impl(send, accept));
        if let Some(collection) = collections.get(&send.builder) {
            items.push(collection_impl(send, collection));
            if setters
                .get(&send.builder)
                .is_some_and(|s| s.contains_key("paging"))
            {
                let builder = format_ident!("{}", send.builder);
                items.push(quote! {
                    impl<'a> ::junos_space_runtime::Paged for builder::#builder<'a> {
                        fn with_paging(self, paging: ::std::string::String) -> Self {
                            self.paging(paging)
                        }
                    }
                });
            }
        }
    }
    let extra: syn::File = syn::parse2(quote!(#(#items)*)).map_err(|e| e.to_string())?;
    file.items.extend(extra.items);
    Ok(())
}

/// progenitor's `Client::new` takes the inner value as a second argument; the crate's users
/// (and its README) call `Client::new(url)`, so `new` keeps one argument and uses
/// `Runtime::default()`. `new_with_client(url, client, runtime)` takes a configured one.
fn keep_new_without_runtime(file: &mut syn::File) -> Result<(), String> {
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
    if found != 1 {
        return Err(format!("expected one `Client::new`, found {found}"));
    }
    Ok(())
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

/// Every request passes through the runtime: `pre` adds credentials, `exec` sends with
/// retries and a tracing span; both know what the operation does to the login session, as the
/// spec's `x-session` says.
fn hooks(wire: &BTreeMap<String, Wire>) -> TokenStream {
    let runtime = runtime_type();
    let session_arms = wire.iter().filter_map(|(id, wire)| {
        let use_ = match wire.session? {
            SessionRole::Opens => quote!(Opens),
            SessionRole::Ends => quote!(Ends),
            SessionRole::Reports => quote!(Reports),
        };
        Some(quote!(#id => ::junos_space_runtime::SessionUse::#use_,))
    });
    quote! {
        /// What the operation (by progenitor's id) does to the login session.
        fn session_use(operation_id: &str) -> ::junos_space_runtime::SessionUse {
            match operation_id {
                #(#session_arms)*
                _ => ::junos_space_runtime::SessionUse::Ordinary,
            }
        }

        impl ClientHooks<#runtime> for Client {
            async fn pre<E>(
                &self,
                request: &mut reqwest::Request,
                info: &OperationInfo,
            ) -> ::std::result::Result<(), Error<E>> {
                self.inner.prepare(request, session_use(info.operation_id));
                Ok(())
            }

            async fn exec(
                &self,
                request: reqwest::Request,
                info: &OperationInfo,
            ) -> reqwest::Result<reqwest::Response> {
                self.inner
                    .execute(&self.client, request, info.operation_id, session_use(info.operation_id))
                    .await
            }
        }
    }
}

/// progenitor hands a body it cannot type (here only `text/plain`, which the spec walker
/// allows for answers) back as a `ByteStream`. Every `send` answers `String` instead, read by
/// `junos_space_runtime::text_answer` in [`rewrite_answers`]; an error type of `ByteStream` is
/// never built, since documented error statuses reach callers unread.
fn text_bodies_as_strings(file: &mut syn::File) -> Result<(), String> {
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
    Ok(())
}

/// One builder's `send`.
struct Send {
    builder: String,
    operation_id: String,
    output: Type,
    error: Type,
}

/// The `send` of every builder in `mod builder`, with its answer and error types.
fn sends(file: &syn::File) -> Result<Vec<Send>, String> {
    let builder = module(file, "builder")?;
    let mut sends = Vec::new();
    for item in builder {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let Type::Path(self_ty) = &*block.self_ty else {
            continue;
        };
        let Some(name) = self_ty.path.segments.last().map(|s| s.ident.to_string()) else {
            continue;
        };
        for item in &block.items {
            let syn::ImplItem::Fn(function) = item else {
                continue;
            };
            if function.sig.ident != "send" {
                continue;
            }
            let operation_id = operation_info_id(&function.block)
                .ok_or_else(|| format!("`{name}::send` names no OperationInfo"))?;
            let syn::ReturnType::Type(_, returned) = &function.sig.output else {
                return Err(format!("`{name}::send` returns nothing"));
            };
            // Result<ResponseValue<T>, Error<E>>
            let [ok, err] = type_arguments(returned)
                .try_into()
                .map_err(|_| format!("`{name}::send` does not return a Result"))?;
            let output = type_arguments(&ok).into_iter().next();
            let error = type_arguments(&err).into_iter().next();
            let (Some(output), Some(error)) = (output, error) else {
                return Err(format!(
                    "`{name}::send` does not return Result<ResponseValue<_>, Error<_>>"
                ));
            };
            sends.push(Send {
                builder: name.clone(),
                operation_id,
                output,
                error,
            });
        }
    }
    if sends.is_empty() {
        return Err("progenitor generated no builder with a `send`".to_owned());
    }
    Ok(sends)
}

/// The type arguments of the last segment of `ty` (`Result<A, B>` → `[A, B]`).
fn type_arguments(ty: &Type) -> Vec<Type> {
    let Type::Path(path) = ty else {
        return Vec::new();
    };
    let Some(segment) = path.path.segments.last() else {
        return Vec::new();
    };
    let PathArguments::AngleBracketed(args) = &segment.arguments else {
        return Vec::new();
    };
    args.args
        .iter()
        .filter_map(|arg| match arg {
            GenericArgument::Type(ty) => Some(ty.clone()),
            _ => None,
        })
        .collect()
}

fn last_ident(ty: &Type) -> Option<String> {
    let Type::Path(path) = ty else { return None };
    path.path.segments.last().map(|s| s.ident.to_string())
}

/// How a collection answer holds its members: `answer.<envelope>.<members>`, and the
/// envelope's count field (`@size` or `@total`) if it has one.
struct Envelope {
    envelope_field: syn::Ident,
    envelope_optional: bool,
    members_field: syn::Ident,
    item: Type,
    total: Option<(syn::Ident, bool)>,
}

/// The collection answers, as the spec's list shapes name them (`Wire::collection`), followed
/// into the generated types: the answer's field for the envelope, the envelope's list field
/// for the members, its integer field for the count. A name the generated types do not hold
/// fails generation: the spec and progenitor's output no longer agree.
fn collections(
    file: &syn::File,
    sends: &[Send],
    wire: &BTreeMap<String, Wire>,
) -> Result<BTreeMap<String, Envelope>, String> {
    let types: BTreeMap<String, &syn::ItemStruct> = module(file, "types")?
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some((s.ident.to_string(), s)),
            _ => None,
        })
        .collect();
    let struct_of = |ty: &Type| last_ident(ty).and_then(|name| types.get(&name).copied());
    let mut found = BTreeMap::new();
    for send in sends {
        let Some(names) = wire
            .get(&send.operation_id)
            .and_then(|w| w.collection.as_ref())
        else {
            continue;
        };
        let fail = |what: String| {
            format!(
                "`{}` answers a collection (`{}.{}`), but {what}",
                send.operation_id, names.envelope, names.member
            )
        };
        let answer = struct_of(&send.output)
            .ok_or_else(|| fail("its answer is not a generated struct".into()))?;
        let field = json_field(answer, &names.envelope)
            .ok_or_else(|| fail(format!("`{}` has no field for it", answer.ident)))?;
        let (envelope_ty, envelope_optional) = unwrap_option(&field.ty);
        let envelope =
            struct_of(&envelope_ty).ok_or_else(|| fail("its envelope is not a struct".into()))?;
        let members = json_field(envelope, &names.member)
            .filter(|f| last_ident(&f.ty).as_deref() == Some("Vec"))
            .ok_or_else(|| fail(format!("`{}` has no list of members", envelope.ident)))?;
        let item = type_arguments(&members.ty)
            .into_iter()
            .next()
            .ok_or_else(|| fail("the member list names no type".into()))?;
        let total = match &names.count {
            None => None,
            Some(count) => {
                let counted = json_field(envelope, count)
                    .ok_or_else(|| fail(format!("`{}` has no `{count}`", envelope.ident)))?;
                let (ty, optional) = unwrap_option(&counted.ty);
                let integer =
                    last_ident(&ty).is_some_and(|n| n.starts_with('i') || n.starts_with('u'));
                if !integer {
                    return Err(fail(format!("`{count}` is not an integer")));
                }
                counted.ident.clone().map(|ident| (ident, optional))
            }
        };
        let (Some(envelope_field), Some(members_field)) =
            (field.ident.clone(), members.ident.clone())
        else {
            return Err(fail("a field has no name".into()));
        };
        found.insert(
            send.builder.clone(),
            Envelope {
                envelope_field,
                envelope_optional,
                members_field,
                item: qualify_in_types(item),
                total,
            },
        );
    }
    Ok(found)
}

/// The field of `item` that serializes as `name`: its serde `rename`, or its own name when
/// it has none.
fn json_field<'a>(item: &'a syn::ItemStruct, name: &str) -> Option<&'a syn::Field> {
    item.fields.iter().find(|field| match serde_rename(field) {
        Some(renamed) => renamed == name,
        None => field.ident.as_ref().is_some_and(|ident| ident == name),
    })
}

/// The value of `#[serde(rename = "...")]` on `field`, if it has one.
fn serde_rename(field: &syn::Field) -> Option<String> {
    field.attrs.iter().find_map(|attribute| {
        if !attribute.path().is_ident("serde") {
            return None;
        }
        let mut renamed = None;
        // Other serde arguments (`default`, `deserialize_with = ...`) are read and ignored.
        let _ = attribute.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                renamed = Some(meta.value()?.parse::<syn::LitStr>()?.value());
            } else if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<syn::Expr>()?;
            }
            Ok(())
        });
        renamed
    })
}

/// A member type named inside `mod types` (`Device`) as seen from the crate root.
fn qualify_in_types(item: Type) -> Type {
    match &item {
        Type::Path(path) if path.qself.is_none() && path.path.segments.len() == 1 => {
            parse_quote!(types::#item)
        }
        _ => item,
    }
}

fn unwrap_option(ty: &Type) -> (Type, bool) {
    if last_ident(ty).as_deref() == Some("Option")
        && let Some(inner) = type_arguments(ty).into_iter().next()
    {
        return (inner, true);
    }
    (ty.clone(), false)
}

/// In every `send`: documented error statuses are no longer decoded as JSON (a real server
/// sends HTML, plain text or XML there, and the failed decode would lose status and media
/// type), so they reach the caller as `Error::UnexpectedResponse` with the body unread; a
/// success answer is decoded only when its `Content-Type` is one the request accepted
/// (`junos_space_runtime::decode_answer`), else it too is `UnexpectedResponse`; and a
/// collection's 204 with no body is its empty answer.
fn rewrite_answers(
    file: &mut syn::File,
    collections: &BTreeMap<String, Envelope>,
    accepted: &BTreeMap<String, Vec<String>>,
) -> Result<(), String> {
    let mut visitor = Answers {
        collections,
        accepted,
        current: None,
        rewritten: 0,
        error: None,
    };
    visitor.visit_file_mut(file);
    if let Some(error) = visitor.error {
        return Err(error);
    }
    if visitor.rewritten == 0 {
        return Err("found no status match in any `send`".to_owned());
    }
    Ok(())
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

fn operation_impl(send: &Send, accept: Option<&str>) -> TokenStream {
    let builder = format_ident!("{}", send.builder);
    let Send {
        operation_id,
        output,
        error,
        ..
    } = send;
    let accept = match accept {
        Some(accept) => quote!(::std::option::Option::Some(#accept)),
        None => quote!(::std::option::Option::None),
    };
    quote! {
        impl<'a> ::junos_space_runtime::Operation for builder::#builder<'a> {
            type Output = #output;
            type ErrorBody = #error;
            const OPERATION_ID: &'static str = #operation_id;
            const ACCEPT: ::std::option::Option<&'static str> = #accept;

            fn send_request(
                self,
            ) -> impl ::std::future::Future<
                Output = ::std::result::Result<ResponseValue<#output>, Error<#error>>,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_json_name_finds_its_field_renamed_or_not() {
        let envelope: syn::ItemStruct = parse_quote! {
            pub struct Envelope {
                pub device: Vec<Device>,
                #[serde(rename = "@size", deserialize_with = "lenient::integer", default)]
                pub size: i64,
                #[serde(rename = "cli-configlet")]
                pub cli_configlet: Vec<Configlet>,
            }
        };
        let name = |json: &str| {
            json_field(&envelope, json).and_then(|f| f.ident.as_ref().map(ToString::to_string))
        };
        assert_eq!(name("device").as_deref(), Some("device"));
        assert_eq!(name("@size").as_deref(), Some("size"));
        assert_eq!(name("cli-configlet").as_deref(), Some("cli_configlet"));
        // The Rust name of a renamed field is not its JSON name.
        assert_eq!(name("size"), None);
        assert_eq!(name("cli_configlet"), None);
        assert_eq!(name("@total"), None);
    }
}
