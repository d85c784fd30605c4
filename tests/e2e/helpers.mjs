// Shared set-up for the browser tests: paths, the native CLI, the browser, artifacts.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import net from "node:net";

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, "../..");
export const APP = path.join(REPO, "web/app");
export const ARTIFACTS = path.join(here, "artifacts");

/** Chromium flags that keep the browser quiet on the network and usable as root in CI. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-default-apps",
  "--disable-extensions",
  "--metrics-recording-only",
  "--no-default-browser-check",
  "--disable-search-engine-choice-screen",
  "--disable-domain-reliability",
  "--disable-client-side-phishing-detection",
  "--no-pings",
  "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication,NetworkTimeServiceQuerying",
];

export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

/**
 * Starts headless Chromium through Playwright. A browser that does not come up is reported as
 * "browser did not start", the only failure `cargo xtask test` starts a browser step again for.
 */
export async function launchChromium(chromium, profile = null, options = {}) {
  const settings = { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, ...options };
  try {
    return profile === null ? await chromium.launch(settings) : await chromium.launchPersistentContext(profile, settings);
  } catch (e) {
    throw new Error(`browser did not start: ${e.message}`);
  }
}

/** True for a URL the tests allow: the local server, and data or blob URLs of the page. */
export function isLocal(url, serverUrl) {
  return url.startsWith(serverUrl) || url.startsWith("data:") || url.startsWith("blob:");
}

/**
 * Watches every request the pages of a Playwright context make, at the browser: local ones go
 * through; any other is recorded and aborted, so it is caught and never leaves the machine.
 */
export async function watchNetwork(context, serverUrl) {
  const all = [];
  const outside = [];
  context.on("request", (req) => all.push(req.url()));
  await context.route(
    (url) => !isLocal(url.href, serverUrl),
    (route) => {
      outside.push(route.request().url());
      return route.abort("blockedbyclient");
    },
  );
  return { all, outside };
}

/** A port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** The engine a user agent belongs to: chromium, firefox, webkit or unknown. */
export function browserOf(agent) {
  if (agent.includes("Firefox/")) return "firefox";
  if (agent.includes("Chrome/") || agent.includes("HeadlessChrome/")) return "chromium";
  if (agent.includes("AppleWebKit/")) return "webkit";
  return "unknown";
}

/**
 * Every rubric case scored in the page with the wasm engine (`evaluateJson`): Playwright passes
 * the function to `page.evaluate`, WebDriver runs it through `SCORE_CASES_IN_PAGE`. It is sent
 * to the browser as text, so it must use nothing from this module.
 */
export async function scoreCasesInPage(bundle) {
  const mod = await import("/pkg/rubrica_web.js");
  await mod.default();
  const engine = new mod.RubricaEngine();
  engine.loadBundle(bundle);
  const out = {};
  for (const r of bundle) {
    out[r.id] = {};
    for (const c of r.cases) out[r.id][c.name] = engine.evaluateJson(r.id, JSON.stringify(c.case.record));
  }
  return out;
}

/** `scoreCasesInPage` as a WebDriver asynchronous script: the bundle in, `{ok}` or `{error}` out. */
export const SCORE_CASES_IN_PAGE = `
  const [bundle, done] = [arguments[0], arguments[arguments.length - 1]];
  (${scoreCasesInPage.toString()})(bundle).then((v) => done({ ok: v }), (e) => done({ error: String(e) }));
`;

/**
 * Compares the page's case results with the native CLI's (`rubrica test rubrics
 * --write-results DIR`) and returns how many were compared; every case of the bundle is
 * accounted for, and every native result file has a wasm twin.
 */
export function compareCases(bundle, wasm, dir, assert) {
  let compared = 0;
  let unscored = 0;
  const total = bundle.reduce((n, r) => n + r.cases.length, 0);
  for (const r of bundle) {
    for (const c of r.cases) {
      const file = path.join(dir, r.id, `${c.name}.json`);
      const got = wasm[r.id]?.[c.name];
      assert.equal(typeof got, "string", `${r.id}/${c.name}: the page gave no result`);
      if (!existsSync(file)) {
        // The native run could not score this case; the wasm must not score it either.
        assert.match(got, /^\{"type":"failure"/, `${r.id}/${c.name}: native wrote no result but wasm scored it`);
        unscored += 1;
        continue;
      }
      assert.equal(got, readFileSync(file, "utf8"), `${r.id}/${c.name}`);
      compared += 1;
    }
  }
  const written = readdirSync(dir).flatMap((r) => readdirSync(path.join(dir, r)));
  assert.equal(compared, written.length, "every native result file has a wasm twin");
  assert.equal(compared + unscored, total, "every case of the bundle was looked at");
  assert.ok(compared > 0, "at least one case was compared");
  return compared;
}

/** Native results of every rubric case, written to a fresh folder (remove it when done). */
export function nativeCaseResults() {
  const dir = tempDir("rubrica-case-results-");
  const native = rubrica(["test", "rubrics", "--write-results", dir]);
  if (native.status !== 0 && native.status !== 1) {
    removeDir(dir);
    throw new Error(`rubrica test failed to run: ${native.stderr}`);
  }
  return dir;
}

/** Fails early, with the command to run, when the app has not been built. */
export function requireBuiltApp() {
  const missing = ["pkg/rubrica_web.js", "pkg/rubrica_web_bg.wasm", "data/rubrics.json", "data/cases.json", "data/examples.json"].filter(
    (f) => !existsSync(path.join(APP, f)),
  );
  if (missing.length) {
    throw new Error(`web/app is not built (missing ${missing.join(", ")}); run \`cargo xtask build-web\` first`);
  }
}

export function readJson(file) {
  return JSON.parse(readFileSync(file, "utf8"));
}

/**
 * The app's rubric bundle with each rubric's self-test cases put back (`build-web` writes them
 * apart, in `data/cases.json`): `[{id, meta, script, cases: [{name, case}]}]`.
 */
export function readBundleWithCases() {
  const cases = readJson(path.join(APP, "data/cases.json"));
  return readJson(path.join(APP, "data/rubrics.json")).map((r) => ({ ...r, cases: cases[r.id] ?? [] }));
}

/** Runs the native `rubrica` CLI (RUBRICA_CLI, or `cargo run` from the repo root). */
export function rubrica(args) {
  const [cmd, cmdArgs] = process.env.RUBRICA_CLI
    ? [process.env.RUBRICA_CLI, args]
    : ["cargo", ["run", "-q", "-p", "rubrica", "--features", "cli", "--", ...args]];
  const out = spawnSync(cmd, cmdArgs, { cwd: REPO, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, timeout: 15 * 60 * 1000 });
  if (out.error) throw out.error;
  return { status: out.status, stdout: out.stdout, stderr: out.stderr };
}

/** A fresh, throw-away profile directory. */
export function tempDir(prefix) {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
}

export function artifact(name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}

/**
 * What a trainer editor (`rubric.rhai` or `rubric.json`) holds, once the code editor has loaded:
 * `{text, caret: [line, column], diagnostics: [{line, severity, message}]}`.
 */
export async function editorState(page, file) {
  await page.waitForSelector(".trainer[data-editor=codemirror]");
  return page.evaluate(
    async (sel) => (await import("./editor.bundle.js")).inspect(document.querySelector(sel)),
    `[data-testid="editor-${file}"]`,
  );
}

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** axe-core's WCAG 2.1 A and AA violations on the page as it is now, one line each. */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }),
  );
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join(", ")}`);
}

/**
 * Four visits to the infant room two months apart (2026-01 to 2026-07), each later one with a few
 * item values seen differently: `[date, [[rubric, item, value], …]]`. The trends, goals and
 * coaching-report suites line them up.
 */
export const FOUR_VISITS = [
  ["2026-01-12", []],
  ["2026-03-09", [["small-groups", "calm-atmosphere", "some"], ["individualized-care", "unhurried-routines", "most"]]],
  ["2026-05-11", [["small-groups", "calm-atmosphere", "all"], ["small-groups", "own-space", "no"], ["culturally-responsive-care", "key-words-learned", "some"]]],
  ["2026-07-06", [["small-groups", "own-space", "yes"], ["individualized-care", "unhurried-routines", "all"], ["primary-caregiving", "family-contact", "most"]]],
];

/** The infant example as each of `FOUR_VISITS`, with the id `obs-<date>-infant-room`. */
export function fourVisitRecords() {
  const example = readJson(path.join(REPO, "examples/center-infants.json"));
  return FOUR_VISITS.map(([date, changes]) => {
    const r = structuredClone(example);
    r.id = `obs-${date}-infant-room`;
    r.observed_on = date;
    for (const [rubric, item, value] of changes) r.items[rubric][item].value = value;
    return r;
  });
}
