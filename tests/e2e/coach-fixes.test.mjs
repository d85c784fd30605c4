// Where a new coach stumbled in the app, each checked the way a coach meets it: a new
// observation's empty fields, the results on a phone, the names of the controls, the focus when
// an observation opens, a quiet save line, and the trainer (line numbers after scrolling,
// self-tests of an edit, edits kept from an unasked reload, a warning shown once).
//
// Run from this folder: `node --test coach-fixes.test.mjs` (after `cargo xtask build-web`).

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { appInChromium } from "./suite.mjs";
import { REPO, artifact, watchNetwork, axeViolations } from "./helpers.mjs";

const suite = appInChromium(chromium);

/**
 * A fresh context (no drafts) at `width` × `height`, on the observations view. `options.noEditor`
 * leaves out the code editor bundle, so the trainer falls back to its plain text area. axe is
 * injected as a script of the page, which the page's own policy would refuse: these contexts
 * bypass it.
 */
async function withPage(width, body, options = {}) {
  const context = await suite.browser.newContext({ viewport: { width, height: options.height ?? 900 }, bypassCSP: true, acceptDownloads: true });
  const network = await watchNetwork(context, suite.server.url);
  if (options.noEditor) await context.route("**/editor.bundle.js", (route) => route.abort());
  try {
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`${suite.server.url}#/`);
    await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
    await body(page);
    assert.deepEqual(errors, [], "no script errors");
  } finally {
    await context.close();
  }
  assert.deepEqual(network.outside, [], "no request left 127.0.0.1");
}

/** Waits until the editor has scored the latest change. */
const settled = (page) => page.waitForSelector("[data-testid=results][data-pending=false]", { timeout: 10_000 });

async function openExample(page) {
  await page.click("[data-testid=open-example]");
  await page.waitForSelector("[data-testid=results][data-state=scored]", { timeout: 20_000 });
}


// ---------------------------------------------------------------------------------------------
// 1. A new observation

test("a new observation shows empty fields as not filled in yet, and errors once a field is left or the coach finishes", () =>
  withPage(1280, async (page) => {
    await page.evaluate(() => {
      window.spoken = [];
      const live = document.getElementById("status-message");
      new MutationObserver(() => live.textContent && window.spoken.push(live.textContent)).observe(live, { childList: true, subtree: true, characterData: true });
    });
    await page.click("[data-testid=new-observation]");
    await settled(page);
    const form = page.locator("[data-testid=observation-form]");
    assert.equal(await form.locator("[data-testid=field-error]").count(), 0, "no error before anything is typed");
    assert.equal(await form.locator("[aria-invalid]").count(), 0, "no field marked invalid");
    assert.equal(await form.locator(".has-error").count(), 0);
    const pending = await form.locator("[data-testid=field-pending]").evaluateAll((ps) =>
      ps.map((p) => ({
        path: p.dataset.errorPath,
        text: p.textContent,
        colour: getComputedStyle(p).color,
        live: !!p.closest("[aria-live], [role=alert], [role=status], [role=log]"),
        describes: !!document.querySelector(`[aria-describedby~="${p.id}"]`),
      })),
    );
    assert.ok(pending.length >= 4, JSON.stringify(pending));
    const errorColour = await page.evaluate(() => {
      const p = document.createElement("p");
      p.className = "field-error";
      document.body.append(p);
      const c = getComputedStyle(p).color;
      p.remove();
      return c;
    });
    for (const p of pending) {
      assert.match(p.text, /^Not filled in yet/, p.path);
      assert.notEqual(p.colour, errorColour, `${p.path}: not in the error colour`);
      assert.equal(p.live, false, `${p.path}: not in a live region`);
      assert.ok(p.describes, `${p.path}: still describes its field`);
    }
    const status = await page.textContent("[data-testid=record-status]");
    assert.match(status, /not filled in yet/);
    assert.equal(await page.locator("[data-testid=record-status] .notice.error").count(), 0, "the status is not an error");
    assert.deepEqual(
      await page.locator("[data-testid=problem]").evaluateAll((ls) => [...new Set(ls.map((l) => l.className))]),
      ["pending"],
    );

    await page.screenshot({ path: artifact("12-new-observation-untouched.png") });

    // Leaving an empty field: now it is an error, the others are still only waiting.
    await page.focus("[data-testid=caregivers-0-id]");
    await page.keyboard.press("Tab");
    const cgId = page.locator('[data-testid=field-error][data-error-path="/caregivers/0/id"]');
    await cgId.waitFor({ timeout: 5_000 });
    assert.equal(await page.getAttribute("[data-testid=caregivers-0-id]", "aria-invalid"), "true");
    assert.equal(await page.locator('[data-testid=field-pending][data-error-path="/children/0/id"]').count(), 1, "a field not left yet still waits");
    assert.equal(await page.locator('[data-testid=problem][data-path="/caregivers/0/id"]').getAttribute("class"), "error");

    // A bad value shows at once when the field is left.
    await page.fill("[data-testid=children-0-age_months]", "five");
    await page.keyboard.press("Tab");
    await settled(page);
    await page.locator('[data-testid=field-error][data-error-path="/children/0/age_months"]').waitFor({ timeout: 5_000 });
    assert.equal(await page.getAttribute("[data-testid=children-0-age_months]", "aria-invalid"), "true");

    // Trying to finish (exporting the record) shows every problem as one.
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("[data-testid=export-record]")]);
    await download.path();
    await page.waitForSelector("[data-testid=results][data-waiting='0']", { timeout: 5_000 });
    assert.equal(await form.locator("[data-testid=field-pending]").count(), 0);
    assert.ok((await form.locator("[data-testid=field-error]").count()) >= 4);
    assert.equal(await page.locator("[data-testid=record-status] .notice.error").count(), 1);
    assert.deepEqual(await page.evaluate(() => window.spoken), [], "nothing was announced");
    await page.screenshot({ path: artifact("12-new-observation-finished.png") });
  }));

// ---------------------------------------------------------------------------------------------
// 2. The results on a phone

test("on phone-sized screens a score bar jumps to the results and back; desktop is unchanged", async () => {
  for (const width of [320, 375, 414]) {
    await withPage(
      width,
      async (page) => {
        await openExample(page);
        const bar = page.locator("[data-testid=score-bar]");
        const jump = page.locator("[data-testid=score-bar-jump]");
        assert.ok(await bar.isVisible(), `${width}: the bar shows`);
        const box = await bar.boundingBox();
        assert.ok(box.y + box.height <= 740.5 && box.y > 600, `${width}: the bar is at the bottom of the screen (${JSON.stringify(box)})`);
        assert.match(await page.textContent("[data-testid=score-bar-text]"), /^Scored with \d+ rubric/);
        assert.equal(await jump.textContent(), "Results ↓");

        // Down the form to a field, then to the results: they are on the screen at once.
        await page.locator("[data-testid=note-small-groups-own-space]").focus();
        const formScroll = await page.evaluate(() => window.scrollY);
        const far = await page.evaluate(() => document.querySelector("[data-testid=results]").getBoundingClientRect().top);
        assert.ok(far > 2000, `${width}: the results start ${Math.round(far)} px below`);
        await jump.click();
        await page.waitForFunction(() => document.querySelector("[data-testid=score-bar]").dataset.at === "results");
        const top = await page.evaluate(() => document.querySelector("[data-testid=overview]").getBoundingClientRect().top);
        assert.ok(top >= 0 && top < 740, `${width}: the overview starts ${Math.round(top)} px down the screen`);
        assert.equal(await page.evaluate(() => document.activeElement.id), "results-h", "the results' heading has the focus");
        assert.equal(await jump.textContent(), "Back to the form ↑");
        assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), width, `${width}: no sideways scrolling`);
        await page.screenshot({ path: artifact(`12-phone-${width}-results.png`) });
        assert.deepEqual(await axeViolations(page), [], `${width}: violations`);

        // Back by the keyboard: to the field the coach left, where it was.
        await jump.focus();
        await page.keyboard.press("Enter");
        await page.waitForFunction(() => document.querySelector("[data-testid=score-bar]").dataset.at === "form");
        assert.equal(await page.evaluate(() => window.scrollY), formScroll, "back where the form was left");
        assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), "note-small-groups-own-space");
        assert.equal(await jump.textContent(), "Results ↓");
        // The bar never hides the last of the page.
        await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
        const footer = await page.locator(".site-footer").boundingBox();
        const last = await page.evaluate(() => document.querySelector("[data-testid=results]").getBoundingClientRect().bottom);
        assert.ok(last <= (await bar.boundingBox()).y + 1 || footer.y < 740, `${width}: the results end under the bar`);
      },
      { height: 740 },
    );
  }
  await withPage(1280, async (page) => {
    await openExample(page);
    assert.equal(await page.locator("[data-testid=score-bar]").isVisible(), false, "no bar on a desktop");
    const [form, results] = await page.evaluate(() => [".form-col", "[data-testid=results]"].map((s) => document.querySelector(s).getBoundingClientRect().toJSON()));
    assert.ok(results.left >= form.right && results.top < 900, "the results stay beside the form");
  });
});

// ---------------------------------------------------------------------------------------------
// 3. Names of the controls

test("every control of the form has a name of its own", () =>
  withPage(1280, async (page) => {
    await openExample(page);
    const names = await page.evaluate(() => {
      const text = (ids) => ids.split(" ").map((id) => document.getElementById(id)?.textContent.trim() ?? "").join(" ");
      return [...document.querySelectorAll("[data-testid=observation-form] :is(input:not([type=radio]), select, textarea, [role=radiogroup])")].map((el) =>
        (el.getAttribute("aria-labelledby") ? text(el.getAttribute("aria-labelledby")) : el.labels?.[0]?.textContent ?? el.getAttribute("aria-label") ?? "")
          .replace(/\s+/g, " ")
          .trim(),
      );
    });
    assert.ok(names.length > 100, `${names.length} controls`);
    assert.deepEqual(names.filter((n) => !n), [], "every control is named");
    assert.deepEqual(names.filter((n, i) => names.indexOf(n) !== i), [], "names used twice");

    // The names the browser gives them: the item's "Evidence from" and "Note" carry its label.
    const items = await page.locator("[data-item] .item-label").allTextContents();
    assert.ok(items.length >= 40, `${items.length} items`);
    for (const label of items.slice(0, 6)) {
      assert.equal(await page.getByRole("combobox", { name: `Evidence from — ${label}`, exact: true }).count(), 1, label);
      assert.equal(await page.getByRole("textbox", { name: `Note — ${label}`, exact: true }).count(), 1, label);
    }
    assert.equal(await page.getByRole("textbox", { name: "Id — Caregiver 1", exact: true }).count(), 1);
    assert.equal(await page.getByRole("textbox", { name: "Id — Child 1", exact: true }).count(), 1);
    assert.deepEqual(await axeViolations(page), []);
  }));

// ---------------------------------------------------------------------------------------------
// 4. Focus when an observation opens

test("opening an observation moves the focus to its heading", () =>
  withPage(1280, async (page) => {
    const focused = async (what) => {
      await page.waitForFunction(() => document.activeElement?.localName === "h1" && document.activeElement.closest("[data-testid=observation-form], .editor-head"), null, { timeout: 10_000 }).catch(() => {});
      const f = await page.evaluate(() => ({ tag: document.activeElement?.localName, text: document.activeElement?.textContent, title: document.querySelector("[data-testid=record-title]")?.textContent }));
      assert.equal(f.tag, "h1", `${what}: focus on ${f.tag}`);
      assert.equal(f.text, f.title, what);
    };
    await page.click("[data-testid=new-observation]");
    await focused("a new observation");
    await page.click("a.back");
    await page.click("[data-testid=open-example]");
    await focused("an example");
    await page.click("a.back");
    await page.locator("[data-testid=open-draft]").first().click();
    await focused("a saved observation from the list");
    await page.click("a.back");
    const record = readFileSync(path.join(REPO, "examples/center-infants.json"));
    await page.setInputFiles("[data-testid=import-file]", { name: "one.json", mimeType: "application/json", buffer: record });
    await focused("an imported record");
  }));

// ---------------------------------------------------------------------------------------------
// 5. The save line

test("saving while typing is quiet: nothing is announced, the save line is no live region", () =>
  withPage(1280, async (page) => {
    await openExample(page);
    await page.evaluate(() => {
      window.spoken = [];
      for (const live of document.querySelectorAll("[aria-live], [role=status], [role=alert], [role=log]")) {
        new MutationObserver(() => window.spoken.push(live.textContent)).observe(live, { childList: true, subtree: true, characterData: true });
      }
    });
    const save = page.locator("[data-testid=save-state]");
    assert.equal(await save.evaluate((el) => !!el.closest("[aria-live], [role=status], [role=alert], [role=log]")), false);
    await page.click("[data-testid=field-observer]");
    await page.keyboard.press("End");
    for (const ch of "-typed") {
      await page.keyboard.type(ch);
      await page.waitForTimeout(180);
    }
    await settled(page);
    await page.waitForFunction(() => /^Saved/.test(document.querySelector("[data-testid=save-state]").textContent));
    assert.deepEqual(await page.evaluate(() => window.spoken), [], "announced while typing");
  }));

// ---------------------------------------------------------------------------------------------
// 6. The trainer

/** The first line of the text scrolled out of view, and every visible line's number and text. */
async function gutterAgainstText(page) {
  return page.evaluate(() => {
    const area = document.querySelector('[data-editor="rubric.rhai"] textarea.code');
    const box = area.closest(".code-box").getBoundingClientRect();
    const gutter = area.closest(".code-box").querySelector(".gutter").getBoundingClientRect();
    const holder = area.closest(".code-box").querySelector(".gutter-lines") ?? area.closest(".code-box").querySelector(".gutter");
    const numbers = [...holder.children];
    const lines = [...area.closest(".code-box").querySelectorAll(".backdrop > div")];
    const out = [];
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i].getBoundingClientRect();
      if (l.top < box.top || l.bottom > box.bottom - 20) continue; // this line is not on the screen
      const n = numbers[i].getBoundingClientRect();
      // What is drawn at the line's height in the gutter, if the gutter shows anything there.
      const shown = n.top >= gutter.top - 0.5 && n.bottom <= gutter.bottom + 0.5 ? numbers[i].textContent : null;
      out.push({ line: i + 1, shown, offset: Math.abs(n.top - l.top) });
    }
    return { scrollTop: area.scrollTop, out };
  });
}

test("the trainer's line numbers stay beside their lines after scrolling (text area and code editor)", async () => {
  await withPage(
    1280,
    async (page) => {
      await page.click("[data-testid=nav-trainer]");
      await page.waitForSelector(".trainer[data-editor=textarea]", { timeout: 20_000 });
      await page.evaluate(() => {
        const area = document.querySelector('[data-editor="rubric.rhai"] textarea.code');
        area.scrollTop = 1500;
        area.dispatchEvent(new Event("scroll"));
      });
      const { scrollTop, out } = await gutterAgainstText(page);
      assert.ok(scrollTop > 1000, `scrolled ${scrollTop}px`);
      assert.ok(out.length > 10, `${out.length} lines on the screen`);
      for (const o of out) {
        assert.equal(o.shown, String(o.line), `line ${o.line}: the gutter shows ${o.shown}`);
        assert.ok(o.offset < 1, `line ${o.line}: ${o.offset}px off`);
      }
      await page.screenshot({ path: artifact("12-trainer-textarea-scrolled.png") });
    },
    { noEditor: true },
  );
  await withPage(1280, async (page) => {
    await page.click("[data-testid=nav-trainer]");
    await page.waitForSelector(".trainer[data-editor=codemirror]", { timeout: 20_000 });
    await page.evaluate(() => (document.querySelector('[data-editor="rubric.rhai"] .cm-scroller').scrollTop = 1500));
    await page.waitForTimeout(200);
    const pairs = await page.evaluate(() => {
      const ed = document.querySelector('[data-editor="rubric.rhai"] .cm-editor');
      const content = ed.querySelector(".cm-content").getBoundingClientRect();
      const scroller = ed.querySelector(".cm-scroller").getBoundingClientRect();
      return [...ed.querySelectorAll(".cm-lineNumbers .cm-gutterElement")]
        .filter((g) => /^\d+$/.test(g.textContent))
        .map((g) => {
          const r = g.getBoundingClientRect();
          if (r.top < scroller.top || r.bottom > Math.min(scroller.bottom, window.innerHeight)) return null;
          const line = document.elementFromPoint(content.left + 4, r.top + r.height / 2)?.closest(".cm-line");
          return { number: Number(g.textContent), text: line ? line.textContent : null };
        })
        .filter(Boolean);
    });
    const script = (await page.evaluate(async () => (await import("./editor.bundle.js")).inspect(document.querySelector('[data-testid="editor-rubric.rhai"]')).text)).split("\n");
    assert.ok(pairs.length > 10 && pairs[0].number > 20, JSON.stringify(pairs.slice(0, 3)));
    for (const p of pairs) assert.equal(p.text, script[p.number - 1], `line ${p.number}`);
  });
});

test("self-tests of an edit not loaded yet run the edited text and say so", () =>
  withPage(1280, async (page) => {
    await page.click("[data-testid=nav-trainer]");
    await page.waitForSelector(".trainer[data-editor=codemirror]", { timeout: 20_000 });
    const summary = page.locator("[data-testid=case-summary]");
    await page.click("[data-testid=run-cases]");
    assert.match(await summary.textContent(), /^\d+ passed, 0 failed — ran the version loaded in the engine$/);

    // A change that compiles but rates differently: some cases must now fail.
    const editor = page.locator("[data-testid='editor-rubric.rhai']");
    const original = await page.evaluate(async () => (await import("./editor.bundle.js")).inspect(document.querySelector('[data-testid="editor-rubric.rhai"]')).text);
    const edited = original.replace('"gradual-visits" => rating(5, evidence, note)', '"gradual-visits" => rating(1, evidence, note)');
    assert.notEqual(edited, original);
    await editor.fill(edited);
    await page.waitForSelector("[data-testid=load-state][data-dirty=true]");
    await page.click("[data-testid=run-cases]");
    const text = await summary.textContent();
    assert.match(text, /^\d+ passed, [1-9]\d* failed — ran your edited text \(not loaded into the engine yet\)$/, text);
    // The engine still has the bundled rubric: an observation scores as before.
    await page.click("[data-testid=show-coverage]");
    assert.match(await page.textContent("[data-testid=coverage-summary]"), /of your edited text/);

    // An edit that does not compile: nothing ran, and the problems say why.
    await editor.fill(`${edited}\nlet broken = ;`);
    await page.waitForSelector("[data-testid=check-summary][data-state=problems]");
    await page.click("[data-testid=run-cases]");
    assert.match(await summary.textContent(), /^Not run: your edited text has problems/);
    assert.ok((await page.locator("[data-testid=case-results] [data-testid=problem]").count()) >= 1);

    await page.click("[data-testid=restore-rubric]");
    await page.click("[data-testid=run-cases]");
    assert.match(await summary.textContent(), /0 failed — ran the version loaded in the engine$/);
  }));

test("leaving the page with trainer edits not downloaded asks first", () =>
  withPage(1280, async (page) => {
    const asks = () =>
      page.evaluate(() => {
        const e = new Event("beforeunload", { cancelable: true });
        window.dispatchEvent(e);
        return e.defaultPrevented;
      });
    await page.click("[data-testid=nav-trainer]");
    await page.waitForSelector(".trainer[data-editor=codemirror]", { timeout: 20_000 });
    assert.equal(await asks(), false, "nothing edited yet");
    await page.focus("[data-testid='editor-rubric.rhai']");
    await page.keyboard.press("Control+End");
    await page.keyboard.type("\n// a trainer's note");
    await page.waitForSelector("[data-testid=load-state][data-dirty=true]");
    assert.equal(await asks(), true, "an edit asks");
    // Seen by the browser too: a reload is held for the question.
    const dialog = page.waitForEvent("dialog", { timeout: 5_000 });
    const reload = page.reload({ timeout: 3_000 }).catch(() => {}); // held, then given up
    const d = await dialog;
    assert.equal(d.type(), "beforeunload");
    await d.dismiss();
    await reload;
    assert.equal(await page.locator(".trainer").count(), 1, "the edit is still on the page");
    // Loading is not keeping: still asks. Downloading both files keeps the edit.
    await page.click("[data-testid=load-rubric]");
    assert.equal(await asks(), true, "loaded, not downloaded");
    for (const id of ["download-rhai", "download-json"]) {
      const [dl] = await Promise.all([page.waitForEvent("download"), page.click(`[data-testid=${id}]`)]);
      await dl.path();
    }
    assert.equal(await asks(), false, "downloaded");
  }));

test("a record warning is shown once in the results panel (and once on paper)", () =>
  withPage(1280, async (page) => {
    await openExample(page);
    await page.fill("[data-testid=children-0-age_months]", "40");
    await settled(page);
    const shown = () =>
      page.locator("#results li").evaluateAll((ls) => ls.filter((l) => l.textContent.includes("R0150") && l.getClientRects().length).length);
    assert.equal(await shown(), 1, "on screen");
    await page.emulateMedia({ media: "print" });
    assert.equal(await shown(), 1, "in print");
    await page.emulateMedia({ media: "screen" });
  }));
