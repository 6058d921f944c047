//! How long a learner waits for the prospect's first audio when an LLM words the line:
//! streamed sentence by sentence over the live session, against the whole reply then its
//! audio. The model is a local server writing a 31-word reply at a steady pace (one word
//! every 30 ms, a small hosted model's speed), so the figures show what streaming saves,
//! not a provider's latency. Run with `cargo bench -p replique-web --bench streamed_voice`
//! (needs espeak-ng).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use replique_core::Catalog;
use replique_llm::{Llm, LlmConfig, Provider};
use replique_store::Store;
use replique_web::{AppState, Config};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_tungstenite::tungstenite::Message;

const WORD_DELAY: Duration = Duration::from_millis(30);
const TURNS: usize = 15;

/// The reply, a different opening each time (a prospect never repeats a line).
fn reply(n: usize) -> String {
    format!(
        "(hmm) Écoutez, c'est la question numéro {n}. On a déjà un outil en place depuis deux ans, et l'équipe s'y est habituée. \
Mais je veux bien comprendre ce que vous proposez de différent pour une équipe comme la nôtre."
    )
}

/// An OpenAI-compatible server that writes `reply(n)` word by word: as SSE when asked to
/// stream, else as one JSON answer once the last word is written.
async fn model() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let count = Arc::new(AtomicUsize::new(0));
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let n = count.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let Some(stream) = read_request(&mut socket).await else { return };
                let words: Vec<String> = reply(n).split(' ').map(|w| format!("{w} ")).collect();
                if stream {
                    let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n";
                    let _ = socket.write_all(head.as_bytes()).await;
                    for word in words {
                        tokio::time::sleep(WORD_DELAY).await;
                        let event = json!({"choices": [{"delta": {"content": word}}]});
                        if socket.write_all(format!("data: {event}\n\n").as_bytes()).await.is_err() {
                            return;
                        }
                    }
                    let _ = socket.write_all(b"data: [DONE]\n\n").await;
                } else {
                    tokio::time::sleep(WORD_DELAY * u32::try_from(words.len()).unwrap_or(1)).await;
                    let body =
                        json!({"choices": [{"message": {"role": "assistant", "content": words.concat().trim()}}]})
                            .to_string();
                    let head = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = socket.write_all(format!("{head}{body}").as_bytes()).await;
                }
            });
        }
    });
    format!("http://{addr}/v1")
}

/// Reads one request; whether it asks for a stream.
async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<bool> {
    let mut request = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        let n = socket.read(&mut buf).await.ok().filter(|n| *n > 0)?;
        request.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&request).to_string();
        let end = text.find("\r\n\r\n")?;
        let length = text
            .lines()
            .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_owned()))
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(0);
        if request.len() >= end + 4 + length {
            let body: Value = serde_json::from_slice(&request[end + 4..end + 4 + length]).ok()?;
            return Some(body["stream"] == true);
        }
    }
}

/// Starts a new session (each turn is the first of its conversation, so that every turn
/// is measured alike); its id.
async fn new_session(client: &reqwest::Client, base: &str) -> i64 {
    let start =
        json!({"skill": "decouverte_compir", "sector": "generic", "level": "medium", "variant": "decouverte_compir_1"});
    let started: Value = client
        .post(format!("{base}/api/voice/session"))
        .json(&start)
        .send()
        .await
        .expect("start")
        .json()
        .await
        .expect("json");
    started["session_id"].as_i64().expect("id")
}

fn summary(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name}: median {:.0} ms, min {:.0} ms, max {:.0} ms ({} turns)",
        ms(samples[samples.len() / 2]),
        ms(samples[0]),
        ms(samples[samples.len() - 1]),
        samples.len()
    );
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&format!("sqlite://{}/bench.db", dir.path().display())).await.expect("store");
    let catalog = Catalog::embedded().expect("catalogue");
    let voice = replique_web::VoiceServices::new(&replique_voice::TtsConfig::default(), None).await;
    if let Some(why) = voice.tts.unavailable() {
        eprintln!("skipped: {why}");
        return;
    }
    let llm = Llm::new(LlmConfig {
        provider: Provider::OpenAi,
        base_url: model().await,
        api_key: None,
        model: "bench".into(),
        timeout: Duration::from_secs(30),
    });
    let config = Config { data_dir: dir.path().to_path_buf(), ..Config::default() };
    let state = AppState::new(store, catalog, config, voice, Some(llm));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(replique_web::serve(listener, state, std::future::pending()));
    let base = format!("http://{addr}");
    let jar = Arc::new(reqwest::cookie::Jar::default());
    let client = reqwest::Client::builder().cookie_provider(Arc::clone(&jar)).build().expect("client");
    let register = json!({"email": "bench@exemple.fr", "password": "motdepasse-solide", "name": "Banc d’essai"});
    client.post(format!("{base}/api/auth/register")).json(&register).send().await.expect("register");
    let cookie = {
        use reqwest::cookie::CookieStore;
        jar.cookies(&base.parse().expect("url")).and_then(|v| v.to_str().ok().map(str::to_owned)).unwrap_or_default()
    };
    let question = "Comment est organisée votre équipe commerciale aujourd’hui ?";

    // The whole reply, then its audio (what the HTTP API and a non-streaming client get).
    let mut whole = Vec::new();
    for _ in 0..TURNS {
        let id = new_session(&client, &base).await;
        let t = Instant::now();
        let turn: Value = client
            .post(format!("{base}/api/voice/session/{id}/respond"))
            .json(&json!({"message": question}))
            .send()
            .await
            .expect("respond")
            .json()
            .await
            .expect("json");
        assert_eq!(turn["prospect"]["source"], "llm", "{turn}");
        let url = turn["prospect"]["audio_url"].as_str().expect("audio");
        let mut audio = client.get(format!("{base}{url}")).send().await.expect("audio");
        audio.chunk().await.expect("first bytes");
        whole.push(t.elapsed());
    }

    // Streamed over the live session: the first sentence's audio.
    let mut streamed = Vec::new();
    let mut complete = Vec::new();
    for _ in 0..TURNS {
        let id = new_session(&client, &base).await;
        let mut request = tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(format!(
            "ws://{addr}/api/voice/session/{id}/ws"
        ))
        .expect("request");
        request.headers_mut().insert("cookie", cookie.parse().expect("cookie"));
        let (mut socket, _) = tokio_tungstenite::connect_async(request).await.expect("connect");
        let _ready = socket.next().await;
        let t = Instant::now();
        socket.send(Message::Text(json!({"type": "say", "text": question}).to_string().into())).await.expect("send");
        let mut first = None;
        while let Some(Ok(message)) = socket.next().await {
            match message {
                Message::Binary(_) => {
                    first.get_or_insert_with(|| t.elapsed());
                }
                Message::Text(text) if text.contains("\"type\":\"turn\"") => {
                    assert!(text.contains("\"streamed_parts\":"), "{text}");
                    complete.push(t.elapsed());
                    break;
                }
                _ => {}
            }
        }
        streamed.push(first.expect("a streamed sentence"));
    }
    println!(
        "reply of 31 words at one word per {} ms ({} ms in all)",
        WORD_DELAY.as_millis(),
        WORD_DELAY.as_millis() * 31
    );
    summary("whole reply, then its audio: first audio byte after", whole);
    summary("streamed: first sentence's audio after", streamed);
    summary("streamed: whole turn acknowledged after", complete);
}
