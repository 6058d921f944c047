//! Argon2id password hashes (PHC strings), computed in memory each thread keeps.
//!
//! The `argon2` crate's own `hash_password` and `verify_password` allocate the 19 MiB of
//! a run each time; glibc then raises its mmap threshold and keeps about 100 MB per thread
//! that ever hashed. Here each thread reuses one buffer: a hashing thread costs 19 MiB,
//! for good. The strings are the standard ones (`$argon2id$v=19$m=19456,t=2,p=1$...`), so
//! hashes made before still verify.

use std::cell::RefCell;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};

use crate::Error;

/// Largest memory a stored hash may ask for (256 MiB, in 1 KiB blocks); ours use 19 MiB.
const MAX_BLOCKS: usize = 256 * 1024;

thread_local! {
    /// This thread's Argon2 memory, grown to the largest run it has done.
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Argon2id with the OWASP minimum: 19 MiB of memory, 2 passes, 1 lane.
fn params() -> Params {
    Params::new(19 * 1024, 2, 1, None).unwrap_or_default()
}

/// Runs Argon2 into `out` in this thread's memory.
fn run(argon: &Argon2<'_>, password: &[u8], salt: &[u8], out: &mut [u8]) -> Result<(), argon2::Error> {
    let blocks = argon.params().block_count();
    if blocks > MAX_BLOCKS {
        return Err(argon2::Error::MemoryTooMuch);
    }
    MEMORY.with(|memory| {
        let mut memory = memory.borrow_mut();
        if memory.len() < blocks {
            memory.resize(blocks, Block::default());
        }
        argon.hash_password_into_with_memory(password, salt, out, &mut memory[..blocks])
    })
}

/// Hashes a password (slow on purpose: the app calls it through its `HashPool`).
pub fn hash_password(password: &str) -> Result<String, Error> {
    let params = params();
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.as_salt().decode_b64(&mut salt_bytes).map_err(Error::internal)?;
    let output_len = params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN);
    let hash = Output::init_with(output_len, |out| Ok(run(&argon, password.as_bytes(), salt_bytes, out)?))
        .map_err(Error::internal)?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(Error::internal)?,
        salt: Some(salt.as_salt()),
        hash: Some(hash),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches the PHC string `hash` (compared in constant time).
pub fn verify_password(password: &str, hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else { return false };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else { return false };
    let Ok(algorithm) = Algorithm::try_from(parsed.algorithm) else { return false };
    let version = match parsed.version.map(Version::try_from).transpose() {
        Ok(version) => version.unwrap_or_default(),
        Err(_) => return false,
    };
    let Ok(params) = Params::try_from(&parsed) else { return false };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt_bytes) = salt.decode_b64(&mut salt_bytes) else { return false };
    let argon = Argon2::new(algorithm, version, params);
    let mut out = vec![0u8; expected.len()];
    run(&argon, password.as_bytes(), salt_bytes, &mut out).is_ok() && Output::new(&out).is_ok_and(|o| o == expected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::PasswordHasher;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let hash = hash_password("correct horse battery").expect("hash");
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("wrong", &hash));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn hashes_of_the_argon2_crate_verify_and_the_other_way_round() {
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params());
        let salt = SaltString::generate(&mut OsRng);
        let theirs = argon.hash_password(b"un mot de passe", &salt).expect("hash");
        assert!(verify_password("un mot de passe", &theirs.to_string()));
        let ours = hash_password("un mot de passe").expect("hash");
        let parsed = PasswordHash::new(&ours).expect("phc");
        assert!(argon2::PasswordVerifier::verify_password(&argon, b"un mot de passe", &parsed).is_ok());
    }
}
