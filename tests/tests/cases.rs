//! Every rubric's self-test cases pass, and every case's full result is snapshotted.

use rubrica::{load_rubric_dir, Case, Engine, RubricFolder};
use rubrica_tests::{render_result, root, shipped_rubrics};

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
    // The observation rubrics are the six practices; the others rate other kinds of record.
    let mut practices: Vec<String> = folders
        .iter()
        .map(|f| engine.compile(&f.source).expect("compiles").meta().clone())
        .filter(|m| m.record_kind() == rubrica::RecordKind::Observation)
        .map(|m| m.practice)
        .collect();
    practices.sort();
    let mut want: Vec<String> = rubrica::PRACTICES.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(practices, want);
}

#[test]
fn evaluation_is_deterministic_and_cites_real_paths() {
    let engine = Engine::default();
    let rubrics = shipped_rubrics(&engine);
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

/// Every case's result, with its rubric's metadata and the case record.
fn all_results() -> Vec<(
    String,
    rubrica::RubricMeta,
    rubrica::Record,
    rubrica::RubricResult,
)> {
    let engine = Engine::default();
    let folders = load_rubric_dir(&root().join("rubrics")).expect("rubrics load");
    let mut out = Vec::new();
    for folder in &folders {
        let rubric = engine.compile(&folder.source).expect("compiles");
        for (name, path, text) in &folder.cases {
            let file = path.display().to_string();
            let case = Case::parse(text, &file).expect("case parses");
            let load = RubricFolder::loader(path);
            let obs = case.record(&file, &load).expect("case record is valid");
            let result = engine.evaluate(&rubric, &obs).expect("case scores");
            out.push((
                format!("{}/{name}", rubric.meta().id),
                rubric.meta().clone(),
                obs,
                result,
            ));
        }
    }
    out
}

/// The `cited as` column of the first table in docs/sources.md.
fn sources_in_docs() -> Vec<String> {
    let text = std::fs::read_to_string(root().join("docs/sources.md")).expect("docs/sources.md");
    let table = text
        .split("## Published sources")
        .nth(1)
        .and_then(|t| t.split("\n## ").next())
        .expect("a `## Published sources` section");
    table
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .map(str::to_string)
        .collect()
}

/// Every `(source: …)` cited in a text.
fn cited(text: &str) -> Vec<String> {
    text.split("source: ")
        .skip(1)
        .map(|rest| rest.split(')').next().unwrap_or(rest).to_string())
        .collect()
}

#[test]
fn every_source_a_note_cites_is_a_row_of_docs_sources() {
    let listed = sources_in_docs();
    let mut in_tables: Vec<String> = rubrica::SOURCES
        .iter()
        .map(|s| s.cited_as.to_string())
        .collect();
    let mut docs_sorted = listed.clone();
    docs_sorted.sort();
    in_tables.sort();
    assert_eq!(
        docs_sorted, in_tables,
        "docs/sources.md and engine/src/tables.rs list different sources"
    );
    let mut citations = 0;
    for (case, _, _, result) in all_results() {
        for i in &result.indicators {
            let note = i.note.as_deref().unwrap_or("");
            let sources = cited(note);
            if i.level.is_some()
                && ["group-size", "ratio-throughout", "caseload-fits-age"].contains(&i.id.as_str())
            {
                assert!(
                    !sources.is_empty(),
                    "{case}/{}: the note cites no source: {note}",
                    i.id
                );
            }
            for source in sources {
                citations += 1;
                assert!(
                    listed.contains(&source),
                    "{case}/{}: cites `{source}`, which docs/sources.md does not list",
                    i.id
                );
            }
        }
    }
    assert!(citations > 0, "no note cites a source");
}

fn numbers_after(text: &str, marker: &str) -> Option<(i64, i64)> {
    // "met at 3 of 4 headcounts" → (3, 4)
    let rest = text.split(marker).nth(1)?;
    let mut words = rest.split_whitespace();
    let a = words.next()?.parse().ok()?;
    let _of = words.next()?;
    let b = words.next()?.trim_end_matches([',', ';']).parse().ok()?;
    Some((a, b))
}

#[test]
fn strengths_are_true_of_their_level_and_evidence() {
    let mut checked = 0;
    for (case, meta, _, result) in all_results() {
        for s in &result.strengths {
            let ind = meta
                .indicators
                .iter()
                .find(|i| i.id == s.indicator)
                .expect("a strength names an indicator");
            assert!(s.level >= meta.scale.strength_from, "{case}: {s:?}");
            assert_eq!(s.text, ind.strength_at(s.level), "{case}: {}", s.indicator);
            // Below the top level, a strength may not claim what only the top level shows.
            if s.level < meta.scale.max() {
                for claim in [
                    "every child",
                    "Every child",
                    "of every",
                    "Each child has",
                    "at every headcount, including",
                ] {
                    assert!(
                        !s.text.contains(claim),
                        "{case}: `{}` at level {} claims `{claim}`: {}",
                        s.indicator,
                        s.level,
                        s.text
                    );
                }
            }
            let note = s.note.clone().unwrap_or_default();
            let holds = match s.indicator.as_str() {
                "group-size" => note.contains(": within the recommendation"),
                "ratio-throughout" => {
                    numbers_after(&note, " met at ").is_some_and(|(met, all)| met == all)
                }
                "caseload-fits-age" => note.contains("every caseload fits"),
                "every-child-assigned" => {
                    (note.starts_with("all ") || note.starts_with("the 1 child"))
                        && !note.contains("none assigned")
                }
                "months-together" => {
                    note.starts_with("all ") || note.starts_with("the 1 child") || {
                        let w: Vec<i64> = note
                            .split_whitespace()
                            .take(3)
                            .filter_map(|x| x.parse().ok())
                            .collect();
                        matches!(w.as_slice(), [together, known] if together * 100 >= known * 75)
                    }
                }
                _ => true,
            };
            if matches!(
                s.indicator.as_str(),
                "group-size"
                    | "ratio-throughout"
                    | "caseload-fits-age"
                    | "every-child-assigned"
                    | "months-together"
            ) {
                checked += 1;
            }
            assert!(
                holds,
                "{case}: `{}` is shown as a strength ({}), but its note says otherwise: {note}",
                s.indicator, s.text
            );
        }
        for g in &result.growth_areas {
            let note = g.note.clone().unwrap_or_default();
            assert!(
                !(g.indicator == "group-size" && note.contains(": within the recommendation")),
                "{case}: a group within the recommendation is a growth area: {note}"
            );
        }
    }
    assert!(
        checked >= 20,
        "only {checked} strengths checked against their notes"
    );
}

#[test]
fn coach_text_has_no_internal_ids_or_broken_plurals() {
    for (case, _, _, result) in all_results() {
        let texts = result
            .indicators
            .iter()
            .filter_map(|i| i.note.clone().or_else(|| i.reason.clone()));
        for t in texts {
            for id in [
                "young-infant",
                "mobile-infant",
                "older-infant",
                "mixed-ages",
                "neighbouring-ranges",
                "small-home",
                "large-home",
            ] {
                assert!(
                    !t.contains(id),
                    "{case}: internal id `{id}` in coach text: {t}"
                );
            }
            for bad in [
                "(s)",
                "(ren)",
                " 1 children",
                "all 1 children",
                " 1 moments",
                " 1 headcounts",
                " 1 caregivers",
            ] {
                assert!(!t.contains(bad), "{case}: `{bad}` in coach text: {t}");
            }
        }
    }
}

#[test]
fn focused_questions_are_few_growth_areas_first_and_never_about_what_does_not_apply() {
    for (case, meta, obs, result) in all_results() {
        assert!(
            result.focused_questions.len() <= rubrica::FOCUSED_QUESTIONS,
            "{case}"
        );
        for q in &result.focused_questions {
            assert!(
                result.reflective_questions.contains(q),
                "{case}: {q:?} not in the full list"
            );
        }
        // Growth areas' questions come before any other.
        let growth: Vec<&str> = result
            .growth_areas
            .iter()
            .map(|g| g.indicator.as_str())
            .collect();
        if let Some(first) = result.focused_questions.first() {
            if !growth.is_empty() {
                assert!(
                    first
                        .indicator
                        .as_deref()
                        .is_some_and(|i| growth.contains(&i)),
                    "{case}: the first focused question is not about a growth area"
                );
            }
        }
        let not_applicable: Vec<&str> = result
            .indicators
            .iter()
            .filter(|i| i.outcome == "not-applicable")
            .map(|i| i.id.as_str())
            .collect();
        for q in &result.reflective_questions {
            assert!(
                !q.indicator
                    .as_deref()
                    .is_some_and(|i| not_applicable.contains(&i)),
                "{case}: asks about `{:?}`, which does not apply",
                q.indicator
            );
        }
        let ifsp = match &obs {
            rubrica::Record::Observation(o) => o.children.iter().any(|c| c.ifsp),
            rubrica::Record::Reflection(_) => false,
        };
        if !ifsp {
            for i in &meta.indicators {
                if i.applies_when == Some(rubrica::AppliesWhen::AChildHasAnIfsp) {
                    assert!(
                        not_applicable.contains(&i.id.as_str()),
                        "{case}: {} applies without a child with an IFSP",
                        i.id
                    );
                }
            }
        }
        // "Not applicable" never enters the score or the coverage.
        assert_eq!(
            result.coverage.total + result.coverage.not_applicable,
            meta.indicators.len(),
            "{case}"
        );
    }
}

#[test]
fn a_minimal_record_asks_at_most_five_questions_per_practice() {
    let engine = Engine::default();
    let rubrics = shipped_rubrics(&engine);
    let minimal = r#"{"format": "rubrica.observation/1", "id": "min", "setting": "center",
        "observed_on": "2026-03-14", "minutes": 60,
        "caregivers": [{"id": "cg-a"}], "children": [{"id": "c1", "age_months": 5}]}"#;
    let parsed = rubrica::Observation::parse(minimal).expect("minimal record parses");
    let report = engine.report(&rubrics, &parsed);
    let text = report.to_text();
    let mut practices = 0;
    for entry in &report.practices {
        let rubrica::PracticeEntry::Success { result } = entry else {
            panic!("a practice failed on a minimal record: {entry:?}");
        };
        practices += 1;
        assert!(result.focused_questions.len() <= 5, "{}", result.rubric.id);
        assert!(
            result.reflective_questions.len() > result.focused_questions.len()
                || result.reflective_questions.len() <= 5
        );
    }
    assert_eq!(practices, 6);
    let questions: Vec<&str> = text
        .split("\nReflective questions")
        .nth(1)
        .and_then(|t| t.split("\n\n").next())
        .map(|t| t.lines().filter(|l| l.starts_with("  ? ")).collect())
        .unwrap_or_default();
    assert!(
        questions.len() <= 30 && questions.len() >= 6,
        "the minimal report asks {} questions:\n{text}",
        questions.len()
    );
    for q in questions {
        assert!(
            !q.contains("IFSP"),
            "no child has an IFSP, yet the report asks: {q}"
        );
    }
}

#[test]
fn record_warnings_open_the_text_report_and_counts_read_well() {
    let engine = Engine::default();
    let rubrics = shipped_rubrics(&engine);
    let record = r#"{"format": "rubrica.observation/1", "id": "w", "setting": "center",
        "observed_on": "2026-03-14", "minutes": 60, "caregivers": [{"id": "cg-a"}],
        "children": [{"id": "c1", "age_months": 40, "primary_caregiver": "cg-a"}],
        "headcounts": [{"at": "09:00", "children": 1, "caregivers": 1}]}"#;
    let parsed = rubrica::Observation::parse(record).expect("valid");
    let text = engine.report(&rubrics, &parsed).to_text();
    let warning = text
        .find("R0150")
        .expect("the past-36-months warning is shown");
    let overview = text.find("\nOverview\n").expect("overview");
    assert!(
        warning < overview,
        "the warning comes after the overview:\n{text}"
    );
    for bad in [
        "all 1 children",
        " 1 children",
        "1 moments",
        "(s)",
        "none rated yet",
    ] {
        assert!(!text.contains(bad), "`{bad}` in the report:\n{text}");
    }
}

#[test]
fn a_case_can_pin_a_note_and_the_evidence() {
    let engine = Engine::default();
    let folder = load_rubric_dir(&root().join("rubrics"))
        .expect("rubrics load")
        .into_iter()
        .find(|f| f.source.script_file.contains("small-groups"))
        .expect("small-groups");
    let rubric = engine.compile(&folder.source).expect("compiles");
    let (name, path, text) = folder
        .cases
        .iter()
        .find(|(n, _, _)| n == "center-infants")
        .expect("the center-infants case");
    let file = path.display().to_string();
    let run = |case: &Case| case.run(name, &file, &engine, &rubric, &RubricFolder::loader(path));
    let mut case = Case::parse(text, &file).expect("parses");
    let result = run(&case).result.expect("scores");
    let own = result
        .indicators
        .iter()
        .find(|i| i.id == "group-size")
        .expect("group-size");
    let note = own.note.clone().expect("group-size explains its rating");
    case.notes.insert("group-size".into(), note);
    case.evidence
        .insert("group-size".into(), own.evidence.clone());
    assert!(run(&case).passed, "the note and evidence as they are");

    let mut wrong = case.clone();
    wrong
        .notes
        .insert("group-size".into(), "another note".into());
    wrong
        .evidence
        .insert("group-size".into(), vec!["/children".into()]);
    let codes: Vec<String> = run(&wrong)
        .problems
        .iter()
        .map(|p| p.code.as_str().to_string())
        .collect();
    assert_eq!(codes, ["R0211", "R0211"]);

    let mut unknown = case;
    unknown.notes.insert("group-siez".into(), "x".into());
    let outcome = run(&unknown);
    assert!(!outcome.passed);
    assert_eq!(outcome.problems[0].code.as_str(), "R0210");
}
