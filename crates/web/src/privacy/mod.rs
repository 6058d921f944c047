//! GDPR and CNIL: a user's export and erasure, the audit of who read or removed what, the
//! consent confirmed at a champion upload, and the retention run. Shared by the API, the
//! pages and the binary (its daily job and `replique retention run`).

use std::path::Path;

use replique_core::retention::RetentionPolicy;
use replique_store::{AuditEntry, RetentionDays, RetentionOutcome, Store, StoreError};

use crate::auth::SessionUser;
use crate::enterprise::EnterpriseUser;
use crate::password::verify_password;
use crate::{AppState, Error, now};

mod export;

pub(crate) use export::UserExport;

/// What a manager confirms before uploading a call, stored word for word with the upload.
pub const CONSENT_TEXT: &str = "Je confirme que les personnes enregistrées dans cet appel ont été informées de l’enregistrement et de son utilisation pour former l’équipe, de sa durée de conservation et de leurs droits (accès, effacement, opposition).";

/// The refusal of an upload without that confirmation.
pub const CONSENT_MISSING: &str =
    "Confirmez que les personnes enregistrées ont été informées (case « consentement ») avant de charger l’appel.";

/// Exports made per user per hour: an export reads everything, it is not a live view.
pub const EXPORTS_PER_HOUR: i64 = 10;

/// Appends an entry to the audit log. A read that cannot be logged is refused.
pub async fn audit(state: &AppState, entry: &AuditEntry<'_>) -> Result<(), Error> {
    state.store.audit(entry, now()).await?;
    Ok(())
}

/// Records that a manager read the list of a member's sessions.
pub async fn audit_sessions_read(
    state: &AppState,
    organisation_id: i64,
    manager: i64,
    member: i64,
) -> Result<(), Error> {
    let entry = AuditEntry {
        organisation_id: Some(organisation_id),
        actor_id: Some(manager),
        subject_user_id: Some(member),
        action: "sessions_read",
        detail: "lecture de la liste des sessions d’un membre",
    };
    audit(state, &entry).await
}

/// The user's own export, as JSON bytes (audited, rate limited).
pub async fn export_own(state: &AppState, user: &SessionUser) -> Result<Vec<u8>, Error> {
    state.export_limiter.take(&state.store, &user.user.id.to_string()).await?;
    let document = export::export(state, &user.user).await?;
    let bytes = serde_json::to_vec_pretty(&document).map_err(Error::internal)?;
    let organisation_id = state.store.membership(user.user.id).await?.map(|m| m.organisation_id);
    let entry = AuditEntry {
        organisation_id,
        actor_id: Some(user.user.id),
        subject_user_id: Some(user.user.id),
        action: "export",
        detail: "export de ses propres données",
    };
    audit(state, &entry).await?;
    tracing::info!(user_id = user.user.id, "personal data exported by its owner");
    Ok(bytes)
}

/// A manager's export of a member of their organisation (anybody else: 404).
pub async fn export_member(state: &AppState, who: &EnterpriseUser, member_id: i64) -> Result<Vec<u8>, Error> {
    who.require_manager()?;
    let organisation_id = who.membership.organisation_id;
    let member = state.store.membership(member_id).await?.filter(|m| m.organisation_id == organisation_id);
    let user = match member {
        Some(_) => state.store.user_by_id(member_id).await?.ok_or(Error::NotFound)?,
        None => return Err(Error::NotFound),
    };
    state.export_limiter.take(&state.store, &who.user.user.id.to_string()).await?;
    let document = export::export(state, &user).await?;
    let bytes = serde_json::to_vec_pretty(&document).map_err(Error::internal)?;
    let entry = AuditEntry {
        organisation_id: Some(organisation_id),
        actor_id: Some(who.user.user.id),
        subject_user_id: Some(member_id),
        action: "export",
        detail: "export des données d’un membre par un manager",
    };
    audit(state, &entry).await?;
    tracing::info!(user_id = member_id, by = who.user.user.id, "personal data exported by a manager");
    Ok(bytes)
}

/// What an account without a password (opened by single sign-on) types to confirm its
/// erasure.
pub const ERASE_WORD: &str = "EFFACER";

/// Erases the user's account and personal data after checking their password: 403 when it
/// is wrong (nothing erased), with the login's rate limit. An account without a password
/// (single sign-on) confirms with `ERASE_WORD` instead. Every login session goes with the
/// account.
pub async fn erase_own(
    state: &AppState,
    user: &SessionUser,
    ip: &str,
    password: Option<&str>,
    confirmation: Option<&str>,
) -> Result<(), Error> {
    if user.user.password_hash == replique_store::NO_PASSWORD {
        if confirmation.map(str::trim) != Some(ERASE_WORD) {
            return Err(Error::Forbidden(format!(
                "Saisissez {ERASE_WORD} pour confirmer l’effacement : rien n’a été effacé."
            )));
        }
    } else {
        let password = password.ok_or_else(|| {
            Error::Unprocessable("Données invalides : le mot de passe (password) est obligatoire.".into())
        })?;
        let hashing = state.hash_pool.admit()?;
        // The same allowance as logins: the form must not become a way to guess the password.
        state.login_limiter.take(&state.store, &format!("{ip}|{}", user.user.email)).await?;
        let (password, hash) = (password.to_owned(), user.user.password_hash.clone());
        if !hashing.run(move || verify_password(&password, &hash)).await? {
            return Err(Error::Forbidden("Mot de passe incorrect : rien n’a été effacé.".into()));
        }
    }
    let id = user.user.id;
    let erased = state.store.erase_user(id, Some(id), "erasure", now()).await?.ok_or(Error::NotFound)?;
    remove_files(&state.config.data_dir, &erased.files).await;
    tracing::info!(
        user_id = id,
        sessions = erased.sessions,
        uploads = erased.uploads,
        "account erased at its owner's request"
    );
    Ok(())
}

/// Removes uploaded files by their stored names (names we made: one path component).
pub async fn remove_files(data_dir: &Path, files: &[String]) {
    let uploads = data_dir.join("uploads");
    for name in files {
        if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
            tracing::warn!(name = %name, "not a stored file name; left alone");
            continue;
        }
        match tokio::fs::remove_file(uploads.join(name)).await {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => tracing::warn!(error = %e, name = %name, "cannot remove an uploaded file"),
        }
    }
}

/// The defaults as the store takes them.
pub fn default_days() -> RetentionDays {
    days(RetentionPolicy::DEFAULT)
}

/// A policy as the store takes it.
pub fn days(policy: RetentionPolicy) -> RetentionDays {
    RetentionDays {
        recordings_days: i64::from(policy.recordings_days),
        analyses_days: i64::from(policy.analyses_days),
        inactive_days: i64::from(policy.inactive_days),
    }
}

/// Applies the retention periods now and removes the files of what went; every deletion is
/// logged (and in the audit log, by the store). `None` when another instance is running it.
/// `holder` names this runner.
pub async fn run_retention(
    store: &Store,
    data_dir: &Path,
    holder: &str,
) -> Result<Option<RetentionOutcome>, StoreError> {
    let Some(outcome) = store.run_retention(default_days(), holder, now()).await? else {
        tracing::info!("retention: another instance is running it");
        return Ok(None);
    };
    remove_files(data_dir, &outcome.files).await;
    for purge in outcome.purges.iter().filter(|p| !p.is_empty()) {
        tracing::info!(
            organisation_id = purge.organisation_id,
            transcripts = purge.transcripts,
            abandoned_sessions = purge.abandoned_sessions,
            champion_trainings = purge.champion_trainings,
            recordings = purge.recordings,
            sessions = purge.sessions,
            reports = purge.reports,
            champions = purge.champions,
            accounts = purge.accounts,
            "retention deleted"
        );
    }
    Ok(Some(outcome))
}
