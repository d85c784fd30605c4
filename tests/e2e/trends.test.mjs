// The trends view in headless Chromium: four observations of one caregiver over six months (the
// example with its date and a few item values changed), imported as files on the observation
// list. For each practice the chart has one point per visit, placed higher for a higher score,
// and every number in the tables equals `rubrica trend --format json --caregiver cg-a` on the same
// files. A rubric version break is drawn through the view's own chart function, fed a trend with a
// break, in the page: no line crosses it, and it is marked in words. axe-core finds no WCAG 2.1
// A/AA violation, also at 320 CSS px (no sideways scrolling). A room's visits are offered and lined
// up as `rubrica trend --by /place/id` lines them up.
//
// Run from this folder: `node --test trends.test.mjs` (after `cargo xtask build-web`). The native
// CLI is `cargo run -p rubrica --features cli`, or the binary named by RUBRICA_CLI.

import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { appInChromium, openApp } from "./suite.mjs";
import { REPO, FOUR_VISITS, artifact, fourVisitRecords, readJson, removeDir, rubrica, tempDir, watchNetwork, axeViolations } from "./helpers.mjs";

const suite = appInChromium(chromium);

const VISITS = FOUR_VISITS;


const words = (c, digits) => (c === 0 ? "the same" : `${c > 0 ? "up" : "down"} ${Math.abs(c).toFixed(digits)}`);

test("one caregiver's four visits: charts and tables show `rubrica trend`'s numbers", async () => {
  const dir = tempDir("rubrica-trend-");
  const records = fourVisitRecords();
  // Saved in an order other than the visits', so the view's order is the engine's (by date).
  const files = [2, 0, 3, 1].map((i) => {
    const file = path.join(dir, `visit-${i + 1}.json`);
    writeFileSync(file, `${JSON.stringify(records[i], null, 2)}\n`);
    return file;
  });
  const native = rubrica(["trend", "--format", "json", "--caregiver", "cg-a", ...files]);
  assert.equal(native.status, 0, native.stderr);
  const expected = JSON.parse(native.stdout);
  assert.equal(expected.series.length, 1);
  const series = expected.series[0];
  assert.deepEqual(series.visits.map((v) => v.observed_on), VISITS.map(([d]) => d));
  const moved = series.practices.filter((p) => new Set(p.points.map((pt) => pt.score)).size > 1);
  assert.ok(moved.length >= 2, "the changed items move at least two practices' scores");

  const { context, page, errors, network } = await openApp(suite, { axe: true });
  try {

    // The four records imported as files on the observation list.
    await page.setInputFiles("[data-testid=import-file]", files);
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=draft-row]").length === 4, null, { timeout: 20_000 });

    // The view is reached from the main navigation; its heading takes the focus.
    await page.click("[data-testid=nav-trends]");
    await page.waitForSelector("[data-testid=trends][data-state=shown]", { timeout: 20_000 });
    assert.equal(await page.getAttribute("[data-testid=nav-trends]", "aria-current"), "page");
    assert.equal(await page.evaluate(() => document.activeElement?.localName), "h1");
    assert.equal(await page.evaluate(() => document.querySelector("main").dataset.view), "trends");

    // The caregivers found in the observations, and "all" (each record lists cg-a and cg-b).
    const options = await page.$$eval("[data-testid=trend-who] option", (os) => os.map((o) => o.value));
    assert.deepEqual(options, ["cg-a", "cg-b", ""]);
    await page.selectOption("[data-testid=trend-who]", "cg-b");
    await page.waitForSelector("[data-testid=trends][data-caregiver=cg-b]");
    await page.selectOption("[data-testid=trend-who]", "cg-a");
    await page.waitForSelector("[data-testid=trends][data-caregiver=cg-a]");

    // What the view is drawn from: the engine in the page, on the saved records, gives the same
    // bytes as the command line.
    const inPage = await page.evaluate(async () => {
      const [mod, store] = await Promise.all([import("./pkg/rubrica_web.js"), import("./store.js")]);
      const engine = new mod.RubricaEngine();
      engine.loadBundle(await (await fetch("data/rubrics.json")).text());
      return engine.trend((await store.listDrafts()).map((d) => d.record), { caregiver: "cg-a" });
    });
    assert.equal(inPage, native.stdout.replace(/\n$/, ""), "engine.trend in the page is byte for byte `rubrica trend --format json`");

    const visitsShown = await page.$$eval("[data-testid=trend-visits] li strong", (els) => els.map((e) => e.textContent));
    assert.deepEqual(visitsShown, series.visits.map((v) => v.observed_on));
    const rubricsShown = await page.$$eval("[data-testid=trend-practice]", (els) => els.map((e) => e.dataset.rubric));
    assert.deepEqual(rubricsShown, series.practices.map((p) => p.rubric));

    for (const p of series.practices) {
      const section = page.locator(`[data-testid=trend-practice][data-rubric="${p.rubric}"]`);
      // The chart: one point per visit, the engine's score on each, higher score placed higher.
      const points = await section.locator("[data-testid=trend-point]").evaluateAll((cs) =>
        cs.map((c) => ({ visit: Number(c.dataset.visit), score: Number(c.dataset.score), y: Number(c.getAttribute("cy")), x: Number(c.getAttribute("cx")) })),
      );
      assert.equal(points.length, series.visits.length, `${p.rubric}: one point per visit`);
      assert.deepEqual(points.map((q) => q.score), p.points.map((q) => q.score), `${p.rubric}: scores`);
      for (let i = 1; i < points.length; i += 1) assert.ok(points[i].x > points[i - 1].x, `${p.rubric}: visits left to right`);
      for (const a of points) {
        for (const b of points) {
          if (a.score > b.score) assert.ok(a.y < b.y, `${p.rubric}: ${a.score} is above ${b.score}`);
          if (a.score === b.score) assert.equal(a.y, b.y, `${p.rubric}: equal scores at one height`);
        }
      }
      const chart = section.locator("[data-testid=trend-chart]");
      assert.equal(await chart.getAttribute("role"), "img");
      const desc = await chart.locator("desc").textContent();
      for (const [i, v] of series.visits.entries()) assert.ok(desc.includes(`${v.observed_on} ${p.points[i].score.toFixed(2)}`), `${p.rubric}: the description names each visit`);
      assert.equal(await section.locator("[data-testid=trend-line]").count(), 1, `${p.rubric}: one unbroken line`);
      assert.equal(await section.locator("[data-testid=trend-break]").count(), 0);

      // The data table: each visit's score, change and coverage as the engine gives them.
      const rows = await section.locator("[data-testid=trend-row]").evaluateAll((trs) =>
        trs.map((tr) => {
          const cell = (col) => tr.querySelector(`[data-col=${col}]`);
          return {
            date: tr.querySelector("th").textContent,
            score: [...cell("score").querySelectorAll("data")].map((d) => Number(d.value)),
            scoreText: cell("score").textContent,
            change: [...cell("change").querySelectorAll("data")].map((d) => Number(d.value)),
            changeText: cell("change").textContent,
            coverage: [...cell("coverage").querySelectorAll("data")].map((d) => Number(d.value)),
            version: cell("version").textContent,
          };
        }),
      );
      assert.equal(rows.length, p.points.length);
      for (const [i, pt] of p.points.entries()) {
        const row = rows[i];
        const where = `${p.rubric} visit ${i}`;
        assert.equal(row.date, series.visits[pt.visit].observed_on, where);
        assert.deepEqual(row.score, [pt.score], `${where}: score`);
        assert.equal(row.scoreText, `${pt.score.toFixed(2)} of ${pt.scale_max}`, `${where}: score text`);
        assert.deepEqual(row.change, pt.change === null ? [] : [pt.change], `${where}: change`);
        if (pt.change !== null) assert.equal(row.changeText, words(pt.change, 2), `${where}: change in words`);
        assert.deepEqual(row.coverage, [pt.coverage.rated, pt.coverage.total, pt.coverage.percent], `${where}: coverage`);
        assert.equal(row.version, pt.version, `${where}: version`);
      }

      // Each indicator's level at each visit and its latest change.
      const table = section.locator("[data-testid=trend-indicators]");
      const ind = await table.locator("[data-testid=trend-indicator-row]").evaluateAll((trs) =>
        trs.map((tr) => ({
          id: tr.dataset.indicator,
          cells: [...tr.querySelectorAll("td[data-visit]")].map((td) => ({ outcome: td.dataset.outcome, level: td.querySelector("data") ? Number(td.querySelector("data").value) : null })),
          change: tr.querySelector("td[data-col=change]").textContent,
        })),
      );
      assert.deepEqual(ind.map((r) => r.id), p.indicators.map((i) => i.id), `${p.rubric}: every indicator in order`);
      for (const [k, want] of p.indicators.entries()) {
        assert.deepEqual(ind[k].cells, want.points.map((q) => ({ outcome: q.outcome, level: q.outcome === "rated" ? q.level : null })), `${p.rubric}/${want.id}: levels`);
        const last = want.points[want.points.length - 1];
        assert.equal(ind[k].change, last.change === null ? "—" : words(last.change, 0), `${p.rubric}/${want.id}: change`);
      }
    }

    // Strengths first: what grew comes before what to look at together.
    const summary = await page.textContent("[data-testid=trend-summary]");
    assert.ok(summary.indexOf("Growing since the last visit") < summary.indexOf("To look at together"));
    assert.match(summary, /Small groups — The group has its own space: up 3 levels/);

    // The indicator tables opened, the whole view is checked.
    await page.$$eval("details.trend-indicators", (ds) => ds.forEach((d) => (d.open = true)));
    assert.deepEqual(await axeViolations(page), [], "violations on the trends view");
    await page.locator("[data-testid=trend-practice][data-rubric=small-groups]").screenshot({ path: artifact("trends-small-groups-1280.png") });

    // "All saved observations": the same four visits, the engine's series without a caregiver.
    const all = JSON.parse(rubrica(["trend", "--format", "json", ...files]).stdout);
    await page.selectOption("[data-testid=trend-who]", "");
    await page.waitForSelector("[data-testid=trends][data-caregiver='']");
    const allScores = await page.$$eval("[data-testid=trend-practice][data-rubric=small-groups] [data-testid=trend-point]", (cs) => cs.map((c) => Number(c.dataset.score)));
    assert.deepEqual(allScores, all.series[0].practices.find((p) => p.rubric === "small-groups").points.map((q) => q.score));

    // At 320 CSS px the page reflows: nothing scrolls sideways but the tables' own regions.
    await page.setViewportSize({ width: 320, height: 900 });
    const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, window: window.innerWidth }));
    assert.equal(widths.window, 320);
    assert.ok(widths.page <= 320, `the page is ${widths.page} px wide at 320 px`);
    assert.deepEqual(await axeViolations(page), [], "violations at 320 px");
    await page.screenshot({ path: artifact("trends-320.png"), fullPage: false });

    assert.deepEqual(errors, []);
    assert.deepEqual(network.outside, [], "no request left 127.0.0.1");
  } finally {
    await context.close();
    removeDir(dir);
  }
});

test("a rubric version break: no line across it, marked on the chart and in words", async () => {
  const dir = tempDir("rubrica-trend-break-");
  const files = fourVisitRecords().map((r, i) => {
    const file = path.join(dir, `visit-${i + 1}.json`);
    writeFileSync(file, JSON.stringify(r));
    return file;
  });
  // The engine's trend of the four visits, with a break made in the JSON: the third visit scored
  // with a version whose indicators changed (the engine then gives no change there), and the
  // second visit without a score (a gap).
  const trend = JSON.parse(rubrica(["trend", "--format", "json", "--caregiver", "cg-a", ...files]).stdout);
  const practice = trend.series[0].practices.find((p) => p.rubric === "small-groups");
  Object.assign(practice.points[1], { status: "not-enough-evidence", score: null, change: null, no_change: "no score at this visit" });
  Object.assign(practice.points[2], { version: "2.0.0", change: null, no_change: "the rubric changed", break: { from: "1.2.0", to: "2.0.0", reason: "indicators added: `x`" } });
  for (const q of practice.points.slice(3)) q.version = "2.0.0";
  const visits = trend.series[0].visits;

  const context = await suite.browser.newContext();
  const network = await watchNetwork(context, suite.server.url);
  try {
    const page = await context.newPage();
    await page.goto(`${suite.server.url}#/`);
    await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
    const drawn = await page.evaluate(
      async ([practice, visits]) => {
        const { chartModel, trendChart } = await import("./trends.js");
        const model = chartModel(practice, visits, { min: 1, max: 5 });
        const svg = trendChart(practice, visits, { min: 1, max: 5 }, "test");
        document.querySelector("main").append(svg);
        return {
          model: { points: model.points, lines: model.lines.map((run) => run.map((p) => p.visit)), breaks: model.breaks, gaps: model.gaps },
          polylines: [...svg.querySelectorAll("polyline")].map((l) => l.getAttribute("points").split(" ").map((xy) => Number(xy.split(",")[0]))),
          breakX: [...svg.querySelectorAll("[data-testid=trend-break] line")].map((l) => Number(l.getAttribute("x1"))),
          breakText: [...svg.querySelectorAll("[data-testid=trend-break] text")].map((t) => t.textContent),
          points: svg.querySelectorAll("[data-testid=trend-point]").length,
          gaps: svg.querySelectorAll("[data-testid=trend-gap]").length,
          desc: svg.querySelector("desc").textContent,
          role: svg.getAttribute("role"),
        };
      },
      [practice, visits],
    );
    const xs = drawn.model.points.map((p) => p.x);
    assert.equal(drawn.role, "img");
    assert.equal(drawn.points, 3, "three visits with a score");
    assert.equal(drawn.gaps, 1, "the visit without a score is marked");
    assert.deepEqual(drawn.model.lines, [[0], [2, 3]], "runs end at the gap and at the break");
    assert.equal(drawn.model.breaks.length, 1);
    const [b] = drawn.model.breaks;
    assert.equal(b.visit, 2);
    assert.ok(b.x > drawn.model.gaps[0].x && b.x < xs[1], "the break sits between the visit before and the visit after");
    assert.deepEqual(drawn.breakX, [b.x]);
    for (const line of drawn.polylines) {
      assert.ok(line.every((x) => x > b.x) || line.every((x) => x < b.x), `a line crosses the break at ${b.x}: ${line}`);
    }
    assert.equal(drawn.polylines.length, 1, "only the run after the break has two points to join");
    assert.deepEqual(drawn.breakText, ["rubric changed (1.2.0 → 2.0.0)"]);
    assert.match(drawn.desc, /no score/);
    assert.match(drawn.desc, /Rubric changed before 2026-05-11 \(version 1\.2\.0 to 2\.0\.0\); no line is drawn across it\./);
    assert.deepEqual(network.outside, []);
  } finally {
    await context.close();
    removeDir(dir);
  }
});

test("a room's visits: the rooms and homes named in the observations, each lined up as `rubrica trend --by /place/id`", async () => {
  const dir = tempDir("rubrica-trend-place-");
  const example = readJson(path.join(REPO, "examples/center-infants.json"));
  // Visits 1 and 3 in room rm-1, 2 and 4 in room rm-2; one more record names no place.
  const records = fourVisitRecords().map((r, i) => ({ ...r, place: { kind: "room", id: i % 2 ? "rm-2" : "rm-1" } }));
  records.push({ ...structuredClone(example), id: "obs-no-place", observed_on: "2026-08-03" });
  const files = records.map((r, i) => {
    const file = path.join(dir, `visit-${i + 1}.json`);
    writeFileSync(file, JSON.stringify(r));
    return file;
  });
  const native = rubrica(["trend", "--format", "json", "--by", "/place/id", ...files]);
  assert.equal(native.status, 1, "the record without a place is left out, a finding");
  const expected = JSON.parse(native.stdout);
  assert.deepEqual(expected.series.map((s) => s.subject), ["rm-1", "rm-2"]);
  const rm2 = expected.series[1];
  assert.deepEqual(rm2.visits.map((v) => v.observed_on), [VISITS[1][0], VISITS[3][0]]);

  const { context, page, errors, network } = await openApp(suite, { axe: true });
  try {
    await page.setInputFiles("[data-testid=import-file]", files);
    await page.waitForFunction((n) => document.querySelectorAll("[data-testid=draft-row]").length === n, records.length, { timeout: 20_000 });
    await page.click("[data-testid=nav-trends]");
    await page.waitForSelector("[data-testid=trends][data-state=shown]", { timeout: 20_000 });

    // Caregivers first, then the rooms by id, then all.
    const options = await page.$$eval("[data-testid=trend-who] option", (os) => os.map((o) => o.textContent));
    assert.deepEqual(options, ["Caregiver cg-a (5 observations)", "Caregiver cg-b (5 observations)", "Room rm-1 (2 observations)", "Room rm-2 (2 observations)", "All saved observations (5)"]);
    await page.selectOption("[data-testid=trend-who]", { label: "Room rm-2 (2 observations)" });
    await page.waitForSelector("[data-testid=trends][data-place='room/rm-2']");
    const heading = await page.textContent("[data-testid=trend-series] h2");
    assert.equal(heading, "Room rm-2: 2 visits");
    const dates = await page.$$eval("[data-testid=trend-visits] li strong", (ls) => ls.map((l) => l.textContent));
    assert.deepEqual(dates, rm2.visits.map((v) => v.observed_on));
    for (const practice of rm2.practices) {
      const scores = await page.$$eval(`[data-testid=trend-practice][data-rubric=${practice.rubric}] [data-testid=trend-point]`, (cs) => cs.map((c) => Number(c.dataset.score)));
      assert.deepEqual(scores, practice.points.filter((q) => q.score !== null).map((q) => q.score), `${practice.rubric}: the room's scores`);
    }
    // Only the room's records were lined up: nothing is listed as left out.
    assert.equal(await page.locator("[data-testid=trend-left-out]").count(), 0);
    assert.deepEqual(await axeViolations(page), [], "violations on a room's trends");
    assert.deepEqual(errors, []);
    assert.deepEqual(network.outside, []);
  } finally {
    await context.close();
    removeDir(dir);
  }
});
