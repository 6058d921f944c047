//! What the prospect says to a turn that asks nothing of them: a greeting, a time check,
//! a proposal or an offer weighed by the mood, a statement asked where it leads.

use super::no_answer::by_mood;
use super::wording::agree;
use super::*;
use crate::text::Normalized;

/// What the prospect says to a turn that asks nothing of them and calls for no reaction of
/// its own: a greeting is greeted, a proposal is weighed by the mood, a long statement is
/// asked where it leads, anything else invites the learner on.
pub(super) fn acknowledge(scenario: &Scenario, state: &SessionState, mood: Mood, message: &str) -> Vec<String> {
    let text = Normalized::new(message);
    let greeting = state.exchanges == 0
        && text.word_count() <= 25
        && text.find_any(&["bonjour", "bonsoir", "enchante", "je m appelle", "je suis"]).is_some();
    if super::heard::asks_how_they_are(message) {
        return vec![
            "Bien, merci. Et vous ? Alors, qu’est-ce qui vous amène ?".into(),
            "Ça va, merci. Je vous écoute.".into(),
            "Très bien, merci. Allez-y, je vous écoute.".into(),
        ];
    }
    // "Vous avez quelques minutes ?": the prospect says how much time they give.
    let time_check = super::heard::asks_for_time(message);
    if time_check {
        return if mood >= Mood::Interested {
            vec!["Oui, allez-y, je vous écoute.".into(), "J’ai un moment, oui. Je vous écoute.".into()]
        } else {
            vec![
                "Deux minutes, alors. Allez-y.".into(),
                "Pas beaucoup. Faites court.".into(),
                "Ça dépend pour quoi. Allez-y, en bref.".into(),
            ]
        };
    }
    // "Vous êtes toujours intéressée ?", months after a first contact: where the prospect
    // stands, by the mood.
    let still = text
        .find_any(&[
            "toujours interesse",
            "toujours interessee",
            "interesse toujours",
            "toujours d actualite",
            "toujours partant",
            "toujours partante",
        ])
        .is_some();
    if still {
        return by_mood(
            mood,
            vec![
                "Oui, le sujet est toujours sur la table. Qu’est-ce qui a changé de votre côté ?".into(),
                "Toujours, oui. C’est même plutôt le bon moment pour en reparler.".into(),
            ],
            vec![
                format!(
                    "{}, c’est beaucoup dire. Le sujet n’est pas enterré, mais il n’est plus prioritaire.",
                    agree(scenario, "Intéressé")
                ),
                "Disons que la porte n’est pas fermée. Qu’est-ce que vous avez de nouveau ?".into(),
            ],
            vec![
                "Franchement, ce n’est plus vraiment d’actualité chez nous.".into(),
                "Pas vraiment. Les choses ont changé depuis.".into(),
            ],
        );
    }
    if greeting {
        return vec![
            "Bonjour. Oui, je vous écoute.".into(),
            "Bonjour. Allez-y, je vous écoute.".into(),
            "Oui, bonjour. Qu’est-ce qui vous amène ?".into(),
        ];
    }
    let offered = offer_reaction(&text);
    if !offered.is_empty() {
        return offered;
    }
    // A promise with a figure is weighed: taken up by an interested prospect, questioned by
    // a doubtful one.
    // A figure the prospect gave, said back, is no promise to weigh.
    let theirs = |claim: &str| {
        let said: Vec<&str> = state.used_lines.iter().flat_map(|l| crate::text::digit_runs(l)).collect();
        crate::text::digit_runs(claim).any(|n| said.contains(&n))
    };
    if let Some(claim) = figure_claim(message).filter(|c| !theirs(c)) {
        return if mood >= Mood::Interested {
            vec![
                format!("« {claim} », ce serait précieux. Comment vous y arrivez, concrètement ?"),
                format!("« {claim} » : si c’est vrai, ça m’intéresse. Qu’est-ce qu’il faut pour ça ?"),
            ]
        } else {
            vec![
                format!("« {claim} » : sur quoi vous vous basez ?"),
                format!("« {claim} », on me l’a déjà promis. Vous l’avez vu chez qui, concrètement ?"),
            ]
        };
    }
    // A first step offered ("on pourrait faire une étude de faisabilité, ça vous
    // intéresserait ?"): the prospect weighs what it asks of them, by the mood.
    let offered = text.find_any(&[
        "une etude",
        "un audit",
        "un diagnostic",
        "un pre diagnostic",
        "un bilan",
        "une visite",
        "une simulation",
    ]);
    let offering = text
        .find_any(&[
            "on pourrait",
            "je peux vous",
            "je vous propose",
            "on peut vous",
            "nous pourrions",
            "ca vous interesserait",
            "ca vous dirait",
        ])
        .is_some();
    if let Some(step) = offered.filter(|_| offering && !text.contains("vous avez")) {
        let step = match crate::text::normalize(step).as_str() {
            "une etude" => "Une étude",
            "un audit" => "Un audit",
            "un bilan" => "Un bilan",
            "une visite" => "Une visite",
            "une simulation" => "Une simulation",
            _ => "Un diagnostic",
        };
        return by_mood(
            mood,
            vec![
                format!("{step}, oui, pourquoi pas. Qu’est-ce qu’il vous faut de notre côté ?"),
                format!("{step}, ça m’intéresse. Comment ça se passe, concrètement ?"),
            ],
            vec![
                format!("{step}, si ça ne m’engage à rien… Ça prend combien de temps ?"),
                "Ça dépend de ce que ça demande de notre côté. Expliquez-moi.".to_owned(),
            ],
            vec![format!("{step} de plus ? Je ne vois pas encore ce que j’y gagnerais.")],
        );
    }
    // A proposal or a remedy weighed in a question ("si on fait un point à trois mois, ça
    // vous pose encore problème ?") gets a stance, by the mood.
    let weighed = crate::text::sentences(message)
        .into_iter()
        .map(|s| &message[s.start..s.end])
        .filter(|s| s.contains('?'))
        .any(crate::analysis::weighs);
    if weighed {
        return by_mood(
            mood,
            vec![
                "Si c’est bien ça, ça me va. Ça lève une bonne partie de mes doutes.".into(),
                "Dit comme ça, ça me convient. Il faudra juste que ce soit écrit noir sur blanc.".into(),
                "Ça me paraît raisonnable. Je vous fais confiance là-dessus.".into(),
            ],
            vec![
                "Sur le papier, oui. J’ai besoin de le voir pour y croire.".into(),
                format!(
                    "Ça va dans le bon sens. Je ne suis pas encore complètement {}, mais ça aide.",
                    agree(scenario, "convaincu")
                ),
            ],
            vec![
                "Pas vraiment. Ça ne change pas le fond du problème.".into(),
                "Franchement, non. Je ne vois pas ce que ça change pour nous.".into(),
            ],
        );
    }
    // "Je vous montre l'écran ?": shown what it does, the prospect lets the learner show.
    let showing = text.find_any(&["je vous montre", "je peux vous montrer", "vous voulez voir"]).is_some();
    if showing {
        return if mood >= Mood::Neutral {
            vec!["Allez-y, montrez-moi.".into(), "Oui, montrez-moi, je regarde.".into()]
        } else {
            vec!["Montrez toujours. Mais je juge sur pièces.".into(), "Allez-y. Je vous dirai si ça tient.".into()]
        };
    }
    let proposal = text
        .find_any(&[
            "je vous propose",
            "je propose",
            "on pourrait",
            "nous pourrions",
            "je peux vous",
            "on peut vous",
            "vous voulez que je",
            "voulez vous que je",
            "ca vous dirait",
        ])
        .is_some();
    if proposal {
        return if mood >= Mood::Interested {
            vec![
                "Pourquoi pas. Concrètement, comment ça se passerait ?".into(),
                "Ça peut se regarder. Qu’est-ce qu’il faudrait de notre côté ?".into(),
                "Je ne dis pas non. Dites-m’en un peu plus.".into(),
            ]
        } else {
            vec![
                "Je ne sais pas. Qu’est-ce que j’y gagnerais, moi ?".into(),
                "On n’en est pas là. Je ne vois pas encore l’intérêt pour nous.".into(),
                "Hmm. Avant ça, j’aimerais comprendre ce que ça change pour nous.".into(),
            ]
        };
    }
    // A list of what the product does, with nothing measured for the prospect.
    // (A list is one sentence of commas, not a turn of several sentences; once the deal is
    // agreed, there is nothing left to doubt.)
    let listing = message.split(['.', '!', '?', ':']).any(|sentence| sentence.matches(',').count() >= 3);
    let features = (text.find_any(&["fonctionnalites", "fonctionnalite", "modules", "options"]).is_some() || listing)
        && !crate::analysis::relevance::has_figure(message)
        && !state.converted;
    if features && text.word_count() > 12 {
        return vec![
            "Des fonctionnalités, tout le monde en a. Qu’est-ce que ça change pour nous, concrètement ?".into(),
            "C’est une liste, ça. Laquelle de ces choses règle un problème que nous avons ?".into(),
        ];
    }
    let mut lines: Vec<String> = vec!["Je vous écoute.".into(), "Continuez.".into(), "D’accord. Et ensuite ?".into()];
    if text.word_count() > 25 {
        lines.push("Où voulez-vous en venir ?".into());
        lines.push("Et concrètement, pour nous, ça changerait quoi ?".into());
    }
    // Doubting the fit only makes sense before the learner has shown much of anything.
    if state.exchanges < 6 && mood <= Mood::Neutral {
        let product = super::wording::product_as_heard(scenario, state, message);
        lines.push(format!("Et {product}, ça s’adresse vraiment à une entreprise comme la nôtre ?"));
    }
    lines
}

/// An offer the prospect can be made in so many words, how it is said, whether the words
/// alone make it an offer (a trial is only one when the seller offers it: "je vous propose
/// un pilote", not "la période d'essai"), and how the prospect weighs it.
struct Offer {
    cues: &'static [&'static str],
    needs_offering: bool,
    reactions: &'static [&'static str],
}

const OFFERS: &[Offer] = &[
    Offer {
        cues: &[
            "solution de financement",
            "solutions de financement",
            "sans rien sortir",
            "leasing",
            "location financiere",
        ],
        needs_offering: false,
        reactions: &[
            "Un financement, pourquoi pas. Mais au bout du compte, ça nous coûte combien ?",
            "Ne rien sortir au départ, d’accord. Et sur la durée, on paie quoi ?",
        ],
    },
    Offer {
        cues: &[
            "clause de garantie",
            "garantie de resultat",
            "garantie ecrite",
            "je vous garantis",
            "nous vous garantissons",
            "on vous garantit",
            "nous garantissons",
            "satisfait ou rembourse",
            "nous vous remboursons",
            "on vous rembourse",
            "nous remboursons l ecart",
            "engagement de resultat",
        ],
        needs_offering: false,
        reactions: &[
            "Une garantie, ça, c’est concret. Elle couvre quoi, exactement ?",
            "Une garantie écrite ? Et si les résultats ne sont pas là, il se passe quoi, concrètement ?",
        ],
    },
    Offer {
        cues: &["essai gratuit", "un essai", "a l essai", "un pilote", "projet pilote", "phase pilote", "test gratuit"],
        needs_offering: true,
        reactions: &[
            "Un essai, ça peut se regarder. Sur quel périmètre, et qui s’en occupe chez nous ?",
            "Un pilote, pourquoi pas. Combien de temps, et qu’est-ce qu’on mesure à la fin ?",
        ],
    },
];

/// The prospect's reaction to an offer made in so many words (`OFFERS`), weighed on what
/// it would mean for them, without inventing terms; nothing when no offer is made.
fn offer_reaction(text: &Normalized<'_>) -> Vec<String> {
    let offering = text
        .find_any(&[
            "je vous propose",
            "je propose",
            "on peut",
            "nous pouvons",
            "je peux",
            "on pourrait",
            "nous pourrions",
            "on vous offre",
            "nous proposons",
            "on propose",
        ])
        .is_some();
    OFFERS
        .iter()
        .find(|o| (offering || !o.needs_offering) && text.find_any(o.cues).is_some())
        .map(|o| o.reactions.iter().map(|&r| r.to_owned()).collect())
        .unwrap_or_default()
}

/// A claim with a figure in it ("30 à 40 % d'économie, facilement"), as a prospect would
/// quote it back: the clause that holds the figure, at most ten words.
fn figure_claim(message: &str) -> Option<String> {
    crate::text::sentences(message)
        .into_iter()
        .map(|s| &message[s.start..s.end])
        .filter(|s| !s.contains('?'))
        .flat_map(|s| s.split([',', ';', ':']))
        .map(str::trim)
        .find(|clause| {
            let t = Normalized::new(clause);
            let words = t.word_count();
            let promise = t.words().any(|w| {
                ["pourcent", "econom", "gagn", "gain", "redui", "reduc", "recuper", "baiss", "divis"]
                    .iter()
                    .any(|p| w.starts_with(p))
            });
            (3..=12).contains(&words) && crate::analysis::relevance::has_figure(clause) && promise
        })
        .map(|clause| clause.trim_end_matches(['.', '!', '…', ' ']).to_owned())
}
