//! The whole-process floor for BENCHMARKS.md: `floor_batch score <file.jsonl>` does what
//! `rubrica score <file.jsonl> --rubrics rubrics/small-groups --format json` does, with the
//! small-groups rubric written by hand (`floor/`): each line read, parsed and checked by the
//! engine's record reader, rated, and one JSON line written per record. `cargo xtask bench`
//! times the two processes on the same records.
//!
//! Run by `cargo bench` without arguments, it does nothing: there is nothing to time in-process.

#[path = "floor/mod.rs"]
mod floor;

use rubrica::{JsonLines, Observation, RecordLine};
use std::io::{BufWriter, Write};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["score", path] => score(path),
        _ => 0,
    };
    std::process::exit(code);
}

fn score(path: &str) -> i32 {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: cannot read `{path}`: {e}");
            return 2;
        }
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    let (mut scored, mut rejected) = (0usize, 0usize);
    for line in JsonLines::new(std::io::BufReader::new(file)) {
        let Ok(RecordLine::Text { number, bytes }) = line else {
            rejected += 1;
            continue;
        };
        if bytes.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match Observation::parse_bytes(&bytes) {
            Ok(parsed) => {
                let indicators: Vec<serde_json::Value> = floor::small_groups(&parsed.observation)
                    .into_iter()
                    .map(|o| {
                        serde_json::json!({
                            "id": o.id,
                            "level": o.level,
                            "evidence": o.evidence,
                            "note": o.note,
                            "reason": o.reason,
                        })
                    })
                    .collect();
                let answer = serde_json::json!({
                    "record": parsed.observation.id,
                    "rubric": "small-groups",
                    "indicators": indicators,
                });
                let _ = writeln!(out, "{answer}");
                scored += 1;
            }
            Err(e) => {
                let _ = writeln!(
                    out,
                    "{}",
                    serde_json::json!({"type": "failure", "line": number, "errors": e.0})
                );
                rejected += 1;
            }
        }
    }
    let _ = out.flush();
    eprintln!("{scored} records scored, {rejected} rejected");
    i32::from(rejected > 0) * 2
}
