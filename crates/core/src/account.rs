//! Account values that arrive from outside (forms, JSON, CLI), parsed once into types that
//! cannot hold a bad value.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Days a new account stays on the trial plan.
pub const TRIAL_DAYS: i64 = 14;

/// A normalised (trimmed, lower-case) email address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err("L’adresse e-mail est obligatoire.");
        }
        if email.len() > 254 || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err("L’adresse e-mail n’est pas valide.");
        }
        match email.split_once('@') {
            Some((local, domain))
                if !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.') =>
            {
                Ok(Email(email))
            }
            _ => Err("L’adresse e-mail n’est pas valide."),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part after `@`: what single sign-on matches against an organisation's domains.
    pub fn domain(&self) -> &str {
        self.0.rsplit('@').next().unwrap_or(&self.0)
    }

    /// The part before `@`, a fallback display name.
    pub fn local_part(&self) -> &str {
        self.0.split('@').next().unwrap_or(&self.0)
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A password that meets the length rules (OWASP: at least 8 characters, long ones
/// allowed, no composition rules).
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 8;
    pub const MAX_CHARS: usize = 128;

    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let n = raw.chars().count();
        if n < Self::MIN_CHARS {
            Err("Le mot de passe doit contenir au moins 8 caractères.")
        } else if n > Self::MAX_CHARS {
            Err("Le mot de passe ne peut pas dépasser 128 caractères.")
        } else {
            Ok(Password(raw.to_owned()))
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// The name shown in the interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let name = raw.trim();
        if name.is_empty() {
            Err("Le nom est obligatoire.")
        } else if name.chars().count() > 80 {
            Err("Le nom ne peut pas dépasser 80 caractères.")
        } else if name.chars().any(char::is_control) {
            Err("Le nom contient des caractères non autorisés.")
        } else {
            Ok(DisplayName(name.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Plan {
    Free,
    Trial,
    Premium,
    Enterprise,
}

impl Plan {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_lowercase().as_str() {
            "free" => Some(Plan::Free),
            "trial" => Some(Plan::Trial),
            "premium" => Some(Plan::Premium),
            "enterprise" => Some(Plan::Enterprise),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Plan::Free => "free",
            Plan::Trial => "trial",
            Plan::Premium => "premium",
            Plan::Enterprise => "enterprise",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Plan::Free => "Gratuit",
            Plan::Trial => "Essai",
            Plan::Premium => "Premium",
            Plan::Enterprise => "Entreprise",
        }
    }

    /// When a trial that starts at `now` (Unix seconds) ends; other plans do not end.
    pub fn trial_end(self, now: i64) -> Option<i64> {
        (self == Plan::Trial).then_some(now + TRIAL_DAYS * 24 * 3600)
    }
}

/// Sessions a free account may start each calendar month, easy level only.
pub const FREE_SESSIONS_PER_MONTH: u32 = 3;

/// Why a plan does not allow something, in French for the learner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denial {
    /// The free plan trains on easy scenarios only.
    LevelNotIncluded,
    /// The free plan's monthly allowance is used up.
    AllowanceUsed,
}

impl Denial {
    pub fn message(self) -> String {
        match self {
            Denial::LevelNotIncluded => "La formule gratuite donne accès aux scénarios de niveau débutant. Passez en Premium pour les niveaux intermédiaire et expert.".into(),
            Denial::AllowanceUsed => format!(
                "Vous avez utilisé vos {FREE_SESSIONS_PER_MONTH} sessions gratuites de ce mois-ci. Passez en Premium pour vous entraîner sans limite."
            ),
        }
    }
}

impl Plan {
    /// Whether this plan may start a session at `level`, having started
    /// `sessions_this_month` already. Trial (while it lasts), premium and enterprise train
    /// on everything; free gets a few easy sessions a month.
    pub fn may_train(self, level: crate::Level, sessions_this_month: u32) -> Result<(), Denial> {
        match self {
            Plan::Trial | Plan::Premium | Plan::Enterprise => Ok(()),
            Plan::Free if level != crate::Level::Easy => Err(Denial::LevelNotIncluded),
            Plan::Free if sessions_this_month >= FREE_SESSIONS_PER_MONTH => Err(Denial::AllowanceUsed),
            Plan::Free => Ok(()),
        }
    }

    /// Champion (analysing the best reps' calls) and the team pages.
    pub fn has_champion(self) -> bool {
        self == Plan::Enterprise
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("  Anne.Martin@Exemple.FR ").map(|e| e.to_string()),
            Ok("anne.martin@exemple.fr".into())
        );
        for bad in ["", "anne", "anne@", "@exemple.fr", "anne@exemple", "a b@exemple.fr", "a@b@c.fr", "anne@.fr"] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
        assert!(Email::parse(&format!("{}@exemple.fr", "a".repeat(260))).is_err());
    }

    #[test]
    fn passwords_have_length_rules_and_never_print() {
        assert!(Password::parse("court").is_err());
        assert!(Password::parse(&"x".repeat(129)).is_err());
        let p = Password::parse("correct horse battery").expect("valid");
        assert_eq!(format!("{p:?}"), "Password(***)");
    }

    #[test]
    fn what_each_plan_may_do() {
        use crate::Level;
        for plan in [Plan::Trial, Plan::Premium, Plan::Enterprise] {
            assert_eq!(plan.may_train(Level::Expert, 100), Ok(()));
        }
        assert_eq!(Plan::Free.may_train(Level::Easy, 0), Ok(()));
        assert_eq!(Plan::Free.may_train(Level::Medium, 0), Err(Denial::LevelNotIncluded));
        assert_eq!(Plan::Free.may_train(Level::Easy, FREE_SESSIONS_PER_MONTH), Err(Denial::AllowanceUsed));
        assert!(Plan::Enterprise.has_champion() && !Plan::Premium.has_champion() && !Plan::Trial.has_champion());
    }

    #[test]
    fn names_and_plans() {
        assert!(DisplayName::parse("   ").is_err());
        assert_eq!(DisplayName::parse(" Anne ").map(|n| n.as_str().to_owned()), Ok("Anne".into()));
        assert_eq!(Plan::parse("Enterprise"), Some(Plan::Enterprise));
        assert_eq!(Plan::parse("gold"), None);
        assert_eq!(Plan::Trial.trial_end(0), Some(14 * 86_400));
        assert_eq!(Plan::Premium.trial_end(0), None);
    }
}
