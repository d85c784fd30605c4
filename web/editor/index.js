// The trainer's code editor: CodeMirror 6 with completion, help on hover, diagnostics in the
// text, keyboard access and screen-reader names. `cargo xtask build-web` bundles this file
// (with esbuild, from the packages pinned in xtask/npm) into web/app/editor.bundle.js, which the
// app loads only when the trainer view opens. What to complete and explain comes from the app
// (script-words.js, over the engine's vocabulary); this file only wires it into the editor.

import { EditorState } from "@codemirror/state";
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection,
  hoverTooltip,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import {
  autocompletion, completionKeymap, acceptCompletion, closeBrackets, closeBracketsKeymap,
  startCompletion,
} from "@codemirror/autocomplete";
import { setDiagnostics, lintGutter, lintKeymap, forEachDiagnostic } from "@codemirror/lint";
import { bracketMatching, indentOnInput, syntaxHighlighting, defaultHighlightStyle } from "@codemirror/language";
import { json } from "@codemirror/lang-json";

const theme = EditorView.theme({
  "&": { fontSize: "0.9rem", border: "1px solid var(--line-strong, #76808f)", borderRadius: "6px", background: "#fff" },
  "&.cm-focused": { outline: "3px solid var(--focus, #1d4ed8)", outlineOffset: "2px" },
  ".cm-scroller": { fontFamily: "var(--mono, ui-monospace, monospace)", lineHeight: "1.5", overflow: "auto" },
  ".cm-gutters": { background: "#f3f4f6", color: "#4b5563", borderRight: "1px solid #6b7280" },
  ".cm-tooltip": { maxWidth: "min(36rem, 90vw)", whiteSpace: "normal" },
  ".cm-tooltip.cm-word-help": { padding: "0.35rem 0.5rem" },
  ".cm-word-help code": { fontWeight: "600" },
  ".cm-completionInfo": { whiteSpace: "normal" },
  ".cm-completionDetail": { color: "#374151", fontStyle: "normal", marginLeft: "0.75em" },
  ".cm-tooltip-autocomplete ul li[aria-selected]": { background: "#1e40af", color: "#fff" },
  ".cm-tooltip-autocomplete ul li[aria-selected] .cm-completionDetail": { color: "#fff" },
  ".cm-lintRange-error": { backgroundImage: "none", textDecoration: "underline wavy #b91c1c", textUnderlineOffset: "3px" },
  ".cm-lintRange-warning": { backgroundImage: "none", textDecoration: "underline wavy #92400e", textUnderlineOffset: "3px" },
});

/** Offset of 1-based `line`:`column` in `doc`, kept inside the text. */
function offset(doc, line, column) {
  const l = doc.line(Math.min(Math.max(1, line || 1), doc.lines));
  return Math.min(l.from + Math.max(0, (column || 1) - 1), l.to);
}

/** Inserts a helper as `name()` with the caret between the parentheses (once, if `(` follows). */
function insertCall(view, completion, from, to) {
  const open = view.state.sliceDoc(to, to + 1) === "(";
  const insert = open ? completion.label : `${completion.label}()`;
  view.dispatch({
    changes: { from, to, insert },
    selection: { anchor: from + completion.label.length + 1 },
    userEvent: "input.complete",
  });
}

/**
 * An editor in `parent`. Options: `doc`, `labelledBy` and `describedBy` (element ids),
 * `testid`, `language` (`"script"` or `"json"`), `words` (a ScriptWords, for the script),
 * `onChange(text)`, `onCaret(help | null)` (help for the word at the caret, for a visible panel).
 */
export function createEditor(parent, options) {
  const { words, onChange, onCaret } = options;
  let help = null;
  // Text set by the app (opening another rubric) is not an edit.
  let silent = false;
  const extensions = [
    lineNumbers(),
    highlightActiveLineGutter(),
    history(),
    drawSelection(),
    indentOnInput(),
    bracketMatching(),
    closeBrackets(),
    highlightActiveLine(),
    syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
    lintGutter(),
    theme,
    EditorView.contentAttributes.of({
      "aria-labelledby": options.labelledBy,
      "aria-describedby": options.describedBy,
      "data-testid": options.testid,
      // Focusable as the scrolling region's content in every checker's eyes, not only as contenteditable.
      tabindex: "0",
      spellcheck: "false",
      autocapitalize: "off",
      autocorrect: "off",
    }),
    keymap.of([
      // Tab accepts an open completion; otherwise it indents (Escape, then Tab, leaves).
      { key: "Tab", run: acceptCompletion },
      { key: "Ctrl-Space", run: startCompletion },
      ...closeBracketsKeymap,
      ...completionKeymap,
      ...defaultKeymap,
      ...historyKeymap,
      ...lintKeymap,
      indentWithTab,
    ]),
    EditorView.updateListener.of((u) => {
      if (u.docChanged && onChange && !silent) onChange(u.state.doc.toString());
      if ((u.docChanged || u.selectionSet) && onCaret && words) {
        const next = words.help(u.state.doc.toString(), u.state.selection.main.head);
        const key = next ? `${next.title}|${next.text}` : "";
        if (key !== help) {
          help = key;
          onCaret(next);
        }
      }
    }),
  ];
  if (options.language === "json") extensions.push(json());
  if (words) {
    extensions.push(
      autocompletion({
        override: [
          (ctx) => {
            const before = ctx.state.sliceDoc(0, ctx.pos);
            const found = words.complete(before, ctx.explicit);
            if (!found || !found.options.length) return null;
            const options = found.options.map((o) => (o.call ? { ...o, apply: insertCall } : o));
            return { from: found.from, options, validFor: /^[A-Za-z0-9_-]*$/ };
          },
        ],
        icons: false,
        aboveCursor: false,
      }),
      hoverTooltip((view, pos) => {
        const found = words.help(view.state.doc.toString(), pos);
        if (!found) return null;
        return {
          pos: found.from,
          end: found.to,
          above: true,
          create() {
            const dom = document.createElement("div");
            dom.className = "cm-word-help";
            const title = document.createElement("code");
            title.textContent = found.title;
            const text = document.createElement("div");
            text.textContent = found.text;
            dom.append(title, text);
            return { dom };
          },
        };
      }),
    );
  }
  const view = new EditorView({ parent, state: EditorState.create({ doc: options.doc || "", extensions }) });

  return {
    view,
    get value() {
      return view.state.doc.toString();
    },
    set value(text) {
      silent = true;
      try {
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, selection: { anchor: 0 } });
      } finally {
        silent = false;
      }
      view.scrollDOM.scrollTop = 0;
    },
    /** Shows `[{line, column, severity, message}]` in the text and the gutter. */
    diagnose(list) {
      const doc = view.state.doc;
      const diagnostics = list.filter((d) => d.line).map((d) => {
        const from = offset(doc, d.line, d.column);
        const lineEnd = doc.lineAt(from).to;
        const word = /^[A-Za-z0-9_"'-]+/.exec(doc.sliceString(from, lineEnd));
        const to = word ? from + word[0].length : Math.max(from, lineEnd);
        return { from, to, severity: d.severity === "warning" ? "warning" : "error", message: d.message };
      });
      view.dispatch(setDiagnostics(view.state, diagnostics));
    },
    goTo(line, column) {
      const pos = offset(view.state.doc, line, column);
      view.dispatch({ selection: { anchor: pos }, scrollIntoView: true });
      view.focus();
    },
    /** 1-based line and column of the caret. */
    caret() {
      const head = view.state.selection.main.head;
      const l = view.state.doc.lineAt(head);
      return [l.number, head - l.from + 1];
    },
    focus() {
      view.focus();
    },
  };
}

/** The editor around a DOM node of it (for tests and tools): its text, caret and diagnostics. */
export function inspect(dom) {
  const view = dom && EditorView.findFromDOM(dom);
  if (!view) return null;
  const head = view.state.selection.main.head;
  const line = view.state.doc.lineAt(head);
  const diagnostics = [];
  forEachDiagnostic(view.state, (d, from) => {
    diagnostics.push({ line: view.state.doc.lineAt(from).number, severity: d.severity, message: d.message });
  });
  return { text: view.state.doc.toString(), caret: [line.number, head - line.from + 1], diagnostics };
}
