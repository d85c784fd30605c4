// The coaching report in headless Chromium: four visits of one caregiver imported as files (as in
// trends.test.mjs). The report lists strengths, then growth areas, then questions, and each list
// equals `rubrica score --format json` on the latest visit; evidence is named in words (no record
// path such as `/children/0` or `/items/…` anywhere in the text); a chart per practice; printed
// (print media, A4), the page makes a PDF and its first page is more than half full; axe-core
// finds no WCAG 2.1 A/AA violation.
//
// Run from this folder: `node --test coaching-report.test.mjs` (after `cargo xtask build-web`).
// The native CLI is `cargo run -p rubrica --features cli`, or the binary named by RUBRICA_CLI.

import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { appInChromium, openApp } from "./suite.mjs";
import { artifact, fourVisitRecords, removeDir, rubrica, tempDir, axeViolations } from "./helpers.mjs";

const suite = appInChromium(chromium);


// A4 at 96 CSS px per inch, less the report's 18 mm page margins on each side.
const MM = 96 / 25.4;
const PAGE_W = Math.floor((210 - 36) * MM);
const PAGE_H = Math.floor((297 - 36) * MM);


test("a caregiver's coaching report: the latest visit's strengths, next steps and questions, charts, and a full first page in print", async () => {
  const dir = tempDir("rubrica-report-");
  const files = fourVisitRecords().map((r, i) => {
    const file = path.join(dir, `visit-${i + 1}.json`);
    writeFileSync(file, `${JSON.stringify(r, null, 2)}\n`);
    return file;
  });
  // What the report must say: the native report of the latest visit.
  const native = rubrica(["score", "--format", "json", files[3]]);
  assert.equal(native.status, 0, native.stderr);
  const expected = JSON.parse(native.stdout);
  const results = expected.practices.filter((p) => p.type === "success").map((p) => p.result);
  assert.equal(results.length, 6);
  const expStrengths = results.flatMap((r) => r.strengths.map((s) => `${r.rubric.id}/${s.indicator}`));
  const expGrowth = results.flatMap((r) => r.growth_areas.map((g) => `${r.rubric.id}/${g.indicator}`));
  const expQuestions = results.flatMap((r) => r.focused_questions.map((q) => q.question));
  assert.ok(expStrengths.length && expGrowth.length && expQuestions.length, "the latest visit has strengths, growth areas and questions");

  const { context, page, errors, network } = await openApp(suite, { axe: true });
  try {
    await page.setInputFiles("[data-testid=import-file]", files);
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=draft-row]").length === 4, null, { timeout: 20_000 });

    await page.click("[data-testid=nav-report]");
    await page.waitForSelector("[data-testid=coaching-report][data-state=shown]", { timeout: 20_000 });
    assert.equal(await page.getAttribute("[data-testid=nav-report]", "aria-current"), "page");
    assert.equal(await page.evaluate(() => document.querySelector("main").dataset.view), "report");
    assert.deepEqual(await page.$$eval("[data-testid=report-who] option", (os) => os.map((o) => o.value)), ["cg-a", "cg-b"]);
    await page.selectOption("[data-testid=report-who]", "cg-a");
    await page.waitForSelector("[data-testid=coaching-report][data-caregiver=cg-a]");
    assert.match(await page.textContent("[data-testid=report-meta]"), /latest visit 2026-07-06/);

    // Strengths, then growth areas, then questions, then the charts, then the goals line.
    const order = await page.$$eval("[data-testid=coaching-report] > section", (ss) => ss.map((s) => s.dataset.testid));
    assert.deepEqual(order, ["report-strengths", "report-growth", "report-questions", "report-trends", "report-goals"]);
    const ids = (testid) => page.$$eval(`[data-testid=${testid}] li`, (ls) => ls.map((l) => `${l.dataset.rubric}/${l.dataset.indicator}`));
    assert.deepEqual(await ids("report-strengths"), expStrengths, "strengths as `rubrica score`");
    assert.deepEqual(await ids("report-growth"), expGrowth, "growth areas as `rubrica score`");
    assert.deepEqual(await page.$$eval("[data-testid=report-questions] .report-question", (qs) => qs.map((q) => q.textContent)), expQuestions, "focused questions as `rubrica score`");
    const growthText = await page.textContent("[data-testid=report-growth]");
    for (const r of results) for (const g of r.growth_areas) assert.ok(growthText.includes(g.next_step), `next step of ${g.indicator}`);
    assert.equal(await page.locator("[data-testid=report-trends] [data-testid=trend-chart]").count(), 6, "a chart per practice");
    assert.equal(await page.locator("[data-testid=report-trends] [data-testid=trend-point]").count(), 6 * 4, "four visits on each chart");

    // No record path in the words: evidence is the item's question or the field in plain words.
    const text = await page.textContent("main");
    const pointer = text.match(/\/(children|caregivers|headcounts|items|minutes|setting)(\/|\b)[\w~./-]*/);
    assert.equal(pointer, null, `no JSON pointer in the report (found ${pointer && pointer[0]})`);
    assert.ok(text.includes("Evidence: "), "evidence is named");
    assert.ok(text.includes("No shared goals recorded for this caregiver yet"), "goals: none agreed yet, and said so");

    assert.deepEqual(await axeViolations(page), [], "axe finds no WCAG 2.1 A/AA violation");

    // Print: an A4 PDF is made; with print media at the page's content width, the content on the
    // first page's height fills more than half of it. A block that must not be split (a list
    // entry, a chart, a heading kept with what follows) and crosses the page's end moves whole to
    // the next page, so it is not counted.
    const pdf = await page.pdf({ format: "A4" });
    assert.equal(pdf.subarray(0, 5).toString(), "%PDF-");
    const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page\b/g) || []).length;
    assert.ok(pages >= 2, `the PDF has pages (${pages})`);
    await page.emulateMedia({ media: "print" });
    await page.setViewportSize({ width: PAGE_W, height: PAGE_H });
    assert.equal(await page.locator(".site-header").isVisible(), false, "the app's header is not printed");
    assert.equal(await page.locator("[data-testid=report-print]").isVisible(), false, "the print button is not printed");
    assert.equal(await page.locator("[data-testid=report-who]").isVisible(), false, "the caregiver picker is not printed");
    const fill = await page.evaluate((pageH) => {
      const top = document.querySelector("main h1").getBoundingClientRect().top + window.scrollY;
      const blocks = [...document.querySelectorAll("main h1, main .report-meta, main h2, .report-list > li, .report-chart, .report-section > p")];
      let bottom = top;
      for (const b of blocks) {
        const r = b.getBoundingClientRect();
        const y0 = r.top + window.scrollY - top;
        const y1 = r.bottom + window.scrollY - top;
        if (r.height > 0 && y1 <= pageH) bottom = Math.max(bottom, y1 + top);
        else if (y0 < pageH) break;
      }
      return { start: top, used: bottom - top };
    }, PAGE_H);
    // Laid out on screen, a forced page break does not show: none may stand before the first
    // page's end (a title page, or a section pushed to the next page).
    const forced = await page.evaluate((end) => {
      const out = [];
      for (const el of document.querySelectorAll("main *")) {
        const cs = getComputedStyle(el);
        const r = el.getBoundingClientRect();
        if (r.height === 0 || r.top + window.scrollY > end) continue;
        for (const [side, v] of [["before", cs.breakBefore], ["after", cs.breakAfter]]) {
          if (/^(page|always|left|right|recto|verso)$/.test(v)) out.push(`${el.localName}.${el.className} break-${side}: ${v}`);
        }
      }
      return out;
    }, fill.start + fill.used);
    assert.deepEqual(forced, [], "no forced page break on the first page");
    assert.ok(fill.start < PAGE_H * 0.1, `the report starts at the top of the first page (${fill.start} px)`);
    assert.ok(fill.used / PAGE_H > 0.5, `the first page is more than half full (${Math.round((100 * fill.used) / PAGE_H)}%)`);
    // The first printed page as it lays out (print media, A4 content size), to look at.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: artifact("coaching-report-print.png") });
    console.log(`coaching report: first page ${Math.round((100 * fill.used) / PAGE_H)}% full, PDF ${pages} pages`);

    assert.deepEqual(errors, [], "no errors in the page");
    assert.deepEqual(network.outside, [], "no request leaves the page's origin");
  } finally {
    await context.close();
    removeDir(dir);
  }
});
