// Type declarations for `rubrica-web`: the ES module (`import`, browsers, bundlers and Node)
// and, without the part marked ES-module-only, the CommonJS entry (`require`, `rubrica.d.cts`,
// written from this file by `cargo xtask build-web`).
//
// Written by hand to match the engine's serde output exactly (engine/src/*.rs), and checked:
// `cargo xtask test` compiles them with `tsc --strict` for browsers (lib dom) and for Node alone
// (@types/node), and runs a typed program against the real module. Field names are snake_case
// as in the native JSON. A field marked `?` is absent when it has no value; a field typed
// `| null` is always present and `null` when it has no value. Answers, outcomes and statuses
// are tagged unions: checking the tag (`answer.type`, `result.status`, `indicator.outcome`)
// narrows the other fields.

declare global {
  // `Symbol.dispose` for a TypeScript `lib` older than `esnext.disposable` (as @types/node
  // declares it): the engine releases its memory at the end of a `using` block where the
  // JavaScript engine has the symbol.
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
  interface Disposable {
    [Symbol.dispose](): void;
  }
}

// <es-module-only>
// ---------------------------------------------------------------------------------------------
// Loading the module (the ES module only: `require("rubrica-web")` returns it loaded)
// ---------------------------------------------------------------------------------------------

/** `WebAssembly.Module` where the environment's types declare it (lib `dom`); else nothing. */
export type WasmModule = typeof globalThis extends { WebAssembly: { Module: { prototype: infer M } } }
  ? M
  : never;

/** The module's bytes. */
export type WasmBytes = ArrayBuffer | ArrayBufferView;

/**
 * What `init` accepts: the URL of the `.wasm` file (as text, a `URL` or a `Request`), a
 * `Response` for it, its bytes, or a compiled module.
 */
export type InitInput = string | URL | Request | Response | WasmBytes | WasmModule;

/** The instantiated module's exports (internal; you do not need them). */
export interface InitOutput {
  readonly memory: unknown;
}

/**
 * Loads and instantiates the WebAssembly module. Call it once, and wait for it, before
 * `new RubricaEngine()`. Without an argument it fetches `rubrica_web_bg.wasm` next to
 * `rubrica_web.js`; a bundler that does not follow that URL needs the module's URL passed in
 * (see the package README). In Node the package's entry has already loaded the module from disk,
 * and `init()` resolves at once.
 */
export default function init(
  module_or_path?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>,
): Promise<InitOutput>;

/** Instantiates the module synchronously from its bytes or a compiled module. */
export function initSync(module: { module: WasmBytes | WasmModule } | WasmBytes | WasmModule): InitOutput;
// </es-module-only>

// ---------------------------------------------------------------------------------------------
// The engine
// ---------------------------------------------------------------------------------------------

/**
 * The rubric engine: compiled rubrics, ready to score observation records.
 *
 * Bad input never throws: it comes back as `{type: "failure", errors}`. Only a malformed call
 * throws (a number where text was expected, options with a misspelled field, an object that
 * `JSON.stringify` cannot handle).
 */
export class RubricaEngine {
  /** Creates an engine. Missing limits keep their defaults; an unknown option throws. */
  constructor(options?: EngineOptions);
  /** Releases the engine's memory now instead of waiting for garbage collection. */
  free(): void;
  [Symbol.dispose](): void;

  /** The crate version, e.g. `"0.1.0"`. */
  static version(): string;
  /**
   * What a rubric script can name: the helpers it may call and the record's objects and fields
   * (the first object is the record `r`). The trainer's editor completes and explains names
   * from it.
   */
  static vocabulary(): Vocabulary;
  /** The sandbox limits in force. */
  limits(): Limits;

  /**
   * Compiles every rubric of a bundle (the output of `rubrica bundle`: `rubrics.json`), given
   * as an array or as JSON text. Rubrics that fail are listed in `errors` (files named
   * `rubrics/<id>/rubric.json` / `rubrics/<id>/rubric.rhai`); the others still load.
   */
  loadBundle(bundle: BundledRubric[] | string): BundleAnswer;
  /**
   * Compiles one rubric from the texts of `rubric.json` (or its parsed object) and
   * `rubric.rhai`, and loads it, replacing a loaded rubric with the same id. Diagnostics name
   * the files `rubric.json` and `rubric.rhai`.
   */
  loadRubric(metaText: string | object, scriptText: string): RubricAnswer;
  /**
   * Checks a draft as `rubrica check` does, without loading it: it compiles, and the static
   * checks (undeclared or unused items, levels off the scale, paths without a rating, unknown
   * helpers…) find no error. Their warnings come with the success.
   */
  checkRubric(metaText: string | object, scriptText: string): RubricAnswer;
  /**
   * The loaded rubrics, in practice order. The observation form is built from `meta.items`.
   * With `{lang}`, every text (titles, items and their options, levels, indicators) in that
   * language where a rubric has it (docs/localisation.md).
   */
  rubrics(options?: TextOptions | null): RubricInfo[];
  /** Every language the loaded rubrics declare, e.g. `["en", "es"]`: what `lang` can ask for. */
  languages(): string[];

  /**
   * Parses and validates a record of any kind (its `format` says which); errors carry JSON
   * paths such as `/children/2/age_months`. With `{lang}`, messages and help in that language
   * (codes, paths and fields as they are).
   */
  validateRecord(record: object | string, options?: TextOptions | null): RecordAnswer;
  /** Rates a record with one loaded rubric; with `{lang}`, its texts in that language. */
  evaluate(rubricId: string, record: object | string, options?: TextOptions | null): ResultAnswer;
  /**
   * Rates a record with every loaded rubric. A rubric that cannot rate it is a `failure` entry
   * inside the report; the answer fails only when the record itself is invalid.
   */
  evaluateAll(record: object | string, options?: TextOptions | null): ReportAnswer;
  /**
   * The result as JSON text, byte for byte what the native engine writes
   * (`rubrica test --write-results`). On failure: the `Failure` answer as JSON text.
   */
  evaluateJson(rubricId: string, recordText: object | string, options?: TextOptions | null): string;
  /**
   * The report as JSON text, byte for byte what `rubrica score --format json` prints. On
   * failure: the `Failure` answer as JSON text.
   */
  reportJson(recordText: object | string, options?: TextOptions | null): string;
  /**
   * The coach's plain-text report, as `rubrica score [--lang]` prints it (or the record's
   * problems); with `{lang}`, the rubric texts and the report's own words in that language.
   */
  reportText(recordText: object | string, options?: TextOptions | null): string;
  /**
   * A record's results as `xapi`, `lti-ags` or `csv`, or the loaded rubrics as `case` (`record`
   * is then not read and may be `null`), byte for byte what `rubrica export` writes.
   */
  exportReport(record: object | string | null, format: ExportFormat, options?: ExportOptions | string | null): ExportAnswer;
  /**
   * Two coaches' ratings of the same visit compared, as JSON text: byte for byte what `rubrica
   * agree --format json` prints. `a` and `b` are each a record or a report (object or JSON
   * text), or lists of them paired by position; records are scored with the loaded rubrics. On
   * bad input: the `Failure` answer as JSON text. With `{lang}`, the records are scored in that
   * language and the engine's words (why a kappa is not defined, warnings, problems) are in it.
   */
  agree(a: object | string, b: object | string, options?: TextOptions | null): string;
  /**
   * Visits over time, as JSON text: byte for byte what `rubrica trend --format json` prints.
   * `items` is a list of records or reports. On bad input: the `Failure` answer as JSON text.
   * With `{lang}`, the records are scored in that language and the engine's words (why a visit
   * is left out or a change not computed, what changed at a break, problems) are in it.
   */
  trend(items: object[] | string, by?: TrendBy | string | null, options?: TextOptions | null): string;
  /** Runs a rubric's self-test cases (as in a bundle: records inline). */
  runCases(rubricId: string, cases: NamedCase[] | string): CaseOutcome[];
  /**
   * Which `rating(…)` / `not_enough_evidence(…)` calls and levels of a loaded rubric the cases
   * reach, as `rubrica test --coverage` reports them.
   */
  caseCoverage(rubricId: string, cases: NamedCase[] | string): CoverageAnswer;
}

/** A parameter of a helper. */
export interface HelperParam {
  name: string;
  /** What to pass, in a trainer's words. */
  type: string;
}

/** A helper a rubric script may call. */
export interface HelperDoc {
  name: string;
  params: HelperParam[];
  /** How many of the last parameters may be left out. */
  optional: number;
  /** What it returns, in a trainer's words. */
  returns: string;
  /** What it is for, in one line. */
  doc: string;
}

/** A field of an object of the record, as scripts see it. */
export interface FieldDoc {
  name: string;
  type: "text" | "number" | "bool" | "text-or-number" | "list" | "map" | "object";
  /** For lists and maps: the object each entry is (`"Child"`), or `"text"`; for an object: its name (`"Place"`). */
  entries?: string;
  /** True when the field may be `()` (nothing recorded). */
  may_be_unit: boolean;
  /** The values a text field may hold, when there is a fixed list. */
  values?: string[];
  doc: string;
}

/** One kind of object in the record. */
export interface ObjectDoc {
  /** `Record` (the script's `r`), `Place`, `Caregiver`, `Child`, `Headcount`, `Item`, `Interview`, `Material`. */
  name: string;
  /** Where it sits in the record, e.g. `/children/*`. */
  path: string;
  fields: FieldDoc[];
}

/** The values an item of one type may hold (a choice item's come from its `options`). */
export interface ItemValues {
  /** `"yes-no"` or `"frequency"`. */
  type: ItemType;
  /** Its values, `"not-observed"` included. */
  values: string[];
}

/** The values a text field of the record may hold, as the record parser checks them. */
export interface RecordChoice {
  /** Where the field sits: a JSON pointer in which a `*` step is any list index or key. */
  path: string;
  /** Its values, in the order a form offers them. */
  values: string[];
  /** The value the engine reads when the field is left out, if it may be. */
  default?: string;
}

/** A size or range the record parser enforces on one field. */
export interface RecordLimit {
  /** Where the field sits: a JSON pointer in which a `*` step is any list index or key. */
  path: string;
  /** Smallest whole number, for a number. */
  min?: number;
  /** Largest whole number, for a number. */
  max?: number;
  /** Most characters, for text. */
  max_length?: number;
  /** Most entries, for a list. */
  max_items?: number;
}

/**
 * What a rubric script can name (`RubricaEngine.vocabulary()`), and what the coach's form
 * offers and checks.
 */
export interface Vocabulary {
  helpers: HelperDoc[];
  /** The record's objects; the first, `Record`, is the script's `r`. */
  objects: ObjectDoc[];
  item_values: ItemValues[];
  /** Every text field of the record with a fixed list of values. */
  record_choices: RecordChoice[];
  /** Every size and range the record parser enforces. */
  record_limits: RecordLimit[];
  /** The characters never shown as they are, as inclusive `[first, last]` code point ranges. */
  hidden_characters: [number, number][];
  /** The other kinds of record (reflections), each described as the fields above describe observations. */
  kinds: KindDoc[];
}

export interface KindDoc {
  format: RecordFormat;
  /** The record's objects; the first, `Record`, is the script's `r`. */
  objects: ObjectDoc[];
  record_choices: RecordChoice[];
  record_limits: RecordLimit[];
}

/** What `exportReport` writes: a record's results (`xapi`, `lti-ags`, `csv`) or the rubrics (`case`). */
export type ExportFormat = "xapi" | "lti-ags" | "csv" | "case";

/** Options of `exportReport`; every field has a default, and an unknown field is a failure. */
export interface ExportOptions {
  /** Base of the IRIs of activities, activity types and extensions, and of CASE `uri`s. */
  activity_base?: string;
  /** `homePage` of the xAPI accounts of caregivers and coaches. */
  account_home_page?: string;
  /** CSV only: start with a UTF-8 byte-order mark. */
  bom?: boolean;
  /** CASE only: `lastChangeDateTime` of every object, `YYYY-MM-DDThh:mm:ssZ`. */
  last_change?: string;
}

/** How `trend` groups visits: by a caregiver's id, or by the value at a JSON pointer. */
export interface TrendBy {
  caregiver?: string;
  pointer?: string;
}

/** A share of the compared ratings; `percent` is `null` when nothing was compared. */
export interface Share { count: number; of: number; percent: number | null; }
/** Cohen's kappa, or `null` with the reason when it is undefined (e.g. chance agreement of 1). */
export interface Kappa { value: number | null; reason?: string; }
export interface AgreementStats {
  compared: number;
  one_rated: number;
  neither_rated: number;
  exact: Share;
  within_one: Share;
  kappa: Kappa;
  quadratic_kappa: Kappa;
}
export interface AgreementVisit { record: string; observed_on: string; setting: string; observer: string | null; }
export interface RecordedItem { path: string; value: string | number; note?: string; }
export interface AgreementSide {
  outcome: "rated" | "not-enough-evidence" | "not-applicable";
  level?: number;
  label?: string;
  evidence: string[];
  recorded?: RecordedItem[];
  note?: string;
  reason?: string;
}
export interface AgreementDifference {
  pair: number;
  rubric: string;
  practice_title: string;
  indicator: string;
  title: string;
  apart: number | null;
  a: AgreementSide;
  b: AgreementSide;
}
export interface IndicatorAgreement extends AgreementStats { id: string; title: string; }
export interface PracticeAgreement extends AgreementStats {
  rubric: { id: string; version: string; practice: string; title: string };
  scale: number[];
  scale_source: "rubric" | "report";
  indicators: IndicatorAgreement[];
}
/** `JSON.parse(engine.agree(a, b))` when it is not a `Failure` (docs/agreement.md). */
export interface Agreement {
  format: "rubrica.agreement/1";
  pairs: { a: AgreementVisit; b: AgreementVisit }[];
  overall: AgreementStats;
  practices: PracticeAgreement[];
  differences: AgreementDifference[];
  not_rated: AgreementDifference[];
  not_compared: { pair: number; rubric: string; title: string; failed: "a" | "b" | "both" }[];
  warnings: string[];
}
export interface TrendVisit { record: string; observed_on: string; setting: string; observer: string | null; }
export interface TrendBreak { from: string; to: string; reason: string; }
export interface PracticePoint {
  visit: number;
  status: "rated" | "not-enough-evidence" | "could-not-score" | "not-in-visit";
  version: string | null;
  score: number | null;
  scale_max: number | null;
  coverage: { rated: number; total: number; percent: number; not_applicable: number } | null;
  change: number | null;
  no_change?: string;
  version_changed: boolean;
  break: TrendBreak | null;
}
export interface IndicatorPoint {
  visit: number;
  outcome: "rated" | "not-enough-evidence" | "not-applicable" | "not-in-visit";
  level: number | null;
  evidence: number;
  change: number | null;
}
export interface PracticeTrend {
  rubric: string;
  practice: string;
  title: string;
  points: PracticePoint[];
  indicators: { id: string; title: string; points: IndicatorPoint[] }[];
}
/** `JSON.parse(engine.trend(items, by))` when it is not a `Failure` (docs/trends.md). */
export interface Trend {
  format: "rubrica.trend/1";
  by: TrendBy;
  series: { subject: string | null; visits: TrendVisit[]; practices: PracticeTrend[] }[];
  left_out: { record: string; reason: string }[];
}

/** Options of `new RubricaEngine(options)`. */
export interface EngineOptions {
  limits?: Partial<Limits>;
}

/** Sandbox limits for rubric scripts (engine/src/runtime.rs). */
export interface Limits {
  /** Operations one indicator function may run (100 000). */
  max_operations: number;
  /** Milliseconds one rubric's evaluation may take, all indicators together (200). */
  deadline_ms: number;
  /** Bytes one indicator call may allocate beyond what was in use when it started (64 MiB). */
  max_memory_bytes: number;
  /** Nested function calls. */
  max_call_levels: number;
  /** Expression nesting at the top level of a script. */
  max_expr_depth: number;
  /** Expression nesting inside functions. */
  max_function_expr_depth: number;
  /** Bytes of text in one value a script builds (32 768); the record is not counted. */
  max_string_size: number;
  /** Entries in one array. */
  max_array_size: number;
  /** Entries in one object map. */
  max_map_size: number;
  /** Variables alive at once. */
  max_variables: number;
  /** Functions in one script. */
  max_functions: number;
  /** Parameters of one function or closure (16). */
  max_params: number;
  /** Bytes of script text. */
  max_script_bytes: number;
}

// ---------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------

/** The input had problems; nothing was changed. */
export interface Failure {
  type: "failure";
  errors: Diagnostic[];
}

export type BundleAnswer = { type: "success"; rubrics: RubricInfo[]; errors: Diagnostic[] } | Failure;
/** `warnings`: what `checkRubric`'s static checks warn about (left out when nothing). */
export type RubricAnswer = { type: "success"; rubric: RubricInfo; warnings?: Diagnostic[] } | Failure;
export type RecordAnswer =
  | { type: "success"; record: Observation | Reflection; warnings: Diagnostic[] }
  | Failure;
export type ResultAnswer = { type: "success"; result: RubricResult } | Failure;
export type ReportAnswer = { type: "success"; report: Report } | Failure;
export type CoverageAnswer = ({ type: "success" } & CaseCoverage) | Failure;
/** `text` is the export, byte for byte what `rubrica export` writes; save it as `file_name`. */
export type ExportAnswer =
  | { type: "success"; format: ExportFormat; media_type: string; file_name: string; text: string }
  | Failure;

// ---------------------------------------------------------------------------------------------
// Diagnostics (engine/src/diagnostic.rs; every code is described in docs/codes.md)
// ---------------------------------------------------------------------------------------------

/** Stable codes: `R01xx` records, `R02xx` rubrics and cases, `R03xx` evaluation. */
export type Code =
  | "R0100" | "R0101" | "R0102" | "R0103" | "R0104" | "R0105" | "R0106" | "R0107" | "R0108"
  | "R0109" | "R0110" | "R0150" | "R0151"
  | "R0201" | "R0202" | "R0203" | "R0204" | "R0210" | "R0211" | "R0212" | "R0213" | "R0214"
  | "R0301" | "R0302" | "R0303" | "R0304" | "R0305" | "R0306" | "R0307" | "R0308" | "R0309"
  | "R0310" | "R0311";

/** One problem, written for the person who must fix it. */
export interface Diagnostic {
  code: Code;
  severity: "error" | "warning";
  /** One lowercase line; user input in backticks. */
  message: string;
  /** What to change. */
  help?: string;
  /** `rubric.json`, `rubric.rhai`, `rubrics/<id>/rubric.rhai`, a case file… */
  file?: string;
  /** 1-based line in `file`. */
  line?: number;
  /** 1-based column in `file`. */
  column?: number;
  /** JSON pointer into the record or metadata, e.g. `/children/2/age_months`. */
  path?: string;
}

// ---------------------------------------------------------------------------------------------
// Rubrics (engine/src/rubric.rs)
// ---------------------------------------------------------------------------------------------

/** A loaded rubric: headline fields and the full metadata. */
/**
 * The language of the texts a method writes (docs/localisation.md): a tag such as `"es"`
 * (`"es-MX"` finds `"es"`). A rubric without it keeps its own language, and each result's
 * `language` says which. A language no loaded rubric has throws, naming those there are.
 */
export interface TextOptions {
  lang?: string;
}

export interface RubricInfo {
  id: string;
  version: string;
  practice: string;
  title: string;
  summary: string;
  meta: RubricMeta;
}

export type Practice =
  | "primary-caregiving"
  | "continuity-of-care"
  | "small-groups"
  | "individualized-care"
  | "culturally-responsive-care"
  | "inclusive-care";

export interface RubricMeta {
  format: "rubrica.rubric/1";
  id: string;
  version: string;
  /** One of the six PITC practices, or a further practice set. */
  practice: Practice | (string & {});
  /** The kind of record the rubric rates; left out for observations. */
  record?: RecordFormat;
  title: string;
  summary: string;
  languages: string[];
  scale: Scale;
  /** Percentage of indicators that must be rated for a practice score. */
  min_coverage_percent: number;
  indicators: Indicator[];
  /** What the coach captures; the form is generated from these. */
  items: ItemDef[];
  /** Opening reflective questions about what goes well. */
  questions: string[];
  /** The texts in each further language of `languages` (the first is the language of the fields above). */
  translations?: Record<string, Translation>;
}

/** One language's texts of a rubric, complete (docs/localisation.md). */
export interface Translation {
  title: string;
  summary: string;
  questions?: string[];
  /** Keyed by level value (`"1"`). */
  scale: Record<string, { label: string; descriptor: string }>;
  /** Keyed by indicator id. */
  indicators: Record<string, {
    title: string;
    evidence: string;
    strength: string;
    strengths?: Record<string, string>;
    next_step: string;
    next_steps?: Record<string, string>;
    questions: string[];
  }>;
  /** Keyed by item id; `options` keyed by option value. */
  items: Record<string, { label: string; help?: string; options?: Record<string, string> }>;
}

export interface Scale {
  /** Lowest to highest, consecutive integers. */
  levels: Level[];
  /** Ratings at or above this level are strengths; below it, growth areas. */
  strength_from: number;
}

export interface Level {
  value: number;
  label: string;
  descriptor: string;
}

export type IndicatorKind = "structural" | "process";

export interface Indicator {
  id: string;
  title: string;
  kind: IndicatorKind;
  /** What counts as evidence. */
  evidence: string;
  /** Record paths and item ids the indicator reads. */
  reads: string[];
  strength: string;
  next_step: string;
  questions: string[];
  /** When the indicator applies; otherwise it is "not applicable". */
  applies_when?: "a-child-has-an-ifsp" | "a-child-is-18-months-or-older";
  /** Strength text per level band: lowest level of the band (as text) → text. */
  strengths?: Record<string, string>;
  /** Next step per level band, like `strengths`. */
  next_steps?: Record<string, string>;
}

export type ItemType = "yes-no" | "count" | "frequency" | "choice" | "note";
export type Method = "observed" | "interview" | "materials";

export interface ItemDef {
  id: string;
  /** The question or prompt on the form. */
  label: string;
  /** Guidance for the coach: what to look for. */
  help?: string;
  type: ItemType;
  /**
   * The usual way to gather this evidence; on an observation rubric's items only (a
   * reflection's author is the source of every answer).
   */
  method?: Method;
  /** Options of a `choice` item (absent otherwise). */
  options?: Choice[];
  /** Smallest count allowed. */
  min?: number;
  /** Largest count allowed. */
  max?: number;
}

export interface Choice {
  value: string;
  label: string;
}

// ---------------------------------------------------------------------------------------------
// Records (engine/src/record.rs; docs/record-format.md)
// ---------------------------------------------------------------------------------------------

/** A validated observation record, in canonical form. */
/** The room (in a center) or home (family child care) a record was observed in: a pseudonymous id. */
export interface Place { kind: "room" | "home"; id: string; }

export interface Observation {
  format: "rubrica.observation/1";
  id: string;
  setting: Setting;
  /** `YYYY-MM-DD`. */
  observed_on: string;
  minutes: number;
  observer: string | null;
  /** The room or home observed; null when the record names none. */
  place: Place | null;
  caregivers: Caregiver[];
  children: Child[];
  headcounts: Headcount[];
  /** By rubric id, then item id. */
  items: Record<string, Record<string, Item>>;
  interviews: Interview[];
  materials: Material[];
  notes: string[];
  /** Host-defined data, kept as it is and never read by rubrics. */
  extra: Record<string, unknown> | null;
}

export type Setting = "center" | "family-child-care";

/** The format tags of the kinds of record the engine reads. */
export type RecordFormat =
  | "rubrica.observation/1"
  | "rubrica.ta-reflection/1"
  | "rubrica.family-partnership/1";

/**
 * A reflection on one working relationship over a period: a coach's or TA provider's with a
 * program (`rubrica.ta-reflection/1`), or a practitioner's with a family
 * (`rubrica.family-partnership/1`). docs/ta-reflection-format.md, docs/family-partnership-format.md.
 */
export interface Reflection {
  format: "rubrica.ta-reflection/1" | "rubrica.family-partnership/1";
  id: string;
  /** `YYYY-MM-DD`. */
  reflected_on: string;
  author: { id: string; role: string };
  partner: { id: string; kind: string };
  contacts: ReflectionContact[];
  goals: ReflectionGoal[];
  /** By rubric id, then item id. */
  items: Record<string, Record<string, { value: string | number; note: string | null }>>;
  notes: string[];
  extra: Record<string, unknown> | null;
}

export interface ReflectionContact {
  /** `YYYY-MM-DD`. */
  on: string;
  mode: string;
  minutes: number | null;
  initiated_by: "partner" | "author";
  topic: string | null;
}

export interface ReflectionGoal {
  id: string;
  set_by: "partner" | "jointly" | "author";
  status: "not-started" | "in-progress" | "met" | "set-aside";
  revisited: number;
}

export interface Caregiver {
  id: string;
  role: string;
  languages: string[];
}

export interface Child {
  id: string;
  age_months: number;
  primary_caregiver: string | null;
  /** Read from `primary_caregiver` when not given: an id, `null` (none assigned), left out (not recorded). */
  primary_status?: "assigned" | "none-assigned" | "not-recorded";
  months_with_primary: number | null;
  /** Months since the child started in this program. */
  months_in_care?: number | null;
  /** Moves to a new group or primary caregiver in this program. */
  moves?: number | null;
  home_languages: string[];
  ifsp: boolean;
}

export interface Headcount {
  /** `HH:MM`. */
  at: string;
  children: number;
  caregivers: number;
}

export interface Item {
  /** A yes/no or frequency word, a choice value, a note, `"not-observed"`, or a count. */
  value: string | number;
  method: Method;
  note: string | null;
}

export interface Interview {
  with: string;
  topic: string;
  answer: string;
}

export interface Material {
  title: string;
  kind: string;
  note: string | null;
}

// ---------------------------------------------------------------------------------------------
// Results and reports (engine/src/result.rs)
// ---------------------------------------------------------------------------------------------

/** Which engine wrote a result or report. */
export interface EngineInfo {
  name: "rubrica";
  /** The engine's version, e.g. `"0.1.0"`. */
  version: string;
}

/** One rubric's result for one record: `status` tells whether there is a `score`. */
export type RubricResult = RatedResult | UnratedResult;

/** A result with a practice score. */
export interface RatedResult extends ResultFields {
  status: "rated";
  /** Mean rated level to two decimals. */
  score: number;
}

/** Too few indicators had evidence for a score: this is not a low score. */
export interface UnratedResult extends ResultFields {
  status: "not-enough-evidence";
  score: null;
}

/** The fields every result has. */
export interface ResultFields {
  format: "rubrica.result/1";
  engine: EngineInfo;
  rubric: RubricRef;
  /** The language of the texts, only when one was asked for (`lang`): it, or the rubric's own. */
  language?: string;
  /** The record id. */
  record: string;
  status: "rated" | "not-enough-evidence";
  /** Mean rated level to two decimals; `null` when there is not enough evidence (not a low score). */
  score: number | null;
  /** The scale's top level, so a score reads as `score / scale_max`. */
  scale_max: number;
  coverage: Coverage;
  /** Strongest first. */
  strengths: Strength[];
  /** Closest to a strength first. */
  growth_areas: GrowthArea[];
  /** Opening questions, then growth areas, then missing evidence. */
  reflective_questions: ReflectiveQuestion[];
  /** At most five for one conversation: growth areas first, then missing evidence, then opening. */
  focused_questions: ReflectiveQuestion[];
  missing_evidence: MissingEvidence[];
  /** Every indicator, in rubric order. */
  indicators: IndicatorRating[];
  warnings: Diagnostic[];
}

export interface RubricRef {
  id: string;
  version: string;
  practice: string;
  title: string;
}

export interface Coverage {
  rated: number;
  total: number;
  /** Whole percentage. */
  percent: number;
  /** Indicators that do not apply to this group (not in `total`). */
  not_applicable: number;
}

export interface Strength {
  indicator: string;
  title: string;
  level: number;
  label: string;
  /** The strength, named. */
  text: string;
  note?: string;
  /** JSON pointers into the record. */
  evidence: string[];
}

export interface GrowthArea {
  indicator: string;
  title: string;
  level: number;
  label: string;
  next_step: string;
  note?: string;
  evidence: string[];
}

export interface ReflectiveQuestion {
  /** Absent for the rubric's opening questions. */
  indicator?: string;
  question: string;
}

export interface MissingEvidence {
  indicator: string;
  title: string;
  /** What was missing, from the script. */
  reason: string;
  /** What to gather next time, from the rubric. */
  gather: string;
}

/** One indicator's outcome: `outcome` tells whether it has a `level`. */
export type IndicatorRating = RatedIndicator | UnratedIndicator;

export interface IndicatorFields {
  id: string;
  title: string;
  kind: IndicatorKind;
  /** JSON pointers into the record (empty when not rated). */
  evidence: string[];
}

export interface RatedIndicator extends IndicatorFields {
  outcome: "rated";
  level: number;
  /** The level's label on the scale. */
  label: string;
  /** The script's note for the coach. */
  note?: string;
}

/** Not rated: the record lacks the evidence, or the indicator does not apply to this group. */
export interface UnratedIndicator extends IndicatorFields {
  outcome: "not-enough-evidence" | "not-applicable";
  level: null;
  label: null;
  /** What is missing, or why it does not apply. */
  reason: string;
}

/** One practice's entry in a report. */
export type PracticeEntry =
  | { type: "success"; result: RubricResult }
  | { type: "failure"; rubric: string; title: string; errors: Diagnostic[] };

/** Results of every loaded rubric for one record, the six practices first in their usual order. */
export interface Report {
  format: "rubrica.report/1";
  engine: EngineInfo;
  /** The language asked for (`lang`), only when one was. */
  language?: string;
  record: string;
  /** The record's format, only for a record that is not an observation. */
  record_format?: Exclude<RecordFormat, "rubrica.observation/1">;
  /** Absent for a reflection record. */
  setting?: Setting;
  /** The visit date; for a reflection, the date of the reflection. */
  observed_on: string;
  /** Absent for a reflection record. */
  minutes?: number;
  /** Warnings about the record itself. */
  warnings: Diagnostic[];
  practices: PracticeEntry[];
}

// ---------------------------------------------------------------------------------------------
// Bundles and self-test cases (engine/src/cases.rs, `rubrica bundle`)
// ---------------------------------------------------------------------------------------------

/** One rubric of `rubrics.json`: metadata and script as text, cases with records inline. */
export interface BundledRubric {
  id: string;
  /** `rubric.json` text. */
  meta: string;
  /** `rubric.rhai` text. */
  script: string;
  cases?: NamedCase[];
}

export interface NamedCase {
  name: string;
  case: Case;
}

/** A self-test case: a record and the rating expected for every indicator. */
export interface Case {
  description: string;
  /** The record itself (a file path only works on the command line). */
  record: object | string;
  /** JSON pointer → new value, applied to the record before scoring. */
  set?: Record<string, unknown>;
  /** Indicator id → level, `"not-enough-evidence"` or `"not-applicable"`. */
  expect: Record<string, number | "not-enough-evidence" | "not-applicable">;
  /** Indicator id → the exact note (or reason) expected. */
  notes?: Record<string, string>;
  /** Indicator id → the exact evidence paths expected, in order. */
  evidence?: Record<string, string[]>;
}

/** Payload of `caseCoverage`. */
export interface CaseCoverage {
  coverage: CoverageReport;
  /** Problems of cases that could not be read; they were left out. */
  skipped: Diagnostic[];
}

/** Which calls and levels of one rubric its cases reach. */
export interface CoverageReport {
  rubric: string;
  script_file: string;
  /** Cases run. */
  cases: number;
  indicators: IndicatorCoverage[];
  /** Calls outside the indicator functions. */
  shared: SiteCoverage[];
  counts: { sites: number; sites_reached: number; levels: number; levels_reached: number };
}

export interface IndicatorCoverage {
  id: string;
  sites: SiteCoverage[];
  /** Lowest level first, `"not-enough-evidence"` last. */
  levels: LevelCoverage[];
}

/** A `rating(…)` or `not_enough_evidence(…)` call (1-based line and column of its name). */
export interface SiteCoverage {
  line: number;
  column: number;
  call: "rating" | "not_enough_evidence";
  /** The level, when `rating` is called with a number literal. */
  level?: number;
  /** The top-level function the call is in. */
  function?: string;
  /** Cases whose indicator value came from this call. */
  reached_by: string[];
}

export interface LevelCoverage {
  /** `"not-applicable"` only when the rubric's `applies_when` ruled the indicator out. */
  level: number | "not-enough-evidence" | "not-applicable";
  /** True when a call in the script returns this level literally. */
  in_script: boolean;
  produced_by: string[];
}

export interface CaseOutcome {
  name: string;
  description: string;
  passed: boolean;
  /** One per indicator that differed, or the errors that stopped the case. */
  problems: Diagnostic[];
  /** The full result, when scoring succeeded. */
  result?: RubricResult;
}
