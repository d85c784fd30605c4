// Rubrica coach app: starts the engine, loads the rubrics, and switches between the observation
// list, the observation editor (form + live results) and the trainer view.
//
// All scoring is done by the engine (the wasm module); this file only moves data between the
// form, the browser's storage and the engine, and shows what comes back.

import { h, replace, download, announce } from "./dom.js";
import * as store from "./store.js";
import { LISTS, renderForm, readForm, blankRecord, showFieldErrors, fieldFor, focusTarget, useVocabulary, scoreBar } from "./form.js";
import { renderReport, diagnosticList } from "./render.js";
import { exportControl } from "./export.js";

const main = document.getElementById("main");
const state = {
  engine: null,
  bundle: [],
  examples: [],
  rubrics: [],
  bundleErrors: [],
  trainer: null,
  // The trainer view's code and the self-test cases, fetched when the trainer view first opens.
  trainerLoaded: null,
  // Saves the open editor's pending change; called before leaving the page or the editor.
  flush: () => {},
  // Whether the open editor has a change not yet written to the database.
  unsaved: () => false,
};

function today() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

function fileName(record, suffix) {
  const id = record && typeof record.id === "string" && record.id.trim() ? record.id.trim() : "observation";
  return `${id.replace(/[^A-Za-z0-9._-]+/g, "-")}${suffix}`;
}

function exportRecord(record) {
  download(fileName(record, ".json"), `${JSON.stringify(record, null, 2)}\n`);
}

// ---------------------------------------------------------------------------------------------
// Start-up

async function start() {
  replace(main, h("p", { class: "loading", "data-testid": "loading" }, "Loading the scoring engine…"));
  // The module, the rubrics and the examples are asked for at once; the module is compiled while
  // it downloads (`instantiateStreaming`: the server sends `application/wasm`).
  const engine = settle(import("./pkg/rubrica_web.js").then(async (mod) => (await mod.default(), mod)));
  const bundle = settle(fetchText("data/rubrics.json"));
  const examples = settle(fetchText("data/examples.json"));
  // The observations' database, opened (and any localStorage drafts moved into it) meanwhile.
  const opened = settle(store.open());
  const mod = await engine;
  if (mod.error) {
    fatal("The scoring engine could not be loaded.", "Build it with `cargo xtask build-web`, then reload this page.", mod.error);
    return;
  }
  state.engine = new mod.value.RubricaEngine();
  // The form offers the record's choices as the engine checks them.
  useVocabulary(mod.value.RubricaEngine.vocabulary());
  const version = mod.value.RubricaEngine.version ? mod.value.RubricaEngine.version() : "";
  document.getElementById("engine-version").textContent = version ? `Engine ${version}` : "";
  const bundleText = await bundle;
  if (bundleText.error) {
    fatal("The rubrics could not be loaded.", "data/rubrics.json is written by `cargo xtask build-web`.", bundleText.error);
    return;
  }
  // Rubrics without their self-test cases; the trainer view fetches those when it opens.
  state.bundle = JSON.parse(bundleText.value);
  const loaded = state.engine.loadBundle(bundleText.value);
  state.bundleErrors = loaded.errors || [];
  state.rubrics = state.engine.rubrics();
  const examplesText = await examples;
  state.examples = examplesText.error ? [] : JSON.parse(examplesText.value);
  state.storageError = (await opened).error ?? null;
  window.addEventListener("hashchange", route);
  window.addEventListener("pagehide", () => state.flush());
  // Saves are written a moment after the last keystroke and finish asynchronously: closing the
  // page meanwhile asks first, and starts the save at once, so the last edit is not lost.
  window.addEventListener("beforeunload", (e) => {
    if (!state.unsaved()) return;
    state.flush();
    e.preventDefault();
    e.returnValue = "";
  });
  // Ready once the first view is drawn from the stored observations.
  await route();
  document.body.dataset.ready = "true";
}

/** A promise's outcome as `{value}` or `{error}`, so one that fails early is never unhandled. */
function settle(promise) {
  return promise.then(
    (value) => ({ value }),
    (error) => ({ error }),
  );
}

async function fetchText(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.text();
}

function fatal(title, help, error) {
  replace(
    main,
    h(
      "div",
      { class: "notice error", role: "alert", "data-testid": "fatal" },
      h("h1", {}, title),
      h("p", {}, help),
      h("pre", {}, String(error && error.message ? error.message : error)),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Routing: #/ (observations), #/obs/<draft key>, #/people[/<kind>/<id>], #/goals/<caregiver>,
// #/agree, #/trends, #/report, #/trainer

async function route(event) {
  const hash = location.hash || "#/";
  // An in-page anchor such as the skip link's `#main` is not a view: stay where we are.
  if (!hash.startsWith("#/") && main.dataset.view) return;
  state.flush();
  state.flush = () => {};
  state.unsaved = () => false;
  for (const a of document.querySelectorAll("[data-nav]")) {
    const active = hash.startsWith(a.getAttribute("href")) && (a.getAttribute("href") !== "#/" || hash === "#/" || hash.startsWith("#/obs"));
    if (active) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  if (hash.startsWith("#/obs/")) {
    const key = decodePart(hash.slice(6));
    const draft = await store.loadDraft(key).catch(() => null);
    if ((location.hash || "#/") !== hash) return; // the user went elsewhere meanwhile
    if (draft) {
      store.setCurrentDraft(key).catch(() => {});
      showEditor(draft);
    } else {
      await showHome("That observation is no longer saved in this browser.");
    }
  } else if (hash === "#/trainer") {
    showTrainer();
  } else if (hash === "#/agree") {
    // two coaches' records of one visit compared
    showLazyView(hash, "./agree.js", "agreementView", { loading: "Loading the reliability view…", name: "The reliability view" });
  } else if (hash === "#/trends") {
    // a caregiver's, room's or home's visits over time
    showLazyView(hash, "./trends.js", "trendsView", { loading: "Loading the trends view…", name: "The trends view" });
  } else if (hash === "#/report") {
    // one caregiver's report to print
    showLazyView(hash, "./coaching-report.js", "coachingReportView", { loading: "Loading the coaching report…", name: "The coaching report" });
  } else if (hash === "#/people" || hash.startsWith("#/people/")) {
    // #/people (every caregiver, room and home) or #/people/<kind>/<id> (one of them)
    const [kind, id] = hash.slice("#/people/".length).split("/").map(decodePart);
    showLazyView(hash, "./people.js", "peopleView", { loading: "Loading people and places…", name: "The people view", params: { kind: kind || null, id: id ?? null } });
  } else if (hash.startsWith("#/goals/")) {
    // #/goals/<caregiver id>: that caregiver's shared goals and action plans
    showLazyView(hash, "./goals.js", "goalsView", { loading: "Loading goals…", name: "The goals view", params: { caregiver: decodePart(hash.slice("#/goals/".length)) } });
  } else {
    await showHome();
  }
  document.title = `${document.querySelector("#main h1")?.textContent ?? "Observations"} · Rubrica`;
  main.dataset.view = hash.startsWith("#/obs/")
    ? "observation"
    : hash === "#/trainer"
      ? "trainer"
      : hash === "#/agree"
        ? "reliability"
        : hash === "#/trends"
          ? "trends"
          : hash === "#/report"
            ? "report"
            : hash === "#/people" || hash.startsWith("#/people/")
              ? "people"
              : hash.startsWith("#/goals/")
                ? "goals"
                : "observations";
  // A new view (not the first page load): its heading takes the focus, so a screen reader reads
  // where the user now is and the keyboard starts from the top of the new content.
  if (event) focusHeading();
}

/** A part of the address as the app wrote it; one typed with a broken `%` escape is taken as it is. */
function decodePart(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function focusHeading() {
  const heading = main.querySelector("h1");
  if (!heading) return;
  heading.setAttribute("tabindex", "-1");
  heading.focus({ preventScroll: true });
  window.scrollTo(0, 0);
}

function openDraft(key) {
  const target = `#/obs/${encodeURIComponent(key)}`;
  if (location.hash === target) route();
  else location.hash = target;
}

/** Saves `record` as a new observation; resolves to its key, rejects when it could not be saved. */
async function newDraft(record) {
  const key = store.newDraftKey();
  const saved = await store.saveDraft(key, record);
  if (!saved.ok) throw saved.error ?? new Error("not saved");
  return key;
}

function storageFailed(e) {
  announce(`Not saved: this browser's storage is full or turned off (${e && e.message ? e.message : e})`);
}

/**
 * Opens an example; when an observation with the example's id is saved already, opens that one
 * (also when another tab saves it at the same moment: one look-and-add in the store).
 */
async function openExample(ex) {
  const { key, added } = await store.findOrAdd(structuredClone(ex.record));
  if (!added) announce(`${ex.record.id} is already saved in this browser; opened it`);
  openDraft(key);
}

// ---------------------------------------------------------------------------------------------
// Observation list

async function showHome(message, imported) {
  const at = location.hash;
  let drafts = [];
  try {
    drafts = await store.listDrafts();
  } catch (e) {
    state.storageError = e;
  }
  if (location.hash !== at) return; // the user went elsewhere meanwhile
  const fileInput = h("input", {
    type: "file",
    id: "import-file",
    accept: ".json,application/json",
    multiple: true,
    tabindex: "-1",
    "aria-label": "Record files to import",
    class: "visually-hidden",
    "data-testid": "import-file",
    onchange: (e) => {
      const files = [...e.target.files];
      e.target.value = ""; // so choosing the same file again imports it again
      importFiles(files);
    },
  });
  const listSlot = h("div", { class: "draft-list-slot" }, draftList(drafts));
  // Not a live region: a quiet line saying the list was brought up to date by another tab.
  const refreshed = h("p", { class: "muted small", "data-testid": "list-refreshed", hidden: true });
  const data = dataSection(drafts.length);
  // Another tab saved, imported, deleted or deleted everything: the list is read again (once for a
  // burst of messages) and drawn in place; the focus stays on the control it was on.
  let again = null;
  const stopListening = store.onChange((m) => {
    if (!listSlot.isConnected) return stopListening();
    if (m.type !== "saved" && m.type !== "deleted" && m.type !== "cleared") return; // goals are not listed here
    again ??= new Promise((resolve) => setTimeout(resolve, 60)).then(async () => {
      again = null;
      let fresh;
      try {
        fresh = await store.listDrafts();
      } catch {
        return; // the list stays as it was; the next message tries again
      }
      if (!listSlot.isConnected) return;
      const active = document.activeElement;
      const inList = active && listSlot.contains(active);
      const row = inList ? active.closest("[data-testid=draft-row]") : null;
      const action = inList ? active.dataset.action : undefined;
      replace(listSlot, draftList(fresh));
      data.update(fresh.length);
      refreshed.hidden = false;
      refreshed.textContent = `List updated from another tab at ${new Date().toLocaleTimeString()}.`;
      if (inList) {
        const same = row && listSlot.querySelector(`[data-testid=draft-row][data-key="${CSS.escape(row.dataset.key)}"] [data-action="${action}"]`);
        const target = same || listSlot.closest("section").querySelector("h2");
        if (!same) target.setAttribute("tabindex", "-1");
        target.focus({ preventScroll: true });
      }
    });
  });

  replace(
    main,
    h("h1", {}, "Observations"),
    message ? h("p", { class: "notice", role: "status" }, message) : null,
    imported ? importReport(imported) : null,
    storageNotice(),
    state.bundleErrors.length
      ? h("div", { class: "notice error", role: "alert" }, h("p", {}, "Some rubrics did not load:"), diagnosticList(state.bundleErrors))
      : null,
    h(
      "div",
      { class: "actions home-actions" },
      h(
        "button",
        {
          type: "button",
          class: "primary",
          "data-testid": "new-observation",
          onclick: () => newDraft(blankRecord(today())).then(openDraft, storageFailed),
        },
        "New observation",
      ),
      state.examples.map((ex, i) =>
        h(
          "button",
          {
            type: "button",
            "data-testid": i === 0 ? "open-example" : `open-example-${ex.name}`,
            "data-example": ex.name,
            onclick: () => openExample(ex).catch(storageFailed),
          },
          `Open example: ${ex.name}`,
        ),
      ),
      h("button", { type: "button", "data-testid": "import-record", onclick: () => fileInput.click() }, "Import records or a backup…"),
      fileInput,
    ),
    h(
      "section",
      { "aria-labelledby": "drafts-h" },
      h("h2", { id: "drafts-h" }, "Saved in this browser"),
      listSlot,
      refreshed,
      h("p", { class: "muted small" }, "Observations stay in this browser until you export them. Nothing is sent anywhere."),
    ),
    data.el,
    h(
      "section",
      { "aria-labelledby": "rubrics-h" },
      h("h2", { id: "rubrics-h" }, "Practices and rubrics"),
      h(
        "ul",
        { class: "rubric-list", "data-testid": "rubric-list" },
        state.rubrics.map((r) =>
          h(
            "li",
            {},
            h("h3", { "data-testid": "rubric-title" }, r.title),
            h("p", { class: "muted small" }, `${r.id} · version ${r.version} · ${r.meta.indicators.length} indicators · ${r.meta.items.length} items`),
            h("p", {}, r.summary),
          ),
        ),
      ),
    ),
  );
}

/** The saved observations as a table (one row each, with Export and Delete), or a line saying there are none. */
function draftList(drafts) {
  const rows = drafts.map((d) => {
    const r = d.record && typeof d.record === "object" ? d.record : {};
    const children = Array.isArray(r.children) ? r.children.length : 0;
    const label = typeof r.id === "string" && r.id ? r.id : "(no id yet)";
    return h(
      "tr",
      { "data-testid": "draft-row", "data-key": d.key },
      h("th", { scope: "row" }, h("a", { href: `#/obs/${encodeURIComponent(d.key)}`, "data-testid": "open-draft", "data-action": "open" }, label)),
      h("td", {}, typeof r.observed_on === "string" ? r.observed_on : ""),
      h("td", {}, r.setting === "family-child-care" ? "Family child care" : r.setting === "center" ? "Center" : ""),
      h("td", { class: "num" }, String(children)),
      h("td", {}, d.updated ? new Date(d.updated).toLocaleString() : ""),
      h(
        "td",
        { class: "row-actions" },
        h("button", { type: "button", class: "small", "data-action": "export", onclick: () => exportRecord(d.record), "aria-label": `Export ${label}` }, "Export"),
        h(
          "button",
          {
            type: "button",
            class: "small quiet danger",
            "data-action": "delete",
            "aria-label": `Delete ${label}`,
            onclick: () => {
              if (confirm(`Delete the observation ${label} from this browser? Export it first to keep a copy.`)) {
                store.deleteDraft(d.key).then(() => {
                  showHome();
                  announce(`Deleted ${label}`);
                }, storageFailed);
              }
            },
          },
          "Delete",
        ),
      ),
    );
  });

  return drafts.length
    ? h(
        "div",
        { class: "table-wrap" },
        h(
          "table",
          { class: "drafts", "data-testid": "draft-list" },
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              ["Record", "Date", "Setting", "Children", "Last saved", "Actions"].map((t) => h("th", { scope: "col" }, t)),
            ),
          ),
          h("tbody", {}, rows),
        ),
      )
    : h("p", { class: "muted", "data-testid": "draft-list-empty" }, "No observations yet. Start a new one, open an example, or import a record file.");
}

/**
 * Imports record files and backups (`rubrica.backup/1`) without adding anything twice: a record
 * already saved with the same id and the same content is skipped; the same id with other content
 * is kept beside it, and the coach is told. Each file's outcome is listed on the observation list,
 * a file that cannot be imported with the reason (line:column or JSON path). One record from one
 * file opens at once.
 */
async function importFiles(files) {
  const outcomes = [];
  const keys = [];
  for (const file of files) {
    const out = { file: file.name, added: 0, skipped: 0, both: 0, error: null, notes: [] };
    outcomes.push(out);
    try {
      await importFile(await file.text(), out, keys);
    } catch (e) {
      out.error = `could not be saved: ${e && e.message ? e.message : e}`;
    }
  }
  const count = (k) => outcomes.reduce((n, o) => n + o[k], 0);
  const failed = outcomes.filter((o) => o.error).length;
  const summary = [
    `Imported ${count("added") + count("both")} record(s)`,
    count("skipped") ? `${count("skipped")} already saved (skipped)` : null,
    count("both") ? `${count("both")} kept beside a different version with the same id` : null,
    count("goals") ? `${count("goals")} goal(s) added` : null,
    failed ? `${failed} file(s) not imported` : null,
  ].filter(Boolean).join("; ");
  if (files.length === 1 && keys.length === 1 && !failed && !outcomes[0].notes.length) {
    announce(outcomes[0].skipped ? `${summary}; opened the saved one` : summary);
    openDraft(keys[0]);
  } else {
    announce(summary);
    if (location.hash !== "#/" && location.hash !== "") location.hash = "#/";
    await showHome(undefined, outcomes);
  }
}

/** One file's text: records (one, a list, or `{record}` items) or a backup, merged into the store. */
async function importFile(text, out, keys) {
  let value;
  try {
    value = JSON.parse(text);
  } catch (e) {
    // The engine's reading of the same text says where (line:column) and what to change.
    const d = state.engine.validateRecord(text);
    const err = d && d.type === "failure" && d.errors[0];
    out.error = err && err.line ? `line ${err.line}:${err.column}: ${err.message}${err.help ? ` (${err.help})` : ""}` : `not JSON: ${e.message}`;
    return;
  }
  const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
  const kind = (v) => (v === null ? "null" : Array.isArray(v) ? "a list" : typeof v);
  if (isObject(value) && typeof value.format === "string" && value.format.startsWith("rubrica.backup/")) {
    if (value.format !== store.BACKUP_FORMAT) {
      out.error = `/format: "${value.format}" is a backup this version of the app cannot read (it reads "${store.BACKUP_FORMAT}")`;
      return;
    }
    if (!Array.isArray(value.observations)) {
      out.error = `/observations: expected the list of observations, found ${kind(value.observations)}`;
      return;
    }
    for (const [i, o] of value.observations.entries()) {
      const at = `/observations/${i}`;
      if (!isObject(o) || typeof o.id !== "string" || !o.id || !isObject(o.record)) {
        const where = !isObject(o) ? at : typeof o.id !== "string" || !o.id ? `${at}/id` : `${at}/record`;
        out.notes.push(`${where}: not imported: expected an observation {"id": "…", "updated": "…", "record": {…}}`);
        continue;
      }
      const res = await store.mergeEntry({ id: o.id, updated: typeof o.updated === "string" ? o.updated : "", record: o.record });
      tally(out, res, keys, at, o.record);
    }
    // Shared goals (backups written since goals were kept; an older backup has none).
    if (value.goals !== undefined && !Array.isArray(value.goals)) out.notes.push(`/goals: not imported: expected the list of goals, found ${kind(value.goals)}`);
    for (const [i, g] of (Array.isArray(value.goals) ? value.goals : []).entries()) {
      const problems = store.goalProblems(g, `/goals/${i}`);
      if (problems.length) {
        out.notes.push(`${problems[0].path}: goal not imported: ${problems[0].message}`);
        continue;
      }
      const res = await store.mergeGoal(g);
      if (res.status === "added") out.goals = (out.goals || 0) + 1;
      else if (res.status === "kept-both") out.notes.push(`/goals/${i}: the goal ${g.id} is saved already with different content; both versions are kept`);
    }
    return;
  }
  const items = Array.isArray(value) ? value.map((v, i) => (isObject(v) && isObject(v.record) ? [`/${i}/record`, v.record] : [`/${i}`, v])) : [["", value]];
  if (!items.length) out.error = "/: an empty list, no records";
  for (const [at, r] of items) {
    if (!isObject(r)) {
      const reason = `${at || "/"}: a record is a JSON object, found ${kind(r)}`;
      if (items.length === 1) out.error = reason;
      else out.notes.push(`${reason}; not imported`);
      continue;
    }
    tally(out, await store.mergeRecord(r), keys, at, r);
    // Imported as it is (the form shows what is wrong); the coach is told here too.
    const valid = state.engine.validateRecord(JSON.stringify(r));
    if (valid.type === "failure") {
      const errs = valid.errors;
      const shown = errs.slice(0, 3).map((d) => `${at}${d.path ?? ""}: ${d.message}`).join("; ");
      out.notes.push(`${at || "/"}: ${errs.length} problem(s) in the record: ${shown}${errs.length > 3 ? "; …" : ""}`);
    }
  }
}

function tally(out, res, keys, at, record) {
  const id = typeof record.id === "string" && record.id ? record.id : "(no id)";
  if (res.status === "skipped") out.skipped += 1;
  else if (res.status === "kept-both") {
    out.both += 1;
    out.notes.push(`${at || "/"}: ${id} is saved already with different content; both versions are kept`);
  } else out.added += 1;
  keys.push(res.key);
}

/** The outcome of each imported file, listed on the observation list. */
function importReport(outcomes) {
  const trouble = outcomes.some((o) => o.error || o.notes.length);
  return h(
    "section",
    { class: `notice ${trouble ? "error" : "ok"}`, role: trouble ? "alert" : "status", "aria-labelledby": "import-h", "data-testid": "import-report" },
    h("h2", { id: "import-h" }, "Import"),
    h(
      "ul",
      {},
      outcomes.map((o) =>
        h(
          "li",
          { "data-testid": "import-outcome", "data-state": o.error ? "failed" : o.notes.length ? "notes" : "ok" },
          h("strong", {}, o.file),
          ": ",
          o.error
            ? `not imported: ${o.error}`
            : [`${o.added + o.both} imported`, o.skipped ? `, ${o.skipped} already saved (skipped)` : "", o.both ? `, ${o.both} kept beside a different version` : "", o.goals ? `, ${o.goals} goal(s) added` : ""].join(""),
          o.notes.length ? h("ul", {}, o.notes.map((n) => h("li", {}, n))) : null,
        ),
      ),
    ),
  );
}

/** Tells when this browser's storage cannot be used, or when old drafts were left where they were. */
function storageNotice() {
  if (state.storageError) {
    return h(
      "p",
      { class: "notice error", role: "alert", "data-testid": "storage-error" },
      `This browser's storage cannot be used, so nothing is saved (${state.storageError.message ?? state.storageError}). Export what you record.`,
    );
  }
  const kept = store.migration ? store.migration.kept : [];
  return kept.length
    ? h(
        "p",
        { class: "notice", role: "status", "data-testid": "migration-kept" },
        `${kept.length} draft(s) saved by an earlier version could not be read and are left as they were in this browser's localStorage (rubrica.draft.*): ${kept.join(", ")}.`,
      )
    : null;
}

/**
 * Back up everything to one file, and delete everything (after a confirmation). Answers `{el,
 * update(count)}`: `update` follows the number of saved observations when another tab changes it.
 */
function dataSection(count) {
  const slot = h("div", { class: "confirm-slot" });
  const question = () => `Delete all ${count} observation(s), and every shared goal, from this browser?`;
  const deleteAll = h(
    "button",
    {
      type: "button",
      class: "quiet danger",
      "data-testid": "delete-all",
      onclick: () => {
        const cancel = () => {
          replace(slot);
          deleteAll.focus();
        };
        const box = h(
          "div",
          { class: "notice error", role: "alert", tabindex: "-1", "aria-labelledby": "delete-all-h", "data-testid": "delete-all-confirm" },
          h("h3", { id: "delete-all-h" }, question()),
          h("p", {}, "This cannot be undone. Back up everything first to keep a copy."),
          h(
            "div",
            { class: "actions" },
            h(
              "button",
              {
                type: "button",
                class: "danger",
                "data-testid": "delete-all-yes",
                onclick: () =>
                  store.deleteAll().then(async () => {
                    await showHome();
                    announce("Deleted every observation and goal from this browser");
                    focusHeading();
                  }, storageFailed),
              },
              "Delete everything",
            ),
            h("button", { type: "button", "data-testid": "delete-all-no", onclick: cancel }, "Cancel"),
          ),
        );
        replace(slot, box);
        box.focus();
      },
    },
    "Delete all data…",
  );
  const actions = h(
    "div",
    { class: "actions" },
    h("button", { type: "button", "data-testid": "backup", onclick: downloadBackup }, "Back up everything"),
    count ? deleteAll : null,
  );
  const update = (n) => {
    count = n;
    const heading = slot.querySelector("#delete-all-h");
    if (heading) heading.textContent = question();
    if (count && !deleteAll.isConnected) actions.append(deleteAll);
    if (!count && deleteAll.isConnected) {
      const hadFocus = slot.contains(document.activeElement) || document.activeElement === deleteAll;
      deleteAll.remove();
      replace(slot);
      if (hadFocus) actions.querySelector("[data-testid=backup]").focus({ preventScroll: true });
    }
  };
  const el = h(
    "section",
    { "aria-labelledby": "data-h" },
    h("h2", { id: "data-h" }, "Back up and restore"),
    h(
      "p",
      { class: "muted small" },
      "A backup is one file with every observation and shared goal saved in this browser. Importing it (Import records or a backup…) adds what is missing and skips what is already here.",
    ),
    actions,
    slot,
  );
  return { el, update };
}

async function downloadBackup() {
  try {
    const data = await store.backup();
    download(`rubrica-backup-${today()}.json`, `${JSON.stringify(data, null, 2)}\n`);
    announce(`Backed up ${data.observations.length} observation(s) and ${data.goals.length} goal(s)`);
  } catch (e) {
    storageFailed(e);
  }
}

// ---------------------------------------------------------------------------------------------
// Observation editor

// A line for the next editor of observation `key` to show when it opens: `{key, text}`, or null.
let editorNotice = null;

function showEditor(draft) {
  const key = draft.key;
  let record = draft.record;
  let selected = null;
  let timer = null;
  let seq = 0;
  // The revision this page's copy started from; a save from an older one is refused (another tab
  // saved since), and the coach chooses what to keep.
  let rev = draft.rev;
  let saving = Promise.resolve(); // saves run one after another
  let inFlight = 0;
  let conflict = null; // the other tab's newer version, while the coach chooses; saves wait
  let closed = false; // left for a copy ("keep both"), or closed: this editor saves no more
  let removed = false; // deleted in another tab, while the coach chooses; saves wait
  const conflictSlot = h("div", { class: "conflict-slot" });
  if (editorNotice && editorNotice.key === key) {
    conflictSlot.append(h("p", { class: "notice ok", role: "status", "data-testid": "editor-notice" }, editorNotice.text));
  }
  editorNotice = null;
  // The fields the coach has left: until then an empty field is only "not filled in yet". Once
  // the coach tries to finish (export, report, print), every problem shows as one.
  const touched = new Set();
  let finishing = false;
  // The last scoring's diagnostics and status line, marked again when a field is left.
  let shown = [];
  let statusBase = [];

  const form = h("form", { class: "obs-form", "data-testid": "observation-form", novalidate: true, onsubmit: (e) => e.preventDefault() });
  // Not a live region: it changes with every keystroke; only a failure to save is announced.
  const saveState = h("span", { class: "save-state muted small", "data-testid": "save-state" }, "Saved in this browser");
  const heading = h("h1", { "data-testid": "record-title" });
  const status = h("div", { class: "record-status", "data-testid": "record-status" });
  const problems = h("div", { class: "problems" });
  // The caregivers' active shared goals at this visit (goals.js, loaded when first needed).
  const goalsSlot = h("div", { class: "goals-slot" });
  let goalsTimer = null;
  let goalsSeq = 0;
  const report = h("div", { class: "report" });
  const results = h(
    "section",
    { class: "results", id: "results", "aria-labelledby": "results-h", "data-testid": "results" },
    h(
      "div",
      { class: "results-head" },
      h("h2", { id: "results-h" }, "Results"),
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", class: "small", "data-testid": "download-report", onclick: downloadReport }, "Report JSON"),
        h("button", { type: "button", class: "small", "data-testid": "download-text", onclick: downloadText }, "Report text"),
        h("button", { type: "button", class: "small", onclick: () => (finish(), window.print()) }, "Print"),
        exportControl(() => (finish(), flush(), record), () => state.engine),
      ),
    ),
    status,
    problems,
    goalsSlot,
    report,
  );

  const actions = {
    add(list) {
      record = readForm(form, record, state.rubrics);
      const arr = Array.isArray(record[list]) ? record[list] : [];
      record[list] = [...arr, LISTS[list].blank()];
      redraw();
      const rows = form.querySelectorAll(`[data-list="${list}"] > fieldset.row`);
      focusTarget(rows[rows.length - 1])?.focus();
      changed();
    },
    remove(list, index) {
      record = readForm(form, record, state.rubrics);
      if (Array.isArray(record[list])) record[list].splice(index, 1);
      redraw();
      form.querySelector(`[data-testid="add-${list}"]`)?.focus();
      changed();
    },
  };

  function redraw() {
    replace(form, renderForm(record, state.rubrics, actions));
  }

  function title() {
    replace(heading, typeof record.id === "string" && record.id ? record.id : "New observation");
    document.title = `${heading.textContent} · Rubrica`;
  }

  function changed() {
    results.dataset.pending = "true";
    clearTimeout(timer);
    timer = setTimeout(update, 120);
  }

  // Applies a pending change at once, so a download never lags behind the last keystroke.
  function flush() {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
      update();
    }
  }

  function update() {
    timer = null;
    record = readForm(form, record, state.rubrics);
    save();
    const list = form.querySelector("#caregiver-ids");
    if (list) {
      replace(list, (record.caregivers || []).map((c) => (c && typeof c.id === "string" && c.id ? h("option", { value: c.id }) : null)));
    }
    title();
    score();
  }

  function showSaved(ok, text) {
    saveState.textContent = text;
    if (!ok && saveState.dataset.saved !== "false") announce(text);
    saveState.dataset.saved = ok ? "true" : "false";
  }

  /** Saves `record` from revision `rev`; `data-pending` on the save state is "true" meanwhile. */
  function save() {
    inFlight += 1;
    saveState.dataset.pending = "true";
    saving = saving
      .then(async () => {
        if (closed) return;
        if (conflict) {
          showSaved(false, "Not saved: this observation was changed in another tab; choose above what to keep");
          return;
        }
        if (removed) {
          showSaved(false, "Not saved: this observation was deleted in another tab; choose above what to do with your copy");
          return;
        }
        const answer = await store.saveDraft(key, record, rev);
        if (answer.ok) {
          rev = answer.rev;
          showSaved(true, `Saved in this browser at ${new Date().toLocaleTimeString()}`);
        } else if (answer.deleted) {
          showDeleted();
          showSaved(false, "Not saved: this observation was deleted in another tab; choose above what to do with your copy");
        } else if (answer.conflict) {
          showConflict(answer.conflict);
          showSaved(false, "Not saved: this observation was changed in another tab; choose above what to keep");
        } else {
          showSaved(false, "Not saved: this browser's storage is full or turned off");
        }
      })
      .finally(() => {
        inFlight -= 1;
        saveState.dataset.pending = String(inFlight > 0);
      });
  }

  saveState.dataset.pending = "false";
  // Another tab saved this observation, deleted it, or deleted everything: the coach is told at
  // once and chooses. What is stored decides (after this page's own saves have landed): another
  // revision is a conflict (also one saved anew after a delete), nothing stored is a delete.
  const stopListening = store.onChange((m) => {
    if (!form.isConnected) return stopListening();
    const gone = m.type === "cleared" || (m.type === "deleted" && m.key === key);
    const other = m.type === "saved" && m.key === key && m.rev !== rev;
    if (closed || !(gone || other)) return;
    saving = saving.then(async () => {
      const theirs = await store.loadDraft(key).catch(() => undefined);
      if (closed || !form.isConnected || theirs === undefined) return;
      if (theirs === null) showDeleted();
      else if (theirs.rev !== rev) showConflict(theirs);
    });
  });

  /** Deleted in another tab: nothing more is saved here until the coach keeps a copy or closes it. */
  function showDeleted() {
    if (removed) return;
    removed = true;
    conflict = null;
    const box = h(
      "div",
      { class: "notice error conflict", role: "alert", tabindex: "-1", "aria-labelledby": "deleted-h", "data-testid": "deleted" },
      h("h2", { id: "deleted-h" }, "Deleted in another tab"),
      h(
        "p",
        {},
        "This observation was deleted in another tab or window. Your copy here is not saved any more: keep it as a new observation, or close it (it stays deleted).",
      ),
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", "data-testid": "deleted-keep", onclick: keepCopy }, "Keep my copy as a new observation"),
        h("button", { type: "button", "data-testid": "deleted-close", onclick: closeDeleted }, "Close it"),
      ),
    );
    replace(conflictSlot, box);
    box.focus();
  }

  async function keepCopy() {
    clearTimeout(timer);
    timer = null;
    const mine = readForm(form, record, state.rubrics);
    closed = true;
    try {
      const copy = await newDraft(mine);
      const text = "Your copy of the deleted observation is saved as a new observation";
      editorNotice = { key: copy, text };
      announce(text);
      openDraft(copy);
    } catch (e) {
      closed = false;
      storageFailed(e);
    }
  }

  function closeDeleted() {
    clearTimeout(timer);
    timer = null;
    closed = true;
    announce("Closed; the observation stays deleted");
    location.hash = "#/";
  }

  function showConflict(theirs) {
    const first = conflict === null;
    removed = false;
    conflict = theirs;
    const when = theirs.updated ? ` at ${new Date(theirs.updated).toLocaleTimeString()}` : "";
    const box = h(
      "div",
      { class: "notice error conflict", role: "alert", tabindex: "-1", "aria-labelledby": "conflict-h", "data-testid": "conflict" },
      h("h2", { id: "conflict-h" }, "Changed in another tab"),
      h(
        "p",
        {},
        `This observation was saved in another tab or window${when}, after this page last saved it. Nothing more is saved here until you choose which version to keep.`,
      ),
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", "data-testid": "conflict-mine", onclick: keepMine }, "Keep mine (replace the other version)"),
        h("button", { type: "button", "data-testid": "conflict-theirs", onclick: takeTheirs }, "Take theirs (drop my changes here)"),
        h("button", { type: "button", "data-testid": "conflict-both", onclick: keepBoth }, "Keep both (save mine as a copy)"),
      ),
    );
    replace(conflictSlot, box);
    if (first) box.focus();
  }

  function resolved(text) {
    conflict = null;
    replace(conflictSlot);
    announce(text);
    focusHeading();
  }

  function keepMine() {
    clearTimeout(timer);
    timer = null;
    record = readForm(form, record, state.rubrics);
    rev = conflict.rev;
    resolved("Kept your version; it replaces the one saved in the other tab");
    save();
    title();
    score();
  }

  function takeTheirs() {
    clearTimeout(timer);
    timer = null;
    record = conflict.record;
    rev = conflict.rev;
    redraw();
    title();
    score();
    showSaved(true, "Showing the version saved in the other tab");
    resolved("Took the version saved in the other tab");
  }

  async function keepBoth() {
    clearTimeout(timer);
    timer = null;
    const mine = readForm(form, record, state.rubrics);
    closed = true;
    try {
      // The copy gets a record id of its own, so the two versions stay apart in exports, trends
      // and agreement.
      const was = mine.id;
      mine.id = await store.copyRecordId(mine.id);
      const copy = await newDraft(mine);
      const text =
        mine.id !== was
          ? `Your version is saved as a copy with the record id ${mine.id} (the other tab's version keeps ${was}, as it was)`
          : "Your version is saved as a copy; the other tab's version is kept as it was";
      editorNotice = { key: copy, text };
      announce(text);
      openDraft(copy);
    } catch (e) {
      closed = false;
      storageFailed(e);
    }
  }

  function locate(path) {
    const el = fieldFor(form, path);
    if (!el) return null;
    return () => reveal(el);
  }

  function reveal(el) {
    el.scrollIntoView({ block: "center", behavior: "smooth" });
    const t = focusTarget(el);
    if (t) t.focus({ preventScroll: true });
    el.classList.remove("flash");
    void el.offsetWidth;
    el.classList.add("flash");
  }

  function onEvidence(rubricId, p) {
    const path = p.startsWith("/") ? p : `/items/${rubricId}/${p}`;
    const el = fieldFor(form, path);
    if (el) reveal(el);
  }

  function score() {
    seq += 1;
    const text = JSON.stringify(record);
    const valid = state.engine.validateRecord(text);
    let diagnostics;
    if (valid.type !== "success") {
      diagnostics = valid.errors;
      results.dataset.state = "invalid";
      replace(
        status,
        h("p", { class: "notice error" }, h("strong", {}, `${valid.errors.length} problem(s) in the record.`), " Fix them to see the results; each one is also shown beside its field."),
      );
      replace(report);
    } else {
      const answer = state.engine.evaluateAll(text);
      if (answer.type !== "success") {
        diagnostics = answer.errors;
        results.dataset.state = "invalid";
        replace(status, h("p", { class: "notice error" }, `${answer.errors.length} problem(s) in the record.`));
        replace(report);
      } else {
        const rep = answer.report;
        diagnostics = [...rep.warnings];
        for (const p of rep.practices) {
          if (p.type === "failure") diagnostics.push(...p.errors);
          else diagnostics.push(...p.result.warnings);
        }
        const failed = rep.practices.filter((p) => p.type === "failure").length;
        results.dataset.state = "scored";
        replace(
          status,
          h(
            "p",
            { class: `notice ${failed ? "error" : "ok"}` },
            failed
              ? `${failed} practice(s) could not be scored; see the problems below.`
              : `Scored with ${rep.practices.length} rubric(s). Results update as you type.`,
          ),
        );
        const handlers = {
          onSelect: (id) => {
            selected = renderReport(report, rep, id, handlers);
            report.querySelector(`[data-testid="practice-card-${CSS.escape(id)}"]`)?.focus();
          },
          onEvidence,
          locate,
        };
        selected = renderReport(report, rep, selected, handlers);
      }
    }
    replace(
      problems,
      diagnostics.length ? [h("h3", {}, "Problems and warnings"), diagnosticList(diagnostics, locate)] : null,
    );
    shown = diagnostics;
    statusBase = [...status.childNodes];
    marks();
    results.dataset.seq = String(seq);
    results.dataset.pending = "false";
    results.dataset.problems = String(diagnostics.length);
    showGoals();
  }

  /** Redraws the goals panel a moment after the last scoring (it reads every saved visit). */
  function showGoals() {
    clearTimeout(goalsTimer);
    goalsSlot.dataset.pending = "true";
    goalsTimer = setTimeout(() => {
      const at = (goalsSeq += 1);
      const shown = record;
      import("./goals.js")
        .then((m) => m.goalProgressPanel({ engine: state.engine, rubrics: state.rubrics }, shown, key))
        .then((panel) => {
          if (at !== goalsSeq || !goalsSlot.isConnected) return;
          replace(goalsSlot, panel);
          goalsSlot.dataset.pending = "false";
        })
        .catch(() => {
          if (at === goalsSeq) (replace(goalsSlot), (goalsSlot.dataset.pending = "false"));
        });
    }, 300);
  }

  /**
   * Places the diagnostics beside their fields; an empty field the coach has not left is only
   * "not filled in yet". Changes the problem list and the status in place (no redraw), so a
   * click that left a field still lands on what was clicked.
   */
  function marks() {
    const placed = showFieldErrors(form, shown, (path) => finishing || touched.has(path));
    const items = problems.querySelectorAll("[data-testid=problem]");
    let waiting = 0;
    shown.forEach((d, i) => {
      if (placed[i].pending) waiting += 1;
      const kind = d.severity === "warning" ? "warning" : placed[i].pending ? "pending" : "error";
      if (!items[i]) return;
      items[i].className = kind;
      items[i].querySelector(".badge.sev").textContent = kind === "pending" ? "not filled in yet" : kind;
    });
    const onlyWaiting = waiting > 0 && shown.every((d, i) => d.severity === "warning" || placed[i].pending);
    if (onlyWaiting) {
      replace(status, h("p", { class: "notice" }, h("strong", {}, `${waiting} field(s) not filled in yet.`), " Fill them in to see the results."));
    } else {
      replace(status, ...statusBase);
    }
    results.dataset.waiting = String(waiting);
    bar.say(status.textContent);
  }

  /** The coach tries to finish: every problem shows as one, empty fields included. */
  function finish() {
    if (finishing) return;
    finishing = true;
    if (timer === null) marks();
  }

  function downloadReport() {
    finish();
    flush();
    const text = state.engine.reportJson(JSON.stringify(record));
    download(fileName(record, "-report.json"), text);
  }

  function downloadText() {
    finish();
    flush();
    const text = state.engine.reportText(JSON.stringify(record));
    download(fileName(record, "-report.txt"), typeof text === "string" ? text : JSON.stringify(text, null, 2), "text/plain");
  }

  state.flush = flush;
  // Deleted in another tab, this page's copy is saved nowhere until the coach keeps it: closing asks.
  state.unsaved = () => !closed && (removed || timer !== null || inFlight > 0);
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  // Leaving a field shows what is wrong with it (a pending change is scored when it lands).
  form.addEventListener("focusout", (e) => {
    const path = e.target.closest?.("[data-path]")?.dataset.path;
    if (path === undefined || touched.has(path)) return;
    touched.add(path);
    if (timer === null) marks();
  });

  // On a phone the results follow a long form: a bar at the bottom jumps there and back.
  const bar = scoreBar(results, results.querySelector("h2"), form);

  const sectionNav = h(
    "nav",
    { class: "section-nav", "aria-label": "Form sections" },
    h(
      "ul",
      {},
      [["section-visit", "Visit"], ["section-group", "Group"], ...state.rubrics.map((r) => [`section-${r.id}`, r.title]), ["section-more", "Interviews and notes"], ["results", "Results"]].map(
        ([id, label]) =>
          h(
            "li",
            {},
            h(
              "a",
              {
                href: `#${id}`,
                onclick: (e) => {
                  e.preventDefault();
                  const target = document.getElementById(id);
                  target?.scrollIntoView({ behavior: "smooth", block: "start" });
                  target?.querySelector("h2")?.setAttribute("tabindex", "-1");
                  target?.querySelector("h2")?.focus({ preventScroll: true });
                },
              },
              label,
            ),
          ),
      ),
    ),
  );

  replace(
    main,
    h(
      "div",
      { class: "editor-head" },
      h("div", {}, h("a", { href: "#/", class: "back" }, "← All observations"), heading, saveState),
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", "data-testid": "export-record", onclick: () => (finish(), flush(), exportRecord(record)) }, "Export record"),
      ),
    ),
    conflictSlot,
    sectionNav,
    h("div", { class: "editor-layout" }, h("div", { class: "form-col" }, form), results),
    bar.el,
  );
  redraw();
  title();
  score();
}

// ---------------------------------------------------------------------------------------------
// Views in modules of their own, loaded when first opened: `module[exportName](ctx)` resolves to
// the view's element. `ctx` is `{engine, rubrics, examples, ...params}`, the params taken from the
// address (see `route`). `loading` is the heading shown meanwhile; `name` names the view when it
// cannot be loaded.

function showLazyView(hash, module, exportName, { loading, name, params = {} }) {
  replace(main, h("h1", { "data-testid": "loading" }, loading));
  import(module)
    .then((m) => m[exportName]({ engine: state.engine, rubrics: state.rubrics, examples: state.examples, ...params }))
    .then((view) => {
      if ((location.hash || "#/") !== hash) return; // the user went elsewhere meanwhile
      const hadFocus = main.contains(document.activeElement);
      replace(main, view);
      document.title = `${main.querySelector("h1")?.textContent ?? name} · Rubrica`;
      if (hadFocus) focusHeading();
    })
    .catch((e) => {
      if ((location.hash || "#/") === hash) fatal(`${name} could not be loaded.`, "Reload the page to try again.", e);
    });
}

// ---------------------------------------------------------------------------------------------
// Trainer

function showTrainer() {
  if (state.trainer) {
    replace(main, state.trainer.el);
    return;
  }
  replace(main, h("h1", { "data-testid": "loading" }, "Loading the trainer view…"));
  state.trainerLoaded ??= Promise.all([import("./trainer.js"), loadCases()]);
  state.trainerLoaded.then(([{ trainerView }]) => {
    state.trainer ??= trainerView({
      engine: state.engine,
      bundle: state.bundle,
      rubrics: () => state.rubrics,
      onRubricLoaded: () => {
        state.rubrics = state.engine.rubrics();
      },
    });
    if (location.hash !== "#/trainer") return; // the user went elsewhere meanwhile
    const hadFocus = main.contains(document.activeElement);
    replace(main, state.trainer.el);
    document.title = `${main.querySelector("h1")?.textContent ?? "Trainer"} · Rubrica`;
    if (hadFocus) focusHeading();
  }).catch((e) => {
    state.trainerLoaded = null; // asked for again next time
    if (location.hash === "#/trainer") fatal("The trainer view could not be loaded.", "Reload the page to try again.", e);
  });
}

/**
 * Adds each rubric's self-test cases (`data/cases.json`, `{rubric id: [{name, case}]}`) to the
 * bundle, once: the app starts without them, and only the trainer view runs them.
 */
async function loadCases() {
  let cases = {};
  try {
    cases = JSON.parse(await fetchText("data/cases.json"));
  } catch (e) {
    announce(`The self-test cases could not be loaded: ${e.message}`);
  }
  for (const b of state.bundle) b.cases = Array.isArray(cases[b.id]) ? cases[b.id] : [];
}

start();
