//! Readings a trainer corrected in the s30 role-plays: a yes-or-no question read as open,
//! time asked for a meeting missed, a reaction and « d'ici là » read as pretexts, the order
//! form handed over missed as a closing.

use super::*;

/// « Est-ce que… » asks for a yes or a no, whatever question word its clause carries; a
/// request to be told stays open.
#[test]
fn est_ce_que_asks_yes_or_no() {
    let found = read_turn(&ctx(), "Est-ce que ça vaut trente minutes pour voir comment ils s'y sont pris ?");
    assert_eq!(found.question, Some(QuestionKind::Closed), "{found:?}");
    assert!(found.has(Act::VagueStep), "time asked for a meeting, no date: {:?}", found.acts);
    let told = read_turn(&ctx(), "Est-ce que vous pouvez me dire comment vous organisez les tournées ?");
    assert_eq!(told.question, Some(QuestionKind::Open), "{told:?}");
}

/// « Là, c'est urgent alors » reacts to the prospect; « d'ici là » introduces nobody. A
/// seller who claims urgency to get through, or poses as an authority, still lies.
#[test]
fn reactions_and_d_ici_la_are_no_pretexts() {
    for line in [
        "Ah oui, là c'est urgent alors !",
        "Qu'est-ce qui se passe pour vous si l'assureur revient ou s'il y a un incident d'ici là ?",
    ] {
        let found = ids(&analyse_turn(&ctx(), line));
        assert!(!found.contains(&"false_pretext"), "{line}: {found:?}");
    }
    for line in ["C'est urgent, passez-le-moi.", "Bonjour, ici la préfecture, je dois parler à M. Martin."] {
        let found = ids(&analyse_turn(&ctx(), line));
        assert!(found.contains(&"false_pretext"), "{line}: {found:?}");
    }
}

/// The order form handed over asks for the signature.
#[test]
fn the_order_form_handed_over_is_a_closing() {
    for line in [
        "Voici le bon de commande, il ne manque que votre signature.",
        "Je l'ai avec moi : on le signe maintenant ensemble ?",
    ] {
        let found = read_turn(&ctx(), line);
        assert!(found.has(Act::Closing), "{line}: {:?}", found.acts);
    }
}

/// A study offered free is how a sale starts: no price brought up, nothing given away.
#[test]
fn a_free_study_is_no_price_and_no_concession() {
    let found = ids(&analyse_turn(
        &ctx(),
        "On pourrait faire une étude de faisabilité gratuite, avec la simulation de production. Ça vous intéresserait ?",
    ));
    assert!(!found.contains(&"premature_price") && !found.contains(&"concession_without_counterpart"), "{found:?}");
    for line in ["Je vous offre trois mois gratuits, ça vous va ?", "Je vous fais le premier mois offert, ça vous va ?"]
    {
        let gift = ids(&analyse_turn(&ctx(), line));
        assert!(gift.contains(&"concession_without_counterpart"), "{line}: {gift:?}");
    }
}

/// The prospect's own customer service, or their own scripts that crash, asked about: no
/// pretext and no put-down; « quand » that says when asks nothing, so a real question with
/// two of them is no volley.
#[test]
fn their_own_service_and_tools_asked_about_are_no_faults() {
    let found = ids(&analyse_turn(
        &ctx(),
        "Si je résume : un flux qui plante la nuit, vous le découvrez le matin par le service client. Ce flux-là, qu'est-ce que Julien a dû faire pour le relancer ?",
    ));
    assert!(!found.contains(&"false_pretext"), "{found:?}");
    let found = ids(&analyse_turn(
        &ctx(),
        "Aujourd'hui, quand un de vos scripts plante, combien de temps faut-il pour trouver quel message a échoué ?",
    ));
    assert!(!found.contains(&"competitor_bashing"), "{found:?}");
    let reading = read_turn(
        &ctx(),
        "Quand vous dites que vos développeurs le font en Python, qu'est-ce qui se passe aujourd'hui quand le développeur qui a écrit le script est absent, ou quand il faut tenir la charge ?",
    );
    assert!(!reading.volley, "{reading:?}");
    assert!(read_turn(&ctx(), "Qui décide, qui paie, qui signe, et quand ?").volley);
}
