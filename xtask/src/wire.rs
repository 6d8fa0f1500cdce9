//! Puts the spec's exact media types on the wire in every exchange progenitor wrote.
//!
//! progenitor sends `Accept: application/json`, lets `.json()` set `Content-Type:
//! application/json`, and adds an `api-version` header; Junos Space answers 406/415 to the
//! first two and does not define the third. progenitor has no setting for any of the three.
//! Its `pre` and `exec` hooks could rewrite the headers of each request from a table, but on
//! every request, on the path whose cost the overhead bench measures, and the generated
//! source would still name `application/json`; so the request chain itself is rewritten and
//! the vendor types stand in the generated source.

use quote::quote;

use crate::context::Context;
use crate::progenitor_output::{CallKind, Exchange, Generated, RequestCall};

/// Rewrites the request of every exchange; counts the exchanges.
pub fn exact_media_types(
    context: &Context<'_>,
    generated: &mut Generated,
) -> Result<usize, String> {
    let builders = &mut generated.client.builders.builders;
    if builders.len() != context.operation_count() {
        return Err(format!(
            "progenitor generated {} requests for {} spec methods",
            builders.len(),
            context.operation_count()
        ));
    }
    for builder in builders.iter_mut() {
        let operation = context.operation(builder.send.operation_id())?;
        let accept = operation.accept_header();
        let content_type = operation.content_type();
        rewrite(&mut builder.send.exchange, accept.as_deref(), content_type)
            .map_err(|why| format!("`{}`: {why}", operation.id))?;
    }
    Ok(builders.len())
}

fn rewrite(
    exchange: &mut Exchange,
    accept: Option<&str>,
    content_type: Option<&str>,
) -> Result<(), String> {
    let headers = exchange
        .headers
        .as_mut()
        .ok_or("progenitor built no header map to take `api-version` from")?;
    let before = headers.headers.len();
    headers
        .headers
        .retain(|header| header.name.as_deref() != Some("api-version"));
    if before - headers.headers.len() != 1 {
        return Err("expected one api-version header to remove".to_owned());
    }
    let request = &mut exchange.request;
    // With no header parameter left, the header map is empty: drop it and its use.
    if headers.headers.is_empty() {
        exchange.headers = None;
        request.calls.retain(|call| call.kind != CallKind::Headers);
    }
    let vendor_accept =
        |accept| RequestCall::header(CallKind::Accept, quote!(::reqwest::header::ACCEPT), accept);
    match (request.position(|k| *k == CallKind::Accept), accept) {
        (Some(at), Some(accept)) => request.calls[at] = vendor_accept(accept),
        (Some(at), None) => {
            request.calls.remove(at);
        }
        (None, Some(accept)) => request.calls.push(vendor_accept(accept)),
        (None, None) => {}
    }
    let json_bodies = request
        .calls
        .iter()
        .filter(|call| call.kind == CallKind::Json)
        .count();
    let expected_bodies = usize::from(content_type.is_some());
    if json_bodies != expected_bodies {
        return Err(format!(
            "found {json_bodies} JSON bodies, expected {expected_bodies}"
        ));
    }
    if let (Some(at), Some(content_type)) =
        (request.position(|k| *k == CallKind::Json), content_type)
    {
        // reqwest's json() keeps a Content-Type that is already set.
        let header = RequestCall::header(
            CallKind::ContentType,
            quote!(::reqwest::header::CONTENT_TYPE),
            content_type,
        );
        request.calls.insert(at, header);
    }
    Ok(())
}
