//! SQL of the statistics: three grouped queries for the whole group period, whatever its size,
//! and the overview's figures of a month and of the last twelve.

use crate::db::kept::{self, Kept};
use crate::ids::{GroupId, TeacherId};
use crate::month::Month;
use crate::payments::store::{self as payments, Scope};
use chrono::{Datelike, NaiveDate};
use mysql::Conn;
use mysql::prelude::Queryable;
use serde::{Deserialize, Serialize};
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

/// A month's money and people of the memberships in it, and the debt up to the month.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthMoney {
    pub due: i64,
    pub received: i64,
    /// Received and confirmed.
    pub confirmed: i64,
    pub students: u32,
    pub groups: u32,
    pub debt: i64,
    pub debtors: u64,
}

/// A month's money and people of the memberships in it, and the debt up to it (a teacher's own
/// groups, or every group, kept in `debts_cache` until a write changes them: the debt alone is
/// a sum over the kept debts of every membership, some 2,000 rows to read back on the `large`
/// demo data, 2.5 ms). A membership is in a month when the month lies in both its own and its
/// group's period. The groups of the month are read first, from which their memberships (the
/// period test alone read every membership of all time: 6.0 against 1.5 ms on the `large` demo
/// data).
pub fn month_money(
    conn: &mut Conn,
    month: Month,
    teacher: Option<TeacherId>,
) -> mysql::Result<MonthMoney> {
    let sum = |c: &mut Conn| -> mysql::Result<Vec<MonthMoney>> {
        let scope = Scope {
            teacher_id: teacher,
            ..Scope::default()
        };
        // The kept debts (row 1) before this body (row 4): see `db::kept`.
        let debts = payments::debts(c, month, scope)?;
        let debt = debts.iter().map(|d| d.owed).sum();
        let teacher = teacher.map(u32::from);
        let people: Option<(i64, i64, i64, u32, u32)> = c.exec_first(
            "SELECT STRAIGHT_JOIN CAST(COALESCE(SUM(GREATEST(sec.price - sig.discount, 0)), 0) AS SIGNED),
                CAST(COALESCE(SUM(p.value), 0) AS SIGNED),
                CAST(COALESCE(SUM(IF(p.confirmed, p.value, 0)), 0) AS SIGNED),
                COUNT(DISTINCT sig.student_id), COUNT(DISTINCT sig.group_id)
             FROM `groups` g JOIN student_in_groups sig ON sig.group_id = g.id
             JOIN sections sec ON sec.id = g.section_id
             LEFT JOIN payments p ON p.student_in_group_id = sig.id AND p.month = ?
             WHERE g.start_month <= ? AND g.end_month >= ?
               AND ? BETWEEN GREATEST(sig.enter_month, g.start_month) AND LEAST(sig.exit_month, g.end_month)
               AND (? IS NULL OR g.teacher_id = ?)",
            (month.0, month.0, month.0, month.0, teacher, teacher),
        )?;
        let (due, received, confirmed, students, groups) = people.unwrap_or_default();
        Ok(vec![MonthMoney {
            due,
            received,
            confirmed,
            students,
            groups,
            debt,
            debtors: debts.len() as u64,
        }])
    };
    let rows = match teacher {
        Some(_) => sum(conn)?,
        None => kept::or_computed(conn, Kept::MonthMoney(month), sum)?,
    };
    Ok(rows.into_iter().next().unwrap_or_default())
}

/// How many months the overview charts, today's last.
const CHART_MONTHS: i32 = 12;

/// The first month of the overview's chart on `today`.
pub fn chart_start(today: NaiveDate) -> Month {
    Month(Month::of_date(today).0 - (CHART_MONTHS - 1))
}

/// The «был» marks and all marks of the lessons of one day, the day counted from 1 January of
/// the year 1 (as `debts_cache` keeps it).
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct DayMarks(i32, u64, u64);

/// The marks per day of the overview's year: from the first day of its first month to today.
#[derive(Debug, Clone)]
pub struct YearMarks(Vec<DayMarks>);

impl YearMarks {
    /// («был» marks, all marks) of the days from `since` on.
    pub fn since(&self, since: NaiveDate) -> (u64, u64) {
        let first = since.num_days_from_ce();
        self.0
            .iter()
            .filter(|d| d.0 >= first)
            .fold((0, 0), |(p, n), d| (p + d.1, n + d.2))
    }

    /// Month → («был» marks, all marks).
    pub fn by_month(&self) -> HashMap<i32, (u64, u64)> {
        let mut months: HashMap<i32, (u64, u64)> = HashMap::new();
        for &DayMarks(day, present, marks) in &self.0 {
            let Some(day) = NaiveDate::from_num_days_from_ce_opt(day) else {
                continue;
            };
            let sums = months.entry(Month::of_date(day).0).or_default();
            sums.0 += present;
            sums.1 += marks;
        }
        months
    }
}

/// The marks per day of the overview's year up to `today`, in a teacher's groups or in every
/// group. The marks are summed per day in the order of the lessons' date index: a sum per month
/// made the server sort every mark through a temporary table (12.8 against about 6 ms for the
/// 26,000 marks of a year on the `large` demo data). Every group's marks are read without the
/// join to the groups, which only a teacher's filter needs (with it the server started from the
/// groups and read their lessons of all time), and kept in `debts_cache` for the day until a
/// mark is written.
pub fn year_marks(
    conn: &mut Conn,
    today: NaiveDate,
    teacher: Option<TeacherId>,
) -> mysql::Result<YearMarks> {
    const PER_DAY: &str = "SELECT l.date, CAST(COALESCE(SUM(a.state = 1), 0) AS UNSIGNED), COUNT(*)
         FROM lessons l JOIN attendings a ON a.lesson_id = l.id";
    let per_day = |(day, present, marks): (NaiveDate, u64, u64)| {
        DayMarks(day.num_days_from_ce(), present, marks)
    };
    let from = chart_start(today).first_day();
    let days = match teacher {
        Some(teacher) => conn.exec_map(
            format!(
                "{PER_DAY} JOIN `groups` g ON g.id = l.group_id
                 WHERE l.date BETWEEN ? AND ? AND g.teacher_id = ? GROUP BY l.date"
            ),
            (from, today, teacher),
            per_day,
        )?,
        None => kept::or_computed(conn, Kept::Marks(today), |c| {
            c.exec_map(
                format!("{PER_DAY} WHERE l.date BETWEEN ? AND ? GROUP BY l.date"),
                (from, today),
                per_day,
            )
        })?,
    };
    Ok(YearMarks(days))
}

/// Month → payments received for it (all, whatever the confirmation), over the overview's chart
/// on `today` (every group's kept in `debts_cache` until a write changes them).
pub fn received_by_month(
    conn: &mut Conn,
    today: NaiveDate,
    teacher: Option<TeacherId>,
) -> mysql::Result<HashMap<i32, i64>> {
    let (from, to) = (chart_start(today), Month::of_date(today));
    // Every payment belongs to a membership of a group: only a teacher's filter needs the joins
    // (without them every group's sums take 3.3 instead of 8.5 ms on the `large` demo data).
    let rows: Vec<(i32, i64)> = match teacher {
        Some(teacher) => conn.exec(
            "SELECT p.month, CAST(SUM(p.value) AS SIGNED)
             FROM payments p JOIN student_in_groups sig ON sig.id = p.student_in_group_id
             JOIN `groups` g ON g.id = sig.group_id
             WHERE p.month BETWEEN ? AND ? AND g.teacher_id = ?
             GROUP BY p.month",
            (from.0, to.0, teacher),
        )?,
        None => kept::or_computed(conn, Kept::Received(to), |c| {
            c.exec(
                "SELECT p.month, CAST(SUM(p.value) AS SIGNED) FROM payments p
                 WHERE p.month BETWEEN ? AND ? GROUP BY p.month",
                (from.0, to.0),
            )
        })?,
    };
    Ok(rows.into_iter().collect())
}
