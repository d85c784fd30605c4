//! Properties over generated valid records, for every rubric shipped under `rubrics/`:
//! evaluation never errs, is deterministic, stays on the scale, cites only paths the record
//! has, and never gives a score without enough evidence.
//!
//! Every generated record is also checked against the JSON Schema (docs/observation.schema.json):
//! a record the engine accepts, the schema accepts too.
//!
//! `PROPTEST_CASES=1000 cargo test -p rubrica-tests --test properties` runs longer. A failing
//! case is saved (its seed, as a `cc` line) in `properties.regressions` beside this file and is
//! run first every time after; commit that file with the fix.

use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use rubrica::{CompiledRubric, Engine, ItemType, Observation, RubricMeta, RubricSource, Status};
use serde_json::{json, Map, Value};
use std::path::Path;
use std::sync::OnceLock;

/// The record format's JSON Schema, compiled once.
fn schema() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/observation.schema.json");
        let text = std::fs::read_to_string(&path).expect("docs/observation.schema.json");
        let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
        jsonschema::validator_for(&schema).expect("the schema compiles")
    })
}

/// The schema's complaints about `value` (empty when it accepts it).
fn schema_errors(value: &Value) -> Vec<String> {
    schema()
        .iter_errors(value)
        .take(5)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

/// `cases` runs (or `PROPTEST_CASES`); failing cases are saved beside this file
/// (`properties.regressions`) and replayed first.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(cases),
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("regressions"))),
        ..ProptestConfig::default()
    }
}

fn shipped() -> &'static (Engine, Vec<CompiledRubric>) {
    static R: OnceLock<(Engine, Vec<CompiledRubric>)> = OnceLock::new();
    R.get_or_init(|| {
        let engine = Engine::default();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../rubrics");
        let mut dirs: Vec<_> = std::fs::read_dir(&dir)
            .expect("rubrics/ exists")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.join("rubric.json").is_file())
            .collect();
        dirs.sort();
        let rubrics: Vec<CompiledRubric> = dirs
            .iter()
            .map(|d| {
                let source =
                    RubricSource::load(d).unwrap_or_else(|e| panic!("{}: {e}", d.display()));
                engine
                    .compile(&source)
                    .unwrap_or_else(|e| panic!("{}: {e}", d.display()))
            })
            // The records generated here are observations: the rubrics that rate them.
            .filter(|r| r.meta().record_kind() == rubrica::RecordKind::Observation)
            .collect();
        assert!(!rubrics.is_empty());
        (engine, rubrics)
    })
}

const LANGS: [&str; 6] = ["en", "es", "vi", "zh-Hant", "hmn", "so"];
const ROLES: [&str; 5] = ["teacher", "assistant", "provider", "substitute", "float"];
const METHODS: [&str; 3] = ["observed", "interview", "materials"];

/// One child: age, primary caregiver (index, when it names one), months with them, language
/// bits, IFSP, how the primary caregiver is recorded (0–3), months in care beyond those with the
/// primary caregiver, moves.
type Child = (
    i64,
    Option<usize>,
    i64,
    u8,
    bool,
    u8,
    Option<i64>,
    Option<i64>,
);

/// The raw choices a record is built from; `pick` walks `dice` so one shrinkable vector drives
/// everything that depends on the rubrics' items.
#[derive(Debug, Clone)]
struct Shape {
    family: bool,
    minutes: i64,
    caregivers: Vec<(usize, u8)>,
    children: Vec<Child>,
    headcounts: Vec<(u32, u32, i64, i64)>,
    dice: Vec<u32>,
}

fn shape() -> impl Strategy<Value = Shape> {
    (
        any::<bool>(),
        1i64..=720,
        prop::collection::vec((0usize..5, any::<u8>()), 1..5),
        prop::collection::vec(
            (
                0i64..=72,
                prop::option::of(0usize..8),
                0i64..=72,
                any::<u8>(),
                any::<bool>(),
                0u8..4,
                prop::option::of(0i64..=72),
                prop::option::of(0i64..=36),
            ),
            1..16,
        ),
        prop::collection::vec((0u32..24, 0u32..60, 0i64..40, 0i64..6), 0..8),
        prop::collection::vec(any::<u32>(), 256),
    )
        .prop_map(
            |(family, minutes, caregivers, children, headcounts, dice)| Shape {
                family,
                minutes,
                caregivers,
                children,
                headcounts,
                dice,
            },
        )
}

fn langs(bits: u8) -> Vec<&'static str> {
    LANGS
        .iter()
        .enumerate()
        .filter(|(i, _)| bits & (1 << i) != 0)
        .map(|(_, l)| *l)
        .collect()
}

fn item_value(def: &rubrica::ItemDef, roll: u32) -> Value {
    let pick = |list: &[&str]| -> Value { json!(list[roll as usize % list.len()]) };
    match def.item_type {
        ItemType::YesNo => pick(&rubrica::YES_NO),
        ItemType::Frequency => pick(&rubrica::FREQUENCY),
        ItemType::Choice => {
            let mut options: Vec<&str> = def.options.iter().map(|o| o.value.as_str()).collect();
            options.push("not-observed");
            pick(&options)
        }
        ItemType::Count => {
            let lo = def.min.unwrap_or(0);
            let hi = def.max.unwrap_or(100_000).min(lo + 200);
            json!(lo + i64::from(roll) % (hi - lo + 1))
        }
        ItemType::Note => json!(format!("note {roll}")),
    }
}

/// A valid record: ids line up, counts are consistent, item values fit their rubric.
fn build(s: &Shape, metas: &[&RubricMeta]) -> Value {
    let mut dice = s.dice.iter().copied().cycle();
    let mut roll = move || dice.next().unwrap_or(0);
    let caregivers: Vec<Value> = s
        .caregivers
        .iter()
        .enumerate()
        .map(|(i, (role, l))| json!({"id": format!("cg-{i}"), "role": ROLES[*role], "languages": langs(*l)}))
        .collect();
    let children: Vec<Value> = s
        .children
        .iter()
        .enumerate()
        .map(|(i, (age, primary, with, l, ifsp, status, in_care, moves))| {
            let mut c = json!({"id": format!("c{i}"), "age_months": age, "home_languages": langs(*l), "ifsp": ifsp});
            let mut months_with = 0;
            match (primary.filter(|p| *p < caregivers.len()), status) {
                (Some(p), _) => {
                    months_with = (*with).min(*age);
                    c["primary_caregiver"] = json!(format!("cg-{p}"));
                    c["months_with_primary"] = json!(months_with);
                    if *status == 0 {
                        c["primary_status"] = json!("assigned");
                    }
                }
                // None assigned: said with `null`, or with the status.
                (None, 0) => c["primary_caregiver"] = Value::Null,
                (None, 1) => c["primary_status"] = json!("none-assigned"),
                // Not recorded: said with the status, or by leaving the field out.
                (None, 2) => c["primary_status"] = json!("not-recorded"),
                (None, _) => {}
            }
            if let Some(extra) = in_care {
                c["months_in_care"] = json!((months_with + extra).min(*age));
            }
            if let Some(m) = moves {
                c["moves"] = json!(m);
            }
            c
        })
        .collect();
    let headcounts: Vec<Value> = s
        .headcounts
        .iter()
        .map(|(h, m, c, g)| json!({"at": format!("{h:02}:{m:02}"), "children": (*c).min(children.len() as i64), "caregivers": g}))
        .collect();
    let mut items = Map::new();
    for meta in metas {
        let mut mine = Map::new();
        for def in &meta.items {
            if roll() % 4 == 0 {
                continue; // not recorded
            }
            let method = METHODS[roll() as usize % 3];
            let mut entry = json!({"value": item_value(def, roll()), "method": method});
            if roll() % 3 == 0 {
                entry["note"] = json!("seen during lunch");
            }
            mine.insert(def.id.clone(), entry);
        }
        items.insert(meta.id.clone(), Value::Object(mine));
    }
    json!({
        "format": "rubrica.observation/1",
        "id": "obs-generated",
        "setting": if s.family { "family-child-care" } else { "center" },
        "observed_on": "2026-03-14",
        "minutes": s.minutes,
        "caregivers": caregivers,
        "children": children,
        "headcounts": headcounts,
        "items": items,
        "interviews": [{"with": "cg-0", "topic": "routines", "answer": "we follow each baby's own schedule"}],
        "materials": [{"title": "Handbook", "kind": "handbook"}],
        "notes": ["generated record"]
    })
}

proptest! {
    #![proptest_config(config(48))]

    #[test]
    fn shipped_rubrics_rate_any_valid_record(s in shape()) {
        let (engine, rubrics) = shipped();
        let metas: Vec<&RubricMeta> = rubrics.iter().map(|r| r.meta()).collect();
        let value = build(&s, &metas);
        let parsed = Observation::from_value(&value);
        prop_assert!(parsed.is_ok(), "generated record is invalid: {}", parsed.err().map(|e| e.to_string()).unwrap_or_default());
        let against_schema = schema_errors(&value);
        prop_assert!(against_schema.is_empty(), "the schema rejects a record the engine accepts: {:?}", against_schema);
        let record = parsed.map(|p| p.observation).unwrap_or_else(|_| unreachable!());
        let canonical = record.to_json();
        let fresh = Engine::default();
        for rubric in rubrics {
            let id = &rubric.meta().id;
            let result = engine.evaluate(rubric, &record);
            prop_assert!(result.is_ok(), "{id} failed on a valid record: {}", result.err().map(|e| e.to_string()).unwrap_or_default());
            let result = result.unwrap_or_else(|_| unreachable!());
            // Deterministic: the same engine again, and a fresh engine, give the same bytes.
            let first = serde_json::to_string(&result).unwrap_or_default();
            let again = engine.evaluate(rubric, &record).map(|r| serde_json::to_string(&r).unwrap_or_default());
            prop_assert_eq!(Some(&first), again.as_ref().ok(), "{} is not deterministic", id);
            let other = fresh.evaluate(rubric, &record).map(|r| serde_json::to_string(&r).unwrap_or_default());
            prop_assert_eq!(Some(&first), other.as_ref().ok(), "{} differs on a fresh engine", id);
            let scale = &rubric.meta().scale;
            for ind in &result.indicators {
                if let Some(level) = ind.level {
                    prop_assert!(scale.level(level).is_some(), "{id}/{}: {level} is off the scale", ind.id);
                    prop_assert!(!ind.evidence.is_empty(), "{id}/{}: rated without evidence", ind.id);
                } else {
                    prop_assert!(ind.evidence.is_empty());
                    prop_assert!(ind.reason.as_deref().is_some_and(|r| !r.is_empty()));
                }
                for path in &ind.evidence {
                    prop_assert!(canonical.pointer(path).is_some(), "{id}/{} cites `{path}`, which the record lacks", ind.id);
                }
            }
            if result.status == Status::NotEnoughEvidence {
                prop_assert!(result.score.is_none(), "{id}: a score without enough evidence");
            } else {
                prop_assert!(result.score.is_some());
            }
            if let Some(score) = result.score {
                prop_assert!(score.hundredths >= scale.min() * 100 && score.hundredths <= scale.max() * 100);
            }
        }
    }

    #[test]
    fn any_json_value_is_a_record_or_located_errors(v in arbitrary_json()) {
        match Observation::from_value(&v) {
            Ok(parsed) => {
                // Accepted: the schema agrees, and the canonical form is a fixed point.
                let against_schema = schema_errors(&v);
                prop_assert!(against_schema.is_empty(), "the schema rejects a record the engine accepts: {:?}", against_schema);
                let canonical = parsed.observation.to_json();
                let again = Observation::from_value(&canonical);
                prop_assert!(again.is_ok(), "the canonical form is rejected");
                prop_assert_eq!(again.map(|p| p.observation.to_json()).ok(), Some(canonical));
            }
            Err(d) => {
                prop_assert!(!d.0.is_empty());
                for e in &d.0 {
                    prop_assert!(!e.message.is_empty());
                    prop_assert!(e.location.path.is_some(), "no path: {}", e.headline());
                }
            }
        }
    }

    #[test]
    fn one_field_replaced_in_a_valid_record_never_panics(key in prop::sample::select(FIELDS.to_vec()), v in arbitrary_json()) {
        let mut record = example();
        if record.pointer(key).is_none() {
            // A top-level field the example leaves out (`extra`): add it.
            record[key.trim_start_matches('/')] = Value::Null;
        }
        let slot = record.pointer_mut(key);
        prop_assert!(slot.is_some(), "the example has no `{}`", key);
        if let Some(slot) = slot {
            *slot = v;
        }
        match Observation::from_value(&record) {
            Ok(parsed) => {
                let against_schema = schema_errors(&record);
                prop_assert!(against_schema.is_empty(), "the schema rejects a record the engine accepts: {:?}", against_schema);
                let (engine, rubrics) = shipped();
                for rubric in rubrics {
                    // Item values may not fit a rubric (a record error), but nothing else may fail.
                    match engine.evaluate(rubric, &parsed.observation) {
                        Ok(result) => prop_assert_eq!(&result.rubric.id, &rubric.meta().id),
                        Err(d) => {
                            prop_assert!(!d.0.is_empty());
                            prop_assert!(d.0.iter().all(|d| d.code == rubrica::Code::ItemValue), "{}", d);
                        }
                    }
                }
            }
            Err(d) => {
                prop_assert!(!d.0.is_empty());
                for e in &d.0 {
                    prop_assert!(e.location.path.is_some(), "no path: {}", e.headline());
                }
            }
        }
    }
}

/// The example record the replacements start from; a missing or moved file fails loudly.
fn example() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/center-infants.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

const FIELDS: [&str; 12] = [
    "/setting",
    "/minutes",
    "/children/0/age_months",
    "/children/1",
    "/children/0/primary_caregiver",
    "/caregivers/0",
    "/headcounts/0/children",
    "/headcounts",
    "/items",
    "/notes",
    "/extra",
    "/observed_on",
];

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-100i64..100).prop_map(Value::from),
        "[a-z0-9:/ -]{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(("[a-z_]{1,12}", inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}
