//! Tests of the end-of-conversation detection.
use super::*;

#[test]
fn nothing_ends_before_min_exchanges() {
    assert_eq!(detect_conversation_end("Au revoir", "Au revoir", 3, 4), (false, None));
}

#[test]
fn mutual_goodbye_ends() {
    assert_eq!(
        detect_conversation_end("Merci pour votre temps, au revoir !", "Bonne journée à vous aussi.", 4, 4),
        (true, Some(EndType::MutualGoodbye))
    );
}

#[test]
fn prospect_leaving_gives_the_learner_a_last_turn() {
    assert_eq!(
        detect_conversation_end("Et votre budget ?", "Je dois vous laisser, j'ai un autre appel.", 6, 4),
        (false, Some(EndType::ProspectEnding))
    );
}

#[test]
fn learner_leaving_lets_the_prospect_answer() {
    assert_eq!(
        detect_conversation_end("Je vous laisse, à très vite", "Attendez, une question...", 5, 4),
        (false, Some(EndType::UserEnding))
    );
}

#[test]
fn learner_goodbye_patterns_do_not_include_the_prospect_ones() {
    // "je dois vous laisser" is a prospect pattern only, as in the seed.
    assert_eq!(detect_conversation_end("Je dois vous laisser", "D'accord.", 5, 4), (false, None));
}

#[test]
fn accents_case_and_punctuation_do_not_matter() {
    assert_eq!(detect_conversation_end("A BIENTOT", "merci au revoir", 5, 4), (true, Some(EndType::MutualGoodbye)));
    assert_eq!(detect_conversation_end("à bientôt !", "Envoyez-moi ca par e-mail", 5, 4).1, Some(EndType::UserEnding));
}

#[test]
fn phrases_match_whole_words() {
    // "bye" inside a word is not a goodbye.
    assert_eq!(detect_conversation_end("Vous visitez l'abbaye ?", "Oui.", 5, 4), (false, None));
}

#[test]
fn template_triggers_count_as_goodbyes() {
    let triggers = vec!["on en reste là".to_owned()];
    assert_eq!(
        detect_with_triggers("Bon, on en reste là.", "Très bien, on en reste là.", 5, 4, &triggers),
        (true, Some(EndType::MutualGoodbye))
    );
}

#[test]
fn end_type_round_trips() {
    for e in [EndType::MutualGoodbye, EndType::ProspectEnded, EndType::MaxExchanges, EndType::Abandoned] {
        assert_eq!(EndType::parse(e.as_str()), Some(e));
    }
}

#[test]
fn farewells_of_every_register_end_the_call() {
    for bye in [
        "Bonne soirée !",
        "bonne fin de soirée à vous",
        "Bonne continuation.",
        "À la revoyure !",
        "Allez, salut !",
        "Ciao !",
        "À la semaine prochaine.",
        "aurevoir",
        "Au-revoir et merci",
        "a+",
        "Merci pour tout, à-bientôt !",
        "Merci pour ce temps, monsieur Lacombe, et bon courage pour la fromagerie de Chemillé cet après-midi.",
        "Ravi d’avoir échangé avec vous, à bientôt.",
        "Je vous envoie l’invitation, à mardi !",
        "Merci, à la semaine prochaine pour la signature !",
        "Bonne fin d’aprèm, Madame Lefèvre !",
        "Salut Julien, à plus !",
        "Entendu, je vous envoie l'invitation et un petit récap dans la journée. Merci beaucoup Monsieur Peyrol, à mardi 10 !",
        "Je vous envoie la confirmation aujourd'hui. Bonne fin de matinée, Monsieur Escoffier.",
    ] {
        assert!(user_said_bye(bye, &[]), "{bye}");
    }
}

#[test]
fn farewell_words_that_do_not_end_the_call() {
    for line in [
        "Vous passez une bonne journée ?",
        "Vous avez passé un bon week-end ?",
        "Au revoir les erreurs de relance, avec Sillage CRM c’est fini !",
        "Avec Adieu Papier, vos factures arrivent toutes seules.",
        "Merci pour ces précisions. Et côté budget, vous avez une enveloppe ?",
        "Merci pour votre temps, et sinon, qui décide chez vous ?",
        "Je vous laisse réfléchir à la question suivante : qui signe ?",
        "Salut Marc ! Tu as deux minutes ? Je t’appelle pour ton stock.",
        "On utilise déjà Tchao Papier pour la GED.",
        "Je vous laisse vous présenter rapidement, et ensuite je vous montre l’outil.",
        "Bonjour, bonne journée à vous aussi, alors je vous appelle car vous avez téléchargé notre livre blanc.",
    ] {
        assert!(!user_said_bye(line, &[]), "{line}");
    }
    for line in [
        "On verra ça au prochain comité.",
        "J’y reviens plus tard, allez-y.",
        "Je file chercher mon agenda, ne quittez pas.",
        "Il faudra que je raccroche à 11 h, on a le temps de voir la démo ?",
        "Je vous souhaite bon courage pour me convaincre, j’ai déjà dit non à trois de vos concurrents.",
        "Bon courage pour la convaincre, elle a dit non à tout le monde.",
    ] {
        assert!(!prospect_said_bye(line, &[]), "{line}");
    }
    assert!(prospect_said_bye("Je dois vous laisser, on se rappelle ?", &[]));
    assert!(prospect_said_bye("Désolé, je dois raccrocher, on m’appelle en salle de réunion.", &[]));
}
