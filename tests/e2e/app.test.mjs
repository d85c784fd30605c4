// End-to-end tests of the coach app in headless Chromium (playwright-core, the system browser).
//
// Run from this folder: `npm test` (after `cargo xtask build-web`). The native CLI is
// `cargo run -p rubrica --features cli`, or the binary named by RUBRICA_CLI.
//
// Every test runs in a fresh browser context (its own storage, no state from another test) and
// ends by checking that no request of its pages left 127.0.0.1, counted at the browser.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { appInChromium } from "./suite.mjs";
import {
  REPO, APP, readJson, rubrica, removeDir, artifact, watchNetwork,
  browserOf, compareCases, nativeCaseResults, scoreCasesInPage, editorState, readBundleWithCases,
} from "./helpers.mjs";

const PITC_TITLES = [
  "Primary caregiving",
  "Continuity of care",
  "Small groups",
  "Individualized care",
  "Culturally responsive care",
  "Inclusive care",
];

const suite = appInChromium(chromium);

/**
 * A test in its own browser context. `body` gets `openApp`; afterwards every request the
 * context's pages made is checked: at least one, and none outside 127.0.0.1.
 */
function appTest(name, body) {
  test(name, async (t) => {
    const context = await suite.browser.newContext({ acceptDownloads: true, viewport: { width: 1440, height: 900 } });
    const network = await watchNetwork(context, suite.server.url);
    try {
      const openApp = async (hash = "#/") => {
        const page = await context.newPage();
        const errors = [];
        page.on("pageerror", (e) => errors.push(String(e)));
        page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
        await page.goto(`${suite.server.url}${hash}`);
        await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
        page.jsErrors = errors;
        return page;
      };
      await body({ t, context, openApp });
      assert.ok(network.all.length > 0, "the test's pages made requests");
      assert.deepEqual(network.outside, [], "no request left 127.0.0.1");
    } finally {
      await context.close();
    }
  });
}

/** Waits until the results reflect the latest edit (the debounce has run and scoring is done). */
async function settled(page) {
  await page.waitForSelector("[data-testid=results][data-pending=false]", { timeout: 20_000 });
}

async function downloadText(page, testid) {
  const [dl] = await Promise.all([page.waitForEvent("download"), page.click(`[data-testid=${testid}]`)]);
  const file = await dl.path();
  return { name: dl.suggestedFilename(), text: readFileSync(file, "utf8") };
}

/** Fills the observation form through its inputs, the way a coach would, from a record. */
async function fillRecord(page, record) {
  await page.fill("[data-testid=field-id]", record.id);
  await page.check(`[data-testid=field-setting] input[value="${record.setting}"]`);
  await page.fill("[data-testid=field-observed_on]", record.observed_on);
  await page.fill("[data-testid=field-minutes]", String(record.minutes));
  if (record.observer) await page.fill("[data-testid=field-observer]", record.observer);

  // Every field of every row the record has, so a field the form cannot enter fails here by
  // name instead of as a difference in the exported record.
  const lists = ["caregivers", "children", "headcounts", "interviews", "materials", "notes"];
  for (const name of lists) {
    const rows = record[name] ?? [];
    for (;;) {
      const have = await page.locator(`[data-list=${name}] > fieldset.row`).count();
      if (have >= rows.length) break;
      await page.click(`[data-testid=add-${name}]`);
    }
    for (const [i, row] of rows.entries()) {
      const fields = typeof row === "string" ? [[null, row]] : Object.entries(row);
      for (const [key, value] of fields) {
        if (value === null) continue;
        const testid = key === null ? `${name}-${i}` : `${name}-${i}-${key}`;
        const el = page.locator(`[data-testid="${testid}"]`);
        assert.equal(await el.count(), 1, `the form has no control for ${name}[${i}].${key ?? "text"}`);
        const kind = await el.getAttribute("data-kind");
        if (kind === "checkbox") await el.setChecked(value === true);
        else if (kind === "select") await el.selectOption(String(value));
        else if (kind === "langs") await el.fill(value.join(", "));
        else await el.fill(String(value));
      }
    }
  }

  for (const [rubric, items] of Object.entries(record.items ?? {})) {
    for (const [id, item] of Object.entries(items)) {
      const control = page.locator(`[data-testid="item-${rubric}-${id}"]`);
      const kind = await control.getAttribute("data-kind");
      if (kind === "radio") await control.locator(`input[value="${item.value}"]`).check();
      else if (kind === "select") await control.selectOption(String(item.value));
      else await control.fill(String(item.value));
      await page.selectOption(`[data-testid="method-${rubric}-${id}"]`, item.method);
      if (item.note !== undefined) await page.fill(`[data-testid="note-${rubric}-${id}"]`, item.note);
    }
  }
}

appTest("the app loads every rubric of the bundle (the six PITC practices)", async ({ openApp }) => {
  const page = await openApp();
  // The observation rubrics (no `record`, or the observation format); the reflection sets are listed apart.
  const bundle = readJson(path.join(APP, "data/rubrics.json")).filter((b) => (JSON.parse(b.meta).record ?? "rubrica.observation/1") === "rubrica.observation/1");
  const titles = await page.locator("[data-testid=rubric-title]").allTextContents();
  const expected = bundle.map((b) => JSON.parse(b.meta).title);
  assert.equal(titles.length, bundle.length, "one title per observation rubric in data/rubrics.json");
  assert.deepEqual([...titles].sort(), [...expected].sort());
  assert.deepEqual(titles, PITC_TITLES, "the six practices, in their usual order");
  await page.screenshot({ path: artifact("01-home.png"), fullPage: true });
  assert.deepEqual(page.jsErrors, []);
  await page.close();
});

appTest("a record filled in through the form scores byte-identical to the native CLI", async ({ openApp }) => {
  const example = readJson(path.join(REPO, "examples/center-infants.json"));
  const native = rubrica(["score", "examples/center-infants.json", "--format", "json"]);
  assert.ok(native.status === 0 || native.status === 1, `rubrica score failed: ${native.stderr}`);
  const nativeReport = native.stdout.replace(/\n$/, "");

  const page = await openApp();
  await page.click("[data-testid=new-observation]");
  await page.waitForSelector("[data-testid=observation-form]");
  await fillRecord(page, example);
  await settled(page);
  assert.equal(await page.getAttribute("[data-testid=results]", "data-state"), "scored");

  const exported = await downloadText(page, "export-record");
  assert.deepStrictEqual(JSON.parse(exported.text), example, "the form builds the same record as the example file");

  const report = await downloadText(page, "download-report");
  assert.equal(report.name, "obs-2026-03-14-infant-room-report.json");
  assert.equal(report.text, nativeReport, "report JSON bytes equal `rubrica score --format json`");
  await page.screenshot({ path: artifact("02-filled-form.png"), fullPage: false });

  // The example opened with one click gives the same bytes.
  await page.goto(`${suite.server.url}#/`);
  await page.waitForSelector("body[data-ready=true]");
  await page.click("[data-testid=open-example]");
  await page.waitForSelector("[data-testid=results][data-state=scored]");
  const fromExample = await downloadText(page, "download-report");
  const exampleName = readJson(path.join(APP, "data/examples.json"))[0].name;
  assert.equal(exampleName, "center-infants", "the first example is the one scored natively above");
  assert.equal(fromExample.text, nativeReport);
  assert.deepEqual(page.jsErrors, []);
  await page.close();
});

appTest("every rubric case scores byte-identical native and wasm", async ({ t, openApp }) => {
  const dir = nativeCaseResults();
  try {
    const bundle = readBundleWithCases();
    const page = await openApp();
    const agent = await page.evaluate(() => navigator.userAgent);
    assert.equal(browserOf(agent), "chromium", agent);
    const wasm = await page.evaluate(scoreCasesInPage, bundle);
    const compared = compareCases(bundle, wasm, dir, assert);
    t.diagnostic(`${compared} case results compared byte for byte`);
    await page.close();
  } finally {
    removeDir(dir);
  }
});

appTest("record errors are shown beside the fields they belong to", async ({ openApp }) => {
  const page = await openApp();
  await page.click("[data-testid=open-example]");
  await page.waitForSelector("[data-testid=results][data-state=scored]");

  // A record-level error: the engine answers with the path, the form marks the field.
  await page.fill("[data-testid=children-2-age_months]", "five");
  await settled(page);
  assert.equal(await page.getAttribute("[data-testid=results]", "data-state"), "invalid");
  const age = page.locator("[data-testid=children-2-age_months]");
  assert.equal(await age.getAttribute("aria-invalid"), "true");
  const msg = page.locator('[data-testid=field-error][data-error-path="/children/2/age_months"]');
  assert.equal(await msg.count(), 1);
  assert.ok(await msg.isVisible());
  const describedBy = await age.getAttribute("aria-describedby");
  assert.ok(describedBy.includes(await msg.getAttribute("id")), "the message describes the field for screen readers");
  assert.ok((await page.locator('[data-testid=problem][data-path="/children/2/age_months"]').count()) === 1, "listed in the problem list too");

  // Going to the field from the list moves focus to it.
  await page.locator('[data-testid=problem][data-path="/children/2/age_months"] button').click();
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), "children-2-age_months");
  await page.screenshot({ path: artifact("04-field-errors.png") });

  // An item value a rubric rejects: that practice cannot be scored, the others still are.
  await page.fill("[data-testid=children-2-age_months]", "5");
  await page.fill("[data-testid=item-small-groups-one-to-one-moments]", "many");
  await settled(page);
  assert.equal(await page.getAttribute("[data-testid=results]", "data-state"), "scored");
  assert.equal(
    await page.getAttribute("[data-testid=item-small-groups-one-to-one-moments]", "aria-invalid"),
    "true",
  );
  assert.equal(await page.textContent("[data-testid=practice-card-small-groups] [data-testid=practice-score]"), "Could not be scored");
  assert.deepEqual(page.jsErrors, []);
  await page.close();
});

appTest("a rubric script with a syntax error shows line:col in the trainer", async ({ openApp }) => {
  const page = await openApp("#/trainer");
  await page.selectOption("[data-testid=trainer-rubric]", "small-groups");
  const editor = page.locator('[data-testid="editor-rubric.rhai"]');
  const original = (await editorState(page, "rubric.rhai")).text;
  const lines = original.split("\n");
  const at = Math.min(6, lines.length);
  // Type the broken line at the start of line `at`, the way a trainer would.
  await editor.focus();
  await page.keyboard.press("Control+Home");
  for (let i = 1; i < at; i++) await page.keyboard.press("ArrowDown");
  await page.keyboard.type("let broken = ;");
  await page.keyboard.press("Enter");
  const loc = page.locator('[data-testid="diagnostics-rubric.rhai"] [data-testid=diagnostic-location]').first();
  await loc.waitFor();
  assert.match(await loc.textContent(), new RegExp(`^rubric\\.rhai:${at}:\\d+$`));
  await page.waitForFunction(() => document.querySelector(".cm-lintRange-error"));
  const marked = (await editorState(page, "rubric.rhai")).diagnostics.filter((d) => d.severity === "error").map((d) => d.line);
  assert.deepEqual(marked, [at], "the line is marked in the editor");
  assert.equal(await page.getAttribute("[data-testid=check-summary]", "data-state"), "problems");
  await loc.click();
  const caretLine = (await editorState(page, "rubric.rhai")).caret[0];
  assert.equal(caretLine, at, "clicking the location puts the caret on the line");
  await page.screenshot({ path: artifact("05-trainer-syntax-error.png") });

  // Back to the bundled text: no problems, and the self-tests pass in the page.
  await page.click("[data-testid=restore-rubric]");
  assert.equal((await editorState(page, "rubric.rhai")).text, original);
  await page.waitForSelector("[data-testid=check-summary][data-state=ok]");
  await page.click("[data-testid=run-cases]");
  const summary = await page.textContent("[data-testid=case-summary]");
  assert.match(summary, /^\d+ passed, 0 failed/);
  await page.click("[data-testid=load-rubric]");
  assert.equal(await page.getAttribute("[data-testid=load-state]", "data-dirty"), "false");
  assert.deepEqual(page.jsErrors, []);
  await page.close();
});

appTest("reloading the page restores a half-filled draft", async ({ openApp }) => {
  const page = await openApp();
  await page.click("[data-testid=new-observation]");
  await page.waitForSelector("[data-testid=observation-form]");
  await page.fill("[data-testid=field-id]", "obs-draft-reload");
  await page.fill("[data-testid=field-minutes]", "95");
  await page.fill("[data-testid=children-0-id]", "c1");
  await page.fill("[data-testid=children-0-age_months]", "11");
  await page.check('[data-testid=item-small-groups-own-space] input[value="no"]');
  await page.selectOption("[data-testid=method-small-groups-own-space]", "interview");
  await page.fill("[data-testid=note-small-groups-own-space]", "shares the room with the toddlers");
  await settled(page);
  // The save to the browser's database (IndexedDB) has finished.
  await page.waitForSelector("[data-testid=save-state][data-pending=false][data-saved=true]");
  const url = page.url();

  await page.reload();
  await page.waitForSelector("body[data-ready=true]");
  assert.equal(page.url(), url);
  assert.equal(await page.inputValue("[data-testid=field-id]"), "obs-draft-reload");
  assert.equal(await page.inputValue("[data-testid=field-minutes]"), "95");
  assert.equal(await page.inputValue("[data-testid=children-0-age_months]"), "11");
  assert.ok(await page.isChecked('[data-testid=item-small-groups-own-space] input[value="no"]'));
  assert.equal(await page.inputValue("[data-testid=method-small-groups-own-space]"), "interview");
  assert.equal(await page.inputValue("[data-testid=note-small-groups-own-space]"), "shares the room with the toddlers");

  // It is also in the list of observations.
  await page.click("[data-testid=nav-observations]");
  assert.ok((await page.locator("[data-testid=draft-row]", { hasText: "obs-draft-reload" }).count()) === 1);
  assert.deepEqual(page.jsErrors, []);
  await page.close();
});

appTest("export then import gives back the same record JSON", async ({ openApp }) => {
  const page = await openApp();
  await page.click("[data-testid=open-example]");
  await page.waitForSelector("[data-testid=results][data-state=scored]");
  // Change something so the export is the form's record, not the file as shipped.
  await page.fill("[data-testid=field-observer]", "coach-11");
  await settled(page);
  const first = await downloadText(page, "export-record");
  const exportedPath = artifact("07-exported-record.json");
  writeFileSync(exportedPath, first.text);

  await page.click("[data-testid=nav-observations]");
  await page.setInputFiles("[data-testid=import-file]", exportedPath);
  await page.waitForSelector("[data-testid=results][data-state=scored]");
  assert.equal(await page.inputValue("[data-testid=field-observer]"), "coach-11");
  const second = await downloadText(page, "export-record");
  assert.equal(second.text, first.text, "byte-identical after the round trip");

  // A record file from elsewhere imports as it is, too.
  await page.click("[data-testid=nav-observations]");
  await page.setInputFiles("[data-testid=import-file]", path.join(REPO, "examples/family-child-care.json"));
  await page.waitForSelector("[data-testid=results][data-state=scored]");
  const third = await downloadText(page, "export-record");
  assert.deepStrictEqual(JSON.parse(third.text), readJson(path.join(REPO, "examples/family-child-care.json")));
  assert.deepEqual(page.jsErrors, []);
  await page.close();
});

appTest("every form control has a label and results read well (screenshots)", async ({ openApp }) => {
  const page = await openApp();
  // Keyboard users meet the skip link first, and it is visible when focused.
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.className), "skip-link");
  assert.ok(await page.locator(".skip-link").isVisible());
  // The example whose report has indicators without enough evidence (counted natively).
  const nativeReport = JSON.parse(rubrica(["score", "examples/center-toddlers-mixed.json", "--format", "json"]).stdout);
  const nativeNee = nativeReport.practices
    .flatMap((p) => p.result?.indicators ?? [])
    .filter((i) => i.outcome === "not-enough-evidence").length;
  assert.ok(nativeNee > 0, "examples/center-toddlers-mixed.json has an indicator without enough evidence");
  await page.click("[data-testid=open-example-center-toddlers-mixed]");
  await page.waitForSelector("[data-testid=results][data-state=scored]");
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll("input, select, textarea")]
      .filter((el) => el.type !== "hidden" && !el.closest("[hidden]"))
      .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute("aria-label") && !el.getAttribute("aria-labelledby"))
      .map((el) => el.outerHTML.slice(0, 120)),
  );
  assert.deepEqual(unlabelled, []);
  assert.equal(await page.locator("main, header, nav, footer").count() >= 4, true, "landmarks present");

  // "Not enough evidence" is shown as such, never as a level.
  const nee = page.locator("[data-testid=indicator-table] tr[data-outcome=not-enough-evidence]");
  const neeCount = await nee.count();
  assert.equal(neeCount, nativeNee, "every indicator without enough evidence is shown");
  assert.equal(
    await page.locator("[data-testid=indicator-table] tr[data-outcome=not-enough-evidence] [data-testid=not-enough-evidence]").count(),
    neeCount,
    "each shows the badge",
  );
  assert.equal(
    await page.locator("[data-testid=indicator-table] tr[data-outcome=not-enough-evidence] .badge.level").count(),
    0,
    "none shows a level",
  );
  // Strengths come before growth areas in each practice.
  const order = await page.evaluate(() => {
    const p = document.querySelector("section.practice:not(.screen-hidden)");
    const s = p.querySelector("[data-testid=strengths]");
    const g = p.querySelector("[data-testid=growth-areas]");
    return Boolean(s.compareDocumentPosition(g) & Node.DOCUMENT_POSITION_FOLLOWING);
  });
  assert.ok(order);

  await page.screenshot({ path: artifact("08-editor-desktop.png") });
  await page.locator("[data-testid=results]").screenshot({ path: artifact("08-results-panel.png") });
  await page.setViewportSize({ width: 820, height: 1180 });
  await page.screenshot({ path: artifact("08-editor-tablet.png") });
  await page.emulateMedia({ media: "print" });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: artifact("08-print.png") });
  await page.emulateMedia({ media: "screen" });
  await page.goto(`${suite.server.url}#/trainer`);
  await page.waitForSelector("body[data-ready=true]");
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.screenshot({ path: artifact("08-trainer.png") });
  await page.close();
});

test("the network check catches a planted outside request", async () => {
  // The check every test ends with, on a test-only page that asks for an outside image: it must
  // see the request (and stop it before it leaves).
  const context = await suite.browser.newContext();
  try {
    const network = await watchNetwork(context, suite.server.url);
    const page = await context.newPage();
    await page.goto(`${suite.server.url}__test__/planted-request.html`);
    await page.waitForLoadState("load");
    assert.deepEqual(network.outside, ["http://198.51.100.7/planted-by-the-tests.png"]);
    assert.ok(network.all.includes(`${suite.server.url}__test__/planted-request.html`), "local requests are seen too");
  } finally {
    await context.close();
  }
});
