//! SQL of the statistics: three grouped queries for the whole group period, whatever its size,
//! and the overview's figures of a month and of the last twelve.

use crate::ids::{GroupId, TeacherId};
use crate::month::Month;
use chrono::NaiveDate;
use mysql::Conn;
use mysql::prelude::Queryable;
use std::collections::HashMap;

/// (enter month, exit month) of every member.
pub fn memberships(conn: &mut Conn, group_id: GroupId) -> mysql::Result<Vec<(i32, i32)>> {
    conn.exec(
        "SELECT enter_month, exit_month FROM student_in_groups WHERE group_id = ?",
        (group_id,),
    )
}

/// Month → (lessons, «был» marks on them).
pub fn lessons_by_month(
    conn: &mut Conn,
    group_id: GroupId,
) -> mysql::Result<HashMap<i32, (u32, u32)>> {
    let rows: Vec<(i32, u32, u32)> = conn.exec(
        "SELECT x.m, COUNT(*), CAST(COALESCE(SUM(x.present), 0) AS UNSIGNED)
         FROM (SELECT (YEAR(l.date) - 2017) * 12 + MONTH(l.date) - 1 AS m,
                 (SELECT COUNT(*) FROM attendings a WHERE a.lesson_id = l.id AND a.state = 1) AS present
               FROM lessons l WHERE l.group_id = ?) x
         GROUP BY x.m",
        (group_id,),
    )?;
    Ok(rows.into_iter().map(|(m, n, p)| (m, (n, p))).collect())
}

/// Month → (confirmed payments, payments with a value or confirmed).
pub fn payments_by_month(
    conn: &mut Conn,
    group_id: GroupId,
) -> mysql::Result<HashMap<i32, (u32, u32)>> {
    let rows: Vec<(i32, u32, u32)> = conn.exec(
        "SELECT p.month, CAST(SUM(p.confirmed <> 0) AS UNSIGNED),
            CAST(SUM(p.value > 0 OR p.confirmed <> 0) AS UNSIGNED)
         FROM payments p JOIN student_in_groups sig ON sig.id = p.student_in_group_id
         WHERE sig.group_id = ? GROUP BY p.month",
        (group_id,),
    )?;
    Ok(rows.into_iter().map(|(m, c, n)| (m, (c, n))).collect())
}

/// A month's money and people of the memberships in it (a teacher's own groups, or every group):
/// (due, paid, paid and confirmed, students, groups). A membership is in a month when the month
/// lies in both its own and its group's period.
pub fn month_money(
    conn: &mut Conn,
    month: Month,
    teacher: Option<TeacherId>,
) -> mysql::Result<(i64, i64, i64, u32, u32)> {
    let teacher = teacher.map(u32::from);
    Ok(conn
        .exec_first(
            "SELECT CAST(COALESCE(SUM(GREATEST(sec.price - sig.discount, 0)), 0) AS SIGNED),
                CAST(COALESCE(SUM(p.value), 0) AS SIGNED),
                CAST(COALESCE(SUM(IF(p.confirmed, p.value, 0)), 0) AS SIGNED),
                COUNT(DISTINCT sig.student_id), COUNT(DISTINCT sig.group_id)
             FROM student_in_groups sig JOIN `groups` g ON g.id = sig.group_id
             JOIN sections sec ON sec.id = g.section_id
             LEFT JOIN payments p ON p.student_in_group_id = sig.id AND p.month = ?
             WHERE ? BETWEEN GREATEST(sig.enter_month, g.start_month) AND LEAST(sig.exit_month, g.end_month)
               AND (? IS NULL OR g.teacher_id = ?)",
            (month.0, month.0, teacher, teacher),
        )?
        .unwrap_or((0, 0, 0, 0, 0)))
}

/// The attendance marks of the lessons dated from `?` to `?` in a teacher's groups (`?`, `?`;
/// NULL: every group).
const MARKS_FROM: &str = "FROM lessons l JOIN `groups` g ON g.id = l.group_id
     JOIN attendings a ON a.lesson_id = l.id
     WHERE l.date BETWEEN ? AND ? AND (? IS NULL OR g.teacher_id = ?)";

/// Month → («был» marks, all marks) on the lessons dated from `from` to `to`.
pub fn marks_by_month(
    conn: &mut Conn,
    from: NaiveDate,
    to: NaiveDate,
    teacher: Option<TeacherId>,
) -> mysql::Result<HashMap<i32, (u64, u64)>> {
    let teacher = teacher.map(u32::from);
    let rows: Vec<(i32, u64, u64)> = conn.exec(
        format!(
            "SELECT (YEAR(l.date) - 2017) * 12 + MONTH(l.date) - 1 AS m,
                CAST(COALESCE(SUM(a.state = 1), 0) AS UNSIGNED), COUNT(*) {MARKS_FROM} GROUP BY m"
        ),
        (from, to, teacher, teacher),
    )?;
    Ok(rows.into_iter().map(|(m, p, n)| (m, (p, n))).collect())
}

/// («был» marks, all marks) on the lessons dated from `from` to `to`.
pub fn marks(
    conn: &mut Conn,
    from: NaiveDate,
    to: NaiveDate,
    teacher: Option<TeacherId>,
) -> mysql::Result<(u64, u64)> {
    let teacher = teacher.map(u32::from);
    Ok(conn
        .exec_first(
            format!(
                "SELECT CAST(COALESCE(SUM(a.state = 1), 0) AS UNSIGNED), COUNT(*) {MARKS_FROM}"
            ),
            (from, to, teacher, teacher),
        )?
        .unwrap_or((0, 0)))
}

/// Month → payments received for it (all, whatever the confirmation), from `from` to `to`.
pub fn received_by_month(
    conn: &mut Conn,
    from: Month,
    to: Month,
    teacher: Option<TeacherId>,
) -> mysql::Result<HashMap<i32, i64>> {
    let teacher = teacher.map(u32::from);
    let rows: Vec<(i32, i64)> = conn.exec(
        "SELECT p.month, CAST(SUM(p.value) AS SIGNED)
         FROM payments p JOIN student_in_groups sig ON sig.id = p.student_in_group_id
         JOIN `groups` g ON g.id = sig.group_id
         WHERE p.month BETWEEN ? AND ? AND (? IS NULL OR g.teacher_id = ?)
         GROUP BY p.month",
        (from.0, to.0, teacher, teacher),
    )?;
    Ok(rows.into_iter().collect())
}
