// The coaching report names the observations it leaves out: saved records the engine cannot read
// (imported as they are, so the form can show what is wrong) are listed above the report, each
// with a link that opens it and the engine's first error, which is the native CLI's
// (`rubrica validate`), its place said in words, never a record path; the list is not printed.
//
// Run from this folder: `node --test report-skipped.test.mjs` (after `cargo xtask build-web`).
// The native CLI is `cargo run -p rubrica --features cli`, or the binary named by RUBRICA_CLI.

import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { appInChromium, openApp } from "./suite.mjs";
import { REPO, readJson, removeDir, rubrica, tempDir, axeViolations } from "./helpers.mjs";

const suite = appInChromium(chromium);

/** The first problem `rubrica validate` reports for a record file: its message, without where it is. */
function firstNativeError(file) {
  const out = rubrica(["validate", file]);
  assert.equal(out.status, 2, `rubrica validate finds ${file} invalid: ${out.stdout}${out.stderr}`);
  const line = out.stderr.split("\n").find((l) => l.startsWith(`${file}: error `));
  assert.ok(line, `an error line for ${file} in: ${out.stderr}`);
  return /^.*?: error R\d+: (.*) \(at `[^`]*`\)$/.exec(line)[1];
}

test("the coaching report names each observation it left out, why, and links to it", async () => {
  const dir = tempDir("rubrica-report-skipped-");
  const example = readJson(path.join(REPO, "examples/center-infants.json"));
  const write = (name, change) => {
    const r = structuredClone(example);
    change(r);
    const file = path.join(dir, name);
    writeFileSync(file, `${JSON.stringify(r, null, 2)}\n`);
    return file;
  };
  const good = [
    write("visit-1.json", (r) => ((r.id = "obs-2026-01-12-infant-room"), (r.observed_on = "2026-01-12"))),
    write("visit-2.json", (r) => ((r.id = "obs-2026-03-09-infant-room"), (r.observed_on = "2026-03-09"))),
  ];
  const badAge = write("bad-age.json", (r) => ((r.id = "obs-2026-05-11-bad-age"), (r.observed_on = "2026-05-11"), (r.children[0].age_months = -4)));
  const badId = write("bad-id.json", (r) => ((r.id = 3), (r.observed_on = "2026-07-06")));
  const want = { "obs-2026-05-11-bad-age": firstNativeError(badAge), 3: firstNativeError(badId) };

  const { context, page, errors, network } = await openApp(suite, { axe: true });
  try {
    await page.setInputFiles("[data-testid=import-file]", [...good, badAge, badId]);
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=draft-row]").length === 4, null, { timeout: 20_000 });
    const stored = await page.evaluate(async () => (await import("./store.js")).listDrafts());
    const keyOf = (id) => stored.find((d) => d.record.id === id).key;

    await page.click("[data-testid=nav-report]");
    await page.waitForSelector("[data-testid=coaching-report][data-state=shown]", { timeout: 20_000 });
    // The report is the readable visits' (the latest readable one), and says which it left out.
    assert.match(await page.textContent("[data-testid=report-meta]"), /latest visit 2026-03-09 .* 2 visits since 2026-01-12/);
    assert.match(await page.textContent("[data-testid=report-skipped] h2"), /Left out of this report: 2 observations/);
    const items = await page.$$eval("[data-testid=report-skipped-item]", (ls) =>
      ls.map((l) => ({ key: l.dataset.key, href: l.querySelector("a").getAttribute("href"), name: l.querySelector("a").textContent, text: l.textContent })),
    );
    assert.equal(items.length, 2);
    for (const [id, message] of Object.entries(want)) {
      const key = keyOf(id === "3" ? 3 : id);
      const item = items.find((i) => i.key === key);
      assert.ok(item, `${id} is listed`);
      assert.equal(item.href, `#/obs/${encodeURIComponent(key)}`, `${id}: the link opens it`);
      assert.equal(item.name, id === "3" ? "(no id yet)" : id);
      assert.ok(item.text.includes(message), `${id}: the engine's first error "${message}" in "${item.text}"`);
    }
    // Where in words: the field, not its path.
    assert.match(items.find((i) => i.key === keyOf("obs-2026-05-11-bad-age")).text, /child 1: age months: age in months must be/);
    const text = await page.textContent("[data-testid=report-skipped]");
    const pointer = text.match(/\/(id|children|caregivers|headcounts|items|minutes|setting|observed_on)(\/|\b)[\w~./-]*/);
    assert.equal(pointer, null, `no record path in the list (found ${pointer && pointer[0]})`);
    assert.deepEqual(await axeViolations(page), [], "axe finds no WCAG 2.1 A/AA violation");

    // Not printed: the list is for the coach, the report for the caregiver.
    await page.emulateMedia({ media: "print" });
    assert.equal(await page.locator("[data-testid=report-skipped]").isVisible(), false);
    await page.emulateMedia({ media: "screen" });

    // The link opens the observation, where the form shows the problem beside its field.
    await page.click(`[data-testid=report-skipped-item][data-key="${keyOf("obs-2026-05-11-bad-age")}"] a`);
    await page.waitForSelector("[data-testid=observation-form]");
    assert.equal(await page.inputValue("[data-testid=field-id]"), "obs-2026-05-11-bad-age");
    await page.waitForSelector("[data-testid=results][data-state=invalid]");

    // Nothing readable at all: the report says so, and still names what it left out.
    await page.evaluate(async (keys) => {
      const store = await import("./store.js");
      for (const k of keys) await store.deleteDraft(k);
    }, good.map((f) => keyOf(readJson(f).id)));
    await page.click("[data-testid=nav-report]");
    await page.waitForSelector("[data-testid=report-skipped]");
    assert.match(await page.textContent("[data-testid=report-empty]"), /No saved observation can be read yet/);
    assert.equal(await page.locator("[data-testid=report-skipped-item]").count(), 2);

    assert.deepEqual(errors, [], "no errors in the page");
    assert.deepEqual(network.outside, [], "no request leaves the page's origin");
  } finally {
    await context.close();
    removeDir(dir);
  }
});
