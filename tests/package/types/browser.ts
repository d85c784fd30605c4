// Type-checked only (tsc --strict, lib es2022 + dom, moduleResolution bundler): how a browser
// app bundled by Vite, esbuild or webpack uses the package. `@ts-expect-error` lines prove the
// declarations are tight: each must be an error, or tsc fails.
import init, { initSync, RubricaEngine } from "rubrica-web";
import type { Code, Diagnostic, IndicatorRating, PracticeEntry, Report, RubricResult } from "rubrica-web";

await init();
await init({ module_or_path: new URL("./rubrica_web_bg.wasm", location.href) });
await init(fetch("./rubrica_web_bg.wasm"));
await init(await WebAssembly.compileStreaming(fetch("./rubrica_web_bg.wasm")));
initSync({ module: new Uint8Array(await (await fetch("./rubrica_web_bg.wasm")).arrayBuffer()) });
// @ts-expect-error the module's bytes or a compiled module are needed
initSync();

const engine = new RubricaEngine({ limits: { max_operations: 50_000 } });
// @ts-expect-error limits are named as in the engine
new RubricaEngine({ limits: { maxOperations: 50_000 } });

const loaded = engine.loadBundle(await (await fetch("./rubrics.json")).text());
if (loaded.type === "failure" || loaded.errors.length > 0) {
  // @ts-expect-error a failure has no rubrics
  loaded.rubrics;
  throw new Error(loaded.type === "failure" ? loaded.errors[0].message : loaded.errors[0].message);
}
const ids: string[] = loaded.rubrics.map((r) => r.id);

/** A score is a number once the status says "rated". */
function score(result: RubricResult): string {
  if (result.status === "rated") {
    const n: number = result.score;
    return n.toFixed(2);
  }
  // @ts-expect-error not rated: no number
  const none: number = result.score;
  return String(none);
}

/** A level and label exist once the outcome says "rated"; a reason otherwise. */
function level(indicator: IndicatorRating): string {
  switch (indicator.outcome) {
    case "rated":
      // @ts-expect-error a rated indicator has no reason
      indicator.reason;
      return `${indicator.level} ${indicator.label}`;
    case "not-enough-evidence":
    case "not-applicable":
      // @ts-expect-error no level without a rating
      indicator.level.toFixed();
      return indicator.reason;
  }
}

function entry(e: PracticeEntry): string {
  return e.type === "success" ? `${e.result.rubric.title}: ${score(e.result)} ${e.result.indicators.map(level).join()}` : `${e.title}: ${e.errors.length} problems`;
}

function explain(d: Diagnostic): string {
  const code: Code = d.code;
  // @ts-expect-error codes are a closed list
  const wrong: Code = "R9999";
  return `${code}${wrong} ${d.message} ${d.path ?? ""}${d.line ?? ""}`;
}

const answer = engine.evaluateAll(document.querySelector("textarea")?.value ?? "{}");
if (answer.type === "success") {
  const report: Report = answer.report;
  const version: string = report.engine.version;
  document.body.textContent = `${version} ${ids.join()} ${report.practices.map(entry).join("\n")}`;
} else {
  document.body.textContent = answer.errors.map(explain).join("\n");
}
{
  using scoped = new RubricaEngine();
  scoped.limits().deadline_ms satisfies number;
}
engine.free();
