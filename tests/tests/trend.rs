//! Trends (`rubrica trend`, `Workspace::trend_json`): order by visit date, the change since the
//! last visit, breaks where a rubric's indicators changed, grouping by caregiver or record field.

use rubrica::{read_visit, trend, RatedVisit, Trend, TrendBy, Workspace};
use rubrica_tests::{output_text as text, root, run_cli as rubrica};
use serde_json::{json, Value};
use std::path::PathBuf;

/// A report of rubric `r` at `version` on `date`: indicators `(id, level or None)`, practice
/// score in hundredths (or none).
fn report(
    date: &str,
    version: &str,
    score: Option<f64>,
    indicators: &[(&str, Option<i64>)],
) -> Value {
    let inds: Vec<Value> = indicators
        .iter()
        .map(|(id, level)| match level {
            Some(l) => json!({"id": id, "title": format!("Title {id}"), "outcome": "rated",
                "level": l, "label": "x", "evidence": ["/notes/0", "/minutes"]}),
            None => {
                json!({"id": id, "title": format!("Title {id}"), "outcome": "not-enough-evidence",
                "level": null, "label": null, "evidence": [], "reason": "not recorded"})
            }
        })
        .collect();
    let rated = indicators.iter().filter(|(_, l)| l.is_some()).count();
    json!({
        "format": "rubrica.report/1", "record": format!("obs-{date}"), "setting": "center",
        "observed_on": date, "minutes": 60, "warnings": [],
        "practices": [{"type": "success", "result": {
            "rubric": {"id": "r", "version": version, "practice": "r", "title": "Rubric r"},
            "status": if score.is_some() { "rated" } else { "not-enough-evidence" },
            "score": score, "scale_max": 5,
            "coverage": {"rated": rated, "total": indicators.len(), "percent": rated * 100 / indicators.len(), "not_applicable": 0},
            "indicators": inds
        }}]
    })
}

fn visits(reports: &[Value]) -> Vec<RatedVisit> {
    reports
        .iter()
        .enumerate()
        .map(|(i, r)| {
            read_visit(
                &format!("item{i}"),
                &r.to_string(),
                &[],
                &|_: &rubrica::Parsed| panic!("a report is never scored again"),
            )
            .unwrap()
        })
        .collect()
}

fn one_series(reports: &[Value]) -> Trend {
    trend(&visits(reports), &TrendBy::default()).unwrap()
}

#[test]
fn visits_are_ordered_by_date_and_changes_are_since_the_last_visit() {
    // Given out of order: March, January, February.
    let t = one_series(&[
        report(
            "2026-03-01",
            "1.0.0",
            Some(3.5),
            &[("a", Some(4)), ("b", Some(3))],
        ),
        report(
            "2026-01-10",
            "1.0.0",
            Some(2.0),
            &[("a", Some(2)), ("b", Some(2))],
        ),
        report(
            "2026-02-05",
            "1.0.0",
            Some(2.5),
            &[("a", Some(3)), ("b", None)],
        ),
    ]);
    let s = &t.series[0];
    let dates: Vec<&str> = s.visits.iter().map(|v| v.observed_on.as_str()).collect();
    assert_eq!(dates, ["2026-01-10", "2026-02-05", "2026-03-01"]);
    let p = &s.practices[0];
    let json = serde_json::to_value(p).unwrap();
    // 2.00 → 2.50 → 3.50: changes +0.50 then +1.00, computed in hundredths.
    assert_eq!(json["points"][0]["change"], Value::Null);
    assert_eq!(json["points"][1]["change"], json!(0.5));
    assert_eq!(json["points"][2]["change"], json!(1.0));
    // Indicator a: 2 → 3 → 4; b: 2 → not rated → 3 (no change across the gap).
    let a: Vec<Option<i64>> = p.indicators[0].points.iter().map(|x| x.change).collect();
    assert_eq!(a, [None, Some(1), Some(1)]);
    let b: Vec<Option<i64>> = p.indicators[1].points.iter().map(|x| x.change).collect();
    assert_eq!(b, [None, None, None]);
    assert_eq!(p.indicators[1].points[1].outcome, "not-enough-evidence");
    // Evidence coverage per visit and per indicator.
    assert_eq!(p.points[1].coverage.unwrap().rated, 1);
    assert_eq!(p.indicators[0].points[0].evidence, 2);
}

#[test]
fn a_rubric_whose_indicators_changed_breaks_the_series() {
    let t = one_series(&[
        report(
            "2026-01-10",
            "1.0.0",
            Some(2.0),
            &[("a", Some(2)), ("b", Some(2))],
        ),
        report(
            "2026-02-05",
            "1.1.0",
            Some(3.0),
            &[("a", Some(3)), ("b", Some(3))],
        ),
        report(
            "2026-03-01",
            "2.0.0",
            Some(4.0),
            &[("a", Some(4)), ("c", Some(4))],
        ),
    ]);
    let p = &t.series[0].practices[0];
    // 1.0.0 → 1.1.0, same indicators: compared, and marked.
    assert!(p.points[1].version_changed);
    assert!(p.points[1].break_before.is_none());
    assert_eq!(p.points[1].change.map(|h| h.0), Some(100));
    // 1.1.0 → 2.0.0: `b` removed, `c` added: a break, and no change across it.
    let br = p.points[2].break_before.as_ref().unwrap();
    assert_eq!((br.from.as_str(), br.to.as_str()), ("1.1.0", "2.0.0"));
    assert!(
        br.reason.contains("`c`") && br.reason.contains("`b`"),
        "{}",
        br.reason
    );
    assert_eq!(p.points[2].change, None);
    assert!(p.points[2]
        .no_change
        .as_deref()
        .unwrap()
        .contains("changed"));
    // Not for the indicator kept either.
    assert_eq!(p.indicators[0].points[2].change, None);
    let ids: Vec<&str> = p.indicators.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c"]);
    assert_eq!(p.indicators[2].points[0].outcome, "not-in-visit");
    let text = t.to_text();
    assert!(text.contains("no change is computed across it"), "{text}");
    assert!(
        text.contains("version 1.0.0 to 1.1.0 before visit 2 (same indicators"),
        "{text}"
    );
}

#[test]
fn the_same_input_gives_the_same_bytes_in_any_order_of_distinct_dates() {
    let rs = [
        report("2026-01-10", "1.0.0", Some(2.0), &[("a", Some(2))]),
        report("2026-02-05", "1.0.0", Some(3.0), &[("a", Some(3))]),
    ];
    let one = serde_json::to_string(&one_series(&rs)).unwrap();
    let other = serde_json::to_string(&one_series(&[rs[1].clone(), rs[0].clone()])).unwrap();
    assert_eq!(one, other);
}

fn example(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(root().join("examples").join(name)).unwrap())
        .unwrap()
}

/// Three visits to the infant room, in a folder of the test's own: two for caregiver cg-a (room
/// 2), one not (room 3).
fn records(test: &str) -> Vec<PathBuf> {
    let dir = std::env::temp_dir().join(format!("rubrica-trend-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut paths = Vec::new();
    for (i, (date, calm, caregiver, room)) in [
        ("2026-05-01", "all", "cg-a", "Room 2"),
        ("2026-01-15", "some", "cg-a", "Room 2"),
        ("2026-03-01", "most", "cg-z", "Room 3"),
    ]
    .iter()
    .enumerate()
    {
        let mut r = example("center-infants.json");
        r["id"] = json!(format!("visit-{i}"));
        r["observed_on"] = json!(date);
        r["items"]["small-groups"]["calm-atmosphere"]["value"] = json!(calm);
        r["extra"] = json!({"room": room});
        if *caregiver != "cg-a" {
            let text = r
                .to_string()
                .replace("\"cg-a\"", &format!("\"{caregiver}\""));
            r = serde_json::from_str(&text).unwrap();
        }
        let path = dir.join(format!("visit-{i}.json"));
        std::fs::write(&path, r.to_string()).unwrap();
        paths.push(path);
    }
    paths
}

#[test]
fn records_group_by_caregiver_through_the_cli_and_the_workspace_byte_for_byte() {
    let paths = records("caregiver");
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let mut args = vec!["trend", "--caregiver", "cg-a", "--format", "json"];
    args.extend(names.iter().map(String::as_str));
    let out = rubrica(&args);
    // Visit 3 does not list cg-a: left out, a finding.
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let cli = String::from_utf8(out.stdout).unwrap();
    let json: Value = serde_json::from_str(&cli).unwrap();
    assert_eq!(json["series"].as_array().unwrap().len(), 1);
    let s = &json["series"][0];
    assert_eq!(s["subject"], "cg-a");
    assert_eq!(s["visits"][0]["observed_on"], "2026-01-15");
    assert_eq!(json["left_out"][0]["record"], "visit-2");
    let small = s["practices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["rubric"] == "small-groups")
        .unwrap();
    let calm = small["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "calm-atmosphere")
        .unwrap();
    // "some" (2) in January, "all" (5) in May.
    assert_eq!(calm["points"][0]["level"], 2);
    assert_eq!(calm["points"][1]["level"], 5);
    assert_eq!(calm["points"][1]["change"], 3);

    let mut w = Workspace::default();
    for f in rubrica::load_rubric_dir(&root().join("rubrics")).unwrap() {
        assert!(w.load_rubric(&f.source.meta, &f.source.script).is_success());
    }
    let items: Vec<Value> = paths
        .iter()
        .map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
        .collect();
    let items = Value::from(items).to_string();
    assert_eq!(
        w.trend_json(&items, r#"{"caregiver": "cg-a"}"#),
        cli.trim_end()
    );

    // One series per room.
    let mut args = vec!["trend", "--by", "/extra/room", "--format", "json"];
    args.extend(names.iter().map(String::as_str));
    let out = rubrica(&args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let subjects: Vec<&str> = json["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["subject"].as_str().unwrap())
        .collect();
    assert_eq!(subjects, ["Room 2", "Room 3"]);
    assert_eq!(
        w.trend_json(&items, r#"{"pointer": "/extra/room"}"#),
        String::from_utf8(out.stdout).unwrap().trim_end()
    );

    // The coach's text: growth first.
    let mut args = vec!["trend", "--caregiver", "cg-a"];
    args.extend(names.iter().map(String::as_str));
    let t = text(&rubrica(&args).stdout);
    assert!(t.contains("Growing since the last visit"), "{t}");
    assert!(
        t.contains("A calm, unhurried atmosphere: up 3 levels"),
        "{t}"
    );
}

#[test]
fn grouping_needs_records_and_says_so() {
    let dir = std::env::temp_dir().join(format!("rubrica-trend-r-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("report.json");
    std::fs::write(
        &path,
        report("2026-01-10", "1.0.0", Some(2.0), &[("a", Some(2))]).to_string(),
    )
    .unwrap();
    let p = path.display().to_string();
    let out = rubrica(&["trend", "--caregiver", "cg-a", &p]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("report.json") && err.contains("give the records"),
        "{err}"
    );
    let out = rubrica(&["trend", "--by", "extra/room", &p]);
    assert_eq!(out.status.code(), Some(2));
    // Without grouping, reports make one series.
    let out = rubrica(&["trend", &p, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let w = Workspace::default();
    let answer: Value = serde_json::from_str(&w.trend_json("[]", r#"{"caregivr": "x"}"#)).unwrap();
    assert_eq!(answer["type"], "failure");
}

#[test]
fn reports_from_a_json_lines_file_make_a_series() {
    let paths = records("jsonl");
    let dir = paths[0].parent().unwrap().to_path_buf();
    let lines: Vec<String> = paths
        .iter()
        .map(|p| {
            let v: Value = serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
            v.to_string()
        })
        .collect();
    let records = dir.join("visits.jsonl");
    std::fs::write(&records, lines.join("\n") + "\n\n").unwrap();
    let scored = rubrica(&["score", &records.display().to_string(), "--format", "json"]);
    assert_eq!(scored.status.code(), Some(0), "{}", text(&scored.stderr));
    let reports = dir.join("reports.jsonl");
    std::fs::write(&reports, &scored.stdout).unwrap();
    let from_reports = rubrica(&["trend", &reports.display().to_string(), "--format", "json"]);
    assert_eq!(
        from_reports.status.code(),
        Some(0),
        "{}",
        text(&from_reports.stderr)
    );
    let from_records = rubrica(&["trend", &records.display().to_string(), "--format", "json"]);
    let json: Value = serde_json::from_slice(&from_reports.stdout).unwrap();
    let same: Value = serde_json::from_slice(&from_records.stdout).unwrap();
    // The same numbers; only a record knows its coach.
    assert_eq!(
        json["series"][0]["practices"],
        same["series"][0]["practices"]
    );
    assert_eq!(json["series"][0]["visits"][0]["observer"], Value::Null);
    assert_eq!(same["series"][0]["visits"][0]["observer"], "coach-07");
    assert_eq!(json["series"][0]["visits"].as_array().unwrap().len(), 3);
    // A bad line is named with its line number.
    std::fs::write(&reports, "{}\n").unwrap();
    let out = rubrica(&["trend", &reports.display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("reports.jsonl:1"),
        "{}",
        text(&out.stderr)
    );
}
