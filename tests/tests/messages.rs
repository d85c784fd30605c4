//! Notes written by rubric scripts in every language: `messages` in rubric.json, their
//! translations, the `say` helper and its checks (at the JSON path, at the script's line:col, at
//! run time), and the table helpers' words in the rubric's language.

use rubrica::{parse_meta, Code, Diagnostics, Engine, Observation, RubricSource};
use serde_json::{json, Value};

fn shipped(rubric: &str, file: &str) -> String {
    std::fs::read_to_string(rubrica_tests::root().join(format!("rubrics/{rubric}/{file}")))
        .expect("a shipped rubric file")
}

fn small_groups() -> Value {
    serde_json::from_str(&shipped("small-groups", "rubric.json")).expect("JSON")
}

/// The metadata problems of `v` as `path: message (help)`.
fn problems(v: &Value) -> Vec<String> {
    let text = serde_json::to_string_pretty(v).expect("serializes");
    let Err(Diagnostics(ds)) = parse_meta(&text, "rubric.json") else {
        panic!("accepted");
    };
    ds.iter()
        .map(|d| {
            assert_eq!(d.code, Code::RubricMetadata, "{d}");
            format!(
                "{}: {} ({})",
                d.location.path.as_deref().unwrap_or("(no path)"),
                d.message,
                d.help.as_deref().unwrap_or("no help")
            )
        })
        .collect()
}

fn one_problem(v: &Value) -> String {
    let ps = problems(v);
    assert_eq!(ps.len(), 1, "{ps:#?}");
    ps[0].clone()
}

#[test]
fn the_shipped_rubrics_have_every_message_in_every_language() {
    for rubric in rubrica::PRACTICES {
        let v: Value = serde_json::from_str(&shipped(rubric, "rubric.json")).expect("JSON");
        let en = v["messages"].as_object().expect("messages");
        let es = v["translations"]["es"]["messages"]
            .as_object()
            .expect("Spanish messages");
        assert!(!en.is_empty(), "{rubric}");
        assert_eq!(
            en.keys().collect::<Vec<_>>(),
            es.keys().collect::<Vec<_>>(),
            "{rubric}"
        );
        // No message with words is left in English (`{child} ({languages})` has none).
        let words = |t: &str| {
            let mut depth = 0;
            t.chars().any(|c| {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                depth == 0 && c.is_alphabetic()
            })
        };
        let has_words = |m: &Value| match m {
            Value::Object(forms) => forms.values().filter_map(Value::as_str).any(words),
            other => other.as_str().is_some_and(words),
        };
        for (key, text) in en.iter().filter(|(_, t)| has_words(t)) {
            assert_ne!(
                Some(text),
                es.get(key),
                "{rubric}: `{key}` is not translated"
            );
        }
        parse_meta(&shipped(rubric, "rubric.json"), "rubric.json")
            .unwrap_or_else(|e| panic!("{rubric}: {e}"));
    }
}

#[test]
fn a_missing_or_extra_key_in_a_translation_is_named_by_its_path() {
    let mut v = small_groups();
    v["translations"]["es"]["messages"]
        .as_object_mut()
        .expect("messages")
        .remove("no-headcounts");
    assert_eq!(
        one_problem(&v),
        "/translations/es/messages/no-headcounts: missing translation (add it: the rubric has this message (the path names it))"
    );

    let mut v = small_groups();
    let es = v["translations"]["es"]["messages"]
        .as_object_mut()
        .expect("messages");
    let text = es.remove("group-within").expect("a message");
    es.insert("group-withn".into(), text);
    let ps = problems(&v);
    assert_eq!(ps.len(), 2, "{ps:#?}");
    assert!(ps.contains(&"/translations/es/messages/group-within: missing translation (add it: the rubric has this message (the path names it))".to_string()), "{ps:#?}");
    assert!(ps.contains(&"/translations/es/messages/group-withn: `group-withn` is not a message of the rubric (did you mean `group-within`?)".to_string()), "{ps:#?}");

    // A translation without any `messages` when the rubric has some.
    let mut v = small_groups();
    v["translations"]["es"]
        .as_object_mut()
        .expect("es")
        .remove("messages");
    assert!(
        one_problem(&v).starts_with("/translations/es/messages: missing translation"),
        "{v:#}"
    );
}

#[test]
fn placeholders_must_be_the_same_in_every_language() {
    let mut v = small_groups();
    v["translations"]["es"]["messages"]["rule-ratio"] = json!("1:{ratio} para {labl}");
    assert_eq!(
        one_problem(&v),
        "/translations/es/messages/rule-ratio: the placeholders differ from the source message: it lacks `{label}` and has `{labl}`, which the source does not (did you mean `{label}`? use the placeholders of `/messages/rule-ratio`: `{ratio}`, `{label}`)"
    );
    // Placeholders may come in another order in another language.
    let mut v = small_groups();
    v["translations"]["es"]["messages"]["rule-ratio"] = json!("para {label}, 1:{ratio}");
    parse_meta(&serde_json::to_string(&v).expect("JSON"), "rubric.json")
        .expect("the same placeholders in another order");
    // A form's text is checked at its own path; `count` chooses the form, so a text without a
    // form needs `{count}` to say the same.
    let mut v = small_groups();
    v["translations"]["es"]["messages"]["children"] = json!({"one": "1 niño o niña"});
    assert!(
        one_problem(&v)
            .starts_with("/translations/es/messages/children/other: the `other` form is missing"),
        "{:?}",
        problems(&v)
    );
    let mut v = small_groups();
    v["translations"]["es"]["messages"]["children"] = json!("niños y niñas");
    assert!(
        one_problem(&v).contains("it lacks `{count}`"),
        "{:?}",
        problems(&v)
    );
    let mut v = small_groups();
    v["translations"]["es"]["messages"]["children"] = json!("{count} niños y niñas");
    parse_meta(&serde_json::to_string(&v).expect("JSON"), "rubric.json")
        .expect("a plain template with `{count}` fits a message with forms");
}

#[test]
fn malformed_messages_are_named_where_they_are() {
    let mut v = small_groups();
    v["messages"]["group-of"] = json!("a group of {n");
    let ps = problems(&v);
    assert!(
        ps.iter()
            .any(|p| p.starts_with("/messages/group-of: a `{` without its `}`")),
        "{ps:#?}"
    );
    let mut v = small_groups();
    v["messages"]["no-headcounts"] = json!("  ");
    assert!(
        problems(&v)
            .iter()
            .any(|p| p.starts_with("/messages/no-headcounts: the message is empty")),
        "{:?}",
        problems(&v)
    );
    let mut v = small_groups();
    v["messages"]["no-headcounts"] = json!(3);
    assert!(
        problems(&v).iter().any(|p| p.starts_with(
            "/messages/no-headcounts: expected a message template, found the number `3`"
        )),
        "{:?}",
        problems(&v)
    );
    let mut v = small_groups();
    v["messages"]["a key"] = json!("x");
    v["translations"]["es"]["messages"]["a key"] = json!("x");
    assert!(
        problems(&v)
            .iter()
            .any(|p| p.starts_with("/messages/a key: `a key` is not a message key")),
        "{:?}",
        problems(&v)
    );
    let mut v = small_groups();
    v["messages"] = json!(["no"]);
    let text = serde_json::to_string(&v).expect("JSON");
    let err = parse_meta(&text, "rubric.json").expect_err("a list is refused");
    assert!(
        err.to_string().contains("`messages` must be an object"),
        "{err}"
    );
}

fn source_with_script(script: &str) -> RubricSource {
    RubricSource {
        meta_file: "rubric.json".into(),
        meta: shipped("small-groups", "rubric.json"),
        script_file: "rubric.rhai".into(),
        script: script.into(),
    }
}

/// 1-based line and column of the first `needle` in `text`.
fn line_col(text: &str, needle: &str) -> (u32, u32) {
    let at = text.find(needle).expect("the needle is in the text");
    let line = text[..at].matches('\n').count() + 1;
    let col = at - text[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
    (line as u32, col as u32)
}

#[test]
fn a_literal_key_the_rubric_does_not_have_stops_the_script_at_its_call() {
    let script = shipped("small-groups", "rubric.rhai")
        .replace("say(\"no-headcounts\")", "say(\"no-headcount\")");
    let Err(Diagnostics(ds)) = Engine::default().compile(&source_with_script(&script)) else {
        panic!("compiled");
    };
    assert_eq!(ds.len(), 1, "{ds:?}");
    let d = &ds[0];
    assert_eq!(d.code, Code::UnknownProperty);
    assert_eq!(
        d.message,
        "`say(\"no-headcount\")`: rubric.json has no message `no-headcount`"
    );
    assert_eq!(d.help.as_deref(), Some("did you mean `no-headcounts`?"));
    assert_eq!(d.location.file.as_deref(), Some("rubric.rhai"));
    let (line, col) = line_col(&script, "\"no-headcount\"");
    assert_eq!(
        (d.location.line, d.location.column),
        (Some(line), Some(col))
    );
}

#[test]
fn literal_values_that_are_not_the_placeholders_stop_the_script_at_its_call() {
    let script = shipped("small-groups", "rubric.rhai").replace(
        "say(\"group-of\", #{n: n})",
        "say(\"group-of\", #{children: n})",
    );
    let Err(Diagnostics(ds)) = Engine::default().compile(&source_with_script(&script)) else {
        panic!("compiled");
    };
    assert_eq!(ds.len(), 1, "{ds:?}");
    assert_eq!(ds[0].code, Code::UnknownProperty);
    assert_eq!(
        ds[0].message,
        "`say(\"group-of\", …)` gives no value for `{n}` and `{children}` that it does not have"
    );
    let (line, _) = line_col(&script, "say(\"group-of\", #{children");
    assert_eq!(ds[0].location.line, Some(line));
}

fn record(name: &str) -> Observation {
    Observation::parse(
        &std::fs::read_to_string(rubrica_tests::root().join(name)).expect("a record"),
    )
    .expect("a valid record")
    .observation
}

#[test]
fn a_value_missing_at_run_time_is_an_error_naming_the_message() {
    // Values built at run time cannot be checked when the script compiles.
    let script = shipped("small-groups", "rubric.rhai").replace(
        "say(\"group-of\", #{n: n})",
        "{ let values = #{}; say(\"group-of\", values) }",
    );
    let engine = Engine::default();
    let compiled = engine
        .compile(&source_with_script(&script))
        .expect("compiles");
    let Err(Diagnostics(ds)) = engine.evaluate(&compiled, &record("examples/center-infants.json"))
    else {
        panic!("rated");
    };
    let d = ds
        .iter()
        .find(|d| d.message.contains("group-of"))
        .unwrap_or_else(|| panic!("{ds:?}"));
    assert_eq!(d.code, Code::ScriptRuntime, "{d}");
    assert!(
        d.message
            .contains("message `group-of` needs a value for `{n}`: `say(\"group-of\", #{n: …})`"),
        "{d}"
    );
    assert!(d.location.line.is_some(), "{d}");
}

/// A rubric of one indicator whose note is made of messages, in English and Spanish.
fn one_indicator(script: &str, messages: Value, spanish: Value) -> RubricSource {
    let mut v = small_groups();
    let indicator = v["indicators"][0].clone();
    let id = indicator["id"].as_str().expect("id").to_string();
    v["indicators"] = json!([indicator]);
    v["items"] = json!([]);
    v["messages"] = messages;
    let es = &mut v["translations"]["es"];
    es["indicators"] = json!({id.clone(): es["indicators"][&id].clone()});
    es["items"] = json!({});
    es["messages"] = spanish;
    RubricSource {
        meta_file: "rubric.json".into(),
        meta: serde_json::to_string(&v).expect("JSON"),
        script_file: "rubric.rhai".into(),
        script: script.into(),
    }
}

#[test]
fn notes_are_written_in_the_language_the_record_is_rated_in() {
    let script = "fn group_size(r) {\n  let ids = r.children.map(|c| c.id);\n  rating(3, [\"/children\"], say(\"kids\", #{count: r.children.len(), ids: ids}) + \" / \" + say(\"pair\", #{ids: [\"ana\", \"ivan\"]}))\n}\n";
    let source = one_indicator(
        script,
        json!({
            "kids": {"one": "1 child: {ids}", "other": "{count} children: {ids}"},
            "pair": "{ids}"
        }),
        json!({
            "kids": {"one": "1 niño o niña: {ids}", "other": "{count} niños y niñas: {ids}"},
            "pair": "{ids}"
        }),
    );
    let engine = Engine::default();
    let compiled = engine.compile(&source).expect("compiles");
    let obs = record("examples/center-infants.json");
    let note = |lang: Option<&str>| {
        let rubric = lang.map_or_else(|| compiled.clone(), |l| compiled.in_language(l));
        engine.evaluate(&rubric, &obs).expect("rates").indicators[0]
            .note
            .clone()
            .expect("a note")
    };
    let ids = "c1, c2, c3, c4, c5";
    assert_eq!(
        note(None),
        format!("6 children: {ids} and c6 / ana and ivan")
    );
    assert_eq!(note(Some("en")), note(None));
    // `y` becomes `e` before a word that sounds `i`.
    assert_eq!(
        note(Some("es-MX")),
        format!("6 niños y niñas: {ids} y c6 / ana e ivan")
    );
    // A language the rubric does not have: its own.
    assert_eq!(note(Some("fr")), note(None));
}

#[test]
fn the_table_helpers_write_in_the_rubrics_language() {
    let engine = Engine::default();
    let compiled = engine
        .compile(&RubricSource {
            meta_file: "rubric.json".into(),
            meta: shipped("small-groups", "rubric.json"),
            script_file: "rubric.rhai".into(),
            script: shipped("small-groups", "rubric.rhai"),
        })
        .expect("compiles");
    for (file, en_part, es_part) in [
        (
            "examples/center-infants.json",
            "(young infants): within the recommendation, at most 6 children with 2 caregivers (source: PITC recommended group sizes); every child (2–7 months) is within the young infants range of 0–9 months (source: NAEYC DAP age ranges)",
            "(bebés pequeños): dentro de la recomendación, como máximo 6 niños y niñas con 2 cuidadores/as (fuente: tamaños de grupo recomendados por PITC); todos los niños y niñas (2–7 meses) están dentro del tramo de bebés pequeños, de 0 a 9 meses",
        ),
        (
            "examples/family-child-care.json",
            "(a family child care home with one caregiver)",
            "(un hogar de cuidado infantil familiar con un/a cuidador/a)",
        ),
    ] {
        let obs = record(file);
        let en = engine.evaluate(&compiled, &obs).expect("rates");
        let es = engine
            .evaluate(&compiled.in_language("es"), &obs)
            .expect("rates");
        let en_note = en.indicators[0].note.clone().expect("a note");
        let es_note = es.indicators[0].note.clone().expect("a note");
        assert!(en_note.contains(en_part), "{en_note}");
        assert!(es_note.contains(es_part), "{es_note}");
        for english in ["source:", "children", "caregiver", "months", "within"] {
            assert!(!es_note.contains(english), "`{english}` in {es_note}");
        }
        // The same rating whatever the language.
        assert_eq!(en.indicators[0].level, es.indicators[0].level);
        assert_eq!(en.indicators[0].evidence, es.indicators[0].evidence);
    }
}
