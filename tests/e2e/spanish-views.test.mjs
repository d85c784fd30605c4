// No English left in the coach's Spanish views, in headless Chromium. A profile in Spanish with
// the infant example as four visits of one caregiver and one room (the last without the
// culturally responsive care items, so that practice has no score there), a toddler room visit, a
// record with problems, the two reflection examples and a shared goal; then every coach view is
// visited: the observation list, the editor of the record with problems (its export refused), the
// results of a visit practice by practice (each export format), the coaching report, trends by
// caregiver (a visit left out) and by room, reliability (two visits of different days, and a
// center visit beside a family child care one), goals, people and a person's page, and each
// reflection's form and results. The visible text of each (with labels, titles and chart texts)
// must hold no English message:
//
// - the English of every message of `web/app/messages.js` that differs from its Spanish;
// - the English of every template of the engine's catalogue (`engine/src/diagnostic_text.rs`);
// - every text the built engine (the wasm module, run here in Node) writes in English where it
//   writes another in Spanish for the same input: the rubrics, the reports of these records, the
//   trends and agreements the views ask for.
//
// Each is cut at its `{placeholders}` into pieces; a piece is looked for as whole words, unless
// it is also Spanish (a piece found in a Spanish text, such as `xAPI` or `kappa`). What the coach
// wrote (every text of the records) is taken out of the page's text first: it stays as written.
// Ids, codes, dates and numbers are no English pieces.
//
// Run from this folder: `node --test spanish-views.test.mjs` (after `cargo xtask build-web`).

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { appInChromium, openApp } from "./suite.mjs";
import { APP, REPO, artifact, fourVisitRecords, readJson, removeDir, requireBuiltApp, tempDir } from "./helpers.mjs";

requireBuiltApp();
const suite = appInChromium(chromium);
const { MESSAGES } = await import(path.join(APP, "messages.js"));
const wasm = await import(path.join(APP, "pkg/rubrica_web.js"));
wasm.initSync({ module: readFileSync(path.join(APP, "pkg/rubrica_web_bg.wasm")) });

const ES = { lang: "es" };
const CAREGIVER = "cg-a";
const ROOM = "infant-room";

// ---------------------------------------------------------------------------------------------
// The records

/** The records the views are drawn from, with the names of those opened one by one. */
function theRecords() {
  const visits = fourVisitRecords().map((r) => ({ ...r, place: { kind: "room", id: ROOM } }));
  // The last visit without these items: the practice has no score, so no change is computed.
  delete visits[3].items["culturally-responsive-care"];
  const toddlers = readJson(path.join(REPO, "examples/center-toddlers-mixed.json"));
  const home = readJson(path.join(REPO, "examples/family-child-care.json"));
  const broken = structuredClone(visits[0]);
  broken.id = "obs-with-problems";
  broken.setting = "centre";
  broken.children[0].age_months = 40;
  broken.headcounts[0].at = "9h30";
  const reflections = ["ta-reflection", "family-partnership"].map((n) => readJson(path.join(REPO, `examples/${n}.json`)));
  return { visits, toddlers, home, broken, reflections, all: [...visits, toddlers, home, broken, ...reflections] };
}

// ---------------------------------------------------------------------------------------------
// The English to look for

/** `{placeholder}`s cut out: the literal pieces of a template or message. */
const pieces = (text, placeholder) =>
  text
    .split(placeholder)
    .map((p) => p.trim().replace(/^[\s.,;:()—–-]+|[\s.,;:()—–-]+$/g, ""))
    .filter((p) => (p.match(/\p{L}/gu) || []).length >= 4 && !/^`[^`]*`$/.test(p));

/** Every text of a message: its plural forms, or itself. */
const forms = (m) => (typeof m === "string" ? [m] : Object.values(m));

/** The catalogue's templates, read from its source: `[name, English, Spanish]`. */
function catalogue() {
  const src = readFileSync(path.join(REPO, "engine/src/diagnostic_text.rs"), "utf8");
  const body = src.slice(src.indexOf("templates! {"));
  const out = [];
  for (const m of body.matchAll(/^\s+([A-Z][A-Z0-9_]*):\s*("(?:[^"\\]|\\.)*")\s*=>\s*("(?:[^"\\]|\\.)*");/gm)) {
    out.push([m[1], JSON.parse(m[2]), JSON.parse(m[3])]);
  }
  return out;
}

/** The string leaves of `en` whose leaf at the same place in `es` is another text. */
function differing(en, es, out = []) {
  if (typeof en === "string") {
    if (typeof es === "string" && es !== en) out.push([en, es]);
  } else if (Array.isArray(en) && Array.isArray(es)) {
    en.forEach((x, i) => differing(x, es[i], out));
  } else if (en && es && typeof en === "object" && typeof es === "object") {
    for (const k of Object.keys(en)) differing(en[k], es[k], out);
  }
  return out;
}

/** Every string leaf of a JSON value. */
function strings(v, out = []) {
  if (typeof v === "string") out.push(v);
  else if (v && typeof v === "object") for (const x of Object.values(v)) strings(x, out);
  return out;
}

/**
 * The English pieces to look for, each with where it comes from, and the Spanish texts a piece
 * may also be part of. The engine's part: the same calls in English and in Spanish.
 */
function englishPieces(records) {
  const english = new Map(); // piece → source
  const spanish = [];
  const add = (text, source, placeholder) => {
    for (const p of pieces(text, placeholder)) if (!english.has(p)) english.set(p, source);
  };
  for (const [key, en] of Object.entries(MESSAGES.en)) {
    const es = MESSAGES.es[key];
    spanish.push(...forms(es));
    if (JSON.stringify(en) === JSON.stringify(es)) continue;
    for (const f of forms(en)) add(f, `messages.js ${key}`, /\{\w+\}/);
  }
  const templates = catalogue();
  assert.ok(templates.length > 150, `the catalogue is read (${templates.length} templates)`);
  for (const [name, en, es] of templates) {
    spanish.push(es);
    if (en !== es) add(en, `catalogue ${name}`, /\{[a-z_]+\}/);
  }

  const engine = new wasm.RubricaEngine();
  engine.loadBundle(readFileSync(path.join(APP, "data/rubrics.json"), "utf8"));
  const both = (name, call) => {
    const [en, es] = [call(undefined), call(ES)].map((x) => (typeof x === "string" ? JSON.parse(x) : x));
    for (const [e, s] of differing(en, es)) {
      add(e, `engine ${name}`, /(?!)/);
      spanish.push(s);
    }
  };
  both("rubrics", (o) => engine.rubrics(o));
  const observations = records.all.filter((r) => r.format === "rubrica.observation/1");
  for (const r of records.all) both(`report ${r.id}`, (o) => engine.evaluateAll(JSON.stringify(r), o));
  both("validate", (o) => engine.validateRecord(JSON.stringify(records.broken), o));
  const valid = observations.filter((r) => r !== records.broken);
  both("trend by caregiver", (o) => engine.trend(valid, { caregiver: CAREGIVER }, o));
  both("trend by room", (o) => engine.trend(records.visits, { pointer: "/place/id" }, o));
  both("agree", (o) => engine.agree(records.visits[0], records.visits[1], o));
  both("agree across settings", (o) => engine.agree(records.visits[0], records.home, o));
  engine.free();
  return { english, spanish };
}

// ---------------------------------------------------------------------------------------------
// The page

/** What a person reads or hears on the page: the visible text, labels, titles and chart texts. */
function readPage(page) {
  return page.evaluate(() => {
    const out = [document.title, document.body.innerText];
    for (const el of document.querySelectorAll("[aria-label], [title], [placeholder], [alt]")) {
      for (const a of ["aria-label", "title", "placeholder", "alt"]) if (el.hasAttribute(a)) out.push(el.getAttribute(a));
    }
    for (const el of document.querySelectorAll("svg title, svg desc, option, optgroup")) out.push(el.getAttribute("label") || "", el.textContent);
    return out.join("\n");
  });
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The English pieces in `text`, as `piece (source)`. */
function englishIn(text, english) {
  const found = [];
  for (const [piece, source] of english) {
    if (!text.includes(piece)) continue;
    const at = new RegExp(`(?<![\\p{L}\\p{N}_/-])${escape(piece)}(?![\\p{L}\\p{N}_/-])`, "u").exec(text);
    if (at) found.push(`“${piece}” (${source}) in “…${text.slice(Math.max(0, at.index - 60), at.index + piece.length + 60).replace(/\s+/g, " ")}…”`);
  }
  return found;
}

test("every coach view in Spanish shows no English message of the app or the engine", async () => {
  const records = theRecords();
  const { english: all, spanish } = englishPieces(records);
  // A piece that is also Spanish (a shared word, a name, a code) is no sign of English.
  const spanishText = spanish.join("\n");
  const english = new Map([...all].filter(([p]) => !spanishText.includes(p)));
  assert.ok(english.size > 1000, `English pieces to look for: ${english.size}`);
  // What the coach wrote stays as written: every text of the records, longest first.
  const written = [...new Set(records.all.flatMap((r) => strings(r)))].filter((s) => s.length > 2).sort((a, b) => b.length - a.length);
  // Ids and record paths are no English: `/items/small-groups/own-space`, `cg-a`, `not-observed`.
  const withoutRecords = (text) =>
    written
      .reduce((t, s) => t.split(s).join(" "), text.replace(/(?<!\S)\/\S*/g, " "))
      .replace(/[\p{L}\p{N}]+(?:[-_][\p{L}\p{N}]+)+/gu, " ");

  const dir = tempDir("rubrica-spanish-views-");
  const { context, page, errors, network } = await openApp(suite, { locale: "es-MX" });
  const seen = [];
  const check = async (view) => {
    const text = withoutRecords(await readPage(page));
    seen.push(view);
    const found = englishIn(text, english);
    if (found.length) await page.screenshot({ path: artifact(`spanish-views-${seen.length}.png`), fullPage: true });
    assert.deepEqual(found, [], `${view}: English in the Spanish view`);
  };
  const go = async (hash, ready) => {
    await page.evaluate((h) => (location.hash = h), hash);
    try {
      await page.waitForSelector(ready, { timeout: 30_000 });
    } catch (e) {
      await page.screenshot({ path: artifact("spanish-views-stuck.png"), fullPage: true });
      throw new Error(`${hash}: no ${ready} (the page says “${(await page.innerText("main")).slice(0, 300)}”)`, { cause: e });
    }
  };
  const openDetails = () => page.evaluate(() => document.querySelectorAll("details").forEach((d) => (d.open = true)));
  try {
    assert.equal(await page.getAttribute("html", "lang"), "es", "a Spanish browser starts in Spanish");
    const files = records.all.map((r, i) => {
      const file = path.join(dir, `${String(i).padStart(2, "0")}-${r.id}.json`);
      writeFileSync(file, `${JSON.stringify(r, null, 2)}\n`);
      return file;
    });
    await page.setInputFiles("[data-testid=import-file]", files);
    await page.waitForFunction((n) => document.querySelectorAll("[data-testid=draft-row]").length === n, records.all.length, { timeout: 30_000 });
    const keys = Object.fromEntries(await page.evaluate(async () => (await (await import("./store.js")).listRecords()).map((d) => [d.record.id, d.key])));
    await page.evaluate(async (goal) => (await import("./store.js")).saveGoal(goal), {
      id: "g-spanish",
      caregiver: CAREGIVER,
      rubric: "small-groups",
      indicators: ["calm-atmosphere", "own-space"],
      title: "Grupos tranquilos",
      steps: [{ text: "Preparar el rincón de la alfombra", done: true }],
      agreed_on: records.visits[1].observed_on,
      status: "active",
    });
    await check("the observation list");

    // The record with problems: beside its fields and in the list, and its export refused.
    await go(`#/obs/${encodeURIComponent(keys["obs-with-problems"])}`, "[data-testid=results][data-state=invalid]");
    await page.waitForSelector("[data-testid=problem]");
    await check("the editor of a record with problems");
    if (await page.locator("[data-testid=export-results]").count()) {
      await page.click("[data-testid=export-results]");
      await page.waitForFunction(() => document.querySelector("#status-message")?.textContent);
      await check("an export refused");
    }

    // A visit's results, practice by practice, and each export.
    const last = records.visits[3];
    await go(`#/obs/${encodeURIComponent(keys[last.id])}`, "[data-testid=results][data-state=scored][data-pending=false]");
    for (const card of await page.locator("[data-testid^=practice-card-]").all()) {
      await card.click();
      await openDetails();
      await check(`the results of ${last.id}: ${await card.getAttribute("data-testid")}`);
    }
    for (const format of await page.$$eval("[data-testid=export-format] option", (os) => os.map((o) => o.value))) {
      await page.selectOption("[data-testid=export-format]", format);
      const download = page.waitForEvent("download");
      await page.click("[data-testid=export-results]");
      await download;
      await check(`an export as ${format}`);
    }

    await go("#/report", "[data-testid=coaching-report][data-state=shown]");
    await page.selectOption("[data-testid=report-who]", CAREGIVER);
    await page.waitForSelector(`[data-testid=coaching-report][data-state=shown][data-caregiver=${CAREGIVER}]`);
    await openDetails();
    await check("the coaching report");

    await go("#/trends", "[data-testid=trends][data-state=shown]");
    await page.selectOption("[data-testid=trend-who]", CAREGIVER);
    await page.waitForSelector(`[data-testid=trends][data-caregiver=${CAREGIVER}]`);
    await page.waitForSelector("[data-testid=trend-left-out]");
    await openDetails();
    await check("trends by caregiver");
    await page.locator("[data-testid=trend-who]").selectOption({ value: await page.getAttribute(`[data-testid=trend-who] option[data-place-id=${ROOM}]`, "value") });
    await page.waitForSelector(`[data-testid=trends][data-place="room/${ROOM}"]`);
    await openDetails();
    await check("trends by room");

    for (const [a, b, what] of [
      [records.visits[0], records.visits[1], "two visits of different days"],
      [records.visits[0], records.home, "a center and a family child care home"],
    ]) {
      await go("#/agree", "[data-testid=agree-form]");
      await page.selectOption("[data-testid=agree-pick-a]", `draft:${keys[a.id]}`);
      await page.selectOption("[data-testid=agree-pick-b]", `draft:${keys[b.id]}`);
      await page.click("[data-testid=agree-compare]");
      await page.waitForSelector("[data-testid=agreement][data-state=compared]");
      await page.waitForSelector("[data-testid=agree-warnings]");
      await check(`reliability: ${what}`);
      await go("#/", "[data-testid=draft-row]");
    }

    await go(`#/goals/${CAREGIVER}`, "[data-testid=goals-view] [data-testid=goal]");
    await openDetails();
    await check("goals");

    await go("#/people", "[data-testid=people-view] [data-testid=person-row]");
    await check("people and places");
    await go(`#/people/caregiver/${CAREGIVER}`, "[data-testid=person-observations]");
    await check("a caregiver's page");

    for (const r of records.reflections) {
      await go("#/", "[data-testid=draft-row]");
      await go(`#/obs/${encodeURIComponent(keys[r.id])}`, "[data-testid=reflection-form]");
      await page.waitForSelector("[data-testid=results][data-state=scored]", { timeout: 30_000 });
      await openDetails();
      await check(`the form and results of ${r.id}`);
    }

    assert.deepEqual(errors, [], "no script errors");
    assert.deepEqual(network.outside, [], "no request left 127.0.0.1");
  } finally {
    await context.close();
    removeDir(dir);
  }
  assert.ok(seen.length >= 14, `views checked: ${seen.join("; ")}`);
});
