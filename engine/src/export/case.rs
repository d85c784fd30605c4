//! 1EdTech CASE 1.1: the rubrics as a `CFPackage` whose `CFRubrics` hold one `CFRubric` per
//! rubric, one `CFRubricCriterion` per indicator and one `CFRubricCriterionLevel` per level of
//! the scale.
//!
//! Identifiers are v5 UUIDs of the activity base, the rubric id and version (and the indicator id
//! and level): the same rubric version always has the same identifiers, and a new version has new
//! ones, so `lastChangeDateTime` never has to change under one identifier. It is the
//! `last_change` option (default `1970-01-01T00:00:00Z`), never the clock.

use super::csv::kind_str;
use super::{name_uuid, segment, ExportOptions, ENGINE_NAME, ENGINE_VERSION};
use crate::rubric::RubricMeta;
use serde_json::{json, Value};

/// The package of these rubrics, in practice order (as a report lists them), then by id.
pub(crate) fn package(rubrics: &[&RubricMeta], options: &ExportOptions) -> Value {
    // Insertion by rank: a handful of rubrics, and no sort routine added to the wasm module.
    let rank = |m: &RubricMeta| (crate::result::practice_rank(&m.practice), m.id.clone());
    let mut ordered: Vec<&RubricMeta> = Vec::with_capacity(rubrics.len());
    for m in rubrics {
        let key = rank(m);
        let at = ordered
            .iter()
            .position(|o| rank(o) > key)
            .unwrap_or(ordered.len());
        ordered.insert(at, m);
    }
    let rubrics = ordered;
    let base = options.base();
    let when = options.last_change.as_str();
    let mut names = vec!["case-document", base];
    let keys: Vec<String> = rubrics
        .iter()
        .map(|m| format!("{}@{}", m.id, m.version))
        .collect();
    names.extend(keys.iter().map(String::as_str));
    let document_id = name_uuid(&names);
    let rubrics: Vec<Value> = rubrics.iter().map(|m| rubric(m, options)).collect();
    json!({
        "CFDocument": {
            "identifier": document_id,
            "uri": format!("{base}/case/documents/{document_id}"),
            "creator": "Rubrica",
            "title": "Rubrica practice rubrics",
            "lastChangeDateTime": when,
            "caseVersion": "1.1",
            "description": "Rubrics rating infant–toddler care against program practices, exported by Rubrica.",
            "extensions": {"engine": {"name": ENGINE_NAME, "version": ENGINE_VERSION}},
        },
        "CFRubrics": rubrics,
    })
}

fn rubric(meta: &RubricMeta, options: &ExportOptions) -> Value {
    let base = options.base();
    let when = options.last_change.as_str();
    let id = name_uuid(&["case-rubric", base, &meta.id, &meta.version]);
    let rubric_uri = format!(
        "{base}/case/rubrics/{}/{}",
        segment(&meta.id),
        segment(&meta.version)
    );
    let criteria: Vec<Value> = meta
        .indicators
        .iter()
        .enumerate()
        .map(|(i, ind)| {
            let criterion_id =
                name_uuid(&["case-criterion", base, &meta.id, &meta.version, &ind.id]);
            let criterion_uri = format!("{rubric_uri}/criteria/{}", segment(&ind.id));
            let levels: Vec<Value> = meta
                .scale
                .levels
                .iter()
                .enumerate()
                .map(|(j, level)| {
                    let value = level.value.to_string();
                    let feedback = if level.value >= meta.scale.strength_from {
                        ind.strength_at(level.value)
                    } else {
                        ind.next_step_at(level.value)
                    };
                    json!({
                        "identifier": name_uuid(&[
                            "case-level", base, &meta.id, &meta.version, &ind.id, &value,
                        ]),
                        "uri": format!("{criterion_uri}/levels/{value}"),
                        "description": level.descriptor,
                        "quality": level.label,
                        "score": level.value,
                        "feedback": feedback,
                        "position": j + 1,
                        "rubricCriterionId": criterion_id,
                        "lastChangeDateTime": when,
                    })
                })
                .collect();
            json!({
                "identifier": criterion_id,
                "uri": criterion_uri,
                "category": kind_str(ind.kind),
                "description": ind.title,
                "position": i + 1,
                "rubricId": id,
                "lastChangeDateTime": when,
                "CFRubricCriterionLevels": levels,
                "extensions": {"indicator": ind.id, "evidence": ind.evidence},
            })
        })
        .collect();
    json!({
        "identifier": id,
        "uri": rubric_uri,
        "title": meta.title,
        "description": meta.summary,
        "lastChangeDateTime": when,
        "CFRubricCriteria": criteria,
        "extensions": {
            "rubric": meta.id,
            "version": meta.version,
            "practice": meta.practice,
            "engine": {"name": ENGINE_NAME, "version": ENGINE_VERSION},
        },
    })
}
