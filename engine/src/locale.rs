//! Rubric texts in more than one language: the `translations` of rubric metadata, their
//! completeness checks, the localized metadata, and the engine's own words in the text report.
//!
//! A rubric is written in the first language of its `languages` list; every further language
//! has a translation under `translations.<tag>` that carries every text of the rubric and nothing
//! else, so items, cases and ids stay shared between languages (see docs/localisation.md).

use crate::result::RubricResult;
use crate::rubric::{AppliesWhen, RubricMeta};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Longest language tag, in characters (as in the record format).
const MAX_TAG: usize = 35;

/// One language's texts of a rubric: `translations.<tag>` in rubric.json.
///
/// Every field is optional in the type so that a missing text is reported with its JSON path;
/// a rubric that loaded has every text its source language has.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Translation {
    /// The rubric's title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The rubric's summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// The opening questions, as many as the source has, in the same order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub questions: Option<Vec<String>>,
    /// Each level of the scale, keyed by its value as text (`"1"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<BTreeMap<String, LevelText>>,
    /// Each indicator's texts, keyed by indicator id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicators: Option<BTreeMap<String, IndicatorText>>,
    /// Each item's texts, keyed by item id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<BTreeMap<String, ItemText>>,
}

/// A level's texts in one language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelText {
    /// Short label, e.g. `Consolidado`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// What care looks like at this level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub descriptor: Option<String>,
}

/// An indicator's texts in one language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorText {
    /// What is rated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// What counts as evidence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    /// The strength, named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strength: Option<String>,
    /// The strength per level band, with the same keys as the source's `strengths`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strengths: Option<BTreeMap<String, String>>,
    /// The next step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_step: Option<String>,
    /// The next step per level band, with the same keys as the source's `next_steps`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_steps: Option<BTreeMap<String, String>>,
    /// The reflective questions, as many as the source has, in the same order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub questions: Option<Vec<String>>,
}

/// An item's texts in one language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemText {
    /// The question or prompt on the form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Guidance for the coach (when the source has it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The label of each option of a choice item, keyed by the option's stored value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<BTreeMap<String, String>>,
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
        tag = &tag[..tag.rfind('-')?];
    }
}

/// Collects one problem: JSON path, message, what to change.
type Report<'a> = dyn FnMut(String, String, String) + 'a;

/// Checks `languages` and `translations`: every tag well formed and listed once, a complete
/// translation for every language after the first, and nothing else.
pub(crate) fn check(meta: &RubricMeta, err: &mut Report) {
    let mut seen = BTreeSet::new();
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
        } else if !seen.insert(tag.to_ascii_lowercase()) {
            err(
                format!("/languages/{i}"),
                format!("language `{tag}` is listed twice"),
                "list each language once".into(),
            );
        }
    }
    let source = meta.languages.first().map(String::as_str);
    for tag in meta.translations.keys() {
        let at = format!("/translations/{}", crate::diagnostic::pointer_segment(tag));
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
                    listed(&meta.languages)
                ),
            );
        }
    }
    for (i, tag) in meta.languages.iter().enumerate().skip(1) {
        match meta.translations.get(tag) {
            Some(t) => check_translation(
                meta,
                t,
                &format!("/translations/{}", crate::diagnostic::pointer_segment(tag)),
                err,
            ),
            None => err(
                format!("/translations/{}", crate::diagnostic::pointer_segment(tag)),
                format!("`languages` lists `{tag}` but there is no translation into it"),
                format!(
                    "add `\"translations\": {{\"{tag}\": {{…}}}}` with every text of the rubric (docs/localisation.md), or remove `{tag}` from `languages/{i}`"
                ),
            ),
        }
    }
}

fn listed(tags: &[String]) -> String {
    if tags.is_empty() {
        return "none".into();
    }
    tags.iter()
        .map(|t| format!("`{t}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One text: present and not blank.
fn text(value: Option<&String>, path: String, what: &str, err: &mut Report) {
    match value {
        None => err(
            path,
            format!("missing translation of {what}"),
            "add the translated text".into(),
        ),
        Some(s) if s.trim().is_empty() => err(
            path,
            format!("the translation of {what} is empty"),
            "write the translated text".into(),
        ),
        Some(_) => {}
    }
}

/// An optional source text (item help): translated exactly when the source has it.
fn optional_text(
    source: Option<&String>,
    value: Option<&String>,
    path: String,
    what: &str,
    err: &mut Report,
) {
    match (source, value) {
        (Some(_), v) => text(v, path, what, err),
        (None, Some(_)) => err(
            path,
            format!("{what} is translated but the rubric has none to translate"),
            "remove it, or add the text to the rubric first".into(),
        ),
        (None, None) => {}
    }
}

/// A list of texts: as many as the source, each present.
fn texts(
    source: &[String],
    value: Option<&Vec<String>>,
    path: String,
    what: &str,
    err: &mut Report,
) {
    match value {
        None if source.is_empty() => {}
        None => err(
            path,
            format!("missing translation of {what}"),
            format!("add a list of {} translated texts, in the source's order", source.len()),
        ),
        Some(list) if list.len() != source.len() => err(
            path,
            format!(
                "{what}: {} translated, the rubric has {}",
                list.len(),
                source.len()
            ),
            "translate each text once, in the source's order; add or remove texts in every language together".into(),
        ),
        Some(list) => {
            for (i, s) in list.iter().enumerate() {
                if s.trim().is_empty() {
                    err(
                        format!("{path}/{i}"),
                        format!("the translation of {what} {} is empty", i + 1),
                        "write the translated text".into(),
                    );
                }
            }
        }
    }
}

/// A map of texts with exactly the source's keys.
fn keyed<'k>(
    source: impl IntoIterator<Item = &'k str>,
    value: Option<&BTreeMap<String, String>>,
    path: String,
    what: &str,
    err: &mut Report,
) {
    let source: Vec<&str> = source.into_iter().collect();
    let Some(map) = value else {
        if !source.is_empty() {
            err(
                path,
                format!("missing translation of {what}"),
                format!("add an object with the keys {}", quoted(&source)),
            );
        }
        return;
    };
    for key in &source {
        let at = format!("{path}/{}", crate::diagnostic::pointer_segment(key));
        text(map.get(*key), at, &format!("{what} `{key}`"), err);
    }
    for key in map.keys().filter(|k| !source.contains(&k.as_str())) {
        err(
            format!("{path}/{}", crate::diagnostic::pointer_segment(key)),
            format!("{what} has no `{key}` in the rubric"),
            if source.is_empty() {
                "remove it: the rubric has none to translate".to_string()
            } else {
                format!("the keys are {}; remove this one", quoted(&source))
            },
        );
    }
}

fn quoted(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Entries keyed by the ids of `ids`: one for each, and no others.
fn entries<'m, T>(
    ids: &[&str],
    value: Option<&'m BTreeMap<String, T>>,
    path: &str,
    what: &str,
    err: &mut Report,
) -> Vec<(&'m T, String, usize)> {
    let Some(map) = value else {
        if !ids.is_empty() {
            err(
                path.to_string(),
                format!("missing translation of the {what}s"),
                format!("add an object keyed by {what} id: {}", quoted(ids)),
            );
        }
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let at = format!("{path}/{}", crate::diagnostic::pointer_segment(id));
        match map.get(*id) {
            Some(t) => out.push((t, at, i)),
            None => err(
                at,
                format!("missing translation of {what} `{id}`"),
                format!("add `\"{id}\": {{…}}` with the {what}'s texts"),
            ),
        }
    }
    for key in map.keys().filter(|k| !ids.contains(&k.as_str())) {
        let help = match crate::json::closest(key, ids) {
            Some(s) => format!(
                "did you mean `{s}`? The rubric's {what}s are {}",
                quoted(ids)
            ),
            None => format!("the rubric's {what}s are {}; remove this one", quoted(ids)),
        };
        err(
            format!("{path}/{}", crate::diagnostic::pointer_segment(key)),
            format!("translation of {what} `{key}`, which the rubric does not have"),
            help,
        );
    }
    out
}

fn check_translation(meta: &RubricMeta, t: &Translation, at: &str, err: &mut Report) {
    text(t.title.as_ref(), format!("{at}/title"), "the title", err);
    text(
        t.summary.as_ref(),
        format!("{at}/summary"),
        "the summary",
        err,
    );
    texts(
        &meta.questions,
        t.questions.as_ref(),
        format!("{at}/questions"),
        "the opening questions",
        err,
    );

    let level_keys: Vec<String> = meta
        .scale
        .levels
        .iter()
        .map(|l| l.value.to_string())
        .collect();
    let level_ids: Vec<&str> = level_keys.iter().map(String::as_str).collect();
    for (lt, path, i) in entries(
        &level_ids,
        t.scale.as_ref(),
        &format!("{at}/scale"),
        "level",
        err,
    ) {
        let level = level_ids.get(i).copied().unwrap_or_default();
        text(
            lt.label.as_ref(),
            format!("{path}/label"),
            &format!("level {level}'s label"),
            err,
        );
        text(
            lt.descriptor.as_ref(),
            format!("{path}/descriptor"),
            &format!("level {level}'s descriptor"),
            err,
        );
    }

    let indicator_ids: Vec<&str> = meta.indicators.iter().map(|i| i.id.as_str()).collect();
    for (it, path, i) in entries(
        &indicator_ids,
        t.indicators.as_ref(),
        &format!("{at}/indicators"),
        "indicator",
        err,
    ) {
        let Some(ind) = meta.indicators.get(i) else {
            continue;
        };
        let id = &ind.id;
        text(
            it.title.as_ref(),
            format!("{path}/title"),
            &format!("`{id}`'s title"),
            err,
        );
        text(
            it.evidence.as_ref(),
            format!("{path}/evidence"),
            &format!("`{id}`'s evidence"),
            err,
        );
        text(
            it.strength.as_ref(),
            format!("{path}/strength"),
            &format!("`{id}`'s strength"),
            err,
        );
        text(
            it.next_step.as_ref(),
            format!("{path}/next_step"),
            &format!("`{id}`'s next step"),
            err,
        );
        keyed(
            ind.strengths.keys().map(String::as_str),
            it.strengths.as_ref(),
            format!("{path}/strengths"),
            &format!("`{id}`'s strengths"),
            err,
        );
        keyed(
            ind.next_steps.keys().map(String::as_str),
            it.next_steps.as_ref(),
            format!("{path}/next_steps"),
            &format!("`{id}`'s next steps"),
            err,
        );
        texts(
            &ind.questions,
            it.questions.as_ref(),
            format!("{path}/questions"),
            &format!("`{id}`'s questions"),
            err,
        );
    }

    let item_ids: Vec<&str> = meta.items.iter().map(|i| i.id.as_str()).collect();
    for (it, path, i) in entries(
        &item_ids,
        t.items.as_ref(),
        &format!("{at}/items"),
        "item",
        err,
    ) {
        let Some(item) = meta.items.get(i) else {
            continue;
        };
        let id = &item.id;
        text(
            it.label.as_ref(),
            format!("{path}/label"),
            &format!("item `{id}`'s label"),
            err,
        );
        optional_text(
            item.help.as_ref(),
            it.help.as_ref(),
            format!("{path}/help"),
            &format!("item `{id}`'s help"),
            err,
        );
        keyed(
            item.options.iter().map(|o| o.value.as_str()),
            it.options.as_ref(),
            format!("{path}/options"),
            &format!("item `{id}`'s options"),
            err,
        );
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
    let set = |to: &mut String, from: Option<&String>| {
        if let Some(s) = from {
            to.clone_from(s);
        }
    };
    let set_all = |to: &mut Vec<String>, from: Option<&Vec<String>>| {
        if let Some(list) = from.filter(|l| l.len() == to.len()) {
            to.clone_from(list);
        }
    };
    let set_keyed = |to: &mut BTreeMap<String, String>, from: Option<&BTreeMap<String, String>>| {
        for (k, v) in to.iter_mut() {
            set(v, from.and_then(|m| m.get(k)));
        }
    };
    set(&mut out.title, t.title.as_ref());
    set(&mut out.summary, t.summary.as_ref());
    set_all(&mut out.questions, t.questions.as_ref());
    for level in &mut out.scale.levels {
        if let Some(lt) = t
            .scale
            .as_ref()
            .and_then(|s| s.get(&level.value.to_string()))
        {
            set(&mut level.label, lt.label.as_ref());
            set(&mut level.descriptor, lt.descriptor.as_ref());
        }
    }
    for ind in &mut out.indicators {
        if let Some(it) = t.indicators.as_ref().and_then(|m| m.get(&ind.id)) {
            set(&mut ind.title, it.title.as_ref());
            set(&mut ind.evidence, it.evidence.as_ref());
            set(&mut ind.strength, it.strength.as_ref());
            set(&mut ind.next_step, it.next_step.as_ref());
            set_keyed(&mut ind.strengths, it.strengths.as_ref());
            set_keyed(&mut ind.next_steps, it.next_steps.as_ref());
            set_all(&mut ind.questions, it.questions.as_ref());
        }
    }
    for item in &mut out.items {
        if let Some(it) = t.items.as_ref().and_then(|m| m.get(&item.id)) {
            set(&mut item.label, it.label.as_ref());
            if let (Some(help), Some(h)) = (item.help.as_mut(), it.help.as_ref()) {
                help.clone_from(h);
            }
            for option in &mut item.options {
                set(
                    &mut option.label,
                    it.options.as_ref().and_then(|m| m.get(&option.value)),
                );
            }
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
            "the practice's status, score or coverage in `{lang}` differs from `{}`",
            meta.source_language()
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
                "indicator `{}` is rated {} in `{}` and {} in `{lang}` (or its evidence or note differs)",
                a.id,
                rating_words(a.outcome, a.level),
                meta.source_language(),
                rating_words(b.outcome, b.level)
            ));
        }
    }
    if source.indicators.len() != localized.indicators.len() {
        out.push(format!("the number of indicators differs in `{lang}`"));
    }
    let order = |r: &RubricResult| {
        (
            r.strengths
                .iter()
                .map(|s| s.indicator.clone())
                .collect::<Vec<_>>(),
            r.growth_areas
                .iter()
                .map(|g| g.indicator.clone())
                .collect::<Vec<_>>(),
            r.missing_evidence
                .iter()
                .map(|m| m.indicator.clone())
                .collect::<Vec<_>>(),
            r.focused_questions
                .iter()
                .map(|q| q.indicator.clone())
                .collect::<Vec<_>>(),
            r.reflective_questions
                .iter()
                .map(|q| q.indicator.clone())
                .collect::<Vec<_>>(),
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
    let mut text = |what: String, have: &str, want: Option<&String>| {
        if want.is_none_or(|w| w != have) {
            out.push(format!("{what} is not its `{lang}` translation: `{have}`"));
        }
    };
    text(
        "the rubric's title".into(),
        &localized.rubric.title,
        t.title.as_ref(),
    );
    let ind = |id: &str| t.indicators.as_ref().and_then(|m| m.get(id));
    let level = |l: i64| {
        t.scale
            .as_ref()
            .and_then(|m| m.get(&l.to_string()))
            .and_then(|l| l.label.as_ref())
    };
    for s in &localized.strengths {
        let it = ind(&s.indicator);
        text(
            format!("strength `{}`'s title", s.indicator),
            &s.title,
            it.and_then(|i| i.title.as_ref()),
        );
        text(
            format!("strength `{}`'s level label", s.indicator),
            &s.label,
            level(s.level),
        );
        let texts: Vec<&String> = it
            .into_iter()
            .flat_map(|i| {
                i.strength
                    .iter()
                    .chain(i.strengths.iter().flat_map(|m| m.values()))
            })
            .collect();
        text(
            format!("strength `{}`'s text", s.indicator),
            &s.text,
            texts.into_iter().find(|x| **x == s.text),
        );
    }
    for g in &localized.growth_areas {
        let it = ind(&g.indicator);
        text(
            format!("growth area `{}`'s title", g.indicator),
            &g.title,
            it.and_then(|i| i.title.as_ref()),
        );
        text(
            format!("growth area `{}`'s level label", g.indicator),
            &g.label,
            level(g.level),
        );
        let texts: Vec<&String> = it
            .into_iter()
            .flat_map(|i| {
                i.next_step
                    .iter()
                    .chain(i.next_steps.iter().flat_map(|m| m.values()))
            })
            .collect();
        text(
            format!("growth area `{}`'s next step", g.indicator),
            &g.next_step,
            texts.into_iter().find(|x| **x == g.next_step),
        );
    }
    for m in &localized.missing_evidence {
        let it = ind(&m.indicator);
        text(
            format!("missing evidence `{}`'s title", m.indicator),
            &m.title,
            it.and_then(|i| i.title.as_ref()),
        );
        text(
            format!("missing evidence `{}`'s evidence to gather", m.indicator),
            &m.gather,
            it.and_then(|i| i.evidence.as_ref()),
        );
    }
    for q in localized
        .reflective_questions
        .iter()
        .chain(&localized.focused_questions)
    {
        let want = match &q.indicator {
            Some(id) => ind(id)
                .and_then(|i| i.questions.as_ref())
                .and_then(|qs| qs.first()),
            None => t.questions.iter().flatten().find(|x| **x == q.question),
        };
        text(
            format!(
                "question `{}`",
                q.indicator.as_deref().unwrap_or("(opening)")
            ),
            &q.question,
            want,
        );
    }
    for i in &localized.indicators {
        text(
            format!("indicator `{}`'s title", i.id),
            &i.title,
            ind(&i.id).and_then(|x| x.title.as_ref()),
        );
        if let (Some(label), Some(l)) = (&i.label, i.level) {
            text(
                format!("indicator `{}`'s level label", i.id),
                label,
                level(l),
            );
        }
    }
    out
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
