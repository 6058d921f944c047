//! Replies a trainer corrected in the s26 role-plays: questions asked in a statement,
//! suppliers asked for with « avec qui », agreement asked for, a prospect who asked to
//! settle now.

use super::*;

fn cold_call() -> Scenario {
    let catalog = Catalog::embedded().expect("catalogue");
    super::scenario(&catalog, "cold_calling", "auto", Level::Easy, Some("cold_calling_2"), 2703).expect("scenario")
}

const THROUGH: [&str; 3] = [
    "Oui bonjour, c'est Julien de chez Flotteo, je voudrais parler au responsable du parc auto s'il vous plaît.",
    "C'est par rapport au carburant, on a des solutions de cartes carburant et de télématique pour les transporteurs. C'est Monsieur Bouchardeau qui s'occupe de ça ?",
    "Bonjour Monsieur Bouchardeau, Julien de Flotteo. Je vous appelle parce qu'on aide les transporteurs à réduire leur facture de gazole.",
];

#[test]
fn a_supplier_asked_with_avec_qui_gets_what_the_prospect_is_equipped_with() {
    let s = cold_call();
    let mut lines = THROUGH.to_vec();
    lines.push("Ah d'accord. Vous êtes équipé avec qui en ce moment ?");
    let (_, turns) = play(&s, &lines);
    let last = turns.last().expect("turns");
    assert_eq!(last.prospect_move, Move::Answer, "{turns:#?}");
    assert!(last.prospect_text.contains("boîtiers"), "{turns:#?}");
}

#[test]
fn a_question_asked_in_a_statement_is_answered() {
    let s = cold_call();
    let mut lines = THROUGH.to_vec();
    lines.push("Je voulais savoir quel fournisseur vous avez pour la géolocalisation, et si ça vous aide sur la conso de gazole.");
    let (_, turns) = play(&s, &lines);
    let last = turns.last().expect("turns");
    assert_eq!(last.prospect_move, Move::Answer, "{turns:#?}");
    assert!(last.prospect_text.contains("géolocalisation"), "{turns:#?}");
}

#[test]
fn agreement_asked_for_gets_a_stance_not_a_stock_non_answer() {
    assert!(crate::analysis::weighs("Et le témoignage avec la visite de référence, vous êtes d'accord ?"));
    assert!(crate::analysis::weighs("Si la cave ne sortait pas un euro, est-ce que ce serait un sujet différent ?"));
    assert!(!crate::analysis::weighs("Vous êtes d'accord avec qui, en interne ?"));
    // A claim of the learner's own with a tag asks for a stance; a fact of theirs checked does not.
    assert!(crate::analysis::weighs("Le rejeu se fait en un clic, sans script. C'est simple, non ?"));
    assert!(crate::analysis::weighs("Ça change la donne, vous ne trouvez pas ?"));
    assert!(!crate::analysis::weighs("Vous avez beaucoup de flux, non ?"));
    assert!(!crate::analysis::weighs("Non ?"));
    assert!(crate::analysis::weighs(
        "Que penseriez-vous d'une garantie de résultat écrite sur la première année, que je présenterais moi-même ?"
    ));
    let s = fixture(3);
    let (_, turns) = play(
        &s,
        &[
            "Bonjour, merci de prendre ce temps. Comment est organisée votre équipe aujourd’hui ?",
            "Je peux vous mettre en relation avec un client de votre taille qui l'utilise depuis deux ans. Ça vous dirait ?",
        ],
    );
    let last = turns.last().expect("turns");
    assert_eq!(last.prospect_move, Move::Acknowledge, "{turns:#?}");
    for stock in ["Je ne saurais pas", "Précisez votre question", "pouvoir vous répondre"] {
        assert!(!last.prospect_text.contains(stock), "{turns:#?}");
    }
}

#[test]
fn a_prospect_who_asked_to_settle_now_takes_the_closing() {
    assert!(crate::analysis::asks_to_settle("Soit on boucle maintenant, soit je repousse tout."));
    assert!(!crate::analysis::asks_to_settle("On boucle le budget en juin."));
    // A negotiation (trainer run s26-r1): the buyer says she wants to settle now; the full
    // recap that follows, with the counterparts, is taken at a middling gauge.
    let catalog = Catalog::embedded().expect("catalogue");
    let s = super::scenario(&catalog, "negociation", "generic", Level::Expert, None, 2704).expect("scenario");
    let (state, turns) = play(
        &s,
        &[
            "Bonjour, merci de me recevoir. Avant de parler chiffres, j'aimerais qu'on fasse le point sur où on en est : qu'est-ce qui reste à régler de votre côté pour avancer ?",
            "Donc si je vous suis bien : 20 000 euros par semaine de pénalités au-delà de mi-octobre, la date passe avant tout. Sur les trois autres sujets, prix, contenu et paiement, lequel pèse le plus pour vous après la date ?",
            "OK, 45 000 par an prévus contre 54 000 au devis, et le projet que vous voulez passer sur l'exercice prochain. Sur la date, je peux vous réserver nos consultants pour un démarrage garanti début octobre, alors qu'ils sont très demandés, à condition d'avoir votre signature d'ici vendredi. C'est jouable pour vous ?",
            "Entendu, 40 % à la commande ne vous va pas. Je peux revoir l'échéancier : 20 % à la commande, 40 % au démarrage en octobre et 40 % à la mise en production validée, ce qui décale l'essentiel du projet sur votre prochain exercice. En échange, j'ai besoin de la signature vendredi et de l'engagement ferme sur 36 mois. Ça vous convient ?",
            "On en était à l'échéancier et à la préparation lumineuse. Les 62 000 euros, je ne peux pas vous les offrir. Par contre on peut sortir la préparation lumineuse du premier lot : vous démarrez en octobre sur le cœur et le module transport pour vos e-commerçants, et vous décidez de la lumineuse d'ici mars, au prix d'aujourd'hui. Qu'est-ce que vous en pensez ?",
            "Bien joué, j'avoue. Reste l'abonnement. Je peux descendre à 4 140 euros par mois, soit 8 %, c'est mon maximum, mais en contrepartie je vous demande un témoignage client après six mois et une visite de référence sur votre entrepôt. On est d'accord sur ce principe ?",
            "Sur le prix, rien de plus, je préfère vous le dire clairement. Et le témoignage avec la visite de référence, vous êtes d'accord ?",
            "Je comprends, c'est peut-être à voir avec votre client cosmétiques. Qu'est-ce qui vous gênerait dans le fait de recevoir un ou deux prospects chez vous ?",
        ],
    );
    assert!(state.asked_for_date, "{turns:#?}");
    let state_before = state.clone();
    let mut state = state;
    let turn = play_turn(
        &s,
        &mut state,
        "Alors bouclons. Je récapitule : abonnement à 4 140 euros HT par mois sur 36 mois, démarrage garanti début octobre avec nos consultants réservés, projet à 38 000 euros payé 20 % à la commande, 40 % au démarrage, 40 % à la mise en production, préparation lumineuse sortie du lot et décidée d'ici mars au prix actuel. En face : signature vendredi, 36 mois fermes et un témoignage à six mois. On signe sur cette base ?",
    );
    assert_eq!(turn.prospect_move, Move::AcceptNextStep, "{turn:#?}");
    // Taken at her word, « vous signez aujourd'hui » is no pressure.
    let mut state = state_before;
    let turn = play_turn(
        &s,
        &mut state,
        "Alors on boucle maintenant : je vous laisse le bon de commande, démarrage semaine du 6 octobre, et le témoignage au printemps. Vous signez aujourd'hui, je confirme les consultants ce soir.",
    );
    assert!(!turn.patterns.iter().any(|d| d.pattern == crate::analysis::PatternId::Pushy), "{turn:#?}");
    assert_eq!(turn.prospect_move, Move::AcceptNextStep, "{turn:#?}");
}

#[test]
fn the_product_is_named_only_once_the_learner_named_it() {
    let s = fixture(3);
    let (mut state, _) = super::open(&s);
    let heard = |state: &SessionState, message: &str| super::wording::product_as_heard(&s, state, message);
    assert_eq!(heard(&state, "Bonjour, Paul, de chez Pilotis CRM."), "votre solution");
    let said = format!("Bonjour, je vous présente {}.", s.product.name);
    assert_eq!(heard(&state, &said), s.product.name);
    state.learner_lines.push(said);
    assert_eq!(heard(&state, "Et ensuite ?"), s.product.name);
}

#[test]
fn two_dates_to_choose_from_are_a_step_and_one_is_taken_in_lower_case() {
    let s = fixture(3);
    let (mut state, _) = play(&s, &GOOD[..5]);
    state.gauge = 90;
    state.pending_objection = None;
    let turn = play_turn(
        &s,
        &mut state,
        "On prépare la note ensemble. Mardi 14 à 10h, ou jeudi 16 à 14h, qu'est-ce qui vous arrange le mieux ?",
    );
    assert_eq!(turn.prospect_move, Move::AcceptNextStep, "{turn:#?}");
    assert!(
        turn.prospect_text.contains("mardi 14 à 10h") || turn.prospect_text.contains("jeudi 16 à 14h"),
        "{turn:#?}"
    );
}

#[test]
fn asked_whether_they_looked_at_the_proposal_the_prospect_says_how_far() {
    let s = fixture(3);
    let (mut state, _) = super::open(&s);
    state.gauge = 50;
    let lines = super::no_answer::nothing_on_it(&s, &mut state, "Vous avez pu regarder la proposition ?");
    assert!(lines.iter().all(|l| !l.contains("pouvoir vous répondre")), "{lines:?}");
    assert!(lines.iter().any(|l| l.contains("survolée") || l.contains("diagonale")), "{lines:?}");
    assert!(crate::analysis::weighs("Le montant, il vous pose problème ou pas ?"));
}

#[test]
fn asked_what_still_holds_them_back_with_nothing_left_to_raise_the_prospect_says_so() {
    let s = fixture(3);
    let (mut state, _) = super::open(&s);
    state.gauge = 75;
    let lines = super::no_answer::nothing_on_it(
        &s,
        &mut state,
        "Et vous, de votre côté, qu'est-ce qui vous fait encore hésiter ?",
    );
    assert!(lines.iter().all(|l| !l.contains("réponse toute faite")), "{lines:?}");
    assert!(lines.iter().any(|l| l.contains("Plus grand-chose") || l.contains("plus grand-chose")), "{lines:?}");
}

/// "Vous êtes toujours intéressé ?" gets where the prospect stands, not a stock non-answer.
#[test]
fn an_interest_check_gets_where_the_prospect_stands() {
    let s = fixture(3);
    let (_, turns) = play(&s, &["Bonjour, je reprends votre dossier. Est-ce que vous êtes toujours intéressé ?"]);
    let last = turns.last().expect("turns");
    assert_eq!(last.prospect_move, Move::Acknowledge, "{turns:#?}");
    assert!(
        ["table", "porte", "actualité", "changé", "prioritaire", "moment"]
            .iter()
            .any(|w| last.prospect_text.contains(w)),
        "{turns:#?}"
    );
}

/// Once a step is agreed, another without a date is agreed as what was said, not met with
/// « Je ne saurais pas vous en dire plus ».
#[test]
fn a_vague_step_after_the_agreed_one_keeps_to_it() {
    let s = fixture(3);
    let (mut state, _) = play(&s, &GOOD[..3]);
    state.converted = true;
    state.converted_at = Some(2);
    state.pending_objection = None;
    let gauge = state.gauge;
    let turn =
        play_turn(&s, &mut state, "Bon, je vous rappelle dans quelques semaines pour voir où vous en êtes, d'accord ?");
    assert_eq!(turn.prospect_move, Move::AcceptNextStep, "{turn:#?}");
    assert_eq!(state.converted_at, Some(2));
    assert!(turn.gauge <= gauge.saturating_add(6), "a confirmation earns no conversion bonus: {turn:#?}");
}

/// A meeting asked for with someone else: the prospect arranges it, it does not attend.
#[test]
fn a_meeting_with_a_third_person_is_arranged_not_attended() {
    let (s, mut state) = warmed_up(90);
    let turn = play_turn(&s, &mut state, "Pouvez-vous m'obtenir trente minutes avec lui mercredi 12 à 10 h ?");
    assert_eq!(turn.prospect_move, Move::AcceptNextStep, "{turn:#?}");
    assert!(turn.prospect_text.contains("lui"), "{turn:#?}");
    assert!(!turn.prospect_text.contains("invitation"), "{turn:#?}");
}

/// "Qu'est-ce qui vous a poussé à nous contacter ?" asks what went wrong: it is answered
/// with it, not with « je ne suis pas sûr de pouvoir vous répondre ».
#[test]
fn what_prompted_the_call_is_answered_with_what_went_wrong() {
    let s = fixture(3);
    assert!(s.facts.iter().any(|f| f.topic == "problemes" && !f.detail));
    let (state, turns) = play(&s, &["Bonjour, merci de me recevoir. Qu'est-ce qui vous a poussé à nous contacter ?"]);
    let last = turns.last().expect("turns");
    assert_eq!(last.prospect_move, Move::Answer, "{turns:#?}");
    let told = state.facts_revealed.last().map(|i| s.facts[*i].topic.as_str());
    assert_eq!(told, Some("problemes"), "{turns:#?}");
}
