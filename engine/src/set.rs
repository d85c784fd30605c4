//! Rubric folders on disk, and scoring one record with many rubrics.

use crate::cases::{Case, CaseRecord};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::record::Parsed;
use crate::reflection::{ParsedRecord, RecordKind, RecordRef};
use crate::result::{practice_rank, PracticeEntry, Report, ENGINE_INFO, REPORT_FORMAT};
use crate::rubric::{RubricSource, META_FILE, SCRIPT_FILE};
use crate::runtime::{CompiledRubric, Engine};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// A rubric folder: its sources and its self-test case files.
#[derive(Debug, Clone)]
pub struct RubricFolder {
    /// The folder.
    pub dir: PathBuf,
    /// Metadata and script.
    pub source: RubricSource,
    /// Case files, sorted by name: (name, path, text).
    pub cases: Vec<(String, PathBuf, String)>,
}

impl RubricFolder {
    /// Reads a rubric folder (`rubric.json`, `rubric.rhai`, `cases/*.json`).
    pub fn load(dir: &Path) -> Result<RubricFolder, Diagnostics> {
        let source = RubricSource::load(dir)?;
        let mut cases = Vec::new();
        let case_dir = dir.join("cases");
        if let Ok(entries) = std::fs::read_dir(&case_dir) {
            let mut paths: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect();
            paths.sort();
            for p in paths {
                let text = read_text_file(&p, Code::CaseFile).map_err(|d| Diagnostics(vec![d]))?;
                let name = p
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                cases.push((name, p, text));
            }
        }
        Ok(RubricFolder {
            dir: dir.to_path_buf(),
            source,
            cases,
        })
    }

    /// Reads a case's referenced record file relative to the case file.
    pub fn loader(case_path: &Path) -> impl Fn(&str) -> Result<String, String> + '_ {
        move |rel: &str| {
            let base = case_path.parent().unwrap_or(Path::new("."));
            std::fs::read_to_string(base.join(rel)).map_err(|e| e.to_string())
        }
    }

    /// The rubric as one JSON object with its cases' records inlined, for the browser:
    /// `{id, meta, script, cases: [{name, case}]}` (texts kept as written).
    pub fn bundle(&self) -> Result<Value, Diagnostics> {
        let mut bundle = self.bundle_without_cases()?;
        if let Value::Object(fields) = &mut bundle {
            fields.insert("cases".into(), Value::Array(self.bundled_cases()?));
        }
        Ok(bundle)
    }

    /// The rubric without its self-test cases, `{id, meta, script}`: what scoring needs, a
    /// fraction of the bytes (the cases' records are most of a bundle).
    pub fn bundle_without_cases(&self) -> Result<Value, Diagnostics> {
        let meta: Value = serde_json::from_str(&self.source.meta).map_err(|e| {
            Diagnostics(vec![Diagnostic::error(
                Code::RubricMetadata,
                format!("invalid rubric metadata: {e}"),
            )
            .in_file(&self.source.meta_file)])
        })?;
        Ok(json!({
            "id": meta.get("id").cloned().unwrap_or(Value::Null),
            "meta": self.source.meta,
            "script": self.source.script,
        }))
    }

    /// The rubric's self-test cases with their records inlined, `[{name, case}]`, as the
    /// `cases` of [`RubricFolder::bundle`].
    pub fn bundled_cases(&self) -> Result<Vec<Value>, Diagnostics> {
        let mut cases = Vec::new();
        for (name, path, text) in &self.cases {
            let file = path.display().to_string();
            let mut case = Case::parse(text, &file)?;
            let record = case.record_value(&file, &Self::loader(path))?;
            case.record = CaseRecord::Inline(record);
            case.set.clear();
            cases.push(json!({"name": name, "case": case}));
        }
        Ok(cases)
    }
}

/// Reads a rubric's text file (metadata, script or case), which must be UTF-8; a leading
/// byte-order mark is dropped. A file in another encoding is reported under `code` at the line and
/// column of its first byte that is not UTF-8, so the trainer sees where; a file that cannot be
/// read at all is reported under [`Code::RubricMetadata`] without a position.
pub(crate) fn read_text_file(path: &Path, code: Code) -> Result<String, Diagnostic> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::error(Code::RubricMetadata, format!("cannot read `{file}`: {e}"))
            .with_help(format!(
                "a rubric folder holds `{META_FILE}`, `{SCRIPT_FILE}` and `cases/`"
            ))
            .in_file(&file)
    })?;
    decode_utf8(bytes, code).map_err(|d| d.in_file(file))
}

fn decode_utf8(bytes: Vec<u8>, code: Code) -> Result<String, Diagnostic> {
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err(
            Diagnostic::error(code, "the file is UTF-16 text; rubric files are UTF-8")
                .with_help(
                    "save the file as UTF-8 (most editors offer it under “Save with encoding”)",
                )
                .at_line_col(1, 1),
        );
    }
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.remove(0);
            }
            Ok(text)
        }
        Err(e) => {
            let bytes = e.as_bytes();
            let at = e.utf8_error().valid_up_to();
            let good = bytes.get(..at).unwrap_or_default();
            let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
            // INVARIANT: `good` is valid UTF-8, and so is any part of it that starts on a line.
            let column = std::str::from_utf8(good.get(line_start..).unwrap_or_default())
                .map_or(1, |s| s.chars().count() + 1);
            let byte = bytes.get(at).copied().unwrap_or_default();
            Err(Diagnostic::error(
                code,
                format!("the file is not UTF-8 text: byte `0x{byte:02X}` cannot start a character here"),
            )
            .with_help("save the file as UTF-8; a character such as `é` from another encoding is often the cause")
            .at_line_col(
                u32::try_from(line).unwrap_or(u32::MAX),
                u32::try_from(column).unwrap_or(u32::MAX),
            ))
        }
    }
}

/// The rubric folders (subfolders holding `rubric.json`) under `dir`, sorted by name.
pub fn rubric_dirs(dir: &Path) -> Result<Vec<PathBuf>, Diagnostics> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Diagnostics(vec![Diagnostic::error(
            Code::RubricMetadata,
            format!("cannot read rubrics folder `{}`: {e}", dir.display()),
        )
        .with_help(
            "pass the folder that holds one subfolder per rubric, e.g. `rubrics/`",
        )])
    })?;
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join(META_FILE).is_file())
        .collect();
    dirs.sort();
    if dirs.is_empty() {
        return Err(Diagnostics(vec![Diagnostic::error(
            Code::RubricMetadata,
            format!("no rubric folders in `{}`", dir.display()),
        )
        .with_help(format!(
            "a rubric folder holds `{META_FILE}` and `rubric.rhai`"
        ))]));
    }
    Ok(dirs)
}

/// Reads every rubric folder (a subfolder holding `rubric.json`) under `dir`, sorted by name.
pub fn load_rubric_dir(dir: &Path) -> Result<Vec<RubricFolder>, Diagnostics> {
    let mut out = Vec::new();
    let mut errs = Vec::new();
    for d in rubric_dirs(dir)? {
        match RubricFolder::load(&d) {
            Ok(f) => out.push(f),
            Err(Diagnostics(mut ds)) => errs.append(&mut ds),
        }
    }
    if !errs.is_empty() {
        return Err(Diagnostics(errs));
    }
    Ok(out)
}

impl Engine {
    /// [`Engine::report`] with each rubric's texts in `lang` (or its source language when it
    /// does not have `lang`; see [`CompiledRubric::in_language`]) and the engine's words of the
    /// text report in `lang` when the engine has them. The report and each result say the
    /// language. Ratings, evidence and notes are those of [`Engine::report`].
    pub fn report_in(&self, rubrics: &[CompiledRubric], record: &Parsed, lang: &str) -> Report {
        self.report_of_in(
            rubrics,
            (&record.observation).into(),
            &record.warnings,
            lang,
        )
    }

    /// Scores one observation with every rubric given that rates observations; a rubric that
    /// fails becomes a `failure` entry and the others still report. Practices come in their
    /// usual order.
    pub fn report(&self, rubrics: &[CompiledRubric], record: &Parsed) -> Report {
        self.report_of(rubrics, (&record.observation).into(), &record.warnings)
    }

    /// [`Engine::report`] for a record of any kind: only the rubrics written for its kind rate
    /// it, so reflections never change the six-practice report of an observation.
    pub fn report_record(&self, rubrics: &[CompiledRubric], record: &ParsedRecord) -> Report {
        self.report_of(rubrics, record.record.as_ref(), &record.warnings)
    }

    /// [`Engine::report_record`] in `lang`, as [`Engine::report_in`] is [`Engine::report`].
    pub fn report_record_in(
        &self,
        rubrics: &[CompiledRubric],
        record: &ParsedRecord,
        lang: &str,
    ) -> Report {
        self.report_of_in(rubrics, record.record.as_ref(), &record.warnings, lang)
    }

    /// The report in `lang`: only the rubrics of the record's kind are put in that language.
    fn report_of_in(
        &self,
        rubrics: &[CompiledRubric],
        record: RecordRef<'_>,
        warnings: &[crate::Diagnostic],
        lang: &str,
    ) -> Report {
        let kind = record.kind();
        let localized: Vec<CompiledRubric> = rubrics
            .iter()
            .filter(|r| r.meta().record_kind() == kind)
            .map(|r| r.in_language(lang))
            .collect();
        let mut report = self.report_of(&localized, record, warnings);
        report.language = Some(lang.to_string());
        report
    }

    fn report_of(
        &self,
        rubrics: &[CompiledRubric],
        record: RecordRef<'_>,
        warnings: &[crate::Diagnostic],
    ) -> Report {
        let view = crate::view::RecordView::new(record);
        let kind = record.kind();
        let mut order: Vec<&CompiledRubric> = rubrics
            .iter()
            .filter(|r| r.meta().record_kind() == kind)
            .collect();
        order.sort_by_key(|r| (practice_rank(&r.meta().practice), r.meta().id.clone()));
        let practices = order
            .into_iter()
            .map(|r| match self.evaluate_view(r, record, &view).0 {
                Ok(result) => PracticeEntry::Success {
                    result: Box::new(result),
                },
                Err(Diagnostics(errors)) => PracticeEntry::Failure {
                    rubric: r.meta().id.clone(),
                    title: r.meta().title.clone(),
                    errors,
                },
            })
            .collect();
        let obs = record.observation();
        Report {
            format: REPORT_FORMAT,
            engine: ENGINE_INFO,
            language: None,
            record: record.id().to_string(),
            record_format: (kind != RecordKind::Observation).then(|| kind.format()),
            setting: obs.map(|o| o.setting),
            observed_on: record.date().to_string(),
            minutes: obs.map(|o| o.minutes),
            warnings: warnings.to_vec(),
            practices,
        }
    }
}
