//! `replique selfplay`: scripted personas play every template at every level (issue 13);
//! prints the score distribution per persona and per skill, every game as JSON, or the
//! transcripts of chosen games.

use std::fmt::Write as _;

use anyhow::Result;
use replique_core::Catalog;
use replique_core::selfplay::{Game, distributions, tournament};

/// Which games to print whole (all three unset: the table).
pub struct Filter {
    pub template: Option<String>,
    pub persona: Option<String>,
    pub level: Option<String>,
}

pub fn run(catalog: &Catalog, sectors: &[String], seeds: &[u64], json: bool, filter: &Filter) -> Result<String> {
    let sectors: Vec<&str> = sectors.iter().map(String::as_str).collect();
    let mut games = tournament(catalog, &sectors, seeds);
    if filter.template.is_some() || filter.persona.is_some() || filter.level.is_some() {
        games.retain(|g| {
            filter.template.as_ref().is_none_or(|t| &g.template == t)
                && filter.persona.as_ref().is_none_or(|p| g.persona.as_str() == p)
                && filter.level.as_ref().is_none_or(|l| g.level.as_str() == l)
        });
        let mut out = String::new();
        for g in &games {
            let _ = writeln!(
                out,
                "== {} {} {} {:?} score {}\n{}\n",
                g.template,
                g.persona.as_str(),
                g.level.as_str(),
                g.end_type,
                g.score,
                g.transcript.join("\n")
            );
        }
        return Ok(out);
    }
    if json {
        return Ok(serde_json::to_string_pretty(&games)?);
    }
    Ok(table(&games))
}

/// The self-play table: one row per persona, then the mean per skill.
fn table(games: &[Game]) -> String {
    let dists = distributions(games);
    let mut out = format!(
        "{:<18} {:>6} {:>6} {:>5} {:>5} {:>10} {:>10}\n",
        "persona", "games", "mean", "min", "max", "door", "converted"
    );
    for d in &dists {
        let _ = writeln!(
            out,
            "{:<18} {:>6} {:>6.1} {:>5} {:>5} {:>10} {:>10}",
            d.persona.as_str(),
            d.games,
            d.mean,
            d.min,
            d.max,
            d.shown_the_door,
            d.converted
        );
    }
    let repeats: usize = games.iter().filter(|g| !g.repeated_sentences.is_empty()).count();
    let _ = writeln!(out, "\ngames where the prospect said a sentence twice: {repeats} of {}", games.len());
    let _ = writeln!(out, "\nmean score per skill");
    let _ = write!(out, "{:<24}", "skill");
    for d in &dists {
        let _ = write!(out, " {:>9.9}", d.persona.as_str());
    }
    out.push('\n');
    if let Some(first) = dists.first() {
        for skill in first.per_skill.keys() {
            let _ = write!(out, "{skill:<24}");
            for d in &dists {
                let _ = write!(out, " {:>9.1}", d.per_skill.get(skill).copied().unwrap_or(0.0));
            }
            out.push('\n');
        }
    }
    out
}
