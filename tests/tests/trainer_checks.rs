//! What a trainer sees from `check`, `test` and `score` when a rubric has a typical beginner
//! mistake, on a copy of the shipped `rubrics/` folder placed outside the repository.

use rubrica_tests::{output_text as text, root, run_cli as rubrica};
use std::path::{Path, PathBuf};

/// A fresh copy of `rubrics/` in a temporary folder of its own.
fn rubrics_copy(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rubrica-trainer-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&root().join("rubrics"), &dir.join("rubrics"));
    dir.join("rubrics")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}

/// Replaces the first `old` in a file with `new` (the test fails when `old` is not there).
fn edit(file: &Path, old: &str, new: &str) {
    let text = std::fs::read_to_string(file).expect("read");
    assert!(text.contains(old), "`{old}` is not in {}", file.display());
    std::fs::write(file, text.replacen(old, new, 1)).expect("write");
}

fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = std::process::Command::new(rubrica_tests::cli())
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the CLI runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_shipped_rubrics_pass_check_without_warnings() {
    let out = rubrica(&["check", "rubrics"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "", "the static checks found something");
}

#[test]
fn a_copy_of_the_rubrics_folder_passes_its_cases_anywhere() {
    let rubrics = rubrics_copy("anywhere");
    let parent = rubrics.parent().expect("parent").to_path_buf();
    let (code, stdout, _) = run(&parent, &["test", "rubrics"]);
    assert_eq!(code, Some(0), "{stdout}");
    assert!(stdout.trim_end().ends_with(" passed, 0 failed"), "{stdout}");
    let _ = std::fs::remove_dir_all(parent);
}

#[test]
fn check_finds_beginner_mistakes_at_their_line_with_a_suggestion() {
    let rubrics = rubrics_copy("check");
    let dir = rubrics.parent().expect("parent").to_path_buf();
    let script = rubrics.join("continuity-of-care/rubric.rhai");
    // An item id with a typo, a level off the scale, a call to a helper with a typo, a branch
    // without a rating, and a `reads` entry that names nothing.
    edit(
        &script,
        "recorded(r, \"family-involved\")",
        "recorded(r, \"family-involvd\")",
    );
    edit(
        &script,
        "\"gradual-visits\" => rating(5, evidence, note)",
        "\"gradual-visits\" => rating(6, evidence, note)",
    );
    edit(
        &script,
        "level_from_frequency(item(r, \"peer-group-stable\"))",
        "level_from_frequncy(item(r, \"peer-group-stable\"))",
    );
    edit(
        &rubrics.join("continuity-of-care/rubric.json"),
        "\"reads\": [\"caregiver-changes\"]",
        "\"reads\": [\"caregiver-change\"]",
    );
    let (code, stdout, stderr) = run(&dir, &["check", "rubrics/continuity-of-care"]);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    for want in [
        "error R0309: the script reads item `family-involvd`, which rubric `continuity-of-care` does not declare",
        "help: did you mean `family-involved`?",
        "error R0306: level `6` is outside the scale 1–5 of rubric `continuity-of-care`",
        "error R0310: `level_from_frequncy` with 1 argument is not a function of the script, a helper or a built-in",
        "help: did you mean `level_from_frequency`?",
        "rubrics/continuity-of-care/rubric.json: error R0201: indicator `few-caregiver-changes` reads `caregiver-change`, which is neither a declared item nor a record field (at `/indicators/3/reads/0`)",
    ] {
        assert!(stderr.contains(want), "missing `{want}` in:\n{stderr}");
    }
    // Each script problem carries its line, column and excerpt.
    let line_of = |needle: &str| {
        std::fs::read_to_string(&script)
            .expect("read")
            .lines()
            .position(|l| l.contains(needle))
            .map(|i| i + 1)
            .expect("line")
    };
    let level = line_of("rating(6, evidence, note)");
    assert!(
        stderr.contains(&format!("rubrics/continuity-of-care/rubric.rhai:{level}:")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{level} |")),
        "no excerpt: {stderr}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn check_finds_a_branch_that_ends_without_a_rating() {
    let rubrics = rubrics_copy("branch");
    let dir = rubrics.parent().expect("parent").to_path_buf();
    let script = rubrics.join("small-groups/rubric.rhai");
    edit(
        &script,
        "    } else {\n        rating(1, ev, note)\n    }\n",
        "    }\n",
    );
    let (code, _, stderr) = run(&dir, &["check", "rubrics/small-groups"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("error R0305: `group_size` (indicator `group-size`) can end without a rating: an `if` without `else` gives nothing when its condition is false"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_missing_comma_in_rubric_json_is_named_where_it_is_missing() {
    let rubrics = rubrics_copy("comma");
    let dir = rubrics.parent().expect("parent").to_path_buf();
    let meta = rubrics.join("small-groups/rubric.json");
    let text = std::fs::read_to_string(&meta).expect("read");
    let (line, col) = text
        .lines()
        .enumerate()
        .find_map(|(i, l)| {
            l.trim_start()
                .starts_with("\"id\"")
                .then(|| (i + 1, l.trim_end().len()))
        })
        .expect("an id line");
    edit(
        &meta,
        "\"id\": \"small-groups\",",
        "\"id\": \"small-groups\"",
    );
    let (code, _, stderr) = run(&dir, &["check", "rubrics/small-groups"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "rubrics/small-groups/rubric.json:{line}:{col}: error R0201: missing comma\n"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: add `,` after this value"),
        "{stderr}"
    );
    assert!(!stderr.contains("see rubrics/README.md"), "{stderr}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_broken_rubric_does_not_stop_the_others_from_scoring() {
    let rubrics = rubrics_copy("score");
    let dir = rubrics.parent().expect("parent").to_path_buf();
    edit(
        &rubrics.join("small-groups/rubric.json"),
        "\"id\": \"small-groups\",",
        "\"id\": \"small-groups\"",
    );
    let record = root()
        .join("examples/center-infants.json")
        .display()
        .to_string();
    let (code, stdout, stderr) = run(
        &dir,
        &["score", &record, "--rubrics", "rubrics", "--format", "json"],
    );
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "error: rubric `rubrics/small-groups` does not load; every report lists it as a practice that could not rate the record"
        ),
        "{stderr}"
    );
    let report: serde_json::Value = serde_json::from_str(stdout.trim()).expect("one report");
    let practices = report["practices"].as_array().expect("practices");
    let ids: Vec<&str> = practices
        .iter()
        .filter_map(|p| p["result"]["rubric"]["id"].as_str())
        .collect();
    assert_eq!(ids.len(), 5, "{ids:?}");
    assert!(!ids.contains(&"small-groups"), "{ids:?}");
    // The broken rubric is in the report as a failure entry, as the browser shows it.
    let failures: Vec<&serde_json::Value> = practices
        .iter()
        .filter(|p| p["type"] == "failure")
        .collect();
    assert_eq!(failures.len(), 1, "{practices:?}");
    assert_eq!(failures[0]["rubric"], "small-groups", "{:?}", failures[0]);
    assert_eq!(
        failures[0]["errors"][0]["code"], "R0201",
        "{:?}",
        failures[0]
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn test_prints_each_problem_once_with_excerpt_help_and_count() {
    let rubrics = rubrics_copy("test-output");
    let dir = rubrics.parent().expect("parent").to_path_buf();
    let script = rubrics.join("small-groups/rubric.rhai");
    edit(
        &script,
        "if rec.over <= 0 {\n        rating(5, ev, note)",
        "if rec.over <= 0 {\n        rating(6, ev, note)",
    );
    let (code, stdout, _) = run(&dir, &["test", "rubrics/small-groups"]);
    assert_eq!(code, Some(1), "{stdout}");
    let headline =
        "error R0306: `group_size` rated indicator `group-size` at `6`, outside the scale 1–5";
    assert_eq!(stdout.matches(headline).count(), 1, "{stdout}");
    let block: Vec<&str> = stdout
        .lines()
        .skip_while(|l| !l.contains(headline))
        .take(6)
        .collect();
    assert!(
        block
            .iter()
            .any(|l| l.contains("|         rating(6, ev, note)")),
        "no excerpt: {block:#?}"
    );
    assert!(
        block
            .iter()
            .any(|l| l.trim_start() == "help: return a level of the rubric's scale"),
        "{block:#?}"
    );
    assert!(
        block
            .iter()
            .any(|l| l.trim_start().starts_with("in ") && l.contains(" cases: ")),
        "{block:#?}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn case_files_report_typos_quotes_lines_score_and_coverage() {
    let rubrics = rubrics_copy("cases");
    let dir = rubrics.parent().expect("parent").to_path_buf();
    let case = rubrics.join("small-groups/cases/center-infants.json");
    edit(&case, "\"expect\": {", "\"set\": {\"/items/small-group/own-space\": {\"value\": \"no\", \"method\": \"observed\"}},\n  \"expect_score\": 9.99,\n  \"expect_coverage\": 50,\n  \"expect\": {");
    edit(&case, "\"group-size\": 5", "\"group-size\": \"5\"");
    edit(&case, "\"ratio-throughout\": 3", "\"ratio-throughout\": 4");
    let text = std::fs::read_to_string(&case).expect("read");
    let line_of = |needle: &str| {
        text.lines()
            .position(|l| l.contains(needle))
            .map(|i| i + 1)
            .expect("line")
    };
    let (code, stdout, _) = run(&dir, &["test", "rubrics/small-groups"]);
    assert_eq!(code, Some(1), "{stdout}");
    let file = "rubrics/small-groups/cases/center-infants.json";
    for want in [
        format!("{file}:{}:11: error R0210: `set` path `/items/small-group/own-space` names `small-group`, which is not there", line_of("\"set\"")),
        "help: did you mean `small-groups`?".to_string(),
        format!("{file}:{}:5: error R0210: expected value `\"5\"` for `group-size` is neither a level", line_of("\"group-size\"")),
        format!("{file}:{}:5: error R0211: `ratio-throughout`: expected 4, got 3", line_of("\"ratio-throughout\"")),
        format!("{file}:{}:3: error R0211: practice score: expected 9.99, got ", line_of("expect_score")),
        format!("{file}:{}:3: error R0211: coverage: expected 50%, got 100% (7 of 7 indicators rated)", line_of("expect_coverage")),
    ] {
        assert!(stdout.contains(&want), "missing `{want}` in:\n{stdout}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn cases_pass_when_score_and_coverage_match() {
    let rubrics = rubrics_copy("totals");
    let dir = rubrics.parent().expect("parent").to_path_buf();
    let case = rubrics.join("small-groups/cases/center-infants.json");
    // The first run says what the score and coverage are; the case then pins them.
    edit(
        &case,
        "\"expect\": {",
        "\"expect_score\": 0,\n  \"expect_coverage\": 0,\n  \"expect\": {",
    );
    let (_, stdout, _) = run(&dir, &["test", "rubrics/small-groups"]);
    let after = |prefix: &str| {
        stdout
            .split(prefix)
            .nth(1)
            .and_then(|rest| rest.split(|c: char| c.is_whitespace() || c == '%').next())
            .unwrap_or_else(|| panic!("`{prefix}` is not in {stdout}"))
            .to_string()
    };
    let (score, coverage) = (
        after("practice score: expected 0, got "),
        after("coverage: expected 0%, got "),
    );
    edit(
        &case,
        "\"expect_score\": 0,",
        &format!("\"expect_score\": {score},"),
    );
    edit(
        &case,
        "\"expect_coverage\": 0,",
        &format!("\"expect_coverage\": {coverage},"),
    );
    let (code, stdout, _) = run(&dir, &["test", "rubrics/small-groups"]);
    assert_eq!(code, Some(0), "{stdout}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_shared_fixtures_are_the_published_examples() {
    // Cases read `rubrics/fixtures/` so the rubrics folder stands alone; the examples the docs
    // show are the same records, byte for byte.
    for entry in std::fs::read_dir(root().join("rubrics/fixtures"))
        .expect("fixtures")
        .flatten()
    {
        let example = root().join("examples").join(entry.file_name());
        assert_eq!(
            std::fs::read(entry.path()).expect("fixture"),
            std::fs::read(&example).unwrap_or_default(),
            "{} differs from {}",
            entry.path().display(),
            example.display()
        );
    }
}
