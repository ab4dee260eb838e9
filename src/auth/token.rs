//! The apps' access tokens (src/api/README.md §4, §5): issuing, hashing and the checks of the
//! authentication pipeline, which the lifecycle runs before every API endpoint but `login` and
//! `app_info`.
//!
//! New tokens are stored as `h1$<hex HMAC-SHA256(secret_key, token)>` and found by one indexed
//! query. Rows written by the original hold `b'<hex PBKDF2-SHA256(token, access_token_salt,
//! 100000)>'`; such a row still authenticates and is re-stored in the fast format on first use,
//! so the slow hash is paid at most once per token (and never for tokens that are not UUIDs).

use super::user::{
    ACCOUNT_COLUMNS, ACCOUNT_JOINS, Account, HAS_EXPIRED_TOKENS, SeenWhere, account_at, column,
    drop_expired_tokens,
};
use super::{Role, hmac_sha256};
use crate::db::Batch;
use chrono::{Duration, NaiveDateTime};
use mysql::prelude::Queryable;
use mysql::{Conn, Row};

/// A token lives this long after its last use (after login for developers).
pub const LIFETIME_DAYS: i64 = 42;
const LEGACY_ROUNDS: u32 = 100_000;

/// The authenticated caller of an API request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub token_id: u32,
    /// The owner's `system_users.id`.
    pub user_id: u32,
    pub role: Role,
    /// The id in the role's details table (teachers.id for a teacher, …).
    pub details_id: u32,
    pub fio: String,
    pub login: String,
}

/// Who may call an endpoint after authentication (the role checks of src/api/README.md §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allowed {
    /// Any valid token (logout).
    AnyRole,
    /// Masters, teachers and developers.
    Staff,
    Developer,
    /// A bot with one of these logins.
    Bots(&'static [&'static str]),
}

impl Allowed {
    pub fn admits(self, caller: &Caller) -> bool {
        match self {
            Allowed::AnyRole => true,
            Allowed::Staff => matches!(caller.role, Role::Master | Role::Teacher | Role::Developer),
            Allowed::Developer => caller.role == Role::Developer,
            Allowed::Bots(logins) => {
                caller.role == Role::Bot && logins.contains(&caller.login.as_str())
            }
        }
    }
}

/// The fast stored form of a token.
pub fn fast_hash(secret_key: &[u8], token: &str) -> String {
    format!(
        "h1${}",
        hex::encode(hmac_sha256(secret_key, token.as_bytes()))
    )
}

/// The original's stored form: the Python repr of the hex bytes.
fn legacy_hash(salt: &[u8], token: &str) -> String {
    let mut out = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(token.as_bytes(), salt, LEGACY_ROUNDS, &mut out);
    format!("b'{}'", hex::encode(out))
}

/// A fresh version-4 UUID in its canonical lowercase form, as the apps receive it.
pub fn new_token() -> String {
    let mut b = [0u8; 16];
    getrandom::getrandom(&mut b).expect("the OS random number generator failed");
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// The canonical lowercase UUID text the original issued (and `new_token` issues).
fn is_uuid(token: &str) -> bool {
    token.len() == 36
        && token.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_digit() || (b'a'..=b'f').contains(&b),
        })
}

/// Stores a new token for the user (login).
pub fn insert(
    conn: &mut Conn,
    secret_key: &[u8],
    token: &str,
    system_user_id: u32,
    now: NaiveDateTime,
    device: &str,
    app_version: &str,
) -> mysql::Result<()> {
    conn.exec_drop(
        "INSERT INTO access_tokens (system_user_id, expires, token_hash, device, last_use, app_version)
         VALUES (?, ?, ?, ?, ?, ?)",
        (
            system_user_id,
            now + Duration::days(LIFETIME_DAYS),
            fast_hash(secret_key, token),
            device,
            now,
            app_version,
        ),
    )
}

pub fn delete(conn: &mut Conn, token_id: u32) -> mysql::Result<()> {
    conn.exec_drop("DELETE FROM access_tokens WHERE id = ?", (token_id,))
}

pub fn set_device(
    conn: &mut Conn,
    token_id: u32,
    device: &str,
    app_version: &str,
) -> mysql::Result<()> {
    conn.exec_drop(
        "UPDATE access_tokens SET device = ?, app_version = ? WHERE id = ?",
        (device, app_version, token_id),
    )
}

/// What finds a presented token: `secret_key` for the fast hash, the original's
/// `access_token_salt` for the legacy one.
pub struct Keys<'a> {
    pub secret_key: &'a [u8],
    pub legacy_salt: &'a [u8],
}

/// A presented token's row and its owner, read by one statement.
struct Found {
    token_id: u32,
    expired: bool,
    account: Account,
    /// The owner has expired tokens to delete (this one or others).
    expired_tokens: bool,
    /// The token was used, slid and its owner seen from the app already this minute.
    used_this_minute: bool,
}

fn find(conn: &mut Conn, hash: &str, now: NaiveDateTime) -> mysql::Result<Option<Found>> {
    let minute = crate::time::minute_start(now);
    let row: Option<Row> = conn.exec_first(
        format!(
            "SELECT tok.id, tok.expires < ?, {ACCOUNT_COLUMNS}, {HAS_EXPIRED_TOKENS},
                tok.last_use >= ? AND tok.expires >= ? AND su.last_seen >= ? AND su.last_seen_where = ?
            FROM access_tokens tok JOIN system_users su ON su.id = tok.system_user_id {ACCOUNT_JOINS}
            WHERE tok.token_hash = ?"
        ),
        (
            now,
            now,
            minute,
            minute + Duration::days(LIFETIME_DAYS),
            minute,
            SeenWhere::Android as i32,
            hash,
        ),
    )?;
    Ok(row.map(|mut row| Found {
        token_id: column(&mut row, 0),
        expired: column(&mut row, 1),
        account: account_at(&mut row, 2),
        expired_tokens: column(&mut row, 10),
        used_this_minute: column::<Option<bool>>(&mut row, 11).unwrap_or(false),
    }))
}

/// Finds the token by its fast hash, else by the legacy hash (re-storing it in the fast form).
/// The legacy hash is computed only for a token shaped like the ones the original issued, and
/// only while legacy rows exist at all: garbage tokens never cost 100000 rounds.
fn lookup(
    conn: &mut Conn,
    keys: &Keys,
    token: &str,
    now: NaiveDateTime,
) -> mysql::Result<Option<Found>> {
    let fast = fast_hash(keys.secret_key, token);
    if let Some(found) = find(conn, &fast, now)? {
        return Ok(Some(found));
    }
    if !is_uuid(token) {
        return Ok(None);
    }
    let legacy_rows: Option<u8> =
        conn.query_first("SELECT 1 FROM access_tokens WHERE token_hash LIKE 'b''%' LIMIT 1")?;
    if legacy_rows.is_none() {
        return Ok(None);
    }
    let found = find(conn, &legacy_hash(keys.legacy_salt, token), now)?;
    if let Some(found) = &found {
        conn.exec_drop(
            "UPDATE access_tokens SET token_hash = ? WHERE id = ?",
            (fast, found.token_id),
        )?;
    }
    Ok(found)
}

/// Steps 2–6 of the authentication pipeline (src/api/README.md §5), in its order: `None` (a 401)
/// for an unknown or expired token or a disabled owner, an expired or orphaned token deleted on
/// the way; else the sliding expiry and `last_seen` (non-developers) and the owner's expired
/// tokens deleted, and the caller. The role check (403) is the caller's to make, after this
/// bookkeeping: the lifecycle keeps it with a refusal, see `app::authenticate_caller`.
pub fn authenticate(
    conn: &mut Conn,
    later: &mut Batch,
    keys: &Keys,
    token: &str,
    now: NaiveDateTime,
) -> mysql::Result<Option<Caller>> {
    let Some(found) = lookup(conn, keys, token, now)? else {
        return Ok(None);
    };
    let token_id = found.token_id;
    if found.expired {
        delete(conn, token_id)?;
        return Ok(None);
    }
    let (user_id, account) = (found.account.id, found.account);
    let Some(role) = account.role.filter(|_| account.enabled) else {
        delete(conn, token_id)?;
        return Ok(None);
    };
    if role != Role::Developer && !found.used_this_minute {
        // Developers' tokens never slide and their visits are not tracked (as in the original).
        // Within the minute the rows already hold, the times are not written again: they are
        // shown to the minute, and an app that makes several calls a screen would otherwise
        // write (and on most hosts flush to disk) the same rows each time. One statement for
        // both rows; it locks the token, then its owner, as two would. Queued:
        // it goes with the savepoint that ends the bookkeeping.
        later.push(
            "UPDATE access_tokens t JOIN system_users su ON su.id = t.system_user_id
             SET t.last_use = ?, t.expires = ?, su.last_seen = ?, su.last_seen_where = ?
             WHERE t.id = ?",
            &[
                now.into(),
                (now + Duration::days(LIFETIME_DAYS)).into(),
                now.into(),
                (SeenWhere::Android as i32).into(),
                token_id.into(),
            ],
        );
    }
    if found.expired_tokens {
        later.run(conn)?;
        drop_expired_tokens(conn, user_id, now)?;
    }
    Ok(Some(Caller {
        token_id,
        user_id,
        role,
        details_id: account.details_id,
        fio: account.fio,
        login: account.login,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_hash_matches_the_original() {
        assert_eq!(
            legacy_hash(b"1918", "12345678-1234-4234-8234-1234567890ab"),
            "b'6e00d9b1114e73a022556407cf96fe6fb5060bc19d7b1c17b64b6d2d57169496'"
        );
    }

    #[test]
    fn tokens_are_uuid4() {
        let t = new_token();
        assert!(is_uuid(&t));
        assert!(!is_uuid(&t.to_uppercase()) && !is_uuid("abc") && !is_uuid(&t[1..]));
        assert_eq!(&t[14..15], "4");
        assert!("89ab".contains(&t[19..20]));
        assert_ne!(t, new_token());
    }
}

/// A token as the developers' overview lists it; times as `YYYY-MM-DD HH:MM`.
#[derive(Debug, Clone)]
pub struct Listed {
    pub app_version: String,
    pub device: String,
    pub expires: String,
    pub last_use: String,
}

/// The user's tokens, the latest expiry first. Rows from before the original's migration 0022
/// may hold the zero date, shown as `0000-00-00 00:00`.
pub fn of_user(conn: &mut Conn, system_user_id: u32) -> mysql::Result<Vec<Listed>> {
    conn.exec_map(
        "SELECT app_version, device,
            COALESCE(DATE_FORMAT(expires, '%Y-%m-%d %H:%i'), '0000-00-00 00:00'),
            COALESCE(DATE_FORMAT(last_use, '%Y-%m-%d %H:%i'), '0000-00-00 00:00')
         FROM access_tokens WHERE system_user_id = ? ORDER BY expires DESC, id",
        (system_user_id,),
        |(app_version, device, expires, last_use)| Listed {
            app_version,
            device,
            expires,
            last_use,
        },
    )
}
