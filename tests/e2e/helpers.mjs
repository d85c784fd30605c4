// Shared set-up for the browser tests: paths, the native CLI, the browser, artifacts.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, "../..");
export const APP = path.join(REPO, "web/app");
export const ARTIFACTS = path.join(here, "artifacts");

/** Chromium flags that keep the browser quiet on the network and usable as root in CI. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-default-apps",
  "--disable-extensions",
  "--metrics-recording-only",
  "--no-default-browser-check",
  "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication",
];

export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

/** Fails early, with the command to run, when the app has not been built. */
export function requireBuiltApp() {
  const missing = ["pkg/rubrica_web.js", "pkg/rubrica_web_bg.wasm", "data/rubrics.json", "data/examples.json"].filter(
    (f) => !existsSync(path.join(APP, f)),
  );
  if (missing.length) {
    throw new Error(`web/app is not built (missing ${missing.join(", ")}); run \`cargo xtask build-web\` first`);
  }
}

export function readJson(file) {
  return JSON.parse(readFileSync(file, "utf8"));
}

/** Runs the native `rubrica` CLI (RUBRICA_CLI, or `cargo run` from the repo root). */
export function rubrica(args) {
  const [cmd, cmdArgs] = process.env.RUBRICA_CLI
    ? [process.env.RUBRICA_CLI, args]
    : ["cargo", ["run", "-q", "-p", "rubrica", "--features", "cli", "--", ...args]];
  const out = spawnSync(cmd, cmdArgs, { cwd: REPO, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, timeout: 15 * 60 * 1000 });
  if (out.error) throw out.error;
  return { status: out.status, stdout: out.stdout, stderr: out.stderr };
}

/** A fresh, throw-away profile directory. */
export function tempDir(prefix) {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
}

export function artifact(name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}
