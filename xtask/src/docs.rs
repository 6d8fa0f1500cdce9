//! Tidies progenitor's documentation comments: a split method's path reads as the spec writes
//! it, and call sketches, which use undefined variables and can never compile, are text
//! rather than ignored doctests. progenitor has no setting for either.

use crate::context::Context;
use crate::lower::restore_path_variables;
use crate::progenitor_output::Generated;

/// Rewrites every doc attribute of the client; counts the call sketches it marked as text.
pub fn sketches_as_text(_: &Context<'_>, generated: &mut Generated) -> Result<usize, String> {
    let mut sketches = 0;
    generated.client.visit_attributes(&mut |attribute| {
        if let syn::Meta::NameValue(doc) = &mut attribute.meta
            && doc.path.is_ident("doc")
            && let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(text),
                ..
            }) = &doc.value
        {
            let text = text.value();
            sketches += text.matches("```ignore").count();
            let restored = restore_path_variables(&text).replace("```ignore", "```text");
            doc.value = syn::parse_quote!(#restored);
        }
    });
    Ok(sketches)
}
