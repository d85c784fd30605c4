//! Build, serve and test automation: `cargo xtask serve`, `cargo xtask test`.
//!
//! Every step installs what it needs when it is missing (wasm target, wasm-bindgen-cli,
//! browsers and drivers, npm packages), so the two README commands work on a fresh machine.

mod agree;
mod bench;
mod editor;
mod interop;
mod package;
mod python;
mod wasi;
mod web;

use clap::{Parser, Subcommand};
use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

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
    /// Measure speed, size and memory on this machine and write BENCHMARKS.md again (about
    /// fifteen minutes: criterion, batch runs, the wasm build, Node and Chromium).
    Bench,
    /// Run everything CI runs: formatting, lints, native tests, rubric cases, wasm build,
    /// browser tests in Chromium, Firefox and WebKit, and a short fuzz run.
    Test {
        /// Skip the browser tests (native checks only).
        #[arg(long)]
        no_browsers: bool,
        /// Seconds to fuzz each fuzz target (0 skips fuzzing).
        #[arg(long, default_value_t = 20)]
        fuzz_seconds: u64,
        /// Run only the steps whose name contains this text (e.g. `--only "in Firefox"`).
        #[arg(long)]
        only: Option<String>,
    },
}

type Result<T = ()> = std::result::Result<T, String>;

fn main() {
    let cli = Cli::parse();
    // Commands run in their own process group (so a hung one can be stopped with everything
    // it started); Ctrl+C stops the one running now as well.
    let _ = ctrlc::set_handler(|| {
        if let Some(pgid) = *lock(&RUNNING) {
            kill_group(pgid);
        }
        std::process::exit(130);
    });
    let outcome = match cli.command {
        Task::Serve { port, no_build } => {
            (if no_build { Ok(()) } else { build_web() }).and_then(|_| serve(port))
        }
        Task::BuildWeb => build_web(),
        Task::Bench => bench::bench(),
        Task::Test {
            no_browsers,
            fuzz_seconds,
            only,
        } => test(no_browsers, fuzz_seconds, only),
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

/// How long a command may run when no step sets a bound (builds done by `serve`).
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60 * 60);

/// The step being run: its name and when it must be done by. Every command a step starts gets
/// what is left of the step's time; a command still running then is stopped with its children.
static DEADLINE: Mutex<Option<(String, Instant, Duration)>> = Mutex::new(None);

/// The process group of the command running now, so Ctrl+C stops it too.
static RUNNING: Mutex<Option<u32>> = Mutex::new(None);

/// Variables that choose a browser or driver: `wasm-bindgen-test-runner` takes the first of
/// `GECKODRIVER`, `SAFARIDRIVER`, `CHROMEDRIVER`, `MSEDGEDRIVER` (and their `_REMOTE` forms)
/// it finds, and the WebDriver smoke test reads the others. A browser step removes them all and
/// sets only its own, so an exported variable cannot send a step to another browser.
const BROWSER_VARS: [&str; 22] = [
    "GECKODRIVER",
    "GECKODRIVER_REMOTE",
    "GECKODRIVER_ARGS",
    "SAFARIDRIVER",
    "SAFARIDRIVER_REMOTE",
    "SAFARIDRIVER_ARGS",
    "CHROMEDRIVER",
    "CHROMEDRIVER_REMOTE",
    "CHROMEDRIVER_ARGS",
    "MSEDGEDRIVER",
    "MSEDGEDRIVER_REMOTE",
    "MSEDGEDRIVER_ARGS",
    "WEBKITDRIVER",
    "CHROMIUM",
    "FIREFOX",
    "RUBRICA_BROWSER",
    "NO_HEADLESS",
    "WASM_BINDGEN_TEST_ONLY_NODE",
    "WASM_BINDGEN_TEST_ONLY_WEB",
    "WASM_BINDGEN_USE_DENO",
    "WASM_BINDGEN_TEST_ADDRESS",
    "WASM_BINDGEN_TEST_WEBDRIVER_JSON",
];

/// A failed command: what went wrong, and what it printed (kept to recognise start-up failures).
struct Failure {
    message: String,
    output: String,
    timed_out: bool,
}

impl From<Failure> for String {
    fn from(f: Failure) -> String {
        f.message
    }
}

/// A command to run: program, arguments, variables to set and to remove, folder.
struct Cmd<'a> {
    program: &'a str,
    args: Vec<String>,
    envs: Vec<(String, String)>,
    remove: &'a [&'a str],
    dir: PathBuf,
}

fn cmd<'a>(program: &'a str, args: &[&str]) -> Cmd<'a> {
    Cmd {
        program,
        args: args.iter().map(|a| a.to_string()).collect(),
        envs: Vec::new(),
        remove: &[],
        dir: root(),
    }
}

impl<'a> Cmd<'a> {
    fn env(mut self, key: &str, value: &str) -> Self {
        self.envs.push((key.to_string(), value.to_string()));
        self
    }

    fn envs(mut self, envs: &[(&str, &str)]) -> Self {
        for (k, v) in envs {
            self = self.env(k, v);
        }
        self
    }

    fn in_dir(mut self, dir: &Path) -> Self {
        self.dir = dir.to_path_buf();
        self
    }

    fn without(mut self, vars: &'a [&'a str]) -> Self {
        self.remove = vars;
        self
    }

    fn run(self) -> Result {
        self.run_captured().map(|_| ()).map_err(String::from)
    }

    /// Runs the command in its own process group, echoing what it prints and keeping a copy.
    /// Past the step's deadline the whole group is killed and the step fails, naming itself.
    fn run_captured(self) -> std::result::Result<String, Failure> {
        let shown: Vec<String> = self
            .remove
            .iter()
            .filter(|k| std::env::var_os(k).is_some())
            .map(|k| format!("-u {k}"))
            .chain(self.envs.iter().map(|(k, v)| format!("{k}={v}")))
            .chain([self.program.to_string()])
            .chain(self.args.iter().cloned())
            .collect();
        let shown = shown.join(" ");
        eprintln!("$ {shown}");
        let fail = |message: String, output: &str| Failure {
            message,
            output: output.to_string(),
            timed_out: false,
        };
        let mut command = Command::new(self.program);
        command
            .args(&self.args)
            .current_dir(&self.dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0);
        for k in self.remove {
            command.env_remove(k);
        }
        command.envs(self.envs.iter().map(|(k, v)| (k, v)));
        let (step, deadline) = match &*lock(&DEADLINE) {
            Some((name, start, limit)) => (Some(name.clone()), *start + *limit),
            None => (None, Instant::now() + DEFAULT_TIMEOUT),
        };
        let mut child = command
            .spawn()
            .map_err(|e| fail(format!("cannot run `{}`: {e}", self.program), ""))?;
        *lock(&RUNNING) = Some(child.id());
        let captured = Arc::new(Mutex::new(String::new()));
        let echo = |pipe: Option<Box<dyn Read + Send>>, to_stdout: bool| {
            let captured = Arc::clone(&captured);
            std::thread::spawn(move || {
                let Some(mut pipe) = pipe else { return };
                let mut buf = [0u8; 8192];
                while let Ok(n) = pipe.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    let chunk = &buf[..n];
                    if to_stdout {
                        let _ = std::io::stdout().write_all(chunk);
                    } else {
                        let _ = std::io::stderr().write_all(chunk);
                    }
                    let mut all = lock(&captured);
                    all.push_str(&String::from_utf8_lossy(chunk));
                    // Enough to recognise how it ended; not the whole log of a long run.
                    if all.len() > 4 << 20 {
                        let cut = all.len() - (2 << 20);
                        let cut = (cut..all.len())
                            .find(|i| all.is_char_boundary(*i))
                            .unwrap_or(0);
                        all.drain(..cut);
                    }
                }
            })
        };
        let out = echo(
            child
                .stdout
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
            true,
        );
        let err = echo(
            child
                .stderr
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
            false,
        );
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Ok(status),
                Ok(None) if Instant::now() >= deadline => {
                    kill_group(child.id());
                    let _ = child.wait();
                    break Err(());
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(100)),
                Err(e) => {
                    kill_group(child.id());
                    *lock(&RUNNING) = None;
                    return Err(fail(format!("cannot wait for `{shown}`: {e}"), ""));
                }
            }
        };
        // The group may linger (a driver started by the command); stop it before moving on.
        kill_group(child.id());
        *lock(&RUNNING) = None;
        let _ = out.join();
        let _ = err.join();
        let output = lock(&captured).clone();
        match status {
            Ok(s) if s.success() => Ok(output),
            Ok(s) => Err(fail(format!("`{shown}` failed ({s})"), &output)),
            Err(()) => {
                let limit = match &*lock(&DEADLINE) {
                    Some((_, _, limit)) => *limit,
                    None => DEFAULT_TIMEOUT,
                };
                let what = step.map_or_else(|| format!("`{shown}`"), |s| format!("step `{s}`"));
                Err(Failure {
                    timed_out: true,
                    ..fail(
                        format!(
                            "{what} did not finish within {}; `{shown}` and everything it started were stopped",
                            span(limit)
                        ),
                        &output,
                    )
                })
            }
        }
    }
}

/// A time bound as people say it.
fn span(d: Duration) -> String {
    if d.as_secs() < 120 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} min", d.as_secs().div_ceil(60))
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Kills a process group (a command and everything it started).
fn kill_group(pgid: u32) {
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{pgid}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// Where cargo builds (`CARGO_TARGET_DIR`, else `target/` in the repository).
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

/// Builds the native command line (debug, as the tests use it) and returns its path: several
/// steps compare the wasm, the WASI module, the package and the exports with its bytes.
fn native_cli() -> Result<PathBuf> {
    run(
        "cargo",
        &["build", "--quiet", "-p", "rubrica", "--features", "cli"],
        &[],
    )?;
    Ok(target_dir()
        .join("debug")
        .join(format!("rubrica{}", std::env::consts::EXE_SUFFIX)))
}

/// Runs a command in the repository root, echoing it first.
fn run(program: &str, args: &[&str], envs: &[(&str, &str)]) -> Result {
    cmd(program, args).envs(envs).run()
}

fn run_in(dir: &Path, program: &str, args: &[&str], envs: &[(&str, &str)]) -> Result {
    cmd(program, args).envs(envs).in_dir(dir).run()
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
    // npm keeps a copy of the lock file it installed from; an older copy means new packages.
    let modified = |p: PathBuf| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let installed = modified(dir.join("node_modules/.package-lock.json"));
    let locked = modified(dir.join("package-lock.json"));
    if dir.join("node_modules").is_dir() && (locked.is_none() || installed >= locked) {
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
    let wasm = target_dir().join("wasm32-unknown-unknown/wasm-release/rubrica_web.wasm");
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
    // The npm package's `require` entry for Node: wasm-bindgen's CommonJS glue, which reads the
    // same module from disk beside it (the two outputs' modules are checked to be identical).
    let cjs = target_dir().join("wasm-bindgen-nodejs");
    run(
        "wasm-bindgen",
        &[
            "--target",
            "nodejs",
            "--out-dir",
            &cjs.to_string_lossy(),
            &wasm.to_string_lossy(),
        ],
        &[],
    )?;
    web::check_same_module(&pkg, &cjs)?;
    // The browsers must test what ships: without wasm-opt the build fails rather than leave
    // an unoptimised module behind.
    let npm_tools = root.join("xtask/npm");
    ensure_npm(&npm_tools)
        .map_err(|e| format!("wasm-opt (npm `binaryen`) cannot be installed: {e}"))?;
    let opt = npm_tools.join("node_modules/.bin/wasm-opt");
    if !opt.exists() {
        return Err(format!(
            "wasm-opt is missing from {}; delete xtask/npm/node_modules and run again",
            npm_tools.join("node_modules").display()
        ));
    }
    let bg = pkg.join("rubrica_web_bg.wasm");
    let raw_before = std::fs::metadata(&bg).map(|m| m.len()).unwrap_or(0);
    let bg_s = bg.to_string_lossy().into_owned();
    run(
        &opt.to_string_lossy(),
        &[
            "-Oz",
            "--converge",
            "--strip-debug",
            "--strip-producers",
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
    )
    .map_err(|e| format!("wasm-opt failed, so the build is not finished: {e}"))?;
    web::check_wasm_budget(&bg, raw_before)?;

    // The app serves its own copy of the module and its data.
    let app = root.join("web/app");
    let app_pkg = app.join("pkg");
    std::fs::create_dir_all(&app_pkg).map_err(|e| e.to_string())?;
    for entry in std::fs::read_dir(&pkg).map_err(|e| e.to_string())? {
        let entry = entry.map_err(|e| e.to_string())?;
        let package_only = web::PACKAGE_ONLY.iter().any(|n| entry.file_name() == *n);
        if entry.path().is_file() && !package_only {
            std::fs::copy(entry.path(), app_pkg.join(entry.file_name()))
                .map_err(|e| e.to_string())?;
        }
    }
    web::write_app_data(&root, &app.join("data"))?;
    web::write_package_files(&root, &cjs, &app.join("data/rubrics.json"))?;
    web::precompress(&[app_pkg, app.join("data")])?;
    editor::build()
}

/// The page's own Content-Security-Policy (its `<meta http-equiv>`), sent as a header too, with
/// what a `<meta>` policy cannot say: the app may not be framed by another site.
fn page_csp(index: &Path) -> Result<String> {
    let html = std::fs::read_to_string(index)
        .map_err(|e| format!("cannot read {}: {e}", index.display()))?;
    let policy = html
        .split('<')
        .find(|tag| {
            tag.starts_with("meta") && tag.contains("http-equiv=\"Content-Security-Policy\"")
        })
        .and_then(|tag| tag.split("content=\"").nth(1))
        .and_then(|rest| rest.split('"').next())
        .filter(|p| !p.trim().is_empty())
        .ok_or_else(|| {
            format!(
                "{} has no Content-Security-Policy meta tag",
                index.display()
            )
        })?;
    Ok(format!(
        "{}; frame-ancestors 'none'",
        policy.trim().trim_end_matches(';')
    ))
}

/// Serves `web/app` on 127.0.0.1 only, with the page's security policy as headers.
fn serve(port: u16) -> Result {
    use axum::http::{header, HeaderValue};
    use tower_http::set_header::SetResponseHeaderLayer;

    let app = root().join("web/app");
    if !app.join("pkg/rubrica_web.js").is_file() {
        return Err(
            "the app is not built yet; run `cargo xtask serve` without `--no-build`".into(),
        );
    }
    web::drop_stale_copies(&[app.join("pkg"), app.join("data")])?;
    let csp = HeaderValue::from_str(&page_csp(&app.join("index.html"))?)
        .map_err(|e| format!("the page's Content-Security-Policy is not a header value: {e}"))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_io()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    runtime.block_on(async move {
        let mut listener = None;
        for p in port..port.saturating_add(20) {
            if let Ok(l) = tokio::net::TcpListener::bind(("127.0.0.1", p)).await {
                listener = Some((l, p));
                break;
            }
        }
        let (listener, port) =
            listener.ok_or_else(|| format!("no free port from {port} on 127.0.0.1"))?;
        let header = |name, value: &'static str| {
            SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
        };
        let router = web::static_files(&app)
            .layer(SetResponseHeaderLayer::overriding(
                header::CONTENT_SECURITY_POLICY,
                csp,
            ))
            .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
            .layer(header(header::X_FRAME_OPTIONS, "DENY"))
            .layer(header(header::REFERRER_POLICY, "no-referrer"));
        println!("\nRubrica coach app: http://127.0.0.1:{port}/\n(the six PITC rubrics, the two reflection rubrics and the example records preloaded; press Ctrl+C to stop)");
        axum::serve(listener, router)
            .await
            .map_err(|e| format!("the server stopped: {e}"))
    })
}

/// What a browser or its driver prints when it did not start: `wasm-bindgen-test-runner`'s
/// own messages, and the ones the end-to-end tests throw (`tests/e2e/helpers.mjs`). Only these
/// are retried; a test that fails is never run again.
const START_UP_FAILURES: [&str; 9] = [
    "driver failed to start",
    "driver failed to bind port during startup",
    "failed to create a Chrome session",
    "failed to create a Firefox session",
    "failed to create a Safari session",
    "session: session not created",
    "failed to spawn",
    "driver did not start",
    "browser did not start",
];

/// The start-up failure a run's output shows, when that is the only way it failed: a test that
/// ran in a started browser and failed is never a start-up failure.
fn start_up_failure(output: &str) -> Option<&'static str> {
    let why = START_UP_FAILURES
        .iter()
        .find(|m| output.contains(*m))
        .copied()?;
    // wasm-bindgen-test-runner ran the tests and some failed.
    if output.contains("test result: FAILED") {
        return None;
    }
    // node --test (TAP): every failed test must have failed to start its browser.
    let every_failure_at_start = format!("\n{output}")
        .split("\nnot ok ")
        .skip(1)
        .all(|block| {
            let block = block.split("\nok ").next().unwrap_or(block);
            START_UP_FAILURES.iter().any(|m| block.contains(m))
        });
    every_failure_at_start.then_some(why)
}

/// The named steps of a test run, each with a time bound.
struct Steps {
    only: Option<String>,
    done: Vec<(String, f64)>,
    retried: Vec<(String, String)>,
}

impl Steps {
    fn wanted(&self, name: &str) -> bool {
        self.only.as_deref().is_none_or(|o| name.contains(o))
    }

    fn bounded<T>(name: &str, limit: Duration, f: impl FnOnce() -> T) -> T {
        *lock(&DEADLINE) = Some((name.to_string(), Instant::now(), limit));
        let out = f();
        *lock(&DEADLINE) = None;
        out
    }

    /// Runs a step; past `limit` the command running is stopped and the step fails.
    fn step(&mut self, name: &str, limit: Duration, f: impl FnOnce() -> Result) -> Result {
        if !self.wanted(name) {
            return Ok(());
        }
        eprintln!("\n==> {name} (at most {})", span(limit));
        let start = Instant::now();
        Self::bounded(name, limit, f).map_err(|e| {
            if e.starts_with("step `") {
                e
            } else {
                format!("step `{name}` failed: {e}")
            }
        })?;
        self.done
            .push((name.to_string(), start.elapsed().as_secs_f64()));
        Ok(())
    }

    /// A step that drives a real browser. It is run again once only when its output shows the
    /// browser or its driver did not start; any other failure fails the run at once. A retry is
    /// listed in the summary with the reason, so a machine whose browsers start badly is seen.
    fn browser_step(
        &mut self,
        name: &str,
        limit: Duration,
        f: impl Fn() -> std::result::Result<String, Failure>,
    ) -> Result {
        if !self.wanted(name) {
            return Ok(());
        }
        eprintln!("\n==> {name} (at most {})", span(limit));
        let start = Instant::now();
        let mut label = name.to_string();
        if let Err(first) = Self::bounded(name, limit, &f) {
            // A step that hung is never run again, whatever it printed.
            let why = (!first.timed_out)
                .then(|| start_up_failure(&first.output))
                .flatten();
            let Some(why) = why else {
                return Err(if first.message.starts_with("step `") {
                    first.message
                } else {
                    format!("step `{name}` failed: {}", first.message)
                });
            };
            eprintln!("\nwarning: {name}: the browser or its driver did not start (`{why}`); starting it once more");
            Self::bounded(name, limit, &f).map_err(|e| {
                format!(
                    "step `{name}` failed again after a start-up failure (`{why}`): {}",
                    e.message
                )
            })?;
            label.push_str(" [RETRIED]");
            self.retried.push((name.to_string(), why.to_string()));
        }
        self.done.push((label, start.elapsed().as_secs_f64()));
        Ok(())
    }
}

fn minutes(m: u64) -> Duration {
    Duration::from_secs(m * 60)
}

fn test(no_browsers: bool, fuzz_seconds: u64, only: Option<String>) -> Result {
    let root = root();
    let mut steps = Steps {
        only,
        done: Vec::new(),
        retried: Vec::new(),
    };
    steps.step("formatting (cargo fmt --check)", minutes(5), || {
        run("cargo", &["fmt", "--all", "--", "--check"], &[])
    })?;
    steps.step("lints (cargo clippy -D warnings)", minutes(40), || {
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
        minutes(60),
        || {
            // Doctests are compiled and linked in the temporary directory; keep them beside the
            // other test binaries, on the disk that holds the build, not in a small /tmp.
            let tmp = root.join("target").join("tmp");
            std::fs::create_dir_all(&tmp)
                .map_err(|e| format!("cannot create {}: {e}", tmp.display()))?;
            run(
                "cargo",
                &["test", "--workspace", "--features", "rubrica/cli"],
                &[("TMPDIR", &tmp.to_string_lossy())],
            )
        },
    )?;
    // The benches must keep building; their timings are never a gate.
    steps.step("benches build (not run)", minutes(20), || {
        run("cargo", &["build", "--benches", "-p", "rubrica"], &[])
    })?;
    steps.step(
        "rubric self-tests (rubrica test rubrics)",
        minutes(15),
        || {
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
        },
    )?;
    steps.step(
        "WASI module run by wasmtime (PyPI), byte-identical to the CLI",
        minutes(20),
        wasi::test,
    )?;
    steps.step(
        "exports checked by xAPI validator, Ralph LRS, Python csv, CASE schema",
        minutes(20),
        interop::test,
    )?;
    steps.step(
        "inter-rater agreement against scikit-learn",
        minutes(15),
        agree::test,
    )?;
    if !no_browsers {
        steps.step("browsers and drivers", minutes(40), ensure_browsers)?;
        steps.step("wasm build", minutes(40), build_web)?;
        steps.step(
            "npm package in fresh Node, Vite, esbuild and webpack projects; tsc --strict",
            minutes(20),
            package::test,
        )?;
        let gecko = which("geckodriver")
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default();
        // Optimised, as shipped: the engine's time limits are measured on release builds, and a
        // debug build in a browser can be many times slower.
        let wasm_test = [
            "test",
            "-p",
            "rubrica-web",
            "--target",
            "wasm32-unknown-unknown",
            "--release",
        ];
        // Each wasm step names its browser twice: the one driver variable the runner sees, and
        // RUBRICA_BROWSER, which the suite checks against the browser's user agent.
        for (browser, title, driver_var, driver, display) in [
            (
                "chromium",
                "Chromium",
                "CHROMEDRIVER",
                "/usr/bin/chromedriver",
                false,
            ),
            ("firefox", "Firefox", "GECKODRIVER", gecko.as_str(), false),
            (
                "webkit",
                "WebKit",
                "SAFARIDRIVER",
                "/usr/bin/WebKitWebDriver",
                true,
            ),
        ] {
            steps.browser_step(&format!("wasm API tests in {title}"), minutes(20), || {
                let (program, mut args) = if display {
                    ("xvfb-run", vec!["-a", "cargo"])
                } else {
                    ("cargo", Vec::new())
                };
                args.extend(wasm_test);
                cmd(program, &args)
                    .without(&BROWSER_VARS)
                    .env(driver_var, driver)
                    .env("RUBRICA_BROWSER", browser)
                    .run_captured()
            })?;
        }
        let e2e = root.join("tests/e2e");
        let cli = target_dir()
            .join("debug")
            .join(format!("rubrica{}", std::env::consts::EXE_SUFFIX))
            .to_string_lossy()
            .into_owned();
        let node_step = |script: &[&str], browser: &str| {
            cmd("npm", &[&["run", "--silent"][..], script].concat())
                .in_dir(&e2e)
                .without(&BROWSER_VARS)
                .env("RUBRICA_CLI", &cli)
                .env("RUBRICA_BROWSER", browser)
                .run_captured()
        };
        steps.step(
            "end-to-end set-up (npm packages, native CLI)",
            minutes(15),
            || {
                ensure_npm(&e2e)?;
                // The tests compare the app's bytes with the native CLI's.
                native_cli().map(drop)
            },
        )?;
        steps.browser_step(
            "end-to-end app tests in Chromium (Playwright)",
            minutes(20),
            || node_step(&["test"], "chromium"),
        )?;
        steps.browser_step(
            "`cargo xtask serve` loads the app from fresh profiles (Chromium)",
            minutes(15),
            || node_step(&["serve-test"], "chromium"),
        )?;
        for browser in ["chromium", "firefox", "webkit"] {
            steps.browser_step(
                &format!("app smoke test in {browser} (WebDriver)"),
                minutes(15),
                || node_step(&["smoke", "--", browser], browser),
            )?;
        }
    }
    if fuzz_seconds > 0 {
        let limit = Duration::from_secs(fuzz_seconds * 3) + minutes(30);
        steps.step("fuzzing (bounded)", limit, || fuzz(fuzz_seconds))?;
    }
    if steps.done.is_empty() {
        return Err("no step matched `--only`".into());
    }
    eprintln!("\nAll {} steps succeeded:", steps.done.len());
    for (name, secs) in &steps.done {
        eprintln!("  ok  {name} ({secs:.0}s)");
    }
    if !steps.retried.is_empty() {
        eprintln!(
            "\nwarning: {} step(s) passed only after the browser or its driver was started again:",
            steps.retried.len()
        );
        for (name, why) in &steps.retried {
            eprintln!("  RETRIED  {name}: first start failed with `{why}`");
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_browser_that_did_not_start_is_a_start_up_failure() {
        // wasm-bindgen-test-runner stopped before any test ran.
        let runner = "Running headless tests in Chrome\nError: driver failed to start\n";
        assert_eq!(start_up_failure(runner), Some("driver failed to start"));
        // It ran the tests and one failed: never retried, whatever else it printed.
        let failed =
            "driver failed to start\ntest a ... FAIL\ntest result: FAILED. 1 passed; 1 failed\n";
        assert_eq!(start_up_failure(failed), None);
        // node --test: every failed test failed to start its browser.
        let tap = "TAP version 13\nnot ok 1 - smoke: firefox\n  error: 'browser did not start: session not created'\n# fail 1\n";
        assert_eq!(start_up_failure(tap), Some("browser did not start"));
        // node --test: one test could not start a browser, another failed on its own.
        let mixed = "not ok 1 - a\n  error: 'browser did not start: x'\nok 2 - b\nnot ok 3 - c\n  error: 'expected 2, got 3'\n";
        assert_eq!(start_up_failure(mixed), None);
        let reordered = "not ok 1 - c\n  error: 'expected 2, got 3'\nnot ok 2 - a\n  error: 'browser did not start: x'\n";
        assert_eq!(start_up_failure(reordered), None);
        let both_at_start = "not ok 1 - a\n  error: 'browser did not start: x'\nnot ok 2 - b\n  error: 'driver did not start: y'\n";
        assert_eq!(
            start_up_failure(both_at_start),
            Some("driver did not start")
        );
        // A plain test failure.
        let plain = "not ok 1 - planted: fails on its first run only\n  error: 'this test fails the first time it runs'\n";
        assert_eq!(start_up_failure(plain), None);
    }

    #[test]
    fn the_page_policy_is_sent_with_frame_ancestors() {
        let dir = std::env::temp_dir().join(format!("xtask-csp-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let page = dir.join("index.html");
        std::fs::write(&page, "<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; object-src 'none'\">\n").unwrap();
        assert_eq!(
            page_csp(&page).unwrap(),
            "default-src 'self'; object-src 'none'; frame-ancestors 'none'"
        );
        std::fs::write(&page, "<head><meta charset=\"utf-8\"></head>").unwrap();
        assert!(page_csp(&page).is_err());
        let _ = std::fs::remove_dir_all(&dir);
        // The app's own page has one.
        assert!(page_csp(&root().join("web/app/index.html")).is_ok());
    }
}
