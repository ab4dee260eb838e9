//! `lesson_details/<id>` (creates the missing attendings) and `save_attending_state`
//! (src/api/README.md §10).

use super::groups::{group, lesson_json};
use super::json::{Body, bad_request, json, ok};
use super::people::staff_by_id;
use crate::app::access::can_write_group;
use crate::app::{AppError, Ctx, authenticated};
use crate::auth::Role;
use crate::http::Response;
use crate::lessons::mark_change;
use crate::lessons::store;
use crate::month::Month;
use serde_json::{Value, json};

pub fn details(ctx: &mut Ctx) -> Result<Response, AppError> {
    let lesson_id = ctx.params.id("lesson_id");
    let lesson = store::conducted_lesson(&mut ctx.db, lesson_id)?.ok_or(AppError::NotFound)?;
    let month = Month::of_date(lesson.date);
    let mut marks = store::marks_of_lesson(&mut ctx.db, lesson_id)?;
    let created =
        store::create_missing_marks(&mut ctx.db, lesson_id, lesson.group_id, month, &marks)?;
    // The original commits here, so the new rows stay even for a read-only developer
    // (src/api/README.md §6).
    ctx.commit_so_far()?;
    if created {
        marks = store::marks_of_lesson(&mut ctx.db, lesson_id)?;
    }
    let attendings: Vec<Value> = marks
        .into_iter()
        .map(|m| {
            json!({
                "id": m.id,
                "lessonId": lesson_id,
                "state": m.state,
                "studentFio": m.student_fio,
                "studentId": m.student_id,
            })
        })
        .collect();
    let caller = authenticated(&ctx.caller)?;
    let today = ctx.today();
    // A lesson the group's own teacher held (no other teacher's name) finds its group among the
    // teacher's groups, read with the teacher: no second read of the group and its sums. Another
    // teacher's lesson reads its group first, so that the kept rows are read in their order.
    let other_teachers = match lesson.another_teacher_fio {
        Some(_) => group(&mut ctx.db, caller, lesson.group_id)?,
        None => None,
    };
    let teacher = staff_by_id(
        &mut ctx.db,
        caller,
        today,
        Role::Teacher,
        lesson.teacher_id.0,
    )?;
    let g = match other_teachers.or_else(|| teacher.group(lesson.group_id).cloned()) {
        Some(g) => g,
        // The group changed teachers since the lesson was read.
        None => group(&mut ctx.db, caller, lesson.group_id)?.ok_or(AppError::NotFound)?,
    };
    Ok(json(
        200,
        &json!({
            "attendings": attendings,
            "group": g.json(caller),
            "lesson": lesson_json(&lesson),
            "teacher": teacher.first_json(caller),
        }),
    ))
}

pub fn save_attending_state(ctx: &mut Ctx) -> Result<Response, AppError> {
    let caller = authenticated(&ctx.caller)?;
    let body = Body::of(ctx)?;
    let attending_id = body.required_int("attendingId")?;
    let state = body.required_int("attendingState")?;
    if !(0..=2).contains(&state) {
        return Err(bad_request());
    }
    let state = i32::try_from(state).unwrap_or(0);
    // An id outside the column's range names no row.
    let attending_id = u32::try_from(attending_id).map_err(|_| AppError::NotFound)?;
    let mark = store::mark_to_save(&mut ctx.db, attending_id)?.ok_or(AppError::NotFound)?;
    if !can_write_group(caller, mark.group_teacher_id) {
        return Err(AppError::Forbidden);
    }
    store::set_state(&mut ctx.db, attending_id, state)?;
    if state != mark.state {
        let change = mark_change(
            mark.lesson_id,
            mark.date,
            mark.student_id,
            mark.group_id,
            (mark.state, state),
        );
        ctx.log_changes(&[change])?;
    }
    Ok(ok())
}
