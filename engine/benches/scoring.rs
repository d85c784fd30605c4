//! How fast rubrics compile and records score. Figures go in BENCHMARKS.md.
//!
//! `cargo bench -p rubrica --bench scoring`; `cargo xtask bench` runs it for BENCHMARKS.md and
//! reads the medians by these names.

#[path = "floor/mod.rs"]
mod floor;

use criterion::{criterion_group, criterion_main, Criterion};
use rubrica::{load_rubric_dir, Engine, Observation, Record, RecordKind};
use std::hint::black_box;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn bench(c: &mut Criterion) {
    let engine = Engine::default();
    let all = load_rubric_dir(&root().join("rubrics")).expect("rubrics load");
    // The six practices rate observations; the reflection rubrics are measured on their own
    // records below, so the six-rubric figures stay comparable from round to round.
    let (folders, reflection_folders): (Vec<_>, Vec<_>) = all.into_iter().partition(|f| {
        engine
            .compile(&f.source)
            .expect("compiles")
            .meta()
            .record_kind()
            == RecordKind::Observation
    });
    assert_eq!(folders.len(), 6, "the six practice rubrics");
    let rubrics: Vec<_> = folders
        .iter()
        .map(|f| engine.compile(&f.source).expect("compiles"))
        .collect();
    let text = std::fs::read_to_string(root().join("examples/center-toddlers-mixed.json"))
        .expect("example");

    c.bench_function("compile the six rubrics", |b| {
        b.iter(|| {
            for f in &folders {
                black_box(engine.compile(&f.source).expect("compiles"));
            }
        })
    });
    c.bench_function("parse and validate a record", |b| {
        b.iter(|| black_box(Observation::parse(black_box(&text)).expect("parses")))
    });
    let parsed = Observation::parse(&text).expect("parses");
    c.bench_function("score a record with the six rubrics", |b| {
        b.iter(|| black_box(engine.report(&rubrics, black_box(&parsed))))
    });
    for r in &rubrics {
        c.bench_function(&format!("score a record with {}", r.meta().id), |b| {
            b.iter(|| black_box(engine.evaluate(r, black_box(&parsed.observation))))
        });
    }
    // A reflection rubric on the example reflection of its kind.
    for f in &reflection_folders {
        let compiled = engine.compile(&f.source).expect("compiles");
        let example = match compiled.meta().record_kind() {
            RecordKind::TaReflection => "examples/ta-reflection.json",
            _ => "examples/family-partnership.json",
        };
        let record =
            Record::parse(&std::fs::read_to_string(root().join(example)).expect("example"))
                .expect("parses")
                .record;
        assert!(
            engine.evaluate(&compiled, &record).is_ok(),
            "{example} rates"
        );
        c.bench_function(
            &format!("score a reflection with {}", compiled.meta().id),
            |b| b.iter(|| black_box(engine.evaluate(&compiled, black_box(&record)))),
        );
    }
    // The same rules written by hand, on the same record: how far scripting is from the floor.
    c.bench_function(
        "score a record with small-groups by hand (the floor)",
        |b| b.iter(|| black_box(floor::small_groups(black_box(&parsed.observation)))),
    );
    c.bench_function(
        "parse, score and serialize a record (one JSON Lines entry)",
        |b| {
            b.iter(|| {
                let parsed = Observation::parse(black_box(&text)).expect("parses");
                black_box(
                    serde_json::to_string(&engine.report(&rubrics, &parsed)).expect("serializes"),
                )
            })
        },
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
