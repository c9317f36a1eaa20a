//! Random secrets (session ids, API tokens, generated passwords) and how they are stored: only a
//! SHA-256 digest. The secrets carry 256 bits of entropy, so a fast hash suffices (unlike
//! passwords, which get argon2id).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};

/// A fresh random secret, URL-safe, with `prefix` so a leaked one is recognisable (e.g. in logs or
/// secret scanners).
pub fn new_secret(prefix: &str) -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes)))
}

/// A random password for the first owner: 24 URL-safe characters.
pub fn new_password() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 18];
    getrandom::fill(&mut bytes)?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// Hex SHA-256 of a secret, the form it is stored and looked up in.
pub fn digest(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_prefixed_random_and_stored_as_digests() {
        let a = new_secret("byoc_").unwrap();
        let b = new_secret("byoc_").unwrap();
        assert!(a.starts_with("byoc_") && a.len() > 40);
        assert_ne!(a, b);
        assert_eq!(digest(&a).len(), 64);
        assert_ne!(digest(&a), digest(&b));
        assert_eq!(digest("x"), digest("x"));
    }
}
