//! The JSON Schemas of what Rubrica writes agree with what it writes:
//!
//! - docs/report.schema.json (`rubrica.report/1`) and docs/result.schema.json
//!   (`rubrica.result/1`): every report of the examples, the fixtures and every self-test case's
//!   record, with a rubric that fails among them, validates; so does every result
//!   `rubrica test --write-results` writes and the CLI's own `score --format json` output.
//! - docs/rubric.schema.json: every shipped `rubric.json` and fixture rubric validates.
//! - docs/bundle.schema.json: `rubrica bundle` with and without cases validates.
//!
//! And the schemas say no more than the engine writes or reads: every property of an object of
//! the report and result schemas appears in some real report (so a field the engine stopped
//! writing is noticed), the diagnostic codes are `Code::ALL`, the rubric schema's properties are
//! the fields the metadata parser accepts, and its lists of values are the parser's.

use rubrica::{Code, Engine, Record, Report, RubricResult};
use rubrica_tests::{root, run_cli, shipped_rubrics};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A value as the engine serialises it.
macro_rules! to_value {
    ($v:expr) => {
        serde_json::to_value($v).expect("serializes")
    };
}

fn schema(name: &str) -> Value {
    let path = root().join("docs").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A validator for `name`, with the other schemas registered under their `$id`s so the
/// references between them resolve offline.
fn validator(name: &str) -> jsonschema::Validator {
    let mut registry = jsonschema::Registry::new();
    for other in [
        "result.schema.json",
        "observation.schema.json",
        "ta-reflection.schema.json",
        "family-partnership.schema.json",
        "rubric.schema.json",
    ] {
        let s = schema(other);
        let id = s["$id"].as_str().expect("an $id").to_string();
        registry = registry.add(id, s).expect("a schema resource");
    }
    let registry = registry.prepare().expect("the schemas resolve");
    jsonschema::options()
        .with_registry(&registry)
        .build(&schema(name))
        .unwrap_or_else(|e| panic!("{name} compiles: {e}"))
}

/// Every problem the validator finds, with the JSON path of each.
fn problems(v: &jsonschema::Validator, value: &Value) -> Vec<String> {
    v.iter_errors(value)
        .take(5)
        .map(|e| format!("{e} at `{}`", e.instance_path()))
        .collect()
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

/// The records to report on: the examples, the fixtures, and every self-test case's record
/// (its `set` changes applied), from the bundle the CLI writes.
fn records() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for dir in ["examples", "rubrics/fixtures", "tests/fixtures/records"] {
        for p in json_files(&root().join(dir)) {
            let text = std::fs::read_to_string(&p).expect("record file");
            out.push((p.display().to_string(), text));
        }
    }
    // A record with an item its rubric does not declare: the result carries a warning.
    let mut undeclared: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("examples/center-infants.json")).expect("example"),
    )
    .expect("JSON");
    undeclared["items"]["small-groups"]["not-declared-here"] =
        serde_json::json!({"value": "yes", "method": "observed"});
    out.push(("an undeclared item".to_string(), undeclared.to_string()));
    // A child past 36 months: the report carries a warning about the record.
    let mut older = undeclared;
    older["children"][0]["age_months"] = Value::from(40);
    out.push(("a child past 36 months".to_string(), older.to_string()));
    for rubric in cli_bundle(true).as_array().expect("a bundle is a list") {
        for case in rubric["cases"].as_array().expect("cases") {
            let name = format!("{} case {}", rubric["id"], case["name"]);
            out.push((name, case["case"]["record"].to_string()));
        }
    }
    out
}

fn cli_bundle(with_cases: bool) -> Value {
    let args: &[&str] = if with_cases {
        &["bundle", "rubrics"]
    } else {
        &["bundle", "--no-cases", "rubrics"]
    };
    let out = run_cli(args);
    assert_eq!(out.status.code(), Some(0), "rubrica {args:?}");
    serde_json::from_slice(&out.stdout).expect("the bundle is JSON")
}

/// Reports of every record that parses, by the shipped rubrics plus one that fails at run time
/// (made once for all the tests).
fn reports() -> &'static [(String, Report)] {
    static REPORTS: std::sync::OnceLock<Vec<(String, Report)>> = std::sync::OnceLock::new();
    REPORTS.get_or_init(make_reports)
}

fn make_reports() -> Vec<(String, Report)> {
    let engine = Engine::default();
    let mut rubrics = shipped_rubrics(&engine);
    let failing = rubrica::RubricSource::load(&root().join("tests/fixtures/rubrics/runtime-error"))
        .expect("fixture loads");
    rubrics.push(engine.compile(&failing).expect("the fixture compiles"));
    let mut out = Vec::new();
    let mut rejected = 0;
    for (name, text) in records() {
        // Records of every kind (observations, reflections), each by the rubrics of its kind.
        match Record::parse_bytes(text.as_bytes()) {
            Ok(parsed) => {
                // Each record also in Spanish (`language` on the report and each result).
                let es = engine.report_record_in(&rubrics, &parsed, "es");
                out.push((format!("{name} (es)"), es));
                out.push((name, engine.report_record(&rubrics, &parsed)));
            }
            Err(_) => rejected += 1,
        }
    }
    // The bad fixtures are refused; everything else is scored.
    assert!(rejected <= 2, "{rejected} records did not parse");
    assert!(out.len() >= 50, "only {} reports", out.len());
    out
}

#[test]
fn every_report_and_result_validates() {
    let report_schema = validator("report.schema.json");
    let result_schema = validator("result.schema.json");
    let mut failures = 0;
    let mut bad = Vec::new();
    for (name, report) in reports() {
        let value = to_value!(report);
        for p in problems(&report_schema, &value) {
            bad.push(format!("{name}: report: {p}"));
        }
        for entry in &report.practices {
            match entry {
                rubrica::PracticeEntry::Success { result } => {
                    for p in problems(&result_schema, &to_value!(result)) {
                        bad.push(format!("{name}: result {}: {p}", result.rubric.id));
                    }
                }
                rubrica::PracticeEntry::Failure { .. } => failures += 1,
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    assert!(failures >= 50, "the failing rubric failed {failures} times");
}

#[test]
fn the_clis_json_report_validates() {
    let v = validator("report.schema.json");
    let out = run_cli(&["score", "examples/center-infants.json", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(problems(&v, &report), Vec::<String>::new());
    assert_eq!(report["engine"]["name"], "rubrica");
    assert_eq!(report["engine"]["version"], rubrica::ENGINE_INFO.version);
    // A report with a failing practice (a rubric folder that does not load is listed as one).
    let out = run_cli(&[
        "score",
        "examples/center-infants.json",
        "--format",
        "json",
        "--rubrics",
        "tests/fixtures/rubrics",
    ]);
    assert_eq!(out.status.code(), Some(1), "a practice could not be scored");
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(problems(&v, &report), Vec::<String>::new(), "{report}");
    let practices = report["practices"].as_array().expect("practices");
    assert!(practices.iter().any(|p| p["type"] == "failure"), "{report}");
}

#[test]
fn every_case_result_written_by_rubrica_test_validates() {
    let v = validator("result.schema.json");
    let dir = std::env::temp_dir().join(format!("rubrica-schema-results-{}", std::process::id()));
    let out = run_cli(&[
        "test",
        "rubrics",
        "--write-results",
        &dir.display().to_string(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let mut checked = 0;
    let mut bad = Vec::new();
    for rubric in std::fs::read_dir(&dir).expect("results written") {
        for file in json_files(&rubric.expect("entry").path()) {
            let text = std::fs::read_to_string(&file).expect("result file");
            let value: Value = serde_json::from_str(&text).expect("a result is JSON");
            for p in problems(&v, &value) {
                bad.push(format!("{}: {p}", file.display()));
            }
            checked += 1;
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    assert!(checked >= 50, "only {checked} results written");
}

#[test]
fn every_rubric_json_and_both_bundles_validate() {
    let rubric = validator("rubric.schema.json");
    let mut checked = 0;
    for base in ["rubrics", "tests/fixtures/rubrics"] {
        for dir in std::fs::read_dir(root().join(base)).expect("rubric folders") {
            let meta = dir.expect("entry").path().join("rubric.json");
            let Ok(text) = std::fs::read_to_string(&meta) else {
                continue;
            };
            let value: Value = serde_json::from_str(&text).expect("rubric.json is JSON");
            // The fixture with broken metadata is refused by both.
            let engine_ok = rubrica::parse_meta(&text, "rubric.json").is_ok();
            let found = problems(&rubric, &value);
            if base == "rubrics" {
                assert!(engine_ok, "{}", meta.display());
                assert_eq!(found, Vec::<String>::new(), "{}", meta.display());
                checked += 1;
            } else if engine_ok {
                assert_eq!(found, Vec::<String>::new(), "{}", meta.display());
            }
        }
    }
    // The six practices and the two rubrics of reflection records.
    assert_eq!(checked, 8);

    let bundle = validator("bundle.schema.json");
    for with_cases in [true, false] {
        let value = cli_bundle(with_cases);
        assert_eq!(problems(&bundle, &value), Vec::<String>::new());
        let rubrics = value.as_array().expect("a list");
        assert_eq!(rubrics.len(), 8);
        for r in rubrics {
            assert_eq!(r.get("cases").is_some(), with_cases, "{}", r["id"]);
            let meta: Value =
                serde_json::from_str(r["meta"].as_str().expect("meta text")).expect("JSON");
            assert_eq!(problems(&rubric, &meta), Vec::<String>::new());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The schemas say what the engine writes, no more

/// Resolves a local (`#/$defs/x`) or cross-schema (`result-1.json#/$defs/x`) reference.
fn resolve<'a>(
    node: &'a Value,
    here: &'a Value,
    schemas: &'a BTreeMap<String, Value>,
) -> (&'a Value, &'a Value) {
    let Some(r) = node.get("$ref").and_then(Value::as_str) else {
        return (node, here);
    };
    let (file, pointer) = r.split_once('#').unwrap_or((r, ""));
    let doc = if file.is_empty() {
        here
    } else {
        schemas
            .values()
            .find(|s| s["$id"].as_str().is_some_and(|id| id.ends_with(file)))
            .unwrap_or_else(|| panic!("no schema for {r}"))
    };
    let target = doc
        .pointer(pointer)
        .unwrap_or_else(|| panic!("dangling {r}"));
    resolve(target, doc, schemas)
}

/// The object schemas reachable from `node`, by a path of property names (`*` for list entries
/// and map values, `(success)` for a `oneOf` alternative with a constant `type`).
fn object_schemas(
    node: &Value,
    here: &Value,
    schemas: &BTreeMap<String, Value>,
    path: &str,
    out: &mut BTreeMap<String, BTreeSet<String>>,
) {
    let (node, here) = resolve(node, here, schemas);
    if let Some(options) = node.get("oneOf").and_then(Value::as_array) {
        for o in options {
            let (o, doc) = resolve(o, here, schemas);
            let tag = o["properties"]["type"]["const"].as_str();
            let p = match tag {
                Some(t) => format!("{path}({t})"),
                None => path.to_string(),
            };
            object_schemas(o, doc, schemas, &p, out);
        }
    }
    if let Some(props) = node.get("properties").and_then(Value::as_object) {
        out.entry(path.to_string())
            .or_default()
            .extend(props.keys().cloned());
        for (k, v) in props {
            object_schemas(v, here, schemas, &format!("{path}/{k}"), out);
        }
    }
    if let Some(items) = node.get("items") {
        object_schemas(items, here, schemas, &format!("{path}/*"), out);
    }
}

/// The same paths over a real value: which fields each object had.
fn object_fields(value: &Value, path: &str, out: &mut BTreeMap<String, BTreeSet<String>>) {
    match value {
        Value::Object(map) => {
            let path = match map.get("type").and_then(Value::as_str) {
                Some(t) if map.contains_key("result") || map.contains_key("errors") => {
                    format!("{path}({t})")
                }
                _ => path.to_string(),
            };
            out.entry(path.clone())
                .or_default()
                .extend(map.keys().cloned());
            for (k, v) in map {
                object_fields(v, &format!("{path}/{k}"), out);
            }
        }
        Value::Array(items) => {
            for v in items {
                object_fields(v, &format!("{path}/*"), out);
            }
        }
        _ => {}
    }
}

fn all_schemas() -> BTreeMap<String, Value> {
    [
        "report.schema.json",
        "result.schema.json",
        "observation.schema.json",
        "ta-reflection.schema.json",
        "family-partnership.schema.json",
        "rubric.schema.json",
        "bundle.schema.json",
    ]
    .into_iter()
    .map(|n| (n.to_string(), schema(n)))
    .collect()
}

#[test]
fn every_field_of_the_report_schema_is_one_the_engine_writes() {
    let schemas = all_schemas();
    let report = &schemas["report.schema.json"];
    let mut declared = BTreeMap::new();
    object_schemas(report, report, &schemas, "", &mut declared);
    let mut written = BTreeMap::new();
    let reports = reports();
    for (_, r) in reports {
        object_fields(&to_value!(r), "", &mut written);
    }
    // A diagnostic carries `file`, `line`, `column`, `help` and `path` only when the problem has
    // them; one with every field stands in for those the corpus does not reach, at each place a
    // diagnostic is written.
    let located = rubrica::Diagnostic::error(Code::ScriptRuntime, "m")
        .with_help("h")
        .in_file("rubric.rhai")
        .at_line_col(1, 1)
        .at_path("/p");
    for at in [
        "/warnings/*",
        "/practices/*(failure)/errors/*",
        "/practices/*(success)/result/warnings/*",
    ] {
        if written.contains_key(at) {
            object_fields(&to_value!(&located), at, &mut written);
        }
    }
    let mut problems = Vec::new();
    for (path, fields) in &declared {
        match written.get(path) {
            None => problems.push(format!("`{path}`: no report holds this object")),
            Some(seen) => {
                for f in fields.difference(seen) {
                    problems.push(format!("`{path}/{f}`: in the schema, never written"));
                }
                for f in seen.difference(fields) {
                    problems.push(format!("`{path}/{f}`: written, not in the schema"));
                }
            }
        }
    }
    for path in written.keys() {
        if !declared.contains_key(path) {
            problems.push(format!("`{path}`: written, the schema has no object here"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_result_has_the_fields_of_its_schema() {
    let schemas = all_schemas();
    let result = &schemas["result.schema.json"];
    let mut declared = BTreeMap::new();
    object_schemas(result, result, &schemas, "", &mut declared);
    let top: BTreeSet<String> = declared[""].clone();
    let mut seen = BTreeSet::new();
    for (_, r) in reports() {
        for e in &r.practices {
            if let rubrica::PracticeEntry::Success { result } = e {
                let v: &RubricResult = result;
                if let Value::Object(m) = to_value!(v) {
                    seen.extend(m.keys().cloned());
                }
            }
        }
    }
    assert_eq!(top, seen);
}

#[test]
fn the_schemas_list_every_diagnostic_code() {
    let result = schema("result.schema.json");
    let listed: Vec<&str> = result["$defs"]["code"]["enum"]
        .as_array()
        .expect("an enum of codes")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let engine: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(
        listed, engine,
        "docs/result.schema.json `$defs/code` must list rubrica::Code::ALL in order"
    );
}

// ---------------------------------------------------------------------------------------------
// The rubric schema and the metadata parser

/// The fields a parser accepts, as serde names them when it refuses an unknown one.
fn accepted(parse: impl Fn(&str) -> Result<(), serde_json::Error>) -> BTreeSet<String> {
    let msg = parse(r#"{"not-a-field": 0}"#)
        .expect_err("refused")
        .to_string();
    names_in(&msg)
}

/// The values of an enum the parser accepts, as serde names them when it refuses another.
macro_rules! variants {
    ($t:ty) => {
        names_in(
            &serde_json::from_str::<$t>("\"not-a-value\"")
                .err()
                .expect("refused")
                .to_string(),
        )
    };
}

fn names_in(msg: &str) -> BTreeSet<String> {
    let list = msg
        .split("expected one of ")
        .nth(1)
        .or_else(|| msg.split("expected ").nth(1))
        .unwrap_or_else(|| panic!("no list in `{msg}`"));
    let list = list.split(" at line ").next().unwrap_or_default();
    list.split(", ")
        .flat_map(|f| f.split(" or "))
        .map(|f| f.trim_matches('`').to_string())
        .collect()
}

fn keys(v: &Value) -> BTreeSet<String> {
    v["properties"]
        .as_object()
        .expect("properties")
        .keys()
        .cloned()
        .collect()
}

fn values(v: &Value) -> BTreeSet<String> {
    v["enum"]
        .as_array()
        .expect("an enum")
        .iter()
        .filter_map(|x| x.as_str().map(str::to_string))
        .collect()
}

#[test]
fn the_rubric_schema_has_the_fields_and_values_the_parser_accepts() {
    let s = schema("rubric.schema.json");
    let p = &s["properties"];
    let indicator = &p["indicators"]["items"];
    let item = &p["items"]["items"];
    let parse = |f: fn(&str) -> Result<(), serde_json::Error>| accepted(f);
    for (at, node, fields) in [
        (
            "top level",
            &s,
            parse(|t| serde_json::from_str::<rubrica::RubricMeta>(t).map(|_| ())),
        ),
        (
            "scale",
            &p["scale"],
            parse(|t| serde_json::from_str::<rubrica::Scale>(t).map(|_| ())),
        ),
        (
            "scale.levels[]",
            &p["scale"]["properties"]["levels"]["items"],
            parse(|t| serde_json::from_str::<rubrica::Level>(t).map(|_| ())),
        ),
        (
            "indicators[]",
            indicator,
            parse(|t| serde_json::from_str::<rubrica::Indicator>(t).map(|_| ())),
        ),
        (
            "items[]",
            item,
            parse(|t| serde_json::from_str::<rubrica::ItemDef>(t).map(|_| ())),
        ),
        (
            "items[].options[]",
            &item["properties"]["options"]["items"],
            parse(|t| serde_json::from_str::<rubrica::Choice>(t).map(|_| ())),
        ),
    ] {
        assert_eq!(
            keys(node),
            fields,
            "docs/rubric.schema.json: the fields of {at}"
        );
        assert_eq!(
            node["additionalProperties"],
            Value::Bool(false),
            "docs/rubric.schema.json: {at} refuses other fields, like the parser"
        );
    }
    let ip = &indicator["properties"];
    assert_eq!(values(&ip["kind"]), variants!(rubrica::IndicatorKind));
    assert_eq!(values(&ip["applies_when"]), variants!(rubrica::AppliesWhen));
    assert_eq!(
        values(&item["properties"]["type"]),
        variants!(rubrica::ItemType)
    );
    assert_eq!(
        values(&item["properties"]["method"]),
        variants!(rubrica::Method)
    );
    assert_eq!(s["properties"]["format"]["const"], rubrica::RUBRIC_FORMAT);
}
