//! Records at the edges, in the browser: the largest records the format allows are scored by
//! all six shipped rubrics within the default limits (the record a script is given is never
//! counted against what a script may build), and every record of the malformed corpus
//! (`tests/malformed/corpus.json`) reports exactly the problems the native test expects.
//!
//! Runs with the other browser tests (`cargo test -p rubrica-web --target
//! wasm32-unknown-unknown`, see web/README.md).
#![cfg(target_arch = "wasm32")]

use rubrica_web::RubricaEngine;
use serde_json::{json, Value};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::{options_text, INFANTS, RUBRICS};

fn engine() -> RubricaEngine {
    let mut e = RubricaEngine::new(JsValue::from_str(options_text())).unwrap();
    for (meta, script) in RUBRICS {
        let answer: Value = serde_wasm_bindgen::from_value(
            e.load_rubric(JsValue::from_str(meta), JsValue::from_str(script))
                .unwrap(),
        )
        .unwrap();
        assert_eq!(answer["type"], "success", "{answer}");
    }
    e
}

/// The example infant room grown to 500 children (ages 1–35 months), 40 caregivers and 100
/// headcounts, with a note of 4 000 emoji, 100 notes of 4 000 characters, and every item's note
/// 4 000 characters long: about 600 KB, well inside the 2 MiB a record may hold.
fn largest_record() -> String {
    let mut record: Value = serde_json::from_str(INFANTS).unwrap();
    let template_child = record["children"][0].clone();
    let template_caregiver = record["caregivers"][0].clone();
    let caregivers: Vec<Value> = (0..40)
        .map(|i| {
            let mut c = template_caregiver.clone();
            c["id"] = json!(format!("cg-{i}"));
            c
        })
        .collect();
    let children: Vec<Value> = (0..500)
        .map(|i| {
            let age = 1 + (i * 7) % 35;
            let mut c = template_child.clone();
            c["id"] = json!(format!("c{i}"));
            c["age_months"] = json!(age);
            c["months_in_care"] = json!(age);
            c["primary_caregiver"] = json!(format!("cg-{}", i % 40));
            c["months_with_primary"] = json!(age.min(1));
            c["ifsp"] = json!(i % 50 == 0);
            c
        })
        .collect();
    let at = |i: usize| format!("{:02}:{:02}", 8 + i / 12, (i % 12) * 5);
    let headcounts: Vec<Value> = (0..100)
        .map(|i| json!({"at": at(i), "children": 400, "caregivers": 35}))
        .collect();
    let long: String = "The caregiver waited for the baby's cues before feeding. "
        .repeat(80)
        .chars()
        .take(4000)
        .collect();
    let mut notes = vec![json!("😀".repeat(4000))];
    notes.extend((0..100).map(|_| json!(long)));
    record["caregivers"] = json!(caregivers);
    record["children"] = json!(children);
    record["headcounts"] = json!(headcounts);
    record["notes"] = json!(notes);
    if let Some(rubrics) = record["items"].as_object_mut() {
        for items in rubrics.values_mut().filter_map(Value::as_object_mut) {
            for item in items.values_mut() {
                item["note"] = json!(long);
            }
        }
    }
    record.to_string()
}

#[wasm_bindgen_test]
fn the_largest_record_is_scored_by_all_six_rubrics() {
    let record = largest_record();
    assert!(record.len() > 500_000 && record.len() < 2 * 1024 * 1024);
    let e = engine();
    // As in the coach app, the engine has scored a small record before: the browser has
    // compiled the module's code by then (the first call in a fresh page is several times
    // slower than the next ones).
    let warm_up: Value = serde_json::from_str(
        &e.report_json(JsValue::from_str(INFANTS), JsValue::UNDEFINED)
            .unwrap(),
    )
    .expect("the report is JSON");
    assert_eq!(warm_up["practices"].as_array().map(Vec::len), Some(6));
    let report: Value = serde_json::from_str(
        &e.report_json(JsValue::from_str(&record), JsValue::UNDEFINED)
            .unwrap(),
    )
    .expect("the report is JSON");
    let practices = report["practices"]
        .as_array()
        .expect("a report, not a failure");
    assert_eq!(practices.len(), 6, "{report}");
    for p in practices {
        assert_eq!(p["type"], "success", "{p}");
    }
}

const MALFORMED: &str = include_str!("../../tests/malformed/corpus.json");

/// One reported problem: its code and, when the corpus names one, its JSON path.
fn problems(list: &Value, want: &Value) -> Vec<(String, Option<String>)> {
    let bare: Vec<&str> = want
        .as_array()
        .map(|w| {
            w.iter()
                .filter(|p| p.get("path").is_none())
                .filter_map(|p| p["code"].as_str())
                .collect()
        })
        .unwrap_or_default();
    let mut out: Vec<(String, Option<String>)> = list
        .as_array()
        .map(|l| {
            l.iter()
                .map(|d| {
                    let code = d["code"].as_str().unwrap_or_default().to_string();
                    let path = if bare.contains(&code.as_str()) {
                        None
                    } else {
                        d["path"].as_str().map(str::to_string)
                    };
                    (code, path)
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn only(list: &Value, severity: &str) -> Value {
    Value::Array(
        list.as_array()
            .map(|l| {
                l.iter()
                    .filter(|d| d["severity"] == severity)
                    .cloned()
                    .collect()
            })
            .unwrap_or_default(),
    )
}

fn js(v: JsValue) -> Value {
    serde_wasm_bindgen::from_value(v).unwrap()
}

/// Every record of the malformed corpus reports, in the browser, exactly the problems (code and
/// JSON path, as many times) the native test expects; the valid ones at the edges score with all
/// six rubrics.
#[wasm_bindgen_test]
fn the_malformed_corpus_ends_as_natively() {
    let corpus: Vec<Value> = serde_json::from_str(MALFORMED).unwrap();
    let e = engine();
    let mut wrong = Vec::new();
    let mut checked = 0;
    for entry in &corpus {
        let name = entry["name"].as_str().unwrap();
        // A file that is not UTF-8 cannot reach the browser API as a string.
        let Some(text) = entry["text"].as_str() else {
            continue;
        };
        checked += 1;
        let record = JsValue::from_str(text);
        let answer = js(e
            .validate_record(record.clone(), JsValue::UNDEFINED)
            .unwrap());
        let (errors, mut warnings) = if answer["type"] == "failure" {
            (only(&answer["errors"], "error"), Value::Array(Vec::new()))
        } else {
            (Value::Array(Vec::new()), answer["warnings"].clone())
        };
        let mut errors = errors;
        if let (Some(id), Some("success")) =
            (entry["evaluate_with"].as_str(), answer["type"].as_str())
        {
            let rated = js(e
                .evaluate(JsValue::from_str(id), record.clone(), JsValue::UNDEFINED)
                .unwrap());
            if rated["type"] == "success" {
                let mut all = warnings.as_array().cloned().unwrap_or_default();
                all.extend(
                    rated["result"]["warnings"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default(),
                );
                warnings = Value::Array(all);
            } else {
                errors = rated["errors"].clone();
            }
        }
        for (what, got, want) in [
            ("errors", &errors, &entry["errors"]),
            ("warnings", &warnings, &entry["warnings"]),
        ] {
            let expected = problems(want, want);
            let got = problems(got, want);
            if got != expected {
                wrong.push(format!("{name}: {what} {got:?}, expected {expected:?}"));
            }
        }
        if entry["scores"] == true {
            let report: Value =
                serde_json::from_str(&e.report_json(record, JsValue::UNDEFINED).unwrap()).unwrap();
            let practices = report["practices"].as_array().cloned().unwrap_or_default();
            if practices.len() != 6 || practices.iter().any(|p| p["type"] != "success") {
                wrong.push(format!("{name}: not scored by all six rubrics: {report}"));
            }
        }
    }
    assert!(checked >= 90, "only {checked} records checked");
    assert!(wrong.is_empty(), "{wrong:#?}");
}
