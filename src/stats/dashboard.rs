//! `GET /stat/dashboard` (M, D, T): the overview of money and attendance — a master's of every
//! group, a teacher's of his own — with the twelve-month chart and its figures as a table.

use super::overview::{self, chart, scope_of};
use crate::app::{AppError, Ctx, signed_in};
use crate::http::Response;
use minijinja::context;
use minijinja::value::Serde;

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let teacher = scope_of(signed_in(&ctx.user)?);
    let today = ctx.today();
    let o = overview::load(&mut ctx.db, teacher, today)?;
    let c = chart(&o);
    ctx.render(
        "stats/dashboard.html",
        context! { o => Serde(&o), chart => Serde(&c) },
    )
}
