//! Turn throughput: a load client that plays many training sessions at once against a
//! running Réplique and counts the acknowledged turns (issue 14, durability). Each of the
//! `--sessions` workers starts a session, says discovery questions until the session ends
//! (or is refused), then starts another; a turn counts once its `200` answer is in, that
//! is once the server has stored it.
//!
//!   cargo run --release -p replique --example turn_load -- --base http://127.0.0.1:8080
//!   scripts/turn_load.sh      starts a server on a fresh database and runs this
//!
//! Prints turns/s, the latency of a turn (p50, p99, max), the sessions started and the
//! failures. One account plays every session (the trial plan is unlimited).

#[path = "common/mod.rs"]
mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Result;
use clap::Parser;
use serde_json::{Value, json};

#[derive(Parser)]
struct Args {
    /// The server's base URL.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    base: String,
    /// Sessions played at once (one request in flight each).
    #[arg(long, default_value_t = 50)]
    sessions: usize,
    /// How long to measure, in seconds (after a short warm-up).
    #[arg(long, default_value_t = 20)]
    seconds: u64,
    /// Warm-up before the measure, in seconds (sessions started, caches filled).
    #[arg(long, default_value_t = 3)]
    warmup: u64,
    /// The skill played.
    #[arg(long, default_value = "ecoute_active")]
    skill: String,
}

#[derive(Default)]
struct Tally {
    /// Latency of each acknowledged turn in the measured window, in microseconds.
    latencies: Vec<u64>,
    /// Acknowledged turns, the warm-up included.
    all_turns: u64,
    sessions: u64,
    refused: u64,
    failed: u64,
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .pool_max_idle_per_host(args.sessions)
        .timeout(Duration::from_secs(30))
        .build()?;
    let base = args.base.trim_end_matches('/').to_owned();
    common::sign_up(&client, &base, "charge").await?;

    let start = Instant::now();
    let measure_from = start + Duration::from_secs(args.warmup);
    let until = measure_from + Duration::from_secs(args.seconds);
    let args = Arc::new(args);
    let mut workers = Vec::new();
    for worker in 0..args.sessions {
        let (client, base, args) = (client.clone(), base.clone(), Arc::clone(&args));
        workers.push(tokio::spawn(async move { play(&client, &base, &args, worker, measure_from, until).await }));
    }
    let mut total = Tally::default();
    for worker in workers {
        let tally = worker.await?;
        total.latencies.extend(tally.latencies);
        total.all_turns += tally.all_turns;
        total.sessions += tally.sessions;
        total.refused += tally.refused;
        total.failed += tally.failed;
    }
    let mut latencies = total.latencies;
    latencies.sort_unstable();
    let turns = latencies.len();
    // The latency under which `per_mille` of the turns were answered, in milliseconds.
    let at = |per_mille: usize| {
        let rank = (turns * per_mille).div_ceil(1000).clamp(1, turns.max(1));
        latencies.get(rank - 1).copied().unwrap_or(0) as f64 / 1000.0
    };
    println!(
        "{} sessions at once, {} s: {turns} turns, {:.0} turns/s; turn latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; {} sessions started, {} refused (409), {} failed",
        args.sessions,
        args.seconds,
        turns as f64 / args.seconds as f64,
        at(500),
        at(990),
        at(1000),
        total.sessions,
        total.refused,
        total.failed,
    );
    // For scripts: every acknowledged turn, the warm-up included.
    println!("turns_total={}", total.all_turns);
    Ok(())
}

/// One worker: sessions one after the other, a turn at a time, until `until`.
async fn play(
    client: &reqwest::Client,
    base: &str,
    args: &Args,
    worker: usize,
    measure_from: Instant,
    until: Instant,
) -> Tally {
    let mut tally = Tally::default();
    let mut seed = u64::try_from(worker).unwrap_or_default() * 7919;
    'sessions: while Instant::now() < until {
        seed += 1;
        let started = client
            .post(format!("{base}/api/voice/session"))
            .json(&json!({"skill": args.skill, "sector": "generic", "level": "easy", "seed": seed}))
            .send()
            .await;
        let id = match started {
            Ok(r) if r.status() == 201 => r.json::<Value>().await.ok().and_then(|v| v["session_id"].as_i64()),
            _ => None,
        };
        let Some(id) = id else {
            tally.failed += 1;
            continue;
        };
        tally.sessions += 1;
        for line in common::LINES.iter().cycle() {
            let sent = Instant::now();
            if sent >= until {
                break 'sessions;
            }
            let response = client
                .post(format!("{base}/api/voice/session/{id}/respond"))
                .json(&json!({ "message": line }))
                .send()
                .await;
            let (status, body) = match response {
                Ok(r) => (r.status().as_u16(), r.json::<Value>().await.unwrap_or(Value::Null)),
                Err(_) => (0, Value::Null),
            };
            match status {
                200 => {
                    tally.all_turns += 1;
                    if sent >= measure_from {
                        tally.latencies.push(u64::try_from(sent.elapsed().as_micros()).unwrap_or(u64::MAX));
                    }
                    if body["session_ended"] == true {
                        continue 'sessions;
                    }
                }
                409 => {
                    tally.refused += 1;
                    continue 'sessions;
                }
                _ => {
                    tally.failed += 1;
                    continue 'sessions;
                }
            }
        }
    }
    tally
}
