//! Champion is Enterprise only and stays inside its organisation; uploads are checked by
//! content and leave nothing behind when they fail.

mod common;

use std::sync::Arc;

use common::{TestApp, client_with_jar};
use reqwest::cookie::Jar;
use serde_json::{Value, json};

const UPSELL: &str =
    "La fonctionnalité Champion est réservée aux comptes Enterprise. Utilisez les sessions Skills pour vous entraîner.";

const CALL: &str =
    "Vendeur : Bonjour Madame Roux, merci de me recevoir. Comment est organisé votre service achats aujourd'hui ?
Cliente : Nous sommes trois acheteurs, tout passe par Excel.
Vendeur : Si je comprends bien, tout repose sur vos fichiers. Qu'est-ce qui vous pose le plus de difficultés ?
Cliente : Les relances fournisseurs. Mais honnêtement, c'est trop cher, ce genre d'outil.
Vendeur : Trop cher par rapport à quoi ? À part ce point, la solution vous conviendrait ?
Cliente : Oui, à part le prix.
Vendeur : Je vous propose un rendez-vous mardi à 10h pour chiffrer ce que vous coûtent les relances.
Cliente : D'accord.";

struct Visitor {
    client: reqwest::Client,
    jar: Arc<Jar>,
}

async fn visitor(app: &TestApp) -> Visitor {
    let (client, jar) = client_with_jar();
    client.get(app.url("/")).send().await.expect("home"); // gets the CSRF cookie
    Visitor { client, jar }
}

async fn member(app: &TestApp, email: &str, plan: &str, org: Option<&str>) -> Visitor {
    let v = visitor(app).await;
    app.sign_up(&v.client, email).await;
    app.enrol(email, plan, org.map(|o| (o, "manager"))).await;
    v
}

async fn upload(app: &TestApp, v: &Visitor, name: &str, bytes: Vec<u8>, file_name: &str) -> (u16, Value) {
    let form = reqwest::multipart::Form::new()
        .text("consent", "true")
        .text("name", name.to_owned())
        .part("file", reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_owned()));
    let r = v
        .client
        .post(app.url("/api/champions/upload"))
        .header("x-csrf-token", app.csrf_in(&v.jar))
        .multipart(form)
        .send()
        .await
        .expect("upload");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn call(app: &TestApp, v: &Visitor, method: &str, path: &str) -> (u16, Value) {
    let request = match method {
        "GET" => v.client.get(app.url(path)),
        "DELETE" => v.client.delete(app.url(path)),
        _ => v.client.post(app.url(path)).json(&json!({})),
    };
    let r = request.header("x-csrf-token", app.csrf_in(&v.jar)).send().await.expect("request");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn uploads(app: &TestApp) -> usize {
    std::fs::read_dir(app.files.path().join("uploads")).map_or(0, |d| d.count())
}

#[tokio::test]
async fn every_champion_route_for_every_kind_of_visitor() {
    let app = TestApp::spawn().await;
    let anonymous = visitor(&app).await;
    let free = member(&app, "free@exemple.fr", "free", None).await;
    let trial = member(&app, "trial@exemple.fr", "trial", None).await;
    let premium = member(&app, "premium@exemple.fr", "premium", None).await;
    let a = member(&app, "manager@alpha.fr", "enterprise", Some("Alpha")).await;
    let b = member(&app, "manager@beta.fr", "enterprise", Some("Beta")).await;

    let (status, created) = upload(&app, &a, "Appel de Julie", CALL.as_bytes().to_vec(), "appel.txt").await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["champion_speaker"], "Vendeur");
    let id = created["id"].as_i64().expect("id");

    let routes = [
        ("GET", "/api/champions".to_owned()),
        ("GET", format!("/api/champions/{id}")),
        ("POST", format!("/api/champions/{id}/analyze")),
    ];
    for (method, path) in &routes {
        let (status, _) = call(&app, &anonymous, method, path).await;
        assert_eq!(status, 401, "anonymous {method} {path}");
        for (who, v) in [("free", &free), ("trial", &trial), ("premium", &premium)] {
            let (status, body) = call(&app, v, method, path).await;
            assert_eq!(status, 403, "{who} {method} {path}");
            assert_eq!(body, json!({"detail": UPSELL, "upgrade_url": "/enterprise"}), "{who}: the exact upsell");
        }
    }
    let (status, _) = upload(&app, &anonymous, "x", CALL.as_bytes().to_vec(), "a.txt").await;
    assert_eq!(status, 401);
    for v in [&free, &trial, &premium] {
        let (status, body) = upload(&app, v, "x", CALL.as_bytes().to_vec(), "a.txt").await;
        assert_eq!((status, body), (403, json!({"detail": UPSELL, "upgrade_url": "/enterprise"})));
    }

    // Organisation A sees and analyses its champion.
    let (status, list) = call(&app, &a, "GET", "/api/champions").await;
    assert_eq!((status, list.as_array().map(Vec::len)), (200, Some(1)));
    let (status, analysis) = call(&app, &a, "POST", &format!("/api/champions/{id}/analyze")).await;
    assert_eq!(status, 200, "{analysis}");
    assert_eq!(analysis["champion"], "Vendeur");
    assert!(analysis["objections"].as_array().is_some_and(|o| o.len() == 1));
    let (status, detail) = call(&app, &a, "GET", &format!("/api/champions/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(detail["analysed"], true);

    // Organisation B does not even learn that it exists.
    let (status, list) = call(&app, &b, "GET", "/api/champions").await;
    assert_eq!((status, list), (200, json!([])));
    for (method, path) in [
        ("GET", format!("/api/champions/{id}")),
        ("POST", format!("/api/champions/{id}/analyze")),
        ("DELETE", format!("/api/champions/{id}")),
    ] {
        let (status, _) = call(&app, &b, method, &path).await;
        assert_eq!(status, 404, "B {method} {path}");
    }
    let (status, _) = call(&app, &anonymous, "DELETE", &format!("/api/champions/{id}")).await;
    assert_eq!(status, 401);
    let (status, _) = call(&app, &premium, "DELETE", &format!("/api/champions/{id}")).await;
    assert_eq!(status, 403);

    // A deletes it: the row and the file go.
    assert_eq!(uploads(&app), 1);
    let (status, _) = call(&app, &a, "DELETE", &format!("/api/champions/{id}")).await;
    assert_eq!(status, 204);
    assert_eq!(uploads(&app), 0);
    let (status, _) = call(&app, &a, "GET", &format!("/api/champions/{id}")).await;
    assert_eq!(status, 404);

    // Enterprise without an organisation: refused, with a reason.
    let lonely = member(&app, "seul@exemple.fr", "enterprise", None).await;
    let (status, body) = call(&app, &lonely, "GET", "/api/champions").await;
    assert_eq!(status, 403);
    assert!(body["detail"].as_str().is_some_and(|d| d.contains("organisation")));
    app.stop().await;
}

#[tokio::test]
async fn uploads_of_each_format_good_and_broken() {
    let app = TestApp::spawn().await;
    let a = member(&app, "manager@gamma.fr", "enterprise", Some("Gamma")).await;

    let vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Julie>Bonjour, comment allez-vous ?\n\n00:00:04.500 --> 00:00:06.000\n<v Client>Bien, merci.\n";
    let srt =
        "1\n00:00:01,000 --> 00:00:03,000\nVendeur: Bonjour !\n\n2\n00:00:03,500 --> 00:00:05,000\nClient: Bonjour.\n";
    let json_call = r#"[{"speaker": "Vendeur", "text": "Bonjour ?"}, {"speaker": "Client", "text": "Oui."}]"#;
    for (file, body) in [("a.txt", CALL), ("b.vtt", vtt), ("c.srt", srt), ("d.json", json_call)] {
        let (status, created) = upload(&app, &a, "Appel", body.as_bytes().to_vec(), file).await;
        assert_eq!(status, 201, "{file}: {created}");
    }
    assert_eq!(uploads(&app), 4);

    let wav = b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x22\x56\x00\x00".to_vec();
    let cases: Vec<(&str, Vec<u8>, &str, u16, &str)> = vec![
        ("empty", Vec::new(), "vide.txt", 422, "vide"),
        ("garbage", vec![0x00, 0xFF, 0x13, 0x37, 0x00, 0x01], "appel.txt", 415, ""),
        (
            "wrong magic: a text named .mp3",
            b"Bonjour tout le monde, pas de locuteurs ici.".to_vec(),
            "appel.mp3",
            422,
            "interlocuteurs",
        ),
        (
            "no speaker labels",
            b"Bonjour, ceci est un texte.\nSans aucun locuteur.".to_vec(),
            "appel.txt",
            422,
            "interlocuteurs",
        ),
        ("a recording without transcription", wav, "appel.wav", 422, "contactez votre administrateur"),
        ("too big", vec![b'a'; 26 * 1024 * 1024], "gros.txt", 413, ""),
    ];
    for (what, bytes, file, expected, words) in cases {
        let (status, body) = upload(&app, &a, "Appel", bytes, file).await;
        assert_eq!(status, expected, "{what}: {body}");
        assert!(body["detail"].as_str().is_some_and(|d| d.contains(words)), "{what}: {body}");
    }
    // A missing name is refused too.
    let (status, _) = upload(&app, &a, "  ", CALL.as_bytes().to_vec(), "a.txt").await;
    assert_eq!(status, 422);
    // Nothing partial stays: still the four good ones only.
    assert_eq!(uploads(&app), 4);
    let (_, list) = call(&app, &a, "GET", "/api/champions").await;
    assert_eq!(list.as_array().map(Vec::len), Some(4));
    app.stop().await;
}

async fn post_json(app: &TestApp, v: &Visitor, path: &str, body: Value) -> (u16, Value) {
    let r = v.client.post(app.url(path)).json(&body).send().await.expect("request");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_learner_replays_a_champion_call_and_is_compared_point_by_point() {
    let app = TestApp::spawn().await;
    let manager = member(&app, "manager@omega.fr", "enterprise", Some("Omega")).await;
    let learner = member(&app, "vendeur@omega.fr", "enterprise", Some("Omega")).await;
    let outsider = member(&app, "manager@sigma.fr", "enterprise", Some("Sigma")).await;
    let premium = member(&app, "premium2@exemple.fr", "premium", None).await;
    let free = member(&app, "free2@exemple.fr", "free", None).await;
    let trial = member(&app, "trial2@exemple.fr", "trial", None).await;
    let (status, created) = upload(&app, &manager, "Appel de Julie", CALL.as_bytes().to_vec(), "appel.txt").await;
    assert_eq!(status, 201);
    let champion_id = created["id"].as_i64().expect("id");

    let (status, scenario) = call(&app, &learner, "GET", &format!("/api/scenarios/{champion_id}")).await;
    assert_eq!(status, 200, "{scenario}");
    assert_eq!(scenario["client"], "Cliente");
    assert_eq!(scenario["moves"], 4);
    assert_eq!(scenario["objections"].as_array().map(Vec::len), Some(1));

    let (status, started) = post_json(&app, &learner, "/api/training/start", json!({"champion_id": champion_id})).await;
    assert_eq!(status, 201, "{started}");
    let session = started["session_id"].as_i64().expect("session");
    assert_eq!(started["client_line"], Value::Null, "the champion opened the call: so does the learner");
    let answers = [
        "Bonjour Madame Roux, comment allez-vous ?",
        "Si je comprends bien, vous travaillez sur Excel. Qu'est-ce qui vous pose problème ?",
        "Je comprends. Trop cher par rapport à quoi ?",
    ];
    for answer in answers {
        let (status, turn) =
            post_json(&app, &learner, "/api/training/respond", json!({"session_id": session, "message": answer})).await;
        assert_eq!(status, 200, "{turn}");
        assert_eq!(turn["session_ended"], false);
    }
    let (status, last) = post_json(
        &app,
        &learner,
        "/api/training/respond",
        json!({"session_id": session, "message": "Je vous propose un rendez-vous jeudi à 9h ?"}),
    )
    .await;
    assert_eq!((status, last["session_ended"].as_bool()), (200, Some(true)));
    let (status, _) =
        post_json(&app, &learner, "/api/training/respond", json!({"session_id": session, "message": "Encore ?"})).await;
    assert_eq!(status, 409);

    let (status, ended) = post_json(&app, &learner, "/api/training/end", json!({"session_id": session})).await;
    assert_eq!(status, 200);
    let points = ended["comparison"].as_array().expect("comparison");
    assert_eq!(points.len(), 4);
    assert!(points[2]["learner"]["patterns"].as_array().is_some_and(|p| p.iter().any(|x| x == "objection_dig")));
    assert!(points[2]["champion"]["text"].as_str().is_some_and(|t| t.contains("par rapport à quoi")));
    let (_, list) = call(&app, &learner, "GET", "/api/training/sessions").await;
    assert_eq!(list.as_array().map(Vec::len), Some(1));

    // Others: another organisation cannot see the scenario nor the session; other plans get the upsell.
    let (status, _) = call(&app, &outsider, "GET", &format!("/api/scenarios/{champion_id}")).await;
    assert_eq!(status, 404);
    let (status, _) = post_json(&app, &outsider, "/api/training/start", json!({"champion_id": champion_id})).await;
    assert_eq!(status, 404);
    let (status, _) = post_json(&app, &outsider, "/api/training/end", json!({"session_id": session})).await;
    assert_eq!(status, 404);
    let (status, _) =
        post_json(&app, &manager, "/api/training/respond", json!({"session_id": session, "message": "x"})).await;
    assert_eq!(status, 404, "a session is its learner's own");
    let anonymous = visitor(&app).await;
    for (path, body) in [
        ("/api/training/start", json!({"champion_id": champion_id})),
        ("/api/training/respond", json!({"session_id": session, "message": "x"})),
        ("/api/training/end", json!({"session_id": session})),
    ] {
        assert_eq!(post_json(&app, &anonymous, path, body.clone()).await.0, 401, "{path}");
        for v in [&free, &trial, &premium] {
            let (status, refusal) = post_json(&app, v, path, body.clone()).await;
            assert_eq!((status, refusal), (403, json!({"detail": UPSELL, "upgrade_url": "/enterprise"})), "{path}");
        }
    }
    for path in ["/api/training/sessions".to_owned(), format!("/api/scenarios/{champion_id}")] {
        assert_eq!(call(&app, &anonymous, "GET", &path).await.0, 401, "{path}");
        for v in [&free, &trial, &premium] {
            assert_eq!(call(&app, v, "GET", &path).await.0, 403, "{path}");
        }
    }
    app.stop().await;
}

#[tokio::test]
async fn uploads_are_bounded_and_a_champion_comes_back_a_page_of_turns_at_a_time() {
    let app = TestApp::spawn().await;
    let a = member(&app, "manager@borne.fr", "enterprise", Some("Borne")).await;

    // Too many turns: 422, with the count and the limit; too much text: 413.
    let long: String = (0..2001).map(|i| if i % 2 == 0 { "Vendeur : Oui ?\n" } else { "Client : Non.\n" }).collect();
    let (status, body) = upload(&app, &a, "Trop long", long.into_bytes(), "long.txt").await;
    assert_eq!(status, 422, "{body}");
    let said = body["detail"].as_str().unwrap_or_default();
    assert!(said.starts_with("Appel trop long") && said.contains("2001 répliques, 2000 au maximum"), "{body}");
    let huge = "Vendeur : Bonjour, je vous appelle au sujet de votre contrat.\nClient : Oui ?\n".repeat(8_000);
    assert!(huge.len() > 512 * 1024);
    let (status, body) = upload(&app, &a, "Trop gros", huge.into_bytes(), "gros.txt").await;
    assert_eq!(status, 413, "{body}");
    assert!(body["detail"].as_str().is_some_and(|d| d.starts_with("Transcription trop volumineuse")), "{body}");
    assert_eq!(uploads(&app), 0, "nothing kept of a refused upload");

    // 1,200 turns: pages of 500 at most, the old fields kept.
    let transcript: String = (0..1200)
        .map(|i| if i % 2 == 0 { format!("Vendeur : Question {i} ?\n") } else { format!("Client : Réponse {i}.\n") })
        .collect();
    let (status, created) = upload(&app, &a, "Long appel", transcript.into_bytes(), "appel.txt").await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_i64().expect("id");
    let (status, first) = call(&app, &a, "GET", &format!("/api/champions/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(first["turns"].as_array().map(Vec::len), Some(500));
    assert_eq!((first["turns_total"].clone(), first["turns_next_offset"].clone()), (json!(1200), json!(500)));
    for field in ["id", "name", "notes", "source", "original_name", "champion_speaker", "analysed", "created_at"] {
        assert!(first.get(field).is_some(), "{field} is still there");
    }
    let (_, last) = call(&app, &a, "GET", &format!("/api/champions/{id}?offset=1100&limit=5000")).await;
    assert_eq!(last["turns"].as_array().map(Vec::len), Some(100));
    assert_eq!((last["turns_limit"].clone(), last["turns_next_offset"].clone()), (json!(500), json!(null)));
    assert_eq!(last["turns"][0]["text"], "Question 1100 ?");
    let (_, some) = call(&app, &a, "GET", &format!("/api/champions/{id}?offset=3&limit=2")).await;
    assert_eq!(some["turns"].as_array().map(Vec::len), Some(2));
    assert_eq!(some["turns_next_offset"], 5);
    // limit=0 reads as 1, as the OpenAPI document says (schemathesis found the document
    // asking for 1 at least while the server took 0).
    let (status, one) = call(&app, &a, "GET", &format!("/api/champions/{id}?limit=0")).await;
    assert_eq!((status, one["turns_limit"].clone(), one["turns"].as_array().map(Vec::len)), (200, json!(1), Some(1)));
    let (_, doc) = call(&app, &a, "GET", "/api/openapi.json").await;
    let params = doc["paths"]["/api/champions/{id}"]["get"]["parameters"].as_array().cloned().unwrap_or_default();
    for name in ["offset", "limit"] {
        let p = params.iter().find(|p| p["name"] == name).expect("documented");
        assert_eq!(p["schema"]["minimum"], 0, "{name}: what the server takes");
    }
    let (status, body) = call(&app, &a, "GET", &format!("/api/champions/{id}?offset=-1")).await;
    assert_eq!(status, 422, "{body}");
    assert!(body["detail"].as_str().is_some_and(|d| d.starts_with("Pagination invalide")), "{body}");

    let (status, analysis) = call(&app, &a, "POST", &format!("/api/champions/{id}/analyze")).await;
    assert_eq!(status, 200, "{analysis}");
    app.stop().await;
}

#[tokio::test]
async fn a_scenario_id_must_name_the_champions_own_scenario() {
    let app = TestApp::spawn().await;
    let manager = member(&app, "manager@kappa.fr", "enterprise", Some("Kappa")).await;
    let (status, created) = upload(&app, &manager, "Appel de Julie", CALL.as_bytes().to_vec(), "appel.txt").await;
    assert_eq!(status, 201);
    let champion_id = created["id"].as_i64().expect("id");
    let (_, scenario) = call(&app, &manager, "GET", &format!("/api/scenarios/{champion_id}")).await;
    assert_eq!(scenario["scenario_id"], champion_id);

    // Another call's scenario, or one that does not exist: refused, and nothing started.
    let (status, other) = upload(&app, &manager, "Autre appel", CALL.as_bytes().to_vec(), "autre.txt").await;
    assert_eq!(status, 201);
    for wrong in [other["id"].as_i64().expect("id"), champion_id + 1000] {
        let (status, body) =
            post_json(&app, &manager, "/api/training/start", json!({"champion_id": champion_id, "scenario_id": wrong}))
                .await;
        assert_eq!(status, 422, "{body}");
        assert!(body["detail"].as_str().is_some_and(|d| d.contains("scenario_id")), "{body}");
    }
    let (_, list) = call(&app, &manager, "GET", "/api/training/sessions").await;
    assert_eq!(list, json!([]));

    // The champion's own scenario, or none: started.
    for body in [json!({"champion_id": champion_id, "scenario_id": champion_id}), json!({"champion_id": champion_id})] {
        let (status, started) = post_json(&app, &manager, "/api/training/start", body).await;
        assert_eq!(status, 201, "{started}");
    }
    app.stop().await;
}

#[tokio::test]
async fn a_multipart_csrf_token_must_match_on_the_page_and_the_api() {
    let app = TestApp::spawn().await;
    let manager = member(&app, "manager@lambda.fr", "enterprise", Some("Lambda")).await;
    let token = app.csrf_in(&manager.jar);
    let form = |csrf: Option<&str>| {
        let form = reqwest::multipart::Form::new().text("consent", "true").text("name", "Appel");
        let form = match csrf {
            Some(csrf) => form.text("csrf_token", csrf.to_owned()),
            None => form,
        };
        form.part("file", reqwest::multipart::Part::bytes(CALL.as_bytes().to_vec()).file_name("appel.txt"))
    };
    let wrong = "0".repeat(64);

    // The page: the form's field is the token; a wrong or missing one is refused.
    for csrf in [Some(wrong.as_str()), Some(""), None] {
        let r = manager.client.post(app.url("/upload")).multipart(form(csrf)).send().await.expect("post");
        assert_eq!(r.status(), 403, "{csrf:?}");
    }
    // The API: the header is the token; a field sent with it must match it too.
    let api = |csrf: Option<&str>| {
        manager
            .client
            .post(app.url("/api/champions/upload"))
            .header("x-csrf-token", token.clone())
            .multipart(form(csrf))
    };
    let r = api(Some(&wrong)).send().await.expect("post");
    assert_eq!(r.status(), 403);
    let body: Value = r.json().await.expect("json");
    assert!(body["detail"].as_str().is_some_and(|d| d.contains("Jeton de sécurité")), "{body}");
    let r = manager.client.post(app.url("/api/champions/upload")).multipart(form(Some(&token))).send().await;
    assert_eq!(r.expect("post").status(), 403, "the API needs the header, whatever the form says");
    assert_eq!(uploads(&app), 0, "nothing stored");

    for csrf in [Some(token.as_str()), None] {
        assert_eq!(api(csrf).send().await.expect("post").status(), 201, "{csrf:?}");
    }
    let r = manager.client.post(app.url("/upload")).multipart(form(Some(&token))).send().await.expect("post");
    assert_eq!(r.status(), 303);
    assert_eq!(uploads(&app), 3);

    // An API client that sends no `consent` field (the route's contract before the field
    // existed) has its call stored, as not confirmed; the page's form must confirm it.
    let bare = || {
        reqwest::multipart::Form::new()
            .text("name", "Appel")
            .part("file", reqwest::multipart::Part::bytes(CALL.as_bytes().to_vec()).file_name("appel.txt"))
    };
    let r = manager
        .client
        .post(app.url("/api/champions/upload"))
        .header("x-csrf-token", token.clone())
        .multipart(bare())
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 201);
    let r = manager.client.post(app.url("/upload")).multipart(bare().text("csrf_token", token.clone())).send().await;
    assert_eq!(r.expect("post").status(), 422, "the page's form confirms the people were informed");
    assert_eq!(uploads(&app), 4);
    app.stop().await;
}

/// Property test of the upload route (issue 14): whatever the bytes, the name and the file
/// name, the answer is a stored call or a French refusal in JSON, never a server error.
#[tokio::test]
async fn any_upload_gets_a_stored_call_or_a_clear_refusal() {
    use proptest::strategy::{Strategy, ValueTree};
    use proptest::test_runner::TestRunner;
    let app = TestApp::spawn().await;
    let manager = member(&app, "manager@mu.fr", "enterprise", Some("Mu")).await;
    let line = "[A-Z][a-z]{0,8} ?: [^\\n]{0,40}\n";
    let file = proptest::prop_oneof![
        proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400),
        proptest::collection::vec(line, 0..12).prop_map(|lines| lines.concat().into_bytes()),
        proptest::collection::vec(line, 0..6).prop_map(|lines| {
            let turns: Vec<Value> = lines.iter().map(|l| json!({"speaker": l.split(':').next(), "text": l})).collect();
            json!({"segments": turns}).to_string().into_bytes()
        }),
    ];
    let case = (file, "\\PC{0,20}", "[^/\\\\]{0,20}");
    let mut runner = TestRunner::new(proptest::test_runner::Config { cases: 24, ..Default::default() });
    for _ in 0..24 {
        let (bytes, name, file_name) = case.new_tree(&mut runner).expect("a case").current();
        let (status, body) = upload(&app, &manager, &name, bytes.clone(), &file_name).await;
        assert!(matches!(status, 201 | 400 | 413 | 415 | 422), "{status} {body} for {name:?} {file_name:?} {bytes:?}");
        if status != 201 {
            assert!(body["detail"].as_str().is_some_and(|d| !d.is_empty()), "{status} {body}");
        }
    }
    app.stop().await;
}
