//! The browser test a person could follow: sign up, pick a skill, hold a typed conversation,
//! say goodbye, see the "Conversation terminée" modal, land on the report and find the
//! transcript there; then a second learner cannot open that report. `browser/scorm.rs`:
//! a SCORM package in scorm-again's runtime.
//!
//! Drives Debian's Chromium through chromedriver (WebDriver). Without a browser the test
//! says so and passes, unless `REPLIQUE_REQUIRE_BROWSER=1` or `CI=true` (then it fails).

mod common;
#[path = "browser/scorm.rs"]
mod scorm;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::TestApp;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn find_program(candidates: &[&str], env: &str) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(env).map(PathBuf::from).filter(|p| p.exists()) {
        return Some(path);
    }
    candidates.iter().map(PathBuf::from).find(|p| p.exists())
}

fn browser_required() -> bool {
    std::env::var("REPLIQUE_REQUIRE_BROWSER").is_ok_and(|v| v == "1") || std::env::var("CI").is_ok_and(|v| v == "true")
}

async fn start_driver(chromedriver: &PathBuf) -> Driver {
    let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("free port").port();
    let child = Command::new(chromedriver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    // Wait until it accepts connections (bounded).
    let deadline = Instant::now() + Duration::from_secs(20);
    while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Driver { child, port }
}

async fn open_browser(driver: &Driver, chromium: &PathBuf, profile: &std::path::Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,1000", format!("--user-data-dir={}", profile.display()),
                // Voice: a fake microphone, no permission prompt, audio that plays unattended.
                "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                "--autoplay-policy=no-user-gesture-required",
            ]
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("open a browser session")
}

/// Polls `check` until it is true or 15 s have passed.
async fn wait_until<F, Fut>(what: &str, check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    wait_for(what, Duration::from_secs(15), check).await;
}

/// Polls `check` until it is true or 45 s have passed (audio playing in real time).
async fn wait_long<F, Fut>(what: &str, check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    wait_for(what, Duration::from_secs(45), check).await;
}

async fn wait_for<F, Fut>(what: &str, limit: Duration, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + limit;
    while !check().await {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn sign_up(b: &Client, app: &TestApp, name: &str, email: &str) {
    b.goto(&app.url("/signup")).await.expect("signup page");
    b.find(Locator::Id("name")).await.expect("name").send_keys(name).await.expect("type");
    b.find(Locator::Id("email")).await.expect("email").send_keys(email).await.expect("type");
    b.find(Locator::Id("password")).await.expect("password").send_keys("motdepasse-solide").await.expect("type");
    b.find(Locator::Css("form.stack button[type=submit]")).await.expect("submit").click().await.expect("click");
    wait_until("the skills page", || async { b.current_url().await.is_ok_and(|u| u.path() == "/skills") }).await;
}

/// Page text with its non-breaking spaces (French typography) read as plain ones.
fn plain_spaces(text: &str) -> String {
    text.replace(['\u{a0}', '\u{202f}'], " ")
}

async fn message_count(b: &Client) -> usize {
    // Asides (silence reactions, interruptions) are not turns.
    b.find_all(Locator::Css("#transcript .msg:not(.aside)")).await.map_or(0, |v| v.len())
}

/// How many audio clips the page has played to their end.
async fn audio_ended(b: &Client) -> usize {
    b.execute("return document.body.dataset.audioEnded || '0';", vec![])
        .await
        .ok()
        .and_then(|v| v.as_str().and_then(|s| s.parse().ok()))
        .unwrap_or(0)
}

/// The browser and its driver, or `None` when they are not installed (and not required).
fn browser_programs() -> Option<(PathBuf, PathBuf)> {
    match (
        find_program(&["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"], "CHROMEDRIVER"),
        find_program(&["/usr/bin/chromium", "/usr/bin/chromium-browser"], "CHROMIUM"),
    ) {
        (Some(d), Some(c)) => Some((d, c)),
        _ => {
            assert!(
                !browser_required(),
                "browser tests are required here but chromium/chromedriver are missing (apt-get install chromium chromium-driver)"
            );
            eprintln!(
                "skipped: chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)"
            );
            None
        }
    }
}

#[tokio::test]
async fn a_learner_talks_to_the_prospect_and_reads_the_report() {
    let (Some(chromedriver), Some(chromium)) = (
        find_program(&["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"], "CHROMEDRIVER"),
        find_program(&["/usr/bin/chromium", "/usr/bin/chromium-browser"], "CHROMIUM"),
    ) else {
        assert!(
            !browser_required(),
            "browser tests are required here but chromium/chromedriver are missing (apt-get install chromium chromium-driver)"
        );
        eprintln!("skipped: chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)");
        return;
    };
    let app = TestApp::spawn().await;
    let driver = start_driver(&chromedriver).await;
    let profile = tempfile::tempdir().expect("profile dir");
    let b = open_browser(&driver, &chromium, profile.path()).await;

    sign_up(&b, &app, "Hélène Dupuis", "helene@exemple.fr").await;
    b.find(Locator::LinkText("Écoute active")).await.expect("skill link").click().await.expect("click");
    wait_until("the skill page", || async { b.current_url().await.is_ok_and(|u| u.path() == "/skills/ecoute_active") })
        .await;
    b.find(Locator::Css("#start-form button[type=submit]")).await.expect("start").click().await.expect("click");
    wait_until("the session page", || async {
        b.current_url().await.is_ok_and(|u| u.path().starts_with("/training/session/"))
    })
    .await;
    let session_url = b.current_url().await.expect("url");
    let id = session_url.path().rsplit('/').next().expect("id").to_owned();
    assert_eq!(message_count(&b).await, 1, "the prospect opens the conversation");
    let mic = b.find(Locator::Id("voice-mic")).await.expect("the voice button is in the page");
    assert!(!mic.is_displayed().await.expect("displayed"), "« Parler » does not show in text mode");

    let lines = [
        "Bonjour, merci de me prendre au téléphone. Comment est organisée votre équipe aujourd’hui ?",
        "D’accord. Et quels outils utilisez-vous pour vos tableaux de bord ?",
        "Si je comprends bien, tout repose sur une seule personne. Qu’est-ce qui vous pose le plus de problèmes ?",
        "Je comprends. Quelles conséquences pour vous concrètement ?",
    ];
    for (i, line) in lines.iter().enumerate() {
        let input = b.find(Locator::Id("message")).await.expect("message box");
        input.send_keys(line).await.expect("type");
        b.find(Locator::Id("send")).await.expect("send").click().await.expect("click");
        let expected = 1 + 2 * (i + 1);
        wait_until("the prospect's reply", || async { message_count(&b).await == expected }).await;
    }
    assert!(
        b.find(Locator::Id("end-modal")).await.expect("modal").attr("hidden").await.expect("attr").is_some(),
        "not over yet"
    );

    let input = b.find(Locator::Id("message")).await.expect("message box");
    input.send_keys("Merci pour votre temps, au revoir !").await.expect("type");
    input.send_keys("\u{E007}").await.expect("press Enter");
    wait_until("the end modal", || async {
        match b.find(Locator::Id("end-modal")).await {
            Ok(modal) => modal.attr("hidden").await.is_ok_and(|h| h.is_none()),
            Err(_) => false,
        }
    })
    .await;
    let modal_text = b.find(Locator::Id("end-modal")).await.expect("modal").text().await.expect("text");
    assert!(modal_text.contains("Conversation terminée"), "{modal_text}");
    if let Ok(dir) = std::env::var("REPLIQUE_SCREENSHOTS") {
        let _ = std::fs::write(format!("{dir}/session.png"), b.screenshot().await.expect("screenshot"));
    }

    let report_path = format!("/training/report/{id}");
    wait_until("the redirect to the report", || async { b.current_url().await.is_ok_and(|u| u.path() == report_path) })
        .await;
    let replay = plain_spaces(&b.find(Locator::Id("replay")).await.expect("replay").text().await.expect("text"));
    for line in lines {
        assert!(replay.contains(line), "the report's transcript shows {line:?}");
    }
    assert!(replay.contains("au revoir"));
    let score = b.find(Locator::Id("final-score")).await.expect("score").text().await.expect("text");
    assert!(score.ends_with('%'), "{score}");
    if let Ok(dir) = std::env::var("REPLIQUE_SCREENSHOTS") {
        let _ = std::fs::write(format!("{dir}/report.png"), b.screenshot().await.expect("screenshot"));
    }

    // A second learner cannot open the first one's report.
    b.delete_all_cookies().await.expect("log out by clearing cookies");
    sign_up(&b, &app, "Bruno Martin", "bruno@exemple.fr").await;
    b.goto(&app.url(&report_path)).await.expect("goto");
    let heading = b.find(Locator::Css("main h1")).await.expect("h1").text().await.expect("text");
    assert_eq!(heading, "Page introuvable");
    let body = b.find(Locator::Css("main")).await.expect("main").text().await.expect("text");
    assert!(!body.contains(lines[0]), "nothing of the first learner's conversation leaks");

    b.close().await.expect("close browser");
    drop(driver);
    app.stop().await;
}

/// Whether espeak-ng speaks here; without it the voice tests are skipped (or fail, when
/// the browser tests are required).
fn espeak_present() -> bool {
    let espeak = Command::new("espeak-ng").arg("--version").output().is_ok_and(|o| o.status.success());
    if !espeak {
        assert!(!browser_required(), "espeak-ng is required for the voice browser tests here");
        eprintln!("skipped: espeak-ng is not installed");
    }
    espeak
}

/// Signs up, starts a session of `skill` from its page and turns the voice on; the id of
/// the session.
async fn voice_session(b: &Client, app: &TestApp, (name, email): (&str, &str), skill: &str) -> String {
    sign_up(b, app, name, email).await;
    b.goto(&app.url(&format!("/skills/{skill}"))).await.expect("skill page");
    b.find(Locator::Css("#start-form button[type=submit]")).await.expect("start").click().await.expect("click");
    wait_until("the session page", || async {
        b.current_url().await.is_ok_and(|u| u.path().starts_with("/training/session/"))
    })
    .await;
    let id = b.current_url().await.expect("url").path().rsplit('/').next().expect("id").to_owned();
    b.find(Locator::Id("voice-toggle")).await.expect("voice toggle").click().await.expect("click");
    wait_until("the live connection", || async {
        match b.find(Locator::Id("voice-status")).await {
            Ok(e) => e.text().await.is_ok_and(|t| t.contains("Voix active")),
            Err(_) => false,
        }
    })
    .await;
    id
}

#[tokio::test]
async fn a_voice_session_runs_over_the_websocket_and_plays_the_prospect() {
    let Some((chromedriver, chromium)) = browser_programs() else { return };
    if !espeak_present() {
        return;
    }
    let app = TestApp::spawn().await;
    let driver = start_driver(&chromedriver).await;
    let profile = tempfile::tempdir().expect("profile dir");
    let b = open_browser(&driver, &chromium, profile.path()).await;

    let id = voice_session(&b, &app, ("Inès Voisin", "ines@exemple.fr"), "ecoute_active").await;
    let start_gauge = b.find(Locator::Id("gauge-value")).await.expect("gauge").text().await.expect("text");

    let lines = [
        "Bonjour, comment est organisée votre équipe aujourd’hui ?",
        "Si je comprends bien, tout repose sur une personne. Qu’est-ce qui vous pose le plus de problèmes ?",
        "Je comprends. Quelles conséquences pour vous concrètement ?",
        "Quels seraient pour vous les résultats idéaux ?",
    ];
    for (i, line) in lines.iter().enumerate() {
        b.find(Locator::Id("message")).await.expect("box").send_keys(line).await.expect("type");
        b.find(Locator::Id("send")).await.expect("send").click().await.expect("click");
        let turns = 1 + 2 * (i + 1);
        wait_until("the prospect's reply over the socket", || async { message_count(&b).await == turns }).await;
        // A spoken line lasts several seconds, after a natural delay of up to two.
        wait_long("the prospect's audio to play to its end", || async { audio_ended(&b).await > i }).await;
    }
    let gauge_now = b.find(Locator::Id("gauge-value")).await.expect("gauge").text().await.expect("text");
    assert_ne!(gauge_now, start_gauge, "the gauge moved");

    b.find(Locator::Id("message"))
        .await
        .expect("box")
        .send_keys("Merci pour votre temps, au revoir !")
        .await
        .expect("type");
    b.find(Locator::Id("send")).await.expect("send").click().await.expect("click");
    wait_long("the end modal (after the goodbye is spoken)", || async {
        match b.find(Locator::Id("end-modal")).await {
            Ok(modal) => modal.attr("hidden").await.is_ok_and(|h| h.is_none()),
            Err(_) => false,
        }
    })
    .await;
    assert!(audio_ended(&b).await > lines.len(), "the goodbye was spoken too");
    let report_path = format!("/training/report/{id}");
    wait_until("the redirect to the report", || async { b.current_url().await.is_ok_and(|u| u.path() == report_path) })
        .await;

    b.close().await.expect("close browser");
    drop(driver);
    app.stop().await;
}

#[tokio::test]
async fn with_a_streaming_model_the_browser_plays_each_sentence_as_it_comes() {
    let Some((chromedriver, chromium)) = browser_programs() else { return };
    if !espeak_present() {
        return;
    }
    let model = common::streaming_model(|n| {
        vec![
            common::Step::Say(format!("(hmm) Bon, réponse numéro {n}. ")),
            common::Step::Say("On travaille surtout avec un tableur.".into()),
        ]
    })
    .await;
    let llm = replique_llm::Llm::new(replique_llm::LlmConfig {
        provider: replique_llm::Provider::OpenAi,
        base_url: model,
        api_key: None,
        model: "test".into(),
        timeout: Duration::from_secs(20),
    });
    let app = TestApp::spawn_full(common::Db::Sqlite, replique_web::Config::default(), Some(llm)).await;
    let driver = start_driver(&chromedriver).await;
    let profile = tempfile::tempdir().expect("profile dir");
    let b = open_browser(&driver, &chromium, profile.path()).await;

    voice_session(&b, &app, ("Noé Flux", "noe@exemple.fr"), "decouverte_compir").await;
    b.find(Locator::Id("message"))
        .await
        .expect("box")
        .send_keys("Bonjour, comment est organisée votre équipe commerciale aujourd’hui ?")
        .await
        .expect("type");
    b.find(Locator::Id("send")).await.expect("send").click().await.expect("click");
    wait_until("the prospect's reply", || async { message_count(&b).await == 3 }).await;
    // Two sentences came as two pieces of audio, each played to its end.
    wait_long("both spoken sentences to play", || async { audio_ended(&b).await >= 2 }).await;
    let last = b.find(Locator::Css("#transcript li.prospect:last-child p")).await.expect("reply");
    assert_eq!(last.text().await.expect("text"), "(hmm) Bon, réponse numéro 0. On travaille surtout avec un tableur.");

    b.close().await.expect("close browser");
    drop(driver);
    app.stop().await;
}

#[tokio::test]
async fn champion_is_hidden_from_free_users_and_a_manager_trains_on_a_call() {
    let Some((chromedriver, chromium)) = browser_programs() else { return };
    let app = TestApp::spawn().await;
    let driver = start_driver(&chromedriver).await;
    let profile = tempfile::tempdir().expect("profile dir");
    let b = open_browser(&driver, &chromium, profile.path()).await;

    // A free learner: no Champion in the navigation, the call to action on /upload.
    sign_up(&b, &app, "Léa Libre", "lea@exemple.fr").await;
    app.store.set_plan("lea@exemple.fr", "free", None).await.expect("plan");
    b.goto(&app.url("/skills")).await.expect("skills");
    assert!(b.find(Locator::LinkText("Champion")).await.is_err(), "no Champion link for a free account");
    b.goto(&app.url("/upload")).await.expect("upload");
    let cta = b.find(Locator::Css("main")).await.expect("main").text().await.expect("text");
    assert!(cta.contains("réservé aux comptes Entreprise"), "{cta}");
    b.find(Locator::LinkText("Découvrir l’offre Entreprise")).await.expect("CTA link").click().await.expect("click");
    wait_until("the Enterprise page", || async { b.current_url().await.is_ok_and(|u| u.path() == "/enterprise") })
        .await;

    // An Enterprise manager uploads a transcript, reads the analysis, trains and compares.
    b.delete_all_cookies().await.expect("log out");
    sign_up(&b, &app, "Marc Manager", "marc@zeta.fr").await;
    app.store.set_plan("marc@zeta.fr", "enterprise", None).await.expect("plan");
    let org = app.store.create_organisation("Zeta", 0).await.expect("org");
    let user = app.store.user_by_email("marc@zeta.fr").await.expect("user").expect("exists");
    app.store.set_membership(user.id, org, "manager", 0).await.expect("member");
    b.goto(&app.url("/skills")).await.expect("skills");
    b.find(Locator::LinkText("Champion")).await.expect("the Champion link").click().await.expect("click");
    b.find(Locator::LinkText("Charger un appel")).await.expect("upload link").click().await.expect("click");
    let call = profile.path().join("appel.txt");
    std::fs::write(
        &call,
        "Vendeur : Bonjour Madame Roux. Comment est organisé votre service achats aujourd'hui ?\n\
         Cliente : Trois acheteurs, tout sur Excel. Mais c'est trop cher, ce genre d'outil.\n\
         Vendeur : Trop cher par rapport à quoi ? À part le prix, qu'est-ce qui vous retient ?\n\
         Cliente : Rien d'autre.\n\
         Vendeur : Je vous propose un rendez-vous mardi à 10h ?\n\
         Cliente : D'accord.\n",
    )
    .expect("write the call");
    b.find(Locator::Id("champion-name")).await.expect("name").send_keys("Appel de Julie").await.expect("type");
    b.find(Locator::Id("champion-file"))
        .await
        .expect("file")
        .send_keys(&call.display().to_string())
        .await
        .expect("choose file");
    // The manager confirms that the people recorded were informed.
    b.find(Locator::Id("champion-consent")).await.expect("consent").click().await.expect("tick");
    b.find(Locator::Css("form[action='/upload'] button[type=submit]"))
        .await
        .expect("submit")
        .click()
        .await
        .expect("click");
    wait_until("the analysis", || async { b.current_url().await.is_ok_and(|u| u.path().starts_with("/champions/")) })
        .await;
    let analysis = b.find(Locator::Css("main")).await.expect("main").text().await.expect("text");
    assert!(analysis.contains("Le champion : Vendeur") && analysis.contains("Objections et réponses"), "{analysis}");

    b.find(Locator::Css("form[action$='/train'] button")).await.expect("train").click().await.expect("click");
    wait_until("the training page", || async {
        b.current_url().await.is_ok_and(|u| u.path().starts_with("/champions/training/"))
    })
    .await;
    let answers = [
        "Bonjour Madame Roux, comment travaillez-vous aujourd'hui ?",
        "Trop cher par rapport à quoi ?",
        "Je vous propose un rendez-vous jeudi à 9h ?",
    ];
    for (k, answer) in answers.iter().enumerate() {
        b.find(Locator::Id("answer")).await.expect("answer box").send_keys(answer).await.expect("type");
        b.find(Locator::Css("#champion-answer button[type=submit]"))
            .await
            .expect("answer")
            .click()
            .await
            .expect("click");
        // The page reloads on the next moment, or on the comparison after the last one.
        let next = format!("Moment {} sur", k + 2);
        wait_until("the next moment", || async {
            match b.find(Locator::Css("main")).await {
                Ok(main) => main.text().await.is_ok_and(|t| t.contains(&next) || t.contains("point par point")),
                Err(_) => false,
            }
        })
        .await;
    }
    wait_until("the comparison", || async {
        match b.find(Locator::Css("main")).await {
            Ok(main) => main.text().await.is_ok_and(|t| t.contains("Vous et le champion, point par point")),
            Err(_) => false,
        }
    })
    .await;
    let comparison = plain_spaces(&b.find(Locator::Css("main")).await.expect("main").text().await.expect("text"));
    assert!(
        comparison.contains("Trop cher par rapport à quoi ?") && comparison.contains("objection_dig"),
        "{comparison}"
    );

    b.close().await.expect("close browser");
    drop(driver);
    app.stop().await;
}
