// The set-up shared by the Playwright suites: the built app served on loopback and one headless
// Chromium, started before the suite's tests and closed after them.
//
//   const suite = appInChromium(chromium);  …  suite.browser.newContext();  suite.server.url
//   const { context, page, errors, network } = await openApp(suite, { axe: true });

import { before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "./server.mjs";
import { requireBuiltApp, launchChromium, watchNetwork } from "./helpers.mjs";

/** Registers the suite's `before` and `after`; the answer gets `server` and `browser` once it starts. */
export function appInChromium(chromium) {
  const suite = { server: null, browser: null };
  before(async () => {
    requireBuiltApp();
    suite.server = await startServer();
    suite.browser = await launchChromium(chromium);
  });
  after(async () => {
    await suite.browser?.close();
    await suite.server?.close();
  });
  return suite;
}

/**
 * A fresh browser context on the app (so an empty database of its own), its page loaded and the
 * app ready: `{context, page, errors, network}`. `errors` collects the page's uncaught errors and
 * console errors, `network.outside` every request that left 127.0.0.1; the caller checks both
 * and closes `context`. Options: `axe` (bypass the page's Content Security Policy, which would
 * refuse axe-core, injected as a script of the page), `width` and `height` of the viewport
 * (1280 × 900), `hash` to open (`#/`), and any other Playwright context option.
 */
export async function openApp(suite, { axe = false, width = 1280, height = 900, hash = "#/", ...options } = {}) {
  const context = await suite.browser.newContext({ viewport: { width, height }, ...(axe ? { bypassCSP: true } : {}), ...options });
  try {
    const network = await watchNetwork(context, suite.server.url);
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await page.goto(`${suite.server.url}${hash}`);
    await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
    return { context, page, errors, network };
  } catch (e) {
    await context.close();
    throw e;
  }
}

/** Runs `body(page)` on a fresh app (`openApp`'s options); then no script error and no request
 * may have left 127.0.0.1. */
export async function withApp(suite, options, body) {
  const { context, page, errors, network } = await openApp(suite, options);
  try {
    await body(page);
    assert.deepEqual(errors, [], "no script errors");
    assert.deepEqual(network.outside, [], "no request left 127.0.0.1");
  } finally {
    await context.close();
  }
}
