//! Inter-rater agreement (`rubrica agree`, `Workspace::agree_json`): hand-worked tables, what
//! counts and what is listed apart, refusals, and the CLI and the workspace giving the same bytes.
//! The kappas are also checked against scikit-learn on generated tables (`cargo xtask test`).

use rubrica::{agreement, read_visit, Agreement, Diagnostics, RatedVisit, Workspace};
use rubrica_tests::{output_text as text, root, run_cli as rubrica};
use serde_json::{json, Value};
use std::path::PathBuf;

/// A report of one rubric `id` (version `version`, levels 1..=`levels`) whose indicators
/// `i0, i1, …` got these ratings (`None`: not enough evidence).
fn report(id: &str, version: &str, levels: i64, ratings: &[Option<i64>]) -> Value {
    let indicators: Vec<Value> = ratings
        .iter()
        .enumerate()
        .map(|(i, r)| match r {
            Some(l) => {
                json!({"id": format!("i{i}"), "title": format!("Indicator {i}"), "kind": "process",
                "outcome": "rated", "level": l, "label": format!("L{l}"),
                "evidence": [format!("/notes/{i}")], "note": format!("note {i}")})
            }
            None => {
                json!({"id": format!("i{i}"), "title": format!("Indicator {i}"), "kind": "process",
                "outcome": "not-enough-evidence", "level": null, "label": null, "evidence": [],
                "reason": "not recorded"})
            }
        })
        .collect();
    json!({
        "format": "rubrica.report/1", "engine": {"name": "rubrica", "version": "0"},
        "record": "obs-1", "setting": "center", "observed_on": "2026-03-14", "minutes": 60,
        "warnings": [],
        "practices": [{"type": "success", "result": {
            "format": "rubrica.result/1", "engine": {"name": "rubrica", "version": "0"},
            "rubric": {"id": id, "version": version, "practice": id, "title": format!("Rubric {id}")},
            "record": "obs-1", "status": "rated", "score": 3.0, "scale_max": levels,
            "coverage": {"rated": 1, "total": 1, "percent": 100, "not_applicable": 0},
            "indicators": indicators
        }}]
    })
}

fn visit(label: &str, v: &Value) -> RatedVisit {
    read_visit(label, &v.to_string(), &[], &|_: &rubrica::Parsed| {
        unreachable_report()
    })
    .unwrap_or_else(|e| panic!("{label}: {e:?}"))
}

fn unreachable_report() -> rubrica::Report {
    panic!("a report is never scored again")
}

fn rated(xs: &[i64]) -> Vec<Option<i64>> {
    xs.iter().map(|x| Some(*x)).collect()
}

fn agree(pairs: &[(Value, Value)]) -> Result<Agreement, Diagnostics> {
    let visits: Vec<(RatedVisit, RatedVisit)> = pairs
        .iter()
        .enumerate()
        .map(|(i, (a, b))| (visit(&format!("a{i}"), a), visit(&format!("b{i}"), b)))
        .collect();
    agreement(&visits)
}

#[test]
fn a_two_by_two_table_worked_by_hand() {
    // Two levels, ten indicators:
    //                 coach b: 1   coach b: 2   row total
    //   coach a: 1         4            1            5
    //   coach a: 2         2            3            5
    //   column total       6            4           10
    // p_o = (4 + 3) / 10 = 0.7
    // p_e = (5·6 + 5·4) / 10² = 50 / 100 = 0.5
    // κ = (p_o − p_e) / (1 − p_e) = 0.2 / 0.5 = 0.4
    // With two levels the quadratic weights are 0 (same) and 1 (apart): κ_w = κ = 0.4.
    let a = [1, 1, 1, 1, 1, 2, 2, 2, 2, 2];
    let b = [1, 1, 1, 1, 2, 1, 1, 2, 2, 2];
    let got = agree(&[(
        report("r", "1.0.0", 2, &rated(&a)),
        report("r", "1.0.0", 2, &rated(&b)),
    )])
    .unwrap();
    let p = &got.practices[0];
    assert_eq!(p.scale, [1, 2]);
    assert_eq!(p.stats.compared, 10);
    assert_eq!((p.stats.exact.count, p.stats.exact.of), (7, 10));
    assert_eq!(p.stats.kappa.value, Some(0.4));
    assert_eq!(p.stats.quadratic_kappa.value, Some(0.4));
    assert_eq!(got.differences.len(), 3);
    let json = serde_json::to_value(&got).unwrap();
    assert_eq!(json["practices"][0]["exact"]["percent"], json!(70.0));
}

#[test]
fn quadratic_weights_count_near_misses_partly() {
    // Scale 1–3, four indicators: a = 1 2 3 3, b = 1 3 3 2.
    // Rows (a): 1,1,2; columns (b): 1,1,2; n = 4.
    // Unweighted: p_o = 2/4; p_e = (1·1 + 1·1 + 2·2)/16 = 6/16; κ = (8/16 − 6/16)/(10/16) = 0.2.
    // Quadratic: observed Σ(a−b)² = 0 + 1 + 0 + 1 = 2.
    //   expected Σ_ij (i−j)² r_i c_j = (i,j) (1,2):1·1·1 + (1,3):4·1·2 + (2,1):1·1·1 + (2,3):1·1·2
    //   + (3,1):4·2·1 + (3,2):1·2·1 = 1 + 8 + 1 + 2 + 8 + 2 = 22.
    //   κ_w = 1 − n·2/22 = 1 − 8/22 = 14/22.
    let got = agree(&[(
        report("r", "1.0.0", 3, &rated(&[1, 2, 3, 3])),
        report("r", "1.0.0", 3, &rated(&[1, 3, 3, 2])),
    )])
    .unwrap();
    let s = &got.practices[0].stats;
    assert_eq!(s.kappa.value, Some(0.2));
    assert_eq!(s.quadratic_kappa.value, Some(14.0 / 22.0));
    assert_eq!((s.within_one.count, s.within_one.of), (4, 4));
}

#[test]
fn the_full_scale_sets_the_categories_even_when_levels_are_unused() {
    // The same ratings on a five-level scale: levels 4 and 5 are never used, but they are
    // categories. Unweighted kappa does not change (empty categories add nothing to p_e);
    // quadratic weights are the same distances, so it does not change either here.
    let three = agree(&[(
        report("r", "1.0.0", 3, &rated(&[1, 2, 3, 3])),
        report("r", "1.0.0", 3, &rated(&[1, 3, 3, 2])),
    )])
    .unwrap();
    let five = agree(&[(
        report("r", "1.0.0", 5, &rated(&[1, 2, 3, 3])),
        report("r", "1.0.0", 5, &rated(&[1, 3, 3, 2])),
    )])
    .unwrap();
    assert_eq!(five.practices[0].scale, [1, 2, 3, 4, 5]);
    assert_eq!(
        three.practices[0].stats.kappa,
        five.practices[0].stats.kappa
    );
}

#[test]
fn one_shared_level_gives_null_with_a_reason_never_nan() {
    let got = agree(&[(
        report("r", "1.0.0", 5, &rated(&[3, 3, 3])),
        report("r", "1.0.0", 5, &rated(&[3, 3, 3])),
    )])
    .unwrap();
    let s = &got.practices[0].stats;
    assert_eq!(s.kappa.value, None);
    assert!(s.kappa.reason.as_deref().unwrap().contains("chance"));
    assert_eq!(s.quadratic_kappa.value, None);
    assert_eq!(s.exact.count, 3);
    let json = serde_json::to_string(&got).unwrap();
    assert!(!json.contains("NaN") && json.contains("\"kappa\":{\"value\":null,\"reason\":"));
    // Each coach always one level, but not the same one: defined, zero.
    let apart = agree(&[(
        report("r", "1.0.0", 5, &rated(&[1, 1])),
        report("r", "1.0.0", 5, &rated(&[2, 2])),
    )])
    .unwrap();
    assert_eq!(apart.practices[0].stats.kappa.value, Some(0.0));
}

#[test]
fn not_rated_indicators_are_counted_and_listed_never_compared() {
    let got = agree(&[(
        report("r", "1.0.0", 5, &[Some(4), None, None, Some(2)]),
        report("r", "1.0.0", 5, &[Some(4), Some(3), None, Some(3)]),
    )])
    .unwrap();
    let s = &got.practices[0].stats;
    assert_eq!((s.compared, s.one_rated, s.neither_rated), (2, 1, 1));
    assert_eq!((s.exact.count, s.exact.of), (1, 2));
    assert_eq!(got.not_rated.len(), 2);
    assert_eq!(got.not_rated[0].indicator, "i1");
    assert_eq!(got.not_rated[0].b.level, Some(3));
    assert_eq!(got.not_rated[0].a.reason.as_deref(), Some("not recorded"));
    let d = &got.differences[0];
    assert_eq!((d.indicator.as_str(), d.apart), ("i3", Some(1)));
    assert_eq!((d.a.level, d.b.level), (Some(2), Some(3)));
    assert_eq!(d.a.evidence, ["/notes/3"]);
    assert_eq!(d.b.note.as_deref(), Some("note 3"));
    // Nothing rated by both: no kappa, and it says why.
    let none = agree(&[(
        report("r", "1.0.0", 5, &[Some(4), None]),
        report("r", "1.0.0", 5, &[None, Some(2)]),
    )])
    .unwrap();
    assert_eq!(none.overall.compared, 0);
    assert!(none
        .overall
        .kappa
        .reason
        .as_deref()
        .unwrap()
        .contains("nothing to compare"));
    assert_eq!(none.overall.exact.percent, None);
}

#[test]
fn pairs_pool_per_indicator_and_overall() {
    // Indicator i0 over three visits: (1,1) (2,2) (3,2); i1: (5,5) (4,4) (4,4).
    let pairs = [
        (
            report("r", "1.0.0", 5, &rated(&[1, 5])),
            report("r", "1.0.0", 5, &rated(&[1, 5])),
        ),
        (
            report("r", "1.0.0", 5, &rated(&[2, 4])),
            report("r", "1.0.0", 5, &rated(&[2, 4])),
        ),
        (
            report("r", "1.0.0", 5, &rated(&[3, 4])),
            report("r", "1.0.0", 5, &rated(&[2, 4])),
        ),
    ];
    let got = agree(&pairs).unwrap();
    let i0 = &got.practices[0].indicators[0].stats;
    assert_eq!((i0.compared, i0.exact.count), (3, 2));
    // i0: rows 1,1,1 (levels 1,2,3); columns 1,2,0; p_o = 2/3; p_e = (1 + 2 + 0)/9 = 1/3;
    // κ = (2/3 − 1/3)/(2/3) = 0.5.
    assert_eq!(i0.kappa.value, Some(0.5));
    let i1 = &got.practices[0].indicators[1].stats;
    assert_eq!(i1.exact.count, 3);
    assert_eq!(got.overall.compared, 6);
    assert_eq!(got.overall.exact.count, 5);
    assert_eq!(got.differences.len(), 1);
    assert_eq!(got.differences[0].pair, 2);
}

#[test]
fn swapping_the_coaches_keeps_every_number() {
    let a = report("r", "1.0.0", 5, &[Some(1), Some(2), Some(5), None, Some(3)]);
    let b = report(
        "r",
        "1.0.0",
        5,
        &[Some(2), Some(2), Some(3), Some(1), Some(3)],
    );
    let ab = agree(&[(a.clone(), b.clone())]).unwrap();
    let ba = agree(&[(b, a)]).unwrap();
    assert_eq!(ab.overall, ba.overall);
    assert_eq!(ab.differences[0].a, ba.differences[0].b);
}

#[test]
fn refuses_other_versions_and_other_indicators_saying_which() {
    let err = agree(&[(
        report("small", "1.0.0", 5, &rated(&[1, 2])),
        report("small", "1.1.0", 5, &rated(&[1, 2])),
    )])
    .unwrap_err();
    let m = &err.0[0].message;
    assert!(
        m.contains("`small`") && m.contains("1.0.0 in `a0`") && m.contains("1.1.0 in `b0`"),
        "{m}"
    );
    let err = agree(&[(
        report("small", "1.0.0", 5, &rated(&[1, 2, 3])),
        report("small", "1.0.0", 5, &rated(&[1, 2])),
    )])
    .unwrap_err();
    assert!(err.0[0].message.contains("`i2` only here"), "{:?}", err.0);
    let err = agree(&[(
        report("small", "1.0.0", 5, &rated(&[1, 2])),
        report("small", "1.0.0", 4, &rated(&[1, 2])),
    )])
    .unwrap_err();
    assert!(err.0[0].message.contains("another scale"), "{:?}", err.0);
    // Across pairs: one version per rubric.
    let err = agree(&[
        (
            report("small", "1.0.0", 5, &rated(&[1])),
            report("small", "1.0.0", 5, &rated(&[1])),
        ),
        (
            report("small", "2.0.0", 5, &rated(&[1])),
            report("small", "2.0.0", 5, &rated(&[1])),
        ),
    ])
    .unwrap_err();
    let m = &err.0[0].message;
    assert!(
        m.contains("version 2.0.0 in pair 2") && m.contains("1.0.0 in pair 1"),
        "{m}"
    );
    // A rubric on one side only.
    let err = agree(&[(
        report("small", "1.0.0", 5, &rated(&[1])),
        report("other", "1.0.0", 5, &rated(&[1])),
    )])
    .unwrap_err();
    assert_eq!(err.0.len(), 2, "{:?}", err.0);
}

#[test]
fn bad_reports_are_named_with_their_json_path() {
    let mut bad = report("r", "1.0.0", 5, &rated(&[1, 9]));
    let err = read_visit("x.json", &bad.to_string(), &[], &|_: &rubrica::Parsed| {
        unreachable_report()
    })
    .unwrap_err();
    assert_eq!(err.0[0].location.file.as_deref(), Some("x.json"));
    assert_eq!(
        err.0[0].location.path.as_deref(),
        Some("/practices/0/result/indicators/1/level")
    );
    bad["practices"][0]["result"]["indicators"][0]["outcome"] = json!("rated-ish");
    let err = read_visit("x.json", &bad.to_string(), &[], &|_: &rubrica::Parsed| {
        unreachable_report()
    })
    .unwrap_err();
    assert!(err.0[0].message.contains("rated-ish"));
    let err = read_visit("x.json", "{\"format\": 1", &[], &|_: &rubrica::Parsed| {
        unreachable_report()
    })
    .unwrap_err();
    assert!(err.0[0].location.line.is_some());
}

/// A copy of an example record with one item changed, in a folder of its own.
fn changed_record(example: &str, rubric: &str, item: &str, value: &str, name: &str) -> PathBuf {
    let mut record: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join(example)).unwrap()).unwrap();
    record["items"][rubric][item]["value"] = json!(value);
    record["observer"] = json!("coach-12");
    let dir = std::env::temp_dir().join(format!("rubrica-agree-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, record.to_string()).unwrap();
    path
}

fn workspace() -> Workspace {
    let mut w = Workspace::default();
    for f in rubrica::load_rubric_dir(&root().join("rubrics")).unwrap() {
        assert!(w.load_rubric(&f.source.meta, &f.source.script).is_success());
    }
    w
}

#[test]
fn records_compare_through_the_cli_and_the_workspace_byte_for_byte() {
    let b = changed_record(
        "examples/center-infants.json",
        "small-groups",
        "calm-atmosphere",
        "all",
        "b.json",
    );
    let b_path = b.display().to_string();
    let out = rubrica(&[
        "agree",
        "examples/center-infants.json",
        &b_path,
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let cli = String::from_utf8(out.stdout).unwrap();
    let a_text = std::fs::read_to_string(root().join("examples/center-infants.json")).unwrap();
    let b_text = std::fs::read_to_string(&b).unwrap();
    let w = workspace();
    assert_eq!(cli.trim_end(), w.agree_json(&a_text, &b_text));
    let json: Value = serde_json::from_str(&cli).unwrap();
    assert_eq!(json["format"], "rubrica.agreement/1");
    let diffs = json["differences"].as_array().unwrap();
    assert_eq!(diffs.len(), 1, "{diffs:?}");
    assert_eq!(diffs[0]["indicator"], "calm-atmosphere");
    assert_eq!(
        (
            diffs[0]["a"]["level"].as_i64(),
            diffs[0]["b"]["level"].as_i64()
        ),
        (Some(4), Some(5))
    );
    assert_eq!(
        diffs[0]["a"]["evidence"][0],
        "/items/small-groups/calm-atmosphere"
    );
    assert_eq!(json["pairs"][0]["b"]["observer"], "coach-12");
    // What each coach recorded at the cited item, for the conversation.
    assert_eq!(diffs[0]["a"]["recorded"][0]["value"], "most");
    assert_eq!(diffs[0]["b"]["recorded"][0]["value"], "all");
    // Its report compares the same as the record.
    let report = rubrica(&["score", &b_path, "--format", "json"]);
    let report_path = b.with_file_name("b-report.json");
    std::fs::write(&report_path, &report.stdout).unwrap();
    let via_report = rubrica(&[
        "agree",
        "examples/center-infants.json",
        &report_path.display().to_string(),
        "--format",
        "json",
    ]);
    let via: Value = serde_json::from_slice(&via_report.stdout).unwrap();
    assert_eq!(via["practices"], json["practices"]);
    let (d, r) = (&via["differences"][0], &json["differences"][0]);
    assert_eq!(
        (&d["indicator"], &d["b"]["level"], &d["b"]["evidence"]),
        (&r["indicator"], &r["b"]["level"], &r["b"]["evidence"])
    );
    // Only a record holds what the coach recorded.
    assert!(d["b"].get("recorded").is_none() && d["a"].get("recorded").is_some());
    // The text opens with agreement, then the indicator to talk through, both sides shown.
    let out = rubrica(&["agree", "examples/center-infants.json", &b_path]);
    let t = text(&out.stdout);
    let agree_at = t.find("Where you agree").unwrap();
    let talk_at = t.find("To talk through together").unwrap();
    assert!(agree_at < talk_at, "{t}");
    assert!(
        t.contains("4 Established") && t.contains("5 Exemplary"),
        "{t}"
    );
    // The same bytes every time.
    let again = rubrica(&[
        "agree",
        "examples/center-infants.json",
        &b_path,
        "--format",
        "json",
    ]);
    assert_eq!(String::from_utf8(again.stdout).unwrap(), cli);
}

#[test]
fn workspace_pairs_lists_by_position_and_refuses_unequal_lengths() {
    let w = workspace();
    let a = std::fs::read_to_string(root().join("examples/center-infants.json")).unwrap();
    let c = std::fs::read_to_string(root().join("examples/family-child-care.json")).unwrap();
    let both = format!("[{a},{c}]");
    let got: Value = serde_json::from_str(&w.agree_json(&both, &both)).unwrap();
    assert_eq!(got["pairs"].as_array().unwrap().len(), 2);
    assert_eq!(got["overall"]["exact"]["percent"], json!(100.0));
    let bad: Value = serde_json::from_str(&w.agree_json(&both, &a)).unwrap();
    assert_eq!(bad["type"], "failure");
    assert!(bad["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("2 visits"));
}

#[test]
fn cli_usage_and_input_errors_exit_2_naming_the_file() {
    let out = rubrica(&["agree", "examples/center-infants.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("two files per visit"));
    let out = rubrica(&["agree", "examples/center-infants.json", "no/such.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("no/such.json"),
        "{}",
        text(&out.stderr)
    );
    let dir = std::env::temp_dir().join(format!("rubrica-agree-e-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (a, b) = (dir.join("a.json"), dir.join("b.json"));
    std::fs::write(&a, report("r", "1.0.0", 5, &rated(&[1])).to_string()).unwrap();
    std::fs::write(&b, report("r", "1.1.0", 5, &rated(&[1])).to_string()).unwrap();
    let (a, b) = (a.display().to_string(), b.display().to_string());
    let out = rubrica(&["agree", &a, &b, "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["type"], "failure");
    let m = answer["errors"][0]["message"].as_str().unwrap();
    assert!(
        m.contains(&a) && m.contains(&b) && m.contains("version"),
        "{m}"
    );
}
