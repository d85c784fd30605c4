// The set-up shared by the Playwright suites: the built app served on loopback and one headless
// Chromium, started before the suite's tests and closed after them.
//
//   const suite = appInChromium(chromium);  …  suite.browser.newContext();  suite.server.url

import { before, after } from "node:test";
import { startServer } from "./server.mjs";
import { requireBuiltApp, launchChromium } from "./helpers.mjs";

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
