//! `cargo xtask bench`: measures on this machine everything `BENCHMARKS.md` reports and writes
//! the file again, every target of the speed work with its measured value.
//!
//! The steps: the criterion benches (`engine/benches/scoring.rs`, short warm-up and
//! measurement); whole processes on generated JSON Lines files (the release CLI against the
//! hand-written floor, `engine/benches/floor_batch.rs`, and batch throughput with peak memory at
//! 10 000 and 100 000 records); the wasm build; and the JavaScript figures of
//! `web/bench/run.mjs` (wasm in Node and Chromium, json-logic-engine). A figure that cannot be
//! taken is written as "not measured" with the reason, never left out.

use super::{build_web, ensure_npm, output, root, run, target_dir, Result};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The criterion arguments: long enough for stable medians, short enough for a run of minutes.
const CRITERION_ARGS: [&str; 4] = ["--warm-up-time", "1", "--measurement-time", "3"];
/// Records in the whole-process comparison with the floor.
const FLOOR_RECORDS: usize = 5_000;
/// Runs of each whole process in that comparison; the median is kept.
const FLOOR_RUNS: usize = 3;
/// Batch sizes for throughput and memory.
const BATCH_SIZES: [usize; 2] = [10_000, 100_000];

/// One timed process: wall time and peak memory (when GNU time is there to read it).
struct Timed {
    secs: f64,
    max_rss_kb: Option<u64>,
}

/// A figure, or why it is missing.
type Figure = std::result::Result<f64, String>;

pub fn bench() -> Result {
    let started = Instant::now();
    let medians = criterion()?;
    run(
        "cargo",
        &["build", "--release", "-p", "rubrica", "--features", "cli"],
        &[],
    )?;
    let cli = target_dir().join("release/rubrica");
    let floor = floor_binary()?;
    let work = target_dir().join("bench");
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;

    let floor_file = records_file(&work, FLOOR_RECORDS)?;
    let floor_file_s = floor_file.to_string_lossy().into_owned();
    let cli_s = cli.to_string_lossy().into_owned();
    let engine_runs = median_of(FLOOR_RUNS, || {
        timed(
            &cli_s,
            &[
                "score",
                &floor_file_s,
                "--rubrics",
                "rubrics/small-groups",
                "--format",
                "json",
                "--jobs",
                "1",
            ],
            &work,
        )
    })?;
    let floor_runs = median_of(FLOOR_RUNS, || {
        timed(&floor.to_string_lossy(), &["score", &floor_file_s], &work)
    })?;

    let mut batches = Vec::new();
    for n in BATCH_SIZES {
        let file = records_file(&work, n)?;
        let t = timed(
            &cli_s,
            &["score", &file.to_string_lossy(), "--format", "json"],
            &work,
        )?;
        batches.push((n, t));
    }
    let one_core = {
        let file = records_file(&work, BATCH_SIZES[0])?;
        timed(
            &cli_s,
            &[
                "score",
                &file.to_string_lossy(),
                "--format",
                "json",
                "--jobs",
                "1",
            ],
            &work,
        )?
    };

    let js = js_figures();
    let machine = machine();
    let text = render(&Report {
        medians: &medians,
        engine_batch: &engine_runs,
        floor_batch: &floor_runs,
        batches: &batches,
        one_core: &one_core,
        js: &js,
        machine: &machine,
        took: started.elapsed(),
    });
    let path = root().join("BENCHMARKS.md");
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!(
        "\nwrote BENCHMARKS.md ({} min)",
        started.elapsed().as_secs().div_ceil(60)
    );
    Ok(())
}

/// Runs the criterion benches and reads each one's median (nanoseconds) by its name.
fn criterion() -> Result<BTreeMap<String, f64>> {
    let dir = target_dir().join("criterion");
    // Figures of benches renamed or removed since must not be read as today's.
    let _ = std::fs::remove_dir_all(&dir);
    let mut args = vec!["bench", "-p", "rubrica", "--bench", "scoring", "--"];
    args.extend(CRITERION_ARGS);
    run("cargo", &args, &[])?;
    let mut medians = BTreeMap::new();
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let new = entry.path().join("new");
        let read = |name: &str| -> Option<serde_json::Value> {
            serde_json::from_str(&std::fs::read_to_string(new.join(name)).ok()?).ok()
        };
        let (Some(meta), Some(estimates)) = (read("benchmark.json"), read("estimates.json")) else {
            continue;
        };
        if let (Some(id), Some(ns)) = (
            meta["full_id"].as_str(),
            estimates["median"]["point_estimate"].as_f64(),
        ) {
            medians.insert(id.to_string(), ns);
        }
    }
    Ok(medians)
}

/// Builds the floor's batch binary (release, as benches are) and says where it is.
fn floor_binary() -> Result<PathBuf> {
    let out = Command::new("cargo")
        .args([
            "bench",
            "-p",
            "rubrica",
            "--bench",
            "floor_batch",
            "--no-run",
            "--message-format=json",
        ])
        .current_dir(root())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !out.status.success() {
        return Err("building the floor_batch bench failed".into());
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["target"]["name"] == "floor_batch")
        .find_map(|v| v["executable"].as_str().map(PathBuf::from))
        .ok_or_else(|| "cargo did not say where the floor_batch bench was built".into())
}

/// `n` records, one per line: the three examples in turn, each with an id of its own.
fn records_file(work: &Path, n: usize) -> Result<PathBuf> {
    let path = work.join(format!("records-{n}.jsonl"));
    let mut examples = Vec::new();
    for name in [
        "center-infants",
        "center-toddlers-mixed",
        "family-child-care",
    ] {
        let file = root().join(format!("examples/{name}.json"));
        let text = std::fs::read_to_string(&file).map_err(|e| format!("{name}: {e}"))?;
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("{name}: {e}"))?;
        examples.push(value);
    }
    let mut body = String::new();
    for i in 0..n {
        let mut record = examples[i % examples.len()].clone();
        record["id"] = format!("bench-{i}").into();
        body.push_str(&record.to_string());
        body.push('\n');
    }
    std::fs::write(&path, body).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}

/// Runs a program with its output to a file, timing it and reading its peak memory.
fn timed(program: &str, args: &[&str], work: &Path) -> Result<Timed> {
    let gnu_time = Path::new("/usr/bin/time").is_file();
    let out_file = work.join("out.jsonl");
    let stdout =
        std::fs::File::create(&out_file).map_err(|e| format!("{}: {e}", out_file.display()))?;
    let mut command = if gnu_time {
        let mut c = Command::new("/usr/bin/time");
        c.arg("-v").arg(program);
        c
    } else {
        Command::new(program)
    };
    eprintln!("$ {program} {}", args.join(" "));
    let start = Instant::now();
    let out = command
        .args(args)
        .current_dir(root())
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    let secs = start.elapsed().as_secs_f64();
    let err = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(format!("`{program} {}` failed: {err}", args.join(" ")));
    }
    let max_rss_kb = err
        .lines()
        .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes):"))
        .and_then(|v| v.trim().parse().ok());
    Ok(Timed { secs, max_rss_kb })
}

/// The run with the median wall time of `n`.
fn median_of(n: usize, mut f: impl FnMut() -> Result<Timed>) -> Result<Timed> {
    let mut runs = Vec::new();
    for _ in 0..n {
        runs.push(f()?);
    }
    runs.sort_by(|a, b| a.secs.total_cmp(&b.secs));
    let mid = runs.len() / 2;
    Ok(runs.swap_remove(mid))
}

/// The JavaScript side's figures (`web/bench/run.mjs`), or why there are none.
fn js_figures() -> std::result::Result<serde_json::Value, String> {
    build_web().map_err(|e| format!("the wasm build failed: {e}"))?;
    let dir = root().join("web/bench");
    ensure_npm(&dir).map_err(|e| format!("npm install in web/bench failed: {e}"))?;
    eprintln!("$ node web/bench/run.mjs");
    // Progress goes to stderr, shown as it comes; the figures are the object on stdout.
    let out = Command::new("node")
        .arg("run.mjs")
        .current_dir(&dir)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run node: {e}"))?;
    if !out.status.success() {
        return Err(format!("web/bench/run.mjs failed ({})", out.status));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    // One JSON object, on one line or pretty-printed: from the last line that opens it.
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices("\n{").map(|(i, _)| i + 1))
        .collect();
    starts
        .into_iter()
        .rev()
        .find_map(|i| serde_json::from_str::<serde_json::Value>(text.get(i..)?.trim()).ok())
        .filter(serde_json::Value::is_object)
        .ok_or_else(|| "web/bench/run.mjs printed no JSON object".into())
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|l| l.trim_start_matches([' ', '\t', ':']).trim().to_string())
        })
        .unwrap_or_else(|| "an unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let rustc = output("rustc", &["--version"]).unwrap_or_default();
    let node = output("node", &["--version"]).unwrap_or_default();
    format!(
        "{cpu}, {cores} cores, {}, Node {}",
        rustc.split(" (").next().unwrap_or_default().trim(),
        node.trim().trim_start_matches('v')
    )
}

struct Report<'a> {
    medians: &'a BTreeMap<String, f64>,
    engine_batch: &'a Timed,
    floor_batch: &'a Timed,
    batches: &'a [(usize, Timed)],
    one_core: &'a Timed,
    js: &'a std::result::Result<serde_json::Value, String>,
    machine: &'a str,
    took: Duration,
}

const SIX: &str = "score a record with the six rubrics";
const SMALL_GROUPS: &str = "score a record with small-groups";
const FLOOR: &str = "score a record with small-groups by hand (the floor)";
const PARSE_SCORE_SERIALIZE: &str = "parse, score and serialize a record (one JSON Lines entry)";
const RUBRICS: [&str; 6] = [
    "continuity-of-care",
    "culturally-responsive-care",
    "inclusive-care",
    "individualized-care",
    "primary-caregiving",
    "small-groups",
];

impl Report<'_> {
    /// A criterion median in microseconds.
    fn us(&self, name: &str) -> Figure {
        self.medians
            .get(name)
            .map(|ns| ns / 1000.0)
            .ok_or_else(|| format!("criterion has no `{name}`"))
    }

    /// A JavaScript figure.
    fn js(&self, key: &str) -> Figure {
        match self.js {
            Err(why) => Err(why.clone()),
            Ok(v) => v[key].as_f64().ok_or_else(|| {
                let note = v["notes"].as_array().and_then(|notes| {
                    let prefix = key.split('_').take(2).collect::<Vec<_>>().join("_");
                    notes
                        .iter()
                        .filter_map(|n| n.as_str())
                        .find(|n| n.starts_with(key) || n.starts_with(&prefix))
                        .map(str::to_string)
                });
                note.unwrap_or_else(|| format!("web/bench/run.mjs gave no `{key}`"))
            }),
        }
    }

    fn records_per_min(&self, n: usize, t: &Timed) -> f64 {
        n as f64 / t.secs * 60.0
    }
}

fn time(us: f64) -> String {
    if us >= 1000.0 {
        format!("{:.2} ms", us / 1000.0)
    } else if us >= 10.0 {
        format!("{us:.0} µs")
    } else {
        format!("{us:.2} µs")
    }
}

/// A whole number with a space between groups of three digits.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

fn shown(f: &Figure, as_text: impl Fn(f64) -> String) -> String {
    match f {
        Ok(v) => as_text(*v),
        Err(why) => format!(
            "not measured ({})",
            why.replace('|', "/").replace('\n', " ")
        ),
    }
}

fn verdict(f: &Figure, met: impl Fn(f64) -> bool) -> &'static str {
    match f {
        Ok(v) if met(*v) => "met",
        Ok(_) => "missed",
        Err(_) => "not measured",
    }
}

fn ratio(a: &Figure, b: &Figure) -> Figure {
    match (a, b) {
        (Ok(a), Ok(b)) if *b > 0.0 => Ok(a / b),
        (Err(e), _) | (_, Err(e)) => Err(e.clone()),
        _ => Err("division by zero".into()),
    }
}

fn rss(t: &Timed) -> String {
    t.max_rss_kb.map_or_else(
        || "not measured (GNU time, /usr/bin/time, is missing)".into(),
        |kb| format!("{:.1} MB", kb as f64 * 1024.0 / 1e6),
    )
}

fn render(r: &Report) -> String {
    let mut md = String::new();
    let six = r.us(SIX);
    let sg = r.us(SMALL_GROUPS);
    let floor = r.us(FLOOR);
    let sg_ratio = ratio(&sg, &floor);
    let process_ratio: Figure = Ok(r.engine_batch.secs / r.floor_batch.secs);
    let (big_n, big) = r.batches.last().map_or((0, None), |(n, t)| (*n, Some(t)));
    let per_min: Figure = big
        .map(|t| r.records_per_min(big_n, t))
        .ok_or_else(|| "no batch run".to_string());
    let rss_growth: Figure = match (r.batches.first(), r.batches.last()) {
        (Some((_, a)), Some((_, b))) => match (a.max_rss_kb, b.max_rss_kb) {
            (Some(a), Some(b)) if a > 0 => Ok(b as f64 / a as f64),
            _ => Err("GNU time (/usr/bin/time) is missing".into()),
        },
        _ => Err("no batch run".into()),
    };
    let native_report = r.us(PARSE_SCORE_SERIALIZE);
    let wasm_report = r.js("node_wasm_report_p50_us");
    let wasm_ratio = ratio(&wasm_report, &native_report);
    let gzip = r.js("wasm_bytes_gzip");
    let first_score = r.js("chromium_first_score_ms_p50");
    let wasm_parse = r.js("node_wasm_small_groups_with_parse_p50_us");
    let logic_parse = r.js("jsonlogic_group_size_with_parse_us");
    let logic_ratio = ratio(&wasm_parse, &logic_parse);

    let _ = writeln!(md, "# Benchmarks\n");
    let _ = writeln!(
        md,
        "Regenerated as a whole by one command, on {}, in {} minutes:\n\n```sh\ncargo xtask bench\n```\n",
        r.machine,
        r.took.as_secs().div_ceil(60)
    );
    let _ = writeln!(
        md,
        "Figures are reported, not asserted: no test depends on timing, and CI builds the benches \
without running them. Native figures are release builds; criterion figures are medians \
(`{}`). On a machine busy with other work every figure grows; run it again on a quiet one.\n",
        CRITERION_ARGS.join(" ")
    );

    let _ = writeln!(md, "## Targets\n");
    let _ = writeln!(md, "| target | measured | |\n|---|---|---|");
    let mut target = |what: &str, value: String, v: &str| {
        let _ = writeln!(md, "| {what} | {value} | {v} |");
    };
    target(
        "six rubrics on one record ≤ 250 µs native (criterion median)",
        shown(&six, time),
        verdict(&six, |v| v <= 250.0),
    );
    target(
        "small-groups scoring ≤ 30× the hand-written scorer (same record, no parsing)",
        shown(&sg_ratio, |x| {
            format!("{x:.1}× ({} vs {})", shown(&sg, time), shown(&floor, time))
        }),
        verdict(&sg_ratio, |x| x <= 30.0),
    );
    target(
        &format!(
            "whole-process batch ≤ 4× the hand-written scorer ({} records, small-groups, parse + score + write, one thread)",
            grouped(FLOOR_RECORDS as u64)
        ),
        shown(&process_ratio, |x| {
            format!(
                "{x:.1}× ({:.2} s vs {:.2} s, median of {FLOOR_RUNS})",
                r.engine_batch.secs, r.floor_batch.secs
            )
        }),
        verdict(&process_ratio, |x| x <= 4.0),
    );
    target(
        &format!(
            "batch ≥ 200 000 records/min, six rubrics, both cores ({} records)",
            grouped(big_n as u64)
        ),
        shown(&per_min, |v| format!("{} records/min", grouped(v as u64))),
        verdict(&per_min, |v| v >= 200_000.0),
    );
    target(
        "memory flat from 10 000 to 100 000 records (peak RSS grows by less than 25 %)",
        shown(&rss_growth, |x| {
            let a = r.batches.first().map(|(_, t)| rss(t)).unwrap_or_default();
            let b = r.batches.last().map(|(_, t)| rss(t)).unwrap_or_default();
            format!("{a} → {b} ({x:.2}×)")
        }),
        verdict(&rss_growth, |x| x < 1.25),
    );
    target(
        "wasm ≤ 2× native (six-rubric report: Node p50 vs native parse + score + serialize)",
        shown(&wasm_ratio, |x| {
            format!(
                "{x:.1}× ({} vs {})",
                shown(&wasm_report, time),
                shown(&native_report, time)
            )
        }),
        verdict(&wasm_ratio, |x| x <= 2.0),
    );
    target(
        "wasm ≤ 350 KB gzip",
        shown(&gzip, |b| format!("{} B", grouped(b as u64))),
        verdict(&gzip, |b| b <= crate::web::WASM_GZIP_TARGET as f64),
    );
    target(
        "app load to first score ≤ 300 ms on loopback (Chromium, fresh context, p50)",
        shown(&first_score, |ms| format!("{ms:.0} ms")),
        verdict(&first_score, |ms| ms <= 300.0),
    );
    target(
        "small-groups in wasm within 2× of json-logic-engine on the group-size decision, `JSON.parse` counted on both sides",
        shown(&logic_ratio, |x| {
            format!(
                "{x:.1}× ({} vs {})",
                shown(&wasm_parse, time),
                shown(&logic_parse, time)
            )
        }),
        verdict(&logic_ratio, |x| x <= 2.0),
    );

    let _ = writeln!(md, "\n## Engine (criterion)\n");
    let _ = writeln!(
        md,
        "`cargo bench -p rubrica --bench scoring -- {}`; the record is \
`examples/center-toddlers-mixed.json` (9 children).\n",
        CRITERION_ARGS.join(" ")
    );
    let _ = writeln!(md, "| benchmark | median |\n|---|---|");
    let mut named: Vec<String> = vec![
        "compile the six rubrics".into(),
        "parse and validate a record".into(),
        SIX.into(),
    ];
    named.extend(RUBRICS.iter().map(|id| format!("score a record with {id}")));
    named.push(FLOOR.into());
    named.push(PARSE_SCORE_SERIALIZE.into());
    for name in named
        .iter()
        .chain(r.medians.keys().filter(|k| !named.contains(k)))
    {
        let _ = writeln!(md, "| {name} | {} |", shown(&r.us(name), time));
    }
    let _ = writeln!(
        md,
        "\nThe floor (`engine/benches/floor/`) is the small-groups and primary-caregiving rubrics \
written by hand in Rust, tables included; `tests/tests/floor.rs` checks it gives the engine's \
levels, evidence, notes and reasons on the examples and on 3 000 generated records, so the two \
compute the same thing."
    );

    let _ = writeln!(md, "\n## Batch scoring (CLI)\n");
    let _ = writeln!(
        md,
        "The three examples in turn, one per line, each with its own id; the release CLI with \
`--format json`, output to a file; wall time of the whole process, peak memory from GNU time.\n"
    );
    let _ = writeln!(
        md,
        "| run | records | wall time | records/min | peak memory (max RSS) |\n|---|---|---|---|---|"
    );
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    for (n, t) in r.batches {
        let _ = writeln!(
            md,
            "| `rubrica score records.jsonl --format json` (six rubrics, {cores} threads) | {} | {:.1} s | {} | {} |",
            grouped(*n as u64),
            t.secs,
            grouped(r.records_per_min(*n, t) as u64),
            rss(t)
        );
    }
    let n = BATCH_SIZES[0];
    let _ = writeln!(
        md,
        "| the same with `--jobs 1` | {} | {:.1} s | {} | {} |",
        grouped(n as u64),
        r.one_core.secs,
        grouped(r.records_per_min(n, r.one_core) as u64),
        rss(r.one_core)
    );
    for (what, t) in [
        (
            "`rubrica score … --rubrics rubrics/small-groups --format json --jobs 1`",
            r.engine_batch,
        ),
        (
            "the floor: `floor_batch score …` (engine's record reader, small-groups by hand, JSON out)",
            r.floor_batch,
        ),
    ] {
        let _ = writeln!(
            md,
            "| {what} | {} | {:.2} s | {} | {} |",
            grouped(FLOOR_RECORDS as u64),
            t.secs,
            grouped(r.records_per_min(FLOOR_RECORDS, t) as u64),
            rss(t)
        );
    }
    let _ = writeln!(
        md,
        "\nThe floor reads and checks each record with the engine's own reader (a scorer must \
refuse bad records as well), rates it by hand and writes the levels, evidence and notes as one \
JSON line; the CLI writes the full report (titles, strengths, growth areas, questions), so it \
writes more bytes per record."
    );

    let _ = writeln!(md, "\n## wasm in Node and Chromium; json-logic-engine\n");
    let _ = writeln!(
        md,
        "`node web/bench/run.mjs` after `cargo xtask build-web` (see `web/bench/README.md` for \
what each figure measures).\n"
    );
    match r.js {
        Err(why) => {
            let _ = writeln!(md, "Not measured: {why}.");
        }
        Ok(v) => {
            let _ = writeln!(md, "| figure | value |\n|---|---|");
            if let Some(map) = v.as_object() {
                for (key, value) in map.iter().filter(|(k, _)| *k != "notes") {
                    let value = match value {
                        serde_json::Value::Null => "not measured (see the notes)".to_string(),
                        serde_json::Value::Number(n) => {
                            let x = n.as_f64().unwrap_or_default();
                            if key.ends_with("_us") {
                                time(x)
                            } else if key.ends_with("_ms") || key.contains("_ms_") {
                                format!("{x:.0} ms")
                            } else if key.starts_with("wasm_bytes") {
                                format!("{} B", grouped(x as u64))
                            } else {
                                n.to_string()
                            }
                        }
                        other => other.to_string(),
                    };
                    let _ = writeln!(md, "| `{key}` | {value} |");
                }
            }
            if let Some(notes) = v["notes"].as_array() {
                let _ = writeln!(md, "\nNotes:\n");
                for note in notes.iter().filter_map(|n| n.as_str()) {
                    let _ = writeln!(md, "- {note}");
                }
            }
        }
    }

    let _ = writeln!(md, "\n## Sandbox worst case\n");
    let _ = writeln!(
        md,
        "`bash tests/hostile/measure.sh` runs every hostile script through the release CLI and \
prints the wall time and peak memory of each. The slowest (a map grown key by key until the \
operation budget stops it) ends in 0.42 s in a debug build; see \
[docs/robustness.md](docs/robustness.md) for the corpus figures."
    );
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report_with(js: std::result::Result<serde_json::Value, String>) -> String {
        let medians: BTreeMap<String, f64> = [(SIX, 1_250_000.0), (SMALL_GROUPS, 200_000.0)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        let t = |secs, kb| Timed {
            secs,
            max_rss_kb: Some(kb),
        };
        render(&Report {
            medians: &medians,
            engine_batch: &t(4.0, 7000),
            floor_batch: &t(2.0, 2500),
            batches: &[(10_000, t(20.0, 11_000)), (100_000, t(200.0, 11_500))],
            one_core: &t(18.0, 9000),
            js: &js,
            machine: "a test machine",
            took: Duration::from_secs(60),
        })
    }

    #[test]
    fn every_target_is_listed_with_its_value_or_why_it_is_missing() {
        let md = report_with(Ok(serde_json::json!({
            "node_wasm_report_p50_us": 2600.0,
            "wasm_bytes_gzip": 340_000,
            "chromium_first_score_ms_p50": null,
            "notes": ["chromium_first_score: no browser"],
        })));
        let targets: Vec<&str> = md
            .lines()
            .skip_while(|l| *l != "## Targets")
            .skip(4)
            .take_while(|l| l.starts_with('|'))
            .collect();
        assert_eq!(targets.len(), 9, "{md}");
        assert!(targets[0].contains("1.25 ms | missed"), "{}", targets[0]);
        assert!(
            targets[1].contains("not measured (criterion has no"),
            "{}",
            targets[1]
        );
        assert!(targets[2].contains("2.0×") && targets[2].ends_with("| met |"));
        assert!(targets[4].contains("(1.05×) | met"), "{}", targets[4]);
        assert!(targets[6].contains("340 000 B | met"), "{}", targets[6]);
        assert!(
            targets[7].contains("not measured (chromium_first_score: no browser)"),
            "{}",
            targets[7]
        );
        assert!(md.contains("| `chromium_first_score_ms_p50` | not measured (see the notes) |"));
        assert!(md.contains("## Sandbox worst case"));

        let md = report_with(Err("the wasm build failed: no wasm-opt".into()));
        assert!(md.contains("| not measured (the wasm build failed: no wasm-opt) | not measured |"));
    }
}
