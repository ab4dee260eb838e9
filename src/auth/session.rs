//! The web session: a cookie holding signed JSON (HMAC-SHA256 with `secret_key`). It carries the
//! secret of a signed-in session (whose row in `web_sessions` names the user, see
//! `auth::web_sessions`), the CSRF secret and pending flash messages.

use super::{hmac_sha256, random_token, secure_eq};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

pub const COOKIE_NAME: &str = "crmit_session";
/// «запомнить меня» keeps a user logged in this long.
pub const REMEMBER_SECONDS: i64 = 365 * 24 * 3600;
/// A session without «запомнить меня» also ends after this long without a request.
pub const IDLE_SECONDS: i64 = 12 * 3600;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Payload {
    /// The signed-in session's secret; its keyed hash finds the row.
    #[serde(rename = "s", default, skip_serializing_if = "String::is_empty")]
    secret: String,
    #[serde(rename = "r", default)]
    remember: bool,
    /// Hash of address + browser for a session that is not remembered (stolen cookies don't travel).
    #[serde(rename = "b", default)]
    binding: String,
    #[serde(rename = "c", default)]
    csrf: String,
    #[serde(rename = "f", default, skip_serializing_if = "Vec::is_empty")]
    flashes: Vec<String>,
    #[serde(rename = "e", default)]
    expires: i64,
}

#[derive(Debug, Clone, Default)]
pub struct Session {
    data: Payload,
    changed: bool,
}

/// What the session says about the visitor, before the database has confirmed it.
pub struct Claim<'a> {
    pub secret: &'a str,
    pub binding: &'a str,
    pub remember: bool,
}

impl Session {
    /// Decodes the cookie; a missing, tampered, malformed or expired cookie gives an empty session.
    pub fn from_cookie(value: Option<&str>, key: &[u8], now: i64) -> Session {
        let data = value
            .and_then(|v| decode(v, key))
            .filter(|p| p.expires == 0 || p.expires > now);
        match data {
            Some(data) => Session {
                data,
                changed: false,
            },
            None => Session {
                data: Payload::default(),
                changed: value.is_some(),
            },
        }
    }

    pub fn claim(&self) -> Option<Claim<'_>> {
        (!self.data.secret.is_empty()).then(|| Claim {
            secret: &self.data.secret,
            binding: &self.data.binding,
            remember: self.data.remember,
        })
    }

    /// Starts a logged-in session and returns its new secret, for the session's row; a new CSRF
    /// secret defeats session fixation.
    pub fn log_in(&mut self, remember: bool, binding: String, now: i64) -> String {
        self.data.secret = random_token(24);
        self.data.remember = remember;
        self.data.binding = if remember { String::new() } else { binding };
        self.data.csrf = random_token(24);
        self.data.expires = now
            + if remember {
                REMEMBER_SECONDS
            } else {
                IDLE_SECONDS
            };
        self.changed = true;
        self.data.secret.clone()
    }

    /// Forgets the user but keeps pending flashes.
    pub fn log_out(&mut self) {
        let flashes = std::mem::take(&mut self.data.flashes);
        self.data = Payload {
            flashes,
            ..Payload::default()
        };
        self.changed = true;
    }

    /// Slides the idle expiry of a session that is not remembered (rewritten at most every 10 min).
    pub fn touch(&mut self, now: i64) {
        if !self.data.secret.is_empty()
            && !self.data.remember
            && self.data.expires - now < IDLE_SECONDS - 600
        {
            self.data.expires = now + IDLE_SECONDS;
            self.changed = true;
        }
    }

    /// The CSRF secret, created on first use.
    pub fn csrf_token(&mut self) -> String {
        if self.data.csrf.is_empty() {
            self.data.csrf = random_token(24);
            self.changed = true;
        }
        self.data.csrf.clone()
    }

    pub fn csrf_matches(&self, submitted: &str) -> bool {
        !self.data.csrf.is_empty() && secure_eq(self.data.csrf.as_bytes(), submitted.as_bytes())
    }

    pub fn flash(&mut self, message: impl Into<String>) {
        self.data.flashes.push(message.into());
        self.changed = true;
    }

    pub fn take_flashes(&mut self) -> Vec<String> {
        if !self.data.flashes.is_empty() {
            self.changed = true;
        }
        std::mem::take(&mut self.data.flashes)
    }

    /// The `Set-Cookie` value when the session changed, `None` otherwise.
    pub fn set_cookie(&self, key: &[u8], secure: bool, path: &str) -> Option<String> {
        if !self.changed {
            return None;
        }
        let empty = self.data.secret.is_empty()
            && self.data.csrf.is_empty()
            && self.data.flashes.is_empty();
        let mut c = cookie::Cookie::build((
            COOKIE_NAME,
            if empty {
                String::new()
            } else {
                encode(&self.data, key)
            },
        ))
        .path(if path.is_empty() { "/" } else { path })
        .http_only(true)
        .secure(secure)
        .same_site(cookie::SameSite::Lax);
        if empty {
            c = c.max_age(cookie::time::Duration::ZERO);
        } else if self.data.remember {
            c = c.max_age(cookie::time::Duration::seconds(REMEMBER_SECONDS));
        }
        Some(c.build().to_string())
    }
}

fn signature(key: &[u8], body: &str) -> String {
    URL_SAFE_NO_PAD.encode(hmac_sha256(key, format!("crmit-session|{body}").as_bytes()))
}

fn encode(data: &Payload, key: &[u8]) -> String {
    let body = URL_SAFE_NO_PAD.encode(serde_json::to_vec(data).expect("session serialises"));
    let sig = signature(key, &body);
    format!("{body}.{sig}")
}

fn decode(value: &str, key: &[u8]) -> Option<Payload> {
    let (body, sig) = value.split_once('.')?;
    if !secure_eq(signature(key, body).as_bytes(), sig.as_bytes()) {
        return None;
    }
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(body).ok()?).ok()
}

/// Ties a session that is not remembered to the visitor's address and browser.
pub fn binding_for(key: &[u8], remote_addr: &str, user_agent: &str) -> String {
    hex::encode(&hmac_sha256(key, format!("bind|{remote_addr}|{user_agent}").as_bytes())[..12])
}

/// A short keyed tag of the stored password hash.
pub fn password_tag(key: &[u8], password_hash: &str) -> String {
    hex::encode(&hmac_sha256(key, format!("pw|{password_hash}").as_bytes())[..12])
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"k";

    fn cookie_value(s: &Session) -> String {
        let sc = s.set_cookie(KEY, false, "/").unwrap();
        sc.split(';')
            .next()
            .unwrap()
            .split_once('=')
            .unwrap()
            .1
            .to_string()
    }

    #[test]
    fn round_trip_and_tamper() {
        let mut s = Session::default();
        let secret = s.log_in(false, "b".into(), 1000);
        s.flash("привет");
        let v = cookie_value(&s);
        let mut back = Session::from_cookie(Some(&v), KEY, 1001);
        assert_eq!(back.claim().unwrap().secret, secret);
        assert_eq!(back.take_flashes(), vec!["привет".to_string()]);
        assert!(
            Session::from_cookie(Some(&v), b"other key", 1001)
                .claim()
                .is_none()
        );
        let tampered = v.replacen('e', "f", 1);
        assert!(
            Session::from_cookie(Some(&tampered), KEY, 1001)
                .claim()
                .is_none()
        );
        assert!(
            Session::from_cookie(Some("garbage"), KEY, 1001)
                .claim()
                .is_none()
        );
        assert!(
            Session::from_cookie(Some("a.b.c"), KEY, 1001)
                .claim()
                .is_none()
        );
    }

    #[test]
    fn expiry_and_remember() {
        let mut s = Session::default();
        s.log_in(false, "b".into(), 0);
        let v = cookie_value(&s);
        assert!(
            Session::from_cookie(Some(&v), KEY, IDLE_SECONDS + 1)
                .claim()
                .is_none()
        );
        let first = s.claim().unwrap().secret.to_string();
        let again = s.log_in(true, "b".into(), 0);
        assert_ne!(again, first, "every login gets a new secret");
        assert!(
            s.set_cookie(KEY, true, "/")
                .unwrap()
                .contains("Max-Age=31536000")
        );
        assert!(s.set_cookie(KEY, true, "/").unwrap().contains("Secure"));
        let v = cookie_value(&s);
        let back = Session::from_cookie(Some(&v), KEY, REMEMBER_SECONDS - 5);
        assert!(
            back.claim().unwrap().binding.is_empty(),
            "remembered sessions are not bound"
        );
    }

    #[test]
    fn csrf() {
        let mut s = Session::default();
        assert!(!s.csrf_matches(""));
        let t = s.csrf_token();
        assert!(s.csrf_matches(&t));
        assert!(!s.csrf_matches("x"));
    }
}
