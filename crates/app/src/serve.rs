//! `replique serve`: its configuration (flags and environment variables) and the start of
//! the app: the catalogue's products stored, the hourly purge, the daily retention run, the
//! xAPI sender, the voice and LLM providers, the listener, and the metrics listener when one
//! is configured.

use std::net::SocketAddr;

use anyhow::{Context, Result};
use replique_core::Catalog;
use replique_store::Store;
use replique_web::{AppState, Config};
use tokio::net::TcpListener;

use crate::{open_files, time_now};

#[derive(clap::Parser)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "REPLIQUE_ADDR", default_value = "127.0.0.1:8080")]
    addr: Option<SocketAddr>,
    /// Mark cookies Secure (set when Réplique is served over HTTPS).
    #[arg(long, env = "REPLIQUE_SECURE_COOKIES", default_value_t = false)]
    secure_cookies: bool,
    /// Where uploaded files (champions' calls) are kept.
    #[arg(long, env = "REPLIQUE_DATA_DIR", default_value = "data")]
    data_dir: std::path::PathBuf,
    /// Behind a reverse proxy or load balancer: take the client's address from the last
    /// `X-Forwarded-For` entry (the one the proxy adds) for the rate limits.
    #[arg(long, env = "REPLIQUE_TRUST_PROXY", default_value_t = false)]
    trust_proxy: bool,
    /// Threads that hash passwords (0: one per core but one). Four more logins each may wait;
    /// past that, logins and sign-ups get 503 until a place frees up.
    #[arg(long, env = "REPLIQUE_HASH_WORKERS", default_value_t = 0)]
    hash_workers: usize,
    /// How long one champion call may take to read or analyse, in seconds (then 503).
    #[arg(long, env = "REPLIQUE_ANALYSIS_TIMEOUT_SECS", default_value_t = 20)]
    analysis_timeout_secs: u64,
    /// Live voice sessions at once on this instance (0: a hundred per core, for the offline
    /// voice; set a handful with local speech models). Past it a learner is told, in French,
    /// to continue in writing. Shown in /health and the metrics.
    #[arg(long, env = "REPLIQUE_MAX_VOICE_SESSIONS", default_value_t = 0)]
    max_voice_sessions: usize,
    /// The address people reach Réplique at (behind a proxy, its public one, e.g.
    /// https://replique.example.fr): single sign-on sends providers back to
    /// <this>/auth/oidc/callback, and the xAPI activities and the SCORM packages' launch links
    /// are made under it. Unset: the request's host for single sign-on,
    /// http://127.0.0.1:8080 for the others.
    #[arg(long, env = "REPLIQUE_PUBLIC_URL")]
    public_url: Option<String>,
    /// Serve Prometheus metrics at http://ADDR/metrics, on this address only (off when
    /// unset). Bind it where only the monitoring reaches, e.g. 127.0.0.1:9090.
    #[arg(long, env = "REPLIQUE_METRICS_ADDR")]
    metrics_addr: Option<SocketAddr>,
}

pub async fn serve(store: Store, catalog: Catalog, args: ServeArgs) -> Result<()> {
    let products =
        replique_web::sync_catalog(&store, &catalog).await.context("cannot store the catalogue's products")?;
    tracing::info!(skills = catalog.skills.len(), templates = catalog.templates.len(), products, "catalogue loaded");
    let addr = args.addr.unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080)));
    let llm_limits = replique_llm::Limits::from_env().context("invalid LLM limits")?;
    let config = Config {
        secure_cookies: args.secure_cookies,
        data_dir: args.data_dir,
        llm_limits,
        trust_proxy: args.trust_proxy,
        hash_workers: args.hash_workers,
        analysis_time_limit: std::time::Duration::from_secs(args.analysis_timeout_secs.max(1)),
        max_voice_sessions: args.max_voice_sessions,
        public_url: args.public_url.as_deref().filter(|u| !u.trim().is_empty()).map(public_url).transpose()?,
        ..Config::default()
    };
    let config = Config { max_connections: open_files::raise_limit(config.max_connections), ..config };
    let purge = store.clone();
    tokio::spawn(async move {
        // Expired login sessions and old rate-limit counters are useless; sweep them hourly.
        let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every.tick().await;
            if let Err(e) = purge.purge_expired_logins(time_now()).await {
                tracing::warn!(error = %e, "could not purge expired logins");
            }
            // Every rate-limit window is shorter than a day.
            if let Err(e) = purge.purge_rate_limits(time_now() - 86_400).await {
                tracing::warn!(error = %e, "could not purge old rate-limit counters");
            }
        }
    });
    // Retention (GDPR): at start, then daily. With several instances over one database, one
    // runs it and the others skip (a lock in the database).
    let (retention_store, uploads) = (store.clone(), config.data_dir.clone());
    tokio::spawn(async move {
        let holder = format!("serve-{}-{}", std::process::id(), time_now());
        let mut every = tokio::time::interval(std::time::Duration::from_secs(86_400));
        loop {
            every.tick().await;
            if let Err(e) = replique_web::run_retention(&retention_store, &uploads, &holder).await {
                tracing::warn!(error = %e, "the retention run failed; it runs again tomorrow");
            }
        }
    });
    // xAPI: each instance sends what is due in the outbox; claims in the database keep two
    // instances from posting the same statements.
    let holder = format!("serve-{}-{}", std::process::id(), time_now());
    tokio::spawn(replique_web::xapi::run_sender(store.clone(), holder));
    let voice =
        replique_web::VoiceServices::new(&replique_voice::TtsConfig::from_env(), replique_voice::Stt::from_env()).await;
    if let Some(why) = voice.tts.unavailable() {
        tracing::warn!("voice mode off: {why}");
    }
    let llm = replique_llm::LlmConfig::from_env().context("invalid LLM configuration")?.map(replique_llm::Llm::new);
    match &llm {
        Some(llm) => tracing::info!(provider = ?llm.config().provider, model = %llm.config().model, "LLM realiser on"),
        None => tracing::info!("no LLM provider: the prospect speaks from the scripted realiser"),
    }
    let state = AppState::new(store, catalog, config, voice, llm);
    let listener = TcpListener::bind(addr).await.with_context(|| format!("cannot listen on {addr}"))?;
    if let Some(at) = args.metrics_addr {
        let metrics = TcpListener::bind(at).await.with_context(|| format!("cannot listen on {at} for the metrics"))?;
        tracing::info!("metrics on http://{}/metrics", metrics.local_addr()?);
        let state = state.clone();
        tokio::spawn(async move {
            if let Err(e) = replique_web::serve_metrics(metrics, state, shutdown_signal()).await {
                tracing::error!(error = %e, "the metrics listener stopped");
            }
        });
    }
    tracing::info!("Réplique listening on http://{}", listener.local_addr()?);
    replique_web::serve(listener, state, shutdown_signal()).await?;
    Ok(())
}

/// The public URL, checked: http(s), a host, without a trailing slash.
fn public_url(raw: &str) -> Result<String> {
    let url = raw.trim().trim_end_matches('/');
    let host = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")).unwrap_or_default();
    if host.is_empty() || host.contains(char::is_whitespace) || host.contains(['?', '#', '@']) {
        anyhow::bail!("REPLIQUE_PUBLIC_URL must be an http:// or https:// URL with a host, not {raw:?}");
    }
    Ok(url.to_owned())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
