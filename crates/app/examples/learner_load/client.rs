//! The learner's side of the wire. Behind a load balancer an instance may die mid-turn: a
//! request is then sent again after a connection error or the balancer's 502/503/504, and
//! a broken voice socket is opened again (the balancer picks a live instance; any instance
//! serves any session) before the turn is said again. Turns carry their number
//! (`exchange`), so a turn sent again is either played or answered from the store, never
//! stored twice; a reopened socket's `ready` says how many turns are stored, which must
//! be at least those acknowledged.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

use crate::Ctx;

/// Attempts of one request (or turn) before the learner gives up.
const ATTEMPTS: u32 = 8;

pub type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// How a learner talks: in writing, or over the live voice session (`None` while broken).
pub enum Channel {
    Http,
    Voice(Option<Box<Socket>>),
}

/// Waits before attempt `attempt` (1 for the first repeat): 100 ms, doubling, at most 2 s.
async fn back_off(attempt: u32) {
    let ms = 100u64 << attempt.saturating_sub(1).min(5);
    tokio::time::sleep(Duration::from_millis(ms.min(2000))).await;
}

/// Sends the request `build` makes, again while it fails for a reason that passes (no
/// connection, the balancer's 502/503/504). Returns the answer and whether it was sent
/// more than once.
pub async fn send(build: impl Fn() -> reqwest::RequestBuilder) -> Result<(reqwest::Response, bool), String> {
    let mut last = String::new();
    for attempt in 0..ATTEMPTS {
        if attempt > 0 {
            back_off(attempt).await;
        }
        match build().send().await {
            Ok(r) if matches!(r.status().as_u16(), 502..=504) => last = r.status().to_string(),
            Ok(r) => return Ok((r, attempt > 0)),
            Err(e) => last = e.to_string(),
        }
    }
    Err(format!("{ATTEMPTS} attempts: {last}"))
}

/// Turn `exchange` of session `id`: its answer, and whether it had to be sent again.
pub async fn say(
    ctx: &Ctx,
    id: i64,
    channel: &mut Channel,
    line: &str,
    exchange: u64,
) -> Result<(Value, bool), String> {
    if let Channel::Voice(socket) = channel {
        match say_over_socket(ctx, id, socket, line, exchange).await? {
            Some(turn) => return Ok(turn),
            // The voice is full on the instance the socket reopened on: go on in writing.
            None => *channel = Channel::Http,
        }
    }
    say_over_http(ctx, id, line, exchange).await
}

async fn say_over_http(ctx: &Ctx, id: i64, line: &str, exchange: u64) -> Result<(Value, bool), String> {
    let url = format!("{}/api/voice/session/{id}/respond", ctx.base);
    let (response, again) =
        send(|| ctx.client.post(&url).json(&json!({ "message": line, "exchange": exchange }))).await?;
    let status = response.status();
    let body = response.json::<Value>().await.unwrap_or(Value::Null);
    if status == 200 { Ok((body, again)) } else { Err(format!("{status} {body}")) }
}

/// A turn over the voice socket, reopened as often as it breaks; `None` when it reopened
/// on an instance whose voice is full (the learner goes on in writing).
async fn say_over_socket(
    ctx: &Ctx,
    id: i64,
    socket: &mut Option<Box<Socket>>,
    line: &str,
    exchange: u64,
) -> Result<Option<(Value, bool)>, String> {
    let mut last = String::new();
    for attempt in 0..ATTEMPTS {
        if attempt > 0 {
            back_off(attempt).await;
        }
        let ws = match socket {
            Some(ws) => ws,
            None => match open_voice(ctx, id).await {
                Ok(Opened::Ready(ws, stored)) => {
                    ctx.ledger.reconnects.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
                    if stored + 1 < exchange {
                        return Err(format!("reopened: {stored} turns stored, {} acknowledged", exchange - 1));
                    }
                    socket.insert(ws)
                }
                Ok(Opened::Full) => return Ok(None),
                Err(e) => {
                    last = e;
                    continue;
                }
            },
        };
        match exchange_over(ws, line, exchange).await {
            Ok(turn) => return Ok(Some((turn, attempt > 0))),
            Err(Broken::Refused(e)) => return Err(e),
            Err(Broken::Closed(e)) => {
                last = e;
                *socket = None;
            }
        }
    }
    Err(format!("{ATTEMPTS} attempts over the voice socket: {last}"))
}

/// What a live session's socket said when it opened.
pub enum Opened {
    /// Ready, with the turns stored so far.
    Ready(Box<Socket>, u64),
    /// Every voice seat of the instance is taken.
    Full,
}

/// The live voice session of `id`.
pub async fn open_voice(ctx: &Ctx, id: i64) -> Result<Opened, String> {
    let url = format!("{}/api/voice/session/{id}/ws", ctx.ws_base);
    let mut request = url.into_client_request().map_err(|e| e.to_string())?;
    request.headers_mut().insert("cookie", ctx.cookie.parse().map_err(|_| "bad cookie".to_owned())?);
    let config = WebSocketConfig::default().read_buffer_size(8192);
    let (mut socket, _) = tokio_tungstenite::connect_async_with_config(request, Some(config), true)
        .await
        .map_err(|e| format!("voice socket: {e}"))?;
    match socket.next().await {
        Some(Ok(Message::Text(text))) => {
            let first: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            if first["type"] == "ready" {
                return Ok(Opened::Ready(Box::new(socket), first["exchanges"].as_u64().unwrap_or(0)));
            }
            if first["type"] == "error" && first["status"] == 503 {
                return Ok(Opened::Full);
            }
            Err(format!("voice socket said {text}"))
        }
        other => Err(format!("voice socket: {other:?}")),
    }
}

/// Why a turn over the socket failed.
enum Broken {
    /// The server refused the turn (an `error` message): saying it again changes nothing.
    Refused(String),
    /// The socket broke: open another and say it again.
    Closed(String),
}

/// A turn over the voice socket: the `turn` message (streamed sentences skipped).
async fn exchange_over(socket: &mut Socket, line: &str, exchange: u64) -> Result<Value, Broken> {
    let say = json!({"type": "say", "text": line, "exchange": exchange}).to_string();
    socket.send(Message::Text(say.into())).await.map_err(|e| Broken::Closed(e.to_string()))?;
    loop {
        match socket.next().await {
            Some(Ok(Message::Text(text))) => {
                let message: Value = serde_json::from_str(&text).map_err(|e| Broken::Refused(e.to_string()))?;
                match message["type"].as_str() {
                    Some("turn") => return Ok(message),
                    Some("error") => return Err(Broken::Refused(format!("voice: {text}"))),
                    _ => {}
                }
            }
            Some(Ok(Message::Close(frame))) => return Err(Broken::Closed(format!("closed: {frame:?}"))),
            Some(Ok(_)) => {}
            Some(Err(e)) => return Err(Broken::Closed(e.to_string())),
            None => return Err(Broken::Closed("voice socket closed".into())),
        }
    }
}
