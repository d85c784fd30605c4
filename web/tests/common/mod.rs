//! What the browser tests share: the shipped rubrics and the example records, compiled in, and
//! the engine options each browser runs them with.
#![allow(dead_code)] // each test file uses its own part

pub const INFANTS: &str = include_str!("../../../examples/center-infants.json");
pub const FAMILY: &str = include_str!("../../../examples/family-child-care.json");
pub const TODDLERS: &str = include_str!("../../../examples/center-toddlers-mixed.json");

/// The six shipped rubrics as `(rubric.json, rubric.rhai)`, in practice order.
pub const RUBRICS: [(&str, &str); 6] = [
    (
        include_str!("../../../rubrics/primary-caregiving/rubric.json"),
        include_str!("../../../rubrics/primary-caregiving/rubric.rhai"),
    ),
    (
        include_str!("../../../rubrics/continuity-of-care/rubric.json"),
        include_str!("../../../rubrics/continuity-of-care/rubric.rhai"),
    ),
    (
        include_str!("../../../rubrics/small-groups/rubric.json"),
        include_str!("../../../rubrics/small-groups/rubric.rhai"),
    ),
    (
        include_str!("../../../rubrics/individualized-care/rubric.json"),
        include_str!("../../../rubrics/individualized-care/rubric.rhai"),
    ),
    (
        include_str!("../../../rubrics/culturally-responsive-care/rubric.json"),
        include_str!("../../../rubrics/culturally-responsive-care/rubric.rhai"),
    ),
    (
        include_str!("../../../rubrics/inclusive-care/rubric.json"),
        include_str!("../../../rubrics/inclusive-care/rubric.rhai"),
    ),
];

/// The engine options, as JSON text: the defaults, except in WebKitGTK, the slowest of the three
/// browsers here. On the largest record its slowest rubric took about 70 ms in the optimised
/// build (Chromium about 25 ms) and over 200 ms in a debug build, so it gets a deadline that a
/// busy machine cannot make flaky. Chromium and Firefox run at the defaults.
pub fn options_text() -> &'static str {
    match option_env!("RUBRICA_BROWSER") {
        Some("webkit") => r#"{"limits": {"deadline_ms": 5000}}"#,
        _ => "{}",
    }
}
