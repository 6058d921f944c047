//! The HTTP/1.1 server loop around the app's router, with the limits a public service
//! needs: a time limit to send a request's headers (slow clients), an idle keep-alive
//! timeout (idle connections are closed, not kept until the open-files limit is reached),
//! and a cap on concurrent connections past which a new one gets an immediate 503 and is
//! closed. Shutdown stops accepting, lets each connection finish its request, then ends.
//!
//! A connection upgraded to a WebSocket leaves this loop (and its count) at the upgrade;
//! the voice session bounds its own life.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tower::ServiceExt;

/// Connection limits (see the module docs).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub header_read_timeout: Duration,
    pub idle_timeout: Duration,
    pub max_connections: usize,
}

/// What a connection refused at the cap is told (the body of `Error::Overloaded`).
const REFUSAL: &str = "{\"detail\":\"Le service est très sollicité. Réessayez dans quelques secondes.\"}";

/// Serves `router` on `listener` until `shutdown` resolves.
pub async fn run(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let max = u32::try_from(limits.max_connections.max(1)).unwrap_or(u32::MAX);
    let places = Arc::new(Semaphore::new(usize::try_from(max).unwrap_or(usize::MAX)));
    let (stop, stopping) = watch::channel(false);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, most likely: wait a little rather than spin.
                    tracing::error!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(place) = Arc::clone(&places).try_acquire_owned() else {
            tracing::debug!(%peer, "connection refused: too many open connections");
            tokio::spawn(refuse(stream));
            continue;
        };
        let (router, stopping) = (router.clone(), stopping.clone());
        tokio::spawn(async move {
            connection(stream, peer, router, limits, stopping).await;
            drop(place);
        });
    }
    let _ = stop.send(true);
    // Every connection finishes its request and closes; then the places are all free.
    let _ = places.acquire_many(max).await;
    Ok(())
}

/// Answers 503 and closes, without reading the request (a second at most).
async fn refuse(mut stream: TcpStream) {
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        let response = format!(
            "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 1\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{REFUSAL}",
            REFUSAL.len()
        );
        let _ = stream.write_all(response.as_bytes()).await;
        let _ = stream.shutdown().await;
    })
    .await;
}

/// Requests in progress on a connection, and when the last one ended.
struct Activity {
    start: Instant,
    in_flight: AtomicUsize,
    last_ms: AtomicU64,
}

impl Activity {
    fn touch(&self) {
        let ms = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_ms.store(ms, Ordering::Relaxed);
    }

    /// How long the connection has had nothing to do (zero while a request runs).
    fn idle_for(&self) -> Duration {
        if self.in_flight.load(Ordering::Relaxed) > 0 {
            return Duration::ZERO;
        }
        self.start.elapsed().saturating_sub(Duration::from_millis(self.last_ms.load(Ordering::Relaxed)))
    }
}

async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    router: Router,
    limits: Limits,
    mut stopping: watch::Receiver<bool>,
) {
    let _ = stream.set_nodelay(true);
    let activity =
        Arc::new(Activity { start: Instant::now(), in_flight: AtomicUsize::new(0), last_ms: AtomicU64::new(0) });
    let seen = Arc::clone(&activity);
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(peer));
        let (router, seen) = (router.clone(), Arc::clone(&seen));
        seen.in_flight.fetch_add(1, Ordering::Relaxed);
        async move {
            let response = router.oneshot(request).await;
            seen.touch();
            seen.in_flight.fetch_sub(1, Ordering::Relaxed);
            response.map_err(|never: Infallible| match never {})
        }
    });
    let mut builder = http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(limits.header_read_timeout);
    let connection = builder.serve_connection(TokioIo::new(stream), service).with_upgrades();
    tokio::pin!(connection);
    let mut closing = false;
    loop {
        let idle = activity.idle_for();
        let check = limits.idle_timeout.saturating_sub(idle).max(Duration::from_millis(10));
        tokio::select! {
            done = connection.as_mut() => {
                if let Err(e) = done {
                    tracing::debug!(error = %e, %peer, "connection ended with an error");
                }
                return;
            }
            changed = stopping.changed(), if !closing => {
                if changed.is_err() || *stopping.borrow() {
                    closing = true;
                    connection.as_mut().graceful_shutdown();
                }
            }
            () = tokio::time::sleep(check), if !closing => {
                if activity.idle_for() >= limits.idle_timeout {
                    closing = true;
                    connection.as_mut().graceful_shutdown();
                }
            }
        }
    }
}
