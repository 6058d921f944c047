//! What the prospect says when there is nothing of the scenario to tell: a turn that asks
//! nothing of them (a greeting, a proposal, a statement), or a question the scenario holds
//! nothing on. Said in persona, never inventing a figure, a name or a date.

use super::variety::{keep_said, said_sentences, sentence_keys};
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
    let features = (text.find_any(&["fonctionnalites", "fonctionnalite", "modules", "options"]).is_some()
        || message.matches(',').count() >= 3)
        && !crate::analysis::relevance::has_figure(message);
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

/// What a prospect says when asked about something the scenario holds nothing on: in
/// persona, without inventing a figure, a name or a date. The lines on the item asked
/// about come first; the general ones only once those are said, and never one that could
/// contradict what the prospect knows ("je ne me suis jamais posé la question" is said of
/// wishes, "il faudrait que je vérifie" of figures).
pub(super) fn nothing_on_it(scenario: &Scenario, state: &mut SessionState, message: &str) -> Vec<String> {
    let text = Normalized::new(message);
    let stemmer = crate::analysis::lexicon::french_stemmer();
    let item = crate::text::sentences(message)
        .into_iter()
        .map(|s| &message[s.start..s.end])
        .filter(|s| s.contains('?'))
        .find_map(|s| {
            crate::analysis::topics::discovery_item(&crate::analysis::topics::Stemmed::of(
                &stemmer,
                &Normalized::new(s),
            ))
        })
        .unwrap_or("");
    // Asked to pass on a document ("vous pourriez me transférer le questionnaire ?"), the
    // prospect agrees or not, by the mood.
    let document = text
        .find_any(&[
            "pourriez vous me transferer",
            "vous pourriez me transferer",
            "pourriez vous m envoyer",
            "vous pourriez m envoyer",
            "pouvez vous m envoyer",
            "vous pouvez m envoyer",
            "pourriez vous me faire suivre",
            "vous pourriez me faire suivre",
            "vous pouvez me faire suivre",
            "pourriez vous me transmettre",
            "vous pourriez me transmettre",
            "vous pouvez me transmettre",
        ])
        .is_some();
    if document {
        return if state.mood() >= Mood::Neutral {
            vec!["Oui, je vous fais suivre ça.".into(), "D’accord, je vous le transmets.".into()]
        } else {
            vec!["Je verrai si je peux vous le transmettre.".into()]
        };
    }
    // Asked whether they looked at what was sent ("vous avez pu regarder la proposition ?"),
    // the prospect says how far they got, by the mood, without inventing its content.
    let looked = text
        .find_any(&[
            "avez pu regarder",
            "aviez pu regarder",
            "avez eu le temps de regarder",
            "aviez eu le temps de regarder",
            "avez pu lire",
            "avez pu jeter un oeil",
            "avez pu y jeter un oeil",
            "avez regarde la proposition",
            "avez pu voir la proposition",
        ])
        .is_some();
    if looked {
        return by_mood(
            state.mood(),
            vec![
                "Oui, je l’ai parcourue. Il y a des choses intéressantes, mais j’ai encore des questions.".into(),
                "Je l’ai regardée, oui. Globalement, ça va dans le bon sens.".into(),
            ],
            vec![
                "Je l’ai survolée, sans plus. Rappelez-moi ce qu’elle change pour nous ?".into(),
                "En diagonale, je l’avoue. Dites-moi l’essentiel.".into(),
            ],
            vec![
                "Pas vraiment, non. Je n’ai pas eu le temps.".into(),
                "Non. Et franchement, ce n’est pas ma priorité en ce moment.".into(),
            ],
        );
    }
    // Asked what still holds them back, with no objection left to raise: how far along
    // they are, by the mood, without inventing a new doubt.
    let hesitation = text
        .find_any(&[
            "vous fait hesiter",
            "vous fait encore hesiter",
            "vous retient",
            "vous freine",
            "vous gene encore",
            "vous inquiete encore",
            "vous manque pour",
            "vous manque encore",
            "ne vous convient pas",
            "ne vous va pas",
        ])
        .is_some();
    if hesitation {
        return by_mood(
            state.mood(),
            vec![
                "Franchement, plus grand-chose. Ce qui me reste, ce sont les détails de mise en route.".into(),
                "Plus grand-chose, honnêtement. Il me faut juste que ce soit écrit noir sur blanc.".into(),
            ],
            vec![
                "Rien de rédhibitoire. J’ai besoin d’un peu de recul, c’est tout.".into(),
                format!(
                    "Pas un point précis. Je veux juste être {} de mon coup avant de m’engager.",
                    agree(scenario, "sûr")
                ),
            ],
            vec![format!(
                "Un peu tout, pour être honnête. Je ne suis pas encore {} que ça vaille le coup.",
                agree(scenario, "convaincu")
            )],
        );
    }
    // Asked for names to call, with none to give from the scenario: the prospect thinks
    // about it, or keeps them, by the mood.
    let names = crate::analysis::asks::wanted(&text) == Some(crate::analysis::asks::Wants::Person)
        && text.find_any(&["noms", "un nom", "a qui je pourrais", "que je pourrais appeler"]).is_some();
    if names {
        return if state.mood() >= Mood::Interested {
            vec![
                "Laissez-moi y réfléchir : je vous envoie un ou deux noms, et je les préviens avant.".into(),
                "J’en ai un ou deux en tête. Je leur en parle d’abord, et je vous dis.".into(),
            ]
        } else {
            vec!["Des noms, je n’aime pas trop en donner. On verra quand j’aurai plus de recul.".into()]
        };
    }
    // Once a step is agreed, logistics are settled in writing.
    let logistics = text
        .find_any(&[
            "rendez vous",
            "reunion",
            "invitation",
            "ordre du jour",
            "visio",
            "salle",
            "adresse",
            "heure",
            "qui sera",
            "present",
            "presente",
            "lieu",
            "confirmation",
        ])
        .is_some();
    if state.converted && logistics {
        return vec![
            "On verra les détails par écrit.".into(),
            "Je vous confirmerai ça par mail.".into(),
            "On le calera par mail, si vous voulez bien.".into(),
        ];
    }
    // Only a question asks for a figure ("pas besoin de chiffre : l'outil fait ce qu'il
    // vous faut ?" does not).
    let asked: Vec<&str> = crate::text::sentences(message)
        .into_iter()
        .map(|s| &message[s.start..s.end])
        .filter(|s| s.contains('?'))
        .collect();
    let figure = crate::analysis::relevance::asks_for_figure(&Normalized::new(&asked.join(" ")));
    // Asked for an opinion ("vous pensez qu'il bloquera ?"), the prospect gives one, by
    // the mood, rather than saying they cannot answer.
    let opinion = text
        .find_any(&["vous pensez que", "vous pensez qu", "selon vous", "d apres vous", "a votre avis", "vous croyez"])
        .is_some();
    // What the scenario says on the item is never denied ("il n'y a pas de budget arrêté"
    // when there is one): the prospect asks what is wanted instead.
    let covered = scenario.facts.iter().any(|f| f.topic == item && !f.detail);
    // A yes-or-no question on how they see things ("sur le fond, l'outil fait ce qu'il vous
    // faut ?") gets a stance, by the mood, not a request to ask again.
    if closed_question(message) && !figure {
        return by_mood(
            state.mood(),
            vec!["Oui, dans l’ensemble, oui.".into(), "Globalement, oui.".into()],
            vec![
                "En partie. Je ne suis pas encore tout à fait fixé là-dessus.".into(),
                "Oui et non. Ça dépend de ce qu’on regarde.".into(),
            ],
            vec!["Pas vraiment, non.".into(), "Non, pas à ce stade.".into()],
        )
        .into_iter()
        .map(|l| l.replace("fixé", &agree(scenario, "fixé")))
        .collect();
    }
    // A plain question on what the scenario covers, that nothing answers: the prospect has
    // nothing more precise; only a vague one is asked back.
    // A question that asks for a figure ("elles ont quel âge, vos chaudières ?") is precise,
    // however short.
    let vague = !figure && crate::analysis::topics::stems_of([message]).len() <= 3;
    let mut lines: Vec<String> = match item {
        _ if covered && !opinion && vague => vec![
            "Précisez votre question : qu’est-ce que vous voulez savoir, exactement ?".into(),
            "C’est-à-dire ? Posez-moi la question simplement.".into(),
        ],
        _ if covered && !opinion => vec![
            "Là-dessus, je n’ai rien de plus précis à vous dire.".into(),
            "Je n’ai pas plus de détails que ça, honnêtement.".into(),
        ],
        _ if opinion => by_mood(
            state.mood(),
            vec![
                "À mon avis, oui, si c’est bien présenté.".into(),
                "Je pense que ça peut passer, oui. Mais il faudra le montrer, pas seulement le dire.".into(),
            ],
            vec![
                "Difficile à dire. Ça dépendra beaucoup de ce que vous nous montrerez.".into(),
                "Peut-être. Honnêtement, je n’en sais rien à ce stade.".into(),
            ],
            vec!["J’en doute, franchement.".into(), "Je ne crois pas, non. Pas en l’état.".into()],
        ),
        "budget" => vec![
            "Il n’y a pas de budget arrêté pour ça. Tout dépendra de ce que ça nous rapporte.".into(),
            "Pas d’enveloppe définie à ce stade : si le projet tient la route, on en parlera.".into(),
            "Le budget, on le fixera quand on saura ce que ça vaut pour nous.".into(),
        ],
        "echeance" => vec![
            "Il n’y a pas de date arrêtée. Si ça en vaut la peine, le plus tôt sera le mieux.".into(),
            "Rien n’est calé dans le temps pour l’instant.".into(),
            "On n’a pas fixé d’échéance : ça dépendra de ce que vous nous montrerez.".into(),
        ],
        "decideur" => vec![
            "Ce genre de décision, on la prend en interne, le moment venu.".into(),
            "On verra en interne qui doit être dans la boucle ; ce n’est pas le sujet aujourd’hui.".into(),
        ],
        "concurrence" => vec![
            "On regarde ce qui existe, comme tout le monde. Je ne vais pas vous donner de noms.".into(),
            "Je préfère garder ça pour moi à ce stade.".into(),
            "Rien de signé avec personne, si c’est ce que vous voulez savoir.".into(),
        ],
        // What it costs them, never worked out: said so, without inventing a figure.
        "implications" => vec![
            "Ça pèse, c’est sûr. Mais je n’ai jamais mis de chiffre précis dessus.".into(),
            "Concrètement, du temps perdu et de l’énervement. Le chiffrer au centime, je ne l’ai jamais fait.".into(),
        ],
        "objectifs" | "resultats" | "besoin" | "enjeux" => vec![
            "Honnêtement, je ne me suis jamais vraiment posé la question en ces termes.".into(),
            "Je n’ai pas d’idée arrêtée là-dessus.".into(),
        ],
        _ => vec![],
    };
    if figure {
        lines.extend([
            "Je n’ai pas le chiffre exact en tête.".to_owned(),
            "Là, je ne saurais pas vous donner de chiffre précis.".to_owned(),
            "Il faudrait que je vérifie, je ne veux pas vous dire de bêtise.".to_owned(),
        ]);
    }
    let said = said_sentences(state);
    let fresh = lines.iter().any(|l| sentence_keys(l).iter().all(|k| !said.contains(k)));
    keep_said(state, said);
    if !fresh {
        lines = vec![
            "Là-dessus, je n’ai rien de plus précis à vous dire.".to_owned(),
            "Bonne question… je n’ai pas de réponse toute faite.".to_owned(),
            format!("Je ne suis pas {} de pouvoir vous répondre précisément.", agree(scenario, "sûr")),
            "Je ne saurais pas vous en dire plus, honnêtement.".to_owned(),
        ];
    }
    lines
}

/// Whether every question of the message asks for a yes or a no: no question word in it
/// ("l'outil fait ce qu'il vous faut ?", "est-ce que l'essai vous a convaincu ?").
fn closed_question(message: &str) -> bool {
    let questions: Vec<&str> = crate::text::sentences(message)
        .into_iter()
        .map(|s| &message[s.start..s.end])
        .filter(|s| s.contains('?'))
        .collect();
    !questions.is_empty()
        && questions.iter().all(|q| {
            let t = Normalized::new(q);
            let asks_what = t.words().any(crate::analysis::is_question_word) || t.contains("qu est ce");
            // "Qui", "où" and "que" ask at the start ("Qui décide ?", "Où en êtes-vous ?");
            // further on they join clauses ("un outil qui vous aide", "mardi ou jeudi").
            let starts_asking = t.words().take(2).any(|w| matches!(w, "qui" | "ou" | "que" | "qu"));
            !asks_what && !starts_asking
        })
}

/// Lines by the prospect's mood: warm (interested or ready to buy), neutral, or cold
/// (skeptical or hostile).
fn by_mood(mood: Mood, warm: Vec<String>, neutral: Vec<String>, cold: Vec<String>) -> Vec<String> {
    match mood {
        Mood::ReadyToBuy | Mood::Interested => warm,
        Mood::Neutral => neutral,
        Mood::Skeptical | Mood::Hostile => cold,
    }
}
