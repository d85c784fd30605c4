//! What a rubric script can name: the helpers it may call and the record fields it reads.
//!
//! The trainer's editor completes and explains names from this list, so it is kept in one place
//! and checked by tests against the engine itself: every helper registered on the script engine
//! has an entry and every entry names a registered helper with the same number of parameters;
//! every field is one the record format defines ([`crate::RECORD_FIELDS`]), with the type and
//! allowed values of the record's JSON Schema (`docs/observation.schema.json`).

use crate::record::{
    DEFAULT_MATERIAL_KIND, DEFAULT_ROLE, MATERIAL_KINDS, MAX_AGE_MONTHS, MAX_COUNT, MAX_ID,
    MAX_LANGUAGES, MAX_LANGUAGE_TAG, MAX_LIST, MAX_MOVES, MAX_TEXT, METHODS, MINUTES, PLACE_KINDS,
    PRIMARY_STATUSES, ROLES, SETTINGS,
};
use serde::Serialize;

/// A parameter of a helper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Param {
    /// Its name in the signature, e.g. `months`.
    pub name: &'static str,
    /// What to pass, in a trainer's words, e.g. `whole number`.
    #[serde(rename = "type")]
    pub kind: &'static str,
}

/// A helper a script may call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct HelperDoc {
    /// The helper's name.
    pub name: &'static str,
    /// Its parameters, in order.
    pub params: &'static [Param],
    /// How many of the last parameters may be left out.
    pub optional: usize,
    /// What it returns.
    pub returns: &'static str,
    /// What it is for, in one line.
    pub doc: &'static str,
}

impl HelperDoc {
    /// The signature as the docs write it: `rating(level, evidence, note?)`.
    pub fn signature(&self) -> String {
        let required = self.params.len().saturating_sub(self.optional);
        let params: Vec<String> = self
            .params
            .iter()
            .enumerate()
            .map(|(i, p)| {
                if i < required {
                    p.name.to_string()
                } else {
                    format!("{}?", p.name)
                }
            })
            .collect();
        format!("{}({})", self.name, params.join(", "))
    }
}

/// The type of a record field as scripts see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FieldType {
    /// A string.
    Text,
    /// A whole number.
    Number,
    /// `true` or `false`.
    Bool,
    /// Text or a whole number (an item's value).
    TextOrNumber,
    /// A record list (`RecordList`); `entries` says what it holds.
    List,
    /// An object (`Record`) keyed by names the rubric declares; `entries` says what it holds.
    Map,
    /// One object (`Record`) of fixed fields; `entries` names it.
    Object,
}

/// A field of an object of the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FieldDoc {
    /// The field's name: `r.<name>`.
    pub name: &'static str,
    /// Its type.
    #[serde(rename = "type")]
    pub kind: FieldType,
    /// For lists and maps: the name of the object each entry is (`Child`), or `text`; for an
    /// object: its name (`Place`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entries: Option<&'static str>,
    /// True when the field may be `()` (nothing recorded).
    pub may_be_unit: bool,
    /// The values a text field may hold, when there is a fixed list.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub values: &'static [&'static str],
    /// What it holds, in one line.
    pub doc: &'static str,
}

/// One kind of object in the record: the record itself (`Record`), a child, a caregiver…
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ObjectDoc {
    /// Its name, e.g. `Child`.
    pub name: &'static str,
    /// Where it sits in the record format (`/children/*`), as in [`crate::RECORD_FIELDS`].
    pub path: &'static str,
    /// Its fields.
    pub fields: &'static [FieldDoc],
}

/// The values an item of one type may hold (a choice item's come from its own `options`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ItemValues {
    /// The item type, as `rubric.json` spells it (`yes-no`).
    #[serde(rename = "type")]
    pub item_type: &'static str,
    /// Its values, `not-observed` included.
    pub values: &'static [&'static str],
}

/// The values a text field of the record may hold, as the record parser checks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RecordChoice {
    /// Where the field sits (`/caregivers/*/role`; `*` is any list index or key).
    pub path: &'static str,
    /// Its values, in the order a form offers them.
    pub values: &'static [&'static str],
    /// The value the engine reads when the field is left out, if it may be.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<&'static str>,
}

/// A size or range the record parser enforces on one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RecordLimit {
    /// Where the field sits (`/children/*/age_months`; `*` is any list index or key).
    pub path: &'static str,
    /// Smallest whole number, for a number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<i64>,
    /// Largest whole number, for a number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<i64>,
    /// Most characters, for text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<usize>,
    /// Most entries, for a list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_items: Option<usize>,
}

/// Everything the editor completes: helpers, the record's objects (the first is `r`), and the
/// values of items with a fixed list; and what the coach's form offers and checks: the
/// record's choices and limits, and the characters shown as escapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Vocabulary {
    /// The helpers, by name (a name may appear once per arity group).
    pub helpers: &'static [HelperDoc],
    /// The record's objects; `Record` is the script's `r`.
    pub objects: &'static [ObjectDoc],
    /// Values of `yes-no` and `frequency` items; a `choice` item adds `not-observed` to its options.
    pub item_values: &'static [ItemValues],
    /// Every text field of the record with a fixed list of values (the lists the parser uses).
    pub record_choices: &'static [RecordChoice],
    /// Every size and range the record parser enforces.
    pub record_limits: &'static [RecordLimit],
    /// The characters never shown as they are, as inclusive `[first, last]` code point ranges
    /// ([`crate::HIDDEN_CHARACTERS`]).
    pub hidden_characters: &'static [(u32, u32)],
    /// The other kinds of record (reflections): each one's objects, choices and limits.
    pub kinds: &'static [KindDoc],
}

/// What scripts and forms know of one further kind of record, as the vocabulary's own fields
/// describe observations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct KindDoc {
    /// The format tag (`rubrica.ta-reflection/1`).
    pub format: &'static str,
    /// The record's objects; `Record` is the script's `r`.
    pub objects: &'static [ObjectDoc],
    /// Every text field with a fixed list of values.
    pub record_choices: &'static [RecordChoice],
    /// Every size and range the parser enforces.
    pub record_limits: &'static [RecordLimit],
}

/// The script vocabulary.
pub const VOCABULARY: Vocabulary = Vocabulary {
    helpers: HELPERS,
    objects: OBJECTS,
    record_choices: RECORD_CHOICES,
    record_limits: RECORD_LIMITS,
    hidden_characters: crate::text::HIDDEN_CHARACTERS,
    kinds: &[
        reflection_kind!(
            crate::reflection::TA_REFLECTION_FORMAT,
            crate::reflection::TA_VALUES
        ),
        reflection_kind!(
            crate::reflection::FAMILY_PARTNERSHIP_FORMAT,
            crate::reflection::FAMILY_VALUES
        ),
    ],
    item_values: &[
        ItemValues {
            item_type: "yes-no",
            values: &crate::YES_NO,
        },
        ItemValues {
            item_type: "frequency",
            values: &crate::FREQUENCY,
        },
    ],
};

/// The vocabulary of a reflection kind: one shape, the kind's own values.
macro_rules! reflection_kind {
    ($format:expr, $values:expr) => {
        KindDoc {
            format: $format,
            objects: &[
                ObjectDoc {
                    name: "Record",
                    path: "",
                    fields: &[
                        choice("format", &[$format], "the record format tag"),
                        field("id", Text, "the record's id"),
                        field("reflected_on", Text, "date of the reflection, YYYY-MM-DD"),
                        FieldDoc {
                            name: "author",
                            kind: FieldType::Object,
                            entries: Some("Author"),
                            may_be_unit: false,
                            values: &[],
                            doc: "who reflects",
                        },
                        FieldDoc {
                            name: "partner",
                            kind: FieldType::Object,
                            entries: Some("Partner"),
                            may_be_unit: false,
                            values: &[],
                            doc: "who the relationship is with",
                        },
                        list("contacts", "Contact", "the contacts of the period"),
                        list("goals", "Goal", "the goals of the relationship"),
                        FieldDoc {
                            name: "items",
                            kind: FieldType::Map,
                            entries: Some("Item"),
                            may_be_unit: false,
                            values: &[],
                            doc: "this rubric's declared items by id (`r.items[\"id\"]`), each `()` when not answered; prefer `item(r, \"id\")`",
                        },
                        list("notes", "text", "the author's notes"),
                    ],
                },
                ObjectDoc {
                    name: "Author",
                    path: "/author",
                    fields: &[
                        field("id", Text, "pseudonymous id of the author"),
                        choice("role", $values.author_roles, "the author's role"),
                    ],
                },
                ObjectDoc {
                    name: "Partner",
                    path: "/partner",
                    fields: &[
                        field("id", Text, "pseudonymous id of the partner"),
                        choice("kind", $values.partner_kinds, "who the partner is"),
                    ],
                },
                ObjectDoc {
                    name: "Contact",
                    path: "/contacts/*",
                    fields: &[
                        field("on", Text, "date of the contact, YYYY-MM-DD"),
                        choice("mode", $values.contact_modes, "how the contact happened"),
                        or_unit(field("minutes", Number, "how long it lasted")),
                        choice(
                            "initiated_by",
                            crate::reflection::INITIATED_BY,
                            "who started it: the partner or the author",
                        ),
                        or_unit(field("topic", Text, "what it was about, in a few words")),
                    ],
                },
                ObjectDoc {
                    name: "Goal",
                    path: "/goals/*",
                    fields: &[
                        field("id", Text, "the goal's id"),
                        choice(
                            "set_by",
                            crate::reflection::SET_BY,
                            "who set it: the partner, both together, or the author",
                        ),
                        choice(
                            "status",
                            crate::reflection::GOAL_STATUSES,
                            "where the goal stands",
                        ),
                        field(
                            "revisited",
                            Number,
                            "how many contacts looked at the goal again",
                        ),
                    ],
                },
                ObjectDoc {
                    name: "Item",
                    path: "/items/*/*",
                    fields: &[
                        field(
                            "value",
                            TextOrNumber,
                            "the answer: yes/no, a frequency, a choice, a count or a note; `not-observed` when not answered",
                        ),
                        or_unit(field("note", Text, "the author's note beside the item")),
                    ],
                },
            ],
            record_choices: &[
                RecordChoice {
                    path: "/author/role",
                    values: $values.author_roles,
                    default: None,
                },
                RecordChoice {
                    path: "/partner/kind",
                    values: $values.partner_kinds,
                    default: None,
                },
                RecordChoice {
                    path: "/contacts/*/mode",
                    values: $values.contact_modes,
                    default: None,
                },
                RecordChoice {
                    path: "/contacts/*/initiated_by",
                    values: crate::reflection::INITIATED_BY,
                    default: None,
                },
                RecordChoice {
                    path: "/goals/*/set_by",
                    values: crate::reflection::SET_BY,
                    default: None,
                },
                RecordChoice {
                    path: "/goals/*/status",
                    values: crate::reflection::GOAL_STATUSES,
                    default: None,
                },
            ],
            record_limits: REFLECTION_LIMITS,
        }
    };
}
use reflection_kind;

const REFLECTION_LIMITS: &[RecordLimit] = &[
    length("/id", MAX_ID),
    length("/author/id", MAX_ID),
    length("/partner/id", MAX_ID),
    items("/contacts", crate::reflection::MAX_CONTACTS),
    range(
        "/contacts/*/minutes",
        crate::reflection::CONTACT_MINUTES.0,
        crate::reflection::CONTACT_MINUTES.1,
    ),
    length("/contacts/*/topic", crate::reflection::MAX_TOPIC),
    items("/goals", crate::reflection::MAX_GOALS),
    length("/goals/*/id", MAX_ID),
    range("/goals/*/revisited", 0, crate::reflection::MAX_REVISITED),
    RecordLimit {
        max_length: Some(MAX_TEXT),
        ..range("/items/*/*/value", 0, MAX_COUNT)
    },
    length("/items/*/*/note", crate::reflection::MAX_NOTE),
    items("/notes", MAX_LIST),
    length("/notes/*", crate::reflection::MAX_NOTE),
];

const RECORD_CHOICES: &[RecordChoice] = &[
    RecordChoice {
        path: "/setting",
        values: SETTINGS,
        default: None,
    },
    RecordChoice {
        path: "/place/kind",
        values: PLACE_KINDS,
        default: None,
    },
    RecordChoice {
        path: "/caregivers/*/role",
        values: ROLES,
        default: Some(DEFAULT_ROLE),
    },
    RecordChoice {
        path: "/children/*/primary_status",
        values: PRIMARY_STATUSES,
        default: None,
    },
    RecordChoice {
        path: "/items/*/*/method",
        values: METHODS,
        default: None,
    },
    RecordChoice {
        path: "/materials/*/kind",
        values: MATERIAL_KINDS,
        default: Some(DEFAULT_MATERIAL_KIND),
    },
];

const fn limit(path: &'static str) -> RecordLimit {
    RecordLimit {
        path,
        min: None,
        max: None,
        max_length: None,
        max_items: None,
    }
}

const fn length(path: &'static str, max: usize) -> RecordLimit {
    RecordLimit {
        max_length: Some(max),
        ..limit(path)
    }
}

const fn items(path: &'static str, max: usize) -> RecordLimit {
    RecordLimit {
        max_items: Some(max),
        ..limit(path)
    }
}

const fn range(path: &'static str, min: i64, max: i64) -> RecordLimit {
    RecordLimit {
        min: Some(min),
        max: Some(max),
        ..limit(path)
    }
}

const RECORD_LIMITS: &[RecordLimit] = &[
    length("/id", MAX_ID),
    length("/observer", MAX_ID),
    range("/minutes", MINUTES.0, MINUTES.1),
    length("/place/id", MAX_ID),
    items("/caregivers", MAX_LIST),
    length("/caregivers/*/id", MAX_ID),
    items("/caregivers/*/languages", MAX_LANGUAGES),
    length("/caregivers/*/languages/*", MAX_LANGUAGE_TAG),
    items("/children", MAX_LIST),
    length("/children/*/id", MAX_ID),
    range("/children/*/age_months", 0, MAX_AGE_MONTHS),
    length("/children/*/primary_caregiver", MAX_ID),
    range("/children/*/months_with_primary", 0, MAX_AGE_MONTHS),
    range("/children/*/months_in_care", 0, MAX_AGE_MONTHS),
    range("/children/*/moves", 0, MAX_MOVES),
    items("/children/*/home_languages", MAX_LANGUAGES),
    length("/children/*/home_languages/*", MAX_LANGUAGE_TAG),
    items("/headcounts", MAX_LIST),
    range("/headcounts/*/children", 0, MAX_LIST as i64),
    range("/headcounts/*/caregivers", 0, MAX_LIST as i64),
    // Text or a count.
    RecordLimit {
        max_length: Some(MAX_TEXT),
        ..range("/items/*/*/value", 0, MAX_COUNT)
    },
    length("/items/*/*/note", MAX_TEXT),
    items("/interviews", MAX_LIST),
    length("/interviews/*/with", MAX_ID),
    length("/interviews/*/topic", MAX_TEXT),
    length("/interviews/*/answer", MAX_TEXT),
    items("/materials", MAX_LIST),
    length("/materials/*/title", MAX_TEXT),
    length("/materials/*/note", MAX_TEXT),
    items("/notes", MAX_LIST),
    length("/notes/*", MAX_TEXT),
];

const fn p(name: &'static str, kind: &'static str) -> Param {
    Param { name, kind }
}

const fn helper(
    name: &'static str,
    params: &'static [Param],
    returns: &'static str,
    doc: &'static str,
) -> HelperDoc {
    HelperDoc {
        name,
        params,
        optional: 0,
        returns,
        doc,
    }
}

const RECORD: Param = p("r", "the record");
const ITEM_ID: Param = p("id", "item id of this rubric");
const AGES: Param = p("ages", "array of ages in months");
const SETTING: Param = p("setting", "\"center\" or \"family-child-care\"");
const CHILDREN: Param = p("children", "list of children");
const HEADCOUNTS: Param = p("headcounts", "list of headcounts");
const COMPARER: Param = p("comparer", "|a, b| number or true/false");

const HELPERS: &[HelperDoc] = &[
    HelperDoc {
        name: "rating",
        params: &[
            p("level", "whole number on the rubric's scale"),
            p("evidence", "record paths or item ids (a list or one text)"),
            p("note", "text for the coach"),
        ],
        optional: 1,
        returns: "Rating",
        doc: "a rating at `level`, citing the evidence it rests on, with an optional note",
    },
    HelperDoc {
        name: "say",
        params: &[
            p("key", "a key of `messages` in rubric.json"),
            p("values", "#{placeholder: text, whole number or list, …}"),
        ],
        optional: 1,
        returns: "text",
        doc: "the rubric's message `key` in the language the record is rated in, each `{placeholder}` filled (lists joined as \"a, b and c\"); for a note or a reason",
    },
    helper(
        "not_enough_evidence",
        &[p("reason", "text")],
        "Rating",
        "the record does not let this indicator be rated; `reason` says what is missing (never a low score)",
    ),
    helper(
        "item",
        &[RECORD, ITEM_ID],
        "text, number or ()",
        "the item's recorded value, or `()` when the coach did not record it",
    ),
    helper(
        "recorded",
        &[RECORD, ITEM_ID],
        "true/false",
        "true when the item was recorded with a value other than `not-observed`",
    ),
    helper(
        "item_method",
        &[RECORD, ITEM_ID],
        "\"observed\", \"interview\", \"materials\" or ()",
        "how the item was gathered",
    ),
    helper(
        "age_band",
        &[p("months", "whole number")],
        "text",
        "one child's age of infancy: young-infant (0–7), mobile-infant (8–17), older-infant (18–35), preschool (36+)",
    ),
    helper(
        "group_band",
        &[CHILDREN],
        "text",
        "how a center group is placed: young-infant, mobile-infant, older-infant, mixed-ages or neighbouring-ranges",
    ),
    helper(
        "group_for",
        &[AGES, SETTING, p("adults", "whole number")],
        "#{kind, band, label, limit, size, caregivers, ratio, max_under_24, source, why, over}",
        "what the group is held to by the published tables; `over` is how many children are over the recommendation",
    ),
    helper(
        "headcounts_meeting",
        &[AGES, SETTING, p("adults", "whole number"), HEADCOUNTS],
        "#{met, first_unmet}",
        "how many headcounts meet the group's ratio, and the index of the first that does not (-1 when all do)",
    ),
    helper(
        "headcount_meets",
        &[
            AGES,
            SETTING,
            p("adults", "whole number"),
            p("children", "whole number present"),
            p("caregivers", "whole number present"),
        ],
        "true/false",
        "true when one headcount meets the group's ratio",
    ),
    helper(
        "caseload_for",
        &[AGES, SETTING],
        "#{over, limit, source}",
        "one primary caregiver's caseload against the published tables",
    ),
    helper(
        "recommended_group",
        &[CHILDREN, SETTING],
        "#{size, caregivers, ratio, band, source, max_under_24, why}",
        "the recommended group, assuming one adult in family child care; prefer `group_for`",
    ),
    helper(
        "meets_ratio",
        &[p("headcount", "one headcount"), p("per_caregiver", "whole number")],
        "true/false",
        "true when children ≤ caregivers × per_caregiver",
    ),
    helper(
        "worst_headcount",
        &[HEADCOUNTS],
        "a headcount or ()",
        "the headcount with the most children per caregiver (`()` when there are none)",
    ),
    helper(
        "worst_headcount_index",
        &[HEADCOUNTS],
        "whole number",
        "index of the headcount with the most children per caregiver (-1 when there are none), for citing it",
    ),
    helper(
        "most_children_present",
        &[HEADCOUNTS],
        "whole number",
        "the largest headcount of children (0 when there are none)",
    ),
    helper(
        "count_where",
        &[p("list", "list"), p("field", "text"), p("value", "any value")],
        "whole number",
        "how many entries of the list have `field == value`",
    ),
    helper(
        "count_under",
        &[CHILDREN, p("months", "whole number")],
        "whole number",
        "how many children are younger than `months`",
    ),
    helper(
        "percent",
        &[p("part", "whole number"), p("whole", "whole number")],
        "whole number",
        "`part` as a whole percentage of `whole`, rounded down (0 when `whole` is 0)",
    ),
    helper(
        "children_without_shared_language",
        &[RECORD],
        "array of child ids",
        "ids of children none of whose home languages a caregiver speaks",
    ),
    helper(
        "sort",
        &[p("list", "array"), COMPARER],
        "nothing (sorts the array in place)",
        "sorts an array of your own (`list.sort(|a, b| a - b)`); record lists cannot change: sort `to_array()`",
    ),
    helper(
        "sort_by",
        &[p("list", "array"), COMPARER],
        "nothing (sorts the array in place)",
        "the same as `sort` with a comparer",
    ),
    helper(
        "order",
        &[p("list", "list"), COMPARER],
        "a sorted copy",
        "a sorted copy of a list, the list itself unchanged (`r.children.order(|a, b| a.age_months - b.age_months)`)",
    ),
    helper(
        "order_by",
        &[p("list", "list"), COMPARER],
        "a sorted copy",
        "the same as `order`",
    ),
];

const fn field(name: &'static str, kind: FieldType, doc: &'static str) -> FieldDoc {
    FieldDoc {
        name,
        kind,
        entries: None,
        may_be_unit: false,
        values: &[],
        doc,
    }
}

const fn choice(
    name: &'static str,
    values: &'static [&'static str],
    doc: &'static str,
) -> FieldDoc {
    FieldDoc {
        name,
        kind: FieldType::Text,
        entries: None,
        may_be_unit: false,
        values,
        doc,
    }
}

const fn list(name: &'static str, entries: &'static str, doc: &'static str) -> FieldDoc {
    FieldDoc {
        name,
        kind: FieldType::List,
        entries: Some(entries),
        may_be_unit: false,
        values: &[],
        doc,
    }
}

const fn or_unit(f: FieldDoc) -> FieldDoc {
    FieldDoc {
        may_be_unit: true,
        ..f
    }
}

use FieldType::{Bool, Number, Text, TextOrNumber};

const OBJECTS: &[ObjectDoc] = &[
    ObjectDoc {
        name: "Record",
        path: "",
        fields: &[
            choice("format", &[crate::OBSERVATION_FORMAT], "the record format tag"),
            field("id", Text, "the record's id"),
            choice("setting", SETTINGS, "where the care happens"),
            field("observed_on", Text, "visit date, YYYY-MM-DD"),
            field("minutes", Number, "length of the observation in minutes"),
            or_unit(field("observer", Text, "pseudonymous id of the coach")),
            FieldDoc {
                name: "place",
                kind: FieldType::Object,
                entries: Some("Place"),
                may_be_unit: true,
                values: &[],
                doc: "the room or home observed, `()` when the record names none",
            },
            list("caregivers", "Caregiver", "the caregivers of the group"),
            list("children", "Child", "the children of the group"),
            list("headcounts", "Headcount", "headcounts over the visit (for ratios)"),
            FieldDoc {
                name: "items",
                kind: FieldType::Map,
                entries: Some("Item"),
                may_be_unit: false,
                values: &[],
                doc: "this rubric's declared items by id (`r.items[\"id\"]`), each `()` when not recorded; prefer `item(r, \"id\")`",
            },
            list("interviews", "Interview", "interview answers"),
            list("materials", "Material", "program materials reviewed"),
            list("notes", "text", "the coach's anecdotal notes"),
        ],
    },
    ObjectDoc {
        name: "Place",
        path: "/place",
        fields: &[
            choice("kind", PLACE_KINDS, "`room` (of a center) or `home` (family child care)"),
            field("id", Text, "pseudonymous id of the room or home, e.g. `rm-2`"),
        ],
    },
    ObjectDoc {
        name: "Caregiver",
        path: "/caregivers/*",
        fields: &[
            field("id", Text, "pseudonymous id, e.g. `cg-a`"),
            choice("role", ROLES, "the caregiver's role"),
            list(
                "languages",
                "text",
                "languages the caregiver speaks with children (`en`, `es`…)",
            ),
        ],
    },
    ObjectDoc {
        name: "Child",
        path: "/children/*",
        fields: &[
            field("id", Text, "pseudonymous id, e.g. `c1`"),
            field("age_months", Number, "age in whole months on the visit day"),
            or_unit(field(
                "primary_caregiver",
                Text,
                "id of the assigned primary caregiver; read `primary_status` before treating `()` as none",
            )),
            choice(
                "primary_status",
                PRIMARY_STATUSES,
                "whether a primary caregiver is assigned, none is, or the record does not say",
            ),
            or_unit(field(
                "months_with_primary",
                Number,
                "months the child has been with that primary caregiver",
            )),
            or_unit(field(
                "months_in_care",
                Number,
                "months since the child started in this program",
            )),
            or_unit(field(
                "moves",
                Number,
                "times the child moved to a new group or primary caregiver in this program",
            )),
            list("home_languages", "text", "languages spoken at home"),
            field(
                "ifsp",
                Bool,
                "has an Individualized Family Service Plan (identified disability or delay)",
            ),
        ],
    },
    ObjectDoc {
        name: "Headcount",
        path: "/headcounts/*",
        fields: &[
            field("at", Text, "time of day, HH:MM"),
            field("children", Number, "children present"),
            field("caregivers", Number, "caregivers present and counted in ratio"),
        ],
    },
    ObjectDoc {
        name: "Item",
        path: "/items/*/*",
        fields: &[
            field(
                "value",
                TextOrNumber,
                "what was recorded: yes/no, a frequency, a choice, a count or a note; `not-observed` when not seen",
            ),
            choice("method", METHODS, "how it was gathered"),
            or_unit(field("note", Text, "the coach's note beside the item")),
        ],
    },
    ObjectDoc {
        name: "Interview",
        path: "/interviews/*",
        fields: &[
            field("with", Text, "who answered: a caregiver id, `director` or `family`"),
            field("topic", Text, "what was asked about"),
            field("answer", Text, "what they said, in the coach's words"),
        ],
    },
    ObjectDoc {
        name: "Material",
        path: "/materials/*",
        fields: &[
            field("title", Text, "title of the document"),
            choice("kind", MATERIAL_KINDS, "what kind of document it is"),
            or_unit(field("note", Text, "what the coach noted in it")),
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;
    use std::collections::BTreeSet;

    /// (name, number of parameters) of every function `helpers::register` puts on an engine.
    fn registered() -> BTreeSet<(String, usize)> {
        let mut engine = rhai::Engine::new_raw();
        crate::helpers::register(&mut engine);
        engine
            .collect_fn_metadata(
                None,
                |f| Some((f.metadata.name.to_string(), f.metadata.num_params)),
                true,
            )
            .into_iter()
            .collect()
    }

    fn described() -> BTreeSet<(String, usize)> {
        HELPERS
            .iter()
            .flat_map(|h| {
                (h.params.len() - h.optional..=h.params.len()).map(|n| (h.name.to_string(), n))
            })
            .collect()
    }

    #[test]
    fn every_registered_helper_is_described_and_every_description_is_registered() {
        let registered = registered();
        assert!(registered.len() >= 20, "{registered:?}");
        let described = described();
        let undescribed: Vec<_> = registered.difference(&described).collect();
        let unknown: Vec<_> = described.difference(&registered).collect();
        assert!(
            undescribed.is_empty(),
            "helpers without a vocabulary entry (name, parameters): {undescribed:?}"
        );
        assert!(
            unknown.is_empty(),
            "vocabulary entries that name no registered helper: {unknown:?}"
        );
    }

    #[test]
    fn the_helper_names_scripts_may_not_shadow_are_all_described() {
        let names: BTreeSet<&str> = HELPERS.iter().map(|h| h.name).collect();
        for name in crate::helpers::HELPER_NAMES {
            assert!(names.contains(name), "`{name}` has no vocabulary entry");
        }
    }

    #[test]
    fn every_described_helper_but_the_list_functions_may_not_be_shadowed() {
        // `sort`, `sort_by`, `order` and `order_by` are list functions called as methods
        // (`list.order(…)`); the others are Rubrica's helpers, which a script may not redefine.
        let list_functions = ["order", "order_by", "sort", "sort_by"];
        let described: BTreeSet<&str> = HELPERS
            .iter()
            .map(|h| h.name)
            .filter(|n| !list_functions.contains(n))
            .collect();
        let guarded: BTreeSet<&str> = crate::helpers::HELPER_NAMES.iter().copied().collect();
        assert_eq!(described, guarded);
    }

    #[test]
    fn signatures_mark_optional_parameters() {
        let rating = HELPERS.iter().find(|h| h.name == "rating");
        assert_eq!(
            rating.map(HelperDoc::signature).as_deref(),
            Some("rating(level, evidence, note?)")
        );
    }

    #[test]
    fn the_fields_are_those_of_the_record_format_that_scripts_see() {
        // Scripts never see `extra` (host data).
        let format: BTreeSet<(String, String)> = crate::RECORD_FIELDS
            .iter()
            .flat_map(|(at, fields)| fields.iter().map(|f| (at.to_string(), f.to_string())))
            .filter(|(at, f)| !(at.is_empty() && f == "extra"))
            .collect();
        let described: BTreeSet<(String, String)> = OBJECTS
            .iter()
            .flat_map(|o| {
                o.fields
                    .iter()
                    .map(|f| (o.path.to_string(), f.name.to_string()))
            })
            .collect();
        assert_eq!(described, format);
        assert_eq!(OBJECTS.first().map(|o| o.name), Some("Record"));
        // Every list or map names an object that is described, or holds text.
        for o in OBJECTS {
            for f in o.fields {
                if let Some(e) = f.entries {
                    assert!(
                        e == "text" || OBJECTS.iter().any(|x| x.name == e),
                        "{}.{} holds `{e}`, which is not described",
                        o.name,
                        f.name
                    );
                }
            }
        }
    }

    /// (type, may be unit, allowed values, entries' object schema) of a schema property.
    fn schema_type(v: &Value, defs: &Value) -> (FieldType, bool, Vec<String>, Option<Value>) {
        if let Some(r) = v.get("$ref").and_then(Value::as_str) {
            let name = r.trim_start_matches("#/$defs/");
            return schema_type(&defs[name], defs);
        }
        if let Some(c) = v.get("const").and_then(Value::as_str) {
            return (FieldType::Text, false, vec![c.to_string()], None);
        }
        if let Some(e) = v.get("enum").and_then(Value::as_array) {
            let values = e
                .iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect();
            return (FieldType::Text, false, values, None);
        }
        if let Some(options) = v.get("oneOf").and_then(Value::as_array) {
            let kinds: Vec<_> = options
                .iter()
                .filter(|o| o.get("type").and_then(Value::as_str) != Some("null"))
                .map(|o| schema_type(o, defs))
                .collect();
            let unit = kinds.len() < options.len();
            return match kinds.as_slice() {
                [one] => (one.0, unit, Vec::new(), one.3.clone()),
                [a, b] if a.0 == FieldType::Text && b.0 == FieldType::Number => {
                    (FieldType::TextOrNumber, unit, Vec::new(), None)
                }
                other => panic!("unexpected oneOf {other:?}"),
            };
        }
        match v.get("type").and_then(Value::as_str) {
            Some("string") => (FieldType::Text, false, Vec::new(), None),
            Some("integer") => (FieldType::Number, false, Vec::new(), None),
            Some("boolean") => (FieldType::Bool, false, Vec::new(), None),
            Some("array") => (FieldType::List, false, Vec::new(), v.get("items").cloned()),
            Some("object") if v.get("properties").is_some() => {
                (FieldType::Object, false, Vec::new(), Some(v.clone()))
            }
            Some("object") => (
                FieldType::Map,
                false,
                Vec::new(),
                v.get("additionalProperties").cloned(),
            ),
            other => panic!("unexpected schema type {other:?} in {v}"),
        }
    }

    /// Checks `object`'s fields against the schema of its JSON object, then its lists' entries.
    fn check_object(object: &ObjectDoc, schema: &Value, defs: &Value) {
        let props = &schema["properties"];
        for f in object.fields {
            let prop = &props[f.name];
            assert!(
                !prop.is_null(),
                "{}.{} is not in the schema",
                object.name,
                f.name
            );
            let (kind, unit, values, entries) = schema_type(prop, defs);
            let at = format!("{}.{}", object.name, f.name);
            assert_eq!(f.kind, kind, "{at}: type");
            assert_eq!(f.may_be_unit, unit, "{at}: may be ()");
            assert_eq!(f.values, values.as_slice(), "{at}: values");
            let Some(mut entries) = entries else { continue };
            if f.kind == FieldType::Map {
                // The record files items by rubric id; a script sees only its own rubric's.
                entries = entries["additionalProperties"].clone();
            }
            match f.entries {
                Some("text") => assert_eq!(
                    schema_type(&entries, defs).0,
                    FieldType::Text,
                    "{at}: entries"
                ),
                Some(name) => {
                    let inner = OBJECTS.iter().find(|o| o.name == name);
                    let inner = inner.unwrap_or_else(|| panic!("{at}: `{name}` is not described"));
                    check_object(inner, &entries, defs);
                }
                None => panic!("{at}: a list or map without entries"),
            }
        }
    }

    #[test]
    fn types_and_values_agree_with_the_record_schema() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../docs/observation.schema.json"
        );
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let schema: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
        let record = OBJECTS.first().unwrap_or_else(|| panic!("no Record"));
        check_object(record, &schema, &schema["$defs"]);
    }

    #[test]
    fn item_values_are_named_by_the_item_types_of_rubric_json() {
        for v in VOCABULARY.item_values {
            let json = format!("\"{}\"", v.item_type);
            assert!(
                serde_json::from_str::<crate::ItemType>(&json).is_ok(),
                "`{}` is not an item type",
                v.item_type
            );
            assert!(v.values.contains(&"not-observed"));
        }
    }

    #[test]
    fn the_vocabulary_serializes_as_the_app_reads_it() {
        let json = serde_json::to_value(VOCABULARY).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(json["helpers"][0]["name"], "rating");
        assert_eq!(json["helpers"][0]["optional"], 1);
        assert_eq!(json["objects"][0]["name"], "Record");
        let children = &json["objects"][0]["fields"]
            .as_array()
            .and_then(|f| f.iter().find(|f| f["name"] == "children").cloned());
        assert_eq!(
            children
                .as_ref()
                .map(|c| (c["type"].clone(), c["entries"].clone())),
            Some(("list".into(), "Child".into()))
        );
    }
}
