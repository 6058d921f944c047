//! The manager's drill-down into their organisation: a heat map of skill × member (the
//! latest score of each), a trend per member over their recent sessions, who is late on
//! which assignment, and the CSV export of the team's results (RFC 4180 quoting, cells that
//! a spreadsheet would run as a formula neutralised). Built from the store's rows of one
//! organisation: the caller has checked that the user manages it.

use replique_core::Level;
use replique_core::programme::AssignmentStatus;
use replique_core::progress::{Trend, trend};
use replique_store::TeamResultRow;

use crate::programmes::{AssignmentView, skill_title, today};
use crate::{AppState, Error};

/// Sessions drawn in a member's trend line (the most recent ones).
pub const TREND_SESSIONS: usize = 10;

/// One cell of the heat map: the member's latest score on the skill.
pub struct HeatCell {
    pub score: i64,
    /// That latest session, for its report's link.
    pub session_id: i64,
    /// Scored sessions of the member on the skill.
    pub sessions: usize,
    /// `low` (below 50), `mid` (below 75) or `high`: the cell's colour, doubled by the number.
    pub band: &'static str,
}

/// A member's line of the heat map and their trend.
pub struct MemberRow {
    pub user_id: i64,
    pub name: String,
    /// One cell per skill of `TeamView::skills`, `None` where never scored.
    pub cells: Vec<Option<HeatCell>>,
    /// Their last `TREND_SESSIONS` scores, oldest first.
    pub recent: Vec<u8>,
    pub trend: Trend,
    /// The `points` of an SVG polyline in a 100 × 30 box, for `recent`.
    pub points: String,
}

impl MemberRow {
    /// The latest score.
    pub fn last(&self) -> u8 {
        self.recent.last().copied().unwrap_or(0)
    }

    /// « 45, 60, 72 » for the text alternative of the trend line.
    pub fn recent_text(&self) -> String {
        self.recent.iter().map(u8::to_string).collect::<Vec<_>>().join(", ")
    }
}

/// An assignment past its due day and not passed, or failed.
pub struct LateLine {
    pub user_id: i64,
    pub name: String,
    pub assignment: AssignmentView,
}

/// Everything the team page shows below its member list.
pub struct TeamView {
    /// (slug, title) of the skills someone of the team was scored on, in catalogue order.
    pub skills: Vec<(String, String)>,
    /// Members with at least one scored session, by name.
    pub rows: Vec<MemberRow>,
    pub late: Vec<LateLine>,
}

fn band(score: i64) -> &'static str {
    match score {
        s if s < 50 => "low",
        s if s < 75 => "mid",
        _ => "high",
    }
}

/// The polyline of `scores` (0-100) over a 100 × 30 box, evenly spaced; one score is a
/// flat line.
pub fn polyline(scores: &[u8]) -> String {
    let n = scores.len();
    let x = |i: usize| if n <= 1 { 0.0 } else { 100.0 * i as f64 / (n - 1) as f64 };
    let y = |s: u8| 30.0 - 30.0 * f64::from(s.min(100)) / 100.0;
    let mut points: Vec<String> = scores.iter().enumerate().map(|(i, s)| format!("{:.1},{:.1}", x(i), y(*s))).collect();
    if let [only] = scores {
        points.push(format!("100.0,{:.1}", y(*only)));
    }
    points.join(" ")
}

fn score_u8(score: i64) -> u8 {
    u8::try_from(score.clamp(0, 100)).unwrap_or(0)
}

/// The heat map, trends and late assignments of the organisation.
pub async fn view(state: &AppState, organisation_id: i64) -> Result<TeamView, Error> {
    let results = state.store.team_results(organisation_id).await?;
    let skills: Vec<(String, String)> = state
        .catalog
        .skills
        .iter()
        .filter(|k| results.iter().any(|r| r.skill_slug == k.slug))
        .map(|k| (k.slug.clone(), k.title.clone()))
        .collect();
    let mut rows: Vec<MemberRow> = Vec::new();
    let mut members: Vec<(i64, &str)> = results.iter().map(|r| (r.user_id, r.user_name.as_str())).collect();
    members.sort_by(|a, b| a.1.cmp(b.1).then(a.0.cmp(&b.0)));
    members.dedup_by_key(|m| m.0);
    for (user_id, name) in members {
        let own: Vec<&TeamResultRow> = results.iter().filter(|r| r.user_id == user_id).collect();
        let cells = skills
            .iter()
            .map(|(slug, _)| {
                let on_skill: Vec<&&TeamResultRow> = own.iter().filter(|r| &r.skill_slug == slug).collect();
                on_skill.last().map(|latest| HeatCell {
                    score: latest.final_score,
                    session_id: latest.session_id,
                    sessions: on_skill.len(),
                    band: band(latest.final_score),
                })
            })
            .collect();
        let recent: Vec<u8> = own.iter().rev().take(TREND_SESSIONS).rev().map(|r| score_u8(r.final_score)).collect();
        rows.push(MemberRow {
            user_id,
            name: name.to_owned(),
            cells,
            trend: trend(&recent),
            points: polyline(&recent),
            recent,
        });
    }
    let today = today()?;
    let late = state
        .store
        .organisation_assignments(organisation_id)
        .await?
        .iter()
        .map(|row| (row, AssignmentView::new(state, row, today)))
        .filter(|(_, view)| matches!(view.status, AssignmentStatus::Overdue | AssignmentStatus::Failed))
        .map(|(row, assignment)| LateLine { user_id: row.user_id, name: row.user_name.clone(), assignment })
        .collect();
    Ok(TeamView { skills, rows, late })
}

/// Separator of the export: a semicolon, what spreadsheets set to French read as columns.
pub const CSV_SEPARATOR: char = ';';

/// One CSV field: quoted when it holds the separator, a quote or a line break (quotes
/// doubled); a text starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
/// leading apostrophe first, so that a spreadsheet shows it instead of running it.
pub fn csv_field(value: &str) -> String {
    let value =
        if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_owned() };
    if value.contains([CSV_SEPARATOR, '"', '\n', '\r', ',']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

fn csv_line(fields: &[&str]) -> String {
    let mut line = fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(&CSV_SEPARATOR.to_string());
    line.push_str("\r\n");
    line
}

/// `YYYY-MM-DD HH:MM` (UTC) of Unix seconds.
fn csv_time(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .map(|t| format!("{} {:02}:{:02}", t.date(), t.hour(), t.minute()))
        .unwrap_or_default()
}

/// The team's scored sessions as CSV (UTF-8 with a byte-order mark, CRLF lines), oldest first.
pub async fn export_csv(state: &AppState, organisation_id: i64) -> Result<String, Error> {
    let results = state.store.team_results(organisation_id).await?;
    let mut out = String::from('\u{feff}');
    out.push_str(&csv_line(&[
        "Membre",
        "E-mail",
        "Date (UTC)",
        "Compétence",
        "Niveau",
        "Score",
        "Échanges",
        "Session",
    ]));
    for r in &results {
        out.push_str(&csv_line(&[
            &r.user_name,
            &r.user_email,
            &csv_time(r.created_at),
            &skill_title(state, &r.skill_slug),
            Level::parse(&r.level).map_or(r.level.as_str(), |l| l.label()),
            &r.final_score.to_string(),
            &r.exchanges.to_string(),
            &r.session_id.to_string(),
        ]));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_neutralised() {
        assert_eq!(csv_field("Julie Martin"), "Julie Martin");
        assert_eq!(csv_field("Martin; Julie"), "\"Martin; Julie\"");
        assert_eq!(csv_field("Dupont, Jean"), "\"Dupont, Jean\"");
        assert_eq!(csv_field("Il a dit \"non\""), "\"Il a dit \"\"non\"\"\"");
        assert_eq!(csv_field("deux\nlignes"), "\"deux\nlignes\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        for risky in ["+33 6", "-1", "@SUM(A1)", "\tx"] {
            assert!(csv_field(risky).trim_start_matches('"').starts_with('\''), "{risky}");
        }
        assert_eq!(csv_line(&["a", "b;c", ""]), "a;\"b;c\";\r\n");
    }

    #[test]
    fn the_trend_line_fits_its_box() {
        assert_eq!(polyline(&[]), "");
        assert_eq!(polyline(&[50]), "0.0,15.0 100.0,15.0");
        assert_eq!(polyline(&[0, 100, 200]), "0.0,30.0 50.0,0.0 100.0,0.0");
        assert_eq!((band(49), band(50), band(74), band(75)), ("low", "mid", "mid", "high"));
    }
}
