//! Mutation testing of rubric scripts (`rubrica test --mutate`): each level and threshold changed
//! by one, the cases run against each change, the changes no case notices listed at their place.

use rubrica::{
    coverage, equivalent_mutants, mutants, ready_cases, run_mutants, Code, Engine,
    EquivalentMutant, MutantStatus, MutationKind, MutationReport, RubricFolder, RubricSource,
    Severity,
};
use rubrica_tests::{cli, relative, root};
use serde_json::Value;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const PINNED: &str = "tests/fixtures/rubrics/mutants-pinned";
const UNPINNED: &str = "tests/fixtures/rubrics/mutants-unpinned";

fn folder(dir: &str) -> RubricFolder {
    RubricFolder::load(&root().join(dir)).unwrap()
}

fn mutate(folder: &RubricFolder, equivalent: &[EquivalentMutant]) -> MutationReport {
    let (cases, problems) = ready_cases(folder);
    assert!(problems.is_empty(), "{problems:?}");
    assert!(!cases.is_empty());
    run_mutants(&Engine::default(), &folder.source, &cases, equivalent).unwrap()
}

fn rubrica(args: &[&str]) -> Output {
    Command::new(cli())
        .args(args)
        .current_dir(root())
        .output()
        .unwrap()
}

/// (line, column, from, to) of the mutants with this status.
fn places(report: &MutationReport, pick: fn(&MutantStatus) -> bool) -> Vec<(u32, u32, &str, &str)> {
    report
        .mutants
        .iter()
        .filter(|m| pick(&m.status))
        .map(|m| {
            (
                m.mutant.line,
                m.mutant.column,
                m.mutant.from.as_str(),
                m.mutant.to.as_str(),
            )
        })
        .collect()
}

#[test]
fn mutants_lower_levels_and_flip_comparisons_in_code_only() {
    let f = folder(UNPINNED);
    let engine = Engine::default();
    let meta = engine.compile(&f.source).unwrap().meta().clone();
    let made: Vec<(u32, u32, MutationKind, String, String)> = mutants(&f.source.script, &meta)
        .into_iter()
        .map(|m| (m.line, m.column, m.kind, m.from, m.to))
        .collect();
    let m = |l, c, k, from: &str, to: &str| (l, c, k, from.to_string(), to.to_string());
    use MutationKind::*;
    // The header comment mentions `moments >= 6` and `r.minutes > 0`: not mutated. Level 1 is
    // the bottom of the scale, so it is raised instead of lowered.
    assert_eq!(
        made,
        [
            m(9, 16, Boundary, ">=", ">"),
            m(10, 16, Level, "3", "2"),
            m(11, 23, Boundary, ">", ">="),
            m(12, 16, Level, "2", "1"),
            m(14, 16, Level, "1", "2"),
            m(22, 29, Equality, "==", "!="),
            m(22, 38, Logic, "&&", "||"),
            m(22, 51, Boundary, ">", ">="),
            m(23, 16, Level, "3", "2"),
            m(25, 16, Level, "1", "2"),
        ]
    );
    // Each mutant changes exactly its own text.
    for mutant in mutants(&f.source.script, &meta) {
        let changed = mutant.apply(&f.source.script);
        let line = |s: &str, n: u32| {
            s.lines()
                .nth(n as usize - 1)
                .unwrap_or_default()
                .to_string()
        };
        for n in 1..=f.source.script.lines().count() as u32 {
            if n != mutant.line {
                assert_eq!(line(&changed, n), line(&f.source.script, n));
            }
        }
        let col = mutant.column as usize - 1;
        assert!(line(&changed, mutant.line)[col..].starts_with(&mutant.to));
    }
}

#[test]
fn an_unpinned_threshold_survives_and_is_named_by_line_and_column() {
    let f = folder(UNPINNED);
    let equivalent = equivalent_mutants(&f.dir).unwrap();
    assert_eq!(equivalent.len(), 1);
    let report = mutate(&f, &equivalent);
    assert_eq!(
        places(&report, |s| *s == MutantStatus::Survived),
        [(9, 16, ">=", ">")]
    );
    assert_eq!(
        places(&report, |s| matches!(s, MutantStatus::Equivalent { .. })),
        [(22, 51, ">", ">=")]
    );
    assert!(places(&report, |s| matches!(s, MutantStatus::Invalid { .. })).is_empty());
    assert_eq!(
        (
            report.all.total,
            report.all.killed,
            report.all.survived,
            report.all.equivalent
        ),
        (10, 8, 1, 1)
    );
    // Level and boundary mutants: 7 (the equivalent one is not counted), 6 killed.
    assert_eq!((report.core.killed, report.core.survived), (6, 1));
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let survivors = report.survivors();
    assert_eq!(survivors.len(), 1);
    assert_eq!(survivors[0].code, Code::MutantSurvived);
    assert_eq!(
        (survivors[0].location.line, survivors[0].location.column),
        (Some(9), Some(16))
    );
    // Without the declaration the equivalent mutant is an ordinary survivor.
    let bare = mutate(&f, &[]);
    assert_eq!(bare.all.survived, 2);
}

#[test]
fn cases_that_pin_every_threshold_kill_every_mutant() {
    let report = mutate(&folder(PINNED), &[]);
    assert_eq!(report.all.total, 10);
    assert_eq!(report.all.killed, 10, "{:#?}", report.mutants);
    assert_eq!(report.core.kill_percent(), 100.0);
}

#[test]
fn a_mutant_that_does_not_compile_is_invalid_not_killed() {
    let f = folder(PINNED);
    // `|| 1` is a closure without parameters; as `&& 1` it does not parse.
    let script = f.source.script.replace(
        "    let moments = item(r, \"moments\");",
        "    let moments = item(r, \"moments\");\n    let one = || 1;",
    );
    let source = RubricSource {
        script,
        ..f.source.clone()
    };
    let (cases, _) = ready_cases(&f);
    let report = run_mutants(&Engine::default(), &source, &cases, &[]).unwrap();
    let invalid: Vec<&MutantStatus> = report
        .mutants
        .iter()
        .filter(|m| m.mutant.from == "||")
        .map(|m| &m.status)
        .collect();
    assert!(
        matches!(invalid.as_slice(), [MutantStatus::Invalid { message }] if !message.is_empty()),
        "{invalid:?}"
    );
    assert_eq!(report.all.invalid, 1);
    assert_eq!(report.all.killed, 10);
}

#[test]
fn mutants_in_code_that_never_runs_are_equivalent_with_the_reason() {
    let f = folder(PINNED);
    let source = RubricSource {
        script: format!(
            "let checked = 1 < 2;\n{}\nfn unused(r) {{ if r.minutes >= 9 {{ rating(2, [\"/minutes\"]) }} else {{ rating(1, [\"/minutes\"]) }} }}\n",
            f.source.script
        ),
        ..f.source.clone()
    };
    let (cases, _) = ready_cases(&f);
    let report = run_mutants(&Engine::default(), &source, &cases, &[]).unwrap();
    let equivalent: Vec<(u32, &str, String)> = report
        .mutants
        .iter()
        .filter_map(|m| match &m.status {
            MutantStatus::Equivalent { reason } => {
                Some((m.mutant.line, m.mutant.from.as_str(), reason.clone()))
            }
            _ => None,
        })
        .collect();
    let unused = "`unused` is not called from any indicator function, so it never runs";
    let last = source.script.lines().count() as u32;
    assert_eq!(
        equivalent,
        [
            (
                1,
                "<",
                "top-level code does not run when indicators are rated".to_string()
            ),
            (last, ">=", unused.to_string()),
            (last, "2", unused.to_string()),
            (last, "1", unused.to_string()),
        ]
    );
    // The pinned rubric's own mutants are still all killed.
    assert_eq!((report.all.killed, report.all.survived), (10, 0));
}

#[test]
fn level_and_boundary_survivors_are_errors_and_the_others_warnings() {
    let f = folder(PINNED);
    let (cases, _) = ready_cases(&f);
    // Only the case on the top thresholds: most mutants survive, of every kind.
    let few: Vec<_> = cases
        .into_iter()
        .filter(|c| c.name == "six-moments-in-four-hours")
        .collect();
    assert_eq!(few.len(), 1);
    let report = run_mutants(&Engine::default(), &f.source, &few, &[]).unwrap();
    let survivors = report.survivors();
    let kinds: Vec<(MutationKind, Severity)> = report
        .mutants
        .iter()
        .filter(|m| m.status == MutantStatus::Survived)
        .map(|m| m.mutant.kind)
        .zip(survivors.iter().map(|d| d.severity))
        .collect();
    assert!(
        kinds.contains(&(MutationKind::Logic, Severity::Warning)),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&(MutationKind::Boundary, Severity::Error)),
        "{kinds:?}"
    );
    for (kind, severity) in kinds {
        let want = if kind.is_core() {
            Severity::Error
        } else {
            Severity::Warning
        };
        assert_eq!(severity, want, "{kind:?}");
    }
}

#[test]
fn mutation_needs_cases_that_pass_first() {
    let f = folder(PINNED);
    let source = RubricSource {
        script: f
            .source
            .script
            .replace("rating(3, [\"moments\"])", "rating(2, [\"moments\"])"),
        ..f.source.clone()
    };
    let (cases, _) = ready_cases(&f);
    let errors = run_mutants(&Engine::default(), &source, &cases, &[]).unwrap_err();
    assert!(
        errors.0.iter().any(|d| d.code == Code::CaseMismatch),
        "{errors}"
    );
}

#[test]
fn stale_and_caught_equivalent_declarations_are_warned() {
    let f = folder(UNPINNED);
    let declare = |line, column, from: &str, to: &str| EquivalentMutant {
        line,
        column,
        from: from.into(),
        to: to.into(),
        reason: "test".into(),
    };
    let report = mutate(&f, &[declare(10, 16, "3", "2"), declare(40, 1, ">", ">=")]);
    let warned: Vec<(Code, Option<u32>)> = report
        .warnings
        .iter()
        .map(|d| (d.code, d.location.line))
        .collect();
    assert_eq!(
        warned,
        [
            (Code::EquivalentMutants, Some(10)),
            (Code::EquivalentMutants, Some(40))
        ]
    );
    // A caught mutant stays killed whatever the declaration says.
    assert_eq!(report.all.killed, 8);
    let bad = EquivalentMutant::parse_list(r#"[{"line": 1, "colum": 2}]"#, "x.json").unwrap_err();
    assert_eq!(bad.0[0].code, Code::EquivalentMutants);
    assert_eq!(bad.0[0].location.line, Some(1));
}

#[test]
fn the_cli_lists_survivors_with_file_line_col_and_exits_1() {
    let out = rubrica(&["test", UNPINNED, "--mutate"]);
    let stdout = relative(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "{UNPINNED}/rubric.rhai:9:16: error R0213: `>=` → `>` survives"
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "{UNPINNED}/rubric.rhai:22:51: equivalent `>` → `>=`"
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains("level and boundary: 6 of 7 killed, 85.7%"),
        "{stdout}"
    );

    let out = rubrica(&["test", PINNED, "--mutate"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("10 of 10 mutants killed"), "{stdout}");
}

#[test]
fn the_cli_writes_json_lines_with_every_mutant() {
    let out = rubrica(&["test", UNPINNED, "--mutate", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0]["rubric"], "mutants-unpinned");
    let survived: Vec<&Value> = lines[0]["mutation"]["mutants"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["status"] == "survived")
        .collect();
    assert_eq!(survived.len(), 1);
    assert_eq!(
        (
            &survived[0]["line"],
            &survived[0]["column"],
            &survived[0]["kind"]
        ),
        (&Value::from(9), &Value::from(16), &Value::from("boundary"))
    );
    assert_eq!(lines[1]["summary"]["passed"], 3);
    assert_eq!(lines[1]["summary"]["mutation"]["core"]["survived"], 1);
    // Case lines are for people: on stderr, so stdout stays JSON.
    assert!(String::from_utf8_lossy(&out.stderr).contains("3 passed, 0 failed"));
}

/// The shipped rubrics: every call site and every level their scripts can return is reached by
/// a case, and the cases kill at least 95 % of the level and boundary mutants.
#[test]
fn shipped_rubrics_reach_every_call_and_kill_95_percent_of_mutants() {
    let engine = Engine::default();
    let folders = rubrica::load_rubric_dir(&root().join("rubrics")).unwrap();
    assert_eq!(folders.len(), 8);
    let mut findings = Vec::new();
    let (mut killed, mut killable, mut total) = (0, 0, 0);
    let start = Instant::now();
    for f in &folders {
        let compiled = engine.compile(&f.source).unwrap();
        let (cases, problems) = ready_cases(f);
        assert!(problems.is_empty(), "{problems:?}");
        let cov = coverage(&engine, &compiled, &cases);
        for gap in cov.gaps() {
            findings.push(gap.headline());
        }
        let report = run_mutants(
            &engine,
            &f.source,
            &cases,
            &equivalent_mutants(&f.dir).unwrap(),
        )
        .unwrap();
        findings.extend(report.survivors().iter().map(|d| d.headline()));
        killed += report.core.killed;
        killable += report.core.killed + report.core.survived;
        total += report.all.total;
    }
    let took = start.elapsed();
    // The same through the command line, as a trainer runs it.
    let out = rubrica(&[
        "test",
        "rubrics",
        "--coverage",
        "--mutate",
        "--format",
        "json",
    ]);
    let summary: Value = String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()
        .map(|l| serde_json::from_str(l).unwrap())
        .unwrap();
    let cli = &summary["summary"];
    assert_eq!(
        cli["coverage"]["sites"], cli["coverage"]["sites_reached"],
        "{cli}"
    );
    assert_eq!(
        cli["coverage"]["levels"], cli["coverage"]["levels_reached"],
        "{cli}"
    );
    assert!(
        cli["mutation"]["core_kill_percent"].as_f64().unwrap() >= 95.0,
        "{cli}"
    );
    eprintln!(
        "{total} mutants of the shipped rubrics; level and boundary: {killed} of {killable} killed; {:.2}s",
        took.as_secs_f64()
    );
    // A hang, not a speed goal: the run takes seconds.
    assert!(took < Duration::from_secs(600));
    let gaps: Vec<&String> = findings.iter().filter(|f| f.contains("R0214")).collect();
    assert!(
        gaps.is_empty(),
        "calls or levels no case reaches:\n{}",
        relative(&join(&gaps))
    );
    assert!(
        killed * 100 >= killable * 95,
        "{killed} of {killable} level and boundary mutants killed; survivors:\n{}",
        relative(&join(&findings.iter().collect::<Vec<_>>()))
    );
}

fn join(lines: &[&String]) -> String {
    lines
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}
