//! Exports checked by tools nobody here wrote: xAPI statements by the npm validator and a real
//! LRS (Ralph) on loopback, CSV by Python's `csv`, CASE by its published JSON Schema, LTI AGS
//! scores by a schema written from the AGS field rules.
//!
//! The real `rubrica export` writes each format for the three example records into
//! `target/interop/`; `tests/interop/validate-xapi.cjs` and `tests/interop/check.py` read them.

use crate::{ensure_npm, python, root, run, run_in, target_dir, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The Python tools, pinned: Ralph (the LRS) with its CLI, requests (to post to it), and
/// jsonschema with the package it checks `date-time` with.
const PACKAGES: [&str; 4] = [
    "ralph-malph[lrs,cli]==5.1.0",
    "requests==2.34.2",
    "jsonschema==4.26.0",
    "rfc3339-validator==0.1.4",
];

const EXAMPLES: [&str; 3] = [
    "center-infants",
    "center-toddlers-mixed",
    "family-child-care",
];

pub fn test() -> Result {
    let python = python::venv("lrs", &PACKAGES)?;
    let interop = root().join("tests/interop");
    ensure_npm(&interop)?;
    let cli = crate::native_cli()?;
    let out = target_dir().join("interop");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).map_err(|e| format!("cannot make {}: {e}", out.display()))?;

    let mut xapi = Vec::new();
    let mut reports = Vec::new();
    let mut lti = Vec::new();
    for name in EXAMPLES {
        let record = format!("examples/{name}.json");
        let x = out.join(format!("{name}-xapi.json"));
        export(&cli, &["export", "--format", "xapi", &record], &x)?;
        xapi.push(x);
        let l = out.join(format!("{name}-lti-ags.json"));
        export(&cli, &["export", "--format", "lti-ags", &record], &l)?;
        lti.push(l);
        let r = out.join(format!("{name}-report.json"));
        export(&cli, &["score", "--format", "json", &record], &r)?;
        reports.push(r);
    }
    // The three records as one stream: one CSV table with one header, with a byte-order mark.
    let stream = out.join("examples.jsonl");
    let mut lines = String::new();
    for name in EXAMPLES {
        let text = std::fs::read_to_string(root().join(format!("examples/{name}.json")))
            .map_err(|e| format!("cannot read examples/{name}.json: {e}"))?;
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("examples/{name}.json: {e}"))?;
        lines.push_str(&value.to_string());
        lines.push('\n');
    }
    write(&stream, &lines)?;
    let csv = out.join("examples.csv");
    export(
        &cli,
        &["export", "--format", "csv", "--bom", &path(&stream)],
        &csv,
    )?;
    let case = out.join("rubrics-case.json");
    export(
        &cli,
        &[
            "export",
            "--format",
            "case",
            "--last-change",
            "2026-03-01T00:00:00Z",
        ],
        &case,
    )?;

    // xAPI: Learning Locker's validator, then a real LRS.
    let mut args = vec!["validate-xapi.cjs".to_string()];
    args.extend(xapi.iter().map(|p| path(p)));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run_in(&interop, "node", &args, &[])?;
    let py = path(&python);
    let check = path(&interop.join("check.py"));
    let lrs_dir = out.join("lrs");
    let mut args = vec![check.clone(), "lrs".into(), path(&lrs_dir)];
    args.extend(xapi.iter().map(|p| path(p)));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run(&py, &args, &[])?;

    // CSV: Python's csv module, field by field against the reports.
    let mut args = vec![check.clone(), "csv".into(), path(&csv)];
    args.extend(reports.iter().map(|p| path(p)));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run(&py, &args, &[])?;

    // CASE against 1EdTech's published schema; LTI AGS against the schema of its field rules.
    let case_schema = interop.join("case/case_v1p1_cfpackage-jsonschema1.json");
    run(
        &py,
        &[&check, "schema", &path(&case_schema), &path(&case)],
        &[],
    )?;
    let lti_schema = interop.join("lti/ags-export.schema.json");
    for l in &lti {
        run(&py, &[&check, "schema", &path(&lti_schema), &path(l)], &[])?;
    }
    Ok(())
}

fn path(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

fn write(p: &PathBuf, text: &str) -> Result {
    std::fs::write(p, text).map_err(|e| format!("cannot write {}: {e}", p.display()))
}

/// Runs the CLI in the repository root and writes its standard output to `to`; a non-zero exit
/// fails with what it printed on stderr.
fn export(cli: &Path, args: &[&str], to: &PathBuf) -> Result {
    eprintln!("$ rubrica {} > {}", args.join(" "), to.display());
    let out = Command::new(cli)
        .args(args)
        .current_dir(root())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", cli.display()))?;
    if !out.status.success() {
        return Err(format!(
            "rubrica {} exited with {}: {}",
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    std::fs::write(to, &out.stdout).map_err(|e| format!("cannot write {}: {e}", to.display()))
}
