//! Reading untrusted JSON while collecting every problem with its JSON path.

use crate::diagnostic::{pointer_segment, Code, Diagnostic};
use serde::Deserialize;
use serde_json::{Map, Value};

/// Deepest nesting of lists and objects a record may have; the record object itself is level 1.
pub(crate) const MAX_DEPTH: usize = 128;

/// Parses JSON text, turning syntax errors into a located diagnostic. Text nested deeper than
/// [`MAX_DEPTH`] is refused before parsing, so parsing never recurses further than that.
pub(crate) fn parse_text(text: &str, file: Option<&str>) -> Result<Value, Diagnostic> {
    let located = |d: Diagnostic| match file {
        Some(f) => d.in_file(f),
        None => d,
    };
    if let Some((line, column)) = first_too_deep(text, MAX_DEPTH) {
        return Err(located(
            Diagnostic::error(
                Code::JsonSyntax,
                format!("the JSON is nested more than {MAX_DEPTH} levels deep"),
            )
            .with_help(format!(
                "a record is at most {MAX_DEPTH} levels of lists and objects deep, counting the \
                 record itself; flatten the data under `extra`"
            ))
            .at_line_col(line, column),
        ));
    }
    let mut de = serde_json::Deserializer::from_str(text);
    // INVARIANT: `first_too_deep` bounded the nesting above, so recursion stays within MAX_DEPTH.
    de.disable_recursion_limit();
    let parsed = Value::deserialize(&mut de).and_then(|v| de.end().map(|()| v));
    parsed.map_err(|e| {
        let what = match e.classify() {
            serde_json::error::Category::Eof => "the JSON ends too early".to_string(),
            _ => serde_diagnostic(&e, Code::JsonSyntax, "invalid JSON").message,
        };
        located(
            Diagnostic::error(Code::JsonSyntax, what)
                .with_help("check for a missing comma, quote or bracket near this place")
                .at_line_col(e.line() as u32, e.column().max(1) as u32),
        )
    })
}

/// The 1-based line and column (in bytes, as serde_json counts) of the first `[` or `{` that
/// opens level `max + 1`, outside strings. Brackets that do not match are left to the parser.
fn first_too_deep(text: &str, max: usize) -> Option<(u32, u32)> {
    let (mut depth, mut line, mut column) = (0usize, 1u32, 0u32);
    let (mut in_string, mut escaped) = (false, false);
    for b in text.bytes() {
        if b == b'\n' {
            line = line.saturating_add(1);
            column = 0;
        } else {
            column = column.saturating_add(1);
        }
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return Some((line, column));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// A diagnostic for text that serde could not read as `what` (e.g. "invalid case file"), at the
/// line and column serde reports.
pub(crate) fn serde_diagnostic(e: &serde_json::Error, code: Code, what: &str) -> Diagnostic {
    let msg = e.to_string();
    // serde_json appends " at line X column Y"; we carry those separately.
    let msg = msg.split(" at line ").next().unwrap_or(&msg);
    Diagnostic::error(code, format!("{what}: {msg}"))
        .at_line_col(e.line() as u32, e.column().max(1) as u32)
}

/// Describes a JSON value for "found …" messages, with a short excerpt.
pub(crate) fn describe(v: &Value) -> String {
    let kind = match v {
        Value::Null => return "`null`".into(),
        Value::Bool(b) => return format!("`{b}`"),
        Value::Number(n) => return format!("the number `{n}`"),
        Value::String(s) => {
            let short: String = s.chars().take(40).collect();
            let ell = if s.chars().count() > 40 { "…" } else { "" };
            return format!("the text `\"{short}{ell}\"`");
        }
        Value::Array(a) if a.len() == 1 => "a list of 1 entry".into(),
        Value::Array(a) => format!("a list of {} entries", a.len()),
        Value::Object(_) => "an object".into(),
    };
    kind
}

/// Collects problems while a caller walks a JSON document.
pub(crate) struct Walker {
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

/// A JSON path under construction.
pub(crate) fn join(path: &str, key: &str) -> String {
    format!("{path}/{}", pointer_segment(key))
}

pub(crate) fn join_index(path: &str, i: usize) -> String {
    format!("{path}/{i}")
}

impl Walker {
    pub fn new() -> Self {
        Walker {
            errors: Vec::new(),
            warnings: Vec::new(),
        }
    }

    pub fn error(&mut self, d: Diagnostic) {
        self.errors.push(d);
    }

    pub fn warn(&mut self, d: Diagnostic) {
        self.warnings.push(d);
    }

    fn wrong_type(&mut self, path: &str, expected: &str, found: &Value) {
        self.error(
            Diagnostic::error(
                Code::WrongType,
                format!("expected {expected}, found {}", describe(found)),
            )
            .at_path(path),
        );
    }

    /// An object with only the `allowed` keys; unknown keys are reported with a suggestion.
    pub fn object<'v>(
        &mut self,
        v: &'v Value,
        path: &str,
        what: &str,
        allowed: &[&str],
    ) -> Option<&'v Map<String, Value>> {
        let Some(map) = v.as_object() else {
            self.wrong_type(path, &format!("{what} (a JSON object)"), v);
            return None;
        };
        for key in map.keys() {
            if !allowed.contains(&key.as_str()) {
                let mut d = Diagnostic::error(
                    Code::UnknownField,
                    format!("unknown field `{key}` in {what}"),
                )
                .at_path(join(path, key));
                d = match closest(key, allowed) {
                    Some(s) => d.with_help(format!("did you mean `{s}`?")),
                    None => d.with_help(format!(
                        "allowed fields: {}; put your own data under `extra`",
                        allowed.join(", ")
                    )),
                };
                self.error(d);
            }
        }
        Some(map)
    }

    /// A required field; reports it missing.
    pub fn required<'v>(
        &mut self,
        map: &'v Map<String, Value>,
        path: &str,
        key: &str,
        hint: &str,
    ) -> Option<&'v Value> {
        match map.get(key) {
            Some(v) => Some(v),
            None => {
                self.error(
                    Diagnostic::error(Code::MissingField, format!("missing field `{key}`"))
                        .with_help(hint.to_string())
                        .at_path(join(path, key)),
                );
                None
            }
        }
    }

    pub fn string(&mut self, v: &Value, path: &str, expected: &str) -> Option<String> {
        match v.as_str() {
            Some(s) => Some(s.to_string()),
            None => {
                self.wrong_type(path, expected, v);
                None
            }
        }
    }

    /// A non-empty string of at most `max` characters.
    pub fn text(&mut self, v: &Value, path: &str, expected: &str, max: usize) -> Option<String> {
        let s = self.string(v, path, expected)?;
        if s.trim().is_empty() {
            self.error(
                Diagnostic::error(Code::InvalidValue, format!("{expected} must not be empty"))
                    .at_path(path),
            );
            return None;
        }
        if s.chars().count() > max {
            self.error(
                Diagnostic::error(
                    Code::TooLarge,
                    format!("text is longer than {max} characters"),
                )
                .with_help("shorten it or move long notes to `notes`")
                .at_path(path),
            );
            return None;
        }
        Some(s)
    }

    pub fn integer(
        &mut self,
        v: &Value,
        path: &str,
        expected: &str,
        min: i64,
        max: i64,
    ) -> Option<i64> {
        let Some(n) = v.as_i64() else {
            self.wrong_type(path, &format!("{expected} (a whole number)"), v);
            return None;
        };
        if n < min || n > max {
            self.error(
                Diagnostic::error(
                    Code::OutOfRange,
                    format!("{expected} must be between {min} and {max}, found `{n}`"),
                )
                .at_path(path),
            );
            return None;
        }
        Some(n)
    }

    pub fn boolean(&mut self, v: &Value, path: &str, expected: &str) -> Option<bool> {
        match v.as_bool() {
            Some(b) => Some(b),
            None => {
                self.wrong_type(path, expected, v);
                None
            }
        }
    }

    pub fn array<'v>(
        &mut self,
        v: &'v Value,
        path: &str,
        expected: &str,
        max: usize,
    ) -> Option<&'v Vec<Value>> {
        let Some(a) = v.as_array() else {
            self.wrong_type(path, expected, v);
            return None;
        };
        if a.len() > max {
            self.error(
                Diagnostic::error(
                    Code::TooLarge,
                    format!("list has {} entries; at most {max} are allowed", a.len()),
                )
                .at_path(path),
            );
            return None;
        }
        Some(a)
    }

    /// One of a fixed set of strings.
    pub fn choice(
        &mut self,
        v: &Value,
        path: &str,
        what: &str,
        allowed: &[&str],
    ) -> Option<String> {
        let s = self.string(v, path, &format!("{what} (one of {})", quoted(allowed)))?;
        if allowed.contains(&s.as_str()) {
            return Some(s);
        }
        let mut d = Diagnostic::error(Code::InvalidValue, format!("`{s}` is not a valid {what}"))
            .at_path(path);
        d = match closest(&s, allowed) {
            Some(c) => d.with_help(format!("did you mean `{c}`? allowed: {}", quoted(allowed))),
            None => d.with_help(format!("use one of {}", quoted(allowed))),
        };
        self.error(d);
        None
    }
}

pub(crate) fn quoted(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The allowed word closest to `word`, if it is close enough to be a likely typo.
pub(crate) fn closest<'a>(word: &str, allowed: &[&'a str]) -> Option<&'a str> {
    allowed
        .iter()
        .map(|a| (edit_distance(word, a), *a))
        .filter(|(d, a)| *d <= 2.max(a.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, a)| a)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(i + 1);
        // `prev` and `cur` always hold j + 1 entries here, so the lookups below succeed.
        for (j, (cb, pair)) in b.iter().zip(prev.windows(2)).enumerate() {
            let (diag, up) = match pair {
                [d, u] => (*d, *u),
                _ => (j, j + 1),
            };
            let left = cur.last().copied().unwrap_or(i + 1);
            cur.push((diag + usize::from(ca != *cb)).min(up + 1).min(left + 1));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(depth: usize) -> String {
        // The top-level object is level 1, so `extra` holds depth - 1 levels of lists.
        let inner = depth - 1;
        format!("{{\"extra\": {}{}}}", "[".repeat(inner), "]".repeat(inner))
    }

    #[test]
    fn nesting_up_to_the_limit_parses_and_one_more_level_is_refused() {
        assert!(parse_text(&nested(MAX_DEPTH), None).is_ok());
        let d = parse_text(&nested(MAX_DEPTH + 1), None).expect_err("too deep");
        assert_eq!(d.code, Code::JsonSyntax);
        // The 129th opening bracket: `{"extra": ` is 10 bytes, then 127 brackets come first.
        assert_eq!(
            (d.location.line, d.location.column),
            (Some(1), Some(10 + 128))
        );
        assert!(d.message.contains("128"), "{}", d.message);
    }

    #[test]
    fn brackets_inside_strings_do_not_count() {
        let deep_text = format!(
            "{{\"extra\": \"{}\\\"{}\"}}",
            "[".repeat(500),
            "{".repeat(500)
        );
        assert!(parse_text(&deep_text, None).is_ok(), "{deep_text}");
    }

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(
            closest("age_month", &["age_months", "id"]),
            Some("age_months")
        );
        assert_eq!(closest("zzzzzz", &["age_months", "id"]), None);
    }
}
