//! Programmes as the domain sees them: an item's due date and where a learner stands on an
//! assigned item. Pure: "today" is given by the caller.

use serde::Serialize;

/// Longest programme name, in characters.
pub const MAX_NAME_CHARS: usize = 120;
/// Most items in one programme.
pub const MAX_ITEMS: usize = 30;
/// Most learners one programme is assigned to at once.
pub const MAX_LEARNERS: usize = 500;
/// Most attempts an item may allow.
pub const MAX_ATTEMPTS: i64 = 50;

/// A calendar day, `YYYY-MM-DD` on the wire (years 2000 to 2100): the last day on which
/// passing an item is on time. Ordered by date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DueDate {
    year: u16,
    month: u8,
    day: u8,
}

impl DueDate {
    /// Parses `YYYY-MM-DD`, a real day of the calendar (leap years included).
    pub fn parse(s: &str) -> Option<Self> {
        let bytes = s.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let number = |range: std::ops::Range<usize>| -> Option<u16> {
            let part = s.get(range)?;
            part.bytes().all(|b| b.is_ascii_digit()).then(|| part.parse().ok()).flatten()
        };
        let year = number(0..4)?;
        let month = u8::try_from(number(5..7)?).ok()?;
        let day = u8::try_from(number(8..10)?).ok()?;
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        ((2000..=2100).contains(&year) && (1..=days).contains(&day)).then_some(DueDate { year, month, day })
    }

    /// From a year, a month (1-12) and a day, when they make a date of the range.
    pub fn from_parts(year: i32, month: u8, day: u8) -> Option<Self> {
        Self::parse(&format!("{year:04}-{month:02}-{day:02}"))
    }
}

impl std::fmt::Display for DueDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Where a learner stands on an assigned item. When several hold, the first of this order
/// wins: `passed` (a scored session reached the pass mark, whenever), `failed` (every
/// attempt used without passing), `overdue` (past the due day, not passed, attempts left),
/// `todo`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum AssignmentStatus {
    Todo,
    Passed,
    Failed,
    Overdue,
}

impl AssignmentStatus {
    pub fn of(passed: bool, attempts: i64, max_attempts: i64, due: DueDate, today: DueDate) -> Self {
        if passed {
            AssignmentStatus::Passed
        } else if attempts >= max_attempts {
            AssignmentStatus::Failed
        } else if today > due {
            AssignmentStatus::Overdue
        } else {
            AssignmentStatus::Todo
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AssignmentStatus::Todo => "todo",
            AssignmentStatus::Passed => "passed",
            AssignmentStatus::Failed => "failed",
            AssignmentStatus::Overdue => "overdue",
        }
    }

    /// The French label shown to learners and managers.
    pub fn label(self) -> &'static str {
        match self {
            AssignmentStatus::Todo => "À faire",
            AssignmentStatus::Passed => "Validé",
            AssignmentStatus::Failed => "Échoué",
            AssignmentStatus::Overdue => "En retard",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> DueDate {
        DueDate::parse(s).expect(s)
    }

    #[test]
    fn due_dates_are_real_days_of_the_range() {
        for good in ["2026-01-31", "2024-02-29", "2000-02-29", "2100-12-31", "2026-06-30"] {
            assert_eq!(day(good).to_string(), good);
        }
        for bad in [
            "",
            "2026-1-31",
            "2026-02-29",
            "1900-02-29",
            "2100-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-04-31",
            "2026-04-00",
            "1999-12-31",
            "2101-01-01",
            "26-04-2026",
            "2026/04/01",
            "+026-04-01",
            "2026-04-01 ",
            "２０２６-04-01",
        ] {
            assert_eq!(DueDate::parse(bad), None, "{bad:?}");
        }
        assert!(day("2026-03-01") > day("2026-02-28"));
        assert_eq!(DueDate::from_parts(2026, 3, 1), Some(day("2026-03-01")));
    }

    #[test]
    fn passed_wins_then_failed_then_overdue() {
        let (due, before, after) = (day("2026-05-10"), day("2026-05-10"), day("2026-05-11"));
        assert_eq!(AssignmentStatus::of(false, 0, 3, due, before), AssignmentStatus::Todo);
        assert_eq!(AssignmentStatus::of(false, 2, 3, due, after), AssignmentStatus::Overdue);
        assert_eq!(AssignmentStatus::of(false, 3, 3, due, after), AssignmentStatus::Failed);
        assert_eq!(AssignmentStatus::of(false, 3, 3, due, before), AssignmentStatus::Failed);
        assert_eq!(AssignmentStatus::of(true, 3, 3, due, after), AssignmentStatus::Passed);
        assert_eq!(AssignmentStatus::Overdue.as_str(), "overdue");
    }
}
