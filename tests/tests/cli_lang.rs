//! `--lang es` on the command line: what `trend`, `agree`, `check`, `test` and a batch `score`
//! print for a person is Spanish, their own lines included (headings, counts, ok and failure
//! lines, summaries).
//!
//! The English is not copied here: it is taken from the English run of the same command. The
//! Spanish run fails when one of its lines is, numbers aside, a line of the English run that
//! holds words (not only ids, numbers, dates, paths or codes), or when it repeats a word of
//! four letters or more, or two words in a row, of the English run that the inputs do not hold
//! (record notes, case descriptions and ids are the user's own words, written as they are in
//! every language) and that are not Spanish too (a word of the rubrics' Spanish texts such as
//! `flexible`, a record field name, an acronym, `kappa`, `error`).
//! Rubric problems for trainers stay English by design (docs/localisation.md): a rendered
//! rubric diagnostic, from its `error R…` line to its code's summary, is left out of both runs.

use rubrica::Workspace;
use rubrica_tests::{output_text as text, root, run_cli as rubrica};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// A folder of the test's own.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rubrica-cli-lang-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn example(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(root().join("examples").join(name)).unwrap())
        .unwrap()
}

/// Three visits to the infant room: two for caregiver cg-a (the calm atmosphere seen better at
/// the later one, coach `coach-07`), one for cg-z on another day without an observer.
fn visits(dir: &Path) -> Vec<String> {
    let mut paths = Vec::new();
    for (i, (date, calm, caregiver, observer)) in [
        ("2026-05-01", "all", "cg-a", true),
        ("2026-01-15", "some", "cg-a", true),
        ("2026-03-01", "most", "cg-z", false),
    ]
    .iter()
    .enumerate()
    {
        let mut r = example("center-infants.json");
        r["id"] = json!(format!("visit-{i}"));
        r["observed_on"] = json!(date);
        r["items"]["small-groups"]["calm-atmosphere"]["value"] = json!(calm);
        if !observer {
            r.as_object_mut().unwrap().remove("observer");
        }
        if *caregiver != "cg-a" {
            let t = r
                .to_string()
                .replace("\"cg-a\"", &format!("\"{caregiver}\""));
            r = serde_json::from_str(&t).unwrap();
        }
        let path = dir.join(format!("visit-{i}.json"));
        std::fs::write(&path, r.to_string()).unwrap();
        paths.push(path.display().to_string());
    }
    paths
}

/// Everything a run printed, stdout then stderr, and its exit code.
fn run(args: &[&str]) -> (String, Option<i32>) {
    let out = rubrica(args);
    (
        format!("{}{}", text(&out.stdout), text(&out.stderr)),
        out.status.code(),
    )
}

/// The lines of a run without the rendered rubric problems (English for trainers by design).
fn readable(output: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_problem = false;
    for line in output.lines() {
        let t = line.trim_start();
        if is_rubric_problem(t) {
            in_problem = true;
        }
        if in_problem {
            if t.starts_with("code R") || t.starts_with("código R") {
                in_problem = false;
            }
            continue;
        }
        out.push(line.to_string());
    }
    out
}

/// `file:line:col: error R0123 …` or `file: warning R0123 …` of a rubric or case file.
fn is_rubric_problem(line: &str) -> bool {
    ["error R", "warning R"].iter().any(|k| {
        line.find(k).is_some_and(|at| {
            let before = &line[..at];
            before.ends_with(": ")
                && (before.contains("rubric.")
                    || before.contains("/cases/")
                    || before.contains("rubric.rhai"))
        })
    })
}

/// The line with every number written as `0` (timings and counts aside).
fn numbers_out(line: &str) -> String {
    let mut out = String::new();
    let mut in_number = false;
    for c in line.chars() {
        if c.is_ascii_digit() {
            if !in_number {
                out.push('0');
            }
            in_number = true;
        } else {
            in_number = false;
            out.push(c);
        }
    }
    out
}

/// The words of a line in runs: a run is broken by anything that is not a word of ASCII letters
/// (a number, a path, an id, a quoted value, an accented Spanish word).
fn word_runs(line: &str) -> Vec<Vec<String>> {
    let mut runs = vec![Vec::new()];
    let mut quoted = false;
    for token in line.split_whitespace() {
        let opens = token.starts_with('`');
        let ticks = token.matches('`').count();
        if quoted || opens {
            if ticks % 2 == 1 {
                quoted = !quoted;
            }
            runs.push(Vec::new());
            continue;
        }
        let word = token.trim_matches(|c: char| ",.;:()[]—…?!\"'“”".contains(c));
        let breaks = !token.ends_with(|c: char| c.is_alphanumeric() || c == ')' || c == '(');
        if word.len() >= 2 && word.chars().all(|c| c.is_ascii_alphabetic() || c == '\'') {
            runs.last_mut().unwrap().push(word.to_lowercase());
            if breaks || token.ends_with(')') {
                runs.push(Vec::new());
            }
        } else {
            runs.push(Vec::new());
        }
    }
    runs.retain(|r| !r.is_empty());
    runs
}

/// Every two words in a row in `text`.
fn pairs(text: &str) -> BTreeSet<String> {
    text.lines()
        .flat_map(word_runs)
        .flat_map(|run| run.windows(2).map(|w| w.join(" ")).collect::<Vec<String>>())
        .collect()
}

/// Every word of at least four letters in `text`, in lower case, acronyms (`PITC`) aside.
fn single_words(text: &str) -> BTreeSet<String> {
    text.lines()
        .flat_map(|l| {
            word_runs(
                &l.split_whitespace()
                    .filter(|t| !is_acronym(t))
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        })
        .flatten()
        .filter(|w| w.len() >= 4)
        .collect()
}

fn is_acronym(token: &str) -> bool {
    let t = token.trim_matches(|c: char| !c.is_alphanumeric());
    t.len() >= 2 && t.chars().all(|c| c.is_ascii_uppercase())
}

/// Words the project writes in Spanish too: those of the shipped rubrics' Spanish texts
/// (`translations.es`), the JSON field names of records (written as they are in every
/// language), and `kappa` and `error`.
fn spanish_too() -> BTreeSet<String> {
    fn walk(v: &Value, keys_only: bool, out: &mut String) {
        match v {
            Value::String(s) if !keys_only => {
                out.push_str(s);
                out.push('\n');
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, keys_only, out)),
            Value::Object(o) => {
                for (k, x) in o {
                    if keys_only {
                        out.push_str(k);
                        out.push('\n');
                    }
                    walk(x, keys_only, out);
                }
            }
            _ => {}
        }
    }
    let mut text = String::from("kappa\nerror\n");
    for rubric in std::fs::read_dir(root().join("rubrics")).unwrap() {
        let meta = rubric.unwrap().path().join("rubric.json");
        if let Ok(t) = std::fs::read_to_string(meta) {
            let v: Value = serde_json::from_str(&t).unwrap();
            walk(&v["translations"]["es"], false, &mut text);
        }
    }
    let schema = std::fs::read_to_string(root().join("docs/observation.schema.json")).unwrap();
    walk(&serde_json::from_str(&schema).unwrap(), true, &mut text);
    single_words(&text.replace(|c: char| !c.is_alphanumeric() && c != '\'', " "))
}

/// True when a line holds a word of letters: not only ids, numbers, dates, paths, codes and
/// punctuation.
fn has_words(line: &str) -> bool {
    word_runs(line).iter().flatten().any(|w| w.len() >= 3)
}

/// Runs `args` in English and with `--lang es`, and lists the English left in the Spanish run:
/// lines the same in both (numbers aside) that hold words, and two English words in a row that
/// the inputs (`data`) do not hold.
fn english_in_spanish(args: &[&str], data: &str) -> (Vec<String>, String, Option<i32>) {
    let (en, en_code) = run(args);
    let mut es_args = args.to_vec();
    es_args.extend(["--lang", "es"]);
    let (es, es_code) = run(&es_args);
    assert_eq!(en_code, es_code, "{args:?}: the same exit code\n{en}\n{es}");
    let (en_lines, es_lines) = (readable(&en), readable(&es));
    assert!(
        es_lines.iter().filter(|l| has_words(l)).count() >= 2,
        "{args:?}: something to read\n{es}"
    );
    let english: BTreeSet<String> = en_lines.iter().map(|l| numbers_out(l)).collect();
    let mut found: Vec<String> = es_lines
        .iter()
        .filter(|l| has_words(l) && english.contains(&numbers_out(l)))
        .map(|l| format!("line as in English: {l}"))
        .collect();
    // The inputs are JSON: their words in a row whatever quotes and commas are between them.
    let data_pairs = pairs(&data.replace(|c: char| !c.is_alphanumeric() && c != '\'', " "));
    let en_pairs = pairs(&en_lines.join("\n"));
    let es_text = es_lines.join("\n");
    let data_words = single_words(&data.replace(|c: char| !c.is_alphanumeric() && c != '\'', " "));
    let spanish = spanish_too();
    for w in single_words(&es_text).intersection(&single_words(&en_lines.join("\n"))) {
        if !data_words.contains(w) && !spanish.contains(w) {
            let line = es_lines
                .iter()
                .find(|l| single_words(l).contains(w))
                .cloned()
                .unwrap_or_default();
            found.push(format!("English word `{w}` in: {line}"));
        }
    }
    for p in pairs(&es_text).intersection(&en_pairs) {
        if !data_pairs.contains(p) {
            let line = es_lines
                .iter()
                .find(|l| pairs(l).contains(p))
                .cloned()
                .unwrap_or_default();
            found.push(format!("English words `{p}` in: {line}"));
        }
    }
    (found, es, es_code)
}

fn assert_spanish(args: &[&str], data: &str) -> String {
    let (english, es, _) = english_in_spanish(args, data);
    assert!(
        english.is_empty(),
        "{args:?} --lang es still speaks English:\n{}\n\nthe whole output:\n{es}",
        english.join("\n")
    );
    es
}

fn read_all(paths: &[String]) -> String {
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn trend_speaks_spanish_and_its_json_is_the_workspaces() {
    let dir = scratch("trend");
    let paths = visits(&dir);
    let data = read_all(&paths);
    let mut args = vec!["trend", "--caregiver", "cg-a"];
    args.extend(paths.iter().map(String::as_str));
    let es = assert_spanish(&args, &data);
    assert!(
        es.contains("Lo que creció desde la última visita"),
        "growth, then what was left out:\n{es}"
    );
    let mut args = vec!["trend", "--by", "/extra/room"];
    args.extend(paths.iter().map(String::as_str));
    assert_spanish(&args, &data);

    // Spanish reports whose small-groups rubric changed between the visits: a break.
    let mut reports = Vec::new();
    for (i, p) in paths.iter().take(2).enumerate() {
        let out = rubrica(&["score", p, "--format", "json", "--lang", "es"]);
        let mut report: Value = serde_json::from_slice(&out.stdout).unwrap();
        if i == 1 {
            for entry in report["practices"].as_array_mut().unwrap() {
                let result = &mut entry["result"];
                if result["rubric"]["id"] == "small-groups" {
                    result["rubric"]["version"] = json!("0.9.0");
                    result["indicators"].as_array_mut().unwrap().pop();
                }
            }
        }
        let path = dir.join(format!("report-{i}.json"));
        std::fs::write(&path, report.to_string()).unwrap();
        reports.push(path.display().to_string());
    }
    let mut args = vec!["trend"];
    args.extend(reports.iter().map(String::as_str));
    let es = assert_spanish(&args, &read_all(&reports));
    assert!(es.contains("Versiones de las rúbricas\n  | "), "{es}");

    // JSON: the same bytes as the browser's engine in Spanish.
    let mut args = vec![
        "trend",
        "--caregiver",
        "cg-a",
        "--format",
        "json",
        "--lang",
        "es",
    ];
    args.extend(paths.iter().map(String::as_str));
    let out = rubrica(&args);
    let mut w = Workspace::default();
    for f in rubrica::load_rubric_dir(&root().join("rubrics")).unwrap() {
        assert!(w.load_rubric(&f.source.meta, &f.source.script).is_success());
    }
    let items: Vec<Value> = paths
        .iter()
        .map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
        .collect();
    assert_eq!(
        w.trend_json_in(
            &Value::from(items).to_string(),
            r#"{"caregiver": "cg-a"}"#,
            Some("es")
        ),
        text(&out.stdout).trim_end()
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn agree_speaks_spanish_and_its_json_is_the_workspaces() {
    let dir = scratch("agree");
    let paths = visits(&dir);
    let data = read_all(&paths);
    // One visit rated differently; then two pairs pooled, the second of two days (a warning).
    let es = assert_spanish(&["agree", &paths[0], &paths[1]], &data);
    assert!(
        es.contains("Para conversar juntos/as") && es.contains("Evidencia: "),
        "{es}"
    );
    let es = assert_spanish(
        &["agree", &paths[0], &paths[1], &paths[1], &paths[2]],
        &data,
    );
    assert!(es.contains("\nRevise primero\n"), "{es}");

    let out = rubrica(&[
        "agree", &paths[0], &paths[1], "--format", "json", "--lang", "es",
    ]);
    let mut w = Workspace::default();
    for f in rubrica::load_rubric_dir(&root().join("rubrics")).unwrap() {
        assert!(w.load_rubric(&f.source.meta, &f.source.script).is_success());
    }
    let read = |p: &str| std::fs::read_to_string(p).unwrap();
    // The warning names the files, which the browser's engine names `a` and `b`.
    let without_warnings = |t: &str| {
        let mut v: Value = serde_json::from_str(t).unwrap();
        assert_eq!(v["warnings"].as_array().map(Vec::len), Some(1), "{t}");
        v.as_object_mut().unwrap().remove("warnings");
        v
    };
    assert!(
        without_warnings(&w.agree_json_in(&read(&paths[0]), &read(&paths[1]), Some("es")))
            == without_warnings(&text(&out.stdout)),
        "the CLI's agreement JSON in Spanish is the browser engine's"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_language_with_no_words_is_refused_with_the_ones_there_are() {
    let record = "examples/center-infants.json";
    for args in [
        vec!["trend", record, "--lang", "fr"],
        vec!["agree", record, record, "--lang", "fr"],
    ] {
        let out = rubrica(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = text(&out.stderr);
        assert!(
            err.contains("error: no rubric has the language `fr`; available: en, es"),
            "{args:?}: {err}"
        );
    }
    // Reports alone need no rubric: the engine's languages are named.
    let dir = scratch("refused");
    let report = dir.join("report.json");
    let out = rubrica(&["score", record, "--format", "json"]);
    std::fs::write(&report, &out.stdout).unwrap();
    let out = rubrica(&[
        "trend",
        &report.display().to_string(),
        "--rubrics",
        &dir.join("none").display().to_string(),
        "--lang",
        "fr",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("available: en, es"),
        "{}",
        text(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn check_speaks_spanish() {
    let es = assert_spanish(&["check", "rubrics"], "");
    assert_eq!(
        es.lines().filter(|l| l.starts_with("válida ")).count(),
        8,
        "{es}"
    );
}

/// Every case file of the shipped rubrics: their descriptions are the trainers' own words.
fn case_files() -> String {
    let mut out = String::new();
    for rubric in std::fs::read_dir(root().join("rubrics")).unwrap() {
        let cases = rubric.unwrap().path().join("cases");
        for case in std::fs::read_dir(cases).into_iter().flatten() {
            out.push_str(&std::fs::read_to_string(case.unwrap().path()).unwrap_or_default());
            out.push('\n');
        }
    }
    out
}

#[test]
fn test_speaks_spanish_when_cases_pass_and_when_one_fails() {
    let cases = case_files();
    let es = assert_spanish(&["test", "rubrics", "--verbose"], &cases);
    assert!(es.trim_end().ends_with(" fallidos"), "{es}");

    // A copy of small-groups with one case expecting another level.
    let dir = scratch("test");
    let copy = dir.join("small-groups");
    let from = root().join("rubrics/small-groups");
    std::fs::create_dir_all(copy.join("cases")).unwrap();
    for f in ["rubric.json", "rubric.rhai"] {
        std::fs::copy(from.join(f), copy.join(f)).unwrap();
    }
    let case: Value = serde_json::from_str(
        &std::fs::read_to_string(from.join("cases/center-infants.json")).unwrap(),
    )
    .unwrap();
    let mut wrong = case.clone();
    let level = wrong["expect"]["group-size"].as_i64().unwrap();
    wrong["expect"]["group-size"] = json!(if level == 1 { 2 } else { level - 1 });
    let record = from.join("cases").join(case["record"].as_str().unwrap());
    wrong["record"] = json!(record.canonicalize().unwrap());
    std::fs::write(copy.join("cases/wrong.json"), wrong.to_string()).unwrap();
    let copy = copy.display().to_string();
    let (english, es, code) = english_in_spanish(&["test", &copy], &wrong.to_string());
    assert_eq!(code, Some(1), "{es}");
    assert!(english.is_empty(), "{}\n\n{es}", english.join("\n"));
    assert!(es.contains("FALLA small-groups/wrong"), "{es}");
    assert!(es.contains("0 aprobados, 1 fallidos"), "{es}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn batch_score_speaks_spanish() {
    let dir = scratch("batch");
    let paths = visits(&dir);
    let mut lines: Vec<String> = paths
        .iter()
        .map(|p| {
            serde_json::from_str::<Value>(&std::fs::read_to_string(p).unwrap())
                .unwrap()
                .to_string()
        })
        .collect();
    let mut bad = example("center-infants.json");
    bad["observed_on"] = json!("2026-13-40");
    bad["extra_field"] = json!(1);
    lines.push(bad.to_string());
    let stream = dir.join("visits.jsonl");
    std::fs::write(&stream, lines.join("\n") + "\n").unwrap();
    let es = assert_spanish(
        &["score", &stream.display().to_string(), "--jobs", "2"],
        &lines.join("\n"),
    );
    assert!(es.contains("3 registros calificados, 1 rechazados"), "{es}");
    let _ = std::fs::remove_dir_all(dir);
}
