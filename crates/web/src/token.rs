//! Random tokens and hex: login sessions, CSRF tokens, stored file names. A leaf, used by
//! `auth`, `csrf` and the uploads alike.

use crate::Error;

/// A fresh random token: 256 bits, hex.
pub fn random_token() -> Result<String, Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(Error::internal)?;
    Ok(hex(&bytes))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
