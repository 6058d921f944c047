//! Idle voice connections (issue 19, capacity): opens `--sockets` authenticated voice
//! WebSockets to a running Réplique, holds them without a word, and reads the server's
//! resident memory from `/proc/<pid>/status` before and after, to give what one idle voice
//! learner costs.
//!
//!   cargo run --release -p replique --example idle_sockets -- \
//!       --base http://127.0.0.1:8080 --server-pid 1234 --sockets 10000
//!   scripts/learner_load.sh idle    starts a server on a fresh database and runs this
//!
//! Every socket belongs to one learner's session (the server counts connections, not
//! learners). Both ends need open-files room: this client raises its own soft limit to the
//! hard one; the server (`replique serve`) does the same at start. The server's voice limit
//! (`REPLIQUE_MAX_VOICE_SESSIONS`) must be at least `--sockets`, or the extra sockets are
//! refused and closed (and counted as such).

#[path = "common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Parser;
use futures_util::StreamExt;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

#[derive(Parser)]
struct Args {
    /// The server's base URL.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    base: String,
    /// The server's process id, to read its memory (without it only the sockets are counted).
    #[arg(long)]
    server_pid: Option<u32>,
    /// Voice WebSockets to open and hold.
    #[arg(long, default_value_t = 1000)]
    sockets: usize,
    /// Sockets being opened at once.
    #[arg(long, default_value_t = 100)]
    parallel: usize,
    /// How long to hold them once all are open, in seconds (the memory is read at the end).
    #[arg(long, default_value_t = 3)]
    hold: u64,
}

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    let files = rlimit::increase_nofile_limit(u64::MAX).unwrap_or(0);
    if usize::try_from(files).unwrap_or(usize::MAX) < args.sockets + 64 {
        eprintln!("warning: {files} open files allowed here, fewer than the {} sockets asked for", args.sockets);
    }
    let base = args.base.trim_end_matches('/').to_owned();
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    let client = reqwest::Client::builder().cookie_provider(std::sync::Arc::clone(&jar)).build()?;
    common::sign_up(&client, &base, "veille").await?;
    let started = client
        .post(format!("{base}/api/voice/session"))
        .json(&json!({"skill": "ecoute_active", "sector": "generic", "level": "easy", "seed": 1}))
        .send()
        .await?;
    let session: Value = started.json().await?;
    let id = session["session_id"].as_i64().context("no session started")?;
    let url = reqwest::Url::parse(&base)?;
    let cookie = reqwest::cookie::CookieStore::cookies(&*jar, &url)
        .and_then(|v| v.to_str().ok().map(str::to_owned))
        .context("no session cookie")?;
    let ws = format!("{}/api/voice/session/{id}/ws", base.replacen("http", "ws", 1));

    // Let the server settle (its pools, caches and allocator) before the first reading.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = args.server_pid.and_then(rss_kib);
    let opening = Instant::now();
    let mut held: Vec<Socket> = Vec::with_capacity(args.sockets);
    let (mut refused, mut failed) = (0usize, 0usize);
    let mut pending =
        futures_util::stream::iter(0..args.sockets).map(|_| open(&ws, &cookie)).buffer_unordered(args.parallel.max(1));
    while let Some(opened) = pending.next().await {
        match opened {
            Opened::Ready(socket) => held.push(*socket),
            Opened::Refused => refused += 1,
            Opened::Failed(why) => {
                if failed == 0 {
                    eprintln!("first failure: {why}");
                }
                failed += 1;
            }
        }
    }
    let opened_in = opening.elapsed();
    tokio::time::sleep(Duration::from_secs(args.hold)).await;
    let after = args.server_pid.and_then(rss_kib);
    println!(
        "{} idle voice sockets held ({} refused as over the limit, {} failed), opened in {:.1} s",
        held.len(),
        refused,
        failed,
        opened_in.as_secs_f64()
    );
    if let (Some(before), Some(after)) = (before, after) {
        let open = held.len().max(1) as f64;
        let per = after.saturating_sub(before) as f64 / open;
        println!(
            "server RSS {:.1} MB before, {:.1} MB with them: {per:.1} KiB per idle socket, {:.0} MB for 10,000",
            before as f64 / 1024.0,
            after as f64 / 1024.0,
            (before as f64 + per * 10_000.0) / 1024.0
        );
    }
    // For scripts: the sockets held and the failures.
    println!("held={} failed={failed}", held.len());
    for mut socket in held {
        let _ = socket.close(None).await;
    }
    if failed > 0 {
        bail!("{failed} sockets could not be opened");
    }
    Ok(())
}

enum Opened {
    Ready(Box<Socket>),
    /// The server said it is full (an `error` message with status 503, then a close).
    Refused,
    Failed(String),
}

/// Opens one voice socket and waits for its first message.
async fn open(url: &str, cookie: &str) -> Opened {
    let Ok(mut request) = url.into_client_request() else { return Opened::Failed(format!("bad URL {url}")) };
    let Ok(value) = cookie.parse() else { return Opened::Failed("bad cookie".into()) };
    request.headers_mut().insert("cookie", value);
    // Small buffers on this side too: the client holds as many sockets as the server.
    let config = WebSocketConfig::default().read_buffer_size(4096).write_buffer_size(0);
    let (mut socket, _) = match tokio_tungstenite::connect_async_with_config(request, Some(config), true).await {
        Ok(connected) => connected,
        Err(e) => return Opened::Failed(e.to_string()),
    };
    match tokio::time::timeout(Duration::from_secs(30), socket.next()).await {
        Ok(Some(Ok(Message::Text(text)))) => {
            let message: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            match message["type"].as_str() {
                Some("ready") => Opened::Ready(Box::new(socket)),
                Some("error") if message["status"] == 503 => Opened::Refused,
                _ => Opened::Failed(format!("unexpected first message {text}")),
            }
        }
        other => Opened::Failed(format!("no first message: {other:?}")),
    }
}

/// The resident memory of a process, in KiB (`VmRSS` of `/proc/<pid>/status`).
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}
