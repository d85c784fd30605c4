//! Rubric texts in more than one language: the `translations` of rubric metadata, their
//! completeness checks, the localized metadata, and the engine's own words in the text report.
//!
//! A rubric is written in the first language of its `languages` list; every further language
//! has a translation under `translations.<tag>` that carries every text of the rubric and nothing
//! else, so items, cases and ids stay shared between languages (see docs/localisation.md).
//!
//! Translations are kept as the JSON they are written in and read with JSON paths: every
//! problem (a missing, empty, extra or mistyped text, an unknown field) is reported at its path,
//! and the module stays small in the browser build.

use crate::json::describe;
use crate::result::RubricResult;
use crate::rubric::{AppliesWhen, RubricMeta};
use serde_json::{Map, Value};

/// Longest language tag, in characters (as in the record format).
const MAX_TAG: usize = 35;

/// Reads `translations` as the JSON value it is (with the parser the engine has for any JSON,
/// which keeps the browser build small), refusing anything but an object.
pub(crate) fn translations_object<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Map<String, Value>, D::Error> {
    use serde::de::Error;
    match <Value as serde::Deserialize>::deserialize(d)? {
        Value::Object(m) => Ok(m),
        other => Err(D::Error::custom(format!(
            "`translations` must be an object keyed by language tag, found {}",
            describe(&other)
        ))),
    }
}

/// Whether `tag` is a language tag as the record format has them: 1–35 characters, ASCII
/// letters, digits and `-` only.
pub(crate) fn is_language_tag(tag: &str) -> bool {
    !tag.is_empty()
        && tag.len() <= MAX_TAG
        && tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// The declared language that serves a request for `wanted`: the same tag (letter case aside),
/// else the tag with its last subtags dropped (`es-MX` → `es`). `None` when none fits.
pub fn match_language<'a>(declared: &'a [String], wanted: &str) -> Option<&'a str> {
    let mut tag = wanted;
    loop {
        if let Some(found) = declared.iter().find(|d| d.eq_ignore_ascii_case(tag)) {
            return Some(found);
        }
        tag = tag.get(..tag.rfind('-')?)?;
    }
}

/// Collects one problem: JSON path, message, what to change.
type Report<'a> = dyn FnMut(String, String, String) + 'a;

fn seg(s: &str) -> String {
    crate::diagnostic::pointer_segment(s)
}

fn quoted(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Checks `languages` and `translations`: every tag well formed and listed once, a complete
/// translation for every language after the first, and nothing else.
pub(crate) fn check(meta: &RubricMeta, err: &mut Report) {
    let mut seen: Vec<String> = Vec::new();
    if meta.languages.is_empty() {
        err(
            "/languages".into(),
            "a rubric names at least the language it is written in".into(),
            "write e.g. `\"languages\": [\"en\"]`; the first entry is the language of the rubric's own texts".into(),
        );
    }
    for (i, tag) in meta.languages.iter().enumerate() {
        if !is_language_tag(tag) {
            err(
                format!("/languages/{i}"),
                format!("`{tag}` is not a language tag"),
                "use a short tag such as `en`, `es`, `es-MX`, `zh-Hant`".into(),
            );
        } else if seen.iter().any(|s| s.eq_ignore_ascii_case(tag)) {
            err(
                format!("/languages/{i}"),
                format!("language `{tag}` is listed twice"),
                "list each language once".into(),
            );
        } else {
            seen.push(tag.clone());
        }
    }
    let source = meta.languages.first().map(String::as_str);
    for tag in meta.translations.keys() {
        let at = format!("/translations/{}", seg(tag));
        if Some(tag.as_str()) == source {
            err(
                at,
                format!("`{tag}` is the language the rubric is written in; it has no translation"),
                "remove this translation: the rubric's own fields are its texts in this language"
                    .into(),
            );
        } else if !meta.languages.iter().any(|l| l == tag) {
            err(
                at,
                format!("translation into `{tag}`, a language the rubric does not list"),
                format!(
                    "add `\"{tag}\"` to `languages`, or remove this translation (listed: {})",
                    meta.languages
                        .iter()
                        .map(|t| format!("`{t}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
    }
    crate::messages::check_source(meta, err);
    let mut built = None;
    let skeleton_of = skeleton;
    for (i, tag) in meta.languages.iter().enumerate().skip(1) {
        let at = format!("/translations/{}", seg(tag));
        match meta.translations.get(tag) {
            Some(t) => {
                // Messages have their own check (the same keys, the same placeholders).
                let rest = match t {
                    Value::Object(o) => Value::Object(
                        o.iter()
                            .filter(|(k, _)| *k != "messages")
                            .map(|(k, v)| (k.clone(), v.clone()))
                            .collect(),
                    ),
                    other => other.clone(),
                };
                compare(&*built.get_or_insert_with(|| skeleton_of(meta)), &rest, &at, err);
                if t.is_object() {
                    crate::messages::check_translation(meta, t.get("messages"), &at, err);
                }
            }
            None => err(
                at,
                format!("`languages` lists `{tag}` but there is no translation into it"),
                format!(
                    "add `\"translations\": {{\"{tag}\": {{…}}}}` with every text of the rubric (docs/localisation.md), or remove `{tag}` from `languages/{i}`"
                ),
            ),
        }
    }
}

/// What a complete translation of `meta` holds, as a JSON skeleton: `null` for a text, a list
/// of `null`s for a list of texts (as many as the rubric's), an object for the keys it must
/// have (and no others).
fn skeleton(meta: &RubricMeta) -> Value {
    fn obj<'k>(keys: impl IntoIterator<Item = (&'k str, Value)>) -> Value {
        Value::Object(keys.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }
    fn texts(n: usize) -> Value {
        Value::Array(vec![Value::Null; n])
    }
    let bands = |b: &std::collections::BTreeMap<String, String>| {
        obj(b.keys().map(|k| (k.as_str(), Value::Null)))
    };
    let mut indicators = Map::new();
    for ind in &meta.indicators {
        let mut t = Map::new();
        for field in ["title", "evidence", "strength", "next_step"] {
            t.insert(field.into(), Value::Null);
        }
        t.insert("questions".into(), texts(ind.questions.len()));
        for (field, b) in [
            ("strengths", &ind.strengths),
            ("next_steps", &ind.next_steps),
        ] {
            if !b.is_empty() {
                t.insert(field.into(), bands(b));
            }
        }
        indicators.insert(ind.id.clone(), Value::Object(t));
    }
    let mut items = Map::new();
    for item in &meta.items {
        let mut t = Map::new();
        t.insert("label".into(), Value::Null);
        if item.help.is_some() {
            t.insert("help".into(), Value::Null);
        }
        if !item.options.is_empty() {
            t.insert(
                "options".into(),
                obj(item.options.iter().map(|o| (o.value.as_str(), Value::Null))),
            );
        }
        items.insert(item.id.clone(), Value::Object(t));
    }
    let levels: Vec<String> = meta
        .scale
        .levels
        .iter()
        .map(|l| l.value.to_string())
        .collect();
    obj([
        ("title", Value::Null),
        ("summary", Value::Null),
        ("questions", texts(meta.questions.len())),
        (
            "scale",
            obj(levels.iter().map(|l| {
                (
                    l.as_str(),
                    obj([("label", Value::Null), ("descriptor", Value::Null)]),
                )
            })),
        ),
        ("indicators", Value::Object(indicators)),
        ("items", Value::Object(items)),
    ])
}

/// Compares a translation (or a part of it) with its skeleton: each problem at its path.
fn compare(want: &Value, have: &Value, path: &str, err: &mut Report) {
    let found = || describe(have);
    match (want, have) {
        (Value::Null, Value::String(s)) if s.trim().is_empty() => err(
            path.to_string(),
            "the translation is empty".into(),
            "write the translated text".into(),
        ),
        (Value::Null, Value::String(_)) => {}
        (Value::Null, _) => err(
            path.to_string(),
            format!("expected the translated text, found {}", found()),
            "write it as a JSON string".into(),
        ),
        (Value::Array(want), Value::Array(have)) if want.len() == have.len() => {
            for (i, (w, h)) in want.iter().zip(have).enumerate() {
                compare(w, h, &format!("{path}/{i}"), err);
            }
        }
        (Value::Array(want), _) => err(
            path.to_string(),
            format!(
                "expected a list of {} translated texts, found {}",
                want.len(),
                found()
            ),
            "translate each text once, in the rubric's order; add or remove texts in every language together".into(),
        ),
        (Value::Object(want), Value::Object(have)) => {
            for (key, w) in want {
                let at = format!("{path}/{}", seg(key));
                match have.get(key) {
                    Some(h) => compare(w, h, &at, err),
                    // A list the rubric does not have (no opening questions) may be left out.
                    None if w.as_array().is_some_and(Vec::is_empty) => {}
                    None => err(
                        at,
                        "missing translation".into(),
                        "add it: the rubric has this text (the path names it)".into(),
                    ),
                }
            }
            let keys: Vec<&str> = want.keys().map(String::as_str).collect();
            for key in have.keys().filter(|k| !want.contains_key(*k)) {
                err(
                    format!("{path}/{}", seg(key)),
                    format!("`{key}` is not in the rubric"),
                    match crate::json::closest(key, &keys) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None if keys.is_empty() => "remove it: there is nothing to translate here".into(),
                        None => format!("the keys here are {}; remove this one", quoted(&keys)),
                    },
                );
            }
        }
        (Value::Object(want), _) => {
            let keys: Vec<&str> = want.keys().map(String::as_str).collect();
            err(
                path.to_string(),
                format!("expected an object, found {}", found()),
                format!("write `{{…}}` with the keys {}", quoted(&keys)),
            )
        }
        _ => {}
    }
}

/// The text at `key` of an object, if it is one.
fn get<'v>(v: Option<&'v Value>, key: &str) -> Option<&'v Value> {
    v.and_then(|v| v.get(key))
}

/// Replaces `to` with the text `from`, when it is one.
fn set(to: &mut String, from: Option<&Value>) {
    if let Some(s) = from.and_then(Value::as_str) {
        *to = s.to_string();
    }
}

/// Replaces each text of `to` with the one at the same place of `from`, when the lists have
/// the same length.
fn set_all(to: &mut [String], from: Option<&Value>) {
    if let Some(list) = from
        .and_then(Value::as_array)
        .filter(|l| l.len() == to.len())
    {
        for (t, f) in to.iter_mut().zip(list) {
            set(t, Some(f));
        }
    }
}

/// The rubric's texts in `lang` (a declared language, as [`match_language`] gives it): a copy of
/// the metadata with every text replaced by its translation. The source language, or a language
/// without a translation, gives the metadata as it is. Ids, levels, kinds and items stay.
pub(crate) fn localize(meta: &RubricMeta, lang: &str) -> RubricMeta {
    let mut out = meta.clone();
    let Some(t) = meta.translations.get(lang) else {
        return out;
    };
    crate::messages::localize(&mut out.messages, t);
    set(&mut out.title, t.get("title"));
    set(&mut out.summary, t.get("summary"));
    set_all(&mut out.questions, t.get("questions"));
    for level in &mut out.scale.levels {
        let lt = get(t.get("scale"), &level.value.to_string());
        set(&mut level.label, get(lt, "label"));
        set(&mut level.descriptor, get(lt, "descriptor"));
    }
    for ind in &mut out.indicators {
        let it = get(t.get("indicators"), &ind.id);
        set(&mut ind.title, get(it, "title"));
        set(&mut ind.evidence, get(it, "evidence"));
        set(&mut ind.strength, get(it, "strength"));
        set(&mut ind.next_step, get(it, "next_step"));
        for (k, v) in ind.strengths.iter_mut() {
            set(v, get(get(it, "strengths"), k));
        }
        for (k, v) in ind.next_steps.iter_mut() {
            set(v, get(get(it, "next_steps"), k));
        }
        set_all(&mut ind.questions, get(it, "questions"));
    }
    for item in &mut out.items {
        let it = get(t.get("items"), &item.id);
        set(&mut item.label, get(it, "label"));
        if let Some(help) = item.help.as_mut() {
            set(help, get(it, "help"));
        }
        for option in &mut item.options {
            set(&mut option.label, get(get(it, "options"), &option.value));
        }
    }
    out
}

/// How a result of the rubric in another language (`localized`, whose `language` names it)
/// differs from the result in the source language (`source`) in what it rates, and which of its
/// texts are not that language's translation: one line per difference, empty when the ratings
/// are identical and the texts localized. `meta` is the rubric as written (with its
/// `translations`). Script notes and "not enough evidence" reasons are the script's, in the
/// language when it writes them with `say`; "not applicable" reasons are the engine's words in
/// the language.
pub fn localized_differences(
    meta: &RubricMeta,
    source: &RubricResult,
    localized: &RubricResult,
) -> Vec<String> {
    let mut out = Vec::new();
    let lang = localized.language.as_deref().unwrap_or_default();
    let from = meta.source_language();
    // What is rated: the same in every language.
    if (
        source.status,
        source.score,
        source.coverage,
        source.scale_max,
    ) != (
        localized.status,
        localized.score,
        localized.coverage,
        localized.scale_max,
    ) {
        out.push(format!(
            "the practice's status, score or coverage in `{lang}` differs from `{from}`"
        ));
    }
    // What an indicator's rating is, whatever the language ("not applicable" reasons are the
    // engine's words, notes and "not enough evidence" reasons the script's messages, and so
    // differ; whether there is a note does not).
    let rating = |i: &crate::result::IndicatorRating| {
        (
            i.id.clone(),
            i.outcome,
            i.level,
            i.evidence.clone(),
            i.note.is_some(),
        )
    };
    for (a, b) in source.indicators.iter().zip(&localized.indicators) {
        if rating(a) != rating(b) {
            out.push(format!(
                "indicator `{}` is rated {} in `{from}` and {} in `{lang}` (or its evidence or note differs)",
                a.id,
                rating_words(a.outcome, a.level),
                rating_words(b.outcome, b.level)
            ));
        }
    }
    if source.indicators.len() != localized.indicators.len() {
        out.push(format!("the number of indicators differs in `{lang}`"));
    }
    let order = |r: &RubricResult| {
        let ids = |xs: Vec<Option<&String>>| -> Vec<Option<String>> {
            xs.into_iter().map(|x| x.cloned()).collect()
        };
        (
            ids(r.strengths.iter().map(|s| Some(&s.indicator)).collect()),
            ids(r.growth_areas.iter().map(|g| Some(&g.indicator)).collect()),
            ids(r
                .missing_evidence
                .iter()
                .map(|m| Some(&m.indicator))
                .collect()),
            ids(r
                .focused_questions
                .iter()
                .map(|q| q.indicator.as_ref())
                .collect()),
            ids(r
                .reflective_questions
                .iter()
                .map(|q| q.indicator.as_ref())
                .collect()),
        )
    };
    if order(source) != order(localized) {
        out.push(format!(
            "strengths, growth areas, missing evidence or questions come in another order in `{lang}`"
        ));
    }
    // The texts: the translation's, where the rubric has one.
    let Some(t) = meta.translations.get(lang) else {
        return out;
    };
    let mut check = |what: String, have: &str, want: &[&Value]| {
        if !want.iter().any(|w| w.as_str() == Some(have)) {
            out.push(format!("{what} is not its `{lang}` translation: `{have}`"));
        }
    };
    check(
        "the rubric's title".into(),
        &localized.rubric.title,
        &one(t.get("title")),
    );
    let ind = |id: &str| get(t.get("indicators"), id);
    let level = |l: i64| get(get(t.get("scale"), &l.to_string()), "label");
    for s in &localized.strengths {
        let it = ind(&s.indicator);
        check(
            format!("strength `{}`'s title", s.indicator),
            &s.title,
            &one(get(it, "title")),
        );
        check(
            format!("strength `{}`'s level label", s.indicator),
            &s.label,
            &one(level(s.level)),
        );
        let mut texts = one(get(it, "strength"));
        texts.extend(values(get(it, "strengths")));
        check(
            format!("strength `{}`'s text", s.indicator),
            &s.text,
            &texts,
        );
    }
    for g in &localized.growth_areas {
        let it = ind(&g.indicator);
        check(
            format!("growth area `{}`'s title", g.indicator),
            &g.title,
            &one(get(it, "title")),
        );
        check(
            format!("growth area `{}`'s level label", g.indicator),
            &g.label,
            &one(level(g.level)),
        );
        let mut texts = one(get(it, "next_step"));
        texts.extend(values(get(it, "next_steps")));
        check(
            format!("growth area `{}`'s next step", g.indicator),
            &g.next_step,
            &texts,
        );
    }
    for m in &localized.missing_evidence {
        let it = ind(&m.indicator);
        check(
            format!("missing evidence `{}`'s title", m.indicator),
            &m.title,
            &one(get(it, "title")),
        );
        check(
            format!("missing evidence `{}`'s evidence to gather", m.indicator),
            &m.gather,
            &one(get(it, "evidence")),
        );
    }
    for q in localized
        .reflective_questions
        .iter()
        .chain(&localized.focused_questions)
    {
        let want = match &q.indicator {
            Some(id) => one(get(ind(id), "questions").and_then(|qs| qs.get(0))),
            None => values(t.get("questions")),
        };
        check(
            format!(
                "question `{}`",
                q.indicator.as_deref().unwrap_or("(opening)")
            ),
            &q.question,
            &want,
        );
    }
    for i in &localized.indicators {
        check(
            format!("indicator `{}`'s title", i.id),
            &i.title,
            &one(get(ind(&i.id), "title")),
        );
        if let (Some(label), Some(l)) = (&i.label, i.level) {
            check(
                format!("indicator `{}`'s level label", i.id),
                label,
                &one(level(l)),
            );
        }
    }
    out
}

/// The value, if any, as a list of one.
fn one(v: Option<&Value>) -> Vec<&Value> {
    v.into_iter().collect()
}

/// The values of an object or a list.
fn values(v: Option<&Value>) -> Vec<&Value> {
    match v {
        Some(Value::Object(m)) => m.values().collect(),
        Some(Value::Array(a)) => a.iter().collect(),
        _ => Vec::new(),
    }
}

fn rating_words(outcome: &str, level: Option<i64>) -> String {
    match level {
        Some(l) => format!("{l}"),
        None => format!("`{outcome}`"),
    }
}

/// The languages the engine's own words (report headings, counts, reasons) are written in.
pub const ENGINE_LANGUAGES: [&str; 2] = ["en", "es"];

/// The engine's own words in the text report, in one language. Templates fill `{}` in order.
#[derive(Debug)]
pub(crate) struct Words {
    /// `Observation <id> — <setting>, <date>, <minutes> minutes`.
    pub observation: &'static str,
    /// `Reflection <id> — <date>`, for a reflection record.
    pub reflection: &'static str,
    pub center: &'static str,
    pub family_child_care: &'static str,
    pub check_record_first: &'static str,
    pub overview: &'static str,
    pub not_enough_evidence_yet: &'static str,
    /// ` (<n> not applicable)`.
    pub not_applicable_count: &'static str,
    /// `<rated> of <total> rated<na>`.
    pub rated_of: &'static str,
    pub indicator: &'static str,
    pub indicators: &'static str,
    /// `could not be scored (<n problems>, see below)`.
    pub could_not_be_scored: &'static str,
    pub problem: &'static str,
    pub problems: &'static str,
    pub strengths: &'static str,
    pub seen: &'static str,
    pub evidence: &'static str,
    pub nothing_rated: &'static str,
    /// `(none of the <n indicators> rated …)`.
    pub none_reached: &'static str,
    pub growth_areas: &'static str,
    pub next_step: &'static str,
    pub none: &'static str,
    pub questions: &'static str,
    /// `(a few per practice …; <n> more …)`.
    pub more_questions: &'static str,
    pub not_enough_heading: &'static str,
    pub look_for: &'static str,
    pub does_not_apply: &'static str,
    pub problems_heading: &'static str,
    /// Why an indicator with `applies_when: a-child-has-an-ifsp` does not apply.
    pub no_ifsp: &'static str,
    /// Why an indicator with `applies_when: a-child-is-18-months-or-older` does not apply
    /// (`{}`: the months).
    pub no_toddler: &'static str,
    /// The word before the last entry of a list (`a, b and c`).
    pub and: &'static str,
    /// The same before a word that starts with the sound of `i` (Spanish `e`: `español e
    /// inglés`); the same as `and` in languages without the rule.
    pub and_before_i: &'static str,
    /// Table label of young infants.
    pub young_infants: &'static str,
    /// Table label of mobile infants.
    pub mobile_infants: &'static str,
    /// Table label of toddlers.
    pub toddlers: &'static str,
    /// PITC's mixed-age row.
    pub mixed_age_group: &'static str,
    /// A group without children.
    pub no_children_listed: &'static str,
    /// `<n> months`.
    pub months: &'static str,
    /// `<lo>–<hi> months`.
    pub months_span: &'static str,
    /// Why a center group is in one range: span, range, from, to, source.
    pub within_range: &'static str,
    /// Why a group is PITC's mixed-age group: span, youngest range, oldest range.
    pub mixed_span: &'static str,
    /// Two neighbouring ranges.
    pub two_ranges: &'static str,
    /// Why a group counts child by child: span, range, range, source.
    pub neighbouring_span: &'static str,
    /// The limit of a group over two ranges: range, size, range, size.
    pub count_toward: &'static str,
    /// A center row's limit: children, caregivers.
    pub at_most_with: &'static str,
    /// A large family child care home.
    pub large_home: &'static str,
    /// A large home's limit: the most children.
    pub large_home_limit: &'static str,
    /// Why a home is a large home: children, adults.
    pub large_home_why: &'static str,
    /// Why one caregiver's limits apply to many children: children.
    pub one_adult_listed: &'static str,
    /// Why one caregiver's limits apply: children.
    pub one_caregiver_limits: &'static str,
    /// A family child care home with one caregiver.
    pub small_home: &'static str,
    /// One caregiver's limit: children, children under 24 months.
    pub small_home_limit: &'static str,
    /// A caseload's limit in family child care: children, under 24 months.
    pub caseload_home: &'static str,
    /// A caseload over two ranges: the ranges.
    pub caseload_by_range: &'static str,
    /// A caseload's limit: children per caregiver, range.
    pub caseload_at_most: &'static str,
    /// How notes cite each source of [`crate::tables::SOURCES`], in its order.
    pub sources: [&'static str; 7],
}

/// English: the engine's words as reports have always had them.
pub(crate) const EN: Words = Words {
    observation: "Observation {} — {}, {}, {} minutes",
    reflection: "Reflection {} — {}",
    center: "center",
    family_child_care: "family child care home",
    check_record_first: "Check the record first",
    overview: "Overview",
    not_enough_evidence_yet: "not enough evidence yet",
    not_applicable_count: " ({} not applicable)",
    rated_of: "{} of {} rated{}",
    indicator: "indicator",
    indicators: "indicators",
    could_not_be_scored: "could not be scored ({}, see below)",
    problem: "problem",
    problems: "problems",
    strengths: "Strengths",
    seen: "Seen",
    evidence: "Evidence",
    nothing_rated: "(nothing could be rated yet: gather more evidence and look again)",
    none_reached: "(none of the {} rated in this visit reached the strength level yet; the next steps below show where to start)",
    growth_areas: "Growth areas — next steps",
    next_step: "Next step",
    none: "(none)",
    questions: "Reflective questions",
    more_questions: "(a few per practice, growth areas first; {} more in the full list: `reflective_questions` in the JSON report)",
    not_enough_heading: "Not enough evidence yet (not a low score)",
    look_for: "Look for",
    does_not_apply: "Does not apply to this group (not scored)",
    problems_heading: "Problems",
    no_ifsp: "no child in the group has an IFSP",
    no_toddler: "no child in the group is {} months or older",
    and: "and",
    and_before_i: "and",
    young_infants: "young infants",
    mobile_infants: "mobile infants",
    toddlers: "toddlers",
    mixed_age_group: "a mixed-age group (birth to three)",
    no_children_listed: "no children are listed",
    months: "{} months",
    months_span: "{}–{} months",
    within_range: "every child ({}) is within the {} range of {}–{} months (source: {})",
    mixed_span: "ages {} span {} to {}, birth to three, so PITC's mixed-age group applies",
    two_ranges: "{} and {}",
    neighbouring_span: "ages {} span {} and {}, so each child counts by its own range: the younger the child, the smaller the group (source: {})",
    count_toward: "{} count toward a group of {}, {} toward a group of {}",
    at_most_with: "at most {} children with {} caregivers",
    large_home: "a large family child care home",
    large_home_limit: "each child counts toward the group size of its age row, at most {} in all",
    large_home_why: "{} children with {} adults is a large home, so the table for large homes applies, each child by the row for its age",
    one_adult_listed: "{} children with one adult listed: one caregiver's limits apply",
    one_caregiver_limits: "{} children: one caregiver's limits apply",
    small_home: "a family child care home with one caregiver",
    small_home_limit: "at most {} children, at most {} under 24 months",
    caseload_home: "at most {}, at most {} under 24 months",
    caseload_by_range: "{}: each child counts by its own range's ratio",
    caseload_at_most: "at most {} for {}",
    sources: [
        crate::tables::PITC_GROUP_SIZES.cited_as,
        crate::tables::PITC_AGES_OF_INFANCY.cited_as,
        crate::tables::PITC_YOUNGER_SMALLER.cited_as,
        crate::tables::NAEYC_AGE_RANGES.cited_as,
        crate::tables::FCC_ONE_CAREGIVER.cited_as,
        crate::tables::CFOC_LARGE_FCC.cited_as,
        crate::tables::PITC_PROGRAM_PRACTICES.cited_as,
    ],
};

/// Spanish (neutral Latin American, the field's vocabulary; see docs/glossary.md).
pub(crate) const ES: Words = Words {
    observation: "Observación {} — {}, {}, {} minutos",
    reflection: "Reflexión {} — {}",
    center: "centro",
    family_child_care: "hogar de cuidado infantil familiar",
    check_record_first: "Revise primero el registro",
    overview: "Resumen",
    not_enough_evidence_yet: "aún no hay suficiente evidencia",
    not_applicable_count: " (no aplica: {})",
    rated_of: "{} de {} calificados{}",
    indicator: "indicador",
    indicators: "indicadores",
    could_not_be_scored: "no se pudo calificar ({}, vea abajo)",
    problem: "problema",
    problems: "problemas",
    strengths: "Fortalezas",
    seen: "Observado",
    evidence: "Evidencia",
    nothing_rated: "(aún no se pudo calificar nada: reúna más evidencia y vuelva a mirar)",
    none_reached: "(ninguno de los {} calificados en esta visita alcanzó todavía el nivel de fortaleza; los próximos pasos de abajo muestran por dónde empezar)",
    growth_areas: "Áreas de crecimiento — próximos pasos",
    next_step: "Próximo paso",
    none: "(ninguna)",
    questions: "Preguntas de reflexión",
    more_questions: "(algunas por práctica, primero las de áreas de crecimiento; {} más en la lista completa: `reflective_questions` en el informe JSON)",
    not_enough_heading: "Aún no hay suficiente evidencia (no es una calificación baja)",
    look_for: "Busque",
    does_not_apply: "No aplica a este grupo (no se califica)",
    problems_heading: "Problemas",
    no_ifsp: "ningún niño o niña del grupo tiene un IFSP",
    no_toddler: "ningún niño o niña del grupo tiene {} meses o más",
    and: "y",
    and_before_i: "e",
    young_infants: "bebés pequeños",
    mobile_infants: "bebés que gatean y caminan",
    toddlers: "niños y niñas pequeños",
    mixed_age_group: "un grupo de edades mixtas (del nacimiento a los tres años)",
    no_children_listed: "no hay niños ni niñas en la lista",
    months: "{} meses",
    months_span: "{}–{} meses",
    within_range: "todos los niños y niñas ({}) están dentro del tramo de {}, de {} a {} meses (fuente: {})",
    mixed_span: "las edades ({}) van de {} a {}, del nacimiento a los tres años, así que se aplica el grupo de edades mixtas de PITC",
    two_ranges: "{} y {}",
    neighbouring_span: "las edades ({}) abarcan dos tramos, {} y {}, así que cada niño o niña cuenta según su propio tramo: cuanto más pequeño el niño o niña, más pequeño el grupo (fuente: {})",
    count_toward: "los {} cuentan para un grupo de {}; los {}, para un grupo de {}",
    at_most_with: "como máximo {} niños y niñas con {} cuidadores/as",
    large_home: "un hogar grande de cuidado infantil familiar",
    large_home_limit: "cada niño o niña cuenta para el tamaño del grupo de la fila de su edad, como máximo {} en total",
    large_home_why: "{} niños y niñas con {} personas adultas forman un hogar grande, así que se aplica la tabla de hogares grandes, a cada niño o niña según la fila de su edad",
    one_adult_listed: "{} niños y niñas con una sola persona adulta registrada: se aplican los límites de un/a cuidador/a",
    one_caregiver_limits: "{} niños y niñas: se aplican los límites de un/a cuidador/a",
    small_home: "un hogar de cuidado infantil familiar con un/a cuidador/a",
    small_home_limit: "como máximo {} niños y niñas, como máximo {} menores de 24 meses",
    caseload_home: "como máximo {}, como máximo {} menores de 24 meses",
    caseload_by_range: "{}: cada niño o niña cuenta según la proporción de su propio tramo",
    caseload_at_most: "como máximo {} para {}",
    sources: [
        "tamaños de grupo recomendados por PITC",
        "edades de la primera infancia según PITC",
        "principio de grupos pequeños de PITC",
        "tramos de edad de NAEYC (práctica apropiada para el desarrollo)",
        "Caring for Our Children, cuidado infantil familiar",
        "Caring for Our Children 1.1.1.2, hogares grandes de cuidado infantil familiar",
        "prácticas de programa de PITC",
    ],
};

/// Every language of the engine's words, with its tag (the order of [`ENGINE_LANGUAGES`]).
pub(crate) const WORDS: [(&str, &Words); 2] = [("en", &EN), ("es", &ES)];

impl Words {
    /// The engine's words for `lang` (a language tag; its first subtag decides), English for
    /// a language the engine has no words in, and for `None`.
    pub fn of(lang: Option<&str>) -> &'static Words {
        let primary = lang.and_then(|l| l.split('-').next()).unwrap_or("en");
        WORDS
            .iter()
            .find(|(tag, _)| tag.eq_ignore_ascii_case(primary))
            .map_or(&EN, |(_, words)| words)
    }

    /// Every text with its name, for checks that compare the languages.
    #[cfg(test)]
    pub fn all(&self) -> Vec<(&'static str, &'static str)> {
        vec![
            ("observation", self.observation),
            ("reflection", self.reflection),
            ("center", self.center),
            ("family_child_care", self.family_child_care),
            ("check_record_first", self.check_record_first),
            ("overview", self.overview),
            ("not_enough_evidence_yet", self.not_enough_evidence_yet),
            ("not_applicable_count", self.not_applicable_count),
            ("rated_of", self.rated_of),
            ("indicator", self.indicator),
            ("indicators", self.indicators),
            ("could_not_be_scored", self.could_not_be_scored),
            ("problem", self.problem),
            ("problems", self.problems),
            ("strengths", self.strengths),
            ("seen", self.seen),
            ("evidence", self.evidence),
            ("nothing_rated", self.nothing_rated),
            ("none_reached", self.none_reached),
            ("growth_areas", self.growth_areas),
            ("next_step", self.next_step),
            ("none", self.none),
            ("questions", self.questions),
            ("more_questions", self.more_questions),
            ("not_enough_heading", self.not_enough_heading),
            ("look_for", self.look_for),
            ("does_not_apply", self.does_not_apply),
            ("problems_heading", self.problems_heading),
            ("no_ifsp", self.no_ifsp),
            ("no_toddler", self.no_toddler),
            ("and", self.and),
            ("and_before_i", self.and_before_i),
            ("young_infants", self.young_infants),
            ("mobile_infants", self.mobile_infants),
            ("toddlers", self.toddlers),
            ("mixed_age_group", self.mixed_age_group),
            ("no_children_listed", self.no_children_listed),
            ("months", self.months),
            ("months_span", self.months_span),
            ("within_range", self.within_range),
            ("mixed_span", self.mixed_span),
            ("two_ranges", self.two_ranges),
            ("neighbouring_span", self.neighbouring_span),
            ("count_toward", self.count_toward),
            ("at_most_with", self.at_most_with),
            ("large_home", self.large_home),
            ("large_home_limit", self.large_home_limit),
            ("large_home_why", self.large_home_why),
            ("one_adult_listed", self.one_adult_listed),
            ("one_caregiver_limits", self.one_caregiver_limits),
            ("small_home", self.small_home),
            ("small_home_limit", self.small_home_limit),
            ("caseload_home", self.caseload_home),
            ("caseload_by_range", self.caseload_by_range),
            ("caseload_at_most", self.caseload_at_most),
            ("sources", self.sources[0]),
            ("sources", self.sources[1]),
            ("sources", self.sources[2]),
            ("sources", self.sources[3]),
            ("sources", self.sources[4]),
            ("sources", self.sources[5]),
            ("sources", self.sources[6]),
        ]
    }

    /// How a note cites `source` in these words.
    pub fn cited(&self, source: crate::tables::Source) -> &'static str {
        crate::tables::SOURCES
            .iter()
            .position(|s| *s == source)
            .and_then(|i| self.sources.get(i).copied())
            .unwrap_or(source.cited_as)
    }

    /// The label of a table row or age range by its id (`young-infant`, `mixed-ages`, …).
    pub fn row_label(&self, id: &str) -> &'static str {
        match id {
            "young-infant" => self.young_infants,
            "mobile-infant" => self.mobile_infants,
            "older-infant" => self.toddlers,
            _ => self.mixed_age_group,
        }
    }

    /// A list in these words: `a`, `a and b`, `a, b and c` (`a, b y c`; `español e inglés`).
    pub fn list(&self, entries: &[String]) -> String {
        match entries {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => {
                // `i`, `hi` (not `hie`, `hia`…: `agua y hielo`) sound as `i`.
                // What follows the `i` of a word that starts with `hi`.
                let after_hi = last
                    .strip_prefix(['h', 'H'])
                    .filter(|r| r.starts_with(['i', 'I', 'í', 'Í']))
                    .map(|r| r.char_indices().nth(1).map_or("", |(i, _)| &r[i..]));
                let sounds_i = last.starts_with(['i', 'I', 'í', 'Í'])
                    || after_hi
                        .is_some_and(|r| !r.starts_with(['a', 'e', 'o', 'u', 'á', 'é', 'ó', 'ú']));
                let and = if sounds_i {
                    self.and_before_i
                } else {
                    self.and
                };
                format!("{} {and} {last}", init.join(", "))
            }
        }
    }

    /// Why an indicator with this condition does not apply, in these words.
    pub fn not_applicable(&self, when: AppliesWhen) -> String {
        match when {
            AppliesWhen::AChildHasAnIfsp => self.no_ifsp.to_string(),
            AppliesWhen::AChildIs18MonthsOrOlder => fill(
                self.no_toddler,
                &[&crate::rubric::TODDLER_FROM_MONTHS.to_string()],
            ),
        }
    }

    /// `1 indicator`, `2 indicators`.
    pub fn count(&self, n: usize, one: &str, many: &str) -> String {
        format!("{n} {}", if n == 1 { one } else { many })
    }
}

/// `template` with each `{}` replaced by the next of `args` (a missing one leaves `{}` out).
pub(crate) fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut parts = template.split("{}");
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for (i, part) in parts.enumerate() {
        out.push_str(args.get(i).copied().unwrap_or_default());
        out.push_str(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_the_same_placeholders_and_no_blank_words() {
        for (name, en) in EN.all() {
            for (_, words) in WORDS {
                let (_, other) = words
                    .all()
                    .into_iter()
                    .find(|(n, _)| *n == name)
                    .unwrap_or_default();
                assert_eq!(
                    en.matches("{}").count(),
                    other.matches("{}").count(),
                    "`{name}`: `{en}` / `{other}`"
                );
                assert!(!other.trim().is_empty(), "`{name}` is blank");
            }
        }
    }

    #[test]
    fn a_regional_tag_finds_its_language() {
        let declared = vec!["en".to_string(), "es".to_string()];
        assert_eq!(match_language(&declared, "es"), Some("es"));
        assert_eq!(match_language(&declared, "ES-mx"), Some("es"));
        assert_eq!(match_language(&declared, "es-419-x-y"), Some("es"));
        assert_eq!(match_language(&declared, "fr"), None);
        assert_eq!(match_language(&declared, ""), None);
        assert_eq!(Words::of(Some("es-MX")).overview, "Resumen");
        assert_eq!(Words::of(Some("fr")).overview, "Overview");
        let tags: Vec<&str> = WORDS.iter().map(|(t, _)| *t).collect();
        assert_eq!(tags, ENGINE_LANGUAGES);
    }

    #[test]
    fn fill_puts_the_values_in_order() {
        assert_eq!(fill("{} of {} rated{}", &["2", "3", ""]), "2 of 3 rated");
        assert_eq!(fill("no braces", &["x"]), "no braces");
    }

    #[test]
    fn language_tags_are_those_of_the_record_format() {
        for ok in ["en", "es", "es-MX", "zh-Hant", "hmn", "es-419"] {
            assert!(is_language_tag(ok), "{ok}");
        }
        for bad in ["", "e s", "es_MX", "é", &"a".repeat(36)] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }
}
