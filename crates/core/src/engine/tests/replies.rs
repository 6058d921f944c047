//! Replies a trainer corrected in the s25 role-plays: stances on what is offered, who
//! decides, dates taken, gestures weighed on their own figure, requests answered.

use super::*;

#[test]
fn a_remedy_weighed_in_a_question_gets_a_stance_not_a_fact() {
    let s = fixture(3);
    let (state, turns) = play(
        &s,
        &[
            "Bonjour, merci de prendre ce temps. Comment est organisée votre équipe aujourd’hui ?",
            "Si on vous forme sur place la première semaine et qu’on fait un point à trois mois, est-ce que le changement vous pose encore problème ?",
        ],
    );
    let last = turns.last().expect("turns");
    assert_eq!(last.prospect_move, Move::Acknowledge, "{turns:#?}");
    assert_eq!(state.facts_revealed.len(), 1, "{turns:#?}");
    assert!(crate::analysis::weighs("Avec un point à trois mois, ça tient la route pour vous ?"));
    assert!(!crate::analysis::weighs("Comment est organisée votre équipe ?"));
}

#[test]
fn a_question_that_wants_someone_is_answered_by_who_decides() {
    let catalog = Catalog::embedded().expect("catalogue");
    let s = super::scenario(&catalog, "checklist_bebedc", "generic", Level::Medium, Some("checklist_bebedc_1"), 0)
        .expect("scenario");
    let (state, turns) = play(&s, &["Bonjour Madame. Et qui valide l’investissement, au final ?"]);
    let told = state.facts_revealed.first().map(|i| s.facts[*i].topic.as_str());
    assert_eq!(told, Some("decideur"), "{turns:#?}");
}

#[test]
fn a_dated_step_proposed_on_the_way_out_is_agreed_before_the_goodbye() {
    let s = fixture(3);
    let (mut state, _) = play(&s, &GOOD[..5]);
    state.gauge = 90;
    state.pending_objection = None;
    let turn =
        play_turn(&s, &mut state, "Je vous propose mardi 14 à 10h pour la démo. Merci beaucoup, bonne journée !");
    assert_eq!(turn.prospect_move, Move::AcceptNextStep, "{turn:#?}");
    assert!(state.converted && turn.session_ended, "{turn:#?}");
    assert!(turn.prospect_text.contains("Au revoir"), "{turn:#?}");
}

#[test]
fn the_figure_offered_is_the_one_given_not_the_one_quoted() {
    let offer = "Vous aviez prévu 45 000 euros par an. Je peux descendre à 4 140 euros par mois si vous vous engagez sur 36 mois. Qu’en dites-vous ?";
    assert_eq!(super::heard::offered_figure(offer).as_deref(), Some("4 140 euros"));
    assert_eq!(super::heard::offered_figure("Je vous propose 18 000 €.").as_deref(), Some("18 000 €"));
}

#[test]
fn asked_what_bothers_them_in_the_offer_the_prospect_objects() {
    let s = fixture(3);
    let (mut state, _) = play(&s, &GOOD[..2]);
    state.pending_objection = None;
    let before = state.objections.iter().filter(|o| o.raised_at.is_some()).count();
    let turn = play_turn(&s, &mut state, "Et dans notre proposition, qu’est-ce qui vous gêne le plus ?");
    assert!(before < state.objections.len(), "an objection is left to raise");
    assert_eq!(turn.prospect_move, Move::RaiseObjection, "{turn:#?}");
}

#[test]
fn a_date_the_prospect_asked_for_is_taken_later_in_the_call() {
    let (s, mut state) = warmed_up(70);
    let vague = play_turn(&s, &mut state, "On pourrait se voir un de ces jours pour une démo ?");
    assert_eq!(vague.prospect_move, Move::VagueStep, "{vague:#?}");
    assert!(state.asked_for_date);
    state.gauge = 58;
    let other = play_turn(&s, &mut state, "Et la démo, vous la verriez avec qui ?");
    assert_ne!(other.prospect_move, Move::AcceptNextStep, "{other:#?}");
    let dated = play_turn(&s, &mut state, "Disons le lundi 3 février à 10 h. Ça vous va ?");
    assert_eq!(dated.prospect_move, Move::AcceptNextStep, "{dated:#?}");
}

#[test]
fn asked_for_a_document_or_for_names_the_prospect_answers_the_request() {
    let s = fixture(3);
    let (mut state, _) = play(&s, &GOOD[..2]);
    state.gauge = 70;
    state.pending_objection = None;
    let doc = play_turn(&s, &mut state, "Pourriez-vous me transférer le questionnaire de votre assureur ?");
    assert!(doc.prospect_text.contains("suivre") || doc.prospect_text.contains("transmets"), "{doc:#?}");
    state.converted = true;
    let names = play_turn(&s, &mut state, "Vous auriez deux ou trois noms de confrères à qui je pourrais parler ?");
    assert!(!names.prospect_text.contains("par mail"), "{names:#?}");
}

#[test]
fn a_question_on_a_past_demo_proposes_no_vague_step() {
    let found = crate::analysis::analyse_turn(
        &crate::analysis::TurnContext::default(),
        "Depuis la démo de décembre, qu'est-ce qui vous a fait réfléchir ?",
    );
    assert!(found.iter().all(|d| d.pattern != crate::analysis::PatternId::NextStepProposal), "{found:?}");
    let reading = crate::analysis::read_turn(
        &crate::analysis::TurnContext::default(),
        "Depuis la démo de décembre, qu'est-ce qui vous a fait réfléchir ?",
    );
    assert!(!reading.has(crate::analysis::Act::VagueStep), "{reading:?}");
}

#[test]
fn nothing_on_it_never_denies_what_the_scenario_holds() {
    let s = fixture(3);
    let budget = s.facts.iter().any(|f| f.topic == "budget" && !f.detail);
    let (mut state, _) = play(&s, &GOOD[..1]);
    let lines = super::no_answer::nothing_on_it(
        &s,
        &mut state,
        "Dans une logique gagnant-gagnant, quel budget et quelle variable pourriez-vous envisager ?",
    );
    if budget {
        assert!(lines.iter().all(|l| !l.contains("pas de budget")), "{lines:?}");
    } else {
        assert!(lines.iter().any(|l| l.contains("budget")), "{lines:?}");
    }
}

#[test]
fn a_signature_asked_for_is_signed_and_a_trial_is_tried() {
    let (s, mut state) = warmed_up(90);
    let signed = play_turn(
        &s,
        &mut state,
        "Le budget est prévu, le démarrage se fait début juillet et c'est vous qui décidez. Est-ce qu'on signe aujourd'hui ?",
    );
    assert_eq!(signed.prospect_move, Move::AcceptNextStep, "{signed:#?}");
    assert!(signed.prospect_text.contains("bon de commande") || signed.prospect_text.contains("le bon"), "{signed:#?}");
    assert!(signed.patterns.iter().all(|d| d.pattern != crate::analysis::PatternId::Pushy), "{signed:#?}");
}

/// A prospect who said "je dois vous laisser" and turns the last step down leaves: it does
/// not stay on the line after its goodbye, and its refusal announces no point it never makes.
#[test]
fn a_prospect_on_the_way_out_who_turns_the_step_down_leaves() {
    let (s, mut state) = warmed_up(45);
    state.prospect_leaving = true;
    let turn = play_turn(&s, &mut state, "Je comprends. Un pilote d'un mois, jeudi 10 h, ça vous va ?");
    assert_eq!(turn.prospect_move, Move::RefuseNextStep, "{turn:#?}");
    assert!(turn.session_ended, "{turn:#?}");
    assert!(turn.prospect_text.contains("Au revoir"), "{turn:#?}");
    assert!(!turn.prospect_text.contains("il y a un point"), "{turn:#?}");
}

/// A vague step with an objection on the table: the prospect asks for no date (it would
/// then refuse the one given), it brings the objection back.
#[test]
fn a_vague_step_with_an_objection_pending_brings_the_objection_back() {
    let s = fixture(3);
    let (mut state, _) = play(&s, &GOOD[..3]);
    state.gauge = 70;
    state.pending_objection = Some(0);
    let turn = play_turn(&s, &mut state, "On pourrait se voir un de ces jours pour en reparler.");
    assert_eq!(turn.prospect_move, Move::VagueStep, "{turn:#?}");
    assert!(!turn.prospect_text.contains("quel jour") && !turn.prospect_text.contains("créneau"), "{turn:#?}");
    assert!(turn.prospect_text.contains("ce point") || turn.prospect_text.contains("là-dessus"), "{turn:#?}");
    assert!(!state.asked_for_date, "{turn:#?}");
}

/// A signature left to a dated meeting ("vous signez si la garantie vous convient"): the
/// prospect takes the meeting and hands over no order form.
#[test]
fn a_signature_left_to_a_meeting_takes_the_meeting() {
    let (s, mut state) = warmed_up(90);
    let turn = play_turn(
        &s,
        &mut state,
        "Je vous propose ceci : on se revoit le jeudi 20 à 10 h pour valider le protocole de mesure, et vous signez si la garantie vous convient. D'accord ?",
    );
    assert_eq!(turn.prospect_move, Move::AcceptNextStep, "{turn:#?}");
    assert!(!turn.prospect_text.contains("bon"), "{turn:#?}");
}

#[test]
fn a_technique_announced_by_name_gets_no_step_agreed() {
    let (s, mut state) = warmed_up(90);
    let turn = play_turn(&s, &mut state, "Tentative de conclusion : on se voit mardi 14 à 10 h pour une démo ?");
    assert_eq!(turn.prospect_move, Move::Puzzled, "{turn:#?}");
    assert!(!state.converted, "{turn:#?}");
}

/// A manual recited turn after turn wears the prospect out: it leaves, instead of saying
/// « Allez-y, je vous écoute » to the fifth label.
#[test]
fn a_recital_of_technique_names_ends_the_call() {
    let s = fixture(3);
    let lines = [
        "Bonjour. Question ouverte : quel est votre contexte ?",
        "Reformulation : vous avez des objectifs. Question ouverte : quels sont vos objectifs ?",
        "Question d'implication : quelles sont les implications de vos problèmes ?",
        "Question ouverte : quels sont vos moyens ?",
        "Question ouverte : quels sont vos problèmes ? Reformulation : vous avez des problèmes.",
        "Question ouverte : quels sont vos résultats attendus ?",
        "Question ouverte : quel est votre contexte, vos objectifs ?",
        "Question ouverte : quels sont vos problèmes concrets ?",
    ];
    let (_, turns) = play(&s, &lines);
    let ended = turns.iter().position(|t| t.session_ended).expect("the prospect leaves");
    assert!(turns[..ended].iter().any(|t| t.prospect_move == Move::WrapUp), "{turns:#?}");
    assert!(turns[1..ended].iter().all(|t| !t.prospect_text.contains("je vous écoute")), "{turns:#?}");
}

/// Papers to send, no meeting: the prospect waits for them, with no « rendez-vous ».
#[test]
fn papers_sent_are_awaited_not_a_meeting() {
    let (s, mut state) = warmed_up(90);
    let turn = play_turn(
        &s,
        &mut state,
        "Je vous propose ceci : je vous envoie le contrat cet après-midi pour transmission à votre direction.",
    );
    assert_eq!(turn.prospect_move, Move::AcceptNextStep, "{turn:#?}");
    assert!(!turn.prospect_text.contains("rendez-vous") && !turn.prospect_text.contains("invitation"), "{turn:#?}");
}

/// A day without a time is no appointment yet: the prospect asks for the time.
#[test]
fn a_day_without_a_time_gets_asked_for_the_time() {
    let (s, mut state) = warmed_up(70);
    let turn = play_turn(&s, &mut state, "On pourrait se caler un point jeudi dans l'après-midi, ça irait ?");
    assert_eq!(turn.prospect_move, Move::VagueStep, "{turn:#?}");
    assert!(turn.prospect_text.contains("Jeudi") && turn.prospect_text.contains("heure"), "{turn:#?}");
    assert!(!state.converted);
    let turn = play_turn(&s, &mut state, "Jeudi 14 à 15 h, alors ?");
    assert_eq!(turn.prospect_move, Move::AcceptNextStep, "{turn:#?}");
}
