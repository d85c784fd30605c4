// The results view's Export control in headless Chromium: each format downloads the same bytes
// as `rubrica export` writes for the same example record, without a request leaving 127.0.0.1.
//
// Run from this folder: `npm test` (after `cargo xtask build-web`). The native CLI is
// `cargo run -p rubrica --features cli`, or the binary named by RUBRICA_CLI.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { appInChromium, openApp } from "./suite.mjs";
import { APP, REPO, readJson, rubrica } from "./helpers.mjs";

const suite = appInChromium(chromium);

const FORMATS = [
  { format: "xapi", args: [], name: "-xapi.json" },
  { format: "lti-ags", args: [], name: "-lti-ags.json" },
  { format: "csv", args: ["--bom"], name: "-csv.csv" },
];

test("each export format downloads the CLI's bytes for the example record", async () => {
  const example = readJson(path.join(APP, "data/examples.json"))[0];
  assert.equal(example.name, "center-infants", "the first example is the one exported natively");
  const record = readJson(path.join(REPO, "examples/center-infants.json"));

  const { context, page, errors, network } = await openApp(suite, { acceptDownloads: true });
  try {
    await page.click("[data-testid=open-example]");
    await page.waitForSelector("[data-testid=results][data-state=scored]", { timeout: 20_000 });

    // The menu is labelled, the button named.
    const menu = page.getByLabel("Export results as");
    assert.equal(await menu.getAttribute("data-testid"), "export-format");
    assert.equal(await page.getByRole("button", { name: "Export", exact: true }).count(), 1);

    for (const { format, args, name } of FORMATS) {
      const native = rubrica(["export", "--format", format, ...args, "examples/center-infants.json"]);
      assert.equal(native.status, 0, native.stderr);
      await menu.selectOption(format);
      const [dl] = await Promise.all([page.waitForEvent("download"), page.click("[data-testid=export-results]")]);
      assert.equal(dl.suggestedFilename(), `${record.id}${name}`);
      const bytes = readFileSync(await dl.path());
      assert.ok(bytes.length > 100, `${format}: a real export`);
      assert.ok(
        bytes.equals(Buffer.from(native.stdout, "utf8")),
        `${format}: the download equals \`rubrica export --format ${format}\` byte for byte`,
      );
    }
    assert.deepEqual(errors, []);
    assert.ok(network.all.length > 0, "the page made requests");
    assert.deepEqual(network.outside, [], "no request left 127.0.0.1");
  } finally {
    await context.close();
  }
});
