//! Any bytes as a rubric: `meta \0 script`, or a script alone under the hostile test rubric's
//! metadata. Compiling (and, when it compiles, rating an example record) must end in a result or
//! in diagnostics, never a panic or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rubrica::{Engine, Observation, RubricSource};
use std::sync::OnceLock;

const META: &str = include_str!("../../tests/hostile/rubric.json");
const RECORD: &str = include_str!("../../examples/center-infants.json");

fn fixtures() -> &'static (Engine, Observation) {
    static F: OnceLock<(Engine, Observation)> = OnceLock::new();
    F.get_or_init(|| {
        let mut v: serde_json::Value = serde_json::from_str(RECORD).expect("example is JSON");
        v["items"]["hostile"] =
            serde_json::json!({"own-space": {"value": "yes", "method": "observed"}});
        let obs = Observation::from_value(&v)
            .expect("example is valid")
            .observation;
        (Engine::default(), obs)
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (meta, script) = match text.split_once('\0') {
        Some((m, s)) => (m.to_string(), s.to_string()),
        None => (META.to_string(), text.to_string()),
    };
    let (engine, record) = fixtures();
    let source = RubricSource {
        meta_file: "rubric.json".into(),
        meta,
        script_file: "rubric.rhai".into(),
        script,
    };
    match engine.compile(&source) {
        Ok(rubric) => match engine.evaluate(&rubric, record) {
            Ok(result) => {
                for ind in &result.indicators {
                    if let Some(level) = ind.level {
                        assert!(
                            rubric.meta().scale.level(level).is_some(),
                            "rating off scale accepted"
                        );
                    }
                }
            }
            Err(d) => assert!(!d.0.is_empty()),
        },
        Err(d) => assert!(!d.0.is_empty()),
    }
});
