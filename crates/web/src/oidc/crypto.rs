//! The signatures of ID tokens, checked with ring (the crypto rustls already brings) behind
//! jsonwebtoken's `CryptoProvider`: RS256/384/512, PS256/384/512, ES256/384 and EdDSA.
//! Verifying only: this app signs no token, and HMAC (a key shared with the client) is
//! refused, an ID token must be signed with one of the provider's published keys.

use jsonwebtoken::crypto::{CryptoProvider, JwtSigner, JwtVerifier, KeyUtils};
use jsonwebtoken::errors::{ErrorKind, Result, new_error};
use jsonwebtoken::jwk::ThumbprintHash;
use jsonwebtoken::signature::{Error as SignatureError, Verifier};
use jsonwebtoken::{Algorithm, DecodingKey, DecodingKeyKind, EncodingKey};
use ring::signature as ring_sig;

/// Installs the provider for the process (once; later calls keep the first).
pub fn install() {
    // Only fails when a provider is already installed, which is the same one.
    let _ = PROVIDER.install_default();
}

static PROVIDER: CryptoProvider = CryptoProvider {
    signer_factory: no_signer,
    verifier_factory: verifier,
    key_utils: KeyUtils {
        rsa_pub_components_from_private_key: |_| Err(new_error(ErrorKind::InvalidKeyFormat)),
        rsa_pub_components_from_public_key: |_| Err(new_error(ErrorKind::InvalidKeyFormat)),
        ec_pub_components_from_private_key: |_, _| Err(new_error(ErrorKind::InvalidKeyFormat)),
        ed_pub_components_from_private_key: |_, _| Err(new_error(ErrorKind::InvalidKeyFormat)),
        compute_digest: digest,
    },
};

fn no_signer(_: &Algorithm, _: &EncodingKey) -> Result<Box<dyn JwtSigner>> {
    Err(new_error(ErrorKind::UnsupportedAlgorithm))
}

fn digest(data: &[u8], hash: ThumbprintHash) -> Result<Vec<u8>> {
    let algorithm = match hash {
        ThumbprintHash::SHA256 => &ring::digest::SHA256,
        ThumbprintHash::SHA384 => &ring::digest::SHA384,
        ThumbprintHash::SHA512 => &ring::digest::SHA512,
        _ => return Err(new_error(ErrorKind::UnsupportedAlgorithm)),
    };
    Ok(ring::digest::digest(algorithm, data).as_ref().to_vec())
}

/// A public key and the ring algorithm that checks signatures with it.
struct RingVerifier {
    algorithm: Algorithm,
    key: Key,
}

enum Key {
    /// RSA modulus and exponent (big-endian), from a JWK.
    Rsa { n: Vec<u8>, e: Vec<u8>, params: &'static ring_sig::RsaParameters },
    /// An EC point or an Ed25519 key, as ring reads them.
    Raw { bytes: Vec<u8>, params: &'static dyn ring_sig::VerificationAlgorithm },
}

impl Verifier<Vec<u8>> for RingVerifier {
    fn verify(&self, msg: &[u8], signature: &Vec<u8>) -> std::result::Result<(), SignatureError> {
        let checked = match &self.key {
            Key::Rsa { n, e, params } => ring_sig::RsaPublicKeyComponents { n, e }.verify(params, msg, signature),
            Key::Raw { bytes, params } => ring_sig::UnparsedPublicKey::new(*params, bytes).verify(msg, signature),
        };
        checked.map_err(|_| SignatureError::new())
    }
}

impl JwtVerifier for RingVerifier {
    fn algorithm(&self) -> Algorithm {
        self.algorithm
    }
}

fn verifier(algorithm: &Algorithm, key: &DecodingKey) -> Result<Box<dyn JwtVerifier>> {
    let rsa = |params: &'static ring_sig::RsaParameters| match key.kind() {
        DecodingKeyKind::RsaModulusExponent { n, e } => Ok(Key::Rsa { n: n.clone(), e: e.clone(), params }),
        DecodingKeyKind::SecretOrDer(_) => Err(new_error(ErrorKind::InvalidKeyFormat)),
    };
    let raw = |params: &'static dyn ring_sig::VerificationAlgorithm| match key.kind() {
        DecodingKeyKind::SecretOrDer(bytes) => Ok(Key::Raw { bytes: bytes.clone(), params }),
        DecodingKeyKind::RsaModulusExponent { .. } => Err(new_error(ErrorKind::InvalidKeyFormat)),
    };
    let key = match algorithm {
        Algorithm::RS256 => rsa(&ring_sig::RSA_PKCS1_2048_8192_SHA256)?,
        Algorithm::RS384 => rsa(&ring_sig::RSA_PKCS1_2048_8192_SHA384)?,
        Algorithm::RS512 => rsa(&ring_sig::RSA_PKCS1_2048_8192_SHA512)?,
        Algorithm::PS256 => rsa(&ring_sig::RSA_PSS_2048_8192_SHA256)?,
        Algorithm::PS384 => rsa(&ring_sig::RSA_PSS_2048_8192_SHA384)?,
        Algorithm::PS512 => rsa(&ring_sig::RSA_PSS_2048_8192_SHA512)?,
        Algorithm::ES256 => raw(&ring_sig::ECDSA_P256_SHA256_FIXED)?,
        Algorithm::ES384 => raw(&ring_sig::ECDSA_P384_SHA384_FIXED)?,
        Algorithm::EdDSA => raw(&ring_sig::ED25519)?,
        // HMAC (HS256…) and whatever jsonwebtoken adds later.
        _ => return Err(new_error(ErrorKind::InvalidAlgorithm)),
    };
    Ok(Box::new(RingVerifier { algorithm: *algorithm, key }))
}
