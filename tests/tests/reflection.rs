//! Reflection records (`rubrica.ta-reflection/1`, `rubrica.family-partnership/1`): parsed with
//! JSON paths like observations, with each kind's values from one list (the vocabulary the forms
//! use); rated only by rubrics written for their kind; and never changing an observation's
//! six-practice report.

use rubrica::{
    load_rubric_dir, Code, CompiledRubric, Diagnostics, Engine, Observation, PracticeEntry, Record,
    RecordKind, RubricSource, Workspace, VOCABULARY,
};
use rubrica_tests::root;
use serde_json::{json, Value};

fn ta() -> Value {
    json!({
        "format": "rubrica.ta-reflection/1",
        "id": "ta-2026-03-02",
        "reflected_on": "2026-03-02",
        "author": {"id": "ta-07", "role": "ta-provider"},
        "partner": {"id": "prog-12", "kind": "program"},
        "contacts": [
            {"on": "2026-02-10", "mode": "on-site", "minutes": 90, "initiated_by": "partner", "topic": "transitions"},
            {"on": "2026-02-24", "mode": "phone", "initiated_by": "author"}
        ],
        "goals": [
            {"id": "g1", "set_by": "jointly", "status": "in-progress", "revisited": 2},
            {"id": "g2", "set_by": "author", "status": "not-started"}
        ],
        "items": {"t": {"asked": {"value": "yes", "note": "at the first visit"}}},
        "notes": ["The director asked for the next visit herself."]
    })
}

fn family() -> Value {
    let mut v = ta();
    v["format"] = json!("rubrica.family-partnership/1");
    v["author"] = json!({"id": "cg-a", "role": "caregiver"});
    v["partner"] = json!({"id": "fam-3", "kind": "family"});
    v["contacts"] = json!([{"on": "2026-02-10", "mode": "home-visit", "initiated_by": "partner"}]);
    v
}

/// `(code, path)` of every error of a record that must be refused.
fn errors(v: &Value) -> Vec<(String, String)> {
    let Err(Diagnostics(ds)) = Record::from_value(v) else {
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

fn compile(meta: Value, script: &str) -> Result<CompiledRubric, Diagnostics> {
    Engine::default().compile(&RubricSource {
        meta_file: "rubric.json".into(),
        meta: meta.to_string(),
        script_file: "rubric.rhai".into(),
        script: script.into(),
    })
}

/// A small rubric for `format` that rates from the contacts and the goals.
fn reflection_rubric(format: &str) -> Value {
    json!({
        "format": "rubrica.rubric/1", "id": "t", "version": "1.0.0", "practice": "t",
        "record": format,
        "title": "T", "summary": "S", "languages": ["en"],
        "scale": {"levels": [
            {"value": 1, "label": "Not yet", "descriptor": "d"},
            {"value": 2, "label": "Emerging", "descriptor": "d"},
            {"value": 3, "label": "Established", "descriptor": "d"}
        ], "strength_from": 3},
        "indicators": [{
            "id": "partner-led", "title": "Partner-led", "kind": "process", "evidence": "e",
            "reads": ["/contacts", "/goals", "asked"],
            "strength": "s", "next_step": "n", "questions": ["q?"]
        }],
        "items": [{"id": "asked", "label": "Asked", "type": "yes-no"}]
    })
}

const SCRIPT: &str = r#"
fn partner_led(r) {
    if r.contacts.is_empty() { return not_enough_evidence("no contacts"); }
    let theirs = r.contacts.filter(|c| c.initiated_by == "partner").len();
    let joint = r.goals.filter(|g| g.set_by != "author" && g.revisited > 0).len();
    let level = if theirs > 0 && joint > 0 { 3 } else if theirs > 0 || joint > 0 { 2 } else { 1 };
    rating(level, ["/contacts", "/goals", "asked"], `${theirs} partner-led, ${joint} joint`)
}
"#;

#[test]
fn both_kinds_parse_into_their_canonical_form() {
    for (v, kind) in [
        (ta(), RecordKind::TaReflection),
        (family(), RecordKind::FamilyPartnership),
    ] {
        let parsed = Record::from_value(&v).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(parsed.warnings.is_empty());
        let r = parsed.record.as_ref();
        assert_eq!(r.kind(), kind);
        assert_eq!((r.id(), r.date()), ("ta-2026-03-02", "2026-03-02"));
        let canonical = r.to_json();
        // Left-out optional fields are written out: the shape scripts and paths refer to.
        assert_eq!(canonical["contacts"][1]["minutes"], Value::Null);
        assert_eq!(canonical["contacts"][1]["topic"], Value::Null);
        assert_eq!(canonical["goals"][1]["revisited"], json!(0));
        assert_eq!(canonical["extra"], Value::Null);
        // The canonical form reads back as itself.
        let again = Record::from_value(&canonical).expect("canonical reads back");
        assert_eq!(again.record, parsed.record);
    }
}

#[test]
fn every_problem_is_reported_at_its_path() {
    let mut v = family();
    v["reflected_on"] = json!("2026-02-30");
    v["author"]["role"] = json!("teacher");
    v["partner"] = json!({"id": "fam-3", "kind": "program", "name": "x"});
    v["contacts"][0]["mode"] = json!("on-site");
    v["contacts"][0]["minutes"] = json!(601);
    v["goals"][1]["id"] = json!("g1");
    v["goals"][1]["status"] = json!("done");
    v["items"]["t"]["asked"]["method"] = json!("observed");
    v["notez"] = json!([]);
    let mut got = errors(&v);
    got.sort();
    let mut want: Vec<(String, String)> = [
        ("R0103", "/notez"),
        ("R0108", "/reflected_on"),
        ("R0108", "/author/role"),
        ("R0103", "/partner/name"),
        ("R0108", "/partner/kind"),
        ("R0108", "/contacts/0/mode"),
        ("R0104", "/contacts/0/minutes"),
        ("R0106", "/goals/1/id"),
        ("R0108", "/goals/1/status"),
        ("R0103", "/items/t/asked/method"),
    ]
    .iter()
    .map(|(c, p)| (c.to_string(), p.to_string()))
    .collect();
    want.sort();
    assert_eq!(got, want);
    // Required fields.
    let mut bare = ta();
    let o = bare.as_object_mut().expect("object");
    for key in ["id", "reflected_on", "author", "partner"] {
        o.remove(key);
    }
    let mut got = errors(&bare);
    got.sort();
    assert_eq!(
        got,
        [
            ("R0102", "/author"),
            ("R0102", "/id"),
            ("R0102", "/partner"),
            ("R0102", "/reflected_on")
        ]
        .map(|(c, p)| (c.to_string(), p.to_string()))
    );
}

/// Every value the vocabulary offers a form is accepted, and anything else is refused at that
/// path: the vocabulary and the parser are one list.
#[test]
fn the_vocabularys_choices_are_the_parsers() {
    assert_eq!(VOCABULARY.kinds.len(), 2);
    for kind_doc in VOCABULARY.kinds {
        let base = match kind_doc.format {
            "rubrica.ta-reflection/1" => ta(),
            "rubrica.family-partnership/1" => family(),
            other => panic!("unexpected kind {other}"),
        };
        assert!(!kind_doc.record_choices.is_empty());
        for choice in kind_doc.record_choices {
            let pointer = choice.path.replace('*', "0");
            let place = |v: &mut Value, new: Value| {
                *v.pointer_mut(&pointer)
                    .unwrap_or_else(|| panic!("{pointer} is in the example")) = new;
            };
            for value in choice.values {
                let mut v = base.clone();
                place(&mut v, json!(value));
                Record::from_value(&v)
                    .unwrap_or_else(|e| panic!("{pointer} = {value} refused: {e:?}"));
            }
            let mut v = base.clone();
            place(&mut v, json!("not-a-choice"));
            assert_eq!(
                errors(&v),
                vec![("R0108".to_string(), pointer.clone())],
                "{}",
                kind_doc.format
            );
        }
        // Each object's fields are those the parser accepts, path by path.
        let kind = RecordKind::from_format(kind_doc.format).expect("a kind");
        for object in kind_doc.objects {
            let names: Vec<&str> = object.fields.iter().map(|f| f.name).collect();
            let parser = kind
                .fields()
                .iter()
                .find(|(at, _)| *at == object.path)
                .map(|(_, f)| f.to_vec())
                .unwrap_or_else(|| panic!("{} has no fields in the parser", object.path));
            let mut expected = parser.clone();
            expected.retain(|f| *f != "extra");
            assert_eq!(names, expected, "{} {}", kind_doc.format, object.path);
        }
    }
}

#[test]
fn a_rubric_rates_only_its_own_kind() {
    let rubric = compile(reflection_rubric("rubrica.ta-reflection/1"), SCRIPT).expect("compiles");
    let engine = Engine::default();
    let parsed = Record::from_value(&ta()).expect("valid");
    let result = engine.evaluate(&rubric, &parsed.record).expect("rated");
    assert_eq!(result.indicators[0].level, Some(3), "{result:?}");
    assert_eq!(
        result.indicators[0].evidence,
        vec!["/contacts", "/goals", "/items/t/asked"]
    );
    // The same rubric refuses a family partnership record and an observation, naming both kinds.
    let fam = Record::from_value(&family()).expect("valid");
    let text = std::fs::read_to_string(root().join("examples/center-infants.json")).expect("ex");
    let obs = Observation::parse(&text).expect("valid").observation;
    for (err, found) in [
        (engine.evaluate(&rubric, &fam.record), "family-partnership"),
        (engine.evaluate(&rubric, &obs), "observation"),
    ] {
        let Err(Diagnostics(ds)) = err else {
            panic!("rated a {found} record");
        };
        assert_eq!(ds.len(), 1);
        assert_eq!(ds[0].code, Code::UnsupportedFormat);
        assert!(
            ds[0].message.contains("rubrica.ta-reflection/1")
                && ds[0].message.contains(&format!("rubrica.{found}/1")),
            "{}",
            ds[0].message
        );
        let es = ds[0].in_language(Some("es"));
        assert!(
            es.message.starts_with(
                "la rúbrica `t` califica un registro de reflexión sobre asistencia técnica"
            ),
            "{}",
            es.message
        );
    }
}

#[test]
fn record_and_its_rules_are_checked_in_the_metadata() {
    let mut meta = reflection_rubric("rubrica.ta-reflektion/1");
    let Err(Diagnostics(ds)) = compile(meta.clone(), SCRIPT) else {
        panic!("accepted an unknown record format");
    };
    let d = ds
        .iter()
        .find(|d| d.location.path.as_deref() == Some("/record"))
        .expect("an error at /record");
    assert_eq!(
        d.help.as_deref(),
        Some("did you mean `rubrica.ta-reflection/1`?")
    );
    // `applies_when` is about an observed group.
    meta["record"] = json!("rubrica.family-partnership/1");
    meta["indicators"][0]["applies_when"] = json!("a-child-has-an-ifsp");
    let Err(Diagnostics(ds)) = compile(meta.clone(), SCRIPT) else {
        panic!("accepted applies_when on a reflection rubric");
    };
    assert!(
        ds.iter()
            .any(|d| d.location.path.as_deref() == Some("/indicators/0/applies_when")),
        "{ds:?}"
    );
    // A reflection's items record no method, so its rubric's items declare none; an
    // observation rubric's items must.
    meta["indicators"][0]
        .as_object_mut()
        .expect("object")
        .remove("applies_when");
    let method_at = |meta: &Value| match compile(meta.clone(), SCRIPT) {
        Err(Diagnostics(ds)) => ds
            .iter()
            .filter_map(|d| d.location.path.clone())
            .collect::<Vec<_>>(),
        Ok(_) => Vec::new(),
    };
    let mut with_method = meta.clone();
    with_method["items"][0]["method"] = json!("interview");
    assert_eq!(method_at(&with_method), vec!["/items/0/method".to_string()]);
    let mut observation = meta.clone();
    observation["record"] = json!("rubrica.observation/1");
    assert_eq!(method_at(&observation), vec!["/items/0/method".to_string()]);
    observation["items"][0]["method"] = json!("interview");
    assert!(method_at(&observation).is_empty());
    // `reads` is checked against the kind's fields: `/children` is an observation's.
    meta["indicators"][0]["reads"] = json!(["/children", "/contacts"]);
    let checked = Engine::default().check(&RubricSource {
        meta_file: "rubric.json".into(),
        meta: meta.to_string(),
        script_file: "rubric.rhai".into(),
        script: SCRIPT.into(),
    });
    let paths: Vec<String> = checked
        .1
        .iter()
        .filter(|d| d.severity == rubrica::Severity::Error)
        .filter_map(|d| d.location.path.clone())
        .collect();
    assert_eq!(paths, vec!["/indicators/0/reads/0".to_string()]);
}

/// The shipped observation examples' reports are byte for byte the same with every shipped
/// rubric loaded as with the observation rubrics alone, and a reflection's report holds only
/// the rubrics of its kind.
#[test]
fn reflections_never_change_an_observations_report() {
    let all: Vec<CompiledRubric> = load_rubric_dir(&root().join("rubrics"))
        .expect("rubrics load")
        .into_iter()
        .map(|f| Engine::default().compile(&f.source).expect("compiles"))
        .collect();
    let observation_only: Vec<CompiledRubric> = all
        .iter()
        .filter(|r| r.meta().record_kind() == RecordKind::Observation)
        .cloned()
        .collect();
    assert_eq!(observation_only.len(), 6);
    let engine = Engine::default();
    for name in [
        "center-infants.json",
        "center-toddlers-mixed.json",
        "family-child-care.json",
    ] {
        let text = std::fs::read_to_string(root().join("examples").join(name)).expect("ex");
        let parsed = Observation::parse(&text).expect("valid");
        let with_all = serde_json::to_string(&engine.report(&all, &parsed)).expect("json");
        let six = serde_json::to_string(&engine.report(&observation_only, &parsed)).expect("json");
        assert_eq!(with_all, six, "{name}");
        assert!(!with_all.contains("record_format"));
    }
    // A reflection: only rubrics of its kind, with its format said and no setting or minutes.
    let mut ws = Workspace::default();
    let meta = reflection_rubric("rubrica.ta-reflection/1").to_string();
    assert!(ws.load_rubric(&meta, SCRIPT).is_success());
    let text = std::fs::read_to_string(root().join("examples/center-infants.json")).expect("ex");
    let report: Value = serde_json::from_str(&ws.report_json(&ta().to_string())).expect("json");
    assert_eq!(report["record_format"], json!("rubrica.ta-reflection/1"));
    assert_eq!(report["observed_on"], json!("2026-03-02"));
    assert!(report.get("setting").is_none() && report.get("minutes").is_none());
    assert_eq!(report["practices"].as_array().map(Vec::len), Some(1));
    let obs_report: Value = serde_json::from_str(&ws.report_json(&text)).expect("json");
    assert_eq!(obs_report["practices"], json!([]));
    assert!(matches!(
        engine
            .report_record(
                ws.compiled(),
                &Record::parse(&ta().to_string()).expect("valid")
            )
            .practices
            .as_slice(),
        [PracticeEntry::Success { .. }]
    ));
}

/// What reads observations only (exports, agreement, trends) refuses a reflection with one
/// problem naming its kind, not with every field an observation does not have.
#[test]
fn observation_only_readers_name_the_kind_they_were_given() {
    for (v, noun) in [
        (ta(), "a TA reflection record"),
        (family(), "a family partnership record"),
    ] {
        let Err(Diagnostics(ds)) = Observation::from_value(&v) else {
            panic!("read a reflection as an observation");
        };
        assert_eq!(ds.len(), 1, "{ds:?}");
        assert_eq!(ds[0].code, Code::UnsupportedFormat);
        assert_eq!(ds[0].location.path.as_deref(), Some("/format"));
        assert!(ds[0].message.contains(noun), "{}", ds[0].message);
        let ws = Workspace::default();
        let answer = ws.export(&v.to_string(), "csv", "{}");
        assert_eq!(answer.errors().len(), 1, "{:?}", answer.errors());
        assert_eq!(answer.errors()[0].code, Code::UnsupportedFormat);
    }
}

/// A reflection in a version of its format this engine does not read is one problem that names
/// the version it reads. A tag that names no kind, or none, is read as the kind the record most
/// likely is: a typo of a tag as that kind, a reflection's fields as the reflection kind its
/// values fit, anything else as an observation.
#[test]
fn a_newer_reflection_format_is_one_problem() {
    let mut v = family();
    v["format"] = json!("rubrica.family-partnership/2");
    let Err(Diagnostics(ds)) = Record::from_value(&v) else {
        panic!("read a newer format");
    };
    assert_eq!(ds.len(), 1, "{ds:?}");
    assert_eq!(ds[0].code, Code::UnsupportedFormat);
    assert_eq!(
        ds[0].help.as_deref(),
        Some("this version of Rubrica reads `rubrica.family-partnership/1`")
    );

    let diagnostics = |v: &Value| match Record::from_value(v) {
        Err(Diagnostics(ds)) => ds,
        Ok(_) => panic!("accepted {v}"),
    };
    let one_problem = |v: &Value, code: Code, help: &str| {
        let ds = diagnostics(v);
        assert_eq!(ds.len(), 1, "{ds:?}");
        assert_eq!(ds[0].code, code, "{ds:?}");
        assert_eq!(ds[0].location.path.as_deref(), Some("/format"), "{ds:?}");
        assert_eq!(ds[0].help.as_deref(), Some(help), "{ds:?}");
    };
    let family_help =
        "if this is a family partnership record, its format is `rubrica.family-partnership/1`";
    v["format"] = json!("something-else/1");
    one_problem(&v, Code::UnsupportedFormat, family_help);
    v.as_object_mut().unwrap().remove("format");
    one_problem(&v, Code::MissingField, family_help);
    // The same partner and author read as a TA reflection would have two more problems (their
    // kind and role are a family's): the family kind fits best.
    let mut ta = family();
    ta["format"] = json!("rubrica.ta-reflection/1");
    assert!(errors(&ta).len() >= 2, "{:?}", errors(&ta));
    v["format"] = json!("rubrica.family-partnershp/1");
    one_problem(
        &v,
        Code::UnsupportedFormat,
        "did you mean `rubrica.family-partnership/1`?",
    );
    // A typo of a tag is read as that kind: the family's values are then wrong for a TA record.
    v["format"] = json!("rubrica.ta-reflecton/1");
    let ds = diagnostics(&v);
    assert_eq!(
        ds[0].help.as_deref(),
        Some("did you mean `rubrica.ta-reflection/1`?")
    );
    assert!(ds.len() >= 2, "{ds:?}");

    // A record with an observation's fields and an unknown tag is read as an observation.
    let mut obs: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("examples/center-infants.json")).unwrap(),
    )
    .unwrap();
    obs["format"] = json!("something-else/1");
    obs["minutes"] = json!(-1);
    let ds = diagnostics(&obs);
    assert_eq!(ds.len(), 2, "{ds:?}");
    assert_eq!(
        ds[0].help.as_deref(),
        Some("this version of Rubrica reads `rubrica.observation/1`")
    );
    assert_eq!(ds[1].location.path.as_deref(), Some("/minutes"), "{ds:?}");

    // A tag of many kilobytes is quoted by its first 40 characters, for either kind.
    obs["format"] = json!("x".repeat(100_000));
    v["format"] = json!("x".repeat(100_000));
    for record in [&obs, &v] {
        let ds = diagnostics(record);
        let m = &ds[0].message;
        assert!(
            m.len() < 200 && m.contains(&format!("{}…", "x".repeat(40))),
            "{m:.300}"
        );
    }
}
