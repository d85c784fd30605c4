// The package's entry for Node's `import`: the same ES module as in browsers, with the
// WebAssembly read from disk and instantiated before the first line of the importer runs
// (Node's `fetch` cannot read `file:` URLs, so the browser's `init()` would fail there).
// `init()` and `initSync()` stay exported and resolve at once, so code shared with a browser
// build runs unchanged.
import { readFileSync } from "node:fs";
import init, { initSync } from "./pkg/rubrica_web.js";

initSync({ module: readFileSync(new URL("./pkg/rubrica_web_bg.wasm", import.meta.url)) });

export * from "./pkg/rubrica_web.js";
export default init;
