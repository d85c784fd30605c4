//! The rubric runtime: a sandboxed rhai engine, compiled rubrics, and evaluation.

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::helpers;
use crate::record::{ItemValue, Observation};
use crate::result::{build_result, IndicatorOutcome, RubricResult};
use crate::rubric::{parse_meta, ItemType, RubricMeta, RubricSource};
use rhai::{CallFnOptions, Dynamic, EvalAltResult, Map, Position, Scope, AST};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::sync::Arc;

/// Sandbox limits for rubric scripts. Every limit is on by default; hosts may tighten or loosen
/// them. A script that crosses one gets a typed error, never a hang or a crash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Operations one indicator function may run (default 100 000; the shipped rubrics use
    /// about 1 000 on the example records). The budget of one evaluation is this times the
    /// number of indicators (at most 64), so it is always bounded.
    pub max_operations: u64,
    /// Nested function calls (default 24).
    pub max_call_levels: usize,
    /// Expression nesting at the top level of a script (default 48).
    pub max_expr_depth: usize,
    /// Expression nesting inside functions (default 32).
    pub max_function_expr_depth: usize,
    /// Characters in one string (default 8 000: twice the longest text a record may hold).
    ///
    /// rhai does not size-check a map grown key by key (`m[k] = v`), only each value put in
    /// it, so the memory one indicator can hold is about `max_operations / 8` strings of this
    /// size; the two defaults together keep that near 100 MB in the worst case.
    pub max_string_size: usize,
    /// Entries in one array (default 5 000).
    pub max_array_size: usize,
    /// Entries in one object map (default 5 000).
    pub max_map_size: usize,
    /// Variables alive at once (default 256).
    pub max_variables: usize,
    /// Functions in one script (default 128).
    pub max_functions: usize,
    /// Bytes of script text (default 256 KiB).
    pub max_script_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_operations: 100_000,
            max_call_levels: 24,
            max_expr_depth: 48,
            max_function_expr_depth: 32,
            max_string_size: 8_000,
            max_array_size: 5_000,
            max_map_size: 5_000,
            max_variables: 256,
            max_functions: 128,
            max_script_bytes: 256 * 1024,
        }
    }
}

/// The sandboxed scripting engine. Build one, compile rubrics once, evaluate many records.
pub struct Engine {
    rhai: rhai::Engine,
    limits: Limits,
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new(Limits::default())
    }
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("limits", &self.limits)
            .finish()
    }
}

/// A rubric whose metadata checked out and whose script compiled.
#[derive(Debug, Clone)]
pub struct CompiledRubric {
    meta: Arc<RubricMeta>,
    ast: Arc<AST>,
    script: Arc<str>,
    script_file: String,
}

impl CompiledRubric {
    /// The rubric's metadata.
    pub fn meta(&self) -> &RubricMeta {
        &self.meta
    }
    /// The script text (for excerpts in diagnostics).
    pub fn script(&self) -> &str {
        &self.script
    }
    /// The script's file name as given at compile time.
    pub fn script_file(&self) -> &str {
        &self.script_file
    }
}

impl Engine {
    /// An engine with these limits, helpers registered, and nothing else: no imports, no `eval`,
    /// no printing, no clock.
    pub fn new(limits: Limits) -> Self {
        use rhai::packages::Package;
        let mut rhai = rhai::Engine::new_raw();
        rhai.register_global_module(rhai::packages::StandardPackage::new().as_shared_module());
        rhai.set_max_operations(limits.max_operations.max(1))
            .set_max_call_levels(limits.max_call_levels)
            .set_max_expr_depths(limits.max_expr_depth, limits.max_function_expr_depth)
            .set_max_string_size(limits.max_string_size.max(1))
            .set_max_array_size(limits.max_array_size.max(1))
            .set_max_map_size(limits.max_map_size.max(1))
            .set_max_variables(limits.max_variables)
            .set_max_functions(limits.max_functions)
            .set_strict_variables(true)
            .set_fail_on_invalid_map_property(true)
            .set_allow_looping(true)
            .set_allow_shadowing(true);
        rhai.disable_symbol("eval");
        helpers::register(&mut rhai);
        Engine { rhai, limits }
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Checks a rubric's metadata and compiles its script. Every indicator must have a function
    /// `fn <id with _ for ->(r)`.
    pub fn compile(&self, source: &RubricSource) -> Result<CompiledRubric, Diagnostics> {
        let meta = parse_meta(&source.meta, &source.meta_file)?;
        let file = source.script_file.as_str();
        if source.script.len() > self.limits.max_script_bytes {
            return Err(Diagnostics(vec![Diagnostic::error(
                Code::DataSizeLimit,
                format!(
                    "the script is {} bytes; at most {} are allowed",
                    source.script.len(),
                    self.limits.max_script_bytes
                ),
            )
            .with_help("keep each indicator function short; move shared rules into small functions")
            .in_file(file)]));
        }
        let ast = self.rhai.compile(&source.script).map_err(|e| {
            let (line, col) = line_col(e.1);
            let mut msg = lower_first(&e.0.to_string());
            let mut help = "check the brackets, quotes and semicolons near here".to_string();
            if source.script.contains("eval") && msg.contains("eval") {
                msg = "`eval` is not available in rubric scripts".into();
                help = "write the logic directly in the indicator function".into();
            } else if msg.starts_with("undefined variable") {
                help = "define it with `let` first; functions only see their parameter `r`".into();
            } else if msg.contains("import") || msg.contains("export") {
                help = "rubric scripts cannot import modules; helpers are built in".into();
            }
            Diagnostics(vec![Diagnostic::error(Code::ScriptSyntax, msg)
                .with_help(help)
                .in_file(file)
                .at_line_col(line, col)])
        })?;
        let mut errs = Vec::new();
        let functions: Vec<(String, usize)> = ast
            .iter_functions()
            .map(|f| (f.name.to_string(), f.params.len()))
            .collect();
        for (i, ind) in meta.indicators.iter().enumerate() {
            let name = ind.function_name();
            match functions.iter().find(|(n, _)| *n == name) {
                None => errs.push(
                    Diagnostic::error(
                        Code::MissingIndicatorFunction,
                        format!("indicator `{}` has no function `{name}` in the script", ind.id),
                    )
                    .with_help(format!(
                        "add `fn {name}(r) {{ … }}` returning `rating(level, evidence)` or `not_enough_evidence(reason)`"
                    ))
                    .in_file(&source.meta_file)
                    .at_path(format!("/indicators/{i}/id")),
                ),
                Some((_, n)) if *n != 1 => errs.push(at_function(
                    Diagnostic::error(
                        Code::MissingIndicatorFunction,
                        format!("function `{name}` takes {n} parameters; indicator functions take exactly one, the record"),
                    )
                    .with_help(format!("write it as `fn {name}(r) {{ … }}`"))
                    .in_file(file),
                    &source.script,
                    &name,
                )),
                Some(_) => {}
            }
        }
        for (name, _) in &functions {
            if helpers::HELPER_NAMES.contains(&name.as_str()) {
                errs.push(at_function(
                    Diagnostic::error(
                        Code::ShadowsHelper,
                        format!("function `{name}` has the name of a built-in helper"),
                    )
                    .with_help("rename your function so the helper stays available")
                    .in_file(file),
                    &source.script,
                    name,
                ));
            }
        }
        if !errs.is_empty() {
            return Err(Diagnostics(errs));
        }
        Ok(CompiledRubric {
            meta: Arc::new(meta),
            ast: Arc::new(ast),
            script: source.script.as_str().into(),
            script_file: file.to_string(),
        })
    }

    /// Rates one record with one compiled rubric.
    ///
    /// Fails (with every problem found) when the record's items for this rubric do not match
    /// the rubric's item definitions, or when the script errs or returns something that is not
    /// a rating. A fresh scope is used for every indicator call.
    pub fn evaluate(
        &self,
        rubric: &CompiledRubric,
        obs: &Observation,
    ) -> Result<RubricResult, Diagnostics> {
        self.evaluate_canonical(rubric, obs, &obs.to_json())
    }

    /// [`Engine::evaluate`] with the record's canonical JSON already made, so a report over
    /// many rubrics makes it once.
    pub(crate) fn evaluate_canonical(
        &self,
        rubric: &CompiledRubric,
        obs: &Observation,
        record_json: &Value,
    ) -> Result<RubricResult, Diagnostics> {
        let meta = &*rubric.meta;
        let (view, mut warnings, item_errors) = script_view(meta, obs, record_json);
        if !item_errors.is_empty() {
            return Err(Diagnostics(item_errors));
        }
        let record = to_dynamic(&view);
        let citable = citable_record(meta, record_json);
        let mut errs = Vec::new();
        let mut outcomes = Vec::with_capacity(meta.indicators.len());
        for ind in &meta.indicators {
            let name = ind.function_name();
            let mut scope = Scope::new();
            let options = CallFnOptions::new().eval_ast(false).rewind_scope(true);
            let answer = self.rhai.call_fn_with_options::<Dynamic>(
                options,
                &mut scope,
                &rubric.ast,
                &name,
                (record.clone(),),
            );
            match answer {
                Ok(value) => match check_answer(meta, ind, &value, &citable, &rubric.script_file) {
                    Ok(outcome) => outcomes.push(outcome),
                    Err(ds) => errs.extend(
                        ds.into_iter()
                            .map(|d| at_function(d, &rubric.script, &name)),
                    ),
                },
                Err(e) => errs.push(at_function(
                    script_error(&e, &ind.id, &rubric.script_file),
                    &rubric.script,
                    &name,
                )),
            }
        }
        if !errs.is_empty() {
            return Err(Diagnostics(errs));
        }
        Ok(build_result(
            meta,
            obs,
            outcomes,
            std::mem::take(&mut warnings),
        ))
    }
}

/// What a rating may cite: the record without host data (`extra`) and without other rubrics'
/// items, which the script cannot see either.
fn citable_record(meta: &RubricMeta, record: &Value) -> Value {
    let mut citable = record.clone();
    if let Some(obj) = citable.as_object_mut() {
        obj.remove("extra");
        if let Some(Value::Object(items)) = obj.get_mut("items") {
            items.retain(|rubric, _| *rubric == meta.id);
        }
    }
    citable
}

/// Converts the script's view of the record to rhai values. Records hold whole numbers only
/// (the record parser rejects fractions), so every number fits rhai's `INT`.
fn to_dynamic(v: &Value) -> Dynamic {
    match v {
        Value::Null => Dynamic::UNIT,
        Value::Bool(b) => Dynamic::from_bool(*b),
        Value::Number(n) => n.as_i64().map_or(Dynamic::UNIT, Dynamic::from_int),
        Value::String(s) => s.as_str().into(),
        Value::Array(a) => Dynamic::from_array(a.iter().map(to_dynamic).collect()),
        Value::Object(o) => Dynamic::from_map(
            o.iter()
                .map(|(k, v)| (k.as_str().into(), to_dynamic(v)))
                .collect(),
        ),
    }
}

/// The record as a script sees it: the canonical record, with `items` narrowed to this rubric's
/// declared items (`()` where the coach recorded nothing). Also checks the recorded items.
fn script_view(
    meta: &RubricMeta,
    obs: &Observation,
    record: &Value,
) -> (Value, Vec<Diagnostic>, Vec<Diagnostic>) {
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    let recorded = obs.items.get(&meta.id);
    let mut items = serde_json::Map::new();
    for def in &meta.items {
        let entry = recorded.and_then(|r| r.get(&def.id));
        let path = format!("/items/{}/{}/value", meta.id, def.id);
        if let Some(item) = entry {
            if let Some(d) = check_item_value(def, &item.value, &path) {
                errors.push(d);
            }
        }
        items.insert(
            def.id.clone(),
            entry.map_or(Value::Null, |i| {
                serde_json::to_value(i).unwrap_or(Value::Null)
            }),
        );
    }
    if let Some(recorded) = recorded {
        let declared: Vec<&str> = meta.items.iter().map(|d| d.id.as_str()).collect();
        for id in recorded.keys() {
            if !declared.contains(&id.as_str()) {
                let mut d = Diagnostic::warning(
                    Code::UndeclaredItem,
                    format!(
                        "item `{id}` is not part of rubric `{}` and was not used",
                        meta.id
                    ),
                )
                .at_path(format!(
                    "/items/{}/{}",
                    meta.id,
                    crate::diagnostic::pointer_segment(id)
                ));
                d = match crate::json::closest(id, &declared) {
                    Some(s) => d.with_help(format!("did you mean `{s}`?")),
                    None => d.with_help("check the item id against the rubric's items"),
                };
                warnings.push(d);
            }
        }
    }
    let mut view = record.clone();
    if let Some(obj) = view.as_object_mut() {
        obj.insert("items".into(), Value::Object(items));
        obj.remove("extra");
    }
    (view, warnings, errors)
}

fn check_item_value(
    def: &crate::rubric::ItemDef,
    value: &ItemValue,
    path: &str,
) -> Option<Diagnostic> {
    let bad = |msg: String, help: String| {
        Some(
            Diagnostic::error(Code::ItemValue, msg)
                .with_help(help)
                .at_path(path),
        )
    };
    match (def.item_type, value) {
        (ItemType::Count, ItemValue::Count(n)) => {
            let lo = def.min.unwrap_or(0);
            let hi = def.max.unwrap_or(100_000);
            if *n < lo || *n > hi {
                return bad(
                    format!(
                        "`{}` must be a count from {lo} to {hi}, found `{n}`",
                        def.id
                    ),
                    "correct the count".into(),
                );
            }
            None
        }
        (ItemType::Count, ItemValue::Text(t)) if t == "not-observed" => None,
        (ItemType::Count, ItemValue::Text(t)) => bad(
            format!("`{}` is a count, found the text `\"{t}\"`", def.id),
            "write a whole number, e.g. `3`".into(),
        ),
        (ItemType::Note, ItemValue::Text(_)) => None,
        (ItemType::Note, ItemValue::Count(n)) => bad(
            format!("`{}` is a note, found the number `{n}`", def.id),
            "write the note as text".into(),
        ),
        (_, ItemValue::Count(n)) => bad(
            format!(
                "`{}` takes one of {}, found the number `{n}`",
                def.id,
                crate::json::quoted(&def.allowed_values())
            ),
            "pick one of the listed values".into(),
        ),
        (_, ItemValue::Text(t)) => {
            let allowed = def.allowed_values();
            if allowed.contains(&t.as_str()) {
                None
            } else {
                let help = match crate::json::closest(t, &allowed) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("use one of {}", crate::json::quoted(&allowed)),
                };
                bad(
                    format!("`{t}` is not a valid answer for `{}`", def.id),
                    help,
                )
            }
        }
    }
}

/// Checks what an indicator function returned and turns it into an outcome.
fn check_answer(
    meta: &RubricMeta,
    ind: &crate::rubric::Indicator,
    value: &Dynamic,
    record: &Value,
    file: &str,
) -> Result<IndicatorOutcome, Vec<Diagnostic>> {
    let fn_name = ind.function_name();
    let shape = |what: String| {
        vec![Diagnostic::error(Code::WrongReturnShape, format!("`{fn_name}` (indicator `{}`) returned {what}", ind.id))
            .with_help("end the function with `rating(level, evidence)`, `rating(level, evidence, note)` or `not_enough_evidence(reason)`")
            .in_file(file)]
    };
    let Some(map) = value.read_lock::<Map>().map(|m| m.clone()) else {
        return Err(shape(format!(
            "{} instead of a rating",
            describe_dynamic(value)
        )));
    };
    let get_str = |k: &str| {
        map.get(k).and_then(|v| {
            v.read_lock::<rhai::ImmutableString>()
                .map(|s| s.to_string())
        })
    };
    let keys: Vec<String> = map.keys().map(|k| k.to_string()).collect();
    match get_str("outcome").as_deref() {
        Some("not-enough-evidence") => {
            if let Some(extra) = keys
                .iter()
                .find(|k| !["outcome", "reason"].contains(&k.as_str()))
            {
                return Err(shape(format!("a map with the unexpected key `{extra}`")));
            }
            let reason = get_str("reason").filter(|r| !r.trim().is_empty());
            match reason {
                Some(reason) if reason.chars().count() <= 500 => {
                    Ok(IndicatorOutcome::NotEnoughEvidence { reason })
                }
                Some(_) => Err(shape("a reason longer than 500 characters".into())),
                None => Err(shape(
                    "`not_enough_evidence` without a reason (text)".into(),
                )),
            }
        }
        Some("rated") => {
            if let Some(extra) = keys
                .iter()
                .find(|k| !["outcome", "level", "evidence", "note"].contains(&k.as_str()))
            {
                return Err(shape(format!("a map with the unexpected key `{extra}`")));
            }
            let level = match map.get("level").map(|l| l.as_int()) {
                Some(Ok(l)) => l,
                _ => {
                    return Err(shape(format!(
                        "a level that is {}, not a whole number",
                        map.get("level").map_or("missing".into(), describe_dynamic)
                    )))
                }
            };
            if meta.scale.level(level).is_none() {
                return Err(vec![Diagnostic::error(
                    Code::RatingOffScale,
                    format!(
                        "`{fn_name}` rated indicator `{}` at `{level}`, outside the scale {}–{}",
                        ind.id,
                        meta.scale.min(),
                        meta.scale.max()
                    ),
                )
                .with_help("return a level of the rubric's scale")
                .in_file(file)]);
            }
            let note = match map.get("note") {
                None => None,
                Some(n) if n.is_unit() => None,
                Some(n) => match n.read_lock::<rhai::ImmutableString>() {
                    Some(s) if s.chars().count() <= 1000 => Some(s.to_string()),
                    _ => {
                        return Err(shape(format!(
                            "a note that is {}, not text of at most 1000 characters",
                            describe_dynamic(n)
                        )))
                    }
                },
            };
            let evidence_list: Vec<Dynamic> = match map
                .get("evidence")
                .and_then(|e| e.read_lock::<rhai::Array>().map(|a| a.clone()))
            {
                Some(a) => a,
                None => return Err(shape("a rating without an evidence list".into())),
            };
            if evidence_list.is_empty() {
                return Err(vec![Diagnostic::error(Code::EvidenceNotFound, format!("`{fn_name}` rated indicator `{}` without citing evidence", ind.id))
                    .with_help("every rating cites its evidence: pass record paths such as `\"/children\"` or item ids")
                    .in_file(file)]);
            }
            let mut errs = Vec::new();
            let mut evidence = Vec::new();
            for e in &evidence_list {
                let Some(s) = e
                    .read_lock::<rhai::ImmutableString>()
                    .map(|s| s.to_string())
                else {
                    errs.extend(shape(format!(
                        "evidence entry {} instead of a path (text)",
                        describe_dynamic(e)
                    )));
                    continue;
                };
                let path = if s.starts_with('/') {
                    s.clone()
                } else {
                    format!(
                        "/items/{}/{}",
                        meta.id,
                        crate::diagnostic::pointer_segment(&s)
                    )
                };
                if record.pointer(&path).is_none() {
                    errs.push(Diagnostic::error(Code::EvidenceNotFound, format!("`{fn_name}` cites `{s}`, which points at nothing in the record"))
                        .with_help("cite a record path that exists (e.g. `/children/0/age_months`) or a recorded item id; return `not_enough_evidence(reason)` when the evidence is missing")
                        .in_file(file));
                } else if !evidence.contains(&path) {
                    evidence.push(path);
                }
            }
            if !errs.is_empty() {
                return Err(errs);
            }
            Ok(IndicatorOutcome::Rated {
                level,
                evidence,
                note,
            })
        }
        _ => Err(shape(
            "a map without `outcome: \"rated\"` or `\"not-enough-evidence\"`".into(),
        )),
    }
}

fn describe_dynamic(v: &Dynamic) -> String {
    if v.is_unit() {
        "nothing (`()`)".into()
    } else if v.is_int() {
        format!("the number `{v}`")
    } else if v.is_string() {
        let s = v.to_string();
        let short: String = s.chars().take(40).collect();
        format!("the text `\"{short}\"`")
    } else if v.is_bool() {
        format!("`{v}`")
    } else if v.is_array() {
        "a list".into()
    } else if v.is_map() {
        "a map".into()
    } else {
        format!("a value of type `{}`", v.type_name())
    }
}

/// Points a diagnostic without a place at the line where `fn <name>` is defined, so a coach
/// sees which function returned the bad value.
fn at_function(d: Diagnostic, script: &str, name: &str) -> Diagnostic {
    if d.location.line.is_some() {
        return d;
    }
    let found = script.lines().enumerate().find_map(|(i, line)| {
        let col = line.find("fn ")?;
        let rest = line.get(col + 3..)?.trim_start();
        let after = rest.strip_prefix(name)?;
        after.trim_start().starts_with('(').then(|| {
            (
                i as u32 + 1,
                line.get(..col).map_or(0, |p| p.chars().count()) as u32 + 1,
            )
        })
    });
    match found {
        Some((line, col)) => d.at_line_col(line, col),
        None => d,
    }
}

fn line_col(pos: Position) -> (u32, u32) {
    (
        pos.line().unwrap_or(1) as u32,
        pos.position().unwrap_or(1).max(1) as u32,
    )
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Turns a rhai error into a diagnostic at the innermost script position.
fn script_error(err: &EvalAltResult, indicator: &str, file: &str) -> Diagnostic {
    let mut e = err;
    while let EvalAltResult::ErrorInFunctionCall(_, _, inner, _) = e {
        e = inner;
    }
    let mut pos = e.position();
    if pos.is_none() {
        pos = err.position();
    }
    let (code, msg, help): (Code, String, String) = match e {
        EvalAltResult::ErrorTooManyOperations(_) => (Code::OperationLimit, format!("indicator `{indicator}` ran past its operation budget"), "look for a loop that never ends or work that grows with each step".into()),
        EvalAltResult::ErrorStackOverflow(_) => (Code::CallDepthLimit, format!("indicator `{indicator}` nested function calls too deeply"), "look for a function that calls itself without stopping".into()),
        EvalAltResult::ErrorDataTooLarge(what, _) => (Code::DataSizeLimit, format!("indicator `{indicator}` built data that is too large ({})", lower_first(what)), "look for a string, list or map that keeps growing".into()),
        EvalAltResult::ErrorTooManyVariables(_) => (Code::DataSizeLimit, format!("indicator `{indicator}` uses too many variables"), "split the function into smaller ones".into()),
        EvalAltResult::ErrorPropertyNotFound(p, _) => (Code::UnknownProperty, format!("indicator `{indicator}` reads `{p}`, which the record does not have"), "check the field name against the record format (docs/record-format.md)".into()),
        EvalAltResult::ErrorVariableNotFound(v, _) => (Code::UnknownProperty, format!("indicator `{indicator}` uses the undefined variable `{v}`"), "define it with `let` first; functions only see their parameter `r`".into()),
        EvalAltResult::ErrorIndexNotFound(i, _) => (Code::UnknownProperty, format!("indicator `{indicator}` reads `{i}`, which does not exist"), "check the key; use `item(r, id)` for items".into()),
        EvalAltResult::ErrorFunctionNotFound(f, _) => (Code::UnknownFunction, format!("indicator `{indicator}` calls `{f}`, which does not exist"), "check the name and arguments against the helpers in rubrics/README.md".into()),
        EvalAltResult::ErrorArrayBounds(len, idx, _) => (Code::ScriptRuntime, format!("indicator `{indicator}` reads entry {idx} of a list of {len}"), "check the list length first with `.len()`".into()),
        EvalAltResult::ErrorRuntime(v, _) => (Code::ScriptRuntime, format!("indicator `{indicator}` stopped: {}", v), "fix the condition that made the script throw".into()),
        EvalAltResult::ErrorArithmetic(m, _) => (Code::ScriptRuntime, format!("indicator `{indicator}` hit an arithmetic error: {}", lower_first(m)), "guard divisions with a check for zero; use `percent(part, whole)`".into()),
        EvalAltResult::ErrorParsing(rhai::ParseErrorType::Reserved(word), _) => (Code::UnknownFunction, format!("indicator `{indicator}` tried to use `{word}`, which is not available in rubric scripts"), "write the logic directly in the indicator function".into()),
        EvalAltResult::ErrorMismatchDataType(want, got, _) => (Code::ScriptRuntime, format!("indicator `{indicator}` used a {got} where a {want} was needed"), "check the value's type".into()),
        other => (Code::ScriptRuntime, format!("indicator `{indicator}` failed: {}", lower_first(&other.to_string()).split(" (line ").next().unwrap_or_default()), "fix the script at this place".into()),
    };
    let mut d = Diagnostic::error(code, msg).with_help(help).in_file(file);
    if !pos.is_none() {
        let (l, c) = line_col(pos);
        d = d.at_line_col(l, c);
    }
    d
}
