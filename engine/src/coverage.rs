//! Rubric coverage: which `rating(…)` and `not_enough_evidence(…)` calls of a script the
//! self-test cases reach, and which levels they produce, per indicator. A call no case reaches is
//! a branch of the rubric nobody has seen rate.

use crate::cases::{Expected, ReadyCase};
use crate::diagnostic::{Code, Diagnostic};
use crate::mutate::{is_call, literal_level, scan};
use crate::result::RubricResult;
use crate::runtime::{CompiledRubric, Engine};
use serde::Serialize;
use std::collections::BTreeMap;

/// The helper a call site calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SiteCall {
    /// `rating(level, evidence, note)`.
    Rating,
    /// `not_enough_evidence(reason)`.
    NotEnoughEvidence,
}

/// A place in a script that returns an indicator's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallSite {
    /// 1-based line of the call's name.
    pub line: u32,
    /// 1-based column of the call's name.
    pub column: u32,
    /// Which helper is called.
    pub call: SiteCall,
    /// The level, when `rating` is called with a number literal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<i64>,
    /// The top-level function the call is in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub function: Option<String>,
}

impl CallSite {
    /// How the call reads in a list: `rating(3, …)`, `rating(…)`, `not_enough_evidence(…)`.
    pub fn describe(&self) -> String {
        match (self.call, self.level) {
            (SiteCall::Rating, Some(l)) => format!("rating({l}, …)"),
            (SiteCall::Rating, None) => "rating(…)".into(),
            (SiteCall::NotEnoughEvidence, _) => "not_enough_evidence(…)".into(),
        }
    }

    fn outcome(&self) -> Option<Expected> {
        match self.call {
            SiteCall::Rating => self.level.map(Expected::Level),
            SiteCall::NotEnoughEvidence => Some(not_enough_evidence()),
        }
    }
}

fn not_enough_evidence() -> Expected {
    Expected::Missing("not-enough-evidence".into())
}

/// Every `rating(` and `not_enough_evidence(` call in the script's code (strings, comments and
/// the `${…}` of backtick strings skipped), in script order.
pub fn call_sites(script: &str) -> Vec<CallSite> {
    let tokens = scan(script);
    let mut sites = Vec::new();
    for (i, t) in tokens.iter().enumerate().filter(|(_, t)| !t.in_text) {
        let call = if is_call(&tokens, i, "rating") {
            SiteCall::Rating
        } else if is_call(&tokens, i, "not_enough_evidence") {
            SiteCall::NotEnoughEvidence
        } else {
            continue;
        };
        sites.push(CallSite {
            line: t.line,
            column: t.column,
            call,
            level: match call {
                SiteCall::Rating => literal_level(&tokens, i).map(|(_, l)| l),
                SiteCall::NotEnoughEvidence => None,
            },
            function: t.function.map(str::to_string),
        });
    }
    sites
}

/// A call site and the cases that reached it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SiteCoverage {
    /// The call.
    #[serde(flatten)]
    pub site: CallSite,
    /// Names of the cases whose indicator value came from this call (for a call outside the
    /// indicator functions: `case (indicator)`).
    pub reached_by: Vec<String>,
}

/// A level (or `"not-enough-evidence"`) an indicator can give, and the cases that produced it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LevelCoverage {
    /// The level, `"not-enough-evidence"`, or `"not-applicable"` (when the rubric's
    /// `applies_when` ruled the indicator out; never counted as a level to reach).
    pub level: Expected,
    /// True when a call in the script returns it literally; false for a level only a computed
    /// `rating(level, …)` gave.
    pub in_script: bool,
    /// Names of the cases in which the indicator got this level.
    pub produced_by: Vec<String>,
}

/// Coverage of one indicator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndicatorCoverage {
    /// Indicator id.
    pub id: String,
    /// The calls in the indicator's function.
    pub sites: Vec<SiteCoverage>,
    /// The levels it can give or gave, lowest first, `"not-enough-evidence"` last.
    pub levels: Vec<LevelCoverage>,
}

/// Totals of a coverage report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CoverageCounts {
    /// Call sites in the script.
    pub sites: usize,
    /// Call sites some case reached.
    pub sites_reached: usize,
    /// Levels the indicators can give literally (each `"not-enough-evidence"` counts too).
    pub levels: usize,
    /// Of those, the ones some case produced.
    pub levels_reached: usize,
}

impl CoverageCounts {
    /// True when every call site and every level was reached.
    pub fn complete(&self) -> bool {
        self.sites == self.sites_reached && self.levels == self.levels_reached
    }
}

/// Which calls and levels of one rubric its cases reach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoverageReport {
    /// Rubric id.
    pub rubric: String,
    /// The script file, as named in diagnostics.
    pub script_file: String,
    /// Cases run.
    pub cases: usize,
    /// Per indicator, in metadata order.
    pub indicators: Vec<IndicatorCoverage>,
    /// Calls outside the indicator functions (in shared functions of the script).
    pub shared: Vec<SiteCoverage>,
    /// Totals.
    pub counts: CoverageCounts,
}

impl CoverageReport {
    /// One warning per call site no case reaches, at its place in the script, and one per level
    /// in the script no case produces.
    pub fn gaps(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let site_gap = |s: &SiteCoverage, whose: String| {
            Diagnostic::warning(
                Code::NotCovered,
                format!("no case reaches `{}`{whose}", s.site.describe()),
            )
            .with_help("add a case whose record leads the script here, and expect its result")
            .in_file(&self.script_file)
            .at_line_col(s.site.line, s.site.column)
        };
        for ind in &self.indicators {
            for s in ind.sites.iter().filter(|s| s.reached_by.is_empty()) {
                out.push(site_gap(s, format!(" of indicator `{}`", ind.id)));
            }
            for l in ind
                .levels
                .iter()
                .filter(|l| l.in_script && l.produced_by.is_empty())
            {
                // A level is missed when every call that returns it is missed: said above.
                let said = ind
                    .sites
                    .iter()
                    .any(|s| s.site.outcome().as_ref() == Some(&l.level));
                if !said {
                    out.push(
                        Diagnostic::warning(
                            Code::NotCovered,
                            format!(
                                "no case gives indicator `{}` the result {}",
                                ind.id, l.level
                            ),
                        )
                        .with_help("add a case that expects this result")
                        .in_file(&self.script_file),
                    );
                }
            }
        }
        for s in self.shared.iter().filter(|s| s.reached_by.is_empty()) {
            out.push(site_gap(s, String::new()));
        }
        out
    }
}

/// What one case gave: its name, its result (if scoring worked), and, per indicator, the line
/// and column of the call that produced its value.
pub(crate) struct CaseTrace {
    pub name: String,
    pub result: Option<RubricResult>,
    pub sites: Vec<(String, u32, u32)>,
}

/// Runs the cases and reports which calls and levels of the rubric they reach.
pub fn coverage(engine: &Engine, rubric: &CompiledRubric, cases: &[ReadyCase]) -> CoverageReport {
    let traces: Vec<CaseTrace> = cases
        .iter()
        .map(|case| {
            let (result, sites) = engine.evaluate_traced(rubric, &case.record);
            CaseTrace {
                name: case.name.clone(),
                result: result.ok(),
                sites: sites
                    .into_iter()
                    .map(|s| (s.indicator, s.line, s.col))
                    .collect(),
            }
        })
        .collect();
    build(rubric, &traces)
}

pub(crate) fn build(rubric: &CompiledRubric, traces: &[CaseTrace]) -> CoverageReport {
    let meta = rubric.meta();
    let functions: Vec<(String, String)> = meta
        .indicators
        .iter()
        .map(|i| (i.id.clone(), i.function_name()))
        .collect();
    let mut indicators: Vec<IndicatorCoverage> = meta
        .indicators
        .iter()
        .map(|i| IndicatorCoverage {
            id: i.id.clone(),
            sites: Vec::new(),
            levels: Vec::new(),
        })
        .collect();
    let mut shared = Vec::new();
    for site in call_sites(rubric.script()) {
        let owner = functions
            .iter()
            .position(|(_, f)| Some(f.as_str()) == site.function.as_deref());
        let cov = SiteCoverage {
            site,
            reached_by: Vec::new(),
        };
        match owner.and_then(|i| indicators.get_mut(i)) {
            Some(ind) => ind.sites.push(cov),
            None => shared.push(cov),
        }
    }
    // Levels each indicator can give: literal levels of its own calls, and of shared calls it
    // was seen to reach.
    let mut possible: BTreeMap<String, Vec<Expected>> = BTreeMap::new();
    for trace in traces {
        for (indicator, line, column) in &trace.sites {
            let at = |s: &&mut SiteCoverage| s.site.line == *line && s.site.column == *column;
            if let Some(site) = indicators
                .iter_mut()
                .filter(|i| &i.id == indicator)
                .flat_map(|i| i.sites.iter_mut())
                .find(|s| at(s))
            {
                push_unique(&mut site.reached_by, trace.name.clone());
            } else if let Some(site) = shared.iter_mut().find(|s| at(s)) {
                push_unique(
                    &mut site.reached_by,
                    format!("{} ({indicator})", trace.name),
                );
                if let Some(o) = site.site.outcome() {
                    push_unique(possible.entry(indicator.clone()).or_default(), o);
                }
            }
        }
    }
    for ind in &mut indicators {
        let mut levels: Vec<LevelCoverage> = Vec::new();
        let own = ind.sites.iter().filter_map(|s| s.site.outcome());
        for level in own.chain(possible.remove(&ind.id).unwrap_or_default()) {
            if !levels.iter().any(|l| l.level == level) {
                levels.push(LevelCoverage {
                    level,
                    in_script: true,
                    produced_by: Vec::new(),
                });
            }
        }
        for trace in traces {
            let Some(got) = trace
                .result
                .as_ref()
                .and_then(|r| r.indicators.iter().find(|i| i.id == ind.id))
            else {
                continue;
            };
            let level = got
                .level
                .map_or_else(|| Expected::Missing(got.outcome.into()), Expected::Level);
            match levels.iter_mut().find(|l| l.level == level) {
                Some(l) => push_unique(&mut l.produced_by, trace.name.clone()),
                None => levels.push(LevelCoverage {
                    level,
                    in_script: false,
                    produced_by: vec![trace.name.clone()],
                }),
            }
        }
        levels.sort_by_key(|l| match l.level {
            Expected::Level(n) => (0, n),
            Expected::Missing(_) => (1, 0),
        });
        ind.levels = levels;
    }
    let mut counts = CoverageCounts::default();
    for s in indicators.iter().flat_map(|i| &i.sites).chain(&shared) {
        counts.sites += 1;
        counts.sites_reached += usize::from(!s.reached_by.is_empty());
    }
    for l in indicators
        .iter()
        .flat_map(|i| &i.levels)
        .filter(|l| l.in_script)
    {
        counts.levels += 1;
        counts.levels_reached += usize::from(!l.produced_by.is_empty());
    }
    CoverageReport {
        rubric: meta.id.clone(),
        script_file: rubric.script_file().to_string(),
        cases: traces.len(),
        indicators,
        shared,
        counts,
    }
}

fn push_unique<T: PartialEq>(list: &mut Vec<T>, item: T) {
    if !list.contains(&item) {
        list.push(item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_sites_are_found_in_code_only() {
        let script = "// rating(1, [])\nfn a(r) {\n    if r.x { return not_enough_evidence(\"rating(2, [])\"); }\n    rating(3, [\"/x\"], `${rating(9, [])}`)\n}\nfn helper(l) { rating(l, []) }\n";
        let sites = call_sites(script);
        let got: Vec<(u32, u32, String, Option<&str>)> = sites
            .iter()
            .map(|s| (s.line, s.column, s.describe(), s.function.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (3, 21, "not_enough_evidence(…)".to_string(), Some("a")),
                (4, 5, "rating(3, …)".to_string(), Some("a")),
                (6, 16, "rating(…)".to_string(), Some("helper")),
            ]
        );
    }
}
