//! `replique practice`: a role-play in the terminal. Works interactively or with the
//! learner's lines piped on standard input, one message per line.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::{Context, Result};
use replique_core::engine::{self, Mood};
use replique_core::report::{ReportInput, Role, TranscriptMessage, build_report};
use replique_core::{Catalog, Level};

pub struct Options {
    pub skill: String,
    pub sector: String,
    pub level: Option<String>,
    pub variant: Option<String>,
    pub seed: Option<u64>,
}

pub fn run(catalog: &Catalog, options: Options) -> Result<()> {
    match play(catalog, options) {
        // The reader went away (`replique practice | head`): nothing left to say.
        Err(e) if e.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) => {
            Ok(())
        }
        other => other,
    }
}

fn play(catalog: &Catalog, options: Options) -> Result<()> {
    let skill = catalog
        .skill(&options.skill)
        .with_context(|| format!("unknown skill {:?} (see `replique catalog list`)", options.skill))?;
    let level = match &options.level {
        Some(l) => Level::parse(l).with_context(|| format!("unknown level {l:?}: expected easy, medium or expert"))?,
        None => skill.level,
    };
    let seed = options.seed.unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
    });
    let scenario = engine::scenario(catalog, &skill.slug, &options.sector, level, options.variant.as_deref(), seed)?;
    let interactive = std::io::stdin().is_terminal();
    let mut out = std::io::stdout().lock();

    writeln!(out, "{} — {} ({}, {}, graine {seed})", skill.title, scenario.name, scenario.sector_name, level.label())?;
    writeln!(out, "{}", scenario.scenario_flow.opening.context)?;
    for o in &scenario.scenario_flow.objectives {
        writeln!(out, "  • {}", o.text)?;
    }
    writeln!(out)?;
    let (mut state, opening) = engine::open(&scenario);
    writeln!(out, "{} : {opening}", engine::speaker(&scenario, &state, 0))?;
    let mut messages = vec![TranscriptMessage::new(Role::Prospect, &opening, state.gauge, Vec::new())];

    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    loop {
        if interactive {
            write!(out, "Vous > ")?;
            out.flush()?;
        }
        let Some(line) = lines.next() else { break };
        let line = line.context("cannot read standard input")?;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if !interactive {
            writeln!(out, "Vous : {line}")?;
        }
        let turn = engine::play_turn(&scenario, &mut state, line);
        messages.push(TranscriptMessage::new(Role::User, line, turn.gauge, turn.patterns.clone()));
        messages.push(TranscriptMessage::new(Role::Prospect, &turn.prospect_text, turn.gauge, Vec::new()));
        writeln!(out, "{} : {}", engine::speaker(&scenario, &state, turn.exchange), turn.prospect_text)?;
        let sign = if turn.gauge_delta >= 0 { "+" } else { "" };
        let patterns: Vec<&str> = turn.patterns.iter().map(|d| d.pattern.label()).collect();
        writeln!(
            out,
            "    [jauge {} ({sign}{}) · {}{}]",
            turn.gauge,
            turn.gauge_delta,
            mood(turn.mood),
            if patterns.is_empty() { String::new() } else { format!(" · {}", patterns.join(", ")) }
        )?;
        if turn.session_ended {
            writeln!(out, "\n— Conversation terminée —")?;
            break;
        }
    }
    let report = build_report(&ReportInput {
        session_id: 0,
        scenario: &scenario,
        state: &state,
        messages: &messages,
        duration_seconds: 0,
        completed_at: String::new(),
    });
    writeln!(
        out,
        "\nScore : {}/100 · jauge {} → {} · {}",
        report.final_score,
        report.starting_gauge,
        report.final_gauge,
        if report.converted { "converti" } else { "non converti" }
    )?;
    for c in report.score_breakdown.criteria.iter().filter(|c| c.applies) {
        writeln!(out, "  {} : {}/{} — {}", c.label, c.points, c.max, c.why)?;
    }
    for o in &report.objectives {
        writeln!(out, "  {} {}", if o.met { "✓" } else { "✗" }, o.objective)?;
    }
    for p in &report.positive_patterns {
        writeln!(out, "  + {} (×{})", p.label, p.count)?;
    }
    for p in &report.negative_patterns {
        writeln!(out, "  - {} (×{}) : {}", p.label, p.count, p.advice.as_deref().unwrap_or_default())?;
    }
    for tip in &report.personalized_tips {
        writeln!(out, "  → {tip}")?;
    }
    Ok(())
}

fn mood(mood: Mood) -> &'static str {
    mood.label()
}
