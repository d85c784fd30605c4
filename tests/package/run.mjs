// The npm package as a vendor installs it. `npm pack` packs web/ (after `cargo xtask build-web`),
// then fresh projects under target/package-tests/ install the tarball and score
// examples/center-infants.json with the eight rubrics it ships, using the snippets of
// web/README.md word for word: Node `import`, Node `require`, a Vite build, an esbuild bundle
// and a webpack bundle (the three bundles run in Chromium). Every report's JSON must be the
// native CLI's byte for byte. `tsc --strict` checks the declarations under a browser (lib dom)
// and a Node-only (@types/node) configuration, and a typed program runs against the real module.
//
// Run by `cargo xtask test --only "npm package"`, which installs this folder's tools, builds the
// CLI and passes RUBRICA_CLI (the native `rubrica`), RUBRICA_PLAYWRIGHT (playwright-core's
// folder) and RUBRICA_CHROMIUM (the browser).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { dirname, extname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const web = join(root, "web");
const work = join(root, "target/package-tests");
const tools = join(here, "node_modules");
const recordPath = join(root, "examples/center-infants.json");

const need = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run this suite with \`cargo xtask test --only "npm package"\``);
  return value;
};

/** Runs a program, failing with everything it printed. */
function run(program, args, cwd, env = {}) {
  const out = spawnSync(program, args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, ...env },
    maxBuffer: 64 << 20,
  });
  if (out.error) throw new Error(`cannot run ${program}: ${out.error.message}`);
  if (out.status !== 0) {
    throw new Error(
      `\`${program} ${args.join(" ")}\` in ${relative(root, cwd) || "."} failed (${out.status ?? out.signal}):\n${out.stdout}\n${out.stderr}`,
    );
  }
  return out.stdout;
}

// ---------------------------------------------------------------------------------------------
// The README's snippets: each code block after a `<!-- package-test NAME -->` line, with the
// line before the marker saying how many lines it is.
// ---------------------------------------------------------------------------------------------

function readmeSnippets() {
  const lines = readFileSync(join(web, "README.md"), "utf8").split("\n");
  const snippets = new Map();
  for (let i = 0; i < lines.length; i++) {
    const marker = lines[i].match(/^<!-- package-test ([a-z-]+) -->$/);
    if (!marker) continue;
    const name = marker[1];
    assert.match(lines[i + 1] ?? "", /^```/, `web/README.md:${i + 2}: a code block must follow the ${name} marker`);
    const end = lines.findIndex((l, j) => j > i + 1 && l.startsWith("```"));
    assert.ok(end > 0, `web/README.md:${i + 2}: the ${name} code block is not closed`);
    const code = lines.slice(i + 2, end);
    const said = (lines.slice(0, i).reverse().find((l) => l.trim() !== "") ?? "").match(/(\d+) lines?\b/);
    snippets.set(name, { code: code.join("\n"), count: code.length, said: said ? Number(said[1]) : null, line: i + 1 });
  }
  return snippets;
}

function snippet(name) {
  const s = snippets.get(name);
  assert.ok(s, `web/README.md has no \`<!-- package-test ${name} -->\` snippet`);
  return s.code;
}

// ---------------------------------------------------------------------------------------------
// Fresh projects and a browser
// ---------------------------------------------------------------------------------------------

let tarball;
let expected;
let snippets;

/** A new folder under target/package-tests with the packed tarball installed, as a vendor would. */
function freshProject(name, packageJson = {}) {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `fresh-${name}`, private: true, ...packageJson }, null, 2));
  run("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error", tarball], dir);
  return dir;
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
};

/** Serves a folder on 127.0.0.1 (a free port) until closed. */
async function serve(dir) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://127.0.0.1").pathname);
    const file = join(dir, path.endsWith("/") ? `${path}index.html` : path);
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((ok) => server.close(ok)) };
}

let browser;

/**
 * Opens `dir/index.html` over HTTP in Chromium and returns what the page's bundle left in
 * `window.rubricaOutcome`, or fails with the page's errors.
 */
async function runInChromium(dir) {
  const site = await serve(dir);
  try {
    return await runAt(site.url);
  } finally {
    await site.close();
  }
}

/** A port nobody listens on now, on 127.0.0.1. */
async function freePort() {
  const probe = createServer();
  await new Promise((ok) => probe.listen(0, "127.0.0.1", ok));
  const { port } = probe.address();
  await new Promise((ok) => probe.close(ok));
  return port;
}

/** Opens `url` in Chromium and returns what its bundle left in `window.rubricaOutcome`. */
async function runAt(url) {
  return inChromium(url, "", async (page, problems) => {
    await page.waitForFunction(() => window.rubricaOutcome !== undefined || window.rubricaError !== undefined, null, {
      timeout: 30_000,
    }).catch(() => {
      throw new Error(`the bundle never finished:\n${problems.join("\n")}`);
    });
    const error = await page.evaluate(() => window.rubricaError);
    if (error !== undefined) throw new Error(`the bundle failed: ${error}\n${problems.join("\n")}`);
    return await page.evaluate(() => window.rubricaOutcome);
  });
}

/**
 * Opens `path` of a site (a URL, or a folder it serves for the time) in a new Chromium page and
 * returns what `use(page, problems)` does.
 */
async function inChromium(dirOrUrl, path, use) {
  if (!browser) {
    const { chromium } = createRequire(join(need("RUBRICA_PLAYWRIGHT"), "package.json"))("playwright-core");
    browser = await chromium.launch({ executablePath: need("RUBRICA_CHROMIUM"), args: ["--no-sandbox"] });
  }
  const site = dirOrUrl.startsWith("http") ? { url: dirOrUrl, close: async () => {} } : await serve(dirOrUrl);
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
  page.on("response", (r) => r.status() >= 400 && !r.url().endsWith("/favicon.ico") && problems.push(`HTTP ${r.status()}: ${r.url()}`));
  try {
    await page.goto(site.url + path);
    return await use(page, problems);
  } finally {
    await page.close();
    await site.close();
  }
}

/** What the example page shows once it has rendered a report: status, problems, headings. */
async function examplePage(dir) {
  return inChromium(dir, "embed/", async (page, problems) => {
    await page.waitForSelector("#report section, #status.problem", { timeout: 30_000 }).catch(() => {
      throw new Error(`the example page never rendered a report:\n${problems.join("\n")}`);
    });
    return page.evaluate(() => ({
      status: document.querySelector("#status").textContent,
      problems: [...document.querySelectorAll("#problems li")].map((li) => li.textContent),
      headings: [...document.querySelectorAll("#report h2")].map((h) => h.textContent),
    }));
  });
}

/**
 * The snippet's `answer` and the report's JSON text must both be the CLI's report: the JSON text
 * byte for byte, the object field for field in the same order.
 */
function assertSameReport({ reportJson, answer }) {
  sameText(reportJson, expected, "reportJson differs from `rubrica score --format json`");
  assert.equal(answer.type, "success", `the answer is a failure: ${JSON.stringify(answer.errors)}`);
  sameText(JSON.stringify(answer.report), JSON.stringify(JSON.parse(expected)), "the answer's report differs from the CLI's");
  assert.equal(answer.report.practices.length, 6);
}

/** Equal texts, or a failure showing where they first differ (reports are 40 KB long). */
function sameText(actual, wanted, what) {
  if (actual === wanted) return;
  let i = 0;
  while (i < actual.length && actual[i] === wanted[i]) i++;
  const around = (t) => JSON.stringify(t.slice(Math.max(0, i - 120), i + 120));
  assert.fail(`${what}: first difference at byte ${i} of ${actual.length} (CLI: ${wanted.length})\n  got:  ${around(actual)}\n  want: ${around(wanted)}`);
}

// A browser bundle's entry: the record is fetched, the README's snippet runs, the outcome is left
// on `window` for the test to read.
const browserEntry = (code) => `window.addEventListener("unhandledrejection", (e) => { window.rubricaError = String(e.reason?.stack ?? e.reason); });
window.addEventListener("error", (e) => { window.rubricaError = String(e.error?.stack ?? e.message); });
const record = await (await fetch("./record.json")).text();
${code}
window.rubricaOutcome = { reportJson: engine.reportJson(record), answer };
`;

const browserPage = (script, type = "module") =>
  `<!doctype html>\n<meta charset="utf-8">\n<title>rubrica-web in a bundle</title>\n<script type="${type}" src="${script}"></script>\n`;

// ---------------------------------------------------------------------------------------------
// The suite
// ---------------------------------------------------------------------------------------------

before(() => {
  for (const file of ["pkg/rubrica_web.js", "pkg/rubrica_web.cjs", "pkg/rubrica_web_bg.wasm", "pkg/rubrics.json", "rubrica.d.cts", "LICENSE-MIT"]) {
    assert.ok(existsSync(join(web, file)), `web/${file} is missing: run \`cargo xtask build-web\` first`);
  }
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  // --ignore-scripts: `prepack` would run the whole wasm build again.
  const packed = JSON.parse(run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", work], web));
  tarball = join(work, packed[0].filename);
  mkdirSync(join(work, "unpacked"));
  run("tar", ["-xzf", tarball, "-C", join(work, "unpacked")], work);
  // The CLI writes one report per line (JSON Lines); the report is the line without its newline.
  const printed = run(need("RUBRICA_CLI"), ["score", recordPath, "--format", "json"], root);
  assert.ok(printed.endsWith("}\n") && printed.indexOf("\n") === printed.length - 1, "the CLI prints one report on one line");
  expected = printed.slice(0, -1);
  snippets = readmeSnippets();
});

after(async () => {
  await browser?.close();
});

test("the README's snippets are as long as it says", () => {
  assert.ok(snippets.size >= 5, `web/README.md has ${snippets.size} package-test snippets`);
  for (const [name, s] of snippets) {
    if (s.said !== null) assert.equal(s.count, s.said, `web/README.md:${s.line}: the ${name} snippet has ${s.count} lines, the text before it says ${s.said}`);
  }
});

test("the tarball holds the package's files and the licences", () => {
  const unpacked = join(work, "unpacked");
  const files = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else files.push(relative(join(unpacked, "package"), join(dir, e.name)));
    }
  };
  walk(unpacked);
  assert.deepEqual(files.sort(), [
    "LICENSE-APACHE",
    "LICENSE-MIT",
    "README.md",
    "embed/center-infants.json",
    "embed/index.html",
    "node.mjs",
    "package.json",
    "pkg/rubrica_web.cjs",
    "pkg/rubrica_web.js",
    "pkg/rubrica_web_bg.wasm",
    "pkg/rubrics.json",
    "rubrica.d.cts",
    "rubrica.d.ts",
  ]);
  for (const licence of ["LICENSE-MIT", "LICENSE-APACHE"]) {
    assert.ok(readFileSync(join(unpacked, "package", licence)).equals(readFileSync(join(root, licence))), `${licence} differs from the repository's`);
  }
  const manifest = JSON.parse(readFileSync(join(unpacked, "package/package.json"), "utf8"));
  assert.equal(manifest.private, undefined);
  assert.equal(manifest.license, "MIT OR Apache-2.0");
  assert.equal(manifest.engines.node, ">=20");
  // One release number for the engine and the package (docs/versioning.md).
  assert.equal(manifest.version, JSON.parse(expected).engine.version, "the package's version is the engine's");
  assert.equal(Object.keys(manifest.exports["."])[0], "types", "the `types` condition must come first");
  // The shipped bundle is `rubrica bundle --no-cases rubrics`: the eight rubrics (the six
  // practices and the two reflection sets), no cases.
  const shipped = JSON.parse(readFileSync(join(unpacked, "package/pkg/rubrics.json"), "utf8"));
  const bundled = JSON.parse(run(need("RUBRICA_CLI"), ["bundle", "--no-cases", "rubrics"], root));
  assert.deepEqual(shipped, bundled);
  assert.equal(shipped.length, 8);
  assert.equal(shipped.filter((r) => JSON.parse(r.meta).record === undefined).length, 6);
  assert.ok(shipped.every((r) => r.cases === undefined));
});

test("the example page works from the tarball and shows rubrics that do not load", async () => {
  const packaged = join(work, "unpacked/package");
  const report = JSON.parse(expected);
  const version = report.engine.version;
  const seen = await examplePage(packaged);
  assert.equal(seen.status, `Rubrica ${version}, 8 rubrics loaded.`);
  assert.deepEqual(seen.problems, []);
  assert.deepEqual(
    seen.headings,
    report.practices.map(({ result: r }) => `${r.rubric.title} — ${r.score === null ? "not enough evidence yet" : `${r.score.toFixed(2)} / ${r.scale_max}`}`),
  );
  // A bundle with a rubric whose script does not compile: the page names it and scores with the rest.
  const broken = join(work, "broken-bundle");
  cpSync(packaged, broken, { recursive: true });
  const bundle = JSON.parse(readFileSync(join(broken, "pkg/rubrics.json"), "utf8"));
  // One of the six practices, so the observation's report shows one heading fewer.
  const at = bundle.findIndex((r) => r.id === "small-groups");
  bundle[at].script = `fn broken( {\n${bundle[at].script}`;
  writeFileSync(join(broken, "pkg/rubrics.json"), JSON.stringify(bundle));
  const shown = await examplePage(broken);
  assert.equal(shown.status, `Rubrica ${version}, 7 rubrics loaded.`);
  assert.equal(shown.problems.length, 1);
  assert.match(shown.problems[0], new RegExp(`^R0202 .*\\(rubrics/${bundle[at].id}/rubric\\.rhai 1:\\d+\\)`));
  assert.equal(shown.headings.length, 5);
});

test("Node import (ES module)", () => {
  const dir = freshProject("node-esm", { type: "module" });
  writeFileSync(
    join(dir, "main.js"),
    `import { readFileSync } from "node:fs";\nconst record = readFileSync(process.argv[2], "utf8");\n${snippet("node-esm")}\n` +
      `process.stdout.write(JSON.stringify({ reportJson: engine.reportJson(record), answer }));\n`,
  );
  assertSameReport(JSON.parse(run(process.execPath, ["main.js", recordPath], dir)));
});

test("Node require (CommonJS)", () => {
  const dir = freshProject("node-cjs", { type: "commonjs" });
  writeFileSync(
    join(dir, "main.js"),
    `const record = require("node:fs").readFileSync(process.argv[2], "utf8");\n${snippet("node-cjs")}\n` +
      `process.stdout.write(JSON.stringify({ reportJson: engine.reportJson(record), answer }));\n`,
  );
  assertSameReport(JSON.parse(run(process.execPath, ["main.js", recordPath], dir)));
});

test("a Vite build, in Chromium", async () => {
  const dir = freshProject("vite", { type: "module" });
  writeFileSync(join(dir, "index.html"), browserPage("./main.js"));
  writeFileSync(join(dir, "main.js"), browserEntry(snippet("vite")));
  run(process.execPath, [join(tools, "vite/bin/vite.js"), "build", "--logLevel", "warn"], dir);
  cpSync(recordPath, join(dir, "dist/record.json"));
  assert.ok(readdirSync(join(dir, "dist/assets")).some((f) => f.endsWith(".wasm")), "Vite emitted no .wasm");
  assertSameReport(await runInChromium(join(dir, "dist")));
});

test("the Vite dev server, in Chromium", async () => {
  const dir = join(work, "vite");
  cpSync(recordPath, join(dir, "record.json"));
  const port = await freePort();
  const server = spawn(process.execPath, [join(tools, "vite/bin/vite.js"), "--host", "127.0.0.1", "--port", String(port), "--strictPort"], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
    // Vite colours its output when `CI` is set, even into a pipe; the address is read as text.
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
  });
  let printed = "";
  server.stdout.on("data", (d) => (printed += d));
  server.stderr.on("data", (d) => (printed += d));
  try {
    await new Promise((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`the dev server did not start:\n${printed}`)), 20_000);
      // Escape sequences are dropped in case a terminal setting still colours the address.
      const ready = () => printed.replace(/\x1b\[[0-9;]*m/g, "").includes(`127.0.0.1:${port}/`) && (clearTimeout(timer), ok());
      server.stdout.on("data", ready);
      server.on("exit", (code) => fail(new Error(`the dev server stopped (${code}):\n${printed}`)));
    });
    assertSameReport(await runAt(`http://127.0.0.1:${port}/`));
  } finally {
    if (server.exitCode === null) {
      const exited = new Promise((ok) => server.once("exit", ok));
      server.kill();
      await exited;
    }
  }
});

test("an esbuild bundle, in Chromium", async () => {
  const dir = freshProject("esbuild", { type: "module" });
  writeFileSync(join(dir, "main.js"), browserEntry(snippet("esbuild")));
  const command = snippet("esbuild-command").split(/\s+/);
  assert.deepEqual(command.slice(0, 2), ["npx", "esbuild"], "the esbuild command starts with `npx esbuild`");
  run(join(tools, ".bin/esbuild"), [...command.slice(2), "--log-level=warning"], dir);
  writeFileSync(join(dir, "dist/index.html"), browserPage("./main.js"));
  cpSync(recordPath, join(dir, "dist/record.json"));
  assert.ok(readdirSync(join(dir, "dist")).some((f) => f.endsWith(".wasm")), "esbuild emitted no .wasm");
  assertSameReport(await runInChromium(join(dir, "dist")));
});

test("a webpack bundle, in Chromium", async () => {
  const dir = freshProject("webpack", { type: "module" });
  writeFileSync(join(dir, "main.js"), browserEntry(snippet("webpack")));
  run(process.execPath, [join(tools, "webpack-cli/bin/cli.js"), "--mode", "production", "--entry", "./main.js", "--output-path", "dist"], dir);
  writeFileSync(join(dir, "dist/index.html"), browserPage("./main.js", "text/javascript"));
  cpSync(recordPath, join(dir, "dist/record.json"));
  assert.ok(readdirSync(join(dir, "dist")).some((f) => f.endsWith(".wasm")), "webpack emitted no .wasm");
  assertSameReport(await runInChromium(join(dir, "dist")));
});

test("tsc --strict: browser (lib dom) and Node-only (@types/node) configurations, and a typed program run in Node", () => {
  const dir = freshProject("typescript", { type: "module" });
  const tsc = join(tools, "typescript/bin/tsc");
  cpSync(join(here, "types"), dir, { recursive: true });
  const typeRoots = [join(tools, "@types")];
  const base = { strict: true, target: "es2022", skipLibCheck: false, typeRoots };
  const configs = {
    // A browser app bundled by Vite, esbuild or webpack: DOM types, no Node types.
    "tsconfig.dom.json": { ...base, lib: ["es2022", "dom"], types: [], module: "esnext", moduleResolution: "bundler", noEmit: true, files: ["browser.ts"] },
    // Both at once, and the newest lib (which declares Symbol.dispose itself): no clashes.
    "tsconfig.both.json": { ...base, lib: ["es2022", "dom"], types: ["node"], module: "esnext", moduleResolution: "bundler", noEmit: true, files: ["browser.ts"] },
    "tsconfig.esnext.json": { ...base, lib: ["esnext", "dom"], types: [], module: "esnext", moduleResolution: "bundler", noEmit: true, files: ["browser.ts"] },
    // A Node program: no DOM types at all. It is compiled and run against the real module.
    "tsconfig.node.json": { ...base, lib: ["es2022"], types: ["node"], module: "nodenext", moduleResolution: "nodenext", outDir: "out", files: ["api.ts", "cjs.cts"] },
  };
  for (const [name, { files, ...compilerOptions }] of Object.entries(configs)) {
    writeFileSync(join(dir, name), JSON.stringify({ compilerOptions, files }, null, 2));
    run(process.execPath, [tsc, "-p", name], dir);
  }
  const printed = run(process.execPath, ["out/api.js", recordPath], dir, { RUBRICA_REPORT: expected });
  assert.match(printed, /^api: \d+ checks passed\n$/);
  const cjs = run(process.execPath, ["out/cjs.cjs", recordPath], dir, { RUBRICA_REPORT: expected });
  assert.match(cjs, /^cjs: \d+ checks passed\n$/);
});
