// The reliability view in headless Chromium: two coaches' records of one visit (the example
// and a copy with a few item values changed, imported as a file) compared in the page. Every
// number the view shows equals `rubrica agree --format json` on the same two files, the
// indicators rated differently are shown side by side in the engine's order, and axe-core finds
// no WCAG 2.1 A/AA violation on the view, also at 320 CSS px (no sideways scrolling).
//
// Run from this folder: `node --test reliability.test.mjs` (after `cargo xtask build-web`). The
// native CLI is `cargo run -p rubrica --features cli`, or the binary named by RUBRICA_CLI.

import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { appInChromium, openApp } from "./suite.mjs";
import { REPO, artifact, readJson, removeDir, rubrica, tempDir, watchNetwork, axeViolations } from "./helpers.mjs";

const suite = appInChromium(chromium);

/** Coach B's record of the same visit: the example with three item values seen differently. */
function secondCoach(record) {
  const b = structuredClone(record);
  b.id = `${record.id}-b`;
  b.observer = "coach-12";
  b.items["small-groups"]["own-space"].value = "no";
  b.items["small-groups"]["calm-atmosphere"].value = "some";
  b.items["small-groups"]["calm-atmosphere"].note = "loud stretch at lunch and again at pick-up";
  return b;
}

/** What a share cell shows: `41 of 43 (95.35%)`, or "none compared". */
const shareText = (s) => (s.percent === null ? "none compared" : `${s.count} of ${s.of} (${s.percent}%)`);

/** Every stat cell of a row as shown, and the exact values behind the numbers. */
async function rowStats(row) {
  return row.evaluate((tr) => {
    const out = {};
    for (const el of tr.querySelectorAll("[data-stat]")) {
      out[el.dataset.stat] = {
        text: el.textContent,
        values: el.localName === "data" ? [el.value] : [...el.querySelectorAll("data")].map((d) => d.value),
        undefined: el.dataset.undefined === "true",
      };
    }
    return out;
  });
}

function checkStats(shown, expected, where, notes) {
  assert.equal(shown.compared.text, String(expected.compared), `${where}: compared`);
  assert.deepEqual(shown.compared.values.map(Number), [expected.compared], `${where}: compared`);
  for (const k of ["exact", "within_one"]) {
    const s = expected[k];
    assert.equal(shown[k].text, shareText(s), `${where}: ${k}`);
    const want = s.percent === null ? [] : [s.count, s.of, s.percent];
    assert.deepEqual(shown[k].values.map(Number), want, `${where}: ${k} (exact values)`);
  }
  for (const k of ["kappa", "quadratic_kappa"]) {
    const v = expected[k].value;
    if (v === null) {
      assert.ok(shown[k].undefined, `${where}: ${k} is not defined`);
      const n = Number(/\(note (\d+)\)/.exec(shown[k].text)?.[1]);
      assert.match(shown[k].text, /^not defined \(note \d+\)$/, `${where}: ${k}`);
      assert.equal(notes[n - 1], expected[k].reason, `${where}: ${k}'s note gives the engine's reason`);
    } else {
      assert.ok(!shown[k].undefined, `${where}: ${k} is defined`);
      assert.deepEqual(shown[k].values.map(Number), [v], `${where}: ${k} (exact value)`);
      assert.equal(shown[k].text, v.toFixed(2), `${where}: ${k} (two decimals)`);
    }
  }
}


test("two coaches' records of one visit: the view shows `rubrica agree`'s numbers and differences", async () => {
  const dir = tempDir("rubrica-agree-");
  const a = readJson(path.join(REPO, "examples/center-infants.json"));
  const b = secondCoach(a);
  const fileA = path.join(dir, "coach-a.json");
  const fileB = path.join(dir, "coach-b.json");
  writeFileSync(fileA, `${JSON.stringify(a, null, 2)}\n`);
  writeFileSync(fileB, `${JSON.stringify(b, null, 2)}\n`);
  const native = rubrica(["agree", "--format", "json", fileA, fileB]);
  assert.equal(native.status, 0, native.stderr);
  const expected = JSON.parse(native.stdout);
  assert.equal(expected.differences.length, 2, "the changed items give two differences");
  assert.ok(expected.practices.some((p) => p.kappa.value === null || p.indicators.some((i) => i.kappa.value === null)), "a kappa is undefined somewhere");

  // axe is injected as a script of the page, which its own security policy would refuse.
  const { context, page, errors, network } = await openApp(suite, { axe: true });
  try {

    // Coach A's record is an observation saved in this browser: the example, opened.
    await page.click("[data-testid=open-example]");
    await page.waitForSelector("[data-testid=results][data-state=scored]", { timeout: 20_000 });

    // The view is reached from the main navigation; its heading takes the focus.
    await page.click("[data-testid=nav-reliability]");
    await page.waitForSelector("[data-testid=agree-form]", { timeout: 20_000 });
    assert.equal(await page.getAttribute("[data-testid=nav-reliability]", "aria-current"), "page");
    assert.equal(await page.evaluate(() => document.activeElement?.localName), "h1");
    assert.equal(await page.evaluate(() => document.querySelector("main").dataset.view), "reliability");
    assert.deepEqual(await axeViolations(page), [], "violations on the empty reliability view");

    // Coach A: the saved observation, picked by its label; coach B: the changed record, as a file.
    const saved = `${a.id} (${a.observed_on}, coach ${a.observer})`;
    await page.getByLabel("Saved observation or example").first().selectOption({ label: saved });
    assert.match(await page.inputValue("[data-testid=agree-pick-a]"), /^draft:/);
    await page.setInputFiles("[data-testid=agree-file-b]", fileB);
    // The file is read, then chosen for coach B.
    await page.waitForFunction(() => document.querySelector("[data-testid=agree-pick-b]").value === "file:1");
    await page.click("[data-testid=agree-compare]");
    await page.waitForSelector("[data-testid=agreement][data-state=compared]");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "agreement-h", "the results' heading takes the focus");

    const notes = await page.$$eval("[data-testid=kappa-note]", (els) => els.map((e) => e.textContent));
    // Overall and per practice, in the engine's order.
    checkStats(await rowStats(page.locator("[data-testid=agree-overall-row]")), expected.overall, "overall", notes);
    const rubricsShown = await page.$$eval("[data-testid=agree-practice-row]", (rows) => rows.map((r) => r.dataset.rubric));
    assert.deepEqual(rubricsShown, expected.practices.map((p) => p.rubric.id));
    let rows = 1;
    for (const p of expected.practices) {
      checkStats(await rowStats(page.locator(`[data-testid=agree-practice-row][data-rubric="${p.rubric.id}"]`)), p, p.rubric.id, notes);
      const table = page.locator(`[data-testid="agree-indicators-${p.rubric.id}"]`);
      const ids = await table.locator("[data-testid=agree-indicator-row]").evaluateAll((trs) => trs.map((t) => t.dataset.indicator));
      assert.deepEqual(ids, p.indicators.map((i) => i.id), `${p.rubric.id}: every indicator, in order`);
      for (const ind of p.indicators) {
        checkStats(await rowStats(table.locator(`[data-indicator="${ind.id}"]`)), ind, `${p.rubric.id}/${ind.id}`, notes);
      }
      rows += 1 + p.indicators.length;
    }
    // Every undefined kappa's reason is listed once, and no other note.
    const reasons = new Set();
    for (const s of [expected.overall, ...expected.practices, ...expected.practices.flatMap((p) => p.indicators)]) {
      for (const k of [s.kappa, s.quadratic_kappa]) if (k.value === null) reasons.add(k.reason);
    }
    assert.deepEqual(new Set(notes), reasons);
    assert.equal(notes.length, reasons.size);
    // No number in a stat table that the checks above did not see: every row was checked.
    assert.equal(await page.locator("table.agree-stats tbody tr").count(), rows);

    // The summary sentence, strengths first.
    const o = expected.overall;
    assert.equal(
      await page.textContent("[data-testid=agree-summary]"),
      `Of the ${o.compared} indicators you both rated, you gave the same level to ${o.exact.count} (${o.exact.percent}%) and levels at most one apart to ${o.within_one.count} (${o.within_one.percent}%).`,
    );
    const order = await page.$$eval("#main h2", (hs) => hs.map((x) => x.id));
    assert.ok(order.indexOf("agreement-h") < order.indexOf("agree-diff-h"), "where they agree comes before the differences");

    // The differences side by side: the engine's order, both levels with labels, both notes,
    // the evidence in words, the recorded values with their option labels.
    const diffs = page.locator("[data-testid=agree-difference]");
    assert.deepEqual(await diffs.evaluateAll((els) => els.map((e) => e.dataset.indicator)), expected.differences.map((d) => d.indicator));
    const rubrics = readJson(path.join(REPO, "web/app/data/rubrics.json"));
    for (const [i, d] of expected.differences.entries()) {
      const el = diffs.nth(i);
      assert.equal(await el.locator("h3").textContent(), `${d.practice_title}: ${d.title} (${d.apart} ${d.apart === 1 ? "level" : "levels"} apart)`);
      const meta = rubrics.find((r) => r.id === d.rubric).meta; // the rubric.json text
      const items = (typeof meta === "string" ? JSON.parse(meta) : meta).items;
      for (const side of ["a", "b"]) {
        const s = d[side];
        const cells = await el.locator(`td[data-side=${side}]`).allTextContents();
        assert.equal(cells[0], `${s.level} ${s.label}`, `${d.indicator} ${side}: level`);
        assert.equal(cells[1], s.note ?? "none", `${d.indicator} ${side}: note`);
        for (const p of s.evidence) {
          const item = items.find((it) => `/items/${d.rubric}/${it.id}` === p);
          assert.ok(item, `${p} names an item`);
          assert.ok(cells[2].includes(`${item.label} ${p}`), `${d.indicator} ${side}: evidence in words`);
        }
        for (const r of s.recorded) {
          const item = items.find((it) => `/items/${d.rubric}/${it.id}` === r.path);
          // A choice item's value in its option's words; yes-no and frequency values are words.
          const option = (item.options ?? []).find((op) => op.value === r.value);
          const shown = option ? `${item.label}: ${option.label} (${r.value})` : `${item.label}: ${r.value}`;
          assert.ok(cells[3].includes(shown), `${d.indicator} ${side}: recorded value ${shown} in ${cells[3]}`);
          assert.ok(cells[3].includes(`Note: ${r.note}`), `${d.indicator} ${side}: recorded note`);
        }
      }
    }
    assert.equal(await page.locator("[data-testid=agree-not-rated-item]").count(), expected.not_rated.length);

    assert.deepEqual(await axeViolations(page), [], "violations on the compared reliability view");
    await page.screenshot({ path: artifact("reliability-1280.png"), fullPage: true });

    // At 320 CSS px the page reflows: nothing scrolls sideways but the tables' own regions.
    await page.setViewportSize({ width: 320, height: 900 });
    const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, window: window.innerWidth }));
    assert.equal(widths.window, 320);
    assert.ok(widths.page <= 320, `the page is ${widths.page} px wide at 320 px`);
    assert.deepEqual(await axeViolations(page), [], "violations at 320 px");
    await page.screenshot({ path: artifact("reliability-320.png"), fullPage: true });

    assert.deepEqual(errors, []);
    assert.deepEqual(network.outside, [], "no request left 127.0.0.1");
  } finally {
    await context.close();
    removeDir(dir);
  }
});

test("records that cannot be compared: the engine's problems are listed", async () => {
  const context = await suite.browser.newContext();
  const network = await watchNetwork(context, suite.server.url);
  const dir = tempDir("rubrica-agree-bad-");
  try {
    const bad = path.join(dir, "not-a-record.json");
    writeFileSync(bad, JSON.stringify({ format: "rubrica.observation/1", id: 7 }));
    const page = await context.newPage();
    await page.goto(`${suite.server.url}#/agree`);
    await page.waitForSelector("[data-testid=agree-form]", { timeout: 30_000 });
    await page.locator("[data-testid=agree-pick-a]").selectOption({ label: "Example: center-infants" });
    // Nothing chosen for coach B yet: asked for, nothing compared.
    await page.click("[data-testid=agree-compare]");
    await page.waitForSelector("[data-testid=agreement][data-state=incomplete]");
    await page.setInputFiles("[data-testid=agree-file-b]", bad);
    await page.waitForFunction(() => document.querySelector("[data-testid=agree-pick-b]").value === "file:1");
    await page.click("[data-testid=agree-compare]");
    await page.waitForSelector("[data-testid=agreement][data-state=failed]");
    const problems = await page.locator("[data-testid=agreement] [data-testid=problem]").count();
    assert.ok(problems > 0, "the record's problems are listed");
    assert.deepEqual(network.outside, []);
  } finally {
    await context.close();
    removeDir(dir);
  }
});
