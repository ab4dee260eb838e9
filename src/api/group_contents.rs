//! `students_in_group/<id>` (every membership, the discount masked for a foreign group) and
//! `lessons_in_group/<id>` (every lesson by date).

use super::groups::{group, lessons_where};
use super::json::json;
use super::sql::at;
use crate::app::{AppError, Ctx, authenticated};
use crate::http::Response;
use mysql::Row;
use mysql::prelude::Queryable;
use serde_json::json;

pub fn students(ctx: &mut Ctx) -> Result<Response, AppError> {
    let caller = authenticated(&ctx.caller)?;
    let g = group(&mut ctx.db, caller, ctx.params.id("group_id"))?.ok_or(AppError::NotFound)?;
    let can_write = caller.can_write_group(g.teacher_id);
    let rows: Vec<Row> = ctx.db.exec(
        "SELECT sig.id, sig.discount, sig.enter_month, sig.exit_month, s.id, s.fio, su.enabled,
            (SELECT COUNT(*) FROM attendings a JOIN lessons l ON l.id = a.lesson_id
             WHERE a.student_id = s.id AND l.group_id = sig.group_id AND a.state = 1)
         FROM student_in_groups sig JOIN students s ON s.id = sig.student_id
         JOIN system_users su ON su.id = s.system_user_id
         WHERE sig.group_id = ? ORDER BY sig.id",
        (g.id,),
    )?;
    let items = rows
        .iter()
        .map(|row| {
            Ok(json!({
                "discount": if can_write { at::<i64>(row, 1)? } else { -1 },
                "enterMonth": at::<i32>(row, 2)?,
                "exitMonth": at::<i32>(row, 3)?,
                "groupId": g.id,
                "id": at::<u32>(row, 0)?,
                "lessonsAttendedCount": at::<u64>(row, 7)?,
                "studentFio": at::<String>(row, 5)?,
                "studentId": at::<u32>(row, 4)?,
                "systemUserEnabled": at::<bool>(row, 6)?,
            }))
        })
        .collect::<mysql::Result<Vec<_>>>()?;
    Ok(json(200, &items.into()))
}

pub fn lessons(ctx: &mut Ctx) -> Result<Response, AppError> {
    let caller = authenticated(&ctx.caller)?;
    let g = group(&mut ctx.db, caller, ctx.params.id("group_id"))?.ok_or(AppError::NotFound)?;
    let lessons = lessons_where(
        &mut ctx.db,
        "l.group_id = ? ORDER BY l.date, l.id",
        vec![g.id.into()],
    )?;
    Ok(json(200, &lessons.into()))
}
