//! argon2id hashing, run on the blocking pool: a hash takes tens of milliseconds by design.

use crate::error::WebError;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::RngCore;

pub async fn hash(password: &str) -> Result<String, WebError> {
    let p = password.to_string();
    tokio::task::spawn_blocking(move || {
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        let salt = SaltString::encode_b64(&bytes).expect("16 bytes is a valid salt");
        Argon2::default().hash_password(p.as_bytes(), &salt).map(|h| h.to_string())
    })
    .await
    .map_err(|e| WebError::Internal(e.to_string()))?
    .map_err(|e| WebError::Internal(e.to_string()))
}

pub async fn verify(password: &str, stored: &str) -> bool {
    let (p, s) = (password.to_string(), stored.to_string());
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&s).is_ok_and(|h| Argon2::default().verify_password(p.as_bytes(), &h).is_ok())
    })
    .await
    .unwrap_or(false)
}
