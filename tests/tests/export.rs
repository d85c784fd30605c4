//! Exports (`rubrica export`, `Workspace::export`): the same bytes from the CLI and the JSON
//! API, fields that agree with the report, stable ids, option errors, and the LTI and CASE
//! outputs against their schemas. The tools nobody here wrote (xAPI validator, an LRS, Python's
//! csv, Python jsonschema) check the same outputs in `cargo xtask test --only exports`.

use rubrica::{
    export_report, Engine, ExportFormat, ExportOptions, Observation, PracticeEntry, RubricMeta,
    Workspace, CSV_COLUMNS,
};
use rubrica_tests::{root, run_cli, shipped_rubrics};
use serde_json::Value;

const EXAMPLES: [&str; 3] = [
    "examples/center-infants.json",
    "examples/center-toddlers-mixed.json",
    "examples/family-child-care.json",
];

fn workspace() -> Workspace {
    let mut w = Workspace::default();
    for dir in rubrica::rubric_dirs(&root().join("rubrics")).expect("rubric folders") {
        let meta = std::fs::read_to_string(dir.join("rubric.json")).expect("rubric.json");
        let script = std::fs::read_to_string(dir.join("rubric.rhai")).expect("rubric.rhai");
        assert!(
            w.load_rubric(&meta, &script).is_success(),
            "{}",
            dir.display()
        );
    }
    w
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).expect("example")
}

fn exported(w: &Workspace, record: &str, format: &str, options: &str) -> String {
    match serde_json::to_value(w.export(record, format, options)).expect("answer") {
        Value::Object(m) if m["type"] == "success" => m["text"].as_str().expect("text").to_string(),
        other => panic!("{format}: {other:#}"),
    }
}

fn report_of(w: &Workspace, record: &str) -> Value {
    serde_json::from_str(&w.report_json(record)).expect("report")
}

#[test]
fn cli_and_api_write_the_same_bytes() {
    let w = workspace();
    for example in EXAMPLES {
        let record = read(example);
        for (format, args) in [
            ("xapi", vec![]),
            ("lti-ags", vec![]),
            ("csv", vec!["--bom"]),
        ] {
            let mut cli = vec!["export", "--format", format, example];
            cli.extend(&args);
            let out = run_cli(&cli);
            assert_eq!(
                out.status.code(),
                Some(0),
                "{example} {format}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let options = if args.is_empty() {
                ""
            } else {
                r#"{"bom": true}"#
            };
            let api = exported(&w, &record, format, options);
            assert_eq!(
                String::from_utf8(out.stdout).expect("UTF-8"),
                api,
                "{example} {format}"
            );
            // Deterministic: a second export is the same.
            assert_eq!(exported(&w, &record, format, options), api);
        }
    }
    let out = run_cli(&["export", "--format", "case"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).expect("UTF-8"),
        exported(&w, "", "case", "")
    );
}

#[test]
fn xapi_statements_agree_with_the_report() {
    let w = workspace();
    let metas: Vec<RubricMeta> = w.rubrics().into_iter().map(|r| r.meta).collect();
    let mut all_ids = std::collections::BTreeSet::new();
    for example in EXAMPLES {
        let record = read(example);
        let observation = Observation::parse(&record).expect("valid").observation;
        let report = report_of(&w, &record);
        let statements: Value =
            serde_json::from_str(&exported(&w, &record, "xapi", "")).expect("JSON");
        let statements = statements.as_array().expect("array");
        let scored: Vec<&Value> = report["practices"]
            .as_array()
            .expect("practices")
            .iter()
            .filter(|p| p["type"] == "success" && !p["result"]["score"].is_null())
            .map(|p| &p["result"])
            .collect();
        assert!(!scored.is_empty(), "{example}: nothing scored");
        assert_eq!(statements.len(), scored.len(), "{example}");
        for (s, result) in statements.iter().zip(&scored) {
            let id = s["id"].as_str().expect("id");
            assert_eq!(id.len(), 36);
            assert_eq!(id.as_bytes()[14], b'5', "a v5 UUID: {id}");
            assert!(all_ids.insert(id.to_string()), "statement ids repeat: {id}");
            let meta = metas
                .iter()
                .find(|m| m.id == result["rubric"]["id"])
                .expect("meta");
            let score = &s["result"]["score"];
            assert_eq!(score["raw"], result["score"]);
            assert_eq!(score["min"], meta.scale.min());
            assert_eq!(score["max"], meta.scale.max());
            let raw = score["raw"].as_f64().expect("raw");
            let (min, max) = (meta.scale.min() as f64, meta.scale.max() as f64);
            let scaled = score["scaled"].as_f64().expect("scaled");
            assert!((0.0..=1.0).contains(&scaled));
            assert!(
                (scaled - (raw - min) / (max - min)).abs() <= 0.00005,
                "{score}"
            );
            assert_eq!(s["verb"]["id"], "http://adlnet.gov/expapi/verbs/scored");
            // The actor: the caregivers' pseudonymous ids, nothing else.
            let names: Vec<&str> = match s["actor"]["objectType"].as_str() {
                Some("Agent") => vec![s["actor"]["account"]["name"].as_str().expect("name")],
                Some("Group") => s["actor"]["member"]
                    .as_array()
                    .expect("members")
                    .iter()
                    .map(|m| m["account"]["name"].as_str().expect("name"))
                    .collect(),
                other => panic!("actor {other:?}"),
            };
            let ids: Vec<&str> = observation
                .caregivers
                .iter()
                .map(|c| c.id.as_str())
                .collect();
            assert_eq!(names, ids);
            assert!(!s["actor"].to_string().contains("mbox"));
            assert!(s["timestamp"]
                .as_str()
                .expect("timestamp")
                .starts_with(&format!("{}T", observation.observed_on)));
            let indicators = &s["result"]["extensions"]
                ["https://github.com/rubrica/rubrica/xapi/extensions/indicators"];
            assert_eq!(indicators, &result["indicators"]);
            assert_eq!(
                s["context"]["extensions"]
                    ["https://github.com/rubrica/rubrica/xapi/extensions/engine"]["version"],
                rubrica::ENGINE_VERSION
            );
            assert_eq!(
                s["object"]["id"],
                format!(
                    "https://github.com/rubrica/rubrica/xapi/rubrics/{}/{}",
                    meta.id, meta.version
                )
            );
        }
    }
}

#[test]
fn statement_ids_are_stable_and_name_what_they_say() {
    let w = workspace();
    let record = read("examples/center-infants.json");
    let ids = |record: &str, options: &str| -> Vec<String> {
        let v: Value = serde_json::from_str(&exported(&w, record, "xapi", options)).expect("JSON");
        v.as_array()
            .expect("array")
            .iter()
            .map(|s| s["id"].as_str().expect("id").to_string())
            .collect()
    };
    let first = ids(&record, "");
    // Pinned (primary-caregiving 1.1.2): ids must never change between releases for the same
    // rubric version, or an LRS would store a second copy; a new rubric version is a new id.
    assert_eq!(first[0], "d94c57a5-ccca-5115-9ca6-b55584ed2c3b");
    // A note the coach adds does not change which statements these are...
    let mut value: Value = serde_json::from_str(&record).expect("JSON");
    value["notes"]
        .as_array_mut()
        .expect("notes")
        .push(Value::from("a late note"));
    assert_eq!(ids(&value.to_string(), ""), first);
    // ...another record, another caregiver or another account system does.
    let mut other = value.clone();
    other["id"] = Value::from("obs-other");
    let renamed = ids(&other.to_string(), "");
    assert!(renamed.iter().all(|id| !first.contains(id)));
    let mut other = value.clone();
    other["caregivers"][0]["id"] = Value::from("cg-z");
    for child in other["children"].as_array_mut().expect("children") {
        if child["primary_caregiver"] == "cg-a" {
            child["primary_caregiver"] = Value::from("cg-z");
        }
    }
    assert!(ids(&other.to_string(), "")
        .iter()
        .all(|id| !first.contains(id)));
    let home = r#"{"account_home_page": "https://lms.example.org"}"#;
    assert!(ids(&record, home).iter().all(|id| !first.contains(id)));
}

#[test]
fn options_are_checked_with_clear_errors() {
    let w = workspace();
    let record = read("examples/center-infants.json");
    let answer = serde_json::to_value(w.export(
        &record,
        "xapi",
        r#"{"activity_base": "lms.example.org/xapi", "bom": "yes"}"#,
    ))
    .expect("answer");
    assert_eq!(answer["type"], "failure");
    let paths: Vec<&str> = answer["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["path"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(paths, ["/bom", "/activity_base"], "{answer:#}");
    let answer = serde_json::to_value(w.export(&record, "pdf", "")).expect("answer");
    assert_eq!(answer["type"], "failure");

    let out = run_cli(&[
        "export",
        "--format",
        "xapi",
        "--account-home-page",
        "not an iri",
        "examples/center-infants.json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--account-home-page"), "{err}");
    assert!(err.contains("absolute IRI"), "{err}");
    assert!(out.stdout.is_empty());
    let out = run_cli(&["export", "--format", "csv"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run_cli(&[
        "export",
        "--format",
        "case",
        "--last-change",
        "2026-13-01T00:00:00Z",
    ]);
    assert_eq!(out.status.code(), Some(2));
    // A record with problems is refused with its JSON paths, nothing on stdout.
    let out = run_cli(&[
        "export",
        "--format",
        "xapi",
        "tests/malformed/bad-setting.json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/setting"));
}

#[test]
fn the_activity_base_names_every_iri() {
    let w = workspace();
    let record = read("examples/family-child-care.json");
    let text = exported(
        &w,
        &record,
        "xapi",
        r#"{"activity_base": "https://lms.example.org/x/", "account_home_page": "https://lms.example.org"}"#,
    );
    assert!(!text.contains("github.com"), "{text}");
    let v: Value = serde_json::from_str(&text).expect("JSON");
    assert!(v[0]["object"]["id"]
        .as_str()
        .expect("id")
        .starts_with("https://lms.example.org/x/rubrics/"));
}

#[test]
fn lti_scores_follow_the_ags_rules() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/interop/lti/ags-export.schema.json"))
            .expect("schema"),
    )
    .expect("JSON");
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles");
    let w = workspace();
    for example in EXAMPLES {
        let record = read(example);
        let observation = Observation::parse(&record).expect("valid").observation;
        let v: Value = serde_json::from_str(&exported(&w, &record, "lti-ags", "")).expect("JSON");
        let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{example}: {errors:#?}");
        let items = v.as_array().expect("array");
        let report = report_of(&w, &record);
        let practices = report["practices"].as_array().expect("practices");
        assert_eq!(items.len(), practices.len() * observation.caregivers.len());
        for (item, p) in items.iter().zip(
            practices
                .iter()
                .flat_map(|p| std::iter::repeat_n(p, observation.caregivers.len())),
        ) {
            let score = &item["score"];
            let result = &p["result"];
            if result["score"].is_null() {
                assert!(score.get("scoreGiven").is_none(), "{item}");
            } else {
                assert_eq!(score["scoreGiven"], result["score"]);
                assert_eq!(score["scoreMaximum"], result["scale_max"]);
                assert!(score["scoreGiven"].as_f64() <= score["scoreMaximum"].as_f64());
            }
            assert!(score["timestamp"]
                .as_str()
                .expect("timestamp")
                .starts_with(&format!("{}T", observation.observed_on)));
        }
    }
    // The schema can fail: a score given without its maximum, or while grading is pending.
    let bad = serde_json::json!([
        {"score": {"userId": "u", "scoreGiven": 3, "timestamp": "2026-01-01T00:00:00.000Z",
                   "activityProgress": "Completed", "gradingProgress": "FullyGraded"}},
        {"score": {"userId": "u", "scoreGiven": 3, "scoreMaximum": 5, "timestamp": "2026-01-01T00:00:00Z",
                   "activityProgress": "Completed", "gradingProgress": "PendingManual"}}
    ]);
    assert!(validator.iter_errors(&bad).count() >= 3);
}

#[test]
fn case_export_matches_the_published_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(
            root().join("tests/interop/case/case_v1p1_cfpackage-jsonschema1.json"),
        )
        .expect("schema"),
    )
    .expect("JSON");
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles");
    let w = workspace();
    let text = exported(&w, "", "case", r#"{"last_change": "2026-03-01T00:00:00Z"}"#);
    let v: Value = serde_json::from_str(&text).expect("JSON");
    let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let rubrics = v["CFRubrics"].as_array().expect("rubrics");
    let metas: Vec<RubricMeta> = w.rubrics().into_iter().map(|r| r.meta).collect();
    assert_eq!(rubrics.len(), metas.len());
    for (r, m) in rubrics.iter().zip(&metas) {
        assert_eq!(r["title"], m.title.as_str());
        let criteria = r["CFRubricCriteria"].as_array().expect("criteria");
        assert_eq!(criteria.len(), m.indicators.len());
        for (c, ind) in criteria.iter().zip(&m.indicators) {
            assert_eq!(c["description"], ind.title.as_str());
            assert_eq!(c["rubricId"], r["identifier"]);
            let levels = c["CFRubricCriterionLevels"].as_array().expect("levels");
            assert_eq!(levels.len(), m.scale.levels.len());
            for (l, level) in levels.iter().zip(&m.scale.levels) {
                assert_eq!(l["score"], level.value);
                assert_eq!(l["quality"], level.label.as_str());
                assert_eq!(l["rubricCriterionId"], c["identifier"]);
                assert_eq!(l["lastChangeDateTime"], "2026-03-01T00:00:00Z");
            }
        }
    }
    // The schema can fail: an identifier that is not a UUID.
    let mut broken = v.clone();
    broken["CFRubrics"][0]["identifier"] = Value::from("rubric-1");
    assert!(!validator.is_valid(&broken));
}

#[test]
fn csv_rows_are_one_per_indicator_and_defuse_formulas() {
    let engine = Engine::default();
    let rubrics = shipped_rubrics(&engine);
    let metas: Vec<&RubricMeta> = rubrics.iter().map(|c| c.meta()).collect();
    let parsed = Observation::parse(&read("examples/center-infants.json")).expect("valid");
    let mut report = engine.report(&rubrics, &parsed);
    let indicators: usize = report
        .practices
        .iter()
        .map(|p| match p {
            PracticeEntry::Success { result } => result.indicators.len(),
            PracticeEntry::Failure { .. } => 1,
        })
        .sum();
    // A script's note that a spreadsheet would run, and a practice that could not be rated.
    if let Some(PracticeEntry::Success { result }) = report.practices.first_mut() {
        result.indicators[0].note = Some("=HYPERLINK(\"http://x\",\"y\")".into());
    }
    report.practices.push(PracticeEntry::Failure {
        rubric: "small-groups".into(),
        title: "Small groups".into(),
        errors: vec![rubrica::Diagnostic::error(
            rubrica::Code::ScriptRuntime,
            "-1 went wrong",
        )],
    });
    let options = ExportOptions::default();
    let csv = export_report(
        ExportFormat::Csv,
        &report,
        &parsed.observation,
        &metas,
        &options,
    )
    .expect("csv");
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(lines[0], CSV_COLUMNS.join(","));
    assert!(
        csv.contains("'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")"),
        "{csv}"
    );
    assert!(!csv.contains(",=HYPERLINK"));
    assert!(csv.contains(",failed,"));
    // Rows: header + indicators + the failure; quoted cells may hold line breaks, so count
    // record ids at the start of a line.
    let rows = csv
        .split("\r\n")
        .filter(|l| l.starts_with(&format!("{},", parsed.observation.id)))
        .count();
    assert_eq!(rows, indicators + 1);
    // LTI: the failure is a Failed score without a score given; xAPI: no statement for it.
    let lti = export_report(
        ExportFormat::LtiAgs,
        &report,
        &parsed.observation,
        &metas,
        &options,
    )
    .expect("lti");
    let lti: Value = serde_json::from_str(&lti).expect("JSON");
    let last = lti.as_array().and_then(|a| a.last()).expect("last");
    assert_eq!(last["score"]["gradingProgress"], "Failed");
    assert!(last["score"].get("scoreGiven").is_none());
    // A report exported with another record is refused.
    let other = Observation::parse(&read("examples/family-child-care.json")).expect("valid");
    assert!(export_report(
        ExportFormat::Xapi,
        &report,
        &other.observation,
        &metas,
        &options
    )
    .is_err());
}

#[test]
fn json_lines_give_one_line_per_record_and_one_csv_header() {
    let dir = std::env::temp_dir().join(format!("rubrica-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("visits.jsonl");
    let lines: Vec<String> = EXAMPLES
        .iter()
        .map(|e| {
            serde_json::from_str::<Value>(&read(e))
                .expect("JSON")
                .to_string()
        })
        .collect();
    std::fs::write(&path, lines.join("\n") + "\n").expect("write");
    let p = path.display().to_string();
    let out = run_cli(&["export", "--format", "xapi", &p]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let w = workspace();
    for (line, record) in text.lines().zip(EXAMPLES) {
        let from_file: Value =
            serde_json::from_str(&exported(&w, &read(record), "xapi", "")).expect("JSON");
        assert_eq!(
            serde_json::from_str::<Value>(line).expect("JSON"),
            from_file
        );
    }
    assert_eq!(text.lines().count(), 3);
    let out = run_cli(&["export", "--format", "csv", &p]);
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert_eq!(text.matches("record,observed_on,").count(), 1);
    let _ = std::fs::remove_dir_all(&dir);
}
