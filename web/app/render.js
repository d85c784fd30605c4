// Renders what the engine returns: the six-practice overview and each practice's result
// (strengths first, growth areas as next steps, reflective questions, the indicator table).
// Nothing here rates anything; it only lays out the engine's answer.

import { h } from "./dom.js";
import { t, formatNumber } from "./i18n.js";

/** `4.43 / 5`, or null when the practice has no score. */
function scoreText(result) {
  if (result.score === null || result.score === undefined) return null;
  return `${formatNumber(Number(result.score), 2)} / ${formatNumber(result.scale_max)}`;
}

function evidenceList(paths, onEvidence, rubricId) {
  if (!paths || paths.length === 0) return h("span", { class: "muted" }, "—");
  return h(
    "ul",
    { class: "evidence", "aria-label": t("result.evidenceCited") },
    paths.map((p) =>
      h(
        "li",
        {},
        h(
          "button",
          {
            type: "button",
            class: "link evidence-path",
            "data-testid": "evidence",
            title: t("result.showEvidence"),
            onclick: () => onEvidence(rubricId, p),
          },
          h("code", {}, p),
        ),
      ),
    ),
  );
}

function overviewCard(entry, selected, onSelect) {
  if (entry.type === "failure") {
    return h(
      "li",
      {},
      h(
        "button",
        {
          type: "button",
          class: `card failure${selected ? " selected" : ""}`,
          "aria-pressed": selected ? "true" : "false",
          "data-testid": `practice-card-${entry.rubric}`,
          onclick: () => onSelect(entry.rubric),
        },
        h("span", { class: "card-title" }, entry.title),
        h("span", { class: "card-score", "data-testid": "practice-score" }, t("result.couldNotScore")),
        h("span", { class: "card-meta" }, t("result.problemsToFix", { count: entry.errors.length })),
      ),
    );
  }
  const r = entry.result;
  const score = scoreText(r);
  const pct = score ? Math.round((Number(r.score) / r.scale_max) * 100) : 0;
  return h(
    "li",
    {},
    h(
      "button",
      {
        type: "button",
        class: `card${score ? "" : " no-evidence"}${selected ? " selected" : ""}`,
        "aria-pressed": selected ? "true" : "false",
        "data-testid": `practice-card-${r.rubric.id}`,
        onclick: () => onSelect(r.rubric.id),
      },
      h("span", { class: "card-title" }, r.rubric.title),
      h("span", { class: "card-score", "data-testid": "practice-score" }, score ?? t("result.notEnoughYet")),
      score
        ? h("span", { class: "meter", "aria-hidden": "true" }, h("span", { class: "meter-fill", style: `width:${pct}%` }))
        : h("span", { class: "meter empty", "aria-hidden": "true" }),
      h(
        "span",
        { class: "card-meta" },
        `${t("result.rated", { rated: r.coverage.rated, count: r.coverage.total })} · ${t("result.strengthCount", { count: r.strengths.length })}`,
      ),
    ),
  );
}

function practiceDetail(entry, onEvidence, locate) {
  if (entry.type === "failure") {
    return h(
      "section",
      { class: "practice failure", "data-testid": `practice-${entry.rubric}`, "aria-labelledby": `practice-h-${entry.rubric}` },
      h("h3", { id: `practice-h-${entry.rubric}` }, entry.title),
      h("p", {}, t("result.failedPractice")),
      diagnosticList(entry.errors, locate),
    );
  }
  const r = entry.result;
  const id = r.rubric.id;
  const score = scoreText(r);
  const parts = [
    h("h3", { id: `practice-h-${id}` }, r.rubric.title, h("span", { class: "version" }, ` v${r.rubric.version}`)),
    h(
      "p",
      { class: "practice-status", "data-testid": "practice-status" },
      score
        ? [h("strong", {}, score), ` — ${t("result.rated", { rated: r.coverage.rated, count: r.coverage.total })}`]
        : [
            h("strong", {}, t("result.notEnoughYetSentence")),
            ` ${t("result.couldBeRated", { rated: r.coverage.rated, count: r.coverage.total })}`,
          ],
    ),
  ];

  // Strengths and growth areas share one layout: title and level, the text, what was seen,
  // and the cited evidence.
  const ratedSection = (cls, testid, heading, entries, badgeClass, body, empty) =>
    h(
      "section",
      { class: `block ${cls}`, "data-testid": testid },
      h("h4", {}, heading),
      entries.length
        ? h(
            "ul",
            {},
            entries.map((e) =>
              h(
                "li",
                {},
                h("p", { class: "entry-title" }, e.title, " ", h("span", { class: badgeClass }, `${e.level} ${e.label}`)),
                body(e),
                e.note ? h("p", { class: "seen" }, h("span", { class: "k" }, t("result.seen")), e.note) : null,
                evidenceList(e.evidence, onEvidence, id),
              ),
            ),
          )
        : h("p", { class: "muted" }, empty),
    );

  parts.push(
    ratedSection("strengths", "strengths", t("result.strengths"), r.strengths, "badge level", (s) => h("p", {}, s.text), t("result.noStrengths")),
  );
  parts.push(
    ratedSection(
      "growth",
      "growth-areas",
      t("result.growthAreas"),
      r.growth_areas,
      "badge level growth",
      (g) => h("p", {}, h("span", { class: "k" }, t("result.nextStep")), g.next_step),
      t("result.noGrowth"),
    ),
  );

  parts.push(
    h(
      "section",
      { class: "block questions", "data-testid": "reflective-questions" },
      h("h4", {}, t("result.questions")),
      // A few for the conversation (growth areas first); the full list stays one click away.
      h(
        "ul",
        {},
        (r.focused_questions || r.reflective_questions).map((q) => h("li", {}, q.question)),
      ),
      r.focused_questions && r.reflective_questions.length > r.focused_questions.length
        ? h(
            "details",
            {},
            h("summary", {}, t("result.allQuestions", { count: r.reflective_questions.length })),
            h("ul", {}, r.reflective_questions.map((q) => h("li", {}, q.question))),
          )
        : null,
    ),
  );

  if (r.missing_evidence.length) {
    parts.push(
      h(
        "section",
        { class: "block missing", "data-testid": "missing-evidence" },
        h("h4", {}, t("result.missingTitle")),
        h(
          "ul",
          {},
          r.missing_evidence.map((m) =>
            h(
              "li",
              {},
              h("p", { class: "entry-title" }, m.title),
              h("p", {}, m.reason),
              h("p", {}, h("span", { class: "k" }, t("result.lookFor")), m.gather),
            ),
          ),
        ),
      ),
    );
  }

  parts.push(
    h(
      "section",
      { class: "block" },
      h("h4", { id: `ind-h-${id}` }, t("result.indicators")),
      h(
        "div",
        { class: "table-wrap" },
        h(
          "table",
          { class: "indicators", "data-testid": "indicator-table", "aria-labelledby": `ind-h-${id}` },
          h(
            "thead",
            {},
            h("tr", {}, h("th", { scope: "col" }, t("result.indicator")), h("th", { scope: "col" }, t("result.rating")), h("th", { scope: "col" }, t("result.evidenceCited"))),
          ),
          h(
            "tbody",
            {},
            r.indicators.map((ind) =>
              h(
                "tr",
                { "data-testid": `indicator-${ind.id}`, "data-outcome": ind.outcome },
                h("th", { scope: "row" }, ind.title, h("span", { class: "kind" }, ind.kind === "structural" || ind.kind === "process" ? t(`kind.${ind.kind}`) : ind.kind)),
                h(
                  "td",
                  {},
                  ind.outcome === "rated"
                    ? h("span", { class: `badge level${r.strengths.some((s) => s.indicator === ind.id) ? "" : " growth"}` }, `${ind.level} ${ind.label}`)
                    : ind.outcome === "not-applicable"
                      ? h("span", { class: "badge nee", "data-testid": "not-applicable" }, t("result.notApplicable"))
                      : h("span", { class: "badge nee", "data-testid": "not-enough-evidence" }, t("result.notEnough")),
                  ind.note ? h("p", { class: "small" }, ind.note) : null,
                  ind.reason ? h("p", { class: "small" }, ind.reason) : null,
                ),
                h("td", {}, evidenceList(ind.evidence, onEvidence, id)),
              ),
            ),
          ),
        ),
      ),
    ),
  );

  if (r.warnings.length) {
    // On screen every warning is listed once, under "Problems and warnings"; on paper, here.
    parts.push(h("section", { class: "block print-only" }, h("h4", {}, t("result.warnings")), diagnosticList(r.warnings, locate)));
  }
  return h("section", { class: "practice", "data-testid": `practice-${id}`, "aria-labelledby": `practice-h-${id}` }, parts);
}

/** A list of diagnostics; those with a field get a button that moves focus to it. */
export function diagnosticList(diagnostics, locate) {
  return h(
    "ul",
    { class: "diagnostics", "data-testid": "problem-list" },
    diagnostics.map((d) => {
      const target = locate ? locate(d.path) : null;
      const where = [d.file, d.line ? `${d.line}:${d.column ?? 1}` : null].filter(Boolean).join(":");
      return h(
        "li",
        { class: d.severity === "warning" ? "warning" : "error", "data-testid": "problem", "data-path": d.path ?? "" },
        h("span", { class: "badge sev" }, t(d.severity === "warning" ? "severity.warning" : "severity.error")),
        " ",
        h("code", {}, d.code),
        " ",
        d.message,
        where ? h("span", { class: "where" }, ` ${where}`) : null,
        d.path ? h("span", { class: "where" }, ` ${t("problem.at")} `, h("code", {}, d.path)) : null,
        d.help ? h("p", { class: "hint" }, d.help) : null,
        // Named with the path too: a list of problems has one such button per field.
        target ? h("button", { type: "button", class: "link small", onclick: () => target(), "aria-label": t("problem.goToFieldAt", { path: d.path }) }, t("problem.goToField")) : null,
      );
    }),
  );
}

/**
 * The line under the overview's heading: an observation's setting, date and minutes; a record of
 * another kind (a reflection: `record_format`, no setting or minutes) its date only.
 */
function recordLine(report) {
  if (report.record_format || report.setting === undefined) {
    return t("result.reflectionLine", { record: report.record, date: report.observed_on });
  }
  return t("result.recordLine", { record: report.record, setting: t(report.setting === "center" ? "setting.centerLower" : "setting.homeLower"), date: report.observed_on, minutes: t("result.minutes", { count: report.minutes }) });
}

/**
 * Draws a report: overview cards, then the selected practice (every practice when printing).
 * Returns the ids of the practices shown.
 */
export function renderReport(container, report, selected, handlers) {
  const entries = report.practices;
  const ids = entries.map((e) => (e.type === "failure" ? e.rubric : e.result.rubric.id));
  const current = ids.includes(selected) ? selected : ids[0];
  const overview = h(
    "section",
    { class: "overview", "aria-labelledby": "overview-h", "data-testid": "overview" },
    h("h2", { id: "overview-h" }, report.record_format ? t("result.reflectionOverview") : t("result.overview")),
    h("p", { class: "muted small", "data-testid": "record-line" }, recordLine(report)),
    h(
      "ul",
      { class: "cards" },
      entries.map((e, i) => overviewCard(e, ids[i] === current, handlers.onSelect)),
    ),
  );
  const details = entries.map((e, i) => {
    const el = practiceDetail(e, handlers.onEvidence, handlers.locate);
    if (ids[i] !== current) el.classList.add("screen-hidden");
    return el;
  });
  const warnings = report.warnings.length
    ? h("section", { class: "block print-only" }, h("h3", {}, t("result.aboutRecord")), diagnosticList(report.warnings, handlers.locate))
    : null;
  container.replaceChildren(overview, warnings ?? "", ...details);
  return current;
}
