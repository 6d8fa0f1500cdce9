//! How a `send` reads its answer: text answers as `String`, documented error statuses handed
//! back unread, success answers decoded only in a type the request accepted, and a
//! collection's 204 as its empty answer. progenitor decodes every documented status as
//! JSON whatever its `Content-Type`, and has no setting or hook that changes how an answer is
//! read (its `post` hook sees the answer before `send` reads it, and can only fail).

use junos_space_model::api::Operation;
use syn::parse_quote;

use crate::progenitor_output::{Answer, Builder, StatusPattern, string_text};

/// The answer table of one `send`, for its row of the operation table: each success status
/// progenitor's match takes, and how the runtime reads it; and the runtime's type that decodes the
/// read answer into the operation's type. The runtime reads every answer with one future for
/// all operations (`junos_space_runtime::Runtime::send`), so the match is kept as data.
///
/// progenitor hands a body it cannot type (here only `text/plain`, which the model allows
/// for answers) back as a `ByteStream`, and no setting of its (nor typify's replacements,
/// which apply to schemas) types a text answer otherwise: such an operation answers `String`,
/// read as text by the runtime.
///
/// Documented error statuses are not in the table: a real server sends HTML, plain text or
/// XML there, and a decode of it as JSON would lose status and media type, so they reach
/// the caller as unexpected answers with the body unread. A success answer is decoded only
/// when its `Content-Type` is one the request accepted, else it too is unexpected, except
/// where every accepted type is a decision of the spec (`Operation::answer_types_decided`):
/// then any JSON or text type is read (`Accepted::AnyJsonOrText`), since a server answering
/// another differs only from our decision. A collection's 204 with no body is its empty
/// answer.
pub(crate) fn answer_table(
    operation: &Operation,
    builder: &Builder,
) -> Result<AnswerTable, String> {
    let name = &builder.name;
    let accepted: Vec<String> = operation
        .accept
        .iter()
        .map(|content| string_text(&content.text))
        .collect();
    let reads = if operation.answer_types_decided() {
        "Accepted::AnyJsonOrText".to_owned()
    } else {
        format!("Accepted::Exactly(&[{}])", accepted.join(", "))
    };
    let mut rows: Vec<(StatusPattern, String)> = Vec::new();
    let (mut json, mut text, mut empty) = (0, 0, 0);
    for arm in &builder.send.exchange.status.arms {
        if !arm.is_success() {
            continue;
        }
        let reading = match arm.answer {
            Answer::Decoded => {
                json += 1;
                format!("Reading::Json({reads})")
            }
            Answer::Stream => {
                text += 1;
                format!("Reading::Text({reads})")
            }
            Answer::Empty => {
                empty += 1;
                "Reading::Empty".to_owned()
            }
            Answer::Error | Answer::Unexpected => continue,
        };
        rows.push((arm.pattern, reading));
    }
    // Every typed success answer checks its media type; an answer without a body has none.
    let typed_expected = usize::from(!accepted.is_empty());
    if json + text != typed_expected {
        return Err(format!(
            "`{name}::send`: {} typed success answers for {} accepted types",
            json + text,
            accepted.len()
        ));
    }
    let reads_204 = rows
        .iter()
        .any(|(pattern, _)| *pattern == StatusPattern::Code(204));
    if operation.collection.is_some() && !reads_204 {
        // Before any row that takes 204 with the rest (a class).
        let at = rows
            .iter()
            .position(|(pattern, _)| pattern.covers(204))
            .unwrap_or(rows.len());
        rows.insert(at, (StatusPattern::Code(204), "Reading::Empty".to_owned()));
        empty += 1;
    }
    let decode = match (json, text, empty) {
        (1, 0, 0) => "Json",
        (1, 0, _) => "JsonOrDefault",
        (0, 1, 0) => "Text",
        (0, 0, _) => "Empty",
        _ => {
            return Err(format!(
                "`{name}::send`: no runtime decode reads {json} JSON, {text} text and {empty} \
                 empty success answers together"
            ));
        }
    };
    let rows = rows
        .into_iter()
        .map(|(pattern, reading)| {
            let (low, high) = pattern
                .bounds()
                .ok_or_else(|| format!("`{name}::send`: a success arm without statuses"))?;
            Ok(format!("{low}..={high} => {reading},"))
        })
        .collect::<Result<_, String>>()?;
    let output = if decode == "Text" && is_byte_stream(&builder.send.output) {
        parse_quote!(::std::string::String)
    } else {
        builder.send.output.clone()
    };
    Ok(AnswerTable {
        rows,
        decode,
        output,
    })
}

fn is_byte_stream(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(path) if path.path.segments.last().is_some_and(|s| s.ident == "ByteStream"))
}

/// What [`answer_table`] gives: the rows (`200..=200 => Reading::Json(..),`), the name of the
/// runtime's decode type (`Json`, `JsonOrDefault`, `Text` or `Empty`), and the answer type.
pub(crate) struct AnswerTable {
    pub rows: Vec<String>,
    pub decode: &'static str,
    pub output: syn::Type,
}
