//! SCIM 2.0 provisioning as identity providers do it: the request sequences Okta and
//! Microsoft Entra ID document for SCIM 2.0 (written here from their documented shapes),
//! on SQLite and PostgreSQL; then what must be refused (no or a wrong token, malformed
//! bodies, another organisation's ids) and what a deactivation does (logged out
//! everywhere at once, voice socket closed, no login until reactivated).

mod common;

use common::{Db, TestApp};
use reqwest::Method;
use serde_json::{Value, json};

const ERROR: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const LIST: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

/// An organisation with a SCIM token: (its id, the token).
async fn provisioned(app: &TestApp, name: &str) -> (i64, String) {
    let org = app.store.create_organisation(name, 0).await.expect("organisation");
    let token = replique_web::new_scim_token(&app.store, org).await.expect("token");
    (org, token)
}

/// A SCIM request with `token`: (status, content type, body).
async fn scim(app: &TestApp, token: &str, method: Method, path: &str, body: Option<Value>) -> (u16, String, Value) {
    let mut request = app.client.request(method, app.url(path)).bearer_auth(token);
    if let Some(body) = body {
        request = request.header("content-type", "application/scim+json").body(body.to_string());
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let content_type =
        response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let text = response.text().await.expect("body");
    (status, content_type, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Asserts an RFC 7644 error body.
fn assert_error(status: u16, body: &Value, expected: u16, scim_type: Option<&str>) {
    assert_eq!(status, expected, "{body}");
    assert_eq!(body["schemas"], json!([ERROR]), "{body}");
    assert_eq!(body["status"], expected.to_string(), "status is a string: {body}");
    assert!(body["detail"].as_str().is_some_and(|d| !d.is_empty()), "{body}");
    assert_eq!(body["scimType"].as_str(), scim_type, "{body}");
}

/// Logs in with a password on a fresh client: (status, the client).
async fn login(app: &TestApp, email: &str, password: &str) -> (u16, reqwest::Client) {
    let client = app.other_client();
    let (status, _) = app.post_json(&client, "/api/auth/login", json!({"email": email, "password": password})).await;
    (status, client)
}

#[tokio::test]
async fn okta_and_entra_sequences() {
    for db in [Some(Db::Sqlite), Db::postgres()] {
        let Some(db) = db else {
            eprintln!("skipped on PostgreSQL: TEST_DATABASE_URL is not set");
            continue;
        };
        let app = TestApp::spawn_with(db, replique_web::Config::default()).await;
        okta(&app).await;
        entra(&app).await;
        app.stop().await;
    }
}

/// Okta's SCIM 2.0 sequence: look the user up, create, read, deactivate (PATCH with a value
/// object), reactivate; a group created, renamed, members added and removed, deleted.
async fn okta(app: &TestApp) {
    let (org, token) = provisioned(app, "Okta Corp").await;
    let lookup = "/scim/v2/Users?filter=userName%20eq%20%22john.doe%40example.com%22&startIndex=1&count=100";
    let (status, content_type, list) = scim(app, &token, Method::GET, lookup, None).await;
    assert_eq!((status, content_type.as_str()), (200, "application/scim+json"), "{list}");
    assert_eq!((list["schemas"].clone(), list["totalResults"].clone()), (json!([LIST]), json!(0)));
    assert_eq!(list["Resources"], json!([]));

    let create = json!({
        "schemas": [USER], "userName": "john.doe@example.com",
        "name": {"givenName": "John", "familyName": "Doe"},
        "emails": [{"primary": true, "value": "john.doe@example.com", "type": "work"}],
        "displayName": "John Doe", "locale": "en-US", "externalId": "00ujl29u0le5T6Aj10h7",
        "groups": [], "password": "1mz050nq-Okta", "active": true
    });
    let (status, content_type, user) = scim(app, &token, Method::POST, "/scim/v2/Users", Some(create)).await;
    assert_eq!((status, content_type.as_str()), (201, "application/scim+json"), "{user}");
    let id = user["id"].as_str().expect("id").to_owned();
    assert_eq!(user["userName"], "john.doe@example.com");
    assert_eq!(user["active"], true);
    assert_eq!(user["externalId"], "00ujl29u0le5T6Aj10h7");
    assert_eq!(user["name"]["familyName"], "Doe");
    assert_eq!(user["meta"]["location"], format!("/scim/v2/Users/{id}"));
    assert!(user.get("password").is_none(), "a password is never shown");

    let (status, _, read) = scim(app, &token, Method::GET, &format!("/scim/v2/Users/{id}"), None).await;
    assert_eq!((status, read["id"].as_str()), (200, Some(id.as_str())), "{read}");
    let (status, _, found) = scim(app, &token, Method::GET, lookup, None).await;
    assert_eq!(
        (status, found["totalResults"].clone(), found["Resources"][0]["id"].clone()),
        (200, json!(1), json!(id))
    );

    // The password Okta pushed logs in; the account is a learner of the organisation.
    let (status, learner) = login(app, "john.doe@example.com", "1mz050nq-Okta").await;
    assert_eq!(status, 200);
    let (status, me) = app.get_json(&learner, "/api/auth/me").await;
    assert_eq!((status, me["user"]["plan"].as_str()), (200, Some("enterprise")), "{me}");

    let deactivate = json!({"schemas": [PATCH], "Operations": [{"op": "replace", "value": {"active": false}}]});
    let (status, _, user) = scim(app, &token, Method::PATCH, &format!("/scim/v2/Users/{id}"), Some(deactivate)).await;
    assert_eq!((status, user["active"].clone()), (200, json!(false)), "{user}");
    assert_eq!(app.get_json(&learner, "/api/auth/me").await.0, 401, "logged out at once");
    assert_eq!(login(app, "john.doe@example.com", "1mz050nq-Okta").await.0, 403, "and cannot log in");

    let reactivate = json!({"schemas": [PATCH], "Operations": [{"op": "replace", "value": {"active": true}}]});
    let (status, _, user) = scim(app, &token, Method::PATCH, &format!("/scim/v2/Users/{id}"), Some(reactivate)).await;
    assert_eq!((status, user["active"].clone()), (200, json!(true)), "{user}");
    assert_eq!(login(app, "john.doe@example.com", "1mz050nq-Okta").await.0, 200, "reactivated");

    // Groups: Okta pushes a group, renames it, then adds and removes members.
    let (status, _, group) = scim(
        app,
        &token,
        Method::POST,
        "/scim/v2/Groups",
        Some(json!({"schemas": [GROUP], "displayName": "Test SCIMv2", "members": []})),
    )
    .await;
    assert_eq!(status, 201, "{group}");
    let group_id = group["id"].as_str().expect("id").to_owned();
    let at = format!("/scim/v2/Groups/{group_id}");
    let rename = json!({"schemas": [PATCH], "Operations": [{"op": "replace", "value": {"id": group_id, "displayName": "Ventes Ouest"}}]});
    assert_eq!(scim(app, &token, Method::PATCH, &at, Some(rename)).await.0, 204);
    let add = json!({"schemas": [PATCH], "Operations": [{"op": "add", "path": "members", "value": [{"value": id, "display": "john.doe@example.com"}]}]});
    assert_eq!(scim(app, &token, Method::PATCH, &at, Some(add)).await.0, 204);
    let (_, _, group) = scim(app, &token, Method::GET, &at, None).await;
    assert_eq!(group["displayName"], "Ventes Ouest");
    assert_eq!(group["members"][0]["value"], json!(id), "{group}");
    let remove =
        json!({"schemas": [PATCH], "Operations": [{"op": "remove", "path": format!("members[value eq \"{id}\"]")}]});
    assert_eq!(scim(app, &token, Method::PATCH, &at, Some(remove)).await.0, 204);
    assert_eq!(scim(app, &token, Method::GET, &at, None).await.2["members"], json!([]));
    assert_eq!(scim(app, &token, Method::DELETE, &at, None).await.0, 204);
    assert_eq!(scim(app, &token, Method::GET, &at, None).await.0, 404);

    let actions: Vec<String> =
        app.store.audit_log(org, None, 100).await.expect("audit").into_iter().map(|e| e.action).collect();
    for action in [
        "scim_token",
        "scim_user_created",
        "scim_user_deactivated",
        "scim_user_reactivated",
        "scim_group_created",
        "scim_group_deleted",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action} in {actions:?}");
    }
}

/// Entra ID's documented SCIM 2.0 test sequence: the filter query for a user that does not
/// exist, create, query, update with PATCH (string booleans, a value filter in the path),
/// disable with `"False"`; a group created, queried without its members, a member added and
/// removed, the group deleted, the user deleted.
async fn entra(app: &TestApp) {
    let (_, token) = provisioned(app, "Contoso").await;
    let user_name = "Test_User_dfeef4c5-5681-4387-b016-bdf221e82081@contoso.com";
    let lookup = format!("/scim/v2/Users?filter=userName+eq+%22{user_name}%22");
    let (status, _, list) = scim(app, &token, Method::GET, &lookup, None).await;
    assert_eq!((status, list["totalResults"].clone()), (200, json!(0)), "{list}");

    let create = json!({
        "schemas": [USER, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
        "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
        "userName": user_name,
        "active": true,
        "emails": [{"primary": true, "type": "work", "value": "Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@contoso.com"}],
        "meta": {"resourceType": "User"},
        "name": {"formatted": "givenName familyName", "familyName": "familyName", "givenName": "givenName"},
        "roles": []
    });
    let (status, _, user) = scim(app, &token, Method::POST, "/scim/v2/Users", Some(create.clone())).await;
    assert_eq!(status, 201, "{user}");
    let id = user["id"].as_str().expect("id").to_owned();
    assert_eq!(user["userName"], user_name, "the userName is kept as sent");
    let lower = format!("/scim/v2/Users?filter=userName+eq+%22{}%22", user_name.to_lowercase());
    let (status, _, list) = scim(app, &token, Method::GET, &lower, None).await;
    assert_eq!((status, list["Resources"][0]["id"].clone()), (200, json!(id)), "userName is matched without case");

    // Entra's duplicate test: the same user again is a uniqueness conflict.
    let (status, _, body) = scim(app, &token, Method::POST, "/scim/v2/Users", Some(create)).await;
    assert_error(status, &body, 409, Some("uniqueness"));

    let update = json!({"schemas": [PATCH], "Operations": [
        {"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "updatedEmail@contoso.com"},
        {"op": "Replace", "path": "name.familyName", "value": "updatedFamilyName"},
        {"op": "Add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "value": "Ventes"}]});
    let (status, _, user) = scim(app, &token, Method::PATCH, &format!("/scim/v2/Users/{id}"), Some(update)).await;
    assert_eq!(status, 200, "{user}");
    assert_eq!(user["emails"][0]["value"], "updatedemail@contoso.com");
    assert_eq!(user["name"]["familyName"], "updatedFamilyName");

    let disable = json!({"schemas": [PATCH], "Operations": [{"op": "Replace", "path": "active", "value": "False"}]});
    let (status, _, user) = scim(app, &token, Method::PATCH, &format!("/scim/v2/Users/{id}"), Some(disable)).await;
    assert_eq!((status, user["active"].clone()), (200, json!(false)), "{user}");

    let group = json!({"externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159", "displayName": "displayName", "meta": {"resourceType": "Group"}, "schemas": [GROUP]});
    let (status, _, group) = scim(app, &token, Method::POST, "/scim/v2/Groups", Some(group)).await;
    assert_eq!(status, 201, "{group}");
    let group_id = group["id"].as_str().expect("id").to_owned();
    let (status, _, list) = scim(
        app,
        &token,
        Method::GET,
        "/scim/v2/Groups?excludedAttributes=members&filter=displayName+eq+%22displayName%22",
        None,
    )
    .await;
    assert_eq!((status, list["totalResults"].clone()), (200, json!(1)), "{list}");
    assert!(list["Resources"][0].get("members").is_none(), "members left out: {list}");
    let at = format!("/scim/v2/Groups/{group_id}");
    let add = json!({"schemas": [PATCH], "Operations": [{"op": "Add", "path": "members", "value": [{"$ref": null, "value": id}]}]});
    assert_eq!(scim(app, &token, Method::PATCH, &at, Some(add)).await.0, 204);
    let (_, _, read) = scim(app, &token, Method::GET, &at, None).await;
    assert_eq!(read["members"].as_array().map(Vec::len), Some(1), "{read}");
    let remove = json!({"schemas": [PATCH], "Operations": [{"op": "Remove", "path": "members", "value": [{"$ref": null, "value": id}]}]});
    assert_eq!(scim(app, &token, Method::PATCH, &at, Some(remove)).await.0, 204);
    assert_eq!(scim(app, &token, Method::GET, &at, None).await.2["members"], json!([]));
    assert_eq!(scim(app, &token, Method::DELETE, &at, None).await.0, 204);

    assert_eq!(scim(app, &token, Method::DELETE, &format!("/scim/v2/Users/{id}"), None).await.0, 204);
    let (status, _, body) = scim(app, &token, Method::GET, &format!("/scim/v2/Users/{id}"), None).await;
    assert_error(status, &body, 404, None);
    assert_eq!(scim(app, &token, Method::GET, &lookup, None).await.2["totalResults"], 0);
}

#[tokio::test]
async fn what_providers_read_first() {
    let app = TestApp::spawn().await;
    let (_, token) = provisioned(&app, "Découverte").await;
    let (status, content_type, config) = scim(&app, &token, Method::GET, "/scim/v2/ServiceProviderConfig", None).await;
    assert_eq!((status, content_type.as_str()), (200, "application/scim+json"));
    assert_eq!(
        (config["patch"]["supported"].clone(), config["bulk"]["supported"].clone()),
        (json!(true), json!(false))
    );
    assert_eq!(config["authenticationSchemes"][0]["type"], "oauthbearertoken");
    let (_, _, types) = scim(&app, &token, Method::GET, "/scim/v2/ResourceTypes", None).await;
    let endpoints: Vec<&str> =
        types["Resources"].as_array().expect("types").iter().filter_map(|t| t["endpoint"].as_str()).collect();
    assert_eq!(endpoints, ["/Users", "/Groups"]);
    let (_, _, schemas) = scim(&app, &token, Method::GET, "/scim/v2/Schemas", None).await;
    assert_eq!(schemas["totalResults"], 2);
    let (status, _, user) = scim(&app, &token, Method::GET, &format!("/scim/v2/Schemas/{USER}"), None).await;
    assert_eq!((status, user["name"].as_str()), (200, Some("User")));
    assert_eq!(scim(&app, &token, Method::GET, "/scim/v2/Schemas/urn:inconnu", None).await.0, 404);
    app.stop().await;
}

#[tokio::test]
async fn bad_requests_get_rfc_errors_and_nothing_leaks_across_organisations() {
    for db in [Some(Db::Sqlite), Db::postgres()] {
        let Some(db) = db else { continue };
        let app = TestApp::spawn_with(db, replique_web::Config::default()).await;
        refusals(&app).await;
        app.stop().await;
    }
}

async fn refusals(app: &TestApp) {
    let (_, token) = provisioned(app, "Alpha").await;
    let (_, other) = provisioned(app, "Bravo").await;

    // No token, a wrong one, another scheme: 401, with the RFC's body.
    let response = app.client.get(app.url("/scim/v2/Users")).send().await.expect("request");
    assert_eq!(response.headers()["www-authenticate"], "Bearer realm=\"SCIM\"");
    assert_eq!(response.headers()["content-type"], "application/scim+json");
    let body: Value = response.json().await.expect("json");
    assert_error(401, &body, 401, None);
    let (status, _, body) = scim(app, &"0".repeat(64), Method::GET, "/scim/v2/Users", None).await;
    assert_error(status, &body, 401, None);
    let response = app
        .client
        .get(app.url("/scim/v2/Users"))
        .header("authorization", format!("Basic {token}"))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 401);

    // Malformed bodies.
    let response = app
        .client
        .post(app.url("/scim/v2/Users"))
        .bearer_auth(&token)
        .header("content-type", "application/scim+json")
        .body("{\"userName\": ")
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    assert_error(status, &response.json().await.expect("json"), 400, Some("invalidSyntax"));
    for (body, scim_type) in [
        (json!({"schemas": [USER]}), "invalidValue"),
        (json!({"userName": "a@alpha.fr", "active": "peut-être"}), "invalidValue"),
        (json!({"userName": "pas-une-adresse"}), "invalidValue"),
    ] {
        let (status, _, answer) = scim(app, &token, Method::POST, "/scim/v2/Users", Some(body)).await;
        assert_error(status, &answer, 400, Some(scim_type));
    }
    let (status, _, answer) =
        scim(app, &token, Method::GET, "/scim/v2/Users?filter=userName%20co%20%22a%22", None).await;
    assert_error(status, &answer, 400, Some("invalidFilter"));
    let response = app
        .client
        .post(app.url("/scim/v2/Users"))
        .bearer_auth(&token)
        .header("content-type", "text/plain")
        .body("userName=a")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 415);
    let huge = json!({"userName": "a@alpha.fr", "displayName": "x".repeat(300 * 1024)});
    let (status, _, answer) = scim(app, &token, Method::POST, "/scim/v2/Users", Some(huge)).await;
    assert_error(status, &answer, 413, None);
    let (status, _, answer) =
        scim(app, &token, Method::POST, "/scim/v2/Users", Some(json!({"userName": "a\u{0}@alpha.fr"}))).await;
    assert_error(status, &answer, 400, Some("invalidValue"));
    let bad_patch = json!({"schemas": [PATCH], "Operations": [{"op": "jump", "path": "active"}]});
    let (status, _, answer) = scim(app, &token, Method::PATCH, "/scim/v2/Users/1", Some(bad_patch)).await;
    assert_error(status, &answer, 400, Some("invalidSyntax"));

    // Another organisation's user and group: 404 for everything, as an unknown id.
    let (_, _, theirs) =
        scim(app, &other, Method::POST, "/scim/v2/Users", Some(json!({"userName": "b@bravo.fr"}))).await;
    let their_id = theirs["id"].as_str().expect("id").to_owned();
    let (_, _, their_group) = scim(
        app,
        &other,
        Method::POST,
        "/scim/v2/Groups",
        Some(json!({"displayName": "Bravo", "members": [{"value": their_id}]})),
    )
    .await;
    let their_group = their_group["id"].as_str().expect("id").to_owned();
    let deactivate = json!({"Operations": [{"op": "replace", "value": {"active": false}}]});
    for (method, path, body) in [
        (Method::GET, format!("/scim/v2/Users/{their_id}"), None),
        (Method::PATCH, format!("/scim/v2/Users/{their_id}"), Some(deactivate)),
        (Method::PUT, format!("/scim/v2/Users/{their_id}"), Some(json!({"userName": "b@bravo.fr", "active": false}))),
        (Method::DELETE, format!("/scim/v2/Users/{their_id}"), None),
        (Method::GET, format!("/scim/v2/Groups/{their_group}"), None),
        (Method::PUT, format!("/scim/v2/Groups/{their_group}"), Some(json!({"displayName": "Pris"}))),
        (Method::DELETE, format!("/scim/v2/Groups/{their_group}"), None),
        (Method::GET, "/scim/v2/Users/abc".to_owned(), None),
    ] {
        let (status, _, answer) = scim(app, &token, method.clone(), &path, body).await;
        assert_error(status, &answer, 404, None);
    }
    let (_, _, mine) =
        scim(app, &token, Method::GET, "/scim/v2/Users?filter=userName%20eq%20%22b%40bravo.fr%22", None).await;
    assert_eq!(mine["totalResults"], 0, "another organisation's users are not listed");
    // Nor can they join this organisation's teams, nor be taken by creating them again.
    let (status, _, answer) = scim(
        app,
        &token,
        Method::POST,
        "/scim/v2/Groups",
        Some(json!({"displayName": "Alpha", "members": [{"value": their_id}]})),
    )
    .await;
    assert_error(status, &answer, 400, Some("invalidValue"));
    let (status, _, answer) =
        scim(app, &token, Method::POST, "/scim/v2/Users", Some(json!({"userName": "B@bravo.fr"}))).await;
    assert_error(status, &answer, 409, Some("uniqueness"));
    let (_, _, still) = scim(app, &other, Method::GET, &format!("/scim/v2/Users/{their_id}"), None).await;
    assert_eq!(still["active"], true, "untouched: {still}");
    assert_eq!(
        scim(app, &other, Method::GET, &format!("/scim/v2/Groups/{their_group}"), None).await.2["members"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );

    // A new token replaces the old one at once.
    let alpha = app.store.organisation_id("Alpha").await.expect("org").expect("exists");
    let fresh = replique_web::new_scim_token(&app.store, alpha).await.expect("token");
    assert_eq!(scim(app, &token, Method::GET, "/scim/v2/Users", None).await.0, 401);
    assert_eq!(scim(app, &fresh, Method::GET, "/scim/v2/Users", None).await.0, 200);
}

#[tokio::test]
async fn a_deactivated_member_is_logged_out_everywhere_and_cannot_log_in() {
    for db in [Some(Db::Sqlite), Db::postgres()] {
        let Some(db) = db else { continue };
        deactivation_on(db).await;
    }
}

async fn deactivation_on(db: Db) {
    use futures_util::StreamExt;
    use tokio_tungstenite::tungstenite::Message;

    let app = TestApp::spawn_with(db, replique_web::Config::default()).await;
    let (org, token) = provisioned(&app, "Delta").await;
    // A member added by hand before SCIM was set up, logged in on two browsers, one of
    // them in a live voice session.
    let c = app.client.clone();
    app.sign_up(&c, "camille@delta.fr").await;
    app.enrol("camille@delta.fr", "enterprise", Some(("Delta", "learner"))).await;
    let (status, second) = login(&app, "camille@delta.fr", "motdepasse-solide").await;
    assert_eq!(status, 200);
    let session = app.start_session(&c, "ecoute_active").await;
    let url = format!("ws://{}/api/voice/session/{session}/ws", app.addr);
    let mut request =
        tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(url.as_str()).expect("request");
    request.headers_mut().insert("cookie", app.cookie_header(&c).parse().expect("header"));
    request.headers_mut().insert("origin", app.base.parse().expect("origin"));
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.expect("connect");
    assert!(matches!(socket.next().await, Some(Ok(Message::Text(_)))), "ready");

    // The provider finds the member by userName and deactivates them.
    let (_, _, found) =
        scim(&app, &token, Method::GET, "/scim/v2/Users?filter=userName%20eq%20%22Camille%40delta.fr%22", None).await;
    let id = found["Resources"][0]["id"].as_str().expect("the member is found").to_owned();
    let user_id: i64 = id.parse().expect("number");
    let put = json!({"schemas": [USER], "userName": "camille@delta.fr", "name": {"givenName": "Camille", "familyName": "Test"}, "active": false});
    let (status, _, user) = scim(&app, &token, Method::PUT, &format!("/scim/v2/Users/{id}"), Some(put)).await;
    assert_eq!((status, user["active"].clone()), (200, json!(false)), "{user}");

    // Both browsers are logged out, the socket is closed, the password no longer opens.
    assert_eq!(app.get_json(&c, "/api/auth/me").await.0, 401);
    assert_eq!(app.get_json(&second, "/api/auth/me").await.0, 401);
    let mut closed = false;
    while let Some(Ok(frame)) = socket.next().await {
        match frame {
            Message::Text(t) => assert!(t.contains("401"), "{t}"),
            Message::Close(frame) => {
                assert_eq!(frame.map(|f| u16::from(f.code)), Some(1008));
                closed = true;
                break;
            }
            _ => {}
        }
    }
    assert!(closed, "the voice socket was closed");
    let (status, body) = app
        .post_json(
            &app.other_client(),
            "/api/auth/login",
            json!({"email": "camille@delta.fr", "password": "motdepasse-solide"}),
        )
        .await;
    assert_eq!(status, 403, "{body}");
    assert!(body["detail"].as_str().is_some_and(|d| d.contains("désactivé")), "{body}");
    let wrong = app
        .post_json(
            &app.other_client(),
            "/api/auth/login",
            json!({"email": "camille@delta.fr", "password": "pas-le-bon-mot"}),
        )
        .await;
    assert_eq!(wrong.0, 401, "a wrong password says nothing of the account");
    assert!(app.store.create_login(&"f".repeat(64), user_id, 1, i64::MAX).await.is_err(), "no way in opens a session");

    // The manager's team page says so and shows the member's teams.
    app.sign_up(&app.other_client(), "manager@delta.fr").await;
    app.enrol("manager@delta.fr", "enterprise", Some(("Delta", "manager"))).await;
    let (_, manager) = login(&app, "manager@delta.fr", "motdepasse-solide").await;
    let (status, _, _) = scim(
        &app,
        &token,
        Method::POST,
        "/scim/v2/Groups",
        Some(json!({"displayName": "Grands comptes", "members": [{"value": id}]})),
    )
    .await;
    assert_eq!(status, 201);
    let page = manager.get(app.url("/team")).send().await.expect("page").text().await.expect("html");
    assert!(page.contains("Grands comptes") && page.contains("Compte désactivé"), "{page}");
    let audit = manager.get(app.url("/team/audit")).send().await.expect("page").text().await.expect("html");
    assert!(audit.contains("Compte désactivé (SCIM)"), "{audit}");
    // The member's export says what the provider sent and which teams they are in.
    let (status, export) = app.get_json(&manager, &format!("/api/org/members/{user_id}/export")).await;
    assert_eq!(status, 200, "{export}");
    assert_eq!(export["membership"]["teams"], json!(["Grands comptes"]));
    let provisioning = &export["membership"]["provisioning"];
    assert_eq!(provisioning["given_name"], "Camille", "{export}");
    assert!(provisioning["deactivated_at"].is_string(), "{export}");

    // Reactivated, the password opens again; the log says who did what.
    let enable = json!({"Operations": [{"op": "Replace", "path": "active", "value": "True"}]});
    assert_eq!(scim(&app, &token, Method::PATCH, &format!("/scim/v2/Users/{id}"), Some(enable)).await.0, 200);
    assert_eq!(login(&app, "camille@delta.fr", "motdepasse-solide").await.0, 200);
    let log = app.store.audit_log(org, None, 50).await.expect("audit");
    assert!(log.iter().any(|e| e.action == "scim_user_deactivated" && e.subject_user_id == Some(user_id)));
    app.stop().await;
}

#[tokio::test]
async fn guessing_tokens_is_rate_limited() {
    let app = TestApp::spawn().await;
    provisioned(&app, "Echo").await;
    let wrong = "a".repeat(64);
    for _ in 0..30 {
        assert_eq!(scim(&app, &wrong, Method::GET, "/scim/v2/Users", None).await.0, 401);
    }
    let response = app.client.get(app.url("/scim/v2/Users")).bearer_auth(&wrong).send().await.expect("request");
    assert_eq!(response.status(), 429);
    assert!(response.headers().contains_key("retry-after"));
    let body: Value = response.json().await.expect("json");
    assert_error(429, &body, 429, None);
    app.stop().await;
}
