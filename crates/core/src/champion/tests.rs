//! Champion: reading calls, analysing them, comparing a learner with the champion.
use super::*;
use crate::engine::Quality;

const CALL: &str = "Vendeur : Bonjour Madame Roux, merci de me recevoir. Comment est organisé votre service achats aujourd'hui ?
Cliente : Nous sommes trois acheteurs, tout passe par Excel.
Vendeur : Si je comprends bien, tout repose sur vos fichiers. Qu'est-ce qui vous pose le plus de difficultés ?
Cliente : Les relances fournisseurs. Mais honnêtement, c'est trop cher, ce genre d'outil.
Vendeur : Trop cher par rapport à quoi ? À part ce point, la solution vous conviendrait ?
Cliente : Oui, à part le prix.
Vendeur : Je vous propose un rendez-vous mardi à 10h pour chiffrer ce que vous coûtent les relances, concrètement pour vous.
Cliente : D'accord.";

#[test]
fn reads_labelled_text_vtt_srt_and_json() {
    let text = parse_call(CALL).expect("text");
    assert_eq!(text.len(), 8);
    assert_eq!(text[1].speaker, "Cliente");
    let vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Paul Martin>Bonjour, comment allez-vous ?</v>\n\n00:00:04.500 --> 00:00:06.000\n<v Client>Bien, merci.";
    let turns = parse_call(vtt).expect("vtt");
    assert_eq!((turns[0].speaker.as_str(), turns[0].start), ("Paul Martin", Some(1.0)));
    let srt =
        "1\n00:00:01,000 --> 00:00:03,000\nVendeur: Bonjour !\n\n2\n00:00:03,500 --> 00:00:05,000\nClient: Bonjour.\n";
    let turns = parse_call(srt).expect("srt");
    assert_eq!(turns.len(), 2);
    assert_eq!(turns[1].start, Some(3.5));
    let json =
        r#"{"segments": [{"speaker": "A", "text": "Bonjour ?", "start": 0.0}, {"speaker": "B", "text": "Oui."}]}"#;
    assert_eq!(parse_call(json).expect("json").len(), 2);
}

#[test]
fn refuses_what_is_not_a_dialogue() {
    assert_eq!(parse_call("").unwrap_err().line, 0);
    assert!(parse_call("Bonjour, ceci est un texte sans locuteurs.\nEt une autre ligne.").is_err());
    assert!(parse_call("Vendeur: je parle seul.\nVendeur: encore.").is_err());
    assert!(parse_call("{\"segments\": 3}").is_err());
}

#[test]
fn sniffs_recordings_by_their_bytes() {
    assert_eq!(sniff(b"RIFF\x24\x00\x00\x00WAVEfmt "), Upload::Recording("audio/wav"));
    assert_eq!(sniff(b"ID3\x04\x00"), Upload::Recording("audio/mpeg"));
    assert_eq!(sniff(b"OggS\x00\x02"), Upload::Recording("audio/ogg"));
    assert_eq!(sniff(&[0x1A, 0x45, 0xDF, 0xA3, 0x01]), Upload::Recording("video/webm"));
    assert_eq!(sniff(b"\x00\x00\x00\x18ftypmp42"), Upload::Recording("video/mp4"));
    assert_eq!(sniff(b"Vendeur: Bonjour"), Upload::Transcript("Vendeur: Bonjour".into()));
    assert_eq!(sniff(&[0x00, 0x01, 0x02, 0xFE]), Upload::Unsupported);
}

#[test]
fn infers_the_champion_and_analyses_the_call() {
    let turns = parse_call(CALL).expect("call");
    let champion = infer_champion(&turns).expect("champion");
    assert_eq!(champion, "Vendeur");
    let a = analyse_call(&turns, &champion);
    assert_eq!(a.clients, vec!["Cliente"]);
    let ids: Vec<&str> = a.patterns.iter().map(|p| p.pattern.as_str()).collect();
    for id in ["good_open_question", "reformulation", "objection_dig", "objection_neutralize", "next_step_proposal"] {
        assert!(ids.contains(&id), "{id} in {ids:?}");
    }
    assert_eq!(a.objections.len(), 1);
    assert_eq!(a.objections[0].quality, Quality::Good);
    assert!(a.objections[0].cnz.contains(&"creuser".to_owned()));
    assert_eq!(a.stages.first().map(|s| s.stage.as_str()), Some("discovery"));
    assert_eq!(a.stages.last().map(|s| s.stage.as_str()), Some("closing"));
    assert!(a.delivery.questions_asked >= 3);
}

#[test]
fn a_scenario_replays_the_call_and_compares_point_by_point() {
    let turns = parse_call(CALL).expect("call");
    let scenario = scenario_of(&turns, "Vendeur");
    assert_eq!(scenario.client, "Cliente");
    assert_eq!(scenario.moves.len(), 4);
    assert_eq!(scenario.moves[0].client_line, None, "the champion opens the call");
    assert!(scenario.moves[2].client_line.as_deref().is_some_and(|l| l.contains("trop cher")));
    assert_eq!(scenario.objections.len(), 1);
    let answer = "Je comprends. Qu'est-ce qui vous fait dire ça ?";
    let learner = AnsweredWith {
        text: answer.into(),
        patterns: answer_patterns(scenario.moves[2].client_line.as_deref(), answer),
    };
    let points = compare(&scenario, &[learner.clone(), learner.clone(), learner]);
    assert_eq!(points.len(), 3);
    assert!(points[2].learner.patterns.contains(&"objection_dig".to_owned()));
    assert!(points[2].champion.patterns.contains(&"objection_neutralize".to_owned()));
}

#[test]
fn the_champion_is_the_one_who_asks_when_labels_are_names() {
    let turns = parse_call("Julie: Bonjour ! Comment allez-vous ? Qu'est-ce qui vous amène ?\nMarc: Bien.\nJulie: Et votre équipe ?\nMarc: Ça va.").expect("call");
    assert_eq!(infer_champion(&turns).as_deref(), Some("Julie"));
}

#[test]
fn objections_and_their_treatment_come_from_the_same_reading() {
    let call = "Vendeur : Bonjour Monsieur, comment gérez-vous vos achats d'emballages aujourd'hui ?
Client : Avec deux fournisseurs. Mais vous êtes sûrement plus chers que les Polonais.
Vendeur : Plus chers par rapport à quoi, exactement ?
Client : Au prix à la tonne.
Vendeur : Je comprends. Racontez-moi un peu votre atelier ?
Client : Trente personnes, deux lignes.";
    let turns = parse_call(call).expect("call");
    let a = analyse_call(&turns, "Vendeur");
    assert_eq!(a.objections.len(), 1, "{:?}", a.objections);
    assert!(a.objections[0].cnz.contains(&"creuser".to_owned()));
    // A dig is only ever counted on a live objection: never "no objection" beside it.
    let digs = a.patterns.iter().find(|p| p.pattern == "objection_dig").map_or(0, |p| p.count);
    assert_eq!(digs, 1, "{:?}", a.patterns);
}
