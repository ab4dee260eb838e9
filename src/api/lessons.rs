//! `lesson_details/<id>` (creates the missing attendings) and `save_attending_state`
//! (src/api/README.md §10).

use super::groups::{group, lessons_where, month_of};
use super::json::{Body, bad_request, json, ok};
use super::people::{Staff, staff_by_id};
use super::sql::at;
use crate::app::{AppError, Ctx, authenticated};
use crate::http::Response;
use crate::ids::{GroupId, StudentId};
use crate::lessons::mark_change;
use chrono::NaiveDate;
use mysql::Row;
use mysql::prelude::Queryable;
use serde_json::json;

pub fn details(ctx: &mut Ctx) -> Result<Response, AppError> {
    let lesson_id = ctx.params.id("lesson_id");
    let (group_id, teacher_id, date): (u32, u32, NaiveDate) = ctx
        .db
        .exec_first(
            "SELECT group_id, teacher_id, date FROM lessons WHERE id = ?",
            (lesson_id,),
        )?
        .ok_or(AppError::NotFound)?;
    let month = month_of(date);
    ctx.db.exec_drop(
        "INSERT INTO attendings (lesson_id, student_id, state)
         SELECT ?, sig.student_id, 0 FROM student_in_groups sig
         WHERE sig.group_id = ? AND sig.enter_month <= ? AND sig.exit_month >= ?
           AND NOT EXISTS (SELECT 1 FROM attendings a
                           WHERE a.lesson_id = ? AND a.student_id = sig.student_id)",
        (lesson_id, group_id, month, month, lesson_id),
    )?;
    // The original commits here, so the new rows stay even for a read-only developer
    // (src/api/README.md §6).
    ctx.commit_so_far()?;
    let rows: Vec<Row> = ctx.db.exec(
        "SELECT a.id, a.state, s.fio, s.id FROM attendings a JOIN students s ON s.id = a.student_id
         WHERE a.lesson_id = ? ORDER BY s.fio, a.id",
        (lesson_id,),
    )?;
    let attendings = rows
        .iter()
        .map(|row| {
            Ok(json!({
                "id": at::<u32>(row, 0)?,
                "lessonId": lesson_id,
                "state": at::<i32>(row, 1)?,
                "studentFio": at::<String>(row, 2)?,
                "studentId": at::<u32>(row, 3)?,
            }))
        })
        .collect::<mysql::Result<Vec<_>>>()?;
    let caller = authenticated(&ctx.caller)?;
    let g = group(&mut ctx.db, caller, group_id)?.ok_or(AppError::NotFound)?;
    let lesson = lessons_where(&mut ctx.db, "l.id = ?", vec![lesson_id.into()])?;
    let today = ctx.today();
    let teacher = staff_by_id(&mut ctx.db, caller, today, Staff::Teacher, teacher_id)?;
    Ok(json(
        200,
        &json!({
            "attendings": attendings,
            "group": g.json(caller),
            "lesson": lesson.into_iter().next(),
            "teacher": teacher,
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
    type Row = (u32, i32, StudentId, u32, NaiveDate, GroupId);
    let (group_teacher, old_state, student, lesson, date, group): Row = ctx
        .db
        .exec_first(
            "SELECT g.teacher_id, a.state, a.student_id, l.id, l.date, l.group_id
             FROM attendings a JOIN lessons l ON l.id = a.lesson_id
             JOIN `groups` g ON g.id = l.group_id WHERE a.id = ?",
            (attending_id,),
        )?
        .ok_or(AppError::NotFound)?;
    if !caller.can_write_group(group_teacher) {
        return Err(AppError::Forbidden);
    }
    ctx.db.exec_drop(
        "UPDATE attendings SET state = ? WHERE id = ?",
        (state, attending_id),
    )?;
    let state = i32::try_from(state).unwrap_or(0);
    if state != old_state {
        let change = mark_change(lesson, date, student, group, (old_state, state));
        ctx.log_changes(&[change])?;
    }
    Ok(ok())
}
