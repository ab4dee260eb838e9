//! `POST /lessons/delete/<lesson_id>` (writers of the lesson's group):
//! refused with 409 when someone was present, or for a teacher when the lesson is in the past.
//! Its «не был»/«болел» rows go with it.

use super::{date_allowed, store};
use crate::app::access::group_for_write;
use crate::app::list::back_to_list;
use crate::app::{AppError, Ctx, Done};
use crate::http::Response;
use crate::month::Month;

pub fn post(ctx: &mut Ctx) -> Result<Response, AppError> {
    let lesson_id = ctx.params.id("lesson_id");
    let lesson = store::lesson_for_delete(&mut ctx.db, lesson_id)?.ok_or(AppError::NotFound)?;
    let group = group_for_write(ctx, lesson.group_id)?;
    let what = format!(
        "занятие {} в {}",
        lesson.date.format("%d.%m.%Y"),
        group.name
    );
    if lesson.present > 0 {
        return Err(AppError::Conflict(format!(
            "{what} нельзя удалить: на нём были ученики"
        )));
    }
    if !date_allowed(ctx.user()?, lesson.date, ctx.today()) {
        return Err(AppError::Conflict(format!(
            "{what} уже прошло: преподаватель не может его удалить"
        )));
    }
    store::delete_lessons(&mut ctx.db, &[lesson_id])?;
    ctx.flash_done(Done::new(what, "удалено", ""));
    let month = Month::of_date(lesson.date);
    Ok(back_to_list(
        ctx,
        &format!("/lessons/{}/{}", group.id, month.0),
    ))
}
