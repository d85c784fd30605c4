// Reliability view: two coaches' records of the same visit, compared by the engine
// (`RubricaEngine.agree`, the same JSON as `rubrica agree --format json`, docs/agreement.md).
//
// The coach picks each side from the observations saved in this browser, the examples, or a
// record (or report) file. The view lays out what the engine returns: where the coaches agree
// first, then the numbers per practice and per indicator, then each indicator they rated
// differently side by side, for a calibration conversation. No statistic is computed here.

import { h, replace, announce } from "./dom.js";
import * as store from "./store.js";
import { diagnosticList } from "./render.js";
import { t, engineOptions } from "./i18n.js";

// The two sides; `name` is a message key ("Coach A").
const SIDES = [
  { key: "a", name: "agree.coachA" },
  { key: "b", name: "agree.coachB" },
];
const sideName = (side) => t(side.name);

/**
 * Builds the view. `ctx` is `{engine, rubrics, examples}`: the started engine, its rubrics
 * (`engine.rubrics()`) and the app's examples (`[{name, record}]`). Resolves to the view's
 * element once the saved observations are read (the store may answer at once or later).
 */
export async function agreementView(ctx) {
  let drafts = [];
  try {
    drafts = (await store.listDrafts()) || [];
  } catch (e) {
    announce(t("store.observationsUnread", { reason: e.message }));
  }
  // Every record the coach can pick, by option value.
  const sources = new Map();
  for (const d of drafts) {
    if (d && d.record && typeof d.record === "object") sources.set(`draft:${d.key}`, { label: recordLabel(d.record), record: d.record });
  }
  for (const ex of ctx.examples) sources.set(`example:${ex.name}`, { label: t("agree.example", { name: ex.name }), record: ex.record });
  let imported = 0;

  const results = h("section", { class: "agreement", "aria-labelledby": "agreement-h", "data-testid": "agreement", hidden: true });
  const pickers = SIDES.map((side) => picker(side));
  const form = h(
    "form",
    {
      class: "agree-form",
      "data-testid": "agree-form",
      novalidate: true,
      onsubmit: (e) => {
        e.preventDefault();
        compare();
      },
    },
    h("div", { class: "agree-sides" }, pickers.map((p) => p.el)),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary", "data-testid": "agree-compare" }, t("agree.compare"))),
  );

  function picker(side) {
    const selectId = `agree-${side.key}`;
    const select = h("select", { id: selectId, "data-testid": `agree-pick-${side.key}` });
    const fileInput = h("input", {
      type: "file",
      id: `agree-file-${side.key}`,
      accept: ".json,application/json",
      class: "agree-file",
      "data-testid": `agree-file-${side.key}`,
      onchange: async (e) => {
        const file = e.target.files[0];
        e.target.value = "";
        if (!file) return;
        let value;
        try {
          value = JSON.parse(await file.text());
        } catch (err) {
          announce(t("agree.notJson", { file: file.name, reason: err.message }));
          return;
        }
        if (!value || typeof value !== "object" || Array.isArray(value)) {
          announce(t("agree.notOne", { file: file.name }));
          return;
        }
        imported += 1;
        const id = `file:${imported}`;
        sources.set(id, { label: t("agree.file", { file: file.name }), record: value });
        for (const p of pickers) p.fill();
        select.value = id;
        announce(t("agree.chosen", { file: file.name, side: sideName(side) }));
      },
    });
    function fill() {
      const current = select.value;
      const groups = [
        [t("home.saved"), "draft:"],
        [t("agree.examples"), "example:"],
        [t("agree.importedFiles"), "file:"],
      ];
      replace(
        select,
        h("option", { value: "" }, t("agree.choose")),
        groups.map(([label, prefix]) => {
          const entries = [...sources].filter(([k]) => k.startsWith(prefix));
          return entries.length ? h("optgroup", { label }, entries.map(([k, s]) => h("option", { value: k }, s.label))) : null;
        }),
      );
      select.value = sources.has(current) ? current : "";
    }
    fill();
    const el = h(
      "fieldset",
      { class: "agree-side" },
      h("legend", {}, t("agree.sideRecord", { side: sideName(side) })),
      h("label", { for: selectId }, t("agree.savedOrExample")),
      select,
      h("label", { for: `agree-file-${side.key}`, class: "agree-file-label" }, t("agree.orFile")),
      fileInput,
    );
    return { el, select, fill };
  }

  function compare() {
    const [a, b] = pickers.map((p) => sources.get(p.select.value));
    if (!a || !b) {
      results.hidden = false;
      results.dataset.state = "incomplete";
      replace(results, h("h2", { id: "agreement-h", tabindex: "-1" }, t("agree.chooseTwo")), h("p", { class: "notice error" }, t("agree.chooseEach")));
      results.querySelector("h2").focus();
      return;
    }
    // In the app's language: the notes compared, why a kappa is not defined, the warnings.
    const text = ctx.engine.agree(JSON.stringify(a.record), JSON.stringify(b.record), engineOptions());
    let answer;
    try {
      answer = JSON.parse(text);
    } catch (e) {
      answer = { type: "failure", errors: [{ severity: "error", code: "internal", message: t("agree.unreadable", { reason: e.message }) }] };
    }
    results.hidden = false;
    if (answer.type === "failure") {
      results.dataset.state = "failed";
      replace(
        results,
        h("h2", { id: "agreement-h", tabindex: "-1" }, t("agree.cannot")),
        h("p", { class: "notice error" }, t("agree.fix")),
        diagnosticList(answer.errors || []),
      );
    } else {
      results.dataset.state = "compared";
      replace(results, renderAgreement(localizeAgreement(answer, ctx.rubrics), ctx.rubrics, [a.label, b.label]));
    }
    results.querySelector("h2").focus();
  }

  return h(
    "div",
    { class: "reliability" },
    h("h1", {}, t("agree.title")),
    h(
      "p",
      { class: "lead" },
      t("agree.lede"),
    ),
    form,
    results,
  );
}

function recordLabel(r) {
  const id = typeof r.id === "string" && r.id ? r.id : t("home.noId");
  const bits = [typeof r.observed_on === "string" ? r.observed_on : "", typeof r.observer === "string" && r.observer ? t("trends.coach", { id: r.observer }) : ""].filter(Boolean);
  return bits.length ? `${id} (${bits.join(", ")})` : id;
}

// ---------------------------------------------------------------------------------------------
// Numbers, shown as the engine gives them

/** A two-decimal kappa as `rubrica agree` prints it (Rust's `{:.2}`: an exact tie goes to even). */
export function fixed2(x) {
  // A tie at two decimals is an odd number of eighths (0.125, 0.375, …), exact in binary.
  if (Number.isInteger(x * 8) && !Number.isInteger(x * 4)) {
    const lo = Math.floor(x * 100);
    return ((lo % 2 === 0 ? lo : lo + 1) / 100).toFixed(2);
  }
  return x.toFixed(2);
}

/** A share: `41 of 43 (95.35%)`, or "none compared". */
function share(s, kind) {
  if (s.percent === null) return h("span", { class: "muted", "data-stat": kind }, t("agree.noneCompared"));
  return h(
    "span",
    { "data-stat": kind },
    h("data", { value: String(s.count) }, String(s.count)),
    ` ${t("trends.coverageOf")} `,
    h("data", { value: String(s.of) }, String(s.of)),
    " (",
    h("data", { value: String(s.percent), class: "pct" }, `${s.percent}%`),
    ")",
  );
}

/** A kappa to two decimals (the exact value in `data`), or "not defined" with a link to why. */
function kappa(k, kind, notes) {
  if (k.value === null) {
    const n = notes.number(k.reason || "not defined");
    return h("span", { "data-stat": kind, "data-undefined": "true" }, `${t("agree.notDefined")} `, h("a", { href: `#agree-note-${n}`, class: "note-ref", onclick: jumpToNote }, t("agree.note", { n })));
  }
  return h("data", { value: String(k.value), "data-stat": kind }, fixed2(k.value));
}

function jumpToNote(e) {
  e.preventDefault();
  const target = document.getElementById(e.currentTarget.getAttribute("href").slice(1));
  if (!target) return;
  target.setAttribute("tabindex", "-1");
  target.focus();
}

/** The reasons a kappa is not defined, numbered once each. */
function noteBook() {
  const reasons = [];
  return {
    number(reason) {
      let i = reasons.indexOf(reason);
      if (i < 0) i = reasons.push(reason) - 1;
      return i + 1;
    },
    list() {
      return reasons.length
        ? h(
            "section",
            { class: "block agree-notes", "aria-labelledby": "agree-notes-h" },
            h("h3", { id: "agree-notes-h" }, t("agree.whyNotDefined")),
            h(
              "ol",
              {},
              reasons.map((r, i) => h("li", { id: `agree-note-${i + 1}`, "data-testid": "kappa-note" }, r)),
            ),
          )
        : null;
    },
  };
}

// The statistics' column headings (message keys).
const STAT_HEADERS = ["agree.colCompared", "agree.colSame", "agree.colWithinOne", "agree.colKappa", "agree.colQuadratic"];

function statCells(s, notes) {
  return [
    h("td", { class: "num" }, h("data", { value: String(s.compared), "data-stat": "compared" }, String(s.compared))),
    h("td", {}, share(s.exact, "exact")),
    h("td", {}, share(s.within_one, "within_one")),
    h("td", { class: "num" }, kappa(s.kappa, "kappa", notes)),
    h("td", { class: "num" }, kappa(s.quadratic_kappa, "quadratic_kappa", notes)),
  ];
}

function statTable(caption, testid, firstHeader, rows) {
  return h(
    "div",
    // Scrolls sideways on a narrow screen: focusable, so the keyboard can scroll it too.
    { class: "table-wrap", tabindex: "0", role: "region", "aria-label": caption },
    h(
      "table",
      { class: "agree-stats", "data-testid": testid },
      h("caption", {}, caption),
      h("thead", {}, h("tr", {}, [firstHeader, ...STAT_HEADERS.map((k) => t(k))].map((text) => h("th", { scope: "col" }, text)))),
      h("tbody", {}, rows),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// The agreement

function renderAgreement(ag, rubrics, sourceLabels) {
  const notes = noteBook();
  const byId = new Map(rubrics.map((r) => [r.id, r]));
  const o = ag.overall;
  const pair = ag.pairs[0];
  const coach = (v, i) => (v && v.observer ? `${sideName(SIDES[i])} (${v.observer})` : sideName(SIDES[i]));
  const coaches = pair ? [coach(pair.a, 0), coach(pair.b, 1)] : SIDES.map(sideName);

  const agreedPractices = ag.practices.filter((p) => p.compared > 0 && p.exact.count === p.compared);
  const summary =
    o.compared === 0
      ? t("agree.nothingCompared")
      : t("agree.summary", { count: o.compared, exact: o.exact.count, exactPct: `${o.exact.percent}%`, within: o.within_one.count, withinPct: `${o.within_one.percent}%` });

  const practiceRows = ag.practices.map((p) =>
    h(
      "tr",
      { "data-testid": "agree-practice-row", "data-rubric": p.rubric.id },
      h("th", { scope: "row" }, p.rubric.title, h("span", { class: "version" }, ` v${p.rubric.version}`)),
      statCells(p, notes),
    ),
  );
  const overallRow = h("tr", { "data-testid": "agree-overall-row", class: "overall" }, h("th", { scope: "row" }, t("agree.allPractices")), statCells(o, notes));

  return [
    h("h2", { id: "agreement-h", tabindex: "-1" }, t("agree.whereAgree")),
    h(
      "ul",
      { class: "agree-visit", "data-testid": "agree-visit" },
      ag.pairs.map((p) =>
        SIDES.map((s, i) => {
          const v = p[s.key];
          return h("li", {}, h("strong", {}, `${coaches[i]}: `), `${v.record}, ${v.observed_on}, ${v.setting === "family-child-care" ? t("trends.familyChildCare") : v.setting === "center" ? t("setting.centerLower") : v.setting}`, h("span", { class: "muted" }, ` — ${sourceLabels[i]}`));
        }),
      ),
    ),
    ag.warnings.length ? h("div", { class: "notice", role: "note", "data-testid": "agree-warnings" }, h("p", {}, t("agree.checkFirst")), h("ul", {}, ag.warnings.map((w) => h("li", {}, w)))) : null,
    h("p", { class: "agree-summary", "data-testid": "agree-summary" }, summary),
    agreedPractices.length
      ? h(
          "p",
          { "data-testid": "agree-full-practices" },
          t("agree.fullPractices", { titles: agreedPractices.map((p) => p.rubric.title).join(", ") }),
        )
      : null,
    statTable(t("agree.byPractice"), "agree-summary-table", t("goals.practice"), [...practiceRows, overallRow]),
    h(
      "p",
      { class: "muted small" },
      t("agree.kappaNote"),
    ),
    differencesSection(ag, byId, coaches),
    notRatedSection(ag, byId, coaches),
    notComparedSection(ag, coaches),
    h(
      "section",
      { class: "block", "aria-labelledby": "agree-indicators-h" },
      h("h2", { id: "agree-indicators-h" }, t("agree.byIndicator")),
      ag.practices.map((p) =>
        statTable(
          t("agree.perIndicator", { title: p.rubric.title }),
          `agree-indicators-${p.rubric.id}`,
          t("result.indicator"),
          p.indicators.map((ind) =>
            h("tr", { "data-testid": "agree-indicator-row", "data-indicator": ind.id }, h("th", { scope: "row" }, ind.title), statCells(ind, notes)),
          ),
        ),
      ),
    ),
    notes.list(),
  ];
}

function differencesSection(ag, byId, coaches) {
  return h(
    "section",
    { class: "block", "aria-labelledby": "agree-diff-h", "data-testid": "agree-differences" },
    h("h2", { id: "agree-diff-h" }, t("agree.talkThrough")),
    ag.differences.length
      ? [
          h("p", {}, t("agree.ratedDifferently", { count: ag.differences.length })),
          ag.differences.map((d, i) => sideBySide(d, i, byId, coaches, t("agree.apart", { count: d.apart }))),
        ]
      : h("p", { class: "notice ok" }, t("agree.allSame")),
  );
}

function notRatedSection(ag, byId, coaches) {
  if (!ag.not_rated.length) return null;
  return h(
    "section",
    { class: "block", "aria-labelledby": "agree-notrated-h", "data-testid": "agree-not-rated" },
    h("h2", { id: "agree-notrated-h" }, t("agree.notRatedTitle")),
    h("p", {}, t("agree.notRatedText")),
    ag.not_rated.map((d, i) => {
      const one = (d.a.outcome === "rated") !== (d.b.outcome === "rated");
      return sideBySide(d, `n${i}`, byId, coaches, one ? t("agree.byOne") : t("agree.byNeither"), "agree-not-rated-item");
    }),
  );
}

function notComparedSection(ag, coaches) {
  if (!ag.not_compared.length) return null;
  const who = (f) => (f === "both" ? t("agree.eitherRecord") : t("agree.sideRecordLower", { side: coaches[f === "a" ? 0 : 1] }));
  return h(
    "section",
    { class: "block", "aria-labelledby": "agree-notcompared-h" },
    h("h2", { id: "agree-notcompared-h" }, t("agree.notComparedTitle")),
    h("ul", {}, ag.not_compared.map((n) => h("li", { "data-testid": "agree-not-compared" }, t("agree.notComparedItem", { title: n.title, who: who(n.failed) })))),
  );
}

/** One indicator, both coaches side by side: level, note, evidence in words, recorded items. */
function sideBySide(d, index, byId, coaches, apart, testid = "agree-difference") {
  const rubric = byId.get(d.rubric);
  const headingId = `agree-d-${index}`;
  const rows = [
    [t("agree.level"), (s) => level(s)],
    [t("agree.noteFromRubric"), (s) => (s.note ? s.note : s.reason ? s.reason : h("span", { class: "muted" }, t("agree.none")))],
    [t("result.evidenceCited"), (s) => evidence(s.evidence, rubric)],
    [t("agree.recorded"), (s) => recorded(s.recorded, rubric)],
  ];
  return h(
    "section",
    { class: "agree-diff", "aria-labelledby": headingId, "data-testid": testid, "data-indicator": d.indicator },
    h("h3", { id: headingId }, `${d.practice_title}: ${d.title}`, h("span", { class: "apart" }, ` (${apart})`)),
    h(
      "div",
      { class: "table-wrap", tabindex: "0", role: "region", "aria-labelledby": headingId },
      h(
        "table",
        { class: "agree-side-by-side" },
        h("caption", { class: "visually-hidden" }, t("agree.sideBySide", { title: d.title, a: coaches[0], b: coaches[1] })),
        h("thead", {}, h("tr", {}, h("td", {}), coaches.map((c) => h("th", { scope: "col" }, c)))),
        h(
          "tbody",
          {},
          rows.map(([label, cell]) => h("tr", {}, h("th", { scope: "row" }, label), [d.a, d.b].map((s, i) => h("td", { "data-side": SIDES[i].key }, cell(s))))),
        ),
      ),
    ),
  );
}

function level(s) {
  if (s.outcome === "rated") return h("span", { class: "badge level", "data-level": String(s.level) }, `${s.level} ${s.label ?? ""}`.trim());
  return h("span", { class: "badge nee" }, s.outcome === "not-applicable" ? t("agree.doesNotApply") : t("result.notEnough"));
}

/**
 * The engine's agreement (`rubrica.agreement/1`) with the practices', indicators' and levels'
 * words in the app's language, from `rubrics` (`engine.rubrics({lang})`): the agreement itself is
 * written with the rubrics' own texts. What a loaded rubric does not name is kept as given.
 */
export function localizeAgreement(ag, rubrics) {
  if (!ag || !Array.isArray(ag.practices)) return ag;
  const byId = new Map((rubrics || []).map((r) => [r.id, r]));
  const indicator = (rid, id) => byId.get(rid)?.meta?.indicators?.find((i) => i.id === id)?.title;
  const label = (rid, level) => byId.get(rid)?.meta?.scale?.levels?.find((l) => l.value === level)?.label;
  for (const p of ag.practices) {
    const r = byId.get(p.rubric.id);
    if (r) p.rubric.title = r.title;
    for (const ind of p.indicators || []) ind.title = indicator(p.rubric.id, ind.id) ?? ind.title;
  }
  for (const d of [...(ag.differences || []), ...(ag.not_rated || [])]) {
    d.practice_title = byId.get(d.rubric)?.title ?? d.practice_title;
    d.title = indicator(d.rubric, d.indicator) ?? d.title;
    for (const s of [d.a, d.b]) if (s && s.outcome === "rated") s.label = label(d.rubric, s.level) ?? s.label;
  }
  for (const n of ag.not_compared || []) n.title = byId.get(n.rubric)?.title ?? n.title;
  return ag;
}

/** The rubric item a record path names, when it is one: `/items/<rubric>/<item>[/…]`. */
export function itemOf(path, rubric) {
  const m = /^\/items\/([^/]+)\/([^/]+)/.exec(path);
  if (!m || !rubric || m[1] !== rubric.id) return null;
  const id = m[2].replaceAll("~1", "/").replaceAll("~0", "~");
  return rubric.meta.items.find((it) => it.id === id) || null;
}

function evidence(paths, rubric) {
  if (!paths || !paths.length) return h("span", { class: "muted" }, t("agree.noneCited"));
  return h(
    "ul",
    { class: "agree-evidence" },
    paths.map((p) => {
      const item = itemOf(p, rubric);
      return h("li", {}, item ? [item.label, " "] : null, h("code", { class: item ? "muted small" : "" }, p));
    }),
  );
}

function recorded(list, rubric) {
  // Only a record carries what was recorded; a report does not.
  if (!Array.isArray(list)) return h("span", { class: "muted" }, t("agree.notGiven"));
  if (!list.length) return h("span", { class: "muted" }, t("agree.noItemCited"));
  return h(
    "ul",
    { class: "agree-recorded" },
    list.map((r) => {
      const item = itemOf(r.path, rubric);
      const option = item && Array.isArray(item.options) ? item.options.find((o) => o.value === r.value) : null;
      return h(
        "li",
        {},
        item ? h("span", { class: "k" }, `${item.label}: `) : h("code", {}, `${r.path}: `),
        h("strong", {}, option ? option.label : String(r.value)),
        option ? h("span", { class: "muted" }, ` (${r.value})`) : null,
        r.note ? h("p", { class: "small" }, t("agree.noteLabel"), r.note) : null,
      );
    }),
  );
}
