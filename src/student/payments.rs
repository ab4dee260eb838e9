//! `/student/payments` (students only): per membership, the payment of every month from enter
//! to exit, read-only.

use super::store;
use crate::app::{AppError, Ctx};
use crate::http::Response;
use crate::month::Month;
use crate::payments::store::{Cell, max_value, payments_of_student};
use minijinja::context;
use minijinja::value::Serde;
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
    let rows = store::memberships(&mut ctx.db, student_id)?;
    let mut payments = payments_of_student(&mut ctx.db, student_id)?;
    let memberships: Vec<Membership> = rows
        .into_iter()
        .map(|m| Membership {
            months: (m.enter.0..=m.exit.0)
                .map(|month| MonthView {
                    name: Month(month).name(),
                    max: max_value(m.price, m.discount),
                    payment: payments.remove(&(m.id, Month(month))).map(|p| p.cell),
                })
                .collect(),
            group: m.group,
        })
        .collect();
    ctx.render(
        "student/payments.html",
        context! { memberships => Serde(memberships) },
    )
}
