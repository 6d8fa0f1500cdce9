//! Tidies progenitor's documentation comments: a split method's path reads as the spec writes
//! it, and call sketches, which use undefined variables and can never compile, are text
//! rather than ignored doctests.

use syn::visit_mut::VisitMut;

use crate::lower::restore_path_variables;
use crate::steps::Input;

/// Rewrites every doc attribute of `file`; counts the call sketches it marked as text.
pub(crate) fn sketches_as_text(_: &Input<'_>, file: &mut syn::File) -> Result<usize, String> {
    let mut docs = GeneratedDocs { sketches: 0 };
    docs.visit_file_mut(file);
    Ok(docs.sketches)
}

struct GeneratedDocs {
    sketches: usize,
}

impl VisitMut for GeneratedDocs {
    fn visit_attribute_mut(&mut self, attribute: &mut syn::Attribute) {
        if let syn::Meta::NameValue(doc) = &mut attribute.meta
            && doc.path.is_ident("doc")
            && let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(text),
                ..
            }) = &doc.value
        {
            let text = text.value();
            self.sketches += text.matches("```ignore").count();
            let restored = restore_path_variables(&text).replace("```ignore", "```text");
            doc.value = syn::parse_quote!(#restored);
        }
    }
}
