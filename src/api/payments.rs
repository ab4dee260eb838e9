//! `payments/<group_id>` (creates the missing payments) and `save_payment`; both only for the
//! group's writers (src/api/README.md §10).

use super::groups::{GroupBriefJson, group};
use super::json::{Body, bad_request, json, ok};
use crate::app::access::can_write_group;
use crate::app::{AppError, Ctx, authenticated};
use crate::auth::Actor;
use crate::http::Response;
use crate::http::form::forbidden_control;
use crate::ids::{GroupId, StudentId, StudentInGroupId};
use crate::payments::store::{self, COMMENT_CHARS, Cell};
use serde::Serialize;
use serde_json::Value;

/// `Payment` as the API writes it, straight from the fields: a group's answer holds hundreds of
/// them, and building a map of each first took most of its time. The fields stand in the order
/// of their names, as in every object of the API (a test holds them to it).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct PaymentJson<'a> {
    cash: bool,
    comment: &'a str,
    confirmed: bool,
    group_id: GroupId,
    group_name: &'a str,
    id: u32,
    month_number: i32,
    need_to_pay: i64,
    student_fio: &'a str,
    student_id: StudentId,
    student_in_group_id: StudentInGroupId,
    value: i32,
}

/// The answer: the group and its payments.
#[derive(Debug, Serialize)]
struct GroupPayments<'a> {
    group: GroupBriefJson,
    payments: Vec<PaymentJson<'a>>,
}

pub fn list(ctx: &mut Ctx) -> Result<Response, AppError> {
    let caller = authenticated(&ctx.caller)?;
    let id = GroupId(ctx.params.id("group_id"));
    let brief = group(&mut ctx.db, caller, id)?.ok_or(AppError::NotFound)?;
    let g = &brief.group;
    if !can_write_group(caller, g.teacher_id) {
        return Err(AppError::Forbidden);
    }
    let mut payments = store::member_payments(&mut ctx.db, g.id)?;
    let created = store::create_missing(&mut ctx.db, g.id, g.months(), &payments)?;
    // The original commits here, so the new rows stay even for a read-only developer
    // (src/api/README.md §6).
    ctx.commit_so_far()?;
    if created {
        payments = store::member_payments(&mut ctx.db, g.id)?;
    }
    let payments: Vec<PaymentJson> = payments
        .iter()
        .map(|p| PaymentJson {
            cash: p.cell.cash,
            comment: &p.cell.comment,
            confirmed: p.cell.confirmed,
            group_id: g.id,
            group_name: &g.name,
            id: p.id,
            month_number: p.month.0,
            need_to_pay: p.need_to_pay,
            student_fio: &p.student_fio,
            student_id: p.student_id,
            student_in_group_id: p.student_in_group_id,
            value: p.cell.value,
        })
        .collect();
    let caller = authenticated(&ctx.caller)?;
    Ok(json(
        200,
        &GroupPayments {
            group: brief.view(caller),
            payments,
        },
    ))
}

/// `comment`: absent or null is "", a string is cut to 32 characters; anything else, or a string
/// with a control character, is refused (the original crashed with a 500 on a non-string).
fn comment(body: &Body) -> Result<String, AppError> {
    match body.value("comment") {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) if forbidden_control(s).is_some() => Err(bad_request()),
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
    // An id outside the column's range names no row.
    let payment_id = u32::try_from(payment_id).map_err(|_| AppError::NotFound)?;
    let stored = store::payment_to_save(&mut ctx.db, payment_id)?.ok_or(AppError::NotFound)?;
    let before = stored.cell;
    if !can_write_group(caller, stored.group_teacher_id)
        || (before.confirmed && !caller.is_master())
    {
        return Err(AppError::Forbidden);
    }
    // In this order: a discount above the price leaves the (negative) maximum.
    let value = value.max(0).min(stored.max_value);
    let after = Cell {
        value: i32::try_from(value).unwrap_or(0),
        cash: body.flag("cash"),
        // Only masters confirm; a teacher's flag is ignored.
        confirmed: if caller.is_master() {
            body.flag("confirmed")
        } else {
            before.confirmed
        },
        comment,
    };
    store::overwrite(&mut ctx.db, payment_id, &after)?;
    if after != before {
        let change = store::Change {
            payment_id,
            month: stored.month,
            before,
            after,
        };
        ctx.log_changes(&[change.entry(stored.student_id, stored.group_id)])?;
    }
    Ok(ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::json::as_sorted_value;

    #[test]
    fn a_groups_payments_are_written_with_sorted_keys() {
        let answer = GroupPayments {
            group: GroupBriefJson::example(),
            payments: vec![PaymentJson {
                cash: true,
                comment: "за \"май\"",
                confirmed: false,
                group_id: GroupId(4),
                group_name: "робо-71",
                id: 9,
                month_number: 59,
                need_to_pay: 1200,
                student_fio: "Петров Пётр",
                student_id: StudentId(5),
                student_in_group_id: StudentInGroupId(6),
                value: 600,
            }],
        };
        let (direct, sorted) = as_sorted_value(&answer);
        assert_eq!(direct, sorted);
        assert!(direct.contains("\"payments\":[{\"cash\":true,"), "{direct}");
    }
}
