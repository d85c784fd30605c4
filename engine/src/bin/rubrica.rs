//! `rubrica`: check and test rubrics, score observation records.

use clap::{Parser, Subcommand, ValueEnum};
use rubrica::{
    load_rubric_dir, Case, CompiledRubric, Diagnostic, Diagnostics, Engine, Observation,
    RubricFolder,
};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Transparent, evidence-citing scoring of infant–toddler care observations.
#[derive(Parser)]
#[command(name = "rubrica", version, about)]
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
    /// Validate observation records without scoring them.
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

/// Prints diagnostics to stderr, with an excerpt of the file each one points at.
fn print_diagnostics(ds: &[Diagnostic]) {
    let mut err = std::io::stderr().lock();
    for d in ds {
        let source = d
            .location
            .file
            .as_ref()
            .and_then(|f| std::fs::read_to_string(f).ok());
        let _ = writeln!(err, "{}", d.render(source.as_deref()));
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
    let mut code = OK;
    for p in paths {
        let folders = match rubric_folders(p) {
            Ok(f) => f,
            Err(Diagnostics(ds)) => {
                print_diagnostics(&ds);
                code = code.max(INPUT);
                continue;
            }
        };
        for f in &folders {
            match engine.compile(&f.source) {
                Ok(c) => println!(
                    "ok {} ({} {}, {} indicators, {} items)",
                    f.dir.display(),
                    c.meta().id,
                    c.meta().version,
                    c.meta().indicators.len(),
                    c.meta().items.len()
                ),
                Err(Diagnostics(ds)) => {
                    print_diagnostics(&ds);
                    println!("failed {} ({} problem(s))", f.dir.display(), ds.len());
                    code = code.max(FINDINGS);
                }
            }
        }
    }
    code
}

fn test(path: &Path, verbose: bool, write_results: Option<&Path>) -> u8 {
    let engine = Engine::default();
    let folders = match rubric_folders(path) {
        Ok(f) => f,
        Err(Diagnostics(ds)) => {
            print_diagnostics(&ds);
            return INPUT;
        }
    };
    let (mut passed, mut failed) = (0usize, 0usize);
    for f in &folders {
        let compiled = match engine.compile(&f.source) {
            Ok(c) => c,
            Err(Diagnostics(ds)) => {
                print_diagnostics(&ds);
                println!(
                    "FAIL {}: does not compile; its {} case(s) count as failed",
                    f.dir.display(),
                    f.cases.len().max(1)
                );
                failed += f.cases.len().max(1);
                continue;
            }
        };
        if f.cases.is_empty() {
            println!("warning: {} has no cases in cases/", f.dir.display());
        }
        for (name, case_path, text) in &f.cases {
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
                    println!("FAIL {}/{name}", compiled.meta().id);
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
                    eprintln!("error: cannot write results to `{}`: {e}", dir.display());
                    return INPUT;
                }
            }
            if outcome.passed {
                passed += 1;
                if verbose {
                    println!(
                        "ok   {}/{name} — {}",
                        compiled.meta().id,
                        outcome.description
                    );
                }
            } else {
                failed += 1;
                println!(
                    "FAIL {}/{name} — {}",
                    compiled.meta().id,
                    outcome.description
                );
                for p in &outcome.problems {
                    println!("     {}", p.headline());
                }
            }
        }
    }
    println!("{passed} passed, {failed} failed");
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
        INPUT
    })?;
    let (compiled, errs) = compile_all(&engine, &folders);
    if !errs.is_empty() {
        print_diagnostics(&errs);
        eprintln!(
            "error: {} rubric(s) do not compile; run `rubrica check {}`",
            folders.len() - compiled.len(),
            rubrics.display()
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
    if !is_stream {
        let bytes = match std::fs::read(input) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("error: cannot read `{}`: {e}", input.display());
                return INPUT;
            }
        };
        let parsed = match Observation::parse_bytes(&bytes) {
            Ok(p) => p,
            Err(Diagnostics(ds)) => {
                let ds: Vec<Diagnostic> = ds
                    .into_iter()
                    .map(|d| {
                        if d.location.file.is_none() {
                            d.in_file(input.display().to_string())
                        } else {
                            d
                        }
                    })
                    .collect();
                print_diagnostics(&ds);
                eprintln!(
                    "error: the record has {} problem(s); nothing was scored",
                    ds.len()
                );
                return INPUT;
            }
        };
        let report = engine.report(&compiled, &parsed);
        let mut out = std::io::stdout().lock();
        let _ = match format {
            Format::Text => write!(out, "{}", report.to_text()),
            Format::Json => writeln!(
                out,
                "{}",
                serde_json::to_string(&report).unwrap_or_default()
            ),
        };
        let failed = report
            .practices
            .iter()
            .any(|p| matches!(p, rubrica::PracticeEntry::Failure { .. }));
        return if failed { FINDINGS } else { OK };
    }

    // JSON Lines: one record per line, one report per line, constant memory.
    let reader: Box<dyn BufRead> = if input == Path::new("-") {
        Box::new(std::io::stdin().lock())
    } else {
        match std::fs::File::open(input) {
            Ok(f) => Box::new(std::io::BufReader::new(f)),
            Err(e) => {
                eprintln!("error: cannot read `{}`: {e}", input.display());
                return INPUT;
            }
        }
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let start = Instant::now();
    let mut last_progress = Instant::now();
    let (mut scored, mut bad) = (0usize, 0usize);
    for (i, line) in reader.split(b'\n').enumerate() {
        let line_no = i + 1;
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                eprintln!("error: reading line {line_no}: {e}");
                bad += 1;
                break;
            }
        };
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match Observation::parse_bytes(&line) {
            Ok(parsed) => {
                let report = engine.report(&compiled, &parsed);
                let _ = match format {
                    Format::Json => writeln!(
                        out,
                        "{}",
                        serde_json::to_string(&report).unwrap_or_default()
                    ),
                    Format::Text => writeln!(out, "{}", report.to_text()),
                };
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
                    Format::Text => print_diagnostics(&ds),
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
    let mut code = OK;
    for r in records {
        let result = std::fs::read(r)
            .map_err(|e| {
                Diagnostics(vec![Diagnostic::error(
                    rubrica::Code::JsonSyntax,
                    format!("cannot read file: {e}"),
                )])
            })
            .and_then(|b| Observation::parse_bytes(&b));
        match result {
            Ok(p) => {
                print_diagnostics(
                    &p.warnings
                        .into_iter()
                        .map(|d| d.in_file(r.display().to_string()))
                        .collect::<Vec<_>>(),
                );
                println!("ok {}", r.display());
            }
            Err(Diagnostics(ds)) => {
                print_diagnostics(
                    &ds.iter()
                        .cloned()
                        .map(|d| d.in_file(r.display().to_string()))
                        .collect::<Vec<_>>(),
                );
                println!("invalid {} ({} problem(s))", r.display(), ds.len());
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
