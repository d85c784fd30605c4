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
  document.body.dataset.ready = "true";
  window.addEventListener("hashchange", route);
  window.addEventListener("pagehide", () => state.flush());
  route();
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
// Routing: #/ (observations), #/obs/<draft key>, #/trainer

function route(event) {
  const hash = location.hash || "#/";
  // An in-page anchor such as the skip link's `#main` is not a view: stay where we are.
  if (!hash.startsWith("#/") && main.dataset.view) return;
  state.flush();
  state.flush = () => {};
  for (const a of document.querySelectorAll("[data-nav]")) {
    const active = hash.startsWith(a.getAttribute("href")) && (a.getAttribute("href") !== "#/" || hash === "#/" || hash.startsWith("#/obs"));
    if (active) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  if (hash.startsWith("#/obs/")) {
    const key = decodeURIComponent(hash.slice(6));
    const draft = store.loadDraft(key);
    if (draft) {
      store.setCurrentDraft(key);
      showEditor(draft);
    } else {
      showHome("That observation is no longer saved in this browser.");
    }
  } else if (hash === "#/trainer") {
    showTrainer();
  } else if (hash === "#/agree") {
    showAgreement();
  } else {
    showHome();
  }
  document.title = `${document.querySelector("#main h1")?.textContent ?? "Observations"} · Rubrica`;
  main.dataset.view = hash.startsWith("#/obs/") ? "observation" : hash === "#/trainer" ? "trainer" : hash === "#/agree" ? "reliability" : "observations";
  // A new view (not the first page load): its heading takes the focus, so a screen reader reads
  // where the user now is and the keyboard starts from the top of the new content.
  if (event) focusHeading();
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

function newDraft(record) {
  const key = store.newDraftKey();
  store.saveDraft(key, record);
  return key;
}

// ---------------------------------------------------------------------------------------------
// Observation list

function showHome(message) {
  const drafts = store.listDrafts();
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
  const rows = drafts.map((d) => {
    const r = d.record && typeof d.record === "object" ? d.record : {};
    const children = Array.isArray(r.children) ? r.children.length : 0;
    const label = typeof r.id === "string" && r.id ? r.id : "(no id yet)";
    return h(
      "tr",
      { "data-testid": "draft-row", "data-key": d.key },
      h("th", { scope: "row" }, h("a", { href: `#/obs/${encodeURIComponent(d.key)}`, "data-testid": "open-draft" }, label)),
      h("td", {}, typeof r.observed_on === "string" ? r.observed_on : ""),
      h("td", {}, r.setting === "family-child-care" ? "Family child care" : r.setting === "center" ? "Center" : ""),
      h("td", { class: "num" }, String(children)),
      h("td", {}, d.updated ? new Date(d.updated).toLocaleString() : ""),
      h(
        "td",
        { class: "row-actions" },
        h("button", { type: "button", class: "small", onclick: () => exportRecord(d.record), "aria-label": `Export ${label}` }, "Export"),
        h(
          "button",
          {
            type: "button",
            class: "small quiet danger",
            "aria-label": `Delete ${label}`,
            onclick: () => {
              if (confirm(`Delete the observation ${label} from this browser? Export it first to keep a copy.`)) {
                store.deleteDraft(d.key);
                showHome();
                announce(`Deleted ${label}`);
              }
            },
          },
          "Delete",
        ),
      ),
    );
  });

  replace(
    main,
    h("h1", {}, "Observations"),
    message ? h("p", { class: "notice", role: "status" }, message) : null,
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
          onclick: () => openDraft(newDraft(blankRecord(today()))),
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
            onclick: () => openDraft(newDraft(structuredClone(ex.record))),
          },
          `Open example: ${ex.name}`,
        ),
      ),
      h("button", { type: "button", "data-testid": "import-record", onclick: () => fileInput.click() }, "Import record…"),
      fileInput,
    ),
    h(
      "section",
      { "aria-labelledby": "drafts-h" },
      h("h2", { id: "drafts-h" }, "Saved in this browser"),
      drafts.length
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
        : h("p", { class: "muted", "data-testid": "draft-list-empty" }, "No observations yet. Start a new one, open an example, or import a record file."),
      h("p", { class: "muted small" }, "Observations stay in this browser until you export them. Nothing is sent anywhere."),
    ),
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

async function importFiles(files) {
  const keys = [];
  for (const file of files) {
    let value;
    try {
      value = JSON.parse(await file.text());
    } catch (e) {
      announce(`${file.name} is not a JSON file: ${e.message}`);
      continue;
    }
    const records = Array.isArray(value) ? value.map((v) => (v && v.record ? v.record : v)) : [value];
    for (const r of records) {
      if (r && typeof r === "object" && !Array.isArray(r)) keys.push(newDraft(r));
    }
  }
  if (keys.length === 1) {
    announce("Imported 1 record");
    openDraft(keys[0]);
  } else {
    announce(`Imported ${keys.length} records`);
    showHome();
  }
}

// ---------------------------------------------------------------------------------------------
// Observation editor

function showEditor(draft) {
  const key = draft.key;
  let record = draft.record;
  let selected = null;
  let timer = null;
  let seq = 0;
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
    const ok = store.saveDraft(key, record);
    saveState.textContent = ok ? `Saved in this browser at ${new Date().toLocaleTimeString()}` : "Not saved: this browser's storage is full or turned off";
    if (!ok && saveState.dataset.saved !== "false") announce("Not saved: this browser's storage is full or turned off");
    saveState.dataset.saved = ok ? "true" : "false";
    const list = form.querySelector("#caregiver-ids");
    if (list) {
      replace(list, (record.caregivers || []).map((c) => (c && typeof c.id === "string" && c.id ? h("option", { value: c.id }) : null)));
    }
    title();
    score();
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
    sectionNav,
    h("div", { class: "editor-layout" }, h("div", { class: "form-col" }, form), results),
    bar.el,
  );
  redraw();
  title();
  score();
}

// ---------------------------------------------------------------------------------------------
// Reliability (two coaches' records of one visit compared; agree.js, loaded when first opened)

function showAgreement() {
  replace(main, h("h1", { "data-testid": "loading" }, "Loading the reliability view…"));
  import("./agree.js")
    .then(({ agreementView }) => agreementView({ engine: state.engine, rubrics: state.rubrics, examples: state.examples }))
    .then((view) => {
      if (location.hash !== "#/agree") return; // the user went elsewhere meanwhile
      const hadFocus = main.contains(document.activeElement);
      replace(main, view);
      document.title = `${main.querySelector("h1")?.textContent ?? "Reliability"} · Rubrica`;
      if (hadFocus) focusHeading();
    })
    .catch((e) => {
      if (location.hash === "#/agree") fatal("The reliability view could not be loaded.", "Reload the page to try again.", e);
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
