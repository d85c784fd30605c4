//! Any bytes as a record of any kind, rated by every rubric shipped under `rubrics/` for that
//! kind: a valid record must be rated without a script error, every rating on its scale and
//! every cited path in the record.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rubrica::{CompiledRubric, Engine, Record, RubricSource};
use std::path::Path;
use std::sync::OnceLock;

/// Every rubric folder under `rubrics/`, loaded and compiled once at start. A shipped rubric
/// that does not load or compile stops the run: fuzzing the others would hide it.
fn rubrics() -> &'static (Engine, Vec<CompiledRubric>) {
    static R: OnceLock<(Engine, Vec<CompiledRubric>)> = OnceLock::new();
    R.get_or_init(|| {
        let engine = Engine::default();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../rubrics");
        let mut dirs: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.join("rubric.json").is_file())
            .collect();
        dirs.sort();
        assert!(!dirs.is_empty(), "no rubric folder under {}", dir.display());
        let compiled: Vec<CompiledRubric> = dirs
            .iter()
            .map(|d| {
                let source =
                    RubricSource::load(d).unwrap_or_else(|e| panic!("{}: {e}", d.display()));
                engine
                    .compile(&source)
                    .unwrap_or_else(|e| panic!("{} does not compile: {e}", d.display()))
            })
            .collect();
        assert_eq!(compiled.len(), dirs.len());
        (engine, compiled)
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(parsed) = Record::parse_bytes(data) else {
        return;
    };
    let (engine, rubrics) = rubrics();
    let kind = parsed.record.as_ref().kind();
    let record = parsed.record.as_ref().to_json();
    // A rubric rates only the kind of record it names; the others refuse it by design.
    for rubric in rubrics.iter().filter(|r| r.meta().record_kind() == kind) {
        match engine.evaluate(rubric, &parsed.record) {
            Ok(result) => {
                for ind in &result.indicators {
                    if let Some(level) = ind.level {
                        assert!(rubric.meta().scale.level(level).is_some());
                    }
                    for path in &ind.evidence {
                        assert!(
                            record.pointer(path).is_some(),
                            "{} cites {path}, not in the record",
                            ind.id
                        );
                    }
                }
                assert!(result.score.is_none() || result.coverage.rated > 0);
            }
            Err(diags) => {
                // Item values that do not fit the rubric are the record's fault (R0308); any
                // other error means the shipped script failed on a valid record.
                for d in &diags.0 {
                    assert!(
                        d.code == rubrica::Code::ItemValue,
                        "{} failed: {}",
                        rubric.meta().id,
                        d.headline()
                    );
                }
            }
        }
    }
});
