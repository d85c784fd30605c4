//! Rubric metadata and sources: what a rubric rates, on which scale, from which items.

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::record::{Method, Observation};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The format tag of rubric metadata.
pub const RUBRIC_FORMAT: &str = "rubrica.rubric/1";
/// File name of the metadata inside a rubric folder.
pub const META_FILE: &str = "rubric.json";
/// File name of the script inside a rubric folder.
pub const SCRIPT_FILE: &str = "rubric.rhai";

/// The six PITC program practices, in the order reports list them.
pub const PRACTICES: [&str; 6] = [
    "primary-caregiving",
    "continuity-of-care",
    "small-groups",
    "individualized-care",
    "culturally-responsive-care",
    "inclusive-care",
];

/// One level of a rating scale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// The number, e.g. `4`.
    pub value: i64,
    /// Short label, e.g. `Established`.
    pub label: String,
    /// What care looks like at this level.
    pub descriptor: String,
}

/// The rating scale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    /// Levels from lowest to highest, consecutive integers.
    pub levels: Vec<Level>,
    /// Ratings at or above this level are strengths; below it, growth areas.
    pub strength_from: i64,
}

impl Scale {
    /// Lowest level.
    pub fn min(&self) -> i64 {
        self.levels.first().map_or(1, |l| l.value)
    }
    /// Highest level.
    pub fn max(&self) -> i64 {
        self.levels.last().map_or(1, |l| l.value)
    }
    /// The level with this value.
    pub fn level(&self, value: i64) -> Option<&Level> {
        self.levels.iter().find(|l| l.value == value)
    }
}

/// Whether an indicator looks at structure (policy, numbers) or at the quality of care.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IndicatorKind {
    /// Group size, ratios, assignment policies, months together.
    Structural,
    /// Responsive routines, home language, adaptations.
    Process,
}

/// One thing the rubric rates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// Id, kebab-case; the script has a function of the same name with `_` for `-`.
    pub id: String,
    /// What is rated, in the coach's words.
    pub title: String,
    /// Structural or process.
    pub kind: IndicatorKind,
    /// What counts as evidence.
    pub evidence: String,
    /// Record fields and items the indicator reads (JSON pointers or item ids).
    #[serde(default)]
    pub reads: Vec<String>,
    /// How the strength is named when the rating is at or above `strength_from`.
    pub strength: String,
    /// The next step to suggest when it is below.
    pub next_step: String,
    /// Reflective questions for the coaching conversation.
    pub questions: Vec<String>,
    /// When the indicator applies; otherwise it is "not applicable" (not scored, its questions
    /// not asked). Absent: always.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applies_when: Option<AppliesWhen>,
    /// The strength named per level band: level (as text) → text, used from that level up to
    /// the next listed one. Levels not covered use `strength`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub strengths: BTreeMap<String, String>,
    /// The next step per level band, like `strengths`. Levels not covered use `next_step`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub next_steps: BTreeMap<String, String>,
}

/// When an indicator applies, checked by the engine before the script runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AppliesWhen {
    /// At least one child of the group has an IFSP.
    AChildHasAnIfsp,
    /// At least one child of the group is 18 months or older (a toddler: PITC's third age of
    /// infancy is 18 to 36 months).
    #[serde(rename = "a-child-is-18-months-or-older")]
    AChildIs18MonthsOrOlder,
}

/// Toddlers, for [`AppliesWhen::AChildIs18MonthsOrOlder`]: PITC's third age of infancy starts at
/// 18 months (see docs/sources.md, "PITC ages of infancy").
pub const TODDLER_FROM_MONTHS: i64 = 18;

impl AppliesWhen {
    /// Every condition, for docs and checks.
    pub const ALL: [AppliesWhen; 2] = [
        AppliesWhen::AChildHasAnIfsp,
        AppliesWhen::AChildIs18MonthsOrOlder,
    ];

    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            AppliesWhen::AChildHasAnIfsp => "a-child-has-an-ifsp",
            AppliesWhen::AChildIs18MonthsOrOlder => "a-child-is-18-months-or-older",
        }
    }

    /// `None` when the condition holds for this record, else why the indicator does not apply,
    /// in the coach's words.
    pub fn not_applicable(self, obs: &Observation) -> Option<String> {
        let applies = match self {
            AppliesWhen::AChildHasAnIfsp => obs.children.iter().any(|c| c.ifsp),
            AppliesWhen::AChildIs18MonthsOrOlder => obs
                .children
                .iter()
                .any(|c| c.age_months >= TODDLER_FROM_MONTHS),
        };
        (!applies).then(|| crate::locale::EN.not_applicable(self))
    }
}

impl Indicator {
    /// The script function that rates this indicator.
    pub fn function_name(&self) -> String {
        self.id.replace('-', "_")
    }

    /// Why the indicator does not apply to this record (`None` when it applies).
    pub fn not_applicable(&self, obs: &Observation) -> Option<String> {
        self.applies_when.and_then(|a| a.not_applicable(obs))
    }

    /// [`Indicator::not_applicable`] in the engine's words for `lang` (English for `None` and
    /// for a language the engine has no words in).
    pub fn not_applicable_in(&self, obs: &Observation, lang: Option<&str>) -> Option<String> {
        let when = self.applies_when?;
        when.not_applicable(obs)
            .map(|_| crate::locale::Words::of(lang).not_applicable(when))
    }

    /// The strength text for a rating at `level`.
    pub fn strength_at(&self, level: i64) -> &str {
        banded(&self.strengths, level).unwrap_or(&self.strength)
    }

    /// The next step for a rating at `level`.
    pub fn next_step_at(&self, level: i64) -> &str {
        banded(&self.next_steps, level).unwrap_or(&self.next_step)
    }
}

/// The text of the highest band at or below `level`.
fn banded(bands: &BTreeMap<String, String>, level: i64) -> Option<&str> {
    bands
        .iter()
        .filter_map(|(k, v)| k.parse::<i64>().ok().map(|l| (l, v)))
        .filter(|(l, _)| *l <= level)
        .max_by_key(|(l, _)| *l)
        .map(|(_, v)| v.as_str())
}

/// The kind of answer an item takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemType {
    /// `yes`, `no` or `not-observed`.
    YesNo,
    /// A whole number.
    Count,
    /// `none`, `some`, `most`, `all` (of the occasions seen) or `not-observed`.
    Frequency,
    /// One of the item's `options`.
    Choice,
    /// Free text.
    Note,
}

/// Values allowed for a yes/no item.
pub const YES_NO: [&str; 3] = ["yes", "no", "not-observed"];
/// Values allowed for a frequency item.
pub const FREQUENCY: [&str; 5] = ["none", "some", "most", "all", "not-observed"];

/// One option of a choice item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// Stored value.
    pub value: String,
    /// What the coach sees.
    pub label: String,
}

/// One thing the coach captures for this rubric; the browser form is generated from these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemDef {
    /// Id, kebab-case, unique in the rubric.
    pub id: String,
    /// The question or prompt on the form.
    pub label: String,
    /// Guidance for the coach: what to look for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The kind of answer.
    #[serde(rename = "type")]
    pub item_type: ItemType,
    /// The usual way to gather this evidence: required for an observation rubric's items (the
    /// form preselects it), absent for a reflection rubric's (a reflection's author is the
    /// source of every answer, and its items record no method).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<Method>,
    /// Options of a `choice` item.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<Choice>,
    /// Smallest count allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<i64>,
    /// Largest count allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<i64>,
}

impl ItemDef {
    /// The text values this item accepts (empty for counts and notes).
    pub fn allowed_values(&self) -> Vec<&str> {
        match self.item_type {
            ItemType::YesNo => YES_NO.to_vec(),
            ItemType::Frequency => FREQUENCY.to_vec(),
            ItemType::Choice => self
                .options
                .iter()
                .map(|c| c.value.as_str())
                .chain(["not-observed"])
                .collect(),
            ItemType::Count | ItemType::Note => Vec::new(),
        }
    }
}

/// Everything a rubric declares about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RubricMeta {
    /// Always [`RUBRIC_FORMAT`].
    pub format: String,
    /// Id, kebab-case; also the key of this rubric's items in a record.
    pub id: String,
    /// Version, e.g. `1.0.0`; change it whenever ratings could change.
    pub version: String,
    /// The practice rated, one of [`PRACTICES`] or a further practice set.
    pub practice: String,
    /// The kind of record the rubric rates, as its format tag (`rubrica.observation/1` when
    /// left out; see [`crate::RecordKind`]).
    #[serde(
        default = "default_record",
        skip_serializing_if = "is_observation_format"
    )]
    pub record: String,
    /// Title shown to coaches.
    pub title: String,
    /// What the rubric looks at and why it matters for infants and toddlers.
    pub summary: String,
    /// Languages of the rubric's texts: the first is the language its own fields are written
    /// in, every other one has a complete entry in `translations`.
    pub languages: Vec<String>,
    /// Rating scale.
    pub scale: Scale,
    /// Percentage of indicators that must be rated for a practice score (default 50).
    #[serde(default = "default_coverage")]
    pub min_coverage_percent: i64,
    /// Indicators, in the order the coach reads them.
    pub indicators: Vec<Indicator>,
    /// Items the coach captures.
    pub items: Vec<ItemDef>,
    /// Opening reflective questions about what goes well.
    #[serde(default)]
    pub questions: Vec<String>,
    /// The rubric's texts in each further language of `languages`, keyed by language tag
    /// (docs/localisation.md).
    #[serde(
        default,
        deserialize_with = "crate::locale::translations_object",
        skip_serializing_if = "serde_json::Map::is_empty"
    )]
    pub translations: serde_json::Map<String, serde_json::Value>,
    /// The texts the script writes into notes and reasons with `say(key, values)`, keyed by
    /// name, in the source language (docs/localisation.md); translated under
    /// `translations.<tag>.messages`.
    #[serde(
        default,
        deserialize_with = "crate::messages::messages_object",
        skip_serializing_if = "serde_json::Map::is_empty"
    )]
    pub messages: serde_json::Map<String, serde_json::Value>,
}

fn default_record() -> String {
    crate::record::OBSERVATION_FORMAT.to_string()
}

fn is_observation_format(format: &str) -> bool {
    format == crate::record::OBSERVATION_FORMAT
}

impl RubricMeta {
    /// The kind of record the rubric rates (observations for an unknown format, which
    /// [`parse_meta`] refuses).
    pub fn record_kind(&self) -> crate::RecordKind {
        crate::RecordKind::from_format(&self.record).unwrap_or(crate::RecordKind::Observation)
    }

    /// The language the rubric's own fields are written in (the first of `languages`).
    pub fn source_language(&self) -> &str {
        self.languages.first().map_or("en", String::as_str)
    }

    /// The declared language that serves a request for `lang` (`es-MX` finds `es`), or `None`
    /// when the rubric does not have it.
    pub fn language_for(&self, lang: &str) -> Option<&str> {
        crate::locale::match_language(&self.languages, lang)
    }

    /// The metadata with its texts in `lang` when the rubric has that language (see
    /// [`RubricMeta::language_for`]), else in its source language; and the language the texts
    /// are in.
    pub fn localized(&self, lang: &str) -> (RubricMeta, String) {
        match self.language_for(lang) {
            Some(found) => (crate::locale::localize(self, found), found.to_string()),
            None => (self.clone(), self.source_language().to_string()),
        }
    }
}

fn default_coverage() -> i64 {
    50
}

/// A rubric as written: metadata text and script text, with the names to report them under.
#[derive(Debug, Clone)]
pub struct RubricSource {
    /// Name of the metadata file in diagnostics, e.g. `rubrics/small-groups/rubric.json`.
    pub meta_file: String,
    /// Metadata JSON text.
    pub meta: String,
    /// Name of the script file in diagnostics.
    pub script_file: String,
    /// Script text.
    pub script: String,
}

impl RubricSource {
    /// Reads `rubric.json` and `rubric.rhai` from a rubric folder.
    pub fn load(dir: &Path) -> Result<RubricSource, Diagnostics> {
        let meta_path = dir.join(META_FILE);
        let script_path = dir.join(SCRIPT_FILE);
        let read =
            |p: &Path, code| crate::set::read_text_file(p, code).map_err(|d| Diagnostics(vec![d]));
        Ok(RubricSource {
            meta: read(&meta_path, Code::RubricMetadata)?,
            script: read(&script_path, Code::ScriptSyntax)?,
            meta_file: meta_path.display().to_string(),
            script_file: script_path.display().to_string(),
        })
    }
}

/// Parses and checks rubric metadata. Problems carry the metadata file and line:col or path.
pub fn parse_meta(text: &str, file: &str) -> Result<RubricMeta, Diagnostics> {
    let meta: RubricMeta = serde_json::from_str(text).map_err(|e| {
        let d = match missing_comma(text, &e, Code::RubricMetadata) {
            Some(d) => d,
            None => {
                crate::json::serde_diagnostic(&e, Code::RubricMetadata, "invalid rubric metadata")
                    .with_help("see rubrics/README.md for the fields a rubric declares")
            }
        };
        Diagnostics(vec![d.in_file(file)])
    })?;
    let mut errs = Vec::new();
    let mut err = |path: String, msg: String, help: &str| {
        errs.push(
            Diagnostic::error(Code::RubricMetadata, msg)
                .with_help(help.to_string())
                .in_file(file)
                .at_path(path),
        )
    };
    if meta.format != RUBRIC_FORMAT {
        err(
            "/format".into(),
            format!("unsupported rubric format `{}`", meta.format),
            "write `\"format\": \"rubrica.rubric/1\"`",
        );
    }
    let record_kind = crate::RecordKind::from_format(&meta.record);
    if record_kind.is_none() {
        let formats = crate::RecordKind::formats();
        err(
            "/record".into(),
            format!("`{}` is not a record format Rubrica reads", meta.record),
            &match crate::json::closest(&meta.record, &formats) {
                Some(f) => format!("did you mean `{f}`?"),
                None => format!("write one of {}", crate::json::quoted(&formats)),
            },
        );
    }
    if !is_kebab(&meta.id) {
        err(
            "/id".into(),
            format!("rubric id `{}` is not kebab-case", meta.id),
            "use lowercase letters, digits and `-`, e.g. `small-groups`",
        );
    }
    let levels = &meta.scale.levels;
    if levels.len() < 2 || levels.len() > 10 {
        err(
            "/scale/levels".into(),
            format!("a scale needs 2 to 10 levels, found {}", levels.len()),
            "use a 1–5 or 1–7 scale",
        );
    }
    for (i, pair) in levels.windows(2).enumerate() {
        if let [a, b] = pair {
            if b.value != a.value + 1 {
                err(
                    format!("/scale/levels/{}/value", i + 1),
                    format!("level `{}` does not follow `{}`", b.value, a.value),
                    "levels go up by one from lowest to highest",
                );
            }
        }
    }
    if meta.scale.level(meta.scale.strength_from).is_none() {
        err(
            "/scale/strength_from".into(),
            format!("`{}` is not a level of the scale", meta.scale.strength_from),
            "pick the lowest level that counts as a strength",
        );
    }
    if !(0..=100).contains(&meta.min_coverage_percent) {
        err(
            "/min_coverage_percent".into(),
            "coverage must be a percentage from 0 to 100".into(),
            "the default is 50",
        );
    }
    if meta.indicators.is_empty() || meta.indicators.len() > 64 {
        err(
            "/indicators".into(),
            format!(
                "a rubric needs 1 to 64 indicators, found {}",
                meta.indicators.len()
            ),
            "add the indicators this practice is rated on",
        );
    }
    let mut ids = BTreeSet::new();
    for (i, ind) in meta.indicators.iter().enumerate() {
        if let (Some(when), Some(kind)) = (ind.applies_when, record_kind) {
            if kind != crate::RecordKind::Observation {
                err(
                    format!("/indicators/{i}/applies_when"),
                    format!(
                        "`{}` is about the children of an observed group; this rubric rates {}",
                        when.as_str(),
                        kind.noun()
                    ),
                    "leave `applies_when` out: the indicator then applies to every record",
                );
            }
        }
        if !is_kebab(&ind.id) {
            err(
                format!("/indicators/{i}/id"),
                format!("indicator id `{}` is not kebab-case", ind.id),
                "use lowercase letters, digits and `-`",
            );
        }
        if !ids.insert(ind.id.as_str()) {
            err(
                format!("/indicators/{i}/id"),
                format!("indicator id `{}` is used twice", ind.id),
                "give each indicator its own id",
            );
        }
        for (field, bands, strength) in [
            ("strengths", &ind.strengths, true),
            ("next_steps", &ind.next_steps, false),
        ] {
            for key in bands.keys() {
                let level = key
                    .parse::<i64>()
                    .ok()
                    .filter(|l| meta.scale.level(*l).is_some());
                match level {
                    None => err(
                        format!("/indicators/{i}/{field}/{key}"),
                        format!("`{key}` is not a level of the scale"),
                        "key each text by the lowest level it is shown for, e.g. `\"4\"`",
                    ),
                    Some(l) if strength != (l >= meta.scale.strength_from) => err(
                        format!("/indicators/{i}/{field}/{key}"),
                        if strength {
                            format!("level {l} is below `strength_from`, so it is never shown as a strength")
                        } else {
                            format!("level {l} is a strength level, so it never has a next step")
                        },
                        "key strengths by levels at or above `strength_from`, next steps by levels below it",
                    ),
                    Some(_) => {}
                }
            }
        }
        if ind.questions.is_empty() {
            err(
                format!("/indicators/{i}/questions"),
                format!("indicator `{}` has no reflective question", ind.id),
                "add at least one open question for the coaching conversation",
            );
        }
    }
    let mut item_ids = BTreeSet::new();
    for (i, item) in meta.items.iter().enumerate() {
        if !is_kebab(&item.id) {
            err(
                format!("/items/{i}/id"),
                format!("item id `{}` is not kebab-case", item.id),
                "use lowercase letters, digits and `-`",
            );
        }
        if !item_ids.insert(item.id.as_str()) {
            err(
                format!("/items/{i}/id"),
                format!("item id `{}` is used twice", item.id),
                "give each item its own id",
            );
        }
        match item.item_type {
            ItemType::Choice if item.options.len() < 2 => err(
                format!("/items/{i}/options"),
                format!("choice item `{}` needs at least two options", item.id),
                "list the options as `{\"value\": …, \"label\": …}`",
            ),
            ItemType::Choice | ItemType::Count => {}
            _ if !item.options.is_empty() => err(
                format!("/items/{i}/options"),
                format!("only choice items take options; `{}` is not one", item.id),
                "remove `options` or make the item `\"type\": \"choice\"`",
            ),
            _ => {}
        }
        match (record_kind, item.method) {
            (Some(crate::RecordKind::Observation), None) => err(
                format!("/items/{i}/method"),
                format!(
                    "item `{}` does not say how its evidence is gathered",
                    item.id
                ),
                "add `\"method\": \"observed\"`, `\"interview\"` or `\"materials\"`",
            ),
            (Some(kind), Some(_)) if kind != crate::RecordKind::Observation => err(
                format!("/items/{i}/method"),
                format!(
                    "item `{}` has a `method`, but {} records no method",
                    item.id,
                    kind.noun()
                ),
                "remove `method`: the reflection's author is the source of every answer",
            ),
            _ => {}
        }
        if let (Some(lo), Some(hi)) = (item.min, item.max) {
            if lo > hi {
                err(
                    format!("/items/{i}/min"),
                    format!("`min` {lo} is above `max` {hi}"),
                    "swap them",
                );
            }
        }
    }
    crate::locale::check(&meta, &mut |path, msg, help| err(path, msg, &help));
    if errs.is_empty() {
        Ok(meta)
    } else {
        Err(Diagnostics(errs))
    }
}

/// A syntax error that is a missing comma (serde reports it at the token after the gap):
/// "missing comma" at the end of the value before the gap, as record errors say it.
pub(crate) fn missing_comma(text: &str, e: &serde_json::Error, code: Code) -> Option<Diagnostic> {
    let msg = e.to_string();
    if !(msg.starts_with("expected `,` or `}`") || msg.starts_with("expected `,` or `]`")) {
        return None;
    }
    // serde_json counts lines from 1 and columns in bytes from 1.
    let line_start: usize = text
        .split_inclusive('\n')
        .take(e.line().saturating_sub(1))
        .map(str::len)
        .sum();
    let at = line_start + e.column().saturating_sub(1);
    let before = text.get(..at)?.trim_end();
    let (line, column) = line_col_after(before);
    Some(
        Diagnostic::error(code, "missing comma")
            .with_help("add `,` after this value, before the next field or entry")
            .at_line_col(line, column),
    )
}

/// The 1-based line and column (in characters) just after the end of `text`.
fn line_col_after(text: &str) -> (u32, u32) {
    let line = text.matches('\n').count() + 1;
    let last = text.rsplit('\n').next().unwrap_or_default();
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(last.chars().count() + 1).unwrap_or(u32::MAX),
    )
}

fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.ends_with('-')
        && !s.contains("--")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta_with(indicator_extra: &str) -> String {
        format!(
            r#"{{"format": "rubrica.rubric/1", "id": "t", "version": "1.0.0", "practice": "t",
            "title": "T", "summary": "s", "languages": ["en"],
            "scale": {{"levels": [{{"value": 1, "label": "a", "descriptor": "d"}},
                {{"value": 2, "label": "b", "descriptor": "d"}}, {{"value": 3, "label": "c", "descriptor": "d"}}],
                "strength_from": 2}},
            "indicators": [{{"id": "x", "title": "X", "kind": "process", "evidence": "e",
                "strength": "default strength", "next_step": "default step", "questions": ["q?"]{indicator_extra}}}],
            "items": []}}"#
        )
    }

    #[test]
    fn a_missing_comma_is_named_at_the_end_of_the_value_before_it() {
        let text = meta_with("").replacen("\"id\": \"t\",", "\"id\": \"t\"\n  ", 1);
        let Err(Diagnostics(ds)) = parse_meta(&text, "t.json") else {
            panic!("accepted a missing comma");
        };
        let rendered = ds[0].render(Some(&text));
        assert!(
            rendered.starts_with("t.json:1:41: error R0201: missing comma\n"),
            "{rendered}"
        );
        assert!(
            rendered.contains("help: add `,` after this value"),
            "{rendered}"
        );
    }

    #[test]
    fn strength_and_next_step_follow_the_level_band() {
        let m = parse_meta(
            &meta_with(r#", "strengths": {"3": "top"}, "next_steps": {"1": "low"}"#),
            "t.json",
        )
        .expect("valid");
        let ind = &m.indicators[0];
        assert_eq!(ind.strength_at(2), "default strength");
        assert_eq!(ind.strength_at(3), "top");
        assert_eq!(ind.next_step_at(1), "low");
        assert_eq!(ind.next_step_at(0), "default step");
    }

    #[test]
    fn bands_must_be_levels_on_the_right_side_of_strength_from() {
        for extra in [
            r#", "strengths": {"1": "a strength below strength_from"}"#,
            r#", "next_steps": {"3": "a next step at a strength level"}"#,
            r#", "strengths": {"9": "not a level"}"#,
        ] {
            let Err(Diagnostics(ds)) = parse_meta(&meta_with(extra), "t.json") else {
                panic!("accepted {extra}");
            };
            assert!(ds.iter().all(|d| d.code == Code::RubricMetadata), "{ds:?}");
        }
    }

    #[test]
    fn applies_when_is_checked_against_the_record() {
        let m = parse_meta(
            &meta_with(r#", "applies_when": "a-child-has-an-ifsp""#),
            "t.json",
        )
        .expect("valid");
        let record = |ifsp: bool, age: i64| {
            crate::record::Observation::parse(&format!(
                r#"{{"format": "rubrica.observation/1", "id": "r", "setting": "center",
                "observed_on": "2026-03-14", "minutes": 60, "caregivers": [{{"id": "cg"}}],
                "children": [{{"id": "c1", "age_months": {age}, "ifsp": {ifsp}}}]}}"#
            ))
            .expect("valid record")
            .observation
        };
        assert!(m.indicators[0].not_applicable(&record(true, 5)).is_none());
        assert!(m.indicators[0].not_applicable(&record(false, 5)).is_some());
        let toddlers = AppliesWhen::AChildIs18MonthsOrOlder;
        assert!(toddlers.not_applicable(&record(false, 17)).is_some());
        assert!(toddlers.not_applicable(&record(false, 18)).is_none());
        assert!(
            parse_meta(&meta_with(r#", "applies_when": "sometimes""#), "t.json").is_err(),
            "an unknown condition is an error"
        );
    }
}
