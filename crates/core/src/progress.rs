//! A learner's progress over their scored sessions: per skill, how many, the latest, best
//! and average scores and the trend; the overall figures; the skill to work on next. Pure.

use std::collections::BTreeMap;

use serde::Serialize;

/// A finished, scored session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoredSession<'a> {
    pub skill: &'a str,
    /// 0 to 100.
    pub score: u8,
    /// When it was played (any monotonic time: Unix seconds).
    pub at: i64,
}

/// How the latest score compares with the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    /// A single session so far.
    First,
    Up,
    Steady,
    Down,
}

/// Points between the latest score and the average of the earlier ones that count as a
/// change (below: steady).
pub const TREND_POINTS: i32 = 5;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkillProgress {
    pub skill: String,
    pub sessions: u32,
    pub last: u8,
    pub best: u8,
    pub average: u8,
    pub trend: Trend,
    pub last_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub sessions: u32,
    pub average: Option<u8>,
    pub best: Option<u8>,
    /// Most recently practised first.
    pub skills: Vec<SkillProgress>,
    /// The practised skill with the lowest latest score (the least recent on a tie): where
    /// the next session helps most.
    pub focus: Option<String>,
}

fn mean(scores: &[u8]) -> u8 {
    let sum: u32 = scores.iter().map(|s| u32::from(*s)).sum();
    let n = u32::try_from(scores.len()).unwrap_or(u32::MAX).max(1);
    // Rounded to the nearest point; at most 100.
    u8::try_from((sum + n / 2) / n).unwrap_or(100)
}

/// How the last of `scores` (oldest first) compares with the mean of the ones before it.
pub fn trend(scores: &[u8]) -> Trend {
    match scores.split_last() {
        None => Trend::First,
        Some((_, [])) => Trend::First,
        Some((last, earlier)) => match i32::from(*last) - i32::from(mean(earlier)) {
            d if d >= TREND_POINTS => Trend::Up,
            d if d <= -TREND_POINTS => Trend::Down,
            _ => Trend::Steady,
        },
    }
}

/// The progress shown on the learner's dashboard.
pub fn progress(sessions: &[ScoredSession<'_>]) -> Progress {
    let mut by_skill: BTreeMap<&str, Vec<&ScoredSession<'_>>> = BTreeMap::new();
    for s in sessions {
        by_skill.entry(s.skill).or_default().push(s);
    }
    let mut skills: Vec<SkillProgress> = by_skill
        .into_iter()
        .map(|(skill, mut played)| {
            played.sort_by_key(|s| s.at);
            let scores: Vec<u8> = played.iter().map(|s| s.score.min(100)).collect();
            let last = scores.last().copied().unwrap_or(0);
            let trend = trend(&scores);
            SkillProgress {
                skill: skill.to_owned(),
                sessions: u32::try_from(scores.len()).unwrap_or(u32::MAX),
                last,
                best: scores.iter().copied().max().unwrap_or(0),
                average: mean(&scores),
                trend,
                last_at: played.last().map_or(0, |s| s.at),
            }
        })
        .collect();
    let focus = skills.iter().min_by_key(|s| (s.last, s.last_at)).map(|s| s.skill.clone());
    skills.sort_by(|a, b| b.last_at.cmp(&a.last_at).then_with(|| a.skill.cmp(&b.skill)));
    let all: Vec<u8> = sessions.iter().map(|s| s.score.min(100)).collect();
    Progress {
        sessions: u32::try_from(all.len()).unwrap_or(u32::MAX),
        average: (!all.is_empty()).then(|| mean(&all)),
        best: all.iter().copied().max(),
        skills,
        focus,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(skill: &str, score: u8, at: i64) -> ScoredSession<'_> {
        ScoredSession { skill, score, at }
    }

    #[test]
    fn per_skill_figures_trend_and_focus() {
        let p = progress(&[
            s("closing", 40, 1),
            s("decouverte", 70, 2),
            s("closing", 60, 3),
            s("closing", 62, 5),
            s("decouverte", 60, 4),
        ]);
        assert_eq!((p.sessions, p.average, p.best), (5, Some(58), Some(70)));
        assert_eq!(p.skills.iter().map(|k| k.skill.as_str()).collect::<Vec<_>>(), ["closing", "decouverte"]);
        let closing = &p.skills[0];
        assert_eq!((closing.sessions, closing.last, closing.best, closing.average), (3, 62, 62, 54));
        assert_eq!(closing.trend, Trend::Up, "62 against an earlier average of 50");
        assert_eq!(p.skills[1].trend, Trend::Down, "60 after 70");
        assert_eq!(p.focus.as_deref(), Some("decouverte"), "the lowest latest score");
    }

    #[test]
    fn nothing_played_and_a_first_session() {
        let empty = progress(&[]);
        assert_eq!((empty.sessions, empty.average, empty.best, empty.focus), (0, None, None, None));
        let one = progress(&[s("closing", 55, 9)]);
        assert_eq!(one.skills[0].trend, Trend::First);
        assert_eq!(one.focus.as_deref(), Some("closing"));
    }

    proptest::proptest! {
        #[test]
        fn averages_lie_between_the_extremes(scores in proptest::collection::vec((0u8..=100, 0usize..3), 1..40)) {
            let names = ["a", "b", "c"];
            let played: Vec<ScoredSession<'_>> = scores
                .iter()
                .enumerate()
                .map(|(i, (score, k))| s(names[*k], *score, i64::try_from(i).unwrap_or(0)))
                .collect();
            let p = progress(&played);
            proptest::prop_assert_eq!(p.sessions as usize, played.len());
            for k in &p.skills {
                let mine: Vec<u8> = played.iter().filter(|s| s.skill == k.skill).map(|s| s.score).collect();
                let (lo, hi) = (*mine.iter().min().unwrap_or(&0), *mine.iter().max().unwrap_or(&0));
                proptest::prop_assert!(lo <= k.average && k.average <= hi && k.best == hi);
            }
        }
    }
}
