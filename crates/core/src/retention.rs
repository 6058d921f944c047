//! How long personal data is kept (GDPR), within the CNIL's guidance on recording calls for
//! training: recordings and transcripts six months at most, analysis grids a year at most.
//! An organisation may choose shorter periods; inactive accounts go after three years at
//! most.

/// An organisation's retention periods, in days, within the allowed ranges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionPolicy {
    /// Recordings and transcripts (of calls and of training sessions).
    pub recordings_days: u32,
    /// Analyses and reports.
    pub analyses_days: u32,
    /// Accounts without a login or a session.
    pub inactive_days: u32,
}

impl RetentionPolicy {
    /// The defaults: the longest periods the guidance allows.
    pub const DEFAULT: RetentionPolicy =
        RetentionPolicy { recordings_days: 180, analyses_days: 365, inactive_days: 1095 };
    pub const RECORDINGS_DAYS: std::ops::RangeInclusive<u32> = 1..=180;
    pub const ANALYSES_DAYS: std::ops::RangeInclusive<u32> = 1..=365;
    pub const INACTIVE_DAYS: std::ops::RangeInclusive<u32> = 30..=1095;

    /// The periods, if each is in its range; else the French reason.
    pub fn parse(recordings_days: i64, analyses_days: i64, inactive_days: i64) -> Result<Self, String> {
        let within = |value: i64, range: std::ops::RangeInclusive<u32>, what: &str| {
            u32::try_from(value)
                .ok()
                .filter(|v| range.contains(v))
                .ok_or_else(|| format!("{what} : de {} à {} jours (reçu {value}).", range.start(), range.end()))
        };
        Ok(RetentionPolicy {
            recordings_days: within(
                recordings_days,
                Self::RECORDINGS_DAYS,
                "Conservation des enregistrements et transcriptions",
            )?,
            analyses_days: within(analyses_days, Self::ANALYSES_DAYS, "Conservation des analyses et rapports")?,
            inactive_days: within(inactive_days, Self::INACTIVE_DAYS, "Conservation des comptes inactifs")?,
        })
    }
}

impl Default for RetentionPolicy {
    fn default() -> Self {
        Self::DEFAULT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_stay_within_the_cnil_guidance() {
        assert_eq!(RetentionPolicy::parse(180, 365, 1095), Ok(RetentionPolicy::DEFAULT));
        assert_eq!(
            RetentionPolicy::parse(30, 90, 365),
            Ok(RetentionPolicy { recordings_days: 30, analyses_days: 90, inactive_days: 365 })
        );
        let refused = RetentionPolicy::parse(181, 365, 1095).expect_err("over six months");
        assert!(refused.contains("enregistrements") && refused.contains("de 1 à 180 jours"), "{refused}");
        assert!(RetentionPolicy::parse(0, 365, 1095).is_err());
        assert!(RetentionPolicy::parse(180, 366, 1095).is_err());
        assert!(RetentionPolicy::parse(180, 365, 29).is_err());
        assert!(RetentionPolicy::parse(-5, 365, 1095).is_err());
        assert!(RetentionPolicy::parse(i64::MAX, 365, 1095).is_err());
    }
}
