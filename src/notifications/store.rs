//! SQL of the notifications: writing one, the lists (all, one sender's, a student's) and what the
//! send page shows of a group (its members and their parents).

use super::Receiver;
use super::delivery::Parent;
use crate::auth::Role;
use crate::ids::{GroupId, StudentId, StudentInGroupId, TeacherId};
use chrono::NaiveDateTime;
use mysql::prelude::Queryable;
use mysql::{Conn, Row, Value};
use serde::Serialize;

pub fn insert(
    conn: &mut Conn,
    sender_id: u32,
    receiver: Receiver,
    subject: &str,
    body: &str,
    now: NaiveDateTime,
    receivers: &str,
) -> mysql::Result<u64> {
    let (receiver_type, receiver_id) = receiver.type_and_id();
    conn.exec_drop(
        "INSERT INTO notifications (sender_id, receiver_type, receiver_id, subject, body, send_time, receivers)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
        (sender_id, receiver_type, receiver_id, subject, body, now, receivers),
    )?;
    Ok(conn.last_insert_id())
}

/// One row of a notifications list.
#[derive(Debug, Clone, Serialize)]
pub struct Notification {
    pub id: u32,
    pub time: String,
    pub sender_fio: String,
    pub sender_enabled: bool,
    pub sender_role: String,
    /// The masters or teachers list searched by the sender's FIO (without the site prefix).
    pub sender_link: String,
    /// The group's or the student's name.
    pub receiver: String,
    /// The groups list searched by the group's name, or the student's details (without prefix).
    pub receiver_link: String,
    pub subject: String,
    pub body: String,
    /// The stored receivers text, one address (with its delivery outcome) per item.
    pub receivers: Vec<String>,
}

/// Which notifications a list shows.
#[derive(Debug, Clone, Copy)]
pub enum Filter {
    All,
    Sender(u32),
    /// Addressed to one of the student's groups (also before the student joined) or memberships.
    Student(StudentId),
}

impl Filter {
    fn sql(self) -> (&'static str, Vec<Value>) {
        match self {
            Filter::All => ("1 = 1", vec![]),
            Filter::Sender(id) => ("n.sender_id = ?", vec![id.into()]),
            Filter::Student(id) => (
                "(n.receiver_type = 1
                  AND n.receiver_id IN (SELECT group_id FROM student_in_groups WHERE student_id = ?))
                 OR (n.receiver_type = 2
                  AND n.receiver_id IN (SELECT id FROM student_in_groups WHERE student_id = ?))",
                vec![id.into(), id.into()],
            ),
        }
    }
}

pub fn count(conn: &mut Conn, filter: Filter) -> mysql::Result<u64> {
    let (condition, params) = filter.sql();
    let sql = format!("SELECT COUNT(*) FROM notifications n WHERE {condition}");
    Ok(conn.exec_first(sql, params)?.unwrap_or(0))
}

/// A page of notifications, newest first.
pub fn page(
    conn: &mut Conn,
    filter: Filter,
    (limit, offset): (u32, u64),
    tz: chrono_tz::Tz,
) -> mysql::Result<Vec<Notification>> {
    let (condition, mut params) = filter.sql();
    params.extend([limit.into(), offset.into()]);
    // The page is picked first (kept first by `STRAIGHT_JOIN`): the joins run for its rows only.
    let sql = format!(
        "SELECT STRAIGHT_JOIN n.id, n.send_time, COALESCE(m.fio, t.fio, d.fio, ''), su.enabled, r.name,
                n.receiver_type, COALESCE(g.name, ''), COALESCE(s.id, 0), COALESCE(s.fio, ''),
                n.subject, n.body, n.receivers
         FROM (SELECT n.id FROM notifications n WHERE {condition}
               ORDER BY n.send_time DESC, n.id DESC LIMIT ? OFFSET ?) page
         JOIN notifications n ON n.id = page.id
         JOIN system_users su ON su.id = n.sender_id
         JOIN system_roles r ON r.id = su.system_role_id
         LEFT JOIN masters m ON m.system_user_id = su.id
         LEFT JOIN teachers t ON t.system_user_id = su.id
         LEFT JOIN developers d ON d.system_user_id = su.id
         LEFT JOIN `groups` g ON n.receiver_type = 1 AND g.id = n.receiver_id
         LEFT JOIN student_in_groups sig ON n.receiver_type = 2 AND sig.id = n.receiver_id
         LEFT JOIN students s ON s.id = sig.student_id
         ORDER BY n.send_time DESC, n.id DESC"
    );
    conn.exec_map(sql, params, |row: Row| notification(row, tz))
}

fn notification(mut row: Row, tz: chrono_tz::Tz) -> Notification {
    let mut take = |i: usize| row.take::<Value, _>(i).unwrap_or(Value::NULL);
    let text = |v: Value| mysql::from_value_opt::<String>(v).unwrap_or_default();
    let id: u32 = mysql::from_value(take(0));
    let time: NaiveDateTime = mysql::from_value(take(1));
    let (sender_fio, sender_enabled) = (text(take(2)), mysql::from_value::<bool>(take(3)));
    let sender_role = text(take(4));
    let receiver_type: i32 = mysql::from_value(take(5));
    let (group, student_id, student) = (
        text(take(6)),
        mysql::from_value::<u32>(take(7)),
        text(take(8)),
    );
    let sender_list = match Role::from_db_name(&sender_role) {
        Some(Role::Teacher) => "teachers",
        _ => "masters",
    };
    let (receiver, receiver_link) = if receiver_type == 1 {
        let link = format!("/structure/groups?{}", search(&group));
        (group, link)
    } else {
        (student, format!("/users/student_details/{student_id}"))
    };
    Notification {
        id,
        time: crate::time::format_datetime(time, tz),
        sender_link: format!("/users/{sender_list}?{}", search(&sender_fio)),
        sender_fio,
        sender_enabled,
        sender_role,
        receiver,
        receiver_link,
        subject: text(take(9)),
        body: text(take(10)),
        receivers: text(take(11))
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect(),
    }
}

fn search(text: &str) -> String {
    serde_urlencoded::to_string([("search", text)]).unwrap_or_default()
}

/// A page of the notifications a student sees in the cabinet (to any of his memberships or his
/// groups, also those sent before he joined), with the total for the pagination. The receivers'
/// addresses (other parents') are left out.
pub fn for_student(
    conn: &mut Conn,
    student_id: StudentId,
    limit: (u32, u64),
    tz: chrono_tz::Tz,
) -> mysql::Result<(Vec<Notification>, u64)> {
    let filter = Filter::Student(student_id);
    let mut rows = page(conn, filter, limit, tz)?;
    for row in &mut rows {
        row.receivers.clear();
    }
    Ok((rows, count(conn, filter)?))
}

/// The «отправитель» filter: masters and teachers as «<fio> (<role>)», by user id.
pub fn senders(conn: &mut Conn) -> mysql::Result<Vec<(u32, String)>> {
    conn.exec_map(
        "SELECT su.id, COALESCE(m.fio, t.fio, ''), r.name FROM system_users su
         JOIN system_roles r ON r.id = su.system_role_id
         LEFT JOIN masters m ON m.system_user_id = su.id
         LEFT JOIN teachers t ON t.system_user_id = su.id
         WHERE r.name IN (?, ?) ORDER BY su.id",
        (Role::Master.db_name(), Role::Teacher.db_name()),
        |(id, fio, role): (u32, String, String)| (id, format!("{fio} ({role})")),
    )
}

/// Groups a user may notify: all of them, or a teacher's own; newest start first, then by name.
pub fn groups(
    conn: &mut Conn,
    teacher_id: Option<TeacherId>,
) -> mysql::Result<Vec<(GroupId, String)>> {
    conn.exec_map(
        "SELECT id, name FROM `groups` WHERE ? IS NULL OR teacher_id = ?
         ORDER BY start_month DESC, name",
        (teacher_id, teacher_id),
        |(id, name)| (id, name),
    )
}

/// A group member with their parents, for the send page.
#[derive(Debug, Clone, Serialize)]
pub struct Member {
    /// The receiver id of a notification to this student.
    pub id: StudentInGroupId,
    pub fio: String,
    pub parents: Vec<ParentChannels>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ParentChannels {
    pub fio: String,
    /// «email / ВКонтакте», or "" when none is chosen.
    pub channels: String,
}

/// Every membership of the group (current or not), by the student's FIO, with the parents.
pub fn members(conn: &mut Conn, group_id: GroupId) -> mysql::Result<Vec<Member>> {
    let rows: Vec<(StudentInGroupId, String, Option<String>, Option<i32>)> = conn.exec(
        "SELECT sig.id, s.fio, p.fio, p.notification_types
         FROM student_in_groups sig
         JOIN students s ON s.id = sig.student_id
         LEFT JOIN parent_of_students ps ON ps.student_id = s.id
         LEFT JOIN parents p ON p.id = ps.parent_id
         WHERE sig.group_id = ?
         ORDER BY s.fio, sig.id, ps.is_mother DESC, p.fio",
        (group_id,),
    )?;
    let mut members: Vec<Member> = Vec::new();
    for (id, fio, parent, mask) in rows {
        if members.last().is_none_or(|m| m.id != id) {
            members.push(Member {
                id,
                fio,
                parents: Vec::new(),
            });
        }
        if let (Some(parent), Some(member)) = (parent, members.last_mut()) {
            member.parents.push(ParentChannels {
                fio: parent,
                channels: super::Channel::names_in(mask.unwrap_or(0)),
            });
        }
    }
    Ok(members)
}

/// The parents to notify: of every student ever in the group, or of one member's student.
pub fn parents_of(conn: &mut Conn, receiver: Receiver) -> mysql::Result<Vec<Parent>> {
    let (condition, id) = match receiver {
        Receiver::Group(id) => ("sig.group_id = ?", id.0),
        Receiver::Member(id) => ("sig.id = ?", id.0),
    };
    conn.exec_map(
        format!(
            "SELECT DISTINCT p.id, p.email, p.vk_link, p.notification_types
             FROM student_in_groups sig
             JOIN parent_of_students ps ON ps.student_id = sig.student_id
             JOIN parents p ON p.id = ps.parent_id
             WHERE {condition} ORDER BY p.id"
        ),
        (id,),
        |(_, email, vk_link, notification_types): (u32, Option<String>, Option<String>, i32)| {
            Parent {
                email,
                vk_link,
                notification_types,
            }
        },
    )
}
