//! Malformed records: every file in `tests/malformed/` is listed in `expected.json` with the
//! problems it must report (code and JSON path). All problems of a record are reported at once,
//! nothing else is reported, and nothing panics.

use rubrica::{Code, Diagnostic, Engine, Observation, RubricSource, MAX_RECORD_BYTES};
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
                    ["why", "errors", "warnings", "evaluate_with"].contains(&k.as_str()),
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
}

#[test]
fn every_file_has_an_expectation_and_back() {
    let listed: Vec<String> = manifest().into_iter().map(|(f, _)| f).collect();
    let mut on_disk: Vec<String> = std::fs::read_dir(dir())
        .expect("tests/malformed exists")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json") && n != "expected.json")
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
        match Observation::parse_bytes(&bytes) {
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
                    match engine.evaluate(&rubric, &parsed.observation) {
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
