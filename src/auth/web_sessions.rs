//! Signed-in browsers in `web_sessions` (migration 0014). The session cookie carries a random
//! secret; the row holds only its keyed hash, so neither a copy of the table nor of a backup
//! opens a session. A session ends for good when its row goes: at logout, «завершить», a forced
//! re-login, or when its password is no longer the account's.

use super::hmac_sha256;
use super::session::{self, Session};
use crate::db::Batch;
use chrono::{Duration, NaiveDateTime};
use mysql::Conn;
use mysql::prelude::Queryable;

/// How many expired rows one login removes at most: the clean-up stays bounded.
const CLEAN_UP_ROWS: u32 = 100;

/// The stored form of a session's secret.
pub fn token_hash(key: &[u8], secret: &str) -> String {
    hex::encode(hmac_sha256(key, format!("web-session|{secret}").as_bytes()))
}

/// Who signs in, from where.
pub struct SignIn<'a> {
    pub user_id: u32,
    pub password_hash: &'a str,
    pub remember: bool,
    pub remote_addr: &'a str,
    pub user_agent: &'a str,
}

/// Signs the browser in: a new secret in its cookie and a new row, after removing a bounded
/// number of expired rows of anyone.
pub fn start(
    conn: &mut Conn,
    session: &mut Session,
    key: &[u8],
    who: &SignIn,
    now: NaiveDateTime,
) -> mysql::Result<()> {
    conn.exec_drop(
        "DELETE FROM web_sessions WHERE expires < ? ORDER BY expires LIMIT ?",
        (now, CLEAN_UP_ROWS),
    )?;
    let binding = session::binding_for(key, who.remote_addr, who.user_agent);
    let secret = session.log_in(who.remember, binding, now.and_utc().timestamp());
    let lifetime = match who.remember {
        true => session::REMEMBER_SECONDS,
        false => session::IDLE_SECONDS,
    };
    let browser: String = browser_of(who.user_agent).chars().take(255).collect();
    conn.exec_drop(
        "INSERT INTO web_sessions
           (system_user_id, token_hash, password_tag, remember, created, last_seen, expires, browser)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            who.user_id,
            token_hash(key, &secret),
            session::password_tag(key, who.password_hash),
            who.remember,
            now,
            now,
            now + Duration::seconds(lifetime),
            browser,
        ),
    )
}

/// The session keeps going under a new password (its owner changed it).
pub fn retag(conn: &mut Conn, key: &[u8], id: u32, password_hash: &str) -> mysql::Result<()> {
    conn.exec_drop(
        "UPDATE web_sessions SET password_tag = ? WHERE id = ?",
        (session::password_tag(key, password_hash), id),
    )
}

/// Notes a visit, queued in `later`: the last-seen time, and for a session that is not
/// remembered the idle expiry moved on.
pub fn seen(later: &mut Batch, id: u32, now: NaiveDateTime, idle: Duration) {
    later.push(
        "UPDATE web_sessions SET last_seen = ?, expires = IF(remember, expires, ?) WHERE id = ?",
        &[now.into(), (now + idle).into(), id.into()],
    );
}

/// Ends one session of the user; false when the user has no such session.
pub fn end(conn: &mut Conn, user_id: u32, id: u32) -> mysql::Result<bool> {
    conn.exec_drop(
        "DELETE FROM web_sessions WHERE id = ? AND system_user_id = ?",
        (id, user_id),
    )?;
    Ok(conn.affected_rows() > 0)
}

/// Ends every session of the user but `keep` (every one with `None`).
pub fn end_all_but(conn: &mut Conn, user_id: u32, keep: Option<u32>) -> mysql::Result<()> {
    conn.exec_drop(
        "DELETE FROM web_sessions WHERE system_user_id = ? AND id <> ?",
        (user_id, keep.unwrap_or(0)),
    )
}

/// A session as «Мои сеансы» lists it.
#[derive(Debug, Clone)]
pub struct Listed {
    pub id: u32,
    pub created: NaiveDateTime,
    pub last_seen: NaiveDateTime,
    pub remember: bool,
    pub browser: String,
    pub password_tag: String,
}

/// The user's sessions that have not expired, the latest seen first.
pub fn of_user(conn: &mut Conn, user_id: u32, now: NaiveDateTime) -> mysql::Result<Vec<Listed>> {
    conn.exec_map(
        "SELECT id, created, last_seen, remember, browser, password_tag FROM web_sessions
         WHERE system_user_id = ? AND expires > ? ORDER BY last_seen DESC, id DESC",
        (user_id, now),
        |(id, created, last_seen, remember, browser, password_tag)| Listed {
            id,
            created,
            last_seen,
            remember,
            browser,
            password_tag,
        },
    )
}

/// «Firefox, Windows»: the browser and system a user agent names, for telling sessions apart.
pub fn browser_of(user_agent: &str) -> String {
    let has = |word: &str| user_agent.contains(word);
    let browser = [
        ("YaBrowser", "Яндекс Браузер"),
        ("Edg", "Edge"),
        ("OPR", "Opera"),
        ("Firefox", "Firefox"),
        ("Chrome", "Chrome"),
        ("Safari", "Safari"),
    ]
    .into_iter()
    .find(|(word, _)| has(word))
    .map(|(_, name)| name);
    let system = [
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS", "macOS"),
        ("Linux", "Linux"),
    ]
    .into_iter()
    .find(|(word, _)| has(word))
    .map(|(_, name)| name);
    match (browser, system) {
        (Some(b), Some(s)) => format!("{b}, {s}"),
        (Some(one), None) | (None, Some(one)) => one.to_string(),
        (None, None) if user_agent.trim().is_empty() => "неизвестный браузер".to_string(),
        (None, None) => user_agent.chars().take(60).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browsers_are_named_by_their_words() {
        let chrome = "Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36";
        assert_eq!(browser_of(chrome), "Chrome, Android");
        let firefox =
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0";
        assert_eq!(browser_of(firefox), "Firefox, Windows");
        let yandex = "Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/118 YaBrowser/23.11 Safari/537.36";
        assert_eq!(browser_of(yandex), "Яндекс Браузер, Windows");
        assert_eq!(browser_of(""), "неизвестный браузер");
        assert_eq!(browser_of("crmit-tests"), "crmit-tests");
    }

    #[test]
    fn only_the_hash_is_stored() {
        let hash = token_hash(b"key", "secret");
        assert_eq!(hash.len(), 64);
        assert!(!hash.contains("secret"));
        assert_ne!(hash, token_hash(b"other key", "secret"));
    }
}
