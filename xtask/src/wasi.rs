//! The engine as a WASI module (`wasm32-wasip1`), run by PyPI's `wasmtime` and compared byte
//! for byte with the native CLI.
//!
//! The module is the `rubrica` CLI itself built for `wasm32-wasip1` in the `release` profile: an
//! optimised build (the engine's deadline is measured in real time, as natively) of 2 min 10 s
//! CPU time from clean (one to two minutes on two cores), where `wasm-release` (LTO, one codegen
//! unit) would save size that nobody downloads at a longer build.

use crate::{output, root, run, target_dir, Result};

const TARGET: &str = "wasm32-wasip1";
/// The WASI host: a runtime nobody here wrote, pinned so the module is checked against one known
/// host.
const WASMTIME: &str = "wasmtime==50.0.1";

pub fn test() -> Result {
    let installed = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if !installed.lines().any(|t| t.trim() == TARGET) {
        run("rustup", &["target", "add", TARGET], &[])?;
    }
    let cli = ["-p", "rubrica", "--features", "cli"];
    let mut wasm_build = vec!["build", "--release", "--target", TARGET];
    wasm_build.extend(cli);
    run("cargo", &wasm_build, &[])?;
    let module = target_dir().join(TARGET).join("release/rubrica.wasm");
    let size = std::fs::metadata(&module)
        .map_err(|e| format!("cannot read {}: {e}", module.display()))?
        .len();
    eprintln!("{}: {size} bytes", module.display());
    let native = crate::native_cli()?;
    let python = crate::python::venv("wasi", &[WASMTIME])?;
    let test = root().join("tests/wasi/test_wasi.py");
    run(
        &python.to_string_lossy(),
        &[&test.to_string_lossy(), "-v"],
        &[
            ("RUBRICA_WASM", &module.to_string_lossy()),
            ("RUBRICA_NATIVE", &native.to_string_lossy()),
        ],
    )
}
