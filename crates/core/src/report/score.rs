//! The score (SPEC 5.7): how each criterion earned its points.

use super::*;

pub(super) fn score(
    input: &ReportInput<'_>,
    by_pattern: &BTreeMap<PatternId, (u32, Vec<String>)>,
    objectives: &[ObjectiveReview],
) -> ScoreBreakdown {
    let state = input.state;
    let objectives = if objectives.is_empty() {
        0
    } else {
        count(objectives.iter().filter(|o| o.met).count()) * 20 / count(objectives.len())
    };
    let final_gauge = i32::from(state.gauge) * 25 / 100;
    let moved = (i32::from(state.gauge) - i32::from(state.starting_gauge)).clamp(-20, 30);
    let progression = (moved + 20) * 10 / 50;
    let techniques = (count(by_pattern.keys().filter(|p| p.is_positive()).count()) * 3
        + by_pattern.iter().filter(|(p, _)| p.is_positive()).map(|(_, (n, _))| (*n).min(3) as i32).sum::<i32>())
    .min(20);
    let raised: Vec<_> = state.objections.iter().filter(|o| o.raised_at.is_some()).collect();
    let hidden_objections = if raised.is_empty() {
        0
    } else {
        count(raised.iter().filter(|o| o.hidden_revealed).count()) * 10 / count(raised.len())
    };
    let conversion = if state.converted { 15 } else { 0 };
    let mistakes: u32 = by_pattern.iter().filter(|(p, _)| !p.is_positive()).map(|(_, (n, _))| *n).sum();
    let penalties = -(i32::try_from(mistakes).unwrap_or(i32::MAX).saturating_mul(4).min(25));
    let total = (objectives + final_gauge + progression + techniques + hidden_objections + conversion + penalties)
        .clamp(0, 100);
    ScoreBreakdown {
        objectives,
        final_gauge,
        progression,
        techniques,
        hidden_objections,
        conversion,
        penalties,
        total: u8::try_from(total).unwrap_or(0),
    }
}
