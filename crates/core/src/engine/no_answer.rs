//! What the prospect says to a question the scenario holds nothing on: in persona, never
//! inventing a figure, a name or a date (a turn that asks nothing is in `acknowledge`).

use super::variety::{keep_said, said_sentences, sentence_keys};
use super::wording::agree;
use super::*;
use crate::text::Normalized;

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
    // (A yes or no on a guess: an open question asked "à votre avis" wants more.)
    let opinion = closed_question(message)
        && text
            .find_any(&[
                "vous pensez que",
                "vous pensez qu",
                "selon vous",
                "d apres vous",
                "a votre avis",
                "vous croyez",
            ])
            .is_some();
    // Asked what would win someone over ("qu'est-ce qui rassurerait Gérard ?", "qu'est-ce
    // qu'il faudrait leur montrer ?"), with nothing in the scenario on it: what anyone would
    // need, said in a few words, and the ball sent back.
    let win_over = !closed_question(message)
        && text
            .find_any(&[
                "rassurerait",
                "rassurer",
                "convaincrait",
                "convaincre",
                "faudrait leur montrer",
                "faudrait leur proposer",
                "pour qu ils acceptent",
                "pour qu elle accepte",
                "pour qu il accepte",
                "les faire adherer",
                "les embarquer",
            ])
            .is_some();
    if win_over {
        return vec![
            "Du concret : qu’on leur montre, sur leur propre travail, ce que ça leur change.".into(),
            "Qu’ils voient que ça ne leur complique pas la vie. Le reste, c’est à vous de le montrer.".into(),
            "Pas un discours, en tout cas. Qu’ils essaient, et qu’on les écoute s’ils coincent.".into(),
        ];
    }
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
pub(super) fn by_mood(mood: Mood, warm: Vec<String>, neutral: Vec<String>, cold: Vec<String>) -> Vec<String> {
    match mood {
        Mood::ReadyToBuy | Mood::Interested => warm,
        Mood::Neutral => neutral,
        Mood::Skeptical | Mood::Hostile => cold,
    }
}
