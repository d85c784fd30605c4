//! Static checks of a rubric: what the script and its metadata say about each other, found by
//! reading the script's syntax tree, before any record is scored.
//!
//! - an item id the script reads (`item(r, "…")`, `recorded(r, "…")`, `item_method(r, "…")`,
//!   `r.item("…")`) or cites (`rating(level, ["…"], …)`) that `rubric.json` does not declare
//!   (error, with the closest declared id);
//! - a declared item the script never names (warning);
//! - a `reads` entry that names no item and no record field (error);
//! - a literal level outside the scale: `rating(7, …)`, or a level from a variable or script
//!   function whose every literal value is known (error, at the literal);
//! - an indicator function that can end without `rating(…)` or `not_enough_evidence(…)` where the
//!   script makes it decidable: an empty function, a last `let`, an `if` without `else`, a
//!   `switch` without `_`, a loop or a plain value at the end (error, at that statement);
//! - a call to a function that is neither in the script, nor a helper, nor built in, or with a
//!   number of arguments no definition takes (error, with the closest name).

use crate::diagnostic::{Code, Diagnostic};
use crate::json::closest;
use crate::rubric::{RubricMeta, RubricSource};
use crate::runtime::{CompiledRubric, Engine};
use rhai::{ASTFlags, ASTNode, Expr, Position, Stmt, StmtBlock, AST};
use std::collections::{BTreeMap, BTreeSet};

/// Functions the rhai language handles itself, not registered in any package.
const KEYWORD_FUNCTIONS: &[&str] = &[
    "type_of",
    "Fn",
    "call",
    "is_def_var",
    "is_def_fn",
    "is_shared",
    "print",
    "debug",
];

/// Helpers whose second argument (first, as a method on the record) is an item id.
const ITEM_HELPERS: &[&str] = &["item", "recorded", "item_method"];

impl Engine {
    /// Checks a rubric as [`Engine::compile`] does, then runs the static checks of this module
    /// on it: the compiled rubric when nothing stopped it (warnings and static errors may still
    /// be listed), and every diagnostic, errors first. A rubric passes `rubrica check` when the
    /// list holds no error.
    pub fn check(&self, source: &RubricSource) -> (Option<CompiledRubric>, Vec<Diagnostic>) {
        match self.compile(source) {
            Err(ds) => (None, ds.0),
            Ok(compiled) => {
                let mut ds = lint(self, &compiled, &source.meta_file);
                ds.sort_by_key(|d| d.severity);
                (Some(compiled), ds)
            }
        }
    }
}

/// One call in the script, as written.
struct Call {
    name: String,
    /// Arguments, the object first for a method call (`r.item("x")` → `[r, "x"]`).
    args: Vec<Expr>,
    pos: Position,
    /// The script function the call is in (empty at the top level).
    function: String,
}

/// A script function's definition, as far as the checks need it.
struct FnDef {
    name: String,
    params: usize,
    body: Vec<Stmt>,
}

/// The static checks of a compiled rubric; `meta_file` names `rubric.json` in diagnostics.
pub(crate) fn lint(engine: &Engine, rubric: &CompiledRubric, meta_file: &str) -> Vec<Diagnostic> {
    let meta = rubric.meta();
    let file = rubric.script_file();
    // Parsed again without optimisation, so the tree is the script as written.
    let mut raw = rhai::Engine::new_raw();
    raw.set_optimization_level(rhai::OptimizationLevel::None);
    let limits = engine.limits();
    raw.set_max_expr_depths(limits.max_expr_depth, limits.max_function_expr_depth);
    let Ok(ast) = raw.compile(rubric.script()) else {
        return Vec::new();
    };
    let fns = functions(&ast);
    let calls = calls(&ast, &fns);
    let mut lint = Lint {
        meta,
        file,
        meta_file,
        script: rubric.script(),
        fns: &fns,
        out: Vec::new(),
    };
    lint.items(&calls, &strings(&ast));
    lint.reads();
    lint.levels(&calls);
    lint.endings();
    lint.unknown_calls(engine, &calls);
    lint.out
}

/// Every named call of the script as `(name, arguments, position)`, for the checks made when a
/// script compiles (the keys of `say`, in messages.rs); the same walk as the checks here.
pub(crate) fn script_calls(ast: &AST) -> Vec<(String, Vec<Expr>, Position)> {
    calls(ast, &functions(ast))
        .into_iter()
        .map(|c| (c.name, c.args, c.pos))
        .collect()
}

/// Every script function with its top-level statements.
fn functions(ast: &AST) -> Vec<FnDef> {
    ast.iter_functions()
        .map(|f| {
            let (name, params) = (f.name.to_string(), f.params.len());
            let only = only_function(ast, &name, params);
            let mut body = Vec::new();
            only.walk(&mut |path: &[ASTNode]| {
                if let [ASTNode::Stmt(s)] = path {
                    body.push((*s).clone());
                }
                true
            });
            FnDef { name, params, body }
        })
        .collect()
}

/// The AST with one script function and no top-level statements. (`clone_functions_only_filtered`
/// is not used: it copies every function into an empty module.)
fn only_function(ast: &AST, name: &str, params: usize) -> AST {
    let mut only = ast.clone();
    only.clear_statements();
    only.retain_functions(|_, _, n, p| n == name && p == params);
    only
}

/// Every named function call in the script (operators left out), with the function it is in.
fn calls(ast: &AST, fns: &[FnDef]) -> Vec<Call> {
    let mut out = Vec::new();
    let mut collect = |tree: &AST, function: &str| {
        tree.walk(&mut |path: &[ASTNode]| {
            let call = match path.last() {
                Some(ASTNode::Expr(Expr::FnCall(f, pos)))
                | Some(ASTNode::Stmt(Stmt::FnCall(f, pos))) => Some((f, f.args.to_vec(), *pos)),
                Some(ASTNode::Expr(Expr::MethodCall(f, pos))) => {
                    // The object is the left side of the `.` above the call.
                    let object = match path.len().checked_sub(2).and_then(|i| path.get(i)) {
                        Some(ASTNode::Expr(Expr::Dot(x, ..))) => x.lhs.clone(),
                        _ => Expr::Unit(Position::NONE),
                    };
                    let mut args = vec![object];
                    args.extend(f.args.iter().cloned());
                    Some((f, args, *pos))
                }
                _ => None,
            };
            if let Some((f, args, pos)) = call {
                let named = f.name.starts_with(|c: char| c.is_alphabetic() || c == '_');
                if named && !f.is_operator_call() {
                    out.push(Call {
                        name: f.name.to_string(),
                        args,
                        pos,
                        function: function.to_string(),
                    });
                }
            }
            true
        });
    };
    let mut top = ast.clone();
    top.clear_functions();
    collect(&top, "");
    for f in fns {
        let only = only_function(ast, &f.name, f.params);
        collect(&only, &f.name);
    }
    out
}

/// Every string literal of the script.
fn strings(ast: &AST) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    ast.walk(&mut |path: &[ASTNode]| {
        if let Some(ASTNode::Expr(Expr::StringConstant(s, _))) = path.last() {
            out.insert(s.to_string());
        }
        true
    });
    out
}

fn string_literal(e: &Expr) -> Option<(&str, Position)> {
    match e {
        Expr::StringConstant(s, pos) => Some((s.as_str(), *pos)),
        _ => None,
    }
}

struct Lint<'a> {
    meta: &'a RubricMeta,
    file: &'a str,
    meta_file: &'a str,
    script: &'a str,
    fns: &'a [FnDef],
    out: Vec<Diagnostic>,
}

impl Lint<'_> {
    fn at(&self, d: Diagnostic, pos: Position) -> Diagnostic {
        let d = d.in_file(self.file);
        match (pos.line(), pos.position()) {
            (Some(l), Some(c)) => d.at_line_col(l as u32, c.max(1) as u32),
            _ => d,
        }
    }

    fn undeclared_item(&mut self, id: &str, pos: Position, how: &str) {
        let ids = item_ids(self.meta);
        if ids.contains(&id) {
            return;
        }
        let help = match closest(id, &ids) {
            Some(near) => {
                format!("did you mean `{near}`? items are declared under `items` in rubric.json")
            }
            None => "declare the item under `items` in rubric.json, or fix the id".to_string(),
        };
        let d = Diagnostic::error(
            Code::UnknownProperty,
            format!(
                "the script {how} item `{id}`, which rubric `{}` does not declare",
                self.meta.id
            ),
        )
        .with_help(help);
        let d = self.at(d, pos);
        self.out.push(d);
    }

    /// Undeclared item ids in item helpers and cited evidence; declared items never named.
    fn items(&mut self, calls: &[Call], strings: &BTreeSet<String>) {
        for c in calls {
            if ITEM_HELPERS.contains(&c.name.as_str()) && c.args.len() == 2 {
                if let Some((id, pos)) = c.args.get(1).and_then(string_literal) {
                    self.undeclared_item(id, pos, "reads");
                }
            }
            if c.name == "rating" && (2..=3).contains(&c.args.len()) {
                if let Some(Expr::Array(entries, _)) = c.args.get(1) {
                    for (id, pos) in entries.iter().filter_map(string_literal) {
                        if !id.starts_with('/') {
                            self.undeclared_item(id, pos, "cites");
                        }
                    }
                }
            }
        }
        for (i, item) in self.meta.items.iter().enumerate() {
            if !strings.contains(&item.id) {
                self.out.push(
                    Diagnostic::warning(
                        Code::RubricMetadata,
                        format!(
                            "item `{}` is declared but the script never names it",
                            item.id
                        ),
                    )
                    .with_help(
                        "read it with `item(r, \"…\")` in an indicator, or remove it from `items`",
                    )
                    .in_file(self.meta_file)
                    .at_path(format!("/items/{i}/id")),
                );
            }
        }
    }

    /// `reads` entries: a declared item id, or a record path whose first field the format has.
    fn reads(&mut self) {
        let ids = item_ids(self.meta);
        let top: Vec<&str> = self
            .meta
            .record_kind()
            .fields()
            .iter()
            .find(|(at, _)| at.is_empty())
            .map(|(_, f)| f.to_vec())
            .unwrap_or_default();
        for (i, ind) in self.meta.indicators.iter().enumerate() {
            for (j, entry) in ind.reads.iter().enumerate() {
                let (known, near) = match entry.strip_prefix('/') {
                    Some(path) => {
                        let field = path.split('/').next().unwrap_or_default();
                        let near = closest(field, &top).map(|f| format!("/{f}"));
                        (top.contains(&field), near)
                    }
                    None => (
                        ids.contains(&entry.as_str()),
                        closest(entry, &ids).map(str::to_string),
                    ),
                };
                if known {
                    continue;
                }
                let help = match near {
                    Some(n) => format!("did you mean `{n}`?"),
                    None => "name a declared item id, or a record path such as `/children`".into(),
                };
                self.out.push(
                    Diagnostic::error(
                        Code::RubricMetadata,
                        format!(
                            "indicator `{}` reads `{entry}`, which is neither a declared item nor a record field",
                            ind.id
                        ),
                    )
                    .with_help(help)
                    .in_file(self.meta_file)
                    .at_path(format!("/indicators/{i}/reads/{j}")),
                );
            }
        }
    }

    /// Literal levels given to `rating` that the scale does not have.
    fn levels(&mut self, calls: &[Call]) {
        let scale = &self.meta.scale;
        let mut seen = BTreeSet::new();
        for c in calls
            .iter()
            .filter(|c| c.name == "rating" && (2..=3).contains(&c.args.len()))
        {
            let Some(level) = c.args.first() else {
                continue;
            };
            let mut found = Vec::new();
            self.literal_values(level, &c.function, &mut BTreeSet::new(), &mut found);
            for (value, pos) in found {
                if scale.level(value).is_some() || !seen.insert((pos.line(), pos.position())) {
                    continue;
                }
                let d = Diagnostic::error(
                    Code::RatingOffScale,
                    format!(
                        "level `{value}` is outside the scale {}–{} of rubric `{}`",
                        scale.min(),
                        scale.max(),
                        self.meta.id
                    ),
                )
                .with_help(format!(
                    "this value reaches `rating(…)` at line {}; use a level from {} to {}",
                    c.pos.line().unwrap_or(0),
                    scale.min(),
                    scale.max()
                ));
                let d = self.at(d, pos);
                self.out.push(d);
            }
        }
    }

    /// The integer literals an expression can evaluate to, where the script makes them plain:
    /// the literal itself, the ends of `if`/`switch`/blocks, a variable's single `let` (never
    /// assigned again), and the ends and `return`s of a script function called.
    fn literal_values(
        &self,
        e: &Expr,
        function: &str,
        visited: &mut BTreeSet<String>,
        out: &mut Vec<(i64, Position)>,
    ) {
        match e {
            Expr::IntegerConstant(v, pos) => out.push((*v, *pos)),
            Expr::Stmt(block) => self.block_values(block.statements(), function, visited, out),
            Expr::Variable(x, _, _) => {
                let name = x.1.as_str();
                let Some(f) = self.fns.iter().find(|f| f.name == function) else {
                    return;
                };
                let mut lets = Vec::new();
                let mut assigned = false;
                for s in &f.body {
                    walk_stmt(s, &mut |node| match node {
                        ASTNode::Stmt(Stmt::Var(v, _, _)) if v.0.name == name => {
                            lets.push(v.1.clone())
                        }
                        ASTNode::Stmt(Stmt::Assignment(a)) => {
                            if matches!(&a.1.lhs, Expr::Variable(t, _, _) if t.1 == name) {
                                assigned = true;
                            }
                        }
                        _ => {}
                    });
                }
                if let ([value], false) = (lets.as_slice(), assigned) {
                    if visited.insert(format!("{function}/{name}")) {
                        self.literal_values(value, function, visited, out);
                    }
                }
            }
            Expr::FnCall(f, _) if !f.is_operator_call() => {
                let Some(def) = self
                    .fns
                    .iter()
                    .find(|d| d.name == f.name.as_str() && d.params == f.args.len())
                else {
                    return;
                };
                if !visited.insert(format!("fn {}", def.name)) {
                    return;
                }
                self.block_values(&def.body, &def.name, visited, out);
                for s in &def.body {
                    walk_stmt(s, &mut |node| {
                        if let ASTNode::Stmt(Stmt::Return(Some(v), flags, _)) = node {
                            if !flags.contains(ASTFlags::BREAK) {
                                if let Expr::IntegerConstant(n, pos) = **v {
                                    out.push((n, pos));
                                }
                            }
                        }
                    });
                }
            }
            _ => {}
        }
    }

    fn block_values(
        &self,
        stmts: &[Stmt],
        function: &str,
        visited: &mut BTreeSet<String>,
        out: &mut Vec<(i64, Position)>,
    ) {
        match stmts.last() {
            Some(Stmt::Expr(e)) => self.literal_values(e, function, visited, out),
            Some(Stmt::Block(b)) => self.block_values(b.statements(), function, visited, out),
            Some(Stmt::If(fc, _)) => {
                self.block_values(fc.body.statements(), function, visited, out);
                self.block_values(fc.branch.statements(), function, visited, out);
            }
            Some(Stmt::Switch(x, _)) => {
                for arm in &x.1.expressions {
                    self.literal_values(&arm.rhs, function, visited, out);
                }
            }
            Some(Stmt::Return(Some(v), flags, _)) if !flags.contains(ASTFlags::BREAK) => {
                self.literal_values(v, function, visited, out)
            }
            _ => {}
        }
    }

    /// Indicator functions that can end without a rating.
    fn endings(&mut self) {
        for ind in &self.meta.indicators {
            let name = ind.function_name();
            let Some(f) = self.fns.iter().find(|f| f.name == name && f.params == 1) else {
                continue;
            };
            let problem = match ending(&f.body) {
                Ok(()) => continue,
                Err(p) => p,
            };
            let (why, pos) = match problem {
                Ending::Empty => ("is empty".to_string(), None),
                Ending::Stmt(what, pos) => (what, Some(pos)),
            };
            let d = Diagnostic::error(
                Code::WrongReturnShape,
                format!("`{name}` (indicator `{}`) can end without a rating: {why}", ind.id),
            )
            .with_help("end every path with `rating(level, evidence, note)` or `not_enough_evidence(reason)`");
            let d = match pos {
                Some(pos) => self.at(d, pos),
                None => match fn_line(self.script, &name) {
                    Some((l, c)) => d.in_file(self.file).at_line_col(l, c),
                    None => d.in_file(self.file),
                },
            };
            self.out.push(d);
        }
    }

    /// Calls to functions that do not exist, or with a number of arguments no definition takes.
    fn unknown_calls(&mut self, engine: &Engine, calls: &[Call]) {
        let mut known: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
        for (name, n) in registered(engine) {
            known.entry(name).or_default().insert(n);
        }
        for f in self.fns {
            known.entry(f.name.clone()).or_default().insert(f.params);
        }
        let names: Vec<&str> = known
            .keys()
            .map(String::as_str)
            .filter(|n| !n.contains('$') && !n.starts_with("anon"))
            .collect();
        let mut seen = BTreeSet::new();
        for c in calls {
            if KEYWORD_FUNCTIONS.contains(&c.name.as_str()) {
                continue;
            }
            let n = c.args.len();
            let d = match known.get(&c.name) {
                Some(arities) if arities.contains(&n) => continue,
                Some(arities) => {
                    let takes: Vec<String> = arities.iter().map(usize::to_string).collect();
                    Diagnostic::error(
                        Code::UnknownFunction,
                        format!(
                            "`{}` is called with {n} argument{}, but takes {}",
                            c.name,
                            if n == 1 { "" } else { "s" },
                            takes.join(" or ")
                        ),
                    )
                    .with_help("check the arguments against the helpers in rubrics/README.md")
                }
                None => {
                    let help = match closest(&c.name, &names) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None => {
                            "define it in the script, or use a helper listed in rubrics/README.md"
                                .into()
                        }
                    };
                    Diagnostic::error(
                        Code::UnknownFunction,
                        format!(
                            "`{}` with {n} argument{} is not a function of the script, a helper or a built-in",
                            c.name,
                            if n == 1 { "" } else { "s" }
                        ),
                    )
                    .with_help(help)
                }
            };
            if seen.insert((c.pos.line(), c.pos.position())) {
                let d = self.at(d, c.pos);
                self.out.push(d);
            }
        }
    }
}

fn item_ids(meta: &RubricMeta) -> Vec<&str> {
    meta.items.iter().map(|i| i.id.as_str()).collect()
}

/// Names and parameter counts of every function the engine registers (helpers and built-ins).
fn registered(engine: &Engine) -> Vec<(String, usize)> {
    engine.rhai().collect_fn_metadata(
        None,
        |info| Some((info.metadata.name.to_string(), info.metadata.num_params)),
        true,
    )
}

enum Ending {
    Empty,
    Stmt(String, Position),
}

/// Whether a function body always ends in a value that can be a rating, as far as the tree
/// shows: `Err` names the first statement through which it ends without one.
fn ending(stmts: &[Stmt]) -> Result<(), Ending> {
    let Some(last) = stmts.last() else {
        return Err(Ending::Empty);
    };
    let fail = |what: &str, pos: Position| Err(Ending::Stmt(what.to_string(), pos));
    match last {
        Stmt::Var(v, _, pos) => fail(
            &format!("it ends with `let {}`, which gives no value", v.0.name),
            *pos,
        ),
        Stmt::Assignment(a) => fail(
            "it ends with an assignment, which gives no value",
            a.1.lhs.position(),
        ),
        Stmt::Return(None, flags, pos) if !flags.contains(ASTFlags::BREAK) => {
            fail("`return` without a value", *pos)
        }
        Stmt::If(fc, pos) => {
            if fc.branch.is_empty() {
                return fail(
                    "an `if` without `else` gives nothing when its condition is false",
                    *pos,
                );
            }
            block_ending(&fc.body)?;
            block_ending(&fc.branch)
        }
        Stmt::Switch(x, pos) => {
            if x.1.def_case.is_none() {
                return fail(
                    "a `switch` without a `_ =>` case gives nothing when no case matches",
                    *pos,
                );
            }
            for arm in &x.1.expressions {
                expr_ending(&arm.rhs)?;
            }
            Ok(())
        }
        Stmt::For(_, pos) => fail("it ends with a `for` loop, which gives no value", *pos),
        Stmt::While(fc, pos) if !matches!(fc.expr, Expr::Unit(_)) => {
            fail("it ends with a `while` loop, which gives no value", *pos)
        }
        Stmt::Block(b) => block_ending(b),
        Stmt::Expr(e) => expr_ending(e),
        _ => Ok(()),
    }
}

fn block_ending(b: &StmtBlock) -> Result<(), Ending> {
    match ending(b.statements()) {
        Err(Ending::Empty) => Err(Ending::Stmt("a branch is empty".into(), b.position())),
        other => other,
    }
}

fn expr_ending(e: &Expr) -> Result<(), Ending> {
    let plain = |what: &str| {
        Err(Ending::Stmt(
            format!("it ends with {what}, not a rating"),
            e.position(),
        ))
    };
    match e {
        Expr::Stmt(b) => block_ending(b),
        Expr::IntegerConstant(v, _) => plain(&format!("the number `{v}`")),
        Expr::StringConstant(..) | Expr::InterpolatedString(..) => plain("text"),
        Expr::BoolConstant(..) => plain("`true` or `false`"),
        Expr::Array(..) => plain("a list"),
        Expr::Map(..) => plain("a map"),
        Expr::Unit(_) => plain("`()`"),
        _ => Ok(()),
    }
}

/// Visits a statement and everything under it.
fn walk_stmt(s: &Stmt, on: &mut dyn FnMut(ASTNode)) {
    let mut path = Vec::new();
    s.walk(&mut path, &mut |p: &[ASTNode]| {
        if let Some(n) = p.last() {
            on(*n);
        }
        true
    });
}

/// Line and column of `fn <name>(` in the script.
fn fn_line(script: &str, name: &str) -> Option<(u32, u32)> {
    script.lines().enumerate().find_map(|(i, line)| {
        let col = line.find("fn ")?;
        let rest = line.get(col + 3..)?.trim_start();
        rest.strip_prefix(name)?
            .trim_start()
            .starts_with('(')
            .then(|| {
                (
                    i as u32 + 1,
                    line.get(..col).map_or(0, |p| p.chars().count()) as u32 + 1,
                )
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> String {
        r#"{"format": "rubrica.rubric/1", "id": "t", "version": "1.0.0", "practice": "t",
        "title": "T", "summary": "s", "languages": ["en"],
        "scale": {"levels": [{"value": 1, "label": "a", "descriptor": "d"},
            {"value": 2, "label": "b", "descriptor": "d"}, {"value": 3, "label": "c", "descriptor": "d"}],
            "strength_from": 2},
        "indicators": [{"id": "x", "title": "X", "kind": "process", "evidence": "e",
            "reads": ["seen-it", "/children", "/childern", "seen-itt"],
            "strength": "s", "next_step": "n", "questions": ["q?"]}],
        "items": [{"id": "seen-it", "label": "Seen?", "type": "yes-no", "method": "observed"},
            {"id": "spare", "label": "Spare", "type": "yes-no", "method": "observed"}]}"#
            .into()
    }

    fn check(script: &str) -> Vec<String> {
        let engine = Engine::default();
        let source = RubricSource {
            meta_file: "t.json".into(),
            meta: meta(),
            script_file: "t.rhai".into(),
            script: script.into(),
        };
        let (compiled, ds) = engine.check(&source);
        assert!(compiled.is_some(), "{ds:?}");
        ds.iter().map(|d| d.render(Some(script))).collect()
    }

    fn has(ds: &[String], text: &str) -> bool {
        ds.iter().any(|d| d.contains(text))
    }

    #[test]
    fn undeclared_items_get_the_closest_declared_id() {
        let ds = check("fn x(r) {\n  if recorded(r, \"seen-itt\") { rating(3, [\"seen-it\", \"sen-it\"]) } else { not_enough_evidence(\"no\") }\n}\n");
        assert!(has(&ds, "t.rhai:2:18: error R0309: the script reads item `seen-itt`, which rubric `t` does not declare"), "{ds:#?}");
        assert!(has(&ds, "help: did you mean `seen-it`?"), "{ds:#?}");
        assert!(
            has(
                &ds,
                "t.rhai:2:54: error R0309: the script cites item `sen-it`"
            ),
            "{ds:#?}"
        );
        assert!(has(&ds, "warning R0201: item `spare` is declared but the script never names it (at `/items/1/id`)"), "{ds:#?}");
    }

    #[test]
    fn method_calls_on_the_record_name_items_too() {
        let ds = check("fn x(r) {\n  if r.recorded(\"spare\") && r.item(\"seen-ti\") == \"yes\" { rating(3, [\"/children\"]) } else { not_enough_evidence(\"no\") }\n}\n");
        assert!(
            has(
                &ds,
                "t.rhai:2:36: error R0309: the script reads item `seen-ti`"
            ),
            "{ds:#?}"
        );
        assert!(!has(&ds, "`spare` is declared"), "{ds:#?}");
    }

    #[test]
    fn reads_entries_must_name_an_item_or_a_record_field() {
        let ds = check("fn x(r) { rating(3, [\"seen-it\", \"spare\"]) }\n");
        assert!(has(&ds, "error R0201: indicator `x` reads `/childern`, which is neither a declared item nor a record field (at `/indicators/0/reads/2`)"), "{ds:#?}");
        assert!(has(&ds, "did you mean `/children`?"), "{ds:#?}");
        assert!(has(&ds, "reads `seen-itt`"), "{ds:#?}");
        assert!(!has(&ds, "reads `/children`,"), "{ds:#?}");
    }

    #[test]
    fn levels_outside_the_scale_are_found_where_they_are_written() {
        let ds = check("fn level_of(n) {\n  if n > 2 { 7 } else { 2 }\n}\nfn x(r) {\n  let l = switch r.children.len() { 0 => 0, _ => 3 };\n  if l > 1 { rating(level_of(l), [\"spare\", \"seen-it\"]) } else { rating(l, [\"/children\"]) }\n}\n");
        assert!(
            has(
                &ds,
                "t.rhai:2:14: error R0306: level `7` is outside the scale 1–3 of rubric `t`"
            ),
            "{ds:#?}"
        );
        assert!(
            has(
                &ds,
                "t.rhai:5:42: error R0306: level `0` is outside the scale 1–3"
            ),
            "{ds:#?}"
        );
        assert_eq!(
            ds.iter().filter(|d| d.contains("R0306")).count(),
            2,
            "{ds:#?}"
        );
        // A variable assigned again is computed: not followed.
        let ds = check("fn x(r) {\n  let l = 0;\n  l += r.children.len();\n  rating(l, [\"spare\", \"seen-it\"])\n}\n");
        assert!(!has(&ds, "R0306"), "{ds:#?}");
        let ds = check("fn x(r) { rating(4, [\"spare\", \"seen-it\"]) }\n");
        assert!(has(&ds, "t.rhai:1:18: error R0306: level `4`"), "{ds:#?}");
    }

    #[test]
    fn paths_that_end_without_a_rating() {
        for (script, want) in [
            ("fn x(r) {\n}\n", "t.rhai:1:1: error R0305: `x` (indicator `x`) can end without a rating: is empty"),
            ("fn x(r) {\n  if recorded(r, \"seen-it\") {\n    rating(3, [\"seen-it\", \"spare\"])\n  }\n}\n", "t.rhai:2:3: error R0305: `x` (indicator `x`) can end without a rating: an `if` without `else`"),
            ("fn x(r) {\n  let v = rating(3, [\"seen-it\", \"spare\"]);\n}\n", "t.rhai:2:3: error R0305: `x` (indicator `x`) can end without a rating: it ends with `let v`"),
            ("fn x(r) {\n  switch item(r, \"seen-it\") {\n    \"yes\" => rating(3, [\"seen-it\", \"spare\"]),\n  }\n}\n", "t.rhai:2:3: error R0305: `x` (indicator `x`) can end without a rating: a `switch` without a `_ =>` case"),
            ("fn x(r) {\n  if recorded(r, \"seen-it\") { rating(3, [\"seen-it\", \"spare\"]) } else { 3 }\n}\n", "t.rhai:2:72: error R0305: `x` (indicator `x`) can end without a rating: it ends with the number `3`"),
        ] {
            let ds = check(script);
            assert!(has(&ds, want), "{script}\n{ds:#?}");
        }
        let ok = check("fn x(r) {\n  if !recorded(r, \"seen-it\") {\n    return not_enough_evidence(\"not seen\");\n  }\n  switch item(r, \"seen-it\") {\n    \"yes\" => rating(3, [\"seen-it\", \"spare\"]),\n    _ => rating(1, [\"seen-it\"])\n  }\n}\n");
        assert!(!has(&ok, "R0305"), "{ok:#?}");
    }

    #[test]
    fn unknown_functions_and_wrong_argument_counts() {
        let ds = check("fn helper(a, b) { a + b }\nfn x(r) {\n  let n = count_undr(r.children, 12) + helper(1) + r.children.len() + percent(1, 2);\n  rating(3, [\"seen-it\", \"spare\"])\n}\n");
        assert!(has(&ds, "t.rhai:3:11: error R0310: `count_undr` with 2 arguments is not a function of the script, a helper or a built-in"), "{ds:#?}");
        assert!(has(&ds, "did you mean `count_under`?"), "{ds:#?}");
        assert!(
            has(
                &ds,
                "t.rhai:3:40: error R0310: `helper` is called with 1 argument, but takes 2"
            ),
            "{ds:#?}"
        );
        assert_eq!(
            ds.iter().filter(|d| d.contains("R0310")).count(),
            2,
            "{ds:#?}"
        );
    }
}
