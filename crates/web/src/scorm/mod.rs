//! SCORM 1.2: the package a manager exports for a skill (`package`), the signed launch
//! link it opens Réplique with, and the result its launch page reads back.
//!
//! The package holds no learner and no secret: its launch page (run by the LMS) draws a
//! random attempt id, opens `/scorm/launch?token=…&attempt=…` in a new window (Réplique
//! refuses to be framed), and polls `/api/scorm/status` with the same two values until a
//! scored session is there; then it reports `cmi.core.score.raw` and
//! `cmi.core.lesson_status` through the LMS's SCORM API.
//!
//! The token is `v1.<organisation>.<skill>.<pass mark or x>.<expiry>.<HMAC-SHA256>`, keyed
//! with a secret made once and kept in the database (`app_keys`), so every instance checks
//! it. It names the organisation and the skill, never a person: the learner still logs in
//! (password or SSO), and must belong to that organisation. The first learner to open an
//! attempt binds it (stored hashed); the status endpoint answers only for a valid token and
//! a bound attempt, with that learner's latest scored session of the skill since.

mod package;

use hmac::{Hmac, Mac};
use schemars::JsonSchema;
use serde::Serialize;
use sha2::{Digest, Sha256};

pub use package::{Package, build_package};

use crate::auth::SessionUser;
use crate::{AppState, Error, now};

/// The name of the launch links' key in `app_keys`.
const KEY_NAME: &str = "scorm_launch_v1";
/// How long a package's launch link stays valid.
pub const TOKEN_DAYS: i64 = 365;

/// What a launch link grants: opening one skill as a member of one organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaunchToken {
    pub organisation_id: i64,
    pub skill_slug: String,
    /// The mastery score: at or above it the lesson is passed, below it failed; without it
    /// a scored session is `completed`.
    pub pass_mark: Option<i64>,
    pub expires_at: i64,
}

impl LaunchToken {
    fn payload(&self) -> String {
        let pass = self.pass_mark.map_or_else(|| "x".to_owned(), |p| p.to_string());
        format!("v1.{}.{}.{pass}.{}", self.organisation_id, self.skill_slug, self.expires_at)
    }

    /// The token, signed with `key`.
    pub fn sign(&self, key: &[u8]) -> Result<String, Error> {
        let payload = self.payload();
        Ok(format!("{payload}.{}", crate::token::hex(&mac(key, &payload)?)))
    }

    /// Reads a token signed with `key`, still valid at `now`.
    pub fn verify(token: &str, key: &[u8], now: i64) -> Result<LaunchToken, Error> {
        let refused = || Error::Forbidden(INVALID_LINK.into());
        let (payload, signature) = token.rsplit_once('.').ok_or_else(refused)?;
        let signature = unhex(signature).ok_or_else(refused)?;
        let mut check = Hmac::<Sha256>::new_from_slice(key).map_err(Error::internal)?;
        check.update(payload.as_bytes());
        check.verify_slice(&signature).map_err(|_| refused())?;
        let parts: Vec<&str> = payload.split('.').collect();
        let [version, org, skill, pass, expires] = parts.as_slice() else { return Err(refused()) };
        let parsed = LaunchToken {
            organisation_id: org.parse().map_err(|_| refused())?,
            skill_slug: (*skill).to_owned(),
            pass_mark: if *pass == "x" { None } else { Some(pass.parse().map_err(|_| refused())?) },
            expires_at: expires.parse().map_err(|_| refused())?,
        };
        if *version != "v1" {
            return Err(refused());
        }
        if parsed.expires_at < now {
            return Err(Error::Forbidden(EXPIRED_LINK.into()));
        }
        Ok(parsed)
    }
}

const INVALID_LINK: &str =
    "Lien de lancement SCORM invalide : demandez à votre responsable de formation le module à jour.";
const EXPIRED_LINK: &str =
    "Ce module SCORM a expiré : demandez à votre responsable de formation de l’exporter à nouveau depuis Réplique.";

fn mac(key: &[u8], payload: &str) -> Result<Vec<u8>, Error> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).map_err(Error::internal)?;
    mac.update(payload.as_bytes());
    Ok(mac.finalize().into_bytes().to_vec())
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect()
}

/// The key of the launch links, shared by every instance (made on first use).
async fn launch_key(state: &AppState) -> Result<Vec<u8>, Error> {
    let candidate = crate::token::random_token()?;
    Ok(state.store.app_key(KEY_NAME, &candidate, now()).await?.into_bytes())
}

/// An attempt id as the launch page draws it (128 random bits, hex), hashed for storage.
fn attempt_hash(attempt: &str) -> Result<String, Error> {
    if attempt.len() != 32 || !attempt.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return Err(Error::Unprocessable("Identifiant de tentative SCORM invalide (32 chiffres hexadécimaux).".into()));
    }
    Ok(crate::token::hex(&Sha256::digest(attempt.as_bytes())))
}

/// The package of `file` (`<skill>.zip`) for a manager's organisation.
pub async fn export(
    state: &AppState,
    organisation_id: i64,
    file: &str,
    pass_mark: Option<i64>,
) -> Result<Package, Error> {
    let slug = file.strip_suffix(".zip").ok_or(Error::NotFound)?;
    let skill = state.catalog.skill(slug).ok_or(Error::NotFound)?;
    if pass_mark.is_some_and(|p| !(0..=100).contains(&p)) {
        return Err(Error::Unprocessable("Le seuil de réussite (pass_mark) va de 0 à 100.".into()));
    }
    let token = LaunchToken {
        organisation_id,
        skill_slug: skill.slug.clone(),
        pass_mark,
        expires_at: now() + TOKEN_DAYS * 86_400,
    };
    let signed = token.sign(&launch_key(state).await?)?;
    build_package(state.config.public_base(), &skill.slug, &skill.title, &signed, pass_mark)
}

/// Binds `attempt` to `user` (who must belong to the token's organisation); the page to go
/// to next: the skill's, where the session starts.
pub async fn launch(state: &AppState, user: &SessionUser, token: &str, attempt: &str) -> Result<String, Error> {
    let token = LaunchToken::verify(token, &launch_key(state).await?, now())?;
    let hash = attempt_hash(attempt)?;
    let member = state.store.membership(user.user.id).await?;
    if member.is_none_or(|m| m.organisation_id != token.organisation_id) {
        return Err(Error::Forbidden(
            "Ce module SCORM est celui d’une autre organisation : connectez-vous avec le compte Réplique de votre entreprise."
                .into(),
        ));
    }
    let attempt = replique_store::ScormAttempt {
        organisation_id: token.organisation_id,
        user_id: user.user.id,
        skill_slug: token.skill_slug.clone(),
        created_at: now(),
    };
    if !state.store.bind_scorm_attempt(&hash, &attempt).await? {
        return Err(Error::Conflict("Cette tentative SCORM a été ouverte par un autre compte.".into()));
    }
    Ok(format!("/skills/{}", token.skill_slug))
}

/// What the launch page reports to the LMS.
#[derive(Debug, Serialize, JsonSchema, PartialEq, Eq)]
pub struct LaunchStatus {
    /// `cmi.core.lesson_status`: `not attempted` (Réplique not opened yet), `incomplete`
    /// (no scored session yet), then `passed`/`failed` against the package's mastery score,
    /// or `completed` when it has none.
    pub lesson_status: &'static str,
    /// `cmi.core.score.raw` (0 to 100) once a session is scored.
    pub score: Option<i64>,
}

/// The result of attempt `attempt` opened with `token`.
pub async fn status(state: &AppState, token: &str, attempt: &str) -> Result<LaunchStatus, Error> {
    let token = LaunchToken::verify(token, &launch_key(state).await?, now())?;
    let hash = attempt_hash(attempt)?;
    let Some(bound) = state.store.scorm_attempt(&hash).await? else {
        return Ok(LaunchStatus { lesson_status: "not attempted", score: None });
    };
    if bound.organisation_id != token.organisation_id || bound.skill_slug != token.skill_slug {
        return Err(Error::NotFound);
    }
    let score = state.store.latest_score_since(bound.user_id, &bound.skill_slug, bound.created_at).await?;
    let lesson_status = match (score, token.pass_mark) {
        (None, _) => "incomplete",
        (Some(score), Some(mark)) if score >= mark => "passed",
        (Some(_), Some(_)) => "failed",
        (Some(_), None) => "completed",
    };
    Ok(LaunchStatus { lesson_status, score })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token() -> LaunchToken {
        LaunchToken { organisation_id: 7, skill_slug: "ecoute_active".into(), pass_mark: Some(60), expires_at: 2_000 }
    }

    #[test]
    fn a_signed_token_reads_back_until_it_expires() {
        let signed = token().sign(b"clef").unwrap();
        assert!(signed.starts_with("v1.7.ecoute_active.60.2000."), "{signed}");
        assert_eq!(LaunchToken::verify(&signed, b"clef", 1_999).unwrap(), token());
        assert!(matches!(LaunchToken::verify(&signed, b"clef", 2_001), Err(Error::Forbidden(m)) if m == EXPIRED_LINK));
        let free = LaunchToken { pass_mark: None, ..token() }.sign(b"clef").unwrap();
        assert_eq!(LaunchToken::verify(&free, b"clef", 0).unwrap().pass_mark, None);
    }

    #[test]
    fn a_forged_or_damaged_token_is_refused() {
        let signed = token().sign(b"clef").unwrap();
        assert!(LaunchToken::verify(&signed, b"autre", 0).is_err());
        let other_org = signed.replacen("v1.7.", "v1.8.", 1);
        assert!(LaunchToken::verify(&other_org, b"clef", 0).is_err());
        let later = signed.replacen(".2000.", ".9000.", 1);
        assert!(LaunchToken::verify(&later, b"clef", 0).is_err());
        for bad in ["", ".", "v1.7", "abc.zz", &signed[..signed.len() - 1]] {
            assert!(LaunchToken::verify(bad, b"clef", 0).is_err(), "{bad}");
        }
    }

    #[test]
    fn attempts_are_128_bit_hex() {
        assert_eq!(attempt_hash("0123456789abcdef0123456789abcdef").unwrap().len(), 64);
        for bad in ["", "0123", "0123456789ABCDEF0123456789ABCDEF", "0123456789abcdef0123456789abcdeg"] {
            assert!(attempt_hash(bad).is_err(), "{bad}");
        }
    }
}
