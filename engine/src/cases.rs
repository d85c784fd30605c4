//! Rubric self-tests: a record and the ratings a trainer expects for it.

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::record::Observation;
use crate::result::RubricResult;
use crate::runtime::{CompiledRubric, Engine};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// What a case expects of one indicator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Expected {
    /// This level.
    Level(i64),
    /// `"not-enough-evidence"`.
    Missing(String),
}

impl std::fmt::Display for Expected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Expected::Level(l) => write!(f, "{l}"),
            Expected::Missing(s) => f.write_str(s),
        }
    }
}

/// Where a case's record comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum CaseRecord {
    /// A path to a record file, relative to the case file.
    File(String),
    /// The record itself.
    Inline(Value),
}

/// A self-test case file (`rubrics/<id>/cases/*.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// What the case checks, for the trainer.
    pub description: String,
    /// The record, inline or as a path to a shared example.
    pub record: CaseRecord,
    /// Changes to the record before scoring, applied in file order: JSON pointer → new value
    /// (objects along the way are created; `-` appends to a list; `null` clears an optional field).
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub set: serde_json::Map<String, Value>,
    /// Expected rating per indicator id: a level or `"not-enough-evidence"`. Every indicator
    /// must be listed.
    pub expect: BTreeMap<String, Expected>,
}

/// How one case went.
#[derive(Debug, Clone, Serialize)]
pub struct CaseOutcome {
    /// Case name (file name).
    pub name: String,
    /// The case's description.
    pub description: String,
    /// True when every expectation held.
    pub passed: bool,
    /// One line per indicator that differed, or the errors that stopped the case.
    pub problems: Vec<Diagnostic>,
    /// The full result, when scoring succeeded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<RubricResult>,
}

impl Case {
    /// Parses a case file's text.
    pub fn parse(text: &str, file: &str) -> Result<Case, Diagnostics> {
        serde_json::from_str(text).map_err(|e| {
            Diagnostics(vec![crate::json::serde_diagnostic(
                &e,
                Code::CaseFile,
                "invalid case file",
            )
            .with_help(
                "a case has `description`, `record` (object or path), optional `set`, and `expect`",
            )
            .in_file(file)])
        })
    }

    /// The record after `set` is applied. `load` reads a referenced record file.
    pub fn record_value(
        &self,
        file: &str,
        load: &dyn Fn(&str) -> Result<String, String>,
    ) -> Result<Value, Diagnostics> {
        let fail = |msg: String, help: &str| {
            Diagnostics(vec![Diagnostic::error(Code::CaseFile, msg)
                .with_help(help.to_string())
                .in_file(file)])
        };
        let mut value = match &self.record {
            CaseRecord::Inline(v) => v.clone(),
            CaseRecord::File(path) => {
                let text = load(path).map_err(|e| {
                    fail(
                        format!("cannot read record `{path}`: {e}"),
                        "the path is relative to the case file",
                    )
                })?;
                serde_json::from_str(&text).map_err(|e| {
                    fail(
                        format!("record `{path}` is not valid JSON: {e}"),
                        "fix the record file",
                    )
                })?
            }
        };
        for (pointer, new) in &self.set {
            set_pointer(&mut value, pointer, new.clone()).map_err(|e| {
                fail(
                    format!("cannot set `{pointer}`: {e}"),
                    "point at an existing list entry or an object field",
                )
            })?;
        }
        Ok(value)
    }

    /// Scores the case's record and compares the ratings with `expect`.
    pub fn run(
        &self,
        name: &str,
        file: &str,
        engine: &Engine,
        rubric: &CompiledRubric,
        load: &dyn Fn(&str) -> Result<String, String>,
    ) -> CaseOutcome {
        let mut outcome = CaseOutcome {
            name: name.to_string(),
            description: self.description.clone(),
            passed: false,
            problems: Vec::new(),
            result: None,
        };
        let value = match self.record_value(file, load) {
            Ok(v) => v,
            Err(Diagnostics(ds)) => {
                outcome.problems = ds;
                return outcome;
            }
        };
        let obs = match Observation::from_value(&value) {
            Ok(p) => p.observation,
            Err(Diagnostics(ds)) => {
                outcome.problems = ds.into_iter().map(|d| d.in_file(file)).collect();
                return outcome;
            }
        };
        let result = match engine.evaluate(rubric, &obs) {
            Ok(r) => r,
            Err(Diagnostics(ds)) => {
                outcome.problems = ds;
                return outcome;
            }
        };
        let meta = rubric.meta();
        for ind in &meta.indicators {
            if !self.expect.contains_key(&ind.id) {
                outcome.problems.push(
                    Diagnostic::error(
                        Code::CaseFile,
                        format!("`expect` does not list indicator `{}`", ind.id),
                    )
                    .with_help(
                        "list every indicator with its expected level or \"not-enough-evidence\"",
                    )
                    .in_file(file),
                );
            }
        }
        for (id, want) in &self.expect {
            let Some(got) = result.indicators.iter().find(|i| &i.id == id) else {
                outcome.problems.push(
                    Diagnostic::error(
                        Code::CaseFile,
                        format!("`expect` names `{id}`, which is not an indicator of this rubric"),
                    )
                    .with_help("check the indicator id in rubric.json")
                    .in_file(file),
                );
                continue;
            };
            let actual = match got.level {
                Some(l) => Expected::Level(l),
                None => Expected::Missing("not-enough-evidence".into()),
            };
            let valid_want = match want {
                Expected::Level(_) => true,
                Expected::Missing(s) => s == "not-enough-evidence",
            };
            if !valid_want {
                outcome.problems.push(Diagnostic::error(Code::CaseFile, format!("expected value `{want}` for `{id}` is neither a level nor `not-enough-evidence`")).in_file(file));
            } else if &actual != want {
                let why = match (&got.note, &got.reason) {
                    (Some(n), _) => format!(" (note: {n})"),
                    (_, Some(r)) => format!(" (reason: {r})"),
                    _ => String::new(),
                };
                outcome.problems.push(
                    Diagnostic::error(
                        Code::CaseMismatch,
                        format!("`{id}`: expected {want}, got {actual}{why}"),
                    )
                    .in_file(file),
                );
            }
        }
        outcome.passed = outcome.problems.is_empty();
        outcome.result = Some(result);
        outcome
    }
}

fn set_pointer(root: &mut Value, pointer: &str, new: Value) -> Result<(), String> {
    let Some(rest) = pointer.strip_prefix('/') else {
        return Err("a pointer starts with `/`".into());
    };
    let segments: Vec<String> = rest
        .split('/')
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect();
    let Some((last, parents)) = segments.split_last() else {
        return Err("empty pointer".into());
    };
    let mut cur = root;
    for seg in parents {
        cur = match cur {
            Value::Object(m) => m
                .entry(seg.clone())
                .or_insert_with(|| Value::Object(Default::default())),
            Value::Array(a) => {
                let i: usize = seg
                    .parse()
                    .map_err(|_| format!("`{seg}` is not a list index"))?;
                a.get_mut(i)
                    .ok_or_else(|| format!("list has no entry {i}"))?
            }
            _ => {
                return Err(format!(
                    "`{seg}` is inside a value that is neither an object nor a list"
                ))
            }
        };
    }
    match cur {
        Value::Object(m) => {
            m.insert(last.clone(), new);
            Ok(())
        }
        Value::Array(a) => {
            let i: usize = if last == "-" {
                a.len()
            } else {
                last.parse()
                    .map_err(|_| format!("`{last}` is not a list index"))?
            };
            match i.cmp(&a.len()) {
                std::cmp::Ordering::Less => {
                    if let Some(slot) = a.get_mut(i) {
                        *slot = new;
                    }
                    Ok(())
                }
                std::cmp::Ordering::Equal => {
                    a.push(new);
                    Ok(())
                }
                std::cmp::Ordering::Greater => Err(format!("list has no entry {i}")),
            }
        }
        _ => Err("the parent is neither an object nor a list".into()),
    }
}
