//! `agree` and `trend` in the browser give the native JSON byte for byte: the engine's
//! `Workspace::agree_json` and `Workspace::trend_json`, called on the example records' own text,
//! against `RubricaEngine.agree` / `.trend` called as a page calls them (records and reports as
//! objects or as JSON text, lists paired by position, `by` as an object, text, `null` or left
//! out). Bad input comes back as the failure answer, the same on both sides.
//!
//! Runs with the other browser tests (`cargo test -p rubrica-web --target
//! wasm32-unknown-unknown`, see web/README.md).
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, JSON};
use rubrica::{Options, Workspace};
use rubrica_web::RubricaEngine;
use serde_json::{json, Value};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::{options_text, FAMILY, INFANTS, RUBRICS, TODDLERS};

/// The engine as a page gets it, and the engine's own workspace, with the six shipped rubrics.
fn engines() -> (RubricaEngine, Workspace) {
    let mut page = RubricaEngine::new(js(options_text())).unwrap();
    let options: Options = serde_json::from_str(options_text()).unwrap();
    let mut native = Workspace::new(options);
    for (meta, script) in RUBRICS {
        let answer: Value =
            serde_wasm_bindgen::from_value(page.load_rubric(s(meta), s(script)).unwrap()).unwrap();
        assert_eq!(answer["type"], "success", "{answer}");
        assert!(native.load_rubric(meta, script).is_success());
    }
    (page, native)
}

fn s(text: &str) -> JsValue {
    JsValue::from_str(text)
}

/// JSON text as a JavaScript object (what a page passes after `JSON.parse`).
fn js(text: &str) -> JsValue {
    JSON::parse(text).unwrap()
}

/// Coach B's record of the infant-room visit: three items seen differently, one not recorded.
fn second_coach() -> String {
    let mut b: Value = serde_json::from_str(INFANTS).unwrap();
    b["id"] = json!("obs-2026-03-14-infant-room-b");
    b["observer"] = json!("coach-12");
    let sg = &mut b["items"]["small-groups"];
    sg["own-space"]["value"] = json!("no");
    sg["calm-atmosphere"]["value"] = json!("some");
    sg["calm-atmosphere"]["note"] = json!("loud at lunch and again at pick-up");
    let items = b["items"]["primary-caregiving"].as_object_mut().unwrap();
    let first = items.keys().next().unwrap().clone();
    items.remove(&first);
    serde_json::to_string_pretty(&b).unwrap()
}

fn parsed(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

#[wasm_bindgen_test]
fn agree_on_two_records_is_the_native_json_byte_for_byte() {
    let (page, native) = engines();
    let b = second_coach();
    let expected = native.agree_json(INFANTS, &b);
    let answer = parsed(&expected);
    assert_eq!(answer["format"], "rubrica.agreement/1", "{expected}");
    // The pair really differs, so the numbers are not those of two equal records.
    assert_eq!(
        answer["differences"].as_array().unwrap().len(),
        2,
        "{expected}"
    );
    assert!(answer["overall"]["exact"]["count"].as_u64().unwrap() > 0);
    assert!(answer["overall"]["kappa"]["value"].is_f64(), "{expected}");
    // As text and as objects, in either mix.
    assert_eq!(
        page.agree(s(INFANTS), s(&b), JsValue::UNDEFINED).unwrap(),
        expected
    );
    assert_eq!(
        page.agree(js(INFANTS), js(&b), JsValue::UNDEFINED).unwrap(),
        expected
    );
    assert_eq!(
        page.agree(js(INFANTS), s(&b), JsValue::UNDEFINED).unwrap(),
        expected
    );
    // The other way round is another answer (coach A and B swap), the same on both sides.
    let swapped = native.agree_json(&b, INFANTS);
    assert_ne!(swapped, expected);
    assert_eq!(
        page.agree(js(&b), js(INFANTS), JsValue::UNDEFINED).unwrap(),
        swapped
    );
}

#[wasm_bindgen_test]
fn agree_on_reports_and_on_pooled_pairs_is_the_native_json() {
    let (page, native) = engines();
    let b = second_coach();
    // Reports, as `reportJson` gives them: the same comparison as from the records.
    let (ra, rb) = (native.report_json(INFANTS), native.report_json(&b));
    assert_eq!(
        page.report_json(s(INFANTS), JsValue::UNDEFINED).unwrap(),
        ra
    );
    let expected = native.agree_json(&ra, &rb);
    assert_eq!(parsed(&expected)["format"], "rubrica.agreement/1");
    assert_eq!(
        page.agree(js(&ra), js(&rb), JsValue::UNDEFINED).unwrap(),
        expected
    );
    // Three visits pooled: lists paired by position, given as arrays of objects.
    let a_list = format!("[{INFANTS},{FAMILY},{TODDLERS}]");
    let b_list = format!("[{b},{FAMILY},{TODDLERS}]");
    let expected = native.agree_json(&a_list, &b_list);
    assert_eq!(parsed(&expected)["pairs"].as_array().unwrap().len(), 3);
    let array = |items: &[&str]| items.iter().map(|t| js(t)).collect::<Array>();
    let got = page
        .agree(
            array(&[INFANTS, FAMILY, TODDLERS]).into(),
            array(&[&b, FAMILY, TODDLERS]).into(),
            JsValue::UNDEFINED,
        )
        .unwrap();
    assert_eq!(got, expected);
}

#[wasm_bindgen_test]
fn agree_refuses_bad_input_with_the_native_failure() {
    let (page, native) = engines();
    let cases: [(&str, &str); 4] = [
        // Not JSON.
        ("{", INFANTS),
        // A record with a problem at a JSON path.
        (r#"{"format": "rubrica.observation/1", "id": 7}"#, INFANTS),
        // Lists of different lengths.
        (&format!("[{INFANTS}]"), "[]"),
        // Two visits on different days are compared with a warning, not refused; a number is not
        // a record at all.
        ("42", INFANTS),
    ];
    for (a, b) in cases {
        let expected = native.agree_json(a, b);
        let answer = parsed(&expected);
        assert_eq!(answer["type"], "failure", "{a} / {b}: {expected}");
        let first = &answer["errors"][0];
        assert!(
            first["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{expected}"
        );
        assert_eq!(
            page.agree(s(a), s(b), JsValue::UNDEFINED).unwrap(),
            expected,
            "{a}"
        );
    }
    // Something that is not JSON at all cannot cross the boundary: a thrown error, never a panic.
    assert!(page
        .agree(JsValue::UNDEFINED, s(INFANTS), JsValue::UNDEFINED)
        .is_err());
}

#[wasm_bindgen_test]
fn agree_and_trend_in_spanish_are_the_native_json_in_spanish() {
    let (page, native) = engines();
    let es = || js(r#"{"lang":"es"}"#);
    let expected = native.agree_json_in(INFANTS, FAMILY, Some("es"));
    assert_ne!(expected, native.agree_json(INFANTS, FAMILY));
    assert!(
        expected.contains("en un hogar de cuidado infantil familiar"),
        "{expected}"
    );
    assert_eq!(page.agree(s(INFANTS), s(FAMILY), es()).unwrap(), expected);
    let visits = format!("[{TODDLERS},{INFANTS},{FAMILY}]");
    let by = r#"{"caregiver":"cg-a"}"#;
    let expected = native.trend_json_in(&visits, by, Some("es"));
    assert!(expected.contains("no figura en el registro"), "{expected}");
    assert_eq!(page.trend(s(&visits), s(by), es()).unwrap(), expected);
}

#[wasm_bindgen_test]
fn trend_is_the_native_json_byte_for_byte() {
    let (page, native) = engines();
    let visits = format!("[{TODDLERS},{INFANTS},{FAMILY}]");
    let items = || js(&visits);
    for (by, by_js) in [
        ("{}", JsValue::UNDEFINED),
        ("{}", JsValue::NULL),
        ("{}", js("{}")),
        (r#"{"caregiver":"cg-a"}"#, js(r#"{"caregiver":"cg-a"}"#)),
        (r#"{"pointer":"/setting"}"#, s(r#"{"pointer":"/setting"}"#)),
    ] {
        let expected = native.trend_json(&visits, by);
        let answer = parsed(&expected);
        assert_eq!(answer["format"], "rubrica.trend/1", "{by}: {expected}");
        assert!(!answer["series"].as_array().unwrap().is_empty(), "{by}");
        assert_eq!(
            page.trend(items(), by_js, JsValue::UNDEFINED).unwrap(),
            expected,
            "{by}"
        );
        assert_eq!(
            page.trend(s(&visits), s(by), JsValue::UNDEFINED).unwrap(),
            expected,
            "{by} as text"
        );
    }
    // Grouped by setting: the centre and the family child care home are two series.
    let by_setting = parsed(&native.trend_json(&visits, r#"{"pointer":"/setting"}"#));
    assert_eq!(by_setting["series"].as_array().unwrap().len(), 2);
}

#[wasm_bindgen_test]
fn trend_refuses_bad_input_with_the_native_failure() {
    let (page, native) = engines();
    let visits = format!("[{INFANTS}]");
    for (items, by) in [
        ("[", "{}"),
        (r#"{"not": "a list"}"#, "{}"),
        (visits.as_str(), r#"{"pointer":"no-slash"}"#),
        (visits.as_str(), r#"{"unknown":"field"}"#),
    ] {
        let expected = native.trend_json(items, by);
        assert_eq!(
            parsed(&expected)["type"],
            "failure",
            "{items} / {by}: {expected}"
        );
        assert_eq!(
            page.trend(s(items), s(by), JsValue::UNDEFINED).unwrap(),
            expected,
            "{items} / {by}"
        );
    }
}
