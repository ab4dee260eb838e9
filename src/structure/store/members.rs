//! A group's members as the students-in-group and group-details pages see them: who has been
//! present or has a confirmed payment (and in which months), since such a member cannot leave
//! the group and his months cannot be moved past that history.

use crate::app::AppError;
use crate::app::access::GroupRef;
use crate::app::list::{self, FOUND_AT_MOST, ListQuery};
use crate::db::change_log::{Change, Kind};
use crate::db::kept;
use crate::ids::{GroupId, StudentId, StudentInGroupId};
use crate::month::Month;
use crate::payments::store;
use mysql::Conn;
use mysql::prelude::Queryable;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Serialize)]
pub struct Member {
    #[serde(flatten)]
    pub member: store::Member,
    /// Present («был») at a lesson of the group at least once.
    pub attended: bool,
    /// Has a confirmed payment in the group.
    pub paid: bool,
    /// The first and last month with a presence or a confirmed payment.
    pub used: Option<(Month, Month)>,
}

impl Member {
    /// Marked «(f)» on the page: cannot be taken out of the group.
    pub fn fixed(&self) -> bool {
        self.attended || self.paid
    }
}

/// Every member of the group by FIO, with the history that binds them.
pub fn of_group(db: &mut Conn, group_id: GroupId) -> Result<Vec<Member>, AppError> {
    type Used = (StudentInGroupId, i64, i64, bool, bool);
    let used: Vec<Used> = db.exec(
        "SELECT sig_id, MIN(m), MAX(m), MAX(kind = 1), MAX(kind = 2) FROM (
            SELECT sig.id AS sig_id, (YEAR(l.date) - 2017) * 12 + MONTH(l.date) - 1 AS m, 1 AS kind
                FROM attendings a JOIN lessons l ON l.id = a.lesson_id
                JOIN student_in_groups sig
                    ON sig.student_id = a.student_id AND sig.group_id = l.group_id
                WHERE l.group_id = ? AND a.state = 1
            UNION ALL
            SELECT sig.id, p.month, 2 FROM payments p
                JOIN student_in_groups sig ON sig.id = p.student_in_group_id
                WHERE sig.group_id = ? AND p.confirmed = 1) used
         GROUP BY sig_id",
        (group_id, group_id),
    )?;
    let mut used: HashMap<StudentInGroupId, Used> = used.into_iter().map(|u| (u.0, u)).collect();
    Ok(store::members(db, group_id)?
        .into_iter()
        .map(|member| match used.remove(&member.id) {
            Some((_, first, last, attended, paid)) => Member {
                member,
                attended,
                paid,
                used: Some((Month(first as i32), Month(last as i32))),
            },
            None => Member {
                member,
                attended: false,
                paid: false,
                used: None,
            },
        })
        .collect())
}

/// (id, FIO) of every student who is not in the group, by FIO.
pub fn others(db: &mut Conn, group_id: GroupId) -> Result<Vec<(StudentId, String)>, AppError> {
    Ok(db.exec(
        "SELECT s.id, s.fio FROM students s WHERE NOT EXISTS (
            SELECT 1 FROM student_in_groups sig WHERE sig.student_id = s.id AND sig.group_id = ?)
         ORDER BY s.fio, s.id",
        (group_id,),
    )?)
}

/// The students not in the group whose FIO holds every word of `q`'s search, by FIO: at most
/// [`FOUND_AT_MOST`], and whether there are more. The page asks for these instead of listing
/// all 3,000 others (5 ms of SQL and 250 KB of options on every visit).
pub fn others_found(
    db: &mut Conn,
    group_id: GroupId,
    q: &ListQuery,
) -> Result<(Vec<(StudentId, String)>, bool), AppError> {
    let words = q.words_in("s.fio");
    let found = db.exec(
        format!(
            "SELECT s.id, s.fio FROM students s WHERE {} AND NOT EXISTS (
                SELECT 1 FROM student_in_groups sig WHERE sig.student_id = s.id AND sig.group_id = ?)
             ORDER BY s.fio, s.id LIMIT ?",
            words.sql
        ),
        words.params_then([group_id.into(), (FOUND_AT_MOST as u64 + 1).into()]),
    )?;
    Ok(list::at_most(found))
}

/// «с сентябрь 2019 по май 2020, скидка 200 ₽»: a membership as the change log shows it.
pub fn describe(enter: Month, exit: Month, discount: i32) -> String {
    format!("с {} по {}, скидка {discount} ₽", enter.name(), exit.name())
}

/// The change log's entry of a membership.
pub fn change(
    sig: StudentInGroupId,
    student: StudentId,
    group: GroupId,
    old: String,
    new: String,
) -> Change {
    Change {
        kind: Kind::Membership,
        table: "student_in_groups",
        row_id: sig.0,
        student_id: Some(student),
        group_id: Some(group),
        what: "ученик в группе".into(),
        old,
        new,
    }
}

/// A new member for the whole period of the group, without a discount.
pub fn add(db: &mut Conn, group: &GroupRef, student_id: StudentId) -> Result<Change, AppError> {
    db.exec_drop(
        "INSERT INTO student_in_groups (student_id, group_id, discount, enter_month, exit_month)
         VALUES (?, ?, 0, ?, ?)",
        (student_id, group.id, group.start_month.0, group.end_month.0),
    )?;
    let sig = StudentInGroupId(u32::try_from(db.last_insert_id()).unwrap_or(0));
    kept::changed(db)?;
    let joined = describe(group.start_month, group.end_month, 0);
    Ok(change(sig, student_id, group.id, "—".into(), joined))
}

/// Takes a member without presences or confirmed payments out of the group, with his
/// unconfirmed payments, his absences in the group's lessons and the notifications sent to him
/// as a member.
pub fn remove(db: &mut Conn, m: &store::Member, group_id: GroupId) -> Result<Change, AppError> {
    db.exec_drop(
        "DELETE FROM payments WHERE student_in_group_id = ? AND confirmed = 0",
        (m.id,),
    )?;
    db.exec_drop(
        "DELETE a FROM attendings a JOIN lessons l ON l.id = a.lesson_id
         WHERE l.group_id = ? AND a.student_id = ? AND a.state <> 1",
        (group_id, m.student_id),
    )?;
    db.exec_drop(
        "DELETE FROM notifications WHERE receiver_type = 2 AND receiver_id = ?",
        (m.id,),
    )?;
    db.exec_drop("DELETE FROM student_in_groups WHERE id = ?", (m.id,))?;
    kept::changed(db)?;
    let was = describe(m.enter_month, m.exit_month, m.discount);
    Ok(change(
        m.id,
        m.student_id,
        group_id,
        was,
        "убран из группы".into(),
    ))
}

/// Saves a member's months and drops what now lies outside them: unconfirmed payments, and
/// absences at the group's lessons before the first day of `enter` or after the last of `exit`.
pub fn set_months(
    db: &mut Conn,
    m: &store::Member,
    group_id: GroupId,
    enter: Month,
    exit: Month,
) -> Result<Option<Change>, AppError> {
    if (enter, exit) == (m.enter_month, m.exit_month) {
        return Ok(None);
    }
    db.exec_drop(
        "UPDATE student_in_groups SET enter_month = ?, exit_month = ? WHERE id = ?",
        (enter.0, exit.0, m.id),
    )?;
    db.exec_drop(
        "DELETE FROM payments WHERE student_in_group_id = ? AND confirmed = 0
         AND (month < ? OR month > ?)",
        (m.id, enter.0, exit.0),
    )?;
    db.exec_drop(
        "DELETE a FROM attendings a JOIN lessons l ON l.id = a.lesson_id
         WHERE l.group_id = ? AND a.student_id = ? AND a.state <> 1
         AND (l.date < ? OR l.date > ?)",
        (group_id, m.student_id, enter.first_day(), exit.last_day()),
    )?;
    kept::changed(db)?;
    let was = describe(m.enter_month, m.exit_month, m.discount);
    let now = describe(enter, exit, m.discount);
    Ok(Some(change(m.id, m.student_id, group_id, was, now)))
}

/// Saves a member's discount; the months are as `m` says (after [`set_months`], its new ones).
pub fn set_discount(
    db: &mut Conn,
    m: &store::Member,
    group_id: GroupId,
    discount: i32,
) -> Result<Option<Change>, AppError> {
    if discount == m.discount {
        return Ok(None);
    }
    db.exec_drop(
        "UPDATE student_in_groups SET discount = ? WHERE id = ?",
        (discount, m.id),
    )?;
    kept::changed(db)?;
    let was = describe(m.enter_month, m.exit_month, m.discount);
    let now = describe(m.enter_month, m.exit_month, discount);
    Ok(Some(change(m.id, m.student_id, group_id, was, now)))
}

/// (FIO, login) of every member, by FIO: the login table.
pub fn logins(db: &mut Conn, group_id: GroupId) -> Result<Vec<(String, String)>, AppError> {
    Ok(db.exec(
        "SELECT s.fio, su.login FROM student_in_groups sig
         JOIN students s ON s.id = sig.student_id
         JOIN system_users su ON su.id = s.system_user_id
         WHERE sig.group_id = ? ORDER BY s.fio, sig.id",
        (group_id,),
    )?)
}

/// A membership as the app's students-in-group list shows it.
#[derive(Debug, Clone)]
pub struct Membership {
    pub id: StudentInGroupId,
    pub discount: i64,
    pub enter_month: Month,
    pub exit_month: Month,
    pub student_id: StudentId,
    pub student_fio: String,
    pub account_enabled: bool,
    /// Marks «был» on the group's lessons.
    pub lessons_attended: u64,
}

/// Every membership of the group, in the order they were made.
pub fn memberships(db: &mut Conn, group_id: GroupId) -> mysql::Result<Vec<Membership>> {
    type Row = (
        StudentInGroupId,
        i64,
        i32,
        i32,
        StudentId,
        String,
        bool,
        u64,
    );
    db.exec_map(
        "SELECT sig.id, sig.discount, sig.enter_month, sig.exit_month, s.id, s.fio, su.enabled,
            (SELECT COUNT(*) FROM attendings a JOIN lessons l ON l.id = a.lesson_id
             WHERE a.student_id = s.id AND l.group_id = sig.group_id AND a.state = 1)
         FROM student_in_groups sig JOIN students s ON s.id = sig.student_id
         JOIN system_users su ON su.id = s.system_user_id
         WHERE sig.group_id = ? ORDER BY sig.id",
        (group_id,),
        |(
            id,
            discount,
            enter,
            exit,
            student_id,
            student_fio,
            account_enabled,
            lessons_attended,
        ): Row| {
            Membership {
                id,
                discount,
                enter_month: Month(enter),
                exit_month: Month(exit),
                student_id,
                student_fio,
                account_enabled,
                lessons_attended,
            }
        },
    )
}

/// (student, group) of every membership of these students.
pub fn groups_of_students(
    db: &mut Conn,
    student_ids: &[StudentId],
) -> mysql::Result<Vec<(StudentId, GroupId)>> {
    crate::db::select_in(
        db,
        "SELECT student_id, group_id FROM student_in_groups WHERE student_id IN ({ids})",
        student_ids,
    )
}
