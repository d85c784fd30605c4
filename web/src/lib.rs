//! `rubrica-web`: the Rubrica engine as a WebAssembly ES module.
//!
//! One class, `RubricaEngine`, over [`rubrica::Workspace`]. Every method returns plain JavaScript
//! objects (the engine's serde shapes, see `rubrica.d.ts`). Bad input never throws: it comes back
//! as `{type: "failure", errors: Diagnostic[]}`. Only a malformed call throws, such as a number
//! where text was expected, or options with a misspelled field.

use rubrica::{Options, Workspace};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The rubric engine: compiled rubrics, ready to score observation records.
#[wasm_bindgen]
pub struct RubricaEngine {
    workspace: Workspace,
}

#[wasm_bindgen]
impl RubricaEngine {
    /// `new RubricaEngine(options?)`: options `{limits?: Partial<Limits>}`; unknown fields throw.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<RubricaEngine, JsError> {
        install_panic_hook();
        install_host_meters();
        let options: Options = if options.is_undefined() || options.is_null() {
            Options::default()
        } else {
            serde_json::from_str(&text(&options, "options")?)
                .map_err(|e| JsError::new(&format!("invalid engine options: {e}")))?
        };
        Ok(RubricaEngine {
            workspace: Workspace::new(options),
        })
    }

    /// The crate version, e.g. `0.1.0`.
    pub fn version() -> String {
        env!("CARGO_PKG_VERSION").to_string()
    }

    /// What a rubric script can name, for an editor's completion and help:
    /// `{helpers: [{name, params: [{name, type}], optional, returns, doc}], objects: [{name,
    /// path, fields: [{name, type, entries?, may_be_unit, values?, doc}]}], item_values,
    /// record_choices: [{path, values, default?}], record_limits: [{path, min?, max?,
    /// max_length?, max_items?}], hidden_characters: [[first, last]]}`; the first object is the
    /// record `r`. The record's choices and limits are the lists the record parser checks.
    pub fn vocabulary() -> Result<JsValue, JsError> {
        to_js(&rubrica::VOCABULARY)
    }

    /// The sandbox limits in force.
    pub fn limits(&self) -> Result<JsValue, JsError> {
        to_js(self.workspace.engine().limits())
    }

    /// Compiles every rubric of a bundle (the `rubrics.json` array, as an object or JSON text).
    /// Returns `{type: "success", rubrics, errors}`; rubrics that fail are listed in `errors`
    /// and the others still load.
    #[wasm_bindgen(js_name = loadBundle)]
    pub fn load_bundle(&mut self, bundle: JsValue) -> Result<JsValue, JsError> {
        let bundle = text(&bundle, "bundle")?;
        to_js(&self.workspace.load_bundle(&bundle))
    }

    /// Compiles one rubric from the texts of `rubric.json` and `rubric.rhai` and loads it,
    /// replacing a loaded rubric with the same id.
    #[wasm_bindgen(js_name = loadRubric)]
    pub fn load_rubric(&mut self, meta: JsValue, script: JsValue) -> Result<JsValue, JsError> {
        let (meta, script) = (text(&meta, "metaText")?, string(&script, "scriptText")?);
        to_js(&self.workspace.load_rubric(&meta, &script))
    }

    /// Checks a draft as `rubrica check` does (compiling and the static checks), without
    /// loading it; warnings come beside the success.
    #[wasm_bindgen(js_name = checkRubric)]
    pub fn check_rubric(&self, meta: JsValue, script: JsValue) -> Result<JsValue, JsError> {
        let (meta, script) = (text(&meta, "metaText")?, string(&script, "scriptText")?);
        to_js(&self.workspace.check_rubric(&meta, &script))
    }

    /// The loaded rubrics in practice order: `{id, version, practice, title, summary, meta}`.
    /// `options` (optional): `{lang}`, the texts (titles, items and their options, levels,
    /// indicators) in that language where a rubric has it.
    pub fn rubrics(&self, options: JsValue) -> Result<JsValue, JsError> {
        let lang = self.lang(&options)?;
        to_js(&self.workspace.rubrics_in(lang.as_deref()))
    }

    /// Every language the loaded rubrics declare (e.g. `["en", "es"]`): what `lang` can ask for.
    pub fn languages(&self) -> Result<JsValue, JsError> {
        to_js(&self.workspace.languages())
    }

    /// Parses and validates a record (object or JSON text). `options` (optional): `{lang}`, the
    /// problems' messages and help in that language where the engine has them (codes, paths
    /// and fields stay as they are).
    #[wasm_bindgen(js_name = validateRecord)]
    pub fn validate_record(&self, record: JsValue, options: JsValue) -> Result<JsValue, JsError> {
        let lang = self.lang(&options)?;
        to_js(
            &self
                .workspace
                .validate_record_in(&text(&record, "record")?, lang.as_deref()),
        )
    }

    /// Rates a record with one loaded rubric: `{type: "success", result}` or a failure.
    /// `options` (optional): `{lang}`, the result's texts in that language (its `language`
    /// says which they are in), as for every method that writes results.
    pub fn evaluate(
        &self,
        rubric_id: JsValue,
        record: JsValue,
        options: JsValue,
    ) -> Result<JsValue, JsError> {
        let id = string(&rubric_id, "rubricId")?;
        let lang = self.lang(&options)?;
        to_js(
            &self
                .workspace
                .evaluate_in(&id, &text(&record, "record")?, lang.as_deref()),
        )
    }

    /// Rates a record with every loaded rubric: `{type: "success", report}`, or a failure when
    /// the record itself is invalid. `options` (optional): `{lang}`.
    #[wasm_bindgen(js_name = evaluateAll)]
    pub fn evaluate_all(&self, record: JsValue, options: JsValue) -> Result<JsValue, JsError> {
        let lang = self.lang(&options)?;
        to_js(
            &self
                .workspace
                .evaluate_all_in(&text(&record, "record")?, lang.as_deref()),
        )
    }

    /// The result as JSON text, byte for byte what the native engine writes. `options`
    /// (optional): `{lang}`.
    #[wasm_bindgen(js_name = evaluateJson)]
    pub fn evaluate_json(
        &self,
        rubric_id: JsValue,
        record: JsValue,
        options: JsValue,
    ) -> Result<String, JsError> {
        let id = string(&rubric_id, "rubricId")?;
        let lang = self.lang(&options)?;
        Ok(self
            .workspace
            .evaluate_json_in(&id, &text(&record, "record")?, lang.as_deref()))
    }

    /// The report as JSON text, byte for byte what `rubrica score --format json [--lang]`
    /// prints. `options` (optional): `{lang}`.
    #[wasm_bindgen(js_name = reportJson)]
    pub fn report_json(&self, record: JsValue, options: JsValue) -> Result<String, JsError> {
        let lang = self.lang(&options)?;
        Ok(self
            .workspace
            .report_json_in(&text(&record, "record")?, lang.as_deref()))
    }

    /// The coach's plain-text report, as `rubrica score [--lang]` prints it. `options`
    /// (optional): `{lang}`, the rubric texts and the report's own words in that language.
    #[wasm_bindgen(js_name = reportText)]
    pub fn report_text(&self, record: JsValue, options: JsValue) -> Result<String, JsError> {
        let lang = self.lang(&options)?;
        Ok(self
            .workspace
            .report_text_in(&text(&record, "record")?, lang.as_deref()))
    }

    /// A record's results as `xapi`, `lti-ags` or `csv`, or the loaded rubrics as `case`
    /// (`record` may then be `null`), byte for byte what `rubrica export` writes:
    /// `{type: "success", format, media_type, file_name, text}` or `{type: "failure", errors}`.
    /// `options` (optional): `{activity_base, account_home_page, bom, last_change}`.
    #[wasm_bindgen(js_name = exportReport)]
    pub fn export_report(
        &self,
        record: JsValue,
        format: JsValue,
        options: JsValue,
    ) -> Result<JsValue, JsError> {
        let given = |v: &JsValue, name: &str| {
            if v.is_undefined() || v.is_null() {
                Ok(String::new())
            } else {
                text(v, name)
            }
        };
        let answer = self.workspace.export(
            &given(&record, "record")?,
            &string(&format, "format")?,
            &given(&options, "options")?,
        );
        to_js(&answer)
    }

    /// Two coaches' ratings of the same visit compared, as JSON text: byte for byte what
    /// `rubrica agree --format json` prints. `a` and `b` are each a record or a report (object
    /// or JSON text), or lists of them paired by position (`a[i]` with `b[i]`); records are
    /// scored with the loaded rubrics. Bad input comes back as the failure answer's JSON.
    /// `options` (optional): `{lang}`, the records scored in that language and the engine's
    /// words (why a kappa is not defined, warnings, problems) in it where the engine has them.
    pub fn agree(&self, a: JsValue, b: JsValue, options: JsValue) -> Result<String, JsError> {
        let lang = self.lang(&options)?;
        Ok(self
            .workspace
            .agree_json_in(&text(&a, "a")?, &text(&b, "b")?, lang.as_deref()))
    }

    /// Visits over time, as JSON text: byte for byte what `rubrica trend --format json`
    /// prints. `items` is a list of records or reports; `by` (optional) is `{caregiver?: id,
    /// pointer?: "/extra/room"}`. Bad input comes back as the failure answer's JSON.
    /// `options` (optional): `{lang}`, the records scored in that language and the engine's
    /// words (why a visit is left out or a change not computed, breaks, problems) in it.
    pub fn trend(&self, items: JsValue, by: JsValue, options: JsValue) -> Result<String, JsError> {
        let lang = self.lang(&options)?;
        let by = if by.is_undefined() || by.is_null() {
            "{}".to_string()
        } else {
            text(&by, "by")?
        };
        Ok(self
            .workspace
            .trend_json_in(&text(&items, "items")?, &by, lang.as_deref()))
    }

    /// Runs self-test cases (`[{name, case}]`, as in a bundle) against a loaded rubric.
    #[wasm_bindgen(js_name = runCases)]
    pub fn run_cases(&self, rubric_id: JsValue, cases: JsValue) -> Result<JsValue, JsError> {
        let id = string(&rubric_id, "rubricId")?;
        let cases: Vec<serde_json::Value> = serde_json::from_str(&text(&cases, "cases")?)
            .map_err(|e| JsError::new(&format!("`cases` must be a list of {{name, case}}: {e}")))?;
        to_js(&self.workspace.run_cases(&id, &cases))
    }

    /// Which `rating`/`not_enough_evidence` calls and levels of a loaded rubric the cases
    /// (`[{name, case}]`) reach, as `rubrica test --coverage` reports them.
    #[wasm_bindgen(js_name = caseCoverage)]
    pub fn case_coverage(&self, rubric_id: JsValue, cases: JsValue) -> Result<JsValue, JsError> {
        let id = string(&rubric_id, "rubricId")?;
        let cases: Vec<serde_json::Value> = serde_json::from_str(&text(&cases, "cases")?)
            .map_err(|e| JsError::new(&format!("`cases` must be a list of {{name, case}}: {e}")))?;
        to_js(&self.workspace.case_coverage(&id, &cases))
    }
}

impl RubricaEngine {
    /// The `lang` of a text method's `options`, `{lang?: string}` (`undefined` or `null`: none;
    /// another field throws). A language no loaded rubric has throws, naming those there are,
    /// as `rubrica score --lang` exits 2.
    fn lang(&self, options: &JsValue) -> Result<Option<String>, JsError> {
        if options.is_undefined() || options.is_null() {
            return Ok(None);
        }
        let options: serde_json::Value = serde_json::from_str(&text(options, "options")?)
            .map_err(|e| JsError::new(&format!("invalid options: {e}")))?;
        let Some(fields) = options.as_object() else {
            return Err(JsError::new(
                "`options` must be an object such as `{lang: \"es\"}`",
            ));
        };
        if let Some(other) = fields.keys().find(|k| *k != "lang") {
            return Err(JsError::new(&format!(
                "unknown option `{other}`; the field is `lang`"
            )));
        }
        let lang = match fields.get("lang") {
            None | Some(serde_json::Value::Null) => return Ok(None),
            Some(serde_json::Value::String(l)) => l.clone(),
            Some(_) => return Err(JsError::new("`lang` must be a language tag such as `es`")),
        };
        self.workspace
            .check_language(&lang)
            .map_err(|e| JsError::new(&e))?;
        Ok(Some(lang))
    }
}

/// Converts an engine value to a plain JS object: maps as objects, `None` as `null`, numbers as
/// numbers (the same shape `JSON.parse` gives for the native JSON).
///
/// Through JSON text and `JSON.parse`: the engine already carries serde_json, and a second
/// serializer for JS values would cost the module about 10 KB gzip.
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    let json = serde_json::to_string(value)
        .map_err(|e| JsError::new(&format!("cannot hand the answer to JavaScript: {e}")))?;
    js_sys::JSON::parse(&json)
        .map_err(|_| JsError::new("cannot hand the answer to JavaScript: it is not JSON"))
}

/// A string argument; anything else is a malformed call.
fn string(value: &JsValue, name: &str) -> Result<String, JsError> {
    value
        .as_string()
        .ok_or_else(|| JsError::new(&format!("`{name}` must be a string")))
}

/// JSON text from a string argument, or from an object passed instead (via `JSON.stringify`),
/// so both go through the same parser and report the same JSON paths.
fn text(value: &JsValue, name: &str) -> Result<String, JsError> {
    if let Some(s) = value.as_string() {
        return Ok(s);
    }
    if value.is_undefined() || value.is_function() || value.is_symbol() {
        return Err(JsError::new(&format!(
            "`{name}` must be JSON text or a JSON-compatible object"
        )));
    }
    js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| {
            JsError::new(&format!(
                "`{name}` cannot be turned into JSON (a cycle or a BigInt?)"
            ))
        })
}

/// Counts the bytes the module has allocated, so the engine can hold each indicator call to
/// its memory bound (`Limits.max_memory_bytes`).
#[global_allocator]
static ALLOC: rubrica::ThreadMeter<std::alloc::System> =
    rubrica::ThreadMeter::new(std::alloc::System);

/// Gives the engine the host's clock (for `Limits.deadline_ms`; wasm has no clock of its own)
/// and the allocator's meter. Works in browsers, workers and Node (`Date.now`).
fn install_host_meters() {
    rubrica::use_host_clock(|| js_sys::Date::now() as u64);
    rubrica::use_host_memory_meter(
        rubrica::ThreadMeter::<std::alloc::System>::in_use_by_this_thread,
    );
}

/// Sends Rust panics to the browser console instead of a bare `unreachable` trap. The engine
/// does not panic on any input; this is for the report if it ever does.
fn install_panic_hook() {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            console_error(&format!("rubrica-web panicked: {info}"));
        }));
    });
}

#[wasm_bindgen]
extern "C" {
    /// The browser's `console.error`.
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(message: &str);
}
