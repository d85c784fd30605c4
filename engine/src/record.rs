//! The observation record: what one coach saw and heard in one visit.

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::diagnostic_text::{self as catalogue, Arg, Text};
use crate::ids::read_id;
use crate::json::{join, join_index, parse_text, Walker};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// The format tag every record carries.
pub const OBSERVATION_FORMAT: &str = "rubrica.observation/1";

/// Oldest age (months) a record may give; PITC practices cover birth to 36 months, and a group
/// may hold a child a little past three while a transition is planned.
pub const MAX_AGE_MONTHS: i64 = 72;

/// Largest record text accepted, in bytes.
pub const MAX_RECORD_BYTES: usize = 2 * 1024 * 1024;

/// Longest text (a note, title, topic, answer or text item value), in characters.
pub(crate) const MAX_TEXT: usize = 4000;
/// Longest id (the record's, the observer's, a caregiver's or child's), in characters.
pub(crate) const MAX_ID: usize = 100;
/// Most entries of one list (caregivers, children, headcounts, interviews, materials, notes);
/// also the largest number of children or caregivers one headcount may give.
pub(crate) const MAX_LIST: usize = 500;
/// Most languages one caregiver or child may list.
pub(crate) const MAX_LANGUAGES: usize = 20;
/// Longest language tag, in characters.
pub(crate) const MAX_LANGUAGE_TAG: usize = 35;
/// Shortest and longest observation, in minutes.
pub(crate) const MINUTES: (i64, i64) = (1, 720);
/// Largest count an item may record.
pub(crate) const MAX_COUNT: i64 = 100_000;
/// Most moves to a new group or primary caregiver a record may give for one child.
pub(crate) const MAX_MOVES: i64 = 36;

/// The values of `setting`.
pub(crate) const SETTINGS: &[&str] = &["center", "family-child-care"];
/// The values of a caregiver's `role`.
pub(crate) const ROLES: &[&str] = &["teacher", "assistant", "provider", "substitute", "float"];
/// The values of a child's `primary_status`.
pub(crate) const PRIMARY_STATUSES: &[&str] = &["assigned", "none-assigned", "not-recorded"];
/// The values of an item's `method`.
pub(crate) const METHODS: &[&str] = &["observed", "interview", "materials"];
/// The values of a material's `kind`.
pub(crate) const MATERIAL_KINDS: &[&str] = &[
    "policy", "handbook", "plan", "schedule", "ifsp", "log", "other",
];
/// The values of a place's `kind`: a room of a center or a family child care home.
pub(crate) const PLACE_KINDS: &[&str] = &["room", "home"];
/// The role of a caregiver whose record leaves `role` out.
pub(crate) const DEFAULT_ROLE: &str = "teacher";
/// The kind of a material whose record leaves `kind` out.
pub(crate) const DEFAULT_MATERIAL_KIND: &str = "other";

/// Where the care happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Setting {
    /// A child care center.
    Center,
    /// A family child care home.
    FamilyChildCare,
}

impl Setting {
    /// The setting as the record format writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Setting::Center => "center",
            Setting::FamilyChildCare => "family-child-care",
        }
    }
}

/// How a piece of evidence was gathered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// Seen by the coach during the visit.
    Observed,
    /// Told to the coach by a caregiver, director or family.
    Interview,
    /// Read in program materials: policies, handbooks, plans.
    Materials,
}

impl Method {
    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Observed => "observed",
            Method::Interview => "interview",
            Method::Materials => "materials",
        }
    }
}

/// The room or home a record belongs to (pseudonymous id), so visits to the same place can be
/// followed over time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Place {
    /// `room` (a room of a center) or `home` (a family child care home).
    pub kind: String,
    /// Pseudonymous id, e.g. `rm-2` or `home-7`.
    pub id: String,
}

/// An adult caring for the group (pseudonymous id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Caregiver {
    /// Pseudonymous id, e.g. `cg-a`.
    pub id: String,
    /// `teacher`, `assistant`, `provider`, `substitute` or `float`.
    pub role: String,
    /// Languages the caregiver speaks with children (BCP 47 tags such as `en`, `es`).
    pub languages: Vec<String>,
}

/// A child in the observed group (pseudonymous id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Child {
    /// Pseudonymous id, e.g. `c1`.
    pub id: String,
    /// Age in whole months on the day of the observation.
    pub age_months: i64,
    /// Id of the assigned primary caregiver, if any.
    pub primary_caregiver: Option<String>,
    /// Whether a primary caregiver is assigned, none is, or the record does not say.
    pub primary_status: PrimaryStatus,
    /// How many months the child has been with that primary caregiver.
    pub months_with_primary: Option<i64>,
    /// How many months the child has been in this program (time in care), when recorded.
    pub months_in_care: Option<i64>,
    /// How many times the child has moved to a new group or primary caregiver in this program,
    /// when recorded.
    pub moves: Option<i64>,
    /// Languages spoken at home.
    pub home_languages: Vec<String>,
    /// Has an Individualized Family Service Plan (identified disability or delay).
    pub ifsp: bool,
}

/// Whether a child's primary caregiver was recorded. "Not recorded" is never read as "none".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PrimaryStatus {
    /// `primary_caregiver` names a caregiver.
    Assigned,
    /// The coach recorded that no primary caregiver is assigned (`primary_caregiver: null`).
    NoneAssigned,
    /// The record does not say (`primary_caregiver` left out).
    NotRecorded,
}

impl PrimaryStatus {
    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            PrimaryStatus::Assigned => "assigned",
            PrimaryStatus::NoneAssigned => "none-assigned",
            PrimaryStatus::NotRecorded => "not-recorded",
        }
    }
}

/// How many children and caregivers were present at one moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Headcount {
    /// Time of day, `HH:MM`.
    pub at: String,
    /// Children present.
    pub children: i64,
    /// Caregivers present and counted in ratio.
    pub caregivers: i64,
}

/// The value the coach recorded for an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ItemValue {
    /// Text: yes/no/not-observed, a frequency word, a choice, or a note.
    Text(String),
    /// A count.
    Count(i64),
}

/// One observed item, filed under its rubric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    /// What was recorded.
    pub value: ItemValue,
    /// How it was gathered.
    pub method: Method,
    /// The coach's note beside the item.
    pub note: Option<String>,
}

/// An interview answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Interview {
    /// Who answered: a caregiver id, `director` or `family`.
    pub with: String,
    /// What was asked about.
    pub topic: String,
    /// What they said, in the coach's words.
    pub answer: String,
}

/// A program document the coach reviewed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Material {
    /// Title of the document.
    pub title: String,
    /// `policy`, `handbook`, `plan`, `schedule`, `ifsp`, `log` or `other`.
    pub kind: String,
    /// What the coach noted in it.
    pub note: Option<String>,
}

/// One observation visit, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Observation {
    /// Always [`OBSERVATION_FORMAT`].
    pub format: String,
    /// Record id.
    pub id: String,
    /// Center or family child care home.
    pub setting: Setting,
    /// Visit date, `YYYY-MM-DD`.
    pub observed_on: String,
    /// Length of the observation in minutes.
    pub minutes: i64,
    /// Pseudonymous id of the coach.
    pub observer: Option<String>,
    /// The room or home observed, when the record names one.
    pub place: Option<Place>,
    /// Caregivers of the group.
    pub caregivers: Vec<Caregiver>,
    /// Children of the group.
    pub children: Vec<Child>,
    /// Headcounts over the visit (for ratios).
    pub headcounts: Vec<Headcount>,
    /// Observed items, by rubric id then item id.
    pub items: BTreeMap<String, BTreeMap<String, Item>>,
    /// Interview answers.
    pub interviews: Vec<Interview>,
    /// Program materials reviewed.
    pub materials: Vec<Material>,
    /// Free-text anecdotal notes.
    pub notes: Vec<String>,
    /// Host-defined data, kept as it is and never read by rubrics.
    pub extra: Option<Map<String, Value>>,
}

/// A record that parsed, with any warnings found on the way.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The record.
    pub observation: Observation,
    /// Problems that did not stop parsing (e.g. a child past 36 months).
    pub warnings: Vec<Diagnostic>,
}

impl Observation {
    /// Parses and validates a record from JSON text, reporting every problem with its JSON path.
    pub fn parse(text: &str) -> Result<Parsed, Diagnostics> {
        Self::from_value(&record_json(text)?)
    }

    /// Parses the bytes of a record file, which must be UTF-8.
    pub fn parse_bytes(bytes: &[u8]) -> Result<Parsed, Diagnostics> {
        match std::str::from_utf8(bytes) {
            Ok(text) => Self::parse(text),
            Err(e) => Err(Diagnostics(vec![Diagnostic::error_text(
                Code::JsonSyntax,
                Text::new(&catalogue::NOT_UTF8).arg("offset", e.valid_up_to()),
            )
            .with_help_text(Text::new(&catalogue::SAVE_AS_UTF8))])),
        }
    }

    /// Validates an already-parsed JSON value.
    pub fn from_value(value: &Value) -> Result<Parsed, Diagnostics> {
        if let Some(d) = other_kind(value) {
            return Err(Diagnostics(vec![d]));
        }
        let mut w = Walker::new();
        let obs = read_observation(&mut w, value);
        match obs {
            Some(observation) if w.errors.is_empty() => Ok(Parsed {
                observation,
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

    /// The record as canonical JSON (the shape rubrics and evidence paths refer to).
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// Looks a caregiver up by id.
    pub fn caregiver(&self, id: &str) -> Option<&Caregiver> {
        self.caregivers.iter().find(|c| c.id == id)
    }
}

/// The JSON of a record's text: at most [`MAX_RECORD_BYTES`], a leading byte-order mark allowed.
pub(crate) fn record_json(text: &str) -> Result<Value, Diagnostics> {
    if text.len() > MAX_RECORD_BYTES {
        return Err(Diagnostics(vec![Diagnostic::error_text(
            Code::TooLarge,
            Text::new(&catalogue::RECORD_TOO_LARGE)
                .arg("size", text.len())
                .arg("max", MAX_RECORD_BYTES),
        )
        .with_help_text(Text::new(&catalogue::ONE_RECORD_PER_VISIT))]));
    }
    // Some editors start UTF-8 files with a byte-order mark; it is not part of the JSON.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    parse_text(text, None).map_err(|d| Diagnostics(vec![d]))
}

/// The one problem of a record of another kind the engine reads (a reflection where an
/// observation is expected): its fields are not an observation's, so only the kind is said.
fn other_kind(value: &Value) -> Option<Diagnostic> {
    let found = value.get("format").and_then(Value::as_str)?;
    let other = crate::reflection::RecordKind::from_format(found)
        .filter(|k| *k != crate::reflection::RecordKind::Observation)?;
    Some(
        Diagnostic::error_text(
            Code::UnsupportedFormat,
            Text::new(&catalogue::OTHER_KIND_OF_RECORD)
                .arg("format", OBSERVATION_FORMAT)
                .arg("kind", Arg::phrase(other.noun()))
                .arg("found", found),
        )
        .with_help_text(Text::new(&catalogue::OTHER_KIND_OF_RECORD_HELP))
        .at_path("/format"),
    )
}

const TOP_FIELDS: &[&str] = &[
    "format",
    "id",
    "setting",
    "observed_on",
    "minutes",
    "observer",
    "place",
    "caregivers",
    "children",
    "headcounts",
    "items",
    "interviews",
    "materials",
    "notes",
    "extra",
];
const PLACE_FIELDS: &[&str] = &["kind", "id"];
const CAREGIVER_FIELDS: &[&str] = &["id", "role", "languages"];
const CHILD_FIELDS: &[&str] = &[
    "id",
    "age_months",
    "primary_caregiver",
    "primary_status",
    "months_with_primary",
    "months_in_care",
    "moves",
    "home_languages",
    "ifsp",
];
const HEADCOUNT_FIELDS: &[&str] = &["at", "children", "caregivers"];
const ITEM_FIELDS: &[&str] = &["value", "method", "note"];
const INTERVIEW_FIELDS: &[&str] = &["with", "topic", "answer"];
const MATERIAL_FIELDS: &[&str] = &["title", "kind", "note"];

/// The fields each object of the record format accepts, by location (`*` is any list index or
/// key). The JSON Schema in `docs/observation.schema.json` is checked against this by a test.
pub const RECORD_FIELDS: &[(&str, &[&str])] = &[
    ("", TOP_FIELDS),
    ("/place", PLACE_FIELDS),
    ("/caregivers/*", CAREGIVER_FIELDS),
    ("/children/*", CHILD_FIELDS),
    ("/headcounts/*", HEADCOUNT_FIELDS),
    ("/items/*/*", ITEM_FIELDS),
    ("/interviews/*", INTERVIEW_FIELDS),
    ("/materials/*", MATERIAL_FIELDS),
];

fn read_observation(w: &mut Walker, v: &Value) -> Option<Observation> {
    let map = w.object(v, "", "the observation record", TOP_FIELDS)?;
    let format = w
        .required(
            map,
            "",
            "format",
            "add `\"format\": \"rubrica.observation/1\"`",
        )
        .and_then(|f| w.string(f, "/format", "the format tag (text)"));
    if let Some(f) = &format {
        match crate::reflection::RecordKind::from_format(f) {
            // Another kind of record is refused whole before this (see `other_kind`).
            Some(_) => {}
            None => w.error(
                Diagnostic::error_text(
                    Code::UnsupportedFormat,
                    Text::new(&catalogue::UNSUPPORTED_FORMAT).arg("format", catalogue::excerpt(f)),
                )
                .with_help_text(
                    Text::new(&catalogue::READS_FORMAT).arg("format", OBSERVATION_FORMAT),
                )
                .at_path("/format"),
            ),
        }
    }
    let id = w
        .required(
            map,
            "",
            "id",
            "give the record an id such as `obs-2026-03-14-rm2`",
        )
        .and_then(|v| read_id(w, v, "/id", "the record id", MAX_ID));
    let setting = w
        .required(
            map,
            "",
            "setting",
            "add `\"setting\": \"center\"` or `\"family-child-care\"`",
        )
        .and_then(|v| w.choice(v, "/setting", "setting", SETTINGS))
        .map(|s| {
            if s == "center" {
                Setting::Center
            } else {
                Setting::FamilyChildCare
            }
        });
    let observed_on = w
        .required(map, "", "observed_on", "add the visit date as `YYYY-MM-DD`")
        .and_then(|v| w.string(v, "/observed_on", "a date `YYYY-MM-DD`"))
        .and_then(|s| check_date(w, &s).then_some(s));
    let minutes = w
        .required(
            map,
            "",
            "minutes",
            "add how many minutes the observation lasted",
        )
        .and_then(|v| w.integer(v, "/minutes", "minutes observed", MINUTES.0, MINUTES.1));
    let observer = match map.get("observer") {
        None | Some(Value::Null) => Some(None),
        Some(v) => read_id(w, v, "/observer", "the observer id", MAX_ID).map(Some),
    };
    let place = match map.get("place") {
        None | Some(Value::Null) => Some(None),
        Some(v) => read_place(w, v).map(Some),
    };
    let caregivers = w
        .required(
            map,
            "",
            "caregivers",
            "list the caregivers of the group, e.g. `[{\"id\": \"cg-a\", \"role\": \"teacher\"}]`",
        )
        .and_then(|v| read_caregivers(w, v));
    // References are checked against every caregiver id given, even when another part of the
    // caregiver list is wrong, so all problems show at once.
    let raw_caregivers = map.get("caregivers").and_then(Value::as_array);
    let cg_ids: Option<BTreeSet<String>> = raw_caregivers.map(|cs| {
        cs.iter()
            .filter_map(|c| c.get("id").and_then(Value::as_str).map(str::to_string))
            .collect()
    });
    let children = w
        .required(
            map,
            "",
            "children",
            "list the children of the group with `id` and `age_months`",
        )
        .and_then(|v| read_children(w, v, cg_ids.as_ref()));
    let listed_children = map.get("children").and_then(Value::as_array).map(Vec::len);
    let headcounts = optional_list(w, map, "headcounts", |w, v, p| {
        read_headcount(w, v, p, listed_children)
    });
    let items = match map.get("items") {
        None => Some(BTreeMap::new()),
        Some(v) => read_items(w, v, ITEMS_EXAMPLE, read_item),
    };
    let interviews = optional_list(w, map, "interviews", |w, v, p| {
        let m = w.object(v, p, "an interview answer", INTERVIEW_FIELDS)?;
        let with = w
            .required(m, p, "with", "say who answered")
            .and_then(|v| read_id(w, v, &join(p, "with"), "who answered", MAX_ID));
        let topic = w
            .required(m, p, "topic", "say what was asked")
            .and_then(|v| w.text(v, &join(p, "topic"), "the topic", MAX_TEXT));
        let answer = w
            .required(m, p, "answer", "write the answer in your words")
            .and_then(|v| w.text(v, &join(p, "answer"), "the answer", MAX_TEXT));
        Some(Interview {
            with: with?,
            topic: topic?,
            answer: answer?,
        })
    });
    let materials = optional_list(w, map, "materials", |w, v, p| {
        let m = w.object(v, p, "a reviewed document", MATERIAL_FIELDS)?;
        let title = w
            .required(m, p, "title", "name the document")
            .and_then(|v| w.text(v, &join(p, "title"), "the title", MAX_TEXT));
        let kind = match m.get("kind") {
            None => Some(DEFAULT_MATERIAL_KIND.to_string()),
            Some(v) => w.choice(v, &join(p, "kind"), "document kind", MATERIAL_KINDS),
        };
        let note = optional_text(w, m, p, "note");
        Some(Material {
            title: title?,
            kind: kind?,
            note: note?,
        })
    });
    let notes = optional_list(w, map, "notes", |w, v, p| {
        w.text(v, p, "a note (text)", MAX_TEXT)
    });
    let extra = read_extra(w, map);
    Some(Observation {
        format: format?,
        id: id?,
        setting: setting?,
        observed_on: observed_on?,
        minutes: minutes?,
        observer: observer?,
        place: place?,
        caregivers: caregivers?,
        children: children?,
        headcounts: headcounts?,
        items: items?,
        interviews: interviews?,
        materials: materials?,
        notes: notes?,
        extra: extra?,
    })
}

/// The record's `place`: `{"kind": "room" | "home", "id": "<pseudonymous id>"}`.
fn read_place(w: &mut Walker, v: &Value) -> Option<Place> {
    let m = w.object(v, "/place", "the room or home", PLACE_FIELDS)?;
    let kind = w
        .required(
            m,
            "/place",
            "kind",
            "say what the place is: `\"kind\": \"room\"` or `\"home\"`",
        )
        .and_then(|v| w.choice(v, "/place/kind", "kind of place", PLACE_KINDS));
    let id = w
        .required(
            m,
            "/place",
            "id",
            "give the room or home a pseudonymous id such as `rm-2`",
        )
        .and_then(|v| read_id(w, v, "/place/id", "the room or home id", MAX_ID));
    Some(Place {
        kind: kind?,
        id: id?,
    })
}

fn optional_text(
    w: &mut Walker,
    m: &Map<String, Value>,
    p: &str,
    key: &str,
) -> Option<Option<String>> {
    optional_text_of(w, m, p, key, "a note (text)", MAX_TEXT)
}

/// An optional text field of at most `max` characters (`null` or left out: `None`).
pub(crate) fn optional_text_of(
    w: &mut Walker,
    m: &Map<String, Value>,
    p: &str,
    key: &str,
    what: &str,
    max: usize,
) -> Option<Option<String>> {
    match m.get(key) {
        None | Some(Value::Null) => Some(None),
        Some(v) => w.text(v, &join(p, key), what, max).map(Some),
    }
}

/// The record's `extra`: host data kept as it is, an object or `null`.
pub(crate) fn read_extra(
    w: &mut Walker,
    map: &Map<String, Value>,
) -> Option<Option<Map<String, Value>>> {
    match map.get("extra") {
        None | Some(Value::Null) => Some(None),
        Some(Value::Object(o)) => Some(Some(o.clone())),
        Some(other) => {
            w.error(
                Diagnostic::error_text(
                    Code::WrongType,
                    Text::new(&catalogue::EXPECTED)
                        .arg("expected", Text::new(&catalogue::AN_OBJECT))
                        .arg("found", catalogue::describe(other)),
                )
                .at_path("/extra"),
            );
            None
        }
    }
}

/// Reads an optional list field, entry by entry, so every bad entry is reported.
fn optional_list<T>(
    w: &mut Walker,
    map: &Map<String, Value>,
    key: &str,
    read: impl FnMut(&mut Walker, &Value, &str) -> Option<T>,
) -> Option<Vec<T>> {
    optional_list_of(w, map, key, MAX_LIST, read)
}

/// [`optional_list`] of at most `max` entries.
pub(crate) fn optional_list_of<T>(
    w: &mut Walker,
    map: &Map<String, Value>,
    key: &str,
    max: usize,
    mut read: impl FnMut(&mut Walker, &Value, &str) -> Option<T>,
) -> Option<Vec<T>> {
    let Some(v) = map.get(key) else {
        return Some(Vec::new());
    };
    let path = join("", key);
    let arr = w.array(v, &path, "a list", max)?;
    let mut out = Vec::with_capacity(arr.len());
    let mut ok = true;
    for (i, entry) in arr.iter().enumerate() {
        match read(w, entry, &join_index(&path, i)) {
            Some(t) => out.push(t),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

fn check_date(w: &mut Walker, s: &str) -> bool {
    let valid = is_date(s);
    if !valid {
        w.error(
            Diagnostic::error_text(
                Code::InvalidValue,
                Text::new(&catalogue::INVALID_DATE).arg("date", s),
            )
            .with_help_text(Text::new(&catalogue::INVALID_DATE_HELP))
            .at_path("/observed_on"),
        );
    }
    valid
}

/// True for a calendar date written `YYYY-MM-DD` between the years 1900 and 2200.
pub(crate) fn is_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    match parts.as_slice() {
        [y, m, d]
            if y.len() == 4
                && m.len() == 2
                && d.len() == 2
                && s.bytes().all(|b| b.is_ascii_digit() || b == b'-') =>
        {
            match (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) {
                (Ok(y), Ok(m), Ok(d)) => {
                    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
                    let days = match m {
                        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
                        4 | 6 | 9 | 11 => 30,
                        2 if leap => 29,
                        2 => 28,
                        _ => 0,
                    };
                    (1900..=2200).contains(&y) && d >= 1 && d <= days
                }
                _ => false,
            }
        }
        _ => false,
    }
}

fn read_languages(w: &mut Walker, v: &Value, path: &str) -> Option<Vec<String>> {
    let arr = w.array(
        v,
        path,
        "a list of language tags such as [\"en\", \"es\"]",
        MAX_LANGUAGES,
    )?;
    let mut out = Vec::new();
    let mut ok = true;
    for (i, l) in arr.iter().enumerate() {
        let p = join_index(path, i);
        match w.text(l, &p, "a language tag such as `en`", MAX_LANGUAGE_TAG) {
            Some(s) if s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') => out.push(s),
            Some(s) => {
                ok = false;
                w.error(
                    Diagnostic::error_text(
                        Code::InvalidValue,
                        Text::new(&catalogue::NOT_A_LANGUAGE_TAG).arg("tag", s),
                    )
                    .with_help_text(Text::new(&catalogue::LANGUAGE_TAG_HELP))
                    .at_path(p),
                );
            }
            None => ok = false,
        }
    }
    ok.then_some(out)
}

fn read_caregivers(w: &mut Walker, v: &Value) -> Option<Vec<Caregiver>> {
    let arr = w.array(v, "/caregivers", "a list of caregivers", MAX_LIST)?;
    if arr.is_empty() {
        w.error(
            Diagnostic::error_text(Code::InvalidValue, Text::new(&catalogue::NO_CAREGIVERS))
                .with_help_text(Text::new(&catalogue::NO_CAREGIVERS_HELP))
                .at_path("/caregivers"),
        );
        return None;
    }
    let mut out = Vec::new();
    let mut ok = true;
    let mut seen = BTreeSet::new();
    for (i, c) in arr.iter().enumerate() {
        let p = join_index("/caregivers", i);
        let Some(m) = w.object(c, &p, "a caregiver", CAREGIVER_FIELDS) else {
            ok = false;
            continue;
        };
        let id = w
            .required(
                m,
                &p,
                "id",
                "give each caregiver a pseudonymous id such as `cg-a`",
            )
            .and_then(|v| read_id(w, v, &join(&p, "id"), "the caregiver id", MAX_ID));
        if let Some(id) = &id {
            if !seen.insert(id.clone()) {
                w.error(
                    Diagnostic::error_text(
                        Code::DuplicateId,
                        Text::new(&catalogue::CAREGIVER_ID_TWICE).arg("id", id),
                    )
                    .with_help_text(Text::new(&catalogue::CAREGIVER_ID_TWICE_HELP))
                    .at_path(join(&p, "id")),
                );
                ok = false;
            }
        }
        let role = match m.get("role") {
            None => Some(DEFAULT_ROLE.to_string()),
            Some(v) => w.choice(v, &join(&p, "role"), "caregiver role", ROLES),
        };
        let languages = match m.get("languages") {
            None => Some(Vec::new()),
            Some(v) => read_languages(w, v, &join(&p, "languages")),
        };
        match (id, role, languages) {
            (Some(id), Some(role), Some(languages)) => out.push(Caregiver {
                id,
                role,
                languages,
            }),
            _ => ok = false,
        }
    }
    ok.then_some(out)
}

fn read_children(
    w: &mut Walker,
    v: &Value,
    caregivers: Option<&BTreeSet<String>>,
) -> Option<Vec<Child>> {
    let arr = w.array(v, "/children", "a list of children", MAX_LIST)?;
    if arr.is_empty() {
        w.error(
            Diagnostic::error_text(Code::InvalidValue, Text::new(&catalogue::NO_CHILDREN))
                .with_help_text(Text::new(&catalogue::NO_CHILDREN_HELP))
                .at_path("/children"),
        );
        return None;
    }
    let mut out = Vec::new();
    let mut ok = true;
    let mut seen = BTreeSet::new();
    for (i, c) in arr.iter().enumerate() {
        let p = join_index("/children", i);
        let Some(m) = w.object(c, &p, "a child", CHILD_FIELDS) else {
            ok = false;
            continue;
        };
        let id = w
            .required(
                m,
                &p,
                "id",
                "give each child a pseudonymous id such as `c1`",
            )
            .and_then(|v| read_id(w, v, &join(&p, "id"), "the child id", MAX_ID));
        if let Some(id) = &id {
            if !seen.insert(id.clone()) {
                w.error(
                    Diagnostic::error_text(
                        Code::DuplicateId,
                        Text::new(&catalogue::CHILD_ID_TWICE).arg("id", id),
                    )
                    .with_help_text(Text::new(&catalogue::CHILD_ID_TWICE_HELP))
                    .at_path(join(&p, "id")),
                );
                ok = false;
            }
        }
        let age = w
            .required(m, &p, "age_months", "add the child's age in whole months")
            .and_then(|v| {
                w.integer(
                    v,
                    &join(&p, "age_months"),
                    "age in months",
                    0,
                    MAX_AGE_MONTHS,
                )
            });
        if let Some(a) = age {
            if a >= 36 {
                w.warn(
                    Diagnostic::warning_text(
                        Code::PastThirtySixMonths,
                        Text::new(&catalogue::PAST_36_MONTHS).arg("age", a),
                    )
                    .with_help_text(Text::new(&catalogue::PAST_36_MONTHS_HELP))
                    .at_path(join(&p, "age_months")),
                );
            }
        }
        let primary = match m.get("primary_caregiver") {
            None | Some(Value::Null) => Some(None),
            Some(v) => {
                let pp = join(&p, "primary_caregiver");
                match read_id(w, v, &pp, "a caregiver id", MAX_ID) {
                    Some(cg) => match caregivers {
                        Some(ids) if !ids.contains(&cg) => {
                            let known: Vec<&str> = ids.iter().map(String::as_str).collect();
                            let d = Diagnostic::error_text(
                                Code::UnknownReference,
                                Text::new(&catalogue::PRIMARY_NOT_LISTED).arg("id", &cg),
                            )
                            .at_path(pp);
                            let d = d.with_help_text(match crate::json::closest(&cg, &known) {
                                Some(s) => Text::new(&catalogue::DID_YOU_MEAN).arg("name", s),
                                None => Text::new(&catalogue::USE_ONE_OR_ADD_CAREGIVER)
                                    .arg("ids", crate::json::quoted(&known)),
                            });
                            w.error(d);
                            None
                        }
                        _ => Some(Some(cg)),
                    },
                    None => None,
                }
            }
        };
        let months_with = match m.get("months_with_primary") {
            None | Some(Value::Null) => Some(None),
            Some(v) => w
                .integer(
                    v,
                    &join(&p, "months_with_primary"),
                    "months with the primary caregiver",
                    0,
                    MAX_AGE_MONTHS,
                )
                .map(Some),
        };
        if let (Some(Some(mw)), Some(a)) = (months_with, age) {
            if mw > a {
                w.error(
                    Diagnostic::error_text(
                        Code::Inconsistent,
                        Text::new(&catalogue::WITH_PRIMARY_OVER_AGE)
                            .arg("months", mw)
                            .arg("age", a),
                    )
                    .with_help_text(Text::new(&catalogue::WITH_PRIMARY_OVER_AGE_HELP))
                    .at_path(join(&p, "months_with_primary")),
                );
            }
        }
        if let (Some(Some(_)), Some(None)) = (months_with, &primary) {
            w.error(
                Diagnostic::error_text(
                    Code::Inconsistent,
                    Text::new(&catalogue::WITH_PRIMARY_WITHOUT_PRIMARY),
                )
                .with_help_text(Text::new(&catalogue::WITH_PRIMARY_WITHOUT_PRIMARY_HELP))
                .at_path(join(&p, "months_with_primary")),
            );
        }
        let status = read_primary_status(w, m, &p, primary.as_ref());
        let months_in_care = match m.get("months_in_care") {
            None | Some(Value::Null) => Some(None),
            Some(v) => w
                .integer(
                    v,
                    &join(&p, "months_in_care"),
                    "months in this program",
                    0,
                    MAX_AGE_MONTHS,
                )
                .map(Some),
        };
        if let (Some(Some(mc)), Some(a)) = (months_in_care, age) {
            if mc > a {
                w.error(
                    Diagnostic::error_text(
                        Code::Inconsistent,
                        Text::new(&catalogue::IN_CARE_OVER_AGE)
                            .arg("months", mc)
                            .arg("age", a),
                    )
                    .with_help_text(Text::new(&catalogue::IN_CARE_OVER_AGE_HELP))
                    .at_path(join(&p, "months_in_care")),
                );
            }
        }
        if let (Some(Some(mc)), Some(Some(mw))) = (months_in_care, months_with) {
            if mw > mc {
                w.error(
                    Diagnostic::error_text(
                        Code::Inconsistent,
                        Text::new(&catalogue::WITH_PRIMARY_OVER_IN_CARE)
                            .arg("months", mw)
                            .arg("in_care", mc),
                    )
                    .with_help_text(Text::new(&catalogue::WITH_PRIMARY_OVER_IN_CARE_HELP))
                    .at_path(join(&p, "months_with_primary")),
                );
            }
        }
        let moves = match m.get("moves") {
            None | Some(Value::Null) => Some(None),
            Some(v) => w
                .integer(
                    v,
                    &join(&p, "moves"),
                    "moves to a new group or primary caregiver",
                    0,
                    MAX_MOVES,
                )
                .map(Some),
        };
        let langs = match m.get("home_languages") {
            None => Some(Vec::new()),
            Some(v) => read_languages(w, v, &join(&p, "home_languages")),
        };
        let ifsp = match m.get("ifsp") {
            None => Some(false),
            Some(v) => w.boolean(v, &join(&p, "ifsp"), "`true` or `false`"),
        };
        match (
            (id, age, primary, status),
            (months_with, months_in_care, moves),
            (langs, ifsp),
        ) {
            (
                (Some(id), Some(age_months), Some(primary_caregiver), Some(primary_status)),
                (Some(months_with_primary), Some(months_in_care), Some(moves)),
                (Some(home_languages), Some(ifsp)),
            ) => out.push(Child {
                id,
                age_months,
                primary_caregiver,
                primary_status,
                months_with_primary,
                months_in_care,
                moves,
                home_languages,
                ifsp,
            }),
            _ => ok = false,
        }
    }
    ok.then_some(out)
}

/// A child's `primary_status`: given, or read from `primary_caregiver` (an id: assigned;
/// `null`: none assigned; left out: not recorded). A given status must agree with the id.
fn read_primary_status(
    w: &mut Walker,
    m: &Map<String, Value>,
    p: &str,
    primary: Option<&Option<String>>,
) -> Option<PrimaryStatus> {
    let named = matches!(primary, Some(Some(_)));
    let derived = match m.get("primary_caregiver") {
        None => PrimaryStatus::NotRecorded,
        Some(Value::Null) => PrimaryStatus::NoneAssigned,
        Some(_) => PrimaryStatus::Assigned,
    };
    let Some(v) = m.get("primary_status") else {
        return Some(derived);
    };
    let pp = join(p, "primary_status");
    let given = w
        .choice(v, &pp, "primary caregiver status", PRIMARY_STATUSES)
        .map(|s| match s.as_str() {
            "assigned" => PrimaryStatus::Assigned,
            "none-assigned" => PrimaryStatus::NoneAssigned,
            _ => PrimaryStatus::NotRecorded,
        })?;
    if (given == PrimaryStatus::Assigned) != named {
        let msg = if named {
            Text::new(&catalogue::STATUS_BUT_NAMED).arg("status", given.as_str())
        } else {
            Text::new(&catalogue::ASSIGNED_BUT_NONE_NAMED)
        };
        w.error(
            Diagnostic::error_text(Code::Inconsistent, msg)
                .with_help_text(Text::new(&catalogue::PRIMARY_STATUS_HELP))
                .at_path(pp),
        );
        return None;
    }
    Some(given)
}

fn read_headcount(
    w: &mut Walker,
    v: &Value,
    p: &str,
    listed_children: Option<usize>,
) -> Option<Headcount> {
    let m = w.object(v, p, "a headcount", HEADCOUNT_FIELDS)?;
    let at = w
        .required(m, p, "at", "add the time as `HH:MM`")
        .and_then(|v| w.string(v, &join(p, "at"), "a time `HH:MM`"));
    let at = at.and_then(|s| {
        let ok = s.len() == 5
            && s.as_bytes().get(2) == Some(&b':')
            && s.bytes().enumerate().all(|(i, b)| i == 2 || b.is_ascii_digit())
            && matches!((s.get(0..2).and_then(|h| h.parse::<u32>().ok()), s.get(3..5).and_then(|m| m.parse::<u32>().ok())), (Some(h), Some(m)) if h < 24 && m < 60);
        if !ok {
            w.error(
                Diagnostic::error_text(
                    Code::InvalidValue,
                    Text::new(&catalogue::NOT_A_TIME).arg("time", &s),
                )
                .with_help_text(Text::new(&catalogue::NOT_A_TIME_HELP))
                .at_path(join(p, "at")),
            );
        }
        ok.then_some(s)
    });
    let children = w
        .required(m, p, "children", "add how many children were present")
        .and_then(|v| {
            w.integer(
                v,
                &join(p, "children"),
                "children present",
                0,
                MAX_LIST as i64,
            )
        });
    if let (Some(n), Some(listed)) = (children, listed_children) {
        if n > listed as i64 {
            let at = m.get("at").and_then(Value::as_str).unwrap_or("?");
            w.error(
                Diagnostic::error_text(
                    Code::Inconsistent,
                    Text::new(&catalogue::HEADCOUNT_OVER_LISTED)
                        .arg("at", at)
                        .arg("count", n)
                        .arg("listed", listed),
                )
                .with_help_text(Text::new(&catalogue::HEADCOUNT_OVER_LISTED_HELP))
                .at_path(join(p, "children")),
            );
        }
    }
    let caregivers = w
        .required(m, p, "caregivers", "add how many caregivers were present")
        .and_then(|v| {
            w.integer(
                v,
                &join(p, "caregivers"),
                "caregivers present",
                0,
                MAX_LIST as i64,
            )
        });
    Some(Headcount {
        at: at?,
        children: children?,
        caregivers: caregivers?,
    })
}

/// The record's `items`, by rubric id then item id, each read by `read`; `example` shows how items
/// are filed in this kind of record.
pub(crate) fn read_items<T>(
    w: &mut Walker,
    v: &Value,
    example: &str,
    read: impl Fn(&mut Walker, &Value, &str) -> Option<T>,
) -> Option<BTreeMap<String, BTreeMap<String, T>>> {
    let Some(by_rubric) = v.as_object() else {
        w.error(
            Diagnostic::error_text(
                Code::WrongType,
                Text::new(&catalogue::EXPECTED)
                    .arg("expected", Text::new(&catalogue::P_ITEMS_BY_RUBRIC))
                    .arg("found", catalogue::describe(v)),
            )
            .at_path("/items"),
        );
        return None;
    };
    let mut out = BTreeMap::new();
    let mut ok = true;
    for (rubric, items) in by_rubric {
        let rp = join("/items", rubric);
        let Some(items) = items.as_object() else {
            w.error(
                Diagnostic::error_text(
                    Code::WrongType,
                    Text::new(&catalogue::ITEMS_FOR_RUBRIC)
                        .arg("rubric", rubric)
                        .arg("found", catalogue::describe(items)),
                )
                .with_help_text(
                    Text::new(&catalogue::ITEMS_FOR_RUBRIC_HELP).arg("example", example),
                )
                .at_path(rp),
            );
            ok = false;
            continue;
        };
        let mut inner = BTreeMap::new();
        for (id, item) in items {
            let ip = join(&rp, id);
            match read(w, item, &ip) {
                Some(it) => {
                    inner.insert(id.clone(), it);
                }
                None => ok = false,
            }
        }
        out.insert(rubric.clone(), inner);
    }
    ok.then_some(out)
}

/// How an observation files its items, for the help of a misfiled one.
const ITEMS_EXAMPLE: &str =
    r#"{"small-groups": {"group-size-policy": {"value": "yes", "method": "materials"}}}"#;

fn read_item(w: &mut Walker, v: &Value, p: &str) -> Option<Item> {
    let m = w.object(v, p, "an observed item", ITEM_FIELDS)?;
    let value = read_item_value(w, m, p, "record what you saw, e.g. `\"value\": \"yes\"`");
    let method = w
        .required(
            m,
            p,
            "method",
            "say how you know: `observed`, `interview` or `materials`",
        )
        .and_then(|v| w.choice(v, &join(p, "method"), "evidence method", METHODS))
        .map(|s| match s.as_str() {
            "interview" => Method::Interview,
            "materials" => Method::Materials,
            _ => Method::Observed,
        });
    let note = optional_text(w, m, p, "note");
    Some(Item {
        value: value?,
        method: method?,
        note: note?,
    })
}

/// An item's `value`: text (at most [`MAX_TEXT`] characters) or a whole count from 0; `missing`
/// is the help when the item has no value.
pub(crate) fn read_item_value(
    w: &mut Walker,
    m: &Map<String, Value>,
    p: &str,
    missing: &str,
) -> Option<ItemValue> {
    w.required(m, p, "value", missing).and_then(|v| match v {
        Value::String(s) if s.chars().count() <= MAX_TEXT => Some(ItemValue::Text(s.clone())),
        Value::Number(n) if n.as_i64().is_some_and(|n| (0..=MAX_COUNT).contains(&n)) => {
            n.as_i64().map(ItemValue::Count)
        }
        Value::Bool(b) => {
            w.error(
                Diagnostic::error_text(
                    Code::WrongType,
                    Text::new(&catalogue::ITEM_BOOLEAN).arg("value", b.to_string()),
                )
                .with_help_text(Text::new(if *b {
                    &catalogue::WRITE_YES
                } else {
                    &catalogue::WRITE_NO
                }))
                .at_path(join(p, "value")),
            );
            None
        }
        other => {
            w.error(
                Diagnostic::error_text(
                    Code::WrongType,
                    Text::new(&catalogue::ITEM_VALUE_TYPE)
                        .arg("max", MAX_TEXT)
                        .arg("found", catalogue::describe(other)),
                )
                .at_path(join(p, "value")),
            );
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_child(child: &str) -> Result<Child, Diagnostics> {
        Observation::parse(&format!(
            r#"{{"format": "rubrica.observation/1", "id": "r", "setting": "center",
            "observed_on": "2026-03-14", "minutes": 60, "caregivers": [{{"id": "cg-a"}}],
            "children": [{child}]}}"#
        ))
        .map(|mut p| p.observation.children.remove(0))
    }

    #[test]
    fn none_assigned_is_told_from_not_recorded() {
        let status = |c: &str| parse_child(c).map(|c| c.primary_status).ok();
        assert_eq!(
            status(r#"{"id": "c", "age_months": 5}"#),
            Some(PrimaryStatus::NotRecorded)
        );
        assert_eq!(
            status(r#"{"id": "c", "age_months": 5, "primary_caregiver": null}"#),
            Some(PrimaryStatus::NoneAssigned)
        );
        assert_eq!(
            status(r#"{"id": "c", "age_months": 5, "primary_caregiver": "cg-a"}"#),
            Some(PrimaryStatus::Assigned)
        );
        assert_eq!(
            status(r#"{"id": "c", "age_months": 5, "primary_status": "none-assigned"}"#),
            Some(PrimaryStatus::NoneAssigned)
        );
    }

    #[test]
    fn time_in_care_moves_and_status_are_checked() {
        for bad in [
            r#"{"id": "c", "age_months": 5, "primary_status": "assigned"}"#,
            r#"{"id": "c", "age_months": 5, "primary_caregiver": "cg-a", "primary_status": "not-recorded"}"#,
            r#"{"id": "c", "age_months": 5, "months_in_care": 6}"#,
            r#"{"id": "c", "age_months": 20, "primary_caregiver": "cg-a", "months_with_primary": 8, "months_in_care": 6}"#,
            r#"{"id": "c", "age_months": 20, "moves": -1}"#,
            r#"{"id": "c", "age_months": 20, "moves": 37}"#,
        ] {
            let Err(Diagnostics(ds)) = parse_child(bad) else {
                panic!("accepted {bad}");
            };
            assert!(
                ds.iter().all(|d| d
                    .location
                    .path
                    .as_deref()
                    .is_some_and(|p| p.starts_with("/children/0/"))),
                "{bad}: {ds:?}"
            );
        }
        let ok = parse_child(
            r#"{"id": "c", "age_months": 20, "primary_caregiver": "cg-a", "months_with_primary": 6, "months_in_care": 6, "moves": 2}"#,
        )
        .expect("valid");
        assert_eq!((ok.months_in_care, ok.moves), (Some(6), Some(2)));
    }
}
