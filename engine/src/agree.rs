//! Inter-rater agreement: two coaches' ratings of the same visit, compared indicator by
//! indicator, and pooled over many visit pairs for a reliability check.
//!
//! Both coaches' ratings are read as [`RatedVisit`]s, from a record scored with the loaded
//! rubrics or from a report (`rubrica.report/1`), so a record and its report compare the same.
//! Definitions and formulas are in `docs/agreement.md`.
//!
//! Counts, percentages and both kappas are computed with whole numbers: a kappa is an exact
//! fraction of two integers, divided once into an `f64` at the end. A kappa that is undefined
//! (no rating compared, or chance agreement of 1) is `null` with the reason, never NaN.

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::diagnostic_text::{self as catalogue, Arg, Lang, Template, Text};
use crate::record::{Observation, Parsed};
use crate::result::{PracticeEntry, Report, Status, REPORT_FORMAT};
use crate::runtime::CompiledRubric;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// Format tag of an agreement.
pub const AGREEMENT_FORMAT: &str = "rubrica.agreement/1";

/// How an indicator came out in one visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Rated at a level.
    Rated,
    /// The record did not let the indicator be rated.
    NotEnoughEvidence,
    /// The indicator does not apply to this group.
    NotApplicable,
}

impl Outcome {
    fn parse(s: &str) -> Option<Outcome> {
        match s {
            "rated" => Some(Outcome::Rated),
            "not-enough-evidence" => Some(Outcome::NotEnoughEvidence),
            "not-applicable" => Some(Outcome::NotApplicable),
            _ => None,
        }
    }

    /// The words for a coach.
    pub fn words(self) -> &'static str {
        match self {
            Outcome::Rated => "rated",
            Outcome::NotEnoughEvidence => "not enough evidence",
            Outcome::NotApplicable => "not applicable",
        }
    }

    /// [`Outcome::words`] in `words`.
    fn words_in(self, words: Lang) -> String {
        Text::new(match self {
            Outcome::Rated => &catalogue::OUTCOME_RATED,
            Outcome::NotEnoughEvidence => &catalogue::OUTCOME_NOT_ENOUGH,
            Outcome::NotApplicable => &catalogue::OUTCOME_NOT_APPLICABLE,
        })
        .render(words)
    }
}

/// One indicator's rating in one visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeenIndicator {
    /// Indicator id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Rated, not enough evidence, or not applicable.
    pub outcome: Outcome,
    /// Level, when rated.
    pub level: Option<i64>,
    /// Level label, when rated.
    pub label: Option<String>,
    /// Evidence cited.
    pub evidence: Vec<String>,
    /// The script's note, when rated.
    pub note: Option<String>,
    /// Why it was not rated.
    pub reason: Option<String>,
}

/// Where a practice's scale was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ScaleSource {
    /// The loaded rubric with the same id and version: its levels.
    Rubric,
    /// A report whose rubric version is not loaded: levels 1 to the report's `scale_max`.
    Report,
}

/// How many indicators a practice rated in one visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SeenCoverage {
    /// Indicators rated.
    pub rated: usize,
    /// Indicators that apply.
    pub total: usize,
    /// Rated as a whole percentage of total.
    pub percent: i64,
    /// Indicators that do not apply.
    pub not_applicable: usize,
}

/// One practice's ratings in one visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeenPractice {
    /// Rubric id.
    pub rubric: String,
    /// Rubric version.
    pub version: String,
    /// Practice rated.
    pub practice: String,
    /// Title.
    pub title: String,
    /// Every level of the scale, lowest first.
    pub scale: Vec<i64>,
    /// Where the scale was read from.
    pub scale_source: ScaleSource,
    /// `rated` or `not-enough-evidence`.
    pub status: String,
    /// Practice score in hundredths, when rated.
    pub score: Option<i64>,
    /// Indicators rated.
    pub coverage: SeenCoverage,
    /// Every indicator, in rubric order.
    pub indicators: Vec<SeenIndicator>,
}

impl SeenPractice {
    pub(crate) fn indicator_ids(&self) -> Vec<&str> {
        self.indicators.iter().map(|i| i.id.as_str()).collect()
    }
}

/// A practice that could not rate the visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedPractice {
    /// Rubric id.
    pub rubric: String,
    /// Title.
    pub title: String,
}

/// One visit's ratings, as agreement and trends read them.
#[derive(Debug, Clone, PartialEq)]
pub struct RatedVisit {
    /// What to call the input in messages (a file name, `a`, `items[2]`).
    pub label: String,
    /// Record id.
    pub record: String,
    /// Setting, as the record format writes it.
    pub setting: String,
    /// Visit date, `YYYY-MM-DD`.
    pub observed_on: String,
    /// The coach's pseudonymous id (records only; a report does not carry it).
    pub observer: Option<String>,
    /// The caregivers' ids (records only).
    pub caregivers: Option<Vec<String>>,
    /// The record as JSON (records only), for grouping by a JSON pointer.
    pub source: Option<Value>,
    /// Practices that rated the visit, in report order.
    pub practices: Vec<SeenPractice>,
    /// Practices that could not rate it.
    pub failures: Vec<FailedPractice>,
}

impl RatedVisit {
    /// True when the visit came from a record (so it knows its coach, caregivers and fields).
    pub fn from_record(&self) -> bool {
        self.source.is_some()
    }
}

// What a report holds, as far as agreement and trends read it. Unknown fields (such as an
// `engine` field) are accepted and ignored. Read by walking the JSON, so every problem comes
// with its JSON path.
struct ReportIn {
    record: String,
    setting: String,
    observed_on: String,
    practices: Vec<EntryIn>,
}

enum EntryIn {
    Success { result: ResultIn },
    Failure { rubric: String, title: String },
}

struct ResultIn {
    rubric: RubricIn,
    status: String,
    score: Option<f64>,
    scale_max: i64,
    coverage: SeenCoverage,
    indicators: Vec<IndicatorIn>,
}

struct RubricIn {
    id: String,
    version: String,
    practice: String,
    title: String,
}

struct IndicatorIn {
    id: String,
    title: String,
    outcome: String,
    level: Option<i64>,
    label: Option<String>,
    evidence: Vec<String>,
    note: Option<String>,
    reason: Option<String>,
}

/// Reads fields of a report's JSON, collecting a problem for each one missing or of the wrong
/// type.
#[derive(Default)]
struct Walk {
    errors: Vec<Diagnostic>,
}

impl Walk {
    fn wrong(&mut self, path: &str, expected: &str, found: Option<&Value>) {
        let message = match found {
            None => format!("missing field: {expected} expected"),
            Some(v) => format!("{expected} expected, found {}", crate::json::describe(v)),
        };
        let code = if found.is_none() {
            Code::MissingField
        } else {
            Code::WrongType
        };
        self.errors.push(
            Diagnostic::error(code, message)
                .at_path(path)
                .with_help("a report is the output of `rubrica score --format json`"),
        );
    }

    fn field<'v>(&self, v: &'v Value, key: &str) -> Option<&'v Value> {
        v.get(key)
    }

    fn text(&mut self, v: &Value, path: &str, key: &str) -> String {
        let at = format!("{path}/{key}");
        match self.field(v, key) {
            Some(Value::String(s)) => s.clone(),
            other => {
                self.wrong(&at, "text", other);
                String::new()
            }
        }
    }

    fn opt_text(&mut self, v: &Value, path: &str, key: &str) -> Option<String> {
        match self.field(v, key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            other => {
                self.wrong(&format!("{path}/{key}"), "text or null", other);
                None
            }
        }
    }

    fn opt_int(&mut self, v: &Value, path: &str, key: &str) -> Option<i64> {
        match self.field(v, key) {
            None | Some(Value::Null) => None,
            Some(x) if x.as_i64().is_some() => x.as_i64(),
            other => {
                self.wrong(&format!("{path}/{key}"), "a whole number or null", other);
                None
            }
        }
    }

    fn int(&mut self, v: &Value, path: &str, key: &str) -> i64 {
        match self.field(v, key).and_then(Value::as_i64) {
            Some(n) => n,
            None => {
                let found = self.field(v, key);
                self.wrong(&format!("{path}/{key}"), "a whole number", found);
                0
            }
        }
    }

    fn count(&mut self, v: &Value, path: &str, key: &str) -> usize {
        match self.field(v, key).and_then(Value::as_u64) {
            Some(n) => usize::try_from(n).unwrap_or(usize::MAX),
            None => {
                let found = self.field(v, key);
                self.wrong(&format!("{path}/{key}"), "a count", found);
                0
            }
        }
    }

    fn list<'v>(&mut self, v: &'v Value, path: &str, key: &str) -> &'v [Value] {
        match self.field(v, key) {
            Some(Value::Array(a)) => a,
            other => {
                self.wrong(&format!("{path}/{key}"), "a list", other);
                &[]
            }
        }
    }

    fn object<'v>(&mut self, v: &'v Value, path: &str, key: &str) -> &'v Value {
        match self.field(v, key) {
            Some(o @ Value::Object(_)) => o,
            other => {
                self.wrong(&format!("{path}/{key}"), "an object", other);
                &Value::Null
            }
        }
    }

    fn report(&mut self, v: &Value) -> ReportIn {
        let practices = self
            .list(v, "", "practices")
            .iter()
            .enumerate()
            .map(|(i, p)| self.entry(p, &format!("/practices/{i}")))
            .collect::<Vec<_>>();
        ReportIn {
            record: self.text(v, "", "record"),
            setting: self.text(v, "", "setting"),
            observed_on: self.text(v, "", "observed_on"),
            practices: practices.into_iter().flatten().collect(),
        }
    }

    fn entry(&mut self, v: &Value, path: &str) -> Option<EntryIn> {
        match v.get("type").and_then(Value::as_str) {
            Some("success") => {
                let at = format!("{path}/result");
                let r = self.object(v, path, "result");
                let rubric = self.object(r, &at, "rubric");
                let rat = format!("{at}/rubric");
                let cov = self.object(r, &at, "coverage");
                let cat = format!("{at}/coverage");
                let indicators = self
                    .list(r, &at, "indicators")
                    .iter()
                    .enumerate()
                    .map(|(i, x)| self.indicator(x, &format!("{at}/indicators/{i}")))
                    .collect();
                let score = match r.get("score") {
                    None | Some(Value::Null) => None,
                    Some(x) if x.as_f64().is_some() => x.as_f64(),
                    other => {
                        self.wrong(&format!("{at}/score"), "a number or null", other);
                        None
                    }
                };
                Some(EntryIn::Success {
                    result: ResultIn {
                        rubric: RubricIn {
                            id: self.text(rubric, &rat, "id"),
                            version: self.text(rubric, &rat, "version"),
                            practice: self.text(rubric, &rat, "practice"),
                            title: self.text(rubric, &rat, "title"),
                        },
                        status: self.text(r, &at, "status"),
                        score,
                        scale_max: self.int(r, &at, "scale_max"),
                        coverage: SeenCoverage {
                            rated: self.count(cov, &cat, "rated"),
                            total: self.count(cov, &cat, "total"),
                            percent: self.int(cov, &cat, "percent"),
                            not_applicable: match cov.get("not_applicable") {
                                None => 0,
                                Some(_) => self.count(cov, &cat, "not_applicable"),
                            },
                        },
                        indicators,
                    },
                })
            }
            Some("failure") => Some(EntryIn::Failure {
                rubric: self.text(v, path, "rubric"),
                title: self.text(v, path, "title"),
            }),
            _ => {
                let found = v.get("type");
                self.wrong(&format!("{path}/type"), "`success` or `failure`", found);
                None
            }
        }
    }

    fn indicator(&mut self, v: &Value, path: &str) -> IndicatorIn {
        let evidence = match v.get("evidence") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(a)) => a
                .iter()
                .enumerate()
                .filter_map(|(i, e)| match e {
                    Value::String(s) => Some(s.clone()),
                    other => {
                        self.wrong(&format!("{path}/evidence/{i}"), "text", Some(other));
                        None
                    }
                })
                .collect(),
            other => {
                self.wrong(&format!("{path}/evidence"), "a list", other);
                Vec::new()
            }
        };
        IndicatorIn {
            id: self.text(v, path, "id"),
            title: self.text(v, path, "title"),
            outcome: self.text(v, path, "outcome"),
            level: self.opt_int(v, path, "level"),
            label: self.opt_text(v, path, "label"),
            evidence,
            note: self.opt_text(v, path, "note"),
            reason: self.opt_text(v, path, "reason"),
        }
    }
}

/// The most levels a scale read from a report may have.
const MAX_LEVELS: i64 = 100;

/// The help of an input that is neither an observation record nor a report.
fn reads() -> Text {
    Text::new(&catalogue::GIVE_RECORD_OR_REPORT)
}

/// Reads one visit from JSON text: a record (scored with `score`, which rates it with
/// `rubrics`) or a report. A report's scale is the loaded rubric's with the same id and version,
/// else the levels 1 to its `scale_max`. Diagnostics name `label` as their file.
pub fn read_visit(
    label: &str,
    text: &str,
    rubrics: &[CompiledRubric],
    score: &dyn Fn(&Parsed) -> Report,
) -> Result<RatedVisit, Diagnostics> {
    let in_file = |ds: Vec<Diagnostic>| {
        Diagnostics(
            ds.into_iter()
                .map(|d| {
                    if d.location.file.is_none() {
                        d.in_file(label)
                    } else {
                        d
                    }
                })
                .collect(),
        )
    };
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return Err(in_file(vec![crate::json::serde_diagnostic(
                &e,
                Code::JsonSyntax,
                "invalid JSON",
            )
            .with_help_text(reads())]))
        }
    };
    let format = value.get("format").and_then(Value::as_str);
    if format == Some(REPORT_FORMAT) {
        let mut walk = Walk::default();
        let report = walk.report(&value);
        if !walk.errors.is_empty() {
            return Err(in_file(walk.errors));
        }
        return visit_of(label, report, rubrics, None).map_err(|Diagnostics(ds)| in_file(ds));
    }
    if value.get("type").and_then(Value::as_str) == Some("failure") {
        return Err(in_file(vec![Diagnostic::error(
            Code::UnsupportedFormat,
            "this is a failure answer, not a record or a report",
        )
        .at_path("/type")
        .with_help(
            "the record it answers was not scored; fix the record and score it again",
        )]));
    }
    let parsed = Observation::parse(text).map_err(|Diagnostics(ds)| {
        in_file(
            ds.into_iter()
                .map(|d| {
                    if d.code == Code::UnsupportedFormat {
                        d.with_help_text(reads())
                    } else {
                        d
                    }
                })
                .collect(),
        )
    })?;
    let report = score(&parsed);
    let report = report_in(report);
    let obs = &parsed.observation;
    let mut visit = visit_of(label, report, rubrics, Some(value))?;
    visit.observer = obs.observer.clone();
    visit.caregivers = Some(obs.caregivers.iter().map(|c| c.id.clone()).collect());
    Ok(visit)
}

/// A report the engine made, as agreement reads reports (the same fields a report's JSON has).
fn report_in(report: Report) -> ReportIn {
    ReportIn {
        record: report.record,
        setting: report.setting.map_or("", |s| s.as_str()).to_string(),
        observed_on: report.observed_on,
        practices: report
            .practices
            .into_iter()
            .map(|p| match p {
                PracticeEntry::Success { result } => {
                    let r = *result;
                    EntryIn::Success {
                        result: ResultIn {
                            rubric: RubricIn {
                                id: r.rubric.id,
                                version: r.rubric.version,
                                practice: r.rubric.practice,
                                title: r.rubric.title,
                            },
                            status: match r.status {
                                Status::Rated => "rated",
                                Status::NotEnoughEvidence => "not-enough-evidence",
                            }
                            .to_string(),
                            score: r.score.map(|s| s.hundredths as f64 / 100.0),
                            scale_max: r.scale_max,
                            coverage: SeenCoverage {
                                rated: r.coverage.rated,
                                total: r.coverage.total,
                                percent: r.coverage.percent,
                                not_applicable: r.coverage.not_applicable,
                            },
                            indicators: r
                                .indicators
                                .into_iter()
                                .map(|i| IndicatorIn {
                                    id: i.id,
                                    title: i.title,
                                    outcome: i.outcome.to_string(),
                                    level: i.level,
                                    label: i.label,
                                    evidence: i.evidence,
                                    note: i.note,
                                    reason: i.reason,
                                })
                                .collect(),
                        },
                    }
                }
                PracticeEntry::Failure { rubric, title, .. } => EntryIn::Failure { rubric, title },
            })
            .collect(),
    }
}

fn visit_of(
    label: &str,
    report: ReportIn,
    rubrics: &[CompiledRubric],
    source: Option<Value>,
) -> Result<RatedVisit, Diagnostics> {
    let mut errors = Vec::new();
    let date_ok = report.observed_on.len() == 10
        && report.observed_on.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !date_ok {
        errors.push(
            Diagnostic::error(
                Code::InvalidValue,
                format!("`observed_on` is `{}`, not a date", report.observed_on),
            )
            .at_path("/observed_on")
            .with_help("write the visit date as YYYY-MM-DD"),
        );
    }
    let mut practices = Vec::new();
    let mut failures = Vec::new();
    for (p, entry) in report.practices.into_iter().enumerate() {
        let result = match entry {
            EntryIn::Success { result } => result,
            EntryIn::Failure { rubric, title } => {
                failures.push(FailedPractice { rubric, title });
                continue;
            }
        };
        let at = format!("/practices/{p}/result");
        if practices
            .iter()
            .any(|s: &SeenPractice| s.rubric == result.rubric.id)
        {
            errors.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!("rubric `{}` appears twice in the report", result.rubric.id),
                )
                .at_path(format!("{at}/rubric/id")),
            );
            continue;
        }
        let loaded = rubrics
            .iter()
            .map(CompiledRubric::meta)
            .find(|m| m.id == result.rubric.id && m.version == result.rubric.version);
        let (scale, scale_source) = match loaded {
            Some(m) => (
                m.scale.levels.iter().map(|l| l.value).collect::<Vec<i64>>(),
                ScaleSource::Rubric,
            ),
            None if (1..=MAX_LEVELS).contains(&result.scale_max) => {
                ((1..=result.scale_max).collect(), ScaleSource::Report)
            }
            None => {
                errors.push(
                    Diagnostic::error(
                        Code::OutOfRange,
                        format!(
                            "`scale_max` is {}; a scale read from a report has 1 to {MAX_LEVELS} levels",
                            result.scale_max
                        ),
                    )
                    .at_path(format!("{at}/scale_max")),
                );
                continue;
            }
        };
        let mut indicators: Vec<SeenIndicator> = Vec::new();
        for (i, ind) in result.indicators.into_iter().enumerate() {
            let at = format!("{at}/indicators/{i}");
            if indicators.iter().any(|s| s.id == ind.id) {
                errors.push(
                    Diagnostic::error(
                        Code::DuplicateId,
                        format!("indicator `{}` appears twice", ind.id),
                    )
                    .at_path(format!("{at}/id")),
                );
                continue;
            }
            let Some(outcome) = Outcome::parse(&ind.outcome) else {
                errors.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("unknown outcome `{}`", ind.outcome),
                    )
                    .at_path(format!("{at}/outcome"))
                    .with_help("an outcome is `rated`, `not-enough-evidence` or `not-applicable`"),
                );
                continue;
            };
            match (outcome, ind.level) {
                (Outcome::Rated, Some(level)) if scale.contains(&level) => {}
                (Outcome::Rated, Some(level)) => {
                    errors.push(
                        Diagnostic::error(
                            Code::OutOfRange,
                            format!(
                                "level {level} is not on the scale of `{}` {} ({})",
                                result.rubric.id,
                                result.rubric.version,
                                scale_words(&scale)
                            ),
                        )
                        .at_path(format!("{at}/level")),
                    );
                    continue;
                }
                (Outcome::Rated, None) => {
                    errors.push(
                        Diagnostic::error(Code::MissingField, "a rated indicator has no `level`")
                            .at_path(format!("{at}/level")),
                    );
                    continue;
                }
                (_, Some(_)) => {
                    errors.push(
                        Diagnostic::error(
                            Code::Inconsistent,
                            format!("an indicator that is {} has a `level`", outcome.words()),
                        )
                        .at_path(format!("{at}/level")),
                    );
                    continue;
                }
                (_, None) => {}
            }
            indicators.push(SeenIndicator {
                id: ind.id,
                title: ind.title,
                outcome,
                level: ind.level,
                label: ind.label,
                evidence: ind.evidence,
                note: ind.note,
                reason: ind.reason,
            });
        }
        practices.push(SeenPractice {
            rubric: result.rubric.id,
            version: result.rubric.version,
            practice: result.rubric.practice,
            title: result.rubric.title,
            scale,
            scale_source,
            status: result.status,
            score: result
                .score
                .filter(|s| s.is_finite() && s.abs() < 1e12)
                .map(|s| (s * 100.0).round() as i64),
            coverage: result.coverage,
            indicators,
        });
    }
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    Ok(RatedVisit {
        label: label.to_string(),
        record: report.record,
        setting: report.setting,
        observed_on: report.observed_on,
        observer: None,
        caregivers: None,
        source,
        practices,
        failures,
    })
}

fn scale_words(scale: &[i64]) -> String {
    scale_text(scale).render(Lang::En)
}

fn scale_text(scale: &[i64]) -> Text {
    match (scale.first(), scale.last()) {
        (Some(a), Some(b)) => Text::new(&catalogue::SCALE_LEVELS)
            .arg("first", *a)
            .arg("last", *b),
        _ => Text::new(&catalogue::SCALE_NO_LEVELS),
    }
}

/// A count out of a whole, with its percentage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Share {
    /// How many.
    pub count: usize,
    /// Out of how many.
    pub of: usize,
    /// `count / of` as a percentage to two decimals (rounded half up); `null` when `of` is 0.
    pub percent: Option<Hundredths>,
}

impl Share {
    fn new(count: usize, of: usize) -> Share {
        let percent = (of > 0).then(|| {
            let (c, o) = (count as i128, of as i128);
            Hundredths(((c * 20000 + o) / (2 * o)) as i64)
        });
        Share { count, of, percent }
    }
}

/// A number kept in hundredths, so it prints the same everywhere (`77.78`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hundredths(pub i64);

impl Serialize for Hundredths {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.0 as f64 / 100.0)
    }
}

impl std::fmt::Display for Hundredths {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        if a % 100 == 0 {
            write!(f, "{sign}{}", a / 100)
        } else {
            write!(f, "{sign}{}.{:02}", a / 100, a % 100)
        }
    }
}

/// A Cohen's kappa: its value, or why it has none.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Kappa {
    /// The kappa, from the exact fraction; `null` when undefined.
    pub value: Option<f64>,
    /// Why there is no value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Kappa {
    fn of(fraction: Fraction, words: Lang) -> Kappa {
        match fraction {
            Ok((num, den)) => {
                let g = gcd(num.unsigned_abs(), den.unsigned_abs()).max(1) as i128;
                Kappa {
                    value: Some((num / g) as f64 / (den / g) as f64),
                    reason: None,
                }
            }
            Err(reason) => Kappa {
                value: None,
                reason: Some(Text::new(reason).render(words)),
            },
        }
    }
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// How far the coaches agree on a set of ratings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// Ratings both coaches gave (an indicator in one visit pair), the only ones compared.
    pub compared: usize,
    /// Ratings where one coach rated and the other did not (not enough evidence or not
    /// applicable): counted here, listed in `not_rated`, never compared.
    pub one_rated: usize,
    /// Ratings where neither coach rated.
    pub neither_rated: usize,
    /// Both gave the same level.
    pub exact: Share,
    /// The levels are at most one apart.
    pub within_one: Share,
    /// Cohen's kappa, unweighted, over the rubric's full scale.
    pub kappa: Kappa,
    /// Cohen's kappa with quadratic weights `(i - j)²`, over the rubric's full scale.
    pub quadratic_kappa: Kappa,
}

const NO_PAIRS: &Template = &catalogue::KAPPA_NO_PAIRS;
const MIXED_SCALES: &Template = &catalogue::KAPPA_MIXED_SCALES;
const CHANCE_IS_ONE: &Template = &catalogue::KAPPA_CHANCE_IS_ONE;

/// The table of one set of ratings: pairs of levels on `scale`.
struct Tally<'s> {
    scale: Option<&'s [i64]>,
    words: Lang,
    pairs: Vec<(i64, i64)>,
    one_rated: usize,
    neither_rated: usize,
}

impl<'s> Tally<'s> {
    fn new(scale: Option<&'s [i64]>, words: Lang) -> Self {
        Tally {
            scale,
            words,
            pairs: Vec::new(),
            one_rated: 0,
            neither_rated: 0,
        }
    }

    fn add(&mut self, a: &SeenIndicator, b: &SeenIndicator) {
        match (a.level, b.level) {
            (Some(x), Some(y)) => self.pairs.push((x, y)),
            (None, None) => self.neither_rated += 1,
            _ => self.one_rated += 1,
        }
    }

    fn absorb(&mut self, other: &Tally<'_>) {
        self.pairs.extend_from_slice(&other.pairs);
        self.one_rated += other.one_rated;
        self.neither_rated += other.neither_rated;
    }

    fn stats(&self) -> Stats {
        let n = self.pairs.len();
        let exact = self.pairs.iter().filter(|(a, b)| a == b).count();
        let within = self
            .pairs
            .iter()
            .filter(|(a, b)| a.abs_diff(*b) <= 1)
            .count();
        let (kappa, quadratic) = match self.scale {
            None => (Err(MIXED_SCALES), Err(MIXED_SCALES)),
            Some(_) if n == 0 => (Err(NO_PAIRS), Err(NO_PAIRS)),
            Some(scale) => kappas(scale, &self.pairs),
        };
        Stats {
            compared: n,
            one_rated: self.one_rated,
            neither_rated: self.neither_rated,
            exact: Share::new(exact, n),
            within_one: Share::new(within, n),
            kappa: Kappa::of(kappa, self.words),
            quadratic_kappa: Kappa::of(quadratic, self.words),
        }
    }
}

type Fraction = Result<(i128, i128), &'static Template>;

/// Both kappas as exact fractions `(numerator, denominator)`, over the categories `scale`
/// (every level, used or not).
///
/// Unweighted: `κ = (p_o − p_e) / (1 − p_e)` with `p_o = Σ O_ii / n` and
/// `p_e = Σ r_i c_i / n²`, i.e. `(n·Σ O_ii − Σ r_i c_i) / (n² − Σ r_i c_i)`.
/// Quadratic: `κ_w = 1 − Σ w_ij O_ij / Σ w_ij E_ij` with `w_ij = (i − j)²` and
/// `E_ij = r_i c_j / n`, i.e. `(D_e − n·D_o) / D_e` with `D_o = Σ (a − b)²` over the ratings
/// and `D_e = Σ_ij (i − j)² r_i c_j`. `i`, `j` are positions on the scale.
fn kappas(scale: &[i64], pairs: &[(i64, i64)]) -> (Fraction, Fraction) {
    let k = scale.len();
    let mut rows = vec![0i128; k];
    let mut cols = vec![0i128; k];
    let mut diagonal = 0i128;
    let mut disagreement = 0i128;
    let pos = |level: i64| scale.iter().position(|l| *l == level);
    for (a, b) in pairs {
        let (Some(i), Some(j)) = (pos(*a), pos(*b)) else {
            // Levels are checked against the scale when read; nothing off it reaches here.
            continue;
        };
        if let Some(r) = rows.get_mut(i) {
            *r += 1;
        }
        if let Some(c) = cols.get_mut(j) {
            *c += 1;
        }
        if i == j {
            diagonal += 1;
        }
        let d = i as i128 - j as i128;
        disagreement += d * d;
    }
    let n: i128 = rows.iter().sum();
    let chance: i128 = rows.iter().zip(&cols).map(|(r, c)| r * c).sum();
    let mut expected_disagreement = 0i128;
    for (i, r) in rows.iter().enumerate() {
        for (j, c) in cols.iter().enumerate() {
            let d = i as i128 - j as i128;
            expected_disagreement += d * d * r * c;
        }
    }
    let unweighted = if n * n == chance {
        Err(CHANCE_IS_ONE)
    } else {
        Ok((n * diagonal - chance, n * n - chance))
    };
    let quadratic = if expected_disagreement == 0 {
        Err(CHANCE_IS_ONE)
    } else {
        Ok((
            expected_disagreement - n * disagreement,
            expected_disagreement,
        ))
    };
    (unweighted, quadratic)
}

/// One side of a visit pair, as the agreement names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VisitRef {
    /// Record id.
    pub record: String,
    /// Visit date.
    pub observed_on: String,
    /// Setting.
    pub setting: String,
    /// The coach's id, when the input was a record that names one.
    pub observer: Option<String>,
    /// The input's name in messages (not in the JSON, which is the same whatever the files).
    #[serde(skip)]
    pub label: String,
}

impl VisitRef {
    pub(crate) fn of(v: &RatedVisit) -> VisitRef {
        VisitRef {
            record: v.record.clone(),
            observed_on: v.observed_on.clone(),
            setting: v.setting.clone(),
            observer: v.observer.clone(),
            label: v.label.clone(),
        }
    }
}

/// Two coaches' records of one visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PairRef {
    /// The first coach's.
    pub a: VisitRef,
    /// The second coach's.
    pub b: VisitRef,
}

/// The rubric a practice's agreement is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RubricOf {
    /// Rubric id.
    pub id: String,
    /// Rubric version (the same on both sides of every pair).
    pub version: String,
    /// Practice.
    pub practice: String,
    /// Title.
    pub title: String,
}

/// Agreement on one indicator, pooled over the visit pairs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorAgreement {
    /// Indicator id.
    pub id: String,
    /// Title.
    pub title: String,
    /// The numbers.
    #[serde(flatten)]
    pub stats: Stats,
}

/// Agreement on one practice: its indicators pooled over the visit pairs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PracticeAgreement {
    /// The rubric.
    pub rubric: RubricOf,
    /// The kappa categories: every level of the scale, lowest first.
    pub scale: Vec<i64>,
    /// Where the scale was read from.
    pub scale_source: ScaleSource,
    /// The numbers over every indicator of the practice.
    #[serde(flatten)]
    pub stats: Stats,
    /// Each indicator.
    pub indicators: Vec<IndicatorAgreement>,
}

/// One coach's side of a rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Side {
    /// Rated, not enough evidence, or not applicable.
    pub outcome: Outcome,
    /// Level, when rated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<i64>,
    /// Level label, when rated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Evidence cited.
    pub evidence: Vec<String>,
    /// The items among the evidence as this coach recorded them, value and note (records
    /// only; left out when there is none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub recorded: Vec<Recorded>,
    /// The script's note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Why it was not rated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Side {
    fn of(i: &SeenIndicator, visit: Option<&RatedVisit>) -> Side {
        let source = visit.and_then(|v| v.source.as_ref());
        Side {
            outcome: i.outcome,
            level: i.level,
            label: i.label.clone(),
            evidence: i.evidence.clone(),
            recorded: source.map_or_else(Vec::new, |s| recorded(s, &i.evidence)),
            note: i.note.clone(),
            reason: i.reason.clone(),
        }
    }
}

/// What the record holds at an item the rating cites.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recorded {
    /// The cited path.
    pub path: String,
    /// The item's value (a text or a count).
    pub value: Value,
    /// The coach's note beside the item.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The items (`/items/<rubric>/<item>`) among `evidence`, as the record holds them; other paths
/// (lists of children, headcounts) are left to the record itself.
fn recorded(source: &Value, evidence: &[String]) -> Vec<Recorded> {
    evidence
        .iter()
        .filter(|p| p.starts_with("/items/"))
        .filter_map(|p| {
            let item = source.pointer(p)?;
            Some(Recorded {
                path: p.clone(),
                value: item.get("value")?.clone(),
                note: item.get("note").and_then(Value::as_str).map(str::to_string),
            })
        })
        .collect()
}

/// An indicator the coaches saw differently in one visit pair, both sides shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// Index of the visit pair (from 0).
    pub pair: usize,
    /// Rubric id.
    pub rubric: String,
    /// Practice title.
    pub practice_title: String,
    /// Indicator id.
    pub indicator: String,
    /// Indicator title.
    pub title: String,
    /// Levels apart (both rated), or `null` when one or both did not rate.
    pub apart: Option<i64>,
    /// The first coach's rating.
    pub a: Side,
    /// The second coach's.
    pub b: Side,
}

/// A practice that could not be compared in a visit pair, because it could not rate one side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotCompared {
    /// Index of the visit pair.
    pub pair: usize,
    /// Rubric id.
    pub rubric: String,
    /// Title.
    pub title: String,
    /// `a`, `b` or `both`: whose visit it could not rate.
    pub failed: &'static str,
}

/// Two coaches' ratings compared, per indicator, per practice and overall.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agreement {
    /// Always [`AGREEMENT_FORMAT`].
    pub format: &'static str,
    /// The visit pairs, in input order.
    pub pairs: Vec<PairRef>,
    /// Every practice pooled (kappas only when every practice uses the same scale).
    pub overall: Stats,
    /// Each practice, in report order.
    pub practices: Vec<PracticeAgreement>,
    /// Indicators both coaches rated at different levels.
    pub differences: Vec<Difference>,
    /// Indicators one or both coaches did not rate (not compared, listed here).
    pub not_rated: Vec<Difference>,
    /// Practices that could not rate one side of a pair (left out of every number).
    pub not_compared: Vec<NotCompared>,
    /// Pairs whose two visits differ in date or setting (still compared).
    pub warnings: Vec<String>,
}

fn refuse(message: Text, help: &'static Template) -> Diagnostic {
    Diagnostic::error_text(Code::Inconsistent, message).with_help_text(Text::new(help))
}

const SAME_RUBRICS: &Template = &catalogue::SAME_RUBRICS;

/// A setting as a pair's warning names it: the record's value in English, words in Spanish.
fn setting_words(setting: &str) -> Arg {
    match setting {
        "center" => Text::new(&catalogue::SETTING_CENTER).into(),
        "family-child-care" => Text::new(&catalogue::SETTING_FAMILY_CHILD_CARE).into(),
        other => other.into(),
    }
}

/// What one rubric looks like in the pairs compared: version, indicators and scale.
struct Shape<'v> {
    first: &'v SeenPractice,
    first_pair: usize,
}

/// Compares two coaches' ratings of each visit pair.
///
/// Refuses (with an error saying which pair, rubric and inputs) to compare a rubric whose
/// version, indicators or scale differ between the two sides or between pairs, and a pair in
/// which a rubric rated one side only. A practice that could not rate one side is listed in
/// `not_compared`.
pub fn agreement(pairs: &[(RatedVisit, RatedVisit)]) -> Result<Agreement, Diagnostics> {
    agreement_in(pairs, None)
}

/// [`agreement`] with the engine's words (why a kappa is undefined, what to check in a pair, why
/// ratings are refused) in `lang` (a tag such as `es`) where the engine has them; `None` or
/// English: byte for byte what [`agreement`] writes.
pub fn agreement_in(
    pairs: &[(RatedVisit, RatedVisit)],
    lang: Option<&str>,
) -> Result<Agreement, Diagnostics> {
    let words = Lang::of(lang);
    if pairs.is_empty() {
        return Err(Diagnostics(vec![Diagnostic::error(
            Code::MissingField,
            "no visit pair to compare",
        )
        .with_help("give two coaches' records or reports of the same visit")]));
    }
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut shapes: Vec<(String, Shape<'_>)> = Vec::new();
    let mut not_compared = Vec::new();
    // Rubric id -> per pair, both sides.
    let mut matched: BTreeMap<String, Vec<(usize, &SeenPractice, &SeenPractice)>> = BTreeMap::new();
    for (p, (a, b)) in pairs.iter().enumerate() {
        let n = p + 1;
        if a.observed_on != b.observed_on {
            warnings.push(
                Text::new(&catalogue::PAIR_OTHER_DAY)
                    .arg("n", n)
                    .arg("a", &a.label)
                    .arg("date_a", &a.observed_on)
                    .arg("b", &b.label)
                    .arg("date_b", &b.observed_on)
                    .render(words),
            );
        }
        if a.setting != b.setting {
            warnings.push(
                Text::new(&catalogue::PAIR_OTHER_SETTING)
                    .arg("n", n)
                    .arg("a", &a.label)
                    .arg("setting_a", setting_words(&a.setting))
                    .arg("b", &b.label)
                    .arg("setting_b", setting_words(&b.setting))
                    .render(words),
            );
        }
        let failed = |v: &RatedVisit, id: &str| v.failures.iter().any(|f| f.rubric == id);
        let find = |v: &'_ RatedVisit, id: &str| v.practices.iter().position(|s| s.rubric == id);
        let mut ids: Vec<(&str, &str)> = Vec::new();
        for v in [a, b] {
            for s in &v.practices {
                if !ids.iter().any(|(i, _)| *i == s.rubric) {
                    ids.push((&s.rubric, &s.title));
                }
            }
            for f in &v.failures {
                if !ids.iter().any(|(i, _)| *i == f.rubric) {
                    ids.push((&f.rubric, &f.title));
                }
            }
        }
        for (id, title) in ids {
            let sa = find(a, id).and_then(|i| a.practices.get(i));
            let sb = find(b, id).and_then(|i| b.practices.get(i));
            let (fa, fb) = (failed(a, id), failed(b, id));
            match (sa, sb) {
                (Some(x), Some(y)) => {
                    if let Some(e) = compare_shapes(n, x, &a.label, y, &b.label) {
                        errors.push(e);
                        continue;
                    }
                    match shapes.iter().find(|(i, _)| i == id) {
                        Some((_, shape)) => {
                            if let Some(e) = compare_across(shape, n, x, &a.label) {
                                errors.push(e);
                                continue;
                            }
                        }
                        None => shapes.push((
                            id.to_string(),
                            Shape {
                                first: x,
                                first_pair: n,
                            },
                        )),
                    }
                    matched.entry(id.to_string()).or_default().push((p, x, y));
                }
                _ if fa || fb => not_compared.push(NotCompared {
                    pair: p,
                    rubric: id.to_string(),
                    title: title.to_string(),
                    failed: match (fa, fb) {
                        (true, true) => "both",
                        (true, false) => "a",
                        _ => "b",
                    },
                }),
                (Some(_), None) | (None, Some(_)) => {
                    let (has, lacks) = if sa.is_some() {
                        (&a.label, &b.label)
                    } else {
                        (&b.label, &a.label)
                    };
                    errors.push(refuse(
                        Text::new(&catalogue::PAIR_NOT_IN_OTHER)
                            .arg("n", n)
                            .arg("id", id)
                            .arg("has", has)
                            .arg("lacks", lacks),
                        SAME_RUBRICS,
                    ));
                }
                (None, None) => {}
            }
        }
    }
    if !errors.is_empty() {
        return Err(Diagnostics(
            errors.iter().map(|d| d.in_language(lang)).collect(),
        ));
    }

    let common_scale: Option<&[i64]> = {
        let mut scales = shapes.iter().map(|(_, s)| s.first.scale.as_slice());
        let first = scales.next();
        match first {
            Some(f) if scales.all(|s| s == f) => Some(f),
            Some(_) => None,
            None => Some(&[]),
        }
    };
    let mut overall = Tally::new(common_scale, words);
    let mut practices = Vec::new();
    let mut differences = Vec::new();
    let mut not_rated = Vec::new();
    for (id, shape) in &shapes {
        let Some(rows) = matched.get(id) else {
            continue;
        };
        let s = shape.first;
        let mut whole = Tally::new(Some(&s.scale), words);
        let mut indicators = Vec::new();
        for (k, ind) in s.indicators.iter().enumerate() {
            let mut t = Tally::new(Some(&s.scale), words);
            for (p, x, y) in rows {
                let (Some(ia), Some(ib)) = (x.indicators.get(k), y.indicators.get(k)) else {
                    continue;
                };
                t.add(ia, ib);
                let apart = match (ia.level, ib.level) {
                    (Some(u), Some(v)) if u == v => continue,
                    (Some(u), Some(v)) => Some((u - v).abs()),
                    _ => None,
                };
                let entry = Difference {
                    pair: *p,
                    rubric: id.clone(),
                    practice_title: s.title.clone(),
                    indicator: ind.id.clone(),
                    title: ind.title.clone(),
                    apart,
                    a: Side::of(ia, pairs.get(*p).map(|(v, _)| v)),
                    b: Side::of(ib, pairs.get(*p).map(|(_, v)| v)),
                };
                if apart.is_some() {
                    differences.push(entry);
                } else {
                    not_rated.push(entry);
                }
            }
            whole.absorb(&t);
            indicators.push(IndicatorAgreement {
                id: ind.id.clone(),
                title: ind.title.clone(),
                stats: t.stats(),
            });
        }
        overall.absorb(&whole);
        practices.push(PracticeAgreement {
            rubric: RubricOf {
                id: s.rubric.clone(),
                version: s.version.clone(),
                practice: s.practice.clone(),
                title: s.title.clone(),
            },
            scale: s.scale.clone(),
            scale_source: s.scale_source,
            stats: whole.stats(),
            indicators,
        });
    }
    differences.sort_by_key(|d| d.pair);
    not_rated.sort_by_key(|d| d.pair);
    Ok(Agreement {
        format: AGREEMENT_FORMAT,
        pairs: pairs
            .iter()
            .map(|(a, b)| PairRef {
                a: VisitRef::of(a),
                b: VisitRef::of(b),
            })
            .collect(),
        overall: overall.stats(),
        practices,
        differences,
        not_rated,
        not_compared,
        warnings,
    })
}

/// Whether two sides of a pair used the same rubric version, indicators and scale.
fn compare_shapes(
    n: usize,
    x: &SeenPractice,
    a: &str,
    y: &SeenPractice,
    b: &str,
) -> Option<Diagnostic> {
    let id = &x.rubric;
    if x.version != y.version {
        return Some(refuse(
            Text::new(&catalogue::PAIR_OTHER_VERSION)
                .arg("n", n)
                .arg("id", id)
                .arg("version_a", &x.version)
                .arg("a", a)
                .arg("version_b", &y.version)
                .arg("b", b),
            SAME_RUBRICS,
        ));
    }
    shape_difference(x, y).map(|what| {
        refuse(
            Text::new(&catalogue::PAIR_OTHER_SHAPE)
                .arg("n", n)
                .arg("id", id)
                .arg("version", &x.version)
                .arg("what", what)
                .arg("a", a)
                .arg("b", b),
            SAME_RUBRICS,
        )
    })
}

/// Whether a later pair used the same rubric version, indicators and scale as the first.
fn compare_across(shape: &Shape<'_>, n: usize, x: &SeenPractice, a: &str) -> Option<Diagnostic> {
    let first = shape.first;
    let id = &x.rubric;
    const HELP: &Template = &catalogue::POOL_ONE_VERSION;
    if x.version != first.version {
        return Some(refuse(
            Text::new(&catalogue::POOL_OTHER_VERSION)
                .arg("id", id)
                .arg("version", &x.version)
                .arg("n", n)
                .arg("a", a)
                .arg("first_version", &first.version)
                .arg("first", shape.first_pair),
            HELP,
        ));
    }
    shape_difference(x, first).map(|what| {
        refuse(
            Text::new(&catalogue::POOL_OTHER_SHAPE)
                .arg("id", id)
                .arg("version", &x.version)
                .arg("what", what)
                .arg("n", n)
                .arg("a", a)
                .arg("first", shape.first_pair),
            HELP,
        )
    })
}

/// How two practices of the same id and version differ: indicators or scale.
fn shape_difference(x: &SeenPractice, y: &SeenPractice) -> Option<Text> {
    let (ix, iy) = (x.indicator_ids(), y.indicator_ids());
    if ix != iy {
        let only_x: Vec<&str> = ix.iter().filter(|i| !iy.contains(i)).copied().collect();
        let only_y: Vec<&str> = iy.iter().filter(|i| !ix.contains(i)).copied().collect();
        let (here, there) = (crate::json::quoted(&only_x), crate::json::quoted(&only_y));
        let parts = match (only_x.is_empty(), only_y.is_empty()) {
            (false, false) => Text::new(&catalogue::ONLY_HERE_AND_THERE)
                .arg("here", here)
                .arg("there", there),
            (false, true) => Text::new(&catalogue::ONLY_HERE).arg("ids", here),
            (true, false) => Text::new(&catalogue::ONLY_THERE).arg("ids", there),
            (true, true) => Text::new(&catalogue::IN_ANOTHER_ORDER),
        };
        return Some(Text::new(&catalogue::OTHER_INDICATORS).arg("parts", parts));
    }
    if x.scale != y.scale {
        return Some(
            Text::new(&catalogue::ANOTHER_SCALE)
                .arg("levels", scale_text(&x.scale))
                .arg("other", scale_text(&y.scale)),
        );
    }
    None
}

impl Agreement {
    /// True when something could not be compared (a practice that could not rate one side)
    /// or a pair's two visits differ in date or setting.
    pub fn has_findings(&self) -> bool {
        !self.not_compared.is_empty() || !self.warnings.is_empty()
    }

    /// The agreement as a coach reads it: where the coaches agreed first, then the indicators
    /// to talk through together, each with both ratings, evidence and notes.
    pub fn to_text(&self) -> String {
        self.to_text_in(None)
    }

    /// [`Agreement::to_text`] with its own words (headings, labels, kappa words) in `lang` (a
    /// tag such as `es`) where the engine has them; the reasons and warnings are in the
    /// language the agreement was made in ([`agreement_in`]). `None` or English: byte for byte
    /// what [`Agreement::to_text`] writes.
    pub fn to_text_in(&self, lang: Option<&str>) -> String {
        let words = Lang::of(lang);
        let say = |t: &'static Template| Text::new(t).render(words);
        let mut out = String::new();
        let visits = self.pairs.len();
        out.push_str(
            &Text::new(&catalogue::AT_HEADING)
                .arg(
                    "visits",
                    count_in(words, visits, &catalogue::N_VISIT, &catalogue::N_VISITS),
                )
                .render(words),
        );
        out.push('\n');
        for (p, pair) in self.pairs.iter().enumerate() {
            out.push_str(&format!(
                "  {}\n",
                Text::new(&catalogue::AT_VISIT)
                    .arg("n", p + 1)
                    .arg("a", side_name(&pair.a, words))
                    .arg("b", side_name(&pair.b, words))
                    .render(words)
            ));
        }
        if !self.warnings.is_empty() {
            out.push_str(&format!("\n{}\n", say(&catalogue::AT_CHECK_FIRST)));
            for w in &self.warnings {
                out.push_str(&format!("  {w}\n"));
            }
        }
        let o = &self.overall;
        out.push_str(&format!("\n{}\n", say(&catalogue::AT_WHERE_AGREE)));
        if o.compared == 0 {
            out.push_str(&format!("  {}\n", say(&catalogue::AT_NOTHING)));
        } else {
            out.push_str(&format!(
                "  {}\n",
                Text::new(&catalogue::AT_SUMMARY)
                    .arg(
                        "compared",
                        count_in(
                            words,
                            o.compared,
                            &catalogue::N_INDICATOR,
                            &catalogue::N_INDICATORS
                        )
                    )
                    .arg("exact", o.exact.count)
                    .arg("exact_pct", pct(&o.exact))
                    .arg("within", o.within_one.count)
                    .arg("within_pct", pct(&o.within_one))
                    .render(words)
            ));
            out.push_str(&format!(
                "  {}\n",
                Text::new(&catalogue::AT_KAPPA)
                    .arg("kappa", kappa_words(&o.kappa, words))
                    .arg("weighted", kappa_words(&o.quadratic_kappa, words))
                    .render(words)
            ));
        }
        if o.one_rated + o.neither_rated > 0 {
            out.push_str(&format!(
                "  {}\n",
                Text::new(&catalogue::AT_NOT_COMPARED_COUNT)
                    .arg("one", o.one_rated)
                    .arg("neither", o.neither_rated)
                    .render(words)
            ));
        }

        out.push_str(&format!("\n{}\n", say(&catalogue::AT_BY_PRACTICE)));
        for p in &self.practices {
            out.push_str(&format!("  {} ({})\n", p.rubric.title, p.rubric.version));
            out.push_str(&format!("      {}\n", stats_line(&p.stats, words)));
            if visits > 1 {
                for i in &p.indicators {
                    out.push_str(&format!(
                        "      - {}: {}\n",
                        i.title,
                        stats_line(&i.stats, words)
                    ));
                }
            }
        }

        out.push_str(&format!("\n{}\n", say(&catalogue::AT_TALK_THROUGH)));
        if self.differences.is_empty() {
            out.push_str(&format!("  {}\n", say(&catalogue::AT_ALL_SAME)));
        }
        for d in &self.differences {
            let pair = self.pairs.get(d.pair);
            let levels = count_in(
                words,
                d.apart.unwrap_or(0).unsigned_abs() as usize,
                &catalogue::N_LEVEL,
                &catalogue::N_LEVELS,
            );
            out.push_str(&format!(
                "  > {} — {}{}{}\n",
                d.practice_title,
                d.title,
                visit_suffix(visits, d.pair, words),
                Text::new(&catalogue::AT_APART)
                    .arg("levels", levels)
                    .render(words)
            ));
            for (name, side) in [
                (pair.map(|p| short_name(&p.a)), &d.a),
                (pair.map(|p| short_name(&p.b)), &d.b),
            ] {
                side_lines(&mut out, &name.unwrap_or_default(), side, words);
            }
        }

        if !self.not_rated.is_empty() {
            out.push_str(&format!("\n{}\n", say(&catalogue::AT_NOT_RATED)));
            for d in &self.not_rated {
                let pair = self.pairs.get(d.pair);
                out.push_str(&format!(
                    "  - {} — {}{}\n",
                    d.practice_title,
                    d.title,
                    visit_suffix(visits, d.pair, words)
                ));
                for (name, side) in [
                    (pair.map(|p| short_name(&p.a)), &d.a),
                    (pair.map(|p| short_name(&p.b)), &d.b),
                ] {
                    side_lines(&mut out, &name.unwrap_or_default(), side, words);
                }
            }
        }
        if !self.not_compared.is_empty() {
            out.push_str(&format!("\n{}\n", say(&catalogue::AT_NOT_COMPARED)));
            for n in &self.not_compared {
                let who = match n.failed {
                    "both" => say(&catalogue::AT_EITHER_RECORD),
                    side => self
                        .pairs
                        .get(n.pair)
                        .map(|p| if side == "a" { &p.a } else { &p.b })
                        .map_or_else(String::new, |v| format!("`{}`", v.label)),
                };
                out.push_str(&format!(
                    "  - {}\n",
                    Text::new(&catalogue::AT_COULD_NOT_RATE)
                        .arg(
                            "title",
                            format!("{}{}", n.title, visit_suffix(visits, n.pair, words))
                        )
                        .arg("who", who)
                        .render(words)
                ));
            }
        }
        out.push_str(&format!("\n{}\n", say(&catalogue::AT_KAPPA_NOTE)));
        out
    }
}

fn visit_suffix(visits: usize, pair: usize, words: Lang) -> String {
    if visits > 1 {
        Text::new(&catalogue::AT_VISIT_SUFFIX)
            .arg("n", pair + 1)
            .render(words)
    } else {
        String::new()
    }
}

fn side_name(v: &VisitRef, words: Lang) -> String {
    let coach = v.observer.as_deref().map_or_else(String::new, |o| {
        Text::new(&catalogue::AT_COACH).arg("id", o).render(words)
    });
    format!("{} ({}{coach}, {})", v.label, v.record, v.observed_on)
}

/// A coach's side as a listing names it: the coach's id when the record gives one, and the file.
fn short_name(v: &VisitRef) -> String {
    match &v.observer {
        Some(o) => format!("{o} ({})", v.label),
        None => v.label.clone(),
    }
}

fn side_lines(out: &mut String, name: &str, side: &Side, words: Lang) {
    match side.level {
        Some(level) => {
            out.push_str(&format!(
                "      {name}: {level} {}\n",
                side.label.as_deref().unwrap_or("")
            ));
            if let Some(n) = &side.note {
                out.push_str(&format!(
                    "          {}\n",
                    Text::new(&catalogue::AT_SEEN).arg("note", n).render(words)
                ));
            }
            for r in &side.recorded {
                let value = match &r.value {
                    Value::String(t) => t.clone(),
                    other => other.to_string(),
                };
                let note = r
                    .note
                    .as_deref()
                    .map_or_else(String::new, |n| format!(" — {n}"));
                out.push_str(&format!(
                    "          {}\n",
                    Text::new(&catalogue::AT_RECORDED)
                        .arg("value", value)
                        .arg("note", note)
                        .arg("path", &r.path)
                        .render(words)
                ));
            }
            let evidence = if side.evidence.is_empty() {
                Text::new(&catalogue::AT_NONE_CITED).render(words)
            } else {
                side.evidence.join(", ")
            };
            out.push_str(&format!(
                "          {}\n",
                Text::new(&catalogue::AT_EVIDENCE)
                    .arg("paths", evidence)
                    .render(words)
            ));
        }
        None => out.push_str(&format!(
            "      {name}: {}{}\n",
            side.outcome.words_in(words),
            side.reason
                .as_deref()
                .map_or_else(String::new, |r| format!(" — {r}"))
        )),
    }
}

fn pct(s: &Share) -> String {
    s.percent
        .map_or_else(|| "—".to_string(), |p| format!("{p}%"))
}

fn kappa_words(k: &Kappa, words: Lang) -> String {
    match k.value {
        Some(v) => format!("{v:.2}"),
        None => Text::new(&catalogue::AT_NO_KAPPA)
            .arg(
                "reason",
                k.reason
                    .clone()
                    .unwrap_or_else(|| Text::new(&catalogue::AT_UNDEFINED).render(words)),
            )
            .render(words),
    }
}

fn short_kappa(k: &Kappa) -> String {
    k.value
        .map_or_else(|| "—".to_string(), |v| format!("{v:.2}"))
}

fn stats_line(s: &Stats, words: Lang) -> String {
    if s.compared == 0 {
        return Text::new(&catalogue::AT_NONE_BY_BOTH)
            .arg("one", s.one_rated)
            .arg("neither", s.neither_rated)
            .render(words);
    }
    let mut line = Text::new(&catalogue::AT_STATS)
        .arg("exact", s.exact.count)
        .arg("compared", s.compared)
        .arg("exact_pct", pct(&s.exact))
        .arg("within", s.within_one.count)
        .arg("within_pct", pct(&s.within_one))
        .arg("kappa", short_kappa(&s.kappa))
        .arg("weighted", short_kappa(&s.quadratic_kappa))
        .render(words);
    if s.one_rated + s.neither_rated > 0 {
        line.push_str(
            &Text::new(&catalogue::AT_STATS_NOT_COMPARED)
                .arg("one", s.one_rated)
                .arg("neither", s.neither_rated)
                .render(words),
        );
    }
    line
}

/// `n` with the catalogue's word for one or for many, in `words`.
pub(crate) fn count_in(
    words: Lang,
    n: usize,
    one: &'static Template,
    many: &'static Template,
) -> String {
    Text::new(if n == 1 { one } else { many })
        .arg("n", n)
        .render(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frac(f: Fraction) -> Option<f64> {
        f.ok().map(|(n, d)| n as f64 / d as f64)
    }

    #[test]
    fn a_two_by_two_table_by_hand() {
        // Levels 1 and 2; 10 ratings: (1,1)×4, (1,2)×1, (2,1)×2, (2,2)×3.
        // p_o = 7/10; rows 5,5; cols 6,4; p_e = (5·6 + 5·4)/100 = 1/2.
        // κ = (0.7 − 0.5)/(1 − 0.5) = 0.4. Quadratic weights are 0/1 on two levels: the same.
        let mut pairs = vec![(1, 1); 4];
        pairs.push((1, 2));
        pairs.extend([(2, 1); 2]);
        pairs.extend([(2, 2); 3]);
        let (k, q) = kappas(&[1, 2], &pairs);
        assert_eq!(k, Ok((20, 50)));
        assert_eq!(frac(k), Some(0.4));
        assert_eq!(frac(q), Some(0.4));
    }

    #[test]
    fn one_shared_level_has_no_kappa() {
        let (k, q) = kappas(&[1, 2, 3], &[(2, 2), (2, 2)]);
        assert_eq!(k, Err(CHANCE_IS_ONE));
        assert_eq!(q, Err(CHANCE_IS_ONE));
        // Each coach always one level, but different ones: defined, and zero.
        let (k, q) = kappas(&[1, 2, 3], &[(1, 3), (1, 3)]);
        assert_eq!(frac(k), Some(0.0));
        assert_eq!(frac(q), Some(0.0));
    }

    #[test]
    fn percentages_round_half_up() {
        assert_eq!(Share::new(2, 3).percent, Some(Hundredths(6667)));
        assert_eq!(Share::new(1, 8).percent, Some(Hundredths(1250)));
        assert_eq!(Share::new(0, 0).percent, None);
        assert_eq!(Hundredths(7500).to_string(), "75");
        assert_eq!(Hundredths(-5).to_string(), "-0.05");
    }
}
