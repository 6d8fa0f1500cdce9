//! The coverage matrix: every operation × media type × status of the spec, and whether a
//! check exercised it (request rows for what the client sends, one row per documented answer).

use std::collections::BTreeMap;
use std::fmt::Write;

use junos_space_model::SpecError;
use junos_space_model::api::Operation;

use super::response::documented;

/// A row of the matrix.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cell {
    /// Position in the spec, so the table reads in document order.
    pub order: usize,
    pub operation: String,
    /// `request` for what the client sends, or the status of an answer.
    pub status: String,
    /// The media type, or `-` when there is no body.
    pub media_type: String,
}

/// How many cases exercised each cell.
#[derive(Debug, Clone, Default)]
pub struct Coverage {
    cells: BTreeMap<Cell, u64>,
}

impl Coverage {
    /// Every cell `operations` define, none exercised yet.
    pub fn of(operations: &[Operation]) -> Result<Self, SpecError> {
        let mut coverage = Self::default();
        for (order, operation) in operations.iter().enumerate() {
            let request_type = operation.content_type().unwrap_or("-");
            coverage
                .cells
                .insert(cell(order, operation, "request", request_type), 0);
            for answer in documented(operation)? {
                let media_type = answer.media.map_or("-", |m| m.text.as_str());
                coverage.cells.insert(
                    cell(order, operation, &answer.status.to_string(), media_type),
                    0,
                );
            }
        }
        Ok(coverage)
    }

    /// Counts `cases` against a cell; a cell outside the spec is ignored (it cannot be covered).
    pub fn record(&mut self, operation: &str, status: &str, media_type: Option<&str>, cases: u64) {
        let media_type = media_type.unwrap_or("-");
        if let Some(count) = self.cells.iter_mut().find_map(|(c, n)| {
            (c.operation == operation && c.status == status && c.media_type == media_type)
                .then_some(n)
        }) {
            *count += cases;
        }
    }

    /// The share of cells exercised at least once, in percent.
    pub fn percent(&self) -> f64 {
        if self.cells.is_empty() {
            return 100.0;
        }
        let covered = self.cells.values().filter(|n| **n > 0).count();
        covered as f64 * 100.0 / self.cells.len() as f64
    }

    /// The cells no case exercised.
    pub fn missing(&self) -> Vec<&Cell> {
        self.cells
            .iter()
            .filter(|(_, n)| **n == 0)
            .map(|(c, _)| c)
            .collect()
    }

    /// The matrix as a text table.
    pub fn render(&self) -> String {
        let width = self
            .cells
            .keys()
            .map(|c| c.operation.len())
            .max()
            .unwrap_or(9);
        let mut table = format!(
            "{:width$}  {:7}  {:>6}  media type\n",
            "operation", "status", "cases"
        );
        for (cell, cases) in &self.cells {
            let mark = if *cases == 0 { "  MISSING" } else { "" };
            let _ = writeln!(
                table,
                "{:width$}  {:7}  {:>6}  {}{mark}",
                cell.operation, cell.status, cases, cell.media_type
            );
        }
        let _ = write!(
            table,
            "coverage: {:.1} % of {} cells",
            self.percent(),
            self.cells.len()
        );
        table
    }
}

fn cell(order: usize, operation: &Operation, status: &str, media_type: &str) -> Cell {
    Cell {
        order,
        operation: operation.id.clone(),
        status: status.to_owned(),
        media_type: media_type.to_owned(),
    }
}
