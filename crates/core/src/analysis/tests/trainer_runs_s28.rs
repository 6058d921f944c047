//! Readings a trainer corrected in the s28 role-plays: a ponts-brûlés recap read as an
//! insult, a date asked as convenient, a date confirmed with « on dit ».

use super::*;

/// « N'importe quoi » in « quelque chose, n'importe quoi, qui vous empêcherait… » means
/// anything at all; « c'est n'importe quoi » is still a put-down.
#[test]
fn anything_at_all_is_no_insult() {
    let recap = ids(&analyse_turn(
        &ctx(),
        "Alors récapitulons : l'outil fait ce qu'il vous faut, le budget est prévu, et c'est vous qui décidez. À part ça, est-ce qu'il reste quelque chose, n'importe quoi, qui vous empêcherait de décider aujourd'hui ?",
    ));
    assert!(!recap.contains(&"competitor_bashing") && !recap.contains(&"aggressive_tone"), "{recap:?}");
    let insult = ids(&analyse_turn(&ctx(), "Franchement, ce que vous dites, c'est n'importe quoi."));
    assert!(insult.contains(&"aggressive_tone"), "{insult:?}");
}

/// A date asked as convenient, or confirmed with « on dit », proposes a step; the date
/// question is no discovery question.
#[test]
fn a_date_offered_as_convenient_or_confirmed_is_a_step() {
    for line in [
        "Ce que je vous propose : on se revoit avec Mme Texier. Est-ce que le mardi 14 octobre à 10 heures vous conviendrait, ici à Cholet ?",
        "Parfait. Donc on dit mardi 11 mars à 14 h, ici à Cluses, avec Hélène Favre et Pascal Gindre ? Je vous envoie l'invitation ?",
    ] {
        let found = ids(&analyse_turn(&ctx(), line));
        assert!(found.contains(&"next_step_proposal"), "{line}: {found:?}");
    }
    let found =
        ids(&analyse_turn(&ctx(), "Est-ce que le mardi 14 octobre à 10 heures vous conviendrait, ici à Cholet ?"));
    assert!(!found.contains(&"discovery_question"), "{found:?}");
}

/// Stock formulas piled up turn after turn are recited: the second such line earns no
/// technique; a seller who says « si je comprends bien » once in a real restatement keeps it.
#[test]
fn formulas_piled_up_again_are_recited_and_earn_nothing() {
    let stuffed = "Je comprends tout à fait, je comprends votre frustration. Si je comprends bien, ce qui compte pour vous c'est la confiance. Racontez-moi ce qui vous inquiète.";
    let earlier = vec![
        "Bonjour Isabelle ! Si je comprends bien, vous êtes en avance. Racontez-moi : comment ça se passe en ce moment ?"
            .to_owned(),
    ];
    let said = TurnContext {
        previous_prospect_line: "Trois mois ?! Mais comment ça a pu passer trois mois sans que personne ne le voie ?",
        earlier_learner_lines: &earlier,
        ..ctx()
    };
    let found = ids(&analyse_turn(&said, stuffed));
    assert!(found.iter().all(|p| !PatternId::parse(p).is_some_and(PatternId::is_positive)), "{found:?}");
    let first = ids(&analyse_turn(&TurnContext { earlier_learner_lines: &[], ..said }, stuffed));
    assert!(first.iter().any(|p| PatternId::parse(p).is_some_and(PatternId::is_positive)), "{first:?}");
}

/// A price brought down for a counterpart is traded; a reference asked for in return is
/// no proof; a discount for signing before a date is pressure.
#[test]
fn give_and_take_in_a_negotiation_is_read_as_such() {
    let said = TurnContext {
        previous_prospect_line: "Le budget validé pour ce projet, c'est 55 000 euros par an.",
        discovery_questions: 3,
        ..ctx()
    };
    let traded = ids(&analyse_turn(
        &said,
        "Concrètement : l'abonnement passe à 54 500 euros par an sur 36 mois, et en échange vous payez chaque année d'avance et vous acceptez un témoignage client.",
    ));
    assert!(traded.contains(&"traded_concession") && !traded.contains(&"proof_used"), "{traded:?}");
    let pressed = ids(&analyse_turn(
        &said,
        "Et si vous signez avant la fin du mois, on a une remise de 15 % sur la première année.",
    ));
    assert!(pressed.contains(&"pushy") && !pressed.contains(&"proof_used"), "{pressed:?}");
}

/// « Je comprends. Mais rassurez-vous… » brushes the objection aside: no empathy credited.
#[test]
fn but_rest_assured_brushes_the_objection_aside() {
    let said = TurnContext {
        previous_prospect_line: "Ce fichier, c'est son bébé. Je ne veux pas qu'elle ait l'impression qu'on la remplace.",
        previous_was_objection: true,
        ..ctx()
    };
    let found = ids(&analyse_turn(
        &said,
        "Je comprends. Mais rassurez-vous, Sylvie pourra utiliser l'outil aussi, il est très simple.",
    ));
    assert!(!found.contains(&"empathy"), "{found:?}");
}

/// Faults a trainer saw on lines that do not hold them (s28, round 2).
#[test]
fn care_a_verb_and_a_shared_history_are_no_faults() {
    let care = ids(&analyse_turn(
        &ctx(),
        "Pour chiffrer sérieusement, il faut qu'un de nos techniciens monte sur les toits. Je vous propose une visite technique le mercredi 12 à 9h, ou le vendredi 14 à 14h, ça vous irait ?",
    ));
    assert!(!care.contains(&"aggressive_tone") && care.contains(&"next_step_proposal"), "{care:?}");
    assert!(
        ids(&analyse_turn(&ctx(), "Sérieusement ? Vous croyez que je vais brader mon offre ?"))
            .contains(&"aggressive_tone")
    );
    let exceeds = ids(&analyse_turn(
        &ctx(),
        "Si on trouvait une formule où l'économie dépasse le remboursement dès la première année, ce serait présentable à l'AG ?",
    ));
    assert!(!exceeds.contains(&"competitor_bashing"), "{exceeds:?}");
    assert!(ids(&analyse_turn(&ctx(), "Leur logiciel est complètement dépassé.")).contains(&"competitor_bashing"));
    let recall =
        "Vous vous souvenez qu'on vous avait fait une démo ? Vous étiez d'accord pour un pilote sur cinq camions.";
    let follow_up = TurnContext { skill: "relance_suivi", ..ctx() };
    assert!(!ids(&analyse_turn(&follow_up, recall)).contains(&"false_pretext"));
    let cold = TurnContext { skill: "cold_calling", ..ctx() };
    assert!(
        ids(&analyse_turn(&cold, "Vous vous souvenez de moi ? On s'était parlé au salon.")).contains(&"false_pretext")
    );
}

/// A few of the prospect's words taken up, then a question of one's own, is an echo.
#[test]
fn an_echo_then_a_question_is_no_parroting() {
    let said = TurnContext {
        previous_prospect_line: "La facture est passée de 41 000 euros en 2021 à 98 000 euros l'an dernier.",
        ..ctx()
    };
    let found = ids(&analyse_turn(
        &said,
        "De 41 000 à 98 000 euros… plus que doublée en trois ans. Et ça, pour la cave, concrètement, ça se traduit comment ?",
    ));
    assert!(!found.contains(&"parroting") && found.contains(&"good_open_question"), "{found:?}");
}

/// Faults a trainer saw on lines that do not hold them (s28, round 3).
#[test]
fn a_period_to_avoid_a_saving_promised_and_a_method_word_are_no_faults() {
    let calendar = ids(&analyse_turn(
        &ctx(),
        "Et côté calendrier alors : un démarrage début du mois prochain, ça vous irait, ou vous avez une période chargée à éviter ?",
    ));
    assert!(!calendar.contains(&"competitor_bashing"), "{calendar:?}");
    let saving = ids(&analyse_turn(
        &ctx(),
        "On peut vous faire gagner jusqu'à 10 % de carburant. Qui est votre prestataire actuel ?",
    ));
    assert!(!saving.contains(&"concession_without_counterpart") && !saving.contains(&"premature_price"), "{saving:?}");
    let reassuring = ids(&analyse_turn(
        &ctx(),
        "Non mais rassurez-vous, les capteurs ne demandent aucune maintenance. Vos agents n'auront rien à faire.",
    ));
    assert!(!reassuring.contains(&"aggressive_tone"), "{reassuring:?}");
    let different = ids(&analyse_turn(&ctx(), "Et on n'a rien à voir avec Salesforce, on est fait pour les PME."));
    assert!(!different.contains(&"competitor_bashing"), "{different:?}");
    let recited =
        ids(&analyse_turn(&ctx(), "Besoin, enjeux, budget, échéance, décideurs, concurrence : racontez-moi tout ça."));
    assert!(!recited.contains(&"wrong_name"), "{recited:?}");
}

/// A client cited as proof stays a proof; a reference asked in return is none.
#[test]
fn a_client_cited_is_a_proof_a_reference_asked_is_not() {
    let cited = ids(&analyse_turn(
        &ctx(),
        "Je peux vous citer Transports Martin : 12 % de gazole en moins la première année, mesuré sur leurs cartes carburant.",
    ));
    assert!(cited.contains(&"proof_used"), "{cited:?}");
    let asked = ids(&analyse_turn(
        &ctx(),
        "En échange, vous acceptez qu'on vous cite comme référence : 12 clients de votre taille l'ont fait.",
    ));
    assert!(!asked.contains(&"proof_used"), "{asked:?}");
}
