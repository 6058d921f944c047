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
    // Each condition, with what it asks in words and when it was first met.
    let mut conditions: Vec<(String, Option<u32>)> = Vec::new();
    for p in &m.patterns {
        let label = PatternId::parse(p).map_or(p.clone(), |id| format!("« {} »", id.label()));
        let shown = first(&|msg| msg.patterns.iter().any(|d| d.pattern.as_str() == p));
        // As the techniques criterion counts it: the report does not say both.
        let agreed = state.converted_at.filter(|_| PatternId::parse(p).is_some_and(|id| step_agreed_shows(state, id)));
        conditions.push((label, shown.or(agreed)));
    }
    for item in &m.discovery {
        // Asked about in so many words, or asked so that the prospect told something on it.
        let asked = first(&|msg| {
            msg.patterns
                .iter()
                .any(|d| d.pattern == PatternId::DiscoveryQuestion && d.detail.as_deref() == Some(item.as_str()))
                || (msg.content.contains('?')
                    && crate::analysis::topics::discovery_items_asked(&msg.content).contains(&item.as_str()))
        });
        let told = state
            .facts_revealed
            .iter()
            .zip(&state.facts_revealed_at)
            .filter(|(i, _)| scenario.facts.get(**i).is_some_and(|f| &f.topic == item))
            .map(|(_, at)| *at)
            .min();
        let when = match (asked, told) {
            (Some(a), Some(t)) => Some(a.min(t)),
            (a, t) => a.or(t),
        };
        conditions.push((format!("une question de découverte sur {}", item_label(item)), when));
    }
    for topic in &m.facts {
        let told = state
            .facts_revealed
            .iter()
            .zip(&state.facts_revealed_at)
            .filter(|(i, _)| scenario.facts.get(**i).is_some_and(|f| &f.topic == topic && !f.detail))
            .map(|(_, at)| *at)
            .min();
        // A discovery question on it, credited as such, is the learner's part done, whatever
        // the prospect made of it.
        let asked = first(&|msg| {
            msg.patterns
                .iter()
                .any(|d| d.pattern == PatternId::DiscoveryQuestion && d.detail.as_deref() == Some(topic.as_str()))
        });
        let when = [told, figures_taken_up(input, objective, topic), asked].into_iter().flatten().min();
        conditions.push((format!("faire parler le prospect {}", of_item(topic)), when));
    }
    if m.key_fact {
        conditions.push((
            "obtenir l’information clé par une question Columbo".into(),
            state
                .facts_revealed
                .iter()
                .zip(&state.facts_revealed_at)
                .filter(|(i, _)| scenario.facts.get(**i).is_some_and(|f| f.columbo_only))
                .map(|(_, at)| *at)
                .min(),
        ));
    }
    for id in &m.objections_uncovered {
        let objection = scenario.hidden_objections.iter().zip(&state.objections).find(|(o, _)| &o.id == id);
        // The prospect's words are quoted only if it said them: a tip never quotes an
        // objection that was never raised.
        let label = objection.filter(|(_, s)| s.raised_at.is_some()).map_or_else(
            || "faire révéler ce qui retient vraiment le prospect".to_owned(),
            |(o, _)| {
                format!(
                    "faire révéler ce qui se cache derrière « {} »",
                    crate::analysis::evidence::shorten(&o.surface, 12)
                )
            },
        );
        conditions.push((label, objection.and_then(|(_, s)| s.uncovered_at)));
    }
    if !m.said.is_empty() {
        // Matched on stems, so that a phrase is found however it is conjugated or agreed
        // ("passer voir" in « qu'un technicien passe voir les toitures »).
        let phrases: Vec<Vec<String>> =
            m.said.iter().map(|p| crate::analysis::topics::Stemmed::of_line(p).stems.clone()).collect();
        // Stems are taken after accents are dropped ("organisée" stems as "organise", not
        // "organis"): one long stem that begins the other is the same word.
        let same = |a: &String, b: &String| {
            a == b || (a.len().min(b.len()) >= 5 && (a.starts_with(b.as_str()) || b.starts_with(a.as_str())))
        };
        let said = first(&|msg| {
            let stems = &crate::analysis::topics::Stemmed::of_line(&msg.content).stems;
            phrases
                .iter()
                .any(|p| !p.is_empty() && stems.windows(p.len()).any(|w| w.iter().zip(p).all(|(a, b)| same(a, b))))
        });
        conditions.push((
            format!("citer {}", m.said.iter().map(|p| format!("« {p} »")).collect::<Vec<_>>().join(" ou ")),
            said,
        ));
    }
    if m.converted {
        conditions.push(("obtenir l’accord du prospect sur une étape suivante".into(), state.converted_at));
    }
    if m.reached_decision_maker {
        conditions.push(("être mis en relation avec le décideur".into(), state.reached_decision_maker_at));
    }
    if let Some(threshold) = m.gauge_at_least {
        let at = if state.gauge >= threshold { first(&|msg| msg.gauge_after >= threshold) } else { None };
        conditions.push((format!("amener l’intérêt du prospect à {threshold} sur 100"), at));
    }
    // The faults the objective rules out, once shown, keep it unmet.
    let conditions_met = !conditions.is_empty() && conditions.iter().all(|(_, at)| at.is_some());
    for p in &m.unless {
        let shown = learner.iter().any(|msg| msg.patterns.iter().any(|d| d.pattern.as_str() == p));
        if shown {
            let label = PatternId::parse(p).map_or(p.clone(), |id| id.label().to_owned());
            conditions.push((format!("éviter « {label} »"), None));
        }
    }
    let met = conditions_met && conditions.iter().all(|(_, at)| at.is_some());
    let at = conditions.iter().filter_map(|(_, at)| *at).max();
    let missing = conditions.iter().filter(|(_, at)| at.is_none()).map(|(label, _)| label.clone()).collect();
    ObjectiveReview {
        objective: objective.text.clone(),
        met,
        met_by: at
            .filter(|_| met)
            .and_then(|n| learner.get(usize::try_from(n).unwrap_or(0).saturating_sub(1)))
            .map(|msg| msg.content.clone()),
        missing: if met { Vec::new() } else { missing },
    }
}

/// The exchange at which the learner said a figure of the scenario's facts on `topic`
/// (« le conseil du 28 mars ») that they knew already, from the objective itself or from
/// the prospect earlier in the call: the learner knows that side of the situation and
/// builds on it, there is nothing left to make the prospect say.
fn figures_taken_up(input: &ReportInput<'_>, objective: &Objective, topic: &str) -> Option<u32> {
    let figures: Vec<&str> = input
        .scenario
        .facts
        .iter()
        .filter(|f| f.topic == topic && !f.detail)
        .flat_map(|f| crate::text::digit_runs(&f.line))
        .filter(|n| n.len() >= 2)
        .collect();
    if figures.is_empty() {
        return None;
    }
    let mut heard: Vec<&str> = crate::text::digit_runs(&objective.text).filter(|n| figures.contains(n)).collect();
    let mut exchange = 0u32;
    for msg in input.messages {
        if msg.role == Role::User {
            exchange += 1;
            if crate::text::digit_runs(&msg.content).any(|n| figures.contains(&n) && heard.contains(&n)) {
                return Some(exchange);
            }
        } else {
            heard.extend(crate::text::digit_runs(&msg.content).filter(|n| figures.contains(n)));
        }
    }
    None
}

/// A COMPIR/BEBEDC item in words.
pub(super) fn item_label(item: &str) -> &str {
    match item {
        "contexte" => "le contexte",
        "objectifs" => "les objectifs",
        "moyens" => "les moyens actuels",
        "problemes" => "les problèmes",
        "implications" => "les conséquences",
        "resultats" => "les résultats attendus",
        "besoin" => "le besoin",
        "enjeux" => "les enjeux",
        "budget" => "le budget",
        "echeance" => "l’échéance",
        "decideur" => "qui décide",
        "concurrence" => "les solutions concurrentes",
        other => other,
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

/// The skills whose method asks who decides and with what budget (METHODS.md).
const QUALIFYING: &[&str] = &[
    "decouverte_compir",
    "checklist_bebedc",
    "qualification_columbo",
    "cartographie_decideurs",
    "argumentation_bac",
    "demonstration_produit",
    "closing_ponts_brules",
    "profils_psychologiques",
];

/// At least one concrete improvement, unless nothing on a trainer's checklist for the skill
/// was missed: the faults first, then what the method asks and was not done.
pub(super) fn tips(
    input: &ReportInput<'_>,
    negative_patterns: &[PatternSummary],
    by_pattern: &BTreeMap<PatternId, (u32, Vec<String>)>,
    objectives: &[ObjectiveReview],
    hidden_objections: &[HiddenObjectionReview],
    delivery: &Delivery,
) -> Vec<String> {
    let mut tips: Vec<String> = negative_patterns.iter().take(3).filter_map(|p| p.advice.clone()).collect();
    tips.extend(voice_tips(delivery));
    let learner_items: Vec<&str> = input
        .messages
        .iter()
        .filter(|m| m.role == Role::User)
        .flat_map(|m| crate::analysis::topics::discovery_items_asked(&m.content))
        .collect();
    let asked = |item: &str| {
        learner_items.contains(&item)
            || input.messages.iter().any(|m| {
                m.patterns
                    .iter()
                    .any(|d| d.pattern == PatternId::DiscoveryQuestion && d.detail.as_deref() == Some(item))
            })
    };
    let mut checklist: Vec<String> = Vec::new();
    for o in objectives.iter().filter(|o| !o.met) {
        checklist.push(format!(
            "Objectif à travailler : {}. Il manquait : {}.",
            o.objective.trim_end_matches(['.', ' ']),
            o.missing.join(", ")
        ));
    }
    for h in hidden_objections.iter().filter(|h| !h.discovered) {
        if let Some(tip) = h.discovery_tip.as_ref().filter(|tip| !suggests_a_question_asked(input, tip)) {
            checklist.push(tip.clone());
        }
    }
    // What the prospect told without being asked counts as known.
    let told = |item: &str| {
        input
            .state
            .facts_revealed
            .iter()
            .any(|i| input.scenario.facts.get(*i).is_some_and(|f| f.topic == item && !f.detail))
    };
    if QUALIFYING.contains(&input.scenario.skill_slug.as_str()) {
        // A decision-maker who joined the meeting is met, not to be asked about.
        if !asked("decideur") && !told("decideur") && !crate::engine::guest_joined(input.scenario, input.state) {
            checklist
                .push("Demandez qui décide et comment se prend la décision : sans le décideur, pas de vente.".into());
        }
        if !asked("budget") && !told("budget") {
            checklist.push(
                "Abordez le budget avant de conclure : « quelle enveloppe avez-vous prévue pour ce projet ? »".into(),
            );
        }
    }
    let missing = [
        (
            PatternId::GoodOpenQuestion,
            "Ouvrez davantage : une question qui commence par « comment » ou « qu’est-ce qui » fait parler le prospect.",
        ),
        (
            PatternId::Reformulation,
            "Reformulez au moins une fois ce que dit le prospect, avec ses mots, avant d’argumenter.",
        ),
        (PatternId::NextStepProposal, "Terminez par une étape suivante précise : un jour, une heure, un objet."),
    ];
    for (pattern, tip) in missing {
        if !by_pattern.contains_key(&pattern) {
            checklist.push(tip.into());
        }
    }
    if delivery.talk_ratio > 0.6 {
        checklist.push(format!(
            "Vous avez parlé {:.0} % du temps : visez environ 43 %, laissez le prospect s’exprimer.",
            delivery.talk_ratio * 100.0
        ));
    }
    for tip in checklist {
        if tips.len() >= 6 {
            break;
        }
        if !tips.contains(&tip) {
            tips.push(tip);
        }
    }
    if tips.is_empty() {
        tips.push(
            "Rien à reprendre sur la méthode : pour aller plus loin, rejouez ce scénario au niveau supérieur.".into(),
        );
    }
    tips
}

/// Whether a tip suggests a question, quoted (« Jusqu'à quand êtes-vous engagé ? »), that
/// the learner asked in substance: most of its content words in one of their lines. The
/// report does not tell them to do what they did (trainer runs s26).
fn suggests_a_question_asked(input: &ReportInput<'_>, tip: &str) -> bool {
    use crate::analysis::topics::stems_of;
    let asked: Vec<std::collections::BTreeSet<String>> = input
        .messages
        .iter()
        .filter(|m| m.role == Role::User && m.content.contains('?'))
        .map(|m| stems_of([m.content.as_str()]))
        .collect();
    tip.split('«').skip(1).filter_map(|rest| rest.split('»').next()).filter(|q| q.contains('?')).any(|quoted| {
        let wanted = stems_of([quoted]);
        wanted.len() >= 2
            && asked.iter().any(|line| {
                let shared = wanted.iter().filter(|w| line.contains(*w)).count();
                shared * 10 >= wanted.len() * 7
            })
    })
}

/// "de" + a COMPIR/BEBEDC item, contracted as French wants: "du budget", "des enjeux".
pub(super) fn of_item(item: &str) -> String {
    match item {
        "contexte" => "du contexte".into(),
        "objectifs" => "de ses objectifs".into(),
        "moyens" => "de ses moyens actuels".into(),
        "problemes" => "de ses problèmes".into(),
        "implications" => "des conséquences".into(),
        "resultats" => "des résultats attendus".into(),
        "besoin" => "de son besoin".into(),
        "enjeux" => "de ses enjeux".into(),
        "budget" => "du budget".into(),
        "echeance" => "de l’échéance".into(),
        "decideur" => "de qui décide".into(),
        "concurrence" => "des solutions concurrentes".into(),
        other => format!("de {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    #[test]
    fn a_tip_never_suggests_a_question_the_learner_asked() {
        let catalog = Catalog::embedded().expect("catalogue");
        let scenario =
            crate::engine::scenario(&catalog, "cold_calling", "auto", Level::Easy, Some("cold_calling_2"), 1)
                .expect("scenario");
        let (state, _) = crate::engine::open(&scenario);
        let messages = [
            TranscriptMessage::new(Role::Prospect, "Oui ?", 40, vec![]),
            TranscriptMessage::new(
                Role::User,
                "Et vous êtes engagé jusqu'à quand avec votre fournisseur ?",
                40,
                vec![],
            ),
        ];
        let input = ReportInput {
            session_id: 1,
            scenario: &scenario,
            state: &state,
            messages: &messages,
            duration_seconds: 60,
            completed_at: "2026-12-05T10:00:00Z".into(),
        };
        let tip = "Ne pas raccrocher : « Qu'est-ce que votre système vous apporte ? » ou « Jusqu'à quand êtes-vous engagé ? ».";
        assert!(suggests_a_question_asked(&input, tip));
        assert!(!suggests_a_question_asked(&input, "Demandez qui décide : « Qui signe au final ? »"));
        assert!(!suggests_a_question_asked(&input, "Un conseil sans question citée."));
    }
}
