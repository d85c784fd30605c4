// The server a new user starts, `cargo xtask serve` (as the README names it), tested in
// Chromium: the app loads, from a fresh browser profile each time, and shows its first score,
// every time; every answer carries the page's security policy as headers.
//
// Run from this folder after `cargo xtask build-web`: `npm run serve-test`. LOADS sets how many
// loads (20 unless given).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { REPO, APP, requireBuiltApp, tempDir, removeDir, launchChromium, watchNetwork, freePort } from "./helpers.mjs";

const LOADS = Number(process.env.LOADS ?? 20);
/** Generous: a load that stalls (a module file that never arrives) fails here, not in a minute. */
const FIRST_SCORE_WITHIN_MS = 30_000;

let server;


/** Starts `cargo xtask serve --no-build` and waits for the address it prints. */
async function startXtaskServe() {
  const port = await freePort();
  const child = spawn("cargo", ["xtask", "serve", "--no-build", "--port", String(port)], {
    cwd: REPO,
    // In the test's own process group (`cargo run` becomes the server), so a run stopped from
    // outside stops the server with it.
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stderr.on("data", (d) => (log += d));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`cargo xtask serve printed no address in 10 min:\n${log}`)), 600_000);
    child.stdout.on("data", (d) => {
      log += d;
      const m = log.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`cargo xtask serve exited (${code}):\n${log}`));
    });
  });
  return {
    url,
    stop: () => child.kill("SIGTERM"),
  };
}

before(async () => {
  requireBuiltApp();
  server = await startXtaskServe();
});

after(() => server?.stop());

test("every answer carries the page's security policy as headers", async () => {
  const html = readFileSync(path.join(APP, "index.html"), "utf8");
  const meta = html.match(/http-equiv="Content-Security-Policy" content="([^"]+)"/);
  assert.ok(meta, "index.html has a CSP meta tag");
  for (const file of ["", "app.js", "render.js", "pkg/rubrica_web_bg.wasm", "data/rubrics.json", "no-such-file.js"]) {
    const res = await fetch(`${server.url}${file}`);
    const expectStatus = file === "no-such-file.js" ? 404 : 200;
    assert.equal(res.status, expectStatus, file);
    assert.equal(res.headers.get("content-security-policy"), `${meta[1]}; frame-ancestors 'none'`, file);
    assert.equal(res.headers.get("x-content-type-options"), "nosniff", file);
    assert.equal(res.headers.get("x-frame-options"), "DENY", file);
    await res.arrayBuffer();
  }
  assert.equal((await fetch(`${server.url}app.js`)).headers.get("content-type").split(";")[0].trim().endsWith("javascript"), true);
  assert.equal((await fetch(`${server.url}pkg/rubrica_web_bg.wasm`)).headers.get("content-type"), "application/wasm");
  assert.equal((await fetch(`${server.url}../Cargo.toml`)).status >= 400, true, "nothing outside web/app");
});

test(`the app loads ${LOADS} times from fresh profiles and shows its first score every time`, { timeout: LOADS * 120_000 }, async (t) => {
  let loaded = 0;
  const times = [];
  for (let i = 0; i < LOADS; i++) {
    const profile = tempDir("rubrica-serve-profile-");
    const context = await launchChromium(chromium, profile);
    try {
      const network = await watchNetwork(context, server.url);
      const page = context.pages()[0] ?? (await context.newPage());
      const start = Date.now();
      await page.goto(server.url);
      await page.waitForSelector("body[data-ready=true]", { timeout: FIRST_SCORE_WITHIN_MS });
      await page.click("[data-testid=open-example]");
      await page.waitForFunction(
        () => [...document.querySelectorAll("[data-testid=practice-score]")].some((e) => /^\d+\.\d\d \/ \d+$/.test(e.textContent)),
        null,
        { timeout: FIRST_SCORE_WITHIN_MS },
      );
      times.push(Date.now() - start);
      assert.deepEqual(network.outside, [], `load ${i + 1}: no request left 127.0.0.1`);
      loaded += 1;
    } catch (e) {
      throw new Error(`load ${i + 1} of ${LOADS} did not show a score within ${FIRST_SCORE_WITHIN_MS / 1000} s: ${e.message}`);
    } finally {
      await context.close();
      removeDir(profile);
    }
  }
  assert.equal(loaded, LOADS);
  t.diagnostic(`first score after ${Math.min(...times)}–${Math.max(...times)} ms (${LOADS} loads)`);
});
