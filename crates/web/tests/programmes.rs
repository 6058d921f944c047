//! Teams that train, on SQLite and PostgreSQL: a manager builds a programme and assigns it,
//! a learner sees it « à faire », plays sessions for its items until they pass, fail or
//! run out of attempts; the manager follows them and reads their reports; nobody outside
//! the organisation sees any of it (404), a learner cannot manage (403), bad input is a
//! French 422 that writes nothing. Certifications list every skill with the rule.

mod common;

use common::{Db, TestApp};
use serde_json::{Value, json};

struct Member {
    client: reqwest::Client,
    email: String,
}

async fn member(app: &TestApp, who: &str, org: &str, role: &str) -> Member {
    let client = app.other_client();
    let email = format!("{who}@exemple.fr");
    app.sign_up(&client, &email).await;
    app.enrol(&email, "enterprise", Some((org, role))).await;
    Member { client, email }
}

fn item(skill: &str, pass_mark: i64, due: &str, max_attempts: i64) -> Value {
    json!({"skill": skill, "level": "easy", "pass_mark": pass_mark, "due": due, "max_attempts": max_attempts})
}

/// Starts a session for an item, plays one turn and ends it: one scored attempt.
async fn attempt(app: &TestApp, learner: &Member, programme: i64, index: i64) -> i64 {
    let (status, started) = app
        .post_json(
            &learner.client,
            "/api/voice/session",
            json!({"assignment": {"programme_id": programme, "item_index": index}, "seed": 7}),
        )
        .await;
    assert_eq!(status, 201, "{started}");
    let id = started["session_id"].as_i64().expect("session_id");
    let (status, turn) =
        app.say(&learner.client, id, "Bonjour, comment est organisée votre équipe aujourd’hui ?").await;
    assert_eq!(status, 200, "{turn}");
    let (status, ended) = app.post_json(&learner.client, &format!("/api/voice/session/{id}/end"), json!({})).await;
    assert_eq!(status, 200, "{ended}");
    id
}

async fn assignments(app: &TestApp, learner: &Member) -> Vec<Value> {
    let (status, list) = app.get_json(&learner.client, "/api/assignments").await;
    assert_eq!(status, 200, "{list}");
    list.as_array().expect("list").clone()
}

#[tokio::test]
async fn a_programme_from_its_creation_to_the_managers_drill_down() {
    story_on(Db::Sqlite).await;
    match Db::postgres() {
        Some(db) => story_on(db).await,
        None => eprintln!("skipped on PostgreSQL: set TEST_DATABASE_URL=postgres://..."),
    }
}

async fn story_on(db: Db) {
    let app = TestApp::spawn_with(db, replique_web::Config::default()).await;
    let manager = member(&app, "manager", "Alpha", "manager").await;
    let learner = member(&app, "learner", "Alpha", "learner").await;
    let colleague = member(&app, "colleague", "Alpha", "learner").await;
    let outsider = member(&app, "outsider", "Beta", "manager").await;
    let stranger = member(&app, "stranger", "Beta", "learner").await;

    let programme = json!({
        "name": "Découverte au trimestre",
        "items": [
            item("ecoute_active", 0, "2099-12-31", 3),
            item("ecoute_active", 100, "2099-12-31", 1),
            item("cold_calling", 50, "2020-01-01", 2),
        ],
        "learners": [learner.email, " Colleague@Exemple.fr ", learner.email],
    });
    let (status, refused) = app.post_json(&learner.client, "/api/programmes", programme.clone()).await;
    assert_eq!(status, 403, "a learner does not manage: {refused}");
    assert!(refused["detail"].as_str().is_some_and(|d| d.starts_with("Seuls les managers")), "{refused}");
    let (status, created) = app.post_json(&manager.client, "/api/programmes", programme.clone()).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_i64().expect("id");

    // Bad input: a French 422, and nothing written.
    let mut too_many = programme.clone();
    too_many["items"] = Value::Array(vec![item("ecoute_active", 50, "2099-01-01", 1); 31]);
    let bad: Vec<(Value, &str)> = vec![
        (json!({"name": "X", "items": [item("inconnue", 50, "2099-01-01", 1)], "learners": []}), "compétence inconnue"),
        (
            json!({"name": "X", "items": [item("ecoute_active", 101, "2099-01-01", 1)], "learners": []}),
            "entre 0 et 100",
        ),
        (json!({"name": "X", "items": [item("ecoute_active", -1, "2099-01-01", 1)], "learners": []}), "entre 0 et 100"),
        (json!({"name": "X", "items": [item("ecoute_active", 50, "2026-02-30", 1)], "learners": []}), "AAAA-MM-JJ"),
        (json!({"name": "X", "items": [item("ecoute_active", 50, "demain", 1)], "learners": []}), "AAAA-MM-JJ"),
        (json!({"name": "X", "items": [item("ecoute_active", 50, "2099-01-01", 0)], "learners": []}), "tentatives"),
        (json!({"name": "X", "items": [], "learners": []}), "au moins un élément"),
        (json!({"name": "  ", "items": [item("ecoute_active", 50, "2099-01-01", 1)]}), "nom"),
        (json!({"name": "X".repeat(121), "items": [item("ecoute_active", 50, "2099-01-01", 1)]}), "120 caractères"),
        (too_many, "au plus 30 éléments"),
        (
            json!({"name": "X", "items": [item("ecoute_active", 50, "2099-01-01", 1)], "learners": [stranger.email]}),
            "n’est pas membre de votre organisation",
        ),
        (
            json!({"name": "X", "items": [{"skill": "ecoute_active", "level": "facile", "pass_mark": 50, "due": "2099-01-01", "max_attempts": 1}]}),
            "niveau inconnu",
        ),
    ];
    for (body, expected) in bad {
        let (status, answer) = app.post_json(&manager.client, "/api/programmes", body.clone()).await;
        let detail = answer["detail"].as_str().unwrap_or_default();
        assert_eq!(status, 422, "{body}: {answer}");
        assert!(detail.contains(expected), "{body}: {detail}");
    }
    let (status, list) = app.get_json(&manager.client, "/api/programmes").await;
    assert_eq!(status, 200);
    assert_eq!(list.as_array().map(Vec::len), Some(1), "nothing written by the refusals: {list}");

    // The learner's items: two to do, one already late.
    let todo = assignments(&app, &learner).await;
    let statuses: Vec<&str> = todo.iter().filter_map(|a| a["status"].as_str()).collect();
    assert_eq!(statuses, ["todo", "todo", "overdue"], "{todo:?}");
    let first = &todo[0];
    for field in ["programme_id", "item_index", "skill", "level", "pass_mark", "due", "max_attempts", "attempts"] {
        assert!(first.get(field).is_some_and(|v| !v.is_null()), "{field}: {first}");
    }
    assert_eq!(first["best_score"], Value::Null);
    assert_eq!((first["programme_id"].as_i64(), first["due"].as_str()), (Some(id), Some("2099-12-31")));
    assert!(assignments(&app, &stranger).await.is_empty(), "nothing for another organisation");

    // Item 0 (pass mark 0): one session passes it. Item 1 (100, one attempt): failed, then 409.
    let session = attempt(&app, &learner, id, 0).await;
    let played = app.get_json(&learner.client, &format!("/api/voice/session/{session}")).await.1;
    assert_eq!((played["skill"].as_str(), played["sector"].as_str()), (Some("ecoute_active"), Some("generic")));
    attempt(&app, &learner, id, 1).await;
    let after = assignments(&app, &learner).await;
    assert_eq!((after[0]["status"].as_str(), after[0]["attempts"].as_i64()), (Some("passed"), Some(1)), "{after:?}");
    assert!(after[0]["best_score"].as_i64().is_some(), "{after:?}");
    assert_eq!((after[1]["status"].as_str(), after[1]["attempts"].as_i64()), (Some("failed"), Some(1)), "{after:?}");
    let again = json!({"assignment": {"programme_id": id, "item_index": 1}});
    let (status, refused) = app.post_json(&learner.client, "/api/voice/session", again.clone()).await;
    assert_eq!(status, 409, "{refused}");
    assert!(refused["detail"].as_str().is_some_and(|d| d.contains("tentative")), "{refused}");

    // A session ended before the learner's first turn is no attempt.
    let (status, started) = app
        .post_json(&learner.client, "/api/voice/session", json!({"assignment": {"programme_id": id, "item_index": 2}}))
        .await;
    assert_eq!(status, 201, "{started}");
    let silent = started["session_id"].as_i64().expect("id");
    app.post_json(&learner.client, &format!("/api/voice/session/{silent}/end"), json!({})).await;
    assert_eq!(assignments(&app, &learner).await[2]["attempts"], 0);

    // Somebody else's item, or one that does not exist: 404.
    for (who, index) in [(&stranger, 0), (&outsider, 0), (&learner, 9)] {
        let body = json!({"assignment": {"programme_id": id, "item_index": index}});
        let (status, answer) = app.post_json(&who.client, "/api/voice/session", body).await;
        assert_eq!(status, 404, "{}: {answer}", who.email);
    }

    // The manager follows: the programme with each learner's progress, another org's is 404.
    let (status, detail) = app.get_json(&manager.client, &format!("/api/programmes/{id}")).await;
    assert_eq!(status, 200, "{detail}");
    assert_eq!(detail["items"].as_array().map(Vec::len), Some(3));
    let learners = detail["learners"].as_array().expect("learners");
    assert_eq!(learners.len(), 2, "each learner once: {learners:?}");
    let progress = learners.iter().find(|l| l["email"] == learner.email.as_str()).expect("learner");
    assert_eq!(progress["assignments"][0]["status"], "passed");
    for (who, want) in [(&outsider, 404), (&learner, 403), (&stranger, 403)] {
        let (status, _) = app.get_json(&who.client, &format!("/api/programmes/{id}")).await;
        assert_eq!(status, want, "{}", who.email);
    }
    let (_, theirs) = app.get_json(&outsider.client, "/api/programmes").await;
    assert_eq!(theirs, json!([]));

    // Drill-down: members, a learner's sessions, their report; nobody else gets any of it.
    let (status, members) = app.get_json(&manager.client, "/api/team/learners").await;
    assert_eq!(status, 200, "{members}");
    let found = members.as_array().and_then(|m| m.iter().find(|m| m["email"] == learner.email.as_str())).cloned();
    let learner_id = found.as_ref().and_then(|m| m["user_id"].as_i64()).expect("the learner is listed");
    assert_eq!(found.and_then(|m| m["name"].as_str().map(str::to_owned)).as_deref(), Some("Camille Test"));
    let (status, _) = app.get_json(&learner.client, "/api/team/learners").await;
    assert_eq!(status, 403);
    let sessions_path = format!("/api/team/learners/{learner_id}/sessions");
    let (status, sessions) = app.get_json(&manager.client, &sessions_path).await;
    assert_eq!(status, 200, "{sessions}");
    assert!(sessions.as_array().is_some_and(|s| s.iter().any(|s| s["session_id"] == session)), "{sessions}");
    for who in [&outsider, &colleague, &stranger] {
        let (status, _) = app.get_json(&who.client, &sessions_path).await;
        assert_eq!(status, 404, "{}", who.email);
    }
    let report_path = format!("/api/voice/session/{session}/report");
    let (status, report) = app.get_json(&manager.client, &report_path).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report, app.get_json(&learner.client, &report_path).await.1, "the learner's own report");
    for who in [&outsider, &colleague, &stranger] {
        let (status, _) = app.get_json(&who.client, &report_path).await;
        assert_eq!(status, 404, "{}", who.email);
    }
    let (status, _) = app.post_json(&manager.client, &format!("/api/voice/session/{session}/end"), json!({})).await;
    assert_eq!(status, 404, "read only");

    // Certifications: every skill, a tier or null, the rule in French.
    let (status, certifications) = app.get_json(&learner.client, "/api/certifications").await;
    assert_eq!(status, 200, "{certifications}");
    let all = certifications.as_array().expect("list");
    assert_eq!(all.len(), replique_core::Catalog::embedded().expect("catalogue").skills.len());
    let listening = all.iter().find(|c| c["skill"] == "ecoute_active").expect("ecoute_active");
    assert_eq!(listening["level"], Value::Null, "two sessions are not enough: {listening}");
    assert!(listening["rule"].as_str().is_some_and(|r| r.starts_with("Bronze\u{a0}: au moins 3 sessions")));
    app.stop().await;
}

/// The same, from the pages: the manager creates and follows a programme, the learner
/// starts its item from the dashboard and finds the certifications; outsiders get 404.
#[tokio::test]
async fn the_pages_of_a_programme() {
    let app = TestApp::spawn().await;
    let (manager, manager_jar) = common::client_with_jar();
    let (learner, learner_jar) = common::client_with_jar();
    let (outsider, _) = common::client_with_jar();
    for (client, who, org, role) in [
        (&manager, "chef", "Alpha", "manager"),
        (&learner, "julie", "Alpha", "learner"),
        (&outsider, "autre", "Beta", "manager"),
    ] {
        client.get(app.url("/")).send().await.expect("csrf cookie");
        let email = format!("{who}@exemple.fr");
        app.sign_up(client, &email).await;
        app.enrol(&email, "enterprise", Some((org, role))).await;
    }
    let page = |client: &reqwest::Client, path: &str| {
        let request = client.get(app.url(path));
        async move {
            let r = request.send().await.expect("page");
            (r.status().as_u16(), r.text().await.unwrap_or_default())
        }
    };
    let (status, html) = page(&manager, "/programmes").await;
    assert_eq!(status, 200, "{html:.300}");
    assert!(html.contains("Nouveau programme") && html.contains("julie@exemple.fr"), "{html:.300}");
    assert_eq!(page(&learner, "/programmes").await.0, 403);

    let csrf = app.csrf_in(&manager_jar);
    let form = [
        ("csrf_token", csrf.as_str()),
        ("name", "Écoute au printemps"),
        ("skill0", "ecoute_active"),
        ("level0", "easy"),
        ("pass_mark0", "0"),
        ("due0", "2099-06-30"),
        ("max_attempts0", "2"),
        ("skill1", ""),
        ("learner", "julie@exemple.fr"),
    ];
    let refused = manager
        .post(app.url("/programmes"))
        .form(&[("csrf_token", csrf.as_str()), ("name", "Sans élément")])
        .send()
        .await
        .expect("post");
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap_or_default().contains("Ajoutez au moins un élément"));
    let created = manager.post(app.url("/programmes")).form(&form).send().await.expect("post");
    assert_eq!(created.status(), 303);
    let location = created.headers()["location"].to_str().expect("location").to_owned();
    assert!(location.starts_with("/programmes/"), "{location}");
    let (status, html) = page(&manager, &location).await;
    assert_eq!(status, 200);
    assert!(html.contains("Écoute au printemps") && html.contains("À faire"), "{html:.500}");
    assert_eq!(page(&outsider, &location).await.0, 404);

    // The learner's dashboard: « À faire », and the button that starts the item's session.
    let (_, home) = page(&learner, "/").await;
    assert!(home.contains("À faire") && home.contains("2099-06-30"), "{home:.500}");
    let programme = location.trim_start_matches("/programmes/");
    let action = format!("/assignments/{programme}/0/start");
    assert!(home.contains(&action), "{home:.500}");
    let csrf = app.csrf_in(&learner_jar);
    let started = learner.post(app.url(&action)).form(&[("csrf_token", csrf.as_str())]).send().await.expect("start");
    assert_eq!(started.status(), 303);
    let session = started.headers()["location"].to_str().expect("location").to_owned();
    let id: i64 = session.trim_start_matches("/training/session/").parse().expect("session id");
    let other = outsider.post(app.url(&action)).form(&[("csrf_token", "x")]).send().await.expect("start");
    assert_ne!(other.status(), 303, "not the outsider's item");
    app.say(&learner, id, "Bonjour, qu’est-ce qui compte le plus pour vous aujourd’hui ?").await;
    learner.post(app.url(&format!("/api/voice/session/{id}/end"))).json(&json!({})).send().await.expect("end");

    // The manager drills down to the learner's report; the outsider cannot.
    let (_, team) = page(&manager, "/team").await;
    let row = team.split("julie@exemple.fr").next().unwrap_or_default();
    let link = row.rsplit("href=\"/team/learners/").next().and_then(|r| r.split('"').next()).expect("learner link");
    let (status, sessions) = page(&manager, &format!("/team/learners/{link}")).await;
    assert_eq!(status, 200);
    let main = sessions.split("<main").nth(1).unwrap_or_default();
    assert!(sessions.contains(&format!("/training/report/{id}")), "{main:.1500}");
    assert_eq!(page(&outsider, &format!("/team/learners/{link}")).await.0, 404);
    assert_eq!(page(&manager, &format!("/training/report/{id}")).await.0, 200);
    assert_eq!(page(&outsider, &format!("/training/report/{id}")).await.0, 404);

    let (status, certifications) = page(&learner, "/certifications").await;
    assert_eq!(status, 200);
    assert!(certifications.contains("Bronze\u{a0}: au moins 3 sessions") && certifications.contains("Écoute active"));
    app.stop().await;
}
