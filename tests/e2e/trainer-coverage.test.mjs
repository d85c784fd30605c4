// The trainer view's coverage of a rubric's self-test cases, in headless Chromium, checked
// against `rubrica test <rubric> --coverage --format json` for every bundled rubric.
//
// Run from this folder: `node --test trainer-coverage.test.mjs` (after `cargo xtask build-web`).

import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { chromium } from "playwright-core";
import { appInChromium } from "./suite.mjs";
import { APP, readJson, rubrica, artifact, watchNetwork, editorState } from "./helpers.mjs";

const suite = appInChromium(chromium);

/** The native coverage report of one rubric folder. */
function nativeCoverage(id) {
  const out = rubrica(["test", `rubrics/${id}`, "--coverage", "--format", "json"]);
  const lines = out.stdout.trim().split("\n").map((l) => JSON.parse(l));
  const report = lines.find((l) => l.rubric === id)?.coverage;
  assert.ok(report, `no coverage for ${id} in: ${out.stdout}\n${out.stderr}`);
  return report;
}

async function openTrainer(context) {
  const page = await context.newPage();
  page.jsErrors = [];
  page.on("pageerror", (e) => page.jsErrors.push(String(e)));
  await page.goto(`${suite.server.url}#/trainer`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
  return page;
}

/** A fresh context whose requests are watched at the browser; none may leave 127.0.0.1. */
async function withContext(body) {
  const context = await suite.browser.newContext({ viewport: { width: 1440, height: 900 } });
  const network = await watchNetwork(context, suite.server.url);
  try {
    await body(context);
  } finally {
    await context.close();
  }
  assert.ok(network.all.length > 0, "the page made requests");
  assert.deepEqual(network.outside, [], "no request left 127.0.0.1");
}

test("the trainer view shows the same coverage as `rubrica test --coverage`", () =>
  withContext(async (context) => {
    const page = await openTrainer(context);
    const ids = readJson(path.join(APP, "data/rubrics.json")).map((b) => b.id);
    // The six practices and the reflection sets: the trainer covers every bundled rubric.
    assert.ok(ids.length >= 6 && ids.includes("primary-caregiving"), `bundled rubrics: ${ids.join(", ")}`);
    let checked = 0;
    for (const id of ids) {
      const native = nativeCoverage(id);
      await page.selectOption("[data-testid=trainer-rubric]", id);
      await page.click("[data-testid=show-coverage]");
      const summary = page.locator("[data-testid=coverage-summary]");
      await summary.waitFor();
      const n = native.counts;
      assert.match(
        await summary.textContent(),
        new RegExp(`${n.sites_reached} of ${n.sites} calls reached, ${n.levels_reached} of ${n.levels} levels`),
        id,
      );
      const complete = n.sites === n.sites_reached && n.levels === n.levels_reached;
      assert.equal(await summary.getAttribute("data-complete"), String(complete), id);

      const rows = page.locator("[data-testid=coverage-row]");
      assert.equal(await rows.count(), native.indicators.length, id);
      for (const [i, ind] of native.indicators.entries()) {
        const row = rows.nth(i);
        assert.equal(await row.getAttribute("data-indicator"), ind.id);
        const reached = ind.sites.filter((s) => s.reached_by.length).length;
        assert.match(await row.textContent(), new RegExp(`${reached} of ${ind.sites.length}`), `${id}/${ind.id}`);
      }

      const unreached = [...native.indicators.flatMap((i) => i.sites), ...native.shared]
        .filter((s) => !s.reached_by.length)
        .map((s) => `rubric.rhai:${s.line}:${s.column}`);
      const shown = await page.locator("[data-testid=coverage-location]").allTextContents();
      assert.deepEqual(shown.sort(), unreached.sort(), id);
      checked += 1;
    }
    assert.equal(checked, ids.length);
    await page.screenshot({ path: artifact("09-trainer-coverage.png"), fullPage: true });
    assert.deepEqual(page.jsErrors, []);
  }));

test("a call no case reaches in an edited script is listed and leads to its place", () =>
  withContext(async (context) => {
    const page = await openTrainer(context);
    await page.selectOption("[data-testid=trainer-rubric]", "small-groups");
    const editor = page.locator("[data-testid='editor-rubric.rhai']");
    const original = (await editorState(page, "rubric.rhai")).text;
    const script = `${original.trimEnd()}\n\nfn never_called(r) {\n    rating(1, ["/children"])\n}\n`;
    const line = script.trimEnd().split("\n").length - 1;
    await editor.fill(script);
    assert.equal((await editorState(page, "rubric.rhai")).text, script);
    await page.click("[data-testid=load-rubric]");
    await page.waitForSelector("[data-testid=load-state][data-dirty=false]");
    await page.click("[data-testid=show-coverage]");
    await page.waitForSelector("[data-testid=coverage-summary]");
    const place = `rubric.rhai:${line}:5`;
    const gap = page.locator("[data-testid=coverage-location]", { hasText: place });
    assert.equal(await gap.count(), 1, await page.locator("[data-testid=coverage-results]").textContent());
    assert.equal(await page.getAttribute("[data-testid=coverage-summary]", "data-complete"), "false");
    await gap.click();
    const caret = (await editorState(page, "rubric.rhai")).caret;
    assert.deepEqual(caret, [line, 5]);
    assert.deepEqual(page.jsErrors, []);
  }));
