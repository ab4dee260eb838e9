//! Payments in the database: reading a group's cells and saving the cells a visitor changed
//! (the payments grid and the payment column of the month grid). One payment per
//! (student-in-group, month); its value is 0 … section price − the member's discount.

use crate::db;
use crate::month::Month;
use mysql::Conn;
use mysql::prelude::Queryable;
use serde::Serialize;
use std::collections::HashMap;

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
    pub student_in_group_id: u32,
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
    pub id: u32,
    pub student_id: u32,
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
pub fn members(conn: &mut Conn, group_id: u32) -> mysql::Result<Vec<Member>> {
    conn.exec_map(
        "SELECT sig.id, s.id, s.fio, su.enabled, sig.discount, sig.enter_month, sig.exit_month
         FROM student_in_groups sig JOIN students s ON s.id = sig.student_id
         JOIN system_users su ON su.id = s.system_user_id
         WHERE sig.group_id = ? ORDER BY s.fio, sig.id",
        (group_id,),
        |(id, student_id, fio, enabled, discount, enter, exit): (
            u32,
            u32,
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
    pub group_id: u32,
    pub group_name: String,
    pub sum: i64,
}

/// Per own group (newest start first, then by name), what is paid but not yet confirmed.
pub fn unconfirmed_sums(conn: &mut Conn, teacher_id: u32) -> mysql::Result<Vec<UnconfirmedSum>> {
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

type PaymentRow = (u32, u32, i32, i32, bool, bool, String);

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

/// The payments of the memberships `condition` picks (a constant condition on `sig` with one
/// parameter), keyed by (student-in-group id, month).
fn payments_where(
    conn: &mut Conn,
    condition: &'static str,
    id: u32,
) -> mysql::Result<HashMap<(u32, i32), Payment>> {
    let rows: Vec<PaymentRow> = conn.exec(format!("{PAYMENT_SELECT} WHERE {condition}"), (id,))?;
    Ok(rows
        .into_iter()
        .map(payment)
        .map(|p| ((p.student_in_group_id, p.month.0), p))
        .collect())
}

/// Every payment of a group's members.
pub fn payments_of_group(
    conn: &mut Conn,
    group_id: u32,
) -> mysql::Result<HashMap<(u32, i32), Payment>> {
    payments_where(conn, "sig.group_id = ?", group_id)
}

/// Every payment of a student, in any group.
pub fn payments_of_student(
    conn: &mut Conn,
    student_id: u32,
) -> mysql::Result<HashMap<(u32, i32), Payment>> {
    payments_where(conn, "sig.student_id = ?", student_id)
}

/// The payments of a group for one month, keyed by student-in-group id.
pub fn payments_in_month(
    conn: &mut Conn,
    group_id: u32,
    month: Month,
) -> mysql::Result<HashMap<u32, Payment>> {
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
    pub student_in_group_id: u32,
    pub month: Month,
    /// What the page showed when it was opened; `None` when the form did not say (then the
    /// stored state counts as shown).
    pub shown: Option<Cell>,
    /// What the visitor wants, the value already clamped (see [`clamp`]).
    pub wanted: Cell,
}

/// What became of one submitted cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    /// Nothing changed: nothing written.
    Unchanged,
    Written,
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
    match current {
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
        }
    }
    Ok(Saved::Written)
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
