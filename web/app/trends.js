// Trends view (`#/trends`): one caregiver's, room's or home's visits over time, or every saved observation, as
// the engine lines them up (`RubricaEngine.trend`, the same JSON as `rubrica trend --format
// json`, docs/trends.md). Per practice: a chart of the score at each visit with rubric version
// breaks marked, the numbers behind it in a table, and each indicator's levels over the visits.
// No score or change is computed here; the chart only places the engine's numbers.

import { h, replace, announce, visible } from "./dom.js";
import * as store from "./store.js";
import { diagnosticList } from "./render.js";
import { t, formatNumber, engineOptions } from "./i18n.js";

const SVG = "http://www.w3.org/2000/svg";
const ALL = "";

/**
 * Builds the view. `ctx` is `{engine, rubrics}`: the started engine and its rubrics
 * (`engine.rubrics()`). Resolves to the view's element once the saved observations are read.
 */
export async function trendsView(ctx) {
  let drafts = [];
  try {
    drafts = (await store.listDrafts()) || [];
  } catch (e) {
    announce(t("store.observationsUnread", { reason: e.message }));
  }
  // The records the engine accepts; one it finds wrong is left out here and named.
  const records = [];
  const withProblems = [];
  for (const d of drafts) {
    const r = d && d.record && typeof d.record === "object" ? d.record : null;
    if (!r) continue;
    const valid = ctx.engine.validateRecord(JSON.stringify(r));
    if (valid && valid.type === "success") records.push(r);
    else withProblems.push({ key: d.key, label: typeof r.id === "string" && r.id ? r.id : t("home.noId") });
  }
  const caregivers = caregiverIds(records);
  const places = placeIds(records);
  const scales = new Map((ctx.rubrics || []).map((r) => [r.id, scaleOf(r)]));

  const results = h("div", { class: "trends", "data-testid": "trends" });
  const select = h(
    "select",
    { id: "trend-who", "data-testid": "trend-who", onchange: () => show(true) },
    caregivers.map(([id, n]) => h("option", { value: id }, t("trends.caregiverOption", { id, observations: observations(n) }))),
    // A room's or home's visits: the records naming that place, lined up by the engine as one
    // series (`rubrica trend --by /place/id` on the same records).
    places.map(([kind, id, n]) => h("option", { value: placeValue(kind, id), "data-place-kind": kind, "data-place-id": id }, t(`trends.${kind}Option`, { id, observations: observations(n) }))),
    h("option", { value: ALL }, t("trends.allOption", { count: records.length })),
  );

  function show(announceIt) {
    const who = select.value;
    const option = select.selectedOptions[0];
    const place = option && option.dataset.placeKind ? { kind: option.dataset.placeKind, id: option.dataset.placeId } : null;
    const label = who === ALL ? t("trends.allLabel") : place ? t(`trends.${place.kind}Label`, { id: place.id }) : t("trends.caregiverLabel", { id: who });
    const text = place
      ? ctx.engine.trend(
          records.filter((r) => r.place && r.place.kind === place.kind && r.place.id === place.id),
          { pointer: "/place/id" },
          engineOptions(),
        )
      : ctx.engine.trend(records, who === ALL ? {} : { caregiver: who }, engineOptions());
    let trend;
    try {
      trend = localizeTrend(JSON.parse(text), ctx.rubrics);
    } catch (e) {
      trend = { type: "failure", errors: [{ message: t("report.notJson", { reason: e.message }) }] };
    }
    if (!trend || trend.format !== "rubrica.trend/1") {
      results.dataset.state = "failed";
      replace(results, h("div", { class: "notice error", role: "alert" }, h("p", {}, t("trends.notLinedUp")), diagnosticList(trend.errors || [])));
      if (announceIt) announce(t("trends.notLinedUpShort"));
      return;
    }
    results.dataset.state = "shown";
    if (place) {
      delete results.dataset.caregiver;
      results.dataset.place = `${place.kind}/${place.id}`;
    } else {
      delete results.dataset.place;
      results.dataset.caregiver = who;
    }
    replace(results, renderTrend(trend, scales, who, label));
    if (announceIt) {
      const visits = trend.series.reduce((n, s) => n + s.visits.length, 0);
      announce(t("trends.showing", { label, visits: t("report.visits", { count: visits }) }));
    }
  }

  const view = h(
    "div",
    { class: "trends-view" },
    h("h1", {}, t("trends.title")),
    h(
      "p",
      { class: "lede" },
      t("trends.lede"),
    ),
    withProblems.length
      ? h(
          "div",
          { class: "notice", role: "note", "data-testid": "trend-problems" },
          h("p", {}, t("trends.withProblems")),
          h("ul", {}, withProblems.map((p) => h("li", {}, h("a", { href: `#/obs/${encodeURIComponent(p.key)}` }, p.label)))),
        )
      : null,
    records.length
      ? [
          h("div", { class: "field trend-pick" }, h("label", { for: "trend-who" }, t("trends.whose")), select),
          h("p", { class: "muted small" }, t("trends.idsNote")),
          results,
        ]
      : h("p", { class: "notice", "data-testid": "trend-empty" }, t("report.noneSaved"), " ", h("a", { href: "#/" }, t("report.recordOrImport")), " ", t("trends.toSee")),
  );
  if (records.length) show(false);
  return view;
}

/** The caregiver ids across the records, with how many records list each, sorted by id. */
export function caregiverIds(records) {
  const count = new Map();
  for (const r of records) {
    const ids = new Set((Array.isArray(r.caregivers) ? r.caregivers : []).map((c) => c && c.id).filter((id) => typeof id === "string" && id));
    for (const id of ids) count.set(id, (count.get(id) || 0) + 1);
  }
  return [...count].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The kinds of place the view lists, rooms first. */
const PLACE_KINDS = ["room", "home"];
const observations = (n) => t("data.observations", { count: n });
/** An option value for a place that no caregiver id can equal (ids have no control characters). */
const placeValue = (kind, id) => `\u0001${kind}\u0001${id}`;

/** The rooms and homes the records name (`place`), as `[kind, id, count]`, rooms first, by id. */
export function placeIds(records) {
  const count = new Map();
  for (const r of records) {
    const p = r && r.place;
    if (!p || !PLACE_KINDS.includes(p.kind) || typeof p.id !== "string" || !p.id) continue;
    const key = placeValue(p.kind, p.id);
    const seen = count.get(key);
    if (seen) seen[2] += 1;
    else count.set(key, [p.kind, p.id, 1]);
  }
  const order = PLACE_KINDS;
  return [...count.values()].sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]) || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
}

/**
 * The engine's trend (`rubrica.trend/1`) with each practice's and indicator's title in the app's
 * language, taken from `rubrics` (`engine.rubrics({lang})`): the trend itself is written with the
 * rubrics' own texts. A rubric or indicator not loaded keeps the title the trend gives.
 */
export function localizeTrend(trend, rubrics) {
  if (!trend || !Array.isArray(trend.series)) return trend;
  const byId = new Map((rubrics || []).map((r) => [r.id, r]));
  for (const series of trend.series) {
    for (const p of series.practices || []) {
      const r = byId.get(p.rubric);
      if (!r) continue;
      p.title = r.title;
      const titles = new Map(((r.meta && r.meta.indicators) || []).map((i) => [i.id, i.title]));
      for (const ind of p.indicators || []) ind.title = titles.get(ind.id) ?? ind.title;
    }
  }
  return trend;
}

/** A rubric's scale as `{min, max, labels: Map(value → label)}`, or null when it has none. */
export function scaleOf(rubric) {
  const levels = rubric && rubric.meta && rubric.meta.scale && Array.isArray(rubric.meta.scale.levels) ? rubric.meta.scale.levels : [];
  const values = levels.map((l) => l.value).filter((v) => typeof v === "number");
  if (!values.length) return null;
  return { min: Math.min(...values), max: Math.max(...values), labels: new Map(levels.map((l) => [l.value, l.label])) };
}

// ---------------------------------------------------------------------------------------------
// Words

const num = (x) => formatNumber(x, 2);
/** A change in words, never by colour alone: `up 0.29`, `down 1`, `the same`. */
function changeWords(c, digits = 2) {
  if (c === 0) return t("trends.same");
  return t(c > 0 ? "trends.up" : "trends.down", { change: formatNumber(Math.abs(c), digits) });
}
// The words for a visit without a score and an indicator not rated (message keys).
const STATUS = {
  "not-enough-evidence": "trends.statusNotEnough",
  "could-not-score": "trends.statusCouldNot",
  "not-in-visit": "trends.statusNotInVisit",
};
const OUTCOME = {
  "not-enough-evidence": "trends.outcomeNotEnough",
  "not-applicable": "trends.outcomeNotApplicable",
  "not-in-visit": "trends.outcomeNotInVisit",
};
const setting = (s) => (s === "family-child-care" ? t("trends.familyChildCare") : s === "center" ? t("setting.centerLower") : s);

// ---------------------------------------------------------------------------------------------
// The trend

function renderTrend(trend, scales, who, label) {
  const out = [];
  const many = trend.series.length > 1;
  if (!trend.series.length) {
    out.push(h("p", { class: "notice", "data-testid": "trend-none" }, who === ALL ? t("trends.noVisits") : t("trends.noneNames", { label })));
  }
  trend.series.forEach((series, si) => {
    const prefix = `t${si}`;
    const visits = series.visits;
    const name = series.subject === null ? t("trends.allName") : who === ALL ? String(series.subject) : label.charAt(0).toUpperCase() + label.slice(1);
    out.push(
      h(
        "section",
        { class: "trend-series", "aria-labelledby": `${prefix}-h`, "data-testid": "trend-series" },
        h("h2", { id: `${prefix}-h` }, `${name}: ${t("report.visits", { count: visits.length })}`),
        h(
          "ol",
          { class: "trend-visits", "data-testid": "trend-visits" },
          visits.map((v) => h("li", {}, h("strong", {}, v.observed_on), ` — ${v.record}, ${setting(v.setting)}${v.observer ? `, ${t("trends.coach", { id: v.observer })}` : ""}`)),
        ),
        summary(series, prefix),
        series.practices.map((p, pi) => practiceSection(p, visits, scales.get(p.rubric) || null, `${prefix}-p${pi}`)),
      ),
    );
  });
  if (trend.left_out.length) {
    out.push(
      h(
        "section",
        { class: "block", "aria-labelledby": "trend-left-h", "data-testid": "trend-left-out" },
        h("h2", { id: "trend-left-h" }, t("trends.leftOut")),
        h("ul", { class: "trend-left" }, trend.left_out.map((l) => h("li", {}, h("strong", {}, l.record), `: ${l.reason}`))),
      ),
    );
  }
  return out;
}

/** Strengths first: what grew since the last visit, what held, then what to look at together. */
function summary(series, prefix) {
  const up = [];
  const down = [];
  for (const p of series.practices) {
    const last = p.points[p.points.length - 1];
    if (!last || last.change === null) continue;
    if (last.change > 0) up.push(`${p.title} (${changeWords(last.change)})`);
    else if (last.change < 0) down.push(`${p.title} (${changeWords(last.change)})`);
  }
  const indUp = [];
  const indDown = [];
  for (const p of series.practices) {
    for (const ind of p.indicators) {
      const last = ind.points[ind.points.length - 1];
      if (!last || last.change === null || last.change === 0) continue;
      (last.change > 0 ? indUp : indDown).push(`${p.title} — ${ind.title}: ${changeWords(last.change, 0)} ${t("trends.levels", { count: Math.abs(last.change) })}`);
    }
  }
  if (series.visits.length < 2) return h("p", { class: "muted", "data-testid": "trend-summary" }, t("trends.oneVisit"));
  return h(
    "div",
    { class: "trend-summary", "data-testid": "trend-summary" },
    h("h3", { id: `${prefix}-grow-h` }, t("trends.growing")),
    indUp.length || up.length
      ? h("ul", { class: "trend-up" }, [...up.map((x) => t("trends.practiceScore", { change: x })), ...indUp].map((x) => h("li", {}, h("span", { "aria-hidden": "true" }, "▲ "), x)))
      : h("p", { class: "muted" }, t("trends.noneUp")),
    indDown.length || down.length
      ? [
          h("h3", { id: `${prefix}-look-h` }, t("trends.lookTogether")),
          h("ul", { class: "trend-down" }, [...down.map((x) => t("trends.practiceScore", { change: x })), ...indDown].map((x) => h("li", {}, h("span", { "aria-hidden": "true" }, "▼ "), x))),
        ]
      : null,
  );
}

function practiceSection(p, visits, scale, id) {
  const last = [...p.points].reverse().find((pt) => pt.score !== null);
  const head = last
    ? last.change !== null
      ? t("trends.latestChange", { score: num(last.score), max: last.scale_max, date: visits[last.visit].observed_on, change: changeWords(last.change) })
      : t("trends.latest", { score: num(last.score), max: last.scale_max, date: visits[last.visit].observed_on })
    : t("trends.noScoreYet");
  const breaks = p.points.filter((pt) => pt.break);
  return h(
    "section",
    { class: "trend-practice", "aria-labelledby": `${id}-h`, "data-testid": "trend-practice", "data-rubric": p.rubric },
    h("h3", { id: `${id}-h` }, p.title),
    h("p", {}, head),
    breaks.length
      ? h(
          "p",
          { class: "notice trend-break-note", "data-testid": "trend-break-note" },
          breaks.map((pt) => `${t("trends.breakNote", { date: visits[pt.visit].observed_on, from: pt.break.from, to: pt.break.to, reason: pt.break.reason })} `),
        )
      : null,
    h("figure", { class: "trend-figure" }, trendChart(p, visits, scale, id)),
    scoreTable(p, visits, id),
    indicatorTable(p, visits, id),
  );
}

// ---------------------------------------------------------------------------------------------
// The chart

export const CHART = { width: 640, height: 300, left: 56, right: 24, top: 34, bottom: 58 };

/**
 * Where the chart places each visit, as plain numbers (no DOM): `points` (the visits with a score:
 * `{visit, x, y, score}`), `lines` (runs of points joined by a line: never across a visit without a
 * score, nor across a break), `breaks` (`{visit, x, from, to, reason}`, the line is drawn halfway
 * between the visit before and the visit after the break), `gaps` (visits without a score, with
 * `{visit, x, status}`) and `y` (the axis: `{min, max}`). Higher scores are higher on the chart
 * (smaller `y`).
 */
export function chartModel(practice, visits, scale) {
  const c = CHART;
  const scaleMax = practice.points.map((p) => p.scale_max).find((m) => typeof m === "number");
  const max = scale ? scale.max : scaleMax ?? Math.max(1, ...practice.points.map((p) => p.score ?? 0));
  const min = scale ? Math.min(scale.min, ...practice.points.map((p) => p.score ?? scale.min)) : 0;
  const plotW = c.width - c.left - c.right;
  const plotH = c.height - c.top - c.bottom;
  const n = visits.length;
  const pad = 28;
  const xOf = (i) => (n <= 1 ? c.left + plotW / 2 : c.left + pad + (i * (plotW - 2 * pad)) / (n - 1));
  const yOf = (s) => c.top + ((max - s) / (max - min || 1)) * plotH;
  const points = [];
  const lines = [];
  const breaks = [];
  const gaps = [];
  let run = [];
  const endRun = () => {
    if (run.length) lines.push(run);
    run = [];
  };
  for (const pt of practice.points) {
    const x = xOf(pt.visit);
    if (pt.break) {
      endRun();
      const prev = pt.visit > 0 ? xOf(pt.visit - 1) : x - pad;
      breaks.push({ visit: pt.visit, x: (prev + x) / 2, from: pt.break.from, to: pt.break.to, reason: pt.break.reason });
    }
    if (typeof pt.score === "number") {
      const p = { visit: pt.visit, x, y: yOf(pt.score), score: pt.score };
      points.push(p);
      run.push(p);
    } else {
      endRun();
      gaps.push({ visit: pt.visit, x, status: pt.status });
    }
  }
  endRun();
  return { points, lines, breaks, gaps, y: { min, max }, yOf };
}

/** An SVG element in the SVG namespace; text children are shown as text, never parsed. */
function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined && v !== false) el.setAttribute(k, String(v));
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(visible(child)));
  }
  return el;
}

/** In words, what the chart shows: its text alternative. */
export function chartDescription(practice, visits) {
  const scored = practice.points.filter((p) => typeof p.score === "number");
  const max = practice.points.map((p) => p.scale_max).find((m) => typeof m === "number");
  const parts = [];
  if (!scored.length) parts.push(t("trends.chartNone", { title: practice.title }));
  else {
    parts.push(
      `${t(max ? "trends.chartScoredOf" : "trends.chartScored", { title: practice.title, scored: scored.length, count: visits.length, max })}: ` +
        practice.points.map((p) => `${visits[p.visit].observed_on} ${typeof p.score === "number" ? num(p.score) : t("trends.noScore")}`).join("; ") +
        ".",
    );
  }
  for (const p of practice.points) {
    if (p.break) parts.push(t("trends.chartBreak", { date: visits[p.visit].observed_on, from: p.break.from, to: p.break.to }));
  }
  return parts.join(" ");
}

/** The practice score over the visits as an SVG line chart (role img, title and description). */
export function trendChart(practice, visits, scale, id) {
  const c = CHART;
  const m = chartModel(practice, visits, scale);
  const x0 = c.left;
  const x1 = c.width - c.right;
  const yBottom = c.height - c.bottom;
  const ticks = [];
  for (let v = Math.ceil(m.y.min); v <= m.y.max; v += 1) ticks.push(v);
  const every = Math.max(1, Math.ceil(visits.length / 6));
  return s(
    "svg",
    {
      class: "trend-chart",
      viewBox: `0 0 ${c.width} ${c.height}`,
      role: "img",
      "aria-labelledby": `${id}-ct ${id}-cd`,
      "data-testid": "trend-chart",
      preserveAspectRatio: "xMidYMid meet",
    },
    s("title", { id: `${id}-ct` }, t("trends.chartTitle", { title: practice.title })),
    s("desc", { id: `${id}-cd` }, chartDescription(practice, visits)),
    // The scale: a grid line and the level at each whole step.
    ticks.map((v) =>
      s(
        "g",
        { class: "tick" },
        s("line", { x1: x0, x2: x1, y1: m.yOf(v), y2: m.yOf(v), class: "grid" }),
        s("text", { x: x0 - 10, y: m.yOf(v) + 5, "text-anchor": "end", class: "axis-label" }, String(v)),
      ),
    ),
    s("text", { x: 12, y: c.top - 14, class: "axis-title" }, t("trends.score")),
    s("line", { x1: x0, x2: x1, y1: yBottom, y2: yBottom, class: "axis" }),
    // The visits: dates under the axis.
    visits.map((v, i) =>
      i % every === 0 || i === visits.length - 1
        ? s("text", { x: chartX(i, visits.length), y: yBottom + 24, "text-anchor": "middle", class: "axis-label date" }, v.observed_on)
        : null,
    ),
    s("text", { x: (x0 + x1) / 2, y: c.height - 8, "text-anchor": "middle", class: "axis-title" }, t("trends.visitDate")),
    // Breaks: a dashed line and words, never a line across.
    m.breaks.map((b) =>
      s(
        "g",
        { class: "break", "data-testid": "trend-break", "data-visit": b.visit },
        s("line", { x1: b.x, x2: b.x, y1: c.top - 6, y2: yBottom, class: "break-line" }),
        s("text", { x: b.x, y: c.top - 14, "text-anchor": "middle", class: "break-label" }, t("trends.breakLabel", { from: b.from, to: b.to })),
      ),
    ),
    m.lines.filter((run) => run.length > 1).map((run) => s("polyline", { points: run.map((p) => `${p.x},${p.y}`).join(" "), class: "line", "data-testid": "trend-line", "data-visits": run.map((p) => p.visit).join(" ") })),
    m.points.map((p) =>
      s(
        "g",
        { class: "point" },
        s("circle", { cx: p.x, cy: p.y, r: 7, "data-testid": "trend-point", "data-visit": p.visit, "data-score": p.score }),
        s("text", { x: p.x, y: p.y - 14, "text-anchor": "middle", class: "value" }, num(p.score)),
      ),
    ),
    m.gaps.map((g) =>
      s(
        "g",
        { class: "gap", "data-testid": "trend-gap", "data-visit": g.visit },
        s("rect", { x: g.x - 6, y: yBottom - 12, width: 12, height: 12, class: "gap-mark" }),
        s("text", { x: g.x, y: yBottom - 18, "text-anchor": "middle", class: "value muted" }, t("trends.noScore")),
      ),
    ),
  );
}

/** The x of visit `i` when it has no point (same placement as `chartModel`). */
function chartX(i, n) {
  const c = CHART;
  const plotW = c.width - c.left - c.right;
  return n <= 1 ? c.left + plotW / 2 : c.left + 28 + (i * (plotW - 56)) / (n - 1);
}

// ---------------------------------------------------------------------------------------------
// The tables

function scrollRegion(label, table) {
  // Scrolls sideways on a narrow screen: focusable, so the keyboard can scroll it too.
  return h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": label }, table);
}

function scoreTable(p, visits, id) {
  const caption = t("trends.chartTitle", { title: p.title });
  return scrollRegion(
    caption,
    h(
      "table",
      { class: "trend-table", "data-testid": "trend-table", id: `${id}-table` },
      h("caption", {}, caption),
      h("thead", {}, h("tr", {}, ["trends.visitDate", "trends.score", "trends.changeSince", "trends.coverage", "trends.version"].map((k) => h("th", { scope: "col" }, t(k))))),
      h(
        "tbody",
        {},
        p.points.map((pt) =>
          h(
            "tr",
            { "data-testid": "trend-row", "data-visit": pt.visit },
            h("th", { scope: "row" }, visits[pt.visit].observed_on),
            h(
              "td",
              { "data-col": "score" },
              typeof pt.score === "number"
                ? [h("data", { value: String(pt.score) }, num(pt.score)), pt.scale_max ? ` ${t("trends.of", { max: pt.scale_max })}` : ""]
                : h("span", { class: "muted" }, STATUS[pt.status] ? t(STATUS[pt.status]) : pt.status),
            ),
            h(
              "td",
              { "data-col": "change" },
              pt.change !== null ? h("data", { value: String(pt.change) }, changeWords(pt.change)) : h("span", { class: "muted" }, pt.break ? t("trends.notCompared") : pt === p.points[0] ? t("trends.firstVisit") : pt.no_change || "—"),
            ),
            h(
              "td",
              { "data-col": "coverage" },
              pt.coverage
                ? [
                    h("data", { value: String(pt.coverage.rated) }, String(pt.coverage.rated)),
                    ` ${t("trends.coverageOf")} `,
                    h("data", { value: String(pt.coverage.total) }, String(pt.coverage.total)),
                    ` ${t("trends.indicatorsRated", { count: pt.coverage.total })} (`,
                    h("data", { value: String(pt.coverage.percent) }, `${pt.coverage.percent}%`),
                    ")",
                    pt.coverage.not_applicable ? `; ${t("trends.didNotApply", { count: pt.coverage.not_applicable })}` : "",
                  ]
                : h("span", { class: "muted" }, "—"),
            ),
            h(
              "td",
              { "data-col": "version" },
              pt.version ?? "—",
              pt.break ? h("span", { class: "trend-flag" }, ` — ${t("trends.changedBecause", { reason: pt.break.reason })}`) : pt.version_changed ? h("span", { class: "trend-flag" }, ` — ${t("trends.newVersion")}`) : null,
            ),
          ),
        ),
      ),
    ),
  );
}

function indicatorTable(p, visits, id) {
  const caption = t("trends.indCaption", { title: p.title });
  const levelCell = (ip) =>
    h(
      "td",
      { "data-visit": ip.visit, "data-outcome": ip.outcome },
      ip.outcome === "rated"
        ? [h("data", { value: String(ip.level) }, String(ip.level)), ip.change ? h("span", { class: "small" }, ` (${changeWords(ip.change, 0)})`) : null]
        : h("span", { class: "muted small" }, OUTCOME[ip.outcome] ? t(OUTCOME[ip.outcome]) : ip.outcome),
    );
  return h(
    "details",
    { class: "trend-indicators" },
    h("summary", {}, t("trends.indSummary", { title: p.title })),
    scrollRegion(
      caption,
      h(
        "table",
        { class: "trend-table trend-ind-table", "data-testid": "trend-indicators", id: `${id}-ind` },
        h("caption", {}, caption),
        h(
          "thead",
          {},
          h("tr", {}, h("th", { scope: "col" }, t("result.indicator")), visits.map((v) => h("th", { scope: "col" }, v.observed_on)), h("th", { scope: "col" }, t("trends.changeSince"))),
        ),
        h(
          "tbody",
          {},
          p.indicators.map((ind) => {
            const last = ind.points[ind.points.length - 1];
            return h(
              "tr",
              { "data-testid": "trend-indicator-row", "data-indicator": ind.id },
              h("th", { scope: "row" }, ind.title),
              ind.points.map(levelCell),
              h("td", { "data-col": "change" }, last && last.change !== null ? changeWords(last.change, 0) : h("span", { class: "muted" }, "—")),
            );
          }),
        ),
      ),
    ),
  );
}
