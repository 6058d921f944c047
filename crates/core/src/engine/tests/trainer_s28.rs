//! Replies a trainer corrected in the s28 role-plays.

use super::*;

fn scenario(skill: &str, level: Level, seed: u64) -> Scenario {
    let catalog = Catalog::embedded().expect("catalogue");
    super::scenario(&catalog, skill, "generic", level, None, seed).expect("scenario")
}

#[test]
fn a_date_asked_as_convenient_after_a_proposal_is_a_step_not_a_question_on_the_place() {
    // « Est-ce que le mardi 14 octobre à 10 heures vous conviendrait, ici à Cholet ? » was
    // answered with the company's profile (Cholet is where the plant is).
    let s = scenario("decouverte_compir", Level::Expert, 2907);
    let (_, turns) = play(
        &s,
        &[
            "Merci de me recevoir, monsieur Lacombe. Vous êtes venu à notre webinaire sur le pilotage commercial, et avant de vous parler de quoi que ce soit, j'aimerais comprendre votre maison : comment est organisée l'équipe commerciale chez Cartonnages Maréchal aujourd'hui ?",
            "Six terrain, deux ADV, et vous depuis dix-huit mois. Qu'est-ce qu'on vous a demandé en arrivant, quels objectifs la direction vous a fixés ?",
            "Je comprends, et je ne suis pas là pour vous vendre un CRM aujourd'hui : si ce n'est pas la priorité, on le verra ensemble. Quinze pour cent en deux ans et deux nouveaux marchés, la cosmétique et la pharmacie… Concrètement, avec quels moyens vous pilotez l'activité aujourd'hui : comment vous suivez ce que font les six commerciaux ?",
            "Le flicage, c'est une vraie crainte, et vous avez raison de la poser. Mais laissons l'outil de côté : avec les fichiers Excel et la réunion du lundi, qu'est-ce qui vous échappe aujourd'hui, qu'est-ce qui coince pour aller chercher la cosmétique et la pharmacie ?",
            "Pas de souci, au contraire, ça tombe à pic. La fromagerie de Chemillé, trois semaines sans relance et personne ne sait qui devait le faire… Plus souvent que vous ne le voudriez, c'est-à-dire ? Sur un mois, combien de devis partent comme ça sans suivi, à votre avis ?",
            "Justement : pour montrer au président ce que ça rapporte, il faut des chiffres qui viennent de chez vous, pas de moi. Des devis comme celui de Chemillé, qui partent sans relance, vous en avez combien par mois, et ça représente quel montant ?",
            "Donc un devis sur quatre signé, 8 000 euros en moyenne, des devis oubliés qui filent chez un concurrent, et deux jours de prévisionnel qui vous retiennent au bureau. Si vous deviez le chiffrer vous-même pour le président : sur une année, ces devis non relancés, ça pèse combien à votre avis ?",
            "300 000 euros sur un seul secteur parce que le suivi était dans un fichier et dans une tête, c'est lourd. Sur Divalto, c'est une option sérieuse, je ne vais pas la balayer. Qu'est-ce qui vous plaît dans l'idée du module de votre intégrateur : ne pas multiplier les outils, c'est ça qui compte le plus pour vous ?",
            "D'accord, donc il faudra convaincre Mme Texier autant que le président, et ne rien faire qui contourne l'ERP. C'est noté. Et vous, personnellement : dans deux ans, qu'est-ce qui vous fera dire que c'est réussi, qu'est-ce que vous voulez pouvoir montrer au président ?",
            "Novembre pour avoir deux mois de chiffres en janvier. Qu'est-ce qui se joue en janvier, pour vous ?",
            "Merci de votre franchise. Si je résume : quinze pour cent à tenir, deux nouveaux marchés, des devis qui se perdent faute de relance, 300 000 euros partis avec un commercial, et un plan chiffré à présenter en janvier sans droit à l'erreur. Ce que je vous propose : on se revoit avec Mme Texier pour lui montrer comment Sillage se branche sur Divalto sans contourner l'ERP, et on prépare ensemble les chiffres pour le président. Est-ce que le mardi 14 octobre à 10 heures vous conviendrait, ici à Cholet ?",
        ],
    );
    let last = turns.last().expect("turns");
    assert_eq!(last.prospect_move, Move::AcceptNextStep, "{turns:#?}");
    let ids: Vec<&str> = last.patterns.iter().map(|d| d.pattern.as_str()).collect();
    assert!(ids.contains(&"next_step_proposal") && !ids.contains(&"discovery_question"), "{ids:?}");
}

#[test]
fn a_signature_as_the_condition_of_a_gesture_is_no_order_form() {
    let s = scenario("checklist_bebedc", Level::Medium, 2903);
    let (_, turns) = play(
        &s,
        &[
            "Bonjour Sébastien ! Oui, justement, on a sorti une nouvelle version de Forgeo avec un module de planification encore plus poussé, et le lien avec la gestion des stocks. Votre chef d'atelier avait bien aimé la démo, non ?",
            "Ah oui, Excel et le crayon, on voit ça souvent. Avec Forgeo, le planning se recalcule automatiquement dès qu'un OF bouge, et il s'affiche sur des écrans en atelier. Est-ce que vous avez avancé sur le choix de l'ERP depuis janvier ?",
            "D'accord. Et côté budget, vous avez une enveloppe de prévue pour ce projet ?",
            "250 000 sur trois ans, ça rentre tout à fait dans nos prix, on est même plutôt en dessous. Après l'été, ça me paraît loin quand même… Qu'est-ce qui fait que vous préférez attendre ?",
            "Je comprends. Mais avec nous ça ne peut pas arriver : on a une méthodologie de déploiement éprouvée, un chef de projet dédié, et l'interface atelier est ultra simple, votre chef d'atelier l'a vu. Et c'est vous qui décidez au final, ou c'est Hélène Favre ?",
            "Ah oui, la machine 7, c'est typiquement là que Forgeo vous aiderait avec la replanification automatique. Et vous voyez d'autres éditeurs en ce moment ?",
            "Cher ? Pourtant on est moins cher que Sage X3, et l'intégration est incluse. Et si on signe avant fin mars, je peux sûrement vous faire un geste sur la première année. Ce qui serait bien, c'est qu'on présente tout ça à Hélène Favre et à Pascal Gindre avant le conseil du 20 mars. Vous pouvez organiser ça ?",
            "Super ! Alors pour le bon, il faudra quand même la validation d'Hélène Favre, non ? On pourrait caler un rendez-vous avec elle et M. Gindre la semaine du 10 mars ?",
        ],
    );
    // « si on signe avant fin mars, je peux vous faire un geste… qu'on présente tout ça à
    // Hélène Favre » asks for no order form (and the deadline is pressure: not yet).
    let step = &turns[6];
    assert!(!step.prospect_text.contains("le bon"), "{}", step.prospect_text);
    // The meeting with the decision-maker asked for next is taken.
    assert_eq!(turns[7].prospect_move, Move::AcceptNextStep, "{turns:#?}");
    // No acceptance is « Intéressant. »
    assert!(turns.iter().all(|t| !t.prospect_text.starts_with("Intéressant")), "{turns:#?}");
}

#[test]
fn interest_is_harder_to_win_near_the_top() {
    assert_eq!(super::turn::harder_near_the_top(50, 10), 10);
    assert_eq!(super::turn::harder_near_the_top(85, 10), 5);
    assert_eq!(super::turn::harder_near_the_top(97, 10), 1);
    assert_eq!(super::turn::harder_near_the_top(90, -8), -8);
}

#[test]
fn a_statement_with_a_tag_checks_agreement() {
    use super::answer::tag_question;
    assert!(tag_question("Il faudra quand même la validation d'Hélène Favre, non ?"));
    assert!(tag_question("Donc c'est la présidente qui signe, c'est ça ?"));
    assert!(tag_question("C'est la présidente qui signe, n'est-ce pas ?"));
    assert!(!tag_question("Qui signe, chez vous ?"));
    assert!(!tag_question("Non ?"));
}

#[test]
fn asked_whether_others_will_come_the_prospect_sees_to_it() {
    assert!(super::heard::asks_if_others_come("Mais Daniel et Chantal, ils seront présents ?"));
    assert!(super::heard::asks_if_others_come("Vous pensez pouvoir lui proposer de venir ?"));
    assert!(!super::heard::asks_if_others_come("Qui décide, chez vous ?"));
    let s = scenario("preparation_ciblage", Level::Medium, 2919);
    let (mut state, _) = super::open(&s);
    state.converted = true;
    state.converted_at = Some(0);
    let turn = play_turn(&s, &mut state, "Oui, jeudi 16 à 14h. Mais Daniel et Chantal, ils seront présents ?");
    assert_eq!(turn.prospect_move, Move::AcceptNextStep, "{turn:#?}");
    assert!(
        turn.prospect_text.contains("je vous confirme") || turn.prospect_text.contains("qui pourra venir"),
        "{}",
        turn.prospect_text
    );
}

#[test]
fn what_is_new_in_a_question_beats_a_reminder_of_the_official_answer() {
    // After the official process (the board, the supervisory council), « dans les faits,
    // quel poids a Raymond ? » asks for what happens in fact, not for the rule again.
    let s = scenario("cartographie_decideurs", Level::Medium, 2913);
    let (_, turns) = play(
        &s,
        &[
            "Bonjour Monsieur Delaunay, merci de me recevoir. Oui, trouvé, grâce au panneau Renault justement. Ce qui m'amène : vous m'avez dit dans votre mail que Monsieur Escudier vous a demandé d'étudier un outil de reporting après une remarque de la banque. Avant de vous parler de quoi que ce soit, j'aimerais comprendre ce qui s'est passé avec la banque et comment vous, vous voyez le sujet.",
            "Je comprends. Vous dites « pas serein » avec vos fichiers : concrètement, aujourd'hui, comment se fabrique le mensuel consolidé, qui vous remonte les chiffres des concessions ?",
            "Le 22 du mois suivant, donc pour la banque qui veut du mensuel fiable, c'est déjà un mois de retard. Et si on avançait sur ce projet, comment ça se déciderait chez vous ? Qui serait autour de la table, et jusqu'où vous pouvez engager seul ?",
            "« Pas gagné » sur l'unanimité, vous dites. Qui, au directoire, risquerait de ne pas suivre, et qu'est-ce qui le gênerait dans un reporting plus rapide ?",
            "Merci pour la franchise, et je comprends que vous ne vouliez pas vous retrouver seul en première ligne. Mon rôle n'est pas de mettre Laurent en difficulté. Si on se met à sa place : qu'est-ce qu'il aurait concrètement à perdre, et qu'est-ce qui pourrait, au contraire, lui rendre service dans un reporting par concession ?",
            "D'accord, mêmes règles pour tous, dispo début de mois, budget saisi par chaque chef de concession. Mais pour Laurent précisément : il perdrait quoi, lui, à ce que ses concessions soient comparées aux autres ?",
            "Je n'insiste pas sur Laurent. Parlons de Raymond : il préside le conseil de surveillance, mais dans les faits, quel poids il a encore sur ce genre de décision ? Et qui d'autre dans la famille compte, je pense par exemple à Claire Escudier ?",
        ],
    );
    let last = turns.last().expect("turns");
    assert_eq!(last.prospect_move, Move::Answer, "{turns:#?}");
    assert!(last.prospect_text.contains("Dans les faits"), "{}", last.prospect_text);
}

#[test]
fn a_choice_between_the_prospect_and_the_learner_and_a_date_said_are_heard() {
    assert!(super::heard::either_me_or_you(
        "Et pour Marc, vous préférez l'appeler vous-même, ou que je vous prépare un petit mail ?"
    ));
    let found: Vec<&str> = crate::analysis::analyse_turn(
        &crate::analysis::TurnContext::default(),
        "Et si mardi c'est trop tôt, on peut dire le jeudi 12 à 10h, une fois votre clôture passée ?",
    )
    .iter()
    .map(|d| d.pattern.as_str())
    .collect();
    assert!(found.contains(&"next_step_proposal"), "{found:?}");
}

#[test]
fn a_count_asked_is_answered_by_the_fact_that_gives_it_in_other_words() {
    // « Vous avez combien de camions ? » is answered by « 48 ensembles routiers », whose
    // example questions count trucks, not by the kilometres each truck drives.
    let s = scenario("cold_calling", Level::Medium, 2932);
    let (_, turns) = play(
        &s,
        &[
            "Bonjour Mélanie, Julien Marchand de la société Flotteo, je souhaiterais parler au responsable de la flotte s'il vous plaît, c'est au sujet de votre consommation de carburant.",
            "Ah d'accord. Mais c'est bien Monsieur Bouchardeau qui s'occupe du carburant ? Ce serait vraiment rapide, deux minutes, vous ne pourriez pas me le passer maintenant ?",
            "Bonjour Monsieur Bouchardeau, Julien Marchand de Flotteo. Je vous appelle car nous proposons une solution de télématique embarquée avec boîtier GPS, suivi de consommation en temps réel, rapports d'éco-conduite et carte carburant intégrée. On équipe déjà plus de 300 transporteurs en France.",
            "Oui tout à fait, on a des clients de votre taille. Le boîtier remonte la consommation par camion et par chauffeur, et on a un module qui détecte les ralentis moteur et les excès de régime. Vous avez combien de camions aujourd'hui ?",
        ],
    );
    let last = turns.last().expect("turns");
    assert!(last.prospect_text.contains("48 ensembles routiers"), "{}", last.prospect_text);
}
