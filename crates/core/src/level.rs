//! Difficulty levels of skills and sessions.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Easy,
    Medium,
    Expert,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Easy, Level::Medium, Level::Expert];

    /// Parses the wire form (`easy`, `medium`, `expert`).
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "easy" => Some(Level::Easy),
            "medium" => Some(Level::Medium),
            "expert" => Some(Level::Expert),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Easy => "easy",
            Level::Medium => "medium",
            Level::Expert => "expert",
        }
    }

    /// The French label shown to learners.
    pub fn label(self) -> &'static str {
        match self {
            Level::Easy => "Débutant",
            Level::Medium => "Intermédiaire",
            Level::Expert => "Expert",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_round_trips_and_rejects_unknown() {
        for level in Level::ALL {
            assert_eq!(Level::parse(level.as_str()), Some(level));
        }
        assert_eq!(Level::parse("hard"), None);
        assert_eq!(Level::parse("Easy"), None);
    }
}
