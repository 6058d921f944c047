//! Property tests of every reader of outside text (issue 14): Champion transcripts (JSON,
//! WebVTT, SRT, `Name: text` lines) and the upload sniffing, the transcripts of
//! `replique analyze`, stage directions, and the reading and playing of a learner's turn.
//! None panics on arbitrary input; each keeps what it promises (what was written is what
//! is read, the gauge stays in 0..=100, one exchange per turn, an ending announced only
//! with the end...). A modest number of cases each, so that the suite stays fast.

use proptest::prelude::*;
use replique_core::Level;
use replique_core::catalog::Catalog;
use replique_core::champion::{CallTurn, Upload, parse_call, sniff};
use replique_core::end::EndType;
use replique_core::engine::{Scenario, open, play_turn, read_learner_turn, scenario};
use replique_core::transcript::parse_transcript;
use replique_core::voice::{AnnotationKind, clean_text_for_tts, parse_annotations, prepare_tts_response};

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig { cases, ..ProptestConfig::default() }
}

/// A speaker label as people write them: one or two capitalised words.
fn label() -> impl Strategy<Value = String> {
    "[A-Z][a-zéè]{1,9}( [A-Z][a-z]{1,8})?"
}

/// What someone says on one line: words and punctuation, no colon, no line break.
fn said() -> impl Strategy<Value = String> {
    "[a-zA-Zàéèêç][a-zA-Zàéèêç' ,?!.]{0,60}".prop_map(|s| s.trim().to_owned())
}

/// A call as a list of turns from a few speakers.
fn call() -> impl Strategy<Value = Vec<(String, String)>> {
    proptest::collection::vec(label(), 1..4).prop_flat_map(|speakers| {
        let n = speakers.len();
        proptest::collection::vec((0..n, said()), 1..12)
            .prop_map(move |turns| turns.into_iter().map(|(i, text)| (speakers[i].clone(), text)).collect())
    })
}

/// What any reader must make of `turns`: consecutive turns of one speaker are one, empty
/// ones are dropped; fewer than two speakers is not a dialogue.
fn expected(turns: &[(String, String)]) -> Option<Vec<(String, String)>> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (speaker, text) in turns.iter().filter(|(_, t)| !t.is_empty()) {
        match out.last_mut() {
            Some(last) if &last.0 == speaker => {
                last.1.push(' ');
                last.1.push_str(text);
            }
            _ => out.push((speaker.clone(), text.clone())),
        }
    }
    let speakers: std::collections::BTreeSet<&String> = out.iter().map(|(s, _)| s).collect();
    (speakers.len() >= 2).then_some(out)
}

fn read(parsed: Result<Vec<CallTurn>, replique_core::champion::CallError>) -> Option<Vec<(String, String)>> {
    parsed.ok().map(|turns| turns.into_iter().map(|t| (t.speaker, t.text)).collect())
}

fn cue_time(i: usize, sep: char) -> String {
    format!("00:{:02}:{:02}{sep}000 --> 00:{:02}:{:02}{sep}500", i / 60, i % 60, i / 60, i % 60)
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn a_champion_call_reads_anything_without_panic(text in "\\PC{0,400}") {
        if let Ok(turns) = parse_call(&text) {
            let speakers: std::collections::BTreeSet<&str> = turns.iter().map(|t| t.speaker.as_str()).collect();
            prop_assert!(speakers.len() >= 2, "{turns:?}");
            prop_assert!(turns.iter().all(|t| !t.text.is_empty() && !t.speaker.is_empty()), "{turns:?}");
            prop_assert!(turns.windows(2).all(|w| w[0].speaker != w[1].speaker), "{turns:?}");
        }
    }

    #[test]
    fn uploads_are_sniffed_without_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        if let Upload::Transcript(text) = sniff(&bytes) {
            prop_assert!(!text.contains('\0'));
            let _ = parse_call(&text);
        }
    }

    #[test]
    fn a_text_without_control_characters_is_a_transcript(turns in call()) {
        let text: String = turns.iter().map(|(s, t)| format!("{s} : {t}\n")).collect();
        prop_assert_eq!(sniff(text.as_bytes()), Upload::Transcript(text.clone()));
        let with_bom = [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat();
        prop_assert_eq!(sniff(&with_bom), Upload::Transcript(text));
    }

    #[test]
    fn labelled_lines_read_back_as_written(turns in call()) {
        let text: String = turns.iter().map(|(s, t)| format!("{s}: {t}\n")).collect();
        prop_assert_eq!(read(parse_call(&text)), expected(&turns), "{}", text);
    }

    #[test]
    fn json_reads_back_as_written(turns in call(), shape in 0..3usize) {
        let list: Vec<serde_json::Value> =
            turns.iter().map(|(s, t)| serde_json::json!({"speaker": s, "text": t})).collect();
        let document = match shape {
            0 => serde_json::json!(list),
            1 => serde_json::json!({"segments": list}),
            _ => serde_json::json!({"messages": list}),
        };
        let text = serde_json::to_string_pretty(&document).expect("json");
        prop_assert_eq!(read(parse_call(&text)), expected(&turns), "{}", text);
    }

    #[test]
    fn json_with_any_speakers_and_texts_keeps_the_promises(
        turns in proptest::collection::vec(("\\PC{0,6}", "\\PC{0,20}"), 0..8),
    ) {
        let list: Vec<serde_json::Value> =
            turns.iter().map(|(s, t)| serde_json::json!({"speaker": s, "text": t})).collect();
        if let Ok(read) = parse_call(&serde_json::json!(list).to_string()) {
            prop_assert!(read.iter().all(|t| !t.text.is_empty() && !t.speaker.is_empty()), "{read:?}");
            prop_assert!(read.windows(2).all(|w| w[0].speaker != w[1].speaker), "{read:?}");
        }
    }

    #[test]
    fn webvtt_reads_back_as_written(turns in call()) {
        let mut text = String::from("WEBVTT\n\n");
        for (i, (s, t)) in turns.iter().enumerate() {
            text.push_str(&format!("{}\n<v {s}>{t}</v>\n\n", cue_time(i, '.')));
        }
        prop_assert_eq!(read(parse_call(&text)), expected(&turns), "{}", text);
    }

    #[test]
    fn srt_reads_back_as_written(turns in call()) {
        let mut text = String::new();
        for (i, (s, t)) in turns.iter().enumerate() {
            text.push_str(&format!("{}\n{}\n{s}: {t}\n\n", i + 1, cue_time(i, ',')));
        }
        prop_assert_eq!(read(parse_call(&text)), expected(&turns), "{}", text);
    }

    #[test]
    fn an_analyzed_transcript_reads_anything_without_panic(text in "\\PC{0,400}") {
        if let Ok(parsed) = parse_transcript(&text) {
            prop_assert!(!parsed.exchanges.is_empty());
            prop_assert!(parsed.exchanges.iter().all(|e| !e.user.is_empty()));
        }
    }

    #[test]
    fn an_analyzed_transcript_reads_back_as_written(
        exchanges in proptest::collection::vec((said(), said()), 1..8).prop_filter(
            "messages are not empty", |e| e.iter().all(|(u, p)| !u.is_empty() && !p.is_empty())),
    ) {
        let text: String = exchanges.iter().map(|(u, p)| format!("Vendeur: {u}\nProspect: {p}\n")).collect();
        let parsed = parse_transcript(&text).expect("a well-formed transcript");
        let read: Vec<(String, String)> = parsed.exchanges.into_iter().map(|e| (e.user, e.prospect)).collect();
        prop_assert_eq!(read, exchanges);
    }

    #[test]
    fn stage_directions_parse_anything_without_panic(text in "\\PC{0,300}") {
        for a in parse_annotations(&text) {
            prop_assert!(!a.raw.is_empty() && !a.value.is_empty(), "{a:?}");
            prop_assert!(text.contains(&a.raw), "{a:?} in {text:?}");
        }
        let prepared = prepare_tts_response(&text, replique_core::engine::Mood::Neutral, 50);
        prop_assert!(!prepared.text_for_tts.contains(['(', ')', '*']));
    }

    #[test]
    fn a_direction_never_takes_or_adds_a_spoken_word(
        before in "[a-zA-Zé]{1,10}( [a-zA-Zé]{1,10}){0,5}",
        direction in "[a-zé]{1,10}( [a-zé]{1,10}){0,3}",
        after in "[a-zA-Zé]{1,10}( [a-zA-Zé]{1,10}){0,5}",
        starred in any::<bool>(),
    ) {
        let line = if starred { format!("{before} *{direction}* {after}") } else { format!("{before} ({direction}) {after}") };
        prop_assert_eq!(clean_text_for_tts(&line), format!("{before} {after}"));
        let annotations = parse_annotations(&line);
        prop_assert!(!annotations.is_empty());
        prop_assert!(annotations.iter().all(|a| direction.contains(&a.raw)));
        // Words of speech alone carry no direction.
        let speech = format!("{before} {after}");
        prop_assert!(parse_annotations(&speech).is_empty());
        prop_assert!(annotations.iter().all(|a| a.kind != AnnotationKind::Sound || !a.value.contains(' ')));
    }
}

fn catalog() -> &'static Catalog {
    static CATALOG: std::sync::OnceLock<Catalog> = std::sync::OnceLock::new();
    CATALOG.get_or_init(|| Catalog::embedded().expect("catalogue"))
}

/// A scenario of the catalogue, chosen by `pick`, at a level and seed.
fn any_scenario(pick: usize, level: Level, seed: u64) -> Scenario {
    let catalog = catalog();
    let template = &catalog.templates[pick % catalog.templates.len()];
    let sector = template.sectors.first().map_or("generic", String::as_str);
    scenario(catalog, &template.skill_slug, sector, level, Some(&template.template_id), seed).expect("scenario")
}

/// What a learner might type: anything, or the words that end a conversation.
fn learner_line() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "\\PC{0,200}",
        1 => prop::sample::select(vec![
            "Merci pour votre temps, au revoir !",
            "Bonne journée, au revoir.",
            "Je vous propose un rendez-vous mardi à 10h ?",
            "Comment est organisée votre équipe aujourd’hui ?",
            "",
            "?",
        ]).prop_map(str::to_owned),
    ]
}

proptest! {
    #![proptest_config(config(48))]

    #[test]
    fn a_turn_reads_anything_without_panic(pick in 0..64usize, seed in any::<u64>(), line in "\\PC{0,300}") {
        let s = any_scenario(pick, Level::Medium, seed);
        let (mut state, _) = open(&s);
        let (reading, found) = read_learner_turn(&s, &mut state, &line);
        prop_assert!(found.iter().all(|d| !d.evidence.is_empty() || reading.sentences.is_empty()));
    }

    #[test]
    fn turns_keep_the_gauge_the_count_and_the_ending_consistent(
        pick in 0..64usize,
        level in prop::sample::select(Level::ALL.to_vec()),
        seed in any::<u64>(),
        auto_end in any::<bool>(),
        lines in proptest::collection::vec(learner_line(), 1..12),
    ) {
        let mut s = any_scenario(pick, level, seed);
        s.conversation_rules.auto_end_enabled = auto_end;
        s.conversation_rules.min_exchanges = s.conversation_rules.min_exchanges.min(2);
        let (mut state, _) = open(&s);
        prop_assert!(state.gauge <= 100);
        for (i, line) in lines.iter().enumerate() {
            if state.ended.is_some() {
                break;
            }
            let before = state.gauge;
            let turn = play_turn(&s, &mut state, line);
            prop_assert!(turn.gauge <= 100 && state.gauge == turn.gauge);
            prop_assert_eq!(i32::from(turn.gauge) - i32::from(before), turn.gauge_delta);
            prop_assert_eq!(turn.exchange as usize, i + 1);
            prop_assert_eq!(state.exchanges, turn.exchange);
            prop_assert!(!turn.prospect_text.trim().is_empty(), "the prospect always answers");
            prop_assert_eq!(turn.session_ended, state.ended.is_some());
            // An ending under way (the prospect leaving, the learner saying goodbye) may be
            // announced before the end; an ending that is done is announced with it.
            match turn.end_type {
                Some(EndType::ProspectEnding | EndType::UserEnding) | None => prop_assert!(!turn.session_ended),
                Some(done) => prop_assert!(turn.session_ended, "{done:?} while the session goes on"),
            }
            if turn.exchange >= s.conversation_rules.max_exchanges {
                prop_assert!(turn.session_ended);
            }
        }
    }
}

/// The case the ending property found: a mutual goodbye in a scenario without auto-end
/// ends nothing, and announces nothing either.
#[test]
fn without_auto_end_a_mutual_goodbye_announces_no_ending() {
    let lines = [
        "Bonjour, merci de prendre ce temps. Comment est organisée votre équipe aujourd’hui ?",
        "D’accord. Et quels outils utilisez-vous aujourd’hui pour vos suivis ?",
        "Si je comprends bien, tout repose sur quelques personnes. Qu’est-ce qui vous pose le plus de problèmes ?",
        "Je comprends. Quelles conséquences cela a-t-il pour vous concrètement ?",
        "Je vous propose un rendez-vous mardi à 10h pour vous montrer une démonstration ?",
        "Merci pour votre temps, au revoir !",
    ];
    let play = |auto_end: bool| {
        let mut s = scenario(catalog(), "ecoute_active", "generic", Level::Easy, None, 42).expect("scenario");
        s.conversation_rules.auto_end_enabled = auto_end;
        let (mut state, _) = open(&s);
        lines.iter().map(|line| play_turn(&s, &mut state, line)).last().expect("a turn")
    };
    let ended = play(true);
    assert_eq!((ended.session_ended, ended.end_type), (true, Some(EndType::MutualGoodbye)), "{ended:#?}");
    let goes_on = play(false);
    assert_eq!((goes_on.session_ended, goes_on.end_type), (false, None), "{goes_on:#?}");
}
