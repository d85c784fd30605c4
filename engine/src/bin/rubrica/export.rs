//! `rubrica export`: a record's results as xAPI statements, LTI AGS scores or CSV, or the
//! rubrics as CASE 1.1, written by the engine's one export path (`rubrica::export_report`).

use super::{esc, load_scoring, print_diagnostics, read_record_file, FINDINGS, INPUT, OK};
use clap::ValueEnum;
use rubrica::{
    CsvExport, Diagnostic, Diagnostics, ExportFormat, ExportOptions, JsonLines, Observation,
    PracticeEntry, RecordLine, RubricMeta, MAX_RECORD_BYTES,
};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Export results where learning platforms read them: xAPI statements for an LRS, LTI AGS
/// scores for a gradebook, CSV for spreadsheets, or the rubrics as 1EdTech CASE 1.1.
///
/// A `.json` record gives one document (xAPI and LTI: a JSON array; CSV: a header and one row per
/// indicator). A `.jsonl` stream (or `-`, standard input) gives one compact JSON array per
/// record line (xAPI, LTI) or one CSV table with a single header. `case` reads no record.
/// Exit code: 0 when every practice was scored, 1 when a rubric did not load or could not rate a
/// record, 2 for a rejected record or option. See docs/exports.md.
#[derive(clap::Args)]
pub struct ExportArgs {
    /// Record file (`.json`, or `.jsonl`/`-` for many); not read for `case`.
    input: Option<PathBuf>,
    /// What to write.
    #[arg(long, value_enum)]
    format: FormatArg,
    /// Folder of rubric folders.
    #[arg(long, default_value = "rubrics")]
    rubrics: PathBuf,
    /// Base IRI of activities, activity types and extensions (xAPI, LTI) and CASE `uri`s.
    #[arg(long, value_name = "IRI", default_value = rubrica::DEFAULT_ACTIVITY_BASE)]
    activity_base: String,
    /// `homePage` of the xAPI accounts naming caregivers and coaches by their pseudonymous ids:
    /// your platform's address.
    #[arg(long, value_name = "IRI", default_value = rubrica::DEFAULT_ACCOUNT_HOME_PAGE)]
    account_home_page: String,
    /// CSV: start with a UTF-8 byte-order mark (for spreadsheet programs).
    #[arg(long)]
    bom: bool,
    /// CASE: `lastChangeDateTime` as `YYYY-MM-DDThh:mm:ssZ` (default: from SOURCE_DATE_EPOCH,
    /// else 1970-01-01T00:00:00Z).
    #[arg(long, value_name = "DATE-TIME")]
    last_change: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FormatArg {
    Xapi,
    LtiAgs,
    Csv,
    Case,
}

impl FormatArg {
    fn format(self) -> ExportFormat {
        match self {
            FormatArg::Xapi => ExportFormat::Xapi,
            FormatArg::LtiAgs => ExportFormat::LtiAgs,
            FormatArg::Csv => ExportFormat::Csv,
            FormatArg::Case => ExportFormat::Case,
        }
    }
}

/// `SOURCE_DATE_EPOCH` (seconds since 1970, UTC) as `YYYY-MM-DDThh:mm:ssZ`.
fn source_date() -> Option<String> {
    let secs: i64 = std::env::var("SOURCE_DATE_EPOCH")
        .ok()?
        .trim()
        .parse()
        .ok()?;
    if !(0..=253_402_300_799).contains(&secs) {
        return None;
    }
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    Some(format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    ))
}

pub fn run(args: ExportArgs) -> u8 {
    let format = args.format.format();
    let options = ExportOptions {
        activity_base: args.activity_base,
        account_home_page: args.account_home_page,
        bom: args.bom,
        last_change: args
            .last_change
            .or_else(source_date)
            .unwrap_or_else(|| rubrica::DEFAULT_LAST_CHANGE.into()),
    };
    if let Err(Diagnostics(ds)) = options.check() {
        // The options' paths are the flags' names.
        for d in &ds {
            let flag = d
                .location
                .path
                .as_deref()
                .unwrap_or("")
                .trim_start_matches('/')
                .replace('_', "-");
            eprintln!(
                "error: --{flag}: {}{}",
                esc(&d.message),
                d.help
                    .as_deref()
                    .map_or_else(String::new, |h| format!("\n  help: {}", esc(h)))
            );
        }
        return INPUT;
    }
    let scoring = match load_scoring(&args.rubrics) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let metas: Vec<&RubricMeta> = scoring.compiled.iter().map(|c| c.meta()).collect();
    let mut out = std::io::stdout().lock();
    let code = if format == ExportFormat::Case {
        if args.input.is_some() {
            eprintln!("note: `--format case` exports the rubrics; the record is not read");
        }
        match rubrica::export_rubrics(&metas, &options) {
            Ok(text) => {
                let _ = out.write_all(text.as_bytes());
                OK
            }
            Err(Diagnostics(ds)) => {
                print_diagnostics(&ds);
                INPUT
            }
        }
    } else {
        let Some(input) = args.input else {
            eprintln!(
                "error: `--format {}` exports a record's results: give the record file\n  help: rubrica export --format {} examples/center-infants.json",
                format.as_str(),
                format.as_str()
            );
            return INPUT;
        };
        let stream = input == Path::new("-")
            || input
                .extension()
                .is_some_and(|e| e == "jsonl" || e == "ndjson");
        let exporter = Exporter {
            format,
            options: &options,
            metas: &metas,
            scoring: &scoring,
        };
        if stream {
            exporter.lines(&input, &mut out)
        } else {
            exporter.file(&input, &mut out)
        }
    };
    let _ = out.flush();
    code.max(scoring.code())
}

struct Exporter<'a> {
    format: ExportFormat,
    options: &'a ExportOptions,
    metas: &'a [&'a RubricMeta],
    scoring: &'a super::Scoring,
}

impl Exporter<'_> {
    fn file(&self, input: &Path, out: &mut impl Write) -> u8 {
        let file = input.display().to_string();
        let parsed = read_record_file(input)
            .map_err(|d| Diagnostics(vec![d]))
            .and_then(|bytes| Observation::parse_bytes(&bytes));
        let parsed = match parsed {
            Ok(p) => p,
            Err(Diagnostics(ds)) => return rejected(ds, &file),
        };
        let report = self.scoring.report_observation(&parsed);
        match rubrica::export_report(
            self.format,
            &report,
            &parsed.observation,
            self.metas,
            self.options,
        ) {
            Ok(text) => {
                let _ = out.write_all(text.as_bytes());
                failed_code(&report)
            }
            Err(Diagnostics(ds)) => {
                print_diagnostics(&ds);
                INPUT
            }
        }
    }

    fn lines(&self, input: &Path, out: &mut impl Write) -> u8 {
        let reader = match super::open_lines(input) {
            Ok(r) => r,
            Err(code) => return code,
        };
        let file = input.display().to_string();
        let mut csv = (self.format == ExportFormat::Csv).then(|| CsvExport::new(self.options.bom));
        let mut code = OK;
        for line in JsonLines::new(reader) {
            let line = match line {
                Ok(l) => l,
                Err(e) => {
                    eprintln!(
                        "error: cannot read `{}`: {}",
                        esc(&file),
                        esc(&e.to_string())
                    );
                    return INPUT;
                }
            };
            let number = line.number();
            let parsed = match line {
                RecordLine::Text { bytes, .. } if bytes.iter().all(u8::is_ascii_whitespace) => {
                    continue
                }
                RecordLine::Text { bytes, .. } => Observation::parse_bytes(&bytes),
                RecordLine::TooLong { number, bytes } => {
                    Err(Diagnostics(vec![rubrica::line_too_long(
                        number,
                        bytes,
                        MAX_RECORD_BYTES,
                    )]))
                }
            };
            let parsed = match parsed {
                Ok(p) => p,
                Err(Diagnostics(ds)) => {
                    code = code.max(rejected(ds, &format!("{file}:{number}")));
                    continue;
                }
            };
            let report = self.scoring.report_observation(&parsed);
            let written = match &mut csv {
                Some(table) => table.add(&report, self.metas).map(|()| table.take()),
                None => {
                    let values = match self.format {
                        ExportFormat::Xapi => rubrica::xapi_statements(
                            &report,
                            &parsed.observation,
                            self.metas,
                            self.options,
                        ),
                        _ => rubrica::lti_scores(
                            &report,
                            &parsed.observation,
                            self.metas,
                            self.options,
                        ),
                    };
                    values.map(|v| {
                        let mut s = serde_json::to_string(&v).unwrap_or_default();
                        s.push('\n');
                        s
                    })
                }
            };
            match written {
                Ok(text) => {
                    let _ = out.write_all(text.as_bytes());
                    code = code.max(failed_code(&report));
                }
                Err(Diagnostics(ds)) => {
                    print_diagnostics(&ds);
                    code = INPUT;
                }
            }
        }
        if let Some(mut table) = csv {
            // A stream without any record still gets its header.
            let _ = out.write_all(table.take().as_bytes());
        }
        code
    }
}

/// Prints a rejected record's problems (in its file) and returns [`INPUT`].
fn rejected(ds: Vec<Diagnostic>, file: &str) -> u8 {
    let ds: Vec<Diagnostic> = ds
        .into_iter()
        .map(|d| {
            if d.location.file.is_none() {
                d.in_file(file)
            } else {
                d
            }
        })
        .collect();
    print_diagnostics(&ds);
    eprintln!(
        "error: the record has {} problem(s); nothing was exported",
        ds.len()
    );
    INPUT
}

fn failed_code(report: &rubrica::Report) -> u8 {
    if report
        .practices
        .iter()
        .any(|p| matches!(p, PracticeEntry::Failure { .. }))
    {
        FINDINGS
    } else {
        OK
    }
}
