//! Shared helpers for the workspace tests: where things are, the CLI binary, and renderings of
//! results and diagnostics the way people read them (for snapshots).

use rubrica::{CompiledRubric, Diagnostic, Engine, RubricResult};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Checks that the generated file at `path` (relative to the repository root) holds `want`, or
/// writes it when `UPDATE_CORPUS` is set. `test` names the test binary that regenerates it.
pub fn check_generated(path: &str, want: &str, test: &str) {
    let file = root().join(path);
    if std::env::var_os("UPDATE_CORPUS").is_some() {
        std::fs::write(&file, want).expect("write the generated file");
        return;
    }
    let have = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(
        have == want,
        "{path} is out of date; regenerate it with `UPDATE_CORPUS=1 cargo test -p rubrica-tests --test {test}`"
    );
}

/// The `rubrica` binary, built once (with the `cli` feature) if the tests run without it.
pub fn cli() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        if let Some(p) = std::env::var_os("RUBRICA_BIN") {
            return PathBuf::from(p);
        }
        let status = std::process::Command::new(env!("CARGO"))
            .args(["build", "--quiet", "-p", "rubrica", "--features", "cli"])
            .current_dir(root())
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building the rubrica CLI failed");
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| root().join("target"));
        target
            .join("debug")
            .join(format!("rubrica{}", std::env::consts::EXE_SUFFIX))
    })
    .clone()
}

/// Every shipped rubric under `rubrics/`, compiled with `engine` (a rubric that does not
/// compile stops the test with its diagnostics).
pub fn shipped_rubrics(engine: &Engine) -> Vec<CompiledRubric> {
    rubrica::load_rubric_dir(&root().join("rubrics"))
        .expect("the shipped rubrics load")
        .iter()
        .map(|f| {
            engine
                .compile(&f.source)
                .unwrap_or_else(|e| panic!("{}: {e}", f.dir.display()))
        })
        .collect()
}

/// The lines of a section of the text report: those after the line `heading`, up to the next
/// blank line (none when the heading is missing).
pub fn report_section<'a>(report: &'a str, heading: &str) -> Vec<&'a str> {
    report
        .lines()
        .skip_while(|l| *l != heading)
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .collect()
}

/// Runs the `rubrica` binary in the repository root with these arguments.
pub fn run_cli(args: &[&str]) -> std::process::Output {
    std::process::Command::new(cli())
        .args(args)
        .current_dir(root())
        .output()
        .expect("the CLI runs")
}

/// The CLI's output as text, with paths relative to the repository root.
pub fn output_text(bytes: &[u8]) -> String {
    relative(&String::from_utf8_lossy(bytes))
}

/// Paths are shown relative to the repository root so snapshots do not depend on the machine.
pub fn relative(text: &str) -> String {
    let root = root().display().to_string();
    text.replace(&format!("{root}/"), "").replace(&root, ".")
}

/// Renders one rubric result as a coach and a trainer read it.
pub fn render_result(r: &RubricResult) -> String {
    let mut out = String::new();
    let score = r
        .score
        .map_or("none".to_string(), |s| format!("{s} / {}", r.scale_max));
    out.push_str(&format!(
        "{} {} — record {}\n",
        r.rubric.id, r.rubric.version, r.record
    ));
    let status = serde_json::to_value(r.status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    out.push_str(&format!(
        "status: {status}, score: {score}, coverage: {}/{} ({}%)\n",
        r.coverage.rated, r.coverage.total, r.coverage.percent
    ));
    out.push_str("\nindicators:\n");
    for i in &r.indicators {
        match i.level {
            Some(l) => {
                out.push_str(&format!(
                    "  {:<28} {l} {}\n",
                    i.id,
                    i.label.clone().unwrap_or_default()
                ));
                out.push_str(&format!("      evidence: {}\n", i.evidence.join(", ")));
                if let Some(n) = &i.note {
                    out.push_str(&format!("      note: {n}\n"));
                }
            }
            None => out.push_str(&format!(
                "  {:<28} {} — {}\n",
                i.id,
                i.outcome.replace('-', " "),
                i.reason.clone().unwrap_or_default()
            )),
        }
    }
    out.push_str("\nstrengths:\n");
    for s in &r.strengths {
        out.push_str(&format!("  + {} ({}): {}\n", s.indicator, s.level, s.text));
    }
    out.push_str("growth areas:\n");
    for g in &r.growth_areas {
        out.push_str(&format!(
            "  > {} ({}): {}\n",
            g.indicator, g.level, g.next_step
        ));
    }
    out.push_str("focused questions:\n");
    for q in &r.focused_questions {
        out.push_str(&format!("  ? {}\n", q.question));
    }
    out.push_str(&format!(
        "reflective questions ({} in all):\n",
        r.reflective_questions.len()
    ));
    for q in &r.reflective_questions {
        out.push_str(&format!("  ? {}\n", q.question));
    }
    if !r.missing_evidence.is_empty() {
        out.push_str("missing evidence:\n");
        for m in &r.missing_evidence {
            out.push_str(&format!("  - {}: {}\n", m.indicator, m.reason));
        }
    }
    if !r.warnings.is_empty() {
        out.push_str("warnings:\n");
        for w in &r.warnings {
            out.push_str(&format!("  {}\n", w.headline()));
        }
    }
    out
}

/// Renders diagnostics with excerpts from `source`, one block each.
pub fn render_diagnostics(ds: &[Diagnostic], source: Option<&str>) -> String {
    ds.iter()
        .map(|d| relative(&d.render(source)))
        .collect::<Vec<_>>()
        .join("\n")
}
