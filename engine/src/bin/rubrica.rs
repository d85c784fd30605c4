//! `rubrica`: check and test rubrics, score observation records.

use clap::{Parser, Subcommand, ValueEnum};
use rubrica::{
    escape_controls, escape_controls_keep_newlines, line_too_long, load_rubric_dir, read_record,
    rubric_dirs, Case, CompiledRubric, Diagnostic, Diagnostics, Engine, JsonLines, Observation,
    RecordLine, RubricFolder, MAX_RECORD_BYTES,
};
use std::borrow::Cow;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Transparent, evidence-citing scoring of infant–toddler care observations.
///
/// A record is at most 2 MiB (2,097,152 bytes) of UTF-8 JSON: a larger `.json` file, or a longer
/// line of a `.jsonl` stream, is refused with R0110 without being read into memory. Text from
/// records and rubrics is printed with control and bidi characters escaped (`\u{1b}`, `\n`).
#[derive(Parser)]
#[command(name = "rubrica", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check rubric folders: metadata, script syntax, an indicator function for each indicator.
    Check {
        /// A rubric folder, or a folder of rubric folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Run rubrics' self-test cases (`cases/*.json`).
    Test {
        /// A rubric folder, or a folder of rubric folders.
        #[arg(default_value = "rubrics")]
        path: PathBuf,
        /// Print every case, not only failures.
        #[arg(short, long)]
        verbose: bool,
        /// Also write each case's full result JSON to DIR/<rubric>/<case>.json.
        #[arg(long, value_name = "DIR")]
        write_results: Option<PathBuf>,
    },
    /// Score one record (`.json`) or many (`.jsonl`, one record per line) with every rubric.
    ///
    /// A record (a `.json` file, or one line of a `.jsonl` stream) is at most 2 MiB; a longer line
    /// is reported with its line number (R0110) and the lines after it are still scored.
    Score {
        /// Record file; `-` reads JSON Lines from standard input.
        input: PathBuf,
        /// Folder of rubric folders.
        #[arg(long, default_value = "rubrics")]
        rubrics: PathBuf,
        /// Output: `text` for coaches, `json` for programs (compact, one report per line).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Validate observation records (each at most 2 MiB) without scoring them.
    Validate {
        /// Record files.
        #[arg(required = true)]
        records: Vec<PathBuf>,
    },
    /// Write every rubric (with its cases' records inlined) as one JSON document for the browser.
    Bundle {
        /// Folder of rubric folders.
        #[arg(default_value = "rubrics")]
        rubrics: PathBuf,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

const OK: u8 = 0;
const FINDINGS: u8 = 1;
const INPUT: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Check { paths } => check(&paths),
        Command::Test {
            path,
            verbose,
            write_results,
        } => test(&path, verbose, write_results.as_deref()),
        Command::Score {
            input,
            rubrics,
            format,
        } => score(&input, &rubrics, format),
        Command::Validate { records } => validate(&records),
        Command::Bundle { rubrics } => bundle(&rubrics),
    };
    ExitCode::from(code)
}

/// Text from records and rubrics in one line meant for a person: control and bidi characters
/// escaped, newlines included.
fn esc(text: &str) -> Cow<'_, str> {
    escape_controls(text)
}

/// Prints lines for a person on stdout. Every line the CLI prints in text mode goes through
/// here or [`print_diagnostics`]: whatever a piece of text holds, it cannot move the cursor,
/// recolour or reorder the terminal; only the newlines the CLI writes itself break lines.
fn say(out: &mut impl Write, text: &str) {
    let _ = writeln!(out, "{}", escape_controls_keep_newlines(text));
}

/// Reads the file a diagnostic points at, for its excerpt; never more than a record's worth.
fn excerpt_source(d: &Diagnostic) -> Option<String> {
    d.location.line?;
    let file = std::fs::File::open(d.location.file.as_ref()?).ok()?;
    let bytes = read_record(file, 4 * MAX_RECORD_BYTES).ok()?.ok()?;
    String::from_utf8(bytes).ok()
}

/// Prints diagnostics to stderr, with an excerpt of the file each one points at.
fn print_diagnostics(ds: &[Diagnostic]) {
    let mut err = std::io::stderr().lock();
    for d in ds {
        // `render` escapes what it quotes; the pass over the whole keeps that true of any part.
        say(&mut err, &d.render(excerpt_source(d).as_deref()));
    }
}

/// Exit code for problems found while loading rubric folders: a problem with a place in a file
/// (a script that is not UTF-8, a case file that does not parse) is a finding in the rubric;
/// one without (a missing folder or file) is an input error.
fn load_failure_code(ds: &[Diagnostic]) -> u8 {
    if !ds.is_empty() && ds.iter().all(|d| d.location.line.is_some()) {
        FINDINGS
    } else {
        INPUT
    }
}

fn rubric_folders(path: &Path) -> Result<Vec<RubricFolder>, Diagnostics> {
    if path.join(rubrica::META_FILE).is_file() {
        Ok(vec![RubricFolder::load(path)?])
    } else {
        load_rubric_dir(path)
    }
}

fn compile_all(
    engine: &Engine,
    folders: &[RubricFolder],
) -> (Vec<CompiledRubric>, Vec<Diagnostic>) {
    let mut ok = Vec::new();
    let mut errs = Vec::new();
    for f in folders {
        match engine.compile(&f.source) {
            Ok(c) => ok.push(c),
            Err(Diagnostics(mut ds)) => errs.append(&mut ds),
        }
    }
    (ok, errs)
}

fn check(paths: &[PathBuf]) -> u8 {
    let engine = Engine::default();
    let mut out = std::io::stdout().lock();
    let mut code = OK;
    for p in paths {
        // Each rubric folder is loaded on its own, so one that cannot be read does not hide the
        // others' problems.
        let dirs = if p.join(rubrica::META_FILE).is_file() {
            vec![p.clone()]
        } else {
            match rubric_dirs(p) {
                Ok(d) => d,
                Err(Diagnostics(ds)) => {
                    print_diagnostics(&ds);
                    code = code.max(INPUT);
                    continue;
                }
            }
        };
        for dir in dirs {
            let shown = dir.display().to_string();
            let folder = match RubricFolder::load(&dir) {
                Ok(f) => f,
                Err(Diagnostics(ds)) => {
                    print_diagnostics(&ds);
                    say(
                        &mut out,
                        &format!("failed {} ({} problem(s))", esc(&shown), ds.len()),
                    );
                    code = code.max(load_failure_code(&ds));
                    continue;
                }
            };
            match engine.compile(&folder.source) {
                Ok(c) => say(
                    &mut out,
                    &format!(
                        "ok {} ({} {}, {} indicators, {} items)",
                        esc(&shown),
                        esc(&c.meta().id),
                        esc(&c.meta().version),
                        c.meta().indicators.len(),
                        c.meta().items.len()
                    ),
                ),
                Err(Diagnostics(ds)) => {
                    print_diagnostics(&ds);
                    say(
                        &mut out,
                        &format!("failed {} ({} problem(s))", esc(&shown), ds.len()),
                    );
                    code = code.max(FINDINGS);
                }
            }
        }
    }
    code
}

fn test(path: &Path, verbose: bool, write_results: Option<&Path>) -> u8 {
    let engine = Engine::default();
    let mut out = std::io::stdout().lock();
    let folders = match rubric_folders(path) {
        Ok(f) => f,
        Err(Diagnostics(ds)) => {
            print_diagnostics(&ds);
            return load_failure_code(&ds);
        }
    };
    let (mut passed, mut failed) = (0usize, 0usize);
    for f in &folders {
        let compiled = match engine.compile(&f.source) {
            Ok(c) => c,
            Err(Diagnostics(ds)) => {
                print_diagnostics(&ds);
                say(
                    &mut out,
                    &format!(
                        "FAIL {}: does not compile; its {} case(s) count as failed",
                        esc(&f.dir.display().to_string()),
                        f.cases.len().max(1)
                    ),
                );
                failed += f.cases.len().max(1);
                continue;
            }
        };
        if f.cases.is_empty() {
            say(
                &mut out,
                &format!(
                    "warning: {} has no cases in cases/",
                    esc(&f.dir.display().to_string())
                ),
            );
        }
        let id = esc(&compiled.meta().id).into_owned();
        for (name, case_path, text) in &f.cases {
            let shown_name = esc(name);
            let file = case_path.display().to_string();
            let outcome = match Case::parse(text, &file) {
                Ok(case) => case.run(
                    name,
                    &file,
                    &engine,
                    &compiled,
                    &RubricFolder::loader(case_path),
                ),
                Err(Diagnostics(ds)) => {
                    print_diagnostics(&ds);
                    failed += 1;
                    say(&mut out, &format!("FAIL {id}/{shown_name}"));
                    continue;
                }
            };
            if let (Some(dir), Some(result)) = (write_results, &outcome.result) {
                let dir = dir.join(&compiled.meta().id);
                let written = std::fs::create_dir_all(&dir).and_then(|_| {
                    std::fs::write(
                        dir.join(format!("{name}.json")),
                        serde_json::to_string(result).unwrap_or_default(),
                    )
                });
                if let Err(e) = written {
                    eprintln!(
                        "error: cannot write results to `{}`: {}",
                        esc(&dir.display().to_string()),
                        esc(&e.to_string())
                    );
                    return INPUT;
                }
            }
            if outcome.passed {
                passed += 1;
                if verbose {
                    say(
                        &mut out,
                        &format!("ok   {id}/{shown_name} — {}", esc(&outcome.description)),
                    );
                }
            } else {
                failed += 1;
                say(
                    &mut out,
                    &format!("FAIL {id}/{shown_name} — {}", esc(&outcome.description)),
                );
                for p in &outcome.problems {
                    say(&mut out, &format!("     {}", p.headline()));
                }
            }
        }
    }
    say(&mut out, &format!("{passed} passed, {failed} failed"));
    if failed > 0 {
        FINDINGS
    } else {
        OK
    }
}

fn load_engine_and_rubrics(rubrics: &Path) -> Result<(Engine, Vec<CompiledRubric>), u8> {
    let engine = Engine::default();
    let folders = rubric_folders(rubrics).map_err(|Diagnostics(ds)| {
        print_diagnostics(&ds);
        load_failure_code(&ds)
    })?;
    let (compiled, errs) = compile_all(&engine, &folders);
    if !errs.is_empty() {
        print_diagnostics(&errs);
        eprintln!(
            "error: {} rubric(s) do not compile; run `rubrica check {}`",
            folders.len() - compiled.len(),
            esc(&rubrics.display().to_string())
        );
        return Err(FINDINGS);
    }
    Ok((engine, compiled))
}

fn score(input: &Path, rubrics: &Path, format: Format) -> u8 {
    let (engine, compiled) = match load_engine_and_rubrics(rubrics) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let is_stream = input == Path::new("-")
        || input
            .extension()
            .is_some_and(|e| e == "jsonl" || e == "ndjson");
    if is_stream {
        score_lines(input, &engine, &compiled, format)
    } else {
        score_file(input, &engine, &compiled, format)
    }
}

/// Reads one record file, at most [`MAX_RECORD_BYTES`] of it.
fn read_record_file(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    let file = path.display().to_string();
    let cannot_read = |e: std::io::Error| {
        Diagnostic::error(rubrica::Code::JsonSyntax, format!("cannot read file: {e}"))
            .with_help("check the file name and that the file can be read")
            .in_file(&file)
    };
    let reader = std::fs::File::open(path).map_err(cannot_read)?;
    read_record(reader, MAX_RECORD_BYTES)
        .map_err(cannot_read)?
        .map_err(|d| d.in_file(&file))
}

fn print_report(out: &mut impl Write, report: &rubrica::Report, format: Format) {
    match format {
        Format::Text => say(out, &report.to_terminal_text()),
        Format::Json => {
            let _ = writeln!(out, "{}", serde_json::to_string(report).unwrap_or_default());
        }
    }
}

fn score_file(input: &Path, engine: &Engine, compiled: &[CompiledRubric], format: Format) -> u8 {
    let parsed = read_record_file(input)
        .map_err(|d| Diagnostics(vec![d]))
        .and_then(|bytes| Observation::parse_bytes(&bytes));
    let mut out = std::io::stdout().lock();
    let parsed = match parsed {
        Ok(p) => p,
        Err(Diagnostics(ds)) => {
            let file = input.display().to_string();
            let ds: Vec<Diagnostic> = ds
                .into_iter()
                .map(|d| {
                    if d.location.file.is_none() {
                        d.in_file(file.clone())
                    } else {
                        d
                    }
                })
                .collect();
            if format == Format::Json {
                // Programs read stdout: the failure answer, as for a bad line of a stream.
                let _ = writeln!(
                    out,
                    "{}",
                    serde_json::json!({"type": "failure", "errors": ds})
                );
            } else {
                print_diagnostics(&ds);
            }
            eprintln!(
                "error: the record has {} problem(s); nothing was scored",
                ds.len()
            );
            return INPUT;
        }
    };
    let report = engine.report(compiled, &parsed);
    print_report(&mut out, &report, format);
    let failed = report
        .practices
        .iter()
        .any(|p| matches!(p, rubrica::PracticeEntry::Failure { .. }));
    if failed {
        FINDINGS
    } else {
        OK
    }
}

/// JSON Lines: one record per line, one report per line, memory bounded by one record.
fn score_lines(input: &Path, engine: &Engine, compiled: &[CompiledRubric], format: Format) -> u8 {
    let reader: Box<dyn BufRead> = if input == Path::new("-") {
        Box::new(std::io::stdin().lock())
    } else {
        match std::fs::File::open(input) {
            Ok(f) => Box::new(std::io::BufReader::new(f)),
            Err(e) => {
                eprintln!(
                    "error: cannot read `{}`: {}",
                    esc(&input.display().to_string()),
                    esc(&e.to_string())
                );
                return INPUT;
            }
        }
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let start = Instant::now();
    let mut last_progress = Instant::now();
    let (mut scored, mut bad) = (0usize, 0usize);
    for line in JsonLines::new(reader) {
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                eprintln!("error: reading the input: {}", esc(&e.to_string()));
                bad += 1;
                break;
            }
        };
        let line_no = line.number();
        let parsed = match line {
            RecordLine::Text { bytes, .. } if bytes.iter().all(u8::is_ascii_whitespace) => continue,
            RecordLine::Text { bytes, .. } => Observation::parse_bytes(&bytes),
            RecordLine::TooLong { number, bytes } => Err(Diagnostics(vec![line_too_long(
                number,
                bytes,
                MAX_RECORD_BYTES,
            )])),
        };
        match parsed {
            Ok(parsed) => {
                print_report(&mut out, &engine.report(compiled, &parsed), format);
                scored += 1;
            }
            Err(Diagnostics(ds)) => {
                bad += 1;
                let file = format!("{}:{line_no}", input.display());
                let ds: Vec<Diagnostic> = ds.into_iter().map(|d| d.in_file(file.clone())).collect();
                match format {
                    Format::Json => {
                        let _ = writeln!(
                            out,
                            "{}",
                            serde_json::json!({"type": "failure", "line": line_no, "errors": ds})
                        );
                    }
                    Format::Text => {
                        // Keep the reports and problems in input order on a shared terminal.
                        let _ = out.flush();
                        print_diagnostics(&ds);
                    }
                }
            }
        }
        if last_progress.elapsed() >= Duration::from_secs(1) {
            last_progress = Instant::now();
            eprintln!(
                "… {} records scored, {bad} rejected ({:.0}/s)",
                scored,
                (scored + bad) as f64 / start.elapsed().as_secs_f64().max(0.001)
            );
        }
    }
    let _ = out.flush();
    eprintln!(
        "{scored} records scored, {bad} rejected in {:.1}s",
        start.elapsed().as_secs_f64()
    );
    if bad > 0 {
        INPUT
    } else {
        OK
    }
}

fn validate(records: &[PathBuf]) -> u8 {
    let mut out = std::io::stdout().lock();
    let mut code = OK;
    for r in records {
        let file = r.display().to_string();
        let result = read_record_file(r)
            .map_err(|d| Diagnostics(vec![d]))
            .and_then(|b| Observation::parse_bytes(&b));
        let in_file = |ds: Vec<Diagnostic>| -> Vec<Diagnostic> {
            ds.into_iter().map(|d| d.in_file(file.clone())).collect()
        };
        match result {
            Ok(p) => {
                print_diagnostics(&in_file(p.warnings));
                say(&mut out, &format!("ok {}", esc(&file)));
            }
            Err(Diagnostics(ds)) => {
                let n = ds.len();
                print_diagnostics(&in_file(ds));
                say(
                    &mut out,
                    &format!("invalid {} ({n} problem(s))", esc(&file)),
                );
                code = INPUT;
            }
        }
    }
    code
}

fn bundle(rubrics: &Path) -> u8 {
    let folders = match rubric_folders(rubrics) {
        Ok(f) => f,
        Err(Diagnostics(ds)) => {
            print_diagnostics(&ds);
            return INPUT;
        }
    };
    let mut all = Vec::new();
    for f in &folders {
        match f.bundle() {
            Ok(v) => all.push(v),
            Err(Diagnostics(ds)) => {
                print_diagnostics(&ds);
                return FINDINGS;
            }
        }
    }
    println!("{}", serde_json::to_string(&all).unwrap_or_default());
    OK
}
