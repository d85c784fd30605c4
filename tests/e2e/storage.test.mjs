// The coach app's storage in headless Chromium: observations in IndexedDB (`web/app/store.js`),
// the move from the localStorage drafts of earlier versions, two tabs editing one observation,
// backup → delete all → import, import reasons and no duplicates.
//
// Run from this folder: `node --test storage.test.mjs` (after `cargo xtask build-web`). Every test
// runs in a fresh browser context and ends by checking that no request left 127.0.0.1.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { chromium } from "playwright-core";
import { appInChromium } from "./suite.mjs";
import { REPO, APP, readJson, artifact, watchNetwork } from "./helpers.mjs";

const suite = appInChromium(chromium);
const require = createRequire(import.meta.url);

/** A test in its own browser context; `body` gets the context and `openApp(hash)`. */
function storageTest(name, body) {
  test(name, async (t) => {
    const context = await suite.browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    const network = await watchNetwork(context, suite.server.url);
    try {
      const openApp = async (hash = "#/", page = null) => {
        page ??= await context.newPage();
        const errors = [];
        page.on("pageerror", (e) => errors.push(String(e)));
        page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
        await page.goto(`${suite.server.url}${hash}`);
        await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
        page.jsErrors = errors;
        return page;
      };
      await body({ t, context, openApp });
      assert.ok(network.all.length > 0, "the test's pages made requests");
      assert.deepEqual(network.outside, [], "no request left 127.0.0.1");
    } finally {
      await context.close();
    }
  });
}

const example = (name) => readJson(path.join(REPO, "examples", `${name}.json`));

/** The observation's key from an editor page's address (`#/obs/<key>`). */
function keyOf(page) {
  return decodeURIComponent(new URL(page.url()).hash.slice("#/obs/".length));
}

/** The stored observation, read through the app's own store module. */
function stored(page, key) {
  return page.evaluate(async (k) => (await import("./store.js")).loadDraft(k), key);
}

function storedAll(page) {
  return page.evaluate(async () => (await import("./store.js")).listDrafts());
}

/** Waits until the editor's last save has finished; returns its outcome ("true" or "false"). */
async function saveDone(page) {
  // The edit has been read (the results are no longer pending: its save has started) …
  await page.waitForSelector("[data-testid=results][data-pending=false]", { timeout: 20_000 });
  // … and its save has finished.
  await page.waitForSelector("[data-testid=save-state][data-pending=false][data-saved]", { timeout: 20_000 });
  return page.getAttribute("[data-testid=save-state]", "data-saved");
}

async function download(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  return { name: dl.suggestedFilename(), text: readFileSync(await dl.path(), "utf8") };
}

/** Imports files from the observation list and waits for this import's report (not the last one's). */
async function importFiles(page, files) {
  await page.evaluate(() => document.querySelector("[data-testid=import-report]")?.setAttribute("data-old", ""));
  await page.setInputFiles("[data-testid=import-file]", files);
  await page.waitForSelector("[data-testid=import-report]:not([data-old])");
}

async function rows(page) {
  await page.waitForSelector("[data-testid=draft-list], [data-testid=draft-list-empty]");
  return page.locator("[data-testid=draft-row]").count();
}

test("the vendored idb is the npm package's file, at the version the README names", () => {
  const pkgDir = path.dirname(require.resolve("idb/package.json"));
  const version = JSON.parse(readFileSync(path.join(pkgDir, "package.json"), "utf8")).version;
  assert.ok(
    readFileSync(path.join(APP, "vendor/idb.js")).equals(readFileSync(path.join(pkgDir, "build/index.js"))),
    "web/app/vendor/idb.js equals idb/build/index.js of the installed package",
  );
  assert.ok(readFileSync(path.join(APP, "vendor/idb.LICENSE")).equals(readFileSync(path.join(pkgDir, "LICENSE"))));
  assert.match(readFileSync(path.join(APP, "vendor/README.md"), "utf8"), new RegExp(`\\| \`idb.js\` \\|[^\\n]*\\| ${version.replaceAll(".", "\\.")} \\|`));
});

storageTest("localStorage drafts of the earlier version move into the database, every one byte-equal", async ({ context, openApp }) => {
  const odd = structuredClone(example("center-infants"));
  odd.id = "obs-odd \"quotes\" \\ </script> ☃ 𝄞 שלום \u202e\u0000 end";
  odd.notes = [{ text: "tab\there, newline\nthere, emoji 👶🏽, CRLF\r\n, lone surrogate-free ✓", tags: [] }];
  const large = structuredClone(example("family-child-care"));
  large.id = "obs-large";
  large.notes = [{ text: "x".repeat(1_500_000) + "ü", tags: [] }];
  const plain = example("center-toddlers-mixed");
  const drafts = [
    ["dodd-κλειδί/#?%", odd, "2026-01-03T10:00:00.000Z"],
    ["dlarge", large, "2026-01-02T10:00:00.000Z"],
    ["dplain", plain, "2026-01-01T10:00:00.000Z"],
  ];

  // The earlier version's keys, written on a page of the same origin before the app first starts.
  const seed = await context.newPage();
  await seed.goto(`${suite.server.url}data/rubrics.json`);
  await seed.evaluate((drafts) => {
    for (const [key, record, updated] of drafts) localStorage.setItem(`rubrica.draft.${key}`, JSON.stringify({ record, updated }));
    localStorage.setItem("rubrica.drafts", JSON.stringify([...drafts.map((d) => d[0]), "dbroken"]));
    localStorage.setItem("rubrica.draft.dbroken", "{not json");
    localStorage.setItem("rubrica.current", JSON.stringify("dplain"));
  }, drafts);
  await seed.close();

  const page = await openApp();
  assert.equal(await rows(page), 3, "the three readable drafts are listed");
  // The order is the drafts' own (most recently saved first).
  assert.deepEqual(await page.locator("[data-testid=draft-row]").evaluateAll((rs) => rs.map((r) => r.dataset.key)), drafts.map((d) => d[0]));
  for (const [key, record] of drafts) {
    const row = page.locator(`[data-testid=draft-row][data-key="${key.replaceAll('"', '\\"')}"]`);
    const [dl] = await Promise.all([page.waitForEvent("download"), row.locator("button", { hasText: "Export" }).click()]);
    const text = readFileSync(await dl.path(), "utf8");
    assert.ok(text === `${JSON.stringify(record, null, 2)}\n`, `draft ${key}: the exported record is byte-equal to the one in localStorage`);
  }
  const left = await page.evaluate(() => Object.fromEntries(Object.keys(localStorage).map((k) => [k, localStorage.getItem(k)])));
  assert.deepEqual(
    left,
    { "rubrica.draft.dbroken": "{not json", "rubrica.drafts": JSON.stringify([...drafts.map((d) => d[0]), "dbroken"]) },
    "only the unreadable draft (and the index naming it) stays in localStorage",
  );
  assert.match(await page.textContent("[data-testid=migration-kept]"), /1 draft saved .*could not be read.*dbroken/);
  assert.equal(await page.evaluate(async () => (await import("./store.js")).currentDraft()), "dplain");

  // A reload reads the database: the same three, nothing moved twice.
  await page.reload();
  await page.waitForSelector("body[data-ready=true]");
  assert.equal(await rows(page), 3);
  for (const [key, record] of drafts) {
    const d = await stored(page, key);
    assert.equal(JSON.stringify(d.record), JSON.stringify(record), `${key} after the reload`);
    assert.equal(d.rev, 1);
  }
  assert.deepEqual(page.jsErrors, []);
});

storageTest("an edit is kept across a reload", async ({ openApp }) => {
  const page = await openApp();
  await page.click("[data-testid=new-observation]");
  await page.waitForSelector("[data-testid=observation-form]");
  await page.fill("[data-testid=field-id]", "obs-reload");
  assert.equal(await saveDone(page), "true");
  const key = keyOf(page);
  await page.reload();
  await page.waitForSelector("body[data-ready=true]");
  assert.equal(await page.inputValue("[data-testid=field-id]"), "obs-reload");
  assert.equal((await stored(page, key)).record.id, "obs-reload");
  assert.deepEqual(page.jsErrors, []);
});

storageTest("closing the page right after typing asks first and keeps the last edit", async ({ context, openApp }) => {
  const page = await openApp();
  await page.click("[data-testid=new-observation]");
  await page.waitForSelector("[data-testid=observation-form]");
  await page.fill("[data-testid=field-id]", "obs-first");
  assert.equal(await saveDone(page), "true");
  const key = keyOf(page);
  // Typed, then closed at once: the save has not been written yet.
  await page.fill("[data-testid=field-id]", "obs-last-keystroke");
  const asked = new Promise((resolve) =>
    page.once("dialog", async (d) => {
      resolve(d.type());
      await d.dismiss();
    }),
  );
  await page.close({ runBeforeUnload: true });
  const noDialog = new Promise((resolve) => setTimeout(() => resolve("no dialog within 5 s"), 5_000));
  assert.equal(await Promise.race([asked, noDialog]), "beforeunload");
  // The coach stays on the page (the dialog is dismissed); the save lands meanwhile.
  assert.equal(await saveDone(page), "true");
  const other = await openApp();
  assert.equal((await stored(other, key)).record.id, "obs-last-keystroke");
  // Nothing left to save: closing does not ask.
  let askedAgain = false;
  page.once("dialog", (d) => {
    askedAgain = true;
    d.accept();
  });
  await page.close({ runBeforeUnload: true });
  await page.waitForEvent("close", { timeout: 5_000 });
  assert.equal(askedAgain, false);
  assert.ok(context.pages().includes(other));
});

/** Two pages of one browser on the same observation; tab A saves an edit first. */
async function twoTabs(openApp) {
  const a = await openApp();
  await a.click("[data-testid=open-example]");
  await a.waitForSelector("[data-testid=observation-form]");
  const hash = new URL(a.url()).hash;
  const key = keyOf(a);
  const b = await openApp(hash);
  await b.waitForSelector("[data-testid=observation-form]");
  assert.equal((await stored(a, key)).rev, 1);

  await a.fill("[data-testid=field-observer]", "tab-a");
  assert.equal(await saveDone(a), "true");
  // Tab B is told at once, and the focus moves to the choice.
  await b.waitForSelector("[data-testid=conflict][role=alert]", { timeout: 5_000 });
  assert.ok(await b.evaluate(() => Boolean(document.activeElement?.closest("[data-testid=conflict]"))), "focus is on the conflict alert");
  for (const name of [/Keep mine/, /Take theirs/, /Keep both/]) assert.equal(await b.getByRole("button", { name }).count(), 1);
  // B's edit meanwhile is not saved over A's.
  await b.fill("[data-testid=field-observer]", "tab-b");
  assert.equal(await saveDone(b), "false");
  assert.match(await b.textContent("[data-testid=save-state]"), /Not saved: .*another tab/);
  assert.equal((await stored(b, key)).record.observer, "tab-a");
  return { a, b, key };
}

storageTest("two tabs: keep mine replaces the other version, and the other tab is told", async ({ openApp }) => {
  const { a, b, key } = await twoTabs(openApp);
  await b.click("[data-testid=conflict-mine]");
  assert.equal(await b.locator("[data-testid=conflict]").count(), 0);
  assert.equal(await saveDone(b), "true");
  const s = await stored(b, key);
  assert.equal(s.record.observer, "tab-b");
  assert.equal(s.rev, 3);
  await a.waitForSelector("[data-testid=conflict]", { timeout: 5_000 });
  assert.deepEqual([...a.jsErrors, ...b.jsErrors], []);
});

storageTest("two tabs: take theirs shows the other version and saves from it", async ({ openApp }) => {
  const { a, b, key } = await twoTabs(openApp);
  await b.click("[data-testid=conflict-theirs]");
  assert.equal(await b.locator("[data-testid=conflict]").count(), 0);
  assert.equal(await b.inputValue("[data-testid=field-observer]"), "tab-a");
  assert.equal((await stored(b, key)).record.observer, "tab-a");
  // B now edits from A's revision: saved, no conflict.
  await b.fill("[data-testid=field-minutes]", "61");
  assert.equal(await saveDone(b), "true");
  const s = await stored(b, key);
  assert.equal(s.record.observer, "tab-a");
  assert.equal(s.record.minutes, 61);
  assert.equal(s.rev, 3);
  assert.deepEqual([...a.jsErrors, ...b.jsErrors], []);
});

storageTest("two tabs: keep both saves mine as a copy with a record id of its own, and leaves theirs", async ({ openApp }) => {
  const { a, b, key } = await twoTabs(openApp);
  const id = example("center-infants").id;
  await b.click("[data-testid=conflict-both]");
  await b.waitForFunction((k) => location.hash.startsWith("#/obs/") && decodeURIComponent(location.hash.slice(6)) !== k, key);
  await b.waitForSelector("[data-testid=observation-form]");
  const copy = keyOf(b);
  assert.equal(await b.inputValue("[data-testid=field-observer]"), "tab-b");
  // The copy is told apart from the other version by its record id, and the coach is told so.
  assert.equal(await b.inputValue("[data-testid=field-id]"), `${id}-copy`);
  assert.match(await b.textContent("[data-testid=editor-notice]"), new RegExp(`record id ${id}-copy \\(the other tab's version keeps ${id}`));
  const all = await storedAll(b);
  assert.equal(all.length, 2);
  assert.deepEqual(
    all.map((d) => [d.key, d.record.id, d.record.observer]).sort(),
    [[key, id, "tab-a"], [copy, `${id}-copy`, "tab-b"]].sort(),
  );
  // The copy's record is the engine's to read (the id is still a valid id), and its report says the new id.
  const report = await b.evaluate(async (k) => {
    const { loadDraft } = await import("./store.js");
    const mod = await import("./pkg/rubrica_web.js");
    await mod.default();
    return new mod.RubricaEngine().validateRecord(JSON.stringify((await loadDraft(k)).record)).type;
  }, copy);
  assert.equal(report, "success");

  // A second "keep both" on the same observation: the next free id, checked against every stored record.
  await a.fill("[data-testid=field-observer]", "tab-a again");
  assert.equal(await saveDone(a), "true");
  const c = await openApp(`#/obs/${encodeURIComponent(key)}`);
  await c.waitForSelector("[data-testid=observation-form]");
  await a.fill("[data-testid=field-observer]", "tab-a third");
  assert.equal(await saveDone(a), "true");
  await c.waitForSelector("[data-testid=conflict]", { timeout: 5_000 });
  await c.click("[data-testid=conflict-both]");
  await c.waitForFunction((k) => decodeURIComponent(location.hash.slice(6)) !== k, key);
  await c.waitForSelector("[data-testid=observation-form]");
  assert.equal(await c.inputValue("[data-testid=field-id]"), `${id}-copy-2`);
  assert.deepEqual((await storedAll(c)).map((d) => d.record.id).sort(), [id, `${id}-copy`, `${id}-copy-2`].sort());
  assert.deepEqual([...a.jsErrors, ...b.jsErrors, ...c.jsErrors], []);
});

storageTest("a copy's record id is unique among the stored records and no longer than the engine reads", async ({ openApp }) => {
  const page = await openApp();
  const long = "x".repeat(100);
  const got = await page.evaluate(async (long) => {
    const store = await import("./store.js");
    for (const id of ["obs-a", "obs-a-copy", "obs-a-copy-2", "obs-a-copy-4", long, `${"x".repeat(95)}-copy`]) {
      await store.saveDraft(store.newDraftKey(), { id });
    }
    return [await store.copyRecordId("obs-a"), await store.copyRecordId("obs-b"), await store.copyRecordId(long), await store.copyRecordId("")];
  }, long);
  assert.deepEqual(got, ["obs-a-copy-3", "obs-b-copy", `${"x".repeat(93)}-copy-2`, ""]);
  assert.deepEqual(page.jsErrors, []);
});

storageTest("a save from an older revision is refused even without the other tab's message", async ({ openApp }) => {
  const page = await openApp();
  await page.click("[data-testid=open-example]");
  await page.waitForSelector("[data-testid=observation-form]");
  const key = keyOf(page);
  // Another writer (no BroadcastChannel message): the stored observation moves to revision 2.
  await page.evaluate(
    (key) =>
      new Promise((resolve, reject) => {
        const req = indexedDB.open("rubrica");
        req.onsuccess = () => {
          const tx = req.result.transaction("observations", "readwrite");
          const os = tx.objectStore("observations");
          os.get(key).onsuccess = (e) => {
            const d = e.target.result;
            os.put({ ...d, record: { ...d.record, observer: "elsewhere" }, rev: d.rev + 1 });
          };
          tx.oncomplete = () => (req.result.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
        req.onerror = () => reject(req.error);
      }),
    key,
  );
  await page.fill("[data-testid=field-observer]", "here");
  assert.equal(await saveDone(page), "false");
  await page.waitForSelector("[data-testid=conflict]");
  assert.equal((await stored(page, key)).record.observer, "elsewhere");
  assert.deepEqual(page.jsErrors, []);
});

storageTest("backup, delete all, import: the same observations byte for byte; a second import adds nothing", async ({ openApp }) => {
  const page = await openApp();
  await page.click("[data-testid=open-example]");
  await page.waitForSelector("[data-testid=observation-form]");
  await page.fill("[data-testid=field-observer]", "coach ☃ \"q\"");
  assert.equal(await saveDone(page), "true");
  await page.click("[data-testid=nav-observations]");
  await page.click("[data-testid=open-example-family-child-care]");
  await page.waitForSelector("[data-testid=observation-form]");
  await page.click("[data-testid=nav-observations]");
  assert.equal(await rows(page), 2);

  const first = await download(page, "[data-testid=backup]");
  assert.match(first.name, /^rubrica-backup-\d{4}-\d\d-\d\d\.json$/);
  const backup = JSON.parse(first.text);
  assert.equal(backup.format, "rubrica.backup/1");
  assert.ok(!Number.isNaN(Date.parse(backup.exported_at)));
  assert.equal(backup.observations.length, 2);
  assert.equal(backup.observations.find((o) => o.record.id === example("family-child-care").id).record.observer, example("family-child-care").observer);
  const file = artifact("storage-backup.json");
  writeFileSync(file, first.text);

  // Delete all asks first; Cancel keeps everything.
  await page.click("[data-testid=delete-all]");
  await page.waitForSelector("[data-testid=delete-all-confirm][role=alert]");
  assert.ok(await page.evaluate(() => Boolean(document.activeElement?.closest("[data-testid=delete-all-confirm]"))));
  await page.click("[data-testid=delete-all-no]");
  assert.equal(await rows(page), 2);
  await page.click("[data-testid=delete-all]");
  await page.click("[data-testid=delete-all-yes]");
  await page.waitForSelector("[data-testid=draft-list-empty]");
  assert.deepEqual(await storedAll(page), []);

  await importFiles(page, file);
  assert.equal(await rows(page), 2);
  const second = await download(page, "[data-testid=backup]");
  const sansTime = (text) => text.replace(/"exported_at": "[^"]*"/, "");
  assert.ok(sansTime(second.text) === sansTime(first.text), "the backup after the round trip is byte-equal (but for exported_at)");

  // The same backup again: everything is skipped.
  await importFiles(page, file);
  assert.match(await page.textContent("[data-testid=import-outcome]"), /0 imported, 2 already saved \(skipped\)/);
  assert.equal(await rows(page), 2);

  // One observation changed elsewhere (same id, other content): both are kept, and the coach is told.
  const changed = structuredClone(backup);
  changed.observations[0].record.minutes = 999;
  const changedFile = artifact("storage-backup-changed.json");
  writeFileSync(changedFile, JSON.stringify(changed));
  await importFiles(page, changedFile);
  assert.match(await page.textContent("[data-testid=import-outcome]"), /1 imported, 1 already saved \(skipped\), 1 kept beside a different version/);
  assert.match(await page.textContent("[data-testid=import-outcome]"), /\/observations\/0: .* is saved already with different content; both versions are kept/);
  assert.equal(await rows(page), 3);
  assert.deepEqual(page.jsErrors, []);
});

storageTest("a malformed import tells each file's reason, with line:column or the JSON path", async ({ openApp }) => {
  const page = await openApp();
  const files = [
    { name: "broken.json", mimeType: "application/json", buffer: Buffer.from('{"id": "x",\n "minutes": }') },
    { name: "number.json", mimeType: "application/json", buffer: Buffer.from("42") },
    { name: "future.json", mimeType: "application/json", buffer: Buffer.from('{"format": "rubrica.backup/9", "observations": []}') },
    { name: "bad-id.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify({ ...example("center-infants"), id: 3 })) },
  ];
  await importFiles(page, files);
  assert.equal(await page.getAttribute("[data-testid=import-report]", "role"), "alert");
  const outcomes = await page.locator("[data-testid=import-outcome]").evaluateAll((els) => els.map((e) => [e.dataset.state, e.textContent]));
  assert.equal(outcomes.length, 4);
  assert.equal(outcomes[0][0], "failed");
  assert.match(outcomes[0][1], /^broken\.json: not imported: line 2:13: invalid JSON/);
  assert.equal(outcomes[1][0], "failed");
  assert.match(outcomes[1][1], /^number\.json: not imported: \/: a record is a JSON object, found number/);
  assert.equal(outcomes[2][0], "failed");
  assert.match(outcomes[2][1], /^future\.json: not imported: \/format: "rubrica\.backup\/9" is a backup this version of the app cannot read/);
  // A record the engine finds wrong is imported (the form shows where), and the path is named here.
  assert.equal(outcomes[3][0], "notes");
  assert.match(outcomes[3][1], /^bad-id\.json: 1 imported.*\/id: expected the record id, found the number `3`/);
  assert.match(await page.textContent("#status-message"), /Imported 1 record; 3 files not imported/);
  assert.equal(await rows(page), 1);
  assert.deepEqual(page.jsErrors, []);
});

storageTest("opening an example or importing a record twice adds no second row with the same id", async ({ openApp }) => {
  const page = await openApp();
  for (let i = 0; i < 2; i += 1) {
    await page.click("[data-testid=open-example]");
    await page.waitForSelector("[data-testid=observation-form]");
    await page.click("[data-testid=nav-observations]");
  }
  assert.equal(await rows(page), 1);
  const fcc = path.join(REPO, "examples/family-child-care.json");
  for (let i = 0; i < 2; i += 1) {
    await page.setInputFiles("[data-testid=import-file]", fcc);
    await page.waitForSelector("[data-testid=observation-form]");
    assert.equal(await page.inputValue("[data-testid=field-id]"), example("family-child-care").id);
    await page.click("[data-testid=nav-observations]");
  }
  assert.equal(await rows(page), 2);
  const ids = (await storedAll(page)).map((d) => d.record.id).sort();
  assert.deepEqual(ids, [example("center-infants").id, example("family-child-care").id].sort());
  assert.deepEqual(page.jsErrors, []);
});

/** Accepts the next `confirm()` of the page (the list's Delete asks first). */
function acceptConfirm(page) {
  page.once("dialog", (d) => d.accept());
}

/** The keys of the list's rows, in order. */
function rowKeys(page) {
  return page.locator("[data-testid=draft-row]").evaluateAll((rs) => rs.map((r) => r.dataset.key));
}

storageTest("another tab's save, import, delete and delete all refresh this tab's list, keeping its focus and scroll", async ({ openApp }) => {
  const a = await openApp();
  const b = await openApp();
  await b.setViewportSize({ width: 1280, height: 400 });
  assert.equal(await rows(b), 0);

  // A opens an example (a save): B's list shows it without a reload.
  await a.click("[data-testid=open-example]");
  await a.waitForSelector("[data-testid=observation-form]");
  const first = keyOf(a);
  await b.waitForFunction(() => document.querySelectorAll("[data-testid=draft-row]").length === 1, null, { timeout: 5_000 });
  assert.deepEqual(await rowKeys(b), [first]);
  assert.match(await b.textContent("[data-testid=list-refreshed]"), /List updated from another tab at /);
  assert.equal(await b.getAttribute("[data-testid=list-refreshed]", "role"), null, "the line is not announced");
  assert.equal(await b.getAttribute("[data-testid=list-refreshed]", "aria-live"), null, "the line is not announced");

  // The coach in B is on the row's Export button, scrolled down the page.
  await b.focus(`[data-testid=draft-row][data-key="${first}"] [data-action=export]`);
  await b.evaluate(() => window.scrollTo(0, 120));
  const scrolled = await b.evaluate(() => window.scrollY);
  assert.ok(scrolled > 0, "the page scrolls");
  const focusOf = (page) => page.evaluate(() => [document.activeElement?.closest("[data-testid=draft-row]")?.dataset.key ?? null, document.activeElement?.dataset.action ?? null]);

  // A edits it (a save with a later time): B's row is drawn again, the focus stays on its button.
  await a.fill("[data-testid=field-observer]", "edited in a");
  assert.equal(await saveDone(a), "true");
  // A imports a second record: B lists both.
  await a.click("[data-testid=nav-observations]");
  await a.setInputFiles("[data-testid=import-file]", path.join(REPO, "examples/family-child-care.json"));
  await a.waitForSelector("[data-testid=observation-form]");
  await b.waitForFunction(() => document.querySelectorAll("[data-testid=draft-row]").length === 2, null, { timeout: 5_000 });
  assert.deepEqual((await rowKeys(b)).sort(), (await storedAll(b)).map((d) => d.key).sort());
  assert.deepEqual(await focusOf(b), [first, "export"], "the focus stays on the same control");
  assert.equal(await b.evaluate(() => window.scrollY), scrolled, "the scroll position is kept");
  assert.equal(await b.locator("[data-testid=delete-all]").count(), 1);

  // A deletes the first one: B's list drops it; its focus moves to the list's heading.
  await a.click("[data-testid=nav-observations]");
  await a.waitForSelector(`[data-testid=draft-row][data-key="${first}"]`);
  acceptConfirm(a);
  await a.click(`[data-testid=draft-row][data-key="${first}"] [data-action=delete]`);
  await b.waitForFunction(() => document.querySelectorAll("[data-testid=draft-row]").length === 1, null, { timeout: 5_000 });
  assert.ok(!(await rowKeys(b)).includes(first));
  assert.equal(await b.evaluate(() => document.activeElement?.id), "drafts-h", "focus on the list's heading, not lost to the page");

  // B's "Delete all" confirmation is open when A deletes everything: the count follows, then it goes.
  await b.click("[data-testid=delete-all]");
  assert.match(await b.textContent("[data-testid=delete-all-confirm] h3"), /Delete 1 observation, and every shared goal/);
  await a.click("[data-testid=delete-all]");
  await a.click("[data-testid=delete-all-yes]");
  await b.waitForSelector("[data-testid=draft-list-empty]", { timeout: 5_000 });
  assert.equal(await b.locator("[data-testid=delete-all]").count(), 0);
  assert.equal(await b.locator("[data-testid=delete-all-confirm]").count(), 0);
  assert.equal(await b.evaluate(() => document.activeElement?.dataset.testid), "backup", "focus moves to the section's remaining button");
  assert.deepEqual([...a.jsErrors, ...b.jsErrors], []);
});

/** Tab B has the example open; tab A, on the list, deletes it (or deletes everything). */
async function deletedUnderB(openApp, how) {
  const a = await openApp();
  await a.click("[data-testid=open-example]");
  await a.waitForSelector("[data-testid=observation-form]");
  const key = keyOf(a);
  const b = await openApp(`#/obs/${encodeURIComponent(key)}`);
  await b.waitForSelector("[data-testid=observation-form]");
  await b.fill("[data-testid=field-observer]", "tab-b before");
  assert.equal(await saveDone(b), "true");
  await a.click("[data-testid=nav-observations]");
  await a.waitForSelector(`[data-testid=draft-row][data-key="${key}"]`);
  if (how === "delete") {
    acceptConfirm(a);
    await a.click(`[data-testid=draft-row][data-key="${key}"] [data-action=delete]`);
  } else {
    await a.click("[data-testid=delete-all]");
    await a.click("[data-testid=delete-all-yes]");
  }
  await a.waitForSelector("[data-testid=draft-list-empty]");
  // B says so at once, with the focus on the choice.
  await b.waitForSelector("[data-testid=deleted][role=alert]", { timeout: 5_000 });
  assert.ok(await b.evaluate(() => Boolean(document.activeElement?.closest("[data-testid=deleted]"))), "focus is on the alert");
  // The next keystroke does not bring it back.
  await b.fill("[data-testid=field-observer]", "tab-b after");
  assert.equal(await saveDone(b), "false");
  assert.match(await b.textContent("[data-testid=save-state]"), /Not saved: .*deleted in another tab/);
  assert.deepEqual(await storedAll(b), [], "nothing is saved again");
  // No pointer to it is left for a reload, and none can be set to it any more.
  const current = () => b.evaluate(async () => (await import("./store.js")).currentDraft());
  assert.equal(await current(), null);
  await b.evaluate(async (k) => (await import("./store.js")).setCurrentDraft(k), key);
  assert.equal(await current(), null, "a deleted observation is not made the current one");
  return { a, b, key };
}

storageTest("deleted in another tab: the open editor says so, saves nothing, and keeps the coach's copy as a new observation", async ({ openApp }) => {
  const { a, b, key } = await deletedUnderB(openApp, "delete");
  // The copy is saved nowhere yet: closing the page asks first (the coach stays).
  const asked = new Promise((resolve) =>
    b.once("dialog", async (d) => {
      resolve(d.type());
      await d.dismiss();
    }),
  );
  await b.close({ runBeforeUnload: true });
  assert.equal(await Promise.race([asked, new Promise((resolve) => setTimeout(() => resolve("no dialog within 5 s"), 5_000))]), "beforeunload");
  await b.click("[data-testid=deleted-keep]");
  await b.waitForFunction((k) => location.hash.startsWith("#/obs/") && decodeURIComponent(location.hash.slice(6)) !== k, key);
  await b.waitForSelector("[data-testid=observation-form]");
  assert.match(await b.textContent("[data-testid=editor-notice]"), /saved as a new observation/);
  const all = await storedAll(b);
  assert.equal(all.length, 1);
  assert.equal(all[0].key, keyOf(b));
  assert.equal(all[0].record.observer, "tab-b after", "the copy has the last edit");
  assert.equal(all[0].record.id, example("center-infants").id);
  // A's list shows the copy.
  await a.waitForFunction(() => document.querySelectorAll("[data-testid=draft-row]").length === 1, null, { timeout: 5_000 });
  // The copy is an ordinary observation: edits save.
  await b.fill("[data-testid=field-minutes]", "61");
  assert.equal(await saveDone(b), "true");
  assert.deepEqual([...a.jsErrors, ...b.jsErrors], []);
});

storageTest("deleted by another tab's delete all: the open editor can close it, and it stays deleted", async ({ openApp }) => {
  const { a, b } = await deletedUnderB(openApp, "delete-all");
  await b.click("[data-testid=deleted-close]");
  await b.waitForSelector("[data-testid=draft-list-empty]");
  assert.equal(new URL(b.url()).hash, "#/");
  assert.deepEqual(await storedAll(b), []);
  // Reloading B (or opening the old address) does not bring it back either.
  await b.reload();
  await b.waitForSelector("body[data-ready=true]");
  assert.equal(await rows(b), 0);
  assert.deepEqual([...a.jsErrors, ...b.jsErrors], []);
});

storageTest("an editor whose observation was deleted without a message to it saves nothing on the next keystroke", async ({ openApp }) => {
  const page = await openApp();
  await page.click("[data-testid=open-example]");
  await page.waitForSelector("[data-testid=observation-form]");
  const key = keyOf(page);
  // Deleted by another writer that tells no one (IndexedDB itself, no BroadcastChannel message).
  await page.evaluate(
    (key) =>
      new Promise((resolve, reject) => {
        const req = indexedDB.open("rubrica");
        req.onsuccess = () => {
          const tx = req.result.transaction("observations", "readwrite");
          tx.objectStore("observations").delete(key);
          tx.oncomplete = () => (req.result.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
        req.onerror = () => reject(req.error);
      }),
    key,
  );
  await page.fill("[data-testid=field-observer]", "typed after the delete");
  assert.equal(await saveDone(page), "false");
  await page.waitForSelector("[data-testid=deleted][role=alert]");
  assert.equal(await stored(page, key), null, "not re-created");
  assert.deepEqual(page.jsErrors, []);
});

storageTest("a deleted observation saved again in another tab (a backup imported) is a conflict, not silently overwritten", async ({ openApp }) => {
  const a = await openApp();
  await a.click("[data-testid=open-example]");
  await a.waitForSelector("[data-testid=observation-form]");
  const key = keyOf(a);
  await a.click("[data-testid=nav-observations]");
  const backup = await download(a, "[data-testid=backup]");
  const file = artifact("storage-backup-readd.json");
  writeFileSync(file, backup.text);
  const b = await openApp(`#/obs/${encodeURIComponent(key)}`);
  await b.waitForSelector("[data-testid=observation-form]");
  await b.fill("[data-testid=field-observer]", "tab-b");
  assert.equal(await saveDone(b), "true"); // revision 2
  await a.waitForSelector(`[data-testid=draft-row][data-key="${key}"]`);
  acceptConfirm(a);
  await a.click(`[data-testid=draft-row][data-key="${key}"] [data-action=delete]`);
  await b.waitForSelector("[data-testid=deleted]", { timeout: 5_000 });
  // The backup brings it back under the same key, at revision 1: B is asked again, now as a conflict.
  await a.setInputFiles("[data-testid=import-file]", file);
  await a.waitForSelector("[data-testid=observation-form]");
  assert.equal(keyOf(a), key);
  await b.waitForSelector("[data-testid=conflict]", { timeout: 5_000 });
  assert.equal(await b.locator("[data-testid=deleted]").count(), 0);
  await b.click("[data-testid=conflict-mine]");
  assert.equal(await saveDone(b), "true");
  assert.equal((await stored(b, key)).record.observer, "tab-b");
  assert.deepEqual([...a.jsErrors, ...b.jsErrors], []);
});

storageTest("two tabs importing the same record files, or the same backup, at once add each record once", async ({ openApp }) => {
  const [a, b] = [await openApp(), await openApp()];
  // Twelve records (the example under twelve ids), one file each, chosen in both tabs at once.
  const files = Array.from({ length: 12 }, (_, i) => ({
    name: `visit-${i + 1}.json`,
    mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify({ ...example("center-infants"), id: `obs-twice-${i + 1}` })),
  }));
  await Promise.all([importFiles(a, files), importFiles(b, files)]);
  const ids = (await storedAll(a)).map((d) => d.record.id).sort();
  assert.deepEqual(ids, files.map((_, i) => `obs-twice-${i + 1}`).sort(), "one observation per record");
  for (const page of [a, b]) {
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=draft-row]").length === 12, null, { timeout: 5_000 });
  }
  // Without the tabs' timing: the same record merged twice at the same moment (both looks issued
  // before either write, as two tabs may) is added once, and the second is told it is saved already.
  const outcome = await a.evaluate(async (record) => {
    const { mergeRecord } = await import("./store.js");
    return (await Promise.all([mergeRecord(record), mergeRecord(record), mergeRecord(record)])).map((r) => r.status).sort();
  }, { ...example("family-child-care"), id: "obs-at-once" });
  assert.deepEqual(outcome, ["added", "skipped", "skipped"]);
  assert.equal((await storedAll(a)).filter((d) => d.record.id === "obs-at-once").length, 1);

  // The backup of all thirteen, deleted, then imported in both tabs at once: thirteen again.
  const backup = await download(a, "[data-testid=backup]");
  const file = artifact("storage-backup-twice.json");
  writeFileSync(file, backup.text);
  await a.click("[data-testid=delete-all]");
  await a.click("[data-testid=delete-all-yes]");
  await a.waitForSelector("[data-testid=draft-list-empty]");
  await Promise.all([importFiles(a, [file, file]), importFiles(b, [file, file])]);
  const again = await storedAll(a);
  assert.equal(again.length, 13);
  assert.equal(new Set(again.map((d) => d.key)).size, 13);
  assert.deepEqual(again.map((d) => d.record.id).sort(), JSON.parse(backup.text).observations.map((o) => o.record.id).sort());
  assert.deepEqual([...a.jsErrors, ...b.jsErrors], []);
});

storageTest("two tabs opening the same example at once make one observation, and both open it", async ({ openApp }) => {
  const [a, b] = [await openApp(), await openApp()];
  await Promise.all([a.click("[data-testid=open-example]"), b.click("[data-testid=open-example]")]);
  await Promise.all([a.waitForSelector("[data-testid=observation-form]"), b.waitForSelector("[data-testid=observation-form]")]);
  const all = await storedAll(a);
  assert.equal(all.length, 1, "one observation");
  assert.equal(keyOf(a), all[0].key);
  assert.equal(keyOf(b), all[0].key);
  // Without the tabs' timing: three looks at the same moment, one observation added.
  const outcome = await a.evaluate(async (record) => {
    const { findOrAdd } = await import("./store.js");
    const got = await Promise.all([findOrAdd(record), findOrAdd(record), findOrAdd(record)]);
    return { added: got.filter((g) => g.added).length, keys: new Set(got.map((g) => g.key)).size };
  }, { ...example("family-child-care"), id: "obs-opened-at-once" });
  assert.deepEqual(outcome, { added: 1, keys: 1 });
  assert.equal((await storedAll(a)).filter((d) => d.record.id === "obs-opened-at-once").length, 1);
  assert.deepEqual([...a.jsErrors, ...b.jsErrors], []);
});
