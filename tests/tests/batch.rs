//! `rubrica score <file.jsonl>` on several threads: the same bytes, in input order, with the
//! same exit code, whatever the number of threads, over good, malformed, blank and over-long
//! lines.

use rubrica::MAX_RECORD_BYTES;
use rubrica_tests::{output_text as text, root, run_cli as rubrica};
use std::path::PathBuf;

/// An example record as one compact line, with its id replaced by `id`.
fn example_line(name: &str, id: &str) -> String {
    let file = root().join("examples").join(name);
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(file).expect("example")).expect("JSON");
    v["id"] = id.into();
    serde_json::to_string(&v).expect("compact")
}

/// What each line of the stream is expected to give.
#[derive(Debug, Clone, PartialEq)]
enum Expect {
    Report(String),
    Failure(u64),
    Nothing,
}

/// A stream of `n` lines mixing records, broken lines, blank lines and two over-long lines,
/// written to a file of its own; and what each line should give.
fn stream(n: usize) -> (PathBuf, Vec<Expect>) {
    let examples = [
        "center-infants.json",
        "center-toddlers-mixed.json",
        "family-child-care.json",
    ];
    let mut body = Vec::new();
    let mut expect = Vec::new();
    for i in 0..n {
        let number = i as u64 + 1;
        match i % 11 {
            3 => {
                body.extend_from_slice(b"{\"format\": \"rubrica.observation/1\"}");
                expect.push(Expect::Failure(number));
            }
            6 => {
                body.extend_from_slice(b"{not json");
                expect.push(Expect::Failure(number));
            }
            9 => {
                body.extend_from_slice(b"   ");
                expect.push(Expect::Nothing);
            }
            _ if i == n / 3 || i == n - 2 => {
                body.extend_from_slice(b"{\"notes\": [\"");
                body.resize(body.len() + MAX_RECORD_BYTES + 10, b'a');
                body.extend_from_slice(b"\"]}");
                expect.push(Expect::Failure(number));
            }
            _ => {
                let id = format!("obs-{i:04}");
                body.extend_from_slice(example_line(examples[i % examples.len()], &id).as_bytes());
                expect.push(Expect::Report(id));
            }
        }
        body.push(b'\n');
    }
    let dir = std::env::temp_dir().join(format!("rubrica-batch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch folder");
    let file = dir.join("records.jsonl");
    std::fs::write(&file, body).expect("write the stream");
    (file, expect)
}

/// The 1-based number of the first line where `a` and `b` differ, with both lines.
fn first_difference(a: &str, b: &str) -> String {
    let (mut left, mut right) = (a.lines(), b.lines());
    let mut n = 0;
    loop {
        n += 1;
        match (left.next(), right.next()) {
            (None, None) => return format!("{n} (same lines, other bytes)"),
            (l, r) if l != r => {
                let cut =
                    |s: Option<&str>| s.unwrap_or("<end>").chars().take(300).collect::<String>();
                return format!("{n}:\n  one:  {}\n  four: {}", cut(l), cut(r));
            }
            _ => {}
        }
    }
}

/// Stderr without its last line, which says how long the run took.
fn without_timing(stderr: &[u8]) -> String {
    let err = text(stderr);
    let mut lines: Vec<&str> = err.lines().collect();
    let last = lines.pop().unwrap_or_default();
    assert!(last.contains(" records scored, "), "{err}");
    lines.join("\n")
}

#[test]
fn one_thread_and_four_give_the_same_bytes_in_input_order() {
    let (file, expect) = stream(300);
    let path = file.display().to_string();
    let reports = expect
        .iter()
        .filter(|e| matches!(e, Expect::Report(_)))
        .count();
    let failures = expect
        .iter()
        .filter(|e| matches!(e, Expect::Failure(_)))
        .count();

    for format in ["json", "text"] {
        // The one answer that may differ between runs is a script stopped by its real-time
        // deadline (R0311) on a machine too busy to give it 200 ms; the pair is then run again
        // (at most twice). Any other difference fails at once.
        let mut attempts = 0;
        let (one, four) = loop {
            attempts += 1;
            let one = rubrica(&["score", &path, "--format", format, "--jobs", "1"]);
            let four = rubrica(&["score", &path, "--format", format, "--jobs", "4"]);
            if one.stdout == four.stdout {
                break (one, four);
            }
            let deadline = |o: &std::process::Output| text(&o.stdout).contains("R0311");
            assert!(
                attempts < 3 && (deadline(&one) || deadline(&four)),
                "{format}: stdout differs between one thread and four, first at line {}",
                first_difference(&text(&one.stdout), &text(&four.stdout))
            );
        };
        assert_eq!(one.status.code(), Some(2), "{}", text(&one.stderr));
        assert_eq!(four.status.code(), one.status.code());
        assert_eq!(without_timing(&one.stderr), without_timing(&four.stderr));
        let summary = format!("{reports} records scored, {failures} rejected");
        assert!(text(&four.stderr).contains(&summary), "{summary}");
    }

    // Input order: each line of the JSON output answers the next line that gives an answer.
    let out = rubrica(&["score", &path, "--format", "json", "--jobs", "4"]);
    let got: Vec<Expect> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("each line is JSON");
            if v["type"] == "failure" {
                Expect::Failure(v["line"].as_u64().expect("a line number"))
            } else {
                Expect::Report(v["record"].as_str().expect("a record id").to_string())
            }
        })
        .collect();
    let wanted: Vec<Expect> = expect
        .into_iter()
        .filter(|e| *e != Expect::Nothing)
        .collect();
    assert_eq!(got, wanted);

    // Text: problems go to stderr, in the order of their lines.
    let out = rubrica(&["score", &path, "--jobs", "4"]);
    let err = text(&out.stderr);
    let lines: Vec<u64> = err
        .lines()
        .filter_map(|l| l.strip_prefix(&format!("{path}:")))
        .filter_map(|l| l.split(':').next()?.parse().ok())
        .collect();
    let mut sorted = lines.clone();
    sorted.sort_unstable();
    assert_eq!(lines, sorted, "{err}");
    assert_eq!(
        text(&out.stdout).matches("\nOverview\n").count(),
        reports,
        "one text report per record"
    );
    let _ = std::fs::remove_dir_all(file.parent().expect("folder"));
}

#[test]
fn zero_threads_is_refused() {
    let out = rubrica(&["score", "examples/center-infants.json", "--jobs", "0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--jobs"),
        "{}",
        text(&out.stderr)
    );
}
