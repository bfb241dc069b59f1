//! Who is asking: session cookie (with CSRF token on mutations) or `Authorization: Bearer` API token; roles.
//! Passwords are hashed with argon2id.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::http::{HeaderMap, Method, header};

use crate::store::{Role, Store, StoreError, User};

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "rumbo_session";
/// Set and cleared with the session cookie, but readable by the page (it holds no secret): the app asks
/// `/api/me` who is signed in only when it is there, so a visitor's page load makes no request that fails.
pub const SIGNED_IN_COOKIE: &str = shared::api::SIGNED_IN_COOKIE;
/// Header carrying the CSRF token on cookie-authenticated mutations.
pub const CSRF_HEADER: &str = shared::api::CSRF_HEADER;

/// The shortest password accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 10;

pub fn hash_password(password: &str) -> Result<String, String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(
            "la contraseña debe tener al menos 10 caracteres / the password must have at least 10 characters".into()
        );
    }
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| e.to_string())?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| e.to_string())
}

/// A hash of a random password, verified against when the account does not exist, so that an unknown username
/// takes as long to refuse as a wrong password.
pub fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        let mut random = [0u8; 24];
        let _ = getrandom::fill(&mut random);
        hash_password(&crate::snapshots::hex(&random)).unwrap_or_default()
    })
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// Why a request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// No valid credentials (401).
    Anonymous,
    /// A session cookie that names no live session: it expired or was ended (401, "sign in again").
    Expired,
    /// Authenticated but the role may not do this (403).
    Forbidden,
    /// Cookie session without a matching CSRF token (403).
    Csrf,
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|c| {
        let (k, v) = c.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

/// The caller, if any. Mutations through a cookie session must carry the session's CSRF token.
pub fn caller(store: &Store, method: &Method, headers: &HeaderMap) -> Result<Option<User>, StoreError> {
    if let Some(token) = bearer(headers) {
        return store.token_user(token.trim());
    }
    let Some(token) = cookie(headers, SESSION_COOKIE) else { return Ok(None) };
    let Some((user, csrf)) = store.session_user(token)? else { return Ok(None) };
    let safe = matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    let sent = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
    if !safe && sent != Some(csrf.as_str()) {
        return Err(StoreError::Conflict { es: "csrf".into(), en: "csrf".into() });
    }
    Ok(Some(user))
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "))
}

/// Requires a role at least `min`.
pub fn require(store: &Store, method: &Method, headers: &HeaderMap, min: Role) -> Result<User, Denied> {
    match caller(store, method, headers) {
        Ok(Some(user)) if user.role >= min => Ok(user),
        Ok(Some(_)) => Err(Denied::Forbidden),
        Err(StoreError::Conflict { .. }) => Err(Denied::Csrf),
        Ok(None) if bearer(headers).is_none() && session_token(headers).is_some() => Err(Denied::Expired),
        Ok(None) | Err(_) => Err(Denied::Anonymous),
    }
}

/// The session token from the cookie, for logout.
pub fn session_token(headers: &HeaderMap) -> Option<&str> {
    cookie(headers, SESSION_COOKIE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_and_verify() {
        let h = hash_password("correct horse battery").expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("wrong horse battery", &h));
        assert!(hash_password("short").is_err());
    }
}
