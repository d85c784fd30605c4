//! Read-only helpers registered for rubric scripts. Structural rules (age bands, recommended
//! group sizes, ratios) live here, in Rust, so each script stays short and readable.
//!
//! Every helper is pure: it reads its arguments and returns a value; none can reach the host.

use crate::view::{field, RecordObject};
use rhai::{Array, Dynamic, EvalAltResult, FnPtr, Map, NativeCallContext, Position, INT};

/// Age band of a child, PITC style: `young-infant` (0–7 months), `mobile-infant` (8–17),
/// `older-infant` (18–35) or `preschool` (36 and over).
pub fn age_band(months: INT) -> &'static str {
    match months {
        i64::MIN..=7 => "young-infant",
        8..=17 => "mobile-infant",
        18..=35 => "older-infant",
        _ => "preschool",
    }
}

fn ages(children: &Array) -> Vec<INT> {
    children
        .iter()
        .filter_map(|c| field(c, "age_months").and_then(|a| a.as_int().ok()))
        .collect()
}

/// How a center group is placed in PITC's rows (see [`crate::tables::place_center`]):
/// `young-infant`, `mobile-infant` or `older-infant` when every child fits that (overlapping)
/// age range, `mixed-ages` from young infants to toddlers, `neighbouring-ranges` over two
/// neighbouring ranges (`none` for an empty list).
pub fn group_band(children: Array) -> String {
    let ages = ages(&children);
    if ages.is_empty() {
        return "none".into();
    }
    crate::tables::place_center(&ages, &crate::locale::EN)
        .1
        .into()
}

/// The recommended group for an age mix and setting, from the published tables
/// ([`crate::tables::recommend`], one adult for family child care):
/// `#{size, caregivers, ratio, band, source, max_under_24, why}` where `ratio` is children per
/// caregiver and `max_under_24` is set for family child care (else `()`). Scripts that know the
/// number of adults use `group_for(ages, setting, adults)`.
pub fn recommended_group(children: Array, setting: &str) -> Map {
    let rec = crate::tables::recommend(
        &ages(&children),
        setting == "family-child-care",
        1,
        crate::messages::words(),
    );
    let mut m = Map::new();
    m.insert("size".into(), rec.size.into());
    m.insert("caregivers".into(), rec.caregivers.into());
    m.insert("ratio".into(), rec.per_caregiver.into());
    m.insert("band".into(), rec.band.into());
    m.insert("source".into(), rec.source.into());
    m.insert("why".into(), rec.why.into());
    m.insert(
        "max_under_24".into(),
        rec.max_under_24.map_or(Dynamic::UNIT, Dynamic::from),
    );
    m
}

fn headcount_numbers(h: &Dynamic) -> Option<(INT, INT)> {
    let c = field(h, "children")?.as_int().ok()?;
    let g = field(h, "caregivers")?.as_int().ok()?;
    Some((c, g))
}

/// True when a headcount has at most `per_caregiver` children for each caregiver present.
pub fn meets_ratio(headcount: Dynamic, per_caregiver: INT) -> Result<bool, Box<EvalAltResult>> {
    let (c, g) = headcount_numbers(&headcount)
        .ok_or_else(|| runtime("`meets_ratio` expects a headcount such as `r.headcounts[0]`"))?;
    Ok(c <= g.saturating_mul(per_caregiver))
}

/// Index of the headcount with the most children per caregiver (see
/// [`crate::tables::most_stretched`]: no caregivers at all is the worst; a headcount with no
/// children never is, even when it comes first).
fn worst_index(headcounts: &Array) -> Option<usize> {
    let numbers: Vec<(usize, (INT, INT))> = headcounts
        .iter()
        .enumerate()
        .filter_map(|(i, h)| headcount_numbers(h).map(|n| (i, n)))
        .collect();
    let pairs: Vec<(INT, INT)> = numbers.iter().map(|(_, n)| *n).collect();
    crate::tables::most_stretched(&pairs).and_then(|k| numbers.get(k).map(|(i, _)| *i))
}

/// The headcount with the most children per caregiver (`()` when there are none).
pub fn worst_headcount(headcounts: Array) -> Dynamic {
    worst_index(&headcounts)
        .and_then(|i| headcounts.get(i).cloned())
        .unwrap_or(Dynamic::UNIT)
}

/// Index of the worst headcount in the list (`-1` when there are none), for citing evidence.
pub fn worst_headcount_index(headcounts: Array) -> INT {
    worst_index(&headcounts).map_or(-1, |i| i as INT)
}

/// Most children present at any headcount (0 when there are none).
pub fn most_children_present(headcounts: Array) -> INT {
    headcounts
        .iter()
        .filter_map(headcount_numbers)
        .map(|(c, _)| c)
        .max()
        .unwrap_or(0)
}

/// How many maps in `list` have `field` equal to `value`.
pub fn count_where(list: Array, key: &str, value: Dynamic) -> INT {
    list.iter()
        .filter(|e| field(e, key).is_some_and(|v| same(&v, &value)))
        .count() as INT
}

/// How many children are younger than `months`.
pub fn count_under(children: Array, months: INT) -> INT {
    ages(&children).into_iter().filter(|a| *a < months).count() as INT
}

fn same(a: &Dynamic, b: &Dynamic) -> bool {
    if let (Ok(x), Ok(y)) = (a.as_int(), b.as_int()) {
        return x == y;
    }
    if let (Ok(x), Ok(y)) = (a.as_bool(), b.as_bool()) {
        return x == y;
    }
    if a.is_unit() && b.is_unit() {
        return true;
    }
    match (
        a.read_lock::<rhai::ImmutableString>(),
        b.read_lock::<rhai::ImmutableString>(),
    ) {
        (Some(x), Some(y)) => x.as_str() == y.as_str(),
        _ => false,
    }
}

/// `part` as a whole percentage of `whole`, rounded down (0 when `whole` is 0).
pub fn percent(part: INT, whole: INT) -> INT {
    if whole <= 0 {
        0
    } else {
        part.saturating_mul(100) / whole
    }
}

/// Ids of children none of whose home languages is spoken by any caregiver of the record.
pub fn children_without_shared_language(r: &RecordObject) -> Array {
    let caregiver_langs: Vec<String> = list_of(r, "caregivers")
        .iter()
        .flat_map(|c| strings_of(c, "languages"))
        .collect();
    list_of(r, "children")
        .iter()
        .filter(|c| {
            let home = strings_of(c, "home_languages");
            !home.is_empty() && !home.iter().any(|l| caregiver_langs.contains(l))
        })
        .filter_map(|c| field(c, "id"))
        .collect()
}

fn list_of(r: &RecordObject, key: &str) -> Array {
    r.field(key)
        .and_then(|v| crate::view::list(&v))
        .unwrap_or_default()
}

fn strings_of(d: &Dynamic, key: &str) -> Vec<String> {
    field(d, key)
        .and_then(|v| crate::view::list(&v))
        .map(|a| a.iter().map(|s| s.to_string()).collect())
        .unwrap_or_default()
}

fn item_entry(r: &RecordObject, id: &str) -> Result<Dynamic, Box<EvalAltResult>> {
    let items = r
        .field("items")
        .ok_or_else(|| runtime("`item` expects the record `r` as its first argument"))?;
    field(&items, id).ok_or_else(|| {
        runtime(&format!(
            "item `{id}` is not declared in this rubric's metadata; add it to `items` in rubric.json or fix the id"
        ))
    })
}

/// The recorded value of this rubric's item `id`, or `()` when the coach did not record it.
pub fn item(r: &RecordObject, id: &str) -> Result<Dynamic, Box<EvalAltResult>> {
    Ok(field(&item_entry(r, id)?, "value").unwrap_or(Dynamic::UNIT))
}

/// True when item `id` was recorded with a value other than `not-observed`.
pub fn recorded(r: &RecordObject, id: &str) -> Result<bool, Box<EvalAltResult>> {
    let v = item(r, id)?;
    Ok(!v.is_unit()
        && v.read_lock::<rhai::ImmutableString>()
            .is_none_or(|s| s.as_str() != "not-observed"))
}

/// How item `id` was gathered: `observed`, `interview`, `materials`, or `()`.
pub fn item_method(r: &RecordObject, id: &str) -> Result<Dynamic, Box<EvalAltResult>> {
    Ok(field(&item_entry(r, id)?, "method").unwrap_or(Dynamic::UNIT))
}

/// What an indicator function returns: made only by [`rating`] and [`not_enough_evidence`],
/// which record where in the script they were called. Scripts see the type as `Rating`.
#[derive(Debug, Clone)]
pub(crate) enum Verdict {
    /// A level with its evidence (record paths or item ids) and an optional note.
    Rated {
        level: INT,
        evidence: Array,
        note: Dynamic,
        at: Position,
    },
    /// The record does not let the indicator be rated; `reason` says what is missing.
    NotEnoughEvidence { reason: Dynamic, at: Position },
}

/// A rating: `level` on the rubric's scale, with the evidence it rests on (record paths such as
/// `/children` or item ids of this rubric) and an optional note for the coach.
fn rating(ctx: &NativeCallContext, level: INT, evidence: Dynamic, note: Dynamic) -> Verdict {
    let evidence = evidence
        .try_cast_result::<Array>()
        .unwrap_or_else(|single| vec![single]);
    Verdict::Rated {
        level,
        evidence,
        note,
        at: ctx.call_position(),
    }
}

/// "Not enough evidence": the record does not let this indicator be rated; `reason` says what
/// is missing. This is never a low score.
fn not_enough_evidence(ctx: &NativeCallContext, reason: Dynamic) -> Verdict {
    Verdict::NotEnoughEvidence {
        reason,
        at: ctx.call_position(),
    }
}

/// Merge sort with a script comparer. Replaces rhai's own `sort(comparer)`, which hands the
/// comparer to `slice::sort_by`: that may panic when the comparer is not a total order, and a
/// panic must never cross the wasm boundary (the browser build aborts on panic). A merge sort
/// stays well defined whatever the comparer answers; comparer errors (such as the operation
/// budget) are passed on instead of being swallowed.
fn sort_with(
    ctx: &NativeCallContext,
    list: &mut Array,
    comparer: &FnPtr,
) -> Result<(), Box<EvalAltResult>> {
    let mut items: Vec<Dynamic> = std::mem::take(list);
    let mut width = 1;
    let len = items.len();
    while width < len {
        let mut merged: Vec<Dynamic> = Vec::with_capacity(len);
        let mut rest = items.into_iter().peekable();
        while rest.peek().is_some() {
            let left: Vec<Dynamic> = rest.by_ref().take(width).collect();
            let right: Vec<Dynamic> = rest.by_ref().take(width).collect();
            let mut left = left.into_iter().peekable();
            let mut right = right.into_iter().peekable();
            loop {
                let take_right = match (left.peek(), right.peek()) {
                    (Some(a), Some(b)) => {
                        let answer: Dynamic =
                            comparer.call_raw(ctx, None, [a.clone(), b.clone()])?;
                        let order = answer
                            .as_int()
                            .or_else(|_| answer.as_bool().map(|before| if before { -1 } else { 1 }))
                            .map_err(|_| runtime("a sort comparer returns a number (negative, 0 or positive) or `true`/`false`"))?;
                        order > 0
                    }
                    (Some(_), None) => false,
                    (None, Some(_)) => true,
                    (None, None) => break,
                };
                let next = if take_right {
                    right.next()
                } else {
                    left.next()
                };
                merged.extend(next);
            }
        }
        items = merged;
        width = width.saturating_mul(2);
    }
    *list = items;
    Ok(())
}

/// A helper's list argument: a record list or an array a script built.
fn list_arg(value: &Dynamic, helper: &str) -> Result<Array, Box<EvalAltResult>> {
    crate::view::list(value).ok_or_else(|| {
        runtime(&format!(
            "`{helper}` expects a list such as `r.children`, not {}",
            value.type_name()
        ))
    })
}

fn runtime(msg: &str) -> Box<EvalAltResult> {
    Box::new(EvalAltResult::ErrorRuntime(msg.into(), Position::NONE))
}

/// Registers every helper on `engine`.
pub fn register(engine: &mut rhai::Engine) {
    engine
        .register_fn("age_band", age_band)
        // List helpers take a record list (`r.children`) or an array a script built.
        .register_fn("group_band", |c: Dynamic| {
            list_arg(&c, "group_band").map(group_band)
        })
        .register_fn(
            "recommended_group",
            |c: Dynamic, s: rhai::ImmutableString| {
                list_arg(&c, "recommended_group").map(|c| recommended_group(c, &s))
            },
        )
        .register_fn("meets_ratio", meets_ratio)
        .register_fn("worst_headcount", |h: Dynamic| {
            list_arg(&h, "worst_headcount").map(worst_headcount)
        })
        .register_fn("worst_headcount_index", |h: Dynamic| {
            list_arg(&h, "worst_headcount_index").map(worst_headcount_index)
        })
        .register_fn("most_children_present", |h: Dynamic| {
            list_arg(&h, "most_children_present").map(most_children_present)
        })
        .register_fn(
            "count_where",
            |l: Dynamic, k: rhai::ImmutableString, v: Dynamic| {
                list_arg(&l, "count_where").map(|l| count_where(l, &k, v))
            },
        )
        .register_fn("count_under", |c: Dynamic, months: INT| {
            list_arg(&c, "count_under").map(|c| count_under(c, months))
        })
        .register_fn("percent", percent)
        .register_fn(
            "children_without_shared_language",
            |r: &mut RecordObject| children_without_shared_language(r),
        )
        // `&mut`: rhai passes the record handle by reference; the helpers only read it.
        .register_fn("item", |r: &mut RecordObject, id: rhai::ImmutableString| {
            item(r, &id)
        })
        .register_fn(
            "recorded",
            |r: &mut RecordObject, id: rhai::ImmutableString| recorded(r, &id),
        )
        .register_fn(
            "item_method",
            |r: &mut RecordObject, id: rhai::ImmutableString| item_method(r, &id),
        )
        .register_type_with_name::<Verdict>("Rating")
        .register_fn("rating", |ctx: NativeCallContext, l: INT, e: Dynamic| {
            rating(&ctx, l, e, Dynamic::UNIT)
        })
        .register_fn(
            "rating",
            |ctx: NativeCallContext, l: INT, e: Dynamic, n: Dynamic| rating(&ctx, l, e, n),
        )
        .register_fn(
            "not_enough_evidence",
            |ctx: NativeCallContext, reason: Dynamic| not_enough_evidence(&ctx, reason),
        );
    // Helpers over the published tables (group sizes, ratios, caseloads).
    crate::tables::script::register(engine);
    // `say`: the rubric's messages in the language it rates in.
    crate::messages::register(engine);
    // These shadow the standard package's comparer sorts (see `sort_with`).
    for name in ["sort", "sort_by"] {
        engine.register_fn(
            name,
            |ctx: NativeCallContext, list: &mut Array, comparer: FnPtr| {
                sort_with(&ctx, list, &comparer)
            },
        );
    }
    for name in ["order", "order_by"] {
        engine.register_fn(
            name,
            |ctx: NativeCallContext, list: &mut Array, comparer: FnPtr| {
                let mut copy = list.clone();
                sort_with(&ctx, &mut copy, &comparer).map(|()| copy)
            },
        );
    }
}

/// Names of all helpers, so scripts cannot shadow them by accident.
pub const HELPER_NAMES: &[&str] = &[
    "age_band",
    "group_band",
    "recommended_group",
    "meets_ratio",
    "worst_headcount",
    "worst_headcount_index",
    "most_children_present",
    "count_where",
    "count_under",
    "percent",
    "children_without_shared_language",
    "item",
    "recorded",
    "item_method",
    "rating",
    "not_enough_evidence",
    "group_for",
    "headcount_meets",
    "caseload_for",
    "headcounts_meeting",
    "say",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn child(age: INT) -> Dynamic {
        let mut m = Map::new();
        m.insert("age_months".into(), age.into());
        Dynamic::from_map(m)
    }

    #[test]
    fn bands_follow_pitc_age_ranges() {
        assert_eq!(age_band(0), "young-infant");
        assert_eq!(age_band(7), "young-infant");
        assert_eq!(age_band(8), "mobile-infant");
        assert_eq!(age_band(17), "mobile-infant");
        assert_eq!(age_band(18), "older-infant");
        assert_eq!(age_band(35), "older-infant");
        assert_eq!(age_band(36), "preschool");
    }

    #[test]
    fn recommended_group_by_age_mix_and_setting() {
        let infants = vec![child(3), child(6)];
        let g = recommended_group(infants.clone(), "center");
        assert_eq!(g.get("size").and_then(|v| v.as_int().ok()), Some(6));
        assert_eq!(g.get("ratio").and_then(|v| v.as_int().ok()), Some(3));
        let mixed = vec![child(3), child(30)];
        let g = recommended_group(mixed, "center");
        assert_eq!(g.get("size").and_then(|v| v.as_int().ok()), Some(8));
        assert_eq!(
            g.get("band").map(|v| v.to_string()),
            Some("mixed-ages".into())
        );
        let g = recommended_group(infants, "family-child-care");
        assert_eq!(g.get("max_under_24").and_then(|v| v.as_int().ok()), Some(2));
    }

    #[test]
    fn worst_headcount_compares_without_division() {
        let hc = |c: INT, g: INT| {
            let mut m = Map::new();
            m.insert("children".into(), c.into());
            m.insert("caregivers".into(), g.into());
            Dynamic::from_map(m)
        };
        assert_eq!(worst_headcount_index(vec![hc(6, 2), hc(7, 2), hc(4, 2)]), 1);
        assert_eq!(worst_headcount_index(vec![hc(6, 2), hc(1, 0)]), 1);
        assert_eq!(worst_headcount_index(vec![]), -1);
        // An empty first headcount is replaced by a real one (it used to stay the "worst").
        assert_eq!(worst_headcount_index(vec![hc(0, 0), hc(6, 2)]), 1);
        assert_eq!(worst_headcount_index(vec![hc(0, 0), hc(2, 2), hc(5, 2)]), 2);
        assert!(!meets_ratio(hc(7, 2), 3).unwrap_or(true));
        assert!(meets_ratio(hc(6, 2), 3).unwrap_or(false));
    }
}
