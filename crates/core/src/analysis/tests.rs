//! Unit tests of the analysis: the reading's judgements on lines a trainer would quote.

use super::*;

fn ids(found: &[Detection]) -> Vec<&'static str> {
    found.iter().map(|d| d.pattern.as_str()).collect()
}

fn ctx<'a>() -> TurnContext<'a> {
    TurnContext { prospect_name: "Philippe Martin", company: "LogiPro", ..TurnContext::default() }
}

#[test]
fn every_pattern_has_a_unique_id_label_and_advice() {
    let mut seen = std::collections::BTreeSet::new();
    for p in PatternId::ALL {
        assert!(seen.insert(p.as_str()));
        assert_eq!(PatternId::parse(p.as_str()), Some(p));
        assert!(!p.label().is_empty() && !p.advice().is_empty());
    }
    assert!(PatternId::NextStepProposal.is_positive());
    assert!(!PatternId::ClosedQuestionStreak.is_positive());
}

#[test]
fn open_discovery_question_with_its_item_and_evidence() {
    let found = analyse_turn(&ctx(), "Bonjour. Comment gérez-vous vos relances clients aujourd’hui ?");
    assert!(ids(&found).contains(&"good_open_question"), "{found:?}");
    let discovery = found.iter().find(|d| d.pattern == PatternId::DiscoveryQuestion).expect("discovery");
    assert_eq!(discovery.detail.as_deref(), Some("moyens"));
    assert_eq!(discovery.evidence, "Comment gérez-vous vos relances clients aujourd’hui ?");
}

#[test]
fn the_discovery_item_comes_from_the_question_not_the_preamble() {
    let found = analyse_turn(
        &ctx(),
        "Si je comprends bien, tout passe par Excel. Qu’est-ce qui vous pose le plus de problèmes ?",
    );
    let discovery = found.iter().find(|d| d.pattern == PatternId::DiscoveryQuestion).expect("discovery");
    assert_eq!(discovery.detail.as_deref(), Some("problemes"));
}

#[test]
fn reformulation_empathy_and_personalization() {
    let said =
        TurnContext { previous_prospect_line: "On perd un temps fou sur les relances clients, chez LogiPro.", ..ctx() };
    let found =
        analyse_turn(&said, "Je comprends, M. Martin. Si je comprends bien, LogiPro perd du temps sur les relances ?");
    let ids = ids(&found);
    for id in ["empathy", "reformulation", "personalization"] {
        assert!(ids.contains(&id), "{id} in {ids:?}");
    }
}

#[test]
fn si_je_comprends_bien_is_a_reformulation_not_empathy() {
    let said = TurnContext { previous_prospect_line: "On perd du temps chaque semaine sur les relances.", ..ctx() };
    let ids = ids(&analyse_turn(&said, "Si je comprends bien, vous perdez du temps ?"));
    assert!(ids.contains(&"reformulation") && !ids.contains(&"empathy"), "{ids:?}");
}

#[test]
fn wrong_company_name() {
    let c = TurnContext { prospect_name: "Claire Dubois", company: "TechStar", ..TurnContext::default() };
    let found = analyse_turn(&c, "Chez Textar, vous avez combien de commerciaux ?");
    let wrong = found.iter().find(|d| d.pattern == PatternId::WrongName).expect("wrong name");
    assert_eq!(wrong.evidence, "Textar");
}

#[test]
fn closed_question_streak_and_no_question() {
    let mut c = ctx();
    c.closed_question_streak = 2;
    assert!(ids(&analyse_turn(&c, "Vous avez un CRM ?")).contains(&"closed_question_streak"));
    let mut c = ctx();
    c.turns_without_question = 2;
    assert!(ids(&analyse_turn(&c, "Notre solution est très complète.")).contains(&"no_question"));
}

#[test]
fn objection_handling() {
    let c = TurnContext { previous_prospect_line: "C'est trop cher pour nous.", previous_was_objection: true, ..ctx() };
    let dig = analyse_turn(&c, "Trop cher par rapport à quoi ?");
    assert!(ids(&dig).contains(&"objection_dig"), "{dig:?}");
    assert!(!ids(&dig).contains(&"objection_ignored"));
    let ignored = analyse_turn(&c, "Notre produit a aussi un module de reporting.");
    assert!(ids(&ignored).contains(&"objection_ignored"));
}

#[test]
fn negatives_in_a_pushy_pitch() {
    let found = analyse_turn(&ctx(), "Euh, du coup, en fait vous devez signer, je vous fais une remise de 20% !!!");
    let ids = ids(&found);
    for id in ["filler_words", "pushy", "premature_price", "aggressive_tone"] {
        assert!(ids.contains(&id), "{id} in {ids:?}");
    }
}

#[test]
fn next_step_needs_a_date() {
    assert!(ids(&analyse_turn(&ctx(), "Je vous propose un rendez-vous mardi à 10h ?")).contains(&"next_step_proposal"));
    assert!(ids(&analyse_turn(&ctx(), "Je vous propose un rendez-vous à 14h30.")).contains(&"next_step_proposal"));
    assert!(!ids(&analyse_turn(&ctx(), "Je vous propose un rendez-vous.")).contains(&"next_step_proposal"));
}

#[test]
fn monologue_and_jargon() {
    let long = "Nous avons une solution. ".repeat(30);
    assert!(ids(&analyse_turn(&ctx(), &long)).contains(&"monologue"));
    let jargon = analyse_turn(&ctx(), "Notre SaaS booste le ROI de votre pipeline avec des KPI en temps réel.");
    assert!(ids(&jargon).contains(&"jargon"), "{jargon:?}");
}

#[test]
fn competitor_bashing_needs_a_competitor_and_a_put_down() {
    let competitors = vec!["HubSpot".to_owned()];
    let c = TurnContext { competitors: &competitors, ..ctx() };
    assert!(ids(&analyse_turn(&c, "HubSpot, franchement, c'est nul.")).contains(&"competitor_bashing"));
    assert!(!ids(&analyse_turn(&c, "HubSpot est une bonne solution, plus large.")).contains(&"competitor_bashing"));
}

#[test]
fn closing_attempt() {
    assert!(ids(&analyse_turn(&ctx(), "Alors, on démarre la semaine prochaine ?")).contains(&"closing_attempt"));
}
