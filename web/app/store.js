// Drafts kept in the browser (localStorage) until the coach exports them.
//
// Each draft is stored under its own key so one large record never forces the others to be
// rewritten. A draft holds the record exactly as the form last built it (or as it was imported),
// so export after import gives back the same JSON.

const PREFIX = "rubrica.draft.";
const INDEX = "rubrica.drafts";
const CURRENT = "rubrica.current";

function readJson(key, fallback) {
  try {
    const text = localStorage.getItem(key);
    return text === null ? fallback : JSON.parse(text);
  } catch {
    return fallback;
  }
}

function writeJson(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    // Storage full or disabled (private mode): the page keeps working without autosave.
    return false;
  }
}

/** Keys of every saved draft, most recently changed first. */
export function draftKeys() {
  const keys = readJson(INDEX, []);
  return Array.isArray(keys) ? keys.filter((k) => typeof k === "string") : [];
}

/** Every saved draft: `{key, record, updated}`. */
export function listDrafts() {
  return draftKeys()
    .map((k) => loadDraft(k))
    .filter(Boolean);
}

export function loadDraft(key) {
  const d = readJson(PREFIX + key, null);
  if (!d || typeof d !== "object" || !("record" in d)) return null;
  return { key, record: d.record, updated: d.updated || "" };
}

/** Saves a draft and moves it to the top of the list. Returns false when storage failed. */
export function saveDraft(key, record) {
  const ok = writeJson(PREFIX + key, { record, updated: new Date().toISOString() });
  const keys = draftKeys().filter((k) => k !== key);
  keys.unshift(key);
  writeJson(INDEX, keys);
  return ok;
}

export function deleteDraft(key) {
  try {
    localStorage.removeItem(PREFIX + key);
  } catch {
    /* nothing to do */
  }
  writeJson(
    INDEX,
    draftKeys().filter((k) => k !== key),
  );
  if (currentDraft() === key) setCurrentDraft(null);
}

export function newDraftKey() {
  const rand = Math.random().toString(36).slice(2, 8);
  return `d${Date.now().toString(36)}${rand}`;
}

/** The draft open when the page was last used, so a reload comes back to it. */
export function currentDraft() {
  return readJson(CURRENT, null);
}

export function setCurrentDraft(key) {
  if (key === null) {
    try {
      localStorage.removeItem(CURRENT);
    } catch {
      /* nothing to do */
    }
  } else {
    writeJson(CURRENT, key);
  }
}
