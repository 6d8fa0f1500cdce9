//! The tables `client.rs` ends with, written inside `mod builder`: the operation table (each
//! builder's public `send`, its `Operation` trait, the session table, the client's constants)
//! and the collection table (`Collection`, `Paged`). Only the rows are generated; what a row
//! becomes is the hand-written frame in `generated/src/frames.rs`.

use junos_space_model::api::SessionRole;
use syn::parse_quote;

use crate::context::Context;
use crate::progenitor_output::{Generated, Row, Table, string_text, type_text};
use crate::runtime_glue::answers::answer_table;

/// One way to send, one error type: every builder's public `send` goes through
/// `junos_space_runtime::Runtime::send` and returns the runtime's readable `Error`.
///
/// progenitor writes `send` to build the request, send it, and match on the answer's status,
/// returning its own `Error<E>` (the body of a documented error status, or the
/// `reqwest::Response` of an unexpected one, still unread); it has no setting or hook that
/// changes a `send`'s return type, or one that sends the request elsewhere. So its `send` is
/// cut in two: the request's part is kept, as a private `build_request`, and the match
/// becomes the row's answer table ([`answer_table`]). The operation table gives each builder
/// a public `send` that hands the built request and the table to the runtime, which sends
/// again what the retry policy allows from a copy of the request, reads the answer with one
/// future for every operation, and reads the last failure into its `Error` (credentials
/// refused, not found, a media type refused or answered other than asked, ...).
///
/// A row is the operation's progenitor id, HTTP method, `Accept`, what it does to the login
/// session (`x-session`), its answer table, the runtime's decode for it, and its answer type;
/// the table's head is the spec's base path and the timeout progenitor's `Client::new` sets.
/// Counts the rows.
pub(crate) fn operation_table(
    context: &Context<'_>,
    generated: &mut Generated,
) -> Result<usize, String> {
    let mut table = Table::new(parse_quote!(crate::frames::operations));
    table.head(format!(
        "base_path: {},",
        string_text(context.api.base_path())
    ));
    table.head(format!(
        "timeout_secs: {};",
        generated.client.constructor.timeout_secs
    ));
    for builder in &mut generated.client.builders.builders {
        let send = &mut builder.send;
        if send.name() != "send" {
            return Err(format!("`{}` has no `send` left to rename", builder.name));
        }
        let operation = context.operation(send.operation_id())?;
        let accept = match operation.accept_header() {
            Some(accept) => format!("Some({})", string_text(&accept)),
            None => "None".to_owned(),
        };
        let session = match operation.session {
            None => "Ordinary",
            Some(SessionRole::Opens) => "Opens",
            Some(SessionRole::Ends) => "Ends",
            Some(SessionRole::Reports) => "Reports",
            Some(SessionRole::Within) => "Within",
        };
        let mut row = Row::new(format!("{} {{", builder.name), "}");
        if let Some(condition) = crate::features::condition(operation) {
            row.gate(&condition);
        }
        // The doc comment (`Sends a GET request to ...`) goes to the public `send`.
        for doc in send.take_docs() {
            row.doc(doc_text(&doc)?);
        }
        row.entry(format!("id: {},", string_text(send.operation_id())));
        row.entry(format!("method: {},", operation.method.as_str()));
        row.entry(format!("accept: {accept},"));
        row.entry(format!("session: {session},"));
        let answers = answer_table(operation, builder)?;
        row.entry("answers: [".to_owned());
        for answer in answers.rows {
            row.entry(format!("    {answer}"));
        }
        row.entry("],".to_owned());
        row.entry(format!("decode: {},", answers.decode));
        row.entry(format!("output: {},", type_text(&answers.output)));
        let send = &mut builder.send;
        send.output = answers.output;
        table.push(row);
        send.push_attribute(parse_quote!(
            #[doc = " The request progenitor's `send` built; [`Self::send`] sends it."]
        ));
        send.rename("build_request");
        send.vis = syn::Visibility::Inherited;
    }
    // The answer tables' rows name these.
    generated.client.builders.added.push(parse_quote!(
        #[allow(unused_imports)]
        use ::junos_space_runtime::{Accepted, Reading};
    ));
    let count = table.len();
    generated.client.builders.tables.push(table);
    Ok(count)
}

/// The text of a `#[doc = "..."]` attribute, as it follows `///`.
fn doc_text(attribute: &syn::Attribute) -> Result<String, String> {
    match &attribute.meta {
        syn::Meta::NameValue(doc) => match &doc.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(text),
                ..
            }) if !text.value().contains('\n') => Ok(text.value()),
            _ => Err("a doc comment of more than one line on `send`".to_owned()),
        },
        _ => Err("a doc attribute that is not `doc = \"..\"`".to_owned()),
    }
}

/// A row for every builder whose answer is a collection: its answer and member types, the
/// envelope and member fields the spec's collection names follow to in the generated types,
/// the count field, and whether it takes `paging`. progenitor knows nothing of collections;
/// this is the spec's data, read through the model of the API. Counts the rows.
pub(crate) fn collection_table(
    context: &Context<'_>,
    generated: &mut Generated,
) -> Result<usize, String> {
    let client = &mut generated.client;
    let mut table = Table::new(parse_quote!(crate::frames::collections));
    for builder in &client.builders.builders {
        let operation = context.operation(builder.send.operation_id())?;
        let Some(collection) = &operation.collection else {
            continue;
        };
        let fields = client
            .types
            .collection(
                &builder.send.output,
                &collection.envelope,
                &collection.member,
                collection.count.as_ref().map(|count| count.name.as_str()),
            )
            .map_err(|why| format!("`{}`: {why}", operation.id))?;
        let presence = |optional: bool| if optional { "optional" } else { "required" };
        let mut row = Row::new(
            format!(
                "{}({} => {}) {{",
                builder.name,
                type_text(&builder.send.output),
                type_text(&fields.item)
            ),
            "}",
        );
        if let Some(condition) = crate::features::condition(operation) {
            row.gate(&condition);
        }
        row.entry(format!(
            "envelope: {} ({}),",
            fields.envelope,
            presence(fields.envelope_optional)
        ));
        row.entry(format!("members: {},", fields.members));
        row.entry(match &fields.count {
            Some((field, optional)) => format!("count: {field} ({}),", presence(*optional)),
            None => "count: (none),".to_owned(),
        });
        let paging = if builder.setter("paging").is_some() {
            "paged"
        } else {
            "unpaged"
        };
        row.entry(format!("paging: {paging},"));
        table.push(row);
    }
    let count = table.len();
    client.builders.tables.push(table);
    Ok(count)
}
