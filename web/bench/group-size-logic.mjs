// The small-groups rubric's `group_size` decision as one JSON Logic rule, for json-logic-engine.
//
// It gives the level (5, 3, 2 or 1) the rubric's `group_size` indicator gives, from the same
// tables (`group_for` in engine/src/tables.rs): PITC's group sizes for centers (overlapping age
// ranges, a mixed-age group, neighbouring ranges counted child by child), one caregiver's limits
// in family child care, and Caring for Our Children's table for large homes. It returns the level
// alone: no evidence, no note, no source, no check of the record.
//
// Only JSON Logic's own operations are used (no custom method). `pipe` with `eachKey` names the
// facts computed once from the record, the way a rule author would keep one rule readable;
// the helpers below only spell the JSON.

const v = (name) => ({ var: name });
const age = { var: "current.age_months" };
const acc = { var: "accumulator" };
/** Counts the children for whom `test` (on `current.age_months`) holds. */
const count = (test) => ({ reduce: [v("children"), { "+": [acc, { if: [test, 1, 0] }] }, 0] });
const pos = (x) => ({ max: [x, 0] });
/** ⌈x / d⌉ for a whole x > 0 and a whole d > 0 (JSON Logic has no rounding). */
const ceilDiv = (x, d) => ({ "/": [{ "-": [{ "+": [x, d - 1] }, { "%": [{ "+": [x, d - 1] }, d] }] }, d] });

/** Facts of the record the decision needs, each computed once. */
const facts = {
  eachKey: {
    fcc: { "==": [v("setting"), "family-child-care"] },
    n: { length: v("children") },
    adults: { length: v("caregivers") },
    // Centers place ages up to 36 months (older children count as 36).
    lo: { reduce: [v("children"), { min: [acc, { min: [age, 36] }] }, 36] },
    hi: { reduce: [v("children"), { max: [acc, { min: [age, 36] }] }, 0] },
    under24: count({ "<": [age, 24] }),
    // Members of the older range of a pair of neighbouring ranges (a child in the overlap
    // counts with the older range).
    mobile: count({ "<=": [8, age, 18] }),
    toddlers: count({ ">=": [age, 16] }),
    // Large family child care homes: rows of 6 (≤ 12 months), 8 (13–23) and 12; each child
    // fills 24 / size of 24 parts of a group.
    y6: count({ "<=": [age, 12] }),
    y8: count({ "<=": [13, age, 23] }),
    excess: { "-": [{ reduce: [v("children"), { "+": [acc, { if: [{ "<=": [age, 12] }, 4, { "<=": [age, 23] }, 3, 2] }] }, 0] }, 24] },
  },
};

/**
 * Children over a group of two neighbouring ranges: `older` of the `n` children fill 1/`big` of a
 * group each, the others 1/`small`; the youngest leave first until the parts add up to one group.
 */
function neighbouring(small, big, older) {
  const younger = { "-": [v("n"), older] };
  const parts = { "-": [{ "+": [{ "*": [younger, big] }, { "*": [older, small] }] }, small * big] };
  return {
    if: [
      { ">": [older, big] }, { "-": [v("n"), big] },
      { "<=": [parts, 0] }, 0,
      ceilDiv(parts, big),
    ],
  };
}

/** Children over the large-home table, youngest rows leaving first. */
const largeHomeOver = {
  if: [
    { "<=": [v("excess"), 0] }, 0,
    { "<=": [v("excess"), { "*": [4, v("y6")] }] }, ceilDiv(v("excess"), 4),
    { "<=": [{ "-": [v("excess"), { "*": [4, v("y6")] }] }, { "*": [3, v("y8")] }] },
    { "+": [v("y6"), ceilDiv({ "-": [v("excess"), { "*": [4, v("y6")] }] }, 3)] },
    { "+": [v("y6"), v("y8"), ceilDiv({ "-": [v("excess"), { "*": [4, v("y6")] }, { "*": [3, v("y8")] }] }, 2)] },
  ],
};

/** Children over the recommendation. */
const over = {
  if: [
    v("fcc"),
    {
      if: [
        { and: [{ ">": [v("n"), 6] }, { ">=": [v("adults"), 2] }] }, largeHomeOver,
        pos({ max: [{ "-": [v("n"), 6] }, { "-": [v("under24"), 2] }] }),
      ],
    },
    { "<=": [v("hi"), 9] }, pos({ "-": [v("n"), 6] }),
    { and: [{ ">=": [v("lo"), 8] }, { "<=": [v("hi"), 18] }] }, pos({ "-": [v("n"), 9] }),
    { ">=": [v("lo"), 16] }, pos({ "-": [v("n"), 12] }),
    { and: [{ "<": [v("lo"), 8] }, { ">": [v("hi"), 18] }] }, pos({ "-": [v("n"), 8] }),
    { "<": [v("lo"), 8] }, neighbouring(6, 9, v("mobile")),
    neighbouring(9, 12, v("toddlers")),
  ],
};

/** The level `group_size` gives for that many children over. */
const level = {
  if: [
    { "<=": [v(""), 0] }, 5,
    { "==": [v(""), 1] }, 3,
    { "<=": [v(""), 3] }, 2,
    1,
  ],
};

/** The whole rule: record → level. */
export const GROUP_SIZE_RULE = { pipe: [facts, over, level] };
