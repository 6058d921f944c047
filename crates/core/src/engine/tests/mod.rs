//! Engine behaviour: replay, gauge, moves, ends.
use super::*;
use crate::end::{self, EndType};

fn fixture(seed: u64) -> Scenario {
    let catalog = Catalog::embedded().expect("catalogue");
    let skill = "ecoute_active".to_owned();
    super::scenario(&catalog, &skill, "generic", Level::Easy, None, seed).expect("scenario")
}

fn play(scenario: &Scenario, lines: &[&str]) -> (SessionState, Vec<Turn>) {
    let (mut state, _) = open(scenario);
    let turns = lines.iter().map(|l| play_turn(scenario, &mut state, l)).collect();
    (state, turns)
}

/// The fixture after three good turns, at `gauge`, with no objection pending: a prospect
/// ready to weigh what comes next.
fn warmed_up(gauge: u8) -> (Scenario, SessionState) {
    let s = fixture(3);
    let (mut state, _) = play(&s, &GOOD[..3]);
    state.gauge = gauge;
    state.pending_objection = None;
    (s, state)
}

const GOOD: &[&str] = &[
    "Bonjour, merci de prendre ce temps. Comment est organisée votre équipe aujourd’hui ?",
    "D’accord. Et qu’est-ce qui vous pose le plus de difficultés en ce moment ?",
    "Si je comprends bien, vous perdez du temps chaque semaine. Quelles conséquences pour l’équipe ?",
    "Je comprends. Qu’est-ce qui vous fait dire ça ?",
    "Quels seraient pour vous les résultats idéaux dans six mois ?",
    "Je vous propose un rendez-vous mardi à 10h pour vous montrer une démo ?",
    "Merci pour votre temps, au revoir !",
];

#[test]
fn the_same_seed_replays_the_same_session() {
    let s = fixture(11);
    assert_eq!(play(&s, GOOD).1, play(&s, GOOD).1);
}

#[test]
fn a_good_discovery_raises_the_gauge_and_ends_on_mutual_goodbye() {
    let s = fixture(3);
    let (state, turns) = play(&s, GOOD);
    let last = turns.last().expect("turns");
    assert!(last.session_ended, "{turns:#?}");
    assert_eq!(last.end_type, Some(EndType::MutualGoodbye));
    assert!(state.gauge > state.starting_gauge, "gauge {} -> {}", state.starting_gauge, state.gauge);
    assert!(!state.facts_revealed.is_empty());
}

#[test]
fn pitching_without_questions_loses_ground() {
    let s = fixture(5);
    let pitch = "Notre solution est la meilleure du marché, nous avons des fonctionnalités uniques et notre société est leader.";
    let (state, turns) = play(&s, &[pitch, pitch, pitch]);
    assert!(state.gauge < state.starting_gauge, "{turns:#?}");
}

#[test]
fn the_prospect_never_repeats_a_line() {
    let s = fixture(9);
    let (state, _) = play(&s, &["D'accord.", "D'accord.", "D'accord.", "Oui.", "Oui.", "Ok.", "Ok.", "Bien."]);
    let mut lines = state.used_lines.clone();
    lines.sort();
    lines.dedup();
    assert_eq!(lines.len(), state.used_lines.len());
}

#[test]
fn an_early_goodbye_does_not_end_the_session() {
    let s = fixture(1);
    let (_, turns) = play(&s, &["Bonjour, au revoir !"]);
    assert!(!turns[0].session_ended);
    assert!(!end::prospect_said_bye(&turns[0].prospect_text, &[]), "{}", turns[0].prospect_text);
}

#[test]
fn insults_make_the_prospect_hang_up() {
    let s = fixture(2);
    let (state, turns) = play(
        &s,
        &[
            "Vous êtes un idiot !!!",
            "Espèce d'imbécile, vous ne comprenez rien !!!",
            "Idiot !!!",
            "Crétin !!!",
            "Imbécile !!!",
        ],
    );
    let last = turns.last().expect("turns");
    assert!(last.session_ended, "{turns:#?}");
    assert_eq!(last.end_type, Some(EndType::ProspectEnded));
    assert_eq!(state.ended, Some(EndType::ProspectEnded));
}

#[test]
fn max_exchanges_ends_the_session() {
    let s = fixture(4);
    let max = s.conversation_rules.max_exchanges as usize;
    let lines = vec!["Oui, je vois, et chez vous ça se passe comment ?"; max];
    let (_, turns) = play(&s, &lines);
    let last = turns.last().expect("turns");
    assert!(last.session_ended);
    assert!(matches!(last.end_type, Some(EndType::MaxExchanges | EndType::ProspectEnded)), "{:?}", last.end_type);
}

#[test]
fn a_prospect_out_of_patience_gives_one_last_turn_then_ends() {
    let s = fixture(6);
    let (mut state, _) = open(&s);
    let min = s.conversation_rules.min_exchanges;
    state.exchanges = min - 1;
    // Four faults already put up with: at easy level the fifth ends the patience.
    state.strikes = 4;
    let turn = play_turn(&s, &mut state, "Vous devez signer maintenant, c’est maintenant ou jamais.");
    assert_eq!(turn.prospect_move, Move::WrapUp, "{turn:#?}");
    assert_eq!(turn.end_type, Some(EndType::ProspectEnding), "{turn:#?}");
    assert!(!turn.session_ended);
    let last = play_turn(&s, &mut state, "Nous pouvons aussi vous proposer un essai.");
    assert!(last.session_ended);
    assert_eq!(last.end_type, Some(EndType::ProspectEnded));
}

#[test]
fn a_cold_start_alone_never_shows_the_learner_the_door() {
    let s = fixture(7);
    let (mut state, _) = open(&s);
    state.gauge = 20;
    state.exchanges = s.conversation_rules.min_exchanges;
    let turn = play_turn(&s, &mut state, "Comment gérez-vous vos relances aujourd’hui ?");
    assert!(!matches!(turn.prospect_move, Move::WrapUp | Move::HangUp | Move::FinalWords), "{turn:#?}");
}

#[test]
fn a_ready_prospect_accepts_a_dated_step_even_at_the_exchange_cap() {
    let s = fixture(8);
    let (mut state, _) = open(&s);
    state.gauge = 95;
    state.exchanges = s.conversation_rules.max_exchanges - 1;
    let turn = play_turn(&s, &mut state, "Je vous propose un rendez-vous mardi à 10h pour une démonstration ?");
    assert_eq!(turn.prospect_move, Move::AcceptNextStep, "{turn:#?}");
    assert!(state.converted);
}

#[test]
fn the_prospect_points_out_a_repeated_line_and_answers_what_was_asked() {
    let s = fixture(9);
    let (mut state, _) = open(&s);
    let question = "Qu’est-ce qui vous pose le plus de difficultés aujourd’hui ?";
    let first = play_turn(&s, &mut state, question);
    assert_ne!(first.prospect_move, Move::AlreadyAsked);
    let again = play_turn(&s, &mut state, question);
    assert_eq!(again.prospect_move, Move::AlreadyAsked, "{again:#?}");
    let salad =
        play_turn(&s, &mut state, "Contexte, objectifs, moyens, problèmes, implications, résultats : racontez-moi ?");
    assert_eq!(salad.prospect_move, Move::Puzzled, "{salad:#?}");
}

#[test]
fn gauge_stays_within_bounds() {
    let s = fixture(8);
    let (state, turns) = play(&s, &["Comment ? Pourquoi ? Si je comprends bien, je comprends. Racontez-moi."; 12]);
    assert!(turns.iter().all(|t| t.gauge <= 100));
    assert!(state.gauge <= 100);
}

#[test]
fn an_event_interrupts_and_the_next_turn_handles_it_or_not() {
    use crate::catalog::{Event, EventKind};
    let mut s = fixture(12);
    s.events = vec![Event {
        id: "appel".into(),
        kind: EventKind::PhoneCall,
        at_exchange: 2,
        min_level: Level::Medium,
        line: "(le téléphone sonne) Pardon… Voilà, je suis à vous. Où en étions-nous ?".into(),
        handled_by: vec!["reformulation".into()],
        guest: None,
    }];
    let (mut state, _) = open(&s);
    play_turn(&s, &mut state, "Comment est organisée votre équipe ?");
    let interrupted = play_turn(&s, &mut state, "Et quels outils utilisez-vous ?");
    assert!(interrupted.prospect_text.contains("(le téléphone sonne)"), "{}", interrupted.prospect_text);
    assert_eq!(state.events[0].triggered_at, Some(2));
    // A reformulation restates what the prospect said: the longest words of the reply.
    let mut words: Vec<&str> =
        interrupted.prospect_text.split(|c: char| !c.is_alphabetic()).filter(|w| w.chars().count() >= 6).collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    let line = format!("Si je résume, vous me parliez de {}. Lesquels vous gênent le plus ?", words[..3].join(", "));
    play_turn(&s, &mut state, &line);
    assert!(state.events[0].handled);
    assert!(state.events[0].response.as_deref().is_some_and(|r| r.starts_with("Si je résume")));
}

#[test]
fn unknown_skill_sector_or_variant_are_errors() {
    let catalog = Catalog::embedded().expect("catalogue");
    assert!(matches!(
        super::scenario(&catalog, "nope", "generic", Level::Easy, None, 1),
        Err(ScenarioError::UnknownSkill(_))
    ));
    let skill = "ecoute_active".to_owned();
    assert!(matches!(
        super::scenario(&catalog, &skill, "nope", Level::Easy, None, 1),
        Err(ScenarioError::UnknownSector(_))
    ));
    assert!(matches!(
        super::scenario(&catalog, &skill, "generic", Level::Easy, Some("x"), 1),
        Err(ScenarioError::UnknownVariant(_))
    ));
}

/// The DRH of `decouverte_compir_2` (two acquisitions, a team at breaking point).
fn drh() -> Scenario {
    let catalog = Catalog::embedded().expect("catalogue");
    super::scenario(&catalog, "decouverte_compir", "generic", Level::Medium, Some("decouverte_compir_2"), 101)
        .expect("scenario")
}

/// A state a few exchanges in, with these facts told.
fn told(s: &Scenario, facts: &[usize]) -> SessionState {
    let (mut state, _) = open(s);
    state.exchanges = 4;
    for &i in facts {
        state.facts_revealed.push(i);
        state.facts_revealed_at.push(2);
        state.used_lines.push(s.facts[i].line.clone());
    }
    state
}

#[test]
fn a_question_after_a_restatement_is_answered_and_only_a_check_is_confirmed() {
    let s = drh();
    let mut state = told(&s, &[1, 4, 6, 7]);
    let asks = "Oui, les 120 entretiens, j'ai bien noté. Et votre équipe, avec tout ça, les trois sites, \
                les rectifs, les départs en période d'essai... elle tient le coup ?";
    let turn = play_turn(&s, &mut state, asks);
    assert_ne!(turn.prospect_move, Move::Confirm, "{turn:#?}");
    let mut state = told(&s, &[1, 4, 6, 7]);
    let checks = "Si je reformule : une dizaine de bulletins rectifiés par mois, 120 entretiens à prouver \
                  l'an prochain, et un tiers des recrues qui part pendant l'essai. C'est bien ça ?";
    assert_eq!(play_turn(&s, &mut state, checks).prospect_move, Move::Confirm);
}

#[test]
fn a_discovery_question_asked_with_a_word_for_the_objection_is_answered_then_the_hidden_side_comes() {
    let s = drh();
    let mut state = told(&s, &[7]);
    state.objections[0].raised_at = Some(3);
    state.pending_objection = Some(0);
    state.objection_on_table = true;
    state.last_prospect_line = s.hidden_objections[0].surface.clone();
    let turn = play_turn(
        &s,
        &mut state,
        "Je comprends, et rassurez-vous, je ne suis pas là pour vous vendre un logiciel aujourd'hui. \
         Comment est organisée votre équipe RH aujourd'hui pour gérer tout ça ?",
    );
    assert_eq!(turn.prospect_move, Move::Answer, "{turn:#?}");
    assert!(turn.prospect_text.contains("deux gestionnaires RH"), "{}", turn.prospect_text);
    assert!(turn.prospect_text.contains(s.hidden_objections[0].hidden_line.trim()), "{}", turn.prospect_text);
    assert!(state.objections[0].hidden_revealed);
}

#[test]
fn a_reminder_needs_the_words_of_the_question_not_just_its_item() {
    let s = drh();
    let mut state = told(&s, &[4, 6, 7]);
    let turn = play_turn(&s, &mut state, "Ça vous coûte combien, un bulletin rectifié, tout compris ?");
    assert!(
        !(turn.prospect_move == Move::AlreadySaid && state.last_fact == Some(6)),
        "the CPF figure is not the cost of a payslip: {turn:#?}"
    );
}

#[test]
fn a_refusal_names_the_point_left_open_and_never_says_objection() {
    let s = drh();
    let mut state = told(&s, &[1, 3, 4]);
    state.gauge = 90;
    state.objections[1].raised_at = Some(3);
    state.pending_objection = Some(1);
    state.objection_on_table = true;
    let turn = play_turn(&s, &mut state, "Je vous propose qu'on se revoie mardi 14 à 10h pour une démonstration ?");
    assert_eq!(turn.prospect_move, Move::RefuseNextStep, "{turn:#?}");
    assert!(!turn.prospect_text.contains("objection"), "{}", turn.prospect_text);
    assert!(turn.prospect_text.contains("ça ne marchera pas"), "{}", turn.prospect_text);
}

#[test]
fn an_objection_that_quotes_a_price_waits_for_a_figure_from_the_learner() {
    let catalog = Catalog::embedded().expect("catalogue");
    let s = super::scenario(&catalog, "argumentation_bac", "generic", Level::Medium, Some("argumentation_bac_1"), 7)
        .expect("scenario");
    let quotes =
        |i: usize| s.hidden_objections[i].surface.contains("euros") && s.hidden_objections[i].surface.contains('9');
    let (mut state, _) = open(&s);
    state.price_on_table = true;
    state.learner_lines.push("Et ça vous coûte quoi, chaque erreur de paie ?".into());
    for o in &mut state.objections {
        o.raised_at = None;
    }
    assert!(s.hidden_objections.iter().enumerate().any(|(i, _)| quotes(i)), "the template quotes a price");
    assert!(super::decision::next_objection(&s, &state).is_none_or(|i| !quotes(i)));
}

#[test]
fn an_objection_answered_on_its_point_is_not_ignored_nor_pressed_again() {
    let catalog = Catalog::embedded().expect("catalogue");
    let s = super::scenario(&catalog, "objections_cnz", "generic", Level::Expert, Some("objections_cnz_2"), 202)
        .expect("scenario");
    let (mut state, _) = open(&s);
    for line in [
        "Merci de me recevoir quand même, Monsieur Mahé, et je vais respecter vos vingt minutes. Une migration ERP \
         et paie avec onze personnes, j'imagine que c'est tendu. Qu'est-ce qui vous fait dire que ce n'est pas le \
         moment, précisément : c'est la charge de l'équipe, ou autre chose ?",
        "Je comprends mieux, et merci de votre franchise. La paie de juin, c'est la priorité absolue, je ne vais pas \
         vous dire le contraire. Si le projet ne demandait quasiment rien à votre équipe, disons deux demi-journées \
         au total, est-ce que ce serait toujours trop tôt ?",
    ] {
        play_turn(&s, &mut state, line);
    }
    assert!(state.pending_objection.is_some(), "a second objection is on the table");
    let answer = play_turn(
        &s,
        &mut state,
        "Justement, c'est pour ça que je parle de deux demi-journées : le déploiement est fait par nos équipes, pas \
         par les vôtres. Mais laissez-moi vous poser une autre question : l'audit de l'assureur dont m'avait parlé \
         votre RSSI, il a relevé quoi exactement ?",
    );
    assert!(answer.patterns.iter().all(|d| d.pattern != PatternId::ObjectionIgnored), "{answer:#?}");
    assert_eq!(state.pending_objection, None);
    let next = play_turn(&s, &mut state, "Et l'assureur, il vous a donné un délai pour corriger ça ?");
    assert!(next.patterns.iter().all(|d| d.pattern != PatternId::ObjectionIgnored), "{next:#?}");
    assert_ne!(next.prospect_move, Move::PressObjection);
}

#[test]
fn their_own_words_said_back_earn_nothing_and_the_prospect_notices() {
    let catalog = Catalog::embedded().expect("catalogue");
    let s = super::scenario(&catalog, "ecoute_active", "energie", Level::Easy, Some("ecoute_active_2"), 6644)
        .expect("scenario");
    let (mut state, _) = open(&s);
    play_turn(&s, &mut state, "Bonjour ! Comment ça se passe pour vous en ce moment, côté énergie ?");
    let told = state.last_fact.map(|i| s.facts[i].line.clone()).expect("a fact told");
    let sentences: Vec<String> =
        crate::text::sentences(&told).iter().map(|sp| told[sp.start..sp.end].trim().to_owned()).collect();
    assert!(sentences.len() >= 2, "{told}");
    let mut gauges = Vec::new();
    let mut replies = Vec::new();
    for (sentence, frame) in sentences.iter().zip(["Qu'est-ce qui vous fait dire ça ?", "Racontez-moi."]) {
        let before = state.gauge;
        let turn = play_turn(&s, &mut state, &format!("Si je comprends bien, {sentence} {frame}"));
        gauges.push((before, turn.gauge));
        assert!(!turn.prospect_text.contains(sentence.trim_end_matches('.')), "{}", turn.prospect_text);
        replies.push(turn.prospect_text);
    }
    assert!(gauges.iter().all(|(before, after)| after <= before), "{gauges:?}");
    assert!(replies[1].contains("répétez") || replies[1].contains("viens de"), "{replies:?}");
}

#[test]
fn once_a_step_is_agreed_an_either_or_gets_a_choice() {
    let s = drh();
    let mut state = told(&s, &[1, 3, 4]);
    state.converted = true;
    state.converted_at = Some(3);
    let turn =
        play_turn(&s, &mut state, "Pour l'invitation, vous la faites suivre vous-même, ou je l'envoie directement ?");
    assert!(turn.prospect_text.contains("moi-même") || turn.prospect_text.contains("lui en parler"), "{turn:#?}");
}

#[test]
fn a_new_question_about_something_told_is_not_answered_by_saying_it_again() {
    let catalog = Catalog::embedded().expect("catalogue");
    let s = super::scenario(&catalog, "negociation", "generic", Level::Medium, Some("negociation_1"), 4103)
        .expect("scenario");
    let (mut state, _) = open(&s);
    let first = play_turn(
        &s,
        &mut state,
        "Bonjour Madame Perronet. 30 %, c'est beaucoup. L'offre concurrente comprend-elle les mêmes prestations ?",
    );
    assert!(first.prospect_text.contains("Yooz"), "{}", first.prospect_text);
    let scope = play_turn(
        &s,
        &mut state,
        "Et l'offre Yooz à 44 000 euros, elle inclut le rapprochement automatique des factures avec les bons de commande ?",
    );
    assert!(!scope.prospect_text.contains("Leur offre est à"), "{}", scope.prospect_text);
}

#[test]
fn two_slots_offered_are_read_as_a_choice() {
    let slots = super::heard::offered_slots("Je vous propose trente minutes. On en parle mardi 8 h, ou jeudi 7 h 30 ?");
    assert_eq!(slots, Some(["mardi 8 h".to_owned(), "jeudi 7 h 30".to_owned()]));
    assert_eq!(super::heard::offered_slots("Mardi 14 à 10 h, ça vous va ?"), None);
    assert_eq!(super::heard::offered_slots("Vous préférez le matin ou l'après-midi ?"), None);
}

#[test]
fn a_statement_is_met_on_what_it_says() {
    let s = fixture(3);
    let (state, _) = open(&s);
    let react = |mood: Mood, line: &str| super::acknowledge::acknowledge(&s, &state, mood, line).join(" | ");
    let financing =
        react(Mood::Neutral, "Pour l'investissement, on a des solutions de financement où vous n'avez rien à sortir.");
    assert!(financing.contains("financement") || financing.contains("rien à sortir"), "{financing}");
    let claim = react(
        Mood::Skeptical,
        "Avec vos 6 500 m² de toiture, on peut vous faire économiser facilement 30 à 40 %, croyez-moi.",
    );
    assert!(claim.contains("« on peut vous faire économiser facilement 30 à 40 % »"), "{claim}");
    let list = react(
        Mood::Neutral,
        "C'est une solution complète : gestion des congés, plannings, entretiens annuels, notes de frais, tout est centralisé.",
    );
    assert!(list.contains("liste") || list.contains("fonctionnalités"), "{list}");
    let time = react(Mood::Skeptical, "Je serai bref. Vous avez quelques minutes ?");
    assert!(time.contains("Deux minutes") || time.contains("court"), "{time}");
}

#[test]
fn a_hidden_side_explored_on_the_next_turn_is_taken_up_and_not_ignored_after() {
    let catalog = Catalog::embedded().expect("catalogue");
    let s = super::scenario(&catalog, "checklist_bebedc", "b2b_saas", Level::Medium, None, 4201).expect("scenario");
    let (mut state, _) = open(&s);
    let lines = [
        "Bonjour Monsieur Guérard, merci de me recevoir. Je ne viens pas vous pousser une signature : j'aimerais comprendre où vous en êtes depuis décembre. On m'a parlé d'un incident de messagerie cet automne, qu'est-ce qui s'est passé exactement ?",
        "18 400 euros, c'est lourd, et j'imagine que la relation avec ce client en a pris un coup. Qu'est-ce que ça a changé concrètement pour le cabinet depuis, côté clients, assurance ou réputation ?",
        "Donc le vrai risque, c'est de perdre ce client-là et que l'histoire fasse le tour de la place. Vous avez mentionné l'assurance tout à l'heure... enfin, je l'ai mentionnée : votre assureur cyber vous a demandé quelque chose suite à l'incident ?",
        "Quinze ans, c'est une vraie relation de confiance, je comprends que vous ne vouliez pas la bousculer. Quand vous dites qu'il s'occupe de la sécurité, concrètement, qu'est-ce qu'il a fait après l'affaire du faux RIB ?",
        "Je comprends, le sujet est autant humain que technique. Michel, c'est votre associé fondateur ? Comment se prend une décision comme celle-là au conseil de gérance : qui vote, et qui pourrait bloquer ?",
        "Très clair. Parlons budget : pour sécuriser la messagerie et les postes, vous aviez une enveloppe en tête, ou est-ce qu'il faudra la faire voter ?",
    ];
    let turns: Vec<Turn> = lines.iter().map(|l| play_turn(&s, &mut state, l)).collect();
    assert_eq!(turns[3].prospect_move, Move::RevealHidden, "{:#?}", turns[3]);
    let budget = &turns[5];
    assert!(budget.patterns.iter().all(|d| d.pattern != PatternId::ObjectionIgnored), "{budget:#?}");
}

#[test]
fn interest_is_not_readiness_to_buy_before_anything_is_proposed() {
    let s = fixture(3);
    let (state, turns) = play(&s, &GOOD[..5]);
    assert!(turns.iter().all(|t| t.mood != Mood::ReadyToBuy && t.gauge <= 79), "{turns:#?}");
    assert!(state.gauge > state.starting_gauge);
}

#[test]
fn a_gesture_traded_for_a_commitment_is_weighed_and_answers_the_price_objection() {
    assert_eq!(
        super::heard::offered_figure("je peux la réduire à 18 000 euros, en échange ?").as_deref(),
        Some("18 000 euros")
    );
    assert_eq!(super::heard::offered_figure("Je monte à 12 % si vous signez.").as_deref(), Some("12 %"));
    assert_eq!(super::heard::offered_figure("À 9%, on signe ?").as_deref(), Some("9%"));
    assert_eq!(super::heard::offered_figure("Vos 24 hôtels, combien de factures ?"), None);
    let catalog = Catalog::embedded().expect("catalogue");
    let s = super::scenario(&catalog, "negociation", "generic", Level::Medium, Some("negociation_1"), 4103)
        .expect("scenario");
    let (mut state, _) = open(&s);
    play_turn(&s, &mut state, "Bonjour Madame Perronet. Qu'est-ce qui compte le plus pour vous dans ce dossier ?");
    let i = state.objections.iter().position(|o| !o.hidden_revealed).expect("an objection still to come");
    state.pending_objection = Some(i);
    state.objections[i].raised_at = Some(1);
    state.objection_on_table = true;
    let turn = play_turn(
        &s,
        &mut state,
        "Sur la mise en place, je peux la réduire à 18 000 euros, et en échange vous accepteriez d'être client référence ?",
    );
    assert_eq!(turn.prospect_move, Move::WeighOffer, "{turn:#?}");
    assert!(turn.prospect_text.contains("18 000"), "{}", turn.prospect_text);
    assert_eq!(state.pending_objection, None, "{turn:#?}");
}

#[test]
fn how_are_you_is_a_pleasantry_not_a_question_on_the_scenario() {
    let s = fixture(3);
    let (_, turns) = play(&s, &["Bonjour Monsieur, comment allez-vous ?"]);
    assert!(turns[0].prospect_text.contains("merci"), "{:#?}", turns[0]);
    let asks = |l: &str| super::heard::asks_only_how_they_are(&[l]);
    assert!(asks("Vous allez bien ?") && !asks("Ça va vous coûter combien ?"));
}

#[test]
fn a_reminder_quotes_the_main_clause_and_a_date_asked_for_is_taken() {
    let strip = super::wording::without_connective;
    assert_eq!(
        strip("Sachant que si l'assureur augmente sa prime, ça nous coûte cher."),
        "si l'assureur augmente sa prime, ça nous coûte cher."
    );
    assert_eq!(strip("Mais oui."), "Mais oui.");
    let s = fixture(3);
    let (mut state, _) = open(&s);
    state.gauge = 60;
    state.last_move = Move::VagueStep;
    state.asked_for_date = true;
    state.exchanges = 6;
    let turn = play_turn(&s, &mut state, "Alors je vous propose mardi 14 à 10 h, ici, pour une démonstration ?");
    assert_eq!(turn.prospect_move, Move::AcceptNextStep, "{turn:#?}");
}

#[test]
fn madame_to_the_gatekeeper_is_no_slip_about_the_prospect() {
    let catalog = Catalog::embedded().expect("catalogue");
    let s = super::scenario(&catalog, "cold_calling", "generic", Level::Medium, Some("cold_calling_1"), 3)
        .expect("scenario");
    assert!(s.gatekeeper.is_some() && !is_feminine(&s), "a male prospect behind a gatekeeper");
    let (mut state, _) = open(&s);
    let turn = play_turn(&s, &mut state, "Bonjour Madame, pourriez-vous me passer votre directeur, s'il vous plaît ?");
    assert!(turn.patterns.iter().all(|d| d.pattern != PatternId::WrongName), "{turn:#?}");
}

mod replies;
mod requests;
mod trainer_s28;
mod trainer_s29;
mod trainer_s30;
