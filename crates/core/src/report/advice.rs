//! What the report advises: each objective reviewed, objections, tips.

use super::*;

/// Whether an objective's `met_when` conditions all hold, and the learner line that
/// completed them (the latest of the exchanges at which each condition was first met).
pub(super) fn review_objective(
    objective: &Objective,
    input: &ReportInput<'_>,
    learner: &[&TranscriptMessage],
) -> ObjectiveReview {
    let state = input.state;
    let scenario = input.scenario;
    let m = &objective.met_when;
    // For each learner message (exchange = index + 1), the first one where `hit` holds.
    let first = |hit: &dyn Fn(&TranscriptMessage) -> bool| {
        learner.iter().position(|msg| hit(msg)).map(|i| u32::try_from(i + 1).unwrap_or(u32::MAX))
    };
    let mut exchanges: Vec<Option<u32>> = Vec::new();
    for p in &m.patterns {
        exchanges.push(first(&|msg| msg.patterns.iter().any(|d| d.pattern.as_str() == p)));
    }
    for item in &m.discovery {
        exchanges.push(first(&|msg| {
            msg.patterns
                .iter()
                .any(|d| d.pattern == PatternId::DiscoveryQuestion && d.detail.as_deref() == Some(item.as_str()))
        }));
    }
    for topic in &m.facts {
        exchanges.push(
            state
                .facts_revealed
                .iter()
                .zip(&state.facts_revealed_at)
                .filter(|(i, _)| scenario.facts.get(**i).is_some_and(|f| &f.topic == topic))
                .map(|(_, at)| *at)
                .min(),
        );
    }
    if m.key_fact {
        exchanges.push(
            state
                .facts_revealed
                .iter()
                .zip(&state.facts_revealed_at)
                .filter(|(i, _)| scenario.facts.get(**i).is_some_and(|f| f.columbo_only))
                .map(|(_, at)| *at)
                .min(),
        );
    }
    for id in &m.objections_uncovered {
        let uncovered = scenario
            .hidden_objections
            .iter()
            .zip(&state.objections)
            .find(|(o, _)| &o.id == id)
            .and_then(|(_, s)| s.uncovered_at);
        exchanges.push(uncovered);
    }
    if m.converted {
        exchanges.push(state.converted_at);
    }
    if m.reached_decision_maker {
        exchanges.push(state.reached_decision_maker_at);
    }
    if let Some(threshold) = m.gauge_at_least {
        exchanges.push(if state.gauge >= threshold { first(&|msg| msg.gauge_after >= threshold) } else { None });
    }
    let met = !exchanges.is_empty() && exchanges.iter().all(Option::is_some);
    let at = exchanges.iter().flatten().max().copied();
    ObjectiveReview {
        objective: objective.text.clone(),
        met,
        met_by: at
            .filter(|_| met)
            .and_then(|n| learner.get(usize::try_from(n).unwrap_or(0).saturating_sub(1)))
            .map(|msg| msg.content.clone()),
    }
}

pub(super) fn objection_advice(quality: Quality) -> Option<String> {
    match quality {
        Quality::Good => None,
        Quality::Average => {
            Some("Vous avez accusé réception ; creusez maintenant : « qu’est-ce qui vous fait dire ça ? »".into())
        }
        Quality::Poor => Some(PatternId::ObjectionIgnored.advice().into()),
    }
}
