//! `POST /structure/delete_group/<id>` (M, D): refused with 409 while the group
//! has members or lessons; its notifications and timetable cells go with it.

use crate::app::list;
use crate::app::{AppError, Ctx, Done};
use crate::http::Response;
use crate::structure::store::groups;

pub fn post(ctx: &mut Ctx) -> Result<Response, AppError> {
    let id = ctx.params.id("id");
    let (name, blocked) = groups::lock(&mut ctx.db, id)?.ok_or(AppError::NotFound)?;
    if let Some(reason) = blocked {
        return Err(AppError::Conflict(format!(
            "группу «{name}» нельзя удалить: {reason}"
        )));
    }
    groups::delete(&mut ctx.db, id)?;
    ctx.flash_done(Done::new(format!("группа {name}"), "удалена", ""));
    Ok(list::back_to_list(ctx, "/structure/groups"))
}
