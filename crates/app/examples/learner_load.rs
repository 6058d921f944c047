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

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Parser;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::time::Instant as TokioInstant;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

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
}

/// What a learner says, in turn; never a goodbye, so the session lasts its 8 to 15 turns
/// unless the prospect leaves first.
const LINES: &[&str] = &[
    "Bonjour, merci de prendre ce temps. Comment est organisée votre équipe aujourd’hui ?",
    "D’accord. Et quels outils utilisez-vous aujourd’hui pour vos suivis ?",
    "Si je comprends bien, tout repose sur quelques personnes. Qu’est-ce qui vous pose le plus de problèmes ?",
    "Je comprends. Quelles conséquences cela a-t-il pour vous concrètement ?",
    "Et comment mesurez-vous cela aujourd’hui, avec quels chiffres ?",
    "Qui d’autre est concerné par ce sujet dans votre entreprise ?",
    "Qu’avez-vous déjà essayé pour régler ce point ?",
    "Qu’est-ce qui serait le plus important pour vous dans une solution ?",
];

/// SplitMix64: small, seeded, good enough for arrival and think times.
struct Draw(u64);

impl Draw {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in (0, 1].
    fn unit(&mut self) -> f64 {
        ((self.next() >> 11) as f64 + 1.0) / (1u64 << 53) as f64
    }

    /// The wait until the next arrival of a Poisson process of `rate` per second.
    fn exponential(&mut self, rate: f64) -> f64 {
        -self.unit().ln() / rate
    }

    /// A log-normal draw of median `median` (Box-Muller).
    fn log_normal(&mut self, median: f64, sigma: f64) -> f64 {
        let z = (-2.0 * self.unit().ln()).sqrt() * (std::f64::consts::TAU * self.unit()).cos();
        median * (sigma * z).exp()
    }

    /// An integer in `low..=high`.
    fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.next() % (high - low + 1)
    }
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
    let email = format!("apprenants-{}-{}@exemple.fr", std::process::id(), now_ms());
    let response = client
        .post(format!("{base}/api/auth/register"))
        .json(&json!({"email": email, "password": "motdepasse-solide", "name": "Banc d’essai"}))
        .send()
        .await
        .context("cannot reach the server")?;
    if response.status() != 201 {
        bail!("sign-up refused: {} {}", response.status(), response.text().await.unwrap_or_default());
    }
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
    // For scripts.
    println!("errors_total={errors}");
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
/// ends it and reads the report.
async fn play(ctx: &Ctx, seed: u64, turns: u64, voice: bool, mut think: Draw) {
    let started = ctx
        .client
        .post(format!("{}/api/voice/session", ctx.base))
        .json(&json!({"skill": ctx.args.skill, "sector": "generic", "level": "easy", "seed": seed}))
        .send()
        .await;
    let id = match started {
        Ok(r) if r.status() == 201 => r.json::<Value>().await.ok().and_then(|v| v["session_id"].as_i64()),
        Ok(r) => return ctx.record(|t| t.error(format!("session start: {}", r.status()))),
        Err(e) => return ctx.record(|t| t.error(format!("session start: {e}"))),
    };
    let Some(id) = id else { return ctx.record(|t| t.error("session start: no id".into())) };
    let mut socket = if voice { open_voice(ctx, id).await } else { None };
    for line in LINES.iter().cycle().take(usize::try_from(turns).unwrap_or(8)) {
        let pause = think.log_normal(ctx.args.think_median, ctx.args.think_sigma) * ctx.args.think_scale;
        tokio::time::sleep(Duration::from_secs_f64(pause.clamp(0.0, 600.0))).await;
        let sent = Instant::now();
        let turn = match socket.as_mut() {
            Some(ws) => say_over_socket(ws, line).await,
            None => say_over_http(ctx, id, line).await,
        };
        let took = sent.elapsed().as_secs_f64() * 1000.0;
        let turn = match turn {
            Ok(turn) => turn,
            Err(e) => return ctx.record(|t| t.error(format!("turn: {e}"))),
        };
        let measured = ctx.measured(sent);
        if measured {
            ctx.record(|t| if socket.is_some() { t.voice_ms.push(took) } else { t.text_ms.push(took) });
        }
        // The page plays the line's audio as soon as the turn is in: its arrival is the
        // first audio the learner hears.
        if socket.is_some()
            && let Some(url) = turn["prospect"]["audio_url"].as_str()
        {
            let audio = match ctx.client.get(format!("{}{url}", ctx.base)).send().await {
                Ok(r) if r.status() == 200 => r.bytes().await.map_err(|e| e.to_string()),
                Ok(r) => Err(r.status().to_string()),
                Err(e) => Err(e.to_string()),
            };
            if let Err(e) = audio {
                return ctx.record(|t| t.error(format!("audio: {e}")));
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
    if let Some(mut ws) = socket {
        let _ = ws.close(None).await;
    }
    match ctx.client.post(format!("{}/api/voice/session/{id}/end", ctx.base)).json(&json!({})).send().await {
        // A session the prospect ended is already over: 409 is the expected answer then.
        Ok(r) if r.status().is_success() || r.status() == 409 => {}
        Ok(r) => return ctx.record(|t| t.error(format!("end: {}", r.status()))),
        Err(e) => return ctx.record(|t| t.error(format!("end: {e}"))),
    }
    match ctx.client.get(format!("{}/api/voice/session/{id}/report", ctx.base)).send().await {
        Ok(r) if r.status() == 200 => ctx.record(|t| t.reports += 1),
        Ok(r) => ctx.record(|t| t.error(format!("report: {}", r.status()))),
        Err(e) => ctx.record(|t| t.error(format!("report: {e}"))),
    }
}

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The live voice session of `id`, or `None` when the server's voice is full (the learner
/// then goes on in writing, as the page does) or the socket cannot open (an error).
async fn open_voice(ctx: &Ctx, id: i64) -> Option<Socket> {
    let url = format!("{}/api/voice/session/{id}/ws", ctx.ws_base);
    let mut request = url.into_client_request().ok()?;
    request.headers_mut().insert("cookie", ctx.cookie.parse().ok()?);
    let config = WebSocketConfig::default().read_buffer_size(8192);
    let mut socket = match tokio_tungstenite::connect_async_with_config(request, Some(config), true).await {
        Ok((socket, _)) => socket,
        Err(e) => {
            ctx.record(|t| t.error(format!("voice socket: {e}")));
            return None;
        }
    };
    match socket.next().await {
        Some(Ok(Message::Text(text))) => {
            let first: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            if first["type"] == "ready" {
                return Some(socket);
            }
            if first["type"] == "error" && first["status"] == 503 {
                ctx.record(|t| t.voice_refused += 1);
            } else {
                ctx.record(|t| t.error(format!("voice socket said {text}")));
            }
        }
        other => ctx.record(|t| t.error(format!("voice socket: {other:?}"))),
    }
    None
}

/// A turn over HTTP: its JSON.
async fn say_over_http(ctx: &Ctx, id: i64, line: &str) -> Result<Value, String> {
    let response = ctx
        .client
        .post(format!("{}/api/voice/session/{id}/respond", ctx.base))
        .json(&json!({ "message": line }))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = response.status();
    let body = response.json::<Value>().await.unwrap_or(Value::Null);
    if status == 200 { Ok(body) } else { Err(format!("{status} {body}")) }
}

/// A turn over the voice socket: the `turn` message (streamed sentences skipped).
async fn say_over_socket(socket: &mut Socket, line: &str) -> Result<Value, String> {
    let say = json!({"type": "say", "text": line}).to_string();
    socket.send(Message::Text(say.into())).await.map_err(|e| e.to_string())?;
    loop {
        match socket.next().await {
            Some(Ok(Message::Text(text))) => {
                let message: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
                match message["type"].as_str() {
                    Some("turn") => return Ok(message),
                    Some("error") => return Err(format!("voice: {text}")),
                    _ => {}
                }
            }
            Some(Ok(_)) => {}
            Some(Err(e)) => return Err(e.to_string()),
            None => return Err("voice socket closed".into()),
        }
    }
}

/// The value under which `per_mille` of `values` lie (sorted in place), in their unit.
fn quantile(values: &mut [f64], per_mille: usize) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let rank = (values.len() * per_mille).div_ceil(1000).clamp(1, values.len());
    values.get(rank - 1).copied()
}

/// User and system CPU time of a process so far, in clock ticks.
fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces: count the fields after its closing parenthesis.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

/// A `kB` line of `/proc/<pid>/status` (`VmRSS:`, `VmHWM:`).
fn status_kib(pid: u32, key: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|l| l.strip_prefix(key)).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn now_ms() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis())
}
