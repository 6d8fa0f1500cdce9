//! How each exchange builds its request: its URL from the base URL parsed once, and an
//! optional query parameter only when it is set (`junos_space_runtime::QueryWhenSet`).

use std::collections::BTreeSet;

use junos_space_model::api::ParameterLocation;
use quote::quote;
use syn::parse_quote;

use crate::context::Context;
use crate::progenitor_output::{CallKind, Generated, RequestCall};

/// Rewrites `.query(&QueryParam::new("name", &value))` of every optional query parameter into
/// `.query_when_set("name", &value)`, and brings the trait into `mod builder`. Counts the
/// calls rewritten.
///
/// progenitor calls `.query(..)` for every query parameter, set or not, and reqwest takes the
/// URL's query apart and puts it back on each call: for a listing with no filter, paging or
/// sort, the most expensive thing the client adds to a request. progenitor has no setting for
/// it, and a hook sees the request only once the query is written; the calls are rewritten
/// where the spec says the parameter is optional (progenitor's value is then an `Option`).
pub(crate) fn optional_query_when_set(
    context: &Context<'_>,
    generated: &mut Generated,
) -> Result<usize, String> {
    let builders = &mut generated.client.builders;
    let mut rewritten = 0;
    for builder in &mut builders.builders {
        let operation = context.operation(builder.send.operation_id())?;
        let optional: BTreeSet<&str> = operation
            .parameters_in(ParameterLocation::Query)
            .filter(|parameter| !parameter.required)
            .map(|parameter| parameter.name.as_str())
            .collect();
        for call in &mut builder.send.exchange.request.calls {
            let CallKind::Query { name, value } = &call.kind else {
                continue;
            };
            if !optional.contains(name.as_str()) {
                continue;
            }
            *call = RequestCall::new(call.kind.clone(), "query_when_set", quote!(#name, #value));
            rewritten += 1;
        }
    }
    if rewritten > 0 {
        builders.added.push(parse_quote!(
            #[allow(unused_imports)]
            use ::junos_space_runtime::QueryWhenSet as _;
        ));
    }
    Ok(rewritten)
}

/// Every exchange's URL from the base URL the runtime parsed once: progenitor writes
/// `let url = format!("{}/path/{}", client.baseurl, encode_path(..));` and hands the text to
/// reqwest, which parses all of it (scheme, host name rules, path) on every request, a cost as
/// large as any the client adds; no setting or hook changes how the URL is made. The rewrite
/// keeps the path as progenitor writes it and asks `Runtime::request_url` for the URL, which
/// only sets that path on the parsed base; an operation below its own server's base path asks
/// `Runtime::request_url_below`. A path without variables is the spec's own text
/// (progenitor's may carry the lowering's copy marker). Counts the exchanges.
pub(crate) fn urls_from_the_parsed_base(
    context: &Context<'_>,
    generated: &mut Generated,
) -> Result<usize, String> {
    let builders = &mut generated.client.builders.builders;
    let progenitors = builders
        .iter()
        .filter(|b| b.send.exchange.url.path.is_some())
        .count();
    if let Some(other) = builders
        .iter()
        .find(|b| b.send.exchange.url.path.is_none())
        .filter(|_| progenitors > 0)
    {
        return Err(format!(
            "`{}`: the URL is not `format!(\"{{}}/..\", client.baseurl, ..)`",
            other.send.operation_id()
        ));
    }
    let mut rewritten = 0;
    for builder in builders.iter_mut() {
        let operation = context.operation(builder.send.operation_id())?;
        let url = &mut builder.send.exchange.url;
        let Some(mut path) = url.path.take() else {
            continue;
        };
        if matches!(path, syn::Expr::Lit(_)) {
            let spec_path = &operation.path;
            path = parse_quote!(#spec_path);
        }
        url.init = if operation.base_path == context.api.base_path() {
            parse_quote! {
                client.inner.request_url(&client.baseurl, #path).map_err(Error::InvalidRequest)?
            }
        } else {
            // Below its path item's own server (Security Director's `/api/juniper`): the
            // client's base URL names the document's base path, which this one replaces.
            let own_base = &operation.base_path;
            parse_quote! {
                client
                    .inner
                    .request_url_below(&client.baseurl, super::Client::BASE_PATH, #own_base, #path)
                    .map_err(Error::InvalidRequest)?
            }
        };
        rewritten += 1;
    }
    Ok(rewritten)
}
