//! Contract tests against a local server that speaks each provider's wire format (JSON and
//! SSE streaming): normal replies, streams, timeouts, 500, 429, malformed answers.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::HeaderMap;
use replique_llm::{ChatMessage, Llm, LlmConfig, LlmError, Provider};

#[derive(Clone)]
enum Reply {
    Json(serde_json::Value),
    Sse(&'static str),
    Status(u16),
    Raw(&'static str),
    Slow,
}

/// A fake provider at `path`; records (headers, body) of each request.
async fn fake(path: &'static str, reply: Reply) -> (String, Arc<Mutex<Vec<(HeaderMap, serde_json::Value)>>>) {
    use axum::response::IntoResponse;
    let seen: Arc<Mutex<Vec<(HeaderMap, serde_json::Value)>>> = Arc::default();
    let log = Arc::clone(&seen);
    let app = axum::Router::new().route(
        path,
        axum::routing::post(move |headers: HeaderMap, body: axum::Json<serde_json::Value>| {
            let log = Arc::clone(&log);
            let reply = reply.clone();
            async move {
                log.lock().expect("log").push((headers, body.0));
                match reply {
                    Reply::Json(v) => axum::Json(v).into_response(),
                    Reply::Sse(text) => {
                        ([(axum::http::header::CONTENT_TYPE, "text/event-stream")], text).into_response()
                    }
                    Reply::Status(code) => {
                        (axum::http::StatusCode::from_u16(code).expect("status"), "error").into_response()
                    }
                    Reply::Raw(text) => {
                        ([(axum::http::header::CONTENT_TYPE, "application/json")], text).into_response()
                    }
                    Reply::Slow => {
                        tokio::time::sleep(Duration::from_secs(3)).await;
                        "late".into_response()
                    }
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}"), seen)
}

fn llm(provider: Provider, base_url: String) -> Llm {
    Llm::new(LlmConfig {
        provider,
        base_url,
        api_key: Some("secret-key".into()),
        model: "modele".into(),
        timeout: Duration::from_millis(800),
    })
}

fn conversation() -> Vec<ChatMessage> {
    vec![ChatMessage { role: "user", content: "Le commercial dit : « Bonjour »".into() }]
}

#[tokio::test]
async fn openai_compatible_json_and_stream() {
    let (base, seen) = fake(
        "/v1/chat/completions",
        Reply::Json(serde_json::json!({"choices": [{"message": {"role": "assistant", "content": "Bonjour, je vous écoute."}}], "usage": {"prompt_tokens": 42, "completion_tokens": 7}})),
    )
    .await;
    let (text, usage) = llm(Provider::OpenAi, format!("{base}/v1"))
        .complete("Tu es un prospect.", &conversation(), 100)
        .await
        .expect("reply");
    assert_eq!(text, "Bonjour, je vous écoute.");
    assert_eq!((usage.input_tokens, usage.output_tokens), (42, 7));
    let (headers, body) = seen.lock().expect("log")[0].clone();
    assert_eq!(headers["authorization"], "Bearer secret-key");
    assert_eq!(body["messages"][0], serde_json::json!({"role": "system", "content": "Tu es un prospect."}));
    assert_eq!(body["model"], "modele");

    let sse = "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"Bonjour, \"}}]}\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"je vous écoute.\"}}]}\n\ndata: [DONE]\n\n";
    let (base, seen) = fake("/v1/chat/completions", Reply::Sse(sse)).await;
    let mut pieces = Vec::new();
    let (text, usage) = llm(Provider::OpenAi, format!("{base}/v1"))
        .stream("s", &conversation(), 100, &mut |p| {
            pieces.push(p.to_owned());
            std::ops::ControlFlow::Continue(())
        })
        .await
        .expect("stream");
    assert_eq!(text, "Bonjour, je vous écoute.");
    assert_eq!(pieces, vec!["Bonjour, ", "je vous écoute."]);
    assert_eq!(seen.lock().expect("log")[0].1["stream"], true);
    // The stream said nothing of its usage: about four characters a token.
    assert_eq!(usage.output_tokens, 6, "24 characters");
    assert!(usage.input_tokens > 0);

    // The caller may stop the stream: the reply is cut where it stopped.
    let (base, _) = fake("/v1/chat/completions", Reply::Sse(sse)).await;
    let (text, _) = llm(Provider::OpenAi, format!("{base}/v1"))
        .stream("s", &conversation(), 100, &mut |_| std::ops::ControlFlow::Break(()))
        .await
        .expect("stream");
    assert_eq!(text, "Bonjour, ");
}

#[tokio::test]
async fn anthropic_json_and_stream() {
    let (base, seen) = fake(
        "/v1/messages",
        Reply::Json(serde_json::json!({"content": [{"type": "text", "text": "(hmm) Je vous écoute."}], "usage": {"input_tokens": 30, "output_tokens": 6}})),
    )
    .await;
    let (text, usage) =
        llm(Provider::Anthropic, base).complete("Tu es un prospect.", &conversation(), 100).await.expect("reply");
    assert_eq!(text, "(hmm) Je vous écoute.");
    assert_eq!(usage.output_tokens, 6);
    let (headers, body) = seen.lock().expect("log")[0].clone();
    assert_eq!(headers["x-api-key"], "secret-key");
    assert_eq!(headers["anthropic-version"], "2023-06-01");
    assert_eq!(body["system"], "Tu es un prospect.");
    assert_eq!(body["messages"][0]["role"], "user");

    let sse = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":30}}}\n\n\
event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n\
event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Je vous \"}}\n\n\
event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"écoute.\"}}\n\n\
event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":4}}\n\n\
event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
    let (base, _) = fake("/v1/messages", Reply::Sse(sse)).await;
    let mut first = None;
    let (text, usage) = llm(Provider::Anthropic, base)
        .stream("s", &conversation(), 100, &mut |p| {
            first.get_or_insert_with(|| p.to_owned());
            std::ops::ControlFlow::Continue(())
        })
        .await
        .expect("stream");
    assert_eq!(text, "Je vous écoute.");
    assert_eq!(first.as_deref(), Some("Je vous "), "the first piece arrives before the rest");
    assert_eq!(usage, replique_llm::Usage { input_tokens: 30, output_tokens: 4 }, "message_start and message_delta");
}

#[tokio::test]
async fn failures_are_typed() {
    for provider in [Provider::OpenAi, Provider::Anthropic] {
        let path = if provider == Provider::OpenAi { "/chat/completions" } else { "/v1/messages" };
        let (base, _) = fake(path, Reply::Status(500)).await;
        assert_eq!(llm(provider, base).complete("s", &conversation(), 10).await, Err(LlmError::Status(500)));
        let (base, _) = fake(path, Reply::Status(429)).await;
        assert_eq!(llm(provider, base).complete("s", &conversation(), 10).await, Err(LlmError::RateLimited));
        let (base, _) = fake(path, Reply::Raw("{not json")).await;
        assert_eq!(llm(provider, base).complete("s", &conversation(), 10).await, Err(LlmError::Malformed));
        let (base, _) = fake(path, Reply::Json(serde_json::json!({"unexpected": true}))).await;
        assert_eq!(llm(provider, base).complete("s", &conversation(), 10).await, Err(LlmError::Malformed));
        let (base, _) = fake(path, Reply::Slow).await;
        assert_eq!(llm(provider, base).complete("s", &conversation(), 10).await, Err(LlmError::Timeout));
    }
    let unreachable = llm(Provider::OpenAi, "http://127.0.0.1:9".into());
    assert_eq!(unreachable.complete("s", &conversation(), 10).await, Err(LlmError::Unreachable));
}

#[test]
fn the_key_is_never_printed() {
    let config = LlmConfig {
        provider: Provider::OpenAi,
        base_url: "x".into(),
        api_key: Some("sk-secret".into()),
        model: "m".into(),
        timeout: Duration::from_secs(1),
    };
    assert!(!format!("{config:?}").contains("sk-secret"));
}

/// A provider that writes its SSE reply in the given pieces of bytes, one after another.
async fn chunked(chunks: Vec<Vec<u8>>) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let Ok((mut socket, _)) = listener.accept().await else { return };
        let mut request = Vec::new();
        let mut buf = [0u8; 4096];
        // Headers, then a JSON body: enough to have read it all once it parses.
        while let Ok(n) = socket.read(&mut buf).await {
            if n == 0 {
                return;
            }
            request.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&request).to_string();
            if text
                .split_once("\r\n\r\n")
                .is_some_and(|(_, body)| serde_json::from_str::<serde_json::Value>(body).is_ok())
            {
                break;
            }
        }
        let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n";
        let _ = socket.write_all(head.as_bytes()).await;
        for chunk in chunks {
            let _ = socket.write_all(&chunk).await;
            let _ = socket.flush().await;
            // Separate writes, so the client reads separate chunks.
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    });
    format!("http://{addr}/v1")
}

#[tokio::test]
async fn a_character_split_between_chunks_arrives_whole_and_a_cut_stream_is_an_error() {
    let event = "data: {\"choices\":[{\"delta\":{\"content\":\"Très bien.\"}}]}\n\n".as_bytes().to_vec();
    let split = event.iter().position(|b| *b == 0xC3).expect("the é") + 1; // inside the é
    let mut chunks = vec![event[..split].to_vec(), event[split..].to_vec()];
    chunks.push(b"data: [DONE]\n\n".to_vec());
    let (text, _) = llm(Provider::OpenAi, chunked(chunks).await)
        .stream("s", &conversation(), 100, &mut |_| std::ops::ControlFlow::Continue(()))
        .await
        .expect("stream");
    assert_eq!(text, "Très bien.");

    // The connection closes before `[DONE]`: the reply may stop mid-sentence.
    let result = llm(Provider::OpenAi, chunked(vec![event]).await)
        .stream("s", &conversation(), 100, &mut |_| std::ops::ControlFlow::Continue(()))
        .await;
    assert_eq!(result, Err(LlmError::Truncated));
}
