//! Helpers for the REST API tests: requests through the CGI binary, byte-level checks of the
//! contract's encoding, and tokens written straight into the test database.

use crate::common::{CgiRequest, CgiResponse, TestDb};
use mysql::prelude::Queryable;
use serde_json::Value;

pub const API: &str = "/api/v1.1.0";
pub const JSON_TYPE: &str = "application/json; charset=utf-8";
/// `secret_key` of the tests' config (tests/common).
const SECRET_KEY: &[u8] = b"test-secret-key-0123456789abcdef0123456789abcdef";
pub const ACCESS_TOKEN_SALT: &[u8] = b"test-access-token-salt";

/// `path` with the token as the `access_token` query parameter.
pub fn with_token(path: &str, token: &str) -> String {
    let sep = if path.contains('?') { '&' } else { '?' };
    format!("{API}{path}{sep}access_token={token}")
}

pub fn get(db: &TestDb, path: &str, token: &str) -> CgiResponse {
    db.cgi(&CgiRequest::get(&with_token(path, token)))
}

pub fn post(db: &TestDb, path: &str, token: &str, body: &Value) -> CgiResponse {
    db.cgi(&CgiRequest::post_raw(
        &with_token(path, token),
        "application/json",
        body.to_string().as_bytes(),
    ))
}

/// The JSON of a 200 answer, after checking the encoding byte for byte: the content type,
/// compact output with keys sorted at every level, raw UTF-8 and one trailing newline. A
/// re-encoding by serde_json (sorted, compact, unescaped) must give the same bytes.
pub fn ok_json(resp: &CgiResponse) -> Value {
    assert_eq!(resp.status, 200, "{}\n{}", resp.text(), resp.stderr);
    json_body(resp)
}

pub fn json_body(resp: &CgiResponse) -> Value {
    assert_eq!(resp.header("content-type"), Some(JSON_TYPE));
    let text = resp.text();
    let doc = text
        .strip_suffix('\n')
        .unwrap_or_else(|| panic!("no trailing newline: {text:?}"));
    assert!(!doc.ends_with('\n'));
    let value: Value = serde_json::from_str(doc).expect("valid JSON");
    assert_eq!(serde_json::to_string(&value).unwrap(), doc, "not canonical");
    value
}

/// A plain-text answer (`ok`, `auth required`, …) with the JSON content type.
pub fn assert_plain(resp: &CgiResponse, status: u16, body: &str) {
    assert_eq!(resp.status, status, "{}\n{}", resp.text(), resp.stderr);
    assert_eq!(resp.header("content-type"), Some(JSON_TYPE));
    assert_eq!(resp.text(), body);
}

pub fn login_request(fields: &Value) -> CgiRequest {
    CgiRequest::post_raw(
        &format!("{API}/login"),
        "application/json",
        fields.to_string().as_bytes(),
    )
}

/// Logs in through the API and returns the token.
pub fn login(db: &TestDb, login: &str, password: &str) -> String {
    let resp = db.cgi(&login_request(&serde_json::json!({
        "login": login, "password": password, "device": "d", "appVersion": "1.3.2"
    })));
    ok_json(&resp)["token"].as_str().unwrap().to_string()
}

pub fn fast_hash(token: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(SECRET_KEY).unwrap();
    mac.update(token.as_bytes());
    format!("h1${}", hex::encode(mac.finalize().into_bytes()))
}

pub fn legacy_hash(token: &str) -> String {
    let mut out = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(token.as_bytes(), ACCESS_TOKEN_SALT, 100_000, &mut out);
    format!("b'{}'", hex::encode(out))
}

/// A token for the user written straight into `access_tokens` (fast format), expiring in
/// `expires_in_minutes`.
pub fn token_for(db: &TestDb, login: &str, expires_in_minutes: i64) -> String {
    let token = format!("t-{login}-{expires_in_minutes}-{}", rand_suffix());
    let id = super::fixture::user_id(db, login);
    db.conn()
        .exec_drop(
            "INSERT INTO access_tokens (system_user_id, expires, token_hash, device, last_use, app_version)
             VALUES (?, UTC_TIMESTAMP() + INTERVAL ? MINUTE, ?, 'dev', UTC_TIMESTAMP() - INTERVAL 7 DAY, '1.0')",
            (id, expires_in_minutes, fast_hash(&token)),
        )
        .unwrap();
    token
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

/// A valid token (42 days) for the user.
pub fn valid_token(db: &TestDb, login: &str) -> String {
    token_for(db, login, 42 * 24 * 60)
}
