//! SQL on `system_users` and `access_tokens` used by the account pages.

use chrono::NaiveDateTime;
use mysql::Conn;
use mysql::prelude::Queryable;

pub fn set_password(
    conn: &mut Conn,
    system_user_id: u32,
    password_hash: &str,
    force_ask_to_login: bool,
) -> mysql::Result<()> {
    conn.exec_drop(
        "UPDATE system_users SET password_hash = ?, force_ask_to_login = ? WHERE id = ?",
        (password_hash, force_ask_to_login, system_user_id),
    )
}

pub fn clear_force_ask_to_login(conn: &mut Conn, system_user_id: u32) -> mysql::Result<()> {
    conn.exec_drop(
        "UPDATE system_users SET force_ask_to_login = 0 WHERE id = ?",
        (system_user_id,),
    )
}

pub fn delete_access_tokens(conn: &mut Conn, system_user_id: u32) -> mysql::Result<()> {
    conn.exec_drop(
        "DELETE FROM access_tokens WHERE system_user_id = ?",
        (system_user_id,),
    )
}

/// The owner of an access token, if the token exists.
pub fn access_token_owner(conn: &mut Conn, token_id: u32) -> mysql::Result<Option<u32>> {
    conn.exec_first(
        "SELECT system_user_id FROM access_tokens WHERE id = ?",
        (token_id,),
    )
}

pub fn delete_access_token(conn: &mut Conn, token_id: u32) -> mysql::Result<()> {
    conn.exec_drop("DELETE FROM access_tokens WHERE id = ?", (token_id,))
}

pub struct AppSession {
    pub id: u32,
    pub device: String,
    pub app_version: String,
    /// None for the zero date that old rows hold.
    pub last_use: Option<NaiveDateTime>,
    pub expires: Option<NaiveDateTime>,
}

/// The user's mobile-app sessions that have not expired, most recently used first.
pub fn app_sessions(
    conn: &mut Conn,
    system_user_id: u32,
    now: NaiveDateTime,
) -> mysql::Result<Vec<AppSession>> {
    conn.exec_map(
        "SELECT id, device, app_version, NULLIF(last_use, '0000-00-00 00:00:00'), NULLIF(expires, '0000-00-00 00:00:00')
         FROM access_tokens WHERE system_user_id = ? AND expires >= ? ORDER BY last_use DESC, id DESC",
        (system_user_id, now),
        |(id, device, app_version, last_use, expires)| AppSession { id, device, app_version, last_use, expires },
    )
}
