//! Exports of results and rubrics in the formats learning platforms read: xAPI 1.0.3
//! statements (for an LRS), LTI 1.3 Assignment and Grade Services scores (for a gradebook), CSV
//! (for spreadsheets and data warehouses) and 1EdTech CASE 1.1 rubrics.
//!
//! One code path: the CLI (`rubrica export`), the JSON API ([`crate::Workspace::export`]) and
//! through it the browser package all call [`export_report`] / [`export_rubrics`], so the same
//! record gives the same bytes everywhere. Every output is a function of its inputs only (no
//! clock, no randomness): ids are name-based UUIDs (v5) and times come from the record or the
//! options. `docs/exports.md` describes every field.

mod case;
mod csv;
mod lti;
mod xapi;

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::record::Observation;
use crate::result::Report;
use crate::rubric::RubricMeta;
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

pub use self::csv::CSV_COLUMNS;

/// The engine's name, written into every export that has a place for it (a report's exports
/// write the engine of the report, `Report::engine`).
pub const ENGINE_NAME: &str = crate::result::ENGINE_INFO.name;
/// The engine's version (the crate version).
pub const ENGINE_VERSION: &str = crate::result::ENGINE_INFO.version;

/// Default base of the IRIs naming Rubrica's activities, activity types and extensions.
pub const DEFAULT_ACTIVITY_BASE: &str = "https://github.com/rubrica/rubrica/xapi";
/// Default `homePage` of the pseudonymous accounts naming caregivers and coaches.
pub const DEFAULT_ACCOUNT_HOME_PAGE: &str = "https://github.com/rubrica/rubrica/xapi/accounts";
/// Default `lastChangeDateTime` of a CASE export when no date is given.
pub const DEFAULT_LAST_CHANGE: &str = "1970-01-01T00:00:00Z";

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExportFormat {
    /// xAPI 1.0.3 statements, a JSON array.
    Xapi,
    /// LTI AGS line items and scores, a JSON array.
    LtiAgs,
    /// One row per indicator rating, RFC 4180.
    Csv,
    /// A CASE 1.1 `CFPackage` holding the rubrics as `CFRubrics`.
    Case,
}

impl ExportFormat {
    /// Every format, in the order the documentation lists them.
    pub const ALL: [ExportFormat; 4] = [
        ExportFormat::Xapi,
        ExportFormat::LtiAgs,
        ExportFormat::Csv,
        ExportFormat::Case,
    ];

    /// The name used on the command line and in the API (`xapi`, `lti-ags`, `csv`, `case`).
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Xapi => "xapi",
            ExportFormat::LtiAgs => "lti-ags",
            ExportFormat::Csv => "csv",
            ExportFormat::Case => "case",
        }
    }

    /// The format with this name, or an error naming the formats there are.
    pub fn parse(name: &str) -> Result<ExportFormat, Diagnostics> {
        ExportFormat::ALL
            .into_iter()
            .find(|f| f.as_str() == name)
            .ok_or_else(|| {
                let names: Vec<&str> = ExportFormat::ALL.iter().map(|f| f.as_str()).collect();
                let help = match crate::json::closest(name, &names) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("the formats are {}", crate::json::quoted(&names)),
                };
                Diagnostics(vec![Diagnostic::error(
                    Code::InvalidValue,
                    format!("there is no export format `{name}`"),
                )
                .with_help(help)])
            })
    }

    /// The media type of the exported text.
    pub fn media_type(self) -> &'static str {
        match self {
            ExportFormat::Csv => "text/csv; charset=utf-8",
            _ => "application/json",
        }
    }

    /// The file name extension of the exported text.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            _ => "json",
        }
    }
}

/// Options of an export; every field has a default. From JSON: `{"activity_base": "…",
/// "account_home_page": "…", "bom": true, "last_change": "…"}`, unknown fields refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportOptions {
    /// Base of the IRIs of activities, activity types and extensions (xAPI, LTI extensions) and
    /// of the CASE `uri`s; an absolute IRI. A trailing `/` is ignored.
    pub activity_base: String,
    /// `homePage` of the xAPI accounts of caregivers and coaches (the system their
    /// pseudonymous ids belong to); an absolute IRI.
    pub account_home_page: String,
    /// CSV only: start with a UTF-8 byte-order mark, so spreadsheet programs read UTF-8.
    pub bom: bool,
    /// CASE only: `lastChangeDateTime` of every object, `YYYY-MM-DDThh:mm:ssZ`.
    pub last_change: String,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            activity_base: DEFAULT_ACTIVITY_BASE.into(),
            account_home_page: DEFAULT_ACCOUNT_HOME_PAGE.into(),
            bom: false,
            last_change: DEFAULT_LAST_CHANGE.into(),
        }
    }
}

const OPTION_FIELDS: [&str; 4] = ["activity_base", "account_home_page", "bom", "last_change"];

impl ExportOptions {
    /// Reads options from JSON text (empty text: the defaults), reporting every problem with
    /// its JSON path, then checks them as [`ExportOptions::check`] does.
    pub fn from_json(text: &str) -> Result<ExportOptions, Diagnostics> {
        let mut options = ExportOptions::default();
        if text.trim().is_empty() {
            return Ok(options);
        }
        let value: Value = serde_json::from_str(text).map_err(|e| {
            Diagnostics(vec![Diagnostic::error(
                Code::JsonSyntax,
                format!("the export options are not JSON: {e}"),
            )
            .with_help(
                "pass an object such as {\"activity_base\": \"https://lms.example.org/xapi\"}",
            )])
        })?;
        let Some(map) = value.as_object() else {
            return Err(Diagnostics(vec![Diagnostic::error(
                Code::WrongType,
                "the export options must be an object",
            )
            .at_path("")
            .with_help(format!(
                "pass an object with any of {}",
                crate::json::quoted(&OPTION_FIELDS)
            ))]));
        };
        let mut problems = Vec::new();
        for (key, v) in map {
            let path = format!("/{}", key.replace('~', "~0").replace('/', "~1"));
            let text = |problems: &mut Vec<Diagnostic>| match v.as_str() {
                Some(s) => Some(s.to_string()),
                None => {
                    problems.push(
                        Diagnostic::error(Code::WrongType, format!("`{key}` must be text"))
                            .at_path(path.clone()),
                    );
                    None
                }
            };
            match key.as_str() {
                "activity_base" => {
                    if let Some(s) = text(&mut problems) {
                        options.activity_base = s;
                    }
                }
                "account_home_page" => {
                    if let Some(s) = text(&mut problems) {
                        options.account_home_page = s;
                    }
                }
                "last_change" => {
                    if let Some(s) = text(&mut problems) {
                        options.last_change = s;
                    }
                }
                "bom" => match v.as_bool() {
                    Some(b) => options.bom = b,
                    None => problems.push(
                        Diagnostic::error(Code::WrongType, "`bom` must be true or false")
                            .at_path(path),
                    ),
                },
                _ => {
                    let help = match crate::json::closest(key, &OPTION_FIELDS) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("the options are {}", crate::json::quoted(&OPTION_FIELDS)),
                    };
                    problems.push(
                        Diagnostic::error(
                            Code::UnknownField,
                            format!("unknown export option `{key}`"),
                        )
                        .at_path(path)
                        .with_help(help),
                    );
                }
            }
        }
        if let Err(Diagnostics(mut more)) = options.check() {
            problems.append(&mut more);
        }
        if problems.is_empty() {
            Ok(options)
        } else {
            Err(Diagnostics(problems))
        }
    }

    /// Checks that the IRIs are absolute and the date-time is well formed; each problem names
    /// its option (`/activity_base`) and what to write instead.
    pub fn check(&self) -> Result<(), Diagnostics> {
        let mut problems = Vec::new();
        for (name, value) in [
            ("activity_base", &self.activity_base),
            ("account_home_page", &self.account_home_page),
        ] {
            if let Err(why) = check_absolute_iri(value) {
                problems.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("`{name}` is not an absolute IRI: {why}"),
                    )
                    .at_path(format!("/{name}"))
                    .with_help(
                        "write a full address with its scheme, such as `https://lms.example.org/xapi`",
                    ),
                );
            }
        }
        if !is_utc_date_time(&self.last_change) {
            problems.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!(
                        "`last_change` is not a UTC date-time: `{}`",
                        crate::text::escape_controls(&self.last_change)
                    ),
                )
                .at_path("/last_change")
                .with_help("write it as `YYYY-MM-DDThh:mm:ssZ`, such as `2026-03-01T00:00:00Z`"),
            );
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Diagnostics(problems))
        }
    }

    /// The activity base without a trailing `/`.
    pub(crate) fn base(&self) -> &str {
        self.activity_base.trim_end_matches('/')
    }
}

/// Why `text` is not an absolute IRI (RFC 3987: a scheme, `:`, and no spaces, controls or
/// characters IRIs exclude; a `http`/`https` IRI also needs a host).
fn check_absolute_iri(text: &str) -> Result<(), String> {
    let Some((scheme, rest)) = text.split_once(':') else {
        return Err(format!(
            "`{}` has no scheme (such as `https:`)",
            crate::text::escape_controls(text)
        ));
    };
    let mut chars = scheme.chars();
    let scheme_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok {
        return Err(format!(
            "`{}` is not a scheme",
            crate::text::escape_controls(scheme)
        ));
    }
    if let Some(c) = text.chars().find(|c| {
        c.is_whitespace()
            || c.is_control()
            || matches!(c, '<' | '>' | '"' | '{' | '}' | '|' | '\\' | '^' | '`')
    }) {
        return Err(format!("it contains {:?}, which an IRI cannot hold", c));
    }
    if rest.is_empty() {
        return Err("nothing follows the scheme".into());
    }
    let scheme = scheme.to_ascii_lowercase();
    if scheme == "http" || scheme == "https" {
        let host = rest
            .strip_prefix("//")
            .map(|r| r.split(['/', '?', '#']).next().unwrap_or(""))
            .unwrap_or("");
        if host.is_empty() {
            return Err(format!(
                "an {scheme} address needs a host after `{scheme}://`"
            ));
        }
    }
    if text.contains('#') {
        return Err("a base cannot hold a fragment (`#…`); names are added after it".into());
    }
    Ok(())
}

/// `YYYY-MM-DDThh:mm:ssZ` with a real date and time.
fn is_utc_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 20 || b.get(10) != Some(&b'T') || b.get(19) != Some(&b'Z') {
        return false;
    }
    let (Some(date), Some(time)) = (s.get(..10), s.get(11..19)) else {
        return false;
    };
    let t: Vec<&str> = time.split(':').collect();
    is_calendar_date(date)
        && t.len() == 3
        && t.iter()
            .all(|p| p.len() == 2 && p.bytes().all(|c| c.is_ascii_digit()))
        && t.first()
            .and_then(|h| h.parse::<u8>().ok())
            .is_some_and(|h| h < 24)
        && t.get(1)
            .and_then(|m| m.parse::<u8>().ok())
            .is_some_and(|m| m < 60)
        && t.get(2)
            .and_then(|x| x.parse::<u8>().ok())
            .is_some_and(|x| x < 60)
}

/// `YYYY-MM-DD`, a real calendar date.
fn is_calendar_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return false;
    };
    if y.len() != 4
        || m.len() != 2
        || d.len() != 2
        || !s.bytes().all(|b| b.is_ascii_digit() || b == b'-')
    {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    };
    d >= 1 && d <= days
}

/// The namespace of every name-based UUID Rubrica exports (a v5 UUID of the URL
/// `https://github.com/rubrica/rubrica/uuid`, fixed so ids never change between releases).
pub(crate) fn namespace() -> Uuid {
    Uuid::new_v5(
        &Uuid::NAMESPACE_URL,
        b"https://github.com/rubrica/rubrica/uuid",
    )
}

/// A v5 UUID of a list of texts, written as a JSON array (so no two lists share a name).
pub(crate) fn name_uuid(parts: &[&str]) -> String {
    let name = serde_json::to_string(parts).unwrap_or_default();
    Uuid::new_v5(&namespace(), name.as_bytes())
        .hyphenated()
        .to_string()
}

/// A text made safe as one IRI path segment: ASCII letters, digits and `-._~` as they are,
/// everything else percent-encoded as UTF-8.
pub(crate) fn segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The rubric metadata a result was made with: same id, and the same version when one is given.
pub(crate) fn find_meta<'a>(
    rubrics: &[&'a RubricMeta],
    id: &str,
    version: Option<&str>,
) -> Option<&'a RubricMeta> {
    rubrics
        .iter()
        .find(|m| m.id == id && version.is_none_or(|v| m.version == v))
        .copied()
}

/// Exports one record's report. `observation` is the record the report was made from (the
/// caregivers and coach come from it) and `rubrics` the metadata of the rubrics that made it.
///
/// `case` exports the rubrics only (as [`export_rubrics`]); the others export the report.
pub fn export_report(
    format: ExportFormat,
    report: &Report,
    observation: &Observation,
    rubrics: &[&RubricMeta],
    options: &ExportOptions,
) -> Result<String, Diagnostics> {
    options.check()?;
    if report.record != observation.id {
        return Err(Diagnostics(vec![Diagnostic::error(
            Code::Inconsistent,
            format!(
                "the report is of record `{}`, not of record `{}`",
                report.record, observation.id
            ),
        )
        .with_help(
            "export a report together with the record it was made from",
        )]));
    }
    match format {
        ExportFormat::Xapi => Ok(pretty(&xapi::statements(
            report,
            observation,
            rubrics,
            options,
        )?)),
        ExportFormat::LtiAgs => Ok(pretty(&lti::scores(report, observation, rubrics, options)?)),
        ExportFormat::Csv => {
            let mut out = csv::Table::new(options.bom);
            csv::rows(&mut out, report, rubrics)?;
            Ok(out.finish())
        }
        ExportFormat::Case => export_rubrics(rubrics, options),
    }
}

/// xAPI statements of one report, as JSON values (for writers of JSON Lines).
pub fn xapi_statements(
    report: &Report,
    observation: &Observation,
    rubrics: &[&RubricMeta],
    options: &ExportOptions,
) -> Result<Vec<Value>, Diagnostics> {
    options.check()?;
    xapi::statements(report, observation, rubrics, options)
}

/// LTI AGS line items and scores of one report, as JSON values (for writers of JSON Lines).
pub fn lti_scores(
    report: &Report,
    observation: &Observation,
    rubrics: &[&RubricMeta],
    options: &ExportOptions,
) -> Result<Vec<Value>, Diagnostics> {
    options.check()?;
    lti::scores(report, observation, rubrics, options)
}

/// A CSV table that reports are added to one after the other (one header for many records).
#[derive(Debug)]
pub struct CsvExport(csv::Table);

impl CsvExport {
    /// An empty table: the header row (after a byte-order mark when `bom`).
    pub fn new(bom: bool) -> CsvExport {
        CsvExport(csv::Table::new(bom))
    }

    /// Adds a report's rows.
    pub fn add(&mut self, report: &Report, rubrics: &[&RubricMeta]) -> Result<(), Diagnostics> {
        csv::rows(&mut self.0, report, rubrics)
    }

    /// The rows written since the last call (the header first), to stream them out.
    pub fn take(&mut self) -> String {
        self.0.take()
    }
}

/// The rubrics as a CASE 1.1 `CFPackage` (pretty JSON).
pub fn export_rubrics(
    rubrics: &[&RubricMeta],
    options: &ExportOptions,
) -> Result<String, Diagnostics> {
    options.check()?;
    Ok(pretty(&case::package(rubrics, options)))
}

/// Pretty JSON with a final newline.
fn pretty<T: Serialize>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iris_must_be_absolute() {
        assert!(check_absolute_iri("https://lms.example.org/xapi").is_ok());
        assert!(check_absolute_iri("urn:example:x").is_ok());
        assert!(check_absolute_iri("lms.example.org").is_err());
        assert!(check_absolute_iri("https:///x").is_err());
        assert!(check_absolute_iri("https://a b").is_err());
        assert!(check_absolute_iri("1http://x").is_err());
        assert!(check_absolute_iri("https://x/#frag").is_err());
    }

    #[test]
    fn date_times_are_checked() {
        assert!(is_utc_date_time("2026-03-01T00:00:00Z"));
        assert!(!is_utc_date_time("2026-02-30T00:00:00Z"));
        assert!(!is_utc_date_time("2026-03-01T24:00:00Z"));
        assert!(!is_utc_date_time("2026-03-01 00:00:00Z"));
        assert!(!is_utc_date_time("2026-03-01T00:00:00+01:00"));
    }

    #[test]
    fn options_report_every_problem_with_its_path() {
        let Err(Diagnostics(ds)) = ExportOptions::from_json(
            r#"{"activity_base": "nope", "bom": 1, "acount_home_page": "x", "last_change": "soon"}"#,
        ) else {
            panic!("accepted bad options");
        };
        let paths: Vec<Option<&str>> = ds.iter().map(|d| d.location.path.as_deref()).collect();
        assert!(paths.contains(&Some("/activity_base")), "{ds:#?}");
        assert!(paths.contains(&Some("/bom")), "{ds:#?}");
        assert!(paths.contains(&Some("/last_change")), "{ds:#?}");
        let typo = ds
            .iter()
            .find(|d| d.location.path.as_deref() == Some("/acount_home_page"))
            .unwrap_or_else(|| panic!("{ds:#?}"));
        assert_eq!(
            typo.help.as_deref(),
            Some("did you mean `account_home_page`?")
        );
        assert_eq!(
            ExportOptions::from_json("").ok(),
            Some(ExportOptions::default())
        );
        assert!(ExportOptions::from_json("[]").is_err());
    }

    #[test]
    fn segments_and_uuids_are_stable() {
        assert_eq!(segment("obs 1/é"), "obs%201%2F%C3%A9");
        assert_eq!(name_uuid(&["a", "b"]), name_uuid(&["a", "b"]));
        assert_ne!(name_uuid(&["a", "b"]), name_uuid(&["a\",\"b"]));
        assert_eq!(
            Uuid::parse_str(&name_uuid(&["a"])).map(|u| u.get_version_num()),
            Ok(5)
        );
        assert!(ExportFormat::parse("xapi").is_ok());
        let Err(Diagnostics(ds)) = ExportFormat::parse("xpai") else {
            panic!("accepted a typo");
        };
        assert_eq!(ds[0].help.as_deref(), Some("did you mean `xapi`?"));
    }
}
