//! The `rubrica` command line, run as a user runs it.

use rubrica_tests::{cli, output_text as text, report_section, root, run_cli as rubrica};
use std::io::Write;
use std::process::{Command, Stdio};

#[test]
fn check_accepts_the_shipped_rubrics() {
    let out = rubrica(&["check", "rubrics"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout)
            .lines()
            .filter(|l| l.starts_with("ok "))
            .count(),
        8,
        "the six practices and the two rubrics of reflection records"
    );
}

#[test]
fn check_reports_a_syntax_error_with_file_line_col_and_exits_1() {
    let out = rubrica(&["check", "tests/fixtures/rubrics/syntax-error"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("tests/fixtures/rubrics/syntax-error/rubric.rhai:4:31: error R0202"),
        "{err}"
    );
    assert!(
        err.contains("4 |     if (r.children.len() <= 6"),
        "no excerpt: {err}"
    );
}

#[test]
fn test_runs_every_case_and_prints_the_summary() {
    let dir = std::env::temp_dir().join(format!("rubrica-results-{}", std::process::id()));
    let out = rubrica(&[
        "test",
        "rubrics",
        "--write-results",
        &dir.display().to_string(),
    ]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let summary = stdout.lines().last().unwrap_or_default().to_string();
    let passed: usize = summary
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(
        summary.ends_with(" passed, 0 failed") && passed >= 30,
        "{summary}"
    );
    let written = std::fs::read_dir(dir.join("small-groups"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert!(written >= 5, "results were not written");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn test_fails_with_exit_1_when_a_case_disagrees() {
    let dir = std::env::temp_dir().join(format!("rubrica-case-{}", std::process::id()));
    let rubric = dir.join("tiny");
    std::fs::create_dir_all(rubric.join("cases")).expect("temp dir");
    for f in ["rubric.json", "rubric.rhai"] {
        std::fs::copy(
            root().join("tests/fixtures/rubrics/good").join(f),
            rubric.join(f),
        )
        .expect("copy");
    }
    let record = root()
        .join("examples/center-infants.json")
        .display()
        .to_string();
    let case = serde_json::json!({"description": "expects the wrong level", "record": record, "expect": {"group-size": 1, "own-space": "not-enough-evidence"}});
    std::fs::write(rubric.join("cases/wrong.json"), case.to_string()).expect("write case");
    let out = rubrica(&["test", &dir.display().to_string()]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("`group-size`: expected 1, got 3"),
        "{stdout}"
    );
    assert!(
        stdout.trim_end().ends_with("0 passed, 1 failed"),
        "{stdout}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn score_prints_a_six_practice_report_opening_with_strengths() {
    for example in [
        "center-infants",
        "center-toddlers-mixed",
        "family-child-care",
    ] {
        let out = rubrica(&["score", &format!("examples/{example}.json")]);
        let stdout = text(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{example}: {}",
            text(&out.stderr)
        );
        let overview: Vec<&str> = report_section(&stdout, "Overview");
        assert_eq!(overview.len(), 6, "{example}: {stdout}");
        let strengths = stdout.find("\nStrengths\n").expect("strengths section");
        let growth = stdout
            .find("\nGrowth areas — next steps\n")
            .expect("growth section");
        let questions = stdout
            .find("\nReflective questions\n")
            .expect("questions section");
        assert!(
            strengths < growth && growth < questions,
            "{example}: sections out of order"
        );
    }
}

#[test]
fn score_json_is_the_compact_report() {
    let out = rubrica(&["score", "examples/center-infants.json", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().count(), 1);
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(v["format"], "rubrica.report/1");
    assert_eq!(v["practices"].as_array().map(Vec::len), Some(6));
}

#[test]
fn a_malformed_record_prints_every_problem_with_its_path_and_exits_2() {
    let out = rubrica(&["score", "tests/fixtures/records/center-infants_bad.json"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    for path in [
        "/setting",
        "/observed_on",
        "/children/0/age_months",
        "/children/1/primary_caregiver",
        "/headcounts/0/at",
    ] {
        assert!(
            err.contains(&format!("(at `{path}`)")),
            "missing {path}: {err}"
        );
    }
    assert!(
        err.contains("the record has 13 problem(s); nothing was scored"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn a_record_stream_scores_good_lines_and_reports_bad_ones() {
    let good = serde_json::to_string(
        &serde_json::from_str::<serde_json::Value>(
            &std::fs::read_to_string(root().join("examples/family-child-care.json"))
                .expect("example"),
        )
        .expect("json"),
    )
    .expect("compact");
    let input = format!("{good}\n{{\"format\": \"rubrica.observation/1\"}}\n\n{good}\n");
    let mut child = Command::new(cli())
        .args(["score", "-", "--format", "json"])
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    assert_eq!(
        out.status.code(),
        Some(2),
        "a rejected line makes the run exit 2"
    );
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is json"))
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["format"], "rubrica.report/1");
    assert_eq!(lines[1]["type"], "failure");
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(lines[2]["record"], lines[0]["record"]);
    assert!(text(&out.stderr).contains("2 records scored, 1 rejected"));
}

#[test]
fn validate_reports_warnings_and_errors() {
    let ok = rubrica(&["validate", "examples/center-toddlers-mixed.json"]);
    assert_eq!(ok.status.code(), Some(0));
    let bad = rubrica(&["validate", "tests/fixtures/records/truncated.json"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad.stderr).contains("tests/fixtures/records/truncated.json:6:"),
        "{}",
        text(&bad.stderr)
    );
}

#[test]
fn usage_errors_exit_2() {
    let out = rubrica(&["score"]);
    assert_eq!(out.status.code(), Some(2));
    let out = rubrica(&["score", "no/such/file.json"]);
    assert_eq!(out.status.code(), Some(2));
}
