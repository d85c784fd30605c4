//! Results: ratings with cited evidence, strengths first, then growth areas and questions.

use crate::diagnostic::Diagnostic;
use crate::locale::{fill, Words};
use crate::record::Setting;
use crate::rubric::{Indicator, IndicatorKind, RubricMeta, PRACTICES};
use serde::Serialize;

/// Format tag of one rubric's result.
pub const RESULT_FORMAT: &str = "rubrica.result/1";
/// Format tag of a six-practice report.
pub const REPORT_FORMAT: &str = "rubrica.report/1";

/// Which engine wrote a result or report: its name and crate version, so a stored report says
/// what produced it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct EngineInfo {
    /// Always `rubrica`.
    pub name: &'static str,
    /// The engine's version, e.g. `0.1.0`.
    pub version: &'static str,
}

/// This engine: `{"name": "rubrica", "version": "<crate version>"}`.
pub const ENGINE_INFO: EngineInfo = EngineInfo {
    name: "rubrica",
    version: env!("CARGO_PKG_VERSION"),
};

/// What an indicator function decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndicatorOutcome {
    /// Rated at `level`, citing `evidence` (JSON pointers into the record).
    Rated {
        /// Level on the scale.
        level: i64,
        /// Record paths the rating rests on.
        evidence: Vec<String>,
        /// The script's note for the coach.
        note: Option<String>,
    },
    /// The record does not let the indicator be rated.
    NotEnoughEvidence {
        /// What is missing.
        reason: String,
    },
    /// The indicator does not apply to this group (declared in the rubric's metadata and
    /// checked by the engine); never part of a score, its questions are not asked.
    NotApplicable {
        /// Why it does not apply.
        reason: String,
    },
}

/// The most questions per practice the report puts forward for one conversation; the full
/// list stays in `reflective_questions`.
pub const FOCUSED_QUESTIONS: usize = 5;

/// Which rubric a result comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RubricRef {
    /// Rubric id.
    pub id: String,
    /// Rubric version.
    pub version: String,
    /// Practice rated.
    pub practice: String,
    /// Title.
    pub title: String,
}

/// Whether the practice could be scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Enough indicators were rated for a practice score.
    Rated,
    /// Too few indicators had evidence; no score is given (this is not a low score).
    NotEnoughEvidence,
}

/// How many indicators were rated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// Indicators rated.
    pub rated: usize,
    /// Indicators that apply to this group (the rubric's indicators less the not applicable).
    pub total: usize,
    /// Rated as a whole percentage of total.
    pub percent: i64,
    /// Indicators that do not apply to this group.
    pub not_applicable: usize,
}

/// A practice score: the mean rated level, to two decimals (kept as hundredths so it prints the
/// same everywhere).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Score {
    /// Mean level times 100, rounded half up.
    pub hundredths: i64,
}

impl Serialize for Score {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.hundredths as f64 / 100.0)
    }
}

impl std::fmt::Display for Score {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{:02}", self.hundredths / 100, self.hundredths % 100)
    }
}

/// Something the caregiver does well.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Strength {
    /// Indicator id.
    pub indicator: String,
    /// Indicator title.
    pub title: String,
    /// Level given.
    pub level: i64,
    /// Level label.
    pub label: String,
    /// The strength, named.
    pub text: String,
    /// The script's note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Evidence cited.
    pub evidence: Vec<String>,
}

/// A place to grow, phrased as a next step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GrowthArea {
    /// Indicator id.
    pub indicator: String,
    /// Indicator title.
    pub title: String,
    /// Level given.
    pub level: i64,
    /// Level label.
    pub label: String,
    /// The next step.
    pub next_step: String,
    /// The script's note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Evidence cited.
    pub evidence: Vec<String>,
}

/// An open question for the coaching conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReflectiveQuestion {
    /// The indicator it belongs to (none for the rubric's opening questions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indicator: Option<String>,
    /// The question.
    pub question: String,
}

/// An indicator that could not be rated from this record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingEvidence {
    /// Indicator id.
    pub indicator: String,
    /// Indicator title.
    pub title: String,
    /// What was missing, from the script.
    pub reason: String,
    /// What to gather next time, from the rubric.
    pub gather: String,
}

/// One indicator's rating, as the indicator table shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndicatorRating {
    /// Indicator id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Structural or process.
    pub kind: IndicatorKind,
    /// `rated`, `not-enough-evidence` or `not-applicable`.
    pub outcome: &'static str,
    /// Level, when rated.
    pub level: Option<i64>,
    /// Level label, when rated.
    pub label: Option<String>,
    /// Evidence cited (empty when not rated).
    pub evidence: Vec<String>,
    /// Script note, when rated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// What was missing, or why the indicator does not apply, when not rated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// One rubric's result for one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RubricResult {
    /// Always [`RESULT_FORMAT`].
    pub format: &'static str,
    /// The engine that wrote it ([`ENGINE_INFO`]).
    pub engine: EngineInfo,
    /// The rubric.
    pub rubric: RubricRef,
    /// The language of the result's texts, when a language was asked for: the one asked for,
    /// or the rubric's source language when the rubric does not have it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The record id.
    pub record: String,
    /// Rated or not enough evidence.
    pub status: Status,
    /// Practice score (mean rated level), when rated.
    pub score: Option<Score>,
    /// The scale's top level, so a score reads as `score / max`.
    pub scale_max: i64,
    /// Indicators rated.
    pub coverage: Coverage,
    /// Strengths, strongest first.
    pub strengths: Vec<Strength>,
    /// Growth areas, closest to a strength first.
    pub growth_areas: Vec<GrowthArea>,
    /// Reflective questions: opening, then growth areas, then missing evidence (the full list).
    pub reflective_questions: Vec<ReflectiveQuestion>,
    /// At most [`FOCUSED_QUESTIONS`] of them for one conversation: growth areas first, then
    /// missing evidence, then the opening questions.
    pub focused_questions: Vec<ReflectiveQuestion>,
    /// Indicators without enough evidence.
    pub missing_evidence: Vec<MissingEvidence>,
    /// Every indicator, in rubric order.
    pub indicators: Vec<IndicatorRating>,
    /// Warnings about the record for this rubric.
    pub warnings: Vec<Diagnostic>,
}

/// Builds a result from the outcomes of every indicator (in rubric order).
pub(crate) fn build_result(
    meta: &RubricMeta,
    record: &str,
    outcomes: Vec<IndicatorOutcome>,
    warnings: Vec<Diagnostic>,
) -> RubricResult {
    let label = |level: i64| {
        meta.scale
            .level(level)
            .map(|l| l.label.clone())
            .unwrap_or_default()
    };
    let mut strengths = Vec::new();
    let mut growth = Vec::new();
    let mut missing = Vec::new();
    let mut indicators = Vec::new();
    let mut sum = 0i64;
    let mut rated = 0usize;
    let mut not_applicable = 0usize;
    for (order, (ind, outcome)) in meta.indicators.iter().zip(outcomes).enumerate() {
        match outcome {
            IndicatorOutcome::Rated {
                level,
                evidence,
                note,
            } => {
                sum += level;
                rated += 1;
                if level >= meta.scale.strength_from {
                    strengths.push((
                        order,
                        Strength {
                            indicator: ind.id.clone(),
                            title: ind.title.clone(),
                            level,
                            label: label(level),
                            text: ind.strength_at(level).to_string(),
                            note: note.clone(),
                            evidence: evidence.clone(),
                        },
                    ));
                } else {
                    growth.push((
                        order,
                        GrowthArea {
                            indicator: ind.id.clone(),
                            title: ind.title.clone(),
                            level,
                            label: label(level),
                            next_step: ind.next_step_at(level).to_string(),
                            note: note.clone(),
                            evidence: evidence.clone(),
                        },
                    ));
                }
                indicators.push(IndicatorRating {
                    id: ind.id.clone(),
                    title: ind.title.clone(),
                    kind: ind.kind,
                    outcome: "rated",
                    level: Some(level),
                    label: Some(label(level)),
                    evidence,
                    note,
                    reason: None,
                });
            }
            IndicatorOutcome::NotEnoughEvidence { reason } => {
                missing.push(MissingEvidence {
                    indicator: ind.id.clone(),
                    title: ind.title.clone(),
                    reason: reason.clone(),
                    gather: ind.evidence.clone(),
                });
                indicators.push(IndicatorRating {
                    id: ind.id.clone(),
                    title: ind.title.clone(),
                    kind: ind.kind,
                    outcome: "not-enough-evidence",
                    level: None,
                    label: None,
                    evidence: Vec::new(),
                    note: None,
                    reason: Some(reason),
                });
            }
            IndicatorOutcome::NotApplicable { reason } => {
                not_applicable += 1;
                indicators.push(IndicatorRating {
                    id: ind.id.clone(),
                    title: ind.title.clone(),
                    kind: ind.kind,
                    outcome: "not-applicable",
                    level: None,
                    label: None,
                    evidence: Vec::new(),
                    note: None,
                    reason: Some(reason),
                });
            }
        }
    }
    // Strongest first; growth areas closest to becoming a strength first (achievable next
    // steps open the conversation). Ties keep rubric order.
    strengths.sort_by_key(|(order, s)| (std::cmp::Reverse(s.level), *order));
    growth.sort_by_key(|(order, g)| (std::cmp::Reverse(g.level), *order));
    let strengths: Vec<Strength> = strengths.into_iter().map(|(_, s)| s).collect();
    let growth_areas: Vec<GrowthArea> = growth.into_iter().map(|(_, g)| g).collect();

    let mut questions: Vec<ReflectiveQuestion> = meta
        .questions
        .iter()
        .map(|q| ReflectiveQuestion {
            indicator: None,
            question: q.clone(),
        })
        .collect();
    let first_question = |id: &str| -> Option<ReflectiveQuestion> {
        meta.indicators
            .iter()
            .find(|i| i.id == id)
            .and_then(|i: &Indicator| i.questions.first())
            .map(|q| ReflectiveQuestion {
                indicator: Some(id.to_string()),
                question: q.clone(),
            })
    };
    let for_growth: Vec<ReflectiveQuestion> = growth_areas
        .iter()
        .filter_map(|g| first_question(&g.indicator))
        .collect();
    let for_missing: Vec<ReflectiveQuestion> = missing
        .iter()
        .filter_map(|m| first_question(&m.indicator))
        .collect();
    let focused: Vec<ReflectiveQuestion> = for_growth
        .iter()
        .chain(&for_missing)
        .chain(&questions)
        .take(FOCUSED_QUESTIONS)
        .cloned()
        .collect();
    questions.extend(for_growth);
    questions.extend(for_missing);

    let total = meta.indicators.len() - not_applicable;
    let percent = (rated * 100).checked_div(total).unwrap_or(0) as i64;
    let enough = rated > 0 && percent >= meta.min_coverage_percent;
    let score = enough.then(|| Score {
        hundredths: (sum * 200 + rated as i64) / (2 * rated as i64),
    });
    RubricResult {
        format: RESULT_FORMAT,
        engine: ENGINE_INFO,
        rubric: RubricRef {
            id: meta.id.clone(),
            version: meta.version.clone(),
            practice: meta.practice.clone(),
            title: meta.title.clone(),
        },
        language: None,
        record: record.to_string(),
        status: if enough {
            Status::Rated
        } else {
            Status::NotEnoughEvidence
        },
        score,
        scale_max: meta.scale.max(),
        coverage: Coverage {
            rated,
            total,
            percent,
            not_applicable,
        },
        strengths,
        growth_areas,
        reflective_questions: questions,
        focused_questions: focused,
        missing_evidence: missing,
        indicators,
        warnings,
    }
}

/// One practice's entry in a report: its result, or why it could not be produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum PracticeEntry {
    /// The rubric rated the record.
    Success {
        /// The result.
        result: Box<RubricResult>,
    },
    /// The rubric could not rate the record.
    Failure {
        /// Rubric id.
        rubric: String,
        /// Rubric title.
        title: String,
        /// What went wrong.
        errors: Vec<Diagnostic>,
    },
}

/// Results of several rubrics (normally the six practices) for one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Always [`REPORT_FORMAT`].
    pub format: &'static str,
    /// The engine that wrote it ([`ENGINE_INFO`]).
    pub engine: EngineInfo,
    /// The language asked for, when one was: the engine's words in the text report are in it,
    /// and each result's `language` says which language its texts are in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Record id.
    pub record: String,
    /// The record's format tag, for a record that is not an observation (absent for an
    /// observation, whose report is as it always was).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record_format: Option<&'static str>,
    /// Setting of the visit (absent for a reflection record).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub setting: Option<Setting>,
    /// Visit date; for a reflection record, the date of the reflection.
    pub observed_on: String,
    /// Minutes observed (absent for a reflection record).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minutes: Option<i64>,
    /// Warnings about the record itself.
    pub warnings: Vec<Diagnostic>,
    /// One entry per rubric, the six practices first in their usual order.
    pub practices: Vec<PracticeEntry>,
}

/// Orders practices: the six PITC practices in their usual order, then others by id.
pub(crate) fn practice_rank(practice: &str) -> (usize, String) {
    (
        PRACTICES
            .iter()
            .position(|p| *p == practice)
            .unwrap_or(PRACTICES.len()),
        practice.to_string(),
    )
}

impl Report {
    /// Renders the report the way a coach reads it: overview, strengths first, then next steps,
    /// reflective questions, and what to gather next time.
    pub fn to_text(&self) -> String {
        let w = Words::of(self.language.as_deref());
        let mut out = String::new();
        match (self.setting, self.minutes) {
            (Some(setting), Some(minutes)) => {
                let setting = match setting {
                    Setting::Center => w.center,
                    Setting::FamilyChildCare => w.family_child_care,
                };
                out.push_str(&fill(
                    w.observation,
                    &[
                        &self.record,
                        setting,
                        &self.observed_on,
                        &minutes.to_string(),
                    ],
                ));
            }
            _ => out.push_str(&fill(w.reflection, &[&self.record, &self.observed_on])),
        }
        out.push('\n');
        let results: Vec<&RubricResult> = self
            .practices
            .iter()
            .filter_map(|p| match p {
                PracticeEntry::Success { result } => Some(&**result),
                PracticeEntry::Failure { .. } => None,
            })
            .collect();
        // Warnings about the record come first: they may change how the rest is read.
        let warnings: Vec<&Diagnostic> = self
            .warnings
            .iter()
            .chain(results.iter().flat_map(|r| r.warnings.iter()))
            .collect();
        if !warnings.is_empty() {
            out.push_str(&format!("\n{}\n", w.check_record_first));
            for d in &warnings {
                out.push_str(&format!("  {}\n", d.headline_in(self.language.as_deref())));
            }
        }

        out.push_str(&format!("\n{}\n", w.overview));
        // Titles in a column at least 30 wide, wider when a title is longer (as translated
        // titles may be).
        let width = self
            .practices
            .iter()
            .map(|p| match p {
                PracticeEntry::Success { result } => result.rubric.title.chars().count(),
                PracticeEntry::Failure { title, .. } => title.chars().count(),
            })
            .fold(30, usize::max);
        for p in &self.practices {
            match p {
                PracticeEntry::Success { result: r } => {
                    let score = match r.score {
                        Some(s) => format!("{s} / {}", r.scale_max),
                        None => w.not_enough_evidence_yet.into(),
                    };
                    let na = if r.coverage.not_applicable > 0 {
                        fill(
                            w.not_applicable_count,
                            &[&r.coverage.not_applicable.to_string()],
                        )
                    } else {
                        String::new()
                    };
                    let rated = fill(
                        w.rated_of,
                        &[
                            &r.coverage.rated.to_string(),
                            &w.count(r.coverage.total, w.indicator, w.indicators),
                            &na,
                        ],
                    );
                    out.push_str(&format!(
                        "  {:<width$} {:<24} {rated}\n",
                        r.rubric.title, score
                    ));
                }
                PracticeEntry::Failure { title, errors, .. } => {
                    let problems = w.count(errors.len(), w.problem, w.problems);
                    out.push_str(&format!(
                        "  {title:<width$} {}\n",
                        fill(w.could_not_be_scored, &[&problems])
                    ));
                }
            }
        }

        out.push_str(&format!("\n{}\n", w.strengths));
        let mut any = false;
        for r in &results {
            for s in &r.strengths {
                any = true;
                out.push_str(&format!(
                    "  + {} — {} ({} {})\n      {}\n",
                    r.rubric.title, s.title, s.level, s.label, s.text
                ));
                if let Some(n) = &s.note {
                    out.push_str(&format!("      {}: {n}\n", w.seen));
                }
                out.push_str(&format!(
                    "      {}: {}\n",
                    w.evidence,
                    s.evidence.join(", ")
                ));
            }
        }
        if !any {
            let rated: usize = results.iter().map(|r| r.coverage.rated).sum();
            if rated == 0 {
                out.push_str(&format!("  {}\n", w.nothing_rated));
            } else {
                out.push_str(&format!(
                    "  {}\n",
                    fill(
                        w.none_reached,
                        &[&w.count(rated, w.indicator, w.indicators)]
                    )
                ));
            }
        }

        out.push_str(&format!("\n{}\n", w.growth_areas));
        any = false;
        for r in &results {
            for g in &r.growth_areas {
                any = true;
                out.push_str(&format!(
                    "  > {} — {} ({} {})\n      {}: {}\n",
                    r.rubric.title, g.title, g.level, g.label, w.next_step, g.next_step
                ));
                if let Some(n) = &g.note {
                    out.push_str(&format!("      {}: {n}\n", w.seen));
                }
                out.push_str(&format!(
                    "      {}: {}\n",
                    w.evidence,
                    g.evidence.join(", ")
                ));
            }
        }
        if !any {
            out.push_str(&format!("  {}\n", w.none));
        }

        out.push_str(&format!("\n{}\n", w.questions));
        let mut more = 0;
        for r in &results {
            for q in &r.focused_questions {
                out.push_str(&format!("  ? {}\n", q.question));
            }
            more += r
                .reflective_questions
                .len()
                .saturating_sub(r.focused_questions.len());
        }
        if more > 0 {
            out.push_str(&format!(
                "  {}\n",
                fill(w.more_questions, &[&more.to_string()])
            ));
        }

        let gaps: Vec<(&RubricResult, &MissingEvidence)> = results
            .iter()
            .flat_map(|r| r.missing_evidence.iter().map(move |m| (*r, m)))
            .collect();
        if !gaps.is_empty() {
            out.push_str(&format!("\n{}\n", w.not_enough_heading));
            for (r, m) in gaps {
                out.push_str(&format!(
                    "  - {} — {}: {}\n      {}: {}\n",
                    r.rubric.title, m.title, m.reason, w.look_for, m.gather
                ));
            }
        }

        let not_applicable: Vec<(&RubricResult, &IndicatorRating)> = results
            .iter()
            .flat_map(|r| {
                r.indicators
                    .iter()
                    .filter(|i| i.outcome == "not-applicable")
                    .map(move |i| (*r, i))
            })
            .collect();
        if !not_applicable.is_empty() {
            out.push_str(&format!("\n{}\n", w.does_not_apply));
            for (r, i) in not_applicable {
                out.push_str(&format!(
                    "  - {} — {}: {}\n",
                    r.rubric.title,
                    i.title,
                    i.reason.as_deref().unwrap_or("")
                ));
            }
        }

        let failures: Vec<&PracticeEntry> = self
            .practices
            .iter()
            .filter(|p| matches!(p, PracticeEntry::Failure { .. }))
            .collect();
        if !failures.is_empty() {
            out.push_str(&format!("\n{}\n", w.problems_heading));
            for f in failures {
                if let PracticeEntry::Failure { errors, .. } = f {
                    for e in errors {
                        out.push_str(&format!("  {}\n", e.headline_in(self.language.as_deref())));
                    }
                }
            }
        }
        out
    }
}
