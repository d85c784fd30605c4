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

use crate::rubric::RubricMeta;
use rhai::{Array, Dynamic, EvalAltResult, ImmutableString, NativeCallContext, Position, INT};
use serde_json::Value;
use std::sync::Arc;

/// One value of the shared tree.
#[derive(Debug, Clone)]
enum Node {
    Unit,
    Bool(bool),
    Int(INT),
    Text(ImmutableString),
    List(RecordList),
    Object(RecordObject),
}

/// A list of the record, as scripts see it (`type_of` says `RecordList`).
#[derive(Debug, Clone)]
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

impl IntoIterator for RecordList {
    type Item = Dynamic;
    type IntoIter = std::vec::IntoIter<Dynamic>;
    fn into_iter(self) -> Self::IntoIter {
        self.to_array().into_iter()
    }
}

/// An object of the record, as scripts see it (`type_of` says `Record`).
#[derive(Debug, Clone)]
pub struct RecordObject(Arc<[(ImmutableString, Node)]>);

impl RecordObject {
    fn get(&self, key: &str) -> Option<&Node> {
        self.0
            .iter()
            .find_map(|(k, v)| (k.as_str() == key).then_some(v))
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

impl Node {
    fn from_json(v: &Value) -> Node {
        match v {
            Value::Null => Node::Unit,
            Value::Bool(b) => Node::Bool(*b),
            // Records hold whole numbers only (the record parser rejects fractions).
            Value::Number(n) => n.as_i64().map_or(Node::Unit, Node::Int),
            Value::String(s) => Node::Text(s.as_str().into()),
            Value::Array(a) => Node::List(RecordList(a.iter().map(Node::from_json).collect())),
            Value::Object(o) => Node::Object(RecordObject(
                o.iter()
                    .map(|(k, v)| (ImmutableString::from(k.as_str()), Node::from_json(v)))
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
    pub(crate) fn new(record: &Value) -> RecordView {
        let root = match Node::from_json(record) {
            Node::Object(o) => o,
            _ => RecordObject(Arc::new([])),
        };
        RecordView { root }
    }

    /// The record one rubric's script sees: without host data (`extra`), and with `items`
    /// narrowed to this rubric's declared items (`()` where the coach recorded nothing).
    pub(crate) fn for_rubric(&self, meta: &RubricMeta) -> Dynamic {
        let recorded = match self.root.get("items") {
            Some(Node::Object(all)) => match all.get(&meta.id) {
                Some(Node::Object(mine)) => Some(mine.clone()),
                _ => None,
            },
            _ => None,
        };
        let items: Arc<[(ImmutableString, Node)]> = meta
            .items
            .iter()
            .map(|def| {
                let value = recorded
                    .as_ref()
                    .and_then(|r| r.get(&def.id))
                    .cloned()
                    .unwrap_or(Node::Unit);
                (ImmutableString::from(def.id.as_str()), value)
            })
            .collect();
        let fields: Arc<[(ImmutableString, Node)]> = self
            .root
            .0
            .iter()
            .filter(|(k, _)| k.as_str() != "extra")
            .map(|(k, v)| {
                if k.as_str() == "items" {
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

    #[test]
    fn objects_are_handles_lists_are_arrays() {
        let view =
            RecordView::new(&json!({"children": [{"id": "c1", "age_months": 4}], "x": null}));
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
