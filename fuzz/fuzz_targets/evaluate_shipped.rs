//! Any bytes as a record, rated by every rubric shipped under `rubrics/`: a valid record must
//! be rated without a script error, every rating on its scale and every cited path in the record.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rubrica::{CompiledRubric, Engine, Observation, RubricSource};
use std::path::Path;
use std::sync::OnceLock;

/// Every rubric folder that compiles, loaded once at start (the set grows as rubrics are added).
fn rubrics() -> &'static (Engine, Vec<CompiledRubric>) {
    static R: OnceLock<(Engine, Vec<CompiledRubric>)> = OnceLock::new();
    R.get_or_init(|| {
        let engine = Engine::default();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../rubrics");
        let mut dirs: Vec<_> = std::fs::read_dir(&dir)
            .map(|rd| {
                rd.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.join("rubric.json").is_file())
                    .collect()
            })
            .unwrap_or_default();
        dirs.sort();
        let compiled: Vec<CompiledRubric> = dirs
            .iter()
            .filter_map(|d| RubricSource::load(d).ok())
            .filter_map(|s| engine.compile(&s).ok())
            .collect();
        assert!(!compiled.is_empty(), "no rubric under rubrics/ compiled");
        (engine, compiled)
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(parsed) = Observation::parse_bytes(data) else {
        return;
    };
    let (engine, rubrics) = rubrics();
    let record = parsed.observation.to_json();
    for rubric in rubrics {
        match engine.evaluate(rubric, &parsed.observation) {
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
