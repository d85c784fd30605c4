//! The words trends and agreements write, in Spanish: for inputs that make every reason, note,
//! warning and problem of `rubrica trend` and `rubrica agree` appear, each text the Spanish
//! answer holds is written wholly from the Spanish of the catalogue (`engine/src/diagnostic_text.rs`,
//! read here from its source): a template whose values are ids, numbers, dates, versions or
//! again texts of the catalogue, never English. The same place of the English answer holds the
//! English of the same catalogue, and asking for English gives the answer without a language
//! byte for byte.

use rubrica::Workspace;
use rubrica_tests::root;
use serde_json::{json, Value};

/// One template of the catalogue: its name, English and Spanish.
struct Template {
    name: String,
    en: String,
    es: String,
}

/// The templates, read from the catalogue's source (`NAME: "English" => "Spanish";`).
fn catalogue() -> Vec<Template> {
    let src = std::fs::read_to_string(root().join("engine/src/diagnostic_text.rs")).unwrap();
    let body = &src[src.find("templates! {").expect("the catalogue")..];
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(arrow) = [rest.find("\" => \""), rest.find("\"\n        => \"")]
        .into_iter()
        .flatten()
        .min()
    {
        // Back from the arrow to the name before the English literal.
        let head = &rest[..arrow];
        let open = literal_start(head);
        let name = head[..open]
            .trim_end()
            .trim_end_matches(':')
            .rsplit(|c: char| c.is_whitespace())
            .next()
            .unwrap()
            .to_string();
        let en = unescape(&head[open + 1..]);
        let after = &rest[arrow + 1..];
        let es_open = after.find('"').unwrap();
        let es_body = &after[es_open + 1..];
        let es_end = literal_end(es_body);
        out.push(Template {
            name,
            en,
            es: unescape(&es_body[..es_end]),
        });
        rest = &es_body[es_end + 1..];
    }
    assert!(
        out.len() > 150,
        "the catalogue is read ({} templates)",
        out.len()
    );
    out
}

/// Where the string literal ending `head` opens (its quote not escaped).
fn literal_start(head: &str) -> usize {
    let b = head.as_bytes();
    (0..b.len())
        .rev()
        .find(|&i| b[i] == b'"' && (i == 0 || b[i - 1] != b'\\' || (i >= 2 && b[i - 2] == b'\\')))
        .expect("an opening quote")
}

/// Where the string literal `body` (after its opening quote) ends.
fn literal_end(body: &str) -> usize {
    let b = body.as_bytes();
    let mut i = 0;
    while b[i] != b'"' {
        i += if b[i] == b'\\' { 2 } else { 1 };
    }
    i
}

fn unescape(s: &str) -> String {
    s.replace("\\\"", "\"")
        .replace("\\n", "\n")
        .replace("\\\\", "\\")
}

#[derive(Clone, Copy, PartialEq)]
enum Lang {
    En,
    Es,
}

/// A template's text cut into literal pieces and placeholders (`None`).
fn parts(template: &str) -> Vec<Option<&str>> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').map(|c| open + c);
        let name = close.map(|c| &rest[open + 1..c]);
        match (close, name) {
            (Some(c), Some(n))
                if !n.is_empty() && n.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') =>
            {
                out.push(Some(&rest[..open]));
                out.push(None);
                rest = &rest[c + 1..];
            }
            _ => {
                out.push(Some(&rest[..=open]));
                rest = &rest[open + 1..];
            }
        }
    }
    out.push(Some(rest));
    out.into_iter().filter(|p| *p != Some("")).collect()
}

/// A value written as it is in every language: ids, numbers, dates, versions, labels of inputs,
/// each alone or quoted, in a list joined by `, `.
fn plain(value: &str) -> bool {
    value.split(", ").all(|v| {
        (v.len() >= 2 && v.starts_with('`') && v.ends_with('`') && !v[1..v.len() - 1].contains('`'))
            || (!v.is_empty()
                && v.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.[]/".contains(c)))
    })
}

struct Words {
    templates: Vec<Template>,
}

impl Words {
    fn text(&self, t: &Template, lang: Lang) -> String {
        match lang {
            Lang::En => t.en.clone(),
            Lang::Es => t.es.clone(),
        }
    }

    /// The template `text` is wholly written from in `lang`, if any (its values plain or again
    /// texts of the catalogue).
    fn written_from(&self, text: &str, lang: Lang) -> Option<&str> {
        self.templates
            .iter()
            .filter(|t| t.name != "AS_WRITTEN")
            .find(|t| self.fits(text, &parts(&self.text(t, lang)), lang))
            .map(|t| t.name.as_str())
    }

    fn fits(&self, text: &str, parts: &[Option<&str>], lang: Lang) -> bool {
        match parts.split_first() {
            None => text.is_empty(),
            Some((Some(lit), rest)) => text
                .strip_prefix(lit)
                .is_some_and(|t| self.fits(t, rest, lang)),
            Some((None, rest)) => (1..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                // The literal after the placeholder must follow it.
                .filter(|&i| match rest.first() {
                    Some(Some(lit)) => text[i..].starts_with(lit),
                    _ => true,
                })
                .any(|i| {
                    let value = &text[..i];
                    (plain(value) || self.written_from(value, lang).is_some())
                        && self.fits(&text[i..], rest, lang)
                }),
        }
    }
}

/// The texts of an answer the engine writes in words: every reason, note, warning and problem,
/// with where each is.
fn engine_words(answer: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut add = |at: String, v: &Value| {
        if let Some(s) = v.as_str() {
            out.push((at, s.to_string()));
        }
    };
    for (i, e) in answer["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        add(format!("/errors/{i}/message"), &e["message"]);
        add(format!("/errors/{i}/help"), &e["help"]);
    }
    for (i, w) in answer["warnings"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        add(format!("/warnings/{i}"), w);
    }
    for (i, l) in answer["left_out"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        add(format!("/left_out/{i}/reason"), &l["reason"]);
    }
    for (s, series) in answer["series"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        for (p, practice) in series["practices"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            for (k, point) in practice["points"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
            {
                let at = format!("/series/{s}/practices/{p}/points/{k}");
                add(format!("{at}/no_change"), &point["no_change"]);
                // A break's reason: its parts, joined by "; ".
                if let Some(reason) = point["break"]["reason"].as_str() {
                    for (j, part) in reason.split("; ").enumerate() {
                        add(format!("{at}/break/reason#{j}"), &json!(part));
                    }
                }
            }
        }
    }
    let mut stats = |at: String, s: &Value| {
        for k in ["kappa", "quadratic_kappa"] {
            add(format!("{at}/{k}/reason"), &s[k]["reason"]);
        }
    };
    stats(String::from("/overall"), &answer["overall"]);
    for (p, practice) in answer["practices"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        if practice["rubric"].is_object() {
            stats(format!("/practices/{p}"), practice);
            for (i, ind) in practice["indicators"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
            {
                stats(format!("/practices/{p}/indicators/{i}"), ind);
            }
        }
    }
    out
}

/// A report of rubrics `(id, version, levels, ratings)` on `date` in `setting`; indicator `i<k>`
/// rated at the level given, or not rated (`None`).
fn report(date: &str, setting: &str, practices: &[(&str, &str, i64, &[Option<i64>])]) -> Value {
    let practices: Vec<Value> = practices
        .iter()
        .map(|(id, version, levels, ratings)| {
            let indicators: Vec<Value> = ratings
                .iter()
                .enumerate()
                .map(|(i, r)| match r {
                    Some(l) => json!({"id": format!("i{i}"), "title": format!("Indicator {i}"),
                        "outcome": "rated", "level": l, "label": format!("L{l}"),
                        "evidence": [format!("/notes/{i}")]}),
                    None => json!({"id": format!("i{i}"), "title": format!("Indicator {i}"),
                        "outcome": "not-enough-evidence", "level": null, "label": null,
                        "evidence": [], "reason": "not recorded"}),
                })
                .collect();
            let rated = ratings.iter().flatten().count();
            let score = (rated > 0).then(|| {
                ratings.iter().flatten().sum::<i64>() as f64 / rated as f64
            });
            json!({"type": "success", "result": {
                "rubric": {"id": id, "version": version, "practice": id, "title": format!("Rubric {id}")},
                "status": if score.is_some() { "rated" } else { "not-enough-evidence" },
                "score": score, "scale_max": levels,
                "coverage": {"rated": rated, "total": ratings.len(),
                    "percent": rated * 100 / ratings.len().max(1), "not_applicable": 0},
                "indicators": indicators
            }})
        })
        .collect();
    json!({"format": "rubrica.report/1", "record": format!("obs-{date}"), "setting": setting,
        "observed_on": date, "minutes": 60, "warnings": [], "practices": practices})
}

fn example(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(root().join("examples").join(name)).unwrap())
        .unwrap()
}

fn with_rubrics() -> Workspace {
    let mut w = Workspace::default();
    for f in rubrica::load_rubric_dir(&root().join("rubrics")).unwrap() {
        assert!(w.load_rubric(&f.source.meta, &f.source.script).is_success());
    }
    w
}

/// Every answer the inputs give, as `(what, call)`: the call asked for a language.
type Call<'w> = Box<dyn Fn(Option<&str>) -> String + 'w>;

fn calls(w: &Workspace) -> Vec<(&'static str, Call<'_>)> {
    let c = "center";
    let r = |ratings: &'static [Option<i64>]| -> (&'static str, &'static str, i64, &'static [Option<i64>]) {
        ("r", "1.0.0", 5, ratings)
    };
    let trend = |items: Vec<Value>, by: Value| -> Call<'_> {
        let (items, by) = (Value::Array(items).to_string(), by.to_string());
        Box::new(move |lang| w.trend_json_in(&items, &by, lang))
    };
    let agree = |a: Value, b: Value| -> Call<'_> {
        let (a, b) = (a.to_string(), b.to_string());
        Box::new(move |lang| w.agree_json_in(&a, &b, lang))
    };
    let records = vec![
        example("center-infants.json"),
        example("center-toddlers-mixed.json"),
    ];
    vec![
        (
            "a trend through every reason a change is not computed, and breaks",
            trend(
                vec![
                    report("2026-01-10", c, &[r(&[Some(2), Some(2)])]),
                    report("2026-02-05", c, &[r(&[None, None])]),
                    report(
                        "2026-03-01",
                        c,
                        &[("r", "1.1.0", 5, &[Some(3), Some(3), Some(3)])],
                    ),
                    report("2026-04-01", c, &[]),
                    report(
                        "2026-05-01",
                        c,
                        &[("r", "1.1.0", 5, &[Some(3), Some(3), Some(2)])],
                    ),
                    report("2026-06-01", c, &[("r", "2.0.0", 4, &[Some(3), Some(2)])]),
                ],
                json!({}),
            ),
        ),
        (
            "a trend by caregiver leaving a visit out",
            trend(records.clone(), json!({"caregiver": "cg-a"})),
        ),
        (
            "a trend by a field one record lacks",
            trend(records.clone(), json!({"pointer": "/extra/room"})),
        ),
        (
            "a trend by a field that is no text",
            trend(records.clone(), json!({"pointer": "/children"})),
        ),
        (
            "a trend by no pointer, of reports",
            trend(
                vec![report("2026-01-10", c, &[r(&[Some(2)])])],
                json!({"pointer": "room"}),
            ),
        ),
        (
            "an agreement with one level only, nothing compared, and mixed scales",
            agree(
                json!([
                    report("2026-01-10", c, &[r(&[Some(2), Some(2)])]),
                    report("2026-02-10", c, &[("q", "1.0.0", 4, &[None])]),
                ]),
                json!([
                    report("2026-01-11", "family-child-care", &[r(&[Some(2), Some(2)])]),
                    report(
                        "2026-02-10",
                        "family-child-care",
                        &[("q", "1.0.0", 4, &[None])]
                    ),
                ]),
            ),
        ),
        (
            "an agreement of other versions, indicators and scales, in a pair and across pairs",
            agree(
                json!([
                    report(
                        "2026-01-10",
                        c,
                        &[
                            ("a", "1.0.0", 5, &[Some(1)]),
                            ("b", "1.0.0", 5, &[Some(1), Some(2)]),
                            ("d", "1.0.0", 5, &[Some(1)]),
                            ("e", "1.0.0", 5, &[Some(1), Some(1)]),
                            ("f", "1.0.0", 5, &[Some(1)]),
                            ("h", "1.0.0", 5, &[Some(1)])
                        ]
                    ),
                    report(
                        "2026-02-10",
                        c,
                        &[
                            ("f", "3.0.0", 5, &[Some(1)]),
                            ("g", "1.0.0", 5, &[Some(1)]),
                            ("h", "1.0.0", 5, &[Some(1), Some(1)])
                        ]
                    ),
                ]),
                json!([
                    report(
                        "2026-01-10",
                        c,
                        &[
                            ("a", "1.1.0", 5, &[Some(1)]),
                            ("b", "1.0.0", 5, &[Some(1)]),
                            ("d", "1.0.0", 4, &[Some(1)]),
                            ("e", "1.0.0", 5, &[Some(1), Some(1), Some(1)]),
                            ("f", "1.0.0", 5, &[Some(1)]),
                            ("h", "1.0.0", 5, &[Some(1)])
                        ]
                    ),
                    report(
                        "2026-02-10",
                        c,
                        &[
                            ("f", "3.0.0", 5, &[Some(1)]),
                            ("h", "1.0.0", 5, &[Some(1), Some(1)])
                        ]
                    ),
                ]),
            ),
        ),
        (
            "an agreement of records of other settings and days",
            agree(
                example("center-infants.json"),
                example("family-child-care.json"),
            ),
        ),
    ]
}

#[test]
fn every_word_trends_and_agreements_write_in_spanish_comes_from_the_spanish_catalogue() {
    let words = Words {
        templates: catalogue(),
    };
    let w = with_rubrics();
    let mut checked = 0;
    let mut templates_seen = std::collections::BTreeSet::new();
    let mut failures = Vec::new();
    for (what, call) in calls(&w) {
        let en: Value = serde_json::from_str(&call(None)).unwrap();
        let es: Value = serde_json::from_str(&call(Some("es"))).unwrap();
        let (en_words, es_words) = (engine_words(&en), engine_words(&es));
        assert!(!es_words.is_empty(), "{what}: no words to check: {es}");
        assert_eq!(
            en_words.iter().map(|(at, _)| at).collect::<Vec<_>>(),
            es_words.iter().map(|(at, _)| at).collect::<Vec<_>>(),
            "{what}: the same texts in both languages"
        );
        for ((at, e), (_, s)) in en_words.iter().zip(&es_words) {
            checked += 1;
            match (
                words.written_from(e, Lang::En),
                words.written_from(s, Lang::Es),
            ) {
                (Some(te), Some(ts)) if te == ts && e != s => {
                    templates_seen.insert(te.to_string());
                }
                (te, ts) => failures.push(format!(
                    "{what} {at}:\n  en {e:?} ({te:?})\n  es {s:?} ({ts:?})"
                )),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 40, "{checked} texts checked");
    for name in [
        "TREND_CAREGIVER_NOT_LISTED",
        "TREND_NOT_SCALAR",
        "TREND_NOTHING_AT",
        "TREND_RUBRIC_CHANGED",
        "TREND_NOT_SCORED_BEFORE",
        "TREND_NOT_SCORED_NOW",
        "TREND_NO_SCORE",
        "TREND_ADDED",
        "TREND_REMOVED",
        "TREND_SCALE",
        "TREND_NOT_A_POINTER",
        "TREND_POINTER_HELP",
        "KAPPA_NO_PAIRS",
        "KAPPA_MIXED_SCALES",
        "KAPPA_CHANCE_IS_ONE",
        "PAIR_OTHER_DAY",
        "PAIR_OTHER_SETTING",
        "PAIR_OTHER_VERSION",
        "PAIR_OTHER_SHAPE",
        "PAIR_NOT_IN_OTHER",
        "POOL_OTHER_VERSION",
        "SAME_RUBRICS",
        "POOL_ONE_VERSION",
    ] {
        assert!(
            templates_seen.contains(name),
            "no input gave {name}: {templates_seen:?}"
        );
    }
}

#[test]
fn english_asked_for_is_the_answer_without_a_language_byte_for_byte() {
    let w = with_rubrics();
    for (what, call) in calls(&w) {
        assert_eq!(call(Some("en")), call(None), "{what}");
    }
}
