// Reflection records in the coach app, in headless Chromium: a TA reflection
// (`rubrica.ta-reflection/1`) made with "New TA reflection" and typed in through the reflection
// form builds the example record exactly; an engine error lands beside its field (a date that is
// not one, minutes out of range in a contact row); the indicator levels shown equal `rubrica score
// --format json` on the record the app stored, and the report JSON the app downloads is that output
// byte for byte; after a reload the list shows it as a TA reflection with its date and partner and
// opens it in the reflection form. The family partnership form offers the engine's own values for
// its kind, and after a switch to Spanish shows the same record in Spanish with the levels of
// `rubrica score --lang es`. The six-practice views are unchanged: the home lists the six observation rubrics, an
// observation's form and report have the six practices as `rubrica score` gives them, and the
// trends and reliability views neither list nor count a saved reflection. A backup keeps the
// reflections. The home lists observations and each reflection kind under its own heading with
// its count, most recently saved first, redrawn in place after another tab's changes with the
// focus kept; "Delete all" asks about "2 observations and 3 reflections" (English and Spanish,
// singular and plural) and says what went. axe-core finds no WCAG 2.1 A/AA violation; no sideways scrolling at 320 CSS px
// (screenshots `reflection-*.png`).
//
// Run from this folder: `node --test reflections.test.mjs` (after `cargo xtask build-web`).

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { appInChromium, withApp } from "./suite.mjs";
import { REPO, APP, artifact, readJson, rubrica, tempDir, removeDir, axeViolations } from "./helpers.mjs";

const suite = appInChromium(chromium);
const TA = "rubrica.ta-reflection/1";
const FAMILY = "rubrica.family-partnership/1";

/** Waits until the results reflect the latest edit (the debounce has run and scoring is done). */
async function settled(page) {
  await page.waitForSelector("[data-testid=results][data-pending=false]", { timeout: 20_000 });
}

/** The stored records, `{key, record}`, read from the app's database. */
function storedRecords(page) {
  return page.evaluate(async () => {
    const { listRecords } = await import("./store.js");
    return (await listRecords()).map((d) => ({ key: d.key, record: d.record }));
  });
}

/** The control with test id `testid`, checked to be the only one. */
async function only(page, testid, what) {
  const el = page.locator(`[data-testid="${testid}"]`);
  assert.equal(await el.count(), 1, `the form has one control for ${what}`);
  return el;
}

/** Types `value` into a form control the way a coach would (menu, radio group or text). */
async function enter(el, value) {
  const kind = await el.getAttribute("data-kind");
  if (kind === "select") await el.selectOption(String(value));
  else if (kind === "radio") await el.locator(`input[value="${value}"]`).check();
  else await el.fill(String(value));
}

/** Fills the reflection form from `record`, every field through its control. */
async function fillReflection(page, record) {
  await (await only(page, "field-id", "/id")).fill(record.id);
  await (await only(page, "field-reflected_on", "/reflected_on")).fill(record.reflected_on);
  for (const group of ["author", "partner"]) {
    for (const [key, value] of Object.entries(record[group])) await enter(await only(page, `${group}-${key}`, `/${group}/${key}`), value);
  }
  for (const name of ["contacts", "goals", "notes"]) {
    const rows = record[name] ?? [];
    for (let i = 0; i < rows.length; i += 1) {
      await page.click(`[data-testid=add-${name}]`);
      // The new row's first field has the focus (the list was drawn again).
      assert.equal(await page.evaluate(() => document.activeElement?.closest("fieldset.row")?.dataset.path), `/${name}/${i}`, `a new ${name} row takes the focus`);
    }
    for (const [i, row] of rows.entries()) {
      const fields = typeof row === "string" ? [[null, row]] : Object.entries(row);
      for (const [key, value] of fields) {
        const testid = key === null ? `${name}-${i}` : `${name}-${i}-${key}`;
        await enter(await only(page, testid, `/${name}/${i}/${key ?? ""}`), value);
      }
    }
  }
  for (const [rubric, items] of Object.entries(record.items)) {
    for (const [id, item] of Object.entries(items)) {
      await enter(await only(page, `item-${rubric}-${id}`, `item ${id}`), item.value);
      assert.equal(await page.locator(`[data-testid="method-${rubric}-${id}"]`).count(), 0, "a reflection's item has no method");
      if (item.note !== undefined) await (await only(page, `note-${rubric}-${id}`, `note of ${id}`)).fill(item.note);
    }
  }
}

/** No sideways scrolling: the page is no wider than the viewport. */
async function noSidewaysScroll(page, what) {
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(scroll <= client, `${what}: no sideways scrolling at ${client} px (page ${scroll} px wide)`);
}

/** The CLI's report of `record` (`rubrica score --format json`), and its text. */
function cliReport(record, args = []) {
  const dir = tempDir("rubrica-reflection-");
  try {
    const file = path.join(dir, "record.json");
    writeFileSync(file, JSON.stringify(record));
    const out = rubrica(["score", file, "--format", "json", ...args]);
    assert.equal(out.status, 0, `rubrica score: ${out.stderr}`);
    // The CLI ends its output with a newline; the page's download is the JSON alone.
    return { text: out.stdout.replace(/\n$/, ""), report: JSON.parse(out.stdout) };
  } finally {
    removeDir(dir);
  }
}

/** The observation rubrics of the app's bundle (no `record`, or the observation format), in the engine's order. */
function observationRubricIds(report) {
  return report.practices.map((p) => (p.type === "success" ? p.result.rubric.id : p.rubric));
}

test("a TA reflection typed into its form scores as rubrica score does, and stays in the list", async () => {
  const example = readJson(path.join(REPO, "examples/ta-reflection.json"));
  await withApp(suite, { axe: true, acceptDownloads: true }, async (page) => {
    // The home offers a new record of each kind; the reflection's form opens with its heading focused.
    await page.click("[data-testid=new-reflection-ta-reflection]");
    await page.waitForSelector("[data-testid=reflection-form]");
    await settled(page);
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), "H1", "the new view's heading has the focus");
    assert.equal(await page.locator("[data-testid=observation-form]").count(), 0);
    assert.equal(await page.locator("[data-testid=items-relationship-based-ta]").count(), 1, "the TA rubric's items");
    for (const id of ["primary-caregiving", "family-partnerships"]) {
      assert.equal(await page.locator(`[data-testid=items-${id}]`).count(), 0, `no ${id} items in a TA reflection`);
    }
    // The menus hold the engine's values for this kind, after an empty first choice.
    const vocab = await page.evaluate(async () => (await import("./pkg/rubrica_web.js")).RubricaEngine.vocabulary().kinds);
    const kind = vocab.find((k) => k.format === TA);
    const values = (p) => kind.record_choices.find((c) => c.path === p).values;
    assert.deepEqual(await page.$$eval("[data-testid=author-role] option", (os) => os.map((o) => o.value)), ["", ...values("/author/role")]);
    assert.deepEqual(await page.$$eval("[data-testid=partner-kind] option", (os) => os.map((o) => o.value)), ["", ...values("/partner/kind")]);
    await page.screenshot({ path: artifact("reflection-new.png"), fullPage: true });

    // A date that is not one: once the field is left, the engine's error is beside it.
    await page.fill("[data-testid=field-reflected_on]", "2026-02-30");
    await page.press("[data-testid=field-reflected_on]", "Tab");
    await settled(page);
    const dateError = page.locator('[data-testid=field-error][data-error-path="/reflected_on"]');
    await dateError.waitFor();
    assert.equal(await page.getAttribute("[data-testid=field-reflected_on]", "aria-invalid"), "true");
    const describedBy = await page.getAttribute("[data-testid=field-reflected_on]", "aria-describedby");
    assert.ok(describedBy.split(" ").includes(await dateError.getAttribute("id")), "the error describes the field");
    assert.ok(
      await dateError.evaluate((el) => el.previousElementSibling?.dataset.path === "/reflected_on" && el.closest(".field") !== null),
      "the error is right after the field, in its box",
    );

    await fillReflection(page, example);
    // Minutes out of the engine's range in a contact row: the error is at that row's field.
    await page.fill("[data-testid=contacts-2-minutes]", "900");
    await page.press("[data-testid=contacts-2-minutes]", "Tab");
    await settled(page);
    const minutesError = page.locator('[data-testid=field-error][data-error-path="/contacts/2/minutes"]');
    await minutesError.waitFor();
    assert.ok(await minutesError.evaluate((el) => el.previousElementSibling?.dataset.path === "/contacts/2/minutes"), "beside the row's minutes");
    assert.equal(await page.getAttribute("[data-testid=results]", "data-state"), "invalid");
    assert.deepEqual(await axeViolations(page), [], "axe-core: the form with errors");
    await page.fill("[data-testid=contacts-2-minutes]", String(example.contacts[2].minutes));
    await settled(page);
    await page.waitForSelector("[data-testid=results][data-state=scored]");
    assert.equal(await page.locator("[data-testid=field-error]").count(), 0, "no error left");

    // The record the app stored is the example, field for field.
    await page.waitForSelector("[data-testid=save-state][data-pending=false]");
    const stored = (await storedRecords(page)).filter((d) => d.record.format === TA);
    assert.equal(stored.length, 1);
    assert.deepEqual(stored[0].record, example, "the form builds the example record");

    // Scored: the levels shown equal the CLI's on the same record; the report JSON is its output.
    const { text, report } = cliReport(stored[0].record);
    assert.equal(report.record_format, TA);
    assert.deepEqual(observationRubricIds(report), ["relationship-based-ta"], "only the TA rubric rates a TA reflection");
    const cards = await page.$$eval("[data-testid^=practice-card-]", (cs) => cs.map((c) => c.dataset.testid));
    assert.deepEqual(cards, ["practice-card-relationship-based-ta"]);
    const result = report.practices[0].result;
    const shown = await page.$$eval("[data-testid=practice-relationship-based-ta] [data-testid=indicator-table] tbody tr", (rows) =>
      rows.map((r) => [r.dataset.testid.replace(/^indicator-/, ""), r.dataset.outcome, r.dataset.outcome === "rated" ? r.querySelector(".badge").textContent : null]),
    );
    assert.deepEqual(
      shown,
      result.indicators.map((i) => [i.id, i.outcome, i.outcome === "rated" ? `${i.level} ${i.label}` : null]),
      "each indicator's outcome and level as the CLI rates it",
    );
    assert.ok(result.indicators.some((i) => i.outcome === "rated"), "some indicator is rated");
    assert.equal(await page.textContent("[data-testid=practice-relationship-based-ta] [data-testid=practice-status] strong"), `${Number(result.score).toFixed(2)} / ${result.scale_max}`);
    assert.equal(await page.textContent("[data-testid=record-line]"), `Record ${example.id} · reflection of ${example.reflected_on}`);
    const [dl] = await Promise.all([page.waitForEvent("download"), page.click("[data-testid=download-report]")]);
    assert.equal(readFileSync(await dl.path(), "utf8"), text, "the report JSON is byte for byte rubrica score --format json");
    assert.equal(await page.locator("[data-testid=export-format]").count(), 0, "no results export (observations only)");
    assert.deepEqual(await axeViolations(page), [], "axe-core: the scored reflection");
    await page.screenshot({ path: artifact("reflection-desktop.png"), fullPage: true });
    await page.locator("#results").screenshot({ path: artifact("reflection-report-desktop.png") });

    // At 320 CSS px: no sideways scrolling, form or report.
    await page.setViewportSize({ width: 320, height: 800 });
    await noSidewaysScroll(page, "the reflection form");
    await page.screenshot({ path: artifact("reflection-320-form.png") });
    await page.evaluate(() => document.getElementById("results").scrollIntoView({ block: "start" }));
    await page.screenshot({ path: artifact("reflection-320-report.png") });
    await page.setViewportSize({ width: 1280, height: 900 });

    // After a reload the list shows it as a TA reflection, with its date and partner, and opens it
    // in the reflection form.
    await page.goto(page.url().replace(/#.*$/, "#/"));
    await page.reload();
    await page.waitForSelector("body[data-ready=true] [data-testid=draft-row]");
    const row = page.locator(`[data-testid=draft-row][data-kind="${TA}"]`);
    assert.equal(await row.count(), 1);
    assert.equal(await row.locator("[data-testid=open-draft]").textContent(), example.id);
    assert.equal(await row.evaluate((r) => r.closest("[data-testid=draft-section]").querySelector("h3").textContent), "TA reflections (1)", "listed under its kind");
    assert.ok((await row.textContent()).includes(example.reflected_on), "the reflection's date");
    assert.equal(await row.locator("[data-testid=draft-partner]").textContent(), "prog-12 (Program)");
    assert.deepEqual(await axeViolations(page), [], "axe-core: the list with a reflection");
    await page.setViewportSize({ width: 320, height: 800 });
    await noSidewaysScroll(page, "the list");
    await page.screenshot({ path: artifact("reflection-320-list.png"), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await row.locator("[data-testid=open-draft]").click();
    await page.waitForSelector("[data-testid=reflection-form]");
    await page.waitForSelector("[data-testid=results][data-state=scored]");
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), "H1", "the opened record's heading has the focus");
    assert.equal(await page.inputValue("[data-testid=field-id]"), example.id);
    assert.equal(await page.inputValue("[data-testid=partner-kind]"), "program");
    assert.equal(await page.locator("[data-list=contacts] > fieldset.row").count(), example.contacts.length);
  });
});

test("a family partnership reflection offers its kind's values and scores as rubrica score does", async () => {
  const example = readJson(path.join(REPO, "examples/family-partnership.json"));
  await withApp(suite, { axe: true }, async (page) => {
    await page.click("[data-example=family-partnership]");
    await page.waitForSelector("[data-testid=reflection-form]");
    await page.waitForSelector("[data-testid=results][data-state=scored]");
    const kinds = await page.evaluate(async () => (await import("./pkg/rubrica_web.js")).RubricaEngine.vocabulary().kinds);
    const kind = kinds.find((k) => k.format === FAMILY);
    const values = (p) => kind.record_choices.find((c) => c.path === p).values;
    assert.deepEqual(await page.$$eval("[data-testid=partner-kind] option", (os) => os.map((o) => o.value)), ["", ...values("/partner/kind")]);
    assert.deepEqual(await page.$$eval("[data-testid=contacts-0-mode] option", (os) => os.map((o) => o.value)), ["", ...values("/contacts/*/mode")]);
    assert.equal(await page.locator("[data-testid=items-family-partnerships]").count(), 1);
    assert.equal(await page.locator("[data-testid=items-relationship-based-ta]").count(), 0);
    const stored = (await storedRecords(page)).find((d) => d.record.format === FAMILY);
    assert.deepEqual(stored.record, example, "opened as it is");
    const { report } = cliReport(example);
    const result = report.practices[0].result;
    const levels = await page.$$eval("[data-testid=practice-family-partnerships] [data-testid=indicator-table] tbody tr", (rows) =>
      rows.map((r) => [r.dataset.testid.replace(/^indicator-/, ""), r.dataset.outcome, r.dataset.outcome === "rated" ? r.querySelector(".badge").textContent : null]),
    );
    assert.deepEqual(levels, result.indicators.map((i) => [i.id, i.outcome, i.outcome === "rated" ? `${i.level} ${i.label}` : null]));
    assert.deepEqual(await axeViolations(page), [], "axe-core: the family partnership reflection");

    // In Spanish: the form drawn again in place with the same record, the kind's own words, and
    // the engine's Spanish report (the CLI's `--lang es` levels).
    await page.click("[data-testid=lang-es]");
    await page.waitForFunction(() => document.querySelector("[data-testid=reflection-partner] legend")?.textContent === "Persona o equipo que acompaña");
    await page.waitForSelector("[data-testid=results][data-state=scored]");
    assert.equal(await page.inputValue("[data-testid=partner-id]"), example.partner.id);
    assert.equal(await page.$eval('[data-testid=contacts-0-initiated_by] option[value="partner"]', (o) => o.textContent), "La familia");
    const es = cliReport(example, ["--lang", "es"]).report.practices[0].result;
    const levelsEs = await page.$$eval("[data-testid=practice-family-partnerships] [data-testid=indicator-table] tbody tr", (rows) =>
      rows.map((r) => [r.dataset.outcome, r.dataset.outcome === "rated" ? r.querySelector(".badge").textContent : null]),
    );
    assert.deepEqual(levelsEs, es.indicators.map((i) => [i.outcome, i.outcome === "rated" ? `${i.level} ${i.label}` : null]), "the levels in Spanish, as rubrica score --lang es");
    assert.ok(es.indicators.some((i) => i.outcome === "rated" && i.label !== result.indicators.find((x) => x.id === i.id).label), "the Spanish labels differ from the English");
    assert.equal(await page.textContent("[data-testid=record-line]"), `Registro ${example.id} · reflexión del ${example.reflected_on}`);
    assert.deepEqual((await storedRecords(page)).find((d) => d.record.format === FAMILY).record, example, "the switch changes nothing in the record");
    assert.deepEqual(await axeViolations(page), [], "axe-core: the reflection in Spanish");
    await page.screenshot({ path: artifact("reflection-family-es.png") });
  });
});

test("the six-practice views do not change: observation rubrics, form, report, trends and reliability", async () => {
  const observation = readJson(path.join(REPO, "examples/center-infants.json"));
  const bundle = readJson(path.join(APP, "data/rubrics.json")).map((b) => ({ id: b.id, record: JSON.parse(b.meta).record ?? "rubrica.observation/1" }));
  const observationIds = bundle.filter((b) => b.record === "rubrica.observation/1").map((b) => b.id);
  const reflectionIds = bundle.filter((b) => b.record !== "rubrica.observation/1").map((b) => b.id);
  assert.equal(observationIds.length, 6, "the six practices");
  assert.ok(reflectionIds.includes("relationship-based-ta") && reflectionIds.includes("family-partnerships"), "the two reflection sets are bundled");
  await withApp(suite, { axe: true, acceptDownloads: true }, async (page) => {
    // The home lists the six practices as before, the reflection sets apart.
    assert.equal(await page.locator("[data-testid=rubric-list] [data-testid=rubric-title]").count(), 6);
    assert.equal(await page.locator("[data-testid=reflection-rubric-title]").count(), reflectionIds.length);
    // A reflection saved beside the observation.
    await page.click("[data-example=ta-reflection]");
    await page.waitForSelector("[data-testid=reflection-form]");
    await page.click("a.back");
    await page.waitForSelector("[data-testid=draft-row]");
    await page.click("[data-example=center-infants]");
    await page.waitForSelector("[data-testid=observation-form]");
    await page.waitForSelector("[data-testid=results][data-state=scored]");
    // The form's item sections and the report: the six practices, in the CLI's order.
    const sections = await page.$$eval("[data-testid=observation-form] [data-testid^=items-]", (ss) => ss.map((s) => s.dataset.testid.slice("items-".length)));
    const { report, text } = cliReport(observation);
    const cli = observationRubricIds(report);
    assert.deepEqual(cli, observationIds.slice().sort((a, b) => cli.indexOf(a) - cli.indexOf(b)), "the CLI scores an observation with the six");
    assert.equal(cli.length, 6);
    assert.deepEqual(sections, cli, "the observation form: one item section per practice");
    const cards = await page.$$eval("[data-testid^=practice-card-]", (cs) => cs.map((c) => c.dataset.testid.slice("practice-card-".length)));
    assert.deepEqual(cards, cli, "the report: the six practices");
    assert.equal(await page.textContent("[data-testid=record-line]"), `Record ${observation.id} · center · ${observation.observed_on} · ${observation.minutes} minutes`);
    const [dl] = await Promise.all([page.waitForEvent("download"), page.click("[data-testid=download-report]")]);
    assert.equal(readFileSync(await dl.path(), "utf8"), text, "the observation's report JSON is byte for byte rubrica score's");
    const nav = await page.$$eval(".section-nav a", (as) => as.map((a) => a.getAttribute("href")));
    assert.ok(!nav.some((h) => reflectionIds.some((id) => h === `#section-${id}`)), "no reflection section in the observation's list of sections");

    // Trends and reliability read observations only: the reflection is neither listed nor left out by name.
    await page.goto(page.url().replace(/#.*$/, "#/trends"));
    await page.waitForSelector("[data-testid=trends-view], main h1:not([data-testid=loading])");
    const trends = await page.textContent("main");
    assert.ok(!trends.includes("ta-2026-03-02-prog12"), "the trends view does not name the reflection");
    await page.goto(page.url().replace(/#.*$/, "#/agree"));
    await page.waitForSelector("main select");
    const options = await page.$$eval("main select option", (os) => os.map((o) => `${o.value} ${o.textContent}`));
    assert.ok(!options.some((o) => o.includes("ta-2026-03-02-prog12") || o.includes("ta-reflection") || o.includes("family-partnership")), "reliability offers no reflection");
    assert.deepEqual(await axeViolations(page), [], "axe-core: reliability");
  });
});

test("a backup keeps reflections, and importing it brings them back", async () => {
  const example = readJson(path.join(REPO, "examples/ta-reflection.json"));
  await withApp(suite, { acceptDownloads: true }, async (page) => {
    await page.click("[data-example=ta-reflection]");
    await page.waitForSelector("[data-testid=results][data-state=scored]");
    await page.click("a.back");
    await page.waitForSelector("[data-testid=draft-row]");
    const [dl] = await Promise.all([page.waitForEvent("download"), page.click("[data-testid=backup]")]);
    const backupFile = await dl.path();
    const backup = JSON.parse(readFileSync(backupFile, "utf8"));
    assert.deepEqual(backup.observations.map((o) => o.record), [example], "the backup holds the reflection");
    await page.click("[data-testid=delete-all]");
    await page.click("[data-testid=delete-all-yes]");
    await page.waitForSelector("[data-testid=draft-list-empty]");
    await page.setInputFiles("[data-testid=import-file]", backupFile);
    // One record from one file opens at once, in the form of its kind.
    await page.waitForSelector("[data-testid=reflection-form]");
    await page.waitForSelector("[data-testid=results][data-state=scored]");
    assert.deepEqual((await storedRecords(page)).map((d) => d.record), [example], "imported as it was");
  });
});

/** Saves `entries` (`[key, updated, record]`) into the app's database, as an imported backup would. */
async function seedRecords(page, entries) {
  await page.evaluate(async (entries) => {
    const store = await import("./store.js");
    for (const [id, updated, record] of entries) {
      const res = await store.mergeEntry({ id, updated, record });
      if (res.status !== "added") throw new Error(`${id}: ${res.status}`);
    }
  }, entries);
}

/** The home list as shown: per section its kind, heading and rows (the key, then the cells before "Last saved"). */
function homeSections(page) {
  return page.$$eval("[data-testid=draft-section]", (sections) =>
    sections.map((s) => ({
      kind: s.dataset.kind,
      heading: s.querySelector("h3").textContent,
      rows: [...s.querySelectorAll("[data-testid=draft-row]")].map((r) => [r.dataset.key, ...[...r.cells].slice(0, -2).map((c) => c.textContent)]),
    })),
  );
}

/** What the home should list for `entries` (`[key, updated, record]`), worked out from the records. */
function expectedSections(entries, kindOrder, words) {
  const SETTINGS = { center: "Center", "family-child-care": "Family child care" };
  const PARTNERS = { program: "Program", caregiver: "Caregiver", family: "Family" };
  const kindOf = (r) => (r.format === TA || r.format === FAMILY ? r.format : "observation");
  return kindOrder
    .map((kind) => {
      const mine = entries.filter(([, , r]) => kindOf(r) === kind).sort(([, a], [, b]) => (a < b ? 1 : -1)); // most recently saved first
      return {
        kind,
        heading: `${words[kind]} (${mine.length})`,
        rows: mine.map(([key, , r]) =>
          kind === "observation"
            ? [key, r.id, r.observed_on, SETTINGS[r.setting], String(r.children.length)]
            : [key, r.id, r.reflected_on, `${r.partner.id} (${PARTNERS[r.partner.kind]})`],
        ),
      };
    })
    .filter((s) => s.rows.length);
}

test("the home lists observations and each kind of reflection under its own heading, and Delete all names what goes by kind", async () => {
  const ta = readJson(path.join(REPO, "examples/ta-reflection.json"));
  const family = readJson(path.join(REPO, "examples/family-partnership.json"));
  const infants = readJson(path.join(REPO, "examples/center-infants.json"));
  const fcc = readJson(path.join(REPO, "examples/family-child-care.json"));
  const taCaregiver = { ...structuredClone(ta), id: "ta-2026-04-06-cga", reflected_on: "2026-04-06", partner: { id: "cg-a", kind: "caregiver" } };
  // Saved at different times, in an order that is neither the kinds' nor the dates'.
  const first = [["k-fam", "2026-05-01T10:00:00.000Z", family]];
  const more = [
    ["k-ta1", "2026-05-01T09:00:00.000Z", ta],
    ["k-obs1", "2026-05-01T11:00:00.000Z", infants],
    ["k-ta2", "2026-05-01T12:00:00.000Z", taCaregiver],
    ["k-obs2", "2026-05-01T08:00:00.000Z", fcc],
  ];
  const EN = { observation: "Observations", [TA]: "TA reflections", [FAMILY]: "Family partnership reflections" };
  const ES = { observation: "Observaciones", [TA]: "Reflexiones de asistencia técnica", [FAMILY]: "Reflexiones sobre la alianza con una familia" };
  const question = (page) => page.textContent("[data-testid=delete-all-confirm] h3");
  const toLang = async (page, tag, title) => {
    await page.click(`[data-testid=lang-${tag}]`);
    await page.waitForFunction((title) => document.querySelector("main h1")?.textContent === title && document.querySelector("[data-testid=draft-section]"), title);
  };
  await withApp(suite, { axe: true }, async (page) => {
    // The kinds in the engine's order: observations first, then each reflection kind.
    const kindOrder = ["observation", ...(await page.evaluate(async () => (await import("./pkg/rubrica_web.js")).RubricaEngine.vocabulary().kinds.map((k) => k.format)))];
    assert.deepEqual(kindOrder.slice(1).sort(), [FAMILY, TA].sort());

    // One family partnership reflection: its section only, and the question says "1 reflection".
    await seedRecords(page, first);
    await page.reload();
    await page.waitForSelector("body[data-ready=true] [data-testid=draft-section]");
    assert.deepEqual(await homeSections(page), expectedSections(first, kindOrder, EN));
    await page.click("[data-testid=delete-all]");
    assert.equal(await question(page), "Delete 1 reflection, and every shared goal, from this browser?");
    await toLang(page, "es", "Observaciones");
    assert.deepEqual((await homeSections(page)).map((s) => s.heading), ["Reflexiones sobre la alianza con una familia (1)"]);
    await page.click("[data-testid=delete-all]");
    assert.equal(await question(page), "¿Eliminar de este navegador 1 reflexión, además de todas las metas compartidas?");
    await toLang(page, "en", "Observations");

    // Two observations and three reflections: three sections, each most recently saved first.
    await seedRecords(page, more);
    await page.reload();
    await page.waitForSelector("body[data-ready=true] [data-testid=draft-section]");
    const all = [...first, ...more];
    const want = expectedSections(all, kindOrder, EN);
    assert.deepEqual(want.map((s) => s.kind), kindOrder, "every kind has records");
    assert.deepEqual(await homeSections(page), want);
    await page.click("[data-testid=delete-all]");
    assert.equal(await question(page), "Delete 2 observations and 3 reflections, and every shared goal, from this browser?");
    assert.deepEqual(await axeViolations(page), [], "axe-core: the list in sections, the question open");
    await page.screenshot({ path: artifact("reflection-home-sections.png"), fullPage: true });
    await page.setViewportSize({ width: 320, height: 800 });
    await noSidewaysScroll(page, "the list in sections");
    assert.deepEqual(await axeViolations(page), [], "axe-core: the list in sections at 320 px");
    await page.screenshot({ path: artifact("reflection-320-home-sections.png"), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    // In Spanish: the headings and the question, with their plurals.
    await toLang(page, "es", "Observaciones");
    assert.deepEqual((await homeSections(page)).map((s) => s.heading), expectedSections(all, kindOrder, ES).map((s) => s.heading));
    await page.click("[data-testid=delete-all]");
    assert.equal(await question(page), "¿Eliminar de este navegador 2 observaciones y 3 reflexiones, además de todas las metas compartidas?");
    await toLang(page, "en", "Observations");

    // Another tab saves an observation and deletes a reflection: the sections are drawn again in
    // place, the focus stays on the same row's button, and the open question follows the counts.
    await page.focus('[data-testid=draft-row][data-key="k-ta1"] [data-action=export]');
    const other = await page.context().newPage();
    await other.goto(page.url());
    await other.waitForSelector("body[data-ready=true]");
    const infants2 = { ...structuredClone(infants), id: "obs-2026-06-01-infants" };
    await other.evaluate(async (record) => {
      const store = await import("./store.js");
      await store.mergeEntry({ id: "k-obs3", updated: "2026-05-02T10:00:00.000Z", record });
    }, infants2);
    await page.waitForFunction(() => document.querySelector('[data-testid=draft-section][data-kind=observation] h3')?.textContent === "Observations (3)");
    assert.deepEqual(await homeSections(page), expectedSections([...all, ["k-obs3", "2026-05-02T10:00:00.000Z", infants2]], kindOrder, EN));
    assert.deepEqual(
      await page.evaluate(() => [document.activeElement?.closest("[data-testid=draft-row]")?.dataset.key, document.activeElement?.dataset.action]),
      ["k-ta1", "export"],
      "the focus stays on the same control",
    );
    await page.click("[data-testid=delete-all]");
    assert.equal(await question(page), "Delete 3 observations and 3 reflections, and every shared goal, from this browser?");
    await other.evaluate(async () => (await import("./store.js")).deleteDraft("k-ta2"));
    await page.waitForFunction(() => document.querySelector("[data-testid=delete-all-confirm] h3")?.textContent === "Delete 3 observations and 2 reflections, and every shared goal, from this browser?");
    assert.equal(await page.textContent(`[data-testid=draft-section][data-kind="${TA}"] h3`), "TA reflections (1)");
    await other.close();

    // Delete everything: what went is said by kind.
    await page.click("[data-testid=delete-all-yes]");
    await page.waitForSelector("[data-testid=draft-list-empty]");
    assert.equal(await page.textContent("#status-message"), "Deleted everything from this browser: 3 observations and 2 reflections, and every shared goal");
    assert.equal(await page.locator("[data-testid=draft-section]").count(), 0);
  });
});
