//! Rubric self-tests: a record and the ratings a trainer expects for it.

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::reflection::Record;
use crate::result::RubricResult;
use crate::rubric::RubricMeta;
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
    /// `"not-enough-evidence"` or `"not-applicable"`.
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
    /// Expected rating per indicator id: a level, `"not-enough-evidence"` or `"not-applicable"`. Every indicator
    /// must be listed.
    pub expect: BTreeMap<String, Expected>,
    /// Optional: the exact note (or reason) expected for some indicators, to pin wording that
    /// depends on a threshold as well as the level.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub notes: BTreeMap<String, String>,
    /// Optional: the exact evidence (record paths, in order) expected for some indicators.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub evidence: BTreeMap<String, Vec<String>>,
    /// Optional: the practice score expected, as the report prints it (`3.43`), or `null` when
    /// too few indicators are rated for a score.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub expect_score: Option<Value>,
    /// Optional: the coverage expected, the percentage of indicators rated (`0` to `100`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect_coverage: Option<i64>,
    /// The case file's text, to point problems at their line.
    #[serde(skip)]
    source: String,
}

/// Keeps an explicit `null` as `Some(Value::Null)`, apart from an absent field.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// The 1-based line and column of `"key"` written inside the `"section"` object of a case
/// file's text (the first one after the section's name).
fn key_position(text: &str, section: &str, key: &str) -> Option<(u32, u32)> {
    let quoted = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let start = text
        .find(&format!("{}:", quoted(section)))
        .or_else(|| text.find(&quoted(section)))?;
    let at = if key.is_empty() {
        start
    } else {
        start + text.get(start..)?.find(&quoted(key))?
    };
    let before = text.get(..at)?;
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .unwrap_or_default()
        .chars()
        .count()
        + 1;
    Some((u32::try_from(line).ok()?, u32::try_from(column).ok()?))
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
        let mut case: Case = serde_json::from_str(text).map_err(|e| {
            let d = match crate::rubric::missing_comma(text, &e, Code::CaseFile) {
                Some(d) => d,
                None => crate::json::serde_diagnostic(&e, Code::CaseFile, "invalid case file")
                    .with_help(
                        "a case has `description`, `record` (object or path), optional `set`, \
                         `expect`, and optional `notes`, `evidence`, `expect_score`, `expect_coverage`",
                    ),
            };
            Diagnostics(vec![d.in_file(file)])
        })?;
        case.source = text.to_string();
        Ok(case)
    }

    /// A problem in this case file, at `"key"` of `section` when the text shows it.
    fn problem(&self, d: Diagnostic, file: &str, section: &str, key: &str) -> Diagnostic {
        let d = d.in_file(file);
        match key_position(&self.source, section, key) {
            Some((line, column)) => d.at_line_col(line, column),
            None => d,
        }
    }

    /// `set` pointers whose fields the record format does not have, or whose items the rubric
    /// does not declare: a typo there would otherwise only show as "not enough evidence".
    pub fn check_set(&self, file: &str, meta: &RubricMeta) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for pointer in self.set.keys() {
            let segments: Vec<String> = pointer
                .trim_start_matches('/')
                .split('/')
                .map(crate::diagnostic::unescape_pointer_segment)
                .collect();
            if let Some((segment, allowed)) = unknown_segment(&segments, meta) {
                let allowed: Vec<&str> = allowed.iter().map(String::as_str).collect();
                let help = match crate::json::closest(&segment, &allowed) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("the fields here are {}", crate::json::quoted(&allowed)),
                };
                out.push(
                    self.problem(
                        Diagnostic::error(
                            Code::CaseFile,
                            format!("`set` path `{pointer}` names `{segment}`, which is not there"),
                        )
                        .with_help(help),
                        file,
                        "set",
                        pointer,
                    ),
                );
            }
        }
        out
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
        let record = match self.record(file, load) {
            Ok(record) => record,
            Err(Diagnostics(ds)) => {
                // A typo in a `set` path is often why the record is invalid: said first.
                outcome.problems = self.check_set(file, rubric.meta());
                outcome.problems.extend(ds);
                return outcome;
            }
        };
        let result = match engine.evaluate(rubric, &record) {
            Ok(r) => r,
            Err(Diagnostics(ds)) => {
                outcome.problems = ds;
                return outcome;
            }
        };
        outcome.problems = self.check(file, rubric.meta(), &result);
        outcome.passed = outcome.problems.is_empty();
        outcome.result = Some(result);
        outcome
    }

    /// The case's record (after `set`), parsed and validated; its problems name the case file.
    pub fn record(
        &self,
        file: &str,
        load: &dyn Fn(&str) -> Result<String, String>,
    ) -> Result<Record, Diagnostics> {
        let value = self.record_value(file, load)?;
        Record::from_value(&value)
            .map(|p| p.record)
            .map_err(|Diagnostics(ds)| {
                Diagnostics(ds.into_iter().map(|d| d.in_file(file)).collect())
            })
    }

    /// Compares a result with `expect`: one problem per indicator that differs or is not
    /// listed (empty when the case holds).
    pub fn check(&self, file: &str, meta: &RubricMeta, result: &RubricResult) -> Vec<Diagnostic> {
        let mut problems = self.check_set(file, meta);
        problems.extend(self.check_totals(file, result));
        for ind in &meta.indicators {
            if !self.expect.contains_key(&ind.id) {
                problems.push(
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
        for id in self.notes.keys().chain(self.evidence.keys()) {
            if !meta.indicators.iter().any(|i| &i.id == id) {
                problems.push(
                    Diagnostic::error(
                        Code::CaseFile,
                        format!("`notes` or `evidence` names `{id}`, which is not an indicator of this rubric"),
                    )
                    .with_help("check the indicator id in rubric.json")
                    .in_file(file),
                );
            }
        }
        for (id, want) in &self.expect {
            let Some(got) = result.indicators.iter().find(|i| &i.id == id) else {
                problems.push(
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
                None => Expected::Missing(got.outcome.into()),
            };
            let valid_want = match want {
                Expected::Level(_) => true,
                Expected::Missing(s) => s == "not-enough-evidence" || s == "not-applicable",
            };
            let text = got.note.as_ref().or(got.reason.as_ref());
            // Notes are pinned in the rubric's source language; in another language the script
            // writes its translation (`say`), which the language's check compares instead.
            let in_source = result
                .language
                .as_deref()
                .is_none_or(|l| l == meta.source_language());
            if let Some(note) = self.notes.get(id).filter(|n| in_source && text != Some(*n)) {
                problems.push(self.problem(
                    Diagnostic::error(
                        Code::CaseMismatch,
                        format!(
                            "`{id}`: expected the note `{note}`, got {}",
                            text.map_or("none".to_string(), |t| format!("`{t}`"))
                        ),
                    ),
                    file,
                    "notes",
                    id,
                ));
            }
            if let Some(paths) = self.evidence.get(id).filter(|e| **e != got.evidence) {
                problems.push(self.problem(
                    Diagnostic::error(
                        Code::CaseMismatch,
                        format!(
                            "`{id}`: expected the evidence {}, got {}",
                            paths.join(", "),
                            got.evidence.join(", ")
                        ),
                    ),
                    file,
                    "evidence",
                    id,
                ));
            }
            if !valid_want {
                // Quoted as typed: `"4"` is text, not the level 4.
                let typed = serde_json::to_string(want).unwrap_or_else(|_| want.to_string());
                problems.push(self.problem(
                    Diagnostic::error(Code::CaseFile, format!("expected value `{typed}` for `{id}` is neither a level, `not-enough-evidence` nor `not-applicable`"))
                        .with_help("write a level as a number without quotes, e.g. `4`"),
                    file, "expect", id,
                ));
            } else if &actual != want {
                let why = match (&got.note, &got.reason) {
                    (Some(n), _) => format!(" (note: {n})"),
                    (_, Some(r)) => format!(" (reason: {r})"),
                    _ => String::new(),
                };
                problems.push(self.problem(
                    Diagnostic::error(
                        Code::CaseMismatch,
                        format!("`{id}`: expected {want}, got {actual}{why}"),
                    ),
                    file,
                    "expect",
                    id,
                ));
            }
        }
        problems
    }
}

impl Case {
    /// `expect_score` and `expect_coverage` against the result.
    fn check_totals(&self, file: &str, result: &RubricResult) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let got_score = result.score.map_or("none".to_string(), |s| s.to_string());
        if let Some(want) = &self.expect_score {
            let wanted = match want {
                Value::Null => Ok(None),
                Value::String(s) if s == "none" => Ok(None),
                Value::Number(n) => n
                    .as_f64()
                    .map(|f| Some((f * 100.0).round() as i64))
                    .ok_or(()),
                _ => Err(()),
            };
            match wanted {
                Err(()) => out.push(self.problem(
                    Diagnostic::error(
                        Code::CaseFile,
                        format!("`expect_score` is `{want}`, neither a number nor `null`"),
                    )
                    .with_help("write the score as the report prints it, e.g. `3.43`, or `null` for no score"),
                    file,
                    "expect_score",
                    "",
                )),
                Ok(w) if w != result.score.map(|s| s.hundredths) => out.push(self.problem(
                    Diagnostic::error(
                        Code::CaseMismatch,
                        format!("practice score: expected {want}, got {got_score}"),
                    ),
                    file,
                    "expect_score",
                    "",
                )),
                Ok(_) => {}
            }
        }
        if let Some(want) = self
            .expect_coverage
            .filter(|w| *w != result.coverage.percent)
        {
            out.push(self.problem(
                Diagnostic::error(
                    Code::CaseMismatch,
                    format!(
                        "coverage: expected {want}%, got {}% ({} of {} indicators rated)",
                        result.coverage.percent, result.coverage.rated, result.coverage.total
                    ),
                ),
                file,
                "expect_coverage",
                "",
            ));
        }
        out
    }
}

/// The first segment of a `set` path that the record format (or the rubric's items) does not
/// have, with what is allowed there. Paths inside free-form parts (`extra`, values) pass.
fn unknown_segment(segments: &[String], meta: &RubricMeta) -> Option<(String, Vec<String>)> {
    let fields = |at: &str| -> Vec<String> {
        meta.record_kind()
            .fields()
            .iter()
            .find(|(p, _)| *p == at)
            .map(|(_, f)| f.iter().map(|s| s.to_string()).collect())
            .unwrap_or_default()
    };
    let unknown = |segment: &String, allowed: Vec<String>| {
        (!allowed.contains(segment)).then(|| (segment.clone(), allowed))
    };
    let first = segments.first()?;
    if let Some(found) = unknown(first, fields("")) {
        return Some(found);
    }
    match first.as_str() {
        "items" => {
            if let Some(found) = unknown(segments.get(1)?, vec![meta.id.clone()]) {
                return Some(found);
            }
            let items = meta.items.iter().map(|i| i.id.clone()).collect();
            if let Some(found) = unknown(segments.get(2)?, items) {
                return Some(found);
            }
            unknown(segments.get(3)?, fields("/items/*/*"))
        }
        // A list of objects (`/children/0/age_months`) or an object (`/place/id`).
        _ => {
            let entries = fields(&format!("/{first}/*"));
            if !entries.is_empty() {
                return unknown(segments.get(2)?, entries);
            }
            let object = fields(&format!("/{first}"));
            if !object.is_empty() {
                return unknown(segments.get(1)?, object);
            }
            None
        }
    }
}

/// A case whose record has been read and validated, ready to be scored many times (coverage,
/// mutation testing) without reading it again.
#[derive(Debug, Clone)]
pub struct ReadyCase {
    /// Case name (file name without `.json`).
    pub name: String,
    /// The case file, for diagnostics.
    pub file: String,
    /// The case.
    pub case: Case,
    /// Its record after `set`.
    pub record: Record,
}

impl ReadyCase {
    /// Reads a case file's text and its record.
    pub fn read(
        name: &str,
        file: &str,
        text: &str,
        load: &dyn Fn(&str) -> Result<String, String>,
    ) -> Result<ReadyCase, Diagnostics> {
        let case = Case::parse(text, file)?;
        let record = case.record(file, load)?;
        Ok(ReadyCase {
            name: name.to_string(),
            file: file.to_string(),
            case,
            record,
        })
    }

    /// Scores the record and compares it with `expect`: the result, or every problem.
    pub fn run(
        &self,
        engine: &Engine,
        rubric: &CompiledRubric,
    ) -> (Option<RubricResult>, Vec<Diagnostic>) {
        match engine.evaluate(rubric, &self.record) {
            Ok(result) => {
                let problems = self.case.check(&self.file, rubric.meta(), &result);
                (Some(result), problems)
            }
            Err(Diagnostics(ds)) => (None, ds),
        }
    }
}

fn set_pointer(root: &mut Value, pointer: &str, new: Value) -> Result<(), String> {
    let Some(rest) = pointer.strip_prefix('/') else {
        return Err("a pointer starts with `/`".into());
    };
    let segments: Vec<String> = rest
        .split('/')
        .map(crate::diagnostic::unescape_pointer_segment)
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
