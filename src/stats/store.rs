//! SQL of the statistics: three grouped queries for the whole group period, whatever its size.

use crate::ids::GroupId;
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
