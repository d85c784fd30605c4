// People and places in headless Chromium: observations of three caregivers in two rooms and one
// family child care home are put into the app's database; the list (`#/people`) shows each
// caregiver, room and home with as many observations, and the latest date, as the stored records
// hold; a caregiver's and a room's pages list their observations oldest first with the engine's
// verdict; deleting one caregiver's data, after a confirmation naming each observation (and the
// other caregivers an observation also records) and each goal, removes exactly those from
// IndexedDB and keeps the rest. The form's "Room or home" takes its kinds from the engine's
// vocabulary, saves `place` into the record and shows the engine's error at the field. axe-core
// finds no WCAG 2.1 A/AA violation, also at 320 CSS px (no sideways scrolling). Another tab's saves
// and deletes redraw the list in place, the focus kept where it was. Reflections: the list shows
// each partner and author with who they are, counts and latest dates as the stored reflections
// hold; a partner's and an author's pages list their reflections oldest first with the engine's
// verdict; deleting a caregiver's data deletes the reflections about them or written by them as a
// caregiver, and keeps one naming the same id as a director.
//
// Run from this folder: `node --test people.test.mjs` (after `cargo xtask build-web`).

import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { chromium } from "playwright-core";
import { appInChromium, withApp } from "./suite.mjs";
import { REPO, artifact, readJson, axeViolations } from "./helpers.mjs";

const suite = appInChromium(chromium);

/**
 * The infant example as visit `id` on `date` with the caregivers `cgs` (the children's primary
 * caregivers moved to the first of them) and `place`; `broken` makes it invalid (0 minutes).
 */
function visit(example, id, date, cgs, place, broken = false) {
  const r = structuredClone(example);
  r.id = id;
  r.observed_on = date;
  r.caregivers = cgs.map((c, i) => ({ ...example.caregivers[i % example.caregivers.length], id: c }));
  for (const c of r.children) if (c.primary_caregiver) c.primary_caregiver = cgs[0];
  if (place) r.place = place;
  if (broken) r.minutes = 0;
  return r;
}

function records() {
  const ex = readJson(path.join(REPO, "examples/center-infants.json"));
  const fcc = readJson(path.join(REPO, "examples/family-child-care.json"));
  const rm2 = { kind: "room", id: "rm-2" };
  return {
    "k-1": visit(ex, "obs-rm2-jan", "2026-01-12", ["cg-a", "cg-b"], rm2),
    "k-2": visit(ex, "obs-rm2-mar", "2026-03-09", ["cg-a"], rm2),
    "k-3": visit(ex, "obs-rm3-feb", "2026-02-16", ["cg-b", "cg-c"], { kind: "room", id: "rm-3" }, true),
    "k-4": visit(fcc, "obs-home7-apr", "2026-04-20", ["cg-c"], { kind: "home", id: "home-7" }),
    "k-5": visit(ex, "obs-noplace-may", "2026-05-04", ["cg-a"], null),
  };
}

/**
 * Reflections beside the observations: two on program prog-12 (one of them invalid: minutes out of
 * range), one on the relationship with caregiver cg-a, one naming cg-a as a director, a family
 * partnership reflection written by caregiver cg-b, and the family example.
 */
function reflectionRecords() {
  const ta = readJson(path.join(REPO, "examples/ta-reflection.json"));
  const fam = readJson(path.join(REPO, "examples/family-partnership.json"));
  const copy = (base, id, date, author, partner) => ({ ...structuredClone(base), id, reflected_on: date, author, partner });
  const broken = copy(ta, "ta-2025-12-01-prog12", "2025-12-01", { id: "ta-09", role: "coach" }, { id: "prog-12", kind: "program" });
  broken.contacts[0].minutes = 900;
  return {
    "r-1": ta,
    "r-2": broken,
    "r-3": copy(ta, "ta-2026-04-06-cga", "2026-04-06", { id: "ta-07", role: "ta-provider" }, { id: "cg-a", kind: "caregiver" }),
    "r-4": copy(ta, "ta-2026-04-20-cga-director", "2026-04-20", { id: "ta-07", role: "ta-provider" }, { id: "cg-a", kind: "director" }),
    "r-5": copy(fam, "fp-2026-02-10-cgb", "2026-02-10", { id: "cg-b", role: "caregiver" }, { id: "fam-21", kind: "family" }),
    "r-6": fam,
  };
}

// The words the app shows for the partner kinds and author roles of the fixture.
const WHO = { program: "Program", caregiver: "Caregiver", director: "Director", family: "Family", coach: "Coach", "ta-provider": "TA provider", "home-visitor": "Home visitor" };

/** The partners (`party` "partner") or authors ("author") the stored reflections name, counted here from the records. */
function expectedParties(stored, party) {
  const out = new Map();
  for (const r of Object.values(stored)) {
    const p = r[party];
    const e = out.get(p.id) ?? { count: 0, latest: "", who: new Set() };
    e.count += 1;
    if (r.reflected_on > e.latest) e.latest = r.reflected_on;
    e.who.add(WHO[party === "author" ? p.role : p.kind]);
    out.set(p.id, e);
  }
  return [...out]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([id, e]) => ({ id, who: [...e.who].sort().join(", "), count: e.count, latest: e.latest, href: `#/people/${party}/${encodeURIComponent(id)}` }));
}

/** Whether a reflection is about caregiver `id` or written by them as a caregiver (what goes with their data). */
const aboutOrBy = (r, id) => (r.partner.id === id && r.partner.kind === "caregiver") || (r.author.id === id && r.author.role === "caregiver");

/** Every stored record, reflections too: `{key: record}`. */
function allInDatabase(page) {
  return page.evaluate(async () => Object.fromEntries((await (await import("./store.js")).listRecords()).map((d) => [d.key, d.record])));
}

/** Opens `#/people/<kind>/<id>` and waits for that page. */
async function openPage(page, kind, id) {
  await page.evaluate((h) => (location.hash = h), `#/people/${kind}/${encodeURIComponent(id)}`);
  await page.waitForSelector(`[data-testid=people-view][data-state=one][data-kind="${kind}"][data-id="${id}"]`, { timeout: 20_000 });
}

/** The reflection rows of a page: key, verdict, date, kind, the other columns and the link. */
function reflectionRows(page) {
  return page.$$eval("[data-testid=reflection-row]", (rs) =>
    rs.map((r) => ({
      key: r.dataset.key,
      valid: r.dataset.valid,
      cells: [...r.cells].slice(1, -1).map((c) => c.textContent),
      href: r.querySelector("a").getAttribute("href"),
    })),
  );
}

const GOALS = [
  { id: "goal-a1", caregiver: "cg-a", rubric: "small-groups", indicators: ["calm-atmosphere"], title: "A calmer lunch", steps: [{ text: "radio off", done: false }], agreed_on: "2026-03-09", status: "active" },
  { id: "goal-a2", caregiver: "cg-a", rubric: "primary-caregiving", indicators: ["family-contact"], title: "Daily notes home", steps: [], agreed_on: "2026-01-12", status: "met" },
  { id: "goal-b1", caregiver: "cg-b", rubric: "small-groups", indicators: ["own-space"], title: "Own nap area", steps: [], agreed_on: "2026-02-16", status: "active" },
];

/** What the stored records name, counted here from the records themselves. */
function expectedPeople(stored) {
  const out = { caregiver: new Map(), room: new Map(), home: new Map() };
  const add = (kind, id, date) => {
    const e = out[kind].get(id) ?? { count: 0, latest: "" };
    e.count += 1;
    if (date > e.latest) e.latest = date;
    out[kind].set(id, e);
  };
  for (const r of Object.values(stored)) {
    for (const id of new Set(r.caregivers.map((c) => c.id))) add("caregiver", id, r.observed_on);
    if (r.place) add(r.place.kind, r.place.id, r.observed_on);
  }
  return out;
}

/** A fresh app at `width` (axe-core may be injected). */
const withPage = (width, body) => withApp(suite, { width, axe: true }, body);

/** Puts the records and goals into the app's database, as saves from the app would. */
async function seed(page, stored, reflections = {}) {
  await page.evaluate(
    async ([stored, goals]) => {
      const store = await import("./store.js");
      for (const [key, record] of Object.entries(stored)) {
        const r = await store.saveDraft(key, record);
        if (!r.ok) throw new Error(`save ${key}: ${r.error}`);
      }
      for (const g of goals) {
        const r = await store.saveGoal(g);
        if (!r.ok) throw new Error(`goal ${g.id}: ${r.error}`);
      }
    },
    [{ ...stored, ...reflections }, GOALS],
  );
}

/** The observations and goals in IndexedDB now: `{keys, goals}`, sorted. */
async function inDatabase(page) {
  return page.evaluate(async () => {
    const store = await import("./store.js");
    return {
      keys: (await store.listDrafts()).map((d) => d.key).sort(),
      goals: (await store.listGoals()).map((g) => g.id).sort(),
      records: Object.fromEntries((await store.listDrafts()).map((d) => [d.key, d.record])),
    };
  });
}

async function go(page, hash) {
  await page.evaluate((h) => (location.hash = h), hash);
  await page.waitForFunction((h) => location.hash === h && document.querySelector("[data-testid=people-view]"), hash, { timeout: 20_000 });
}

async function rowsOf(page, kind) {
  return page.$$eval(`[data-testid=people-${kind}] [data-testid=person-row]`, (rows) =>
    rows.map((r) => ({
      id: r.dataset.id,
      ...(r.querySelector("[data-testid=person-who]") ? { who: r.querySelector("[data-testid=person-who]").textContent } : {}),
      count: Number(r.querySelector("[data-testid=person-count]").textContent),
      latest: r.querySelector("[data-testid=person-latest]").textContent,
      href: r.querySelector("a").getAttribute("href"),
    })),
  );
}

test("the list shows every caregiver, room and home with the stored records' counts and latest dates", () =>
  withPage(1280, async (page) => {
    const stored = records();
    await seed(page, stored);
    const db = await inDatabase(page);
    assert.deepEqual(db.keys, Object.keys(stored).sort());
    const want = expectedPeople(db.records);
    assert.deepEqual([...want.caregiver.keys()].sort(), ["cg-a", "cg-b", "cg-c"], "the fixture names three caregivers");

    await page.click("[data-testid=nav-people]");
    await page.waitForSelector("[data-testid=people-view][data-state=list]", { timeout: 20_000 });
    assert.equal(await page.evaluate(() => document.activeElement?.localName), "h1", "the heading takes the focus");
    assert.equal(await page.title(), "People and places · Rubrica");
    for (const kind of ["caregiver", "room", "home"]) {
      const rows = await rowsOf(page, kind);
      const expected = [...want[kind]].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, e]) => ({
        id,
        count: e.count,
        latest: e.latest,
        href: `#/people/${kind}/${encodeURIComponent(id)}`,
      }));
      assert.deepEqual(rows, expected, kind);
    }
    // The record without a place is counted for its caregiver only.
    assert.equal((await rowsOf(page, "room")).reduce((n, r) => n + r.count, 0), 3);
    assert.deepEqual(await axeViolations(page), [], "axe: the list");
    await page.screenshot({ path: artifact("people-list.png"), fullPage: true });
  }));

test("a caregiver's and a room's pages list their observations oldest first, with the engine's verdict", () =>
  withPage(1280, async (page) => {
    const stored = records();
    await seed(page, stored);
    await go(page, "#/people");
    await page.click('[data-testid=people-caregiver] a[href="#/people/caregiver/cg-b"]');
    await page.waitForSelector('[data-testid=people-view][data-state=one][data-id="cg-b"]', { timeout: 20_000 });
    assert.equal(await page.textContent("h1"), "Caregiver cg-b");
    const rows = () =>
      page.$$eval("[data-testid=observation-row]", (rs) =>
        rs.map((r) => ({ key: r.dataset.key, valid: r.dataset.valid, date: r.cells[1].textContent, href: r.querySelector("a").getAttribute("href") })),
      );
    // cg-b: January in rm-2 (valid), February in rm-3 (0 minutes: invalid).
    assert.deepEqual(await rows(), [
      { key: "k-1", valid: "true", date: "2026-01-12", href: "#/obs/k-1" },
      { key: "k-3", valid: "false", date: "2026-02-16", href: "#/obs/k-3" },
    ]);
    // The verdict is the engine's: the same records checked by the engine in the page.
    const verdicts = await page.evaluate(async (stored) => {
      const mod = await import("./pkg/rubrica_web.js");
      await mod.default();
      const engine = new mod.RubricaEngine();
      return Object.fromEntries(Object.entries(stored).map(([k, r]) => [k, engine.validateRecord(JSON.stringify(r)).type === "success"]));
    }, stored);
    assert.deepEqual(verdicts, { "k-1": true, "k-2": true, "k-3": false, "k-4": true, "k-5": true });
    assert.equal(await page.getAttribute("[data-testid=link-goals]", "href"), "#/goals/cg-b");
    assert.equal(await page.getAttribute("[data-testid=link-trends]", "href"), "#/trends");
    assert.equal(await page.getAttribute("[data-testid=link-report]", "href"), "#/report");
    assert.deepEqual(await axeViolations(page), [], "axe: a caregiver's page");

    // A room: its observations only, oldest first, whatever the caregivers.
    await go(page, "#/people/room/rm-2");
    assert.equal(await page.textContent("h1"), "Room rm-2");
    assert.deepEqual((await rows()).map((r) => [r.key, r.date]), [["k-1", "2026-01-12"], ["k-2", "2026-03-09"]]);
    assert.equal(await page.locator("[data-testid=delete-caregiver]").count(), 0, "a room has no caregiver delete");
    await go(page, "#/people/home/home-7");
    assert.deepEqual((await rows()).map((r) => r.key), ["k-4"]);
    assert.deepEqual(await axeViolations(page), [], "axe: a home's page");

    // Opening an observation from the page opens that observation.
    await page.click('[data-testid=observation-link][href="#/obs/k-4"]');
    await page.waitForFunction(() => document.querySelector("[data-testid=field-id]")?.value === "obs-home7-apr", null, { timeout: 20_000 });
    assert.equal(await page.inputValue("[data-testid=place-id]"), "home-7");
    assert.equal(await page.inputValue("[data-testid=place-kind]"), "home");

    // An address that names no kind of person or place says so.
    await go(page, "#/people/child/c1");
    assert.equal(await page.textContent("h1"), "Not a person or place");
  }));

test("deleting one caregiver's data removes exactly their observations and goals, after saying what goes", () =>
  withPage(1280, async (page) => {
    const stored = records();
    await seed(page, stored);
    const before = await inDatabase(page);
    // What must go: every observation that lists cg-a (whole), and cg-a's goals.
    const listsA = Object.keys(stored).filter((k) => stored[k].caregivers.some((c) => c.id === "cg-a")).sort();
    assert.deepEqual(listsA, ["k-1", "k-2", "k-5"]);

    await go(page, "#/people/caregiver/cg-a");
    const open = page.locator("[data-testid=delete-caregiver]");
    assert.equal(await open.getAttribute("aria-expanded"), "false");
    assert.equal(await page.locator("[data-testid=delete-confirm]").isVisible(), false);
    await open.click();
    const panel = page.locator("[data-testid=delete-confirm]");
    await panel.waitFor({ state: "visible" });
    assert.equal(await open.getAttribute("aria-expanded"), "true");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "delete-confirm-h", "focus moves to the question");
    assert.equal(await page.textContent("#delete-confirm-h"), "Delete 3 observations and 2 shared goals of caregiver cg-a?");
    const listed = await panel.locator("[data-testid=delete-list] li").evaluateAll((ls) => ls.map((l) => l.textContent));
    assert.deepEqual(listed, [
      "obs-rm2-jan (2026-01-12) — also records cg-b; the whole observation is deleted",
      "obs-rm2-mar (2026-03-09)",
      "obs-noplace-may (2026-05-04)",
      "Shared goal: A calmer lunch",
      "Shared goal: Daily notes home",
    ]);
    assert.match(await panel.locator("[data-testid=delete-shared]").textContent(), /^1 of these observations also records other caregivers/);
    assert.deepEqual(await axeViolations(page), [], "axe: the confirmation");

    // Cancel deletes nothing and gives the focus back.
    await page.click("[data-testid=delete-caregiver-cancel]");
    assert.equal(await panel.isVisible(), false);
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), "delete-caregiver");
    assert.deepEqual(await inDatabase(page), before, "cancel changed nothing");

    // Confirm.
    await open.click();
    await page.click("[data-testid=delete-caregiver-confirm]");
    await page.waitForFunction(() => document.querySelector("[data-testid=people-status]")?.textContent !== "", null, { timeout: 10_000 });
    assert.equal(await page.textContent("[data-testid=people-status]"), "Deleted caregiver cg-a's data: 3 observations and 2 shared goals.");
    assert.equal(await page.getAttribute("[data-testid=people-status]", "role"), "status");
    assert.equal(await page.evaluate(() => document.activeElement?.localName), "h1", "focus on the page's heading");
    assert.equal(await page.locator("[data-testid=observation-row]").count(), 0);
    assert.equal(await page.locator("[data-testid=delete-caregiver]").count(), 0, "nothing left to delete");

    // In IndexedDB: exactly cg-a's observations and goals are gone; the others are untouched.
    const after = await inDatabase(page);
    assert.deepEqual(after.keys, before.keys.filter((k) => !listsA.includes(k)));
    assert.deepEqual(after.goals, ["goal-b1"]);
    for (const k of after.keys) assert.deepEqual(after.records[k], before.records[k], `${k} kept as it was`);

    // The list agrees: cg-a is gone, cg-b keeps only the February visit, rm-2 has none left.
    await go(page, "#/people");
    assert.deepEqual((await rowsOf(page, "caregiver")).map((r) => [r.id, r.count]), [["cg-b", 1], ["cg-c", 2]]);
    assert.deepEqual((await rowsOf(page, "room")).map((r) => [r.id, r.count]), [["rm-3", 1]]);
  }));

test("the form's Room or home offers the engine's kinds, saves the place and shows its error at the field", () =>
  withPage(1280, async (page) => {
    await page.click("[data-testid=open-example]");
    await page.waitForSelector("[data-testid=results][data-state=scored]", { timeout: 20_000 });
    const kinds = await page.$$eval("[data-testid=place-kind] option", (os) => os.map((o) => o.value));
    const fromEngine = await page.evaluate(async () => {
      const mod = await import("./pkg/rubrica_web.js");
      await mod.default();
      const v = mod.RubricaEngine.vocabulary();
      return (typeof v === "string" ? JSON.parse(v) : v).record_choices.find((c) => c.path === "/place/kind").values;
    });
    assert.deepEqual(kinds, ["", ...fromEngine]);
    assert.deepEqual(fromEngine, ["room", "home"]);
    // Each control has its own name.
    const names = await page.evaluate(() =>
      ["place-kind", "place-id"].map((t) => {
        const el = document.querySelector(`[data-testid=${t}]`);
        return document.querySelector(`label[for="${el.id}"]`).textContent;
      }),
    );
    assert.deepEqual(names, ["Kind — room or home", "Id — room or home"]);

    // A kind without an id: the engine's error at the id once the field is left.
    await page.selectOption("[data-testid=place-kind]", "room");
    await page.focus("[data-testid=place-id]");
    await page.keyboard.press("Tab");
    const err = page.locator('[data-testid=field-error][data-error-path="/place/id"]');
    await err.waitFor({ timeout: 10_000 });
    assert.match(await err.textContent(), /R0102/);
    assert.equal(await page.getAttribute("[data-testid=place-id]", "aria-invalid"), "true");

    // With an id the record is valid again and the place is saved in it.
    await page.fill("[data-testid=place-id]", "rm-9");
    await page.keyboard.press("Tab");
    await err.waitFor({ state: "detached", timeout: 10_000 });
    await page.waitForFunction(
      async () => {
        const store = await import("./store.js");
        return (await store.listDrafts()).some((d) => d.record.place && d.record.place.id === "rm-9");
      },
      null,
      { timeout: 10_000, polling: 200 },
    );
    const saved = await page.evaluate(async () => (await (await import("./store.js")).listDrafts()).find((d) => d.record.place).record.place);
    assert.deepEqual(saved, { kind: "room", id: "rm-9" });
    assert.deepEqual(await axeViolations(page), [], "axe: the form with the place group");
    await page.locator("[data-testid=place]").screenshot({ path: artifact("people-form-place.png") });

    // Emptied again: the record names no place.
    await page.selectOption("[data-testid=place-kind]", "");
    await page.fill("[data-testid=place-id]", "");
    await page.keyboard.press("Tab");
    await page.waitForFunction(
      async () => !(await (await import("./store.js")).listDrafts()).some((d) => "place" in d.record),
      null,
      { timeout: 10_000, polling: 200 },
    );
  }));

test("at 320 CSS px the list, a caregiver's, a partner's and an author's pages reflow without sideways scrolling and stay axe-clean", () =>
  withPage(320, async (page) => {
    await seed(page, records(), reflectionRecords());
    for (const hash of ["#/people", "#/people/caregiver/cg-a", "#/people/partner/prog-12", "#/people/author/ta-07"]) {
      await go(page, hash);
      await page.waitForFunction((h) => document.querySelector("[data-testid=people-view]")?.dataset.id === (h === "#/people" ? undefined : h.split("/").at(-1)), hash);
      if (hash.startsWith("#/people/caregiver/")) {
        await page.click("[data-testid=delete-caregiver]");
        await page.locator("[data-testid=delete-confirm]").waitFor({ state: "visible" });
      }
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${hash}: ${overflow} px of sideways scrolling at 320 px`);
      assert.deepEqual(await axeViolations(page), [], `axe at 320 px: ${hash}`);
      await page.screenshot({ path: artifact(`people-320-${hash.replaceAll("/", "-").replace("#", "")}.png`), fullPage: true });
    }
  }));

test("another tab's saves and deletes redraw the list in place, the focus kept on the same link", () =>
  withPage(1280, async (page) => {
    const stored = records();
    await seed(page, stored);
    await go(page, "#/people");
    await page.focus("[data-testid=person-row][data-kind=caregiver][data-id=cg-b] [data-testid=person-link]");

    // A second tab of the app adds an observation of a new caregiver and deletes the home's.
    const other = await page.context().newPage();
    await other.goto(`${suite.server.url}#/`);
    await other.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
    const ex = readJson(path.join(REPO, "examples/center-infants.json"));
    const added = visit(ex, "obs-cgd-jun", "2026-06-01", ["cg-d"], { kind: "room", id: "rm-2" });
    await other.evaluate(async (record) => {
      const store = await import("./store.js");
      const saved = await store.saveDraft("k-6", record);
      if (!saved.ok) throw new Error(saved.error);
      await store.deleteDraft("k-4");
    }, added);

    // This tab shows what the database now holds, without a reload.
    const now = { ...stored, "k-6": added };
    delete now["k-4"];
    const want = expectedPeople(now);
    await page.waitForSelector("[data-testid=person-row][data-kind=caregiver][data-id=cg-d]", { timeout: 10_000 });
    await page.waitForSelector("[data-testid=people-home-empty]", { timeout: 10_000 });
    for (const kind of ["caregiver", "room"]) {
      const rows = await rowsOf(page, kind);
      assert.deepEqual(
        rows.map((r) => [r.id, r.count, r.latest]),
        [...want[kind]].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, e]) => [id, e.count, e.latest]),
        `${kind}s after the other tab's changes`,
      );
    }
    // The focus is back on the link it was on; the quiet line is not a live region.
    const focused = await page.evaluate(() => [document.activeElement?.dataset.testid, document.activeElement?.closest("[data-id]")?.dataset.id]);
    assert.deepEqual(focused, ["person-link", "cg-b"]);
    const note = page.locator("[data-testid=people-refreshed]");
    assert.match(await note.textContent(), /^Updated from another tab at /);
    assert.equal(await note.evaluate((n) => n.closest("[aria-live], [role=status], [role=alert]")), null);
    assert.deepEqual(await axeViolations(page), [], "violations after the redraw");
    await other.close();
  }));

test("an address typed with a broken % escape opens as written, without a script error", () =>
  withPage(1280, async (page) => {
    await page.evaluate(() => (location.hash = "#/people/room/%E0"));
    await page.waitForSelector("[data-testid=people-view]", { timeout: 20_000 });
    assert.match(await page.textContent("main h1"), /%E0/);
    await page.evaluate(() => (location.hash = "#/goals/%E0%A4"));
    await page.waitForSelector("[data-testid=goals-view]", { timeout: 20_000 });
    await page.evaluate(() => (location.hash = "#/obs/%"));
    await page.waitForFunction(() => /no longer saved/.test(document.querySelector("main")?.textContent ?? ""), null, { timeout: 20_000 });
  }));

test("the list shows each reflection's partner and author with who they are, counts, latest dates and links", () =>
  withPage(1280, async (page) => {
    const stored = records();
    const refl = reflectionRecords();
    await seed(page, stored, refl);
    await go(page, "#/people");
    await page.waitForSelector("[data-testid=people-partner]");
    assert.deepEqual(await rowsOf(page, "partner"), expectedParties(refl, "partner"), "partners");
    assert.deepEqual(await rowsOf(page, "author"), expectedParties(refl, "author"), "authors");
    // The fixture's partner cg-a is named as a caregiver and as a director.
    assert.equal((await rowsOf(page, "partner")).find((r) => r.id === "cg-a").who, "Caregiver, Director");
    // The caregivers, rooms and homes still count observations only.
    const want = expectedPeople(stored);
    for (const kind of ["caregiver", "room", "home"]) {
      assert.deepEqual((await rowsOf(page, kind)).map((r) => [r.id, r.count, r.latest]), [...want[kind]].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, e]) => [id, e.count, e.latest]), kind);
    }
    assert.equal(await page.textContent("#people-partner-h"), `Partners in reflections (${expectedParties(refl, "partner").length})`);
    assert.equal(await page.textContent("#people-author-h"), `Authors of reflections (${expectedParties(refl, "author").length})`);
    assert.deepEqual(await axeViolations(page), [], "axe: the list with reflections");
    await page.screenshot({ path: artifact("people-list-reflections.png"), fullPage: true });

    // The links open the partner's page.
    await page.click('[data-testid=people-partner] a[href="#/people/partner/prog-12"]');
    await page.waitForSelector('[data-testid=people-view][data-kind=partner][data-id="prog-12"]', { timeout: 20_000 });
    assert.equal(await page.evaluate(() => document.activeElement?.localName), "h1", "the heading takes the focus");
  }));

test("a partner's and an author's pages list their reflections oldest first, with the engine's verdict", () =>
  withPage(1280, async (page) => {
    const refl = reflectionRecords();
    await seed(page, records(), refl);
    // The verdicts, from the engine in the page on the same records.
    const verdicts = await page.evaluate(async (stored) => {
      const mod = await import("./pkg/rubrica_web.js");
      await mod.default();
      const engine = new mod.RubricaEngine();
      return Object.fromEntries(Object.entries(stored).map(([k, r]) => [k, String(engine.validateRecord(JSON.stringify(r)).type === "success")]));
    }, refl);
    assert.deepEqual(verdicts, { "r-1": "true", "r-2": "false", "r-3": "true", "r-4": "true", "r-5": "true", "r-6": "true" }, "the fixture has one invalid reflection");
    const KIND = { "rubrica.ta-reflection/1": "TA reflection", "rubrica.family-partnership/1": "Family partnership reflection" };
    /** The rows a page should show: the reflections `keep` selects, oldest first, with `other`'s column. */
    const expected = (keep, other) =>
      Object.entries(refl)
        .filter(([, r]) => keep(r))
        .sort(([, a], [, b]) => (a.reflected_on < b.reflected_on ? -1 : 1))
        .map(([key, r]) => ({
          key,
          valid: verdicts[key],
          cells: [r.reflected_on, KIND[r.format], ...other.map((p) => `${r[p].id} (${WHO[p === "author" ? r[p].role : r[p].kind]})`)],
          href: `#/obs/${key}`,
        }));

    await openPage(page, "partner", "prog-12");
    assert.equal(await page.textContent("main h1"), "Program prog-12");
    assert.deepEqual(await reflectionRows(page), expected((r) => r.partner.id === "prog-12", ["author"]));
    assert.equal(await page.textContent("[data-testid=person-reflections] thead"), "RecordDateKindAuthorRecord check");
    assert.equal(await page.locator("[data-testid=link-caregiver]").count(), 0, "a program is no caregiver");
    assert.deepEqual(await axeViolations(page), [], "axe: a partner's page");
    await page.screenshot({ path: artifact("people-partner.png"), fullPage: true });

    await openPage(page, "author", "ta-07");
    assert.equal(await page.textContent("main h1"), "TA provider ta-07");
    assert.deepEqual(await reflectionRows(page), expected((r) => r.author.id === "ta-07", ["partner"]));
    assert.deepEqual(await axeViolations(page), [], "axe: an author's page");

    // Named as a caregiver and as a director: the page says "Partner", and links to the caregiver's page.
    await openPage(page, "partner", "cg-a");
    assert.equal(await page.textContent("main h1"), "Partner cg-a");
    assert.deepEqual(await reflectionRows(page), expected((r) => r.partner.id === "cg-a", ["author"]));
    assert.equal(await page.getAttribute("[data-testid=link-caregiver]", "href"), "#/people/caregiver/cg-a");
    await openPage(page, "partner", "nobody");
    assert.equal(await page.textContent("[data-testid=person-reflections-empty]"), "No reflection saved in this browser is about the relationship with nobody.");

    // Opening a reflection from the page opens it in the reflection form.
    await openPage(page, "author", "ta-09");
    await page.click('[data-testid=reflection-link][href="#/obs/r-2"]');
    await page.waitForFunction(() => document.querySelector("[data-testid=reflection-form] [data-testid=field-id]")?.value === "ta-2025-12-01-prog12", null, { timeout: 20_000 });
  }));

test("deleting a caregiver's data deletes the reflections about them or by them as a caregiver, and no other", () =>
  withPage(1280, async (page) => {
    const stored = records();
    const refl = reflectionRecords();
    await seed(page, stored, refl);
    const before = await allInDatabase(page);
    const goes = Object.keys(refl).filter((k) => aboutOrBy(refl[k], "cg-a"));
    assert.deepEqual(goes, ["r-3"], "the fixture: one reflection on cg-a as a caregiver (r-4 names cg-a as a director)");

    await openPage(page, "caregiver", "cg-a");
    assert.deepEqual((await reflectionRows(page)).map((r) => [r.key, r.valid, ...r.cells]), [["r-3", "true", "2026-04-06", "TA reflection", "ta-07 (TA provider)", "cg-a (Caregiver)"]]);
    assert.match(await page.textContent("[data-testid=delete-reflections-rule]"), /^Only the reflections on the relationship with caregiver cg-a, or written by cg-a as a caregiver, are deleted/);
    await page.click("[data-testid=delete-caregiver]");
    await page.locator("[data-testid=delete-confirm]").waitFor({ state: "visible" });
    assert.equal(await page.textContent("#delete-confirm-h"), "Delete 3 observations, 1 reflection, and 2 shared goals of caregiver cg-a?");
    const listed = await page.locator("[data-testid=delete-list] li[data-reflection]").evaluateAll((ls) => ls.map((l) => [l.dataset.key, l.textContent]));
    assert.deepEqual(listed, [["r-3", "ta-2026-04-06-cga (2026-04-06) — TA reflection by ta-07 (TA provider) with cg-a (Caregiver)"]]);
    assert.deepEqual(await axeViolations(page), [], "axe: the confirmation with a reflection");

    await page.click("[data-testid=delete-caregiver-confirm]");
    await page.waitForFunction(() => document.querySelector("[data-testid=people-status]")?.textContent !== "", null, { timeout: 10_000 });
    assert.equal(await page.textContent("[data-testid=people-status]"), "Deleted caregiver cg-a's data: 3 observations, 1 reflection, and 2 shared goals.");
    assert.equal(await page.locator("[data-testid=reflection-row]").count(), 0);

    // In IndexedDB: cg-a's observations and r-3 are gone; every other record is as it was.
    const after = await allInDatabase(page);
    const gone = [...Object.keys(stored).filter((k) => stored[k].caregivers.some((c) => c.id === "cg-a")), ...goes];
    assert.deepEqual(Object.keys(after).sort(), Object.keys(before).filter((k) => !gone.includes(k)).sort());
    for (const k of Object.keys(after)) assert.deepEqual(after[k], before[k], `${k} kept as it was`);

    // cg-b's page lists the reflection cg-b wrote as a caregiver; the store's delete without the
    // view's rule touches observations and goals only.
    await openPage(page, "caregiver", "cg-b");
    assert.deepEqual((await reflectionRows(page)).map((r) => r.key), Object.keys(refl).filter((k) => aboutOrBy(refl[k], "cg-b")));
    const done = await page.evaluate(async () => (await import("./store.js")).deleteCaregiver("cg-b"));
    assert.deepEqual(done, { observations: 1, reflections: 0, goals: 1 });
    assert.deepEqual((await allInDatabase(page))["r-5"], refl["r-5"], "the reflection by cg-b is still there");
  }));
