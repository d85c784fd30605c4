// Small DOM helpers: build elements without innerHTML, so text from records and rubrics is never
// parsed as markup.

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

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
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

/** Announces a short status message to screen readers and shows it briefly. */
export function announce(text) {
  const el = document.getElementById("status-message");
  if (!el) return;
  el.textContent = text;
  el.classList.add("visible");
  clearTimeout(announce.timer);
  announce.timer = setTimeout(() => el.classList.remove("visible"), 4000);
}
