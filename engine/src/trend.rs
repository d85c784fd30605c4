//! Trends: one caregiver's, room's or home's visits over time, per practice and per indicator,
//! with the change since the previous visit and a marked break wherever a rubric's indicators
//! or scale changed between versions (no change is computed across a break).
//!
//! Visits are read as [`RatedVisit`]s (records scored with the loaded rubrics, or reports).
//! Which visits make a series is the coach's choice: every visit given, those whose record lists
//! one caregiver ([`TrendBy::caregiver`]), or one series per value of a record field named by
//! a JSON pointer ([`TrendBy::pointer`], e.g. `/extra/room`). See `docs/trends.md`.

use crate::agree::{
    count_in, Hundredths, Outcome, RatedVisit, SeenCoverage, SeenPractice, VisitRef,
};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::diagnostic_text::{self as catalogue, Lang, Text};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// Format tag of a trend.
pub const TREND_FORMAT: &str = "rubrica.trend/1";

/// Which visits make a series.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct TrendBy {
    /// Only visits whose record lists this caregiver id (records only: a report does not list
    /// caregivers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caregiver: Option<String>,
    /// One series per value of the record field at this JSON pointer (`/extra/room`,
    /// `/setting`); records only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
}

impl TrendBy {
    /// Reads `{}`, `{"caregiver": "<id>"}`, `{"pointer": "/extra/room"}` or both fields.
    pub fn from_json(text: &str) -> Result<TrendBy, Diagnostic> {
        const HELP: &str =
            "give `{}`, `{\"caregiver\": \"<id>\"}` or `{\"pointer\": \"/extra/room\"}`";
        let value: Value = serde_json::from_str(text).map_err(|e| {
            crate::json::serde_diagnostic(&e, Code::JsonSyntax, "invalid trend grouping")
                .with_help(HELP)
        })?;
        let Value::Object(fields) = value else {
            return Err(Diagnostic::error(
                Code::WrongType,
                format!(
                    "the grouping is {}, not an object",
                    crate::json::describe(&value)
                ),
            )
            .with_help(HELP));
        };
        let mut by = TrendBy::default();
        for (key, v) in &fields {
            let slot = match key.as_str() {
                "caregiver" => &mut by.caregiver,
                "pointer" => &mut by.pointer,
                other => {
                    let help = match crate::json::closest(other, &["caregiver", "pointer"]) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => HELP.to_string(),
                    };
                    return Err(Diagnostic::error(
                        Code::UnknownField,
                        format!("unknown field `{other}` in the trend grouping"),
                    )
                    .at_path(format!("/{other}"))
                    .with_help(help));
                }
            };
            match v {
                Value::Null => {}
                Value::String(s) => *slot = Some(s.clone()),
                other => {
                    return Err(Diagnostic::error(
                        Code::WrongType,
                        format!("text expected, found {}", crate::json::describe(other)),
                    )
                    .at_path(format!("/{key}")))
                }
            }
        }
        Ok(by)
    }
}

/// One visit of a series: the same record id, date, setting and coach as a side of an agreement's
/// pair.
pub type TrendVisit = VisitRef;

/// Where a practice's rubric changed so much between two visits that they are not compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Break {
    /// The version before.
    pub from: String,
    /// The version from this visit on.
    pub to: String,
    /// What changed: indicators added or removed, or the scale.
    pub reason: String,
}

/// A practice in one visit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PracticePoint {
    /// Index of the visit in the series (from 0, oldest first).
    pub visit: usize,
    /// `rated`, `not-enough-evidence`, `could-not-score` (the rubric failed on this visit) or
    /// `not-in-visit` (the visit was not scored with this rubric).
    pub status: String,
    /// Rubric version, when scored.
    pub version: Option<String>,
    /// Practice score (mean rated level), when rated.
    pub score: Option<Hundredths>,
    /// The scale's top level, when scored.
    pub scale_max: Option<i64>,
    /// Evidence coverage: indicators rated of those that apply.
    pub coverage: Option<SeenCoverage>,
    /// Score now less score at the previous visit; `null` on the first visit, when either has
    /// no score, or across a break.
    pub change: Option<Hundredths>,
    /// Why `change` is `null` (left out on the first visit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_change: Option<String>,
    /// The version changed since the previous scored visit, indicators and scale the same:
    /// the change is computed, and marked.
    pub version_changed: bool,
    /// The rubric's indicators or scale changed since the previous scored visit.
    #[serde(rename = "break")]
    pub break_before: Option<Break>,
}

/// An indicator in one visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndicatorPoint {
    /// Index of the visit.
    pub visit: usize,
    /// `rated`, `not-enough-evidence`, `not-applicable`, or `not-in-visit` (the practice
    /// was not scored, or its version has no such indicator).
    pub outcome: String,
    /// Level, when rated.
    pub level: Option<i64>,
    /// How many record paths the rating cites.
    pub evidence: usize,
    /// Level now less level at the previous visit, when both are rated and no break lies
    /// between.
    pub change: Option<i64>,
}

/// One indicator over the series.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndicatorTrend {
    /// Indicator id.
    pub id: String,
    /// Title (the latest visit's).
    pub title: String,
    /// One point per visit.
    pub points: Vec<IndicatorPoint>,
}

/// One practice over the series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PracticeTrend {
    /// Rubric id.
    pub rubric: String,
    /// Practice.
    pub practice: String,
    /// Title (the latest visit's).
    pub title: String,
    /// One point per visit.
    pub points: Vec<PracticePoint>,
    /// Each indicator seen in any visit, in rubric order (later versions' new ones last).
    pub indicators: Vec<IndicatorTrend>,
}

/// The visits of one caregiver, room or home, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    /// The caregiver id or field value the series is for; `null` when every visit given makes
    /// the series.
    pub subject: Option<String>,
    /// The visits, by `observed_on` (visits on the same day keep their input order).
    pub visits: Vec<TrendVisit>,
    /// Each practice.
    pub practices: Vec<PracticeTrend>,
}

/// A visit given but in no series.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeftOut {
    /// Record id.
    pub record: String,
    /// Why.
    pub reason: String,
    /// The input's name in messages.
    #[serde(skip)]
    pub label: String,
}

/// Visits over time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    /// Always [`TREND_FORMAT`].
    pub format: &'static str,
    /// How the series were chosen.
    pub by: TrendBy,
    /// The series, by subject.
    pub series: Vec<Series>,
    /// Visits that belong to no series.
    pub left_out: Vec<LeftOut>,
}

/// Builds the series of `visits` chosen by `by`.
///
/// Fails when `by` needs a record field and a visit was given as a report, or when the
/// pointer is not a JSON pointer.
pub fn trend(visits: &[RatedVisit], by: &TrendBy) -> Result<Trend, Diagnostics> {
    trend_in(visits, by, None)
}

/// [`trend`] with the engine's words (why a visit is left out, why no change is computed, what
/// changed at a break, and the problems) in `lang` (a tag such as `es`) where the engine has
/// them; `None` or English: byte for byte what [`trend`] writes.
pub fn trend_in(
    visits: &[RatedVisit],
    by: &TrendBy,
    lang: Option<&str>,
) -> Result<Trend, Diagnostics> {
    let words = Lang::of(lang);
    let mut errors = Vec::new();
    if let Some(p) = &by.pointer {
        if !p.is_empty() && !p.starts_with('/') {
            errors.push(
                Diagnostic::error_text(
                    Code::InvalidValue,
                    Text::new(&catalogue::TREND_NOT_A_POINTER).arg("pointer", p),
                )
                .with_help_text(Text::new(&catalogue::TREND_POINTER_HELP)),
            );
        }
    }
    if by.caregiver.is_some() || by.pointer.is_some() {
        for v in visits.iter().filter(|v| !v.from_record()) {
            errors.push(
                Diagnostic::error_text(
                    Code::MissingField,
                    Text::new(&catalogue::TREND_REPORT_NO_FIELDS),
                )
                .in_file(&v.label)
                .with_help_text(Text::new(&catalogue::TREND_GIVE_RECORDS)),
            );
        }
    }
    let errors: Vec<Diagnostic> = errors.iter().map(|d| d.in_language(lang)).collect();
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    let mut left_out = Vec::new();
    let mut groups: BTreeMap<Option<String>, Vec<&RatedVisit>> = BTreeMap::new();
    for v in visits {
        if let Some(cg) = &by.caregiver {
            if !v.caregivers.as_ref().is_some_and(|c| c.contains(cg)) {
                left_out.push(LeftOut {
                    record: v.record.clone(),
                    reason: Text::new(&catalogue::TREND_CAREGIVER_NOT_LISTED)
                        .arg("id", cg)
                        .render(words),
                    label: v.label.clone(),
                });
                continue;
            }
        }
        let subject = match &by.pointer {
            Some(p) => match v.source.as_ref().and_then(|s| s.pointer(p)) {
                Some(Value::String(s)) => Some(s.clone()),
                Some(x @ (Value::Number(_) | Value::Bool(_))) => Some(x.to_string()),
                Some(_) => {
                    left_out.push(LeftOut {
                        record: v.record.clone(),
                        reason: Text::new(&catalogue::TREND_NOT_SCALAR)
                            .arg("pointer", p)
                            .render(words),
                        label: v.label.clone(),
                    });
                    continue;
                }
                None => {
                    left_out.push(LeftOut {
                        record: v.record.clone(),
                        reason: Text::new(&catalogue::TREND_NOTHING_AT)
                            .arg("pointer", p)
                            .render(words),
                        label: v.label.clone(),
                    });
                    continue;
                }
            },
            None => by.caregiver.clone(),
        };
        groups.entry(subject).or_default().push(v);
    }
    let series = groups
        .into_iter()
        .map(|(subject, mut vs)| {
            // Stable: visits on the same day keep their input order.
            vs.sort_by(|a, b| a.observed_on.cmp(&b.observed_on));
            series_of(subject, &vs, words)
        })
        .collect();
    Ok(Trend {
        format: TREND_FORMAT,
        by: by.clone(),
        series,
        left_out,
    })
}

fn series_of(subject: Option<String>, visits: &[&RatedVisit], words: Lang) -> Series {
    // Practices in order of first appearance.
    let mut ids: Vec<(String, String, String)> = Vec::new();
    for v in visits {
        for p in &v.practices {
            if !ids.iter().any(|(i, _, _)| *i == p.rubric) {
                ids.push((p.rubric.clone(), p.practice.clone(), p.title.clone()));
            }
        }
        for f in &v.failures {
            if !ids.iter().any(|(i, _, _)| *i == f.rubric) {
                ids.push((f.rubric.clone(), String::new(), f.title.clone()));
            }
        }
    }
    let practices = ids
        .into_iter()
        .map(|(id, practice, title)| practice_trend(&id, practice, title, visits, words))
        .collect();
    Series {
        subject,
        visits: visits.iter().map(|v| VisitRef::of(v)).collect(),
        practices,
    }
}

fn practice_trend(
    id: &str,
    practice: String,
    title: String,
    visits: &[&RatedVisit],
    words: Lang,
) -> PracticeTrend {
    let seen: Vec<Option<&SeenPractice>> = visits
        .iter()
        .map(|v| v.practices.iter().find(|p| p.rubric == id))
        .collect();
    let latest = seen.iter().rev().flatten().next();
    let practice = latest.map_or(practice, |p| p.practice.clone());
    let title = latest.map_or(title, |p| p.title.clone());

    // Indicator ids in order of first appearance.
    let mut indicator_ids: Vec<String> = Vec::new();
    for p in seen.iter().flatten() {
        for i in &p.indicators {
            if !indicator_ids.contains(&i.id) {
                indicator_ids.push(i.id.clone());
            }
        }
    }

    let mut points = Vec::new();
    // Whether visit k may be compared with visit k-1.
    let mut comparable = vec![false; visits.len()];
    let mut last_scored: Option<&SeenPractice> = None;
    for (k, (v, s)) in visits.iter().zip(&seen).enumerate() {
        let mut point = PracticePoint {
            visit: k,
            status: String::new(),
            version: None,
            score: None,
            scale_max: None,
            coverage: None,
            change: None,
            no_change: None,
            version_changed: false,
            break_before: None,
        };
        match s {
            Some(s) => {
                point.status = s.status.clone();
                point.version = Some(s.version.clone());
                point.score = s.score.map(Hundredths);
                point.scale_max = s.scale.last().copied();
                point.coverage = Some(s.coverage);
                if let Some(before) = last_scored {
                    if before.version != s.version {
                        match rubric_change(before, s, words) {
                            Some(reason) => {
                                point.break_before = Some(Break {
                                    from: before.version.clone(),
                                    to: s.version.clone(),
                                    reason,
                                })
                            }
                            None => point.version_changed = true,
                        }
                    }
                }
                last_scored = Some(s);
            }
            None => {
                point.status = if v.failures.iter().any(|f| f.rubric == id) {
                    "could-not-score".into()
                } else {
                    "not-in-visit".into()
                };
            }
        }
        if k > 0 {
            let previous = seen.get(k - 1).copied().flatten();
            let ok = previous.is_some() && s.is_some() && point.break_before.is_none();
            if let Some(c) = comparable.get_mut(k) {
                *c = ok;
            }
            let prev_score = previous.and_then(|p| p.score);
            match (ok, prev_score, s.and_then(|s| s.score)) {
                (true, Some(a), Some(b)) => point.change = Some(Hundredths(b - a)),
                _ => {
                    let why = if point.break_before.is_some() {
                        &catalogue::TREND_RUBRIC_CHANGED
                    } else if previous.is_none() {
                        &catalogue::TREND_NOT_SCORED_BEFORE
                    } else if s.is_none() {
                        &catalogue::TREND_NOT_SCORED_NOW
                    } else {
                        &catalogue::TREND_NO_SCORE
                    };
                    point.no_change = Some(Text::new(why).render(words))
                }
            }
        }
        points.push(point);
    }

    let indicators = indicator_ids
        .iter()
        .map(|iid| {
            let mut title = String::new();
            let mut pts: Vec<IndicatorPoint> = Vec::new();
            let mut prev_level: Option<i64> = None;
            for (k, s) in seen.iter().enumerate() {
                let ind = s.and_then(|s| s.indicators.iter().find(|i| i.id == *iid));
                if let Some(i) = ind {
                    title = i.title.clone();
                }
                let level = ind.and_then(|i| i.level);
                let change = match (
                    comparable.get(k).copied().unwrap_or(false),
                    prev_level,
                    level,
                ) {
                    (true, Some(a), Some(b)) => Some(b - a),
                    _ => None,
                };
                pts.push(IndicatorPoint {
                    visit: k,
                    outcome: match ind.map(|i| i.outcome) {
                        Some(Outcome::Rated) => "rated",
                        Some(Outcome::NotEnoughEvidence) => "not-enough-evidence",
                        Some(Outcome::NotApplicable) => "not-applicable",
                        None => "not-in-visit",
                    }
                    .into(),
                    level,
                    evidence: ind.map_or(0, |i| i.evidence.len()),
                    change,
                });
                prev_level = level;
            }
            IndicatorTrend {
                id: iid.clone(),
                title,
                points: pts,
            }
        })
        .collect();
    PracticeTrend {
        rubric: id.to_string(),
        practice,
        title,
        points,
        indicators,
    }
}

/// What changed between two versions of a rubric that makes their ratings not comparable.
fn rubric_change(before: &SeenPractice, now: &SeenPractice, words: Lang) -> Option<String> {
    let (b, n) = (before.indicator_ids(), now.indicator_ids());
    let mut parts = Vec::new();
    let added: Vec<&str> = n.iter().filter(|i| !b.contains(i)).copied().collect();
    let removed: Vec<&str> = b.iter().filter(|i| !n.contains(i)).copied().collect();
    if !added.is_empty() {
        parts.push(Text::new(&catalogue::TREND_ADDED).arg("ids", crate::json::quoted(&added)));
    }
    if !removed.is_empty() {
        parts.push(Text::new(&catalogue::TREND_REMOVED).arg("ids", crate::json::quoted(&removed)));
    }
    if before.scale != now.scale {
        parts.push(
            Text::new(&catalogue::TREND_SCALE)
                .arg("from", before.scale.len())
                .arg("to", now.scale.len()),
        );
    }
    (!parts.is_empty()).then(|| {
        parts
            .iter()
            .map(|t| t.render(words))
            .collect::<Vec<_>>()
            .join("; ")
    })
}

impl Trend {
    /// True when a visit was left out of every series or a practice could not score a visit.
    pub fn has_findings(&self) -> bool {
        !self.left_out.is_empty()
            || self.series.iter().any(|s| {
                s.practices
                    .iter()
                    .any(|p| p.points.iter().any(|x| x.status == "could-not-score"))
            })
    }

    /// The trend as a coach reads it: per practice, the scores over time and the change since
    /// the last visit; what grew first, then what to look at together, then breaks.
    pub fn to_text(&self) -> String {
        self.to_text_in(None)
    }

    /// [`Trend::to_text`] with its own words (headings, labels, changes) in `lang` (a tag such
    /// as `es`) where the engine has them; the reasons are in the language the trend was made
    /// in ([`trend_in`]). `None` or English: byte for byte what [`Trend::to_text`] writes.
    pub fn to_text_in(&self, lang: Option<&str>) -> String {
        let words = Lang::of(lang);
        let say = |t: &'static catalogue::Template| Text::new(t).render(words);
        let mut out = String::new();
        if self.series.is_empty() {
            out.push_str(&say(&catalogue::TT_NO_VISIT));
            out.push('\n');
        }
        for s in &self.series {
            let who = match (&s.subject, &self.by.pointer) {
                (Some(x), Some(p)) => format!("{p} = {x}"),
                (Some(x), None) => Text::new(&catalogue::TT_CAREGIVER)
                    .arg("id", x)
                    .render(words),
                (None, _) => say(&catalogue::TT_VISITS_GIVEN),
            };
            out.push_str(
                &Text::new(&catalogue::TT_OVER_TIME)
                    .arg("who", who)
                    .arg(
                        "visits",
                        count_in(
                            words,
                            s.visits.len(),
                            &catalogue::N_VISIT,
                            &catalogue::N_VISITS,
                        ),
                    )
                    .render(words),
            );
            out.push('\n');
            for (k, v) in s.visits.iter().enumerate() {
                out.push_str(&format!(
                    "  {}. {} {} ({})\n",
                    k + 1,
                    v.observed_on,
                    v.record,
                    v.label
                ));
            }
            out.push('\n');
            out.push_str(&say(&catalogue::TT_SCORES));
            out.push('\n');
            for p in &s.practices {
                let series: Vec<String> = p
                    .points
                    .iter()
                    .map(|x| {
                        let mark = if x.break_before.is_some() { "| " } else { "" };
                        let v = match (x.score, x.scale_max) {
                            (Some(sc), _) => format!("{}", Score2(sc)),
                            _ if x.status == "not-enough-evidence" => {
                                say(&catalogue::TT_NOT_ENOUGH)
                            }
                            _ if x.status == "could-not-score" => {
                                say(&catalogue::TT_COULD_NOT_SCORE)
                            }
                            _ => "—".into(),
                        };
                        format!("{mark}{v}")
                    })
                    .collect();
                let last = p.points.last();
                let change = match last.and_then(|x| x.change) {
                    Some(c) if c.0 > 0 => Text::new(&catalogue::TT_UP)
                        .arg("change", Score2(c).to_string())
                        .render(words),
                    Some(c) if c.0 < 0 => Text::new(&catalogue::TT_DOWN)
                        .arg("change", Score2(Hundredths(-c.0)).to_string())
                        .render(words),
                    Some(_) => say(&catalogue::TT_SAME),
                    None => String::new(),
                };
                let coverage = last.and_then(|x| x.coverage).map_or_else(String::new, |c| {
                    Text::new(&catalogue::TT_COVERAGE)
                        .arg("rated", c.rated)
                        .arg("total", c.total)
                        .render(words)
                });
                out.push_str(&format!(
                    "  {:<30} {}{change}{coverage}\n",
                    p.title,
                    series.join(" → ")
                ));
            }

            let mut grew = Vec::new();
            let mut dipped = Vec::new();
            for p in &s.practices {
                for i in &p.indicators {
                    if let Some(c) = i.points.last().and_then(|x| x.change) {
                        let line = format!("{} — {}", p.title, i.title);
                        let levels = count_in(
                            words,
                            c.unsigned_abs() as usize,
                            &catalogue::N_LEVEL,
                            &catalogue::N_LEVELS,
                        );
                        if c > 0 {
                            grew.push(format!(
                                "  + {}",
                                Text::new(&catalogue::TT_INDICATOR_UP)
                                    .arg("indicator", line)
                                    .arg("levels", levels)
                                    .render(words)
                            ));
                        } else if c < 0 {
                            dipped.push(format!(
                                "  > {}",
                                Text::new(&catalogue::TT_INDICATOR_DOWN)
                                    .arg("indicator", line)
                                    .arg("levels", levels)
                                    .render(words)
                            ));
                        }
                    }
                }
            }
            if s.visits.len() > 1 {
                out.push_str(&format!("\n{}\n", say(&catalogue::TT_GROWING)));
                if grew.is_empty() {
                    out.push_str(&format!("  {}\n", say(&catalogue::TT_NONE_UP)));
                }
                for l in grew {
                    out.push_str(&l);
                    out.push('\n');
                }
                if !dipped.is_empty() {
                    out.push_str(&format!("\n{}\n", say(&catalogue::TT_LOOK_TOGETHER)));
                    for l in dipped {
                        out.push_str(&l);
                        out.push('\n');
                    }
                }
            }
            let mut changes = Vec::new();
            for p in &s.practices {
                let mut version: Option<&str> = None;
                for x in &p.points {
                    if let Some(b) = &x.break_before {
                        changes.push(format!(
                            "  | {}",
                            Text::new(&catalogue::TT_BREAK)
                                .arg("title", &p.title)
                                .arg("from", &b.from)
                                .arg("to", &b.to)
                                .arg("n", x.visit + 1)
                                .arg("reason", &b.reason)
                                .render(words)
                        ));
                    } else if x.version_changed {
                        changes.push(format!(
                            "  ~ {}",
                            Text::new(&catalogue::TT_NEW_VERSION)
                                .arg("title", &p.title)
                                .arg("from", version.unwrap_or("?"))
                                .arg("to", x.version.as_deref().unwrap_or("?"))
                                .arg("n", x.visit + 1)
                                .render(words)
                        ));
                    }
                    if let Some(v) = &x.version {
                        version = Some(v);
                    }
                }
            }
            if !changes.is_empty() {
                out.push_str(&format!("\n{}\n", say(&catalogue::TT_VERSIONS)));
                for l in changes {
                    out.push_str(&l);
                    out.push('\n');
                }
            }
            out.push('\n');
        }
        if !self.left_out.is_empty() {
            out.push_str(&say(&catalogue::TT_LEFT_OUT));
            out.push('\n');
            for l in &self.left_out {
                out.push_str(&format!("  - {} ({}): {}\n", l.label, l.record, l.reason));
            }
        }
        out
    }
}

/// A score with two decimals, as the reports print it.
struct Score2(Hundredths);

impl std::fmt::Display for Score2 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let v = self.0 .0;
        let sign = if v < 0 { "-" } else { "" };
        let a = v.unsigned_abs();
        write!(f, "{sign}{}.{:02}", a / 100, a % 100)
    }
}
