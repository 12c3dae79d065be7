//! Passwords: argon2id (OWASP parameters: 19 MiB, 2 passes, 1 lane) into
//! PHC strings, hashed and checked off the async threads; an unknown
//! account is checked against a dummy hash, so the answer time does not
//! tell whether an account exists; random initial passwords.

use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use cuaso_domain::producer::check_password;

use crate::http::ApiError;

/// argon2id memory, KiB (OWASP: 19 MiB).
pub const ARGON2_M_KIB: u32 = 19_456;
/// argon2id passes.
pub const ARGON2_T: u32 = 2;
/// argon2id lanes.
pub const ARGON2_P: u32 = 1;

pub(super) fn argon2() -> Argon2<'static> {
    let params = Params::new(ARGON2_M_KIB, ARGON2_T, ARGON2_P, None)
        .expect("the argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The argon2id PHC string of `password`, with a fresh 16-byte salt.
pub fn hash_password(password: &str) -> String {
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt).expect("the operating system's random generator failed");
    let salt = SaltString::encode_b64(&salt).expect("16 bytes make a valid salt");
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashes any password")
        .to_string()
}

/// Whether `password` matches the PHC string `phc` (argon2id only).
pub fn verify_password(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(h) if h.algorithm.as_str() == "argon2id" => {
            argon2().verify_password(password.as_bytes(), &h).is_ok()
        }
        _ => false,
    }
}

/// A hash to check against when the account does not exist.
pub(super) fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_password("cuaso dummy password, never used"))
}

/// [`hash_password`] off the async threads.
pub async fn hash_async(password: String) -> Result<String, ApiError> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|_| ApiError::internal("password hashing failed"))
}

/// [`verify_password`] off the async threads; `None` checks the dummy hash
/// (and answers false), taking as long as a real check.
pub async fn verify_async(password: String, phc: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || match phc {
        Some(h) => verify_password(&password, &h),
        None => {
            let _ = verify_password(&password, dummy_hash());
            false
        }
    })
    .await
    .unwrap_or(false)
}

/// A random initial password: 16 characters that cannot be misread, in
/// groups of four (`ABCD-EFGH-…`, about 79 bits).
pub fn initial_password() -> String {
    loop {
        let raw = format!(
            "{}{}",
            crate::infra::random::secret(),
            crate::infra::random::secret()
        );
        let p = raw
            .as_bytes()
            .chunks(4)
            .map(|c| std::str::from_utf8(c).unwrap_or_default())
            .collect::<Vec<_>>()
            .join("-");
        if check_password("", &p).is_ok() {
            return p;
        }
    }
}

/// A random initial password that the account name does not spoil.
pub(super) fn initial_password_for(username: &str) -> String {
    let mut password = initial_password();
    while check_password(username, &password).is_err() {
        password = initial_password();
    }
    password
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_hashes_and_verifies() {
        let h = hash_password("hạt tiêu thơm cay");
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify_password("hạt tiêu thơm cay", &h));
        assert!(!verify_password("hat tieu thom cay", &h));
        assert!(!verify_password("hạt tiêu thơm cay", "not a hash"));
        // Salted: the same password hashes differently.
        assert_ne!(h, hash_password("hạt tiêu thơm cay"));
        // Another algorithm is not accepted.
        let i = h.replacen("$argon2id$", "$argon2i$", 1);
        assert!(!verify_password("hạt tiêu thơm cay", &i));
    }

    #[test]
    fn initial_passwords_pass_the_rules() {
        for _ in 0..20 {
            let p = initial_password();
            assert_eq!(p.len(), 19, "{p}");
            assert_eq!(check_password("someone", &p), Ok(()));
        }
    }
}
