//! The record as scripts see it: one immutable tree per report, shared by every rubric and
//! every indicator call.
//!
//! Objects reach scripts as the custom type `Record` (a cheap handle on shared data), not as
//! rhai maps. So a call copies nothing, rhai's size limits count only what a script builds
//! (never the record it was given), scripts cannot change what the next indicator sees (there
//! are no setters), and reading a field the record does not have is an error, as before.
//! Lists reach scripts as ordinary rhai arrays (of handles, numbers and texts), so every array
//! function works on them.

use crate::rubric::RubricMeta;
use rhai::{Dynamic, EvalAltResult, ImmutableString, Position, INT};
use serde_json::Value;
use std::sync::Arc;

/// One value of the shared tree.
#[derive(Debug, Clone)]
enum Node {
    Unit,
    Bool(bool),
    Int(INT),
    Text(ImmutableString),
    List(Arc<[Node]>),
    Object(RecordObject),
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
            Value::Array(a) => Node::List(a.iter().map(Node::from_json).collect()),
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
            Node::List(l) => Dynamic::from_array(l.iter().map(Node::to_dynamic).collect()),
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

/// Registers the `Record` type: read access by `.field` and `["field"]`, `in`, and nothing
/// that writes.
pub(crate) fn register(engine: &mut rhai::Engine) {
    engine
        .register_type_with_name::<RecordObject>("Record")
        .register_indexer_get(|o: &mut RecordObject, key: &str| o.index(key))
        .register_fn("contains", |o: &mut RecordObject, key: &str| {
            o.get(key).is_some()
        })
        .register_fn("to_string", |_: &mut RecordObject| "(record)".to_string())
        .register_fn("to_debug", |_: &mut RecordObject| "(record)".to_string());
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn objects_are_handles_lists_are_arrays() {
        let view = RecordView::new(&json!({"children": [{"id": "c1", "age_months": 4}], "x": null}));
        let Node::List(children) = view.root.get("children").cloned().unwrap_or(Node::Unit) else {
            panic!("children is a list");
        };
        let first = children.first().map(Node::to_dynamic).unwrap_or_default();
        assert!(first.is::<RecordObject>());
        assert_eq!(field(&first, "age_months").and_then(|d| d.as_int().ok()), Some(4));
        assert!(field(&first, "nope").is_none());
        assert!(view.root.field("x").is_some_and(|d| d.is_unit()));
    }
}
