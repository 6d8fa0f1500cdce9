//! How a `send` reads its answer: text answers as `String`, documented error statuses handed
//! back unread, success answers decoded only in a type the request accepted, and a
//! collection's 204 as its empty answer. progenitor decodes every documented status as
//! JSON whatever its `Content-Type`, and has no setting or hook that changes how an answer is
//! read (its `post` hook sees the answer before `send` reads it, and can only fail).

use quote::quote;
use syn::parse_quote;

use crate::context::Context;
use crate::progenitor_output::{Answer, Generated, StatusArm, StatusPattern};

/// progenitor hands a body it cannot type (here only `text/plain`, which the model allows
/// for answers) back as a `ByteStream`, and no setting of its (nor typify's replacements,
/// which apply to schemas) types a text answer otherwise. Every `send` answers `String`
/// instead, read by `junos_space_runtime::text_answer` in [`answers_through_runtime`]; an
/// error type of `ByteStream` is never built, since documented error statuses reach callers
/// unread. Counts the types replaced.
pub(crate) fn text_answers_as_strings(
    _: &Context<'_>,
    generated: &mut Generated,
) -> Result<usize, String> {
    let string: syn::Type = parse_quote!(::std::string::String);
    let mut replaced = 0;
    for builder in &mut generated.client.builders.builders {
        let send = &mut builder.send;
        for ty in [&mut send.output, &mut send.error] {
            if is_byte_stream(ty) {
                *ty = string.clone();
                replaced += 1;
            }
        }
    }
    Ok(replaced)
}

fn is_byte_stream(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(path) if path.path.segments.last().is_some_and(|s| s.ident == "ByteStream"))
}

/// In every `send`: documented error statuses are no longer decoded as JSON (a real server
/// sends HTML, plain text or XML there, and the failed decode would lose status and media
/// type), so they reach the caller as `Error::UnexpectedResponse` with the body unread; a
/// success answer is decoded only when its `Content-Type` is one the request accepted
/// (`junos_space_runtime::decode_answer`), else it too is `UnexpectedResponse`, except where
/// every accepted type is a decision of the spec (`Operation::answer_types_decided`): then
/// any JSON or text type is read (`Accepted::AnyJsonOrText`), since a server answering
/// another differs only from our decision; and a collection's 204 with no body is its empty
/// answer. Counts the exchanges it changed.
pub(crate) fn answers_through_runtime(
    context: &Context<'_>,
    generated: &mut Generated,
) -> Result<usize, String> {
    let mut rewritten = 0;
    for builder in &mut generated.client.builders.builders {
        let operation = context.operation(builder.send.operation_id())?;
        let name = &builder.name;
        let accepted: Vec<&str> = operation.accept.iter().map(|c| c.text.as_str()).collect();
        let reads = if operation.answer_types_decided() {
            quote!(::junos_space_runtime::Accepted::AnyJsonOrText)
        } else {
            quote!(::junos_space_runtime::Accepted::Exactly(&[#(#accepted),*]))
        };
        let arms = &mut builder.send.exchange.status.arms;
        let before = arms.len();
        arms.retain(|arm| arm.is_success() || arm.pattern == StatusPattern::Any);
        let mut changed = arms.len() != before;
        let mut typed_answers = 0;
        for arm in arms.iter_mut() {
            match arm.answer {
                Answer::Decoded => arm.set_body(parse_quote! {
                    ::junos_space_runtime::decode_answer(response, #reads).await
                }),
                Answer::Stream => arm.set_body(parse_quote! {
                    ::junos_space_runtime::text_answer(response, #reads).await
                }),
                _ => continue,
            }
            typed_answers += 1;
        }
        // Every typed success arm checks its media type; an answer without a body has none.
        let typed_expected = usize::from(!accepted.is_empty());
        if typed_answers != typed_expected {
            return Err(format!(
                "`{name}::send`: {typed_answers} typed success answers for {} accepted types",
                accepted.len()
            ));
        }
        let reads_204 = arms
            .iter()
            .any(|arm| arm.pattern == StatusPattern::Code(204));
        if operation.collection.is_some() && !reads_204 {
            // Before any arm that takes 204 with the rest (a class, or `_`).
            let at = arms
                .iter()
                .position(|arm| arm.covers(204))
                .unwrap_or(arms.len());
            arms.insert(
                at,
                StatusArm::new(
                    StatusPattern::Code(204),
                    parse_quote! {
                        Ok(ResponseValue::new(
                            ::std::default::Default::default(),
                            response.status(),
                            response.headers().clone(),
                        ))
                    },
                ),
            );
            changed = true;
        }
        changed |= typed_answers > 0;
        rewritten += usize::from(changed);
    }
    Ok(rewritten)
}
