//! The interest gauge: where it starts, and how much each pattern moves it, by difficulty
//! and by the prospect's SÉDAIÉ profile.

use super::Scenario;
use crate::analysis::{Detection, PatternId};
use crate::level::Level;

/// Where the gauge starts: the template's value, adjusted for the difficulty.
pub fn starting_gauge(scenario: &Scenario) -> u8 {
    let adjust: i32 = match scenario.level {
        Level::Easy => 5,
        Level::Medium => 0,
        Level::Expert => -10,
    };
    clamp_gauge(i32::from(scenario.starting_gauge) + adjust)
}

/// Weight of a pattern on the gauge, before difficulty.
fn weight(pattern: PatternId) -> i32 {
    use PatternId::*;
    match pattern {
        GoodOpenQuestion => 4,
        Reformulation => 5,
        Empathy => 3,
        ActiveListening => 3,
        Personalization => 2,
        DiscoveryQuestion => 3,
        BenefitArgument => 4,
        ProofUsed => 4,
        ObjectionDig => 5,
        ObjectionNeutralize => 3,
        ObjectionZoom => 4,
        ColumboQuestion => 2,
        ClosingAttempt => 0,
        NextStepProposal => 2,
        ClosedQuestionStreak => -3,
        Monologue => -6,
        Interruption => -6,
        Jargon => -3,
        PrematurePrice => -5,
        CompetitorBashing => -5,
        ObjectionIgnored => -6,
        Pushy => -7,
        SelfCentered => -4,
        FillerWords => -2,
        NoQuestion => -4,
        WrongName => -6,
        AggressiveTone => -15,
        ConcessionWithoutCounterpart => -6,
        FalsePretext => -8,
        Repetition => -4,
        OffTopic => -4,
        TradedConcession => 4,
        // Parroting costs in `play_turn`, once it is a habit; a named method costs its credit.
        Parroting | MethodNamed => 0,
    }
}

/// The gauge movement for a set of patterns at a difficulty: positives count for less and
/// negatives for more as the level rises.
pub fn gauge_delta(patterns: &[Detection], level: Level) -> i32 {
    round_tenths(raw_tenths(patterns, level, ""))
}

/// The gauge movement for a turn of this scenario: the patterns' weights, modulated by the
/// difficulty and by the prospect's SÉDAIÉ profile (a Sécuritaire rewards proof, a Dominant
/// punishes long turns, an Affectif rewards empathy...).
pub fn gauge_delta_for(scenario: &Scenario, patterns: &[Detection], words: usize) -> i32 {
    let profile = scenario.prospect.psychology.profile.as_str();
    let mut tenths = raw_tenths(patterns, scenario.level, profile);
    // A Dominant wants it short: a long turn costs even before it is a monologue.
    if profile == "dominant" && words > 45 {
        tenths -= 20;
    }
    round_tenths(tenths)
}

fn raw_tenths(patterns: &[Detection], level: Level, profile: &str) -> i32 {
    let (pos, neg, cap) = match level {
        Level::Easy => (10, 8, 80),
        Level::Medium => (8, 10, 60),
        Level::Expert => (6, 13, 50),
    };
    // Weight × profile factor (tenths) × level factor (tenths) = hundredths.
    let weighted = |d: &Detection| weight(d.pattern) * profile_factor(profile, d.pattern);
    let gained: i32 = patterns.iter().map(weighted).filter(|w| *w > 0).map(|w| w * pos / 10).sum();
    let lost: i32 = patterns.iter().map(weighted).filter(|w| *w < 0).map(|w| w * neg / 10).sum();
    // One turn can only win so much interest, however many techniques it piles up; faults
    // cost in full.
    gained.min(cap) + lost
}

/// Tenths to units, rounding half away from zero.
fn round_tenths(tenths: i32) -> i32 {
    if tenths >= 0 { (tenths + 5) / 10 } else { (tenths - 5) / 10 }
}

/// How much a profile cares about a pattern, in tenths (10: as usual). METHODS.md:
/// Sécuritaire (guarantees, references, low risk), Économe (price, ROI, savings),
/// Dominant (control, results, brevity), Affectif (trust, relationship, people),
/// Innovateur (novelty, being first), Expressif (recognition, stories, enthusiasm).
fn profile_factor(profile: &str, pattern: PatternId) -> i32 {
    use PatternId::*;
    match (profile, pattern) {
        ("securitaire", ProofUsed) => 20,
        ("securitaire", Pushy | PrematurePrice) => 15,
        ("econome", BenefitArgument | ObjectionZoom) => 15,
        ("econome", ProofUsed) => 13,
        ("econome", PrematurePrice) => 5,
        ("dominant", Monologue | FillerWords | SelfCentered | ClosedQuestionStreak) => 20,
        ("dominant", BenefitArgument | NextStepProposal) => 15,
        ("dominant", Empathy) => 5,
        ("affectif", Empathy | Personalization | ActiveListening) => 20,
        ("affectif", Pushy | AggressiveTone | CompetitorBashing) => 15,
        ("innovateur", BenefitArgument) => 15,
        ("innovateur", ProofUsed) => 7,
        ("innovateur", Jargon) => 5,
        ("expressif", Personalization | ActiveListening) => 15,
        ("expressif", Empathy) => 13,
        ("expressif", Monologue | NoQuestion) => 15,
        _ => 10,
    }
}

pub fn clamp_gauge(value: i32) -> u8 {
    u8::try_from(value.clamp(0, 100)).unwrap_or(0)
}
