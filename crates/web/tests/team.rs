//! The manager's drill-down, on SQLite and PostgreSQL: the team page shows a heat map of
//! skill × member whose cells open the session's report, a trend per member and who is late
//! on which assignment; the CSV export holds the organisation's scored sessions only, quoted
//! and safe from formula injection. Learners get 403, other organisations see nothing of it.
//! The learner's side: « À faire » flags late items, « À retravailler » brings back a weak
//! skill and starts, in one click, a session aimed at it.

mod common;

use common::{Db, TestApp};
use serde_json::json;

struct Member {
    client: reqwest::Client,
    email: String,
}

async fn member(app: &TestApp, name: &str, email: &str, org: &str, role: &str) -> Member {
    let client = app.other_client();
    let (status, body) = app
        .post_json(
            &client,
            "/api/auth/register",
            json!({"email": email, "password": "motdepasse-solide", "name": name}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    app.enrol(email, "enterprise", Some((org, role))).await;
    Member { client, email: email.to_owned() }
}

/// A session with one learner turn, ended: scored. Its id.
async fn scored(app: &TestApp, who: &Member, skill: &str) -> i64 {
    let id = app.start_session(&who.client, skill).await;
    let (status, turn) = app.say(&who.client, id, "Bonjour, comment est organisée votre équipe aujourd’hui ?").await;
    assert_eq!(status, 200, "{turn}");
    let (status, ended) = app.post_json(&who.client, &format!("/api/voice/session/{id}/end"), json!({})).await;
    assert_eq!(status, 200, "{ended}");
    id
}

async fn get(client: &reqwest::Client, app: &TestApp, path: &str) -> (u16, String, String) {
    let r = client.get(app.url(path)).send().await.expect("get");
    let status = r.status().as_u16();
    let kind = r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    (status, kind, r.text().await.expect("body"))
}

#[tokio::test]
async fn the_manager_drills_down_and_exports_the_team_results() {
    drill_down_on(Db::Sqlite).await;
    match Db::postgres() {
        Some(db) => drill_down_on(db).await,
        None => eprintln!("skipped on PostgreSQL: set TEST_DATABASE_URL=postgres://..."),
    }
}

async fn drill_down_on(db: Db) {
    let app = TestApp::spawn_with(db, replique_web::Config::default()).await;
    let manager = member(&app, "Marie Manager", "marie@alpha.fr", "Alpha", "manager").await;
    let risky = member(&app, "=HYPERLINK(\"http://x\";\"y\")", "risque@alpha.fr", "Alpha", "learner").await;
    let julie = member(&app, "Julie; Martin", "julie@alpha.fr", "Alpha", "learner").await;
    let outsider = member(&app, "Omar Outsider", "omar@beta.fr", "Beta", "manager").await;
    let stranger = member(&app, "Sam Stranger", "sam@beta.fr", "Beta", "learner").await;

    let first = scored(&app, &risky, "ecoute_active").await;
    let latest = scored(&app, &risky, "ecoute_active").await;
    let other_skill = scored(&app, &julie, "cold_calling").await;
    let beta = scored(&app, &stranger, "ecoute_active").await;
    // Ended before any learner turn: neither scored nor exported.
    let silent = app.start_session(&julie.client, "ecoute_active").await;
    let (status, _) = app.post_json(&julie.client, &format!("/api/voice/session/{silent}/end"), json!({})).await;
    assert_eq!(status, 200);

    let (status, created) = app
        .post_json(
            &manager.client,
            "/api/programmes",
            json!({"name": "Rattrapage", "learners": [julie.email],
                   "items": [{"skill": "negociation", "level": "easy", "pass_mark": 60, "due": "2020-01-01", "max_attempts": 2}]}),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let programme = created["id"].as_i64().expect("id");

    // The team page: late items, trends, the heat map and its links to the reports.
    let (status, _, page) = get(&manager.client, &app, "/team").await;
    assert_eq!(status, 200);
    let late = page.split("id=\"retards\"").nth(1).and_then(|s| s.split("</section>").next()).expect("late");
    assert!(late.contains("Julie; Martin") && late.contains(&format!("/programmes/{programme}")), "{late}");
    assert!(late.contains("2020-01-01") && late.contains("En retard"), "{late}");
    let heat = page.split("Carte des compétences").nth(1).expect("heat map");
    assert!(heat.contains("Écoute active") && heat.contains("class=\"heat "), "{heat:.2000}");
    assert!(heat.contains(&format!("/training/report/{latest}")), "the latest session: {heat:.2000}");
    assert!(!heat.contains(&format!("/training/report/{first}\"")), "only the latest per skill");
    assert!(heat.contains(&format!("/training/report/{other_skill}")));
    assert!(!page.contains(&format!("/training/report/{beta}\"")), "nothing of another organisation");
    assert!(page.contains("<polyline points=\"0.0,") && page.contains("Dernier score"), "trend lines");
    assert!(!page.contains("Sam Stranger") && !page.contains("sam@beta.fr"));
    // The drill-down: the cell's report and the member's session list open for the manager.
    let (status, _, report) = get(&manager.client, &app, &format!("/training/report/{latest}")).await;
    assert_eq!(status, 200, "{report:.500}");
    assert_eq!(get(&outsider.client, &app, &format!("/training/report/{latest}")).await.0, 404);

    // The export: CSV, the organisation's scored sessions, quoted, formulas neutralised.
    let (status, kind, csv) = get(&manager.client, &app, "/team/export.csv").await;
    assert_eq!(status, 200, "{csv}");
    assert!(kind.starts_with("text/csv"), "{kind}");
    let csv = csv.strip_prefix('\u{feff}').expect("a byte-order mark for spreadsheets");
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines[0], "Membre;E-mail;Date (UTC);Compétence;Niveau;Score;Échanges;Session");
    assert_eq!(lines.len(), 4, "three scored sessions of Alpha: {csv}");
    let risky_line = lines.iter().find(|l| l.contains("risque@alpha.fr")).expect("risky line");
    assert!(risky_line.starts_with("\"'=HYPERLINK(\"\"http://x\"\";\"\"y\"\")\";risque@alpha.fr;"), "{risky_line}");
    assert!(risky_line.ends_with(&format!(";{first}")) || csv.contains(&format!(";{first}\r\n")), "{csv}");
    assert!(csv.contains("\"Julie; Martin\";julie@alpha.fr;") && csv.contains("Écoute active;Débutant"), "{csv}");
    for absent in [silent, beta] {
        assert!(!csv.contains(&format!(";{absent}\r\n")), "session {absent} is not exported: {csv}");
    }
    let (status, _, other) = get(&outsider.client, &app, "/team/export.csv").await;
    assert_eq!(status, 200);
    assert!(other.contains("sam@beta.fr") && !other.contains("alpha.fr"), "{other}");
    // The export is in the audit log.
    let (_, _, audit) = get(&manager.client, &app, "/team/audit").await;
    assert!(audit.contains("Export des résultats de l’équipe"), "{audit:.3000}");

    // Learners do not manage; anonymous visitors log in first.
    assert_eq!(get(&julie.client, &app, "/team/export.csv").await.0, 403);
    assert_eq!(get(&julie.client, &app, "/team").await.0, 403);
    let anonymous = common::client();
    let r = anonymous.get(app.url("/team/export.csv")).send().await.expect("anonymous");
    assert_eq!(r.status(), 303);
    app.stop().await;
}

#[tokio::test]
async fn the_learner_is_reminded_and_practises_a_weak_skill_again() {
    practice_on(Db::Sqlite).await;
    match Db::postgres() {
        Some(db) => practice_on(db).await,
        None => eprintln!("skipped on PostgreSQL: set TEST_DATABASE_URL=postgres://..."),
    }
}

async fn practice_on(db: Db) {
    let app = TestApp::spawn_with(db, replique_web::Config::default()).await;
    let manager = member(&app, "Marie Manager", "marie@alpha.fr", "Alpha", "manager").await;
    let julie = member(&app, "Julie Martin", "julie@alpha.fr", "Alpha", "learner").await;
    let home = get(&julie.client, &app, "/").await.2;
    assert!(!home.contains("À retravailler"), "nothing practised yet");

    let (status, created) = app
        .post_json(
            &manager.client,
            "/api/programmes",
            json!({"name": "Rattrapage", "learners": [], "team": true,
                   "items": [{"skill": "negociation", "level": "easy", "pass_mark": 60, "due": "2020-01-01", "max_attempts": 2},
                             {"skill": "negociation", "level": "easy", "pass_mark": 60, "due": "2099-01-01", "max_attempts": 2}]}),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let (_, mine) = app.get_json(&julie.client, "/api/assignments").await;
    assert_eq!(mine.as_array().map(Vec::len), Some(2), "assigned to the whole team: {mine}");
    let (_, theirs) = app.get_json(&manager.client, "/api/assignments").await;
    assert_eq!(theirs.as_array().map(Vec::len), Some(0), "the team's learners, not its managers: {theirs}");
    // A one-line session scores poorly: the skill is due again at once.
    scored(&app, &julie, "ecoute_active").await;
    let home = get(&julie.client, &app, "/").await.2;
    assert!(home.contains("Un élément de programme est en retard"), "{home:.3000}");
    let review = home.split("id=\"a-retravailler\"").nth(1).and_then(|s| s.split("</section>").next()).expect("review");
    assert!(review.contains("Écoute active") && review.contains("à revoir aujourd’hui"), "{review}");
    assert!(review.contains("action=\"/skills/ecoute_active/start\""), "{review}");
    let field = |name: &str| {
        let marker = format!("name=\"{name}\" value=\"");
        review.split(&marker).nth(1).and_then(|r| r.split('"').next()).expect("field").to_owned()
    };
    assert_eq!(field("level"), "easy", "down or the same after a low score");
    assert_eq!(field("sector"), "generic", "the scenario of the weakest session");
    let variant = field("variant");
    assert!(!variant.is_empty(), "a catalogue template: {review}");

    // One click starts it.
    let form = [
        ("csrf_token", field("csrf_token")),
        ("sector", field("sector")),
        ("level", field("level")),
        ("variant", variant.clone()),
    ];
    let r = julie.client.post(app.url("/skills/ecoute_active/start")).form(&form).send().await.expect("start");
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"].to_str().expect("location").to_owned();
    let id = location.trim_start_matches("/training/session/");
    let (status, session) = app.get_json(&julie.client, &format!("/api/voice/session/{id}")).await;
    assert_eq!(status, 200, "{session}");
    assert_eq!((session["skill"].as_str(), session["level"].as_str()), (Some("ecoute_active"), Some("easy")));
    app.stop().await;
}

/// Sets the scores of these sessions' reports (the scripted engine's score of a good
/// conversation is not what these tests are about).
async fn set_scores(app: &TestApp, sessions: &[i64], score: i64) {
    let ids = sessions.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    let sql = format!("update reports set final_score = {score} where session_id in ({ids})");
    if app.database_url.starts_with("postgres") {
        let pool = sqlx::PgPool::connect(&app.database_url).await.expect("connect");
        sqlx::query(&sql).execute(&pool).await.expect("update");
        pool.close().await;
    } else {
        let pool = sqlx::SqlitePool::connect(&app.database_url).await.expect("connect");
        sqlx::query(&sql).execute(&pool).await.expect("update");
        pool.close().await;
    }
}

#[tokio::test]
async fn a_certificate_is_issued_once_printable_and_verifiable() {
    certificate_on(Db::Sqlite).await;
    match Db::postgres() {
        Some(db) => certificate_on(db).await,
        None => eprintln!("skipped on PostgreSQL: set TEST_DATABASE_URL=postgres://..."),
    }
}

async fn certificate_on(db: Db) {
    let app = TestApp::spawn_with(db, replique_web::Config::default()).await;
    let julie = member(&app, "Julie Martin", "julie@alpha.fr", "Alpha", "learner").await;
    let mut sessions = Vec::new();
    for _ in 0..3 {
        sessions.push(scored(&app, &julie, "ecoute_active").await);
    }
    let certificate = |list: &serde_json::Value| {
        list.as_array().and_then(|l| l.iter().find(|c| c["skill"] == "ecoute_active")).cloned().expect("skill")
    };
    let (_, before) = app.get_json(&julie.client, "/api/certifications").await;
    assert_eq!(certificate(&before)["certificate"], serde_json::Value::Null, "no tier, no certificate");
    set_scores(&app, &sessions, 80).await;
    let (status, list) = app.get_json(&julie.client, "/api/certifications").await;
    assert_eq!(status, 200, "{list}");
    let bronze = certificate(&list);
    assert_eq!(bronze["level"], "bronze", "{bronze}");
    let id = bronze["certificate"].as_str().expect("certificate id").to_owned();
    assert!(id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
    let (_, again) = app.get_json(&julie.client, "/api/certifications").await;
    assert_eq!(certificate(&again)["certificate"].as_str(), Some(id.as_str()), "issued once");
    let page = get(&julie.client, &app, "/certifications").await.2;
    assert!(page.contains(&format!("/certificats/{id}")) && page.contains("La règle"), "{page:.2000}");

    // Anyone with the id checks it; nothing else is found.
    let anonymous = common::client();
    let (status, _, proof) = get(&anonymous, &app, &format!("/certificats/{id}")).await;
    assert_eq!(status, 200);
    for part in ["Julie Martin", "Certificat Bronze", "Écoute active", &id, "data-print"] {
        assert!(proof.contains(part), "{part}: {proof:.3000}");
    }
    for wrong in ["0".repeat(32), id.to_uppercase(), format!("{id}0"), "x".into()] {
        assert_eq!(get(&anonymous, &app, &format!("/certificats/{wrong}")).await.0, 404, "{wrong}");
    }
    let css = get(&anonymous, &app, "/static/app.css").await.2;
    assert!(css.contains("@media print"), "the certificate prints without the site's header");
    assert_eq!(get(&anonymous, &app, "/static/certificate.js").await.0, 200);
    app.stop().await;
}
