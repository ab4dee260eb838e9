//! `POST /structure/delete_section/<id>` (M, D): refused with 409 while the
//! section has groups or candidates' preferences.

use crate::app::list;
use crate::app::{AppError, Ctx, Done};
use crate::http::Response;
use crate::structure::store::sections;

pub fn post(ctx: &mut Ctx) -> Result<Response, AppError> {
    let id = ctx.params.id("id");
    let (name, blocked) = sections::lock(&mut ctx.db, id)?.ok_or(AppError::NotFound)?;
    if let Some(reason) = blocked {
        return Err(AppError::Conflict(format!(
            "секцию «{name}» нельзя удалить: {reason}"
        )));
    }
    sections::delete(&mut ctx.db, id)?;
    ctx.flash_done(Done::new(format!("секция {name}"), "удалена", ""));
    Ok(list::back_to_list(ctx, "/structure/sections"))
}
