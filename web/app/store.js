// Observations kept in the browser's database (IndexedDB, through the vendored `idb` package) until
// the coach exports them or deletes them.
//
// Database `rubrica`, schema version 2:
//   observations  one entry per observation, `{key, record, updated, rev}`, keyed by `key`, with an
//                 index on `updated`. `record` is the record exactly as the form last built it (or
//                 as it was imported), so export after import gives the same JSON. `rev` counts the
//                 saves; a save names the revision it started from and is refused when another tab
//                 has saved a newer one since (see `saveDraft`).
//   meta          small values by name: `current` (the observation open when the page was last used).
// Version 2 adds:
//   goals         the shared goals agreed with a caregiver, `{id, caregiver, rubric, indicators,
//                 title, steps: [{text, done}], agreed_on, status, updated, rev}`, keyed by `id`,
//                 with an index on `caregiver`; `rev` as for observations (see `saveGoal`).
// Later versions add object stores (results, notes, people) in `upgrade`, one
// `if (oldVersion < N)` block per version, so a browser at any older version is brought up step
// by step and nothing already stored is touched.
//
// Every save, delete and import is told to the app's other tabs at once on the BroadcastChannel
// `rubrica.store`.

import { openDB } from "./vendor/idb.js";
import { t } from "./i18n.js";

export const DB_NAME = "rubrica";
export const DB_VERSION = 2;
export const BACKUP_FORMAT = "rubrica.backup/1";

const OBS = "observations";
const META = "meta";
const GOALS = "goals";

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
  if (oldVersion < 2) {
    db.createObjectStore(GOALS, { keyPath: "id" }).createIndex("caregiver", "caregiver");
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
 * `{type: "deleted", key}`, `{type: "goal-saved", id, caregiver, rev}`, `{type: "goal-deleted",
 * id, caregiver}` or `{type: "cleared"}`. Returns a function that stops it.
 */
export function onChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function newest(a, b) {
  return a.updated < b.updated ? 1 : a.updated > b.updated ? -1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

// The format tags of the records kept here that are not observations (the reflection kinds of the
// engine's vocabulary, given by `setOtherFormats` at start-up). They are saved, backed up and
// imported like observations, listed by `listRecords`, and left out of `listDrafts`, which the
// observation views (trends, reliability, people, goals, the coaching report) read.
let otherFormats = new Set();

/** The format tags of the records that are not observations (`vocabulary().kinds[].format`). */
export function setOtherFormats(formats) {
  otherFormats = new Set(formats);
}

/** True unless the entry's record is of one of the other kinds (a record of no known format counts as an observation). */
function isObservation(entry) {
  const format = entry && entry.record && typeof entry.record === "object" ? entry.record.format : undefined;
  return !(typeof format === "string" && otherFormats.has(format));
}

/** Every observation, `{key, record, updated, rev}`, most recently changed first (no reflection). */
export async function listDrafts() {
  return (await listRecords()).filter(isObservation);
}

/** Every saved record, observations and reflections, `{key, record, updated, rev}`, most recently changed first. */
export async function listRecords() {
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
 * is `{ok: false, conflict: <the stored observation>}`; when it is no longer stored (another tab
 * deleted it), nothing is written either and the answer is `{ok: false, deleted: true}`, so a
 * deleted observation is never brought back by an editor still open elsewhere. Without `baseRev`
 * the save is unconditional. Success: `{ok: true, rev, updated}`; storage failure: `{ok: false, error}`.
 */
export async function saveDraft(key, record, baseRev) {
  try {
    const db = await open();
    const tx = db.transaction(OBS, "readwrite");
    const stored = await tx.store.get(key);
    if (baseRev !== undefined && !stored) {
      await tx.done;
      return { ok: false, deleted: true };
    }
    if (baseRev !== undefined && stored.rev !== baseRev) {
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

/** Deletes an observation, and the `current` pointer with it when it named it (one transaction). */
export async function deleteDraft(key) {
  const db = await open();
  const tx = db.transaction([OBS, META], "readwrite");
  tx.objectStore(OBS).delete(key);
  const meta = tx.objectStore(META);
  if ((await meta.get("current")) === key) meta.delete("current");
  await tx.done;
  tell({ type: "deleted", key });
}

/** Removes every observation, goal and setting of the app from this browser. */
export async function deleteAll() {
  const db = await open();
  const tx = db.transaction([OBS, META, GOALS], "readwrite");
  tx.objectStore(OBS).clear();
  tx.objectStore(META).clear();
  tx.objectStore(GOALS).clear();
  await tx.done;
  tell({ type: "cleared" });
}

export function newDraftKey() {
  const rand = Math.random().toString(36).slice(2, 8);
  return `d${Date.now().toString(36)}${rand}`;
}

// The engine's longest record id (`MAX_ID` in the engine's record.rs).
const MAX_RECORD_ID = 100;

/**
 * A record id for a copy of the record `id` that no stored observation's record has: `<id>-copy`,
 * else `<id>-copy-2`, `-copy-3`, … (the id shortened to leave room, so the engine still reads it).
 * "Keep both" saves the coach's version under it, so the two versions stay apart in exports,
 * trends and agreement. An empty or missing id is answered as it is.
 */
export async function copyRecordId(id) {
  if (typeof id !== "string" || !id) return id;
  const taken = new Set((await listRecords()).map((d) => d.record && d.record.id));
  for (let n = 1; ; n += 1) {
    const suffix = n === 1 ? "-copy" : `-copy-${n}`;
    const base = [...id].slice(0, MAX_RECORD_ID - suffix.length).join("");
    if (!taken.has(base + suffix)) return base + suffix;
  }
}

/** The observation whose record has this `id` (the first, most recent), or null. */
export async function findByRecordId(id) {
  if (typeof id !== "string" || !id) return null;
  return (await listRecords()).find((d) => d.record && d.record.id === id) ?? null;
}

/**
 * The observation whose record has the `id` of `record` (the most recent), or a new one saved
 * from `record` when there is none: `{key, added}`. The look and the write are one transaction,
 * so two tabs opening the same example at the same moment make one observation.
 */
export async function findOrAdd(record) {
  const db = await open();
  const tx = db.transaction(OBS, "readwrite");
  const id = record && record.id;
  const same = typeof id === "string" && id ? (await tx.store.getAll()).filter((d) => d.record && d.record.id === id) : [];
  if (same.length) {
    await tx.done;
    return { key: same.sort(newest)[0].key, added: false };
  }
  const key = newDraftKey();
  tx.store.put({ key, record, updated: new Date().toISOString(), rev: 1 });
  await tx.done;
  tell({ type: "saved", key, rev: 1 });
  return { key, added: true };
}

/** The draft open when the page was last used, so a reload comes back to it. */
export async function currentDraft() {
  const db = await open();
  return (await db.get(META, "current")) ?? null;
}

/**
 * Remembers the open observation; only while it is stored (checked in the same transaction), so
 * an observation another tab deleted a moment ago is never named.
 */
export async function setCurrentDraft(key) {
  const db = await open();
  const tx = db.transaction([OBS, META], "readwrite");
  const meta = tx.objectStore(META);
  if (key === null || (await tx.objectStore(OBS).getKey(key)) === undefined) meta.delete("current");
  else meta.put(key, "current");
  await tx.done;
}

// ---------------------------------------------------------------------------------------------
// Backup and merge

/**
 * Everything as one backup object (`rubrica.backup/1`); written with `JSON.stringify(…, null, 2)`.
 * `goals` (added with schema version 2) lists the goals without their local revision; a backup
 * without it is still read.
 */
export async function backup() {
  const drafts = await listRecords();
  const goals = await listGoals();
  return {
    format: BACKUP_FORMAT,
    exported_at: new Date().toISOString(),
    observations: drafts.map((d) => ({ id: d.key, updated: d.updated, record: d.record })),
    goals: goals.map((g) => ({ ...goalFields(g), updated: g.updated })),
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
  const db = await open();
  // The look and the write in one transaction: two tabs importing the same file at once are
  // taken one after the other, and the second finds the first's copy (no duplicate).
  const tx = db.transaction(OBS, "readwrite");
  const all = typeof record.id === "string" && record.id ? await tx.store.getAll() : [];
  const same = all.filter((d) => d.record && d.record.id === record.id).sort(newest);
  const equal = same.find((d) => JSON.stringify(d.record) === text);
  if (equal) {
    await tx.done;
    return { status: "skipped", key: equal.key };
  }
  const key = newDraftKey();
  tx.store.put({ key, record, updated: new Date().toISOString(), rev: 1 });
  await tx.done;
  tell({ type: "saved", key, rev: 1 });
  return { status: same.length ? "kept-both" : "added", key };
}

// ---------------------------------------------------------------------------------------------
// Shared goals (schema version 2)

export const GOAL_STATUSES = ["active", "met", "set-aside"];
const STATUS_ORDER = new Map(GOAL_STATUSES.map((s, i) => [s, i]));

/** A goal's own fields in one order, without `updated` and `rev`: what two copies compare by. */
function goalFields(g) {
  return {
    id: g.id,
    caregiver: g.caregiver,
    rubric: g.rubric,
    indicators: [...g.indicators],
    title: g.title,
    steps: g.steps.map((s) => ({ text: s.text, done: Boolean(s.done) })),
    agreed_on: g.agreed_on,
    status: g.status,
  };
}

/**
 * What is wrong with a goal read from outside (a backup), as `[{path, message}]` with JSON
 * pointers under `at`; empty when it can be stored.
 */
export function goalProblems(g, at = "") {
  const isText = (v) => typeof v === "string" && v.trim() !== "";
  if (g === null || typeof g !== "object" || Array.isArray(g)) return [{ path: at || "/", message: t("goalCheck.object") }];
  const out = [];
  for (const k of ["id", "caregiver", "rubric", "title"]) if (!isText(g[k])) out.push({ path: `${at}/${k}`, message: t("goalCheck.text") });
  if (!Array.isArray(g.indicators) || !g.indicators.length || !g.indicators.every(isText)) {
    out.push({ path: `${at}/indicators`, message: t("goalCheck.indicators") });
  }
  if (!Array.isArray(g.steps)) out.push({ path: `${at}/steps`, message: t("goalCheck.steps") });
  else {
    g.steps.forEach((s, i) => {
      if (!s || typeof s !== "object" || typeof s.text !== "string" || typeof s.done !== "boolean") {
        out.push({ path: `${at}/steps/${i}`, message: t("goalCheck.step") });
      }
    });
  }
  if (!isDate(g.agreed_on)) out.push({ path: `${at}/agreed_on`, message: t("goalCheck.date") });
  if (!GOAL_STATUSES.includes(g.status)) out.push({ path: `${at}/status`, message: t("goalCheck.status", { values: GOAL_STATUSES.map((s) => `"${s}"`).join(", ") }) });
  return out;
}

/** A real calendar date written `YYYY-MM-DD`. */
export function isDate(v) {
  if (typeof v !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

/** Active goals first, then met, then set aside; the most recently agreed first within each. */
function goalOrder(a, b) {
  const s = (STATUS_ORDER.get(a.status) ?? 9) - (STATUS_ORDER.get(b.status) ?? 9);
  if (s) return s;
  return a.agreed_on < b.agreed_on ? 1 : a.agreed_on > b.agreed_on ? -1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Every goal, or one caregiver's (`caregiver` given), active first. */
export async function listGoals(caregiver) {
  const db = await open();
  const goals = caregiver === undefined ? await db.getAll(GOALS) : await db.getAllFromIndex(GOALS, "caregiver", caregiver);
  return goals.sort(goalOrder);
}

/** One goal, or null. */
export async function loadGoal(id) {
  const db = await open();
  return (await db.get(GOALS, id)) ?? null;
}

export function newGoalId() {
  return `g${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Saves a goal (`{id, caregiver, rubric, indicators, title, steps, agreed_on, status}`). As with
 * `saveDraft`, `baseRev` is the revision the caller's copy started from (0 or undefined for a new
 * goal): when the stored goal has another revision (another tab saved or deleted it since),
 * nothing is written and the answer is `{ok: false, conflict: <the stored goal, or null when it
 * was deleted>}`. Success: `{ok: true, goal}` with the stored `updated` and `rev`; storage
 * failure: `{ok: false, error}`.
 */
export async function saveGoal(goal, baseRev) {
  try {
    const db = await open();
    const tx = db.transaction(GOALS, "readwrite");
    const stored = await tx.store.get(goal.id);
    if (baseRev !== undefined && (stored ? stored.rev : 0) !== baseRev) {
      await tx.done;
      return { ok: false, conflict: stored ?? null };
    }
    const entry = { ...goalFields(goal), updated: new Date().toISOString(), rev: (stored ? stored.rev : 0) + 1 };
    tx.store.put(entry);
    await tx.done;
    tell({ type: "goal-saved", id: entry.id, caregiver: entry.caregiver, rev: entry.rev });
    return { ok: true, goal: entry };
  } catch (error) {
    return { ok: false, error };
  }
}

export async function deleteGoal(id) {
  const db = await open();
  const stored = await db.get(GOALS, id);
  await db.delete(GOALS, id);
  tell({ type: "goal-deleted", id, caregiver: stored ? stored.caregiver : null });
}

/**
 * Adds one goal from a backup without duplicating: a goal with the same id and the same fields
 * is skipped; one with the same id and other fields is kept, and this one added beside it under
 * a new id. Answers `{status: "added" | "skipped" | "kept-both", id}`.
 */
export async function mergeGoal(goal) {
  const db = await open();
  const tx = db.transaction(GOALS, "readwrite");
  const stored = await tx.store.get(goal.id);
  const fields = goalFields(goal);
  let status = "added";
  if (stored && JSON.stringify(goalFields(stored)) === JSON.stringify(fields)) {
    status = "skipped";
  } else {
    if (stored) {
      status = "kept-both";
      fields.id = newGoalId();
    }
    tx.store.put({ ...fields, updated: typeof goal.updated === "string" && goal.updated ? goal.updated : new Date().toISOString(), rev: 1 });
  }
  await tx.done;
  if (status !== "skipped") tell({ type: "goal-saved", id: fields.id, caregiver: fields.caregiver, rev: 1 });
  return { status, id: fields.id };
}

/**
 * Deletes one caregiver's data: in one transaction, every observation whose record lists the
 * caregiver id in `caregivers` (whoever else it lists), every record of another kind (a
 * reflection) for which `names(record)` is true (none unless given), and every goal of that
 * caregiver. Resolves to how many of each were deleted, `{observations, reflections, goals}`.
 */
export async function deleteCaregiver(id, names = () => false) {
  const db = await open();
  const tx = db.transaction([OBS, GOALS, META], "readwrite");
  const keys = [];
  let reflections = 0;
  for (let cursor = await tx.objectStore(OBS).openCursor(); cursor; cursor = await cursor.continue()) {
    const r = cursor.value.record;
    const observation = isObservation(cursor.value);
    if (observation ? r && Array.isArray(r.caregivers) && r.caregivers.some((c) => c && c.id === id) : r && names(r)) {
      keys.push(cursor.value.key);
      if (!observation) reflections += 1;
      cursor.delete();
    }
  }
  const goals = tx.objectStore(GOALS);
  const goalIds = await goals.index("caregiver").getAllKeys(id);
  for (const g of goalIds) goals.delete(g);
  const current = await tx.objectStore(META).get("current");
  if (keys.includes(current)) tx.objectStore(META).delete("current");
  await tx.done;
  for (const key of keys) tell({ type: "deleted", key });
  for (const g of goalIds) tell({ type: "goal-deleted", id: g, caregiver: id });
  return { observations: keys.length - reflections, reflections, goals: goalIds.length };
}
