//! SQL of the messages: the two-row storage, dialogs, a dialog's page and read marking.

use crate::app::list::{self, FOUND_AT_MOST, ListQuery};
use crate::auth::Role;
use chrono::NaiveDateTime;
use mysql::prelude::Queryable;
use mysql::{Conn, Row, Value};

/// Stores one message: the shared details row, the sender's copy (`forward = 1`) and the
/// receiver's (`forward = 0`).
pub fn send(
    conn: &mut Conn,
    sender: u32,
    receiver: u32,
    body: &str,
    now: NaiveDateTime,
) -> mysql::Result<()> {
    conn.exec_drop(
        "INSERT INTO message_details (body, send_time, unread) VALUES (?, ?, 1)",
        (body, now),
    )?;
    let details = conn.last_insert_id();
    conn.exec_drop(
        "INSERT INTO messages (owner_id, receiver_id, message_details_id, forward)
         VALUES (?, ?, ?, 1), (?, ?, ?, 0)",
        (sender, receiver, details, receiver, sender, details),
    )
}

/// The name columns and joins of a system user `su` (FIO from the role's details table).
const PERSON_COLUMNS: &str = "COALESCE(ma.fio, te.fio, st.fio, ''), r.name";
const PERSON_JOINS: &str = "JOIN system_roles r ON r.id = su.system_role_id
     LEFT JOIN masters ma ON ma.system_user_id = su.id
     LEFT JOIN teachers te ON te.system_user_id = su.id
     LEFT JOIN students st ON st.system_user_id = su.id";

/// Everyone a student may start a dialog with, by user id: the masters and teachers (disabled
/// ones included), not `me`.
pub fn receivers_of_student(conn: &mut Conn, me: u32) -> mysql::Result<Vec<(u32, String)>> {
    let sql = format!(
        "SELECT su.id, {PERSON_COLUMNS} FROM system_users su {PERSON_JOINS}
         WHERE su.id <> ? AND r.name IN (?, ?)
         ORDER BY su.id"
    );
    conn.exec_map(
        sql,
        (me, Role::Master.db_name(), Role::Teacher.db_name()),
        |(id, fio, role): (u32, String, String)| {
            (id, super::display_name(&fio, Role::from_db_name(&role)))
        },
    )
}

/// The people a staff member may start a dialog with (masters, teachers, students; never
/// `me`) whose FIO holds every word of `q`'s search, by FIO: at most [`FOUND_AT_MOST`], and
/// whether there are more. Each role's details table is searched on its own and only the found
/// rows are joined to their accounts: the list of all 3,000 receivers took 15 ms of SQL, a
/// search takes about 1.
pub fn receivers_found(
    conn: &mut Conn,
    me: u32,
    q: &ListQuery,
) -> mysql::Result<(Vec<(u32, String)>, bool)> {
    let words = q.words_in("fio");
    let sql = format!(
        "SELECT su.id, x.fio, r.name FROM (
            SELECT system_user_id AS u, fio, ? AS role FROM masters WHERE {w}
            UNION ALL SELECT system_user_id, fio, ? FROM teachers WHERE {w}
            UNION ALL SELECT system_user_id, fio, ? FROM students WHERE {w}
         ) x JOIN system_users su ON su.id = x.u
         JOIN system_roles r ON r.id = su.system_role_id AND r.name = x.role
         WHERE su.id <> ? ORDER BY x.fio, su.id LIMIT ?",
        w = words.sql
    );
    // Each branch's placeholders: its role, then the words.
    let mut params: Vec<Value> = Vec::new();
    for role in [Role::Master, Role::Teacher, Role::Student] {
        params.push(role.db_name().into());
        params.extend(words.params.iter().cloned());
    }
    params.push(me.into());
    params.push((FOUND_AT_MOST as u64 + 1).into());
    let found: Vec<(u32, String)> =
        conn.exec_map(sql, params, |(id, fio, role): (u32, String, String)| {
            (id, super::display_name(&fio, Role::from_db_name(&role)))
        })?;
    Ok(list::at_most(found))
}

/// One dialog as the dialogs list shows it.
#[derive(Debug, Clone)]
pub struct Dialog {
    pub with: u32,
    pub name: String,
    /// Unread incoming messages in the dialog.
    pub unread: u64,
    pub last_time: NaiveDateTime,
    pub last_body: String,
    /// The last message is mine (I sent it).
    pub last_forward: bool,
    pub last_unread: bool,
}

pub fn dialogs_count(conn: &mut Conn, me: u32) -> mysql::Result<u64> {
    Ok(conn
        .exec_first(
            "SELECT COUNT(DISTINCT receiver_id) FROM messages WHERE owner_id = ?",
            (me,),
        )?
        .unwrap_or(0))
}

/// A page of `me`'s dialogs, the one with the newest message first.
pub fn dialogs(
    conn: &mut Conn,
    me: u32,
    (limit, offset): (u32, u64),
) -> mysql::Result<Vec<Dialog>> {
    let sql = format!(
        "SELECT x.receiver_id, {PERSON_COLUMNS}, x.unread, d.send_time, d.body, m.forward, d.unread
         FROM (SELECT m.receiver_id, MAX(d.send_time) AS last_time, MAX(d.id) AS last_id,
                      SUM(m.forward = 0 AND d.unread = 1) AS unread
               FROM messages m JOIN message_details d ON d.id = m.message_details_id
               WHERE m.owner_id = ?
               GROUP BY m.receiver_id
               ORDER BY last_time DESC, last_id DESC LIMIT ? OFFSET ?) x
         JOIN message_details d ON d.id = x.last_id
         JOIN messages m ON m.message_details_id = d.id AND m.owner_id = ?
         JOIN system_users su ON su.id = x.receiver_id
         {PERSON_JOINS}
         ORDER BY x.last_time DESC, x.last_id DESC"
    );
    conn.exec_map(sql, (me, limit, offset, me), |mut row: Row| {
        let mut take = |i: usize| row.take::<Value, _>(i).unwrap_or(Value::NULL);
        let with: u32 = mysql::from_value(take(0));
        let fio: String = mysql::from_value(take(1));
        let role: String = mysql::from_value(take(2));
        Dialog {
            with,
            name: super::display_name(&fio, Role::from_db_name(&role)),
            unread: mysql::from_value::<Option<u64>>(take(3)).unwrap_or(0),
            last_time: mysql::from_value(take(4)),
            last_body: mysql::from_value(take(5)),
            last_forward: mysql::from_value(take(6)),
            last_unread: mysql::from_value(take(7)),
        }
    })
}

/// One message of a dialog page, from `me`'s mailbox.
#[derive(Debug, Clone)]
pub struct Message {
    pub details_id: u32,
    pub time: NaiveDateTime,
    pub body: String,
    /// I sent it.
    pub forward: bool,
    pub unread: bool,
}

pub fn messages_count(conn: &mut Conn, me: u32, with: u32) -> mysql::Result<u64> {
    Ok(conn
        .exec_first(
            "SELECT COUNT(*) FROM messages WHERE owner_id = ? AND receiver_id = ?",
            (me, with),
        )?
        .unwrap_or(0))
}

/// A page of the dialog between `me` and `with`, newest first.
pub fn messages(
    conn: &mut Conn,
    me: u32,
    with: u32,
    (limit, offset): (u32, u64),
) -> mysql::Result<Vec<Message>> {
    conn.exec_map(
        "SELECT d.id, d.send_time, d.body, m.forward, d.unread
         FROM messages m JOIN message_details d ON d.id = m.message_details_id
         WHERE m.owner_id = ? AND m.receiver_id = ?
         ORDER BY d.send_time DESC, d.id DESC LIMIT ? OFFSET ?",
        (me, with, limit, offset),
        |(details_id, time, body, forward, unread)| Message {
            details_id,
            time,
            body,
            forward,
            unread,
        },
    )
}

/// Marks the given incoming messages read, for both participants (the flag is shared); true
/// when there was one to mark.
pub fn mark_read(conn: &mut Conn, shown: &[Message]) -> mysql::Result<bool> {
    let ids: Vec<(u32,)> = shown
        .iter()
        .filter(|m| !m.forward && m.unread)
        .map(|m| (m.details_id,))
        .collect();
    conn.exec_batch("UPDATE message_details SET unread = 0 WHERE id = ?", &ids)?;
    Ok(!ids.is_empty())
}
