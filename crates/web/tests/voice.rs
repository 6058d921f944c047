//! Voice through the web: the sound library, each prospect line as audio, the voice fields
//! of a turn, transcription without a provider, and the live session over WebSocket.

mod common;

use common::TestApp;
use serde_json::json;

fn espeak_present() -> bool {
    std::process::Command::new("espeak-ng").arg("--version").output().is_ok_and(|o| o.status.success())
}

#[tokio::test]
async fn the_sound_library_is_served_as_real_wav_files() {
    let app = TestApp::spawn().await;
    for path in [
        "sighs/sigh_heavy.wav",
        "reactions/hmm_doubtful.wav",
        "interruptions/wait_wait.wav",
        "ambiance/office_quiet.wav",
    ] {
        let r = app.client.get(app.url(&format!("/static/audio/voice_effects/{path}"))).send().await.expect("get");
        assert_eq!(r.status(), 200, "{path}");
        assert_eq!(r.headers()["content-type"], "audio/wav");
        let bytes = r.bytes().await.expect("bytes");
        assert_eq!(&bytes[0..4], b"RIFF");
    }
    for path in ["sighs/hmm_doubtful.wav", "sighs/nope.wav", "sighs/sigh_heavy.mp3"] {
        let r = app.client.get(app.url(&format!("/static/audio/voice_effects/{path}"))).send().await.expect("get");
        assert_eq!(r.status(), 404, "{path}");
    }
    app.stop().await;
}

#[tokio::test]
async fn a_turn_carries_its_voice_and_its_audio_is_served_to_its_owner_only() {
    let app = TestApp::spawn().await;
    let c = app.client.clone();
    app.sign_up(&c, "voix@exemple.fr").await;
    let id = app.start_session(&c, "ecoute_active").await;
    let (status, turn) = app.say(&c, id, "Bonjour, comment est organisée votre équipe aujourd’hui ?").await;
    assert_eq!(status, 200);
    let prospect = &turn["prospect"];
    for key in ["text", "text_for_tts", "sounds_before", "visual_actions", "detected_emotion", "tts_settings"] {
        assert!(prospect.get(key).is_some(), "prospect.{key}: {prospect}");
    }
    assert!(!prospect["text_for_tts"].as_str().unwrap_or_default().contains('('));
    if !espeak_present() {
        assert!(std::env::var("CI").map_or(true, |v| v != "true"), "espeak-ng is required in CI");
        assert!(prospect["audio_url"].is_null());
        app.stop().await;
        return;
    }
    let audio_url = prospect["audio_url"].as_str().expect("audio url").to_owned();
    assert_eq!(audio_url, format!("/api/voice/session/{id}/audio/2"));
    let r = c.get(app.url(&audio_url)).send().await.expect("audio");
    assert_eq!(r.status(), 200);
    let wav = r.bytes().await.expect("bytes");
    assert!(wav.len() > 10_000 && &wav[0..4] == b"RIFF");
    // The opening line has its audio too (seq 0), with ambiance on request.
    let r = c.get(app.url(&format!("/api/voice/session/{id}/audio/0?ambiance=true"))).send().await.expect("audio");
    assert_eq!(r.status(), 200);
    // A learner's own line is not audio; another learner gets nothing.
    assert_eq!(c.get(app.url(&format!("/api/voice/session/{id}/audio/1"))).send().await.expect("get").status(), 404);
    let other = app.other_client();
    app.sign_up(&other, "autre@exemple.fr").await;
    assert_eq!(other.get(app.url(&audio_url)).send().await.expect("get").status(), 404);
    app.stop().await;
}

#[tokio::test]
async fn transcription_without_a_provider_says_it_is_not_configured_here() {
    let app = TestApp::spawn().await;
    let c = app.client.clone();
    app.sign_up(&c, "stt@exemple.fr").await;
    let id = app.start_session(&c, "ecoute_active").await;
    let (_, status) = app.get_json(&c, "/api/voice/status").await;
    assert_eq!(status["transcription"], false);
    let csrf = c.get(app.url("/")).send().await.expect("home");
    drop(csrf);
    // Raw audio needs the CSRF header: take the token from the cookie jar through a page.
    let page =
        c.get(app.url(&format!("/training/session/{id}"))).send().await.expect("page").text().await.expect("html");
    let at = page.find("name=\"csrf_token\" value=\"").expect("token") + "name=\"csrf_token\" value=\"".len();
    let token = &page[at..at + 64];
    let r = c
        .post(app.url(&format!("/api/voice/session/{id}/transcribe")))
        .header("content-type", "audio/webm")
        .header("x-csrf-token", token)
        .body(vec![1u8, 2, 3])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 422);
    let body: serde_json::Value = r.json().await.expect("json");
    assert!(
        body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("n’est pas configurée sur ce serveur") && !d.contains("REPLIQUE_")),
        "{body}"
    );
    // Without the header the upload is refused as cross-site.
    let r = c
        .post(app.url(&format!("/api/voice/session/{id}/transcribe")))
        .header("content-type", "audio/webm")
        .body(vec![1u8])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 403);
    app.stop().await;
}

#[tokio::test]
async fn the_live_session_runs_over_a_websocket() {
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;

    let app = TestApp::spawn().await;
    let c = app.client.clone();
    app.sign_up(&c, "ws@exemple.fr").await;
    let id = app.start_session(&c, "ecoute_active").await;
    let cookie = app.cookie_header(&c);
    let url = format!("ws://{}/api/voice/session/{id}/ws", app.addr);

    // Without the session cookie: refused before the upgrade.
    assert!(tokio_tungstenite::connect_async(url.as_str()).await.is_err());
    // From another origin: refused.
    let mut request =
        tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(url.as_str()).expect("request");
    request.headers_mut().insert("cookie", cookie.parse().expect("header"));
    request.headers_mut().insert("origin", "http://evil.example".parse().expect("header"));
    assert!(tokio_tungstenite::connect_async(request).await.is_err());

    let mut request =
        tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(url.as_str()).expect("request");
    request.headers_mut().insert("cookie", cookie.parse().expect("header"));
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.expect("connect");
    let ready: serde_json::Value = match socket.next().await {
        Some(Ok(Message::Text(t))) => serde_json::from_str(&t).expect("json"),
        other => panic!("{other:?}"),
    };
    assert_eq!(ready["type"], "ready");

    socket
        .send(Message::Text(json!({"type": "say", "text": "Bonjour, comment allez-vous ?"}).to_string().into()))
        .await
        .expect("send");
    let turn: serde_json::Value = match socket.next().await {
        Some(Ok(Message::Text(t))) => serde_json::from_str(&t).expect("json"),
        other => panic!("{other:?}"),
    };
    assert_eq!(turn["type"], "turn");
    for key in ["gauge", "mood", "patterns", "session_ended", "end_type", "redirect_url"] {
        assert!(turn.get(key).is_some(), "{key}: {turn}");
    }
    for key in
        ["text", "text_for_tts", "sounds_before", "visual_actions", "detected_emotion", "tts_settings", "audio_url"]
    {
        assert!(turn["prospect"].get(key).is_some(), "prospect.{key}: {turn}");
    }
    // Bad input gets an error message, and the socket stays open.
    socket.send(Message::Text("pas du json".into())).await.expect("send");
    let error: serde_json::Value = match socket.next().await {
        Some(Ok(Message::Text(t))) => serde_json::from_str(&t).expect("json"),
        other => panic!("{other:?}"),
    };
    assert_eq!((error["type"].as_str(), error["status"].as_u64()), (Some("error"), Some(400)));
    socket.send(Message::Text(json!({"type": "say", "text": "   "}).to_string().into())).await.expect("send");
    let error: serde_json::Value = match socket.next().await {
        Some(Ok(Message::Text(t))) => serde_json::from_str(&t).expect("json"),
        other => panic!("{other:?}"),
    };
    assert_eq!(error["status"], 422);
    // Too big a message closes the connection.
    socket.send(Message::Text("x".repeat(100_000).into())).await.ok();
    let closed = socket.next().await;
    assert!(!matches!(closed, Some(Ok(Message::Text(_)))), "{closed:?}");
    assert_eq!(app.store.messages(id).await.expect("messages").len(), 3, "only the valid turn was stored");
    app.stop().await;
}

#[tokio::test]
async fn how_spoken_turns_were_said_reaches_the_report() {
    let app = TestApp::spawn().await;
    let c = app.client.clone();
    app.sign_up(&c, "debit@exemple.fr").await;
    let id = app.start_session(&c, "ecoute_active").await;
    let respond = format!("/api/voice/session/{id}/respond");
    let spoken = json!({"speaking_ms": 4000, "pause_ms": 1200, "interrupted": false});
    let (status, _) = app
        .post_json(
            &c,
            &respond,
            json!({"message": "Bonjour, comment est organisée votre équipe aujourd’hui ?", "voice": spoken}),
        )
        .await;
    assert_eq!(status, 200);
    let interrupted = json!({"speaking_ms": 2000, "interrupted": true});
    let (status, _) =
        app.post_json(&c, &respond, json!({"message": "Et qui décide chez vous ?", "voice": interrupted})).await;
    assert_eq!(status, 200);
    // An hour for a word is not a measure: the turn is played, its timing left out.
    let (status, body) =
        app.post_json(&c, &respond, json!({"message": "D’accord.", "voice": {"speaking_ms": 3_600_000}})).await;
    assert_eq!(status, 200, "{body}");
    let last_learner = app.store.messages(id).await.expect("messages").into_iter().rev().find(|m| m.role == "user");
    assert_eq!(last_learner.map(|m| m.voice_json), Some(None));
    let (status, _) = app.post_json(&c, &format!("/api/voice/session/{id}/end"), json!({})).await;
    assert_eq!(status, 200);
    let (_, report) = app.get_json(&c, &format!("/api/voice/session/{id}/report")).await;
    let delivery = &report["delivery"];
    // 13 spoken words in 6 s.
    assert_eq!(delivery["words_per_minute"], 130, "{delivery}");
    assert_eq!(delivery["interruptions"], 1, "{delivery}");
    let page =
        c.get(app.url(&format!("/training/report/{id}"))).send().await.expect("page").text().await.expect("html");
    assert!(page.contains("130 mots par minute"), "{page}");
    app.stop().await;
}

/// Opens the live session of `id` with the main client's cookies.
async fn open_live(
    app: &TestApp,
    id: i64,
) -> tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>> {
    let url = format!("ws://{}/api/voice/session/{id}/ws", app.addr);
    let mut request =
        tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(url.as_str()).expect("request");
    request.headers_mut().insert("cookie", app.cookie_header(&app.client).parse().expect("header"));
    tokio_tungstenite::connect_async(request).await.expect("connect").0
}

/// The live voice sessions `/health` reports: (active, max).
async fn voice_seats(app: &TestApp) -> (u64, u64) {
    let (status, health) = app.get_json(&app.client, "/health").await;
    assert_eq!((status, health["status"].as_str()), (200, Some("ok")), "{health}");
    let seats = &health["voice_sessions"];
    (seats["active"].as_u64().expect("active"), seats["max"].as_u64().expect("max"))
}

#[tokio::test]
async fn a_full_instance_sends_the_next_voice_learner_to_writing_at_once() {
    use futures_util::StreamExt;
    use tokio_tungstenite::tungstenite::Message;

    let config = replique_web::Config { max_voice_sessions: 1, ..replique_web::Config::default() };
    let app = TestApp::spawn_with(common::Db::Sqlite, config).await;
    let c = app.client.clone();
    app.sign_up(&c, "plein@exemple.fr").await;
    let id = app.start_session(&c, "ecoute_active").await;
    assert_eq!(voice_seats(&app).await, (0, 1));

    // The first learner takes the only seat.
    let mut first = open_live(&app, id).await;
    let ready: serde_json::Value = match first.next().await {
        Some(Ok(Message::Text(t))) => serde_json::from_str(&t).expect("json"),
        other => panic!("{other:?}"),
    };
    assert_eq!(ready["type"], "ready");
    assert_eq!(voice_seats(&app).await, (1, 1));

    // The next one is told why, in French, and the socket closes with "try again later".
    let mut second = open_live(&app, id).await;
    let busy: serde_json::Value = match second.next().await {
        Some(Ok(Message::Text(t))) => serde_json::from_str(&t).expect("json"),
        other => panic!("{other:?}"),
    };
    assert_eq!((busy["type"].as_str(), busy["status"].as_u64()), (Some("error"), Some(503)), "{busy}");
    assert_eq!(
        busy["detail"],
        "La voix est très demandée en ce moment\u{a0}: continuez par écrit, vos réponses sont bien enregistrées."
    );
    match second.next().await {
        Some(Ok(Message::Close(Some(frame)))) => assert_eq!(u16::from(frame.code), 1013),
        other => panic!("expected a close frame, got {other:?}"),
    }
    // In writing, the conversation goes on and is stored.
    let (status, turn) = app.say(&c, id, "Bonjour, comment est organisée votre équipe aujourd’hui ?").await;
    assert_eq!(status, 200, "{turn}");
    assert_eq!(app.store.messages(id).await.expect("messages").len(), 3);

    // The seat comes back when the first learner leaves.
    drop(first);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while voice_seats(&app).await.0 != 0 {
        assert!(std::time::Instant::now() < deadline, "the seat was never given back");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let mut again = open_live(&app, id).await;
    match again.next().await {
        Some(Ok(Message::Text(t))) => assert!(t.contains("\"ready\""), "{t}"),
        other => panic!("{other:?}"),
    }
    app.stop().await;
}
