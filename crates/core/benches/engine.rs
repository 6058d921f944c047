//! Timings of the engine's hot paths: analysing a learner turn, playing a turn, building a
//! report, loading and adapting the catalogue. A plain binary (no harness) so it builds
//! fast: each case runs for about half a second after a warm-up and prints the median of
//! its batches. Run with `cargo bench -p replique-core`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use replique_core::Level;
use replique_core::analysis::{TurnContext, analyse_turn};
use replique_core::catalog::{Catalog, adapt_scenario_to_sector};
use replique_core::engine::{open, play_turn, scenario};
use replique_core::report::{ReportInput, Role, TranscriptMessage, build_report};

const LINES: &[&str] = &[
    "Bonjour Monsieur, merci de me recevoir. Comment est organisée votre équipe commerciale aujourd’hui ?",
    "D’accord. Et quels outils utilisez-vous pour suivre vos clients et vos devis ?",
    "Si je comprends bien, tout passe par Excel et par la mémoire de chacun. Qu’est-ce qui vous pose le plus de problèmes ?",
    "Je comprends. Qu’est-ce qui vous fait dire que ce n’est pas la priorité ?",
    "Quelles conséquences cela a-t-il eu pour vous, concrètement, l’an dernier ?",
    "Euh, du coup, notre solution est la meilleure du marché, nous avons plein de fonctionnalités et notre société est leader.",
    "Je vous propose un rendez-vous mardi à 10h pour vous montrer une démonstration sur vos propres données ?",
    "Merci pour votre temps, au revoir !",
];

fn time(name: &str, mut f: impl FnMut()) {
    for _ in 0..50 {
        f();
    }
    let mut batches = Vec::new();
    let deadline = Instant::now() + Duration::from_millis(500);
    while Instant::now() < deadline || batches.len() < 5 {
        let start = Instant::now();
        for _ in 0..20 {
            f();
        }
        batches.push(start.elapsed() / 20);
    }
    batches.sort();
    let median = batches[batches.len() / 2];
    println!("{name:<40} {:>10.1} µs", median.as_secs_f64() * 1e6);
}

fn main() {
    let catalog = Catalog::embedded().expect("embedded catalogue");
    let s = scenario(&catalog, "decouverte_compir", "generic", Level::Medium, None, 7).expect("scenario");
    let competitors: Vec<String> = s.competition.main_competitors.iter().map(|c| c.name.clone()).collect();
    let proof: Vec<String> = s.proof.notable_clients.clone();
    let ctx = TurnContext {
        prospect_name: &s.prospect.name,
        company: &s.prospect.company,
        previous_prospect_line: "Un CRM… On en a déjà parlé en interne. Je ne suis pas certain que ce soit la priorité.",
        previous_was_objection: true,
        competitors: &competitors,
        proof_names: &proof,
        ..TurnContext::default()
    };

    time("analyse_turn (8 learner lines)", || {
        for line in LINES {
            black_box(analyse_turn(&ctx, black_box(line)));
        }
    });

    time("play_turn (a whole 8-turn session)", || {
        let (mut state, _) = open(&s);
        for line in LINES {
            black_box(play_turn(&s, &mut state, line));
        }
    });

    let (mut state, opening) = open(&s);
    let mut messages = vec![TranscriptMessage {
        role: Role::Prospect,
        content: opening,
        gauge_after: state.gauge,
        patterns: vec![],
        timestamp: String::new(),
    }];
    for line in LINES {
        let turn = play_turn(&s, &mut state, line);
        messages.push(TranscriptMessage {
            role: Role::User,
            content: (*line).into(),
            gauge_after: turn.gauge,
            patterns: turn.patterns,
            timestamp: String::new(),
        });
        messages.push(TranscriptMessage {
            role: Role::Prospect,
            content: turn.prospect_text,
            gauge_after: turn.gauge,
            patterns: vec![],
            timestamp: String::new(),
        });
    }
    time("build_report (8-turn session)", || {
        black_box(build_report(&ReportInput {
            session_id: 1,
            scenario: &s,
            state: &state,
            messages: &messages,
            duration_seconds: 300,
            completed_at: String::new(),
        }));
    });

    time("Catalog::embedded (parse + check all)", || {
        black_box(Catalog::embedded().expect("catalogue"));
    });
    let template = catalog.template("decouverte_compir_1").expect("template");
    time("adapt_scenario_to_sector", || {
        black_box(adapt_scenario_to_sector(&catalog, template, "immo", Level::Expert, 3).expect("adapt"));
    });
}
