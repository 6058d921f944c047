//! Readings a trainer corrected in the s25 role-plays: proof, pitches, brushed-aside
//! objections, closed questions, steps on the prospect's date, isolating and zooming.

use super::*;

#[test]
fn the_prospects_own_figures_and_a_time_of_day_are_no_proof() {
    let said = TurnContext {
        previous_prospect_line: "On transforme à peu près un devis sur quatre, autour de 8 000 euros en moyenne, et on a 16 agences.",
        ..ctx()
    };
    let found = analyse_turn(&said, "Un devis sur quatre à 8 000 euros, avec 16 agences. Je vois.");
    assert!(!has(&found, "proof_used"), "{found:?}");
    let found = analyse_turn(&ctx(), "Je vous rappelle lundi à 9 heures pour caler la suite.");
    assert!(!has(&found, "proof_used"), "{found:?}");
    // A figure of the seller's own still proves.
    let found = analyse_turn(&said, "Nos clients ont réduit de 30 % leurs devis oubliés en six mois.");
    assert!(has(&found, "proof_used"), "{found:?}");
}

#[test]
fn yes_but_is_no_empathy_and_treats_no_objection() {
    let live = TurnContext {
        previous_prospect_line: "Vous savez, chez nous, on n'est pas très logiciels.",
        previous_was_objection: true,
        ..ctx()
    };
    let found = analyse_turn(
        &live,
        "Je comprends, mais vous savez, notre logiciel est très simple. Vous utilisez quoi d'autre aujourd'hui ?",
    );
    assert!(!has(&found, "empathy") && !has(&found, "objection_dig"), "{found:?}");
    assert!(has(&found, "objection_ignored"), "{found:?}");
}

#[test]
fn the_offer_pitched_at_the_first_pain_is_self_centred() {
    let c = TurnContext { discovery_questions: 1, ..ctx() };
    let found = analyse_turn(
        &c,
        "C'est exactement ce que notre logiciel règle : il génère tous les entretiens de l'année. Nos clients sont très contents.",
    );
    assert!(has(&found, "self_centered"), "{found:?}");
    let later = TurnContext { discovery_questions: 4, ..ctx() };
    let found = analyse_turn(&later, "Ce que notre logiciel vous apporte, c'est de ne plus oublier un entretien.");
    assert!(!has(&found, "self_centered"), "{found:?}");
}

#[test]
fn agreeing_to_send_what_was_asked_is_no_reformulation() {
    let c = TurnContext {
        previous_prospect_line: "Je bloque le créneau, envoyez-moi la confirmation par écrit.",
        ..ctx()
    };
    let found = analyse_turn(&c, "Je vous envoie la confirmation par écrit tout de suite, merci !");
    assert!(!has(&found, "reformulation"), "{found:?}");
}

#[test]
fn checking_a_guess_about_who_is_a_closed_question() {
    let found = analyse_turn(&ctx(), "D'accord. Daniel, c'est le gérant ? C'est lui qui décide ?");
    assert!(!has(&found, "good_open_question"), "{found:?}");
    let found = analyse_turn(&ctx(), "Et qui décide, chez vous, pour ce genre d'achat ?");
    assert!(has(&found, "good_open_question"), "{found:?}");
}

#[test]
fn receipts_arriving_in_a_mess_run_down_no_one() {
    let found =
        analyse_turn(&ctx(), "Les notes de frais arrivent en vrac en fin de mois, et votre service ressaisit tout.");
    assert!(!has(&found, "competitor_bashing"), "{found:?}");
    let found = analyse_turn(&ctx(), "Les autres éditeurs livrent tout en vrac, c'est du bricolage.");
    assert!(has(&found, "competitor_bashing"), "{found:?}");
}

#[test]
fn a_step_on_the_prospects_own_date_is_a_step() {
    let c = TurnContext {
        previous_prospect_line: "Notre prochaine réunion des directeurs, c'est le jeudi 12, ici, à Limoges.",
        ..ctx()
    };
    let found = analyse_turn(&c, "Donc le jeudi 12, je pourrais venir présenter notre outil à vos confrères ?");
    assert!(has(&found, "next_step_proposal"), "{found:?}");
    let found = analyse_turn(&c, "Le jeudi 12, vous réunissez tous les directeurs ?");
    assert!(!has(&found, "next_step_proposal"), "{found:?}");
}

#[test]
fn isolating_the_one_point_left_is_neutralising() {
    let live = TurnContext {
        previous_prospect_line: "Un nouvel engagement de trois ans sans savoir si ça rapporte, non.",
        previous_was_objection: true,
        ..ctx()
    };
    let found =
        analyse_turn(&live, "Je vous comprends. À part cette durée, est-ce que le projet vous paraît pertinent ?");
    assert!(has(&found, "objection_neutralize"), "{found:?}");
}

#[test]
fn abstract_nouns_in_a_row_and_a_restated_weekday_are_recited_not_asked() {
    let found =
        analyse_turn(&ctx(), "Quels sont vos enjeux, vos impacts, vos conséquences et vos résultats attendus ?");
    assert!(!has(&found, "good_open_question"), "{found:?}");
    let said = TurnContext {
        previous_prospect_line: "Raymond déjeune tous les dimanches avec Olivier. Il faudra que ce soit bien présenté à la famille.",
        ..ctx()
    };
    let found = analyse_turn(
        &said,
        "Si je reformule : il déjeune le dimanche avec Olivier, et il faudra bien présenter le projet à la famille.",
    );
    assert!(!has(&found, "next_step_proposal"), "{found:?}");
}
