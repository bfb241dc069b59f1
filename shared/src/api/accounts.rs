//! The bodies of signing in, accounts, API tokens and the audit log.

use serde::{Deserialize, Serialize};

use crate::Label;

/// Roles, from least to most powerful (`viewer < analyst < admin`); their codes are the JSON values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Viewer,
    Analyst,
    Admin,
}

impl Role {
    pub const ALL: [Self; 3] = [Self::Viewer, Self::Analyst, Self::Admin];

    pub const fn code(self) -> &'static str {
        match self {
            Self::Viewer => "viewer",
            Self::Analyst => "analyst",
            Self::Admin => "admin",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    pub const fn label(self) -> Label {
        match self {
            Self::Viewer => Label { es: "lector", en: "viewer" },
            Self::Analyst => Label { es: "analista", en: "analyst" },
            Self::Admin => Label { es: "administrador", en: "administrator" },
        }
    }
}

/// `POST /api/session`: signing in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

/// The signed-in user, as `/api/me` and `/api/session` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub username: String,
    pub role: Role,
    /// Send back in [`super::CSRF_HEADER`] on every mutation made with the session cookie (`null` for a caller
    /// with an API token).
    #[serde(default)]
    pub csrf_token: Option<String>,
}

impl Me {
    pub fn csrf(&self) -> &str {
        self.csrf_token.as_deref().unwrap_or_default()
    }
}

/// An account as the administration sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub username: String,
    pub role: Role,
    pub disabled: bool,
}

/// `POST /api/users`: a new account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUser {
    pub username: String,
    pub password: String,
    pub role: Role,
}

/// `POST /api/users/{username}`: what changes (an absent field does not).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserChange {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
}

/// `POST /api/users/{username}/password`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPassword {
    pub password: String,
}

/// An API token as listed: never the token or its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenInfo {
    pub token_id: i64,
    pub username: String,
    pub name: String,
    pub created_at: String,
    pub revoked: bool,
}

/// `POST /api/tokens`: a token to create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRequest {
    pub name: String,
    /// Whose token: the caller's when absent; only an admin may name someone else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
}

/// A token just created: the only time the token itself is seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewToken {
    pub token_id: i64,
    pub token: String,
    pub name: String,
    pub username: String,
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub detail: String,
    pub from: String,
}

/// `GET /api/audit`'s query: every parameter optional; an empty one is no filter. Days are `YYYY-MM-DD`; `limit`
/// is text so that the server can say what is wrong with it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub limit: Option<String>,
}

impl AuditQuery {
    /// The query string (`?actor=…&since=…`, empty when nothing filters), each value through `encode`
    /// (percent-encoding, which the caller's platform provides).
    pub fn to_query(&self, encode: impl Fn(&str) -> String) -> String {
        let fields = [
            ("actor", &self.actor),
            ("action", &self.action),
            ("since", &self.since),
            ("until", &self.until),
            ("limit", &self.limit),
        ];
        let mut out = String::new();
        for (key, value) in fields {
            if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
                out.push(if out.is_empty() { '?' } else { '&' });
                out.push_str(key);
                out.push('=');
                out.push_str(&encode(value));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_and_written_as_their_codes() {
        assert!(Role::Viewer < Role::Analyst && Role::Analyst < Role::Admin);
        for role in Role::ALL {
            assert_eq!(serde_json::to_string(&role).expect("json"), format!("\"{}\"", role.code()));
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        assert_eq!(Role::from_code("root"), None);
    }

    #[test]
    fn an_absent_change_is_not_sent() {
        let change = UserChange { role: Some(Role::Analyst), disabled: None };
        assert_eq!(serde_json::to_string(&change).expect("json"), r#"{"role":"analyst"}"#);
        let me: Me = serde_json::from_str(r#"{"username":"ana","role":"admin"}"#).expect("me");
        assert_eq!(me.csrf(), "");
    }

    #[test]
    fn the_audit_query_names_only_the_filters_given() {
        let q = AuditQuery {
            actor: Some("ana".into()),
            since: Some(String::new()),
            until: Some("2026-01-31".into()),
            ..AuditQuery::default()
        };
        assert_eq!(q.to_query(str::to_owned), "?actor=ana&until=2026-01-31");
        assert_eq!(AuditQuery::default().to_query(str::to_owned), "");
    }
}
