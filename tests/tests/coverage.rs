//! Rubric coverage (`rubrica test --coverage`): which `rating(…)` / `not_enough_evidence(…)`
//! calls the cases reach, and which levels they produce, per indicator.

use rubrica::{
    call_sites, coverage, ready_cases, Code, CoverageReport, Engine, Expected, ReadyCase,
    RubricFolder, RubricSource, SiteCall, Workspace,
};
use rubrica_tests::{cli, relative, root};
use serde_json::Value;
use std::process::Command;

const PINNED: &str = "tests/fixtures/rubrics/mutants-pinned";
const UNPINNED: &str = "tests/fixtures/rubrics/mutants-unpinned";

fn folder(dir: &str) -> RubricFolder {
    RubricFolder::load(&root().join(dir)).unwrap()
}

fn report_of(source: &RubricSource, cases: &[ReadyCase]) -> CoverageReport {
    let engine = Engine::default();
    let compiled = engine.compile(source).unwrap();
    coverage(&engine, &compiled, cases)
}

fn report(dir: &str) -> CoverageReport {
    let f = folder(dir);
    let (cases, problems) = ready_cases(&f);
    assert!(problems.is_empty(), "{problems:?}");
    report_of(&f.source, &cases)
}

/// (line, column, reached by) of every call of one indicator.
fn sites(report: &CoverageReport, indicator: &str) -> Vec<(u32, u32, Vec<String>)> {
    report
        .indicators
        .iter()
        .find(|i| i.id == indicator)
        .unwrap()
        .sites
        .iter()
        .map(|s| (s.site.line, s.site.column, s.reached_by.clone()))
        .collect()
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn static_call_sites_are_every_rating_and_not_enough_evidence_call() {
    let f = folder(UNPINNED);
    let found: Vec<_> = call_sites(&f.source.script)
        .into_iter()
        .map(|s| (s.line, s.column, s.call, s.level, s.function))
        .collect();
    let fun = |n: &str| Some(n.to_string());
    assert_eq!(
        found,
        [
            (6, 16, SiteCall::NotEnoughEvidence, None, fun("one_to_one")),
            (10, 9, SiteCall::Rating, Some(3), fun("one_to_one")),
            (12, 9, SiteCall::Rating, Some(2), fun("one_to_one")),
            (14, 9, SiteCall::Rating, Some(1), fun("one_to_one")),
            (20, 16, SiteCall::NotEnoughEvidence, None, fun("own_space")),
            (23, 9, SiteCall::Rating, Some(3), fun("own_space")),
            (25, 9, SiteCall::Rating, Some(1), fun("own_space")),
        ]
    );
}

#[test]
fn cases_that_reach_every_call_cover_every_level() {
    let r = report(PINNED);
    assert_eq!(
        sites(&r, "one-to-one"),
        [
            (5, 16, names(&["nothing-recorded"])),
            (9, 9, names(&["six-moments-in-four-hours"])),
            (11, 9, names(&["two-moments-no-space"])),
            (13, 9, names(&["one-moment-long-visit"])),
        ]
    );
    assert_eq!(
        sites(&r, "own-space")[2],
        (
            25,
            9,
            names(&["one-moment-long-visit", "two-moments-no-space"])
        )
    );
    assert!(r.counts.complete(), "{:?}", r.counts);
    assert_eq!((r.counts.sites, r.counts.levels), (7, 7));
    assert!(r.gaps().is_empty());
    let levels: Vec<Expected> = r.indicators[0]
        .levels
        .iter()
        .map(|l| l.level.clone())
        .collect();
    assert_eq!(
        levels,
        [
            Expected::Level(1),
            Expected::Level(2),
            Expected::Level(3),
            Expected::Missing("not-enough-evidence".into())
        ]
    );
}

#[test]
fn an_unreached_call_is_reported_at_its_line_and_column() {
    let r = report(UNPINNED);
    assert_eq!(sites(&r, "one-to-one")[0], (6, 16, Vec::new()));
    assert_eq!(
        (
            r.counts.sites,
            r.counts.sites_reached,
            r.counts.levels,
            r.counts.levels_reached
        ),
        (7, 6, 7, 6)
    );
    let gaps = r.gaps();
    assert_eq!(gaps.len(), 1, "{gaps:?}");
    assert_eq!(gaps[0].code, Code::NotCovered);
    assert_eq!(
        (gaps[0].location.line, gaps[0].location.column),
        (Some(6), Some(16))
    );
    let never = r.indicators[0]
        .levels
        .iter()
        .find(|l| l.produced_by.is_empty())
        .unwrap();
    assert_eq!(never.level, Expected::Missing("not-enough-evidence".into()));
}

#[test]
fn calls_in_shared_functions_count_for_the_indicators_that_reach_them() {
    let f = folder(PINNED);
    // Move the one-to-one bands into a shared function.
    let script = f.source.script.replace(
        "    if moments >= 6 {",
        "    band(moments)\n}\n\nfn band(moments) {\n    if moments >= 6 {",
    );
    let source = RubricSource {
        script,
        ..f.source.clone()
    };
    let (cases, _) = ready_cases(&f);
    let r = report_of(&source, &cases);
    assert_eq!(r.indicators[0].sites.len(), 1);
    let shared: Vec<(Option<i64>, Vec<String>)> = r
        .shared
        .iter()
        .map(|s| (s.site.level, s.reached_by.clone()))
        .collect();
    assert_eq!(
        shared,
        [
            (Some(3), names(&["six-moments-in-four-hours (one-to-one)"])),
            (Some(2), names(&["two-moments-no-space (one-to-one)"])),
            (Some(1), names(&["one-moment-long-visit (one-to-one)"])),
        ]
    );
    // The levels the shared calls gave still count as the indicator's levels.
    assert_eq!(r.indicators[0].levels.len(), 4);
    assert!(r.indicators[0].levels.iter().all(|l| l.in_script));
    assert!(r.counts.complete(), "{:?}", r.counts);
}

#[test]
fn the_workspace_reports_the_same_coverage_as_the_folder() {
    // What the browser gets: the bundle's cases, records inlined.
    let bundle = Command::new(cli())
        .args(["bundle", PINNED])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(bundle.status.success());
    let text = String::from_utf8(bundle.stdout).unwrap();
    let mut w = Workspace::default();
    let loaded = w.load_bundle(&text);
    assert!(loaded.is_success(), "{:?}", loaded.errors());
    let entries: Vec<Value> = serde_json::from_str(&text).unwrap();
    let cases = entries[0]["cases"].as_array().unwrap().clone();
    let from_api = w.case_coverage("mutants-pinned", &cases).success().unwrap();
    assert!(from_api.skipped.is_empty());
    let native = report(PINNED);
    assert_eq!(from_api.coverage.indicators, native.indicators);
    assert_eq!(from_api.coverage.counts, native.counts);
    // A case that cannot be read is listed, not silently dropped.
    let broken = vec![serde_json::json!({"name": "broken", "case": {"descripton": "x"}})];
    let answer = w
        .case_coverage("mutants-pinned", &broken)
        .success()
        .unwrap();
    assert_eq!(answer.skipped[0].code, Code::CaseFile);
    assert_eq!(answer.coverage.counts.sites_reached, 0);
    assert!(!w.case_coverage("nope", &cases).is_success());
}

#[test]
fn the_cli_prints_coverage_as_text_and_json() {
    let out = Command::new(cli())
        .args(["test", UNPINNED, "--coverage"])
        .current_dir(root())
        .output()
        .unwrap();
    let stdout = relative(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("coverage mutants-unpinned: 6 of 7 calls reached, 6 of 7 levels"),
        "{stdout}"
    );
    assert!(
        stdout.contains("one-to-one: 3 of 4 calls; gave 1, 2, 3; never: not-enough-evidence"),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "{UNPINNED}/rubric.rhai:6:16: warning R0214: no case reaches `not_enough_evidence(…)` of indicator `one-to-one`"
        )),
        "{stdout}"
    );

    let out = Command::new(cli())
        .args(["test", PINNED, "--coverage", "--format", "json"])
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["coverage"]["counts"]["sites_reached"], 7);
    let first = &lines[0]["coverage"]["indicators"][0]["sites"][0];
    assert_eq!(
        (&first["line"], &first["column"], &first["call"]),
        (
            &Value::from(5),
            &Value::from(16),
            &Value::from("not_enough_evidence")
        )
    );
    assert_eq!(lines[1]["summary"]["coverage"]["levels"], 7);
}
