//! The record's `place`: the room or home a visit belongs to. Optional; when given, an object of
//! a `kind` (`room` or `home`) and a pseudonymous `id`, checked like every other field, kept in
//! the canonical record, read by scripts as `r.place`, and usable to group a trend.

use rubrica::{Code, Diagnostics, Engine, Observation, RubricSource, Workspace, VOCABULARY};
use rubrica_tests::root;
use serde_json::{json, Value};

/// The infant example with `place` set to `place` (left out when `None`).
fn example(place: Option<Value>) -> Value {
    let text =
        std::fs::read_to_string(root().join("examples/center-infants.json")).expect("example");
    let mut v: Value = serde_json::from_str(&text).expect("json");
    let o = v.as_object_mut().expect("a record is an object");
    o.remove("place");
    if let Some(p) = place {
        o.insert("place".into(), p);
    }
    v
}

/// `(code, path)` of every error of a record that must be refused.
fn errors(v: &Value) -> Vec<(String, String)> {
    let Err(Diagnostics(ds)) = Observation::from_value(v) else {
        panic!("accepted {v}");
    };
    ds.iter()
        .map(|d| {
            (
                d.code.as_str().to_string(),
                d.location.path.clone().unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn a_room_or_a_home_is_read_with_its_id() {
    for (kind, id) in [("room", "rm-2"), ("home", "home-7"), ("room", "Zoë's room")] {
        let parsed = Observation::from_value(&example(Some(json!({"kind": kind, "id": id}))))
            .expect("valid");
        let place = parsed.observation.place.expect("a place");
        assert_eq!((place.kind.as_str(), place.id.as_str()), (kind, id));
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    }
    // Left out and `null` both say the record names no place.
    for v in [example(None), example(Some(Value::Null))] {
        let parsed = Observation::from_value(&v).expect("valid");
        assert_eq!(parsed.observation.place, None);
    }
}

#[test]
fn each_malformed_place_is_reported_at_its_path_with_its_code() {
    let cases: &[(Value, &[(&str, &str)])] = &[
        (json!("rm-2"), &[("R0101", "/place")]),
        (json!(["room", "rm-2"]), &[("R0101", "/place")]),
        (
            json!({}),
            &[("R0102", "/place/kind"), ("R0102", "/place/id")],
        ),
        (json!({"id": "rm-2"}), &[("R0102", "/place/kind")]),
        (json!({"kind": "home"}), &[("R0102", "/place/id")]),
        (
            json!({"kind": "classroom", "id": "rm-2"}),
            &[("R0108", "/place/kind")],
        ),
        (
            json!({"kind": "Room", "id": "rm-2"}),
            &[("R0108", "/place/kind")],
        ),
        (
            json!({"kind": null, "id": "rm-2"}),
            &[("R0101", "/place/kind")],
        ),
        (json!({"kind": "room", "id": 2}), &[("R0101", "/place/id")]),
        (json!({"kind": "room", "id": ""}), &[("R0108", "/place/id")]),
        (
            json!({"kind": "room", "id": " rm-2"}),
            &[("R0108", "/place/id")],
        ),
        (
            json!({"kind": "room", "id": "rm\u{202e}2"}),
            &[("R0108", "/place/id")],
        ),
        (
            json!({"kind": "room", "id": "r".repeat(101)}),
            &[("R0110", "/place/id")],
        ),
        (
            json!({"kind": "room", "id": "rm-2", "name": "Sunflowers"}),
            &[("R0103", "/place/name")],
        ),
    ];
    for (place, want) in cases {
        let got = errors(&example(Some(place.clone())));
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(c, p)| (c.to_string(), p.to_string()))
            .collect();
        assert_eq!(got, want, "place {place}");
    }
}

#[test]
fn the_messages_say_what_to_write() {
    let Err(Diagnostics(ds)) =
        Observation::from_value(&example(Some(json!({"kind": "rom", "id": "rm-2"}))))
    else {
        panic!("accepted");
    };
    assert_eq!(ds[0].code, Code::InvalidValue);
    let help = ds[0].help.clone().unwrap_or_default();
    assert!(help.contains("did you mean `room`?"), "{help}");
    let Err(Diagnostics(ds)) = Observation::from_value(&example(Some(json!({"kind": "room"}))))
    else {
        panic!("accepted");
    };
    assert!(
        ds[0]
            .help
            .as_deref()
            .unwrap_or_default()
            .contains("pseudonymous id"),
        "{ds:?}"
    );
}

#[test]
fn the_canonical_record_keeps_the_place_after_the_observer() {
    let v = example(Some(json!({"id": "rm-2", "kind": "room"})));
    let canonical = Observation::from_value(&v)
        .expect("valid")
        .observation
        .to_json();
    assert_eq!(canonical["place"], json!({"kind": "room", "id": "rm-2"}));
    let keys: Vec<&str> = canonical
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    let at = |k: &str| keys.iter().position(|x| *x == k).expect(k);
    assert_eq!(at("place"), at("observer") + 1, "{keys:?}");
    // The field order of the object itself is kind, then id.
    let text = serde_json::to_string(&canonical["place"]).expect("json");
    assert_eq!(text, r#"{"kind":"room","id":"rm-2"}"#);
    // Round trip: the canonical record reads back as the same observation.
    let again = Observation::from_value(&canonical).expect("canonical is valid");
    assert_eq!(again.observation.to_json(), canonical);
    // No place: `null` in the canonical record, which reads back as no place.
    let none = Observation::from_value(&example(None))
        .expect("valid")
        .observation
        .to_json();
    assert_eq!(none["place"], Value::Null);
    assert_eq!(
        Observation::from_value(&none)
            .expect("valid")
            .observation
            .place,
        None
    );
}

/// The `good` fixture rubric with `own_space` written as `body`.
fn rubric(body: &str) -> RubricSource {
    let mut src = RubricSource::load(&root().join("tests/fixtures/rubrics/good"))
        .expect("fixture rubric loads");
    src.script = format!(
        "fn group_size(r) {{ rating(3, \"/children\") }}\nfn own_space(r) {{\n    {body}\n}}\n"
    );
    src
}

#[test]
fn scripts_read_the_place_as_r_place_and_may_cite_it() {
    let engine = Engine::default();
    let compiled = engine
        .compile(&rubric(
            "if r.place == () { not_enough_evidence(\"no place\") } \
             else if r.place.kind == \"home\" && r.place.id == \"home-7\" { rating(3, \"/place/id\") } \
             else { rating(1, [\"/place/kind\", \"/place\"]) }",
        ))
        .expect("compiles");
    let rate = |place: Option<Value>| {
        let record = Observation::from_value(&example(place))
            .expect("valid")
            .observation;
        let result = engine.evaluate(&compiled, &record).expect("rates");
        let own = &result.indicators[1];
        (own.level, own.evidence.clone(), own.outcome)
    };
    assert_eq!(
        rate(Some(json!({"kind": "home", "id": "home-7"}))),
        (Some(3), vec!["/place/id".to_string()], "rated")
    );
    assert_eq!(
        rate(Some(json!({"kind": "room", "id": "home-7"}))),
        (
            Some(1),
            vec!["/place/kind".to_string(), "/place".to_string()],
            "rated"
        )
    );
    assert_eq!(rate(None), (None, vec![], "not-enough-evidence"));

    // Citing the place of a record that names none is refused, as for any missing path.
    let cites = engine
        .compile(&rubric("rating(1, \"/place/id\")"))
        .expect("compiles");
    let record = Observation::from_value(&example(None))
        .expect("valid")
        .observation;
    let Err(Diagnostics(ds)) = engine.evaluate(&cites, &record) else {
        panic!("cited a place the record does not have");
    };
    assert_eq!(ds[0].code, Code::EvidenceNotFound, "{ds:?}");

    // The place is read-only, like the rest of the record.
    let writes = engine
        .compile(&rubric("r.place.id = \"x\"; rating(1, \"/place\")"))
        .expect("compiles");
    let record = Observation::from_value(&example(Some(json!({"kind": "room", "id": "rm-2"}))))
        .expect("valid")
        .observation;
    assert!(engine.evaluate(&writes, &record).is_err());
}

#[test]
fn the_vocabulary_offers_the_place_kinds_the_parser_accepts() {
    let choice = VOCABULARY
        .record_choices
        .iter()
        .find(|c| c.path == "/place/kind")
        .expect("the place kind is a record choice");
    assert_eq!(choice.values, ["room", "home"]);
    assert_eq!(choice.default, None);
    for kind in choice.values {
        let v = example(Some(json!({"kind": kind, "id": "p"})));
        assert!(Observation::from_value(&v).is_ok(), "{kind}");
    }
    let record = &VOCABULARY.objects[0];
    let place = record
        .fields
        .iter()
        .find(|f| f.name == "place")
        .expect("r.place is described");
    assert!(place.may_be_unit);
    assert_eq!(place.entries, Some("Place"));
}

#[test]
fn a_trend_groups_visits_by_place_id() {
    let mut w = Workspace::default();
    for f in rubrica::load_rubric_dir(&root().join("rubrics")).expect("rubrics") {
        assert!(w.load_rubric(&f.source.meta, &f.source.script).is_success());
    }
    let visit = |id: &str, date: &str, place: Option<Value>| {
        let mut v = example(place);
        v["id"] = json!(id);
        v["observed_on"] = json!(date);
        v
    };
    let items = json!([
        visit(
            "a",
            "2026-01-10",
            Some(json!({"kind": "room", "id": "rm-2"}))
        ),
        visit(
            "b",
            "2026-02-10",
            Some(json!({"kind": "home", "id": "home-7"}))
        ),
        visit(
            "c",
            "2026-03-10",
            Some(json!({"kind": "room", "id": "rm-2"}))
        ),
        visit("d", "2026-04-10", None),
    ])
    .to_string();
    let out: Value =
        serde_json::from_str(&w.trend_json(&items, r#"{"pointer": "/place/id"}"#)).expect("json");
    let series: Vec<(String, usize)> = out["series"]
        .as_array()
        .unwrap_or_else(|| panic!("{out}"))
        .iter()
        .map(|s| {
            (
                s["subject"].as_str().unwrap_or_default().to_string(),
                s["visits"].as_array().map_or(0, Vec::len),
            )
        })
        .collect();
    assert_eq!(
        series,
        [("home-7".to_string(), 1), ("rm-2".to_string(), 2)],
        "{out}"
    );
    // The visit without a place is listed as left out, never dropped silently.
    let left_out = out["left_out"]
        .as_array()
        .unwrap_or_else(|| panic!("{out}"));
    assert_eq!(left_out.len(), 1, "{out}");
    assert_eq!(left_out[0]["record"], "d");
}
