//! From a learner message to the first byte of the prospect's audio, offline: the engine
//! plays the turn, the line is prepared for the voice, espeak-ng speaks it (uncached), its
//! sounds are mixed in front and the WAV is encoded. Run with `cargo bench -p replique-voice`
//! (needs espeak-ng).

use criterion::{Criterion, criterion_group, criterion_main};
use replique_core::Level;
use replique_core::catalog::Catalog;
use replique_core::engine::{self, Mood};
use replique_core::voice::prepare_tts_response;
use replique_voice::{Library, Tts, TtsConfig, VoiceSpec, mix};

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let tts = runtime.block_on(Tts::new(&TtsConfig::default()));
    if let Some(why) = tts.unavailable() {
        eprintln!("skipped: {why}");
        return;
    }
    let library = Library::build(&Default::default());
    let catalog = Catalog::embedded().expect("catalogue");
    let scenario =
        engine::scenario(&catalog, "decouverte_compir", "generic", Level::Medium, Some("decouverte_compir_1"), 3)
            .expect("scenario");
    let (state, _) = engine::open(&scenario);
    let voice = VoiceSpec::default();
    c.bench_function("learner message -> first byte of audio (espeak-ng)", |b| {
        b.iter(|| {
            let mut state = state.clone();
            let turn = engine::play_turn(
                &scenario,
                &mut state,
                "Comment est organisée votre équipe commerciale aujourd’hui ?",
            );
            let prepared = prepare_tts_response(&turn.prospect_text, Mood::from_gauge(turn.gauge), turn.gauge);
            tts.clear_cache();
            let speech =
                runtime.block_on(tts.speak(&prepared.text_for_tts, &prepared.tts_settings, &voice)).expect("speech");
            let before: Vec<_> = prepared.sounds_before.iter().filter_map(|id| library.get(id)).collect();
            let wav = mix::assemble(&before, &speech, None).to_wav();
            wav[0]
        })
    });
}

criterion_group! {
    name = voice;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(5));
    targets = bench
}
criterion_main!(voice);
