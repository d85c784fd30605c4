//! The JSON Schemas of the record formats (docs/observation.schema.json, and for the reflection
//! records docs/ta-reflection.schema.json and docs/family-partnership.schema.json, chosen by each
//! record's format tag) agree with the engine, in both directions: same fields in every object,
//! and for every record of the malformed corpus, the examples, the fixtures and generated
//! records, the schema accepts it exactly when the engine does. The rules the schema cannot
//! express are listed here, file by file, and in docs/record-format.md under "Checked by the
//! engine only".

use rubrica::{Engine, Record, RubricSource, RECORD_FIELDS, REFLECTION_FIELDS};
use rubrica_tests::root;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn schema() -> Value {
    schema_file("observation.schema.json")
}

/// A schema of docs/ by its file name.
fn schema_file(name: &str) -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(root().join("docs").join(name)).expect("schema exists"),
    )
    .expect("schema is json")
}

/// The schemas of the reflection records, by format tag.
const REFLECTION_SCHEMAS: [(&str, &str); 2] = [
    ("rubrica.ta-reflection/1", "ta-reflection.schema.json"),
    (
        "rubrica.family-partnership/1",
        "family-partnership.schema.json",
    ),
];

/// The schema a record file is checked against: its kind's by the format tag it carries, the
/// observation schema for any other tag (or none).
fn schema_for<'v>(
    bytes: &[u8],
    observation: &'v jsonschema::Validator,
    reflections: &'v [(&str, jsonschema::Validator)],
) -> &'v jsonschema::Validator {
    let format = serde_json::from_slice::<Value>(bytes)
        .ok()
        .and_then(|v| v.get("format").and_then(Value::as_str).map(str::to_string));
    reflections
        .iter()
        .find(|(tag, _)| format.as_deref() == Some(*tag))
        .map_or(observation, |(_, v)| v)
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
        // An optional object (`place`) is `oneOf` the object and `null`.
        if let Some(options) = node.get("oneOf").and_then(Value::as_array) {
            node = options
                .iter()
                .find(|o| o.get("properties").is_some())
                .unwrap_or(node);
        }
    }
    node
}

#[test]
fn reflection_schemas_fields_match_the_engine() {
    for (tag, file) in REFLECTION_SCHEMAS {
        let schema = schema_file(file);
        assert_eq!(schema["properties"]["format"]["const"], tag, "{file}");
        for (location, fields) in REFLECTION_FIELDS {
            let node = object_at(&schema, location);
            let mut in_schema: Vec<&str> = node["properties"]
                .as_object()
                .unwrap_or_else(|| panic!("{file}: no properties at `{location}`"))
                .keys()
                .map(String::as_str)
                .collect();
            let mut in_engine: Vec<&str> = fields.to_vec();
            in_schema.sort();
            in_engine.sort();
            assert_eq!(
                in_schema, in_engine,
                "{file}: fields differ at `{location}`"
            );
            assert_eq!(
                node["additionalProperties"],
                Value::Bool(false),
                "{file}: `{location}` must reject unknown fields like the engine"
            );
        }
    }
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

/// A rule of the record format that the schema cannot state; each has a line in the "Checked by
/// the engine only" section of docs/record-format.md, starting with its name in bold.
const ENGINE_ONLY_RULES: [&str; 9] = [
    "Unique ids",
    "Caregivers that exist",
    "Months with the primary caregiver",
    "Headcounts within the group",
    "Real dates",
    "Ids in one form",
    "Size of the file",
    "Nesting depth",
    "Item values per rubric",
];

/// Every record the engine rejects and the schema accepts, with the rule that rejects it.
/// A record missing from this list, or listed while both agree, fails the test.
const ENGINE_ONLY: &[(&str, &str)] = &[
    ("malformed/caregiver-typo.json", "Caregivers that exist"),
    ("malformed/deeply-nested.json", "Nesting depth"),
    ("malformed/nesting-129-levels.json", "Nesting depth"),
    ("malformed/duplicate-caregiver-ids.json", "Unique ids"),
    ("malformed/duplicate-child-ids.json", "Unique ids"),
    ("malformed/family-duplicate-goal-id.json", "Unique ids"),
    (
        "malformed/headcount-more-children.json",
        "Headcounts within the group",
    ),
    ("malformed/impossible-date.json", "Real dates"),
    (
        "malformed/months-with-primary-past-age.json",
        "Months with the primary caregiver",
    ),
    (
        "malformed/months-without-primary.json",
        "Months with the primary caregiver",
    ),
    ("malformed/unknown-caregiver.json", "Caregivers that exist"),
    (
        "malformed/item-value-not-allowed.json",
        "Item values per rubric",
    ),
    ("malformed/id-child-not-nfc.json", "Ids in one form"),
    (
        "malformed/id-children-nfc-and-nfd-twins.json",
        "Ids in one form",
    ),
    (
        "malformed/id-primary-caregiver-not-nfc.json",
        "Ids in one form",
    ),
];

/// Records the schema rejects and the engine accepts. None: the schema is never stricter.
const SCHEMA_ONLY: &[(&str, &str)] = &[];

/// What the engine says of a record file: accepted, or rejected with these codes. A rubric
/// named in tests/malformed/expected.json (`evaluate_with`) rates it too, as `rubrica score`
/// would; warnings do not reject.
fn engine_verdict(bytes: &[u8], evaluate_with: Option<&str>) -> Result<(), Vec<String>> {
    let codes = |d: &rubrica::Diagnostics| -> Vec<String> {
        d.0.iter()
            .filter(|d| d.is_error())
            .map(|d| d.code.as_str().to_string())
            .collect()
    };
    let parsed = Record::parse_bytes(bytes).map_err(|d| codes(&d))?;
    if let Some(id) = evaluate_with {
        let engine = Engine::default();
        let source = RubricSource::load(&root().join("rubrics").join(id)).expect("rubric loads");
        let rubric = engine.compile(&source).expect("shipped rubric compiles");
        engine
            .evaluate(&rubric, parsed.record.as_ref())
            .map_err(|d| codes(&d))?;
    }
    Ok(())
}

/// What the schema says: accepted, or the first few of its complaints. Bytes that are not JSON
/// are rejected by both before any schema applies.
fn schema_verdict(validator: &jsonschema::Validator, bytes: &[u8]) -> Result<(), Vec<String>> {
    let text = std::str::from_utf8(bytes).map_err(|_| vec!["not UTF-8".to_string()])?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // The record format allows nesting to 128 levels, past serde_json's default limit; the
    // corpus files are small, so reading them without that limit is safe.
    let mut de = serde_json::Deserializer::from_str(text);
    de.disable_recursion_limit();
    let mut values = de.into_iter::<Value>();
    let value = match (values.next(), values.next()) {
        (Some(Ok(v)), None) => v,
        (Some(Err(e)), _) => return Err(vec![format!("not JSON: {e}")]),
        _ => return Err(vec!["not one JSON value".to_string()]),
    };
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .take(5)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        // The corpus's manifest and its copy for the browser suite are not records.
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n != "expected.json" && n != "corpus.json")
        })
        .collect();
    files.sort();
    files
}

/// The rubric each malformed record is rated with, from tests/malformed/expected.json.
fn evaluate_with(file: &str) -> Option<String> {
    let text = std::fs::read_to_string(root().join("tests/malformed/expected.json"))
        .expect("tests/malformed/expected.json");
    let manifest: Value = serde_json::from_str(&text).expect("expected.json is JSON");
    manifest[file]["evaluate_with"].as_str().map(str::to_string)
}

#[test]
fn schema_and_engine_agree_on_every_record_both_ways() {
    let validator = jsonschema::validator_for(&schema()).expect("schema compiles");
    let reflections: Vec<(&str, jsonschema::Validator)> = REFLECTION_SCHEMAS
        .iter()
        .map(|(tag, file)| {
            let v = jsonschema::validator_for(&schema_file(file)).expect("schema compiles");
            (*tag, v)
        })
        .collect();
    let tests = root().join("tests");
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    for (label, dir) in [
        ("malformed", tests.join("malformed")),
        ("fixtures", tests.join("fixtures/records")),
        ("examples", root().join("examples")),
    ] {
        let found = json_files(&dir);
        assert!(!found.is_empty(), "no records in {}", dir.display());
        for p in found {
            let name = p.file_name().expect("file name").to_string_lossy();
            files.push((format!("{label}/{name}"), p));
        }
    }
    let mut problems = Vec::new();
    let (mut accepted, mut rejected, mut engine_only, mut schema_only) = (0, 0, 0, 0);
    for (name, path) in &files {
        let bytes = std::fs::read(path).expect("record file");
        let rubric = name.strip_prefix("malformed/").and_then(evaluate_with);
        let engine = engine_verdict(&bytes, rubric.as_deref());
        let schema = schema_verdict(schema_for(&bytes, &validator, &reflections), &bytes);
        let listed_engine = ENGINE_ONLY.iter().find(|(f, _)| f == name);
        let listed_schema = SCHEMA_ONLY.iter().find(|(f, _)| f == name);
        match (&engine, &schema) {
            (Ok(()), Ok(())) => accepted += 1,
            (Err(_), Err(_)) => rejected += 1,
            (Err(codes), Ok(())) => {
                engine_only += 1;
                if listed_engine.is_none() {
                    problems.push(format!(
                        "{name}: the engine rejects it ({codes:?}) but the schema accepts it; \
                         tighten the schema or list it in ENGINE_ONLY with its rule"
                    ));
                }
            }
            (Ok(()), Err(why)) => {
                schema_only += 1;
                if listed_schema.is_none() {
                    problems.push(format!(
                        "{name}: the schema rejects it ({why:?}) but the engine accepts it"
                    ));
                }
            }
        }
        let disagree = engine.is_ok() != schema.is_ok();
        if !disagree && (listed_engine.is_some() || listed_schema.is_some()) {
            problems.push(format!(
                "{name}: listed as a disagreement, but schema and engine agree; remove it from the list"
            ));
        }
    }
    for (file, rule) in ENGINE_ONLY.iter().chain(SCHEMA_ONLY) {
        if !files.iter().any(|(n, _)| n == file) {
            problems.push(format!("{file}: listed, but there is no such record"));
        }
        if !ENGINE_ONLY_RULES.contains(rule) {
            problems.push(format!(
                "{file}: `{rule}` is not a rule of ENGINE_ONLY_RULES"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The corpus holds both kinds, and the counts add up to every file.
    assert!(
        accepted >= 3 && rejected >= 40,
        "{accepted} accepted, {rejected} rejected"
    );
    assert_eq!(engine_only, ENGINE_ONLY.len());
    assert_eq!(schema_only, SCHEMA_ONLY.len());
    assert_eq!(accepted + rejected + engine_only + schema_only, files.len());
}

#[test]
fn every_rule_checked_by_the_engine_only_is_documented() {
    let doc = std::fs::read_to_string(root().join("docs/record-format.md")).expect("doc");
    let section = doc
        .split("\n## Checked by the engine only\n")
        .nth(1)
        .expect("docs/record-format.md has a `## Checked by the engine only` section");
    let section = section.split("\n## ").next().unwrap_or(section);
    for rule in ENGINE_ONLY_RULES {
        assert!(
            section.contains(&format!("**{rule}**")),
            "the doc section does not explain **{rule}**"
        );
        assert!(
            ENGINE_ONLY.iter().any(|(_, r)| *r == rule) || rule == "Size of the file",
            "`{rule}` has no record in the corpus that shows it"
        );
    }
}

#[test]
fn the_validator_rejects_a_bad_fixture_the_engine_rejects() {
    // The pair used by the error snapshots, in both tools.
    let validator = jsonschema::validator_for(&schema()).expect("schema compiles");
    let bad = std::fs::read(root().join("tests/fixtures/records/center-infants_bad.json"))
        .expect("fixture");
    assert!(schema_verdict(&validator, &bad).is_err());
    assert!(engine_verdict(&bad, None).is_err());
    let good = std::fs::read(root().join("examples/center-infants.json")).expect("example");
    assert_eq!(schema_verdict(&validator, &good), Ok(()));
    assert_eq!(engine_verdict(&good, None), Ok(()));
}
