// The trainer's script editor, used with the keyboard only in headless Chromium: completions of
// record fields, the rubric's item ids and helpers (from the engine's vocabulary), help for the
// word at the caret, diagnostics as you type, and a way out with Escape then Tab.
//
// Run from this folder: `node --test trainer-editor.test.mjs` (after `cargo xtask build-web`).

import { test } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { appInChromium, withApp } from "./suite.mjs";
import { artifact } from "./helpers.mjs";

const suite = appInChromium(chromium);

/** A fresh context whose requests are watched at the browser; none may leave 127.0.0.1. */
const withPage = (body) => withApp(suite, {}, body);

const SCRIPT = '[data-testid="editor-rubric.rhai"]';

/** What the editor holds: `{text, caret: [line, column], diagnostics: [{line, severity}]}`. */
function inspect(page) {
  return page.evaluate(async (sel) => (await import("./editor.bundle.js")).inspect(document.querySelector(sel)), SCRIPT);
}

/** Presses Tab until `selector` (or an element inside it) has the focus; at most `max` times. */
async function tabTo(page, selector, max = 60) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => !!document.activeElement?.closest(s), selector)) return;
    await page.keyboard.press("Tab");
  }
  assert.fail(`Tab never reached ${selector}`);
}

/** The open completion list: the labels offered and the one selected. */
async function completions(page) {
  const list = page.locator(".cm-tooltip-autocomplete [role=listbox]");
  await list.waitFor({ timeout: 5_000 });
  // The editor ignores arrows and Enter for a moment after the list opens (so a fast Enter is
  // a new line, not a surprise completion); a person is never that fast, the test waits too.
  await page.waitForTimeout(150);
  return list.evaluate((ul) => ({
    labels: [...ul.querySelectorAll("[role=option] .cm-completionLabel")].map((l) => l.textContent),
    selected: ul.querySelector("[aria-selected] .cm-completionLabel")?.textContent,
    details: [...ul.querySelectorAll("[role=option]")].map((o) => o.querySelector(".cm-completionDetail")?.textContent ?? ""),
    name: ul.getAttribute("aria-label"),
  }));
}

test("with the keyboard only: completions for fields, items and helpers, help, and diagnostics as you type", () =>
  withPage(async (page) => {
    // To the trainer view through the main navigation, by keyboard.
    await tabTo(page, "[data-testid=nav-trainer]");
    await page.keyboard.press("Enter");
    await page.waitForSelector(".trainer[data-editor=codemirror]");
    const heading = await page.evaluate(() => document.activeElement?.localName === "h1" && document.activeElement.textContent);
    assert.match(String(heading), /^Trainer/, "the view's heading has the focus");

    // The editor is a named text box, reached with Tab.
    const box = page.getByRole("textbox", { name: /^Script \(rubric\.rhai\)/ });
    assert.equal(await box.count(), 1, "the script editor has its name");
    await tabTo(page, SCRIPT);

    // A new function at the end of the script.
    await page.keyboard.press("Control+End");
    await page.keyboard.press("Enter");
    await page.keyboard.type("fn probe(r) {");
    await page.keyboard.press("Enter");
    // A record field: `r.chi` offers `children`; Tab accepts it.
    await page.keyboard.type("let age = r.chi");
    let offered = await completions(page);
    assert.equal(offered.selected, "children", JSON.stringify(offered));
    assert.ok(offered.name, "the list of completions has a name");
    await page.keyboard.press("Tab");
    // A nested field: `r.children[0].` offers a child's fields; Enter accepts the selected one.
    await page.keyboard.type("[0].age_m");
    offered = await completions(page);
    assert.deepEqual(offered.labels, ["age_months"]);
    await page.keyboard.press("Enter");
    await page.keyboard.type(";");
    let now = await inspect(page);
    assert.match(now.text, /let age = r\.children\[0\]\.age_months;/);

    // An item id of this rubric inside `recorded(r, "`: every declared item is offered.
    await page.keyboard.press("Enter");
    await page.keyboard.type('let seen = recorded(r, "');
    offered = await completions(page);
    const meta = JSON.parse(
      await page.evaluate(async () => (await import("./editor.bundle.js")).inspect(document.querySelector('[data-testid="editor-rubric.json"]')).text),
    );
    const ids = meta.items.map((i) => i.id);
    assert.deepEqual([...offered.labels].sort(), [...ids].sort(), "the rubric's own item ids");
    await page.keyboard.press("ArrowDown");
    offered = await completions(page);
    const picked = offered.selected;
    await page.keyboard.press("Enter");
    now = await inspect(page);
    assert.ok(now.text.includes(`let seen = recorded(r, "${picked}")`), now.text.slice(-200));
    await page.keyboard.press("End");
    await page.keyboard.type(";");

    // A helper with its signature: `age_ba` offers `age_band(months)`.
    await page.keyboard.press("Enter");
    await page.keyboard.type("let band = age_ba");
    offered = await completions(page);
    assert.equal(offered.selected, "age_band");
    assert.equal(offered.details[offered.labels.indexOf("age_band")], "age_band(months)");
    // Accepted as a call, the caret between the parentheses; the help below shows its signature.
    await page.keyboard.press("Tab");
    await page.keyboard.type("age");
    const help = page.locator('[data-testid="word-help-rubric.rhai"]');
    assert.match(await help.textContent(), /^age_band\(months\) → text/);
    await page.keyboard.press("End");
    // Ctrl+Space opens the list of helpers; Escape closes it without changing the text.
    await page.keyboard.press("Control+Space");
    offered = await completions(page);
    assert.ok(offered.labels.includes("not_enough_evidence"), JSON.stringify(offered.labels));
    await page.keyboard.press("Escape");
    await page.locator(".cm-tooltip-autocomplete").waitFor({ state: "detached" });
    await page.keyboard.type(";");
    await page.keyboard.press("Enter");
    await page.keyboard.type('rating(1, ["/children"]');
    await page.keyboard.press("End");
    now = await inspect(page);
    assert.match(now.text, /let band = age_band\(age\);\nrating\(1, \["\/children"\]\)\n\}/);
    // The check runs a moment after the last key: wait until it finds the new function sound.
    await page.waitForFunction(
      async (sel) => {
        const m = await import("./editor.bundle.js");
        const ok = document.querySelector("[data-testid=check-summary]").dataset.state === "ok";
        return ok && m.inspect(document.querySelector(sel)).diagnostics.length === 0;
      },
      SCRIPT,
      { timeout: 5_000 },
    );

    // A typo (a missing operand) is reported as you type, with its line, in the text and below.
    const typoLine = now.text.split("\n").findIndex((l) => l.includes("let band")) + 1;
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("End");
    await page.keyboard.press("Backspace"); // the `;` after `age_band(age)`
    await page.keyboard.press("Backspace"); // `)`
    await page.keyboard.type(" + );");
    const loc = page.locator('[data-testid="diagnostics-rubric.rhai"] [data-testid=diagnostic-location]').first();
    await loc.waitFor({ timeout: 5_000 });
    assert.match(await loc.textContent(), new RegExp(`^rubric\\.rhai:${typoLine}:\\d+$`));
    await page.waitForFunction(
      async (line) => {
        const m = await import("./editor.bundle.js");
        const found = m.inspect(document.querySelector('[data-testid="editor-rubric.rhai"]'));
        return found.diagnostics.some((d) => d.line === line && d.severity === "error");
      },
      typoLine,
    );
    assert.equal(await page.getAttribute("[data-testid=check-summary]", "data-state"), "problems");
    await page.screenshot({ path: artifact("10-trainer-editor-diagnostic.png") });

    // Tab indents inside the editor; Escape then Tab moves on to the next control.
    const before = (await inspect(page)).text;
    await page.keyboard.press("Tab");
    assert.notEqual((await inspect(page)).text, before, "Tab indents");
    assert.ok(await page.evaluate((s) => !!document.activeElement?.closest(s), SCRIPT), "still in the editor");
    await page.keyboard.press("Escape");
    await page.keyboard.press("Tab");
    assert.ok(
      await page.evaluate((s) => !document.activeElement?.closest(s), SCRIPT),
      "Escape, then Tab, leaves the editor",
    );
  }));

test("the static checks of `rubrica check` show as you type: an undeclared item id, with the closest declared one", () =>
  withPage(async (page) => {
    await page.goto(`${suite.server.url}#/trainer`);
    await page.waitForSelector(".trainer[data-editor=codemirror]");
    await page.waitForSelector("[data-testid=check-summary][data-state=ok]");
    const meta = JSON.parse(
      await page.evaluate(async () => (await import("./editor.bundle.js")).inspect(document.querySelector('[data-testid="editor-rubric.json"]')).text),
    );
    const id = meta.items.find((i) => i.type === "frequency").id;
    await page.focus(SCRIPT);
    await page.keyboard.press("Control+End");
    await page.keyboard.press("Enter");
    await page.keyboard.type(`fn probe(r) { recorded(r, "${id.slice(0, -1)}`);
    await page.keyboard.press("Escape");
    const line = (await inspect(page)).caret[0];
    const item = page.locator('[data-testid="diagnostics-rubric.rhai"] [data-testid=editor-diagnostic]', { hasText: `\`${id.slice(0, -1)}\`` });
    await item.waitFor({ timeout: 5_000 });
    assert.match(await item.textContent(), new RegExp(`^rubric\\.rhai:${line}:\\d+ `));
    assert.ok((await item.textContent()).includes(`did you mean \`${id}\``), await item.textContent());
    assert.equal(await page.getAttribute("[data-testid=check-summary]", "data-state"), "problems");
    await page.screenshot({ path: artifact("10-trainer-editor-static-check.png") });
  }));

test("completion shows the list with its details, and hover explains an item id", () =>
  withPage(async (page) => {
    await page.goto(`${suite.server.url}#/trainer`);
    await page.waitForSelector(".trainer[data-editor=codemirror]");
    await page.focus(SCRIPT);
    await page.keyboard.press("Control+End");
    await page.keyboard.press("Enter");
    await page.keyboard.type("fn probe(r) { for c in r.children { c.");
    const offered = await completions(page);
    assert.ok(offered.labels.includes("primary_status"), JSON.stringify(offered.labels));
    assert.ok(offered.labels.includes("age_months"));
    await page.screenshot({ path: artifact("10-trainer-editor-completion.png") });
    await page.keyboard.press("Escape");

    // Hovering an item id in the script explains it with the item's label.
    const meta = JSON.parse(
      await page.evaluate(async () => (await import("./editor.bundle.js")).inspect(document.querySelector('[data-testid="editor-rubric.json"]')).text),
    );
    const item = meta.items[0];
    await page.keyboard.press("End");
    await page.keyboard.press("Enter");
    await page.keyboard.type(`let v = item(r, "${item.id}`);
    await page.keyboard.press("Escape");
    const quoted = page.locator(`${SCRIPT} .cm-line`, { hasText: `"${item.id}"` }).last();
    const boxOf = await quoted.evaluate((line, id) => {
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      let offset = line.textContent.indexOf(`"${id}"`) + 2;
      let node;
      while ((node = walker.nextNode())) {
        if (offset < node.length) break;
        offset -= node.length;
      }
      const range = document.createRange();
      range.setStart(node, offset);
      range.setEnd(node, offset + 1);
      const r = range.getBoundingClientRect();
      return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
    }, item.id);
    await page.mouse.move(boxOf.x, boxOf.y);
    const tip = page.locator(".cm-tooltip-hover .cm-word-help");
    await tip.waitFor({ timeout: 5_000 });
    const tipText = await tip.textContent();
    assert.ok(tipText.includes(item.id) && tipText.includes(item.label), tipText);
    await page.screenshot({ path: artifact("10-trainer-editor-hover.png") });
  }));

test("without the editor bundle the trainer still edits and checks, in a plain text area", () =>
  withPage(async (page) => {
    await page.route("**/editor.bundle.js", (route) => route.fulfill({ status: 404, body: "" }));
    // The page logs the missing bundle as a warning, and the failed request as an error.
    page.removeAllListeners("console");
    await page.goto(`${suite.server.url}#/trainer`);
    await page.waitForSelector(".trainer[data-editor=textarea]");
    const area = page.locator('textarea[data-testid="editor-rubric.rhai"]');
    assert.equal(await page.getByRole("textbox", { name: /^Script \(rubric\.rhai\)/ }).count(), 1);
    await area.focus();
    await page.keyboard.press("Control+Home");
    await page.keyboard.type("let broken = ;\n");
    const loc = page.locator('[data-testid="diagnostics-rubric.rhai"] [data-testid=diagnostic-location]').first();
    await loc.waitFor({ timeout: 5_000 });
    assert.match(await loc.textContent(), /^rubric\.rhai:1:\d+$/);
  }));
