//! `--lang`: rubric texts in another language for `score`, `test` and `check`
//! (docs/localisation.md).

use super::{esc, Scoring, INPUT};
use rubrica::{Case, CaseOutcome, Code, CompiledRubric, Diagnostic, Engine, RubricMeta};

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
