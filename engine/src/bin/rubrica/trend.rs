//! `rubrica trend`: one caregiver's, room's or home's visits over time.

use super::agree::{input_failure, read_visits};
use super::{say, Format, FINDINGS};
use rubrica::{Diagnostics, TrendBy};
use std::io::Write;
use std::path::{Path, PathBuf};

/// `rubrica trend <records or reports…> [--caregiver ID] [--by POINTER]`.
pub(crate) fn trend(files: &[PathBuf], rubrics: &Path, format: Format, by: TrendBy) -> u8 {
    let (visits, code) = match read_visits(files, rubrics, format) {
        Ok(v) => v,
        Err(code) => return code,
    };
    let trend = match rubrica::trend(&visits, &by) {
        Ok(t) => t,
        Err(Diagnostics(ds)) => return input_failure(ds, format, "no trend was made"),
    };
    let mut out = std::io::stdout().lock();
    match format {
        Format::Text => say(&mut out, trend.to_text().trim_end()),
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
