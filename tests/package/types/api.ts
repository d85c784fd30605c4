// Compiled with tsc --strict (lib es2022, @types/node, no DOM) and run in Node against the real
// module, installed from the packed tarball: the declarations must hold for the values the
// engine really returns. RUBRICA_REPORT is `rubrica score --format json` of the record given as
// the first argument.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import init, { initSync, RubricaEngine } from "rubrica-web";
import type {
  Agreement,
  AgreementDifference,
  AgreementSide,
  AgreementStats,
  AgreementVisit,
  BundledRubric,
  Child,
  Code,
  Coverage,
  Diagnostic,
  ExportFormat,
  IndicatorAgreement,
  IndicatorPoint,
  IndicatorRating,
  Kappa,
  Limits,
  Observation,
  PracticeAgreement,
  PracticePoint,
  PracticeTrend,
  RecordedItem,
  Reflection,
  ReflectionContact,
  ReflectionGoal,
  Report,
  ResultFields,
  RubricInfo,
  RubricResult,
  Share,
  Trend,
  TrendVisit,
  Vocabulary,
} from "rubrica-web";

let checks = 0;
const check = (ok: boolean, what: string): void => {
  assert.ok(ok, what);
  checks++;
};

// In Node the entry has loaded the module from disk: init and initSync resolve at once.
await init();
initSync(readFileSync(new URL(import.meta.resolve("rubrica-web/rubrica_web_bg.wasm"))));

const bundle: BundledRubric[] = JSON.parse(readFileSync(new URL(import.meta.resolve("rubrica-web/rubrics.json")), "utf8"));
const recordText = readFileSync(process.argv[2], "utf8");
const cliReport = process.env.RUBRICA_REPORT ?? "";
check(cliReport.startsWith("{"), "RUBRICA_REPORT holds the CLI's report");

const engine = new RubricaEngine();
check(RubricaEngine.version() === JSON.parse(cliReport).engine.version, "version() is the engine version in the report");
check(engine.limits().max_operations > 0, "limits()");

// loadBundle: the eight rubrics (the six practices, then the two reflection sets).
const loaded = engine.loadBundle(bundle);
if (loaded.type === "failure") throw new Error(loaded.errors.map((d) => d.message).join("\n"));
check(loaded.errors.length === 0, "the shipped bundle loads without errors");
check(loaded.rubrics.length === 8 && loaded.rubrics.length === bundle.length, "eight rubrics");
check(
  JSON.stringify(engine.rubrics().filter((r) => r.meta.record !== undefined).map((r) => r.meta.record).sort()) ===
    JSON.stringify(["rubrica.family-partnership/1", "rubrica.ta-reflection/1"]),
  "two rubrics name the reflection kind they rate; the others rate observations",
);
check(
  JSON.stringify(engine.rubrics().map((r) => r.id)) === JSON.stringify(loaded.rubrics.map((r) => r.id)),
  "rubrics() lists what loadBundle loaded",
);
for (const info of engine.rubrics()) {
  check(info.meta.format === "rubrica.rubric/1" && info.meta.id === info.id, `${info.id}: meta`);
  check(info.meta.scale.levels.every((l) => typeof l.value === "number" && typeof l.label === "string"), `${info.id}: scale`);
}

// validateRecord: the canonical record, and a failure with a JSON path.
const valid = engine.validateRecord(recordText);
if (valid.type === "failure") throw new Error("the example record is valid");
const validRecord = valid.record;
if (validRecord.format !== "rubrica.observation/1") throw new Error("the example record is an observation");
check(validRecord.id === JSON.parse(recordText).id, "validateRecord: the record");
check(validRecord.children.every((c) => typeof c.age_months === "number"), "children's ages are numbers");
const broken = JSON.parse(recordText);
broken.children[1].age_months = "ten";
const invalid = engine.validateRecord(broken);
check(invalid.type === "failure", "a text age is an error");
if (invalid.type === "failure") {
  const d: Diagnostic = invalid.errors[0];
  const code: Code = d.code;
  check(code === "R0101" && d.path === "/children/1/age_months" && d.severity === "error", "R0101 at the child's age");
  // With {lang}, the same problem in Spanish: the code and path as they are, the words not.
  const inSpanish = engine.validateRecord(broken, { lang: "es" });
  check(
    inSpanish.type === "failure" && inSpanish.errors[0].code === code && inSpanish.errors[0].path === d.path &&
      inSpanish.errors[0].message !== d.message,
    "validateRecord({lang: es}): the same code and path in Spanish words",
  );
}



// reportJson: byte for byte the CLI's report; evaluateAll: the same report as an object.
check(engine.reportJson(recordText) === cliReport, "reportJson is `rubrica score --format json`");
const all = engine.evaluateAll(recordText);
if (all.type === "failure") throw new Error("the example record scores");
const report: Report = all.report;
check(JSON.stringify(report) === JSON.stringify(JSON.parse(cliReport)), "evaluateAll's report is the CLI's");
check(report.format === "rubrica.report/1" && report.engine.name === "rubrica", "report format and engine");

// evaluate, one rubric at a time: the report's entry; a score, once narrowed, is the mean of
// the rated levels in hundredths rounded half up, as the engine documents it.
const rated = (i: IndicatorRating): number | undefined => (i.outcome === "rated" ? i.level : undefined);
for (const entry of report.practices) {
  if (entry.type === "failure") throw new Error(`${entry.rubric} could not rate the example`);
  const answer = engine.evaluate(entry.result.rubric.id, recordText);
  if (answer.type === "failure") throw new Error(answer.errors[0].message);
  const result: RubricResult = answer.result;
  check(JSON.stringify(result) === JSON.stringify(entry.result), `${result.rubric.id}: evaluate is the report's entry`);
  // evaluateJson is the native bytes: inside the CLI's report as they are (JSON.stringify would
  // write a score of 4.0 as 4).
  const resultJson = engine.evaluateJson(result.rubric.id, recordText);
  check(cliReport.includes(`{"type":"success","result":${resultJson}}`), `${result.rubric.id}: evaluateJson is the report's bytes`);
  const levels = result.indicators.map(rated).filter((l): l is number => l !== undefined);
  check(levels.length === result.coverage.rated, `${result.rubric.id}: coverage counts the rated indicators`);
  if (result.status === "rated") {
    const sum = levels.reduce((a, b) => a + b, 0);
    const hundredths = Math.floor((sum * 200 + levels.length) / (2 * levels.length));
    check(Math.round(result.score * 100) === hundredths, `${result.rubric.id}: score ${result.score} is the mean of ${levels}`);
  } else {
    check(result.score === null && result.missing_evidence.length > 0, `${result.rubric.id}: no score, missing evidence`);
  }
  for (const i of result.indicators) {
    if (i.outcome === "rated") check(typeof i.label === "string" && i.evidence.length > 0, `${i.id}: rated with evidence`);
    else check(i.level === null && i.label === null && i.reason.length > 0, `${i.id}: a reason`);
  }
  for (const s of result.strengths) check(s.evidence.every((p) => p.startsWith("/")), `${s.indicator}: evidence paths`);
}

// Failures: an unknown rubric, malformed JSON, a script that does not compile.
const unknown = engine.evaluate("no-such-rubric", recordText);
check(unknown.type === "failure" && unknown.errors[0].code === "R0201", "an unknown rubric is R0201");
const truncated = engine.evaluateAll("{");
check(truncated.type === "failure" && truncated.errors[0].code === "R0100" && truncated.errors[0].line === 1, "malformed JSON is R0100 with a line");
check(JSON.parse(engine.reportJson("{")).type === "failure", "reportJson of malformed JSON is the failure answer");
const meta = JSON.parse(bundle[0].meta);
const bad = engine.checkRubric(meta, "fn x( {");
check(bad.type === "failure" && bad.errors[0].file === "rubric.rhai" && bad.errors[0].line === 1 && typeof bad.errors[0].column === "number", "a syntax error has a file, line and column");
const good = engine.checkRubric(bundle[0].meta, bundle[0].script);
check(good.type === "success" && good.rubric.id === bundle[0].id, "checkRubric of a shipped rubric");
check(engine.loadBundle("[1]").type === "failure", "a malformed bundle is a failure");
check(engine.rubrics().length === 8, "failed loads leave the loaded rubrics alone");
check(RubricaEngine.vocabulary().objects[0].name === "Record", "vocabulary: the record first");
// The declared fields are the real ones: each list names every key of its type (tsc checks the
// list against the declaration), and the engine's objects have exactly those keys.
const fields = <T>(keys: Record<keyof T, true>): string[] => Object.keys(keys).sort();
const sameKeys = (value: object, declared: string[], what: string): void =>
  check(JSON.stringify(Object.keys(value).sort()) === JSON.stringify(declared), `${what}: fields ${Object.keys(value).sort()} are declared as ${declared}`);
const t = true as const;
const optionalKeys = (value: object, declared: string[], optional: string[], what: string): void => {
  const keys = Object.keys(value);
  check(
    keys.every((k) => declared.includes(k)) && declared.every((k) => keys.includes(k) || optional.includes(k)),
    `${what}: fields ${keys.sort()} are declared as ${declared} (optional: ${optional})`,
  );
};
sameKeys(engine.limits(), fields<Limits>({
  max_operations: t, deadline_ms: t, max_memory_bytes: t, max_call_levels: t, max_expr_depth: t, max_function_expr_depth: t,
  max_string_size: t, max_array_size: t, max_map_size: t, max_variables: t, max_functions: t, max_params: t, max_script_bytes: t,
}), "Limits");
const reportKeys = fields<Report>({
  format: t, engine: t, language: t, record: t, record_format: t, setting: t, observed_on: t, minutes: t, warnings: t, practices: t,
});
optionalKeys(report, reportKeys, ["language", "record_format"], "Report");
check(report.language === undefined, "a report without `lang` has no `language`");
const firstResult = report.practices[0].type === "success" ? report.practices[0].result : undefined;
if (!firstResult) throw new Error("the first practice has a result");
const resultKeys = fields<ResultFields>({
  format: t, engine: t, language: t, rubric: t, record: t, status: t, score: t, scale_max: t, coverage: t, strengths: t, growth_areas: t,
  reflective_questions: t, focused_questions: t, missing_evidence: t, indicators: t, warnings: t,
});
optionalKeys(firstResult, resultKeys, ["language"], "RubricResult");

// In Spanish: the same ratings, the texts of the rubrics' translations, and `language` said.
check(JSON.stringify(engine.languages()) === JSON.stringify(["en", "es"]), `languages() ${engine.languages()}`);
const spanish = engine.evaluateAll(recordText, { lang: "es" });
if (spanish.type === "failure") throw new Error("the example record scores in Spanish");
optionalKeys(spanish.report, reportKeys, ["record_format"], "Report in Spanish");
check(spanish.report.language === "es", "the Spanish report says its language");
spanish.report.practices.forEach((entry, i) => {
  const english = report.practices[i];
  if (entry.type === "failure" || english.type === "failure") throw new Error("every practice rates the example");
  sameKeys(entry.result, resultKeys, `${entry.result.rubric.id} in Spanish`);
  check(entry.result.language === "es", `${entry.result.rubric.id}: its texts are Spanish`);
  check(
    JSON.stringify(entry.result.indicators.map(rated)) === JSON.stringify(english.result.indicators.map(rated)),
    `${entry.result.rubric.id}: the same levels in both languages`,
  );
});
const infos = engine.rubrics({ lang: "es" });
check(infos[0].title !== engine.rubrics()[0].title && infos[0].id === engine.rubrics()[0].id, "rubrics({lang}) gives the Spanish titles");
let refused = "";
try {
  engine.evaluateAll(recordText, { lang: "fr" });
} catch (e) {
  refused = String(e);
}
check(refused.includes("fr"), `a language no rubric has is refused: ${refused}`);
sameKeys(firstResult.coverage, fields<Coverage>({ rated: t, total: t, percent: t, not_applicable: t }), "Coverage");
const observation: Observation = validRecord;
sameKeys(observation, fields<Observation>({
  format: t, id: t, setting: t, observed_on: t, minutes: t, observer: t, place: t, caregivers: t, children: t, headcounts: t, items: t,
  interviews: t, materials: t, notes: t, extra: t,
}), "Observation");
// A child's optional fields are the ones the canonical record may leave out.
const childKeys = fields<Child>({
  id: t, age_months: t, primary_caregiver: t, primary_status: t, months_with_primary: t, months_in_care: t, moves: t, home_languages: t, ifsp: t,
});
for (const child of observation.children) check(Object.keys(child).every((k) => childKeys.includes(k)), `child ${child.id}: every field is declared`);
const info: RubricInfo = engine.rubrics()[0];
sameKeys(info, fields<RubricInfo>({ id: t, version: t, practice: t, title: t, summary: t, meta: t }), "RubricInfo");
const vocabulary: Vocabulary = RubricaEngine.vocabulary();
sameKeys(vocabulary, fields<Vocabulary>({
  helpers: t, objects: t, item_values: t, record_choices: t, record_limits: t, hidden_characters: t, kinds: t,
}), "Vocabulary");
check(
  JSON.stringify(vocabulary.kinds.map((k) => k.format)) === JSON.stringify(["rubrica.ta-reflection/1", "rubrica.family-partnership/1"]) &&
    vocabulary.kinds.every((k) => k.objects[0].name === "Record" && k.record_choices.length > 0 && k.record_limits.length > 0),
  "vocabulary().kinds describes the two reflection kinds",
);

// A reflection record: its own shape, rated only by the rubric written for its kind.
const taReflection = {
  format: "rubrica.ta-reflection/1", id: "ta-1", reflected_on: "2026-03-02",
  author: { id: "ta-07", role: "coach" }, partner: { id: "prog-12", kind: "program" },
  contacts: [{ on: "2026-02-10", mode: "on-site", initiated_by: "partner" }],
  goals: [{ id: "g1", set_by: "jointly", status: "in-progress" }],
};
const validReflection = engine.validateRecord(taReflection);
if (validReflection.type === "failure") throw new Error(validReflection.errors.map((d) => d.message).join("\n"));
const reflectionRecord = validReflection.record;
if (reflectionRecord.format === "rubrica.observation/1") throw new Error("a reflection is not an observation");
const reflection: Reflection = reflectionRecord;
sameKeys(reflection, fields<Reflection>({
  format: t, id: t, reflected_on: t, author: t, partner: t, contacts: t, goals: t, items: t, notes: t, extra: t,
}), "Reflection");
sameKeys(reflection.contacts[0], fields<ReflectionContact>({ on: t, mode: t, minutes: t, initiated_by: t, topic: t }), "ReflectionContact");
sameKeys(reflection.goals[0], fields<ReflectionGoal>({ id: t, set_by: t, status: t, revisited: t }), "ReflectionGoal");
const reflected = engine.evaluateAll(taReflection);
if (reflected.type === "failure") throw new Error("a valid reflection is rated");
check(
  reflected.report.record_format === "rubrica.ta-reflection/1" && reflected.report.setting === undefined &&
    reflected.report.minutes === undefined && reflected.report.observed_on === "2026-03-02",
  "a reflection's report says its format, with no setting or minutes",
);
check(
  reflected.report.practices.length === 1 &&
    reflected.report.practices.every((p) => (p.type === "success" ? p.result.rubric.id : p.rubric) === "relationship-based-ta"),
  "only the rubric for TA reflections rates a TA reflection",
);
check(vocabulary.hidden_characters.every(([first, last]) => first <= last), "hidden characters are ranges");
check(vocabulary.record_choices.some((c) => c.path === "/setting" && c.values.includes(observation.setting)), "the record's setting is a choice");
// Every method of the real class is declared, and every declared one is there.
type Methods = Exclude<keyof RubricaEngine, symbol>;
const methods = fields<Record<Methods, unknown>>({
  free: t, limits: t, loadBundle: t, loadRubric: t, checkRubric: t, rubrics: t, validateRecord: t, evaluate: t, evaluateAll: t,
  evaluateJson: t, reportJson: t, reportText: t, exportReport: t, agree: t, trend: t, runCases: t, caseCoverage: t, languages: t,
});
const real = Object.getOwnPropertyNames(RubricaEngine.prototype).filter((m) => m !== "constructor" && !m.startsWith("__")).sort();
check(JSON.stringify(real) === JSON.stringify(methods), `RubricaEngine's methods ${real} are declared as ${methods}`);
check(typeof RubricaEngine.prototype[Symbol.dispose] === "function", "Symbol.dispose");

// The exports, agreement and trends: answers and JSON text as declared.
const csv = engine.exportReport(recordText, "csv");
check(csv.type === "success" && csv.format === "csv" && csv.file_name.endsWith(".csv") && csv.text.length > 0, "exportReport: csv");
const unknownFormat = engine.exportReport(recordText, "pdf" as ExportFormat);
check(unknownFormat.type === "failure" && unknownFormat.errors.length > 0, "exportReport: an unknown format is a failure");
const sameVisit = JSON.parse(engine.agree(recordText, recordText));
check(typeof sameVisit === "object" && sameVisit.type !== "failure", "agree: the same visit twice");
check(JSON.parse(engine.trend([JSON.parse(recordText)])).type !== "failure", "trend: one visit");

// Agreement and trend JSON: every object has exactly its declared fields (optional ones may be
// left out). A second coach rates calm atmosphere lower and leaves one-to-one moments out, so
// there is a difference and an indicator only one coach rated; the second visit is a month later.
const coachB = JSON.parse(recordText);
coachB.observer = "coach-b";
coachB.items["small-groups"]["calm-atmosphere"].value = "some";
delete coachB.items["small-groups"]["one-to-one-moments"];
const agreementText = engine.agree(recordText, coachB);
const agreement: Agreement = JSON.parse(agreementText);
sameKeys(agreement, fields<Agreement>({
  format: t, pairs: t, overall: t, practices: t, differences: t, not_rated: t, not_compared: t, warnings: t,
}), "Agreement");
check(agreement.format === "rubrica.agreement/1" && agreement.differences.length > 0 && agreement.not_rated.length > 0, "agree: a difference and an indicator one coach rated");
const statsKeys = fields<AgreementStats>({
  compared: t, one_rated: t, neither_rated: t, exact: t, within_one: t, kappa: t, quadratic_kappa: t,
});
sameKeys(agreement.overall, statsKeys, "AgreementStats");
sameKeys(agreement.overall.exact, fields<Share>({ count: t, of: t, percent: t }), "Share");
optionalKeys(agreement.overall.kappa, fields<Kappa>({ value: t, reason: t }), ["reason"], "Kappa");
sameKeys(agreement.pairs[0].a, fields<AgreementVisit>({ record: t, observed_on: t, setting: t, observer: t }), "AgreementVisit");
const practice: PracticeAgreement = agreement.practices[0];
sameKeys(practice, fields<PracticeAgreement>({
  ...Object.fromEntries(statsKeys.map((k) => [k, t])) as Record<keyof AgreementStats, true>,
  rubric: t, scale: t, scale_source: t, indicators: t,
}), "PracticeAgreement");
sameKeys(practice.indicators[0], fields<IndicatorAgreement>({
  ...Object.fromEntries(statsKeys.map((k) => [k, t])) as Record<keyof AgreementStats, true>,
  id: t, title: t,
}), "IndicatorAgreement");
const sideKeys = fields<AgreementSide>({ outcome: t, level: t, label: t, evidence: t, recorded: t, note: t, reason: t });
const sideOptional = ["level", "label", "recorded", "note", "reason"];
for (const d of [...agreement.differences, ...agreement.not_rated]) {
  sameKeys(d, fields<AgreementDifference>({
    pair: t, rubric: t, practice_title: t, indicator: t, title: t, apart: t, a: t, b: t,
  }), "AgreementDifference");
  optionalKeys(d.a, sideKeys, sideOptional, `${d.indicator}: side a`);
  optionalKeys(d.b, sideKeys, sideOptional, `${d.indicator}: side b`);
  for (const item of [...(d.a.recorded ?? []), ...(d.b.recorded ?? [])]) {
    optionalKeys(item, fields<RecordedItem>({ path: t, value: t, note: t }), ["note"], "RecordedItem");
  }
}
check(agreementText === engine.agree(JSON.parse(recordText), JSON.stringify(coachB)), "agree: objects and JSON text give the same answer");

const later = JSON.parse(recordText);
later.id = `${later.id}-later`;
later.observed_on = `${Number(later.observed_on.slice(0, 4)) + 1}${later.observed_on.slice(4)}`;
const trend: Trend = JSON.parse(engine.trend([JSON.parse(recordText), coachB, later]));
sameKeys(trend, fields<Trend>({ format: t, by: t, series: t, left_out: t }), "Trend");
check(trend.format === "rubrica.trend/1" && trend.series.length === 1 && trend.series[0].visits.length === 3, "trend: three visits in one series");
const series = trend.series[0];
sameKeys(series, fields<Trend["series"][number]>({ subject: t, visits: t, practices: t }), "Trend series");
sameKeys(series.visits[0], fields<TrendVisit>({ record: t, observed_on: t, setting: t, observer: t }), "TrendVisit");
const practiceTrend: PracticeTrend = series.practices[0];
sameKeys(practiceTrend, fields<PracticeTrend>({ rubric: t, practice: t, title: t, points: t, indicators: t }), "PracticeTrend");
const pointKeys = fields<PracticePoint>({
  visit: t, status: t, version: t, score: t, scale_max: t, coverage: t, change: t, no_change: t, version_changed: t, break: t,
});
for (const p of practiceTrend.points) optionalKeys(p, pointKeys, ["no_change"], `${practiceTrend.rubric}: point ${p.visit}`);
check(practiceTrend.points.some((p) => p.change !== null), "trend: a change since the last visit");
for (const i of practiceTrend.indicators) {
  for (const p of i.points) sameKeys(p, fields<IndicatorPoint>({ visit: t, outcome: t, level: t, evidence: t, change: t }), `${i.id}: point ${p.visit}`);
}
engine.free();

process.stdout.write(`api: ${checks} checks passed\n`);
