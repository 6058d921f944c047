//! The eleven emotions a voice can take, and the one a mood speaks with when a line names
//! none.

use serde::{Deserialize, Serialize};

use crate::mood::Mood;

/// The 11 emotions a voice can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Emotion {
    Angry,
    Annoyed,
    Cold,
    Skeptical,
    Impatient,
    Bored,
    Neutral,
    Interested,
    Amused,
    Friendly,
    Enthusiastic,
}

impl Emotion {
    pub const ALL: [Emotion; 11] = [
        Emotion::Angry,
        Emotion::Annoyed,
        Emotion::Cold,
        Emotion::Skeptical,
        Emotion::Impatient,
        Emotion::Bored,
        Emotion::Neutral,
        Emotion::Interested,
        Emotion::Amused,
        Emotion::Friendly,
        Emotion::Enthusiastic,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Emotion::Angry => "angry",
            Emotion::Annoyed => "annoyed",
            Emotion::Cold => "cold",
            Emotion::Skeptical => "skeptical",
            Emotion::Impatient => "impatient",
            Emotion::Bored => "bored",
            Emotion::Neutral => "neutral",
            Emotion::Interested => "interested",
            Emotion::Amused => "amused",
            Emotion::Friendly => "friendly",
            Emotion::Enthusiastic => "enthusiastic",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == s)
    }

    /// The emotion a mood speaks with when the line names none.
    pub fn of_mood(mood: Mood) -> Self {
        match mood {
            Mood::Hostile => Emotion::Annoyed,
            Mood::Skeptical => Emotion::Skeptical,
            Mood::Neutral => Emotion::Neutral,
            Mood::Interested => Emotion::Interested,
            Mood::ReadyToBuy => Emotion::Enthusiastic,
        }
    }
}
