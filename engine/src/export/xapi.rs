//! xAPI 1.0.3 statements: one `scored` statement per practice that has a score.
//!
//! A practice without a score (not enough evidence, or a rubric that could not rate the record)
//! gets no statement: a statement is an immutable claim that something happened, and "scored"
//! without a score would be recorded by an LRS as a scoring. The CSV and LTI exports carry those
//! practices.

use super::{find_meta, name_uuid, segment, ExportOptions};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::record::Observation;
use crate::result::{PracticeEntry, Report, RubricResult};
use crate::rubric::RubricMeta;
use serde_json::{json, Map, Value};

/// The ADL verb for a numerical result assigned to an activity.
pub(crate) const VERB_SCORED: &str = "http://adlnet.gov/expapi/verbs/scored";
/// The ADL activity type of an assessment (a rubric rating an observation).
pub(crate) const ACTIVITY_TYPE_ASSESSMENT: &str = "http://adlnet.gov/expapi/activities/assessment";

/// The statements of a report, in practice order.
pub(crate) fn statements(
    report: &Report,
    observation: &Observation,
    rubrics: &[&RubricMeta],
    options: &ExportOptions,
) -> Result<Vec<Value>, Diagnostics> {
    let mut out = Vec::new();
    for entry in &report.practices {
        let PracticeEntry::Success { result } = entry else {
            continue;
        };
        if result.score.is_none() {
            continue;
        }
        let meta = find_meta(rubrics, &result.rubric.id, Some(&result.rubric.version))
            .ok_or_else(|| missing_rubric(result))?;
        out.push(statement(result, meta, report, observation, options));
    }
    Ok(out)
}

pub(crate) fn missing_rubric(result: &RubricResult) -> Diagnostics {
    Diagnostics(vec![Diagnostic::error(
        Code::RubricMetadata,
        format!(
            "rubric `{}` version {} is not loaded",
            result.rubric.id, result.rubric.version
        ),
    )
    .with_help("export with the rubrics the report was scored with")])
}

/// An xAPI Agent identified by a pseudonymous account.
pub(crate) fn agent(options: &ExportOptions, id: &str) -> Value {
    json!({
        "objectType": "Agent",
        "account": {"homePage": options.account_home_page, "name": id},
    })
}

/// The actor: the one caregiver as an Agent, or several as an anonymous Group of Agents.
fn actor(options: &ExportOptions, observation: &Observation) -> Value {
    match observation.caregivers.as_slice() {
        [one] => agent(options, &one.id),
        many => json!({
            "objectType": "Group",
            "member": many.iter().map(|c| agent(options, &c.id)).collect::<Vec<_>>(),
        }),
    }
}

/// The IRI of an extension.
pub(crate) fn extension(options: &ExportOptions, name: &str) -> String {
    format!("{}/extensions/{name}", options.base())
}

/// The activity IRI of a rubric version.
pub(crate) fn rubric_iri(options: &ExportOptions, id: &str, version: &str) -> String {
    format!(
        "{}/rubrics/{}/{}",
        options.base(),
        segment(id),
        segment(version)
    )
}

/// The scaled score, (raw − min) / (max − min), rounded half up to 4 decimals; none for a
/// one-level scale.
pub(crate) fn scaled(hundredths: i64, min: i64, max: i64) -> Option<f64> {
    // In i128: no scale, however wide, overflows.
    let span = (i128::from(max) - i128::from(min)) * 100;
    if span <= 0 {
        return None;
    }
    let above = (i128::from(hundredths) - i128::from(min) * 100).clamp(0, span);
    let ten_thousandths = (above * 20_000 + span) / (2 * span);
    Some(ten_thousandths as f64 / 10_000.0)
}

fn statement(
    result: &RubricResult,
    meta: &RubricMeta,
    report: &Report,
    observation: &Observation,
    options: &ExportOptions,
) -> Value {
    let base = options.base();
    let hundredths = result.score.map_or(0, |s| s.hundredths);
    let (min, max) = (meta.scale.min(), meta.scale.max());
    let caregiver_ids: Vec<&str> = observation
        .caregivers
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    let mut id_parts = vec![
        "xapi-statement",
        base,
        options.account_home_page.as_str(),
        report.record.as_str(),
        result.rubric.id.as_str(),
        result.rubric.version.as_str(),
    ];
    id_parts.extend(&caregiver_ids);
    let language = meta.languages.first().map_or("en", String::as_str);

    let mut score = Map::new();
    score.insert("raw".into(), json!(hundredths as f64 / 100.0));
    score.insert("min".into(), json!(min));
    score.insert("max".into(), json!(max));
    if let Some(s) = scaled(hundredths, min, max) {
        score.insert("scaled".into(), json!(s));
    }

    let mut context = json!({
        "platform": format!("{} {}", report.engine.name, report.engine.version),
        "language": language,
        "contextActivities": {
            "parent": [{
                "objectType": "Activity",
                "id": format!("{base}/observations/{}", segment(&report.record)),
                "definition": {
                    "type": format!("{base}/activity-types/observation"),
                    "name": {"en-US": format!("Observation {}", report.record)},
                },
            }],
            "category": [{
                "objectType": "Activity",
                "id": format!("{base}/practices/{}", segment(&result.rubric.practice)),
                "definition": {
                    "type": format!("{base}/activity-types/practice"),
                },
            }],
        },
        "extensions": {
            extension(options, "observation"): {
                "id": report.record,
                "setting": report.setting.map(|s| s.as_str()),
                "observed_on": report.observed_on,
                "minutes": report.minutes,
            },
            extension(options, "engine"): report.engine,
        },
    });
    if let (Some(observer), Some(ctx)) = (&observation.observer, context.as_object_mut()) {
        ctx.insert("instructor".into(), agent(options, observer));
    }

    json!({
        "id": name_uuid(&id_parts),
        "actor": actor(options, observation),
        "verb": {"id": VERB_SCORED, "display": {"en-US": "scored"}},
        "object": {
            "objectType": "Activity",
            "id": rubric_iri(options, &result.rubric.id, &result.rubric.version),
            "definition": {
                "type": ACTIVITY_TYPE_ASSESSMENT,
                "name": {language: meta.title},
                "description": {language: meta.summary},
                "extensions": {
                    extension(options, "rubric"): {
                        "id": meta.id,
                        "version": meta.version,
                        "practice": meta.practice,
                    },
                },
            },
        },
        "result": {
            "score": score,
            "completion": true,
            "extensions": {
                extension(options, "coverage"): result.coverage,
                extension(options, "indicators"): result.indicators,
            },
        },
        "context": context,
        "timestamp": timestamp(&report.observed_on),
    })
}

/// The visit date at noon UTC: a record has a date but no time of day or time zone, and noon
/// UTC falls on the same calendar date from UTC−11:59 to UTC+11:59.
pub(crate) fn timestamp(observed_on: &str) -> String {
    format!("{observed_on}T12:00:00.000Z")
}

#[cfg(test)]
mod tests {
    use super::scaled;

    #[test]
    fn scaled_scores_stay_in_range_and_round_half_up() {
        assert_eq!(scaled(100, 1, 5), Some(0.0));
        assert_eq!(scaled(500, 1, 5), Some(1.0));
        assert_eq!(scaled(325, 1, 5), Some(0.5625));
        // 2.33 on 1–5: 1.33 / 4 = 0.3325.
        assert_eq!(scaled(233, 1, 5), Some(0.3325));
        // 2.01 on 1–4: 1.01 / 3 = 0.33666… → 0.3367.
        assert_eq!(scaled(201, 1, 4), Some(0.3367));
        assert_eq!(scaled(300, 3, 3), None);
        assert_eq!(scaled(900, 1, 5), Some(1.0));
        assert_eq!(scaled(i64::MAX, i64::MIN, i64::MAX), Some(0.505));
    }
}
