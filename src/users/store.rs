//! SQL on `system_users` and `access_tokens` used by the account pages; the people tables' SQL
//! is in the submodules.

pub mod parents;
pub mod people;
pub mod staff;
pub mod students;

use crate::db::change_log::{Change, Kind};
use crate::ids::StudentId;
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

/// A new account of `role`, "never seen" (`last_seen_where` 1) until its first visit; its id.
/// The change log's entry of an account (`student`: the student it is, if one).
pub fn account_change(
    user_id: u32,
    student: Option<StudentId>,
    login: &str,
    old: &str,
    new: &str,
) -> Change {
    Change {
        kind: Kind::Account,
        table: "system_users",
        row_id: user_id,
        student_id: student,
        group_id: None,
        what: format!("учётная запись {login}"),
        old: old.into(),
        new: new.into(),
    }
}

/// «включена» or «отключена».
pub fn enabled_word(enabled: bool) -> &'static str {
    if enabled {
        "включена"
    } else {
        "отключена"
    }
}

/// What a new account's entry says.
pub fn created_word(enabled: bool) -> String {
    format!("создана, {}", enabled_word(enabled))
}

/// What a reset password's entry says.
pub const PASSWORD_RESET: &str = "пароль сброшен, нужен повторный вход";

pub fn insert_system_user(
    conn: &mut Conn,
    role: crate::auth::Role,
    login: &str,
    password_hash: &str,
    enabled: bool,
    now: NaiveDateTime,
) -> mysql::Result<u32> {
    conn.exec_drop(
        "INSERT INTO system_users (login, password_hash, system_role_id, last_seen, enabled, last_seen_where, force_ask_to_login)
         SELECT ?, ?, id, ?, ?, ?, 0 FROM system_roles WHERE name = ?",
        (
            login,
            password_hash,
            now,
            enabled,
            crate::auth::user::SeenWhere::Registration as i32,
            role.db_name(),
        ),
    )?;
    Ok(conn.last_insert_id() as u32)
}

pub fn update_login_enabled(
    conn: &mut Conn,
    system_user_id: u32,
    login: &str,
    enabled: bool,
) -> mysql::Result<()> {
    conn.exec_drop(
        "UPDATE system_users SET login = ?, enabled = ? WHERE id = ?",
        (login, enabled, system_user_id),
    )?;
    // A disabled account's browsers stay signed out when it is enabled again.
    match enabled {
        true => Ok(()),
        false => crate::auth::web_sessions::end_all_but(conn, system_user_id, None),
    }
}

/// Whether another account (not `except`) has this login. `=` follows the column's collation, as
/// the UNIQUE key does.
pub fn login_taken(conn: &mut Conn, login: &str, except: u32) -> mysql::Result<bool> {
    Ok(conn
        .exec_first::<u32, _, _>(
            "SELECT id FROM system_users WHERE login = ? AND id <> ? LIMIT 1",
            (login, except),
        )?
        .is_some())
}

/// Deletes an account with everything that points at it, by hand since the foreign keys have no
/// cascades: app and web sessions,
/// notifications it sent, both rows and the details of every message to or from it, a student's
/// parent links, the details row and the account itself.
pub fn delete_system_user(
    conn: &mut Conn,
    system_user_id: u32,
    role: crate::auth::Role,
) -> mysql::Result<()> {
    let me = system_user_id;
    delete_access_tokens(conn, me)?;
    crate::auth::web_sessions::end_all_but(conn, me, None)?;
    conn.exec_drop("DELETE FROM notifications WHERE sender_id = ?", (me,))?;
    let details: Vec<u32> = conn.exec(
        "SELECT DISTINCT message_details_id FROM messages WHERE owner_id = ? OR receiver_id = ?",
        (me, me),
    )?;
    // Both rows of a message name this user (as owner in one, receiver in the other); rows of
    // the same details that somehow do not are removed too, so no details row is left referenced.
    conn.exec_batch(
        "DELETE FROM messages WHERE message_details_id = ?",
        details.iter().map(|id| (id,)),
    )?;
    conn.exec_drop(
        "DELETE FROM messages WHERE owner_id = ? OR receiver_id = ?",
        (me, me),
    )?;
    conn.exec_batch(
        "DELETE FROM message_details WHERE id = ?",
        details.iter().map(|id| (id,)),
    )?;
    if role == crate::auth::Role::Student {
        conn.exec_drop(
            "DELETE ps FROM parent_of_students ps JOIN students s ON s.id = ps.student_id
             WHERE s.system_user_id = ?",
            (me,),
        )?;
    }
    conn.exec_drop(
        format!(
            "DELETE FROM {} WHERE system_user_id = ?",
            role.details_table()
        ),
        (me,),
    )?;
    conn.exec_drop("DELETE FROM system_users WHERE id = ?", (me,))
}
