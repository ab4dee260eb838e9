//! `schedule`, read by the Flutter timetable, which builds its day sections from consecutive
//! items: the order below is part of the contract.

use super::json::{Query, json};
use super::sql::at;
use crate::app::{AppError, Ctx};
use crate::http::Response;
use mysql::Row;
use mysql::prelude::Queryable;
use serde_json::json;

/// Every filled timetable cell, by day, then by the time *as text* with empty times sorted as
/// "25:59" (so "10:00" < no time < "9:00", as in the original); `teacherId` (0 or unparsable:
/// everyone) keeps the cells of that teacher's groups.
pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let teacher_id = Query::of(ctx)?.int("teacherId").unwrap_or(0);
    let rows: Vec<Row> = ctx.db.exec(
        "SELECT sg.id, sg.day_of_week, st.time, g.id, g.name, g.teacher_id
         FROM schedule_groups sg JOIN schedule_times st ON st.id = sg.schedule_time_id
         JOIN `groups` g ON g.id = sg.group_id
         WHERE ? = 0 OR g.teacher_id = ?
         ORDER BY sg.day_of_week, COALESCE(st.time, '25:59'), st.id, sg.id",
        (teacher_id, teacher_id),
    )?;
    let items = rows
        .iter()
        .map(|row| {
            Ok(json!({
                "dayOfWeek": at::<i32>(row, 1)?,
                "groupId": at::<u32>(row, 3)?,
                "groupName": at::<String>(row, 4)?,
                "id": at::<u32>(row, 0)?,
                "teacherId": at::<u32>(row, 5)?,
                "time": at::<Option<String>>(row, 2)?,
            }))
        })
        .collect::<mysql::Result<Vec<_>>>()?;
    Ok(json(200, &items.into()))
}
