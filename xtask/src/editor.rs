//! The trainer's code editor: bundles `web/editor/index.js` (CodeMirror 6, pinned in
//! `xtask/npm/package.json`) with esbuild into `web/app/editor.bundle.js`, which the app serves
//! itself and loads only when the trainer view opens.

use super::{ensure_npm, root, run_in, Result};

/// The bundle the app loads, relative to `web/app`.
pub const BUNDLE: &str = "editor.bundle.js";

/// Writes `web/app/editor.bundle.js`.
pub fn build() -> Result {
    let root = root();
    let npm = root.join("xtask/npm");
    ensure_npm(&npm).map_err(|e| format!("the editor's npm packages cannot be installed: {e}"))?;
    let esbuild = npm.join("node_modules/.bin/esbuild");
    if !esbuild.exists() {
        return Err(format!(
            "esbuild is missing from {}; delete xtask/npm/node_modules and run again",
            npm.join("node_modules").display()
        ));
    }
    let out = root.join("web/app").join(BUNDLE);
    let modules = npm.join("node_modules");
    run_in(
        &root.join("web/editor"),
        &esbuild.to_string_lossy(),
        &[
            "index.js",
            "--bundle",
            "--format=esm",
            "--minify",
            "--target=es2020",
            "--legal-comments=eof",
            "--log-level=warning",
            &format!("--outfile={}", out.display()),
        ],
        // The sources sit outside xtask/npm, so tell esbuild where the packages are.
        &[("NODE_PATH", &modules.to_string_lossy())],
    )?;
    let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
    eprintln!("editor: {} KB ({BUNDLE})", size / 1024);
    Ok(())
}
