//! Session seeds: the number that makes a session reproducible. Seeds travel as JSON
//! numbers, so they stay within 2^53 − 1, exact in JavaScript.

use crate::Error;

/// The largest seed.
pub const MAX_SEED: u64 = (1 << 53) - 1;

/// The seed asked for (422 above `MAX_SEED`), or a random one.
pub fn parse(requested: Option<u64>) -> Result<u64, Error> {
    match requested {
        Some(seed) if seed > MAX_SEED => Err(Error::Unprocessable(format!(
            "La graine (seed) doit être un entier de 0 à {MAX_SEED} (2^53 − 1), exact en JavaScript."
        ))),
        Some(seed) => Ok(seed),
        None => {
            let mut bytes = [0u8; 8];
            getrandom::fill(&mut bytes).map_err(Error::internal)?;
            Ok(u64::from_le_bytes(bytes) >> 11)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_stay_exact_in_javascript() {
        assert_eq!(parse(Some(MAX_SEED)).expect("seed"), MAX_SEED);
        assert!(matches!(parse(Some(MAX_SEED + 1)), Err(Error::Unprocessable(_))));
        assert!(parse(None).expect("random") <= MAX_SEED);
    }
}
