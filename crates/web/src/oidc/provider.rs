//! The calls to an organisation's OpenID provider, over HTTPS (or HTTP on the loopback
//! interface): its configuration (Discovery 1.0), the exchange of the code for tokens
//! (with the PKCE verifier, the client authenticated by `client_secret_basic`), its keys
//! (JWKS) and, when the ID token carries no e-mail, the userinfo endpoint. Timeouts and a
//! size cap on every answer; no redirects followed. The client secret is never logged.

use reqwest::Client;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use replique_core::sso::{IssuerUrl, secure_or_loopback};

/// Largest answer read from a provider (configurations and key sets are a few KiB).
const MAX_ANSWER_BYTES: usize = 256 * 1024;

/// What went wrong talking to the provider, said in French by the caller.
#[derive(Debug)]
pub enum ProviderError {
    /// No answer, a timeout, a 5xx, an answer too large or not JSON: the provider is down
    /// or broken. `what` names the step, for the logs and the message.
    Unreachable { what: &'static str, cause: String },
    /// The provider answered but refused (an OAuth error such as `invalid_grant`).
    Refused { error: String },
    /// Its configuration breaks a rule (another issuer, an endpoint in plain HTTP).
    Misconfigured(String),
}

/// The provider's configuration, the parts used here.
#[derive(Debug, Clone, Deserialize)]
pub struct Metadata {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub jwks_uri: String,
    #[serde(default)]
    pub userinfo_endpoint: Option<String>,
}

/// The token endpoint's answer.
#[derive(Deserialize)]
pub struct Tokens {
    pub id_token: String,
    #[serde(default)]
    pub access_token: Option<String>,
}

/// The HTTP client for providers: short timeouts, no redirects, no kept connections.
pub fn client() -> Client {
    Client::builder()
        .connect_timeout(std::time::Duration::from_secs(5))
        .timeout(std::time::Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        // A login makes three requests minutes apart: a kept connection the provider has
        // meanwhile closed (or reset) would fail the next one; a new one each time.
        .pool_max_idle_per_host(0)
        .user_agent("Replique-OIDC")
        .build()
        .unwrap_or_else(|e| {
            tracing::warn!(error = %e, "the OpenID client falls back to reqwest's defaults");
            Client::new()
        })
}

/// Fetches and checks the provider's configuration: the issuer it states must be the one
/// configured, and every endpoint HTTPS (or loopback).
pub async fn discover(http: &Client, issuer: &IssuerUrl) -> Result<Metadata, ProviderError> {
    let what = "configuration";
    let answer = http.get(issuer.discovery_url()).send().await.map_err(|e| unreachable(what, e))?;
    let metadata: Metadata = read_json(answer, what).await?;
    if metadata.issuer != issuer.as_str() {
        return Err(ProviderError::Misconfigured(format!(
            "the configuration names the issuer {:?}, not {:?}",
            metadata.issuer,
            issuer.as_str()
        )));
    }
    let endpoints = [&metadata.authorization_endpoint, &metadata.token_endpoint, &metadata.jwks_uri];
    if let Some(bad) = endpoints.into_iter().chain(metadata.userinfo_endpoint.as_ref()).find(|u| !secure_or_loopback(u))
    {
        return Err(ProviderError::Misconfigured(format!("endpoint not in HTTPS: {bad}")));
    }
    Ok(metadata)
}

/// Exchanges the code for tokens.
pub async fn exchange_code(
    http: &Client,
    metadata: &Metadata,
    client_id: &str,
    client_secret: &str,
    code: &str,
    verifier: &str,
    redirect_uri: &str,
) -> Result<Tokens, ProviderError> {
    let what = "token";
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", redirect_uri),
        ("code_verifier", verifier),
    ];
    let answer = http
        .post(&metadata.token_endpoint)
        // RFC 6749 §2.3.1: both form-encoded before the Basic scheme.
        .basic_auth(form_encode(client_id), Some(form_encode(client_secret)))
        .header(reqwest::header::ACCEPT, "application/json")
        .form(&form)
        .send()
        .await
        .map_err(|e| unreachable(what, e))?;
    read_json(answer, what).await
}

/// The provider's published keys, as JSON.
pub async fn jwks(http: &Client, metadata: &Metadata) -> Result<serde_json::Value, ProviderError> {
    let what = "jwks";
    let answer = http.get(&metadata.jwks_uri).send().await.map_err(|e| unreachable(what, e))?;
    read_json(answer, what).await
}

/// The userinfo claims for an access token.
pub async fn userinfo(
    http: &Client,
    metadata: &Metadata,
    access_token: &str,
) -> Result<serde_json::Value, ProviderError> {
    let what = "userinfo";
    let Some(endpoint) = &metadata.userinfo_endpoint else {
        return Err(ProviderError::Misconfigured("no userinfo endpoint, and no e-mail in the ID token".into()));
    };
    let answer = http.get(endpoint).bearer_auth(access_token).send().await.map_err(|e| unreachable(what, e))?;
    read_json(answer, what).await
}

fn unreachable(what: &'static str, e: reqwest::Error) -> ProviderError {
    // Without the URL (a query may hold a code), with the causes (refused, timed out…).
    let e = e.without_url();
    let mut cause = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(inner) = source {
        cause.push_str(": ");
        cause.push_str(&inner.to_string());
        source = inner.source();
    }
    ProviderError::Unreachable { what, cause }
}

/// Reads a JSON answer of at most `MAX_ANSWER_BYTES`; an OAuth error body (`{"error":…}`,
/// 4xx) is `Refused`, anything else that is not a 2xx is `Unreachable`.
async fn read_json<T: DeserializeOwned>(mut answer: reqwest::Response, what: &'static str) -> Result<T, ProviderError> {
    let status = answer.status();
    let mut body = Vec::new();
    loop {
        match answer.chunk().await {
            Ok(Some(chunk)) if body.len() + chunk.len() <= MAX_ANSWER_BYTES => body.extend_from_slice(&chunk),
            Ok(Some(_)) => return Err(ProviderError::Unreachable { what, cause: "answer too large".into() }),
            Ok(None) => break,
            Err(e) => return Err(unreachable(what, e)),
        }
    }
    if status.is_client_error() {
        #[derive(Deserialize)]
        struct OauthError {
            error: String,
        }
        if let Ok(e) = serde_json::from_slice::<OauthError>(&body) {
            let error = e.error.chars().filter(|c| c.is_ascii_graphic()).take(60).collect();
            return Err(ProviderError::Refused { error });
        }
    }
    if !status.is_success() {
        return Err(ProviderError::Unreachable { what, cause: format!("status {status}") });
    }
    serde_json::from_slice(&body)
        .map_err(|e| ProviderError::Unreachable { what, cause: format!("not the JSON expected: {e}") })
}

/// `application/x-www-form-urlencoded` of one value.
fn form_encode(value: &str) -> String {
    serde_urlencoded::to_string([("v", value)]).map(|s| s.trim_start_matches("v=").to_owned()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::form_encode;

    #[test]
    fn client_credentials_are_form_encoded_for_basic() {
        assert_eq!(form_encode("abc"), "abc");
        assert_eq!(form_encode("a b:c/é"), "a+b%3Ac%2F%C3%A9");
    }
}
