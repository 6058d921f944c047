//! Teams in a real browser (Chromium through chromedriver): a manager creates a programme
//! and assigns it to the whole team; the learner starts it from « À faire », completes it
//! and, once three sessions are good, prints a certificate that anyone can verify; the
//! manager drills down from the team's heat map to the session's report. Each page is
//! audited with axe-core (0 violations) at desktop width and at 375 px, where no page may
//! be wider than the viewport. With `REPLIQUE_SCREENSHOTS=dir`, the manager's pages are
//! saved there at both widths (`scripts/screenshots.sh` writes them to `docs/screenshots`),
//! as the browser shows them: the first 900 px of each.
//!
//! Without Chromium, chromedriver or axe-core (`scripts/setup.sh test`) the test says so
//! and passes, unless `REPLIQUE_REQUIRE_BROWSER=1` or `CI=true` (then it fails).

mod common;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::TestApp;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

struct Driver(Child, u16);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn required() -> bool {
    std::env::var("REPLIQUE_REQUIRE_BROWSER").is_ok_and(|v| v == "1") || std::env::var("CI").is_ok_and(|v| v == "true")
}

fn first_existing(candidates: &[PathBuf]) -> Option<PathBuf> {
    candidates.iter().find(|p| p.exists()).cloned()
}

/// axe-core's script, as `scripts/setup.sh test` installs it (or `REPLIQUE_AXE_DIR`).
fn axe_path() -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = std::env::var_os("REPLIQUE_AXE_DIR").map_or_else(|| root.join("target/axe"), PathBuf::from);
    first_existing(&[dir.join("node_modules/axe-core/axe.min.js")])
}

async fn start_driver(chromedriver: &PathBuf) -> Driver {
    let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("free port").port();
    let child = Command::new(chromedriver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let deadline = Instant::now() + Duration::from_secs(20);
    while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Driver(child, port)
}

async fn open_browser(driver: &Driver, chromium: &PathBuf, profile: &std::path::Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,900", "--hide-scrollbars", format!("--user-data-dir={}", profile.display()),
            ]
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.1))
        .await
        .expect("open a browser session")
}

async fn wait_until<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(20);
    while !check().await {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn wait_for_path(b: &Client, what: &str, prefix: &str) -> String {
    wait_until(what, || async { b.current_url().await.is_ok_and(|u| u.path().starts_with(prefix)) }).await;
    b.current_url().await.expect("url").path().to_owned()
}

async fn log_in(b: &Client, app: &TestApp, email: &str) {
    b.goto(&app.url("/login")).await.expect("login page");
    b.find(Locator::Id("email")).await.expect("email").send_keys(email).await.expect("type");
    b.find(Locator::Id("password")).await.expect("password").send_keys("motdepasse-solide").await.expect("type");
    b.find(Locator::Css("main form button[type=submit]")).await.expect("submit").click().await.expect("click");
    wait_until("logged in", || async { b.current_url().await.is_ok_and(|u| u.path() != "/login") }).await;
}

async fn click(b: &Client, css: &str) {
    b.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).click().await.expect("click");
}

/// The page's axe-core violations, as « rule (n nodes): target … » lines.
async fn axe_violations(b: &Client, axe: &str) -> Vec<String> {
    b.execute(axe, vec![]).await.expect("inject axe-core");
    let result = b
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, {resultTypes: ['violations']})
                .then(r => done(r.violations.map(v => v.id + ' (' + v.nodes.length + '): '
                    + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))))
                .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .expect("run axe-core");
    result.as_array().map(|v| v.iter().filter_map(|s| s.as_str().map(str::to_owned)).collect()).unwrap_or_default()
}

/// The outermost elements that stick out of the viewport (not the content of a scrolling box).
const WIDER_THAN_VIEWPORT: &str = "const w = window.innerWidth; const out = [];
    for (const e of document.querySelectorAll('body *')) {
      const r = e.getBoundingClientRect();
      const scroller = e.parentElement && e.parentElement.closest('.table-scroll, header.site nav');
      const inside = scroller && getComputedStyle(e).position !== 'absolute';
      if (r.right > w + 1 && !inside && !(e.parentElement && out.some(o => o.el.contains(e)))) {
        out.push({el: e, name: e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : '') + ' ' + Math.round(r.right)});
      }
    }
    return out.slice(0, 5).map(o => o.name).join(', ');";

/// The pages whose screenshots `REPLIQUE_SCREENSHOTS` saves: the manager's.
const MANAGER_PAGES: [&str; 5] = ["programmes", "programme", "team", "learner", "report"];

/// Audits the current page at desktop width and at 375 px (and saves screenshots when asked).
async fn audit(b: &Client, axe: &str, name: &str, failures: &mut Vec<String>) {
    let path = b.current_url().await.expect("url").path().to_owned();
    for (width, label) in [(1280_u32, "desktop"), (375, "mobile")] {
        b.set_window_size(width, 900).await.expect("resize");
        b.refresh().await.expect("reload");
        let inner: Value = b.execute("return window.innerWidth;", vec![]).await.expect("width");
        let wide: Value =
            b.execute("return document.documentElement.scrollWidth;", vec![]).await.expect("scroll width");
        if label == "mobile" && wide.as_i64() > inner.as_i64() {
            let culprits: Value = b.execute(WIDER_THAN_VIEWPORT, vec![]).await.expect("culprits");
            failures
                .push(format!("{path} at {label}: the page is {wide} px wide for a {inner} px viewport: {culprits}"));
        }
        for v in axe_violations(b, axe).await {
            failures.push(format!("{path} at {label}: {v}"));
        }
        if let Some(dir) = std::env::var("REPLIQUE_SCREENSHOTS").ok().filter(|_| MANAGER_PAGES.contains(&name)) {
            let png = b.screenshot().await.expect("screenshot");
            std::fs::write(format!("{dir}/{name}-{label}.png"), png).expect("write screenshot");
        }
    }
    b.set_window_size(1280, 900).await.expect("resize");
}

/// Sets the scores of a learner's reports (what a good conversation scores is not the point).
async fn set_scores(app: &TestApp, score: i64) {
    let sql = format!("update reports set final_score = {score}");
    let pool = sqlx::SqlitePool::connect(&app.database_url).await.expect("connect");
    sqlx::query(&sql).execute(&pool).await.expect("update");
    pool.close().await;
}

#[tokio::test]
async fn a_programme_from_the_managers_form_to_the_certificate_and_the_drill_down() {
    let programs = (
        first_existing(&[PathBuf::from("/usr/bin/chromedriver"), PathBuf::from("/usr/lib/chromium/chromedriver")]),
        first_existing(&[PathBuf::from("/usr/bin/chromium"), PathBuf::from("/usr/bin/chromium-browser")]),
        axe_path(),
    );
    let (Some(chromedriver), Some(chromium), Some(axe)) = programs else {
        assert!(!required(), "chromium, chromedriver and axe-core are required here: run scripts/setup.sh test");
        eprintln!("skipped: chromium, chromedriver or axe-core missing (scripts/setup.sh test installs them)");
        return;
    };
    let axe = std::fs::read_to_string(axe).expect("axe-core");
    let app = TestApp::spawn().await;
    let api = app.other_client();
    for (name, email, role) in
        [("Marie Manager", "marie@alpha.fr", "manager"), ("Julie Martin", "julie@alpha.fr", "learner")]
    {
        let (status, body) = app
            .post_json(
                &api,
                "/api/auth/register",
                json!({"email": email, "password": "motdepasse-solide", "name": name}),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        app.enrol(email, "enterprise", Some(("Alpha", role))).await;
    }
    let driver = start_driver(&chromedriver).await;
    let (manager_profile, learner_profile) = (tempfile::tempdir().expect("dir"), tempfile::tempdir().expect("dir"));
    let manager = open_browser(&driver, &chromium, manager_profile.path()).await;
    let learner = open_browser(&driver, &chromium, learner_profile.path()).await;
    let mut failures = Vec::new();

    // The manager builds a programme on the page and assigns it to the whole team.
    log_in(&manager, &app, "marie@alpha.fr").await;
    manager.goto(&app.url("/programmes")).await.expect("programmes");
    audit(&manager, &axe, "programmes", &mut failures).await;
    manager.find(Locator::Id("name")).await.expect("name").send_keys("Écoute au trimestre").await.expect("type");
    manager
        .execute(
            "document.getElementById('skill0').value = 'ecoute_active';
             document.getElementById('pass_mark0').value = '0';
             document.getElementById('due0').value = '2099-06-30';",
            vec![],
        )
        .await
        .expect("fill the first item");
    click(&manager, "input[name=team]").await;
    click(&manager, "main form[action='/programmes'] button[type=submit]").await;
    wait_for_path(&manager, "the programme page", "/programmes/").await;
    let text = manager.find(Locator::Css("main")).await.expect("main").text().await.expect("text");
    assert!(text.contains("Julie Martin") && text.contains("Écoute au trimestre"), "{text}");
    audit(&manager, &axe, "programme", &mut failures).await;

    // The learner starts it from « À faire » and completes it.
    log_in(&learner, &app, "julie@alpha.fr").await;
    learner.goto(&app.url("/")).await.expect("home");
    let home = learner.find(Locator::Css("main")).await.expect("main").text().await.expect("text");
    assert!(home.contains("À faire") && home.contains("2099-06-30"), "{home}");
    click(&learner, "#a-faire form button[type=submit]").await;
    let session = wait_for_path(&learner, "the session page", "/training/session/").await;
    learner
        .find(Locator::Id("message"))
        .await
        .expect("message box")
        .send_keys("Bonjour, comment est organisée votre équipe aujourd’hui ?")
        .await
        .expect("type");
    click(&learner, "#send").await;
    wait_until("the prospect's answer", || async {
        learner.find_all(Locator::Css("#transcript .msg:not(.aside)")).await.map_or(0, |v| v.len()) >= 3
    })
    .await;
    click(&learner, ".end-form button[type=submit]").await;
    let report = wait_for_path(&learner, "the report", "/training/report/").await;
    assert_eq!(report.rsplit('/').next(), session.rsplit('/').next(), "the report of that session");
    learner.goto(&app.url("/")).await.expect("home");
    let home = learner.find(Locator::Css("#a-faire")).await.expect("à faire").text().await.expect("text");
    assert!(home.contains("Validé"), "the item is passed: {home}");
    audit(&learner, &axe, "learner-home", &mut failures).await;

    // The skills and a skill's page; on a phone the start button shows without scrolling.
    learner.goto(&app.url("/skills")).await.expect("skills");
    audit(&learner, &axe, "skills", &mut failures).await;
    learner.goto(&app.url("/skills/ecoute_active")).await.expect("skill");
    audit(&learner, &axe, "skill", &mut failures).await;
    learner.set_window_size(375, 900).await.expect("resize");
    let top: Value = learner
        .execute(
            "const r = document.querySelector('#start-form button[type=submit]').getBoundingClientRect();
             return [r.bottom, window.innerHeight];",
            vec![],
        )
        .await
        .expect("start button");
    let (bottom, height) = (top[0].as_f64().unwrap_or(f64::MAX), top[1].as_f64().unwrap_or(0.0));
    if bottom > height {
        failures
            .push(format!("/skills/ecoute_active at mobile: « Démarrer » ends {bottom} px down a {height} px screen"));
    }
    learner.set_window_size(1280, 900).await.expect("resize");

    // Two more sessions, all scored well: Bronze, and its certificate.
    for _ in 0..2 {
        learner.goto(&app.url("/skills/ecoute_active")).await.expect("skill");
        click(&learner, "#start-form button[type=submit]").await;
        wait_for_path(&learner, "the session page", "/training/session/").await;
        learner
            .find(Locator::Id("message"))
            .await
            .expect("box")
            .send_keys("Bonjour, qu’est-ce qui compte pour vous ?")
            .await
            .expect("type");
        click(&learner, "#send").await;
        wait_until("the answer", || async {
            learner.find_all(Locator::Css("#transcript .msg:not(.aside)")).await.map_or(0, |v| v.len()) >= 3
        })
        .await;
        click(&learner, ".end-form button[type=submit]").await;
        wait_for_path(&learner, "the report", "/training/report/").await;
    }
    set_scores(&app, 80).await;
    learner.goto(&app.url("/certifications")).await.expect("certifications");
    audit(&learner, &axe, "certifications", &mut failures).await;
    click(&learner, "a[href^='/certificats/']").await;
    let certificate = wait_for_path(&learner, "the certificate", "/certificats/").await;
    let text = learner.find(Locator::Css("main")).await.expect("main").text().await.expect("text");
    assert!(text.contains("Certificat Bronze") && text.contains("Julie Martin") && text.contains("Écoute active"));
    audit(&learner, &axe, "certificate", &mut failures).await;
    let anonymous = common::client();
    let check = anonymous.get(app.url(&certificate)).send().await.expect("verify");
    assert_eq!(check.status(), 200, "anyone verifies the certificate");

    // The manager drills down: team → heat map cell → the session's report and transcript.
    manager.goto(&app.url("/team")).await.expect("team");
    audit(&manager, &axe, "team", &mut failures).await;
    click(&manager, "table.heatmap td.heat a").await;
    wait_for_path(&manager, "the report from the heat map", "/training/report/").await;
    let text = manager.find(Locator::Css("main")).await.expect("main").text().await.expect("text");
    assert!(text.contains("qu’est-ce qui compte pour vous"), "the learner's words in the transcript: {text:.2000}");
    audit(&manager, &axe, "report", &mut failures).await;
    manager.goto(&app.url("/team")).await.expect("team");
    click(&manager, "#members-title ~ div a[href^='/team/learners/']").await;
    wait_for_path(&manager, "the learner's sessions", "/team/learners/").await;
    audit(&manager, &axe, "learner", &mut failures).await;

    let _ = manager.close().await;
    let _ = learner.close().await;
    drop(driver);
    app.stop().await;
    assert!(failures.is_empty(), "accessibility and layout:\n{}", failures.join("\n"));
}
