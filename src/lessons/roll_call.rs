//! `GET, POST /lessons/roll_call/<lesson_id>` (M, D, T; group writers): the roll call of one
//! lesson, the teacher's screen on a phone. Each student of the lesson's month gets three big
//! choices, был / не был / болел; one button saves them all, with the month grid's rules: one
//! transaction, only the marks that changed, never a mark someone else changed meanwhile, each
//! change logged.

use super::grid::{Grid, save};
use super::store;
use crate::app::access::{GroupRef, group_for_write};
use crate::app::{AppError, Ctx, Done};
use crate::http::{Form, Response};
use crate::ids::StudentId;
use crate::month::Month;
use chrono::NaiveDate;
use minijinja::context;
use minijinja::value::Serde;
use serde::Serialize;

#[derive(Debug, Serialize)]
struct StudentView {
    id: StudentId,
    fio: String,
    /// The mark's field, the month grid's `a_<lesson>_<student>`.
    field: String,
    state: i32,
}

/// The lesson of the URL with its group (the visitor must write it) and month.
fn lesson_of(ctx: &mut Ctx) -> Result<(u32, NaiveDate, GroupRef, Month), AppError> {
    let lesson_id = ctx.params.id("lesson_id");
    let (group_id, _, date) =
        store::lesson_group(&mut ctx.db, lesson_id)?.ok_or(AppError::NotFound)?;
    let group = group_for_write(ctx, group_id)?;
    Ok((lesson_id, date, group, Month::of_date(date)))
}

/// Each student's state: what was posted, else what is stored.
fn students(lesson_id: u32, grid: &Grid, posted: Option<&Form>) -> Vec<StudentView> {
    grid.members
        .iter()
        .map(|m| {
            let field = format!("a_{lesson_id}_{}", m.student_id);
            let posted = posted.and_then(|f| f.get(&field)?.parse().ok());
            StudentView {
                id: m.student_id,
                fio: m.fio.clone(),
                state: posted.unwrap_or_else(|| grid.state(lesson_id, m.student_id)),
                field,
            }
        })
        .collect()
}

fn render(
    ctx: &mut Ctx,
    (lesson_id, date, group, month): &(u32, NaiveDate, GroupRef, Month),
    grid: &Grid,
    posted: Option<&Form>,
    errors: Vec<String>,
) -> Result<Response, AppError> {
    let status = if errors.is_empty() { 200 } else { 400 };
    ctx.render_status(
        status,
        "lessons/roll_call.html",
        context! {
            group => Serde(group),
            month => month.0,
            date => date.format("%d.%m.%Y").to_string(),
            students => Serde(students(*lesson_id, grid, posted)),
            shown => grid.shown_marks(),
            errors,
        },
    )
}

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let lesson = lesson_of(ctx)?;
    let grid = Grid::load(ctx, &lesson.2, lesson.3)?;
    render(ctx, &lesson, &grid, None, Vec::new())
}

pub fn post(ctx: &mut Ctx) -> Result<Response, AppError> {
    let lesson = lesson_of(ctx)?;
    let (lesson_id, date, group, month) = &lesson;
    let grid = Grid::load(ctx, group, *month)?;
    let form = ctx.form.clone();
    let not_saved = match save(ctx, group, *month, &grid, &form)? {
        Ok(not_saved) => not_saved,
        Err(errors) => return render(ctx, &lesson, &grid, Some(&form), errors),
    };
    let marks = students(*lesson_id, &grid, Some(&form));
    let count = |state: i32| marks.iter().filter(|s| s.state == state).count();
    let what = format!(
        "отметки занятия {} в группе {}",
        date.format("%d.%m.%Y"),
        group.name
    );
    let totals = format!(
        ": был {}, не был {}, болел {}.",
        count(1),
        count(0),
        count(2)
    );
    ctx.flash_done(Done::new(what, "сохранены", totals));
    ctx.flash_not_saved(&not_saved);
    Ok(ctx.redirect(&format!("/lessons/roll_call/{lesson_id}")))
}
