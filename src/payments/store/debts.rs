//! The debts of memberships: what each month of a membership was due and what was paid for it,
//! for the debtors report and the overview, with the payments and parents of the rows shown.

use crate::db;
use crate::db::kept::{self, Kept};
use crate::ids::{GroupId, StudentId, StudentInGroupId, TeacherId};
use crate::month::Month;
use mysql::Conn;
use mysql::prelude::Queryable;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Which memberships a money report covers: `None` in a filter means all. `teacher_id` also
/// limits a teacher to his own groups.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scope {
    pub section_id: Option<u32>,
    pub group_id: Option<GroupId>,
    pub teacher_id: Option<TeacherId>,
}

/// A membership that owes for some month up to a month.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(into = "Packed", from = "Packed")]
pub struct DebtRow {
    pub student_in_group_id: StudentInGroupId,
    /// The months counted: the later of the enter month and the group's start to the earliest
    /// of the exit month, the group's end and the last month asked for.
    pub first: Month,
    pub last: Month,
    /// What each month is due: the section price less the member's discount, never below 0.
    pub due: i64,
    pub owed: i64,
    pub student_id: StudentId,
    pub fio: String,
    pub group_id: GroupId,
    pub group_name: String,
    pub section_id: u32,
    pub teacher_id: TeacherId,
    /// The student's own phone and which number the family asked to be called on (1 own, 2
    /// mother's, 3 father's).
    pub phone: String,
    pub contact_phone: i32,
}

/// A debt row as `debts_cache` keeps it: the fields in order, without their names (half the
/// bytes of the large data's body, and faster to read back).
type Packed = (
    StudentInGroupId,
    Month,
    Month,
    i64,
    i64,
    StudentId,
    String,
    GroupId,
    String,
    u32,
    TeacherId,
    String,
    i32,
);

impl From<DebtRow> for Packed {
    fn from(r: DebtRow) -> Packed {
        (
            r.student_in_group_id,
            r.first,
            r.last,
            r.due,
            r.owed,
            r.student_id,
            r.fio,
            r.group_id,
            r.group_name,
            r.section_id,
            r.teacher_id,
            r.phone,
            r.contact_phone,
        )
    }
}

impl From<Packed> for DebtRow {
    fn from(
        (
            student_in_group_id,
            first,
            last,
            due,
            owed,
            student_id,
            fio,
            group_id,
            group_name,
            section_id,
            teacher_id,
            phone,
            contact_phone,
        ): Packed,
    ) -> DebtRow {
        DebtRow {
            student_in_group_id,
            first,
            last,
            due,
            owed,
            student_id,
            fio,
            group_id,
            group_name,
            section_id,
            teacher_id,
            phone,
            contact_phone,
        }
    }
}

impl Scope {
    fn covers(&self, row: &DebtRow) -> bool {
        self.section_id.is_none_or(|s| s == row.section_id)
            && self.group_id.is_none_or(|g| g == row.group_id)
            && self.teacher_id.is_none_or(|t| t == row.teacher_id)
    }
}

/// Every membership of the scope that owes for a month up to `up_to`, largest debt first.
/// The debts of every group are computed together and kept in `debts_cache` until a write
/// changes them: a narrower scope is a filter of those.
pub fn debts(conn: &mut Conn, up_to: Month, scope: Scope) -> mysql::Result<Vec<DebtRow>> {
    let all = kept::or_computed(conn, Kept::Debts(up_to), |c| compute(c, up_to))?;
    Ok(all.into_iter().filter(|row| scope.covers(row)).collect())
}

/// A group as the debts need it: name, period, price, section and teacher.
type GroupTerms = (String, i32, i32, i64, u32, TeacherId);

/// The debts of every membership. A month owes its due less what was paid for it, when that is
/// positive; a payment counts even unconfirmed, and never above the due. Four plain reads
/// (groups, memberships, each membership's payment sum, students) and one for the few
/// memberships whose payments need counting month by month, summed here: MariaDB joins and
/// correlated subqueries over every membership cost several times more than reading the rows.
fn compute(conn: &mut Conn, up_to: Month) -> mysql::Result<Vec<DebtRow>> {
    let groups: HashMap<GroupId, GroupTerms> = conn
        .exec::<(GroupId, String, i32, i32, i64, u32, TeacherId), _, _>(
            "SELECT g.id, g.name, g.start_month, g.end_month, sec.price, g.section_id, g.teacher_id
             FROM `groups` g JOIN sections sec ON sec.id = g.section_id",
            (),
        )?
        .into_iter()
        .map(|(id, name, start, end, price, section, teacher)| {
            (id, (name, start, end, price, section, teacher))
        })
        .collect();
    let members: Vec<(StudentInGroupId, StudentId, GroupId, i32, i32, i64)> = conn.exec(
        "SELECT id, student_id, group_id, enter_month, exit_month, discount FROM student_in_groups",
        (),
    )?;
    let mut rows: HashMap<StudentInGroupId, DebtRow> = HashMap::with_capacity(members.len());
    for (sig, student_id, group_id, enter, exit, discount) in members {
        let Some((name, start, end, price, section_id, teacher_id)) = groups.get(&group_id) else {
            continue;
        };
        let (first, last) = (enter.max(*start), exit.min(*end).min(up_to.0));
        let due = (price - discount).max(0);
        if first > last || due == 0 {
            continue;
        }
        rows.insert(
            sig,
            DebtRow {
                student_in_group_id: sig,
                first: Month(first),
                last: Month(last),
                due,
                owed: due * i64::from(last - first + 1),
                student_id,
                fio: String::new(),
                group_id,
                group_name: name.clone(),
                section_id: *section_id,
                teacher_id: *teacher_id,
                phone: String::new(),
                contact_phone: 0,
            },
        );
    }
    // Most memberships are paid only for their own months and never above the due: for those
    // the sum of their payments is what counts, one row each. The others (a payment outside
    // the counted months, or above the due) are summed month by month from their own rows.
    let sums: Vec<(StudentInGroupId, i64, i32, i32, i64, i64)> = conn.exec(
        "SELECT student_in_group_id, CAST(SUM(value) AS SIGNED), MIN(month), MAX(month),
                MIN(value), MAX(value)
         FROM payments GROUP BY student_in_group_id",
        (),
    )?;
    let mut irregular = Vec::new();
    for (sig, sum, first_month, last_month, least, most) in sums {
        let Some(row) = rows.get_mut(&sig) else {
            continue;
        };
        if row.first.0 <= first_month && last_month <= row.last.0 && least >= 0 && most <= row.due {
            row.owed -= sum;
        } else {
            irregular.push(sig);
        }
    }
    for (sig, month, value, _) in payments_of(conn, &irregular)? {
        if let Some(row) = rows
            .get_mut(&sig)
            .filter(|r| (r.first.0..=r.last.0).contains(&month.0))
        {
            row.owed -= value.clamp(0, row.due);
        }
    }
    rows.retain(|_, row| row.owed > 0);
    let students: HashMap<StudentId, (String, Option<String>, i32)> = conn
        .exec::<(StudentId, String, Option<String>, i32), _, _>(
            "SELECT id, fio, phone, contact_phone FROM students",
            (),
        )?
        .into_iter()
        .map(|(id, fio, phone, contact)| (id, (fio, phone, contact)))
        .collect();
    let mut debts: Vec<DebtRow> = rows
        .into_values()
        .filter_map(|mut row| {
            let (fio, phone, contact) = students.get(&row.student_id)?;
            row.fio.clone_from(fio);
            row.phone = phone.clone().unwrap_or_default();
            row.contact_phone = *contact;
            Some(row)
        })
        .collect();
    debts.sort_by(|a, b| {
        (b.owed.cmp(&a.owed))
            .then_with(|| a.fio.cmp(&b.fio))
            .then_with(|| a.group_name.cmp(&b.group_name))
            .then_with(|| a.student_in_group_id.cmp(&b.student_in_group_id))
    });
    Ok(debts)
}

/// The payments of these memberships: (membership, month, value, confirmed).
pub fn payments_of(
    conn: &mut Conn,
    ids: &[StudentInGroupId],
) -> mysql::Result<Vec<(StudentInGroupId, Month, i64, bool)>> {
    let rows: Vec<(StudentInGroupId, i32, i64, bool)> = db::select_in(
        conn,
        "SELECT student_in_group_id, month, value, confirmed FROM payments
         WHERE student_in_group_id IN ({ids})",
        ids,
    )?;
    Ok(rows
        .into_iter()
        .map(|(sig, month, value, confirmed)| (sig, Month(month), value, confirmed))
        .collect())
}

/// A parent of a student, for the call list: (student id, is the mother, FIO, phone).
pub fn parents_of(
    conn: &mut Conn,
    student_ids: &[StudentId],
) -> mysql::Result<Vec<(StudentId, bool, String, String)>> {
    db::select_in(
        conn,
        "SELECT ps.student_id, ps.is_mother, p.fio, p.phone FROM parent_of_students ps
         JOIN parents p ON p.id = ps.parent_id WHERE ps.student_id IN ({ids})
         ORDER BY ps.student_id, ps.is_mother DESC",
        student_ids,
    )
}
