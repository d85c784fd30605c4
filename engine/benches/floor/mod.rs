//! The floor: the `small-groups` and `primary-caregiving` rubrics written by hand in Rust, with
//! the published tables they rate against, giving the same levels, evidence and notes as the
//! scripts run by the engine (`tests/tests/floor.rs` checks that on generated records). The
//! benchmarks compare the engine with it: how far scripting is from what the same rules cost
//! written directly.
//!
//! It is a measuring stick, not a second implementation to keep: nothing but the benchmarks and
//! their test use it.

#![allow(dead_code)]

use rubrica::{ItemValue, Observation, PrimaryStatus, Setting};
use std::collections::BTreeMap;

/// One indicator's outcome, as the engine reports it (`IndicatorRating`'s level, evidence,
/// note and reason).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Indicator id.
    pub id: &'static str,
    /// Level, when rated.
    pub level: Option<i64>,
    /// Record paths cited.
    pub evidence: Vec<String>,
    /// Note, when rated with one.
    pub note: Option<String>,
    /// Reason, when there is not enough evidence.
    pub reason: Option<String>,
}

const MAX_NOTE_CHARS: usize = 1000;
const MAX_REASON_CHARS: usize = 500;

fn shortened(text: String, max: usize) -> String {
    if text.chars().count() <= max {
        return text;
    }
    let mut out: String = text.chars().take(max - 1).collect();
    out.push('…');
    out
}

fn rated(id: &'static str, level: i64, evidence: Vec<String>, note: Option<String>) -> Outcome {
    let mut cited: Vec<String> = Vec::with_capacity(evidence.len());
    for e in evidence {
        if !cited.contains(&e) {
            cited.push(e);
        }
    }
    Outcome {
        id,
        level: Some(level),
        evidence: cited,
        note: note.map(|n| shortened(n, MAX_NOTE_CHARS)),
        reason: None,
    }
}

fn missing(id: &'static str, reason: String) -> Outcome {
    Outcome {
        id,
        level: None,
        evidence: Vec::new(),
        note: None,
        reason: Some(shortened(reason, MAX_REASON_CHARS)),
    }
}

fn count_of(n: i64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn percent(part: i64, whole: i64) -> i64 {
    if whole <= 0 {
        0
    } else {
        part * 100 / whole
    }
}

// ---- The published tables -------------------------------------------------------------------

#[derive(Clone, Copy)]
struct Row {
    id: &'static str,
    label: &'static str,
    size: i64,
    caregivers: i64,
    per: i64,
}

const ROWS: [Row; 4] = [
    Row {
        id: "young-infant",
        label: "young infants",
        size: 6,
        caregivers: 2,
        per: 3,
    },
    Row {
        id: "mobile-infant",
        label: "mobile infants",
        size: 9,
        caregivers: 3,
        per: 3,
    },
    Row {
        id: "older-infant",
        label: "toddlers",
        size: 12,
        caregivers: 3,
        per: 4,
    },
    Row {
        id: "mixed-ages",
        label: "a mixed-age group (birth to three)",
        size: 8,
        caregivers: 2,
        per: 4,
    },
];

/// NAEYC's overlapping ranges: (label, from, to).
const RANGES: [(&str, i64, i64); 3] = [
    ("young infants", 0, 9),
    ("mobile infants", 8, 18),
    ("toddlers", 16, 36),
];

const PITC: &str = "PITC recommended group sizes";
const FCC: &str = "Caring for Our Children, family child care";
const LARGE: &str = "Caring for Our Children 1.1.1.2, large family child care homes";

/// Large home rows: (to month, per staff, size).
const LARGE_ROWS: [(i64, i64, i64); 5] = [
    (12, 2, 6),
    (23, 2, 8),
    (35, 3, 12),
    (47, 7, 12),
    (71, 8, 12),
];

fn large_row(months: i64) -> (i64, i64) {
    let from = [0, 13, 24, 36, 48];
    for (i, (to, per, size)) in LARGE_ROWS.iter().enumerate() {
        if months >= from[i] && months <= *to {
            return (*size, *per);
        }
    }
    (12, 8)
}

fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 {
        a.abs().max(1)
    } else {
        gcd(b, a % b)
    }
}

fn lcm(values: impl Iterator<Item = i64>) -> i64 {
    values.filter(|v| *v > 0).fold(1, |l, v| l / gcd(l, v) * v)
}

fn children_over(sizes: &[i64]) -> i64 {
    let l = lcm(sizes.iter().copied());
    let mut weights: Vec<i64> = sizes.iter().filter(|s| **s > 0).map(|s| l / s).collect();
    weights.sort_unstable_by(|a, b| b.cmp(a));
    let mut total: i64 = weights.iter().sum();
    let mut over = 0;
    for w in weights {
        if total <= l {
            break;
        }
        total -= w;
        over += 1;
    }
    over
}

struct Placement {
    rows: Vec<Row>,
    band: &'static str,
    label: String,
    why: String,
}

fn place_center(ages: &[i64]) -> Placement {
    let ages: Vec<i64> = ages.iter().map(|a| (*a).clamp(0, 36)).collect();
    let (Some(lo), Some(hi)) = (ages.iter().min().copied(), ages.iter().max().copied()) else {
        return Placement {
            rows: Vec::new(),
            band: ROWS[0].id,
            label: ROWS[0].label.into(),
            why: "no children are listed".into(),
        };
    };
    let span = if lo == hi {
        format!("{lo} months")
    } else {
        format!("{lo}–{hi} months")
    };
    let within = |i: usize, a: i64| a >= RANGES[i].1 && a <= RANGES[i].2;
    if let Some(i) = (0..3).find(|&i| ages.iter().all(|a| within(i, *a))) {
        let (label, from, to) = RANGES[i];
        return Placement {
            rows: vec![ROWS[i]; ages.len()],
            band: ROWS[i].id,
            label: ROWS[i].label.into(),
            why: format!(
                "every child ({span}) is within the {label} range of {from}–{to} months (source: NAEYC DAP age ranges)"
            ),
        };
    }
    let first = (0..3).rev().find(|&i| within(i, lo)).unwrap_or(0);
    let last = (0..3).find(|&i| within(i, hi)).unwrap_or(2);
    let (a, b) = (RANGES[first].0, RANGES[last].0);
    if last >= first + 2 {
        return Placement {
            rows: vec![ROWS[3]; ages.len()],
            band: ROWS[3].id,
            label: ROWS[3].label.into(),
            why: format!(
                "ages {span} span {a} to {b}, birth to three, so PITC's mixed-age group applies"
            ),
        };
    }
    Placement {
        rows: ages
            .iter()
            .map(|age| if within(last, *age) { ROWS[last] } else { ROWS[first] })
            .collect(),
        band: "neighbouring-ranges",
        label: format!("{a} and {b}"),
        why: format!(
            "ages {span} span {a} and {b}, so each child counts by its own range: the younger the child, the smaller the group (source: PITC small groups principle)"
        ),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Center,
    SmallHome,
    LargeHome,
}

struct Recommendation {
    kind: Kind,
    band: &'static str,
    label: String,
    limit: String,
    per: i64,
    source: &'static str,
    why: String,
    over: i64,
    /// Each child's (group size, children per caregiver).
    shares: Vec<(i64, i64)>,
}

fn recommend(ages: &[i64], family: bool, adults: i64) -> Recommendation {
    let n = ages.len() as i64;
    if !family {
        let p = place_center(ages);
        let shares: Vec<(i64, i64)> = p.rows.iter().map(|r| (r.size, r.per)).collect();
        let sizes: Vec<i64> = shares.iter().map(|s| s.0).collect();
        let youngest = p
            .rows
            .iter()
            .copied()
            .min_by_key(|r| (r.size, r.per))
            .unwrap_or(ROWS[0]);
        let largest = sizes.iter().copied().max().unwrap_or(youngest.size);
        let limit = if p.band == "neighbouring-ranges" {
            let smallest = sizes.iter().copied().min().unwrap_or(youngest.size);
            let name = |size: i64| {
                ROWS.iter()
                    .find(|r| r.size == size && r.id != "mixed-ages")
                    .map_or("", |r| r.label)
            };
            format!(
                "{} count toward a group of {smallest}, {} toward a group of {largest}",
                name(smallest),
                name(largest)
            )
        } else {
            format!(
                "at most {} children with {} caregivers",
                youngest.size, youngest.caregivers
            )
        };
        return Recommendation {
            kind: Kind::Center,
            band: p.band,
            label: p.label,
            limit,
            per: youngest.per,
            source: PITC,
            why: p.why,
            over: children_over(&sizes),
            shares,
        };
    }
    if n > 6 && adults >= 2 {
        let shares: Vec<(i64, i64)> = ages.iter().map(|a| large_row(*a)).collect();
        let sizes: Vec<i64> = shares.iter().map(|s| s.0).collect();
        return Recommendation {
            kind: Kind::LargeHome,
            band: "large-home",
            label: "a large family child care home".into(),
            limit: "each child counts toward the group size of its age row, at most 12 in all"
                .into(),
            per: large_row(ages.iter().copied().min().unwrap_or(0)).1,
            source: LARGE,
            why: format!(
                "{n} children with {adults} adults is a large home, so the table for large homes applies, each child by the row for its age"
            ),
            over: children_over(&sizes),
            shares,
        };
    }
    let under_two = ages.iter().filter(|a| **a < 24).count() as i64;
    Recommendation {
        kind: Kind::SmallHome,
        band: "small-home",
        label: "a family child care home with one caregiver".into(),
        limit: "at most 6 children, at most 2 under 24 months".into(),
        per: 6,
        source: FCC,
        why: if n > 6 {
            format!("{n} children with one adult listed: one caregiver's limits apply")
        } else {
            format!("{n} children: one caregiver's limits apply")
        },
        over: (n - 6).max(under_two - 2).max(0),
        shares: vec![(6, 6); ages.len()],
    }
}

/// Headcounts against a recommendation, assuming the oldest children were the ones present.
struct HeadcountCheck {
    kind: Kind,
    need: Vec<i64>,
    under_two: Vec<i64>,
    extra: i64,
    unit: i64,
}

impl HeadcountCheck {
    fn new(rec: &Recommendation, ages: &[i64]) -> HeadcountCheck {
        let mut order: Vec<usize> = (0..ages.len()).collect();
        order.sort_by(|a, b| ages[*b].cmp(&ages[*a]));
        let unit = lcm(rec.shares.iter().map(|s| s.1).chain([rec.per]));
        let mut need = vec![0];
        let mut under_two = vec![0];
        for i in order {
            let ratio = rec.shares.get(i).map_or(rec.per, |s| s.1).max(1);
            need.push(need[need.len() - 1] + unit / ratio);
            under_two.push(under_two[under_two.len() - 1] + i64::from(ages[i] < 24));
        }
        HeadcountCheck {
            kind: rec.kind,
            need,
            under_two,
            extra: unit / rec.per.max(1),
            unit,
        }
    }

    fn meets(&self, present: i64, caregivers: i64) -> bool {
        if present <= 0 {
            return true;
        }
        let listed = self.need.len() as i64 - 1;
        let k = present.min(listed).max(0) as usize;
        match self.kind {
            Kind::SmallHome => {
                present <= caregivers.saturating_mul(6)
                    && self.under_two[k] <= caregivers.saturating_mul(2)
            }
            _ => {
                let need = self.need[k] + (present - listed).max(0).saturating_mul(self.extra);
                need <= caregivers.saturating_mul(self.unit)
            }
        }
    }
}

fn most_stretched(headcounts: &[(i64, i64)]) -> Option<usize> {
    let worse = |(c, g): (i64, i64), (wc, wg): (i64, i64)| -> bool {
        match (g <= 0 && c > 0, wg <= 0 && wc > 0) {
            (true, true) => c > wc,
            (true, false) => true,
            (false, true) => false,
            _ if c <= 0 => false,
            _ if wc <= 0 => true,
            _ => c.saturating_mul(wg) > wc.saturating_mul(g),
        }
    };
    let mut best: Option<(usize, (i64, i64))> = None;
    for (i, h) in headcounts.iter().enumerate() {
        match best {
            Some((_, w)) if !worse(*h, w) => {}
            _ => best = Some((i, *h)),
        }
    }
    best.map(|(i, _)| i)
}

fn caseload(ages: &[i64], family: bool) -> (i64, String, &'static str) {
    let n = ages.len() as i64;
    if family {
        let under_two = ages.iter().filter(|a| **a < 24).count() as i64;
        return (
            (n - 6).max(under_two - 2).max(0),
            "at most 6, at most 2 under 24 months".into(),
            FCC,
        );
    }
    let p = place_center(ages);
    let per: Vec<i64> = p.rows.iter().map(|r| r.per).collect();
    let limit = match (p.band, p.rows.first()) {
        ("neighbouring-ranges", _) => {
            format!("{}: each child counts by its own range's ratio", p.label)
        }
        (_, Some(r)) => format!("at most {} for {}", r.per, r.label),
        (_, None) => String::new(),
    };
    (children_over(&per), limit, PITC)
}

// ---- Record access ------------------------------------------------------------------------

fn family(obs: &Observation) -> bool {
    obs.setting == Setting::FamilyChildCare
}

/// An item's value when recorded (not left out, not `not-observed`).
fn recorded<'a>(obs: &'a Observation, rubric: &str, id: &str) -> Option<&'a ItemValue> {
    let item = obs.items.get(rubric)?.get(id)?;
    match &item.value {
        ItemValue::Text(t) if t == "not-observed" => None,
        v => Some(v),
    }
}

fn text(value: &ItemValue) -> &str {
    match value {
        ItemValue::Text(t) => t,
        ItemValue::Count(_) => "",
    }
}

fn item_path(rubric: &str, id: &str) -> String {
    format!("/items/{rubric}/{id}")
}

// ---- small-groups ---------------------------------------------------------------------------

const SG: &str = "small-groups";

/// The small-groups rubric, indicator by indicator, in the order of its metadata.
pub fn small_groups(obs: &Observation) -> Vec<Outcome> {
    let ages: Vec<i64> = obs.children.iter().map(|c| c.age_months).collect();
    let rec = recommend(&ages, family(obs), obs.caregivers.len() as i64);
    let mut out = Vec::with_capacity(7);
    out.push(group_size(obs, &ages, &rec));
    out.push(ratio_throughout(obs, &ages, &rec));
    out.push(match recorded(obs, SG, "own-space") {
        None => missing(
            "own-space",
            "whether the group has its own space was not recorded".into(),
        ),
        Some(v) => rated(
            "own-space",
            if text(v) == "yes" { 5 } else { 2 },
            vec![item_path(SG, "own-space")],
            None,
        ),
    });
    out.push(match recorded(obs, SG, "groups-combined") {
        None => missing(
            "stable-group",
            "how often the group is combined with others was not recorded".into(),
        ),
        Some(v) => rated(
            "stable-group",
            match text(v) {
                "none" => 5,
                "some" => 3,
                "most" => 2,
                _ => 1,
            },
            vec![item_path(SG, "groups-combined")],
            None,
        ),
    });
    out.push(match recorded(obs, SG, "calm-atmosphere") {
        None => missing(
            "calm-atmosphere",
            "the room's atmosphere was not recorded".into(),
        ),
        Some(v) => rated(
            "calm-atmosphere",
            match text(v) {
                "all" => 5,
                "most" => 4,
                "some" => 2,
                _ => 1,
            },
            vec![item_path(SG, "calm-atmosphere")],
            None,
        ),
    });
    out.push(match recorded(obs, SG, "one-to-one-moments") {
        None => missing("one-to-one", "one-to-one moments were not counted".into()),
        Some(v) => {
            let moments = match v {
                ItemValue::Count(n) => *n,
                ItemValue::Text(_) => 0,
            };
            let per_hour_x10 = moments * 600 / obs.minutes;
            let level = if per_hour_x10 >= 30 {
                5
            } else if per_hour_x10 >= 20 {
                4
            } else if per_hour_x10 >= 10 {
                3
            } else if moments > 0 {
                2
            } else {
                1
            };
            rated(
                "one-to-one",
                level,
                vec![item_path(SG, "one-to-one-moments"), "/minutes".into()],
                Some(format!(
                    "{} in {} minutes",
                    count_of(moments, "moment", "moments"),
                    obs.minutes
                )),
            )
        }
    });
    out.push(match recorded(obs, SG, "group-size-policy") {
        None => missing(
            "size-policy",
            "program policies on group size were not reviewed".into(),
        ),
        Some(v) => rated(
            "size-policy",
            if text(v) == "yes" { 5 } else { 2 },
            vec![item_path(SG, "group-size-policy")],
            None,
        ),
    });
    out
}

fn group_size(obs: &Observation, ages: &[i64], rec: &Recommendation) -> Outcome {
    let n = obs.children.len() as i64;
    let mut ev = vec!["/children".to_string(), "/setting".to_string()];
    if rec.kind == Kind::LargeHome {
        ev.push("/caregivers".into());
    }
    let make_up = if rec.kind == Kind::SmallHome {
        let under = ages.iter().filter(|a| **a < 24).count();
        format!("a group of {n}, {under} under 24 months")
    } else {
        format!("a group of {n}")
    };
    let fit = if rec.over == 0 {
        "within".to_string()
    } else {
        format!("{} over", count_of(rec.over, "child", "children"))
    };
    let note = format!(
        "{make_up} ({}): {fit} the recommendation, {} (source: {}); {}",
        rec.label, rec.limit, rec.source, rec.why
    );
    let level = match rec.over {
        i64::MIN..=0 => 5,
        1 => 3,
        2..=3 => 2,
        _ => 1,
    };
    rated("group-size", level, ev, Some(note))
}

fn ratio_throughout(obs: &Observation, ages: &[i64], rec: &Recommendation) -> Outcome {
    if obs.headcounts.is_empty() {
        return missing(
            "ratio-throughout",
            "no headcounts were recorded during the visit".into(),
        );
    }
    let check = HeadcountCheck::new(rec, ages);
    let pairs: Vec<(i64, i64)> = obs
        .headcounts
        .iter()
        .map(|h| (h.children, h.caregivers))
        .collect();
    let met = pairs.iter().filter(|(c, g)| check.meets(*c, *g)).count() as i64;
    let all = pairs.len() as i64;
    let worst = most_stretched(&pairs).unwrap_or(0);
    let w = &obs.headcounts[worst];
    let rule = match rec.kind {
        Kind::SmallHome => {
            "one caregiver for at most 6 children, at most 2 under 24 months".to_string()
        }
        Kind::LargeHome => "each child's ratio by the row for its age".to_string(),
        Kind::Center if rec.band == "neighbouring-ranges" => {
            format!("each child's ratio by its own range ({})", rec.label)
        }
        Kind::Center => format!("1:{} for {}", rec.per, rec.label),
    };
    let note = format!(
        "{rule} (source: {}) met at {met} of {}; most stretched at {} with {} and {}",
        rec.source,
        count_of(all, "headcount", "headcounts"),
        w.at,
        count_of(w.children, "child", "children"),
        count_of(w.caregivers, "caregiver", "caregivers")
    );
    let mut ev = vec!["/headcounts".to_string()];
    if rec.kind != Kind::Center {
        ev.push("/children".into());
    }
    let level = if met == all {
        if all >= 3 {
            5
        } else {
            4
        }
    } else {
        ev.push(format!("/headcounts/{worst}"));
        match percent(met, all) {
            75.. => 3,
            50.. => 2,
            _ => 1,
        }
    };
    rated("ratio-throughout", level, ev, Some(note))
}

// ---- primary-caregiving ---------------------------------------------------------------------

const PC: &str = "primary-caregiving";

/// The primary-caregiving rubric, indicator by indicator, in the order of its metadata.
pub fn primary_caregiving(obs: &Observation) -> Vec<Outcome> {
    let loads = caseloads(obs);
    let mut out = Vec::with_capacity(7);
    out.push(every_child_assigned(obs));
    out.push(caseload_fits_age(obs, &loads));
    for (indicator, item, reason) in [
        (
            "routines-by-primary",
            "routines-by-primary",
            "who did the children's routines was not recorded",
        ),
        (
            "family-main-contact",
            "family-contact",
            "whom families talk with about their child was not recorded",
        ),
    ] {
        out.push(frequency_rating(obs, indicator, item, reason));
    }
    out.push(match recorded(obs, PC, "coverage-during-absence") {
        None => missing(
            "backup-caregiver",
            "who covers for the primary caregiver during breaks and absences was not recorded"
                .into(),
        ),
        Some(v) => rated(
            "backup-caregiver",
            match text(v) {
                "named-backup" => 5,
                "familiar-caregiver" => 4,
                "float-or-substitute" => 2,
                _ => 1,
            },
            vec![item_path(PC, "coverage-during-absence")],
            coach_note(obs, "coverage-during-absence"),
        ),
    });
    out.push(frequency_rating(
        obs,
        "primary-on-shift",
        "primary-on-shift",
        "staff schedules were not compared with the children's hours",
    ));
    out.push(assignment_policy(obs, &loads));
    out
}

fn frequency_rating(
    obs: &Observation,
    indicator: &'static str,
    item: &str,
    reason: &str,
) -> Outcome {
    match recorded(obs, PC, item) {
        None => missing(indicator, reason.into()),
        Some(v) => rated(
            indicator,
            match text(v) {
                "all" => 5,
                "most" => 4,
                "some" => 3,
                _ => 1,
            },
            vec![item_path(PC, item)],
            coach_note(obs, item),
        ),
    }
}

/// The coach's note beside an item, cut to 900 characters.
fn coach_note(obs: &Observation, id: &str) -> Option<String> {
    let note = obs.items.get(PC)?.get(id)?.note.as_deref()?;
    if note.is_empty() {
        return None;
    }
    if note.chars().count() > 900 {
        let mut cut: String = note.chars().take(900).collect();
        cut.push('…');
        return Some(cut);
    }
    Some(note.to_string())
}

/// Each caregiver's children (indexes), by caregiver id in id order.
fn caseloads(obs: &Observation) -> BTreeMap<&str, Vec<usize>> {
    let mut loads: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, c) in obs.children.iter().enumerate() {
        if let Some(id) = &c.primary_caregiver {
            loads.entry(id.as_str()).or_default().push(i);
        }
    }
    loads
}

fn role_of<'a>(obs: &'a Observation, id: &str) -> &'a str {
    obs.caregivers
        .iter()
        .rev()
        .find(|c| c.id == id)
        .map_or("", |c| c.role.as_str())
}

fn every_child_assigned(obs: &Observation) -> Outcome {
    const ID: &str = "every-child-assigned";
    let n = obs.children.len() as i64;
    let mut evidence = vec!["/children".to_string()];
    let mut none = Vec::new();
    let mut covering = Vec::new();
    let mut not_recorded = 0;
    for (i, c) in obs.children.iter().enumerate() {
        match c.primary_status {
            PrimaryStatus::NotRecorded => not_recorded += 1,
            PrimaryStatus::NoneAssigned => {
                none.push(c.id.as_str());
                evidence.push(format!("/children/{i}/primary_caregiver"));
            }
            PrimaryStatus::Assigned => {
                let primary = c.primary_caregiver.as_deref().unwrap_or_default();
                let role = role_of(obs, primary);
                if role == "substitute" || role == "float" {
                    covering.push(format!("{} ({primary}, a {role})", c.id));
                    evidence.push(format!("/children/{i}/primary_caregiver"));
                }
            }
        }
    }
    let known = n - not_recorded;
    if known == 0 {
        return missing(ID, "primary caregivers were not recorded for any child (not recorded is not the same as none assigned)".into());
    }
    if known * 2 < n {
        return missing(
            ID,
            format!("primary caregivers are recorded for only {known} of {n} children"),
        );
    }
    if not_recorded > 0 {
        evidence.push("/caregivers".into());
    }
    let assigned = known - none.len() as i64 - covering.len() as i64;
    let mut parts = Vec::new();
    if !none.is_empty() {
        parts.push(format!("none assigned: {}", none.join(", ")));
    }
    if !covering.is_empty() {
        evidence.push("/caregivers".into());
        parts.push(format!(
            "primary is a substitute or float, who covers for others: {}",
            covering.join(", ")
        ));
    }
    if not_recorded > 0 {
        parts.push(format!(
            "not recorded for {}",
            count_of(not_recorded, "child", "children")
        ));
    }
    let head = if assigned == known {
        if known == 1 {
            "the 1 child recorded has a named primary caregiver in the group".to_string()
        } else {
            format!("all {known} children recorded have a named primary caregiver in the group")
        }
    } else {
        format!(
            "{assigned} of {known} children recorded have a named primary caregiver in the group"
        )
    };
    let note = if parts.is_empty() {
        head
    } else {
        format!("{head}; {}", parts.join(", "))
    };
    let share = percent(assigned, known);
    let level = if assigned == known {
        5
    } else if share >= 75 {
        3
    } else if share >= 50 {
        2
    } else {
        1
    };
    rated(ID, level, evidence, Some(note))
}

fn caseload_fits_age(obs: &Observation, loads: &BTreeMap<&str, Vec<usize>>) -> Outcome {
    const ID: &str = "caseload-fits-age";
    if loads.is_empty() {
        return missing(
            ID,
            "no child has a primary caregiver recorded, so there are no caseloads to look at"
                .into(),
        );
    }
    let mut ages: BTreeMap<&str, Vec<i64>> = loads
        .iter()
        .map(|(id, children)| {
            (
                *id,
                children
                    .iter()
                    .map(|i| obs.children[*i].age_months)
                    .collect(),
            )
        })
        .collect();
    let mut unassigned: Vec<i64> = obs
        .children
        .iter()
        .filter(|c| c.primary_status == PrimaryStatus::NoneAssigned)
        .map(|c| c.age_months)
        .collect();
    unassigned.sort();
    // Lightest caseloads first; a stable sort keeps id order among equals.
    let mut order: Vec<(usize, &str)> = loads.iter().map(|(id, c)| (c.len(), *id)).collect();
    order.sort_by_key(|o| o.0);
    let mut added: BTreeMap<&str, i64> = BTreeMap::new();
    for (j, age) in unassigned.iter().enumerate() {
        let id = order[j % order.len()].1;
        ages.entry(id).or_default().push(*age);
        *added.entry(id).or_default() += 1;
    }
    let family = family(obs);
    let mut worst_over = 0;
    let mut parts = Vec::with_capacity(loads.len());
    let mut source = "";
    for id in loads.keys() {
        let list = &ages[id];
        let (over, limit, src) = caseload(list, family);
        source = src;
        let extra = match added.get(id) {
            Some(k) => format!(" with {k} unassigned shared out"),
            None => String::new(),
        };
        let over_text = if over > 0 {
            format!(", {over} over ({limit})")
        } else {
            String::new()
        };
        parts.push(format!(
            "{id}: {}{extra}{over_text}",
            count_of(list.len() as i64, "child", "children")
        ));
        worst_over = worst_over.max(over);
    }
    let fit = if worst_over == 0 {
        "every caseload fits"
    } else {
        "caseloads over the ratio"
    };
    let note = format!(
        "{}; {fit}: a primary caregiver's caseload is held to the children per caregiver of the children's group (source: {source})",
        parts.join(", ")
    );
    let level = match worst_over {
        i64::MIN..=0 => 5,
        1 => 3,
        2 => 2,
        _ => 1,
    };
    rated(
        ID,
        level,
        vec!["/children".into(), "/caregivers".into(), "/setting".into()],
        Some(note),
    )
}

fn assignment_policy(obs: &Observation, loads: &BTreeMap<&str, Vec<usize>>) -> Outcome {
    const ID: &str = "assignment-policy";
    let Some(v) = recorded(obs, PC, ID) else {
        return missing(
            ID,
            "program materials on primary assignments were not reviewed".into(),
        );
    };
    let note = coach_note(obs, ID);
    let level = match text(v) {
        "written-shared" => 5,
        "written" => 4,
        "informal" => 2,
        _ => 1,
    };
    let n = obs.children.len();
    if level == 2
        && family(obs)
        && n > 0
        && loads.len() == 1
        && loads.values().next().is_some_and(|c| c.len() == n)
    {
        let why = "one provider is primary for every child, so the practice is clear even though it is not written";
        let text = match note {
            None => why.to_string(),
            Some(note) => format!("{why}; {note}"),
        };
        return rated(
            ID,
            3,
            vec![item_path(PC, ID), "/setting".into(), "/children".into()],
            Some(text),
        );
    }
    rated(ID, level, vec![item_path(PC, ID)], note)
}

// ---- Generated records ----------------------------------------------------------------------

/// A small deterministic generator (SplitMix64), so records are the same on every run.
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number from `lo` to `hi`, both included.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }

    /// True one time in `n`.
    pub fn one_in(&mut self, n: u64) -> bool {
        self.next().checked_rem(n) == Some(0)
    }

    /// One of `options`.
    pub fn pick<'a>(&mut self, options: &[&'a str]) -> &'a str {
        options[(self.next() % options.len() as u64) as usize]
    }
}

/// Record `i` of a varied, valid set: centers and homes, every age mix, one to many caregivers
/// of every role, children with and without a primary caregiver (or none recorded), headcounts
/// at and past the ratios, and items recorded, not observed or left out, some with long notes.
pub fn generated_record(rng: &mut Rng, i: usize) -> serde_json::Value {
    use serde_json::json;
    let family = rng.one_in(3);
    let most = if rng.one_in(4) { 7 } else { 3 };
    let caregivers = rng.range(1, most);
    let roles = if family {
        ["provider", "assistant", "substitute", "float", "provider"]
    } else {
        ["teacher", "assistant", "substitute", "float", "teacher"]
    };
    let caregiver_list: Vec<serde_json::Value> = (0..caregivers)
        .map(|k| json!({"id": format!("cg-{k}"), "role": rng.pick(&roles)}))
        .collect();
    let n = match rng.range(0, 9) {
        0 => rng.range(1, 3),
        1..=6 => rng.range(3, 12),
        _ => rng.range(8, 20),
    };
    // Ages clustered around one age of infancy, or spread from birth to three (and past it).
    let (lo, hi) = match rng.range(0, 5) {
        0 => (0, 9),
        1 => (8, 18),
        2 => (16, 36),
        3 => (0, 36),
        4 => (6, 20),
        _ => (0, 48),
    };
    let everyone_not_recorded = rng.one_in(12);
    let children: Vec<serde_json::Value> = (0..n)
        .map(|k| {
            let mut c = json!({"id": format!("c{k}"), "age_months": rng.range(lo, hi)});
            if !everyone_not_recorded {
                match rng.range(0, 9) {
                    0 => c["primary_caregiver"] = serde_json::Value::Null,
                    1 => {}
                    _ => {
                        c["primary_caregiver"] =
                            format!("cg-{}", rng.range(0, caregivers - 1)).into()
                    }
                }
            }
            c
        })
        .collect();
    let headcounts: Vec<serde_json::Value> = (0..rng.range(0, 6))
        .map(|k| {
            json!({
                "at": format!("{:02}:{:02}", 7 + k, rng.range(0, 59)),
                "children": rng.range(0, n),
                "caregivers": rng.range(0, caregivers.min(4)),
            })
        })
        .collect();
    let mut small_groups = serde_json::Map::new();
    let mut primary = serde_json::Map::new();
    let item = |rng: &mut Rng,
                items: &mut serde_json::Map<String, serde_json::Value>,
                id: &str,
                values: &[&str]| {
        if rng.one_in(5) {
            return;
        }
        let value = if rng.one_in(8) {
            "not-observed"
        } else {
            rng.pick(values)
        };
        let mut entry =
            json!({"value": value, "method": rng.pick(&["observed", "interview", "materials"])});
        match rng.range(0, 7) {
            0 => entry["note"] = "x".into(),
            1 => entry["note"] = format!("seen at {} — «calm» ✓", rng.range(1, 99)).into(),
            2 => entry["note"] = "é".repeat(rng.range(880, 1200) as usize).into(),
            _ => {}
        }
        items.insert(id.into(), entry);
    };
    let yes_no = ["yes", "no"];
    let frequency = ["none", "some", "most", "all"];
    item(rng, &mut small_groups, "own-space", &yes_no);
    item(rng, &mut small_groups, "groups-combined", &frequency);
    item(rng, &mut small_groups, "calm-atmosphere", &frequency);
    item(rng, &mut small_groups, "group-size-policy", &yes_no);
    if !rng.one_in(5) {
        let moments: serde_json::Value = if rng.one_in(2) {
            rng.range(0, 12).into()
        } else if rng.one_in(4) {
            "not-observed".into()
        } else {
            rng.range(0, 500).into()
        };
        small_groups.insert(
            "one-to-one-moments".into(),
            json!({"value": moments, "method": "observed"}),
        );
    }
    item(rng, &mut primary, "routines-by-primary", &frequency);
    item(rng, &mut primary, "family-contact", &frequency);
    item(rng, &mut primary, "primary-on-shift", &frequency);
    item(
        rng,
        &mut primary,
        "coverage-during-absence",
        &[
            "named-backup",
            "familiar-caregiver",
            "float-or-substitute",
            "no-plan",
        ],
    );
    item(
        rng,
        &mut primary,
        "assignment-policy",
        &["written-shared", "written", "informal", "none"],
    );
    json!({
        "format": "rubrica.observation/1",
        "id": format!("gen-{i}"),
        "setting": if family { "family-child-care" } else { "center" },
        "observed_on": "2026-03-14",
        "minutes": rng.range(1, 720),
        "caregivers": caregiver_list,
        "children": children,
        "headcounts": headcounts,
        "items": {"small-groups": small_groups, "primary-caregiving": primary},
    })
}
