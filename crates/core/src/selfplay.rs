//! Self-play (issue 13): scripted learner personas play every skill at every level, and
//! the scores they get show whether the product rewards real selling. A strong seller
//! discovers with open questions on the prospect's own topics, reformulates what was said,
//! digs and isolates objections, proves and proposes a dated next step; a keyword stuffer
//! repeats technique phrases; a parrot repeats the prospect; a weak seller pitches and
//! pressures; an average one mixes both; and one says goodbye at once.
//!
//! Pure and deterministic: a persona's lines depend only on the scenario and the session.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::end::EndType;
use crate::engine::{self, Move, Scenario, SessionState, open, play_turn};
use crate::level::Level;
use crate::report::{ReportInput, Role, TranscriptMessage, build_report};
use crate::text::{normalize, sentences};

/// How a scripted learner sells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Persona {
    Strong,
    Average,
    Weak,
    KeywordStuffing,
    Parroting,
    InstantGoodbye,
}

impl Persona {
    pub const ALL: [Persona; 6] = [
        Persona::Strong,
        Persona::Average,
        Persona::Weak,
        Persona::KeywordStuffing,
        Persona::Parroting,
        Persona::InstantGoodbye,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Persona::Strong => "strong",
            Persona::Average => "average",
            Persona::Weak => "weak",
            Persona::KeywordStuffing => "keyword_stuffing",
            Persona::Parroting => "parroting",
            Persona::InstantGoodbye => "instant_goodbye",
        }
    }
}

/// The longest a scripted session may run (the scenario's cap ends it before).
const MAX_TURNS: usize = 30;

/// One played session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Game {
    pub persona: Persona,
    pub template: String,
    pub skill: String,
    pub sector: String,
    pub level: Level,
    pub seed: u64,
    pub score: u8,
    pub exchanges: u32,
    pub end_type: Option<EndType>,
    /// The prospect left because of the learner (hung up or wrapped up) before a goodbye.
    pub shown_the_door: bool,
    /// Sentences the prospect said more than once in the call.
    pub repeated_sentences: Vec<String>,
    pub converted: bool,
    /// The call, one line per message: who speaks, the gauge and move, the words, the
    /// patterns found in the learner's lines.
    pub transcript: Vec<String>,
}

/// Plays one persona on one scenario until the conversation ends.
pub fn play(scenario: &Scenario, persona: Persona) -> Game {
    let (mut state, opening) = open(scenario);
    let mut messages = vec![TranscriptMessage::new(Role::Prospect, &opening, state.gauge, vec![])];
    let mut said: Vec<String> = Vec::new();
    let mut door = false;
    let mut transcript = vec![format!("PROSPECT ({}) {opening}", state.gauge)];
    for turn_index in 0..MAX_TURNS {
        if state.ended.is_some() {
            break;
        }
        let line = next_line(scenario, &state, persona, turn_index, &said);
        let turn = play_turn(scenario, &mut state, &line);
        // Shown the door: hung up on, or sent away before the call had run its course.
        let early = turn.exchange + 2 < scenario.conversation_rules.max_exchanges;
        if !state.converted && (turn.prospect_move == Move::HangUp || (turn.prospect_move == Move::WrapUp && early)) {
            door = true;
        }
        let ids: Vec<&str> = turn.patterns.iter().map(|d| d.pattern.as_str()).collect();
        transcript.push(format!("LEARNER {line}  [{}]", ids.join(", ")));
        transcript.push(format!("PROSPECT ({}, {:?}) {}", turn.gauge, turn.prospect_move, turn.prospect_text));
        messages.push(TranscriptMessage::new(Role::User, &line, turn.gauge, turn.patterns.clone()));
        messages.push(TranscriptMessage::new(Role::Prospect, &turn.prospect_text, turn.gauge, vec![]));
        said.push(line);
    }
    let report = build_report(&ReportInput {
        session_id: 0,
        scenario,
        state: &state,
        messages: &messages,
        duration_seconds: 0,
        completed_at: String::new(),
    });
    Game {
        persona,
        template: scenario.template_id.clone(),
        skill: scenario.skill_slug.clone(),
        sector: scenario.sector.clone(),
        level: scenario.level,
        seed: scenario.seed,
        score: report.final_score,
        exchanges: state.exchanges,
        end_type: state.ended,
        shown_the_door: door,
        repeated_sentences: repeated_sentences(&messages),
        converted: state.converted,
        transcript,
    }
}

/// The prospect's sentences said twice or more in one call (stage directions aside).
pub fn repeated_sentences(messages: &[TranscriptMessage]) -> Vec<String> {
    let mut seen: BTreeMap<String, u32> = BTreeMap::new();
    for m in messages.iter().filter(|m| m.role == Role::Prospect) {
        for sentence in engine::sentence_keys(&m.content).iter().cloned() {
            *seen.entry(sentence).or_default() += 1;
        }
    }
    seen.into_iter().filter(|(_, n)| *n > 1).map(|(s, _)| s).collect()
}

/// Every persona on every template, level, sector and seed given.
pub fn tournament(catalog: &Catalog, sectors: &[&str], seeds: &[u64]) -> Vec<Game> {
    let mut games = Vec::new();
    for template in &catalog.templates {
        for level in [Level::Easy, Level::Medium, Level::Expert] {
            for sector in sectors {
                for seed in seeds {
                    let Ok(scenario) = engine::scenario(
                        catalog,
                        &template.skill_slug,
                        sector,
                        level,
                        Some(&template.template_id),
                        *seed,
                    ) else {
                        continue;
                    };
                    games.extend(Persona::ALL.iter().map(|p| play(&scenario, *p)));
                }
            }
        }
    }
    games
}

/// Scores of one persona: mean, lowest, highest, and the mean per skill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Distribution {
    pub persona: Persona,
    pub games: usize,
    pub mean: f64,
    pub min: u8,
    pub max: u8,
    pub per_skill: BTreeMap<String, f64>,
    pub shown_the_door: usize,
    pub converted: usize,
}

pub fn distributions(games: &[Game]) -> Vec<Distribution> {
    Persona::ALL
        .iter()
        .map(|persona| {
            let mine: Vec<&Game> = games.iter().filter(|g| g.persona == *persona).collect();
            let mean = |list: &[&Game]| {
                if list.is_empty() {
                    0.0
                } else {
                    list.iter().map(|g| f64::from(g.score)).sum::<f64>() / list.len() as f64
                }
            };
            let mut skills: BTreeMap<String, Vec<&Game>> = BTreeMap::new();
            for g in &mine {
                skills.entry(g.skill.clone()).or_default().push(g);
            }
            Distribution {
                persona: *persona,
                games: mine.len(),
                mean: mean(&mine),
                min: mine.iter().map(|g| g.score).min().unwrap_or(0),
                max: mine.iter().map(|g| g.score).max().unwrap_or(0),
                per_skill: skills.iter().map(|(k, v)| (k.clone(), mean(v))).collect(),
                shown_the_door: mine.iter().filter(|g| g.shown_the_door).count(),
                converted: mine.iter().filter(|g| g.converted).count(),
            }
        })
        .collect()
}

// ---- The personas' lines ----------------------------------------------------------------

fn next_line(scenario: &Scenario, state: &SessionState, persona: Persona, turn: usize, said: &[String]) -> String {
    match persona {
        Persona::Strong => strong(scenario, state, turn, said),
        Persona::Average => average(scenario, state, turn),
        Persona::Weak => weak(scenario, turn),
        Persona::KeywordStuffing => stuffing(turn),
        Persona::Parroting => format!("Si je comprends bien, {}", lower_first(&state.last_prospect_line)),
        Persona::InstantGoodbye => "Bonjour, merci, au revoir !".to_owned(),
    }
}

/// The prospect's last name with a civility, as a seller greets them.
fn address(scenario: &Scenario) -> String {
    let last = scenario.prospect.name.split_whitespace().last().unwrap_or_default();
    let feminine = engine::is_feminine(scenario);
    format!("{} {last}", if feminine { "Madame" } else { "Monsieur" })
}

/// An open question on a fact the prospect has not told yet, in the words of its cues.
fn discovery_question(scenario: &Scenario, state: &SessionState, nth: usize) -> Option<String> {
    let order = crate::catalog::DISCOVERY_ITEMS;
    let mut open: Vec<(usize, &crate::catalog::Fact)> = scenario
        .facts
        .iter()
        .enumerate()
        .filter(|(i, f)| !state.facts_revealed.contains(i) && !f.columbo_only && !f.detail)
        .collect();
    open.sort_by_key(|(i, f)| (order.iter().position(|t| *t == f.topic).unwrap_or(order.len()), *i));
    let (_, fact) = open.get(nth % open.len().max(1))?;
    // A word of the fact's own (not the item's name): "facture", "caves", "Schneider".
    let cue = fact
        .cues
        .iter()
        .find(|c| !c.contains(' ') && c.chars().count() >= 5 && !normalize(c).starts_with(&fact.topic[..4]))
        .or(fact.cues.first())
        .map_or("ce point", String::as_str);
    Some(match fact.topic.as_str() {
        "contexte" => format!("Comment est organisée votre activité aujourd’hui, côté {cue} ?"),
        "objectifs" => format!("Quels sont vos objectifs sur {cue} pour les mois qui viennent ?"),
        "moyens" => format!("Comment gérez-vous {cue} aujourd’hui, avec quels outils ?"),
        "problemes" => format!("Qu’est-ce qui vous pose le plus de difficultés avec {cue} ?"),
        "implications" => format!("Concrètement, qu’est-ce que ça vous coûte, {cue} ?"),
        "resultats" => format!("À quoi ressemblerait une réussite pour vous sur {cue} ?"),
        "besoin" => format!("De quoi auriez-vous besoin, précisément, sur {cue} ?"),
        "enjeux" => format!("Quels sont les enjeux pour vous, personnellement, autour de {cue} ?"),
        "budget" => format!("Quel budget avez-vous prévu pour {cue} ?"),
        "echeance" => format!("Pour quand souhaitez-vous avancer sur {cue} ?"),
        "decideur" => format!("Qui décide avec vous sur {cue}, et comment se passe la décision ?"),
        _ => format!("Quelles autres solutions regardez-vous pour {cue} ?"),
    })
}

/// The prospect's longest sentence of their last line, to restate it.
fn restatement(line: &str) -> Option<String> {
    let plain: String = line.split(['(', ')']).enumerate().filter(|(i, _)| i % 2 == 0).map(|(_, p)| p).collect();
    let longest = sentences(&plain)
        .into_iter()
        .map(|s| plain[s.start..s.end].trim().to_owned())
        .max_by_key(|s| s.split_whitespace().count())
        .filter(|s| s.split_whitespace().count() >= 6)?;
    // Its first clause, at most seven words: an echo of the prospect's words, not the
    // whole sentence said back (a parrot).
    let clause = longest.split([',', ';', ':']).next().unwrap_or(&longest);
    let echo: Vec<&str> = clause.split_whitespace().take(7).collect();
    Some(echo.join(" ").trim_end_matches(['.', '!', '?', '…', ' ']).to_owned())
}

fn strong(scenario: &Scenario, state: &SessionState, turn: usize, said: &[String]) -> String {
    let who = address(scenario);
    if scenario.gatekeeper.is_some() && state.reached_decision_maker_at.is_none() {
        let pain = scenario.prospect.pain_points.first().map_or("votre activité", String::as_str);
        return if turn == 0 {
            format!(
                "Bonjour Madame, merci de me répondre. Je souhaiterais parler à {}, s’il vous plaît : c’est au sujet de {}. Pourriez-vous m’aider à le joindre ?",
                scenario.prospect.name,
                lower_first(pain)
            )
        } else {
            format!(
                "Je comprends tout à fait, merci. C’est au sujet de {} : à quel moment pourrais-je le joindre, selon vous ? Pourriez-vous m’aider ?",
                lower_first(pain)
            )
        };
    }
    if state.converted {
        return "Parfait, merci pour votre temps. Je vous envoie la confirmation, au revoir !".to_owned();
    }
    let asked_step = said.iter().filter(|l| l.contains("vous propose")).count();
    // An objection whose hidden side just came out: isolate it before moving on.
    if state.objection_on_table && state.pending_objection.is_none() && state.last_move == Move::RevealHidden {
        let isolate = [
            "Merci de me le dire franchement, c’est légitime. À part ce point, est-ce que le reste vous convient ?",
            "Je comprends mieux, merci. Si on règle cette question, est-ce la seule chose qui vous retient ?",
            "C’est un vrai sujet, je l’entends. Mis à part cela, le projet vous paraît-il pertinent ?",
        ];
        let fresh = isolate.iter().find(|o| !said.iter().any(|s| s == *o)).unwrap_or(&isolate[turn % isolate.len()]);
        return (*fresh).to_owned();
    }
    // An objection on the table comes first: dig, then isolate, then answer on the stakes.
    if let Some(i) = state.pending_objection {
        let surface = restatement(&scenario.hidden_objections[i].surface).unwrap_or_default();
        let digs = [
            format!(
                "Je comprends, c’est une vraie question. Quand vous dites « {surface} », qu’est-ce qui vous fait dire ça, exactement ?"
            ),
            "Je l’entends. Par rapport à quoi, précisément ? Qu’est-ce qui vous freine le plus, là-dedans ?".to_owned(),
            "C’est légitime. Qu’est-ce qui vous inquiète vraiment, derrière ça ?".to_owned(),
        ];
        let isolate = [
            "Merci de me le dire franchement, c’est légitime. À part ce point, est-ce que le reste vous convient ?"
                .to_owned(),
            "Je comprends. Si on règle cette question, est-ce la seule chose qui vous retient ?".to_owned(),
        ];
        let options: &[String] = if state.objections[i].hidden_revealed { &isolate } else { &digs };
        // A good seller varies the wording: a phrasing whose opening was not said yet.
        let opening = |o: &String| o.chars().take(24).collect::<String>();
        let fresh = options
            .iter()
            .find(|o| !said.iter().any(|s| s.starts_with(&opening(o))))
            .or_else(|| options.iter().find(|o| !said.contains(o)))
            .unwrap_or(&options[turn % options.len()]);
        return fresh.clone();
    }
    let facts_known = state.facts_revealed.len();
    let discovered_enough = facts_known >= 5 || turn >= 9;
    if discovered_enough && asked_step < 3 {
        let proof = scenario
            .proof
            .case_studies
            .first()
            .map(|c| {
                format!(
                    "Chez {}, {}",
                    c.client,
                    lower_first(c.results.values().next().and_then(|v| v.as_str()).unwrap_or_default())
                )
            })
            .unwrap_or_default();
        return if asked_step == 0 && !proof.is_empty() {
            format!(
                "Si je comprends bien, tout cela vous coûte du temps et de la marge. {proof} : ce qui vous permettrait d’avancer sur ce qui compte pour vous. Je vous propose un rendez-vous mardi à 10h pour regarder {} sur vos cas concrets, ça vous convient ?",
                scenario.product.name
            )
        } else {
            format!(
                "{who}, je vous propose qu’on se voie jeudi à 14h avec les personnes concernées pour valider ensemble la démarche. Ça vous convient ?"
            )
        };
    }
    let question = discovery_question(scenario, state, turn)
        .unwrap_or_else(|| "Qu’est-ce qui serait le plus important pour vous dans la suite de ce projet ?".to_owned());
    match (turn, restatement(&state.last_prospect_line)) {
        (0, _) => format!("Bonjour {who}, merci de prendre ce temps. {question}"),
        (_, Some(heard)) if state.last_move == Move::Answer && turn % 2 == 1 => {
            format!("Si je vous suis bien, « {heard} » : c’est ce qui pèse le plus aujourd’hui. {question}")
        }
        _ => format!("D’accord. {question}"),
    }
}

fn average(scenario: &Scenario, state: &SessionState, turn: usize) -> String {
    if state.converted || turn >= 9 {
        return "Très bien, merci, au revoir.".to_owned();
    }
    match turn {
        0 => "Bonjour, je vous appelle pour vous présenter notre solution. Vous avez deux minutes ?".to_owned(),
        1 | 4 => {
            discovery_question(scenario, state, turn).unwrap_or_else(|| "Et comment ça se passe aujourd’hui ?".into())
        }
        2 => "Vous avez déjà un outil pour ça ?".to_owned(),
        3 => format!(
            "{} permet de {}. C’est très complet.",
            scenario.product.name,
            lower_first(scenario.product.how_it_works.key_features.first().map_or("tout gérer", String::as_str))
        ),
        5 => "Et ça vous convient, aujourd’hui ?".to_owned(),
        6 => "D’accord, je comprends. Qu’est-ce qui vous freinerait ?".to_owned(),
        _ => "On pourrait se voir mardi à 10h pour une démonstration ?".to_owned(),
    }
}

fn weak(scenario: &Scenario, turn: usize) -> String {
    let product = &scenario.product.name;
    let lines = [
        format!(
            "Bonjour, je vous présente {product}, la meilleure solution du marché : nous sommes leaders, notre société est reconnue et nos produits sont les plus complets."
        ),
        "Notre solution a toutes les fonctionnalités, nous avons une équipe formidable et notre technologie est unique.".to_owned(),
        "Vous devez absolument signer maintenant, je vous fais 20 % de remise tout de suite !".to_owned(),
        "Franchement, vos fournisseurs actuels sont des rigolos, c’est du bricolage.".to_owned(),
        "C’est maintenant ou jamais, signez aujourd’hui.".to_owned(),
        "Nous sommes les meilleurs, notre offre est imbattable, nous avons des centaines de clients.".to_owned(),
    ];
    lines[turn % lines.len()].clone()
}

fn stuffing(turn: usize) -> String {
    const LINES: &[&str] = &[
        "Si je comprends bien, qu’est-ce qui vous fait dire ça ? Racontez-moi.",
        "Contexte, objectifs, moyens, problèmes, implications, résultats : racontez-moi ?",
        "Je comprends, c’est tout à fait légitime. À part ce point, qu’est-ce qui vous retient ? Concrètement pour vous, ce qui vous permet de gagner.",
        "Une dernière question : on démarre ? Je vous propose un rendez-vous mardi à 10h.",
    ];
    LINES[turn % LINES.len()].to_owned()
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default()
}
