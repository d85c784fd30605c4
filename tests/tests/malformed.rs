//! Malformed records: every file in `tests/malformed/` is listed in `expected.json` with the
//! problems it must report (code and JSON path). All problems of a record are reported at once,
//! nothing else is reported, and nothing panics. Records at the edges of the limits that are
//! valid (marked `scores`, and large ones generated here) must be scored by every shipped rubric.

use rubrica::{
    Code, CompiledRubric, Diagnostic, Engine, Observation, PracticeEntry, Record, RecordKind,
    RubricSource, MAX_RECORD_BYTES,
};
use serde_json::{json, Map, Value};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn dir() -> PathBuf {
    root().join("tests/malformed")
}

/// One expected problem: a code and, for problems inside the record, its JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Problem {
    code: String,
    path: Option<String>,
}

#[derive(Debug)]
struct Expectation {
    errors: Vec<Problem>,
    warnings: Vec<Problem>,
    evaluate_with: Option<String>,
    /// The record is valid and every shipped rubric must score it.
    scores: bool,
}

fn problems(v: Option<&Value>, file: &str) -> Vec<Problem> {
    let Some(v) = v else { return Vec::new() };
    let list = v
        .as_array()
        .unwrap_or_else(|| panic!("{file}: expected a list of problems"));
    list.iter()
        .map(|p| {
            let m = p
                .as_object()
                .unwrap_or_else(|| panic!("{file}: a problem is an object"));
            for k in m.keys() {
                assert!(
                    ["code", "path"].contains(&k.as_str()),
                    "{file}: unknown key `{k}` in a problem"
                );
            }
            Problem {
                code: m
                    .get("code")
                    .and_then(Value::as_str)
                    .unwrap_or_else(|| panic!("{file}: problem without code"))
                    .to_string(),
                path: m.get("path").map(|p| {
                    p.as_str()
                        .unwrap_or_else(|| panic!("{file}: path is text"))
                        .to_string()
                }),
            }
        })
        .collect()
}

/// `expected.json`, read strictly so a typo in it fails loudly.
fn manifest() -> Vec<(String, Expectation)> {
    let text = std::fs::read_to_string(dir().join("expected.json"))
        .expect("tests/malformed/expected.json");
    let v: Map<String, Value> =
        serde_json::from_str(&text).expect("expected.json is a JSON object");
    v.into_iter()
        .map(|(file, entry)| {
            let m = entry
                .as_object()
                .unwrap_or_else(|| panic!("{file}: entry is an object"));
            for k in m.keys() {
                assert!(
                    ["why", "errors", "warnings", "evaluate_with", "scores"].contains(&k.as_str()),
                    "{file}: unknown key `{k}` in expected.json"
                );
            }
            assert!(
                m.get("why")
                    .and_then(Value::as_str)
                    .is_some_and(|w| !w.is_empty()),
                "{file}: say `why`"
            );
            let e = Expectation {
                errors: problems(m.get("errors"), &file),
                warnings: problems(m.get("warnings"), &file),
                evaluate_with: m
                    .get("evaluate_with")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                scores: m.get("scores").is_some_and(|v| v == &Value::Bool(true)),
            };
            (file, e)
        })
        .collect()
}

fn as_problem(d: &Diagnostic, expected: &[Problem]) -> Problem {
    // Syntax errors have a line and column rather than a path; compare on the code alone when
    // the manifest gives no path.
    let bare = expected
        .iter()
        .any(|p| p.code == d.code.as_str() && p.path.is_none());
    Problem {
        code: d.code.as_str().to_string(),
        path: if bare { None } else { d.location.path.clone() },
    }
}

fn check_text(file: &str, d: &Diagnostic, failures: &mut Vec<String>) {
    let m = &d.message;
    if m.is_empty()
        || m.contains('\n')
        || m.ends_with('.')
        || m.starts_with(|c: char| c.is_uppercase())
    {
        failures.push(format!(
            "{file}: message is not one lowercase line without a trailing period: `{m}`"
        ));
    }
    if d.code == Code::JsonSyntax
        && (d.location.line.is_none() && !m.contains("UTF-8") && !m.contains("bytes"))
    {
        failures.push(format!(
            "{file}: a JSON syntax error should carry line:col: {}",
            d.headline()
        ));
    }
}

fn compare(
    file: &str,
    what: &str,
    got: &[Diagnostic],
    want: &[Problem],
    failures: &mut Vec<String>,
) {
    let got: Vec<Problem> = got.iter().map(|d| as_problem(d, want)).collect();
    for w in want {
        if !got.contains(w) {
            failures.push(format!(
                "{file}: expected {what} {} at {:?}; got {got:?}",
                w.code, w.path
            ));
        }
    }
    for g in &got {
        if !want.contains(g) {
            failures.push(format!(
                "{file}: unexpected {what} {} at {:?}",
                g.code, g.path
            ));
        }
    }
    // As lists, not sets: a problem reported twice is a fault too.
    let mut counted: Vec<&Problem> = Vec::new();
    for g in &got {
        if counted.contains(&g) {
            continue;
        }
        counted.push(g);
        let (n_got, n_want) = (
            got.iter().filter(|x| *x == g).count(),
            want.iter().filter(|x| *x == g).count(),
        );
        if n_want > 0 && n_got != n_want {
            failures.push(format!(
                "{file}: {what} {} at {:?} reported {n_got} times, expected {n_want}",
                g.code, g.path
            ));
        }
    }
}

/// `tests/malformed/corpus.json`: every record as text with its expectations, for the browser
/// suite (web/tests/large_records.rs), which checks the wasm build reports the same problems.
/// A file that is not UTF-8 has `text: null`: it cannot reach the browser API as a string.
fn browser_corpus() -> String {
    let text = std::fs::read_to_string(dir().join("expected.json")).expect("expected.json");
    let expected: Map<String, Value> = serde_json::from_str(&text).expect("a JSON object");
    let entries: Vec<Value> = expected
        .into_iter()
        .map(|(file, mut entry)| {
            let bytes = std::fs::read(dir().join(&file)).expect("record file");
            if let Some(m) = entry.as_object_mut() {
                m.remove("why");
                m.insert("name".into(), json!(file));
                m.insert(
                    "text".into(),
                    String::from_utf8(bytes).map_or(Value::Null, Value::String),
                );
            }
            entry
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&entries).expect("serialisable");
    out.push('\n');
    out
}

#[test]
fn browser_corpus_is_in_sync() {
    rubrica_tests::check_generated(
        "tests/malformed/corpus.json",
        &browser_corpus(),
        "malformed",
    );
}

#[test]
fn every_file_has_an_expectation_and_back() {
    let listed: Vec<String> = manifest().into_iter().map(|(f, _)| f).collect();
    let mut on_disk: Vec<String> = std::fs::read_dir(dir())
        .expect("tests/malformed exists")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json") && n != "expected.json" && n != "corpus.json")
        .collect();
    on_disk.sort();
    assert_eq!(
        listed, on_disk,
        "tests/malformed/expected.json must list exactly the record files"
    );
    assert!(
        on_disk.len() >= 40,
        "the malformed corpus should hold at least 40 records"
    );
}

#[test]
fn every_expected_problem_is_reported_at_once() {
    let engine = Engine::default();
    let mut failures = Vec::new();
    for (file, want) in manifest() {
        let bytes = std::fs::read(dir().join(&file)).expect("record file");
        // Records of every kind: the format tag says which (observations, reflections).
        match Record::parse_bytes(&bytes) {
            Err(diags) => {
                for d in &diags.0 {
                    check_text(&file, d, &mut failures);
                }
                let errors: Vec<Diagnostic> =
                    diags.0.iter().filter(|d| d.is_error()).cloned().collect();
                compare(&file, "error", &errors, &want.errors, &mut failures);
            }
            Ok(parsed) => {
                let mut warnings = parsed.warnings.clone();
                let mut errors = Vec::new();
                if let Some(id) = &want.evaluate_with {
                    let source =
                        RubricSource::load(&root().join("rubrics").join(id)).expect("rubric loads");
                    let rubric = engine.compile(&source).expect("rubric compiles");
                    match engine.evaluate(&rubric, parsed.record.as_ref()) {
                        Ok(result) => warnings.extend(result.warnings),
                        Err(d) => errors = d.0,
                    }
                }
                for d in warnings.iter().chain(&errors) {
                    check_text(&file, d, &mut failures);
                }
                compare(&file, "error", &errors, &want.errors, &mut failures);
                compare(&file, "warning", &warnings, &want.warnings, &mut failures);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn valid() -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(root().join("examples/center-infants.json")).expect("example"),
    )
    .expect("example is JSON")
}

fn codes(text: &str) -> Vec<Code> {
    match Observation::parse(text) {
        Ok(_) => Vec::new(),
        Err(d) => d.0.iter().map(|d| d.code).collect(),
    }
}

#[test]
fn a_huge_file_is_refused_before_parsing() {
    let mut v = valid();
    v["extra"] = json!({"padding": "x".repeat(MAX_RECORD_BYTES)});
    let text = serde_json::to_string(&v).expect("serialisable");
    assert!(text.len() > MAX_RECORD_BYTES);
    assert_eq!(codes(&text), vec![Code::TooLarge]);
    let d = Observation::parse(&text).expect_err("too large");
    assert!(d.0.first().is_some_and(|d| d.help.is_some()));
}

#[test]
fn a_large_record_within_the_limit_is_checked_entry_by_entry() {
    // Five hundred children, every one with a wrong type: every problem is reported.
    let mut v = valid();
    let children: Vec<Value> = (0..500)
        .map(|i| json!({"id": format!("c{i}"), "age_months": "young"}))
        .collect();
    v["children"] = Value::Array(children);
    v["headcounts"] = json!([]);
    let found = codes(&serde_json::to_string(&v).expect("serialisable"));
    assert_eq!(found.len(), 500);
    assert!(found.iter().all(|c| *c == Code::WrongType));
}

#[test]
fn very_deep_nesting_is_a_syntax_error_not_a_stack_overflow() {
    for depth in [200usize, 10_000, 200_000] {
        let text = format!("{{\"extra\": {}{}}}", "[".repeat(depth), "]".repeat(depth));
        assert_eq!(codes(&text), vec![Code::JsonSyntax], "depth {depth}");
        let text = format!("{}{}", "{\"a\":".repeat(depth), "}".repeat(depth));
        assert_eq!(codes(&text), vec![Code::JsonSyntax], "depth {depth}");
    }
}

#[test]
fn extra_keeps_any_json_and_rubrics_never_see_it() {
    let mut v = valid();
    v["extra"] = json!({"room": "blue", "nested": {"list": [1, 2, {"x": null}]}});
    let parsed = Observation::from_value(&v).expect("valid");
    assert_eq!(parsed.observation.to_json()["extra"]["room"], "blue");
}

/// The shipped rubrics that rate observations, compiled.
fn shipped() -> (Engine, Vec<CompiledRubric>) {
    let engine = Engine::default();
    let compiled: Vec<CompiledRubric> = rubrica_tests::shipped_rubrics(&engine)
        .into_iter()
        .filter(|r| r.meta().record_kind() == RecordKind::Observation)
        .collect();
    assert_eq!(compiled.len(), 6, "six practices");
    (engine, compiled)
}

/// Why a record that must be scored was not: it is invalid, or a practice could not be scored.
fn scoring_failures(
    engine: &Engine,
    rubrics: &[CompiledRubric],
    name: &str,
    text: &str,
) -> Vec<String> {
    let parsed = match Observation::parse(text) {
        Ok(p) => p,
        Err(d) => return vec![format!("{name}: the record is not valid: {d}")],
    };
    let report = engine.report(rubrics, &parsed);
    let mut out = Vec::new();
    if report.practices.len() != rubrics.len() {
        out.push(format!(
            "{name}: {} practices reported, expected {}",
            report.practices.len(),
            rubrics.len()
        ));
    }
    for p in &report.practices {
        if let PracticeEntry::Failure { rubric, errors, .. } = p {
            let why: Vec<String> = errors.iter().map(Diagnostic::headline).collect();
            out.push(format!(
                "{name}: `{rubric}` could not be scored: {}",
                why.join("; ")
            ));
        }
    }
    out
}

#[test]
fn valid_records_at_the_limits_score_every_practice() {
    let (engine, rubrics) = shipped();
    let mut failures = Vec::new();
    let mut checked = 0;
    for (file, want) in manifest() {
        if !want.scores {
            continue;
        }
        assert!(
            want.errors.is_empty(),
            "{file}: a record that scores has no errors"
        );
        let text = std::fs::read_to_string(dir().join(&file)).expect("record file");
        failures.extend(scoring_failures(&engine, &rubrics, &file, &text));
        checked += 1;
    }
    assert!(
        checked >= 4,
        "the corpus marks its valid edge records with `scores`"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A valid value for every item every shipped rubric declares, each with `note`.
fn every_item(rubrics: &[CompiledRubric], note: &str) -> Value {
    let mut by_rubric = Map::new();
    for r in rubrics {
        let mut items = Map::new();
        for def in &r.meta().items {
            let value = match def.item_type {
                rubrica::ItemType::Count => {
                    json!(def.min.unwrap_or(0).max(1).min(def.max.unwrap_or(1)))
                }
                rubrica::ItemType::Note => json!(note),
                _ => json!(def.allowed_values().first().copied().unwrap_or("yes")),
            };
            let mut entry = json!({"value": value, "note": note});
            if let Some(method) = def.method {
                entry["method"] = json!(method.as_str());
            }
            items.insert(def.id.clone(), entry);
        }
        by_rubric.insert(r.meta().id.clone(), Value::Object(items));
    }
    Value::Object(by_rubric)
}

/// A group of `children` children and `caregivers` caregivers, counted `headcounts` times.
fn group(children: usize, caregivers: usize, headcounts: usize) -> Value {
    let mut v = valid();
    v["id"] = json!("obs-large");
    v["caregivers"] = (0..caregivers)
        .map(|i| json!({"id": format!("cg-{i}"), "role": "teacher", "languages": ["en", "es"]}))
        .collect();
    v["children"] = (0..children)
        .map(|i| {
            let age = (i % 36) as i64;
            json!({
                "id": format!("c{i}"),
                "age_months": age,
                "primary_caregiver": format!("cg-{}", i % caregivers),
                "months_with_primary": age.min(3),
                "home_languages": [if i % 3 == 0 { "es" } else { "en" }],
                "ifsp": i % 17 == 0,
            })
        })
        .collect();
    v["headcounts"] = (0..headcounts)
        .map(|i| {
            json!({
                "at": format!("{:02}:{:02}", 7 + (i / 60) % 12, i % 60),
                "children": children.min(500),
                "caregivers": caregivers.min(500),
            })
        })
        .collect();
    v
}

/// Adds `note` to `/notes` while the record stays within the size limit (at most 500 notes).
fn fill_notes(v: &mut Value, note: &str) {
    let mut notes: Vec<Value> = Vec::new();
    let base = serde_json::to_string(v).expect("serialisable").len();
    let each = serde_json::to_string(note).expect("serialisable").len() + 1;
    while notes.len() < 500 && base + (notes.len() + 1) * each + 16 <= MAX_RECORD_BYTES {
        notes.push(json!(note));
    }
    v["notes"] = Value::Array(notes);
}

#[test]
fn large_valid_records_score_every_practice() {
    let (engine, rubrics) = shipped();
    let long = "The infants rested, fed and played on their own schedules. ".repeat(67);
    let long: String = long.chars().take(4000).collect();
    let emoji = "\u{1F476}".repeat(4000);
    let mut records: Vec<(&str, Value)> = Vec::new();

    let mut big = group(500, 100, 500);
    big["items"] = every_item(&rubrics, &long);
    fill_notes(&mut big, &long);
    records.push((
        "500 children, 4000-character notes up to the size limit",
        big,
    ));

    let mut emoji_notes = group(8, 3, 4);
    emoji_notes["items"] = every_item(&rubrics, &emoji);
    emoji_notes["interviews"] = json!([{"with": "cg-0", "topic": emoji, "answer": emoji}]);
    fill_notes(&mut emoji_notes, &emoji);
    records.push(("notes of 4000 emoji up to the size limit", emoji_notes));

    let mut everything = group(500, 500, 500);
    everything["items"] = every_item(&rubrics, "seen twice");
    everything["interviews"] = (0..500)
        .map(|i| json!({"with": format!("cg-{i}"), "topic": "routines", "answer": format!("answer {i}")}))
        .collect();
    everything["materials"] = (0..500)
        .map(|i| json!({"title": format!("plan {i}"), "kind": "plan", "note": "reviewed"}))
        .collect();
    everything["notes"] = (0..500).map(|i| json!(format!("note {i}"))).collect();
    records.push(("500 of everything", everything));

    let mut failures = Vec::new();
    for (name, v) in &records {
        let text = serde_json::to_string(v).expect("serialisable");
        assert!(
            text.len() <= MAX_RECORD_BYTES,
            "{name}: {} bytes",
            text.len()
        );
        failures.extend(scoring_failures(&engine, &rubrics, name, &text));
    }
    let sizes: Vec<String> = records
        .iter()
        .map(|(n, v)| {
            format!(
                "{n}: {} bytes",
                serde_json::to_string(v).map_or(0, |t| t.len())
            )
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{}\n(sizes: {})",
        failures.join("\n"),
        sizes.join(", ")
    );
}
