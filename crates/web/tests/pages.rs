//! The pages work without JavaScript: sign up with the form, start a session, talk through
//! the fallback form, end, read the report.

mod common;

use common::TestApp;

/// The value of the hidden CSRF field in a page.
fn csrf(html: &str) -> String {
    let at = html.find("name=\"csrf_token\" value=\"").expect("csrf field") + "name=\"csrf_token\" value=\"".len();
    html[at..at + 64].to_owned()
}

#[tokio::test]
async fn a_learner_can_do_everything_with_plain_forms() {
    let app = TestApp::spawn().await;
    let c = app.client.clone();

    let home = c.get(app.url("/")).send().await.expect("home");
    assert_eq!(home.status(), 200);
    assert!(home.headers().get("content-security-policy").is_some());

    let signup = c.get(app.url("/signup")).send().await.expect("signup").text().await.expect("html");
    let token = csrf(&signup);
    let r = c
        .post(app.url("/signup"))
        .form(&[
            ("name", "Gaëlle"),
            ("email", "gaelle@exemple.fr"),
            ("password", "motdepasse-solide"),
            ("csrf_token", &token),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 303, "{:?}", r.text().await);

    let skills = c.get(app.url("/skills")).send().await.expect("skills").text().await.expect("html");
    assert!(skills.contains("Écoute active"), "the catalogue lists the skills");
    // The sign-up renewed the CSRF token: the forms now carry the new one.
    let token = csrf(&skills);
    let skill = c.get(app.url("/skills/ecoute_active")).send().await.expect("skill").text().await.expect("html");
    assert!(skill.contains("Démarrer la conversation"));
    let r = c
        .post(app.url("/skills/ecoute_active/start"))
        .form(&[("sector", "generic"), ("level", "easy"), ("variant", ""), ("csrf_token", &token)])
        .send()
        .await
        .expect("start");
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"].to_str().expect("location").to_owned();
    assert!(location.starts_with("/training/session/"), "{location}");
    let id: i64 = location.rsplit('/').next().and_then(|s| s.parse().ok()).expect("id");

    let page = c.get(app.url(&location)).send().await.expect("page").text().await.expect("html");
    assert!(page.contains("aria-live=\"polite\""));
    let r = c
        .post(app.url(&format!("/training/session/{id}/say")))
        .form(&[("message", "Bonjour <script>alert(1)</script>, comment allez-vous ?"), ("csrf_token", &token)])
        .send()
        .await
        .expect("say");
    assert_eq!(r.status(), 303);
    let page = c.get(app.url(&location)).send().await.expect("page").text().await.expect("html");
    assert!(
        page.contains("&#60;script&#62;alert(1)") || page.contains("&lt;script&gt;alert(1)"),
        "learner text is escaped"
    );
    assert!(!page.contains("<script>alert(1)"));

    let r = c
        .post(app.url(&format!("/training/session/{id}/end")))
        .form(&[("csrf_token", &token)])
        .send()
        .await
        .expect("end");
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], format!("/training/report/{id}").as_str());
    let report = c.get(app.url(&format!("/training/report/{id}"))).send().await.expect("report");
    assert_eq!(report.status(), 200);
    let html = report.text().await.expect("html");
    for part in [
        "Score",
        "Points forts",
        "Points à améliorer",
        "Replay de la conversation",
        "Refaire ce scénario",
        "Retour aux compétences",
    ] {
        assert!(html.contains(part), "report shows {part}");
    }

    // Anonymous visitors are sent to the login page.
    let anon = common::client();
    let r = anon.get(app.url(&format!("/training/report/{id}"))).send().await.expect("get");
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], format!("/login?next=%2Ftraining%2Freport%2F{id}").as_str());
    let r = anon.get(app.url("/nulle-part")).send().await.expect("get");
    assert_eq!(r.status(), 404);
    assert!(r.text().await.expect("html").contains("Page introuvable"));

    // An incomplete form gets a French error page, and nothing is written.
    let before = app.store.messages(id).await.expect("messages").len();
    let r = c
        .post(app.url(&format!("/training/session/{id}/say")))
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .expect("say");
    assert_eq!(r.status(), 422);
    assert!(r.text().await.expect("html").contains("Formulaire incomplet"));
    assert_eq!(app.store.messages(id).await.expect("messages").len(), before);

    let health = anon.get(app.url("/health")).send().await.expect("health");
    assert_eq!(health.status(), 200);
    app.stop().await;
}

#[tokio::test]
async fn login_form_errors_are_shown_on_the_page() {
    let app = TestApp::spawn().await;
    let c = app.client.clone();
    let login = c.get(app.url("/login")).send().await.expect("login").text().await.expect("html");
    let token = csrf(&login);
    let r = c
        .post(app.url("/login"))
        .form(&[("email", "inconnu@exemple.fr"), ("password", "nimportequoi"), ("csrf_token", &token)])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 401);
    assert!(r.text().await.expect("html").contains("E-mail ou mot de passe incorrect."));
    app.stop().await;
}

/// Logs in through the page's form, with `next` as the page would send it.
async fn log_in_with_next(app: &TestApp, c: &reqwest::Client, password: &str, next: &str) -> reqwest::Response {
    let login = c.get(app.url("/login")).send().await.expect("login").text().await.expect("html");
    let token = csrf(&login);
    c.post(app.url("/login"))
        .form(&[("email", "retour@exemple.fr"), ("password", password), ("csrf_token", &token), ("next", next)])
        .send()
        .await
        .expect("post")
}

#[tokio::test]
async fn after_the_login_the_learner_is_back_on_the_page_they_asked_for() {
    let app = TestApp::spawn().await;
    let owner = app.client.clone();
    app.sign_up(&owner, "retour@exemple.fr").await;
    let id = app.start_session(&owner, "ecoute_active").await;
    let page = format!("/training/session/{id}");

    // A browser that is not logged in asks for the session: the login page keeps it.
    let c = common::client();
    let r = c.get(app.url(&page)).send().await.expect("page");
    assert_eq!(r.status(), 303);
    let to_login = r.headers()["location"].to_str().expect("location").to_owned();
    assert_eq!(to_login, format!("/login?next=%2Ftraining%2Fsession%2F{id}"));
    let html = c.get(app.url(&to_login)).send().await.expect("login").text().await.expect("html");
    assert!(html.contains(&format!("name=\"next\" value=\"{page}\"")), "{html}");

    // A wrong password: the form is shown again, still on its way back.
    let r = log_in_with_next(&app, &c, "pas-le-bon", &page).await;
    assert_eq!(r.status(), 401);
    assert!(r.text().await.expect("html").contains(&format!("name=\"next\" value=\"{page}\"")));

    // The right one: back on the session page, which opens.
    let r = log_in_with_next(&app, &c, "motdepasse-solide", &page).await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], page.as_str());
    let r = c.get(app.url(&page)).send().await.expect("page");
    assert_eq!(r.status(), 200);

    // Once logged in, the login page sends straight on.
    let r = c.get(app.url(&to_login)).send().await.expect("login");
    assert_eq!((r.status().as_u16(), r.headers()["location"].to_str().ok()), (303, Some(page.as_str())));
    app.stop().await;
}

#[tokio::test]
async fn the_login_never_sends_to_another_site() {
    let app = TestApp::spawn().await;
    app.sign_up(&app.client, "retour@exemple.fr").await;
    for next in ["https://evil.example/", "//evil.example/skills", "/\\evil.example", "skills"] {
        let c = common::client();
        let query = serde_urlencoded::to_string([("next", next)]).expect("query");
        let html = c.get(app.url(&format!("/login?{query}"))).send().await.expect("login").text().await.expect("html");
        assert!(!html.contains("name=\"next\""), "{next} is not kept: {html}");
        let r = log_in_with_next(&app, &c, "motdepasse-solide", next).await;
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], "/skills", "{next} is ignored");
        let r = c.get(app.url(&format!("/login?{query}"))).send().await.expect("login");
        assert_eq!(r.headers()["location"], "/skills", "logged in, {next} is ignored too");
    }
    app.stop().await;
}

#[tokio::test]
async fn the_dashboard_shows_progress_per_skill_and_what_to_work_on() {
    let app = TestApp::spawn().await;
    let c = app.client.clone();
    app.sign_up(&c, "progres@exemple.fr").await;
    let home = c.get(app.url("/")).send().await.expect("home").text().await.expect("html");
    assert!(!home.contains("Votre progression"), "nothing scored yet");
    assert!(home.contains("Essai gratuit"), "the trial's days are said");

    for (skill, lines) in [
        ("ecoute_active", &["Bonjour, comment allez-vous ?"][..]),
        (
            "ecoute_active",
            &[
                "Bonjour ! Comment est organisée votre équipe aujourd’hui ?",
                "Si je comprends bien, tout repose sur vous ?",
            ][..],
        ),
        ("decouverte_compir", &["Bonjour."][..]),
    ] {
        let id = app.start_session(&c, skill).await;
        for line in lines {
            assert_eq!(app.say(&c, id, line).await.0, 200);
        }
        let (status, _) = app.post_json(&c, &format!("/api/voice/session/{id}/end"), serde_json::json!({})).await;
        assert_eq!(status, 200);
    }
    let home = c.get(app.url("/")).send().await.expect("home").text().await.expect("html");
    assert!(home.contains("Votre progression"), "{home}");
    let table = &home[home.find("id=\"progress\"").expect("progress table")..];
    let table = &table[..table.find("</table>").expect("end of table")];
    assert_eq!(table.matches("<tr>").count(), 3, "a header and one row per skill: {table}");
    assert!(
        table.contains(
            r#"<a href="/skills/ecoute_active">Écoute active</a></td>
        <td>2</td>"#
        ),
        "{table}"
    );
    assert!(home.contains("À travailler ensuite"), "{home}");

    // Each session of the list says the day it was held.
    let list = &home[home.find("Vos dernières sessions").expect("session list")..];
    let today = time::OffsetDateTime::now_utc().date();
    let months = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."];
    let day = format!(
        "<time datetime=\"{today}\">{}\u{a0}{}\u{a0}{}</time>",
        today.day(),
        months[usize::from(u8::from(today.month())) - 1],
        today.year()
    );
    assert_eq!(list.matches(&day).count(), 3, "{day} in {list}");
    app.stop().await;
}

#[tokio::test]
async fn the_site_has_an_icon() {
    let app = TestApp::spawn().await;
    let c = common::client();
    let home = c.get(app.url("/")).send().await.expect("home").text().await.expect("html");
    assert!(home.contains(r#"<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">"#), "{home}");
    let icon = c.get(app.url("/static/favicon.svg")).send().await.expect("icon");
    assert_eq!(icon.status(), 200);
    assert_eq!(icon.headers()["content-type"], "image/svg+xml");
    let body = icon.text().await.expect("svg");
    assert!(body.starts_with("<svg") && body.len() < 1024, "{body}");
    let legacy = c.get(app.url("/favicon.ico")).send().await.expect("favicon.ico");
    assert_eq!(legacy.status(), 204, "no 404 for the old name");
    app.stop().await;
}

#[tokio::test]
async fn a_session_ended_before_any_learner_turn_is_not_scored_nor_counted() {
    let app = TestApp::spawn().await;
    let c = app.client.clone();
    app.sign_up(&c, "silence@exemple.fr").await;
    let org = app.enrol("silence@exemple.fr", "enterprise", Some(("Silence", "learner"))).await.expect("org");

    let talked = app.start_session(&c, "ecoute_active").await;
    assert_eq!(app.say(&c, talked, "Bonjour ! Comment est organisée votre équipe aujourd’hui ?").await.0, 200);
    let silent = app.start_session(&c, "ecoute_active").await;
    for id in [talked, silent] {
        let (status, _) = app.post_json(&c, &format!("/api/voice/session/{id}/end"), serde_json::json!({})).await;
        assert_eq!(status, 200);
    }

    // The dashboard counts and averages the session with a turn only.
    let home = c.get(app.url("/")).send().await.expect("home").text().await.expect("html");
    let count = &home[home.find("Sessions notées").expect("count")..];
    assert!(count.starts_with("Sessions notées</h2><p class=\"big\">1</p>"), "{count}");
    let list = &home[home.find("Vos dernières sessions").expect("session list")..];
    assert_eq!(list.matches("Sans échange").count(), 1, "{list}");

    // The JSON list says so, and keeps its fields.
    let (_, sessions) = app.get_json(&c, "/api/voice/sessions").await;
    let of = |id: i64| sessions.as_array().and_then(|l| l.iter().find(|s| s["session_id"] == id)).cloned();
    let silent_json = of(silent).expect("silent session");
    assert_eq!(
        (silent_json["final_score"].clone(), silent_json["scored"].clone()),
        (serde_json::Value::Null, false.into())
    );
    let talked_json = of(talked).expect("session with a turn");
    assert!(talked_json["final_score"].is_i64() && talked_json["scored"] == true, "{talked_json}");

    // The report page says it was not scored.
    let report = c.get(app.url(&format!("/training/report/{silent}"))).send().await.expect("report");
    let report = report.text().await.expect("html");
    assert!(report.contains("id=\"final-score\">Sans échange</p>"), "{report}");

    // The team figures leave it out too.
    let team = app.store.team(org).await.expect("team");
    assert_eq!(team.iter().map(|m| m.sessions).collect::<Vec<_>>(), [1]);
    let scores = app.store.team_scores(org).await.expect("scores");
    assert_eq!(scores.iter().map(|s| s.sessions).collect::<Vec<_>>(), [1]);
    app.stop().await;
}
