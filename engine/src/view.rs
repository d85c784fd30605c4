//! The record as scripts see it: one immutable tree per report, shared by every rubric and
//! every indicator call.
//!
//! Objects reach scripts as the custom type `Record` and lists as `RecordList`, cheap handles on
//! shared data, not as rhai maps and arrays. So reading `r.children[i]` copies nothing, rhai's
//! size limits count only what a script builds (never the record it was given), scripts cannot
//! change what the next indicator sees (there are no setters, and the list functions that
//! change a list refuse), and reading a field the record does not have is an error, as before.
//! A record list reads like an array: `len`, `is_empty`, `[i]`, `in`, `for`, and every array
//! function that leaves the list as it is (`filter`, `map`, `reduce`, `index_of`, …);
//! `to_array()` makes a copy a script may change.

use crate::record::{Item, ItemValue, Observation};
use crate::reflection::{RecordKind, RecordRef};
use crate::rubric::RubricMeta;
use rhai::{Array, Dynamic, EvalAltResult, ImmutableString, NativeCallContext, Position, INT};
use std::sync::Arc;

/// One value of the shared tree.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Unit,
    Bool(bool),
    Int(INT),
    Text(ImmutableString),
    List(RecordList),
    Object(RecordObject),
}

/// A list of the record, as scripts see it (`type_of` says `RecordList`).
#[derive(Debug, Clone, PartialEq)]
pub struct RecordList(Arc<[Node]>);

impl RecordList {
    /// The entries as a new array a script may change.
    pub fn to_array(&self) -> Array {
        self.0.iter().map(Node::to_dynamic).collect()
    }

    fn len(&self) -> INT {
        INT::try_from(self.0.len()).unwrap_or(INT::MAX)
    }

    /// Entry `i`, counting from the end when negative, as rhai arrays do.
    fn get(&self, i: INT) -> Result<Dynamic, Box<EvalAltResult>> {
        let at = if i < 0 {
            self.len().saturating_add(i)
        } else {
            i
        };
        usize::try_from(at)
            .ok()
            .and_then(|at| self.0.get(at))
            .map(Node::to_dynamic)
            .ok_or_else(|| {
                Box::new(EvalAltResult::ErrorArrayBounds(
                    self.0.len(),
                    i,
                    Position::NONE,
                ))
            })
    }

    fn contains(&self, value: &Dynamic) -> bool {
        self.0.iter().any(|n| match n {
            Node::Unit => value.is_unit(),
            Node::Bool(b) => value.as_bool().is_ok_and(|v| v == *b),
            Node::Int(i) => value.as_int().is_ok_and(|v| v == *i),
            Node::Text(t) => value
                .read_lock::<ImmutableString>()
                .is_some_and(|v| v.as_str() == t.as_str()),
            Node::List(_) | Node::Object(_) => false,
        })
    }
}

/// `for x in list`: the entries one at a time, straight from the shared list.
pub struct RecordListIter {
    list: Arc<[Node]>,
    next: usize,
}

impl Iterator for RecordListIter {
    type Item = Dynamic;
    fn next(&mut self) -> Option<Dynamic> {
        let node = self.list.get(self.next)?;
        self.next += 1;
        Some(node.to_dynamic())
    }
}

impl IntoIterator for RecordList {
    type Item = Dynamic;
    type IntoIter = RecordListIter;
    fn into_iter(self) -> Self::IntoIter {
        RecordListIter {
            list: self.0,
            next: 0,
        }
    }
}

/// An object of the record, as scripts see it (`type_of` says `Record`).
#[derive(Debug, Clone, PartialEq)]
pub struct RecordObject(Arc<[(Key, Node)]>);

/// A field name: the record format's own names are static, so building the tree for each
/// report allocates only for values and for item ids.
type Key = std::borrow::Cow<'static, str>;

impl RecordObject {
    fn get(&self, key: &str) -> Option<&Node> {
        self.0
            .iter()
            .find_map(|(k, v)| (k.as_ref() == key).then_some(v))
    }

    /// The field `key` as a script value; `None` when the object has no such field.
    pub fn field(&self, key: &str) -> Option<Dynamic> {
        self.get(key).map(Node::to_dynamic)
    }

    /// The field `key`, or the error a script sees for a field the record does not have.
    fn index(&mut self, key: &str) -> Result<Dynamic, Box<EvalAltResult>> {
        self.field(key).ok_or_else(|| {
            Box::new(EvalAltResult::ErrorPropertyNotFound(
                key.to_string(),
                Position::NONE,
            ))
        })
    }
}

/// An object node from its fields, in the order the record format writes them.
fn object<const N: usize>(fields: [(&'static str, Node); N]) -> Node {
    Node::Object(fields_of(fields))
}

fn fields_of<const N: usize>(fields: [(&'static str, Node); N]) -> RecordObject {
    RecordObject(
        fields
            .into_iter()
            .map(|(k, v)| (Key::Borrowed(k), v))
            .collect(),
    )
}

fn text(s: &str) -> Node {
    Node::Text(s.into())
}

fn optional_text(s: &Option<String>) -> Node {
    s.as_deref().map_or(Node::Unit, text)
}

fn optional_int(n: Option<i64>) -> Node {
    n.map_or(Node::Unit, Node::Int)
}

fn list_of<T>(entries: &[T], node: impl Fn(&T) -> Node) -> Node {
    Node::List(RecordList(entries.iter().map(node).collect()))
}

fn texts(entries: &[String]) -> Node {
    list_of(entries, |s| text(s))
}

fn item(i: &Item) -> Node {
    object([
        (
            "value",
            match &i.value {
                ItemValue::Text(t) => text(t),
                ItemValue::Count(n) => Node::Int(*n),
            },
        ),
        ("method", text(i.method.as_str())),
        ("note", optional_text(&i.note)),
    ])
}

impl Node {
    /// The record as scripts see it, built straight from the parsed observation: the same tree
    /// as its canonical JSON, without host data (`extra`), which scripts never see.
    fn from_observation(o: &Observation) -> RecordObject {
        fields_of([
            ("format", text(&o.format)),
            ("id", text(&o.id)),
            ("setting", text(o.setting.as_str())),
            ("observed_on", text(&o.observed_on)),
            ("minutes", Node::Int(o.minutes)),
            ("observer", optional_text(&o.observer)),
            (
                "place",
                o.place.as_ref().map_or(Node::Unit, |p| {
                    object([("kind", text(&p.kind)), ("id", text(&p.id))])
                }),
            ),
            (
                "caregivers",
                list_of(&o.caregivers, |c| {
                    object([
                        ("id", text(&c.id)),
                        ("role", text(&c.role)),
                        ("languages", texts(&c.languages)),
                    ])
                }),
            ),
            (
                "children",
                list_of(&o.children, |c| {
                    object([
                        ("id", text(&c.id)),
                        ("age_months", Node::Int(c.age_months)),
                        ("primary_caregiver", optional_text(&c.primary_caregiver)),
                        ("primary_status", text(c.primary_status.as_str())),
                        ("months_with_primary", optional_int(c.months_with_primary)),
                        ("months_in_care", optional_int(c.months_in_care)),
                        ("moves", optional_int(c.moves)),
                        ("home_languages", texts(&c.home_languages)),
                        ("ifsp", Node::Bool(c.ifsp)),
                    ])
                }),
            ),
            (
                "headcounts",
                list_of(&o.headcounts, |h| {
                    object([
                        ("at", text(&h.at)),
                        ("children", Node::Int(h.children)),
                        ("caregivers", Node::Int(h.caregivers)),
                    ])
                }),
            ),
            (
                "items",
                Node::Object(RecordObject(
                    o.items
                        .iter()
                        .map(|(rubric, items)| {
                            let items = items
                                .iter()
                                .map(|(id, i)| (Key::Owned(id.clone()), item(i)))
                                .collect();
                            (
                                Key::Owned(rubric.clone()),
                                Node::Object(RecordObject(items)),
                            )
                        })
                        .collect(),
                )),
            ),
            (
                "interviews",
                list_of(&o.interviews, |i| {
                    object([
                        ("with", text(&i.with)),
                        ("topic", text(&i.topic)),
                        ("answer", text(&i.answer)),
                    ])
                }),
            ),
            (
                "materials",
                list_of(&o.materials, |m| {
                    object([
                        ("title", text(&m.title)),
                        ("kind", text(&m.kind)),
                        ("note", optional_text(&m.note)),
                    ])
                }),
            ),
            ("notes", texts(&o.notes)),
        ])
    }

    fn from_json(v: &serde_json::Value) -> Node {
        match v {
            serde_json::Value::Null => Node::Unit,
            serde_json::Value::Bool(b) => Node::Bool(*b),
            // Records hold whole numbers only (the record parser rejects fractions).
            serde_json::Value::Number(n) => n.as_i64().map_or(Node::Unit, Node::Int),
            serde_json::Value::String(s) => Node::Text(s.as_str().into()),
            serde_json::Value::Array(a) => {
                Node::List(RecordList(a.iter().map(Node::from_json).collect()))
            }
            serde_json::Value::Object(o) => Node::Object(RecordObject(
                o.iter()
                    .map(|(k, v)| (Key::Owned(k.clone()), Node::from_json(v)))
                    .collect(),
            )),
        }
    }

    fn to_dynamic(&self) -> Dynamic {
        match self {
            Node::Unit => Dynamic::UNIT,
            Node::Bool(b) => Dynamic::from_bool(*b),
            Node::Int(n) => Dynamic::from_int(*n),
            Node::Text(s) => s.clone().into(),
            Node::List(l) => Dynamic::from(l.clone()),
            Node::Object(o) => Dynamic::from(o.clone()),
        }
    }
}

/// The record of one report, converted once from its canonical JSON.
#[derive(Debug, Clone)]
pub(crate) struct RecordView {
    root: RecordObject,
}

impl RecordView {
    pub(crate) fn new(record: RecordRef<'_>) -> RecordView {
        let root = match record {
            RecordRef::Observation(o) => Node::from_observation(o),
            // Reflections are small and have no hot path yet: their canonical JSON, as it is.
            RecordRef::Reflection(r) => {
                let mut json = r.to_json();
                if let Some(o) = json.as_object_mut() {
                    o.remove("extra");
                }
                match Node::from_json(&json) {
                    Node::Object(root) => root,
                    _ => RecordObject(Arc::new([])),
                }
            }
        };
        RecordView { root }
    }

    /// The node a JSON pointer (RFC 6901) leads to, read as `serde_json::Value::pointer` reads
    /// it: `~1` and `~0` unescaped, list indexes in plain decimal without leading zeros.
    fn pointer(&self, path: &str) -> Option<&Node> {
        let rest = path.strip_prefix('/')?;
        let mut node: Option<&Node> = None;
        let mut at: &RecordObject = &self.root;
        for raw in rest.split('/') {
            let segment: std::borrow::Cow<'_, str> = if raw.contains('~') {
                crate::diagnostic::unescape_pointer_segment(raw).into()
            } else {
                raw.into()
            };
            let next = match node {
                None => at.get(&segment),
                Some(Node::Object(o)) => o.get(&segment),
                Some(Node::List(l)) => {
                    let index = (!segment.starts_with('+')
                        && (segment == "0" || !segment.starts_with('0')))
                    .then(|| segment.parse::<usize>().ok())
                    .flatten()?;
                    l.0.get(index)
                }
                Some(_) => None,
            }?;
            if let Node::Object(o) = next {
                at = o;
            }
            node = Some(next);
        }
        node
    }

    /// True when `path` (a JSON pointer into the record) leads to something scripts can see.
    pub(crate) fn has(&self, path: &str) -> bool {
        path.is_empty() || self.pointer(path).is_some()
    }

    /// True when `path` leads to an item the coach recorded as not observed (the item itself or
    /// its value).
    pub(crate) fn not_observed(&self, path: &str) -> bool {
        let Some(rest) = path.strip_prefix("/items/") else {
            return false;
        };
        // `/items/<rubric>/<item>` or `/items/<rubric>/<item>/value`.
        let item = match rest.matches('/').count() {
            1 => path,
            2 => match path.strip_suffix("/value") {
                Some(item) => item,
                None => return false,
            },
            _ => return false,
        };
        match self.pointer(item) {
            Some(Node::Object(o)) => {
                matches!(o.get("value"), Some(Node::Text(t)) if t.as_str() == "not-observed")
            }
            _ => false,
        }
    }

    /// The record one rubric's script sees: the shared tree (which holds no host data) with
    /// `items` narrowed to this rubric's declared items (`()` where the coach recorded nothing).
    pub(crate) fn for_rubric(&self, meta: &RubricMeta) -> Dynamic {
        let recorded = match self.root.get("items") {
            Some(Node::Object(all)) => match all.get(&meta.id) {
                Some(Node::Object(mine)) => Some(mine.clone()),
                _ => None,
            },
            _ => None,
        };
        let items: Arc<[(Key, Node)]> = meta
            .items
            .iter()
            .map(|def| {
                let value = recorded
                    .as_ref()
                    .and_then(|r| r.get(&def.id))
                    .cloned()
                    .unwrap_or(Node::Unit);
                (Key::Owned(def.id.clone()), value)
            })
            .collect();
        let fields: Arc<[(Key, Node)]> = self
            .root
            .0
            .iter()
            .map(|(k, v)| {
                if k.as_ref() == "items" {
                    (k.clone(), Node::Object(RecordObject(items.clone())))
                } else {
                    (k.clone(), v.clone())
                }
            })
            .collect();
        Dynamic::from(RecordObject(fields))
    }
}

/// The entries of a record list or of an array a script built; `None` for anything else.
pub(crate) fn list(value: &Dynamic) -> Option<Array> {
    if let Some(l) = value.read_lock::<RecordList>() {
        return Some(l.to_array());
    }
    value.read_lock::<Array>().map(|a| a.clone())
}

/// Field `key` of a record object or of a map a script built; `None` for anything else or a
/// missing field. Helpers read their arguments through this, so they take either.
pub(crate) fn field(value: &Dynamic, key: &str) -> Option<Dynamic> {
    if let Some(obj) = value.read_lock::<RecordObject>() {
        return obj.field(key);
    }
    value
        .read_lock::<rhai::Map>()
        .and_then(|m| m.get(key).cloned())
}

/// Array functions that leave the list as it is, by the number of arguments after the list.
/// On a record list they run on a copy of its entries.
const READ_ONLY: [&[&str]; 3] = [
    &["to_string", "to_debug"],
    &[
        "filter",
        "map",
        "all",
        "some",
        "find",
        "find_map",
        "index_of",
        "reduce",
        "reduce_rev",
        "get",
        "extract",
        "for_each",
        "order",
        "order_by",
        "+",
        "==",
        "!=",
    ],
    &[
        "reduce",
        "reduce_rev",
        "index_of",
        "find",
        "find_map",
        "extract",
        "zip",
    ],
];

/// Array functions that change the list in place: refused on a record list.
const CHANGING: &[&str] = &[
    "push",
    "pop",
    "shift",
    "insert",
    "remove",
    "clear",
    "truncate",
    "chop",
    "pad",
    "append",
    "drain",
    "retain",
    "splice",
    "sort",
    "sort_by",
    "sort_desc",
    "dedup",
    "reverse",
    "split",
];

fn read_only(name: &str) -> Box<EvalAltResult> {
    Box::new(EvalAltResult::ErrorRuntime(
        format!(
            "`{name}` would change a list of the record, which is read-only; copy it first with `to_array()`"
        )
        .into(),
        Position::NONE,
    ))
}

/// Registers the `Record` and `RecordList` types: read access by `.field`, `["field"]` and
/// `[index]`, `in`, `for`, the array functions that do not change a list, and nothing that
/// writes.
pub(crate) fn register(engine: &mut rhai::Engine) {
    engine
        .register_type_with_name::<RecordObject>("Record")
        .register_indexer_get(|o: &mut RecordObject, key: &str| o.index(key))
        .register_fn("contains", |o: &mut RecordObject, key: &str| {
            o.get(key).is_some()
        })
        .register_fn("to_string", |_: &mut RecordObject| "(record)".to_string())
        .register_fn("to_debug", |_: &mut RecordObject| "(record)".to_string())
        .register_type_with_name::<RecordList>("RecordList")
        .register_iterator::<RecordList>()
        .register_indexer_get(|l: &mut RecordList, i: INT| l.get(i))
        .register_fn("len", |l: &mut RecordList| l.len())
        .register_fn("is_empty", |l: &mut RecordList| l.0.is_empty())
        .register_fn("contains", |l: &mut RecordList, v: Dynamic| l.contains(&v))
        .register_fn("to_array", |l: &mut RecordList| l.to_array());
    // A getter for every field name of the record format: `r.children` then resolves to one
    // function instead of a failed getter lookup followed by the indexer. Other names (item ids
    // under `r.items`) still go through the indexer.
    let mut names: Vec<&'static str> = RecordKind::ALL
        .iter()
        .flat_map(|kind| kind.fields().iter())
        .flat_map(|(_, fields)| fields.iter().copied())
        .collect();
    names.sort_unstable();
    names.dedup();
    for name in names {
        engine.register_get(name, move |o: &mut RecordObject| o.index(name));
    }
    for (extra, names) in READ_ONLY.iter().enumerate() {
        for name in names.iter().copied() {
            forward(engine, name, extra);
        }
    }
    // `array.append(record list)` adds copies of the entries. (`array += x` is rhai's built-in
    // push for anything but an array, so `list += r.children` adds the list as one entry:
    // write `list += r.children.to_array()`.)
    engine.register_fn("append", |a: &mut Array, l: RecordList| {
        a.extend(l.to_array())
    });
    // `array + record list` and `array == record list` as well.
    for name in ["+", "==", "!="] {
        engine.register_fn(
            name,
            move |ctx: NativeCallContext, a: Array, l: RecordList| {
                ctx.call_native_fn::<Dynamic>(name, (a, l.to_array()))
            },
        );
    }
    for name in CHANGING.iter().copied() {
        engine
            .register_fn(name, move |_: &mut RecordList| -> Result<(), _> {
                Err(read_only(name))
            })
            .register_fn(
                name,
                move |_: &mut RecordList, _: Dynamic| -> Result<(), _> { Err(read_only(name)) },
            )
            .register_fn(
                name,
                move |_: &mut RecordList, _: Dynamic, _: Dynamic| -> Result<(), _> {
                    Err(read_only(name))
                },
            );
    }
}

/// Registers `name(record list, …extra)` to call `name(array, …)` on a copy of the entries.
fn forward(engine: &mut rhai::Engine, name: &'static str, extra: usize) {
    match extra {
        0 => engine.register_fn(name, move |ctx: NativeCallContext, l: &mut RecordList| {
            ctx.call_native_fn::<Dynamic>(name, (l.to_array(),))
        }),
        1 => engine.register_fn(
            name,
            move |ctx: NativeCallContext, l: &mut RecordList, a: Dynamic| {
                ctx.call_native_fn::<Dynamic>(name, (l.to_array(), a))
            },
        ),
        _ => engine.register_fn(
            name,
            move |ctx: NativeCallContext, l: &mut RecordList, a: Dynamic, b: Dynamic| {
                ctx.call_native_fn::<Dynamic>(name, (l.to_array(), a, b))
            },
        ),
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn view_of(record: &serde_json::Value) -> RecordView {
        match Node::from_json(record) {
            Node::Object(root) => RecordView { root },
            _ => panic!("a record is an object"),
        }
    }

    /// Every record the project ships: the examples and the test fixtures that parse.
    fn shipped_records() -> Vec<(String, Observation)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut out = Vec::new();
        for dir in ["examples", "tests/fixtures/records"] {
            let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
                continue;
            };
            for e in entries.flatten() {
                let path = e.path();
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                if let Ok(parsed) = Observation::parse(&text) {
                    out.push((path.display().to_string(), parsed.observation));
                }
            }
        }
        out
    }

    #[test]
    fn the_view_is_the_canonical_json_without_host_data() {
        let records = shipped_records();
        assert!(records.len() >= 3, "found {} records", records.len());
        for (name, obs) in records {
            let mut json = obs.to_json();
            if let Some(o) = json.as_object_mut() {
                o.remove("extra");
            }
            assert_eq!(
                Node::Object(Node::from_observation(&obs)),
                Node::from_json(&json),
                "{name}"
            );
        }
    }

    #[test]
    fn the_place_is_an_object_or_unit_like_its_canonical_json() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../examples/center-infants.json"
        ))
        .unwrap_or_default();
        let mut record: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        for place in [
            json!({"kind": "home", "id": "home-7"}),
            serde_json::Value::Null,
        ] {
            record["place"] = place.clone();
            let obs = Observation::from_value(&record)
                .unwrap_or_else(|e| panic!("{e:?}"))
                .observation;
            let view = RecordView::new((&obs).into());
            let mut json = obs.to_json();
            if let Some(o) = json.as_object_mut() {
                o.remove("extra");
            }
            assert_eq!(Node::Object(view.root.clone()), Node::from_json(&json));
            let seen = view.root.field("place").unwrap_or_default();
            if place.is_null() {
                assert!(seen.is_unit());
                assert!(!view.has("/place/id"));
            } else {
                assert!(seen.is::<RecordObject>());
                assert_eq!(
                    field(&seen, "id").and_then(|d| d.into_immutable_string().ok()),
                    Some("home-7".into())
                );
                assert!(view.has("/place/kind"));
            }
        }
    }

    #[test]
    fn pointers_read_like_serde_json() {
        let record = json!({
            "children": [{"id": "c1", "age_months": 4}],
            "items": {"r": {"a/b": {"value": "not-observed"}, "c~d": {"value": "yes"}}},
            "notes": ["x"],
            "": 1
        });
        let view = view_of(&record);
        for path in [
            "/children",
            "/children/0",
            "/children/0/age_months",
            "/children/00",
            "/children/+0",
            "/children/1",
            "/children/-1",
            "/children/0/x",
            "/items/r/a~1b",
            "/items/r/a~1b/value",
            "/items/r/c~0d/value",
            "/items/r/c~d",
            "/notes/0",
            "/notes/0/x",
            "/",
            "/nothing",
            "//",
        ] {
            assert_eq!(view.has(path), record.pointer(path).is_some(), "{path}");
        }
        assert!(view.not_observed("/items/r/a~1b"));
        assert!(view.not_observed("/items/r/a~1b/value"));
        assert!(!view.not_observed("/items/r/c~0d"));
        assert!(!view.not_observed("/items/r/a~1b/method"));
        assert!(!view.not_observed("/children/0"));
    }

    #[test]
    fn objects_are_handles_lists_are_arrays() {
        let view = view_of(&json!({"children": [{"id": "c1", "age_months": 4}], "x": null}));
        let Node::List(children) = view.root.get("children").cloned().unwrap_or(Node::Unit) else {
            panic!("children is a list");
        };
        let first = children.get(0).unwrap_or_default();
        assert_eq!(
            children.get(-1).ok().map(|d| d.type_name()),
            Some(first.type_name())
        );
        assert!(children.get(1).is_err());
        assert!(first.is::<RecordObject>());
        assert_eq!(
            field(&first, "age_months").and_then(|d| d.as_int().ok()),
            Some(4)
        );
        assert!(field(&first, "nope").is_none());
        assert!(view.root.field("x").is_some_and(|d| d.is_unit()));
    }
}
