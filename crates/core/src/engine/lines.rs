//! What the prospect says: a move turned into a French line, coloured by the mood, never
//! a sentence already said in the session.

use super::heard::{
    asks_if_others_come, asks_which_day, either_me_or_you, offered_figure, offered_slots, sending_only, signing,
    trying, with_someone_else,
};
use super::no_answer;
use super::variety::{keep_said, pick_unused, said_sentences, sentence_keys};
use super::wording::{
    agree, last_revealed_hidden, mentioned_competitor, objection_point, on_the_phone, quoted_in, short_name,
    without_connective,
};
use super::*;
use crate::text::{Normalized, french_typography};

/// Turns a move into a French line that has not been said before in this session.
pub(super) fn realise(
    scenario: &Scenario,
    state: &mut SessionState,
    prospect_move: Move,
    mood: Mood,
    (fact, recalled): (Option<usize>, Option<&str>),
    (message, patterns): (&str, &[crate::analysis::Detection]),
) -> String {
    // A date to sign ("signature vendredi") is no meeting: the deal is what is agreed.
    let signing_date = {
        let t = Normalized::new(message);
        t.find_any(&["signature", "signer", "signez", "signee", "bon de commande", "devis revise"]).is_some()
            && t.find_any(&["rendez vous", "demo", "demonstration", "reunion", "visite", "rencontre", "visio"])
                .is_none()
    };
    let meeting = patterns.iter().any(|d| d.pattern == crate::analysis::PatternId::NextStepProposal) && !signing_date;
    let traded = patterns.iter().any(|d| d.pattern == crate::analysis::PatternId::TradedConcession) && !meeting;
    let slots = if prospect_move == Move::AcceptNextStep && meeting { offered_slots(message) } else { None };
    let bodies: Vec<String> = match prospect_move {
        Move::Answer => match fact {
            Some(i) => {
                state.facts_revealed.push(i);
                state.facts_revealed_at.push(state.exchanges + 1);
                vec![scenario.facts[i].line.trim().to_owned()]
            }
            None => vec!["Je crois que je vous ai dit l’essentiel sur notre situation.".into()],
        },
        Move::NothingMoreToTell => vec![
            "Je crois que je vous ai dit l’essentiel. À vous : qu’est-ce que vous proposez, concrètement ?".into(),
            "Là, vous en savez autant que moi sur notre situation. Et vous, qu’avez-vous à me proposer ?".into(),
            "Je n’ai pas grand-chose à ajouter. Qu’est-ce que vous en retenez ?".into(),
        ],
        Move::ShortAnswer => vec![
            "Oui, en gros.".into(),
            "Non, pas vraiment.".into(),
            "En partie, oui.".into(),
            "Ça dépend des semaines.".into(),
            "Oui. Pourquoi cette question ?".into(),
            "Pas exactement, non.".into(),
        ],
        Move::RaiseObjection => match state.pending_objection {
            Some(i) => vec![scenario.hidden_objections[i].surface.clone()],
            None => vec![format!("Je ne suis pas encore {}, pour être honnête.", agree(scenario, "convaincu"))],
        },
        Move::PressObjection => match state.pending_objection {
            Some(i) => {
                let surface = &scenario.hidden_objections[i].surface;
                let gesture = Normalized::new(message)
                    .find_any(&["remise", "rabais", "ristourne", "geste commercial", "pourcent", "reduction"])
                    .is_some();
                let mut lines = match objection_point(scenario, state, i) {
                    Some(point) if gesture => vec![
                        format!("Ce n’est pas une question de remise : {}", quoted_in(scenario, surface)),
                        format!("Une remise ne règle pas mon problème : {point}"),
                    ],
                    Some(point) => vec![
                        format!("Vous ne répondez pas à ce que je vous dis : {}", quoted_in(scenario, surface)),
                        format!("Ça ne règle pas mon problème : {point}"),
                        format!("Je vous le redis : {}", quoted_in(scenario, surface)),
                    ],
                    // Named once already: not quoted again.
                    None => vec![
                        "Ça ne change rien à ce que je vous ai dit.".to_owned(),
                        "On tourne en rond : ma réserve tient toujours.".to_owned(),
                        "Je vous ai dit ce qui me gênait, et je n’ai rien entendu qui me rassure.".to_owned(),
                    ],
                };
                // "Une vraie question" only when the objection asked one.
                if surface.contains('?') {
                    lines.push("Je vous ai posé une vraie question, là.".into());
                }
                lines
            }
            None => vec!["Je reste sur ma position.".into()],
        },
        Move::RevealHidden => match last_revealed_hidden(state) {
            Some(i) => vec![scenario.hidden_objections[i].hidden_line.clone()],
            None => vec!["Bon, je vais être franc avec vous.".into()],
        },
        Move::ReactToPrice => {
            // Never a price the learner did not give; a prospect who objected on price
            // keeps to it.
            let price_objection = scenario.hidden_objections.iter().zip(&state.objections).any(|(o, s)| {
                s.raised_at.is_some()
                    && crate::text::Normalized::new(&o.surface)
                        .find_any(&["cher", "prix", "euros", "budget", "tarif"])
                        .is_some()
            });
            let conceded =
                patterns.iter().any(|d| d.pattern == crate::analysis::PatternId::ConcessionWithoutCounterpart);
            // A gesture on the terms (the deposit, the schedule) is weighed as terms.
            let on_terms = Normalized::new(message)
                .find_any(&["acompte", "echeancier", "paiement", "payer en", "en plusieurs fois", "solde"])
                .is_some();
            if conceded && on_terms {
                vec![
                    "Sur l’échéancier, c’est un pas. Mais je vous l’ai dit : je paie quand ça marche.".into(),
                    "C’est mieux. Et qu’est-ce que vous demandez en échange ?".into(),
                ]
            } else if conceded {
                vec![
                    "Tiens, le prix bouge déjà ? Alors vous pouvez faire mieux.".into(),
                    "C’est un début. Et à part ça, qu’est-ce que vous pouvez faire ?".into(),
                    "Si vous baissez si vite, c’est que vous aviez de la marge.".into(),
                ]
            } else if price_objection {
                vec![
                    "Justement, le prix, c’est bien ce qui coince.".into(),
                    "Parlons-en, du prix : c’est là que vous ne me convainquez pas.".into(),
                ]
            } else {
                vec![
                    "On parle déjà de prix ? Je ne sais même pas encore ce que ça comprend.".into(),
                    "Le prix viendra après. Dites-moi d’abord ce que ça changerait pour nous.".into(),
                    "Avant de parler d’argent, j’aimerais savoir si j’en ai besoin.".into(),
                ]
            }
        }
        Move::ReactToProof => {
            // The client the learner cited, if any: never one nobody mentioned.
            let text = Normalized::new(message);
            let cited = crate::engine::proof_names(scenario)
                .into_iter()
                .map(|n| company_name(&n))
                .find(|n| !n.is_empty() && text.contains(n));
            let mut lines = vec![
                "Des chiffres, c’est bien. Mais chez nous, ce serait comparable ?".to_owned(),
                "D’accord, ça a marché ailleurs. Nous, on a nos particularités.".to_owned(),
                "Sur le papier, c’est convaincant. Reste à voir chez nous.".to_owned(),
                "Je veux bien vous croire, mais je demande à voir sur nos chiffres.".to_owned(),
            ];
            // A case told about another company: who they were, and whether to call them.
            let case = cited.is_some()
                || text
                    .find_any(&["un client", "nos clients", "chez", "une entreprise", "une societe", "un cabinet"])
                    .is_some();
            if case {
                lines.push("C’était une entreprise de notre taille ?".to_owned());
                lines.push("Ça me parle davantage qu’un discours. Je pourrais les appeler ?".to_owned());
            }
            if let Some(who) = cited {
                lines.insert(0, format!("{who}, je connais de nom. Et chez eux, ça a donné quoi, concrètement ?"));
            }
            lines
        }
        Move::ReactToCompetitor => match mentioned_competitor(scenario, &Normalized::new(message)) {
            Some(c) => vec![
                format!("{}, on connaît. Qu’est-ce que vous faites de mieux, concrètement ?", short_name(&c.name)),
                format!("On a regardé {} aussi. Qu’est-ce qui vous différencie ?", short_name(&c.name)),
                format!("{} ? Ils ont leurs forces. Et vous, qu’apportez-vous de plus ?", short_name(&c.name)),
            ],
            None => vec!["Les concurrents, je les connais. Qu’est-ce qui vous différencie ?".into()],
        },
        // Once a step is agreed, a practical either-or ("vous lui en parlez, ou je
        // l'appelle ?") gets a choice: the prospect keeps their own people in hand.
        Move::NothingOnIt | Move::AcceptNextStep if state.converted && either_me_or_you(message) => {
            vec![
                "Alors, laissez-moi lui en parler d’abord, je vous tiens au courant.".into(),
                "Bon, je préfère m’en charger moi-même, ce sera mieux reçu.".into(),
            ]
        }
        // Asked whether others will come to the step agreed: the prospect sees to it.
        Move::AcceptNextStep if state.converted && asks_if_others_come(message) => vec![
            "Je leur en parle dès aujourd’hui et je vous confirme qui sera là.".into(),
            "Je m’en occupe : je vous dis d’ici demain qui pourra venir.".into(),
        ],
        // The slot picked, asked about again ("c'est mardi ou jeudi, finalement ?").
        Move::NothingOnIt | Move::AcceptNextStep
            if state.converted && state.agreed_slot.is_some() && asks_which_day(message) =>
        {
            let slot = state.agreed_slot.clone().unwrap_or_default();
            vec![format!("On a dit {slot}, c’est noté de mon côté."), format!("C’est bien {slot}, comme convenu.")]
        }
        // A gesture traded for the deal, taken: the prospect agrees to the terms.
        Move::AcceptNextStep if traded => match own_figure(state, message) {
            Some(figure) => vec![
                format!("À {figure}, dans ces conditions, c’est d’accord. On peut partir là-dessus."),
                format!("{figure}, avec ces engagements… Oui, je peux le défendre. C’est d’accord."),
            ],
            None => vec![
                "Dans ces conditions, ça me va. On peut partir là-dessus.".into(),
                "Avec cet effort, je peux le défendre en interne. C’est d’accord.".into(),
            ],
        },
        // The order form handed over once the deal is agreed: the prospect signs it.
        Move::AcceptNextStep if state.converted_at.is_some_and(|at| at <= state.exchanges) && signing(message) => {
            vec![
                "Donnez, je signe. Voilà, c’est fait.".into(),
                "Passez-moi ça. Voilà, c’est signé.".into(),
                "Allez, je signe. Et on s’y tient.".into(),
            ]
        }
        // A step already agreed, proposed again: the prospect confirms it, once more.
        Move::AcceptNextStep if state.converted_at.is_some_and(|at| at <= state.exchanges) => {
            let mut lines: Vec<String> =
                vec!["C’est déjà noté de mon côté.".into(), "C’est entendu, comme convenu.".into()];
            // The agenda only holds a meeting.
            lines.push(if state.agreed_slot.is_some() || meeting {
                "Entendu, je m’organise de mon côté. C’est dans mon agenda.".into()
            } else {
                "Oui, on reste sur ce qu’on a dit.".into()
            });
            lines
        }
        // A meeting proposed: the prospect takes the slot. A commitment asked for (a
        // closing without a meeting): the prospect commits, without speaking of a slot.
        // Two slots offered ("mardi 8 h, ou jeudi 7 h 30 ?"): the prospect picks one.
        Move::AcceptNextStep if slots.is_some() => {
            let slots = slots.as_ref().map_or(&[][..], |s| &s[..]);
            let slot = slots.get(usize::from(state.exchanges % 2 == 1)).map_or("", String::as_str).to_owned();
            state.agreed_slot = Some(slot.clone());
            vec![
                format!("Plutôt {slot}, ça m’arrange mieux. Envoyez-moi l’invitation."),
                format!("Va pour {slot}. Je vous laisse m’envoyer l’invitation."),
            ]
        }
        // A signature asked for, on the spot: the prospect signs.
        Move::AcceptNextStep if signing(message) => {
            vec![
                "Allez, c’est d’accord. Laissez-moi le bon de commande, je fais le nécessaire.".into(),
                "Bon. On y va : donnez-moi le bon, je m’en occupe.".into(),
            ]
        }
        // A trial proposed: the prospect agrees to try, and to take stock at the end.
        Move::AcceptNextStep if trying(message) => vec![
            "D’accord pour l’essai. On démarre comme ça, et on fait le point à la fin.".into(),
            "Va pour l’essai. Si ça tient sur le terrain, on en reparle sérieusement.".into(),
        ],
        // Papers to send, no meeting ("je vous envoie le récapitulatif et le contrat cet
        // après-midi"): the prospect waits for them; there is no « rendez-vous » to prepare.
        Move::AcceptNextStep if meeting && sending_only(message) => vec![
            "Très bien, envoyez-moi ça, je le regarde dès réception.".into(),
            "Parfait. J’attends vos documents et je fais suivre de mon côté.".into(),
        ],
        // A meeting asked for with someone else ("pouvez-vous m'obtenir trente minutes avec
        // lui mercredi ?"): the prospect arranges it, it does not attend it in their place.
        Move::AcceptNextStep if meeting && with_someone_else(message) => vec![
            "D’accord, je lui en parle aujourd’hui et je vous confirme le créneau.".into(),
            "Entendu, je lui transmets et je reviens vers vous pour confirmer.".into(),
        ],
        Move::AcceptNextStep if meeting => {
            let product = super::wording::product_as_heard(scenario, state, message);
            vec![
                format!("D’accord, allons-y. Envoyez-moi une invitation et on regarde {product} ensemble."),
                "Ça me va. Je bloque le créneau, envoyez-moi la confirmation par écrit.".into(),
                format!(
                    "Très bien, je suis {}. Préparez-moi quelque chose de concret pour ce rendez-vous.",
                    agree(scenario, "partant")
                ),
                "Entendu, je le note dans mon agenda. Envoyez-moi l’ordre du jour avant.".into(),
                format!("Va pour ce créneau. J’attends de voir {product} sur nos cas à nous."),
            ]
        }
        Move::AcceptNextStep => vec![
            "D’accord. Envoyez-moi ce qu’il faut par écrit, et on avance.".into(),
            "Bon, c’est d’accord. Préparez-moi les documents, je m’en occupe de mon côté.".into(),
            "Oui, on peut avancer sur cette base. Mettez-moi tout ça noir sur blanc.".into(),
            "C’est entendu. On part là-dessus.".into(),
        ],
        Move::RefuseNextStep => match state.pending_objection {
            // Not before the objection on the table is answered.
            // Not before the objection on the table is answered, which the refusal names
            // (a prospect never says "objection").
            Some(i) => {
                // A meeting or a signature: the refusal names what was asked.
                let meeting = patterns.iter().any(|d| d.pattern == crate::analysis::PatternId::NextStepProposal);
                match objection_point(scenario, state, i) {
                    Some(point) => vec![
                        format!("Pas si vite. Il reste ce point : {point}"),
                        if meeting {
                            format!("Avant de parler de rendez-vous, répondez-moi là-dessus : {point}")
                        } else if scenario.skill_slug == "recommandation" {
                            format!(
                                "Avant que je vous mette en relation avec qui que ce soit, répondez-moi là-dessus : {point}"
                            )
                        } else {
                            format!("Avant de signer quoi que ce soit, répondez-moi là-dessus : {point}")
                        },
                        format!("On n’en est pas là : {point}"),
                    ],
                    None => vec![
                        "Pas tant que ce que je vous ai dit n’est pas réglé.".to_owned(),
                        "Je vous ai dit ce qui me retenait ; ça n’a pas bougé.".to_owned(),
                        "Non, pas encore : ma réserve de tout à l’heure tient toujours.".to_owned(),
                    ],
                }
            }
            // Early in a first call, it is too soon; later (or in a call that follows others:
            // a negotiation, a closing, a follow-up, a referral), not convinced yet.
            None if state.exchanges < 5 && !later_stage(scenario) => vec![
                "Pas si vite. Je n’ai pas encore vu en quoi ça nous concerne.".to_owned(),
                "Je ne vais pas m’engager maintenant, on vient à peine d’en parler.".to_owned(),
                "C’est prématuré. Montrez-moi d’abord ce que ça change pour nous.".to_owned(),
            ],
            None => vec![
                "Pas encore. J’ai besoin d’en voir un peu plus avant de m’engager.".to_owned(),
                "J’ai besoin d’y réfléchir avant de m’engager sur quoi que ce soit.".to_owned(),
                format!(
                    "Je ne dis pas non, mais je ne suis pas {} à bloquer une date aujourd’hui.",
                    agree(scenario, "prêt")
                ),
                // In a call that follows others, the interest is known: what is missing is
                // the terms, not the point of meeting.
                if meeting && later_stage(scenario) {
                    "Un rendez-vous, pas encore. Je veux d’abord que les conditions tiennent debout.".to_owned()
                } else if meeting {
                    format!(
                        "Un rendez-vous ? Il faudrait d’abord que je sois {} de l’intérêt.",
                        agree(scenario, "convaincu")
                    )
                } else {
                    format!(
                        "M’engager ? Il faudrait d’abord que je sois {} que ça vaut le coup.",
                        agree(scenario, "convaincu")
                    )
                },
            ],
        },
        Move::Acknowledge => acknowledge::acknowledge(scenario, state, mood, message),
        Move::PushBack => vec![
            "Je n’aime pas beaucoup qu’on me mette la pression.".into(),
            "Sur ce ton-là, on ne va pas aller bien loin.".into(),
            "Je préfère me faire mon propre avis, merci.".into(),
        ],
        Move::WrapUp => vec![
            "Écoutez, je vais devoir m’arrêter là. Envoyez-moi ça par email.".into(),
            "Je dois vous laisser, on en reparlera.".into(),
            "Bon, je crois qu’on a fait le tour. Je dois vous laisser.".into(),
        ],
        Move::FinalWords => {
            vec!["Je dois vraiment y aller. Merci, au revoir.".into(), "Il faut que j’y aille. Au revoir.".into()]
        }
        Move::NotYet => vec![
            "Vous partez déjà ? On vient à peine de commencer.".into(),
            "Déjà ? Vous m’appelez et vous repartez sans rien me demander ?".into(),
            "Ah… c’est tout ? Je pensais que vous aviez des questions.".into(),
        ],
        Move::Goodbye => {
            // "À vous aussi" only answers a wish the learner made.
            let wished = Normalized::new(message)
                .find_any(&[
                    "bonne journee",
                    "bonne soiree",
                    "bon week end",
                    "bonne fin",
                    "bonne continuation",
                    "bon apres midi",
                ])
                .is_some();
            let mut lines: Vec<String> = if state.converted {
                vec![
                    "Parfait, c’est noté de mon côté. Au revoir.".into(),
                    "Très bien, à bientôt alors. Au revoir.".into(),
                ]
            } else {
                vec!["Merci à vous, au revoir.".into(), "Au revoir.".into(), "Merci, au revoir.".into()]
            };
            if wished {
                lines.insert(0, "Merci, à vous aussi. Au revoir.".into());
                lines.insert(1, "Bonne journée à vous aussi.".into());
            }
            lines
        }
        Move::HangUp => {
            vec!["(agacé) Bon, on va s’arrêter là. Au revoir.".into(), "Non, ça ne m’intéresse pas. Au revoir.".into()]
        }
        Move::AlreadyAsked => vec![
            "Vous me l’avez déjà demandé.".into(),
            "Vous l’avez déjà dit, ça.".into(),
            "On tourne en rond, là : vous m’avez déjà posé la question.".into(),
            "Je vous ai déjà répondu là-dessus.".into(),
        ],
        Move::AlreadySaid => {
            // A reminder of the sentence that answers, in other words around it; the bare
            // "I told you" only once every way of putting it is used.
            let said_before = fact.map(|i| scenario.facts[i].line.as_str()).or(recalled);
            let reminders: Vec<String> = said_before
                .map(|said_before| {
                    let turn = crate::analysis::topics::Stemmed::of(
                        &crate::analysis::lexicon::french_stemmer(),
                        &Normalized::new(message),
                    );
                    let figure = crate::analysis::relevance::asks_for_figure(&Normalized::new(message));
                    let best = crate::analysis::relevance::best_sentence(said_before, &turn, figure);
                    // Quoted once again at most: the line, then one reminder.
                    if state.used_lines.iter().filter(|l| l.contains(best.trim_end_matches(['.', '!', '…']))).count()
                        >= 2
                    {
                        return Vec::new();
                    }
                    // "Sachant que si l'assureur augmente…" is quoted from its main clause.
                    let said = quoted_in(scenario, without_connective(best));
                    [
                        "Comme je vous le disais,",
                        "Je vous l’ai dit :",
                        "Je le disais tout à l’heure :",
                        "Je vous le redis :",
                    ]
                    .iter()
                    .map(|lead| french_typography(&format!("{lead} {said}")))
                    .collect()
                })
                .unwrap_or_default();
            // Their words said back more than once: the prospect notices.
            let reminders = if state.parrotings >= 2 && fact.is_none() && recalled.is_none() {
                vec![
                    "Vous répétez ce que je dis… Qu’est-ce que vous voulez savoir, au juste ?".to_owned(),
                    "C’est ce que je viens de vous dire. Et donc ?".to_owned(),
                    "Oui, je viens de le dire. Où voulez-vous en venir ?".to_owned(),
                ]
            } else {
                reminders
            };
            let said = said_sentences(state);
            let fresh: Vec<String> =
                reminders.into_iter().filter(|l| sentence_keys(l).iter().all(|k| !said.contains(k))).collect();
            keep_said(state, said);
            if fresh.is_empty() {
                vec![
                    "Je vous l’ai dit tout à l’heure.".to_owned(),
                    "Je vous en ai déjà parlé, non ?".to_owned(),
                    "On l’a déjà vu, ce point-là.".to_owned(),
                ]
            } else {
                fresh
            }
        }
        Move::NothingOnIt => no_answer::nothing_on_it(scenario, state, message),
        Move::VagueStep => {
            // An objection still on the table comes first: asking for a date now, then
            // refusing the one given because of it, would contradict itself.
            let pending = state.pending_objection.and_then(|i| objection_point(scenario, state, i));
            // A day without a time ("jeudi dans l'après-midi"): the prospect asks for the time.
            let said = Normalized::new(message);
            let day =
                ["lundi", "mardi", "mercredi", "jeudi", "vendredi"].into_iter().find(|d| said.words().any(|w| w == *d));
            if let Some(point) = pending.filter(|_| mood >= Mood::Interested) {
                vec![
                    format!("Pourquoi pas, mais avant de parler de date, il reste ce point : {point}"),
                    format!("On verra la suite. D’abord, répondez-moi là-dessus : {point}"),
                ]
            } else if let Some(day) = day.filter(|_| mood >= Mood::Interested) {
                vec![
                    format!("{}, ça peut aller. À quelle heure, précisément ?", capitalised(day)),
                    format!("{}, pourquoi pas. Donnez-moi une heure et je le bloque.", capitalised(day)),
                ]
            } else if mood >= Mood::Interested {
                vec![
                    "Pourquoi pas. Mais proposez-moi plutôt une date précise, sinon ça va traîner.".into(),
                    "D’accord, mais fixons quelque chose de précis : vous pensiez à quel jour ?".into(),
                    "Oui, mais donnez-moi un créneau, sinon on ne le fera jamais.".into(),
                ]
            } else if Normalized::new(message)
                .find_any(&["envoie", "envoyer", "envoyez", "mail", "doc", "documentation", "plaquette"])
                .is_some()
            {
                // Something to send was offered: the prospect lets it come.
                vec![
                    "Envoyez toujours, je regarderai quand j’aurai le temps.".into(),
                    "Vous pouvez m’envoyer ça par mail, je ne vous promets rien.".into(),
                ]
            } else {
                vec![
                    "Un de ces jours, oui… On verra.".into(),
                    if on_the_phone(scenario) {
                        "Rappelez-moi si vous voulez, je ne promets rien.".into()
                    } else {
                        "Revenez vers moi si vous voulez, je ne promets rien.".into()
                    },
                    "On verra bien. Pour l’instant, je ne m’engage sur rien.".into(),
                ]
            }
        }
        Move::WeighOffer => match own_figure(state, message) {
            Some(figure) => vec![
                format!(
                    "{figure}, vous bougez enfin. Mais je ne peux pas le défendre en l’état : il me faut encore un effort."
                ),
                format!("{figure}, c’est un pas. Je le note. Qu’est-ce que vous pouvez faire de plus ?"),
                format!("À {figure}, on se rapproche. Pas encore assez pour que je signe."),
            ],
            None => vec![
                "Donnant-donnant, je peux l’entendre. Chiffrez-moi ça : qu’est-ce que ça change, concrètement ?".into(),
                "L’idée d’un échange me va. Mais il faudra que ça se voie sur le prix.".into(),
            ],
        },
        Move::OneAtATime => vec![
            "Une question à la fois, s’il vous plaît. Par laquelle voulez-vous commencer ?".into(),
            "Ça fait beaucoup de questions d’un coup. Commencez par celle qui compte le plus pour vous.".into(),
            "Doucement… Vous me posez dix questions à la fois. Laquelle vous intéresse vraiment ?".into(),
            "Vous récitez une liste, là. Posez-moi une vraie question.".into(),
        ],
        Move::OnlyConcern => vec![
            "Oui, pour l’essentiel, c’est ce point-là.".into(),
            "Si ce point est réglé, oui, on peut avancer.".into(),
            "Disons que c’est le principal, oui.".into(),
            "Oui. Le reste me paraît plutôt cohérent.".into(),
        ],
        // A technique announced by name: the prospect hears a manual, not a person.
        Move::Puzzled if patterns.iter().any(|d| d.pattern == crate::analysis::PatternId::MethodNamed) => vec![
            "On dirait que vous récitez un manuel de vente. Dites-moi simplement ce que vous voulez.".into(),
            "Je ne suis pas un exercice. Parlez-moi normalement : qu’est-ce que vous voulez savoir ?".into(),
            "Vos méthodes, gardez-les pour vous. Qu’est-ce que vous me proposez, concrètement ?".into(),
            "Encore une étiquette… Posez-moi une vraie question, ou on s’arrête là.".into(),
            "Je vous le redemande : qu’est-ce que vous voulez savoir, au juste ?".into(),
        ],
        Move::Puzzled => vec![
            "Je ne vois pas le rapport avec nous.".into(),
            "Pardon, c’est-à-dire ?".into(),
            format!("Je ne suis pas {} de comprendre la question.", agree(scenario, "sûr")),
            "Où voulez-vous en venir, exactement ?".into(),
        ],
        Move::Confirm => vec![
            "Oui, c’est exactement ça.".into(),
            "C’est bien résumé.".into(),
            "Oui, c’est ça.".into(),
            "Tout à fait, vous avez bien compris.".into(),
        ],
        Move::Opening | Move::Screen | Move::Transfer => vec![scenario.opening_line().to_owned()],
    };

    let first_body = bodies.first().map_or("", String::as_str);
    let (leads, doubtful) =
        super::leads::choose(scenario, state, prospect_move, mood, fact, message, first_body, slots.is_some());
    pick_unused(state, &bodies, &leads, doubtful)
}

/// `word` with a capital first letter ("jeudi" → "Jeudi").
fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

/// Whether the call comes after earlier ones (the offer is known): a negotiation, a
/// closing, a follow-up, a referral asked of a client.
fn later_stage(scenario: &Scenario) -> bool {
    matches!(scenario.skill_slug.as_str(), "negociation" | "closing_ponts_brules" | "relance_suivi" | "recommandation")
}

/// The figure the learner offers, unless it is one the prospect said ("40 % à la commande
/// ne vous convient pas" quotes the prospect's complaint, it offers nothing).
fn own_figure(state: &SessionState, message: &str) -> Option<String> {
    let plain = |t: &str| t.replace(['\u{a0}', '\u{202f}'], " ");
    offered_figure(message).filter(|f| !state.used_lines.iter().any(|l| plain(l).contains(&plain(f))))
}
