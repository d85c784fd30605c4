//! Published tables the rubrics rate against, kept as data: each row names the source it comes
//! from, and `docs/sources.md` lists every row (a test checks the two agree). Scripts reach these
//! tables through helpers; nothing here reads a record, so each row is tested with plain numbers.
//!
//! How a group is placed in a row (the classification) is Rubrica's reading of the sources, not
//! a rule any of them states; `docs/sources.md` says so, and every note explains the placement.
//!
//! The texts a note shows (row labels, limits, why a group is placed where it is, how a source
//! is cited) are the engine's words ([`Words`]) of the language the rubric rates in.

use crate::locale::{fill, Words};

/// A published source, as notes and `docs/sources.md` cite it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source {
    /// Short name used in notes, e.g. `PITC recommended group sizes`.
    pub cited_as: &'static str,
    /// Full reference: title, publisher, section or table.
    pub reference: &'static str,
}

/// PITC's recommended group sizes by age of infancy.
pub const PITC_GROUP_SIZES: Source = Source {
    cited_as: "PITC recommended group sizes",
    reference: "Program for Infant/Toddler Care (WestEd), \"Creating Small Groups: PITC's Recommendations\" (J. Poole, 2004), slide \"PITC Recommended Group Sizes\": young infants 6 infants with 2 caregivers, mobile infants 9 with 3, toddlers 12 with 3, mixed age 8 with 2",
};

/// PITC's three ages of infancy.
pub const PITC_AGES_OF_INFANCY: Source = Source {
    cited_as: "PITC ages of infancy",
    reference: "Program for Infant/Toddler Care (WestEd), \"Infant & Toddler Group Care: PITC Philosophy & Essential Policies and Ages of Infancy\": the three ages of infancy are birth to 8 months, 8 to 18 months and 18 to 36 months",
};

/// PITC's guiding principle for group size.
pub const PITC_YOUNGER_SMALLER: Source = Source {
    cited_as: "PITC small groups principle",
    reference: "Program for Infant/Toddler Care, pitc.org, \"See It in Practice: PITC Center-Based\" (small groups): \"The guiding principle is the younger the child, the smaller the group.\"",
};

/// NAEYC's overlapping age ranges for infants and toddlers.
pub const NAEYC_AGE_RANGES: Source = Source {
    cited_as: "NAEYC DAP age ranges",
    reference: "C. Copple and S. Bredekamp (eds.), Developmentally Appropriate Practice in Early Childhood Programs Serving Children from Birth through Age 8, 3rd ed. (NAEYC, 2009), infants and toddlers: young infants birth to 9 months, mobile infants 8 to 18 months, toddlers 16 to 36 months",
};

/// The family child care recommendation for one caregiver.
pub const FCC_ONE_CAREGIVER: Source = Source {
    cited_as: "Caring for Our Children, family child care",
    reference: "Child Care Technical Assistance Network (ACF), Infant/Toddler Resource Guide, \"Small Groups\", Rationale: \"The recommended group size in family child care or home-based care is one caregiver for no more than six children, of which no more than two are under age 2 (American Academy of Pediatrics et al., 2011)\" (Caring for Our Children, 3rd ed.)",
};

/// Caring for Our Children's table for large family child care homes.
pub const CFOC_LARGE_FCC: Source = Source {
    cited_as: "Caring for Our Children 1.1.1.2, large family child care homes",
    reference: "Caring for Our Children: National Health and Safety Performance Standards, 4th ed. (AAP, APHA, NRC), Standard 1.1.1.2 \"Ratios for Large Family Child Care Homes and Centers\", table \"Large Family Child Care Homes\" (maximum child:staff ratio and maximum group size by age)",
};

/// The six PITC program practices, for the end of the birth-to-three range.
pub const PITC_PROGRAM_PRACTICES: Source = Source {
    cited_as: "PITC program practices",
    reference: "Relationship-Based Care for Infants and Toddlers: A Training for Trainers Overview (Child Care State Capacity Building Center), the six PITC program practices: continuity of care keeps primary caregivers and children together \"preferably for the children's first 3 years\"",
};

/// Every source the tables and rubrics cite, in the order `docs/sources.md` lists them.
pub const SOURCES: &[Source] = &[
    PITC_GROUP_SIZES,
    PITC_AGES_OF_INFANCY,
    PITC_YOUNGER_SMALLER,
    NAEYC_AGE_RANGES,
    FCC_ONE_CAREGIVER,
    CFOC_LARGE_FCC,
    PITC_PROGRAM_PRACTICES,
];

/// One age range of infancy. Ranges overlap: a child at an overlap fits either band.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgeRange {
    /// Id used by scripts, e.g. `mobile-infant`.
    pub id: &'static str,
    /// The coach's words, e.g. `mobile infants`.
    pub label: &'static str,
    /// First month of the range.
    pub from: i64,
    /// Last month of the range (inclusive).
    pub to: i64,
}

/// NAEYC's overlapping ranges, youngest first. The ages of infancy are not cliffs: a 17-month-old
/// can belong with mobile infants or with toddlers.
pub const AGE_RANGES: [AgeRange; 3] = [
    AgeRange {
        id: "young-infant",
        label: "young infants",
        from: 0,
        to: 9,
    },
    AgeRange {
        id: "mobile-infant",
        label: "mobile infants",
        from: 8,
        to: 18,
    },
    AgeRange {
        id: "older-infant",
        label: "toddlers",
        from: 16,
        to: 36,
    },
];

/// One row of a group-size table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupRow {
    /// Id used by scripts: an [`AgeRange`] id or `mixed-ages`.
    pub id: &'static str,
    /// The coach's words.
    pub label: &'static str,
    /// Largest group recommended.
    pub size: i64,
    /// Caregivers recommended for that group.
    pub caregivers: i64,
    /// Children per caregiver (`size / caregivers`).
    pub per_caregiver: i64,
    /// Where the row comes from.
    pub source: Source,
}

/// PITC's recommended group sizes for centers.
pub const PITC_ROWS: [GroupRow; 4] = [
    GroupRow {
        id: "young-infant",
        label: "young infants",
        size: 6,
        caregivers: 2,
        per_caregiver: 3,
        source: PITC_GROUP_SIZES,
    },
    GroupRow {
        id: "mobile-infant",
        label: "mobile infants",
        size: 9,
        caregivers: 3,
        per_caregiver: 3,
        source: PITC_GROUP_SIZES,
    },
    GroupRow {
        id: "older-infant",
        label: "toddlers",
        size: 12,
        caregivers: 3,
        per_caregiver: 4,
        source: PITC_GROUP_SIZES,
    },
    GroupRow {
        id: "mixed-ages",
        label: "a mixed-age group (birth to three)",
        size: 8,
        caregivers: 2,
        per_caregiver: 4,
        source: PITC_GROUP_SIZES,
    },
];

/// One caregiver in family child care: at most this many children…
pub const FCC_ONE_CAREGIVER_SIZE: i64 = 6;
/// …of whom at most this many are under 24 months.
pub const FCC_ONE_CAREGIVER_UNDER_TWO: i64 = 2;

/// One age row of Caring for Our Children's large family child care home table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LargeHomeRow {
    /// First month of the row.
    pub from: i64,
    /// Last month of the row (inclusive).
    pub to: i64,
    /// The row's age as the table names it.
    pub label: &'static str,
    /// Maximum children per staff member.
    pub per_staff: i64,
    /// Maximum group size.
    pub size: i64,
}

/// Caring for Our Children 1.1.1.2, large family child care homes (rows up to age 5).
pub const LARGE_HOME_ROWS: [LargeHomeRow; 5] = [
    LargeHomeRow {
        from: 0,
        to: 12,
        label: "12 months or younger",
        per_staff: 2,
        size: 6,
    },
    LargeHomeRow {
        from: 13,
        to: 23,
        label: "13–23 months",
        per_staff: 2,
        size: 8,
    },
    LargeHomeRow {
        from: 24,
        to: 35,
        label: "24–35 months",
        per_staff: 3,
        size: 12,
    },
    LargeHomeRow {
        from: 36,
        to: 47,
        label: "3-year-olds",
        per_staff: 7,
        size: 12,
    },
    LargeHomeRow {
        from: 48,
        to: 71,
        label: "4- to 5-year-olds",
        per_staff: 8,
        size: 12,
    },
];

/// A large family child care home has two adults and more children than one caregiver may have.
pub const LARGE_HOME_ADULTS: i64 = 2;
/// The most children a large home's table allows in any row.
pub const LARGE_HOME_MAX: i64 = 12;

/// The large-home row for an age (ages past the table use its last row).
pub fn large_home_row(months: i64) -> LargeHomeRow {
    LARGE_HOME_ROWS
        .iter()
        .copied()
        .find(|r| months >= r.from && months <= r.to)
        .unwrap_or(LARGE_HOME_ROWS[4])
}

/// Which kind of setting a group is judged as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A child care center: PITC's rows.
    Center,
    /// A family child care home with one caregiver's limits.
    SmallHome,
    /// A large family child care home: two adults, more than six children.
    LargeHome,
}

impl Kind {
    /// Id used by scripts.
    pub fn id(self) -> &'static str {
        match self {
            Kind::Center => "center",
            Kind::SmallHome => "small-home",
            Kind::LargeHome => "large-home",
        }
    }
}

/// What a group is held to, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recommendation {
    /// Center, small home or large home.
    pub kind: Kind,
    /// Row id: `young-infant`, `mobile-infant`, `older-infant`, `mixed-ages`,
    /// `neighbouring-ranges`, `small-home` or `large-home`.
    pub band: &'static str,
    /// The group in the coach's words, e.g. `mobile infants and toddlers`.
    pub label: String,
    /// The limit in the coach's words, e.g. `at most 6 children`.
    pub limit: String,
    /// Largest group of the row (for a group counted child by child: the largest row's).
    pub size: i64,
    /// Caregivers the row recommends for a full group.
    pub caregivers: i64,
    /// Children per caregiver (for a group counted child by child: the youngest child's row).
    pub per_caregiver: i64,
    /// Most children under 24 months for one caregiver (small family child care homes only).
    pub max_under_24: Option<i64>,
    /// The source as notes cite it.
    pub source: &'static str,
    /// How the group was placed, in the coach's words.
    pub why: String,
    /// Children over the recommendation: how many would have to join another group (youngest
    /// first) for this one to fit. 0 when it fits.
    pub over: i64,
    /// Each child's row as `(group size, children per caregiver)`, in the order of `ages`.
    pub shares: Vec<(i64, i64)>,
}

fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 {
        a.abs().max(1)
    } else {
        gcd(b, a % b)
    }
}

fn lcm_of(values: impl Iterator<Item = i64>) -> i64 {
    values.filter(|v| *v > 0).fold(1, |l, v| l / gcd(l, v) * v)
}

/// How many children must leave (those with the smallest row first) before the group fits,
/// when each child fills `1 / size` of a group of its own row. For children of one row this is
/// `n - size`; for a group counted child by child there is no cliff at any one child's birthday.
pub fn children_over(sizes: &[i64]) -> i64 {
    let l = lcm_of(sizes.iter().copied());
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

/// Age range `i` (the last one past the end).
fn range_at(i: usize) -> AgeRange {
    AGE_RANGES.get(i).copied().unwrap_or(AGE_RANGES[2])
}

/// PITC row `i` (the mixed-age row past the end).
fn row_at(i: usize) -> GroupRow {
    PITC_ROWS.get(i).copied().unwrap_or(PITC_ROWS[3])
}

/// Index of the first (youngest) age range holding every age.
fn single_range(ages: &[i64]) -> Option<usize> {
    AGE_RANGES
        .iter()
        .position(|r| ages.iter().all(|a| *a >= r.from && *a <= r.to))
}

/// How a center group is placed in PITC's rows: the row of each child, the group's label and
/// why, in the order of `ages`.
///
/// Every child fits one (overlapping) age range: that range's row, youngest first. A group from
/// young infants to toddlers is PITC's mixed-age group (birth to three). A group over two
/// neighbouring ranges is counted child by child: each child fills its own range's share of a
/// group (a child in the overlap counts with the older range), so no single birthday flips the
/// whole group.
pub fn place_center(ages: &[i64], w: &Words) -> (Vec<GroupRow>, &'static str, String, String) {
    let ages: Vec<i64> = ages.iter().map(|a| (*a).clamp(0, 36)).collect();
    let (Some(lo), Some(hi)) = (ages.iter().min().copied(), ages.iter().max().copied()) else {
        return (
            Vec::new(),
            PITC_ROWS[0].id,
            w.row_label(PITC_ROWS[0].id).into(),
            w.no_children_listed.into(),
        );
    };
    let span = if lo == hi {
        fill(w.months, &[&lo.to_string()])
    } else {
        fill(w.months_span, &[&lo.to_string(), &hi.to_string()])
    };
    if let Some(i) = single_range(&ages) {
        let (r, row) = (range_at(i), row_at(i));
        return (
            vec![row; ages.len()],
            row.id,
            w.row_label(row.id).into(),
            fill(
                w.within_range,
                &[
                    &span,
                    w.row_label(r.id),
                    &r.from.to_string(),
                    &r.to.to_string(),
                    w.cited(NAEYC_AGE_RANGES),
                ],
            ),
        );
    }
    // The narrowest span: the oldest range the youngest child fits, the youngest range the
    // oldest child fits.
    let first = AGE_RANGES
        .iter()
        .rposition(|r| lo >= r.from && lo <= r.to)
        .unwrap_or(0);
    let last = AGE_RANGES
        .iter()
        .position(|r| hi >= r.from && hi <= r.to)
        .unwrap_or(2);
    let (a, b) = (range_at(first), range_at(last));
    if last >= first + 2 {
        let row = PITC_ROWS[3];
        return (
            vec![row; ages.len()],
            row.id,
            w.row_label(row.id).into(),
            fill(w.mixed_span, &[&span, w.row_label(a.id), w.row_label(b.id)]),
        );
    }
    let rows = ages
        .iter()
        .map(|age| {
            if *age >= b.from && *age <= b.to {
                row_at(last)
            } else {
                row_at(first)
            }
        })
        .collect();
    (
        rows,
        "neighbouring-ranges",
        fill(w.two_ranges, &[w.row_label(a.id), w.row_label(b.id)]),
        fill(
            w.neighbouring_span,
            &[
                &span,
                w.row_label(a.id),
                w.row_label(b.id),
                w.cited(PITC_YOUNGER_SMALLER),
            ],
        ),
    )
}

/// The PITC row a center group of these ages is placed in, and why (for a group over two
/// neighbouring ranges: the younger range's row, whose ratio the youngest children need).
pub fn classify_center(ages: &[i64], w: &Words) -> (GroupRow, String) {
    let (rows, _, _, why) = place_center(ages, w);
    let row = rows
        .iter()
        .copied()
        .min_by_key(|r| (r.size, r.per_caregiver))
        .unwrap_or(PITC_ROWS[0]);
    (row, why)
}

/// What a group of children with these ages is held to, in this setting with this many adults
/// listed for the group.
pub fn recommend(ages: &[i64], family_child_care: bool, adults: i64, w: &Words) -> Recommendation {
    let n = ages.len() as i64;
    if !family_child_care {
        let (rows, band, label, why) = place_center(ages, w);
        let shares: Vec<(i64, i64)> = rows.iter().map(|r| (r.size, r.per_caregiver)).collect();
        let sizes: Vec<i64> = shares.iter().map(|s| s.0).collect();
        let youngest = classify_center(ages, w).0;
        let largest = rows.iter().map(|r| r.size).max().unwrap_or(youngest.size);
        let limit = if band == "neighbouring-ranges" {
            let smallest = rows.iter().map(|r| r.size).min().unwrap_or(youngest.size);
            let name = |size: i64| {
                PITC_ROWS
                    .iter()
                    .find(|r| r.size == size && r.id != "mixed-ages")
                    .map_or("", |r| w.row_label(r.id))
            };
            fill(
                w.count_toward,
                &[
                    name(smallest),
                    &smallest.to_string(),
                    name(largest),
                    &largest.to_string(),
                ],
            )
        } else {
            fill(
                w.at_most_with,
                &[&youngest.size.to_string(), &youngest.caregivers.to_string()],
            )
        };
        return Recommendation {
            kind: Kind::Center,
            band,
            label,
            limit,
            size: largest,
            caregivers: youngest.caregivers,
            per_caregiver: youngest.per_caregiver,
            max_under_24: None,
            source: w.cited(PITC_GROUP_SIZES),
            why,
            over: children_over(&sizes),
            shares,
        };
    }
    if n > FCC_ONE_CAREGIVER_SIZE && adults >= LARGE_HOME_ADULTS {
        let shares: Vec<(i64, i64)> = ages
            .iter()
            .map(|a| {
                let r = large_home_row(*a);
                (r.size, r.per_staff)
            })
            .collect();
        let sizes: Vec<i64> = shares.iter().map(|s| s.0).collect();
        let youngest = large_home_row(ages.iter().copied().min().unwrap_or(0));
        return Recommendation {
            kind: Kind::LargeHome,
            band: "large-home",
            label: w.large_home.into(),
            limit: fill(w.large_home_limit, &[&LARGE_HOME_MAX.to_string()]),
            size: LARGE_HOME_MAX,
            caregivers: LARGE_HOME_ADULTS,
            per_caregiver: youngest.per_staff,
            max_under_24: None,
            source: w.cited(CFOC_LARGE_FCC),
            why: fill(w.large_home_why, &[&n.to_string(), &adults.to_string()]),
            over: children_over(&sizes),
            shares,
        };
    }
    let under_two = ages.iter().filter(|a| **a < 24).count() as i64;
    let why = if n > FCC_ONE_CAREGIVER_SIZE {
        fill(w.one_adult_listed, &[&n.to_string()])
    } else {
        fill(w.one_caregiver_limits, &[&n.to_string()])
    };
    Recommendation {
        kind: Kind::SmallHome,
        band: "small-home",
        label: w.small_home.into(),
        limit: fill(
            w.small_home_limit,
            &[
                &FCC_ONE_CAREGIVER_SIZE.to_string(),
                &FCC_ONE_CAREGIVER_UNDER_TWO.to_string(),
            ],
        ),
        size: FCC_ONE_CAREGIVER_SIZE,
        caregivers: 1,
        per_caregiver: FCC_ONE_CAREGIVER_SIZE,
        max_under_24: Some(FCC_ONE_CAREGIVER_UNDER_TWO),
        source: w.cited(FCC_ONE_CAREGIVER),
        why,
        over: (n - FCC_ONE_CAREGIVER_SIZE)
            .max(under_two - FCC_ONE_CAREGIVER_UNDER_TWO)
            .max(0),
        shares: vec![(FCC_ONE_CAREGIVER_SIZE, FCC_ONE_CAREGIVER_SIZE); ages.len()],
    }
}

/// Checks headcounts against a recommendation. Headcounts give totals only, so the check is kind
/// to the caregiver: it assumes the oldest children of the group were the ones present. A ratio
/// judged broken is broken for certain. Built once per group, each check is then constant time.
pub struct HeadcountCheck {
    kind: Kind,
    /// Staff needed by the `k` oldest children, in `unit`ths of an adult, for `k` = 0..=n.
    need: Vec<i64>,
    /// Children under 24 months among the `k` oldest.
    under_two: Vec<i64>,
    /// Staff needed by any child beyond those listed (the youngest child's ratio).
    extra: i64,
    unit: i64,
}

impl HeadcountCheck {
    /// Prepares the check for a group with these ages.
    pub fn new(rec: &Recommendation, ages: &[i64]) -> HeadcountCheck {
        let mut order: Vec<usize> = (0..ages.len()).collect();
        order.sort_by(|a, b| ages.get(*b).cmp(&ages.get(*a)));
        let unit = lcm_of(rec.shares.iter().map(|s| s.1).chain([rec.per_caregiver]));
        let mut need = vec![0];
        let mut under_two = vec![0];
        for i in order {
            let ratio = rec.shares.get(i).map_or(rec.per_caregiver, |s| s.1).max(1);
            need.push(need.last().copied().unwrap_or(0) + unit / ratio);
            let young = ages.get(i).is_some_and(|a| *a < 24);
            under_two.push(under_two.last().copied().unwrap_or(0) + i64::from(young));
        }
        HeadcountCheck {
            kind: rec.kind,
            need,
            under_two,
            extra: unit / rec.per_caregiver.max(1),
            unit,
        }
    }

    /// True when `present` children with `caregivers` adults meet the recommendation.
    pub fn meets(&self, present: i64, caregivers: i64) -> bool {
        if present <= 0 {
            return true;
        }
        let listed = self.need.len() as i64 - 1;
        let k = usize::try_from(present.min(listed)).unwrap_or(0);
        match self.kind {
            Kind::SmallHome => {
                let under_two = self.under_two.get(k).copied().unwrap_or(0);
                present <= caregivers.saturating_mul(FCC_ONE_CAREGIVER_SIZE)
                    && under_two <= caregivers.saturating_mul(FCC_ONE_CAREGIVER_UNDER_TWO)
            }
            Kind::Center | Kind::LargeHome => {
                // More children present than listed cannot pass validation; count any extra at
                // the youngest child's ratio all the same.
                let need = self.need.get(k).copied().unwrap_or(0)
                    + (present - listed).max(0).saturating_mul(self.extra);
                need <= caregivers.saturating_mul(self.unit)
            }
        }
    }
}

/// True when `present` children with `caregivers` adults meet the recommendation (see
/// [`HeadcountCheck`]).
pub fn headcount_meets(rec: &Recommendation, ages: &[i64], present: i64, caregivers: i64) -> bool {
    HeadcountCheck::new(rec, ages).meets(present, caregivers)
}

/// Index of the headcount with the most children per caregiver: `(children, caregivers)` pairs.
/// Children with no caregiver present are the most stretched of all; a headcount with no
/// children is the least (so a first `{0, 0}` is replaced by any real headcount).
pub fn most_stretched(headcounts: &[(i64, i64)]) -> Option<usize> {
    // (children, caregivers) compared as children/caregivers without dividing.
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
            None => best = Some((i, *h)),
            Some((_, w)) if worse(*h, w) => best = Some((i, *h)),
            _ => {}
        }
    }
    best.map(|(i, _)| i)
}

/// One primary caregiver's caseload: `(children over, limit in the coach's words, source)`.
/// In a center each child counts by the children-per-caregiver of its PITC row (a caseload of
/// one range: at most that many); in family child care, one caregiver's limits.
pub fn caseload(ages: &[i64], family_child_care: bool, w: &Words) -> (i64, String, &'static str) {
    let n = ages.len() as i64;
    if family_child_care {
        let under_two = ages.iter().filter(|a| **a < 24).count() as i64;
        return (
            (n - FCC_ONE_CAREGIVER_SIZE)
                .max(under_two - FCC_ONE_CAREGIVER_UNDER_TWO)
                .max(0),
            fill(
                w.caseload_home,
                &[
                    &FCC_ONE_CAREGIVER_SIZE.to_string(),
                    &FCC_ONE_CAREGIVER_UNDER_TWO.to_string(),
                ],
            ),
            w.cited(FCC_ONE_CAREGIVER),
        );
    }
    let (rows, band, label, _) = place_center(ages, w);
    let per: Vec<i64> = rows.iter().map(|r| r.per_caregiver).collect();
    let limit = match (band, rows.first()) {
        ("neighbouring-ranges", _) => fill(w.caseload_by_range, &[&label]),
        (_, Some(r)) => fill(
            w.caseload_at_most,
            &[&r.per_caregiver.to_string(), w.row_label(r.id)],
        ),
        (_, None) => String::new(),
    };
    (children_over(&per), limit, w.cited(PITC_GROUP_SIZES))
}

/// Script helpers over these tables. They take plain numbers (ages as a list of whole months),
/// so they do not depend on how the record is handed to scripts:
/// `let ages = r.children.map(|c| c.age_months);`.
pub mod script {
    use super::*;
    use crate::locale::EN;
    use crate::messages::words;
    use rhai::{Array, Dynamic, Map, INT};

    fn ints(list: &Array) -> Vec<i64> {
        list.iter().filter_map(|v| v.as_int().ok()).collect()
    }

    fn is_fcc(setting: &str) -> bool {
        setting == "family-child-care"
    }

    /// `group_for(ages, setting, adults)`: what the group is held to:
    /// `#{kind, band, label, limit, size, caregivers, ratio, max_under_24, source, why, over}`.
    pub fn group_for(ages: Array, setting: &str, adults: INT) -> Map {
        let rec = recommend(&ints(&ages), is_fcc(setting), adults, words());
        let mut m = Map::new();
        m.insert("kind".into(), rec.kind.id().into());
        m.insert("band".into(), rec.band.into());
        m.insert("label".into(), rec.label.into());
        m.insert("limit".into(), rec.limit.into());
        m.insert("size".into(), rec.size.into());
        m.insert("caregivers".into(), rec.caregivers.into());
        m.insert("ratio".into(), rec.per_caregiver.into());
        m.insert(
            "max_under_24".into(),
            rec.max_under_24.map_or(Dynamic::UNIT, Dynamic::from),
        );
        m.insert("source".into(), rec.source.into());
        m.insert("why".into(), rec.why.into());
        m.insert("over".into(), rec.over.into());
        m
    }

    /// `headcount_meets(ages, setting, adults, children_present, caregivers_present)`.
    pub fn headcount_ok(
        ages: Array,
        setting: &str,
        adults: INT,
        present: INT,
        caregivers: INT,
    ) -> bool {
        let ages = ints(&ages);
        let rec = recommend(&ages, is_fcc(setting), adults, &EN);
        headcount_meets(&rec, &ages, present, caregivers)
    }

    /// `headcounts_meeting(ages, setting, adults, headcounts)`: how many headcounts meet the
    /// recommendation, and the index of the first that does not (`-1` when all do):
    /// `#{met, first_unmet}`. One call for the whole list, so a long record stays fast.
    pub fn headcounts_meeting(
        ages: Array,
        setting: &str,
        adults: INT,
        headcounts: &Dynamic,
    ) -> Map {
        let ages = ints(&ages);
        let rec = recommend(&ages, is_fcc(setting), adults, &EN);
        let check = HeadcountCheck::new(&rec, &ages);
        let mut met: INT = 0;
        let mut first_unmet: INT = -1;
        for (i, h) in crate::view::list(headcounts)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let number = |k: &str| crate::view::field(h, k).and_then(|v| v.as_int().ok());
            let (Some(c), Some(g)) = (number("children"), number("caregivers")) else {
                continue;
            };
            if check.meets(c, g) {
                met += 1;
            } else if first_unmet < 0 {
                first_unmet = i as INT;
            }
        }
        let mut m = Map::new();
        m.insert("met".into(), met.into());
        m.insert("first_unmet".into(), first_unmet.into());
        m
    }

    /// `caseload_for(ages, setting)`: `#{over, limit, source}` for one primary caregiver's
    /// children.
    pub fn caseload_for(ages: Array, setting: &str) -> Map {
        let (over, limit, source) = caseload(&ints(&ages), is_fcc(setting), words());
        let mut m = Map::new();
        m.insert("over".into(), over.into());
        m.insert("limit".into(), limit.into());
        m.insert("source".into(), source.into());
        m
    }

    /// Registers the table helpers on `engine`.
    pub fn register(engine: &mut rhai::Engine) {
        engine
            .register_fn("group_for", |a: Array, s: rhai::ImmutableString, n: INT| {
                group_for(a, &s, n)
            })
            .register_fn(
                "headcount_meets",
                |a: Array, s: rhai::ImmutableString, n: INT, p: INT, c: INT| {
                    headcount_ok(a, &s, n, p, c)
                },
            )
            .register_fn(
                "headcounts_meeting",
                |a: Array, s: rhai::ImmutableString, n: INT, h: Dynamic| {
                    headcounts_meeting(a, &s, n, &h)
                },
            )
            .register_fn("caseload_for", |a: Array, s: rhai::ImmutableString| {
                caseload_for(a, &s)
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::EN;

    fn ages(list: &[i64]) -> Vec<i64> {
        list.to_vec()
    }

    // One test per PITC row: a group wholly inside the row's ages gets the row.
    #[test]
    fn pitc_row_young_infants_6_with_2() {
        let (row, why) = classify_center(&ages(&[2, 4, 7, 9]), &EN);
        assert_eq!(
            (row.id, row.size, row.caregivers, row.per_caregiver),
            ("young-infant", 6, 2, 3)
        );
        assert!(why.contains("young infants"), "{why}");
    }

    #[test]
    fn pitc_row_mobile_infants_9_with_3() {
        let (row, _) = classify_center(&ages(&[10, 12, 15, 18]), &EN);
        assert_eq!(
            (row.id, row.size, row.caregivers, row.per_caregiver),
            ("mobile-infant", 9, 3, 3)
        );
    }

    #[test]
    fn pitc_row_toddlers_12_with_3() {
        let (row, _) = classify_center(&ages(&[19, 24, 30, 35]), &EN);
        assert_eq!(
            (row.id, row.size, row.caregivers, row.per_caregiver),
            ("older-infant", 12, 3, 4)
        );
    }

    #[test]
    fn pitc_row_mixed_ages_8_with_2() {
        let (row, why) = classify_center(&ages(&[3, 12, 30]), &EN);
        assert_eq!(
            (row.id, row.size, row.caregivers, row.per_caregiver),
            ("mixed-ages", 8, 2, 4)
        );
        assert!(why.contains("birth to three"), "{why}");
    }

    #[test]
    fn every_pitc_row_is_size_over_caregivers() {
        for row in PITC_ROWS {
            assert_eq!(row.size, row.caregivers * row.per_caregiver, "{}", row.id);
        }
    }

    // One test per NAEYC range, at both of its ends.
    #[test]
    fn naeyc_range_young_infants_0_to_9() {
        assert_eq!(classify_center(&[0, 9], &EN).0.id, "young-infant");
        assert_eq!(classify_center(&[0, 10], &EN).0.id, "young-infant"); // spans two: younger row
        assert!(classify_center(&[0, 10], &EN).1.contains("span"));
    }

    #[test]
    fn naeyc_range_mobile_infants_8_to_18() {
        assert_eq!(classify_center(&[10, 18], &EN).0.id, "mobile-infant");
        assert!(classify_center(&[10, 18], &EN)
            .1
            .contains("within the mobile infants range"));
        assert!(classify_center(&[10, 19], &EN).1.contains("span"));
    }

    #[test]
    fn naeyc_range_toddlers_16_to_36() {
        assert_eq!(classify_center(&[16, 36], &EN).0.id, "older-infant");
        assert!(classify_center(&[15, 36], &EN).1.contains("span"));
    }

    #[test]
    fn one_month_of_age_does_not_flip_the_group() {
        // A 17-month-old among toddlers: toddlers, not mixed ages.
        let mut group = vec![17];
        group.extend([20, 22, 24, 26, 28, 30, 31, 32, 33, 34, 35]);
        assert_eq!(classify_center(&group, &EN).0.id, "older-infant");
        // A group aged 16–20 months is a toddler group of 12, not capped at 8.
        assert_eq!(classify_center(&[16, 17, 18, 19, 20], &EN).0.size, 12);
        // 8 and 9 months fit young and mobile infants: the younger row.
        assert_eq!(classify_center(&[8, 9], &EN).0.id, "young-infant");
        // 16–18 months fit mobile infants and toddlers: the younger row.
        assert_eq!(classify_center(&[16, 18], &EN).0.id, "mobile-infant");
    }

    #[test]
    fn neighbouring_ranges_take_the_younger_row() {
        assert_eq!(classify_center(&[5, 14], &EN).0.id, "young-infant");
        assert_eq!(classify_center(&[12, 30], &EN).0.id, "mobile-infant");
        assert!(classify_center(&[12, 30], &EN).1.contains("younger"));
    }

    // One test per family child care row.
    #[test]
    fn fcc_one_caregiver_6_children_2_under_two() {
        let rec = recommend(&[5, 13, 22, 28, 31, 34], true, 2, &EN);
        assert_eq!(rec.kind, Kind::SmallHome);
        assert_eq!((rec.size, rec.max_under_24), (6, Some(2)));
        assert_eq!(rec.source, FCC_ONE_CAREGIVER.cited_as);
        // Seven children with one adult: still one caregiver's limits (over them).
        assert_eq!(recommend(&[30; 7], true, 1, &EN).kind, Kind::SmallHome);
    }

    #[test]
    fn large_home_row_12_months_or_younger_2_per_staff_group_6() {
        let r = large_home_row(12);
        assert_eq!((r.per_staff, r.size), (2, 6));
        assert_eq!(large_home_row(0), r);
    }

    #[test]
    fn large_home_row_13_to_23_months_2_per_staff_group_8() {
        let r = large_home_row(13);
        assert_eq!((r.per_staff, r.size), (2, 8));
        assert_eq!(large_home_row(23), r);
    }

    #[test]
    fn large_home_row_24_to_35_months_3_per_staff_group_12() {
        let r = large_home_row(24);
        assert_eq!((r.per_staff, r.size), (3, 12));
        assert_eq!(large_home_row(35), r);
    }

    #[test]
    fn large_home_row_3_year_olds_7_per_staff_group_12() {
        let r = large_home_row(36);
        assert_eq!((r.per_staff, r.size), (7, 12));
        assert_eq!(large_home_row(47), r);
    }

    #[test]
    fn large_home_row_4_to_5_year_olds_8_per_staff_group_12() {
        let r = large_home_row(48);
        assert_eq!((r.per_staff, r.size), (8, 12));
        assert_eq!(large_home_row(71), r);
    }

    #[test]
    fn two_adults_with_more_than_six_children_is_a_large_home() {
        let rec = recommend(&[24, 26, 28, 30, 32, 34, 35, 30, 29, 27], true, 2, &EN);
        assert_eq!(rec.kind, Kind::LargeHome);
        assert_eq!((rec.size, rec.per_caregiver, rec.over), (12, 3, 0));
        assert_eq!(rec.source, CFOC_LARGE_FCC.cited_as);
        assert!(rec.why.contains("large home"), "{}", rec.why);
    }

    #[test]
    fn large_home_ratio_sums_each_childs_row() {
        let group = [24, 26, 28, 30, 32, 34, 35, 30, 29, 27];
        let rec = recommend(&group, true, 2, &EN);
        // Six children of 24–35 months need two adults at 3 per adult.
        assert!(headcount_meets(&rec, &group, 6, 2));
        assert!(!headcount_meets(&rec, &group, 7, 2));
        assert!(!headcount_meets(&rec, &group, 4, 1));
        assert!(headcount_meets(&rec, &group, 3, 1));
    }

    #[test]
    fn center_ratio_at_n_minus_1_n_n_plus_1() {
        let rec = recommend(&[2, 3, 4, 5, 6, 7], false, 2, &EN);
        assert!(headcount_meets(&rec, &[2, 3, 4, 5, 6, 7], 5, 2));
        assert!(headcount_meets(&rec, &[2, 3, 4, 5, 6, 7], 6, 2));
        assert!(!headcount_meets(&rec, &[2, 3, 4, 5, 6, 7], 7, 2));
    }

    #[test]
    fn small_home_counts_the_under_twos_that_must_be_present() {
        let group = [5, 13, 22, 28, 31, 34];
        let rec = recommend(&group, true, 1, &EN);
        // Four present: the three oldest are over two, so at most one under-two is certain.
        assert!(headcount_meets(&rec, &group, 4, 1));
        // Six present with one caregiver: three under-twos.
        assert!(!headcount_meets(&rec, &group, 6, 1));
        assert!(headcount_meets(&rec, &group, 6, 2));
    }

    #[test]
    fn most_stretched_replaces_an_empty_first_headcount() {
        assert_eq!(most_stretched(&[(0, 0), (6, 2)]), Some(1));
        assert_eq!(most_stretched(&[(6, 2), (7, 2), (4, 2)]), Some(1));
        assert_eq!(most_stretched(&[(6, 2), (1, 0)]), Some(1));
        assert_eq!(most_stretched(&[(2, 0), (1, 0)]), Some(0));
        assert_eq!(most_stretched(&[(0, 2), (0, 0)]), Some(0));
        assert_eq!(most_stretched(&[]), None);
    }

    #[test]
    fn caseload_follows_each_childs_row() {
        assert_eq!(caseload(&[3, 5, 7], false, &EN).0, 0);
        assert_eq!(caseload(&[3, 5, 7, 8], false, &EN).0, 1);
        assert_eq!(caseload(&[20, 24, 30, 33], false, &EN).0, 0);
        assert_eq!(caseload(&[20, 24, 30, 33, 34], false, &EN).0, 1);
        // Mixed ages birth to three: 1:4.
        assert_eq!(caseload(&[3, 12, 30, 33], false, &EN).0, 0);
        // Family child care: one caregiver's limits.
        assert_eq!(caseload(&[5, 13, 22], true, &EN).0, 1);
        assert_eq!(caseload(&[30; 7], true, &EN).0, 1);
    }

    #[test]
    fn children_over_is_n_minus_size_for_one_row() {
        assert_eq!(children_over(&[6; 6]), 0);
        assert_eq!(children_over(&[6; 7]), 1);
        assert_eq!(children_over(&[6; 5]), 0);
        assert_eq!(children_over(&[12; 13]), 1);
        // One mobile infant (1/9) and eight toddlers (1/12) fill 7/9 of a group.
        let mut g = vec![9];
        g.extend([12; 8]);
        assert_eq!(children_over(&g), 0);
        // Five young infants (1/6) and four mobile infants (1/9): two must leave.
        assert_eq!(children_over(&[6, 6, 6, 6, 6, 9, 9, 9, 9]), 2);
    }
}
