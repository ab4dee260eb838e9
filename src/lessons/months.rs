//! `GET /lessons/months/<group_id>` (M, D, T): every month of the group with the
//! days of its lessons; writers also get «новое занятие» and «сформировать расписание».

use super::store;
use crate::app::access::group_for_read;
use crate::app::{AppError, Ctx};
use crate::http::Response;
use crate::ids::GroupId;
use crate::month::Month;
use chrono::Datelike;
use minijinja::context;
use minijinja::value::Serde;
use serde::Serialize;

#[derive(Serialize)]
struct MonthRow {
    number: i32,
    name: String,
    /// Days of month of the lessons, in order.
    days: Vec<u32>,
}

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let group = group_for_read(ctx, GroupId(ctx.params.id("group_id")))?;
    let dates = store::lesson_dates(&mut ctx.db, group.id)?;
    let months: Vec<MonthRow> = group
        .months()
        .map(|m| MonthRow {
            number: m.0,
            name: m.name(),
            days: dates
                .iter()
                .filter(|d| Month::of_date(**d) == m)
                .map(|d| d.day())
                .collect(),
        })
        .collect();
    ctx.render(
        "lessons/months.html",
        context! { group => Serde(group), months => Serde(months) },
    )
}
