//! What a command prints on stdout: a table for people (the default on a terminal), one JSON
//! document, or NDJSON (one record a line, written as it comes; the default otherwise).

use std::io::{self, Write as _};

use serde_json::{Map, Value};

/// How records are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Ndjson,
}

impl Format {
    pub const NAMES: [&'static str; 3] = ["table", "json", "ndjson"];

    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "table" => Some(Self::Table),
            "json" => Some(Self::Json),
            "ndjson" => Some(Self::Ndjson),
            _ => None,
        }
    }
}

/// Prints records: NDJSON at once, a table or a JSON array once all have come.
pub struct Output {
    format: Format,
    kept: Vec<Value>,
    /// The fields a table shows, when not every field.
    columns: Option<&'static [&'static str]>,
}

/// The widest a table cell is printed; longer ones end in `…`.
const WIDEST_CELL: usize = 48;

impl Output {
    pub fn new(format: Format) -> Self {
        Self {
            format,
            kept: Vec::new(),
            columns: None,
        }
    }

    /// A table shows only these fields, in this order (JSON keeps every field).
    pub fn table_columns(mut self, columns: &'static [&'static str]) -> Self {
        self.columns = Some(columns);
        self
    }

    /// One record (a device, a job, a device's RPC result).
    pub fn record(&mut self, record: Value) -> io::Result<()> {
        match self.format {
            Format::Ndjson => {
                let mut out = io::stdout().lock();
                writeln!(out, "{record}")?;
                out.flush()
            }
            Format::Table | Format::Json => {
                self.kept.push(record);
                Ok(())
            }
        }
    }

    /// Whether nothing is waiting to be printed.
    pub fn is_empty(&self) -> bool {
        self.kept.is_empty()
    }

    /// Prints what was kept. A single JSON record prints as itself, not as a list of one.
    pub fn finish(self) -> io::Result<()> {
        let mut out = io::stdout().lock();
        match self.format {
            Format::Ndjson => Ok(()),
            Format::Json => {
                let document = match <[Value; 1]>::try_from(self.kept) {
                    Ok([one]) => one,
                    Err(many) => Value::Array(many),
                };
                writeln!(out, "{}", pretty(&document))
            }
            Format::Table => {
                let rows: Vec<Value> = self.kept.into_iter().map(unwrapped).collect();
                write!(out, "{}", table(&rows, self.columns))
            }
        }
    }
}

/// A record that only wraps another (`{"device": {...}}`, as Junos Space answers) as the
/// record it wraps, so a table shows its fields.
fn unwrapped(record: Value) -> Value {
    match record {
        Value::Object(fields) if fields.len() == 1 && fields.values().all(Value::is_object) => {
            fields
                .into_iter()
                .next()
                .map_or(Value::Null, |(_, inner)| inner)
        }
        other => other,
    }
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

/// Records as aligned columns: `columns` (those any record has), else one per field any
/// record has, in the order first met; one record alone as field/value lines, which reads
/// better than one wide row.
pub fn table(records: &[Value], columns: Option<&[&str]>) -> String {
    let objects: Vec<&Map<String, Value>> = records.iter().filter_map(Value::as_object).collect();
    if records.is_empty() {
        return String::new();
    }
    if objects.len() != records.len() {
        return records.iter().map(|r| format!("{}\n", cell(r))).collect();
    }
    let mut names: Vec<&str> = Vec::new();
    for object in &objects {
        for field in object.keys() {
            if !names.contains(&field.as_str()) {
                names.push(field);
            }
        }
    }
    let columns: Vec<&str> = match columns {
        Some(chosen) => chosen
            .iter()
            .copied()
            .filter(|c| names.contains(c))
            .collect(),
        None => names,
    };
    if let [one] = objects[..] {
        let width = columns.iter().map(|c| c.chars().count()).max().unwrap_or(0);
        return columns
            .iter()
            .map(|field| {
                let value = one.get(*field).map(cell).unwrap_or_default();
                format!("{field:<width$}  {value}\n")
            })
            .collect();
    }
    let rows: Vec<Vec<String>> = objects
        .iter()
        .map(|object| {
            columns
                .iter()
                .map(|c| object.get(*c).map(cell).unwrap_or_default())
                .collect()
        })
        .collect();
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(at, column)| {
            rows.iter()
                .map(|row| row[at].chars().count())
                .chain([column.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(text, width)| format!("{text:<width$}"))
            .collect();
        format!("{}\n", padded.join("  ").trim_end())
    };
    let mut text = line(columns.clone());
    for row in &rows {
        text.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    text
}

/// A value as one cell: text as itself, anything else as compact JSON, cut at
/// [`WIDEST_CELL`] characters.
fn cell(value: &Value) -> String {
    let text = match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    let text = text.replace(['\n', '\r', '\t'], " ");
    if text.chars().count() > WIDEST_CELL {
        let cut: String = text.chars().take(WIDEST_CELL - 1).collect();
        format!("{cut}…")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn records_line_up_in_columns_in_the_order_fields_are_met() {
        let text = table(
            &[
                json!({"id": 1, "name": "mx-1"}),
                json!({"id": 22, "name": "srx", "ipAddr": "192.0.2.1"}),
            ],
            None,
        );
        assert_eq!(text, "id  name  ipAddr\n1   mx-1\n22  srx   192.0.2.1\n");
    }

    #[test]
    fn one_record_is_field_per_line_and_long_cells_are_cut() {
        let long = "x".repeat(60);
        let text = table(
            &[json!({"id": 7, "summary": long, "nested": {"a": [1]}})],
            None,
        );
        let line = |field: &str| {
            text.lines()
                .find(|line| line.starts_with(field))
                .expect("a line per field")
        };
        assert_eq!(line("id"), "id       7");
        assert_eq!(
            line("summary").chars().count(),
            "summary  ".len() + WIDEST_CELL
        );
        assert!(line("summary").ends_with('…'));
        assert_eq!(line("nested"), "nested   {\"a\":[1]}");
        assert_eq!(text.lines().count(), 3);
    }

    #[test]
    fn a_wrapper_shows_what_it_wraps() {
        assert_eq!(unwrapped(json!({"device": {"id": 1}})), json!({"id": 1}));
        assert_eq!(unwrapped(json!({"id": 1})), json!({"id": 1}));
        assert_eq!(
            unwrapped(json!({"a": {}, "b": {}})),
            json!({"a": {}, "b": {}})
        );
    }

    #[test]
    fn chosen_columns_keep_their_order_and_skip_what_no_record_has() {
        let records = [json!({"b": 1, "a": 2, "c": 3}), json!({"b": 4, "a": 5})];
        let text = table(&records, Some(&["c", "a", "missing"]));
        assert_eq!(text, "c  a\n3  2\n   5\n");
    }
}
