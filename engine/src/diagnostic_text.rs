//! The words of diagnostics in English and Spanish.
//!
//! Every message and help the record checks write is a [`Template`] of this catalogue: one text
//! per language with the same named placeholders (`{key}`). A diagnostic keeps the [`Text`] it
//! was written from (the template and its values), so it can be rendered in either language;
//! rendered in English, a text is byte for byte what the engine has always written.
//!
//! A value is either written as it is (user input, numbers, lists of allowed values) or is
//! itself a text of the catalogue (a described JSON value, or a noun phrase such as "a
//! caregiver"). Noun phrases and hints reach the JSON walker as English text from the parsers;
//! [`Arg::phrase`] finds their template by that English text, so the parsers' calls stay as they
//! are and one that has no template yet is kept, and flagged, as [`Arg::Untranslated`].
//!
//! Spanish: neutral Latin American, *usted*, the terms of `docs/glossary.md`. Ids, codes, JSON
//! field names and values stay as they are in every language.

use crate::diagnostic::Code;

/// A language diagnostics are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lang {
    /// English, the language of the record format and of every diagnostic as first written.
    En,
    /// Spanish.
    Es,
}

impl Lang {
    /// Every language of the catalogue.
    pub(crate) const ALL: [Lang; 2] = [Lang::En, Lang::Es];

    /// The language of a tag: its first subtag decides (`es-MX` is Spanish); English for any
    /// other tag and for `None`.
    pub(crate) fn of(tag: Option<&str>) -> Lang {
        match tag.and_then(|t| t.split('-').next()) {
            Some(primary) if primary.eq_ignore_ascii_case("es") => Lang::Es,
            _ => Lang::En,
        }
    }
}

/// One text in every language, with the same `{name}` placeholders in each.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Template {
    /// The name it is declared with, for the tests' messages (left out of other builds: the
    /// browser module carries only the texts).
    #[cfg(test)]
    pub(crate) name: &'static str,
    pub(crate) en: &'static str,
    pub(crate) es: &'static str,
}

impl Template {
    fn in_lang(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Es => self.es,
        }
    }
}

/// A template with its values: a message or help that can be rendered in every language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    template: &'static Template,
    args: Vec<(&'static str, Arg)>,
}

/// The value of a placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Arg {
    /// Written as it is in every language: user input, numbers, ids, lists of allowed values.
    Plain(String),
    /// A text of the catalogue, rendered in the language of the whole.
    Text(Text),
    /// English text that should be a phrase of the catalogue but is not (yet): written as it
    /// is, and [`Text::is_translated`] says no.
    Untranslated(String),
}

impl Arg {
    /// The catalogue's phrase whose English is `english` (a noun phrase such as `a caregiver`,
    /// or a hint), or the text kept as [`Arg::Untranslated`].
    pub(crate) fn phrase(english: &str) -> Arg {
        match phrase(english) {
            Some(t) => Arg::Text(Text::new(t)),
            None => Arg::Untranslated(english.to_string()),
        }
    }
}

impl Arg {
    /// The value in `lang`.
    pub(crate) fn render(&self, lang: Lang) -> String {
        match self {
            Arg::Plain(s) | Arg::Untranslated(s) => s.clone(),
            Arg::Text(t) => t.render(lang),
        }
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Plain(s)
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Plain(s.to_string())
    }
}

impl From<&String> for Arg {
    fn from(s: &String) -> Arg {
        Arg::Plain(s.clone())
    }
}

impl From<Text> for Arg {
    fn from(t: Text) -> Arg {
        Arg::Text(t)
    }
}

macro_rules! plain_numbers {
    ($($t:ty),+) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Arg {
                Arg::Plain(n.to_string())
            }
        }
    )+};
}
plain_numbers!(i64, u64, u32, usize);

impl Text {
    /// The template with no values yet.
    pub(crate) fn new(template: &'static Template) -> Text {
        Text {
            template,
            args: Vec::new(),
        }
    }

    /// The catalogue's phrase whose English is `english` (a hint such as `add the time as
    /// \`HH:MM\``), or that English kept as it is and flagged as untranslated.
    pub(crate) fn phrase(english: &str) -> Text {
        match phrase(english) {
            Some(t) => Text::new(t),
            None => Text::new(&AS_WRITTEN).arg("text", Arg::Untranslated(english.to_string())),
        }
    }

    /// Gives the placeholder `name` its value.
    pub(crate) fn arg(mut self, name: &'static str, value: impl Into<Arg>) -> Text {
        self.args.push((name, value.into()));
        self
    }

    /// The text in `lang`: each `{name}` of the template replaced by its value. A brace that
    /// does not open a placeholder (`{"id": …}` in an example) is written as it is.
    pub(crate) fn render(&self, lang: Lang) -> String {
        let template = self.template.in_lang(lang);
        let mut out = String::with_capacity(template.len() + 16);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            let (before, from) = rest.split_at(open);
            out.push_str(before);
            let name = placeholder_at(from);
            match name.and_then(|n| self.args.iter().find(|(k, _)| *k == n)) {
                Some((name, value)) => {
                    out.push_str(&value.render(lang));
                    rest = from.get(name.len() + 2..).unwrap_or_default();
                }
                None => {
                    out.push('{');
                    rest = from.get(1..).unwrap_or_default();
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// True when the template and every text among its values are in the catalogue, so every
    /// language renders the whole of it.
    pub fn is_translated(&self) -> bool {
        self.args.iter().all(|(_, a)| match a {
            Arg::Plain(_) => true,
            Arg::Text(t) => t.is_translated(),
            Arg::Untranslated(_) => false,
        })
    }
}

/// The placeholder name at the start of `s` (`{name}` with `name` of `a-z` and `_`), if any.
fn placeholder_at(s: &str) -> Option<&str> {
    let inner = s.strip_prefix('{')?;
    let end = inner.find('}')?;
    let name = inner.get(..end)?;
    (!name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')).then_some(name)
}

/// True when `template` has a `{name}` placeholder (braces of a JSON example are none).
fn has_placeholder(template: &str) -> bool {
    template
        .match_indices('{')
        .any(|(i, _)| template.get(i..).and_then(placeholder_at).is_some())
}

/// The placeholder names of a template, in order of first use.
#[cfg(test)]
pub(crate) fn placeholders(template: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let from = rest.get(open..).unwrap_or_default();
        if let Some(name) = placeholder_at(from) {
            if !out.contains(&name) {
                out.push(name);
            }
        }
        rest = from.get(1..).unwrap_or_default();
    }
    out
}

/// The template without placeholders whose English is `english`.
fn phrase(english: &str) -> Option<&'static Template> {
    ALL.iter()
        .copied()
        .find(|t| t.en == english && !has_placeholder(t.en))
}

/// The first 40 characters of a text a message quotes, with `…` when there is more: a record
/// can hold a tag or value of many kilobytes, and a message should not repeat it whole.
pub(crate) fn excerpt(s: &str) -> String {
    let mut short: String = s.chars().take(40).collect();
    if s.chars().nth(40).is_some() {
        short.push('…');
    }
    short
}

/// A JSON value as "found …" messages describe it, with a short excerpt of text.
pub(crate) fn describe(v: &serde_json::Value) -> Arg {
    use serde_json::Value;
    match v {
        Value::Null => "`null`".into(),
        Value::Bool(b) => format!("`{b}`").into(),
        Value::Number(n) => Text::new(&FOUND_NUMBER).arg("number", n.to_string()).into(),
        Value::String(s) => Text::new(&FOUND_TEXT).arg("text", excerpt(s)).into(),
        Value::Array(a) if a.len() == 1 => Text::new(&FOUND_LIST_OF_ONE).into(),
        Value::Array(a) => Text::new(&FOUND_LIST).arg("count", a.len()).into(),
        Value::Object(_) => Text::new(&AN_OBJECT).into(),
    }
}

impl Code {
    /// What the code means, in one line, in `lang` (a tag such as `es`; English for a language
    /// the engine has no words in, and for `None`).
    pub fn summary_in(self, lang: Option<&str>) -> &'static str {
        match Lang::of(lang) {
            Lang::En => self.summary(),
            Lang::Es => self.summary_es(),
        }
    }
}

impl crate::result::Report {
    /// Writes every diagnostic of the report (the record's warnings, each result's warnings and
    /// each failed practice's errors) in the report's `language`, where the catalogue has it; a
    /// report without `language` is left as it is.
    pub fn localize_diagnostics(&mut self) {
        let Some(lang) = self.language.clone() else {
            return;
        };
        let lang = Some(lang.as_str());
        let all = |ds: &mut Vec<crate::Diagnostic>| {
            for d in ds.iter_mut() {
                *d = d.in_language(lang);
            }
        };
        all(&mut self.warnings);
        for p in &mut self.practices {
            match p {
                crate::result::PracticeEntry::Success { result } => all(&mut result.warnings),
                crate::result::PracticeEntry::Failure { errors, .. } => all(errors),
            }
        }
    }
}

/// Declares templates, each once as a `static`, and a list of them named first (with the
/// list's own attributes): [`ALL`], the catalogue, and `TEXT_WORDS`, the plain-text trend's and
/// agreement's words.
macro_rules! templates {
    ($(#[$list_attr:meta])* $list:ident; $($name:ident: $en:literal => $es:literal;)+) => {
        $(
            pub(crate) static $name: Template = Template {
                #[cfg(test)]
                name: stringify!($name),
                en: $en,
                es: $es,
            };
        )+
        $(#[$list_attr])*
        pub(crate) static $list: &[&Template] = &[$(&$name),+];
    };
}

templates! {
    /// Every template of the catalogue.
    ALL;
    // A text the catalogue does not have: written as it is in every language.
    AS_WRITTEN: "{text}" => "{text}";

    // The frame of a rendered diagnostic.
    SEVERITY_ERROR: "error" => "error";
    SEVERITY_WARNING: "warning" => "advertencia";
    AT_TOP_LEVEL: " (at the top level)" => " (en el nivel superior)";
    AT_PATH: " (at `{path}`)" => " (en `{path}`)";
    HELP_LINE: "\n  help: {help}" => "\n  ayuda: {help}";
    CODE_LINE: "\n  code {code}: {summary}" => "\n  código {code}: {summary}";

    // JSON text.
    JSON_TOO_DEEP: "the JSON is nested more than {max} levels deep"
        => "el JSON tiene más de {max} niveles de anidamiento";
    JSON_TOO_DEEP_HELP: "a record is at most {max} levels of lists and objects deep, counting the record itself; flatten the data under `extra`"
        => "un registro tiene como máximo {max} niveles de listas y objetos, contando el propio registro; aplane los datos que están en `extra`";
    JSON_ENDS_EARLY: "the JSON ends too early" => "el JSON termina antes de tiempo";
    JSON_INVALID: "invalid JSON: {problem}" => "JSON no válido: {problem}";
    JSON_SYNTAX_HELP: "check for a missing comma, quote or bracket near this place"
        => "revise si falta una coma, una comilla o un corchete cerca de este lugar";
    // serde_json's words for a syntax error, as it writes them.
    SERDE_COLON: "expected `:`" => "se esperaba `:`";
    SERDE_LIST_COMMA: "expected `,` or `]`" => "se esperaba `,` o `]`";
    SERDE_OBJECT_COMMA: "expected `,` or `}`" => "se esperaba `,` o `}`";
    SERDE_IDENT: "expected ident" => "se esperaba `true`, `false` o `null`";
    SERDE_VALUE: "expected value" => "se esperaba un valor";
    SERDE_QUOTE: "expected `\"`" => "se esperaba `\"`";
    SERDE_ESCAPE: "invalid escape" => "secuencia de escape no válida";
    SERDE_NUMBER: "invalid number" => "número no válido";
    SERDE_NUMBER_RANGE: "number out of range" => "número fuera de rango";
    SERDE_CODE_POINT: "invalid unicode code point" => "punto de código Unicode no válido";
    SERDE_CONTROL: "control character (\\u0000-\\u001F) found while parsing a string"
        => "carácter de control (\\u0000-\\u001F) dentro de un texto";
    SERDE_KEY_STRING: "key must be a string" => "el nombre de un campo debe ser un texto entre comillas";
    SERDE_SURROGATE: "lone leading surrogate in hex escape"
        => "sustituto inicial sin pareja en un escape hexadecimal";
    SERDE_TRAILING_COMMA: "trailing comma" => "coma sobrante al final";
    SERDE_TRAILING: "trailing characters" => "caracteres sobrantes después del JSON";
    SERDE_HEX_END: "unexpected end of hex escape" => "escape hexadecimal incompleto";
    SERDE_RECURSION: "recursion limit exceeded" => "se superó el límite de anidamiento";

    // Size and encoding.
    RECORD_TOO_LARGE: "the record is {size} bytes; at most {max} bytes are accepted"
        => "el registro tiene {size} bytes; se aceptan como máximo {max} bytes";
    RECORD_LARGER_THAN: "the record is larger than {max} bytes, the most a record may be"
        => "el registro tiene más de {max} bytes, el máximo que puede tener un registro";
    ONE_RECORD_PER_VISIT: "a record describes one visit; split large files into one record per visit"
        => "un registro describe una visita; divida los archivos grandes en un registro por visita";
    LINE_TOO_LONG: "line {line} is {size} bytes long; a record is at most {max} bytes"
        => "la línea {line} tiene {size} bytes; un registro tiene como máximo {max} bytes";
    LINE_TOO_LONG_HELP: "each line holds one record of one visit; the lines after it are still read"
        => "cada línea contiene el registro de una visita; las líneas siguientes se leen de todos modos";
    NOT_UTF8: "the file is not UTF-8 text (bad byte at offset {offset})"
        => "el archivo no es texto UTF-8 (byte no válido en la posición {offset})";
    SAVE_AS_UTF8: "save the record as UTF-8 JSON" => "guarde el registro como JSON en UTF-8";
    RECORD_INVALID: "the record is invalid" => "el registro no es válido";
    NOTHING_SCORED: "error: the record has {count} problem(s); nothing was scored"
        => "error: el registro tiene {count} problema(s); no se calificó nada";

    // A described JSON value.
    FOUND_NUMBER: "the number `{number}`" => "el número `{number}`";
    FOUND_TEXT: "the text `\"{text}\"`" => "el texto `\"{text}\"`";
    FOUND_LIST_OF_ONE: "a list of 1 entry" => "una lista de 1 elemento";
    FOUND_LIST: "a list of {count} entries" => "una lista de {count} elementos";
    AN_OBJECT: "an object" => "un objeto";

    // The JSON walker.
    EXPECTED: "expected {expected}, found {found}" => "se esperaba {expected}; se encontró {found}";
    A_JSON_OBJECT: "{what} (a JSON object)" => "{what} (un objeto JSON)";
    A_WHOLE_NUMBER: "{what} (a whole number)" => "{what} (un número entero)";
    ONE_OF: "{what} (one of {allowed})" => "{what} (uno de {allowed})";
    UNKNOWN_FIELD: "unknown field `{key}` in {what}" => "campo desconocido `{key}` en {what}";
    DID_YOU_MEAN: "did you mean `{name}`?" => "¿quiso decir `{name}`?";
    ALLOWED_FIELDS: "allowed fields: {fields}; put your own data under `extra`"
        => "campos admitidos: {fields}; ponga sus propios datos en `extra`";
    MISSING_FIELD: "missing field `{key}`" => "falta el campo `{key}`";
    MUST_NOT_BE_EMPTY: "{what} must not be empty" => "{what} no puede quedar en blanco";
    TEXT_TOO_LONG: "text is longer than {max} characters" => "el texto tiene más de {max} caracteres";
    TEXT_TOO_LONG_HELP: "shorten it or move long notes to `notes`"
        => "acórtelo o pase las notas largas a `notes`";
    OUT_OF_RANGE: "{what} must be between {min} and {max}, found `{value}`"
        => "{what} debe estar entre {min} y {max}; se encontró `{value}`";
    LIST_TOO_LONG: "list has {count} entries; at most {max} are allowed"
        => "la lista tiene {count} elementos; se admiten como máximo {max}";
    NOT_A_VALID: "`{value}` is not a valid {what}" => "`{value}` no es un valor válido para {what}";
    DID_YOU_MEAN_ALLOWED: "did you mean `{name}`? allowed: {allowed}"
        => "¿quiso decir `{name}`? valores admitidos: {allowed}";
    USE_ONE_OF: "use one of {allowed}" => "use uno de estos valores: {allowed}";

    // Ids.
    ID_INVISIBLE: "{what} `{id}` contains the invisible character U+{code_point}"
        => "{what} `{id}` contiene el carácter invisible U+{code_point}";
    ID_INVISIBLE_HELP: "remove control, text-direction and zero-width characters from ids; they hide what the id says"
        => "quite de los identificadores los caracteres de control, de dirección del texto y de ancho cero: ocultan lo que dice el identificador";
    ID_SPACED: "{what} `{id}` starts or ends with a space"
        => "{what} `{id}` empieza o termina con un espacio";
    ID_SPACED_HELP: "remove the spaces around the id; ids are compared exactly as written"
        => "quite los espacios alrededor del identificador; los identificadores se comparan exactamente como están escritos";
    ID_NOT_NFC: "{what} `{id}` is not written with composed letters (Unicode NFC)"
        => "{what} `{id}` no está escrito con letras compuestas (Unicode NFC)";
    ID_NOT_NFC_HELP: "retype the id with precomposed letters (é, not e followed by a combining accent): the same letters written two ways would be two ids"
        => "vuelva a escribir el identificador con letras precompuestas (é, no una e seguida de un acento combinable): las mismas letras escritas de dos maneras serían dos identificadores";

    // The observation record: what each part is (noun phrases the walker quotes).
    P_OBSERVATION_RECORD: "the observation record" => "el registro de observación";
    P_FORMAT_TAG: "the format tag (text)" => "la etiqueta de formato (texto)";
    P_RECORD_ID: "the record id" => "el identificador del registro";
    P_SETTING: "setting" => "la modalidad";
    P_DATE: "a date `YYYY-MM-DD`" => "una fecha `AAAA-MM-DD`";
    P_MINUTES: "minutes observed" => "el número de minutos observados";
    P_OBSERVER_ID: "the observer id" => "el identificador de quien observa";
    P_PLACE: "the room or home" => "la sala u hogar";
    P_PLACE_KIND: "kind of place" => "el tipo de lugar";
    P_PLACE_ID: "the room or home id" => "el identificador de la sala u hogar";
    P_LIST: "a list" => "una lista";
    P_LANGUAGES: "a list of language tags such as [\"en\", \"es\"]"
        => "una lista de etiquetas de idioma como [\"en\", \"es\"]";
    P_LANGUAGE: "a language tag such as `en`" => "una etiqueta de idioma como `en`";
    P_CAREGIVERS: "a list of caregivers" => "una lista de cuidadores/as";
    P_CAREGIVER: "a caregiver" => "una entrada de cuidador/a";
    P_CAREGIVER_ID: "the caregiver id" => "el identificador del/de la cuidador/a";
    P_ROLE: "caregiver role" => "la función del/de la cuidador/a";
    P_CHILDREN: "a list of children" => "una lista de niños y niñas";
    P_CHILD: "a child" => "una entrada de niño o niña";
    P_CHILD_ID: "the child id" => "el identificador del niño o niña";
    P_AGE: "age in months" => "la edad en meses";
    P_A_CAREGIVER_ID: "a caregiver id" => "un identificador de cuidador/a";
    P_MONTHS_WITH_PRIMARY: "months with the primary caregiver"
        => "el número de meses con su cuidador/a principal";
    P_MONTHS_IN_CARE: "months in this program" => "el número de meses en este programa";
    P_MOVES: "moves to a new group or primary caregiver"
        => "el número de cambios de grupo o de cuidador/a principal";
    P_TRUE_OR_FALSE: "`true` or `false`" => "`true` o `false`";
    P_PRIMARY_STATUS: "primary caregiver status" => "el estado de asignación de cuidador/a principal";
    P_HEADCOUNT: "a headcount" => "un conteo";
    P_TIME: "a time `HH:MM`" => "una hora `HH:MM`";
    P_CHILDREN_PRESENT: "children present" => "el número de niños y niñas presentes";
    P_CAREGIVERS_PRESENT: "caregivers present" => "el número de cuidadores/as presentes";
    P_ITEMS_BY_RUBRIC: "an object of items by rubric id"
        => "un objeto de ítems por identificador de rúbrica";
    P_ITEM: "an observed item" => "un ítem observado";
    P_METHOD: "evidence method" => "el método de evidencia";
    P_INTERVIEW: "an interview answer" => "una respuesta de entrevista";
    P_WHO_ANSWERED: "who answered" => "el identificador de quien respondió";
    P_TOPIC: "the topic" => "el tema";
    P_ANSWER: "the answer" => "la respuesta";
    P_MATERIAL: "a reviewed document" => "un documento revisado";
    P_TITLE: "the title" => "el título";
    P_MATERIAL_KIND: "document kind" => "el tipo de documento";
    P_NOTE: "a note (text)" => "una nota (texto)";

    // Hints for a missing field of the observation record.
    H_FORMAT: "add `\"format\": \"rubrica.observation/1\"`"
        => "agregue `\"format\": \"rubrica.observation/1\"`";
    H_RECORD_ID: "give the record an id such as `obs-2026-03-14-rm2`"
        => "dé al registro un identificador como `obs-2026-03-14-rm2`";
    H_SETTING: "add `\"setting\": \"center\"` or `\"family-child-care\"`"
        => "agregue `\"setting\": \"center\"` o `\"family-child-care\"`";
    H_DATE: "add the visit date as `YYYY-MM-DD`" => "agregue la fecha de la visita como `AAAA-MM-DD`";
    H_MINUTES: "add how many minutes the observation lasted"
        => "agregue cuántos minutos duró la observación";
    H_CAREGIVERS: "list the caregivers of the group, e.g. `[{\"id\": \"cg-a\", \"role\": \"teacher\"}]`"
        => "anote los/as cuidadores/as del grupo, p. ej. `[{\"id\": \"cg-a\", \"role\": \"teacher\"}]`";
    H_CHILDREN: "list the children of the group with `id` and `age_months`"
        => "anote los niños y niñas del grupo con `id` y `age_months`";
    H_PLACE_KIND: "say what the place is: `\"kind\": \"room\"` or `\"home\"`"
        => "indique qué lugar es: `\"kind\": \"room\"` o `\"home\"`";
    H_PLACE_ID: "give the room or home a pseudonymous id such as `rm-2`"
        => "dé a la sala u hogar un identificador seudónimo como `rm-2`";
    H_CAREGIVER_ID: "give each caregiver a pseudonymous id such as `cg-a`"
        => "dé a cada cuidador/a un identificador seudónimo como `cg-a`";
    H_CHILD_ID: "give each child a pseudonymous id such as `c1`"
        => "dé a cada niño o niña un identificador seudónimo como `c1`";
    H_AGE: "add the child's age in whole months" => "agregue la edad del niño o niña en meses cumplidos";
    H_TIME: "add the time as `HH:MM`" => "agregue la hora como `HH:MM`";
    H_CHILDREN_PRESENT: "add how many children were present"
        => "agregue cuántos niños y niñas estaban presentes";
    H_CAREGIVERS_PRESENT: "add how many caregivers were present"
        => "agregue cuántos/as cuidadores/as estaban presentes";
    H_VALUE: "record what you saw, e.g. `\"value\": \"yes\"`"
        => "anote lo que observó, p. ej. `\"value\": \"yes\"`";
    H_METHOD: "say how you know: `observed`, `interview` or `materials`"
        => "indique cómo lo sabe: `observed`, `interview` o `materials`";
    H_WITH: "say who answered" => "indique quién respondió";
    H_TOPIC: "say what was asked" => "indique qué se preguntó";
    H_ANSWER: "write the answer in your words" => "escriba la respuesta con sus palabras";
    H_TITLE: "name the document" => "escriba el nombre del documento";

    // The observation record: problems the walker does not find by itself.
    UNSUPPORTED_FORMAT: "unsupported record format `{format}`"
        => "formato de registro no admitido: `{format}`";
    READS_FORMAT: "this version of Rubrica reads `{format}`" => "esta versión de Rubrica lee `{format}`";
    INVALID_DATE: "`{date}` is not a valid date" => "`{date}` no es una fecha válida";
    INVALID_DATE_HELP: "write the visit date as `YYYY-MM-DD`, e.g. `2026-03-14`"
        => "escriba la fecha de la visita como `AAAA-MM-DD`, p. ej. `2026-03-14`";
    NOT_A_LANGUAGE_TAG: "`{tag}` is not a language tag" => "`{tag}` no es una etiqueta de idioma";
    LANGUAGE_TAG_HELP: "use a short tag such as `en`, `es`, `zh-Hant`, `hmn`"
        => "use una etiqueta corta como `en`, `es`, `zh-Hant` o `hmn`";
    NO_CAREGIVERS: "the record lists no caregivers" => "el registro no tiene ningún/a cuidador/a";
    NO_CAREGIVERS_HELP: "add at least the caregiver you observed"
        => "agregue por lo menos el/la cuidador/a que observó";
    CAREGIVER_ID_TWICE: "caregiver id `{id}` is used twice"
        => "el identificador de cuidador/a `{id}` se usa dos veces";
    CAREGIVER_ID_TWICE_HELP: "give each caregiver a different id"
        => "dé a cada cuidador/a un identificador distinto";
    NO_CHILDREN: "the record lists no children" => "el registro no tiene ningún niño ni niña";
    NO_CHILDREN_HELP: "add the children of the observed group"
        => "agregue los niños y niñas del grupo observado";
    CHILD_ID_TWICE: "child id `{id}` is used twice"
        => "el identificador de niño o niña `{id}` se usa dos veces";
    CHILD_ID_TWICE_HELP: "give each child a different id"
        => "dé a cada niño o niña un identificador distinto";
    PAST_36_MONTHS: "child is {age} months old, past the birth-to-three range"
        => "el niño o niña tiene {age} meses: pasa del rango de 0 a 3 años";
    PAST_36_MONTHS_HELP: "the practices are written for children under 36 months; check the age or plan the child's transition"
        => "las prácticas están escritas para niños y niñas menores de 36 meses; revise la edad o planifique la transición del niño o niña";
    PRIMARY_NOT_LISTED: "primary caregiver `{id}` is not in `caregivers`"
        => "el/la cuidador/a principal `{id}` no está en `caregivers`";
    USE_ONE_OR_ADD_CAREGIVER: "use one of {ids} or add the caregiver"
        => "use uno de estos identificadores: {ids}, o agregue el/la cuidador/a";
    WITH_PRIMARY_OVER_AGE: "child has been {months} months with the primary caregiver but is only {age} months old"
        => "el niño o niña lleva {months} meses con su cuidador/a principal, pero solo tiene {age} meses de edad";
    WITH_PRIMARY_OVER_AGE_HELP: "months with the primary caregiver cannot exceed the child's age"
        => "los meses con su cuidador/a principal no pueden superar la edad del niño o niña";
    WITH_PRIMARY_WITHOUT_PRIMARY: "`months_with_primary` is given but the child has no `primary_caregiver`"
        => "se indica `months_with_primary`, pero el niño o niña no tiene `primary_caregiver`";
    WITH_PRIMARY_WITHOUT_PRIMARY_HELP: "name the primary caregiver or remove `months_with_primary`"
        => "indique su cuidador/a principal o quite `months_with_primary`";
    IN_CARE_OVER_AGE: "child has been {months} months in care but is only {age} months old"
        => "el niño o niña lleva {months} meses en el programa, pero solo tiene {age} meses de edad";
    IN_CARE_OVER_AGE_HELP: "months in care cannot exceed the child's age"
        => "los meses en el programa no pueden superar la edad del niño o niña";
    WITH_PRIMARY_OVER_IN_CARE: "child has been {months} months with the primary caregiver but only {in_care} months in care"
        => "el niño o niña lleva {months} meses con su cuidador/a principal, pero solo {in_care} meses en el programa";
    WITH_PRIMARY_OVER_IN_CARE_HELP: "months with the primary caregiver count only time in this program: at most `months_in_care`"
        => "los meses con su cuidador/a principal cuentan solo el tiempo en este programa: como máximo `months_in_care`";
    STATUS_BUT_NAMED: "`primary_status` is `{status}` but `primary_caregiver` names a caregiver"
        => "`primary_status` es `{status}`, pero `primary_caregiver` nombra a un/a cuidador/a";
    ASSIGNED_BUT_NONE_NAMED: "`primary_status` is `assigned` but no `primary_caregiver` is named"
        => "`primary_status` es `assigned`, pero no se nombra ningún `primary_caregiver`";
    PRIMARY_STATUS_HELP: "name the primary caregiver for `assigned`; leave it out or `null` otherwise"
        => "con `assigned`, indique su cuidador/a principal; en los demás casos, omita `primary_caregiver` o use `null`";
    NOT_A_TIME: "`{time}` is not a time of day" => "`{time}` no es una hora del día";
    NOT_A_TIME_HELP: "write times as `HH:MM`, e.g. `09:30`" => "escriba las horas como `HH:MM`, p. ej. `09:30`";
    HEADCOUNT_OVER_LISTED: "headcount at `{at}` has {count} children but the group lists only {listed}"
        => "el conteo de las `{at}` tiene {count} niños y niñas, pero el grupo tiene solo {listed}";
    HEADCOUNT_OVER_LISTED_HELP: "add the missing children to `children` or correct the count"
        => "agregue en `children` los niños y niñas que faltan o corrija el conteo";
    ITEMS_FOR_RUBRIC: "expected an object of items for rubric `{rubric}`, found {found}"
        => "se esperaba un objeto de ítems para la rúbrica `{rubric}`; se encontró {found}";
    ITEMS_FOR_RUBRIC_HELP: "file items as `\"items\": {example}`" => "anote los ítems así: `\"items\": {example}`";
    ITEM_BOOLEAN: "expected text or a count, found `{value}`" => "se esperaba un texto o un conteo; se encontró `{value}`";
    WRITE_YES: "write `\"yes\"` instead of `true`" => "escriba `\"yes\"` en lugar de `true`";
    WRITE_NO: "write `\"no\"` instead of `false`" => "escriba `\"no\"` en lugar de `false`";
    ITEM_VALUE_TYPE: "expected text (at most {max} characters) or a whole count from 0, found {found}"
        => "se esperaba un texto (de {max} caracteres como máximo) o un conteo entero desde 0; se encontró {found}";

    // Reflection records (a TA provider's or a family partnership's): what each part is.
    P_REFLECTION_RECORD: "the reflection record" => "el registro de reflexión";
    P_AUTHOR: "the author" => "quien escribe la reflexión";
    P_AUTHOR_ID: "the author id" => "el identificador de quien escribe la reflexión";
    P_AUTHOR_ROLE: "author role" => "la función de quien escribe la reflexión";
    P_PARTNER: "the partner" => "la persona o el equipo que acompaña";
    P_PARTNER_ID: "the partner id" => "el identificador de la persona o el equipo que acompaña";
    P_PARTNER_KIND: "partner kind" => "el tipo de persona o equipo que acompaña";
    P_ANSWERED_ITEM: "an answered item" => "un ítem respondido";
    P_TEXT: "text" => "un texto";
    P_CONTACT: "a contact" => "un contacto";
    P_CONTACT_MODE: "contact mode" => "el modo de contacto";
    P_CONTACT_MINUTES: "minutes of the contact" => "la duración del contacto en minutos";
    P_STARTER: "starter" => "el origen del contacto";
    P_GOAL: "a goal" => "una meta";
    P_GOAL_ID: "the goal id" => "el identificador de la meta";
    P_GOAL_SETTER: "goal setter" => "la autoría de la meta";
    P_GOAL_STATUS: "goal status" => "el estado de la meta";
    P_REVISITED: "times the goal was revisited" => "el número de veces que se retomó la meta";
    P_OBSERVATION_NOUN: "an observation record" => "un registro de observación";
    P_TA_REFLECTION_NOUN: "a TA reflection record" => "un registro de reflexión sobre asistencia técnica";
    P_FAMILY_PARTNERSHIP_NOUN: "a family partnership record" => "un registro de alianza con una familia";
    H_REFLECTION_ID: "give the record an id such as `ta-2026-03-02-prog12`"
        => "dé al registro un identificador como `ta-2026-03-02-prog12`";
    H_REFLECTED_ON: "add the date of the reflection as `YYYY-MM-DD`"
        => "agregue la fecha de la reflexión como `AAAA-MM-DD`";
    H_AUTHOR: "say who reflects, e.g. `{\"id\": \"ta-07\", \"role\": \"coach\"}`"
        => "indique quién reflexiona, p. ej. `{\"id\": \"ta-07\", \"role\": \"coach\"}`";
    H_AUTHOR_ID: "give the author a pseudonymous id" => "dé a quien escribe un identificador seudónimo";
    H_AUTHOR_ROLE: "say the author's role" => "indique la función de quien escribe";
    H_PARTNER: "say who the relationship is with, e.g. `{\"id\": \"prog-12\", \"kind\": \"program\"}`"
        => "indique con quién es la relación, p. ej. `{\"id\": \"prog-12\", \"kind\": \"program\"}`";
    H_PARTNER_ID: "give the partner a pseudonymous id"
        => "dé a la persona o al equipo que acompaña un identificador seudónimo";
    H_PARTNER_KIND: "say who the partner is" => "indique quién es la persona o el equipo que acompaña";
    H_ANSWER_VALUE: "record the answer, e.g. `\"value\": \"often\"`"
        => "anote la respuesta, p. ej. `\"value\": \"often\"`";
    H_CONTACT_ON: "add the contact's date as `YYYY-MM-DD`" => "agregue la fecha del contacto como `AAAA-MM-DD`";
    H_CONTACT_MODE: "say how the contact happened" => "indique cómo fue el contacto";
    H_INITIATED_BY: "say who started the contact: `partner` or `author`"
        => "indique quién inició el contacto: `partner` o `author`";
    H_GOAL_ID: "give the goal an id such as `g1`" => "dé a la meta un identificador como `g1`";
    H_SET_BY: "say who set the goal: `partner`, `jointly` or `author`"
        => "indique quién fijó la meta: `partner`, `jointly` o `author`";
    H_GOAL_STATUS: "say where the goal stands: `not-started`, `in-progress`, `met` or `set-aside`"
        => "indique en qué punto está la meta: `not-started`, `in-progress`, `met` o `set-aside`";
    REFLECTION_DATE_HELP: "write the date as `YYYY-MM-DD`, e.g. `2026-03-02`"
        => "escriba la fecha como `AAAA-MM-DD`, p. ej. `2026-03-02`";
    GOAL_ID_TWICE: "goal id `{id}` is used twice" => "el identificador de meta `{id}` se usa dos veces";
    GOAL_ID_TWICE_HELP: "give each goal its own id" => "dé a cada meta su propio identificador";
    OTHER_KIND_OF_RECORD: "expected an observation record (`{format}`), found {kind} (`{found}`)"
        => "se esperaba un registro de observación (`{format}`); se encontró {kind} (`{found}`)";
    GIVE_RECORD_OR_REPORT: "give an observation record (`rubrica.observation/1`) or a report (`rubrica.report/1`, the output of `rubrica score --format json`)"
        => "indique un registro de observación (`rubrica.observation/1`) o un informe (`rubrica.report/1`, la salida de `rubrica score --format json`)";
    OTHER_KIND_OF_RECORD_HELP: "this reads observation records only; score other records with `rubrica score`"
        => "aquí solo se leen registros de observación; califique los demás registros con `rubrica score`";
    FORMAT_OF_KIND: "if this is {kind}, its format is `{format}`"
        => "si es {kind}, su formato es `{format}`";
    RUBRIC_RATES_OTHER_KIND: "rubric `{rubric}` rates {rates} (`{rates_format}`), not {kind} (`{format}`)"
        => "la rúbrica `{rubric}` califica {rates} (`{rates_format}`), no {kind} (`{format}`)";
    SCORE_WITH_ITS_KIND: "score the record with the rubrics written for its kind"
        => "califique el registro con las rúbricas escritas para su tipo de registro";

    // An observed item against the rubric's definition of it.
    COUNT_OUT_OF_RANGE: "`{item}` must be a count from {min} to {max}, found `{value}`"
        => "`{item}` debe ser un conteo de {min} a {max}; se encontró `{value}`";
    CORRECT_THE_COUNT: "correct the count" => "corrija el conteo";
    COUNT_GOT_TEXT: "`{item}` is a count, found the text `\"{value}\"`"
        => "`{item}` es un conteo; se encontró el texto `\"{value}\"`";
    WRITE_A_NUMBER: "write a whole number, e.g. `3`" => "escriba un número entero, p. ej. `3`";
    NOTE_GOT_NUMBER: "`{item}` is a note, found the number `{value}`"
        => "`{item}` es una nota; se encontró el número `{value}`";
    WRITE_NOTE_AS_TEXT: "write the note as text" => "escriba la nota como texto";
    CHOICE_GOT_NUMBER: "`{item}` takes one of {allowed}, found the number `{value}`"
        => "`{item}` admite uno de estos valores: {allowed}; se encontró el número `{value}`";
    PICK_A_LISTED_VALUE: "pick one of the listed values" => "elija uno de los valores de la lista";
    NOT_A_VALID_ANSWER: "`{value}` is not a valid answer for `{item}`"
        => "`{value}` no es una respuesta válida para `{item}`";
    ITEM_NOT_IN_RUBRIC: "item `{item}` is not part of rubric `{rubric}` and was not used"
        => "el ítem `{item}` no es parte de la rúbrica `{rubric}` y no se usó";
    CHECK_ITEM_ID: "check the item id against the rubric's items"
        => "compare el identificador del ítem con los ítems de la rúbrica";

    // Trends (`rubrica trend`, the app's trends): why a visit is in no series, why no change
    // is computed, what changed at a rubric version break.
    TREND_CAREGIVER_NOT_LISTED: "the record does not list caregiver `{id}`"
        => "el/la cuidador/a `{id}` no figura en el registro";
    TREND_NOT_SCALAR: "`{pointer}` is not a text, number or true/false in the record"
        => "en el registro, `{pointer}` no es un texto, un número ni verdadero o falso";
    TREND_NOTHING_AT: "the record has nothing at `{pointer}`" => "el registro no tiene nada en `{pointer}`";
    TREND_RUBRIC_CHANGED: "the rubric's indicators or scale changed since the last visit"
        => "los indicadores o la escala de la rúbrica cambiaron desde la visita anterior";
    TREND_NOT_SCORED_BEFORE: "the practice was not scored at the last visit"
        => "la práctica no se calificó en la visita anterior";
    TREND_NOT_SCORED_NOW: "the practice was not scored at this visit"
        => "la práctica no se calificó en esta visita";
    TREND_NO_SCORE: "no practice score at one of the two visits (not enough evidence)"
        => "una de las dos visitas no tiene puntaje de la práctica (aún no hay suficiente evidencia)";
    TREND_ADDED: "indicators added: {ids}" => "indicadores agregados: {ids}";
    TREND_REMOVED: "indicators removed: {ids}" => "indicadores quitados: {ids}";
    TREND_SCALE: "scale changed from {from} to {to} levels" => "la escala pasó de {from} a {to} niveles";
    TREND_NOT_A_POINTER: "`{pointer}` is not a JSON pointer" => "`{pointer}` no es un puntero JSON";
    TREND_POINTER_HELP: "a JSON pointer starts with `/`, e.g. `/extra/room` or `/setting`"
        => "un puntero JSON empieza con `/`, p. ej. `/extra/room` o `/setting`";
    TREND_REPORT_NO_FIELDS: "a report does not say which caregivers or fields the record had"
        => "un informe no dice qué cuidadores/as ni qué campos tenía el registro";
    TREND_GIVE_RECORDS: "give the records to group by caregiver or by a record field, or leave out the grouping"
        => "use los registros para agrupar por cuidador/a o por un campo del registro, o no agrupe";

    // Agreement (`rubrica agree`, the app's reliability view): why a kappa is undefined, what
    // to check in a pair, why ratings are not compared.
    KAPPA_NO_PAIRS: "no indicator was rated by both coaches, so there is nothing to compare"
        => "ningún indicador fue calificado por ambos/as acompañantes, así que no hay nada que comparar";
    KAPPA_MIXED_SCALES: "the practices use different scales, so their ratings cannot share one table; see each practice"
        => "las prácticas usan escalas distintas, así que sus calificaciones no caben en una misma tabla; vea cada práctica";
    KAPPA_CHANCE_IS_ONE: "both coaches gave every rating the same single level, so agreement expected by chance is 1 and kappa is undefined (the percentages still say how often they agreed)"
        => "ambos/as acompañantes dieron a todas las calificaciones un mismo y único nivel, así que la coincidencia esperada por azar es 1 y el kappa no está definido (los porcentajes igual dicen con qué frecuencia coincidieron)";
    PAIR_OTHER_DAY: "pair {n}: `{a}` is a visit on {date_a} and `{b}` one on {date_b}; agreement compares two records of the same visit"
        => "par {n}: `{a}` es una visita del {date_a} y `{b}`, una del {date_b}; la coincidencia compara dos registros de la misma visita";
    PAIR_OTHER_SETTING: "pair {n}: `{a}` is in a {setting_a} setting and `{b}` in a {setting_b} setting"
        => "par {n}: `{a}` es una visita {setting_a} y `{b}`, una {setting_b}";
    SETTING_CENTER: "center" => "en un centro";
    SETTING_FAMILY_CHILD_CARE: "family-child-care" => "en un hogar de cuidado infantil familiar";
    PAIR_OTHER_VERSION: "pair {n}: rubric `{id}` is version {version_a} in `{a}` and version {version_b} in `{b}`; ratings from different rubric versions are not compared"
        => "par {n}: la rúbrica `{id}` es la versión {version_a} en `{a}` y la versión {version_b} en `{b}`; no se comparan calificaciones de versiones distintas de una rúbrica";
    PAIR_OTHER_SHAPE: "pair {n}: rubric `{id}` {version} has {what} in `{a}` than in `{b}`"
        => "par {n}: la rúbrica `{id}` {version} tiene {what} en `{a}` que en `{b}`";
    PAIR_NOT_IN_OTHER: "pair {n}: rubric `{id}` rated `{has}` but is not in `{lacks}`"
        => "par {n}: la rúbrica `{id}` calificó `{has}`, pero no está en `{lacks}`";
    POOL_OTHER_VERSION: "rubric `{id}` is version {version} in pair {n} (`{a}`) but version {first_version} in pair {first}; ratings from different rubric versions are not pooled"
        => "la rúbrica `{id}` es la versión {version} en el par {n} (`{a}`), pero la versión {first_version} en el par {first}; no se juntan calificaciones de versiones distintas de una rúbrica";
    POOL_OTHER_SHAPE: "rubric `{id}` {version} has {what} in pair {n} (`{a}`) than in pair {first}"
        => "la rúbrica `{id}` {version} tiene {what} en el par {n} (`{a}`) que en el par {first}";
    OTHER_INDICATORS: "other indicators ({parts})" => "otros indicadores ({parts})";
    ONLY_HERE: "{ids} only here" => "{ids} solo aquí";
    ONLY_THERE: "{ids} only there" => "{ids} solo allá";
    ONLY_HERE_AND_THERE: "{here} only here; {there} only there" => "{here} solo aquí; {there} solo allá";
    IN_ANOTHER_ORDER: "them in another order" => "los mismos en otro orden";
    ANOTHER_SCALE: "another scale ({levels} rather than {other})" => "otra escala ({levels} en lugar de {other})";
    SCALE_LEVELS: "levels {first} to {last}" => "niveles {first} a {last}";
    SCALE_NO_LEVELS: "no levels" => "ningún nivel";
    SAME_RUBRICS: "score both visits with the same rubrics (the same version of each), or compare reports made with the same rubric set"
        => "califique ambas visitas con las mismas rúbricas (la misma versión de cada una) o compare informes hechos con el mismo conjunto de rúbricas";
    POOL_ONE_VERSION: "pooled agreement needs one version of each rubric: compare these pairs in separate runs, or score them again with the same rubrics"
        => "la coincidencia conjunta necesita una sola versión de cada rúbrica: compare estos pares por separado o vuelva a calificarlos con las mismas rúbricas";

    // Limits a coach can meet while scoring, on a slow or busy device.
    RAN_PAST_TIME: "indicator `{indicator}` ran past the rubric's time limit of {ms} ms"
        => "el indicador `{indicator}` superó el tiempo límite de la rúbrica, {ms} ms";
    RAN_PAST_TIME_HELP: "look for work that grows with each step: loops inside loops, or lists searched again on every pass"
        => "busque trabajo que crece con cada paso: ciclos dentro de ciclos o listas que se recorren de nuevo en cada vuelta";
    RAN_PAST_MEMORY: "indicator `{indicator}` used more memory than allowed ({mib} MiB)"
        => "el indicador `{indicator}` usó más memoria de la permitida ({mib} MiB)";
    RAN_PAST_MEMORY_HELP: "look for a string, list or map that keeps growing or is copied on every step"
        => "busque un texto, una lista o un mapa que sigue creciendo o que se copia en cada paso";
    RAN_PAST_OPERATIONS: "indicator `{indicator}` ran past its operation budget"
        => "el indicador `{indicator}` superó su límite de operaciones";
    RAN_PAST_OPERATIONS_HELP: "look for a loop that never ends or work that grows with each step"
        => "busque un ciclo que nunca termina o trabajo que crece con cada paso";
}

/// The line that ends the problems of a record that was not scored (`rubrica score`, and
/// [`crate::Workspace::report_text_in`]), in `lang` (a tag such as `es`; English for a language
/// the engine has no words in, and for `None`).
pub fn nothing_scored_in(problems: usize, lang: Option<&str>) -> String {
    Text::new(&NOTHING_SCORED)
        .arg("count", problems)
        .render(Lang::of(lang))
}

// The words of the plain-text trend and agreement (`Trend::to_text_in`,
// `Agreement::to_text_in`): templates as the catalogue's, but not in [`ALL`]: they are never
// looked up as phrases, so a build that does not print those texts (the browser module) leaves
// them out.
templates! {
    /// Every template of the plain-text trend and agreement.
    #[cfg(test)]
    TEXT_WORDS;
    // Counts.
    N_VISIT: "{n} visit" => "{n} visita";
    N_VISITS: "{n} visits" => "{n} visitas";
    N_LEVEL: "{n} level" => "{n} nivel";
    N_LEVELS: "{n} levels" => "{n} niveles";
    N_INDICATOR: "{n} indicator" => "{n} indicador";
    N_INDICATORS: "{n} indicators" => "{n} indicadores";

    // `rubrica trend`, as text.
    TT_NO_VISIT: "No visit to show." => "No hay visitas para mostrar.";
    TT_CAREGIVER: "caregiver {id}" => "cuidador/a {id}";
    TT_VISITS_GIVEN: "the visits given" => "las visitas indicadas";
    TT_OVER_TIME: "Over time: {who} — {visits}" => "A lo largo del tiempo: {who} — {visits}";
    TT_SCORES: "Practice scores, oldest first"
        => "Puntajes de las prácticas, de la visita más antigua a la más reciente";
    TT_NOT_ENOUGH: "not enough evidence" => "sin evidencia suficiente";
    TT_COULD_NOT_SCORE: "could not score" => "no se pudo calificar";
    TT_UP: " (up {change} since the last visit)" => " (sube {change} desde la última visita)";
    TT_DOWN: " (down {change} since the last visit)" => " (baja {change} desde la última visita)";
    TT_SAME: " (the same as at the last visit)" => " (igual que en la última visita)";
    TT_COVERAGE: "; {rated} of {total} indicators rated at the latest visit"
        => "; {rated} de {total} indicadores calificados en la visita más reciente";
    TT_INDICATOR_UP: "{indicator}: up {levels}" => "{indicator}: sube {levels}";
    TT_INDICATOR_DOWN: "{indicator}: down {levels}" => "{indicator}: baja {levels}";
    TT_GROWING: "Growing since the last visit" => "Lo que creció desde la última visita";
    TT_NONE_UP: "(no indicator moved up since the last visit)"
        => "(ningún indicador subió desde la última visita)";
    TT_LOOK_TOGETHER: "To look at together (lower than at the last visit)"
        => "Para mirar juntos/as (más bajo que en la última visita)";
    TT_BREAK: "{title}: version {from} to {to} before visit {n} ({reason}); no change is computed across it"
        => "{title}: versión {from} a {to} antes de la visita {n} ({reason}); no se calcula el cambio entre una y otra";
    TT_NEW_VERSION: "{title}: version {from} to {to} before visit {n} (same indicators and scale; compared)"
        => "{title}: versión {from} a {to} antes de la visita {n} (los mismos indicadores y escala; se compara)";
    TT_VERSIONS: "Rubric versions" => "Versiones de las rúbricas";
    TT_LEFT_OUT: "Left out" => "Visitas que quedaron fuera";

    // `rubrica agree`, as text.
    AT_HEADING: "Agreement between two coaches — {visits}"
        => "Coincidencia entre dos acompañantes — {visits}";
    AT_VISIT: "Visit {n}: {a} and {b}" => "Visita {n}: {a} y {b}";
    AT_COACH: ", coach {id}" => ", acompañante {id}";
    AT_CHECK_FIRST: "Check first" => "Revise primero";
    AT_WHERE_AGREE: "Where you agree" => "Dónde coinciden";
    AT_NOTHING: "No indicator was rated by both of you yet, so there is nothing to compare."
        => "Aún ningún indicador fue calificado por ambos/as, así que no hay nada que comparar.";
    AT_SUMMARY: "Of the {compared} you both rated, you gave the same level to {exact} ({exact_pct}) and levels at most one apart to {within} ({within_pct})."
        => "Ambos/as calificaron {compared}: dieron el mismo nivel a {exact} ({exact_pct}) y niveles con a lo sumo uno de diferencia a {within} ({within_pct}).";
    AT_KAPPA: "Cohen's kappa (agreement beyond chance): {kappa}; with quadratic weights (near misses count partly): {weighted}."
        => "Kappa de Cohen (coincidencia más allá del azar): {kappa}; con pesos cuadráticos (las diferencias pequeñas cuentan en parte): {weighted}.";
    AT_NOT_COMPARED_COUNT: "Not compared: {one} rated by one of you only, {neither} by neither (listed at the end)."
        => "Sin comparar: {one} calificados por solo uno/a de ustedes, {neither} por ninguno/a (aparecen al final).";
    AT_BY_PRACTICE: "By practice" => "Por práctica";
    AT_TALK_THROUGH: "To talk through together (rated differently)"
        => "Para conversar juntos/as (calificados de manera distinta)";
    AT_ALL_SAME: "(none: every indicator you both rated got the same level)"
        => "(ninguno: cada indicador que ambos/as calificaron recibió el mismo nivel)";
    AT_APART: " ({levels} apart)" => " ({levels} de diferencia)";
    AT_VISIT_SUFFIX: ", visit {n}" => ", visita {n}";
    AT_SEEN: "Seen: {note}" => "Observado: {note}";
    AT_RECORDED: "Recorded: {value}{note} ({path})" => "Registrado: {value}{note} ({path})";
    AT_EVIDENCE: "Evidence: {paths}" => "Evidencia: {paths}";
    AT_NONE_CITED: "(none cited)" => "(ninguna citada)";
    AT_NOT_RATED: "Not compared: rated by one of you only, or by neither"
        => "Sin comparar: calificados por solo uno/a de ustedes, o por ninguno/a";
    AT_NOT_COMPARED: "Practices that could not be compared" => "Prácticas que no se pudieron comparar";
    AT_EITHER_RECORD: "either record" => "ninguno de los dos registros";
    AT_COULD_NOT_RATE: "{title}: could not rate {who}; run `rubrica score` on it to see why"
        => "{title}: no se pudo calificar {who}; ejecute `rubrica score` con ese registro para ver por qué";
    AT_KAPPA_NOTE: "Kappa corrects agreement for chance; with few ratings it moves a lot. Read it beside the percentages and the differences above (docs/agreement.md)."
        => "El kappa corrige la coincidencia por azar; con pocas calificaciones varía mucho. Léalo junto a los porcentajes y las diferencias de arriba (docs/agreement.md).";
    AT_NO_KAPPA: "none ({reason})" => "ninguno ({reason})";
    AT_UNDEFINED: "undefined" => "no definido";
    AT_NONE_BY_BOTH: "none rated by both ({one} by one only, {neither} by neither)"
        => "ninguno calificado por ambos/as ({one} por solo uno/a, {neither} por ninguno/a)";
    AT_STATS: "same level {exact} of {compared} ({exact_pct}), within one {within} ({within_pct}), kappa {kappa}, weighted {weighted}"
        => "mismo nivel {exact} de {compared} ({exact_pct}), a lo sumo uno de diferencia {within} ({within_pct}), kappa {kappa}, ponderado {weighted}";
    AT_STATS_NOT_COMPARED: "; not compared: {one} by one only, {neither} by neither"
        => "; sin comparar: {one} por solo uno/a, {neither} por ninguno/a";
    OUTCOME_RATED: "rated" => "calificado";
    OUTCOME_NOT_ENOUGH: "not enough evidence" => "aún no hay suficiente evidencia";
    OUTCOME_NOT_APPLICABLE: "not applicable" => "no aplica";
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each template of `list` has both languages, with the same placeholders, and is
    /// translated unless named in `same_in_both`.
    fn both_languages(list: &[&Template], same_in_both: &[&str]) {
        for t in list {
            assert!(
                !t.en.trim().is_empty() && !t.es.trim().is_empty(),
                "{} is blank",
                t.name
            );
            let (mut en, mut es) = (placeholders(t.en), placeholders(t.es));
            en.sort_unstable();
            es.sort_unstable();
            assert_eq!(en, es, "{}: `{}` / `{}`", t.name, t.en, t.es);
            if !same_in_both.contains(&t.name) {
                assert_ne!(t.en, t.es, "{} is not translated", t.name);
            }
        }
    }

    #[test]
    fn every_template_has_both_languages_with_the_same_placeholders() {
        // Written the same in both: a text kept as it is, and "error".
        both_languages(ALL, &["AS_WRITTEN", "SEVERITY_ERROR"]);
    }

    #[test]
    fn every_word_of_the_text_outputs_has_both_languages_with_the_same_placeholders() {
        both_languages(TEXT_WORDS, &[]);
    }

    #[test]
    fn every_template_is_declared_once_and_phrases_are_found_by_their_english() {
        for (i, t) in ALL.iter().enumerate() {
            assert!(
                ALL.iter().skip(i + 1).all(|o| o.en != t.en),
                "{}: the same English twice would find one of them only",
                t.name
            );
        }
        assert_eq!(phrase("a caregiver"), Some(&P_CAREGIVER));
        assert_eq!(phrase("nothing of the kind"), None);
        assert_eq!(
            phrase(AT_PATH.en),
            None,
            "a template with placeholders is no phrase"
        );
        assert!(Text::phrase("add the time as `HH:MM`").is_translated());
        assert!(
            Text::phrase(H_CAREGIVERS.en).is_translated(),
            "a hint with a JSON example is a phrase"
        );
        let kept = Text::phrase("say something new");
        assert_eq!(kept.render(Lang::Es), "say something new");
        assert!(!kept.is_translated());
    }

    #[test]
    fn every_code_has_a_spanish_summary() {
        for &code in Code::ALL {
            let es = code.summary_in(Some("es"));
            assert!(!es.trim().is_empty(), "{code}");
            assert_ne!(es, code.summary(), "{code} has no Spanish summary");
            assert_eq!(code.summary_in(Some("es-MX")), es);
            assert_eq!(code.summary_in(None), code.summary());
            assert_eq!(code.summary_in(Some("fr")), code.summary());
        }
    }

    #[test]
    fn values_fill_their_placeholders_in_each_language_and_braces_stay() {
        let t = Text::new(&EXPECTED)
            .arg("expected", Arg::phrase("a caregiver"))
            .arg("found", describe(&serde_json::json!([1, 2])));
        assert_eq!(
            t.render(Lang::En),
            "expected a caregiver, found a list of 2 entries"
        );
        assert_eq!(
            t.render(Lang::Es),
            "se esperaba una entrada de cuidador/a; se encontró una lista de 2 elementos"
        );
        assert!(t.is_translated());
        let odd = Text::new(&EXPECTED)
            .arg("expected", Arg::phrase("a unicorn"))
            .arg("found", "`{found}` {\"x\": 1}");
        assert_eq!(
            odd.render(Lang::Es),
            "se esperaba a unicorn; se encontró `{found}` {\"x\": 1}",
            "values are written as they are, never filled in again"
        );
        assert!(!odd.is_translated());
        let help = Text::new(&H_CAREGIVERS);
        assert_eq!(
            help.render(Lang::En),
            H_CAREGIVERS.en,
            "JSON braces are no placeholders"
        );
    }

    #[test]
    fn a_tag_finds_its_language() {
        assert_eq!(Lang::of(Some("es")), Lang::Es);
        assert_eq!(Lang::of(Some("ES-419")), Lang::Es);
        assert_eq!(Lang::of(Some("en-GB")), Lang::En);
        assert_eq!(Lang::of(Some("est")), Lang::En);
        assert_eq!(Lang::of(None), Lang::En);
    }
}
