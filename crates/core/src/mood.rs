//! The prospect's mood, read from the interest gauge: what the engine decides on, what the
//! voice speaks with, what the page shows. A leaf: it depends on nothing else of the core.

use serde::{Deserialize, Serialize};

/// The prospect's mood, derived from the gauge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Mood {
    Hostile,
    Skeptical,
    Neutral,
    Interested,
    ReadyToBuy,
}

impl Mood {
    pub fn from_gauge(gauge: u8) -> Self {
        match gauge {
            0..20 => Mood::Hostile,
            20..40 => Mood::Skeptical,
            40..60 => Mood::Neutral,
            60..80 => Mood::Interested,
            _ => Mood::ReadyToBuy,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Mood::Hostile => "hostile",
            Mood::Skeptical => "skeptical",
            Mood::Neutral => "neutral",
            Mood::Interested => "interested",
            Mood::ReadyToBuy => "ready_to_buy",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Mood::Hostile => "Hostile",
            Mood::Skeptical => "Sceptique",
            Mood::Neutral => "Neutre",
            Mood::Interested => "Intéressé",
            Mood::ReadyToBuy => "Prêt à acheter",
        }
    }
}
