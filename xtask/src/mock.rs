//! Makes progenitor's typed httpmock extension (`MockServerExt`) mock Junos Space as the client
//! meets it. progenitor's version matches paths without the `/api/space` base, expects no
//! media types and answers `application/json`, and its httpmock generator takes no settings;
//! here each `When` expects the exact `Accept` and `Content-Type` the client sends, each
//! `Then` answers the type its status documents (a plain-text answer as text), and paths
//! carry the spec's base path. Every rewrite is counted so that a change in progenitor's
//! output fails generation.

use junos_space_model::api::{Content, Operation};
use quote::quote;
use syn::parse_quote;

use crate::context::Context;
use crate::progenitor_output::{Generated, OperationMock, ThenBody};

/// Every `When` of progenitor's mock matches paths under the spec's base path and expects the
/// exact `Accept` and `Content-Type` the client sends. Counts the operations.
pub(crate) fn expect_requests(
    context: &Context<'_>,
    generated: &mut Generated,
) -> Result<usize, String> {
    let base_path = context.api.base_path();
    for_each_operation(context, generated, |mock, operation| {
        let when = &mut mock.when;
        let mut prefixed = 0;
        for pattern in when.path_patterns_mut() {
            let Some(rest) = pattern.strip_prefix("^/") else {
                continue;
            };
            *pattern = format!("^{base_path}/{rest}");
            prefixed += 1;
        }
        if prefixed == 0 {
            return Err(format!("no path pattern to put under {base_path}"));
        }
        if let Some(accept) = operation.accept_header() {
            when.headers.push(("accept".to_owned(), accept));
        }
        if let Some(content_type) = operation.content_type() {
            when.headers
                .push(("content-type".to_owned(), content_type.to_owned()));
        }
        Ok(())
    })
}

/// Every `Then` answers the type the spec documents for its status, a text answer as text.
/// Counts the answers changed.
pub(crate) fn answer_documented_types(
    context: &Context<'_>,
    generated: &mut Generated,
) -> Result<usize, String> {
    let mut changed = 0;
    for_each_operation(context, generated, |mock, operation| {
        for answer in &mut mock.then.answers {
            let status = answer.status;
            let Some(content) = documented_content(operation, status) else {
                continue;
            };
            let media_type = content.text.clone();
            let text = content.media_type.is_plain_text();
            if answer.content_type.is_none() && !(200..300).contains(&status) {
                // An error status progenitor was shown without content (`responses` in
                // lower.rs) still has the body the spec documents: the mock takes it as JSON
                // (the client hands error bodies back unread, so no type is needed).
                answer.content_type = Some(media_type);
                if text {
                    answer.argument = Some(parse_quote!(&str));
                    answer.body = ThenBody::Text;
                } else {
                    answer.argument = Some(parse_quote!(&::serde_json::Value));
                    answer.body = ThenBody::JsonBorrowed;
                }
                changed += 1;
                continue;
            }
            match answer.content_type.replace(media_type.clone()) {
                None => {
                    return Err(format!(
                        "the {status} answer's mock sets no content-type to replace"
                    ));
                }
                Some(before) if before != media_type => changed += 1,
                Some(_) => {}
            }
            if text {
                // progenitor mocks a body it cannot type as JSON (`value:
                // serde_json::Value`, `json_body`); a plain-text answer is served as the text
                // itself.
                if answer.body != ThenBody::Json || !is_json_value(answer.argument.as_ref()) {
                    return Err(format!(
                        "the {status} text answer's mock does not take a JSON value"
                    ));
                }
                answer.argument = Some(parse_quote!(&str));
                answer.body = ThenBody::Text;
            }
        }
        Ok(())
    })?;
    Ok(changed)
}

/// The media type the spec documents for `status`, when that status has a body.
fn documented_content(operation: &Operation, status: u16) -> Option<&Content> {
    operation
        .responses
        .iter()
        .find(|response| response.status.code() == Some(status))?
        .contents
        .first()
}

fn is_json_value(ty: Option<&syn::Type>) -> bool {
    matches!(ty, Some(syn::Type::Path(path))
        if path.path.segments.iter().map(|s| s.ident.to_string()).collect::<Vec<_>>() == ["serde_json", "Value"])
}

/// Applies `rewrite` to the mock of every operation; each must exist.
fn for_each_operation(
    context: &Context<'_>,
    generated: &mut Generated,
    mut rewrite: impl FnMut(&mut OperationMock, &Operation) -> Result<(), String>,
) -> Result<usize, String> {
    let operations = &mut generated.mock.operations;
    if operations.len() != context.operation_count() {
        return Err(format!(
            "progenitor's mock has {} operations for {} methods",
            operations.len(),
            context.operation_count()
        ));
    }
    for mock in operations.iter_mut() {
        let operation = context.operation(&mock.helper)?;
        rewrite(mock, operation).map_err(|why| format!("`{}`: {why}", operation.id))?;
    }
    Ok(operations.len())
}

/// `mod by_id`: [`answer`](by_id) mocks any operation, by its spec id, answering any documented
/// status through that operation's typed helper, so tests can walk the spec. Counts the
/// (operation, status) pairs it covers.
pub(crate) fn dispatcher(
    context: &Context<'_>,
    generated: &mut Generated,
) -> Result<usize, String> {
    let mut arms = Vec::new();
    let mut covered = 0;
    for mock in &generated.mock.operations {
        let operation_id = &context.operation(&mock.helper)?.id;
        let helper = syn::Ident::new(&mock.helper, proc_macro2::Span::call_site());
        let mut status_arms = Vec::new();
        for answer in &mock.then.answers {
            let status = answer.status;
            let name = &answer.name;
            let serve = match &answer.argument {
                None => quote!(Ok(server.#helper(|_, then| { then.#name(); }))),
                Some(syn::Type::Reference(reference)) if is_str(&reference.elem) => quote! {
                    let text = body.as_str().ok_or_else(|| AnswerError::Body {
                        operation_id: #operation_id,
                        status: #status,
                        message: "a plain-text answer takes a JSON string".into(),
                    })?;
                    Ok(server.#helper(|_, then| { then.#name(text); }))
                },
                Some(syn::Type::Reference(reference)) => {
                    let ty = &reference.elem;
                    quote! {
                        let value: #ty = ::serde_json::from_value(body.clone()).map_err(|error| {
                            AnswerError::Body {
                                operation_id: #operation_id,
                                status: #status,
                                message: error.to_string(),
                            }
                        })?;
                        Ok(server.#helper(|_, then| { then.#name(&value); }))
                    }
                }
                Some(_) => {
                    return Err(format!(
                        "`{}Then::{name}` takes its value other than by reference; the \
                         dispatcher knows none or one reference",
                        mock.name
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
    generated.mock.added.push(module);
    Ok(covered)
}

fn is_str(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(path) if path.path.is_ident("str"))
}
