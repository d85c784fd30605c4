// Shared goals in headless Chromium (`web/app/goals.js`, the goals store of `web/app/store.js`).
// A caregiver with four observations over six months (the example with its date and a few item
// values changed), imported as files; a goal agreed after visit 2 on two indicators whose levels
// move. The goal's progress on visits 3 and 4, in the goals view, the observation editor's
// panel and the coaching report, equals the levels of `rubrica trend --format json --caregiver
// cg-a` on the same files (none written here by hand); across a rubric version break (a report
// scored as if with another version) the levels are shown and not compared. Also: the form's
// errors and focus, two tabs editing one goal, backup → delete all → import with goals, a
// database of schema version 1 brought to version 2 with its observations intact, deleting one
// caregiver's data, axe-core (WCAG 2.1 A/AA) and 320 CSS px without sideways scrolling.
//
// Run from this folder: `node --test goals.test.mjs` (after `cargo xtask build-web`). The native
// CLI is `cargo run -p rubrica --features cli`, or the binary named by RUBRICA_CLI.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { appInChromium } from "./suite.mjs";
import { REPO, FOUR_VISITS, artifact, fourVisitRecords, readJson, removeDir, rubrica, tempDir, watchNetwork, axeViolations } from "./helpers.mjs";

const suite = appInChromium(chromium);

const VISITS = FOUR_VISITS;
// Agreed after the second visit, before the third.
const AGREED_ON = "2026-03-20";

const example = (name) => readJson(path.join(REPO, "examples", `${name}.json`));


/** The four records as files, and `rubrica trend --format json --caregiver cg-a` on them. */
function visitsAndNativeTrend(dir) {
  const files = fourVisitRecords().map((r, i) => {
    const file = path.join(dir, `visit-${i + 1}.json`);
    writeFileSync(file, `${JSON.stringify(r, null, 2)}\n`);
    return file;
  });
  const native = rubrica(["trend", "--format", "json", "--caregiver", "cg-a", ...files]);
  assert.equal(native.status, 0, native.stderr);
  const trend = JSON.parse(native.stdout);
  assert.equal(trend.series.length, 1);
  assert.deepEqual(trend.series[0].visits.map((v) => v.observed_on), VISITS.map(([d]) => d));
  return { files, series: trend.series[0] };
}

/**
 * The goal's practice and two indicators, chosen from the native trend: indicators rated at
 * visit 2 whose level moves at visit 3 or 4 come first, so the progress shown has to change.
 */
function chooseGoal(series) {
  const practice = series.practices.find((p) => p.rubric === "small-groups");
  const at = (ind, i) => ind.points.find((p) => p.visit === i);
  const rated = practice.indicators.filter((ind) => at(ind, 1)?.outcome === "rated");
  const moves = (ind) => [2, 3].some((i) => at(ind, i)?.outcome !== "rated" || at(ind, i).level !== at(ind, 1).level);
  const chosen = [...rated.filter(moves), ...rated.filter((i) => !moves(i))].slice(0, 2);
  assert.equal(chosen.length, 2, "two indicators of small groups rated at visit 2");
  assert.ok(moves(chosen[0]), "at least one chosen indicator moves after the goal was set");
  return { practice, indicators: chosen };
}

/** Outcome and level of each chosen indicator at visit `i` of the native trend. */
const levelsAt = (goal, i) =>
  goal.indicators.map((ind) => {
    const p = ind.points.find((q) => q.visit === i);
    return { indicator: ind.id, outcome: p.outcome, level: p.outcome === "rated" ? String(p.level) : "" };
  });

/** What the page shows for an indicator level (`data-indicator`, `data-outcome`, `data-level`). */
const shownLevels = (locator) => locator.evaluateAll((els) => els.map((e) => ({ indicator: e.dataset.indicator, outcome: e.dataset.outcome, level: e.dataset.level })));

/** A test in its own browser context; `body` gets `{context, openApp}`. */
function goalsTest(name, body, options = {}) {
  test(name, async () => {
    const context = await suite.browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 }, bypassCSP: true, ...options });
    const network = await watchNetwork(context, suite.server.url);
    const pages = [];
    try {
      const openApp = async (hash = "#/") => {
        const page = await context.newPage();
        page.jsErrors = [];
        page.on("pageerror", (e) => page.jsErrors.push(String(e)));
        page.on("console", (m) => m.type() === "error" && page.jsErrors.push(m.text()));
        await page.goto(`${suite.server.url}${hash}`);
        await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
        pages.push(page);
        return page;
      };
      await body({ context, openApp });
      for (const p of pages) assert.deepEqual(p.jsErrors, [], "no script errors");
      assert.ok(network.all.length > 0, "the test's pages made requests");
      assert.deepEqual(network.outside, [], "no request left 127.0.0.1");
    } finally {
      await context.close();
    }
  });
}

async function goTo(page, hash, ready) {
  await page.evaluate((h) => (location.hash = h), hash);
  await page.waitForSelector(ready, { timeout: 20_000 });
}

async function noSidewaysScroll(page, where) {
  const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(scroll <= width, `${where}: no sideways scrolling at ${width} px (content ${scroll} px wide)`);
}

/** A goal saved through the app's store in the page. */
function saveGoalInPage(page, goal, baseRev) {
  return page.evaluate(async ([g, rev]) => (await import("./store.js")).saveGoal(g, rev), [goal, baseRev]);
}

const GOAL = (over = {}) => ({
  id: "g-test-1",
  caregiver: "cg-x",
  rubric: "small-groups",
  indicators: ["calm-atmosphere"],
  title: "Calm small groups",
  steps: [{ text: "Dim the lights at story time", done: false }],
  agreed_on: "2026-02-01",
  status: "active",
  ...over,
});

goalsTest("a caregiver's four visits: a goal set after visit 2 shows the engine's levels on visits 3 and 4 in the goals view, the editor and the report", async ({ openApp }) => {
  const dir = tempDir("rubrica-goals-");
  try {
    const { files, series } = visitsAndNativeTrend(dir);
    const goal = chooseGoal(series);
    const page = await openApp();
    await page.setInputFiles("[data-testid=import-file]", files);
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=draft-row]").length === 4, null, { timeout: 20_000 });

    // The caregiver's goals: none yet; the heading takes the focus.
    await goTo(page, "#/goals/cg-a", "[data-testid=goals-view]");
    assert.equal(await page.evaluate(() => document.querySelector("main").dataset.view), "goals");
    assert.equal(await page.evaluate(() => document.activeElement?.localName), "h1");
    await page.waitForSelector("[data-testid=goal-list-empty]");
    assert.match(await page.textContent("[data-testid=goal-visits-summary]"), /4 visits of this caregiver, 2026-01-12 to 2026-07-06/);

    // A new goal: the form takes the focus; saved empty, every problem is named beside its field
    // and the focus goes to the first.
    await page.click("[data-testid=goal-add]");
    await page.waitForSelector("[data-testid=goal-form]");
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), "A new goal");
    assert.equal(await page.isVisible("[data-testid=goal-add]"), false, "one form at a time");
    assert.deepEqual(await axeViolations(page), [], "the goal form: no WCAG 2.1 A/AA violation");
    await page.click("[data-testid=goal-save]");
    const errors = await page.$$eval("[data-testid=goal-error]", (es) => es.map((e) => ({ id: e.id, text: e.textContent })));
    assert.deepEqual(errors.map((e) => e.text), ["Choose the practice this goal is about.", "Write the goal in a sentence you both agree on.", "Write step 1, or remove it."]);
    const focused = await page.evaluate(() => ({ testid: document.activeElement?.dataset.testid, invalid: document.activeElement?.getAttribute("aria-invalid"), describedby: document.activeElement?.getAttribute("aria-describedby") }));
    assert.equal(focused.testid, "goal-rubric");
    assert.equal(focused.invalid, "true");
    assert.ok(focused.describedby.split(" ").includes(errors[0].id), "the error is tied to its field");
    assert.deepEqual(await axeViolations(page), [], "the goal form with errors: no WCAG 2.1 A/AA violation");

    // The practice's indicators are offered with the latest visit's growth areas first.
    await page.selectOption("[data-testid=goal-rubric]", "small-groups");
    const latest = JSON.parse(rubrica(["score", "--format", "json", files[3]]).stdout);
    const areas = latest.practices.find((p) => p.type === "success" && p.result.rubric.id === "small-groups").result.growth_areas.map((g) => g.indicator);
    const offered = await page.$$eval("[data-testid=goal-indicator]", (cs) => cs.map((c) => c.value));
    assert.deepEqual(offered.slice(0, areas.length).sort(), [...areas].sort(), "growth areas of the latest visit come first");
    assert.equal(offered.length, goal.practice.indicators.length);

    for (const ind of goal.indicators) await page.check(`[data-testid=goal-indicator][value="${ind.id}"]`);
    await page.fill("[data-testid=goal-title]", "Small groups feel calm, and each child has a place of their own");
    await page.fill("[data-testid=goal-step-text]", "Set up the rug corner before the group arrives");
    await page.check("[data-testid=goal-step-done]");
    await page.click("[data-testid=goal-step-add]");
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), "goal-step-text", "the new step takes the focus");
    await page.locator("[data-testid=goal-step-text]").nth(1).fill("Talk through the day's plan with the caregiver each Monday");
    await page.fill("[data-testid=goal-date]", AGREED_ON);
    await page.click("[data-testid=goal-save]");
    await page.waitForSelector("[data-testid=goal][data-status=active]");
    assert.equal(await page.evaluate(() => document.activeElement?.closest("[data-testid=goal]") !== null && document.activeElement.localName), "h3", "the saved goal's heading takes the focus");

    // Stored as the form says.
    const stored = await page.evaluate(async () => (await import("./store.js")).listGoals("cg-a"));
    assert.equal(stored.length, 1);
    assert.deepEqual(
      { rubric: stored[0].rubric, indicators: stored[0].indicators, agreed_on: stored[0].agreed_on, status: stored[0].status, steps: stored[0].steps, rev: stored[0].rev },
      {
        rubric: "small-groups",
        indicators: goal.indicators.map((i) => i.id),
        agreed_on: AGREED_ON,
        status: "active",
        steps: [
          { text: "Set up the rug corner before the group arrives", done: true },
          { text: "Talk through the day's plan with the caregiver each Monday", done: false },
        ],
        rev: 1,
      },
    );

    // Progress: the baseline is visit 2 (the latest on or before the date agreed), then visits 3
    // and 4, each with the engine's levels.
    const card = page.locator("[data-testid=goal]");
    assert.equal(await card.locator("[data-testid=goal-baseline]").getAttribute("data-observed-on"), VISITS[1][0]);
    assert.deepEqual(await shownLevels(card.locator("[data-testid=goal-baseline-level]")), levelsAt(goal, 1), "the levels when the goal was set are the CLI's at visit 2");
    const later = await card.locator("[data-testid=goal-visit]").evaluateAll((ls) => ls.map((l) => l.dataset.observedOn));
    assert.deepEqual(later, [VISITS[2][0], VISITS[3][0]], "visits 3 and 4 show progress");
    for (const [n, i] of [2, 3].entries()) {
      const visit = card.locator("[data-testid=goal-visit]").nth(n);
      assert.deepEqual(await shownLevels(visit.locator("[data-testid=goal-level]")), levelsAt(goal, i), `visit ${i + 1}: the CLI's levels`);
      const compares = await visit.locator("[data-compare]").evaluateAll((ls) => ls.map((l) => l.dataset.compare));
      const expected = levelsAt(goal, i).map((p, k) => {
        const b = levelsAt(goal, 1)[k];
        if (p.outcome !== "rated" || b.outcome !== "rated") return "";
        return Number(p.level) > Number(b.level) ? "higher" : Number(p.level) < Number(b.level) ? "lower" : "same";
      });
      assert.deepEqual(compares, expected, `visit ${i + 1}: compared with the level when the goal was set`);
    }
    assert.ok(!(await card.textContent()).includes("not enough evidence") || levelsAt(goal, 2).some((p) => p.outcome === "not-enough-evidence"));
    assert.deepEqual(await axeViolations(page), [], "the goals view: no WCAG 2.1 A/AA violation");
    await page.screenshot({ path: artifact("goals-view.png"), fullPage: true });

    // The editor of visit 4: its panel shows the goal with this visit's levels and the levels
    // when the goal was set; the editor of visit 1 says it is before the goal.
    await goTo(page, "#/", "[data-testid=draft-row]");
    await page.click(`[data-testid=draft-row]:has-text("${VISITS[3][0]}") [data-testid=open-draft]`);
    const panel = page.locator("[data-testid=goals-panel] [data-testid=panel-caregiver][data-caregiver=cg-a]");
    await panel.locator("[data-testid=panel-goal]").waitFor({ timeout: 20_000 });
    assert.deepEqual(await shownLevels(panel.locator("[data-testid=panel-level]")), levelsAt(goal, 3), "the editor's panel: the CLI's levels at visit 4");
    const panelText = await panel.textContent();
    assert.match(panelText, /when the goal was set/);
    assert.equal(await panel.locator("a[href='#/goals/cg-a']").count() > 0, true, "the panel links to the caregiver's goals");
    assert.deepEqual(await axeViolations(page), [], "the editor with its goals panel: no WCAG 2.1 A/AA violation");
    await page.locator("[data-testid=goals-panel]").screenshot({ path: artifact("goals-editor-panel.png") });

    // A change in the editor moves the panel with it: the visit is now before the goal.
    await page.fill("[data-testid=field-observed_on]", "2026-03-01");
    await page.waitForFunction(() => /before the goal was agreed/.test(document.querySelector("[data-testid=panel-goal]")?.textContent ?? ""), null, { timeout: 20_000 });
    await page.fill("[data-testid=field-observed_on]", VISITS[3][0]);
    await page.waitForFunction(() => document.querySelector("[data-testid=panel-level]") !== null, null, { timeout: 20_000 });

    // The coaching report: the goal, its steps and its progress, without record paths.
    await goTo(page, "#/report", "[data-testid=coaching-report][data-state=shown]");
    await page.selectOption("[data-testid=report-who]", "cg-a");
    const section = page.locator("[data-testid=report-goals]");
    await section.locator("[data-testid=report-goal]").waitFor();
    const text = await section.textContent();
    assert.match(text, /Small groups feel calm, and each child has a place of their own/);
    assert.match(text, /Set up the rug corner before the group arrives \(done\)/);
    assert.match(text, /Talk through the day's plan with the caregiver each Monday \(to do\)/);
    assert.doesNotMatch(text, /once goals can be recorded/);
    assert.equal(await section.locator("[data-testid=report-goals-link]").getAttribute("href"), "#/goals/cg-a");
    assert.doesNotMatch(text, /\/items\/|\/children/);
    for (const [n, i] of [2, 3].entries()) {
      assert.deepEqual(await shownLevels(section.locator("[data-testid=goal-visit]").nth(n).locator("[data-testid=goal-level]")), levelsAt(goal, i), `report, visit ${i + 1}`);
    }
    assert.deepEqual(await axeViolations(page), [], "the coaching report with goals: no WCAG 2.1 A/AA violation");
    await section.screenshot({ path: artifact("goals-report.png") });
    await page.emulateMedia({ media: "print" });
    const breakInside = await section.locator("[data-testid=report-goal]").evaluate((li) => getComputedStyle(li).breakInside);
    assert.equal(breakInside, "avoid", "a goal is kept whole across printed pages");
    assert.equal(await section.locator("[data-testid=report-goals-link]").isVisible(), false, "the link is not printed");
    await page.emulateMedia({ media: "screen" });

    // 320 CSS px: the goals view and its form reflow without sideways scrolling.
    await page.setViewportSize({ width: 320, height: 800 });
    await goTo(page, "#/goals/cg-a", "[data-testid=goal]");
    await noSidewaysScroll(page, "goals view");
    await page.click("[data-testid=goal-edit]");
    await page.waitForSelector("[data-testid=goal-form]");
    await noSidewaysScroll(page, "goal form");
    assert.deepEqual(await axeViolations(page), [], "at 320 px: no WCAG 2.1 A/AA violation");
    await page.screenshot({ path: artifact("goals-320.png"), fullPage: true });
  } finally {
    removeDir(dir);
  }
});

goalsTest("a rubric version break between the goal and a visit: that visit's levels are shown but not compared, and the break is named", async ({ openApp }) => {
  const dir = tempDir("rubrica-goals-break-");
  try {
    const { files } = visitsAndNativeTrend(dir);
    // The reports of the four visits; the fourth as if scored with a small-groups version that
    // has one indicator fewer (a break, docs/trends.md).
    const reports = files.map((f) => {
      const out = rubrica(["score", "--format", "json", f]);
      assert.equal(out.status, 0, out.stderr);
      return JSON.parse(out.stdout);
    });
    const sg = reports[3].practices.find((p) => p.type === "success" && p.result.rubric.id === "small-groups").result;
    sg.rubric.version = "9.0.0";
    sg.indicators = sg.indicators.filter((i) => i.id !== "ratio-throughout");
    const reportFiles = reports.map((r, i) => {
      const f = path.join(dir, `report-${i + 1}.json`);
      writeFileSync(f, JSON.stringify(r));
      return f;
    });
    const native = rubrica(["trend", "--format", "json", ...reportFiles]);
    assert.equal(native.status, 0, native.stderr);
    const series = JSON.parse(native.stdout).series[0];
    const brk = series.practices.find((p) => p.rubric === "small-groups").points[3].break;
    assert.ok(brk && brk.to === "9.0.0", "the native trend has the break at visit 4");

    const page = await openApp();
    const got = await page.evaluate(
      async ([reports, agreed]) => {
        const [mod, goals] = await Promise.all([import("./pkg/rubrica_web.js"), import("./goals.js")]);
        const engine = new mod.RubricaEngine();
        engine.loadBundle(await (await fetch("data/rubrics.json")).text());
        const text = engine.trend(reports, {});
        const series = JSON.parse(text).series[0];
        const goal = { id: "g", caregiver: "cg-a", rubric: "small-groups", indicators: ["calm-atmosphere", "own-space"], title: "t", steps: [], agreed_on: agreed, status: "active" };
        const progress = goals.goalProgress(goal, series);
        const block = goals.progressBlock(goal, series, engine.rubrics().find((r) => r.id === "small-groups"));
        return {
          text,
          visits: progress.visits.map((v) => ({ on: v.observed_on, break: v.break, compare: v.points.map((p) => p.compare) })),
          shown: [...block.querySelectorAll("[data-testid=goal-visit]")].map((li) => ({ text: li.textContent, compares: [...li.querySelectorAll("[data-compare]")].map((e) => e.dataset.compare) })),
        };
      },
      [reports, AGREED_ON],
    );
    assert.equal(got.text, native.stdout.replace(/\n$/, ""), "the page's trend is the CLI's");
    assert.deepEqual(got.visits.map((v) => v.on), [VISITS[2][0], VISITS[3][0]]);
    assert.equal(got.visits[0].break, null);
    assert.ok(got.visits[0].compare.every((c) => c !== null), "visit 3 is compared with the goal's start");
    assert.deepEqual(got.visits[1].break, brk);
    assert.deepEqual(got.visits[1].compare, [null, null], "nothing compared across the break");
    assert.match(got.shown[1].text, /The rubric changed since the goal was set \(version 1\.\d+\.\d+ → 9\.0\.0: indicators removed: `ratio-throughout`\)/);
    assert.doesNotMatch(got.shown[1].text, /than when the goal was set|the same as when/);
    assert.deepEqual(got.shown[1].compares, ["", ""]);
    assert.match(got.shown[0].text, /when the goal was set/);
  } finally {
    removeDir(dir);
  }
});

goalsTest("two tabs editing one goal: the second save is not silent, and the coach chooses", async ({ openApp }) => {
  const a = await openApp();
  const saved = await saveGoalInPage(a, GOAL(), 0);
  assert.equal(saved.ok, true);
  await goTo(a, "#/goals/cg-x", "[data-testid=goal]");
  const b = await openApp("#/goals/cg-x");
  await b.waitForSelector("[data-testid=goal]");
  for (const p of [a, b]) {
    await p.click("[data-testid=goal-edit]");
    await p.waitForSelector("[data-testid=goal-form]");
  }
  await a.fill("[data-testid=goal-title]", "Tab A's words");
  await a.click("[data-testid=goal-save]");
  await a.waitForSelector("[data-testid=goal] h3:has-text(\"Tab A's words\")");

  // Tab B is told at once, before it saves; its save writes nothing until the coach chooses.
  await b.waitForSelector("[data-testid=goal-conflict]", { timeout: 10_000 });
  assert.equal(await b.evaluate(() => document.activeElement?.dataset.testid), "goal-conflict", "the notice takes the focus");
  await b.fill("[data-testid=goal-title]", "Tab B's words");
  await b.click("[data-testid=goal-save]");
  const now = await b.evaluate(async () => (await import("./store.js")).loadGoal("g-test-1"));
  assert.equal(now.title, "Tab A's words", "tab B's save did not overwrite tab A's");
  assert.equal(now.rev, 2);
  assert.deepEqual(await axeViolations(b), [], "the conflict notice: no WCAG 2.1 A/AA violation");

  // Keep both: tab B's version becomes a second goal; tab A's stays as it was.
  await b.click("[data-testid=goal-conflict-both]");
  await b.waitForFunction(() => document.querySelectorAll("[data-testid=goal]").length === 2);
  const all = await b.evaluate(async () => (await import("./store.js")).listGoals("cg-x"));
  assert.deepEqual(all.map((g) => g.title).sort(), ["Tab A's words", "Tab B's words"]);
  // Tab A's list shows the new goal without a reload.
  await a.waitForFunction(() => document.querySelectorAll("[data-testid=goal]").length === 2, null, { timeout: 10_000 });

  // Keep mine: replaces the other version, from the stored revision.
  await a.click("[data-testid=goal][data-goal-id=g-test-1] [data-testid=goal-edit]");
  await b.click("[data-testid=goal][data-goal-id=g-test-1] [data-testid=goal-edit]");
  await a.fill("[data-testid=goal-title]", "A again");
  await a.click("[data-testid=goal-save]");
  await b.waitForSelector("[data-testid=goal-conflict]", { timeout: 10_000 });
  await b.fill("[data-testid=goal-title]", "B wins");
  await b.click("[data-testid=goal-conflict-mine]");
  await b.waitForSelector("[data-testid=goal][data-goal-id=g-test-1] h3:has-text('B wins')");
  assert.equal((await b.evaluate(async () => (await import("./store.js")).loadGoal("g-test-1"))).title, "B wins");

  // Without the other tab's message (another writer), a save from an older revision is refused.
  const stale = await saveGoalInPage(a, GOAL({ title: "stale" }), 1);
  assert.equal(stale.ok, false);
  assert.equal(stale.conflict.title, "B wins");

  // Deleted in one tab while open in the other: the other is told, and letting it go closes it.
  await a.click("[data-testid=goal][data-goal-id=g-test-1] [data-testid=goal-edit]");
  await b.click("[data-testid=goal][data-goal-id=g-test-1] [data-testid=goal-edit]");
  await a.click("[data-testid=goal-delete]");
  assert.equal(await a.evaluate(() => document.activeElement?.dataset.testid), "goal-delete-confirm", "the confirmation takes the focus");
  assert.deepEqual(await axeViolations(a), [], "the delete confirmation: no WCAG 2.1 A/AA violation");
  await a.click("[data-testid=goal-delete-yes]");
  await a.waitForFunction(() => document.querySelectorAll("[data-testid=goal]").length === 1);
  assert.equal(await a.evaluate(() => document.activeElement?.id), "goal-list-h", "the focus goes to the list");
  await b.waitForSelector("[data-testid=goal-conflict]:has-text('Deleted in another tab')", { timeout: 10_000 });
  await b.click("[data-testid=goal-conflict-theirs]");
  await b.waitForFunction(() => !document.querySelector("[data-testid=goal-form]") && document.querySelectorAll("[data-testid=goal]").length === 1);
  assert.equal(await b.evaluate(async () => (await import("./store.js")).loadGoal("g-test-1")), null, "the deleted goal stays deleted");
});

goalsTest("backup, delete all, import: goals come back as they were; a second import and an older backup add nothing twice", async ({ openApp }) => {
  const page = await openApp();
  // Two observations, so an import lists its outcome (one record alone would open at once).
  await page.evaluate(async (records) => {
    const store = await import("./store.js");
    for (const [i, r] of records.entries()) await store.saveDraft(`dk${i}`, r);
  }, [example("center-infants"), example("family-child-care")]);
  await page.reload();
  await page.waitForSelector("body[data-ready=true] [data-testid=draft-row]");
  const goals = [GOAL(), GOAL({ id: "g-test-2", caregiver: "cg-a", title: "Unicode ☃ 𝄞 “words”", status: "met", steps: [] })];
  for (const g of goals) assert.equal((await saveGoalInPage(page, g, 0)).ok, true);

  const [dl] = await Promise.all([page.waitForEvent("download"), page.click("[data-testid=backup]")]);
  const backupFile = await dl.path();
  const backup = JSON.parse(readFileSync(backupFile, "utf8"));
  assert.equal(backup.format, "rubrica.backup/1");
  assert.equal(backup.observations.length, 2);
  const strip = ({ updated: _u, rev: _r, ...g }) => g;
  assert.deepEqual(backup.goals.map(strip).sort((x, y) => (x.id < y.id ? -1 : 1)), goals);

  await page.click("[data-testid=delete-all]");
  await page.click("[data-testid=delete-all-yes]");
  await page.waitForSelector("[data-testid=draft-list-empty]");
  assert.deepEqual(await page.evaluate(async () => (await import("./store.js")).listGoals()), [], "delete all removes the goals");

  await page.setInputFiles("[data-testid=import-file]", backupFile);
  await page.waitForSelector("[data-testid=import-report]");
  assert.match(await page.textContent("[data-testid=import-outcome]"), /^[^:]+: 2 imported, 2 goals added$/);
  const back = await page.evaluate(async () => (await import("./store.js")).listGoals());
  assert.deepEqual(back.map(strip).sort((x, y) => (x.id < y.id ? -1 : 1)), goals);

  // Again: nothing added.
  await page.evaluate(() => document.querySelector("[data-testid=import-report]")?.setAttribute("data-old", ""));
  await page.setInputFiles("[data-testid=import-file]", backupFile);
  await page.waitForSelector("[data-testid=import-report]:not([data-old])");
  assert.equal(await page.evaluate(async () => (await import("./store.js")).listGoals().then((g) => g.length)), 2);
  assert.doesNotMatch(await page.textContent("[data-testid=import-outcome]"), /goal/);

  // A backup from before goals were kept, and one with a broken goal: the observations are read,
  // the broken goal is named with its path.
  const dir = tempDir("rubrica-goals-backup-");
  try {
    const old = { ...backup, goals: undefined };
    const broken = { ...backup, goals: [{ ...goals[0], id: "g-broken", agreed_on: "2026-02-30" }] };
    const files = [["old.json", old], ["broken.json", broken]].map(([n, v]) => {
      const f = path.join(dir, n);
      writeFileSync(f, JSON.stringify(v));
      return f;
    });
    await page.evaluate(() => document.querySelector("[data-testid=import-report]")?.setAttribute("data-old", ""));
    await page.setInputFiles("[data-testid=import-file]", files);
    await page.waitForSelector("[data-testid=import-report]:not([data-old])");
    const outcomes = await page.$$eval("[data-testid=import-outcome]", (ls) => ls.map((l) => l.textContent));
    assert.match(outcomes[0], /^old\.json: 0 imported, 2 already saved \(skipped\)$/);
    assert.match(outcomes[1], /\/goals\/0\/agreed_on: goal not imported: expected the date agreed as YYYY-MM-DD/);
    assert.equal(await page.evaluate(async () => (await import("./store.js")).listGoals().then((g) => g.length)), 2);
  } finally {
    removeDir(dir);
  }
});

goalsTest("a database of schema version 1 is brought to version 2: its observations untouched, the goals store added", async ({ context, openApp }) => {
  const records = fourVisitRecords().slice(0, 2);
  const entries = records.map((record, i) => ({ key: `dv1-${i}`, record, updated: `2026-0${i + 1}-01T10:00:00.000Z`, rev: 3 }));
  // Version 1 as the app wrote it, on a page of the same origin before the app first starts.
  const seed = await context.newPage();
  await seed.goto(`${suite.server.url}data/rubrics.json`);
  await seed.evaluate(
    (entries) =>
      new Promise((resolve, reject) => {
        const req = indexedDB.open("rubrica", 1);
        req.onupgradeneeded = () => {
          const obs = req.result.createObjectStore("observations", { keyPath: "key" });
          obs.createIndex("updated", "updated");
          req.result.createObjectStore("meta");
        };
        req.onsuccess = () => {
          const tx = req.result.transaction(["observations", "meta"], "readwrite");
          for (const e of entries) tx.objectStore("observations").put(e);
          tx.objectStore("meta").put("dv1-1", "current");
          tx.oncomplete = () => (req.result.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
        req.onerror = () => reject(req.error);
      }),
    entries,
  );
  await seed.close();

  const page = await openApp();
  await page.waitForSelector("[data-testid=draft-row]");
  const after = await page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const req = indexedDB.open("rubrica");
        req.onsuccess = () => {
          const db = req.result;
          const tx = db.transaction(["observations", "meta", "goals"], "readonly");
          const out = { version: db.version, stores: [...db.objectStoreNames], indexes: [...tx.objectStore("goals").indexNames] };
          tx.objectStore("observations").getAll().onsuccess = (e) => (out.observations = e.target.result);
          tx.objectStore("meta").get("current").onsuccess = (e) => (out.current = e.target.result);
          tx.objectStore("goals").count().onsuccess = (e) => (out.goals = e.target.result);
          tx.oncomplete = () => (db.close(), resolve(out));
          tx.onerror = () => reject(tx.error);
        };
        req.onerror = () => reject(req.error);
      }),
  );
  assert.equal(after.version, 2);
  assert.deepEqual(after.stores.sort(), ["goals", "meta", "observations"]);
  assert.deepEqual(after.indexes, ["caregiver"]);
  assert.equal(after.goals, 0);
  assert.equal(after.current, "dv1-1");
  assert.deepEqual(after.observations, entries, "every observation as version 1 stored it, revision included");
  assert.equal(await page.locator("[data-testid=draft-row]").count(), 2);
  // And the app saves goals in it.
  assert.equal((await saveGoalInPage(page, GOAL(), 0)).ok, true);
});

goalsTest("deleteCaregiver removes that caregiver's observations and goals in one go, and nothing else", async ({ openApp }) => {
  const page = await openApp();
  const result = await page.evaluate(async (base) => {
    const store = await import("./store.js");
    const rec = (id, caregivers) => ({ ...base, id, caregivers: caregivers.map((c) => ({ ...base.caregivers[0], id: c })) });
    await store.saveDraft("k1", rec("obs-1", ["cg-a", "cg-b"]));
    await store.saveDraft("k2", rec("obs-2", ["cg-b"]));
    await store.saveDraft("k3", rec("obs-3", ["cg-c"]));
    await store.setCurrentDraft("k2");
    const goal = (id, caregiver) => ({ id, caregiver, rubric: "small-groups", indicators: ["x"], title: id, steps: [], agreed_on: "2026-01-01", status: "active" });
    for (const g of [goal("g1", "cg-b"), goal("g2", "cg-b"), goal("g3", "cg-a")]) await store.saveGoal(g, 0);
    // A caregiver's goals: active first, then met, then set aside; the latest agreed first in each.
    const more = [["g4", "set-aside", "2026-05-01"], ["g5", "met", "2026-01-01"], ["g6", "active", "2026-02-01"], ["g7", "met", "2026-03-01"]];
    for (const [id, status, on] of more) await store.saveGoal({ ...goal(id, "cg-d"), status, agreed_on: on }, 0);
    const order = (await store.listGoals("cg-d")).map((g) => g.id);
    const counts = await store.deleteCaregiver("cg-b");
    return {
      counts,
      left: (await store.listDrafts()).map((d) => d.key).sort(),
      order,
      goals: (await store.listGoals()).map((g) => g.id).sort(),
      current: await store.currentDraft(),
      again: await store.deleteCaregiver("cg-b"),
    };
  }, example("center-infants"));
  assert.deepEqual(result, {
    counts: { observations: 2, reflections: 0, goals: 2 },
    left: ["k3"],
    order: ["g6", "g7", "g5", "g4"],
    goals: ["g3", "g4", "g5", "g6", "g7"],
    current: null,
    again: { observations: 0, reflections: 0, goals: 0 },
  });
});
