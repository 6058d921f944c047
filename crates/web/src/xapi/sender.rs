//! The xAPI sender: claims due rows of the outbox, posts each session's statements to its
//! organisation's LRS (HTTP Basic auth, `X-Experience-API-Version`), marks them sent, or
//! gives them back with a later attempt (30 s, doubling, at most an hour apart). Every
//! instance runs one (`run_sender`, started by `replique serve`); the claims in the
//! database keep two from posting the same row at once, and a row whose sender died is due
//! again when its claim expires. The LRS secret goes into the `Authorization` header only:
//! never into a log, an error or the outbox.

use std::collections::HashMap;
use std::time::Duration;

use replique_store::{LrsRow, OutboxRow, Store, StoreError};

use super::{Facts, XAPI_VERSION, statements};

/// Rows claimed per round.
const BATCH: i64 = 20;
/// How long a claim holds: longer than a round's requests can take.
const LEASE_SECONDS: i64 = 300;
/// One request's time limit.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);
/// How often an idle sender looks for due rows.
const POLL: Duration = Duration::from_secs(5);

/// What one round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Delivery {
    /// Sessions whose statements the LRS accepted.
    pub sent: usize,
    /// Sessions given back for a later attempt.
    pub failed: usize,
}

/// Posts every due row (claimed for `holder`) now; rows that fail are given back.
pub async fn deliver_due(
    store: &Store,
    client: &reqwest::Client,
    holder: &str,
    now: i64,
) -> Result<Delivery, StoreError> {
    let mut delivery = Delivery::default();
    let mut lrs: HashMap<i64, Option<LrsRow>> = HashMap::new();
    loop {
        let rows = store.claim_xapi(holder, now, now + LEASE_SECONDS, BATCH).await?;
        if rows.is_empty() {
            return Ok(delivery);
        }
        for row in rows {
            let target = match lrs.get(&row.organisation_id) {
                Some(target) => target.clone(),
                None => {
                    let target = store.lrs(row.organisation_id).await?;
                    lrs.insert(row.organisation_id, target.clone());
                    target
                }
            };
            let outcome = match target {
                Some(target) => post(client, &target, &row).await,
                None => Err("the organisation has no LRS any more".to_owned()),
            };
            match outcome {
                Ok(()) => {
                    store.xapi_sent(row.id, holder, now).await?;
                    delivery.sent += 1;
                }
                Err(error) => {
                    tracing::warn!(
                        session_id = row.session_id,
                        organisation_id = row.organisation_id,
                        attempts = row.attempts,
                        %error,
                        "xAPI statements not delivered; they will be sent again"
                    );
                    store.xapi_failed(row.id, holder, now + backoff(row.attempts), &error).await?;
                    delivery.failed += 1;
                }
            }
        }
    }
}

/// Runs rounds until the process ends: one now, then every few seconds.
pub async fn run_sender(store: Store, holder: String) {
    let client = match reqwest::Client::builder().timeout(REQUEST_TIMEOUT).build() {
        Ok(client) => client,
        Err(e) => {
            tracing::error!(error = %e, "the xAPI sender cannot start");
            return;
        }
    };
    let mut every = tokio::time::interval(POLL);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        match deliver_due(&store, &client, &holder, crate::now()).await {
            Ok(d) if d.sent > 0 => tracing::info!(sent = d.sent, failed = d.failed, "xAPI statements delivered"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "the xAPI sender could not read its outbox"),
        }
    }
}

/// Seconds before attempt `attempts + 1`: 30 s, doubling, at most an hour.
fn backoff(attempts: i64) -> i64 {
    let doublings = u32::try_from((attempts - 1).clamp(0, 7)).unwrap_or(0);
    (30_i64 << doublings).min(3600)
}

/// Posts a row's statements; an error says why without the secret.
async fn post(client: &reqwest::Client, target: &LrsRow, row: &OutboxRow) -> Result<(), String> {
    let facts: Facts = serde_json::from_str(&row.facts_json).map_err(|e| format!("unreadable facts: {e}"))?;
    let body = statements(&facts, row.pass_mark);
    let response = client
        .post(format!("{}statements", target.endpoint))
        .basic_auth(&target.lrs_key, Some(&target.lrs_secret))
        .header("X-Experience-API-Version", XAPI_VERSION)
        .json(&body)
        .send()
        .await
        .map_err(|e| format!("LRS unreachable: {}", e.without_url()))?;
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    let detail: String = response.text().await.unwrap_or_default().chars().take(300).collect();
    Err(format!("LRS answered {status}: {detail}"))
}

#[cfg(test)]
mod tests {
    use super::backoff;

    #[test]
    fn the_backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff(1), 30);
        assert_eq!(backoff(2), 60);
        assert_eq!(backoff(5), 480);
        assert_eq!(backoff(8), 3600);
        assert_eq!(backoff(100), 3600);
    }
}
