//! A rating never cites what the coach did not see: evidence pointing at an item recorded as
//! `not-observed` is an error of the rubric (R0307), whether cited by id or by path.

use rubrica::{Code, Diagnostics, Engine, Observation, RubricSource};
use rubrica_tests::root;
use serde_json::json;

/// The `good` fixture rubric's metadata with `own_space` written as `body`.
fn rubric(body: &str) -> RubricSource {
    let mut src = RubricSource::load(&root().join("tests/fixtures/rubrics/good"))
        .expect("fixture rubric loads");
    src.script = format!(
        "fn group_size(r) {{ rating(3, \"/children\") }}\nfn own_space(r) {{\n    {body}\n}}\n"
    );
    src
}

/// The infant example with the `tiny` rubric's `own-space` item recorded as `value`.
fn record(value: &str) -> Observation {
    let text =
        std::fs::read_to_string(root().join("examples/center-infants.json")).expect("example");
    let mut v: serde_json::Value = serde_json::from_str(&text).expect("json");
    v["items"]["tiny"] = json!({"own-space": {"value": value, "method": "observed"}});
    Observation::from_value(&v).expect("valid").observation
}

fn evaluate(body: &str, value: &str) -> Result<rubrica::RubricResult, Diagnostics> {
    let engine = Engine::default();
    let compiled = engine.compile(&rubric(body)).expect("compiles");
    engine.evaluate(&compiled, &record(value))
}

#[test]
fn citing_an_item_recorded_as_not_observed_is_refused() {
    for cite in [
        "\"own-space\"",
        "\"/items/tiny/own-space\"",
        "\"/items/tiny/own-space/value\"",
    ] {
        let body = format!("rating(1, [{cite}])");
        let Err(Diagnostics(ds)) = evaluate(&body, "not-observed") else {
            panic!("{cite}: a rating citing an unseen item was accepted");
        };
        assert_eq!(ds.len(), 1, "{cite}: {ds:?}");
        assert_eq!(ds[0].code, Code::EvidenceNotFound, "{cite}");
        assert!(
            ds[0].message.contains("recorded as not observed"),
            "{cite}: {}",
            ds[0].message
        );
        assert_eq!(
            ds[0].location.line,
            Some(3),
            "{cite}: points into the script"
        );
    }
}

#[test]
fn the_same_citation_stands_when_the_item_was_seen() {
    for value in ["yes", "no"] {
        let result = evaluate("rating(1, [\"own-space\"])", value).expect("rates");
        assert_eq!(
            result.indicators[1].evidence,
            vec!["/items/tiny/own-space".to_string()]
        );
    }
}

#[test]
fn other_fields_of_an_unseen_item_may_still_be_cited() {
    // How the coach gathered it is not a claim that it was seen.
    let result = evaluate(
        "rating(1, [\"/items/tiny/own-space/method\"])",
        "not-observed",
    )
    .expect("rates");
    assert_eq!(
        result.indicators[1].evidence,
        vec!["/items/tiny/own-space/method".to_string()]
    );
}
