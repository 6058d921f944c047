//! Réplique's web app: server-rendered French pages, the JSON API under `/api`, accounts
//! and login sessions, CSRF protection and rate limits, over axum.
//!
//! `app(state)` builds the router and `serve(listener, state, shutdown)` runs it; the
//! binary and the tests start the app the same way. Domain logic lives in
//! `replique_core`; storage in `replique_store`. This crate only translates between HTTP
//! and those two.

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use replique_core::Catalog;
use replique_store::Store;
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;

mod api;
mod assets;
mod auth;
mod csrf;
mod enterprise;
mod error;
mod extract;
mod generation;
mod hash_pool;
mod hygiene;
mod layout;
mod message;
mod metrics;
mod oidc;
mod pages;
mod password;
mod practice;
mod privacy;
mod products;
mod programmes;
mod rate_limit;
mod scenario_cache;
mod scim;
mod scorm;
mod seed;
mod server;
mod team;
mod token;
mod training;
mod turn;
mod usage;
mod voice;
mod voice_sessions;
mod voice_view;
mod work_pool;
pub mod xapi;

pub use auth::hash_password;
pub use error::Error;
pub use privacy::run_retention;
pub use products::sync_catalog;
pub use scim::new_token as new_scim_token;

/// Scenarios of sessions kept parsed in memory (see `scenario_cache`).
const SCENARIOS_KEPT: usize = 256;

/// Largest request body accepted anywhere (a message is far smaller; this stops abuse).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Settings of the web layer.
#[derive(Debug, Clone)]
pub struct Config {
    /// Mark cookies `Secure` (set when the app is served over HTTPS).
    pub secure_cookies: bool,
    /// Lifetime of a login session, in seconds.
    pub login_ttl_seconds: i64,
    /// Where uploaded files are kept (under `uploads/`).
    pub data_dir: std::path::PathBuf,
    /// What one user may spend of the LLM, when one is configured.
    pub llm_limits: replique_llm::Limits,
    /// Behind a reverse proxy: the client's address is the last `X-Forwarded-For` entry.
    pub trust_proxy: bool,
    /// Login attempts per client address per 15 minutes, whatever the e-mail: room for an
    /// office behind one address, none for a flood of made-up accounts.
    pub logins_per_address: i64,
    /// Threads hashing passwords (0: one per core but one, at least one); four more runs each may wait, the
    /// next are refused with 503.
    pub hash_workers: usize,
    /// Champion calls parsed or analysed at once (0: half the cores, at least one).
    pub analysis_workers: usize,
    /// How long one champion analysis may take before the request gets 503.
    pub analysis_time_limit: std::time::Duration,
    /// How long a client has to send a request's headers.
    pub header_read_timeout: std::time::Duration,
    /// How long an idle keep-alive connection stays open.
    pub idle_timeout: std::time::Duration,
    /// Connections open at once; the next ones get 503 and are closed.
    pub max_connections: usize,
    /// Live voice sessions at once (0: a hundred per core); past it a learner is told, in
    /// French, to continue in writing.
    pub max_voice_sessions: usize,
    /// The address people reach the app at (`https://replique.example.fr`): the single
    /// sign-on redirect URI, xAPI activity IRIs and SCORM launch links are made under it.
    /// Unset: single sign-on reads the request's `Host`, the others use
    /// [`Config::DEFAULT_PUBLIC_URL`] (see [`Config::public_base`]).
    pub public_url: Option<String>,
}

impl Config {
    /// Where links made for outside point when no public URL is configured.
    pub const DEFAULT_PUBLIC_URL: &'static str = "http://127.0.0.1:8080";

    /// The public URL links made outside a request (xAPI, SCORM) are built under.
    pub fn public_base(&self) -> &str {
        self.public_url.as_deref().unwrap_or(Self::DEFAULT_PUBLIC_URL)
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            secure_cookies: false,
            login_ttl_seconds: 14 * 24 * 3600,
            data_dir: "data".into(),
            llm_limits: replique_llm::Limits::default(),
            trust_proxy: false,
            logins_per_address: 100,
            hash_workers: 0,
            analysis_workers: 0,
            analysis_time_limit: std::time::Duration::from_secs(20),
            header_read_timeout: std::time::Duration::from_secs(10),
            idle_timeout: std::time::Duration::from_secs(60),
            max_connections: 10_000,
            max_voice_sessions: 0,
            public_url: None,
        }
    }
}

/// The voice side: speech synthesis, the sound library, transcription when configured.
pub struct VoiceServices {
    pub tts: replique_voice::Tts,
    pub library: replique_voice::Library,
    pub stt: Option<replique_voice::Stt>,
}

impl VoiceServices {
    /// Builds the providers the configuration names and the sound library (its spoken
    /// interruptions in the offline voice when it is there).
    pub async fn new(tts: &replique_voice::TtsConfig, stt: Option<replique_voice::Stt>) -> Self {
        let tts = replique_voice::Tts::new(tts).await;
        let mut spoken = std::collections::BTreeMap::new();
        if tts.unavailable().is_none() {
            let settings = replique_core::voice::get_tts_settings(
                replique_core::engine::Mood::Hostile,
                Some(replique_core::voice::Emotion::Impatient),
                30,
            );
            for (id, text) in replique_voice::sounds::SPOKEN {
                match tts.speak(text, &settings, &replique_voice::VoiceSpec::default()).await {
                    Ok(audio) => {
                        spoken.insert((*id).to_owned(), (*audio).clone());
                    }
                    Err(e) => tracing::warn!(sound = id, error = %e, "spoken sound synthesised instead"),
                }
            }
        }
        VoiceServices { library: replique_voice::Library::build(&spoken), tts, stt }
    }
}

/// Shared state of the app: the store, the catalogue, the settings and the rate limiters.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub store: Store,
    pub catalog: Catalog,
    pub config: Config,
    pub voice: VoiceServices,
    /// The LLM realiser, when a provider is configured (the scripted line otherwise).
    pub llm: Option<replique_llm::Llm>,
    pub(crate) login_limiter: rate_limit::RateLimiter,
    pub(crate) login_ip_limiter: rate_limit::RateLimiter,
    pub(crate) signup_limiter: rate_limit::RateLimiter,
    /// Single sign-on starts and returns per client address (each calls the provider).
    pub(crate) sso_limiter: rate_limit::RateLimiter,
    /// The HTTP client that talks to organisations' OpenID providers.
    pub(crate) oidc_http: reqwest::Client,
    /// GDPR exports per user (see `privacy::EXPORTS_PER_HOUR`).
    pub(crate) export_limiter: rate_limit::RateLimiter,
    /// SCIM requests per organisation, and requests with a wrong SCIM token per address.
    pub(crate) scim_limiter: rate_limit::RateLimiter,
    pub(crate) scim_auth_limiter: rate_limit::RateLimiter,
    /// Verified against when a login names an unknown email (see `auth::login`).
    pub(crate) dummy_hash: String,
    /// Where passwords are hashed and verified: a few at a time, never a thread per try.
    pub(crate) hash_pool: hash_pool::HashPool,
    /// Where champion calls are parsed and analysed: a few at a time, off the runtime.
    pub(crate) champion_work: work_pool::WorkPool,
    /// The scenarios of the sessions being played, parsed once.
    pub(crate) scenarios: scenario_cache::ScenarioCache,
    /// The OpenAPI document, built from the types and the catalogue.
    pub(crate) openapi: axum::body::Bytes,
    /// The live voice sessions and their limit.
    pub(crate) voice_sessions: voice_sessions::VoiceSessions,
    /// What `/metrics` tells (on its own listener).
    pub(crate) metrics: metrics::Metrics,
}

impl AppState {
    pub fn new(
        store: Store,
        catalog: Catalog,
        config: Config,
        voice: VoiceServices,
        llm: Option<replique_llm::Llm>,
    ) -> Self {
        let (logins_per_address, hash_workers) = (config.logins_per_address, config.hash_workers);
        // A request waits five seconds at most for a place to analyse.
        let champion_work = work_pool::WorkPool::new(
            config.analysis_workers,
            std::time::Duration::from_secs(5),
            config.analysis_time_limit,
        );
        let openapi = api::openapi::document_json(&catalog);
        let voice_sessions = voice_sessions::VoiceSessions::new(config.max_voice_sessions);
        AppState(Arc::new(Inner {
            voice_sessions,
            metrics: metrics::Metrics::default(),
            openapi,
            store,
            catalog,
            config,
            voice,
            llm,
            // Five failed logins per account and address per 15 minutes.
            login_limiter: rate_limit::RateLimiter::new("login", 5, 15 * 60),
            login_ip_limiter: rate_limit::RateLimiter::new("login_ip", logins_per_address, 15 * 60),
            // Ten sign-ups per address per hour.
            signup_limiter: rate_limit::RateLimiter::new("signup", 10, 3600),
            export_limiter: rate_limit::RateLimiter::new("export", privacy::EXPORTS_PER_HOUR, 3600),
            scim_limiter: rate_limit::RateLimiter::new("scim", scim::REQUESTS_PER_MINUTE, 60),
            scim_auth_limiter: rate_limit::RateLimiter::new("scim_auth", scim::FAILED_TOKENS_PER_ADDRESS, 15 * 60),
            // Sixty single sign-on steps (thirty logins) per address per 15 minutes.
            sso_limiter: rate_limit::RateLimiter::new("sso", 60, 15 * 60),
            oidc_http: oidc::client(),
            dummy_hash: auth::dummy_hash(),
            hash_pool: hash_pool::HashPool::with_workers(hash_workers),
            champion_work,
            // Room for the sessions played at once on an instance; about 100 KB each, parsed
            // with their topics.
            scenarios: scenario_cache::ScenarioCache::new(SCENARIOS_KEPT),
        }))
    }
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

/// The whole application router.
pub fn app(state: AppState) -> Router {
    let layers = state.clone();
    Router::new()
        .merge(pages::router())
        .nest("/api", api::router())
        .merge(scim::router())
        .merge(assets::router())
        .merge(voice::static_router())
        .layer(axum::middleware::from_fn(hygiene::refuse_control_characters))
        .layer(axum::middleware::from_fn_with_state(layers.clone(), csrf::ensure_cookie))
        .layer(axum::middleware::from_fn_with_state(layers.clone(), security_headers))
        .layer(axum::middleware::from_fn_with_state(layers, metrics::count_responses))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Serves the app on `listener` until `shutdown` resolves, with the connection limits of
/// its configuration (header read and idle timeouts, at most so many connections).
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let limits = server::Limits {
        header_read_timeout: state.config.header_read_timeout,
        idle_timeout: state.config.idle_timeout,
        max_connections: state.config.max_connections,
    };
    server::run(listener, app(state), limits, shutdown).await
}

/// Serves the Prometheus metrics (`GET /metrics`) on `listener`, apart from the app: bind
/// it where only the monitoring reaches (see the README).
pub async fn serve_metrics(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, metrics::metrics_app(state)).with_graceful_shutdown(shutdown).await
}

/// Headers every response carries: no framing, no sniffing, a strict content policy
/// (scripts and styles only from this origin); `Strict-Transport-Security` when the app is
/// served over HTTPS (secure cookies); `Cache-Control: no-store` on what a logged-in user
/// gets (or a login sets), unless the handler chose its caching (public assets).
async fn security_headers(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::HeaderValue;
    use axum::http::header;
    let logged_in = cookie_named(request.headers().get_all(header::COOKIE), auth::SESSION_COOKIE);
    let mut response = next.run(request).await;
    let logs_in = cookie_named(response.headers().get_all(header::SET_COOKIE), auth::SESSION_COOKIE);
    let headers = response.headers_mut();
    if (logged_in || logs_in) && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if state.config.secure_cookies {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'self'; img-src 'self' data:; media-src 'self' blob:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
    );
    response
}

/// Whether one of `values` (`Cookie` or `Set-Cookie` headers) names the cookie `name`.
fn cookie_named(values: axum::http::header::GetAll<'_, axum::http::HeaderValue>, name: &str) -> bool {
    values.iter().filter_map(|v| v.to_str().ok()).any(|v| {
        v.split(';').any(|pair| pair.trim().split_once('=').is_some_and(|(n, value)| n == name && !value.is_empty()))
    })
}

/// Current time, Unix seconds.
pub(crate) fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Unix seconds as RFC 3339.
pub(crate) fn rfc3339(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default()
}
