// Checks xAPI statements written by `rubrica export --format xapi` with Learning Locker's
// validator (npm @learninglocker/xapi-validation): `node validate-xapi.cjs FILE…`, each file a
// JSON array of statements. Prints each problem with its statement and path; exit code 1 when
// any statement has one, or when the validator accepts the broken statement below (so the check
// itself can fail).
"use strict";
const fs = require("node:fs");
const validate = require("@learninglocker/xapi-validation").default;

let failed = false;
let count = 0;
for (const file of process.argv.slice(2)) {
  const statements = JSON.parse(fs.readFileSync(file, "utf8"));
  if (!Array.isArray(statements) || statements.length === 0) {
    console.error(`${file}: expected a non-empty JSON array of statements`);
    failed = true;
    continue;
  }
  statements.forEach((statement, i) => {
    count += 1;
    for (const w of validate(statement)) {
      failed = true;
      console.error(`${file}[${i}] ${w.path ? w.path.join(".") : ""}: ${w.constructor.name} ${JSON.stringify(w.data)}`);
    }
  });
}

// A statement an LRS must refuse: a verb id that is not an IRI, an actor without an identifier,
// a scaled score above 1.
const broken = JSON.parse(fs.readFileSync(process.argv[2], "utf8"))[0];
broken.verb.id = "scored";
broken.actor = { objectType: "Agent", name: "someone" };
broken.result.score.scaled = 1.5;
const problems = validate(broken);
if (problems.length < 3) {
  console.error(`the validator found ${problems.length} problem(s) in a broken statement, expected 3`);
  failed = true;
}
console.log(`xapi-validation: ${count} statements checked, the broken one refused (${problems.length} problems)`);
process.exit(failed ? 1 : 0);
