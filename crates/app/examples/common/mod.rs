//! What the load clients share (`turn_load`, `learner_load`, `idle_sockets`): the lines a
//! learner says, the clock, and the sign-up of the account that plays.

use anyhow::{Context, Result, bail};
use serde_json::json;

/// What a learner says, in turn; never a goodbye, so a session lasts until the template's
/// `max_exchanges` or the prospect leaves.
#[allow(dead_code)] // idle_sockets says nothing
pub const LINES: &[&str] = &[
    "Bonjour, merci de prendre ce temps. Comment est organisée votre équipe aujourd’hui ?",
    "D’accord. Et quels outils utilisez-vous aujourd’hui pour vos suivis ?",
    "Si je comprends bien, tout repose sur quelques personnes. Qu’est-ce qui vous pose le plus de problèmes ?",
    "Je comprends. Quelles conséquences cela a-t-il pour vous concrètement ?",
    "Et comment mesurez-vous cela aujourd’hui, avec quels chiffres ?",
    "Qui d’autre est concerné par ce sujet dans votre entreprise ?",
    "Qu’avez-vous déjà essayé pour régler ce point ?",
    "Qu’est-ce qui serait le plus important pour vous dans une solution ?",
];

/// Milliseconds since the epoch (unique enough for a throwaway account's address).
pub fn now_ms() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis())
}

/// Signs up a fresh account (`prefix-pid-ms@exemple.fr`) with `client`, whose cookie store
/// keeps its session.
pub async fn sign_up(client: &reqwest::Client, base: &str, prefix: &str) -> Result<()> {
    let email = format!("{prefix}-{}-{}@exemple.fr", std::process::id(), now_ms());
    let response = client
        .post(format!("{base}/api/auth/register"))
        .json(&json!({"email": email, "password": "motdepasse-solide", "name": "Banc d’essai"}))
        .send()
        .await
        .context("cannot reach the server")?;
    if response.status() != 201 {
        bail!("sign-up refused: {} {}", response.status(), response.text().await.unwrap_or_default());
    }
    Ok(())
}
