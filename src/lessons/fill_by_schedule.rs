//! `GET, POST /lessons/fill_by_schedule/<group_id>` (group writers): lessons on the
//! ticked weekdays from tomorrow to the group end. Unlike the original, a future lesson with any
//! «был» or «болел» mark is kept (and no second lesson is made on its day); the other future
//! lessons are replaced. Today's and past lessons are never touched.

use super::store;
use crate::app::access::{GroupRef, group_for_write};
use crate::app::{AppError, Ctx, Done};
use crate::http::Response;
use crate::ids::GroupId;
use chrono::{Datelike, NaiveDate};
use minijinja::context;
use std::collections::HashSet;

const WEEKDAYS: [&str; 7] = ["пн", "вт", "ср", "чт", "пт", "сб", "вс"];

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let group = group_for_write(ctx, GroupId(ctx.params.id("group_id")))?;
    let busy = store::schedule_days(&mut ctx.db, group.id)?;
    let days: Vec<(usize, &str, bool)> = WEEKDAYS
        .iter()
        .enumerate()
        .map(|(i, name)| (i, *name, busy.contains(&(i as u32))))
        .collect();
    ctx.render(
        "lessons/fill_by_schedule.html",
        context! { group_id => group.id, group_name => group.name, days => days },
    )
}

pub fn post(ctx: &mut Ctx) -> Result<Response, AppError> {
    let group = group_for_write(ctx, GroupId(ctx.params.id("group_id")))?;
    let mut weekdays = HashSet::new();
    for (key, _) in ctx.form.pairs() {
        if let Some(day) = key.strip_prefix("dow_") {
            let day: u32 =
                day.parse().ok().filter(|d| *d < 7).ok_or_else(|| {
                    AppError::BadRequest(format!("«{day}» — не день недели (0…6)"))
                })?;
            weekdays.insert(day);
        }
    }
    let today = ctx.today();
    let outcome = fill(ctx, &group, &weekdays, today)?;
    let counts = format!(
        "создано занятий {}, сохранено занятий с отметками {}",
        outcome.created, outcome.kept
    );
    ctx.flash_done(Done::with(
        format!("расписание сформировано: {counts}"),
        format!("расписание не сформировано (было бы {counts})"),
    ));
    Ok(ctx.redirect(&format!("/lessons/months/{}", group.id)))
}

struct Outcome {
    created: usize,
    kept: usize,
}

fn fill(
    ctx: &mut Ctx,
    group: &GroupRef,
    weekdays: &HashSet<u32>,
    today: NaiveDate,
) -> Result<Outcome, AppError> {
    let future = store::future_lessons(&mut ctx.db, group.id, today)?;
    let (kept, empty): (Vec<_>, Vec<_>) = future.into_iter().partition(|(_, _, marked)| *marked);
    let empty_ids: Vec<u32> = empty.iter().map(|(id, _, _)| *id).collect();
    store::delete_lessons(&mut ctx.db, &empty_ids)?;
    let kept_days: HashSet<NaiveDate> = kept.iter().map(|(_, date, _)| *date).collect();
    let first = group
        .start_month
        .first_day()
        .max(today + chrono::Days::new(1));
    let dates: Vec<NaiveDate> = first
        .iter_days()
        .take_while(|d| *d <= group.end_month.last_day())
        .filter(|d| weekdays.contains(&d.weekday().num_days_from_monday()))
        .filter(|d| !kept_days.contains(d))
        .collect();
    store::create_lessons(&mut ctx.db, group.id, group.teacher_id, &dates)?;
    Ok(Outcome {
        created: dates.len(),
        kept: kept.len(),
    })
}
