//! The current user: one query loads the account, its role and its details row.

use super::Role;
use crate::ids::{StudentId, TeacherId};
use mysql::Conn;
use mysql::prelude::Queryable;
use serde::Serialize;

/// `system_users.last_seen_where` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeenWhere {
    Registration = 1,
    Web = 2,
    Android = 3,
}

#[derive(Debug, Clone)]
pub struct Account {
    pub id: u32,
    pub login: String,
    pub password_hash: String,
    pub enabled: bool,
    pub force_ask_to_login: bool,
    /// None when the role row names a role we do not know (a broken database).
    pub role: Option<Role>,
    /// Id of the row in the role's details table (masters.id, teachers.id, …), 0 if missing.
    pub details_id: u32,
    pub fio: String,
}

/// The columns `account` reads, over `system_users su` and `ACCOUNT_JOINS`.
pub(crate) const ACCOUNT_COLUMNS: &str = "su.id, su.login, su.password_hash, su.enabled, su.force_ask_to_login,
    r.name, COALESCE(m.id, t.id, s.id, b.id, d.id, 0), COALESCE(m.fio, t.fio, s.fio, b.fio, d.fio, '')";

pub(crate) const ACCOUNT_JOINS: &str = "JOIN system_roles r ON r.id = su.system_role_id
    LEFT JOIN masters m ON m.system_user_id = su.id
    LEFT JOIN teachers t ON t.system_user_id = su.id
    LEFT JOIN students s ON s.system_user_id = su.id
    LEFT JOIN bots b ON b.system_user_id = su.id
    LEFT JOIN developers d ON d.system_user_id = su.id";

pub(crate) type AccountRow = (u32, String, String, bool, bool, String, u32, String);

pub(crate) fn account(row: AccountRow) -> Account {
    let (id, login, password_hash, enabled, force_ask_to_login, role, details_id, fio) = row;
    Account {
        id,
        login,
        password_hash,
        enabled,
        force_ask_to_login,
        role: Role::from_db_name(&role),
        details_id,
        fio,
    }
}

pub fn account_by_id(conn: &mut Conn, id: u32) -> mysql::Result<Option<Account>> {
    Ok(conn
        .exec_first(
            format!(
                "SELECT {ACCOUNT_COLUMNS} FROM system_users su {ACCOUNT_JOINS} WHERE su.id = ?"
            ),
            (id,),
        )?
        .map(account))
}

/// The account behind a web session, and whether its owner has expired app tokens to delete: one
/// statement instead of two on every page.
pub fn signed_in_account(
    conn: &mut Conn,
    id: u32,
    now: chrono::NaiveDateTime,
) -> mysql::Result<Option<(Account, bool)>> {
    type Found = (u32, String, String, bool, bool, String, u32, String, bool);
    let found: Option<Found> = conn.exec_first(
        format!(
            "SELECT {ACCOUNT_COLUMNS},
                EXISTS(SELECT 1 FROM access_tokens x WHERE x.system_user_id = su.id AND x.expires < ?)
            FROM system_users su {ACCOUNT_JOINS} WHERE su.id = ?"
        ),
        (now, id),
    )?;
    Ok(found.map(
        |(id, login, hash, enabled, force, role, details, fio, expired_tokens)| {
            (
                account((id, login, hash, enabled, force, role, details, fio)),
                expired_tokens,
            )
        },
    ))
}

pub fn account_by_login(conn: &mut Conn, login: &str) -> mysql::Result<Option<Account>> {
    Ok(conn
        .exec_first(
            format!(
                "SELECT {ACCOUNT_COLUMNS} FROM system_users su {ACCOUNT_JOINS} WHERE su.login = ?"
            ),
            (login,),
        )?
        .map(account))
}

/// A logged-in web user, as pages and templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct CurrentUser {
    pub id: u32,
    pub login: String,
    pub fio: String,
    pub role: Role,
    pub role_name: &'static str,
    pub is_master: bool,
    pub is_teacher: bool,
    pub is_student: bool,
    pub is_developer: bool,
    /// The user's teachers.id; `None` for anyone but a teacher. Templates see 0 then, which the
    /// groups and lessons lists they link to read as «all teachers».
    #[serde(serialize_with = "crate::ids::zero_if_none")]
    pub teacher_id: Option<TeacherId>,
    /// The user's students.id; `None` for anyone but a student.
    #[serde(serialize_with = "crate::ids::zero_if_none")]
    pub student_id: Option<StudentId>,
    #[serde(skip)]
    pub password_hash: String,
}

impl CurrentUser {
    /// The web accepts an account only when it is enabled, not forced to log in again and not a
    /// bot (bots never use the web).
    pub fn for_web(a: Account) -> Option<CurrentUser> {
        let role = a.role?;
        if !a.enabled || a.force_ask_to_login || role == Role::Bot {
            return None;
        }
        Some(CurrentUser {
            id: a.id,
            login: a.login,
            fio: a.fio,
            role,
            role_name: role.db_name(),
            is_master: role.is_master(),
            is_teacher: role == Role::Teacher,
            is_student: role == Role::Student,
            is_developer: role == Role::Developer,
            teacher_id: (role == Role::Teacher).then_some(TeacherId(a.details_id)),
            student_id: (role == Role::Student).then_some(StudentId(a.details_id)),
            password_hash: a.password_hash,
        })
    }
}

/// Per-request bookkeeping for a logged-in visitor: `last_seen` = now and `last_seen_where` = 2
/// (web), except for developers, who are never tracked; everyone's expired app tokens go
/// (`expired_tokens` as `signed_in_account` found).
pub fn note_visit(
    conn: &mut Conn,
    user: &CurrentUser,
    expired_tokens: bool,
    now: chrono::NaiveDateTime,
) -> mysql::Result<()> {
    if !user.is_developer {
        conn.exec_drop(
            "UPDATE system_users SET last_seen = ?, last_seen_where = ? WHERE id = ?",
            (now, SeenWhere::Web as i32, user.id),
        )?;
    }
    match expired_tokens {
        true => drop_expired_tokens(conn, user.id, now),
        false => Ok(()),
    }
}

/// Deletes a user's expired app tokens. They are found by a plain read and deleted by id: a
/// `DELETE … WHERE system_user_id = ?` locks every token of the user on its way, also the one a
/// concurrent app request of the same user has just updated, and the two requests deadlock.
pub fn drop_expired_tokens(
    conn: &mut Conn,
    user_id: u32,
    now: chrono::NaiveDateTime,
) -> mysql::Result<()> {
    let expired: Vec<u32> = conn.exec(
        "SELECT id FROM access_tokens WHERE system_user_id = ? AND expires < ?",
        (user_id, now),
    )?;
    for id in expired {
        // Still expired when locked: a concurrent request may have just prolonged it.
        conn.exec_drop(
            "DELETE FROM access_tokens WHERE id = ? AND expires < ?",
            (id, now),
        )?;
    }
    Ok(())
}
