//! Unit tests of the analysis: the reading's judgements on lines a trainer would quote.

use super::*;

fn ids(found: &[Detection]) -> Vec<&'static str> {
    found.iter().map(|d| d.pattern.as_str()).collect()
}

fn ctx<'a>() -> TurnContext<'a> {
    TurnContext { prospect_name: "Philippe Martin", company: "LogiPro", ..TurnContext::default() }
}

#[test]
fn every_pattern_has_a_unique_id_label_and_advice() {
    let mut seen = std::collections::BTreeSet::new();
    for p in PatternId::ALL {
        assert!(seen.insert(p.as_str()));
        assert_eq!(PatternId::parse(p.as_str()), Some(p));
        assert!(!p.label().is_empty() && !p.advice().is_empty());
    }
    assert!(PatternId::NextStepProposal.is_positive());
    assert!(!PatternId::ClosedQuestionStreak.is_positive());
}

#[test]
fn open_discovery_question_with_its_item_and_evidence() {
    let found = analyse_turn(&ctx(), "Bonjour. Comment gérez-vous vos relances clients aujourd’hui ?");
    assert!(ids(&found).contains(&"good_open_question"), "{found:?}");
    let discovery = found.iter().find(|d| d.pattern == PatternId::DiscoveryQuestion).expect("discovery");
    assert_eq!(discovery.detail.as_deref(), Some("moyens"));
    assert_eq!(discovery.evidence, "Comment gérez-vous vos relances clients aujourd’hui ?");
}

#[test]
fn the_discovery_item_comes_from_the_question_not_the_preamble() {
    let found = analyse_turn(
        &ctx(),
        "Si je comprends bien, tout passe par Excel. Qu’est-ce qui vous pose le plus de problèmes ?",
    );
    let discovery = found.iter().find(|d| d.pattern == PatternId::DiscoveryQuestion).expect("discovery");
    assert_eq!(discovery.detail.as_deref(), Some("problemes"));
}

#[test]
fn reformulation_empathy_and_personalization() {
    let said =
        TurnContext { previous_prospect_line: "On perd un temps fou sur les relances clients, chez LogiPro.", ..ctx() };
    let found =
        analyse_turn(&said, "Je comprends, M. Martin. Si je comprends bien, LogiPro perd du temps sur les relances ?");
    let ids = ids(&found);
    for id in ["empathy", "reformulation", "personalization"] {
        assert!(ids.contains(&id), "{id} in {ids:?}");
    }
}

#[test]
fn si_je_comprends_bien_is_a_reformulation_not_empathy() {
    let said = TurnContext { previous_prospect_line: "On perd du temps chaque semaine sur les relances.", ..ctx() };
    let ids = ids(&analyse_turn(&said, "Si je comprends bien, vous perdez du temps ?"));
    assert!(ids.contains(&"reformulation") && !ids.contains(&"empathy"), "{ids:?}");
}

#[test]
fn wrong_company_name() {
    let c = TurnContext { prospect_name: "Claire Dubois", company: "TechStar", ..TurnContext::default() };
    let found = analyse_turn(&c, "Chez Textar, vous avez combien de commerciaux ?");
    let wrong = found.iter().find(|d| d.pattern == PatternId::WrongName).expect("wrong name");
    assert_eq!(wrong.evidence, "Textar");
}

#[test]
fn closed_question_streak_and_no_question() {
    let mut c = ctx();
    c.closed_question_streak = 2;
    assert!(ids(&analyse_turn(&c, "Vous avez un CRM ?")).contains(&"closed_question_streak"));
    let mut c = ctx();
    c.turns_without_question = 2;
    assert!(ids(&analyse_turn(&c, "Notre solution est très complète.")).contains(&"no_question"));
}

#[test]
fn objection_handling() {
    let c = TurnContext { previous_prospect_line: "C'est trop cher pour nous.", previous_was_objection: true, ..ctx() };
    let dig = analyse_turn(&c, "Trop cher par rapport à quoi ?");
    assert!(ids(&dig).contains(&"objection_dig"), "{dig:?}");
    assert!(!ids(&dig).contains(&"objection_ignored"));
    let ignored = analyse_turn(&c, "Notre produit a aussi un module de reporting.");
    assert!(ids(&ignored).contains(&"objection_ignored"));
}

#[test]
fn negatives_in_a_pushy_pitch() {
    let found = analyse_turn(&ctx(), "Euh, du coup, en fait vous devez signer, je vous fais une remise de 20% !!!");
    let ids = ids(&found);
    for id in ["filler_words", "pushy", "premature_price", "aggressive_tone"] {
        assert!(ids.contains(&id), "{id} in {ids:?}");
    }
}

#[test]
fn next_step_needs_a_date() {
    assert!(ids(&analyse_turn(&ctx(), "Je vous propose un rendez-vous mardi à 10h ?")).contains(&"next_step_proposal"));
    assert!(ids(&analyse_turn(&ctx(), "Je vous propose un rendez-vous à 14h30.")).contains(&"next_step_proposal"));
    assert!(!ids(&analyse_turn(&ctx(), "Je vous propose un rendez-vous.")).contains(&"next_step_proposal"));
}

#[test]
fn monologue_and_jargon() {
    let long = "Nous avons une solution. ".repeat(30);
    assert!(ids(&analyse_turn(&ctx(), &long)).contains(&"monologue"));
    let jargon = analyse_turn(&ctx(), "Notre SaaS booste le ROI de votre pipeline avec des KPI en temps réel.");
    assert!(ids(&jargon).contains(&"jargon"), "{jargon:?}");
}

#[test]
fn competitor_bashing_needs_a_competitor_and_a_put_down() {
    let competitors = vec!["HubSpot".to_owned()];
    let c = TurnContext { competitors: &competitors, ..ctx() };
    assert!(ids(&analyse_turn(&c, "HubSpot, franchement, c'est nul.")).contains(&"competitor_bashing"));
    assert!(!ids(&analyse_turn(&c, "HubSpot est une bonne solution, plus large.")).contains(&"competitor_bashing"));
    // A client's name is no put-down, whatever its words.
    let proof = "Chez Quintal Bricolage, premières ventes autonomes trois semaines plus tôt.";
    assert!(!ids(&analyse_turn(&c, proof)).contains(&"competitor_bashing"));
    assert!(ids(&analyse_turn(&c, "Franchement, HubSpot, c'est du bricolage.")).contains(&"competitor_bashing"));
}

#[test]
fn closing_attempt() {
    assert!(ids(&analyse_turn(&ctx(), "Alors, on démarre la semaine prochaine ?")).contains(&"closing_attempt"));
}

// ---- The examples a French sales trainer quoted (issue 12) ------------------------------

fn has(found: &[Detection], id: &str) -> bool {
    found.iter().any(|d| d.pattern.as_str() == id)
}

#[test]
fn a_free_diagnostic_is_not_a_price() {
    let found = analyse_turn(&ctx(), "Je vous propose un diagnostic gratuit de deux jours sur site, ça vous parle ?");
    assert!(!has(&found, "premature_price"), "{found:?}");
}

#[test]
fn a_question_about_their_own_obligations_is_not_pressure() {
    let found = analyse_turn(&ctx(), "Quel niveau d’économies vous devez afficher devant l’actionnaire ?");
    assert!(!has(&found, "pushy"), "{found:?}");
    assert!(has(&found, "good_open_question"), "{found:?}");
}

#[test]
fn no_objection_treatment_without_a_live_objection() {
    let found = analyse_turn(&ctx(), "Racontez-moi un peu la cave ?");
    assert!(!has(&found, "objection_dig"), "{found:?}");
    assert!(has(&found, "good_open_question"), "{found:?}");
    let live = TurnContext {
        previous_prospect_line: "C'est beaucoup trop cher pour nous.",
        previous_was_objection: true,
        ..ctx()
    };
    assert!(has(&analyse_turn(&live, "Trop cher par rapport à quoi ?"), "objection_dig"));
}

#[test]
fn a_client_cited_as_proof_is_not_a_misspelt_name() {
    let proof = vec!["Tôlerie Martin".to_owned()];
    let c = TurnContext { proof_names: &proof, ..ctx() };
    let found = analyse_turn(&c, "Chez Tôlerie Martin, les relances ont doublé le taux de signature en six mois.");
    assert!(!has(&found, "wrong_name"), "{found:?}");
    assert!(has(&found, "proof_used"), "{found:?}");
}

#[test]
fn what_the_old_analysis_missed() {
    assert!(has(&analyse_turn(&ctx(), "On fixe le pré-diagnostic mardi 14 à 9h ?"), "next_step_proposal"));
    assert!(has(
        &analyse_turn(&ctx(), "Ce que Kapta vous apporte, c’est de ne plus ressaisir une seule facture."),
        "benefit_argument"
    ));
    let also = analyse_turn(&ctx(), "Je peux faire 8 % sur l’abonnement, ça vous va ?");
    assert!(has(&also, "concession_without_counterpart"), "{also:?}");
    let discount = analyse_turn(&ctx(), "Écoutez, je peux vous faire 15 % tout de suite.");
    assert!(has(&discount, "concession_without_counterpart") && !has(&discount, "empathy"), "{discount:?}");
    let traded =
        analyse_turn(&ctx(), "Si vous vous engagez sur trois ans, je peux faire un effort sur l’installation.");
    assert!(!has(&traded, "concession_without_counterpart"), "{traded:?}");
    assert!(has(
        &analyse_turn(&ctx(), "Franchement, les autres installateurs sont des rigolos."),
        "competitor_bashing"
    ));
    assert!(has(&analyse_turn(&ctx(), "C’est personnel, il me connaît."), "false_pretext"));
}

#[test]
fn active_listening_quotes_the_learners_sentence_not_a_list_of_words() {
    let c = TurnContext {
        previous_prospect_line: "Aujourd'hui, nos adhérents attendent des résultats sur les économies.",
        ..ctx()
    };
    let found = analyse_turn(&c, "D’accord. Vos adhérents attendent des économies : lesquelles, aujourd’hui ?");
    let listening = found.iter().find(|d| d.pattern == PatternId::ActiveListening).expect("active listening");
    assert_eq!(listening.evidence, "Vos adhérents attendent des économies : lesquelles, aujourd’hui ?");
    for d in &found {
        assert!(d.evidence.contains(' '), "{d:?}: evidence is a sentence");
    }
}

#[test]
fn keyword_stuffing_earns_nothing() {
    let stuffed = "Si je comprends bien, qu'est-ce qui vous fait dire ça ? Racontez-moi.";
    let first = analyse_turn(&ctx(), stuffed);
    assert!(!has(&first, "reformulation"), "nothing was restated: {first:?}");
    let earlier = vec![stuffed.to_owned()];
    let again = analyse_turn(&TurnContext { earlier_learner_lines: &earlier, ..ctx() }, stuffed);
    assert!(has(&again, "repetition"), "{again:?}");
    assert!(again.iter().all(|d| !d.pattern.is_positive()), "a repeat earns nothing: {again:?}");
    let salad = analyse_turn(&ctx(), "contexte objectifs moyens problèmes implications résultats, racontez-moi ?");
    assert!(has(&salad, "off_topic"), "{salad:?}");
    assert!(salad.iter().all(|d| !d.pattern.is_positive()), "{salad:?}");
}

#[test]
fn a_reformulation_restates_what_the_prospect_said() {
    let c = TurnContext {
        previous_prospect_line: "On perd trois heures par semaine à relancer les devis à la main.",
        ..ctx()
    };
    assert!(has(
        &analyse_turn(&c, "Si je comprends bien, vos relances de devis vous prennent trois heures par semaine ?"),
        "reformulation"
    ));
    assert!(!has(&analyse_turn(&c, "Si je comprends bien, qu’est-ce qui vous fait dire ça ?"), "reformulation"));
}

#[test]
fn wordless_huge_and_mixed_input_never_panics() {
    for message in ["😀😀😀", "??? !!! 123", "", "   ", "e\u{301}", "Hello, how are you? Ça va ?", "Ok ok ok"] {
        let (reading, found) = read_and_judge(&ctx(), message);
        if !message.chars().any(char::is_alphabetic) {
            assert!(reading.unintelligible && found.iter().all(|d| !d.pattern.is_positive()), "{message:?}");
        }
    }
    let huge = "Comment gérez-vous vos relances aujourd’hui ? ".repeat(500);
    let (reading, found) = read_and_judge(&ctx(), &huge);
    assert!(reading.words > 20_000 / 10 && has(&found, "monologue"));
}

proptest::proptest! {
    #[test]
    fn any_text_reads_without_panic(message in "\\PC{0,400}") {
        let (reading, found) = read_and_judge(&ctx(), &message);
        proptest::prop_assert!(found.iter().all(|d| !d.evidence.is_empty() || reading.sentences.is_empty()));
    }
}

#[test]
fn an_objection_brushed_aside_is_not_treated() {
    let c = TurnContext {
        previous_prospect_line: "Mes préparateurs n'ont pas d'ordinateur, ça ne marchera jamais.",
        previous_was_objection: true,
        ..ctx()
    };
    let found = analyse_turn(
        &c,
        "Ce n'est pas un problème, ils ont tous un smartphone de toute façon. Et qu'est-ce qui vous fait dire ça ?",
    );
    assert!(ids(&found).contains(&"objection_ignored"), "{found:?}");
    assert!(!ids(&found).contains(&"objection_dig"), "{found:?}");
}

#[test]
fn a_method_named_to_the_prospect_earns_nothing_in_the_whole_turn() {
    let c = TurnContext { previous_prospect_line: "C'est trop cher pour nous.", previous_was_objection: true, ..ctx() };
    let found = analyse_turn(&c, "Je comprends. Trop cher par rapport à quoi ? Creusons, neutralisons, zoomons.");
    assert!(!ids(&found).contains(&"objection_dig"), "{found:?}");
    assert!(!ids(&found).contains(&"empathy"), "{found:?}");
}

#[test]
fn the_prospects_words_said_back_with_a_frame_are_not_a_reformulation() {
    let said = "Olivier n'aime pas les conflits de famille. Si Laurent s'oppose franchement, il ne passera pas en force : il repoussera le sujet.";
    let c = TurnContext { previous_prospect_line: said, ..ctx() };
    let parrot = analyse_turn(
        &c,
        "Si je comprends bien, Olivier n'aime pas les conflits de famille et si Laurent s'oppose franchement il repoussera le sujet.",
    );
    assert!(!ids(&parrot).contains(&"reformulation"), "{parrot:?}");
    let own =
        analyse_turn(&c, "Si je comprends bien, tant que Laurent n'est pas convaincu, Olivier ne tranchera pas ?");
    assert!(ids(&own).contains(&"reformulation"), "{own:?}");
}

#[test]
fn a_step_in_a_period_is_not_a_dated_next_step() {
    for vague in [
        "On se rappelle courant février pour faire le point ?",
        "Je vous propose qu'on se revoie pour une démo, je vous envoie un mail avec quelques dispos ?",
    ] {
        let found = analyse_turn(&ctx(), vague);
        assert!(!ids(&found).contains(&"next_step_proposal"), "{vague}: {found:?}");
    }
    let dated = analyse_turn(&ctx(), "Je vous propose qu'on se revoie le 3 février à 10 h pour une démo ?");
    assert!(ids(&dated).contains(&"next_step_proposal"), "{dated:?}");
}

#[test]
fn the_prospects_words_said_back_with_persons_swapped_are_not_a_reformulation() {
    let c = TurnContext { previous_prospect_line: "Là-dessus, je n'ai rien de plus précis à vous dire.", ..ctx() };
    let found = analyse_turn(
        &c,
        "Si je comprends bien, vous n'avez rien de plus précis à me dire. Qu'est-ce qui vous fait dire ça ?",
    );
    assert!(!ids(&found).contains(&"reformulation"), "{found:?}");
}

#[test]
fn a_volley_of_questions_earns_no_question_credit() {
    let c = ctx();
    let (reading, found) = read_and_judge(
        &c,
        "Racontez-moi : qui décide, qui paie, qui prescrit, qui utilise, qui influence, qui soutient et qui s'oppose ?",
    );
    assert!(reading.volley, "{reading:?}");
    assert!(!ids(&found).contains(&"good_open_question"), "{found:?}");
    let (one, _) = read_and_judge(&c, "Qui décide d'un projet comme celui-là, et avec quel budget ?");
    assert!(!one.volley, "{one:?}");
}

#[test]
fn false_alarms_a_trainer_found_in_real_role_plays() {
    let c = ctx();
    let none = |line: &str, id: &str| {
        let found = ids(&analyse_turn(&c, line));
        assert!(!found.contains(&id), "{id} on {line:?}: {found:?}");
    };
    none(
        "Vous avez déjà eu une mauvaise expérience avec un prestataire qui vous avait promis ça ?",
        "competitor_bashing",
    );
    none("18 400 euros virés à des escrocs par un de vos clients, ça a dû être un sale moment.", "competitor_bashing");
    none(
        "On m'a dit qu'il y avait eu un souci de messagerie au cabinet cet automne : qu'est-ce qui s'est passé ?",
        "false_pretext",
    );
    none(
        "Ce que je vous propose : on fait une démo avec M. Hoffmann, et je lui chiffre les deux jours de Martine en euros.",
        "concession_without_counterpart",
    );
    none(
        "Sur le geste commercial, je préfère en discuter demain, une fois le rapport en main.",
        "concession_without_counterpart",
    );
    // Owning up to an error is no pitch, its amounts no price, a wrong setting no put-down.
    let apology = "Je préfère être direct : nous avons commis une erreur. La hausse du 12 décembre n'a pas été \
                   appliquée sur les paies de janvier à mars. C'est notre faute, et je vous présente nos excuses.";
    for id in ["self_centered", "proof_used"] {
        none(apology, id);
    }
    none(
        "Je vous parle de l'erreur sur la prévoyance : 52 cadres, environ 7 euros par cadre et par mois, sur trois mois.",
        "premature_price",
    );
    none(
        "Le taux a été saisi dans le mauvais paramétrage, et notre contrôle ne le vérifiait pas.",
        "competitor_bashing",
    );
    let topics = crate::analysis::ScenarioTopics::build(&crate::analysis::TopicSource {
        texts: vec!["Cartonnages Maréchal fabrique des emballages à Cholet."],
        ..Default::default()
    });
    let scoped = TurnContext { topics: Some(&topics), ..ctx() };
    let who = ids(&analyse_turn(&scoped, "Hélène, c'est la présidente ? Qui d'autre aura son mot à dire ?"));
    assert!(!who.contains(&"off_topic"), "{who:?}");
    let slots = ids(&analyse_turn(&c, "Le mardi 18 à 14h, ou le jeudi 20 à 9h ?"));
    assert!(slots.contains(&"next_step_proposal"), "{slots:?}");
    // The real ones still are.
    assert!(ids(&analyse_turn(&c, "Il m'a dit qu'il attendait mon appel.")).contains(&"false_pretext"));
    assert!(
        ids(&analyse_turn(&c, "Je peux vous faire 15 % tout de suite.")).contains(&"concession_without_counterpart")
    );
    let first = "Merci Monsieur Raynal, et merci à Corinne pour le café. Pour faire le point, commençons par \
                 l'essai : vos deux techniciens, qu'est-ce qu'ils vous en ont dit, concrètement ?"
        .to_owned();
    let earlier = [first];
    let later = TurnContext { earlier_learner_lines: &earlier, ..ctx() };
    let found = ids(&analyse_turn(&later, "Corinne, vous, qu'est-ce que vous en pensez ?"));
    assert!(!found.contains(&"repetition"), "{found:?}");
}

#[test]
fn attendez_cuts_in_only_when_it_pushes_back_or_the_prospect_was_cut_short() {
    let pause = ids(&analyse_turn(&ctx(), "Attendez, si je comprends bien, vos devis partent sans relance ?"));
    assert!(!pause.contains(&"interruption"), "{pause:?}");
    for line in ["Attendez, attendez, trente secondes, écoutez-moi.", "Attendez, non, ce n'est pas ça du tout."] {
        let found = ids(&analyse_turn(&ctx(), line));
        assert!(found.contains(&"interruption"), "{line}: {found:?}");
    }
    let cut = TurnContext { previous_prospect_line: "Et si le client n'est pas là pour sign—", ..ctx() };
    let found = ids(&analyse_turn(&cut, "Attendez, c'est prévu, je vous montre."));
    assert!(found.contains(&"interruption"), "{found:?}");
}

#[test]
fn a_date_is_the_learners_unless_the_prospect_said_that_very_date() {
    // The prospect said « lundi » and « 2 500 euros », never « lundi 2 février ».
    let said = "Les associés se voient le premier lundi du mois. Gilles a chiffré 2 500 euros d'installation.";
    let c = TurnContext { previous_prospect_line: said, ..ctx() };
    let found = ids(&analyse_turn(
        &c,
        "Je vous propose de venir présenter au conseil du lundi 2 février, ça vous paraît jouable ?",
    ));
    assert!(found.contains(&"next_step_proposal"), "{found:?}");
    let back = ids(&analyse_turn(&c, "Je vous propose d'en parler au conseil du premier lundi du mois ?"));
    assert!(!back.contains(&"next_step_proposal"), "{back:?}");
}

#[test]
fn the_prospects_objection_in_other_words_is_dug_not_canned() {
    // Trainer run s26-r2: « ça fait cher » said back as « c'est cher », after a soft « mais ».
    let objection = "Franchement, vos tarifs, ça fait cher pour une entreprise de notre taille.";
    let c = TurnContext { previous_prospect_line: objection, previous_was_objection: true, ..ctx() };
    for turn in [
        "Je comprends. Mais avant de parler tarif : qu'est-ce qui vous fait dire que c'est cher, par rapport à quoi ?",
        "Je comprends, mais qu'est-ce qui vous fait dire que c'est cher ?",
    ] {
        let found = ids(&analyse_turn(&c, turn));
        assert!(found.contains(&"objection_dig") && !found.contains(&"objection_ignored"), "{turn}: {found:?}");
    }
    // A real brush-off still treats nothing.
    let found = ids(&analyse_turn(&c, "Je comprends, mais ce n'est pas un problème, vous verrez. Vous êtes combien ?"));
    assert!(!found.contains(&"objection_dig"), "{found:?}");
}

#[test]
fn a_summary_after_an_acknowledgement_is_no_parroting() {
    // Trainer run s26-r4: « D'accord, donc… » sums up what the prospect said, then asks.
    let said = "Officiellement, c'est le comité de direction qui décide, le premier mardi du mois. Au-delà de 100 000 euros la première année, c'est le président, Guillaume Desroches, qui tranche.";
    let c = TurnContext { previous_prospect_line: said, ..ctx() };
    let found = ids(&analyse_turn(
        &c,
        "D'accord, donc le comité de direction le premier mardi du mois, et au-delà de 100 000 € c'est Guillaume Desroches qui tranche. Et vous, dans ce schéma, quel rôle vous jouez concrètement ?",
    ));
    assert!(!found.contains(&"parroting"), "{found:?}");
}

#[test]
fn parroting_and_a_named_technique_are_faults_of_their_own() {
    let said = "Loïc est seul sur quatre dépôts, et moi je suis sur la clôture jusqu'à fin mars.";
    let c = TurnContext { previous_prospect_line: said, ..ctx() };
    let found = ids(&analyse_turn(
        &c,
        "Si je comprends bien, Loïc est seul sur quatre dépôts et vous êtes sur la clôture jusqu'à fin mars. Qui d'autre pourrait piloter le projet ?",
    ));
    assert!(found.contains(&"parroting") && !found.contains(&"reformulation"), "{found:?}");
    let named = ids(&analyse_turn(&ctx(), "Question ouverte, écoute active : quels sont vos enjeux ?"));
    assert!(named.contains(&"method_named") && !named.contains(&"good_open_question"), "{named:?}");
    let plain = ids(&analyse_turn(&ctx(), "Quels sont vos enjeux pour cette année ?"));
    assert!(!plain.contains(&"method_named") && !plain.contains(&"parroting"), "{plain:?}");
}

#[test]
fn a_step_proposed_as_a_question_is_not_one_more_closed_question() {
    let c = TurnContext { closed_question_streak: 2, ..ctx() };
    let step = ids(&analyse_turn(&c, "Je viens présenter au conseil du lundi 2 février, ça vous paraît jouable ?"));
    assert!(step.contains(&"next_step_proposal") && !step.contains(&"closed_question_streak"), "{step:?}");
    let closed = ids(&analyse_turn(&c, "Et votre assureur, il vous a demandé quelque chose ?"));
    assert!(closed.contains(&"closed_question_streak"), "{closed:?}");
    let past = ids(&analyse_turn(&ctx(), "Et les terminaux, vous les aviez redémarrés, samedi ?"));
    assert!(!past.contains(&"next_step_proposal"), "{past:?}");
}

#[test]
fn false_alarms_from_the_s24_trainer_run_stay_away() {
    // The labour inspectorate as a risk is no pretext.
    let risk = ids(&analyse_turn(
        &ctx(),
        "Et ces entretiens en retard, ça vous coûte quoi en risque avec l'inspection du travail ?",
    ));
    assert!(!risk.contains(&"false_pretext"), "{risk:?}");
    // « Chez nous » is the seller's own house: a discount there proves nothing.
    let gift =
        ids(&analyse_turn(&ctx(), "Je peux vous faire un geste, par exemple 15 % de remise si vous restez chez nous."));
    assert!(!gift.contains(&"proof_used"), "{gift:?}");
    // A guarantee the seller takes on speaks of the seller for the prospect's sake.
    let guarantee = ids(&analyse_turn(
        &ctx(),
        "On peut lui proposer une clause de garantie : si l'économie mesurée est inférieure à 8 %, nous remboursons l'écart sur notre abonnement. Nous prenons le risque, pas vous.",
    ));
    assert!(!guarantee.contains(&"self_centered"), "{guarantee:?}");
}

#[test]
fn a_capitalised_word_of_the_language_is_no_misspelt_name() {
    let c = TurnContext { prospect_name: "Marion Dessaigne", company: "Logivia", ..TurnContext::default() };
    let found = ids(&analyse_turn(&c, "Je note. Mais sur ces quatre points, lequel choisiriez-vous ?"));
    assert!(!found.contains(&"wrong_name"), "{found:?}");
    let slip = ids(&analyse_turn(&c, "Merci Marine, lequel choisiriez-vous ?"));
    assert!(slip.contains(&"wrong_name"), "{slip:?}");
}

#[test]
fn the_same_opening_formula_a_third_time_earns_nothing() {
    let earlier = [
        "Si je reformule bien, vous me dites : une seule entreprise, les mêmes règles partout.".to_owned(),
        "Si je reformule bien, vous me dites : la campagne démarre en janvier, avant tout.".to_owned(),
    ];
    let said = "On rectifie une dizaine de bulletins par mois, avec des oublis et des doublons.";
    let c = TurnContext { earlier_learner_lines: &earlier, previous_prospect_line: said, ..ctx() };
    let found = ids(&analyse_turn(
        &c,
        "Si je reformule bien, vous me dites : dix bulletins rectifiés, des oublis. C'est bien ça ?",
    ));
    assert!(!found.contains(&"reformulation"), "{found:?}");
    let named = ids(&analyse_turn(&ctx(), "Question d'implication : qu'est-ce que ça vous coûte ?"));
    assert!(named.contains(&"method_named"), "{named:?}");
}
#[test]
fn monsieur_to_a_woman_is_a_slip_but_not_monsieur_someone_else() {
    let c = TurnContext { prospect_name: "Marion Dessaigne", feminine: Some(true), ..ctx() };
    let slip = ids(&analyse_turn(&c, "Bonjour Monsieur, comment fonctionne votre service aujourd'hui ?"));
    assert!(slip.contains(&"wrong_name"), "{slip:?}");
    let third = ids(&analyse_turn(&c, "Bonjour Madame Dessaigne. Et Monsieur Gervais, il en pense quoi ?"));
    assert!(!third.contains(&"wrong_name"), "{third:?}");
}

#[test]
fn a_signature_asked_as_a_counterpart_is_a_trade_not_pressure() {
    let trade = ids(&analyse_turn(
        &TurnContext { discovery_questions: 3, ..ctx() },
        "Je bloque deux consultants pour septembre. En contrepartie, j'ai besoin de votre signature avant vendredi.",
    ));
    assert!(!trade.contains(&"pushy"), "{trade:?}");
    let push = ids(&analyse_turn(&ctx(), "Signez maintenant, c'est votre dernière chance."));
    assert!(push.contains(&"pushy"), "{push:?}");
}

#[test]
fn bac_said_as_labels_and_a_proof_by_its_label_are_recited() {
    let labels = ids(&analyse_turn(
        &ctx(),
        "Argument : Caractéristique, l'outil automatise la validation ; Avantage, ça va plus vite ; Bénéfice, vous gagnez du temps.",
    ));
    assert!(labels.contains(&"method_named") && !labels.contains(&"benefit_argument"), "{labels:?}");
    let proof = ids(&analyse_turn(&ctx(), "Preuve : étude de cas."));
    assert!(proof.contains(&"method_named") && !proof.contains(&"proof_used"), "{proof:?}");
}

#[test]
fn false_alarms_from_the_s24_final_round_stay_away() {
    let fact = ids(&analyse_turn(&ctx(), "Le budget est prévu, vous décidez seul. Est-ce qu'on signe aujourd'hui ?"));
    assert!(!fact.contains(&"pushy"), "{fact:?}");
    let order = ids(&analyse_turn(&ctx(), "Décidez, c'est maintenant que ça se joue."));
    assert!(order.contains(&"pushy"), "{order:?}");
    let truth = ids(&analyse_turn(
        &ctx(),
        "Un outil que personne ne remplit ne sert à rien. Qu'est-ce qu'ils remontent déjà ?",
    ));
    assert!(!truth.contains(&"competitor_bashing"), "{truth:?}");
    let quoted = ids(&analyse_turn(
        &ctx(),
        "Quand vous dites \"à moitié prix\", ça couvre quoi exactement : l'hébergement seul, ou aussi la migration ?",
    ));
    assert!(!quoted.contains(&"concession_without_counterpart"), "{quoted:?}");
}

mod trainer_runs;
mod trainer_runs_s27;
mod trainer_runs_s28;
mod trainer_runs_s29;
mod trainer_runs_s30;
