//! Diagnostics in Spanish: every problem the record checks find in the malformed-record corpus
//! (`tests/malformed/`, records of every kind) is written whole from the catalogue, so in
//! Spanish it keeps its code, severity and place and no English is left in its message or help;
//! in English it is what it always was. The command line and the API give the same.

use rubrica::{Code, Diagnostic, Engine, Options, Record, RubricSource, Workspace};
use rubrica_tests::{output_text as text, root, run_cli as rubrica};
use serde_json::{Map, Value};

/// Every problem the corpus's records give, by file: the parse's errors or warnings, and for a
/// record marked `evaluate_with`, the rubric's item checks (R0308, R0151) too.
fn corpus_diagnostics() -> Vec<(String, Diagnostic)> {
    let dir = root().join("tests/malformed");
    let manifest: Map<String, Value> = serde_json::from_str(
        &std::fs::read_to_string(dir.join("expected.json")).expect("expected.json"),
    )
    .expect("a JSON object");
    let engine = Engine::default();
    let mut out = Vec::new();
    for (file, entry) in manifest {
        let bytes = std::fs::read(dir.join(&file)).expect("record file");
        let found = match Record::parse_bytes(&bytes) {
            Err(ds) => ds.0,
            Ok(parsed) => {
                let mut ds = parsed.warnings.clone();
                if let Some(id) = entry.get("evaluate_with").and_then(Value::as_str) {
                    let source =
                        RubricSource::load(&root().join("rubrics").join(id)).expect("rubric loads");
                    let rubric = engine.compile(&source).expect("rubric compiles");
                    match engine.evaluate(&rubric, parsed.record.as_ref()) {
                        Ok(result) => ds.extend(result.warnings),
                        Err(e) => ds.extend(e.0),
                    }
                }
                ds
            }
        };
        out.extend(found.into_iter().map(|d| (file.clone(), d)));
    }
    out
}

#[test]
fn every_problem_of_the_malformed_corpus_is_written_whole_in_spanish() {
    let all = corpus_diagnostics();
    assert!(all.len() >= 100, "the corpus gives {} problems", all.len());
    let mut failures = Vec::new();
    for (file, d) in &all {
        let es = d.in_language(Some("es"));
        if !d.is_localized() {
            failures.push(format!(
                "{file}: not all from the catalogue: {}",
                d.headline()
            ));
            continue;
        }
        if (es.code, es.severity, &es.location) != (d.code, d.severity, &d.location) {
            failures.push(format!("{file}: code, severity or place changed: {es:?}"));
        }
        if es.message == d.message || es.message.is_empty() || es.message.contains('\n') {
            failures.push(format!("{file}: not Spanish: `{}`", es.message));
        }
        match (&d.help, &es.help) {
            (None, None) => {}
            (Some(en), Some(h)) if en != h && !h.is_empty() => {}
            (en, h) => failures.push(format!("{file}: help `{en:?}` became `{h:?}`")),
        }
        // The words around the message are Spanish too, and no code summary is added: the
        // message itself is translated.
        let rendered = d.render_in(None, Some("es"));
        for english in [" (at ", "\n  help: ", "warning R", "\n  código "] {
            if rendered.contains(english) {
                failures.push(format!("{file}: `{english}` in {rendered}"));
            }
        }
        // A regional tag finds Spanish; English and other languages leave the diagnostic as is.
        if d.in_language(Some("es-MX")) != es
            || d.in_language(Some("en")) != *d
            || d.in_language(Some("fr")) != *d
            || d.in_language(None) != *d
            || d.headline_in(Some("en")) != d.headline()
            || d.render_in(None, Some("en")) != d.render(None)
        {
            failures.push(format!("{file}: English changed for {}", d.headline()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_spanish_of_a_diagnostic_fills_in_what_the_record_says() {
    let all = corpus_diagnostics();
    let find = |file: &str, code: Code| {
        all.iter()
            .find(|(f, d)| f == file && d.code == code)
            .map(|(_, d)| d.in_language(Some("es")))
            .unwrap_or_else(|| panic!("{file} gives no {code}"))
    };
    let setting = find("bad-setting.json", Code::InvalidValue);
    assert_eq!(
        setting.message,
        "`centre` no es un valor válido para la modalidad"
    );
    assert_eq!(
        setting.help.as_deref(),
        Some("¿quiso decir `center`? valores admitidos: `center`, `family-child-care`")
    );
    let past = find("age-past-36.json", Code::PastThirtySixMonths);
    assert_eq!(
        past.headline_in(Some("es")),
        "advertencia R0150: el niño o niña tiene 40 meses: pasa del rango de 0 a 3 años \
         (en `/children/1/age_months`)"
    );
}

#[test]
fn rubric_problems_stay_english_with_the_code_summary_in_spanish() {
    let engine = Engine::default();
    let source = RubricSource::load(&root().join("tests/fixtures/rubrics/syntax-error"))
        .expect("the fixture loads");
    let ds = engine.compile(&source).expect_err("a syntax error").0;
    let d = ds.first().expect("one problem");
    assert!(!d.is_localized());
    assert_eq!(d.in_language(Some("es")).message, d.message);
    let rendered = d.render_in(None, Some("es"));
    assert!(
        rendered.ends_with(&format!(
            "\n  código R0202: {}",
            Code::ScriptSyntax.summary_in(Some("es"))
        )),
        "{rendered}"
    );
    assert!(!d.render(None).contains("código"));
}

#[test]
fn the_api_answers_in_the_language_asked_for() {
    let ws = Workspace::new(Options::default());
    let bad =
        std::fs::read_to_string(root().join("tests/malformed/bad-setting.json")).expect("record");
    let en: Value = serde_json::to_value(ws.validate_record(&bad)).expect("json");
    let es: Value = serde_json::to_value(ws.validate_record_in(&bad, Some("es"))).expect("json");
    assert_eq!(en["type"], "failure");
    assert_eq!(en["errors"][0]["code"], es["errors"][0]["code"]);
    assert_eq!(en["errors"][0]["path"], es["errors"][0]["path"]);
    assert_eq!(
        es["errors"][0]["message"],
        "`centre` no es un valor válido para la modalidad"
    );
    assert_eq!(
        serde_json::to_value(ws.validate_record_in(&bad, None)).expect("json"),
        en
    );
}

#[test]
fn validate_with_lang_es_prints_spanish_and_keeps_codes_paths_and_exit_code() {
    let file = "tests/malformed/child-missing-fields.json";
    let en = rubrica(&["validate", file]);
    let es = rubrica(&["validate", "--lang", "es", file]);
    assert_eq!(en.status.code(), Some(2));
    assert_eq!(es.status.code(), Some(2));
    let (en_err, es_err) = (text(&en.stderr), text(&es.stderr));
    assert!(
        es_err.contains(&format!(
            "{file}: error R0102: falta el campo `age_months` (en `/children/1/age_months`)\n  \
             ayuda: agregue la edad del niño o niña en meses cumplidos"
        )),
        "{es_err}"
    );
    let codes = |s: &str| -> Vec<String> {
        s.lines()
            .filter_map(|l| l.split(": error ").nth(1))
            .map(|rest| rest.split(':').next().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(codes(&en_err), codes(&es_err));
    assert!(text(&es.stdout).starts_with(&format!("no válido {file} (2 problema(s))")));
    let fr = rubrica(&["validate", "--lang", "fr", file]);
    assert_eq!(fr.status.code(), Some(2));
    assert!(text(&fr.stderr).contains("available: en, es"));
}

#[test]
fn score_json_with_lang_es_gives_the_failure_in_spanish() {
    let file = "tests/malformed/bad-time.json";
    let run = |lang: &[&str]| {
        let mut args = vec!["score", file, "--format", "json"];
        args.extend_from_slice(lang);
        let out = rubrica(&args);
        assert_eq!(out.status.code(), Some(2));
        let v: Value = serde_json::from_str(text(&out.stdout).trim()).expect("one JSON answer");
        (v, text(&out.stderr))
    };
    let (en, _) = run(&[]);
    let (es, es_err) = run(&["--lang", "es"]);
    assert_eq!(es["type"], "failure");
    let place = |v: &Value| {
        (
            v["errors"][0]["code"].clone(),
            v["errors"][0]["path"].clone(),
        )
    };
    assert_eq!(place(&en), place(&es));
    assert_eq!(es["errors"][0]["message"], "`25:00` no es una hora del día");
    assert!(
        es_err.contains("el registro tiene 1 problema(s); no se calificó nada"),
        "{es_err}"
    );
}

#[test]
fn a_spanish_report_writes_the_record_warnings_in_spanish() {
    let file = "tests/malformed/age-past-36.json";
    let out = rubrica(&["score", file, "--lang", "es"]);
    let report = text(&out.stdout);
    assert!(
        report.contains(
            "  advertencia R0150: el niño o niña tiene 40 meses: pasa del rango de 0 a 3 años \
             (en `/children/1/age_months`)"
        ),
        "{report}"
    );
    let json = rubrica(&["score", file, "--lang", "es", "--format", "json"]);
    let v: Value = serde_json::from_str(text(&json.stdout).trim()).expect("a report");
    assert_eq!(v["warnings"][0]["code"], "R0150");
    assert_eq!(
        v["warnings"][0]["help"],
        "las prácticas están escritas para niños y niñas menores de 36 meses; revise la edad \
         o planifique la transición del niño o niña"
    );
    let english = rubrica(&["score", file, "--format", "json"]);
    let v: Value = serde_json::from_str(text(&english.stdout).trim()).expect("a report");
    assert_eq!(
        v["warnings"][0]["message"],
        "child is 40 months old, past the birth-to-three range"
    );
}

#[test]
fn check_with_lang_es_adds_the_code_summary_under_an_english_rubric_problem() {
    let out = rubrica(&[
        "check",
        "tests/fixtures/rubrics/syntax-error",
        "--lang",
        "es",
    ]);
    let err = text(&out.stderr);
    assert!(
        err.contains("\n  código R0202: El script de la rúbrica no se puede analizar."),
        "{err}"
    );
}
