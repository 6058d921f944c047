//! Who may do what with champions and the team page: every route × {anonymous, another
//! organisation's manager, a learner of the organisation, its manager, premium, free},
//! with the exact status. Learners train on champions; only managers upload, analyse and
//! delete them; deleting a call keeps the learners' sessions, marked as from a deleted call.

mod common;

use std::sync::Arc;

use common::{Db, TestApp, client_with_jar};
use reqwest::cookie::Jar;
use serde_json::{Value, json};

const CALL: &str = "Vendeur : Bonjour Madame Roux, comment est organisé votre service achats aujourd'hui ?
Cliente : Nous sommes trois acheteurs, tout passe par Excel.
Vendeur : Qu'est-ce qui vous pose le plus de difficultés ?
Cliente : Les relances fournisseurs. Mais c'est trop cher, ce genre d'outil.
Vendeur : Trop cher par rapport à quoi ?
Cliente : D'accord, montrez-moi.";

struct Visitor {
    who: &'static str,
    client: reqwest::Client,
    jar: Arc<Jar>,
}

async fn visitor(app: &TestApp, who: &'static str) -> Visitor {
    let (client, jar) = client_with_jar();
    client.get(app.url("/")).send().await.expect("home"); // gets the CSRF cookie
    Visitor { who, client, jar }
}

async fn member(app: &TestApp, who: &'static str, plan: &str, org: Option<(&str, &str)>) -> Visitor {
    let v = visitor(app, who).await;
    let email = format!("{who}@exemple.fr");
    app.sign_up(&v.client, &email).await;
    app.enrol(&email, plan, org).await;
    v
}

/// One request of `v`; its status and its body as text.
async fn send(app: &TestApp, v: &Visitor, method: &str, path: &str) -> (u16, String) {
    let csrf = app.csrf_in(&v.jar);
    let url = app.url(path);
    let request = match (method, path) {
        ("GET", _) => v.client.get(url),
        ("DELETE", _) => v.client.delete(url).header("x-csrf-token", csrf),
        (_, "/api/champions/upload" | "/upload") => {
            let form = reqwest::multipart::Form::new()
                .text("consent", "true")
                .text("name", "Appel de Julie")
                .text("csrf_token", csrf.clone())
                .part("file", reqwest::multipart::Part::bytes(CALL.as_bytes().to_vec()).file_name("appel.txt"));
            v.client.post(url).header("x-csrf-token", csrf).multipart(form)
        }
        (_, p) if p.starts_with("/api/") => v.client.post(url).json(&body_of(p)),
        (_, p) => {
            let mut form = vec![("csrf_token", csrf)];
            if p.ends_with("/analyze") {
                form.push(("champion_speaker", "Vendeur".into()));
            }
            if p.ends_with("/say") {
                form.push(("message", "Et qu’est-ce qui vous freine aujourd’hui ?".into()));
            }
            v.client.post(url).form(&form)
        }
    };
    let r = request.send().await.expect("request");
    (r.status().as_u16(), r.text().await.unwrap_or_default())
}

/// The JSON body of an API call, the ids filled in by `fill`.
fn body_of(path: &str) -> Value {
    match path {
        "/api/training/start" => json!({"champion_id": "CHAMPION"}),
        "/api/training/respond" => {
            json!({"session_id": "SESSION", "message": "Bonjour, qu’est-ce qui compte pour vous ?"})
        }
        "/api/training/end" => json!({"session_id": "SESSION"}),
        _ => json!({}),
    }
}

#[tokio::test]
async fn every_champion_and_team_route_for_every_kind_of_visitor() {
    routes_on(Db::Sqlite).await;
    match Db::postgres() {
        Some(db) => routes_on(db).await,
        None => eprintln!("skipped on PostgreSQL: set TEST_DATABASE_URL=postgres://..."),
    }
}

async fn routes_on(db: Db) {
    let app = TestApp::spawn_with(db, replique_web::Config::default()).await;
    let visitors = [
        visitor(&app, "anonymous").await,
        member(&app, "other_manager", "enterprise", Some(("Beta", "manager"))).await,
        member(&app, "learner", "enterprise", Some(("Alpha", "learner"))).await,
        member(&app, "manager", "enterprise", Some(("Alpha", "manager"))).await,
        member(&app, "premium", "premium", None).await,
        member(&app, "free", "free", None).await,
    ];
    let [_, _, learner, manager, ..] = &visitors;
    let (status, created) = send(&app, manager, "POST", "/api/champions/upload").await;
    assert_eq!(status, 201, "{created}");
    let champion = serde_json::from_str::<Value>(&created).expect("json")["id"].as_i64().expect("id");
    let (status, started) =
        app.post_json(&learner.client, "/api/training/start", json!({"champion_id": champion})).await;
    assert_eq!(status, 201, "{started}");
    let session = started["session_id"].as_i64().expect("session");

    // Statuses in the order of `visitors`: anonymous, other organisation's manager, learner,
    // manager, premium, free. Pages send the anonymous to the login page and other plans to
    // /upload (303); the API says 401 and 403 (the upsell). Another organisation's champion
    // or another member's session is 404.
    let matrix: &[(&str, &str, [u16; 6])] = &[
        ("GET", "/api/champions", [401, 200, 200, 200, 403, 403]),
        ("POST", "/api/champions/upload", [401, 201, 403, 201, 403, 403]),
        ("GET", "/api/champions/{c}", [401, 404, 200, 200, 403, 403]),
        ("GET", "/api/champions/{c}?offset=1&limit=2", [401, 404, 200, 200, 403, 403]),
        ("POST", "/api/champions/{c}/analyze", [401, 404, 403, 200, 403, 403]),
        ("GET", "/api/scenarios/{c}", [401, 404, 200, 200, 403, 403]),
        ("POST", "/api/training/start", [401, 404, 201, 201, 403, 403]),
        ("GET", "/api/training/sessions", [401, 200, 200, 200, 403, 403]),
        ("POST", "/api/training/respond", [401, 404, 200, 404, 403, 403]),
        ("GET", "/upload", [303, 200, 403, 200, 200, 200]),
        ("POST", "/upload", [303, 303, 403, 303, 303, 303]),
        ("GET", "/champions", [303, 200, 200, 200, 303, 303]),
        ("GET", "/champions/{c}", [303, 404, 200, 200, 303, 303]),
        ("POST", "/champions/{c}/analyze", [303, 404, 403, 303, 303, 303]),
        ("POST", "/champions/{c}/train", [303, 404, 303, 303, 303, 303]),
        ("GET", "/champions/training/{s}", [303, 404, 200, 404, 303, 303]),
        ("POST", "/champions/training/{s}/say", [303, 404, 303, 404, 303, 303]),
        ("GET", "/team", [303, 200, 403, 200, 303, 303]),
        ("POST", "/api/training/end", [401, 404, 200, 404, 403, 403]),
        ("POST", "/champions/training/{s}/end", [303, 404, 303, 404, 303, 303]),
        ("DELETE", "/api/champions/{c}", [401, 404, 403, 204, 403, 403]),
    ];
    let mut wrong = Vec::new();
    for (method, path, expected) in matrix {
        let path = path.replace("{c}", &champion.to_string()).replace("{s}", &session.to_string());
        for (v, want) in visitors.iter().zip(expected) {
            let (status, body) = if path.starts_with("/api/training/") && *method == "POST" {
                let body = body_of(&path).to_string().replace("\"CHAMPION\"", &champion.to_string());
                let body: Value =
                    serde_json::from_str(&body.replace("\"SESSION\"", &session.to_string())).expect("json");
                let r = v.client.post(app.url(&path)).json(&body).send().await.expect("request");
                (r.status().as_u16(), r.text().await.unwrap_or_default())
            } else {
                send(&app, v, method, &path).await
            };
            if status != *want {
                wrong.push(format!("{} {method} {path}: {status}, expected {want}: {body:.200}", v.who));
            }
            if status == 403 && v.who == "learner" && path.starts_with("/api/") {
                let detail = serde_json::from_str::<Value>(&body).expect("json")["detail"].clone();
                assert!(detail.as_str().is_some_and(|d| d.starts_with("Seuls les managers")), "{path}: {detail}");
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    // The call is gone for everybody; the learner's session and its comparison stay, marked.
    let (status, _) = app.get_json(&manager.client, &format!("/api/champions/{champion}")).await;
    assert_eq!(status, 404);
    let (_, list) = app.get_json(&manager.client, "/api/champions").await;
    assert!(list.as_array().is_some_and(|l| l.iter().all(|c| c["id"] != champion)), "{list}");
    let (status, sessions) = app.get_json(&learner.client, "/api/training/sessions").await;
    assert_eq!(status, 200);
    let kept = sessions.as_array().and_then(|s| s.iter().find(|s| s["session_id"] == session)).expect("kept");
    assert_eq!((kept["champion_deleted"].clone(), kept["answered"].clone()), (json!(true), json!(2)), "{kept}");
    let (status, page) = send(&app, learner, "GET", &format!("/champions/training/{session}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Cet appel a été supprimé"), "{page:.300}");
    assert_eq!(app.store.champion_answers(session).await.expect("answers").len(), 2);
    let (status, _) = app.post_json(&learner.client, "/api/training/start", json!({"champion_id": champion})).await;
    assert_eq!(status, 404, "no new training on a deleted call");
    app.stop().await;
}
