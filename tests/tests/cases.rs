//! Every rubric's self-test cases pass, and every case's full result is snapshotted.

use rubrica::{load_rubric_dir, Case, Engine, RubricFolder};
use rubrica_tests::{render_result, root};

#[test]
fn every_case_passes_and_matches_its_snapshot() {
    let engine = Engine::default();
    let folders = load_rubric_dir(&root().join("rubrics")).expect("rubrics load");
    let mut failures = Vec::new();
    let mut count = 0;
    for folder in &folders {
        let rubric = engine
            .compile(&folder.source)
            .unwrap_or_else(|e| panic!("{} does not compile:\n{e}", folder.dir.display()));
        assert!(
            folder.cases.len() >= 5,
            "{} has {} cases; every rubric needs at least 5",
            rubric.meta().id,
            folder.cases.len()
        );
        for (name, path, text) in &folder.cases {
            count += 1;
            let file = path.display().to_string();
            let case = Case::parse(text, &file).unwrap_or_else(|e| panic!("{e}"));
            let outcome = case.run(name, &file, &engine, &rubric, &RubricFolder::loader(path));
            if !outcome.passed {
                failures.push(format!(
                    "{}/{name}: {}",
                    rubric.meta().id,
                    outcome
                        .problems
                        .iter()
                        .map(|p| p.headline())
                        .collect::<Vec<_>>()
                        .join("; ")
                ));
                continue;
            }
            let result = outcome.result.expect("a passing case has a result");
            let snapshot = format!("case: {}\n\n{}", case.description, render_result(&result));
            insta::assert_snapshot!(format!("{}__{name}", rubric.meta().id), snapshot);
        }
    }
    assert!(
        failures.is_empty(),
        "failing cases:\n{}",
        failures.join("\n")
    );
    assert!(
        count >= 30,
        "only {count} cases across the rubrics; at least 30 are expected"
    );
}

#[test]
fn the_six_practices_are_all_present() {
    let engine = Engine::default();
    let folders = load_rubric_dir(&root().join("rubrics")).expect("rubrics load");
    let mut practices: Vec<String> = folders
        .iter()
        .map(|f| {
            engine
                .compile(&f.source)
                .expect("compiles")
                .meta()
                .practice
                .clone()
        })
        .collect();
    practices.sort();
    let mut want: Vec<String> = rubrica::PRACTICES.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(practices, want);
}

#[test]
fn evaluation_is_deterministic_and_cites_real_paths() {
    let engine = Engine::default();
    let folders = load_rubric_dir(&root().join("rubrics")).expect("rubrics load");
    let rubrics: Vec<_> = folders
        .iter()
        .map(|f| engine.compile(&f.source).expect("compiles"))
        .collect();
    for example in [
        "center-infants",
        "center-toddlers-mixed",
        "family-child-care",
    ] {
        let text = std::fs::read_to_string(root().join(format!("examples/{example}.json")))
            .expect("example exists");
        let parsed = rubrica::Observation::parse(&text).expect("example parses");
        let a = serde_json::to_string(&engine.report(&rubrics, &parsed)).expect("serializes");
        let b = serde_json::to_string(&engine.report(&rubrics, &parsed)).expect("serializes");
        assert_eq!(a, b, "{example}: two runs differ");
        let record = parsed.observation.to_json();
        let report = engine.report(&rubrics, &parsed);
        for entry in &report.practices {
            let rubrica::PracticeEntry::Success { result } = entry else {
                panic!("{example}: a practice failed: {entry:?}");
            };
            for i in &result.indicators {
                for path in &i.evidence {
                    assert!(
                        record.pointer(path).is_some(),
                        "{example}: {}/{} cites `{path}` which is not in the record",
                        result.rubric.id,
                        i.id
                    );
                }
            }
        }
    }
}
