//! The report's tests: whole sessions played, then read as a trainer would.

use super::delivery::voice_delivery;
use super::*;
use crate::catalog::Catalog;
use crate::engine;

fn session(lines: &[&str]) -> SessionReport {
    session_of("ecoute_active", None, lines)
}

fn session_of(skill: &str, variant: Option<&str>, lines: &[&str]) -> SessionReport {
    session_then(skill, variant, lines, |_| {})
}

/// [`session_of`], with the state changed as `then` says before the report is built.
fn session_then(
    skill: &str,
    variant: Option<&str>,
    lines: &[&str],
    then: impl FnOnce(&mut engine::SessionState),
) -> SessionReport {
    session_with(skill, variant, lines, |_| {}, then)
}

/// [`session_then`], with the scenario changed as `adapt` says first.
fn session_with(
    skill: &str,
    variant: Option<&str>,
    lines: &[&str],
    adapt: impl FnOnce(&mut engine::Scenario),
    then: impl FnOnce(&mut engine::SessionState),
) -> SessionReport {
    let catalog = Catalog::embedded().expect("catalogue");
    let mut scenario = engine::scenario(&catalog, skill, "generic", Level::Easy, variant, 21).expect("scenario");
    adapt(&mut scenario);
    let (mut state, opening) = engine::open(&scenario);
    let mut messages = vec![TranscriptMessage {
        role: Role::Prospect,
        content: opening,
        gauge_after: state.gauge,
        patterns: vec![],
        timestamp: "t0".into(),
        voice: None,
    }];
    for line in lines {
        let turn = engine::play_turn(&scenario, &mut state, line);
        messages.push(TranscriptMessage {
            role: Role::User,
            content: (*line).into(),
            gauge_after: turn.gauge,
            patterns: turn.patterns,
            timestamp: "t".into(),
            voice: None,
        });
        messages.push(TranscriptMessage {
            role: Role::Prospect,
            content: turn.prospect_text,
            gauge_after: turn.gauge,
            patterns: vec![],
            timestamp: "t".into(),
            voice: None,
        });
    }
    then(&mut state);
    build_report(&ReportInput {
        session_id: 7,
        scenario: &scenario,
        state: &state,
        messages: &messages,
        duration_seconds: 120,
        completed_at: "2026-11-24T10:00:00Z".into(),
    })
}

fn said(role: Role, content: &str, voice: Option<VoiceTiming>) -> TranscriptMessage {
    TranscriptMessage { voice, ..TranscriptMessage::new(role, content, 50, vec![]) }
}

#[test]
fn voice_figures_come_from_the_spoken_turns_only() {
    let timing = |speaking_ms, pause_ms, interrupted| Some(VoiceTiming { speaking_ms, pause_ms, interrupted });
    let messages = [
        said(Role::Prospect, "Bonjour.", None),
        // Exchange 1: ten words in four seconds, after a long silence.
        said(Role::User, "un deux trois quatre cinq six sept huit neuf dix", timing(4000, Some(3000), false)),
        said(Role::Prospect, "C'est trop cher.", None),
        // Exchange 2 answers the objection raised in reply 1: 800 ms of pause.
        said(Role::User, "un deux trois quatre cinq six sept huit neuf dix", timing(4000, Some(800), false)),
        said(Role::Prospect, "Hmm.", None),
        // Exchange 3 is typed: it counts for nothing here.
        said(Role::User, "un deux trois", None),
        said(Role::Prospect, "Bon.", None),
        // Exchange 4 speaks over the prospect.
        said(Role::User, "un deux trois quatre", timing(1000, None, true)),
        said(Role::Prospect, "Et alors ?", None),
        // Exchange 5: a hundred words in a tenth of a second is no speaking rate.
        said(Role::User, &"mot ".repeat(100), timing(100, Some(500), false)),
    ];
    let (rate, pause, interruptions) = voice_delivery(&messages, &[1]);
    let tips = voice_tips(&Delivery {
        words_per_minute: Some(200),
        pause_after_objection_ms: Some(300),
        interruptions: Some(3),
        ..delivery(&messages, &[1])
    });
    assert_eq!(tips.len(), 3, "too fast, no pause, three interruptions: {tips:?}");
    assert!(tips[0].contains("200 mots par minute") && tips[2].contains("3 fois"));
    assert_eq!(rate, Some(24 * 60_000 / 9000), "24 spoken words in 9 s");
    assert_eq!(pause, Some(800), "only the answer to the objection");
    assert_eq!(interruptions, Some(1));
    // A typed conversation has no voice figures, and its report says nothing of them.
    let typed: Vec<TranscriptMessage> =
        messages.iter().map(|m| TranscriptMessage { voice: None, ..m.clone() }).collect();
    assert_eq!(voice_delivery(&typed, &[1]), (None, None, None));
    let json = serde_json::to_string(&delivery(&typed, &[1])).expect("json");
    assert!(!json.contains("words_per_minute") && !json.contains("interruptions"), "{json}");
}

#[test]
fn a_good_session_scores_higher_than_a_bad_one() {
    let good = session(&[
        "Bonjour ! Comment est organisée votre équipe aujourd’hui ?",
        "C’est-à-dire ? Qu’est-ce qui vous pose le plus de difficultés ?",
        "Je comprends. Quelles conséquences pour vous ?",
        "Je vous propose un rendez-vous mardi à 10h ?",
        "Merci pour votre temps, au revoir.",
    ]);
    let bad = session(&[
        "Euh, du coup, notre produit est le meilleur, nous sommes leaders, nos clients nous adorent, notre société est top.",
        "Vous devez signer maintenant, je vous fais une remise de 30 % !!!",
        "Nous avons aussi une application mobile, notre équipe est formidable, nous sommes les meilleurs.",
        "Au revoir.",
    ]);
    assert!(good.final_score > bad.final_score, "good {} vs bad {}", good.final_score, bad.final_score);
    assert!(!good.positive_patterns.is_empty());
    assert!(!bad.negative_patterns.is_empty());
    assert!(bad.negative_patterns.iter().all(|p| p.advice.is_some()));
    assert!(!bad.personalized_tips.is_empty());
    // ecoute_active_1's first objective: open questions and active listening.
    assert!(good.objectives[0].met, "{:?}", good.objectives);
    assert!(good.objectives[0].met_by.is_some());
    assert!(bad.objectives.iter().all(|o| !o.met && o.met_by.is_none()), "{:?}", bad.objectives);
    assert!(good.score_breakdown.objectives > bad.score_breakdown.objectives);
}

#[test]
fn examples_are_the_learners_own_words_and_the_transcript_is_complete() {
    let report = session(&["D’accord. Comment gérez-vous vos relances aujourd’hui ?", "Merci, au revoir."]);
    let open = report.positive_patterns.iter().find(|p| p.pattern == "good_open_question").expect("open question");
    assert_eq!(open.examples, vec!["Comment gérez-vous vos relances aujourd’hui ?"]);
    assert_eq!(report.messages.len(), 5);
    assert_eq!(report.messages[1].role, Role::User);
}

#[test]
fn a_step_without_a_date_is_reported_as_proposed_but_vague() {
    let report = session(&[
        "Bonjour ! Comment est organisée votre équipe aujourd’hui ?",
        "On se rappelle un de ces jours pour en reparler ?",
        "Merci, au revoir.",
    ]);
    let step = report.score_breakdown.criteria.iter().find(|c| c.id == "next_step").expect("next step");
    assert!(step.why.contains("sans date"), "{}", step.why);
    assert_eq!(step.evidence, vec!["On se rappelle un de ces jours pour en reparler ?".to_owned()]);
}

/// The deadline the objective itself gives (« avant le conseil du 28 mars »), taken up
/// by the learner, need not be made the prospect's words too.
#[test]
fn a_fact_the_objective_gives_and_the_learner_uses_is_not_missing() {
    let report = session_of(
        "cartographie_decideurs",
        Some("cartographie_decideurs_2"),
        &["Bonjour. Le conseil de surveillance a lieu le 28 mars : qui, chez vous, décide de ce qu'on y présente ?"],
    );
    let deadline = report.objectives.iter().find(|o| o.objective.contains("28 mars")).expect("objective");
    assert!(deadline.missing.iter().all(|m| !m.contains("échéance")), "{deadline:?}");
    // Not said: still to make the prospect say.
    let report = session_of(
        "cartographie_decideurs",
        Some("cartographie_decideurs_2"),
        &["Bonjour. Qui, chez vous, décide de ce qu'on présente au conseil ?"],
    );
    let deadline = report.objectives.iter().find(|o| o.objective.contains("28 mars")).expect("objective");
    assert!(deadline.missing.iter().any(|m| m.contains("échéance")), "{deadline:?}");
}

/// A step agreed is never also a step « à travailler ».
#[test]
fn a_step_agreed_is_not_a_technique_to_work_on() {
    let report = session_then(
        "checklist_bebedc",
        None,
        &["Bonjour. Qu'est-ce qui vous amène à revoir votre organisation ?", "On signe aujourd'hui ?"],
        |state| {
            state.converted = true;
            state.converted_at = Some(2);
        },
    );
    let techniques = report.score_breakdown.criteria.iter().find(|c| c.id == "techniques").expect("techniques");
    let to_work_on = techniques.why.split("à travailler").nth(1).unwrap_or("").split(';').next().unwrap_or("");
    assert!(!to_work_on.contains("Prochaine étape"), "{}", techniques.why);
    let missing: Vec<&String> = report.objectives.iter().flat_map(|o| &o.missing).collect();
    assert!(missing.iter().all(|m| !m.contains("Prochaine étape proposée")), "{missing:?}");
}

/// A tip never quotes an objection the prospect did not raise.
#[test]
fn an_objection_never_raised_is_not_quoted() {
    let report =
        session_then("ecoute_active", Some("ecoute_active_2"), &["Bonjour Monsieur, comment allez-vous ?"], |state| {
            for o in &mut state.objections {
                o.raised_at = None;
            }
        });
    let missing: Vec<&String> = report.objectives.iter().flat_map(|o| &o.missing).collect();
    assert!(missing.iter().any(|m| m.contains("ce qui retient vraiment")), "{missing:?}");
    assert!(missing.iter().all(|m| !m.contains("se cache derrière")), "{missing:?}");
}

/// A technique said again in the same words is praised once.
#[test]
fn a_tic_is_counted_once() {
    let report = session(&[
        "Je comprends. Comment est organisée votre équipe aujourd’hui ?",
        "Je comprends. Et qu’est-ce qui vous gêne le plus dans ce fonctionnement ?",
        "Je comprends. Qu’est-ce que ça vous coûte, concrètement ?",
    ]);
    let empathy = report.positive_patterns.iter().find(|p| p.pattern == "empathy").expect("empathy");
    assert_eq!(empathy.count, 1, "{empathy:?}");
    let open = report.positive_patterns.iter().find(|p| p.pattern == "good_open_question").expect("open questions");
    assert!(open.count >= 2, "{open:?}");
}

/// Broad step words ("présenter", "un point") in a discovery question propose nothing.
#[test]
fn a_question_with_a_step_word_is_no_step_proposed() {
    let report = session(&[
        "Bonjour ! Pour commencer, pouvez-vous me présenter votre activité ?",
        "Sur quel point aimeriez-vous progresser ?",
        "Merci, au revoir.",
    ]);
    let step = report.score_breakdown.criteria.iter().find(|c| c.id == "next_step").expect("next step");
    assert_eq!(step.why, "Aucune étape suivante n’a été proposée ni acceptée.");
    assert!(step.evidence.is_empty(), "{:?}", step.evidence);
}

#[test]
fn the_same_transcript_gets_the_same_score() {
    let lines = ["Comment faites-vous aujourd’hui ?", "Je vois. Et votre budget ?"];
    assert_eq!(session(&lines), session(&lines));
}

/// A run of closed questions costs technique points where the method wants open ones, and
/// the report says how many of the questions were open.
#[test]
fn closed_questions_cost_where_the_method_wants_open_ones() {
    let closed = session(&[
        "Bonjour. Vous avez un outil de suivi aujourd’hui ?",
        "Vous utilisez Excel ?",
        "Ça vous prend du temps ?",
        "Vous êtes satisfait de votre fournisseur ?",
        "Vous avez un budget ?",
    ]);
    let techniques = closed.score_breakdown.criteria.iter().find(|c| c.id == "techniques").expect("techniques");
    assert!(techniques.why.contains("questions ouvertes : 0 sur 5"), "{}", techniques.why);
    let open = session(&[
        "Bonjour. Comment suivez-vous vos clients aujourd’hui ?",
        "Qu’est-ce qui vous prend le plus de temps ?",
        "Comment ça se passe quand un devis part ?",
        "Qu’est-ce que ça vous coûte, concrètement ?",
    ]);
    let techniques = open.score_breakdown.criteria.iter().find(|c| c.id == "techniques").expect("techniques");
    assert!(!techniques.why.contains("questions ouvertes"), "{}", techniques.why);
}

/// An objective that names a reference to cite is met only when the learner cites it.
#[test]
fn an_objective_that_names_a_reference_needs_it_said() {
    let lines = ["Bonjour. Comment est organisée votre équipe aujourd’hui ?", "Qu’est-ce qui vous gêne le plus ?"];
    let with_said = |said: &str| {
        let said = said.to_owned();
        session_with(
            "ecoute_active",
            None,
            &lines,
            |scenario| {
                scenario.scenario_flow.objectives.truncate(1);
                let m = &mut scenario.scenario_flow.objectives[0].met_when;
                *m = crate::catalog::MetWhen { said: vec![said], ..Default::default() };
            },
            |_| {},
        )
    };
    let missed = with_said("Aquitaine Échafaudage");
    assert!(!missed.objectives[0].met, "{:?}", missed.objectives);
    assert!(
        missed.objectives[0].missing.iter().any(|m| m.contains("Aquitaine Échafaudage")),
        "{:?}",
        missed.objectives
    );
    let cited = with_said("votre équipe");
    assert!(cited.objectives[0].met, "{:?}", cited.objectives);
    // However it is conjugated or agreed (« est organisée votre équipe » was said), but in
    // a row.
    let conjugated = with_said("organiser votre équipe");
    assert!(conjugated.objectives[0].met, "{:?}", conjugated.objectives);
    let scattered = with_said("équipe organisée");
    assert!(!scattered.objectives[0].met, "not in a row: {:?}", scattered.objectives);
}

/// An objective that wants the prospect to speak of an item is the learner's part done once
/// they asked about it in a discovery question, whatever the prospect answered.
#[test]
fn an_item_asked_about_counts_even_if_the_prospect_kept_it_to_themselves() {
    let asked = "Et pour vous, personnellement, qu'est-ce qui est en jeu dans ce dossier ?";
    let report = session_then("objections_cnz", Some("objections_cnz_3"), &["Bonjour.", asked], |state| {
        state.facts_revealed.clear();
        state.facts_revealed_at.clear();
    });
    let zoom = report.objectives.iter().find(|o| o.objective.starts_with("Zoomer")).expect("objective");
    assert!(zoom.missing.iter().all(|m| !m.starts_with("faire parler")), "{zoom:?}");
}
