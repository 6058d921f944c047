//! Certification per skill: Bronze, Silver (« Argent ») and Gold (« Or »), from sustained
//! performance. Recent sessions weigh more: the most recent scored session of the skill
//! weighs 1, and the weight halves every `HALF_LIFE` sessions back. Each tier needs a
//! minimum number of sessions and a weighted mean; Gold also needs one session at the
//! expert level scored at its threshold or more. Pure: the caller gives the sessions.

use serde::Serialize;

use crate::Level;
use crate::text::french_typography;

/// Sessions back after which a session weighs half as much.
pub const HALF_LIFE: f64 = 4.0;

/// A certification tier, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    Bronze,
    Silver,
    Gold,
}

/// What a tier asks for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Requirement {
    pub tier: Tier,
    /// Scored sessions of the skill, at least.
    pub min_sessions: usize,
    /// Weighted mean score (0-100), at least.
    pub min_score: f64,
    /// Whether a session at the expert level scored `min_score` or more is needed.
    pub expert_pass: bool,
}

/// The tiers, lowest first.
pub const REQUIREMENTS: [Requirement; 3] = [
    Requirement { tier: Tier::Bronze, min_sessions: 3, min_score: 60.0, expert_pass: false },
    Requirement { tier: Tier::Silver, min_sessions: 6, min_score: 75.0, expert_pass: false },
    Requirement { tier: Tier::Gold, min_sessions: 10, min_score: 85.0, expert_pass: true },
];

impl Tier {
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Bronze => "bronze",
            Tier::Silver => "silver",
            Tier::Gold => "gold",
        }
    }

    /// The French name of the tier.
    pub fn label(self) -> &'static str {
        match self {
            Tier::Bronze => "Bronze",
            Tier::Silver => "Argent",
            Tier::Gold => "Or",
        }
    }
}

/// One scored session of the skill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScoredSession {
    pub level: Level,
    /// Final score, 0-100.
    pub score: u8,
}

/// Where a learner stands on one skill.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    /// The highest tier reached, if any.
    pub tier: Option<Tier>,
    pub sessions: usize,
    /// The weighted mean score, once there is a session.
    pub weighted_score: Option<f64>,
}

/// The weighted mean of `sessions` (oldest first): the last weighs 1, each `HALF_LIFE`
/// sessions back halves the weight.
pub fn weighted_mean(sessions: &[ScoredSession]) -> Option<f64> {
    let (mut sum, mut weights) = (0.0, 0.0);
    for (back, session) in sessions.iter().rev().enumerate() {
        let weight = 0.5_f64.powf(back as f64 / HALF_LIFE);
        sum += weight * f64::from(session.score);
        weights += weight;
    }
    (weights > 0.0).then(|| sum / weights)
}

/// The standing of a learner on a skill, from its scored sessions, oldest first.
pub fn standing(sessions: &[ScoredSession]) -> Standing {
    let weighted_score = weighted_mean(sessions);
    let mean = weighted_score.unwrap_or(0.0);
    let tier = REQUIREMENTS
        .iter()
        .filter(|r| {
            sessions.len() >= r.min_sessions
                && mean >= r.min_score
                && (!r.expert_pass
                    || sessions.iter().any(|s| s.level == Level::Expert && f64::from(s.score) >= r.min_score))
        })
        .map(|r| r.tier)
        .max();
    Standing { tier, sessions: sessions.len(), weighted_score }
}

/// The rule, in French, as shown to learners.
pub fn rule() -> String {
    let tiers: Vec<String> = REQUIREMENTS
        .iter()
        .map(|r| {
            let expert = if r.expert_pass {
                format!(", dont au moins une de niveau expert notée {}/100 ou plus", r.min_score)
            } else {
                String::new()
            };
            format!(
                "{} : au moins {} sessions notées{expert}, et une moyenne pondérée d’au moins {}/100",
                r.tier.label(),
                r.min_sessions,
                r.min_score
            )
        })
        .collect();
    french_typography(&format!(
        "{}. Les sessions récentes comptent davantage : le poids d’une session est divisé par deux toutes les {} sessions plus récentes de la même compétence ; une session terminée sans échange ne compte pas.",
        tiers.join(" ; "),
        HALF_LIFE
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sessions(scores: &[u8], level: Level) -> Vec<ScoredSession> {
        scores.iter().map(|&score| ScoredSession { level, score }).collect()
    }

    #[test]
    fn recent_sessions_weigh_more() {
        let rising = sessions(&[20, 20, 20, 20, 90], Level::Easy);
        let falling = sessions(&[90, 20, 20, 20, 20], Level::Easy);
        let (up, down) = (weighted_mean(&rising).expect("mean"), weighted_mean(&falling).expect("mean"));
        assert!(up > 34.0 && down < 34.0, "plain mean 34: {up} and {down}");
        // Four sessions back, a session weighs half as much as the last one.
        let pair = [ScoredSession { level: Level::Easy, score: 0 }]
            .into_iter()
            .chain(sessions(&[0, 0, 0], Level::Easy))
            .chain(sessions(&[100], Level::Easy))
            .collect::<Vec<_>>();
        let w = |back: f64| 0.5_f64.powf(back / HALF_LIFE);
        let expected = 100.0 / (1.0 + w(1.0) + w(2.0) + w(3.0) + w(4.0));
        assert!((weighted_mean(&pair).expect("mean") - expected).abs() < 1e-9);
        assert_eq!(weighted_mean(&[]), None);
    }

    #[test]
    fn each_tier_needs_its_sessions_and_its_score() {
        assert_eq!(standing(&[]).tier, None);
        assert_eq!(standing(&sessions(&[95, 95], Level::Expert)).tier, None, "two sessions are not enough");
        assert_eq!(standing(&sessions(&[60, 60, 60], Level::Easy)).tier, Some(Tier::Bronze));
        assert_eq!(standing(&sessions(&[59, 59, 59, 59], Level::Easy)).tier, None);
        assert_eq!(standing(&sessions(&[80; 5], Level::Medium)).tier, Some(Tier::Bronze));
        assert_eq!(standing(&sessions(&[80; 6], Level::Medium)).tier, Some(Tier::Silver));
        assert_eq!(standing(&sessions(&[90; 12], Level::Medium)).tier, Some(Tier::Silver), "Gold needs an expert pass");
        let mut gold = sessions(&[90; 11], Level::Medium);
        gold.push(ScoredSession { level: Level::Expert, score: 85 });
        let standing = standing(&gold);
        assert_eq!((standing.tier, standing.sessions), (Some(Tier::Gold), 12));
    }

    #[test]
    fn a_recent_slump_costs_the_tier() {
        let mut history = sessions(&[90; 10], Level::Medium);
        history.extend(sessions(&[20, 20, 20, 20], Level::Medium));
        assert_eq!(standing(&history).tier, None, "{:?}", weighted_mean(&history));
    }

    #[test]
    fn the_rule_is_french_with_its_typography() {
        let rule = rule();
        assert!(rule.starts_with("Bronze\u{a0}: au moins 3 sessions notées"), "{rule}");
        assert!(
            rule.contains("Or\u{a0}: au moins 10 sessions notées, dont au moins une de niveau expert notée 85/100")
        );
        assert!(rule.contains("\u{202f}; Argent"), "{rule}");
        assert!(!rule.contains(" :") && !rule.contains(" ;"), "{rule}");
    }
}
