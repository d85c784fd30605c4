// Rubrica coach app: starts the engine, loads the rubrics, and switches between the observation
// list, the observation editor (form + live results) and the trainer view.
//
// All scoring is done by the engine (the wasm module); this file only moves data between the
// form, the browser's storage and the engine, and shows what comes back.

import { h, replace, download, announce, quietly } from "./dom.js";
import * as store from "./store.js";
import { LISTS, renderForm, readForm, blankRecord, showFieldErrors, fieldFor, focusTarget, useVocabulary, scoreBar } from "./form.js";
import { renderReport, diagnosticList } from "./render.js";
import { exportControl } from "./export.js";
import { t, lang, setLang, onLangChange, engineOptions, translatePage, formatDateTime, formatTime, intlLocale, LANGUAGES } from "./i18n.js";
import { useKinds, reflectionFormats, isReflection, shortName, kindName, kindsName, newLabel, valueName, blankReflection, blankRow, renderReflectionForm, readReflectionForm, reflectionSections } from "./reflection-form.js";

const main = document.getElementById("main");
const state = {
  engine: null,
  bundle: [],
  examples: [],
  // The rubrics of observations (the six program practices): every observation view lists these.
  rubrics: [],
  // The rubrics of the other kinds of record (reflections), each naming its kind in `meta.record`.
  otherRubrics: [],
  bundleErrors: [],
  trainer: null,
  // The trainer view's code and the self-test cases, fetched when the trainer view first opens.
  trainerLoaded: null,
  // Saves the open editor's pending change; called before leaving the page or the editor.
  flush: () => {},
  // Whether the open editor has a change not yet written to the database.
  unsaved: () => false,
  // Draws the open view again after a switch of language (the editor's keeps its record); null:
  // the view is drawn again from the address.
  relang: null,
  // A view loaded by `showLazyView`: resolves once it is drawn.
  viewShown: null,
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
  translatePage();
  languageSwitch();
  replace(main, h("p", { class: "loading", "data-testid": "loading" }, t("app.loading")));
  // The module, the rubrics and the examples are asked for at once; the module is compiled while
  // it downloads (`instantiateStreaming`: the server sends `application/wasm`).
  const engine = settle(import("./pkg/rubrica_web.js").then(async (mod) => (await mod.default(), mod)));
  const bundle = settle(fetchText("data/rubrics.json"));
  const examples = settle(fetchText("data/examples.json"));
  // The observations' database, opened (and any localStorage drafts moved into it) meanwhile.
  const opened = settle(store.open());
  const mod = await engine;
  if (mod.error) {
    fatal(t("app.engineFailed"), t("app.engineFailedHelp"), mod.error);
    return;
  }
  state.engine = new mod.value.RubricaEngine();
  // The forms offer the records' choices as the engine checks them.
  const vocabulary = mod.value.RubricaEngine.vocabulary();
  useVocabulary(vocabulary);
  useKinds(vocabulary.kinds);
  state.observationFormat = vocabulary.objects[0].fields.find((f) => f.name === "format").values[0];
  store.setOtherFormats(reflectionFormats());
  state.version = mod.value.RubricaEngine.version ? mod.value.RubricaEngine.version() : "";
  showVersion();
  const bundleText = await bundle;
  if (bundleText.error) {
    fatal(t("app.rubricsFailed"), t("app.rubricsFailedHelp"), bundleText.error);
    return;
  }
  // Rubrics without their self-test cases; the trainer view fetches those when it opens.
  state.bundle = JSON.parse(bundleText.value);
  const loaded = state.engine.loadBundle(bundleText.value);
  state.bundleErrors = loaded.errors || [];
  loadRubrics();
  const examplesText = await examples;
  state.examples = examplesText.error ? [] : JSON.parse(examplesText.value);
  state.storageError = (await opened).error ?? null;
  window.addEventListener("hashchange", route);
  onLangChange(relang);
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

// ---------------------------------------------------------------------------------------------
// Language: the header's switch, and the current view drawn again in the language chosen.

/** The header's language switch: one button per language, each named in its own language. */
function languageSwitch() {
  const group = document.getElementById("lang-switch");
  if (!group) return;
  const draw = () => {
    group.setAttribute("aria-label", t("app.language"));
    for (const b of group.querySelectorAll("button[data-lang]")) b.setAttribute("aria-pressed", String(b.dataset.lang === lang()));
  };
  replace(
    group,
    LANGUAGES.map((l) => h("button", { type: "button", class: "small", lang: l.tag, "data-lang": l.tag, "data-testid": `lang-${l.tag}`, onclick: () => setLang(l.tag) }, l.name)),
  );
  draw();
  onLangChange(draw);
}

/** The engine's version in the footer. */
function showVersion() {
  document.getElementById("engine-version").textContent = state.version ? t("app.engineVersion", { version: state.version }) : "";
}

/**
 * After a switch of language: the page's own words, the rubric texts and the current view drawn
 * again in place. The observation editor keeps the record as the coach left it (the record is the
 * state); a view's chosen caregiver or record stays chosen; an open goal form is left as it is;
 * the focus stays on the switch and the page where it was. Nothing is announced.
 */
async function relang() {
  translatePage();
  if (!state.engine) return;
  showVersion();
  loadRubrics();
  const focus = document.activeElement;
  const y = window.scrollY;
  // The trainer view is kept between visits; built again in the new language unless it holds edits.
  if (state.trainer && state.trainer.pristine()) state.trainer = null;
  if (state.relang) {
    await state.relang();
  } else if (main.querySelector("form [data-testid=goal-save]") || (location.hash === "#/trainer" && state.trainer)) {
    // A goal being written, or rubrics being edited in the trainer, are not drawn again (what is
    // typed would be lost): the view takes the new language when it is next drawn.
  } else {
    // The choices a view's menus hold (a caregiver, a record), kept by their test ids.
    const kept = [...main.querySelectorAll("select[data-testid]")].map((s) => [s.dataset.testid, s.value]);
    state.viewShown = null;
    await route();
    await state.viewShown;
    for (const [testid, value] of kept) {
      const select = main.querySelector(`select[data-testid="${CSS.escape(testid)}"]`);
      if (!select || select.value === value || ![...select.options].some((o) => o.value === value)) continue;
      select.value = value;
      quietly(() => select.dispatchEvent(new Event("change")));
    }
  }
  window.scrollTo(0, y);
  if (focus && focus.isConnected && focus !== document.activeElement) focus.focus({ preventScroll: true });
}

/**
 * The engine's rubrics in the app's language, split by the kind of record they rate: those of
 * observations (no `meta.record`, or the observation format) in `state.rubrics`, the others in
 * `state.otherRubrics`. The observation views only ever see the first.
 */
function loadRubrics() {
  const all = state.engine.rubrics(engineOptions());
  const observation = (r) => !r.meta || r.meta.record === undefined || r.meta.record === null || r.meta.record === state.observationFormat;
  state.rubrics = all.filter(observation);
  state.otherRubrics = all.filter((r) => !observation(r));
}

/** The loaded rubrics that rate records of kind `format` (a reflection kind). */
function rubricsOf(format) {
  return state.otherRubrics.filter((r) => r.meta.record === format);
}

/** The examples that are observations (the observation views offer only these). */
function observationExamples() {
  return state.examples.filter((ex) => !isReflection(ex.record));
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
  state.relang = null;
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
      await showHome(t("home.gone"));
    }
  } else if (hash === "#/trainer") {
    showTrainer();
  } else if (hash === "#/agree") {
    // two coaches' records of one visit compared
    showLazyView(hash, "./agree.js", "agreementView", { loading: t("view.loadingReliability"), name: t("view.reliability") });
  } else if (hash === "#/trends") {
    // a caregiver's, room's or home's visits over time
    showLazyView(hash, "./trends.js", "trendsView", { loading: t("view.loadingTrends"), name: t("view.trends") });
  } else if (hash === "#/report") {
    // one caregiver's report to print
    showLazyView(hash, "./coaching-report.js", "coachingReportView", { loading: t("view.loadingReport"), name: t("view.report") });
  } else if (hash === "#/people" || hash.startsWith("#/people/")) {
    // #/people (every caregiver, room and home) or #/people/<kind>/<id> (one of them)
    const [kind, id] = hash.slice("#/people/".length).split("/").map(decodePart);
    showLazyView(hash, "./people.js", "peopleView", { loading: t("view.loadingPeople"), name: t("view.people"), params: { kind: kind || null, id: id ?? null } });
  } else if (hash.startsWith("#/goals/")) {
    // #/goals/<caregiver id>: that caregiver's shared goals and action plans
    showLazyView(hash, "./goals.js", "goalsView", { loading: t("view.loadingGoals"), name: t("view.goals"), params: { caregiver: decodePart(hash.slice("#/goals/".length)) } });
  } else {
    await showHome();
  }
  document.title = `${document.querySelector("#main h1")?.textContent ?? t("home.title")} · Rubrica`;
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
  announce(t("storage.notSavedWhy", { reason: e && e.message ? e.message : e }));
}

/**
 * Opens an example; when an observation with the example's id is saved already, opens that one
 * (also when another tab saves it at the same moment: one look-and-add in the store).
 */
async function openExample(ex) {
  const { key, added } = await store.findOrAdd(structuredClone(ex.record));
  if (!added) announce(t("home.exampleSaved", { id: ex.record.id }));
  openDraft(key);
}

// ---------------------------------------------------------------------------------------------
// Observation list

async function showHome(message, imported) {
  const at = location.hash;
  let drafts = [];
  try {
    drafts = await store.listRecords();
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
    "aria-label": t("home.importFiles"),
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
  const data = dataSection(countKinds(drafts));
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
        fresh = await store.listRecords();
      } catch {
        return; // the list stays as it was; the next message tries again
      }
      if (!listSlot.isConnected) return;
      const active = document.activeElement;
      const inList = active && listSlot.contains(active);
      const row = inList ? active.closest("[data-testid=draft-row]") : null;
      const action = inList ? active.dataset.action : undefined;
      replace(listSlot, draftList(fresh));
      data.update(countKinds(fresh));
      refreshed.hidden = false;
      refreshed.textContent = t("home.refreshed", { time: formatTime(new Date()) });
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
    h("h1", {}, t("home.title")),
    message ? h("p", { class: "notice", role: "status" }, message) : null,
    imported ? importReport(imported) : null,
    storageNotice(),
    state.bundleErrors.length
      ? h("div", { class: "notice error", role: "alert" }, h("p", {}, t("home.rubricsNotLoaded")), diagnosticList(state.bundleErrors))
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
        t("home.new"),
      ),
      // A reflection of each kind the engine reads (its rubric set named), beside the observation.
      reflectionFormats().map((format) =>
        h(
          "button",
          {
            type: "button",
            "data-testid": `new-reflection-${shortName(format)}`,
            "data-format": format,
            onclick: () => newDraft(blankReflection(format, today())).then(openDraft, storageFailed),
          },
          newLabel(format),
        ),
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
          t("home.openExample", { name: ex.name }),
        ),
      ),
      h("button", { type: "button", "data-testid": "import-record", onclick: () => fileInput.click() }, t("home.import")),
      fileInput,
    ),
    h(
      "section",
      { "aria-labelledby": "drafts-h" },
      h("h2", { id: "drafts-h" }, t("home.saved")),
      listSlot,
      refreshed,
      h("p", { class: "muted small" }, t("home.stays")),
    ),
    data.el,
    h(
      "section",
      { "aria-labelledby": "rubrics-h" },
      h("h2", { id: "rubrics-h" }, t("home.rubrics")),
      h(
        "ul",
        { class: "rubric-list", "data-testid": "rubric-list" },
        state.rubrics.map((r) =>
          h(
            "li",
            {},
            h("h3", { "data-testid": "rubric-title" }, r.title),
            h("p", { class: "muted small" }, `${r.id} · ${t("home.rubricVersion", { version: r.version })} · ${t("home.indicators", { count: r.meta.indicators.length })} · ${t("home.items", { count: r.meta.items.length })}`),
            h("p", {}, r.summary),
          ),
        ),
      ),
    ),
    state.otherRubrics.length
      ? h(
          "section",
          { "aria-labelledby": "reflection-rubrics-h" },
          h("h2", { id: "reflection-rubrics-h" }, t("home.reflectionRubrics")),
          h(
            "ul",
            { class: "rubric-list", "data-testid": "reflection-rubric-list" },
            state.otherRubrics.map((r) =>
              h(
                "li",
                {},
                h("h3", { "data-testid": "reflection-rubric-title" }, r.title),
                h("p", { class: "muted small" }, `${kindName(r.meta.record)} · ${r.id} · ${t("home.rubricVersion", { version: r.version })} · ${t("home.indicators", { count: r.meta.indicators.length })} · ${t("home.items", { count: r.meta.items.length })}`),
                h("p", {}, r.summary),
              ),
            ),
          ),
        )
      : null,
  );
}

/** The kind of a saved record: its format when it is a reflection, else "observation". */
function recordKind(d) {
  const r = d && d.record && typeof d.record === "object" ? d.record : {};
  return isReflection(r) ? r.format : "observation";
}

/** How many observations and how many reflections `drafts` holds: `{observations, reflections}`. */
function countKinds(drafts) {
  const reflections = drafts.filter((d) => recordKind(d) !== "observation").length;
  return { observations: drafts.length - reflections, reflections };
}

/** Texts joined as the language writes a list ("a, b and c"; "a, b y c"). */
function listOf(parts) {
  return new Intl.ListFormat(intlLocale(), { type: "conjunction" }).format(parts);
}

/** ["3 observations", "2 reflections"]: the counts that are not zero (observations when both are). */
function countParts({ observations, reflections }) {
  const parts = [];
  if (observations || !reflections) parts.push(t("data.observations", { count: observations }));
  if (reflections) parts.push(t("data.reflections", { count: reflections }));
  return parts;
}

/** "3 observations and 2 reflections" (`countParts` as a list). */
function countsText(counts) {
  return listOf(countParts(counts));
}

/**
 * The saved records, one section per kind that has any (observations first, then each reflection
 * kind in the engine's order), each a table (one row per record, most recently saved first, with
 * Export and Delete); or a line saying there are none. An observation shows its setting and
 * number of children; a reflection its partner.
 */
function draftList(drafts) {
  if (!drafts.length) return h("p", { class: "muted", "data-testid": "draft-list-empty" }, t("home.empty"));
  const byKind = new Map(["observation", ...reflectionFormats()].map((k) => [k, []]));
  for (const d of drafts) byKind.get(recordKind(d)).push(d);
  return h(
    "div",
    { class: "draft-sections", "data-testid": "draft-list" },
    [...byKind].filter(([, ds]) => ds.length).map(([kind, ds]) => draftSection(kind, ds)),
  );
}

/** One kind's section of the list: its heading with the count, and its table. */
function draftSection(kind, drafts) {
  const reflection = kind !== "observation";
  const headingId = `drafts-${reflection ? shortName(kind) : "observation"}-h`;
  const columns = reflection
    ? ["home.colRecord", "home.colDate", "home.colPartner", "home.colSaved", "home.colActions"]
    : ["home.colRecord", "home.colDate", "home.colSetting", "home.colChildren", "home.colSaved", "home.colActions"];
  return h(
    "section",
    { class: "draft-section", "aria-labelledby": headingId, "data-testid": "draft-section", "data-kind": kind },
    h("h3", { id: headingId, "data-testid": "draft-section-heading" }, t("home.section", { kinds: reflection ? kindsName(kind) : t("home.kindsObservation"), count: drafts.length })),
    h(
      "div",
      // Scrolls sideways on a narrow screen, so it can take the focus to be scrolled by keys.
      { class: "table-wrap", tabindex: "0", role: "region", "aria-labelledby": headingId },
      h(
        "table",
        { class: "drafts", "aria-labelledby": headingId },
        h("thead", {}, h("tr", {}, columns.map((k) => h("th", { scope: "col" }, t(k))))),
        h("tbody", {}, drafts.map((d) => draftRow(d, reflection))),
      ),
    ),
  );
}

/** One saved record's row: its id (opens it), date, setting or partner, when saved, Export and Delete. */
function draftRow(d, reflection) {
  const r = d.record && typeof d.record === "object" ? d.record : {};
  const label = typeof r.id === "string" && r.id ? r.id : t("home.noId");
  const text = (v) => (typeof v === "string" ? v : "");
  const partner = reflection && r.partner && typeof r.partner === "object" ? r.partner : {};
  return h(
    "tr",
    { "data-testid": "draft-row", "data-key": d.key, "data-kind": reflection ? r.format : "observation" },
    h("th", { scope: "row" }, h("a", { href: `#/obs/${encodeURIComponent(d.key)}`, "data-testid": "open-draft", "data-action": "open" }, label)),
    h("td", { "data-testid": "draft-date" }, text(reflection ? r.reflected_on : r.observed_on)),
    reflection
      ? h("td", { "data-testid": "draft-partner" }, partner.id ? t("home.partner", { id: text(partner.id), kind: partner.kind === undefined ? "—" : valueName(r.format, "kind", text(partner.kind)) }) : "")
      : [
          h("td", {}, r.setting === "family-child-care" ? t("setting.familyChildCareShort") : r.setting === "center" ? t("setting.center") : ""),
          h("td", { class: "num" }, String(Array.isArray(r.children) ? r.children.length : 0)),
        ],
    h("td", {}, d.updated ? formatDateTime(d.updated) : ""),
    h(
      "td",
      { class: "row-actions" },
      h("button", { type: "button", class: "small", "data-action": "export", onclick: () => exportRecord(d.record), "aria-label": t("home.exportOne", { label }) }, t("home.export")),
      h(
        "button",
        {
          type: "button",
          class: "small quiet danger",
          "data-action": "delete",
          "aria-label": t("home.deleteOne", { label }),
          onclick: () => {
            if (confirm(t(reflection ? "home.deleteConfirmReflection" : "home.deleteConfirm", { label }))) {
              store.deleteDraft(d.key).then(() => {
                showHome();
                announce(t("home.deleted", { label }));
              }, storageFailed);
            }
          },
        },
        t("home.delete"),
      ),
    ),
  );
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
      out.error = t("import.notSaved", { reason: e && e.message ? e.message : e });
    }
  }
  const count = (k) => outcomes.reduce((n, o) => n + o[k], 0);
  const failed = outcomes.filter((o) => o.error).length;
  const summary = [
    t("import.imported", { count: count("added") + count("both") }),
    count("skipped") ? t("import.skipped", { count: count("skipped") }) : null,
    count("both") ? t("import.keptBeside", { count: count("both") }) : null,
    count("goals") ? t("import.goals", { count: count("goals") }) : null,
    failed ? t("import.filesFailed", { count: failed }) : null,
  ].filter(Boolean).join("; ");
  if (files.length === 1 && keys.length === 1 && !failed && !outcomes[0].notes.length) {
    announce(outcomes[0].skipped ? t("import.openedSaved", { summary }) : summary);
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
    const d = state.engine.validateRecord(text, engineOptions());
    const err = d && d.type === "failure" && d.errors[0];
    out.error = err && err.line ? t("import.atLine", { line: err.line, column: err.column, message: err.message }) + (err.help ? ` (${err.help})` : "") : t("import.notJson", { reason: e.message });
    return;
  }
  const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
  const kind = (v) => t(v === null ? "json.null" : Array.isArray(v) ? "json.list" : `json.${typeof v}`);
  if (isObject(value) && typeof value.format === "string" && value.format.startsWith("rubrica.backup/")) {
    if (value.format !== store.BACKUP_FORMAT) {
      out.error = `/format: ${t("import.backupVersion", { found: value.format, reads: store.BACKUP_FORMAT })}`;
      return;
    }
    if (!Array.isArray(value.observations)) {
      out.error = `/observations: ${t("import.expectedObservations", { found: kind(value.observations) })}`;
      return;
    }
    for (const [i, o] of value.observations.entries()) {
      const at = `/observations/${i}`;
      if (!isObject(o) || typeof o.id !== "string" || !o.id || !isObject(o.record)) {
        const where = !isObject(o) ? at : typeof o.id !== "string" || !o.id ? `${at}/id` : `${at}/record`;
        out.notes.push(`${where}: ${t("import.expectedObservation")}`);
        continue;
      }
      const res = await store.mergeEntry({ id: o.id, updated: typeof o.updated === "string" ? o.updated : "", record: o.record });
      tally(out, res, keys, at, o.record);
    }
    // Shared goals (backups written since goals were kept; an older backup has none).
    if (value.goals !== undefined && !Array.isArray(value.goals)) out.notes.push(`/goals: ${t("import.expectedGoals", { found: kind(value.goals) })}`);
    for (const [i, g] of (Array.isArray(value.goals) ? value.goals : []).entries()) {
      const problems = store.goalProblems(g, `/goals/${i}`);
      if (problems.length) {
        out.notes.push(`${problems[0].path}: ${t("import.goalNotImported", { reason: problems[0].message })}`);
        continue;
      }
      const res = await store.mergeGoal(g);
      if (res.status === "added") out.goals = (out.goals || 0) + 1;
      else if (res.status === "kept-both") out.notes.push(`/goals/${i}: ${t("import.goalBoth", { id: g.id })}`);
    }
    return;
  }
  const items = Array.isArray(value) ? value.map((v, i) => (isObject(v) && isObject(v.record) ? [`/${i}/record`, v.record] : [`/${i}`, v])) : [["", value]];
  if (!items.length) out.error = `/: ${t("import.emptyList")}`;
  for (const [at, r] of items) {
    if (!isObject(r)) {
      const reason = `${at || "/"}: ${t("import.notObject", { found: kind(r) })}`;
      if (items.length === 1) out.error = reason;
      else out.notes.push(t("import.reasonNotImported", { reason }));
      continue;
    }
    tally(out, await store.mergeRecord(r), keys, at, r);
    // Imported as it is (the form shows what is wrong); the coach is told here too.
    const valid = state.engine.validateRecord(JSON.stringify(r), engineOptions());
    if (valid.type === "failure") {
      const errs = valid.errors;
      const shown = errs.slice(0, 3).map((d) => `${at}${d.path ?? ""}: ${d.message}`).join("; ");
      out.notes.push(`${at || "/"}: ${t("import.problems", { count: errs.length })}: ${shown}${errs.length > 3 ? "; …" : ""}`);
    }
  }
}

function tally(out, res, keys, at, record) {
  const id = typeof record.id === "string" && record.id ? record.id : t("import.noId");
  if (res.status === "skipped") out.skipped += 1;
  else if (res.status === "kept-both") {
    out.both += 1;
    out.notes.push(`${at || "/"}: ${t("import.recordBoth", { id })}`);
  } else out.added += 1;
  keys.push(res.key);
}

/** The outcome of each imported file, listed on the observation list. */
function importReport(outcomes) {
  const trouble = outcomes.some((o) => o.error || o.notes.length);
  return h(
    "section",
    { class: `notice ${trouble ? "error" : "ok"}`, role: trouble ? "alert" : "status", "aria-labelledby": "import-h", "data-testid": "import-report" },
    h("h2", { id: "import-h" }, t("import.title")),
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
            ? t("import.fileFailed", { reason: o.error })
            : [
                t("import.fileImported", { count: o.added + o.both }),
                o.skipped ? `, ${t("import.skipped", { count: o.skipped })}` : "",
                o.both ? `, ${t("import.fileBeside", { count: o.both })}` : "",
                o.goals ? `, ${t("import.goals", { count: o.goals })}` : "",
              ].join(""),
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
      t("storage.unusable", { reason: state.storageError.message ?? state.storageError }),
    );
  }
  const kept = store.migration ? store.migration.kept : [];
  return kept.length
    ? h(
        "p",
        { class: "notice", role: "status", "data-testid": "migration-kept" },
        t("storage.kept", { count: kept.length, keys: kept.join(", ") }),
      )
    : null;
}

/**
 * Back up everything to one file, and delete everything (after a confirmation that names how many
 * observations and reflections go). `counts` is `{observations, reflections}` (`countKinds`).
 * Answers `{el, update(counts)}`: `update` follows the saved records when another tab changes them.
 */
function dataSection(counts) {
  const slot = h("div", { class: "confirm-slot" });
  const total = () => counts.observations + counts.reflections;
  const question = () => t("data.deleteAllQuestion", { what: countsText(counts) });
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
          h("p", {}, t("data.cannotUndo")),
          h(
            "div",
            { class: "actions" },
            h(
              "button",
              {
                type: "button",
                class: "danger",
                "data-testid": "delete-all-yes",
                onclick: () => {
                  // What the question named when the coach confirmed it.
                  const what = countsText(counts);
                  store.deleteAll().then(async () => {
                    await showHome();
                    announce(t("data.deletedAll", { what }));
                    focusHeading();
                  }, storageFailed);
                },
              },
              t("data.deleteEverything"),
            ),
            h("button", { type: "button", "data-testid": "delete-all-no", onclick: cancel }, t("common.cancel")),
          ),
        );
        replace(slot, box);
        box.focus();
      },
    },
    t("data.deleteAll"),
  );
  const actions = h(
    "div",
    { class: "actions" },
    h("button", { type: "button", "data-testid": "backup", onclick: downloadBackup }, t("data.backup")),
    total() ? deleteAll : null,
  );
  const update = (next) => {
    counts = next;
    const heading = slot.querySelector("#delete-all-h");
    if (heading) heading.textContent = question();
    if (total() && !deleteAll.isConnected) actions.append(deleteAll);
    if (!total() && deleteAll.isConnected) {
      const hadFocus = slot.contains(document.activeElement) || document.activeElement === deleteAll;
      deleteAll.remove();
      replace(slot);
      if (hadFocus) actions.querySelector("[data-testid=backup]").focus({ preventScroll: true });
    }
  };
  const el = h(
    "section",
    { "aria-labelledby": "data-h" },
    h("h2", { id: "data-h" }, t("data.title")),
    h(
      "p",
      { class: "muted small" },
      t("data.explain"),
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
    const what = [...countParts(countKinds(data.observations)), t("data.goals", { count: data.goals.length })];
    announce(t("data.backedUp", { what: listOf(what) }));
  } catch (e) {
    storageFailed(e);
  }
}

// ---------------------------------------------------------------------------------------------
// Observation editor

/**
 * What the editor draws and reads for a record of its kind: `{reflection, render(record, actions),
 * read(form, base), blank(list), sections()}`. A reflection (reflection-form.js) with the rubrics
 * of its kind; anything else (an observation, or a record of no known format, which the engine
 * then explains) with the observation form (form.js) and the observation rubrics. The rubrics are
 * read at each call, so a switch of language draws their words anew.
 */
function editorKit(record) {
  if (isReflection(record)) {
    const format = record.format;
    return {
      reflection: true,
      render: (rec, actions) => renderReflectionForm(rec, rubricsOf(format), actions),
      read: (form, base) => readReflectionForm(form, base, rubricsOf(format)),
      blank: (list) => blankRow(format, list),
      sections: () => reflectionSections(rubricsOf(format)),
    };
  }
  return {
    reflection: false,
    render: (rec, actions) => renderForm(rec, state.rubrics, actions),
    read: (form, base) => readForm(form, base, state.rubrics),
    blank: (list) => LISTS[list].blank(),
    sections: () => [["section-visit", t("form.visit")], ["section-group", t("form.group")], ...state.rubrics.map((r) => [`section-${r.id}`, r.title]), ["section-more", t("editor.navMore")]],
  };
}

// A line for the next editor of observation `key` to show when it opens: `{key, text}`, or null.
let editorNotice = null;

/**
 * The observation editor for `draft` (`{key, record, rev}`). `carry` is what a redraw after a
 * switch of language keeps from the editor it replaces: `{touched, finishing, selected, conflict,
 * removed}`.
 */
function showEditor(draft, carry = {}) {
  const key = draft.key;
  let record = draft.record;
  const kit = editorKit(record);
  let selected = carry.selected ?? null;
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
  const touched = new Set(carry.touched ?? []);
  let finishing = carry.finishing ?? false;
  // The last scoring's diagnostics and status line, marked again when a field is left.
  let shown = [];
  let statusBase = [];

  const form = h("form", { class: "obs-form", "data-testid": kit.reflection ? "reflection-form" : "observation-form", novalidate: true, onsubmit: (e) => e.preventDefault() });
  // Not a live region: it changes with every keystroke; only a failure to save is announced.
  const saveState = h("span", { class: "save-state muted small", "data-testid": "save-state" }, t("editor.saved"));
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
      h("h2", { id: "results-h" }, t("editor.results")),
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", class: "small", "data-testid": "download-report", onclick: downloadReport }, t("editor.reportJson")),
        h("button", { type: "button", class: "small", "data-testid": "download-text", onclick: downloadText }, t("editor.reportText")),
        h("button", { type: "button", class: "small", onclick: () => (finish(), window.print()) }, t("editor.print")),
        // Results exports (xAPI, LTI, CSV) are written for observations only.
        kit.reflection ? null : exportControl(() => (finish(), flush(), record), () => state.engine),
      ),
    ),
    status,
    problems,
    goalsSlot,
    report,
  );

  const actions = {
    add(list) {
      record = kit.read(form, record);
      const arr = Array.isArray(record[list]) ? record[list] : [];
      record[list] = [...arr, kit.blank(list)];
      redraw();
      const rows = form.querySelectorAll(`[data-list="${list}"] > fieldset.row`);
      focusTarget(rows[rows.length - 1])?.focus();
      changed();
    },
    remove(list, index) {
      record = kit.read(form, record);
      if (Array.isArray(record[list])) record[list].splice(index, 1);
      redraw();
      form.querySelector(`[data-testid="add-${list}"]`)?.focus();
      changed();
    },
  };

  function redraw() {
    replace(form, kit.render(record, actions));
  }

  function title() {
    replace(heading, typeof record.id === "string" && record.id ? record.id : kit.reflection ? newLabel(record.format) : t("editor.newTitle"));
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
    record = kit.read(form, record);
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
          showSaved(false, t("editor.notSavedChanged"));
          return;
        }
        if (removed) {
          showSaved(false, t("editor.notSavedDeleted"));
          return;
        }
        const answer = await store.saveDraft(key, record, rev);
        if (answer.ok) {
          rev = answer.rev;
          showSaved(true, t("editor.savedAt", { time: formatTime(new Date()) }));
        } else if (answer.deleted) {
          showDeleted();
          showSaved(false, t("editor.notSavedDeleted"));
        } else if (answer.conflict) {
          showConflict(answer.conflict);
          showSaved(false, t("editor.notSavedChanged"));
        } else {
          showSaved(false, t("storage.notSaved"));
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
      h("h2", { id: "deleted-h" }, t("editor.deletedTitle")),
      h(
        "p",
        {},
        t("editor.deletedText"),
      ),
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", "data-testid": "deleted-keep", onclick: keepCopy }, t("editor.keepCopy")),
        h("button", { type: "button", "data-testid": "deleted-close", onclick: closeDeleted }, t("editor.closeIt")),
      ),
    );
    replace(conflictSlot, box);
    box.focus();
  }

  async function keepCopy() {
    clearTimeout(timer);
    timer = null;
    const mine = kit.read(form, record);
    closed = true;
    try {
      const copy = await newDraft(mine);
      const text = t("editor.copyKept");
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
    announce(t("editor.closed"));
    location.hash = "#/";
  }

  function showConflict(theirs) {
    const first = conflict === null;
    removed = false;
    conflict = theirs;
    const when = theirs.updated ? formatTime(theirs.updated) : null;
    const box = h(
      "div",
      { class: "notice error conflict", role: "alert", tabindex: "-1", "aria-labelledby": "conflict-h", "data-testid": "conflict" },
      h("h2", { id: "conflict-h" }, t("editor.conflictTitle")),
      h(
        "p",
        {},
        when ? t("editor.conflictTextAt", { time: when }) : t("editor.conflictText"),
      ),
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", "data-testid": "conflict-mine", onclick: keepMine }, t("editor.keepMine")),
        h("button", { type: "button", "data-testid": "conflict-theirs", onclick: takeTheirs }, t("editor.takeTheirs")),
        h("button", { type: "button", "data-testid": "conflict-both", onclick: keepBoth }, t("editor.keepBoth")),
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
    record = kit.read(form, record);
    rev = conflict.rev;
    resolved(t("editor.keptMine"));
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
    showSaved(true, t("editor.showingTheirs"));
    resolved(t("editor.tookTheirs"));
  }

  async function keepBoth() {
    clearTimeout(timer);
    timer = null;
    const mine = kit.read(form, record);
    closed = true;
    try {
      // The copy gets a record id of its own, so the two versions stay apart in exports, trends
      // and agreement.
      const was = mine.id;
      mine.id = await store.copyRecordId(mine.id);
      const copy = await newDraft(mine);
      const text =
        mine.id !== was
          ? t("editor.copyWithId", { id: mine.id, was })
          : t("editor.copySaved");
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
    const valid = state.engine.validateRecord(text, engineOptions());
    let diagnostics;
    if (valid.type !== "success") {
      diagnostics = valid.errors;
      results.dataset.state = "invalid";
      replace(
        status,
        h("p", { class: "notice error" }, h("strong", {}, t("editor.problems", { count: valid.errors.length })), " ", t("editor.fixThem")),
      );
      replace(report);
    } else {
      const answer = state.engine.evaluateAll(text, engineOptions());
      if (answer.type !== "success") {
        diagnostics = answer.errors;
        results.dataset.state = "invalid";
        replace(status, h("p", { class: "notice error" }, t("editor.problems", { count: answer.errors.length })));
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
              ? t("editor.practicesFailed", { count: failed })
              : t("editor.scored", { count: rep.practices.length }),
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
      diagnostics.length ? [h("h3", {}, t("editor.problemsAndWarnings")), diagnosticList(diagnostics, locate)] : null,
    );
    shown = diagnostics;
    statusBase = [...status.childNodes];
    marks();
    results.dataset.seq = String(seq);
    results.dataset.pending = "false";
    results.dataset.problems = String(diagnostics.length);
    // Shared goals are a caregiver's, from observations; a reflection's goals are in its own form.
    if (!kit.reflection) showGoals();
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
      items[i].querySelector(".badge.sev").textContent = t(`severity.${kind}`);
    });
    const onlyWaiting = waiting > 0 && shown.every((d, i) => d.severity === "warning" || placed[i].pending);
    if (onlyWaiting) {
      replace(status, h("p", { class: "notice" }, h("strong", {}, t("editor.waiting", { count: waiting })), " ", t("editor.fillIn")));
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
    const text = state.engine.reportJson(JSON.stringify(record), engineOptions());
    download(fileName(record, "-report.json"), text);
  }

  function downloadText() {
    finish();
    flush();
    const text = state.engine.reportText(JSON.stringify(record), engineOptions());
    download(fileName(record, "-report.txt"), typeof text === "string" ? text : JSON.stringify(text, null, 2), "text/plain");
  }

  state.flush = flush;
  // A switch of language: every pending change saved, then the editor drawn again from the record
  // as it is now, with the fields the coach has left, the practice shown, and any choice still to
  // make about another tab's version.
  state.relang = async () => {
    while (timer !== null || inFlight > 0) {
      flush();
      await saving;
    }
    if (closed) return;
    closed = true;
    showEditor({ key, record, rev }, { touched, finishing, selected, conflict, removed });
  };
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
    { class: "section-nav", "aria-label": t("editor.sections") },
    h(
      "ul",
      {},
      [...kit.sections(), ["results", t("editor.results")]].map(
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
      h("div", {}, h("a", { href: "#/", class: "back" }, t("editor.back")), heading, saveState),
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", "data-testid": "export-record", onclick: () => (finish(), flush(), exportRecord(record)) }, t("editor.exportRecord")),
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
  if (carry.conflict) showConflict(carry.conflict);
  else if (carry.removed) showDeleted();
}

// ---------------------------------------------------------------------------------------------
// Views in modules of their own, loaded when first opened: `module[exportName](ctx)` resolves to
// the view's element. `ctx` is `{engine, rubrics, examples, ...params}`, the params taken from the
// address (see `route`); these views are about observations, so `rubrics` and `examples` are the
// observations' only. `loading` is the heading shown meanwhile; `name` names the view when it
// cannot be loaded.

function showLazyView(hash, module, exportName, { loading, name, params = {} }) {
  replace(main, h("h1", { "data-testid": "loading" }, loading));
  state.viewShown = import(module)
    .then((m) => m[exportName]({ engine: state.engine, rubrics: state.rubrics, examples: observationExamples(), ...params }))
    .then((view) => {
      if ((location.hash || "#/") !== hash) return; // the user went elsewhere meanwhile
      const hadFocus = main.contains(document.activeElement);
      replace(main, view);
      document.title = `${main.querySelector("h1")?.textContent ?? name} · Rubrica`;
      if (hadFocus) focusHeading();
    })
    .catch((e) => {
      if ((location.hash || "#/") === hash) fatal(t("view.failed", { name }), t("view.reload"), e);
    });
}

// ---------------------------------------------------------------------------------------------
// Trainer

function showTrainer() {
  if (state.trainer) {
    replace(main, state.trainer.el);
    return;
  }
  replace(main, h("h1", { "data-testid": "loading" }, t("view.loadingTrainer")));
  state.trainerLoaded ??= Promise.all([import("./trainer.js"), loadCases()]);
  state.trainerLoaded.then(([{ trainerView }]) => {
    state.trainer ??= trainerView({
      engine: state.engine,
      bundle: state.bundle,
      rubrics: () => [...state.rubrics, ...state.otherRubrics],
      onRubricLoaded: loadRubrics,
    });
    if (location.hash !== "#/trainer") return; // the user went elsewhere meanwhile
    const hadFocus = main.contains(document.activeElement);
    replace(main, state.trainer.el);
    document.title = `${main.querySelector("h1")?.textContent ?? t("nav.trainer")} · Rubrica`;
    if (hadFocus) focusHeading();
  }).catch((e) => {
    state.trainerLoaded = null; // asked for again next time
    if (location.hash === "#/trainer") fatal(t("view.failed", { name: t("view.trainer") }), t("view.reload"), e);
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
    announce(t("trainer.casesFailed", { reason: e.message }));
  }
  for (const b of state.bundle) b.cases = Array.isArray(cases[b.id]) ? cases[b.id] : [];
}

start();
