//! Small readers of progenitor's output shared by the rewrites: its modules, and token text.

use quote::ToTokens;

/// The items of the top-level `mod name` progenitor generated.
pub fn module<'a>(file: &'a syn::File, name: &str) -> Result<&'a [syn::Item], String> {
    file.items
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == name => m.content.as_ref(),
            _ => None,
        })
        .map(|(_, items)| items.as_slice())
        .ok_or_else(|| format!("progenitor generated no `mod {name}`"))
}

/// The items of the top-level `mod name`, to change them.
pub fn module_mut<'a>(
    file: &'a mut syn::File,
    name: &str,
) -> Result<&'a mut Vec<syn::Item>, String> {
    file.items
        .iter_mut()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == name => m.content.as_mut(),
            _ => None,
        })
        .map(|(_, items)| items)
        .ok_or_else(|| format!("progenitor generated no `mod {name}`"))
}

/// A node's tokens as text (`header_map . append (..)`), for matching progenitor's shapes.
pub fn tokens(node: &impl ToTokens) -> String {
    node.to_token_stream().to_string()
}
