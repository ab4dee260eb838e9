//! `payments/<group_id>` (creates the missing payments) and `save_payment`; both only for the
//! group's writers (src/api/README.md §10).

use super::groups::group;
use super::json::{Body, bad_request, json, ok};
use super::sql::at;
use crate::app::{AppError, Ctx, authenticated};
use crate::http::Response;
use crate::ids::{GroupId, StudentId};
use crate::month::Month;
use crate::payments::store::{self, Cell};
use mysql::Row;
use mysql::prelude::Queryable;
use serde_json::{Value, json};

/// Longest stored comment, in characters.
const COMMENT_CHARS: usize = 32;

pub fn list(ctx: &mut Ctx) -> Result<Response, AppError> {
    let caller = authenticated(&ctx.caller)?;
    let g = group(&mut ctx.db, caller, ctx.params.id("group_id"))?.ok_or(AppError::NotFound)?;
    if !caller.can_write_group(g.teacher_id) {
        return Err(AppError::Forbidden);
    }
    for month in g.start_month..=g.end_month {
        ctx.db.exec_drop(
            "INSERT INTO payments (student_in_group_id, month, value, cash, confirmed, comment)
             SELECT sig.id, ?, 0, 1, 0, '' FROM student_in_groups sig
             WHERE sig.group_id = ? AND sig.enter_month <= ? AND sig.exit_month >= ?
               AND NOT EXISTS (SELECT 1 FROM payments p
                               WHERE p.student_in_group_id = sig.id AND p.month = ?)",
            (month, g.id, month, month, month),
        )?;
    }
    // The original commits here, so the new rows stay even for a read-only developer
    // (src/api/README.md §6).
    ctx.commit_so_far()?;
    let rows: Vec<Row> = ctx.db.exec(
        "SELECT p.id, p.cash, p.comment, p.confirmed, p.month, p.value, sec.price - sig.discount,
            s.fio, s.id, sig.id
         FROM payments p JOIN student_in_groups sig ON sig.id = p.student_in_group_id
         JOIN students s ON s.id = sig.student_id
         JOIN `groups` g ON g.id = sig.group_id JOIN sections sec ON sec.id = g.section_id
         WHERE sig.group_id = ? ORDER BY s.fio, p.month, p.id",
        (g.id,),
    )?;
    let payments = rows
        .iter()
        .map(|row| {
            Ok(json!({
                "cash": at::<bool>(row, 1)?,
                "comment": at::<String>(row, 2)?,
                "confirmed": at::<bool>(row, 3)?,
                "groupId": g.id,
                "groupName": g.name,
                "id": at::<u32>(row, 0)?,
                "monthNumber": at::<i32>(row, 4)?,
                "needToPay": at::<i64>(row, 6)?,
                "studentFio": at::<String>(row, 7)?,
                "studentId": at::<u32>(row, 8)?,
                "studentInGroupId": at::<u32>(row, 9)?,
                "value": at::<i64>(row, 5)?,
            }))
        })
        .collect::<mysql::Result<Vec<_>>>()?;
    let caller = authenticated(&ctx.caller)?;
    Ok(json(
        200,
        &json!({"group": g.json(caller), "payments": payments}),
    ))
}

/// `comment`: absent or null is "", a string is cut to 32 characters; anything else is refused
/// (the original crashed with a 500).
fn comment(body: &Body) -> Result<String, AppError> {
    match body.value("comment") {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.chars().take(COMMENT_CHARS).collect()),
        Some(_) => Err(bad_request()),
    }
}

pub fn save(ctx: &mut Ctx) -> Result<Response, AppError> {
    let caller = authenticated(&ctx.caller)?;
    let body = Body::of(ctx)?;
    let payment_id = body.required_int("paymentId")?;
    let value = body.required_int("value")?;
    let comment = comment(&body)?;
    type Row = (u32, bool, i64, i32, i32, bool, String, StudentId, GroupId);
    let (
        group_teacher,
        confirmed,
        max_value,
        month,
        old_value,
        old_cash,
        old_comment,
        student,
        group,
    ): Row = ctx
        .db
        .exec_first(
            "SELECT g.teacher_id, p.confirmed, sec.price - sig.discount, p.month, p.value, p.cash,
                p.comment, sig.student_id, sig.group_id
             FROM payments p JOIN student_in_groups sig ON sig.id = p.student_in_group_id
             JOIN `groups` g ON g.id = sig.group_id JOIN sections sec ON sec.id = g.section_id
             WHERE p.id = ?",
            (payment_id,),
        )?
        .ok_or(AppError::NotFound)?;
    let before = Cell {
        value: old_value,
        cash: old_cash,
        confirmed,
        comment: old_comment,
    };
    if !caller.can_write_group(group_teacher) || (confirmed && !caller.is_master()) {
        return Err(AppError::Forbidden);
    }
    // In this order: a discount above the price leaves the (negative) maximum.
    let value = value.max(0).min(max_value);
    let cash = body.flag("cash");
    // Only masters confirm; a teacher's flag is ignored.
    let confirmed = if caller.is_master() {
        body.flag("confirmed")
    } else {
        confirmed
    };
    ctx.db.exec_drop(
        "UPDATE payments SET value = ?, comment = ?, cash = ?, confirmed = ? WHERE id = ?",
        (value, &comment, cash, confirmed, payment_id),
    )?;
    let after = Cell {
        value: i32::try_from(value).unwrap_or(0),
        cash,
        confirmed,
        comment,
    };
    if after != before {
        let change = store::Change {
            payment_id: u32::try_from(payment_id).unwrap_or(0),
            month: Month(month),
            before,
            after,
        };
        ctx.log_changes(&[change.entry(student, group)])?;
    }
    Ok(ok())
}
