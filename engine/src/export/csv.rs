//! CSV: one row per indicator rating (and one per practice that could not be rated), RFC 4180
//! (comma, `"` quoting where needed, CRLF line ends), UTF-8, optionally after a byte-order mark.
//!
//! Spreadsheet programs run a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage
//! return) as a formula. Every text cell that starts so is written with a `'` in front, as OWASP
//! advises; number cells (levels, scale, score) are written by the engine and never start so.

use super::find_meta;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::result::{PracticeEntry, Report, RubricResult};
use crate::rubric::RubricMeta;

/// The columns, in order (the header row).
pub const CSV_COLUMNS: [&str; 20] = [
    "record",
    "observed_on",
    "setting",
    "practice",
    "rubric",
    "rubric_version",
    "practice_status",
    "practice_score",
    "indicator",
    "indicator_title",
    "kind",
    "outcome",
    "level",
    "label",
    "scale_min",
    "scale_max",
    "evidence",
    "note",
    "reason",
    "engine_version",
];

/// A table being written.
#[derive(Debug)]
pub(crate) struct Table {
    writer: ::csv::Writer<Vec<u8>>,
    out: String,
}

impl Table {
    pub(crate) fn new(bom: bool) -> Table {
        let mut writer = writer();
        // Writing to memory cannot fail.
        let _ = writer.write_record(CSV_COLUMNS);
        Table {
            writer,
            out: if bom {
                "\u{feff}".into()
            } else {
                String::new()
            },
        }
    }

    fn row(&mut self, cells: &[Cell]) -> Result<(), Diagnostics> {
        let cells: Vec<String> = cells.iter().map(Cell::render).collect();
        self.writer.write_record(&cells).map_err(|e| {
            Diagnostics(vec![Diagnostic::error(
                Code::InvalidValue,
                format!("cannot write a CSV row: {e}"),
            )])
        })
    }

    /// Everything written since the last call.
    pub(crate) fn take(&mut self) -> String {
        let bytes = std::mem::replace(&mut self.writer, writer())
            .into_inner()
            .unwrap_or_default();
        let mut out = std::mem::take(&mut self.out);
        out.push_str(&String::from_utf8_lossy(&bytes));
        out
    }

    pub(crate) fn finish(mut self) -> String {
        self.take()
    }
}

/// RFC 4180: commas, `"` quoting only where needed, CRLF line ends.
fn writer() -> ::csv::Writer<Vec<u8>> {
    ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new())
}

/// A cell: text (guarded against formulas) or a number the engine wrote.
enum Cell {
    Text(String),
    Number(String),
}

impl Cell {
    fn render(&self) -> String {
        match self {
            Cell::Number(n) => n.clone(),
            Cell::Text(t) => guard(t),
        }
    }
}

/// A text cell a spreadsheet will not run as a formula.
pub(crate) fn guard(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

fn t(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

fn n(x: impl ToString) -> Cell {
    Cell::Number(x.to_string())
}

fn blank() -> Cell {
    Cell::Number(String::new())
}

/// Adds a report's rows: every indicator of every practice in order, a failed practice as one
/// row with outcome `failed`.
pub(crate) fn rows(
    table: &mut Table,
    report: &Report,
    rubrics: &[&RubricMeta],
) -> Result<(), Diagnostics> {
    let head = |practice: &str, rubric: &str, version: &str, status: &str, score: Cell| {
        vec![
            t(&report.record),
            t(&report.observed_on),
            t(report.setting.map_or("", |s| s.as_str())),
            t(practice),
            t(rubric),
            t(version),
            t(status),
            score,
        ]
    };
    for entry in &report.practices {
        match entry {
            PracticeEntry::Success { result } => {
                let meta = find_meta(rubrics, &result.rubric.id, Some(&result.rubric.version))
                    .ok_or_else(|| super::xapi::missing_rubric(result))?;
                practice_rows(table, report, result, meta, &head)?;
            }
            PracticeEntry::Failure {
                rubric,
                title: _,
                errors,
            } => {
                let meta = find_meta(rubrics, rubric, None);
                let reason: Vec<String> = errors
                    .iter()
                    .map(|e| format!("{} {}", e.code.as_str(), e.message))
                    .collect();
                let mut row = head(
                    meta.map_or("", |m| m.practice.as_str()),
                    rubric,
                    meta.map_or("", |m| m.version.as_str()),
                    "failed",
                    blank(),
                );
                row.extend([
                    t(""),
                    t(""),
                    t(""),
                    t("failed"),
                    blank(),
                    t(""),
                    meta.map_or_else(blank, |m| n(m.scale.min())),
                    meta.map_or_else(blank, |m| n(m.scale.max())),
                    t(""),
                    t(""),
                    t(&reason.join("\n")),
                    t(report.engine.version),
                ]);
                table.row(&row)?;
            }
        }
    }
    Ok(())
}

/// An indicator's kind as the rubric writes it.
pub(crate) fn kind_str(kind: crate::rubric::IndicatorKind) -> &'static str {
    match kind {
        crate::rubric::IndicatorKind::Structural => "structural",
        crate::rubric::IndicatorKind::Process => "process",
    }
}

type Head<'a> = dyn Fn(&str, &str, &str, &str, Cell) -> Vec<Cell> + 'a;

fn practice_rows(
    table: &mut Table,
    report: &Report,
    result: &RubricResult,
    meta: &RubricMeta,
    head: &Head<'_>,
) -> Result<(), Diagnostics> {
    let status = match result.status {
        crate::result::Status::Rated => "rated",
        crate::result::Status::NotEnoughEvidence => "not-enough-evidence",
    };
    for ind in &result.indicators {
        let mut row = head(
            &result.rubric.practice,
            &result.rubric.id,
            &result.rubric.version,
            status,
            result.score.map_or_else(blank, n),
        );
        row.extend([
            t(&ind.id),
            t(&ind.title),
            t(kind_str(ind.kind)),
            t(ind.outcome),
            ind.level.map_or_else(blank, n),
            t(ind.label.as_deref().unwrap_or("")),
            n(meta.scale.min()),
            n(meta.scale.max()),
            t(&ind.evidence.join("\n")),
            t(ind.note.as_deref().unwrap_or("")),
            t(ind.reason.as_deref().unwrap_or("")),
            t(report.engine.version),
        ]);
        table.row(&row)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::guard;

    #[test]
    fn formulas_are_defused() {
        assert_eq!(guard("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(guard("+1"), "'+1");
        assert_eq!(guard("-1"), "'-1");
        assert_eq!(guard("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(guard("\tx"), "'\tx");
        assert_eq!(guard("a=b"), "a=b");
        assert_eq!(guard(""), "");
    }
}
