//! `replique analyze FILE`: analyse and score a transcript whose prospect lines are given.

use std::io::Read;
use std::path::Path;

use anyhow::{Context, Result};
use replique_core::catalog::adapt_scenario_to_sector;
use replique_core::report::{ReportInput, build_report};
use replique_core::transcript::{analyse_transcript, parse_transcript};
use replique_core::{Catalog, Level};

/// What the command line says, overriding the transcript's own settings.
pub struct Options {
    pub skill: Option<String>,
    pub sector: Option<String>,
    pub level: Option<String>,
    pub min_exchanges: Option<u32>,
}

pub fn run(catalog: &Catalog, file: &Path, options: Options) -> Result<serde_json::Value> {
    let input = if file == Path::new("-") {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).context("cannot read the transcript from standard input")?;
        text
    } else {
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?
    };
    let parsed = parse_transcript(&input).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;

    let skill = options.skill.or(parsed.skill.clone()).unwrap_or_else(|| "ecoute_active".into());
    let sector = options.sector.or(parsed.sector.clone()).unwrap_or_else(|| "generic".into());
    let skill_info =
        catalog.skill(&skill).with_context(|| format!("unknown skill {skill:?} (see `replique catalog list`)"))?;
    let level = match options.level.or(parsed.level.clone()) {
        Some(l) => Level::parse(&l).with_context(|| format!("unknown level {l:?}: expected easy, medium or expert"))?,
        None => skill_info.level,
    };
    let min_exchanges = options.min_exchanges.or(parsed.min_exchanges).unwrap_or(4);
    let template = catalog.templates_for(&skill).next().with_context(|| format!("no template for skill {skill}"))?;
    let mut scenario = adapt_scenario_to_sector(catalog, template, &sector, level, 0)?;
    // The prospect's lines are given: the template's scripted facts, objections and events
    // did not happen in this conversation. Its objectives are kept for what can be seen in
    // a real call (techniques, discovery questions, an agreed next step).
    replique_core::transcript::keep_observable(&mut scenario);

    let analysis = analyse_transcript(&scenario, parsed.opening.as_deref(), &parsed.exchanges, min_exchanges);
    let report = build_report(&ReportInput {
        session_id: 0,
        scenario: &scenario,
        state: &analysis.state,
        messages: &analysis.messages,
        duration_seconds: 0,
        completed_at: String::new(),
    });
    Ok(serde_json::json!({ "report": report, "exchanges": analysis.exchanges }))
}
