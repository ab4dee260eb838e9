//! Helpers for the REST API tests: requests through the CGI binary, byte-level checks of the
//! contract's encoding, tokens and fixture rows written straight into the test database.
#![allow(dead_code)]

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

pub fn user_id(db: &TestDb, login: &str) -> u32 {
    scalar(
        db,
        &format!("SELECT id FROM system_users WHERE login = '{login}'"),
    )
}

/// A token for the user written straight into `access_tokens` (fast format), expiring in
/// `expires_in_minutes`.
pub fn token_for(db: &TestDb, login: &str, expires_in_minutes: i64) -> String {
    let token = format!("t-{login}-{expires_in_minutes}-{}", rand_suffix());
    let id = user_id(db, login);
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

pub fn scalar<T: mysql::prelude::FromValue>(db: &TestDb, sql: &str) -> T {
    db.conn()
        .query_first(sql)
        .unwrap()
        .unwrap_or_else(|| panic!("no row: {sql}"))
}

pub fn exec(db: &TestDb, sql: &str) {
    db.conn().query_drop(sql).unwrap();
}

/// A second teacher `te2` (T2) with password `12` (a Werkzeug 0.14 hash), given the stub group
/// `веб-61`, so that te1 and te2 each own one group. Returns T2's teachers.id.
pub fn add_second_teacher(db: &TestDb) -> u32 {
    exec(
        db,
        "INSERT INTO system_users (login, password_hash, system_role_id, last_seen, enabled, last_seen_where, force_ask_to_login)
         SELECT 'te2', 'pbkdf2:sha256:50000$ouK6YFIU$0854a31baf9e69b0291a24b5a030073a84dcea03c46589dbcfd2788dee0ee7e5',
                id, UTC_TIMESTAMP(), 1, 1, 0 FROM system_roles WHERE name = 'преподаватель'",
    );
    exec(
        db,
        "INSERT INTO teachers (fio, system_user_id, phone)
         SELECT 'Учитель Второй', id, '8900' FROM system_users WHERE login = 'te2'",
    );
    let t2: u32 = scalar(
        db,
        "SELECT t.id FROM teachers t JOIN system_users su ON su.id = t.system_user_id WHERE su.login = 'te2'",
    );
    exec(
        db,
        &format!("UPDATE `groups` SET teacher_id = {t2} WHERE name = 'веб-61'"),
    );
    t2
}

/// Ids of the stub fixture.
pub fn group_id(db: &TestDb, name: &str) -> u32 {
    scalar(
        db,
        &format!("SELECT id FROM `groups` WHERE name = '{name}'"),
    )
}

pub fn teacher_id(db: &TestDb, login: &str) -> u32 {
    scalar(
        db,
        &format!(
            "SELECT t.id FROM teachers t JOIN system_users su ON su.id = t.system_user_id WHERE su.login = '{login}'"
        ),
    )
}

pub fn payment_p1(db: &TestDb) -> u32 {
    scalar(db, "SELECT id FROM payments WHERE month = 9")
}

/// A lesson of the group on the date, conducted by the teacher; returns its id.
pub fn add_lesson(db: &TestDb, group: u32, teacher: u32, date: &str) -> u32 {
    exec(
        db,
        &format!(
            "INSERT INTO lessons (date, teacher_id, group_id) VALUES ('{date}', {teacher}, {group})"
        ),
    );
    scalar(db, "SELECT MAX(id) FROM lessons")
}
