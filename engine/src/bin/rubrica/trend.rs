//! `rubrica trend`: one caregiver's, room's or home's visits over time.

use super::agree::{input_failure, read_visits, What};
use super::{lang, say, Format, FINDINGS};
use rubrica::{Diagnostics, TrendBy};
use std::io::Write;
use std::path::{Path, PathBuf};

/// `rubrica trend <records or reports…> [--caregiver ID] [--by POINTER] [--lang TAG]`.
pub(crate) fn trend(
    files: &[PathBuf],
    rubrics: &Path,
    format: Format,
    by: TrendBy,
    lang: Option<&str>,
) -> u8 {
    lang::set_output(lang);
    let (visits, code) = match read_visits(files, rubrics, format, lang) {
        Ok(v) => v,
        Err(code) => return code,
    };
    let trend = match rubrica::trend_in(&visits, &by, lang) {
        Ok(t) => t,
        Err(Diagnostics(ds)) => return input_failure(ds, format, What::NoTrend),
    };
    let mut out = std::io::stdout().lock();
    match format {
        Format::Text => say(&mut out, trend.to_text_in(lang).trim_end()),
        Format::Json => {
            let _ = writeln!(out, "{}", serde_json::to_string(&trend).unwrap_or_default());
        }
    }
    if trend.has_findings() {
        code.max(FINDINGS)
    } else {
        code
    }
}
