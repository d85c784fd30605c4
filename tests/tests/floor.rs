//! The benchmarks' hand-written scorer (`engine/benches/floor`) gives the same levels, evidence,
//! notes and reasons as the engine running the `small-groups` and `primary-caregiving` scripts,
//! on the examples and on thousands of generated records. The ratio in BENCHMARKS.md compares
//! like with like only while this holds.

#[path = "../../engine/benches/floor/mod.rs"]
mod floor;

use floor::Outcome;
use rubrica::{CompiledRubric, Engine, Limits, Observation, RubricResult};
use rubrica_tests::{root, shipped_rubrics};

/// Records generated for the comparison (`FLOOR_RECORDS` sets another number).
fn records() -> usize {
    std::env::var("FLOOR_RECORDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(3000)
}

/// The engine with a generous time limit: this test compares outcomes, not containment (the
/// hostile corpus tests that), and thousands of evaluations on a busy machine must not turn a
/// preempted one into a difference. The operation budget, counted alike everywhere, stays.
fn engine() -> Engine {
    Engine::new(Limits {
        deadline_ms: 10_000,
        ..Limits::default()
    })
}

fn engine_outcomes(result: &RubricResult) -> Vec<Outcome> {
    result
        .indicators
        .iter()
        .map(|i| Outcome {
            id: "",
            level: i.level,
            evidence: i.evidence.clone(),
            note: i.note.clone(),
            reason: i.reason.clone(),
        })
        .collect()
}

fn rubric<'a>(rubrics: &'a [CompiledRubric], id: &str) -> &'a CompiledRubric {
    rubrics
        .iter()
        .find(|r| r.meta().id == id)
        .unwrap_or_else(|| panic!("rubric {id} is shipped"))
}

/// Compares the floor with the engine on one record; the first difference, if any.
fn difference(engine: &Engine, rubrics: &[CompiledRubric], obs: &Observation) -> Option<String> {
    type Floor = fn(&Observation) -> Vec<Outcome>;
    let pairs: [(&str, Floor); 2] = [
        ("small-groups", floor::small_groups),
        ("primary-caregiving", floor::primary_caregiving),
    ];
    for (id, by_hand) in pairs {
        let compiled = rubric(rubrics, id);
        let result = match engine.evaluate(compiled, obs) {
            Ok(r) => r,
            Err(e) => return Some(format!("{id}: the engine failed: {e}")),
        };
        let ids: Vec<&str> = result.indicators.iter().map(|i| i.id.as_str()).collect();
        let mut floor = by_hand(obs);
        let floor_ids: Vec<&str> = floor.iter().map(|o| o.id).collect();
        if ids != floor_ids {
            return Some(format!("{id}: indicators {ids:?} vs {floor_ids:?}"));
        }
        for o in &mut floor {
            o.id = "";
        }
        let scripted = engine_outcomes(&result);
        for ((a, b), ind) in scripted.iter().zip(&floor).zip(&ids) {
            if a != b {
                return Some(format!("{id}/{ind}:\n  engine: {a:?}\n  floor:  {b:?}"));
            }
        }
    }
    None
}

#[test]
fn the_floor_rates_the_examples_as_the_scripts_do() {
    let engine = engine();
    let rubrics = shipped_rubrics(&engine);
    for name in [
        "center-infants.json",
        "center-toddlers-mixed.json",
        "family-child-care.json",
    ] {
        let text = std::fs::read_to_string(root().join("examples").join(name)).expect("example");
        let parsed = Observation::parse(&text).expect("the example parses");
        if let Some(d) = difference(&engine, &rubrics, &parsed.observation) {
            panic!("{name}: {d}");
        }
    }
}

#[test]
fn the_floor_rates_generated_records_as_the_scripts_do() {
    let engine = engine();
    let rubrics = shipped_rubrics(&engine);
    let mut rng = floor::Rng::new(0x5eed_f100);
    let mut rated_levels = std::collections::BTreeSet::new();
    for i in 0..records() {
        let record = floor::generated_record(&mut rng, i);
        let text = record.to_string();
        let parsed = Observation::parse(&text)
            .unwrap_or_else(|e| panic!("generated record {i} does not parse: {e}\n{text}"));
        if let Some(d) = difference(&engine, &rubrics, &parsed.observation) {
            panic!("generated record {i}: {d}\n{text}");
        }
        for o in floor::small_groups(&parsed.observation)
            .into_iter()
            .chain(floor::primary_caregiving(&parsed.observation))
        {
            rated_levels.insert((o.id, o.level));
        }
    }
    // The records reach every level of every indicator that has one, and "not enough evidence"
    // wherever a script can say it, so no rule goes unchecked.
    let unseen: Vec<_> = [
        (
            "group-size",
            [Some(1), Some(2), Some(3), Some(5)].as_slice(),
        ),
        (
            "ratio-throughout",
            &[None, Some(1), Some(2), Some(3), Some(4), Some(5)],
        ),
        (
            "one-to-one",
            &[None, Some(1), Some(2), Some(3), Some(4), Some(5)],
        ),
        (
            "every-child-assigned",
            &[None, Some(1), Some(2), Some(3), Some(5)],
        ),
        (
            "caseload-fits-age",
            &[None, Some(1), Some(2), Some(3), Some(5)],
        ),
        (
            "assignment-policy",
            &[None, Some(1), Some(2), Some(3), Some(4), Some(5)],
        ),
        (
            "backup-caregiver",
            &[None, Some(1), Some(2), Some(4), Some(5)],
        ),
    ]
    .into_iter()
    .flat_map(|(id, levels)| levels.iter().map(move |l| (id, *l)))
    .filter(|k| !rated_levels.contains(k))
    .collect();
    assert!(
        unseen.is_empty(),
        "levels no generated record reached: {unseen:?}"
    );
}
