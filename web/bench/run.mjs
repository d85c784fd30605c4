// Speed and size figures of the wasm engine in Node and in Chromium, beside json-logic-engine
// running the small-groups rubric's group-size decision on the same records.
//
//   cargo xtask build-web && cd web/bench && npm ci && node run.mjs
//
// Prints one JSON object on stdout (README.md says what each figure means); progress goes to
// stderr. A figure that cannot be measured here is null, with a note saying why.

import { readFileSync, readdirSync, existsSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { spawn } from "node:child_process";
import { loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { LogicEngine } from "json-logic-engine";
import { GROUP_SIZE_RULE } from "./group-size-logic.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(here, "../..");
const PKG = path.join(REPO, "web/pkg");
const APP = path.join(REPO, "web/app");
const EXAMPLE = path.join(REPO, "examples/center-toddlers-mixed.json");
const TEMPLATES = ["center-infants", "center-toddlers-mixed", "family-child-care"].map((n) =>
  JSON.parse(readFileSync(path.join(REPO, `examples/${n}.json`), "utf8")),
);

/** How many times each measurement runs; small enough for the whole run to stay under two minutes. */
const PLAN = {
  reportWarmup: 50,
  reportRuns: 400,
  records: 300,
  recordPasses: 3,
  logicPasses: 300,
  pageLoads: 7,
};

const notes = [];
/** Why a figure is null, one note each, starting with the figure's key (they come first in `notes`). */
const unmeasured = [];
const CHROMIUM_KEYS = ["chromium_report_p50_us", "chromium_first_score_ms_p50", "chromium_first_score_serve_ms_p50"];
const notMeasured = (keys, why) => unmeasured.push(...keys.map((k) => `${k}: not measured (${why})`));
const log = (...a) => console.error("bench:", ...a);

// ---------------------------------------------------------------------------------------------
// Timing

const nowUs = () => Number(process.hrtime.bigint()) / 1000;

/** The value at fraction `p` of the sorted samples (nearest rank). */
function quantile(samples, p) {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
}

const round = (x, digits = 1) => (x === null || x === undefined ? null : Number(x.toFixed(digits)));

/** Times `run()` once per call, `runs` times after `warmup` calls: microseconds each. */
function timeEach(run, warmup, runs) {
  for (let i = 0; i < warmup; i++) run(i);
  const out = new Array(runs);
  for (let i = 0; i < runs; i++) {
    const t0 = nowUs();
    run(i);
    out[i] = nowUs() - t0;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The wasm engine in Node

/** The rubrics of the bundle the build writes, without their self-test cases. */
function readBundle() {
  const dir = path.join(APP, "data");
  const files = ["rubrics.json", ...readdirSync(dir).filter((f) => f.endsWith(".json") && f !== "rubrics.json")];
  for (const f of files) {
    let value;
    try {
      value = JSON.parse(readFileSync(path.join(dir, f), "utf8"));
    } catch {
      continue;
    }
    if (Array.isArray(value) && value.length && value.every((r) => r && typeof r.meta === "string" && typeof r.script === "string")) {
      return value.map(({ id, meta, script }) => ({ id, meta, script }));
    }
  }
  throw new Error("no rubric bundle in web/app/data; run `cargo xtask build-web` first");
}

async function loadEngine(bundle) {
  for (const f of ["rubrica_web.js", "rubrica_web_bg.wasm"]) {
    if (!existsSync(path.join(PKG, f))) throw new Error(`web/pkg/${f} is missing; run \`cargo xtask build-web\` first`);
  }
  const mod = await import(pathToFileURL(path.join(PKG, "rubrica_web.js")).href);
  // In Node the module cannot fetch its own file URL: hand it the bytes.
  mod.initSync({ module: readFileSync(path.join(PKG, "rubrica_web_bg.wasm")) });
  const engine = new mod.RubricaEngine();
  const loaded = engine.loadBundle(bundle);
  if (loaded.type !== "success" || loaded.errors.length) {
    throw new Error(`the bundle did not load: ${JSON.stringify(loaded.errors ?? loaded)}`);
  }
  return engine;
}

function expectReport(text) {
  if (!text.startsWith('{"format":"rubrica.report/1"')) throw new Error(`reportJson gave no report: ${text.slice(0, 300)}`);
}

// ---------------------------------------------------------------------------------------------
// Generated records

/** A small seeded generator, so every run scores the same records. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Age mixes that reach every row of the tables: one range, neighbouring ranges, mixed ages, over three. */
const AGE_SPANS = [[0, 9], [8, 18], [16, 36], [0, 18], [2, 15], [8, 36], [10, 30], [0, 36], [20, 60], [0, 72]];

/**
 * `count` valid records built on the three examples (their items, minutes and notes) with new
 * caregivers, children and headcounts: centers and family child care homes, one to four adults,
 * one to fourteen children of every age mix.
 */
function generateRecords(count) {
  const rnd = random(20260402);
  const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
  const out = [];
  for (let i = 0; i < count; i++) {
    const base = TEMPLATES[i % TEMPLATES.length];
    const fcc = base.setting === "family-child-care";
    const adults = int(1, fcc ? 3 : 4);
    const n = int(1, fcc ? 12 : 14);
    const [lo, hi] = AGE_SPANS[int(0, AGE_SPANS.length - 1)];
    const caregivers = Array.from({ length: adults }, (_, k) => ({ id: `cg-${k + 1}`, role: fcc ? (k ? "assistant" : "provider") : "teacher", languages: ["en"] }));
    const children = Array.from({ length: n }, (_, k) => {
      const age = int(lo, hi);
      const inCare = int(0, age);
      const child = { id: `c${k + 1}`, age_months: age, months_in_care: inCare, home_languages: ["en"], ifsp: rnd() < 0.1 };
      if (rnd() < 0.85) {
        child.primary_caregiver = caregivers[int(0, adults - 1)].id;
        child.months_with_primary = int(0, inCare);
      } else {
        child.primary_caregiver = null;
      }
      return child;
    });
    const headcounts = Array.from({ length: int(1, 4) }, (_, k) => ({
      at: `${String(9 + k).padStart(2, "0")}:00`,
      children: int(Math.max(0, n - 3), n),
      caregivers: int(1, adults + 1),
    }));
    out.push({ ...structuredClone(base), id: `gen-${String(i + 1).padStart(4, "0")}`, caregivers, children, headcounts });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Node figures

function nodeReport(engine) {
  const record = JSON.parse(readFileSync(EXAMPLE, "utf8"));
  expectReport(engine.reportJson(record));
  const times = timeEach(() => engine.reportJson(record), PLAN.reportWarmup, PLAN.reportRuns);
  log(`node reportJson: p50 ${quantile(times, 0.5).toFixed(0)} µs`);
  return { p50: quantile(times, 0.5), p95: quantile(times, 0.95), min: Math.min(...times) };
}

/** The wasm engine's `group-size` level of each record (throws on a record it cannot score). */
function wasmLevels(engine, records) {
  return records.map((r) => {
    const answer = engine.evaluate("small-groups", r);
    if (answer.type !== "success") throw new Error(`${r.id}: ${JSON.stringify(answer.errors)}`);
    const ind = answer.result.indicators.find((x) => x.id === "group-size");
    if (!ind) throw new Error("the small-groups rubric has no `group-size` indicator");
    return ind.level;
  });
}

/** The small-groups rubric alone on each record text: JSON.parse + evaluateJson, and the text as it is. */
function nodeSmallGroups(engine, texts) {
  const first = engine.evaluateJson("small-groups", JSON.parse(texts[0]));
  if (!first.startsWith('{"format":"rubrica.result/1"')) throw new Error(`evaluateJson gave no result: ${first.slice(0, 300)}`);
  const runs = texts.length * PLAN.recordPasses;
  const withParse = timeEach((i) => engine.evaluateJson("small-groups", JSON.parse(texts[i % texts.length])), texts.length, runs);
  const textIn = timeEach((i) => engine.evaluateJson("small-groups", texts[i % texts.length]), texts.length, runs);
  log(`node small-groups: JSON.parse + object p50 ${quantile(withParse, 0.5).toFixed(0)} µs, text p50 ${quantile(textIn, 0.5).toFixed(0)} µs`);
  return { withParse: quantile(withParse, 0.5), text: quantile(textIn, 0.5) };
}

/**
 * json-logic-engine, compiled, on every record: the level of each, checked against the wasm
 * engine's, and the time per record. Calls of about a microsecond are timed a pass over all
 * records at a time (the clock costs as much as the call); the median pass, per record.
 */
function jsonLogic(records, texts, levels) {
  const logic = new LogicEngine();
  const decide = logic.build(GROUP_SIZE_RULE);
  const mismatches = [];
  records.forEach((r, i) => {
    const got = decide(r);
    if (got !== levels[i]) mismatches.push(`${r.id}: json-logic ${got}, wasm ${levels[i]}`);
  });
  let sink = 0;
  const perRecord = (pass) => {
    for (let k = 0; k < 20; k++) pass();
    const samples = [];
    for (let k = 0; k < PLAN.logicPasses; k++) {
      const t0 = nowUs();
      pass();
      samples.push((nowUs() - t0) / records.length);
    }
    return quantile(samples, 0.5);
  };
  const parsed = perRecord(() => {
    for (const r of records) sink += decide(r);
  });
  const withParse = perRecord(() => {
    for (const t of texts) sink += decide(JSON.parse(t));
  });
  if (sink === 0) notes.push("json-logic: no level was counted (unexpected)");
  log(`json-logic: ${parsed.toFixed(2)} µs parsed, ${withParse.toFixed(2)} µs with JSON.parse, ${mismatches.length} mismatches`);
  return { parsed, withParse, mismatches };
}

function wasmSize() {
  const bytes = readFileSync(path.join(PKG, "rubrica_web_bg.wasm"));
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

// ---------------------------------------------------------------------------------------------
// Chromium

/** The browser set-up the end-to-end tests use (system Chromium, same flags). */
async function e2e() {
  const helpers = await import(pathToFileURL(path.join(REPO, "tests/e2e/helpers.mjs")).href);
  const server = await import(pathToFileURL(path.join(REPO, "tests/e2e/server.mjs")).href);
  return { ...helpers, startServer: server.startServer };
}

/**
 * reportJson of the example, timed inside a page of the app's origin. The page is cross-origin
 * isolated (headers added by the test's router) so `performance.now()` is precise to a few
 * microseconds instead of 100.
 */
async function chromiumReport(browser, url, bundle, record) {
  const context = await browser.newContext();
  try {
    const pageUrl = `${url}__bench__.html`;
    await context.route(pageUrl, (route) =>
      route.fulfill({
        status: 200,
        contentType: "text/html; charset=utf-8",
        headers: { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" },
        body: "<!doctype html><meta charset=utf-8><title>bench</title>",
      }),
    );
    const page = await context.newPage();
    await page.goto(pageUrl);
    const out = await page.evaluate(
      async ({ bundle, record, warmup, runs }) => {
        const mod = await import("/pkg/rubrica_web.js");
        await mod.default();
        const engine = new mod.RubricaEngine();
        engine.loadBundle(bundle);
        const first = engine.reportJson(record);
        for (let i = 0; i < warmup; i++) engine.reportJson(record);
        const times = [];
        for (let i = 0; i < runs; i++) {
          const t0 = performance.now();
          engine.reportJson(record);
          times.push((performance.now() - t0) * 1000);
        }
        let tick = Infinity;
        for (let i = 0, last = performance.now(); i < 10000; i++) {
          const t = performance.now();
          if (t > last) tick = Math.min(tick, t - last);
          last = t;
        }
        return { first: first.slice(0, 40), times, isolated: self.crossOriginIsolated, tickUs: tick * 1000 };
      },
      { bundle, record, warmup: PLAN.reportWarmup, runs: PLAN.reportRuns },
    );
    expectReport(out.first);
    notes.push(`chromium_report: timed in the page with performance.now() (cross-origin isolated: ${out.isolated}, clock step about ${out.tickUs.toFixed(0)} µs)`);
    log(`chromium reportJson: p50 ${quantile(out.times, 0.5).toFixed(0)} µs`);
    return { p50: quantile(out.times, 0.5), p95: quantile(out.times, 0.95), min: Math.min(...out.times) };
  } finally {
    await context.close();
  }
}

/**
 * Loads of the coach app, each in a fresh browser context (no cache, no storage), with the
 * example saved as the coach's draft before the page starts: from navigation start to the first
 * practice score shown (`4.43 / 5`). The draft is written as the app's store writes it, so the
 * app opens the editor and scores at once, with no click to wait for.
 */
async function firstScore(browser, url, record, loads) {
  const times = [];
  const transfer = [];
  for (let i = 0; i <= loads; i++) {
    const context = await browser.newContext();
    try {
      await context.addInitScript(({ record }) => {
        try {
          if (localStorage.getItem("rubrica.drafts") === null) {
            localStorage.setItem("rubrica.draft.bench", JSON.stringify({ record, updated: new Date().toISOString() }));
            localStorage.setItem("rubrica.drafts", JSON.stringify(["bench"]));
          }
        } catch {
          /* the page reports that the draft is gone */
        }
        const scored = () =>
          [...document.querySelectorAll("[data-testid=practice-score]")].some((e) => /^\d+\.\d\d \/ \d+$/.test(e.textContent));
        new MutationObserver((_, observer) => {
          if (scored()) {
            window.__benchFirstScore = performance.now();
            observer.disconnect();
          }
        }).observe(document, { childList: true, subtree: true, characterData: true });
      }, { record });
      const page = await context.newPage();
      await page.goto(`${url}#/obs/bench`, { waitUntil: "commit" });
      await page.waitForFunction(() => window.__benchFirstScore !== undefined, null, { timeout: 20_000, polling: 20 });
      const visible = await page.locator("[data-testid=practice-score]").first().isVisible();
      if (!visible) throw new Error("the first score was added but is not visible");
      const [ms, bytes] = await page.evaluate(() => [
        window.__benchFirstScore,
        [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")].reduce((n, e) => n + (e.transferSize || 0), 0),
      ]);
      // The first load warms the browser process and the disk cache; it is not counted.
      if (i > 0) {
        times.push(ms);
        transfer.push(bytes);
      }
    } finally {
      await context.close();
    }
  }
  return { p50: quantile(times, 0.5), min: Math.min(...times), max: Math.max(...times), bytes: quantile(transfer, 0.5) };
}

/** `cargo xtask serve`, the server the README names, started from its built binary when there is one. */
async function startXtaskServe(freePort) {
  const target = process.env.CARGO_TARGET_DIR ? path.resolve(REPO, process.env.CARGO_TARGET_DIR) : path.join(REPO, "target");
  const bin = path.join(target, "debug/xtask");
  if (!existsSync(bin)) return { error: "no built xtask binary (target/debug/xtask); build it with `cargo build -p xtask`" };
  const port = await freePort();
  const child = spawn(bin, ["serve", "--no-build", "--port", String(port)], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
  // The server never outlives this run, even when the run stops early.
  process.once("exit", () => child.kill("SIGTERM"));
  let text = "";
  try {
    const url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no address printed within 20 s: ${text.trim()}`)), 20_000);
      const read = (d) => {
        text += d;
        const m = text.match(/http:\/\/127\.0\.0\.1:\d+\//);
        if (m) {
          clearTimeout(timer);
          resolve(m[0]);
        }
      };
      child.stdout.on("data", read);
      child.stderr.on("data", read);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`it exited (${code}): ${text.trim()}`));
      });
    });
    return { url, stop: () => child.kill("SIGTERM") };
  } catch (e) {
    child.kill("SIGTERM");
    return { error: `\`cargo xtask serve\` did not start: ${e.message}` };
  }
}

async function chromiumFigures(bundle) {
  const none = { report: null, first: null, serve: null };
  let tools;
  try {
    tools = await e2e();
  } catch (e) {
    notMeasured(CHROMIUM_KEYS, `the end-to-end helpers could not be loaded: ${e.message}`);
    return none;
  }
  if (!existsSync(tools.CHROMIUM)) {
    notMeasured(CHROMIUM_KEYS, `no browser at ${tools.CHROMIUM}; install Debian's chromium or set CHROMIUM`);
    return none;
  }
  const { chromium } = await import("playwright-core");
  const record = JSON.parse(readFileSync(EXAMPLE, "utf8"));
  let browser;
  try {
    browser = await tools.launchChromium(chromium);
  } catch (e) {
    notMeasured(CHROMIUM_KEYS, e.message.split("\n")[0]);
    return none;
  }
  const server = await tools.startServer();
  const out = { ...none };
  /** One figure; when it fails it stays null with a note, and the others are still measured. */
  const attempt = async (key, measure) => {
    try {
      return await measure();
    } catch (e) {
      notMeasured([key], String(e.message ?? e).split("\n")[0]);
      return null;
    }
  };
  try {
    out.report = await attempt("chromium_report_p50_us", () => chromiumReport(browser, server.url, bundle, record));
    out.first = await attempt("chromium_first_score_ms_p50", () => firstScore(browser, server.url, record, PLAN.pageLoads));
    if (out.first) log(`chromium first score (static server): p50 ${out.first.p50.toFixed(0)} ms`);
    const serve = await startXtaskServe(tools.freePort);
    if (serve.error) {
      notMeasured(["chromium_first_score_serve_ms_p50"], serve.error);
    } else {
      try {
        out.serve = await attempt("chromium_first_score_serve_ms_p50", () => firstScore(browser, serve.url, record, PLAN.pageLoads));
        if (out.serve) log(`chromium first score (cargo xtask serve): p50 ${out.serve.p50.toFixed(0)} ms`);
      } finally {
        serve.stop();
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  const loadBefore = loadavg()[0];
  const bundle = readBundle();
  const engine = await loadEngine(bundle);
  const size = wasmSize();

  const report = nodeReport(engine);

  const generated = generateRecords(PLAN.records);
  const records = generated.filter((r) => {
    const answer = engine.validateRecord(r);
    if (answer.type !== "success") log(`${r.id} is not valid: ${JSON.stringify(answer.errors[0])}`);
    return answer.type === "success";
  });
  if (records.length !== generated.length) notes.push(`${generated.length - records.length} generated records were not valid and were left out`);
  if (!records.length) throw new Error("no generated record is valid");
  const texts = records.map((r) => JSON.stringify(r));
  const levels = wasmLevels(engine, records);
  const spread = levels.reduce((m, l) => ({ ...m, [l]: (m[l] ?? 0) + 1 }), {});
  const small = nodeSmallGroups(engine, texts);
  const logic = jsonLogic(records, texts, levels);

  const browser = await chromiumFigures(bundle);

  const meanBytes = Math.round(texts.reduce((n, t) => n + t.length, 0) / texts.length);
  notes.push(
    `records: ${records.length} generated from the three examples (seeded; mean ${meanBytes} B of JSON, group-size levels ${JSON.stringify(spread)}); the six-rubric report is of examples/center-toddlers-mixed.json`,
    "node_wasm_report: reportJson(record) with the record as a parsed object (the module turns it into JSON text with JSON.stringify before the engine reads it)",
    `node_wasm_small_groups_with_parse: JSON.parse(text) then evaluateJson("small-groups", object), per call over every record; with the text passed as it is (the engine's own parser only): ${round(small.text)} µs p50`,
    "json-logic: json-logic-engine compiled (`build`), standard operations only, the group-size decision of the small-groups rubric; it returns the level alone: no evidence paths, no note naming the row and its source, no check of the record (an invalid record gets a level or an exception), no other indicator of the rubric; the wasm figures include all of that, for every indicator of the small-groups rubric",
    `json-logic levels equal the wasm engine's group-size levels on ${records.length - logic.mismatches.length} of ${records.length} records`,
    ...logic.mismatches.slice(0, 5).map((m) => `mismatch ${m}`),
    "json-logic figures are per record, the median of passes over every record (a single call is about as short as the clock's own cost)",
  );
  if (browser.first) {
    notes.push(
      `chromium_first_score: fresh browser context per load (empty cache and storage), the example saved as a draft before the page starts, navigation start to the first practice score in the page (MutationObserver); the median of ${PLAN.pageLoads} loads after one uncounted load, ${round(browser.first.min, 0)}–${round(browser.first.max, 0)} ms, ${browser.first.bytes} B transferred per load; the app served by the end-to-end tests' static server (tests/e2e/server.mjs, no compression)`,
    );
  }
  if (browser.serve) notes.push(`chromium_first_score_serve: the same loads from \`cargo xtask serve\` (its built binary): ${round(browser.serve.min, 0)}–${round(browser.serve.max, 0)} ms, ${browser.serve.bytes} B transferred per load`);
  notes.push(
    `Node ${process.version}; whole run ${((Date.now() - started) / 1000).toFixed(0)} s; load average ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after (on a busy machine the medians grow, the minimums much less)`,
  );

  const result = {
    node_wasm_report_p50_us: round(report.p50),
    node_wasm_report_p95_us: round(report.p95),
    node_wasm_report_min_us: round(report.min),
    node_wasm_small_groups_with_parse_p50_us: round(small.withParse),
    node_wasm_small_groups_text_p50_us: round(small.text),
    jsonlogic_group_size_parsed_us: round(logic.parsed, 3),
    jsonlogic_group_size_with_parse_us: round(logic.withParse, 2),
    jsonlogic_mismatches: logic.mismatches.length,
    jsonlogic_records: records.length,
    chromium_report_p50_us: round(browser.report?.p50),
    chromium_report_p95_us: round(browser.report?.p95),
    chromium_report_min_us: round(browser.report?.min),
    chromium_first_score_ms_p50: round(browser.first?.p50),
    chromium_first_score_serve_ms_p50: round(browser.serve?.p50),
    wasm_bytes_raw: size.raw,
    wasm_bytes_gzip: size.gzip,
    notes: [...unmeasured, ...notes],
  };
  // One line: readers take the last line of stdout that is a JSON object.
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((e) => {
  console.error(`bench: ${e.stack ?? e}`);
  process.exit(1);
});
