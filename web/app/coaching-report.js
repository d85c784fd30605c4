// Coaching report (`#/report`): one caregiver's report to print and talk through. From the
// latest visit's engine report (`RubricaEngine.evaluateAll`, the same as `rubrica score --format
// json`): strengths first, growth areas as next steps, the focused questions; then the score of
// each practice over the visits (`RubricaEngine.trend`, drawn with the trends view's chart), and
// the shared goals agreed with the caregiver, their steps and progress (goals.js).
// Evidence is named in words (the rubric item's label), never as a record path. Nothing is
// scored here; the view only lays out the engine's answers.

import { h, replace, announce } from "./dom.js";
import * as store from "./store.js";
import { diagnosticList } from "./render.js";
import { caregiverIds, localizeTrend, scaleOf, trendChart } from "./trends.js";
import { itemOf } from "./agree.js";
import { goalsReport } from "./goals.js";
import { t, engineOptions } from "./i18n.js";

/**
 * Builds the view. `ctx` is `{engine, rubrics}`: the started engine and its rubrics
 * (`engine.rubrics()`). Resolves to the view's element once the saved observations are read.
 */
export async function coachingReportView(ctx) {
  let drafts = [];
  try {
    drafts = (await store.listDrafts()) || [];
  } catch (e) {
    announce(t("store.observationsUnread", { reason: e.message }));
  }
  let goals = [];
  try {
    goals = (await store.listGoals()) || [];
  } catch (e) {
    announce(t("store.goalsUnread", { reason: e.message }));
  }
  const records = [];
  // Observations the engine cannot read are left out, and named with the engine's first error.
  const skipped = [];
  for (const d of drafts) {
    const r = d && d.record && typeof d.record === "object" ? d.record : null;
    if (!r) {
      if (d) skipped.push({ key: d.key, record: {}, error: { message: t("report.noRecord") } });
      continue;
    }
    const valid = ctx.engine.validateRecord(JSON.stringify(r), engineOptions());
    if (valid && valid.type === "success") records.push(r);
    else skipped.push({ key: d.key, record: r, error: (valid && valid.errors && (valid.errors.find((e) => e.severity !== "warning") || valid.errors[0])) || { message: t("report.noAnswer") } });
  }
  const caregivers = caregiverIds(records);
  const rubrics = new Map((ctx.rubrics || []).map((r) => [r.id, r]));

  const results = h("div", { class: "coach-report", "data-testid": "coaching-report" });
  const select = h(
    "select",
    { id: "report-who", "data-testid": "report-who", onchange: () => show(true) },
    caregivers.map(([id, n]) => h("option", { value: id }, `${id} (${t("report.visits", { count: n })})`)),
  );

  function show(announceIt) {
    const who = select.value;
    results.dataset.state = "failed";
    let trend;
    try {
      trend = localizeTrend(JSON.parse(ctx.engine.trend(records, { caregiver: who }, engineOptions())), ctx.rubrics);
    } catch (e) {
      trend = { errors: [{ message: t("report.notJson", { reason: e.message }) }] };
    }
    const series = trend && trend.format === "rubrica.trend/1" ? trend.series[0] : null;
    if (!series || !series.visits.length) {
      replace(results, h("div", { class: "notice error", role: "alert" }, h("p", {}, t("report.notLinedUp")), diagnosticList((trend && trend.errors) || [])));
      return;
    }
    const latest = series.visits[series.visits.length - 1];
    const record = [...records].reverse().find((r) => r.id === latest.record && r.observed_on === latest.observed_on);
    const answer = record ? ctx.engine.evaluateAll(JSON.stringify(record), engineOptions()) : null;
    if (!answer || answer.type !== "success") {
      replace(results, h("div", { class: "notice error", role: "alert" }, h("p", {}, t("report.latestFailed")), diagnosticList((answer && answer.errors) || [])));
      return;
    }
    results.dataset.state = "shown";
    results.dataset.caregiver = who;
    replace(results, renderReport(who, answer.report, series, rubrics, goals.filter((g) => g.caregiver === who)));
    if (announceIt) announce(t("report.for", { who }));
  }

  const view = h(
    "div",
    { class: "report-view" },
    h("div", { class: "report-head" }, h("h1", {}, t("report.title")), records.length ? h("button", { type: "button", class: "report-print", "data-testid": "report-print", onclick: () => window.print() }, t("report.print")) : null),
    h("p", { class: "lede report-controls" }, t("report.lede")),
    skipped.length ? skippedNotice(skipped, rubrics) : null,
    records.length
      ? [h("div", { class: "field trend-pick report-controls" }, h("label", { for: "report-who" }, t("report.caregiver")), select), results]
      : h("p", { class: "notice", "data-testid": "report-empty" }, t(skipped.length ? "report.noneReadable" : "report.noneSaved"), " ", h("a", { href: "#/" }, t("report.recordOrImport")), " ", t("report.toMake")),
  );
  if (records.length) show(false);
  return view;
}

/**
 * The observations left out of the report (not printed): each named, with a link to open it, and
 * the engine's first error, where it is said in words (never a record path).
 */
function skippedNotice(skipped, rubrics) {
  return h(
    "section",
    { class: "notice report-controls", "aria-labelledby": "report-skipped-h", "data-testid": "report-skipped" },
    h("h2", { id: "report-skipped-h" }, t("report.leftOut", { count: skipped.length })),
    h("p", {}, t("report.leftOutHelp")),
    h(
      "ul",
      {},
      skipped.map(({ key, record, error }) =>
        h(
          "li",
          { "data-testid": "report-skipped-item", "data-key": key },
          h("a", { href: `#/obs/${encodeURIComponent(key)}` }, typeof record.id === "string" && record.id ? record.id : t("home.noId")),
          typeof record.observed_on === "string" && record.observed_on ? ` (${record.observed_on})` : "",
          ": ",
          typeof error.path === "string" ? `${evidenceWords(error.path, rubrics)}: ` : "",
          error.message,
        ),
      ),
    ),
  );
}

function renderReport(who, report, series, rubrics, goals) {
  const visits = series.visits;
  const results = report.practices.filter((p) => p.type === "success").map((p) => p.result);
  const entry = (r, e, body) =>
    h(
      "li",
      { "data-rubric": r.rubric.id, "data-indicator": e.indicator },
      h("p", { class: "entry-title" }, h("span", { class: "report-practice" }, `${r.rubric.title}: `), e.title, " ", h("span", { class: "badge level" }, `${e.level} ${e.label}`)),
      body,
      e.note ? h("p", { class: "seen" }, h("span", { class: "k" }, t("result.seen")), e.note) : null,
      e.evidence && e.evidence.length ? h("p", { class: "small report-evidence" }, h("span", { class: "k" }, t("report.evidence")), e.evidence.map((p) => evidenceWords(p, rubrics)).join("; ")) : null,
    );
  const strengths = results.flatMap((r) => r.strengths.map((s) => entry(r, s, h("p", {}, s.text))));
  const growth = results.flatMap((r) => r.growth_areas.map((g) => entry(r, g, h("p", {}, h("span", { class: "k" }, t("result.nextStep")), g.next_step))));
  const questions = results.flatMap((r) => (r.focused_questions || []).map((q) => h("li", { "data-rubric": r.rubric.id }, h("span", { class: "report-practice" }, `${r.rubric.title}: `), h("span", { class: "report-question" }, q.question))));
  const section = (id, testid, title, items, empty) =>
    h(
      "section",
      { class: "report-section", "aria-labelledby": id, "data-testid": testid },
      h("h2", { id }, title),
      items.length ? h("ul", { class: "report-list" }, items) : h("p", { class: "muted" }, empty),
    );
  return [
    h(
      "p",
      { class: "report-meta", "data-testid": "report-meta" },
      t("report.meta", {
        who,
        date: report.observed_on,
        setting: t(report.setting === "center" ? "setting.centerLower" : "setting.homeLower"),
        minutes: t("result.minutes", { count: report.minutes }),
        visits: t("report.visits", { count: visits.length }),
        since: visits[0].observed_on,
      }),
    ),
    section("report-strengths-h", "report-strengths", t("result.strengths"), strengths, t("report.noStrengths")),
    section("report-growth-h", "report-growth", t("result.growthAreas"), growth, t("report.noGrowth")),
    section("report-questions-h", "report-questions", t("report.questions"), questions, t("report.noQuestions")),
    h(
      "section",
      { class: "report-section", "aria-labelledby": "report-trend-h", "data-testid": "report-trends" },
      h("h2", { id: "report-trend-h" }, t("report.overVisits")),
      series.practices.map((p, i) =>
        h(
          "figure",
          { class: "trend-figure report-chart", "data-rubric": p.rubric },
          h("figcaption", {}, rubrics.get(p.rubric)?.title ?? p.title),
          trendChart(p, visits, scaleOf(rubrics.get(p.rubric)), `report-c${i}`),
        ),
      ),
    ),
    h(
      "section",
      { class: "report-section", "aria-labelledby": "report-goals-h", "data-testid": "report-goals" },
      h("h2", { id: "report-goals-h" }, t("report.goals")),
      goalsReport(goals, series, rubrics),
    ),
  ];
}

// The record's top-level fields cited as evidence, named in words (message keys `field.<name>`).
const FIELD_WORDS = {
  caregivers: "evidence.caregivers",
  children: "evidence.children",
  headcounts: "evidence.headcounts",
  minutes: "evidence.minutes",
  setting: "evidence.setting",
  observed_on: "evidence.observedOn",
  observer: "evidence.observer",
  place: "evidence.place",
  interviews: "evidence.interviews",
  materials: "evidence.materials",
  notes: "evidence.notes",
};
// One entry of a list, numbered (`child 4`).
const ONE_OF = { children: "evidence.child", caregivers: "evidence.caregiver", headcounts: "evidence.headcount", interviews: "evidence.interview", materials: "evidence.material" };
// A field of a list's entry (`child 4: months in care`), in words (docs/record-format.md).
const ENTRY_FIELD_WORDS = {
  id: "evidence.field.id",
  age_months: "evidence.field.ageMonths",
  primary_caregiver: "evidence.field.primaryCaregiver",
  primary_status: "evidence.field.primaryStatus",
  months_with_primary: "evidence.field.monthsWithPrimary",
  months_in_care: "evidence.field.monthsInCare",
  moves: "evidence.field.moves",
  home_languages: "evidence.field.homeLanguages",
  ifsp: "evidence.field.ifsp",
  role: "evidence.field.role",
  languages: "evidence.field.languages",
  at: "evidence.field.at",
  children: "evidence.field.children",
  caregivers: "evidence.field.caregivers",
  with: "evidence.field.with",
  topic: "evidence.field.topic",
  answer: "evidence.field.answer",
  title: "evidence.field.title",
  kind: "evidence.field.kind",
  note: "evidence.field.note",
};

/**
 * What a record path cites, in words: the rubric item's label (`rubrics`: a Map of rubric id →
 * rubric), or the record field named plainly (`/children/3/ifsp` → `child 4: IFSP`).
 */
export function evidenceWords(path, rubrics) {
  const cited = /^\/items\/([^/]+)\//.exec(path);
  const item = cited ? itemOf(path, rubrics.get(cited[1].replaceAll("~1", "/").replaceAll("~0", "~"))) : null;
  if (item) return item.label;
  const parts = String(path)
    .split("/")
    .slice(1)
    .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
  if (!parts.length || !parts[0]) return t("evidence.record");
  const [top, index, field] = parts;
  const words = (s) => s.replaceAll("_", " ").replace(/\bifsp\b/i, "IFSP");
  if (top === "items") return t("evidence.items", { what: parts.slice(2).length ? words(parts.slice(2).join(" ")) : parts[1] || t("evidence.theItems") });
  const base = FIELD_WORDS[top] ? t(FIELD_WORDS[top]) : words(top);
  if (index === undefined) return base;
  const n = Number(index);
  const who = Number.isInteger(n) ? (ONE_OF[top] ? t(ONE_OF[top], { n: n + 1 }) : `${words(top)} ${n + 1}`) : words(index);
  return field ? `${who}: ${ENTRY_FIELD_WORDS[field] ? t(ENTRY_FIELD_WORDS[field]) : words(field)}` : who;
}
