//! `/student/payments` (students only): per membership, the payment of every month from enter
//! to exit, read-only.

use crate::app::{AppError, Ctx};
use crate::http::Response;
use crate::ids::StudentInGroupId;
use crate::month::Month;
use crate::payments::store::{Cell, max_value, payments_of_student};
use minijinja::context;
use minijinja::value::Serde;
use mysql::prelude::Queryable;
use serde::Serialize;

#[derive(Debug, Serialize)]
struct MonthView {
    name: String,
    max: i32,
    /// `None`: no payment row yet (shown as 0, cash unticked).
    payment: Option<Cell>,
}

#[derive(Debug, Serialize)]
struct Membership {
    group: String,
    months: Vec<MonthView>,
}

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let student_id = super::me(ctx)?;
    let rows: Vec<(StudentInGroupId, String, i32, i32, i32, i32)> = ctx.db.exec(
        "SELECT sig.id, g.name, sec.price, sig.discount, sig.enter_month, sig.exit_month
         FROM student_in_groups sig JOIN `groups` g ON g.id = sig.group_id
         JOIN sections sec ON sec.id = g.section_id
         WHERE sig.student_id = ? ORDER BY g.start_month DESC, g.name",
        (student_id,),
    )?;
    let mut payments = payments_of_student(&mut ctx.db, student_id)?;
    let memberships: Vec<Membership> = rows
        .into_iter()
        .map(|(sig, group, price, discount, enter, exit)| Membership {
            group,
            months: (enter..=exit)
                .map(|m| MonthView {
                    name: Month(m).name(),
                    max: max_value(price, discount),
                    payment: payments.remove(&(sig, Month(m))).map(|p| p.cell),
                })
                .collect(),
        })
        .collect();
    ctx.render(
        "student/payments.html",
        context! { memberships => Serde(memberships) },
    )
}
