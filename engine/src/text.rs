//! Text from records and scripts, made safe to show on a terminal.
//!
//! A note, a thrown message or a record id may hold control characters: an escape sequence that
//! clears the screen or colours a line, a carriage return that overwrites what was printed, a
//! newline that starts a forged report line, or a bidi override that shows text in another order
//! than it is stored. Everything Rubrica prints for people goes through [`escape_controls`] (one
//! line of someone else's text) or [`escape_controls_keep_newlines`] (a block whose newlines
//! Rubrica put there itself). JSON output needs neither: JSON escapes control characters, and the
//! bidi controls are kept as data.

use crate::diagnostic::Diagnostic;
use crate::result::{PracticeEntry, Report, RubricResult};
use std::borrow::Cow;
use std::fmt::Write;

/// The characters that must not reach a terminal or a page as they are, as inclusive ranges of
/// code points: C0 controls (NUL, escape, carriage return, newline, tab…), DEL, C1 controls, the
/// Arabic letter mark, the left-to-right and right-to-left marks, the Unicode line and paragraph
/// separators, and the bidi embedding, override and isolate characters.
///
/// [`is_unsafe_for_display`] reads this table; the engine's vocabulary hands it to the browser
/// app (`hidden_characters`), whose copy is checked against it by a test.
pub const HIDDEN_CHARACTERS: &[(u32, u32)] = &[
    (0x0, 0x1f),
    (0x7f, 0x9f),
    (0x61c, 0x61c),
    (0x200e, 0x200f),
    // The line and paragraph separators, then the bidi embeddings and overrides.
    (0x2028, 0x202e),
    (0x2066, 0x2069),
];

/// True for a character that must not reach a terminal as it is: one of
/// [`HIDDEN_CHARACTERS`] (C0 controls, DEL, C1 controls, the bidi embedding, override, isolate
/// and mark characters, and the Unicode line and paragraph separators).
pub fn is_unsafe_for_display(c: char) -> bool {
    let c = u32::from(c);
    // Printable ASCII, the common case, is never hidden.
    if (0x20..0x7f).contains(&c) {
        return false;
    }
    HIDDEN_CHARACTERS
        .iter()
        .any(|&(first, last)| first <= c && c <= last)
}

/// Shows one line of someone else's text safely: every character for which
/// [`is_unsafe_for_display`] holds, newlines included, is written as a visible escape (`\n`,
/// `\r`, `\t`, `\u{1b}`, `\u{202e}`). Backslashes are kept as they are, so escaping twice gives
/// the same text as escaping once.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// Like [`escape_controls`] but keeps `\n`: for a block of lines whose line breaks are the
/// writer's own (each piece of someone else's text in it already went through
/// [`escape_controls`]).
pub fn escape_controls_keep_newlines(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

fn escape(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    let must = |c: char| is_unsafe_for_display(c) && !(keep_newlines && c == '\n');
    if !text.chars().any(must) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if !must(c) {
            out.push(c);
            continue;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // Writing into a String cannot fail.
            _ => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
        }
    }
    Cow::Owned(out)
}

fn esc(s: &mut String) {
    if let Cow::Owned(e) = escape_controls(s) {
        *s = e;
    }
}

fn esc_opt(s: &mut Option<String>) {
    if let Some(s) = s {
        esc(s);
    }
}

fn esc_all(v: &mut [String]) {
    v.iter_mut().for_each(esc);
}

fn esc_diagnostic(d: &mut Diagnostic) {
    esc(&mut d.message);
    esc_opt(&mut d.help);
    esc_opt(&mut d.location.file);
    esc_opt(&mut d.location.path);
}

fn esc_result(r: &mut RubricResult) {
    esc(&mut r.rubric.id);
    esc(&mut r.rubric.version);
    esc(&mut r.rubric.practice);
    esc(&mut r.rubric.title);
    esc(&mut r.record);
    for s in &mut r.strengths {
        esc(&mut s.indicator);
        esc(&mut s.title);
        esc(&mut s.label);
        esc(&mut s.text);
        esc_opt(&mut s.note);
        esc_all(&mut s.evidence);
    }
    for g in &mut r.growth_areas {
        esc(&mut g.indicator);
        esc(&mut g.title);
        esc(&mut g.label);
        esc(&mut g.next_step);
        esc_opt(&mut g.note);
        esc_all(&mut g.evidence);
    }
    for q in r
        .reflective_questions
        .iter_mut()
        .chain(r.focused_questions.iter_mut())
    {
        esc_opt(&mut q.indicator);
        esc(&mut q.question);
    }
    for m in &mut r.missing_evidence {
        esc(&mut m.indicator);
        esc(&mut m.title);
        esc(&mut m.reason);
        esc(&mut m.gather);
    }
    for i in &mut r.indicators {
        esc(&mut i.id);
        esc(&mut i.title);
        esc_opt(&mut i.label);
        esc_all(&mut i.evidence);
        esc_opt(&mut i.note);
        esc_opt(&mut i.reason);
    }
    r.warnings.iter_mut().for_each(esc_diagnostic);
}

impl Report {
    /// The coach's text report ([`Report::to_text`]) safe to print on a terminal: every piece of
    /// text that came from the record, a rubric or a script is shown on one line with its control
    /// and bidi characters escaped, so a note cannot clear the screen, reorder a line or start a
    /// line of its own.
    pub fn to_terminal_text(&self) -> String {
        let mut safe = self.clone();
        esc(&mut safe.record);
        esc(&mut safe.observed_on);
        safe.warnings.iter_mut().for_each(esc_diagnostic);
        for p in &mut safe.practices {
            match p {
                PracticeEntry::Success { result } => esc_result(result),
                PracticeEntry::Failure {
                    rubric,
                    title,
                    errors,
                } => {
                    esc(rubric);
                    esc(title);
                    errors.iter_mut().for_each(esc_diagnostic);
                }
            }
        }
        // A text field added later and missed above still cannot carry an escape sequence.
        escape_controls_keep_newlines(&safe.to_text()).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hidden_ranges_are_in_order_and_apart() {
        assert!(HIDDEN_CHARACTERS.iter().all(|(a, b)| a <= b));
        assert!(HIDDEN_CHARACTERS.windows(2).all(|w| w[0].1 + 1 < w[1].0));
        for &(first, last) in HIDDEN_CHARACTERS {
            for c in [first, last, last + 1, first.saturating_sub(1)] {
                let Some(ch) = char::from_u32(c) else {
                    continue;
                };
                let inside = (first..=last).contains(&c)
                    || HIDDEN_CHARACTERS.iter().any(|&(a, b)| (a..=b).contains(&c));
                assert_eq!(is_unsafe_for_display(ch), inside, "U+{c:04X}");
            }
        }
        assert!(!is_unsafe_for_display(' ') && !is_unsafe_for_display('~'));
        assert!(is_unsafe_for_display('\u{7f}') && is_unsafe_for_display('\n'));
    }

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        for s in ["", "c1", "Zoë plays — 🎈", "שלום", "a\\u{1b}b"] {
            assert!(matches!(escape_controls(s), Cow::Borrowed(t) if t == s));
        }
    }

    #[test]
    fn controls_escapes_and_bidi_are_visible() {
        let cases = [
            ("a\nb", "a\\nb"),
            ("a\r\tb", "a\\r\\tb"),
            ("\u{1b}[2J", "\\u{1b}[2J"),
            ("nul\u{0}", "nul\\u{0}"),
            ("del\u{7f}", "del\\u{7f}"),
            ("csi\u{9b}31m", "csi\\u{9b}31m"),
            ("\u{202e}evil\u{202c}", "\\u{202e}evil\\u{202c}"),
            ("\u{2066}x\u{2069}", "\\u{2066}x\\u{2069}"),
            ("\u{200e}\u{200f}\u{61c}", "\\u{200e}\\u{200f}\\u{61c}"),
            ("line\u{2028}sep", "line\\u{2028}sep"),
        ];
        for (raw, shown) in cases {
            assert_eq!(escape_controls(raw), shown, "{raw:?}");
        }
    }

    #[test]
    fn escaping_twice_is_escaping_once() {
        let once = escape_controls("\u{1b}]0;title\u{7}\n+ fake").into_owned();
        assert_eq!(escape_controls(&once), once);
    }

    #[test]
    fn block_escaping_keeps_only_newlines() {
        assert_eq!(
            escape_controls_keep_newlines("one\ntwo\r\u{1b}[1m"),
            "one\ntwo\\r\\u{1b}[1m"
        );
    }

    #[test]
    fn nothing_unsafe_survives() {
        let all: String = (0u32..0x3000).filter_map(char::from_u32).collect();
        assert!(!escape_controls(&all).chars().any(is_unsafe_for_display));
        let kept = escape_controls_keep_newlines(&all);
        assert!(!kept.chars().any(|c| c != '\n' && is_unsafe_for_display(c)));
    }
}
