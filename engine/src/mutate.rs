//! Mutation testing of rubric scripts: change one level or threshold at a time, run the
//! rubric's self-test cases against each changed script (a *mutant*), and list the mutants no
//! case notices. A surviving mutant is a threshold or level the cases do not pin: the script
//! could be wrong there and every case would still pass.
//!
//! Mutants are made in memory from the script text. A small scanner finds the places to change
//! in code only (never inside strings, characters or comments); each mutant compiles with the
//! normal engine, so a mutant that does not compile is reported as invalid, never as caught.

use crate::cases::ReadyCase;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::rubric::{RubricMeta, RubricSource};
use crate::runtime::{CompiledRubric, Engine};
use crate::set::RubricFolder;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The file in a rubric folder that lists mutants known to change nothing a case could see.
pub const EQUIVALENT_MUTANTS_FILE: &str = "equivalent-mutants.json";

// ---------------------------------------------------------------------------------------------
// Scanner

/// What a code token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// A name or keyword.
    Ident,
    /// A number literal.
    Int,
    /// An operator or punctuation.
    Op,
}

/// A token of script code (strings, characters and comments are skipped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token<'a> {
    pub kind: TokenKind,
    pub text: &'a str,
    /// Byte offset in the script.
    pub offset: usize,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters (as rhai counts them).
    pub column: u32,
    /// Inside a `${…}` of a backtick string: code that only builds text.
    pub in_text: bool,
    /// The top-level function the token is in, if any.
    pub function: Option<&'a str>,
}

/// Operators, longest first so the longest match wins.
const OPERATORS: [&str; 31] = [
    ">>=", "<<=", "**=", "..=", "==", "!=", ">=", "<=", "&&", "||", "=>", "->", "::", "..", "+=",
    "-=", "*=", "/=", "%=", "|=", "&=", "^=", "**", "<<", ">>", "?.", "??", "?[", "!", "<", ">",
];

struct Cursor<'a> {
    src: &'a str,
    pos: usize,
    line: u32,
    column: u32,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<char> {
        self.src.get(self.pos..)?.chars().next()
    }
    fn peek_at(&self, n: usize) -> Option<char> {
        self.src.get(self.pos..)?.chars().nth(n)
    }
    fn rest(&self) -> &'a str {
        self.src.get(self.pos..).unwrap_or("")
    }
    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }
    fn bump_n(&mut self, n: usize) {
        for _ in 0..n {
            self.bump();
        }
    }
    /// Skips a `"…"` or `'…'` literal (the cursor is on the opening quote). A doubled quote and
    /// a backslash escape do not end it.
    fn skip_quoted(&mut self, quote: char) {
        self.bump();
        while let Some(c) = self.bump() {
            if c == '\\' {
                self.bump();
            } else if c == quote {
                if self.peek() == Some(quote) {
                    self.bump();
                } else {
                    return;
                }
            }
        }
    }
    /// Skips `#"…"#` (any number of `#`); the cursor is on the first `#`.
    fn skip_raw(&mut self) {
        let mut hashes = 0;
        while self.peek() == Some('#') {
            self.bump();
            hashes += 1;
        }
        if self.peek() != Some('"') {
            return;
        }
        self.bump();
        let close = format!("\"{}", "#".repeat(hashes));
        while self.peek().is_some() {
            if self.rest().starts_with(&close) {
                self.bump_n(close.len());
                return;
            }
            self.bump();
        }
    }
    /// Skips a `/* … */` comment, nested ones included; the cursor is on the `/`.
    fn skip_block_comment(&mut self) {
        self.bump_n(2);
        let mut depth = 1;
        while self.peek().is_some() {
            let r = self.rest();
            if r.starts_with("*/") {
                self.bump_n(2);
                depth -= 1;
                if depth == 0 {
                    return;
                }
            } else if r.starts_with("/*") {
                self.bump_n(2);
                depth += 1;
            } else {
                self.bump();
            }
        }
    }
}

enum Mode {
    /// Code, with the number of `{` open in it.
    Code(u32),
    /// The text of a backtick string.
    Text,
}

enum FnState<'a> {
    Outside,
    /// Saw `fn` at the top level.
    Keyword,
    /// Saw `fn name`; the body opens at the next top-level `{`.
    Named(&'a str),
    Inside(&'a str),
}

/// The code tokens of a script, in order. Never fails: text that is not valid rhai still
/// yields tokens (the compiler reports the error).
pub(crate) fn scan(script: &str) -> Vec<Token<'_>> {
    let mut c = Cursor {
        src: script,
        pos: 0,
        line: 1,
        column: 1,
    };
    let mut modes = vec![Mode::Code(0)];
    let mut func = FnState::Outside;
    let mut tokens = Vec::new();
    while let Some(ch) = c.peek() {
        let top_level = modes.len() == 1;
        let Some(Mode::Code(braces)) = modes.last_mut() else {
            // Inside the text of a backtick string.
            if ch == '`' {
                if c.peek_at(1) == Some('`') {
                    c.bump_n(2);
                } else {
                    c.bump();
                    modes.pop();
                }
            } else if ch == '$' && c.peek_at(1) == Some('{') {
                c.bump_n(2);
                modes.push(Mode::Code(0));
            } else {
                c.bump();
            }
            continue;
        };
        let rest = c.rest();
        if ch.is_whitespace() {
            c.bump();
            continue;
        }
        if rest.starts_with("//") {
            while c.peek().is_some_and(|x| x != '\n') {
                c.bump();
            }
            continue;
        }
        if rest.starts_with("/*") {
            c.skip_block_comment();
            continue;
        }
        match ch {
            '"' | '\'' => {
                c.skip_quoted(ch);
                continue;
            }
            '`' => {
                c.bump();
                modes.push(Mode::Text);
                continue;
            }
            '#' if matches!(c.peek_at(1), Some('#' | '"')) => {
                c.skip_raw();
                continue;
            }
            _ => {}
        }
        let (offset, line, column) = (c.pos, c.line, c.column);
        let kind;
        if ch.is_alphabetic() || ch == '_' {
            while c.peek().is_some_and(|x| x.is_alphanumeric() || x == '_') {
                c.bump();
            }
            kind = TokenKind::Ident;
        } else if ch.is_ascii_digit() {
            while c.peek().is_some_and(|x| x.is_alphanumeric() || x == '_') {
                c.bump();
            }
            kind = TokenKind::Int;
        } else {
            let len = OPERATORS
                .iter()
                .find(|op| rest.starts_with(**op))
                .map_or(ch.len_utf8(), |op| op.len());
            c.bump_n(rest.get(..len).map_or(1, |s| s.chars().count()));
            kind = TokenKind::Op;
        }
        let text = script.get(offset..c.pos).unwrap_or("");
        // Track the top-level function each token is in.
        if top_level {
            func = match (func, kind, text) {
                (FnState::Outside, TokenKind::Ident, "fn") if *braces == 0 => FnState::Keyword,
                (FnState::Keyword, TokenKind::Ident, name) => FnState::Named(name),
                (FnState::Named(name), TokenKind::Op, "{") if *braces == 0 => FnState::Inside(name),
                (f, ..) => f,
            };
        }
        let function = match func {
            FnState::Inside(name) => Some(name),
            _ => None,
        };
        match text {
            "{" => *braces += 1,
            "}" if *braces == 0 && !top_level => {
                modes.pop();
                continue;
            }
            "}" => {
                *braces = braces.saturating_sub(1);
                if top_level && *braces == 0 && matches!(func, FnState::Inside(_)) {
                    func = FnState::Outside;
                }
            }
            _ => {}
        }
        tokens.push(Token {
            kind,
            text,
            offset,
            line,
            column,
            in_text: !top_level,
            function,
        });
    }
    tokens
}

/// A call of `name(` in code: the token of `name`, when it is not a method (`x.name(`) or a
/// definition (`fn name(`).
pub(crate) fn is_call(tokens: &[Token<'_>], i: usize, name: &str) -> bool {
    let Some(t) = tokens.get(i) else { return false };
    let before = i.checked_sub(1).and_then(|j| tokens.get(j)).map(|t| t.text);
    t.kind == TokenKind::Ident
        && t.text == name
        && tokens.get(i + 1).is_some_and(|n| n.text == "(")
        && !matches!(before, Some("." | "fn" | "?."))
}

/// An integer literal in decimal (underscores allowed).
pub(crate) fn int_literal(t: &Token<'_>) -> Option<i64> {
    if t.kind != TokenKind::Int || !t.text.bytes().all(|b| b.is_ascii_digit() || b == b'_') {
        return None;
    }
    t.text.replace('_', "").parse().ok()
}

/// The literal level of `rating(N, …)` whose `rating` token is at `i`: the token and its value.
pub(crate) fn literal_level<'t, 'a>(
    tokens: &'t [Token<'a>],
    i: usize,
) -> Option<(&'t Token<'a>, i64)> {
    let lit = tokens.get(i + 2)?;
    let after = tokens.get(i + 3)?;
    if after.text != "," && after.text != ")" {
        return None;
    }
    Some((lit, int_literal(lit)?))
}

// ---------------------------------------------------------------------------------------------
// Mutants

/// What a mutant changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MutationKind {
    /// A `rating(N, …)` level moved by one.
    Level,
    /// A comparison flipped at its boundary: `>=` ↔ `>`, `<=` ↔ `<`.
    Boundary,
    /// `==` ↔ `!=`.
    Equality,
    /// `&&` ↔ `||`.
    Logic,
}

impl MutationKind {
    /// Level and boundary mutants: the ones the shipped rubrics must kill.
    pub fn is_core(self) -> bool {
        matches!(self, MutationKind::Level | MutationKind::Boundary)
    }
}

/// One change to a script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mutant {
    /// 1-based line of the changed text.
    pub line: u32,
    /// 1-based column of the changed text.
    pub column: u32,
    /// Byte offset of the changed text.
    #[serde(skip)]
    pub offset: usize,
    /// What kind of change it is.
    pub kind: MutationKind,
    /// The text as written.
    pub from: String,
    /// The text in the mutant.
    pub to: String,
    /// The top-level function the change is in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub function: Option<String>,
}

impl Mutant {
    /// The script with this one change.
    pub fn apply(&self, script: &str) -> String {
        let end = self.offset + self.from.len();
        match (script.get(..self.offset), script.get(end..)) {
            (Some(head), Some(tail)) => format!("{head}{}{tail}", self.to),
            _ => script.to_string(),
        }
    }

    /// How a person reads the change: `` `>=` → `>` ``.
    pub fn describe(&self) -> String {
        match self.kind {
            MutationKind::Level => format!("level `{}` → `{}`", self.from, self.to),
            _ => format!("`{}` → `{}`", self.from, self.to),
        }
    }
}

/// Every mutant of a script, in script order: each literal `rating(N, …)` level lowered by one
/// (raised by one when `N - 1` is off the scale), each `>=`, `>`, `<=`, `<` flipped at its
/// boundary, each `==`/`!=` and `&&`/`||` swapped. Code inside `${…}` of a backtick string only
/// builds notes, which cases do not compare, so it is left alone.
pub fn mutants(script: &str, meta: &RubricMeta) -> Vec<Mutant> {
    let tokens = scan(script);
    let mut out = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        if t.in_text {
            continue;
        }
        let swap = match t.text {
            ">=" => Some((MutationKind::Boundary, ">")),
            ">" => Some((MutationKind::Boundary, ">=")),
            "<=" => Some((MutationKind::Boundary, "<")),
            "<" => Some((MutationKind::Boundary, "<=")),
            "==" => Some((MutationKind::Equality, "!=")),
            "!=" => Some((MutationKind::Equality, "==")),
            "&&" => Some((MutationKind::Logic, "||")),
            "||" => Some((MutationKind::Logic, "&&")),
            _ => None,
        };
        let mutant = |tok: &Token<'_>, kind, to: String| Mutant {
            line: tok.line,
            column: tok.column,
            offset: tok.offset,
            kind,
            from: tok.text.to_string(),
            to,
            function: tok.function.map(str::to_string),
        };
        if let (TokenKind::Op, Some((kind, to))) = (t.kind, swap) {
            out.push(mutant(t, kind, to.to_string()));
        } else if is_call(&tokens, i, "rating") {
            if let Some((lit, n)) = literal_level(&tokens, i) {
                let to = [n - 1, n + 1]
                    .into_iter()
                    .find(|l| meta.scale.level(*l).is_some());
                if let Some(to) = to {
                    out.push(mutant(lit, MutationKind::Level, to.to_string()));
                }
            }
        }
    }
    out
}

/// Why a change at a place in the script cannot change any rating, when the scanner can tell:
/// the code there never runs while indicators are rated. Top-level statements are not run (the
/// engine only calls the indicator functions), and a function no indicator function calls,
/// directly or through others, never runs. A function whose name also appears in a string or a
/// comment (it might be called through `Fn("name")`) counts as called.
pub(crate) struct DeadCode {
    called: Vec<String>,
}

impl DeadCode {
    pub(crate) fn of(script: &str, meta: &RubricMeta) -> DeadCode {
        let tokens = scan(script);
        let defined: Vec<&str> = tokens
            .iter()
            .enumerate()
            .filter(|(i, t)| {
                t.function.is_none()
                    && t.kind == TokenKind::Ident
                    && i.checked_sub(1)
                        .and_then(|j| tokens.get(j))
                        .is_some_and(|p| p.text == "fn")
            })
            .map(|(_, t)| t.text)
            .collect();
        let mut called: Vec<String> = meta.indicators.iter().map(|i| i.function_name()).collect();
        for name in &defined {
            // Whole-word occurrences in the text against those the scanner saw in code.
            let in_text = script
                .match_indices(name)
                .filter(|(at, _)| {
                    let word = |c: char| c.is_alphanumeric() || c == '_';
                    let before = script.get(..*at).and_then(|s| s.chars().next_back());
                    let after = script.get(at + name.len()..).and_then(|s| s.chars().next());
                    !before.is_some_and(word) && !after.is_some_and(word)
                })
                .count();
            let in_code = tokens.iter().filter(|t| t.text == *name).count();
            if in_text > in_code && !called.iter().any(|c| c == name) {
                called.push(name.to_string());
            }
        }
        // Follow calls from the called functions until nothing new is found.
        let mut i = 0;
        while let Some(caller) = called.get(i).cloned() {
            for t in tokens
                .iter()
                .filter(|t| t.function == Some(caller.as_str()) && t.kind == TokenKind::Ident)
            {
                if defined.contains(&t.text) && !called.iter().any(|c| c == t.text) {
                    called.push(t.text.to_string());
                }
            }
            i += 1;
        }
        DeadCode { called }
    }

    /// The reason a change in this function (`None`: at the top level) cannot change a rating.
    pub(crate) fn reason(&self, function: Option<&str>) -> Option<String> {
        match function {
            None => Some("top-level code does not run when indicators are rated".into()),
            Some(f) if !self.called.iter().any(|c| c == f) => Some(format!(
                "`{f}` is not called from any indicator function, so it never runs"
            )),
            Some(_) => None,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Declared equivalent mutants

/// A mutant the trainer has shown cannot change any rating, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EquivalentMutant {
    /// Line of the changed text.
    pub line: u32,
    /// Column of the changed text.
    pub column: u32,
    /// The text as written (`">="`, or the level).
    pub from: String,
    /// The text in the mutant.
    pub to: String,
    /// Why no record can tell the mutant from the script.
    pub reason: String,
}

impl EquivalentMutant {
    fn matches(&self, m: &Mutant) -> bool {
        self.line == m.line && self.column == m.column && self.from == m.from && self.to == m.to
    }

    /// Parses `equivalent-mutants.json`: a list of `{line, column, from, to, reason}`.
    pub fn parse_list(text: &str, file: &str) -> Result<Vec<EquivalentMutant>, Diagnostics> {
        serde_json::from_str(text).map_err(|e| {
            Diagnostics(vec![crate::json::serde_diagnostic(
                &e,
                Code::EquivalentMutants,
                "invalid list of equivalent mutants",
            )
            .with_help("write a list of `{\"line\", \"column\", \"from\", \"to\", \"reason\"}`, as `rubrica test --mutate` prints them")
            .in_file(file)])
        })
    }
}

/// A rubric folder's declared equivalent mutants ([`EQUIVALENT_MUTANTS_FILE`]); none when the
/// folder has no such file.
pub fn equivalent_mutants(dir: &Path) -> Result<Vec<EquivalentMutant>, Diagnostics> {
    let path = dir.join(EQUIVALENT_MUTANTS_FILE);
    let file = path.display().to_string();
    match std::fs::read_to_string(&path) {
        Ok(text) => EquivalentMutant::parse_list(&text, &file),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(Diagnostics(vec![Diagnostic::error(
            Code::EquivalentMutants,
            format!("cannot read the list of equivalent mutants: {e}"),
        )
        .in_file(file)])),
    }
}

/// A rubric folder's cases, read with their records, ready to run many times; and the problems
/// of the cases that cannot be read.
pub fn ready_cases(folder: &RubricFolder) -> (Vec<ReadyCase>, Vec<Diagnostic>) {
    let mut ready = Vec::new();
    let mut problems = Vec::new();
    for (name, path, text) in &folder.cases {
        let file = path.display().to_string();
        match ReadyCase::read(name, &file, text, &RubricFolder::loader(path)) {
            Ok(case) => ready.push(case),
            Err(Diagnostics(mut ds)) => problems.append(&mut ds),
        }
    }
    (ready, problems)
}

// ---------------------------------------------------------------------------------------------
// Running mutants

/// What became of a mutant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum MutantStatus {
    /// A case failed: the cases pin this place.
    Killed {
        /// The first case that failed.
        case: String,
    },
    /// Every case still passed: nothing pins this place.
    Survived,
    /// Every case still passed, and the change cannot change any rating: the rubric declares
    /// it so, or its code never runs.
    Equivalent {
        /// Why (the declared reason, or why the code never runs).
        reason: String,
    },
    /// The mutant does not compile; it says nothing about the cases.
    Invalid {
        /// The compiler's message.
        message: String,
    },
}

/// A mutant and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MutantOutcome {
    /// The change.
    #[serde(flatten)]
    pub mutant: Mutant,
    /// What happened.
    #[serde(flatten)]
    pub status: MutantStatus,
}

/// Counts of one mutation run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct MutationCounts {
    /// Mutants made.
    pub total: usize,
    /// Mutants a case caught.
    pub killed: usize,
    /// Mutants no case caught.
    pub survived: usize,
    /// Survivors declared equivalent.
    pub equivalent: usize,
    /// Mutants that do not compile.
    pub invalid: usize,
}

impl MutationCounts {
    fn add(&mut self, status: &MutantStatus) {
        self.total += 1;
        match status {
            MutantStatus::Killed { .. } => self.killed += 1,
            MutantStatus::Survived => self.survived += 1,
            MutantStatus::Equivalent { .. } => self.equivalent += 1,
            MutantStatus::Invalid { .. } => self.invalid += 1,
        }
    }

    /// Killed mutants in percent of those that could be killed (not invalid, not equivalent);
    /// 100 when there are none.
    pub fn kill_percent(&self) -> f64 {
        let killable = self.killed + self.survived;
        if killable == 0 {
            100.0
        } else {
            self.killed as f64 * 100.0 / killable as f64
        }
    }
}

/// The mutation run of one rubric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MutationReport {
    /// Rubric id.
    pub rubric: String,
    /// The script file, as named in diagnostics.
    pub script_file: String,
    /// Every mutant, in script order.
    pub mutants: Vec<MutantOutcome>,
    /// Counts over all mutants.
    pub all: MutationCounts,
    /// Counts over level and boundary mutants only.
    pub core: MutationCounts,
    /// Problems with the declared equivalent mutants (one that matches no mutant, or that a
    /// case kills).
    pub warnings: Vec<Diagnostic>,
}

impl MutationReport {
    /// The survivors as diagnostics at their place in the script: errors for level and
    /// boundary mutants (the ones a rubric's cases must pin), warnings for the others (`==`,
    /// `&&`, which often only change a note's wording).
    pub fn survivors(&self) -> Vec<Diagnostic> {
        self.mutants
            .iter()
            .filter(|m| m.status == MutantStatus::Survived)
            .map(|m| {
                let diagnostic = if m.mutant.kind.is_core() {
                    Diagnostic::error
                } else {
                    Diagnostic::warning
                };
                let mut d = diagnostic(
                    Code::MutantSurvived,
                    format!(
                        "{} survives: every case still passes{}",
                        m.mutant.describe(),
                        m.mutant
                            .function
                            .as_deref()
                            .map_or(String::new(), |f| format!(" (in `{f}`)"))
                    ),
                )
                .in_file(&self.script_file)
                .at_line_col(m.mutant.line, m.mutant.column);
                d = d.with_help(match m.mutant.kind {
                    MutationKind::Level => {
                        "add a case that reaches this rating and expects its level"
                    }
                    MutationKind::Boundary => {
                        "add a case whose record sits exactly on this threshold"
                    }
                    MutationKind::Equality | MutationKind::Logic => {
                        "add a case where this condition decides the rating"
                    }
                });
                d
            })
            .collect()
    }
}

/// Runs the cases against every mutant of a rubric. `cases` must all pass on the unchanged
/// script (otherwise the failures are returned: a mutant is only killed by a case that passed
/// before). `equivalent` lists the mutants the rubric declares equivalent.
pub fn run_mutants(
    engine: &Engine,
    source: &RubricSource,
    cases: &[ReadyCase],
    equivalent: &[EquivalentMutant],
) -> Result<MutationReport, Diagnostics> {
    let original = engine.compile(source)?;
    let mut failures = Vec::new();
    for case in cases {
        failures.extend(case.run(engine, &original).1);
    }
    if !failures.is_empty() {
        return Err(Diagnostics(failures));
    }
    let meta = original.meta();
    let mut report = MutationReport {
        rubric: meta.id.clone(),
        script_file: source.script_file.clone(),
        mutants: Vec::new(),
        all: MutationCounts::default(),
        core: MutationCounts::default(),
        warnings: Vec::new(),
    };
    let dead = DeadCode::of(&source.script, meta);
    for mutant in mutants(&source.script, meta) {
        let mutated = RubricSource {
            script: mutant.apply(&source.script),
            ..source.clone()
        };
        let mut status = match engine.compile(&mutated) {
            Err(Diagnostics(ds)) => MutantStatus::Invalid {
                message: ds.first().map_or_else(String::new, |d| d.message.clone()),
            },
            Ok(compiled) => first_failing_case(engine, &compiled, cases)
                .map_or(MutantStatus::Survived, |case| MutantStatus::Killed { case }),
        };
        if status == MutantStatus::Survived {
            if let Some(reason) = dead.reason(mutant.function.as_deref()) {
                status = MutantStatus::Equivalent { reason };
            }
        }
        if let Some(eq) = equivalent.iter().find(|e| e.matches(&mutant)) {
            match status {
                MutantStatus::Survived => {
                    status = MutantStatus::Equivalent {
                        reason: eq.reason.clone(),
                    }
                }
                MutantStatus::Killed { ref case } => report.warnings.push(
                    Diagnostic::warning(
                        Code::EquivalentMutants,
                        format!(
                            "{} is declared equivalent, but case `{case}` catches it",
                            mutant.describe()
                        ),
                    )
                    .with_help(format!("remove it from {EQUIVALENT_MUTANTS_FILE}"))
                    .in_file(&source.script_file)
                    .at_line_col(mutant.line, mutant.column),
                ),
                _ => {}
            }
        }
        report.all.add(&status);
        if mutant.kind.is_core() {
            report.core.add(&status);
        }
        report.mutants.push(MutantOutcome { mutant, status });
    }
    for eq in equivalent {
        if !report.mutants.iter().any(|m| eq.matches(&m.mutant)) {
            report.warnings.push(
                Diagnostic::warning(
                    Code::EquivalentMutants,
                    format!(
                        "no mutant `{}` → `{}` at {}:{}; the declaration is stale",
                        eq.from, eq.to, eq.line, eq.column
                    ),
                )
                .with_help(format!(
                    "run `rubrica test --mutate` and update {EQUIVALENT_MUTANTS_FILE} to the places it prints"
                ))
                .in_file(&source.script_file)
                .at_line_col(eq.line, eq.column),
            );
        }
    }
    Ok(report)
}

/// The name of the first case that fails (or errs) with this rubric, if any.
fn first_failing_case(
    engine: &Engine,
    rubric: &CompiledRubric,
    cases: &[ReadyCase],
) -> Option<String> {
    cases
        .iter()
        .find(|case| !case.run(engine, rubric).1.is_empty())
        .map(|case| case.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(script: &str) -> Vec<&str> {
        scan(script).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn strings_characters_and_comments_hide_their_text() {
        let script = r##"let a = "x >= 1 \" < 2"; // b <= 3
/* c > 4 /* nested == */ still && comment */ let d = 'x'; let e = '\''; let f = #"g >= 5"#;
let h = "doubled "" >= quote";"##;
        let ops: Vec<&str> = texts(script)
            .into_iter()
            .filter(|t| ["<", ">", "<=", ">=", "==", "&&"].contains(t))
            .collect();
        assert!(ops.is_empty(), "{ops:?}");
        assert_eq!(texts(r#"let h = "a" ; k"#), ["let", "h", "=", ";", "k"]);
    }

    #[test]
    fn interpolations_are_code_inside_text() {
        let script =
            "let n = `a ${ if x >= 1 { `inner ${y < 2}` } else { \"}\" } } b >= c` ; z > 3";
        let toks = scan(script);
        let cmp: Vec<(&str, bool)> = toks
            .iter()
            .filter(|t| [">=", "<", ">"].contains(&t.text))
            .map(|t| (t.text, t.in_text))
            .collect();
        // `b >= c` is text; `x >= 1` and `y < 2` are code inside text; `z > 3` is code.
        assert_eq!(cmp, [(">=", true), ("<", true), (">", false)]);
    }

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let script = "// é comment\nfn a(r) {\n\tlet é = r >= 2;\n}\n";
        let t = scan(script).into_iter().find(|t| t.text == ">=").unwrap();
        assert_eq!((t.line, t.column), (3, 12));
        assert_eq!(script.get(t.offset..t.offset + 2), Some(">="));
        assert_eq!(t.function, Some("a"));
    }

    #[test]
    fn functions_end_at_their_closing_brace() {
        let script = "fn one(r) { if r { #{a: 1} } }\nlet x = 1 < 2;\nfn two(r) { r > 1 }";
        let toks = scan(script);
        let at = |op: &str| toks.iter().find(|t| t.text == op).unwrap().function;
        assert_eq!(at("<"), None);
        assert_eq!(at(">"), Some("two"));
        assert_eq!(
            toks.iter().find(|t| t.text == "a").unwrap().function,
            Some("one")
        );
    }

    #[test]
    fn calls_are_not_methods_or_definitions() {
        let toks = scan("fn rating(x) { x.rating(1) } rating(2, []) my_rating(3)");
        let calls: Vec<usize> = (0..toks.len())
            .filter(|i| is_call(&toks, *i, "rating"))
            .collect();
        assert_eq!(calls.len(), 1);
        assert_eq!(literal_level(&toks, calls[0]).unwrap().1, 2);
    }

    #[test]
    fn any_text_scans_into_tokens_at_their_places() {
        // Unterminated strings, comments and interpolations, stray braces, multi-byte text: the
        // scanner never panics, and every token is the script's text at its offset and position.
        let alphabet: Vec<char> = "ab1_ \n\"'`$#{}/*\\<>=!&|.é😀".chars().collect();
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..3000 {
            let mut script = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            for _ in 0..(seed % 40) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                script.push(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            let mut last = 0;
            for t in scan(&script) {
                assert!(t.offset >= last, "{script:?}");
                assert_eq!(script.get(t.offset..t.offset + t.text.len()), Some(t.text));
                let before = &script[..t.offset];
                let line = before.matches('\n').count() as u32 + 1;
                let column = before.rsplit('\n').next().unwrap().chars().count() as u32 + 1;
                assert_eq!((t.line, t.column), (line, column), "{script:?}");
                last = t.offset + t.text.len();
            }
        }
    }

    #[test]
    fn code_no_indicator_runs_is_dead() {
        let meta = crate::rubric::parse_meta(
            include_str!("../../tests/fixtures/rubrics/mutants-pinned/rubric.json"),
            "rubric.json",
        )
        .unwrap();
        let script = "let top = 1 > 2;\nfn one_to_one(r) { band(r) }\nfn band(r) { deeper(r) }\nfn deeper(r) { r.minutes > 3 }\nfn own_space(r) { let f = Fn(\"by_name\"); f.call(r) }\nfn by_name(r) { 1 }\nfn unused(r) { used_by_unused(r) }\nfn used_by_unused(r) { 2 }\n// unused_in_comment is only named here\nfn unused_in_comment(r) { 3 }\n";
        let dead = DeadCode::of(script, &meta);
        for live in ["one_to_one", "band", "deeper", "own_space", "by_name"] {
            assert_eq!(dead.reason(Some(live)), None, "{live}");
        }
        assert!(dead.reason(None).unwrap().contains("top-level"));
        for gone in ["unused", "used_by_unused"] {
            assert!(dead.reason(Some(gone)).unwrap().contains(gone), "{gone}");
        }
        // Named in a comment: it might be called by name, so it counts as called.
        assert_eq!(dead.reason(Some("unused_in_comment")), None);
    }

    #[test]
    fn match_arms_and_shifts_are_not_comparisons() {
        let toks = scan("switch x { 1 => a, _ => b } let y = 1 << 2 >> 1; let z = 3 >>= 1;");
        assert!(!toks
            .iter()
            .any(|t| ["<", ">", "<=", ">="].contains(&t.text)));
    }
}
