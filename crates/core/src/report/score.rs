//! The score (SPEC 5.7, issue 13): outcomes weigh more than techniques, techniques have
//! diminishing returns and count only on relevant, new lines (the analysis gives nothing
//! to repeats and word salad), and the faults a trainer penalises cost points. Each
//! criterion says why it got its points, with the learner's sentences.

use super::*;
use crate::engine::Move;

/// Points of a fault: what a trainer would never let pass costs most.
fn fault_cost(pattern: PatternId) -> i32 {
    use PatternId::*;
    match pattern {
        ConcessionWithoutCounterpart | FalsePretext | CompetitorBashing | Pushy | ObjectionIgnored | AggressiveTone => {
            5
        }
        Repetition | Parroting | OffTopic | PrematurePrice | WrongName | Interruption | Monologue => 3,
        _ => 2,
    }
}

/// The techniques each skill's method is about (METHODS.md).
fn key_techniques(skill: &str) -> &'static [PatternId] {
    use PatternId::*;
    match skill {
        "preparation_ciblage" => &[Personalization, GoodOpenQuestion, DiscoveryQuestion, NextStepProposal],
        "script_accroche" => &[Personalization, ProofUsed, GoodOpenQuestion, NextStepProposal],
        "cold_calling" => &[Personalization, GoodOpenQuestion, DiscoveryQuestion, NextStepProposal],
        "ecoute_active" => &[GoodOpenQuestion, ActiveListening, Reformulation, Empathy],
        "decouverte_compir" => &[GoodOpenQuestion, DiscoveryQuestion, Reformulation, ActiveListening],
        "checklist_bebedc" => &[GoodOpenQuestion, DiscoveryQuestion, Reformulation, NextStepProposal],
        "qualification_columbo" => &[GoodOpenQuestion, Reformulation, ColumboQuestion, NextStepProposal],
        "cartographie_decideurs" => &[DiscoveryQuestion, GoodOpenQuestion, Reformulation, ObjectionDig],
        "profils_psychologiques" => &[GoodOpenQuestion, Reformulation, Empathy, BenefitArgument],
        "argumentation_bac" => &[BenefitArgument, ProofUsed, Reformulation, GoodOpenQuestion],
        "demonstration_produit" => &[BenefitArgument, ProofUsed, Reformulation, GoodOpenQuestion],
        "objections_cnz" => &[ObjectionDig, ObjectionNeutralize, ObjectionZoom, Empathy],
        "negociation" => &[TradedConcession, ObjectionDig, Reformulation, ClosingAttempt],
        "closing_ponts_brules" => &[Reformulation, ClosingAttempt, NextStepProposal],
        "relance_suivi" => &[ProofUsed, GoodOpenQuestion, NextStepProposal],
        "recommandation" => &[GoodOpenQuestion, Reformulation, NextStepProposal],
        "situations_difficiles" => &[Empathy, Reformulation, GoodOpenQuestion],
        _ => &[GoodOpenQuestion, Reformulation, NextStepProposal],
    }
}

pub(super) fn score(
    input: &ReportInput<'_>,
    by_pattern: &BTreeMap<PatternId, (u32, Vec<String>)>,
    objectives: &[ObjectiveReview],
) -> ScoreBreakdown {
    let state = input.state;
    let scenario = input.scenario;
    let learner: Vec<&TranscriptMessage> = input.messages.iter().filter(|m| m.role == Role::User).collect();
    let line_of = |exchange: u32| {
        learner.get(usize::try_from(exchange).unwrap_or(0).saturating_sub(1)).map(|m| m.content.clone())
    };
    let mut criteria = Vec::new();

    // Objectives.
    let met = objectives.iter().filter(|o| o.met).count();
    let objective_points = if objectives.is_empty() { 0 } else { count(met) * 25 / count(objectives.len()) };
    criteria.push(Criterion {
        id: "objectives".into(),
        label: "Objectifs atteints".into(),
        points: objective_points,
        max: 25,
        applies: !objectives.is_empty(),
        why: if objectives.is_empty() {
            "Pas d’objectif de scénario pour cette conversation.".into()
        } else {
            format!("{met} objectif(s) sur {} atteint(s).", objectives.len())
        },
        evidence: objectives.iter().filter_map(|o| o.met_by.clone()).collect(),
    });

    // Facts uncovered (the key fact of a Columbo scenario counts like the others), and the
    // hidden side of each objection brought out: what the prospect confided of their
    // situation. Eight make a thorough discovery; a scenario may hold more than one call
    // needs.
    // Details the prospect confided (who does what, which tool) count as information told,
    // as a trainer counts them; but eight facts of substance make the full mark, so asking
    // only for details never earns it faster.
    let hidden_told = state.objections.iter().filter(|o| o.hidden_revealed).count();
    let substance = scenario.facts.iter().filter(|f| !f.detail).count() + state.objections.len();
    let facts_total = scenario.facts.len() + state.objections.len();
    let discovered = |i: &usize| scenario.facts.get(*i).is_some();
    let told = (state.facts_revealed.iter().filter(|i| discovered(i)).count() + hidden_told).min(facts_total);
    let enough = substance.min(8);
    let fact_points = if enough == 0 { 0 } else { count(told.min(enough)) * 15 / count(enough) };
    criteria.push(Criterion {
        id: "facts".into(),
        label: "Informations obtenues".into(),
        points: fact_points,
        max: 15,
        applies: facts_total > 0,
        why: if facts_total > enough {
            format!(
                "Le prospect vous a confié {told} information(s) sur {facts_total} de sa situation ; {enough} suffisent à une découverte complète."
            )
        } else {
            format!("Le prospect vous a confié {told} information(s) sur {facts_total} de sa situation.")
        },
        evidence: state
            .facts_revealed
            .iter()
            .zip(&state.facts_revealed_at)
            .filter(|(i, _)| discovered(i))
            .filter_map(|(_, at)| line_of(*at))
            .take(3)
            .collect(),
    });

    // Objections: surfaced (the hidden side) and treated.
    let raised: Vec<_> = state.objections.iter().filter(|o| o.raised_at.is_some()).collect();
    let (objection_points, objections_apply, objection_why, objection_evidence) = if !raised.is_empty() {
        let uncovered = raised.iter().filter(|o| o.hidden_revealed).count();
        let treated = raised.iter().filter(|o| o.quality == Some(Quality::Good)).count();
        let points = count(uncovered + treated) * 15 / count(2 * raised.len());
        let why = format!(
            "{} objection(s) soulevée(s) : {treated} traitée(s) par la méthode CNZ, {uncovered} objection(s) cachée(s) mise(s) au jour.",
            raised.len()
        );
        let evidence = raised.iter().filter_map(|o| o.uncovered_at.and_then(line_of)).collect();
        (points, true, why, evidence)
    } else if !state.observed_objections.is_empty() {
        let quality = |q: Quality| match q {
            Quality::Good => 2,
            Quality::Average => 1,
            Quality::Poor => 0,
        };
        let sum: usize = state.observed_objections.iter().map(|o| quality(o.quality)).sum();
        let points = count(sum) * 15 / count(2 * state.observed_objections.len());
        let good = state.observed_objections.iter().filter(|o| o.quality == Quality::Good).count();
        let why = format!("{} objection(s) entendue(s), {good} bien traitée(s).", state.observed_objections.len());
        let evidence = state
            .observed_objections
            .iter()
            .filter(|o| o.quality == Quality::Good)
            .map(|o| o.response.clone())
            .collect();
        (points, true, why, evidence)
    } else {
        (0, false, "Aucune objection n’a été soulevée.".into(), Vec::new())
    };
    criteria.push(Criterion {
        id: "objections".into(),
        label: "Objections traitées".into(),
        points: objection_points,
        max: 15,
        applies: objections_apply,
        why: objection_why,
        evidence: objection_evidence,
    });

    // A next step agreed.
    let conversion = if state.converted { 15 } else { 0 };
    // The words that proposed a step: the one the analysis read as a proposal, else a step
    // without a date ("on se rappelle un de ces jours ?"), still a step proposed, and quoted.
    // The broad step words alone ("présenter", "un point") are no proposal.
    let step_line =
        by_pattern.get(&PatternId::NextStepProposal).and_then(|(_, quoted)| quoted.first().cloned()).or_else(|| {
            let lex = &crate::analysis::lexicon::LEX;
            learner
                .iter()
                .find(|m| crate::text::Normalized::new(&m.content).find_any(&lex.vague_step).is_some())
                .map(|m| m.content.clone())
        });
    criteria.push(Criterion {
        id: "next_step".into(),
        label: "Étape suivante obtenue".into(),
        points: conversion,
        max: 15,
        applies: true,
        why: if state.converted {
            "Le prospect a accepté l’étape suivante que vous avez proposée.".into()
        } else if state.last_move == Move::RefuseNextStep || by_pattern.contains_key(&PatternId::NextStepProposal) {
            "Vous avez proposé une étape suivante, mais le prospect ne l’a pas acceptée.".into()
        } else if step_line.is_some() {
            "Vous avez proposé une suite, mais sans date ni heure : le prospect ne s’est engagé à rien. Proposez un jour, une heure et un objet.".into()
        } else {
            "Aucune étape suivante n’a été proposée ni acceptée.".into()
        },
        evidence: state
            .converted_at
            .and_then(line_of)
            .or_else(|| step_line.filter(|_| !state.converted))
            .into_iter()
            .collect(),
    });

    // Techniques: the skill's own method first (10 points for its key techniques, shown at
    // least once on relevant, new lines), then the rest of the toolbox (1 point each, 5 at
    // most). A learner who piles up other techniques without the method's does not max it.
    let positives: Vec<(&PatternId, &(u32, Vec<String>))> =
        by_pattern.iter().filter(|(p, _)| p.is_positive()).collect();
    let key = key_techniques(&scenario.skill_slug);
    // A report never says « Étape suivante obtenue » and « à travailler : Prochaine étape
    // proposée » together.
    let shown = |p: &PatternId| by_pattern.contains_key(p) || super::step_agreed_shows(state, *p);
    let shown_key: Vec<PatternId> = key.iter().copied().filter(|p| shown(p)).collect();
    let missing_key: Vec<PatternId> = key.iter().copied().filter(|p| !shown(p)).collect();
    let others = positives.iter().filter(|(p, _)| !key.contains(p)).count();
    // Where the method asks for open questions, a run of closed ones costs: a trainer
    // counts how many of the questions asked let the prospect talk.
    let balance = question_balance(&learner).filter(|_| key.contains(&PatternId::GoodOpenQuestion));
    let closed_cost = match balance {
        Some((open, asked)) if open * 10 < asked * 3 => 5,
        Some((open, asked)) if open * 2 < asked => 3,
        _ => 0,
    };
    let technique_points =
        ((count(shown_key.len()) * 10 / count(key.len().max(1)) + count(others).min(5)).min(15) - closed_cost).max(0);
    let labels = |ps: &[PatternId]| ps.iter().map(|p| p.label()).collect::<Vec<_>>().join(", ");
    criteria.push(Criterion {
        id: "techniques".into(),
        label: "Techniques employées".into(),
        points: technique_points,
        max: 15,
        applies: true,
        why: if positives.is_empty() {
            "Aucune technique reconnue sur des répliques pertinentes et nouvelles.".into()
        } else {
            let mut why = format!("Méthode de la compétence : {} sur {}", shown_key.len(), key.len());
            if !shown_key.is_empty() {
                why.push_str(&format!(" ({})", labels(&shown_key)));
            }
            if !missing_key.is_empty() {
                why.push_str(&format!(" ; à travailler : {}", labels(&missing_key)));
            }
            why.push_str(&format!(" ; autres techniques : {others}"));
            if let Some((open, asked)) = balance.filter(|_| closed_cost > 0) {
                why.push_str(&format!(
                    " ; questions ouvertes : {open} sur {asked}, trop peu pour laisser parler le prospect (−{closed_cost})"
                ));
            }
            why.push('.');
            why
        },
        evidence: positives.iter().filter_map(|(_, (_, ex))| ex.first().cloned()).take(4).collect(),
    });

    // Where the gauge ended.
    let final_gauge = i32::from(state.gauge) * 15 / 100;
    criteria.push(Criterion {
        id: "gauge".into(),
        label: "Intérêt du prospect".into(),
        points: final_gauge,
        max: 15,
        applies: true,
        why: format!("La jauge d’intérêt finit à {} sur 100 (départ : {}).", state.gauge, state.starting_gauge),
        evidence: Vec::new(),
    });

    // Faults.
    let faults: Vec<(&PatternId, &(u32, Vec<String>))> = by_pattern.iter().filter(|(p, _)| !p.is_positive()).collect();
    let penalties = -faults
        .iter()
        .map(|(p, (n, _))| fault_cost(**p) * i32::try_from(*n).unwrap_or(i32::MAX).min(4))
        .sum::<i32>()
        .min(40);
    criteria.push(Criterion {
        id: "penalties".into(),
        label: "Pénalités".into(),
        points: penalties,
        max: 0,
        applies: true,
        why: if faults.is_empty() {
            "Aucune faute relevée.".into()
        } else {
            let names: Vec<String> = faults.iter().map(|(p, (n, _))| format!("{} ×{n}", p.label())).collect();
            names.join(", ")
        },
        evidence: faults.iter().filter_map(|(_, (_, ex))| ex.first().cloned()).take(4).collect(),
    });

    // The total: what was earned out of what could be, less the faults.
    let earned: i32 = criteria.iter().filter(|c| c.applies && c.max > 0).map(|c| c.points).sum();
    let possible: i32 = criteria.iter().filter(|c| c.applies && c.max > 0).map(|c| c.max).sum();
    let scaled = if possible == 0 { 0 } else { (earned * 100 + possible / 2) / possible };
    let total = (scaled + penalties).clamp(0, 100);
    ScoreBreakdown {
        objectives: objective_points,
        final_gauge,
        progression: 0,
        techniques: technique_points,
        hidden_objections: objection_points,
        conversion,
        penalties,
        facts: fact_points,
        criteria,
        total: u8::try_from(total).unwrap_or(0),
    }
}

/// How many of the learner's questions were open, out of those asked, when enough were
/// asked to judge (four at least). A step proposed or a closing ("mardi 10 h, ça vous
/// va ?") is closed by nature and not counted.
fn question_balance(learner: &[&TranscriptMessage]) -> Option<(usize, usize)> {
    let has = |m: &TranscriptMessage, p: PatternId| m.patterns.iter().any(|d| d.pattern == p);
    let asking: Vec<&&TranscriptMessage> = learner
        .iter()
        .filter(|m| m.content.contains('?'))
        .filter(|m| {
            has(m, PatternId::GoodOpenQuestion)
                || !(has(m, PatternId::NextStepProposal) || has(m, PatternId::ClosingAttempt))
        })
        .collect();
    let open = asking.iter().filter(|m| has(m, PatternId::GoodOpenQuestion)).count();
    (asking.len() >= 4).then_some((open, asking.len()))
}
