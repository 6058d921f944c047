//! « À retravailler » on the learner's dashboard: the skills that spaced repetition
//! (`core::review`) brings back, each with what the one-click start sends to the skill's
//! start form: the sector and scenario of the learner's weakest recent session, at the
//! level the review proposes (the free plan's level when the plan allows no other).

use replique_core::Level;
use replique_core::account::Plan;
use replique_core::review::{self, Practice, Review};

use crate::auth::SessionUser;
use crate::{AppState, Error, now};

/// Skills shown at most: the due ones first.
pub const SHOWN: usize = 3;

/// A skill to practise again, ready for its start form.
pub struct ReviewLine {
    pub skill: String,
    pub title: String,
    pub due: bool,
    /// « à revoir aujourd’hui », « à revoir dans 3 jours ».
    pub when: String,
    pub last_score: u8,
    pub streak: usize,
    pub level: Level,
    pub sector: String,
    /// A template id of the catalogue, or empty (the seed picks one).
    pub variant: String,
}

fn when(review: &Review, now: i64) -> String {
    if review.due {
        return "à revoir aujourd’hui".into();
    }
    match (review.due_at - now + 86_399) / 86_400 {
        1 => "à revoir demain".into(),
        days => format!("à revoir dans {days} jours"),
    }
}

/// The learner's skills to practise again, at most `SHOWN`, the due ones first.
pub async fn reviews(state: &AppState, user: &SessionUser) -> Result<Vec<ReviewLine>, Error> {
    let history = state.store.practice_history(user.user.id).await?;
    let sessions: Vec<Practice<'_>> = history
        .iter()
        .filter_map(|(skill, sector, template, level, score, at)| {
            Some(Practice {
                skill,
                sector,
                template,
                level: Level::parse(level)?,
                score: u8::try_from((*score).clamp(0, 100)).ok()?,
                at: *at,
            })
        })
        .collect();
    let now = now();
    let catalog = &state.catalog;
    Ok(review::schedule(&sessions, now)
        .into_iter()
        .filter_map(|r| {
            let skill = catalog.skill(&r.skill)?;
            let sectors = catalog.sectors_for(&skill.slug);
            let sector = sectors.iter().find(|s| s.slug == r.sector).or_else(|| sectors.first())?.slug.clone();
            let variant = catalog
                .templates_for(&skill.slug)
                .find(|t| t.template_id == r.template && t.fits(&sector))
                .map(|t| t.template_id.clone())
                .unwrap_or_default();
            let level = if user.plan == Plan::Free { Level::Easy } else { r.level };
            Some(ReviewLine {
                title: skill.title.clone(),
                skill: skill.slug.clone(),
                due: r.due,
                when: when(&r, now),
                last_score: r.last_score,
                streak: r.streak,
                level,
                sector,
                variant,
            })
        })
        .take(SHOWN)
        .collect())
}
