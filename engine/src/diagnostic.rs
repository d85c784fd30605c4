//! Diagnostics: what went wrong, where, and what to change.

use crate::diagnostic_text::{self as catalogue, Lang, Text};
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

/// Declares every diagnostic code once: its variant, stable text form, name, one-line summary
/// (the doc comment) and the summary in Spanish (`es:`). [`Code::ALL`], [`Code::as_str`],
/// [`Code::name`], [`Code::summary`], [`Code::summary_in`] and [`Code::from_code`] all come from
/// this one list; `docs/codes.md` and the TypeScript declarations are checked against it by
/// tests.
macro_rules! codes {
    ($($(#[doc = $doc:literal])+ $variant:ident = $code:literal, $name:literal, es: $es:literal;)+) => {
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

            /// The summary in Spanish (see [`Code::summary_in`]).
            pub(crate) fn summary_es(self) -> &'static str {
                match self {
                    $(Code::$variant => $es,)+
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
    JsonSyntax = "R0100", "invalid-json",
        es: "El texto no es JSON válido (o no está en UTF-8).";
    /// A value has the wrong type.
    WrongType = "R0101", "wrong-type",
        es: "Un valor tiene un tipo equivocado.";
    /// A required field is missing.
    MissingField = "R0102", "missing-field",
        es: "Falta un campo obligatorio.";
    /// A field is not part of the format.
    UnknownField = "R0103", "unknown-field",
        es: "Un campo no es parte del formato.";
    /// A number is outside its allowed range.
    OutOfRange = "R0104", "out-of-range",
        es: "Un número está fuera del rango permitido.";
    /// An id refers to something the record does not have.
    UnknownReference = "R0105", "unknown-reference",
        es: "Un identificador remite a algo que el registro no tiene.";
    /// Two things share one id.
    DuplicateId = "R0106", "duplicate-id",
        es: "Dos elementos comparten un mismo identificador.";
    /// The `format` field names a format or version this engine does not read.
    UnsupportedFormat = "R0107", "unsupported-format",
        es: "El campo `format` nombra un formato o una versión que este motor no lee.";
    /// A value is not one of the allowed values or not in the expected form.
    InvalidValue = "R0108", "invalid-value",
        es: "Un valor no es uno de los permitidos o no tiene la forma esperada.";
    /// Two parts of the record contradict each other.
    Inconsistent = "R0109", "inconsistent-record",
        es: "Dos partes del registro se contradicen.";
    /// The input is larger or deeper than the configured limits allow.
    TooLarge = "R0110", "too-large",
        es: "La entrada es más grande o tiene más niveles de los que permiten los límites.";
    /// A child is past 36 months, beyond the birth-to-three range of the practices.
    PastThirtySixMonths = "R0150", "past-thirty-six-months",
        es: "Un niño o niña tiene más de 36 meses, fuera del rango de 0 a 3 años de las prácticas.";
    /// An observed item is not declared by the rubric it is filed under.
    UndeclaredItem = "R0151", "undeclared-item",
        es: "Un ítem observado no está declarado en la rúbrica bajo la que se anotó.";
    /// The rubric metadata is invalid.
    RubricMetadata = "R0201", "invalid-rubric-metadata",
        es: "Los metadatos de la rúbrica no son válidos.";
    /// The rubric script does not parse.
    ScriptSyntax = "R0202", "script-syntax",
        es: "El script de la rúbrica no se puede analizar.";
    /// An indicator has no function in the script.
    MissingIndicatorFunction = "R0203", "missing-indicator-function",
        es: "Un indicador no tiene su función en el script.";
    /// A script function has the name of a built-in helper and would hide it.
    ShadowsHelper = "R0204", "function-shadows-helper",
        es: "Una función del script lleva el nombre de una función auxiliar incorporada y la ocultaría.";
    /// A self-test case file is invalid.
    CaseFile = "R0210", "invalid-case-file",
        es: "Un archivo de caso de autoprueba no es válido.";
    /// A self-test case's expected ratings differ from the actual ones.
    CaseMismatch = "R0211", "case-mismatch",
        es: "Las calificaciones esperadas de un caso de autoprueba difieren de las obtenidas.";
    /// The list of equivalent mutants is invalid, stale, or names a mutant a case catches.
    EquivalentMutants = "R0212", "invalid-equivalent-mutants",
        es: "La lista de mutantes equivalentes no es válida, está desactualizada o nombra un mutante que un caso detecta.";
    /// A mutant of the script passes every self-test case: a level or threshold is not pinned.
    MutantSurvived = "R0213", "mutant-survived",
        es: "Un mutante del script pasa todos los casos de autoprueba: un nivel o un umbral no está fijado.";
    /// No self-test case reaches a `rating` or `not_enough_evidence` call, or a level.
    NotCovered = "R0214", "not-covered",
        es: "Ningún caso de autoprueba llega a una llamada a `rating` o `not_enough_evidence`, o a un nivel.";
    /// The script failed while running.
    ScriptRuntime = "R0301", "script-runtime-error",
        es: "El script falló mientras se ejecutaba.";
    /// The script ran past its operation budget.
    OperationLimit = "R0302", "operation-limit",
        es: "El script superó su presupuesto de operaciones.";
    /// The script called itself (or nested calls) too deeply.
    CallDepthLimit = "R0303", "call-depth-limit",
        es: "El script se llamó a sí mismo (o anidó llamadas) demasiadas veces.";
    /// The script built a string, array or map larger than allowed.
    DataSizeLimit = "R0304", "data-size-limit",
        es: "El script creó un texto, una lista o un mapa más grande de lo permitido.";
    /// The script returned something other than a rating.
    WrongReturnShape = "R0305", "wrong-return-shape",
        es: "El script devolvió algo que no es una calificación.";
    /// A rating is outside the rubric's scale.
    RatingOffScale = "R0306", "rating-off-scale",
        es: "Una calificación está fuera de la escala de la rúbrica.";
    /// Cited evidence points at nothing in the record.
    EvidenceNotFound = "R0307", "evidence-not-found",
        es: "La evidencia citada no remite a nada del registro.";
    /// An observed item's value does not match the rubric's item definition.
    ItemValue = "R0308", "invalid-item-value",
        es: "El valor de un ítem observado no coincide con la definición del ítem en la rúbrica.";
    /// The script read a field or item that does not exist.
    UnknownProperty = "R0309", "unknown-property",
        es: "El script leyó un campo o un ítem que no existe.";
    /// The script called a function that does not exist or is not allowed.
    UnknownFunction = "R0310", "unknown-function",
        es: "El script llamó a una función que no existe o que no está permitida.";
    /// The script ran past its time limit (the deadline of one rubric's evaluation).
    TimeLimit = "R0311", "time-limit",
        es: "El script superó su tiempo límite (el plazo de la evaluación de una rúbrica).";
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
    /// The message and help as texts of the catalogue, so they can be written in another
    /// language ([`Diagnostic::in_language`]); empty for those written in English only.
    #[serde(skip)]
    pub texts: Texts,
}

/// The catalogue texts a diagnostic's message and help were written from.
///
/// They follow `message` and `help`: two diagnostics with the same message and help are equal
/// whatever texts they carry, and a text is used only while it still renders, in English, the
/// message or help as it stands (so a message changed after the fact is never replaced by the
/// translation of the one before).
#[derive(Debug, Clone, Default)]
pub struct Texts(Option<Box<TextPair>>);

/// The texts themselves, boxed: most diagnostics are passed around far more than they are
/// translated, so they stay small.
#[derive(Debug, Clone, Default)]
struct TextPair {
    message: Option<Text>,
    help: Option<Text>,
}

impl Texts {
    fn message(&self) -> Option<&Text> {
        self.0.as_ref().and_then(|p| p.message.as_ref())
    }

    fn help(&self) -> Option<&Text> {
        self.0.as_ref().and_then(|p| p.help.as_ref())
    }

    fn pair(&mut self) -> &mut TextPair {
        self.0.get_or_insert_with(Box::default)
    }
}

impl PartialEq for Texts {
    fn eq(&self, _: &Texts) -> bool {
        true
    }
}

impl Eq for Texts {}

/// `text` rendered in `lang` when it still renders `english` in English, else `english`.
/// `text` when it is what `current` was written from, in any language the catalogue has (a
/// diagnostic already written in Spanish can be written in English again, or once more in
/// Spanish); `None` when `current` was changed after the fact or has no text.
fn written_from<'t>(text: Option<&'t Text>, current: &str) -> Option<&'t Text> {
    text.filter(|t| Lang::ALL.iter().any(|&l| t.render(l) == current))
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
            texts: Texts::default(),
        }
    }

    /// An error whose message is a text of the catalogue (written in English here, and in
    /// another language by [`Diagnostic::in_language`]).
    pub(crate) fn error_text(code: Code, message: Text) -> Self {
        let mut d = Diagnostic::error(code, message.render(Lang::En));
        d.texts.pair().message = Some(message);
        d
    }

    /// A warning whose message is a text of the catalogue.
    pub(crate) fn warning_text(code: Code, message: Text) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error_text(code, message)
        }
    }

    /// Adds a hint on what to change, from the catalogue.
    pub(crate) fn with_help_text(mut self, help: Text) -> Self {
        self.help = Some(help.render(Lang::En));
        self.texts.pair().help = Some(help);
        self
    }

    /// The diagnostic with its message and help in `lang` (a tag such as `es`), where the
    /// catalogue has them; what is written in English only stays English. `None`, English or a
    /// language the engine has no words in: the diagnostic as it is.
    pub fn in_language(&self, lang: Option<&str>) -> Diagnostic {
        let mut d = self.clone();
        if lang.is_none() {
            return d;
        }
        let lang = Lang::of(lang);
        if let Some(t) = written_from(self.texts.message(), &self.message) {
            d.message = t.render(lang);
        }
        if let Some(help) = &self.help {
            if let Some(t) = written_from(self.texts.help(), help) {
                d.help = Some(t.render(lang));
            }
        }
        d
    }

    /// True when the message, and the help if there is one, come whole from the catalogue, so
    /// [`Diagnostic::in_language`] writes every word of them in each language the engine has.
    pub fn is_localized(&self) -> bool {
        let whole = |text: Option<&Text>, current: &str| {
            written_from(text, current).is_some_and(Text::is_translated)
        };
        whole(self.texts.message(), &self.message)
            && self
                .help
                .as_deref()
                .is_none_or(|h| whole(self.texts.help(), h))
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
        if let Some(p) = self.texts.0.as_mut() {
            p.help = None;
        }
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
        self.headline_in(None)
    }

    /// [`Diagnostic::headline`] in `lang`: the message and the words around it (`warning`,
    /// `at`) in that language where the engine has the message in it.
    pub fn headline_in(&self, lang: Option<&str>) -> String {
        let (shown, frame, _) = self.shown_in(lang);
        shown.frame(frame)
    }

    /// The diagnostic in `lang`, and the languages of the words around its message and around
    /// its help: those of the text they surround, so a message that stays English is not framed
    /// in another language.
    fn shown_in(&self, lang: Option<&str>) -> (Diagnostic, Lang, Lang) {
        let shown = self.in_language(lang);
        let language = Lang::of(lang);
        let follows = |text: Option<&Text>, current: Option<&str>| match current
            .and_then(|c| written_from(text, c))
        {
            Some(_) => language,
            None => Lang::En,
        };
        let message = follows(self.texts.message(), Some(&self.message));
        let help = follows(self.texts.help(), self.help.as_deref());
        (shown, message, help)
    }

    /// The headline of this diagnostic as it is, with the words around the message in `lang`.
    fn frame(&self, lang: Lang) -> String {
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
            Severity::Error => &catalogue::SEVERITY_ERROR,
            Severity::Warning => &catalogue::SEVERITY_WARNING,
        };
        // Messages quote record and script text: shown escaped, so a headline stays one line.
        out.push_str(&format!(
            "{} {}: {}",
            Text::new(sev).render(lang),
            self.code,
            escape_controls(&self.message)
        ));
        match loc.path.as_deref() {
            Some("") => out.push_str(&Text::new(&catalogue::AT_TOP_LEVEL).render(lang)),
            Some(path) => out.push_str(
                &Text::new(&catalogue::AT_PATH)
                    .arg("path", escape_controls(path).into_owned())
                    .render(lang),
            ),
            None => {}
        }
        out
    }

    /// Renders the headline, an excerpt of `source` under it when the diagnostic has a line and
    /// column, and the help line.
    pub fn render(&self, source: Option<&str>) -> String {
        self.render_in(source, None)
    }

    /// [`Diagnostic::render`] in `lang`. A message the catalogue does not have in `lang` (those
    /// of rubric scripts and metadata) stays English, framed in English, with the code's summary
    /// in `lang` under it.
    pub fn render_in(&self, source: Option<&str>, lang: Option<&str>) -> String {
        let language = Lang::of(lang);
        let (shown, frame, help_lang) = self.shown_in(lang);
        let mut out = shown.frame(frame);
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
        if let Some(help) = &shown.help {
            out.push_str(
                &Text::new(&catalogue::HELP_LINE)
                    .arg("help", escape_controls(help).into_owned())
                    .render(help_lang),
            );
        }
        if language != Lang::En && !self.is_localized() {
            out.push_str(
                &Text::new(&catalogue::CODE_LINE)
                    .arg("code", self.code.as_str())
                    .arg("summary", self.code.summary_in(lang))
                    .render(language),
            );
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
