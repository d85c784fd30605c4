//! The npm package as vendors install it: `npm pack`, then fresh Node, Vite, esbuild and
//! webpack projects, and `tsc --strict` under a DOM and a Node-only configuration.
//!
//! The suite itself is `tests/package/run.mjs` (Node's test runner); this step installs its
//! tools from their lock file, builds the native CLI it compares against, and runs it. It needs
//! the wasm build (`cargo xtask build-web`, the step before it in `cargo xtask test`).

use crate::Result;
use std::path::Path;

/// Debian's Chromium, which runs the three bundles (installed by the browsers step).
const CHROMIUM: &str = "/usr/bin/chromium";

/// Runs after the wasm build.
pub fn test() -> Result {
    let root = crate::root();
    let web = root.join("web");
    for file in [
        "pkg/rubrica_web.js",
        "pkg/rubrica_web.cjs",
        "pkg/rubrics.json",
    ] {
        if !web.join(file).is_file() {
            return Err(format!(
                "web/{file} is missing: run `cargo xtask build-web` before this step"
            ));
        }
    }
    if !Path::new(CHROMIUM).is_file() {
        return Err(format!(
            "{CHROMIUM} is missing: install Debian's `chromium` (the browsers step of `cargo xtask test` does)"
        ));
    }
    let suite = root.join("tests/package");
    crate::ensure_npm(&suite)?;
    // playwright-core drives Chromium; the end-to-end tests' copy is used, not a second one.
    let e2e = root.join("tests/e2e");
    crate::ensure_npm(&e2e)?;
    let cli = crate::native_cli()?;
    let playwright = e2e.join("node_modules/playwright-core");
    crate::cmd(
        "node",
        &["--test", "--test-reporter=spec", "tests/package/run.mjs"],
    )
    .env("RUBRICA_CLI", &cli.to_string_lossy())
    .env("RUBRICA_PLAYWRIGHT", &playwright.to_string_lossy())
    .env("RUBRICA_CHROMIUM", CHROMIUM)
    .run()
}
