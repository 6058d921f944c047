//! `replique retention run` (apply the retention periods now and say what went) and
//! `replique org set-retention` (an organisation's periods, within the CNIL's guidance).

use std::path::Path;

use anyhow::{Context, Result};
use replique_core::retention::RetentionPolicy;
use replique_store::{RetentionDays, Store};

use crate::time_now;

/// Sets the periods of `org`; the inactive accounts' period stays what it was unless given.
pub async fn set(store: &Store, org: &str, recordings: i64, analyses: i64, inactive: Option<i64>) -> Result<()> {
    let org_id = store.organisation_id(org.trim()).await?.with_context(|| format!("no organisation named {org:?}"))?;
    let current = store.retention(org_id).await?;
    let inactive =
        inactive.or(current.map(|d| d.inactive_days)).unwrap_or(i64::from(RetentionPolicy::DEFAULT.inactive_days));
    let policy = RetentionPolicy::parse(recordings, analyses, inactive).map_err(anyhow::Error::msg)?;
    let days = RetentionDays {
        recordings_days: i64::from(policy.recordings_days),
        analyses_days: i64::from(policy.analyses_days),
        inactive_days: i64::from(policy.inactive_days),
    };
    store.set_retention(org_id, days, time_now()).await?;
    say!(
        "Conservation pour {} : enregistrements et transcriptions {} jours, analyses et rapports {} jours, comptes inactifs {} jours.",
        org.trim(),
        policy.recordings_days,
        policy.analyses_days,
        policy.inactive_days
    );
    Ok(())
}

/// Applies the retention periods now, as the server's daily job does, and prints what went.
pub async fn run(store: &Store, data_dir: &Path) -> Result<()> {
    let holder = format!("cli-{}-{}", std::process::id(), time_now());
    let Some(outcome) = replique_web::run_retention(store, data_dir, &holder).await? else {
        say!("Une autre instance applique déjà les durées de conservation : rien n’a été fait.");
        return Ok(());
    };
    let mut deleted = false;
    for purge in outcome.purges.iter().filter(|p| !p.is_empty()) {
        deleted = true;
        let who = purge.organisation.as_deref().unwrap_or("(comptes sans organisation)");
        say!("{who} : {}", purge.detail());
    }
    if deleted {
        say!("{} fichier(s) d’appel supprimé(s).", outcome.files.len());
    } else {
        say!("Rien à supprimer : aucune donnée n’a dépassé sa durée de conservation.");
    }
    Ok(())
}
