// Trends view (`#/trends`): one caregiver's, room's or home's visits over time, or every saved observation, as
// the engine lines them up (`RubricaEngine.trend`, the same JSON as `rubrica trend --format
// json`, docs/trends.md). Per practice: a chart of the score at each visit with rubric version
// breaks marked, the numbers behind it in a table, and each indicator's levels over the visits.
// No score or change is computed here; the chart only places the engine's numbers.

import { h, replace, announce, visible } from "./dom.js";
import * as store from "./store.js";
import { diagnosticList } from "./render.js";

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
    announce(`The saved observations could not be read: ${e.message}`);
  }
  // The records the engine accepts; one it finds wrong is left out here and named.
  const records = [];
  const withProblems = [];
  for (const d of drafts) {
    const r = d && d.record && typeof d.record === "object" ? d.record : null;
    if (!r) continue;
    const valid = ctx.engine.validateRecord(JSON.stringify(r));
    if (valid && valid.type === "success") records.push(r);
    else withProblems.push({ key: d.key, label: typeof r.id === "string" && r.id ? r.id : "(no id yet)" });
  }
  const caregivers = caregiverIds(records);
  const places = placeIds(records);
  const scales = new Map((ctx.rubrics || []).map((r) => [r.id, scaleOf(r)]));

  const results = h("div", { class: "trends", "data-testid": "trends" });
  const select = h(
    "select",
    { id: "trend-who", "data-testid": "trend-who", onchange: () => show(true) },
    caregivers.map(([id, n]) => h("option", { value: id }, `Caregiver ${id} (${observations(n)})`)),
    // A room's or home's visits: the records naming that place, lined up by the engine as one
    // series (`rubrica trend --by /place/id` on the same records).
    places.map(([kind, id, n]) => h("option", { value: placeValue(kind, id), "data-place-kind": kind, "data-place-id": id }, `${PLACE_WORDS[kind]} ${id} (${observations(n)})`)),
    h("option", { value: ALL }, `All saved observations (${records.length})`),
  );

  function show(announceIt) {
    const who = select.value;
    const option = select.selectedOptions[0];
    const place = option && option.dataset.placeKind ? { kind: option.dataset.placeKind, id: option.dataset.placeId } : null;
    const label = who === ALL ? "all saved observations" : place ? `${PLACE_WORDS[place.kind].toLowerCase()} ${place.id}` : `caregiver ${who}`;
    const text = place
      ? ctx.engine.trend(
          records.filter((r) => r.place && r.place.kind === place.kind && r.place.id === place.id),
          { pointer: "/place/id" },
        )
      : ctx.engine.trend(records, who === ALL ? {} : { caregiver: who });
    let trend;
    try {
      trend = JSON.parse(text);
    } catch (e) {
      trend = { type: "failure", errors: [{ message: `The engine's answer is not JSON: ${e.message}` }] };
    }
    if (!trend || trend.format !== "rubrica.trend/1") {
      results.dataset.state = "failed";
      replace(results, h("div", { class: "notice error", role: "alert" }, h("p", {}, "The visits could not be lined up:"), diagnosticList(trend.errors || [])));
      if (announceIt) announce("The visits could not be lined up");
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
      announce(`Showing ${label}: ${visits} ${visits === 1 ? "visit" : "visits"}`);
    }
  }

  const view = h(
    "div",
    { class: "trends-view" },
    h("h1", {}, "Trends over time"),
    h(
      "p",
      { class: "lede" },
      "How a caregiver's, a room's or a home's practice looks across your visits, oldest first: each practice's score at every visit, the change since the visit before, and how much evidence each visit had. A visit with less evidence is not a lower visit, and one change is one observation: use it to start a conversation.",
    ),
    withProblems.length
      ? h(
          "div",
          { class: "notice", role: "note", "data-testid": "trend-problems" },
          h("p", {}, "Not in the trends until their problems are fixed (open them to see where):"),
          h("ul", {}, withProblems.map((p) => h("li", {}, h("a", { href: `#/obs/${encodeURIComponent(p.key)}` }, p.label)))),
        )
      : null,
    records.length
      ? [
          h("div", { class: "field trend-pick" }, h("label", { for: "trend-who" }, "Whose visits"), select),
          h("p", { class: "muted small" }, "Caregivers, rooms and homes are listed by the pseudonymous ids written in the observations."),
          results,
        ]
      : h("p", { class: "notice", "data-testid": "trend-empty" }, "No saved observations yet. ", h("a", { href: "#/" }, "Record or import observations"), " to see how practice changes over your visits."),
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

/** How a place's kind is named on screen. */
const PLACE_WORDS = { room: "Room", home: "Home" };
const observations = (n) => `${n} ${n === 1 ? "observation" : "observations"}`;
/** An option value for a place that no caregiver id can equal (ids have no control characters). */
const placeValue = (kind, id) => `\u0001${kind}\u0001${id}`;

/** The rooms and homes the records name (`place`), as `[kind, id, count]`, rooms first, by id. */
export function placeIds(records) {
  const count = new Map();
  for (const r of records) {
    const p = r && r.place;
    if (!p || !PLACE_WORDS[p.kind] || typeof p.id !== "string" || !p.id) continue;
    const key = placeValue(p.kind, p.id);
    const seen = count.get(key);
    if (seen) seen[2] += 1;
    else count.set(key, [p.kind, p.id, 1]);
  }
  const order = Object.keys(PLACE_WORDS);
  return [...count.values()].sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]) || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
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

const num = (x) => x.toFixed(2);
/** A change in words, never by colour alone: `up 0.29`, `down 1`, `the same`. */
function changeWords(c, digits = 2) {
  if (c === 0) return "the same";
  return `${c > 0 ? "up" : "down"} ${Math.abs(c).toFixed(digits)}`;
}
const STATUS = {
  "not-enough-evidence": "not enough evidence (not a low score)",
  "could-not-score": "could not be scored",
  "not-in-visit": "not scored at this visit",
};
const OUTCOME = {
  "not-enough-evidence": "not enough evidence",
  "not-applicable": "does not apply",
  "not-in-visit": "not in this visit",
};
const setting = (s) => (s === "family-child-care" ? "family child care" : s);

// ---------------------------------------------------------------------------------------------
// The trend

function renderTrend(trend, scales, who, label) {
  const out = [];
  const many = trend.series.length > 1;
  if (!trend.series.length) {
    out.push(h("p", { class: "notice", "data-testid": "trend-none" }, who === ALL ? "No visits to show." : `No saved observation names ${label}.`));
  }
  trend.series.forEach((series, si) => {
    const prefix = `t${si}`;
    const visits = series.visits;
    const name = series.subject === null ? "All saved observations" : who === ALL ? String(series.subject) : label.charAt(0).toUpperCase() + label.slice(1);
    out.push(
      h(
        "section",
        { class: "trend-series", "aria-labelledby": `${prefix}-h`, "data-testid": "trend-series" },
        h("h2", { id: `${prefix}-h` }, `${name}: ${visits.length} ${visits.length === 1 ? "visit" : "visits"}`),
        h(
          "ol",
          { class: "trend-visits", "data-testid": "trend-visits" },
          visits.map((v) => h("li", {}, h("strong", {}, v.observed_on), ` — ${v.record}, ${setting(v.setting)}${v.observer ? `, coach ${v.observer}` : ""}`)),
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
        h("h2", { id: "trend-left-h" }, "Observations not in these trends"),
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
      (last.change > 0 ? indUp : indDown).push(`${p.title} — ${ind.title}: ${changeWords(last.change, 0)} ${Math.abs(last.change) === 1 ? "level" : "levels"}`);
    }
  }
  if (series.visits.length < 2) return h("p", { class: "muted", "data-testid": "trend-summary" }, "One visit so far: the changes show from the next one.");
  return h(
    "div",
    { class: "trend-summary", "data-testid": "trend-summary" },
    h("h3", { id: `${prefix}-grow-h` }, "Growing since the last visit"),
    indUp.length || up.length
      ? h("ul", { class: "trend-up" }, [...up.map((t) => `Practice score: ${t}`), ...indUp].map((t) => h("li", {}, h("span", { "aria-hidden": "true" }, "▲ "), t)))
      : h("p", { class: "muted" }, "No score moved up since the last visit; what held steady is in each practice below."),
    indDown.length || down.length
      ? [
          h("h3", { id: `${prefix}-look-h` }, "To look at together"),
          h("ul", { class: "trend-down" }, [...down.map((t) => `Practice score: ${t}`), ...indDown].map((t) => h("li", {}, h("span", { "aria-hidden": "true" }, "▼ "), t))),
        ]
      : null,
  );
}

function practiceSection(p, visits, scale, id) {
  const last = [...p.points].reverse().find((pt) => pt.score !== null);
  const head = last
    ? `Latest score ${num(last.score)} of ${last.scale_max} (${visits[last.visit].observed_on})${last.change !== null ? `, ${changeWords(last.change)} since the visit before` : ""}.`
    : "No visit has a score for this practice yet.";
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
          breaks.map((pt) => `The rubric changed before the visit of ${visits[pt.visit].observed_on} (version ${pt.break.from} → ${pt.break.to}: ${pt.break.reason}); scores on either side of the dashed line are not compared. `),
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
  if (!scored.length) parts.push(`No visit has a score for ${practice.title}.`);
  else {
    parts.push(
      `${practice.title}, ${scored.length} of ${visits.length} visits scored${max ? `, out of ${max}` : ""}: ` +
        practice.points.map((p) => `${visits[p.visit].observed_on} ${typeof p.score === "number" ? num(p.score) : "no score"}`).join("; ") +
        ".",
    );
  }
  for (const p of practice.points) {
    if (p.break) parts.push(`Rubric changed before ${visits[p.visit].observed_on} (version ${p.break.from} to ${p.break.to}); no line is drawn across it.`);
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
    s("title", { id: `${id}-ct` }, `${practice.title}: score at each visit`),
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
    s("text", { x: 12, y: c.top - 14, class: "axis-title" }, "Score"),
    s("line", { x1: x0, x2: x1, y1: yBottom, y2: yBottom, class: "axis" }),
    // The visits: dates under the axis.
    visits.map((v, i) =>
      i % every === 0 || i === visits.length - 1
        ? s("text", { x: chartX(i, visits.length), y: yBottom + 24, "text-anchor": "middle", class: "axis-label date" }, v.observed_on)
        : null,
    ),
    s("text", { x: (x0 + x1) / 2, y: c.height - 8, "text-anchor": "middle", class: "axis-title" }, "Visit date"),
    // Breaks: a dashed line and words, never a line across.
    m.breaks.map((b) =>
      s(
        "g",
        { class: "break", "data-testid": "trend-break", "data-visit": b.visit },
        s("line", { x1: b.x, x2: b.x, y1: c.top - 6, y2: yBottom, class: "break-line" }),
        s("text", { x: b.x, y: c.top - 14, "text-anchor": "middle", class: "break-label" }, `rubric changed (${b.from} → ${b.to})`),
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
        s("text", { x: g.x, y: yBottom - 18, "text-anchor": "middle", class: "value muted" }, "no score"),
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
  const caption = `${p.title}: score at each visit`;
  return scrollRegion(
    caption,
    h(
      "table",
      { class: "trend-table", "data-testid": "trend-table", id: `${id}-table` },
      h("caption", {}, caption),
      h("thead", {}, h("tr", {}, ["Visit date", "Score", "Change since the last visit", "Evidence coverage", "Rubric version"].map((t) => h("th", { scope: "col" }, t)))),
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
                ? [h("data", { value: String(pt.score) }, num(pt.score)), pt.scale_max ? ` of ${pt.scale_max}` : ""]
                : h("span", { class: "muted" }, STATUS[pt.status] || pt.status),
            ),
            h(
              "td",
              { "data-col": "change" },
              pt.change !== null ? h("data", { value: String(pt.change) }, changeWords(pt.change)) : h("span", { class: "muted" }, pt.break ? "not compared: the rubric changed" : pt === p.points[0] ? "first visit" : pt.no_change || "—"),
            ),
            h(
              "td",
              { "data-col": "coverage" },
              pt.coverage
                ? [
                    h("data", { value: String(pt.coverage.rated) }, String(pt.coverage.rated)),
                    " of ",
                    h("data", { value: String(pt.coverage.total) }, String(pt.coverage.total)),
                    " indicators rated (",
                    h("data", { value: String(pt.coverage.percent) }, `${pt.coverage.percent}%`),
                    ")",
                    pt.coverage.not_applicable ? `; ${pt.coverage.not_applicable} did not apply` : "",
                  ]
                : h("span", { class: "muted" }, "—"),
            ),
            h(
              "td",
              { "data-col": "version" },
              pt.version ?? "—",
              pt.break ? h("span", { class: "trend-flag" }, ` — rubric changed (${pt.break.reason})`) : pt.version_changed ? h("span", { class: "trend-flag" }, " — new version, same indicators and scale") : null,
            ),
          ),
        ),
      ),
    ),
  );
}

function indicatorTable(p, visits, id) {
  const caption = `${p.title}: each indicator's level at each visit`;
  const levelCell = (ip) =>
    h(
      "td",
      { "data-visit": ip.visit, "data-outcome": ip.outcome },
      ip.outcome === "rated"
        ? [h("data", { value: String(ip.level) }, String(ip.level)), ip.change ? h("span", { class: "small" }, ` (${changeWords(ip.change, 0)})`) : null]
        : h("span", { class: "muted small" }, OUTCOME[ip.outcome] || ip.outcome),
    );
  return h(
    "details",
    { class: "trend-indicators" },
    h("summary", {}, `Indicators of ${p.title} over the visits`),
    scrollRegion(
      caption,
      h(
        "table",
        { class: "trend-table trend-ind-table", "data-testid": "trend-indicators", id: `${id}-ind` },
        h("caption", {}, caption),
        h(
          "thead",
          {},
          h("tr", {}, h("th", { scope: "col" }, "Indicator"), visits.map((v) => h("th", { scope: "col" }, v.observed_on)), h("th", { scope: "col" }, "Change since the last visit")),
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
