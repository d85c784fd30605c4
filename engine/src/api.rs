//! The JSON-in/JSON-out boundary: what the browser package (and any other host that speaks
//! JSON) calls. Inputs are JSON text; outputs are serde values shaped as tagged answers
//! (`{"type": "success", …}` / `{"type": "failure", "errors": […]}`), so bad input is an answer,
//! never a panic or an exception.
//!
//! The wasm crate only converts these values to JavaScript objects. Everything it returns can be
//! produced natively with the same bytes: [`Workspace::evaluate_json`] is exactly
//! `serde_json::to_string(&engine.evaluate(..)?)` and [`Workspace::report_json`] is exactly
//! `serde_json::to_string(&engine.report(..))`.

use crate::cases::{Case, CaseOutcome, ReadyCase};
use crate::coverage::CoverageReport;
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Severity};
use crate::record::{Observation, Parsed};
use crate::reflection::Record;
use crate::result::{practice_rank, Report, RubricResult};
use crate::rubric::{RubricMeta, RubricSource, META_FILE, SCRIPT_FILE};
use crate::runtime::{CompiledRubric, Engine, Limits};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::sync::{Arc, Mutex};

/// The answer to one call: a success payload, or the diagnostics that stopped it.
///
/// Serializes as `{"type": "success", …payload fields}` or `{"type": "failure", "errors": […]}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Answer<T> {
    /// The call worked; the payload's fields sit beside `type`.
    Success(T),
    /// The input had problems; nothing was changed.
    Failure {
        /// Every problem found, errors first.
        errors: Vec<Diagnostic>,
    },
}

impl<T> Answer<T> {
    /// True for a success.
    pub fn is_success(&self) -> bool {
        matches!(self, Answer::Success(_))
    }

    /// The payload of a success.
    pub fn success(self) -> Option<T> {
        match self {
            Answer::Success(t) => Some(t),
            Answer::Failure { .. } => None,
        }
    }

    /// The errors of a failure (empty for a success).
    pub fn errors(&self) -> &[Diagnostic] {
        match self {
            Answer::Success(_) => &[],
            Answer::Failure { errors } => errors,
        }
    }
}

impl<T> From<Result<T, Diagnostics>> for Answer<T> {
    fn from(r: Result<T, Diagnostics>) -> Self {
        match r {
            Ok(t) => Answer::Success(t),
            Err(Diagnostics(errors)) => Answer::Failure { errors },
        }
    }
}

/// A loaded rubric as a form builder needs it: the headline fields and the parsed metadata
/// (scale, indicators, items).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RubricInfo {
    /// Rubric id.
    pub id: String,
    /// Rubric version.
    pub version: String,
    /// Practice rated.
    pub practice: String,
    /// Title shown to coaches.
    pub title: String,
    /// What the rubric looks at and why.
    pub summary: String,
    /// The full metadata.
    pub meta: RubricMeta,
}

impl RubricInfo {
    /// The info of a compiled rubric.
    pub fn of(rubric: &CompiledRubric) -> RubricInfo {
        let m = rubric.meta();
        RubricInfo {
            id: m.id.clone(),
            version: m.version.clone(),
            practice: m.practice.clone(),
            title: m.title.clone(),
            summary: m.summary.clone(),
            meta: m.clone(),
        }
    }
}

/// A rubric given as the texts of its two files (named `rubric.json` and `rubric.rhai` in
/// diagnostics).
fn source(meta: &str, script: &str) -> RubricSource {
    RubricSource {
        meta_file: META_FILE.into(),
        meta: meta.into(),
        script_file: SCRIPT_FILE.into(),
        script: script.into(),
    }
}

/// Payload of [`Workspace::load_bundle`]: what loaded, and what did not.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LoadedBundle {
    /// Every rubric now loaded, in practice order.
    pub rubrics: Vec<RubricInfo>,
    /// Problems of the bundle's rubrics that failed to compile (the others still loaded).
    pub errors: Vec<Diagnostic>,
}

/// Payload of [`Workspace::load_rubric`] and [`Workspace::check_rubric`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LoadedRubric {
    /// The rubric that compiled.
    pub rubric: RubricInfo,
    /// What the static checks warn about (only [`Workspace::check_rubric`] runs them, as
    /// `rubrica check` does); left out when there is nothing.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Diagnostic>,
}

/// Payload of [`Workspace::validate_record`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValidRecord {
    /// The record in canonical form.
    pub record: Record,
    /// Problems that did not stop the record from being used.
    pub warnings: Vec<Diagnostic>,
}

/// Payload of [`Workspace::evaluate`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RubricScored {
    /// The rubric's result.
    pub result: RubricResult,
}

/// Payload of [`Workspace::evaluate_all`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordScored {
    /// The report over every loaded rubric.
    pub report: Report,
}

/// Payload of [`Workspace::case_coverage`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseCoverage {
    /// Which calls and levels of the rubric the cases reach.
    pub coverage: CoverageReport,
    /// Problems of the cases that could not be read or whose record is invalid; they were left
    /// out of the coverage.
    pub skipped: Vec<Diagnostic>,
}

/// How a host sets up a [`Workspace`]: `{"limits": {…}}`, every field optional.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Options {
    /// Sandbox limits; missing fields keep their defaults.
    pub limits: Limits,
}

/// One rubric of a bundle (the output of `rubrica bundle`): metadata and script as text.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct BundledRubric {
    /// Rubric id, used to name the files in diagnostics.
    #[serde(default)]
    pub id: Option<String>,
    /// `rubric.json` text.
    pub meta: String,
    /// `rubric.rhai` text.
    pub script: String,
    /// The rubric's self-test cases (`{name, case}`); kept for [`Workspace::run_cases`].
    #[serde(default)]
    pub cases: Vec<Value>,
}

/// An engine with the rubrics compiled so far, keyed by id and kept in practice order.
#[derive(Debug, Default)]
pub struct Workspace {
    engine: Engine,
    rubrics: Vec<CompiledRubric>,
    /// The rubrics with their texts in each language asked for so far, made once per language
    /// and dropped whenever a rubric loads (a host scoring in Spanish asks on every call).
    localized: Mutex<Vec<(String, Arc<[CompiledRubric]>)>>,
}

impl Workspace {
    /// An empty workspace whose engine uses these limits.
    pub fn new(options: Options) -> Workspace {
        Workspace {
            engine: Engine::new(options.limits),
            rubrics: Vec::new(),
            localized: Mutex::default(),
        }
    }

    /// The engine.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The compiled rubrics, in practice order.
    pub fn compiled(&self) -> &[CompiledRubric] {
        &self.rubrics
    }

    /// The compiled rubric with this id.
    pub fn rubric(&self, id: &str) -> Option<&CompiledRubric> {
        self.rubrics.iter().find(|r| r.meta().id == id)
    }

    /// Adds a compiled rubric, replacing one with the same id.
    pub fn insert(&mut self, rubric: CompiledRubric) {
        self.rubrics.retain(|r| r.meta().id != rubric.meta().id);
        self.rubrics.push(rubric);
        self.localized
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clear();
        self.rubrics
            .sort_by_key(|r| (practice_rank(&r.meta().practice), r.meta().id.clone()));
    }

    /// Compiles every rubric of a bundle (`[{id, meta, script, cases}]` as JSON text). A rubric
    /// that fails is reported in `errors` and the others still load; diagnostics name the files
    /// `rubrics/<id>/rubric.json` and `rubrics/<id>/rubric.rhai`, as `rubrica check rubrics`
    /// does. Fails only when the bundle itself is not such a list.
    pub fn load_bundle(&mut self, text: &str) -> Answer<LoadedBundle> {
        let entries: Vec<BundledRubric> = match serde_json::from_str(text) {
            Ok(e) => e,
            Err(e) => {
                let code = if e.is_data() {
                    Code::RubricMetadata
                } else {
                    Code::JsonSyntax
                };
                return Answer::Failure {
                    errors: vec![crate::json::serde_diagnostic(&e, code, "invalid rubric bundle")
                        .with_help("a bundle is the output of `rubrica bundle`: a list of `{id, meta, script, cases}`")],
                };
            }
        };
        let mut errors = Vec::new();
        for entry in entries {
            let dir = entry
                .id
                .as_deref()
                .map_or_else(|| "rubrics".to_string(), |id| format!("rubrics/{id}"));
            let source = RubricSource {
                meta_file: format!("{dir}/{META_FILE}"),
                meta: entry.meta,
                script_file: format!("{dir}/{SCRIPT_FILE}"),
                script: entry.script,
            };
            match self.engine.compile(&source) {
                Ok(c) => self.insert(c),
                Err(Diagnostics(mut ds)) => errors.append(&mut ds),
            }
        }
        Answer::Success(LoadedBundle {
            rubrics: self.rubrics(),
            errors,
        })
    }

    /// Compiles one rubric from its texts (files named `rubric.json` and `rubric.rhai` in
    /// diagnostics) and loads it, replacing a rubric with the same id.
    pub fn load_rubric(&mut self, meta: &str, script: &str) -> Answer<LoadedRubric> {
        match self.compile(meta, script) {
            Ok(c) => {
                let rubric = RubricInfo::of(&c);
                self.insert(c);
                Answer::Success(LoadedRubric {
                    rubric,
                    warnings: Vec::new(),
                })
            }
            Err(Diagnostics(errors)) => Answer::Failure { errors },
        }
    }

    /// Checks a draft as `rubrica check` does, without loading it: it compiles and the static
    /// checks ([`Engine::check`]) find no error. Their warnings come with the success; errors
    /// and warnings together, errors first, make the failure.
    pub fn check_rubric(&self, meta: &str, script: &str) -> Answer<LoadedRubric> {
        let (compiled, diagnostics) = self.engine.check(&source(meta, script));
        let clean = diagnostics.iter().all(|d| d.severity != Severity::Error);
        match compiled {
            Some(c) if clean => Answer::Success(LoadedRubric {
                rubric: RubricInfo::of(&c),
                warnings: diagnostics,
            }),
            _ => Answer::Failure {
                errors: diagnostics,
            },
        }
    }

    fn compile(&self, meta: &str, script: &str) -> Result<CompiledRubric, Diagnostics> {
        self.engine.compile(&source(meta, script))
    }

    /// The loaded rubrics, in practice order.
    pub fn rubrics(&self) -> Vec<RubricInfo> {
        self.rubrics.iter().map(RubricInfo::of).collect()
    }

    /// The loaded rubrics with their texts in `lang` (each rubric without it in its own
    /// language; see [`CompiledRubric::in_language`]), or as written for `None`.
    pub fn rubrics_in(&self, lang: Option<&str>) -> Vec<RubricInfo> {
        match lang {
            Some(l) => self.rubrics_for(l).iter().map(RubricInfo::of).collect(),
            None => self.rubrics(),
        }
    }

    /// Every language the loaded rubrics declare, each once, in the order first met (the six
    /// practices first): what `lang` can ask for.
    pub fn languages(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for l in self.rubrics.iter().flat_map(|r| &r.meta().languages) {
            if !out.iter().any(|o| o.eq_ignore_ascii_case(l)) {
                out.push(l.clone());
            }
        }
        out
    }

    /// `Ok` when a loaded rubric has `lang` (`es-MX` finds `es`), or when no rubric is loaded
    /// yet; else what to say, naming the languages there are.
    pub fn check_language(&self, lang: &str) -> Result<(), String> {
        if self.rubrics.is_empty()
            || self
                .rubrics
                .iter()
                .any(|r| r.meta().language_for(lang).is_some())
        {
            return Ok(());
        }
        Err(format!(
            "no loaded rubric has the language `{lang}`; available: {}",
            self.languages().join(", ")
        ))
    }

    /// Parses and validates a record of any kind (its `format` says which) from JSON text.
    pub fn validate_record(&self, record: &str) -> Answer<ValidRecord> {
        self.validate_record_in(record, None)
    }

    /// [`Workspace::validate_record`] with the problems (errors and warnings) in `lang` where
    /// the engine has them (see [`Diagnostic::in_language`]).
    pub fn validate_record_in(&self, record: &str, lang: Option<&str>) -> Answer<ValidRecord> {
        Record::parse(record)
            .map(|p| ValidRecord {
                record: p.record,
                warnings: in_language(p.warnings, lang),
            })
            .map_err(|Diagnostics(ds)| Diagnostics(in_language(ds, lang)))
            .into()
    }

    /// The loaded rubrics with their texts in `lang` (each in its source language when it does
    /// not have `lang`), made once per language.
    fn rubrics_for(&self, lang: &str) -> Arc<[CompiledRubric]> {
        let mut cache = self
            .localized
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((_, found)) = cache.iter().find(|(l, _)| l == lang) {
            return found.clone();
        }
        let made: Arc<[CompiledRubric]> =
            self.rubrics.iter().map(|r| r.in_language(lang)).collect();
        cache.push((lang.to_string(), made.clone()));
        made
    }

    fn find(&self, id: &str) -> Result<&CompiledRubric, Diagnostics> {
        self.rubric(id).ok_or_else(|| {
            let ids: Vec<&str> = self.rubrics.iter().map(|r| r.meta().id.as_str()).collect();
            let help = match crate::json::closest(id, &ids) {
                Some(s) => format!("did you mean `{s}`?"),
                None if ids.is_empty() => {
                    "no rubric is loaded yet; load one or a bundle first".into()
                }
                None => format!("loaded rubrics: {}", crate::json::quoted(&ids)),
            };
            Diagnostics(vec![Diagnostic::error(
                Code::RubricMetadata,
                format!("no rubric `{id}` is loaded"),
            )
            .with_help(help)])
        })
    }

    fn score(
        &self,
        id: &str,
        record: &str,
        lang: Option<&str>,
    ) -> Result<RubricResult, Diagnostics> {
        let rubric = self.find(id)?;
        let parsed =
            Record::parse(record).map_err(|Diagnostics(ds)| Diagnostics(in_language(ds, lang)))?;
        let result = match lang {
            Some(l) => {
                let localized = self.rubrics_for(l);
                let rubric = localized
                    .iter()
                    .find(|r| r.meta().id == rubric.meta().id)
                    .unwrap_or(rubric);
                self.engine.evaluate(rubric, &parsed.record)
            }
            None => self.engine.evaluate(rubric, &parsed.record),
        };
        match result {
            Ok(mut r) => {
                r.warnings = in_language(r.warnings, lang);
                Ok(r)
            }
            Err(Diagnostics(ds)) => Err(Diagnostics(in_language(ds, lang))),
        }
    }

    fn report(&self, record: &str, lang: Option<&str>) -> Result<Report, Diagnostics> {
        let parsed =
            Record::parse(record).map_err(|Diagnostics(ds)| Diagnostics(in_language(ds, lang)))?;
        Ok(match lang {
            Some(l) => {
                let mut report = self.engine.report_record(&self.rubrics_for(l), &parsed);
                report.language = Some(l.to_string());
                report.localize_diagnostics();
                report
            }
            None => self.engine.report_record(&self.rubrics, &parsed),
        })
    }

    /// Rates a record (JSON text) with one loaded rubric.
    pub fn evaluate(&self, id: &str, record: &str) -> Answer<RubricScored> {
        self.evaluate_in(id, record, None)
    }

    /// [`Workspace::evaluate`] with the result's texts in `lang` (see
    /// [`CompiledRubric::in_language`]); `None` as written.
    pub fn evaluate_in(&self, id: &str, record: &str, lang: Option<&str>) -> Answer<RubricScored> {
        self.score(id, record, lang)
            .map(|result| RubricScored { result })
            .into()
    }

    /// Rates a record with every loaded rubric. A rubric that fails becomes a `failure` entry
    /// of the report; the answer fails only when the record itself is invalid.
    pub fn evaluate_all(&self, record: &str) -> Answer<RecordScored> {
        self.evaluate_all_in(record, None)
    }

    /// [`Workspace::evaluate_all`] with the texts in `lang` (see [`Engine::report_in`]).
    pub fn evaluate_all_in(&self, record: &str, lang: Option<&str>) -> Answer<RecordScored> {
        self.report(record, lang)
            .map(|report| RecordScored { report })
            .into()
    }

    /// The result JSON exactly as `serde_json::to_string(&engine.evaluate(..)?)` writes it, or
    /// the failure answer as JSON.
    pub fn evaluate_json(&self, id: &str, record: &str) -> String {
        self.evaluate_json_in(id, record, None)
    }

    /// [`Workspace::evaluate_json`] with the texts in `lang`.
    pub fn evaluate_json_in(&self, id: &str, record: &str, lang: Option<&str>) -> String {
        match self.score(id, record, lang) {
            Ok(result) => to_json(&result),
            Err(Diagnostics(errors)) => to_json(&Answer::<()>::Failure { errors }),
        }
    }

    /// The report JSON exactly as `serde_json::to_string(&engine.report(..))` (and
    /// `rubrica score --format json`) writes it, or the failure answer as JSON.
    pub fn report_json(&self, record: &str) -> String {
        self.report_json_in(record, None)
    }

    /// [`Workspace::report_json`] with the texts in `lang`, as `rubrica score --format json
    /// --lang` writes it.
    pub fn report_json_in(&self, record: &str, lang: Option<&str>) -> String {
        match self.report(record, lang) {
            Ok(report) => to_json(&report),
            Err(Diagnostics(errors)) => to_json(&Answer::<()>::Failure { errors }),
        }
    }

    /// The coach's plain-text report, as `rubrica score` prints it; for an invalid record, its
    /// problems, one per line with help.
    pub fn report_text(&self, record: &str) -> String {
        self.report_text_in(record, None)
    }

    /// [`Workspace::report_text`] with the rubric texts and the engine's words in `lang`, as
    /// `rubrica score --lang` prints it (the record's problems stay in English).
    pub fn report_text_in(&self, record: &str, lang: Option<&str>) -> String {
        match self.report(record, lang) {
            Ok(report) => report.to_terminal_text(),
            Err(Diagnostics(errors)) => {
                let mut out = String::new();
                for d in &errors {
                    out.push_str(&d.render_in(Some(record), lang));
                    out.push('\n');
                }
                out.push_str(&crate::diagnostic_text::nothing_scored_in(
                    errors.len(),
                    lang,
                ));
                out.push('\n');
                out
            }
        }
    }

    /// Reads the visits of `text`: one record or report (JSON text), or a JSON list of them,
    /// named `name` (or `name[i]`) in diagnostics. Records are scored with the loaded rubrics.
    fn visits(
        &self,
        name: &str,
        text: &str,
        lang: Option<&str>,
    ) -> Result<Vec<crate::agree::RatedVisit>, Diagnostics> {
        // Scored in `lang`, so the notes and reasons compared are in it too (ratings are not).
        let localized = lang.map(|l| self.rubrics_for(l));
        let rubrics: &[CompiledRubric] = localized.as_deref().unwrap_or(&self.rubrics);
        let score = |p: &Parsed| self.engine.report(rubrics, p);
        match serde_json::from_str::<Value>(text) {
            Ok(Value::Array(items)) => {
                let mut visits = Vec::new();
                let mut errors = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let label = format!("{name}[{i}]");
                    match crate::agree::read_visit(&label, &item.to_string(), rubrics, &score) {
                        Ok(v) => visits.push(v),
                        Err(Diagnostics(mut ds)) => errors.append(&mut ds),
                    }
                }
                if errors.is_empty() {
                    Ok(visits)
                } else {
                    Err(Diagnostics(errors))
                }
            }
            _ => crate::agree::read_visit(name, text, rubrics, &score).map(|v| vec![v]),
        }
    }

    fn agree(
        &self,
        a: &str,
        b: &str,
        lang: Option<&str>,
    ) -> Result<crate::agree::Agreement, Diagnostics> {
        let (a, b) = match (self.visits("a", a, lang), self.visits("b", b, lang)) {
            (Ok(a), Ok(b)) => (a, b),
            (a, b) => {
                let mut errors = Vec::new();
                for side in [a, b] {
                    if let Err(Diagnostics(mut ds)) = side {
                        errors.append(&mut ds);
                    }
                }
                return Err(Diagnostics(errors));
            }
        };
        if a.len() != b.len() {
            return Err(Diagnostics(vec![Diagnostic::error(
                Code::Inconsistent,
                format!("`a` has {} visits and `b` has {}", a.len(), b.len()),
            )
            .with_help("give one record or report per side, or two lists of the same length: a[i] and b[i] are two coaches' ratings of one visit")]));
        }
        crate::agree::agreement_in(&a.into_iter().zip(b).collect::<Vec<_>>(), lang)
    }

    /// Two coaches' ratings of the same visit compared (`rubrica agree`): `a` and `b` are each a
    /// record or a report (JSON text), or lists of them paired by position for a reliability
    /// check over many visits. The agreement JSON, byte for byte what `rubrica agree --format
    /// json` prints, or the failure answer as JSON.
    pub fn agree_json(&self, a: &str, b: &str) -> String {
        self.agree_json_in(a, b, None)
    }

    /// [`Workspace::agree_json`] with the records scored in `lang` (the titles, level labels,
    /// notes and reasons compared) and the engine's words (kappa reasons, warnings, problems) in
    /// `lang` where the engine has them; `None` as written.
    pub fn agree_json_in(&self, a: &str, b: &str, lang: Option<&str>) -> String {
        match self.agree(a, b, lang) {
            Ok(agreement) => to_json(&agreement),
            Err(Diagnostics(errors)) => to_json(&Answer::<()>::Failure {
                errors: in_language(errors, lang),
            }),
        }
    }

    /// Visits over time (`rubrica trend`): `items` is a JSON list of records or reports, `by`
    /// the grouping as JSON (`{}`, `{"caregiver": "cg-a"}`, `{"pointer": "/extra/room"}`). The
    /// trend JSON, byte for byte what `rubrica trend --format json` prints, or the failure
    /// answer as JSON.
    pub fn trend_json(&self, items: &str, by: &str) -> String {
        self.trend_json_in(items, by, None)
    }

    /// [`Workspace::trend_json`] with the records scored in `lang` (the titles) and the engine's
    /// words (why a visit is left out or a change not computed, what changed at a break,
    /// problems) in `lang` where the engine has them; `None` as written.
    pub fn trend_json_in(&self, items: &str, by: &str, lang: Option<&str>) -> String {
        let by = match crate::trend::TrendBy::from_json(by) {
            Ok(b) => b,
            Err(d) => return to_json(&Answer::<()>::Failure { errors: vec![d] }),
        };
        match self
            .visits("items", items, lang)
            .and_then(|v| crate::trend::trend_in(&v, &by, lang))
        {
            Ok(trend) => to_json(&trend),
            Err(Diagnostics(errors)) => to_json(&Answer::<()>::Failure {
                errors: in_language(errors, lang),
            }),
        }
    }

    /// Runs self-test cases (`{name, case}` objects, records inline, as in a bundle) against a
    /// loaded rubric. A case that cannot be read or run fails with its problems; diagnostics
    /// name the case `rubrics/<id>/cases/<name>.json`, as `rubrica test rubrics` does.
    pub fn run_cases(&self, id: &str, cases: &[Value]) -> Vec<CaseOutcome> {
        let rubric = self.find(id);
        cases
            .iter()
            .enumerate()
            .map(|(i, entry)| {
                let (name, file, case) = match bundled_case(id, i, entry) {
                    Ok(c) => c,
                    Err((name, problems)) => return failed_case(name, problems),
                };
                let rubric = match &rubric {
                    Ok(r) => *r,
                    Err(Diagnostics(ds)) => return failed_case(name, ds.clone()),
                };
                case.run(&name, &file, &self.engine, rubric, &no_files)
            })
            .collect()
    }

    /// Runs self-test cases (as for [`Workspace::run_cases`]) against a loaded rubric and
    /// reports which `rating`/`not_enough_evidence` calls and levels they reach, as
    /// `rubrica test --coverage` does. Cases that cannot be read are left out and listed.
    pub fn case_coverage(&self, id: &str, cases: &[Value]) -> Answer<CaseCoverage> {
        let rubric = match self.find(id) {
            Ok(r) => r,
            Err(Diagnostics(errors)) => return Answer::Failure { errors },
        };
        let mut ready = Vec::new();
        let mut skipped = Vec::new();
        for (i, entry) in cases.iter().enumerate() {
            let read =
                bundled_case(id, i, entry)
                    .map_err(|(_, ds)| ds)
                    .and_then(|(name, file, case)| match case.record(&file, &no_files) {
                        Ok(record) => Ok(ReadyCase {
                            name,
                            file,
                            case,
                            record,
                        }),
                        Err(Diagnostics(ds)) => Err(ds),
                    });
            match read {
                Ok(r) => ready.push(r),
                Err(mut ds) => skipped.append(&mut ds),
            }
        }
        Answer::Success(CaseCoverage {
            coverage: crate::coverage::coverage(&self.engine, rubric, &ready),
            skipped,
        })
    }
}

/// Payload of [`Workspace::export`]: the exported text and how to save it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exported {
    /// The format (`xapi`, `lti-ags`, `csv`, `case`).
    pub format: crate::export::ExportFormat,
    /// Media type of `text`, e.g. `application/json`.
    pub media_type: &'static str,
    /// A file name to save it under: the record id (letters, digits, `-._` kept) and the format.
    pub file_name: String,
    /// The export, byte for byte what `rubrica export` writes.
    pub text: String,
}

impl Workspace {
    /// Exports a record's results (`xapi`, `lti-ags`, `csv`) or the loaded rubrics (`case`;
    /// `record` is then not read) with options given as JSON (`""` for the defaults); see
    /// `docs/exports.md`. Fails on an invalid record, format or option.
    pub fn export(&self, record: &str, format: &str, options: &str) -> Answer<Exported> {
        use crate::export::{export_report, export_rubrics, ExportFormat, ExportOptions};
        let run = || -> Result<Exported, Diagnostics> {
            let format = ExportFormat::parse(format)?;
            let options = ExportOptions::from_json(options)?;
            let metas: Vec<&RubricMeta> = self.rubrics.iter().map(CompiledRubric::meta).collect();
            let (stem, text) = if format == ExportFormat::Case {
                ("rubrics".to_string(), export_rubrics(&metas, &options)?)
            } else {
                let parsed = Observation::parse(record)?;
                let report = self.engine.report(&self.rubrics, &parsed);
                let text = export_report(format, &report, &parsed.observation, &metas, &options)?;
                (parsed.observation.id, text)
            };
            let stem: String = stem
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_') {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            Ok(Exported {
                format,
                media_type: format.media_type(),
                file_name: format!("{stem}-{}.{}", format.as_str(), format.extension()),
                text,
            })
        };
        run().into()
    }
}

/// A case of a bundle (`{name, case}`): its name, file name for diagnostics, and the case; or
/// its name and why it cannot be read.
fn bundled_case(
    id: &str,
    i: usize,
    entry: &Value,
) -> Result<(String, String, Case), (String, Vec<Diagnostic>)> {
    let name = entry
        .get("name")
        .and_then(Value::as_str)
        .map_or_else(|| format!("case-{}", i + 1), str::to_string);
    let file = format!("rubrics/{id}/cases/{name}.json");
    match entry.get("case").map(Case::deserialize) {
        Some(Ok(case)) => Ok((name, file, case)),
        Some(Err(e)) => Err((
            name,
            vec![
                Diagnostic::error(Code::CaseFile, format!("invalid case: {e}"))
                    .with_help(
                        "a case has `description`, `record` (object), optional `set`, and `expect`",
                    )
                    .in_file(file),
            ],
        )),
        None => Err((
            name,
            vec![Diagnostic::error(Code::CaseFile, "the entry has no `case`")
                .with_help("pass cases as `{name, case}`, as in a bundle")
                .in_file(file)],
        )),
    }
}

fn failed_case(name: String, problems: Vec<Diagnostic>) -> CaseOutcome {
    CaseOutcome {
        name,
        description: String::new(),
        passed: false,
        problems,
        result: None,
    }
}

/// Cases in a bundle carry their records inline; nothing is read from files.
fn no_files(_: &str) -> Result<String, String> {
    Err("records are not read from files here; inline the record (`rubrica bundle` does)".into())
}

/// Compact JSON of a value whose serialization cannot fail (engine types have string keys only).
fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// `ds` in `lang` (see [`Diagnostic::in_language`]); as they are for `None`.
fn in_language(ds: Vec<Diagnostic>, lang: Option<&str>) -> Vec<Diagnostic> {
    match lang {
        Some(_) => ds.iter().map(|d| d.in_language(lang)).collect(),
        None => ds,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const META: &str = include_str!("../../rubrics/small-groups/rubric.json");
    const SCRIPT: &str = include_str!("../../rubrics/small-groups/rubric.rhai");
    const RECORD: &str = include_str!("../../examples/center-infants.json");

    fn loaded() -> Workspace {
        let mut w = Workspace::default();
        assert!(w.load_rubric(META, SCRIPT).is_success());
        w
    }

    #[test]
    fn answers_are_tagged_unions() {
        let w = loaded();
        let ok = serde_json::to_value(w.check_rubric(META, SCRIPT)).unwrap();
        assert_eq!(ok["type"], "success");
        assert_eq!(ok["rubric"]["id"], "small-groups");
        assert_eq!(ok["rubric"]["meta"]["scale"]["strength_from"], 4);
        let bad = serde_json::to_value(w.validate_record("{")).unwrap();
        assert_eq!(bad["type"], "failure");
        assert_eq!(bad["errors"][0]["code"], "R0100");
        assert_eq!(bad.as_object().unwrap().len(), 2);
    }

    #[test]
    fn checking_a_draft_runs_the_static_checks() {
        let w = Workspace::default();
        // A typo in an item id: an error at its place, with the closest declared id.
        let typo = SCRIPT.replacen("\"one-to-one-moments\"", "\"one-to-one-moment\"", 1);
        assert_ne!(typo, SCRIPT);
        let errors = w.check_rubric(META, &typo).errors().to_vec();
        let d = errors
            .iter()
            .find(|d| d.message.contains("`one-to-one-moment`"))
            .unwrap_or_else(|| panic!("{errors:#?}"));
        assert_eq!(d.severity, Severity::Error);
        assert_eq!(d.location.file.as_deref(), Some("rubric.rhai"));
        assert!(d.location.line.is_some());
        assert!(d
            .help
            .as_deref()
            .unwrap_or("")
            .contains("one-to-one-moments"));
        // A declared item the script never names: a warning beside the success.
        let mut meta: Value = serde_json::from_str(META).unwrap();
        let items = meta["items"].as_array_mut().unwrap();
        let mut extra = items[0].clone();
        extra["id"] = Value::from("never-read");
        let first = items[0]["id"].as_str().unwrap().to_string();
        items.push(extra);
        // Each translation needs the new item's texts too (complete translations).
        if let Some(translations) = meta["translations"].as_object_mut() {
            for t in translations.values_mut() {
                let texts = t["items"][&first].clone();
                t["items"]["never-read"] = texts;
            }
        }
        let answer = serde_json::to_value(w.check_rubric(&meta.to_string(), SCRIPT)).unwrap();
        assert_eq!(answer["type"], "success", "{answer}");
        assert_eq!(
            answer["warnings"].as_array().map(Vec::len),
            Some(1),
            "{answer}"
        );
        assert!(answer["warnings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("never-read"));
        // The shipped rubric has nothing to warn about, and a loaded rubric no `warnings`.
        let clean = serde_json::to_value(w.check_rubric(META, SCRIPT)).unwrap();
        assert!(clean.get("warnings").is_none(), "{clean}");
    }

    #[test]
    fn syntax_errors_carry_file_and_one_based_position() {
        let w = Workspace::default();
        let script = "fn group_size(r) {\n    let x = ;\n}\n";
        let errors = w.check_rubric(META, script).errors().to_vec();
        let d = &errors[0];
        assert_eq!(d.code, Code::ScriptSyntax);
        assert_eq!(d.location.file.as_deref(), Some("rubric.rhai"));
        assert_eq!((d.location.line, d.location.column), (Some(2), Some(13)));
        let errors = w
            .check_rubric("{\n  \"format\": 1", SCRIPT)
            .errors()
            .to_vec();
        assert_eq!(errors[0].code, Code::RubricMetadata);
        assert_eq!(errors[0].location.file.as_deref(), Some("rubric.json"));
        assert!(errors[0].location.line.is_some());
    }

    #[test]
    fn bad_records_point_at_json_paths() {
        let w = loaded();
        let mut record: Value = serde_json::from_str(RECORD).unwrap();
        record["children"][2]["age_months"] = Value::from("five");
        let answer = w.validate_record(&record.to_string());
        assert!(!answer.is_success());
        assert_eq!(
            answer.errors()[0].location.path.as_deref(),
            Some("/children/2/age_months")
        );
        assert!(!w.evaluate("small-groups", &record.to_string()).is_success());
        assert!(!w.evaluate_all(&record.to_string()).is_success());
    }

    #[test]
    fn json_output_matches_the_native_engine_byte_for_byte() {
        let w = loaded();
        let engine = Engine::default();
        let rubric = engine
            .compile(&RubricSource {
                meta_file: "m".into(),
                meta: META.into(),
                script_file: "s".into(),
                script: SCRIPT.into(),
            })
            .unwrap();
        let parsed = Observation::parse(RECORD).unwrap();
        let native =
            serde_json::to_string(&engine.evaluate(&rubric, &parsed.observation).unwrap()).unwrap();
        assert_eq!(w.evaluate_json("small-groups", RECORD), native);
        let native = serde_json::to_string(&engine.report(&[rubric], &parsed)).unwrap();
        assert_eq!(w.report_json(RECORD), native);
        let answer = serde_json::to_value(w.evaluate_all(RECORD)).unwrap();
        assert_eq!(
            answer["report"],
            serde_json::from_str::<Value>(&native).unwrap()
        );
    }

    #[test]
    fn unknown_rubrics_fail_with_a_suggestion() {
        let w = loaded();
        let answer = w.evaluate("small-group", RECORD);
        assert_eq!(
            answer.errors()[0].help.as_deref(),
            Some("did you mean `small-groups`?")
        );
        let json: Value = serde_json::from_str(&w.evaluate_json("nope", RECORD)).unwrap();
        assert_eq!(json["type"], "failure");
    }

    #[test]
    fn bundles_load_what_compiles_and_report_the_rest() {
        let mut w = Workspace::default();
        let bundle = serde_json::json!([
            {"id": "small-groups", "meta": META, "script": SCRIPT, "cases": []},
            {"id": "broken", "meta": "{}", "script": ""}
        ]);
        let loaded = w.load_bundle(&bundle.to_string()).success().unwrap();
        assert_eq!(loaded.rubrics.len(), 1);
        assert_eq!(
            loaded.errors[0].location.file.as_deref(),
            Some("rubrics/broken/rubric.json")
        );
        assert!(!w.load_bundle("{\"id\": 1}").is_success());
        assert!(!w.load_bundle("[").is_success());
    }

    #[test]
    fn loading_again_replaces_by_id_and_keeps_practice_order() {
        let mut w = loaded();
        let other = META
            .replace("\"id\": \"small-groups\"", "\"id\": \"aaa-later\"")
            .replace(
                "\"practice\": \"small-groups\"",
                "\"practice\": \"zz-other\"",
            );
        assert!(w.load_rubric(&other, SCRIPT).is_success());
        assert!(w.load_rubric(META, SCRIPT).is_success());
        let ids: Vec<String> = w.rubrics().into_iter().map(|r| r.id).collect();
        assert_eq!(ids, ["small-groups", "aaa-later"]);
    }

    #[test]
    fn cases_run_with_inline_records() {
        let w = loaded();
        let result = w.evaluate("small-groups", RECORD).success().unwrap().result;
        let expect: serde_json::Map<String, Value> = result
            .indicators
            .iter()
            .map(|i| {
                (
                    i.id.clone(),
                    i.level
                        .map_or_else(|| Value::from("not-enough-evidence"), Value::from),
                )
            })
            .collect();
        let record: Value = serde_json::from_str(RECORD).unwrap();
        let cases = vec![
            serde_json::json!({"name": "as-seen", "case": {"description": "d", "record": record, "expect": expect}}),
            serde_json::json!({"name": "from-file", "case": {"description": "d", "record": "../x.json", "expect": expect}}),
            serde_json::json!({"name": "typo", "case": {"descripton": "d"}}),
        ];
        let outcomes = w.run_cases("small-groups", &cases);
        assert!(outcomes[0].passed, "{:?}", outcomes[0].problems);
        assert!(!outcomes[1].passed);
        assert_eq!(outcomes[2].problems[0].code, Code::CaseFile);
        assert!(w.run_cases("missing", &cases).iter().all(|o| !o.passed));
    }

    #[test]
    fn text_report_matches_the_engine() {
        let w = loaded();
        let parsed = Observation::parse(RECORD).unwrap();
        assert_eq!(
            w.report_text(RECORD),
            w.engine().report(w.compiled(), &parsed).to_terminal_text()
        );
        assert!(w.report_text("[]").contains("nothing was scored"));
    }

    #[test]
    fn options_take_partial_limits_and_reject_typos() {
        let o: Options = serde_json::from_str(r#"{"limits": {"max_operations": 10}}"#).unwrap();
        assert_eq!(o.limits.max_operations, 10);
        assert_eq!(o.limits.max_call_levels, Limits::default().max_call_levels);
        assert!(serde_json::from_str::<Options>(r#"{"limit": {}}"#).is_err());
    }
}
