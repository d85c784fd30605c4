//! Reading untrusted JSON while collecting every problem with its JSON path.

use crate::diagnostic::{pointer_segment, Code, Diagnostic};
use crate::diagnostic_text::{self as catalogue, Arg, Lang, Text};
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
            Diagnostic::error_text(
                Code::JsonSyntax,
                Text::new(&catalogue::JSON_TOO_DEEP).arg("max", MAX_DEPTH),
            )
            .with_help_text(Text::new(&catalogue::JSON_TOO_DEEP_HELP).arg("max", MAX_DEPTH))
            .at_line_col(line, column),
        ));
    }
    let mut de = serde_json::Deserializer::from_str(text);
    // INVARIANT: `first_too_deep` bounded the nesting above, so recursion stays within MAX_DEPTH.
    de.disable_recursion_limit();
    let parsed = Value::deserialize(&mut de).and_then(|v| de.end().map(|()| v));
    parsed.map_err(|e| {
        let what = match e.classify() {
            serde_json::error::Category::Eof => Text::new(&catalogue::JSON_ENDS_EARLY),
            _ => Text::new(&catalogue::JSON_INVALID).arg("problem", Arg::phrase(&serde_words(&e))),
        };
        located(
            Diagnostic::error_text(Code::JsonSyntax, what)
                .with_help_text(Text::new(&catalogue::JSON_SYNTAX_HELP))
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
    Diagnostic::error(code, format!("{what}: {}", serde_words(e)))
        .at_line_col(e.line() as u32, e.column().max(1) as u32)
}

/// serde_json's words for an error, without the " at line X column Y" it appends (diagnostics
/// carry those separately).
fn serde_words(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    msg.split(" at line ").next().unwrap_or(&msg).to_string()
}

/// Describes a JSON value for "found …" messages, with a short excerpt.
pub(crate) fn describe(v: &Value) -> String {
    catalogue::describe(v).render(Lang::En)
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

    fn wrong_type(&mut self, path: &str, expected: impl Into<Arg>, found: &Value) {
        self.error(
            Diagnostic::error_text(
                Code::WrongType,
                Text::new(&catalogue::EXPECTED)
                    .arg("expected", expected)
                    .arg("found", catalogue::describe(found)),
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
            let expected = Text::new(&catalogue::A_JSON_OBJECT).arg("what", Arg::phrase(what));
            self.wrong_type(path, expected, v);
            return None;
        };
        for key in map.keys() {
            if !allowed.contains(&key.as_str()) {
                let d = Diagnostic::error_text(
                    Code::UnknownField,
                    Text::new(&catalogue::UNKNOWN_FIELD)
                        .arg("key", key)
                        .arg("what", Arg::phrase(what)),
                )
                .at_path(join(path, key));
                let d = d.with_help_text(match closest(key, allowed) {
                    Some(s) => Text::new(&catalogue::DID_YOU_MEAN).arg("name", s),
                    None => Text::new(&catalogue::ALLOWED_FIELDS).arg("fields", allowed.join(", ")),
                });
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
                    Diagnostic::error_text(
                        Code::MissingField,
                        Text::new(&catalogue::MISSING_FIELD).arg("key", key),
                    )
                    .with_help_text(Text::phrase(hint))
                    .at_path(join(path, key)),
                );
                None
            }
        }
    }

    pub fn string(&mut self, v: &Value, path: &str, expected: &str) -> Option<String> {
        self.string_of(v, path, Arg::phrase(expected))
    }

    fn string_of(&mut self, v: &Value, path: &str, expected: Arg) -> Option<String> {
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
                Diagnostic::error_text(
                    Code::InvalidValue,
                    Text::new(&catalogue::MUST_NOT_BE_EMPTY).arg("what", Arg::phrase(expected)),
                )
                .at_path(path),
            );
            return None;
        }
        if s.chars().count() > max {
            self.error(
                Diagnostic::error_text(
                    Code::TooLarge,
                    Text::new(&catalogue::TEXT_TOO_LONG).arg("max", max),
                )
                .with_help_text(Text::new(&catalogue::TEXT_TOO_LONG_HELP))
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
            let what = Text::new(&catalogue::A_WHOLE_NUMBER).arg("what", Arg::phrase(expected));
            self.wrong_type(path, what, v);
            return None;
        };
        if n < min || n > max {
            self.error(
                Diagnostic::error_text(
                    Code::OutOfRange,
                    Text::new(&catalogue::OUT_OF_RANGE)
                        .arg("what", Arg::phrase(expected))
                        .arg("min", min)
                        .arg("max", max)
                        .arg("value", n),
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
                self.wrong_type(path, Arg::phrase(expected), v);
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
            self.wrong_type(path, Arg::phrase(expected), v);
            return None;
        };
        if a.len() > max {
            self.error(
                Diagnostic::error_text(
                    Code::TooLarge,
                    Text::new(&catalogue::LIST_TOO_LONG)
                        .arg("count", a.len())
                        .arg("max", max),
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
        let expected = Text::new(&catalogue::ONE_OF)
            .arg("what", Arg::phrase(what))
            .arg("allowed", quoted(allowed));
        let s = self.string_of(v, path, expected.into())?;
        if allowed.contains(&s.as_str()) {
            return Some(s);
        }
        let d = Diagnostic::error_text(
            Code::InvalidValue,
            Text::new(&catalogue::NOT_A_VALID)
                .arg("value", &s)
                .arg("what", Arg::phrase(what)),
        )
        .at_path(path);
        let d = d.with_help_text(match closest(&s, allowed) {
            Some(c) => Text::new(&catalogue::DID_YOU_MEAN_ALLOWED)
                .arg("name", c)
                .arg("allowed", quoted(allowed)),
            None => Text::new(&catalogue::USE_ONE_OF).arg("allowed", quoted(allowed)),
        });
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
