// The app's own words in English and Spanish: one place to look them up (`t`), the language in
// use (`lang`, `setLang`, `onLangChange`), and dates and numbers written the way that language
// writes them (`formatNumber`, `formatDateTime`, `formatTime`).
//
// The words themselves are in messages.js, English and Spanish side by side for each key. A message
// is text with placeholders (`"{count} indicators rated"`), or, where a count decides the
// wording, an object of plural forms chosen by `Intl.PluralRules` for the `count` value
// (`{one: "{count} visit", other: "{count} visits"}`). The rubric texts (titles, levels,
// descriptors, strengths, next steps, questions) are not here: the engine gives them in the
// language asked for (`engineOptions()`).
//
// The language chosen is remembered in localStorage under `rubrica.lang`; without it the
// browser's language decides (Spanish for any `es…`, English otherwise).

import { MESSAGES } from "./messages.js";

/** The languages the app speaks, in the order the switch offers them, each named in itself. */
export const LANGUAGES = [
  { tag: "en", name: "English" },
  { tag: "es", name: "Español" },
];

/** The localStorage key of the chosen language. */
export const LANG_KEY = "rubrica.lang";

const DEFAULT = "en";
// How each language writes numbers, dates and times: Spanish as Latin America writes them
// (`es-419`: 4.43, as the engine's Spanish report does), English as the United States does.
const INTL_LOCALES = { en: "en-US", es: "es-419" };
const listeners = new Set();

function storage() {
  try {
    return window.localStorage;
  } catch {
    return null; // storage turned off: the language is not remembered
  }
}

/** The supported language for a tag (`es-MX` → `es`), or null. */
export function supported(tag) {
  if (typeof tag !== "string") return null;
  const base = tag.toLowerCase().split("-")[0];
  return LANGUAGES.some((l) => l.tag === base) ? base : null;
}

/** The language to start in: the remembered one, else the browser's (es* → es), else English. */
function initial() {
  let saved = null;
  try {
    saved = storage()?.getItem(LANG_KEY) ?? null;
  } catch {
    saved = null;
  }
  if (supported(saved)) return supported(saved);
  const browser = typeof navigator !== "undefined" ? navigator.languages?.[0] ?? navigator.language : "";
  return supported(browser) === "es" ? "es" : DEFAULT;
}

let current = typeof window === "undefined" ? DEFAULT : initial();

/** The language in use: `"en"` or `"es"`. */
export function lang() {
  return current;
}

/**
 * Switches the language: remembered, `<html lang>` set, and every `onLangChange` listener called
 * (the app redraws the view in place). A tag the app does not speak is ignored.
 */
export function setLang(tag) {
  const next = supported(tag);
  if (!next || next === current) return;
  current = next;
  try {
    storage()?.setItem(LANG_KEY, next);
  } catch {
    // not remembered; the switch still applies to this page
  }
  if (typeof document !== "undefined") document.documentElement.lang = next;
  for (const fn of [...listeners]) fn(next);
}

/** Calls `fn(tag)` after each switch of language. Returns a function that stops it. */
export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/**
 * The engine's options for rubric texts in the app's language (`evaluateAll(record, …)`). English,
 * the language the shipped rubrics are written in, is asked for by leaving `lang` out, so the app's
 * English reports and downloads stay byte for byte what `rubrica score` writes without `--lang`.
 */
export function engineOptions() {
  return current === DEFAULT ? {} : { lang: current };
}

/** The locale `Intl` writes the app's language in. */
export function intlLocale() {
  return INTL_LOCALES[current] ?? current;
}

const pluralRules = new Map();
function pluralCategory(n) {
  if (!pluralRules.has(current)) pluralRules.set(current, new Intl.PluralRules(intlLocale()));
  return pluralRules.get(current).select(n);
}

/** `n` as the language writes numbers; `digits` fixes the number of decimals. */
export function formatNumber(n, digits) {
  const options = digits === undefined ? { maximumFractionDigits: 2 } : { minimumFractionDigits: digits, maximumFractionDigits: digits };
  return new Intl.NumberFormat(intlLocale(), options).format(n);
}

/** A moment (Date, milliseconds or ISO text) as date and time in the language. */
export function formatDateTime(when) {
  return new Date(when).toLocaleString(intlLocale());
}

/** A moment's time of day in the language. */
export function formatTime(when) {
  return new Date(when).toLocaleTimeString(intlLocale());
}

/** The message `key` in `language` (or the app's), before placeholders are filled in. */
export function message(key, language = current) {
  return MESSAGES[language]?.[key] ?? MESSAGES[DEFAULT][key];
}

/**
 * The message `key` in the app's language with `{name}` placeholders filled from `values`
 * (numbers written as the language writes them). A message with plural forms picks its form by
 * `values.count`. An unknown key gives the key itself, so a missing message shows, rather than
 * an empty space (the tests check every key used exists in both languages).
 */
export function t(key, values = {}) {
  let m = message(key);
  if (m === undefined) return key;
  if (typeof m === "object") {
    const n = Number(values.count);
    m = m[Number.isFinite(n) ? pluralCategory(n) : "other"] ?? m.other;
  }
  return m.replace(/\{(\w+)\}/g, (whole, name) => {
    if (!(name in values)) return whole;
    const v = values[name];
    return typeof v === "number" ? formatNumber(v) : String(v);
  });
}

/**
 * Fills the page's own elements (index.html) marked `data-i18n="key"` (their text) and
 * `data-i18n-label="key"` (their `aria-label`), and `<html lang>`.
 */
export function translatePage(root = document) {
  document.documentElement.lang = current;
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-label]")) el.setAttribute("aria-label", t(el.dataset.i18nLabel));
}
