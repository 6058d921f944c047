//! Benchmarks of the engine's hot paths (criterion): reading and analysing one learner turn
//! (alone and as the 40th of a conversation), playing one full engine turn (the 40th),
//! building the report of a 40-exchange session, loading the catalogue and adapting a
//! template. Before criterion runs, the p99 of the per-turn paths over 2,000 timed runs and
//! the memory of the loaded lexicon and scenario topics are printed (issues 12 and 13).
//! Run with `cargo bench -p replique-core`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group};
use replique_core::Level;
use replique_core::analysis::lexicon::LEX;
use replique_core::analysis::{TurnContext, analyse_turn, read_and_judge};
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
        live_objection: "",
        competitors: &competitors,
        proof_names: &s.proof.notable_clients,
        ..TurnContext::default()
    };
    c.bench_function("analyse_turn (one learner turn)", |b| b.iter(|| analyse_turn(&ctx, black_box(LINES[2]))));
    let (state39, _) = session(&s, 39);
    let late = late_context(&s, &state39, &competitors);
    c.bench_function("read_and_judge (40th turn of a conversation)", |b| {
        b.iter(|| read_and_judge(&late, black_box(LINES[2])))
    });
    c.bench_function("play_turn (40th turn of a conversation)", |b| {
        b.iter_batched(
            || state39.clone(),
            |mut state| play_turn(&long(&s), &mut state, black_box(LINES[2])),
            criterion::BatchSize::SmallInput,
        )
    });

    let (state_after_two, _) = session(&s, 2);
    c.bench_function("play_turn (one engine turn)", |b| {
        b.iter_batched(
            || state_after_two.clone(),
            |mut state| play_turn(&s, &mut state, black_box(LINES[2])),
            criterion::BatchSize::SmallInput,
        )
    });

    let (state, messages) = session(&s, 40);
    c.bench_function("build_report (40 exchanges)", |b| {
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

/// The scenario with its exchange cap lifted (the 40th turn must still be played).
fn long(s: &Scenario) -> Scenario {
    let mut s = s.clone();
    s.conversation_rules.max_exchanges = 1000;
    s
}

/// The analysis context of the 40th turn: 39 earlier learner lines, the prospect's lines.
fn late_context<'a>(s: &'a Scenario, state: &'a SessionState, competitors: &'a [String]) -> TurnContext<'a> {
    TurnContext {
        prospect_name: &s.prospect.name,
        company: &s.prospect.company,
        previous_prospect_line: &state.last_prospect_line,
        previous_was_objection: state.objection_on_table,
        live_objection: "",
        competitors,
        proof_names: &s.proof.notable_clients,
        earlier_learner_lines: &state.learner_lines,
        earlier_prospect_lines: &state.used_lines,
        topics: Some(s.topics()),
        ..TurnContext::default()
    }
}

/// p50 and p99 of `f` over `runs` timed runs, in microseconds.
fn percentiles(runs: usize, mut f: impl FnMut()) -> (f64, f64) {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let start = std::time::Instant::now();
            f();
            start.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    times.sort_by(|a, b| a.total_cmp(b));
    // The sample at a quantile, by rank (runs * q of them below it).
    let at = |percent: usize| times[(times.len() - 1) * percent / 100];
    (at(50), at(99))
}

/// The figures the issues ask for, printed before criterion's own.
fn report_p99_and_memory() {
    let (_, s) = fixture();
    let s = long(&s);
    let competitors: Vec<String> = s.competition.main_competitors.iter().map(|c| c.name.clone()).collect();
    let (state39, _) = session(&s, 39);
    let ctx = late_context(&s, &state39, &competitors);
    let (p50, p99) = percentiles(2000, || {
        black_box(read_and_judge(&ctx, black_box(LINES[2])));
    });
    eprintln!("read_and_judge, 40th turn: p50 {p50:.0} µs, p99 {p99:.0} µs");
    let (p50, p99) = percentiles(2000, || {
        let mut state = state39.clone();
        black_box(play_turn(&s, &mut state, black_box(LINES[2])));
    });
    eprintln!("play_turn, 40th turn: p50 {p50:.0} µs, p99 {p99:.0} µs");
    let (state, messages) = session(&s, 40);
    let (p50, p99) = percentiles(500, || {
        black_box(build_report(&ReportInput {
            session_id: 1,
            scenario: &s,
            state: &state,
            messages: &messages,
            duration_seconds: 900,
            completed_at: String::new(),
        }));
    });
    eprintln!("build_report, 40 exchanges: p50 {p50:.0} µs, p99 {p99:.0} µs");
    let phrases: usize = LEX.sections().iter().map(|(_, l)| l.len()).sum();
    let text: usize = LEX.sections().iter().flat_map(|(_, l)| l.iter()).map(|p| p.len()).sum();
    eprintln!(
        "lexicon: {phrases} phrases, {} KiB of text in the binary, {} KiB of heap once loaded",
        text / 1024,
        LEX.heap_bytes() / 1024
    );
    let topics = s.topics();
    let stems: usize = topics.vocabulary.iter().map(|v| v.len() + std::mem::size_of::<String>()).sum::<usize>()
        + topics.facts.iter().flatten().flatten().map(|v| v.len() + std::mem::size_of::<String>()).sum::<usize>()
        + topics
            .fact_questions
            .iter()
            .flatten()
            .flatten()
            .map(|v| v.len() + std::mem::size_of::<String>())
            .sum::<usize>()
        + topics.question_weights.keys().map(|k| k.len() + std::mem::size_of::<String>() + 4).sum::<usize>();
    eprintln!("scenario topics (decouverte_compir_1): about {} KiB of stems", stems / 1024);
}

criterion_group! {
    name = engine;
    // Short runs: the machine is shared; these are for orders of magnitude and regressions.
    config = Criterion::default().sample_size(30).warm_up_time(std::time::Duration::from_millis(500)).measurement_time(std::time::Duration::from_secs(2));
    targets = benches
}

fn main() {
    report_p99_and_memory();
    engine();
    Criterion::default().configure_from_args().final_summary();
}
