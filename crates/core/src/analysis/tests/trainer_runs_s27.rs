//! Readings a trainer corrected in the s27 role-plays: stock restatements, a budget
//! exceeded, gestures on the terms, a recap of the deal, put-downs of other vendors.

use super::*;

/// A stock "ce qui est important pour vous, c'est…" with none of the prospect's words
/// restates nothing; the situation put in the learner's own words still does.
#[test]
fn a_stock_priority_phrase_is_no_reformulation() {
    let said = TurnContext {
        previous_prospect_line: "Nous, ce qu'on veut voir, c'est ce qui se passe quand ça casse.",
        ..ctx()
    };
    let stock = ids(&analyse_turn(&said, "Si je comprends bien, ce qui est important pour vous, c'est la sécurité."));
    assert!(!stock.contains(&"reformulation"), "{stock:?}");
    let own = TurnContext { previous_prospect_line: "Nous sommes trois acheteurs, tout passe par Excel.", ..ctx() };
    let restated = ids(&analyse_turn(&own, "Si je comprends bien, tout repose sur vos fichiers."));
    assert!(restated.contains(&"reformulation"), "{restated:?}");
}

/// A budget exceeded is no competitor run down.
#[test]
fn a_budget_exceeded_is_no_denigration() {
    let said =
        TurnContext { previous_prospect_line: "Mon budget frais généraux est déjà dépassé de 4 %.", ..ctx() };
    let found = ids(&analyse_turn(
        &said,
        "Si je vous comprends bien, le vrai blocage, c'est la mise en place qui tombe sur votre budget de cette année, déjà dépassé de 4 %.",
    ));
    assert!(!found.contains(&"competitor_bashing"), "{found:?}");
    assert!(found.contains(&"reformulation") && !found.contains(&"empathy"), "{found:?}");
}

/// A gesture on the terms is a concession; its counterpart may come in the next sentence.
#[test]
fn a_gesture_on_the_terms_is_traded_when_the_turn_asks_for_something_back() {
    let said = TurnContext {
        previous_prospect_line: "La mise en place tombe sur cette année, et mon budget est bouclé.",
        discovery_questions: 3,
        ..ctx()
    };
    let traded = ids(&analyse_turn(
        &said,
        "Je peux reporter la facturation de la mise en place sur l'an prochain, en trois fois. En contrepartie, je vous demande l'engagement sur 36 mois.",
    ));
    assert!(traded.contains(&"traded_concession") && !traded.contains(&"concession_without_counterpart"), "{traded:?}");
    let given = ids(&analyse_turn(&said, "Je peux reporter la facturation de la mise en place sur l'an prochain."));
    assert!(given.contains(&"concession_without_counterpart"), "{given:?}");
    let weighed =
        ids(&analyse_turn(&said, "Si on étalait la mise en place sur l'an prochain, ça changerait quelque chose ?"));
    assert!(!weighed.iter().any(|id| id.contains("concession")), "{weighed:?}");
}

/// The deal said back before it is signed is a recap, not a proof.
#[test]
fn a_recap_of_the_deal_is_no_proof() {
    let said = TurnContext { previous_prospect_line: "Oui, je peux le défendre. C'est d'accord.", ..ctx() };
    let found = ids(&analyse_turn(
        &said,
        "Je récapitule : abonnement à 57 960 euros par an, engagement de 36 mois, et vous êtes client référence. C'est bien ça ?",
    ));
    assert!(!found.contains(&"proof_used"), "{found:?}");
}

/// Running down what the prospect was promised elsewhere is denigration; a boast is not.
#[test]
fn never_ready_said_of_the_vendors_is_denigration() {
    let said =
        TurnContext { previous_prospect_line: "Notre éditeur d'ERP nous promet que son module sera prêt.", ..ctx() };
    let down = ids(&analyse_turn(&said, "Les modules des éditeurs d'ERP ne sont jamais prêts à temps, vous savez."));
    assert!(down.contains(&"competitor_bashing"), "{down:?}");
    let boast = ids(&analyse_turn(&said, "Chez nous, on ne livre jamais en retard."));
    assert!(!boast.contains(&"competitor_bashing"), "{boast:?}");
}

/// Some unnamed clients' gains, with no source, are hearsay; figures on the whole base or a
/// named client are proof.
#[test]
fn unnamed_clients_gains_are_no_proof() {
    let said = TurnContext { previous_prospect_line: "Le prix, on en reparlera.", ..ctx() };
    let hearsay = ids(&analyse_turn(&said, "On a des clients qui ont économisé 20 % dès la première année."));
    assert!(!hearsay.contains(&"proof_used"), "{hearsay:?}");
    let base = ids(&analyse_turn(&said, "94 % des clients renouvellent au bout d'un an."));
    assert!(base.contains(&"proof_used"), "{base:?}");
    let named = ids(&analyse_turn(&said, "Un client comme vous, Agri-Centre, a récupéré 70 % de ses escomptes."));
    assert!(named.contains(&"proof_used"), "{named:?}");
}

/// The amounts of an error owned up to earlier in the turn are the damage, not a price.
#[test]
fn the_amounts_of_an_error_owned_up_to_are_no_price() {
    let said = TurnContext { previous_prospect_line: "J'ai envoyé les variables hier soir.", ..ctx() };
    let found = ids(&analyse_turn(
        &said,
        "Nous avons commis une erreur sur la prévoyance. Cela concerne vos 52 cadres, environ 7 euros par cadre et par mois.",
    ));
    assert!(!found.contains(&"premature_price"), "{found:?}");
}

/// A cut of the price traded for something is a traded concession, however introduced;
/// the deal said back is none; « on est d'accord sur cette base ? » closes.
#[test]
fn a_price_cut_in_exchange_is_traded_and_a_base_agreed_closes() {
    let said =
        TurnContext { previous_prospect_line: "Il me faut un coût total plus bas.", discovery_questions: 3, ..ctx() };
    let traded = ids(&analyse_turn(
        &said,
        "Je vous propose donc : 36 mois, et 5 % sur l'abonnement en échange d'un paiement annuel d'avance.",
    ));
    assert!(traded.contains(&"traded_concession"), "{traded:?}");
    let recap =
        ids(&analyse_turn(&said, "Donc : 5 % sur l'abonnement sur 36 mois, démarrage le 1er octobre. On signe ?"));
    assert!(!recap.iter().any(|id| id.contains("concession")), "{recap:?}");
    let close = ids(&analyse_turn(
        &said,
        "Pour récapituler : 36 mois, paiement annuel. Est-ce qu'on est d'accord sur cette base ?",
    ));
    assert!(close.contains(&"closing_attempt"), "{close:?}");
}

/// A day or a clock time is no figure; a duration is.
#[test]
fn a_time_agreed_is_no_proof() {
    let said = TurnContext { previous_prospect_line: "Mardi, ça me va.", ..ctx() };
    let time = ids(&analyse_turn(&said, "Très bien, c'est noté pour mardi 14 h. Au revoir Monsieur Cabanel."));
    assert!(!time.contains(&"proof_used"), "{time:?}");
    let gain = ids(&analyse_turn(&said, "Nos clients gagnent en moyenne 5 heures par semaine sur le reporting."));
    assert!(gain.contains(&"proof_used"), "{gain:?}");
}

/// "Donc, vous voyez l'intérêt d'un outil comme le nôtre ?" asks for a yes to the offer:
/// no reformulation, and a stance is asked for.
#[test]
fn asking_whether_they_see_the_point_of_the_offer_is_no_reformulation() {
    let said = TurnContext { previous_prospect_line: "On a déjà un outil, et la DSI ne suivra pas.", ..ctx() };
    let found = ids(&analyse_turn(&said, "Donc, vous voyez l'intérêt d'un outil comme le nôtre ?"));
    assert!(!found.contains(&"reformulation"), "{found:?}");
    assert!(crate::analysis::weighs("Donc, vous voyez l'intérêt d'un outil comme le nôtre ?"));
}

/// A wh-question with its answer guessed after the comma is a yes or no.
#[test]
fn a_question_with_its_answer_guessed_is_closed() {
    let said = TurnContext { previous_prospect_line: "On verra après l'été.", ..ctx() };
    let guessed = ids(&analyse_turn(&said, "Et qui décide au final, c'est la présidente ?"));
    assert!(!guessed.contains(&"good_open_question"), "{guessed:?}");
    let open = ids(&analyse_turn(&said, "Et pour les associés, la réunion, c'est quand ?"));
    assert!(open.contains(&"good_open_question"), "{open:?}");
}

/// A dated proposal that reuses the prospect's words proposes; it restates nothing. The
/// logistics of a step argue nothing.
#[test]
fn a_proposal_is_no_reformulation_and_logistics_no_benefit() {
    let said = TurnContext {
        previous_prospect_line: "Marc voit le moindre projet hors Sage X3 comme une attaque contre sa migration.",
        ..ctx()
    };
    let proposal = ids(&analyse_turn(
        &said,
        "Pour ne pas heurter sa migration, je propose une réunion avec Marc le mardi 18 à 14 h sur Sage X3.",
    ));
    assert!(proposal.contains(&"next_step_proposal") && !proposal.contains(&"reformulation"), "{proposal:?}");
    let logistics = ids(&analyse_turn(
        &said,
        "Parfait, je vous envoie la confirmation ce soir avec un ordre du jour que vous pourrez amender.",
    ));
    assert!(!logistics.contains(&"benefit_argument"), "{logistics:?}");
}

/// A technique announced by name (« technique de l'entonnoir ») is recited, not used; a
/// question about the offer is no discovery question.
#[test]
fn the_funnel_named_is_recited_and_a_question_on_the_offer_discovers_nothing() {
    let said = TurnContext { previous_prospect_line: "Je vous écoute.", ..ctx() };
    let named =
        ids(&analyse_turn(&said, "Technique de l'entonnoir : quel est votre besoin, votre enjeu, votre budget ?"));
    assert!(named.contains(&"method_named") && !named.contains(&"good_open_question"), "{named:?}");
    let offer = ids(&analyse_turn(&said, "Si je comprends bien, vous avez besoin de notre solution, c'est bien ça ?"));
    assert!(!offer.contains(&"discovery_question"), "{offer:?}");
}
