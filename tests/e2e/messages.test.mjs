// The coach app's own words (web/app/messages.js), without a browser: every message has both
// languages, with the same placeholders and the same plural forms; every key the app's modules
// look up (`t("…")`, and `t(`…${…}…`)` families) is there; no message is left empty or untranslated
// by mistake; `t` fills placeholders and picks plural forms by `Intl.PluralRules`.
//
// Run from this folder: `node --test messages.test.mjs`.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { APP } from "./helpers.mjs";

const { MESSAGES } = await import(path.join(APP, "messages.js"));
const i18n = await import(path.join(APP, "i18n.js"));

const LANGS = ["en", "es"];

/** The `{name}` placeholders of a message (all its plural forms). */
function placeholders(message) {
  const texts = typeof message === "string" ? [message] : Object.values(message);
  return [...new Set(texts.flatMap((s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1])))].sort();
}

/** Every problem with the table: missing languages, placeholders or plural forms that differ, empty texts. */
export function tableProblems(messages) {
  const out = [];
  const keys = new Set(LANGS.flatMap((l) => Object.keys(messages[l] ?? {})));
  for (const key of keys) {
    const [en, es] = LANGS.map((l) => messages[l]?.[key]);
    if (en === undefined || es === undefined) {
      out.push(`${key}: missing in ${en === undefined ? "en" : "es"}`);
      continue;
    }
    for (const [l, m] of [["en", en], ["es", es]]) {
      const texts = typeof m === "string" ? [m] : typeof m === "object" && m !== null ? Object.values(m) : [null];
      if (texts.some((s) => typeof s !== "string" || s.trim() === "")) out.push(`${key}: an empty or non-text message in ${l}`);
      if (typeof m === "object" && m !== null && !("other" in m)) out.push(`${key}: plural forms without "other" in ${l}`);
      if (typeof m === "object" && m !== null) {
        const allowed = new Intl.PluralRules(l).resolvedOptions().pluralCategories;
        for (const form of Object.keys(m)) if (!allowed.includes(form)) out.push(`${key}: "${form}" is not a plural form of ${l}`);
      }
    }
    if (typeof en !== typeof es) out.push(`${key}: plural forms in one language only`);
    const a = placeholders(en).join(", ");
    const b = placeholders(es).join(", ");
    if (a !== b) out.push(`${key}: placeholders {${a}} in en, {${b}} in es`);
  }
  return out;
}

/** The namespaces of the table's keys (`home` of `home.new`). */
const NAMESPACES = new Set(Object.keys(MESSAGES.en).map((k) => k.split(".")[0]));

/**
 * The keys the app's modules look up: `t("key"…)`, any other text in double quotes that names a
 * key of one of the table's namespaces (keys kept in tables and looked up later: `label:
 * "field.id"`), and `t(`list.${name}.row`…)` as a pattern (`^list\.[^.]+\.row$`) that some key
 * must match. `text` is a module's source.
 */
export function usedKeys(text) {
  const literal = [...text.matchAll(/\bt\(\s*"([^"\\]+)"/g)].map((m) => m[1]);
  const tabled = [...text.matchAll(/(?<!\bt\(\s*)"([a-z][A-Za-z]*\.[A-Za-z][\w.-]*)"/g)].map((m) => m[1]).filter((k) => NAMESPACES.has(k.split(".")[0]));
  const patterns = [...text.matchAll(/\bt\(\s*`([^`]+)`/g)].map((m) => m[1]);
  return { literal: [...literal, ...tabled], patterns };
}

function patternRegex(template) {
  const parts = template.split(/\$\{[^}]*\}/);
  return new RegExp(`^${parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("[^.]+")}$`);
}

const sources = readdirSync(APP)
  .filter((f) => f.endsWith(".js") && !f.endsWith(".bundle.js"))
  .map((f) => [f, readFileSync(path.join(APP, f), "utf8")]);
// The page's own elements name their keys in `data-i18n` and `data-i18n-label`.
const page = readFileSync(path.join(APP, "index.html"), "utf8");
sources.push(["index.html", [...page.matchAll(/data-i18n(?:-label)?="([^"]+)"/g)].map((m) => `t("${m[1]}")`).join("\n")]);

test("every message is in English and Spanish, with the same placeholders and plural forms", () => {
  assert.ok(Object.keys(MESSAGES.en).length > 300, "the table is the app's");
  assert.deepEqual(tableProblems(MESSAGES), []);
});

test("the check finds a missing translation, a placeholder that differs and a plural form Spanish lacks", () => {
  const broken = structuredClone(MESSAGES);
  delete broken.es["home.new"];
  broken.es["home.openExample"] = "Abrir ejemplo: {nombre}";
  broken.es["data.goals"] = { one: "{count} meta", few: "{count} metas" };
  broken.en["editor.print"] = "";
  assert.deepEqual(tableProblems(broken).sort(), [
    "data.goals: \"few\" is not a plural form of es",
    "data.goals: plural forms without \"other\" in es",
    "editor.print: an empty or non-text message in en",
    "home.new: missing in es",
    "home.openExample: placeholders {name} in en, {nombre} in es",
  ]);
});

test("every key the app looks up is in the table", () => {
  const keys = new Set(Object.keys(MESSAGES.en));
  const missing = [];
  let used = 0;
  for (const [file, text] of sources) {
    const { literal, patterns } = usedKeys(text);
    used += literal.length + patterns.length;
    for (const k of literal) if (!keys.has(k)) missing.push(`${file}: ${k}`);
    for (const p of patterns) {
      const re = patternRegex(p);
      if (![...keys].some((k) => re.test(k))) missing.push(`${file}: ${p}`);
    }
  }
  assert.ok(used > 300, `the scan finds the app's look-ups (${used})`);
  assert.deepEqual(missing, []);
});

test("the scan catches a key the table lacks", () => {
  const { literal, patterns } = usedKeys('h("p", {}, t("home.nope")); t(`list.${name}.gone`, { n }); const X = { label: "field.nope" };');
  assert.deepEqual(literal, ["home.nope", "field.nope"]);
  assert.equal(patterns.length, 1);
  const keys = Object.keys(MESSAGES.en);
  assert.ok(!keys.includes("home.nope"));
  assert.ok(!keys.some((k) => patternRegex(patterns[0]).test(k)));
  assert.ok(keys.some((k) => patternRegex("list.${name}.row").test(k)));
});

test("t fills placeholders, writes numbers and picks plural forms in each language", () => {
  // Outside a browser the module starts in English.
  assert.equal(i18n.lang(), "en");
  assert.equal(i18n.t("report.visits", { count: 1 }), "1 visit");
  assert.equal(i18n.t("report.visits", { count: 4 }), "4 visits");
  assert.equal(i18n.t("home.openExample", { name: "center-infants" }), "Open example: center-infants");
  assert.equal(i18n.t("no.such.key"), "no.such.key");
  assert.equal(i18n.formatNumber(4.4285, 2), "4.43");
  const heard = [];
  const stop = i18n.onLangChange((l) => heard.push(l));
  // No document here: setLang only switches and tells the listeners.
  globalThis.document = { documentElement: {} };
  try {
    i18n.setLang("es-MX");
    assert.equal(i18n.lang(), "es");
    assert.equal(globalThis.document.documentElement.lang, "es");
    assert.equal(i18n.t("report.visits", { count: 1 }), "1 visita");
    assert.equal(i18n.t("report.visits", { count: 4 }), "4 visitas");
    assert.equal(i18n.t("result.rated", { rated: 3, count: 5 }), "3 de 5 indicadores calificados");
    assert.equal(i18n.formatNumber(4.4285, 2), "4.43", "as Latin America writes it, and the engine");
    assert.equal(i18n.formatNumber(1234.5), "1,234.5");
    i18n.setLang("fr");
    assert.equal(i18n.lang(), "es", "a language the app does not speak is ignored");
    i18n.setLang("en");
  } finally {
    delete globalThis.document;
    stop();
  }
  assert.deepEqual(heard, ["es", "en"]);
});
