//! The tables the steps write: a macro invocation of the generated crate's hand-written frames
//! whose body is rows of the spec's data. prettyplease prints the body of a macro it does not
//! know token by token (`crate ::types::Error`, a row run into the next), so the model prints
//! the rows itself, one entry a line, and prettyplease only places the invocation.

use quote::ToTokens;

/// A table: `path! { head.. rows.. }`.
pub struct Table {
    path: syn::Path,
    head: Vec<String>,
    rows: Vec<Row>,
}

/// One row: the condition it is compiled under, its doc lines, its opening (`ListDevices {`),
/// its entries, one a line, and its closing (`}`).
pub struct Row {
    condition: Option<String>,
    docs: Vec<String>,
    opening: String,
    entries: Vec<String>,
    closing: String,
}

impl Table {
    /// An empty table of the frame `path` (`crate::frames::operations`).
    pub fn new(path: syn::Path) -> Self {
        Self {
            path,
            head: Vec::new(),
            rows: Vec::new(),
        }
    }

    /// A line before the rows (`base_path: "/api/space",`).
    pub fn head(&mut self, line: String) {
        self.head.push(line);
    }

    pub fn push(&mut self, row: Row) {
        self.rows.push(row);
    }

    /// How many rows it has.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// The invocation with a placeholder body, for prettyplease to place.
    pub(super) fn placeholder(&self, index: usize) -> syn::Item {
        let path = &self.path;
        let marker = placeholder_ident(index);
        syn::parse_quote!(#path! { #marker })
    }

    /// The body, each line indented by `indent`.
    fn body(&self, indent: &str) -> String {
        let mut lines: Vec<String> = self.head.clone();
        for row in &self.rows {
            lines.extend(row.condition.iter().map(|c| format!("#[cfg({c})]")));
            lines.extend(row.docs.iter().map(|doc| format!("///{doc}")));
            if row.entries.is_empty() {
                lines.push(format!("{}{}", row.opening, row.closing));
                continue;
            }
            lines.push(row.opening.clone());
            lines.extend(row.entries.iter().map(|entry| format!("    {entry}")));
            lines.push(row.closing.clone());
        }
        lines
            .iter()
            .map(|line| format!("{indent}{line}\n"))
            .collect()
    }

    /// The whole invocation, as the only content of a file.
    pub fn file_text(&self) -> String {
        let path = self.path.to_token_stream().to_string().replace(' ', "");
        format!("{path}! {{\n{}}}\n", self.body("    "))
    }
}

impl Row {
    /// A row opening with `opening` (`ListDevices {`) and closing with `closing` (`}`).
    pub fn new(opening: String, closing: &str) -> Self {
        Self {
            condition: None,
            docs: Vec::new(),
            opening,
            entries: Vec::new(),
            closing: closing.to_owned(),
        }
    }

    /// Compiles the row only under `condition` (`feature = "device-management"`).
    pub fn gate(&mut self, condition: &syn::Meta) {
        self.condition = Some(quote::ToTokens::to_token_stream(condition).to_string());
    }

    /// A doc line, as it follows `///`.
    pub fn doc(&mut self, line: String) {
        self.docs.push(line);
    }

    /// An entry, one line (`id: "list_devices",`).
    pub fn entry(&mut self, entry: String) {
        self.entries.push(entry);
    }
}

fn placeholder_ident(index: usize) -> syn::Ident {
    quote::format_ident!("__xtask_table_{index}")
}

/// `text` as prettyplease printed it, with each table's rows in place of its placeholder.
pub(super) fn fill(text: String, tables: &[&Table]) -> String {
    let mut filled = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let marker = line.trim();
        let table = marker
            .strip_prefix("__xtask_table_")
            .and_then(|index| index.parse::<usize>().ok())
            .and_then(|index| tables.get(index));
        match table {
            Some(table) => {
                let indent = &line[..line.len() - line.trim_start().len()];
                filled.push_str(&table.body(indent));
            }
            None => filled.push_str(line),
        }
    }
    filled
}

/// A type as Rust source, printed as prettyplease prints it (`crate::types::Error`).
pub fn type_text(ty: &syn::Type) -> String {
    let alias: syn::File = syn::parse_quote!(type T = #ty;);
    let printed = prettyplease::unparse(&alias);
    printed
        .trim()
        .trim_start_matches("type T = ")
        .trim_end_matches(';')
        .to_owned()
}

/// A string literal as Rust source.
pub fn string_text(text: &str) -> String {
    proc_macro2::Literal::string(text).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    #[test]
    fn a_table_prints_one_entry_a_line_in_place_of_its_placeholder() {
        let mut table = Table::new(parse_quote!(crate::frames::operations));
        table.head("base_path: \"/api\";".into());
        let mut row = Row::new("ListDevices {".into(), "}");
        row.doc(" Lists devices.".into());
        row.entry(format!(
            "output: {},",
            type_text(&parse_quote!(crate::types::DeviceList))
        ));
        table.push(row);
        table.push(Row::new("\"login\" => login {".into(), "}"));
        let mut file: syn::File = parse_quote!(
            pub mod builder {}
        );
        let syn::Item::Mod(module) = &mut file.items[0] else {
            panic!("a module");
        };
        module
            .content
            .as_mut()
            .expect("a body")
            .1
            .push(table.placeholder(0));
        let filled = fill(prettyplease::unparse(&file), &[&table]);
        assert_eq!(
            filled,
            "pub mod builder {\n    crate::frames::operations! {\n        base_path: \"/api\";\n        \
             /// Lists devices.\n        ListDevices {\n            output: crate::types::DeviceList,\n        \
             }\n        \"login\" => login {}\n    }\n}\n"
        );
        assert_eq!(string_text("a\"b"), r#""a\"b""#);
    }
}
