//! Paths of the `rubrica` command line that users rely on and the other CLI tests do not reach:
//! `score` exiting 1 when a practice cannot be scored (text and JSON), the text report's
//! "could not be scored" and "not enough evidence" branches, and `rubrica bundle`.

use rubrica_tests::{output_text as text, report_section, root, run_cli as rubrica};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("read folder") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// A rubrics folder holding the shipped small-groups rubric and the fixture whose script reads
/// a field the record lacks (it fails when scoring, not when compiling).
struct Folder(PathBuf);

impl Folder {
    fn with_a_failing_rubric(name: &str) -> Folder {
        let dir =
            std::env::temp_dir().join(format!("rubrica-cli-paths-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        copy_dir(
            &root().join("rubrics/small-groups"),
            &dir.join("small-groups"),
        );
        copy_dir(
            &root().join("tests/fixtures/rubrics/runtime-error"),
            &dir.join("runtime-error"),
        );
        Folder(dir)
    }

    fn path(&self) -> String {
        self.0.display().to_string()
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn score_exits_1_and_reports_the_practice_it_could_not_score() {
    let folder = Folder::with_a_failing_rubric("text");
    let out = rubrica(&[
        "score",
        "examples/center-infants.json",
        "--rubrics",
        &folder.path(),
    ]);
    let stdout = text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "stdout: {stdout}\nstderr: {}",
        text(&out.stderr)
    );
    let overview: Vec<&str> = report_section(&stdout, "Overview");
    assert_eq!(overview.len(), 2, "{stdout}");
    let failed: Vec<&&str> = overview
        .iter()
        .filter(|l| l.contains("could not be scored"))
        .collect();
    assert_eq!(failed.len(), 1, "exactly one practice failed: {stdout}");
    assert!(failed[0].starts_with("  Tiny test rubric"), "{stdout}");
    let scored = overview
        .iter()
        .find(|l| l.starts_with("  Small groups"))
        .expect("small groups in the overview");
    assert!(
        scored.contains(" / 5"),
        "the other practice is still scored: {scored}"
    );
    // The failure is explained under Problems, with the script's file:line:col.
    let problems: Vec<&str> = report_section(&stdout, "Problems");
    assert_eq!(problems.len(), 1, "{stdout}");
    assert!(
        problems[0].contains("runtime-error/rubric.rhai:4:") && problems[0].contains("error R0309"),
        "{}",
        problems[0]
    );
}

#[test]
fn score_json_exits_1_with_the_failure_beside_the_success() {
    let folder = Folder::with_a_failing_rubric("json");
    let out = rubrica(&[
        "score",
        "examples/center-infants.json",
        "--rubrics",
        &folder.path(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).expect("one JSON report");
    let kinds: Vec<&str> = report["practices"]
        .as_array()
        .expect("practices")
        .iter()
        .map(|p| p["type"].as_str().unwrap_or("?"))
        .collect();
    assert_eq!(kinds, ["success", "failure"]);
    let errors = report["practices"][1]["errors"]
        .as_array()
        .expect("errors of the failed practice");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["code"], "R0309");
}

#[test]
fn the_text_report_lists_what_had_not_enough_evidence_and_never_a_level_for_it() {
    // The example with no items and no headcounts: every practice lacks evidence.
    let mut record: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("examples/center-infants.json")).expect("example"),
    )
    .expect("example is JSON");
    record["items"] = serde_json::json!({});
    record["headcounts"] = serde_json::json!([]);
    let file = std::env::temp_dir().join(format!(
        "rubrica-cli-paths-no-items-{}.json",
        std::process::id()
    ));
    std::fs::write(&file, record.to_string()).expect("write record");
    let file_arg = file.display().to_string();
    let out = rubrica(&["score", &file_arg]);
    let json = rubrica(&["score", &file_arg, "--format", "json"]);
    let _ = std::fs::remove_file(&file);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(json.status.code(), Some(0));

    let report: Value = serde_json::from_slice(&json.stdout).expect("JSON report");
    let practices = report["practices"].as_array().expect("practices");
    assert_eq!(practices.len(), 6);
    let mut lacking = Vec::new();
    for p in practices {
        assert_eq!(p["type"], "success", "{p}");
        let result = &p["result"];
        assert!(
            result["score"].is_null(),
            "no score without enough evidence: {result}"
        );
        for ind in result["indicators"].as_array().expect("indicators") {
            if ind["outcome"] == "not-enough-evidence" {
                assert!(ind["level"].is_null(), "{ind}");
                lacking.push(ind["id"].as_str().expect("id").to_string());
            }
        }
    }
    assert!(lacking.len() > 20, "{lacking:?}");

    let overview: Vec<&str> = report_section(&stdout, "Overview");
    assert_eq!(overview.len(), 6, "{stdout}");
    let without = overview
        .iter()
        .filter(|l| l.contains("not enough evidence yet"))
        .count();
    assert_eq!(without, 6, "{stdout}");
    let section: Vec<&str> = report_section(&stdout, "Not enough evidence yet (not a low score)");
    let entries: Vec<&&str> = section.iter().filter(|l| l.starts_with("  - ")).collect();
    assert_eq!(
        entries.len(),
        lacking.len(),
        "one entry per indicator without enough evidence: {stdout}"
    );
    let looks: usize = section
        .iter()
        .filter(|l| l.trim_start().starts_with("Look for: "))
        .count();
    assert_eq!(looks, entries.len(), "each says what to look for");
    for e in &entries {
        assert!(
            !e.contains(" Exemplary)")
                && !e.contains(" Developing)")
                && !e.contains(" Established)"),
            "a level shown for an indicator without evidence: {e}"
        );
    }
}

/// The files of a folder that end in `.json`, sorted by name.
fn json_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".json"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn bundle_writes_every_rubric_with_its_sources_and_cases() {
    let out = rubrica(&["bundle", "rubrics"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let bundle: Value = serde_json::from_slice(&out.stdout).expect("the bundle is JSON");
    let bundle = bundle.as_array().expect("a list of rubrics");
    let mut folders: Vec<String> = std::fs::read_dir(root().join("rubrics"))
        .expect("rubrics/")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("rubric.json").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    let mut ids: Vec<String> = bundle
        .iter()
        .map(|b| b["id"].as_str().expect("id").to_string())
        .collect();
    ids.sort();
    assert_eq!(ids, folders, "one entry per rubric folder");
    let mut total_cases = 0;
    for b in bundle {
        let id = b["id"].as_str().expect("id");
        let dir = root().join("rubrics").join(id);
        assert_eq!(
            b["meta"].as_str(),
            Some(
                std::fs::read_to_string(dir.join("rubric.json"))
                    .expect("meta")
                    .as_str()
            ),
            "{id}: meta is rubric.json as written"
        );
        assert_eq!(
            b["script"].as_str(),
            Some(
                std::fs::read_to_string(dir.join("rubric.rhai"))
                    .expect("script")
                    .as_str()
            ),
            "{id}: script is rubric.rhai as written"
        );
        let mut names: Vec<String> = b["cases"]
            .as_array()
            .expect("cases")
            .iter()
            .map(|c| format!("{}.json", c["name"].as_str().expect("case name")))
            .collect();
        names.sort();
        assert_eq!(
            names,
            json_names(&dir.join("cases")),
            "{id}: every case file"
        );
        // Each case's record is of the kind the rubric rates (`record`, observations by default).
        let meta: Value = serde_json::from_str(b["meta"].as_str().expect("meta")).expect("JSON");
        let kind = meta["record"].as_str().unwrap_or("rubrica.observation/1");
        for c in b["cases"].as_array().expect("cases") {
            let record = &c["case"]["record"];
            assert!(
                record.is_object() && record["format"] == kind,
                "{id}/{}: the case's record is inlined",
                c["name"]
            );
            assert!(c["case"]["expect"].is_object(), "{id}/{}", c["name"]);
        }
        total_cases += names.len();
    }
    assert!(total_cases >= 60, "{total_cases} cases");
    // A folder that does not exist is a usage error.
    let missing = rubrica(&["bundle", "no-such-folder"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("error R0201"));
}

#[test]
fn bundle_without_cases_is_the_full_bundle_less_its_cases() {
    let full = rubrica(&["bundle", "rubrics"]);
    let light = rubrica(&["bundle", "--no-cases", "rubrics"]);
    assert_eq!(light.status.code(), Some(0), "{}", text(&light.stderr));
    let full: Value = serde_json::from_slice(&full.stdout).expect("the bundle is JSON");
    let light: Value = serde_json::from_slice(&light.stdout).expect("the light bundle is JSON");
    let mut without: Vec<Value> = full.as_array().expect("a list").clone();
    for b in &mut without {
        let fields = b.as_object_mut().expect("an object");
        assert!(
            fields.remove("cases").is_some(),
            "the full bundle has cases"
        );
    }
    assert_eq!(light, Value::Array(without));
    assert!(light.to_string().len() * 5 < full.to_string().len());
}
