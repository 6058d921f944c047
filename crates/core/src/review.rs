//! « À retravailler »: spaced repetition over a learner's skills. Each skill practised is
//! due again some time after its last scored session: at once after a poor score, one day
//! after a middling one, then longer and longer as good scores follow each other
//! (`INTERVALS_DAYS`). The skills due
//! come first, the weakest first; each comes with the session to play for it: the
//! scenario where the learner scored lowest lately, at a level that follows their scores
//! (down after a poor one, up after a run of good ones). Pure and deterministic: the
//! caller gives the sessions and the time.

use std::collections::BTreeMap;

use crate::Level;

/// A score at or above this counts as good: the skill's interval grows.
pub const GOOD_SCORE: u8 = 70;
/// Below this the skill is due again at once, one level easier.
pub const POOR_SCORE: u8 = 50;
/// Good scores in a row that move the next session one level up.
pub const STREAK_TO_LEVEL_UP: usize = 2;
/// Days until a skill is due again, by the number of good scores in a row at its end
/// (0: the last score was not good). Past the end, the last interval.
pub const INTERVALS_DAYS: [i64; 6] = [1, 2, 4, 8, 16, 32];
/// The last sessions of a skill among which the scenario to replay is picked.
pub const RECENT: usize = 5;

const DAY: i64 = 86_400;

/// One scored session of the learner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Practice<'a> {
    pub skill: &'a str,
    pub sector: &'a str,
    pub template: &'a str,
    pub level: Level,
    /// Final score, 0-100.
    pub score: u8,
    /// When it was played, Unix seconds.
    pub at: i64,
}

/// A skill to practise again, and the session aimed at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub skill: String,
    /// When it is due, Unix seconds.
    pub due_at: i64,
    /// Whether it is due at `now`.
    pub due: bool,
    /// Good scores in a row at the end of the skill's sessions.
    pub streak: usize,
    pub last_score: u8,
    /// The session to play: the scenario (sector, template) of the lowest recent score…
    pub sector: String,
    pub template: String,
    /// …at this level.
    pub level: Level,
}

/// Days until the skill is due again after `streak` good scores in a row.
pub fn interval_days(streak: usize) -> i64 {
    INTERVALS_DAYS[streak.min(INTERVALS_DAYS.len() - 1)]
}

fn easier(level: Level) -> Level {
    match level {
        Level::Expert => Level::Medium,
        Level::Medium | Level::Easy => Level::Easy,
    }
}

fn harder(level: Level) -> Level {
    match level {
        Level::Easy => Level::Medium,
        Level::Medium | Level::Expert => Level::Expert,
    }
}

/// Every practised skill with when it is due; the due ones first (the lowest last score
/// first, then the longest overdue), then the others by due date.
pub fn schedule(sessions: &[Practice<'_>], now: i64) -> Vec<Review> {
    let mut by_skill: BTreeMap<&str, Vec<&Practice<'_>>> = BTreeMap::new();
    for s in sessions {
        by_skill.entry(s.skill).or_default().push(s);
    }
    let mut reviews: Vec<Review> = by_skill
        .into_iter()
        .filter_map(|(skill, mut played)| {
            played.sort_by_key(|s| s.at);
            let last = *played.last()?;
            let streak = played.iter().rev().take_while(|s| s.score >= GOOD_SCORE).count();
            let wait = if last.score < POOR_SCORE { 0 } else { interval_days(streak).saturating_mul(DAY) };
            let due_at = last.at.saturating_add(wait);
            let start = played.len().saturating_sub(RECENT);
            // The lowest recent score; the most recent of equal ones.
            let weakest = played[start..].iter().rev().min_by_key(|s| s.score).copied().unwrap_or(last);
            let level = if last.score < POOR_SCORE {
                easier(last.level)
            } else if streak >= STREAK_TO_LEVEL_UP {
                harder(last.level)
            } else {
                last.level
            };
            Some(Review {
                skill: skill.to_owned(),
                due_at,
                due: due_at <= now,
                streak,
                last_score: last.score,
                sector: weakest.sector.to_owned(),
                template: weakest.template.to_owned(),
                level,
            })
        })
        .collect();
    reviews.sort_by(|a, b| {
        b.due
            .cmp(&a.due)
            .then_with(|| if a.due { a.last_score.cmp(&b.last_score) } else { std::cmp::Ordering::Equal })
            .then_with(|| a.due_at.cmp(&b.due_at))
            .then_with(|| a.skill.cmp(&b.skill))
    });
    reviews
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p<'a>(skill: &'a str, template: &'a str, level: Level, score: u8, day: i64) -> Practice<'a> {
        Practice { skill, sector: "generic", template, level, score, at: day * DAY }
    }

    #[test]
    fn intervals_grow_with_good_scores_in_a_row_and_reset_after_a_weak_one() {
        let now = 100 * DAY;
        let poor = schedule(&[p("closing", "t1", Level::Easy, 40, 99)], now);
        assert_eq!((poor[0].streak, poor[0].due_at, poor[0].due), (0, 99 * DAY, true), "at once after a poor score");
        let weak = schedule(&[p("closing", "t1", Level::Easy, 60, 99)], 99 * DAY + 1);
        assert_eq!((weak[0].due_at, weak[0].due), (100 * DAY, false), "one day after a middling score");
        let good = [
            p("closing", "t1", Level::Easy, 80, 90),
            p("closing", "t1", Level::Easy, 75, 92),
            p("closing", "t1", Level::Easy, 90, 96),
        ];
        let r = &schedule(&good, now)[0];
        assert_eq!((r.streak, r.due_at, r.due), (3, 104 * DAY, false), "eight days after three good scores");
        let mut reset = good.to_vec();
        reset.push(p("closing", "t2", Level::Easy, 65, 97));
        let r = &schedule(&reset, now)[0];
        assert_eq!((r.streak, r.due_at, r.due), (0, 98 * DAY, true), "a score under 70 starts again");
        assert_eq!(interval_days(40), 32, "the last interval past the end");
    }

    #[test]
    fn the_session_aimed_at_the_weakness() {
        let sessions = [
            p("decouverte", "hard", Level::Medium, 35, 1),
            p("decouverte", "easy", Level::Medium, 72, 2),
            p("decouverte", "other", Level::Medium, 45, 3),
        ];
        let r = &schedule(&sessions, 10 * DAY)[0];
        assert_eq!((r.template.as_str(), r.level), ("hard", Level::Easy), "lowest scenario; level down after 45");
        let up = [p("closing", "a", Level::Easy, 80, 1), p("closing", "b", Level::Easy, 85, 2)];
        let r = &schedule(&up, 10 * DAY)[0];
        assert_eq!((r.template.as_str(), r.level), ("a", Level::Medium), "two good scores: one level up");
        let top = [p("closing", "a", Level::Expert, 95, 1), p("closing", "a", Level::Expert, 96, 2)];
        assert_eq!(schedule(&top, 0)[0].level, Level::Expert);
        let bottom = [p("closing", "a", Level::Easy, 10, 1)];
        assert_eq!(schedule(&bottom, 0)[0].level, Level::Easy);
    }

    #[test]
    fn due_skills_first_the_weakest_first() {
        let now = 50 * DAY - 1;
        let sessions = [
            p("a", "t", Level::Easy, 60, 40),
            p("b", "t", Level::Easy, 30, 41),
            p("c", "t", Level::Easy, 90, 49),
            p("d", "t", Level::Easy, 20, 49),
        ];
        let reviews = schedule(&sessions, now);
        let order: Vec<(&str, bool)> = reviews.iter().map(|r| (r.skill.as_str(), r.due)).collect();
        assert_eq!(order, [("d", true), ("b", true), ("a", true), ("c", false)]);
        assert!(schedule(&[], now).is_empty());
        // Deterministic: the input's order does not matter.
        let mut shuffled = sessions.to_vec();
        shuffled.reverse();
        assert_eq!(schedule(&shuffled, now), schedule(&sessions, now));
    }
}
