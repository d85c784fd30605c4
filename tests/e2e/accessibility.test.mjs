// WCAG 2.1 AA for the coach app, in headless Chromium: axe-core finds no violation on any view,
// and scripted checks cover what axe does not: the focus moves to the new view's heading on
// every view change, the borders of fields, buttons and cards have 3:1 contrast against what is
// behind them, and every view reflows at 320 CSS px without sideways scrolling.
//
// Run from this folder: `node --test accessibility.test.mjs` (after `cargo xtask build-web`).

import { test } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { appInChromium, withApp } from "./suite.mjs";
import { artifact, axeViolations } from "./helpers.mjs";


const suite = appInChromium(chromium);

/**
 * A fresh context (no drafts) at `width`. axe is injected as a script of the page, which the
 * page's own security policy would refuse, so only these contexts bypass it.
 */
const withPage = (width, body) => withApp(suite, { width, axe: true }, body);

/** The three views, each reached as a user would, with what shows it is ready. */
const VIEWS = [
  { name: "observations", go: (page) => page.click("[data-testid=nav-observations]"), ready: "[data-testid=rubric-list]" },
  {
    name: "observation",
    go: (page) => page.click("[data-testid=open-example]"),
    ready: "[data-testid=results][data-state=scored]",
  },
  { name: "trainer", go: (page) => page.click("[data-testid=nav-trainer]"), ready: ".trainer[data-editor=codemirror]" },
];

async function show(page, view) {
  if (view.name === "observation") await page.click("[data-testid=nav-observations]");
  await view.go(page);
  await page.waitForSelector(view.ready, { timeout: 20_000 });
}

/** axe-core's WCAG 2.0/2.1 A and AA rules on the whole page: the violations, described. */

test("axe-core reports no WCAG 2.1 A/AA violation on any view", () =>
  withPage(1280, async (page) => {
    for (const view of VIEWS) {
      await show(page, view);
      assert.deepEqual(await axeViolations(page), [], `violations on the ${view.name} view`);
    }
    // The trainer with a diagnostic and an open completion list.
    await page.focus('[data-testid="editor-rubric.rhai"]');
    await page.keyboard.press("Control+End");
    await page.keyboard.type("\nfn probe(r) { let x = ; r.chi");
    await page.locator(".cm-tooltip-autocomplete").waitFor();
    await page.waitForSelector("[data-testid=check-summary][data-state=problems]");
    assert.deepEqual(await axeViolations(page), [], "violations in the trainer while editing");
  }));

test("every view change moves the focus to the new view's heading", () =>
  withPage(1280, async (page) => {
    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement;
        return { tag: el?.localName, text: el?.textContent.trim(), inMain: !!el?.closest("#main") };
      });
    const steps = [
      ["to the trainer, by keyboard", async () => (await page.focus("[data-testid=nav-trainer]"), page.keyboard.press("Enter")), /^Trainer/],
      ["back to the observations", () => page.click("[data-testid=nav-observations]"), /^Observations$/],
      ["to an example observation", () => page.click("[data-testid=open-example]"), /\S/],
      ["back with the link above the heading", () => page.click("a.back"), /^Observations$/],
      ["back in the history", () => page.goBack(), /^obs-/],
      ["forward in the history", () => page.goForward(), /^Observations$/],
    ];
    for (const [name, act, heading] of steps) {
      const was = await page.evaluate(() => location.hash);
      await act();
      // A view that loads something first may show (and focus) a loading heading meanwhile.
      await page
        .waitForFunction(
          ([before, pattern]) =>
            location.hash !== before &&
            document.activeElement?.localName === "h1" &&
            new RegExp(pattern).test(document.activeElement.textContent.trim()),
          [was, heading.source],
          { timeout: 10_000 },
        )
        .catch(() => {});
      const now = await focused();
      assert.equal(now.tag, "h1", `${name}: the focus is on ${now.tag} "${now.text}"`);
      assert.ok(now.inMain, `${name}: the heading is the view's own`);
      assert.match(now.text, heading, name);
    }
    // The skip link is an in-page anchor, not a view change: the trainer stays.
    await page.click("[data-testid=nav-trainer]");
    await page.waitForSelector(".trainer");
    await page.focus(".skip-link");
    await page.keyboard.press("Enter");
    assert.equal(await page.locator(".trainer").count(), 1, "the skip link keeps the trainer view");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "main");
  }));

test("buttons that do different things have different names", () =>
  withPage(1280, async (page) => {
    for (const view of VIEWS) {
      await show(page, view);
      const repeated = await page.evaluate(() => {
        // A cited path may appear under several indicators: the same name, the same action.
        const names = [...document.querySelectorAll("#main button:not(.evidence-path)")]
          .filter((b) => b.getClientRects().length)
          .map((b) => (b.getAttribute("aria-label") || b.textContent).trim().replace(/\s+/g, " "));
        return names.filter((n, i) => names.indexOf(n) !== i);
      });
      assert.deepEqual(repeated, [], `${view.name}: buttons sharing a name`);
      if (view.name === "observation") {
        // Two problems in the record: each "Go to field" names its own field.
        await page.fill("[data-testid=children-0-age_months]", "five");
        await page.fill("[data-testid=children-1-age_months]", "six");
        await page.waitForSelector("[data-testid=results][data-state=invalid][data-pending=false]");
        const goTo = await page.locator("[data-testid=problem] button").evaluateAll((bs) => bs.map((b) => b.getAttribute("aria-label") || b.textContent));
        assert.ok(goTo.length >= 2, JSON.stringify(goTo));
        assert.equal(new Set(goTo).size, goTo.length, JSON.stringify(goTo));
      }
    }
  }));

/** Contrast ratio of two `rgb(…)`/`rgba(…)` colours (WCAG relative luminance). */
function contrast(a, b) {
  const lum = (c) => {
    const [r, g, bl] = c.match(/[\d.]+/g).slice(0, 3).map((x) => {
      const v = Number(x) / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/** Every visible element matching `selector`: its border colour and the colour behind it. */
function bordersOf(page, selector) {
  return page.evaluate((sel) => {
    const opaque = (c) => c && c !== "transparent" && !/rgba\(.*,\s*0\)$/.test(c);
    const behind = (el) => {
      for (let p = el.parentElement; p; p = p.parentElement) {
        const bg = getComputedStyle(p).backgroundColor;
        if (opaque(bg)) return bg;
      }
      return "rgb(255, 255, 255)";
    };
    return [...document.querySelectorAll(sel)]
      .filter((el) => el.getClientRects().length && getComputedStyle(el).borderTopStyle !== "none" && parseFloat(getComputedStyle(el).borderTopWidth) > 0)
      .map((el) => {
        const s = getComputedStyle(el);
        const own = opaque(s.backgroundColor) ? s.backgroundColor : behind(el);
        return {
          what: `${el.localName}${el.className ? `.${String(el.className).split(" ").join(".")}` : ""}${el.dataset.testid ? `[${el.dataset.testid}]` : ""}`,
          border: s.borderTopColor,
          inside: own,
          outside: behind(el),
        };
      });
  }, selector);
}

const BORDERED = [
  'input[type="text"]',
  "select",
  "textarea",
  ".choice label",
  "button:not(.quiet):not(.link):not(.primary):not(.card)",
  ".card",
  ".rubric-list li",
  "fieldset.row",
  ".cm-editor",
].join(", ");

// A component is told from its surroundings by its border or by its own fill: the better of the
// two must reach 3:1 against the colour around it (WCAG 1.4.11).
test("field, button and card borders have 3:1 contrast with what is around them", () =>
  withPage(1280, async (page) => {
    let checked = 0;
    const weak = [];
    for (const view of VIEWS) {
      await show(page, view);
      for (const b of await bordersOf(page, BORDERED)) {
        checked += 1;
        const best = Math.max(contrast(b.border, b.outside), contrast(b.inside, b.outside));
        if (best < 3) weak.push(`${view.name}: ${b.what} border ${b.border}, fill ${b.inside}, around ${b.outside}: ${best.toFixed(2)}:1`);
      }
    }
    assert.ok(checked > 50, `only ${checked} bordered elements were found`);
    assert.deepEqual(weak, []);
  }));

test("every view reflows at 320 CSS px without sideways scrolling", () =>
  withPage(320, async (page) => {
    for (const view of VIEWS) {
      await show(page, view);
      const widths = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        window: window.innerWidth,
        // What sticks out past the right edge (tables and code scroll inside their own boxes).
        wide: [...document.querySelectorAll("body *")]
          .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5 && !el.closest(".table-wrap, .cm-scroller, .section-nav ul"))
          .slice(0, 5)
          .map((el) => `${el.localName}.${el.className} ${Math.round(el.getBoundingClientRect().right)}px`),
      }));
      assert.equal(widths.window, 320);
      assert.ok(widths.page <= widths.window, `${view.name}: the page is ${widths.page}px wide: ${widths.wide.join(", ")}`);
      assert.deepEqual(widths.wide, [], `${view.name}: sticks out`);
      await page.screenshot({ path: artifact(`11-reflow-320-${view.name}.png`), fullPage: true });
    }
  }));
