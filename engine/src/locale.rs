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
    let mut built = None;
    let skeleton_of = skeleton;
    for (i, tag) in meta.languages.iter().enumerate().skip(1) {
        let at = format!("/translations/{}", seg(tag));
        match meta.translations.get(tag) {
            Some(t) => compare(&*built.get_or_insert_with(|| skeleton_of(meta)), t, &at, err),
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
/// `translations`). Script notes and "not enough evidence" reasons are the script's and stay as
/// they are; "not applicable" reasons are the engine's words in the language.
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
    // engine's words and so differ).
    let rating = |i: &crate::result::IndicatorRating| {
        (
            i.id.clone(),
            i.outcome,
            i.level,
            i.evidence.clone(),
            i.note.clone(),
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
}

/// English: the engine's words as reports have always had them.
pub(crate) const EN: Words = Words {
    observation: "Observation {} — {}, {}, {} minutes",
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
};

/// Spanish (neutral Latin American, the field's vocabulary; see docs/glossary.md).
pub(crate) const ES: Words = Words {
    observation: "Observación {} — {}, {}, {} minutos",
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
        ]
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
