//! Open-loop learner load (issue 19, capacity): learners arrive at random (a Poisson
//! process) whatever the server's speed, think between turns (log-normal, 5 to 20 s by
//! default), play 8 to 15 turns, end the session and ask for its report. A share of them
//! play in voice mode, over the live WebSocket, and fetch each line's audio as the page
//! does. Several arrival rates (levels) run one after the other; each prints the turn
//! latency (p50, p95, p99), the voice figures, the errors and the server's memory and CPU,
//! and the run ends with the knee: the first level whose p95 is twice the lowest level's.
//!
//!   cargo run --release -p replique --example learner_load -- \
//!       --base http://127.0.0.1:8080 --server-pid 1234 --rates 1,2,4,8 --seconds 120
//!   scripts/learner_load.sh          starts a server on a fresh database and runs this
//!
//! `--think-scale 0.01` shrinks the thinking (and the run) for a quick check. Exits
//! non-zero when a request failed (never for a time). One account plays every learner;
//! a voice learner refused at the server's voice limit goes on in writing, and is counted.
//!
//! Behind a load balancer (scripts/scale_out.sh) a request is sent again when no instance
//! answered, and a broken voice socket is reopened (`client`); with `--check-database`
//! the run ends by checking every acknowledged turn against the database (`ledger`).

#[path = "../common/mod.rs"]
mod common;

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Parser;
use serde_json::{Value, json};
use tokio::time::Instant as TokioInstant;

mod client;
mod ledger;
mod stats;

use client::{Channel, Opened};
use ledger::Ledger;
use stats::{Draw, cpu_ticks, quantile, status_kib};

#[derive(Parser)]
struct Args {
    /// The server's base URL.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    base: String,
    /// The server's process id, to read its memory and CPU from /proc.
    #[arg(long)]
    server_pid: Option<u32>,
    /// Arrival rates to play, in learners per second, comma-separated (run in increasing order).
    #[arg(long, default_value = "0.5,1,2,4", value_delimiter = ',')]
    rates: Vec<f64>,
    /// Measured time of each level, in seconds.
    #[arg(long, default_value_t = 120)]
    seconds: u64,
    /// Time before the measure of each level, in seconds (the learners in session build up).
    #[arg(long, default_value_t = 60)]
    warmup: u64,
    /// Median think time between turns, in seconds.
    #[arg(long, default_value_t = 10.0)]
    think_median: f64,
    /// Spread of the think time (the sigma of its logarithm; 0.42 puts 90 % within 5-20 s
    /// around a 10 s median).
    #[arg(long, default_value_t = 0.42)]
    think_sigma: f64,
    /// Multiplies every think time (0.01 for a quick check).
    #[arg(long, default_value_t = 1.0)]
    think_scale: f64,
    /// Share of the learners in voice mode (0 to 1).
    #[arg(long, default_value_t = 0.2)]
    voice_share: f64,
    /// The skill played.
    #[arg(long, default_value = "ecoute_active")]
    skill: String,
    /// Seed of the random draws (arrivals, think times, session lengths).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Writes the run's totals there as JSON: sessions, acknowledged and retried turns,
    /// voice reconnections, failed sessions, and the database check.
    #[arg(long)]
    summary: Option<std::path::PathBuf>,
    /// The server's database: after the run, every acknowledged turn must be stored there,
    /// and no turn twice (fails otherwise).
    #[arg(long)]
    check_database: Option<String>,
}

/// What one level measured (turns sent after the warm-up).
#[derive(Default)]
struct Tally {
    text_ms: Vec<f64>,
    voice_ms: Vec<f64>,
    first_audio_ms: Vec<f64>,
    reports: u64,
    arrivals: u64,
    voice_refused: u64,
    errors: u64,
    first_error: Option<String>,
}

impl Tally {
    fn error(&mut self, what: String) {
        self.errors += 1;
        self.first_error.get_or_insert(what);
    }
}

struct Ctx {
    client: reqwest::Client,
    base: String,
    ws_base: String,
    cookie: String,
    args: Args,
    tally: Mutex<Tally>,
    /// Turns sent from then on are measured.
    measure_from: Mutex<Instant>,
    /// Every session's acknowledged turns, over the whole run.
    ledger: Ledger,
}

impl Ctx {
    fn record(&self, f: impl FnOnce(&mut Tally)) {
        if let Ok(mut tally) = self.tally.lock() {
            f(&mut tally);
        }
    }

    fn measured(&self, sent: Instant) -> bool {
        self.measure_from.lock().is_ok_and(|from| sent >= *from)
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    let mut args = Args::parse();
    args.rates.retain(|r| r.is_finite() && *r > 0.0);
    args.rates.sort_by(f64::total_cmp);
    if args.rates.is_empty() {
        bail!("--rates: give at least one positive rate");
    }
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    let base = args.base.trim_end_matches('/').to_owned();
    let jar = Arc::new(reqwest::cookie::Jar::default());
    let client = reqwest::Client::builder()
        .cookie_provider(Arc::clone(&jar))
        .pool_max_idle_per_host(1024)
        .timeout(Duration::from_secs(60))
        .build()?;
    common::sign_up(&client, &base, "apprenants").await?;
    let cookie = reqwest::cookie::CookieStore::cookies(&*jar, &reqwest::Url::parse(&base)?)
        .and_then(|v| v.to_str().ok().map(str::to_owned))
        .context("no session cookie")?;
    let ws_base = base.replacen("http", "ws", 1);
    let ctx = Arc::new(Ctx {
        client,
        base,
        ws_base,
        cookie,
        args,
        tally: Mutex::new(Tally::default()),
        measure_from: Mutex::new(Instant::now()),
        ledger: Ledger::default(),
    });
    let a = &ctx.args;
    println!(
        "open loop: {} s of warm-up then {} s measured per level; think {:.1} s median (x{}), {:.0} % in voice mode",
        a.warmup,
        a.seconds,
        a.think_median,
        a.think_scale,
        a.voice_share * 100.0
    );
    println!(
        "{:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>10} {:>10} {:>7} {:>7} {:>8} {:>6}",
        "learn/s",
        "turns/s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "vp95 ms",
        "audio95",
        "reports",
        "v.refused",
        "errors",
        "RSS MB",
        "CPU %",
        "peak"
    );
    let mut draw = Draw(ctx.args.seed);
    let (mut baseline, mut knee, mut errors) = (None::<f64>, None::<(f64, f64)>, 0u64);
    for &rate in &ctx.args.rates.clone() {
        let (line, p95, level_errors) = level(&ctx, rate, &mut draw).await;
        println!("{line}");
        errors += level_errors;
        match baseline {
            None => baseline = p95,
            Some(first) => {
                if knee.is_none()
                    && let Some(p95) = p95
                    && p95 >= 2.0 * first
                {
                    knee = Some((rate, p95));
                }
            }
        }
    }
    match (baseline, knee) {
        (Some(first), Some((rate, p95))) => {
            println!(
                "knee: {rate} learners/s, where the text turn p95 ({p95:.1} ms) is twice the lowest level's ({first:.1} ms)"
            )
        }
        (Some(first), None) => println!(
            "no knee up to {} learners/s (text turn p95 {first:.1} ms at the lowest level)",
            ctx.args.rates.last().copied().unwrap_or_default()
        ),
        (None, _) => println!("no text turn measured at the lowest level: lengthen --seconds"),
    }
    let summary = ctx.ledger.summary(ctx.args.check_database.as_deref()).await?;
    println!(
        "{} sessions, {} turns acknowledged, {} sent again, {} voice sockets reopened, {} sessions failed",
        summary.sessions,
        summary.acknowledged_turns,
        summary.retried_turns,
        summary.voice_reconnects,
        summary.failed_sessions
    );
    if let Some(c) = &summary.checked {
        println!(
            "database: {} turns stored; {} acknowledged turns lost, {} stored twice, {} stored whose answer never arrived",
            c.stored_turns, c.lost_turns, c.duplicated_turns, c.in_flight_stored
        );
    }
    if let Some(path) = &ctx.args.summary {
        std::fs::write(path, format!("{:#}\n", summary.to_json()))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    // For scripts.
    println!("errors_total={errors}");
    if let Some(c) = summary.checked.as_ref().filter(|c| c.lost_turns > 0 || c.duplicated_turns > 0) {
        bail!("{} acknowledged turns lost, {} turns stored twice", c.lost_turns, c.duplicated_turns);
    }
    if errors > 0 {
        bail!("{errors} requests failed");
    }
    Ok(())
}

/// Plays one level: arrivals at `rate` for the warm-up and the measure, then every learner
/// of the level is stopped. Returns its table line, the text turn p95 and the errors.
async fn level(ctx: &Arc<Ctx>, rate: f64, draw: &mut Draw) -> (String, Option<f64>, u64) {
    if let Ok(mut tally) = ctx.tally.lock() {
        *tally = Tally::default();
    }
    let start = Instant::now();
    let measure_from = start + Duration::from_secs(ctx.args.warmup);
    if let Ok(mut from) = ctx.measure_from.lock() {
        *from = measure_from;
    }
    let end = TokioInstant::from_std(measure_from + Duration::from_secs(ctx.args.seconds));
    let mut cpu_before = None;
    let mut learners = tokio::task::JoinSet::new();
    let mut next = TokioInstant::now();
    let mut waiting_cpu = true;
    while next < end {
        tokio::time::sleep_until(next).await;
        if waiting_cpu && Instant::now() >= measure_from {
            waiting_cpu = false;
            cpu_before = ctx.args.server_pid.and_then(cpu_ticks);
        }
        let voice = draw.unit() <= ctx.args.voice_share;
        let (seed, turns) = (draw.next() >> 12, draw.between(8, 15));
        let think = Draw(draw.next());
        ctx.record(|t| t.arrivals += 1);
        let learner = Arc::clone(ctx);
        learners.spawn(async move {
            let _ = tokio::time::timeout_at(end, play(&learner, seed, turns, voice, think)).await;
        });
        next += Duration::from_secs_f64(draw.exponential(rate).min(3600.0));
    }
    tokio::time::sleep_until(end).await;
    let cpu_after = ctx.args.server_pid.and_then(cpu_ticks);
    while learners.join_next().await.is_some() {}
    let Ok(mut tally) = ctx.tally.lock() else { return (String::from("(no figures)"), None, 1) };
    let tally = std::mem::take(&mut *tally);
    let seconds = ctx.args.seconds.max(1) as f64;
    let turns = tally.text_ms.len() + tally.voice_ms.len();
    let (mut text, mut voice, mut audio) = (tally.text_ms, tally.voice_ms, tally.first_audio_ms);
    let p95 = quantile(&mut text, 950);
    // USER_HZ is 100 on Linux: ticks are hundredths of a second.
    let cpu = cpu_before.zip(cpu_after).map(|(b, a)| a.saturating_sub(b) as f64 / seconds);
    let memory = ctx.args.server_pid.and_then(|pid| Some((status_kib(pid, "VmRSS:")?, status_kib(pid, "VmHWM:")?)));
    let ms = |v: Option<f64>| v.map_or_else(|| "-".to_owned(), |v| format!("{v:.1}"));
    let line = format!(
        "{:>8} {:>8.1} {:>8} {:>8} {:>8} {:>8} {:>8} {:>10} {:>10} {:>7} {:>7} {:>8} {:>6}",
        rate,
        turns as f64 / seconds,
        ms(quantile(&mut text, 500)),
        ms(p95),
        ms(quantile(&mut text, 990)),
        ms(quantile(&mut voice, 950)),
        ms(quantile(&mut audio, 950)),
        tally.reports,
        tally.voice_refused,
        tally.errors,
        memory.map_or_else(|| "-".to_owned(), |(rss, _)| format!("{:.0}", rss as f64 / 1024.0)),
        cpu.map_or_else(|| "-".to_owned(), |c| format!("{c:.0}")),
        memory.map_or_else(|| "-".to_owned(), |(_, peak)| format!("{:.0}", peak as f64 / 1024.0)),
    );
    if let Some(first) = tally.first_error {
        eprintln!("level {rate}/s, first error: {first}");
    }
    (line, p95, tally.errors)
}

/// One learner: starts a session, plays `turns` turns with think times between them,
/// ends it and reads the report. Requests are sent again past a dead instance (`client`).
async fn play(ctx: &Ctx, seed: u64, turns: u64, voice: bool, mut think: Draw) {
    let failed = |what: String| {
        ctx.ledger.failed_sessions.fetch_add(1, Ordering::AcqRel);
        ctx.record(|t| t.error(what));
    };
    let url = format!("{}/api/voice/session", ctx.base);
    let body = json!({"skill": ctx.args.skill, "sector": "generic", "level": "easy", "seed": seed});
    // A start whose answer was lost leaves a session without turns behind: harmless.
    let id = match client::send(|| ctx.client.post(&url).json(&body)).await {
        Ok((r, _)) if r.status() == 201 => r.json::<Value>().await.ok().and_then(|v| v["session_id"].as_i64()),
        Ok((r, _)) => return failed(format!("session start: {}", r.status())),
        Err(e) => return failed(format!("session start: {e}")),
    };
    let Some(id) = id else { return failed("session start: no id".into()) };
    let entry = ctx.ledger.open(id);
    let mut channel = Channel::Http;
    if voice {
        match client::open_voice(ctx, id).await {
            Ok(Opened::Ready(socket, _)) => channel = Channel::Voice(Some(socket)),
            // The server's voice is full: the learner goes on in writing, as the page does.
            Ok(Opened::Full) => ctx.record(|t| t.voice_refused += 1),
            Err(e) => ctx.record(|t| t.error(e)),
        }
    }
    for line in common::LINES.iter().cycle().take(usize::try_from(turns).unwrap_or(8)) {
        let pause = think.log_normal(ctx.args.think_median, ctx.args.think_sigma) * ctx.args.think_scale;
        tokio::time::sleep(Duration::from_secs_f64(pause.clamp(0.0, 600.0))).await;
        let sent = Instant::now();
        let spoken = matches!(channel, Channel::Voice(_));
        entry.sending();
        let turn = client::say(ctx, id, &mut channel, line, entry.count() + 1).await;
        let took = sent.elapsed().as_secs_f64() * 1000.0;
        let turn = match turn {
            Ok((turn, again)) => {
                entry.acknowledged();
                if again {
                    ctx.ledger.retried_turns.fetch_add(1, Ordering::AcqRel);
                }
                turn
            }
            Err(e) => return failed(format!("turn: {e}")),
        };
        let measured = ctx.measured(sent);
        if measured {
            ctx.record(|t| if spoken { t.voice_ms.push(took) } else { t.text_ms.push(took) });
        }
        // The page plays the line's audio as soon as the turn is in: its arrival is the
        // first audio the learner hears.
        if spoken && let Some(url) = turn["prospect"]["audio_url"].as_str() {
            let url = format!("{}{url}", ctx.base);
            let audio = match client::send(|| ctx.client.get(&url)).await {
                Ok((r, _)) if r.status() == 200 => r.bytes().await.map_err(|e| e.to_string()),
                Ok((r, _)) => Err(r.status().to_string()),
                Err(e) => Err(e),
            };
            if let Err(e) = audio {
                return failed(format!("audio: {e}"));
            }
            let heard = sent.elapsed().as_secs_f64() * 1000.0;
            if measured {
                ctx.record(|t| t.first_audio_ms.push(heard));
            }
        }
        if turn["session_ended"] == true {
            break;
        }
    }
    if let Channel::Voice(Some(mut ws)) = channel {
        let _ = ws.close(None).await;
    }
    let url = format!("{}/api/voice/session/{id}/end", ctx.base);
    match client::send(|| ctx.client.post(&url).json(&json!({}))).await {
        // A session the prospect ended is already over: 409 is the expected answer then.
        Ok((r, _)) if r.status().is_success() || r.status() == 409 => {}
        Ok((r, _)) => return failed(format!("end: {}", r.status())),
        Err(e) => return failed(format!("end: {e}")),
    }
    let url = format!("{}/api/voice/session/{id}/report", ctx.base);
    match client::send(|| ctx.client.get(&url)).await {
        Ok((r, _)) if r.status() == 200 => ctx.record(|t| t.reports += 1),
        Ok((r, _)) => failed(format!("report: {}", r.status())),
        Err(e) => failed(format!("report: {e}")),
    }
}
