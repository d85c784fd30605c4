//! Rubric texts in more than one language: the `translations` of rubric.json, their checks
//! (each malformed shape named with its JSON path), the localized texts, the fallback to the
//! source language, and scoring in a language (same ratings, texts in that language).
//!
//! The translations here are made by the test from a shipped rubric (every text marked with
//! `[es] `), so the checks do not depend on the wording of the shipped Spanish.

use rubrica::{parse_meta, Code, Diagnostics, RubricMeta};
use serde_json::{json, Value};

/// A shipped rubric's metadata with its own `translations` taken out.
fn source(rubric: &str) -> Value {
    let path = rubrica_tests::root().join(format!("rubrics/{rubric}/rubric.json"));
    let text = std::fs::read_to_string(path).expect("the rubric reads");
    let mut v: Value = serde_json::from_str(&text).expect("rubric.json is JSON");
    let obj = v.as_object_mut().expect("an object");
    obj.remove("translations");
    obj.insert("languages".into(), json!(["en"]));
    v
}

fn mark(s: &Value) -> Value {
    json!(format!("[es] {}", s.as_str().expect("a text")))
}

fn mark_all(list: &Value) -> Value {
    Value::Array(list.as_array().expect("a list").iter().map(mark).collect())
}

/// A complete `es` translation of `meta`, every text marked `[es] `.
fn translation_of(meta: &Value) -> Value {
    let mut scale = serde_json::Map::new();
    for l in meta["scale"]["levels"].as_array().expect("levels") {
        scale.insert(
            l["value"].to_string(),
            json!({"label": mark(&l["label"]), "descriptor": mark(&l["descriptor"])}),
        );
    }
    let mut indicators = serde_json::Map::new();
    for i in meta["indicators"].as_array().expect("indicators") {
        let mut t = json!({
            "title": mark(&i["title"]), "evidence": mark(&i["evidence"]),
            "strength": mark(&i["strength"]), "next_step": mark(&i["next_step"]),
            "questions": mark_all(&i["questions"]),
        });
        for bands in ["strengths", "next_steps"] {
            if let Some(b) = i[bands].as_object() {
                t[bands] = b.iter().map(|(k, v)| (k.clone(), mark(v))).collect();
            }
        }
        indicators.insert(i["id"].as_str().expect("id").into(), t);
    }
    let mut items = serde_json::Map::new();
    for i in meta["items"].as_array().expect("items") {
        let mut t = json!({"label": mark(&i["label"])});
        if i.get("help").is_some() {
            t["help"] = mark(&i["help"]);
        }
        if let Some(options) = i["options"].as_array() {
            t["options"] = options
                .iter()
                .map(|o| {
                    (
                        o["value"].as_str().expect("value").to_string(),
                        mark(&o["label"]),
                    )
                })
                .collect();
        }
        items.insert(i["id"].as_str().expect("id").into(), t);
    }
    // Messages keep their placeholders: `[es] ` goes before each template (and each form).
    let messages: serde_json::Map<String, Value> = meta
        .get("messages")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, m)| {
            let marked = match m.as_object() {
                Some(forms) => forms.iter().map(|(f, t)| (f.clone(), mark(t))).collect(),
                None => mark(m),
            };
            (k.clone(), marked)
        })
        .collect();
    let mut t = json!({
        "title": mark(&meta["title"]), "summary": mark(&meta["summary"]),
        "questions": mark_all(meta.get("questions").unwrap_or(&json!([]))),
        "scale": scale, "indicators": indicators, "items": items,
    });
    if !messages.is_empty() {
        t["messages"] = Value::Object(messages);
    }
    t
}

/// `rubric` in English with a complete, test-made Spanish translation.
fn bilingual(rubric: &str) -> Value {
    let mut v = source(rubric);
    v["translations"] = json!({"es": translation_of(&v)});
    v["languages"] = json!(["en", "es"]);
    v
}

fn parse(v: &Value) -> Result<RubricMeta, Diagnostics> {
    parse_meta(
        &serde_json::to_string_pretty(v).expect("serializes"),
        "rubric.json",
    )
}

/// The problems of `v` as `path: message`, each checked to be a metadata error with help.
fn problems(v: &Value) -> Vec<String> {
    let Err(Diagnostics(ds)) = parse(v) else {
        panic!("accepted: {v:#}");
    };
    ds.iter()
        .map(|d| {
            assert_eq!(d.code, Code::RubricMetadata, "{d}");
            assert!(d.help.is_some(), "no help: {d}");
            assert_eq!(d.location.file.as_deref(), Some("rubric.json"), "{d}");
            format!(
                "{}: {}",
                d.location.path.as_deref().unwrap_or("(no path)"),
                d.message
            )
        })
        .collect()
}

/// The single problem of `v`, which must be at `path`.
fn one_problem_at(v: &Value, path: &str) -> String {
    let ps = problems(v);
    assert_eq!(ps.len(), 1, "{ps:#?}");
    assert!(ps[0].starts_with(&format!("{path}: ")), "{ps:#?}");
    ps[0].clone()
}

#[test]
fn every_shipped_rubric_loads_with_a_complete_translation() {
    for rubric in rubrica::PRACTICES {
        let meta = parse(&bilingual(rubric)).unwrap_or_else(|e| panic!("{rubric}: {e}"));
        assert_eq!(meta.languages, ["en", "es"]);
        assert!(meta.translations.get("es").is_some());
    }
}

#[test]
fn a_listed_language_without_translation_and_a_translation_not_listed_are_errors() {
    let mut v = source("small-groups");
    v["languages"] = json!(["en", "es"]);
    let p = one_problem_at(&v, "/translations/es");
    assert!(p.contains("no translation into it"), "{p}");

    let mut v = bilingual("small-groups");
    v["languages"] = json!(["en"]);
    let p = one_problem_at(&v, "/translations/es");
    assert!(p.contains("does not list"), "{p}");

    let mut v = bilingual("small-groups");
    v["translations"]["en"] = v["translations"]["es"].clone();
    let p = one_problem_at(&v, "/translations/en");
    assert!(p.contains("written in"), "{p}");
}

#[test]
fn languages_are_tags_listed_once() {
    let mut v = source("small-groups");
    v["languages"] = json!([]);
    one_problem_at(&v, "/languages");
    v["languages"] = json!(["en", "e s"]);
    let ps = problems(&v);
    assert!(
        ps.iter().any(|p| p.starts_with("/languages/1: ")),
        "{ps:#?}"
    );
    let mut v = bilingual("small-groups");
    v["languages"] = json!(["en", "es", "ES"]);
    let ps = problems(&v);
    assert!(
        ps.iter()
            .any(|p| p.starts_with("/languages/2: ") && p.contains("twice")),
        "{ps:#?}"
    );
}

#[test]
fn each_missing_text_is_named_by_its_path() {
    for (remove, path) in [
        ("/title", "/translations/es/title"),
        ("/summary", "/translations/es/summary"),
        ("/questions", "/translations/es/questions"),
        ("/scale/3/descriptor", "/translations/es/scale/3/descriptor"),
        ("/scale/5", "/translations/es/scale/5"),
        (
            "/indicators/group-size/next_step",
            "/translations/es/indicators/group-size/next_step",
        ),
        (
            "/indicators/ratio-throughout/strengths/5",
            "/translations/es/indicators/ratio-throughout/strengths/5",
        ),
        (
            "/indicators/ratio-throughout/strengths",
            "/translations/es/indicators/ratio-throughout/strengths",
        ),
        (
            "/indicators/own-space/questions",
            "/translations/es/indicators/own-space/questions",
        ),
        (
            "/indicators/one-to-one",
            "/translations/es/indicators/one-to-one",
        ),
        (
            "/items/own-space/help",
            "/translations/es/items/own-space/help",
        ),
        (
            "/items/calm-atmosphere",
            "/translations/es/items/calm-atmosphere",
        ),
        ("/items", "/translations/es/items"),
        ("/indicators", "/translations/es/indicators"),
    ] {
        let mut v = bilingual("small-groups");
        let (parent, key) = remove.rsplit_once('/').expect("a path");
        v["translations"]["es"]
            .pointer_mut(parent)
            .and_then(Value::as_object_mut)
            .unwrap_or_else(|| panic!("{parent}"))
            .remove(key)
            .unwrap_or_else(|| panic!("{remove} is in the fixture"));
        let p = one_problem_at(&v, path);
        assert!(p.contains("missing translation"), "{p}");
    }
}

#[test]
fn a_missing_choice_option_and_an_unknown_one_are_named() {
    let mut v = bilingual("primary-caregiving");
    let (item, options) = v["translations"]["es"]["items"]
        .as_object()
        .expect("items")
        .iter()
        .find_map(|(id, t)| t.get("options").map(|o| (id.clone(), o.clone())))
        .expect("a choice item");
    let first = options
        .as_object()
        .expect("options")
        .keys()
        .next()
        .expect("an option")
        .clone();
    let at = format!("/translations/es/items/{item}/options");
    v["translations"]["es"]["items"][&item]["options"]
        .as_object_mut()
        .expect("options")
        .remove(&first);
    let p = one_problem_at(&v, &format!("{at}/{first}"));
    assert!(p.contains("missing translation"), "{p}");

    let mut v = bilingual("primary-caregiving");
    v["translations"]["es"]["items"][&item]["options"]["maybe"] = json!("quizás");
    let p = one_problem_at(&v, &format!("{at}/maybe"));
    assert!(p.contains("`maybe` is not in the rubric"), "{p}");
}

#[test]
fn texts_the_source_lacks_are_errors() {
    for (add, value, path) in [
        (
            "/indicators/no-such-indicator",
            json!({"title": "x"}),
            "/translations/es/indicators/no-such-indicator",
        ),
        (
            "/items/no-such-item",
            json!({"label": "x"}),
            "/translations/es/items/no-such-item",
        ),
        (
            "/scale/9",
            json!({"label": "x", "descriptor": "y"}),
            "/translations/es/scale/9",
        ),
        (
            "/indicators/group-size/strengths",
            json!({"4": "x"}),
            "/translations/es/indicators/group-size/strengths",
        ),
        (
            "/indicators/group-size/next_steps",
            json!({"1": "x"}),
            "/translations/es/indicators/group-size/next_steps",
        ),
        (
            "/indicators/ratio-throughout/strengths/3",
            json!("x"),
            "/translations/es/indicators/ratio-throughout/strengths/3",
        ),
    ] {
        let mut v = bilingual("small-groups");
        let (parent, key) = add.rsplit_once('/').expect("a path");
        v["translations"]["es"]
            .pointer_mut(parent)
            .and_then(Value::as_object_mut)
            .unwrap_or_else(|| panic!("{parent}"))
            .insert(key.into(), value);
        one_problem_at(&v, path);
    }
    // An item without help in the source has none to translate.
    let mut v = bilingual("small-groups");
    v["items"][0].as_object_mut().expect("item").remove("help");
    let p = one_problem_at(&v, "/translations/es/items/own-space/help");
    assert!(p.contains("is not in the rubric"), "{p}");
}

#[test]
fn an_unknown_indicator_id_suggests_the_close_one() {
    let mut v = bilingual("small-groups");
    let ind = v["translations"]["es"]["indicators"]
        .as_object_mut()
        .expect("indicators");
    let t = ind.remove("group-size").expect("group-size");
    ind.insert("group-sise".into(), t);
    let Err(Diagnostics(ds)) = parse(&v) else {
        panic!("accepted a misspelt id");
    };
    let d = ds
        .iter()
        .find(|d| d.location.path.as_deref() == Some("/translations/es/indicators/group-sise"))
        .expect("the unknown id is named");
    assert!(
        d.help
            .as_deref()
            .is_some_and(|h| h.contains("did you mean `group-size`")),
        "{d:?}"
    );
    assert!(ds
        .iter()
        .any(|d| d.location.path.as_deref() == Some("/translations/es/indicators/group-size")));
}

#[test]
fn question_lists_have_the_source_length_and_no_blank_text() {
    let mut v = bilingual("small-groups");
    v["translations"]["es"]["indicators"]["group-size"]["questions"] = json!(["¿una?"]);
    let p = one_problem_at(&v, "/translations/es/indicators/group-size/questions");
    assert!(p.contains("expected a list of 2 translated texts"), "{p}");

    let mut v = bilingual("small-groups");
    v["translations"]["es"]["questions"] = json!(["¿una?", "¿dos?"]);
    one_problem_at(&v, "/translations/es/questions");

    let mut v = bilingual("small-groups");
    v["translations"]["es"]["indicators"]["group-size"]["questions"][1] = json!("  ");
    let p = one_problem_at(&v, "/translations/es/indicators/group-size/questions/1");
    assert!(p.contains("empty"), "{p}");

    let mut v = bilingual("small-groups");
    v["translations"]["es"]["title"] = json!("");
    let p = one_problem_at(&v, "/translations/es/title");
    assert!(p.contains("empty"), "{p}");
}

#[test]
fn an_unknown_field_and_a_wrong_type_are_named_by_their_path() {
    for (at, field, value, path, says) in [
        (
            "/indicators/group-size",
            "titel",
            json!("x"),
            "/translations/es/indicators/group-size/titel",
            "did you mean `title`?",
        ),
        (
            "",
            "descripcion",
            json!("x"),
            "/translations/es/descripcion",
            "the keys here are",
        ),
        (
            "/scale/1",
            "labl",
            json!("x"),
            "/translations/es/scale/1/labl",
            "did you mean `label`?",
        ),
        (
            "/items/own-space",
            "hepl",
            json!("x"),
            "/translations/es/items/own-space/hepl",
            "did you mean `help`?",
        ),
        (
            "/indicators/group-size",
            "title",
            json!(3),
            "/translations/es/indicators/group-size/title",
            "JSON string",
        ),
        (
            "/indicators/group-size",
            "questions",
            json!("¿una?"),
            "/translations/es/indicators/group-size/questions",
            "in the rubric's order",
        ),
        (
            "",
            "scale",
            json!([]),
            "/translations/es/scale",
            "with the keys `1`, `2`",
        ),
    ] {
        let mut v = bilingual("small-groups");
        v["translations"]["es"]
            .pointer_mut(at)
            .and_then(Value::as_object_mut)
            .expect("an object")
            .insert(field.into(), value);
        let Err(Diagnostics(ds)) = parse(&v) else {
            panic!("accepted {field} at {at}");
        };
        assert_eq!(ds.len(), 1, "{ds:?}");
        assert_eq!(ds[0].code, Code::RubricMetadata);
        assert_eq!(ds[0].location.path.as_deref(), Some(path), "{}", ds[0]);
        assert!(
            ds[0].help.as_deref().is_some_and(|h| h.contains(says)),
            "{:?}",
            ds[0]
        );
    }
    // A translation that is not an object at all.
    let mut v = bilingual("small-groups");
    v["translations"]["es"] = json!("Grupos pequeños");
    one_problem_at(&v, "/translations/es");
}

#[test]
fn localized_texts_come_from_the_translation_and_ids_stay() {
    let meta = parse(&bilingual("small-groups")).expect("valid");
    let (es, lang) = meta.localized("es");
    assert_eq!(lang, "es");
    assert_eq!(es.title, format!("[es] {}", meta.title));
    assert_eq!(es.questions.len(), meta.questions.len());
    for (a, b) in meta.indicators.iter().zip(&es.indicators) {
        assert_eq!(a.id, b.id);
        assert_eq!(a.kind, b.kind);
        assert_eq!(b.title, format!("[es] {}", a.title));
        assert_eq!(b.strength_at(5), format!("[es] {}", a.strength_at(5)));
        assert_eq!(b.next_step_at(1), format!("[es] {}", a.next_step_at(1)));
    }
    for (a, b) in meta.scale.levels.iter().zip(&es.scale.levels) {
        assert_eq!(a.value, b.value);
        assert_eq!(b.label, format!("[es] {}", a.label));
    }
    for (a, b) in meta.items.iter().zip(&es.items) {
        assert_eq!(
            (&a.id, a.item_type, a.method),
            (&b.id, b.item_type, b.method)
        );
        assert_eq!(b.label, format!("[es] {}", a.label));
    }
    // A regional tag finds the language; a language the rubric lacks falls back to its source.
    assert_eq!(meta.localized("es-MX").1, "es");
    let (fr, lang) = meta.localized("fr");
    assert_eq!(lang, "en");
    assert_eq!(fr, meta);
    assert_eq!(meta.localized("en").0, meta);
}

// ---------------------------------------------------------------------------------------------
// Scoring, testing and checking in a language, through the command line

use rubrica_tests::{output_text as text, run_cli as rubrica};
use std::path::{Path, PathBuf};

/// A copy of the shipped rubrics (with their cases and the fixtures the cases read) under a
/// fresh folder, each with the test-made `es` translation except those in `english_only`.
fn rubric_copy(name: &str, english_only: &[&str]) -> PathBuf {
    let base = std::env::temp_dir().join(format!("rubrica-locale-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let copy_dir = |from: &Path, to: &Path| {
        std::fs::create_dir_all(to).expect("mkdir");
        for e in std::fs::read_dir(from).expect("read dir") {
            let p = e.expect("entry").path();
            if p.is_file() {
                std::fs::copy(&p, to.join(p.file_name().expect("name"))).expect("copy");
            }
        }
    };
    let root = rubrica_tests::root();
    copy_dir(
        &root.join("rubrics/fixtures"),
        &base.join("rubrics/fixtures"),
    );
    for rubric in rubrica::PRACTICES {
        let dir = base.join("rubrics").join(rubric);
        copy_dir(&root.join("rubrics").join(rubric), &dir);
        copy_dir(
            &root.join("rubrics").join(rubric).join("cases"),
            &dir.join("cases"),
        );
        let meta = if english_only.contains(&rubric) {
            source(rubric)
        } else {
            bilingual(rubric)
        };
        std::fs::write(
            dir.join("rubric.json"),
            serde_json::to_string_pretty(&meta).expect("serializes"),
        )
        .expect("write rubric.json");
    }
    // The rubrics of reflection records, as they are.
    for e in std::fs::read_dir(root.join("rubrics")).expect("rubrics") {
        let from = e.expect("entry").path();
        let name = from
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        if rubrica::PRACTICES.contains(&name.as_str()) || !from.join("rubric.json").is_file() {
            continue;
        }
        let dir = base.join("rubrics").join(&name);
        copy_dir(&from, &dir);
        copy_dir(&from.join("cases"), &dir.join("cases"));
    }
    base
}

fn json_report(args: &[&str]) -> Value {
    let out = rubrica(args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("a JSON report")
}

fn results(report: &Value) -> Vec<&Value> {
    report["practices"]
        .as_array()
        .expect("practices")
        .iter()
        .map(|p| &p["result"])
        .collect()
}

/// What a result rates, whatever the language (a note's words are the language's; whether there
/// is one is not).
fn ratings(result: &Value) -> Value {
    let indicators: Vec<Value> = result["indicators"]
        .as_array()
        .expect("indicators")
        .iter()
        .map(|i| {
            json!([
                i["id"],
                i["outcome"],
                i["level"],
                i["evidence"],
                i["note"].is_string()
            ])
        })
        .collect();
    json!([
        result["rubric"]["id"],
        result["status"],
        result["score"],
        result["coverage"],
        indicators
    ])
}

#[test]
fn score_in_spanish_rates_the_same_with_the_spanish_texts() {
    let base = rubric_copy("score", &[]);
    let rubrics = base.join("rubrics");
    let rubrics = rubrics.to_str().expect("a UTF-8 path");
    let record = "examples/center-infants.json";
    let en = json_report(&["score", record, "--rubrics", rubrics, "--format", "json"]);
    let es = json_report(&[
        "score",
        record,
        "--rubrics",
        rubrics,
        "--format",
        "json",
        "--lang",
        "es",
    ]);
    assert!(en.get("language").is_none(), "no `language` without --lang");
    assert_eq!(es["language"], "es");
    let (en, es) = (results(&en), results(&es));
    assert_eq!(en.len(), 6);
    for (a, b) in en.iter().zip(&es) {
        assert_eq!(ratings(a), ratings(b));
        assert!(a.get("language").is_none());
        assert_eq!(b["language"], "es");
        assert_eq!(b["rubric"]["title"], mark(&a["rubric"]["title"]));
        for (x, y) in a["strengths"]
            .as_array()
            .expect("strengths")
            .iter()
            .zip(b["strengths"].as_array().expect("strengths"))
        {
            assert_eq!(y["text"], mark(&x["text"]));
            assert_eq!(y["label"], mark(&x["label"]));
            assert_eq!(y["evidence"], x["evidence"]);
        }
        for (x, y) in a["growth_areas"]
            .as_array()
            .expect("growth")
            .iter()
            .zip(b["growth_areas"].as_array().expect("growth"))
        {
            assert_eq!(y["next_step"], mark(&x["next_step"]));
        }
        for (x, y) in a["focused_questions"]
            .as_array()
            .expect("questions")
            .iter()
            .zip(b["focused_questions"].as_array().expect("questions"))
        {
            assert_eq!(y["question"], mark(&x["question"]));
        }
    }

    // The text report: the engine's words in Spanish too; without --lang, as it always was.
    let out = rubrica(&["score", record, "--rubrics", rubrics, "--lang", "es-MX"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    for words in [
        "Resumen\n",
        "\nFortalezas\n",
        "Áreas de crecimiento — próximos pasos",
        "Preguntas de reflexión",
        "Evidencia: /",
        "  + [es] ",
    ] {
        assert!(shown.contains(words), "no `{words}` in\n{shown}");
    }
    for english in [
        "Overview",
        "Strengths\n",
        "Evidence:",
        "Reflective questions",
    ] {
        assert!(!shown.contains(english), "`{english}` in\n{shown}");
    }
    let copy = rubrica(&["score", record, "--rubrics", rubrics]);
    let shipped = rubrica(&["score", record]);
    assert_eq!(copy.status.code(), Some(0));
    assert_eq!(
        text(&copy.stdout),
        text(&shipped.stdout),
        "without --lang, a rubric with translations reports as the one without"
    );
    let _ = std::fs::remove_dir_all(base);
}

#[test]
fn a_rubric_without_the_language_keeps_its_own_and_says_so() {
    let base = rubric_copy("fallback", &["small-groups"]);
    let rubrics = base.join("rubrics");
    let rubrics = rubrics.to_str().expect("a UTF-8 path");
    let es = json_report(&[
        "score",
        "examples/center-infants.json",
        "--rubrics",
        rubrics,
        "--format",
        "json",
        "--lang",
        "es",
    ]);
    for r in results(&es) {
        let english = r["rubric"]["id"] == "small-groups";
        assert_eq!(
            r["language"],
            if english { "en" } else { "es" },
            "{}",
            r["rubric"]
        );
        let title = r["rubric"]["title"].as_str().expect("title");
        assert_eq!(title.starts_with("[es] "), !english, "{title}");
    }

    // `check --lang es` fails the rubric without it, naming what to add.
    let out = rubrica(&["check", rubrics, "--lang", "es"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("small-groups/rubric.json: error R0201: the rubric has no `es` texts (its languages: en) (at `/languages`)"), "{err}");
    assert!(
        text(&out.stdout).contains("no válida "),
        "{}",
        text(&out.stdout)
    );
    let _ = std::fs::remove_dir_all(base);
}

#[test]
fn a_language_no_rubric_has_is_refused_with_the_ones_there_are() {
    let base = rubric_copy("unknown", &[]);
    let rubrics = base.join("rubrics");
    let rubrics = rubrics.to_str().expect("a UTF-8 path");
    for args in [
        vec![
            "score",
            "examples/center-infants.json",
            "--rubrics",
            rubrics,
            "--lang",
            "fr",
        ],
        vec!["test", rubrics, "--lang", "fr"],
        vec!["check", rubrics, "--lang", "fr"],
    ] {
        let out = rubrica(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = text(&out.stderr);
        assert!(
            err.contains("error: no rubric has the language `fr`; available: en, es"),
            "{args:?}: {err}"
        );
    }
    let _ = std::fs::remove_dir_all(base);
}

#[test]
fn the_self_test_cases_pass_in_every_declared_language() {
    let base = rubric_copy("test", &[]);
    let rubrics = base.join("rubrics");
    let rubrics = rubrics.to_str().expect("a UTF-8 path");
    let copy = rubrica(&["test", rubrics]);
    let shipped = rubrica(&["test", "rubrics"]);
    assert_eq!(copy.status.code(), Some(0), "{}", text(&copy.stdout));
    let summary = |o: &std::process::Output| {
        text(&o.stdout)
            .lines()
            .last()
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(
        summary(&copy),
        summary(&shipped),
        "each case counts once, in every language"
    );

    // --lang with --write-results writes that language's results.
    let written = base.join("results");
    let out = rubrica(&[
        "test",
        rubrics,
        "--lang",
        "es",
        "--write-results",
        written.to_str().expect("UTF-8"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let one = std::fs::read_dir(written.join("small-groups"))
        .expect("results written")
        .next()
        .expect("a result")
        .expect("entry")
        .path();
    let result: Value =
        serde_json::from_str(&std::fs::read_to_string(one).expect("reads")).expect("JSON");
    assert_eq!(result["language"], "es");
    assert!(result["rubric"]["title"]
        .as_str()
        .is_some_and(|t| t.starts_with("[es] ")));

    // Without --lang, every language is run but the results written are the rubric's own.
    let own = base.join("results-own");
    let out = rubrica(&[
        "test",
        rubrics,
        "--write-results",
        own.to_str().expect("UTF-8"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    for entry in std::fs::read_dir(own.join("small-groups")).expect("results written") {
        let path = entry.expect("entry").path();
        let result: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("reads")).expect("JSON");
        assert_eq!(result.get("language"), None, "{}", path.display());
        assert_eq!(
            result["rubric"]["title"],
            "Small groups",
            "{}",
            path.display()
        );
    }
    let _ = std::fs::remove_dir_all(base);
}

#[test]
fn a_result_that_rates_differently_or_keeps_a_source_text_is_caught() {
    let engine = rubrica::Engine::default();
    let meta = serde_json::to_string(&bilingual("small-groups")).expect("serializes");
    let script =
        std::fs::read_to_string(rubrica_tests::root().join("rubrics/small-groups/rubric.rhai"))
            .expect("script");
    let source = rubrica::RubricSource {
        meta_file: "rubric.json".into(),
        meta,
        script_file: "rubric.rhai".into(),
        script,
    };
    let compiled = engine.compile(&source).expect("compiles");
    let record = rubrica::Observation::parse(
        &std::fs::read_to_string(rubrica_tests::root().join("examples/center-infants.json"))
            .expect("record"),
    )
    .expect("valid")
    .observation;
    let en = engine.evaluate(&compiled, &record).expect("rates");
    let es = engine
        .evaluate(&compiled.in_language("es"), &record)
        .expect("rates");
    assert_eq!(
        rubrica::localized_differences(compiled.meta(), &en, &es),
        Vec::<String>::new()
    );

    let mut other_level = es.clone();
    let rated = other_level
        .indicators
        .iter_mut()
        .find(|i| i.level.is_some())
        .expect("a rated indicator");
    rated.level = rated.level.map(|l| l - 1);
    let diffs = rubrica::localized_differences(compiled.meta(), &en, &other_level);
    assert!(diffs.iter().any(|d| d.contains("is rated")), "{diffs:?}");

    let mut english_title = es.clone();
    english_title.indicators[0].title = en.indicators[0].title.clone();
    let diffs = rubrica::localized_differences(compiled.meta(), &en, &english_title);
    assert_eq!(diffs.len(), 1, "{diffs:?}");
    assert!(
        diffs[0].contains("is not its `es` translation"),
        "{diffs:?}"
    );
}

#[test]
fn the_shipped_rubrics_score_the_examples_the_same_in_spanish_with_spanish_texts() {
    for record in [
        "examples/center-infants.json",
        "examples/center-toddlers-mixed.json",
        "examples/family-child-care.json",
    ] {
        let en = json_report(&["score", record, "--format", "json"]);
        let es = json_report(&["score", record, "--format", "json", "--lang", "es"]);
        assert_eq!(es["language"], "es");
        // The coach's own notes beside items, which no language changes.
        let data: Value = serde_json::from_str(
            &std::fs::read_to_string(rubrica_tests::root().join(record)).expect("record"),
        )
        .expect("JSON");
        let coach_notes: Vec<&Value> = data["items"]
            .as_object()
            .into_iter()
            .flat_map(|by_rubric| by_rubric.values())
            .filter_map(Value::as_object)
            .flat_map(|items| items.values())
            .map(|item| &item["note"])
            .filter(|n| n.is_string())
            .collect();
        let (en, es) = (results(&en), results(&es));
        assert_eq!(en.len(), 6, "{record}");
        for (a, b) in en.iter().zip(&es) {
            let id = &a["rubric"]["id"];
            assert_eq!(ratings(a), ratings(b), "{record}: {id}");
            assert_eq!(
                b["language"], "es",
                "{record}: {id}: the shipped rubrics have Spanish"
            );
            // Every text a coach reads differs from the English (the shipped Spanish has no
            // text left untranslated). Notes and reasons are the script's messages, in Spanish
            // too; only a note that is the coach's own (an item's note in the record) stays.
            assert_ne!(a["rubric"]["title"], b["rubric"]["title"], "{record}: {id}");
            for (x, y) in a["indicators"]
                .as_array()
                .expect("indicators")
                .iter()
                .zip(b["indicators"].as_array().expect("indicators"))
            {
                assert_ne!(x["title"], y["title"], "{record}: {id}");
                if x["label"].is_string() {
                    assert_ne!(x["label"], y["label"], "{record}: {id}");
                }
                for field in ["note", "reason"] {
                    let (en, es) = (&x[field], &y[field]);
                    assert_eq!(en.is_string(), es.is_string(), "{record}: {id}: {field}");
                    if en.is_string() && en == es && x["outcome"] != "not-applicable" {
                        assert!(
                            coach_notes.contains(&en),
                            "{record}: {id}: `{}` {field} is English in Spanish: {en}",
                            x["id"]
                        );
                    }
                }
            }
            for (section, text) in [
                ("strengths", "text"),
                ("growth_areas", "next_step"),
                ("focused_questions", "question"),
                ("missing_evidence", "gather"),
            ] {
                for (x, y) in a[section]
                    .as_array()
                    .expect(section)
                    .iter()
                    .zip(b[section].as_array().expect(section))
                {
                    assert_ne!(x[text], y[text], "{record}: {id}: {section}");
                }
            }
        }
    }
}
