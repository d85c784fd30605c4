//! `rubrica agree` and the input both it and `rubrica trend` read: records scored with the
//! rubrics, or reports.

use super::{
    esc, lang, load_scoring, print_diagnostics, say, words, Format, Scoring, FINDINGS, INPUT,
};
use rubrica::{read_record, Diagnostic, Diagnostics, RatedVisit, MAX_RECORD_BYTES};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The most bytes read of one input: a record is at most [`MAX_RECORD_BYTES`], its report a
/// few times that.
const MAX_INPUT_BYTES: usize = 4 * MAX_RECORD_BYTES;

/// The inputs' texts, each with its file name; a file that cannot be read is an input error.
fn read_inputs(files: &[PathBuf]) -> Result<Vec<(String, String)>, Vec<Diagnostic>> {
    let mut texts = Vec::new();
    let mut errors = Vec::new();
    for path in files {
        let name = path.display().to_string();
        if path
            .extension()
            .is_some_and(|e| e == "jsonl" || e == "ndjson")
        {
            read_lines(path, &name, &mut texts, &mut errors);
            continue;
        }
        let cannot = |why: String| {
            Diagnostic::error(
                rubrica::Code::JsonSyntax,
                format!("cannot read file: {why}"),
            )
            .with_help("check the file name and that the file can be read")
            .in_file(&name)
        };
        let bytes = std::fs::File::open(path)
            .map_err(|e| cannot(e.to_string()))
            .and_then(|f| read_record(f, MAX_INPUT_BYTES).map_err(|e| cannot(e.to_string())))
            .and_then(|r| r.map_err(|d| d.in_file(&name)));
        match bytes.map(String::from_utf8) {
            Ok(Ok(text)) => texts.push((name, text)),
            Ok(Err(e)) => errors.push(cannot(format!(
                "not UTF-8 text (bad byte at offset {})",
                e.utf8_error().valid_up_to()
            ))),
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() {
        Ok(texts)
    } else {
        Err(errors)
    }
}

/// The non-blank lines of a JSON Lines file, each an input named `file:line`.
fn read_lines(
    path: &Path,
    name: &str,
    texts: &mut Vec<(String, String)>,
    errors: &mut Vec<Diagnostic>,
) {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            errors.push(
                Diagnostic::error(rubrica::Code::JsonSyntax, format!("cannot read file: {e}"))
                    .with_help("check the file name and that the file can be read")
                    .in_file(name),
            );
            return;
        }
    };
    for line in rubrica::JsonLines::with_max(std::io::BufReader::new(file), MAX_INPUT_BYTES) {
        match line {
            Ok(rubrica::RecordLine::Text { number, bytes }) => {
                if bytes.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                let label = format!("{name}:{number}");
                match String::from_utf8(bytes) {
                    Ok(text) => texts.push((label, text)),
                    Err(e) => errors.push(
                        Diagnostic::error(
                            rubrica::Code::JsonSyntax,
                            format!(
                                "the line is not UTF-8 text (bad byte at offset {})",
                                e.utf8_error().valid_up_to()
                            ),
                        )
                        .in_file(label),
                    ),
                }
            }
            Ok(rubrica::RecordLine::TooLong { number, bytes }) => {
                errors.push(rubrica::line_too_long(number, bytes, MAX_INPUT_BYTES).in_file(name))
            }
            Err(e) => {
                errors.push(
                    Diagnostic::error(rubrica::Code::JsonSyntax, format!("cannot read file: {e}"))
                        .in_file(name),
                );
                return;
            }
        }
    }
}

/// True when the text says it is a report (so it needs no rubrics to be read).
fn is_report(text: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| v.get("format").and_then(|f| f.as_str()).map(str::to_string))
        .is_some_and(|f| f == rubrica::REPORT_FORMAT)
}

/// Every input read as a visit, in order. Records are scored with the rubrics under `rubrics`,
/// in `lang` when given (their titles, labels and notes); when every input is a report and that
/// folder does not exist, the reports' own scales are used (and `lang` need only be a language
/// the engine has words in). On failure, the exit code (the problems are printed).
pub(crate) fn read_visits(
    files: &[PathBuf],
    rubrics: &Path,
    format: Format,
    lang: Option<&str>,
) -> Result<(Vec<RatedVisit>, u8), u8> {
    let texts = match read_inputs(files) {
        Ok(t) => t,
        Err(ds) => return Err(input_failure(ds, format, What::NothingRead)),
    };
    let mut scoring = if !rubrics.exists() && texts.iter().all(|(_, t)| is_report(t)) {
        Scoring {
            engine: rubrica::Engine::default(),
            compiled: Vec::new(),
            left_out: Vec::new(),
            language: None,
        }
    } else {
        load_scoring(rubrics)?
    };
    if let Some(l) = lang {
        if scoring.compiled.is_empty() {
            lang::require_engine_language(l)?;
        } else {
            lang::localize_scoring(&mut scoring, l)?;
        }
    }
    let score = |p: &rubrica::Parsed| scoring.report_observation(p);
    let mut visits = Vec::new();
    let mut errors = Vec::new();
    for (name, text) in &texts {
        match rubrica::read_visit(name, text, &scoring.compiled, &score) {
            Ok(v) => visits.push(v),
            Err(Diagnostics(mut ds)) => errors.append(&mut ds),
        }
    }
    if !errors.is_empty() {
        return Err(input_failure(errors, format, What::NothingCompared));
    }
    Ok((visits, scoring.code()))
}

/// What did not happen because of problems in the input.
pub(crate) enum What {
    NothingRead,
    NothingCompared,
    NoTrend,
}

/// Prints input problems (as a failure answer on stdout with `--format json`, as for `score`)
/// and returns [`INPUT`].
pub(crate) fn input_failure(ds: Vec<Diagnostic>, format: Format, what: What) -> u8 {
    if format == Format::Json {
        println!(
            "{}",
            serde_json::json!({"type": "failure", "errors": lang::localized(&ds)})
        );
    } else {
        print_diagnostics(&ds);
    }
    let what = match what {
        What::NothingRead => words!("nothing was read", "no se leyó nada"),
        What::NothingCompared => words!("nothing was compared", "no se comparó nada"),
        What::NoTrend => words!("no trend was made", "no se armó ninguna tendencia"),
    };
    let n = ds.len();
    eprintln!(
        "{}",
        words!(
            "error: {n} problem(s) in the input; {what}",
            "error: {n} problema(s) en la entrada; {what}"
        )
    );
    INPUT
}

/// `rubrica agree a b [a2 b2 …]`.
pub(crate) fn agree(files: &[PathBuf], rubrics: &Path, format: Format, lang: Option<&str>) -> u8 {
    lang::set_output(lang);
    if files.len() < 2 || files.len() % 2 != 0 {
        let n = files.len();
        eprintln!(
            "{}",
            words!(
                "error: `rubrica agree` compares pairs: give two files per visit (the first coach's, then the second's), {n} given",
                "error: `rubrica agree` compara pares: indique dos archivos por visita (primero el de un/a acompañante y luego el del/de la otro/a); se indicaron {n}"
            )
        );
        return INPUT;
    }
    let (visits, code) = match read_visits(files, rubrics, format, lang) {
        Ok(v) => v,
        Err(code) => return code,
    };
    let mut pairs = Vec::new();
    let mut it = visits.into_iter();
    while let (Some(a), Some(b)) = (it.next(), it.next()) {
        pairs.push((a, b));
    }
    let agreement = match rubrica::agreement_in(&pairs, lang) {
        Ok(a) => a,
        Err(Diagnostics(ds)) => return input_failure(ds, format, What::NothingCompared),
    };
    let mut out = std::io::stdout().lock();
    match format {
        Format::Text => say(&mut out, &agreement.to_text_in(lang)),
        Format::Json => {
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string(&agreement).unwrap_or_default()
            );
        }
    }
    for w in &agreement.warnings {
        let w = esc(w);
        eprintln!("{}", words!("warning: {w}", "advertencia: {w}"));
    }
    if agreement.has_findings() {
        code.max(FINDINGS)
    } else {
        code
    }
}
