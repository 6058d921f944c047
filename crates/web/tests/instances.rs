//! Several instances over one database (SPEC 9): a conversation goes on from any instance,
//! and the login limit counts the attempts seen by all of them, even simultaneous ones. A
//! turn sent again on another instance, after its answer was lost, is answered from the
//! store instead of being played twice, over HTTP and over a reopened voice socket (issue 19).

mod common;

use common::{Db, TestApp};
use serde_json::json;

async fn instances_share_sessions_and_limits(db: Db) {
    let app = TestApp::spawn_with(db, replique_web::Config::default()).await;
    let other = app.another_instance().await;
    let c = app.client.clone();
    app.sign_up(&c, "partout@exemple.fr").await;

    // Started on one instance, answered on the other, ended on the first.
    let id = app.start_session(&c, "ecoute_active").await;
    let r = c
        .post(format!("{other}/api/voice/session/{id}/respond"))
        .json(&json!({"message": "Bonjour, comment allez-vous ?"}))
        .send()
        .await
        .expect("respond");
    assert_eq!(r.status(), 200, "the login session and the conversation are in the database");
    let (status, _) = app.post_json(&c, &format!("/api/voice/session/{id}/end"), json!({})).await;
    assert_eq!(status, 200);

    // Failed logins, spread over both instances, add up.
    let stranger = app.other_client();
    let wrong = json!({"email": "partout@exemple.fr", "password": "pas-le-bon-mot"});
    let here = app.url("");
    let login =
        |base: &str| stranger.post(format!("{}/api/auth/login", base.trim_end_matches('/'))).json(&wrong).send();
    for base in [&here, &other, &here, &other, &here] {
        assert_eq!(login(base).await.expect("login").status(), 401);
    }
    for base in [&other, &here] {
        let r = login(base).await.expect("login");
        assert_eq!(r.status(), 429, "five failures in all, wherever they happened");
        assert!(r.headers().get("retry-after").is_some());
    }

    // Simultaneous attempts are all counted: no more than five get to try a password.
    let wrong = json!({"email": "autre@exemple.fr", "password": "pas-le-bon-mot"});
    let mut attempts = tokio::task::JoinSet::new();
    for i in 0..10 {
        let (client, url, body) = (
            stranger.clone(),
            if i % 2 == 0 { app.url("/api/auth/login") } else { format!("{other}/api/auth/login") },
            wrong.clone(),
        );
        attempts.spawn(async move { client.post(url).json(&body).send().await.expect("login").status().as_u16() });
    }
    let mut statuses = attempts.join_all().await;
    statuses.sort_unstable();
    assert_eq!(statuses, [401, 401, 401, 401, 401, 429, 429, 429, 429, 429]);
    app.stop().await;
}

/// The first text message a socket receives, as JSON.
async fn next_json(socket: &mut Socket) -> serde_json::Value {
    use futures_util::StreamExt;
    match socket.next().await {
        Some(Ok(tokio_tungstenite::tungstenite::Message::Text(t))) => serde_json::from_str(&t).expect("json"),
        other => panic!("{other:?}"),
    }
}

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn voice_socket(base: &str, id: i64, cookie: &str) -> Socket {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let url = format!("{}/api/voice/session/{id}/ws", base.replacen("http", "ws", 1));
    let mut request = url.into_client_request().expect("request");
    request.headers_mut().insert("cookie", cookie.parse().expect("header"));
    tokio_tungstenite::connect_async(request).await.expect("connect").0
}

async fn repeated_turns_are_answered_from_the_store(db: Db) {
    use futures_util::SinkExt;
    use tokio_tungstenite::tungstenite::Message;
    let app = TestApp::spawn_with(db, replique_web::Config::default()).await;
    let other = app.another_instance().await;
    let c = app.client.clone();
    app.sign_up(&c, "encore@exemple.fr").await;
    let id = app.start_session(&c, "ecoute_active").await;
    let first = json!({"message": "Bonjour, comment est organisée votre équipe ?", "exchange": 1});
    let (status, played) = app.post_json(&c, &format!("/api/voice/session/{id}/respond"), first.clone()).await;
    assert_eq!((status, played["exchange"].as_u64()), (200, Some(1)), "{played}");

    // Its answer was lost: the client sends it again, here to the other instance.
    let again = c.post(format!("{other}/api/voice/session/{id}/respond")).json(&first).send().await.expect("respond");
    assert_eq!(again.status(), 200);
    let again: serde_json::Value = again.json().await.expect("json");
    assert_eq!(again, played, "the same answer, from the store");
    assert_eq!(app.message_count(id, 0).await, 3, "the opening line and one exchange, stored once");

    // Another message under a stored number, or a number past the next: refused.
    let other_words = json!({"message": "Autre chose ?", "exchange": 1});
    let (status, body) = app.post_json(&c, &format!("/api/voice/session/{id}/respond"), other_words).await;
    assert_eq!(status, 409, "{body}");
    let too_far = json!({"message": "Et ensuite ?", "exchange": 3});
    assert_eq!(app.post_json(&c, &format!("/api/voice/session/{id}/respond"), too_far).await.0, 409);
    // Without a number a turn is simply played next.
    assert_eq!(app.say(&c, id, "Quels outils utilisez-vous ?").await.0, 200);

    // Over the voice socket: the socket breaks after turn 3 was sent; reopened on the other
    // instance, it says 3 turns are stored, and turn 3 said again gets its stored answer.
    let cookie = app.cookie_header(&c);
    let mut socket = voice_socket(&app.url(""), id, &cookie).await;
    assert_eq!(next_json(&mut socket).await["exchanges"], 2);
    let third = json!({"type": "say", "text": "Qu’est-ce qui vous pose problème ?", "exchange": 3}).to_string();
    socket.send(Message::Text(third.clone().into())).await.expect("send");
    let answered = next_json(&mut socket).await;
    assert_eq!((answered["type"].as_str(), answered["exchange"].as_u64()), (Some("turn"), Some(3)), "{answered}");
    drop(socket);
    let mut socket = voice_socket(&other, id, &cookie).await;
    let ready = next_json(&mut socket).await;
    assert_eq!((ready["type"].as_str(), ready["exchanges"].as_u64()), (Some("ready"), Some(3)), "{ready}");
    socket.send(Message::Text(third.into())).await.expect("send");
    let repeated = next_json(&mut socket).await;
    assert_eq!(repeated, answered, "the same turn message, from the store");
    assert_eq!(app.message_count(id, 0).await, 7, "three exchanges, each stored once");
    app.stop().await;
}

#[tokio::test]
async fn a_turn_sent_again_on_another_instance_is_not_stored_twice() {
    repeated_turns_are_answered_from_the_store(Db::Sqlite).await;
    match Db::postgres() {
        Some(db) => repeated_turns_are_answered_from_the_store(db).await,
        None => eprintln!("skipped on PostgreSQL: set TEST_DATABASE_URL=postgres://..."),
    }
}

#[tokio::test]
async fn instances_over_one_database_share_sessions_and_login_limits() {
    instances_share_sessions_and_limits(Db::Sqlite).await;
    match Db::postgres() {
        Some(db) => instances_share_sessions_and_limits(db).await,
        None => eprintln!("skipped on PostgreSQL: set TEST_DATABASE_URL=postgres://..."),
    }
}
