//! Messages: the texts a rubric script writes into notes and reasons, kept in rubric.json so they
//! can be translated like the rubric's other texts (docs/localisation.md, "Notes written by
//! scripts").
//!
//! `rubric.json` holds each message once in its source language under `messages`, keyed by a
//! name the script uses, and again under `translations.<tag>.messages` for every further
//! language. A message is a template whose `{placeholders}` the script fills, or a pair of
//! forms `{"one": …, "other": …}` chosen by the whole number `count`. The script asks for one
//! with `say("key", #{placeholder: value, …})` and gets the text in the language the rubric is
//! rating in.
//!
//! Checks: every language has the same keys, each message has the same placeholders in every
//! language (R0201 at the JSON path); a literal key the rubric does not have, or a literal map
//! of values that does not fill the message's placeholders, stops the script from compiling
//! (R0309 at the call's line:col); at evaluation, a missing or unused value, or a value that is
//! not text, a whole number or a list of them, is a runtime error (R0301) naming the message.

use crate::diagnostic::{Code, Diagnostic};
use crate::json::{closest, describe};
use crate::locale::Words;
use crate::rubric::RubricMeta;
use rhai::{Dynamic, EvalAltResult, Expr, Map, Position, AST};
use serde_json::{Map as JsonMap, Value};
use std::cell::RefCell;
use std::sync::Arc;

/// The script helper's name.
pub(crate) const HELPER: &str = "say";

/// The value that chooses between the `one` and `other` forms of a message.
pub(crate) const COUNT: &str = "count";

/// The form names of a message with plural forms.
const FORMS: [&str; 2] = ["one", "other"];

/// Longest message key, in characters.
const MAX_KEY: usize = 64;

/// Reads `messages` as the JSON object it is, refusing anything else.
pub(crate) fn messages_object<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<JsonMap<String, Value>, D::Error> {
    use serde::de::Error;
    match <Value as serde::Deserialize>::deserialize(d)? {
        Value::Object(m) => Ok(m),
        other => Err(D::Error::custom(format!(
            "`messages` must be an object of message templates keyed by name, found {}",
            describe(&other)
        ))),
    }
}

/// One piece of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece<'t> {
    Text(std::borrow::Cow<'t, str>),
    Value(&'t str),
}

fn is_placeholder_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A template split into text and `{placeholders}`; `{{` and `}}` are literal braces.
fn parse(template: &str) -> Result<Vec<Piece<'_>>, String> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        text.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            text.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        if tail.starts_with('}') {
            return Err("a `}` without its `{`: write `}}` for a brace in the text".into());
        }
        let Some(end) = tail.find('}') else {
            return Err("a `{` without its `}`: write `{{` for a brace in the text".into());
        };
        let name = &tail[1..end];
        if !is_placeholder_name(name) {
            return Err(format!(
                "`{{{name}}}` is not a placeholder: name it with lowercase letters, digits and `_` (`{{children}}`), or write `{{{{` for a brace"
            ));
        }
        if !text.is_empty() {
            out.push(Piece::Text(std::mem::take(&mut text).into()));
        }
        out.push(Piece::Value(name));
        rest = &tail[end + 1..];
    }
    text.push_str(rest);
    if !text.is_empty() {
        out.push(Piece::Text(text.into()));
    }
    Ok(out)
}

/// The placeholders of one message (a template or its forms), `count` included for forms;
/// `Err((path suffix, problem, help))` for a malformed message.
fn placeholders(message: &Value) -> Result<Vec<String>, (String, String, String)> {
    placeholders_listed(message).map(|names| once_each(names.into_iter()))
}

/// Each name once, in the order first seen.
fn once_each(names: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in names {
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

/// The names in `a` that `b` does not have.
fn minus(a: &[String], b: &[String]) -> Vec<String> {
    a.iter().filter(|n| !b.contains(n)).cloned().collect()
}

fn placeholders_listed(message: &Value) -> Result<Vec<String>, (String, String, String)> {
    let of = |t: &str| -> Result<Vec<String>, String> {
        Ok(parse(t)?
            .into_iter()
            .filter_map(|p| match p {
                Piece::Value(n) => Some(n.to_string()),
                Piece::Text(_) => None,
            })
            .collect())
    };
    match message {
        Value::String(s) if s.trim().is_empty() => Err((
            String::new(),
            "the message is empty".into(),
            "write the text the script should say".into(),
        )),
        Value::String(s) => of(s).map_err(|e| (String::new(), e, "fix the template".into())),
        Value::Object(forms) => {
            let mut all = vec![COUNT.to_string()];
            for form in FORMS {
                match forms.get(form) {
                    Some(Value::String(s)) if !s.trim().is_empty() => {
                        all.extend(of(s).map_err(|e| {
                            (format!("/{form}"), e, "fix the template".into())
                        })?);
                    }
                    Some(other) => {
                        return Err((
                            format!("/{form}"),
                            format!("expected the text of the `{form}` form, found {}", describe(other)),
                            "write it as a non-empty JSON string".into(),
                        ))
                    }
                    None => {
                        return Err((
                            format!("/{form}"),
                            format!("the `{form}` form is missing"),
                            format!("a message with forms has `one` (for {COUNT} 1) and `other` (any other {COUNT})"),
                        ))
                    }
                }
            }
            if let Some(extra) = forms.keys().find(|k| !FORMS.contains(&k.as_str())) {
                return Err((
                    format!("/{}", crate::diagnostic::pointer_segment(extra)),
                    format!("`{extra}` is not a form of a message"),
                    "the forms are `one` (for count 1) and `other`".into(),
                ));
            }
            Ok(all)
        }
        other => Err((
            String::new(),
            format!("expected a message template, found {}", describe(other)),
            "write a JSON string, or `{\"one\": …, \"other\": …}` for a text that depends on `count`".into(),
        )),
    }
}

fn is_key(key: &str) -> bool {
    !key.is_empty()
        && key.chars().count() <= MAX_KEY
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn listed(names: &[String]) -> String {
    if names.is_empty() {
        return "none".into();
    }
    names
        .iter()
        .map(|n| format!("`{{{n}}}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Collects one problem: JSON path, message, what to change.
type Report<'a> = dyn FnMut(String, String, String) + 'a;

/// Checks the rubric's own `messages`: well-formed keys and templates.
pub(crate) fn check_source(meta: &RubricMeta, err: &mut Report) {
    for (key, message) in &meta.messages {
        let at = format!("/messages/{}", crate::diagnostic::pointer_segment(key));
        if !is_key(key) {
            err(
                at.clone(),
                format!("`{key}` is not a message key"),
                format!("use letters, digits, `-`, `_` and `.` (at most {MAX_KEY}), e.g. `group-within`"),
            );
        }
        if let Err((sub, msg, help)) = placeholders(message) {
            err(format!("{at}{sub}"), msg, help);
        }
    }
}

/// Checks `translations.<tag>.messages` (`have`, `None` when absent) against the rubric's own
/// messages: the same keys, each with the same placeholders. `at` is the translation's path.
pub(crate) fn check_translation(
    meta: &RubricMeta,
    have: Option<&Value>,
    at: &str,
    err: &mut Report,
) {
    let path = format!("{at}/messages");
    let have = match have {
        None if meta.messages.is_empty() => return,
        None => {
            return err(
                path,
                "missing translation".into(),
                "add `\"messages\": {…}` with every key of the rubric's `messages`, translated"
                    .into(),
            )
        }
        Some(Value::Object(m)) => m,
        Some(other) => {
            return err(
                path,
                format!("expected an object of messages, found {}", describe(other)),
                "write `{\"<key>\": \"<translated template>\", …}`".into(),
            )
        }
    };
    let keys: Vec<&str> = meta.messages.keys().map(String::as_str).collect();
    for (key, source) in &meta.messages {
        let here = format!("{path}/{}", crate::diagnostic::pointer_segment(key));
        let Some(translated) = have.get(key) else {
            err(
                here,
                "missing translation".into(),
                "add it: the rubric has this message (the path names it)".into(),
            );
            continue;
        };
        let (want, got) = match (placeholders(source), placeholders(translated)) {
            (_, Err((sub, msg, help))) => {
                err(format!("{here}{sub}"), msg, help);
                continue;
            }
            (Err(_), _) => continue, // reported at the rubric's own message
            (Ok(w), Ok(g)) => (w, g),
        };
        let (lacks, extra) = (minus(&want, &got), minus(&got, &want));
        if !lacks.is_empty() || !extra.is_empty() {
            let mut what = Vec::new();
            if !lacks.is_empty() {
                what.push(format!("lacks {}", listed(&lacks)));
            }
            if !extra.is_empty() {
                what.push(format!("has {}, which the source does not", listed(&extra)));
            }
            let mut help = format!(
                "use the placeholders of `/messages/{}`: {}",
                crate::diagnostic::pointer_segment(key),
                listed(&want)
            );
            if let (Some(x), 1) = (extra.first(), extra.len()) {
                let names: Vec<&str> = lacks.iter().map(String::as_str).collect();
                if let Some(near) = closest(x, &names) {
                    help = format!("did you mean `{{{near}}}`? {help}");
                }
            }
            err(
                here,
                format!(
                    "the placeholders differ from the source message: it {}",
                    what.join(" and ")
                ),
                help,
            );
        }
    }
    for key in have.keys().filter(|k| !meta.messages.contains_key(*k)) {
        err(
            format!("{path}/{}", crate::diagnostic::pointer_segment(key)),
            format!("`{key}` is not a message of the rubric"),
            match closest(key, &keys) {
                Some(s) => format!("did you mean `{s}`?"),
                None if keys.is_empty() => {
                    "remove it: the rubric has no `messages` to translate".into()
                }
                None => "remove it, or add it to the rubric's `messages` first".into(),
            },
        );
    }
}

/// The messages of a translation, replacing the source's (for [`crate::locale::localize`]).
pub(crate) fn localize(to: &mut JsonMap<String, Value>, translation: &Value) {
    if let Some(Value::Object(m)) = translation.get("messages") {
        for (k, v) in to.iter_mut() {
            if let Some(t) = m.get(k) {
                *v = t.clone();
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Evaluation: the rubric being rated, for `say` and the table helpers.

struct Active {
    meta: Arc<RubricMeta>,
    words: &'static Words,
}

thread_local! {
    static ACTIVE: RefCell<Vec<Active>> = const { RefCell::new(Vec::new()) };
}

/// While it lives, `say` reads this rubric's messages (in the language its metadata is in) and
/// the table helpers write the engine's words of `lang`. Made around the indicator calls of one
/// evaluation; nested evaluations on one thread each see their own.
pub(crate) struct Speaking(());

impl Drop for Speaking {
    fn drop(&mut self) {
        ACTIVE.with(|a| {
            a.borrow_mut().pop();
        });
    }
}

/// Makes `meta`'s messages and the engine's words of `lang` (`None`: the rubric's source
/// language) the ones scripts use on this thread until the returned value is dropped.
pub(crate) fn speak(meta: Arc<RubricMeta>, lang: Option<&str>) -> Speaking {
    let words = Words::of(Some(lang.unwrap_or(meta.source_language())));
    ACTIVE.with(|a| a.borrow_mut().push(Active { meta, words }));
    Speaking(())
}

/// The engine's words of the rubric being rated on this thread (English outside evaluation).
pub(crate) fn words() -> &'static Words {
    ACTIVE.with(|a| a.borrow().last().map_or(&crate::locale::EN, |x| x.words))
}

fn runtime(msg: String) -> Box<EvalAltResult> {
    Box::new(EvalAltResult::ErrorRuntime(msg.into(), Position::NONE))
}

/// `say(key, values)`: message `key` in the rubric's active language, its placeholders filled.
pub(crate) fn say(key: &str, values: &Map) -> Result<String, Box<EvalAltResult>> {
    ACTIVE.with(|a| {
        let a = a.borrow();
        let Some(active) = a.last() else {
            return Err(runtime(format!(
                "`{HELPER}(\"{key}\")` is only available while a rubric rates a record"
            )));
        };
        let messages = &active.meta.messages;
        let Some(message) = messages.get(key) else {
            let keys: Vec<&str> = messages.keys().map(String::as_str).collect();
            let hint = match closest(key, &keys) {
                Some(k) => format!("; did you mean `{k}`?"),
                None if keys.is_empty() => "; add `messages` to rubric.json".into(),
                None => "; add it to `messages` in rubric.json".into(),
            };
            return Err(runtime(format!(
                "there is no message `{key}` in rubric.json{hint}"
            )));
        };
        format(key, message, values, active.words)
    })
}

/// One message with its values, in `words`' way of joining lists.
fn format(
    key: &str,
    message: &Value,
    values: &Map,
    words: &Words,
) -> Result<String, Box<EvalAltResult>> {
    let wanted = placeholders(message)
        .map_err(|(_, e, _)| runtime(format!("message `{key}` is malformed: {e}")))?;
    for name in values.keys() {
        if !wanted.iter().any(|w| w == name.as_str()) {
            let names: Vec<&str> = wanted.iter().map(String::as_str).collect();
            let near = closest(name, &names)
                .map(|n| format!("; did you mean `{n}`?"))
                .unwrap_or_default();
            return Err(runtime(format!(
                "message `{key}` has no placeholder `{{{name}}}` (its placeholders: {}){near}",
                listed(&wanted)
            )));
        }
    }
    let template = match message {
        Value::Object(forms) => {
            let count = values.get(COUNT).ok_or_else(|| {
                runtime(format!(
                    "message `{key}` needs `{COUNT}`, the whole number that chooses its form: `{HELPER}(\"{key}\", #{{{COUNT}: …}})`"
                ))
            })?;
            let n = count.as_int().map_err(|_| {
                runtime(format!(
                    "message `{key}`: `{COUNT}` must be a whole number, found {}",
                    count.type_name()
                ))
            })?;
            forms.get(if n == 1 { "one" } else { "other" })
        }
        other => Some(other),
    };
    let template = template.and_then(Value::as_str).unwrap_or_default();
    let pieces = parse(template).map_err(|e| runtime(format!("message `{key}`: {e}")))?;
    let mut out = String::with_capacity(template.len() + 32);
    for piece in pieces {
        match piece {
            Piece::Text(t) => out.push_str(&t),
            Piece::Value(name) => {
                let v = values.get(name).ok_or_else(|| {
                    runtime(format!(
                        "message `{key}` needs a value for `{{{name}}}`: `{HELPER}(\"{key}\", #{{{}}})`",
                        wanted
                            .iter()
                            .map(|n| format!("{n}: …"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                })?;
                out.push_str(&text_of(key, name, v, words)?);
            }
        }
    }
    Ok(out)
}

/// A value as the message shows it: text as it is, a whole number in digits, a list joined the
/// language's way (`a, b and c`).
fn text_of(
    key: &str,
    name: &str,
    v: &Dynamic,
    words: &Words,
) -> Result<String, Box<EvalAltResult>> {
    let one = |v: &Dynamic| -> Option<String> {
        if let Ok(s) = v.clone().into_immutable_string() {
            Some(s.to_string())
        } else if let Ok(n) = v.as_int() {
            Some(n.to_string())
        } else if let Ok(c) = v.as_char() {
            Some(c.to_string())
        } else {
            None
        }
    };
    if let Some(t) = one(v) {
        return Ok(t);
    }
    let bad = |what: &str| {
        runtime(format!(
            "message `{key}`: `{name}` is {what}; give text, a whole number or a list of them"
        ))
    };
    let list = crate::view::list(v).ok_or_else(|| bad(&format!("a {}", v.type_name())))?;
    let parts = list
        .iter()
        .map(|x| one(x).ok_or_else(|| bad(&format!("a list holding a {}", x.type_name()))))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(words.list(&parts))
}

/// The compile-time check of a script's `say` calls: a literal key the rubric does not have, or
/// a literal map of values whose names are not the message's placeholders (R0309 at the call).
pub(crate) fn check_calls(meta: &RubricMeta, ast: &AST, file: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let keys: Vec<&str> = meta.messages.keys().map(String::as_str).collect();
    for (name, args, pos) in crate::lint::script_calls(ast) {
        if name != HELPER {
            continue;
        }
        let Some(Expr::StringConstant(key, at)) = args.first() else {
            continue;
        };
        let at = if at.is_none() { pos } else { *at };
        let (line, col) = (
            at.line().unwrap_or(0) as u32,
            at.position().unwrap_or(0) as u32,
        );
        let Some(message) = meta.messages.get(key.as_str()) else {
            let help = match closest(key, &keys) {
                Some(k) => format!("did you mean `{k}`?"),
                None if keys.is_empty() => {
                    "add `\"messages\": {…}` to rubric.json with this key".into()
                }
                None => format!(
                    "add `\"{key}\"` to `messages` in rubric.json (and to each translation)"
                ),
            };
            out.push(
                Diagnostic::error(
                    Code::UnknownProperty,
                    format!("`{HELPER}(\"{key}\")`: rubric.json has no message `{key}`"),
                )
                .with_help(help)
                .in_file(file)
                .at_line_col(line, col),
            );
            continue;
        };
        let (Some(Expr::Map(map, _)), Ok(wanted)) = (args.get(1), placeholders(message)) else {
            continue;
        };
        let given = once_each(map.0.iter().map(|(n, _)| n.name.to_string()));
        let (lacks, extra) = (minus(&wanted, &given), minus(&given, &wanted));
        if lacks.is_empty() && extra.is_empty() {
            continue;
        }
        let mut what = Vec::new();
        if !lacks.is_empty() {
            what.push(format!("no value for {}", listed(&lacks)));
        }
        if !extra.is_empty() {
            what.push(format!("{} that it does not have", listed(&extra)));
        }
        out.push(
            Diagnostic::error(
                Code::UnknownProperty,
                format!("`{HELPER}(\"{key}\", …)` gives {}", what.join(" and ")),
            )
            .with_help(format!(
                "message `{key}` has the placeholders {}",
                listed(&wanted)
            ))
            .in_file(file)
            .at_line_col(line, col),
        );
    }
    out
}

/// Registers `say` on `engine`.
pub(crate) fn register(engine: &mut rhai::Engine) {
    engine
        .register_fn(HELPER, |key: rhai::ImmutableString| say(&key, &Map::new()))
        .register_fn(HELPER, |key: rhai::ImmutableString, values: Map| {
            say(&key, &values)
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_split_into_text_and_placeholders() {
        assert_eq!(
            parse("a {b} c {{d}} {e_2}").unwrap(),
            vec![
                Piece::Text("a ".into()),
                Piece::Value("b"),
                Piece::Text(" c {d} ".into()),
                Piece::Value("e_2"),
            ]
        );
        assert!(parse("a { b").is_err());
        assert!(parse("a } b").is_err());
        assert!(parse("{Children}").is_err());
        assert!(parse("{}").is_err());
    }

    #[test]
    fn lists_are_joined_in_the_language() {
        let en = Words::of(Some("en"));
        let es = Words::of(Some("es"));
        let v = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(en.list(&v(&[])), "");
        assert_eq!(en.list(&v(&["a"])), "a");
        assert_eq!(en.list(&v(&["a", "b"])), "a and b");
        assert_eq!(en.list(&v(&["a", "b", "c"])), "a, b and c");
        assert_eq!(es.list(&v(&["a", "b", "c"])), "a, b y c");
        assert_eq!(es.list(&v(&["español", "inglés"])), "español e inglés");
        assert_eq!(es.list(&v(&["agua", "hielo"])), "agua y hielo");
        assert_eq!(es.list(&v(&["padre", "hijo"])), "padre e hijo");
        assert_eq!(es.list(&v(&["a", "Híbrido"])), "a e Híbrido");
        assert_eq!(es.list(&v(&["a", "hí"])), "a e hí");
        assert_eq!(es.list(&v(&["a", "h"])), "a y h");
        assert_eq!(en.list(&v(&["a", "ivy"])), "a and ivy");
    }

    fn meta_with(messages: Value) -> Arc<RubricMeta> {
        let mut meta: RubricMeta = serde_json::from_value(serde_json::json!({
            "format": "rubrica.rubric/1", "id": "t", "version": "1.0.0", "practice": "small-groups",
            "title": "T", "summary": "s", "languages": ["en"],
            "scale": {"levels": [
                {"value": 1, "label": "a", "descriptor": "a"},
                {"value": 2, "label": "b", "descriptor": "b"}],
                "strength_from": 2},
            "indicators": [], "items": []
        }))
        .expect("a rubric");
        meta.messages = messages.as_object().cloned().unwrap_or_default();
        Arc::new(meta)
    }

    #[test]
    fn say_fills_counts_and_refuses_what_does_not_fit() {
        let meta = meta_with(serde_json::json!({
            "fits": "a group of {n}: {who}",
            "children": {"one": "1 child", "other": "{count} children"}
        }));
        let mut values = Map::new();
        assert!(say("fits", &values).is_err(), "outside an evaluation");
        let _on = speak(meta, Some("es"));
        values.insert("n".into(), Dynamic::from(3_i64));
        let missing = say("fits", &values).unwrap_err().to_string();
        assert!(missing.contains("needs a value for `{who}`"), "{missing}");
        let list: rhai::Array = vec!["c1".into(), "c2".into()];
        values.insert("who".into(), Dynamic::from(list));
        assert_eq!(say("fits", &values).unwrap(), "a group of 3: c1 y c2");
        values.insert("whom".into(), Dynamic::from(1_i64));
        let extra = say("fits", &values).unwrap_err().to_string();
        assert!(
            extra.contains("no placeholder `{whom}`") && extra.contains("`who`"),
            "{extra}"
        );
        let mut count = Map::new();
        count.insert(COUNT.into(), Dynamic::from(1_i64));
        assert_eq!(say("children", &count).unwrap(), "1 child");
        count.insert(COUNT.into(), Dynamic::from(4_i64));
        assert_eq!(say("children", &count).unwrap(), "4 children");
        let typo = say("childen", &count).unwrap_err().to_string();
        assert!(typo.contains("did you mean `children`"), "{typo}");
        let mut map = Map::new();
        map.insert(COUNT.into(), Dynamic::from(Map::new()));
        assert!(say("children", &map).is_err());
    }
}
