//! The catalogue through the web: products with proof and competition, every template
//! playable, the scenario brief (which never shows what the prospect hides).

mod common;

use common::TestApp;
use replique_core::Catalog;
use serde_json::json;

#[tokio::test]
async fn products_are_stored_at_start_and_served_with_proof_and_competition() {
    let app = TestApp::spawn().await;
    let c = app.client.clone();
    let (status, list) = app.get_json(&c, "/api/products").await;
    assert_eq!(status, 200);
    let slugs: Vec<&str> = list.as_array().expect("array").iter().filter_map(|p| p["slug"].as_str()).collect();
    assert!(slugs.contains(&"crm_pme"), "{slugs:?}");
    let (status, product) = app.get_json(&c, "/api/products/crm_pme").await;
    assert_eq!(status, 200);
    assert_eq!(product["product"]["name"], "Sillage CRM");
    assert!(product["proof"]["testimonials"].as_array().is_some_and(|t| !t.is_empty()));
    assert!(product["competition"]["main_competitors"].as_array().is_some_and(|t| !t.is_empty()));
    let (status, _) = app.get_json(&c, "/api/products/inexistant").await;
    assert_eq!(status, 404);

    // Filling the tables again changes nothing.
    let before = app.store.product_count().await.expect("count");
    replique_web::sync_catalog(&app.store, &Catalog::embedded().expect("catalogue")).await.expect("sync");
    assert_eq!(app.store.product_count().await.expect("count"), before);
    app.stop().await;
}

#[tokio::test]
async fn every_template_can_be_started_and_played() {
    let app = TestApp::spawn().await;
    let c = app.client.clone();
    app.sign_up(&c, "catalogue@exemple.fr").await;
    let catalog = Catalog::embedded().expect("catalogue");
    let levels = ["easy", "medium", "expert"];
    for (i, t) in catalog.templates.iter().enumerate() {
        // A sector the template truly fits (issue 13: a skill offers only those).
        let fitting: Vec<&str> = catalog.sectors.iter().map(|s| s.slug.as_str()).filter(|s| t.fits(s)).collect();
        let sector = fitting[i % fitting.len()];
        let body = json!({"skill": t.skill_slug, "sector": sector, "level": levels[i % 3], "variant": t.template_id, "seed": i});
        let (status, started) = app.post_json(&c, "/api/voice/session", body).await;
        assert_eq!(status, 201, "{}: {started}", t.template_id);
        assert_eq!(started["template_id"], t.template_id.as_str());
        let id = started["session_id"].as_i64().expect("id");
        let (status, turn) = app.say(&c, id, "Bonjour ! Comment se passe votre activité en ce moment ?").await;
        assert_eq!(status, 200, "{}: {turn}", t.template_id);
        assert!(!turn["prospect"]["text"].as_str().unwrap_or_default().is_empty());
    }
    // A sector none of a skill's scenarios fits is refused with a clear message.
    let body = json!({"skill": "negociation", "sector": "assurance", "level": "easy"});
    let (status, refused) = app.post_json(&c, "/api/voice/session", body).await;
    assert_eq!(status, 422, "{refused}");
    assert!(refused["detail"].as_str().is_some_and(|d| d.contains("n’est pas proposé")), "{refused}");
    app.stop().await;
}

#[tokio::test]
async fn the_brief_shows_the_product_proof_and_competition_but_never_the_hidden_objections() {
    let app = TestApp::spawn().await;
    let catalog = Catalog::embedded().expect("catalogue");
    for t in &catalog.templates {
        let url = app.url(&format!("/skills/{}/scenarios/{}", t.skill_slug, t.template_id));
        let response = app.client.get(url).send().await.expect("get");
        assert_eq!(response.status(), 200, "{}", t.template_id);
        let html = response.text().await.expect("html");
        let (product, _, competition) = catalog.resolve_product(t).expect("product");
        // Askama's HTML escaping.
        let escaped = |s: &str| {
            s.replace('&', "&#38;")
                .replace('<', "&#60;")
                .replace('>', "&#62;")
                .replace('"', "&#34;")
                .replace('\'', "&#39;")
        };
        assert!(html.contains("Fiche produit") && html.contains("Concurrence") && html.contains("Preuves"));
        assert!(html.contains(&escaped(&product.name)) || html.contains(&product.name), "{}", t.template_id);
        assert!(
            competition.main_competitors.iter().all(|c| html.contains(&c.name) || html.contains(&escaped(&c.name)))
        );
        for o in &t.objections {
            assert!(
                !html.contains(&o.hidden_line) && !html.contains(&escaped(&o.hidden_line)),
                "{} leaks a hidden objection",
                t.template_id
            );
        }
    }
    let response =
        app.client.get(app.url("/skills/ecoute_active/scenarios/decouverte_compir_1")).send().await.expect("get");
    assert_eq!(response.status(), 404, "a template is only shown under its own skill");
    app.stop().await;
}
