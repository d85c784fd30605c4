//! Reflection records: a practitioner's reflection on one working relationship over a period,
//! written after it. Two kinds share one shape and differ in the values a few fields allow:
//! a coach's or technical-assistance provider's reflection on a relationship with a program
//! (`rubrica.ta-reflection/1`, docs/ta-reflection-format.md) and a practitioner's reflection on
//! a partnership with a family (`rubrica.family-partnership/1`,
//! docs/family-partnership-format.md).
//!
//! Each is validated like the observation record: every problem at once, each at its JSON path
//! with what to change; fields the format does not define are refused.

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::diagnostic_text::{self as catalogue, Arg, Text};
use crate::ids::read_id;
use crate::json::{join, Walker};
use crate::record::{
    is_date, optional_list_of, optional_text_of, read_extra, read_item_value, read_items,
    ItemValue, Observation, Parsed, MAX_ID, MAX_LIST, OBSERVATION_FORMAT,
};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// The format tag of a coach's or TA provider's reflection on a relationship with a program.
pub const TA_REFLECTION_FORMAT: &str = "rubrica.ta-reflection/1";
/// The format tag of a practitioner's reflection on a partnership with a family.
pub const FAMILY_PARTNERSHIP_FORMAT: &str = "rubrica.family-partnership/1";

/// Most contacts one reflection may list.
pub(crate) const MAX_CONTACTS: usize = 200;
/// Most goals one reflection may list.
pub(crate) const MAX_GOALS: usize = 50;
/// Longest contact, in minutes.
pub(crate) const CONTACT_MINUTES: (i64, i64) = (1, 600);
/// Most times one goal may have been revisited.
pub(crate) const MAX_REVISITED: i64 = 1000;
/// Longest contact topic, in characters.
pub(crate) const MAX_TOPIC: usize = 200;
/// Longest note, in characters.
pub(crate) const MAX_NOTE: usize = 2000;

/// Who started a contact.
pub(crate) const INITIATED_BY: &[&str] = &["partner", "author"];
/// Who set a goal.
pub(crate) const SET_BY: &[&str] = &["partner", "jointly", "author"];
/// Where a goal stands.
pub(crate) const GOAL_STATUSES: &[&str] = &["not-started", "in-progress", "met", "set-aside"];

/// The values of the fields that differ between the two reflection kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct KindValues {
    /// `/author/role`.
    pub author_roles: &'static [&'static str],
    /// `/partner/kind`.
    pub partner_kinds: &'static [&'static str],
    /// `/contacts/*/mode`.
    pub contact_modes: &'static [&'static str],
}

pub(crate) const TA_VALUES: KindValues = KindValues {
    author_roles: &["coach", "ta-provider", "mentor", "trainer", "consultant"],
    partner_kinds: &["program", "caregiver", "director", "team"],
    contact_modes: &["on-site", "virtual", "phone", "written"],
};

pub(crate) const FAMILY_VALUES: KindValues = KindValues {
    author_roles: &[
        "caregiver",
        "home-visitor",
        "family-advocate",
        "coach",
        "director",
    ],
    partner_kinds: &["family"],
    contact_modes: &["in-person", "home-visit", "phone", "virtual", "written"],
};

/// The kinds of record the engine reads; a rubric rates one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RecordKind {
    /// A coach's observation of one visit (`rubrica.observation/1`).
    Observation,
    /// A coach's or TA provider's reflection on a relationship with a program.
    TaReflection,
    /// A practitioner's reflection on a partnership with a family.
    FamilyPartnership,
}

impl RecordKind {
    /// Every kind, observations first.
    pub const ALL: [RecordKind; 3] = [
        RecordKind::Observation,
        RecordKind::TaReflection,
        RecordKind::FamilyPartnership,
    ];

    /// The format tag records of this kind carry.
    pub fn format(self) -> &'static str {
        match self {
            RecordKind::Observation => OBSERVATION_FORMAT,
            RecordKind::TaReflection => TA_REFLECTION_FORMAT,
            RecordKind::FamilyPartnership => FAMILY_PARTNERSHIP_FORMAT,
        }
    }

    /// The kind whose records carry `format`.
    pub fn from_format(format: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.format() == format)
    }

    /// The format tags the engine reads, for help texts.
    pub fn formats() -> [&'static str; 3] {
        RecordKind::ALL.map(RecordKind::format)
    }

    /// The record in a few words, for messages ("an observation record").
    pub fn noun(self) -> &'static str {
        match self {
            RecordKind::Observation => "an observation record",
            RecordKind::TaReflection => "a TA reflection record",
            RecordKind::FamilyPartnership => "a family partnership record",
        }
    }

    /// The fields each object of this kind of record accepts, by location (`*` is any list
    /// index or key). The kind's JSON Schema in `docs/` is checked against this by a test.
    pub fn fields(self) -> &'static [(&'static str, &'static [&'static str])] {
        match self {
            RecordKind::Observation => crate::record::RECORD_FIELDS,
            RecordKind::TaReflection | RecordKind::FamilyPartnership => REFLECTION_FIELDS,
        }
    }

    /// The values that differ between reflection kinds; `None` for observations.
    pub(crate) fn values(self) -> Option<&'static KindValues> {
        match self {
            RecordKind::Observation => None,
            RecordKind::TaReflection => Some(&TA_VALUES),
            RecordKind::FamilyPartnership => Some(&FAMILY_VALUES),
        }
    }
}

const TOP_FIELDS: &[&str] = &[
    "format",
    "id",
    "reflected_on",
    "author",
    "partner",
    "contacts",
    "goals",
    "items",
    "notes",
    "extra",
];
const AUTHOR_FIELDS: &[&str] = &["id", "role"];
const PARTNER_FIELDS: &[&str] = &["id", "kind"];
const CONTACT_FIELDS: &[&str] = &["on", "mode", "minutes", "initiated_by", "topic"];
const GOAL_FIELDS: &[&str] = &["id", "set_by", "status", "revisited"];
const ITEM_FIELDS: &[&str] = &["value", "note"];

/// The fields of each object of a reflection record, by location.
pub const REFLECTION_FIELDS: &[(&str, &[&str])] = &[
    ("", TOP_FIELDS),
    ("/author", AUTHOR_FIELDS),
    ("/partner", PARTNER_FIELDS),
    ("/contacts/*", CONTACT_FIELDS),
    ("/goals/*", GOAL_FIELDS),
    ("/items/*/*", ITEM_FIELDS),
];

/// Who wrote the reflection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Author {
    /// Pseudonymous id.
    pub id: String,
    /// Their role, from the kind's list.
    pub role: String,
}

/// Who the relationship is with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Partner {
    /// Pseudonymous id.
    pub id: String,
    /// A program, caregiver, director or team; or a family.
    pub kind: String,
}

/// One contact of the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contact {
    /// Its date, `YYYY-MM-DD`.
    pub on: String,
    /// How it happened, from the kind's list.
    pub mode: String,
    /// How long it lasted, when known.
    pub minutes: Option<i64>,
    /// `partner` or `author`.
    pub initiated_by: String,
    /// What it was about, in a few words.
    pub topic: Option<String>,
}

/// One goal of the relationship.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Goal {
    /// Id, unique in the record.
    pub id: String,
    /// `partner`, `jointly` or `author`.
    pub set_by: String,
    /// `not-started`, `in-progress`, `met` or `set-aside`.
    pub status: String,
    /// How many contacts looked at the goal again.
    pub revisited: i64,
}

/// One answered item of a reflection, filed under its rubric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReflectionItem {
    /// The answer.
    pub value: ItemValue,
    /// Optional note.
    pub note: Option<String>,
}

/// One reflection record, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reflection {
    /// Which kind of reflection (from `format`).
    #[serde(skip)]
    pub kind: RecordKind,
    /// The format tag.
    pub format: String,
    /// Record id.
    pub id: String,
    /// The date of the reflection, `YYYY-MM-DD`.
    pub reflected_on: String,
    /// Who wrote it.
    pub author: Author,
    /// Who the relationship is with.
    pub partner: Partner,
    /// The period's contacts.
    pub contacts: Vec<Contact>,
    /// The relationship's goals.
    pub goals: Vec<Goal>,
    /// Answered items, by rubric id then item id.
    pub items: BTreeMap<String, BTreeMap<String, ReflectionItem>>,
    /// Free-text notes.
    pub notes: Vec<String>,
    /// Host-defined data, kept as it is and never read by rubrics.
    pub extra: Option<Map<String, Value>>,
}

impl Reflection {
    /// The record as canonical JSON (the shape rubrics and evidence paths refer to).
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// How a reflection files its items, for the help of a misfiled one.
const ITEMS_EXAMPLE: &str = r#"{"relationship-based-ta": {"agreed-rhythm": {"value": "yes"}}}"#;

/// Reads a reflection record of `kind` (its `format` already matched).
pub(crate) fn read_reflection(w: &mut Walker, v: &Value, kind: RecordKind) -> Option<Reflection> {
    let values = kind.values()?;
    let map = w.object(v, "", "the reflection record", TOP_FIELDS)?;
    let format = map
        .get("format")
        .and_then(Value::as_str)
        .map(str::to_string);
    let id = w
        .required(
            map,
            "",
            "id",
            "give the record an id such as `ta-2026-03-02-prog12`",
        )
        .and_then(|v| read_id(w, v, "/id", "the record id", MAX_ID));
    let reflected_on = w
        .required(
            map,
            "",
            "reflected_on",
            "add the date of the reflection as `YYYY-MM-DD`",
        )
        .and_then(|v| read_date(w, v, "/reflected_on"));
    let author = read_party(
        w,
        map,
        Party {
            key: "author",
            what: "the author",
            example: "say who reflects, e.g. `{\"id\": \"ta-07\", \"role\": \"coach\"}`",
            fields: AUTHOR_FIELDS,
            id_help: "give the author a pseudonymous id",
            id_what: "the author id",
            field: "role",
            field_help: "say the author's role",
            field_what: "author role",
            values: values.author_roles,
        },
    )
    .map(|(id, role)| Author { id, role });
    let partner = read_party(
        w,
        map,
        Party {
            key: "partner",
            what: "the partner",
            example: "say who the relationship is with, e.g. `{\"id\": \"prog-12\", \"kind\": \"program\"}`",
            fields: PARTNER_FIELDS,
            id_help: "give the partner a pseudonymous id",
            id_what: "the partner id",
            field: "kind",
            field_help: "say who the partner is",
            field_what: "partner kind",
            values: values.partner_kinds,
        },
    )
    .map(|(id, kind)| Partner { id, kind });
    let contacts = optional_list_of(w, map, "contacts", MAX_CONTACTS, |w, v, p| {
        read_contact(w, v, p, values)
    });
    let goals = read_goals(w, map);
    let items = match map.get("items") {
        None => Some(BTreeMap::new()),
        Some(v) => read_items(w, v, ITEMS_EXAMPLE, |w, v, p| {
            let m = w.object(v, p, "an answered item", ITEM_FIELDS)?;
            let value = read_item_value(w, m, p, "record the answer, e.g. `\"value\": \"often\"`");
            let note = optional_text_of(w, m, p, "note", "text", MAX_NOTE);
            Some(ReflectionItem {
                value: value?,
                note: note?,
            })
        }),
    };
    let notes = optional_list_of(w, map, "notes", MAX_LIST, |w, v, p| {
        w.text(v, p, "a note (text)", MAX_NOTE)
    });
    let extra = read_extra(w, map);
    Some(Reflection {
        kind,
        format: format?,
        id: id?,
        reflected_on: reflected_on?,
        author: author?,
        partner: partner?,
        contacts: contacts?,
        goals: goals?,
        items: items?,
        notes: notes?,
        extra: extra?,
    })
}

fn read_date(w: &mut Walker, v: &Value, path: &str) -> Option<String> {
    let s = w.string(v, path, "a date `YYYY-MM-DD`")?;
    if is_date(&s) {
        return Some(s);
    }
    w.error(
        Diagnostic::error_text(
            Code::InvalidValue,
            Text::new(&catalogue::INVALID_DATE).arg("date", &s),
        )
        .with_help_text(Text::new(&catalogue::REFLECTION_DATE_HELP))
        .at_path(path),
    );
    None
}

/// How one party of the relationship (the author, the partner) is written: an object of a
/// pseudonymous `id` and one field from the kind's list.
struct Party {
    key: &'static str,
    what: &'static str,
    example: &'static str,
    fields: &'static [&'static str],
    id_help: &'static str,
    id_what: &'static str,
    field: &'static str,
    field_help: &'static str,
    field_what: &'static str,
    values: &'static [&'static str],
}

/// A party's id and its field's value.
fn read_party(w: &mut Walker, map: &Map<String, Value>, party: Party) -> Option<(String, String)> {
    let path = join("", party.key);
    let v = w.required(map, "", party.key, party.example)?;
    let m = w.object(v, &path, party.what, party.fields)?;
    let id = w
        .required(m, &path, "id", party.id_help)
        .and_then(|v| read_id(w, v, &join(&path, "id"), party.id_what, MAX_ID));
    let value = w
        .required(m, &path, party.field, party.field_help)
        .and_then(|v| w.choice(v, &join(&path, party.field), party.field_what, party.values));
    Some((id?, value?))
}

fn read_contact(w: &mut Walker, v: &Value, p: &str, values: &KindValues) -> Option<Contact> {
    let m = w.object(v, p, "a contact", CONTACT_FIELDS)?;
    let on = w
        .required(m, p, "on", "add the contact's date as `YYYY-MM-DD`")
        .and_then(|v| read_date(w, v, &join(p, "on")));
    let mode = w
        .required(m, p, "mode", "say how the contact happened")
        .and_then(|v| w.choice(v, &join(p, "mode"), "contact mode", values.contact_modes));
    let minutes = match m.get("minutes") {
        None | Some(Value::Null) => Some(None),
        Some(v) => w
            .integer(
                v,
                &join(p, "minutes"),
                "minutes of the contact",
                CONTACT_MINUTES.0,
                CONTACT_MINUTES.1,
            )
            .map(Some),
    };
    let initiated_by = w
        .required(
            m,
            p,
            "initiated_by",
            "say who started the contact: `partner` or `author`",
        )
        .and_then(|v| w.choice(v, &join(p, "initiated_by"), "starter", INITIATED_BY));
    let topic = optional_text_of(w, m, p, "topic", "text", MAX_TOPIC);
    Some(Contact {
        on: on?,
        mode: mode?,
        minutes: minutes?,
        initiated_by: initiated_by?,
        topic: topic?,
    })
}

fn read_goals(w: &mut Walker, map: &Map<String, Value>) -> Option<Vec<Goal>> {
    let mut seen = BTreeSet::new();
    optional_list_of(w, map, "goals", MAX_GOALS, |w, v, p| {
        let m = w.object(v, p, "a goal", GOAL_FIELDS)?;
        let id = w
            .required(m, p, "id", "give the goal an id such as `g1`")
            .and_then(|v| read_id(w, v, &join(p, "id"), "the goal id", MAX_ID));
        let id = id.and_then(|id| {
            if seen.insert(id.clone()) {
                Some(id)
            } else {
                w.error(
                    Diagnostic::error_text(
                        Code::DuplicateId,
                        Text::new(&catalogue::GOAL_ID_TWICE).arg("id", id),
                    )
                    .with_help_text(Text::new(&catalogue::GOAL_ID_TWICE_HELP))
                    .at_path(join(p, "id")),
                );
                None
            }
        });
        let set_by = w
            .required(
                m,
                p,
                "set_by",
                "say who set the goal: `partner`, `jointly` or `author`",
            )
            .and_then(|v| w.choice(v, &join(p, "set_by"), "goal setter", SET_BY));
        let status = w
            .required(
                m,
                p,
                "status",
                "say where the goal stands: `not-started`, `in-progress`, `met` or `set-aside`",
            )
            .and_then(|v| w.choice(v, &join(p, "status"), "goal status", GOAL_STATUSES));
        let revisited = match m.get("revisited") {
            None => Some(0),
            Some(v) => w.integer(
                v,
                &join(p, "revisited"),
                "times the goal was revisited",
                0,
                MAX_REVISITED,
            ),
        };
        Some(Goal {
            id: id?,
            set_by: set_by?,
            status: status?,
            revisited: revisited?,
        })
    })
}

/// A record of any kind the engine reads; it serializes as its canonical JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Record {
    /// An observation of one visit.
    Observation(Observation),
    /// A reflection on a relationship.
    Reflection(Reflection),
}

/// A record of any kind that parsed, with any warnings found on the way.
#[derive(Debug, Clone)]
pub struct ParsedRecord {
    /// The record.
    pub record: Record,
    /// Problems that did not stop parsing.
    pub warnings: Vec<Diagnostic>,
}

impl From<Parsed> for ParsedRecord {
    fn from(p: Parsed) -> ParsedRecord {
        ParsedRecord {
            record: Record::Observation(p.observation),
            warnings: p.warnings,
        }
    }
}

impl Record {
    /// Parses and validates a record of any kind from JSON text (its `format` says the kind),
    /// reporting every problem with its JSON path.
    pub fn parse(text: &str) -> Result<ParsedRecord, Diagnostics> {
        Record::from_value(&crate::record::record_json(text)?)
    }

    /// Parses the bytes of a record file, which must be UTF-8.
    pub fn parse_bytes(bytes: &[u8]) -> Result<ParsedRecord, Diagnostics> {
        match std::str::from_utf8(bytes) {
            Ok(text) => Record::parse(text),
            // The observation parser words the encoding problem.
            Err(_) => Observation::parse_bytes(bytes).map(ParsedRecord::from),
        }
    }

    /// Validates an already-parsed JSON value as a record of the kind its `format` names.
    ///
    /// A record whose `format` names no kind, or that has none, is read as the kind it most
    /// likely is, so its other problems are the ones that kind would have: a misspelt tag as the
    /// kind it is a typo of, a record with a reflection's fields as the reflection kind its
    /// values fit best, anything else as an observation. The tag's problem comes first.
    pub fn from_value(value: &Value) -> Result<ParsedRecord, Diagnostics> {
        if let Some(d) = newer_reflection(value) {
            return Err(Diagnostics(vec![d]));
        }
        let (kind, format_problem) = match value
            .get("format")
            .and_then(Value::as_str)
            .and_then(RecordKind::from_format)
        {
            Some(kind) => (kind, None),
            None => match likely_reflection(value) {
                Some((kind, problem)) => (kind, Some(problem)),
                None => (RecordKind::Observation, None),
            },
        };
        if kind == RecordKind::Observation {
            return Observation::from_value(value).map(ParsedRecord::from);
        }
        let mut w = Walker::new();
        if let Some(problem) = format_problem {
            w.error(problem);
        }
        match read_reflection(&mut w, value, kind) {
            Some(r) if w.errors.is_empty() => Ok(ParsedRecord {
                record: Record::Reflection(r),
                warnings: w.warnings,
            }),
            _ => {
                if w.errors.is_empty() {
                    // INVARIANT: every `None` above pushed an error; keep a message just in case.
                    w.errors.push(Diagnostic::error_text(
                        Code::InvalidValue,
                        Text::new(&catalogue::RECORD_INVALID),
                    ));
                }
                Err(Diagnostics(w.errors))
            }
        }
    }

    /// The record, borrowed.
    pub fn as_ref(&self) -> RecordRef<'_> {
        match self {
            Record::Observation(o) => RecordRef::Observation(o),
            Record::Reflection(r) => RecordRef::Reflection(r),
        }
    }
}

/// The one problem of a reflection written in a version of its format this engine does not
/// read (`rubrica.ta-reflection/2`): its fields cannot be judged, so only the version is said.
/// (A tag that names no kind is read as the kind the record most likely is: `likely_reflection`.)
fn newer_reflection(value: &Value) -> Option<Diagnostic> {
    let found = value.get("format").and_then(Value::as_str)?;
    if RecordKind::from_format(found).is_some() {
        return None;
    }
    let family = |format: &str| format.split('/').next().map(str::to_string);
    let kind = RecordKind::ALL
        .into_iter()
        .filter(|k| *k != RecordKind::Observation)
        .find(|k| family(k.format()) == family(found))?;
    Some(
        Diagnostic::error_text(
            Code::UnsupportedFormat,
            Text::new(&catalogue::UNSUPPORTED_FORMAT).arg("format", catalogue::excerpt(found)),
        )
        .with_help_text(Text::new(&catalogue::READS_FORMAT).arg("format", kind.format()))
        .at_path("/format"),
    )
}

/// Fields only a reflection has, and fields only an observation has: a record whose `format`
/// names no kind is taken for a reflection when it has some of the first and none of the second.
const REFLECTION_ONLY: &[&str] = &["reflected_on", "author", "partner", "contacts", "goals"];
const OBSERVATION_ONLY: &[&str] = &[
    "setting",
    "observed_on",
    "observer",
    "caregivers",
    "children",
    "headcounts",
];

/// The reflection kind a record whose `format` names no kind most likely is, with the tag's
/// problem; `None` when it is better read as an observation (whose parser words the tag's
/// problem itself). A tag within a typo of a kind's tag decides; otherwise a record with a
/// reflection's fields is the reflection kind whose lists its values fit with fewest problems.
fn likely_reflection(value: &Value) -> Option<(RecordKind, Diagnostic)> {
    let map = value.as_object()?;
    let tag = map.get("format");
    let found = tag.and_then(Value::as_str);
    // A tag far longer than any kind's is no typo of one (and is not compared letter by letter).
    let typo_of = |f: &str| {
        (f.len() <= 64)
            .then(|| crate::json::closest(f, &RecordKind::formats()))
            .flatten()
    };
    if let Some(close) = found.and_then(typo_of) {
        let kind = RecordKind::from_format(close).filter(|k| *k != RecordKind::Observation)?;
        let problem = Diagnostic::error_text(
            Code::UnsupportedFormat,
            Text::new(&catalogue::UNSUPPORTED_FORMAT)
                .arg("format", catalogue::excerpt(found.unwrap_or_default())),
        )
        .with_help_text(Text::new(&catalogue::DID_YOU_MEAN).arg("name", close))
        .at_path("/format");
        return Some((kind, problem));
    }
    let shaped = REFLECTION_ONLY.iter().any(|k| map.contains_key(*k))
        && !OBSERVATION_ONLY.iter().any(|k| map.contains_key(*k));
    if !shaped {
        return None;
    }
    let kind = RecordKind::ALL
        .into_iter()
        .filter(|k| *k != RecordKind::Observation)
        .min_by_key(|k| {
            let mut w = Walker::new();
            read_reflection(&mut w, value, *k);
            w.errors.len()
        })?;
    let help = Text::new(&catalogue::FORMAT_OF_KIND)
        .arg("kind", Arg::phrase(kind.noun()))
        .arg("format", kind.format());
    let problem = match (tag, found) {
        (None, _) => Diagnostic::error_text(
            Code::MissingField,
            Text::new(&catalogue::MISSING_FIELD).arg("key", "format"),
        ),
        (Some(_), Some(found)) => Diagnostic::error_text(
            Code::UnsupportedFormat,
            Text::new(&catalogue::UNSUPPORTED_FORMAT).arg("format", catalogue::excerpt(found)),
        ),
        (Some(other), None) => Diagnostic::error_text(
            Code::WrongType,
            Text::new(&catalogue::EXPECTED)
                .arg("expected", Arg::phrase("the format tag (text)"))
                .arg("found", catalogue::describe(other)),
        ),
    };
    Some((kind, problem.with_help_text(help).at_path("/format")))
}

/// A record of any kind, borrowed: what scoring reads.
#[derive(Debug, Clone, Copy)]
pub enum RecordRef<'a> {
    /// An observation of one visit.
    Observation(&'a Observation),
    /// A reflection on a relationship.
    Reflection(&'a Reflection),
}

impl<'a> From<&'a Observation> for RecordRef<'a> {
    fn from(o: &'a Observation) -> RecordRef<'a> {
        RecordRef::Observation(o)
    }
}

impl<'a> From<&'a Reflection> for RecordRef<'a> {
    fn from(r: &'a Reflection) -> RecordRef<'a> {
        RecordRef::Reflection(r)
    }
}

impl<'a> From<&'a Record> for RecordRef<'a> {
    fn from(r: &'a Record) -> RecordRef<'a> {
        r.as_ref()
    }
}

impl<'a> RecordRef<'a> {
    /// Its kind.
    pub fn kind(self) -> RecordKind {
        match self {
            RecordRef::Observation(_) => RecordKind::Observation,
            RecordRef::Reflection(r) => r.kind,
        }
    }

    /// Its id.
    pub fn id(self) -> &'a str {
        match self {
            RecordRef::Observation(o) => &o.id,
            RecordRef::Reflection(r) => &r.id,
        }
    }

    /// The date it is about: the visit's, or the reflection's.
    pub fn date(self) -> &'a str {
        match self {
            RecordRef::Observation(o) => &o.observed_on,
            RecordRef::Reflection(r) => &r.reflected_on,
        }
    }

    /// The observation, for what only observations have.
    pub fn observation(self) -> Option<&'a Observation> {
        match self {
            RecordRef::Observation(o) => Some(o),
            RecordRef::Reflection(_) => None,
        }
    }

    /// The values recorded for rubric `rubric`'s items, by item id; `None` when the record files
    /// nothing under the rubric.
    pub fn item_values(self, rubric: &str) -> Option<BTreeMap<&'a str, &'a ItemValue>> {
        match self {
            RecordRef::Observation(o) => o
                .items
                .get(rubric)
                .map(|m| m.iter().map(|(k, i)| (k.as_str(), &i.value)).collect()),
            RecordRef::Reflection(r) => r
                .items
                .get(rubric)
                .map(|m| m.iter().map(|(k, i)| (k.as_str(), &i.value)).collect()),
        }
    }

    /// The record as canonical JSON.
    pub fn to_json(self) -> Value {
        match self {
            RecordRef::Observation(o) => o.to_json(),
            RecordRef::Reflection(r) => r.to_json(),
        }
    }
}
