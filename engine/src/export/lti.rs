//! LTI 1.3 Assignment and Grade Services (AGS 2.0): for each practice and each caregiver, the
//! line item to create (`application/vnd.ims.lis.v2.lineitem+json`, §3.2) and the score to post
//! to it (`application/vnd.ims.lis.v1.score+json`, §3.4).

use super::xapi::{extension, missing_rubric};
use super::{find_meta, ExportOptions};
use crate::diagnostic::Diagnostics;
use crate::record::Observation;
use crate::result::{PracticeEntry, Report, RubricResult};
use crate::rubric::RubricMeta;
use serde_json::{json, Map, Value};

/// The line item `tag` of every practice score.
pub(crate) const TAG: &str = "rubrica-practice";

/// One `{lineItem, score}` per practice (in practice order) per caregiver (in record order).
pub(crate) fn scores(
    report: &Report,
    observation: &Observation,
    rubrics: &[&RubricMeta],
    options: &ExportOptions,
) -> Result<Vec<Value>, Diagnostics> {
    let mut out = Vec::new();
    let timestamp = format!("{}T12:00:00.000+00:00", report.observed_on);
    for entry in &report.practices {
        let (rubric_id, line_item, mut score) = match entry {
            PracticeEntry::Success { result } => {
                let meta = find_meta(rubrics, &result.rubric.id, Some(&result.rubric.version))
                    .ok_or_else(|| missing_rubric(result))?;
                (
                    result.rubric.id.as_str(),
                    Some(line_item(&meta.title, &meta.id, result.scale_max)),
                    rated(result),
                )
            }
            PracticeEntry::Failure {
                rubric,
                title,
                errors,
            } => {
                // A rubric that failed to load has no metadata here: its line item (which needs a
                // maximum) is left out; the score still says grading failed.
                let max = find_meta(rubrics, rubric, None).map(|m| m.scale.max());
                let why = errors
                    .first()
                    .map_or_else(String::new, |e| format!(": {}", e.message));
                let mut score = Map::new();
                score.insert("activityProgress".into(), json!("Completed"));
                score.insert("gradingProgress".into(), json!("Failed"));
                score.insert(
                    "comment".into(),
                    json!(format!("{title} could not be scored{why}")),
                );
                (
                    rubric.as_str(),
                    max.map(|m| line_item(title, rubric, m)),
                    score,
                )
            }
        };
        score.insert("timestamp".into(), json!(timestamp));
        score.insert(
            extension(options, "engine"),
            json!({"name": report.engine.name, "version": report.engine.version}),
        );
        score.insert(
            extension(options, "observation"),
            json!({"id": report.record, "rubric": rubric_id}),
        );
        for caregiver in &observation.caregivers {
            let mut s = Map::new();
            s.insert("userId".into(), json!(caregiver.id));
            s.extend(score.clone());
            let mut pair = Map::new();
            if let Some(li) = &line_item {
                pair.insert("lineItem".into(), li.clone());
            }
            pair.insert("score".into(), Value::Object(s));
            out.push(Value::Object(pair));
        }
        score.clear();
    }
    Ok(out)
}

fn line_item(title: &str, rubric_id: &str, max: i64) -> Value {
    json!({
        "label": title,
        "scoreMaximum": max,
        "resourceId": rubric_id,
        "tag": TAG,
    })
}

/// The score of a rubric's result: given with its maximum when the practice has a score
/// (`FullyGraded`); left out when there is not enough evidence (`PendingManual`: a coach has to
/// gather more, and a missing `scoreGiven` clears any earlier score, AGS §3.4.6).
fn rated(result: &RubricResult) -> Map<String, Value> {
    let mut score = Map::new();
    match result.score {
        Some(s) => {
            score.insert("scoreGiven".into(), json!(s.hundredths as f64 / 100.0));
            score.insert("scoreMaximum".into(), json!(result.scale_max));
            score.insert("activityProgress".into(), json!("Completed"));
            score.insert("gradingProgress".into(), json!("FullyGraded"));
            let strengths: Vec<&str> = result.strengths.iter().map(|x| x.title.as_str()).collect();
            let next: Vec<&str> = result
                .growth_areas
                .iter()
                .map(|x| x.title.as_str())
                .collect();
            let mut comment = format!(
                "{}: {s} / {}, {} of {} indicators rated.",
                result.rubric.title, result.scale_max, result.coverage.rated, result.coverage.total
            );
            if !strengths.is_empty() {
                comment.push_str(&format!(" Strengths: {}.", strengths.join("; ")));
            }
            if !next.is_empty() {
                comment.push_str(&format!(" Growth areas: {}.", next.join("; ")));
            }
            score.insert("comment".into(), json!(comment));
        }
        None => {
            score.insert("activityProgress".into(), json!("Completed"));
            score.insert("gradingProgress".into(), json!("PendingManual"));
            score.insert(
                "comment".into(),
                json!(format!(
                    "{}: not enough evidence yet (not a low score), {} of {} indicators rated.",
                    result.rubric.title, result.coverage.rated, result.coverage.total
                )),
            );
        }
    }
    score
}
