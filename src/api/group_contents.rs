//! `students_in_group/<id>` (every membership, the discount masked for a foreign group) and
//! `lessons_in_group/<id>` (every lesson by date).

use super::groups::{group, lessons_json};
use super::json::json;
use crate::app::access::can_write_group;
use crate::app::{AppError, Ctx, authenticated};
use crate::http::Response;
use crate::ids::GroupId;
use crate::lessons::store::conducted_in_group;
use crate::structure::store::members::memberships;
use serde_json::{Value, json};

pub fn students(ctx: &mut Ctx) -> Result<Response, AppError> {
    let caller = authenticated(&ctx.caller)?;
    let id = GroupId(ctx.params.id("group_id"));
    let g = group(&mut ctx.db, caller, id)?
        .ok_or(AppError::NotFound)?
        .group;
    let can_write = can_write_group(caller, g.teacher_id);
    let items: Vec<Value> = memberships(&mut ctx.db, g.id)?
        .into_iter()
        .map(|m| {
            json!({
                "discount": if can_write { m.discount } else { -1 },
                "enterMonth": m.enter_month.0,
                "exitMonth": m.exit_month.0,
                "groupId": g.id,
                "id": m.id,
                "lessonsAttendedCount": m.lessons_attended,
                "studentFio": m.student_fio,
                "studentId": m.student_id,
                "systemUserEnabled": m.account_enabled,
            })
        })
        .collect();
    Ok(json(200, &items))
}

pub fn lessons(ctx: &mut Ctx) -> Result<Response, AppError> {
    let caller = authenticated(&ctx.caller)?;
    let id = GroupId(ctx.params.id("group_id"));
    let g = group(&mut ctx.db, caller, id)?
        .ok_or(AppError::NotFound)?
        .group;
    let lessons = conducted_in_group(&mut ctx.db, g.id)?;
    Ok(json(200, &lessons_json(&lessons)))
}
