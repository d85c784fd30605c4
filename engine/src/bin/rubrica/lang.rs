//! `--lang`: rubric texts in another language for `score`, `test`, `check`, `trend` and
//! `agree`, and the CLI's own lines in it (docs/localisation.md).

use super::{esc, Scoring, INPUT};
use rubrica::{Case, CaseOutcome, Code, CompiledRubric, Diagnostic, Engine, RubricMeta};
use std::sync::OnceLock;

/// The language diagnostics and the CLI's own lines are printed in: `--lang` of the command,
/// set once before any output.
static OUTPUT: OnceLock<String> = OnceLock::new();

/// Prints diagnostics in `lang` from now on (`None`: as written, in English).
pub(crate) fn set_output(lang: Option<&str>) {
    if let Some(l) = lang {
        let _ = OUTPUT.set(l.to_string());
    }
}

/// The language diagnostics are printed in, when one was asked for.
pub(crate) fn output() -> Option<&'static str> {
    OUTPUT.get().map(String::as_str)
}

/// True when the output language is Spanish (`es`, `es-MX`, …).
pub(crate) fn spanish() -> bool {
    output()
        .and_then(|l| l.split('-').next())
        .is_some_and(|l| l.eq_ignore_ascii_case("es"))
}

/// `ds` as they are printed: in the output language where the engine has it.
pub(crate) fn localized(ds: &[Diagnostic]) -> Vec<Diagnostic> {
    ds.iter().map(|d| d.in_language(output())).collect()
}

/// `validate --lang`: `Ok` for a language the engine writes diagnostics in (`en`, `es`, or a
/// regional tag of one), else says so on stderr and gives the exit code of an input error.
pub(crate) fn require_engine_language(lang: &str) -> Result<(), u8> {
    let known: Vec<String> = rubrica::ENGINE_LANGUAGES
        .iter()
        .map(|l| l.to_string())
        .collect();
    if rubrica::match_language(&known, lang).is_some() {
        return Ok(());
    }
    eprintln!(
        "error: the engine has no words in the language `{}`; available: {}",
        esc(lang),
        known.join(", ")
    );
    Err(INPUT)
}

/// The line that ends the problems of a record that was not scored.
pub(crate) fn nothing_scored(problems: usize) -> String {
    rubrica::nothing_scored_in(problems, output())
}

/// One of two lines: the English, or the Spanish when the output language is Spanish. Each
/// is a `format!` string with the same values.
macro_rules! words {
    ($en:literal, $es:literal $(, $arg:expr)* $(,)?) => {
        if $crate::lang::spanish() {
            format!($es $(, $arg)*)
        } else {
            format!($en $(, $arg)*)
        }
    };
}
pub(crate) use words;

/// `check`'s line for a rubric that passed: its folder, id, version and sizes.
pub(crate) fn checked(dir: &str, meta: &rubrica::RubricMeta, warnings: usize) -> String {
    let (id, version) = (esc(&meta.id), esc(&meta.version));
    let (indicators, items) = (meta.indicators.len(), meta.items.len());
    let warnings = match warnings {
        0 => String::new(),
        n => words!(", {n} warning(s)", ", {n} advertencia(s)"),
    };
    words!(
        "ok {dir} ({id} {version}, {indicators} indicators, {items} items{warnings})",
        "válida {dir} ({id} {version}, {indicators} indicadores, {items} ítems{warnings})"
    )
}

/// `check`'s line for a rubric that failed, with the number of its problems.
pub(crate) fn check_failed(dir: &str, problems: usize) -> String {
    words!(
        "failed {dir} ({problems} problem(s))",
        "no válida {dir} ({problems} problema(s))"
    )
}

/// `validate`'s line for one file: `ok <file>`, or `invalid <file> (<n> problem(s))`.
pub(crate) fn validated(file: &str, problems: Option<usize>) -> String {
    match (problems, spanish()) {
        (None, false) => format!("ok {file}"),
        (None, true) => format!("válido {file}"),
        (Some(n), false) => format!("invalid {file} ({n} problem(s))"),
        (Some(n), true) => format!("no válido {file} ({n} problema(s))"),
    }
}

/// Every language the rubrics declare, each once, in the order first met.
fn available<'a>(metas: impl IntoIterator<Item = &'a RubricMeta>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for m in metas {
        for l in &m.languages {
            if !out.iter().any(|o| o.eq_ignore_ascii_case(l)) {
                out.push(l.clone());
            }
        }
    }
    out
}

/// `Ok` when at least one rubric has `lang` (`es-MX` finds `es`); else says so on stderr with
/// the languages there are, and gives the exit code of an input error.
pub(crate) fn require<'a>(
    lang: &str,
    metas: impl IntoIterator<Item = &'a RubricMeta> + Clone,
) -> Result<(), u8> {
    if metas
        .clone()
        .into_iter()
        .any(|m| m.language_for(lang).is_some())
    {
        return Ok(());
    }
    let there = available(metas);
    eprintln!(
        "error: no rubric has the language `{}`; available: {}",
        esc(lang),
        if there.is_empty() {
            "none (no rubric loaded)".to_string()
        } else {
            esc(&there.join(", ")).into_owned()
        }
    );
    Err(INPUT)
}

/// `score --lang`: every rubric with its texts in `lang` (or its source language when it does
/// not have it), and reports that say the language.
pub(crate) fn localize_scoring(scoring: &mut Scoring, lang: &str) -> Result<(), u8> {
    require(lang, scoring.compiled.iter().map(CompiledRubric::meta))?;
    for r in &mut scoring.compiled {
        *r = r.in_language(lang);
    }
    scoring.language = Some(lang.to_string());
    Ok(())
}

/// The languages `test` runs a rubric's cases in beyond its source language.
pub(crate) struct TestLanguages {
    /// The rubric in each of those languages.
    rubrics: Vec<CompiledRubric>,
    /// Whether the language was asked for (`--lang`): then the case's result in it is the one
    /// kept (and written by `--write-results`), else the source language's.
    asked: bool,
}

/// `lang` alone when given (if the rubric has it), else every further language the rubric
/// declares.
pub(crate) fn test_languages(compiled: &CompiledRubric, lang: Option<&str>) -> TestLanguages {
    let meta = compiled.meta();
    let source = meta.source_language();
    let wanted: Vec<&str> = match lang {
        Some(l) => meta.language_for(l).into_iter().collect(),
        None => meta.languages.iter().map(String::as_str).collect(),
    };
    let rubrics = wanted
        .into_iter()
        .filter(|l| *l != source)
        .map(|l| compiled.in_language(l))
        .collect();
    TestLanguages {
        rubrics,
        asked: lang.is_some(),
    }
}

/// Runs a case in the rubric's source language and then in each of `languages`: it passes when
/// it passes in every one, rates the same in each, and each result's texts are that language's
/// translation. The result kept is the last language's when it was asked for with `--lang`, else
/// the source language's, so `--write-results` alone writes the rubric's own texts.
pub(crate) fn run_case(
    case: &Case,
    name: &str,
    file: &str,
    engine: &Engine,
    compiled: &CompiledRubric,
    languages: &TestLanguages,
    load: &dyn Fn(&str) -> Result<String, String>,
) -> CaseOutcome {
    let mut outcome = case.run(name, file, engine, compiled, load);
    let Some(source) = outcome.result.clone() else {
        return outcome;
    };
    for localized in &languages.rubrics {
        let lang = localized.language().unwrap_or_default();
        let other = case.run(name, file, engine, localized, load);
        let mut problems: Vec<Diagnostic> = other
            .problems
            .into_iter()
            .map(|d| Diagnostic {
                message: format!("in `{lang}`: {}", d.message),
                ..d
            })
            .collect();
        if let Some(result) = &other.result {
            problems.extend(
                rubrica::localized_differences(compiled.meta(), &source, result)
                    .into_iter()
                    .map(|line| {
                        Diagnostic::error(Code::CaseMismatch, line)
                            .with_help(format!(
                                "a case rates the same in every language; check `translations.{lang}` in rubric.json (docs/localisation.md)"
                            ))
                            .in_file(file)
                    }),
            );
            if languages.asked {
                outcome.result = Some(result.clone());
            }
        }
        if !problems.is_empty() {
            outcome.passed = false;
            outcome.problems.extend(problems);
        }
    }
    outcome
}

/// `check --lang`: an error when the rubric does not have `lang`.
pub(crate) fn missing(meta: &RubricMeta, lang: &str, file: &str) -> Option<Diagnostic> {
    if meta.language_for(lang).is_some() {
        return None;
    }
    Some(
        Diagnostic::error(
            Code::RubricMetadata,
            format!(
                "the rubric has no `{lang}` texts (its languages: {})",
                meta.languages.join(", ")
            ),
        )
        .with_help(format!(
            "add `\"{lang}\"` to `languages` and its translation under `translations` (docs/localisation.md)"
        ))
        .in_file(file)
        .at_path("/languages"),
    )
}
