//! Build, serve and test automation: `cargo xtask serve`, `cargo xtask test`.
//!
//! Every step installs what it needs when it is missing (wasm target, wasm-bindgen-cli,
//! browsers and drivers, npm packages), so the two README commands work on a fresh machine.

use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

#[derive(Parser)]
#[command(name = "xtask", about = "Build, serve and test Rubrica")]
struct Cli {
    #[command(subcommand)]
    command: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Build the wasm engine and serve the coach app on 127.0.0.1.
    Serve {
        /// Port to listen on (the next free one is used if it is taken).
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// Serve what was built last time without building.
        #[arg(long)]
        no_build: bool,
    },
    /// Build the wasm package (web/pkg) and the app's files (web/app/pkg, web/app/data).
    BuildWeb,
    /// Run everything CI runs: formatting, lints, native tests, rubric cases, wasm build,
    /// browser tests in Chromium, Firefox and WebKit, and a short fuzz run.
    Test {
        /// Skip the browser tests (native checks only).
        #[arg(long)]
        no_browsers: bool,
        /// Seconds to fuzz each fuzz target (0 skips fuzzing).
        #[arg(long, default_value_t = 20)]
        fuzz_seconds: u64,
    },
}

type Result<T = ()> = std::result::Result<T, String>;

fn main() {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Task::Serve { port, no_build } => {
            (if no_build { Ok(()) } else { build_web() }).and_then(|_| serve(port))
        }
        Task::BuildWeb => build_web(),
        Task::Test {
            no_browsers,
            fuzz_seconds,
        } => test(no_browsers, fuzz_seconds),
    };
    if let Err(e) = outcome {
        eprintln!("\nerror: {e}");
        std::process::exit(1);
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Runs a command in the repository root, echoing it first.
fn run(program: &str, args: &[&str], envs: &[(&str, &str)]) -> Result {
    run_in(&root(), program, args, envs)
}

fn run_in(dir: &Path, program: &str, args: &[&str], envs: &[(&str, &str)]) -> Result {
    let shown: Vec<String> = envs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .chain([program.to_string()])
        .chain(args.iter().map(|a| a.to_string()))
        .collect();
    eprintln!("$ {}", shown.join(" "));
    let status = Command::new(program)
        .args(args)
        .envs(envs.iter().copied())
        .current_dir(dir)
        .status()
        .map_err(|e| format!("cannot run `{program}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", shown.join(" ")))
    }
}

fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program)
        .args(args)
        .current_dir(root())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}

fn is_root() -> bool {
    output("id", &["-u"]).is_some_and(|s| s.trim() == "0")
}

/// The wasm-bindgen version the lockfile pins; the CLI must match it exactly.
fn wasm_bindgen_version() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines
                .next()
                .and_then(|l| l.strip_prefix("version = \""))
                .and_then(|v| v.strip_suffix('"'))
            {
                return Ok(v.to_string());
            }
        }
    }
    Err("wasm-bindgen is not in Cargo.lock; run `cargo generate-lockfile`".into())
}

fn ensure_wasm_tools() -> Result {
    let targets = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if !targets
        .lines()
        .any(|t| t.trim() == "wasm32-unknown-unknown")
    {
        run("rustup", &["target", "add", "wasm32-unknown-unknown"], &[])?;
    }
    let want = wasm_bindgen_version()?;
    let have = output("wasm-bindgen", &["--version"]).unwrap_or_default();
    if !have.split_whitespace().any(|w| w == want) {
        eprintln!(
            "wasm-bindgen-cli {want} is missing (found `{}`); installing it (about two minutes)",
            have.trim()
        );
        run(
            "cargo",
            &["install", "wasm-bindgen-cli", "--version", &want],
            &[],
        )?;
    }
    Ok(())
}

fn ensure_npm(dir: &Path) -> Result {
    if dir.join("node_modules").is_dir() {
        return Ok(());
    }
    let args: &[&str] = if dir.join("package-lock.json").is_file() {
        &["ci", "--no-audit", "--no-fund"]
    } else {
        &["install", "--no-audit", "--no-fund"]
    };
    run_in(dir, "npm", args, &[])
}

/// Browsers and drivers for the browser tests (Debian packages, plus geckodriver from crates.io).
fn ensure_browsers() -> Result {
    let needed = [
        ("/usr/bin/chromium", "chromium"),
        ("/usr/bin/chromedriver", "chromium-driver"),
        ("/usr/bin/firefox-esr", "firefox-esr"),
        ("/usr/bin/WebKitWebDriver", "webkit2gtk-driver"),
        ("/usr/bin/xvfb-run", "xvfb"),
        ("/usr/bin/xauth", "xauth"),
    ];
    let missing: Vec<&str> = needed
        .iter()
        .filter(|(p, _)| !Path::new(p).exists())
        .map(|(_, pkg)| *pkg)
        .collect();
    if !missing.is_empty() {
        if !is_root() {
            return Err(format!("browser tests need these Debian packages: {}; install them with `sudo apt-get install -y {}`", missing.join(", "), missing.join(" ")));
        }
        run("apt-get", &["update", "-qq"], &[])?;
        let mut args = vec!["install", "-y", "-qq", "--no-install-recommends"];
        args.extend(missing.iter().copied());
        run("apt-get", &args, &[("DEBIAN_FRONTEND", "noninteractive")])?;
    }
    if which("geckodriver").is_none() {
        run("cargo", &["install", "geckodriver"], &[])?;
    }
    Ok(())
}

fn build_web() -> Result {
    ensure_wasm_tools()?;
    let root = root();
    run(
        "cargo",
        &[
            "build",
            "-p",
            "rubrica-web",
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            "wasm-release",
        ],
        &[],
    )?;
    let wasm = root.join("target/wasm32-unknown-unknown/wasm-release/rubrica_web.wasm");
    let pkg = root.join("web/pkg");
    run(
        "wasm-bindgen",
        &[
            "--target",
            "web",
            "--out-dir",
            &pkg.to_string_lossy(),
            &wasm.to_string_lossy(),
        ],
        &[],
    )?;
    let npm_tools = root.join("xtask/npm");
    let opt = match ensure_npm(&npm_tools) {
        Ok(()) => Some(npm_tools.join("node_modules/.bin/wasm-opt")),
        Err(e) => {
            eprintln!("warning: wasm-opt unavailable ({e}); the wasm stays unoptimised");
            None
        }
    };
    let bg = pkg.join("rubrica_web_bg.wasm");
    let raw_before = std::fs::metadata(&bg).map(|m| m.len()).unwrap_or(0);
    if let Some(opt) = opt.filter(|o| o.exists()) {
        let bg_s = bg.to_string_lossy().into_owned();
        run(
            &opt.to_string_lossy(),
            &[
                "-Oz",
                "--enable-bulk-memory",
                "--enable-nontrapping-float-to-int",
                "--enable-sign-ext",
                "--enable-mutable-globals",
                "--enable-reference-types",
                "--enable-multivalue",
                &bg_s,
                "-o",
                &bg_s,
            ],
            &[],
        )?;
    }
    let raw = std::fs::metadata(&bg).map(|m| m.len()).unwrap_or(0);
    let gz = output(
        "sh",
        &["-c", &format!("gzip -9 -c '{}' | wc -c", bg.display())],
    )
    .and_then(|s| s.trim().parse::<u64>().ok())
    .unwrap_or(0);
    eprintln!(
        "wasm: {} KB before wasm-opt, {} KB after, {} KB gzip",
        raw_before / 1024,
        raw / 1024,
        gz / 1024
    );

    // The app serves its own copy of the package and its data.
    let app = root.join("web/app");
    let app_pkg = app.join("pkg");
    std::fs::create_dir_all(&app_pkg).map_err(|e| e.to_string())?;
    for entry in std::fs::read_dir(&pkg).map_err(|e| e.to_string())? {
        let entry = entry.map_err(|e| e.to_string())?;
        if entry.path().is_file() {
            std::fs::copy(entry.path(), app_pkg.join(entry.file_name()))
                .map_err(|e| e.to_string())?;
        }
    }
    write_app_data(&app.join("data"))
}

/// Writes `rubrics.json` (every rubric with its cases) and `examples.json` for the app.
fn write_app_data(dir: &Path) -> Result {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let folders = rubrica::load_rubric_dir(&root().join("rubrics")).map_err(|e| e.to_string())?;
    let mut bundle = Vec::new();
    for f in &folders {
        bundle.push(f.bundle().map_err(|e| e.to_string())?);
    }
    std::fs::write(
        dir.join("rubrics.json"),
        serde_json::to_string(&bundle).map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    let mut examples = Vec::new();
    for p in paths {
        let text = std::fs::read_to_string(&p).map_err(|e| e.to_string())?;
        let record: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", p.display()))?;
        let name = p
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        examples.push(serde_json::json!({"name": name, "record": record}));
    }
    std::fs::write(
        dir.join("examples.json"),
        serde_json::to_string(&examples).map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    eprintln!(
        "app data: {} rubrics, {} example records",
        bundle.len(),
        examples.len()
    );
    Ok(())
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ts" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Serves `web/app` on 127.0.0.1 only; nothing else is reachable.
fn serve(port: u16) -> Result {
    let app = root().join("web/app");
    if !app.join("pkg/rubrica_web.js").is_file() {
        return Err(
            "the app is not built yet; run `cargo xtask serve` without `--no-build`".into(),
        );
    }
    let (server, port) = (port..port.saturating_add(20))
        .find_map(|p| {
            tiny_http::Server::http(("127.0.0.1", p))
                .ok()
                .map(|s| (s, p))
        })
        .ok_or_else(|| format!("no free port from {port} on 127.0.0.1"))?;
    println!("\nRubrica coach app: http://127.0.0.1:{port}/\n(six PITC rubrics and example observations preloaded; press Ctrl+C to stop)");
    for request in server.incoming_requests() {
        let url = request
            .url()
            .split(['?', '#'])
            .next()
            .unwrap_or("/")
            .to_string();
        let rel = url.trim_start_matches('/');
        let rel = if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel.to_string()
        };
        let safe = !rel
            .split('/')
            .any(|seg| seg == ".." || seg.starts_with('.'))
            && !rel.contains('\\');
        let path = app.join(&rel);
        let response = match (safe, std::fs::read(&path)) {
            (true, Ok(bytes)) => {
                let header =
                    tiny_http::Header::from_bytes("Content-Type", content_type(&path)).ok();
                let mut r = tiny_http::Response::from_data(bytes);
                if let Some(h) = header {
                    r = r.with_header(h);
                }
                if let Ok(h) = tiny_http::Header::from_bytes("Cache-Control", "no-cache") {
                    r = r.with_header(h);
                }
                request.respond(r)
            }
            _ => {
                request.respond(tiny_http::Response::from_string("not found").with_status_code(404))
            }
        };
        if let Err(e) = response {
            eprintln!("warning: {url}: {e}");
        }
    }
    Ok(())
}

/// One named step of the test run.
struct Steps {
    done: Vec<(String, f64)>,
}

impl Steps {
    fn step(&mut self, name: &str, f: impl FnOnce() -> Result) -> Result {
        eprintln!("\n==> {name}");
        let start = Instant::now();
        f().map_err(|e| format!("step `{name}` failed: {e}"))?;
        self.done
            .push((name.to_string(), start.elapsed().as_secs_f64()));
        Ok(())
    }

    /// A step that drives a real browser: a browser or driver that fails to start is retried
    /// once, and the summary says so. A second failure fails the run.
    fn browser_step(&mut self, name: &str, f: impl Fn() -> Result) -> Result {
        eprintln!("\n==> {name}");
        let start = Instant::now();
        let mut label = name.to_string();
        if let Err(first) = f() {
            eprintln!("\n{name} failed ({first}); trying once more in case the browser or its driver did not start cleanly");
            f().map_err(|e| format!("step `{name}` failed twice: {e}"))?;
            label.push_str(", passed on the second try");
        }
        self.done.push((label, start.elapsed().as_secs_f64()));
        Ok(())
    }
}

fn test(no_browsers: bool, fuzz_seconds: u64) -> Result {
    let root = root();
    let mut steps = Steps { done: Vec::new() };
    steps.step("formatting (cargo fmt --check)", || {
        run("cargo", &["fmt", "--all", "--", "--check"], &[])
    })?;
    steps.step("lints (cargo clippy -D warnings)", || {
        run(
            "cargo",
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--features",
                "rubrica/cli",
                "--",
                "-D",
                "warnings",
            ],
            &[],
        )
    })?;
    steps.step(
        "native tests (engine, CLI, snapshots, corpora, properties)",
        || {
            run(
                "cargo",
                &["test", "--workspace", "--features", "rubrica/cli"],
                &[],
            )
        },
    )?;
    steps.step("rubric self-tests (rubrica test rubrics)", || {
        run(
            "cargo",
            &[
                "run",
                "--quiet",
                "-p",
                "rubrica",
                "--features",
                "cli",
                "--",
                "test",
                "rubrics",
            ],
            &[],
        )
    })?;
    if !no_browsers {
        steps.step("browsers and drivers", ensure_browsers)?;
        steps.step("wasm build", build_web)?;
        let gecko = which("geckodriver")
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default();
        let wasm_test = [
            "test",
            "-p",
            "rubrica-web",
            "--target",
            "wasm32-unknown-unknown",
        ];
        steps.browser_step("wasm API tests in Chromium", || {
            run(
                "cargo",
                &wasm_test,
                &[("CHROMEDRIVER", "/usr/bin/chromedriver")],
            )
        })?;
        steps.browser_step("wasm API tests in Firefox", || {
            run("cargo", &wasm_test, &[("GECKODRIVER", &gecko)])
        })?;
        steps.browser_step("wasm API tests in WebKit", || {
            let mut args = vec!["-a", "cargo"];
            args.extend(wasm_test);
            run(
                "xvfb-run",
                &args,
                &[("SAFARIDRIVER", "/usr/bin/WebKitWebDriver")],
            )
        })?;
        let e2e = root.join("tests/e2e");
        steps.browser_step("end-to-end app tests in Chromium (Playwright)", || {
            ensure_npm(&e2e)?;
            // The tests compare the app's bytes with the native CLI's.
            run(
                "cargo",
                &["build", "--quiet", "-p", "rubrica", "--features", "cli"],
                &[],
            )?;
            let target = std::env::var("CARGO_TARGET_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|_| root.join("target"));
            let cli = target.join("debug/rubrica").to_string_lossy().into_owned();
            run_in(&e2e, "npm", &["test"], &[("RUBRICA_CLI", &cli)])
        })?;
        for browser in ["chromium", "firefox", "webkit"] {
            steps.browser_step(&format!("app smoke test in {browser} (WebDriver)"), || {
                run_in(
                    &e2e,
                    "xvfb-run",
                    &["-a", "node", "smoke-webdriver.mjs", browser],
                    &[],
                )
            })?;
        }
    }
    if fuzz_seconds > 0 {
        steps.step("fuzzing (bounded)", || fuzz(fuzz_seconds))?;
    }
    eprintln!("\nAll {} steps succeeded:", steps.done.len());
    for (name, secs) in &steps.done {
        eprintln!("  ok  {name} ({secs:.0}s)");
    }
    Ok(())
}

fn fuzz(seconds: u64) -> Result {
    let fuzz_dir = root().join("fuzz");
    let targets_dir = fuzz_dir.join("fuzz_targets");
    let Ok(entries) = std::fs::read_dir(&targets_dir) else {
        return Err("fuzz/fuzz_targets is missing".into());
    };
    let mut targets: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.path()
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
        })
        .collect();
    targets.sort();
    if which("cargo-fuzz").is_none() {
        run("cargo", &["install", "cargo-fuzz"], &[])?;
    }
    let time = format!("-max_total_time={seconds}");
    for t in &targets {
        // New inputs go to a scratch corpus under target/; the committed seeds stay as they are.
        let scratch = root().join("target/fuzz-corpus").join(t);
        std::fs::create_dir_all(&scratch).map_err(|e| e.to_string())?;
        let scratch = scratch.to_string_lossy().into_owned();
        let seeds = format!("fuzz/corpus/{t}");
        run(
            "cargo",
            &["fuzz", "run", t, &scratch, &seeds, "--", &time],
            &[("RUSTC_BOOTSTRAP", "1")],
        )?;
    }
    Ok(())
}
