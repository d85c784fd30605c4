//! Everything the engine defines once, checked wherever a copy of it has to be written out by
//! hand: the diagnostic codes (docs/codes.md, the TypeScript declarations), the record's
//! choices and limits (the record's JSON Schema), the characters shown as escapes (the browser
//! app's copy, which must work before the engine has loaded, and the schema's id pattern), and
//! the helper names (rubrics/README.md). The browser app's form reads the record's choices from
//! the engine at run time, so it holds no list of them; that is checked here too.
//!
//! Each check names what differs and where to change it, and fails when a code, choice, limit or
//! character is added to the engine without its copy.

use rubrica::{Code, VOCABULARY};
use rubrica_tests::root;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn engine_codes() -> Vec<(String, String)> {
    Code::ALL
        .iter()
        .map(|c| (c.as_str().to_string(), c.name().to_string()))
        .collect()
}

/// `(code, name)` of every `## R0100 invalid-json` heading, in order.
fn documented_sections(doc: &str) -> Vec<(String, String)> {
    doc.lines()
        .filter_map(|l| l.strip_prefix("## R"))
        .map(|rest| {
            let (code, name) = rest.split_once(' ').unwrap_or((rest, ""));
            (format!("R{code}"), name.trim().to_string())
        })
        .collect()
}

/// `(code, name)` of every row of the index table, in order.
fn documented_index(doc: &str) -> Vec<(String, String)> {
    let index = doc
        .split("\n## Index\n")
        .nth(1)
        .expect("docs/codes.md has a `## Index` section");
    let index = index.split("\n## ").next().unwrap_or(index);
    index
        .lines()
        .filter(|l| l.starts_with("| [R"))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let code = cells[1]
                .trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or_default()
                .to_string();
            (code, cells[2].to_string())
        })
        .collect()
}

/// Lists what is in `want` and not in `got`, and the other way round, for a message.
fn difference(want: &[(String, String)], got: &[(String, String)]) -> String {
    let w: BTreeSet<_> = want.iter().collect();
    let g: BTreeSet<_> = got.iter().collect();
    format!(
        "missing: {:?}; not in the engine: {:?}",
        w.difference(&g).collect::<Vec<_>>(),
        g.difference(&w).collect::<Vec<_>>()
    )
}

#[test]
fn every_code_has_one_section_and_one_index_row_in_docs_codes_md_in_order() {
    let doc = read("docs/codes.md");
    let engine = engine_codes();
    assert!(engine.len() >= 30, "{engine:?}");
    let sections = documented_sections(&doc);
    assert_eq!(
        sections,
        engine,
        "docs/codes.md: the `## Rxxxx name` sections differ from rubrica::Code::ALL \
         (each code once, in order, with the name Code::name gives); {}",
        difference(&engine, &sections)
    );
    let index = documented_index(&doc);
    assert_eq!(
        index,
        engine,
        "docs/codes.md: the index table differs from rubrica::Code::ALL; {}",
        difference(&engine, &index)
    );
    // Each index row links to its own section.
    for (code, name) in &engine {
        let anchor = format!("(#{}-{name})", code.to_lowercase());
        assert!(
            doc.contains(&format!("[{code}]{anchor}")),
            "docs/codes.md: the index row of {code} must link to `{anchor}`"
        );
    }
}

/// The string literals of the TypeScript union `export type Code = | "R0100" | …;`.
fn typescript_codes(dts: &str) -> Vec<String> {
    let start = dts
        .find("export type Code =")
        .expect("web/rubrica.d.ts declares `export type Code =`");
    let union = &dts[start + "export type Code =".len()..];
    let union = &union[..union.find(';').expect("the union ends with `;`")];
    union
        .split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            assert!(
                s.len() == 7 && s.starts_with("\"R") && s.ends_with('"'),
                "web/rubrica.d.ts: `{s}` in `type Code` is not a code literal such as \"R0100\""
            );
            s.trim_matches('"').to_string()
        })
        .collect()
}

#[test]
fn the_typescript_code_union_lists_every_code_in_order() {
    let dts = read("web/rubrica.d.ts");
    let declared = typescript_codes(&dts);
    let engine: Vec<String> = Code::ALL.iter().map(|c| c.as_str().to_string()).collect();
    assert_eq!(
        declared, engine,
        "web/rubrica.d.ts: `type Code` must list rubrica::Code::ALL, each once, in order"
    );
}

#[test]
fn the_checks_notice_a_code_the_docs_or_declarations_do_not_have() {
    // The parsers above read what a stale copy would hold: drop the last code and they differ.
    let doc = read("docs/codes.md");
    let last = Code::ALL.last().expect("codes").as_str();
    let stale_doc = doc.replace(&format!("## {last} "), "## (removed) ");
    assert_ne!(documented_sections(&stale_doc), engine_codes());
    let dts = read("web/rubrica.d.ts");
    let stale_dts = dts.replace(&format!(" | \"{last}\""), "");
    assert_ne!(
        typescript_codes(&stale_dts),
        Code::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>()
    );
}

// ---------------------------------------------------------------------------------------------
// The record's choices and limits against docs/observation.schema.json

/// The schema node a `$ref` points at, or the node itself.
fn resolve<'a>(node: &'a Value, schema: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(r) => resolve(
            schema
                .pointer(r.trim_start_matches('#'))
                .unwrap_or_else(|| panic!("dangling $ref {r}")),
            schema,
        ),
        None => node,
    }
}

/// What the schema states at each place of the record: `enum` values, `default`, and the
/// numeric limits (`minimum`, `maximum`, `maxLength`, `maxItems`), by path (`*` for any index or
/// key). The alternatives of a `oneOf` are merged (a value may be text or a count).
#[derive(Debug, Default, PartialEq, Eq)]
struct Stated {
    values: Option<Vec<String>>,
    default: Option<String>,
    min: Option<i64>,
    max: Option<i64>,
    max_length: Option<u64>,
    max_items: Option<u64>,
}

fn walk(node: &Value, schema: &Value, path: &str, out: &mut BTreeMap<String, Stated>) {
    let node = resolve(node, schema);
    let nodes: Vec<&Value> = match node.get("oneOf").and_then(Value::as_array) {
        Some(options) => options.iter().map(|o| resolve(o, schema)).collect(),
        None => vec![node],
    };
    for n in nodes {
        let entry = out.entry(path.to_string()).or_default();
        if let Some(values) = n.get("enum").and_then(Value::as_array) {
            entry.values = Some(
                values
                    .iter()
                    .map(|v| v.as_str().expect("enum of text").to_string())
                    .collect(),
            );
        }
        if let Some(d) = n.get("default").and_then(Value::as_str) {
            entry.default = Some(d.to_string());
        }
        entry.min = entry.min.or(n.get("minimum").and_then(Value::as_i64));
        entry.max = entry.max.or(n.get("maximum").and_then(Value::as_i64));
        entry.max_length = entry
            .max_length
            .or(n.get("maxLength").and_then(Value::as_u64));
        entry.max_items = entry
            .max_items
            .or(n.get("maxItems").and_then(Value::as_u64));
        if let Some(props) = n.get("properties").and_then(Value::as_object) {
            for (k, v) in props {
                walk(v, schema, &format!("{path}/{k}"), out);
            }
        }
        if let Some(items) = n.get("items") {
            walk(items, schema, &format!("{path}/*"), out);
        }
        if let Some(more) = n.get("additionalProperties").filter(|v| v.is_object()) {
            walk(more, schema, &format!("{path}/*"), out);
        }
    }
}

fn stated_by_the_record_schema() -> BTreeMap<String, Stated> {
    let schema: Value =
        serde_json::from_str(&read("docs/observation.schema.json")).expect("schema is JSON");
    let mut out = BTreeMap::new();
    walk(&schema, &schema, "", &mut out);
    out
}

#[test]
fn the_record_schema_offers_exactly_the_choices_the_parser_accepts() {
    let stated = stated_by_the_record_schema();
    let in_schema: BTreeMap<String, (Vec<String>, Option<String>)> = stated
        .iter()
        .filter_map(|(p, s)| Some((p.clone(), (s.values.clone()?, s.default.clone()))))
        .collect();
    let in_engine: BTreeMap<String, (Vec<String>, Option<String>)> = VOCABULARY
        .record_choices
        .iter()
        .map(|c| {
            (
                c.path.to_string(),
                (
                    c.values.iter().map(|v| v.to_string()).collect(),
                    c.default.map(str::to_string),
                ),
            )
        })
        .collect();
    assert_eq!(
        in_schema, in_engine,
        "docs/observation.schema.json: `enum` and `default` must be the record parser's lists \
         (engine/src/record.rs), in the same order"
    );
    // Each choice is also the vocabulary's list for that field, so scripts see the same values.
    for c in VOCABULARY.record_choices {
        let (object, field) = c.path.rsplit_once('/').expect("a path");
        let doc = VOCABULARY
            .objects
            .iter()
            .find(|o| o.path == object)
            .and_then(|o| o.fields.iter().find(|f| f.name == field))
            .unwrap_or_else(|| panic!("{} is not a field of the vocabulary", c.path));
        assert_eq!(doc.values, c.values, "{}", c.path);
    }
}

/// (minimum, maximum, maxLength, maxItems) of one place of a record.
type Limits = (Option<i64>, Option<i64>, Option<u64>, Option<u64>);

/// The limits the schema states, by path, leaving out places without any.
fn stated_limits(stated: &BTreeMap<String, Stated>) -> BTreeMap<String, Limits> {
    stated
        .iter()
        .map(|(p, s)| (p.clone(), (s.min, s.max, s.max_length, s.max_items)))
        .filter(|(_, l)| *l != (None, None, None, None))
        .collect()
}

/// The limits the parser enforces, by path.
fn limits_of(limits: &[rubrica::RecordLimit]) -> BTreeMap<String, Limits> {
    limits
        .iter()
        .map(|l| {
            (
                l.path.to_string(),
                (
                    l.min,
                    l.max,
                    l.max_length.map(|n| n as u64),
                    l.max_items.map(|n| n as u64),
                ),
            )
        })
        .collect()
}

#[test]
fn the_record_schema_states_exactly_the_limits_the_parser_enforces() {
    let in_schema = stated_limits(&stated_by_the_record_schema());
    let in_engine = limits_of(VOCABULARY.record_limits);
    let only_schema: Vec<_> = in_schema
        .iter()
        .filter(|(p, l)| in_engine.get(*p) != Some(l))
        .collect();
    let only_engine: Vec<_> = in_engine
        .iter()
        .filter(|(p, l)| in_schema.get(*p) != Some(l))
        .collect();
    assert!(
        only_schema.is_empty() && only_engine.is_empty(),
        "docs/observation.schema.json and the record parser's limits differ \
         (path: (minimum, maximum, maxLength, maxItems)):\n  schema: {only_schema:?}\n  engine: {only_engine:?}"
    );
    assert!(in_engine.len() >= 25, "{in_engine:?}");
}

/// The JSON Schema of each reflection kind, by its format tag.
fn kind_schema(format: &str) -> &'static str {
    match format {
        "rubrica.ta-reflection/1" => "docs/ta-reflection.schema.json",
        "rubrica.family-partnership/1" => "docs/family-partnership.schema.json",
        other => panic!("no schema file is known for `{other}`: add it here"),
    }
}

/// Each reflection kind's schema states exactly the choices and limits its parser uses (the
/// vocabulary's lists for that kind, which the forms offer).
#[test]
fn each_reflection_schema_states_its_kinds_choices_and_limits() {
    assert_eq!(VOCABULARY.kinds.len(), 2);
    for kind in VOCABULARY.kinds {
        let file = kind_schema(kind.format);
        let schema: Value = serde_json::from_str(&read(file)).expect("schema is JSON");
        let mut stated = BTreeMap::new();
        walk(&schema, &schema, "", &mut stated);
        let choices_in_schema: BTreeMap<String, Vec<String>> = stated
            .iter()
            .filter(|(p, _)| p.as_str() != "/format")
            .filter_map(|(p, s)| Some((p.clone(), s.values.clone()?)))
            .collect();
        let choices_in_engine: BTreeMap<String, Vec<String>> = kind
            .record_choices
            .iter()
            .map(|c| {
                (
                    c.path.to_string(),
                    c.values.iter().map(|v| v.to_string()).collect(),
                )
            })
            .collect();
        assert_eq!(
            choices_in_schema, choices_in_engine,
            "{file}: `enum` must be the parser's lists (engine/src/reflection.rs), in order"
        );
        let limits_in_schema = stated_limits(&stated);
        let limits_in_engine = limits_of(kind.record_limits);
        assert_eq!(
            limits_in_schema, limits_in_engine,
            "{file}: limits (minimum, maximum, maxLength, maxItems) must be the parser's"
        );
        // The schema's objects have exactly the parser's fields.
        let record_kind = rubrica::RecordKind::from_format(kind.format).expect("a kind");
        for (at, fields) in record_kind.fields() {
            let node = stated_object(&schema, at);
            let mut names: Vec<&str> = node
                .get("properties")
                .and_then(Value::as_object)
                .unwrap_or_else(|| panic!("{file}: no properties at `{at}`"))
                .keys()
                .map(String::as_str)
                .collect();
            names.sort_unstable();
            let mut want = fields.to_vec();
            want.sort_unstable();
            assert_eq!(names, want, "{file}: fields at `{at}`");
        }
    }
}

/// The schema node describing the objects at `at` (`/contacts/*`, `/items/*/*`).
fn stated_object<'a>(schema: &'a Value, at: &str) -> &'a Value {
    let mut node = resolve(schema, schema);
    for seg in at.split('/').skip(1) {
        node = if seg == "*" {
            node.get("items")
                .or_else(|| node.get("additionalProperties"))
                .unwrap_or_else(|| panic!("no entries at `{at}`"))
        } else {
            node.pointer(&format!("/properties/{seg}"))
                .unwrap_or_else(|| panic!("no `{seg}` at `{at}`"))
        };
        node = resolve(node, schema);
        // An optional object may be written as `oneOf: [object, null]`.
        if let Some(first) = node.get("oneOf").and_then(|o| o.get(0)) {
            node = resolve(first, schema);
        }
    }
    node
}

// ---------------------------------------------------------------------------------------------
// Characters shown as escapes

fn engine_hidden() -> BTreeSet<u32> {
    VOCABULARY
        .hidden_characters
        .iter()
        .flat_map(|&(a, b)| a..=b)
        .collect()
}

/// The code points of a regular-expression character class written with `\uXXXX` escapes and
/// ranges, such as `[\u0000-\u0008\u000b]` (from JavaScript source or a JSON-decoded pattern).
/// Anything else in the class is refused, so a change of notation is noticed.
fn class_code_points(class: &str) -> BTreeSet<u32> {
    let mut points = Vec::new();
    let mut ranges = BTreeSet::new();
    let mut rest = class;
    let mut pending_range = false;
    while !rest.is_empty() {
        if let Some(hex) = rest.strip_prefix("\\u") {
            let n = u32::from_str_radix(hex.get(..4).expect("four hex digits"), 16)
                .unwrap_or_else(|e| panic!("`\\u{}`: {e}", &hex[..4]));
            if pending_range {
                let start: u32 = points.pop().expect("a range start");
                ranges.extend(start..=n);
                pending_range = false;
            } else {
                points.push(n);
            }
            rest = &hex[4..];
        } else if let Some(after) = rest.strip_prefix('-') {
            pending_range = true;
            rest = after;
        } else {
            panic!("unexpected `{rest}` in the character class `{class}`");
        }
    }
    ranges.extend(points);
    ranges
}

#[test]
fn the_app_shows_the_engines_hidden_characters_as_escapes() {
    // The app escapes before the engine has loaded (the loading and error messages), so it
    // keeps a copy; it leaves tab and newline as they are, which a page shows harmlessly.
    let dom = read("web/app/dom.js");
    let line = dom
        .lines()
        .find(|l| l.starts_with("const HIDDEN = /["))
        .expect("web/app/dom.js declares `const HIDDEN = /[…]/g;`");
    let class = line
        .trim_start_matches("const HIDDEN = /[")
        .trim_end_matches("]/g;");
    let in_app = class_code_points(class);
    let mut expected = engine_hidden();
    expected.remove(&u32::from('\t'));
    expected.remove(&u32::from('\n'));
    let missing: Vec<String> = expected
        .difference(&in_app)
        .map(|c| format!("U+{c:04X}"))
        .collect();
    let extra: Vec<String> = in_app
        .difference(&expected)
        .map(|c| format!("U+{c:04X}"))
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "web/app/dom.js `HIDDEN` must be the engine's HIDDEN_CHARACTERS (engine/src/text.rs) \
         less tab and newline; missing {missing:?}, not in the engine {extra:?}"
    );
}

#[test]
fn the_schema_refuses_every_hidden_character_in_ids() {
    let schema: Value =
        serde_json::from_str(&read("docs/observation.schema.json")).expect("schema is JSON");
    let pattern = schema["$defs"]["id"]["pattern"]
        .as_str()
        .expect("an id pattern");
    // The pattern's middle class: `[^…]*`, every character an id may not hold anywhere.
    let inner = pattern
        .split("(?:[^")
        .nth(1)
        .and_then(|s| s.split("]*").next())
        .expect("the id pattern has a `(?:[^…]*…)` part");
    let refused = class_code_points(inner);
    let missing: Vec<String> = engine_hidden()
        .difference(&refused)
        .map(|c| format!("U+{c:04X}"))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/observation.schema.json: the id pattern lets through {missing:?}, which the engine refuses in ids"
    );
}

// ---------------------------------------------------------------------------------------------
// The browser app's form and helper names

#[test]
fn the_form_takes_the_record_choices_from_the_engine() {
    let form = read("web/app/form.js");
    for c in VOCABULARY.record_choices {
        // A value may appear alone (a label table's key, `"none-assigned": "None assigned"`),
        // but not as the start of a `[value, label]` pair or next to the value that follows it
        // in the engine's list: that is a copy of the list.
        let starts = c.values.iter().map(|v| format!("[\"{v}\""));
        let pairs = c
            .values
            .windows(2)
            .map(|w| format!("\"{}\", \"{}\"", w[0], w[1]));
        for written in starts.chain(pairs) {
            assert!(
                !form.contains(&written),
                "web/app/form.js writes `{written}` of {} itself; read `record_choices` from \
                 RubricaEngine.vocabulary() instead",
                c.path
            );
        }
    }
    assert!(
        form.contains("record_choices"),
        "web/app/form.js reads record_choices"
    );
    for value_list in VOCABULARY.item_values {
        let written = value_list
            .values
            .iter()
            .map(|v| format!("\"{v}\""))
            .collect::<Vec<_>>()
            .join(", ");
        assert!(
            !form.contains(&written),
            "web/app/form.js lists the values of `{}` items itself; read `item_values`",
            value_list.item_type
        );
    }
}

#[test]
fn the_helper_table_of_rubrics_readme_names_only_helpers_and_every_other_is_mentioned() {
    let readme = read("rubrics/README.md");
    let section = readme
        .split("\n### Helpers\n")
        .nth(1)
        .expect("rubrics/README.md has a `### Helpers` section");
    let section = section.split("\n### ").next().unwrap_or(section);
    let described: BTreeSet<&str> = VOCABULARY.helpers.iter().map(|h| h.name).collect();
    let mut tabled = BTreeSet::new();
    for row in section.lines().filter(|l| l.starts_with("| `")) {
        let first = row.split('|').nth(1).unwrap_or_default();
        for call in first.split('`').skip(1).step_by(2) {
            let name = call
                .split('(')
                .next()
                .unwrap_or_default()
                .trim()
                .to_string();
            assert!(
                described.contains(name.as_str()),
                "rubrics/README.md lists `{name}`, which is not a helper of the engine's vocabulary"
            );
            tabled.insert(name);
        }
    }
    for name in &described {
        assert!(
            tabled.contains(*name)
                || readme.contains(&format!("`{name}`"))
                || readme.contains(&format!("`{name}(")),
            "rubrics/README.md does not mention the helper `{name}`"
        );
    }
    assert!(tabled.len() >= 20, "{tabled:?}");
}
