//! GDPR and CNIL, on SQLite and PostgreSQL: a champion upload needs the manager's
//! confirmation that the people recorded were informed, stored with it; a learner downloads
//! their data and a manager a member's (nobody else: 404); managers' reads are in the
//! append-only audit log, which only managers see; an erasure takes the account and its
//! data for real and logs it out everywhere, keeping others' data and anonymised counts;
//! the retention run deletes what is past each organisation's periods, one runner at a time.

mod common;

use common::{Db, TestApp};
use replique_store::{RetentionDays, Store};
use serde_json::{Value, json};

const CALL: &str = "Vendeur : Bonjour Madame Roux. Comment est organisé votre service achats aujourd'hui ?
Cliente : Trois acheteurs, tout sur Excel. Mais c'est trop cher, ce genre d'outil.
Vendeur : Trop cher par rapport à quoi ? À part ce point, la solution vous conviendrait ?
Cliente : Oui.
Vendeur : Je vous propose un rendez-vous mardi à 10h ?
Cliente : D'accord.";

const DAY: i64 = 86_400;

struct Member {
    client: reqwest::Client,
    email: String,
    id: i64,
}

async fn member(app: &TestApp, who: &str, org: Option<(&str, &str)>) -> Member {
    let client = app.other_client();
    let email = format!("{who}@exemple.fr");
    let body = app.sign_up(&client, &email).await;
    app.enrol(&email, "enterprise", org).await;
    Member { client, email, id: body["user"]["id"].as_i64().expect("id") }
}

/// Uploads the call; `consent` as the form sends it (or not at all).
async fn upload(app: &TestApp, who: &Member, consent: Option<&str>) -> (u16, Value) {
    let mut form = reqwest::multipart::Form::new()
        .text("name", "Appel de Julie")
        .part("file", reqwest::multipart::Part::bytes(CALL.as_bytes().to_vec()).file_name("appel.txt"));
    if let Some(value) = consent {
        form = form.text("consent", value.to_owned());
    }
    let csrf = csrf_of(app, &who.client).await;
    let r = who
        .client
        .post(app.url("/api/champions/upload"))
        .header("x-csrf-token", csrf)
        .multipart(form)
        .send()
        .await
        .expect("upload");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// The CSRF token a page hands this client.
async fn csrf_of(app: &TestApp, client: &reqwest::Client) -> String {
    let html = client.get(app.url("/account")).send().await.expect("page").text().await.expect("html");
    let at = html.find("name=\"csrf_token\" value=\"").expect("csrf field") + "name=\"csrf_token\" value=\"".len();
    html[at..at + 64].to_owned()
}

/// Plays one turn and ends the session: one scored session with a transcript and a report.
async fn session(app: &TestApp, who: &Member) -> i64 {
    let id = app.start_session(&who.client, "ecoute_active").await;
    let (status, _) = app.say(&who.client, id, "Bonjour, comment est organisée votre équipe aujourd’hui ?").await;
    assert_eq!(status, 200);
    let (status, _) = app.post_json(&who.client, &format!("/api/voice/session/{id}/end"), json!({})).await;
    assert_eq!(status, 200);
    id
}

fn uploads(app: &TestApp) -> usize {
    std::fs::read_dir(app.files.path().join("uploads")).map_or(0, |d| d.count())
}

async fn audit(app: &TestApp, who: &Member) -> Vec<Value> {
    let (status, log) = app.get_json(&who.client, "/api/org/audit").await;
    assert_eq!(status, 200, "{log}");
    log["entries"].as_array().expect("entries").clone()
}

#[tokio::test]
async fn export_erasure_consent_and_audit() {
    story_on(Db::Sqlite).await;
    match Db::postgres() {
        Some(db) => story_on(db).await,
        None => eprintln!("skipped on PostgreSQL: TEST_DATABASE_URL is not set"),
    }
}

async fn story_on(db: Db) {
    let app = TestApp::spawn_with(db, replique_web::Config::default()).await;
    let manager = member(&app, "manager", Some(("Delta", "manager"))).await;
    let learner = member(&app, "learner", Some(("Delta", "learner"))).await;
    let outsider = member(&app, "outsider", Some(("Echo", "manager"))).await;

    // The French pages, linked from every footer, typeset (no-break spaces before « : »).
    let visitor = app.other_client();
    let home = visitor.get(app.url("/")).send().await.expect("home").text().await.expect("html");
    assert!(home.contains("href=\"/confidentialite\"") && home.contains("href=\"/accessibilite\""));
    let privacy = visitor.get(app.url("/confidentialite")).send().await.expect("page").text().await.expect("html");
    assert!(
        privacy.contains("180 jours") && privacy.contains("365 jours") && privacy.contains("À personne"),
        "{privacy}"
    );
    assert!(privacy.contains("Effacement</strong>\u{a0}:"), "French typography");
    let statement = visitor.get(app.url("/accessibilite")).send().await.expect("page").text().await.expect("html");
    assert!(statement.contains("Déclaration d’accessibilité") && statement.contains("partiellement conforme"));
    assert!(statement.contains("Défenseur des droits") && statement.contains("axe-core"));

    // Consent: anything but a confirmation gets a French 422 and nothing stored (an API
    // client that sends no field at all is stored as not confirmed: see tests/champions.rs).
    for consent in [Some("false"), Some("")] {
        let (status, refused) = upload(&app, &manager, consent).await;
        assert_eq!(status, 422, "{refused}");
        assert!(refused["detail"].as_str().is_some_and(|d| d.contains("ont été informées")), "{refused}");
    }
    assert_eq!((app.get_json(&manager.client, "/api/champions").await.1, uploads(&app)), (json!([]), 0));
    let (status, stored) = upload(&app, &manager, Some("true")).await;
    assert_eq!(status, 201, "{stored}");
    let champion = app.store.champions_uploaded_by(manager.id).await.expect("uploads").remove(0);
    assert!(
        champion.consent_text.as_deref().is_some_and(|t| t.starts_with("Je confirme que les personnes enregistrées"))
    );
    assert_eq!(champion.consented_at, Some(champion.created_at));
    let page = manager.client.get(app.url("/upload")).send().await.expect("page").text().await.expect("html");
    assert!(page.contains("name=\"consent\"") && page.contains("Je confirme que les personnes enregistrées"));

    // A programme by the manager, a session by the learner, read by the manager.
    let programme = json!({"name": "Trimestre", "learners": [learner.email],
        "items": [{"skill": "ecoute_active", "level": "easy", "pass_mark": 0, "due": "2099-12-31", "max_attempts": 3}]});
    let (status, created) = app.post_json(&manager.client, "/api/programmes", programme).await;
    assert_eq!(status, 201, "{created}");
    let sid = session(&app, &learner).await;
    let (status, _) = app.get_json(&manager.client, &format!("/api/voice/session/{sid}/report")).await;
    assert_eq!(status, 200);
    let (status, _) = app.get_json(&outsider.client, &format!("/api/voice/session/{sid}/report")).await;
    assert_eq!(status, 404, "another organisation's manager");

    // The learner's export: a download of everything, never the password hash.
    let r = learner.client.get(app.url("/api/me/export")).send().await.expect("export");
    assert_eq!(r.status(), 200);
    let disposition = r.headers()["content-disposition"].to_str().expect("header").to_owned();
    assert!(disposition.starts_with("attachment;") && disposition.contains(".json"), "{disposition}");
    let text = r.text().await.expect("body");
    assert!(!text.contains("argon2") && !text.contains("password"), "no secret in the export");
    let export: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(export["format"], "replique-export-1");
    assert_eq!(
        (export["account"]["email"].as_str(), export["membership"]["organisation"].as_str()),
        (Some(learner.email.as_str()), Some("Delta"))
    );
    let sessions = export["training_sessions"].as_array().expect("sessions");
    assert_eq!(sessions.len(), 1);
    let said = sessions[0]["messages"].as_array().expect("messages");
    assert!(said.iter().any(|m| m["role"] == "user" && m["content"].as_str().is_some_and(|c| c.contains("organisée"))));
    assert!(sessions[0]["report"]["final_score"].is_number(), "the report is nested JSON");
    assert_eq!(export["assignments"].as_array().map(Vec::len), Some(1));
    let (_, own) = app.get_json(&manager.client, "/api/me/export").await;
    assert_eq!(own["champion_uploads"][0]["consent"]["text"].as_str(), champion.consent_text.as_deref());
    assert_eq!(own["champion_uploads"][0]["turns"].as_array().map(Vec::len), Some(6));

    // A manager exports a member; another organisation's manager and a learner cannot.
    let path = format!("/api/org/members/{}/export", learner.id);
    let (status, theirs) = app.get_json(&manager.client, &path).await;
    assert_eq!((status, theirs["account"]["id"].as_i64()), (200, Some(learner.id)));
    assert_eq!(app.get_json(&outsider.client, &path).await.0, 404);
    assert_eq!(app.get_json(&manager.client, &format!("/api/org/members/{}/export", outsider.id)).await.0, 404);
    assert_eq!(app.get_json(&manager.client, "/api/org/members/999999/export").await.0, 404);
    assert_eq!(app.get_json(&learner.client, &path).await.0, 403);

    // The audit log: managers only, their organisation only.
    let entries = audit(&app, &manager).await;
    let actions: Vec<&str> = entries.iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(actions, ["export", "export", "export", "report_read"], "newest first: {entries:?}");
    assert_eq!(entries[3]["subject_user_id"].as_i64(), Some(learner.id));
    assert_eq!(app.get_json(&learner.client, "/api/org/audit").await.0, 403);
    assert!(audit(&app, &outsider).await.is_empty());
    let page = manager.client.get(app.url("/team/audit")).send().await.expect("page").text().await.expect("html");
    assert!(page.contains("Lecture d’un rapport") && page.contains("180 jours"), "{page}");

    // Erasure: a wrong password erases nothing; the right one erases, everywhere.
    let elsewhere = app.other_client();
    let (status, _) = app
        .post_json(&elsewhere, "/api/auth/login", json!({"email": learner.email, "password": "motdepasse-solide"}))
        .await;
    assert_eq!(status, 200);
    let (status, refused) = app.post_json(&learner.client, "/api/me/erase", json!({"password": "pas-le-bon"})).await;
    assert_eq!(status, 403);
    assert!(refused["detail"].as_str().is_some_and(|d| d.contains("rien n’a été effacé")), "{refused}");
    assert_eq!(app.get_json(&learner.client, "/api/auth/me").await.0, 200);
    assert_eq!(app.post_json(&learner.client, "/api/me/erase", json!({})).await.0, 422);
    let (status, erased) =
        app.post_json(&learner.client, "/api/me/erase", json!({"password": "motdepasse-solide"})).await;
    assert_eq!((status, &erased["erased"]), (202, &json!(true)), "{erased}");
    for client in [&learner.client, &elsewhere] {
        assert_eq!(app.get_json(client, "/api/auth/me").await.0, 401, "logged out everywhere");
    }
    assert!(app.store.user_by_email(&learner.email).await.expect("read").is_none());
    assert!(app.store.messages(sid).await.expect("messages").is_empty());
    assert!(app.store.report_json(sid).await.expect("report").is_none());
    let org = app.store.organisation_id("Delta").await.expect("org").expect("exists");
    let tallies = app.store.anonymous_tallies(org).await.expect("tallies");
    assert_eq!((tallies.len(), tallies[0].sessions, tallies[0].scored_sessions), (1, 1, 1), "anonymised counts stay");
    assert_eq!(app.get_json(&manager.client, "/api/champions").await.1.as_array().map(Vec::len), Some(1));
    let entries = audit(&app, &manager).await;
    assert_eq!(
        (entries[0]["action"].as_str(), entries[0]["subject_user_id"].as_i64()),
        (Some("erasure"), Some(learner.id))
    );
    assert!(entries[0]["subject_name"].is_null(), "the log keeps ids, not names");

    // The manager erases from the page: their upload and its file go, the programme stays.
    assert_eq!(uploads(&app), 1);
    let token = csrf_of(&app, &manager.client).await;
    let r = manager
        .client
        .post(app.url("/account/erase"))
        .form(&[("csrf_token", token.as_str()), ("password", "motdepasse-solide")])
        .send()
        .await
        .expect("erase");
    assert_eq!(r.status(), 200);
    assert!(r.text().await.expect("html").contains("Compte supprimé"));
    assert_eq!(uploads(&app), 0, "the uploaded file is removed");
    let programmes = app.store.programmes(org).await.expect("programmes");
    assert_eq!((programmes.len(), programmes[0].created_by), (1, None), "the programme outlives its author");
    app.stop().await;
}

#[tokio::test]
async fn retention_deletes_what_is_past_its_period_once_at_a_time() {
    retention_on(Db::Sqlite).await;
    match Db::postgres() {
        Some(db) => retention_on(db).await,
        None => eprintln!("skipped on PostgreSQL: TEST_DATABASE_URL is not set"),
    }
}

async fn run(store: &Store, now: i64) -> Vec<replique_store::RetentionPurge> {
    let defaults = RetentionDays { recordings_days: 180, analyses_days: 365, inactive_days: 1095 };
    store.run_retention(defaults, "test", now).await.expect("run").expect("not locked").purges
}

async fn retention_on(db: Db) {
    let app = TestApp::spawn_with(db, replique_web::Config::default()).await;
    let manager = member(&app, "manager", Some(("Delta", "manager"))).await;
    let learner = member(&app, "learner", Some(("Delta", "learner"))).await;
    let solo = member(&app, "solo", None).await;
    let org = app.store.organisation_id("Delta").await.expect("org").expect("exists");
    app.store
        .set_retention(org, RetentionDays { recordings_days: 30, analyses_days: 60, inactive_days: 1095 }, 0)
        .await
        .expect("set");
    assert_eq!(upload(&app, &manager, Some("true")).await.0, 201);
    let delta_session = session(&app, &learner).await;
    let solo_session = session(&app, &solo).await;
    let now = now_unix();

    let delta = |purges: &[replique_store::RetentionPurge]| {
        purges.iter().find(|p| p.organisation_id == Some(org)).cloned().expect("Delta's purge")
    };
    assert!(run(&app.store, now + 10 * DAY).await.iter().all(|p| p.is_empty()), "nothing is old yet");

    // Past 30 days: Delta's transcripts and recordings; the reports stay. The others' wait.
    let purges = run(&app.store, now + 31 * DAY).await;
    let d = delta(&purges);
    assert!(d.transcripts >= 2 && d.recordings == 1 && d.sessions == 0, "{d:?}");
    assert!(app.store.messages(delta_session).await.expect("messages").is_empty());
    assert!(app.store.report_json(delta_session).await.expect("report").is_some());
    assert!(!app.store.messages(solo_session).await.expect("messages").is_empty(), "the defaults: 180 days");
    assert_eq!(app.get_json(&manager.client, "/api/champions").await.1, json!([]));
    let entries = audit(&app, &manager).await;
    assert_eq!(entries[0]["action"], "retention");
    assert!(entries[0]["detail"].as_str().is_some_and(|d| d.contains("1 enregistrement(s) d’appel")), "{entries:?}");

    // Past 60 days: Delta's sessions with their reports and the analysed call go; counted.
    let d = delta(&run(&app.store, now + 61 * DAY).await);
    assert_eq!((d.sessions, d.reports, d.champions), (1, 1, 1), "{d:?}");
    assert!(app.store.report_json(delta_session).await.expect("report").is_none());
    assert_eq!(app.store.anonymous_tallies(org).await.expect("tallies")[0].sessions, 1);

    // One runner at a time: while another holds the lock, a run does nothing.
    hold_the_lock(&app, || async { app.store.run_retention(default_days(), "other", now).await.expect("run") }).await;

    // Past three years without a login: every account goes.
    let purges = run(&app.store, now + 1096 * DAY).await;
    assert_eq!(purges.iter().map(|p| p.accounts).sum::<u64>(), 3, "{purges:?}");
    assert!(app.store.user_by_email(&solo.email).await.expect("read").is_none());
    app.stop().await;
}

fn default_days() -> RetentionDays {
    RetentionDays { recordings_days: 180, analyses_days: 365, inactive_days: 1095 }
}

fn now_unix() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs().cast_signed())
}

/// Runs `attempt` while another runner holds the retention lock (the advisory lock on
/// PostgreSQL, the lease row on SQLite) and checks it did nothing; also checks the audit
/// log refuses to be changed.
async fn hold_the_lock<F, Fut>(app: &TestApp, attempt: F)
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Option<replique_store::RetentionOutcome>>,
{
    if app.database_url.starts_with("postgres") {
        let pool = sqlx::PgPool::connect(&app.database_url).await.expect("connect");
        let mut holder = pool.acquire().await.expect("connection");
        sqlx::query("select pg_advisory_lock($1)")
            .bind(0x5245_5445_4e54_i64)
            .execute(&mut *holder)
            .await
            .expect("lock");
        assert!(attempt().await.is_none(), "another instance holds the lock");
        sqlx::query("select pg_advisory_unlock($1)")
            .bind(0x5245_5445_4e54_i64)
            .execute(&mut *holder)
            .await
            .expect("unlock");
        assert!(sqlx::query("update audit_log set detail = 'x'").execute(&pool).await.is_err(), "append-only");
        assert!(sqlx::query("delete from audit_log").execute(&pool).await.is_err(), "append-only");
        drop(holder);
        pool.close().await;
    } else {
        let pool = sqlx::SqlitePool::connect(&app.database_url).await.expect("connect");
        sqlx::query(
            "update job_leases set holder = 'other instance', expires_at = 9999999999 where name = 'retention'",
        )
        .execute(&pool)
        .await
        .expect("lease");
        assert!(attempt().await.is_none(), "another instance holds the lease");
        sqlx::query("update job_leases set expires_at = 0").execute(&pool).await.expect("release");
        assert!(sqlx::query("update audit_log set detail = 'x'").execute(&pool).await.is_err(), "append-only");
        assert!(sqlx::query("delete from audit_log").execute(&pool).await.is_err(), "append-only");
        pool.close().await;
    }
}
