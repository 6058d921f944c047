//! `replique org set-lrs`: an organisation's Learning Record Store, checked before it is
//! stored (the sender of `serve` posts the statements there).

use anyhow::{Context, Result, bail};
use replique_store::Store;

use crate::time_now;

/// Longest key or secret accepted (an LRS's are far shorter).
const MAX_CREDENTIAL: usize = 512;

/// Stores `org`'s LRS; says where the statements will go, never the secret.
pub async fn set_lrs(store: &Store, org: &str, endpoint: &str, key: &str, secret: &str) -> Result<()> {
    let endpoint = replique_web::xapi::parse_endpoint(endpoint).map_err(anyhow::Error::msg)?;
    let (key, secret) = (key.trim(), secret.trim());
    if key.is_empty() || secret.is_empty() {
        bail!("the LRS key and secret must not be empty");
    }
    if key.len() > MAX_CREDENTIAL || secret.len() > MAX_CREDENTIAL || key.contains(':') {
        bail!("the LRS key (without ':') and secret have at most {MAX_CREDENTIAL} bytes");
    }
    let org_id = store.organisation_id(org.trim()).await?.with_context(|| format!("no organisation named {org:?}"))?;
    store.set_lrs(org_id, &endpoint, key, secret, time_now()).await?;
    say!("Les résultats de {} seront envoyés au LRS {endpoint}statements (clé {key}).", org.trim());
    Ok(())
}
