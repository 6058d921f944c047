//! The gatekeeper of cold-calling templates: an assistant who screens the call until the
//! learner earns the transfer (METHODS.md: courtesy, the decision-maker's name, a reason
//! that concerns the company, enlisting the assistant's help; never bullying).

use super::turn::finish_turn;
use super::{Move, Scenario, SessionState, Turn, clamp_gauge};
use crate::analysis::{Detection, PatternId};
use crate::catalog::Gatekeeper;
use crate::level::Level;
use crate::text::Normalized;

const COURTESY: &[&str] = &["bonjour", "merci", "s il vous plait", "je vous remercie", "madame", "monsieur"];
const REASON: &[&str] = &[
    "au sujet",
    "a propos",
    "concernant",
    "ca concerne",
    "cela concerne",
    "c est pour",
    "pour parler",
    "pour lui parler",
    "suite a",
    "je l appelle",
    "je souhaite lui",
    "je voudrais lui",
    "c est au sujet",
];
const HELP: &[&str] = &[
    "pourriez vous",
    "pouvez vous m aider",
    "vous pourriez",
    "m aider",
    "me conseiller",
    "quel serait le meilleur moment",
    "quand puis je",
    "a quel moment",
    "quand est ce que",
    "vous me conseillez",
    "le meilleur moment",
];

/// What the learner must gather before the transfer, by level.
fn threshold(level: Level) -> i32 {
    match level {
        Level::Easy => 2,
        Level::Medium => 3,
        Level::Expert => 4,
    }
}

/// The gatekeeper, while they still screen the call.
pub(super) fn screening<'a>(scenario: &'a Scenario, state: &SessionState) -> Option<&'a Gatekeeper> {
    scenario.gatekeeper.as_ref().filter(|_| state.reached_decision_maker_at.is_none())
}

/// Plays a learner turn addressed to the gatekeeper.
pub(super) fn turn(
    scenario: &Scenario,
    gatekeeper: &Gatekeeper,
    state: &mut SessionState,
    message: &str,
    patterns: Vec<Detection>,
    delta: i32,
) -> Turn {
    let exchange = state.exchanges + 1;
    let text = Normalized::new(message);
    let has = |p: PatternId| patterns.iter().any(|d| d.pattern == p);
    let names: Vec<&str> = scenario.prospect.name.split_whitespace().filter(|w| w.chars().count() >= 3).collect();
    let mut points = 0;
    points += i32::from(names.iter().any(|n| text.contains(n)));
    points += i32::from(text.find_any(COURTESY).is_some());
    let reason = text.find_any(REASON).is_some() || text.contains(&scenario.prospect.company);
    points += i32::from(reason);
    points += i32::from(text.find_any(HELP).is_some());
    if has(PatternId::AggressiveTone) || has(PatternId::Pushy) {
        points -= 2;
    }
    state.gatekeeper_points += points;
    state.gatekeeper_turns += 1;

    let user_bye = crate::end::user_said_bye(message, &scenario.conversation_rules.end_triggers);
    let before = state.gauge;
    state.gauge = clamp_gauge(i32::from(before) + delta);
    let dm = &scenario.prospect.name;
    // The decision-maker's pronoun, for the lines about them.
    let (il, s_il, pris) =
        if super::wording::is_feminine(scenario) { ("elle", "si elle", "prise") } else { ("il", "s’il", "pris") };
    let (prospect_move, candidates): (Move, Vec<String>) = if user_bye {
        (Move::Goodbye, vec!["Au revoir, bonne journée.".into(), "Très bien. Au revoir.".into()])
    } else if state.gatekeeper_points >= threshold(scenario.level) && (reason || state.gatekeeper_turns >= 2) {
        // An assistant puts a call through once they know what it is about.
        state.reached_decision_maker_at = Some(exchange);
        (
            Move::Transfer,
            vec![
                format!("Bon… Ne quittez pas, je vous passe {dm}. (tonalité) Oui, {dm}, j’écoute."),
                format!("Un instant, je vais voir {s_il} peut vous prendre. (attente) Allô, {dm} à l’appareil."),
            ],
        )
    } else if state.gatekeeper_turns >= 5 && !state.callback_offered {
        state.callback_offered = true;
        (
            Move::Screen,
            vec![
                format!(
                    "Écoutez, {dm} est vraiment très {pris}. Rappelez jeudi après 17 h, je lui dirai que vous avez appelé."
                ),
                format!("Le mieux, c’est de rappeler demain en fin de matinée : {il} sera plus disponible."),
            ],
        )
    } else {
        // Asked for nothing yet: what is it about? Then the usual screening.
        let lines: Vec<String> = if state.gatekeeper_turns <= 1 && !reason {
            vec![
                "C’est à quel sujet ?".to_owned(),
                "Vous êtes de quelle société, et c’est à quel sujet ?".to_owned(),
                format!("{dm} est en rendez-vous. C’est à quel sujet ?"),
            ]
        } else {
            let mut lines = gatekeeper.typical_responses.clone();
            lines.push("Je peux prendre un message, si vous voulez.".to_owned());
            if state.gatekeeper_turns >= 2 {
                lines.push(format!("Je vous l’ai dit, {il} n’est pas disponible pour le moment."));
                lines.push("C’est à quel sujet, exactement ?".to_owned());
            }
            lines
        };
        (Move::Screen, lines)
    };
    let line = super::variety::pick_unused(state, &candidates, &[""], false);
    finish_turn(
        scenario,
        state,
        message,
        exchange,
        line,
        prospect_move,
        patterns,
        i32::from(state.gauge) - i32::from(before),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::engine::{open, play_turn, scenario};

    fn gatekept(level: Level) -> Scenario {
        let catalog = Catalog::embedded().expect("catalogue");
        let mut s = scenario(&catalog, "ecoute_active", "generic", level, None, 3).expect("scenario");
        s.gatekeeper = Some(Gatekeeper {
            name: "Nathalie".into(),
            role: "Assistante de direction".into(),
            personality: "protective".into(),
            typical_responses: vec!["C’est à quel sujet ?".into(), "Il est en réunion.".into()],
            passes_when: "Le nom du dirigeant, une raison qui le concerne, de la courtoisie.".into(),
        });
        s.scenario_flow.opening.gatekeeper_first_response = Some("Standard, bonjour ?".into());
        s
    }

    #[test]
    fn a_courteous_learner_with_a_name_and_a_reason_is_put_through() {
        let s = gatekept(Level::Easy);
        let (mut state, opening) = open(&s);
        assert_eq!(opening, "Standard, bonjour\u{202f}?");
        let first = s.prospect.name.split_whitespace().last().unwrap_or_default().to_owned();
        let turn = play_turn(
            &s,
            &mut state,
            &format!("Bonjour madame, je souhaiterais parler à M. {first}, c’est au sujet de vos tableaux de bord."),
        );
        assert_eq!(turn.prospect_move, Move::Transfer, "{turn:#?}");
        assert_eq!(state.reached_decision_maker_at, Some(1));
        assert!(turn.prospect_text.contains(&s.prospect.name));
        // From now on, the decision-maker answers.
        let next = play_turn(&s, &mut state, "Comment gérez-vous vos reportings aujourd’hui ?");
        assert_ne!(next.prospect_move, Move::Screen);
    }

    #[test]
    fn a_pushy_learner_stays_blocked_and_never_hears_the_same_line_twice() {
        let s = gatekept(Level::Expert);
        let (mut state, _) = open(&s);
        let mut lines = Vec::new();
        for _ in 0..7 {
            let turn = play_turn(&s, &mut state, "Passez-le-moi, il faut absolument que je lui parle !");
            assert_eq!(turn.prospect_move, Move::Screen, "{turn:#?}");
            lines.push(turn.prospect_text);
        }
        assert!(state.reached_decision_maker_at.is_none());
        let mut unique = lines.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), lines.len(), "{lines:#?}");
    }
}
