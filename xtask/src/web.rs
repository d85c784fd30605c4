//! What `cargo xtask build-web` writes for the coach app and the npm package besides the
//! module, and how `cargo xtask serve` hands it out: the module's size budget, the app's data
//! (rubrics without their self-test cases, the cases apart), the package's own files (its
//! CommonJS entry, rubric bundle, licences and CommonJS declarations), compressed copies of the
//! generated files, and the static file service.

use crate::Result;
use axum::http::{header, HeaderValue};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The most the optimised module (`rubrica_web_bg.wasm` after `wasm-opt`) may weigh gzipped at
/// level 9; `build-web` fails above it. It is the size measured when it was set plus a small
/// margin, so growth shows up in review; lower it when the module shrinks.
///
/// Raised from 480 000 B when the module gained, on purpose, what vendors and coaches asked to
/// reach from the browser, each measured alone against the module without it: the xAPI, LTI AGS,
/// CSV and CASE exports +38.7 KB (of which the `csv` crate and its number sniffing 17.6 KB, UUID
/// v5 6.9 KB), agreement and trends +28.3 KB, the shared record vocabulary +1.5 KB. The module
/// was 540 275 B then.
///
/// Raised from 550 000 B for rubric texts in more than one language (the translations read and
/// checked for completeness, scoring in a language, the report's own words in English and
/// Spanish) +9.6 KB, typed translation structs having cost 25.6 KB; and the record's optional
/// place +0.9 KB. The module was 551 424 B then.
///
/// Raised from 556 000 B for the rest of English and Spanish and for two more kinds of record,
/// together +39 KB: notes written by scripts from localised message templates +11.2 KB and the
/// Spanish texts of record problems +5.2 KB (each measured alone against the module without
/// it); the rest is every record problem's message and help as keyed templates with each code's
/// Spanish summary, and the parser and vocabulary of the two reflection records. The module was
/// 590 378 B then.
pub const WASM_GZIP_BUDGET: u64 = 600_000;

/// Where the module should get to (gzip level 9): printed beside the budget.
pub const WASM_GZIP_TARGET: u64 = 350 * 1024;

/// Generated files that get compressed copies: the module, its loader and the app's data.
const COMPRESSED_KINDS: [&str; 3] = ["wasm", "js", "json"];

/// The module's sizes, printed, and the budget enforced.
pub fn check_wasm_budget(wasm: &Path, before_opt: u64) -> Result {
    let bytes = std::fs::read(wasm).map_err(|e| format!("cannot read {}: {e}", wasm.display()))?;
    let gz = gzip(&bytes)?.len() as u64;
    eprintln!(
        "wasm: {before_opt} B before wasm-opt, {} B after, {gz} B gzip -9 (budget {WASM_GZIP_BUDGET} B, target {WASM_GZIP_TARGET} B)",
        bytes.len()
    );
    if gz > WASM_GZIP_BUDGET {
        return Err(format!(
            "the wasm module is {gz} B gzipped, over its budget of {WASM_GZIP_BUDGET} B \
             (WASM_GZIP_BUDGET in xtask/src/web.rs); `twiggy top` on a build with names shows what grew"
        ));
    }
    Ok(())
}

/// Writes the app's data: `rubrics.json` (every rubric without its self-test cases, what the
/// app loads at start), `cases.json` (`{rubric id: [{name, case}]}`, loaded by the trainer view
/// when it opens) and `examples.json`.
pub fn write_app_data(root: &Path, dir: &Path) -> Result {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let folders = rubrica::load_rubric_dir(&root.join("rubrics")).map_err(|e| e.to_string())?;
    let mut bundle = Vec::new();
    let mut cases = serde_json::Map::new();
    for f in &folders {
        let light = f.bundle_without_cases().map_err(|e| e.to_string())?;
        let id = light["id"].as_str().unwrap_or_default().to_string();
        let rubric_cases = f.bundled_cases().map_err(|e| e.to_string())?;
        cases.insert(id, serde_json::Value::Array(rubric_cases));
        bundle.push(light);
    }
    let (rubric_count, case_count) = (
        bundle.len(),
        cases
            .values()
            .filter_map(|c| c.as_array())
            .map(Vec::len)
            .sum::<usize>(),
    );
    write_json(&dir.join("rubrics.json"), &serde_json::Value::Array(bundle))?;
    write_json(&dir.join("cases.json"), &serde_json::Value::Object(cases))?;
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join("examples"))
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
    let example_count = examples.len();
    write_json(
        &dir.join("examples.json"),
        &serde_json::Value::Array(examples),
    )?;
    eprintln!("app data: {rubric_count} rubrics, {case_count} of their cases apart, {example_count} example records");
    Ok(())
}

/// Files of `web/pkg/` that only the npm package ships; the app's copy of the module leaves
/// them out.
pub const PACKAGE_ONLY: [&str; 2] = ["rubrica_web.cjs", "rubrics.json"];

/// `rubrica.d.ts` declares `init` and `initSync`, which only the ES module entries export,
/// between these two lines; `rubrica.d.cts` (for `require`) is the same file without them.
const ES_MODULE_ONLY: (&str, &str) = ("// <es-module-only>", "// </es-module-only>");

/// Fails unless wasm-bindgen's `web` output (in `pkg`) and `nodejs` output (in `cjs`) hold the
/// same module, byte for byte: the package's CommonJS entry loads the one optimised module.
pub fn check_same_module(pkg: &Path, cjs: &Path) -> Result {
    let read = |dir: &Path| {
        let path = dir.join("rubrica_web_bg.wasm");
        std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    };
    if read(pkg)? != read(cjs)? {
        return Err(format!(
            "wasm-bindgen's `--target web` and `--target nodejs` modules differ ({} and {}), so \
             the package's CommonJS entry cannot load the optimised module beside it; it needs \
             a module of its own (run wasm-opt on the nodejs output too)",
            pkg.display(),
            cjs.display()
        ));
    }
    Ok(())
}

/// Writes what the npm package ships besides the ES module and the wasm: `pkg/rubrica_web.cjs`
/// (wasm-bindgen's nodejs glue, the `require` entry), `pkg/rubrics.json` (the six rubrics
/// without their cases, `light_bundle`), the two licence files copied from the repository root,
/// `rubrica.d.cts` (the declarations for `require`) and the embedding example's record.
pub fn write_package_files(root: &Path, cjs: &Path, light_bundle: &Path) -> Result {
    let web = root.join("web");
    let read = |p: &Path| {
        std::fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()))
    };
    let write = |p: &Path, text: &str| {
        std::fs::write(p, text).map_err(|e| format!("cannot write {}: {e}", p.display()))
    };
    let copy = |from: &Path, to: &Path| {
        std::fs::copy(from, to)
            .map(|_| ())
            .map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))
    };
    // The glue names wasm-bindgen's own declarations; the package's are `rubrica.d.cts`.
    let glue: String = read(&cjs.join("rubrica_web.js"))?
        .lines()
        .filter(|l| !l.starts_with("/* @ts-self-types="))
        .map(|l| format!("{l}\n"))
        .collect();
    write(&web.join("pkg/rubrica_web.cjs"), &glue)?;
    copy(light_bundle, &web.join("pkg/rubrics.json"))?;
    for licence in ["LICENSE-MIT", "LICENSE-APACHE"] {
        copy(&root.join(licence), &web.join(licence))?;
    }
    copy(
        &root.join("examples/center-infants.json"),
        &web.join("embed/center-infants.json"),
    )?;
    let dts = read(&web.join("rubrica.d.ts"))?;
    write(&web.join("rubrica.d.cts"), &commonjs_declarations(&dts)?)?;
    eprintln!("npm package: CommonJS entry, rubric bundle, licences and rubrica.d.cts written");
    Ok(())
}

/// `rubrica.d.ts` without its ES-module-only part, as the declarations of the `require` entry.
fn commonjs_declarations(dts: &str) -> Result<String> {
    let (open, close) = ES_MODULE_ONLY;
    let start = dts.find(open);
    let end = dts.find(close).map(|i| i + close.len());
    let (Some(start), Some(end)) = (start, end) else {
        return Err(format!(
            "web/rubrica.d.ts must mark its ES-module-only declarations (init, initSync) between \
             `{open}` and `{close}` lines, so the CommonJS declarations can leave them out"
        ));
    };
    if end < start {
        return Err(format!("web/rubrica.d.ts: `{close}` comes before `{open}`"));
    }
    let rest = dts[end..].strip_prefix('\n').unwrap_or(&dts[end..]);
    Ok(format!(
        "// Generated by `cargo xtask build-web` from rubrica.d.ts: the declarations of\n\
         // `require(\"rubrica-web\")`, which has no `init` or `initSync` (the module is ready).\n\n{}{rest}",
        &dts[..start]
    ))
}

fn write_json(path: &Path, value: &serde_json::Value) -> Result {
    let text = serde_json::to_string(value).map_err(|e| e.to_string())?;
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Writes `NAME.gz` (gzip level 9) and `NAME.br` (brotli quality 11) beside every generated
/// module, script and data file of `dirs`, for the server to send to browsers that accept them.
pub fn precompress(dirs: &[PathBuf]) -> Result {
    let mut plain = 0u64;
    let mut br_total = 0u64;
    for dir in dirs {
        for path in compressible_files(dir)? {
            let bytes = std::fs::read(&path).map_err(|e| e.to_string())?;
            let gz = gzip(&bytes)?;
            let br = brotli(&bytes)?;
            plain += bytes.len() as u64;
            br_total += br.len() as u64;
            for (suffix, data) in [("gz", gz), ("br", br)] {
                let out = sibling(&path, suffix);
                std::fs::write(&out, data)
                    .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
            }
        }
    }
    eprintln!("compressed copies: {plain} B of generated files, {br_total} B as brotli");
    Ok(())
}

/// Removes compressed copies older than their file (one edited or rebuilt by hand since), so the
/// server never sends stale bytes; the file itself is then sent, compressed on the fly.
pub fn drop_stale_copies(dirs: &[PathBuf]) -> Result {
    for dir in dirs {
        for path in compressible_files(dir)? {
            let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
            for suffix in ["gz", "br"] {
                let copy = sibling(&path, suffix);
                if let (Some(copy_time), Some(file_time)) = (modified(&copy), modified(&path)) {
                    if copy_time < file_time {
                        std::fs::remove_file(&copy)
                            .map_err(|e| format!("cannot remove {}: {e}", copy.display()))?;
                    }
                }
            }
        }
    }
    Ok(())
}

fn compressible_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .filter(|p| {
            p.extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| COMPRESSED_KINDS.contains(&x))
        })
        .collect();
    files.sort();
    Ok(files)
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).map_err(|e| e.to_string())?;
    enc.finish().map_err(|e| e.to_string())
}

fn brotli(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut enc = brotli::CompressorWriter::new(&mut out, 1 << 16, 11, 22);
        enc.write_all(bytes).map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// The app's files: a compressed copy when the browser accepts it (brotli, then gzip), other
/// files gzipped on the fly; `Vary: Accept-Encoding` on every answer, and `no-cache`, so a
/// browser asks again each load and gets `304 Not Modified` until a rebuild.
pub fn static_files(app: &Path) -> axum::Router {
    use tower_http::set_header::SetResponseHeaderLayer;
    axum::Router::new()
        .fallback_service(
            tower_http::services::ServeDir::new(app)
                .append_index_html_on_directories(true)
                .precompressed_br()
                .precompressed_gzip(),
        )
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(
            header::VARY,
            HeaderValue::from_static("accept-encoding"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_commonjs_declarations_are_the_module_ones_without_init() {
        let dts = std::fs::read_to_string(crate::root().join("web/rubrica.d.ts"))
            .expect("web/rubrica.d.ts");
        let cts = super::commonjs_declarations(&dts).expect("markers in web/rubrica.d.ts");
        assert!(dts.contains("export default function init("));
        assert!(!cts.contains("function init("));
        assert!(!cts.contains("function initSync("));
        assert!(cts.contains("export class RubricaEngine {"));
        assert!(cts.contains("export type Code ="));
        let broken = dts.replace(super::ES_MODULE_ONLY.1, "");
        let err = super::commonjs_declarations(&broken).expect_err("no closing marker");
        assert!(err.contains("</es-module-only>"), "{err}");
    }

    use super::*;

    #[test]
    fn compressed_copies_give_back_the_file_and_stale_ones_go() {
        let dir = std::env::temp_dir().join(format!("xtask-web-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("rubrics.json");
        let text = "[{\"id\":\"small-groups\"}]".repeat(200);
        std::fs::write(&file, &text).unwrap();
        std::fs::write(dir.join("notes.txt"), "not compressed").unwrap();
        precompress(std::slice::from_ref(&dir)).unwrap();

        let mut back = String::new();
        let gz = std::fs::read(dir.join("rubrics.json.gz")).unwrap();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut back)
            .unwrap();
        assert_eq!(back, text);
        let br = std::fs::read(dir.join("rubrics.json.br")).unwrap();
        let mut back = String::new();
        std::io::Read::read_to_string(&mut brotli::Decompressor::new(&br[..], 4096), &mut back)
            .unwrap();
        assert_eq!(back, text);
        assert!(br.len() < text.len() / 10);
        assert!(!dir.join("notes.txt.gz").exists());

        // The file changes after its copies were written: the copies are removed.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&file, "[]").unwrap();
        drop_stale_copies(std::slice::from_ref(&dir)).unwrap();
        assert!(!dir.join("rubrics.json.gz").exists());
        assert!(!dir.join("rubrics.json.br").exists());
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Bytes that do not compress (xorshift), so their gzip is about as long as they are.
    fn noise(len: usize) -> Vec<u8> {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect()
    }

    #[test]
    fn a_module_over_its_budget_fails_the_build() {
        let dir = std::env::temp_dir().join(format!("xtask-budget-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let wasm = dir.join("rubrica_web_bg.wasm");
        std::fs::write(&wasm, noise(WASM_GZIP_BUDGET as usize + 1000)).unwrap();
        let err = check_wasm_budget(&wasm, 0).unwrap_err();
        assert!(err.contains("over its budget"), "{err}");
        std::fs::write(&wasm, noise(WASM_GZIP_BUDGET as usize - 1000)).unwrap();
        assert!(check_wasm_budget(&wasm, 0).is_ok());
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// One request to the app's file service on 127.0.0.1; the answer's head, lowercased.
    fn head_of(app: &Path, path: &str, accept: &str) -> String {
        use std::io::Read;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_io()
            .build()
            .unwrap();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind(("127.0.0.1", 0)))
            .unwrap();
        let port = listener.local_addr().unwrap().port();
        let router = static_files(app);
        runtime.spawn(async move { axum::serve(listener, router).await });
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: {accept}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).unwrap();
        let text = String::from_utf8_lossy(&answer).to_lowercase();
        text.split("\r\n\r\n")
            .next()
            .unwrap_or_default()
            .to_string()
    }

    #[test]
    fn the_server_sends_a_compressed_copy_where_the_browser_accepts_it() {
        let app = std::env::temp_dir().join(format!("xtask-serve-{}", std::process::id()));
        std::fs::create_dir_all(app.join("pkg")).unwrap();
        std::fs::write(app.join("pkg/m.wasm"), noise(4000)).unwrap();
        precompress(&[app.join("pkg")]).unwrap();

        let br = head_of(&app, "/pkg/m.wasm", "gzip, br");
        assert!(br.contains("content-encoding: br"), "{br}");
        assert!(br.contains("content-type: application/wasm"), "{br}");
        assert!(br.contains("vary: accept-encoding"), "{br}");
        assert!(br.contains("cache-control: no-cache"), "{br}");
        let gz = head_of(&app, "/pkg/m.wasm", "gzip");
        assert!(gz.contains("content-encoding: gzip"), "{gz}");
        let plain = head_of(&app, "/pkg/m.wasm", "identity");
        assert!(!plain.contains("content-encoding"), "{plain}");
        assert!(plain.contains("content-length: 4000"), "{plain}");
        let _ = std::fs::remove_dir_all(&app);
    }
}
