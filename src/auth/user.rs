//! The current user: one query loads the account, its role and its details row.

use super::Role;
use super::session::{self, Session};
use super::web_sessions;
use crate::db::Batch;
use crate::ids::{StudentId, TeacherId};
use mysql::prelude::FromValue;
use mysql::prelude::Queryable;
use mysql::{Conn, Row};
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

/// Whether `su` has expired app tokens to delete (true or false), as of the bound `now`.
pub(crate) const HAS_EXPIRED_TOKENS: &str =
    "EXISTS(SELECT 1 FROM access_tokens x WHERE x.system_user_id = su.id AND x.expires < ?)";

/// Column `i` of a row read by a statement of ours, which selects it: a missing column is a bug.
pub(crate) fn column<T: FromValue>(row: &mut Row, i: usize) -> T {
    row.take(i).expect("the statement selects this column")
}

/// The account in `ACCOUNT_COLUMNS`, read from `row` where they start at column `first`.
pub(crate) fn account_at(row: &mut Row, first: usize) -> Account {
    let role: String = column(row, first + 5);
    Account {
        id: column(row, first),
        login: column(row, first + 1),
        password_hash: column(row, first + 2),
        enabled: column(row, first + 3),
        force_ask_to_login: column(row, first + 4),
        role: Role::from_db_name(&role),
        details_id: column(row, first + 6),
        fio: column(row, first + 7),
    }
}

pub fn account_by_id(conn: &mut Conn, id: u32) -> mysql::Result<Option<Account>> {
    Ok(conn
        .exec_first::<Row, _, _>(
            format!(
                "SELECT {ACCOUNT_COLUMNS} FROM system_users su {ACCOUNT_JOINS} WHERE su.id = ?"
            ),
            (id,),
        )?
        .map(|mut row| account_at(&mut row, 0)))
}

/// How many dialogs of `su` hold at least one unread incoming message (the «(N)» in the menu).
const UNREAD_DIALOGS: &str = "(SELECT COUNT(DISTINCT m.receiver_id) FROM messages m
    JOIN message_details d ON d.id = m.message_details_id
    WHERE m.owner_id = su.id AND m.forward = 0 AND d.unread = 1)";

/// The session row and the account behind it, read with what every page needs of the account:
/// one statement instead of four.
struct SignedIn {
    account: Account,
    /// The owner has expired app tokens to delete.
    expired_tokens: bool,
    unread_dialogs: u64,
    session_id: u32,
    /// The tag of the password the session was opened with.
    password_tag: String,
    last_seen: chrono::NaiveDateTime,
    /// The account was seen on the web already this minute.
    seen_this_minute: bool,
}

fn signed_in_account(
    conn: &mut Conn,
    token_hash: &str,
    now: chrono::NaiveDateTime,
) -> mysql::Result<Option<SignedIn>> {
    let found: Option<Row> = conn.exec_first(
        format!(
            "SELECT {ACCOUNT_COLUMNS}, {HAS_EXPIRED_TOKENS}, {UNREAD_DIALOGS},
                ws.id, ws.password_tag, ws.last_seen, su.last_seen >= ? AND su.last_seen_where = ?
            FROM web_sessions ws JOIN system_users su ON su.id = ws.system_user_id {ACCOUNT_JOINS}
            WHERE ws.token_hash = ? AND ws.expires > ?"
        ),
        (
            now,
            crate::time::minute_start(now),
            SeenWhere::Web as i32,
            token_hash,
            now,
        ),
    )?;
    Ok(found.map(|mut row| SignedIn {
        account: account_at(&mut row, 0),
        expired_tokens: column(&mut row, 8),
        unread_dialogs: column(&mut row, 9),
        session_id: column(&mut row, 10),
        password_tag: column(&mut row, 11),
        last_seen: column(&mut row, 12),
        seen_this_minute: column::<Option<bool>>(&mut row, 13).unwrap_or(false),
    }))
}

/// The menu's count of dialogs with unread messages, read again after a page has marked some
/// read.
pub fn unread_dialogs(conn: &mut Conn, id: u32) -> mysql::Result<u64> {
    let count: Option<u64> = conn.exec_first(
        format!("SELECT {UNREAD_DIALOGS} FROM system_users su WHERE su.id = ?"),
        (id,),
    )?;
    Ok(count.unwrap_or(0))
}

/// The visitor a web session names, when the session's row exists and has not expired and the
/// account still qualifies: the session is bound to this address and browser (unless «запомнить
/// меня»), the account is enabled, not a bot, not forced to log in again, and still has the
/// password the session was opened with. Then the visit is noted and the session's idle clock
/// restarted (its row at most every 10 minutes); otherwise the session is logged out, and a row
/// whose password changed is deleted. The visit's writes are queued in `later`.
pub fn web_user(
    conn: &mut Conn,
    later: &mut Batch,
    session: &mut Session,
    key: &[u8],
    (remote_addr, user_agent): (&str, &str),
    now: chrono::NaiveDateTime,
) -> mysql::Result<Option<CurrentUser>> {
    let Some(claim) = session.claim() else {
        return Ok(None);
    };
    let binding_ok =
        claim.remember || claim.binding == session::binding_for(key, remote_addr, user_agent);
    let found = match binding_ok {
        true => signed_in_account(conn, &web_sessions::token_hash(key, claim.secret), now)?,
        false => None,
    };
    let Some(found) = found else {
        session.log_out();
        return Ok(None);
    };
    let (session_id, last_seen) = (found.session_id, found.last_seen);
    if session::password_tag(key, &found.account.password_hash) != found.password_tag {
        web_sessions::end(conn, found.account.id, session_id)?;
        session.log_out();
        return Ok(None);
    }
    let Some(mut user) = CurrentUser::for_web(found.account) else {
        session.log_out();
        return Ok(None);
    };
    user.unread_dialogs = found.unread_dialogs;
    user.session_id = session_id;
    let seen = Seen {
        this_minute: found.seen_this_minute,
        expired_tokens: found.expired_tokens,
    };
    note_visit(conn, later, &user, seen, now)?;
    if now - last_seen >= chrono::Duration::minutes(10) {
        web_sessions::seen(
            later,
            session_id,
            now,
            chrono::Duration::seconds(session::IDLE_SECONDS),
        );
    }
    session.touch(now.and_utc().timestamp());
    Ok(Some(user))
}

pub fn account_by_login(conn: &mut Conn, login: &str) -> mysql::Result<Option<Account>> {
    Ok(conn
        .exec_first::<Row, _, _>(
            format!(
                "SELECT {ACCOUNT_COLUMNS} FROM system_users su {ACCOUNT_JOINS} WHERE su.login = ?"
            ),
            (login,),
        )?
        .map(|mut row| account_at(&mut row, 0)))
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
    /// How many dialogs hold unread incoming messages (the menu's «(N)»).
    #[serde(skip)]
    pub unread_dialogs: u64,
    /// The row of this browser's session in `web_sessions`.
    #[serde(skip)]
    pub session_id: u32,
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
            unread_dialogs: 0,
            session_id: 0,
        })
    }
}

/// The user was seen now, from `place`: the statement, for a bound or a queued run.
const NOTE_SEEN: &str = "UPDATE system_users SET last_seen = ?, last_seen_where = ? WHERE id = ?";

/// The user was seen now, from `place`.
pub fn note_seen(
    conn: &mut Conn,
    user_id: u32,
    place: SeenWhere,
    now: chrono::NaiveDateTime,
) -> mysql::Result<()> {
    conn.exec_drop(NOTE_SEEN, (now, place as i32, user_id))
}

/// What the account read found of the visitor's earlier visits.
struct Seen {
    /// `last_seen` is already of this minute, from the web.
    this_minute: bool,
    /// The owner has expired app tokens to delete.
    expired_tokens: bool,
}

/// Per-request bookkeeping for a logged-in visitor: `last_seen` = now and `last_seen_where` = 2
/// (web), except for developers, who are never tracked; everyone's expired app tokens go. The
/// `last_seen` update is queued in `later` (it goes with the request's next statements); the
/// expired tokens need a read, so with some it is sent first.
///
/// `last_seen` is not written again within the minute it already holds: every place that shows
/// it shows minutes, and a page opened every few seconds would otherwise write (and on most
/// hosts flush to disk) a row that reads the same.
fn note_visit(
    conn: &mut Conn,
    later: &mut Batch,
    user: &CurrentUser,
    seen: Seen,
    now: chrono::NaiveDateTime,
) -> mysql::Result<()> {
    if !user.is_developer && !seen.this_minute {
        later.push(
            NOTE_SEEN,
            &[now.into(), (SeenWhere::Web as i32).into(), user.id.into()],
        );
    }
    if seen.expired_tokens {
        later.run(conn)?;
        drop_expired_tokens(conn, user.id, now)?;
    }
    Ok(())
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
