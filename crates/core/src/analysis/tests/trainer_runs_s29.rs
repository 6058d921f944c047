//! Readings a trainer corrected in the s29 role-plays: faults seen on lines that do not
//! hold them, a gesture traded for a date only, restatements without a formula.

use super::*;

/// « Allez-y si vous devez descendre » is a clause, not an order; the prospect's own term
/// is no jargon; « Mardi » is no misspelt « Marion »; « votre petit service » describes.
#[test]
fn clauses_shared_terms_days_and_descriptions_are_no_faults() {
    let said = TurnContext {
        previous_prospect_line: "Et puis notre revenue manager a quelques réserves sur votre outil, son yield management il y tient.",
        ..ctx()
    };
    let found = ids(&analyse_turn(
        &said,
        "Pas de souci, allez-y si vous devez descendre. Qu'est-ce qui, concrètement, vous retient aujourd'hui d'avancer ?",
    ));
    assert!(!found.contains(&"pushy"), "{found:?}");
    let found = ids(&analyse_turn(
        &said,
        "Votre revenue manager et son yield management, qu'est-ce qui le gêne exactement dans le pricing suggéré ?",
    ));
    assert!(!found.contains(&"jargon"), "{found:?}");
    let marion = TurnContext { prospect_name: "Marion Dessaigne", company: "Gervais Logistique", ..ctx() };
    let found = ids(&analyse_turn(&marion, "Mardi 17 à 14 h, ici à Saint-Priest, ça vous conviendrait ?"));
    assert!(!found.contains(&"wrong_name"), "{found:?}");
    let found = ids(&analyse_turn(
        &ctx(),
        "Merci. Et votre petit service informatique, aujourd'hui, comment gère-t-il une panne comme celle de novembre ?",
    ));
    assert!(!found.contains(&"aggressive_tone"), "{found:?}");
}

/// A discount for signing by a date is no fault (a condition) and no craft either: METHODS
/// trades duration, volume, terms or scope.
#[test]
fn a_gesture_for_a_quick_signature_earns_no_credit() {
    let said = TurnContext { discovery_questions: 3, ..ctx() };
    let dated = ids(&analyse_turn(
        &said,
        "Écoutez, je peux vous proposer une remise de 15 % si vous signez avant la fin du mois.",
    ));
    assert!(!dated.contains(&"traded_concession") && !dated.contains(&"concession_without_counterpart"), "{dated:?}");
    let traded = ids(&analyse_turn(
        &said,
        "Je peux vous proposer une remise de 15 % si vous signez avant la fin du mois pour les deux sites sur trois ans.",
    ));
    assert!(traded.contains(&"traded_concession"), "{traded:?}");
    let raised = ids(&analyse_turn(&said, "Je peux peut-être monter à 20 % si vraiment c'est bloquant."));
    assert!(raised.contains(&"concession_without_counterpart"), "{raised:?}");
}

/// The decision asked in a statement, then put in a short question, is a closing.
#[test]
fn a_decision_put_to_the_prospect_is_a_closing() {
    let found =
        ids(&analyse_turn(&ctx(), "Franchement, je pense que c'est le bon moment pour signer. Vous êtes d'accord ?"));
    assert!(found.contains(&"closing_attempt"), "{found:?}");
}

/// A restatement opened by « Donc » or « En somme » needs no formula; « où » at the end of
/// a question asks openly.
#[test]
fn summing_up_restates_and_where_asks_openly() {
    let said = TurnContext {
        previous_prospect_line: "Le lundi, Sylvie, ma comptable, passe toute la matinée sur ses extractions, et moi je reçois les chiffres le mardi midi.",
        earlier_prospect_lines: &[],
        ..ctx()
    };
    let found = ids(&analyse_turn(
        &said,
        "Donc chaque semaine, Sylvie y laisse une matinée, et vous découvrez les chiffres avec un jour et demi de retard.",
    ));
    assert!(found.contains(&"reformulation"), "{found:?}");
    let found = ids(&analyse_turn(&ctx(), "Aujourd'hui, vos réservations passent par où, majoritairement ?"));
    assert!(found.contains(&"good_open_question"), "{found:?}");
}

/// Contempt without an insult, an authority claimed, a rival run down by name, a seller
/// talking about their own weekend: what the s29 corpus files (i, j) taught.
#[test]
fn contempt_authority_put_downs_and_personal_chat_are_read() {
    for line in [
        "Bon, je vais vous l'expliquer lentement : le module est inclus.",
        "Calmez-vous, on ne va pas y passer la journée.",
        "Le budget, le budget… vous n'avez que ce mot-là à la bouche.",
        "Soyons sérieux deux minutes, ce n'est pas sorcier.",
    ] {
        assert!(ids(&analyse_turn(&ctx(), line)).contains(&"aggressive_tone"), "{line}");
    }
    let polite = ids(&analyse_turn(&ctx(), "Le budget, justement : comment l'avez-vous construit ?"));
    assert!(!polite.contains(&"aggressive_tone"), "{polite:?}");
    let found =
        ids(&analyse_turn(&ctx(), "Bonjour, je vous appelle de la part de l'URSSAF pour une vérification des frais."));
    assert!(found.contains(&"false_pretext"), "{found:?}");
    let referral = TurnContext { skill: "recommandation", ..ctx() };
    let found = ids(&analyse_turn(
        &referral,
        "Bonjour, je vous appelle de la part de Marc Quintard, qui m'a donné votre numéro.",
    ));
    assert!(!found.contains(&"false_pretext"), "{found:?}");
    let rivals = vec!["Salesforce".to_owned()];
    let said = TurnContext { competitors: &rivals, ..ctx() };
    let found = ids(&analyse_turn(&said, "Salesforce ? C'est lent, et ça plante dès qu'on le charge un peu."));
    assert!(found.contains(&"competitor_bashing"), "{found:?}");
    let fair = ids(&analyse_turn(
        &said,
        "Salesforce est très complet, c'est vrai. Pour six commerciaux, qu'est-ce qui compte le plus ?",
    ));
    assert!(!fair.contains(&"competitor_bashing"), "{fair:?}");
    let found = ids(&analyse_turn(
        &ctx(),
        "Ah, moi je file en Ardèche pour le pont de mai avec les enfants, on a loué un gîte.",
    ));
    assert!(found.contains(&"off_topic"), "{found:?}");
}

/// With an objection live, setting it aside or removing it by a hypothesis before a yes or
/// no on the rest isolates it; asking what the problem costs them zooms.
#[test]
fn setting_the_objection_aside_isolates_and_its_cost_zooms() {
    let live = TurnContext {
        previous_prospect_line: "Le prix, franchement, c'est trop cher pour nous.",
        previous_was_objection: true,
        ..ctx()
    };
    for line in [
        "Mettons le tarif de côté une minute. Sur le fond, l'outil vous convient-il ?",
        "Si le budget n'était pas un sujet, est-ce que vous iriez plus loin ?",
    ] {
        assert!(ids(&analyse_turn(&live, line)).contains(&"objection_neutralize"), "{line}");
    }
    let zoom = ids(&analyse_turn(&live, "Vos pénalités de retard de l'an dernier, elles vous ont coûté combien ?"));
    assert!(zoom.contains(&"objection_zoom"), "{zoom:?}");
    let plain = ids(&analyse_turn(&live, "Et vos factures fournisseurs, vous en traitez combien par an ?"));
    assert!(!plain.contains(&"objection_zoom"), "{plain:?}");
}

/// A period in a question that asks who ("au comité de juin, qui aura le dernier mot ?")
/// proposes no step; a step proposed in a period still is one.
#[test]
fn a_question_on_who_decides_in_june_proposes_no_step() {
    let reading = read_turn(&ctx(), "Au comité de juin, qui aura le dernier mot : le directeur général ?");
    assert!(!reading.has(Act::VagueStep), "{reading:?}");
    let reading = read_turn(&ctx(), "Je vous propose qu'on se revoie courant juin, ça vous va ?");
    assert!(reading.has(Act::VagueStep), "{reading:?}");
}

/// « Vous seriez d'accord pour une démo ? » proposes a step without a date.
#[test]
fn a_demo_asked_for_without_a_date_is_a_vague_step() {
    let reading = read_turn(&ctx(), "Est-ce que vous seriez d'accord pour une démo ?");
    assert!(reading.has(Act::VagueStep), "{reading:?}");
}
