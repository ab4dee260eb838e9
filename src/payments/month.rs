//! `GET, POST /payments/group/<group_id>/month/<month_number>` (group writers): the payments of
//! one month of a group, for a phone: each student a card with what is due, the amount (a numeric
//! keyboard), «наличными», a comment and — for masters — «подтверждено». One save, with the
//! payments grid's rules (`group_grid::save`); the confirmation names what it confirmed.

use super::group_grid::{Grid, rows, save};
use crate::app::access::{GroupRef, group_for_write};
use crate::app::{AppError, Ctx, Done};
use crate::http::{Form, Response};
use crate::ids::GroupId;
use crate::month::Month;
use minijinja::context;
use minijinja::value::Serde;

fn render(
    ctx: &mut Ctx,
    group: &GroupRef,
    month: Month,
    grid: &Grid,
    posted: Option<&Form>,
    errors: Vec<String>,
) -> Result<Response, AppError> {
    let index = (month.0 - group.start_month.0) as usize;
    let students: Vec<_> = rows(group, grid, posted)
        .into_iter()
        .filter(|r| r.member.in_month(month))
        .map(|mut r| (r.member, r.cells.swap_remove(index)))
        .collect();
    let status = if errors.is_empty() { 200 } else { 400 };
    let can_confirm = ctx.user()?.is_master;
    ctx.render_status(
        status,
        "payments/month.html",
        context! {
            group => Serde(group),
            month_name => month.name(),
            students => Serde(students),
            can_confirm,
            errors,
        },
    )
}

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let group = group_for_write(ctx, GroupId(ctx.params.id("group_id")))?;
    let month = group.month(ctx.params.id("month_number"))?;
    let grid = Grid::load(ctx, &group)?;
    render(ctx, &group, month, &grid, None, Vec::new())
}

pub fn post(ctx: &mut Ctx) -> Result<Response, AppError> {
    let group = group_for_write(ctx, GroupId(ctx.params.id("group_id")))?;
    let month = group.month(ctx.params.id("month_number"))?;
    let form = ctx.form.clone();
    let grid = Grid::load(ctx, &group)?;
    let saved = match save(ctx, &group, &grid, &form, |m| m == month)? {
        Ok(saved) => saved,
        Err(errors) => return render(ctx, &group, month, &grid, Some(&form), errors),
    };
    ctx.flash_done(Done::new(
        format!("оплата в группе {} за {}", group.name, month.name()),
        "сохранена",
        ".",
    ));
    if !saved.confirmed.is_empty() {
        ctx.flash(format!("подтверждено: {}", saved.confirmed.join("; ")));
    }
    ctx.flash_not_saved(&saved.not_saved);
    Ok(ctx.redirect(&format!("/payments/group/{}/month/{}", group.id, month.0)))
}
