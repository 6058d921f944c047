//! The Enterprise pages: Champion hidden from other plans, the call to action on /upload,
//! a manager's upload from the page to the analysis, demo requests stored.

mod common;

use common::TestApp;

fn csrf(html: &str) -> String {
    let at = html.find("name=\"csrf_token\" value=\"").expect("csrf field") + "name=\"csrf_token\" value=\"".len();
    html[at..at + 64].to_owned()
}

const CALL: &str = "Vendeur : Bonjour Madame Roux. Comment est organisé votre service achats aujourd'hui ?
Cliente : Trois acheteurs, tout sur Excel. Mais c'est trop cher, ce genre d'outil.
Vendeur : Trop cher par rapport à quoi ? À part ce point, la solution vous conviendrait ?
Cliente : Oui.
Vendeur : Je vous propose un rendez-vous mardi à 10h ?
Cliente : D'accord.";

#[tokio::test]
async fn champion_is_for_enterprise_managers_and_the_offer_takes_demo_requests() {
    let app = TestApp::spawn().await;

    // A premium learner: no Champion link, and the call to action on /upload.
    let premium = app.other_client();
    app.sign_up(&premium, "premium@exemple.fr").await;
    app.store.set_plan("premium@exemple.fr", "premium", None).await.expect("plan");
    let home = premium.get(app.url("/skills")).send().await.expect("skills").text().await.expect("html");
    assert!(!home.contains("href=\"/champions\""));
    let upload = premium.get(app.url("/upload")).send().await.expect("upload").text().await.expect("html");
    assert!(upload.contains("réservé aux comptes Entreprise") && upload.contains("href=\"/enterprise\""));
    let title = &upload[upload.find("<title>").expect("title")..upload.find("</title>").expect("end of title")];
    assert!(title.contains("Champion, réservé à") && !title.contains("Charger un appel"), "{title}");
    let r = premium.get(app.url("/champions")).send().await.expect("champions");
    assert_eq!((r.status().as_u16(), r.headers()["location"].to_str().ok()), (303, Some("/upload")));

    // An Enterprise manager uploads from the page and lands on the analysis.
    let manager = app.client.clone();
    app.sign_up(&manager, "manager@delta.fr").await;
    app.enrol("manager@delta.fr", "enterprise", Some(("Delta", "manager"))).await;
    let page = manager.get(app.url("/upload")).send().await.expect("upload").text().await.expect("html");
    assert!(page.contains("href=\"/champions\""), "the nav shows Champion");
    assert!(page.contains("<span class=\"badge\">Entreprise</span>") && !page.contains(">Enterprise<"), "{page}");
    assert!(page.contains("<title>Charger l’appel d’un champion"), "{page}");
    let token = csrf(&page);
    let form = reqwest::multipart::Form::new()
        .text("consent", "true")
        .text("csrf_token", token.clone())
        .text("name", "Appel de Julie")
        .part("file", reqwest::multipart::Part::bytes(CALL.as_bytes().to_vec()).file_name("appel.txt"));
    let r = manager.post(app.url("/upload")).multipart(form).send().await.expect("post");
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"].to_str().expect("location").to_owned();
    assert!(location.starts_with("/champions/"));
    let analysis = manager.get(app.url(&location)).send().await.expect("page").text().await.expect("html");
    for part in [
        "Le champion&nbsp;: Vendeur",
        "Les étapes de l’appel",
        "Objections et réponses",
        "Trop cher par rapport à quoi",
    ] {
        assert!(analysis.contains(part) || analysis.contains(&part.replace('’', "&#39;")), "{part}");
    }
    // A broken file comes back to the form with the reason.
    let form = reqwest::multipart::Form::new()
        .text("consent", "true")
        .text("csrf_token", token)
        .text("name", "Rien")
        .part("file", reqwest::multipart::Part::bytes(b"pas un dialogue".to_vec()).file_name("x.txt"));
    let r = manager.post(app.url("/upload")).multipart(form).send().await.expect("post");
    assert_eq!(r.status(), 422);
    assert!(r.text().await.expect("html").contains("interlocuteurs"));

    // The manager's team page: members, sessions, average score per skill.
    let learner = common::client();
    app.sign_up(&learner, "vendeuse@delta.fr").await;
    app.enrol("vendeuse@delta.fr", "enterprise", Some(("Delta", "learner"))).await;
    let id = app.start_session(&learner, "ecoute_active").await;
    app.say(&learner, id, "Bonjour, comment est organisée votre équipe ?").await;
    let (status, _) = app.post_json(&learner, &format!("/api/voice/session/{id}/end"), serde_json::json!({})).await;
    assert_eq!(status, 200);
    let team = manager.get(app.url("/team")).send().await.expect("team");
    assert_eq!(team.status(), 200);
    let team = team.text().await.expect("html");
    assert!(team.contains("vendeuse@delta.fr") && team.contains("Écoute active") && team.contains("/100"), "{team}");
    assert_eq!(learner.get(app.url("/team")).send().await.expect("team").status(), 403, "managers only");

    // Anybody can ask for a demo; the request is stored.
    let anon = common::client();
    let offer = anon.get(app.url("/enterprise")).send().await.expect("offer").text().await.expect("html");
    for part in ["Analyse des appels", "Formation d’équipe", "Tarifs", "Demander une démonstration"] {
        assert!(offer.contains(part) || offer.contains(&part.replace('’', "&#39;")), "{part}");
    }
    let r = anon
        .post(app.url("/enterprise"))
        .form(&[
            ("csrf_token", csrf(&offer).as_str()),
            ("name", "Jeanne Lemoine"),
            ("email", "jeanne@exemple.fr"),
            ("company", "Lemoine SA"),
            ("team_size", "12"),
            ("message", "Une démo ?"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 303);
    let leads = app.store.demo_requests().await.expect("leads");
    assert_eq!(leads.len(), 1);
    assert_eq!(leads[0].company, "Lemoine SA");
    app.stop().await;
}

#[tokio::test]
async fn enterprise_queries_run_on_postgres_too() {
    let Some(db) = common::Db::postgres() else {
        eprintln!("skipped: set TEST_DATABASE_URL=postgres://... to run the Enterprise queries on PostgreSQL");
        return;
    };
    let app = TestApp::spawn_with(db, replique_web::Config::default()).await;
    let c = app.client.clone();
    app.sign_up(&c, "pg@epsilon.fr").await;
    let org = app.enrol("pg@epsilon.fr", "enterprise", Some(("Epsilon", "manager"))).await.expect("org");
    // One session with a turn, one ended before any: only the first counts.
    let talked = app.start_session(&c, "ecoute_active").await;
    assert_eq!(app.say(&c, talked, "Bonjour, comment allez-vous ?").await.0, 200);
    let silent = app.start_session(&c, "ecoute_active").await;
    for id in [talked, silent] {
        let (status, _) = app.post_json(&c, &format!("/api/voice/session/{id}/end"), serde_json::json!({})).await;
        assert_eq!(status, 200);
    }
    let team = app.store.team(org).await.expect("team");
    assert_eq!((team.len(), team[0].sessions), (1, 1));
    let scores = app.store.team_scores(org).await.expect("scores");
    assert_eq!(scores.iter().map(|s| s.sessions).collect::<Vec<_>>(), [1]);
    assert_eq!(app.store.scored_sessions(team[0].user_id).await.expect("scored").len(), 1);
    let form = reqwest::multipart::Form::new()
        .text("consent", "true")
        .text("name", "Appel")
        .part("file", reqwest::multipart::Part::bytes(CALL.as_bytes().to_vec()).file_name("a.txt"));
    let token = app.csrf_in_main();
    let r = c
        .post(app.url("/api/champions/upload"))
        .header("x-csrf-token", token)
        .multipart(form)
        .send()
        .await
        .expect("upload");
    assert_eq!(r.status(), 201);
    let (status, _) = app.get_json(&c, "/api/champions").await;
    assert_eq!(status, 200);
    app.stop().await;
}
