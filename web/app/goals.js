// Shared goals and action plans (`#/goals/<caregiver id>`): the goals a coach and a caregiver
// agree on, each linked to one practice (rubric) and one or more of its indicators, with the
// steps they agreed, the date and a status. Each later visit shows the goal's progress: the
// linked indicators' levels at that visit beside their levels at the visit the goal was set
// from (the latest visit on or before the date agreed). The levels are the engine's
// (`RubricaEngine.trend`, the same JSON as `rubrica trend --format json`, docs/trends.md); a
// rubric version break between the two visits is named and nothing is compared across it.
//
// Also used by the observation editor (`goalProgressPanel`: the record's caregivers' active
// goals at this visit) and the coaching report (`goalsReport`).

import { h, replace, announce, uid } from "./dom.js";
import * as store from "./store.js";
import { diagnosticList } from "./render.js";
import { scaleOf } from "./trends.js";
import { t, engineOptions, formatTime } from "./i18n.js";

// A goal's status in words (message keys).
const STATUS_WORDS = { active: "goals.statusActive", met: "goals.statusMet", "set-aside": "goals.statusSetAside" };
const statusWords = (s) => (STATUS_WORDS[s] ? t(STATUS_WORDS[s]) : s);

// ---------------------------------------------------------------------------------------------
// The caregiver's visits and the goals' progress

/** The saved records the engine accepts, and the keys and ids of those it does not. */
function readRecords(engine, drafts, skipKey) {
  const records = [];
  const withProblems = [];
  for (const d of drafts) {
    if (d.key === skipKey) continue;
    const r = d && d.record && typeof d.record === "object" ? d.record : null;
    if (!r) continue;
    const valid = engine.validateRecord(JSON.stringify(r));
    if (valid && valid.type === "success") records.push(r);
    else withProblems.push({ key: d.key, label: typeof r.id === "string" && r.id ? r.id : t("home.noId") });
  }
  return { records, withProblems };
}

/**
 * One caregiver's visits as the engine lines them up: `{series}` (`rubrica.trend/1`'s only
 * series, visits oldest first) or `{series: null, errors}` when there is none.
 */
function seriesOf(engine, records, caregiver) {
  const mine = records.filter((r) => Array.isArray(r.caregivers) && r.caregivers.some((c) => c && c.id === caregiver));
  if (!mine.length) return { series: null, errors: [] };
  let trend;
  try {
    trend = JSON.parse(engine.trend(mine, { caregiver }, engineOptions()));
  } catch (e) {
    return { series: null, errors: [{ message: t("report.notJson", { reason: e.message }) }] };
  }
  if (!trend || trend.format !== "rubrica.trend/1" || !trend.series.length) return { series: null, errors: (trend && trend.errors) || [] };
  return { series: trend.series[0], errors: [] };
}

/**
 * A goal's progress over a caregiver's visits (`series`, a `rubrica.trend/1` series):
 * `{practice, baseline, visits}`. `practice` is the series' practice of the goal's rubric, or
 * null when no visit was scored with it. `baseline` is the visit the goal was set from (the
 * latest on or before `agreed_on`) with the linked indicators' points, or null. `visits` are the
 * later visits dated on or after `agreed_on`, each with the linked indicators' points and, when
 * the rubric's indicators or scale changed between the baseline and it, the `break` (then
 * nothing is compared). Each point: `{indicator, title, outcome, level, base, compare}`, where
 * `compare` is "higher", "same" or "lower" than the baseline level when both were rated.
 */
export function goalProgress(goal, series) {
  const visits = series ? series.visits : [];
  const practice = series ? (series.practices.find((p) => p.rubric === goal.rubric) ?? null) : null;
  let base = -1;
  visits.forEach((v, i) => {
    if (v.observed_on <= goal.agreed_on) base = i;
  });
  const indicators = goal.indicators.map((id) => (practice ? practice.indicators.find((i) => i.id === id) : null) ?? { id, title: null, points: [] });
  const pointAt = (ind, i) => ind.points.find((p) => p.visit === i) ?? { visit: i, outcome: "not-in-visit", level: null };
  const baseline =
    base < 0
      ? null
      : { visit: base, ...visits[base], points: indicators.map((ind) => ({ indicator: ind.id, title: ind.title, ...pointAt(ind, base) })) };
  const later = [];
  for (let j = base + 1; j < visits.length; j += 1) {
    if (visits[j].observed_on < goal.agreed_on) continue;
    let broken = null;
    if (practice && base >= 0) {
      for (let k = base + 1; k <= j; k += 1) broken ??= practice.points.find((p) => p.visit === k)?.break ?? null;
    }
    const points = indicators.map((ind, n) => {
      const p = pointAt(ind, j);
      const b = baseline ? baseline.points[n] : null;
      const both = !broken && b && b.outcome === "rated" && p.outcome === "rated";
      const compare = both ? (p.level > b.level ? "higher" : p.level < b.level ? "lower" : "same") : null;
      return { indicator: ind.id, title: ind.title, outcome: p.outcome, level: p.level ?? null, base: b, compare };
    });
    later.push({ visit: j, ...visits[j], break: broken, points });
  }
  return { practice, baseline, visits: later };
}

/** A level or outcome in words: `4 Established`, never a low score for missing evidence. */
function levelWords(point, scale) {
  if (!point) return "—";
  switch (point.outcome) {
    case "rated": {
      const label = scale && scale.labels.get(point.level);
      return label ? `${point.level} ${label}` : String(point.level);
    }
    case "not-enough-evidence":
      return t("trends.outcomeNotEnough");
    case "not-applicable":
      return t("trends.outcomeNotApplicable");
    default:
      return t("goals.notRated");
  }
}

const COMPARE_WORDS = { higher: "goals.higher", same: "goals.same", lower: "goals.lower" };

/** An indicator's title in the app's language (the loaded rubric's), else as the visits name it, else its id. */
const titleOf = (p, rubric) => rubric?.meta?.indicators?.find((i) => i.id === p.indicator)?.title ?? p.title ?? p.indicator;

/**
 * A goal's progress as a list, oldest visit first, for the goals view and the coaching report.
 * `rubric` is the loaded rubric (`engine.rubrics()` entry) of the goal's practice, or undefined.
 */
export function progressBlock(goal, series, rubric) {
  const scale = scaleOf(rubric);
  const pr = goalProgress(goal, series);
  const level = (p, testid) =>
    h("span", { class: `goal-level ${p.outcome === "rated" ? "" : "nee"}`, "data-testid": testid, "data-indicator": p.indicator, "data-outcome": p.outcome, "data-level": p.level ?? "" }, levelWords(p, scale));
  if (!pr.practice) {
    return h("p", { class: "muted", "data-testid": "goal-no-visits" }, series ? t("goals.noVisitWithPractice") : t("goals.noVisits"));
  }
  const start = pr.baseline
    ? h(
        "p",
        { "data-testid": "goal-baseline", "data-observed-on": pr.baseline.observed_on },
        h("span", { class: "k" }, t("goals.whenSet", { date: pr.baseline.observed_on })),
        pr.baseline.points.map((p, i) => [i ? "; " : "", `${titleOf(p, rubric)}: `, level(p, "goal-baseline-level")]),
      )
    : h("p", { "data-testid": "goal-baseline", class: "muted" }, t("goals.noBaseline"));
  const since = pr.visits.length
    ? h(
        "ul",
        { class: "goal-visits" },
        pr.visits.map((v) =>
          h(
            "li",
            { "data-testid": "goal-visit", "data-observed-on": v.observed_on, "data-record": v.record },
            h("strong", {}, v.observed_on),
            v.break ? h("p", { class: "goal-break", "data-testid": "goal-break" }, t("goals.break", { from: v.break.from, to: v.break.to, reason: v.break.reason })) : null,
            h(
              "ul",
              {},
              v.points.map((p) =>
                h(
                  "li",
                  { "data-compare": p.compare ?? "" },
                  `${titleOf(p, rubric)}: `,
                  level(p, "goal-level"),
                  p.compare ? ` — ${t(COMPARE_WORDS[p.compare])} (${levelWords(p.base, scale)})` : "",
                ),
              ),
            ),
          ),
        ),
      )
    : h("p", { class: "muted", "data-testid": "goal-no-later" }, t("goals.noLater"));
  return h("div", { class: "goal-progress", "data-testid": "goal-progress" }, start, since);
}

// ---------------------------------------------------------------------------------------------
// The goals view

/**
 * Builds the view. `ctx` is `{engine, rubrics, caregiver}`. Resolves to the view's element once
 * the saved observations and goals are read.
 */
export async function goalsView(ctx) {
  const who = ctx.caregiver;
  const rubrics = new Map((ctx.rubrics || []).map((r) => [r.id, r]));
  let drafts = [];
  let goals = [];
  let readError = null;
  try {
    [drafts, goals] = await Promise.all([store.listDrafts(), store.listGoals(who)]);
  } catch (e) {
    readError = e;
  }
  const { records, withProblems } = readRecords(ctx.engine, drafts || []);
  const { series, errors } = seriesOf(ctx.engine, records, who);
  const latest = latestReport(ctx.engine, records, series);

  const list = h("ul", { class: "goal-list", "data-testid": "goal-list" });
  const formSlot = h("div", { class: "goal-form-slot" });
  let editing = null; // the open form's `{id, rev, showConflict}`, while one is open
  const addButton = h("button", { type: "button", class: "primary", "data-testid": "goal-add", onclick: () => openForm(null) }, t("goals.add"));
  const goalActions = h("div", { class: "actions goal-actions" }, addButton);
  const listHeading = h("h2", { id: "goal-list-h", tabindex: "-1" }, t("goals.goals"));

  function drawList() {
    replace(
      list,
      goals.length
        ? goals.map((g) => goalCard(g))
        : h("li", { class: "muted", "data-testid": "goal-list-empty" }, t("goals.none")),
    );
  }

  function goalCard(g) {
    const rubric = rubrics.get(g.rubric);
    const headingId = uid("goal-h");
    const edit = h("button", { type: "button", class: "small", "data-testid": "goal-edit", "aria-label": t("goals.editNamed", { title: g.title }), onclick: () => openForm(g) }, t("goals.edit"));
    return h(
      "li",
      { class: "goal", "data-testid": "goal", "data-goal-id": g.id, "data-status": g.status },
      h(
        "article",
        { "aria-labelledby": headingId },
        h("h3", { id: headingId, tabindex: "-1" }, g.title),
        h(
          "p",
          { class: "goal-meta" },
          h("span", { class: `badge ${g.status === "active" ? "ok" : "nee"}` }, statusWords(g.status)),
          ` ${rubric ? rubric.title : g.rubric} · ${t("goals.agreedOn", { date: g.agreed_on })}`,
        ),
        h("p", { class: "goal-about" }, h("span", { class: "k" }, t("goals.indicators")), g.indicators.map((id) => rubric?.meta?.indicators?.find((i) => i.id === id)?.title ?? id).join("; ")),
        stepsList(g),
        h("h4", {}, t("goals.progress")),
        progressBlock(g, series, rubric),
        h("div", { class: "actions" }, edit),
      ),
    );
  }

  async function reload(focusId) {
    try {
      goals = await store.listGoals(who);
    } catch (e) {
      announce(t("store.goalsUnread", { reason: e.message }));
      return;
    }
    const hadFocus = list.contains(document.activeElement);
    drawList();
    const target = focusId ? list.querySelector(`[data-goal-id="${CSS.escape(focusId)}"] h3`) : null;
    if (target) target.focus();
    else if (hadFocus) listHeading.focus();
  }

  function openForm(goal) {
    const form = goalForm(ctx, who, goal, latest, {
      onSaved: (saved, text) => {
        editing = null;
        replace(formSlot);
        replace(goalActions, addButton);
        announce(text);
        reload(saved.id);
      },
      onDeleted: (text) => {
        editing = null;
        replace(formSlot);
        replace(goalActions, addButton);
        announce(text);
        reload().then(() => listHeading.focus());
      },
      onCancel: () => {
        editing = null;
        replace(formSlot);
        replace(goalActions, addButton);
        const back = goal ? list.querySelector(`[data-goal-id="${CSS.escape(goal.id)}"] [data-testid=goal-edit]`) : addButton;
        (back ?? addButton).focus();
      },
    });
    editing = form.editing;
    replace(formSlot, form.el);
    replace(goalActions); // one form at a time
    form.el.querySelector("h2")?.focus();
  }

  // Another tab saved or deleted one of this caregiver's goals: the open form is told at once
  // (the coach chooses what to keep), and the list shows the change.
  let shown = false;
  const stop = store.onChange((m) => {
    shown ||= view.isConnected;
    if (!view.isConnected) return shown ? stop() : undefined; // left, or not on the page yet
    if (m.type === "cleared") return reload();
    if ((m.type !== "goal-saved" && m.type !== "goal-deleted") || (m.caregiver !== who && m.caregiver !== null)) return;
    if (editing && editing.id === m.id) editing.changedElsewhere();
    reload();
  });

  const view = h(
    "div",
    { class: "goals-view", "data-testid": "goals-view", "data-caregiver": who },
    h("a", { href: `#/people/caregiver/${encodeURIComponent(who)}`, class: "back" }, t("goals.back", { who })),
    h("h1", {}, t("goals.title", { who })),
    h(
      "p",
      { class: "lede" },
      t("goals.lede"),
    ),
    readError ? h("p", { class: "notice error", role: "alert" }, t("goals.unread", { reason: readError.message ?? readError })) : null,
    errors.length ? h("div", { class: "notice error", role: "alert" }, h("p", {}, t("report.notLinedUp")), diagnosticList(errors)) : null,
    withProblems.length
      ? h(
          "div",
          { class: "notice", role: "note", "data-testid": "goal-problems" },
          h("p", {}, t("goals.withProblems")),
          h("ul", {}, withProblems.map((p) => h("li", {}, h("a", { href: `#/obs/${encodeURIComponent(p.key)}` }, p.label)))),
        )
      : null,
    h(
      "p",
      { "data-testid": "goal-visits-summary" },
      series
        ? `${t("goals.visitsSummary", { count: series.visits.length, from: series.visits[0].observed_on, to: series.visits[series.visits.length - 1].observed_on })} `
        : `${t("goals.noSavedVisits")} `,
      series ? [h("a", { href: "#/trends" }, t("nav.trends")), " · ", h("a", { href: "#/report" }, t("nav.report"))] : null,
    ),
    goalActions,
    formSlot,
    h("section", { "aria-labelledby": "goal-list-h" }, listHeading, list),
  );
  drawList();
  return view;
}

/** The engine's report of the caregiver's latest visit (its growth areas are offered first), or null. */
function latestReport(engine, records, series) {
  if (!series || !series.visits.length) return null;
  const v = series.visits[series.visits.length - 1];
  const record = [...records].reverse().find((r) => r.id === v.record && r.observed_on === v.observed_on);
  const answer = record ? engine.evaluateAll(JSON.stringify(record), engineOptions()) : null;
  return answer && answer.type === "success" ? answer.report : null;
}

function stepsList(g) {
  if (!g.steps.length) return h("p", { class: "muted" }, t("goals.noSteps"));
  return [
    h("h4", {}, t("goals.stepsAgreed")),
    h(
      "ul",
      { class: "goal-steps", "data-testid": "goal-steps" },
      g.steps.map((s) => h("li", { "data-done": String(s.done) }, h("span", { class: `badge ${s.done ? "ok" : "nee"}` }, t(s.done ? "goals.done" : "goals.toDo")), " ", s.text)),
    ),
  ];
}

function today() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

// ---------------------------------------------------------------------------------------------
// Adding and editing a goal

/**
 * The form for a new goal (`goal` null) or an existing one. `latest` is the engine's report of
 * the caregiver's latest visit: its growth areas are offered first. Returns `{el, editing}`,
 * `editing.changedElsewhere()` being called when another tab saves or deletes this goal.
 */
function goalForm(ctx, who, goal, latest, { onSaved, onDeleted, onCancel }) {
  const rubrics = ctx.rubrics || [];
  const growth = new Map(); // rubric id → Map(indicator id → growth area)
  for (const p of latest ? latest.practices : []) {
    if (p.type !== "success") continue;
    growth.set(p.result.rubric.id, new Map(p.result.growth_areas.map((g) => [g.indicator, g])));
  }
  const ordered = [...rubrics].sort((a, b) => (growth.get(b.id)?.size ?? 0) - (growth.get(a.id)?.size ?? 0));
  let rev = goal ? goal.rev : 0;
  const id = goal ? goal.id : store.newGoalId();
  let steps = goal ? goal.steps.map((s) => ({ ...s })) : [{ text: "", done: false }];
  let chosen = new Set(goal ? goal.indicators : []);
  const ids = { heading: uid("goal-form-h"), rubric: uid("goal-rubric"), title: uid("goal-title"), titleHelp: uid("goal-title-help"), date: uid("goal-date") };

  const rubricSelect = h(
    "select",
    { id: ids.rubric, "data-testid": "goal-rubric", onchange: () => ((chosen = new Set()), drawIndicators()) },
    h("option", { value: "" }, t("goals.choosePractice")),
    ordered.map((r) => {
      const n = growth.get(r.id)?.size ?? 0;
      return h("option", { value: r.id, selected: goal && goal.rubric === r.id }, n ? t("goals.practiceWithAreas", { title: r.title, count: n }) : r.title);
    }),
    goal && !rubrics.some((r) => r.id === goal.rubric) ? h("option", { value: goal.rubric, selected: true }, t("goals.notLoaded", { id: goal.rubric })) : null,
  );
  const indicatorBox = h("fieldset", { class: "goal-indicators", "data-testid": "goal-indicators" });
  const titleInput = h("textarea", { id: ids.title, rows: 2, "data-testid": "goal-title", "aria-describedby": ids.titleHelp }, goal ? goal.title : "");
  const stepsBox = h("fieldset", { class: "goal-steps-edit", "data-testid": "goal-steps-edit" });
  const dateInput = h("input", { type: "date", id: ids.date, "data-testid": "goal-date", value: goal ? goal.agreed_on : today() });
  const statusName = uid("goal-status");
  const statusBox = h(
    "fieldset",
    { class: "goal-status", "data-testid": "goal-status" },
    h("legend", {}, t("goals.status")),
    store.GOAL_STATUSES.map((s) => {
      const sid = uid("goal-status-opt");
      return h("div", { class: "field check" }, h("input", { type: "radio", name: statusName, id: sid, value: s, checked: (goal ? goal.status : "active") === s }), h("label", { for: sid }, statusWords(s)));
    }),
  );
  const conflictSlot = h("div", { class: "conflict-slot" });
  let conflict; // undefined: none; null: deleted elsewhere; a goal: saved elsewhere

  function readIndicators() {
    chosen = new Set([...indicatorBox.querySelectorAll("input[type=checkbox]:checked")].map((c) => c.value));
  }

  function drawIndicators() {
    const rubric = rubrics.find((r) => r.id === rubricSelect.value);
    const areas = growth.get(rubricSelect.value) ?? new Map();
    const all = rubric ? rubric.meta.indicators : [...chosen].map((i) => ({ id: i, title: i }));
    const sorted = [...all.filter((i) => areas.has(i.id)), ...all.filter((i) => !areas.has(i.id))];
    replace(
      indicatorBox,
      h("legend", {}, t("goals.indicatorsAbout")),
      sorted.length
        ? h("p", { class: "help" }, areas.size ? t("goals.areasFirst") : t("goals.chooseSome"))
        : h("p", { class: "help" }, t("goals.practiceFirst")),
      sorted.map((ind) => {
        const cid = uid("goal-ind");
        const area = areas.get(ind.id);
        return h(
          "div",
          { class: "field check goal-indicator" },
          h("input", { type: "checkbox", id: cid, value: ind.id, checked: chosen.has(ind.id), "data-testid": "goal-indicator" }),
          h("label", { for: cid }, ind.title, area ? h("span", { class: "badge growth" }, t("goals.areaBadge", { level: area.level, label: area.label })) : null),
        );
      }),
    );
  }

  function readSteps() {
    steps = [...stepsBox.querySelectorAll(".goal-step")].map((row) => ({ text: row.querySelector("input[type=text]").value, done: row.querySelector("input[type=checkbox]").checked }));
  }

  function drawSteps() {
    replace(
      stepsBox,
      h("legend", {}, t("goals.stepsYouAgreed")),
      steps.map((s, i) => {
        const tid = uid("goal-step");
        const did = uid("goal-step-done");
        return h(
          "div",
          { class: "goal-step", "data-testid": "goal-step" },
          h("div", { class: "field" }, h("label", { for: tid }, t("goals.step", { n: i + 1 })), h("input", { type: "text", id: tid, value: s.text, "data-testid": "goal-step-text" })),
          h("div", { class: "field check" }, h("input", { type: "checkbox", id: did, checked: s.done, "data-testid": "goal-step-done" }), h("label", { for: did }, t("goals.doneLabel"), h("span", { class: "visually-hidden" }, ` (${t("goals.stepLower", { n: i + 1 })})`))),
          h(
            "button",
            {
              type: "button",
              class: "small quiet danger",
              "aria-label": t("goals.removeStep", { n: i + 1 }),
              onclick: () => {
                readSteps();
                steps.splice(i, 1);
                drawSteps();
                const rows = stepsBox.querySelectorAll(".goal-step input[type=text]");
                (rows[Math.min(i, rows.length - 1)] ?? stepsBox.querySelector("[data-testid=goal-step-add]")).focus();
                announce(t("goals.removedStep", { n: i + 1 }));
              },
            },
            t("goals.remove"),
          ),
        );
      }),
      h(
        "button",
        {
          type: "button",
          class: "small",
          "data-testid": "goal-step-add",
          onclick: () => {
            readSteps();
            steps.push({ text: "", done: false });
            drawSteps();
            const rows = stepsBox.querySelectorAll(".goal-step input[type=text]");
            rows[rows.length - 1].focus();
          },
        },
        t("goals.addStep"),
      ),
    );
  }

  // Errors: a message after the control, tied to it with aria-describedby.
  function clearErrors() {
    for (const e of el.querySelectorAll(".field-error[data-goal-error]")) e.remove();
    for (const c of el.querySelectorAll("[aria-invalid]")) {
      c.removeAttribute("aria-invalid");
      const d = (c.getAttribute("aria-describedby") || "").split(" ").filter((x) => x && !x.startsWith("goal-err-"));
      if (d.length) c.setAttribute("aria-describedby", d.join(" "));
      else c.removeAttribute("aria-describedby");
    }
  }
  function markError(control, after, message) {
    const eid = uid("goal-err");
    after.after(h("p", { class: "field-error", id: eid, "data-goal-error": "", "data-testid": "goal-error" }, message));
    control.setAttribute("aria-invalid", "true");
    control.setAttribute("aria-describedby", [control.getAttribute("aria-describedby"), eid].filter(Boolean).join(" "));
    return control;
  }

  function readGoal() {
    readIndicators();
    readSteps();
    return {
      id,
      caregiver: who,
      rubric: rubricSelect.value,
      indicators: [...chosen],
      title: titleInput.value.trim(),
      steps: steps.map((s) => ({ text: s.text.trim(), done: s.done })),
      agreed_on: dateInput.value,
      status: el.querySelector(`input[name="${statusName}"]:checked`)?.value ?? "active",
    };
  }

  function check(g) {
    clearErrors();
    const bad = [];
    if (!g.rubric) bad.push(markError(rubricSelect, rubricSelect, t("goals.errPractice")));
    if (g.rubric && !g.indicators.length) {
      const first = indicatorBox.querySelector("input[type=checkbox]");
      if (first) bad.push(markError(first, indicatorBox.querySelector("legend"), t("goals.errIndicator")));
    }
    if (!g.title) bad.push(markError(titleInput, titleInput, t("goals.errTitle")));
    g.steps.forEach((s, i) => {
      if (!s.text) {
        const input = stepsBox.querySelectorAll(".goal-step input[type=text]")[i];
        bad.push(markError(input, input, t("goals.errStep", { n: i + 1 })));
      }
    });
    if (!store.isDate(g.agreed_on)) bad.push(markError(dateInput, dateInput, t("goals.errDate")));
    return bad;
  }

  async function save(g, baseRev, savedText) {
    const answer = await store.saveGoal(g, baseRev);
    if (answer.ok) {
      rev = answer.goal.rev;
      onSaved(answer.goal, savedText);
    } else if ("conflict" in answer) {
      showConflict(answer.conflict);
    } else {
      replace(conflictSlot, h("p", { class: "notice error", role: "alert" }, t("storage.notSavedWhy", { reason: answer.error?.message ?? answer.error })));
    }
  }

  function submit(e) {
    e.preventDefault();
    const g = readGoal();
    const bad = check(g);
    if (bad.length) {
      announce(t("goals.toFix", { count: bad.length }));
      bad[0].focus();
      return;
    }
    if (conflict !== undefined) {
      announce(t("goals.changedChoose"));
      conflictSlot.querySelector("[role=alert]")?.focus();
      return;
    }
    save(g, rev, goal ? t("goals.saved") : t("goals.added"));
  }

  function showConflict(theirs) {
    const first = conflict === undefined;
    conflict = theirs;
    const when = theirs && theirs.updated ? formatTime(theirs.updated) : null;
    const headingId = uid("goal-conflict-h");
    const box = h(
      "div",
      { class: "notice error conflict", role: "alert", tabindex: "-1", "aria-labelledby": headingId, "data-testid": "goal-conflict" },
      h("h3", { id: headingId }, theirs ? t("editor.conflictTitle") : t("goals.deletedTitle")),
      h(
        "p",
        {},
        theirs
          ? when
            ? t("goals.conflictAt", { time: when })
            : t("goals.conflict")
          : t("goals.deletedText"),
      ),
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", "data-testid": "goal-conflict-mine", onclick: keepMine }, theirs ? t("editor.keepMine") : t("goals.keepMineAgain")),
        h("button", { type: "button", "data-testid": "goal-conflict-theirs", onclick: takeTheirs }, theirs ? t("editor.takeTheirs") : t("goals.letGo")),
        theirs ? h("button", { type: "button", "data-testid": "goal-conflict-both", onclick: keepBoth }, t("goals.keepBoth")) : null,
      ),
    );
    replace(conflictSlot, box);
    if (first) box.focus();
  }

  function keepMine() {
    const g = readGoal();
    const bad = check(g);
    if (bad.length) return bad[0].focus();
    const base = conflict ? conflict.rev : 0;
    conflict = undefined;
    replace(conflictSlot);
    save(g, base, t("goals.keptMine"));
  }

  function takeTheirs() {
    const theirs = conflict;
    conflict = undefined;
    replace(conflictSlot);
    if (!theirs) return onCancel();
    rev = theirs.rev;
    rubricSelect.value = theirs.rubric;
    chosen = new Set(theirs.indicators);
    drawIndicators();
    titleInput.value = theirs.title;
    steps = theirs.steps.map((s) => ({ ...s }));
    drawSteps();
    dateInput.value = theirs.agreed_on;
    for (const r of el.querySelectorAll(`input[name="${statusName}"]`)) r.checked = r.value === theirs.status;
    announce(t("editor.showingTheirs"));
    el.querySelector("h2").focus();
  }

  function keepBoth() {
    const g = { ...readGoal(), id: store.newGoalId() };
    const bad = check(g);
    if (bad.length) return bad[0].focus();
    conflict = undefined;
    replace(conflictSlot);
    save(g, 0, t("goals.savedAsAnother"));
  }

  // Deleting an existing goal, after an inline confirmation that takes the focus.
  const deleteSlot = h("div", { class: "confirm-slot" });
  const deleteButton = goal
    ? h(
        "button",
        {
          type: "button",
          class: "quiet danger",
          "data-testid": "goal-delete",
          onclick: () => {
            const headingId = uid("goal-delete-h");
            const box = h(
              "div",
              { class: "notice error", role: "alert", tabindex: "-1", "aria-labelledby": headingId, "data-testid": "goal-delete-confirm" },
              h("h3", { id: headingId }, t("goals.deleteQuestion")),
              h("p", {}, t("goals.deleteText")),
              h(
                "div",
                { class: "actions" },
                h(
                  "button",
                  {
                    type: "button",
                    class: "danger",
                    "data-testid": "goal-delete-yes",
                    onclick: () =>
                      store.deleteGoal(id).then(
                        () => onDeleted(t("goals.deleted")),
                        (e) => replace(deleteSlot, h("p", { class: "notice error", role: "alert" }, t("goals.notDeleted", { reason: e.message ?? e }))),
                      ),
                  },
                  t("goals.deleteIt"),
                ),
                h("button", { type: "button", "data-testid": "goal-delete-no", onclick: () => (replace(deleteSlot), deleteButton.focus()) }, t("common.cancel")),
              ),
            );
            replace(deleteSlot, box);
            box.focus();
          },
        },
        t("goals.deleteButton"),
      )
    : null;

  const el = h(
    "form",
    { class: "goal-form", "data-testid": "goal-form", "aria-labelledby": ids.heading, novalidate: true, onsubmit: submit },
    h("h2", { id: ids.heading, tabindex: "-1" }, goal ? t("goals.editTitle") : t("goals.newTitle")),
    conflictSlot,
    h("div", { class: "field" }, h("label", { for: ids.rubric }, t("goals.practice")), rubricSelect),
    indicatorBox,
    h(
      "div",
      { class: "field" },
      h("label", { for: ids.title }, t("goals.titleLabel")),
      h("p", { class: "help", id: ids.titleHelp }, t("goals.titleHelp")),
      titleInput,
    ),
    stepsBox,
    h("div", { class: "field goal-date" }, h("label", { for: ids.date }, t("goals.dateAgreed")), dateInput),
    statusBox,
    h(
      "div",
      { class: "actions" },
      h("button", { type: "submit", class: "primary", "data-testid": "goal-save" }, goal ? t("goals.saveIt") : t("goals.addIt")),
      h("button", { type: "button", "data-testid": "goal-cancel", onclick: onCancel }, t("common.cancel")),
      deleteButton,
    ),
    deleteSlot,
  );
  drawIndicators();
  drawSteps();

  const editing = {
    id,
    // Another tab saved or deleted this goal: shown at once when it is newer than this form's copy.
    changedElsewhere: async () => {
      if (!goal || !el.isConnected) return;
      const theirs = await store.loadGoal(id);
      if (!theirs || theirs.rev !== rev) showConflict(theirs);
    },
  };
  return { el, editing };
}

// ---------------------------------------------------------------------------------------------
// The observation editor's panel

/**
 * A compact "Goals" panel for the observation editor: for each caregiver of `record` (the record
 * being edited, saved under `key`), their active goals with this visit's levels on the goal's
 * indicators beside the levels when the goal was set, and a link to the goals view. The visits
 * are the other saved observations and this record as it is now. Resolves to the element.
 */
export async function goalProgressPanel(ctx, record, key) {
  const rubrics = new Map((ctx.rubrics || []).map((r) => [r.id, r]));
  const who = [...new Set((Array.isArray(record.caregivers) ? record.caregivers : []).map((c) => c && c.id).filter((id) => typeof id === "string" && id))];
  const body = [];
  const valid = ctx.engine.validateRecord(JSON.stringify(record));
  if (!who.length) {
    body.push(h("p", { class: "muted small" }, t("goals.panelNoCaregivers")));
  } else {
    const [drafts, goalLists] = await Promise.all([store.listDrafts(), Promise.all(who.map((c) => store.listGoals(c)))]);
    const { records } = readRecords(ctx.engine, drafts, key);
    if (valid.type === "success") records.push(record); // last, so it is the last visit on its date
    for (const [n, c] of who.entries()) {
      const active = goalLists[n].filter((g) => g.status === "active");
      const link = h("a", { href: `#/goals/${encodeURIComponent(c)}`, "data-testid": "panel-goals-link" }, active.length ? t("goals.allOf", { who: c }) : t("goals.setWith", { who: c }));
      if (!active.length) {
        body.push(h("p", { class: "small", "data-testid": "panel-caregiver", "data-caregiver": c }, `${t("goals.noActive", { who: c })} `, link));
        continue;
      }
      const { series } = seriesOf(ctx.engine, records, c);
      const here = series && valid.type === "success" ? series.visits.findLastIndex((v) => v.record === record.id && v.observed_on === record.observed_on) : -1;
      body.push(
        h(
          "div",
          { class: "panel-caregiver", "data-testid": "panel-caregiver", "data-caregiver": c },
          h("h3", {}, t("goals.caregiver", { who: c })),
          h("ul", { class: "panel-goals" }, active.map((g) => panelGoal(g, series, here, rubrics.get(g.rubric)))),
          h("p", { class: "small" }, link),
        ),
      );
    }
  }
  return h(
    "section",
    { class: "goals-panel", "aria-labelledby": "goals-panel-h", "data-testid": "goals-panel" },
    h("h2", { id: "goals-panel-h" }, t("goals.goals")),
    valid.type === "success" || !who.length ? null : h("p", { class: "muted small" }, t("goals.panelInvalid")),
    body,
  );
}

function panelGoal(g, series, here, rubric) {
  const scale = scaleOf(rubric);
  const pr = goalProgress(g, series);
  const now = pr.visits.find((v) => v.visit === here);
  const isBase = pr.baseline && pr.baseline.visit === here;
  let words;
  if (here < 0) words = null;
  else if (isBase) words = h("p", { class: "small muted" }, t("goals.setFromThis"));
  else if (!now) words = h("p", { class: "small muted" }, t("goals.before", { date: g.agreed_on }));
  else if (now.break) words = h("p", { class: "small goal-break" }, t("goals.breakPanel", { from: now.break.from, to: now.break.to }));
  const points = now ? now.points : isBase ? pr.baseline.points.map((p) => ({ ...p, base: p, compare: null })) : [];
  return h(
    "li",
    { "data-testid": "panel-goal", "data-goal-id": g.id },
    h("p", { class: "entry-title" }, h("a", { href: `#/goals/${encodeURIComponent(g.caregiver)}` }, g.title)),
    words,
    points.length
      ? h(
          "ul",
          { class: "small" },
          points.map((p) =>
            h(
              "li",
              { "data-testid": "panel-level", "data-indicator": p.indicator, "data-outcome": p.outcome, "data-level": p.level ?? "", "data-compare": p.compare ?? "" },
              t("goals.thisVisit", { title: titleOf(p, rubric), level: levelWords(p, scale) }),
              isBase ? "" : pr.baseline ? `; ${t("goals.whenSetLevel", { level: levelWords(p.base, scale) })}` : `; ${t("goals.noVisitBefore")}`,
            ),
          ),
        )
      : null,
  );
}

// ---------------------------------------------------------------------------------------------
// The coaching report's section

/**
 * The caregiver's goals for the coaching report: each goal with its practice, indicators, the
 * steps agreed (done or still to do, in words) and its progress over the visits of `series`.
 * `rubrics` is a Map of rubric id → loaded rubric. Returns the elements (a list, or a note when
 * there are none, and on screen a link to the caregiver's goals).
 */
export function goalsReport(goals, series, rubrics) {
  // On screen only (the print styles hide `report-controls`): where the goals are set.
  const edit = series ? h("p", { class: "report-controls" }, h("a", { href: `#/goals/${encodeURIComponent(series.subject)}`, "data-testid": "report-goals-link" }, goals.length ? t("goals.editThese") : t("goals.setTogether"))) : null;
  if (!goals.length) {
    return [h("p", { class: "muted" }, t("goals.reportNone")), edit];
  }
  const list = h(
    "ul",
    { class: "report-list" },
    goals.map((g) => {
      const rubric = rubrics.get(g.rubric);
      return h(
        "li",
        { "data-testid": "report-goal", "data-goal-id": g.id, "data-rubric": g.rubric },
        h("p", { class: "entry-title" }, h("span", { class: "report-practice" }, `${rubric ? rubric.title : g.rubric}: `), g.title, " ", h("span", { class: "badge level" }, statusWords(g.status))),
        h("p", { class: "small" }, t("goals.reportAgreed", { date: g.agreed_on, indicators: g.indicators.map((id) => rubric?.meta?.indicators?.find((i) => i.id === id)?.title ?? id).join("; ") })),
        g.steps.length
          ? h("p", {}, h("span", { class: "k" }, t("goals.steps")), g.steps.map((s) => `${s.text} (${t(s.done ? "goals.done" : "goals.toDo")})`).join("; "))
          : null,
        progressBlock(g, series, rubric),
      );
    }),
  );
  return [list, edit];
}
