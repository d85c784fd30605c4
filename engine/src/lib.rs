#![doc = include_str!("../README.md")]
#![deny(unsafe_code)] // allowed only in `meter.rs`, the counting allocator
#![deny(missing_docs)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod agree;
mod api;
mod cases;
mod coverage;
mod diagnostic;
mod diagnostic_text;
mod export;
mod helpers;
mod ids;
mod input;
mod json;
mod lint;
mod locale;
mod messages;
mod meter;
mod mutate;
mod record;
mod reflection;
mod result;
mod rubric;
mod runtime;
mod set;
mod tables;
mod text;
mod trend;
mod view;
mod vocabulary;

pub use agree::{
    agreement, agreement_in, read_visit, Agreement, Difference, FailedPractice, Hundredths,
    IndicatorAgreement, Kappa, NotCompared, Outcome, PairRef, PracticeAgreement, RatedVisit,
    Recorded, RubricOf, ScaleSource, SeenCoverage, SeenIndicator, SeenPractice, Share, Side, Stats,
    VisitRef, AGREEMENT_FORMAT,
};
pub use api::{
    Answer, BundledRubric, CaseCoverage, Exported, LoadedBundle, LoadedRubric, Options,
    RecordScored, RubricInfo, RubricScored, ValidRecord, Workspace,
};
pub use cases::{Case, CaseOutcome, CaseRecord, Expected, ReadyCase};
pub use coverage::{
    call_sites, coverage, CallSite, CoverageCounts, CoverageReport, IndicatorCoverage,
    LevelCoverage, SiteCall, SiteCoverage,
};
pub use diagnostic::{Code, Diagnostic, Diagnostics, Location, Severity, Texts};
pub use diagnostic_text::nothing_scored_in;
pub use export::{
    export_report, export_rubrics, lti_scores, xapi_statements, CsvExport, ExportFormat,
    ExportOptions, CSV_COLUMNS, DEFAULT_ACCOUNT_HOME_PAGE, DEFAULT_ACTIVITY_BASE,
    DEFAULT_LAST_CHANGE, ENGINE_NAME, ENGINE_VERSION,
};
pub use helpers::age_band;
pub use input::{line_too_long, read_record, JsonLines, RecordLine};
pub use locale::{localized_differences, match_language, ENGINE_LANGUAGES};
pub use meter::ThreadMeter;
pub use mutate::{
    equivalent_mutants, mutants, ready_cases, run_mutants, EquivalentMutant, Mutant, MutantOutcome,
    MutantStatus, MutationCounts, MutationKind, MutationReport, EQUIVALENT_MUTANTS_FILE,
};
pub use record::{
    Caregiver, Child, Headcount, Interview, Item, ItemValue, Material, Method, Observation, Parsed,
    Place, PrimaryStatus, Setting, MAX_AGE_MONTHS, MAX_RECORD_BYTES, OBSERVATION_FORMAT,
    RECORD_FIELDS,
};
pub use reflection::{
    Author, Contact, Goal, ParsedRecord, Partner, Record, RecordKind, RecordRef, Reflection,
    ReflectionItem, FAMILY_PARTNERSHIP_FORMAT, REFLECTION_FIELDS, TA_REFLECTION_FORMAT,
};
pub use result::{
    Coverage, EngineInfo, GrowthArea, IndicatorOutcome, IndicatorRating, MissingEvidence,
    PracticeEntry, ReflectiveQuestion, Report, RubricRef, RubricResult, Score, Status, Strength,
    ENGINE_INFO, FOCUSED_QUESTIONS, REPORT_FORMAT, RESULT_FORMAT,
};
pub use rubric::{
    parse_meta, AppliesWhen, Choice, Indicator, IndicatorKind, ItemDef, ItemType, Level,
    RubricMeta, RubricSource, Scale, FREQUENCY, META_FILE, PRACTICES, RUBRIC_FORMAT, SCRIPT_FILE,
    YES_NO,
};
pub use runtime::{
    use_host_clock, use_host_memory_meter, Clock, CompiledRubric, Engine, IndicatorSite, Limits,
    MemoryMeter,
};
pub use set::{load_rubric_dir, rubric_dirs, RubricFolder};
pub use tables::{Source, SOURCES};
pub use text::{escape_controls, escape_controls_keep_newlines, is_unsafe_for_display};
pub use trend::{
    trend, trend_in, Break, IndicatorPoint, IndicatorTrend, LeftOut, PracticePoint, PracticeTrend,
    Series, Trend, TrendBy, TrendVisit, TREND_FORMAT,
};
pub use vocabulary::{
    FieldDoc, FieldType, HelperDoc, ItemValues, KindDoc, ObjectDoc, Param, RecordChoice,
    RecordLimit, Vocabulary, VOCABULARY,
};
