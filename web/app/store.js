// Observations kept in the browser's database (IndexedDB, through the vendored `idb` package) until
// the coach exports them or deletes them.
//
// Database `rubrica`, schema version 1:
//   observations  one entry per observation, `{key, record, updated, rev}`, keyed by `key`, with an
//                 index on `updated`. `record` is the record exactly as the form last built it (or
//                 as it was imported), so export after import gives the same JSON. `rev` counts the
//                 saves; a save names the revision it started from and is refused when another tab
//                 has saved a newer one since (see `saveDraft`).
//   meta          small values by name: `current` (the observation open when the page was last used).
// Later versions add object stores (results, goals, notes, people) in `upgrade`, one
// `if (oldVersion < N)` block per version, so a browser at any older version is brought up step
// by step and nothing already stored is touched.
//
// Every save, delete and import is told to the app's other tabs at once on the BroadcastChannel
// `rubrica.store`.

import { openDB } from "./vendor/idb.js";

export const DB_NAME = "rubrica";
export const DB_VERSION = 1;
export const BACKUP_FORMAT = "rubrica.backup/1";

const OBS = "observations";
const META = "meta";

// The localStorage keys of the app before the database (moved into it by `migrate`).
const LEGACY_PREFIX = "rubrica.draft.";
const LEGACY_INDEX = "rubrica.drafts";
const LEGACY_CURRENT = "rubrica.current";

let opening = null;
/** What the move from localStorage did at this start: `{copied, kept}` (keys), or null. */
export let migration = null;

function upgrade(db, oldVersion) {
  if (oldVersion < 1) {
    const obs = db.createObjectStore(OBS, { keyPath: "key" });
    obs.createIndex("updated", "updated");
    db.createObjectStore(META);
  }
}

/** The open database, opened (and the localStorage drafts moved into it) on first use. */
export function open() {
  opening ??= openDB(DB_NAME, DB_VERSION, {
    upgrade,
    // A newer version of the app opened in another tab and needs to upgrade: let it, and open
    // again (at the newer version, which then fails loudly here) on the next call.
    blocking(_current, _next, event) {
      event.target.close();
      opening = null;
    },
    terminated() {
      opening = null;
    },
  }).then(async (db) => {
    migration = await migrate(db);
    return db;
  });
  opening.catch(() => {
    opening = null;
  });
  return opening;
}

// ---------------------------------------------------------------------------------------------
// Moving the localStorage drafts into the database

function legacyStorage() {
  try {
    return window.localStorage;
  } catch {
    return null; // storage turned off: nothing to move
  }
}

/**
 * Copies every `rubrica.draft.*` draft into the database, reads each copy back and compares it
 * with the original, and only then removes the localStorage keys. A draft that cannot be read
 * (not JSON, no record) or whose copy does not compare equal stays in localStorage untouched, and
 * the move is tried again at the next start; a draft already in the database (copied by a start
 * that stopped before removing the keys) is not copied again.
 */
async function migrate(db) {
  const ls = legacyStorage();
  if (!ls) return null;
  const names = [];
  for (let i = 0; i < ls.length; i += 1) {
    const name = ls.key(i);
    if (name !== null && name.startsWith(LEGACY_PREFIX)) names.push(name);
  }
  const current = ls.getItem(LEGACY_CURRENT);
  if (!names.length && ls.getItem(LEGACY_INDEX) === null && current === null) return null;

  const drafts = [];
  const kept = [];
  for (const name of names) {
    const key = name.slice(LEGACY_PREFIX.length);
    try {
      const d = JSON.parse(ls.getItem(name));
      if (!d || typeof d !== "object" || !("record" in d)) throw new Error("no record");
      drafts.push({ key, name, text: JSON.stringify(d.record), entry: { key, record: d.record, updated: typeof d.updated === "string" ? d.updated : "", rev: 1 } });
    } catch {
      kept.push(key);
    }
  }

  // One transaction: every copy is written, or none is.
  const copiedNow = new Set();
  const tx = db.transaction(OBS, "readwrite");
  for (const d of drafts) {
    if ((await tx.store.getKey(d.key)) === undefined) {
      tx.store.put(d.entry);
      copiedNow.add(d.key);
    }
  }
  await tx.done;

  // Read back; remove a localStorage draft only once its copy is there and equal.
  const check = db.transaction(OBS, "readonly");
  const copied = [];
  for (const d of drafts) {
    const got = await check.store.get(d.key);
    const same = got !== undefined && (!copiedNow.has(d.key) || JSON.stringify(got.record) === d.text);
    if (same) copied.push(d);
    else kept.push(d.key);
  }
  await check.done;
  if (current !== null) {
    try {
      await db.put(META, JSON.parse(current), "current");
    } catch {
      /* an unreadable "current" is only a convenience */
    }
  }
  for (const d of copied) ls.removeItem(d.name);
  if (!kept.length) ls.removeItem(LEGACY_INDEX);
  ls.removeItem(LEGACY_CURRENT);
  return { copied: copied.map((d) => d.key), kept };
}

// ---------------------------------------------------------------------------------------------
// Observations

const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("rubrica.store") : null;
const listeners = new Set();
if (channel) channel.onmessage = (e) => listeners.forEach((fn) => fn(e.data));

function tell(message) {
  channel?.postMessage(message);
}

/**
 * Calls `fn(message)` when another tab changes the store: `{type: "saved", key, rev}`,
 * `{type: "deleted", key}` or `{type: "cleared"}`. Returns a function that stops it.
 */
export function onChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function newest(a, b) {
  return a.updated < b.updated ? 1 : a.updated > b.updated ? -1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** Every observation, `{key, record, updated, rev}`, most recently changed first. */
export async function listDrafts() {
  const db = await open();
  return (await db.getAll(OBS)).sort(newest);
}

/** One observation, or null. */
export async function loadDraft(key) {
  const db = await open();
  return (await db.get(OBS, key)) ?? null;
}

/**
 * Saves an observation. `baseRev` is the revision the caller's copy started from: when the stored
 * observation has another revision (another tab saved it since), nothing is written and the answer
 * is `{ok: false, conflict: <the stored observation>}`. Without `baseRev` the save is
 * unconditional. Success: `{ok: true, rev, updated}`; storage failure: `{ok: false, error}`.
 */
export async function saveDraft(key, record, baseRev) {
  try {
    const db = await open();
    const tx = db.transaction(OBS, "readwrite");
    const stored = await tx.store.get(key);
    if (baseRev !== undefined && stored && stored.rev !== baseRev) {
      await tx.done;
      return { ok: false, conflict: stored };
    }
    const entry = { key, record, updated: new Date().toISOString(), rev: (stored ? stored.rev : 0) + 1 };
    tx.store.put(entry);
    await tx.done;
    tell({ type: "saved", key, rev: entry.rev });
    return { ok: true, rev: entry.rev, updated: entry.updated };
  } catch (error) {
    return { ok: false, error };
  }
}

export async function deleteDraft(key) {
  const db = await open();
  await db.delete(OBS, key);
  if ((await db.get(META, "current")) === key) await db.delete(META, "current");
  tell({ type: "deleted", key });
}

/** Removes every observation and setting of the app from this browser. */
export async function deleteAll() {
  const db = await open();
  const tx = db.transaction([OBS, META], "readwrite");
  tx.objectStore(OBS).clear();
  tx.objectStore(META).clear();
  await tx.done;
  tell({ type: "cleared" });
}

export function newDraftKey() {
  const rand = Math.random().toString(36).slice(2, 8);
  return `d${Date.now().toString(36)}${rand}`;
}

/** The observation whose record has this `id` (the first, most recent), or null. */
export async function findByRecordId(id) {
  if (typeof id !== "string" || !id) return null;
  return (await listDrafts()).find((d) => d.record && d.record.id === id) ?? null;
}

/** The draft open when the page was last used, so a reload comes back to it. */
export async function currentDraft() {
  const db = await open();
  return (await db.get(META, "current")) ?? null;
}

export async function setCurrentDraft(key) {
  const db = await open();
  if (key === null) await db.delete(META, "current");
  else await db.put(META, key, "current");
}

// ---------------------------------------------------------------------------------------------
// Backup and merge

/** Everything as one backup object (`rubrica.backup/1`); written with `JSON.stringify(…, null, 2)`. */
export async function backup() {
  const drafts = await listDrafts();
  return {
    format: BACKUP_FORMAT,
    exported_at: new Date().toISOString(),
    observations: drafts.map((d) => ({ id: d.key, updated: d.updated, record: d.record })),
  };
}

/**
 * Adds one backup entry `{id, updated, record}` without duplicating: an observation with the same
 * id and the same record JSON is skipped; one with the same id and another record is kept, and
 * this one is added beside it under a new id. Answers `{status: "added" | "skipped" | "kept-both", key}`.
 */
export async function mergeEntry(entry) {
  const db = await open();
  const tx = db.transaction(OBS, "readwrite");
  const stored = await tx.store.get(entry.id);
  let status = "added";
  let key = entry.id;
  if (stored && JSON.stringify(stored.record) === JSON.stringify(entry.record)) {
    status = "skipped";
  } else {
    if (stored) {
      status = "kept-both";
      key = newDraftKey();
    }
    tx.store.put({ key, record: entry.record, updated: entry.updated || new Date().toISOString(), rev: 1 });
  }
  await tx.done;
  if (status !== "skipped") tell({ type: "saved", key, rev: 1 });
  return { status, key };
}

/**
 * Adds one record file without duplicating: when an observation's record has the same `id` and
 * the same JSON it is skipped; the same `id` with other content is kept and this one added beside
 * it. Answers `{status: "added" | "skipped" | "kept-both", key}`.
 */
export async function mergeRecord(record) {
  const text = JSON.stringify(record);
  const same = typeof record.id === "string" && record.id ? (await listDrafts()).filter((d) => d.record && d.record.id === record.id) : [];
  const equal = same.find((d) => JSON.stringify(d.record) === text);
  if (equal) return { status: "skipped", key: equal.key };
  const key = newDraftKey();
  const saved = await saveDraft(key, record);
  if (!saved.ok) throw saved.error ?? new Error("not saved");
  return { status: same.length ? "kept-both" : "added", key };
}
