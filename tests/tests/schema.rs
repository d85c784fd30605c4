//! The JSON Schema of the record format (docs/observation.schema.json) agrees with the engine:
//! same fields in every object, and a real validator accepts the examples and rejects what the
//! engine rejects for shape.

use rubrica::{Observation, RECORD_FIELDS};
use rubrica_tests::root;
use serde_json::Value;

fn schema() -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(root().join("docs/observation.schema.json"))
            .expect("schema exists"),
    )
    .expect("schema is json")
}

/// The schema object describing the record object at `location` (`*` = any index or key).
fn object_at<'a>(schema: &'a Value, location: &str) -> &'a Value {
    let mut node = schema;
    for seg in location.split('/').skip(1) {
        node = if seg == "*" {
            node.get("items")
                .or_else(|| node.get("additionalProperties"))
                .expect("list or map schema")
        } else {
            &node["properties"][seg]
        };
    }
    node
}

#[test]
fn schema_fields_match_the_engine() {
    let schema = schema();
    for (location, fields) in RECORD_FIELDS {
        let node = object_at(&schema, location);
        let mut in_schema: Vec<&str> = node["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("no properties at `{location}`"))
            .keys()
            .map(String::as_str)
            .collect();
        let mut in_engine: Vec<&str> = fields.to_vec();
        in_schema.sort();
        in_engine.sort();
        assert_eq!(in_schema, in_engine, "fields differ at `{location}`");
        assert_eq!(
            node["additionalProperties"],
            Value::Bool(false),
            "`{location}` must reject unknown fields like the engine"
        );
    }
}

#[test]
fn the_validator_accepts_the_examples_and_rejects_bad_shapes() {
    let validator = jsonschema::validator_for(&schema()).expect("schema compiles");
    for example in [
        "center-infants",
        "center-toddlers-mixed",
        "family-child-care",
    ] {
        let record: Value = serde_json::from_str(
            &std::fs::read_to_string(root().join(format!("examples/{example}.json")))
                .expect("example"),
        )
        .expect("json");
        let errors: Vec<String> = validator
            .iter_errors(&record)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{example}: {errors:?}");
        assert!(Observation::from_value(&record).is_ok());
    }
    let bad: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/fixtures/records/center-infants_bad.json"))
            .expect("fixture"),
    )
    .expect("json");
    assert!(!validator.is_valid(&bad));
    assert!(Observation::from_value(&bad).is_err());
}
