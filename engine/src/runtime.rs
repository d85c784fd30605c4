//! The rubric runtime: a sandboxed rhai engine, compiled rubrics, and evaluation.

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::diagnostic_text::{self as catalogue, Text};
use crate::helpers;
use crate::helpers::Verdict;
use crate::record::ItemValue;
use crate::reflection::RecordRef;
use crate::result::{build_result, IndicatorOutcome, RubricResult};
use crate::rubric::{parse_meta, ItemType, RubricMeta, RubricSource};
use crate::view::RecordView;
use rhai::{CallFnOptions, Dynamic, EvalAltResult, Position, Scope, AST};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Sandbox limits for rubric scripts. Every limit is on by default; hosts may tighten or loosen
/// them. A script that crosses one gets a typed error, never a hang or a crash. No setting
/// turns a limit off: a zero is raised to 1, the strictest value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Operations one indicator function may run (default 100 000; the shipped rubrics use
    /// about 1 000 on the example records). Counted the same way on every machine, so a
    /// script that loops too long fails alike everywhere; [`Limits::deadline_ms`] catches the
    /// scripts whose few operations each do a lot of work.
    pub max_operations: u64,
    /// Milliseconds one rubric's evaluation may take, all its indicators together (default
    /// 200). Enforced when the host gives the engine a clock: natively always, in the browser
    /// through the wasm package. The indicators still to run when it passes fail with R0311
    /// and the other rubrics of a report still report.
    pub deadline_ms: u64,
    /// Bytes one indicator call may allocate beyond what was in use when it started (default
    /// 64 MiB). Enforced when the host gives the engine a memory meter (the CLI and the wasm
    /// package do); the structural limits below apply everywhere.
    pub max_memory_bytes: u64,
    /// Nested function calls (default 24).
    pub max_call_levels: usize,
    /// Expression nesting at the top level of a script (default 48).
    pub max_expr_depth: usize,
    /// Expression nesting inside functions (default 32).
    pub max_function_expr_depth: usize,
    /// Bytes in one string a script builds, or in all the strings of one list or map together
    /// (default 32 768: twice the longest text a record may hold, 4 000 characters of up to
    /// 4 bytes). The record a script is given is not counted.
    pub max_string_size: usize,
    /// Entries in one array (default 5 000).
    pub max_array_size: usize,
    /// Entries in one object map (default 5 000).
    pub max_map_size: usize,
    /// Variables alive at once (default 256).
    pub max_variables: usize,
    /// Functions in one script (default 128).
    pub max_functions: usize,
    /// Parameters of one function or closure (default 16).
    pub max_params: usize,
    /// Bytes of script text (default 256 KiB).
    pub max_script_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_operations: 100_000,
            deadline_ms: 200,
            max_memory_bytes: 64 * 1024 * 1024,
            max_call_levels: 24,
            max_expr_depth: 48,
            max_function_expr_depth: 32,
            max_string_size: 32 * 1024,
            max_array_size: 5_000,
            max_map_size: 5_000,
            max_variables: 256,
            max_functions: 128,
            max_params: 16,
            max_script_bytes: 256 * 1024,
        }
    }
}

impl Limits {
    /// These limits with every zero raised to 1, so that no setting turns a limit off (rhai
    /// reads 0 as "no limit" for several of them).
    fn at_least_one(self) -> Limits {
        Limits {
            max_operations: self.max_operations.max(1),
            deadline_ms: self.deadline_ms.max(1),
            max_memory_bytes: self.max_memory_bytes.max(1),
            max_call_levels: self.max_call_levels.max(1),
            max_expr_depth: self.max_expr_depth.max(1),
            max_function_expr_depth: self.max_function_expr_depth.max(1),
            max_string_size: self.max_string_size.max(1),
            max_array_size: self.max_array_size.max(1),
            max_map_size: self.max_map_size.max(1),
            max_variables: self.max_variables.max(1),
            max_functions: self.max_functions.max(1),
            max_params: self.max_params.max(1),
            max_script_bytes: self.max_script_bytes.max(1),
        }
    }
}

/// Milliseconds from any fixed start: the host's clock for [`Limits::deadline_ms`].
pub type Clock = fn() -> u64;
/// Bytes the host's allocator has in use: the meter for [`Limits::max_memory_bytes`].
pub type MemoryMeter = fn() -> usize;

/// The native clock: milliseconds since the first reading.
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
fn native_clock() -> u64 {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START
        .get_or_init(std::time::Instant::now)
        .elapsed()
        .as_millis() as u64
}

static HOST_CLOCK: std::sync::OnceLock<Clock> = std::sync::OnceLock::new();
static HOST_MEMORY: std::sync::OnceLock<MemoryMeter> = std::sync::OnceLock::new();

/// Sets, once for the whole process, the clock every [`Engine`] made afterwards keeps
/// [`Limits::deadline_ms`] with (a browser host passes `Date.now`; natively the system clock
/// is used when none is set). Returns `false` when one was set already.
pub fn use_host_clock(clock: Clock) -> bool {
    HOST_CLOCK.set(clock).is_ok()
}

/// Sets, once for the whole process, the meter of allocated bytes every [`Engine`] made
/// afterwards keeps [`Limits::max_memory_bytes`] with; typically a counting global allocator
/// such as [`crate::ThreadMeter`]. Returns `false` when one was set already.
pub fn use_host_memory_meter(meter: MemoryMeter) -> bool {
    HOST_MEMORY.set(meter).is_ok()
}

/// What one indicator call may still spend, kept per thread so that one engine can serve
/// several threads.
#[derive(Clone, Copy)]
struct Budget {
    deadline: Option<(Clock, u64)>,
    memory_ceiling: Option<(MemoryMeter, usize)>,
}

thread_local! {
    static BUDGET: std::cell::Cell<Option<Budget>> = const { std::cell::Cell::new(None) };
}

/// Why a call was stopped by the progress check.
const STOP_TIME: &str = "deadline";
const STOP_MEMORY: &str = "memory";

/// The sandboxed scripting engine. Build one, compile rubrics once, evaluate many records.
pub struct Engine {
    rhai: rhai::Engine,
    limits: Limits,
    clock: Option<Clock>,
    memory: Option<MemoryMeter>,
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
            .field("clock", &self.clock.is_some())
            .field("memory_meter", &self.memory.is_some())
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
    language: Option<Arc<str>>,
}

impl CompiledRubric {
    /// The rubric's metadata (its texts in [`CompiledRubric::language`] when it was asked for
    /// one).
    pub fn meta(&self) -> &RubricMeta {
        &self.meta
    }

    /// The rubric with its texts in `lang` when it has that language (`es-MX` finds `es`),
    /// else in its source language; its results then say which language their texts are in.
    /// Ratings do not change: the script and the ids are the same.
    pub fn in_language(&self, lang: &str) -> CompiledRubric {
        let wanted = self
            .meta
            .language_for(lang)
            .unwrap_or_else(|| self.meta.source_language());
        if self.language.as_deref() == Some(wanted) {
            return self.clone();
        }
        let (meta, found) = self.meta.localized(wanted);
        CompiledRubric {
            meta: Arc::new(meta),
            language: Some(found.into()),
            ..self.clone()
        }
    }

    /// The language of the texts when one was asked for ([`CompiledRubric::in_language`]);
    /// `None` for the rubric as compiled, whose results carry no `language`.
    pub fn language(&self) -> Option<&str> {
        self.language.as_deref()
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

/// Where in the script the value an indicator returned was made: the position of the
/// `rating(…)` or `not_enough_evidence(…)` call (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorSite {
    /// The indicator's id.
    pub indicator: String,
    /// Line of the call.
    pub line: u32,
    /// Column of the call.
    pub col: u32,
}

impl Engine {
    /// An engine with these limits, helpers registered, and nothing else: no imports, no `eval`,
    /// no closures that capture, no `curry`, no printing, no clock for scripts. The deadline
    /// and memory bound are kept with the process's host clock and meter
    /// ([`use_host_clock`], [`use_host_memory_meter`]; natively the system clock by default),
    /// or per engine with [`Engine::with_clock`] and [`Engine::with_memory_meter`].
    pub fn new(limits: Limits) -> Self {
        use rhai::packages::{
            BasicArrayPackage, BasicMapPackage, BasicMathPackage, CorePackage, LogicPackage,
            MoreStringPackage, Package,
        };
        let limits = limits.at_least_one();
        let mut rhai = rhai::Engine::new_raw();
        // Only what rubrics use: no blobs, no bit fields. One module holds all the packages, so
        // looking a function up searches one table, not six.
        let mut packages = rhai::Module::new();
        for package in [
            CorePackage::new().as_shared_module(),
            LogicPackage::new().as_shared_module(),
            BasicMathPackage::new().as_shared_module(),
            BasicArrayPackage::new().as_shared_module(),
            BasicMapPackage::new().as_shared_module(),
            MoreStringPackage::new().as_shared_module(),
        ] {
            packages.combine_flatten((*package).clone());
        }
        rhai.register_global_module(packages.into());
        rhai.set_max_operations(limits.max_operations)
            .set_max_call_levels(limits.max_call_levels)
            .set_max_expr_depths(limits.max_expr_depth, limits.max_function_expr_depth)
            .set_max_string_size(limits.max_string_size)
            .set_max_array_size(limits.max_array_size)
            .set_max_map_size(limits.max_map_size)
            .set_max_variables(limits.max_variables)
            .set_max_functions(limits.max_functions)
            .set_strict_variables(true)
            .set_fail_on_invalid_map_property(true)
            .set_allow_looping(true)
            .set_allow_shadowing(true);
        rhai.disable_symbol("eval");
        // Curried arguments escape every size limit, and rubrics do not need them.
        rhai.disable_symbol("curry");
        rhai.on_progress(progress_check);
        limit_parameters(&mut rhai, limits.max_params);
        crate::view::register(&mut rhai);
        helpers::register(&mut rhai);
        #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
        let native: Option<Clock> = Some(native_clock);
        #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
        let native: Option<Clock> = None;
        Engine {
            rhai,
            limits,
            clock: HOST_CLOCK.get().copied().or(native),
            memory: HOST_MEMORY.get().copied(),
        }
    }

    /// Keeps [`Limits::deadline_ms`] with this clock (milliseconds from any fixed start).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Keeps [`Limits::max_memory_bytes`] with this meter of the bytes the host's allocator has
    /// in use (for example [`crate::ThreadMeter::in_use_by_this_thread`], which counts each
    /// thread apart; a process-wide meter also works, and with several threads scoring at once
    /// it sees them all, so the bound is conservative).
    pub fn with_memory_meter(mut self, meter: MemoryMeter) -> Self {
        self.memory = Some(meter);
        self
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The sandboxed rhai engine, for the static checks (`lint.rs`) to list its functions.
    pub(crate) fn rhai(&self) -> &rhai::Engine {
        &self.rhai
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
        let script = normalized_script(&source.script);
        if let Some(d) = check_characters(&script, file) {
            return Err(Diagnostics(vec![d]));
        }
        PARAMS.with(|p| p.set(ParamScan::Idle));
        let ast = self.rhai.compile(&*script).map_err(|e| {
            let (line, col) = line_col(e.1);
            let mut msg = lower_first(&e.0.to_string());
            let mut help = "check the brackets, quotes and semicolons near here".to_string();
            if script.contains("eval") && msg.contains("eval") {
                msg = "`eval` is not available in rubric scripts".into();
                help = "write the logic directly in the indicator function".into();
            } else if msg.contains("parameters in one function") {
                help = "pass a map or a list instead of many separate values".into();
            } else if script.contains("curry") && msg.contains("property") {
                msg = "`curry` is not available in rubric scripts".into();
                help = "call the function with all its arguments".into();
            } else if msg.starts_with("undefined variable") {
                help = "define it with `let` first; functions only see their parameter `r`".into();
            } else if msg.contains("import") || msg.contains("export") {
                help = "rubric scripts cannot import modules; helpers are built in".into();
            }
            Diagnostics(vec![one_line(
                Diagnostic::error(Code::ScriptSyntax, msg)
                    .with_help(help)
                    .in_file(file)
                    .at_line_col(line, col),
            )])
        })?;
        let mut errs = Vec::new();
        let functions: Vec<(String, usize)> = ast
            .iter_functions()
            .map(|f| (f.name.to_string(), f.params.len()))
            .collect();
        for (i, ind) in meta.indicators.iter().enumerate() {
            let name = ind.function_name();
            // rhai overloads by arity: the one-parameter definition is the one that is called.
            let arities: Vec<usize> = functions
                .iter()
                .filter(|(n, _)| *n == name)
                .map(|(_, a)| *a)
                .collect();
            let wrong = (!arities.contains(&1))
                .then(|| arities.first().copied())
                .flatten();
            match (arities.is_empty(), wrong) {
                (true, _) => errs.push(
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
                (false, Some(n)) => errs.push(at_function(
                    Diagnostic::error(
                        Code::MissingIndicatorFunction,
                        format!("function `{name}` takes {n} parameters; indicator functions take exactly one, the record"),
                    )
                    .with_help(format!("write it as `fn {name}(r) {{ … }}`"))
                    .in_file(file),
                    &script,
                    &name,
                )),
                (false, None) => {}
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
                    &script,
                    name,
                ));
            }
        }
        errs.extend(crate::messages::check_calls(&meta, &ast, file));
        if !errs.is_empty() {
            return Err(Diagnostics(errs));
        }
        Ok(CompiledRubric {
            meta: Arc::new(meta),
            ast: Arc::new(ast),
            script: script.as_ref().into(),
            script_file: file.to_string(),
            language: None,
        })
    }

    /// Rates one record with one compiled rubric.
    ///
    /// Fails (with every problem found) when the record's items for this rubric do not match
    /// the rubric's item definitions, or when the script errs or returns something that is not
    /// a rating. A fresh scope is used for every indicator call.
    pub fn evaluate<'a>(
        &self,
        rubric: &CompiledRubric,
        record: impl Into<RecordRef<'a>>,
    ) -> Result<RubricResult, Diagnostics> {
        self.evaluate_traced(rubric, record).0
    }

    /// [`Engine::evaluate`], and for each indicator that returned a rating or "not enough
    /// evidence", where in the script that value was made (for coverage reports).
    pub fn evaluate_traced<'a>(
        &self,
        rubric: &CompiledRubric,
        record: impl Into<RecordRef<'a>>,
    ) -> (Result<RubricResult, Diagnostics>, Vec<IndicatorSite>) {
        let record = record.into();
        self.evaluate_view(rubric, record, &RecordView::new(record))
    }

    /// Evaluation with the record's script view already made, so a report over many rubrics
    /// makes it once.
    pub(crate) fn evaluate_view(
        &self,
        rubric: &CompiledRubric,
        record: RecordRef<'_>,
        view: &RecordView,
    ) -> (Result<RubricResult, Diagnostics>, Vec<IndicatorSite>) {
        let meta = &*rubric.meta;
        let rates = meta.record_kind();
        if rates != record.kind() {
            let d = Diagnostic::error_text(
                Code::UnsupportedFormat,
                Text::new(&catalogue::RUBRIC_RATES_OTHER_KIND)
                    .arg("rubric", meta.id.as_str())
                    .arg("rates", catalogue::Arg::phrase(rates.noun()))
                    .arg("rates_format", rates.format())
                    .arg("kind", catalogue::Arg::phrase(record.kind().noun()))
                    .arg("format", record.kind().format()),
            )
            .with_help_text(Text::new(&catalogue::SCORE_WITH_ITS_KIND))
            .at_path("/format");
            return (Err(Diagnostics(vec![d])), Vec::new());
        }
        let (warnings, item_errors) = check_items(meta, record);
        if !item_errors.is_empty() {
            return (Err(Diagnostics(item_errors)), Vec::new());
        }
        let seen = view.for_rubric(meta);
        let deadline = self
            .clock
            .map(|clock| (clock, clock().saturating_add(self.limits.deadline_ms)));
        let mut errs = Vec::new();
        let mut sites = Vec::new();
        let mut outcomes = Vec::with_capacity(meta.indicators.len());
        // `say` and the table helpers speak the rubric's language until this is dropped.
        let _speaking = crate::messages::speak(rubric.meta.clone(), rubric.language());
        for ind in &meta.indicators {
            // "Not applicable" is decided by the engine from the metadata; the script is not run.
            // Conditions are about an observed group; a rubric for other records has none.
            let not_applicable = record
                .observation()
                .and_then(|obs| ind.not_applicable_in(obs, rubric.language()));
            if let Some(reason) = not_applicable {
                outcomes.push(IndicatorOutcome::NotApplicable { reason });
                continue;
            }
            let name = ind.function_name();
            if deadline.is_some_and(|(clock, at)| clock() > at) {
                errs.push(at_function(
                    self.time_limit(&ind.id, &rubric.script_file),
                    &rubric.script,
                    &name,
                ));
                continue;
            }
            let memory_ceiling = self.memory.map(|meter| {
                let limit = usize::try_from(self.limits.max_memory_bytes).unwrap_or(usize::MAX);
                (meter, meter().saturating_add(limit))
            });
            BUDGET.with(|b| {
                b.set(Some(Budget {
                    deadline,
                    memory_ceiling,
                }))
            });
            let mut scope = Scope::new();
            let options = CallFnOptions::new().eval_ast(false).rewind_scope(true);
            let answer = self.rhai.call_fn_with_options::<Dynamic>(
                options,
                &mut scope,
                &rubric.ast,
                &name,
                (seen.clone(),),
            );
            BUDGET.with(|b| b.set(None));
            match answer {
                Ok(value) => match check_answer(meta, ind, &value, view, &rubric.script_file) {
                    Ok((outcome, at)) => {
                        outcomes.push(outcome);
                        if let (Some(line), Some(col)) = (at.line(), at.position()) {
                            sites.push(IndicatorSite {
                                indicator: ind.id.clone(),
                                line: line as u32,
                                col: col as u32,
                            });
                        }
                    }
                    Err(ds) => errs.extend(
                        ds.into_iter()
                            .map(|d| at_function(d, &rubric.script, &name)),
                    ),
                },
                Err(e) => errs.push(at_function(
                    past_dot(
                        self.script_error(&e, &ind.id, &rubric.script_file),
                        &rubric.script,
                    ),
                    &rubric.script,
                    &name,
                )),
            }
        }
        if !errs.is_empty() {
            return (
                Err(Diagnostics(errs.into_iter().map(one_line).collect())),
                sites,
            );
        }
        let mut result = build_result(meta, record.id(), outcomes, warnings);
        result.language = rubric.language().map(str::to_string);
        (Ok(result), sites)
    }

    fn time_limit(&self, indicator: &str, file: &str) -> Diagnostic {
        Diagnostic::error_text(
            Code::TimeLimit,
            Text::new(&catalogue::RAN_PAST_TIME)
                .arg("indicator", indicator)
                .arg("ms", self.limits.deadline_ms),
        )
        .with_help_text(Text::new(&catalogue::RAN_PAST_TIME_HELP))
        .in_file(file)
    }

    /// Turns a rhai error into a diagnostic at the innermost script position.
    fn script_error(&self, err: &EvalAltResult, indicator: &str, file: &str) -> Diagnostic {
        if let EvalAltResult::ErrorTerminated(why, pos) = innermost(err) {
            let d = if why.to_string() == STOP_MEMORY {
                Diagnostic::error_text(
                    Code::DataSizeLimit,
                    Text::new(&catalogue::RAN_PAST_MEMORY)
                        .arg("indicator", indicator)
                        .arg("mib", self.limits.max_memory_bytes / (1024 * 1024)),
                )
                .with_help_text(Text::new(&catalogue::RAN_PAST_MEMORY_HELP))
                .in_file(file)
            } else {
                self.time_limit(indicator, file)
            };
            return if pos.is_none() {
                d
            } else {
                let (l, c) = line_col(*pos);
                d.at_line_col(l, c)
            };
        }
        script_error(err, indicator, file)
    }
}

/// The per-operation check rhai calls: stops a call that passed its deadline or allocated
/// past its memory ceiling. Both are read every 16 operations: each operation's own work and
/// allocation are bounded by the size limits, so a call can overshoot by at most what 16
/// operations can do.
fn progress_check(ops: u64) -> Option<Dynamic> {
    if ops % 16 != 0 {
        return None;
    }
    let budget = BUDGET.with(std::cell::Cell::get)?;
    if let Some((meter, ceiling)) = budget.memory_ceiling {
        if meter() > ceiling {
            return Some(STOP_MEMORY.into());
        }
    }
    if let Some((clock, deadline)) = budget.deadline {
        if clock() > deadline {
            return Some(STOP_TIME.into());
        }
    }
    None
}

thread_local! {
    /// Where the token stream is in a parameter list while a script compiles.
    static PARAMS: std::cell::Cell<ParamScan> = const { std::cell::Cell::new(ParamScan::Idle) };
}

#[derive(Clone, Copy)]
enum ParamScan {
    Idle,
    AfterFn,
    AfterName,
    InList(usize),
}

/// Refuses a function or closure with more than `max` parameters while the script is being
/// tokenized: rhai's parser checks parameters pairwise, so tens of thousands of them would
/// take seconds before any other limit applies.
fn limit_parameters(engine: &mut rhai::Engine, max: usize) {
    use rhai::{LexError, Token};
    #[allow(deprecated)] // rhai marks the token hook as "volatile", not as going away
    engine.on_parse_token(move |token, _, _| {
        let state = PARAMS.with(std::cell::Cell::get);
        let next = match (&token, state) {
            (Token::Fn, _) => ParamScan::AfterFn,
            (Token::Pipe, ParamScan::Idle) => ParamScan::InList(0),
            (Token::Identifier(_), ParamScan::AfterFn) => ParamScan::AfterName,
            (Token::LeftParen, ParamScan::AfterName) => ParamScan::InList(0),
            (Token::Identifier(_), ParamScan::InList(n)) => ParamScan::InList(n + 1),
            (Token::Comma, ParamScan::InList(n)) => ParamScan::InList(n),
            _ => ParamScan::Idle,
        };
        PARAMS.with(|p| p.set(next));
        match next {
            ParamScan::InList(n) if n > max => {
                PARAMS.with(|p| p.set(ParamScan::Idle));
                Token::LexError(Box::new(LexError::Runtime(format!(
                    "more than {max} parameters in one function or closure"
                ))))
            }
            _ => token,
        }
    });
}

/// Characters a script may not contain, with what to call them: what must not reach a terminal
/// as it is ([`crate::text::is_unsafe_for_display`]) other than tab and line breaks, and
/// byte-order marks past the start. Bidirectional controls can make code read differently
/// from how it runs.
fn invisible_character(c: char) -> Option<&'static str> {
    match c {
        '\t' | '\n' | '\r' => None,
        '\u{0}' => Some("a NUL character"),
        '\u{feff}' => Some("a byte-order mark (U+FEFF)"),
        c if c.is_control() => Some("a control character"),
        c if crate::text::is_unsafe_for_display(c) => {
            Some("a bidirectional text control or line separator")
        }
        _ => None,
    }
}

/// The script as it is compiled: a byte-order mark at the start dropped, and old Mac line
/// endings (a lone CR) read as line breaks, so positions match the lines an editor shows.
fn normalized_script(script: &str) -> std::borrow::Cow<'_, str> {
    let script = script.strip_prefix('\u{feff}').unwrap_or(script);
    if script.contains('\r') {
        let mut out = String::with_capacity(script.len());
        let mut chars = script.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\r' {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            } else {
                out.push(c);
            }
        }
        out.into()
    } else {
        script.into()
    }
}

/// A diagnostic for the first character the script may not contain, at its line and column.
fn check_characters(script: &str, file: &str) -> Option<Diagnostic> {
    script.lines().enumerate().find_map(|(i, line)| {
        line.chars().enumerate().find_map(|(col, c)| {
            invisible_character(c).map(|what| {
                Diagnostic::error(
                    Code::ScriptSyntax,
                    format!("the script contains {what} (U+{:04X})", c as u32),
                )
                .with_help(
                    "delete it; invisible characters often come with text pasted from a document",
                )
                .in_file(file)
                .at_line_col(i as u32 + 1, col as u32 + 1)
            })
        })
    })
}

/// What a rating may cite: the record without host data (`extra`) and without other rubrics'
/// items, which the script cannot see either.
fn citable(meta: &RubricMeta, path: &str, record: &RecordView) -> bool {
    let mut segments = path.split('/').skip(1);
    let allowed = match segments.next() {
        Some("extra") => false,
        Some("items") => segments
            .next()
            .is_some_and(|rubric| crate::diagnostic::unescape_pointer_segment(rubric) == meta.id),
        _ => true,
    };
    allowed && record.has(path)
}

/// Checks the recorded items of this rubric against its item definitions: errors for values
/// that do not fit, warnings for items the rubric does not declare.
fn check_items(meta: &RubricMeta, record: RecordRef<'_>) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    let Some(recorded) = record.item_values(&meta.id) else {
        return (warnings, errors);
    };
    for def in &meta.items {
        if let Some(value) = recorded.get(def.id.as_str()) {
            let path = format!("/items/{}/{}/value", meta.id, def.id);
            errors.extend(check_item_value(def, value, &path));
        }
    }
    let declared: Vec<&str> = meta.items.iter().map(|d| d.id.as_str()).collect();
    for &id in recorded.keys() {
        if !declared.contains(&id) {
            let d = Diagnostic::warning_text(
                Code::UndeclaredItem,
                Text::new(&catalogue::ITEM_NOT_IN_RUBRIC)
                    .arg("item", id)
                    .arg("rubric", &meta.id),
            )
            .at_path(format!(
                "/items/{}/{}",
                meta.id,
                crate::diagnostic::pointer_segment(id)
            ));
            warnings.push(d.with_help_text(match crate::json::closest(id, &declared) {
                Some(s) => Text::new(&catalogue::DID_YOU_MEAN).arg("name", s),
                None => Text::new(&catalogue::CHECK_ITEM_ID),
            }));
        }
    }
    (warnings, errors)
}

fn check_item_value(
    def: &crate::rubric::ItemDef,
    value: &ItemValue,
    path: &str,
) -> Option<Diagnostic> {
    let bad = |msg: Text, help: Text| {
        Some(
            Diagnostic::error_text(Code::ItemValue, msg.arg("item", &def.id))
                .with_help_text(help)
                .at_path(path),
        )
    };
    match (def.item_type, value) {
        (ItemType::Count, ItemValue::Count(n)) => {
            let lo = def.min.unwrap_or(0);
            let hi = def.max.unwrap_or(100_000);
            if *n < lo || *n > hi {
                return bad(
                    Text::new(&catalogue::COUNT_OUT_OF_RANGE)
                        .arg("min", lo)
                        .arg("max", hi)
                        .arg("value", *n),
                    Text::new(&catalogue::CORRECT_THE_COUNT),
                );
            }
            None
        }
        (ItemType::Count, ItemValue::Text(t)) if t == "not-observed" => None,
        (ItemType::Count, ItemValue::Text(t)) => bad(
            Text::new(&catalogue::COUNT_GOT_TEXT).arg("value", t),
            Text::new(&catalogue::WRITE_A_NUMBER),
        ),
        (ItemType::Note, ItemValue::Text(_)) => None,
        (ItemType::Note, ItemValue::Count(n)) => bad(
            Text::new(&catalogue::NOTE_GOT_NUMBER).arg("value", *n),
            Text::new(&catalogue::WRITE_NOTE_AS_TEXT),
        ),
        (_, ItemValue::Count(n)) => bad(
            Text::new(&catalogue::CHOICE_GOT_NUMBER)
                .arg("allowed", crate::json::quoted(&def.allowed_values()))
                .arg("value", *n),
            Text::new(&catalogue::PICK_A_LISTED_VALUE),
        ),
        (_, ItemValue::Text(t)) => {
            let allowed = def.allowed_values();
            if allowed.contains(&t.as_str()) {
                None
            } else {
                let help = match crate::json::closest(t, &allowed) {
                    Some(s) => Text::new(&catalogue::DID_YOU_MEAN).arg("name", s),
                    None => Text::new(&catalogue::USE_ONE_OF)
                        .arg("allowed", crate::json::quoted(&allowed)),
                };
                bad(
                    Text::new(&catalogue::NOT_A_VALID_ANSWER).arg("value", t),
                    help,
                )
            }
        }
    }
}

/// An unknown field of the record is reported by rhai at the `.` before its name: point at the
/// name itself, as for a field of a map.
fn past_dot(mut d: Diagnostic, script: &str) -> Diagnostic {
    if d.code != Code::UnknownProperty {
        return d;
    }
    let (Some(line), Some(col)) = (d.location.line, d.location.column) else {
        return d;
    };
    let at = script
        .lines()
        .nth(line.saturating_sub(1) as usize)
        .and_then(|l| l.chars().nth(col.saturating_sub(1) as usize));
    if at == Some('.') {
        d = d.at_line_col(line, col + 1);
    }
    d
}

/// A diagnostic whose message quotes script text (a thrown message, a field name, a cited
/// path) stays one line that cannot forge output: control and bidi characters are escaped.
fn one_line(mut d: Diagnostic) -> Diagnostic {
    if let std::borrow::Cow::Owned(escaped) = crate::text::escape_controls(&d.message) {
        d.message = escaped;
    }
    d
}

/// Longest note and reason the engine keeps; longer ones are shortened with a marker.
const MAX_NOTE_CHARS: usize = 1000;
const MAX_REASON_CHARS: usize = 500;

/// `text` cut to at most `max` characters, ending in `…` when it was cut, so a long note a
/// script built from a large record still reaches the coach.
fn shortened(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// R0305: the indicator function returned `what` where a rating belongs.
fn wrong_shape(ind: &crate::rubric::Indicator, file: &str, what: &str) -> Vec<Diagnostic> {
    vec![Diagnostic::error(
        Code::WrongReturnShape,
        format!("`{}` (indicator `{}`) returned {what}", ind.function_name(), ind.id),
    )
    .with_help("end the function with `rating(level, evidence)`, `rating(level, evidence, note)` or `not_enough_evidence(reason)`")
    .in_file(file)]
}

/// Checks what an indicator function returned and turns it into an outcome, with the script
/// position of the `rating`/`not_enough_evidence` call that made it.
fn check_answer(
    meta: &RubricMeta,
    ind: &crate::rubric::Indicator,
    value: &Dynamic,
    record: &RecordView,
    file: &str,
) -> Result<(IndicatorOutcome, Position), Vec<Diagnostic>> {
    let Some(verdict) = value.read_lock::<Verdict>().map(|v| v.clone()) else {
        return Err(wrong_shape(
            ind,
            file,
            &format!("{} instead of a rating", describe_dynamic(value)),
        ));
    };
    // What is wrong with a rating is reported where `rating(…)` or `not_enough_evidence(…)`
    // was called, not at the top of the function.
    let at = match &verdict {
        Verdict::Rated { at, .. } | Verdict::NotEnoughEvidence { at, .. } => *at,
    };
    let at_call = |ds: Vec<Diagnostic>| -> Vec<Diagnostic> {
        if at.is_none() {
            return ds;
        }
        let (line, col) = line_col(at);
        ds.into_iter().map(|d| d.at_line_col(line, col)).collect()
    };
    check_verdict(meta, ind, verdict, record, file).map_err(at_call)
}

/// [`check_answer`] for a value made by `rating(…)` or `not_enough_evidence(…)`.
fn check_verdict(
    meta: &RubricMeta,
    ind: &crate::rubric::Indicator,
    verdict: Verdict,
    record: &RecordView,
    file: &str,
) -> Result<(IndicatorOutcome, Position), Vec<Diagnostic>> {
    let fn_name = ind.function_name();
    let shape = |what: String| wrong_shape(ind, file, &what);
    match verdict {
        Verdict::NotEnoughEvidence { reason, at } => {
            match reason
                .read_lock::<rhai::ImmutableString>()
                .filter(|r| !r.trim().is_empty())
            {
                Some(reason) => Ok((
                    IndicatorOutcome::NotEnoughEvidence {
                        reason: shortened(&reason, MAX_REASON_CHARS),
                    },
                    at,
                )),
                None => Err(shape(format!(
                    "`not_enough_evidence` with a reason that is {}, not text",
                    describe_dynamic(&reason)
                ))),
            }
        }
        Verdict::Rated {
            level,
            evidence,
            note,
            at,
        } => {
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
            let note = if note.is_unit() {
                None
            } else {
                match note.read_lock::<rhai::ImmutableString>() {
                    Some(s) => Some(shortened(&s, MAX_NOTE_CHARS)),
                    None => {
                        return Err(shape(format!(
                            "a note that is {}, not text",
                            describe_dynamic(&note)
                        )))
                    }
                }
            };
            let evidence = check_evidence(meta, &fn_name, &ind.id, &evidence, record, file)?;
            Ok((
                IndicatorOutcome::Rated {
                    level,
                    evidence,
                    note,
                },
                at,
            ))
        }
    }
}

/// The cited evidence as record paths, each checked to point at something the script could
/// see; item ids stand for `/items/<rubric>/<id>`.
fn check_evidence(
    meta: &RubricMeta,
    fn_name: &str,
    indicator: &str,
    evidence: &[Dynamic],
    record: &RecordView,
    file: &str,
) -> Result<Vec<String>, Vec<Diagnostic>> {
    if evidence.is_empty() {
        return Err(vec![Diagnostic::error(Code::EvidenceNotFound, format!("`{fn_name}` rated indicator `{indicator}` without citing evidence"))
            .with_help("every rating cites its evidence: pass record paths such as `\"/children\"` or item ids")
            .in_file(file)]);
    }
    let mut errs = Vec::new();
    let mut paths: Vec<String> = Vec::new();
    for e in evidence {
        let Some(s) = e
            .read_lock::<rhai::ImmutableString>()
            .map(|s| s.to_string())
        else {
            errs.push(Diagnostic::error(Code::WrongReturnShape, format!(
                "`{fn_name}` (indicator `{indicator}`) returned evidence entry {} instead of a path (text)",
                describe_dynamic(e)
            ))
            .with_help("cite record paths such as `\"/children\"` or item ids, as text")
            .in_file(file));
            continue;
        };
        let path = if s.starts_with('/') {
            s.to_string()
        } else {
            format!(
                "/items/{}/{}",
                meta.id,
                crate::diagnostic::pointer_segment(&s)
            )
        };
        if !citable(meta, &path, record) {
            errs.push(Diagnostic::error(Code::EvidenceNotFound, format!("`{fn_name}` cites `{s}`, which points at nothing in the record"))
                .with_help("cite a record path that exists (e.g. `/children/0/age_months`) or a recorded item id; return `not_enough_evidence(reason)` when the evidence is missing")
                .in_file(file));
        } else if record.not_observed(&path) {
            // A rating never rests on what the coach did not see.
            errs.push(Diagnostic::error(Code::EvidenceNotFound, format!("`{fn_name}` cites `{s}`, which the coach recorded as not observed"))
                .with_help("check the item with `recorded(r, id)` before citing it, and return `not_enough_evidence(reason)` or rate from what was seen")
                .in_file(file));
        } else if !paths.contains(&path) {
            paths.push(path);
        }
    }
    if errs.is_empty() {
        Ok(paths)
    } else {
        Err(errs)
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

/// The error inside any chain of "error in function call" wrappers.
fn innermost(err: &EvalAltResult) -> &EvalAltResult {
    let mut e = err;
    while let EvalAltResult::ErrorInFunctionCall(_, _, inner, _) = e {
        e = inner;
    }
    e
}

/// Turns a rhai error into a diagnostic at the innermost script position.
fn script_error(err: &EvalAltResult, indicator: &str, file: &str) -> Diagnostic {
    let e = innermost(err);
    let mut pos = e.position();
    if pos.is_none() {
        pos = err.position();
    }
    let at = |d: Diagnostic| {
        if pos.is_none() {
            d
        } else {
            let (l, c) = line_col(pos);
            d.at_line_col(l, c)
        }
    };
    if let EvalAltResult::ErrorTooManyOperations(_) = e {
        // A limit a coach can meet on a slow device: in the coach's language.
        return at(Diagnostic::error_text(
            Code::OperationLimit,
            Text::new(&catalogue::RAN_PAST_OPERATIONS).arg("indicator", indicator),
        )
        .with_help_text(Text::new(&catalogue::RAN_PAST_OPERATIONS_HELP))
        .in_file(file));
    }
    let (code, msg, help): (Code, String, String) = match e {
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
        EvalAltResult::ErrorDotExpr(what, _) if what.contains("setter is not registered") => (Code::ScriptRuntime, format!("indicator `{indicator}` tried to change {}, which cannot be changed", what.split('\'').nth(1).map_or("a value".to_string(), |p| format!("`{p}`"))), "the record and ratings are read-only: copy what you need into a variable of your own".into()),
        EvalAltResult::ErrorMismatchDataType(want, got, _) => (Code::ScriptRuntime, format!("indicator `{indicator}` used a {got} where a {want} was needed"), "check the value's type".into()),
        other => (Code::ScriptRuntime, format!("indicator `{indicator}` failed: {}", lower_first(&other.to_string()).split(" (line ").next().unwrap_or_default()), "fix the script at this place".into()),
    };
    at(Diagnostic::error(code, msg).with_help(help).in_file(file))
}
