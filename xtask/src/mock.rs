//! Makes progenitor's typed httpmock extension (`MockServerExt`) mock Junos Space as the client
//! meets it. progenitor's version matches paths without the `/api/space` base, expects no
//! media types and answers `application/json`, and its httpmock generator takes no settings;
//! here each `When` expects the exact `Accept` and `Content-Type` the client sends, each
//! `Then` answers the type its status documents (a plain-text answer as text), and paths
//! carry their operation's base path. Every rewrite is counted so that a change in progenitor's
//! output fails generation.

use junos_space_model::api::{Content, Operation};
use syn::parse_quote;

use crate::context::Context;
use crate::lower::restore_path_variables;
use crate::progenitor_output::{
    Generated, OperationMock, Row, Table, ThenBody, from_crate_root, string_text, type_text,
};

/// Every `When` of progenitor's mock matches paths under the operation's base path (the
/// document's, or its path item's own server's) and expects the
/// exact `Accept` and `Content-Type` the client sends. Counts the operations.
pub(crate) fn expect_requests(
    context: &Context<'_>,
    generated: &mut Generated,
) -> Result<usize, String> {
    for_each_operation(context, generated, |mock, operation| {
        let base_path = &operation.base_path;
        let when = &mut mock.when;
        let mut prefixed = 0;
        for pattern in when.path_patterns_mut() {
            let Some(rest) = pattern.strip_prefix("^/") else {
                continue;
            };
            // A split method's copy of a path is matched on the spec's path.
            let rest = restore_path_variables(rest);
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

/// The table of `mock::by_id`: a row per operation, each documented status with the `Then`
/// method that answers it and what that method takes (nothing, text, or a typed value), so
/// tests can mock any operation by its spec id and walk the spec. What the rows become is
/// the hand-written frame in `generated/src/mock_by_id.rs`. Counts the (operation, status)
/// pairs.
pub(crate) fn answer_table(
    context: &Context<'_>,
    generated: &mut Generated,
) -> Result<usize, String> {
    let mut table = Table::new(parse_quote!(crate::mock_by_id::by_id));
    let mut covered = 0;
    for mock in &generated.mock.operations {
        let operation = context.operation(&mock.helper)?;
        let mut row = Row::new(
            format!("{} => {} {{", string_text(&operation.id), mock.helper),
            "}",
        );
        if let Some(condition) = crate::features::condition(operation) {
            row.gate(&condition);
        }
        for answer in &mock.then.answers {
            let takes = match &answer.argument {
                None => String::new(),
                Some(syn::Type::Reference(reference)) if is_str(&reference.elem) => "text".into(),
                // Named as in `mod operations`; the table's module is beside it.
                Some(syn::Type::Reference(reference)) => {
                    type_text(&from_crate_root(&reference.elem))
                }
                Some(_) => {
                    return Err(format!(
                        "`{}Then::{}` takes its value other than by reference; the table \
                         knows none or one reference",
                        mock.name, answer.name
                    ));
                }
            };
            row.entry(format!("{} => {}({takes}),", answer.status, answer.name));
            covered += 1;
        }
        table.push(row);
    }
    generated.mock.tables.push(table);
    Ok(covered)
}

fn is_str(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(path) if path.path.is_ident("str"))
}
