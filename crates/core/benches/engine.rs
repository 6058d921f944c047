//! Benchmarks of the engine's hot paths (criterion): analysing one learner turn, playing
//! one full engine turn, building the report of a 30-exchange session, loading the
//! catalogue and adapting a template. Run with `cargo bench -p replique-core`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use replique_core::Level;
use replique_core::analysis::{TurnContext, analyse_turn};
use replique_core::catalog::{Catalog, adapt_scenario_to_sector};
use replique_core::engine::{Scenario, SessionState, open, play_turn, scenario};
use replique_core::report::{ReportInput, Role, TranscriptMessage, build_report};

const LINES: &[&str] = &[
    "Bonjour Monsieur, merci de me recevoir. Comment est organisée votre équipe commerciale aujourd’hui ?",
    "D’accord. Et quels outils utilisez-vous pour suivre vos clients et vos devis ?",
    "Si je comprends bien, tout passe par Excel et par la mémoire de chacun. Qu’est-ce qui vous pose le plus de problèmes ?",
    "Je comprends. Qu’est-ce qui vous fait dire que ce n’est pas la priorité ?",
    "Quelles conséquences cela a-t-il eu pour vous, concrètement, l’an dernier ?",
    "Euh, du coup, notre solution est la meilleure du marché, nous avons plein de fonctionnalités et notre société est leader.",
];

fn fixture() -> (Catalog, Scenario) {
    let catalog = Catalog::embedded().expect("embedded catalogue");
    let s = scenario(&catalog, "decouverte_compir", "generic", Level::Medium, Some("decouverte_compir_1"), 7)
        .expect("scenario");
    (catalog, s)
}

/// A session of `n` exchanges (the prospect stays: max_exchanges is lifted).
fn session(s: &Scenario, n: usize) -> (SessionState, Vec<TranscriptMessage>) {
    let mut s = s.clone();
    s.conversation_rules.max_exchanges = 1000;
    let (mut state, opening) = open(&s);
    let mut messages = vec![TranscriptMessage::new(Role::Prospect, &opening, state.gauge, vec![])];
    for line in LINES.iter().cycle().take(n) {
        let turn = play_turn(&s, &mut state, line);
        messages.push(TranscriptMessage::new(Role::User, line, turn.gauge, turn.patterns));
        messages.push(TranscriptMessage::new(Role::Prospect, &turn.prospect_text, turn.gauge, vec![]));
    }
    (state, messages)
}

fn benches(c: &mut Criterion) {
    let (catalog, s) = fixture();
    let competitors: Vec<String> = s.competition.main_competitors.iter().map(|c| c.name.clone()).collect();
    let ctx = TurnContext {
        prospect_name: &s.prospect.name,
        company: &s.prospect.company,
        previous_prospect_line: "Un CRM… On en a déjà parlé en interne. Je ne suis pas certain que ce soit la priorité.",
        previous_was_objection: true,
        competitors: &competitors,
        proof_names: &s.proof.notable_clients,
        ..TurnContext::default()
    };
    c.bench_function("analyse_turn (one learner turn)", |b| b.iter(|| analyse_turn(&ctx, black_box(LINES[2]))));

    let (state_after_two, _) = session(&s, 2);
    c.bench_function("play_turn (one engine turn)", |b| {
        b.iter_batched(
            || state_after_two.clone(),
            |mut state| play_turn(&s, &mut state, black_box(LINES[2])),
            criterion::BatchSize::SmallInput,
        )
    });

    let (state, messages) = session(&s, 30);
    c.bench_function("build_report (30 exchanges)", |b| {
        b.iter(|| {
            build_report(&ReportInput {
                session_id: 1,
                scenario: &s,
                state: &state,
                messages: black_box(&messages),
                duration_seconds: 900,
                completed_at: String::new(),
            })
        })
    });

    c.bench_function("Catalog::embedded (parse + check)", |b| b.iter(|| Catalog::embedded().expect("catalogue")));
    let template = catalog.template("decouverte_compir_1").expect("template");
    c.bench_function("adapt_scenario_to_sector", |b| {
        b.iter(|| adapt_scenario_to_sector(&catalog, template, "immo", Level::Expert, black_box(3)).expect("adapt"))
    });
}

criterion_group! {
    name = engine;
    // Short runs: the machine is shared; these are for orders of magnitude and regressions.
    config = Criterion::default().sample_size(30).warm_up_time(std::time::Duration::from_millis(500)).measurement_time(std::time::Duration::from_secs(2));
    targets = benches
}
criterion_main!(engine);
