//! rubrics/README.md documents every field of `rubric.json` and of a case file: its tables are
//! compared with the fields the engine's own parsers accept, so the guide cannot drift.

use rubrica_tests::root;
use std::collections::BTreeSet;

/// The fields a parser accepts, as serde names them when it refuses an unknown one.
fn accepted(parse: impl Fn(&str) -> Result<(), serde_json::Error>) -> BTreeSet<String> {
    let err = parse(r#"{"not-a-field": 0}"#).expect_err("refused");
    let msg = err.to_string();
    let list = msg
        .split("expected one of ")
        .nth(1)
        .or_else(|| msg.split("expected ").nth(1))
        .unwrap_or_else(|| panic!("no field list in `{msg}`"));
    let list = list.split(" at line ").next().unwrap_or_default();
    // serde writes "`a`, `b`, `c`", or "`a` or `b`" for two.
    list.split(", ")
        .flat_map(|f| f.split(" or "))
        .map(|f| f.trim_matches('`').to_string())
        .collect()
}

/// The field names in the first column of the table under `heading` in the README.
fn documented(readme: &str, heading: &str) -> BTreeSet<String> {
    readme
        .lines()
        .skip_while(|l| l.trim() != heading)
        .skip(1)
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .filter_map(|l| l.split('|').nth(1))
        .map(|cell| cell.trim().trim_matches('`').to_string())
        .collect()
}

#[test]
fn every_field_the_parsers_accept_is_documented_and_no_other() {
    let readme = std::fs::read_to_string(root().join("rubrics/README.md")).expect("README");
    for (heading, fields) in [
        (
            "### Top level",
            accepted(|t| serde_json::from_str::<rubrica::RubricMeta>(t).map(|_| ())),
        ),
        (
            "### `scale`",
            accepted(|t| serde_json::from_str::<rubrica::Scale>(t).map(|_| ())),
        ),
        (
            "### `scale.levels[]`",
            accepted(|t| serde_json::from_str::<rubrica::Level>(t).map(|_| ())),
        ),
        (
            "### `indicators[]`",
            accepted(|t| serde_json::from_str::<rubrica::Indicator>(t).map(|_| ())),
        ),
        (
            "### `items[]`",
            accepted(|t| serde_json::from_str::<rubrica::ItemDef>(t).map(|_| ())),
        ),
        (
            "### `options[]` (of a choice item)",
            accepted(|t| serde_json::from_str::<rubrica::Choice>(t).map(|_| ())),
        ),
        (
            "## Cases (`cases/<name>.json`)",
            accepted(|t| serde_json::from_str::<rubrica::Case>(t).map(|_| ())),
        ),
    ] {
        assert!(fields.len() >= 2, "{heading}: {fields:?}");
        assert_eq!(
            documented(&readme, heading),
            fields,
            "the table under `{heading}`"
        );
    }
}

#[test]
fn allowed_values_come_from_the_engine() {
    let readme = std::fs::read_to_string(root().join("rubrics/README.md")).expect("README");
    let row = |heading: &str, field: &str| -> String {
        readme
            .lines()
            .skip_while(|l| l.trim() != heading)
            .find(|l| l.starts_with(&format!("| `{field}` |")))
            .unwrap_or_else(|| panic!("no row `{field}` under {heading}"))
            .to_string()
    };
    let practice = row("### Top level", "practice");
    for p in rubrica::PRACTICES {
        assert!(
            practice.contains(&format!("`{p}`")),
            "practice row lacks `{p}`"
        );
    }
    let applies = row("### `indicators[]`", "applies_when");
    for a in rubrica::AppliesWhen::ALL {
        assert!(
            applies.contains(&format!("\"{}\"", a.as_str())),
            "applies_when row lacks {a:?}"
        );
    }
    let types = row("### `items[]`", "type");
    // The item types as the parser names them when it refuses another one.
    let item_types =
        accepted(|_| serde_json::from_str::<rubrica::ItemType>("\"not-a-type\"").map(|_| ()));
    assert!(item_types.len() >= 5, "{item_types:?}");
    for t in &item_types {
        assert!(types.contains(&format!("\"{t}\"")), "type row lacks `{t}`");
    }
    for word in rubrica::YES_NO.iter().chain(rubrica::FREQUENCY.iter()) {
        assert!(
            readme.contains(&format!("`\"{word}\"`")),
            "item value `{word}` undocumented"
        );
    }
}
