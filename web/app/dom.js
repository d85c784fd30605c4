// Small DOM helpers: build elements without innerHTML, so text from records and rubrics is never
// parsed as markup, and never acts on the page (control and direction characters are shown).

/**
 * `h("p", {class: "x", "data-testid": "y", onclick: fn}, "text", child)`.
 * Attributes set to `false`, `null` or `undefined` are left out; `true` sets an empty attribute.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith("on") && typeof v === "function") {
      el.addEventListener(k.slice(2), v);
    } else if (k === "value" && "value" in el) {
      el.value = v;
    } else if (k === "checked" || k === "selected") {
      el[k] = Boolean(v);
    } else {
      el.setAttribute(k, v === true ? "" : String(v));
    }
  }
  append(el, children);
  return el;
}

// Characters that would act on the page instead of showing: C0 controls but tab and newline,
// DEL, C1 controls, the text-direction controls (marks, embeddings, overrides, isolates) and the
// line and paragraph separators. Text from records, rubrics and scripts shows them as escapes
// (`\u{202e}`), as the engine's command line does, so an override cannot reorder the page.
// These are the engine's `HIDDEN_CHARACTERS` (engine/src/text.rs; `hidden_characters` of
// `RubricaEngine.vocabulary()`) less tab and newline. The copy is kept here because text is
// shown before the engine has loaded (the loading and start-up error messages);
// tests/tests/vocabulary_sync.rs checks it against the engine.
const HIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// A strong right-to-left letter (Hebrew, Arabic, Syriac, Thaana, N'Ko…): such text is put in a
// <bdi>, so its direction never spills over the labels and numbers around it.
const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\u{10800}-\u{10fff}\u{1e800}-\u{1efff}]/u;

/** `text` with the characters that would act on the page shown as visible escapes. */
export function visible(text) {
  return String(text).replace(HIDDEN, (c) => `\\u{${c.codePointAt(0).toString(16)}}`);
}

function textNode(el, value) {
  // A textarea's children are its value: kept exactly, so editing never changes the data.
  if (el.localName === "textarea") return document.createTextNode(String(value));
  const shown = visible(value);
  const node = document.createTextNode(shown);
  if (!RTL.test(shown) || el.localName === "option" || el.localName === "title") return node;
  const isolated = document.createElement("bdi");
  isolated.append(node);
  return isolated;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : textNode(el, c));
  }
}

/** Replaces every child of `el`. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let counter = 0;
/** A document-unique id for label/aria wiring. */
export function uid(prefix) {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** Escapes one JSON-pointer segment (`~` → `~0`, `/` → `~1`). */
export function seg(s) {
  return String(s).replaceAll("~", "~0").replaceAll("/", "~1");
}

/** Offers `text` as a file download named `name`. */
export function download(name, text, type = "application/json") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h("a", { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

let quiet = false;
/** Runs `fn` with `announce` silenced: for redrawing what the coach already knows (a view drawn again in another language). */
export function quietly(fn) {
  quiet = true;
  try {
    return fn();
  } finally {
    quiet = false;
  }
}

/** Announces a short status message to screen readers and shows it briefly. */
export function announce(text) {
  const el = document.getElementById("status-message");
  if (!el || quiet) return;
  el.textContent = text;
  el.classList.add("visible");
  clearTimeout(announce.timer);
  announce.timer = setTimeout(() => el.classList.remove("visible"), 4000);
}
