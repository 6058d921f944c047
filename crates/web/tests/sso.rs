//! Single sign-on with OpenID Connect against a real OpenID provider: oidc-provider (the
//! certified Node.js package, `tests/idp/server.mjs`, installed by `scripts/setup.sh test`),
//! started on a free port. The story: an unknown organisation, a login end to end with the
//! account created just in time, the state replayed, a callback from another browser, a
//! second login, a disallowed domain, a token for another audience, an expired token, the
//! provider's keys unreachable, the provider down, and passwords refused where SSO is
//! required. On SQLite and PostgreSQL. Without Node.js or oidc-provider it skips with a
//! message, except in CI (`CI=true`) where it fails.

mod common;

use std::io::BufRead;
use std::process::{Child, Command, Stdio};

use common::{Db, TestApp, client};
use replique_store::NewOidcConfig;
use serde_json::{Value, json};

/// The provider's process, ended with the test.
struct Idp {
    child: Child,
    issuer: String,
}

impl Drop for Idp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the provider with `config`, or `None` (the test skips) when Node.js or
/// oidc-provider is missing outside CI.
async fn start_idp(config: Value) -> Option<Idp> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/idp");
    let node = Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    let installed = dir.join("node_modules/oidc-provider/package.json").exists();
    if !(node && installed) {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "the single sign-on tests need Node.js and oidc-provider in CI (scripts/setup.sh test)"
        );
        eprintln!("skipped: Node.js or oidc-provider is missing (scripts/setup.sh test installs them)");
        return None;
    }
    let mut child = Command::new("node")
        .arg("server.mjs")
        .arg(config.to_string())
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the OpenID provider");
    let stdout = child.stdout.take().expect("stdout");
    // The first line says where it listens; the rest (its notices) is read to the end, so
    // that the provider never writes into a closed pipe.
    let (ready, listening) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let mut lines = std::io::BufReader::new(stdout).lines();
        let _ = ready.send(lines.next().and_then(Result::ok).unwrap_or_default());
        lines.for_each(drop);
    });
    // A deadline only turns a provider that never starts into a failure.
    let line = tokio::time::timeout(std::time::Duration::from_secs(60), listening)
        .await
        .expect("the provider starts")
        .expect("its first line");
    let issuer = line.trim().strip_prefix("listening ").expect("the provider's address").to_owned();
    Some(Idp { child, issuer })
}

const SECRET: &str = "secret-du-client-de-test";

/// Sets an organisation's provider as `replique org set-oidc` does.
async fn configure(
    app: &TestApp,
    name: &str,
    slug: &str,
    issuer: &str,
    client_id: &str,
    domains: &[&str],
    require: bool,
) {
    let org = app.store.create_organisation(name, 0).await.expect("organisation");
    let domains: Vec<String> = domains.iter().map(|d| (*d).to_owned()).collect();
    let config =
        NewOidcConfig { slug, issuer, client_id, client_secret: SECRET, domains: &domains, require_sso: require };
    app.store.set_oidc(org, &config, 0).await.expect("set oidc");
}

fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").and_then(|l| l.to_str().ok()).expect("a redirect").to_owned()
}

/// Sends `browser` to the organisation's provider and signs in there as `login`; the URL
/// the provider sends the browser back to (the app's callback, not yet visited).
async fn through_the_provider(app: &TestApp, idp: &Idp, browser: &reqwest::Client, slug: &str, login: &str) -> String {
    let r = browser.get(app.url(&format!("/auth/oidc/{slug}/login"))).send().await.expect("login");
    assert_eq!(r.status(), 302, "a 302 to the provider");
    let authorize = location(&r);
    assert!(authorize.starts_with(&format!("{}/auth?", idp.issuer)), "{authorize}");
    for part in
        ["response_type=code", "code_challenge_method=S256", "code_challenge=", "state=", "nonce=", "scope=openid"]
    {
        assert!(authorize.contains(part), "{part} in {authorize}");
    }
    // The person's side at the provider: its own cookies.
    let at_idp = client();
    let r = at_idp.get(&authorize).send().await.expect("authorize");
    let interaction = location(&r);
    assert!(interaction.contains("/interaction/"), "{interaction}");
    let absolute = |to: String| if to.starts_with('/') { format!("{}{to}", idp.issuer) } else { to };
    let interaction = absolute(interaction);
    let r = at_idp
        .post(format!("{interaction}/login"))
        .form(&[("login", login), ("password", "mot-de-passe-idp")])
        .send()
        .await
        .expect("sign in at the provider");
    assert_eq!(r.status(), 303, "signed in at the provider");
    let resume = absolute(location(&r));
    let r = at_idp.get(&resume).send().await.expect("resume");
    let back = location(&r);
    assert!(back.starts_with(&app.url("/auth/oidc/callback?")), "{back}");
    back
}

async fn page(r: reqwest::Response) -> (u16, String) {
    let status = r.status().as_u16();
    (status, r.text().await.expect("text"))
}

async fn story(db: Db) {
    let app = TestApp::spawn_with(db, replique_web::Config::default()).await;
    let callback = app.url("/auth/oidc/callback");
    let clients: Vec<Value> = ["replique", "replique-audience", "replique-expire"]
        .iter()
        .map(|id| json!({"client_id": id, "client_secret": SECRET, "redirect_uris": [callback]}))
        .collect();
    let account = |login: &str, email: &str, name: &str| json!({"login": login, "password": "mot-de-passe-idp", "sub": format!("sub-{login}"), "email": email, "name": name});
    let Some(idp) = start_idp(json!({
        "clients": clients,
        "accounts": [
            account("alice", "Alice@Acme.fr", "Alice Martin"),
            account("bob", "bob@ailleurs.fr", "Bob"),
            account("carol", "carol@acme.fr", "Carol"),
        ],
        "tamper": {"replique-audience": "audience", "replique-expire": "expired"},
    }))
    .await
    else {
        return app.stop().await;
    };
    configure(&app, "Acme", "acme", &idp.issuer, "replique", &["acme.fr"], true).await;
    configure(&app, "Audience", "audience", &idp.issuer, "replique-audience", &["audience.fr"], false).await;
    configure(&app, "Expire", "expire", &idp.issuer, "replique-expire", &["expire.fr"], false).await;
    configure(&app, "Panne", "panne", "http://127.0.0.1:9", "replique", &["panne.fr"], false).await;

    // The login page offers single sign-on; its form finds the organisation.
    let (status, login_page) = page(app.client.get(app.url("/login")).send().await.expect("login")).await;
    assert_eq!(status, 200);
    assert!(login_page.contains("Se connecter avec l’authentification unique de votre entreprise"));
    let (status, html) =
        page(app.client.get(app.url("/auth/oidc?org=alice%40acme.fr")).send().await.expect("find")).await;
    assert_eq!(status, 200);
    assert!(html.contains("url=/auth/oidc/acme/login") && html.contains("Acme"), "{html}");
    let (status, html) = page(app.client.get(app.url("/auth/oidc?org=Inconnue")).send().await.expect("find")).await;
    assert_eq!(status, 404);
    assert!(html.contains("Aucune entreprise"), "{html}");

    // An unknown organisation.
    let (status, html) =
        page(app.client.get(app.url("/auth/oidc/inconnue/login")).send().await.expect("unknown")).await;
    assert_eq!(status, 404);
    assert!(html.contains("Aucune entreprise n’utilise l’authentification unique"), "{html}");

    // Answers that name no login under way.
    for bad in ["", "?code=x", "?code=x&state=inconnu", "?state=a&state=b"] {
        let (status, html) =
            page(app.client.get(app.url(&format!("/auth/oidc/callback{bad}"))).send().await.expect("bad")).await;
        assert_eq!(status, 400, "{bad}: {html}");
        assert!(html.contains("Connexion impossible"), "{html}");
    }

    // Alice's first login: her account is made on the way, a learner of Acme.
    let browser = app.client.clone();
    let back = through_the_provider(&app, &idp, &browser, "acme", "alice").await;
    let r = browser.get(&back).send().await.expect("callback");
    assert_eq!(r.status(), 303, "{:?}", r.text().await);
    assert_eq!(location(&r), "/", "on to the dashboard");
    let (status, me) = app.get_json(&browser, "/api/auth/me").await;
    assert_eq!(status, 200, "a normal session: {me}");
    assert_eq!(me["user"]["email"], "alice@acme.fr");
    assert_eq!(me["user"]["name"], "Alice Martin");
    assert_eq!(me["user"]["plan"], "enterprise");
    let alice = app.store.user_by_email("alice@acme.fr").await.expect("read").expect("created just in time");
    let membership = app.store.membership(alice.id).await.expect("read").expect("a member");
    assert_eq!((membership.organisation.as_str(), membership.role.as_str()), ("Acme", "learner"));

    // The same answer again: the state served once.
    let (status, html) = page(browser.get(&back).send().await.expect("replay")).await;
    assert_eq!(status, 400);
    assert!(html.contains("a déjà servi"), "{html}");

    // An answer brought by another browser than the one that began (a forced login).
    let back = through_the_provider(&app, &idp, &browser, "acme", "alice").await;
    let (status, html) = page(client().get(&back).send().await.expect("other browser")).await;
    assert_eq!(status, 400, "{html}");
    let (status, _) = page(browser.get(&back).send().await.expect("then the right one")).await;
    assert_eq!(status, 400, "the state was used up by the first attempt");

    // A second login finds the same account.
    let second = client();
    let back = through_the_provider(&app, &idp, &second, "acme", "alice").await;
    assert_eq!(second.get(&back).send().await.expect("callback").status(), 303);
    let (_, me) = app.get_json(&second, "/api/auth/me").await;
    assert_eq!(me["user"]["id"], alice.id, "the same account");
    assert_eq!(app.store.list_users().await.expect("users").len(), 1);

    // An answer that says it comes from another provider (a mix-up) is refused.
    let other = client();
    let back = through_the_provider(&app, &idp, &other, "acme", "alice").await;
    assert!(back.contains("&iss="), "the provider names itself (RFC 9207): {back}");
    let mixed = format!("{}&iss=https%3A%2F%2Fevil.example", back.split("&iss=").next().expect("before iss"));
    let (status, html) = page(other.get(&mixed).send().await.expect("callback")).await;
    assert_eq!(status, 403);
    assert!(html.contains("ne vient pas du fournisseur d’identité de Acme"), "{html}");

    // Bob's address is not of Acme's domains.
    let other = client();
    let back = through_the_provider(&app, &idp, &other, "acme", "bob").await;
    let (status, html) = page(other.get(&back).send().await.expect("callback")).await;
    assert_eq!(status, 403);
    assert!(html.contains("bob@ailleurs.fr n’appartient pas à un domaine autorisé"), "{html}");
    assert!(app.store.user_by_email("bob@ailleurs.fr").await.expect("read").is_none(), "no account made");

    // A token for another audience, then an expired one: refused, whatever the signature.
    let other = client();
    let back = through_the_provider(&app, &idp, &other, "audience", "alice").await;
    let (status, html) = page(other.get(&back).send().await.expect("callback")).await;
    assert_eq!(status, 403);
    assert!(html.contains("audience incorrecte"), "{html}");
    let back = through_the_provider(&app, &idp, &other, "expire", "alice").await;
    let (status, html) = page(other.get(&back).send().await.expect("callback")).await;
    assert_eq!(status, 403);
    assert!(html.contains("a expiré"), "{html}");
    let (status, _) = app.get_json(&other, "/api/auth/me").await;
    assert_eq!(status, 401, "no session after a refusal");

    // The provider's keys unreachable, then the provider down altogether.
    let idp_http = client();
    assert_eq!(idp_http.post(format!("{}/__test/jwks/down", idp.issuer)).send().await.expect("down").status(), 204);
    let other = client();
    let back = through_the_provider(&app, &idp, &other, "acme", "alice").await;
    let (status, html) = page(other.get(&back).send().await.expect("callback")).await;
    assert_eq!(status, 503);
    assert!(html.contains("ne répond pas") && html.contains("clés de signature"), "{html}");
    idp_http.post(format!("{}/__test/jwks/up", idp.issuer)).send().await.expect("up");
    let (status, html) = page(other.get(app.url("/auth/oidc/panne/login")).send().await.expect("down")).await;
    assert_eq!(status, 503);
    assert!(html.contains("Le fournisseur d’identité de Panne ne répond pas"), "{html}");

    // Acme requires SSO: its domain's passwords are refused, with the way to SSO.
    let (status, body) = app
        .post_json(&client(), "/api/auth/register", json!({"email": "dave@acme.fr", "password": "motdepasse-solide"}))
        .await;
    assert_eq!(status, 403, "{body}");
    assert!(body["detail"].as_str().expect("detail").contains("/auth/oidc/acme/login"), "{body}");
    let hash = replique_web::hash_password("motdepasse-solide").expect("hash");
    let legacy = replique_store::NewUser {
        email: "erin@acme.fr",
        name: "Erin",
        password_hash: &hash,
        plan: "enterprise",
        trial_ends_at: None,
        created_at: 0,
    };
    app.store.create_user(&legacy).await.expect("an account from before SSO");
    let (status, body) = app
        .post_json(&client(), "/api/auth/login", json!({"email": "erin@acme.fr", "password": "motdepasse-solide"}))
        .await;
    assert_eq!(status, 403, "{body}");
    assert!(body["detail"].as_str().expect("detail").contains("impose l’authentification unique"), "{body}");
    let visitor = client();
    let form = visitor.get(app.url("/login")).send().await.expect("login").text().await.expect("html");
    let at = form.find("name=\"csrf_token\" value=\"").expect("csrf") + "name=\"csrf_token\" value=\"".len();
    let token = &form[at..at + 64];
    let (status, html) = page(
        visitor
            .post(app.url("/login"))
            .form(&[("email", "erin@acme.fr"), ("password", "motdepasse-solide"), ("csrf_token", token)])
            .send()
            .await
            .expect("post"),
    )
    .await;
    assert_eq!(status, 403);
    assert!(
        html.contains("impose l’authentification unique") && html.contains("href=\"/auth/oidc/acme/login\""),
        "{html}"
    );
    // A member of Acme with an address elsewhere: refused once the password is right.
    let frank = replique_store::NewUser { email: "frank@perso.fr", name: "Frank", ..legacy };
    let frank = app.store.create_user(&frank).await.expect("frank");
    let acme = app.store.organisation_id("Acme").await.expect("read").expect("acme");
    app.store.set_membership(frank.id, acme, "manager", 0).await.expect("member");
    let (status, _) = app
        .post_json(&client(), "/api/auth/login", json!({"email": "frank@perso.fr", "password": "mauvais-mot"}))
        .await;
    assert_eq!(status, 401);
    let (status, _) = app
        .post_json(&client(), "/api/auth/login", json!({"email": "frank@perso.fr", "password": "motdepasse-solide"}))
        .await;
    assert_eq!(status, 403);

    // Every SSO change and account made is in Acme's audit log.
    let log = app.store.audit_log(acme, None, 50).await.expect("audit");
    assert!(log.iter().any(|e| e.action == "sso_settings" && !e.detail.contains(SECRET)));
    assert!(log.iter().any(|e| e.action == "sso_account" && e.subject_user_id == Some(alice.id)));

    // Her export names her identity at the provider.
    let (status, export) = app.get_json(&second, "/api/me/export").await;
    assert_eq!(status, 200);
    assert_eq!(export["sso_identities"][0]["subject"], "sub-alice", "{export}");
    assert_eq!(export["sso_identities"][0]["issuer"], idp.issuer.as_str());

    // Alice's account has no password: she confirms her erasure with a word.
    let (status, body) = app.post_json(&second, "/api/me/erase", json!({"password": "n'importe"})).await;
    assert_eq!(status, 403, "{body}");
    assert!(body["detail"].as_str().expect("detail").contains("EFFACER"), "{body}");
    let (status, body) = app.post_json(&second, "/api/me/erase", json!({"confirmation": "EFFACER"})).await;
    assert_eq!(status, 202, "{body}");
    assert!(app.store.user_by_email("alice@acme.fr").await.expect("read").is_none(), "erased");

    // An account the organisation's provisioning deactivated (SCIM) cannot sign in by SSO:
    // its session is gone, and the next callback opens none.
    let carol_browser = client();
    let back = through_the_provider(&app, &idp, &carol_browser, "acme", "carol").await;
    assert_eq!(carol_browser.get(&back).send().await.expect("callback").status(), 303);
    let carol = app.store.user_by_email("carol@acme.fr").await.expect("read").expect("created");
    assert!(app.store.delete_scim_user(acme, carol.id, 1).await.expect("deactivate"), "a member of Acme");
    assert_eq!(app.get_json(&carol_browser, "/api/auth/me").await.0, 401, "logged out at once");
    let back = through_the_provider(&app, &idp, &carol_browser, "acme", "carol").await;
    let (status, html) = page(carol_browser.get(&back).send().await.expect("callback")).await;
    assert_eq!(status, 403, "{html}");
    assert!(html.contains("Ce compte a été désactivé"), "{html}");
    assert_eq!(app.get_json(&carol_browser, "/api/auth/me").await.0, 401, "no session for a deactivated account");
    drop(idp);
    app.stop().await;
}

#[tokio::test]
async fn single_sign_on_against_a_real_provider_on_sqlite() {
    story(Db::Sqlite).await;
}

#[tokio::test]
async fn single_sign_on_against_a_real_provider_on_postgres() {
    let Some(db) = Db::postgres() else {
        eprintln!("skipped: set TEST_DATABASE_URL to run the single sign-on story on PostgreSQL");
        return;
    };
    story(db).await;
}
