//! What a command prints on stdout: a table for people (the default on a terminal), one JSON
//! or YAML document, or NDJSON (one record a line, written as it comes; the default
//! otherwise). A
//! list keeps its shape whatever it holds: a JSON array and a table with its header, also
//! with one record or none, so that a script reads it the same way every time.

use std::io::{self, Write as _};

use serde_json::{Map, Value};

/// How records are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Ndjson,
    Yaml,
}

impl Format {
    pub const NAMES: [&'static str; 4] = ["table", "json", "ndjson", "yaml"];

    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "table" => Some(Self::Table),
            "json" => Some(Self::Json),
            "ndjson" => Some(Self::Ndjson),
            "yaml" => Some(Self::Yaml),
            _ => None,
        }
    }
}

/// What a command prints: a list of records, or the one record it reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A JSON array and a table of rows, however many records came.
    List,
    /// One record: a JSON object and a table of field/value lines (several, should more come,
    /// as a list).
    One,
}

/// Prints records: NDJSON at once, a table or a JSON document once all have come.
pub struct Output {
    format: Format,
    shape: Shape,
    kept: Vec<Value>,
    /// The fields a table shows, when not every field.
    columns: Option<&'static [&'static str]>,
    /// `--fields`: the fields every record keeps, in this order, in every format.
    fields: Option<Vec<String>>,
}

/// The widest a table cell is printed; longer ones end in `…`.
const WIDEST_CELL: usize = 48;

impl Output {
    /// Prints a list.
    pub fn new(format: Format) -> Self {
        Self {
            format,
            shape: Shape::List,
            kept: Vec::new(),
            columns: None,
            fields: None,
        }
    }

    /// Every record keeps only `fields`, in their order (the table's columns too); a record
    /// that only wraps another (`{"device": {...}}`) keeps them of the one it wraps.
    pub fn fields(mut self, fields: Vec<String>) -> Self {
        self.fields = Some(fields);
        self
    }

    /// Prints one record rather than a list.
    pub fn single(mut self) -> Self {
        self.shape = Shape::One;
        self
    }

    /// A table shows only these fields, in this order (JSON keeps every field).
    pub fn table_columns(mut self, columns: &'static [&'static str]) -> Self {
        self.columns = Some(columns);
        self
    }

    /// One record (a device, a job, a device's RPC result).
    pub fn record(&mut self, record: Value) -> io::Result<()> {
        let record = match &self.fields {
            Some(fields) => selected(unwrapped(record), fields),
            None => record,
        };
        match self.format {
            Format::Ndjson => {
                let mut out = io::stdout().lock();
                writeln!(out, "{record}")?;
                out.flush()
            }
            Format::Table | Format::Json | Format::Yaml => {
                self.kept.push(record);
                Ok(())
            }
        }
    }

    /// The format records are printed in.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Whether nothing is waiting to be printed.
    pub fn is_empty(&self) -> bool {
        self.kept.is_empty()
    }

    /// Prints what was kept, in its shape.
    pub fn finish(self) -> io::Result<()> {
        let text = self.rendered();
        let mut out = io::stdout().lock();
        out.write_all(text.as_bytes())?;
        out.flush()
    }

    /// What [`Output::finish`] prints.
    fn rendered(self) -> String {
        match (self.format, self.shape) {
            (Format::Ndjson, _) => String::new(),
            (format @ (Format::Json | Format::Yaml), shape) => {
                let document = match <[Value; 1]>::try_from(self.kept) {
                    Ok([one]) if shape == Shape::One => one,
                    Ok([one]) => Value::Array(vec![one]),
                    Err(many) => Value::Array(many),
                };
                match format {
                    Format::Yaml => serde_yaml_ng::to_string(&document)
                        .unwrap_or_else(|_| format!("{}\n", pretty(&document))),
                    _ => format!("{}\n", pretty(&document)),
                }
            }
            (Format::Table, shape) => {
                let rows: Vec<Value> = self.kept.into_iter().map(unwrapped).collect();
                let chosen: Option<Vec<&str>> = match (&self.fields, self.columns) {
                    (Some(fields), _) => Some(fields.iter().map(String::as_str).collect()),
                    (None, columns) => columns.map(<[&str]>::to_vec),
                };
                match (shape, rows.as_slice()) {
                    (Shape::One, [one]) => field_lines(one, chosen.as_deref()),
                    _ => table(&rows, chosen.as_deref()),
                }
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

/// `record` with only `fields`, in their order; a field it lacks is left out. Anything but an
/// object is kept whole.
fn selected(record: Value, fields: &[String]) -> Value {
    let Value::Object(mut members) = record else {
        return record;
    };
    let kept: Map<String, Value> = fields
        .iter()
        .filter_map(|field| members.remove(field).map(|value| (field.clone(), value)))
        .collect();
    Value::Object(kept)
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

/// One record as field/value lines, which read better than one wide row: `columns` (those it
/// has), else every field in its order.
fn field_lines(record: &Value, columns: Option<&[&str]>) -> String {
    let Some(object) = record.as_object() else {
        return format!("{}\n", cell(record));
    };
    let fields = shown_columns(&[object], columns);
    let width = fields.iter().map(|c| c.chars().count()).max().unwrap_or(0);
    fields
        .iter()
        .map(|field| {
            let value = object.get(*field).map(cell).unwrap_or_default();
            format!("{field:<width$}  {value}\n")
        })
        .collect()
}

/// The columns a table of `objects` shows: `chosen` (those any record has; all of them when
/// there is no record, so an empty table still shows its header), else one per field any
/// record has, in the order first met.
fn shown_columns<'a>(
    objects: &[&'a Map<String, Value>],
    chosen: Option<&[&'a str]>,
) -> Vec<&'a str> {
    let mut names: Vec<&str> = Vec::new();
    for object in objects {
        for field in object.keys() {
            if !names.contains(&field.as_str()) {
                names.push(field);
            }
        }
    }
    match chosen {
        Some(chosen) if objects.is_empty() => chosen.to_vec(),
        Some(chosen) => chosen
            .iter()
            .copied()
            .filter(|c| names.contains(c))
            .collect(),
        None => names,
    }
}

/// Records as aligned columns under a header: `columns` (those any record has; all of them
/// when there is no record), else one per field any record has, in the order first met. A
/// list with no record and no chosen columns prints nothing, having no header to show.
pub fn table(records: &[Value], columns: Option<&[&str]>) -> String {
    let objects: Vec<&Map<String, Value>> = records.iter().filter_map(Value::as_object).collect();
    if objects.len() != records.len() {
        return records.iter().map(|r| format!("{}\n", cell(r))).collect();
    }
    let columns = shown_columns(&objects, columns);
    if columns.is_empty() {
        return String::new();
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
        let text = field_lines(
            &json!({"id": 7, "summary": long, "nested": {"a": [1]}}),
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

    fn printed(format: Format, single: bool, records: &[Value]) -> String {
        let mut output = Output::new(format).table_columns(&["id", "name"]);
        if single {
            output = output.single();
        }
        output.kept = records.to_vec();
        output.rendered()
    }

    #[test]
    fn a_list_keeps_its_shape_with_one_record_or_none() {
        let one = [json!({"id": 1, "name": "mx-1"})];
        assert_eq!(
            printed(Format::Json, false, &one),
            "[\n  {\n    \"id\": 1,\n    \"name\": \"mx-1\"\n  }\n]\n"
        );
        assert_eq!(printed(Format::Json, false, &[]), "[]\n");
        assert_eq!(printed(Format::Table, false, &one), "id  name\n1   mx-1\n");
        assert_eq!(printed(Format::Table, false, &[]), "id  name\n");
        // One record read by id is an object, and its fields one a line.
        assert_eq!(
            printed(Format::Json, true, &one),
            "{\n  \"id\": 1,\n  \"name\": \"mx-1\"\n}\n"
        );
        assert_eq!(printed(Format::Table, true, &one), "id    1\nname  mx-1\n");
        assert_eq!(printed(Format::Ndjson, false, &one), "");
        assert_eq!(
            printed(Format::Yaml, false, &one),
            "- id: 1\n  name: mx-1\n"
        );
        assert_eq!(printed(Format::Yaml, true, &one), "id: 1\nname: mx-1\n");
        assert_eq!(printed(Format::Yaml, false, &[]), "[]\n");
    }

    #[test]
    fn fields_are_chosen_in_every_format_from_what_a_record_wraps() {
        let mut output = Output::new(Format::Json).fields(vec!["name".into(), "id".into()]);
        output
            .record(json!({"device": {"id": 1, "name": "mx-1", "ipAddr": "192.0.2.1"}}))
            .expect("kept");
        assert_eq!(output.kept, [json!({"name": "mx-1", "id": 1})]);
        let fields = vec!["name".to_owned()];
        assert_eq!(selected(json!([1]), &fields), json!([1]));
        let mut table = Output::new(Format::Table)
            .table_columns(&["id"])
            .fields(vec!["name".into(), "id".into()]);
        table.kept = vec![json!({"id": 1, "name": "mx-1"})];
        assert_eq!(table.rendered(), "name  id\nmx-1  1\n");
    }

    #[test]
    fn chosen_columns_keep_their_order_and_skip_what_no_record_has() {
        let records = [json!({"b": 1, "a": 2, "c": 3}), json!({"b": 4, "a": 5})];
        let text = table(&records, Some(&["c", "a", "missing"]));
        assert_eq!(text, "c  a\n3  2\n   5\n");
    }
}
