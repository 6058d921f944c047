//! The browser test a person could follow: sign up, pick a skill, hold a typed conversation,
//! say goodbye, see the "Conversation terminée" modal, land on the report and find the
//! transcript there; then a second learner cannot open that report.
//!
//! Drives Debian's Chromium through chromedriver (WebDriver). Without a browser the test
//! says so and passes, unless `REPLIQUE_REQUIRE_BROWSER=1` or `CI=true` (then it fails).

mod common;

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
async fn wait_until<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(15);
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

async fn message_count(b: &Client) -> usize {
    b.find_all(Locator::Css("#transcript .msg")).await.map_or(0, |v| v.len())
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
    let replay = b.find(Locator::Id("replay")).await.expect("replay").text().await.expect("text");
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
