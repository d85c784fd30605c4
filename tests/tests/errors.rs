//! What people see when a record or a rubric is wrong: snapshots of rendered diagnostics, and
//! the codes and locations behind them.

use rubrica::{Code, Diagnostics, Engine, Observation, RubricSource};
use rubrica_tests::{render_diagnostics, root};

fn fixture(path: &str) -> String {
    std::fs::read_to_string(root().join("tests/fixtures").join(path)).expect("fixture exists")
}

fn rubric(name: &str) -> RubricSource {
    RubricSource::load(&root().join("tests/fixtures/rubrics").join(name))
        .expect("fixture rubric loads")
}

fn example() -> Observation {
    Observation::parse(
        &std::fs::read_to_string(root().join("examples/center-infants.json")).expect("example"),
    )
    .expect("parses")
    .observation
}

#[test]
fn a_bad_record_reports_every_problem_with_its_path() {
    let text = fixture("records/center-infants_bad.json");
    let Err(Diagnostics(ds)) = Observation::parse(&text) else {
        panic!("the bad record parsed");
    };
    let paths: Vec<&str> = ds
        .iter()
        .filter_map(|d| d.location.path.as_deref())
        .collect();
    for want in [
        "/setting",
        "/observed_on",
        "/caregivers/1/id",
        "/children/0/age_months",
        "/children/1/age_month",
        "/children/1/age_months",
        "/children/1/primary_caregiver",
        "/children/2/months_with_primary",
        "/children/3/age_months",
        "/headcounts/0/at",
        "/headcounts/0/children",
        "/items/small-groups/own-space/value",
        "/items/small-groups/own-space/method",
    ] {
        assert!(
            paths.contains(&want),
            "no problem reported at `{want}`; got {paths:?}"
        );
    }
    insta::assert_snapshot!(render_diagnostics(&ds, None));
}

#[test]
fn truncated_json_points_at_the_end() {
    let Err(Diagnostics(ds)) = Observation::parse(&fixture("records/truncated.json")) else {
        panic!("truncated record parsed");
    };
    assert_eq!(ds.len(), 1);
    assert_eq!(ds[0].code, Code::JsonSyntax);
    assert_eq!(ds[0].location.line, Some(6));
    insta::assert_snapshot!(render_diagnostics(
        &ds,
        Some(&fixture("records/truncated.json"))
    ));
}

#[test]
fn a_script_syntax_error_has_line_and_column() {
    let src = rubric("syntax-error");
    let Err(Diagnostics(ds)) = Engine::default().compile(&src) else {
        panic!("compiled");
    };
    assert_eq!(ds[0].code, Code::ScriptSyntax);
    assert_eq!(ds[0].location.line, Some(4));
    insta::assert_snapshot!(render_diagnostics(&ds, Some(&src.script)));
}

#[test]
fn an_indicator_without_a_function_is_named() {
    let src = rubric("missing-function");
    let Err(Diagnostics(ds)) = Engine::default().compile(&src) else {
        panic!("compiled");
    };
    assert!(ds.iter().any(|d| d.code == Code::MissingIndicatorFunction
        && d.location.path.as_deref() == Some("/indicators/1/id")));
    insta::assert_snapshot!(render_diagnostics(&ds, None));
}

#[test]
fn a_metadata_typo_has_line_and_column() {
    let src = rubric("bad-meta");
    let Err(Diagnostics(ds)) = Engine::default().compile(&src) else {
        panic!("compiled");
    };
    assert_eq!(ds[0].code, Code::RubricMetadata);
    assert!(ds[0].location.line.is_some() && ds[0].message.contains("strenght"));
    insta::assert_snapshot!(render_diagnostics(&ds, Some(&src.meta)));
}

#[test]
fn a_runtime_error_points_into_the_script() {
    let engine = Engine::default();
    let src = rubric("runtime-error");
    let compiled = engine.compile(&src).expect("compiles");
    let Err(Diagnostics(ds)) = engine.evaluate(&compiled, &example()) else {
        panic!("evaluated");
    };
    assert_eq!(ds[0].code, Code::UnknownProperty);
    assert_eq!(
        (ds[0].location.line, ds[0].location.column),
        (Some(4), Some(15))
    );
    insta::assert_snapshot!(render_diagnostics(&ds, Some(&src.script)));
}

#[test]
fn wrong_return_shapes_are_reported_per_indicator() {
    let engine = Engine::default();
    let compiled = engine.compile(&rubric("bad-return")).expect("compiles");
    let Err(Diagnostics(ds)) = engine.evaluate(&compiled, &example()) else {
        panic!("evaluated");
    };
    let codes: Vec<Code> = ds.iter().map(|d| d.code).collect();
    assert_eq!(codes, vec![Code::WrongReturnShape, Code::RatingOffScale]);
    insta::assert_snapshot!(render_diagnostics(&ds, None));
}

#[test]
fn a_good_fixture_rubric_rates_the_example() {
    let engine = Engine::default();
    let compiled = engine.compile(&rubric("good")).expect("compiles");
    let result = engine.evaluate(&compiled, &example()).expect("evaluates");
    let levels: Vec<Option<i64>> = result.indicators.iter().map(|i| i.level).collect();
    // The example files its items under the six practices, not under `tiny`.
    assert_eq!(levels, vec![Some(3), None]);
    assert_eq!(result.indicators[0].evidence, vec!["/children".to_string()]);
    assert_eq!(
        result.indicators[1].reason.as_deref(),
        Some("own space was not recorded")
    );
}
