//! Diagnostics: what went wrong, where, and what to change.

use crate::text::escape_controls;
use serde::Serialize;
use std::fmt;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Stops the record or rubric from being used.
    Error,
    /// Worth a look; the work went ahead.
    Warning,
}

/// Stable diagnostic codes. `R01xx` records, `R02xx` rubrics, `R03xx` evaluation.
///
/// Every code is documented in `docs/codes.md`: what it means, why, and what to write instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Code {
    /// The text is not valid JSON (or not UTF-8).
    JsonSyntax,
    /// A value has the wrong type.
    WrongType,
    /// A required field is missing.
    MissingField,
    /// A field is not part of the format.
    UnknownField,
    /// A number is outside its allowed range.
    OutOfRange,
    /// An id refers to something the record does not have.
    UnknownReference,
    /// Two things share one id.
    DuplicateId,
    /// The `format` field names a format or version this engine does not read.
    UnsupportedFormat,
    /// A value is not one of the allowed values or not in the expected form.
    InvalidValue,
    /// Two parts of the record contradict each other.
    Inconsistent,
    /// The input is larger or deeper than the configured limits allow.
    TooLarge,
    /// A child is past 36 months, beyond the birth-to-three range of the practices.
    PastThirtySixMonths,
    /// An observed item is not declared by the rubric it is filed under.
    UndeclaredItem,
    /// The rubric metadata is invalid.
    RubricMetadata,
    /// The rubric script does not parse.
    ScriptSyntax,
    /// An indicator has no function in the script.
    MissingIndicatorFunction,
    /// A script function has the name of a built-in helper and would hide it.
    ShadowsHelper,
    /// The script failed while running.
    ScriptRuntime,
    /// The script ran past its operation budget.
    OperationLimit,
    /// The script called itself (or nested calls) too deeply.
    CallDepthLimit,
    /// The script built a string, array or map larger than allowed.
    DataSizeLimit,
    /// The script returned something other than a rating.
    WrongReturnShape,
    /// A rating is outside the rubric's scale.
    RatingOffScale,
    /// Cited evidence points at nothing in the record.
    EvidenceNotFound,
    /// An observed item's value does not match the rubric's item definition.
    ItemValue,
    /// The script read a field or item that does not exist.
    UnknownProperty,
    /// The script called a function that does not exist or is not allowed.
    UnknownFunction,
    /// The script ran past its time limit (the deadline of one rubric's evaluation).
    TimeLimit,
    /// A self-test case file is invalid.
    CaseFile,
    /// A self-test case's expected ratings differ from the actual ones.
    CaseMismatch,
    /// The list of equivalent mutants is invalid, stale, or names a mutant a case catches.
    EquivalentMutants,
    /// A mutant of the script passes every self-test case: a level or threshold is not pinned.
    MutantSurvived,
    /// No self-test case reaches a `rating` or `not_enough_evidence` call, or a level.
    NotCovered,
}

impl Code {
    /// The stable text form, e.g. `R0101`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::JsonSyntax => "R0100",
            Code::WrongType => "R0101",
            Code::MissingField => "R0102",
            Code::UnknownField => "R0103",
            Code::OutOfRange => "R0104",
            Code::UnknownReference => "R0105",
            Code::DuplicateId => "R0106",
            Code::UnsupportedFormat => "R0107",
            Code::InvalidValue => "R0108",
            Code::Inconsistent => "R0109",
            Code::TooLarge => "R0110",
            Code::PastThirtySixMonths => "R0150",
            Code::UndeclaredItem => "R0151",
            Code::RubricMetadata => "R0201",
            Code::ScriptSyntax => "R0202",
            Code::MissingIndicatorFunction => "R0203",
            Code::ShadowsHelper => "R0204",
            Code::CaseFile => "R0210",
            Code::CaseMismatch => "R0211",
            Code::EquivalentMutants => "R0212",
            Code::MutantSurvived => "R0213",
            Code::NotCovered => "R0214",
            Code::ScriptRuntime => "R0301",
            Code::OperationLimit => "R0302",
            Code::CallDepthLimit => "R0303",
            Code::DataSizeLimit => "R0304",
            Code::WrongReturnShape => "R0305",
            Code::RatingOffScale => "R0306",
            Code::EvidenceNotFound => "R0307",
            Code::ItemValue => "R0308",
            Code::UnknownProperty => "R0309",
            Code::UnknownFunction => "R0310",
            Code::TimeLimit => "R0311",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Where a diagnostic points.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Location {
    /// The file (rubric script, metadata, case or record file name), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// 1-based line, when the problem has a place in a text file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// 1-based column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// JSON pointer into the record or metadata, e.g. `/children/2/age_months`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// One problem found in a record, rubric or evaluation, written for the person who must fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable code, e.g. `R0101`.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// One lowercase line saying what is wrong; user input in backticks.
    pub message: String,
    /// What to change, when there is something useful to say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Where the problem is.
    #[serde(flatten)]
    pub location: Location,
}

impl Diagnostic {
    /// An error with no location yet.
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            help: None,
            location: Location::default(),
        }
    }

    /// A warning with no location yet.
    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// Adds a hint on what to change.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Points the diagnostic at a JSON pointer.
    pub fn at_path(mut self, path: impl Into<String>) -> Self {
        self.location.path = Some(path.into());
        self
    }

    /// Points the diagnostic at a file.
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.location.file = Some(file.into());
        self
    }

    /// Points the diagnostic at a 1-based line and column.
    pub fn at_line_col(mut self, line: u32, column: u32) -> Self {
        self.location.line = Some(line);
        self.location.column = Some(column);
        self
    }

    /// True for errors, false for warnings.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders `file:line:col: CODE message` (plus the JSON path, if any) on one line.
    pub fn headline(&self) -> String {
        let mut out = String::new();
        let loc = &self.location;
        if let Some(file) = &loc.file {
            out.push_str(&escape_controls(file));
            if let (Some(l), Some(c)) = (loc.line, loc.column) {
                out.push_str(&format!(":{l}:{c}"));
            }
            out.push_str(": ");
        }
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // Messages quote record and script text: shown escaped, so a headline stays one line.
        out.push_str(&format!(
            "{sev} {}: {}",
            self.code,
            escape_controls(&self.message)
        ));
        match loc.path.as_deref() {
            Some("") => out.push_str(" (at the top level)"),
            Some(path) => out.push_str(&format!(" (at `{}`)", escape_controls(path))),
            None => {}
        }
        out
    }

    /// Renders the headline, an excerpt of `source` under it when the diagnostic has a line and
    /// column, and the help line.
    pub fn render(&self, source: Option<&str>) -> String {
        let mut out = self.headline();
        if let (Some(src), Some(line), Some(col)) =
            (source, self.location.line, self.location.column)
        {
            if let Some(text) = src.lines().nth(line.saturating_sub(1) as usize) {
                let gutter = line.to_string();
                let pad = " ".repeat(gutter.len());
                // The excerpt is shown as escaped text (tabs as four spaces); the caret sits under
                // the escaped form of the column's character.
                let shown = |s: &str| escape_controls(&s.replace('\t', "    ")).into_owned();
                let before: String = text.chars().take(col.saturating_sub(1) as usize).collect();
                let caret_pad = " ".repeat(shown(&before).chars().count());
                let text = shown(text);
                out.push_str(&format!(
                    "\n{pad} |\n{gutter} | {text}\n{pad} | {caret_pad}^"
                ));
            }
        }
        if let Some(help) = &self.help {
            out.push_str(&format!("\n  help: {}", escape_controls(help)));
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.headline())
    }
}

/// A non-empty list of diagnostics that stopped an operation, errors first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            f.write_str(&d.headline())?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Escapes one JSON-pointer segment (`~` → `~0`, `/` → `~1`).
pub(crate) fn pointer_segment(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

/// Reads one escaped JSON-pointer segment back (`~1` → `/`, `~0` → `~`).
pub(crate) fn unescape_pointer_segment(s: &str) -> String {
    s.replace("~1", "/").replace("~0", "~")
}
