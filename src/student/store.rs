//! The student cabinet's SQL. Every query starts from the logged-in student's memberships
//! (`student_in_groups`), so nothing of another student can appear.

use crate::ids::{GroupId, StudentId, StudentInGroupId};
use crate::month::Month;
use chrono::NaiveDate;
use mysql::Conn;
use mysql::prelude::Queryable;
use serde::Serialize;

/// One of the student's groups, for the filter.
#[derive(Debug, Clone, Serialize)]
pub struct OwnGroup {
    pub id: u32,
    pub name: String,
}

/// The student's groups, newest start first, then by name.
pub fn own_groups(db: &mut Conn, student_id: StudentId) -> mysql::Result<Vec<OwnGroup>> {
    db.exec_map(
        "SELECT g.id, g.name FROM student_in_groups sig JOIN `groups` g ON g.id = sig.group_id
         WHERE sig.student_id = ? ORDER BY g.start_month DESC, g.name",
        (student_id,),
        |(id, name)| OwnGroup { id, name },
    )
}

/// The memberships' lessons: a lesson counts when its month lies in [enter, exit].
const LESSONS_FROM: &str = "FROM student_in_groups sig
     JOIN lessons l ON l.group_id = sig.group_id
       AND (YEAR(l.date) - 2017) * 12 + MONTH(l.date) - 1 BETWEEN sig.enter_month AND sig.exit_month
     JOIN `groups` g ON g.id = sig.group_id
     LEFT JOIN attendings a ON a.lesson_id = l.id AND a.student_id = sig.student_id
     WHERE sig.student_id = ? AND (? IS NULL OR sig.group_id = ?) AND (? IS NULL OR l.date <= ?)";

/// How many lessons the student's memberships hold, in group `group_id` (`None`: every group) up to
/// `up_to` (inclusive; `None`: no bound).
pub fn lessons_count(
    db: &mut Conn,
    student_id: StudentId,
    group_id: Option<GroupId>,
    up_to: Option<NaiveDate>,
) -> mysql::Result<u64> {
    Ok(db
        .exec_first(
            format!("SELECT COUNT(*) {LESSONS_FROM}"),
            (student_id, group_id, group_id, up_to, up_to),
        )?
        .unwrap_or(0))
}

/// One page (`limit`, `offset`) of those lessons, newest first: (date, group name, the student's
/// attendance state, 0 without a mark).
pub fn lessons(
    db: &mut Conn,
    student_id: StudentId,
    group_id: Option<GroupId>,
    up_to: Option<NaiveDate>,
    (limit, offset): (u32, u64),
) -> mysql::Result<Vec<(NaiveDate, String, i32)>> {
    db.exec(
        format!(
            "SELECT l.date, g.name, COALESCE(a.state, 0) {LESSONS_FROM}
             ORDER BY l.date DESC, l.id DESC LIMIT ? OFFSET ?"
        ),
        (student_id, group_id, group_id, up_to, up_to, limit, offset),
    )
}

/// A membership of the student, as the cabinet's payments show it.
pub struct Membership {
    pub id: StudentInGroupId,
    pub group: String,
    /// The section's price a month, in rubles.
    pub price: i32,
    pub discount: i32,
    pub enter: Month,
    pub exit: Month,
}

/// The student's memberships, newest group first.
pub fn memberships(db: &mut Conn, student_id: StudentId) -> mysql::Result<Vec<Membership>> {
    db.exec_map(
        "SELECT sig.id, g.name, sec.price, sig.discount, sig.enter_month, sig.exit_month
         FROM student_in_groups sig JOIN `groups` g ON g.id = sig.group_id
         JOIN sections sec ON sec.id = g.section_id
         WHERE sig.student_id = ? ORDER BY g.start_month DESC, g.name",
        (student_id,),
        |(id, group, price, discount, enter, exit)| Membership {
            id,
            group,
            price,
            discount,
            enter: Month(enter),
            exit: Month(exit),
        },
    )
}
