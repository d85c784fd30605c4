//! `rubrica`: check and test rubrics, score observation records.

mod agree;
mod export;
mod lang;
mod trend;

use clap::{Parser, Subcommand, ValueEnum};
use lang::words;
use rubrica::{
    escape_controls, escape_controls_keep_newlines, line_too_long, load_rubric_dir, read_record,
    rubric_dirs, Case, CompiledRubric, Diagnostic, Diagnostics, Engine, JsonLines, RecordLine,
    RubricFolder, MAX_RECORD_BYTES,
};
use std::borrow::Cow;
use std::io::{BufRead, IsTerminal, Write};
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
        /// Also require every rubric to have its texts in this language (a tag such as `es`):
        /// one without it fails. Exit 2 when no rubric has it.
        #[arg(long, value_name = "TAG")]
        lang: Option<String>,
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
        /// Also report which `rating`/`not_enough_evidence` calls and levels the cases reach.
        #[arg(long)]
        coverage: bool,
        /// Also run the cases against mutants of each script (a level or threshold changed by
        /// one) and list the mutants no case catches.
        #[arg(long)]
        mutate: bool,
        /// Output of `--coverage` and `--mutate`: `text`, or `json` (one object per rubric per
        /// line, then a summary; case lines then go to stderr).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Run the cases in this language only (besides the rubric's own), instead of in every
        /// language each rubric declares; `--write-results` then writes its results. Exit 2 when
        /// no rubric has it.
        #[arg(long, value_name = "TAG")]
        lang: Option<String>,
    },
    /// Score one record (`.json`) or many (`.jsonl`, one record per line) with every rubric.
    ///
    /// A record (a `.json` file, or one line of a `.jsonl` stream) is at most 2 MiB; a longer line
    /// is reported with its line number (R0110) and the lines after it are still scored.
    ///
    /// A rubric folder that does not load (e.g. a `rubric.json` with a syntax error) is reported
    /// on stderr and appears in every report as a practice that could not rate the record; the
    /// others score. Exit code: 0 when everything loaded and every record scored, 1 when a rubric
    /// did not load or could not rate a record, 2 when a record was rejected.
    Score {
        /// Record file; `-` reads JSON Lines from standard input.
        input: PathBuf,
        /// Folder of rubric folders.
        #[arg(long, default_value = "rubrics")]
        rubrics: PathBuf,
        /// Output: `text` for coaches, `json` for programs (compact, one report per line).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Threads scoring a `.jsonl` stream (default: one per available core). Reports are
        /// written in input order whatever the number.
        #[arg(long, short = 'j', value_name = "N")]
        jobs: Option<std::num::NonZeroUsize>,
        /// Print progress of a `.jsonl` stream to stderr every second (the default when stderr
        /// is a terminal).
        #[arg(long)]
        progress: bool,
        /// Rubric texts in this language (a tag such as `es`; `es-MX` finds `es`); a rubric
        /// without it keeps its own language. Exit 2 when no rubric has it.
        #[arg(long, value_name = "TAG")]
        lang: Option<String>,
    },
    /// Validate observation records (each at most 2 MiB) without scoring them.
    Validate {
        /// Record files.
        #[arg(required = true)]
        records: Vec<PathBuf>,
        /// Write the problems in this language (a tag such as `es`; `es-MX` finds `es`).
        /// Exit 2 for a language the engine has no words in.
        #[arg(long, value_name = "TAG")]
        lang: Option<String>,
    },
    /// Write every rubric (with its cases' records inlined) as one JSON document for the browser.
    Bundle {
        /// Folder of rubric folders.
        #[arg(default_value = "rubrics")]
        rubrics: PathBuf,
        /// Leave out the self-test cases: a bundle for scoring only, a fraction of the bytes.
        #[arg(long)]
        no_cases: bool,
    },
    /// Export results as xAPI statements, LTI AGS scores or CSV, or the rubrics as CASE 1.1.
    Export(export::ExportArgs),
    /// Compare two coaches' ratings of the same visit: exact and within-one agreement, Cohen's
    /// kappa (unweighted and quadratic-weighted) per indicator, per practice and overall, and the
    /// indicators rated differently, side by side. More pairs pool into a reliability check.
    ///
    /// Exit code: 0 compared, 1 a practice could not rate one side or a pair's dates or settings
    /// differ, 2 an input or rubric mismatch (other versions or indicators) refused.
    Agree {
        /// Records (`.json`, scored with `--rubrics`) or reports (`rubrica.report/1`), two per
        /// visit: the first coach's, then the second's (`a b [a2 b2 …]`); a `.jsonl` file gives
        /// one per line, in that order.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Folder of rubric folders, for records (and for reports' scales).
        #[arg(long, default_value = "rubrics")]
        rubrics: PathBuf,
        /// Output: `text` for coaches, `json` for programs.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Rubric texts and the engine's words in this language (a tag such as `es`; `es-MX`
        /// finds `es`). Exit 2 when no rubric has it.
        #[arg(long, value_name = "TAG")]
        lang: Option<String>,
    },
    /// Show visits over time, oldest first: practice scores and indicator levels, the change
    /// since the last visit, evidence coverage, and breaks where a rubric's indicators changed.
    ///
    /// Exit code: 0 shown, 1 a visit was left out or a practice could not score a visit, 2 an
    /// input error.
    Trend {
        /// Records (`.json`, scored with `--rubrics`) or reports (`rubrica.report/1`); a `.jsonl`
        /// file holds one per line.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Folder of rubric folders, for records (and for reports' scales).
        #[arg(long, default_value = "rubrics")]
        rubrics: PathBuf,
        /// Only the visits whose record lists this caregiver id (records only).
        #[arg(long, value_name = "ID")]
        caregiver: Option<String>,
        /// One series per value of the record field at this JSON pointer, e.g. `/extra/room`
        /// (records only).
        #[arg(long, value_name = "POINTER")]
        by: Option<String>,
        /// Output: `text` for coaches, `json` for programs.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Rubric texts and the engine's words in this language (a tag such as `es`; `es-MX`
        /// finds `es`). Exit 2 when no rubric has it.
        #[arg(long, value_name = "TAG")]
        lang: Option<String>,
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

/// Counts the bytes each thread has in use, so the engine can hold each indicator call to its
/// memory bound without the scoring threads sharing one counter.
#[global_allocator]
static ALLOC: rubrica::ThreadMeter<std::alloc::System> =
    rubrica::ThreadMeter::new(std::alloc::System);

fn main() -> ExitCode {
    rubrica::use_host_memory_meter(
        rubrica::ThreadMeter::<std::alloc::System>::in_use_by_this_thread,
    );
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Check { paths, lang } => check(&paths, lang.as_deref()),
        Command::Test {
            path,
            verbose,
            write_results,
            coverage,
            mutate,
            format,
            lang,
        } => test(
            &path,
            verbose,
            write_results.as_deref(),
            &mut TestChecks::new(coverage, mutate, format, verbose),
            lang.as_deref(),
        ),
        Command::Score {
            input,
            rubrics,
            format,
            jobs,
            progress,
            lang,
        } => {
            let batch = BatchOptions {
                jobs: jobs
                    .or_else(|| std::thread::available_parallelism().ok())
                    .map_or(1, std::num::NonZeroUsize::get),
                progress: progress || std::io::stderr().is_terminal(),
            };
            score(&input, &rubrics, format, batch, lang.as_deref())
        }
        Command::Validate { records, lang } => validate(&records, lang.as_deref()),
        Command::Bundle { rubrics, no_cases } => bundle(&rubrics, !no_cases),
        Command::Export(args) => export::run(args),
        Command::Agree {
            files,
            rubrics,
            format,
            lang,
        } => agree::agree(&files, &rubrics, format, lang.as_deref()),
        Command::Trend {
            files,
            rubrics,
            caregiver,
            by,
            format,
            lang,
        } => trend::trend(
            &files,
            &rubrics,
            format,
            rubrica::TrendBy {
                caregiver,
                pointer: by,
            },
            lang.as_deref(),
        ),
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
        say(
            &mut err,
            &d.render_in(excerpt_source(d).as_deref(), lang::output()),
        );
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

fn check(paths: &[PathBuf], lang: Option<&str>) -> u8 {
    lang::set_output(lang);
    let engine = Engine::default();
    let mut metas = Vec::new();
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
                    say(&mut out, &lang::check_failed(&esc(&shown), ds.len()));
                    code = code.max(load_failure_code(&ds));
                    continue;
                }
            };
            // Compiled, then the static checks: warnings are listed, errors fail the rubric.
            let (compiled, mut ds) = engine.check(&folder.source);
            if let (Some(l), Some(c)) = (lang, &compiled) {
                ds.extend(lang::missing(c.meta(), l, &folder.source.meta_file));
                metas.push(c.meta().clone());
            }
            print_diagnostics(&ds);
            let errors = ds.iter().filter(|d| d.is_error()).count();
            match compiled {
                Some(c) if errors == 0 => {
                    say(&mut out, &lang::checked(&esc(&shown), c.meta(), ds.len()))
                }
                _ => {
                    say(&mut out, &lang::check_failed(&esc(&shown), ds.len()));
                    code = code.max(FINDINGS);
                }
            }
        }
    }
    if let Some(l) = lang {
        if let Err(c) = lang::require(l, &metas) {
            code = code.max(c);
        }
    }
    code
}

fn test(
    path: &Path,
    verbose: bool,
    write_results: Option<&Path>,
    checks: &mut TestChecks,
    lang: Option<&str>,
) -> u8 {
    lang::set_output(lang);
    let engine = Engine::default();
    // With `--format json`, stdout carries only JSON; the lines for a person go to stderr.
    let mut out: Box<dyn Write> = match checks.format {
        Format::Json => Box::new(std::io::stderr()),
        Format::Text => Box::new(std::io::stdout().lock()),
    };
    let folders = match rubric_folders(path) {
        Ok(f) => f,
        Err(Diagnostics(ds)) => {
            print_diagnostics(&ds);
            return load_failure_code(&ds);
        }
    };
    if let Some(l) = lang {
        let metas: Vec<rubrica::RubricMeta> = folders
            .iter()
            .filter_map(|f| rubrica::parse_meta(&f.source.meta, &f.source.meta_file).ok())
            .collect();
        if let Err(code) = lang::require(l, &metas) {
            return code;
        }
    }
    let (mut passed, mut failed) = (0usize, 0usize);
    for f in &folders {
        let compiled = match engine.compile(&f.source) {
            Ok(c) => c,
            Err(Diagnostics(ds)) => {
                print_diagnostics(&ds);
                let (dir, cases) = (
                    esc(&f.dir.display().to_string()).into_owned(),
                    f.cases.len().max(1),
                );
                say(
                    &mut out,
                    &words!(
                        "FAIL {dir}: does not compile; its {cases} case(s) count as failed",
                        "FALLA {dir}: no compila; sus {cases} caso(s) cuentan como fallidos"
                    ),
                );
                failed += f.cases.len().max(1);
                continue;
            }
        };
        if f.cases.is_empty() {
            let dir = esc(&f.dir.display().to_string()).into_owned();
            say(
                &mut out,
                &words!(
                    "warning: {dir} has no cases in cases/",
                    "advertencia: {dir} no tiene casos en cases/"
                ),
            );
        }
        let id = esc(&compiled.meta().id).into_owned();
        let languages = lang::test_languages(&compiled, lang);
        // Each distinct problem is printed once, after the rubric's cases, with the cases it
        // stopped: a script error hit by ten cases is one entry "in 10 cases", not ten lines.
        let mut problems = Problems::default();
        for (name, case_path, text) in &f.cases {
            let shown_name = esc(name);
            let file = case_path.display().to_string();
            let outcome = match Case::parse(text, &file) {
                Ok(case) => lang::run_case(
                    &case,
                    name,
                    &file,
                    &engine,
                    &compiled,
                    &languages,
                    &RubricFolder::loader(case_path),
                ),
                Err(Diagnostics(ds)) => {
                    failed += 1;
                    say(
                        &mut out,
                        &words!("FAIL {id}/{shown_name}", "FALLA {id}/{shown_name}"),
                    );
                    problems.add(name, ds);
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
                    let (dir, e) = (
                        esc(&dir.display().to_string()).into_owned(),
                        esc(&e.to_string()).into_owned(),
                    );
                    eprintln!(
                        "{}",
                        words!(
                            "error: cannot write results to `{dir}`: {e}",
                            "error: no se pueden escribir los resultados en `{dir}`: {e}"
                        )
                    );
                    return INPUT;
                }
            }
            if outcome.passed {
                passed += 1;
                if verbose {
                    let description = esc(&outcome.description);
                    say(
                        &mut out,
                        &words!(
                            "ok   {id}/{shown_name} — {description}",
                            "bien  {id}/{shown_name} — {description}"
                        ),
                    );
                }
            } else {
                failed += 1;
                let description = esc(&outcome.description);
                say(
                    &mut out,
                    &words!(
                        "FAIL {id}/{shown_name} — {description}",
                        "FALLA {id}/{shown_name} — {description}"
                    ),
                );
                problems.add(name, outcome.problems);
            }
        }
        problems.print(&mut out);
        checks.rubric(&engine, f, &compiled, &mut out);
    }
    say(
        &mut out,
        &words!(
            "{passed} passed, {failed} failed",
            "{passed} aprobados, {failed} fallidos"
        ),
    );
    if checks.finish(&mut out, passed, failed) || failed > 0 {
        FINDINGS
    } else {
        OK
    }
}

/// The problems of one rubric's failing cases, each distinct one with the cases it stopped.
#[derive(Default)]
struct Problems {
    seen: Vec<(Diagnostic, Vec<String>)>,
}

impl Problems {
    fn add(&mut self, case: &str, ds: Vec<Diagnostic>) {
        for d in ds {
            match self.seen.iter_mut().find(|(seen, _)| *seen == d) {
                Some((_, cases)) => cases.push(case.to_string()),
                None => self.seen.push((d, vec![case.to_string()])),
            }
        }
    }

    /// Each problem with its excerpt and help, as `check` prints them, then the cases.
    fn print(&self, out: &mut impl Write) {
        for (d, cases) in &self.seen {
            let rendered = d.render_in(excerpt_source(d).as_deref(), lang::output());
            let mut text: String = rendered.lines().map(|l| format!("     {l}\n")).collect();
            // A problem in a case file names the case already; one in the script says which.
            if d.location
                .file
                .as_deref()
                .is_none_or(|f| !f.ends_with(".json") || cases.len() > 1)
            {
                let n = cases.len();
                let (first, listed) = (cases.join(""), cases.join(", "));
                let five = cases.get(..5).unwrap_or_default().join(", ");
                text.push_str(&match n {
                    1 => words!("     in case {first}\n", "     en el caso {first}\n"),
                    n if n <= 5 => words!(
                        "     in {n} cases: {listed}\n",
                        "     en {n} casos: {listed}\n"
                    ),
                    n => words!(
                        "     in {n} cases: {five}, …\n",
                        "     en {n} casos: {five}, …\n"
                    ),
                });
            }
            say(out, text.trim_end());
        }
    }
}

/// The rubrics a `score` run rates with: the engine, every rubric under `rubrics` that loads
/// and compiles, and a failure entry for each one that does not. A rubric folder that does not
/// load is reported (its problems, then one line naming it), listed in every report as a
/// practice that could not rate the record, and left out of scoring, so one broken rubric never
/// stops the others.
struct Scoring {
    engine: Engine,
    compiled: Vec<CompiledRubric>,
    left_out: Vec<rubrica::PracticeEntry>,
    /// The language asked for with `--lang`.
    language: Option<String>,
}

impl Scoring {
    /// The report of one record: the rubrics that loaded, then those that did not.
    fn report(&self, parsed: &rubrica::ParsedRecord) -> rubrica::Report {
        self.finish(self.engine.report_record(&self.compiled, parsed))
    }

    /// [`Scoring::report`] of an observation (for the commands that read only observations).
    fn report_observation(&self, parsed: &rubrica::Parsed) -> rubrica::Report {
        self.finish(self.engine.report(&self.compiled, parsed))
    }

    /// A report with the rubrics that did not load and the language asked for.
    fn finish(&self, mut report: rubrica::Report) -> rubrica::Report {
        report.practices.extend(self.left_out.iter().cloned());
        report.language.clone_from(&self.language);
        report.localize_diagnostics();
        report
    }

    /// [`FINDINGS`] when a rubric was left out, else [`OK`].
    fn code(&self) -> u8 {
        if self.left_out.is_empty() {
            OK
        } else {
            FINDINGS
        }
    }
}

/// A failure entry for a rubric folder that does not load: its id and title when its
/// `rubric.json` can still be read, else the folder's name.
fn left_out(dir: &Path, errors: Vec<Diagnostic>) -> rubrica::PracticeEntry {
    let folder = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| dir.display().to_string());
    let meta: Option<serde_json::Value> = std::fs::read_to_string(dir.join(rubrica::META_FILE))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok());
    let text = |key: &str| {
        meta.as_ref()
            .and_then(|m| m.get(key))
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    rubrica::PracticeEntry::Failure {
        rubric: text("id").unwrap_or_else(|| folder.clone()),
        title: text("title").unwrap_or(folder),
        errors,
    }
}

fn load_scoring(rubrics: &Path) -> Result<Scoring, u8> {
    let engine = Engine::default();
    let dirs = if rubrics.join(rubrica::META_FILE).is_file() {
        vec![rubrics.to_path_buf()]
    } else {
        rubric_dirs(rubrics).map_err(|Diagnostics(ds)| {
            print_diagnostics(&ds);
            load_failure_code(&ds)
        })?
    };
    let mut compiled = Vec::new();
    let mut broken = Vec::new();
    for dir in &dirs {
        match RubricFolder::load(dir).and_then(|f| engine.compile(&f.source)) {
            Ok(c) => compiled.push(c),
            Err(Diagnostics(ds)) => {
                print_diagnostics(&ds);
                broken.push((dir, ds));
            }
        }
    }
    for (dir, _) in &broken {
        let dir = dir.display().to_string();
        let dir = esc(&dir);
        eprintln!(
            "{}",
            words!(
                "error: rubric `{dir}` does not load; every report lists it as a practice that could not rate the record; run `rubrica check {dir}`",
                "error: la rúbrica `{dir}` no se carga; todos los informes la muestran como una práctica que no pudo calificar el registro; ejecute `rubrica check {dir}`"
            )
        );
    }
    if compiled.is_empty() && !broken.is_empty() {
        return Err(FINDINGS);
    }
    Ok(Scoring {
        engine,
        compiled,
        left_out: broken
            .into_iter()
            .map(|(dir, ds)| left_out(dir, ds))
            .collect(),
        language: None,
    })
}

fn score(
    input: &Path,
    rubrics: &Path,
    format: Format,
    batch: BatchOptions,
    lang: Option<&str>,
) -> u8 {
    lang::set_output(lang);
    let mut scoring = match load_scoring(rubrics) {
        Ok(x) => x,
        Err(code) => return code,
    };
    if let Some(l) = lang {
        if let Err(code) = lang::localize_scoring(&mut scoring, l) {
            return code;
        }
    }
    let is_stream = input == Path::new("-")
        || input
            .extension()
            .is_some_and(|e| e == "jsonl" || e == "ndjson");
    let code = if is_stream {
        score_lines(input, &scoring, format, batch)
    } else {
        score_file(input, &scoring, format)
    };
    // A rejected record (2) outranks a rubric left out (1).
    code.max(scoring.code())
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

fn score_file(input: &Path, scoring: &Scoring, format: Format) -> u8 {
    let parsed = read_record_file(input)
        .map_err(|d| Diagnostics(vec![d]))
        .and_then(|bytes| rubrica::Record::parse_bytes(&bytes));
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
                    serde_json::json!({"type": "failure", "errors": lang::localized(&ds)})
                );
            } else {
                print_diagnostics(&ds);
            }
            eprintln!("{}", lang::nothing_scored(ds.len()));
            return INPUT;
        }
    };
    let report = scoring.report(&parsed);
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

/// How a batch run of JSON Lines shows its work: how many threads score, and whether progress
/// lines go to stderr.
#[derive(Clone, Copy)]
struct BatchOptions {
    jobs: usize,
    progress: bool,
}

/// Lines read before a batch is scored: enough to keep every thread busy, few enough that
/// memory stays at a handful of records per thread.
const LINES_PER_JOB: usize = 32;
/// A batch also ends once its lines hold this many bytes (a line is at most a record).
const BATCH_BYTES: usize = 8 * 1024 * 1024;

/// What one line of a stream comes to, ready to be written in input order.
enum LineAnswer {
    /// A blank line: skipped.
    Blank,
    /// The report, rendered in the output format.
    Scored(Vec<u8>),
    /// The line's problems, in the line's file (`input:line`).
    Rejected {
        line: u64,
        problems: Vec<Diagnostic>,
    },
}

/// Scores one line of a stream (run on any thread).
fn answer_line(line: RecordLine, input: &Path, scoring: &Scoring, format: Format) -> LineAnswer {
    let line_no = line.number();
    let parsed = match line {
        RecordLine::Text { bytes, .. } if bytes.iter().all(u8::is_ascii_whitespace) => {
            return LineAnswer::Blank
        }
        RecordLine::Text { bytes, .. } => rubrica::Record::parse_bytes(&bytes),
        RecordLine::TooLong { number, bytes } => Err(Diagnostics(vec![line_too_long(
            number,
            bytes,
            MAX_RECORD_BYTES,
        )])),
    };
    match parsed {
        Ok(parsed) => {
            let mut out = Vec::new();
            print_report(&mut out, &scoring.report(&parsed), format);
            LineAnswer::Scored(out)
        }
        Err(Diagnostics(ds)) => {
            let file = format!("{}:{line_no}", input.display());
            LineAnswer::Rejected {
                line: line_no,
                problems: ds.into_iter().map(|d| d.in_file(file.clone())).collect(),
            }
        }
    }
}

/// Running totals of a batch run, and its progress lines.
struct Tally {
    scored: usize,
    bad: usize,
    start: Instant,
    last_progress: Instant,
    progress: bool,
}

impl Tally {
    fn progress(&mut self) {
        if self.progress && self.last_progress.elapsed() >= Duration::from_secs(1) {
            self.last_progress = Instant::now();
            let (scored, bad) = (self.scored, self.bad);
            let rate = (scored + bad) as f64 / self.start.elapsed().as_secs_f64().max(0.001);
            eprintln!(
                "{}",
                words!(
                    "… {scored} records scored, {bad} rejected ({rate:.0}/s)",
                    "… {scored} registros calificados, {bad} rechazados ({rate:.0}/s)"
                )
            );
        }
    }
}

/// Writes the answers of one batch in input order.
fn write_answers(
    out: &mut impl Write,
    answers: Vec<LineAnswer>,
    format: Format,
    tally: &mut Tally,
) {
    for answer in answers {
        match answer {
            LineAnswer::Blank => {}
            LineAnswer::Scored(bytes) => {
                let _ = out.write_all(&bytes);
                tally.scored += 1;
            }
            LineAnswer::Rejected { line, problems } => {
                tally.bad += 1;
                match format {
                    Format::Json => {
                        let _ = writeln!(
                            out,
                            "{}",
                            serde_json::json!({"type": "failure", "line": line, "errors": lang::localized(&problems)})
                        );
                    }
                    Format::Text => {
                        // Keep the reports and problems in input order on a shared terminal.
                        let _ = out.flush();
                        print_diagnostics(&problems);
                    }
                }
            }
        }
    }
}

/// A JSON Lines stream: the file, or standard input for `-`. A file that cannot be opened is
/// reported on stderr, and the exit code is returned as the error.
fn open_lines(input: &Path) -> Result<Box<dyn BufRead>, u8> {
    if input == Path::new("-") {
        return Ok(Box::new(std::io::stdin().lock()));
    }
    match std::fs::File::open(input) {
        Ok(f) => Ok(Box::new(std::io::BufReader::new(f))),
        Err(e) => {
            let (file, e) = (
                esc(&input.display().to_string()).into_owned(),
                esc(&e.to_string()).into_owned(),
            );
            eprintln!(
                "{}",
                words!(
                    "error: cannot read `{file}`: {e}",
                    "error: no se puede leer `{file}`: {e}"
                )
            );
            Err(INPUT)
        }
    }
}

/// JSON Lines: one record per line, one report per line, in input order. Lines are read in
/// batches of a bounded size and each batch is scored on `jobs` threads, so memory stays at a
/// few records per thread whatever the length of the stream.
fn score_lines(input: &Path, scoring: &Scoring, format: Format, batch: BatchOptions) -> u8 {
    let reader = match open_lines(input) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let threads = rayon::ThreadPoolBuilder::new().num_threads(batch.jobs);
    // WASI preview 1 cannot start threads: the pool is this thread alone, whatever `--jobs` says.
    #[cfg(all(target_os = "wasi", not(target_feature = "atomics")))]
    let threads = threads.num_threads(1).use_current_thread();
    let pool = match threads.build() {
        Ok(p) => p,
        Err(e) => {
            let (jobs, e) = (batch.jobs, esc(&e.to_string()).into_owned());
            eprintln!(
                "{}",
                words!(
                    "error: cannot start {jobs} threads: {e}",
                    "error: no se pueden iniciar {jobs} hilos: {e}"
                )
            );
            return INPUT;
        }
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut tally = Tally {
        scored: 0,
        bad: 0,
        start: Instant::now(),
        last_progress: Instant::now(),
        progress: batch.progress,
    };
    let most_lines = batch.jobs.saturating_mul(LINES_PER_JOB).max(1);
    let mut lines = JsonLines::new(reader);
    loop {
        let mut pending: Vec<RecordLine> = Vec::with_capacity(most_lines);
        let mut bytes = 0usize;
        let mut read_error = None;
        while pending.len() < most_lines && bytes < BATCH_BYTES {
            match lines.next() {
                Some(Ok(line)) => {
                    if let RecordLine::Text { bytes: b, .. } = &line {
                        bytes += b.len();
                    }
                    pending.push(line);
                }
                Some(Err(e)) => {
                    read_error = Some(e);
                    break;
                }
                None => break,
            }
        }
        let done = pending.len() < most_lines && bytes < BATCH_BYTES;
        let answers: Vec<LineAnswer> = pool.install(|| {
            use rayon::prelude::*;
            pending
                .into_par_iter()
                .map(|line| answer_line(line, input, scoring, format))
                .collect()
        });
        write_answers(&mut out, answers, format, &mut tally);
        if let Some(e) = read_error {
            let _ = out.flush();
            let e = esc(&e.to_string()).into_owned();
            eprintln!(
                "{}",
                words!(
                    "error: reading the input: {e}",
                    "error: al leer la entrada: {e}"
                )
            );
            tally.bad += 1;
            break;
        }
        tally.progress();
        if done {
            break;
        }
    }
    let _ = out.flush();
    let (scored, bad, took) = (tally.scored, tally.bad, tally.start.elapsed().as_secs_f64());
    eprintln!(
        "{}",
        words!(
            "{scored} records scored, {bad} rejected in {took:.1}s",
            "{scored} registros calificados, {bad} rechazados en {took:.1} s"
        )
    );
    if tally.bad > 0 {
        INPUT
    } else {
        OK
    }
}

fn validate(records: &[PathBuf], lang: Option<&str>) -> u8 {
    if let Some(l) = lang {
        if let Err(code) = lang::require_engine_language(l) {
            return code;
        }
        lang::set_output(Some(l));
    }
    let mut out = std::io::stdout().lock();
    let mut code = OK;
    for r in records {
        let file = r.display().to_string();
        let result = read_record_file(r)
            .map_err(|d| Diagnostics(vec![d]))
            .and_then(|b| rubrica::Record::parse_bytes(&b));
        let in_file = |ds: Vec<Diagnostic>| -> Vec<Diagnostic> {
            ds.into_iter().map(|d| d.in_file(file.clone())).collect()
        };
        match result {
            Ok(p) => {
                print_diagnostics(&in_file(p.warnings));
                say(&mut out, &lang::validated(&esc(&file), None));
            }
            Err(Diagnostics(ds)) => {
                let n = ds.len();
                print_diagnostics(&in_file(ds));
                say(&mut out, &lang::validated(&esc(&file), Some(n)));
                code = INPUT;
            }
        }
    }
    code
}

fn bundle(rubrics: &Path, with_cases: bool) -> u8 {
    let folders = match rubric_folders(rubrics) {
        Ok(f) => f,
        Err(Diagnostics(ds)) => {
            print_diagnostics(&ds);
            return INPUT;
        }
    };
    let mut all = Vec::new();
    for f in &folders {
        let bundled = if with_cases {
            f.bundle()
        } else {
            f.bundle_without_cases()
        };
        match bundled {
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

/// `rubrica test --coverage` and `--mutate`: what to run beyond the cases, and the totals.
struct TestChecks {
    coverage: bool,
    mutate: bool,
    format: Format,
    verbose: bool,
    coverage_counts: rubrica::CoverageCounts,
    all: rubrica::MutationCounts,
    core: rubrica::MutationCounts,
    mutation_time: Duration,
    findings: bool,
}

impl TestChecks {
    fn new(coverage: bool, mutate: bool, format: Format, verbose: bool) -> TestChecks {
        TestChecks {
            coverage,
            mutate,
            format,
            verbose,
            coverage_counts: rubrica::CoverageCounts::default(),
            all: rubrica::MutationCounts::default(),
            core: rubrica::MutationCounts::default(),
            mutation_time: Duration::ZERO,
            findings: false,
        }
    }

    /// Coverage and mutants of one rubric whose cases have run.
    fn rubric(
        &mut self,
        engine: &Engine,
        folder: &RubricFolder,
        compiled: &CompiledRubric,
        out: &mut impl Write,
    ) {
        if !self.coverage && !self.mutate {
            return;
        }
        // Cases that cannot be read have already failed above.
        let (cases, _) = rubrica::ready_cases(folder);
        let mut json = serde_json::Map::new();
        json.insert("rubric".into(), compiled.meta().id.clone().into());
        if self.coverage {
            let report = rubrica::coverage(engine, compiled, &cases);
            self.coverage_counts.sites += report.counts.sites;
            self.coverage_counts.sites_reached += report.counts.sites_reached;
            self.coverage_counts.levels += report.counts.levels;
            self.coverage_counts.levels_reached += report.counts.levels_reached;
            self.findings |= !report.counts.complete();
            match self.format {
                Format::Text => self.say_coverage(&report, out),
                Format::Json => {
                    json.insert("coverage".into(), serde_json::json!(report));
                }
            }
        }
        if self.mutate {
            let equivalent = match rubrica::equivalent_mutants(&folder.dir) {
                Ok(e) => e,
                Err(Diagnostics(ds)) => {
                    print_diagnostics(&ds);
                    self.findings = true;
                    Vec::new()
                }
            };
            let start = Instant::now();
            let run = rubrica::run_mutants(engine, &folder.source, &cases, &equivalent);
            let took = start.elapsed();
            self.mutation_time += took;
            match run {
                Ok(report) => {
                    for (total, part) in
                        [(&mut self.all, report.all), (&mut self.core, report.core)]
                    {
                        total.total += part.total;
                        total.killed += part.killed;
                        total.survived += part.survived;
                        total.equivalent += part.equivalent;
                        total.invalid += part.invalid;
                    }
                    // Level and boundary survivors are findings; the others are listed.
                    self.findings |= report.core.survived > 0;
                    print_diagnostics(&report.warnings);
                    match self.format {
                        Format::Text => self.say_mutation(&report, took, out),
                        Format::Json => {
                            json.insert("mutation".into(), serde_json::json!(report));
                            json.insert("mutation_ms".into(), (took.as_millis() as u64).into());
                        }
                    }
                }
                Err(Diagnostics(_)) => {
                    self.findings = true;
                    let msg = format!(
                        "mutate {}: skipped; every case must pass on the unchanged script first",
                        esc(&compiled.meta().id)
                    );
                    match self.format {
                        Format::Text => say(out, &msg),
                        Format::Json => {
                            json.insert("mutation".into(), serde_json::Value::Null);
                            eprintln!("{msg}");
                        }
                    }
                }
            }
        }
        if self.format == Format::Json {
            println!("{}", serde_json::Value::Object(json));
        }
    }

    fn say_coverage(&self, report: &rubrica::CoverageReport, out: &mut impl Write) {
        let c = report.counts;
        say(
            out,
            &format!(
                "coverage {}: {} of {} calls reached, {} of {} levels ({})",
                esc(&report.rubric),
                c.sites_reached,
                c.sites,
                c.levels_reached,
                c.levels,
                esc(&report.script_file)
            ),
        );
        for ind in &report.indicators {
            let reached = ind
                .sites
                .iter()
                .filter(|s| !s.reached_by.is_empty())
                .count();
            let produced: Vec<String> = ind
                .levels
                .iter()
                .filter(|l| !l.produced_by.is_empty())
                .map(|l| l.level.to_string())
                .collect();
            let missing: Vec<String> = ind
                .levels
                .iter()
                .filter(|l| l.in_script && l.produced_by.is_empty())
                .map(|l| l.level.to_string())
                .collect();
            let missing = if missing.is_empty() {
                String::new()
            } else {
                format!("; never: {}", missing.join(", "))
            };
            say(
                out,
                &format!(
                    "  {}: {reached} of {} calls; gave {}{missing}",
                    esc(&ind.id),
                    ind.sites.len(),
                    if produced.is_empty() {
                        "nothing".into()
                    } else {
                        produced.join(", ")
                    }
                ),
            );
            if self.verbose {
                for s in &ind.sites {
                    say(
                        out,
                        &format!(
                            "    {}:{} {} — {}",
                            s.site.line,
                            s.site.column,
                            s.site.describe(),
                            if s.reached_by.is_empty() {
                                "no case".into()
                            } else {
                                esc(&s.reached_by.join(", ")).into_owned()
                            }
                        ),
                    );
                }
            }
        }
        for gap in report.gaps() {
            say(out, &format!("     {}", gap.headline()));
        }
    }

    fn say_mutation(&self, report: &rubrica::MutationReport, took: Duration, out: &mut impl Write) {
        say(
            out,
            &format!(
                "mutate {}: {} ({}) in {:.2}s",
                esc(&report.rubric),
                counts_line(&report.all),
                core_line(&report.core),
                took.as_secs_f64()
            ),
        );
        for d in report.survivors() {
            say(out, &format!("     {}", d.headline()));
        }
        for m in &report.mutants {
            let line = match &m.status {
                rubrica::MutantStatus::Equivalent { reason } => {
                    format!("equivalent {}: {}", m.mutant.describe(), esc(reason))
                }
                rubrica::MutantStatus::Invalid { message } if self.verbose => {
                    format!("invalid {}: {}", m.mutant.describe(), esc(message))
                }
                rubrica::MutantStatus::Killed { case } if self.verbose => {
                    format!("killed {} by `{}`", m.mutant.describe(), esc(case))
                }
                _ => continue,
            };
            say(
                out,
                &format!(
                    "     {}:{}:{}: {line}",
                    esc(&report.script_file),
                    m.mutant.line,
                    m.mutant.column
                ),
            );
        }
    }

    /// Prints the totals; true when coverage or mutants found something.
    fn finish(&self, out: &mut impl Write, passed: usize, failed: usize) -> bool {
        let c = self.coverage_counts;
        match self.format {
            Format::Text => {
                if self.coverage {
                    say(
                        out,
                        &format!(
                            "coverage: {} of {} calls reached ({:.1}%), {} of {} levels ({:.1}%)",
                            c.sites_reached,
                            c.sites,
                            percent(c.sites_reached, c.sites),
                            c.levels_reached,
                            c.levels,
                            percent(c.levels_reached, c.levels)
                        ),
                    );
                }
                if self.mutate {
                    say(
                        out,
                        &format!(
                            "mutants: {} ({}) in {:.2}s",
                            counts_line(&self.all),
                            core_line(&self.core),
                            self.mutation_time.as_secs_f64()
                        ),
                    );
                }
            }
            Format::Json => {
                let mut summary = serde_json::json!({"passed": passed, "failed": failed});
                if self.coverage {
                    summary["coverage"] = serde_json::json!(c);
                }
                if self.mutate {
                    summary["mutation"] = serde_json::json!({
                        "all": self.all,
                        "core": self.core,
                        "core_kill_percent": self.core.kill_percent(),
                        "ms": self.mutation_time.as_millis() as u64,
                    });
                }
                println!("{}", serde_json::json!({ "summary": summary }));
            }
        }
        self.findings
    }
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        100.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

fn counts_line(c: &rubrica::MutationCounts) -> String {
    format!(
        "{} of {} mutants killed, {} survived, {} equivalent, {} invalid",
        c.killed, c.total, c.survived, c.equivalent, c.invalid
    )
}

fn core_line(c: &rubrica::MutationCounts) -> String {
    format!(
        "level and boundary: {} of {} killed, {:.1}%",
        c.killed,
        c.killed + c.survived,
        c.kill_percent()
    )
}
