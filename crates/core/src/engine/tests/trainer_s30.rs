//! Replies a trainer corrected in the s30 role-plays.

use super::*;

fn scenario(skill: &str, level: Level, seed: u64) -> Scenario {
    let catalog = Catalog::embedded().expect("catalogue");
    super::scenario(&catalog, skill, "generic", level, None, seed).expect("scenario")
}

/// Once the deal is agreed, the order form handed over is signed, not doubted as a feature
/// list.
#[test]
fn the_order_form_handed_over_after_the_deal_is_signed() {
    let s = scenario("closing_ponts_brules", Level::Medium, 3103);
    let (state, turns) = play(
        &s,
        &[
            "Bonjour Monsieur Raynal, merci pour le café. Vous dites que vous pesez encore le pour et le contre, c'est normal. Avant de parler de la proposition, je voudrais qu'on revienne ensemble sur l'essai : qu'est-ce que vos deux techniciens vous en ont dit, concrètement ?",
            "46 interventions facturées le jour même et zéro bon ressaisi par Corinne, c'est un bon résultat. Et aujourd'hui, sans Raccord, entre l'intervention et la facture, il se passe combien de temps chez vous, en moyenne ?",
            "Donc trois choses : facturer le soir même, plus aucun bon perdu dans un camion, et des relances d'entretien automatiques pour soulager Corinne. Sur ces trois points, d'après l'essai, est-ce que Raccord fait le travail, oui ou non ?",
            "Bien sûr, c'est une décision qui compte. Pour qu'on voie clair ensemble, reprenons point par point. Le besoin et l'outil, vous venez de me dire que c'est bon. Le budget : 1 062 euros HT par mois pour vos 18 techniciens et 1 200 euros de mise en service, est-ce que ce montant vous pose un problème ?",
            "On en était au budget : vous me dites que les 15 000 euros prévus couvrent largement, donc ce n'est pas le sujet. Le coup de fil de Gérard, c'est justement le genre de chose que Raccord trace. Côté calendrier maintenant : si on démarrait, quel serait le bon moment pour équiper vos 18 techniciens sans gêner la saison de chauffe ?",
            "Donc une mise en place avant la rentrée, fin août au plus tard, pour être prêts avant le rush de septembre. Et pour la décision elle-même, c'est bien vous qui signez seul, ou il y a quelqu'un d'autre à consulter, un associé, votre expert-comptable, votre banque ?",
            "Je comprends, personne n'aime se sentir coincé. Quand vous dites « si ça ne prend pas », vous pensez à quoi précisément : que certains techniciens ne l'utilisent pas, ou autre chose ?",
            "Je comprends mieux, payer trois ans pour trois mois d'usage, ça marque. La différence ici, c'est que Raccord a déjà tourné chez vous : 46 interventions, Kévin et Mathis l'ont adopté. Si on ajoute au contrat une clause de sortie à trois mois au cas où moins de la moitié de vos techniciens l'utilisent au quotidien, à part ça, reste-t-il quelque chose qui vous retient ?",
            "Alors on récapitule : l'essai a marché, le budget est dans votre enveloppe, la mise en place se fait avant la rentrée, vous décidez seul, et la clause de sortie à trois mois vous protège. Je vous propose de signer aujourd'hui pour qu'on lance la mise en service début juillet. On y va ?",
            "Merci Monsieur Raynal. Je l'ai avec moi, avec la clause de sortie ajoutée à la main : on le signe maintenant ensemble, et je cale avec Corinne la date de mise en service début juillet ?",
            "Justement, c'est pour ça qu'on démarre en juillet, bien avant le rush. Voici le bon de commande, il ne manque que votre signature.",
        ],
    );
    assert!(state.converted, "{turns:#?}");
    let last = turns.last().expect("turns");
    assert_eq!(last.prospect_move, Move::AcceptNextStep, "{last:#?}");
    assert!(last.prospect_text.contains("sign"), "{}", last.prospect_text);
    assert!(!last.prospect_text.contains("fonctionnalités"), "{}", last.prospect_text);
}

/// Asked what is still missing to recommend the deal, a buyer who still holds a
/// reservation voices it, and the scripted walk-out waits for the answer.
#[test]
fn asked_what_is_missing_the_buyer_voices_the_reservation_left() {
    let s = scenario("negociation", Level::Expert, 3108);
    let (_, turns) = play(
        &s,
        &[
            "Bonjour Madame Perronet. Je prends votre demande au sérieux, et je ne vais pas vous répondre par un pourcentage tant que je ne sais pas ce que je compare. Cette offre 30 % en dessous, qu'est-ce qu'elle couvre exactement : les 7 500 factures par mois, la mise en place, la reprise de l'existant, l'accompagnement des 24 hôtels ?",
            "Merci pour votre franchise. Si je résume : l'autre offre n'inclut pas le rapprochement des commandes, donc l'écart réel est plus faible que 30 %, et votre objectif à vous, c'est de pouvoir afficher 15 % d'économies dans votre reporting. Comment votre reporting calcule-t-il ces économies : sur le prix annuel seul, ou sur le coût total du contrat sur trois ans, mise en place comprise ?",
            "Très clair. Notre proposition représente 213 000 € sur trois ans, mise en place comprise. Je peux travailler sur ce coût total, mais pas à sens unique. Si on construit ensemble un chiffre qui tienne dans votre reporting, qu'est-ce qui est envisageable de votre côté : un engagement plus long, un paiement annuel d'avance, ou que le Groupe Orsenne accepte de témoigner comme référence ?",
            "Je comprends, c'est Mme Ponthieu qui tranchera. Alors je vous mets une proposition concrète sur la table, à valider avec elle : si vous passez à 48 mois et réglez l'abonnement annuellement d'avance, je baisse l'abonnement de 8 %, à 57 960 € par an. Et si Orsenne accepte d'être référence client, avec un témoignage après six mois, je ramène la mise en place à 12 000 €. Sur trois ans, ça vous fait 185 880 €, soit près de 13 % de moins. Qu'en dites-vous ?",
            "Avant d'aller plus loin, j'ai besoin de savoir où on en est : les 48 mois, le paiement annuel d'avance et la référence client, c'est acceptable pour Orsenne ? Parce que sans ces contreparties, les 8 % n'existent pas. Et gardez en tête que chez nous, le rapprochement des commandes est inclus : chez l'autre, vous devrez le payer en plus.",
            "Je vous propose de lui répondre ensemble. Sur la mise en place, je vous ai proposé de la diviser par deux, à 12 000 €, contre la référence client ; et je peux l'étaler : 4 000 € par vague de huit hôtels, payés à la mise en service de chaque vague. En échange, j'ai besoin des 48 mois et du paiement annuel d'avance. Si Mme Ponthieu valide ce cadre, est-ce que vous la recommandez cette semaine ?",
            "Alors c'est à vous que je pose la question : abonnement à 57 960 € par an sur 48 mois payé annuellement d'avance, mise en place à 12 000 € étalée par vagues contre un témoignage client à six mois, rapprochement des commandes inclus. Est-ce que ce cadre vous permet de présenter le dossier à Mme Ponthieu ?",
            "Un démarrage en janvier, c'est tenable, à condition de lancer le paramétrage début décembre. Qu'est-ce qui manque encore à ce cadre pour que vous puissiez le recommander tel quel ?",
        ],
    );
    let last = turns.last().expect("turns");
    assert_eq!(last.prospect_move, Move::RaiseObjection, "{last:#?}");
    assert!(!last.prospect_text.contains("referme son dossier"), "{}", last.prospect_text);
}

/// A study offered is weighed in so many words; agreeing that some players are not serious
/// costs its points without a push-back.
#[test]
fn a_study_offered_is_weighed_and_unnamed_bashing_gets_no_push_back() {
    let s = scenario("ecoute_active", Level::Easy, 3111);
    let (_, turns) = play(
        &s,
        &[
            "Bonjour Monsieur, merci de me recevoir. Comment ça se passe pour vous en ce moment ?",
            "Je comprends tout à fait, il y a beaucoup d'acteurs pas sérieux dans le solaire. Vous voulez que je vous envoie nos références ?",
            "On pourrait faire une étude de faisabilité gratuite, avec la simulation de production. Ça vous intéresserait ?",
        ],
    );
    assert_ne!(turns[1].prospect_move, Move::PushBack, "{:#?}", turns[1]);
    assert!(turns[1].patterns.iter().any(|d| d.pattern == PatternId::CompetitorBashing), "{:?}", turns[1].patterns);
    assert!(turns[2].prospect_text.contains("étude"), "{}", turns[2].prospect_text);
}
