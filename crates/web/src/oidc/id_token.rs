//! The ID token's checks (OpenID Connect Core 1.0, §3.1.3.7): signed by one of the
//! provider's published keys with an asymmetric algorithm, issued by the configured issuer,
//! for this client (`aud`, and `azp` when there are several audiences), not expired, and
//! carrying the nonce this login sent.

use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use serde::Deserialize;

use super::crypto;

/// Seconds of clock difference allowed with the provider on `exp`, `nbf` and `iat`.
pub const LEEWAY_SECONDS: u64 = 60;

/// Why a token was refused (logged; the person sees a French sentence for each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejected {
    Malformed,
    /// An algorithm outside the asymmetric ones (`none`, HMAC…).
    Algorithm,
    /// No published key matches the token's `kid`.
    UnknownKey,
    Signature,
    Issuer,
    Audience,
    Expired,
    NotYetValid,
    Nonce,
}

/// Asymmetric algorithms only: a token signed with a shared secret is refused.
const ALGORITHMS: [Algorithm; 9] = [
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::EdDSA,
];

/// `aud` is a string or an array of strings.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Audience {
    One(serde::de::IgnoredAny),
    Many(Vec<String>),
}

/// The claims this app reads.
#[derive(Debug, Deserialize)]
pub struct Claims {
    pub sub: String,
    aud: Audience,
    #[serde(default)]
    azp: Option<String>,
    #[serde(default)]
    nonce: Option<String>,
    iat: i64,
    #[serde(flatten)]
    pub profile: Profile,
}

/// Who the person is, from the ID token or the userinfo endpoint.
#[derive(Debug, Default, Deserialize)]
pub struct Profile {
    #[serde(default)]
    pub email: Option<String>,
    /// A boolean, or the string some providers send.
    #[serde(default)]
    email_verified: Option<serde_json::Value>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    given_name: Option<String>,
    #[serde(default)]
    family_name: Option<String>,
}

impl Profile {
    /// Whether the provider says the address is *not* verified (absent: not said).
    pub fn email_unverified(&self) -> bool {
        matches!(&self.email_verified, Some(serde_json::Value::Bool(false)))
            || matches!(&self.email_verified, Some(serde_json::Value::String(s)) if s == "false")
    }

    /// `name`, else the given and family names, if any.
    pub fn display_name(&self) -> Option<String> {
        let joined = [self.given_name.as_deref(), self.family_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        self.name.clone().filter(|n| !n.trim().is_empty()).or_else(|| (!joined.trim().is_empty()).then_some(joined))
    }
}

/// The keys of a JWKS document: those jsonwebtoken reads; others (encryption keys, unknown
/// types) are skipped rather than failing the set.
pub fn keys(document: &serde_json::Value) -> JwkSet {
    let keys = document
        .get("keys")
        .and_then(serde_json::Value::as_array)
        .map(|keys| keys.iter().filter_map(|k| serde_json::from_value::<Jwk>(k.clone()).ok()).collect())
        .unwrap_or_default();
    JwkSet { keys }
}

/// Verifies `token` and returns its claims.
pub fn verify(
    token: &str,
    jwks: &JwkSet,
    issuer: &str,
    client_id: &str,
    nonce: &str,
    now: i64,
) -> Result<Claims, Rejected> {
    crypto::install();
    let header = decode_header(token).map_err(|_| Rejected::Malformed)?;
    if !ALGORITHMS.contains(&header.alg) {
        return Err(Rejected::Algorithm);
    }
    let jwk = match &header.kid {
        Some(kid) => jwks.find(kid),
        // Without a `kid`, the one key that can check this algorithm, if there is one.
        None => {
            let mut fitting = jwks.keys.iter().filter(|k| key_fits(k, header.alg));
            match (fitting.next(), fitting.next()) {
                (Some(key), None) => Some(key),
                _ => None,
            }
        }
    };
    let jwk = jwk.filter(|k| key_fits(k, header.alg)).ok_or(Rejected::UnknownKey)?;
    let key = DecodingKey::from_jwk(jwk).map_err(|_| Rejected::UnknownKey)?;
    let mut validation = Validation::new(header.alg);
    validation.set_issuer(&[issuer]);
    validation.set_audience(&[client_id]);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    validation.leeway = LEEWAY_SECONDS;
    validation.validate_nbf = true;
    let claims = decode::<Claims>(token, &key, &validation)
        .map_err(|e| {
            use jsonwebtoken::errors::ErrorKind as K;
            match e.kind() {
                K::InvalidSignature | K::InvalidAlgorithm | K::InvalidKeyFormat => Rejected::Signature,
                K::InvalidIssuer => Rejected::Issuer,
                K::InvalidAudience => Rejected::Audience,
                K::ExpiredSignature => Rejected::Expired,
                K::ImmatureSignature => Rejected::NotYetValid,
                _ => Rejected::Malformed,
            }
        })?
        .claims;
    let leeway = i64::try_from(LEEWAY_SECONDS).unwrap_or(60);
    if claims.iat > now + leeway {
        return Err(Rejected::NotYetValid);
    }
    let several = matches!(&claims.aud, Audience::Many(all) if all.len() > 1);
    if (several || claims.azp.is_some()) && claims.azp.as_deref() != Some(client_id) {
        return Err(Rejected::Audience);
    }
    // The nonce is no secret (it travels in the token): a plain comparison.
    if claims.nonce.as_deref() != Some(nonce) {
        return Err(Rejected::Nonce);
    }
    Ok(claims)
}

/// Whether a published key may check a signature of `alg`: its type matches, it is for
/// signing (or says nothing), and if it names an algorithm, that one.
fn key_fits(key: &Jwk, alg: Algorithm) -> bool {
    use jsonwebtoken::jwk::{AlgorithmParameters, PublicKeyUse};
    let family_ok = match &key.algorithm {
        AlgorithmParameters::RSA(_) => {
            matches!(
                alg,
                Algorithm::RS256
                    | Algorithm::RS384
                    | Algorithm::RS512
                    | Algorithm::PS256
                    | Algorithm::PS384
                    | Algorithm::PS512
            )
        }
        AlgorithmParameters::EllipticCurve(_) => matches!(alg, Algorithm::ES256 | Algorithm::ES384),
        AlgorithmParameters::OctetKeyPair(_) => alg == Algorithm::EdDSA,
        _ => false,
    };
    let use_ok = !matches!(key.common.public_key_use, Some(PublicKeyUse::Encryption));
    let alg_ok =
        key.common.key_algorithm.is_none_or(|named| named.to_string().parse::<Algorithm>().is_ok_and(|a| a == alg));
    family_ok && use_ok && alg_ok
}
