//! `schedule`, read by the Flutter timetable, which builds its day sections from consecutive
//! items: the order of `schedule::store::cells` is part of the contract.

use super::json::{Query, json};
use crate::app::{AppError, Ctx};
use crate::http::Response;
use crate::ids::TeacherId;
use crate::schedule::store::cells;
use serde_json::{Value, json};

/// Every filled timetable cell; `teacherId` (0 or unparsable: everyone) keeps the cells of that
/// teacher's groups.
pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let teacher = match Query::of(ctx)?.int("teacherId") {
        None | Some(0) => None,
        // An id no teacher can have (negative, too large) keeps no cell.
        Some(id) => Some(TeacherId(u32::try_from(id).unwrap_or(0))),
    };
    let items: Vec<Value> = cells(&mut ctx.db, teacher)?
        .into_iter()
        .map(|c| {
            json!({
                "dayOfWeek": c.day_of_week,
                "groupId": c.group_id,
                "groupName": c.group_name,
                "id": c.id,
                "teacherId": c.teacher_id,
                "time": c.time,
            })
        })
        .collect();
    Ok(json(200, &items))
}
