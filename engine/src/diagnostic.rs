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

/// Declares every diagnostic code once: its variant, stable text form, name and one-line summary
/// (the doc comment). [`Code::ALL`], [`Code::as_str`], [`Code::name`], [`Code::summary`] and
/// [`Code::from_code`] all come from this one list; `docs/codes.md` and the TypeScript
/// declarations are checked against it by tests.
macro_rules! codes {
    ($($(#[doc = $doc:literal])+ $variant:ident = $code:literal, $name:literal;)+) => {
        /// Stable diagnostic codes. `R01xx` records, `R02xx` rubrics, `R03xx` evaluation.
        ///
        /// Every code is documented in `docs/codes.md`: what it means, why, and what to write
        /// instead. Codes are ordered by their text form.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Code {
            $($(#[doc = $doc])+ $variant,)+
        }

        impl Code {
            /// Every code, in the order of its text form (`R0100` first).
            pub const ALL: &'static [Code] = &[$(Code::$variant),+];

            /// The stable text form, e.g. `R0101`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)+
                }
            }

            /// The short name `docs/codes.md` gives the code, e.g. `wrong-type`.
            pub fn name(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)+
                }
            }

            /// What the code means, in one line.
            pub fn summary(self) -> &'static str {
                match self {
                    $(Code::$variant => concat!($($doc),+).trim_start(),)+
                }
            }

            /// The code with this text form (`R0101`), if there is one.
            pub fn from_code(text: &str) -> Option<Code> {
                match text {
                    $($code => Some(Code::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

codes! {
    /// The text is not valid JSON (or not UTF-8).
    JsonSyntax = "R0100", "invalid-json";
    /// A value has the wrong type.
    WrongType = "R0101", "wrong-type";
    /// A required field is missing.
    MissingField = "R0102", "missing-field";
    /// A field is not part of the format.
    UnknownField = "R0103", "unknown-field";
    /// A number is outside its allowed range.
    OutOfRange = "R0104", "out-of-range";
    /// An id refers to something the record does not have.
    UnknownReference = "R0105", "unknown-reference";
    /// Two things share one id.
    DuplicateId = "R0106", "duplicate-id";
    /// The `format` field names a format or version this engine does not read.
    UnsupportedFormat = "R0107", "unsupported-format";
    /// A value is not one of the allowed values or not in the expected form.
    InvalidValue = "R0108", "invalid-value";
    /// Two parts of the record contradict each other.
    Inconsistent = "R0109", "inconsistent-record";
    /// The input is larger or deeper than the configured limits allow.
    TooLarge = "R0110", "too-large";
    /// A child is past 36 months, beyond the birth-to-three range of the practices.
    PastThirtySixMonths = "R0150", "past-thirty-six-months";
    /// An observed item is not declared by the rubric it is filed under.
    UndeclaredItem = "R0151", "undeclared-item";
    /// The rubric metadata is invalid.
    RubricMetadata = "R0201", "invalid-rubric-metadata";
    /// The rubric script does not parse.
    ScriptSyntax = "R0202", "script-syntax";
    /// An indicator has no function in the script.
    MissingIndicatorFunction = "R0203", "missing-indicator-function";
    /// A script function has the name of a built-in helper and would hide it.
    ShadowsHelper = "R0204", "function-shadows-helper";
    /// A self-test case file is invalid.
    CaseFile = "R0210", "invalid-case-file";
    /// A self-test case's expected ratings differ from the actual ones.
    CaseMismatch = "R0211", "case-mismatch";
    /// The list of equivalent mutants is invalid, stale, or names a mutant a case catches.
    EquivalentMutants = "R0212", "invalid-equivalent-mutants";
    /// A mutant of the script passes every self-test case: a level or threshold is not pinned.
    MutantSurvived = "R0213", "mutant-survived";
    /// No self-test case reaches a `rating` or `not_enough_evidence` call, or a level.
    NotCovered = "R0214", "not-covered";
    /// The script failed while running.
    ScriptRuntime = "R0301", "script-runtime-error";
    /// The script ran past its operation budget.
    OperationLimit = "R0302", "operation-limit";
    /// The script called itself (or nested calls) too deeply.
    CallDepthLimit = "R0303", "call-depth-limit";
    /// The script built a string, array or map larger than allowed.
    DataSizeLimit = "R0304", "data-size-limit";
    /// The script returned something other than a rating.
    WrongReturnShape = "R0305", "wrong-return-shape";
    /// A rating is outside the rubric's scale.
    RatingOffScale = "R0306", "rating-off-scale";
    /// Cited evidence points at nothing in the record.
    EvidenceNotFound = "R0307", "evidence-not-found";
    /// An observed item's value does not match the rubric's item definition.
    ItemValue = "R0308", "invalid-item-value";
    /// The script read a field or item that does not exist.
    UnknownProperty = "R0309", "unknown-property";
    /// The script called a function that does not exist or is not allowed.
    UnknownFunction = "R0310", "unknown-function";
    /// The script ran past its time limit (the deadline of one rubric's evaluation).
    TimeLimit = "R0311", "time-limit";
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

#[cfg(test)]
mod tests {
    use super::Code;

    #[test]
    fn every_code_is_listed_once_in_order_and_reads_back() {
        let texts: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        let mut sorted = texts.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(
            texts, sorted,
            "Code::ALL must list each code once, in order"
        );
        for &code in Code::ALL {
            assert_eq!(Code::from_code(code.as_str()), Some(code));
            assert!(!code.summary().is_empty() && !code.summary().starts_with(' '));
            assert!(code
                .name()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-'));
        }
        assert_eq!(Code::from_code("R0999"), None);
        assert!(Code::ALL.windows(2).all(|w| w[0] < w[1]));
    }
}
