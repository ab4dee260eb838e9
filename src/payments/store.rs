//! Payments in the database: reading a group's cells and saving the cells a visitor changed
//! (the payments grid and the payment column of the month grid). One payment per
//! (student-in-group, month); its value is 0 … section price − the member's discount.

use crate::db::kept::{self, Kept};
use crate::db::{self, change_log};
use crate::ids::{GroupId, StudentId, StudentInGroupId, TeacherId};
use crate::month::Month;
use mysql::Conn;
use mysql::prelude::Queryable;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

pub mod debts;

pub use debts::{DebtRow, Scope, debts, parents_of, payments_of};

/// Longest comment the column holds, in characters.
pub const COMMENT_CHARS: usize = 32;

/// What a payment cell shows and a visitor may change. A month without a row reads as
/// `Cell::default()`: 0 ₽, cash, no comment, not confirmed (the original's defaults).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cell {
    pub value: i32,
    pub cash: bool,
    pub confirmed: bool,
    pub comment: String,
}

impl Default for Cell {
    fn default() -> Cell {
        Cell {
            value: 0,
            cash: true,
            confirmed: false,
            comment: String::new(),
        }
    }
}

impl Cell {
    /// «300 ₽, наличными, подтверждено, «за октябрь»», as the change log shows it.
    pub fn describe(&self) -> String {
        let mut text = format!(
            "{} ₽, {}, {}",
            self.value,
            if self.cash {
                "наличными"
            } else {
                "безналично"
            },
            if self.confirmed {
                "подтверждено"
            } else {
                "не подтверждено"
            }
        );
        if !self.comment.is_empty() {
            text.push_str(&format!(", «{}»", self.comment));
        }
        text
    }

    /// Counted in the «… / non-zero / …» totals: anything paid or confirmed.
    pub fn is_paid(&self) -> bool {
        self.value > 0 || self.confirmed
    }

    /// The same money, cash flag and comment (the confirmation aside).
    fn same_payment(&self, other: &Cell) -> bool {
        (self.value, self.cash, &self.comment) == (other.value, other.cash, &other.comment)
    }
}

/// A stored payment.
#[derive(Debug, Clone)]
pub struct Payment {
    pub id: u32,
    pub student_in_group_id: StudentInGroupId,
    pub month: Month,
    pub cell: Cell,
}

/// The most a member pays for a month: section price − discount (never below 0, even when bad
/// data has a discount above the price).
pub fn max_value(price: i32, discount: i32) -> i32 {
    (price - discount).max(0)
}

/// A submitted value brought into [0, max].
pub fn clamp(value: i64, max: i32) -> i32 {
    value.clamp(0, i64::from(max.max(0))) as i32
}

/// A member of a group (a `student_in_groups` row) with what payment cells need.
#[derive(Debug, Clone, Serialize)]
pub struct Member {
    pub id: StudentInGroupId,
    pub student_id: StudentId,
    pub fio: String,
    pub enabled: bool,
    pub discount: i32,
    pub enter_month: Month,
    pub exit_month: Month,
}

impl Member {
    pub fn in_month(&self, month: Month) -> bool {
        self.enter_month <= month && month <= self.exit_month
    }
}

/// Every member of a group, whatever the months, by FIO.
pub fn members(conn: &mut Conn, group_id: GroupId) -> mysql::Result<Vec<Member>> {
    conn.exec_map(
        "SELECT sig.id, s.id, s.fio, su.enabled, sig.discount, sig.enter_month, sig.exit_month
         FROM student_in_groups sig JOIN students s ON s.id = sig.student_id
         JOIN system_users su ON su.id = s.system_user_id
         WHERE sig.group_id = ? ORDER BY s.fio, sig.id",
        (group_id,),
        |(id, student_id, fio, enabled, discount, enter, exit): (
            StudentInGroupId,
            StudentId,
            String,
            bool,
            i32,
            i32,
            i32,
        )| Member {
            id,
            student_id,
            fio,
            enabled,
            discount,
            enter_month: Month(enter),
            exit_month: Month(exit),
        },
    )
}

/// The sum of a teacher's unconfirmed payments in one of his groups.
#[derive(Debug, Clone, Serialize)]
pub struct UnconfirmedSum {
    pub group_id: GroupId,
    pub group_name: String,
    pub sum: i64,
}

/// Per own group (newest start first, then by name), what is paid but not yet confirmed.
pub fn unconfirmed_sums(
    conn: &mut Conn,
    teacher_id: TeacherId,
) -> mysql::Result<Vec<UnconfirmedSum>> {
    conn.exec_map(
        "SELECT g.id, g.name,
                CAST(COALESCE(SUM(CASE WHEN p.confirmed = 0 THEN p.value END), 0) AS SIGNED)
         FROM `groups` g LEFT JOIN student_in_groups sig ON sig.group_id = g.id
         LEFT JOIN payments p ON p.student_in_group_id = sig.id
         WHERE g.teacher_id = ?
         GROUP BY g.id, g.name, g.start_month ORDER BY g.start_month DESC, g.name",
        (teacher_id,),
        |(group_id, group_name, sum)| UnconfirmedSum {
            group_id,
            group_name,
            sum,
        },
    )
}

/// Per group of `ids` that has any, the sum of its unconfirmed payments. The sums of every group
/// are computed together and kept in `debts_cache` until a write changes them: for the 300
/// groups of the app's groups or teachers list, summing 1,100 payments through their
/// memberships took 1.9 ms of SQL on the `large` demo data.
pub fn unconfirmed_by_group(
    conn: &mut Conn,
    ids: &[GroupId],
) -> mysql::Result<HashMap<GroupId, i64>> {
    let all: Vec<(GroupId, i64)> = kept::or_computed(conn, Kept::Unconfirmed, |c| {
        c.query(
            "SELECT sig.group_id, CAST(SUM(p.value) AS SIGNED) FROM student_in_groups sig
             JOIN payments p ON p.student_in_group_id = sig.id AND p.confirmed = 0
             GROUP BY sig.group_id",
        )
    })?;
    let wanted: HashSet<GroupId> = ids.iter().copied().collect();
    Ok(all
        .into_iter()
        .filter(|(g, _)| wanted.contains(g))
        .collect())
}

type PaymentRow = (u32, StudentInGroupId, i32, i32, bool, bool, String);

fn payment((id, sig, month, value, cash, confirmed, comment): PaymentRow) -> Payment {
    Payment {
        id,
        student_in_group_id: sig,
        month: Month(month),
        cell: Cell {
            value,
            cash,
            confirmed,
            comment,
        },
    }
}

const PAYMENT_SELECT: &str =
    "SELECT p.id, p.student_in_group_id, p.month, p.value, p.cash, p.confirmed, p.comment
     FROM payments p JOIN student_in_groups sig ON sig.id = p.student_in_group_id";

/// A group's or a student's payments: by membership and month.
pub type PaymentsByCell = HashMap<(StudentInGroupId, Month), Payment>;

/// The payments of the memberships `condition` picks (a constant condition on `sig` with one
/// parameter).
fn payments_where(
    conn: &mut Conn,
    condition: &'static str,
    id: impl Into<mysql::Value>,
) -> mysql::Result<PaymentsByCell> {
    let rows: Vec<PaymentRow> = conn.exec(format!("{PAYMENT_SELECT} WHERE {condition}"), (id,))?;
    Ok(rows
        .into_iter()
        .map(payment)
        .map(|p| ((p.student_in_group_id, p.month), p))
        .collect())
}

/// Every payment of a group's members.
pub fn payments_of_group(conn: &mut Conn, group_id: GroupId) -> mysql::Result<PaymentsByCell> {
    payments_where(conn, "sig.group_id = ?", group_id)
}

/// Every payment of a student, in any group.
pub fn payments_of_student(
    conn: &mut Conn,
    student_id: StudentId,
) -> mysql::Result<PaymentsByCell> {
    payments_where(conn, "sig.student_id = ?", student_id)
}

/// The payments of a group for one month, keyed by student-in-group id.
pub fn payments_in_month(
    conn: &mut Conn,
    group_id: GroupId,
    month: Month,
) -> mysql::Result<HashMap<StudentInGroupId, Payment>> {
    let rows: Vec<PaymentRow> = conn.exec(
        format!("{PAYMENT_SELECT} WHERE sig.group_id = ? AND p.month = ?"),
        (group_id, month.0),
    )?;
    Ok(rows
        .into_iter()
        .map(payment)
        .map(|p| (p.student_in_group_id, p))
        .collect())
}

/// One cell as a visitor submitted it.
#[derive(Debug, Clone)]
pub struct Submitted {
    pub student_in_group_id: StudentInGroupId,
    pub month: Month,
    /// What the page showed when it was opened; `None` when the form did not say (then the
    /// stored state counts as shown).
    pub shown: Option<Cell>,
    /// What the visitor wants, the value already clamped (see [`clamp`]).
    pub wanted: Cell,
}

/// What became of one submitted cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// Nothing changed: nothing written.
    Unchanged,
    /// The payment (its id) went from one state to another.
    Written(Change),
    /// Someone else changed the payment after the page was opened: not overwritten.
    Stale,
    /// A confirmed payment keeps its value, cash flag and comment; only a master may un-confirm
    /// it first.
    Frozen,
}

/// Writes a cell if, and only if, the visitor changed it. `can_confirm` (masters and developers
/// on the payments page) lets the confirmation flag change; otherwise it stays as it was
/// (teachers, and the month grid for everybody). `current` is the stored row, if any.
pub fn save_cell(
    conn: &mut Conn,
    current: Option<&Payment>,
    submitted: &Submitted,
    can_confirm: bool,
) -> mysql::Result<Saved> {
    let stored = current.map(|p| p.cell.clone()).unwrap_or_default();
    let shown = submitted.shown.as_ref().unwrap_or(&stored);
    let mut wanted = submitted.wanted.clone();
    if !can_confirm {
        wanted.confirmed = shown.confirmed;
    }
    if wanted == *shown {
        return Ok(Saved::Unchanged);
    }
    if *shown != stored {
        return Ok(Saved::Stale);
    }
    if stored.confirmed && !wanted.same_payment(&stored) {
        return Ok(Saved::Frozen);
    }
    // The checks above read the page's snapshot; a save running at the same moment may have
    // changed the cell since. So the write itself requires the stored state: an update only
    // while the row is still as read, an insert only while there is no row.
    let Cell {
        value,
        cash,
        confirmed,
        comment,
    } = wanted;
    let written = Cell {
        value,
        cash,
        confirmed,
        comment: comment.clone(),
    };
    let payment_id = match current {
        Some(p) => {
            conn.exec_drop(
                "UPDATE payments SET value = ?, cash = ?, confirmed = ?, comment = ?
                 WHERE id = ? AND value = ? AND cash = ? AND confirmed = ? AND BINARY comment = ?",
                (
                    value,
                    cash,
                    confirmed,
                    comment,
                    p.id,
                    stored.value,
                    stored.cash,
                    stored.confirmed,
                    &stored.comment,
                ),
            )?;
            if conn.affected_rows() == 0 {
                return Ok(Saved::Stale);
            }
            p.id
        }
        None => {
            let inserted = conn.exec_drop(
                "INSERT INTO payments (student_in_group_id, month, value, cash, confirmed, comment)
                 VALUES (?, ?, ?, ?, ?, ?)",
                (
                    submitted.student_in_group_id,
                    submitted.month.0,
                    value,
                    cash,
                    confirmed,
                    comment,
                ),
            );
            match inserted {
                // The row came from a concurrent save: only this statement failed, the
                // transaction goes on.
                Err(e) if db::is_duplicate_key(&e) => {
                    return Ok(Saved::Stale);
                }
                other => other?,
            }
            u32::try_from(conn.last_insert_id()).unwrap_or(0)
        }
    };
    kept::changed(conn)?;
    Ok(Saved::Written(Change {
        payment_id,
        month: submitted.month,
        before: stored,
        after: written,
    }))
}

/// A payment that a save changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub payment_id: u32,
    pub month: Month,
    pub before: Cell,
    pub after: Cell,
}

impl Change {
    /// The change log's entry, for the student and group the payment is of.
    pub fn entry(&self, student: StudentId, group: GroupId) -> change_log::Change {
        change_log::Change {
            kind: change_log::Kind::Payment,
            table: "payments",
            row_id: self.payment_id,
            student_id: Some(student),
            group_id: Some(group),
            what: format!("оплата за {}", self.month.name()),
            old: self.before.describe(),
            new: self.after.describe(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamps_into_the_range() {
        assert_eq!(clamp(-5, 700), 0);
        assert_eq!(clamp(300, 700), 300);
        assert_eq!(clamp(1_000_000_000_000, 700), 700);
        assert_eq!(clamp(10, -100), 0);
        assert_eq!(max_value(800, 100), 700);
        assert_eq!(max_value(800, 900), 0);
    }
}

/// Creates the payments the group's members lack in each of `months` they belong to: 0 ₽, cash,
/// not confirmed, no comment, and tells whether any was missing, so that the caller reads the
/// payments again. The app's payments list shows a row for every month of every member, so it
/// fills the gaps before reading. A payment of 0 ₽
/// changes no debt: the cached debts stay valid.
///
/// The gaps are found here from the payments already read (`existing`, all of the group's) and
/// the memberships, and nearly always there are none: an `INSERT … SELECT … NOT EXISTS` over
/// every member and month, which found none nearly always, took 0.7–0.9 ms of SQL on the `large`
/// data against 0.15 for reading the memberships. A row another request creates meanwhile is left
/// as it is (the unique key on member and month), and shows when the payments are read again.
pub fn create_missing(
    conn: &mut Conn,
    group_id: GroupId,
    months: impl Iterator<Item = Month>,
    existing: &[MemberPayment],
) -> mysql::Result<bool> {
    let have: HashSet<(StudentInGroupId, Month)> = existing
        .iter()
        .map(|p| (p.student_in_group_id, p.month))
        .collect();
    let members: Vec<(StudentInGroupId, i32, i32)> = conn.exec(
        "SELECT id, enter_month, exit_month FROM student_in_groups WHERE group_id = ?",
        (group_id,),
    )?;
    let months: Vec<Month> = months.collect();
    let missing: Vec<(StudentInGroupId, Month)> = members
        .iter()
        .flat_map(|&(sig, enter, exit)| {
            months
                .iter()
                .filter(move |m| (enter..=exit).contains(&m.0))
                .map(move |&m| (sig, m))
        })
        .filter(|pair| !have.contains(pair))
        .collect();
    if missing.is_empty() {
        return Ok(false);
    }
    let rows = db::value_rows("(?, ?, 0, 1, 0, '')", missing.len());
    let params: Vec<mysql::Value> = missing
        .iter()
        .flat_map(|&(sig, m)| [sig.into(), m.0.into()])
        .collect();
    conn.exec_drop(
        format!(
            "INSERT INTO payments (student_in_group_id, month, value, cash, confirmed, comment)
             VALUES {rows} ON DUPLICATE KEY UPDATE id = id"
        ),
        params,
    )?;
    Ok(true)
}

/// A group's payment with its student and what the member owes a month.
#[derive(Debug, Clone)]
pub struct MemberPayment {
    pub id: u32,
    pub month: Month,
    pub cell: Cell,
    /// The section price less the member's discount (negative when the discount is larger).
    pub need_to_pay: i64,
    pub student_id: StudentId,
    pub student_fio: String,
    pub student_in_group_id: StudentInGroupId,
}

/// Every payment of the group's members, by student name, month and id.
pub fn member_payments(conn: &mut Conn, group_id: GroupId) -> mysql::Result<Vec<MemberPayment>> {
    type Row = (
        u32,
        bool,
        String,
        bool,
        i32,
        i32,
        i64,
        String,
        StudentId,
        StudentInGroupId,
    );
    conn.exec_map(
        "SELECT p.id, p.cash, p.comment, p.confirmed, p.month, p.value, sec.price - sig.discount,
            s.fio, s.id, sig.id
         FROM payments p JOIN student_in_groups sig ON sig.id = p.student_in_group_id
         JOIN students s ON s.id = sig.student_id
         JOIN `groups` g ON g.id = sig.group_id JOIN sections sec ON sec.id = g.section_id
         WHERE sig.group_id = ? ORDER BY s.fio, p.month, p.id",
        (group_id,),
        |(
            id,
            cash,
            comment,
            confirmed,
            month,
            value,
            need_to_pay,
            student_fio,
            student_id,
            sig,
        ): Row| MemberPayment {
            id,
            month: Month(month),
            cell: Cell {
                value,
                cash,
                confirmed,
                comment,
            },
            need_to_pay,
            student_id,
            student_fio,
            student_in_group_id: sig,
        },
    )
}

/// One payment with what the write rules of a save need.
#[derive(Debug, Clone)]
pub struct PaymentToSave {
    pub month: Month,
    pub cell: Cell,
    /// The largest value: the section price less the member's discount.
    pub max_value: i64,
    pub student_id: StudentId,
    pub group_id: GroupId,
    pub group_teacher_id: TeacherId,
}

pub fn payment_to_save(conn: &mut Conn, payment_id: u32) -> mysql::Result<Option<PaymentToSave>> {
    type Row = (
        TeacherId,
        bool,
        i64,
        i32,
        i32,
        bool,
        String,
        StudentId,
        GroupId,
    );
    let row: Option<Row> = conn.exec_first(
        "SELECT g.teacher_id, p.confirmed, sec.price - sig.discount, p.month, p.value, p.cash,
            p.comment, sig.student_id, sig.group_id
         FROM payments p JOIN student_in_groups sig ON sig.id = p.student_in_group_id
         JOIN `groups` g ON g.id = sig.group_id JOIN sections sec ON sec.id = g.section_id
         WHERE p.id = ?",
        (payment_id,),
    )?;
    Ok(row.map(
        |(
            group_teacher_id,
            confirmed,
            max_value,
            month,
            value,
            cash,
            comment,
            student_id,
            group_id,
        )| {
            PaymentToSave {
                month: Month(month),
                cell: Cell {
                    value,
                    cash,
                    confirmed,
                    comment,
                },
                max_value,
                student_id,
                group_id,
                group_teacher_id,
            }
        },
    ))
}

/// Overwrites a payment whatever it holds now (the app's save; the web grids use [`save_cell`]).
pub fn overwrite(conn: &mut Conn, payment_id: u32, cell: &Cell) -> mysql::Result<()> {
    conn.exec_drop(
        "UPDATE payments SET value = ?, comment = ?, cash = ?, confirmed = ? WHERE id = ?",
        (
            cell.value,
            &cell.comment,
            cell.cash,
            cell.confirmed,
            payment_id,
        ),
    )?;
    kept::changed(conn)
}
