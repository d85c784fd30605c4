// What the trainer's script editor completes and explains (web/app/script-words.js), over the
// vocabulary of the built engine (`RubricaEngine.vocabulary()`, the wasm module run in Node) and
// the items of a shipped rubric. No browser: the same functions the editor calls.
//
// Run from this folder: `node --test script-words.test.mjs` (after `cargo xtask build-web`).

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { APP, REPO, requireBuiltApp, readJson } from "./helpers.mjs";

requireBuiltApp();
const wasm = await import(path.join(APP, "pkg/rubrica_web.js"));
wasm.initSync({ module: readFileSync(path.join(APP, "pkg/rubrica_web_bg.wasm")) });
const vocabulary = wasm.RubricaEngine.vocabulary();
const { ScriptWords, signature } = await import(path.join(APP, "script-words.js"));
const meta = readJson(path.join(REPO, "rubrics/continuity-of-care/rubric.json"));
const words = new ScriptWords(vocabulary, meta.items);

const labels = (found) => (found ? found.options.map((o) => o.label) : null);
const fieldsOf = (name) => vocabulary.objects.find((o) => o.name === name).fields.map((f) => f.name);

test("the vocabulary comes from the engine: the record `r` first, helpers with their parameters", () => {
  assert.equal(vocabulary.objects[0].name, "Record");
  assert.ok(fieldsOf("Child").includes("age_months"));
  assert.ok(!fieldsOf("Record").includes("extra"), "scripts never see host data");
  const rating = vocabulary.helpers.find((h) => h.name === "rating");
  assert.equal(signature(rating), "rating(level, evidence, note?)");
});

// The ordering functions (`sort`, `sort_by`, `order`, `order_by`) are rhai's array functions
// made safe, described there among the array functions rather than as helpers.
const ORDERING = ["sort", "sort_by", "order", "order_by"];

test("every helper of the vocabulary is documented for trainers in rubrics/README.md", () => {
  const doc = readFileSync(path.join(REPO, "rubrics/README.md"), "utf8");
  const missing = vocabulary.helpers
    .map((h) => h.name)
    .filter((n) => !ORDERING.includes(n))
    .filter((n) => !doc.includes(`\`${n}(`));
  assert.deepEqual(missing, []);
});

test("record fields complete after `r.`, through list entries and loop variables", () => {
  const text = (s) => words.complete(s);
  assert.deepEqual(labels(text("fn f(r) { r.")), fieldsOf("Record"));
  assert.deepEqual(labels(text("fn f(r) { r.children[0].")), fieldsOf("Child"));
  assert.deepEqual(labels(text("fn f(r) { r.children[i + 1].ag")), fieldsOf("Child"));
  assert.deepEqual(labels(text("fn f(r) {\n for c in r.caregivers {\n  c.")), fieldsOf("Caregiver"));
  assert.deepEqual(labels(text("fn f(r) {\n for (h, i) in r.headcounts {\n  h.")), fieldsOf("Headcount"));
  assert.deepEqual(labels(text("fn f(r) {\n let m = r.materials[0];\n m.")), fieldsOf("Material"));
  assert.deepEqual(labels(text('fn f(r) { r.items["own-space"].')), fieldsOf("Item"));
  const partial = text("fn f(r) { r.chi");
  assert.equal(partial.from, "fn f(r) { r.".length, "the typed part is replaced");
  // Nothing where nothing is known: an unknown variable, a field of a number, inside text.
  assert.equal(text("fn f(r) { x."), null);
  assert.equal(text("fn f(r) { r.minutes."), null);
  assert.equal(text('fn f(r) { let s = "r.'), null);
});

test("the rubric's own item ids complete inside item(r, \"…\"), recorded, item_method and r.items[\"…\"]", () => {
  const ids = meta.items.map((i) => i.id);
  for (const call of ['item(r, "', 'recorded(r, "', 'item_method(r, "', 'r.items["']) {
    const found = words.complete(`fn f(r) { ${call}fam`);
    assert.deepEqual(labels(found), ids, call);
    assert.equal(found.from, `fn f(r) { ${call}`.length);
  }
  words.setItems([{ id: "only-one", label: "Only", type: "yes-no" }]);
  assert.deepEqual(labels(words.complete('fn f(r) { item(r, "')), ["only-one"], "items follow the metadata");
  words.setItems(meta.items);
});

test("fixed values complete after == \"; helpers complete with their signatures", () => {
  assert.deepEqual(labels(words.complete('fn f(r) { if r.setting == "')), ["center", "family-child-care"]);
  assert.deepEqual(
    labels(words.complete('fn f(r) { for c in r.children { if c.primary_status != "')),
    ["assigned", "none-assigned", "not-recorded"],
  );
  const helpers = words.complete("fn f(r) { let b = age_b");
  const band = helpers.options.find((o) => o.label === "age_band");
  assert.equal(band.detail, "age_band(months)");
  assert.ok(band.call, "inserted as a call");
  assert.equal(labels(helpers).length, vocabulary.helpers.length);
  assert.equal(words.complete("fn f(r) { let b = 1 + "), null, "nothing typed, nothing asked");
  assert.equal(labels(words.complete("fn f(r) { let b = 1 + ", true)).length, vocabulary.helpers.length, "Ctrl+Space");
});

test("an item's values complete after item(r, \"id\") == \"", () => {
  const byType = (type) => meta.items.find((i) => i.type === type);
  const frequency = byType("frequency");
  assert.ok(frequency, "the rubric has a frequency item");
  assert.deepEqual(
    labels(words.complete(`fn f(r) { if item(r, "${frequency.id}") == "`)),
    vocabulary.item_values.find((v) => v.type === "frequency").values,
  );
  const choice = byType("choice");
  assert.ok(choice, "the rubric has a choice item");
  assert.deepEqual(labels(words.complete(`fn f(r) { item(r, "${choice.id}") != "s`)), [...choice.options.map((o) => o.value), "not-observed"]);
  assert.equal(words.complete('fn f(r) { item(r, "no-such-item") == "'), null);
});

test("help for the word at the caret: helpers, item ids, record fields, and the call the caret is in", () => {
  const script = 'fn f(r) {\n  let a = age_band(r.children[0].age_months);\n  recorded(r, "family-involved")\n}';
  const at = (needle, offset = 1) => script.indexOf(needle) + offset;
  assert.match(words.help(script, at("age_band")).title, /^age_band\(months\) → /);
  assert.match(words.help(script, at("age_months")).title, /^Child\.age_months: number$/);
  const item = meta.items.find((i) => i.id === "family-involved");
  const found = words.help(script, at("family-involved"));
  assert.equal(found.title, `item "family-involved" (${item.type})`);
  assert.ok(found.text.startsWith(item.label));
  assert.match(words.help(script, at("r.children") - 1).title, /^age_band\(months\)/, "inside the parentheses");
  assert.equal(words.help(script, 0), null);
});

test("`r.place` completes as the Place object, and its kind's values after `==`", () => {
  const place = vocabulary.objects[0].fields.find((f) => f.name === "place");
  assert.deepEqual([place.type, place.entries, place.may_be_unit], ["object", "Place", true]);
  assert.deepEqual(labels(words.complete("fn f(r) { r.place.")), fieldsOf("Place"));
  assert.deepEqual(fieldsOf("Place"), ["kind", "id"]);
  const kinds = words.complete('fn f(r) { if r.place.kind == "');
  assert.deepEqual(kinds && kinds.options.map((o) => o.label), ["room", "home"]);
});
