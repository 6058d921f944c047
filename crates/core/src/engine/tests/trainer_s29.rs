//! Replies a trainer corrected in the s29 role-plays.

use super::*;

fn scenario(skill: &str, level: Level, seed: u64) -> Scenario {
    let catalog = Catalog::embedded().expect("catalogue");
    super::scenario(&catalog, skill, "generic", level, None, seed).expect("scenario")
}

/// Asked for the committee's questions, the prospect gives the objection; a closing with
/// it pending is refused on it; a discount is no answer to a doubt on the savings.
#[test]
fn a_discount_does_not_answer_a_doubt_that_is_not_about_the_price() {
    let s = scenario("closing_ponts_brules", Level::Medium, 3009);
    let (state, turns) = play(
        &s,
        &[
            "Bonjour Madame Quesnel, merci à vous de me recevoir. Alors dites-moi, comment le comité a réagi à la présentation d'hier ?",
            "Je comprends, donc le comité recommande jeudi et le bureau vote le 14. Vous avez une liste de questions de leur part : on peut les prendre une par une ?",
            "D'accord. Bon, de notre côté, la solution est vraiment au point : le pilote de Pithiviers l'a montré. Franchement je pense que c'est le bon moment pour signer. Vous êtes d'accord ?",
            "Ah, le DAF. Écoutez, je peux vous proposer une remise de 15 % si vous signez avant la fin du mois, ça devrait le rassurer, non ?",
        ],
    );
    assert_eq!(turns[1].prospect_move, Move::RaiseObjection, "{turns:#?}");
    assert_eq!(turns[2].prospect_move, Move::RefuseNextStep, "{turns:#?}");
    assert_eq!(turns[3].prospect_move, Move::PressObjection, "{turns:#?}");
    assert!(turns[3].prospect_text.contains("remise"), "{}", turns[3].prospect_text);
    assert!(turns[3].prospect_text.contains("DAF"), "{}", turns[3].prospect_text);
    assert!(turns[3].patterns.iter().all(|d| d.pattern != PatternId::TradedConcession), "{:?}", turns[3].patterns);
    assert!(!state.converted);
}

/// Once the hidden side is out, isolating it with a hypothesis (« si le projet ne
/// mobilisait presque pas vos équipes, ce serait toujours trop tôt ? ») is neutralising,
/// and brings up what else holds the prospect back.
#[test]
fn a_hypothesis_after_the_hidden_side_isolates_the_objection() {
    let s = scenario("objections_cnz", Level::Medium, 3003);
    let (_, turns) = play(
        &s,
        &[
            "Je comprends, et merci de me recevoir malgré tout. Onze personnes mobilisées jusqu'à fin juin sur l'ERP et la paie, c'est lourd. Qu'est-ce qui vous fait dire que ce serait risqué de lancer autre chose avant l'année prochaine, concrètement ?",
            "Je comprends mieux : deux mois de retard, la paie de juin qui doit sortir, et c'est vous qui êtes exposé. Une question franche : si le projet ne mobilisait presque pas vos onze personnes, disons une demi-journée de votre équipe au total, est-ce que ce serait toujours trop tôt ?",
        ],
    );
    assert_eq!(turns[0].prospect_move, Move::RevealHidden, "{turns:#?}");
    assert!(turns[1].patterns.iter().any(|d| d.pattern == PatternId::ObjectionNeutralize), "{turns:#?}");
    assert_eq!(turns[1].prospect_move, Move::RaiseObjection, "{turns:#?}");
}

/// A referral asked of a client who holds a reservation she never voiced brings it out;
/// asked again with the reservation untreated, the introduction is refused on it, in the
/// words of an introduction (not of a signature).
#[test]
fn a_referral_asked_brings_out_the_reservation_and_waits_for_it() {
    let s = scenario("recommandation", Level::Medium, 3005);
    let (state, turns) = play(
        &s,
        &[
            "Bonjour Sophie ! Une mention en revue de direction, ça me fait vraiment plaisir. Qu'est-ce que l'outil a changé pour vous ?",
            "Douze jours au lieu de trente-quatre, et zéro écart majeur chez Ravelle : bravo. Du coup, vous pourriez me mettre en relation avec quelqu'un chez Ravelle ?",
            "Marc Quintard, super. Vous pouvez me donner son numéro ? Je l'appelle de votre part dès demain.",
        ],
    );
    assert_eq!(turns[1].prospect_move, Move::RaiseObjection, "{turns:#?}");
    assert_eq!(turns[2].prospect_move, Move::RefuseNextStep, "{turns:#?}");
    assert!(!turns[2].prospect_text.contains("signer"), "{}", turns[2].prospect_text);
    assert!(turns[2].patterns.iter().any(|d| d.pattern == PatternId::ObjectionIgnored), "{:?}", turns[2].patterns);
    assert!(!state.converted);
}

/// A client who has not been told of the error knows nothing of it: asked vague questions,
/// she tells none of what only the error explains; told of it, she objects at once.
#[test]
fn a_client_learns_of_the_error_from_the_seller_only() {
    let s = scenario("situations_difficiles", Level::Easy, 3011);
    let after: Vec<usize> = (0..s.facts.len()).filter(|i| !s.facts[*i].after.is_empty()).collect();
    assert!(!after.is_empty(), "the template marks what waits for the announcement");
    let (state, turns) = play(
        &s,
        &[
            "Si je comprends bien, vous êtes en avance, bravo ! Qu'est-ce qui vous fait dire ça ? Racontez-moi.",
            "Qu'est-ce qui vous préoccupe en ce moment ?",
        ],
    );
    assert!(state.facts_revealed.iter().all(|i| !after.contains(i)), "{turns:#?}");
    assert!(state.objections.iter().all(|o| o.raised_at.is_none()), "{turns:#?}");
    let (_, turns) = play(
        &s,
        &[
            "Bonjour, je vous appelle pour vous annoncer une erreur de notre part : nous avons oublié d'appliquer la hausse du taux de prévoyance des cadres pendant trois mois. Je suis désolé.",
        ],
    );
    assert_eq!(turns[0].prospect_move, Move::RaiseObjection, "{turns:#?}");
}

/// A negotiation package traded for commitments is weighed as a trade, the prospect's own
/// figure quoted back is not read as an offer, the deal's start date is no vague step, and
/// the deal agreed is a deal, not a meeting.
#[test]
fn a_negotiation_package_is_weighed_and_agreed_as_a_deal() {
    let s = scenario("negociation", Level::Expert, 3002);
    let (_, turns) = play(
        &s,
        &[
            "On va tout regarder, c'est promis. Parmi ces quatre points, le prix, le délai, le contenu et les modalités de paiement, lequel compte vraiment le plus pour vous, et pourquoi ?",
            "Je vous entends : la date de mi-octobre, c'est 20 000 euros par semaine de retard pour vous. À part la date, qu'est-ce qui vous gêne le plus dans le devis : le prix lui-même, ou la façon de payer ?",
            "D'accord, 40 % à la commande ne vous convient pas, vous voulez payer quand ça marche. En contrepartie, si je décale une partie du paiement sur la mise en service, est-ce que vous seriez prête à signer cette semaine ?",
            "Ce que je vous propose : démarrage garanti début octobre, préparation lumineuse en option au prix d'aujourd'hui, 20 % à la commande et le reste à la mise en service. En contrepartie : signature cette semaine et engagement sur 36 mois. Qu'est-ce que vous en pensez ?",
        ],
    );
    assert_eq!(turns[2].prospect_move, Move::WeighOffer, "{turns:#?}");
    assert!(!turns[2].prospect_text.contains("40"), "{}", turns[2].prospect_text);
    assert_ne!(turns[3].prospect_move, Move::VagueStep, "{turns:#?}");
}
