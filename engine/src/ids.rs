//! Ids in a record: one way to write each.
//!
//! Ids (the record's, the observer's, each caregiver's and child's, and the references to them)
//! are compared byte for byte, so two spellings that look the same would be two people: `c1` and
//! `c1 `, or `Zoë` typed as one character and as `o` plus a combining diaeresis. Rather than
//! normalising silently, which would change the ids a host keeps, an id must already be in its
//! one form: no control, direction or line-separator characters (see
//! [`crate::is_unsafe_for_display`]), no byte-order mark and no zero-width space, word joiner or
//! soft hyphen, no space at either end, and Unicode
//! normalization form C (NFC), which is what keyboards and most editors produce.

use crate::diagnostic::{Code, Diagnostic};
use crate::diagnostic_text::{self as catalogue, Arg, Text};
use crate::json::Walker;
use crate::text::{escape_controls, is_unsafe_for_display};
use serde_json::Value;
use unicode_normalization::{is_nfc_quick, IsNormalized};

/// Reads an id (non-empty text of at most `max` characters, see [`Walker::text`]) and checks it
/// is written in its one form. Reports every problem it finds at `path`.
pub(crate) fn read_id(
    w: &mut Walker,
    v: &Value,
    path: &str,
    what: &str,
    max: usize,
) -> Option<String> {
    let id = w.text(v, path, what, max)?;
    let problems = id_problems(&id, what);
    let ok = problems.is_empty();
    for (message, help) in problems {
        w.error(
            Diagnostic::error_text(Code::InvalidValue, message)
                .with_help_text(help)
                .at_path(path),
        );
    }
    ok.then_some(id)
}

/// Characters an id may not hold because they cannot be seen: what is unsafe to display, the
/// byte-order mark, and the zero-width space, word joiner and soft hyphen (`c1` and `c\u{200b}1`
/// would look like one id). The zero-width joiner and non-joiner stay allowed: some scripts and
/// emoji need them.
fn invisible_in_id(c: char) -> bool {
    is_unsafe_for_display(c) || matches!(c, '\u{feff}' | '\u{200b}' | '\u{2060}' | '\u{ad}')
}

/// What is wrong with `id`, as (message, help) pairs; empty when it is in its one form.
fn id_problems(id: &str, what: &str) -> Vec<(Text, Text)> {
    let mut out = Vec::new();
    // The id is quoted escaped, so the message stays one line that shows what is hidden.
    let shown = escape_controls(id).into_owned();
    let message = |t| {
        Text::new(t)
            .arg("what", Arg::phrase(what))
            .arg("id", &shown)
    };
    if let Some(c) = id.chars().find(|&c| invisible_in_id(c)) {
        out.push((
            message(&catalogue::ID_INVISIBLE).arg("code_point", format!("{:04X}", u32::from(c))),
            Text::new(&catalogue::ID_INVISIBLE_HELP),
        ));
    }
    // A line break at the end is a control character and white space: say it once.
    if out.is_empty() && id.trim() != id {
        out.push((
            message(&catalogue::ID_SPACED),
            Text::new(&catalogue::ID_SPACED_HELP),
        ));
    }
    // Unicode's NFC quick check: "yes" for ids in the composed form, "no" or "maybe" for a
    // decomposed letter or a combining mark that could join the letter before it. "Maybe" is
    // refused too: settling it needs the full composition tables (about 70 KB of the browser
    // module), and an id has no need for a free combining mark.
    if is_nfc_quick(id.chars()) != IsNormalized::Yes {
        out.push((
            message(&catalogue::ID_NOT_NFC),
            Text::new(&catalogue::ID_NOT_NFC_HELP),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(id: &str) -> usize {
        id_problems(id, "the child id").len()
    }

    #[test]
    fn ordinary_ids_pass() {
        for id in ["c1", "cg-a", "Zoë", "Nguyễn", "子供1", "طفل", "🎈", "a b"] {
            assert_eq!(problems(id), 0, "{id}");
        }
    }

    #[test]
    fn invisible_spaced_and_decomposed_ids_fail() {
        for id in [
            "c1\u{0}",
            "c1\u{1b}[2J",
            "c\u{7f}",
            "c\u{85}1",
            "c\u{202e}1",
            "c\u{2066}1",
            "c\u{200f}",
            "\u{feff}c1",
            "c\u{200b}1",
            "c1\u{2060}",
            "c\u{ad}1",
            "c1 ",
            " c1",
            "c1\u{a0}",
            "Zoe\u{308}",
        ] {
            assert_eq!(problems(id), 1, "{id:?}");
        }
        // A control character and a decomposed letter: both said; the space is part of the first.
        assert_eq!(problems(" Zoe\u{308}\u{0}"), 2);
        assert_eq!(problems(" Zoe\u{308}"), 2);
    }
}
