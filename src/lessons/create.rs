//! `GET, POST /lessons/create/<group_id>` (group writers): one lesson on a date
//! inside the group period (teachers: not in the past), taught by the group's teacher unless
//! another one is chosen (a substitute).

use super::{date_allowed, parse_date, store};
use crate::app::access::{GroupRef, group_for_write};
use crate::app::{AppError, Ctx, Done};
use crate::http::Response;
use crate::ids::{GroupId, TeacherId};
use crate::month::Month;
use chrono::NaiveDate;
use minijinja::context;

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let group = group_for_write(ctx, GroupId(ctx.params.id("group_id")))?;
    let teacher_id = group.teacher_id;
    render(ctx, &group, "", teacher_id, None, 200)
}

pub fn post(ctx: &mut Ctx) -> Result<Response, AppError> {
    let group = group_for_write(ctx, GroupId(ctx.params.id("group_id")))?;
    let form = &ctx.form;
    let date_text = form.str("date").trim().to_string();
    let teacher_text = form.str("teacher_id").trim().to_string();
    let teachers = store::teachers(&mut ctx.db)?;
    let teacher_id = match teacher_text.as_str() {
        "" => Some(group.teacher_id),
        t => t
            .parse()
            .ok()
            .filter(|id| teachers.iter().any(|(t, _)| t == id)),
    };
    let Some(teacher_id) = teacher_id else {
        return render(
            ctx,
            &group,
            &date_text,
            group.teacher_id,
            Some("выберите преподавателя из списка".into()),
            400,
        );
    };
    match check_date(ctx, &group, &date_text) {
        Ok(date) => {
            store::create_lessons(&mut ctx.db, group.id, teacher_id, &[date])?;
            ctx.flash_done(Done::new(
                "занятие",
                "создано",
                format!(": {}", date.format("%d.%m.%Y")),
            ));
            Ok(ctx.redirect(&format!("/lessons/{}/{}", group.id, Month::of_date(date).0)))
        }
        Err(message) => render(ctx, &group, &date_text, teacher_id, Some(message), 400),
    }
}

/// The date, or why it is refused.
fn check_date(ctx: &Ctx, group: &GroupRef, text: &str) -> Result<NaiveDate, String> {
    if text.is_empty() {
        return Err("укажите дату".into());
    }
    let date = parse_date(text).map_err(|e| e.to_string())?;
    let (first, last) = (group.start_month.first_day(), group.end_month.last_day());
    if date < first || date > last {
        return Err(format!(
            "дата должна быть в пределах группы: с {first} по {last}"
        ));
    }
    let user = ctx.user().map_err(|e| e.to_string())?;
    if !date_allowed(user, date, ctx.today()) {
        return Err("преподаватель не может создать занятие в прошлом".into());
    }
    Ok(date)
}

fn render(
    ctx: &mut Ctx,
    group: &GroupRef,
    date: &str,
    teacher_id: TeacherId,
    error: Option<String>,
    status: u16,
) -> Result<Response, AppError> {
    let today = ctx.today();
    let first = group.start_month.first_day();
    // Teachers cannot pick a past day.
    let min = if ctx.user()?.is_master {
        first
    } else {
        first.max(today)
    };
    let teachers = store::teachers(&mut ctx.db)?;
    ctx.render_status(
        status,
        "lessons/create.html",
        context! {
            group_id => group.id,
            group_name => group.name.clone(),
            date => date,
            min => min.format("%Y-%m-%d").to_string(),
            max => group.end_month.last_day().format("%Y-%m-%d").to_string(),
            teachers => teachers,
            teacher_id => teacher_id,
            error => error,
        },
    )
}
