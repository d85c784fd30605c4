// Trainer view: edit a rubric's script and metadata with live diagnostics, run its self-test
// cases in the page, load the edited rubric into the engine, download the files.

import { h, replace, download, announce } from "./dom.js";
import { diagnosticList } from "./render.js";
import { ScriptWords } from "./script-words.js";
import { t } from "./i18n.js";

// The script and metadata editors. CodeMirror (editor.bundle.js, built by `cargo xtask build-web`)
// is loaded when the trainer view opens; without it a plain textarea with line numbers stands in.
// Both offer the same object: `{value, diagnose(list), goTo(line, column), caret()}`.
const EDITOR_BUNDLE = "./editor.bundle.js";

/** The frame of one editor: its name, keyboard hint, word help and diagnostics list. */
function editorShell(name, label) {
  const id = `editor-${name.replace(".", "-")}`;
  const host = h("div", { class: "code-host" });
  const diag = h("div", { id: `${id}-diag`, class: "editor-diag", "data-testid": `diagnostics-${name}` });
  const help = h("div", { id: `${id}-help`, class: "word-help muted small", "data-testid": `word-help-${name}` });
  const hint = h(
    "span",
    { id: `${id}-hint`, class: "muted small" },
    ` — ${t(name.endsWith(".rhai") ? "trainer.hintScript" : "trainer.hintMeta")}`,
  );
  const labelEl = h("span", { id: `${id}-label`, class: "editor-label" }, h("span", { class: "editor-name" }, label), hint);
  return {
    id,
    name,
    host,
    diag,
    help,
    labelEl,
    describedBy: `${id}-hint ${id}-diag`,
    el: h("div", { class: "code-editor", "data-editor": name }, labelEl, host, help, diag),
  };
}

/** Shows the help for the word at the caret (a helper, an item, a record field) below the editor. */
function showHelp(shell, found) {
  replace(shell.help, found ? [h("code", {}, found.title), " ", found.text] : null);
}

/** A textarea with line numbers and a backdrop that marks lines that have diagnostics. */
function textareaEditor(shell, onInput) {
  const { id } = shell;
  // The numbers move inside the gutter as the text scrolls; the gutter itself stays put, so
  // its clipped box never hides the numbers of the lines scrolled into view.
  const numbers = h("div", { class: "gutter-lines" });
  const gutter = h("div", { class: "gutter", "aria-hidden": "true" }, numbers);
  const backdrop = h("div", { class: "backdrop", "aria-hidden": "true" });
  const area = h("textarea", {
    id,
    class: "code",
    spellcheck: "false",
    autocapitalize: "off",
    autocomplete: "off",
    wrap: "off",
    "data-testid": `editor-${shell.name}`,
    "aria-labelledby": `${id}-label`,
    "aria-describedby": shell.describedBy,
  });
  replace(shell.host, h("div", { class: "code-box" }, gutter, h("div", { class: "code-scroll" }, backdrop, area)));
  let marks = new Map();

  const paint = () => {
    const lines = area.value.split("\n");
    replace(
      numbers,
      lines.map((_, i) => h("div", { class: marks.has(i + 1) ? "mark" : "" }, String(i + 1))),
    );
    replace(
      backdrop,
      lines.map((text, i) => {
        const m = marks.get(i + 1);
        return h(
          "div",
          m ? { class: `line ${m}`, "data-testid": "editor-error-line", "data-line": i + 1 } : { class: "line" },
          text === "" ? " " : text,
        );
      }),
    );
    sync();
  };
  const sync = () => {
    const t = `translate(${-area.scrollLeft}px, ${-area.scrollTop}px)`;
    backdrop.style.transform = t;
    numbers.style.transform = `translateY(${-area.scrollTop}px)`;
  };
  area.addEventListener("scroll", sync);
  area.addEventListener("input", () => {
    paint();
    onInput();
  });
  area.addEventListener("keydown", (e) => {
    // Tab indents inside the editor; Escape then Tab leaves it, so keyboard users are never trapped.
    if (e.key === "Tab" && !e.shiftKey && !area.dataset.escaped) {
      e.preventDefault();
      area.setRangeText("    ", area.selectionStart, area.selectionEnd, "end");
      area.dispatchEvent(new Event("input"));
    } else if (e.key === "Escape") {
      area.dataset.escaped = "1";
    } else {
      delete area.dataset.escaped;
    }
  });
  area.addEventListener("blur", () => delete area.dataset.escaped);
  // The label names the text area; a click on it moves there, as a <label> would.
  shell.labelEl.addEventListener("click", () => area.isConnected && area.focus());

  return {
    get value() {
      return area.value;
    },
    set value(v) {
      area.value = v;
      paint();
      area.scrollTop = 0;
    },
    diagnose(list) {
      marks = new Map();
      for (const d of list) if (d.line) marks.set(d.line, d.severity === "warning" ? "warning" : "error");
      paint();
    },
    goTo(line, column) {
      const rows = area.value.split("\n");
      let pos = 0;
      for (let i = 0; i < Math.min(line - 1, rows.length); i++) pos += rows[i].length + 1;
      pos += Math.max(0, (column || 1) - 1);
      area.focus();
      area.setSelectionRange(pos, pos);
      const lh = parseFloat(getComputedStyle(area).lineHeight) || 20;
      area.scrollTop = Math.max(0, (line - 3) * lh);
      sync();
    },
    caret() {
      const before = area.value.slice(0, area.selectionStart).split("\n");
      return [before.length, before[before.length - 1].length + 1];
    },
  };
}

/** The CodeMirror editor of the bundle, with completion and help from `words` (script only). */
function codeMirrorEditor(shell, bundle, onInput, words) {
  const editor = bundle.createEditor(shell.host, {
    labelledBy: `${shell.id}-label`,
    describedBy: shell.describedBy,
    testid: `editor-${shell.name}`,
    language: shell.name.endsWith(".json") ? "json" : "script",
    words,
    onChange: onInput,
    onCaret: (found) => showHelp(shell, found),
  });
  // The label names the editor; a click on it moves there, as a <label> would.
  shell.labelEl.addEventListener("click", () => editor.focus());
  shell.host.dataset.editor = "codemirror";
  return editor;
}

/** Loads the editor bundle once; null when it is not there (the textarea stands in). */
let bundlePromise = null;
function loadBundle() {
  bundlePromise ??= import(EDITOR_BUNDLE).catch((e) => {
    console.warn(`the code editor could not be loaded (${e.message}); using a plain text area`);
    return null;
  });
  return bundlePromise;
}

/** The words a script can use: the engine's vocabulary and the rubric's items. */
function scriptWords(engine) {
  const vocabulary = engine && engine.constructor && engine.constructor.vocabulary;
  if (typeof vocabulary !== "function") return null;
  try {
    return new ScriptWords(vocabulary.call(engine.constructor));
  } catch (e) {
    console.warn(`no script vocabulary: ${e.message}`);
    return null;
  }
}

/** The items declared in metadata text that may not compile yet (for completion while editing). */
function itemsOf(metaText) {
  try {
    const items = JSON.parse(metaText).items;
    return Array.isArray(items) ? items.filter((i) => i && typeof i.id === "string") : [];
  } catch {
    return null;
  }
}

/**
 * Builds the trainer view. `ctx`: `{engine, bundle, rubrics(), onRubricLoaded()}`.
 */
export function trainerView(ctx) {
  const edits = new Map(); // rubric id → {meta, script}
  const bundled = new Map(ctx.bundle.map((b) => [b.id, b]));
  const loadedText = new Map(ctx.bundle.map((b) => [b.id, { meta: b.meta, script: b.script }]));
  // What is kept outside the page: the bundled text, or what was last downloaded.
  const kept = new Map(ctx.bundle.map((b) => [b.id, { meta: b.meta, script: b.script }]));
  const ids = ctx.bundle.map((b) => b.id);
  let current = ids[0];
  let timer = null;

  const scriptShell = editorShell("rubric.rhai", t("trainer.script"));
  const metaShell = editorShell("rubric.json", t("trainer.meta"));
  // A text area at once; the code editor replaces it when its bundle has loaded.
  let script = textareaEditor(scriptShell, () => changed());
  let meta = textareaEditor(metaShell, () => changed());
  const words = scriptWords(ctx.engine);
  const summary = h("div", { class: "check-summary", role: "status", "data-testid": "check-summary" });
  const caseOut = h("div", { class: "cases", "data-testid": "case-results" });
  const coverageOut = h("div", { class: "coverage", "data-testid": "coverage-results" });
  const picker = h(
    "select",
    { id: "trainer-rubric", "data-testid": "trainer-rubric" },
    ids.map((id) => h("option", { value: id }, titleOf(id))),
  );

  function titleOf(id) {
    const info = ctx.rubrics().find((r) => r.id === id);
    return info ? info.title : id;
  }

  function open(id) {
    if (current && edits.has(current)) edits.set(current, { meta: meta.value, script: script.value });
    current = id;
    const e = edits.get(id) || loadedText.get(id) || { meta: "", script: "" };
    edits.set(id, { ...e });
    meta.value = e.meta;
    script.value = e.script;
    picker.value = id;
    replace(caseOut);
    replace(coverageOut);
    check();
  }

  function changed() {
    edits.set(current, { meta: meta.value, script: script.value });
    clearTimeout(timer);
    timer = setTimeout(check, 200);
  }

  function showDiagnostics(errors) {
    const byFile = { "rubric.rhai": [], "rubric.json": [] };
    for (const d of errors) {
      const file = d.file && d.file.endsWith("rubric.json") ? "rubric.json" : d.file && d.file.endsWith("rubric.rhai") ? "rubric.rhai" : null;
      (byFile[file] || byFile["rubric.rhai"]).push(d);
    }
    for (const [file, editor, shell] of [["rubric.rhai", script, scriptShell], ["rubric.json", meta, metaShell]]) {
      const list = byFile[file];
      editor.diagnose(list);
      replace(
        shell.diag,
        list.length
          ? h(
              "ul",
              { class: "diagnostics" },
              list.map((d) =>
                h(
                  "li",
                  { class: d.severity === "warning" ? "warning" : "error", "data-testid": "editor-diagnostic" },
                  d.line
                    ? h(
                        "button",
                        {
                          type: "button",
                          class: "link loc",
                          onclick: () => (file === "rubric.rhai" ? script : meta).goTo(d.line, d.column),
                          "data-testid": "diagnostic-location",
                          title: t("trainer.goToLine", { line: d.line, column: d.column ?? 1 }),
                        },
                        `${file}:${d.line}:${d.column ?? 1}`,
                      )
                    : h("span", { class: "loc" }, d.path ? `${file} ${t("problem.at")} ${d.path}` : file),
                  " ",
                  h("code", {}, d.code),
                  " ",
                  d.message,
                  d.help ? h("p", { class: "hint" }, t("trainer.help", { help: d.help })) : null,
                ),
              ),
            )
          : null,
      );
    }
  }

  /** Sets the summary (a status region) only when its words change, so typing stays quiet. */
  function summarize(state, badge, text) {
    const key = `${state}|${badge}|${text}`;
    if (summary.dataset.key === key) return;
    summary.dataset.key = key;
    replace(summary, h("span", { class: `badge ${state === "ok" ? "ok" : "bad"}` }, badge), text);
    summary.dataset.state = state;
  }

  function check() {
    const answer = ctx.engine.checkRubric(meta.value, script.value);
    // The items the script may name: the compiled rubric's, or those of metadata being edited.
    if (words) words.setItems(answer.type === "success" ? answer.rubric.meta.items : itemsOf(meta.value) ?? words.items);
    const warnings = answer.warnings || [];
    if (answer.type === "success") {
      showDiagnostics(warnings);
      const r = answer.rubric;
      summarize(
        "ok",
        warnings.length ? t("trainer.noErrors", { count: warnings.length }) : t("trainer.noProblems"),
        ` ${r.title} v${r.version}: ${t("home.indicators", { count: r.meta.indicators.length })}, ${t("home.items", { count: r.meta.items.length })}`,
      );
    } else {
      showDiagnostics([...answer.errors, ...warnings]);
      summarize("problems", t("trainer.problems", { count: answer.errors.length }), ` ${t("trainer.fixFirst")}`);
    }
    const loaded = loadedText.get(current);
    const dirty = !loaded || loaded.meta !== meta.value || loaded.script !== script.value;
    loadState.textContent = dirty ? t("trainer.edited") : t("trainer.same");
    loadState.dataset.dirty = dirty ? "true" : "false";
  }

  function load() {
    const answer = ctx.engine.loadRubric(meta.value, script.value);
    if (answer.type !== "success") {
      showDiagnostics(answer.errors);
      announce(t("trainer.notLoaded"));
      return;
    }
    const id = answer.rubric.id;
    loadedText.set(id, { meta: meta.value, script: script.value });
    if (!ids.includes(id)) {
      ids.push(id);
      picker.append(h("option", { value: id }, answer.rubric.title));
    }
    check();
    ctx.onRubricLoaded();
    announce(t("trainer.loaded", { title: answer.rubric.title, version: answer.rubric.version }));
  }

  /**
   * Runs `use(engine, id)` with the text in the editors: the engine's own rubric when the text is
   * the loaded version, else the edited text loaded into a scratch engine (the app's engine keeps
   * its rubric). Returns `{value, which}` (`which` says which version ran), or `{errors}` when the
   * edited text does not load.
   */
  function withEditedRubric(use) {
    // Compared now, not from the last check (which waits for a pause in typing).
    const loaded = loadedText.get(current);
    if (loaded && loaded.meta === meta.value && loaded.script === script.value) {
      return { value: use(ctx.engine, current), which: t("trainer.whichLoaded") };
    }
    const scratch = new ctx.engine.constructor();
    try {
      const answer = scratch.loadRubric(meta.value, script.value);
      if (answer.type !== "success") return { errors: answer.errors };
      return { value: use(scratch, answer.rubric.id), which: t("trainer.whichEdited") };
    } finally {
      scratch.free?.();
    }
  }

  /** What to show when the edited text does not load, so nothing could run. */
  function notRun(out, errors) {
    replace(
      out,
      h("p", { class: "case-summary", "data-testid": "case-summary" }, h("strong", {}, t("trainer.notRun")), ` ${t("trainer.notRunWhy")}`),
      diagnosticList(errors),
    );
  }

  function runCases() {
    const b = bundled.get(current);
    const cases = b ? b.cases : [];
    if (!cases.length) {
      replace(caseOut, h("p", { class: "muted" }, t("trainer.noCases")));
      return;
    }
    const ran = withEditedRubric((engine, id) => engine.runCases(id, cases));
    if (ran.errors) {
      notRun(caseOut, ran.errors);
      return;
    }
    const outcomes = ran.value;
    if (!Array.isArray(outcomes)) {
      replace(caseOut, diagnosticList(outcomes.errors || []));
      return;
    }
    const passed = outcomes.filter((o) => o.passed).length;
    replace(
      caseOut,
      h(
        "p",
        { class: "case-summary", "data-testid": "case-summary" },
        h("strong", {}, t("trainer.passedFailed", { passed, failed: outcomes.length - passed })),
        ` — ${t("trainer.ran", { which: ran.which })}`,
      ),
      h(
        "div",
        { class: "table-wrap" },
        h(
          "table",
          { class: "case-table" },
          h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("trainer.case")), h("th", { scope: "col" }, t("trainer.result")), h("th", { scope: "col" }, t("trainer.checks")))),
          h(
            "tbody",
            {},
            outcomes.map((o) =>
              h(
                "tr",
                { "data-testid": "case-row", "data-passed": String(o.passed) },
                h("th", { scope: "row" }, h("code", {}, o.name)),
                h("td", {}, h("span", { class: `badge ${o.passed ? "ok" : "bad"}` }, t(o.passed ? "trainer.passed" : "trainer.failed"))),
                h("td", {}, o.description, o.problems.length ? diagnosticList(o.problems) : null),
              ),
            ),
          ),
        ),
      ),
    );
  }

  /** Which rating calls and levels of the loaded rubric the self-test cases reach. */
  function showCoverage() {
    const b = bundled.get(current);
    const cases = b ? b.cases : [];
    if (!cases.length) {
      replace(coverageOut, h("p", { class: "muted" }, t("trainer.noCases")));
      return;
    }
    const ran = withEditedRubric((engine, id) => engine.caseCoverage(id, cases));
    if (ran.errors) {
      notRun(coverageOut, ran.errors);
      return;
    }
    const answer = ran.value;
    if (answer.type !== "success") {
      replace(coverageOut, diagnosticList(answer.errors || []));
      return;
    }
    const c = answer.coverage;
    const n = c.counts;
    const levelText = (l) => (l === "not-enough-evidence" ? t("trends.outcomeNotEnough") : l === "not-applicable" ? t("trends.outcomeNotApplicable") : String(l));
    const callText = (s) =>
      s.call === "rating" ? `rating(${s.level ?? "…"}, …)` : "not_enough_evidence(…)";
    const gaps = [];
    for (const ind of c.indicators) {
      for (const s of ind.sites) if (!s.reached_by.length) gaps.push({ site: s, indicator: ind.id });
    }
    for (const s of c.shared) if (!s.reached_by.length) gaps.push({ site: s, indicator: null });
    const complete = n.sites === n.sites_reached && n.levels === n.levels_reached;
    replace(
      coverageOut,
      h(
        "p",
        { class: "coverage-summary", "data-testid": "coverage-summary", "data-complete": String(complete) },
        h("span", { class: `badge ${complete ? "ok" : "bad"}` }, t(complete ? "trainer.complete" : "trainer.gaps")),
        " ",
        h("strong", {}, t("trainer.coverageCounts", { calls: n.sites_reached, sites: n.sites, levels: n.levels_reached, count: n.levels })),
        ` ${t("trainer.byCases", { count: c.cases, which: ran.which })}`,
      ),
      h(
        "div",
        { class: "table-wrap" },
        h(
          "table",
          { class: "case-table coverage-table" },
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              h("th", { scope: "col" }, t("result.indicator")),
              h("th", { scope: "col" }, t("trainer.callsReached")),
              h("th", { scope: "col" }, t("trainer.resultsGiven")),
              h("th", { scope: "col" }, t("trainer.neverGiven")),
            ),
          ),
          h(
            "tbody",
            {},
            c.indicators.map((ind) => {
              const reached = ind.sites.filter((s) => s.reached_by.length).length;
              const given = ind.levels.filter((l) => l.produced_by.length).map((l) => levelText(l.level));
              const never = ind.levels.filter((l) => l.in_script && !l.produced_by.length).map((l) => levelText(l.level));
              return h(
                "tr",
                { "data-testid": "coverage-row", "data-indicator": ind.id, "data-complete": String(reached === ind.sites.length && !never.length) },
                h("th", { scope: "row" }, h("code", {}, ind.id)),
                h("td", {}, `${reached} ${t("trends.coverageOf")} ${ind.sites.length}`),
                h("td", {}, given.join(", ") || t("trainer.nothing")),
                h("td", {}, never.join(", ") || "—"),
              );
            }),
          ),
        ),
      ),
      gaps.length
        ? h(
            "ul",
            { class: "diagnostics", "aria-label": t("trainer.unreached") },
            gaps.map(({ site, indicator }) =>
              h(
                "li",
                { class: "warning", "data-testid": "coverage-gap" },
                h(
                  "button",
                  { type: "button", class: "link loc", onclick: () => script.goTo(site.line, site.column), "data-testid": "coverage-location" },
                  `rubric.rhai:${site.line}:${site.column}`,
                ),
                " ",
                h("code", {}, "R0214"),
                ` ${t("trainer.noCaseReaches")} `,
                h("code", {}, callText(site)),
                indicator ? [` ${t("trainer.ofIndicator")} `, h("code", {}, indicator)] : null,
              ),
            ),
          )
        : null,
    );
    announce(`${t("trainer.coverageLabel")}: ${t("trainer.coverageCounts", { calls: n.sites_reached, sites: n.sites, levels: n.levels_reached, count: n.levels })}`);
  }

  function reset() {
    const b = bundled.get(current);
    if (!b) return;
    edits.set(current, { meta: b.meta, script: b.script });
    meta.value = b.meta;
    script.value = b.script;
    check();
    announce(t("trainer.restored"));
  }

  const loadState = h("p", { class: "load-state muted small", "data-testid": "load-state" });

  /** Rubrics whose text in the editors is neither the bundled one nor downloaded. */
  function unsaved() {
    return [...edits].filter(([id, e]) => {
      const k = kept.get(id);
      return !k || k.meta !== e.meta || k.script !== e.script;
    });
  }
  function keep(file, text) {
    const k = kept.get(current) ?? { meta: null, script: null };
    kept.set(current, { ...k, [file]: text });
  }
  // Edits live in this page only: reloading or closing it asks first.
  window.addEventListener("beforeunload", (e) => {
    if (!unsaved().length) return;
    e.preventDefault();
    e.returnValue = "";
  });
  picker.addEventListener("change", () => open(picker.value));

  const el = h(
    "div",
    { class: "trainer" },
    h("h1", {}, t("trainer.title")),
    h(
      "p",
      { class: "lead" },
      t("trainer.lede"),
    ),
    h(
      "div",
      { class: "trainer-bar" },
      h("div", { class: "field" }, h("label", { for: "trainer-rubric" }, t("trainer.rubric")), picker),
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", class: "primary", "data-testid": "load-rubric", onclick: load }, t("trainer.load")),
        h("button", { type: "button", "data-testid": "run-cases", onclick: runCases }, t("trainer.runCases")),
        h("button", { type: "button", "data-testid": "show-coverage", onclick: showCoverage }, t("trainer.showCoverage")),
        h("button", { type: "button", onclick: () => (keep("script", script.value), download("rubric.rhai", script.value, "text/plain")), "data-testid": "download-rhai" }, t("trainer.download", { file: "rubric.rhai" })),
        h("button", { type: "button", onclick: () => (keep("meta", meta.value), download("rubric.json", meta.value)), "data-testid": "download-json" }, t("trainer.download", { file: "rubric.json" })),
        h("button", { type: "button", class: "quiet", onclick: reset, "data-testid": "restore-rubric" }, t("trainer.restore")),
      ),
    ),
    summary,
    loadState,
    h("div", { class: "editors" }, scriptShell.el, metaShell.el),
    h("section", { "aria-labelledby": "cases-h", class: "cases-section" }, h("h2", { id: "cases-h" }, t("trainer.cases")), caseOut),
    h(
      "section",
      { "aria-labelledby": "coverage-h", class: "cases-section" },
      h("h2", { id: "coverage-h" }, t("trainer.coverageTitle")),
      coverageOut,
    ),
  );
  /** Nothing edited or loaded here: the view can be built again (in another language) without losing anything. */
  function pristine() {
    return [...edits, ...loadedText].every(([id, e]) => {
      const b = bundled.get(id);
      return b && b.meta === e.meta && b.script === e.script;
    });
  }

  open(current);
  loadBundle().then((bundle) => {
    if (bundle) {
      // The code editor takes over with the same text; a caret already in the text area moves along.
      const focused = [scriptShell, metaShell].find((sh) => sh.host.contains(document.activeElement));
      for (const [shell, old, set] of [
        [scriptShell, script, (e) => (script = e)],
        [metaShell, meta, (e) => (meta = e)],
      ]) {
        const text = old.value;
        const [line, column] = old.caret();
        shell.host.replaceChildren();
        const editor = codeMirrorEditor(shell, bundle, () => changed(), shell === scriptShell ? words : null);
        editor.value = text;
        set(editor);
        if (shell === focused) editor.goTo(line, column);
      }
      check();
    }
    el.dataset.editor = bundle ? "codemirror" : "textarea";
  });
  return { el, open, pristine };
}
