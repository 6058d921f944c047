//! Prometheus metrics of one instance, in the OpenMetrics text format: turns and their
//! latency (whole and per stage), HTTP answers by status class, WebSockets and voice
//! sessions, calls to the LLM and to transcription, the database pool.
//!
//! The counters live in `AppState`; `metrics_app(state)` serves them at `/metrics` on a
//! listener of its own (`REPLIQUE_METRICS_ADDR`), never on the public one: nothing here is
//! for learners. What is known at any time (voice seats, the pool) is read at scrape time.

use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::AppState;

/// One label, as the families below take it.
type Label = [(&'static str, &'static str); 1];

/// A stage of a turn, timed apart (`replique_turn_stage_seconds{stage}`).
#[derive(Debug, Clone, Copy)]
pub enum Stage {
    /// The session read (owner check, scenario, state) and the engine's turn.
    Read,
    /// The LLM's wording of the line, when a model is on.
    Llm,
    /// The durable write of the turn.
    Store,
}

impl Stage {
    fn as_str(self) -> &'static str {
        match self {
            Stage::Read => "read",
            Stage::Llm => "llm",
            Stage::Store => "store",
        }
    }
}

/// The counters and histograms of one instance.
pub struct Metrics {
    registry: Registry,
    turns: Counter,
    turn_seconds: Histogram,
    stage_seconds: Family<Label, Histogram, fn() -> Histogram>,
    http_responses: Family<Label, Counter>,
    websockets: Gauge,
    voice_active: Gauge,
    voice_max: Gauge,
    voice_refused: Counter,
    llm_calls: Family<Label, Counter>,
    stt_calls: Family<Label, Counter>,
    pool: Family<Label, Gauge>,
}

/// Buckets from 1 ms to about 16 s, doubling.
fn latency_buckets() -> Histogram {
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("replique");
        let metrics = Metrics {
            turns: Counter::default(),
            turn_seconds: latency_buckets(),
            stage_seconds: Family::new_with_constructor(latency_buckets),
            http_responses: Family::default(),
            websockets: Gauge::default(),
            voice_active: Gauge::default(),
            voice_max: Gauge::default(),
            voice_refused: Counter::default(),
            llm_calls: Family::default(),
            stt_calls: Family::default(),
            pool: Family::default(),
            registry: Registry::default(),
        };
        registry.register("turns", "Learner turns played and stored", metrics.turns.clone());
        registry.register(
            "turn_duration_seconds",
            "Time to play and store a learner turn",
            metrics.turn_seconds.clone(),
        );
        registry.register(
            "turn_stage_duration_seconds",
            "Time spent in each stage of a turn (read, llm, store)",
            metrics.stage_seconds.clone(),
        );
        registry.register(
            "http_responses",
            "HTTP responses by status class (2xx, 3xx, 4xx, 5xx)",
            metrics.http_responses.clone(),
        );
        registry.register("websockets_open", "Voice WebSockets open", metrics.websockets.clone());
        registry.register("voice_sessions_active", "Live voice sessions", metrics.voice_active.clone());
        registry.register(
            "voice_sessions_max",
            "The instance's limit on live voice sessions",
            metrics.voice_max.clone(),
        );
        registry.register(
            "voice_sessions_refused",
            "Voice sessions refused at the limit (the learner continued in writing)",
            metrics.voice_refused.clone(),
        );
        registry.register(
            "llm_calls",
            "Calls to the LLM by outcome (used, refused, failed)",
            metrics.llm_calls.clone(),
        );
        registry.register("stt_calls", "Transcriptions by outcome (ok, failed)", metrics.stt_calls.clone());
        registry.register(
            "db_pool_connections",
            "Database pool connections by state (idle, busy)",
            metrics.pool.clone(),
        );
        // Every series exists from the start, at zero, so that a rate is known before the
        // first event (a first failure is then a rise, not a new series).
        for outcome in ["used", "refused", "failed"] {
            metrics.llm_calls.get_or_create_owned(&[("outcome", outcome)]);
        }
        for outcome in ["ok", "failed"] {
            metrics.stt_calls.get_or_create_owned(&[("outcome", outcome)]);
        }
        for stage in [Stage::Read, Stage::Llm, Stage::Store] {
            metrics.stage_seconds.get_or_create_owned(&[("stage", stage.as_str())]);
        }
        Metrics { registry, ..metrics }
    }
}

impl Metrics {
    /// A turn stored, and how long it took in all.
    pub fn turn(&self, took: Duration) {
        self.turns.inc();
        self.turn_seconds.observe(took.as_secs_f64());
    }

    /// The time of one stage of a turn.
    pub fn stage(&self, stage: Stage, took: Duration) {
        self.stage_seconds.get_or_create(&[("stage", stage.as_str())]).observe(took.as_secs_f64());
    }

    /// A call to the LLM and what came of it (`used`, `refused`, `failed`).
    pub fn llm_call(&self, outcome: &'static str) {
        self.llm_calls.get_or_create(&[("outcome", outcome)]).inc();
    }

    /// A transcription and whether it worked.
    pub fn stt_call(&self, ok: bool) {
        self.stt_calls.get_or_create(&[("outcome", if ok { "ok" } else { "failed" })]).inc();
    }

    /// A voice session refused at the limit.
    pub fn voice_refused(&self) {
        self.voice_refused.inc();
    }

    /// A WebSocket opened; the returned guard counts it closed when dropped.
    pub fn websocket_opened(&self) -> OpenSocket {
        self.websockets.inc();
        OpenSocket(self.websockets.clone())
    }

    fn response(&self, status: StatusCode) {
        let class = match status.as_u16() {
            100..=199 => "1xx",
            200..=299 => "2xx",
            300..=399 => "3xx",
            400..=499 => "4xx",
            _ => "5xx",
        };
        self.http_responses.get_or_create(&[("class", class)]).inc();
    }
}

/// An open WebSocket, counted until dropped.
pub struct OpenSocket(Gauge);

impl Drop for OpenSocket {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// Middleware of the public app: counts every response by status class.
pub async fn count_responses(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    state.metrics.response(response.status());
    response
}

/// The router of the metrics listener: `GET /metrics`.
pub fn metrics_app(state: AppState) -> Router {
    Router::new().route("/metrics", get(scrape)).with_state(state)
}

async fn scrape(State(state): State<AppState>) -> Response {
    let metrics = &state.metrics;
    let seats = &state.voice_sessions;
    metrics.voice_active.set(i64::try_from(seats.active()).unwrap_or(i64::MAX));
    metrics.voice_max.set(i64::try_from(seats.max()).unwrap_or(i64::MAX));
    let (size, idle) = state.store.pool_usage();
    metrics.pool.get_or_create(&[("state", "idle")]).set(i64::from(idle));
    metrics.pool.get_or_create(&[("state", "busy")]).set(i64::from(size.saturating_sub(idle)));
    let mut body = String::new();
    if let Err(e) = encode(&mut body, &metrics.registry) {
        tracing::error!(error = %e, "metrics could not be encoded");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    ([(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")], body).into_response()
}
