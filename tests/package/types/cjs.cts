// Compiled with tsc --strict as CommonJS (`require`), whose declarations are rubrica.d.cts, and
// run in Node: the module is ready on require, with no init to call.
import assert = require("node:assert/strict");
import fs = require("node:fs");
import { RubricaEngine } from "rubrica-web";
import type { PracticeEntry } from "rubrica-web";
// @ts-expect-error the CommonJS entry (rubrica.d.cts) has no initSync: the module is loaded on require
import { initSync } from "rubrica-web";

void initSync;
const engine = new RubricaEngine();
const loaded = engine.loadBundle(fs.readFileSync(require.resolve("rubrica-web/rubrics.json"), "utf8"));
assert.ok(loaded.type === "success" && loaded.errors.length === 0 && loaded.rubrics.length === 8);
const recordText = fs.readFileSync(process.argv[2], "utf8");
assert.equal(engine.reportJson(recordText), process.env.RUBRICA_REPORT);
const answer = engine.evaluateAll(recordText);
assert.ok(answer.type === "success");
const scores = answer.report.practices.map((e: PracticeEntry) => (e.type === "success" && e.result.status === "rated" ? e.result.score : null));
assert.ok(scores.every((s) => typeof s === "number"));
process.stdout.write("cjs: 5 checks passed\n");
