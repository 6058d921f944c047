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

/// `aud` is an array of strings or a string (jsonwebtoken checks that it names this
/// client; only the count matters here). The array first: `One` takes anything.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Audience {
    Many(Vec<String>),
    One(serde::de::IgnoredAny),
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

#[cfg(test)]
mod tests {
    use base64::Engine;
    use ring::signature::{Ed25519KeyPair, KeyPair};
    use serde_json::{Value, json};

    use super::*;

    const ISSUER: &str = "https://idp.acme.fr";

    fn b64(bytes: &[u8]) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    }

    fn key() -> Ed25519KeyPair {
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&ring::rand::SystemRandom::new()).expect("key");
        Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).expect("pair")
    }

    fn jwks(key: &Ed25519KeyPair) -> JwkSet {
        keys(&json!({"keys": [
            {"kty": "OKP", "crv": "Ed25519", "x": b64(key.public_key().as_ref()), "kid": "k1", "use": "sig"},
            {"kty": "RSA", "n": "AQAB", "e": "AQAB", "kid": "enc", "use": "enc"},
            {"kty": "weird"}
        ]}))
    }

    fn claims() -> Value {
        json!({"iss": ISSUER, "aud": "replique", "sub": "alice", "iat": 0, "exp": 0, "nonce": "n-1",
               "email": "alice@acme.fr", "email_verified": "false", "given_name": "Alice", "family_name": "Martin"})
    }

    fn sign(key: &Ed25519KeyPair, header: &Value, claims: &Value) -> String {
        let message = format!("{}.{}", b64(header.to_string().as_bytes()), b64(claims.to_string().as_bytes()));
        format!("{message}.{}", b64(key.sign(message.as_bytes()).as_ref()))
    }

    /// The library compares `exp` with the real clock: tokens are made around it.
    fn now() -> i64 {
        i64::try_from(jsonwebtoken::get_current_timestamp()).expect("now")
    }

    fn check(token: &str, keys: &JwkSet) -> Result<Claims, Rejected> {
        verify(token, keys, ISSUER, "replique", "n-1", now())
    }

    fn at_now(mut c: Value) -> Value {
        c["iat"] = json!(now());
        c["exp"] = json!(now() + 300);
        c
    }

    #[test]
    fn a_token_signed_by_a_published_key_for_this_client_passes() {
        let key = key();
        let header = json!({"alg": "EdDSA", "kid": "k1"});
        let verified = check(&sign(&key, &header, &at_now(claims())), &jwks(&key)).expect("valid");
        assert_eq!(verified.sub, "alice");
        assert!(verified.profile.email_unverified(), "a string false counts");
        assert_eq!(verified.profile.display_name().as_deref(), Some("Alice Martin"));
        // Without a kid, the one key that fits.
        let no_kid = json!({"alg": "EdDSA"});
        assert!(check(&sign(&key, &no_kid, &at_now(claims())), &jwks(&key)).is_ok());
    }

    #[test]
    fn every_wrong_claim_is_refused_for_its_reason() {
        let key = key();
        let keys = jwks(&key);
        let header = json!({"alg": "EdDSA", "kid": "k1"});
        let with = |field: &str, value: Value| {
            let mut c = at_now(claims());
            c[field] = value;
            sign(&key, &header, &c)
        };
        assert_eq!(check(&with("aud", json!("autre")), &keys).err(), Some(Rejected::Audience));
        assert_eq!(check(&with("aud", json!(["replique", "autre"])), &keys).err(), Some(Rejected::Audience), "no azp");
        assert!(check(&with("azp", json!("replique")), &keys).is_ok());
        assert_eq!(check(&with("azp", json!("autre")), &keys).err(), Some(Rejected::Audience));
        assert_eq!(check(&with("iss", json!("https://evil.fr")), &keys).err(), Some(Rejected::Issuer));
        assert_eq!(check(&with("nonce", json!("n-2")), &keys).err(), Some(Rejected::Nonce));
        let mut no_nonce = at_now(claims());
        no_nonce.as_object_mut().expect("object").remove("nonce");
        assert_eq!(check(&sign(&key, &header, &no_nonce), &keys).err(), Some(Rejected::Nonce));
        assert_eq!(check(&with("exp", json!(1_000)), &keys).err(), Some(Rejected::Expired));
        assert_eq!(check(&with("exp", json!("demain")), &keys).err(), Some(Rejected::Malformed), "a string exp");
        assert_eq!(check(&with("iat", json!(4_000_000_000_i64)), &keys).err(), Some(Rejected::NotYetValid));
    }

    #[test]
    fn forged_and_unsigned_tokens_are_refused() {
        let (key, other) = (key(), key());
        let keys = jwks(&key);
        let header = json!({"alg": "EdDSA", "kid": "k1"});
        let forged = sign(&other, &header, &at_now(claims()));
        assert_eq!(check(&forged, &keys).err(), Some(Rejected::Signature));
        let unknown = sign(&key, &json!({"alg": "EdDSA", "kid": "k9"}), &at_now(claims()));
        assert_eq!(check(&unknown, &keys).err(), Some(Rejected::UnknownKey));
        let hmac = sign(&key, &json!({"alg": "HS256", "kid": "k1"}), &at_now(claims()));
        assert_eq!(check(&hmac, &keys).err(), Some(Rejected::Algorithm));
        let none = format!("{}.{}.", b64(br#"{"alg":"none"}"#), b64(at_now(claims()).to_string().as_bytes()));
        assert!(check(&none, &keys).is_err());
        let rsa_claimed = sign(&key, &json!({"alg": "RS256", "kid": "k1"}), &at_now(claims()));
        assert_eq!(check(&rsa_claimed, &keys).err(), Some(Rejected::UnknownKey), "the key's type decides");
        assert_eq!(check("pas.un.jeton", &keys).err(), Some(Rejected::Malformed));
    }
}
