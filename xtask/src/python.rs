//! Python tools the tests run against (PyPI packages nobody here wrote: a WASI host, an LRS,
//! scikit-learn), each set in its own virtual environment under `target/python/<name>`.

use crate::{output, run, target_dir, Result};
use std::path::PathBuf;

/// A virtual environment holding `packages` (pip requirement strings), made or completed when
/// the recorded list differs. Returns the environment's `bin/python`.
pub fn venv(name: &str, packages: &[&str]) -> Result<PathBuf> {
    let dir = target_dir().join("python").join(name);
    let python = dir.join("bin/python");
    let marker = dir.join("rubrica-requirements.txt");
    let wanted = packages.join("\n");
    if python.is_file() && std::fs::read_to_string(&marker).is_ok_and(|had| had == wanted) {
        return Ok(python);
    }
    if output("python3", &["--version"]).is_none() {
        return Err("python3 is missing: install Python 3.11 or later".into());
    }
    let dir_text = dir.to_string_lossy().into_owned();
    if !python.is_file() {
        run("python3", &["-m", "venv", &dir_text], &[])?;
    }
    let py = python.to_string_lossy().into_owned();
    let mut args = vec![
        py.as_str(),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
    ];
    args.extend(packages);
    run(args[0], &args[1..], &[])?;
    std::fs::write(&marker, wanted)
        .map_err(|e| format!("cannot write {}: {e}", marker.display()))?;
    Ok(python)
}
