//! Inter-rater agreement checked against scikit-learn's `cohen_kappa_score`.
//!
//! Ratings are generated from a fixed seed (random tables of many shapes, and the edge cases:
//! every rating the same level, each coach one level of their own, disagreement everywhere,
//! one and two ratings, none compared, levels never used), written as pairs of reports, and run
//! through the real `rubrica agree --format json`. `tests/agree/kappa_oracle.py` then computes
//! every count, percentage and kappa again from the raw ratings with scikit-learn (`labels=`
//! the full scale, `weights=None` and `"quadratic"`) and compares them to 1e-9.

use crate::{python, root, run, target_dir, Result};
use serde_json::{json, Value};
use std::path::Path;

/// scikit-learn as pinned for the oracle.
const SCIKIT_LEARN: &str = "scikit-learn==1.9.1";
/// Seed of the generated ratings (any change makes new tables; keep it fixed so a failure can
/// be run again).
const SEED: u64 = 0x5eed_0a61_ee00_0012;
/// Random tables in the one-pair run (each a practice of its own scale).
const TABLES: usize = 400;
/// Visit pairs in the pooled run.
const PAIRS: usize = 6;

/// SplitMix64: small, seeded, the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A whole number in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % ((hi - lo + 1) as u64)) as i64
    }

    /// True with probability `percent` in 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// One coach's rating of one indicator: a level, or not rated (`None`).
type Rating = Option<i64>;

/// A table of ratings on the scale `1..=levels`: the first coach's and the second's.
struct Table {
    levels: i64,
    a: Vec<Rating>,
    b: Vec<Rating>,
}

fn fixed(levels: i64, a: &[i64], b: &[i64]) -> Table {
    Table {
        levels,
        a: a.iter().map(|x| Some(*x)).collect(),
        b: b.iter().map(|x| Some(*x)).collect(),
    }
}

/// The edge cases, then random tables.
fn tables(rng: &mut Rng) -> Vec<Table> {
    let mut t = vec![
        fixed(5, &[3, 3, 3, 3], &[3, 3, 3, 3]), // one shared level: kappa undefined
        fixed(5, &[1, 1, 1], &[2, 2, 2]),       // each coach one level of their own
        fixed(4, &[1, 2, 3, 4], &[4, 3, 1, 2]), // disagreement everywhere
        fixed(5, &[1, 5], &[5, 1]),             // two ratings, opposite ends
        fixed(5, &[2, 4], &[2, 4]),             // two ratings, the same
        fixed(5, &[4], &[4]),                   // one rating
        fixed(5, &[4], &[2]),                   // one rating, apart
        fixed(
            2,
            &[1, 1, 1, 1, 2, 2, 2, 2, 1, 2],
            &[1, 1, 1, 1, 1, 2, 2, 2, 2, 2],
        ),
        fixed(7, &[1, 2, 3, 1, 2, 3], &[1, 2, 3, 2, 3, 1]), // levels 4-7 never used
        fixed(5, &[1, 2, 3, 4, 5], &[1, 2, 3, 4, 5]),       // perfect
        Table {
            levels: 5,
            a: vec![Some(3), None, Some(2)],
            b: vec![None, Some(3), None],
        }, // nothing rated by both
        Table {
            levels: 5,
            a: vec![None, None, Some(2), Some(4)],
            b: vec![None, Some(1), Some(2), Some(5)],
        },
    ];
    for _ in 0..TABLES {
        let levels = rng.range(2, 7);
        let n = rng.range(1, 40) as usize;
        let noise = rng.range(0, 3);
        let unrated = rng.range(0, 20) as u64;
        // Some tables lean on few levels, so some levels stay unused.
        let top = if rng.chance(30) {
            rng.range(1, levels)
        } else {
            levels
        };
        let mut a = Vec::with_capacity(n);
        let mut b = Vec::with_capacity(n);
        for _ in 0..n {
            let x = rng.range(1, top);
            let y = (x + rng.range(-noise, noise)).clamp(1, levels);
            a.push((!rng.chance(unrated)).then_some(x));
            b.push((!rng.chance(unrated)).then_some(y));
        }
        t.push(Table { levels, a, b });
    }
    t
}

fn indicator(id: &str, rating: Rating) -> Value {
    match rating {
        Some(level) => json!({
            "id": id, "title": format!("Indicator {id}"), "kind": "process",
            "outcome": "rated", "level": level, "label": format!("Level {level}"),
            "evidence": ["/notes/0"], "note": format!("seen at level {level}")
        }),
        None => json!({
            "id": id, "title": format!("Indicator {id}"), "kind": "process",
            "outcome": "not-enough-evidence", "level": null, "label": null,
            "evidence": [], "reason": "not recorded"
        }),
    }
}

/// A report holding `practices` (`(rubric id, levels, ratings)`), as `rubrica score` writes
/// one (less what agreement does not read).
fn report(record: &str, practices: &[(String, i64, Vec<Rating>)]) -> Value {
    let entries: Vec<Value> = practices
        .iter()
        .map(|(id, levels, ratings)| {
            let rated = ratings.iter().flatten().count();
            json!({"type": "success", "result": {
                "format": "rubrica.result/1",
                "rubric": {"id": id, "version": "1.0.0", "practice": id, "title": format!("Table {id}")},
                "record": record, "status": "rated", "score": null, "scale_max": levels,
                "coverage": {"rated": rated, "total": ratings.len(), "percent": rated * 100 / ratings.len().max(1), "not_applicable": 0},
                "indicators": ratings.iter().enumerate().map(|(i, r)| indicator(&format!("i{i}"), *r)).collect::<Vec<_>>(),
            }})
        })
        .collect();
    json!({
        "format": "rubrica.report/1", "record": record, "setting": "center",
        "observed_on": "2026-03-14", "minutes": 60, "warnings": [], "practices": entries
    })
}

fn write(path: &Path, value: &Value) -> Result {
    std::fs::write(path, value.to_string())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Runs `rubrica agree --format json` on the files and writes what it prints to `out`.
fn agree(cli: &Path, files: &[String], out: &Path) -> Result {
    let mut args = vec!["agree".to_string(), "--format".into(), "json".into()];
    args.extend_from_slice(files);
    eprintln!("$ rubrica {} > {}", args.join(" "), out.display());
    let output = std::process::Command::new(cli)
        .args(&args)
        .current_dir(root())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", cli.display()))?;
    if output.status.code() != Some(0) {
        return Err(format!(
            "rubrica agree exited with {:?}: {}",
            output.status.code(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    std::fs::write(out, &output.stdout).map_err(|e| format!("cannot write {}: {e}", out.display()))
}

pub fn test() -> Result {
    let python = python::venv("agree", &[SCIKIT_LEARN])?;
    let cli = crate::native_cli()?;
    let dir = target_dir().join("agree-oracle");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut rng = Rng(SEED);
    let mut groups = Vec::new();

    // One visit pair: each table is a practice of its own scale, its indicators the ratings.
    let single: Vec<(String, i64, Table)> = tables(&mut rng)
        .into_iter()
        .enumerate()
        .map(|(i, t)| (format!("table-{i:03}"), t.levels, t))
        .collect();
    let side = |pick: fn(&Table) -> &Vec<Rating>| -> Vec<(String, i64, Vec<Rating>)> {
        single
            .iter()
            .map(|(id, l, t)| (id.clone(), *l, pick(t).clone()))
            .collect()
    };
    let (a, b) = (dir.join("one-a.json"), dir.join("one-b.json"));
    write(&a, &report("coach-a", &side(|t| &t.a)))?;
    write(&b, &report("coach-b", &side(|t| &t.b)))?;
    let one_out = dir.join("one.out.json");
    agree(
        &cli,
        &[a.display().to_string(), b.display().to_string()],
        &one_out,
    )?;
    for (id, levels, t) in &single {
        groups.push(json!({"output": "one", "rubric": id, "indicator": null, "levels": levels, "a": t.a, "b": t.b}));
    }

    // Several visit pairs: the same practices (one scale) in every pair, pooled per indicator,
    // per practice and overall.
    let practices: Vec<(String, usize)> = (0..8)
        .map(|i| (format!("pooled-{i}"), rng.range(1, 9) as usize))
        .collect();
    let mut per: Vec<Vec<(Vec<Rating>, Vec<Rating>)>> = Vec::new(); // [practice][indicator]
    for (_, n) in &practices {
        per.push(vec![(Vec::new(), Vec::new()); *n]);
    }
    let mut files = Vec::new();
    for p in 0..PAIRS {
        let mut sa = Vec::new();
        let mut sb = Vec::new();
        for ((id, n), inds) in practices.iter().zip(per.iter_mut()) {
            let (mut ra, mut rb) = (Vec::new(), Vec::new());
            for ind in inds.iter_mut().take(*n) {
                let x = rng.range(1, 5);
                let y = (x + rng.range(-1, 1)).clamp(1, 5);
                let x = (!rng.chance(8)).then_some(x);
                let y = (!rng.chance(8)).then_some(y);
                ind.0.push(x);
                ind.1.push(y);
                ra.push(x);
                rb.push(y);
            }
            sa.push((id.clone(), 5, ra));
            sb.push((id.clone(), 5, rb));
        }
        let (fa, fb) = (
            dir.join(format!("pair{p}-a.json")),
            dir.join(format!("pair{p}-b.json")),
        );
        write(&fa, &report(&format!("visit-{p}-a"), &sa))?;
        write(&fb, &report(&format!("visit-{p}-b"), &sb))?;
        files.push(fa.display().to_string());
        files.push(fb.display().to_string());
    }
    let pooled_out = dir.join("pooled.out.json");
    agree(&cli, &files, &pooled_out)?;
    let (mut all_a, mut all_b) = (Vec::new(), Vec::new());
    for ((id, _), inds) in practices.iter().zip(&per) {
        let (mut pa, mut pb) = (Vec::new(), Vec::new());
        for (i, (ra, rb)) in inds.iter().enumerate() {
            groups.push(json!({"output": "pooled", "rubric": id, "indicator": format!("i{i}"), "levels": 5, "a": ra, "b": rb}));
            pa.extend(ra.iter().copied());
            pb.extend(rb.iter().copied());
        }
        groups.push(
            json!({"output": "pooled", "rubric": id, "indicator": null, "levels": 5, "a": pa, "b": pb}),
        );
        all_a.extend(pa);
        all_b.extend(pb);
    }
    groups.push(json!({"output": "pooled", "rubric": null, "indicator": null, "levels": 5, "a": all_a, "b": all_b}));

    let groups_file = dir.join("groups.json");
    write(&groups_file, &Value::from(groups))?;
    let script = root().join("tests/agree/kappa_oracle.py");
    run(
        &python.to_string_lossy(),
        &[
            &script.to_string_lossy(),
            &groups_file.to_string_lossy(),
            &format!("one={}", one_out.display()),
            &format!("pooled={}", pooled_out.display()),
        ],
        &[],
    )
}
