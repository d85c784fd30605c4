// The coach's main flow in Spanish, in headless Chromium. A fresh profile (browser in English)
// switches to Español in the header: `<html lang>` follows, the choice is remembered; an example
// opened and scored shows the app's words in Spanish and the engine's Spanish rubric texts
// (titles, level labels, strengths, next steps, questions, the form's item labels) equal to
// `rubrica score --lang es --format json` and the rubrics' own Spanish; a switch while typing
// keeps what was typed, the focus on the switch and the live region quiet; after a reload the app
// is still in Spanish; the coaching report is in Spanish and its lists equal the CLI's; axe-core
// finds no WCAG 2.1 A/AA violation; at 320 CSS px nothing scrolls sideways. A browser whose
// language is Spanish starts in Spanish. Screenshots `spanish-*.png` in artifacts/.
//
// Run from this folder: `node --test spanish.test.mjs` (after `cargo xtask build-web`).
// The native CLI is `cargo run -p rubrica --features cli`, or the binary named by RUBRICA_CLI.

import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { chromium } from "playwright-core";
import { appInChromium, openApp, withApp } from "./suite.mjs";
import { REPO, artifact, axeViolations, readJson, rubrica } from "./helpers.mjs";

const suite = appInChromium(chromium);

const EXAMPLE = "examples/center-infants.json";

/** The CLI's Spanish report of the example: its rated practices by rubric id. */
function nativeSpanish() {
  const out = rubrica(["score", "--lang", "es", "--format", "json", EXAMPLE]);
  assert.ok(out.status === 0 || out.status === 1, out.stderr);
  const report = JSON.parse(out.stdout);
  assert.equal(report.language, "es");
  return new Map(report.practices.filter((p) => p.type === "success").map((p) => [p.result.rubric.id, p.result]));
}

/** No sideways scrolling: the page is as wide as the window and nothing sticks out. */
async function reflows(page, name) {
  const widths = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    window: window.innerWidth,
    wide: [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5 && !el.closest(".table-wrap, .cm-scroller, .section-nav ul"))
      .slice(0, 5)
      .map((el) => `${el.localName}.${el.className} ${Math.round(el.getBoundingClientRect().right)}px`),
  }));
  assert.equal(widths.window, 320);
  assert.ok(widths.page <= widths.window, `${name}: the page is ${widths.page}px wide: ${widths.wide.join(", ")}`);
  assert.deepEqual(widths.wide, [], `${name}: sticks out`);
}

const scored = (page) => page.waitForSelector("[data-testid=results][data-state=scored][data-pending=false]", { timeout: 30_000 });

test("a coach switches to Español: the app's words and the engine's rubric texts in Spanish, remembered across a reload, the coaching report in Spanish", async () => {
  const native = nativeSpanish();
  const { context, page, errors, network } = await openApp(suite, { axe: true, locale: "en-US" });
  try {
    // A fresh profile in an English browser starts in English.
    assert.equal(await page.getAttribute("html", "lang"), "en");
    assert.equal(await page.textContent("[data-testid=nav-observations]"), "Observations");
    assert.equal(await page.getAttribute("[data-testid=lang-es]", "lang"), "es");
    assert.equal(await page.getAttribute("[data-testid=lang-en]", "lang"), "en");
    assert.equal(await page.getAttribute("[data-testid=lang-en]", "aria-pressed"), "true");

    await page.click("[data-testid=lang-es]");
    await page.waitForFunction(() => document.documentElement.lang === "es");
    assert.equal(await page.getAttribute("[data-testid=lang-es]", "aria-pressed"), "true");
    assert.equal(await page.getAttribute("[data-testid=lang-en]", "aria-pressed"), "false");
    assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), "lang-es", "the focus stays on the switch");
    assert.equal(await page.evaluate(() => localStorage.getItem("rubrica.lang")), "es");
    assert.equal(await page.textContent("[data-testid=nav-observations]"), "Observaciones");
    assert.equal(await page.textContent("main h1"), "Observaciones");
    assert.equal(await page.getAttribute("[data-testid=lang-switch]", "aria-label"), "Idioma");
    assert.equal(await page.textContent("#status-message"), "", "nothing is announced");
    // The rubric list: the engine's Spanish titles.
    const titles = await page.$$eval("[data-testid=rubric-title]", (hs) => hs.map((h) => h.textContent));
    for (const r of native.values()) assert.ok(titles.includes(r.rubric.title), `rubric list has ${r.rubric.title}`);
    await page.screenshot({ path: artifact("spanish-home.png"), fullPage: true });

    // Open an example: scored, with the Spanish of the app and of the rubrics.
    await page.click("[data-testid=open-example]");
    await scored(page);
    assert.equal(await page.textContent("#results-h"), "Resultados");
    assert.equal(await page.textContent("#heading-visit"), "Visita");
    assert.equal(await page.textContent("#overview-h"), "Resumen de las seis prácticas");
    assert.match(await page.textContent("[data-testid=record-status]"), /^Calificado con \d+ rúbricas\. Los resultados se actualizan mientras escribe\.$/);
    assert.match(await page.title(), / · Rubrica$/);
    // The form's items in the rubric's Spanish (rubric.json translations.es).
    const meta = readJson(path.join(REPO, "rubrics/small-groups/rubric.json"));
    const label = await page.textContent("#item-small-groups-own-space .item-label");
    assert.equal(label, meta.translations.es.items["own-space"].label);
    assert.equal(await page.textContent("[data-testid=item-small-groups-own-space] .choice:nth-child(2) label"), "Sí");

    let compared = 0;
    for (const [id, r] of native) {
      const card = page.locator(`[data-testid="practice-card-${id}"]`);
      if (!(await card.count())) continue;
      compared += 1;
      assert.equal(await card.locator(".card-title").textContent(), r.rubric.title);
      assert.equal(await card.locator("[data-testid=practice-score]").textContent(), `${r.score.toFixed(2)} / ${r.scale_max}`);
      await card.click();
      const detail = page.locator(`[data-testid="practice-${id}"]`);
      assert.equal(await detail.locator("h4").first().textContent(), "Fortalezas");
      const strengths = await detail.locator("[data-testid=strengths] > ul > li").allTextContents();
      assert.equal(strengths.length, r.strengths.length);
      r.strengths.forEach((s, i) => {
        assert.ok(strengths[i].includes(s.title) && strengths[i].includes(s.text), `${id}: strength ${s.indicator}`);
        assert.ok(strengths[i].includes(`${s.level} ${s.label}`), `${id}: level ${s.level} ${s.label}`);
      });
      const growth = await detail.locator("[data-testid=growth-areas] > ul > li").allTextContents();
      assert.equal(growth.length, r.growth_areas.length);
      r.growth_areas.forEach((g, i) => assert.ok(growth[i].includes(`Próximo paso: ${g.next_step}`), `${id}: next step of ${g.indicator}`));
      const questions = await detail.locator("[data-testid=reflective-questions] > ul > li").allTextContents();
      assert.deepEqual(questions, r.focused_questions.map((q) => q.question), `${id}: questions`);
      const rows = await detail.locator("[data-testid=indicator-table] thead th").allTextContents();
      assert.deepEqual(rows, ["Indicador", "Calificación", "Evidencia citada"]);
    }
    assert.ok(compared >= 6, `the six practices compared (${compared})`);
    assert.deepEqual(await axeViolations(page), [], "axe: the editor in Spanish");
    await page.screenshot({ path: artifact("spanish-editor.png"), fullPage: false });
    await page.locator("[data-testid=results]").screenshot({ path: artifact("spanish-results.png") });

    // Typing, then switching language at once: what was typed stays (the record is the state),
    // the focus stays on the switch, and the field's value is saved.
    await page.fill("[data-testid=field-observer]", "coach-99");
    await page.click("[data-testid=lang-en]");
    await page.waitForFunction(() => document.querySelector("#results-h")?.textContent === "Results");
    await scored(page);
    assert.equal(await page.inputValue("[data-testid=field-observer]"), "coach-99");
    assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), "lang-en");
    assert.equal(await page.getAttribute("html", "lang"), "en");
    await page.click("[data-testid=lang-es]");
    await page.waitForFunction(() => document.querySelector("#results-h")?.textContent === "Resultados");
    await scored(page);
    assert.equal(await page.textContent("#status-message"), "", "nothing is announced");
    await page.waitForSelector("[data-testid=save-state][data-pending=false]");

    // A reload: still Spanish, with what was typed.
    await page.reload();
    await page.waitForSelector("body[data-ready=true]");
    await scored(page);
    assert.equal(await page.getAttribute("html", "lang"), "es");
    assert.equal(await page.textContent("#results-h"), "Resultados");
    assert.equal(await page.inputValue("[data-testid=field-observer]"), "coach-99");
    assert.equal(await page.textContent("[data-testid=practice-card-small-groups] .card-title"), native.get("small-groups").rubric.title);

    // The coaching report, in Spanish: its lists equal the CLI's Spanish report.
    await page.click("[data-testid=nav-report]");
    await page.waitForSelector("[data-testid=coaching-report][data-state=shown]", { timeout: 20_000 });
    assert.equal(await page.textContent("main h1"), "Informe de acompañamiento");
    assert.equal(await page.textContent("#report-strengths-h"), "Fortalezas");
    assert.equal(await page.textContent("#report-growth-h"), "Áreas de crecimiento — próximos pasos");
    assert.equal(await page.textContent("#report-questions-h"), "Preguntas para conversar");
    assert.match(await page.textContent("[data-testid=report-meta]"), /^Cuidador\/a \S+ · última visita 2026-03-14 \(centro, 150 minutos\) · 1 visita desde el 2026-03-14$/);
    const results = [...native.values()];
    const expQuestions = results.flatMap((r) => r.focused_questions.map((q) => q.question));
    assert.deepEqual(await page.$$eval("[data-testid=report-questions] .report-question", (qs) => qs.map((q) => q.textContent)), expQuestions);
    const reportText = await page.textContent("[data-testid=coaching-report]");
    for (const r of results) {
      for (const s of r.strengths) assert.ok(reportText.includes(s.text), `report: strength ${s.indicator}`);
      for (const g of r.growth_areas) assert.ok(reportText.includes(g.next_step), `report: next step ${g.indicator}`);
    }
    assert.ok(reportText.includes("Evidencia: "), "evidence named in Spanish");
    const captions = await page.$$eval("[data-testid=report-trends] figcaption", (cs) => cs.map((c) => c.textContent));
    for (const r of results) assert.ok(captions.includes(r.rubric.title), `chart of ${r.rubric.title}`);
    assert.deepEqual(await axeViolations(page), [], "axe: the coaching report in Spanish");
    await page.screenshot({ path: artifact("spanish-report.png"), fullPage: true });
    // Printed: the app's header and its language switch are left out.
    await page.emulateMedia({ media: "print" });
    assert.equal(await page.locator("[data-testid=lang-switch]").isVisible(), false);
    await page.screenshot({ path: artifact("spanish-report-print.png"), fullPage: true });
    await page.emulateMedia({ media: "screen" });

    // A switch in the report: drawn again in English for the caregiver chosen, the focus on the
    // switch, nothing announced.
    await page.selectOption("[data-testid=report-who]", "cg-b");
    await page.waitForSelector("[data-testid=coaching-report][data-caregiver=cg-b]");
    await page.evaluate(() => (document.getElementById("status-message").textContent = ""));
    await page.click("[data-testid=lang-en]");
    await page.waitForFunction(() => document.querySelector("main h1")?.textContent === "Coaching report");
    await page.waitForSelector("[data-testid=coaching-report][data-caregiver=cg-b]");
    assert.equal(await page.inputValue("[data-testid=report-who]"), "cg-b");
    assert.equal(await page.textContent("#report-strengths-h"), "Strengths");
    assert.equal(await page.textContent("#status-message"), "", "nothing is announced");
    assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), "lang-en");

    assert.deepEqual(errors, [], "no script errors");
    assert.deepEqual(network.outside, [], "no request left 127.0.0.1");
  } finally {
    await context.close();
  }
});

test("at 320 CSS px in Spanish nothing scrolls sideways: the list, the editor, the coaching report", () =>
  withApp(suite, { axe: true, width: 320, height: 720, locale: "en-US" }, async (page) => {
    await page.click("[data-testid=lang-es]");
    await page.waitForFunction(() => document.documentElement.lang === "es");
    await reflows(page, "list");
    await page.screenshot({ path: artifact("spanish-320-home.png"), fullPage: true });
    await page.click("[data-testid=open-example]");
    await scored(page);
    await reflows(page, "editor");
    await page.screenshot({ path: artifact("spanish-320-editor.png") });
    await page.click("[data-testid=score-bar-jump]");
    await page.waitForTimeout(200);
    await page.screenshot({ path: artifact("spanish-320-results.png") });
    await page.click("[data-testid=nav-report]");
    await page.waitForSelector("[data-testid=coaching-report][data-state=shown]", { timeout: 20_000 });
    await reflows(page, "report");
    assert.deepEqual(await axeViolations(page), [], "axe at 320 px");
    await page.screenshot({ path: artifact("spanish-320-report.png"), fullPage: true });
  }));

test("a browser whose language is Spanish starts in Spanish, the trainer view too; a language chosen is kept over the browser's", async () => {
  await withApp(suite, { locale: "es-MX" }, async (page) => {
    assert.equal(await page.getAttribute("html", "lang"), "es");
    assert.equal(await page.textContent("main h1"), "Observaciones");
    assert.equal(await page.getAttribute("[data-testid=lang-es]", "aria-pressed"), "true");
    // The trainer view in Spanish; nothing edited, a switch draws it again in English.
    await page.click("[data-testid=nav-trainer]");
    await page.waitForSelector(".trainer");
    assert.equal(await page.textContent("main h1"), "Formador/a: editar y probar rúbricas");
    await page.click("[data-testid=lang-en]");
    await page.waitForFunction(() => document.querySelector("main h1")?.textContent === "Trainer: edit and test rubrics");
    await page.click("[data-testid=lang-es]");
    await page.waitForFunction(() => document.querySelector("main h1")?.textContent === "Formador/a: editar y probar rúbricas");
    await page.click("[data-testid=nav-observations]");
    await page.waitForFunction(() => document.querySelector("main h1")?.textContent === "Observaciones");
    await page.click("[data-testid=lang-en]");
    await page.reload();
    await page.waitForSelector("body[data-ready=true]");
    assert.equal(await page.getAttribute("html", "lang"), "en");
    assert.equal(await page.textContent("main h1"), "Observations");
  });
});

test("a switch while a shared goal is being written keeps what is typed; other views are drawn again in the new language", () =>
  withApp(suite, { locale: "en-US" }, async (page) => {
    await page.click("[data-testid=open-example]");
    await scored(page);
    await page.goto(page.url().replace(/#.*$/, "#/goals/cg-a"));
    await page.waitForSelector("[data-testid=goals-view]");
    await page.click("[data-testid=goal-add]");
    await page.fill("[data-testid=goal-title]", "Children choose when to join the small group");
    await page.click("[data-testid=lang-es]");
    await page.waitForFunction(() => document.documentElement.lang === "es");
    assert.equal(await page.inputValue("[data-testid=goal-title]"), "Children choose when to join the small group", "the goal being written is kept");
    assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), "lang-es");
    assert.equal(await page.textContent("[data-testid=nav-people]"), "Personas");
    // The people view, opened next, is in Spanish; a switch there draws it again in English.
    await page.click("[data-testid=nav-people]");
    await page.waitForFunction(() => document.querySelector("main h1")?.textContent === "Personas y lugares");
    await page.click("[data-testid=lang-en]");
    await page.waitForFunction(() => document.querySelector("main h1")?.textContent === "People and places");
    assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), "lang-en");
    assert.equal(await page.textContent("#status-message"), "", "nothing is announced");
  }));
