//! Hostile rubric scripts: every file in `tests/hostile/` must end in a typed error with the
//! code named on its first line (`// expect: R0302`), a message, help and a location, and the
//! same engine must still rate a good rubric correctly afterwards.
//!
//! `tests/hostile/corpus.json` mirrors the files for the browser suite; regenerate it with
//! `UPDATE_CORPUS=1 cargo test -p rubrica-tests --test hostile`.

use rubrica::{Code, Diagnostics, Engine, Limits, Observation, RubricSource};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Counts the bytes each thread has in use, so the engine can hold each indicator call to its
/// memory bound (as the CLI and the browser build do).
#[global_allocator]
static ALLOC: rubrica::ThreadMeter<std::alloc::System> =
    rubrica::ThreadMeter::new(std::alloc::System);

fn metered(limits: Limits) -> Engine {
    Engine::new(limits)
        .with_memory_meter(rubrica::ThreadMeter::<std::alloc::System>::in_use_by_this_thread)
}

/// Only the tests about memory use the meter, so every other script is shown to be contained by
/// the structural limits and the budget alone, as for a host that gives no meter.
fn metered_if(limits: Limits, memory: bool) -> Engine {
    if memory {
        metered(limits)
    } else {
        Engine::new(limits)
    }
}

/// How long any hostile script may take, compile and evaluation together: ten times the
/// default deadline, so a sandbox regression fails the suite instead of hanging it.
const TIME_BOUND: Duration = Duration::from_millis(10 * 200);

const ALL_CODES: &[Code] = &[
    Code::JsonSyntax,
    Code::WrongType,
    Code::MissingField,
    Code::UnknownField,
    Code::OutOfRange,
    Code::UnknownReference,
    Code::DuplicateId,
    Code::UnsupportedFormat,
    Code::InvalidValue,
    Code::Inconsistent,
    Code::TooLarge,
    Code::PastThirtySixMonths,
    Code::UndeclaredItem,
    Code::RubricMetadata,
    Code::ScriptSyntax,
    Code::MissingIndicatorFunction,
    Code::ShadowsHelper,
    Code::ScriptRuntime,
    Code::OperationLimit,
    Code::CallDepthLimit,
    Code::DataSizeLimit,
    Code::WrongReturnShape,
    Code::RatingOffScale,
    Code::EvidenceNotFound,
    Code::ItemValue,
    Code::UnknownProperty,
    Code::UnknownFunction,
    Code::TimeLimit,
    Code::CaseFile,
    Code::CaseMismatch,
];

fn code_of(text: &str) -> Code {
    match ALL_CODES.iter().find(|c| c.as_str() == text) {
        Some(c) => *c,
        None => panic!("`{text}` is not a diagnostic code"),
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn hostile_dir() -> PathBuf {
    root().join("tests/hostile")
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
}

/// Every `*.rhai` file in the corpus as (name, script, expected code), sorted by name.
fn corpus() -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let entries = std::fs::read_dir(hostile_dir()).expect("tests/hostile exists");
    for entry in entries {
        let path = entry.expect("readable entry").path();
        if path.extension().is_none_or(|x| x != "rhai") {
            continue;
        }
        let name = path
            .file_stem()
            .expect("file name")
            .to_string_lossy()
            .into_owned();
        let script = read(&path);
        let expect = script
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("// expect: "))
            .unwrap_or_else(|| panic!("{name}.rhai must start with `// expect: R0xxx`"))
            .trim()
            .to_string();
        out.push((name, script, expect));
    }
    out.sort();
    out
}

fn manifest(corpus: &[(String, String, String)]) -> String {
    let entries: Vec<Value> = corpus
        .iter()
        .map(|(name, script, code)| json!({"name": name, "script": script, "expect_code": code}))
        .collect();
    let mut text = serde_json::to_string_pretty(&Value::Array(entries)).expect("serialisable");
    text.push('\n');
    text
}

/// The example infant room, with one item recorded for the hostile rubric.
fn record() -> Observation {
    let mut v: Value = serde_json::from_str(&read(&root().join("examples/center-infants.json")))
        .expect("example record is JSON");
    v["items"]["hostile"] = json!({"own-space": {"value": "yes", "method": "observed"}});
    Observation::from_value(&v)
        .expect("example record is valid")
        .observation
}

fn hostile_source(script: &str, name: &str) -> RubricSource {
    RubricSource {
        meta_file: "tests/hostile/rubric.json".into(),
        meta: read(&hostile_dir().join("rubric.json")),
        script_file: format!("tests/hostile/{name}.rhai"),
        script: script.to_string(),
    }
}

/// Compiles and evaluates; returns the diagnostics it ended with and the wall time taken.
fn run(
    engine: &Engine,
    source: &RubricSource,
    record: &Observation,
) -> (Result<(), Diagnostics>, Duration) {
    let start = Instant::now();
    let outcome = engine
        .compile(source)
        .and_then(|rubric| engine.evaluate(&rubric, record).map(|_| ()));
    (outcome, start.elapsed())
}

/// A well-behaved script for the hostile rubric: reads the record, calls helpers, rates.
const REFERENCE: &str = r#"
fn first(r) {
    let under_two = count_under(r.children, 24);
    let n = r.children.len();
    rating(if under_two * 2 >= n { 4 } else { 2 }, ["/children"], `${under_two} of ${n} under two`)
}

fn second(r) {
    if recorded(r, "own-space") {
        rating(5, ["own-space", "/headcounts"], `worst headcount ${worst_headcount_index(r.headcounts)}`)
    } else {
        not_enough_evidence("the group's own space was not recorded")
    }
}
"#;

/// The reference script's result on the example record, rendered as JSON.
fn good_result(engine: &Engine) -> String {
    let rubric = engine
        .compile(&hostile_source(REFERENCE, "reference"))
        .expect("the reference script compiles");
    let result = engine
        .evaluate(&rubric, &record())
        .expect("the reference script evaluates");
    serde_json::to_string(&result).expect("serialisable")
}

#[test]
fn manifest_is_in_sync() {
    let corpus = corpus();
    assert!(
        corpus.len() >= 40,
        "the hostile corpus should hold at least 40 scripts"
    );
    rubrica_tests::check_generated("tests/hostile/corpus.json", &manifest(&corpus), "hostile");
}

#[test]
fn every_hostile_script_ends_in_a_typed_error() {
    let engine = metered(Limits::default());
    let record = record();
    let baseline = good_result(&Engine::default());
    let mut times: Vec<(Duration, String)> = Vec::new();
    let mut failures = Vec::new();
    for (name, script, expect) in corpus() {
        // `R0302|R0311`: a runaway script whose time and operation limits race each other on
        // different hosts may end with either.
        let expect: Vec<Code> = expect.split('|').map(code_of).collect();
        let (outcome, took) = run(&engine, &hostile_source(&script, &name), &record);
        times.push((took, name.clone()));
        if took > TIME_BOUND {
            failures.push(format!(
                "{name}: took {took:?}, over the bound of {TIME_BOUND:?}"
            ));
        }
        let diags = match outcome {
            Ok(()) => {
                failures.push(format!("{name}: evaluated without an error"));
                continue;
            }
            Err(d) => d.0,
        };
        let Some(first) = diags.iter().find(|d| d.is_error()) else {
            failures.push(format!("{name}: no error among {diags:?}"));
            continue;
        };
        if !expect.contains(&first.code) {
            failures.push(format!(
                "{name}: expected {expect:?}, got {}",
                first.headline()
            ));
        }
        for d in &diags {
            let shown = d.headline();
            if shown
                .chars()
                .any(|c| c != '\n' && rubrica::is_unsafe_for_display(c))
            {
                failures.push(format!("{name}: unescaped control text in {shown:?}"));
            }
            // The message itself (as JSON answers carry it) is one line without controls.
            if d.message.chars().any(rubrica::is_unsafe_for_display) {
                failures.push(format!(
                    "{name}: control text in the message {:?}",
                    d.message
                ));
            }
            if d.message.trim().is_empty() || d.help.as_deref().is_none_or(|h| h.trim().is_empty())
            {
                failures.push(format!("{name}: diagnostic without message or help: {d:?}"));
            }
            let loc = &d.location;
            let located = loc.line.is_some_and(|l| l >= 1) && loc.column.is_some_and(|c| c >= 1);
            if !located && loc.path.is_none() {
                failures.push(format!(
                    "{name}: diagnostic without line:col or path: {}",
                    d.headline()
                ));
            }
            if loc
                .line
                .is_some_and(|l| l as usize > script.lines().count().max(1))
            {
                failures.push(format!(
                    "{name}: line past the end of the script: {}",
                    d.headline()
                ));
            }
        }
        // The engine keeps no state from a failed run.
        if good_result(&engine) != baseline {
            failures.push(format!(
                "{name}: the engine rated the reference rubric differently afterwards"
            ));
        }
    }
    times.sort();
    times.reverse();
    let total: Duration = times.iter().map(|(t, _)| *t).sum();
    eprintln!("hostile corpus: {} scripts, total {:?}", times.len(), total);
    for (t, name) in times
        .iter()
        .take_while(|(t, _)| *t > Duration::from_millis(20))
    {
        eprintln!("  slowest: {name} {t:?}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A script that stays inside the default limits but crosses a tightened one.
fn borderline(limits: Limits, body: &str) -> Result<(), Diagnostics> {
    let script = format!(
        "fn first(r) {{\n{body}\n}}\n\nfn second(r) {{\n    rating(3, [\"/children\"])\n}}\n"
    );
    let tightened = limits.max_memory_bytes < Limits::default().max_memory_bytes;
    let engine = metered_if(limits, tightened);
    let (outcome, _) = run(&engine, &hostile_source(&script, "borderline"), &record());
    outcome
}

fn first_code(outcome: Result<(), Diagnostics>) -> Option<Code> {
    outcome.err().and_then(|d| d.0.first().map(|d| d.code))
}

#[test]
fn defaults_are_documented_values() {
    let l = Limits::default();
    assert_eq!(l.max_operations, 100_000);
    assert_eq!(l.deadline_ms, 200);
    assert_eq!(l.max_memory_bytes, 64 * 1024 * 1024);
    assert_eq!(l.max_params, 16);
    assert_eq!(l.max_call_levels, 24);
    assert_eq!(l.max_expr_depth, 48);
    assert_eq!(l.max_function_expr_depth, 32);
    assert_eq!(l.max_string_size, 32 * 1024);
    assert_eq!(l.max_array_size, 5_000);
    assert_eq!(l.max_map_size, 5_000);
    assert_eq!(l.max_variables, 256);
    assert_eq!(l.max_functions, 128);
    assert_eq!(l.max_script_bytes, 256 * 1024);
}

#[test]
fn tightening_each_limit_fails_a_borderline_script() {
    let d = Limits::default();
    let cases: Vec<(&str, Limits, &str, Code)> = vec![
        (
            "operations",
            Limits { max_operations: 1_000, ..d },
            "    let n = 0;\n    for i in 0..2000 { n += 1; }\n    rating(3, [\"/children\"])",
            Code::OperationLimit,
        ),
        (
            "call levels",
            Limits { max_call_levels: 3, ..d },
            "    rating(depth(5), [\"/children\"])\n}\n\nfn depth(n) {\n    if n <= 1 { 1 } else { depth(n - 1) }",
            Code::CallDepthLimit,
        ),
        (
            "string size",
            Limits { max_string_size: 100, ..d },
            "    let s = \"0123456789\";\n    for i in 0..4 { s += s; }\n    rating(3, [\"/children\"])",
            Code::DataSizeLimit,
        ),
        (
            "array size",
            Limits { max_array_size: 50, ..d },
            "    let a = [];\n    for i in 0..100 { a.push(i); }\n    rating(3, [\"/children\"])",
            Code::DataSizeLimit,
        ),
        (
            "map size",
            Limits { max_map_size: 10, ..d },
            "    let m = #{a: 1, b: 2, c: 3, d: 4, e: 5, f: 6};\n    m += #{g: 7, h: 8, i: 9, j: 10, k: 11, l: 12};\n    rating(3, [\"/children\"])",
            Code::DataSizeLimit,
        ),
        (
            "variables",
            Limits { max_variables: 4, ..d },
            "    let a = 1;\n    let b = 2;\n    let c = 3;\n    let e = 4;\n    let f = 5;\n    rating(3, [\"/children\"])",
            Code::DataSizeLimit,
        ),
        (
            "expression depth",
            Limits { max_function_expr_depth: 8, ..d },
            "    let x = ((((((((((((1))))))))))));\n    rating(3, [\"/children\"])",
            Code::ScriptSyntax,
        ),
        (
            "functions",
            Limits { max_functions: 2, ..d },
            "    rating(3, [\"/children\"])\n}\nfn extra(x) {\n    x",
            Code::ScriptSyntax,
        ),
        (
            "deadline",
            Limits { deadline_ms: 1, ..d },
            "    let a = [];\n    for i in 0..2000 { a.push(`x${i}`); }\n    for i in 0..8 { let b = a; b.sort(); }\n    rating(3, [\"/children\"])",
            Code::TimeLimit,
        ),
        (
            "memory",
            Limits { max_memory_bytes: 1024 * 1024, ..d },
            "    let k = \"\";\n    k.pad(20000, \"k\");\n    let m = #{};\n    for i in 0..100 { m[`${k}${i}`] = i; }\n    rating(3, [\"/children\"])",
            Code::DataSizeLimit,
        ),
        (
            "parameters",
            Limits { max_params: 2, ..d },
            "    rating(three(1, 2, 3), [\"/children\"])\n}\nfn three(a, b, c) {\n    a",
            Code::ScriptSyntax,
        ),
        (
            "script bytes",
            Limits { max_script_bytes: 64, ..d },
            "    rating(3, [\"/children\"])",
            Code::DataSizeLimit,
        ),
    ];
    // Loaded test machines are slow: the deadline is not what the other cases are about.
    let loose = Limits {
        deadline_ms: 60_000,
        ..d
    };
    for (what, tight, body, want) in cases {
        let outcome = borderline(loose, body);
        assert!(
            outcome.is_ok(),
            "{what}: the borderline script should pass with the default limits: {outcome:?}"
        );
        let got = first_code(borderline(tight, body));
        assert_eq!(got, Some(want), "{what}: tightened limit");
    }
}

#[test]
fn sorting_with_a_comparer_still_sorts() {
    // The engine replaces rhai's comparer sorts with a merge sort that cannot panic.
    let script = r#"
fn first(r) {
    let a = [5, 3, 4, 1, 2, 5, 0, 9, 7, 8, 6];
    a.sort(|x, y| x - y);
    let b = a.order_by(|x, y| y - x);
    let c = [3, 1, 2];
    c.sort_by(|x, y| x < y);
    let ok = a == [0, 1, 2, 3, 4, 5, 5, 6, 7, 8, 9] && b == [9, 8, 7, 6, 5, 5, 4, 3, 2, 1, 0] && c == [1, 2, 3];
    rating(if ok { 5 } else { 1 }, ["/children"])
}

fn second(r) {
    let ages = r.children.order_by(|x, y| y.age_months - x.age_months);
    rating(if ages[0].age_months >= ages[ages.len() - 1].age_months { 5 } else { 1 }, ["/children"])
}
"#;
    let engine = Engine::default();
    let rubric = engine
        .compile(&hostile_source(script, "sorting"))
        .expect("compiles");
    let result = engine.evaluate(&rubric, &record()).expect("evaluates");
    let levels: Vec<Option<i64>> = result.indicators.iter().map(|i| i.level).collect();
    assert_eq!(levels, vec![Some(5), Some(5)]);
}

fn evaluate_script(script: &str) -> Result<rubrica::RubricResult, Diagnostics> {
    let engine = Engine::default();
    let rubric = engine.compile(&hostile_source(script, "script"))?;
    engine.evaluate(&rubric, &record())
}

#[test]
fn long_notes_and_reasons_are_shortened_with_a_marker() {
    let script = r#"
fn first(r) {
    let s = "note ";
    for i in 0..10 { s += s; }
    rating(3, ["/children"], s)
}

fn second(r) {
    let s = "why ";
    for i in 0..10 { s += s; }
    not_enough_evidence(s)
}
"#;
    let result = evaluate_script(script).expect("long texts are shortened, not refused");
    let json = serde_json::to_value(&result).expect("serialisable");
    let texts: Vec<String> = json["indicators"]
        .as_array()
        .expect("indicators")
        .iter()
        .map(|i| {
            i["note"]
                .as_str()
                .or_else(|| i["reason"].as_str())
                .expect("a note or a reason")
                .to_string()
        })
        .collect();
    assert_eq!(texts.len(), 2);
    assert_eq!(texts[0].chars().count(), 1000);
    assert!(texts[0].ends_with('…') && texts[0].starts_with("note note"));
    assert_eq!(texts[1].chars().count(), 500);
    assert!(texts[1].ends_with('…'));
}

#[test]
fn the_record_is_the_same_for_every_indicator() {
    let script = r#"
fn first(r) {
    let c = r.children.to_array();
    c.clear();
    let h = r.headcounts.to_array();
    h.push(1);
    rating(if c.is_empty() && h.len() == r.headcounts.len() + 1 { 3 } else { 1 }, ["/children"])
}

fn second(r) {
    rating(if r.children.len() > 0 && r.headcounts.len() < 9 { 5 } else { 1 }, ["/children"])
}
"#;
    let result = evaluate_script(script).expect("evaluates");
    let levels: Vec<Option<i64>> = result.indicators.iter().map(|i| i.level).collect();
    assert_eq!(levels, vec![Some(3), Some(5)]);
    for change in [
        "r.children = []",
        "r.children.clear()",
        "r.headcounts.sort()",
    ] {
        let write = format!("fn first(r) {{\n    {change};\n    rating(3, [\"/children\"])\n}}\n\nfn second(r) {{\n    rating(3, [\"/children\"])\n}}\n");
        let err = evaluate_script(&write).expect_err("the record cannot be written");
        assert_eq!(
            err.0[0].code,
            Code::ScriptRuntime,
            "{}",
            err.0[0].headline()
        );
        assert_eq!(err.0[0].location.line, Some(2), "{}", err.0[0].headline());
    }
}

#[test]
fn old_mac_line_endings_report_the_line_an_editor_shows() {
    let script = "fn first(r) {\r    let x = ;\r    rating(3, [\"/children\"])\r}\r\rfn second(r) {\r    rating(3, [\"/children\"])\r}\r";
    let err = evaluate_script(script).expect_err("syntax error");
    assert_eq!(err.0[0].code, Code::ScriptSyntax);
    assert_eq!(err.0[0].location.line, Some(2), "{}", err.0[0].headline());
}

#[test]
fn an_indicator_function_may_have_overloads_but_needs_the_one_with_the_record() {
    let both = "fn first(a, b) {\n    a\n}\n\nfn first(r) {\n    rating(3, [\"/children\"])\n}\n\nfn second(r) {\n    rating(3, [\"/children\"])\n}\n";
    assert!(evaluate_script(both).is_ok());
    let wrong = "fn second(r) {\n    rating(3, [\"/children\"])\n}\n\nfn first(a, b) {\n    a\n}\n";
    let err = evaluate_script(wrong).expect_err("no one-parameter `first`");
    assert_eq!(err.0[0].code, Code::MissingIndicatorFunction);
    assert_eq!(err.0[0].location.line, Some(5), "{}", err.0[0].headline());
}

#[test]
fn traced_evaluation_names_the_call_that_made_each_rating() {
    let engine = Engine::default();
    let rubric = engine
        .compile(&hostile_source(REFERENCE, "reference"))
        .expect("compiles");
    let (result, sites) = engine.evaluate_traced(&rubric, &record());
    assert!(result.is_ok());
    let at: Vec<(String, u32)> = sites.into_iter().map(|s| (s.indicator, s.line)).collect();
    assert_eq!(
        at,
        vec![("first".to_string(), 5), ("second".to_string(), 10)]
    );
}

#[test]
fn zero_limits_are_the_strictest_not_off() {
    let zero = Limits {
        max_expr_depth: 0,
        max_function_expr_depth: 0,
        max_operations: 0,
        ..Limits::default()
    };
    let err = evaluate_script_with(zero, REFERENCE).expect_err("nothing fits in a zero limit");
    assert_eq!(err.0[0].code, Code::ScriptSyntax, "{}", err.0[0].headline());
}

fn evaluate_script_with(
    limits: Limits,
    script: &str,
) -> Result<rubrica::RubricResult, Diagnostics> {
    let engine = Engine::new(limits);
    let rubric = engine.compile(&hostile_source(script, "script"))?;
    engine.evaluate(&rubric, &record())
}

#[test]
fn record_lists_read_like_arrays() {
    // The example record has six children (c1…c6, aged 2 to 7 months) and four headcounts.
    let script = r#"
fn first(r) {
    let young = r.children.filter(|c| c.age_months < 6);
    let ids = r.children.map(|c| c.id);
    let total = r.children.reduce(|sum, c| sum + c.age_months, 0);
    let checks = [
        r.children.len() == 6,
        !r.children.is_empty(),
        r.children[0].id == "c1",
        r.children[-1].id == ids[5],
        "c3" in ids,
        "es" in r.children[0].home_languages,
        !("zz" in r.children[0].home_languages),
        young.len() > 0 && young.len() < 6,
        total > 0,
        r.children.index_of(|c| c.id == "c2") == 1,
        r.children.some(|c| c.age_months > 5),
        !r.children.some(|c| c.age_months > 40),
        r.children.all(|c| c.age_months >= 0),
        r.children.to_array().len() == 6,
        (r.headcounts + [1]).len() == r.headcounts.len() + 1,
        ([1] + r.headcounts).len() == r.headcounts.len() + 1,
        plus_assign(r) == 7,
        appended(r) == 1 + r.headcounts.len(),
        count_under(r.children, 100) == 6,
        count_where(r.children, "id", "c4") == 1,
        group_band(r.children) != "none",
        worst_headcount_index(r.headcounts) >= 0,
        type_of(r.children) == "RecordList",
        type_of(r) == "Record",
    ];
    let n = 0;
    for (c, i) in r.children {
        n += i;
    }
    checks.push(n == 15);
    let failed = [];
    for (ok, i) in checks {
        if !ok {
            failed.push(i);
        }
    }
    rating(if failed.is_empty() { 5 } else { 1 }, ["/children"], `failed checks: ${failed}`)
}

fn plus_assign(r) {
    let a = [0];
    a += r.children.to_array();
    a.len()
}

fn appended(r) {
    let a = [0];
    a.append(r.headcounts);
    a.len()
}

fn second(r) {
    rating(3, ["/children"])
}
"#;
    let result = evaluate_script(script).expect("evaluates");
    let first = &result.indicators[0];
    assert_eq!(first.level, Some(5), "{:?}", serde_json::to_string(first));
}
