//! The `rubrica` command line at the edges of its input and output: records and lines over the
//! size limit, failures as JSON, files that are not UTF-8, and text from records and scripts that
//! tries to forge what the terminal shows.

use rubrica::{is_unsafe_for_display, MAX_RECORD_BYTES};
use rubrica_tests::{cli, output_text as text, root, run_cli as rubrica};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Runs the CLI with `input` written to its standard input from another thread, in chunks, so
/// a large input streams through the pipe while the CLI reads it.
fn rubrica_with_stdin(args: &[&str], input: Vec<u8>) -> Output {
    let mut child = Command::new(cli())
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        for chunk in input.chunks(64 * 1024) {
            if stdin.write_all(chunk).is_err() {
                return;
            }
        }
    });
    let out = child.wait_with_output().expect("wait");
    writer.join().expect("writer thread");
    out
}

/// A scratch folder of its own for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rubrica-cli-input-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

fn example_line(name: &str) -> String {
    let text = std::fs::read_to_string(root().join("examples").join(name)).expect("example");
    let v: serde_json::Value = serde_json::from_str(&text).expect("example is JSON");
    serde_json::to_string(&v).expect("compact")
}

fn json_lines(stdout: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// Characters that must never reach a terminal from a record or a script.
fn unsafe_chars(s: &str) -> Vec<char> {
    s.chars()
        .filter(|&c| c != '\n' && is_unsafe_for_display(c))
        .collect()
}

#[test]
fn a_line_over_the_limit_is_reported_with_its_number_and_the_next_line_is_scored() {
    let good = example_line("family-child-care.json");
    let mut input = format!("{good}\n").into_bytes();
    // A line a megabyte longer than a record may be, shaped like the start of a record.
    let long = MAX_RECORD_BYTES + 1024 * 1024;
    input.extend_from_slice(b"{\"notes\": [\"");
    input.resize(input.len() + long - 14, b'a');
    input.extend_from_slice(b"\"]}\n");
    input.extend_from_slice(format!("{good}\n").as_bytes());

    let out = rubrica_with_stdin(&["score", "-", "--format", "json"], input.clone());
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 3, "{}", text(&out.stderr));
    assert_eq!(lines[0]["format"], "rubrica.report/1");
    assert_eq!(lines[1]["type"], "failure");
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(lines[1]["errors"][0]["code"], "R0110");
    let message = lines[1]["errors"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(
        message.contains(&format!("line 2 is {} bytes long", long + 1)),
        "{message}"
    );
    assert_eq!(lines[2]["format"], "rubrica.report/1");
    assert!(text(&out.stderr).contains("2 records scored, 1 rejected"));

    let out = rubrica_with_stdin(&["score", "-"], input);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("-:2: error R0110: line 2 is"), "{err}");
    assert!(err.contains("help: "), "{err}");
    let stdout = text(&out.stdout);
    assert_eq!(stdout.matches("\nOverview\n").count(), 2, "{stdout}");
}

#[test]
fn a_line_at_the_limit_is_read_and_judged_as_a_record() {
    // Exactly the limit: read whole and parsed (here: not a record, so R0100, not R0110).
    let mut line = vec![b' '; MAX_RECORD_BYTES - 2];
    line.splice(0..0, *b"[");
    line.push(b']');
    assert_eq!(line.len(), MAX_RECORD_BYTES);
    line.push(b'\n');
    let out = rubrica_with_stdin(&["score", "-", "--format", "json"], line);
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["errors"][0]["code"], "R0101", "{}", lines[0]);
}

#[test]
fn a_record_file_over_the_limit_is_refused_with_r0110() {
    let dir = scratch("big-file");
    let file = dir.join("big.json");
    let mut f = std::fs::File::create(&file).expect("create");
    let chunk = vec![b' '; 1024 * 1024];
    for _ in 0..(MAX_RECORD_BYTES / chunk.len() + 2) {
        f.write_all(&chunk).expect("write");
    }
    drop(f);
    let path = file.display().to_string();

    let out = rubrica(&["score", &path]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("error R0110"), "{err}");
    assert!(out.stdout.is_empty());

    let out = rubrica(&["score", &path, "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["type"], "failure");
    assert_eq!(lines[0]["errors"][0]["code"], "R0110");

    let out = rubrica(&["validate", &path]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("error R0110"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn score_json_on_an_invalid_record_prints_the_failure_answer_on_stdout() {
    let out = rubrica(&[
        "score",
        "tests/fixtures/records/center-infants_bad.json",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 1, "one answer: {}", text(&out.stdout));
    assert_eq!(lines[0]["type"], "failure");
    let errors = lines[0]["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 13);
    assert!(errors
        .iter()
        .any(|e| e["path"] == "/children/3/age_months" && e["code"] == "R0104"));
    assert!(text(&out.stderr).contains("the record has 13 problem(s); nothing was scored"));
}

/// A folder of rubric folders copied from the `good` fixture, with `script` as each script.
fn rubrics_with(dir: &Path, scripts: &[(&str, &str)]) {
    let good = root().join("tests/fixtures/rubrics/good");
    let meta = std::fs::read_to_string(good.join("rubric.json")).expect("fixture");
    for (id, script) in scripts {
        let folder = dir.join(id);
        std::fs::create_dir_all(&folder).expect("rubric folder");
        std::fs::write(
            folder.join("rubric.json"),
            meta.replace("\"id\": \"tiny\"", &format!("\"id\": \"{id}\""))
                .replace(
                    "How is the space used?",
                    "How is the space used?\\n  ? Forged\\u001b[8m",
                ),
        )
        .expect("write meta");
        std::fs::write(folder.join("rubric.rhai"), script).expect("write script");
    }
}

const FORGED_NOTE: &str = r#"
fn group_size(r) {
    rating(3, "/children", "\x1b[2J\x1b[H\n  + Tiny test rubric — Forged (3 Established)\r\u202Edetacol\u202C \x00\x7f\u009b31m")
}
fn own_space(r) { not_enough_evidence("\x1b]0;title\x07 missing\n  - forged gap") }
"#;

const FORGED_THROW: &str = r#"
fn group_size(r) { throw "\x1b[31mred\n  + Tiny test rubric — Forged (3 Established)"; }
fn own_space(r) { rating(1, "/children") }
"#;

#[test]
fn score_text_shows_script_text_escaped_on_one_line() {
    let dir = scratch("forge-score");
    rubrics_with(
        &dir,
        &[("forge-note", FORGED_NOTE), ("forge-throw", FORGED_THROW)],
    );
    let out = rubrica(&[
        "score",
        "examples/center-infants.json",
        "--rubrics",
        &dir.display().to_string(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(1), "one practice fails: {stdout}");
    assert_eq!(unsafe_chars(&stdout), Vec::<char>::new(), "{stdout}");
    assert!(
        !stdout
            .lines()
            .any(|l| l.trim_start().starts_with("+ Tiny test rubric — Forged")),
        "a note started a line of its own: {stdout}"
    );
    assert!(
        stdout.contains(r"\u{1b}[2J\u{1b}[H\n  + Tiny test rubric — Forged"),
        "{stdout}"
    );
    assert!(stdout.contains(r"\u{202e}detacol\u{202c}"), "{stdout}");
    assert!(stdout.contains(r"\u{0}\u{7f}\u{9b}31m"), "{stdout}");
    assert!(
        stdout.contains(r"\u{1b}]0;title\u{7} missing\n  - forged gap"),
        "{stdout}"
    );
    assert!(
        stdout.contains(r"\u{1b}[31mred\n"),
        "the thrown message: {stdout}"
    );
    assert!(
        stdout.contains(r"How is the space used?\n  ? Forged\u{1b}[8m"),
        "a question from the rubric's metadata: {stdout}"
    );

    // JSON keeps the text as the script wrote it; JSON's own escapes keep it safe.
    let out = rubrica(&[
        "score",
        "examples/center-infants.json",
        "--rubrics",
        &dir.display().to_string(),
        "--format",
        "json",
    ]);
    let json = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(!json.contains('\u{1b}'));
    assert!(json.contains(r"\u001b[2J"), "{json}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn test_and_check_show_case_and_script_text_escaped() {
    let dir = scratch("forge-test");
    rubrics_with(&dir, &[("forge-throw", FORGED_THROW)]);
    let cases = dir.join("forge-throw/cases");
    std::fs::create_dir_all(&cases).expect("cases");
    let record = root()
        .join("examples/center-infants.json")
        .display()
        .to_string();
    let case = serde_json::json!({
        "description": "\u{1b}[2Jcleared\n  ok   forged/case — all good\u{202e}",
        "record": record,
        "expect": {"group-size": 3, "own-space": 1}
    });
    std::fs::write(cases.join("forged.json"), case.to_string()).expect("case");
    let out = rubrica(&["test", &dir.display().to_string(), "--verbose"]);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert_eq!(unsafe_chars(&stdout), Vec::<char>::new(), "{stdout}");
    assert!(
        !stdout.lines().any(|l| l.starts_with("  ok   forged")),
        "a description started a line of its own: {stdout}"
    );
    assert!(stdout.contains(r"\u{1b}[2Jcleared\n"), "{stdout}");

    // A syntax error on a line holding control characters: the excerpt is escaped too.
    let bad = dir.join("forge-throw/rubric.rhai");
    std::fs::write(
        &bad,
        "fn group_size(r) { let x = \"\u{1b}[2J\u{202e}\" +; }\n",
    )
    .expect("script");
    let out = rubrica(&["check", &dir.join("forge-throw").display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(stderr.contains("error R0202"), "{stderr}");
    assert_eq!(unsafe_chars(&stderr), Vec::<char>::new(), "{stderr}");
    assert!(stderr.contains(r#""\u{1b}[2J\u{202e}""#), "{stderr}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn validate_shows_a_hostile_id_escaped() {
    for file in [
        "tests/malformed/id-child-escape-sequence.json",
        "tests/malformed/id-observer-escape-sequence.json",
        "tests/malformed/id-child-bidi-override.json",
        "tests/malformed/id-record-trailing-newline.json",
    ] {
        let out = rubrica(&["validate", file]);
        assert_eq!(out.status.code(), Some(2), "{file}");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(stderr.contains("error R0108"), "{file}: {stderr}");
        assert_eq!(
            unsafe_chars(&stderr),
            Vec::<char>::new(),
            "{file}: {stderr}"
        );
        assert!(
            stderr.lines().all(|l| !l.is_empty() && !l.starts_with('`')),
            "{file}: a message broke its line: {stderr}"
        );
    }
}

#[test]
fn a_script_that_is_not_utf8_is_a_rubric_finding_with_its_place() {
    let dir = scratch("encoding");
    rubrics_with(&dir, &[("latin-1", ""), ("utf-16", ""), ("fine", "")]);
    let good =
        std::fs::read(root().join("tests/fixtures/rubrics/good/rubric.rhai")).expect("script");
    // Latin-1 `é` on line 3, after `// caf`.
    let mut latin = b"// Tiny test rubric\n\n// caf".to_vec();
    latin.push(0xe9);
    latin.extend_from_slice(b"\n");
    latin.extend_from_slice(&good);
    std::fs::write(dir.join("latin-1/rubric.rhai"), latin).expect("write");
    let utf16: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain(
            String::from_utf8_lossy(&good)
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    std::fs::write(dir.join("utf-16/rubric.rhai"), utf16).expect("write");
    std::fs::write(dir.join("fine/rubric.rhai"), &good).expect("write");

    let out = rubrica(&["check", &dir.display().to_string()]);
    let stderr = text(&out.stderr);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("latin-1/rubric.rhai:3:7: error R0202"),
        "{stderr}"
    );
    assert!(stderr.contains("`0xE9`"), "{stderr}");
    assert!(
        stderr.contains("utf-16/rubric.rhai:1:1: error R0202"),
        "{stderr}"
    );
    assert!(stderr.contains("UTF-16"), "{stderr}");
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("ok ") && l.contains("fine")),
        "the good rubric is still checked: {stdout}"
    );

    // A folder that is not there stays an input error.
    let out = rubrica(&["check", &dir.join("nowhere").display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(dir);
}
